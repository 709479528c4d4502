//! The compiled meaning of rules: what each rule of LANGUAGE.md §2 means once
//! names are resolved and every literal is canonical (90% → 0.9, 14.5/10万 →
//! 0.000145, 1:0.55 → 0.55), read through the public inspection API
//! (`RuleInfo::describe`, `kind`, `timing`, `scope`, `condition_summary`).

use zhibiao::Program;
use zhibiao::{ScopeIr, SetKind, Timing};

fn compile_file(path: &str) -> Program {
    let text = std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{path}: {error}"));
    match zhibiao::compile(&text, path) {
        Ok(program) => {
            assert!(
                program.warnings().is_empty(),
                "{path} compiles with warnings: {:?}",
                program.warnings()
            );
            program
        }
        Err(diagnostics) => panic!("{path} does not compile: {diagnostics}"),
    }
}

/// Compares the description of every rule, in order, line by line, so a
/// failure names the rule that differs.
fn assert_meanings(program: &Program, expected: &[&str]) {
    let found: Vec<String> = program.rules().map(|rule| rule.describe()).collect();
    for (at, (found, expected)) in found.iter().zip(expected).enumerate() {
        assert_eq!(found, expected, "rule {} differs", at + 1);
    }
    assert_eq!(found.len(), expected.len(), "number of rules");
}

#[test]
fn rizhao_example_rules_mean_what_they_say() {
    let program = compile_file("tests/language/rizhao-example.rules");
    assert_meanings(
        &program,
        &[
            "compare: 县域就诊率 >= 0.9 [%]; by 2025; entity 日照市; binding",
            "compare: 县域基层门急诊人次占比 >= 0.65 [%]; from 2024 to 2025; entity 日照市; binding",
            "compare: 省级临床重点专科数 >= 9 [个]; by 2025; entity 日照市; binding",
            "compare: 床医比 >= 0.55 [ratio 床:医]; by 2025; entity 日照市; binding",
            "compare: 孕产妇死亡率 < 0.000145 [/10万]; by 2025; entity 日照市; binding",
            // 4.8 per 10 000 people is 0.00048 per person.
            "compare: 每万人口全科医生数 >= 0.00048 [人/万人]; by 2025; entity 日照市; binding",
            "compare: share(下属 where 类型 == \"妇幼保健院\", 妇幼保健机构等级 >= 二级甲等 [grade]) >= 0.75 [%]; by 2025; entity 日照市; binding",
            "all: all(下级, 安宁疗护病区数 >= 1 [个]); by 2025; entity 日照市; binding",
            "trend: 病例组合指数 rises each year over 2023..2025 [number]; from 2023 to 2025; entity 日照市; binding",
            "trend: 门诊出院人次比 falls each year over 2023..2025 [number]; from 2023 to 2025; entity 日照市; binding",
            "trend: 近视率 falls by >= 0.005 each year over 2021..2025 [%]; from 2021 to 2025; entity 日照市; binding",
            "compare: cagr(中药材产业链综合产值, 2020..2025) >= 0.115 [% (relative change)]; no year, due 2025; entity 日照市; expected",
            "compare: 法定传染病报告发病率 < 法定传染病报告发病率 @ 上级 [/10万]; no year, as of; entity 日照市; binding",
            "between: 新增三级医院数 between 1 and 2 [家]; by 2027; entity 日照市; binding",
            "approx: 村医执业医师比例 ≈ 0.6 ± 0.02 [%]; by 2025; entity 日照市; binding",
            "compare: (医疗服务收入 / 医疗收入) >= 0.38 [%]; by 2027; entity 日照市; binding",
            "compare: 县域就诊率 >= 0.9 [%]; by 2025; each 下级 under 日照市; binding",
        ],
    );
}

