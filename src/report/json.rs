//! The JSON report. Its shape is documented in docs/json.md and kept stable:
//! fields may be added, never renamed or removed.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::check::ScanReport;
use crate::diagnostic::{
    Applicability, ClaimKind, Code, Diagnostic, Fix, Location, ReasonKind, Severity,
};

/// Bumped only on an incompatible change.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    findings: Vec<Finding<'a>>,
    errors: Vec<Error<'a>>,
    /// Files that may hold a site and whose parse has errors.
    parse_errors: Vec<ParseError<'a>>,
    /// Present with `--report-unused-ignores`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    unused_ignores: Vec<Unused<'a>>,
    summary: Summary<'a>,
}

#[derive(Serialize)]
struct Unused<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    /// The codes that matched no site; empty for a bare `ignore`.
    codes: &'a [Code],
    message: String,
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
    /// What the module claims (isolation; running without the GIL, for
    /// OV401) and where.
    claims: Vec<JsonClaim<'a>>,
    /// Whether oncevar knows how to rewrite the site: `fix` is present.
    fixable: bool,
    fix: Option<JsonFix<'a>>,
    /// Whether the unit's build is free-threaded, and what says so;
    /// present only when the compilation database tells.
    #[serde(skip_serializing_if = "Option::is_none")]
    free_threaded: Option<JsonFreeThreaded<'a>>,
}

#[derive(Serialize)]
struct JsonFreeThreaded<'a> {
    /// `Py_GIL_DISABLED` is defined for the unit.
    value: bool,
    /// The flag, or the header and line that define it.
    evidence: &'a str,
    /// What it changes for this site, when it matters.
    note: Option<String>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    safety: Applicability,
    /// The reasons' messages joined with `; ` (kept for the tools that
    /// read it before `reasons` existed).
    reason: Option<String>,
    /// Why the fix is unsafe (for a safe fix: the rules that decided it),
    /// each with its kind and the place it names.
    reasons: Vec<JsonReason<'a>>,
    edits: Vec<JsonEdit<'a>>,
    /// `true`: the unit's own compiler command accepted the fixed file;
    /// `false`: it refused it; `null`: not verified.
    verified: Option<bool>,
    /// Why a unit that checked the fix does not verify it (an edited line
    /// its build does not compile, say); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    verification_note: Option<&'a str>,
}

/// A reason: its kind (`ownership`, `include`, …), its message, and the
/// place it names (`null` for none), in the file `path`.
#[derive(Serialize)]
struct JsonReason<'a> {
    kind: ReasonKind,
    message: &'a str,
    location: Option<JsonReasonLocation<'a>>,
}

#[derive(Serialize)]
struct JsonReasonLocation<'a> {
    path: &'a str,
    #[serde(flatten)]
    range: Range,
}

/// An edit: replace the range (1-based positions, and byte offsets for
/// tools that prefer them) of the file `path` with `content`. A fix edits
/// every file of the site's translation unit that uses it.
#[derive(Serialize)]
struct JsonEdit<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    start_byte: usize,
    end_byte: usize,
    content: &'a str,
}

fn json_fix(fix: &Fix) -> JsonFix<'_> {
    JsonFix {
        safety: fix.applicability,
        reason: fix.reason(),
        reasons: fix
            .reasons()
            .iter()
            .map(|r| JsonReason {
                kind: r.kind,
                message: &r.message,
                location: r.location.as_ref().map(|at| JsonReasonLocation {
                    path: &at.path,
                    range: Range::from(&at.location),
                }),
            })
            .collect(),
        verified: fix.verified,
        verification_note: fix.verification_note.as_deref(),
        edits: fix
            .edits()
            .iter()
            .map(|e| JsonEdit {
                path: &e.path,
                line: e.location.start.line,
                column: e.location.start.column,
                end_line: e.location.end.line,
                end_column: e.location.end.column,
                start_byte: e.location.span.start,
                end_byte: e.location.span.end,
                content: &e.replacement,
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct JsonClaim<'a> {
    kind: ClaimKind,
    constant: &'static str,
    /// The file the claim is made in (another file of the unit, or the
    /// finding's own).
    path: &'a str,
    #[serde(flatten)]
    range: Range,
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

/// A file with parse errors: where the first one is, what it is, how many.
#[derive(Serialize)]
struct ParseError<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
    errors: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct Summary<'a> {
    files_scanned: usize,
    /// Vendored files skipped; absent when none.
    #[serde(skip_serializing_if = "is_zero")]
    vendored_files_skipped: usize,
    files_with_parse_errors: usize,
    findings: usize,
    by_code: BTreeMap<Code, usize>,
    /// Findings accepted by `oncevar: ignore` comments.
    suppressed: usize,
    /// Findings of codes the configuration turns off.
    deselected: usize,
    /// Present with `--baseline`.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<BaselineSummary<'a>>,
}

#[derive(Serialize)]
struct BaselineSummary<'a> {
    file: &'a str,
    baselined: usize,
    gone: usize,
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
        claims: d
            .claims
            .iter()
            .map(|c| JsonClaim {
                kind: c.kind,
                constant: c.kind.constant(),
                path: &c.path,
                range: Range::from(&c.location),
            })
            .collect(),
        fixable: d.fix.is_some(),
        fix: d.fix.as_ref().map(json_fix),
        free_threaded: d.free_threading.as_ref().map(|ft| JsonFreeThreaded {
            value: ft.free_threaded,
            evidence: &ft.evidence,
            note: d.free_threading_note(),
        }),
    }
}

pub fn emit(out: &mut dyn Write, report: &ScanReport) -> io::Result<()> {
    let findings: Vec<Finding> = report.diagnostics().map(finding).collect();
    let json = Report {
        version: JSON_VERSION,
        summary: Summary {
            files_scanned: report.files_scanned,
            vendored_files_skipped: report.vendored_skipped,
            files_with_parse_errors: report.files_with_parse_errors(),
            findings: findings.len(),
            by_code: super::counts_by_code(report),
            suppressed: report.filtered.suppressed,
            deselected: report.filtered.deselected,
            baseline: report.baseline.as_ref().map(|b| BaselineSummary {
                file: &b.file,
                baselined: b.baselined,
                gone: b.gone,
            }),
        },
        unused_ignores: report
            .filtered
            .unused_ignores
            .iter()
            .map(|u| Unused {
                path: &u.path,
                line: u.location.start.line,
                column: u.location.start.column,
                end_line: u.location.end.line,
                end_column: u.location.end.column,
                codes: &u.codes,
                message: u.message(),
            })
            .collect(),
        findings,
        parse_errors: report
            .parse_errors
            .iter()
            .map(|e| ParseError {
                path: &e.path,
                line: e.first.line,
                column: e.first.column,
                message: &e.what,
                errors: e.count,
            })
            .collect(),
        errors: report
            .problems
            .iter()
            .chain(&report.filtered.bad_directives)
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
