//! `zhibiao fmt`: a rule file in canonical form, its rules in one phrasing.
//! `--to en` writes each sentence rule as the symbolic rules it was read as
//! (the sentence kept above them as a comment); `--to zh` writes each
//! symbolic rule that has a policy-sentence form as that sentence. Comments,
//! blank lines, declarations and every clause the other phrasing does not
//! absorb are kept as written. A conversion is kept only if the converted
//! file compiles to the same meaning, rule by rule; a rule whose sentence
//! would read otherwise stays as it was.

use super::CompileOptions;
use crate::check::Checker;
use crate::diag::{Diagnostics, SourceFile};
use crate::phrase::{render, When};
use crate::syntax::ast::{RuleDecl, SentenceDecl, Statement};
use crate::syntax::{self, split};

/// The phrasing rules are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phrasing {
    /// The policy sentence: `到2025年，县域就诊率保持在90%以上`.
    Chinese,
    /// The symbolic form: `县域就诊率 >= 90% from 2024 to 2025`.
    Symbolic,
}

/// The file in canonical form, its rules converted to `to` if given. A
/// file that does not compile is returned as its diagnostics: nothing is
/// rewritten from a reading that failed.
///
/// ```
/// use zhibiao::{format, CompileOptions, Phrasing};
///
/// let text = "indicator 婴儿死亡率: ‰ better lower   \nrule 婴儿死亡率低于5.2‰ by 2025\n";
/// let options = CompileOptions::default();
/// let canonical = format(text, "a.rules", None, &options).unwrap();
/// assert!(canonical.starts_with("indicator 婴儿死亡率: ‰ better lower\n"));
/// let symbolic = format(text, "a.rules", Some(Phrasing::Symbolic), &options).unwrap();
/// assert!(symbolic.contains("rule 婴儿死亡率 < 5.2‰"), "{symbolic}");
/// assert!(!symbolic.contains("rule 婴儿死亡率低于"), "{symbolic}");
/// ```
pub fn format(
    text: &str,
    name: &str,
    to: Option<Phrasing>,
    options: &CompileOptions<'_>,
) -> Result<String, Diagnostics> {
    let (meanings, mut rewrites) = conversions(text, name, to, options)?;
    // Keep a conversion only where the rule still means the same.
    loop {
        let converted = apply(text, &rewrites);
        let Ok(found) = meanings_of(&converted, name, options) else {
            rewrites.clear();
            break;
        };
        if found == meanings {
            break;
        }
        let before = rewrites.len();
        rewrites.retain(|(range, rewritten)| {
            let alone = apply(text, &[(range.clone(), rewritten.clone())]);
            meanings_of(&alone, name, options).is_ok_and(|alone| alone == meanings)
        });
        if rewrites.len() == before {
            rewrites.clear();
            break;
        }
    }
    Ok(canonical(&apply(text, &rewrites)))
}

// For the editor's hover, which only the command line builds.
#[cfg(feature = "cli")]
/// The sentence rule whose statement holds byte `at`, as `format` with
/// `--to en` writes it: the symbolic rules it was read as, the sentence's
/// comment line left out. `None` when the statement there is no sentence,
/// or its symbolic form would not mean the same (`format` keeps the
/// sentence then); the file's diagnostics when it does not compile.
pub fn sentence_as_symbolic(
    text: &str,
    name: &str,
    at: usize,
    options: &CompileOptions<'_>,
) -> Result<Option<String>, Diagnostics> {
    let (meanings, rewrites) = conversions(text, name, Some(Phrasing::Symbolic), options)?;
    let Some((range, rewritten)) = rewrites
        .into_iter()
        .find(|(range, _)| range.start <= at && at < range.end)
    else {
        return Ok(None);
    };
    let alone = apply(text, &[(range, rewritten.clone())]);
    if !meanings_of(&alone, name, options).is_ok_and(|alone| alone == meanings) {
        return Ok(None);
    }
    let rules: Vec<&str> = rewritten
        .lines()
        .filter(|line| !line.starts_with("//"))
        .collect();
    Ok(Some(rules.join("\n")))
}

