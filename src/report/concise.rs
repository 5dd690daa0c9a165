//! `path:line:col: CODE message`, one line per site: for grep, editors and
//! quick reading.

use std::io::{self, Write};

use crate::check::ScanReport;

/// Writes one `path:line:col: CODE message` line per finding; errors are
/// `out`'s.
pub fn emit(out: &mut dyn Write, report: &ScanReport) -> io::Result<()> {
    for d in report.diagnostics() {
        writeln!(
            out,
            "{}:{}:{}: {} {}",
            d.path,
            d.declarator.start.line,
            d.declarator.start.column,
            d.code,
            super::escape_text(&d.message)
        )?;
    }
    for u in &report.filtered.unused_ignores {
        writeln!(out, "{}", super::unused_ignore_line(u))?;
    }
    Ok(())
}
