//! What stands between a module and interpreters with their own GIL (PEP
//! 684) or running without the GIL (PEP 703), read from one translation
//! unit: its modules (each `PyInit_*` from the call graph, how it creates
//! its module, what its slots claim and under which `#if`), the findings
//! of the module rules (each rule's detector, see [`crate::rules`]), and
//! which of the unit's findings stand in the way of which claim.
//!
//! The verdict is about the CPython versions that have the feature: 3.12
//! and later for an own GIL, 3.13 and later for free threading. Code that
//! an `#if` on the Python version leaves out of every one of them (a
//! Python 2 branch, a fallback below 3.5) is not read as the module's:
//! [`UnitFacts::compiled_on_current_python`].

use std::collections::HashSet;

use tree_sitter::{Node, Tree};

use crate::analysis::analyze::FileAnalysis;
use crate::analysis::callgraph::{
    file_scope_items, has_storage, CallGraph, Creation, FunctionId, InitPhase, Linkage, RootKind,
};
use crate::analysis::candidates::ObjectTypes;
use crate::analysis::claims::{self, Claim};
use crate::analysis::parse;
use crate::analysis::state::{self, Life, SlotState, StaticState, When};
use crate::analysis::territory::Territory;
use crate::diagnostic::{Code, Diagnostic, Location, ModuleClaim, Span};
use crate::options::AnalysisOptions;
use crate::rules::{self, Blocking, Matcher, Subject};
use crate::scan::cond::{self, Macro, Truth};
use crate::scan::source::Source;

/// The minor versions of CPython 3 that a verdict is about: an own GIL
/// came with 3.12, free threading with 3.13.
const CURRENT_MINORS: [u32; 3] = [12, 13, 14];

/// What a module rule's detector reads: one translation unit.
pub struct UnitFacts<'a, 't> {
    /// The root of the unit's parse tree.
    pub root: Node<'t>,
    /// The unit's text, the bytes the tree was parsed from.
    pub bytes: &'a [u8],
    /// The unit's call graph.
    pub graph: &'a CallGraph<'t>,
    /// What the unit makes a Python object type.
    pub types: &'a ObjectTypes,
    /// What the run takes for a Python object.
    pub options: &'a AnalysisOptions,
    /// When each function runs in a module's life.
    pub life: &'a Life,
    /// The unit's variables with static storage and their writes.
    pub statics: &'a [StaticState<'t>],
    /// The unit's per-interpreter slots and their writes.
    pub slots: &'a [SlotState<'t>],
    /// The first bytes of the declarators that the site rules report:
    /// their variables are theirs.
    pub sites: &'a HashSet<usize>,
}

