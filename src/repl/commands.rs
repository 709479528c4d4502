//! The session's commands: `:load`, `:data`, `:check`, `:explain`,
//! `:as-of`, `:scope`, `:indicators`, `:entities`, `:rules`, `:help`,
//! `:quit`.

use std::fmt::Write;
use std::path::PathBuf;

use crate::data::DataSource;
use crate::ir::{Program, ScopeIr};
use crate::repl::compile::{compile_entry, select_rules, Entry};

use super::render;
use super::session::{Reply, Session};

/// A command as `:help` lists it.
#[derive(Debug, Clone, Copy)]
pub struct CommandInfo {
    /// Its name, without the colon.
    pub name: &'static str,
    /// Its arguments, as a usage line shows them.
    pub args: &'static str,
    /// What it does.
    pub help: &'static str,
}

/// Every command, in the order `:help` lists them.
pub const COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "load",
        args: "FILE…",
        help: "load rule files: their declarations and rules",
    },
    CommandInfo {
        name: "data",
        args: "FILE…",
        help: "load data files (CSV); undeclared indicators are declared from their headers",
    },
    CommandInfo {
        name: "check",
        args: "[RULE]",
        help: "check every rule, or one (by name, text or #number), against the data",
    },
    CommandInfo {
        name: "explain",
        args: "RULE [ENTITY]",
        help: "the values, years and arithmetic behind a rule's outcome",
    },
    CommandInfo {
        name: "as-of",
        args: "[YEAR | latest]",
        help: "show or set the year rules are checked as of",
    },
    CommandInfo {
        name: "scope",
        args: "[ENTITY | each TIER [under ENTITY]]",
        help: "show or set where values are read and rules without `for` are checked",
    },
    CommandInfo {
        name: "indicators",
        args: "",
        help: "the declared indicators and their units",
    },
    CommandInfo {
        name: "entities",
        args: "",
        help: "the entities of the data, as a tree",
    },
    CommandInfo {
        name: "rules",
        args: "",
        help: "the rules of the session, numbered",
    },
    CommandInfo {
        name: "help",
        args: "",
        help: "this list",
    },
    CommandInfo {
        name: "quit",
        args: "",
        help: "leave the session (Ctrl-D does too)",
    },
];

/// Other names a command answers to.
const ALIASES: &[(&str, &str)] = &[
    ("q", "quit"),
    ("exit", "quit"),
    ("asof", "as-of"),
    ("h", "help"),
    ("?", "help"),
];

/// The command a typed name means, if any.
pub fn lookup(name: &str) -> Option<&'static CommandInfo> {
    let name = ALIASES
        .iter()
        .find(|(alias, _)| *alias == name)
        .map_or(name, |(_, command)| command);
    COMMANDS.iter().find(|command| command.name == name)
}

impl Session {
    /// Runs a command typed as `:name args`.
    pub fn command(&mut self, name: &str, args: &str) -> Reply {
        let Some(command) = lookup(name) else {
            let names = COMMANDS.iter().map(|command| command.name);
            let hint = crate::diag::closest(name, names)
                .map(|near| format!(" (did you mean `:{near}`?)"))
                .unwrap_or_default();
            return Reply::error(format!(
                "unknown command `:{name}`{hint}; `:help` lists the commands"
            ));
        };
        match command.name {
            "load" | "data" => {
                let paths = paths(args);
                if paths.is_empty() {
                    return usage(command);
                }
                if command.name == "load" {
                    self.load_rules(&paths)
                } else {
                    self.load_data(&paths)
                }
            }
            "check" => self.check_command(args),
            "explain" => self.explain_command(args),
            "as-of" => self.as_of_command(args),
            "scope" => self.scope_command(args),
            "indicators" => Reply::text(render::indicators(
                &self.declarations,
                &self.auto_declared,
                self.data.as_ref(),
            )),
            "entities" => match &self.data {
                Some(data) => Reply::text(render::entities(data, 500)),
                None => Reply::error("no data loaded: `:data FILE` loads some"),
            },
            "rules" => Reply::text(render::rules(&self.program())),
            "help" => Reply::text(help()),
            _ => Reply {
                quit: true,
                ..Reply::default()
            },
        }
    }

    fn check_command(&self, args: &str) -> Reply {
        let program = self.program();
        if program.rule_count() == 0 {
            return Reply::text(render::rules(&program));
        }
        let selected = if args.is_empty() {
            program
        } else {
            match find_rules(&program, args) {
                Ok(numbers) => select_rules(&program, |number, _| numbers.contains(&number)),
                Err(why) => return Reply::error(why),
            }
        };
        if self.data.is_none() {
            return Reply::error("no data loaded: `:data FILE` loads some");
        }
        self.check_now(&selected)
    }