/// What each rule of the file means, and every rule statement that has a
/// form in `to` with that form, by its byte range; whether a conversion
/// means the same is left to the caller.
fn conversions(
    text: &str,
    name: &str,
    to: Option<Phrasing>,
    options: &CompileOptions<'_>,
) -> Result<(Vec<String>, Vec<Rewrite>), Diagnostics> {
    let meanings = meanings(text, name, options)?;
    let file = SourceFile::new(name, text);
    let (tree, _) = syntax::parse_file(&file);
    let mut checker = Checker::new(&file, super::imports_of(&file, &tree, options));
    checker.declare(&tree);
    let ranges = split::statements(text);
    let mut rewrites: Vec<Rewrite> = Vec::new();
    let mut statements = tree.statements.iter();
    for range in &ranges {
        let statement_text = &text[range.clone()];
        let is_rule =
            split::starts_with_keyword(statement_text).is_none_or(|keyword| keyword == "rule");
        if !is_rule {
            continue;
        }
        // The next rule, with the `document` above it in force, so that a
        // sentence reads against its document's period and baseline.
        let next = statements.by_ref().find(|statement| match statement {
            Statement::Document(document) => {
                checker.enter_document(document);
                false
            }
            other => matches!(other, Statement::Rule(_) | Statement::Sentence(_)),
        });
        let Some(statement) = next else {
            break;
        };
        let rewritten = match (statement, to) {
            (Statement::Sentence(sentence), Some(Phrasing::Symbolic)) => {
                symbolic(&checker, text, sentence)
            }
            (Statement::Rule(rule), Some(Phrasing::Chinese)) => {
                let (period, baseline) = checker.years();
                chinese(text, rule, period, baseline)
            }
            _ => None,
        };
        if let Some(rewritten) = rewritten {
            rewrites.push((range.clone(), rewritten));
        }
    }
    Ok((meanings, rewrites))
}

/// What each rule of a file means, in order; its diagnostics if it does
/// not compile.
fn meanings(
    text: &str,
    name: &str,
    options: &CompileOptions<'_>,
) -> Result<Vec<String>, Diagnostics> {
    let program = super::compile_with(text, name, options)?;
    Ok(program.rules().map(|rule| rule.describe()).collect())
}

fn meanings_of(text: &str, name: &str, options: &CompileOptions<'_>) -> Result<Vec<String>, ()> {
    meanings(text, name, options).map_err(drop)
}

/// A statement's byte range and the text it is rewritten to.
type Rewrite = (std::ops::Range<usize>, String);

