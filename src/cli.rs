//! The command line: `zhibiao lint`, `check`, `repl`, `units`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::data::{DataSource, Encoding, LoadOptions, Loader};
use crate::diag::Diagnostic;
use crate::eval::outcome::Status;
use crate::eval::progress::{Category, Thresholds};
use crate::eval::CheckOptions;
use crate::front::{plural, EXIT_BAD_INPUT};
use crate::report::diagnostics::{render, render_json, Style};
use crate::report::table::{GroupBy, TableOptions};

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
        /// Fail (exit 2) on warnings too
        #[arg(long)]
        strict: bool,
    },
    /// Check rules against indicator data
    Check(CheckArgs),
    /// An interactive session: check rules, read values, explain outcomes
    Repl {
        /// Rule files, or directories searched for `*.rules`
        rules: Vec<PathBuf>,
        /// Data files (CSV, long or wide; UTF-8 or GBK)
        #[arg(long, short, num_args = 1..)]
        data: Vec<PathBuf>,
    },
    /// List the documents, indicators and rules of rule files
    Rules {
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

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Rule files, or directories searched for `*.rules`
    #[arg(required = true)]
    rules: Vec<PathBuf>,
    /// Data files (CSV, long or wide; UTF-8 or GBK)
    #[arg(long, short, required = true, num_args = 1..)]
    data: Vec<PathBuf>,
    /// Check as of this year (default: the latest year in the data)
    #[arg(long)]
    as_of: Option<i32>,
    /// Show only this entity
    #[arg(long)]
    entity: Option<String>,
    /// Show only these statuses: pass, fail, pending, missing, error
    #[arg(long, value_delimiter = ',', value_parser = parse_status)]
    status: Vec<Status>,
    /// Show only pending targets in these progress categories:
    /// met-early, on-track, acceleration-needed, limited-progress, deterioration, unknown
    #[arg(long, value_delimiter = ',', value_parser = parse_category)]
    progress: Vec<Category>,
    /// Output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Table)]
    format: CheckFormat,
    /// Group the table's rows
    #[arg(long, value_enum)]
    group_by: Option<GroupArg>,
    /// Rows shown in the table at most (worst first); JSON always has all
    #[arg(long, default_value_t = 200)]
    limit: usize,
    /// Judge expected targets as binding ones, and make data-coverage
    /// warnings errors (exit 2)
    #[arg(long)]
    strict: bool,
    /// The data files' header is on this row (1 = the first); the rows
    /// above it are skipped. By default it is found below any title rows
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    header_row: Option<u64>,
    /// Force the data files' encoding instead of detecting it
    #[arg(long, value_parser = parse_encoding)]
    encoding: Option<Encoding>,
    /// Tolerance of `≈` targets written without `± T`, in percent of the target (`5` or `5%`)
    #[arg(long, default_value = "5", value_parser = parse_percent)]
    tolerance: f64,
    /// Progress ratio at or above which a target is on track
    #[arg(long, default_value_t = 0.95)]
    on_track: f64,
    /// Progress ratio at or above which a target needs acceleration
    #[arg(long, default_value_t = 0.6)]
    acceleration: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GroupArg {
    Rule,
    Entity,
    Owner,
    Document,
}

fn parse_status(text: &str) -> Result<Status, String> {
    Status::parse(text).ok_or_else(|| {
        format!("`{text}` is not a status: use pass, fail, pending, missing or error")
    })
}

fn parse_category(text: &str) -> Result<Category, String> {
    Category::parse(text).ok_or_else(|| {
        format!("`{text}` is not a progress category: use met-early, on-track, acceleration-needed, limited-progress, deterioration or unknown")
    })
}

fn parse_percent(text: &str) -> Result<f64, String> {
    let number = text.trim().trim_end_matches(['%', '％']);
    match number.parse::<f64>() {
        Ok(value) if value >= 0.0 && value.is_finite() => Ok(value),
        _ => Err(format!(
            "`{text}` is not a percentage: write e.g. `5` or `5%`"
        )),
    }
}

fn parse_encoding(text: &str) -> Result<Encoding, String> {
    match text.to_ascii_lowercase().as_str() {
        "utf-8" | "utf8" => Ok(Encoding::Utf8),
        "gbk" | "gb2312" | "gb18030" => Ok(Encoding::Gbk),
        _ => Err(format!(
            "`{text}` is not a supported encoding: use utf-8 or gbk"
        )),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LintFormat {
    Text,
    Json,
}

/// Runs the command line and returns the process's exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                EXIT_BAD_INPUT
            } else {
                0
            });
        }
    };
    match cli.command {
        Command::Lint {
            paths,
            format,
            strict,
        } => lint(&paths, format, strict),
        Command::Check(args) => check(args),
        Command::Repl { rules, data } => crate::repl::run(&rules, &data),
        Command::Rules { paths, format } => rules(&paths, format),
        Command::Units => units(),
    }
}