impl<'t> UnitFacts<'_, 't> {
    /// Whether the byte at `offset` is compiled for some CPython that can
    /// have an own GIL (3.12 or later): no `#if` around it is false for
    /// all of them. Conditions on other names count as true.
    pub fn compiled_on_current_python(&self, offset: usize) -> bool {
        let conditions = cond::enclosing_conditions(self.bytes, offset);
        CURRENT_MINORS.iter().any(|&minor| {
            let lookup = |name: &str| match name {
                "PY_MAJOR_VERSION" => Macro::Defined("3".to_owned()),
                "PY_MINOR_VERSION" => Macro::Defined(minor.to_string()),
                "PY_VERSION_HEX" => Macro::Defined(format!("0x03{minor:02X}00F0")),
                _ => Macro::Unknown,
            };
            conditions
                .iter()
                .all(|c| cond::evaluate(c.as_bytes(), &lookup) != Truth::False)
        })
    }

    /// The module-creating calls that each function with external linkage
    /// (other than a module init) reaches: another unit's init may call
    /// it to create its module.
    pub fn exported_creations(&self) -> Vec<(FunctionId, Creation<'t>)> {
        let graph = self.graph;
        graph
            .functions()
            .iter()
            .enumerate()
            .filter(|(_, f)| f.linkage == Linkage::External && !f.name.starts_with("PyInit_"))
            .flat_map(|(id, _)| {
                graph
                    .creations_reached(id)
                    .into_iter()
                    .map(move |c| (id, c))
            })
            .collect()
    }

    /// The module init functions whose definitions the parse lost (a
    /// parse error swallowed them: the call graph does not have them), by
    /// the text: `PyInit_<name>(…) {` outside comments and strings, with
    /// the name's identifier.
    pub fn unparsed_inits(&self) -> Vec<(String, Node<'t>)> {
        use crate::scan::lexer::{Lexer, Token};
        let known: HashSet<&str> = self
            .graph
            .functions()
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        let mut lexer = Lexer::at(self.bytes, 0);
        let base = self.bytes.as_ptr() as usize;
        let mut tokens: Vec<Token> = Vec::new();
        let mut out = Vec::new();
        while let Some(token) = lexer.next_token(false) {
            tokens.push(token);
        }
        for (i, token) in tokens.iter().enumerate() {
            let Token::Ident(word) = token else { continue };
            let Ok(name) = std::str::from_utf8(word) else {
                continue;
            };
            if !name.starts_with("PyInit_") || known.contains(name) {
                continue;
            }
            // `(`, then up to the matching `)`, then `{`.
            if tokens.get(i + 1) != Some(&Token::Punct(b"(")) {
                continue;
            }
            let mut depth = 0usize;
            let mut close = None;
            for (j, t) in tokens.iter().enumerate().skip(i + 1) {
                match t {
                    Token::Punct(b"(") => depth += 1,
                    Token::Punct(b")") => {
                        depth -= 1;
                        if depth == 0 {
                            close = Some(j);
                            break;
                        }
                    }
                    Token::Punct(b";" | b"{" | b"}") => break,
                    _ => {}
                }
            }
            let Some(close) = close else { continue };
            if tokens.get(close + 1) != Some(&Token::Punct(b"{")) {
                continue;
            }
            let at = word.as_ptr() as usize - base;
            let Some(node) = self.root.descendant_for_byte_range(at, at + word.len()) else {
                continue;
            };
            if !out.iter().any(|(n, _): &(String, Node)| n == name) {
                out.push((name.to_owned(), node));
            }
        }
        out
    }

    /// The identifiers in code (not comments, strings or macro bodies)
    /// spelled `name`, in source order.
    pub fn identifiers(&self, name: &str) -> Vec<Node<'t>> {
        memchr::memmem::find_iter(self.bytes, name.as_bytes())
            .filter_map(|at| {
                let node = self.root.descendant_for_byte_range(at, at + name.len())?;
                (matches!(node.kind(), "identifier" | "type_identifier")
                    && node.start_byte() == at
                    && node.end_byte() == at + name.len())
                .then_some(node)
            })
            .collect()
    }

    /// The macro bodies (`#define` replacement texts) that spell `name` as
    /// a word, in source order.
    pub fn macro_bodies_naming(&self, name: &str) -> Vec<Node<'t>> {
        let mut out: Vec<Node<'t>> = Vec::new();
        for at in memchr::memmem::find_iter(self.bytes, name.as_bytes()) {
            let word_start = at == 0 || !crate::scan::lexer::is_ident(self.bytes[at - 1]);
            let end = at + name.len();
            let word_end =
                end >= self.bytes.len() || !crate::scan::lexer::is_ident(self.bytes[end]);
            if !(word_start && word_end) {
                continue;
            }
            let Some(node) = self.root.descendant_for_byte_range(at, end) else {
                continue;
            };
            if node.kind() == "preproc_arg" && out.last() != Some(&node) {
                out.push(node);
            }
        }
        out
    }
}

/// One instance of process-wide state that a module rule's detector
/// found, as nodes of the unit's tree.
pub struct Found<'t> {
    /// The variable, or the construct (the API called, the module).
    pub name: String,
    /// The variable's type as declared; empty for a construct.
    pub type_name: String,
    /// What the rule's message adds (see [`Subject::detail`]).
    pub detail: String,
    /// Where the finding points: the declarator's name, or the call's.
    pub name_node: Node<'t>,
    /// The whole declaration or statement.
    pub statement: Node<'t>,
    /// Where the state is put to use (a type readied, a global written),
    /// shown as secondary labels.
    pub evidence: Vec<Node<'t>>,
    /// When the finding holds only if other units call these exported
    /// functions of the unit while the module runs (their names); empty
    /// when it holds whatever other units do.
    pub entries: Vec<String>,
}

