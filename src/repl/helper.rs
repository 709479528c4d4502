//! The line editor's helper: Tab completion of commands, indicator, entity,
//! tier and rule names (CJK included) and file paths; hints; syntax
//! highlighting; and multi-line entries while brackets are open.

use std::borrow::Cow;

use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::{Hint, Hinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

use super::commands::{lookup, COMMANDS};
use super::input::is_complete;
use super::session::Session;
use crate::data::DataSource;
use crate::vocab::{FUNCTIONS, KEYWORDS, RELATIVE};

/// The names Tab completes, refreshed after every entry.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Indicator names and aliases.
    pub indicators: Vec<String>,
    /// Entity names in the data.
    pub entities: Vec<String>,
    /// Declared tiers.
    pub tiers: Vec<String>,
    /// Rule names, in the order of `:rules`.
    pub rules: Vec<String>,
}

impl Session {
    /// The names of the session, for completion.
    pub fn names(&self) -> Names {
        let mut names = Names::default();
        for (name, _, aliases) in self.declarations.indicators() {
            names.indicators.push(name.to_string());
            names.indicators.extend(aliases.iter().cloned());
        }
        if let Some(data) = &self.data {
            names.entities = data.entity_names().map(str::to_string).collect();
            let mut tiers: Vec<String> = Vec::new();
            for entity in 0..data.entity_count() {
                if let Some(tier) = data.tier(crate::data::EntityId(entity as u32)) {
                    if !tiers.iter().any(|known| known == tier) {
                        tiers.push(tier.to_string());
                    }
                }
            }
            names.tiers = tiers;
        }
        for tier in self.declarations.tiers() {
            if !names.tiers.contains(tier) {
                names.tiers.push(tier.clone());
            }
        }
        names.rules = self
            .program()
            .rules()
            .map(|rule| rule.name().to_string())
            .collect();
        names
    }
}

/// Whether a character belongs to a name: CJK and other letters, digits, `_`.
fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Where the name ending at `pos` starts.
fn word_start(line: &str, pos: usize) -> usize {
    line[..pos]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_name_char(*c))
        .last()
        .map_or(pos, |(at, _)| at)
}

/// What to complete at a position: candidates from `start`, or file paths.
#[derive(Debug, PartialEq)]
pub enum Completion {
    /// Replace `line[start..pos]` with one of these.
    Candidates(usize, Vec<String>),
    /// A path after `:load` or `:data`.
    Path,
}

/// The completions at `pos` in `line`.
pub fn complete(line: &str, pos: usize, names: &Names) -> Completion {
    let before = &line[..pos];
    let trimmed = before.trim_start();
    let indent = before.len() - trimmed.len();
    if let Some(command) = trimmed.strip_prefix(':') {
        let Some(space) = command.find(char::is_whitespace) else {
            let candidates = COMMANDS
                .iter()
                .filter(|info| info.name.starts_with(command))
                .map(|info| {
                    let space = if info.args.is_empty() { "" } else { " " };
                    format!(":{}{space}", info.name)
                })
                .collect();
            return Completion::Candidates(indent, candidates);
        };
        let name = &command[..space];
        let args_start =
            indent + 1 + space + (command[space..].len() - command[space..].trim_start().len());
        let args = &line[args_start..pos];
        return match lookup(name).map(|info| info.name) {
            Some("load" | "data") => Completion::Path,
            Some("check") => Completion::Candidates(args_start, starting(&names.rules, args)),
            Some("explain") => {
                let rules = starting(&names.rules, args);
                if !rules.is_empty() {
                    return Completion::Candidates(args_start, rules);
                }
                // After a whole rule name: an entity.
                let start = word_start(line, pos);
                Completion::Candidates(start, starting(&names.entities, &line[start..pos]))
            }
            Some("scope") => {
                let start = word_start(line, pos);
                let word = &line[start..pos];
                let mut candidates = starting(&names.entities, word);
                candidates.extend(starting(&names.tiers, word));
                candidates.extend(starting(&["each".to_string(), "under".to_string()], word));
                candidates.extend(starting(&owned(RELATIVE), word));
                Completion::Candidates(start, dedup(candidates))
            }
            _ => Completion::Candidates(pos, Vec::new()),
        };
    }
    if in_string(before) {
        return Completion::Candidates(pos, Vec::new());
    }
    let start = word_start(line, pos);
    let word = &line[start..pos];
    if word.is_empty() {
        return Completion::Candidates(pos, names.indicators.clone());
    }
    let mut candidates = starting(&names.indicators, word);
    candidates.extend(starting(&names.entities, word));
    candidates.extend(starting(&names.tiers, word));
    candidates.extend(starting(&owned(RELATIVE), word));
    if word.is_ascii() {
        candidates.extend(starting(&owned(FUNCTIONS), word));
        candidates.extend(starting(&owned(KEYWORDS), word));
    }
    if candidates.is_empty() {
        // Chinese names share their endings: `就诊` finds `县域就诊率`.
        candidates.extend(containing(&names.indicators, word));
        candidates.extend(containing(&names.entities, word));
    }
    Completion::Candidates(start, dedup(candidates))
}

