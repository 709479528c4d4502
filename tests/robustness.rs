//! No input makes the compiler panic or hang: random bytes, random token
//! soup, every truncation of the example files, pathological nesting and
//! lengths, and odd Unicode. Each input either compiles or gives at least
//! one diagnostic, every diagnostic renders, and whatever compiles can be
//! checked against data.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use zhibiao::data::Dataset;
use zhibiao::report::diagnostics::{render, render_json, Style};
use zhibiao::CheckOptions;

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn dataset() -> Dataset {
    Dataset::from_csv_str(
        "data.csv",
        "地区,上级,类型,年份,指标,值\n\
         日照市,,,2023,县域就诊率,89%\n\
         日照市,,,2024,县域就诊率,91%\n\
         日照市,,,2024,床位数,0\n\
         东港区,日照市,妇幼保健院,2024,县域就诊率,88%\n\
         东港区,日照市,妇幼保健院,2024,等级,二级甲等\n",
    )
    .expect("the test data loads")
}

/// What happened to one input.
#[derive(Debug, PartialEq)]
enum Result {
    Compiled,
    Diagnosed(usize),
}

/// Compiles, renders every diagnostic, and checks what compiles. Panics
/// (with the input) if anything panics or an error comes without a
/// diagnostic.
fn survive(text: &str, data: &Dataset) -> Result {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        match zhibiao::compile(text, "fuzz.rules") {
            Ok(program) => {
                let _ = program.describe();
                let report = program.check(data, &CheckOptions::default());
                let _ = zhibiao::report::json(&report);
                for diagnostic in program.warnings() {
                    let _ = render(diagnostic, Style::Plain);
                }
                Result::Compiled
            }
            Err(diagnostics) => {
                assert!(diagnostics.has_errors(), "an error without a diagnostic");
                for diagnostic in diagnostics.iter() {
                    let label = &diagnostic.labels[0].span;
                    assert!(label.end <= text.len() && label.start <= label.end);
                    assert!(text.is_char_boundary(label.start) && text.is_char_boundary(label.end));
                    assert!(!render(diagnostic, Style::Plain).is_empty());
                    let _ = render(diagnostic, Style::Fancy);
                    let _ = render_json(diagnostic);
                    let _ = diagnostic.line_col();
                }
                let _ = diagnostics.to_string();
                Result::Diagnosed(diagnostics.0.len())
            }
        }
    }));
    match outcome {
        Ok(result) => result,
        Err(_) => panic!("panicked on input {text:?}"),
    }
}

/// Runs `f` on a thread with a 2 MiB stack, the size of a test thread and
/// of many host applications' worker threads: a stack overflow aborts the
/// whole process, so this is where it would show.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic")
}

const DECLARATIONS: &str = "scope 日照市\nindicator 县域就诊率: %\nindicator 床位数: 张\nindicator 等级: grade 二级乙等 < 二级甲等\n";

