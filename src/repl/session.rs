//! The state of a session — declarations, rules loaded and typed, the data,
//! the as-of year and the scope — and what each typed entry does to it. A
//! bad entry changes nothing.

use std::path::{Path, PathBuf};

use crate::compile::{CompileOptions, FileResolver};
use crate::data::{Cell, DataSource, Dataset, EntityId, IndicatorId, LoadOptions, Loader};
use crate::diag::{Code, Diagnostic};
use crate::eval::{CheckOptions, Evaluator};
use crate::ir::{Program, ScopeIr};
use crate::repl::compile::{
    compile_entry_with, empty_program, CompiledExpression, Declarations, Entry,
};
use crate::report::diagnostics::Style;
use crate::report::outcome::Report;
use crate::report::table::TableOptions;
use crate::unit::{Dimension, Unit};

use super::input::{classify, Input};
use super::render;

/// One piece of what an entry prints, in order.
#[derive(Debug, Clone)]
pub enum Piece {
    /// Results, for standard output.
    Text(String),
    /// A diagnostic (error or warning), for standard error.
    Diagnostic(Diagnostic),
    /// A one-line error that points at no source, for standard error.
    Error(String),
}

/// What an entry printed, and whether it failed.
#[derive(Debug, Clone, Default)]
pub struct Reply {
    /// What to print, in order.
    pub pieces: Vec<Piece>,
    /// An error was reported: a script run exits 2.
    pub failed: bool,
    /// `:quit` was typed.
    pub quit: bool,
}

impl Reply {
    /// A reply of results.
    pub fn text(text: impl Into<String>) -> Reply {
        let mut reply = Reply::default();
        reply.say(text);
        reply
    }

    /// A reply of one error.
    pub fn error(message: impl Into<String>) -> Reply {
        let mut reply = Reply::default();
        reply.fail(message);
        reply
    }

    /// Adds results.
    pub fn say(&mut self, text: impl Into<String>) {
        let text = text.into();
        if !text.is_empty() {
            self.pieces.push(Piece::Text(text));
        }
    }

    /// Adds an error.
    pub fn fail(&mut self, message: impl Into<String>) {
        self.pieces.push(Piece::Error(message.into()));
        self.failed = true;
    }

    /// Adds diagnostics; any error among them fails the entry.
    pub fn diagnostics(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        for diagnostic in diagnostics {
            self.failed |= diagnostic.is_error();
            self.pieces.push(Piece::Diagnostic(diagnostic));
        }
    }

    /// Adds another reply's pieces.
    pub fn extend(&mut self, other: Reply) {
        self.pieces.extend(other.pieces);
        self.failed |= other.failed;
        self.quit |= other.quit;
    }
}

/// A rule file loaded with `:load` or on the command line.
#[derive(Debug, Clone)]
pub(super) struct RuleFile {
    pub path: PathBuf,
    pub program: Program,
}

/// Everything a session holds.
#[derive(Debug)]
pub struct Session {
    pub(super) declarations: Declarations,
    /// Indicators declared from the data's headers, not by a rule.
    pub(super) auto_declared: Vec<String>,
    pub(super) files: Vec<RuleFile>,
    /// Rules typed in the session, one program per entry.
    pub(super) typed: Vec<Program>,
    pub(super) data_paths: Vec<PathBuf>,
    pub(super) data: Option<Dataset>,
    /// Set with `:as-of`; otherwise the latest year in the data.
    pub(super) as_of: Option<i32>,
    pub(super) style: Style,
    /// Directories besides the working directory and the rule files' own
    /// that imports may read from.
    pub(super) allow_import: Vec<PathBuf>,
    /// The last entry, if it was text, with the state before it.
    last_text: Option<LastText>,
}

/// A text entry and what the session was before it, so that an indented
/// line after it can continue it.
#[derive(Debug)]
struct LastText {
    text: String,
    name: String,
    declarations: Declarations,
    auto_declared: Vec<String>,
    typed: Vec<Program>,
}

impl Session {
    /// An empty session writing in `style`.
    pub fn new(style: Style) -> Session {
        Session {
            declarations: Declarations::new(),
            auto_declared: Vec::new(),
            files: Vec::new(),
            typed: Vec::new(),
            data_paths: Vec::new(),
            data: None,
            as_of: None,
            style,
            allow_import: Vec::new(),
            last_text: None,
        }
    }

