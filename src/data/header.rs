//! A file's header: what each column is, whether the file is long (one row
//! per observation, with an `指标` column) or wide (one column per
//! indicator), and units written in headers (`婴儿死亡率(‰)`).

use std::sync::Arc;

use super::records::Field;
use crate::diag::{closest, Code, Diagnostic, SourceFile};

/// The attribute name of the tier column (`级别`, `level`).
pub(crate) const TIER: &str = "级别";
/// The attribute name of the type column (`类型`, `type`).
pub(crate) const TYPE: &str = "类型";

/// Column roles with a fixed name, the names they are recognised by
/// (ASCII ones in any case), the first being the one used in messages.
const ROLES: &[(Role, &[&str])] = &[
    (Role::Entity, &["地区", "机构", "entity", "region"]),
    (Role::Year, &["年份", "年度", "year"]),
    (Role::Indicator, &["指标", "指标名称", "indicator"]),
    (Role::Value, &["值", "数值", "value"]),
    (Role::Parent, &["上级", "上级地区", "parent"]),
    (Role::Tier, &["级别", "层级", "level", "tier"]),
    (Role::Type, &["类型", "type"]),
    (Role::Unit, &["单位", "unit"]),
    (
        Role::Note,
        &[
            "来源",
            "数据来源",
            "备注",
            "说明",
            "source",
            "note",
            "notes",
        ],
    ),
];

/// What a column with a recognised name holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// The entity's name.
    Entity,
    /// The year.
    Year,
    /// Long files: the indicator's name.
    Indicator,
    /// Long files: the value.
    Value,
    /// The entity's parent.
    Parent,
    /// The entity's tier, an attribute.
    Tier,
    /// The entity's type, an attribute.
    Type,
    /// Long files: the unit of the row's value.
    Unit,
    /// A note such as the source of a figure: recognised and ignored.
    Note,
}

impl Role {
    /// The name used in messages.
    pub fn name(self) -> &'static str {
        ROLES
            .iter()
            .find(|(role, _)| *role == self)
            .map_or("", |(_, names)| names[0])
    }

    fn english(self) -> &'static str {
        ROLES
            .iter()
            .find(|(role, _)| *role == self)
            .and_then(|(_, names)| names.iter().find(|name| name.is_ascii()))
            .copied()
            .unwrap_or("")
    }
}

/// The role a header names, if it is one of the fixed ones.
pub(crate) fn role(name: &str) -> Option<Role> {
    // `地區`, `指標`: headers of tables printed in traditional script.
    let name = &*crate::name::simplified(name);
    ROLES
        .iter()
        .find(|(_, names)| {
            names.iter().any(|known| {
                *known == name || (known.is_ascii() && known.eq_ignore_ascii_case(name))
            })
        })
        .map(|(role, _)| *role)
}

/// What one column holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Column {
    /// A column with a fixed role.
    Role(Role),
    /// Long files: an entity attribute named by its header.
    Attribute(String),
    /// Wide files: an indicator, with the unit written in its header.
    Indicator {
        /// The name without the unit.
        name: String,
        /// The unit in brackets, as written.
        unit: Option<String>,
    },
    /// A column with an empty header: it must stay empty.
    Unnamed,
}

/// A file's columns.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Header {
    /// One per header field.
    pub columns: Vec<Column>,
    /// Whether the file is long (has an `指标` column).
    pub long: bool,
    /// Long files: the unit in the value column's header (`值(%)`), for
    /// bare numbers of rows without a unit of their own.
    pub value_unit: Option<String>,
}

impl Header {
    /// The index of the column with a role.
    pub fn find(&self, role: Role) -> Option<usize> {
        self.columns
            .iter()
            .position(|column| *column == Column::Role(role))
    }
}

/// Splits a unit off the end of a name: `孕产妇死亡率(1/10万)` is
/// `孕产妇死亡率` in `1/10万`. The last bracketed group, in ASCII or
/// full-width brackets, is a unit only if `is_unit` accepts it; otherwise it
/// is part of the name (`每千常住人口执业(助理)医师数`).
pub(crate) fn split_unit<'t>(
    text: &'t str,
    is_unit: &mut dyn FnMut(&str) -> bool,
) -> (&'t str, Option<&'t str>) {
    let text = text.trim();
    let Some(inner_end) = text
        .strip_suffix(')')
        .or_else(|| text.strip_suffix('）'))
        .map(str::len)
    else {
        return (text, None);
    };
    let Some(open) = text[..inner_end].rfind(['(', '（']) else {
        return (text, None);
    };
    let open_len = if text[open..].starts_with('(') {
        1
    } else {
        '（'.len_utf8()
    };
    let unit = text[open + open_len..inner_end].trim();
    let name = text[..open].trim_end();
    if name.is_empty() || unit.is_empty() || !is_unit(unit) {
        return (text, None);
    }
    (name, Some(unit))
}

