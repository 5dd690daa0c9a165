//! rustc-style diagnostics through codespan-reporting: the declaration as
//! the primary label, guards, assignments and releases as secondary ones,
//! a help line, then a one-line summary.

use std::io::{self, Write};

use codespan_reporting::diagnostic::{Diagnostic as Rendered, Label, Severity as Level};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};

use crate::check::ScanReport;
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::rules;

use super::escape::{escape_text, Escaped};
use super::RenderOptions;

/// When the human format is coloured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    /// When stdout is a terminal that supports colour (not `TERM=dumb`),
    /// as `NO_COLOR`, `CLICOLOR` and `CLICOLOR_FORCE` allow (anstream
    /// decides).
    Auto,
    /// Always, even into a pipe or a file (`--color always`).
    Always,
    /// Never (`--color never`).
    Never,
}

impl ColorChoice {
    /// Whether to colour: `Auto` asks anstream, which colours a terminal
    /// that supports it (not `TERM=dumb`) and follows `NO_COLOR`,
    /// `CLICOLOR` and `CLICOLOR_FORCE`.
    fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never
            }
        }
    }
}

fn help(d: &Diagnostic) -> String {
    match d
        .fix
        .as_ref()
        .filter(|f| f.applicability != Applicability::Safe)
    {
        Some(fix) => rules::unsafe_fix_help(d, fix.reason().as_deref().unwrap_or("unknown reason")),
        None => (rules::rule(d.code).help)(d),
    }
}

/// Writes `selected` (findings of `report`, in report order) as
/// rustc-style snippets.
pub(super) fn emit_diagnostics(
    out: &mut dyn Write,
    report: &ScanReport,
    selected: &[&Diagnostic],
    options: &RenderOptions,
) -> io::Result<()> {
    let mut buffer = if options.color.enabled() {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let config = term::Config::default();
    let mut files = SimpleFiles::new();
    // By address: the selection holds references into the report.
    let selected: std::collections::HashSet<*const Diagnostic> =
        selected.iter().map(|d| *d as *const Diagnostic).collect();
    for file in &report.files {
        let chosen: Vec<&Diagnostic> = file
            .diagnostics
            .iter()
            .filter(|d| selected.contains(&(*d as *const Diagnostic)))
            .collect();
        if chosen.is_empty() {
            continue;
        }
        let display = file.source.display_text();
        let text = Escaped::of(&display);
        let id = files.add(file.source.display_path.clone(), text.text.to_string());
        for d in chosen {
            term::emit_to_write_style(&mut buffer, &config, &files, &render(id, &text, d))
                .map_err(io::Error::other)?;
        }
    }
    out.write_all(buffer.as_slice())
}

/// The finding as codespan renders it: its spans moved to `text`, the
/// escaped text of its file (see [`super::escape`]), and every message
/// escaped the same way.
fn render(file: usize, text: &Escaped, d: &Diagnostic) -> Rendered<usize> {
    let range = |span: crate::diagnostic::Span| text.offset(span.start)..text.offset(span.end);
    let level = match d.severity() {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Info => Level::Note,
    };
    let rule_labels = rules::rule(d.code).labels;
    let mut labels = vec![Label::primary(file, range(d.declarator.span))
        .with_message(escape_text(&(rule_labels.primary)(d)))];
    let secondary = [
        (&d.guards, rule_labels.guard),
        (&d.assignments, rule_labels.write),
        (&d.releases, rule_labels.release),
    ];
    for (locations, message) in secondary {
        for l in locations {
            labels.push(Label::secondary(file, range(l.span)).with_message(message));
        }
    }
    let mut notes = Vec::new();
    for claim in &d.claims {
        let l = claim.location;
        if claim.path == d.path {
            labels.push(Label::secondary(file, range(l.span)).with_message(claim.kind.describe()));
        } else {
            notes.push(format!(
                "{} ({}): {}:{}:{}",
                claim.kind.describe(),
                claim.kind.constant(),
                claim.path,
                l.start.line,
                l.start.column
            ));
        }
    }
    if let Some(note) = d.free_threading_note() {
        notes.push(format!("note: {note}"));
    }
    // A safe fix's reasons are the rules it rests on.
    if let Some(rules) = d
        .fix
        .as_ref()
        .filter(|f| f.applicability == Applicability::Safe)
        .and_then(|f| f.reason())
    {
        notes.push(format!("note: the fix rests on: {rules}"));
    }
    notes.push(format!("help: {}", help(d)));
    Rendered::new(level)
        .with_code(d.code.as_str())
        .with_message(escape_text(&d.message))
        .with_labels(labels)
        .with_notes(notes.iter().map(|n| escape_text(n).into_owned()).collect())
}

pub fn emit(out: &mut dyn Write, report: &ScanReport, options: &RenderOptions) -> io::Result<()> {
    let all: Vec<&Diagnostic> = report.diagnostics().collect();
    emit_diagnostics(out, report, &all, options)?;
    for u in &report.filtered.unused_ignores {
        writeln!(
            out,
            "warning[{}]: {}\n  ┌─ {}:{}:{}\n",
            crate::project::suppress::UNUSED_IGNORE_ID,
            escape_text(&u.message()),
            u.path,
            u.location.start.line,
            u.location.start.column
        )?;
    }
    if options.show_parse_errors {
        for e in &report.parse_errors {
            writeln!(out, "{}", super::parse_error_line(e))?;
        }
    }
    if options.summary {
        writeln!(out, "{}", super::summary_line(report))?;
    }
    Ok(())
}
