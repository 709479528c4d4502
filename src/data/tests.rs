//! Loading whole files: formats, units, encodings, every diagnostic with its
//! line and column, and inputs that must not panic.

use super::reporter::Reporter;
use super::store::Layout;
use super::*;
use crate::diag::Diagnostic;
use crate::unit::Dimension;

/// Every diagnostic of one file, rendered (which must not panic), as
/// (code, line, column).
fn diagnostics(text: &str) -> Vec<(&'static str, usize, usize)> {
    let mut loader = Loader::new(LoadOptions::default());
    loader.add_str("t.csv", text);
    codes(&finish(loader))
}

fn finish(loader: Loader) -> Vec<Diagnostic> {
    match loader.finish() {
        Ok((_, warnings)) => warnings,
        Err(errors) => errors.0,
    }
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<(&'static str, usize, usize)> {
    diagnostics
        .iter()
        .map(|diagnostic| {
            render(diagnostic);
            let (line, column) = diagnostic.line_col();
            (diagnostic.code.as_str(), line, column)
        })
        .collect()
}

fn render(diagnostic: &Diagnostic) -> String {
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .render_report(&mut out, diagnostic)
        .expect("rendering into a string");
    out
}

fn load(text: &str) -> Dataset {
    match Dataset::from_csv_str("t.csv", text) {
        Ok(data) => data,
        Err(errors) => panic!(
            "{}",
            errors.iter().map(render).collect::<Vec<_>>().join("\n")
        ),
    }
}

/// A number and the symbol of its unit ("" when bare).
fn number(data: &Dataset, indicator: &str, entity: &str, year: i32) -> (f64, String) {
    let indicator = data.find_indicator(indicator).expect("indicator");
    let entity = data.find_entity(entity).expect("entity");
    match data.value(indicator, entity, year) {
        Some(Cell::Number { value, unit }) => (
            value,
            unit.map_or(String::new(), |unit| unit.symbol.to_string()),
        ),
        other => panic!("expected a number, found {other:?}"),
    }
}

fn text<'d>(data: &'d Dataset, indicator: &str, entity: &str, year: i32) -> Option<Cell<'d>> {
    data.value(
        data.find_indicator(indicator)?,
        data.find_entity(entity)?,
        year,
    )
}

macro_rules! diagnostics {
    ($($name:ident: $text:expr => [$(($code:literal, $line:literal, $column:literal)),* $(,)?];)*) => {$(
        #[test]
        fn $name() {
            let expected: Vec<(&str, usize, usize)> = vec![$(($code, $line, $column)),*];
            assert_eq!(diagnostics($text), expected);
        }
    )*};
}

const LONG: &str = "地区,年份,指标,值\n";