fn owned(words: &[&str]) -> Vec<String> {
    words.iter().map(|word| word.to_string()).collect()
}

fn starting(names: &[String], prefix: &str) -> Vec<String> {
    names
        .iter()
        .filter(|name| name.starts_with(prefix) && name.as_str() != prefix)
        .cloned()
        .collect()
}

fn containing(names: &[String], part: &str) -> Vec<String> {
    names
        .iter()
        .filter(|name| name.contains(part) && name.as_str() != part)
        .cloned()
        .collect()
}

fn dedup(mut names: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    names.retain(|name| seen.insert(name.clone()));
    names
}

/// Whether the text ends inside a string.
fn in_string(text: &str) -> bool {
    let mut inside = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if inside => {
                chars.next();
            }
            '"' => inside = !inside,
            _ => {}
        }
    }
    inside
}

/// A hint shown after the cursor: the rest of a name or command, and a
/// command's arguments (shown, never inserted).
#[derive(Debug, Clone, PartialEq)]
pub struct ReplHint {
    display: String,
    completion: Option<String>,
}

impl Hint for ReplHint {
    fn display(&self) -> &str {
        &self.display
    }

    fn completion(&self) -> Option<&str> {
        self.completion.as_deref()
    }
}

/// The hint at the end of `line`.
pub fn hint(line: &str, names: &Names) -> Option<ReplHint> {
    let trimmed = line.trim_start();
    if let Some(command) = trimmed.strip_prefix(':') {
        if command.contains(char::is_whitespace) {
            let name = command.split_whitespace().next().unwrap_or("");
            let info = lookup(name)?;
            let after = command[name.len()..].trim();
            return (after.is_empty() && !info.args.is_empty() && line.ends_with(' ')).then(|| {
                ReplHint {
                    display: info.args.to_string(),
                    completion: None,
                }
            });
        }
        let matching: Vec<_> = COMMANDS
            .iter()
            .filter(|info| info.name.starts_with(command))
            .collect();
        let [info] = matching.as_slice() else {
            return None;
        };
        let rest = &info.name[command.len()..];
        let usage = if info.args.is_empty() {
            String::new()
        } else {
            format!(" {}", info.args)
        };
        return Some(ReplHint {
            display: format!("{rest}{usage}"),
            completion: (!rest.is_empty()).then(|| rest.to_string()),
        });
    }
    let Completion::Candidates(start, candidates) = complete(line, line.len(), names) else {
        return None;
    };
    let word = &line[start..];
    if word.is_empty() {
        return None;
    }
    let [only] = candidates.as_slice() else {
        return None;
    };
    let rest = only.strip_prefix(word)?;
    Some(ReplHint {
        display: rest.to_string(),
        completion: Some(rest.to_string()),
    })
}

