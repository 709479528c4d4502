//! Compiling what is typed in a session (the REPL): each entry is checked on
//! its own, with the declarations, scope and document of the files and
//! entries before it. An entry is either statements (declarations, rules)
//! or a value expression to print.

use std::sync::Arc;

use crate::check::{CheckedExpression, Checker, Imported};
use crate::compile::{CompileOptions, Imports};
use crate::data::{DataSource, EntityId};
use crate::diag::{Code, Diagnostic, Diagnostics, Label, SourceFile};
use crate::eval::{Evaluator, Unknown};
use crate::ir::{
    BenchmarkInfo, DocumentInfo, ExprIr, IndicatorInfo, Module, Program, RuleInfo, ScopeIr,
};
use crate::syntax::{
    self,
    ast::{Clauses, CondKind, ExprKind, Statement, Target},
};
use crate::unit::Unit;
use crate::vocab::STATEMENT_KEYWORDS;

/// What a session has declared so far: every entry is checked with it.
#[derive(Debug, Clone)]
pub struct Declarations {
    pub(crate) indicators: Vec<IndicatorInfo>,
    pub(crate) benchmarks: Vec<BenchmarkInfo>,
    pub(crate) groups: Vec<(String, Vec<String>)>,
    pub(crate) tiers: Vec<String>,
    pub(crate) scope: ScopeIr,
    pub(crate) document: Option<DocumentInfo>,
}

impl Default for Declarations {
    fn default() -> Self {
        Declarations {
            indicators: Vec::new(),
            benchmarks: Vec::new(),
            groups: Vec::new(),
            tiers: Vec::new(),
            scope: ScopeIr::Roots,
            document: None,
        }
    }
}

impl Declarations {
    /// Nothing declared, the scope every root entity of the data.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every declared indicator: name, unit and aliases.
    pub fn indicators(&self) -> impl Iterator<Item = (&str, &Unit, &[String])> {
        self.indicators
            .iter()
            .map(|info| (info.name.as_str(), &info.unit, info.aliases.as_slice()))
    }

    /// The declared tiers, root first.
    pub fn tiers(&self) -> &[String] {
        &self.tiers
    }

    /// The scope expressions and rules without a `for` clause are read in.
    pub fn scope(&self) -> &ScopeIr {
        &self.scope
    }

    /// The document in force: its `period` is the span of trends without years.
    pub fn document(&self) -> Option<&DocumentInfo> {
        self.document.as_ref()
    }

    /// Whether a name is declared as an indicator or an alias of one.
    pub fn is_declared(&self, name: &str) -> bool {
        self.indicators
            .iter()
            .any(|info| info.name == name || info.aliases.iter().any(|alias| alias == name))
    }

    /// Declares an indicator, replacing one of the same name.
    pub fn declare(&mut self, name: &str, unit: Unit) {
        let info = IndicatorInfo {
            name: name.to_string(),
            aliases: Vec::new(),
            unit,
            better: None,
        };
        match self.indicators.iter().position(|known| known.name == name) {
            Some(at) => self.indicators[at] = info,
            None => self.indicators.push(info),
        }
    }

    /// Takes over what compiled rule files declare: their indicators
    /// (replacing those of the same name or alias), benchmarks and groups,
    /// their tiers, and the
    /// scope and document of the last file that sets them.
    pub fn adopt(&mut self, program: &Program) {
        for module in &program.modules {
            for info in &module.indicators {
                let names: Vec<&String> =
                    std::iter::once(&info.name).chain(&info.aliases).collect();
                self.indicators.retain(|known| {
                    !std::iter::once(&known.name)
                        .chain(&known.aliases)
                        .any(|name| names.contains(&name))
                });
                self.indicators.push(info.clone());
            }
            for info in &module.benchmarks {
                self.benchmarks.retain(|known| known.name != info.name);
                self.benchmarks.push(info.clone());
            }
            for (name, members) in &module.groups {
                self.groups.retain(|(known, _)| known != name);
                self.groups.push((name.clone(), members.clone()));
            }
            if !module.tiers.is_empty() {
                self.tiers = module.tiers.clone();
            }
            if module.scope != ScopeIr::Roots {
                self.scope = module.scope.clone();
            }
            if module.document.is_some() {
                self.document = module.document.clone();
            }
        }
    }

