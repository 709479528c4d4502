//! The checker: resolves names, checks units and years, and turns one
//! file's syntax tree into a compiled module. Every problem becomes a
//! diagnostic; checking goes on after each one.

mod cond;
mod direction;
mod expr;
mod functions;
mod named;
mod sentence;
mod units;

use std::sync::Arc;

use indexmap::IndexMap;

use crate::diag::{closest, Code, Diagnostic, SourceFile};
use crate::ir::{
    BenchmarkInfo, CondIr, DocumentInfo, IndicatorInfo, Module, RuleIr, ScopeIr, SetKind, Timing,
};
use crate::syntax::ast::{self, Statement, Target};
use crate::unit::{self, Unit};
use crate::vocab::{CHILDREN, DESCENDANTS, PARENT, PEERS};

/// Declarations brought in by `import`, keyed by name.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    pub indicators: Vec<IndicatorInfo>,
    pub benchmarks: Vec<BenchmarkInfo>,
    pub groups: Vec<(String, Vec<String>)>,
    pub tiers: Vec<String>,
}

#[cfg(feature = "cli")]
/// A value expression checked on its own (the REPL).
#[derive(Debug, Clone)]
pub struct CheckedExpression {
    /// Its compiled form.
    pub ir: crate::ir::ExprIr,
    /// The unit of its values.
    pub unit: Unit,
    /// The entities it is read for.
    pub scope: ScopeIr,
}

/// Checks one file and builds its module.
pub struct Checker<'a> {
    source: &'a Arc<SourceFile>,
    diagnostics: Vec<Diagnostic>,
    /// The `document` block in force: the last one above the statement.
    document: Option<Arc<DocumentInfo>>,
    /// Every document block of the file by where it starts, and its id's span.
    documents: Vec<(usize, Arc<DocumentInfo>, ast::Span)>,
    indicators: Vec<IndicatorInfo>,
    /// `benchmark` constants: canonical value and unit.
    /// `benchmark` constants: canonical value, unit (none for a bare
    /// number) and where declared.
    benchmarks: IndexMap<String, (f64, Option<Unit>, ast::Span)>,
    /// `group` names: their member indicators and where declared.
    groups: IndexMap<String, (Vec<String>, ast::Span)>,
    benchmark_infos: Vec<BenchmarkInfo>,
    /// Every name and alias to its indicator, with where it was declared.
    names: IndexMap<String, (usize, ast::Span)>,
    tiers: Vec<String>,
    tiers_span: Option<ast::Span>,
    scope: ScopeIr,
    rule_names: IndexMap<String, ast::Span>,
    rules: Vec<RuleIr>,
}

impl<'a> Checker<'a> {
    pub fn new(source: &'a Arc<SourceFile>, imported: Imported) -> Self {
        let mut checker = Checker {
            source,
            diagnostics: Vec::new(),
            document: None,
            documents: Vec::new(),
            indicators: Vec::new(),
            benchmarks: IndexMap::new(),
            groups: IndexMap::new(),
            benchmark_infos: Vec::new(),
            names: IndexMap::new(),
            tiers: imported.tiers,
            tiers_span: None,
            scope: ScopeIr::Roots,
            rule_names: IndexMap::new(),
            rules: Vec::new(),
        };
        for info in imported.indicators {
            let index = checker.indicators.len();
            for name in std::iter::once(&info.name).chain(&info.aliases) {
                checker.names.insert(name.clone(), (index, 0..0));
            }
            checker.indicators.push(info);
        }
        for info in imported.benchmarks {
            let (value, unit) = info.canonical.clone();
            checker
                .benchmarks
                .insert(info.name.clone(), (value, unit, 0..0));
            checker.benchmark_infos.push(info);
        }
        for (name, members) in imported.groups {
            checker.groups.insert(name, (members, 0..0));
        }
        checker
    }