/// Colours a line: commands, keywords, numbers with their units, strings,
/// 「quoted names」 and comments. Only escape codes are added.
pub fn highlight(line: &str) -> String {
    const COMMAND: &str = "1;35";
    const KEYWORD: &str = "1;34";
    const FUNCTION: &str = "36";
    const NUMBER: &str = "33";
    const STRING: &str = "32";
    const QUOTED: &str = "4";
    const COMMENT: &str = "90";
    let mut out = String::with_capacity(line.len() * 2);
    let paint = |out: &mut String, text: &str, code: &str| {
        out.push_str(&format!("\u{1b}[{code}m{text}\u{1b}[0m"));
    };
    let trimmed = line.trim_start();
    let mut at = 0;
    if trimmed.starts_with([':', '：']) {
        let indent = line.len() - trimmed.len();
        let end = trimmed
            .find(char::is_whitespace)
            .map_or(line.len(), |end| indent + end);
        out.push_str(&line[..indent]);
        paint(&mut out, &line[indent..end], COMMAND);
        at = end;
    }
    let command = at > 0;
    while at < line.len() {
        let rest = &line[at..];
        let Some(c) = rest.chars().next() else {
            break;
        };
        let end = if c == '"' {
            let close = rest[1..]
                .char_indices()
                .scan(false, |escaped, (offset, c)| {
                    let found = !*escaped && c == '"';
                    *escaped = !*escaped && c == '\\';
                    Some((offset, found))
                })
                .find(|(_, found)| *found)
                .map_or(rest.len(), |(offset, _)| offset + 2);
            paint(&mut out, &rest[..close], STRING);
            close
        } else if command {
            out.push(c);
            c.len_utf8()
        } else if c == '「' {
            let close = rest
                .find('」')
                .map_or(rest.len(), |close| close + '」'.len_utf8());
            paint(&mut out, &rest[..close], QUOTED);
            close
        } else if c == '#' || rest.starts_with("//") {
            paint(&mut out, rest, COMMENT);
            rest.len()
        } else if c.is_ascii_digit() {
            let end = quantity_end(rest);
            paint(&mut out, &rest[..end], NUMBER);
            end
        } else if is_name_char(c) {
            let end = rest
                .char_indices()
                .find(|(_, c)| !is_name_char(*c))
                .map_or(rest.len(), |(end, _)| end);
            let word = &rest[..end];
            if KEYWORDS.contains(&word) {
                paint(&mut out, word, KEYWORD);
            } else if FUNCTIONS.contains(&word) && rest[end..].trim_start().starts_with(['(', '（'])
            {
                paint(&mut out, word, FUNCTION);
            } else {
                out.push_str(word);
            }
            end
        } else {
            out.push(c);
            c.len_utf8()
        };
        at += end;
    }
    out
}

/// Where a quantity starting with a digit ends: `90%`, `14.5/10万`,
/// `1:0.55`, `0.5pp`, `200张`, `2020` (a span's `..` is not part of it).
fn quantity_end(text: &str) -> usize {
    let digits = |text: &str| {
        text.char_indices()
            .find(|(_, c)| !c.is_ascii_digit())
            .map_or(text.len(), |(end, _)| end)
    };
    let mut end = digits(text);
    if text[end..].starts_with('.') && text[end + 1..].starts_with(|c: char| c.is_ascii_digit()) {
        end += 1 + digits(&text[end + 1..]);
    }
    let rest = &text[end..];
    for colon in [':', '∶', '：'] {
        if let Some(after) = rest.strip_prefix(colon) {
            if after.starts_with(|c: char| c.is_ascii_digit()) {
                return end + colon.len_utf8() + quantity_end(after);
            }
        }
    }
    if let Some(after) = rest.strip_prefix('/') {
        if after.starts_with(|c: char| c.is_ascii_digit() || "万千百亿".contains(c)) {
            let letters = after
                .char_indices()
                .find(|(_, c)| !(c.is_ascii_digit() || (!c.is_ascii() && c.is_alphabetic())))
                .map_or(after.len(), |(end, _)| end);
            return end + 1 + letters;
        }
    }
    if rest.starts_with("pp") && !rest[2..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return end + 2;
    }
    let unit = rest
        .char_indices()
        .find(|(_, c)| !("%％‰‱".contains(*c) || (!c.is_ascii() && c.is_alphabetic())))
        .map_or(rest.len(), |(end, _)| end);
    end + unit
}

/// The rustyline helper of a session.
#[derive(Helper)]
pub struct ReplHelper {
    /// The names Tab completes.
    pub names: Names,
    files: FilenameCompleter,
    colour: bool,
}

impl ReplHelper {
    /// A helper; `colour` turns highlighting on.
    pub fn new(colour: bool) -> ReplHelper {
        ReplHelper {
            names: Names::default(),
            files: FilenameCompleter::new(),
            colour,
        }
    }
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        match complete(line, pos, &self.names) {
            Completion::Path => self.files.complete_path(line, pos),
            Completion::Candidates(start, candidates) => Ok((
                start,
                candidates
                    .into_iter()
                    .map(|candidate| Pair {
                        display: candidate.trim_end().to_string(),
                        replacement: candidate,
                    })
                    .collect(),
            )),
        }
    }
}

impl Hinter for ReplHelper {
    type Hint = ReplHint;

    fn hint(&self, line: &str, pos: usize, _: &Context<'_>) -> Option<ReplHint> {
        if pos < line.len() || line.contains('\n') {
            return None;
        }
        hint(line, &self.names)
    }
}

