//! Report formats. Each emitter prints a finished `ScanReport`; none of them
//! computes anything, so every format tells the same story.

mod audit;
mod concise;
mod escape;
mod github;
mod human;
mod json;
pub mod log;
mod sarif;
pub mod statistics;

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::check::ScanReport;
use crate::diagnostic::Code;

pub use escape::escape_text;
pub use human::ColorChoice;

/// A report format: each has its emitter module of the same name (the
/// command line's `--output-format` describes them to users).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// rustc-style snippets with labels (codespan-reporting), then a
    /// summary line.
    Human,
    /// `path:line:col: CODE message`, one line per site.
    Concise,
    /// The JSON report whose shape docs/json.md documents.
    Json,
    /// A SARIF 2.1.0 log (OASIS), as GitHub code scanning reads it.
    Sarif,
    /// GitHub Actions workflow commands (`::warning file=...::`), which the
    /// runner turns into annotations.
    Github,
}

/// How a report is rendered, beyond its format.
pub struct RenderOptions {
    /// Whether the human format is coloured.
    pub color: ColorChoice,
    /// List the files with parse errors before the summary (human format;
    /// JSON and SARIF always carry them).
    pub show_parse_errors: bool,
    /// End the human format with the summary line (off for `--quiet`,
    /// which prints the findings only).
    pub summary: bool,
}

/// Writes `report` to `out` in `format`. Lines and columns are 1-based,
/// columns counted in characters (SARIF's `unicodeCodePoints`).
///
/// # Errors
///
/// Only those of writing to `out`.
pub fn emit(
    format: Format,
    out: &mut dyn Write,
    report: &ScanReport,
    options: &RenderOptions,
) -> io::Result<()> {
    match format {
        Format::Human => human::emit(out, report, options),
        Format::Concise => concise::emit(out, report),
        Format::Json => json::emit(out, report),
        Format::Sarif => sarif::emit(out, report),
        Format::Github => github::emit(out, report),
    }
}

/// Writes the audit of `report` (see [`crate::audit`]) to `out` in
/// `format`: GitHub annotations are the findings themselves, as for
/// [`emit`].
///
/// # Errors
///
/// Only those of writing to `out`.
pub fn emit_audit(
    format: Format,
    out: &mut dyn Write,
    report: &ScanReport,
    audit: &crate::audit::Audit,
    options: &RenderOptions,
) -> io::Result<()> {
    match format {
        Format::Human => audit::emit_human(out, report, audit, options),
        Format::Concise => audit::emit_concise(out, audit),
        Format::Json => audit::emit_json(out, report, audit),
        Format::Sarif => sarif::emit_audit(out, report, audit),
        Format::Github => github::emit(out, report),
    }
}

/// The audit's one-line summary, which the text formats end with.
pub fn audit_summary_line(audit: &crate::audit::Audit) -> String {
    audit::summary_line(audit)
}

/// Sites per code, in code order.
pub fn counts_by_code(report: &ScanReport) -> BTreeMap<Code, usize> {
    let mut counts = BTreeMap::new();
    for d in report.diagnostics() {
        *counts.entry(d.code).or_insert(0) += 1;
    }
    counts
}

/// Writes the report's file problems (`error: path: message` for a fatal
/// one, `warning: ...` otherwise) and the malformed suppression comments
/// (`warning: path:line:...`) to `log`: they go to stderr in every format,
/// so that stdout holds the report alone.
///
/// # Errors
///
/// Only those of writing to `log`.
pub fn emit_problems(log: &mut log::Log<'_>, report: &ScanReport) -> io::Result<()> {
    for p in &report.problems {
        if p.fatal {
            log.error(format_args!("{}: {}", p.path, escape_text(&p.message)))?;
        } else {
            log.warning(format_args!("{}: {}", p.path, escape_text(&p.message)))?;
        }
    }
    for p in &report.filtered.bad_directives {
        log.warning(format_args!("{}:{}", p.path, escape_text(&p.message)))?;
    }
    Ok(())
}

/// `path:line:col: parse error: syntax error (3 in the file)`, as the text
/// formats list a file with parse errors (`--show-parse-errors`).
pub fn parse_error_line(e: &crate::check::ParseError) -> String {
    format!(
        "{}:{}:{}: parse error: {} ({} in the file; findings there may be missing or wrong)",
        e.path,
        e.first.line,
        e.first.column,
        escape_text(&e.what),
        plural(e.count, "error", "errors")
    )
}

/// `path:line:col: unused-ignore message`, as the text formats print an
/// unused suppression.
pub fn unused_ignore_line(u: &crate::project::suppress::UnusedIgnore) -> String {
    format!(
        "{}:{}:{}: {} {}",
        u.path,
        u.location.start.line,
        u.location.start.column,
        crate::project::suppress::UNUSED_IGNORE_ID,
        escape_text(&u.message())
    )
}

/// `n` and the noun that agrees with it: `1 file`, `0 files`, `2 files`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The one-line summary shared by the text formats.
pub fn summary_line(report: &ScanReport) -> String {
    let counts = counts_by_code(report);
    let total: usize = counts.values().sum();
    let new = if report.baseline.is_some() {
        "new "
    } else {
        ""
    };
    let mut line = if total == 0 {
        format!("no {new}sites found")
    } else {
        let per_code: Vec<String> = counts.iter().map(|(c, n)| format!("{c}: {n}")).collect();
        format!(
            "found {} ({})",
            plural(total, &format!("{new}site"), &format!("{new}sites")),
            per_code.join(", ")
        )
    };
    line.push_str(&format!(
        " in {} scanned",
        plural(report.files_scanned, "file", "files")
    ));
    if report.files_with_parse_errors() > 0 {
        line.push_str(&format!(
            "; {} with parse errors",
            plural(report.files_with_parse_errors(), "file", "files")
        ));
    }
    if report.vendored_skipped > 0 {
        line.push_str(&format!(
            "; {} skipped (--include-vendored to scan them)",
            plural(report.vendored_skipped, "vendored file", "vendored files")
        ));
    }
    if !report.problems.is_empty() {
        line.push_str(&format!(
            "; {} not scanned",
            plural(report.problems.len(), "path", "paths")
        ));
    }
    let filtered = &report.filtered;
    if filtered.suppressed > 0 {
        line.push_str(&format!("; {} suppressed inline", filtered.suppressed));
    }
    if filtered.deselected > 0 {
        line.push_str(&format!("; {} off by configuration", filtered.deselected));
    }
    if let Some(b) = &report.baseline {
        line.push_str(&format!("; {} in baseline", b.baselined));
        if b.gone > 0 {
            line.push_str(&format!(
                ", {} gone (shrink it with --write-baseline {})",
                plural(b.gone, "baselined site", "baselined sites"),
                b.file
            ));
        }
    }
    if !filtered.unused_ignores.is_empty() {
        line.push_str(&format!(
            "; {}",
            plural(
                filtered.unused_ignores.len(),
                "unused suppression",
                "unused suppressions"
            )
        ));
    }
    line
}