/// How a module is created, as far as its unit tells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Single-phase: the init function creates the module itself
    /// (`api`, called at `site`).
    Single {
        /// `PyModule_Create`, `PyModule_Create2`, …
        api: String,
        /// The call's identifier (in the unit's text).
        site: Span,
    },
    /// Multi-phase: the init returns its definition (`PyModuleDef_Init`,
    /// called at `site`).
    Multi {
        /// The call's identifier (in the unit's text).
        site: Span,
    },
    /// Neither call is reached in the unit: why.
    Unknown(String),
}

/// A claim with the `#if` conditions it is made under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitClaim {
    /// The claim (its span in the unit's text).
    pub claim: Claim,
    /// The enclosing `#if` conditions, outermost first (see
    /// [`cond::enclosing_conditions`]); empty when unconditional.
    pub conditions: Vec<String>,
}

/// A finding that stands in the way of a module's claims, named by what
/// identifies it once findings are placed in their files: the span of its
/// declarator (in the unit's text), its code and its variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockerRef {
    /// The finding's declarator (its primary location).
    pub declarator: Span,
    /// Its code.
    pub code: Code,
    /// Its variable or construct.
    pub variable: String,
    /// It blocks interpreters with their own GIL.
    pub per_interpreter_gil: bool,
    /// It blocks running without the GIL.
    pub free_threading: bool,
    /// Why its fix does not make it safe without the GIL, when it does not
    /// (a lazy site whose published shape is not safe: its fix makes it
    /// per interpreter only).
    pub free_threading_unfixed: Option<String>,
}

/// A module of the unit: its init function, how it is created and what
/// it claims.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitModule {
    /// The module's name, as `PyInit_<name>` spells it.
    pub name: String,
    /// The init function's name (in the unit's text).
    pub init: Span,
    /// How it is created.
    pub phase: Phase,
    /// What the unit's slots and calls claim, by kind then position.
    pub claims: Vec<UnitClaim>,
    /// The declarators of the unit's blockers that are this module's (see
    /// `analysis::territory`): those in its territory, and those
    /// in no module's; `None` when its territory is not known (every
    /// blocker of the unit is its).
    pub blockers: Option<Vec<Span>>,
    /// The names of [`UnitAudit::uses`] that are this module's (its
    /// territory's, and those no module's territory uses); `None`: all.
    pub uses: Option<Vec<String>>,
}

/// What the audit reads from one unit: its modules, the findings that
/// stand in the way of a claim, and what links it to the other units of
/// an extension (a module's code and state can be spread over several:
/// the scan links them by the names they define and use).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnitAudit {
    /// The unit's modules (none for a unit that only helps another's).
    pub modules: Vec<UnitModule>,
    /// The unit's findings that block a claim, in the order of the
    /// findings.
    pub blockers: Vec<BlockerRef>,
    /// The functions and variables with external linkage that the unit
    /// defines, sorted.
    pub defines: Vec<String>,
    /// The names the unit declares without defining them (a prototype, an
    /// `extern` variable of a project header) and uses, sorted: another
    /// unit defines them.
    pub uses: Vec<String>,
    /// Those of `uses` that code running after init (or code whose time
    /// the unit does not tell) uses, sorted.
    pub used_at_run_time: Vec<String>,
    /// The findings that hold only if another unit calls one of the
    /// unit's exported functions while the module runs: (declarator,
    /// code, variable, those functions).
    pub conditional: Vec<(Span, Code, String, Vec<String>)>,
    /// The functions with external linkage that create a module (they
    /// reach `PyModule_Create` or `PyModuleDef_Init`), for a module of
    /// another unit whose init calls one.
    pub creators: Vec<(String, Phase)>,
    /// For each function with external linkage the unit defines (not a
    /// module init), what another unit that calls it takes: the
    /// declarators of the blockers its code reaches, and the names of
    /// `uses` it reaches, by the call graph read backwards.
    pub exports: Vec<Export>,
}

