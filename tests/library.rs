//! The library as a host uses it: only the public API, a program and an
//! in-memory dataset shared by threads, data behind references, boxes and `Arc`s,
//! reports read back from JSON, and the program's catalogue (also printed
//! by `zhibiao rules`).

use std::process::Command;
use std::sync::Arc;
use std::thread;

use zhibiao::data::{DataSource, Dataset, DatasetBuilder};
use zhibiao::{CheckOptions, Program, Report, Status};

const RULES: &str = r#"
document "日政办字〔2024〕23号" { title "日照市卫生健康事业发展规划" }
scope each 下级 under 日照市
indicator 县域就诊率: %
indicator 床位数: 张 aka 实有床位数
rule 县域就诊率 >= 90% by 2025 source "二(一)3"
rule 床位数 >= 100 by 2025
"#;

/// Data built in memory, call by call, not read from a file.
fn dataset() -> Dataset {
    let mut data = DatasetBuilder::new();
    data.entity("日照市", None).tier("日照市", "市");
    data.number("日照市", 2025, "县域就诊率", 92.0, Some("%"));
    for (county, share, beds) in [("东港区", 95, 120), ("岚山区", 85, 90), ("五莲县", 91, 100)]
    {
        data.entity(county, Some("日照市")).tier(county, "区县");
        data.number(county, 2025, "县域就诊率", f64::from(share), Some("%"));
        data.number(county, 2025, "床位数", f64::from(beds), None);
    }
    let (data, warnings) = data.build().expect("the data is valid");
    assert!(warnings.is_empty(), "{warnings:?}");
    data
}

fn program() -> Program {
    zhibiao::compile(RULES, "rizhao.rules").expect("the rules compile")
}

#[test]
fn four_threads_share_one_program_and_one_dataset() {
    let program = Arc::new(program());
    let data = Arc::new(dataset());
    let alone = program.check(&data, &CheckOptions::default());
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let program = Arc::clone(&program);
            let data = Arc::clone(&data);
            thread::spawn(move || program.check(&data, &CheckOptions::default()))
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().expect("a thread"), alone);
    }
    let failed: Vec<(&str, &str)> = alone
        .outcomes
        .iter()
        .filter(|outcome| outcome.status == Status::Fail)
        .map(|outcome| (outcome.entity.as_str(), outcome.rule.name.as_str()))
        .collect();
    assert_eq!(
        failed,
        [("岚山区", "县域就诊率 >= 90%"), ("岚山区", "床位数 >= 100")]
    );
}

#[test]
fn data_behind_references_boxes_and_arcs_gives_one_report() {
    let program = program();
    let options = CheckOptions::default();
    let direct = program.check(&dataset(), &options);
    let boxed: Box<dyn DataSource> = Box::new(dataset());
    let shared = Arc::new(dataset());
    assert_eq!(program.check(&boxed, &options), direct);
    assert_eq!(program.check(&shared, &options), direct);
    assert_eq!(program.check(&&shared, &options), direct);
}

#[test]
fn a_report_reads_back_from_its_json() {
    let mut options = CheckOptions::default();
    options.as_of = Some(2024);
    let report = program().check(&dataset(), &options);
    assert!(report.outcomes.iter().any(|o| o.status == Status::Pending));
    let json = zhibiao::report::json(&report);
    let read: Report = serde_json::from_str(&json).expect("the report reads back");
    assert_eq!(read, report);
}

#[test]
fn the_catalogue_lists_documents_indicators_and_rules() {
    let catalogue = program().catalogue();
    assert_eq!(catalogue.documents[0].id, "日政办字〔2024〕23号");
    let indicators: Vec<(&str, &str, &[String])> = catalogue
        .indicators
        .iter()
        .map(|i| (i.name.as_str(), i.unit.as_str(), i.aliases.as_slice()))
        .collect();
    assert_eq!(
        indicators,
        [
            ("县域就诊率", "%", &[][..]),
            ("床位数", "张", &["实有床位数".to_string()][..])
        ]
    );
    let rule = &catalogue.rules[0];
    assert_eq!(rule.rule.source.as_deref(), Some("二(一)3"));
    assert_eq!(rule.rule.document.as_deref(), Some("日政办字〔2024〕23号"));
    assert_eq!(
        (rule.rule.file.as_str(), rule.rule.line),
        ("rizhao.rules", 6)
    );
    assert_eq!(rule.indicators, ["县域就诊率"]);
}

#[test]
fn zhibiao_rules_prints_the_catalogue() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_zhibiao"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(args)
            .output()
            .expect("run zhibiao")
    };
    let json = run(&["rules", "--format", "json", "rules/rizhao-2024.rules"]);
    assert_eq!(json.status.code(), Some(0));
    let catalogue: zhibiao::Catalogue =
        serde_json::from_slice(&json.stdout).expect("the catalogue as JSON");
    let program = zhibiao::compile_paths(&["rules/rizhao-2024.rules".into()]).expect("compiles");
    assert_eq!(catalogue, program.catalogue());
    assert!(!catalogue.rules.is_empty());

    let text = run(&["rules", "rules/rizhao-2024.rules"]);
    let text = String::from_utf8(text.stdout).expect("UTF-8");
    let first = &catalogue.rules[0];
    assert!(
        text.contains(&format!(
            "{}:{}: {}",
            first.rule.file, first.rule.line, first.rule.text
        )),
        "{text}"
    );
    assert_eq!(
        run(&["rules", "tests/codes/absent.rules"]).status.code(),
        Some(2)
    );
}
