//! Hover, go to definition, find references and document symbols. Names
//! are found in the outlines, so these work while a file has errors; what
//! needs the compiled program (how a rule was read, its outcomes) says so
//! when the file does not compile.

use std::fmt::Write as _;
use std::path::Path;

use lsp_types::{
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, GotoDefinitionParams,
    GotoDefinitionResponse, Hover, HoverContents, HoverParams, Location, MarkupContent, MarkupKind,
    ReferenceParams, SymbolKind, Uri,
};

use super::position::LineIndex;
use super::uri;
use super::workspace::{Analysis, FileOutline, Workspace};
use crate::compile::outline::{IndicatorEntry, RuleEntry, Spanned};
use crate::data::Dataset;
use crate::data::{Cell, DataSource};
use crate::eval::CheckOptions;

/// How many entities a hover lists before saying how many more there are.
const LISTED: usize = 12;

/// What is under the cursor in a document.
enum Found<'a> {
    /// A name: an indicator, alias, tier, set word, grade or entity.
    Name(&'a Spanned),
    /// The path of an `import`.
    Import(&'a Spanned),
}

fn found_at(file: &FileOutline, offset: usize) -> Option<Found<'_>> {
    let outline = &file.outline;
    let inside = |spanned: &&Spanned| spanned.span.start <= offset && offset < spanned.span.end;
    if let Some(import) = outline.imports.iter().find(inside) {
        return Some(Found::Import(import));
    }
    outline
        .names
        .iter()
        .chain(&outline.tiers)
        .chain(
            outline
                .indicators
                .iter()
                .flat_map(|entry| std::iter::once(&entry.name).chain(&entry.aliases)),
        )
        .find(inside)
        .map(Found::Name)
}

fn locate<'a>(
    workspace: &'a Workspace,
    uri: &Uri,
    position: lsp_types::Position,
) -> Option<(&'a Analysis, usize)> {
    let analysis = workspace.get(uri)?;
    let offset = LineIndex::new(&analysis.own().text).offset(position);
    Some((analysis, offset))
}

fn location(file: &FileOutline, span: std::ops::Range<usize>) -> Location {
    Location::new(file.uri.clone(), LineIndex::new(&file.text).range(span))
}

/// Where a name is declared: an indicator's name, or a tier.
fn declaration<'a>(analysis: &'a Analysis, name: &str) -> Option<(&'a FileOutline, &'a Spanned)> {
    if let Some((file, entry)) = analysis.indicator(name) {
        return Some((file, &entry.name));
    }
    analysis.files.iter().find_map(|file| {
        file.outline
            .tiers
            .iter()
            .find(|tier| tier.text == name)
            .map(|tier| (file, tier))
    })
}

/// Go to definition: an indicator or alias to its declaration, a tier to
/// the `tiers` line, an import to the imported file.
pub fn definition(
    workspace: &Workspace,
    params: GotoDefinitionParams,
) -> Option<GotoDefinitionResponse> {
    let at = params.text_document_position_params;
    let (analysis, offset) = locate(workspace, &at.text_document.uri, at.position)?;
    match found_at(analysis.own(), offset)? {
        Found::Name(name) => {
            let (file, declared) = declaration(analysis, &name.text)?;
            Some(GotoDefinitionResponse::Scalar(location(
                file,
                declared.span.clone(),
            )))
        }
        Found::Import(import) => {
            let base = analysis.path.as_deref()?.parent()?;
            let target = uri::from_path(&base.join(&import.text))?;
            Some(GotoDefinitionResponse::Scalar(Location::new(
                target,
                lsp_types::Range::default(),
            )))
        }
    }
}

/// Find references: every use and declaration of the same indicator or
/// tier in every open document and the files they import.
pub fn references(workspace: &Workspace, params: ReferenceParams) -> Option<Vec<Location>> {
    let at = params.text_document_position;
    let (analysis, offset) = locate(workspace, &at.text_document.uri, at.position)?;
    let Found::Name(name) = found_at(analysis.own(), offset)? else {
        return None;
    };
    let (file, declared) = declaration(analysis, &name.text)?;
    let target = location(file, declared.span.clone());
    let mut found: Vec<Location> = Vec::new();
    for document in workspace.documents() {
        for file in &document.files {
            let index = LineIndex::new(&file.text);
            let outline = &file.outline;
            let spans = outline.names.iter().chain(&outline.tiers).chain(
                outline
                    .indicators
                    .iter()
                    .flat_map(|entry| std::iter::once(&entry.name).chain(&entry.aliases)),
            );
            for spanned in spans {
                let same = declaration(document, &spanned.text).is_some_and(|(file, declared)| {
                    location(file, declared.span.clone()) == target
                });
                let here = Location::new(file.uri.clone(), index.range(spanned.span.clone()));
                let wanted = params.context.include_declaration || here != target;
                if same && wanted && !found.contains(&here) {
                    found.push(here);
                }
            }
        }
    }
    Some(found)
}

