//! The audit's formats: per module, how it is created, what it claims
//! (and under which `#if`), and for an own GIL per interpreter and for
//! free threading a verdict with its blockers. JSON (a `modules` array
//! beside check's `findings`), human (a block per module, then each
//! finding that contradicts a claim as an error with its snippet),
//! concise (a line per module and per blocker); SARIF carries the modules
//! in its run's property bag (see [`super::sarif`]). Nothing is computed
//! here: [`Audit`] holds the verdicts.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::audit::{Audit, Blocker, BlockerFix, Judgement, ModuleAudit, ModulePhase, Verdict};
use crate::check::ScanReport;
use crate::diagnostic::{Code, Diagnostic, Severity};

use super::{escape_text, RenderOptions};

/// A module as JSON and SARIF's property bag show it.
#[derive(Serialize)]
pub(super) struct JsonModule<'a> {
    name: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    /// `single-phase`, `multi-phase` or `unknown`.
    init: &'static str,
    /// The call that creates the module; `null` when unknown.
    init_call: Option<JsonCall<'a>>,
    /// Why the init is unknown; `null` otherwise.
    init_note: Option<&'a str>,
    /// The translation units whose code and state are the module's: its
    /// own, then those that define what they use (by root path).
    units: &'a [String],
    claims: JsonClaims<'a>,
    per_interpreter_gil: JsonVerdict<'a>,
    free_threading: JsonVerdict<'a>,
}

#[derive(Serialize)]
struct JsonCall<'a> {
    api: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
}

/// Claims by slot: `Py_mod_multiple_interpreters` and `Py_mod_gil` (a
/// module may make several, in different `#if` branches).
#[derive(Serialize)]
struct JsonClaims<'a> {
    multiple_interpreters: Vec<JsonClaim<'a>>,
    gil: Vec<JsonClaim<'a>>,
}

#[derive(Serialize)]
struct JsonClaim<'a> {
    constant: &'static str,
    path: &'a str,
    line: usize,
    column: usize,
    /// The `#if` conditions it is made under; empty: always.
    conditions: &'a [String],
    /// Whether a blocker of the verdict contradicts it (an error).
    contradicted: bool,
}

#[derive(Serialize)]
struct JsonVerdict<'a> {
    verdict: Verdict,
    blockers: Vec<JsonBlocker<'a>>,
}

#[derive(Serialize)]
struct JsonBlocker<'a> {
    code: Code,
    severity: Severity,
    variable: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
    fix: BlockerFix,
    /// Why the fix is not safe, or what decided a safe one.
    reason: Option<String>,
}

fn blocker<'a>(b: &Blocker<'a>) -> JsonBlocker<'a> {
    let d = b.diagnostic;
    JsonBlocker {
        code: d.code,
        severity: d.severity(),
        variable: &d.variable,
        path: &d.path,
        line: d.declarator.start.line,
        column: d.declarator.start.column,
        message: &d.message,
        fix: b.fix,
        reason: b.reason.clone(),
    }
}

fn verdict<'a>(j: &Judgement<'a>) -> JsonVerdict<'a> {
    JsonVerdict {
        verdict: j.verdict,
        blockers: j.blockers.iter().map(blocker).collect(),
    }
}

/// A module's JSON value.
pub(super) fn module<'a>(m: &ModuleAudit<'a>) -> JsonModule<'a> {
    let module = m.module;
    let contradicted = m.contradicted_claims();
    let claims = |gil: bool| {
        module
            .claims
            .iter()
            .filter(|c| c.kind.is_gil() == gil)
            .map(|c| JsonClaim {
                constant: c.kind.constant(),
                path: &c.path,
                line: c.location.start.line,
                column: c.location.start.column,
                conditions: &c.conditions,
                contradicted: contradicted.iter().any(|x| std::ptr::eq(*x, c)),
            })
            .collect()
    };
    let (init_call, init_note) = match &module.phase {
        ModulePhase::Single {
            api,
            path,
            location,
        } => (
            Some(JsonCall {
                api,
                path,
                line: location.start.line,
                column: location.start.column,
            }),
            None,
        ),
        ModulePhase::Multi { path, location } => (
            Some(JsonCall {
                api: "PyModuleDef_Init",
                path,
                line: location.start.line,
                column: location.start.column,
            }),
            None,
        ),
        ModulePhase::Unknown(why) => (None, Some(why.as_str())),
    };
    JsonModule {
        name: &module.name,
        path: &module.path,
        line: module.location.start.line,
        column: module.location.start.column,
        init: module.phase.as_str(),
        init_call,
        init_note,
        units: &module.units,
        claims: JsonClaims {
            multiple_interpreters: claims(false),
            gil: claims(true),
        },
        per_interpreter_gil: verdict(&m.per_interpreter_gil),
        free_threading: verdict(&m.free_threading),
    }
}

