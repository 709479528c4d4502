//! The outline of one rule file as written: its document, imports, tiers,
//! indicator declarations, rules and every name a rule uses, each with its
//! byte span. Editors need this even while the file has errors (a
//! statement that does not parse is left out, the others are kept), so it
//! is read from the syntax tree, not from a compiled program. The
//! example of [`outline()`] shows every part.

use std::ops::Range;

use crate::diag::SourceFile;
use crate::syntax::{self, ast};

/// A name or string as written (quotes and 「」 removed) and its byte span.
/// See [`outline()`] for an example.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned {
    /// The text.
    pub text: String,
    /// Byte range in the file.
    pub span: Range<usize>,
}

/// What one file declares and uses, as [`outline()`] reads it (an example
/// is there).
#[derive(Debug, Clone, Default)]
pub struct Outline {
    /// The `document` block, if any.
    pub document: Option<DocumentEntry>,
    /// `import` paths as written.
    pub imports: Vec<Spanned>,
    /// Tier names, root first.
    pub tiers: Vec<Spanned>,
    /// Indicator declarations, one entry per declared name.
    pub indicators: Vec<IndicatorEntry>,
    /// Rules in file order.
    pub rules: Vec<RuleEntry>,
    /// Every name used as a value, entity or set in scopes and rules.
    pub names: Vec<Spanned>,
}

/// A `document` block. See [`outline()`] for an example.
#[derive(Debug, Clone)]
pub struct DocumentEntry {
    /// Its id.
    pub id: Spanned,
    /// Its title, if given.
    pub title: Option<String>,
    /// The whole block.
    pub span: Range<usize>,
}

/// One declared indicator. See [`outline()`] for an example.
#[derive(Debug, Clone)]
pub struct IndicatorEntry {
    /// The declared name.
    pub name: Spanned,
    /// Its aliases (`aka`).
    pub aliases: Vec<Spanned>,
    /// The unit as written: `%`, `number`, `ratio 床:医`, `grade A < B`.
    pub unit: String,
    /// The grades in order, lowest first, for a grade indicator.
    pub grades: Vec<String>,
    /// Which way it improves, if declared: `lower` or `higher`.
    pub better: Option<&'static str>,
}

/// One rule, symbolic or written as the policy sentence. See [`outline()`]
/// for an example.
#[derive(Debug, Clone)]
pub struct RuleEntry {
    /// Its name if given, else its condition or sentence as written.
    pub name: String,
    /// The whole statement.
    pub span: Range<usize>,
    /// `source "…"`.
    pub source: Option<String>,
    /// `owner "…"`.
    pub owner: Option<String>,
}

/// Reads the outline of a file's text.
///
/// ```
/// let text = "document \"日政办字〔2024〕23号\" {\n  title \"实施意见\"\n}\n\
///             indicator 县域就诊率: % aka 县域内就诊率\n\
///             rule 县域就诊率 >= 90% by 2025 source \"二(一)3\"\n\
///             rule 县域就诊率 >= \n";
/// let outline = zhibiao::outline::outline(text);
/// assert_eq!(outline.document.unwrap().id.text, "日政办字〔2024〕23号");
/// let indicator = &outline.indicators[0];
/// assert_eq!((indicator.name.text.as_str(), indicator.unit.as_str()), ("县域就诊率", "%"));
/// assert_eq!(indicator.aliases[0].text, "县域内就诊率");
/// // The rule that does not parse is left out; the others keep their spans.
/// assert_eq!(outline.rules.len(), 1);
/// assert_eq!(outline.rules[0].source.as_deref(), Some("二(一)3"));
/// assert_eq!(&text[outline.names[0].span.clone()], "县域就诊率");
/// ```
pub fn outline(text: &str) -> Outline {
    let file = SourceFile::new("", text);
    let (tree, _) = syntax::parse_file(&file);
    let mut outline = Outline::default();
    for statement in &tree.statements {
        match statement {
            ast::Statement::Document(document) => {
                outline.document = Some(DocumentEntry {
                    id: spanned_text(&document.id),
                    title: document.title.as_ref().map(|title| title.value.clone()),
                    span: document.span.clone(),
                });
            }
            ast::Statement::Import(path) => outline.imports.push(spanned_text(path)),
            ast::Statement::Tiers(names) => outline.tiers = names.iter().map(spanned).collect(),
            ast::Statement::Scope(target) => target_names(target, &mut outline.names),
            ast::Statement::Indicator(declaration) => indicators(declaration, &mut outline),
            // Benchmarks and groups name no indicator of their own.
            ast::Statement::Benchmark(_) | ast::Statement::Group(_) => {}
            ast::Statement::Sentence(sentence) => outline.rules.push(RuleEntry {
                name: sentence.name.as_ref().map_or_else(
                    || {
                        sentence
                            .sentence
                            .value
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ")
                    },
                    |name| name.value.clone(),
                ),
                span: sentence.span.clone(),
                source: sentence
                    .clauses
                    .source
                    .as_ref()
                    .map(|text| text.value.clone()),
                owner: sentence
                    .clauses
                    .owner
                    .as_ref()
                    .map(|text| text.value.clone()),
            }),
            ast::Statement::Rule(rule) => {
                let condition = text[rule.condition.span.clone()].trim_end();
                outline.rules.push(RuleEntry {
                    name: rule
                        .name
                        .as_ref()
                        .map_or_else(|| condition.to_string(), |name| name.value.clone()),
                    span: rule.span.clone(),
                    source: rule.clauses.source.as_ref().map(|text| text.value.clone()),
                    owner: rule.clauses.owner.as_ref().map(|text| text.value.clone()),
                });
                cond_names(&rule.condition, &mut outline.names);
                if let Some(target) = &rule.clauses.target {
                    target_names(target, &mut outline.names);
                }
            }
        }
    }
    outline
}

