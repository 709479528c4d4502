//! `zhibiao repl < script`: entries read line by line from standard input,
//! results printed without prompts or colour. Each test compares the whole
//! transcript (standard output and standard error as they interleave) and
//! the exit code with a snapshot.

use std::fs::File;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Runs `zhibiao repl ARGS` with `script` on standard input; returns what it
/// printed on both streams, in order, and its exit code.
fn repl(name: &str, args: &[&str], script: &str) -> String {
    let transcript = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("repl-{name}.txt"));
    let file = File::create(&transcript).expect("create the transcript file");
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .arg("repl")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::from(file.try_clone().expect("share the transcript")))
        .stderr(Stdio::from(file))
        .spawn()
        .expect("run zhibiao");
    child
        .stdin
        .take()
        .expect("standard input")
        .write_all(script.as_bytes())
        .expect("write the script");
    let status = child.wait().expect("wait for zhibiao");
    let output = std::fs::read_to_string(&transcript).expect("read the transcript");
    format!("{output}--- exit {}\n", status.code().unwrap_or(-1))
}

const RULES: &str = "tests/language/rizhao-example.rules";
const DATA: &str = "tests/repl/data.csv";

#[test]
fn a_session_with_the_rizhao_rules() {
    let script = "\
:rules
县域就诊率 @ 2023
县域就诊率 @ 2023 for each 下级
:scope each 下级
县域就诊率
:scope 日照市
cagr(床位数, 2020..2024)
(医疗服务收入 / 医疗收入) @ 2023
医疗服务收入 / 医疗收入 @ 2023
rule 县域就诊率 >= 92% by 2025
县域就诊率 >= 89% by 2025 for each 下级
:check 县域就诊率 >= 90%
:explain 县域就诊率 >= 90% 东港区
:explain #12
:as-of 2024
:explain #16
:as-of latest
:rules
:quit
县域就诊率
";
    insta::assert_snapshot!(repl("session", &[RULES, "--data", DATA], script));
}

#[test]
fn errors_render_as_diagnostics_and_the_session_goes_on() {
    let script = "\
县域就诊律 @ 2023
东港区
县域就诊率 >= 0.9 by 2025
rule 县域就诊率 >= 90% by 2025 by 2026
县域就诊率 @ 2023 by 2025
:explain #99
:explain 县域就诊率 >= 90% 东岗区
:lod rules.rules
:as-of soon
:scope 东岗区
:load tests/repl/no-such.rules
:data tests/repl/no-such.csv
县域就诊率 @ 2023
";
    insta::assert_snapshot!(repl("errors", &[RULES, "--data", DATA], script));
}

#[test]
fn declarations_persist_and_data_declares_the_rest() {
    let script = "\
:indicators
县域就诊率 @ 2024
cagr(床位数, 2020..2024)
indicator 门诊量: 万人次
indicator 床位数: number
床位数 @ 2024
indicator 床位数: 张
床位数 @ 2024 - 床位数 @ 2020
tiers 市级 > 县级
scope each 县级 under 日照市
县域就诊率 @ 2024
document \"试用\" {
  period 2023..2025
}
rule 县域就诊率 rises each year
rule share(县级,
    县域就诊率 >= 90%) >= 50% in 2025 for 日照市
  source \"续行\"
县域就诊率 @ 2024 for 日照市
:rules
:entities
";
    insta::assert_snapshot!(repl("declarations", &["--data", DATA], script));
}

#[test]
fn a_clean_script_exits_0() {
    let script = "\
// comments and blank lines are skipped

县域就诊率 @ 2025
:check #1
";
    insta::assert_snapshot!(repl("clean", &[RULES, "--data", DATA], script));
}

#[test]
fn without_data_rules_compile_but_are_not_checked() {
    let script = "\
indicator 县域就诊率: %
rule 县域就诊率 >= 90% by 2025
90% - 85%
县域就诊率 @ 2023
:check
:help
";
    insta::assert_snapshot!(repl("no-data", &[], script));
}

/// `:explain` of a sentence rule shows the reading `fmt --to en` writes
/// for it, so the analyst sees one reading wherever they look.
#[test]
fn explain_shows_a_sentence_rule_as_fmt_to_en_reads_it() {
    let fixture = "tests/repl/sentence.rules";
    let copy = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("repl-sentence.rules");
    std::fs::copy(fixture, &copy).expect("copy the fixture");
    let status = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .args(["fmt", "--to", "en"])
        .arg(&copy)
        .status()
        .expect("run zhibiao fmt");
    assert!(status.success());
    let converted = std::fs::read_to_string(&copy).expect("the converted file");
    let written: Vec<&str> = converted
        .lines()
        .filter_map(|line| line.strip_prefix("rule "))
        .collect();
    assert_eq!(written, ["县域就诊率 >= 90%  from 2024 to 2025 expected"]);
    let transcript = repl("sentence", &[fixture, "--data", DATA], ":explain #1\n");
    let shown = written[0].split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        transcript.contains(&format!("read as `{shown}`")),
        "{transcript}"
    );
}