/// How many modules got each verdict.
#[derive(Serialize, Default)]
struct Tally {
    ok: usize,
    blocked: usize,
}

#[derive(Serialize)]
struct JsonSummary {
    modules: usize,
    per_interpreter_gil: Tally,
    free_threading: Tally,
    /// Modules that claim what a blocker contradicts.
    contradicted: usize,
    /// Blockers per code, each finding once (it may block both verdicts
    /// and several modules of a unit).
    blockers_by_code: BTreeMap<Code, usize>,
}

fn summary(audit: &Audit) -> JsonSummary {
    let mut s = JsonSummary {
        modules: audit.modules.len(),
        per_interpreter_gil: Tally::default(),
        free_threading: Tally::default(),
        contradicted: 0,
        blockers_by_code: BTreeMap::new(),
    };
    let mut seen: Vec<*const Diagnostic> = Vec::new();
    for m in &audit.modules {
        for (judgement, tally) in [
            (&m.per_interpreter_gil, &mut s.per_interpreter_gil),
            (&m.free_threading, &mut s.free_threading),
        ] {
            match judgement.verdict {
                Verdict::Ok => tally.ok += 1,
                Verdict::Blocked => tally.blocked += 1,
            }
            for b in &judgement.blockers {
                let d = b.diagnostic;
                if !seen.contains(&(d as *const Diagnostic)) {
                    seen.push(d);
                    *s.blockers_by_code.entry(d.code).or_insert(0) += 1;
                }
            }
        }
        if !m.contradicted_claims().is_empty() {
            s.contradicted += 1;
        }
    }
    s
}

#[derive(Serialize)]
struct JsonAudit<'a> {
    version: u32,
    modules: Vec<JsonModule<'a>>,
    summary: JsonSummary,
    /// Every finding of the scan, as `oncevar check --output-format json`
    /// prints them (blockers with their fixes and evidence).
    #[serde(flatten)]
    check: serde_json::Value,
}