    /// Checks every statement; returns the module and all diagnostics.
    pub fn check(mut self, file: &ast::File) -> (Module, Vec<Diagnostic>) {
        self.declare(file);
        for statement in &file.statements {
            match statement {
                Statement::Document(document) => self.enter_document(document),
                Statement::Scope(target) => {
                    let outer = self.scope.clone();
                    self.scope = self.scope_of(target, Some(&outer));
                }
                Statement::Rule(rule) => self.rule(rule, None),
                Statement::Sentence(sentence) => self.sentence(sentence),
                _ => {}
            }
        }
        let module = Module {
            source: Arc::clone(self.source),
            document: self.document.map(|document| (*document).clone()),
            indicators: self.indicators,
            benchmarks: self.benchmark_infos,
            groups: self
                .groups
                .into_iter()
                .map(|(name, (members, _))| (name, members))
                .collect(),
            tiers: self.tiers,
            rules: self.rules,
            #[cfg(feature = "cli")]
            scope: self.scope,
        };
        (module, self.diagnostics)
    }

    /// Takes in a file's declarations (indicators, tiers, document), so a
    /// rule may use an indicator declared below it, and `zhibiao fmt` can
    /// read sentences against them.
    pub(crate) fn declare(&mut self, file: &ast::File) {
        for statement in &file.statements {
            match statement {
                Statement::Indicator(declaration) => self.indicator(declaration),
                Statement::Tiers(names) => self.declare_tiers(names),
                Statement::Document(document) => self.document(document),
                _ => {}
            }
        }
        // Benchmarks and groups may name indicators declared anywhere, and
        // groups may list benchmarks.
        for statement in &file.statements {
            if let Statement::Benchmark(declaration) = statement {
                self.benchmark(declaration);
            }
        }
        for statement in &file.statements {
            if let Statement::Group(declaration) = statement {
                self.group(declaration);
            }
        }
    }

    #[cfg(feature = "cli")]
    /// Starts from a scope and document already in force: the REPL checks
    /// each typed line on its own, after the lines before it.
    pub fn with_session(mut self, scope: ScopeIr, document: Option<DocumentInfo>) -> Self {
        self.scope = scope;
        self.document = document.map(Arc::new);
        self
    }

    #[cfg(feature = "cli")]
    /// Checks a value expression typed on its own (the REPL), with the
    /// target of its `for` clause, if any, relative to the scope in force.
    pub fn check_expression(
        mut self,
        expression: &ast::Expr,
        target: Option<&Target>,
    ) -> (Option<CheckedExpression>, Vec<Diagnostic>) {
        let scope = match target {
            Some(target) => {
                let outer = self.scope.clone();
                self.scope_of(target, Some(&outer))
            }
            None => self.scope.clone(),
        };
        let errors_before = self.diagnostics.len();
        let period = self.document.as_ref().and_then(|document| document.period);
        let mut typer = expr::Typer::new(&mut self, None, period);
        let checked = typer
            .value_expression(expression)
            .map(|(ir, unit)| CheckedExpression { ir, unit, scope });
        let failed = self.diagnostics[errors_before..]
            .iter()
            .any(Diagnostic::is_error);
        (checked.filter(|_| !failed), self.diagnostics)
    }

    fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn document(&mut self, document: &ast::DocumentDecl) {
        let first = self
            .documents
            .iter()
            .find(|(_, known, _)| known.id == document.id.value)
            .map(|(_, _, span)| span.clone());
        if let Some(first) = first {
            let diagnostic = Diagnostic::error(
                self.source,
                Code::DuplicateDocument,
                document.id.span.clone(),
                format!("document `{}` is given twice", document.id.value),
                "given again here",
            )
            .with_label(first, "first given here")
            .with_help("each `document` block names its own document; the rules below a block belong to it");
            self.error(diagnostic);
            return;
        }
        if let Some(period) = document.period {
            self.check_span(period.from, period.to);
        }
        if let Some(issued) = &document.issued {
            let parts: Vec<u32> = issued
                .value
                .split('-')
                .filter_map(|part| part.parse().ok())
                .collect();
            let valid = matches!(parts.as_slice(), [_, month, day] if (1..=12).contains(month) && (1..=31).contains(day));
            if !valid {
                self.error(
                    Diagnostic::error(
                        self.source,
                        Code::BadDate,
                        issued.span.clone(),
                        format!("`{}` is not a date", issued.value),
                        "not a valid date",
                    )
                    .with_help("write the date as `YYYY-MM-DD`, like `2024-06-17`"),
                );
            }
        }
        let info = DocumentInfo {
            id: document.id.value.clone(),
            title: document.title.as_ref().map(|text| text.value.clone()),
            issued: document.issued.as_ref().map(|text| text.value.clone()),
            baseline: document.baseline.map(|year| year.value),
            period: document.period.map(|span| (span.from.value, span.to.value)),
        };
        self.documents.push((
            document.span.start,
            Arc::new(info),
            document.id.span.clone(),
        ));
    }