diagnostics! {
    clean_long_file: "地区,年份,指标,值\n甲,2024,床位数,5\n" => [];
    empty_file: "" => [("data-empty", 1, 1)];
    blank_file: "\r\n\n" => [("data-empty", 1, 1)];
    missing_year_column: "地区,指标,值\n甲,床位数,5\n" => [("data-missing-column", 1, 1)];
    misspelt_year_column: "地区,年分,指标,值\n" => [("data-missing-column", 1, 4)];
    missing_value_column: "地区,年份,指标\n" => [("data-missing-column", 1, 1)];
    no_indicator_columns: "地区,年份\n甲,2024\n" => [("data-missing-column", 1, 1)];
    duplicate_column: "地区,年份,年份,x\n" => [("data-duplicate-column", 1, 7)];
    two_notes_are_fine: "地区,年份,指标,值,来源,备注\n甲,2024,x,1,a,b\n" => [];
    unit_column_in_wide_file: "地区,年份,单位,床位数\n" => [("data-misplaced-column", 1, 7)];
    value_under_no_header: "地区,年份,,x\n甲,2024,,1\n甲,2025,3,1\n乙,2025,4,1\n" => [("data-unnamed-column", 3, 8)];
    empty_trailing_columns_are_fine: "地区,年份,x,,\n甲,2024,1,,\n甲,2025,1\n" => [];
    too_few_fields: "地区,年份,指标,值\n甲,2024,x\n" => [("data-ragged-row", 2, 9)];
    too_many_fields: "地区,年份,指标,值\n甲,2024,x,1,234\n" => [("data-ragged-row", 2, 11)];
    unclosed_quote: "地区,年份,指标,值\n甲,2024,x,\"1\n乙,2024,x,2\n" => [("data-bad-quote", 2, 10)];
    unclosed_quote_skips_its_row: "地区,年份,指标,值,类型\n甲,2024,x,1,A\n甲,2024,\"x,1,234\n乙,2024,x,2,B\n" => [("data-bad-quote", 3, 8)];
    text_after_quote: "地区,年份,指标,值\n甲,2024,x,\"1\"2\n" => [("data-bad-quote", 2, 13)];
    empty_entity: "地区,年份,指标,值\n,2024,x,1\n" => [("data-empty-name", 2, 1)];
    empty_indicator: "地区,年份,指标,值\n甲,2024,,1\n甲,2025,,\n" => [("data-empty-name", 2, 8)];
    bad_year: "地区,年份,指标,值\n甲,24年,床位数,5\n" => [("data-bad-year", 2, 3)];
    empty_year: "地区,年份,指标,值\n甲,,床位数,5\n" => [("data-bad-year", 2, 3)];
    bad_number: "地区,年份,指标,值\n甲,2024,床位数,1.2.3\n" => [("data-bad-number", 2, 12)];
    bound_is_not_a_value: "地区,年份,指标,值\n甲,2024,床位数,>90\n" => [("data-bad-number", 2, 12)];
    unknown_unit: "地区,年份,指标,值\n甲,2024,床位数,5床位\n" => [("data-unknown-unit", 2, 12)];
    unknown_unit_column: "地区,年份,指标,值,单位\n甲,2024,床位数,5,床位\n" => [("data-unknown-unit", 2, 14)];
    unit_mismatch: "地区,年份,床位数(张)\n甲,2024,5%\n" => [("data-unit-mismatch", 2, 8)];
    same_dimension_is_no_mismatch: "地区,年份,婴儿死亡率(‰)\n甲,2024,0.5%\n" => [];
    duplicate: "地区,年份,指标,值\n甲,2024,床位数,5\n甲,2024,床位数,6\n" => [("data-duplicate", 3, 12)];
    same_value_twice: "地区,年份,指标,值\n甲,2024,床位数,5\n甲,2024,床位数,5.0\n" => [];
    same_quantity_in_two_units: "地区,年份,指标,值\n甲,2024,x,92.5%\n甲,2024,x,925‰\n" => [];
    conflicting_parent: "地区,上级,年份,指标,值\n甲,,2024,x,1\n丙,,2024,x,1\n乙,甲,2024,x,1\n乙,丙,2025,x,1\n乙,丙,2023,x,1\n" => [("data-conflicting-parent", 5, 3)];
    conflicting_attribute: "地区,年份,指标,值,类型\n甲,2024,x,1,A\n甲,2025,x,1,B\n" => [("data-conflicting-attribute", 3, 12)];
    cycle: "地区,上级,年份,指标,值\n甲,乙,2024,x,1\n乙,甲,2024,x,1\n" => [("data-cycle", 2, 3)];
    self_parent: "地区,上级,年份,指标,值\n甲,甲,2024,x,1\n" => [("data-cycle", 2, 3)];
    parent_created: "地区,上级,年份,指标,值\n乙,甲,2024,x,1\n" => [("data-parent-created", 2, 3)];
    ratio_first_term: "地区,年份,指标,值\n甲,2024,床医比,2:1.1\n" => [("data-ratio-first-term", 2, 12)];
    text_among_numbers: "地区,年份,指标,值\n甲,2024,x,1\n甲,2025,x,2\n甲,2026,x,A\n" => [("data-bad-number", 4, 10)];
    mixed_cells: "地区,年份,指标,值\n甲,2024,x,A\n甲,2025,x,B\n甲,2026,x,3\n" => [("data-mixed-cells", 4, 10)];
    infinite_cell: "地区,年份,指标,值\n甲,2024,x,inf\n甲,2025,x,-inf\n" => [("data-bad-number", 2, 10), ("data-bad-number", 3, 10)];
    control_character_in_a_name: "地区,年份,指标,值\n\"甲\0\",2024,x,1\n" => [("data-bad-name", 2, 1)];
    control_character_in_a_header: "地区,年份,\"床\n位数\"\n甲,2024,1\n" => [("data-bad-name", 1, 7)];
    share_written_as_a_fraction: "地区,年份,县域就诊率(%)\n甲,2024,91.5\n乙,2024,92\n丙,2024,0.915\n" => [("data-scale", 4, 8)];
    comma_in_note: "地区,年份,指标,值,来源\n甲,2024,x,1,a,b\n" => [("data-unquoted-comma", 2, 12)];
    several_errors_in_one_file: "地区,年份,指标,值\n甲,2024,x,1.2.3\n甲,24,x,1\n甲,2024,y,5床位\n甲,2024\n甲,2025,x,2\n" => [
        ("data-bad-number", 2, 10),
        ("data-bad-year", 3, 3),
        ("data-unknown-unit", 4, 10),
        ("data-ragged-row", 5, 7),
    ];
}