/// What a function with external linkage brings to a module of another
/// unit that calls it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    /// The function's name.
    pub name: String,
    /// The declarators of the unit's blockers that its code reaches.
    pub blockers: Vec<Span>,
    /// The names of [`UnitAudit::uses`] that its code reaches.
    pub uses: Vec<String>,
}

/// The module rules' findings in a unit and, with `options.audit`, its
/// modules. Without `options.audit` (plain `check`), only findings that
/// contradict a claim the unit makes are returned, and no module.
/// `diagnostics` are the unit's site findings (positions from `source`,
/// the unit's text); the module rules' findings are appended to them.
/// `unpublished` are the lazy sites (by their declarator's first byte)
/// whose fix does not make them safe without the GIL, and why.
pub fn audit(
    tree: &Tree,
    file: &FileAnalysis,
    source: &Source,
    options: &AnalysisOptions,
    diagnostics: &mut Vec<Diagnostic>,
    unpublished: &[(usize, String)],
) -> Option<UnitAudit> {
    let bytes = &source.bytes;
    let claims = claims::compiled(claims::find(file.root, bytes), &options.other_builds);
    let contradicted = |kinds: &[crate::diagnostic::ClaimKind]| -> Vec<ModuleClaim> {
        claims
            .iter()
            .filter(|c| kinds.contains(&c.kind))
            .map(|c| ModuleClaim {
                kind: c.kind,
                path: source.display_path.clone(),
                location: source.location(c.span),
            })
            .collect()
    };
    if !options.audit && !claims.iter().any(|c| c.kind.is_support()) {
        return None;
    }
    let graph = file.call_graph.get(bytes);
    let life = Life::of(graph);
    let statics = state::statics(tree, bytes, graph, &life);
    let slots = state::slots(file.root, bytes, graph, &life);
    let sites: HashSet<usize> = diagnostics
        .iter()
        .map(|d| d.declarator.span.start)
        .collect();
    let facts = UnitFacts {
        root: file.root,
        bytes,
        graph,
        types: &file.types,
        options,
        life: &life,
        statics: &statics,
        slots: &slots,
        sites: &sites,
    };
    let mut conditional = Vec::new();
    for rule in rules::RULES {
        let Matcher::Module(detect) = rule.matcher else {
            continue;
        };
        for found in detect(&facts) {
            if !facts.compiled_on_current_python(found.name_node.start_byte()) {
                continue;
            }
            let claims = contradicted(rule.contradicts);
            if !options.audit && claims.is_empty() {
                continue;
            }
            if !found.entries.is_empty() {
                conditional.push((
                    Span::of(found.name_node),
                    rule.code,
                    found.name.clone(),
                    found.entries.clone(),
                ));
            }
            diagnostics.push(module_diagnostic(rule.code, &found, claims, source));
        }
    }
    diagnostics.sort_by_key(|d| d.declarator.span.start);
    // `check` needs the modules only to place the claims of a unit with
    // several: which finding contradicts which module's claim.
    if !options.audit && graph.module_inits().len() < 2 {
        return None;
    }

    // The declarators of the lazy sites that would race without the GIL.
    let unsynchronised: HashSet<usize> = file
        .unsynchronised
        .iter()
        .flat_map(|&s| &file.resolution.symbols[s].candidates)
        .map(|&c| file.candidates[c].name_node.start_byte())
        .collect();
    let blockers: Vec<BlockerRef> = diagnostics
        .iter()
        .map(|d| {
            let rule = rules::rule(d.code);
            BlockerRef {
                declarator: d.declarator.span,
                code: d.code,
                variable: d.variable.clone(),
                per_interpreter_gil: rule.blocks.per_interpreter_gil,
                free_threading: match rule.blocks.free_threading {
                    Blocking::No => false,
                    Blocking::Yes => true,
                    Blocking::Unsynchronised => unsynchronised.contains(&d.declarator.span.start),
                },
                free_threading_unfixed: unpublished
                    .iter()
                    .find(|(at, _)| *at == d.declarator.span.start)
                    .map(|(_, why)| why.clone()),
            }
        })
        .filter(|b| b.per_interpreter_gil || b.free_threading)
        .collect();
    let unit_claims: Vec<UnitClaim> = claims
        .iter()
        .filter(|c| facts.compiled_on_current_python(c.span.start))
        .map(|&claim| UnitClaim {
            claim,
            conditions: cond::enclosing_conditions(bytes, claim.span.start),
        })
        .collect();
    let macros = parse::macro_bodies(file.root, bytes);
    let modules = graph
        .module_inits()
        .iter()
        .filter(|init| {
            let node = graph.functions()[init.function].node;
            facts.compiled_on_current_python(node.start_byte())
        })
        .map(|init| {
            let site = graph
                .roots_of(RootKind::ModuleInit)
                .find(|r| r.function == init.function)
                .map_or(graph.functions()[init.function].node, |r| r.site);
            let creations: Vec<_> = init
                .creations
                .iter()
                .filter(|c| facts.compiled_on_current_python(c.site.start_byte()))
                .collect();
            // Python 2's `Py_InitModule*` do not exist in Python 3: when a
            // macro defined for both (`MOD_DEF`) reaches one besides a
            // current call, the current one is how the module is made.
            let python2 = |c: &Creation| c.api.starts_with("Py_InitModule");
            let creations: Vec<_> = if creations.iter().all(|c| python2(c)) {
                creations
            } else {
                creations.into_iter().filter(|c| !python2(c)).collect()
            };
            let single = creations.iter().find(|c| c.phase == InitPhase::Single);
            let multi = creations.iter().find(|c| c.phase == InitPhase::Multi);
            let phase = match (single, multi) {
                (Some(c), _) => Phase::Single {
                    api: c.api.to_owned(),
                    site: Span::of(c.site),
                },
                (None, Some(c)) => Phase::Multi {
                    site: Span::of(c.site),
                },
                (None, None) => Phase::Unknown(format!(
                    "`{}` reaches neither PyModule_Create nor PyModuleDef_Init in this \
                     translation unit",
                    graph.functions()[init.function].name
                )),
            };
            let territory = (graph.module_inits().len() > 1)
                .then(|| Territory::of(graph, file.root, bytes, init, &macros))
                .flatten();
            (
                UnitModule {
                    name: init.module.clone(),
                    init: Span::of(site),
                    phase,
                    claims: unit_claims.clone(),
                    blockers: None,
                    uses: None,
                },
                territory,
            )
        })
        .collect::<Vec<_>>();
    let modules = claims_by_territory(modules);
    let (defines, uses, used_at_run_time) = linkage(&facts);
    let modules = share_out(modules, &blockers, &uses);
    claims_of_owners(diagnostics, &modules);
    if !options.audit {
        // `check` reports a module rule's finding only where it
        // contradicts a claim of the module it blocks.
        diagnostics.retain(|d| {
            !d.claims.is_empty() || !matches!(rules::rule(d.code).matcher, Matcher::Module(_))
        });
        return None;
    }
    let exports = exports(&facts, &blockers, &uses);
    let mut modules = modules;
    for (name, node) in facts.unparsed_inits() {
        if !facts.compiled_on_current_python(node.start_byte()) {
            continue;
        }
        modules.push(UnitModule {
            name: name.trim_start_matches("PyInit_").to_owned(),
            init: Span::of(node),
            phase: Phase::Unknown(format!(
                "the definition of `{name}` did not parse (see --show-parse-errors)"
            )),
            claims: unit_claims.clone(),
            blockers: None,
            uses: None,
        });
    }
    Some(UnitAudit {
        modules,
        blockers,
        defines,
        uses,
        used_at_run_time,
        conditional,
        creators: creators(&facts),
        exports,
    })
}