    /// A `document` block puts its document in force for the statements below it.
    pub(crate) fn enter_document(&mut self, document: &ast::DocumentDecl) {
        if let Some((_, info, _)) = self
            .documents
            .iter()
            .find(|(start, _, _)| *start == document.span.start)
        {
            self.document = Some(Arc::clone(info));
        }
    }

    fn declare_tiers(&mut self, names: &[ast::Name]) {
        if let Some(first) = &self.tiers_span {
            let span = names.first().map_or(0..0, |name| name.span.clone());
            let diagnostic = Diagnostic::error(
                self.source,
                Code::DuplicateDeclaration,
                span,
                "`tiers` is declared twice",
                "declared again here",
            )
            .with_label(first.clone(), "first declared here")
            .with_help("keep one `tiers` line");
            self.error(diagnostic);
            return;
        }
        let mut seen: IndexMap<&str, ast::Span> = IndexMap::new();
        for name in names {
            if let Some(first) = seen.get(name.text.as_str()) {
                let diagnostic = Diagnostic::error(
                    self.source,
                    Code::DuplicateDeclaration,
                    name.span.clone(),
                    format!("tier `{}` is named twice", name.text),
                    "named again here",
                )
                .with_label(first.clone(), "first named here")
                .with_help("each depth of the tree has its own name");
                self.error(diagnostic);
            }
            seen.insert(&name.text, name.span.clone());
        }
        self.tiers_span = names
            .first()
            .map(|name| name.span.start..names.last().map_or(0, |last| last.span.end));
        self.tiers = names.iter().map(|name| name.text.clone()).collect();
    }

    fn indicator(&mut self, declaration: &ast::IndicatorDecl) {
        let Some(unit) = self.declared_unit(&declaration.unit) else {
            return;
        };
        for name in &declaration.names {
            let index = self.indicators.len();
            if !self.declare_name(name, index) {
                continue;
            }
            self.indicators.push(IndicatorInfo {
                name: name.text.clone(),
                aliases: declaration
                    .aliases
                    .iter()
                    .map(|alias| alias.text.clone())
                    .collect(),
                unit: unit.clone(),
                better: declaration.better.as_ref().map(|(better, _)| *better),
            });
            for alias in &declaration.aliases {
                self.declare_name(alias, index);
            }
        }
    }

    fn declare_name(&mut self, name: &ast::Name, index: usize) -> bool {
        if let Some((_, first)) = self.names.get(&name.text) {
            let mut diagnostic = Diagnostic::error(
                self.source,
                Code::DuplicateDeclaration,
                name.span.clone(),
                format!("indicator `{}` is declared twice", name.text),
                "declared again here",
            )
            .with_help("keep one declaration, or give the second indicator another name");
            if first.end > 0 {
                diagnostic = diagnostic.with_label(first.clone(), "first declared here");
            }
            self.error(diagnostic);
            return false;
        }
        if [CHILDREN, DESCENDANTS, PARENT, PEERS].contains(&name.text.as_str()) {
            self.error(
                Diagnostic::error(
                    self.source,
                    Code::ReservedName,
                    name.span.clone(),
                    format!("`{}` is a reserved word of the language", name.text),
                    "reserved",
                )
                .with_help("`上级`, `下级`, `下属` and `同级` name entities relative to the one checked; choose another name"),
            );
            return false;
        }
        self.names
            .insert(name.text.clone(), (index, name.span.clone()));
        true
    }