#[test]
fn long_file_with_tree_and_attributes() {
    let data = load(
        "地区,上级,级别,类型,年份,指标,值\n\
         日照市,,市级,,2024,县域就诊率,91.2%\n\
         东港区,日照市,县级,区,2024,县域就诊率,88%\n\
         五莲县,日照市,县级,县,2024,县域就诊率,\n\
         五莲县,日照市,县级,县,2023,县域就诊率,90.5%\n",
    );
    let city = data.find_entity("日照市").unwrap();
    let county = data.find_entity("五莲县").unwrap();
    assert_eq!(data.entity_count(), 3);
    assert_eq!(data.parent(county), Some(city));
    assert_eq!(data.parent(city), None);
    assert_eq!(data.children(city).len(), 2);
    assert_eq!((data.depth(city), data.depth(county)), (0, 1));
    assert_eq!(data.tier(county), Some("县级"));
    let kind = data.find_attribute("类型").unwrap();
    assert_eq!(data.find_attribute("type"), Some(kind));
    assert_eq!(data.find_attribute("level"), data.find_attribute("级别"));
    assert_eq!(data.attribute(kind, county), Some("县"));
    assert_eq!(data.attribute(kind, city), None);
    assert_eq!(
        number(&data, "县域就诊率", "东港区", 2024),
        (88.0, "%".into())
    );
    assert_eq!(text(&data, "县域就诊率", "五莲县", 2024), None);
    assert_eq!(data.observation_count(), 3);
    assert_eq!(data.missing_count(), 1);
    assert_eq!(data.year_range(), Some((2023, 2024)));
    assert_eq!(data.origin(IndicatorId(0)), Some("t.csv"));
    assert_eq!(
        data.entity_names().collect::<Vec<_>>(),
        ["日照市", "东港区", "五莲县"]
    );
}

#[test]
fn english_headers() {
    let data = load(
        "Entity,Parent,Year,Indicator,Value,Unit,Level,Source\n\
         China,,2023,IMR,4.5,‰,national,bulletin\n\
         Shandong,China,2023,IMR,3.9,‰,province,\n",
    );
    let province = data.find_entity("Shandong").unwrap();
    assert_eq!(data.tier(province), Some("province"));
    assert_eq!(number(&data, "IMR", "China", 2023), (4.5, "‰".into()));
    let imr = data.find_indicator("IMR").unwrap();
    assert_eq!(data.header_unit(imr).map(|unit| &*unit.symbol), Some("‰"));
}