/// What each function with external linkage (not a module init) reaches
/// of the unit's `blockers` and `uses`, by the call graph read backwards:
/// a blocker or use belongs to the exported functions that reach a
/// function holding it (its declarator, or a use of its name). One used
/// outside any function (a table's initialiser) or named by a macro body
/// belongs to every exported function, since who reaches it is not known.
fn exports(facts: &UnitFacts, blockers: &[BlockerRef], uses: &[String]) -> Vec<Export> {
    let graph = facts.graph;
    let exported: Vec<FunctionId> = (0..graph.functions().len())
        .filter(|&f| {
            let function = &graph.functions()[f];
            function.linkage == Linkage::External && !function.name.starts_with("PyInit_")
        })
        .collect();
    if exported.is_empty() {
        return Vec::new();
    }
    // The exported functions (as indices into `exported`) that reach one
    // of `holders`; `None`: every one.
    let reaching = |holders: Option<Vec<FunctionId>>| -> Option<HashSet<usize>> {
        let holders = holders?;
        let mut seen: HashSet<FunctionId> = holders.iter().copied().collect();
        let mut pending = holders;
        while let Some(f) = pending.pop() {
            for (caller, _) in graph.callers(f) {
                if seen.insert(caller) {
                    pending.push(caller);
                }
            }
        }
        Some(
            exported
                .iter()
                .enumerate()
                .filter(|(_, f)| seen.contains(f))
                .map(|(i, _)| i)
                .collect(),
        )
    };
    // The functions that use `name` by an identifier; `None` when a use
    // lies outside every function or in a macro body. A declaration's own
    // name (`static long records;`) is no use.
    let users = |name: &str| -> Option<Vec<FunctionId>> {
        if !facts.macro_bodies_naming(name).is_empty() {
            return None;
        }
        facts
            .identifiers(name)
            .into_iter()
            .filter(|&n| !declares_name(n))
            .map(|n| graph.function_at(n))
            .collect()
    };
    let mut out: Vec<Export> = exported
        .iter()
        .map(|&f| Export {
            name: graph.functions()[f].name.clone(),
            blockers: Vec::new(),
            uses: Vec::new(),
        })
        .collect();
    for b in blockers {
        let holder = facts
            .root
            .descendant_for_byte_range(b.declarator.start, b.declarator.end)
            .and_then(|n| graph.function_at(n));
        let holders = match holder {
            Some(f) => Some(vec![f]),
            None => users(&b.variable),
        };
        let reached = reaching(holders);
        for (i, export) in out.iter_mut().enumerate() {
            if reached.as_ref().is_none_or(|r| r.contains(&i)) {
                export.blockers.push(b.declarator);
            }
        }
    }
    for name in uses {
        let reached = reaching(users(name));
        for (i, export) in out.iter_mut().enumerate() {
            if reached.as_ref().is_none_or(|r| r.contains(&i)) {
                export.uses.push(name.clone());
            }
        }
    }
    out
}