    fn declared_unit(&mut self, spec: &ast::UnitSpec) -> Option<Unit> {
        match spec {
            ast::UnitSpec::Number => Some(Unit::number()),
            ast::UnitSpec::Ratio { first, second } => {
                Some(Unit::ratio_of(&first.text, &second.text))
            }
            ast::UnitSpec::Grade { values, span } => {
                let mut names: Vec<String> = Vec::new();
                for value in values {
                    if names.contains(&value.text) {
                        self.error(
                            Diagnostic::error(
                                self.source,
                                Code::DuplicateDeclaration,
                                value.span.clone(),
                                format!("grade `{}` is listed twice", value.text),
                                "listed again here",
                            )
                            .with_help("list each grade once, lowest first"),
                        );
                        return None;
                    }
                    names.push(value.text.clone());
                }
                if names.len() < 2 {
                    self.error(
                        Diagnostic::error(
                            self.source,
                            Code::BadGradeList,
                            span.clone(),
                            "a grade needs at least two values",
                            "only one grade here",
                        )
                        .with_help(
                            "list the grades lowest first: `grade 二级乙等 < 二级甲等 < 三级甲等`",
                        ),
                    );
                    return None;
                }
                Some(Unit::grade(names))
            }
            ast::UnitSpec::Written { text, span } => match unit::parse(text) {
                Ok(unit) => Some(unit),
                Err(unknown) => {
                    self.error(units::unknown_unit(
                        self.source,
                        text,
                        span.clone(),
                        unknown,
                    ));
                    None
                }
            },
        }
    }

    fn check_span(&mut self, from: ast::Year, to: ast::Year) -> bool {
        for year in [from, to] {
            if !(1900..=2200).contains(&year.value) {
                self.error(
                    Diagnostic::error(
                        self.source,
                        Code::BadYear,
                        year.span(),
                        format!("`{}` is not a plausible year", year.value),
                        "year out of range",
                    )
                    .with_help("years run from 1900 to 2200"),
                );
                return false;
            }
        }
        if from.value > to.value {
            self.error(
                Diagnostic::error(
                    self.source,
                    Code::YearOrder,
                    from.start..to.end,
                    format!(
                        "the span runs backwards, from {} to {}",
                        from.value, to.value
                    ),
                    "first year is after the last",
                )
                .with_help(format!(
                    "write the earlier year first: {} … {}",
                    to.value, from.value
                )),
            );
            return false;
        }
        true
    }

    fn check_year(&mut self, year: ast::Year) -> bool {
        self.check_span(year, year)
    }

    /// The scope of a `scope` statement or a `for` clause. `outer` is the
    /// file's scope, which `for each 下级` is relative to and which `for each
    /// TIER` stays inside: with several regions' data loaded, a file's rules
    /// check its own region's counties, not every county in the data.
    fn scope_of(&mut self, target: &Target, outer: Option<&ScopeIr>) -> ScopeIr {
        match target {
            Target::Entity(name) => ScopeIr::Entity(name.text.clone()),
            Target::Each { tier, under } => {
                let Some(kind) = self.set_kind(tier, true) else {
                    return ScopeIr::Roots;
                };
                let relative = matches!(
                    kind,
                    SetKind::Children | SetKind::Descendants | SetKind::Peers
                );
                let under = match (under, relative, outer) {
                    (Some(name), _, _) => Some(name.text.clone()),
                    (None, true, Some(ScopeIr::Entity(entity))) => Some(entity.clone()),
                    (None, true, _) => {
                        self.error(
                            Diagnostic::error(
                                self.source,
                                Code::RelativeScope,
                                tier.span.clone(),
                                format!("`for each {}` needs one entity to be relative to", tier.text),
                                "relative to what?",
                            )
                            .with_help(format!(
                                "set `scope ENTITY` above the rule, or write `for each {} under ENTITY`",
                                tier.text
                            )),
                        );
                        return ScopeIr::Roots;
                    }
                    (None, false, Some(ScopeIr::Entity(entity))) => Some(entity.clone()),
                    (None, false, _) => None,
                };
                ScopeIr::Each { tier: kind, under }
            }
        }
    }

