//! SARIF 2.1.0, for GitHub code scanning and every other SARIF viewer: one
//! run whose driver lists only the rules that fired, one result per site
//! with the guards and assignments as related locations, a fingerprint that
//! survives unrelated edits, and the rewrite as a SARIF fix.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use serde::Serialize;

use crate::audit::Audit;
use crate::check::ScanReport;
use crate::diagnostic::{Applicability, Code, Diagnostic, Fix, Location, ReasonKind, Severity};
use crate::project::suppress::{self, UnusedIgnore};
use crate::rules;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");
/// The `partialFingerprints` key; bump the suffix if the hash ever changes.
const FINGERPRINT: &str = "oncevarSite/v1";
/// Relative paths are relative to the directory oncevar ran in, which the
/// upload step knows as the checkout root.
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    invocations: [Invocation; 1],
    column_kind: &'static str,
    results: Vec<SarifResult>,
    /// `oncevar audit`'s modules, as its JSON format writes them.
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<RunProperties<'a>>,
}

#[derive(Serialize)]
struct RunProperties<'a> {
    modules: Vec<super::audit::JsonModule<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    /// Omitted when it would repeat the id, as SARIF asks.
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'static str>,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

fn text(s: impl Into<String>) -> Text {
    Text { text: s.into() }
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    locations: [ArtifactOnly; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactOnly {
    physical_location: ArtifactOnlyLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactOnlyLocation {
    artifact_location: Artifact,
    /// Where in the file, when the notification is about a place in it.
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Point>,
}

/// A region that is one point: a line and a column.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Point {
    start_line: usize,
    start_column: usize,
}

#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [SarifLocation; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
    /// Whether the unit's build is free-threaded, when the compilation
    /// database tells (JSON's `free_threaded`).
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<ResultProperties>,
}

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct ResultProperties {
    #[serde(skip_serializing_if = "Option::is_none")]
    free_threaded: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    free_threaded_evidence: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    free_threaded_note: Option<String>,
    /// With `oncevar audit`: the modules whose claims the finding blocks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    blocks: Vec<BlockedModule>,
}

/// A module and the claims a finding stands in the way of.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BlockedModule {
    module: String,
    /// `per-interpreter-gil`, `free-threading`.
    claims: Vec<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: Physical,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<Logical>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical {
    artifact_location: Artifact,
    region: Region,
    #[serde(skip_serializing_if = "Option::is_none")]
    context_region: Option<Region>,
}

#[derive(Serialize)]
struct Logical {
    name: String,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_offset: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_length: Option<usize>,
}

impl Region {
    fn of(l: &Location) -> Region {
        Region {
            start_line: l.start.line,
            start_column: l.start.column,
            end_line: l.end.line,
            end_column: l.end.column,
            byte_offset: None,
            byte_length: None,
        }
    }

    /// With byte offsets too, so a consumer can apply a fix without
    /// counting characters.
    fn with_bytes(l: &Location) -> Region {
        Region {
            byte_offset: Some(l.span.start),
            byte_length: Some(l.span.end - l.span.start),
            ..Region::of(l)
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Text,
    artifact_changes: Vec<ArtifactChange>,
    /// `verified` (true or false) once the unit's own compiler command
    /// has judged the fixed file, and the fix's `reasons`; absent when it
    /// has neither.
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<FixProperties>,
}

#[derive(Serialize)]
struct FixProperties {
    #[serde(skip_serializing_if = "Option::is_none")]
    verified: Option<bool>,
    /// Why a unit that checked the fix does not verify it.
    #[serde(rename = "verificationNote", skip_serializing_if = "Option::is_none")]
    verification_note: Option<String>,
    /// Why the fix is unsafe (for a safe fix: the rules that decided it),
    /// one object each; the description joins their messages.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    reasons: Vec<FixReason>,
}

/// A fix's reason: its kind (`ownership`, `include`, …), its message, and
/// the place it names as a SARIF location, when it names one.
#[derive(Serialize)]
struct FixReason {
    kind: ReasonKind,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<SarifLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: Artifact,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Text,
}

/// A display path as a URI reference: relative paths stay relative (to
/// `%SRCROOT%`), absolute ones become `file://` URIs; every byte of the
/// file's real name (a backslash, a byte that is not UTF-8) but unreserved
/// characters and `/` is percent-encoded.
fn artifact(path: &str) -> Artifact {
    let bytes = crate::scan::discover::unescape_path(path);
    let mut uri = String::with_capacity(bytes.len());
    for &b in &bytes {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    if path.starts_with('/') {
        Artifact {
            uri: format!("file://{uri}"),
            uri_base_id: None,
        }
    } else {
        Artifact {
            uri,
            uri_base_id: Some(SRCROOT),
        }
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// FNV-1a, 64 bits: stable across platforms and Rust versions, unlike std's
/// hasher, and plenty for telling sites apart within one repository.
fn fnv1a(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in part.as_bytes().iter().chain(&[0u8]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

fn rule(code: Code) -> Rule {
    let r = rules::rule(code);
    Rule {
        id: code.as_str(),
        name: Some(r.name),
        short_description: text(r.summary),
        full_description: text(r.why),
        help: Help {
            text: r.document(),
            markdown: format!(
                "{}\n\n**Why it matters.** {}\n\n**Example**\n\n```c\n{}\n```\n\n**Fix.** {}\n\n\
                 **Suppress**\n\n```text\n{}\n```\n",
                r.summary,
                r.why,
                r.example,
                r.fix_text(),
                r.suppression()
            ),
        },
        default_configuration: Configuration {
            level: level(code.severity()),
        },
    }
}

fn unused_ignore_rule() -> Rule {
    Rule {
        id: suppress::UNUSED_IGNORE_ID,
        name: None,
        short_description: text(suppress::UNUSED_IGNORE_SUMMARY),
        full_description: text(suppress::UNUSED_IGNORE_HELP),
        help: Help {
            text: suppress::UNUSED_IGNORE_HELP.to_owned(),
            markdown: suppress::UNUSED_IGNORE_HELP.to_owned(),
        },
        default_configuration: Configuration { level: "warning" },
    }
}

fn location(
    path: &Artifact,
    l: &Location,
    message: Option<&str>,
    id: Option<usize>,
) -> SarifLocation {
    SarifLocation {
        id,
        physical_location: Physical {
            artifact_location: path.clone(),
            region: Region::of(l),
            context_region: None,
        },
        logical_locations: Vec::new(),
        message: message.map(text),
    }
}

/// One change per file the fix edits (a site's uses may lie in several files
/// of its translation unit), the site's own file first.
fn changes(d: &Diagnostic, path: &Artifact, fix: &Fix) -> Vec<ArtifactChange> {
    let mut paths: Vec<&str> = fix.edits().iter().map(|e| e.path.as_str()).collect();
    paths.sort_by_key(|&p| (p != d.path, p));
    paths.dedup();
    paths
        .into_iter()
        .map(|p| ArtifactChange {
            artifact_location: if p == d.path {
                path.clone()
            } else {
                artifact(p)
            },
            replacements: fix
                .edits()
                .iter()
                .filter(|e| e.path == p)
                .map(|e| Replacement {
                    deleted_region: Region::with_bytes(&e.location),
                    inserted_content: text(e.replacement.clone()),
                })
                .collect(),
        })
        .collect()
}

fn fix(d: &Diagnostic, path: &Artifact, fix: &Fix) -> SarifFix {
    let mut description = format!(
        "Make `{}` a per-interpreter variable: Py_ONCEVAR_DECLARE({}, {})",
        d.variable, d.type_name, d.variable
    );
    match fix.applicability {
        Applicability::Safe => {}
        Applicability::Unsafe => description.push_str(" (unsafe fix"),
        Applicability::DisplayOnly => description.push_str(" (shown only, never applied"),
    }
    if fix.applicability != Applicability::Safe {
        if let Some(reason) = fix.reason() {
            description.push_str(": ");
            description.push_str(&reason);
        }
        description.push(')');
    }
    let reasons: Vec<FixReason> = fix
        .reasons()
        .iter()
        .map(|r| FixReason {
            kind: r.kind,
            message: r.message.clone(),
            location: r
                .location
                .as_ref()
                .map(|at| location(&artifact(&at.path), &at.location, None, None)),
        })
        .collect();
    let properties = (fix.verified.is_some()
        || fix.verification_note.is_some()
        || !reasons.is_empty())
    .then(|| FixProperties {
        verified: fix.verified,
        verification_note: fix.verification_note.clone(),
        reasons,
    });
    SarifFix {
        description: text(description),
        artifact_changes: changes(d, path, fix),
        properties,
    }
}

pub fn emit(out: &mut dyn Write, report: &ScanReport) -> io::Result<()> {
    write_log(out, report, None)
}

/// The SARIF log of an audit: check's results, each blocker saying which
/// modules' claims it blocks, and the modules in the run's property bag.
pub fn emit_audit(out: &mut dyn Write, report: &ScanReport, audit: &Audit) -> io::Result<()> {
    write_log(out, report, Some(audit))
}

/// The modules and claims that `d` blocks.
fn blocked_modules(d: &Diagnostic, audit: &Audit) -> Vec<BlockedModule> {
    audit
        .modules
        .iter()
        .filter_map(|m| {
            let blocks = |j: &crate::audit::Judgement| {
                j.blockers.iter().any(|b| std::ptr::eq(b.diagnostic, d))
            };
            let mut claims = Vec::new();
            if blocks(&m.per_interpreter_gil) {
                claims.push("per-interpreter-gil");
            }
            if blocks(&m.free_threading) {
                claims.push("free-threading");
            }
            (!claims.is_empty()).then(|| BlockedModule {
                module: m.module.name.clone(),
                claims,
            })
        })
        .collect()
}

fn write_log(out: &mut dyn Write, report: &ScanReport, audit: Option<&Audit>) -> io::Result<()> {
    let mut fired: Vec<Code> = report.diagnostics().map(|d| d.code).collect();
    fired.sort();
    fired.dedup();
    let mut driver_rules: Vec<Rule> = fired.iter().map(|&c| rule(c)).collect();
    let unused = &report.filtered.unused_ignores;
    if !unused.is_empty() {
        driver_rules.push(unused_ignore_rule());
    }
    let baseline_state = report.baseline.as_ref().map(|_| "new");

    let mut results = Vec::new();
    // Occurrences of one key in one file, so that two sites with the same
    // function, variable and code still get distinct fingerprints.
    let mut seen: HashMap<(&str, Option<&str>, &str, Code), usize> = HashMap::new();
    for d in report.diagnostics() {
        let path = artifact(&d.path);
        let occurrence = seen
            .entry((&d.path, d.function.as_deref(), &d.variable, d.code))
            .and_modify(|n| *n += 1)
            .or_insert(0);
        let fingerprint = fnv1a(&[
            &path.uri,
            d.function.as_deref().unwrap_or(""),
            &d.variable,
            d.code.as_str(),
            &occurrence.to_string(),
        ]);
        let mut primary = location(&path, &d.declarator, None, None);
        primary.physical_location.context_region = Some(Region::of(&d.declaration));
        if let Some(function) = &d.function {
            primary.logical_locations.push(Logical {
                name: function.clone(),
                kind: "function",
            });
        }
        // Claims may be made in another file of the unit: their own path.
        let claims: Vec<(Artifact, &Location, &str)> = d
            .claims
            .iter()
            .map(|c| (artifact(&c.path), &c.location, c.kind.describe()))
            .collect();
        let labels = rules::rule(d.code).labels;
        let related = [
            (&d.guards, labels.guard),
            (&d.assignments, labels.write),
            (&d.releases, labels.release),
        ]
        .into_iter()
        .flat_map(|(ls, message)| {
            ls.iter()
                .map(|l| (path.clone(), l, message))
                .collect::<Vec<_>>()
        })
        .chain(claims)
        .enumerate()
        .map(|(i, (p, l, message))| location(&p, l, Some(message), Some(i + 1)))
        .collect();
        results.push(SarifResult {
            rule_id: d.code.as_str(),
            rule_index: fired.iter().position(|&c| c == d.code).unwrap_or(0),
            level: level(d.severity()),
            message: text(d.message.clone()),
            locations: [primary],
            related_locations: related,
            partial_fingerprints: BTreeMap::from([(FINGERPRINT, fingerprint)]),
            baseline_state,
            // A fix without edits (display-only advice: an array or a
            // struct the rewrite has no form for) is no SARIF fix, whose
            // `artifactChanges` must hold one change at least (§3.55.3).
            fixes: d
                .fix
                .iter()
                .filter(|f| !f.edits().is_empty())
                .map(|f| fix(d, &path, f))
                .collect(),
            properties: {
                let mut properties = ResultProperties::default();
                if let Some(ft) = &d.free_threading {
                    properties.free_threaded = Some(ft.free_threaded);
                    properties.free_threaded_evidence = Some(ft.evidence.clone());
                    properties.free_threaded_note = d.free_threading_note();
                }
                if let Some(audit) = audit {
                    properties.blocks = blocked_modules(d, audit);
                }
                (properties.free_threaded.is_some() || !properties.blocks.is_empty())
                    .then_some(properties)
            },
        });
    }
    for u in unused {
        results.push(unused_result(u, fired.len()));
    }

    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: env!("CARGO_PKG_NAME"),
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: driver_rules,
                },
            },
            invocations: [Invocation {
                execution_successful: !report.has_fatal_problem(),
                tool_execution_notifications: report
                    .problems
                    .iter()
                    .chain(&report.filtered.bad_directives)
                    .map(|p| Notification {
                        level: if p.fatal { "error" } else { "warning" },
                        message: text(p.message.clone()),
                        locations: [ArtifactOnly {
                            physical_location: ArtifactOnlyLocation {
                                artifact_location: artifact(&p.path),
                                region: None,
                            },
                        }],
                    })
                    .chain(report.parse_errors.iter().map(|e| Notification {
                        level: "warning",
                        message: text(format!(
                            "parse error: {} ({}); findings in this file may be missing or wrong",
                            e.what,
                            super::plural(e.count, "error", "errors")
                        )),
                        locations: [ArtifactOnly {
                            physical_location: ArtifactOnlyLocation {
                                artifact_location: artifact(&e.path),
                                region: Some(Point {
                                    start_line: e.first.line,
                                    start_column: e.first.column,
                                }),
                            },
                        }],
                    }))
                    .collect(),
            }],
            column_kind: "unicodeCodePoints",
            results,
            properties: audit.map(|audit| RunProperties {
                modules: audit.modules.iter().map(super::audit::module).collect(),
            }),
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn unused_result(u: &UnusedIgnore, rule_index: usize) -> SarifResult {
    let path = artifact(&u.path);
    let codes: Vec<&str> = u.codes.iter().map(|c| c.as_str()).collect();
    let fingerprint = fnv1a(&[
        &path.uri,
        suppress::UNUSED_IGNORE_ID,
        &u.location.start.line.to_string(),
        &codes.join(","),
    ]);
    SarifResult {
        rule_id: suppress::UNUSED_IGNORE_ID,
        rule_index,
        level: "warning",
        message: text(u.message()),
        locations: [location(&path, &u.location, None, None)],
        related_locations: Vec::new(),
        partial_fingerprints: BTreeMap::from([(FINGERPRINT, fingerprint)]),
        baseline_state: None,
        fixes: Vec::new(),
        properties: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        let a = artifact("Modules/_json.c");
        assert_eq!(a.uri, "Modules/_json.c");
        assert_eq!(a.uri_base_id, Some(SRCROOT));
        assert_eq!(artifact("a b/c:d%.c").uri, "a%20b/c%3Ad%25.c");
        assert_eq!(artifact("/abs/é.c").uri, "file:///abs/%C3%A9.c");
        assert_eq!(artifact("/abs/x.c").uri_base_id, None);
        // Display paths escape a backslash and bytes that are not UTF-8.
        assert_eq!(artifact("back\\\\slash.c").uri, "back%5Cslash.c");
        assert_eq!(artifact("latin\\xe9.c").uri, "latin%E9.c");
    }

    #[test]
    fn fingerprints_are_stable() {
        assert_eq!(fnv1a(&[]), "cbf29ce484222325");
        assert_eq!(fnv1a(&["a", "b"]), fnv1a(&["a", "b"]));
        assert_ne!(fnv1a(&["ab", ""]), fnv1a(&["a", "b"]));
    }
}
