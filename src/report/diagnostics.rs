//! Renders diagnostics for people (miette's graphical report, with or
//! without colour) or for programs (one JSON object per line).

use miette::{GraphicalReportHandler, GraphicalTheme};

use crate::diag::Diagnostic;

/// How diagnostics and reports are written.
///
/// ```
/// use zhibiao::report::diagnostics::Style;
///
/// // Never colour into a file or a pipe.
/// assert_eq!(Style::detect(false), Style::Plain);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Colour and Unicode box drawing, for a terminal.
    Fancy,
    /// No colour, for files, pipes and tests.
    Plain,
}

impl Style {
    /// Fancy on a terminal that allows colour, plain otherwise.
    pub fn detect(stream_is_terminal: bool) -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        if stream_is_terminal && !no_color {
            Style::Fancy
        } else {
            Style::Plain
        }
    }
}

/// Renders one diagnostic as text.
///
/// ```
/// use zhibiao::report::diagnostics::{render, render_json, Style};
///
/// let errors = zhibiao::compile("rule 县域就诊律 >= 90%\n", "a.rules").unwrap_err();
/// let text = render(&errors.0[0], Style::Plain);
/// assert!(text.contains("unknown-indicator") && text.contains("a.rules:1:6"));
/// let line = render_json(&errors.0[0]);
/// assert!(line.starts_with("{\"code\":\"unknown-indicator\""));
/// ```
pub fn render(diagnostic: &Diagnostic, style: Style) -> String {
    let theme = match style {
        Style::Fancy => GraphicalTheme::unicode(),
        Style::Plain => GraphicalTheme::unicode_nocolor(),
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    if handler.render_report(&mut out, diagnostic).is_err() {
        // Rendering can only fail on a formatter error; fall back to the
        // bare facts rather than lose the diagnostic.
        let (line, column) = diagnostic.line_col();
        out = format!(
            "{}[{}]: {} at {}:{line}:{column}\n",
            if diagnostic.is_error() {
                "error"
            } else {
                "warning"
            },
            diagnostic.code,
            diagnostic.message,
            diagnostic.source.name()
        );
    }
    out
}

/// One diagnostic as a line of JSON. See [`render`] for an example.
pub fn render_json(diagnostic: &Diagnostic) -> String {
    serde_json::to_string(&diagnostic.to_json()).unwrap_or_else(|error| {
        format!(
            "{{\"code\":\"internal\",\"message\":\"cannot write diagnostic as JSON: {error}\"}}"
        )
    })
}
