//! rustc-style diagnostics through codespan-reporting: the declaration as
//! the primary label, guards, assignments and releases as secondary ones,
//! a help line, then a one-line summary.

use std::io::{self, Write};

use codespan_reporting::diagnostic::{Diagnostic as Rendered, Label, Severity as Level};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};

use crate::check::ScanReport;
use crate::diagnostic::{Applicability, Code, Diagnostic, Severity};
use crate::rules;

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

fn render(file: usize, d: &Diagnostic) -> Rendered<usize> {
    let level = match d.severity() {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Info => Level::Note,
    };
    let mut labels = vec![
        Label::primary(file, d.declarator.span.start..d.declarator.span.end)
            .with_message(format!("static `{}` declared here", d.type_name)),
    ];
    let guard = if d.code == Code::OV301 {
        "set-once flag"
    } else {
        "NULL guard"
    };
    let secondary = [
        (&d.guards, guard),
        (&d.assignments, "assigned here"),
        (&d.releases, "released here"),
    ];
    for (locations, message) in secondary {
        for l in locations {
            labels.push(Label::secondary(file, l.span.start..l.span.end).with_message(message));
        }
    }
    let mut notes = Vec::new();
    for claim in &d.claims {
        let l = claim.location;
        if claim.path == d.path {
            labels.push(
                Label::secondary(file, l.span.start..l.span.end)
                    .with_message(claim.kind.describe()),
            );
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
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(notes)
}

pub fn emit(out: &mut dyn Write, report: &ScanReport, options: &RenderOptions) -> io::Result<()> {
    let mut buffer = if options.color.enabled() {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let config = term::Config::default();
    let mut files = SimpleFiles::new();
    for file in &report.files {
        let id = files.add(file.source.display_path.clone(), file.source.display_text());
        for d in &file.diagnostics {
            term::emit_to_write_style(&mut buffer, &config, &files, &render(id, d))
                .map_err(io::Error::other)?;
        }
    }
    out.write_all(buffer.as_slice())?;
    for u in &report.filtered.unused_ignores {
        writeln!(
            out,
            "warning[{}]: {}\n  ┌─ {}:{}:{}\n",
            crate::project::suppress::UNUSED_IGNORE_ID,
            u.message(),
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