impl Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if self.colour {
            Cow::Owned(highlight(line))
        } else {
            Cow::Borrowed(line)
        }
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.colour {
            Cow::Owned(format!("\u{1b}[90m{hint}\u{1b}[0m"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _forced: bool) -> bool {
        self.colour
    }
}

impl Validator for ReplHelper {
    fn validate(&self, context: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        Ok(if is_complete(context.input()) {
            ValidationResult::Valid(None)
        } else {
            ValidationResult::Incomplete
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        Names {
            indicators: vec![
                "县域就诊率".to_string(),
                "县域基层门急诊人次占比".to_string(),
                "床位数".to_string(),
            ],
            entities: vec![
                "日照市".to_string(),
                "东港区".to_string(),
                "东营市".to_string(),
            ],
            tiers: vec!["县级".to_string()],
            rules: vec!["县域就诊率 >= 90%".to_string(), "床位数 >= 100".to_string()],
        }
    }

    fn candidates(line: &str) -> (usize, Vec<String>) {
        match complete(line, line.len(), &names()) {
            Completion::Candidates(start, candidates) => (start, candidates),
            Completion::Path => (usize::MAX, Vec::new()),
        }
    }

    macro_rules! completes {
        ($($line:expr => $start:expr, [$($candidate:expr),*];)*) => {
            $(assert_eq!(
                candidates($line),
                ($start, vec![$($candidate.to_string()),*]),
                "{:?}",
                $line
            );)*
        };
    }

    #[test]
    fn completion() {
        completes! {
            ":ex" => 0, [":explain "];
            ":in" => 0, [":indicators"];
            "  :a" => 2, [":as-of "];
            "县域" => 0, ["县域就诊率", "县域基层门急诊人次占比"];
            "县域就" => 0, ["县域就诊率"];
            "rule 县域就" => 5, ["县域就诊率"];
            "cagr(床" => 5, ["床位数"];
            "县域就诊率 @ 东" => "县域就诊率 @ ".len(), ["东港区", "东营市"];
            "就诊" => 0, ["县域就诊率"];
            "ca" => 0, ["cagr"];
            "县域就诊率 >= 90% b" => "县域就诊率 >= 90% ".len(), ["baseline", "by", "binding", "between", "better", "benchmark"];
            "rule \"县域" => "rule \"县域".len(), [];
            ":check 县" => 7, ["县域就诊率 >= 90%"];
            ":explain 床位数 >= 100 东" => ":explain 床位数 >= 100 ".len(), ["东港区", "东营市"];
            ":scope 日" => 7, ["日照市"];
            ":scope each 县" => 12, ["县级"];
            ":as-of 20" => 9, [];
            "县域就诊率" => 0, [];
        }
        assert_eq!(complete(":load ru", 8, &names()), Completion::Path);
        assert_eq!(complete(":data ex", 8, &names()), Completion::Path);
    }

    #[test]
    fn hints() {
        let hint_of = |line: &str| hint(line, &names()).map(|hint| (hint.display, hint.completion));
        assert_eq!(
            hint_of(":expl"),
            Some(("ain RULE [ENTITY]".to_string(), Some("ain".to_string())))
        );
        assert_eq!(
            hint_of(":explain "),
            Some(("RULE [ENTITY]".to_string(), None))
        );
        assert_eq!(hint_of(":explain x"), None);
        assert_eq!(
            hint_of("县域就"),
            Some(("诊率".to_string(), Some("诊率".to_string())))
        );
        assert_eq!(hint_of("县域"), None);
        assert_eq!(hint_of(""), None);
    }

    #[test]
    fn highlighting_adds_colour_only() {
        let strip = |text: &str| {
            let mut out = String::new();
            let mut chars = text.chars();
            while let Some(c) = chars.next() {
                if c == '\u{1b}' {
                    for c in chars.by_ref() {
                        if c == 'm' {
                            break;
                        }
                    }
                } else {
                    out.push(c);
                }
            }
            out
        };
        for line in [
            "rule 县域就诊率 >= 90% by 2025 source \"二(一)3\"",
            "孕产妇死亡率 < 14.5/10万 by 2025 // 低于",
            "床医比 >= 1:0.55 and cagr(「产值(万元)」, 2020..2025) >= 11.5%",
            ":explain 县域就诊率 >= 90% 东港区",
            "\"unclosed",
            "近视率 falls by >= 0.5pp each year",
        ] {
            assert_eq!(strip(&highlight(line)), line);
        }
        assert_eq!(
            highlight("x >= 90% by 2025"),
            "x >= \u{1b}[33m90%\u{1b}[0m \u{1b}[1;34mby\u{1b}[0m \u{1b}[33m2025\u{1b}[0m"
        );
        assert_eq!(quantity_end("14.5/10万 by"), "14.5/10万".len());
        assert_eq!(quantity_end("1:0.55)"), "1:0.55".len());
        assert_eq!(quantity_end("0.5pp each"), "0.5pp".len());
        assert_eq!(quantity_end("2020..2025"), 4);
        assert_eq!(quantity_end("200张，"), "200张".len());
    }
}
