//! `zhibiao check` and `zhibiao sql`: load the rules and the data the
//! arguments name, then check or write the query.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use super::{
    is_rule_path, print_diagnostics, CheckArgs, CheckFormat, ColorArg, GroupArg, LangArg, SqlArgs,
    CHECK_EXAMPLES,
};
use crate::data::{DataSource, LoadOptions, Loader};
use crate::eval::progress::Thresholds;
use crate::eval::CheckOptions;
use crate::front::{plural, EXIT_BAD_INPUT};
use crate::report::diagnostics::Style;
use crate::report::group::GroupBy;
use crate::report::table::TableOptions;
use crate::report::words::Lang;
use crate::sql::{SqlOptions, Tables};

pub(super) fn check(mut args: CheckArgs) -> ExitCode {
    let (rules, data): (Vec<PathBuf>, Vec<PathBuf>) =
        args.data.drain(..).partition(|path| is_rule_path(path));
    args.rules.extend(rules);
    args.data = data;
    if args.rules.is_empty() || args.data.is_empty() {
        let missing = if args.rules.is_empty() {
            "no rule files given: name `.rules` files or directories"
        } else {
            "no data files given after `--data`"
        };
        eprintln!("error: {missing}\n\n{CHECK_EXAMPLES}");
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    let program = match crate::compile::compile_paths_with(&args.rules, &args.allow_import) {
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
        sheet: args.sheet.clone(),
        header_row: args.header_row.map(|row| row as usize),
        // Values no rule reads are neither parsed nor kept.
        projection: Some(program.projection()),
    });
    for path in &args.data {
        if path.as_os_str() == "-" {
            let mut bytes = Vec::new();
            match std::io::stdin().lock().read_to_end(&mut bytes) {
                Ok(_) => loader.add_bytes("<stdin>", &bytes),
                Err(error) => {
                    eprintln!("error: cannot read the data from standard input: {error}");
                    return ExitCode::from(EXIT_BAD_INPUT);
                }
            }
        } else {
            loader.add_path(path);
        }
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
        budget: args.budget,
        threads: args.threads.map(usize::from),
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
    let mut checked = crate::report::outcome::Summary::default();
    for outcome in &report.outcomes {
        checked.count(outcome);
    }
    let (coverage, gaps) =
        crate::report::data_coverage::coverage(&program, &data, &report, args.strict);
    print_diagnostics(&gaps, false);
    let verdict = checked.verdict(args.strict, gaps.len());
    let exit = verdict.exit;
    report.summary = checked;
    report.verdict = Some(verdict);
    report.data_coverage = Some(coverage);
    let shown = |outcome: &crate::report::outcome::Outcome| {
        (args.status.is_empty() || args.status.contains(&outcome.status))
            && (args.progress.is_empty()
                || outcome
                    .progress
                    .as_ref()
                    .is_some_and(|progress| args.progress.contains(&progress.category)))
    };
    let outcomes: Vec<_> = report
        .outcomes
        .iter()
        .filter(|outcome| shown(outcome))
        .collect();
    let group_by = args.group_by.map(|group| match group {
        GroupArg::Rule => GroupBy::Rule,
        GroupArg::Entity => GroupBy::Entity,
        GroupArg::Owner => GroupBy::Owner,
        GroupArg::Document => GroupBy::Document,
    });
    let lang = match args.lang {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    };
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    if matches!(args.format, CheckFormat::Json) && args.output.is_none() {
        // Written as it is made: a national report is tens of megabytes.
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        let written =
            crate::report::write_json_threads(&report, &outcomes, options.threads(), &mut out)
                .and_then(|()| out.write_all(b"\n"))
                .and_then(|()| out.flush());
        if let Err(error) = written {
            eprintln!("error: cannot write the report: {error}");
            return ExitCode::from(EXIT_BAD_INPUT);
        }
        return ExitCode::from(exit);
    }
    let bytes = match args.format {
        CheckFormat::Json => {
            // The summary counts every outcome checked, as in the table.
            format!("{}\n", crate::report::json_of(&report, &outcomes)).into_bytes()
        }
        CheckFormat::Table => {
            let style = match args.color {
                ColorArg::Always => Style::Fancy,
                ColorArg::Never => Style::Plain,
                ColorArg::Auto => Style::detect(to_terminal),
            };
            // `COLUMNS` when set, else the terminal's width; a file or a
            // pipe gets every column whole.
            let width = std::env::var("COLUMNS")
                .ok()
                .and_then(|columns| columns.trim().parse::<usize>().ok())
                .or_else(|| {
                    to_terminal
                        .then(|| {
                            terminal_size::terminal_size().map(|(width, _)| usize::from(width.0))
                        })
                        .flatten()
                });
            let table_options = TableOptions {
                style,
                group_by,
                limit: args.limit,
                width,
                lang,
            };
            crate::report::table::render(&report, &outcomes, &table_options).into_bytes()
        }
        CheckFormat::Md => {
            crate::report::markdown::render(&report, &outcomes, group_by, lang).into_bytes()
        }
        CheckFormat::Html => crate::report::html::render(&report, &outcomes, group_by).into_bytes(),
        CheckFormat::Xlsx => {
            if to_terminal {
                eprintln!(
                    "error: an Excel report is a binary file: write it with `-o report.xlsx`"
                );
                return ExitCode::from(EXIT_BAD_INPUT);
            }
            match crate::report::xlsx::render(&report, &outcomes) {
                Ok(bytes) => bytes,
                Err(error) => {
                    eprintln!("error: cannot write the Excel report: {error}");
                    return ExitCode::from(EXIT_BAD_INPUT);
                }
            }
        }
    };
    let written = match &args.output {
        Some(path) => crate::report::write_atomic(path, &bytes)
            .map_err(|error| format!("cannot write `{}`: {error}", path.display())),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)
                .and_then(|()| out.flush())
                .map_err(|error| format!("cannot write the report: {error}"))
        }
    };
    if let Err(message) = written {
        eprintln!("error: {message}");
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    ExitCode::from(exit)
}

