//! The problems a row can have, each as its diagnostic: shape, quotes,
//! names, units, conflicts with what earlier rows said.

use std::ops::Range;

use super::super::layout;
use super::super::records::{Field, QuoteProblem};
use super::super::staging::Conflict;
use super::super::units::UnitProblem;
use super::{FileReader, MAX_FIELD_BYTES};
use crate::diag::{Code, Diagnostic};

impl FileReader<'_> {
    /// Says which row was taken for the header when it is not the first.
    pub(super) fn header_choice(&mut self, span: &Range<usize>, found: layout::Found) {
        let line = self.source.line_col(span.start).0;
        let skipped = match found.row {
            0 => String::new(),
            1 => "; the row above it is skipped as a title".to_string(),
            rows => format!("; the {rows} rows above it are skipped as a title"),
        };
        let second = if found.second {
            ", merged with the row below it"
        } else {
            ""
        };
        let diagnostic = Diagnostic::warning(
            self.source,
            Code::DataHeaderRow,
            span.clone(),
            format!("the header is on line {line}{second}{skipped}"),
            "read as the header",
        )
        .with_help("if that is not the header, name its row with `--header-row N`");
        self.reporter.push(self.file, diagnostic);
    }

    pub(super) fn conflict(
        &mut self,
        code: Code,
        field: &Field<'_>,
        conflict: Conflict,
        message: String,
        value: &str,
        help: &str,
    ) {
        let place = self.staging.place(conflict.first, self.file);
        let diagnostic = if conflict.first.file == self.file {
            self.diagnostic(code, field.span.clone(), message, format!("`{value}` here"))
                .with_label(
                    conflict.first.span(),
                    format!("`{}` first", conflict.first_value),
                )
        } else {
            let label = format!("`{value}` here, `{}` on {place}", conflict.first_value);
            self.diagnostic(code, field.span.clone(), message, label)
        };
        self.reporter.push(self.file, diagnostic.with_help(help));
    }

    pub(super) fn unnamed(&mut self, column: usize, field: &Field<'_>) {
        if field.text.trim().is_empty() || self.unnamed_reported.contains(&column) {
            return;
        }
        self.unnamed_reported.push(column);
        let diagnostic = self
            .diagnostic(
                Code::DataUnnamedColumn,
                field.span.clone(),
                "a value in a column without a header",
                "under no header",
            )
            .with_help("give the column a header (an indicator's name, or an attribute's in a long file), or delete its values");
        self.reporter.push(self.file, diagnostic);
    }

    pub(super) fn unit_problem(
        &mut self,
        problem: UnitProblem,
        span: Range<usize>,
        unit: &str,
        value: Option<f64>,
    ) {
        let diagnostic = match problem {
            UnitProblem::TooMany => self
                .diagnostic(
                    Code::DataTooManyUnits,
                    span,
                    "more than 254 different units in the loaded data",
                    "one unit too many",
                )
                .with_help("write values in fewer distinct units, e.g. all counts in `个` rather than `万个`"),
            UnitProblem::Unknown(unknown) => {
                let number = value.map(crate::unit::format_number).unwrap_or_default();
                let help = if let Some(near) = unknown.suggestion {
                    format!("did you mean `{number}{near}`?")
                } else {
                    "write a unit from the unit table (`zhibiao units` lists it), or the number alone in the indicator's declared unit".to_string()
                };
                self.diagnostic(
                    Code::DataUnknownUnit,
                    span,
                    format!("unknown unit `{unit}`"),
                    "not a unit in the unit table",
                )
                .with_help(help)
            }
        };
        self.reporter.push(self.file, diagnostic);
    }

    pub(super) fn mismatch(&mut self, field: &Field<'_>, code: u8, base: u8) {
        let units = &self.staging.units;
        let (Some(cell), Some(column)) = (units.get(code), units.get(base)) else {
            return;
        };
        let message = format!(
            "`{}` is {}, but its column's unit `{column}` is {}",
            field.text.trim(),
            crate::unit::describe(cell),
            crate::unit::describe(column)
        );
        let label = format!("{} here", crate::unit::describe(cell));
        let help = format!(
            "write the value in `{column}` (or without a unit), or correct the column's unit"
        );
        let diagnostic = self
            .diagnostic(Code::DataUnitMismatch, field.span.clone(), message, label)
            .with_help(help);
        self.reporter.push(self.file, diagnostic);
    }

    pub(super) fn ratio_warning(&mut self, field: &Field<'_>, first: f64, value: f64) {
        let value = crate::unit::format_number(value);
        let diagnostic = Diagnostic::warning(
            self.source,
            Code::DataRatioFirstTerm,
            field.span.clone(),
            format!("the ratio `{}` does not start with 1", field.text.trim()),
            format!("read as `1:{value}`, B per A"),
        )
        .with_help(format!(
            "write `1:{value}` to say so; first term {} may mean the terms are swapped",
            crate::unit::format_number(first)
        ));
        self.reporter.push(self.file, diagnostic);
    }

    /// Extra fields after a trailing note column are commas in the note,
    /// which is ignored anyway: a warning, not an error.
    pub(super) fn comma_in_note(&mut self, fields: &[Field<'_>], width: usize) {
        let (Some(note), Some(last)) = (fields.get(width - 1), fields.last()) else {
            return;
        };
        let diagnostic = Diagnostic::warning(
            self.source,
            Code::DataUnquotedComma,
            note.span.start..last.span.end,
            "a comma in the last column's note is not in quotes",
            "read as one note, which is ignored",
        )
        .with_help(
            "put the cell in quotes (`\"a,b\"`) so that other programs read the row the same way",
        );
        self.reporter.push(self.file, diagnostic);
    }

    /// Whether a field is longer than [`MAX_FIELD_BYTES`], reported: no
    /// cell of a statistics table is, and reading one would copy it into
    /// names, messages and labels.
    pub(super) fn too_long(&mut self, fields: &[Field<'_>]) -> bool {
        let Some(field) = fields
            .iter()
            .find(|field| field.text.len() > MAX_FIELD_BYTES)
        else {
            return false;
        };
        let start = field.span.start;
        let diagnostic = self
            .diagnostic(
                Code::DataFieldTooLong,
                start..start + 1,
                format!(
                    "a field of {} bytes, more than the {MAX_FIELD_BYTES} a cell may have",
                    field.text.len()
                ),
                "this field starts here",
            )
            .with_help(
                "check the quotes around it: a quote never closed runs on to the end of the file",
            );
        self.reporter.push(self.file, diagnostic);
        true
    }

    pub(super) fn ragged(&mut self, fields: &[Field<'_>], span: Range<usize>, width: usize) {
        let found = fields.len();
        let (at, label) = if found > width {
            let extra = found - width;
            (
                fields[width].span.start.saturating_sub(1)..span.end,
                format!(
                    "{extra} field{} too many",
                    if extra == 1 { "" } else { "s" }
                ),
            )
        } else {
            (
                span.end..span.end,
                format!(
                    "{} field{} missing",
                    width - found,
                    if width - found == 1 { "" } else { "s" }
                ),
            )
        };
        let help = if found > width {
            "put a cell that contains a comma in quotes (`\"1,234.5\"`), or remove the extra commas"
        } else {
            "every row has as many fields as the header; write an empty cell as nothing between two commas"
        };
        let diagnostic = self
            .diagnostic(
                Code::DataRaggedRow,
                at,
                format!("expected {width} fields as in the header, found {found}"),
                label,
            )
            .with_help(help);
        self.reporter.push(self.file, diagnostic);
    }

    pub(super) fn quote_problems(&mut self, problems: &mut Vec<QuoteProblem>) {
        for problem in problems.drain(..) {
            let diagnostic = match problem {
                QuoteProblem::Unclosed(span) => self
                    .diagnostic(Code::DataBadQuote, span, "a quote is never closed", "this quote opens a cell that never ends")
                    .with_help("close the quote, or double a quote inside a quoted cell (`\"\"`); the rest of the line was read without it"),
                QuoteProblem::TextAfterQuote(span) => self
                    .diagnostic(Code::DataBadQuote, span, "text after a closing quote", "after the closing quote")
                    .with_help("put the whole cell in quotes, doubling any quote inside it: `\"say \"\"hi\"\"\"`"),
            };
            self.reporter.push(self.file, diagnostic);
        }
    }

    /// A name with a control character (NUL, a newline in a quoted cell)
    /// is an error: normalising cannot say what was meant.
    pub(super) fn check_name(&mut self, name: &str, span: &Range<usize>) {
        let Some(control) = crate::name::control_character(name) else {
            return;
        };
        let diagnostic = self
            .diagnostic(
                Code::DataBadName,
                span.clone(),
                format!(
                    "the name holds the control character {}",
                    crate::name::describe(control)
                ),
                "a character that does not print",
            )
            .with_help("retype the name: exported cells sometimes carry invisible characters");
        self.reporter.push(self.file, diagnostic);
    }
}