/// Reads the header record. Errors mean the file's rows cannot be read.
pub(crate) fn read(
    source: &Arc<SourceFile>,
    fields: &[Field<'_>],
    span: std::ops::Range<usize>,
    is_unit: &mut dyn FnMut(&str) -> bool,
) -> Result<Header, Vec<Diagnostic>> {
    let names: Vec<&str> = fields.iter().map(|field| field.text.trim()).collect();
    // A role's header may carry a unit (`值(%)`); only the value's is kept.
    let mut value_unit = None;
    let roles: Vec<Option<Role>> = names
        .iter()
        .map(|name| {
            role(name).or_else(|| {
                let (base, unit) = split_unit(name, is_unit);
                let found = role(base).filter(|_| unit.is_some())?;
                if found == Role::Value {
                    value_unit = unit.map(str::to_string);
                }
                Some(found)
            })
        })
        .collect();
    let long = roles.contains(&Some(Role::Indicator));
    let mut problems = Vec::new();
    let mut columns = Vec::with_capacity(fields.len());
    for (at, (name, role)) in names.iter().zip(&roles).enumerate() {
        let column = match role {
            Some(Role::Unit) if !long => {
                problems.push(
                    Diagnostic::error(
                        source,
                        Code::DataMisplacedColumn,
                        fields[at].span.clone(),
                        "a `单位` column only works in a long file",
                        "the unit of which indicator?",
                    )
                    .with_help(
                        "in a wide file, write each indicator's unit in its header: `床位数(张)`",
                    ),
                );
                Column::Unnamed
            }
            Some(Role::Tier) => Column::Attribute(TIER.to_string()),
            Some(Role::Type) => Column::Attribute(TYPE.to_string()),
            Some(role) => Column::Role(*role),
            None if name.is_empty() => Column::Unnamed,
            None if long => Column::Attribute(name.to_string()),
            None => {
                // One column only: tabs or `;` between columns, said below.
                let control = crate::name::control_character(name).filter(|_| names.len() > 1);
                if let Some(control) = control {
                    problems.push(
                        Diagnostic::error(
                            source,
                            Code::DataBadName,
                            fields[at].span.clone(),
                            format!(
                                "the name holds the control character {}",
                                crate::name::describe(control)
                            ),
                            "a character that does not print",
                        )
                        .with_help(
                            "retype the name: exported cells sometimes carry invisible characters",
                        ),
                    );
                }
                let (name, unit) = split_unit(name, is_unit);
                Column::Indicator {
                    name: name.to_string(),
                    unit: unit.map(str::to_string),
                }
            }
        };
        // A second column of the same meaning.
        if let Some(first) = columns.iter().position(|earlier| {
            *earlier == column && !matches!(column, Column::Unnamed | Column::Role(Role::Note))
                || matches!((earlier, &column), (
                    Column::Indicator { name: a, .. },
                    Column::Indicator { name: b, .. },
                ) if a == b)
        }) {
            problems.push(
                Diagnostic::error(
                    source,
                    Code::DataDuplicateColumn,
                    fields[at].span.clone(),
                    format!("two columns `{}`", names[at]),
                    "the second one",
                )
                .with_label(fields[first].span.clone(), "the first one")
                .with_help("remove or rename one of them"),
            );
        }
        columns.push(column);
    }
    let header = Header {
        columns,
        long,
        value_unit: if long { value_unit } else { None },
    };
    let mut required = vec![Role::Entity, Role::Year];
    if long {
        required.push(Role::Value);
    }
    for role in required {
        if header.find(role).is_none() {
            problems.push(missing(source, fields, &names, span.clone(), role, long));
        }
    }
    if !long
        && !header
            .columns
            .iter()
            .any(|column| matches!(column, Column::Indicator { .. }))
        && problems.is_empty()
    {
        problems.push(
            Diagnostic::error(
                source,
                Code::DataMissingColumn,
                span.clone(),
                "the header names no indicator",
                "no `指标` column and no indicator columns",
            )
            .with_help(
                "a long file has `地区,年份,指标,值`; a wide file has `地区,年份` and one column per indicator",
            ),
        );
    }
    if problems.is_empty() {
        Ok(header)
    } else {
        Err(problems)
    }
}

fn missing(
    source: &Arc<SourceFile>,
    fields: &[Field<'_>],
    names: &[&str],
    span: std::ops::Range<usize>,
    role: Role,
    long: bool,
) -> Diagnostic {
    let message = format!("the header has no `{}` column", role.name());
    let candidates = ROLES
        .iter()
        .find(|(known, _)| *known == role)
        .map_or(&[][..], |(_, names)| *names);
    let near = names.iter().enumerate().find_map(|(at, name)| {
        let suggestion = closest(name, candidates.iter().copied())?;
        (self::role(name).is_none()).then_some((at, suggestion))
    });
    if let Some((at, suggestion)) = near {
        return Diagnostic::error(
            source,
            Code::DataMissingColumn,
            fields[at].span.clone(),
            message,
            format!("is this the `{suggestion}` column?"),
        )
        .with_help(format!("rename `{}` to `{suggestion}`", names[at]));
    }
    let help = if names.len() == 1 && names[0].contains(['\t', ';', '；']) {
        "the columns seem to be separated by tabs or `;`: save the file as CSV, with commas"
            .to_string()
    } else if names.len() == 1 {
        "no header (`地区,年份,指标,值`) in the first rows: delete any title lines above it, or name its row with `--header-row N`"
            .to_string()
    } else if long {
        format!(
            "a long file has the columns `地区,年份,指标,值` (or `entity,year,indicator,value`); add `{}` (or `{}`)",
            role.name(),
            role.english()
        )
    } else {
        format!(
            "a wide file has the columns `地区,年份` and one per indicator; add `{}` (or `{}`)",
            role.name(),
            role.english()
        )
    };
    Diagnostic::error(
        source,
        Code::DataMissingColumn,
        span,
        message,
        format!("no `{}` or `{}` here", role.name(), role.english()),
    )
    .with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::records::Records;

    fn header(text: &str) -> Result<Header, Vec<Diagnostic>> {
        let source = SourceFile::new("t.csv", text);
        let mut records = Records::new(text);
        let mut fields = Vec::new();
        let span = records.next_record(&mut fields, &mut Vec::new()).unwrap();
        read(&source, &fields, span, &mut |unit| {
            crate::unit::parse(unit).is_ok()
        })
    }

    fn errors(text: &str) -> Vec<(Code, (usize, usize))> {
        header(text)
            .unwrap_err()
            .iter()
            .map(|diagnostic| (diagnostic.code, diagnostic.line_col()))
            .collect()
    }

    #[test]
    fn units_split_off_names() {
        let mut is_unit = |unit: &str| crate::unit::parse(unit).is_ok();
        for (text, name, unit) in [
            ("孕产妇死亡率(1/10万)", "孕产妇死亡率", Some("1/10万")),
            ("婴儿死亡率（‰）", "婴儿死亡率", Some("‰")),
            ("床位数 (张)", "床位数", Some("张")),
            (
                "每千常住人口执业(助理)医师数",
                "每千常住人口执业(助理)医师数",
                None,
            ),
            (
                "执业(助理)医师数(人/千人)",
                "执业(助理)医师数",
                Some("人/千人"),
            ),
            ("(%)", "(%)", None),
            ("床位数", "床位数", None),
            ("床位数()", "床位数()", None),
        ] {
            assert_eq!(split_unit(text, &mut is_unit), (name, unit), "{text}");
        }
    }

    #[test]
    fn long_and_wide_headers() {
        let long = header("地区,年份,指标,值,单位,来源,上级,级别,type,区号").unwrap();
        assert_eq!(long.value_unit, None);
        let with_unit = header("地区,年份(年),指标,值（%）").unwrap();
        assert_eq!(with_unit.find(Role::Value), Some(3));
        assert_eq!(with_unit.value_unit.as_deref(), Some("%"));
        assert!(long.long);
        assert_eq!(long.find(Role::Value), Some(3));
        assert_eq!(long.columns[6], Column::Role(Role::Parent));
        assert_eq!(long.columns[7], Column::Attribute("级别".into()));
        assert_eq!(long.columns[8], Column::Attribute("类型".into()));
        assert_eq!(long.columns[9], Column::Attribute("区号".into()));
        let english = header("Entity,YEAR,indicator,value,parent,level").unwrap();
        assert!(english.long);
        let wide = header("地区,年份,上级,孕产妇死亡率(1/10万),床位数").unwrap();
        assert!(!wide.long);
        assert_eq!(
            wide.columns[3],
            Column::Indicator {
                name: "孕产妇死亡率".into(),
                unit: Some("1/10万".into())
            }
        );
    }

    #[test]
    fn header_errors() {
        assert_eq!(errors("地区,指标,值"), [(Code::DataMissingColumn, (1, 1))]);
        assert_eq!(
            errors("地区,年分,指标,值"),
            [(Code::DataMissingColumn, (1, 4))]
        );
        assert_eq!(
            errors("地区,年份,指标"),
            [(Code::DataMissingColumn, (1, 1))]
        );
        assert_eq!(errors("地区,年份"), [(Code::DataMissingColumn, (1, 1))]);
        assert_eq!(
            errors("地区,年份,年份,x"),
            [(Code::DataDuplicateColumn, (1, 7))]
        );
        assert_eq!(
            errors("地区,年份,x(%),x"),
            [(Code::DataDuplicateColumn, (1, 12))]
        );
        assert_eq!(
            errors("地区,年份,单位,x"),
            [(Code::DataMisplacedColumn, (1, 7))]
        );
        let tabs = header("地区\t年份\t指标\t值").unwrap_err();
        assert!(tabs[0].help.as_deref().unwrap().contains("tabs"));
        let title = header("表1 各地区卫生指标\n地区,年份,指标,值").unwrap_err();
        assert!(title[0].help.as_deref().unwrap().contains("title lines"));
    }
}
