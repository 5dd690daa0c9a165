//! One parsed text, start to finish for the analysis: find candidates,
//! resolve scopes, collect evidence, classify, read claims; then, given the
//! fixes that `fix::rewrite` planned from it, turn verdicts into
//! diagnostics. `check` runs the two in that order, so nothing here
//! depends on the fix stage.

use tree_sitter::{Node, Tree};

use std::collections::{HashMap, HashSet};

use crate::analysis::callgraph::LazyCallGraph;
use crate::analysis::candidates::{self, Candidate, ObjectTypes};
use crate::analysis::claims::{self, Claim, ClaimKind, Synchronisation};
use crate::analysis::classify::{self, Kind, Verdict};
use crate::analysis::evidence;
use crate::analysis::parse;
use crate::analysis::queries::Queries;
use crate::analysis::scope::{self, Resolution, SymbolId};
use crate::analysis::tables;
use crate::diagnostic::{Diagnostic, Fix, Location, ModuleClaim, Span};
use crate::options::AnalysisOptions;
use crate::rules::{self, SiteFacts, Subject};
use crate::scan::source::Source;

/// What the analysis of one parsed text found, tied to its tree: the
/// fix planner (`fix::rewrite`) reads it, and [`FileAnalysis::diagnostics`]
/// turns it into findings.
pub struct FileAnalysis<'a, 't> {
    /// The text analysed (a file, or a translation unit's joined text).
    pub source: &'a Source,
    /// The root of its parse tree.
    pub root: Node<'t>,
    /// The candidate statics, in source order.
    pub candidates: Vec<Candidate<'t>>,
    /// Which identifiers refer to which candidate.
    pub resolution: Resolution<'t>,
    /// One verdict per classified symbol.
    pub verdicts: Vec<Verdict<'t>>,
    /// The module's claims (isolation, running without the GIL), read per
    /// translation unit.
    pub claims: Vec<Claim>,
    /// The claims to run without the GIL made in branches this build does
    /// not compile but another may ([`AnalysisOptions::uncompiled_gil_claims`]).
    pub uncompiled_claims: Vec<Claim>,
    /// Sites that race without the GIL (OV401): rewritten to publish with
    /// `Py_ONCEVAR_SET`, or unsafe.
    pub without_gil: HashSet<SymbolId>,
    /// The unit's call graph, built when first asked for (with
    /// `source.bytes`).
    pub call_graph: LazyCallGraph<'t>,
    /// Lazy sites whose guard and write share no lock region, whatever
    /// the module claims: they would race without the GIL
    /// (`without_gil` when the module claims `Py_MOD_GIL_NOT_USED`).
    pub unsynchronised: HashSet<SymbolId>,
    /// What the unit makes a Python object type.
    pub types: ObjectTypes,
    /// The unit's macros that pass a parameter's address to a call
    /// ([`evidence::Evidence::macro_addresses`]).
    pub macro_addresses: evidence::MacroAddresses,
    /// The unit's tables of statics' addresses
    /// ([`tables::address_tables`]).
    pub(crate) address_tables: Vec<tables::AddressTable<'t>>,
    /// The functions of other units (name, argument position) that a
    /// static's address is handed to outside any guard, unknown here: the
    /// scan reads them in their units (`classify::classify`).
    pub outside_asked: Vec<(String, usize)>,
    /// The names written with an object under a lazy site's guard that
    /// nothing of the text declares (`classify::classify`): a unit that
    /// left files out is read again with those that spell them.
    pub undeclared_fills: Vec<String>,
}

