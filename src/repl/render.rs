//! How the session's answers are written: values per entity, what an entry
//! declared, and the lists of `:indicators`, `:entities` and `:rules`. CJK
//! text is aligned by display width.

use std::fmt::Write;

use crate::data::{DataSource, Dataset, EntityId};
use crate::eval::Unknown;
use crate::ir::{Program, ScopeIr, SetKind};
use crate::repl::compile::Declarations;
use crate::report::diagnostics::Style;
use crate::report::table::{pad, truncate};
use crate::unit::Unit;

use unicode_width::UnicodeWidthStr;

/// Paints text with an ANSI colour code when the style allows it.
pub fn paint(text: &str, code: &str, style: Style) -> String {
    match style {
        Style::Fancy => format!("\u{1b}[{code}m{text}\u{1b}[0m"),
        Style::Plain => text.to_string(),
    }
}

/// A unit as a declaration writes it; a ratio found in data without
/// named terms is `ratio 1:x`.
pub fn unit(unit: &Unit) -> String {
    match &unit.terms {
        Some((first, second)) if first.is_empty() && second.is_empty() => "ratio 1:x".to_string(),
        _ => unit.to_string(),
    }
}

/// Why a value is not known, in words.
pub fn unknown(why: &Unknown, as_of: Option<i32>) -> String {
    match why {
        Unknown::Missing(gap) => format!(
            "no value of {} for {} in {}",
            gap.indicator, gap.entity, gap.year
        ),
        Unknown::Pending => match as_of {
            Some(year) => format!("after the as-of year {year}"),
            None => "after the as-of year".to_string(),
        },
        Unknown::Error(why) => format!("error: {why}"),
    }
}

/// Values per entity, one line each: `东港区  88%`. `year`, the as-of
/// year, is said first when some value was read in it for want of `@ YEAR`.
pub fn values(
    rows: &[(String, Result<String, String>)],
    year: Option<i32>,
    style: Style,
) -> String {
    let mut out = String::new();
    if let Some(year) = year {
        let note = format!("as of {year} (values without `@ YEAR` are that year's)");
        let _ = writeln!(out, "{}", paint(&note, "2", style));
    }
    let width = rows
        .iter()
        .map(|(entity, _)| entity.width())
        .max()
        .unwrap_or(0);
    for (entity, value) in rows {
        let value = match value {
            Ok(value) => paint(value, "1", style),
            Err(why) => paint(&format!("— {why}"), "2", style),
        };
        let _ = writeln!(out, "{}  {value}", pad(entity, width));
    }
    out
}

/// What an entry declared: new and redeclared indicators, tiers, the scope
/// and the document.
pub fn declared(before: &Declarations, after: &Declarations, redeclared: &[String]) -> String {
    let mut out = String::new();
    for (name, unit, aliases) in after.indicators() {
        let again = redeclared.iter().any(|known| known == name);
        if before.is_declared(name) && !again {
            continue;
        }
        let verb = if again { "redeclared" } else { "declared" };
        let aka = if aliases.is_empty() {
            String::new()
        } else {
            format!(" aka {}", aliases.join(", "))
        };
        let _ = writeln!(out, "{verb} {name}: {}{aka}", self::unit(unit));
    }
    if after.tiers() != before.tiers() {
        let _ = writeln!(out, "tiers {}", after.tiers().join(" > "));
    }
    if let Some(document) = after.document() {
        if before.document().map(|known| &known.id) != Some(&document.id) {
            let _ = writeln!(out, "document {}", document.id);
        }
    }
    if after.scope() != before.scope() {
        let _ = writeln!(out, "scope {}", scope(after.scope()));
    }
    out
}

/// `, scope 日照市` when loading changed the scope.
pub fn scope_change(before: &Declarations, after: &Declarations) -> String {
    if after.scope() == before.scope() {
        String::new()
    } else {
        format!(", scope {}", scope(after.scope()))
    }
}

