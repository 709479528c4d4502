//! The command line: `zhibiao lint`, `check`, `repl`, `units`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diag::Diagnostic;
use crate::report::diagnostics::{render, render_json, Style};

/// Check quantified policy targets against indicator data.
#[derive(Debug, Parser)]
#[command(name = "zhibiao", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Compile rule files and report every problem in them
    Lint {
        /// Rule files, or directories searched for `*.rules`
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format
        #[arg(long, value_enum, default_value_t = LintFormat::Text)]
        format: LintFormat,
    },
    /// Print the table of units and measure words
    Units,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LintFormat {
    Text,
    Json,
}

/// Exit codes: 0 all good, 1 a binding target failed, 2 errors in input.
pub const EXIT_FAILED_TARGETS: u8 = 1;
pub const EXIT_BAD_INPUT: u8 = 2;

/// Runs the command line and returns the process's exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { EXIT_BAD_INPUT } else { 0 });
        }
    };
    match cli.command {
        Command::Lint { paths, format } => lint(&paths, format),
        Command::Units => units(),
    }
}

fn lint(paths: &[PathBuf], format: LintFormat) -> ExitCode {
    let mut diagnostics = Vec::new();
    let files = crate::compile::rule_files(paths, &mut diagnostics);
    let mut rules = 0;
    for path in &files {
        match crate::compile::compile_paths(std::slice::from_ref(path)) {
            Ok(program) => {
                rules += program.rule_count();
                diagnostics.extend(program.warnings().iter().cloned());
            }
            Err(found) => diagnostics.extend(found),
        }
    }
    print_diagnostics(&diagnostics, format == LintFormat::Json);
    let errors = diagnostics.iter().filter(|diagnostic| diagnostic.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if format == LintFormat::Text {
        eprintln!(
            "{} file{}, {rules} rule{}: {errors} error{}, {warnings} warning{}",
            files.len(),
            plural(files.len()),
            plural(rules),
            plural(errors),
            plural(warnings)
        );
    }
    if errors > 0 {
        ExitCode::from(EXIT_BAD_INPUT)
    } else {
        ExitCode::SUCCESS
    }
}

/// Prints diagnostics to standard error, or as JSON lines to standard output.
pub fn print_diagnostics(diagnostics: &[Diagnostic], json: bool) {
    if json {
        let mut out = std::io::stdout().lock();
        for diagnostic in diagnostics {
            let _ = writeln!(out, "{}", render_json(diagnostic));
        }
        return;
    }
    let style = Style::detect(std::io::stderr().is_terminal());
    let mut err = std::io::stderr().lock();
    for diagnostic in diagnostics {
        let _ = write!(err, "{}", render(diagnostic, style));
    }
}

fn units() -> ExitCode {
    println!("{:<40} {:<20} canonical value of 1", "written", "measures");
    for (symbol, dimension, scale) in crate::unit::table() {
        println!("{symbol:<40} {dimension:<20} {scale}");
    }
    ExitCode::SUCCESS
}

pub fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}