#[test]
fn rizhao_example_structured_accessors() {
    let program = compile_file("tests/language/rizhao-example.rules");
    let rules: Vec<_> = program.rules().collect();
    let first = &rules[0];
    assert_eq!(first.kind(), "compare");
    assert_eq!(first.timing(), Timing::By { year: 2025 });
    assert_eq!(first.scope(), &ScopeIr::Entity("日照市".to_string()));
    assert_eq!(first.source(), Some("二(一)3"));
    assert_eq!(first.owner(), Some("市卫生健康委"));
    assert!(first.binding());
    assert_eq!(first.line(), 27);
    let document = first.document().expect("the file has a document block");
    assert_eq!(document.id, "日政办字〔2024〕23号");
    assert_eq!(document.issued.as_deref(), Some("2024-06-17"));
    assert_eq!(document.period, Some((2024, 2025)));

    assert_eq!(
        rules[1].timing(),
        Timing::Every {
            from: 2024,
            to: 2025
        }
    );
    assert_eq!(rules[1].source(), Some("二(一)4"));
    assert_eq!(rules[6].name(), "妇幼二甲占比");
    assert_eq!(rules[7].kind(), "all");
    assert_eq!(rules[8].kind(), "trend");
    assert_eq!(rules[11].timing(), Timing::Implicit { due: Some(2025) });
    assert!(!rules[11].binding(), "`expected` makes a rule 预期性");
    assert_eq!(rules[12].timing(), Timing::Implicit { due: None });
    assert_eq!(rules[13].kind(), "between");
    assert_eq!(rules[14].kind(), "approx");
    // The rule written over three lines keeps its clauses.
    let last = rules.last().unwrap();
    assert_eq!(last.source(), Some("二(一)3"));
    assert_eq!(
        last.scope(),
        &ScopeIr::Each {
            tier: SetKind::Children,
            under: Some("日照市".to_string())
        }
    );
    assert_eq!(
        last.text(),
        "rule 县域就诊率 >= 90% by 2025 for each 下级 source \"二(一)3\""
    );
}

#[test]
fn tiers_example_rules_mean_what_they_say() {
    let program = compile_file("tests/language/tiers-example.rules");
    let county = "each 县级 (depth 3) under 山东省";
    assert_meanings(
        &program,
        &[
            &format!("compare: 县域就诊率 >= 0.9 [%]; by 2025; {county}; binding"),
            &format!("trend: 每千人口床位数 never falls over 2016..2025 [张/千人]; from 2016 to 2025; {county}; binding"),
            &format!("compare: growth(婴儿死亡率, 2020..2025) <= -0.2 [% (relative change)]; no year, due 2025; {county}; binding"),
            &format!("compare: avg(指标003, 2021..2025) >= 105 [number]; no year, due 2025; {county}; binding"),
            // `for each` replaces the file's scope: every province.
            "compare: share(县级 (depth 3), 县域就诊率 >= 0.9 [%]) >= 0.75 [%]; in 2025; each 省级 (depth 1); binding",
            "compare: 孕产妇死亡率 < 孕产妇死亡率 @ 上级 [/10万]; in 2025; each 县级 (depth 3); binding",
        ],
    );
    let rules: Vec<_> = program.rules().collect();
    assert_eq!(
        rules[0].scope(),
        &ScopeIr::Each {
            tier: SetKind::Tier {
                name: "县级".to_string(),
                depth: Some(3)
            },
            under: Some("山东省".to_string())
        }
    );
    assert_eq!(rules[4].timing(), Timing::In { year: 2025 });
}

#[test]
fn program_describe_lists_every_rule_with_its_place() {
    let program = compile_file("tests/language/tiers-example.rules");
    let text = program.describe();
    assert_eq!(text.lines().count(), 12);
    assert!(text.starts_with(
        "tests/language/tiers-example.rules:9 县域就诊率 >= 90%\n  compare: 县域就诊率 >= 0.9 [%]; by 2025;"
    ));
}

const DECLARATIONS: &str = "\
scope 日照市
tiers 全国 > 省级 > 市级 > 县级
indicator 县域就诊率: %
indicator 婴儿死亡率: ‰
indicator 孕产妇死亡率: 1/10万
indicator 床医比: ratio 床:医
indicator 千人医师数: 人/千人
indicator 卫生总费用: 亿元
indicator 产值: 万元
indicator 床位数: 张
indicator 预期寿命: 岁
indicator 病例组合指数: number
indicator 等级: grade 二级乙等 < 二级甲等 < 三级甲等
indicator 「5岁以下儿童死亡率」: ‰
indicator 「每千常住人口执业(助理)医师数」: 人/千人 aka 医师数
";