    /// A set name: `下级`, `下属` or a tier. With `tiers` declared, a tier
    /// must be one of them; otherwise it is looked up in the data's `级别`.
    fn set_kind(&mut self, name: &ast::Name, report: bool) -> Option<SetKind> {
        match name.text.as_str() {
            CHILDREN => return Some(SetKind::Children),
            DESCENDANTS => return Some(SetKind::Descendants),
            PEERS => return Some(SetKind::Peers),
            _ => {}
        }
        if let Some(depth) = self.tiers.iter().position(|tier| *tier == name.text) {
            return Some(SetKind::Tier {
                name: name.text.clone(),
                depth: Some(depth),
            });
        }
        if self.names.contains_key(&name.text) {
            if report {
                self.error(
                    Diagnostic::error(
                        self.source,
                        Code::NotASet,
                        name.span.clone(),
                        format!("`{}` is an indicator, not a set of entities", name.text),
                        "expected `下级`, `下属` or a tier",
                    )
                    .with_help("aggregates over entities start with a set: `share(下级, 县域就诊率 >= 90%)`"),
                );
            }
            return None;
        }
        if !self.tiers.is_empty() {
            if report {
                let mut diagnostic = Diagnostic::error(
                    self.source,
                    Code::UnknownTier,
                    name.span.clone(),
                    format!("`{}` is not a declared tier", name.text),
                    "unknown tier",
                );
                let candidates = self
                    .tiers
                    .iter()
                    .map(String::as_str)
                    .chain([CHILDREN, DESCENDANTS]);
                // Tier names are short, so a near one may be another tier
                // altogether: list them all.
                let guess = closest(&name.text, candidates)
                    .map(|near| format!("did you mean `{near}`? "))
                    .unwrap_or_default();
                diagnostic = diagnostic.with_help(format!(
                    "{guess}the declared tiers are {}; `下级` and `下属` name children and descendants",
                    self.tiers.iter().map(|tier| format!("`{tier}`")).collect::<Vec<_>>().join(", ")
                ));
                self.error(diagnostic);
            }
            return None;
        }
        Some(SetKind::Tier {
            name: name.text.clone(),
            depth: None,
        })
    }

    /// Checks one rule. `read_as` names a rule read from a sentence, whose
    /// condition has no text of its own.
    fn rule(&mut self, rule: &ast::RuleDecl, read_as: Option<String>) {
        let symbolic = read_as
            .is_some()
            .then(|| crate::phrase::render::condition(&rule.condition));
        let errors_before = self.diagnostics.len();
        let clauses = &rule.clauses;
        let condition_text = collapse(&self.source.text()[rule.condition.span.clone()]);
        let name = match &rule.name {
            _ if read_as.is_some() => read_as.unwrap_or_default(),
            Some(name) => {
                if let Some(first) = self.rule_names.get(&name.value) {
                    let diagnostic = Diagnostic::error(
                        self.source,
                        Code::DuplicateRule,
                        name.span.clone(),
                        format!("rule `{}` is named twice", name.value),
                        "named again here",
                    )
                    .with_label(first.clone(), "first named here")
                    .with_help("rule names identify outcomes in reports; give each rule its own");
                    self.error(diagnostic);
                }
                self.rule_names
                    .insert(name.value.clone(), name.span.clone());
                name.value.clone()
            }
            None => condition_text.clone(),
        };
        if let (Some(binding), Some(expected)) = (&clauses.binding, &clauses.expected) {
            let diagnostic = Diagnostic::error(
                self.source,
                Code::ConflictingClauses,
                expected.clone(),
                "a rule is either `binding` or `expected`, not both",
                "expected here",
            )
            .with_label(binding.clone(), "binding here")
            .with_help("keep `expected` for 力争/争取 targets, `binding` (the default) otherwise");
            self.error(diagnostic);
        }
        let timing = self.timing(rule);
        let since = clauses
            .since
            .filter(|year| self.check_year(*year))
            .map(|year| year.value);
        let scope = match &clauses.target {
            Some(target) => {
                let outer = self.scope.clone();
                self.scope_of(target, Some(&outer))
            }
            None => self.scope.clone(),
        };
        let period = self.document.as_ref().and_then(|document| document.period);
        // A rule naming a group is one rule per member, and one for them
        // all; groups named together are taken member by member.
        let Some(groups) = self.groups_of(&rule.condition) else {
            return;
        };
        let mut compiled: Vec<(String, CondIr, Option<i32>)> = Vec::new();
        let members: Vec<String> = groups
            .first()
            .map(|(_, members)| members.clone())
            .unwrap_or_default();
        if groups.is_empty() {
            let mut typer = expr::Typer::new(self, timing, period);
            let condition = typer.rule_condition(&rule.condition);
            let due = typer.latest_year;
            compiled.extend(condition.map(|condition| (name.clone(), condition, due)));
        } else {
            for (at, member) in members.iter().enumerate() {
                let pairs: Vec<(&str, &str)> = groups
                    .iter()
                    .map(|(group, members)| (group.as_str(), members[at].as_str()))
                    .collect();
                let (condition, text) =
                    named::substitute(&rule.condition, &pairs, self.source.text());
                let mut typer = expr::Typer::new(self, timing, period);
                let condition = typer.rule_condition(&condition);
                let due = typer.latest_year;
                let member_name = match &rule.name {
                    Some(name) => format!("{}: {member}", name.value),
                    None => collapse(&text),
                };
                compiled.extend(condition.map(|condition| (member_name, condition, due)));
            }
            named::dedupe(&mut self.diagnostics, errors_before);
        }
        if self.diagnostics[errors_before..]
            .iter()
            .any(Diagnostic::is_error)
        {
            return;
        }
        if !groups.is_empty() {
            let due = compiled.iter().filter_map(|(_, _, due)| *due).max();
            let parts = members
                .iter()
                .cloned()
                .zip(compiled.iter().map(|(_, condition, _)| condition.clone()))
                .collect();
            compiled.push((name, CondIr::Members(parts), due));
        }
        for (name, condition, implicit_due) in compiled {
            self.rules.push(RuleIr {
                symbolic: symbolic.clone(),
                name,
                text: collapse(&self.source.text()[rule.span.clone()]),
                span: rule.span.clone(),
                source: clauses.source.as_ref().map(|text| text.value.clone()),
                owner: clauses.owner.as_ref().map(|text| text.value.clone()),
                tags: clauses
                    .tags
                    .iter()
                    .flatten()
                    .map(|text| text.value.clone())
                    .collect(),
                binding: clauses.expected.is_none(),
                missing_as_fail: clauses.missing_as_fail.is_some(),
                scope: scope.clone(),
                timing: timing.unwrap_or(Timing::Implicit { due: implicit_due }),
                since,
                condition,
                document: self.document.clone(),
            });
        }
    }