fn apply(text: &str, rewrites: &[Rewrite]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, rewritten) in rewrites {
        out.push_str(&text[at..range.start]);
        out.push_str(rewritten);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Trailing white space removed from every line, one newline at the end.
fn canonical(text: &str) -> String {
    let mut out: String = text
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// The clauses written after a condition or sentence, without the time
/// clauses and `expected`, which the other phrasing says in its own way.
fn other_clauses(clauses: &str) -> String {
    let mut words: Vec<&str> = Vec::new();
    let tokens: Vec<&str> = clauses.split(' ').collect();
    let mut at = 0;
    while at < tokens.len() {
        let year = |offset: usize| {
            tokens
                .get(at + offset)
                .is_some_and(|token| token.len() == 4 && token.bytes().all(|b| b.is_ascii_digit()))
        };
        match tokens[at] {
            "by" | "in" if year(1) => at += 2,
            "from" if year(1) && tokens.get(at + 2) == Some(&"to") && year(3) => at += 4,
            "expected" => at += 1,
            token => {
                words.push(token);
                at += 1;
            }
        }
    }
    words
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn head(name: Option<&str>) -> String {
    match name {
        Some(name) => format!(
            "rule \"{}\" ",
            name.replace('\\', "\\\\").replace('"', "\\\"")
        ),
        None => "rule ".to_string(),
    }
}

fn when_clause(when: When) -> Option<String> {
    match when {
        When::Clauses => None,
        When::By(year) => Some(format!("by {}", year.value)),
        When::In(year) => Some(format!("in {}", year.value)),
        When::Every(from, to) => Some(format!("from {} to {}", from.value, to.value)),
    }
}

/// A sentence rule as the symbolic rules it reads as, the sentence kept as
/// a comment above them.
fn symbolic(checker: &Checker<'_>, text: &str, sentence: &SentenceDecl) -> Option<String> {
    let targets = checker.read_sentence(sentence).ok()?;
    let rest = one_line(&text[sentence.sentence.span.end..sentence.span.end]);
    let user_time = sentence.clauses.by.is_some()
        || sentence.clauses.in_year.is_some()
        || sentence.clauses.from_to.is_some();
    let mut out = format!("// {}\n", sentence.sentence.value);
    let count = targets.len();
    for (number, target) in targets.into_iter().enumerate() {
        let name = sentence.name.as_ref().map(|name| {
            if count > 1 {
                format!("{}·{}", name.value, number + 1)
            } else {
                name.value.clone()
            }
        });
        let mut line = head(name.as_deref());
        line.push_str(&render::condition(&target.condition));
        let clauses = if target.when == When::Clauses && user_time {
            rest.clone()
        } else {
            let mut clauses = other_clauses(&rest);
            if let Some(when) = when_clause(target.when) {
                clauses = format!("{when} {clauses}");
            }
            let expected = target.expected.is_some() || sentence.clauses.expected.is_some();
            if expected {
                clauses = format!("{clauses} expected");
            }
            clauses
        };
        let clauses = clauses.split_whitespace().collect::<Vec<_>>().join(" ");
        if !clauses.is_empty() {
            line.push_str("  ");
            line.push_str(&clauses);
        }
        out.push_str(&line);
        if number + 1 < count {
            out.push('\n');
        }
    }
    Some(out)
}

/// A statement's text on one line, comments dropped: clauses only.
fn one_line(text: &str) -> String {
    text.lines()
        .map(|line| split::strip_comment(line).trim())
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A symbolic rule as a policy sentence, when it has one.
fn chinese(
    text: &str,
    rule: &RuleDecl,
    period: Option<(i32, i32)>,
    baseline: Option<i32>,
) -> Option<String> {
    let clauses = &rule.clauses;
    let sentence = render::sentence(&rule.condition, clauses, period, baseline)?;
    // Comments inside the statement stay, on their own lines above it.
    let statement = &text[rule.span.clone()];
    let comments: Vec<&str> = statement
        .lines()
        .filter_map(|line| {
            let code = split::strip_comment(line);
            let comment = line[code.len()..].trim();
            (!comment.is_empty()).then_some(comment)
        })
        .collect();
    let rest = one_line(&text[rule.condition.span.end..rule.span.end]);
    let mut clause_text = if sentence.keeps_time {
        rest.replace(" expected", "").replace("expected ", "")
    } else {
        other_clauses(&rest)
    };
    if sentence.keeps_time {
        clause_text = if clauses.expected.is_some() && !sentence.hedged {
            format!("{clause_text} expected")
        } else {
            clause_text
        };
    } else if clauses.expected.is_some() && !sentence.hedged {
        clause_text = format!("{clause_text} expected");
    }
    let mut out = String::new();
    for comment in comments {
        out.push_str(comment);
        out.push('\n');
    }
    out.push_str(&head(rule.name.as_ref().map(|name| name.value.as_str())));
    out.push_str(&sentence.text);
    let clause_text = clause_text.split_whitespace().collect::<Vec<_>>().join(" ");
    if !clause_text.is_empty() {
        out.push_str("  ");
        out.push_str(&clause_text);
    }
    Some(out)
}
