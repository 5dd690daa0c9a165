//! The JSON report. Its shape is documented in the README and kept stable:
//! fields may be added, never renamed or removed.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, Location, Severity};
use crate::scan::ScanReport;

/// Bumped only on an incompatible change.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    findings: Vec<Finding<'a>>,
    errors: Vec<Error<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Finding<'a> {
    code: Code,
    severity: Severity,
    message: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    variable: &'a str,
    #[serde(rename = "type")]
    type_name: &'a str,
    function: Option<&'a str>,
    declaration: Range,
    guards: Vec<Range>,
    assignments: Vec<Range>,
    releases: Vec<Range>,
    fixable: bool,
}

#[derive(Serialize)]
struct Range {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

impl From<&Location> for Range {
    fn from(l: &Location) -> Range {
        Range {
            line: l.start.line,
            column: l.start.column,
            end_line: l.end.line,
            end_column: l.end.column,
        }
    }
}

#[derive(Serialize)]
struct Error<'a> {
    path: &'a str,
    message: &'a str,
    fatal: bool,
}

#[derive(Serialize)]
struct Summary {
    files_scanned: usize,
    files_with_parse_errors: usize,
    findings: usize,
    by_code: BTreeMap<Code, usize>,
}

fn finding(d: &Diagnostic) -> Finding<'_> {
    let ranges = |ls: &[Location]| ls.iter().map(Range::from).collect();
    Finding {
        code: d.code,
        severity: d.severity(),
        message: &d.message,
        path: &d.path,
        line: d.declarator.start.line,
        column: d.declarator.start.column,
        end_line: d.declarator.end.line,
        end_column: d.declarator.end.column,
        variable: &d.variable,
        type_name: &d.type_name,
        function: d.function.as_deref(),
        declaration: Range::from(&d.declaration),
        guards: ranges(&d.guards),
        assignments: ranges(&d.assignments),
        releases: ranges(&d.releases),
        fixable: d.fixable,
    }
}

pub fn emit(out: &mut dyn Write, report: &ScanReport) -> io::Result<()> {
    let findings: Vec<Finding> = report.diagnostics().map(finding).collect();
    let json = Report {
        version: JSON_VERSION,
        summary: Summary {
            files_scanned: report.files_scanned,
            files_with_parse_errors: report.files_with_parse_errors,
            findings: findings.len(),
            by_code: super::counts_by_code(report),
        },
        findings,
        errors: report
            .problems
            .iter()
            .map(|p| Error {
                path: &p.path,
                message: &p.message,
                fatal: p.fatal,
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    writeln!(out)
}
