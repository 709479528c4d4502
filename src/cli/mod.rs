//! The command line: `zhibiao lint`, `check`, `repl`, `fmt`, `sql`,
//! `draft`, `units`, `completions`, `lsp`.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use crate::data::Encoding;
use crate::diag::Diagnostic;
use crate::eval::progress::Category;
use crate::eval::Status;
use crate::front::{plural, EXIT_BAD_INPUT};
use crate::report::diagnostics::{render, render_json, Style};

mod check;
use check::{check, sql};

const EXAMPLES: &str = "Examples:
  zhibiao check rules/rizhao-2024.rules --data examples/rizhao/data.csv
  zhibiao check --data 2024年数据.xlsx --sheet 县区 rules/
  zhibiao check rules/ --data data.csv --format html -o report.html
  zhibiao lint rules/
  zhibiao repl rules/rizhao-2024.rules --data examples/rizhao/data.csv
  zhibiao completions bash > /etc/bash_completion.d/zhibiao";

const CHECK_EXAMPLES: &str = "Examples:
  zhibiao check rules/rizhao-2024.rules --data examples/rizhao/data.csv
  zhibiao check --data 数据.xlsx --sheet Sheet2 rules/rizhao-2024.rules
  zhibiao check rules/ --data a.csv b.csv --status fail,missing --group-by owner
  zhibiao check rules/ --data data.csv --format html -o report.html
  zhibiao check rules/ --data data.csv --format xlsx -o 台账.xlsx
  cat data.csv | zhibiao check rules/ --data - --format json

Exit status: 0 when no binding target failed, 1 when one did (--strict: expected ones too), 2 on errors in rules, data or arguments.";
use crate::sql::Dialect;

/// Check quantified policy targets against indicator data.
#[derive(Debug, Parser)]
#[command(name = "zhibiao", version, about, long_about = None, after_help = EXAMPLES)]
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
        /// Also allow imports from this directory (besides those of the rule files)
        #[arg(long, value_name = "DIR")]
        allow_import: Vec<PathBuf>,
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
        /// Also allow imports from this directory (besides the working directory and those of the rule files)
        #[arg(long, value_name = "DIR")]
        allow_import: Vec<PathBuf>,
    },
    /// Formats rule files; with --to, writes their rules in one phrasing
    Fmt {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// `zh`: rules as the policy sentence where one reads back the same;
        /// `en`: sentence rules as the symbolic rules they are read as
        #[arg(long, value_enum)]
        to: Option<PhrasingArg>,
        /// Change nothing; exit 1 if a file is not formatted
        #[arg(long)]
        check: bool,
    },
    /// Print one SQL query giving the outcomes of `check` inside a database
    Sql(SqlArgs),
    /// List the documents, indicators and rules of rule files
    Rules {
        /// Rule files, or directories searched for `*.rules`
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format
        #[arg(long, value_enum, default_value_t = LintFormat::Text)]
        format: LintFormat,
    },
    /// Draft the rules of a policy document (.txt in UTF-8 or GBK, .md, .docx)
    Draft {
        /// The document
        document: PathBuf,
        /// Write the draft to this file instead of standard output
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// `rules`: a rule file in the Chinese phrasing; `json`: the targets found
        #[arg(long, value_enum, default_value_t = DraftFormat::Rules)]
        format: DraftFormat,
    },
    /// Print the table of units and measure words
    Units,
    /// Print a shell completion script
    Completions {
        /// The shell: bash, zsh, fish, powershell or elvish
        shell: clap_complete::Shell,
    },
    /// Serve the Language Server Protocol on standard input and output, for editors
    Lsp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PhrasingArg {
    Zh,
    En,
}