/// Whether the identifier `name` is the name a declaration declares
/// (through its declarator: `*name`, `name[N]`, `name = value`), not a
/// use of it.
fn declares_name(name: Node) -> bool {
    // One descent from the root, however deep the declarator.
    let (node, above) = parse::climb(name, |parent, child| match parent.kind() {
        "pointer_declarator" | "array_declarator" | "init_declarator" => {
            parent.child_by_field_name("declarator") == Some(child)
        }
        "parenthesized_declarator" | "attributed_declarator" => true,
        _ => false,
    });
    above.first().is_some_and(|parent| {
        let mut cursor = parent.walk();
        parent.kind() == "declaration"
            && parent
                .children_by_field_name("declarator", &mut cursor)
                .any(|d| d == node)
    })
}

/// Gives each module of a unit with several the claims its territory
/// holds (in its own slot table, or a `PyUnstable_Module_SetGIL` call in
/// its code), and those no module's territory holds (whose they are, is
/// not known); a module whose territory is not known keeps them all.
fn claims_by_territory(
    mut modules: Vec<(UnitModule, Option<Territory>)>,
) -> Vec<(UnitModule, Option<Territory>)> {
    let held = |claim: &UnitClaim, territory: &Territory| territory.holds(claim.claim.span.start);
    let unowned: Vec<bool> = modules
        .first()
        .map(|(m, _)| {
            m.claims
                .iter()
                .map(|c| {
                    !modules
                        .iter()
                        .any(|(_, t)| t.as_ref().is_some_and(|t| held(c, t)))
                })
                .collect()
        })
        .unwrap_or_default();
    for (module, territory) in &mut modules {
        let Some(territory) = territory else { continue };
        let mut at = 0;
        module.claims.retain(|c| {
            let keep = unowned.get(at).copied().unwrap_or(true) || held(c, territory);
            at += 1;
            keep
        });
    }
    modules
}