    /// Runs one complete entry; `name` names typed text in diagnostics.
    /// An indented line right after a text entry continues it, as in a
    /// file: the entry is taken back and runs again with the line (a plain
    /// paste of a multi-line rule arrives line by line).
    pub fn entry(&mut self, text: &str, name: &str) -> Reply {
        if let Some((before, command)) = super::input::split_command(text) {
            let mut reply = self.entry(before, name);
            reply.extend(self.entry(command, name));
            return reply;
        }
        let continued = text.starts_with([' ', '\t', '\u{3000}']);
        let last = self.last_text.take();
        match classify(text) {
            Input::Empty => Reply::default(),
            Input::Command {
                name: command,
                args,
            } => self.command(command, args),
            Input::Text(line) => match last {
                Some(last) if continued => {
                    let whole = format!("{}\n{text}", last.text);
                    self.declarations = last.declarations;
                    self.auto_declared = last.auto_declared;
                    self.typed = last.typed;
                    let mut reply = Reply::text("(continues the entry above)\n");
                    reply.extend(self.text_entry(&whole, &last.name));
                    reply
                }
                _ => self.text_entry(line, name),
            },
        }
    }

    fn text_entry(&mut self, text: &str, name: &str) -> Reply {
        self.last_text = Some(LastText {
            text: text.to_string(),
            name: name.to_string(),
            declarations: self.declarations.clone(),
            auto_declared: self.auto_declared.clone(),
            typed: self.typed.clone(),
        });
        // Typed imports are relative to the working directory.
        let resolver = FileResolver::new(
            std::iter::once(Path::new(".")).chain(self.allow_import.iter().map(PathBuf::as_path)),
        );
        let options = CompileOptions {
            resolver: Some(&resolver),
        };
        let entry = match compile_entry_with(text, name, &self.declarations, &options) {
            Ok(entry) => entry,
            Err(diagnostics) => {
                let mut reply = Reply::default();
                reply.diagnostics(diagnostics.into_iter().map(|found| self.entity_help(found)));
                return reply;
            }
        };
        match entry {
            Entry::Expression(expression) => self.print_value(&expression),
            Entry::Statements {
                declarations,
                program,
                redeclared,
            } => {
                let mut reply = Reply::default();
                reply.diagnostics(program.warnings().iter().cloned());
                let before = std::mem::replace(&mut self.declarations, *declarations);
                self.auto_declared.retain(|name| !redeclared.contains(name));
                reply.say(render::declared(&before, &self.declarations, &redeclared));
                if program.rule_count() > 0 {
                    reply.extend(self.check_now(&program));
                    self.keep_typed(program);
                }
                reply
            }
        }
    }

    /// An entity's name typed where an indicator goes gets help saying
    /// how to read values there.
    fn entity_help(&self, mut diagnostic: Diagnostic) -> Diagnostic {
        let (Some(data), Some(label)) = (&self.data, diagnostic.labels.first()) else {
            return diagnostic;
        };
        let name = diagnostic
            .source
            .text()
            .get(label.span.clone())
            .unwrap_or_default()
            .to_string();
        if diagnostic.code == Code::UnknownIndicator && data.find_entity(&name).is_some() {
            let example = self
                .declarations
                .indicators()
                .next()
                .map_or("指标", |(indicator, _, _)| indicator);
            diagnostic.help = Some(format!(
                "`{name}` is an entity: `:scope {name}` reads values there, as does `{example} @ {name}`"
            ));
        }
        diagnostic
    }

    /// Keeps typed rules, replacing typed ones of the same name.
    fn keep_typed(&mut self, program: Program) {
        let names: Vec<String> = program
            .rules()
            .map(|rule| rule.name().to_string())
            .collect();
        for kept in &mut self.typed {
            if kept
                .rules()
                .any(|rule| names.iter().any(|name| name == rule.name()))
            {
                *kept = crate::repl::compile::select_rules(kept, |_, rule| {
                    !names.iter().any(|name| name == rule.name())
                });
            }
        }
        self.typed.retain(|kept| kept.rule_count() > 0);
        self.typed.push(program);
    }

    /// Checks rules against the data now and renders the table.
    pub(super) fn check_now(&self, program: &Program) -> Reply {
        let Some(data) = &self.data else {
            return Reply::text(
                "no data loaded, so nothing was checked: `:data FILE` loads some\n",
            );
        };
        let report = program.check(data, &self.check_options());
        Reply::text(self.table(&report))
    }

    pub(super) fn table(&self, report: &Report) -> String {
        let outcomes: Vec<_> = report.outcomes.iter().collect();
        crate::report::table::render(
            report,
            &outcomes,
            &TableOptions {
                style: self.style,
                group_by: None,
                limit: 200,
                width: None,
                lang: crate::report::words::Lang::Zh,
            },
        )
    }