#[derive(Debug, clap::Args)]
struct SqlArgs {
    /// Rule files, or directories searched for `*.rules`
    #[arg(required = true)]
    rules: Vec<PathBuf>,
    /// The engine: duckdb, postgres or spark
    #[arg(long, value_parser = parse_dialect, required_unless_present = "emit_data")]
    dialect: Option<Dialect>,
    /// Check as of this year (default: the latest year in the table)
    #[arg(long)]
    as_of: Option<i32>,
    /// Tolerance of `≈` targets written without `± T`, in percent of the target
    #[arg(long, default_value = "5", value_parser = parse_percent)]
    tolerance: f64,
    /// The observations table
    #[arg(long, default_value = "obs")]
    table: String,
    /// Its entity column
    #[arg(long, default_value = "entity")]
    entity_column: String,
    /// Its parent column
    #[arg(long, default_value = "parent")]
    parent_column: String,
    /// Its year column
    #[arg(long, default_value = "year")]
    year_column: String,
    /// Its indicator column
    #[arg(long, default_value = "indicator")]
    indicator_column: String,
    /// Its numeric value column (in the indicator's declared unit)
    #[arg(long, default_value = "value")]
    value_column: String,
    /// Its text value column (grades)
    #[arg(long, default_value = "text_value")]
    text_column: String,
    /// Its tier column, if it has one
    #[arg(long)]
    tier_column: Option<String>,
    /// Leave rules without an SQL form out of the query (each a warning)
    /// instead of writing no query
    #[arg(long)]
    skip_unsupported: bool,
    /// The entity attributes table (entity, attribute, value)
    #[arg(long, default_value = "entities")]
    entities_table: String,
    /// Spark: the directory the relations computed once are written to as
    /// Parquet (one folder each, replaced at every run)
    #[arg(long, default_value = crate::sql::DEFAULT_SCRATCH)]
    scratch: String,
    /// Instead of the query, write these data files as the tables it reads
    /// (obs.csv, entities.csv) into the directory given by --emit-data
    #[arg(long, short, num_args = 1.., requires = "emit_data")]
    data: Vec<PathBuf>,
    /// The directory the tables are written into
    #[arg(long, requires = "data")]
    emit_data: Option<PathBuf>,
}

fn parse_dialect(text: &str) -> Result<Dialect, String> {
    Dialect::parse(text)
        .ok_or_else(|| format!("`{text}` is not a dialect: use duckdb, postgres or spark"))
}