    /// The rule's years from `by`, `in` or `from … to`; at most one.
    fn timing(&mut self, rule: &ast::RuleDecl) -> Option<Timing> {
        let clauses = &rule.clauses;
        let mut given: Vec<(Timing, ast::Span, &str)> = Vec::new();
        if let Some(year) = clauses.by {
            if self.check_year(year) {
                given.push((Timing::By { year: year.value }, year.span(), "by"));
            }
        }
        if let Some(year) = clauses.in_year {
            if self.check_year(year) {
                given.push((Timing::In { year: year.value }, year.span(), "in"));
            }
        }
        if let Some((from, to)) = clauses.from_to {
            if self.check_span(from, to) {
                given.push((
                    Timing::Every {
                        from: from.value,
                        to: to.value,
                    },
                    from.start..to.end,
                    "from … to",
                ));
            }
        }
        if let Some(since) = clauses.since {
            let deadline = given.iter().map(|(timing, _, _)| match timing {
                Timing::By { year } | Timing::In { year } => *year,
                Timing::Every { to, .. } => *to,
                Timing::Implicit { .. } => i32::MAX,
            });
            if deadline.clone().any(|year| since.value >= year) {
                self.error(
                    Diagnostic::error(
                        self.source,
                        Code::YearOrder,
                        since.span(),
                        "the base year is not before the deadline",
                        "base year here",
                    )
                    .with_help("`since` names the base year progress is measured from; it comes before `by`"),
                );
            }
        }
        if given.len() > 1 {
            let (_, first_span, first) = given[0].clone();
            let (_, second_span, second) = given[1].clone();
            self.error(
                Diagnostic::error(
                    self.source,
                    Code::ConflictingClauses,
                    second_span,
                    format!("a rule has one time clause, but this one has `{first}` and `{second}`"),
                    format!("`{second}` here"),
                )
                .with_label(first_span, format!("`{first}` here"))
                .with_help("`by` is a deadline, `in` an annual task, `from … to` every year of a span: choose one"),
            );
        }
        given.first().map(|(timing, _, _)| *timing)
    }
}

/// Collapses runs of white space (and line breaks) into single spaces.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let line = crate::syntax::split::strip_comment(line).trim();
        if line.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&line.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    out
}