    /// Sets the scope.
    pub fn set_scope(&mut self, scope: ScopeIr) {
        self.scope = scope;
    }

    /// The declarations as a module without rules, for reading data with them.
    pub(crate) fn module(&self) -> Module {
        Module {
            source: SourceFile::new("<session>", ""),
            document: self.document.clone(),
            indicators: self.indicators.clone(),
            benchmarks: self.benchmarks.clone(),
            groups: self.groups.clone(),
            tiers: self.tiers.clone(),
            rules: Vec::new(),
            scope: self.scope.clone(),
        }
    }

    fn imported(&self) -> Imported {
        Imported {
            indicators: self.indicators.clone(),
            benchmarks: self.benchmarks.clone(),
            groups: self.groups.clone(),
            tiers: self.tiers.clone(),
        }
    }
}

/// One compiled entry of a session.
#[derive(Debug, Clone)]
pub enum Entry {
    /// Declarations and rules.
    Statements {
        /// The session's declarations with this entry's.
        declarations: Box<Declarations>,
        /// The rules typed (possibly none), with the entry's warnings.
        program: Program,
        /// Indicators declared before and declared again by this entry.
        redeclared: Vec<String>,
    },
    /// A value to print for each entity in scope.
    Expression(Box<CompiledExpression>),
}

/// A value expression typed on its own, compiled.
#[derive(Debug, Clone)]
pub struct CompiledExpression {
    pub(crate) module: Module,
    pub(crate) expr: ExprIr,
    scope: ScopeIr,
    unit: Unit,
    warnings: Vec<Diagnostic>,
}

impl CompiledExpression {
    /// The unit its values are written in.
    pub fn unit(&self) -> &Unit {
        &self.unit
    }

    /// Whether some value in it is read in the as-of year, for want of an
    /// `@ YEAR` or a span.
    pub fn reads_as_of_year(&self) -> bool {
        reads_current_year(&self.expr)
    }

    /// The entities it is read for: the session's scope, or the one its
    /// `for` clause names.
    pub fn scope(&self) -> &ScopeIr {
        &self.scope
    }

    /// The declarations it was checked with, as a module without rules.
    pub(crate) fn module(&self) -> &Module {
        &self.module
    }

    /// Warnings found while compiling it.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// Its value for one entity, as of a year, in canonical units.
    pub(crate) fn evaluate(
        &self,
        data: &dyn DataSource,
        entity: EntityId,
        as_of: i32,
    ) -> Result<f64, Unknown> {
        Evaluator::new(&self.module, data, as_of).expr(&self.expr, entity, as_of)
    }
}

/// Whether typed text starts with a statement keyword.
pub fn is_statement(text: &str) -> bool {
    let text = text.trim_start();
    STATEMENT_KEYWORDS.iter().any(|keyword| {
        text.strip_prefix(keyword)
            .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
    })
}

/// The prefix that makes typed text without a statement keyword a rule.
const RULE_PREFIX: &str = "rule ";

/// Compiles one typed entry with the session's declarations. `name` names
/// it in diagnostics, which point into `text` as typed.
pub fn compile_entry(
    text: &str,
    name: &str,
    declarations: &Declarations,
) -> Result<Entry, Diagnostics> {
    compile_entry_with(text, name, declarations, &CompileOptions::default())
}

