//! GitHub Actions workflow commands: one `::error`, `::warning` or
//! `::notice` per site, by its severity, which the runner turns into an
//! annotation on the pull request's diff. Values are escaped as the runner
//! unescapes them (GitHub's "Workflow commands for GitHub Actions": `%`, CR
//! and LF in a message; also `:` and `,` in a property).

use std::io::{self, Write};

use crate::check::ScanReport;
use crate::diagnostic::{Applicability, Diagnostic, Location, Severity};
use crate::project::suppress;

/// Escapes a command's message: what could act on a terminal (a log is
/// read on one too: see [`super::escape_text`]), then `%`, CR and LF.
fn escape_data(text: &str) -> String {
    super::escape_text(text)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as a message, plus `:` and `,`, which end it.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(
    out: &mut dyn Write,
    level: &str,
    path: &str,
    at: &Location,
    title: &str,
    message: &str,
) -> io::Result<()> {
    writeln!(
        out,
        "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        escape_property(path),
        at.start.line,
        at.start.column,
        at.end.line,
        at.end.column,
        escape_property(title),
        escape_data(message)
    )
}

/// The message, then where the evidence is, on a second line, and what a
/// safe fix rests on (its reasons, as the human report's note), on a
/// third.
fn message(d: &Diagnostic) -> String {
    let lines = |ls: &[Location]| {
        let lines: Vec<String> = ls.iter().map(|l| l.start.line.to_string()).collect();
        lines.join(", ")
    };
    let mut evidence = Vec::new();
    for (ls, what) in [
        (&d.guards, "NULL guard"),
        (&d.assignments, "assigned"),
        (&d.releases, "released"),
    ] {
        if !ls.is_empty() {
            let noun = if ls.len() == 1 { "line" } else { "lines" };
            evidence.push(format!("{what} at {noun} {}", lines(ls)));
        }
    }
    for claim in &d.claims {
        let place = if claim.path == d.path {
            format!("line {}", claim.location.start.line)
        } else {
            format!("{}:{}", claim.path, claim.location.start.line)
        };
        evidence.push(format!(
            "{} ({}) at {place}",
            claim.kind.describe(),
            claim.kind.constant(),
        ));
    }
    let mut message = d.message.clone();
    if !evidence.is_empty() {
        message.push('\n');
        message.push_str(&evidence.join("; "));
    }
    let rests_on = d
        .fix
        .as_ref()
        .filter(|f| f.applicability == Applicability::Safe)
        .and_then(|f| f.reason());
    if let Some(rules) = rests_on {
        message.push_str("\nthe fix rests on: ");
        message.push_str(&rules);
    }
    message
}

pub fn emit(out: &mut dyn Write, report: &ScanReport) -> io::Result<()> {
    for d in report.diagnostics() {
        let level = match d.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        command(
            out,
            level,
            &d.path,
            &d.declarator,
            d.code.as_str(),
            &message(d),
        )?;
    }
    for u in &report.filtered.unused_ignores {
        command(
            out,
            "warning",
            &u.path,
            &u.location,
            suppress::UNUSED_IGNORE_ID,
            &u.message(),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(escape_data("a\x1b[2Jb\u{202e}"), "a\\x1b[2Jb\\u{202e}");
    }
}