#[test]
fn wide_file_with_units_in_headers() {
    let data = load(
        "地区,上级,年份,孕产妇死亡率(1/10万),婴儿死亡率（‰）,每千常住人口执业(助理)医师数,床医比\n\
         日照市,,2024,14.5,4.9,3.1,1:0.58\n\
         东港区,日照市,2024,12/10万,0.45%,-,1∶0.6\n",
    );
    assert_eq!(
        data.indicator_names().collect::<Vec<_>>(),
        [
            "孕产妇死亡率",
            "婴儿死亡率",
            "每千常住人口执业(助理)医师数",
            "床医比"
        ]
    );
    assert_eq!(
        number(&data, "孕产妇死亡率", "日照市", 2024),
        (14.5, "/10万".into())
    );
    assert_eq!(
        number(&data, "孕产妇死亡率", "东港区", 2024),
        (12.0, "/10万".into())
    );
    assert_eq!(
        number(&data, "婴儿死亡率", "东港区", 2024),
        (0.45, "%".into())
    );
    assert_eq!(
        number(&data, "每千常住人口执业(助理)医师数", "日照市", 2024),
        (3.1, "".into())
    );
    let (ratio, _) = number(&data, "床医比", "东港区", 2024);
    assert!((ratio - 0.6).abs() < 1e-12);
    let index = data.find_indicator("床医比").unwrap();
    let cell = data.value(index, data.find_entity("日照市").unwrap(), 2024);
    let Some(Cell::Number {
        unit: Some(unit), ..
    }) = cell
    else {
        panic!("{cell:?}")
    };
    assert_eq!((unit.dimension, unit.scale), (Dimension::Ratio, 1.0));
    let maternal = data.find_indicator("孕产妇死亡率").unwrap();
    assert_eq!(
        data.header_unit(maternal).map(|unit| unit.scale),
        Some(1e-5)
    );
    assert_eq!(data.header_unit(index), None);
    assert_eq!(data.missing_count(), 1);
}

#[test]
fn unit_column_and_header_units_of_long_files() {
    let data = load(
        "地区,年份,指标,值,单位\n\
         甲,2023,床位数,200,张\n\
         甲,2024,床位数,1.2,万张\n\
         甲,2024,婴儿死亡率(‰),4.5,\n\
         甲,2024,近视率,52.1,%\n\
         甲,2025,近视率,51.8,%\n",
    );
    assert_eq!(number(&data, "床位数", "甲", 2024), (1.2, "万张".into()));
    assert_eq!(number(&data, "婴儿死亡率", "甲", 2024), (4.5, "‰".into()));
    let unit_of = |name: &str| {
        data.header_unit(data.find_indicator(name).unwrap())
            .map(|unit| unit.symbol.to_string())
    };
    assert_eq!(unit_of("床位数"), None, "rows disagree");
    assert_eq!(unit_of("婴儿死亡率").as_deref(), Some("‰"));
    assert_eq!(unit_of("近视率").as_deref(), Some("%"));
}

#[test]
fn unit_in_the_value_header() {
    let data = load("地区,年份,指标,值(%)\n甲,2024,x,92.3\n甲,2024,y(‰),4.5\n");
    assert_eq!(number(&data, "x", "甲", 2024), (92.3, "%".into()));
    assert_eq!(number(&data, "y", "甲", 2024), (4.5, "‰".into()));
}

#[test]
fn number_forms_and_missing_markers() {
    let data = load(
        "地区,年份,指标,值\n\
         甲,２０２３年,x,９２．３％\n\
         甲,2024,x,\"1,234.5\"\n\
         甲,2025,x, 7 \n\
         甲,2026,x,-\n\
         甲,2027,x,—\n\
         甲,2028,x,NA\n\
         甲,2029,x,N/A\n\
         甲,2030,x,无数据\n\
         甲,2031,x,\n\
         甲,2032,等级,二级甲等\n\
         甲,2033,等级,「A+」\n",
    );
    assert_eq!(number(&data, "x", "甲", 2023), (92.3, "%".into()));
    assert_eq!(number(&data, "x", "甲", 2024), (1234.5, "".into()));
    assert_eq!(number(&data, "x", "甲", 2025), (7.0, "".into()));
    assert_eq!(data.missing_count(), 6);
    assert_eq!(data.observation_count(), 5);
    assert_eq!(text(&data, "x", "甲", 2026), None);
    assert_eq!(
        text(&data, "等级", "甲", 2032),
        Some(Cell::Text("二级甲等"))
    );
    assert_eq!(text(&data, "等级", "甲", 2033), Some(Cell::Text("A+")));
}