/// One rule and its meaning (the condition summary, then timing and
/// scope), compiled below the declarations above.
macro_rules! meaning {
    ($($name:ident: $rule:expr => $expected:expr,)*) => {$(
        #[test]
        fn $name() {
            let text = format!("{DECLARATIONS}rule {}\n", $rule);
            let program = match zhibiao::compile(&text, "meaning.rules") {
                Ok(program) => program,
                Err(diagnostics) => panic!("`{}` does not compile: {diagnostics}", $rule),
            };
            let rule = program.rules().next().expect("one rule");
            let found = format!("{}; {}; {}", rule.condition_summary(), rule.timing(), rule.scope());
            assert_eq!(found, $expected, "rule `{}`", $rule);
        }
    )*};
}

meaning! {
    permille: "婴儿死亡率 < 5.2‰ by 2025" => "婴儿死亡率 < 0.0052 [‰]; by 2025; entity 日照市",
    per_hundred_thousand_written_out: "孕产妇死亡率 <= 14.5/100000 by 2025" => "孕产妇死亡率 <= 0.000145 [/10万]; by 2025; entity 日照市",
    ratio_in_a_different_notation: "孕产妇死亡率 < 0.2‰ by 2025" => "孕产妇死亡率 < 0.0002 [/10万]; by 2025; entity 日照市",
    full_width_percent_and_operator: "县域就诊率 ≥ 90％ by 2025" => "县域就诊率 >= 0.9 [%]; by 2025; entity 日照市",
    full_width_comparators: "县域就诊率 ＞＝ 90% by 2025" => "县域就诊率 >= 0.9 [%]; by 2025; entity 日照市",
    full_width_ratio_colon: "床医比 >= 1∶0.55 by 2025" => "床医比 >= 0.55 [ratio 床:医]; by 2025; entity 日照市",
    rate_per_thousand: "千人医师数 >= 3.0 by 2025" => "千人医师数 >= 0.003 [人/千人]; by 2025; entity 日照市",
    bare_number_in_declared_money: "卫生总费用 >= 100 by 2025" => "卫生总费用 >= 10000000000 [亿元]; by 2025; entity 日照市",
    money_with_its_unit: "产值 >= 21.74亿元 by 2025" => "产值 >= 2174000000 [万元]; by 2025; entity 日照市",
    count_with_measure_word: "床位数 >= 200张 in 2024" => "床位数 >= 200 [张]; in 2024; entity 日照市",
    years_of_age: "预期寿命 >= 78.2岁 by 2025" => "预期寿命 >= 78.2 [岁]; by 2025; entity 日照市",
    plain_number: "病例组合指数 >= 1.05 by 2025" => "病例组合指数 >= 1.05 [number]; by 2025; entity 日照市",
    points_in_chinese: "县域就诊率 rises by >= 0.5个百分点 each year from 2021 to 2025" => "县域就诊率 rises by >= 0.005 each year over 2021..2025 [%]; from 2021 to 2025; entity 日照市",
    relative_step_on_a_count: "床位数 rises by >= 5% each year from 2021 to 2025" => "床位数 rises by >= 0.05 (relative) each year over 2021..2025 [张]; from 2021 to 2025; entity 日照市",
    change_in_points: "change(县域就诊率, 2020..2025) >= 2pp" => "change(县域就诊率, 2020..2025) >= 0.02 [个百分点]; no year, due 2025; entity 日照市",
    value_in_a_year: "县域就诊率 >= 县域就诊率 @ 2020 + 5pp by 2025" => "县域就诊率 >= (县域就诊率 @ 2020 + 0.05) [%]; by 2025; entity 日照市",
    named_entity: "县域就诊率 >= 县域就诊率 @ 山东省 by 2025" => "县域就诊率 >= 县域就诊率 @ 山东省 [%]; by 2025; entity 日照市",
    aggregate_over_children: "avg(下级, 县域就诊率) >= 90% by 2025" => "avg(下级, 县域就诊率) >= 0.9 [%]; by 2025; entity 日照市",
    count_of_a_filtered_set: "count(下属 where 类型 == \"乡镇卫生院\") >= 3个 by 2025" => "count(下属 where 类型 == \"乡镇卫生院\") >= 3 [个]; by 2025; entity 日照市",
    grade_comparison: "等级 >= 二级甲等 by 2025" => "等级 >= 二级甲等 [grade]; by 2025; entity 日照市",
    any_with_a_filter: "any(下级 where 县域就诊率 < 80%, 床位数 >= 100) in 2024" => "any(下级 where 县域就诊率 < 0.8 [%], 床位数 >= 100 [张]); in 2024; entity 日照市",
    approx_with_default_tolerance: "病例组合指数 ≈ 1.0 by 2025" => "病例组合指数 ≈ 1 ± the run's default (relative) [number]; by 2025; entity 日照市",
    and_or_not: "县域就诊率 >= 90% and not 婴儿死亡率 > 5‰ or 床位数 >= 1 by 2025" => "((县域就诊率 >= 0.9 [%] and not 婴儿死亡率 > 0.005 [‰]) or 床位数 >= 1 [张]); by 2025; entity 日照市",
    quoted_name_starting_with_a_digit: "「5岁以下儿童死亡率」 < 6.6‰ by 2025" => "5岁以下儿童死亡率 < 0.0066 [‰]; by 2025; entity 日照市",
    quoted_name_with_brackets_and_its_alias: "医师数 >= 3.2 by 2025" => "每千常住人口执业(助理)医师数 >= 0.0032 [人/千人]; by 2025; entity 日照市",
    keyword_ends_a_cjk_name: "县域就诊率 >= 90% for each 县级in 2025" => "县域就诊率 >= 0.9 [%]; in 2025; each 县级 (depth 3) under 日照市",
    for_one_entity: "县域就诊率 >= 90% by 2025 for 东港区" => "县域就诊率 >= 0.9 [%]; by 2025; entity 东港区",
    for_each_tier_under: "县域就诊率 >= 90% by 2025 for each 县级 under 日照市" => "县域就诊率 >= 0.9 [%]; by 2025; each 县级 (depth 3) under 日照市",
    clauses_in_any_order: "县域就诊率 >= 90% owner \"委\" for 东港区 by 2025 source \"一\"" => "县域就诊率 >= 0.9 [%]; by 2025; entity 东港区",
    sum_over_years: "sum(床位数, 2021..2025) >= 1000 by 2025" => "sum(床位数, 2021..2025) >= 1000 [张]; by 2025; entity 日照市",
    permille_step_in_its_own_notation: "婴儿死亡率 falls by >= 0.5‰ each year from 2021 to 2025" => "婴儿死亡率 falls by >= 0.0005 each year over 2021..2025 [‰]; from 2021 to 2025; entity 日照市",
    permille_points: "婴儿死亡率 falls by >= 0.5个千分点 each year from 2021 to 2025" => "婴儿死亡率 falls by >= 0.0005 each year over 2021..2025 [‰]; from 2021 to 2025; entity 日照市",
    percentage_points_on_permille: "婴儿死亡率 falls by >= 0.05pp each year from 2021 to 2025" => "婴儿死亡率 falls by >= 0.0005 each year over 2021..2025 [‰]; from 2021 to 2025; entity 日照市",
    step_per_hundred_thousand: "孕产妇死亡率 falls by >= 1/10万 each year from 2021 to 2025" => "孕产妇死亡率 falls by >= 0.00001 each year over 2021..2025 [/10万]; from 2021 to 2025; entity 日照市",
    bare_step_of_a_declared_ratio: "床医比 rises by >= 0.01 each year from 2021 to 2025" => "床医比 rises by >= 0.01 each year over 2021..2025 [ratio 床:医]; from 2021 to 2025; entity 日照市",
    change_of_permille_against_permille: "change(婴儿死亡率, 2020..2025) <= -1‰" => "change(婴儿死亡率, 2020..2025) <= -0.001 [‰]; no year, due 2025; entity 日照市",
    change_of_a_declared_ratio: "change(床医比, 2020..2025) >= 0.1" => "change(床医比, 2020..2025) >= 0.1 [ratio 床:医]; no year, due 2025; entity 日照市",
    approx_permille: "婴儿死亡率 ≈ 5‰ ± 0.5‰ by 2025" => "婴儿死亡率 ≈ 0.005 ± 0.0005 [‰]; by 2025; entity 日照市",
    cagr_on_money: "cagr(产值, 2020..2025) >= 11.5%" => "cagr(产值, 2020..2025) >= 0.115 [% (relative change)]; no year, due 2025; entity 日照市",
}

