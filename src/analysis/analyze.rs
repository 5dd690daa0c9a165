//! One file, start to finish: parse, find candidates, resolve scopes,
//! collect evidence, classify, and turn verdicts into diagnostics.

use tree_sitter::{Parser, Tree};

use std::collections::HashSet;

use crate::analysis::candidates::{self, Candidate};
use crate::analysis::claims::{self, Claim, ClaimKind, Synchronisation};
use crate::analysis::classify::{self, Kind, Verdict};
use crate::analysis::evidence;
use crate::analysis::parse;
use crate::analysis::queries::Queries;
use crate::analysis::scope;
use crate::diagnostic::{Code, Diagnostic, Location, ModuleClaim, Span};
use crate::fix::rewrite::{self, FileAnalysis};
use crate::options::AnalysisOptions;
use crate::scan::source::Source;

/// The result of analysing one parsed file.
pub struct Analysis {
    /// One per reported declarator, sorted by the declarator's byte offset,
    /// each with its planned fix (if any) attached.
    pub diagnostics: Vec<Diagnostic>,
    /// ERROR and MISSING nodes in the parse tree, and the first of them.
    pub parse_errors: parse::ParseErrors,
}

/// Parses `source` with `parser` and analyses it as [`analyze_tree`] does.
/// `None` when tree-sitter gives up on the parse (see [`parse::parse`]).
pub fn analyze_source(
    parser: &mut Parser,
    source: &Source,
    queries: &Queries,
    options: &AnalysisOptions,
) -> Option<Analysis> {
    let tree = parse::parse(parser, &source.bytes)?;
    Some(analyze_tree(&tree, source, queries, options))
}

/// Analyses an already parsed `tree` of `source.bytes`: finds the candidate
/// statics, resolves their uses, classifies them, reads the module's
/// claims, plans each site's fix under `options.rewrite`, and turns every
/// lazy site, and every set-once site that holds an object, into a
/// [`Diagnostic`] (positions from `source`). The parse errors of `tree` are counted whatever is found.
pub fn analyze_tree(
    tree: &Tree,
    source: &Source,
    queries: &Queries,
    options: &AnalysisOptions,
) -> Analysis {
    let bytes = &source.bytes;
    let candidates = candidates::find(tree, bytes, queries, options);
    let mut diagnostics = Vec::new();
    if !candidates.is_empty() {
        let mut resolution = scope::resolve(tree, bytes, &candidates);
        let evidence = evidence::collect(tree, bytes, queries, &resolution);
        classify::drop_name_tokens(&mut resolution, &evidence, bytes);
        let verdicts =
            classify::classify(tree.root_node(), bytes, &candidates, &resolution, &evidence);
        // Claims are read per translation unit (the text analysed here).
        let claims = claims::find(tree.root_node(), bytes);
        let unsynchronised = unsynchronised_sites(tree.root_node(), bytes, &claims, &verdicts);
        let mut fixes = rewrite::plan(
            &FileAnalysis {
                source,
                root: tree.root_node(),
                candidates: &candidates,
                resolution: &resolution,
                verdicts: &verdicts,
                without_gil: &unsynchronised,
            },
            &options.rewrite,
        );
        for verdict in &verdicts {
            let fix = fixes.remove(&verdict.symbol);
            let racy = unsynchronised.contains(&verdict.symbol);
            for &index in &resolution.symbols[verdict.symbol].candidates {
                if let Some(mut d) = diagnostic(source, &candidates[index], verdict, racy, &claims)
                {
                    d.fix = fix.clone();
                    diagnostics.push(d);
                }
            }
        }
        diagnostics.sort_by_key(|d| d.declarator.span.start);
    }
    Analysis {
        diagnostics,
        parse_errors: parse::errors(tree, bytes),
    }
}

/// The lazy sites that race in a module claiming `Py_MOD_GIL_NOT_USED`:
/// some write is outside any lock region or once-callback, or no guard of
/// the site shares that region with it.
fn unsynchronised_sites(
    root: tree_sitter::Node,
    bytes: &[u8],
    claims: &[Claim],
    verdicts: &[Verdict],
) -> HashSet<usize> {
    if !claims.iter().any(|c| c.kind == ClaimKind::GilNotUsed) {
        return HashSet::new();
    }
    let sync = Synchronisation::find(root, bytes);
    verdicts
        .iter()
        .filter(|v| v.kind == Kind::Lazy)
        .filter(|v| {
            v.assignments.iter().any(|&write| {
                let region = sync.region(write, bytes);
                region.is_none() || !v.guards.iter().any(|&g| sync.region(g, bytes) == region)
            })
        })
        .map(|v| v.symbol)
        .collect()
}

fn diagnostic(
    source: &Source,
    candidate: &Candidate,
    verdict: &Verdict,
    racy: bool,
    claims: &[Claim],
) -> Option<Diagnostic> {
    let code = match (verdict.kind, candidate.object) {
        (Kind::Lazy, _) if racy => Code::OV401,
        (Kind::Lazy, true) if verdict.releases.is_empty() => Code::OV101,
        (Kind::Lazy, true) => Code::OV102,
        (Kind::Lazy, false) => Code::OV201,
        (Kind::Once, true) => Code::OV301,
        (Kind::Once, false) => return None,
    };
    let locations = |nodes: &[tree_sitter::Node]| -> Vec<Location> {
        let mut spans: Vec<Span> = nodes.iter().map(|&n| Span::of(n)).collect();
        spans.sort();
        spans.dedup();
        spans.into_iter().map(|s| source.location(s)).collect()
    };
    let name = &candidate.name;
    let ty = &candidate.type_name;
    let message = match code {
        Code::OV101 => format!(
            "static `{ty}` `{name}` is initialised lazily and never released: it leaks at finalisation and is shared by every interpreter"
        ),
        Code::OV102 => format!(
            "static `{ty}` `{name}` is initialised lazily: it is released, but shared by every interpreter"
        ),
        Code::OV201 => format!(
            "static `{ty}` `{name}` caches process-wide memory, initialised lazily"
        ),
        Code::OV301 => format!(
            "static `{ty}` `{name}` is set once outside a NULL guard: every interpreter shares it"
        ),
        Code::OV401 => format!(
            "static `{ty}` `{name}` is initialised lazily without synchronisation in a module that runs without the GIL: two threads can both create it (one leaks) and readers can see different values"
        ),
    };
    let claims: Vec<ModuleClaim> = claims
        .iter()
        .filter(|c| c.kind.is_isolation() || code == Code::OV401)
        .map(|c| ModuleClaim {
            kind: c.kind,
            path: source.display_path.clone(),
            location: source.location(c.span),
        })
        .collect();
    let function = candidate
        .function
        .and_then(|f| parse::function_name(f, &source.bytes))
        .map(str::to_owned);
    Some(Diagnostic {
        code,
        path: source.display_path.clone(),
        variable: name.clone(),
        type_name: ty.clone(),
        function,
        declarator: source.location(Span::of(candidate.name_node)),
        declaration: source.location(Span::of(candidate.declaration)),
        guards: locations(&verdict.guards),
        assignments: locations(&verdict.assignments),
        releases: locations(&verdict.releases),
        claims,
        message,
        fix: None,
        free_threading: None,
    })
}