#[test]
fn bom_and_crlf() {
    let text = "\u{feff}地区,年份,指标,值\r\n甲,2024,x,1\r\n甲,2025,x,2\r\n";
    let data = load(text);
    assert_eq!(number(&data, "x", "甲", 2025), (2.0, "".into()));
    let mut loader = Loader::new(LoadOptions::default());
    loader.add_bytes("t.csv", text.as_bytes());
    let (data, warnings) = loader.finish().unwrap();
    assert!(warnings.is_empty());
    assert_eq!(data.find_indicator("x"), Some(IndicatorId(0)));
    assert_eq!(
        diagnostics("\u{feff}地区,年份,指标,值\r\n甲,24,x,1\r\n"),
        [("data-bad-year", 2, 3)]
    );
}

#[test]
fn gbk_files() {
    let text = "地区,年份,指标,值\n日照市,2024,县域就诊率,91.2%\n";
    let (bytes, _, _) = encoding_rs::GBK.encode(text);
    for encoding in [None, Some(Encoding::Gbk)] {
        let mut loader = Loader::new(LoadOptions {
            encoding,
            ..LoadOptions::default()
        });
        loader.add_bytes("gbk.csv", &bytes);
        let (data, _) = loader.finish().unwrap();
        assert_eq!(
            number(&data, "县域就诊率", "日照市", 2024),
            (91.2, "%".into())
        );
    }
    let mut loader = Loader::new(LoadOptions {
        encoding: Some(Encoding::Utf8),
        ..LoadOptions::default()
    });
    loader.add_bytes("gbk.csv", &bytes);
    let errors = finish(loader);
    assert_eq!(codes(&errors), [("data-encoding", 1, 1)]);
    assert!(
        errors[0].message.contains("offset 0"),
        "{}",
        errors[0].message
    );
}

#[test]
fn the_national_statistics_file() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/national/national_health_stats.csv"
    );
    let mut loader = Loader::new(LoadOptions::default());
    loader.add_path(std::path::Path::new(path));
    let (data, warnings) = loader.finish().unwrap_or_else(|errors| {
        panic!(
            "{}",
            errors.iter().map(render).collect::<Vec<_>>().join("\n")
        )
    });
    // Three notes in `来源` have an unquoted comma.
    assert_eq!(
        warnings
            .iter()
            .map(|warning| warning.code)
            .collect::<Vec<_>>(),
        ["data-unquoted-comma"; 3]
    );
    assert_eq!(data.entity_names().collect::<Vec<_>>(), ["全国"]);
    assert_eq!(data.observation_count(), 116);
    assert_eq!(data.year_range(), Some((2012, 2025)));
    assert_eq!(number(&data, "婴儿死亡率", "全国", 2021), (5.0, "‰".into()));
    assert_eq!(
        number(&data, "孕产妇死亡率", "全国", 2021),
        (16.1, "/10万".into())
    );
    assert_eq!(
        number(&data, "人均预期寿命", "全国", 2015),
        (76.34, "岁".into())
    );
    assert_eq!(
        number(&data, "医疗卫生机构总诊疗人次", "全国", 2023),
        (95.5, "亿人次".into())
    );
    assert_eq!(number(&data, "医护比", "全国", 2021), (1.17, ":".into()));
    let physicians = data.find_indicator("每千人口执业(助理)医师数").unwrap();
    assert_eq!(
        data.header_unit(physicians).map(|unit| &*unit.symbol),
        Some("人")
    );
    assert!(data
        .origin(physicians)
        .unwrap()
        .ends_with("national_health_stats.csv"));
}

#[test]
fn several_files_make_one_dataset() {
    let mut loader = Loader::new(LoadOptions::default());
    loader.add_str(
        "a.csv",
        "地区,上级,年份,床位数(张)\n东港区,日照市,2024,300\n",
    );
    loader.add_str("b.csv", "地区,年份,指标,值\n日照市,2024,床位数,2000张\n");
    let (data, warnings) = loader.finish().unwrap();
    assert!(warnings.is_empty(), "日照市 has rows in b.csv");
    assert_eq!(data.origin(IndicatorId(0)), Some("a.csv, b.csv"));
    assert_eq!(
        number(&data, "床位数", "日照市", 2024),
        (2000.0, "张".into())
    );

    let mut loader = Loader::new(LoadOptions::default());
    loader.add_str("a.csv", "地区,年份,指标,值\n甲,2024,x,1\n");
    loader.add_str("b.csv", "地区,年份,指标,值\n\n甲,2024,x,2\n");
    let errors = finish(loader);
    assert_eq!(codes(&errors), [("data-duplicate", 3, 10)]);
    assert_eq!(errors[0].source.name(), "b.csv");
    assert_eq!(
        errors[0].message,
        "`x` of `甲` in 2024 is given twice: `1` on line 2 of `a.csv` and `2` on line 3"
    );
}

