//! `zhibiao repl` on a terminal: the real binary driven through a
//! pseudo-terminal. Every step waits for the output it causes (never a
//! sleep), with generous timeouts for slow machines. HOME and XDG_DATA_HOME
//! point into the target directory, so history never touches a real home.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use expectrl::{ControlCode, Eof, Regex, Session};

const RULES: &str = "tests/language/rizhao-example.rules";
const DATA: &str = "tests/repl/data.csv";
const PROMPT: &str = "zhibiao> ";

/// A fresh home directory for one test.
fn home(name: &str) -> PathBuf {
    let home = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("repl-pty-{name}"));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).expect("create a home directory");
    home
}

fn spawn(home: &Path, args: &[&str]) -> Session {
    let mut command = Command::new(env!("CARGO_BIN_EXE_zhibiao"));
    command
        .arg("repl")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("TERM", "xterm")
        // Plain output: what is matched below is the text itself.
        .env("NO_COLOR", "1");
    let mut session = Session::spawn(command).expect("spawn zhibiao repl on a pty");
    session.set_expect_timeout(Some(Duration::from_secs(60)));
    session
}

/// Types a line and waits for `answer` in what follows, then for the prompt.
fn ask(session: &mut Session, line: &str, answer: &str) {
    session.send_line(line).expect("type a line");
    session
        .expect(answer)
        .unwrap_or_else(|error| panic!("after `{line}`, expected `{answer}`: {error}"));
    session
        .expect(PROMPT)
        .unwrap_or_else(|error| panic!("no prompt after `{line}`: {error}"));
}

#[test]
fn a_session_on_a_terminal() {
    let home = home("session");
    let mut session = spawn(&home, &[RULES, "--data", DATA]);
    session
        .expect("loaded tests/language/rizhao-example.rules")
        .unwrap();
    session.expect("declared from the data: 床位数").unwrap();
    session.expect(PROMPT).unwrap();

    // Tab completes a CJK indicator name: had it not, `县域就 @ 2023`
    // would be an unknown indicator.
    session.send("县域就").unwrap();
    session.send("\t").unwrap();
    ask(&mut session, " @ 2023", "日照市  90.1%");

    // Two candidates: Tab twice lists them; Ctrl-C cancels the line.
    session.send("县域").unwrap();
    session.send("\t\t").unwrap();
    session.expect("县域基层门急诊人次占比").unwrap();
    // The list is followed by the line redrawn after a prompt; type only
    // once the prompt after Ctrl-C shows, as input sent before it is lost.
    session.expect(PROMPT).unwrap();
    session.send(ControlCode::EndOfText).unwrap();
    session.expect(PROMPT).unwrap();

    // A command completes too.
    session.send(":scop").unwrap();
    session.send("\t").unwrap();
    ask(
        &mut session,
        "each 下级",
        "scope each 下级 under 日照市: 3 entities",
    );
    ask(&mut session, ":scope 日照市", "scope 日照市: 1 entity");

    // A rule is checked at once; a value prints in its unit.
    ask(
        &mut session,
        "rule 县域就诊率 >= 92% by 2025",
        "1 outcomes as of 2025: 1 未达标 fail",
    );
    ask(&mut session, "cagr(床位数, 2020..2024)", "日照市  3.85315%");

    // An open bracket continues the entry on the next line.
    session.send_line("avg(下级,").unwrap();
    ask(&mut session, "县域就诊率)", "日照市  90%");

    // An error renders as a diagnostic pointing into the typed line, and
    // the session goes on with everything loaded.
    session.send_line("县域就诊律 @ 2023").unwrap();
    session.expect("unknown indicator `县域就诊律`").unwrap();
    session.expect(Regex(r"<input \d+>:1:1")).unwrap();
    session.expect("did you mean `县域就诊率`?").unwrap();
    session.expect(PROMPT).unwrap();

    // :explain shows the values and arithmetic behind an outcome.
    session.send_line(":explain #16").unwrap();
    session.expect("医疗服务收入 / 医疗收入 ≥ 38%").unwrap();
    session
        .expect("医疗服务收入 / 医疗收入 = 70500万元 / 190000万元 = 37.1053%")
        .unwrap();
    session.expect("values read:").unwrap();
    session
        .expect(Regex("医疗收入 +日照市 +2025 +190000万元"))
        .unwrap();
    session.expect(PROMPT).unwrap();

    // Ctrl-D leaves, with exit status 0.
    session.send(ControlCode::EndOfTransmission).unwrap();
    session.expect(Eof).unwrap();
    let status = session.get_process().wait().expect("wait for zhibiao");
    assert_eq!(
        format!("{status:?}").rsplit(", ").next(),
        Some("0)"),
        "{status:?}"
    );

    // The history is in the data directory, and holds what was typed.
    let history = std::fs::read_to_string(home.join("data/zhibiao/history"))
        .expect("history saved in $XDG_DATA_HOME/zhibiao/history");
    assert!(
        history.contains("rule 县域就诊率 >= 92% by 2025"),
        "{history}"
    );
    assert!(history.contains("县域就诊率 @ 2023"), "{history}");
}

#[test]
fn history_is_kept_between_sessions() {
    let home = home("history");
    let mut session = spawn(&home, &["--data", DATA]);
    session.expect(PROMPT).unwrap();
    ask(&mut session, "县域就诊率 @ 2024", "日照市  90.6%");
    ask(&mut session, ":as-of", "as of 2025");
    session.send_line(":quit").unwrap();
    session.expect(Eof).unwrap();

    let mut session = spawn(&home, &["--data", DATA]);
    session.expect(PROMPT).unwrap();
    // Up recalls the lines typed in the session before, latest first.
    session.send("\u{1b}[A\u{1b}[A\u{1b}[A").unwrap();
    ask(&mut session, "", "日照市  90.6%");
    session.send(ControlCode::EndOfTransmission).unwrap();
    session.expect(Eof).unwrap();
}