/// A scope as it is written: `东港区`, `each 县级 under 山东省`.
pub fn scope(scope: &ScopeIr) -> String {
    match scope {
        ScopeIr::Entity(name) => name.clone(),
        ScopeIr::Each { tier, under } => {
            let tier = match tier {
                SetKind::Children => crate::vocab::CHILDREN.to_string(),
                SetKind::Descendants => crate::vocab::DESCENDANTS.to_string(),
                SetKind::Peers => crate::vocab::PEERS.to_string(),
                SetKind::Tier { name, .. } => name.clone(),
            };
            match under {
                Some(under) => format!("each {tier} under {under}"),
                None => format!("each {tier}"),
            }
        }
        ScopeIr::Roots => "every root entity of the data".to_string(),
    }
}

/// Items joined by `, `, at most `max` of them.
pub fn list(items: &[String], max: usize) -> String {
    let mut text = items
        .iter()
        .take(max)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > max {
        let _ = write!(text, " and {} more", items.len() - max);
    }
    text
}

/// `:indicators`: each declared indicator, its unit, and where it is from.
pub fn indicators(
    declarations: &Declarations,
    auto_declared: &[String],
    data: Option<&Dataset>,
) -> String {
    let rows: Vec<[String; 3]> = declarations
        .indicators()
        .map(|(name, unit, aliases)| {
            let origin = if auto_declared.iter().any(|auto| *auto == name) {
                "declared from the data"
            } else if data.is_some_and(|data| {
                std::iter::once(name)
                    .chain(aliases.iter().map(String::as_str))
                    .all(|name| data.find_indicator(name).is_none())
            }) {
                "not in the data"
            } else {
                ""
            };
            let mut shown = name.to_string();
            if !aliases.is_empty() {
                let _ = write!(shown, " aka {}", aliases.join(", "));
            }
            [shown, self::unit(unit), origin.to_string()]
        })
        .collect();
    if rows.is_empty() {
        return "no indicators declared: type `indicator NAME: UNIT`, `:load` rules or `:data` data\n"
            .to_string();
    }
    columns(&rows)
}

/// `:entities`: the entity tree, indented by depth, with each tier.
pub fn entities(data: &Dataset, limit: usize) -> String {
    let mut out = String::new();
    let mut stack: Vec<EntityId> = (0..data.entity_count() as u32)
        .rev()
        .map(EntityId)
        .filter(|entity| data.parent(*entity).is_none())
        .collect();
    let mut shown = 0;
    while let Some(entity) = stack.pop() {
        if shown == limit {
            let _ = writeln!(out, "… {} more not shown", data.entity_count() - shown);
            break;
        }
        shown += 1;
        let tier = data
            .tier(entity)
            .map(|tier| format!(" ({tier})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}{}{tier}",
            "  ".repeat(data.depth(entity)),
            data.entity_name(entity)
        );
        stack.extend(data.children(entity).iter().rev().copied());
    }
    if out.is_empty() {
        out.push_str("no entities: the data is empty\n");
    }
    out
}

/// `:rules`: every rule, numbered, with where it is from.
pub fn rules(program: &Program) -> String {
    let rows: Vec<[String; 3]> = program
        .rules()
        .enumerate()
        .map(|(at, rule)| {
            [
                format!("#{}", at + 1),
                truncate(rule.text(), 72),
                format!("{}:{}", rule.file(), rule.line()),
            ]
        })
        .collect();
    if rows.is_empty() {
        return "no rules: type one (`rule 县域就诊率 >= 90% by 2025`) or `:load FILE`\n"
            .to_string();
    }
    columns(&rows)
}

/// Rows of cells in columns aligned by display width.
fn columns<const N: usize>(rows: &[[String; N]]) -> String {
    let mut widths = [0; N];
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    let mut out = String::new();
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| pad(cell, width))
            .collect();
        let _ = writeln!(out, "{}", line.join("  ").trim_end());
    }
    out
}