    pub(super) fn check_options(&self) -> CheckOptions {
        CheckOptions {
            as_of: self.as_of,
            ..CheckOptions::default()
        }
    }

    /// The as-of year in force: set, or the latest in the data.
    pub(super) fn as_of_year(&self) -> Option<i32> {
        self.as_of.or_else(|| {
            self.data
                .as_ref()
                .and_then(|data| data.year_range())
                .map(|(_, last)| last)
        })
    }

    /// Every rule of the session: loaded files first, then typed ones.
    pub(super) fn program(&self) -> Program {
        let mut programs = self
            .files
            .iter()
            .map(|file| file.program.clone())
            .chain(self.typed.iter().cloned());
        let first = programs.next().unwrap_or_else(empty_program);
        programs.fold(first, Program::merge)
    }

    /// Prints an expression's value for each entity in its scope.
    fn print_value(&self, expression: &CompiledExpression) -> Reply {
        let mut reply = Reply::default();
        reply.diagnostics(expression.warnings().iter().cloned());
        let empty = Dataset::default();
        let data: &dyn DataSource = match &self.data {
            Some(data) => data,
            None => &empty,
        };
        let as_of = self.as_of_year();
        let mut evaluator = Evaluator::new(
            expression.module(),
            data,
            as_of.unwrap_or(crate::eval::LATEST_YEAR),
        );
        let entities = match crate::eval::scope_entities(&mut evaluator, expression.scope()) {
            Ok(entities) => entities,
            Err((_, why)) => {
                reply.fail(why);
                return reply;
            }
        };
        let unit = expression.unit();
        let shown = |value: Result<f64, crate::eval::Unknown>| match value {
            Ok(value) => Ok(unit.format(value)),
            Err(why) => Err(render::unknown(&why, as_of)),
        };
        if entities.is_empty() {
            // A constant needs no data; anything else does.
            match expression.evaluate(data, EntityId(0), as_of.unwrap_or(crate::eval::LATEST_YEAR))
            {
                Ok(value) if self.data.is_none() || data.entity_count() == 0 => {
                    reply.say(format!("{}\n", unit.format(value)));
                }
                _ if self.data.is_none() => {
                    reply.fail("no data loaded: `:data FILE` loads some");
                }
                _ => reply.say("no entities in scope\n"),
            }
            return reply;
        }
        let rows: Vec<(String, Result<String, String>)> = entities
            .iter()
            .map(|&entity| {
                let name = data.entity_name(entity).to_string();
                let value =
                    expression.evaluate(data, entity, as_of.unwrap_or(crate::eval::LATEST_YEAR));
                (name, shown(value))
            })
            .collect();
        let year = as_of.filter(|_| expression.reads_as_of_year());
        reply.say(render::values(&rows, year, self.style));
        reply
    }

    /// Loads rule files; each replaces an earlier load of the same path.
    pub(super) fn load_rules(&mut self, paths: &[PathBuf]) -> Reply {
        let mut reply = Reply::default();
        for path in paths {
            match crate::compile::compile_paths_with(std::slice::from_ref(path), &self.allow_import)
            {
                Ok(program) => {
                    reply.diagnostics(program.warnings().iter().cloned());
                    let before = self.declarations.clone();
                    self.declarations.adopt(&program);
                    let declared: Vec<&str> =
                        program.indicators().map(|(name, _, _)| name).collect();
                    self.auto_declared
                        .retain(|name| !declared.contains(&name.as_str()));
                    reply.say(format!(
                        "loaded {}: {} rule{}, {} indicator{}{}\n",
                        path.display(),
                        program.rule_count(),
                        crate::front::plural(program.rule_count()),
                        declared.len(),
                        crate::front::plural(declared.len()),
                        render::scope_change(&before, &self.declarations),
                    ));
                    let file = RuleFile {
                        path: path.clone(),
                        program,
                    };
                    match self.files.iter_mut().find(|known| known.path == *path) {
                        Some(known) => *known = file,
                        None => self.files.push(file),
                    }
                }
                Err(diagnostics) => {
                    reply.diagnostics(diagnostics);
                    reply.fail(format!("{} was not loaded", path.display()));
                }
            }
        }
        reply
    }