#[test]
fn messages_name_both_places() {
    let mut loader = Loader::new(LoadOptions::default());
    loader.add_str(
        "t.csv",
        "地区,年份,指标,值\n甲,2024,床位数,5\n甲,2024,床位数,6\n",
    );
    let errors = finish(loader);
    assert_eq!(
        errors[0].message,
        "`床位数` of `甲` in 2024 is given twice: `5` on line 2 and `6` on line 3"
    );
    assert_eq!(errors[0].labels.len(), 2);
    let rendered = render(&errors[0]);
    assert!(rendered.contains("the first value"), "{rendered}");
    assert!(errors[0].help.is_some());

    let mut loader = Loader::new(LoadOptions::default());
    loader.add_str(
        "t.csv",
        "地区,上级,年份,指标,值\n甲,乙,2024,x,1\n乙,甲,2024,x,1\n",
    );
    let errors = finish(loader);
    assert_eq!(
        errors[0].message,
        "the parents form a cycle: `甲` → `乙` → `甲`"
    );
    assert_eq!(errors[0].labels.len(), 2);

    let mut loader = Loader::new(LoadOptions::default());
    loader.add_str("t.csv", "地区,年份,指标,值\n甲,2024,x,5床位\n");
    let errors = finish(loader);
    assert_eq!(errors[0].help.as_deref(), Some("did you mean `5床`?"));
}

#[test]
fn parent_created_with_a_warning() {
    let mut loader = Loader::new(LoadOptions::default());
    loader.add_str(
        "t.csv",
        "地区,上级,年份,指标,值\n东港区,日照市,2024,x,1\n岚山区,日照市,2024,x,2\n",
    );
    let (data, warnings) = loader.finish().unwrap();
    assert_eq!(codes(&warnings), [("data-parent-created", 2, 5)]);
    let city = data.find_entity("日照市").unwrap();
    assert_eq!(data.children(city).len(), 2);
    assert_eq!(data.depth(city), 0);
}

#[test]
fn repeated_problems_are_counted_not_listed() {
    let mut text = String::from(LONG);
    for year in 1000..1150 {
        text.push_str(&format!("甲,{year},x,1.2.3\n"));
    }
    let found = diagnostics(&text);
    assert_eq!(found.len(), Reporter::LIMIT + 1);
    let mut loader = Loader::new(LoadOptions::default());
    loader.add_str("t.csv", &text);
    let errors = finish(loader);
    let summary = errors.last().unwrap();
    assert_eq!(
        summary.message,
        "50 more `data-bad-number` errors in this file"
    );
    assert_eq!(summary.line_col(), (Reporter::LIMIT + 2, 10));
}

#[test]
fn too_many_units() {
    let mut text = String::from(LONG);
    let mut year = 1000;
    for multiplier in ["", "万", "亿", "千", "百万", "千万"] {
        for word in crate::unit::MEASURE_WORDS {
            text.push_str(&format!("甲,{year},x,1{multiplier}{word}\n"));
            year += 1;
        }
    }
    let found = diagnostics(&text);
    assert!(!found.is_empty());
    assert!(
        found
            .iter()
            .all(|(code, _, _)| *code == "data-too-many-units"),
        "{found:?}"
    );
}