/// The document, its indicators and its rules, in file order.
pub fn symbols(
    workspace: &Workspace,
    params: DocumentSymbolParams,
) -> Option<DocumentSymbolResponse> {
    let own = workspace.get(&params.text_document.uri)?.own();
    let index = LineIndex::new(&own.text);
    let symbol = |name: &str,
                  detail: Option<String>,
                  kind,
                  span: std::ops::Range<usize>,
                  selection: std::ops::Range<usize>| {
        #[allow(deprecated)] // `deprecated` is a required field of the type.
        DocumentSymbol {
            name: name.to_string(),
            detail,
            kind,
            tags: None,
            deprecated: None,
            range: index.range(span),
            selection_range: index.range(selection),
            children: None,
        }
    };
    let outline = &own.outline;
    let mut symbols: Vec<(usize, DocumentSymbol)> = Vec::new();
    if let Some(document) = &outline.document {
        symbols.push((
            document.span.start,
            symbol(
                &document.id.text,
                document.title.clone(),
                SymbolKind::NAMESPACE,
                document.span.clone(),
                document.id.span.clone(),
            ),
        ));
    }
    for entry in &outline.indicators {
        symbols.push((
            entry.name.span.start,
            symbol(
                &entry.name.text,
                Some(entry.unit.clone()),
                SymbolKind::VARIABLE,
                entry.name.span.clone(),
                entry.name.span.clone(),
            ),
        ));
    }
    for rule in &outline.rules {
        // A rule holds or not: the protocol's nearest kind is a boolean.
        symbols.push((
            rule.span.start,
            symbol(
                &rule.name,
                rule.source.clone(),
                SymbolKind::BOOLEAN,
                rule.span.clone(),
                rule.span.clone(),
            ),
        ));
    }
    symbols.sort_by_key(|(start, _)| *start);
    Some(DocumentSymbolResponse::Nested(
        symbols.into_iter().map(|(_, symbol)| symbol).collect(),
    ))
}

/// Hover: an indicator's unit, aliases, grades, declaration and latest
/// values; a rule's reading, source, owner and outcomes; a tier, a set
/// word or a grade in words.
pub fn hover(workspace: &mut Workspace, params: HoverParams) -> Option<Hover> {
    let at = params.text_document_position_params;
    let path = workspace.get(&at.text_document.uri)?.path.clone();
    let data = workspace.data_for(path.as_deref());
    let (analysis, offset) = locate(workspace, &at.text_document.uri, at.position)?;
    let own = analysis.own();
    let (text, span) = match found_at(own, offset) {
        Some(Found::Name(name)) => (name_hover(analysis, &name.text, data)?, name.span.clone()),
        Some(Found::Import(import)) => (
            format!("imports the indicators and tiers of `{}`", import.text),
            import.span.clone(),
        ),
        None => {
            let rule = own
                .outline
                .rules
                .iter()
                .find(|rule| rule.span.start <= offset && offset < rule.span.end)?;
            let reading = || workspace.sentence_as_symbolic(&at.text_document.uri, rule.span.start);
            (rule_hover(analysis, rule, reading, data), rule.span.clone())
        }
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(LineIndex::new(&own.text).range(span)),
    })
}

type Data = Option<Result<super::workspace::DataFor, String>>;

fn name_hover(analysis: &Analysis, name: &str, data: Data) -> Option<String> {
    if let Some((file, entry)) = analysis.indicator(name) {
        return Some(indicator_hover(analysis, file, entry, data));
    }
    if let Some(text) = super::complete::set_word_meaning(name) {
        return Some(format!("**{name}** · {text}"));
    }
    for file in &analysis.files {
        if let Some(depth) = file.outline.tiers.iter().position(|tier| tier.text == name) {
            let tiers: Vec<&str> = file
                .outline
                .tiers
                .iter()
                .map(|tier| tier.text.as_str())
                .collect();
            return Some(format!(
                "**{name}** · tier {} of {} (`tiers {}`)",
                depth + 1,
                tiers.len(),
                tiers.join(" > ")
            ));
        }
        for entry in &file.outline.indicators {
            if let Some(rank) = entry.grades.iter().position(|grade| grade == name) {
                return Some(format!(
                    "**{name}** · grade {} of {} of `{}` ({})",
                    rank + 1,
                    entry.grades.len(),
                    entry.name.text,
                    entry.grades.join(" < ")
                ));
            }
        }
    }
    None
}

