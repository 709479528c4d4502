//! Rules written as the policy sentence: each compiles to exactly what the
//! symbolic rule compiles to (`Program::describe` of both), sentences read
//! verbatim from the five source documents against the rule files in
//! `rules/`, diagnostics for sentences that cannot be read, and `zhibiao
//! fmt` converting between the phrasings without changing any meaning.

use zhibiao::Program;

fn compiled(text: &str) -> Program {
    zhibiao::compile(text, "phrasing.rules")
        .unwrap_or_else(|diagnostics| panic!("does not compile:\n{text}\n{diagnostics:?}"))
}

/// The meaning of every rule of a program, without file and line.
fn meanings(program: &Program) -> Vec<String> {
    program.rules().map(|rule| rule.describe()).collect()
}

const DECLARATIONS: &str = r#"document "示例" { baseline 2020  period 2021..2025 }
scope 日照市
indicator 县域就诊率: %
indicator 婴儿死亡率: ‰
indicator 孕产妇系统管理率: %
indicator 每千人托位数: 个 aka 每千人口拥有3岁以下婴幼儿托位数
indicator 病例组合指数: number aka CMI
indicator 床医比: ratio 床:医
indicator 医护比: ratio 医:护
indicator 每万人口全科医生数: 人/万人 aka 每万人口全科医生
indicator 中药材产业链综合产值: 万元
indicator 近视率: %
indicator 人均预期寿命: 岁
indicator 安宁疗护病区数: 处 aka 安宁疗护病区
indicator 新增三级医院数: 家 aka 新增三级医院
indicator 村医执业医师比例: %
indicator 本地感染疟疾病例数: 例 aka 本地感染疟疾病例
indicator 每千人口床位数: 张/千人
indicator 妇幼保健机构等级: grade 二级乙等 < 二级甲等 < 三级乙等 < 三级甲等 aka 「县(区)级妇幼保健机构」
indicator 家庭医生签约服务覆盖率: % aka 家庭医生签约服务
"#;

/// Each sentence rule and the symbolic rules it must compile to.
const SAME_MEANING: &[(&str, &[&str])] = &[
    (
        "到2025年，县域就诊率保持在90%以上。",
        &["县域就诊率 >= 90% from 2021 to 2025"],
    ),
    ("婴儿死亡率低于5.2‰ by 2025", &["婴儿死亡率 < 5.2‰ by 2025"]),
    (
        "到2025年和2027年，孕产妇系统管理率分别达到92%和95%",
        &[
            "孕产妇系统管理率 >= 92% by 2025",
            "孕产妇系统管理率 >= 95% by 2027",
        ],
    ),
    (
        "每千人托位数不少于4.5个 by 2025",
        &["每千人托位数 >= 4.5 by 2025"],
    ),
    (
        "病例组合指数逐年提升",
        &["病例组合指数 rises each year from 2021 to 2025"],
    ),
    (
        "到2025年，CMI值逐年提升",
        &["病例组合指数 rises each year from 2021 to 2025"],
    ),
    (
        "床医比、医护比分别达到1∶0.55、1∶1.2 by 2025",
        &["床医比 >= 1:0.55 by 2025", "医护比 >= 1:1.2 by 2025"],
    ),
    (
        "到2025年，每万人口全科医生达到4.8人",
        &["每万人口全科医生数 >= 4.8 by 2025"],
    ),
    (
        "到“十四五”末，县域就诊率超过90%",
        &["县域就诊率 > 90% by 2025"],
    ),
    (
        "2025年底前县域就诊率不低于90%",
        &["县域就诊率 >= 90% by 2025"],
    ),
    (
        "力争中药材产业链综合产值年均增速11.5%",
        &["cagr(中药材产业链综合产值, 2020..2025) >= 11.5% by 2025 expected"],
    ),
    (
        "近视率每年降低0.5个百分点以上",
        &["近视率 falls by >= 0.5pp each year from 2021 to 2025"],
    ),
    (
        "到2025年，婴儿死亡率较2020年下降15%",
        &["growth(婴儿死亡率, 2020..2025) <= -15% by 2025"],
    ),
    (
        "人均预期寿命在2022年基础上提高0.5岁 by 2025",
        &["change(人均预期寿命, 2022..2025) >= 0.5岁 by 2025"],
    ),
    (
        "每千人口床位数从4.8张提高到5.2张 by 2025",
        &["每千人口床位数 >= 5.2 by 2025"],
    ),
    (
        "每区县至少设置1处安宁疗护病区 by 2025",
        &["all(下级, 安宁疗护病区数 >= 1处) by 2025"],
    ),
    (
        "新增三级医院1—2家 by 2025",
        &["新增三级医院数 between 1 and 2 by 2025"],
    ),
    (
        "村医执业医师比例提高到60%左右 by 2025",
        &["村医执业医师比例 ≈ 60% by 2025"],
    ),
    (
        "本地感染疟疾病例持续清零",
        &["本地感染疟疾病例数 == 0 from 2021 to 2025"],
    ),
    (
        "到2025年，县域就诊率超过90%，婴儿死亡率低于5.2‰",
        &["县域就诊率 > 90% by 2025", "婴儿死亡率 < 5.2‰ by 2025"],
    ),
    (
        "家庭医生签约服务实现全覆盖 by 2025",
        &["家庭医生签约服务覆盖率 >= 100% by 2025"],
    ),
    (
        "每千人口床位数只增不减",
        &["每千人口床位数 never falls from 2021 to 2025"],
    ),
    (
        "每千人口床位数逐步提高",
        &["每千人口床位数 > 每千人口床位数 @ 2020 by 2025"],
    ),
    ("新增三级医院三家 by 2025", &["新增三级医院数 >= 3 by 2025"]),
    (
        "到2025年，婴兒死亡率低於5.2‰",
        &["婴儿死亡率 < 5.2‰ by 2025"],
    ),
    (
        "75%以上县(区)级妇幼保健机构达到二级甲等标准 by 2025",
        &["share(下属, 妇幼保健机构等级 >= 二级甲等) >= 75% by 2025"],
    ),
];