#[derive(Debug, clap::Args)]
#[command(after_help = CHECK_EXAMPLES)]
struct CheckArgs {
    /// Rule files, or directories searched for `*.rules` (they may also
    /// come after `--data`: `.rules` files and directories are rules)
    rules: Vec<PathBuf>,
    /// Data files: CSV (long or wide; UTF-8 or GBK), .xlsx, .xls or .ods;
    /// `-` reads standard input
    #[arg(long, short, required = true, num_args = 1..)]
    data: Vec<PathBuf>,
    /// The sheet read from workbooks (default: the first)
    #[arg(long)]
    sheet: Option<String>,
    /// Also allow imports from this directory (besides those of the rule files)
    #[arg(long, value_name = "DIR")]
    allow_import: Vec<PathBuf>,
    /// Check as of this year, 1900–2200 (default: the latest year in the data)
    #[arg(long, value_parser = parse_year)]
    as_of: Option<i32>,
    /// Stop evaluating after this many steps; outcomes not reached are `budget-exceeded` errors
    #[arg(long, value_name = "STEPS")]
    budget: Option<u64>,
    /// Threads that check the rules and write the JSON report (default: one per core);
    /// the outcomes and the report are the same whatever the number
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
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
    /// Output format: a terminal table, JSON, Markdown, an HTML page or an Excel workbook
    #[arg(long, value_enum, default_value_t = CheckFormat::Table)]
    format: CheckFormat,
    /// Write the report to this file (whole or not at all) instead of standard output
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Group the report's rows (HTML: by document unless given)
    #[arg(long, value_enum)]
    group_by: Option<GroupArg>,
    /// Rows shown in the table at most (worst first); other formats list all
    #[arg(long, default_value_t = 200)]
    limit: usize,
    /// Colour in the table: auto (on a terminal, unless NO_COLOR is set), always or never
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
    /// The language of the table's and Markdown's words
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    lang: LangArg,
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
    #[value(alias = "markdown")]
    Md,
    Html,
    Xlsx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LangArg {
    Zh,
    En,
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

fn parse_year(text: &str) -> Result<i32, String> {
    let year = text
        .trim()
        .parse::<i32>()
        .map_err(|_| format!("`{text}` is not a year: write e.g. `2024`"))?;
    match crate::eval::as_of_problem(year) {
        Some(problem) => Err(problem),
        None => Ok(year),
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
enum DraftFormat {
    Rules,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LintFormat {
    Text,
    Json,
}

/// Runs the command line and returns the process's exit code. It reads
/// the process's arguments, so it is only called from a `main`:
///
/// ```
/// // The whole `main` of the `zhibiao` binary.
/// fn main_of_the_binary() -> std::process::ExitCode {
///     zhibiao::run()
/// }
/// let _: fn() -> std::process::ExitCode = main_of_the_binary;
/// ```
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
            allow_import,
        } => lint(&paths, &allow_import, format, strict),
        Command::Check(args) => check(args),
        Command::Repl {
            rules,
            data,
            allow_import,
        } => crate::repl::run(&rules, &data, &allow_import),
        Command::Sql(args) => sql(args),
        Command::Rules { paths, format } => rules(&paths, format),
        Command::Draft {
            document,
            output,
            format,
        } => draft(&document, output.as_deref(), format),
        Command::Units => units(),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "zhibiao",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
        Command::Lsp => crate::lsp::run(),
        Command::Fmt { files, to, check } => fmt(&files, to, check),
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

/// `zhibiao fmt`: rewrites each file in place, or with `--check` names the
/// files that would change (exit 1). A file that does not compile is left
/// alone and its diagnostics printed (exit 2).
fn fmt(files: &[PathBuf], to: Option<PhrasingArg>, check: bool) -> ExitCode {
    use crate::compile::format::{format, Phrasing};
    let to = to.map(|to| match to {
        PhrasingArg::Zh => Phrasing::Chinese,
        PhrasingArg::En => Phrasing::Symbolic,
    });
    let mut unformatted = 0;
    let mut failed = false;
    for path in files {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("{}: {error}", path.display());
                failed = true;
                continue;
            }
        };
        let resolver = crate::compile::FileResolver::for_paths(std::slice::from_ref(path), &[]);
        let options = crate::compile::CompileOptions {
            resolver: Some(&resolver),
        };
        match format(&text, &path.display().to_string(), to, &options) {
            Ok(formatted) if formatted == text => {}
            Ok(_) if check => {
                println!("{} is not formatted", path.display());
                unformatted += 1;
            }
            Ok(formatted) => {
                if let Err(error) = std::fs::write(path, formatted) {
                    eprintln!("{}: {error}", path.display());
                    failed = true;
                }
            }
            Err(diagnostics) => {
                print_diagnostics(&diagnostics.0, false);
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::from(EXIT_BAD_INPUT)
    } else if unformatted > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Whether a path given among the data is a rule file or directory:
/// `check --data a.csv rules/x.rules` reads `rules/x.rules` as rules.
fn is_rule_path(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension == "rules")
        || path.is_dir()
}

fn lint(paths: &[PathBuf], allow_import: &[PathBuf], format: LintFormat, strict: bool) -> ExitCode {
    let mut diagnostics = Vec::new();
    let files = crate::compile::rule_files(paths, &mut diagnostics);
    let mut rules = 0;
    // Each file may import from the directories of all files named.
    let mut allowed = crate::compile::directories(paths);
    allowed.extend_from_slice(allow_import);
    for path in &files {
        match crate::compile::compile_paths_with(std::slice::from_ref(path), &allowed) {
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

/// `zhibiao draft`: the document's rules drafted, to standard output or
/// `-o FILE`; exit 2 when the document cannot be read.
fn draft(document: &Path, output: Option<&Path>, format: DraftFormat) -> ExitCode {
    use crate::compile::file_diagnostic;
    use crate::diag::Code;
    let limit = crate::draft::input::MAX_INPUT as u64;
    let bytes = match std::fs::File::open(document) {
        // One byte past the limit is enough to refuse a larger file.
        Ok(file) => {
            let mut bytes = Vec::new();
            match file.take(limit + 1).read_to_end(&mut bytes) {
                Ok(_) => bytes,
                Err(error) => {
                    let diagnostic = file_diagnostic(
                        document,
                        Code::UnreadableFile,
                        &error.to_string(),
                        "check the path",
                    );
                    print_diagnostics(&[diagnostic], false);
                    return ExitCode::from(EXIT_BAD_INPUT);
                }
            }
        }
        Err(error) => {
            let code = if error.kind() == std::io::ErrorKind::NotFound {
                Code::FileNotFound
            } else {
                Code::UnreadableFile
            };
            let diagnostic = file_diagnostic(document, code, &error.to_string(), "check the path");
            print_diagnostics(&[diagnostic], false);
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let drafted = match crate::draft::draft(&document.display().to_string(), &bytes) {
        Ok(drafted) => drafted,
        Err(diagnostic) => {
            print_diagnostics(&[diagnostic], false);
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let text = match format {
        DraftFormat::Rules => drafted.rules,
        DraftFormat::Json => format!("{}\n", drafted.json),
    };
    match output {
        Some(path) => {
            if let Err(error) = crate::report::write_atomic(path, text.as_bytes()) {
                let diagnostic = file_diagnostic(
                    path,
                    Code::UnreadableFile,
                    &error.to_string(),
                    "check the directory exists and is writable",
                );
                print_diagnostics(&[diagnostic], false);
                return ExitCode::from(EXIT_BAD_INPUT);
            }
            eprintln!(
                "{} target{} drafted into {}",
                drafted.targets,
                plural(drafted.targets),
                path.display()
            );
        }
        None => {
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
        }
    }
    ExitCode::SUCCESS
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
