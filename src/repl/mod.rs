//! `zhibiao repl`: an interactive session. Type a rule to check it at once,
//! a value to see it per entity, a declaration to keep it, or a command
//! (`:help`). On a terminal it is a line editor with completion, hints,
//! highlighting and history; with standard input not a terminal it reads
//! entries line by line and prints results without prompts or colour,
//! exiting 2 if any entry failed.
//!
//! - `session`: the state (declarations, rules, data, as-of, scope) and what
//!   an entry does to it;
//! - `input`: what an entry is, and whether its brackets are closed;
//! - `commands`: the `:` commands;
//! - `explain`: `:explain`, the arithmetic behind an outcome;
//! - `render`: values, lists and declarations as text;
//! - `helper`: the line editor's completion, hints, highlighting and
//!   multi-line validation.

mod commands;
mod compile;
mod explain;
mod helper;
mod input;
mod render;
mod session;
mod trace;
mod written;

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;
use rustyline::{CompletionType, Config, Editor};

use crate::report::diagnostics::{render as render_diagnostic, Style};
use helper::ReplHelper;
pub use session::{Piece, Reply, Session};

/// The prompt of an interactive session.
pub const PROMPT: &str = "zhibiao> ";

/// Runs a session: loads the rule and data files given, then reads entries
/// from the terminal, or from standard input when it is not one.
pub fn run(rules: &[PathBuf], data: &[PathBuf], allow_import: &[PathBuf]) -> ExitCode {
    let interactive = std::io::stdin().is_terminal();
    let styles = if interactive {
        Styles {
            out: Style::detect(std::io::stdout().is_terminal()),
            err: Style::detect(std::io::stderr().is_terminal()),
        }
    } else {
        Styles {
            out: Style::Plain,
            err: Style::Plain,
        }
    };
    let mut session = Session::new(styles.out);
    session.allow_import = allow_import.to_vec();
    let mut startup = Reply::default();
    if !rules.is_empty() {
        startup.extend(session.load_rules(rules));
    }
    if !data.is_empty() {
        startup.extend(session.load_data(data));
    }
    print_reply(&startup, styles);
    if interactive {
        interactive_session(session, styles)
    } else {
        script(session, styles, startup.failed)
    }
}

/// How results and diagnostics are written.
#[derive(Debug, Clone, Copy)]
struct Styles {
    out: Style,
    err: Style,
}

/// Prints results to standard output and errors to standard error, in order.
fn print_reply(reply: &Reply, styles: Styles) {
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    for piece in &reply.pieces {
        match piece {
            Piece::Text(text) => {
                let _ = out.write_all(text.as_bytes());
                let _ = out.flush();
            }
            Piece::Diagnostic(diagnostic) => {
                let _ = write!(err, "{}", render_diagnostic(diagnostic, styles.err));
                let _ = err.flush();
            }
            Piece::Error(message) => {
                let label = render::paint("error", "1;31", styles.err);
                let _ = writeln!(err, "{label}: {message}");
                let _ = err.flush();
            }
        }
    }
}

fn exit_code(failed: bool) -> ExitCode {
    if failed {
        ExitCode::from(crate::front::EXIT_BAD_INPUT)
    } else {
        ExitCode::SUCCESS
    }
}

/// Reads entries from standard input. As in a rule file, an entry goes on
/// while brackets are open and on the indented lines after it, so it runs
/// when the next line starts anew, a blank line follows, or input ends;
/// a command runs at once. Exits 2 if any entry failed.
fn script(mut session: Session, styles: Styles, mut failed: bool) -> ExitCode {
    let stdin = std::io::stdin().lock();
    let mut entry = String::new();
    let mut first_line = 0;
    let mut run = |entry: &mut String, first_line: usize, failed: &mut bool| -> bool {
        let reply = session.entry(entry, &format!("<stdin:{first_line}>"));
        entry.clear();
        *failed |= reply.failed;
        print_reply(&reply, styles);
        reply.quit
    };
    for (at, line) in stdin.lines().enumerate() {
        let line = match line {
            Ok(line) => line,
            Err(error) => {
                print_reply(
                    &Reply::error(format!("cannot read standard input: {error}")),
                    styles,
                );
                return exit_code(true);
            }
        };
        if !entry.is_empty() {
            let indented = line.starts_with([' ', '\t', '\u{3000}']) && !line.trim().is_empty();
            // A blank line or a command ends even an entry with brackets open.
            let open = !input::is_complete(&entry) && !input::ends_entry(&line);
            if open || indented && !input::ends_entry(&line) {
                entry.push('\n');
                entry.push_str(&line);
                continue;
            }
            if run(&mut entry, first_line, &mut failed) {
                return exit_code(failed);
            }
        }
        let kind = input::classify(&line);
        if kind == input::Input::Empty {
            continue;
        }
        first_line = at + 1;
        entry.push_str(&line);
        if matches!(kind, input::Input::Command { .. }) && run(&mut entry, first_line, &mut failed)
        {
            return exit_code(failed);
        }
    }
    if !entry.is_empty() {
        run(&mut entry, first_line, &mut failed);
    }
    exit_code(failed)
}

/// The line editor's session, with history in the user's data directory.
fn interactive_session(mut session: Session, styles: Styles) -> ExitCode {
    let config = Config::builder()
        .history_ignore_space(true)
        .completion_type(CompletionType::List)
        .auto_add_history(false)
        .max_history_size(1000)
        .and_then(|builder| builder.history_ignore_dups(true))
        .map(|builder| builder.build())
        .unwrap_or_default();
    let mut editor: Editor<ReplHelper, FileHistory> = match Editor::with_config(config) {
        Ok(editor) => editor,
        Err(error) => {
            print_reply(
                &Reply::error(format!("cannot start the line editor: {error}")),
                styles,
            );
            return exit_code(true);
        }
    };
    editor.set_helper(Some(ReplHelper::new(styles.out == Style::Fancy)));
    let history = history_path();
    if let Some(path) = &history {
        let _ = editor.load_history(path);
    }
    println!(
        "zhibiao {} — type a rule, a value or a declaration; :help lists the commands, Ctrl-D leaves",
        env!("CARGO_PKG_VERSION")
    );
    let mut count = 0;
    loop {
        if let Some(helper) = editor.helper_mut() {
            helper.names = session.names();
        }
        match editor.readline(PROMPT) {
            Ok(line) => {
                if !line.trim().is_empty() {
                    count += 1;
                    let _ = editor.add_history_entry(line.as_str());
                    save_history(&mut editor, history.as_deref());
                }
                let reply = session.entry(&line, &format!("<input {count}>"));
                print_reply(&reply, styles);
                if reply.quit {
                    break;
                }
            }
            // Ctrl-C cancels the line being typed.
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(error) => {
                print_reply(
                    &Reply::error(format!("cannot read a line: {error}")),
                    styles,
                );
                return exit_code(true);
            }
        }
    }
    save_history(&mut editor, history.as_deref());
    ExitCode::SUCCESS
}

/// `zhibiao/history` in the user's data directory
/// (`$XDG_DATA_HOME`, `~/.local/share` on Linux).
fn history_path() -> Option<PathBuf> {
    let dir = dirs::data_dir()?.join("zhibiao");
    std::fs::create_dir_all(&dir).ok()?;
    Some(dir.join("history"))
}

fn save_history(editor: &mut Editor<ReplHelper, FileHistory>, path: Option<&Path>) {
    if let Some(path) = path {
        let _ = editor.save_history(path);
    }
}