/// `zhibiao rules`: what the files declare, one rule a line with the
/// indicators it reads, or the whole catalogue as JSON.
fn rules(paths: &[PathBuf], format: LintFormat) -> ExitCode {
    let program = match crate::compile::compile_paths(paths) {
        Ok(program) => program,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics.0, format == LintFormat::Json);
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let catalogue = program.catalogue();
    let mut out = std::io::stdout().lock();
    if format == LintFormat::Json {
        let json = serde_json::to_string_pretty(&catalogue).unwrap_or_default();
        let _ = writeln!(out, "{json}");
        return ExitCode::SUCCESS;
    }
    for document in &catalogue.documents {
        let title = document.title.as_deref().unwrap_or("");
        let _ = writeln!(out, "document {} {title}", document.id);
    }
    for indicator in &catalogue.indicators {
        let _ = writeln!(out, "indicator {}: {}", indicator.name, indicator.unit);
    }
    for entry in &catalogue.rules {
        let rule = &entry.rule;
        let source = rule
            .source
            .as_deref()
            .map(|source| format!(" source {source}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}:{}: {}{source} (reads {})",
            rule.file,
            rule.line,
            rule.text,
            entry.indicators.join(", ")
        );
    }
    ExitCode::SUCCESS
}

fn check(args: CheckArgs) -> ExitCode {
    let program = match crate::compile::compile_paths(&args.rules) {
        Ok(program) => program,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics.0, false);
            eprintln!(
                "error: the rules have {} error{}; nothing was checked",
                diagnostics.error_count(),
                plural(diagnostics.error_count())
            );
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    print_diagnostics(program.warnings(), false);
    let mut loader = Loader::new(LoadOptions {
        encoding: args.encoding,
        header_row: args.header_row.map(|row| row as usize),
    });
    for path in &args.data {
        loader.add_path(path);
    }
    let (data, warnings) = match loader.finish() {
        Ok(loaded) => loaded,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics.0, false);
            eprintln!(
                "error: the data has {} error{}; nothing was checked",
                diagnostics.error_count(),
                plural(diagnostics.error_count())
            );
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    print_diagnostics(&warnings, false);
    if let Some(entity) = &args.entity {
        if data.find_entity(entity).is_none() {
            let names: Vec<&str> = data.entity_names().collect();
            let hint = crate::diag::closest(entity, names.iter().copied())
                .map(|near| format!("; did you mean `{near}`?"))
                .unwrap_or_default();
            eprintln!("error: no entity `{entity}` in the data{hint}");
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    }
    let options = CheckOptions {
        as_of: args.as_of,
        default_tolerance: Some(args.tolerance / 100.0),
        thresholds: Thresholds {
            on_track: args.on_track,
            acceleration: args.acceleration,
        },
    };
    let mut report = program.check(&data, &options);
    // `--entity` narrows what is checked; `--status` and `--progress` only
    // what is shown, so a failure hidden from view still fails the run.
    if let Some(entity) = &args.entity {
        report.outcomes.retain(|outcome| outcome.entity == *entity);
    }
    let mut checked = crate::eval::outcome::Summary::default();
    for outcome in &report.outcomes {
        checked.count(outcome);
    }
    let (coverage, gaps) = crate::eval::coverage::coverage(&program, &data, &report, args.strict);
    print_diagnostics(&gaps, false);
    let verdict = checked.verdict(args.strict, gaps.len());
    let exit = verdict.exit;
    report.summary = checked;
    report.verdict = Some(verdict);
    report.data_coverage = Some(coverage);
    let shown = |outcome: &crate::eval::outcome::Outcome| {
        (args.status.is_empty() || args.status.contains(&outcome.status))
            && (args.progress.is_empty()
                || outcome
                    .progress
                    .as_ref()
                    .is_some_and(|progress| args.progress.contains(&progress.category)))
    };
    match args.format {
        CheckFormat::Json => {
            // The summary counts every outcome checked, as in the table.
            report.outcomes.retain(shown);
            println!("{}", crate::report::json(&report));
        }
        CheckFormat::Table => {
            let table_options = TableOptions {
                style: Style::detect(std::io::stdout().is_terminal()),
                group_by: args.group_by.map(|group| match group {
                    GroupArg::Rule => GroupBy::Rule,
                    GroupArg::Entity => GroupBy::Entity,
                    GroupArg::Owner => GroupBy::Owner,
                    GroupArg::Document => GroupBy::Document,
                }),
                limit: args.limit,
            };
            let outcomes: Vec<_> = report
                .outcomes
                .iter()
                .filter(|outcome| shown(outcome))
                .collect();
            print!(
                "{}",
                crate::report::table::render(&report, &outcomes, &table_options)
            );
        }
    }
    ExitCode::from(exit)
}

fn lint(paths: &[PathBuf], format: LintFormat, strict: bool) -> ExitCode {
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
    let errors = diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.is_error())
        .count();
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
    if errors > 0 || (strict && warnings > 0) {
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
    use crate::report::table::pad;
    println!(
        "{} {} canonical value of 1",
        pad("written", 44),
        pad("measures", 20)
    );
    for (symbol, dimension, scale) in crate::unit::table() {
        println!("{} {} {scale}", pad(&symbol, 44), pad(dimension, 20));
    }
    ExitCode::SUCCESS
}