fn indicator_hover(
    analysis: &Analysis,
    file: &FileOutline,
    entry: &IndicatorEntry,
    data: Data,
) -> String {
    let mut out = format!("**{}** · indicator · `{}`", entry.name.text, entry.unit);
    if !entry.aliases.is_empty() {
        let aliases: Vec<&str> = entry
            .aliases
            .iter()
            .map(|alias| alias.text.as_str())
            .collect();
        let _ = write!(out, "\n\naka {}", aliases.join("、"));
    }
    if let Some(better) = entry.better {
        let _ = write!(out, "\n\nbetter {better}");
    }
    if !entry.grades.is_empty() {
        let _ = write!(
            out,
            "\n\ngrades, lowest first: {}",
            entry.grades.join(" < ")
        );
    }
    let line = LineIndex::new(&file.text)
        .position(entry.name.span.start)
        .line
        + 1;
    if file.uri == analysis.own().uri {
        let _ = write!(out, "\n\ndeclared on line {line}");
    } else {
        let shown = uri::to_path(&file.uri)
            .map_or_else(|| file.uri.as_str().to_string(), |path| file_name(&path));
        let _ = write!(out, "\n\ndeclared in `{shown}`, line {line}");
    }
    let _ = write!(out, "\n\n---\n\n");
    match data {
        None => out.push_str(&no_data_configured()),
        Some(Err(error)) => {
            let _ = write!(out, "data not read: {error}");
        }
        Some(Ok(data)) => match &data.loaded {
            Err(error) => {
                let _ = write!(out, "data not read: {error}");
            }
            Ok(dataset) => latest_values(&mut out, dataset, entry, &data.files),
        },
    }
    out
}

fn no_data_configured() -> String {
    format!(
        "no data configured: add `{}` beside the rules with `data = [\"data.csv\"]`",
        super::workspace::CONFIG_FILE
    )
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}