/// Keeps, of each finding's claims, those of the modules it blocks: in a
/// unit with several modules, one module's counter contradicts no claim of
/// its neighbour's (it was an error with the neighbour's claim as related
/// location). A finding that blocks no module keeps its claims (whose
/// they are is not known); so does every finding of a unit with one
/// module.
fn claims_of_owners(diagnostics: &mut [Diagnostic], modules: &[UnitModule]) {
    if modules.len() < 2 {
        return;
    }
    for diagnostic in diagnostics.iter_mut().filter(|d| !d.claims.is_empty()) {
        let owners: Vec<&UnitModule> = modules
            .iter()
            .filter(|m| {
                m.blockers
                    .as_ref()
                    .is_none_or(|b| b.contains(&diagnostic.declarator.span))
            })
            .collect();
        if owners.is_empty() {
            continue;
        }
        diagnostic.claims.retain(|claim| {
            owners
                .iter()
                .any(|m| m.claims.iter().any(|c| c.claim.span == claim.location.span))
        });
    }
}

/// Gives each module of a unit with several its share of the unit's
/// `blockers` and `uses`: what its territory holds or uses, and what no
/// module's territory does (whose the code is, is not known, so it is
/// every module's). A module whose territory is not known gets all.
fn share_out(
    modules: Vec<(UnitModule, Option<Territory>)>,
    blockers: &[BlockerRef],
    uses: &[String],
) -> Vec<UnitModule> {
    let known: Vec<&Territory> = modules.iter().filter_map(|(_, t)| t.as_ref()).collect();
    let owns = |t: &Territory, b: &BlockerRef| t.holds(b.declarator.start) || t.uses(&b.variable);
    modules
        .iter()
        .map(|(module, territory)| {
            let Some(territory) = territory else {
                return module.clone();
            };
            let blockers = blockers
                .iter()
                .filter(|b| owns(territory, b) || !known.iter().any(|t| owns(t, b)))
                .map(|b| b.declarator)
                .collect();
            let uses = uses
                .iter()
                .filter(|n| territory.uses(n) || !known.iter().any(|t| t.uses(n)))
                .cloned()
                .collect();
            UnitModule {
                blockers: Some(blockers),
                uses: Some(uses),
                ..module.clone()
            }
        })
        .collect()
}

/// The names with external linkage that the unit defines (functions,
/// file-scope variables without `static` or `extern`), the names it
/// declares at file scope without defining them and names again
/// elsewhere (what it uses from other units), and those of them that
/// code running after init names (or code whose time the unit does not
/// tell: an exported function, a file-scope initialiser), each sorted.
fn linkage(facts: &UnitFacts) -> (Vec<String>, Vec<String>, Vec<String>) {
    let bytes = facts.bytes;
    let mut defines: Vec<String> = facts
        .graph
        .functions()
        .iter()
        .filter(|f| f.linkage == Linkage::External)
        .map(|f| f.name.clone())
        .collect();
    let mut declared: Vec<(String, Node)> = Vec::new();
    for item in file_scope_items(facts.root) {
        if item.kind() != "declaration" {
            continue;
        }
        let storage = |k| has_storage(item, bytes, k);
        if storage("static") || storage("typedef") {
            continue;
        }
        let external = storage("extern");
        let mut cursor = item.walk();
        for declarator in item.children_by_field_name("declarator", &mut cursor) {
            let (name, function) = declared_name(declarator);
            let Some(text) = name.and_then(|n| n.utf8_text(bytes).ok()) else {
                continue;
            };
            if external || function {
                declared.push((text.to_owned(), item));
            } else {
                defines.push(text.to_owned());
            }
        }
    }
    defines.sort();
    defines.dedup();
    let mut uses: Vec<String> = Vec::new();
    let mut used_at_run_time: Vec<String> = Vec::new();
    for (name, declaration) in &declared {
        if defines.binary_search(name).is_ok() {
            // Declared in one place and defined in another of the unit.
            continue;
        }
        let references: Vec<Node> = facts
            .identifiers(name)
            .into_iter()
            .filter(|n| {
                n.start_byte() < declaration.start_byte() || n.end_byte() > declaration.end_byte()
            })
            .collect();
        // A macro of the unit that names it uses it too (`#define
        // CONVERT(o, p) helper_convert(o, p)`), when, is not known.
        let in_macro = !facts.macro_bodies_naming(name).is_empty();
        if references.is_empty() && !in_macro {
            continue;
        }
        uses.push(name.clone());
        let at_run_time = in_macro
            || references
                .iter()
                .any(|&n| match facts.graph.function_at(n) {
                    Some(f) => !matches!(
                        facts.life.when(f),
                        When::Init | When::Teardown | When::Unreached
                    ),
                    None => parse::enclosing_function(n).is_none(),
                });
        if at_run_time {
            used_at_run_time.push(name.clone());
        }
    }
    uses.sort();
    uses.dedup();
    used_at_run_time.sort();
    used_at_run_time.dedup();
    (defines, uses, used_at_run_time)
}