fn spanned(name: &ast::Name) -> Spanned {
    Spanned {
        text: name.text.clone(),
        span: name.span.clone(),
    }
}

fn spanned_text(text: &ast::Text) -> Spanned {
    Spanned {
        text: text.value.clone(),
        span: text.span.clone(),
    }
}

fn indicators(declaration: &ast::IndicatorDecl, outline: &mut Outline) {
    let (unit, grades) = match &declaration.unit {
        ast::UnitSpec::Number => ("number".to_string(), Vec::new()),
        ast::UnitSpec::Ratio { first, second } => {
            (format!("ratio {}:{}", first.text, second.text), Vec::new())
        }
        ast::UnitSpec::Grade { values, .. } => {
            let grades: Vec<String> = values.iter().map(|value| value.text.clone()).collect();
            (format!("grade {}", grades.join(" < ")), grades)
        }
        ast::UnitSpec::Written { text, .. } => (text.clone(), Vec::new()),
    };
    for name in &declaration.names {
        outline.indicators.push(IndicatorEntry {
            name: spanned(name),
            aliases: declaration.aliases.iter().map(spanned).collect(),
            unit: unit.clone(),
            grades: grades.clone(),
            better: declaration.better.as_ref().map(|(better, _)| better.word()),
        });
    }
}

fn target_names(target: &ast::Target, names: &mut Vec<Spanned>) {
    match target {
        ast::Target::Entity(name) => names.push(spanned(name)),
        ast::Target::Each { tier, under } => {
            names.push(spanned(tier));
            names.extend(under.iter().map(spanned));
        }
    }
}

// The syntax tree is at most MAX_NESTING brackets and MAX_OPERATORS
// operators deep, so these walks cannot exhaust the stack.
fn cond_names(cond: &ast::Cond, names: &mut Vec<Spanned>) {
    match &cond.kind {
        ast::CondKind::Or(parts) | ast::CondKind::And(parts) => {
            parts.iter().for_each(|part| cond_names(part, names));
        }
        ast::CondKind::Not(inner) => cond_names(inner, names),
        ast::CondKind::Compare { left, right, .. } => {
            expr_names(left, names);
            expr_names(right, names);
        }
        ast::CondKind::Between { value, low, high } => {
            [value, low, high]
                .into_iter()
                .for_each(|expr| expr_names(expr, names));
        }
        ast::CondKind::Approx {
            value,
            center,
            tolerance,
        } => {
            expr_names(value, names);
            expr_names(center, names);
            tolerance.iter().for_each(|expr| expr_names(expr, names));
        }
        ast::CondKind::Trend { value, trend, .. } => {
            expr_names(value, names);
            if let ast::Trend::Step { amount, .. } = trend {
                expr_names(amount, names);
            }
        }
        ast::CondKind::Better { left, right, .. } => {
            expr_names(left, names);
            expr_names(right, names);
        }
        ast::CondKind::Bare(expr) => expr_names(expr, names),
    }
}

fn expr_names(expr: &ast::Expr, names: &mut Vec<Spanned>) {
    match &expr.kind {
        ast::ExprKind::Name(name) => names.push(spanned(name)),
        ast::ExprKind::Quantity { .. } | ast::ExprKind::Text(_) => {}
        ast::ExprKind::Call { args, .. } => {
            for arg in args {
                match arg {
                    ast::Arg::Span(_) => {}
                    ast::Arg::Filtered { set, under, filter } => {
                        names.push(spanned(set));
                        names.extend(under.iter().map(spanned));
                        if let Some(filter) = filter {
                            cond_names(filter, names);
                        }
                    }
                    ast::Arg::Cond(cond) => cond_names(cond, names),
                }
            }
        }
        ast::ExprKind::At { value, at } => {
            expr_names(value, names);
            if let ast::AtTarget::Entity(entity) = at {
                names.push(spanned(entity));
            }
        }
        ast::ExprKind::Binary { left, right, .. } => {
            expr_names(left, names);
            expr_names(right, names);
        }
        ast::ExprKind::Neg(inner) => expr_names(inner, names),
        ast::ExprKind::Paren(inner) => cond_names(inner, names),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_that_parse_are_kept_beside_ones_that_do_not() {
        let text = "tiers 省级 > 市级\nindicator 床位数: 张\nrule 床位数 >= >= 9张\nrule \"甲\" all(下级 where 类型 == \"医院\", 床位数 @ 上级 >= 9张) by 2025 owner \"委\"\n";
        let outline = outline(text);
        assert_eq!(outline.tiers.len(), 2);
        assert_eq!(outline.indicators[0].unit, "张");
        assert_eq!(outline.rules.len(), 1);
        assert_eq!(outline.rules[0].name, "甲");
        assert_eq!(outline.rules[0].owner.as_deref(), Some("委"));
        let names: Vec<&str> = outline.names.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(names, ["下级", "类型", "床位数", "上级"]);
        for name in &outline.names {
            assert_eq!(&text[name.span.clone()], name.text);
        }
    }

    #[test]
    fn grades_and_ratios_are_described_as_declared() {
        let outline = outline("indicator 等级: grade 二级 < 三级\nindicator 床医比: ratio 床:医\n");
        assert_eq!(outline.indicators[0].unit, "grade 二级 < 三级");
        assert_eq!(outline.indicators[0].grades, ["二级", "三级"]);
        assert_eq!(outline.indicators[1].unit, "ratio 床:医");
    }
}