fn files_named(files: &[std::path::PathBuf]) -> String {
    files
        .iter()
        .map(|file| format!("`{}`", file_name(file)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The latest value of an indicator (by name or alias in the data) for
/// each entity that has one.
fn latest_values(
    out: &mut String,
    data: &Dataset,
    entry: &IndicatorEntry,
    files: &[std::path::PathBuf],
) {
    let Some(indicator) = std::iter::once(&entry.name)
        .chain(&entry.aliases)
        .find_map(|name| data.find_indicator(&name.text))
    else {
        let _ = write!(out, "no `{}` in {}", entry.name.text, files_named(files));
        return;
    };
    let declared = crate::unit::parse(&entry.unit).ok();
    let years: Vec<i32> = data.years().iter().rev().copied().collect();
    let mut rows = Vec::new();
    for entity in (0..data.entity_count()).map(|id| crate::data::EntityId(id as u32)) {
        let latest = years
            .iter()
            .find_map(|&year| data.value(indicator, entity, year).map(|cell| (year, cell)));
        if let Some((year, cell)) = latest {
            rows.push((
                data.entity_name(entity).to_string(),
                year,
                cell_text(cell, declared.as_ref()),
            ));
        }
    }
    let _ = writeln!(out, "latest values in {}:\n", files_named(files));
    for (entity, year, value) in rows.iter().take(LISTED) {
        let _ = writeln!(out, "- {entity} {year}: {value}");
    }
    if rows.len() > LISTED {
        let _ = writeln!(out, "- … and {} more", rows.len() - LISTED);
    }
}

/// A cell as written: in its own unit, else the indicator's declared one.
fn cell_text(cell: Cell<'_>, declared: Option<&crate::unit::Unit>) -> String {
    match cell {
        Cell::Text(text) => text.to_string(),
        Cell::Number { value, unit } => match unit.or(declared) {
            Some(unit) => unit.format(unit.canonical(value)),
            None => crate::unit::format_number(value),
        },
    }
}

/// A rule's reading, source, owner and outcomes. `reading` gives a
/// sentence rule as `zhibiao fmt --to en` writes it; it compiles the file
/// again, so is asked only for a sentence.
fn rule_hover(
    analysis: &Analysis,
    rule: &RuleEntry,
    reading: impl FnOnce() -> Option<String>,
    data: Data,
) -> String {
    let own = analysis.own();
    let line = LineIndex::new(&own.text).position(rule.span.start).line as usize + 1;
    let mut out = format!("**rule** {}", rule.name);
    let file_name = analysis.path.as_ref().map_or_else(
        || own.uri.as_str().to_string(),
        |path| path.display().to_string(),
    );
    // A sentence may state several targets, each compiled as a rule.
    let compiled: Vec<_> = analysis
        .program
        .iter()
        .flat_map(|program| program.rules())
        .filter(|info| info.file() == file_name && info.line() == line)
        .collect();
    let reading = compiled
        .iter()
        .any(|info| info.symbolic().is_some())
        .then(reading)
        .flatten();
    if let Some(reading) = &reading {
        let _ = write!(
            out,
            "\n\nread as (`zhibiao fmt --to en`):\n\n```zhibiao\n{reading}\n```"
        );
    }
    match compiled.as_slice() {
        [] => out.push_str("\n\nthe file has errors: fix them to see how this rule is read"),
        [info] => {
            if let (None, Some(symbolic)) = (&reading, info.symbolic()) {
                let _ = write!(out, "\n\nread as: `{symbolic}` {}", info.timing());
            }
            let _ = write!(out, "\n\ncompiled: `{}`", info.describe());
        }
        several if reading.is_some() => {
            out.push_str("\n\ncompiled:\n");
            for info in several {
                let _ = write!(out, "\n- `{}`", info.describe());
            }
        }
        several => {
            out.push_str("\n\nread as:\n");
            for info in several {
                let symbolic = info.symbolic().unwrap_or(info.name());
                let _ = write!(
                    out,
                    "\n- `{symbolic}` {}: `{}`",
                    info.timing(),
                    info.describe()
                );
            }
        }
    }
    let mut facts = Vec::new();
    if let Some(source) = &rule.source {
        facts.push(format!("source {source}"));
    }
    if let Some(owner) = &rule.owner {
        facts.push(format!("owner {owner}"));
    }
    if !facts.is_empty() {
        let _ = write!(out, "\n\n{}", facts.join(" · "));
    }
    let _ = write!(out, "\n\n---\n\n");
    let (Some(program), false) = (&analysis.program, compiled.is_empty()) else {
        out.push_str("outcomes are shown once the file compiles");
        return out;
    };
    let data = match data {
        None => {
            out.push_str(&no_data_configured());
            return out;
        }
        Some(Err(error)) => {
            let _ = write!(out, "data not read: {error}");
            return out;
        }
        Some(Ok(data)) => data,
    };
    let dataset = match &data.loaded {
        Ok(dataset) => dataset,
        Err(error) => {
            let _ = write!(out, "data not read: {error}");
            return out;
        }
    };
    let report = program.check(
        dataset.as_ref(),
        &CheckOptions {
            as_of: data.as_of,
            ..CheckOptions::default()
        },
    );
    let outcomes: Vec<_> = report
        .outcomes
        .iter()
        .filter(|outcome| outcome.rule.file == file_name && outcome.rule.line == line)
        .collect();
    let year = report
        .as_of
        .map_or_else(|| "no year".to_string(), |year| year.to_string());
    let _ = writeln!(out, "as of {year} in {}:\n", files_named(&data.files));
    for outcome in outcomes.iter().take(LISTED) {
        let mut line = format!("- {}", outcome.entity);
        if compiled.len() > 1 {
            let _ = write!(line, " ({})", outcome.rule.name);
        }
        let _ = write!(
            line,
            " {} {}",
            outcome.status.chinese(),
            outcome.status.name()
        );
        if let Some(actual) = &outcome.actual {
            let _ = write!(line, ": {actual}");
        }
        if let Some(target) = &outcome.target {
            let _ = write!(line, " (target {target})");
        }
        if let Some(gap) = outcome.gap.as_ref().or(outcome.detail.as_ref()) {
            let _ = write!(line, ", {gap}");
        }
        let _ = writeln!(out, "{line}");
    }
    if outcomes.len() > LISTED {
        let _ = writeln!(out, "- … and {} more", outcomes.len() - LISTED);
    }
    if outcomes.is_empty() {
        out.push_str("no outcomes: no entity in the data is in the rule's scope");
    }
    out
}