pub(super) fn sql(args: SqlArgs) -> ExitCode {
    let program = match crate::compile::compile_paths(&args.rules) {
        Ok(program) => program,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics.0, false);
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    print_diagnostics(program.warnings(), false);
    if let Some(dir) = &args.emit_data {
        let mut loader = Loader::new(LoadOptions::default());
        for path in &args.data {
            loader.add_path(path);
        }
        let data = match loader.finish() {
            Ok((data, warnings)) => {
                print_diagnostics(&warnings, false);
                data
            }
            Err(diagnostics) => {
                print_diagnostics(&diagnostics.0, false);
                return ExitCode::from(EXIT_BAD_INPUT);
            }
        };
        if let Err(error) = crate::sql::write_tables(&program, &data, dir) {
            eprintln!(
                "error: cannot write the tables into {}: {error}",
                dir.display()
            );
            return ExitCode::from(EXIT_BAD_INPUT);
        }
        return ExitCode::SUCCESS;
    }
    let Some(dialect) = args.dialect else {
        eprintln!("error: give --dialect duckdb, postgres or spark");
        return ExitCode::from(EXIT_BAD_INPUT);
    };
    let options = SqlOptions {
        dialect,
        as_of: args.as_of,
        tolerance: args.tolerance / 100.0,
        skip_unsupported: args.skip_unsupported,
        scratch: args.scratch,
        tables: Tables {
            table: args.table,
            entity: args.entity_column,
            parent: args.parent_column,
            year: args.year_column,
            indicator: args.indicator_column,
            value: args.value_column,
            text_value: args.text_column,
            tier: args.tier_column,
            entities: args.entities_table,
            ..Tables::default()
        },
    };
    match crate::sql::to_sql(&program, &options) {
        Ok((query, left_out)) => {
            print_diagnostics(&left_out, false);
            // One plain line per rule left out, for scripts.
            for diagnostic in &left_out {
                eprintln!("left out: {}", diagnostic.message);
            }
            let _ = std::io::stdout().write_all(query.as_bytes());
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            print_diagnostics(&diagnostics.0, false);
            eprintln!(
                "error: {} rule{} cannot run in SQL; no query was written",
                diagnostics.error_count(),
                plural(diagnostics.error_count())
            );
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}