/// The meanings of a file's rules, or its diagnostics as text.
fn meanings_of(text: &str) -> Result<Vec<String>, String> {
    zhibiao::compile(text, "phrasing.rules")
        .map(|program| meanings(&program))
        .map_err(|diagnostics| {
            diagnostics
                .iter()
                .map(|d| format!("{}: {}", d.code, d.message))
                .collect::<Vec<_>>()
                .join("; ")
        })
}

#[test]
fn sentences_compile_to_their_symbolic_rules() {
    let mut failures = Vec::new();
    for (sentence, symbolic) in SAME_MEANING {
        let read = meanings_of(&format!("{DECLARATIONS}rule {sentence}\n"));
        let written: String = symbolic
            .iter()
            .map(|rule| format!("rule {rule}\n"))
            .collect();
        let expected = meanings(&compiled(&format!("{DECLARATIONS}{written}")));
        if read.as_ref() != Ok(&expected) {
            failures.push(format!(
                "{sentence}\n  read:     {read:?}\n  expected: {expected:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// One row of `tests/phrasing/sentences.tsv`: a rule file, the lines of the
/// symbolic rules a sentence of its document states, the sentence as the
/// document prints it, and the clauses the sentence does not say.
struct Row<'a> {
    file: &'a str,
    lines: Vec<usize>,
    sentence: &'a str,
    clauses: &'a str,
}

fn rows(table: &str) -> Vec<Row<'_>> {
    table
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert!(fields.len() >= 3, "a row has file, lines, sentence: {line}");
            Row {
                file: fields[0],
                lines: fields[1]
                    .split(',')
                    .map(|line| line.trim().parse().expect("a line number"))
                    .collect(),
                sentence: fields[2],
                clauses: fields.get(3).copied().unwrap_or(""),
            }
        })
        .collect()
}

/// Every sentence of the table is in its source document as printed, and
/// reads as exactly the symbolic rules of `rules/` it is paired with: the
/// sentence rule is added to the rule file, so it reads against the
/// file's own declarations, scope and document.
#[test]
fn document_sentences_mean_what_the_rule_files_say() {
    let table = std::fs::read_to_string("tests/phrasing/sentences.tsv").expect("the table");
    let rows = rows(&table);
    let mut failures = Vec::new();
    let mut covered = std::collections::BTreeSet::new();
    for (at, row) in rows.iter().enumerate() {
        let path = format!("rules/{}.rules", row.file);
        let rules = std::fs::read_to_string(&path).expect("a rule file");
        let document = std::fs::read_to_string(format!("rules/sources/{}.txt", row.file))
            .expect("a source document");
        if !document.contains(row.sentence) {
            failures.push(format!(
                "row {}: not in the document: {}",
                at + 1,
                row.sentence
            ));
            continue;
        }
        let program = compiled(&rules);
        let expected: Vec<String> = row
            .lines
            .iter()
            .map(|line| {
                program
                    .rules()
                    .find(|rule| rule.line() == *line)
                    .unwrap_or_else(|| panic!("{path}:{line} is no rule"))
                    .describe()
            })
            .collect();
        let probe = format!("{rules}\nrule \"probe\" {} {}\n", row.sentence, row.clauses);
        let read = zhibiao::compile(&probe, &path)
            .map(|program| {
                program
                    .rules()
                    .filter(|rule| rule.name().starts_with("probe"))
                    .map(|rule| rule.describe())
                    .collect::<Vec<_>>()
            })
            .map_err(|diagnostics| {
                diagnostics
                    .iter()
                    .map(|d| format!("{}: {}", d.code, d.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            });
        let same_as: Vec<usize> = read
            .iter()
            .flatten()
            .filter_map(|meaning| {
                program
                    .rules()
                    .find(|rule| rule.describe() == *meaning)
                    .map(|rule| rule.line())
            })
            .collect();
        if read.as_ref() == Ok(&expected) {
            covered.extend(row.lines.iter().map(|line| (row.file, *line)));
        } else {
            failures.push(format!(
                "row {}: {}:{:?} {} {}\n  read:     {read:?} (as the rules at lines {same_as:?})\n  expected: {expected:?}",
                at + 1,
                row.file,
                row.lines,
                row.sentence,
                row.clauses
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(rows.len() >= 150, "{} sentences", rows.len());
    eprintln!(
        "{} sentences state {} rules of rules/",
        rows.len(),
        covered.len()
    );
}

/// One row of `tests/phrasing/excluded.tsv`: a rule of `rules/` that no
/// sentence of its document states as a sentence rule could, and why.
struct Exclusion<'a> {
    file: &'a str,
    line: usize,
    reason: &'a str,
}

fn exclusions(table: &str) -> Vec<Exclusion<'_>> {
    table
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert!(fields.len() == 3, "a row has file, line, reason: {line}");
            Exclusion {
                file: fields[0],
                line: fields[1].trim().parse().expect("a line number"),
                reason: fields[2].trim(),
            }
        })
        .collect()
}

/// The number of rules of `rules/` no sentence states, each with its reason
/// in `tests/phrasing/excluded.tsv`: changing the list changes this count.
const EXCLUDED: usize = 142;

/// Every rule of every file of `rules/` is either stated by a sentence of
/// the table or excluded with a reason, never both, and nothing else is
/// listed: the sentence table covers the rule files completely.
#[test]
fn every_rule_is_a_sentence_or_an_explicit_exclusion() {
    let table = std::fs::read_to_string("tests/phrasing/sentences.tsv").expect("the table");
    let excluded = std::fs::read_to_string("tests/phrasing/excluded.tsv").expect("the exclusions");
    let stated: std::collections::BTreeSet<(&str, usize)> = rows(&table)
        .iter()
        .flat_map(|row| row.lines.iter().map(|line| (row.file, *line)))
        .collect();
    let exclusions = exclusions(&excluded);
    let mut rules = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir("rules").expect("rules/") {
        let path = entry.expect("an entry").path();
        if path
            .extension()
            .is_some_and(|extension| extension == "rules")
        {
            let file = path.file_stem().unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(&path).expect("a rule file");
            for rule in compiled(&text).rules() {
                rules.insert((file.clone(), rule.line()));
            }
        }
    }
    let mut problems = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for exclusion in &exclusions {
        let key = (exclusion.file.to_string(), exclusion.line);
        if exclusion.reason.is_empty() {
            problems.push(format!("{}:{} is excluded without a reason", key.0, key.1));
        }
        if !rules.contains(&key) {
            problems.push(format!("{}:{} is excluded but is no rule", key.0, key.1));
        }
        if stated.contains(&(exclusion.file, exclusion.line)) {
            problems.push(format!("{}:{} is both stated and excluded", key.0, key.1));
        }
        if !seen.insert(key.clone()) {
            problems.push(format!("{}:{} is excluded twice", key.0, key.1));
        }
    }
    for (file, line) in &stated {
        if !rules.contains(&(file.to_string(), *line)) {
            problems.push(format!(
                "{file}:{line} is stated by a sentence but is no rule"
            ));
        }
    }
    for (file, line) in &rules {
        if !stated.contains(&(file.as_str(), *line)) && !seen.contains(&(file.clone(), *line)) {
            problems.push(format!("{file}:{line} is neither stated nor excluded"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    eprintln!(
        "{} rules of rules/: {} stated by a sentence, {} excluded",
        rules.len(),
        stated.len(),
        exclusions.len()
    );
    assert_eq!(exclusions.len(), EXCLUDED, "the count of exclusions");
    assert_eq!(stated.len() + exclusions.len(), rules.len());
}

fn zhibiao(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .args(args)
        .output()
        .expect("zhibiao runs")
}

/// A scratch copy of a file, in a directory of its own for this test.
fn scratch(test: &str, name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("zhibiao-phrasing-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("a scratch file");
    path
}

/// `fmt --to zh` and then `--to en` change no rule's meaning in any file of
/// `rules/`, keep every comment, and `--to zh` really writes sentences.
#[test]
fn fmt_round_trips_every_rule_file() {
    let mut sentences = 0;
    for entry in std::fs::read_dir("rules").expect("rules/") {
        let path = entry.expect("an entry").path();
        if path
            .extension()
            .is_none_or(|extension| extension != "rules")
        {
            continue;
        }
        let original = std::fs::read_to_string(&path).expect("a rule file");
        let expected = meanings(&compiled(&original));
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let copy = scratch("round-trip", &name, &original);
        let copy_text = copy.to_string_lossy().to_string();
        for to in ["zh", "en"] {
            let output = zhibiao(&["fmt", "--to", to, &copy_text]);
            assert!(output.status.success(), "fmt --to {to} {name}: {output:?}");
            let converted = std::fs::read_to_string(&copy).expect("the converted file");
            let found =
                meanings_of(&converted).unwrap_or_else(|error| panic!("{name} --to {to}: {error}"));
            assert_eq!(found, expected, "{name} after --to {to}");
            for line in original.lines() {
                if let Some(at) = line.find("// ") {
                    let comment = line[at..].trim();
                    assert!(
                        converted.contains(comment),
                        "{name} --to {to} lost `{comment}`"
                    );
                }
            }
            if to == "en" {
                // Every sentence `--to zh` wrote is a symbolic rule again.
                let left: Vec<String> = compiled(&converted)
                    .rules()
                    .filter(|rule| rule.symbolic().is_some())
                    .map(|rule| rule.text().to_string())
                    .collect();
                assert!(left.is_empty(), "{name} --to en left sentences: {left:?}");
            }
            if to == "zh" {
                sentences += converted
                    .lines()
                    .filter(|line| {
                        line.starts_with("rule ")
                            && (line.contains('，')
                                || line.contains("不低于")
                                || line.contains("逐年"))
                    })
                    .count();
            }
        }
        let check = zhibiao(&["fmt", "--check", &copy_text]);
        assert!(
            check.status.success(),
            "{name} is formatted after fmt: {check:?}"
        );
    }
    assert!(sentences > 100, "only {sentences} rules became sentences");
}

/// A file that is not formatted fails `fmt --check` and is left as it is.
#[test]
fn fmt_check_names_an_unformatted_file() {
    let text = format!("{DECLARATIONS}rule 县域就诊率 >= 90% by 2025   \n\n\n");
    let path = scratch("check", "unformatted.rules", &text);
    let output = zhibiao(&["fmt", "--check", &path.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("is not formatted"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

/// Sentences that cannot be read are coded diagnostics that underline the
/// part not understood; an ambiguous one names both readings.
#[test]
fn unreadable_sentences_are_diagnostics() {
    for (sentence, code, underlined, help) in [
        (
            "到2025年，县域就诊率明年更好",
            "sentence-no-target",
            "",
            "县域就诊率达到90%以上",
        ),
        (
            "到2025年，县域就诊率保持在90%",
            "sentence-ambiguous",
            "90%",
            "90%左右",
        ),
        (
            "到2025年，就诊比例达到90%以上",
            "sentence-no-indicator",
            "90%",
            "declared",
        ),
        (
            "县域就诊率不少于90%以下 by 2025",
            "sentence-ambiguous",
            "不少于90%以下",
            "不少于90%",
        ),
        (
            "到2025年，县域就诊率达到以上",
            "sentence-no-target",
            "以上",
            "县域就诊率达到90%以上",
        ),
        (
            "县域就诊率约90%以上 by 2025",
            "sentence-ambiguous",
            "约",
            "≈ 90%",
        ),
    ] {
        let text = format!("{DECLARATIONS}rule {sentence}\n");
        let Err(diagnostics) = zhibiao::compile(&text, "sentence.rules") else {
            panic!("{sentence} compiles");
        };
        let diagnostic = diagnostics.iter().next().expect("a diagnostic");
        assert_eq!(diagnostic.code, code, "{sentence}: {}", diagnostic.message);
        let label = diagnostic.labels.first().expect("a label");
        let shown = &text[label.span.clone()];
        assert!(
            shown.contains(underlined),
            "{sentence}: underlined `{shown}`"
        );
        let help_text = diagnostic.help.clone().unwrap_or_default();
        assert!(help_text.contains(help), "{sentence}: help `{help_text}`");
    }
}