/// Compiles one typed entry, with imports found by the options' resolver.
pub fn compile_entry_with(
    text: &str,
    name: &str,
    declarations: &Declarations,
    options: &CompileOptions<'_>,
) -> Result<Entry, Diagnostics> {
    let typed = SourceFile::new(name, text);
    let statement = is_statement(text);
    // Text without a keyword is read as a rule; its diagnostics are moved
    // back onto the text as typed.
    let (file, offset) = if statement {
        (Arc::clone(&typed), 0)
    } else {
        (
            SourceFile::new(name, format!("{RULE_PREFIX}{text}")),
            RULE_PREFIX.len(),
        )
    };
    let restore = |diagnostics: Vec<Diagnostic>| -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .map(|diagnostic| retarget(diagnostic, &file, &typed, offset))
            .collect()
    };
    let (tree, mut diagnostics) = syntax::parse_file(&file);
    if tree.statements.is_empty() && diagnostics.is_empty() {
        diagnostics.push(
            Diagnostic::error(&file, Code::Syntax, 0..0, "expected a statement, a rule or a value", "nothing here")
                .with_help("type a rule like `县域就诊率 >= 90% by 2025`, a value like `县域就诊率 @ 2023`, or `:help`"),
        );
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Diagnostics(restore(diagnostics)));
    }
    let mut imported = declarations.imported();
    let from_imports = Imports::new(options.resolver).resolve(&file, &tree, &mut diagnostics);
    merge(&mut imported, from_imports);
    if !statement {
        if let [Statement::Rule(rule)] = tree.statements.as_slice() {
            let clauses = file.text()[rule.condition.span.end..rule.span.end].trim();
            let only_for = only_target(&rule.clauses);
            if let (None, CondKind::Bare(expression)) = (&rule.name, &rule.condition.kind) {
                if is_value(&expression.kind) && (clauses.is_empty() || only_for) {
                    // `县域就诊率 @ 2023 for 东港区`: the value in another scope.
                    return expression_entry(
                        &file,
                        expression,
                        rule.clauses.target.as_ref(),
                        imported,
                        declarations,
                        diagnostics,
                    )
                    .map_err(|found| Diagnostics(restore(found)));
                }
            }
        }
    }
    let redeclared = forget_redeclared(&mut imported, &tree.statements);
    let checker = Checker::new(&file, imported)
        .with_session(declarations.scope.clone(), declarations.document.clone());
    let (module, found) = checker.check(&tree);
    diagnostics.extend(found);
    crate::compile::in_file_order(&mut diagnostics, &file);
    let diagnostics = restore(diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Diagnostics(diagnostics));
    }
    let after = Declarations {
        indicators: module.indicators.clone(),
        benchmarks: module.benchmarks.clone(),
        groups: module.groups.clone(),
        tiers: module.tiers.clone(),
        scope: module.scope.clone(),
        document: module.document.clone(),
    };
    Ok(Entry::Statements {
        declarations: Box::new(after),
        program: Program {
            modules: vec![module],
            warnings: diagnostics,
        },
        redeclared,
    })
}

fn expression_entry(
    file: &Arc<SourceFile>,
    expression: &crate::syntax::ast::Expr,
    target: Option<&Target>,
    imported: Imported,
    declarations: &Declarations,
    mut diagnostics: Vec<Diagnostic>,
) -> Result<Entry, Vec<Diagnostic>> {
    let indicators = imported.indicators.clone();
    let tiers = imported.tiers.clone();
    let checker = Checker::new(file, imported)
        .with_session(declarations.scope.clone(), declarations.document.clone());
    let (checked, found) = checker.check_expression(expression, target);
    diagnostics.extend(found);
    let Some(CheckedExpression {
        ir: expr,
        unit,
        scope,
    }) = checked
    else {
        return Err(diagnostics);
    };
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    Ok(Entry::Expression(Box::new(CompiledExpression {
        module: Module {
            source: Arc::clone(file),
            document: declarations.document.clone(),
            indicators,
            benchmarks: declarations.benchmarks.clone(),
            groups: declarations.groups.clone(),
            tiers,
            rules: Vec::new(),
            scope: scope.clone(),
        },
        scope,
        expr,
        unit,
        warnings: diagnostics,
    })))
}

/// Whether an expression reads a value in the year it is evaluated in.
fn reads_current_year(expr: &ExprIr) -> bool {
    match expr {
        ExprIr::Indicator(_) | ExprIr::Share { .. } => true,
        ExprIr::AtEntity(inner, _) | ExprIr::Neg(inner) => reads_current_year(inner),
        ExprIr::OverEntities { value, .. }
        | ExprIr::Rank { value, .. }
        | ExprIr::YearOnYear { value, .. } => reads_current_year(value),
        ExprIr::Binary { left, right, .. } => reads_current_year(left) || reads_current_year(right),
        ExprIr::Const(_)
        | ExprIr::Attribute(_)
        | ExprIr::Text(_)
        | ExprIr::AtYear(..)
        | ExprIr::OverYears { .. }
        | ExprIr::Count(_)
        | ExprIr::Progress { .. } => false,
    }
}