/// The name a file-scope declarator declares, and whether it declares a
/// function (a prototype).
fn declared_name(declarator: Node) -> (Option<Node>, bool) {
    let mut node = declarator;
    let mut function = false;
    loop {
        match node.kind() {
            "identifier" => return (Some(node), function),
            "function_declarator" => {
                // `(*f)(void)` declares a pointer variable, `f(void)` a function.
                let inner = node.child_by_field_name("declarator");
                function = inner.is_some_and(|i| i.kind() == "identifier");
                match inner {
                    Some(inner) => node = inner,
                    None => return (None, false),
                }
            }
            "init_declarator"
            | "pointer_declarator"
            | "array_declarator"
            | "parenthesized_declarator"
            | "attributed_declarator" => {
                match node
                    .child_by_field_name("declarator")
                    .or_else(|| node.named_child(0))
                {
                    Some(inner) => node = inner,
                    None => return (None, false),
                }
            }
            _ => return (None, false),
        }
    }
}

/// The functions with external linkage that reach a module-creating call
/// compiled on a current CPython, with the phase it makes (single-phase
/// when any such call is).
fn creators(facts: &UnitFacts) -> Vec<(String, Phase)> {
    let graph = facts.graph;
    let mut out: Vec<(String, Phase)> = Vec::new();
    for (function, creation) in facts.exported_creations() {
        if !facts.compiled_on_current_python(creation.site.start_byte()) {
            continue;
        }
        let site = Span::of(creation.site);
        let phase = match creation.phase {
            InitPhase::Single => Phase::Single {
                api: creation.api.to_owned(),
                site,
            },
            InitPhase::Multi => Phase::Multi { site },
        };
        let name = &graph.functions()[function].name;
        match out.iter_mut().find(|(n, _)| n == name) {
            Some(known) if matches!(known.1, Phase::Multi { .. }) => known.1 = phase,
            Some(_) => {}
            None => out.push((name.clone(), phase)),
        }
    }
    out
}

/// A module rule's finding as a [`Diagnostic`] of the unit's text.
fn module_diagnostic(
    code: Code,
    found: &Found,
    claims: Vec<ModuleClaim>,
    source: &Source,
) -> Diagnostic {
    let rule = rules::rule(code);
    let locations = |nodes: &[Node]| -> Vec<Location> {
        let mut spans: Vec<Span> = nodes.iter().map(|&n| Span::of(n)).collect();
        spans.sort();
        spans.dedup();
        spans.into_iter().map(|s| source.location(s)).collect()
    };
    Diagnostic {
        code,
        path: source.display_path.clone(),
        variable: found.name.clone(),
        type_name: found.type_name.clone(),
        function: parse::enclosing_function(found.statement)
            .and_then(|f| parse::function_name(f, &source.bytes))
            .map(str::to_owned),
        declarator: source.location(Span::of(found.name_node)),
        declaration: source.location(Span::of(found.statement)),
        guards: Vec::new(),
        assignments: locations(&found.evidence),
        releases: Vec::new(),
        claims,
        message: (rule.message)(&Subject {
            name: &found.name,
            type_name: &found.type_name,
            detail: &found.detail,
        }),
        fix: None,
        free_threading: None,
        gil_claim_elsewhere: None,
    }
}