#[test]
fn metadata_clauses() {
    let text = format!(
        "{DECLARATIONS}rule \"甲\" 县域就诊率 >= 90% by 2025 since 2020 tags [\"a\", \"b\"] missing as fail expected owner \"委\" source \"一(1)\"\n"
    );
    let program = zhibiao::compile(&text, "meta.rules").unwrap();
    let rule = program.rules().next().unwrap();
    assert_eq!(rule.name(), "甲");
    assert_eq!(rule.since(), Some(2020));
    assert_eq!(rule.tags(), ["a", "b"]);
    assert!(rule.missing_as_fail());
    assert!(!rule.binding());
    assert_eq!(rule.owner(), Some("委"));
    assert_eq!(rule.source(), Some("一(1)"));
    assert_eq!(
        rule.describe(),
        "compare: 县域就诊率 >= 0.9 [%]; by 2025; entity 日照市; expected; since 2020; missing as fail"
    );
}

#[test]
fn scope_statements_aliases_comments_and_full_width_brackets() {
    let text = "\
scope 日照市
indicator 县域就诊率: % aka 就诊率, 县域内就诊率
indicator 「A#1」: %
rule 县域就诊率 >= 90% by 2025 for 东港区expected
rule 就诊率 >= 90% by 2025   # a comment
rule 「A#1」 >= 1% by 2025 // a comment
scope 岚山区
rule 县域内就诊率 >= 91% in 2024
rule all（下级，县域就诊率 ≥ 90%） by 2025
";
    let program = zhibiao::compile(text, "scopes.rules").expect("compiles");
    assert_meanings(
        &program,
        &[
            // `expected` ends the name `东港区`.
            "compare: 县域就诊率 >= 0.9 [%]; by 2025; entity 东港区; expected",
            // Aliases resolve to the declared name.
            "compare: 县域就诊率 >= 0.9 [%]; by 2025; entity 日照市; binding",
            // `#` inside 「」 is part of the name.
            "compare: A#1 >= 0.01 [%]; by 2025; entity 日照市; binding",
            // A second `scope` applies to the rules after it.
            "compare: 县域就诊率 >= 0.91 [%]; in 2024; entity 岚山区; binding",
            "all: all(下级, 县域就诊率 >= 0.9 [%]); by 2025; entity 岚山区; binding",
        ],
    );
    let indicators: Vec<(&str, String, Vec<String>)> = program
        .indicators()
        .map(|(name, unit, aliases)| (name, unit.to_string(), aliases.to_vec()))
        .collect();
    assert_eq!(
        indicators[0],
        (
            "县域就诊率",
            "%".to_string(),
            vec!["就诊率".to_string(), "县域内就诊率".to_string()]
        )
    );
}

#[test]
fn imported_declarations() {
    let dir = std::env::temp_dir().join(format!("zhibiao-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("catalogue.rules"),
        "tiers 全国 > 省级 > 市级 > 县级\nindicator 县域就诊率: %\nrule 县域就诊率 >= 1% by 2025 for 甲\n",
    )
    .unwrap();
    let main = dir.join("main.rules");
    std::fs::write(
        &main,
        "import \"catalogue.rules\"\nrule 县域就诊率 >= 90% by 2025 for each 县级\n",
    )
    .unwrap();
    let program = zhibiao::compile_paths(&[main]).expect("compiles");
    // The catalogue's rules are not added; its indicators and tiers are.
    assert_meanings(
        &program,
        &["compare: 县域就诊率 >= 0.9 [%]; by 2025; each 县级 (depth 3); binding"],
    );
    let _ = std::fs::remove_dir_all(&dir);
}