#[test]
fn random_bytes() {
    let data = dataset();
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let start = Instant::now();
    let mut diagnosed = 0;
    for _ in 0..2000 {
        let length = rng.below(160);
        let bytes: Vec<u8> = (0..length).map(|_| rng.next() as u8).collect();
        let text = String::from_utf8_lossy(&bytes);
        if let Result::Diagnosed(_) = survive(&text, &data) {
            diagnosed += 1;
        }
    }
    assert!(
        diagnosed > 1500,
        "random bytes are mostly errors: {diagnosed}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn random_token_soup() {
    const TOKENS: &[&str] = &[
        "rule ",
        "rule ",
        "rule ",
        "indicator ",
        "scope ",
        "tiers ",
        "document ",
        "import ",
        "县域就诊率",
        "床位数",
        "等级",
        "下级",
        "下属",
        "上级",
        "县级",
        "日照市",
        "「A+」",
        "「",
        "」",
        "\"",
        "\"二(一)3\"",
        "90%",
        "5‰",
        "14.5/10万",
        "1:0.55",
        "0.5pp",
        "9个",
        "2025",
        "2020..2025",
        "1.8:1",
        "0",
        "-",
        "+",
        "*",
        "/",
        "(",
        ")",
        "（",
        "）",
        "{",
        "}",
        "[",
        "]",
        ",",
        "，",
        ":",
        "：",
        ">=",
        "≥",
        "<",
        "==",
        "!=",
        "≈",
        "±",
        "@",
        "by ",
        "in ",
        "from ",
        "to ",
        "for ",
        "each ",
        "under ",
        "since ",
        "source ",
        "owner ",
        "tags ",
        "expected ",
        "binding ",
        "missing as fail ",
        "and ",
        "or ",
        "not ",
        "between ",
        "rises ",
        "falls ",
        "never ",
        "year ",
        "where ",
        "类型",
        "==",
        "\"妇幼保健院\"",
        "all(",
        "any(",
        "share(",
        "count(",
        "avg(",
        "sum(",
        "min(",
        "max(",
        "cagr(",
        "growth(",
        "change(",
        "progress(",
        " ",
        " ",
        " ",
        "\n",
        "\n",
        "\n  ",
        "// c\n",
        "# c\n",
        "grade ",
        "二级甲等",
        "<",
        "ratio ",
        "床:医",
        "number",
        "%",
        "title ",
        "period ",
        "issued ",
        "2024-06-17",
        "baseline ",
        "aka ",
        "\u{3000}",
        "\t",
        "\r\n",
    ];
    let data = dataset();
    let mut rng = Rng(0x70ce_57a1_9e37_79b9);
    let start = Instant::now();
    let (mut compiled, mut diagnosed) = (0, 0);
    for _ in 0..2500 {
        let mut text = String::from(DECLARATIONS);
        for _ in 0..rng.below(40) {
            text.push_str(rng.pick(TOKENS));
        }
        match survive(&text, &data) {
            Result::Compiled => compiled += 1,
            Result::Diagnosed(_) => diagnosed += 1,
        }
    }
    assert!(
        compiled > 0 && diagnosed > 0,
        "{compiled} compiled, {diagnosed} diagnosed"
    );
    assert!(
        start.elapsed() < Duration::from_secs(15),
        "{:?}",
        start.elapsed()
    );
}

fn example_files() -> Vec<String> {
    [
        "tests/language/rizhao-example.rules",
        "tests/language/tiers-example.rules",
    ]
    .iter()
    .map(|path| {
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
            .expect("read example")
    })
    .collect()
}

#[test]
fn every_truncation_of_the_examples() {
    let data = dataset();
    let start = Instant::now();
    for text in example_files() {
        let mut cuts = 0;
        for (at, _) in text.char_indices() {
            survive(&text[..at], &data);
            cuts += 1;
        }
        assert!(cuts > 300);
        assert_eq!(survive(&text, &data), Result::Compiled);
    }
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn every_line_left_out_of_the_examples() {
    let data = dataset();
    for text in example_files() {
        let lines: Vec<&str> = text.lines().collect();
        for skip in 0..lines.len() {
            let without: Vec<&str> = lines
                .iter()
                .enumerate()
                .filter(|(at, _)| *at != skip)
                .map(|(_, line)| *line)
                .collect();
            survive(&without.join("\n"), &data);
        }
    }
}

/// Pathological inputs and the diagnostic code each must give.
fn pathological() -> Vec<(&'static str, String, Option<&'static str>)> {
    let rule = |body: String| format!("{DECLARATIONS}rule {body}\n");
    let mut nested_all = "床位数 >= 1".to_string();
    for _ in 0..60 {
        nested_all = format!("all(下级, {nested_all})");
    }
    let mut too_deep_all = "床位数 >= 1".to_string();
    for _ in 0..200 {
        too_deep_all = format!("all(下级, {too_deep_all})");
    }
    vec![
        (
            "10,000 open parentheses",
            rule("(".repeat(10_000)),
            Some("too-deep"),
        ),
        (
            "10,000 balanced parentheses",
            rule(format!(
                "{}床位数{} >= 1 by 2025",
                "(".repeat(10_000),
                ")".repeat(10_000)
            )),
            Some("too-deep"),
        ),
        (
            "10,000 nots",
            rule(format!(
                "{}县域就诊率 >= 90% by 2025",
                "not ".repeat(10_000)
            )),
            Some("too-complex"),
        ),
        (
            "10,000 minus signs",
            rule(format!("{}床位数 >= 1 by 2025", "-".repeat(10_000))),
            Some("too-complex"),
        ),
        (
            "a sum of 10,000 terms",
            rule(format!("床位数{} >= 1 by 2025", " + 床位数".repeat(10_000))),
            Some("too-complex"),
        ),
        (
            "a product of 10,000 factors",
            rule(format!("床位数{} >= 1 by 2025", " * 2".repeat(10_000))),
            Some("too-complex"),
        ),
        (
            "10,000 conditions joined by and",
            rule(format!(
                "床位数 >= 1{} by 2025",
                " and 县域就诊率 >= 90%".repeat(10_000)
            )),
            None,
        ),
        (
            "60 nested all(下级, …)",
            rule(format!("{nested_all} by 2025")),
            None,
        ),
        (
            "200 nested all(下级, …)",
            rule(format!("{too_deep_all} by 2025")),
            Some("too-deep"),
        ),
        (
            "256 nots within 63 brackets",
            rule(format!(
                "{}{}县域就诊率 >= 90%{} by 2025",
                "(".repeat(63),
                "not ".repeat(256),
                ")".repeat(63)
            )),
            None,
        ),
        (
            "256 minus signs",
            rule(format!("{}床位数 >= 1 by 2025", "-".repeat(256))),
            None,
        ),
        (
            "a line of 200,000 name characters",
            rule(format!("{} >= 1 by 2025", "县".repeat(200_000))),
            Some("unknown-indicator"),
        ),
        (
            "a string of 200,000 characters",
            rule(format!("\"{}\" 床位数 >= 1 by 2025", "字".repeat(200_000))),
            None,
        ),
        (
            "a number of 100,000 digits",
            rule(format!("床位数 >= {} by 2025", "9".repeat(100_000))),
            Some("number-out-of-range"),
        ),
        (
            "an unclosed string of 100,000 characters",
            rule(format!("\"{} by 2025", "字".repeat(100_000))),
            Some("syntax"),
        ),
        (
            "10,000 rules on one line",
            format!(
                "{DECLARATIONS}{}\n",
                "rule 床位数 >= 1 by 2025 ".repeat(10_000)
            ),
            Some("syntax"),
        ),
        (
            "a year of 10,000 digits",
            rule(format!("床位数 >= 1 by {}", "2".repeat(10_000))),
            Some("syntax"),
        ),
        (
            "10,000 indented continuation lines",
            rule(format!("床位数 >= 1{}", "\n  // more\n  ".repeat(10_000))),
            None,
        ),
        (
            "10,000 unclosed document blocks",
            "document \"x\" {\n".repeat(10_000),
            Some("syntax"),
        ),
    ]
}

#[test]
fn pathological_inputs_are_diagnosed_quickly() {
    on_small_stack(|| {
        let data = dataset();
        for (what, text, code) in pathological() {
            let start = Instant::now();
            let result = catch_unwind(AssertUnwindSafe(|| zhibiao::compile(&text, "deep.rules")))
                .unwrap_or_else(|_| panic!("{what}: panicked"));
            match (code, result) {
                (None, Ok(program)) => {
                    let _ = program.describe();
                    let _ = program.check(&data, &CheckOptions::default());
                }
                (Some(code), Err(diagnostics)) => {
                    let codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
                    assert!(codes.contains(&code), "{what}: {codes:?}, expected {code}");
                    for diagnostic in diagnostics.iter() {
                        let _ = render(diagnostic, Style::Plain);
                    }
                }
                (None, Err(diagnostics)) => panic!("{what}: does not compile: {diagnostics}"),
                (Some(code), Ok(_)) => panic!("{what}: compiles, expected {code}"),
            }
            assert!(
                start.elapsed() < Duration::from_secs(5),
                "{what}: {:?}",
                start.elapsed()
            );
        }
    });
}

#[test]
fn odd_unicode() {
    let data = dataset();
    let inputs = [
        // Full-width punctuation and digits throughout.
        "scope 日照市\nindicator 县域就诊率：%\nrule 县域就诊率 ＞＝ ９０％ by ２０２５\n",
        "scope 日照市\nindicator 县域就诊率：%\nrule all（下级，县域就诊率 ≥ 90％） by 2025\n",
        "scope 日照市\nindicator 县域就诊率:%\nrule 县域就诊率 ＞＝ 90％\u{3000}by\u{3000}2025\n",
        // Combining marks on a name and on an operator.
        "scope 日照市\nindicator 县域就诊率\u{301}: %\nrule 县域就诊率\u{301} >= 90% by 2025\n",
        "scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率 >\u{301}= 90% by 2025\n",
        "scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率\u{301} >= 90% by 2025\n",
        // Right-to-left names and bidirectional overrides.
        "scope مدينة\nindicator نسبة: %\nrule نسبة >= 90% by 2025\n",
        "scope 日照市\nindicator 县域就诊率: %\nrule \u{202e}县域就诊率 >= 90% by 2025\n",
        "scope 日照市\nindicator עברית: %\nrule עברית >= 90% by 2025 source \"\u{202b}א\u{202c}\"\n",
        // Emoji, joiners, variation selectors, invisible characters.
        "scope 日照市\nindicator 😀: %\nrule 😀 >= 90% by 2025\n",
        "scope 日照市\nindicator 「👩\u{200d}⚕️」: %\nrule 「👩\u{200d}⚕️」 >= 90% by 2025\n",
        "scope 日照市\nindicator 县域\u{200b}就诊率: %\nrule 县域就诊率 >= 90% by 2025\n",
        "scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率 >= 90%\u{fe0f} by 2025\n",
        // A byte-order mark, NUL, lone carriage returns, other line breaks.
        "\u{feff}scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率 >= 90% by 2025\n",
        "scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率 >= 90%\0 by 2025\n",
        "scope 日照市\rindicator 县域就诊率: %\rrule 县域就诊率 >= 90% by 2025\r",
        "scope 日照市\u{2028}indicator 县域就诊率: %\u{2029}rule 县域就诊率 >= 90% by 2025\u{85}",
        "scope 日照市\r\nindicator 县域就诊率: %\r\nrule 县域就诊率 >= 90% by 2025\r\n",
        // Other scripts' digits and look-alike symbols.
        "scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率 >= ٩٠% by ٢٠٢٥\n",
        "scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率 ≧ 90% by 2025\n",
        "scope 日照市\nindicator 县域就诊率: %\nrule 县域就诊率 >= 90﹪ by 2025\n",
        "scope 日照市\nindicator 县域就诊率: ％\nrule 县域就诊率 ⩾ 90% by 2025\n",
        // Unpaired quotes and brackets of other kinds.
        "scope 日照市\nindicator 「县域就诊率: %\nrule 县域就诊率 >= 90% by 2025\n",
        "scope 日照市\nindicator 县域就诊率」: %\nrule 「」 >= 90% by 2025\n",
        "scope 日照市\nindicator 县域就诊率: %\nrule “县域” 县域就诊率 >= 90% by 2025\n",
        "scope 日照市\nindicator 县域就诊率: %\nrule 【县域就诊率】 >= 90% by 2025\n",
        // Only white space, only comments, empty.
        "",
        "\n\n\n",
        "\u{3000}\u{3000}\n\t\t\n",
        "// 只有注释\n# comment\n",
    ];
    for text in inputs {
        survive(text, &data);
    }
}

#[test]
fn the_binary_survives_a_nasty_file() {
    let dir = std::env::temp_dir().join(format!("zhibiao-robustness-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut text = String::new();
    for (_, input, _) in pathological() {
        let mut cut = input.len().min(20_000);
        while !input.is_char_boundary(cut) {
            cut -= 1;
        }
        text.push_str(&input[..cut]);
        text.push('\n');
    }
    text.push_str("rule \u{202e}😀 >= ٩٠% \0 by 2025\n\"unclosed\n{{{{\n");
    let path = dir.join("nasty.rules");
    std::fs::write(&path, &text).expect("write");
    let data = dir.join("data.csv");
    std::fs::write(&data, "地区,年份,指标,值\n日照市,2024,床位数,1\n").expect("write");

    let lint = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .env("NO_COLOR", "1")
        .arg("lint")
        .arg(&path)
        .output()
        .expect("run zhibiao");
    assert_eq!(
        lint.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&lint.stderr)
    );
    let stderr = String::from_utf8_lossy(&lint.stderr);
    assert!(stderr.contains("too-deep") && stderr.contains("too-complex"));

    let check = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .env("NO_COLOR", "1")
        .arg("check")
        .arg(&path)
        .arg("--data")
        .arg(&data)
        .output()
        .expect("run zhibiao");
    assert_eq!(check.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&check.stderr).contains("nothing was checked"));

    // Binary junk as a rule file: a diagnostic, not a crash.
    let junk = dir.join("junk.rules");
    std::fs::write(&junk, [0xff, 0xfe, 0x00, 0xc3, 0x28, b'\n']).expect("write");
    let output = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .args(["lint", "--format", "json"])
        .arg(&junk)
        .output()
        .expect("run zhibiao");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stdout).contains("unreadable-file"));
    let _ = std::fs::remove_dir_all(&dir);
}