/// Whether an expression typed alone is a value to print rather than a
/// condition: `all(…)`, `any(…)` and a bracketed condition are conditions.
fn is_value(kind: &ExprKind) -> bool {
    match kind {
        ExprKind::Call { function, .. } => !matches!(function.text.as_str(), "all" | "any"),
        ExprKind::Paren(_) => false,
        _ => true,
    }
}

/// Whether a rule's only clause is `for …`.
fn only_target(clauses: &Clauses) -> bool {
    clauses.target.is_some()
        && clauses.by.is_none()
        && clauses.in_year.is_none()
        && clauses.from_to.is_none()
        && clauses.since.is_none()
        && clauses.source.is_none()
        && clauses.owner.is_none()
        && clauses.tags.is_none()
        && clauses.binding.is_none()
        && clauses.expected.is_none()
        && clauses.missing_as_fail.is_none()
}

/// Adds declarations from imports; they replace the session's of the same name.
fn merge(into: &mut Imported, from: Imported) {
    for info in from.indicators {
        into.indicators.retain(|known| known.name != info.name);
        into.indicators.push(info);
    }
    for info in from.benchmarks {
        into.benchmarks.retain(|known| known.name != info.name);
        into.benchmarks.push(info);
    }
    for (name, members) in from.groups {
        into.groups.retain(|(known, _)| *known != name);
        into.groups.push((name, members));
    }
    if !from.tiers.is_empty() {
        into.tiers = from.tiers;
    }
}

/// Drops the declarations an entry declares again, so that typing
/// `indicator 床位数: 张` changes the unit instead of being a duplicate.
/// Returns the names dropped.
fn forget_redeclared(imported: &mut Imported, statements: &[Statement]) -> Vec<String> {
    let mut names = Vec::new();
    for statement in statements {
        match statement {
            Statement::Indicator(declaration) => names.extend(
                declaration
                    .names
                    .iter()
                    .chain(&declaration.aliases)
                    .map(|name| name.text.clone()),
            ),
            Statement::Benchmark(declaration) => names.push(declaration.name.text.clone()),
            Statement::Group(declaration) => names.push(declaration.name.text.clone()),
            _ => {}
        }
    }
    imported
        .benchmarks
        .retain(|known| !names.contains(&known.name));
    imported.groups.retain(|(known, _)| !names.contains(known));
    let mut redeclared = Vec::new();
    imported.indicators.retain(|known| {
        let again = std::iter::once(&known.name)
            .chain(&known.aliases)
            .any(|name| names.contains(name));
        if again {
            redeclared.push(known.name.clone());
        }
        !again
    });
    redeclared
}

/// Moves a diagnostic from the text as compiled (with `rule ` in front)
/// onto the text as typed.
fn retarget(
    diagnostic: Diagnostic,
    compiled: &Arc<SourceFile>,
    typed: &Arc<SourceFile>,
    offset: usize,
) -> Diagnostic {
    if offset == 0 || !Arc::ptr_eq(&diagnostic.source, compiled) {
        return diagnostic;
    }
    let end = typed.text().len();
    let labels = diagnostic
        .labels
        .into_iter()
        .map(|label| Label {
            span: label.span.start.saturating_sub(offset).min(end)
                ..label.span.end.saturating_sub(offset).min(end),
            message: label.message,
        })
        .collect();
    Diagnostic {
        labels,
        source: Arc::clone(typed),
        ..diagnostic
    }
}

/// A program without rules.
pub fn empty_program() -> Program {
    Program {
        modules: Vec::new(),
        warnings: Vec::new(),
    }
}