    fn explain_command(&self, args: &str) -> Reply {
        let Some(command) = lookup("explain") else {
            return Reply::default();
        };
        if args.is_empty() {
            return usage(command);
        }
        let program = self.program();
        let Some(data) = &self.data else {
            return Reply::error("no data loaded: `:data FILE` loads some");
        };
        // The whole argument names a rule, or all but its last word does
        // and that word is an entity.
        let (numbers, entity) = match find_rules(&program, args) {
            Ok(numbers) => (numbers, None),
            Err(why) => {
                let split = args
                    .rsplit_once(char::is_whitespace)
                    .map(|(rule, entity)| (rule.trim(), entity));
                match split.map(|(rule, entity)| (find_rules(&program, rule), entity)) {
                    Some((Ok(numbers), entity)) => (numbers, Some(entity)),
                    _ => return Reply::error(why),
                }
            }
        };
        let entity = match entity {
            Some(name) => match data.find_entity(name) {
                Some(entity) => Some(entity),
                None => {
                    let hint = crate::diag::closest(name, data.entity_names())
                        .map(|near| format!("; did you mean `{near}`?"))
                        .unwrap_or_default();
                    return Reply::error(format!("no entity `{name}` in the data{hint}"));
                }
            },
            None => None,
        };
        let selected = select_rules(&program, |number, _| numbers.contains(&number));
        Reply::text(super::explain::explain(
            &selected,
            &numbers,
            data,
            entity,
            &self.check_options(),
            self.style,
        ))
    }

    fn as_of_command(&mut self, args: &str) -> Reply {
        let span = self
            .data
            .as_ref()
            .and_then(|data| data.year_range())
            .map(|(first, last)| format!(" (the data has {first}–{last})"))
            .unwrap_or_default();
        match args {
            "" => {}
            "latest" | "auto" => self.as_of = None,
            year => match year.parse::<i32>() {
                Ok(year) if crate::eval::as_of_problem(year).is_none() => self.as_of = Some(year),
                _ => {
                    return Reply::error(format!(
                        "`{year}` is not a year: write `:as-of 2024`, or `:as-of latest`"
                    ))
                }
            },
        }
        match (self.as_of, self.as_of_year()) {
            (Some(year), _) => Reply::text(format!("as of {year}{span}\n")),
            (None, Some(year)) => {
                Reply::text(format!("as of {year}, the latest year in the data\n"))
            }
            (None, None) => Reply::text("as of the latest year in the data (none loaded yet)\n"),
        }
    }

    fn scope_command(&mut self, args: &str) -> Reply {
        if !args.is_empty() {
            let text = format!("scope {}", self.relative_scope(args));
            match compile_entry(&text, "<scope>", &self.declarations) {
                Ok(Entry::Statements { declarations, .. }) => {
                    if let Err(why) = self.scope_entities(declarations.scope()) {
                        return Reply::error(why);
                    }
                    self.declarations.set_scope(declarations.scope().clone());
                }
                Ok(Entry::Expression(_)) => {}
                Err(diagnostics) => {
                    let mut reply = Reply::default();
                    reply.diagnostics(diagnostics);
                    return reply;
                }
            }
        }
        let scope = self.declarations.scope();
        let mut text = format!("scope {}", render::scope(scope));
        match self.scope_entities(scope) {
            Ok(entities) if !entities.is_empty() => {
                let _ = write!(
                    text,
                    ": {} entit{} ({})",
                    entities.len(),
                    if entities.len() == 1 { "y" } else { "ies" },
                    render::list(&entities, 8)
                );
            }
            Ok(_) => {}
            Err(why) => {
                let _ = write!(text, " ({why})");
            }
        }
        text.push('\n');
        Reply::text(text)
    }
}

impl Session {
    /// `each 下级` without `under` is relative to the entity in scope now.
    fn relative_scope(&self, args: &str) -> String {
        let words: Vec<&str> = args.split_whitespace().collect();
        let relative = matches!(
            words.as_slice(),
            ["each", set] if [crate::vocab::CHILDREN, crate::vocab::DESCENDANTS].contains(set)
        );
        match self.declarations.scope() {
            ScopeIr::Entity(entity) if relative => format!("{args} under {}", quoted(entity)),
            _ => args.to_string(),
        }
    }
}

/// A name as the language writes it: bare, or in 「」 when it needs to be.
pub fn quoted(name: &str) -> String {
    let bare = name.chars().next().is_some_and(|c| !c.is_ascii_digit())
        && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    if bare {
        name.to_string()
    } else {
        format!("「{name}」")
    }
}

