//! `--statistics`: how many sites each code has, instead of the sites
//! themselves (ruff's `--statistics`: a count, the code, `[*]` when a fix
//! applies, and the rule's name; a JSON array with `--output-format json`).

use std::io::{self, Write};

use serde::Serialize;

use crate::check::ScanReport;
use crate::diagnostic::{Applicability, Code};
use crate::rules;

/// One code's count in a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Statistic {
    /// The code.
    pub code: Code,
    /// The rule's name (`lazy-static-object`).
    pub name: &'static str,
    /// Sites reported with this code.
    pub count: usize,
    /// How many of them have a fix that `--fix` applies at the threshold
    /// the statistics were taken with.
    pub fixable: usize,
}

/// Sites per code in `report`, in code order, counting as fixable the
/// sites whose fix applies at `threshold` (`Safe`, or `Unsafe` with
/// `--unsafe-fixes`). Codes without sites are left out.
pub fn statistics(report: &ScanReport, threshold: Applicability) -> Vec<Statistic> {
    super::counts_by_code(report)
        .into_iter()
        .map(|(code, count)| Statistic {
            code,
            name: rules::rule(code).name,
            count,
            fixable: report
                .diagnostics()
                .filter(|d| d.code == code)
                .filter(|d| d.fix.as_ref().is_some_and(|f| f.applies(threshold)))
                .count(),
        })
        .collect()
}

/// Writes one line per code: the count right-aligned, a tab, the code, a
/// tab, then `[*] ` when some of its sites have a fix that applies (`[ ] `
/// for the others when any code has one), and the rule's name.
///
/// # Errors
///
/// Only those of writing to `out`.
pub fn emit_text(out: &mut dyn Write, statistics: &[Statistic]) -> io::Result<()> {
    let width = statistics
        .iter()
        .map(|s| s.count.to_string().len())
        .max()
        .unwrap_or(0);
    let any_fixable = statistics.iter().any(|s| s.fixable > 0);
    for s in statistics {
        let marker = match (any_fixable, s.fixable > 0) {
            (false, _) => "",
            (true, true) => "[*] ",
            (true, false) => "[ ] ",
        };
        writeln!(out, "{:>width$}\t{}\t{marker}{}", s.count, s.code, s.name)?;
    }
    Ok(())
}

/// Writes the statistics as one JSON array of `{"code", "name", "count",
/// "fixable"}` objects, in code order, then a newline.
///
/// # Errors
///
/// Only those of writing to `out`.
pub fn emit_json(out: &mut dyn Write, statistics: &[Statistic]) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, statistics)?;
    writeln!(out)
}
