//! Report formats. Each emitter prints a finished `ScanReport`; none of them
//! computes anything, so every format tells the same story.

mod concise;
mod human;
mod json;

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::diagnostic::Code;
use crate::scan::ScanReport;

pub use human::ColorChoice;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with the declaration, guard and assignment.
    Human,
    /// One `path:line:col: CODE message` line per site.
    Concise,
    /// One JSON object with a `findings` array (see README).
    Json,
}

pub struct RenderOptions {
    pub color: ColorChoice,
}

pub fn emit(
    format: Format,
    out: &mut dyn Write,
    report: &ScanReport,
    options: &RenderOptions,
) -> io::Result<()> {
    match format {
        Format::Human => human::emit(out, report, options.color),
        Format::Concise => concise::emit(out, report),
        Format::Json => json::emit(out, report),
    }
}

/// Sites per code, in code order.
pub fn counts_by_code(report: &ScanReport) -> BTreeMap<Code, usize> {
    let mut counts = BTreeMap::new();
    for d in report.diagnostics() {
        *counts.entry(d.code).or_insert(0) += 1;
    }
    counts
}

/// File problems go to stderr in every format.
pub fn emit_problems(err: &mut dyn Write, report: &ScanReport) -> io::Result<()> {
    for p in &report.problems {
        let level = if p.fatal { "error" } else { "warning" };
        writeln!(err, "{level}: {}: {}", p.path, p.message)?;
    }
    Ok(())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The one-line summary shared by the text formats.
pub fn summary_line(report: &ScanReport) -> String {
    let counts = counts_by_code(report);
    let total: usize = counts.values().sum();
    let mut line = if total == 0 {
        "no sites found".to_owned()
    } else {
        let per_code: Vec<String> = counts.iter().map(|(c, n)| format!("{c}: {n}")).collect();
        format!(
            "found {} ({})",
            plural(total, "site", "sites"),
            per_code.join(", ")
        )
    };
    line.push_str(&format!(
        " in {} scanned",
        plural(report.files_scanned, "file", "files")
    ));
    if report.files_with_parse_errors > 0 {
        line.push_str(&format!(
            "; {} with parse errors",
            plural(report.files_with_parse_errors, "file", "files")
        ));
    }
    if !report.problems.is_empty() {
        line.push_str(&format!(
            "; {} not scanned",
            plural(report.problems.len(), "path", "paths")
        ));
    }
    line
}