/// Writes the audit as one JSON object: `version`, `modules`, `summary`
/// (the audit's counts), and check's own fields (`findings`, `errors`,
/// `parse_errors`) beside them.
pub fn emit_json(out: &mut dyn Write, report: &ScanReport, audit: &Audit) -> io::Result<()> {
    let mut check = Vec::new();
    super::json::emit(&mut check, report)?;
    let mut check: serde_json::Value = serde_json::from_slice(&check).map_err(io::Error::other)?;
    if let Some(fields) = check.as_object_mut() {
        fields.remove("version");
        if let Some(summary) = fields.remove("summary") {
            fields.insert("scan".to_owned(), summary);
        }
    }
    let json = JsonAudit {
        version: super::json::JSON_VERSION,
        modules: audit.modules.iter().map(module).collect(),
        summary: summary(audit),
        check,
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    writeln!(out)
}

/// `single-phase (PyModule_Create at path:line:col)` and the like.
fn phase_line(phase: &ModulePhase) -> String {
    match phase {
        ModulePhase::Single {
            api,
            path,
            location,
        } => format!(
            "single-phase init ({api} at {path}:{}:{})",
            location.start.line, location.start.column
        ),
        ModulePhase::Multi { path, location } => format!(
            "multi-phase init (PyModuleDef_Init at {path}:{}:{})",
            location.start.line, location.start.column
        ),
        ModulePhase::Unknown(why) => format!("init unknown: {why}"),
    }
}

fn verdict_lines(out: &mut dyn Write, title: &str, j: &Judgement) -> io::Result<()> {
    match j.verdict {
        Verdict::Ok => writeln!(out, "  {title}: ok"),
        Verdict::Blocked => {
            writeln!(
                out,
                "  {title}: blocked by {}",
                super::plural(j.blockers.len(), "finding", "findings")
            )?;
            for b in &j.blockers {
                let d = b.diagnostic;
                let fix = match b.fix {
                    BlockerFix::Safe => "fix: safe",
                    BlockerFix::Unsafe => "fix: unsafe",
                    BlockerFix::None => "no fix",
                };
                let line = format!(
                    "    {}:{}:{}: {} `{}` ({fix})",
                    d.path, d.declarator.start.line, d.declarator.start.column, d.code, d.variable
                );
                writeln!(out, "{}", escape_text(&line))?;
            }
            Ok(())
        }
    }
}

/// The human audit: a block per module, then every finding that
/// contradicts a module's claim, rendered as an error with its snippet,
/// then a summary line.
pub fn emit_human(
    out: &mut dyn Write,
    report: &ScanReport,
    audit: &Audit,
    options: &RenderOptions,
) -> io::Result<()> {
    for m in &audit.modules {
        let module = m.module;
        let line = format!(
            "module `{}` ({}:{}:{}): {}",
            module.name,
            module.path,
            module.location.start.line,
            module.location.start.column,
            phase_line(&module.phase)
        );
        writeln!(out, "{}", escape_text(&line))?;
        let contradicted = m.contradicted_claims();
        for c in &module.claims {
            let mut line = format!(
                "  claims {} ({}:{}:{}",
                c.kind.constant(),
                c.path,
                c.location.start.line,
                c.location.start.column
            );
            if !c.conditions.is_empty() {
                line.push_str(&format!(", under #if {}", c.conditions.join(" && ")));
            }
            line.push(')');
            if contradicted.iter().any(|x| std::ptr::eq(*x, c)) {
                line.push_str(": contradicted");
            }
            writeln!(out, "{}", escape_text(&line))?;
        }
        verdict_lines(out, "own GIL per interpreter", &m.per_interpreter_gil)?;
        verdict_lines(out, "free threading", &m.free_threading)?;
        writeln!(out)?;
    }
    let errors: Vec<&Diagnostic> = report
        .diagnostics()
        .filter(|d| d.severity() == Severity::Error)
        .collect();
    super::human::emit_diagnostics(out, report, &errors, options)?;
    writeln!(out, "{}", summary_line(audit))
}

/// `path:line:col: module `name`: …` per module, then an indented
/// `path:line:col: CODE message` per blocker of either verdict.
pub fn emit_concise(out: &mut dyn Write, audit: &Audit) -> io::Result<()> {
    for m in &audit.modules {
        let module = m.module;
        let line = format!(
            "{}:{}:{}: module `{}`: {}; own GIL per interpreter: {}; free threading: {}",
            module.path,
            module.location.start.line,
            module.location.start.column,
            module.name,
            module.phase.as_str(),
            word(m.per_interpreter_gil.verdict),
            word(m.free_threading.verdict),
        );
        writeln!(out, "{}", escape_text(&line))?;
        let mut blockers: Vec<&Diagnostic> = m
            .per_interpreter_gil
            .blockers
            .iter()
            .chain(&m.free_threading.blockers)
            .map(|b| b.diagnostic)
            .collect();
        let mut seen: Vec<*const Diagnostic> = Vec::new();
        blockers.retain(|d| {
            let fresh = !seen.contains(&(*d as *const Diagnostic));
            seen.push(*d);
            fresh
        });
        blockers.sort_by(|a, b| {
            (&a.path, a.declarator.span.start, a.code).cmp(&(
                &b.path,
                b.declarator.span.start,
                b.code,
            ))
        });
        for d in blockers {
            let line = format!(
                "  {}:{}:{}: {} {}",
                d.path, d.declarator.start.line, d.declarator.start.column, d.code, d.message
            );
            writeln!(out, "{}", escape_text(&line))?;
        }
    }
    Ok(())
}

fn word(v: Verdict) -> &'static str {
    match v {
        Verdict::Ok => "ok",
        Verdict::Blocked => "blocked",
    }
}

/// The audit's one-line summary.
pub fn summary_line(audit: &Audit) -> String {
    let s = summary(audit);
    let mut line = format!(
        "audited {}: {} could claim an own GIL per interpreter, {} could run without the GIL",
        super::plural(s.modules, "module", "modules"),
        s.per_interpreter_gil.ok,
        s.free_threading.ok
    );
    if s.contradicted > 0 {
        line.push_str(&format!(
            "; {} what a blocker contradicts",
            super::plural(s.contradicted, "module claims", "modules claim")
        ));
    }
    if !s.blockers_by_code.is_empty() {
        let per_code: Vec<String> = s
            .blockers_by_code
            .iter()
            .map(|(c, n)| format!("{c}: {n}"))
            .collect();
        line.push_str(&format!("; blockers {}", per_code.join(", ")));
    }
    line
}