/// Analyses a parsed `tree` of `source.bytes`: finds the candidate statics,
/// resolves their uses, classifies them and reads the module's claims.
/// Nothing is planned or reported here: see [`FileAnalysis::diagnostics`].
pub fn analyze_tree<'a, 't>(
    tree: &'t Tree,
    source: &'a Source,
    queries: &Queries,
    options: &AnalysisOptions,
) -> FileAnalysis<'a, 't> {
    let bytes = &source.bytes;
    let root = tree.root_node();
    let (candidates, types, process_wide) =
        candidates::find_with_process_wide(tree, bytes, queries, options);
    if candidates.is_empty() {
        return FileAnalysis {
            source,
            root,
            candidates,
            resolution: Resolution::default(),
            verdicts: Vec::new(),
            claims: Vec::new(),
            uncompiled_claims: Vec::new(),
            without_gil: HashSet::new(),
            call_graph: LazyCallGraph::new(root),
            unsynchronised: HashSet::new(),
            types,
            macro_addresses: evidence::MacroAddresses::new(),
            address_tables: Vec::new(),
            outside_asked: Vec::new(),
            undeclared_fills: Vec::new(),
        };
    }
    let mut resolution = scope::resolve(tree, bytes, &candidates);
    scope::macro_references(tree, bytes, &candidates, &mut resolution);
    let address_tables = tables::address_tables(root, bytes, &resolution, &candidates);
    let evidence = evidence::collect(tree, bytes, queries, &resolution, &address_tables);
    classify::drop_name_tokens(&mut resolution, &evidence, bytes);
    let call_graph = LazyCallGraph::new(root);
    let (verdicts, outside_asked, undeclared_fills) = classify::classify(
        root,
        bytes,
        &candidates,
        &resolution,
        &evidence,
        &call_graph,
        &address_tables,
        &options.outside_slots,
        (&process_wide, &scope::resolve(tree, bytes, &process_wide)),
    );
    // Claims are read per translation unit (the text analysed here). Those
    // of its branches that another build compiles are kept apart: that
    // build races where this one does not (`Diagnostic::gil_claim_elsewhere`).
    let claims = claims::compiled(claims::find(root, bytes), &options.other_builds);
    let uncompiled_claims: Vec<Claim> = options
        .uncompiled_gil_claims
        .iter()
        .map(|r| Claim {
            kind: ClaimKind::GilNotUsed,
            span: Span {
                start: r.start,
                end: r.end,
            },
        })
        .collect();
    // Only a module that runs without the GIL races, and only the audit
    // asks what would race if it did.
    let claims_no_gil = claims.iter().any(|c| c.kind == ClaimKind::GilNotUsed);
    let unsynchronised = if claims_no_gil
        || options.audit
        || !options.published.is_empty()
        || !uncompiled_claims.is_empty()
    {
        unsynchronised_sites(root, bytes, &verdicts)
    } else {
        HashSet::new()
    };
    // A site of a file that another unit runs without the GIL is published
    // here too: `Py_ONCEVAR_SET` is right with a GIL as well (the runtime's
    // contract), and the units then rewrite their shared file alike.
    let without_gil = if claims_no_gil {
        unsynchronised.clone()
    } else {
        unsynchronised
            .iter()
            .copied()
            .filter(|&s| {
                resolution.symbols[s].candidates.iter().any(|&c| {
                    options
                        .published
                        .contains(&candidates[c].name_node.start_byte())
                })
            })
            .collect()
    };
    FileAnalysis {
        source,
        root,
        candidates,
        resolution,
        verdicts,
        claims,
        uncompiled_claims,
        without_gil,
        call_graph,
        unsynchronised,
        types,
        macro_addresses: evidence.macro_addresses,
        address_tables,
        outside_asked,
        undeclared_fills,
    }
}

impl FileAnalysis<'_, '_> {
    /// Every lazy site (but a raw pointer that owns nothing,
    /// [`Verdict::owns_nothing`]), and every set-once site that holds an
    /// object, as a
    /// [`Diagnostic`] (positions from `source`), each carrying its symbol's
    /// fix from `fixes` (planned by `fix::rewrite::plan`), sorted by the
    /// declarator's byte offset.
    pub fn diagnostics(&self, mut fixes: HashMap<SymbolId, Fix>) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        for verdict in self.verdicts.iter().filter(|v| !v.owns_nothing) {
            let fix = fixes.remove(&verdict.symbol);
            let racy = self.without_gil.contains(&verdict.symbol);
            for &index in &self.resolution.symbols[verdict.symbol].candidates {
                let candidate = &self.candidates[index];
                if let Some(mut d) = diagnostic(self.source, candidate, verdict, racy, &self.claims)
                {
                    d.fix = fix.clone();
                    if !racy && self.unsynchronised.contains(&verdict.symbol) {
                        d.gil_claim_elsewhere =
                            self.uncompiled_claims.first().map(|c| ModuleClaim {
                                kind: c.kind,
                                path: self.source.display_path.clone(),
                                location: self.source.location(c.span),
                            });
                    }
                    diagnostics.push(d);
                }
            }
        }
        diagnostics.sort_by_key(|d| d.declarator.span.start);
        diagnostics
    }
}

/// The lazy sites that race without the GIL: some write is outside any
/// lock region or once-callback, or no guard of the site shares that
/// region with it.
fn unsynchronised_sites(
    root: tree_sitter::Node,
    bytes: &[u8],
    verdicts: &[Verdict],
) -> HashSet<usize> {
    if !verdicts.iter().any(|v| v.kind == Kind::Lazy) {
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
    let code = rules::classify(&SiteFacts {
        lazy: verdict.kind == Kind::Lazy,
        object: candidate.object,
        released: !verdict.releases.is_empty(),
        unsynchronised: racy,
    })?;
    let locations = |nodes: &[tree_sitter::Node]| -> Vec<Location> {
        let mut spans: Vec<Span> = nodes.iter().map(|&n| Span::of(n)).collect();
        spans.sort();
        spans.dedup();
        spans.into_iter().map(|s| source.location(s)).collect()
    };
    let name = &candidate.name;
    let ty = &candidate.type_name;
    let rule = rules::rule(code);
    let message = (rule.message)(&Subject {
        name,
        type_name: ty,
        detail: "",
    });
    let claims: Vec<ModuleClaim> = claims
        .iter()
        .filter(|c| rule.contradicts.contains(&c.kind))
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
        gil_claim_elsewhere: None,
    })
}