/// The rules a query names: `#3` or `3`, a rule's name (`"妇幼二甲占比"`),
/// or its text as written; white space does not matter. Numbers count from
/// 1 in the order of `:rules`.
pub fn find_rules(program: &Program, query: &str) -> Result<Vec<usize>, String> {
    let query = query.trim();
    let count = program.rule_count();
    if let Ok(number) = query.strip_prefix('#').unwrap_or(query).parse::<usize>() {
        return if (1..=count).contains(&number) {
            Ok(vec![number])
        } else {
            Err(format!(
                "no rule #{number}: there {} {count} rule{}; `:rules` lists them",
                if count == 1 { "is" } else { "are" },
                crate::front::plural(count)
            ))
        };
    }
    let squeeze = |text: &str| text.split_whitespace().collect::<String>();
    let wanted = squeeze(
        query
            .strip_prefix('"')
            .and_then(|rest| rest.strip_suffix('"'))
            .unwrap_or(query),
    );
    let written = squeeze(query);
    let found: Vec<usize> = program
        .rules()
        .enumerate()
        .filter(|(_, rule)| {
            let text = squeeze(rule.text());
            squeeze(rule.name()) == wanted
                || text == written
                || text.strip_prefix("rule") == Some(written.as_str())
        })
        .map(|(at, _)| at + 1)
        .collect();
    if !found.is_empty() {
        return Ok(found);
    }
    let names: Vec<&str> = program.rules().map(|rule| rule.name()).collect();
    let hint = crate::diag::closest(query, names.iter().copied())
        .map(|near| format!(" (did you mean `{near}`?)"))
        .unwrap_or_default();
    Err(format!(
        "no rule `{query}`{hint}; `:rules` lists them, and `#N` names one by number"
    ))
}

/// File paths, separated by white space; `"…"` quotes one with spaces.
pub fn paths(args: &str) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    let mut rest = args.trim();
    while !rest.is_empty() {
        let (path, after) = match rest.strip_prefix('"') {
            Some(quoted) => quoted.split_once('"').unwrap_or((quoted, "")),
            None => rest.split_once(char::is_whitespace).unwrap_or((rest, "")),
        };
        paths.push(PathBuf::from(path));
        rest = after.trim_start();
    }
    paths
}

fn usage(command: &CommandInfo) -> Reply {
    Reply::error(format!(
        "usage: :{} {}  — {}",
        command.name, command.args, command.help
    ))
}

/// The text of `:help`.
pub fn help() -> String {
    let mut out = String::from(
        "Type a rule to check it at once, a value to see it per entity, or a declaration to keep it:\n  \
         rule 县域就诊率 >= 92% by 2025     县域就诊率 >= 92% by 2025 (the same)\n  \
         县域就诊率 @ 2023                  cagr(床位数, 2020..2024)\n  \
         县域就诊率 @ 2023 for 东港区       indicator 床位数: 张\n\
         Commands:\n",
    );
    let usages: Vec<String> = COMMANDS
        .iter()
        .map(|command| format!(":{} {}", command.name, command.args))
        .collect();
    let width = usages.iter().map(|usage| usage.len()).max().unwrap_or(0);
    for (usage, command) in usages.iter().zip(COMMANDS) {
        let _ = writeln!(out, "  {usage:<width$}  {}", command.help);
    }
    out.push_str(
        "Tab completes commands and names; an open bracket continues the entry on the next line;\n\
         Ctrl-C cancels the line, Ctrl-D leaves.\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_on_white_space_and_quotes() {
        assert_eq!(
            paths("a.csv  \"my data.csv\" b.csv"),
            [
                PathBuf::from("a.csv"),
                PathBuf::from("my data.csv"),
                PathBuf::from("b.csv")
            ]
        );
        assert!(paths("  ").is_empty());
    }

    #[test]
    fn commands_are_found_by_name_and_alias() {
        assert_eq!(lookup("q").map(|command| command.name), Some("quit"));
        assert_eq!(lookup("asof").map(|command| command.name), Some("as-of"));
        assert!(lookup("lod").is_none());
    }

    #[test]
    fn rules_are_found_by_number_name_or_text() {
        let program = crate::compile(
            "indicator 县域就诊率: %\nrule 县域就诊率 >= 90% by 2025\nrule \"高\" 县域就诊率 >= 95% by 2025\n",
            "a.rules",
        )
        .unwrap();
        assert_eq!(find_rules(&program, "#2"), Ok(vec![2]));
        assert_eq!(find_rules(&program, "1"), Ok(vec![1]));
        assert_eq!(find_rules(&program, "县域就诊率>=90%"), Ok(vec![1]));
        assert_eq!(find_rules(&program, "\"高\""), Ok(vec![2]));
        assert_eq!(find_rules(&program, "高"), Ok(vec![2]));
        assert_eq!(
            find_rules(&program, "rule 县域就诊率 >= 90% by 2025"),
            Ok(vec![1])
        );
        assert!(find_rules(&program, "#3").is_err());
        let error = find_rules(&program, "县域就诊率 >= 91%").unwrap_err();
        assert!(
            error.contains("did you mean `县域就诊率 >= 90%`"),
            "{error}"
        );
    }
}
