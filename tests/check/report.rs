//! `zhibiao check`: the JSON report, and the library giving the same one as the binary.

use super::*;

#[test]
fn json_schema() {
    for (rules, data) in [
        ("statuses.rules", "region.csv"),
        ("timing.rules", "region.csv"),
        ("trends.rules", "region.csv"),
        ("functions.rules", "region.csv"),
        ("entities.rules", "region.csv"),
        ("values.rules", "region.csv"),
    ] {
        let (_, report) = check_json(rules, &[data], &[]);
        assert_eq!(report["schema"], 1);
        assert_eq!(report["as_of"], 2024);
        let mut counted = BTreeMap::<String, u64>::new();
        for outcome in outcomes(&report) {
            let rule = &outcome["rule"];
            assert!(
                rule["name"].as_str().is_some_and(|name| !name.is_empty()),
                "{outcome}"
            );
            assert!(
                rule["text"]
                    .as_str()
                    .is_some_and(|text| text.starts_with("rule ")),
                "{outcome}"
            );
            assert_eq!(rule["file"], format!("tests/check/{rules}"));
            assert!(rule["line"].as_u64().is_some_and(|line| line > 0));
            assert!(rule["binding"].is_boolean());
            assert!(outcome["entity"]
                .as_str()
                .is_some_and(|entity| !entity.is_empty()));
            let status = outcome["status"].as_str().expect("status");
            assert!(
                matches!(status, "pass" | "fail" | "pending" | "missing" | "error"),
                "{status}"
            );
            *counted.entry(status.to_string()).or_default() += 1;
            let years = outcome["years"].as_array().expect("years");
            assert!(years.iter().all(|year| year
                .as_i64()
                .is_some_and(|year| (1900..=2200).contains(&year))));
            match status {
                "missing" => {
                    let gaps = outcome["missing"]
                        .as_array()
                        .expect("a missing outcome names what");
                    assert!(!gaps.is_empty());
                    for gap in gaps {
                        assert!(
                            gap["indicator"].is_string()
                                && gap["entity"].is_string()
                                && gap["year"].is_i64()
                        );
                    }
                    assert!(outcome["detail"]
                        .as_str()
                        .is_some_and(|detail| detail.starts_with("no value of ")));
                }
                "error" => assert!(outcome["detail"].is_string(), "an error is explained"),
                "pending" => assert_eq!(years.len(), 1, "a pending outcome gives its deadline"),
                _ => {}
            }
        }
        for status in ["pass", "fail", "pending", "missing", "error"] {
            assert_eq!(
                report["summary"][status].as_u64().unwrap(),
                counted.get(status).copied().unwrap_or(0),
                "{rules}: summary of {status}"
            );
        }
    }
}

#[test]
fn library_and_binary_agree() {
    let text = std::fs::read_to_string(root().join("tests/check/units.rules")).unwrap();
    let program = zhibiao::compile(&text, "tests/check/units.rules").unwrap();
    let mut loader = zhibiao::data::Loader::new(zhibiao::data::LoadOptions::default());
    loader.add_path(&root().join("tests/check/units-wide.csv"));
    loader.add_path(&root().join("tests/check/units-long.csv"));
    let (data, warnings) = loader.finish().expect("the data loads");
    assert!(warnings.is_empty());
    let report = program.check(&data, &zhibiao::CheckOptions::default());
    let from_library: Value = serde_json::from_str(&zhibiao::report::json(&report)).unwrap();
    let (_, from_binary) = check_json("units.rules", &["units-wide.csv", "units-long.csv"], &[]);
    assert_eq!(statuses(&from_library), statuses(&from_binary));
    assert_eq!(from_library["summary"], from_binary["summary"]);
}