    /// Loads data files with those loaded before; on errors the data loaded
    /// before stays.
    pub(super) fn load_data(&mut self, paths: &[PathBuf]) -> Reply {
        let mut reply = Reply::default();
        let mut all = self.data_paths.clone();
        for path in paths {
            if !all.contains(path) {
                all.push(path.clone());
            }
        }
        let mut loader = Loader::new(LoadOptions::default());
        for path in &all {
            loader.add_path(path);
        }
        match loader.finish() {
            Ok((data, warnings)) => {
                reply.diagnostics(warnings);
                let years = match data.year_range() {
                    Some((first, last)) if first == last => format!(", {first}"),
                    Some((first, last)) => format!(", {first}–{last}"),
                    None => String::new(),
                };
                reply.say(format!(
                    "loaded {}: {} entit{}, {} indicator{}, {} value{}{years}\n",
                    paths
                        .iter()
                        .map(|path| path.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    data.entity_count(),
                    if data.entity_count() == 1 { "y" } else { "ies" },
                    data.indicator_names().count(),
                    crate::front::plural(data.indicator_names().count()),
                    data.observation_count(),
                    crate::front::plural(data.observation_count()),
                ));
                self.data = Some(data);
                self.data_paths = all;
                reply.say(self.declare_from_data());
            }
            Err(diagnostics) => {
                reply.diagnostics(diagnostics);
                reply.fail(format!(
                    "{} not loaded; the data loaded before is kept",
                    if paths.len() == 1 {
                        "the file was"
                    } else {
                        "the files were"
                    }
                ));
            }
        }
        reply
    }

    /// Declares every indicator of the data that no rule declares, in the
    /// unit of its header (`县域就诊率(%)`), else the one unit all its cells
    /// are written in, else `number`.
    fn declare_from_data(&mut self) -> String {
        let Some(data) = &self.data else {
            return String::new();
        };
        let mut declared = Vec::new();
        for (at, name) in data.indicator_names().enumerate() {
            if self.declarations.is_declared(name) {
                continue;
            }
            let unit = data_unit(data, IndicatorId(at as u32));
            declared.push(format!("{name} ({})", render::unit(&unit)));
            self.declarations.declare(name, unit);
            self.auto_declared.push(name.to_string());
        }
        if declared.is_empty() {
            return String::new();
        }
        format!("declared from the data: {}\n", render::list(&declared, 12))
    }

    /// The entities an expression or a rule without `for` is read for now.
    pub(super) fn scope_entities(&self, scope: &ScopeIr) -> Result<Vec<String>, String> {
        let Some(data) = &self.data else {
            return Ok(Vec::new());
        };
        let module = self.declarations.module();
        let mut evaluator = Evaluator::new(
            &module,
            data,
            self.as_of_year().unwrap_or(crate::eval::LATEST_YEAR),
        );
        crate::eval::scope_entities(&mut evaluator, scope)
            .map(|entities| {
                entities
                    .into_iter()
                    .map(|entity| data.entity_name(entity).to_string())
                    .collect()
            })
            .map_err(|(_, why)| why)
    }
}

/// The unit of an indicator found in data: its header's, else the one unit
/// every cell is written in, else a plain number.
fn data_unit(data: &Dataset, indicator: IndicatorId) -> Unit {
    if let Some(unit) = data.header_unit(indicator) {
        return normal(unit);
    }
    let mut common: Option<&Unit> = None;
    for entity in 0..data.entity_count() {
        for &year in data.years() {
            match data.value(indicator, EntityId(entity as u32), year) {
                Some(Cell::Number {
                    unit: Some(unit), ..
                }) => match common {
                    None => common = Some(unit),
                    Some(known) if known == unit => {}
                    Some(_) => return Unit::number(),
                },
                Some(Cell::Number { unit: None, .. }) => return Unit::number(),
                Some(Cell::Text(_)) | None => {}
            }
        }
    }
    common.map_or_else(Unit::number, normal)
}

/// A ratio written `1:x` in data is declared as a ratio with unnamed terms.
fn normal(unit: &Unit) -> Unit {
    if unit.dimension == Dimension::Ratio && unit.symbol.as_ref() == ":" {
        Unit::ratio_of("", "")
    } else {
        unit.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plain paste arrives line by line: an indented line continues the
    /// entry above instead of being an entry of its own.
    #[test]
    fn a_pasted_indented_line_continues_the_entry_above() {
        let mut session = Session::new(Style::Plain);
        let first = session.entry("indicator 床位数: 张", "<input 1>");
        assert!(!first.failed);
        let rule = session.entry("rule \"床位\" 床位数 >= 1", "<input 2>");
        assert!(!rule.failed);
        let continued = session.entry("  by 2025", "<input 3>");
        assert!(!continued.failed, "{:?}", continued.pieces);
        let listed = session.entry(":rules", "<input 4>");
        let text: String = listed
            .pieces
            .iter()
            .filter_map(|piece| match piece {
                crate::repl::Piece::Text(text) => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert!(text.contains("by 2025"), "{text}");
        assert!(text.contains("#1") && !text.contains("#2"), "{text}");
    }
}