/// The rules of a program that `keep` accepts, as a program of their own
/// (for checking or explaining a few rules of a session).
pub fn select_rules(
    program: &Program,
    mut keep: impl FnMut(usize, RuleInfo<'_>) -> bool,
) -> Program {
    let mut number = 0;
    let modules = program
        .modules
        .iter()
        .filter_map(|module| {
            let rules: Vec<_> = module
                .rules
                .iter()
                .filter(|rule| {
                    number += 1;
                    keep(number, RuleInfo { module, rule })
                })
                .cloned()
                .collect();
            (!rules.is_empty()).then(|| Module {
                rules,
                ..module.clone()
            })
        })
        .collect();
    Program {
        modules,
        warnings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declared() -> Declarations {
        let mut declarations = Declarations::new();
        declarations.declare("县域就诊率", crate::unit::parse("%").unwrap());
        declarations.declare("床位数", crate::unit::parse("张").unwrap());
        declarations
    }

    fn kind(text: &str) -> &'static str {
        match compile_entry(text, "<input>", &declared()) {
            Ok(Entry::Expression(_)) => "expression",
            Ok(Entry::Statements { program, .. }) if program.rule_count() > 0 => "rule",
            Ok(Entry::Statements { .. }) => "declaration",
            Err(_) => "error",
        }
    }

    #[test]
    fn a_declaration_carries_to_the_next_entry() {
        let Ok(Entry::Statements { declarations, .. }) =
            compile_entry("indicator 县域就诊率: %", "<input 1>", &Declarations::new())
        else {
            panic!("a declaration compiles");
        };
        let Ok(Entry::Expression(expression)) =
            compile_entry("县域就诊率 @ 2023", "<input 2>", &declarations)
        else {
            panic!("an expression compiles");
        };
        assert_eq!(expression.unit().symbol.as_ref(), "%");
    }

    #[test]
    fn typed_entries_are_told_apart() {
        for (text, expected) in [
            ("县域就诊率 @ 2023", "expression"),
            ("县域就诊率", "expression"),
            ("cagr(床位数, 2020..2024)", "expression"),
            ("(县域就诊率 - 县域就诊率 @ 2020) * 2", "expression"),
            ("县域就诊率 >= 92%", "rule"),
            ("县域就诊率 >= 92% by 2025", "rule"),
            ("rule 县域就诊率 >= 92% by 2025", "rule"),
            ("all(下级, 县域就诊率 >= 90%)", "rule"),
            ("县域就诊率 @ 2023 for 东港区", "expression"),
            ("县域就诊率 @ 2023 for each 下级 under 日照市", "expression"),
            ("县域就诊率 @ 2023 for each 下级", "error"),
            ("县域就诊率 @ 2023 by 2025", "error"),
            ("县域就诊率 >= 90% for 东港区", "rule"),
            ("indicator 门诊人次: 人次", "declaration"),
            ("scope 东港区", "declaration"),
            ("县域就诊率 >=", "error"),
            ("县域就诊律 @ 2023", "error"),
            ("", "error"),
        ] {
            assert_eq!(kind(text), expected, "{text}");
        }
    }

    #[test]
    fn diagnostics_point_into_the_text_as_typed() {
        let Err(diagnostics) = compile_entry("县域就诊律 >= 90%", "<input>", &declared())
        else {
            panic!("a typo is an error");
        };
        let diagnostic = &diagnostics.0[0];
        assert_eq!(diagnostic.code, Code::UnknownIndicator);
        assert_eq!(diagnostic.source.text(), "县域就诊律 >= 90%");
        assert_eq!(diagnostic.labels[0].span, 0.."县域就诊律".len());
    }

    #[test]
    fn a_declaration_typed_again_replaces_the_first() {
        let Ok(Entry::Statements {
            declarations,
            redeclared,
            ..
        }) = compile_entry("indicator 床位数: number", "<input>", &declared())
        else {
            panic!("redeclaring compiles");
        };
        assert_eq!(redeclared, ["床位数"]);
        let units: Vec<String> = declarations
            .indicators()
            .map(|(name, unit, _)| format!("{name}: {unit}"))
            .collect();
        assert_eq!(units, ["县域就诊率: %", "床位数: number"]);
    }

    #[test]
    fn scope_carries_over() {
        let Ok(Entry::Statements { declarations, .. }) =
            compile_entry("scope 东港区", "<input>", &declared())
        else {
            panic!("scope compiles");
        };
        assert_eq!(declarations.scope(), &ScopeIr::Entity("东港区".to_string()));
    }
}