#[test]
fn scattered_cells_are_stored_sparsely() {
    let mut csv = String::from(LONG);
    for entity in 0..500 {
        csv.push_str(&format!("e{entity},2020,dense,{entity}\n"));
    }
    csv.push_str("e0,1023,sparse,1\ne499,2020,sparse,2\ne499,2020,sparse,3\n");
    let errors = diagnostics(&csv);
    assert_eq!(errors, [("data-duplicate", 504, 18)]);
    csv.truncate(csv.len() - "e499,2020,sparse,3\n".len());
    let data = load(&csv);
    assert!(matches!(data.columns[0].layout, Layout::Dense { .. }));
    assert!(matches!(data.columns[1].layout, Layout::Sparse { .. }));
    assert_eq!(number(&data, "sparse", "e0", 1023), (1.0, "".into()));
    assert_eq!(number(&data, "sparse", "e499", 2020), (2.0, "".into()));
    assert_eq!(number(&data, "dense", "e499", 2020), (499.0, "".into()));
    assert_eq!(text(&data, "sparse", "e1", 2020), None);
    assert_eq!(text(&data, "dense", "e1", 1023), None);
    assert_eq!(data.year_range(), Some((1023, 2020)));
}

#[test]
fn unreadable_path() {
    let errors = Dataset::from_csv_path("/nonexistent/zhibiao/data.csv").unwrap_err();
    assert_eq!(codes(&errors.0), [("data-read", 1, 1)]);
}

/// A deterministic generator for the no-panic tests.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }
}

#[test]
fn random_bytes_do_not_panic() {
    let mut random = Random(0x2024_0617);
    for round in 0..400 {
        let length = random.below(400);
        let bytes: Vec<u8> = (0..length).map(|_| random.next() as u8).collect();
        let encoding = [None, Some(Encoding::Utf8), Some(Encoding::Gbk)][round % 3];
        let mut loader = Loader::new(LoadOptions {
            encoding,
            ..LoadOptions::default()
        });
        loader.add_bytes("random.csv", &bytes);
        finish(loader).iter().for_each(|diagnostic| {
            render(diagnostic);
        });
    }
}

#[test]
fn random_csv_does_not_panic() {
    const PIECES: &[&str] = &[
        ",",
        ",",
        ",",
        "\n",
        "\r\n",
        "\r",
        "\"",
        "\"\"",
        "地区",
        "年份",
        "指标",
        "值",
        "上级",
        "级别",
        "类型",
        "单位",
        "来源",
        "甲",
        "乙",
        "丙",
        "2024",
        "2025年",
        "1",
        "0",
        "92.3",
        "%",
        "‰",
        "：",
        "∶",
        "１",
        "-",
        " ",
        "(",
        ")",
        "（",
        "）",
        "万",
        "张",
        "1:",
        "\u{feff}",
        "年",
        "NA",
        "1,234",
        "二级甲等",
        "「",
        "」",
        "/10万",
        ".",
        "e",
        "床位数(张)",
        "x",
        "\t",
        "　",
    ];
    let mut random = Random(0x5eed_1234);
    for _ in 0..3000 {
        let mut text = String::new();
        if random.below(2) == 0 {
            text.push_str(["地区,年份,指标,值,上级\n", "地区,上级,年份,x,y(%)\n"][random.below(2)]);
        }
        for _ in 0..random.below(60) {
            text.push_str(PIECES[random.below(PIECES.len())]);
        }
        let mut loader = Loader::new(LoadOptions::default());
        loader.add_str("random.csv", &text);
        loader.add_bytes("again.csv", text.as_bytes());
        if let Ok((data, _)) = loader.finish() {
            for entity in 0..data.entity_count() as u32 {
                data.depth(EntityId(entity));
                data.tier(EntityId(entity));
                for indicator in 0..data.indicator_names().count() as u32 {
                    for year in [1000, 2024, 2025, 9999] {
                        data.value(IndicatorId(indicator), EntityId(entity), year);
                    }
                }
            }
        }
    }
}

#[test]
fn encodings_parse_by_name() {
    assert_eq!("UTF-8".parse(), Ok(Encoding::Utf8));
    assert_eq!("gb2312".parse(), Ok(Encoding::Gbk));
    let error = "latin1".parse::<Encoding>().unwrap_err();
    assert_eq!(
        error.to_string(),
        "unknown encoding `latin1`: expected `utf-8` or `gbk`"
    );
}
