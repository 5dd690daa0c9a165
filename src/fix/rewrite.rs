//! Planning the rewrite of a file's fixable sites (OV101, OV102) as edits:
//! each declaration becomes `Py_ONCEVAR_DECLARE(T, name);` (a declaration
//! with several declarators is split so the others keep theirs), every
//! reference that resolves to the static becomes `Py_ONCEVAR(name)`, a
//! borrowed reference stored in the slot is made strong, and the runtime
//! header is included once. Nothing is applied here; `fix::apply` does that.

use std::collections::{HashMap, HashSet};

use tree_sitter::Node;

use crate::analysis::analyze::FileAnalysis;
use crate::analysis::callgraph::{CallGraph, EdgeKind, FunctionId, InitOnce, Reach, Readers};
use crate::analysis::candidates::Candidate;
use crate::analysis::capi::WRITING_MACROS;
use crate::analysis::classify::innermost_name as declared_name;
use crate::analysis::classify::{gated_reason, one_line, Gate, Kind, Verdict};
use crate::analysis::evidence::{self, NullMacros};
use crate::analysis::parse::{self, macro_bodies, strip_parens};
use crate::analysis::parse::{HasNodeId, NodeId};
use crate::analysis::scope::{Resolution, SymbolId};
use crate::diagnostic::{
    Applicability, Edit, FileLocation, Fix, HandedAway, OutsideEntry, Reason, ReasonKind, Span,
};
use crate::fix::handoff::{Handed, Handoffs};
use crate::fix::helper_fill::{helper_siblings, Filler};
use crate::fix::kept;
use crate::fix::ownership::{self, Stored, Unit};
use crate::fix::refcounts;
use crate::fix::set_once::{set_once_reasons, ExecPhase};
use crate::fix::thread_state::ThreadStates;
use crate::options::RewriteOptions;
use crate::scan::source::Source;

/// Whether a verdict is rewritten: a lazy cache of a Python object, and
/// with `set_once` (the audit) a Python object pointer set once outside a
/// NULL guard (OV301), whose fix [`set_once_reasons`] proves or refuses.
pub fn is_fixable(
    verdict: &Verdict,
    candidates: &[Candidate],
    resolution: &Resolution,
    set_once: bool,
) -> bool {
    (verdict.kind == Kind::Lazy || set_once && verdict.kind == Kind::Once)
        && resolution.symbols[verdict.symbol]
            .candidates
            .iter()
            .all(|&c| candidates[c].object && !candidates[c].is_aggregate())
}

/// The fix of a lazy array of object pointers, or of a struct (or array of
/// structs) with object members: display-only, without edits, since the
/// rewrite has no form for one (each element or member would need a slot
/// of its own), and saying so.
fn aggregate_fix(candidate: &Candidate) -> Fix {
    let name = &candidate.name;
    let message = match candidate.members.is_empty() {
        true => format!(
            "`{name}` is an array of object pointers, which the rewrite has no form for \
             (each element would need a per-interpreter slot of its own): move the table \
             into module state"
        ),
        false => format!(
            "`{name}` is {} with object members ({}), which the rewrite has no form for \
             (each member would need a per-interpreter slot of its own): move it into \
             module state",
            if candidate.array {
                "an array of structs"
            } else {
                "a struct"
            },
            members(candidate)
        ),
    };
    Fix::new(
        Applicability::DisplayOnly,
        vec![Reason::new(ReasonKind::Declaration, message)],
        Vec::new(),
    )
}

/// `` `a`, `b` `` for a candidate's object members, the first
/// [`MAX_LISTED_MEMBERS`] of them and how many more.
fn members(candidate: &Candidate) -> String {
    let mut listed = candidate
        .members
        .iter()
        .take(MAX_LISTED_MEMBERS)
        .map(|m| format!("`{m}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let more = candidate.members.len().saturating_sub(MAX_LISTED_MEMBERS);
    if more > 0 {
        listed.push_str(&format!(" and {more} more"));
    }
    listed
}

/// How many object members a struct's report names.
const MAX_LISTED_MEMBERS: usize = 16;

/// One fix per fixable symbol.
pub fn plan(file: &FileAnalysis, options: &RewriteOptions) -> HashMap<SymbolId, Fix> {
    let mut fixes = plan_pointers(file, options);
    for verdict in &file.verdicts {
        let symbol = &file.resolution.symbols[verdict.symbol];
        let first = &file.candidates[symbol.candidates[0]];
        if verdict.kind == Kind::Lazy && first.object && first.is_aggregate() {
            fixes.insert(verdict.symbol, aggregate_fix(first));
        }
    }
    fixes
}

/// One fix per fixable symbol (a lazy object pointer).
fn plan_pointers(file: &FileAnalysis, options: &RewriteOptions) -> HashMap<SymbolId, Fix> {
    let source = file.source;
    let fixable: Vec<&Verdict> = file
        .verdicts
        .iter()
        .filter(|v| is_fixable(v, &file.candidates, &file.resolution, options.set_once))
        .collect();
    if fixable.is_empty() {
        return HashMap::new();
    }
    // A site whose reference is given away (to the module, say) only
    // borrows: its key must not release at exit.
    let unit = Unit::new(file);
    let ownership: HashMap<SymbolId, KeyOwnership> = fixable
        .iter()
        .map(|v| (v.symbol, key_ownership(file, &unit, v)))
        .collect();
    let owning: HashMap<SymbolId, bool> = ownership.iter().map(|(&s, o)| (s, o.owning)).collect();
    // The declaring macro of every site's declarator, by candidate.
    let macros: HashMap<usize, &'static str> = fixable
        .iter()
        .flat_map(|v| {
            let declare = if owning[&v.symbol] {
                "Py_ONCEVAR_DECLARE"
            } else {
                "Py_ONCEVAR_DECLARE_BORROWED"
            };
            let candidates = &file.resolution.symbols[v.symbol].candidates;
            candidates.iter().map(move |&c| (c, declare))
        })
        .collect();

    // Declarations are shared by every site they declare: one edit each.
    let mut declarations: Vec<Node> = macros
        .keys()
        .map(|&c| file.candidates[c].declaration)
        .collect();
    declarations.sort_by_key(|d| d.start_byte());
    declarations.dedup();
    let declaration_edits: HashMap<NodeId, Edit> = declarations
        .iter()
        .map(|&d| (d.node_id(), declaration_edit(file, d, &macros)))
        .collect();

    let includes: Vec<Node> = parse::keyword_tokens(file.root, &source.bytes, &["#include"])
        .into_iter()
        .filter_map(|k| k.parent.filter(|p| p.kind() == "preproc_include"))
        .collect();
    // The runtime include goes into the file of each site's declaration
    // (in a unit's text, the files differ); computed once per file.
    // With the reason it would break the header, if the file's own macros
    // still define names the header uses where it goes.
    let mut include_by_file: HashMap<usize, Option<(Edit, Option<Reason>)>> = HashMap::new();
    let macro_names = macro_bodies(file.root, &source.bytes);
    let function_like = parse::function_like_macros(file.root, &source.bytes);
    // The unit's null macros, read once an initialiser needs them.
    let mut null_macros: Option<NullMacros> = None;
    let file_reasons = file_reasons(file, &includes, &macro_names);
    let mut once_inits: Option<OnceInits> = None;
    let mut exit_hooks: Option<ExitHooks> = None;
    let mut thread_states: Option<ThreadStates> = None;
    let mut exec_phase: Option<ExecPhase> = None;
    let places = kept::Places::new(file.root, &source.bytes);

    let mut fixes: HashMap<SymbolId, Fix> = HashMap::new();
    for verdict in &fixable {
        let symbol = &file.resolution.symbols[verdict.symbol];
        let name = &file.candidates[symbol.candidates[0]].name;
        let type_name = &file.candidates[symbol.candidates[0]].type_name;
        let mut reasons: Vec<Reason> = file_reasons.clone();
        reasons.extend(verdict.blockers.iter().cloned());
        // Which ownership rule decided, said in the fix's reason.
        let mut notes: Vec<Reason> = ownership[&verdict.symbol].note.iter().cloned().collect();
        reasons.extend(ownership[&verdict.symbol].unknown.iter().cloned());
        let mut edits: Vec<Edit> = Vec::new();
        for &c in &symbol.candidates {
            let declaration = file.candidates[c].declaration;
            edits.push(declaration_edits[&declaration.node_id()].clone());
            reasons.extend(
                broken_declaration(source, declaration, name)
                    .map(|r| r.at(&source.display_path, source.location(Span::of(declaration)))),
            );
            if let Some(keyword) = parse::thread_storage(declaration, &source.bytes) {
                reasons.push(
                    Reason::new(
                        ReasonKind::Declaration,
                        format!(
                            "`{name}` is declared `{keyword}`: each thread has its own object, \
                             and a per-interpreter slot would make the threads of an \
                             interpreter share one"
                        ),
                    )
                    .at(&source.display_path, source.location(Span::of(declaration))),
                );
            }
            // `= NULL`, or the unit's own macro for it (`= NIL`).
            let mut null = |v: Node| {
                parse::is_null_constant(v, &source.bytes)
                    || null_macros
                        .get_or_insert_with(|| NullMacros::new(file.root, &source.bytes))
                        .is_constant(strip_parens(v))
            };
            if let Some(value) = file.candidates[c]
                .declarator
                .child_by_field_name("value")
                .filter(|v| !null(*v))
            {
                reasons.push(
                    Reason::new(
                        ReasonKind::Declaration,
                        format!(
                            "`{name}` starts out as `{}`, which a per-interpreter slot (empty in \
                             every new interpreter) does not keep",
                            source.text(Span::of(value))
                        ),
                    )
                    .at(&source.display_path, source.location(Span::of(value))),
                );
            }
        }
        let owning = owning[&verdict.symbol];
        // What each write hands the slot; a key that only borrows releases
        // nothing at exit, so what it stores does not matter.
        let stored: Vec<Stored> = verdict
            .assignments
            .iter()
            .map(|&a| {
                if owning {
                    unit.stored(verdict.symbol, a)
                } else {
                    Stored::Owned(None)
                }
            })
            .collect();
        let cast = cast_back(type_name);
        // Without the GIL: publish with a compare-and-swap (the references
        // it rewrites itself are skipped below).
        let mut published: HashSet<NodeId> = HashSet::new();
        if file.without_gil.contains(&verdict.symbol) {
            match publication(file, verdict, name, type_name, &stored) {
                Ok(shape) => {
                    published = shape.handled;
                    edits.extend(shape.edits);
                }
                Err(reason) => reasons.push(reason),
            }
        }
        let is_published = !published.is_empty();
        let mut ambiguous_lines: Vec<usize> = Vec::new();
        let mut unjustified: Vec<(usize, Unjustified)> = Vec::new();
        for &reference in &symbol.references {
            if published.contains(&reference.node_id()) {
                continue;
            }
            // Without the GIL every other read pairs with the publication
            // (an acquire load, a plain one on a GIL build); a write keeps
            // the lvalue.
            let access = if is_published && is_plain_read(reference, &source.bytes, &macro_names) {
                "Py_ONCEVAR_GET"
            } else {
                "Py_ONCEVAR"
            };
            edits.push(Edit {
                path: source.display_path.clone(),
                location: source.location(Span::of(reference)),
                replacement: format!("{access}({name})"),
                parse_as: None,
            });
            if let Some(reason) = escaping_address(reference, &source.bytes) {
                reasons.push(reason.at(&source.display_path, source.location(Span::of(reference))));
            } else if let Some(why) = unknown_shape(reference) {
                unjustified.push((reference.start_byte(), why));
            }
            if file.resolution.ambiguous.contains(&reference.node_id()) {
                ambiguous_lines.push(source.file_line(reference.start_byte()));
            }
        }
        ambiguous_lines.dedup();
        if !ambiguous_lines.is_empty() {
            reasons.push(Reason::new(
                ReasonKind::Declaration,
                format!(
                    "`{name}` on {} follows an `#if` chain whose other branches make that name \
                     another variable (a local or a parameter), which the rewrite would break",
                    lines_phrase(&ambiguous_lines)
                ),
            ));
        }
        if !symbol.in_attributes.is_empty() {
            let mut lines: Vec<usize> = symbol
                .in_attributes
                .iter()
                .map(|r| source.file_line(r.start_byte()))
                .collect();
            lines.dedup();
            reasons.push(Reason::new(
                ReasonKind::Declaration,
                format!(
                    "`{name}` is named in an attribute's arguments on {}, and oncevar cannot \
                     tell that the attribute takes `Py_ONCEVAR({name})` as it took `{name}` \
                     (`copy` wants a declaration)",
                    lines_phrase(&lines)
                ),
            ));
        }
        reasons.extend(unjustified_reasons(source, name, &unjustified));
        for (&assignment, stored) in verdict.assignments.iter().zip(&stored) {
            match stored {
                Stored::Owned(note) => notes.extend(
                    note.iter()
                        .map(|n| Reason::new(ReasonKind::Ownership, n.clone())),
                ),
                Stored::Borrowed { wraps, note } => {
                    notes.push(Reason::new(ReasonKind::Ownership, note.clone()));
                    if !published.contains(&assignment.node_id()) {
                        for wrap in wraps {
                            edits.push(insertion(source, wrap.start, format!("{cast}Py_XNewRef(")));
                            edits.push(insertion(source, wrap.end, ")".to_owned()));
                        }
                    }
                }
                Stored::Unknown(why) => {
                    let value = assignment
                        .child_by_field_name("right")
                        .unwrap_or(assignment);
                    reasons.push(
                        Reason::new(ReasonKind::Ownership, why.clone())
                            .at(&source.display_path, source.location(Span::of(value))),
                    );
                }
            }
        }
        for &assignment in &verdict.assignments {
            if let Some(reason) = unjustified_address_write(file, &unit, assignment, name) {
                reasons
                    .push(reason.at(&source.display_path, source.location(Span::of(assignment))));
            }
        }
        let own = file.candidates[symbol.candidates[0]]
            .declaration
            .start_byte();
        let include = include_by_file
            .entry(source.file_start(own))
            .or_insert_with(|| {
                let same: Vec<Node> = declarations
                    .iter()
                    .filter(|d| source.same_file(d.start_byte(), own))
                    .copied()
                    .collect();
                include_edit(file, &includes, &same, options).map(|include| {
                    // What the compiler has read when it reaches the
                    // insertion: the text before it and the headers that
                    // an #include line just before it inlines.
                    let seen = source.resume_in_file(include.location.span.start);
                    let polluting = macros_breaking_runtime(&source.bytes, seen);
                    // Later in the file, before the first site, the file
                    // may undefine them: the include goes there instead.
                    let (include, polluting) = match same.first() {
                        Some(&first) if !polluting.is_empty() => {
                            match include_after_undefs(file, &include, first, &polluting) {
                                Some(moved) => (moved, Vec::new()),
                                None => (include, polluting),
                            }
                        }
                        _ => (include, polluting),
                    };
                    let names: Vec<String> = polluting.iter().map(|m| format!("`{m}`")).collect();
                    let reason = (!polluting.is_empty()).then(|| {
                        Reason::new(
                            ReasonKind::Macro,
                            format!(
                                "where the runtime header would be included, macros of the \
                                 file or of a header it includes still define names that the \
                                 header uses ({}), and would break it",
                                names.join(", ")
                            ),
                        )
                        .at(&source.display_path, include.location)
                    });
                    (include, reason)
                })
            });
        if let Some((include, polluting)) = include {
            edits.push(include.clone());
            reasons.extend(polluting.iter().cloned());
        }
        // `static PyObject *CACHE_NAME;` in a template header that the
        // unit includes once per `#define CACHE_NAME cache_a`: the static
        // is what the macro expands to, once per inclusion, and the
        // runtime's names pasted from `CACHE_NAME` name nothing.
        // A function-like macro of that name is expanded only where a `(`
        // follows the name, which neither the declaration nor any of its
        // uses spells (`#define func(x) call_##x` beside `static PyObject
        // *func;`).
        let called = || {
            symbol.references.iter().any(|r| {
                source.bytes[r.end_byte()..]
                    .iter()
                    .find(|b| !b.is_ascii_whitespace())
                    .is_some_and(|&b| b == b'(')
            })
        };
        let mut definitions = macro_names.iter().filter(|(m, _)| m == name).count();
        let function_like = function_like.iter().filter(|m| *m == name).count();
        if function_like > 0 && !called() {
            definitions -= function_like;
        }
        if definitions > 0 {
            reasons.push(Reason::new(
                ReasonKind::Macro,
                format!(
                    "`{name}` is a macro of this translation unit ({}), so the static is \
                     declared under the name it expands to where the declaration is read (a \
                     template header included once per definition declares one static each); \
                     oncevar does not rewrite a declaration whose name is a macro",
                    if definitions == 1 {
                        "defined once".to_owned()
                    } else {
                        format!("defined {definitions} times")
                    }
                ),
            ));
        }
        let mentions = |body: &str| !parse::code_variable_ends(body, name).is_empty();
        if let Some(macro_name) = macro_names.iter().find(|(_, body)| mentions(body)) {
            reasons.push(Reason::new(
                ReasonKind::Macro,
                format!(
                    "`{name}` is used inside the body of macro `{}`, which oncevar cannot rewrite",
                    macro_name.0
                ),
            ));
        }
        let graph = file.call_graph.get(&source.bytes);
        let mut outside_entries = Vec::new();
        let once_inits = once_inits.get_or_insert_with(|| OnceInits::of(graph));
        if verdict.kind == Kind::Once {
            let phase = exec_phase.get_or_insert_with(|| ExecPhase::of(graph));
            reasons.extend(set_once_reasons(
                graph,
                phase,
                once_inits,
                source,
                verdict,
                &symbol.references,
                name,
            ));
        } else if let Some(reason) = once_inits.reason(graph, source, verdict, name) {
            reasons.push(reason);
        } else {
            outside_entries = once_inits.outside_entries(graph, source, verdict, name);
        }
        let exit_hooks =
            exit_hooks.get_or_insert_with(|| ExitHooks::of(graph, file.root, &source.bytes));
        let exit_reason = exit_hooks.reason(graph, source, &symbol.references, name);
        let mut handed_away = Vec::new();
        if exit_reason.is_some() {
            reasons.extend(exit_reason);
        } else {
            let (reason, away) = exit_hooks.handed_reason(graph, source, &symbol.references, name);
            reasons.extend(reason);
            handed_away = away;
        }
        let thread_states =
            thread_states.get_or_insert_with(|| ThreadStates::of(graph, file.root, &source.bytes));
        reasons.extend(thread_states.reason(graph, source, &symbol.references, name));
        // Another unit may run an entry point reaching a use where it
        // holds no thread state: asked only while nothing here blocks.
        let outside_uses = if reasons.is_empty() {
            once_inits.outside_uses(graph, source, &symbol.references, name)
        } else {
            Vec::new()
        };
        let mut kept_outside = Vec::new();
        if owning {
            let (reason, outside) = kept::kept_reason(
                file,
                &unit,
                graph,
                &places,
                verdict.symbol,
                &symbol.references,
                name,
            );
            reasons.extend(reason);
            kept_outside = outside;
        }
        if symbol.candidates.len() > 1 && !exclusive_branches(file, &symbol.candidates) {
            reasons.push(Reason::new(
                ReasonKind::Declaration,
                format!("`{name}` is declared more than once in one scope"),
            ));
        }
        edits.sort();
        edits.dedup();
        let mut fix = Fix::new(Applicability::Safe, notes, edits);
        fix.block(reasons);
        fix.outside_entries = outside_entries;
        fix.outside_uses = outside_uses;
        fix.handed_away = handed_away;
        fix.kept_outside = kept_outside;
        fixes.insert(verdict.symbol, fix);
    }

    // Statics filled under one guard are fixed together or not at all: a
    // new interpreter that finds one slot empty refills the others too,
    // also through a helper the guard runs. A fill past another static's
    // NULL test waits on that static's fix.
    if !fixes.is_empty() {
        let filled = helper_siblings(file, file.call_graph.get(&source.bytes));
        stand_or_fall(file, &mut fixes, &filled, &options.left_out);
    }

    // The variables of an `#if` chain's branches that share the uses after
    // the chain stand or fall together: the shared uses are rewritten by
    // both, and a build whose declaration stays raw would not compile.
    loop {
        let mut changed = false;
        let mut symbols: Vec<SymbolId> = fixes.keys().copied().collect();
        symbols.sort_unstable();
        for symbol in symbols {
            if fixes[&symbol].applicability != Applicability::Safe {
                continue;
            }
            let blocking = variants(file, symbol).into_iter().find_map(|other| {
                let declared = &file.candidates[file.resolution.symbols[other].candidates[0]];
                let line = file.source.file_line(declared.name_node.start_byte());
                match fixes.get(&other) {
                    None => Some(format!(
                        "the `{}` that another branch declares on line {line}, which oncevar \
                         does not rewrite",
                        declared.name
                    )),
                    Some(f) if f.applicability != Applicability::Safe => Some(format!(
                        "the `{}` that another branch declares on line {line}, whose fix is unsafe",
                        declared.name
                    )),
                    Some(_) => None,
                }
            });
            if let Some(blocking) = blocking {
                let fix = fixes.get_mut(&symbol).expect("listed above");
                fix.block([Reason::new(
                    ReasonKind::Siblings,
                    format!(
                        "its uses after the `#if` chain are shared with {blocking}: the \
                         variables of one chain that share uses are fixed together or not at all"
                    ),
                )]);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }

    // Sites that share a declaration stand or fall together: applying one
    // without the other would rewrite a declaration whose uses stay raw.
    let unsafe_declarations: Vec<NodeId> = fixes
        .iter()
        .filter(|(_, f)| f.applicability != Applicability::Safe)
        .flat_map(|(&s, _)| {
            file.resolution.symbols[s]
                .candidates
                .iter()
                .map(|&c| file.candidates[c].declaration.node_id())
        })
        .collect();
    for (&symbol, fix) in fixes.iter_mut() {
        let shares = file.resolution.symbols[symbol]
            .candidates
            .iter()
            .any(|&c| unsafe_declarations.contains(&file.candidates[c].declaration.node_id()));
        if shares && fix.applicability == Applicability::Safe {
            fix.block([shares_declaration()]);
        }
    }
    fixes
}

/// A static that the fix of a verdict waits on: a sibling filled under its
/// guard (lexically, or by `Filler`, a helper the guard runs), or a
/// [`Gate`] on the way to its fills.
enum Wait<'v, 't> {
    Sibling(SymbolId, Option<&'v Filler>),
    Gate(&'v Gate<'t>),
}

impl Wait<'_, '_> {
    /// The static waited on.
    fn symbol(&self) -> SymbolId {
        match self {
            Wait::Sibling(s, _) => *s,
            Wait::Gate(g) => g.symbol,
        }
    }
}

/// Blocks each safe fix that waits on a static left process-wide (no
/// fix, or one that is not safe), to a fixed point: the statics of one
/// guard (`verdict.siblings`, and `filled`: those a helper run under the
/// guard fills with it, by static) are fixed together or not at all, and
/// a fill past a [`Gate`] (another static's NULL test around it or
/// before it) is fixed only with that static: left process-wide, it is
/// found set by a later interpreter, which skips the block and finds its
/// own slot empty. A gate that is also a sibling is the sibling rule's.
///
/// The verdicts are asked in order, and again in order after one is
/// blocked, as passes over them until none changes would ask them, but
/// only those that wait on a static just blocked are asked again: linear
/// in the waits, however long a chain of gates.
fn stand_or_fall(
    file: &FileAnalysis,
    fixes: &mut HashMap<SymbolId, Fix>,
    filled: &std::collections::BTreeMap<SymbolId, std::collections::BTreeMap<SymbolId, Filler>>,
    left_out: &[(std::ops::Range<usize>, String)],
) {
    use std::cmp::Reverse;
    let waits: Vec<Vec<Wait>> = file
        .verdicts
        .iter()
        .map(|verdict| {
            let mut waits: Vec<Wait> = verdict
                .siblings
                .iter()
                .map(|&s| Wait::Sibling(s, None))
                .collect();
            if let Some(helpers) = filled.get(&verdict.symbol) {
                waits.extend(helpers.iter().map(|(&s, f)| Wait::Sibling(s, Some(f))));
            }
            let siblings = waits.len();
            for gate in &verdict.gates {
                if !waits[..siblings].iter().any(|w| w.symbol() == gate.symbol) {
                    waits.push(Wait::Gate(gate));
                }
            }
            waits
        })
        .collect();
    let mut waiting: HashMap<SymbolId, Vec<usize>> = HashMap::new();
    for (i, waits) in waits.iter().enumerate() {
        for wait in waits {
            waiting.entry(wait.symbol()).or_default().push(i);
        }
    }
    // (pass, verdict): the order in which passes would ask them.
    let mut asked: std::collections::BinaryHeap<Reverse<(usize, usize)>> =
        (0..file.verdicts.len()).map(|i| Reverse((0, i))).collect();
    while let Some(Reverse((pass, i))) = asked.pop() {
        let symbol = file.verdicts[i].symbol;
        // A fix left out of the scan is shown only, with its own reason;
        // those that wait on it are blocked by it.
        match fixes.get(&symbol) {
            Some(f) if f.applicability == Applicability::Safe => {
                if left_out_file(file, symbol, f, left_out).is_some() {
                    continue;
                }
            }
            _ => continue,
        }
        let Some(reason) = waits[i]
            .iter()
            .find_map(|wait| waits_in_vain(file, fixes, left_out, symbol, wait))
        else {
            continue;
        };
        fixes.get_mut(&symbol).expect("safe above").block([reason]);
        for &j in waiting.get(&symbol).into_iter().flatten() {
            asked.push(Reverse((if j > i { pass } else { pass + 1 }, j)));
        }
    }
}

/// Why the fix of `symbol` cannot be made while `wait`'s static is left
/// process-wide; `None` when that static is rewritten too (its fix is
/// safe), or, for a sibling, refilled with the same constant by every
/// interpreter that finds the group's slots empty (harmless).
fn waits_in_vain(
    file: &FileAnalysis,
    fixes: &HashMap<SymbolId, Fix>,
    left_out: &[(std::ops::Range<usize>, String)],
    symbol: SymbolId,
    wait: &Wait,
) -> Option<Reason> {
    let other = wait.symbol();
    let declared = &file.candidates[file.resolution.symbols[other].candidates[0]];
    let name = &declared.name;
    let fix = fixes.get(&other);
    if fix.is_none() && matches!(wait, Wait::Sibling(..)) && refills_constant(file, other) {
        return None;
    }
    let what = match fix {
        None if declared.is_aggregate() => {
            format!("`{name}`, an array or struct, which oncevar does not rewrite")
        }
        None if file
            .verdicts
            .iter()
            .any(|v| v.symbol == other && v.kind == Kind::Once) =>
        {
            format!(
                "`{name}`, set once without a NULL guard (OV301), which `check` does not rewrite"
            )
        }
        None if declared.object => {
            format!("`{name}`, which oncevar does not rewrite (no lazy site of its own)")
        }
        None => format!("`{name}`, which oncevar does not rewrite (no Python object)"),
        Some(f) if f.applicability != Applicability::Safe => {
            format!("`{name}`, whose fix is unsafe")
        }
        Some(f) => match left_out_file(file, other, f, left_out)? {
            (path, true) => format!(
                "`{name}`, declared in `{path}`, which is not scanned, so oncevar does not \
                 rewrite it"
            ),
            (path, false) => format!(
                "`{name}`, whose fix edits `{path}`, which is not scanned, so oncevar does not \
                 rewrite it"
            ),
        },
    };
    let message = match wait {
        Wait::Sibling(_, filler) => {
            let how = match filler {
                None => format!("filled under one guard together with {what}"),
                Some(Filler::Helper(helper)) => {
                    format!("filled by `{helper}`, which the guard runs, together with {what}")
                }
                Some(Filler::Call(call)) => {
                    format!("filled by the call of `{call}` under the guard, together with {what}")
                }
                Some(Filler::Table(helper, table)) => format!(
                    "filled through `{table}`, a table of statics' addresses that `{helper}` \
                     reads under the guard, together with {what}"
                ),
            };
            format!("{how}: the statics of one guard are fixed together or not at all")
        }
        Wait::Gate(gate) => {
            let filled = &file.candidates[file.resolution.symbols[symbol].candidates[0]].name;
            gated_reason(
                format!(
                    "`{filled}` is filled only past the test `{}`, which reads {what}",
                    one_line(gate.condition, &file.source.bytes)
                ),
                gate.caller.as_ref(),
                false,
            )
        }
    };
    Some(Reason::new(ReasonKind::Siblings, message))
}

/// The file left out of the scan ([`RewriteOptions::left_out`]) that
/// holds a declaration of `symbol` (`true`) or an edit of its `fix`
/// (`false`): such a fix is shown only, and the static stays
/// process-wide. `None` when the fix edits scanned files only.
fn left_out_file<'o>(
    file: &FileAnalysis,
    symbol: SymbolId,
    fix: &Fix,
    left_out: &'o [(std::ops::Range<usize>, String)],
) -> Option<(&'o str, bool)> {
    if left_out.is_empty() {
        return None;
    }
    let holding = |at: usize| {
        let i = left_out.partition_point(|(range, _)| range.end <= at);
        left_out
            .get(i)
            .filter(|(range, _)| range.contains(&at))
            .map(|(_, path)| path.as_str())
    };
    let declared = file.resolution.symbols[symbol]
        .candidates
        .iter()
        .find_map(|&c| holding(file.candidates[c].name_node.start_byte()));
    if let Some(path) = declared {
        return Some((path, true));
    }
    fix.edits()
        .iter()
        .find_map(|edit| {
            let span = edit.location.span;
            holding(span.start).or_else(|| holding(span.end.max(span.start + 1) - 1))
        })
        .map(|path| (path, false))
}

/// The reason of a fix that shares its declaration with an unsafe one:
/// applying one without the other would rewrite a declaration whose uses
/// stay raw.
pub(crate) fn shares_declaration() -> Reason {
    Reason::new(
        ReasonKind::Siblings,
        "shares its declaration with a site whose fix is unsafe",
    )
}

/// `line 3`, `lines 3 and 5`, `lines 3, 5 and 8`.
fn lines_phrase(lines: &[usize]) -> String {
    match lines {
        [one] => format!("line {one}"),
        [rest @ .., last] => format!(
            "lines {} and {last}",
            rest.iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        [] => String::new(),
    }
}

/// The other variables (of other branches of an `#if` chain) that share a
/// reference with `symbol`, in order.
fn variants(file: &FileAnalysis, symbol: SymbolId) -> Vec<SymbolId> {
    let mut out: Vec<SymbolId> = file.resolution.symbols[symbol]
        .references
        .iter()
        .filter_map(|r| file.resolution.shared.get(&r.node_id()))
        .flatten()
        .copied()
        .filter(|&s| s != symbol)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether every write of a static that oncevar does not rewrite (raw
/// memory, left process-wide) stores a constant: a string literal, a
/// number, or the address of something at file scope (`&default_ops`).
/// Such a sibling may stay process-wide while the objects of its guard
/// become per-interpreter: a later interpreter that finds its own slots
/// empty and runs the block again stores the very same value, and nothing
/// is leaked or replaced under another interpreter's feet.
fn refills_constant(file: &FileAnalysis, symbol: SymbolId) -> bool {
    let bytes = &file.source.bytes;
    let Some(verdict) = file.verdicts.iter().find(|v| v.symbol == symbol) else {
        return false;
    };
    !verdict.assignments.is_empty()
        && verdict.assignments.iter().all(|&write| {
            if write.kind() != "assignment_expression" {
                return false;
            }
            let Some(value) = write.child_by_field_name("right") else {
                return false;
            };
            let value = ownership::strip_casts(strip_parens(value));
            match value.kind() {
                "string_literal" | "concatenated_string" | "number_literal" | "char_literal" => {
                    true
                }
                "pointer_expression" => {
                    value.child_by_field_name("operator").map(|o| o.kind()) == Some("&")
                        && value
                            .child_by_field_name("argument")
                            .filter(|a| a.kind() == "identifier")
                            .is_some_and(|a| {
                                let name = &bytes[a.start_byte()..a.end_byte()];
                                !declared_in_function(a, name, bytes)
                                    && declared_at_file_scope(file.root, name, bytes)
                            })
                }
                _ => false,
            }
        })
}

/// Whether a declaration or function definition at the top of the file
/// declares `name`.
fn declared_at_file_scope(root: Node, name: &[u8], bytes: &[u8]) -> bool {
    let named = |n: Node| n.utf8_text(bytes).ok().map(str::as_bytes) == Some(name);
    let mut cursor = root.walk();
    let top: Vec<Node> = root.named_children(&mut cursor).collect();
    top.into_iter().any(|d| {
        if !matches!(d.kind(), "declaration" | "function_definition") {
            return false;
        }
        let mut cursor = d.walk();
        let declarators: Vec<Node> = d
            .children_by_field_name("declarator", &mut cursor)
            .collect();
        declarators.into_iter().any(|mut n| {
            while n.kind() == "function_declarator" || n.kind() == "pointer_declarator" {
                match n.child_by_field_name("declarator") {
                    Some(inner) => n = inner,
                    None => return false,
                }
            }
            declared_name(n).is_some_and(named)
        })
    })
}

/// Whether `name` is declared in the body or the parameters of the
/// function around `node` (a local, which `&name` would point into).
fn declared_in_function(node: Node, name: &[u8], bytes: &[u8]) -> bool {
    let Some(function) = parse::enclosing_function(node) else {
        return false;
    };
    let mut pending = vec![function];
    while let Some(n) = pending.pop() {
        if matches!(n.kind(), "declaration" | "parameter_declaration") {
            let mut cursor = n.walk();
            if n.children_by_field_name("declarator", &mut cursor)
                .any(|d| {
                    declared_name(d)
                        .is_some_and(|i| i.utf8_text(bytes).ok().map(str::as_bytes) == Some(name))
                })
            {
                return true;
            }
        }
        if n.kind() == "function_definition" && n.node_id() != function.node_id() {
            continue;
        }
        let mut cursor = n.walk();
        pending.extend(n.named_children(&mut cursor));
    }
    false
}

/// What stops the publication rewrite (OV401's fix, [`publication`]) from
/// taking over a guarded store: one per kind of reason it gives. The
/// OV401 rule's text lists them from here ([`Obstacle::listed`]), so what
/// `oncevar rule OV401` says cannot drift from what the analysis reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Obstacle {
    /// The static is assigned in more than one place.
    SecondAssignment,
    /// The write is not a plain `v = EXPR` statement of its own.
    NotAStatement,
    /// The write is not directly under an `if` without `else` whose whole
    /// condition is a NULL test of the static.
    Guard,
    /// The stored value reads the static.
    ReadsItself,
    /// A statement between the store and its NULL check can leave the
    /// block.
    LeavesBlock,
    /// The block also stores another static filled under the same guard.
    Sibling,
    /// The NULL check after the store tests more than the static.
    CombinedTest,
    /// The block increfs the object after the store.
    Incref,
    /// The block uses the object after the store otherwise.
    UsedAfterStore,
}

impl Obstacle {
    /// Every obstacle, in the order [`publication`] looks for them.
    pub(crate) const ALL: [Obstacle; 9] = [
        Obstacle::SecondAssignment,
        Obstacle::NotAStatement,
        Obstacle::Guard,
        Obstacle::ReadsItself,
        Obstacle::LeavesBlock,
        Obstacle::Sibling,
        Obstacle::CombinedTest,
        Obstacle::Incref,
        Obstacle::UsedAfterStore,
    ];

    /// The clause the rule's text names it by.
    pub(crate) fn clause(self) -> &'static str {
        match self {
            Obstacle::SecondAssignment => "a second assignment",
            Obstacle::NotAStatement => "a write that is not a plain `v = EXPR;` statement",
            Obstacle::Guard => {
                "a guard that also tests something else or has an `else`, or a write not \
                 directly under it"
            }
            Obstacle::ReadsItself => "a value that reads the static itself",
            Obstacle::LeavesBlock => {
                "a statement between the store and its check that can leave the block (the \
                 new object would be neither published nor released)"
            }
            Obstacle::Sibling => {
                "another static stored in the same guarded block (publishing one alone would \
                 let other threads skip the block and read the other unset)"
            }
            Obstacle::CombinedTest => {
                "a NULL check after the store that tests more than the static (`v == NULL || \
                 failed`: the publication answers only whether it is NULL)"
            }
            Obstacle::Incref => {
                "a `Py_INCREF` of it after the store (it would have to come before other \
                 threads can see the object)"
            }
            Obstacle::UsedAfterStore => {
                "a block that otherwise uses the object after storing it (publishing it first \
                 would show other threads an unfinished object)"
            }
        }
    }

    /// Every obstacle's clause, joined as the rule's text lists them (by
    /// semicolons: a clause may hold commas).
    pub(crate) fn listed() -> String {
        let clauses: Vec<&str> = Obstacle::ALL.iter().map(|o| o.clause()).collect();
        match clauses.split_last() {
            Some((last, rest)) => format!("{}; and {last}", rest.join("; ")),
            None => String::new(),
        }
    }
}

/// The edits of a publication rewrite, and the references and assignment
/// (node ids) they take care of.
struct Publication {
    edits: Vec<Edit>,
    handled: HashSet<NodeId>,
}

/// The subject of a NULL test `v == NULL`, `NULL == v`, `!v` (parentheses
/// and casts skipped), when it is a plain identifier.
fn null_test_subject<'t>(condition: Node<'t>, bytes: &[u8]) -> Option<Node<'t>> {
    let test = strip_parens(condition);
    let subject = match test.kind() {
        "unary_expression" if test.child_by_field_name("operator")?.kind() == "!" => {
            test.child_by_field_name("argument")?
        }
        "binary_expression" if test.child_by_field_name("operator")?.kind() == "==" => {
            let left = test.child_by_field_name("left")?;
            let right = test.child_by_field_name("right")?;
            if parse::is_null_constant(right, bytes) {
                left
            } else if parse::is_null_constant(left, bytes) {
                right
            } else {
                return None;
            }
        }
        _ => return None,
    };
    let subject = strip_parens(subject);
    (subject.kind() == "identifier").then_some(subject)
}

/// The rewrite of a site that races without the GIL, for the common shape
///
/// ```c
/// if (v == NULL) {            /* or !v */
///     v = EXPR;
///     if (v == NULL) { ... }  /* optional NULL check, right after */
/// }
/// ```
///
/// into `if (Py_ONCEVAR_GET(v) == NULL) { if (Py_ONCEVAR_SET(v, EXPR) ==
/// NULL) { ... } }` (without a check: `Py_ONCEVAR_SET(v, EXPR);`). The check
/// tests what the publication returns, never the slot, which another thread
/// may fill meanwhile. When statements on other objects stand between the
/// write and its check (`v = PyObject_GetAttrString(mod, "f");
/// Py_DECREF(mod); if (v == NULL) ...`), the new object waits in a local
/// declared at the start of the block (`T v_new;`, `v_new = EXPR;`) and the
/// check publishes it: `if (Py_ONCEVAR_SET(v, v_new) == NULL)`; those
/// statements may not leave the block (`return`, `goto`), or the object
/// would be neither published nor released. Any other shape:
/// `Err(reason)`. Every other read of the static becomes `Py_ONCEVAR_GET`
/// in [`plan`].
fn publication(
    file: &FileAnalysis,
    verdict: &Verdict,
    name: &str,
    type_name: &str,
    stored: &[Stored],
) -> Result<Publication, Reason> {
    let source = file.source;
    let bytes = &source.bytes;
    let references = &file.resolution.symbols[verdict.symbol].references;
    let is_reference = |n: Node| references.iter().any(|r| r.node_id() == n.node_id());
    // Each reason names the obstacle of the rule's list it is (the list
    // the rule's text reads, [`Obstacle::listed`]).
    let other_shape = |_obstacle: Obstacle, why: &str| {
        Reason::new(
            ReasonKind::FreeThreading,
            format!(
                "the module runs without the GIL (Py_MOD_GIL_NOT_USED) and {why}, while \
                 Py_ONCEVAR_SET takes over only a store `{name} = EXPR;` alone under \
                 `if ({name} == NULL)` and its optional NULL check, with nothing but statements \
                 on other objects between them (`oncevar rule OV401`): this rewrite would keep \
                 the data race"
            ),
        )
    };
    let [assignment] = verdict.assignments[..] else {
        return Err(other_shape(
            Obstacle::SecondAssignment,
            &format!("`{name}` is assigned in more than one place"),
        ));
    };
    let left = assignment.child_by_field_name("left");
    let right = assignment.child_by_field_name("right");
    let statement = assignment
        .parent()
        .filter(|p| p.kind() == "expression_statement");
    let (Some(left), Some(right), Some(statement)) = (left, right, statement) else {
        return Err(other_shape(
            Obstacle::NotAStatement,
            "the assignment is not a statement of its own",
        ));
    };
    if assignment.kind() != "assignment_expression"
        || assignment.child_by_field_name("operator").map(|o| o.kind()) != Some("=")
        || !is_reference(strip_parens(left))
    {
        return Err(other_shape(
            Obstacle::NotAStatement,
            "the write is not a plain assignment",
        ));
    }
    let mut block = statement.parent();
    let mut guarded_if = block;
    if block.is_some_and(|b| b.kind() == "compound_statement") {
        guarded_if = block.and_then(|b| b.parent());
    } else {
        block = None;
    }
    let guard_if = guarded_if
        .filter(|i| i.kind() == "if_statement")
        .filter(|i| i.child_by_field_name("alternative").is_none());
    let guard_subject = guard_if
        .and_then(|i| i.child_by_field_name("condition"))
        .and_then(|c| null_test_subject(c, bytes))
        .filter(|&s| is_reference(s));
    let (Some(guard_if), Some(guard_subject)) = (guard_if, guard_subject) else {
        return Err(other_shape(
            Obstacle::Guard,
            "the write is not directly under an `if` whose whole condition is a NULL test of it",
        ));
    };
    if references
        .iter()
        .any(|r| r.start_byte() >= right.start_byte() && r.end_byte() <= right.end_byte())
    {
        return Err(other_shape(
            Obstacle::ReadsItself,
            "the assigned value reads the static itself",
        ));
    }
    // The NULL check of the static after the write: the first statement
    // after it that names the static, if it is an `if` whose condition
    // tests it. The statements in between (the release of the module the
    // value came from, say) act on other objects.
    let mentions = |n: Node| {
        references
            .iter()
            .any(|r| r.start_byte() >= n.start_byte() && r.end_byte() <= n.end_byte())
    };
    let statements: Vec<Node> = block
        .map(|b| {
            let mut cursor = b.walk();
            b.named_children(&mut cursor)
                .filter(|n| n.kind() != "comment")
                .collect()
        })
        .unwrap_or_default();
    let after = statements
        .iter()
        .position(|s| s.node_id() == statement.node_id())
        .map_or(&[][..], |at| &statements[at + 1..]);
    let check_at = after.iter().position(|&s| mentions(s));
    let check_subject = check_at
        .map(|at| after[at])
        .filter(|c| c.kind() == "if_statement")
        .and_then(|c| c.child_by_field_name("condition"))
        .and_then(|c| null_test_subject(c, bytes))
        .filter(|&s| is_reference(s));
    let between = match (check_subject, check_at) {
        (Some(_), Some(at)) => &after[..at],
        _ => &[][..],
    };
    if let Some(jump) = between.iter().find_map(|&s| leaves_block(s)) {
        return Err(other_shape(
            Obstacle::LeavesBlock,
            &format!(
                "a statement between the store and its NULL check can leave the block \
             (`{}` on line {}), which would leave the new object neither published nor released",
                jump.kind().trim_end_matches("_statement"),
                source.file_line(jump.start_byte())
            ),
        ));
    }
    // Everything else the block does with the static would act on an
    // object that other threads can already see.
    let body = guard_if
        .child_by_field_name("consequence")
        .unwrap_or(guard_if);
    let handled_refs: Vec<Node> = [Some(strip_parens(left)), check_subject]
        .into_iter()
        .flatten()
        .collect();
    if let Some(&used) = references.iter().find(|r| {
        r.start_byte() >= body.start_byte()
            && r.end_byte() <= body.end_byte()
            && !handled_refs.iter().any(|h| h.node_id() == r.node_id())
    }) {
        let check = check_at.map(|at| after[at]);
        let (obstacle, why) = used_after_store(file, verdict, name, body, check, used);
        return Err(other_shape(obstacle, &why));
    }
    // The value, with `Py_XNewRef` around what is borrowed in it.
    let cast = cast_back(type_name);
    let mut value = String::new();
    let mut at = right.start_byte();
    if let Some(Stored::Borrowed { wraps, .. }) = stored.first() {
        for wrap in wraps {
            value.push_str(source.text(Span {
                start: at,
                end: wrap.start,
            }));
            value.push_str(&format!(
                "{cast}Py_XNewRef({})",
                source.text(Span {
                    start: wrap.start,
                    end: wrap.end
                })
            ));
            at = wrap.end;
        }
    }
    value.push_str(source.text(Span {
        start: at,
        end: right.end_byte(),
    }));
    let mut edits = vec![Edit {
        path: source.display_path.clone(),
        location: source.location(Span::of(guard_subject)),
        replacement: format!("Py_ONCEVAR_GET({name})"),
        parse_as: None,
    }];
    let mut handled: HashSet<NodeId> = [
        guard_subject.node_id(),
        strip_parens(left).node_id(),
        assignment.node_id(),
    ]
    .into_iter()
    .collect();
    if let (Some(subject), Some(&first), false) =
        (check_subject, statements.first(), between.is_empty())
    {
        // Statements between the store and its check: the new object waits
        // in a local of the block, declared at its start, and is published
        // by the check (it stays private until then, as the statements in
        // between expect).
        let local = fresh_name(bytes, &format!("{name}_new"));
        let star = if type_name.ends_with('*') { "" } else { " " };
        let line_start = bytes[..first.start_byte()]
            .iter()
            .rposition(|&b| b == b'\n' || b == b'\r')
            .map_or(0, |i| i + 1);
        let indent = &bytes[line_start..first.start_byte()];
        let separator = if indent.iter().all(|b| matches!(b, b' ' | b'\t')) {
            format!(
                "{}{}",
                line_ending(bytes, first.start_byte()),
                String::from_utf8_lossy(indent)
            )
        } else {
            " ".to_owned()
        };
        edits.push(insertion(
            source,
            first.start_byte(),
            format!("{type_name}{star}{local};{separator}"),
        ));
        edits.push(Edit {
            path: source.display_path.clone(),
            location: source.location(Span::of(assignment)),
            replacement: format!("{local} = {value}"),
            parse_as: None,
        });
        edits.push(Edit {
            path: source.display_path.clone(),
            location: source.location(Span::of(subject)),
            replacement: format!("Py_ONCEVAR_SET({name}, {local})"),
            parse_as: None,
        });
        handled.insert(subject.node_id());
        return Ok(Publication { edits, handled });
    }
    let set = format!("Py_ONCEVAR_SET({name}, {value})");
    match check_subject {
        Some(subject) => {
            // The check tests what the publication returns; the statement
            // goes (with its line, when it stands alone on it).
            edits.push(Edit {
                path: source.display_path.clone(),
                location: source.location(Span::of(subject)),
                replacement: set,
                parse_as: None,
            });
            handled.insert(subject.node_id());
            edits.push(Edit {
                path: source.display_path.clone(),
                location: source.location(line_span(bytes, Span::of(statement))),
                replacement: String::new(),
                parse_as: None,
            });
        }
        None => edits.push(Edit {
            path: source.display_path.clone(),
            location: source.location(Span::of(assignment)),
            replacement: set,
            parse_as: None,
        }),
    }
    Ok(Publication { edits, handled })
}

/// Why the publication cannot take over a guarded block (`body`) that
/// names the static again after the store (`used`, a reference that is
/// neither the store nor its NULL check; `check`, the first statement
/// after the store that names it): the real obstacle, in this order. A
/// sibling static stored in the block (`if (head == NULL || tail == NULL)`
/// after `head = ...; tail = ...;`): publishing one alone would show the
/// other unset. A NULL check that tests something else too (`if (fn ==
/// NULL || failed)`): the publication answers only whether the static is
/// NULL. A reference taken after the store (`Py_INCREF(v)`): other threads
/// could see the object before it. Otherwise the block uses the object it
/// published, named with its line.
fn used_after_store(
    file: &FileAnalysis,
    verdict: &Verdict,
    name: &str,
    body: Node,
    check: Option<Node>,
    used: Node,
) -> (Obstacle, String) {
    let source = file.source;
    let bytes = &source.bytes;
    let inside = |n: Node| n.start_byte() >= body.start_byte() && n.end_byte() <= body.end_byte();
    let sibling = file
        .verdicts
        .iter()
        .filter(|v| v.symbol != verdict.symbol && verdict.siblings.contains(&v.symbol))
        .flat_map(|v| v.assignments.iter().map(move |&a| (v.symbol, a)))
        .filter(|&(_, a)| inside(a))
        .min_by_key(|&(_, a)| a.start_byte());
    if let Some((symbol, stored)) = sibling {
        let other = file.resolution.symbols[symbol]
            .candidates
            .first()
            .map_or("another static", |&c| file.candidates[c].name.as_str());
        return (
            Obstacle::Sibling,
            format!(
                "the guarded block also stores `{other}` (line {}), another static filled under \
             the same guard: publishing `{name}` alone would let other threads skip the block \
             and read `{other}` before it is set",
                source.file_line(stored.start_byte())
            ),
        );
    }
    let check_test = check
        .filter(|c| c.kind() == "if_statement")
        .and_then(|c| c.child_by_field_name("condition"))
        .filter(|c| used.start_byte() >= c.start_byte() && used.end_byte() <= c.end_byte());
    if let Some(condition) = check_test {
        return (
            Obstacle::CombinedTest,
            format!(
                "its NULL check after the store (line {}) tests more than whether `{name}` is \
             NULL (`{}`)",
                source.file_line(condition.start_byte()),
                source.text(Span::of(strip_parens(condition)))
            ),
        );
    }
    let call = parse::climb(used, |parent, _| {
        matches!(
            parent.kind(),
            "parenthesized_expression" | "cast_expression"
        )
    })
    .1
    .get(1)
    .filter(|c| c.kind() == "call_expression");
    let callee = call
        .and_then(|c| c.child_by_field_name("function"))
        .and_then(|f| f.utf8_text(bytes).ok());
    if let (Some(call), Some("Py_INCREF" | "Py_XINCREF")) = (call, callee) {
        return (
            Obstacle::Incref,
            format!(
                "the guarded block changes its reference count after the store (`{}` on line \
             {}), which would have to be done before other threads can see the object",
                source.text(Span::of(call)),
                source.file_line(call.start_byte())
            ),
        );
    }
    (
        Obstacle::UsedAfterStore,
        format!(
            "the guarded block uses the object after storing it (on line {}: publishing it \
         first would show other threads an unfinished object)",
            source.file_line(used.start_byte())
        ),
    )
}

/// The first jump in `statement` that can leave the block around it
/// (`return`, `goto`, and `break`/`continue` outside a loop or `switch` of
/// its own), if any.
fn leaves_block(statement: Node) -> Option<Node> {
    first_exit(statement, None)
}

/// The first statement in `node` that leaves the function or the block
/// holding `node`: `return`, `goto`, a `break` or `continue` outside a
/// loop or `switch` of its own, and, given the text, an expression
/// statement spelled `Py_RETURN_…` (`Py_RETURN_NONE`). A preorder walk
/// with its own stack.
pub(crate) fn first_exit<'t>(node: Node<'t>, bytes: Option<&[u8]>) -> Option<Node<'t>> {
    let mut pending = vec![(node, false)];
    while let Some((n, in_loop)) = pending.pop() {
        match n.kind() {
            "return_statement" | "goto_statement" => return Some(n),
            "break_statement" | "continue_statement" if !in_loop => return Some(n),
            "expression_statement"
                if bytes.is_some_and(|b| {
                    n.utf8_text(b)
                        .is_ok_and(|t| t.trim_start().starts_with("Py_RETURN_"))
                }) =>
            {
                return Some(n)
            }
            _ => {}
        }
        let inner = in_loop
            || matches!(
                n.kind(),
                "for_statement" | "while_statement" | "do_statement" | "switch_statement"
            );
        let mut cursor = n.walk();
        pending.extend(n.named_children(&mut cursor).map(|c| (c, inner)));
    }
    None
}

/// `base`, or `base_2`, `base_3`... : the first that no identifier of the
/// file spells, for a local that the rewrite declares.
fn fresh_name(bytes: &[u8], base: &str) -> String {
    let taken = |name: &str| {
        memchr::memmem::find_iter(bytes, name.as_bytes()).any(|at| {
            let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
            let starts = at == 0 || !word(bytes[at - 1]);
            let ends = !bytes.get(at + name.len()).is_some_and(|&b| word(b));
            starts && ends
        })
    };
    (1..)
        .map(|n| {
            if n == 1 {
                base.to_owned()
            } else {
                format!("{base}_{n}")
            }
        })
        .find(|name| !taken(name))
        .expect("some suffix is free")
}

/// Whether `reference` only reads the static's value: it is not the left
/// side of an assignment, the operand of `++`, `--` or `&`, nor an argument
/// of a macro that may assign it (`Py_CLEAR`, `Py_SETREF`, `Py_XSETREF`,
/// or a function-like macro the file defines, listed in `macros`).
pub(crate) fn is_plain_read(reference: Node, bytes: &[u8], macros: &[(String, String)]) -> bool {
    // One descent from the root, however many parentheses.
    let (node, above) = parse::climb(reference, |parent, _| {
        parent.kind() == "parenthesized_expression"
    });
    let Some(parent) = above.first() else {
        return false;
    };
    match parent.kind() {
        "assignment_expression" => {
            parent.child_by_field_name("left").map(|l| l.node_id()) != Some(node.node_id())
        }
        "update_expression" => false,
        "pointer_expression" => {
            parent.child_by_field_name("operator").map(|o| o.kind()) != Some("&")
        }
        "argument_list" => above
            .get(1)
            .filter(|c| c.kind() == "call_expression")
            .and_then(|c| c.child_by_field_name("function"))
            .and_then(|f| f.utf8_text(bytes).ok())
            .is_some_and(|callee| {
                !WRITING_MACROS.contains(&callee) && !macros.iter().any(|(m, _)| m == callee)
            }),
        _ => true,
    }
}

/// The cast that puts `Py_XNewRef`'s `PyObject *` back into the declared
/// type: `(PyTypeObject *)`, or nothing for `PyObject *`.
fn cast_back(type_name: &str) -> String {
    if type_name == "PyObject *" {
        String::new()
    } else {
        format!("({type_name})")
    }
}

/// `span` widened to its whole lines (indentation and line end) when
/// nothing else stands on them.
fn line_span(bytes: &[u8], span: Span) -> Span {
    let start = bytes[..span.start]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let blank = |b: &[u8]| b.iter().all(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'));
    let end = memchr::memchr(b'\n', &bytes[span.end..]).map_or(bytes.len(), |i| span.end + i + 1);
    if blank(&bytes[start..span.start]) && blank(&bytes[span.end..end]) {
        Span { start, end }
    } else {
        span
    }
}

fn insertion(source: &Source, at: usize, text: String) -> Edit {
    Edit {
        path: source.display_path.clone(),
        location: source.location(Span { start: at, end: at }),
        replacement: text,
        parse_as: None,
    }
}

/// The line ending used at `offset`'s line, else the file's first: CRLF
/// files stay CRLF and old Mac files (lone CR) stay CR.
fn line_ending(bytes: &[u8], offset: usize) -> &'static str {
    let ending = |from: usize| {
        memchr::memchr2(b'\n', b'\r', &bytes[from..]).map(|i| {
            match (bytes[from + i], bytes.get(from + i + 1)) {
                (b'\n', _) => "\n",
                (_, Some(b'\n')) => "\r\n",
                _ => "\r",
            }
        })
    };
    ending(offset).or_else(|| ending(0)).unwrap_or("\n")
}

/// The offset just after the line break that ends `offset`'s line, if any.
fn next_line_start(bytes: &[u8], offset: usize) -> Option<usize> {
    let i = offset + memchr::memchr2(b'\n', b'\r', &bytes[offset..])?;
    Some(if bytes[i..].starts_with(b"\r\n") {
        i + 2
    } else {
        i + 1
    })
}

/// The whitespace before `offset` on its line, if only whitespace precedes it.
fn indentation(bytes: &[u8], offset: usize) -> &str {
    let start = bytes[..offset]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let prefix = &bytes[start..offset];
    if prefix.iter().all(|b| *b == b' ' || *b == b'\t') {
        std::str::from_utf8(prefix).unwrap_or("")
    } else {
        ""
    }
}

fn declaration_edit(
    file: &FileAnalysis,
    declaration: Node,
    macros: &HashMap<usize, &'static str>,
) -> Edit {
    let source = file.source;
    let bytes = &source.bytes;
    let eol = line_ending(bytes, declaration.start_byte());
    let indent = indentation(bytes, declaration.start_byte());
    // The rewritten lines, and the same lines as the C they expand to.
    let mut lines: Vec<String> = Vec::new();
    let mut parsed: Vec<String> = Vec::new();
    let mut kept: Vec<&str> = Vec::new();
    let mut first_declarator = None;
    let mut cursor = declaration.walk();
    for declarator in declaration.children_by_field_name("declarator", &mut cursor) {
        first_declarator.get_or_insert(declarator.start_byte());
        let site = macros.iter().find_map(|(&c, &declare)| {
            let candidate = &file.candidates[c];
            (candidate.declarator.node_id() == declarator.node_id()).then_some((candidate, declare))
        });
        match site {
            Some((c, declare)) => {
                lines.push(format!("{declare}({}, {});", c.type_name, c.name));
                parsed.push(format!("static {} {};", c.type_name, c.name));
            }
            None => kept.push(source.text(Span::of(declarator))),
        }
    }
    if !kept.is_empty() {
        let prefix =
            &bytes[declaration.start_byte()..first_declarator.unwrap_or(declaration.start_byte())];
        let rest = format!("{}{};", String::from_utf8_lossy(prefix), kept.join(", "));
        lines.push(rest.clone());
        parsed.push(rest);
    }
    let separator = format!("{eol}{indent}");
    Edit {
        path: source.display_path.clone(),
        location: source.location(Span::of(declaration)),
        replacement: lines.join(&separator),
        parse_as: Some(parsed.join(&separator)),
    }
}

/// The runtime include, after the last `#include` that is unconditional
/// relative to the first rewritten declaration; `None` if already there.
/// Only the declaration's own file counts (in a unit's text, the includes
/// of the other files are not where the declaration's file is edited).
fn include_edit(
    file: &FileAnalysis,
    includes: &[Node],
    declarations: &[Node],
    options: &RewriteOptions,
) -> Option<Edit> {
    let source = file.source;
    let bytes = &source.bytes;
    let first = declarations.first()?;
    let line = format!("#include {}", options.runtime_include);
    let mut anchor = None;
    for &include in includes {
        if include.start_byte() >= first.start_byte() {
            break;
        }
        if !source.same_file(include.start_byte(), first.start_byte()) {
            continue;
        }
        let path = include
            .child_by_field_name("path")
            .map(|p| source.text(Span::of(p)).trim().to_owned());
        if path.as_deref() == Some(options.runtime_include.trim()) {
            return None;
        }
        let in_function = parse::enclosing_function(include).is_some();
        if !in_function && encloses_all_preproc(include, *first) {
            // Right after Python.h, before the file's own headers and
            // macros, which may define names the runtime uses.
            if anchor.is_some_and(|a| is_python_h(file, a)) {
                continue;
            }
            anchor = Some(include);
        }
    }
    // The inserted line ends as the line before it does, or, at the top
    // of the file, as the file's first line (a CRLF header inlined in an
    // LF unit: not as the unit's first line).
    let eol = line_ending(
        bytes,
        anchor.map_or_else(
            || source.file_start(first.start_byte()),
            |include| include.start_byte(),
        ),
    );
    let (at, text) = match anchor {
        Some(include) => {
            // The directive's node ends after its line break (a lone CR
            // too, as tree-sitter is given it).
            let end = include.end_byte();
            if end > 0 && matches!(bytes[end - 1], b'\n' | b'\r') {
                (end, format!("{line}{eol}"))
            } else {
                match next_line_start(bytes, end) {
                    Some(at) => (at, format!("{line}{eol}")),
                    None => (bytes.len(), format!("{eol}{line}{eol}")),
                }
            }
        }
        None => {
            // After a byte order mark, which must stay the file's first bytes.
            let start = source.file_start(first.start_byte());
            let bom = crate::scan::source::BOM;
            let at = if bytes[start..].starts_with(bom) {
                start + bom.len()
            } else {
                start
            };
            (at, format!("{line}{eol}"))
        }
    };
    Some(insertion(source, at, text))
}

/// The identifiers of the runtime header (`runtime/oncevar.h`) that a
/// macro of the same name would break (`index`, `keys`, `value`…). Names of
/// the C API's own spelling (`Py…`, `_Py…`, `PY…`) are left out: a file's
/// compatibility shims define those.
fn runtime_words() -> &'static std::collections::HashSet<&'static str> {
    static WORDS: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        runtime_code()
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|w| w.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'))
            .filter(|w| !w.starts_with("Py") && !w.starts_with("_Py") && !w.starts_with("PY"))
            .collect()
    })
}

/// The runtime header's text without its comments (each comment is one
/// space): the code a macro could change. The header holds no string or
/// character literal with a comment opener in it.
fn runtime_code() -> &'static str {
    static CODE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    CODE.get_or_init(|| {
        let mut code = String::new();
        let mut rest = crate::runtime::HEADER;
        loop {
            let block = rest.find("/*");
            let line = rest.find("//");
            let (at, end) = match (block, line) {
                (Some(b), l) if l.is_none_or(|l| b < l) => {
                    (b, rest[b..].find("*/").map(|e| b + e + 2))
                }
                (_, Some(l)) => (l, rest[l..].find('\n').map(|e| l + e)),
                _ => break,
            };
            code.push_str(&rest[..at]);
            code.push(' ');
            rest = end.map_or("", |e| &rest[e..]);
        }
        code.push_str(rest);
        code
    })
}

/// The runtime header's identifiers that are followed by `(` (calls,
/// function-like macros, declarators of functions): the only ones a
/// function-like macro of the same name expands.
fn runtime_called_words() -> &'static std::collections::HashSet<&'static str> {
    static WORDS: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        let header = runtime_code();
        runtime_words()
            .iter()
            .copied()
            .filter(|w| {
                header.match_indices(w).any(|(at, _)| {
                    let word_start =
                        !header[..at].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
                    let after = header[at + w.len()..].trim_start();
                    word_start && after.starts_with('(')
                })
            })
            .collect()
    })
}

/// Whether a macro named `name` (function-like when `called`) would change
/// the runtime header's text: an object-like macro replaces every
/// occurrence of its name, a function-like one only those followed by `(`.
fn breaks_runtime(name: &str, called: bool) -> bool {
    if called {
        runtime_called_words().contains(name)
    } else {
        runtime_words().contains(name)
    }
}

/// The `#define NAME` (true) and `#undef NAME` (false) lines of `text`, in
/// order, with the name and whether it is function-like (`(` right after
/// the name).
fn define_lines(text: &str) -> impl Iterator<Item = (bool, &str, bool)> {
    text.lines().filter_map(|line| {
        let directive = line.trim_start().strip_prefix('#')?.trim_start();
        let (define, rest) = if let Some(rest) = directive.strip_prefix("define") {
            (true, rest)
        } else {
            (false, directive.strip_prefix("undef")?)
        };
        if !rest.starts_with([' ', '\t']) {
            return None;
        }
        let rest = rest.trim_start();
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        Some((define, &rest[..len], rest[len..].starts_with('(')))
    })
}

/// Whether a file defines a macro named like an identifier of the runtime
/// header: such a file must stay in a unit whose fix includes the runtime
/// after it (see [`macros_breaking_runtime`]), even when it names no
/// static. Found through the word `define`, so most files are not read
/// line by line.
pub fn defines_runtime_word(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"define").is_some()
        && define_lines(&String::from_utf8_lossy(bytes))
            .any(|(define, name, called)| define && breaks_runtime(name, called))
}

/// The macros that the text defines (and has not undefined) before
/// `offset`, a byte offset into a file or a unit's text (whose inlined
/// headers count where they are inlined), whose names the runtime header
/// uses as identifiers (see [`runtime_words`]): included there, the header
/// would not compile.
fn macros_breaking_runtime(bytes: &[u8], offset: usize) -> Vec<String> {
    let text = String::from_utf8_lossy(&bytes[..offset.min(bytes.len())]);
    let mut defined: Vec<String> = Vec::new();
    for (define, name, called) in define_lines(&text) {
        defined.retain(|d| d != name);
        if define && breaks_runtime(name, called) {
            defined.push(name.to_owned());
        }
    }
    defined.sort();
    defined.dedup();
    defined
}

/// The runtime's include (`include`, where [`include_edit`] puts it, after
/// which macros still define `polluting` names that the header uses) moved
/// after the file's last `#undef` of one of those names that comes before
/// `first` (the file's first declaration to rewrite), at file scope and in
/// effect wherever `first` is: when no such macro is left defined there
/// (the polluting header came before `<Python.h>`, and the file undefines
/// its names after its includes). `None` when there is no such `#undef`, or
/// a polluting name is still defined after it.
fn include_after_undefs(
    file: &FileAnalysis,
    include: &Edit,
    first: Node,
    polluting: &[String],
) -> Option<Edit> {
    let source = file.source;
    let bytes = &source.bytes;
    // `#undef` is a `preproc_call` whose directive is `#undef` (also
    // spelled `#  undef`).
    let undef = memchr::memmem::find_iter(bytes, b"undef")
        .filter_map(|at| file.root.descendant_for_byte_range(at, at + 5))
        .filter(|d| {
            d.kind() == "preproc_directive"
                && d.utf8_text(bytes)
                    .is_ok_and(|t| t.trim_start_matches('#').trim() == "undef")
        })
        .filter_map(|d| d.parent().filter(|p| p.kind() == "preproc_call"))
        .filter(|d| {
            d.start_byte() >= include.location.span.start
                && d.end_byte() <= first.start_byte()
                && source.same_file(d.start_byte(), first.start_byte())
                && parse::enclosing_function(*d).is_none()
                && encloses_all_preproc(*d, first)
                && d.child_by_field_name("argument").is_some_and(|a| {
                    polluting
                        .iter()
                        .any(|p| source.text(Span::of(a)).trim() == p)
                })
        })
        .last()?;
    // The directive's node ends after its line break.
    let at = undef.end_byte();
    if !(at > 0 && matches!(bytes[at - 1], b'\n' | b'\r')) {
        return None;
    }
    if !macros_breaking_runtime(bytes, source.resume_in_file(at)).is_empty() {
        return None;
    }
    Some(insertion(source, at, include.replacement.clone()))
}

/// Whether an include directive includes `Python.h`.
fn is_python_h(file: &FileAnalysis, include: Node) -> bool {
    include.child_by_field_name("path").is_some_and(|p| {
        let path = file.source.text(Span::of(p)).trim();
        path == "<Python.h>" || path == "\"Python.h\""
    })
}

/// Whether every preprocessor conditional around `include` also encloses
/// `target`: the include is then in effect wherever the target is.
fn encloses_all_preproc(include: Node, target: Node) -> bool {
    parse::ancestors(include).into_iter().all(|n| {
        !n.kind().starts_with("preproc_")
            || (n.start_byte() <= target.start_byte() && target.end_byte() <= n.end_byte())
    })
}

/// Reasons that make every fix in the file unsafe.
fn file_reasons(
    file: &FileAnalysis,
    includes: &[Node],
    macros: &[(String, String)],
) -> Vec<Reason> {
    let defines = |name: &str| macros.iter().any(|(m, _)| m == name);
    let mut reasons = Vec::new();
    // The runtime needs the full C API (PyInterpreterState_GetDict).
    if defines("Py_LIMITED_API") {
        reasons.push(Reason::new(
            ReasonKind::Build,
            "the file defines Py_LIMITED_API, and the runtime needs the full C API",
        ));
    }
    // CPython's own core (Objects/, Python/) includes internal `pycore_`
    // headers without declaring itself an extension module.
    let internal = includes.iter().any(|i| {
        i.child_by_field_name("path")
            .is_some_and(|p| file.source.text(Span::of(p)).starts_with("\"pycore_"))
    });
    // A file that names Py_BUILD_CORE_MODULE (defines it, or requires it
    // with `#ifndef Py_BUILD_CORE_MODULE` / `#error`) is an extension module.
    let text = String::from_utf8_lossy(&file.source.bytes);
    let mentions = |name: &str| parse::word_ends(&text, name).next().is_some();
    if internal && !mentions("Py_BUILD_CORE_MODULE") && !defines("Py_BUILD_CORE_BUILTIN") {
        reasons.push(Reason::new(
            ReasonKind::Build,
            "CPython core code (it includes internal pycore_ headers and is no extension \
             module) can run before an interpreter's dict exists or after it is cleared, \
             where the public-API runtime has no slot",
        ));
    }
    reasons
}

/// The functions of the unit that a process exit hook runs: each function
/// named as the argument of `Py_AtExit`, `atexit` or `on_exit`, and what it
/// reaches. `Py_AtExit`'s callbacks run after the interpreter is finalised
/// and C's `atexit` ones after `main` returns: no interpreter is current,
/// so no per-interpreter slot can be found there. And the functions the
/// unit hands to a call not known to run them with an interpreter
/// ([`Handoffs`]): kept for an exit hook, run anywhere, or given to
/// another unit's function, which the scan reads.
pub(crate) struct ExitHooks {
    /// Each hook with the function or macro that registers it.
    hooks: Vec<(FunctionId, String)>,
    reach: Reach,
    /// Each function handed away where it may run with no interpreter,
    /// with what it reaches.
    handed: Vec<HandedFunction>,
}

/// A function of the unit handed to a call ([`ExitHooks::handed`]).
struct HandedFunction {
    function: FunctionId,
    /// The function as handed: `` `camera_quit` ``, or `` `camera_quit`
    /// (in `camera_hooks`) `` through a table.
    given: String,
    /// Whether it is stored in `callee` (a variable) rather than handed
    /// to it.
    stores: bool,
    /// The function whose body hands it, and the callee (or the call
    /// through a pointer) as written.
    hander: String,
    callee: String,
    /// Where the callee is named.
    call: Span,
    handed: Handed,
    reach: Reach,
}

impl ExitHooks {
    /// The unit's exit hooks ([`handoff::exit_hooks`]) and the functions
    /// it hands away ([`Handoffs::of_value`] at each place a function of
    /// the unit is named as a value, itself or through a table of the
    /// unit that holds it).
    pub(crate) fn of(graph: &CallGraph, root: Node, bytes: &[u8]) -> ExitHooks {
        ExitHooks::from_handoffs(graph, &Handoffs::of(graph, root, bytes), bytes)
    }

    /// [`ExitHooks::of`], from the unit's [`Handoffs`] already read.
    fn from_handoffs(graph: &CallGraph, handoffs: &Handoffs, bytes: &[u8]) -> ExitHooks {
        let mut handed = Vec::new();
        for function in 0..graph.functions().len() {
            for (from, edge) in graph
                .callers(function)
                .filter(|(_, e)| e.kind == EdgeKind::Reference)
            {
                for (how, at) in handoffs.of_value(edge.site) {
                    // A hook of a registrar the unit names: its own reason.
                    if matches!(how, Handed::Exit(_))
                        && handoffs.hooks.iter().any(|(hook, _)| *hook == function)
                    {
                        continue;
                    }
                    let callee = at.utf8_text(bytes).unwrap_or_default();
                    // A store (`quit_table[n] = drop;`), or a call.
                    let stores = at.parent().is_some_and(|p| {
                        p.kind() == "assignment_expression"
                            && p.child_by_field_name("left") == Some(at)
                    });
                    // Through a table of the unit that holds it.
                    let table = edge.site.utf8_text(bytes).unwrap_or_default();
                    let name = &graph.functions()[function].name;
                    let given = if table == name {
                        format!("`{name}`")
                    } else {
                        format!("`{name}` (in `{table}`)")
                    };
                    handed.push(HandedFunction {
                        function,
                        given,
                        stores,
                        hander: graph.functions()[from].name.clone(),
                        callee: callee.split_whitespace().collect::<Vec<_>>().join(" "),
                        call: Span::of(at),
                        handed: how,
                        reach: graph.reach([function]),
                    });
                }
            }
        }
        ExitHooks {
            hooks: handoffs.hooks.clone(),
            reach: handoffs.reach.clone(),
            handed,
        }
    }

    /// Why `name` cannot become a per-interpreter slot when one of its
    /// `references` lies in code an exit hook runs: `Py_ONCEVAR(name)` there
    /// would ask for the current interpreter where there is none, a fatal
    /// error at every exit. The reason names the hook and the path.
    fn reason(
        &self,
        graph: &CallGraph,
        source: &Source,
        references: &[Node],
        name: &str,
    ) -> Option<Reason> {
        if self.hooks.is_empty() {
            return None;
        }
        for &reference in references {
            let Some(function) = graph.function_at(reference) else {
                continue;
            };
            let Some(path) = self.reach.path(function) else {
                continue;
            };
            let registrar = self
                .hooks
                .iter()
                .find(|(hook, _)| *hook == path[0])
                .map_or("an exit hook", |(_, r)| r.as_str());
            let used = &graph.functions()[function].name;
            let place = if path.len() == 1 {
                format!("`{name}` is used in `{used}`, which `{registrar}` runs at exit")
            } else {
                format!(
                    "`{name}` is used in `{used}`, which `{}` reaches, a function `{registrar}` \
                     runs at exit ({})",
                    graph.functions()[path[0]].name,
                    graph.describe_path(&path)
                )
            };
            return Some(
                Reason::new(
                    ReasonKind::InitPhase,
                    format!(
                        "{place}: no interpreter is current there, so a per-interpreter slot \
                         cannot be found (a fatal error at every exit)"
                    ),
                )
                .at(&source.display_path, source.location(Span::of(reference))),
            );
        }
        None
    }

    /// Why `name` cannot become a per-interpreter slot when one of its
    /// `references` lies in code of a function the unit hands away where it
    /// may run with no interpreter (kept for an exit hook, run anywhere):
    /// the reason names the call that hands it. A function handed to
    /// another unit's function is for the scan to decide: it comes back as
    /// a [`HandedAway`] to put on the fix.
    fn handed_reason(
        &self,
        graph: &CallGraph,
        source: &Source,
        references: &[Node],
        name: &str,
    ) -> (Option<Reason>, Vec<HandedAway>) {
        let mut away = Vec::new();
        for handed in &self.handed {
            for &reference in references {
                let Some(function) = graph.function_at(reference) else {
                    continue;
                };
                let Some(path) = handed.reach.path(function) else {
                    continue;
                };
                let message = handed_message(graph, handed, &path, name);
                let at = FileLocation {
                    path: source.display_path.clone(),
                    location: source.location(handed.call),
                };
                let message = match &handed.handed {
                    Handed::Exit(how) => {
                        format!("{message}, where {how}: {NO_INTERPRETER_AT_EXIT}")
                    }
                    Handed::Unknown(why) => format!("{message}: {why}, {UNKNOWN_CONTEXT}"),
                    Handed::Outside { callee, position } => {
                        away.push(HandedAway {
                            callee: callee.clone(),
                            position: *position,
                            message,
                            at: Some(at),
                        });
                        break;
                    }
                };
                let reason = Reason::new(ReasonKind::InitPhase, message).at(&at.path, at.location);
                return (Some(reason), Vec::new());
            }
        }
        (None, away)
    }
}

/// Where a unit runs another unit's function (linked by name) where no
/// thread state may be held, as [`stateless_uses`] finds it: each with
/// where, as the end of a sentence (`` b.c hands `module_cleanup` to
/// `Py_AtExit` on line 6 (in `m_exec`), where `Py_AtExit` runs it at
/// exit ``).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Stateless {
    /// At process exit, with no interpreter current.
    AtExit(String),
    /// Where the thread holds no thread state (the GIL released, another
    /// thread's callback, a signal handler).
    NoThreadState(String),
    /// Where oncevar cannot tell when and on which thread (a call through
    /// a pointer, a value returned): where, and why.
    Unknown(String),
    /// Handed on to `callee`, a function (with the argument's `position`)
    /// or a variable (`None`) that the unit does not define: for the scan
    /// to follow as a [`HandedAway`] of the fix, at `at`.
    Away {
        /// The function or variable.
        callee: String,
        /// The argument's position.
        position: Option<usize>,
        /// Where, as for the other kinds.
        place: String,
        /// Where the call is.
        at: FileLocation,
    },
}

/// For each place of the unit (its tree's `root`, over `bytes`, with its
/// call `graph`) that names a function of `names` it does not define
/// ([`CallGraph::uses_of`]), where it may run with no thread state: handed
/// to an exit registrar or to a call that may run it anywhere
/// ([`Handoffs`]), named in a function an exit hook of the unit reaches or
/// that the unit hands away ([`ExitHooks`]), or called where the thread
/// holds no state ([`ThreadStates`]). `at` gives the file and location of
/// a span of the unit's text. In source order; a place with none of these
/// gives nothing.
pub(crate) fn stateless_uses<'n>(
    graph: &CallGraph,
    root: Node,
    bytes: &[u8],
    names: &'n [String],
    at: &dyn Fn(Span) -> FileLocation,
) -> Vec<(&'n str, Stateless)> {
    let uses = graph.uses_of(root, bytes, names);
    if uses.is_empty() {
        return Vec::new();
    }
    let handoffs = Handoffs::of(graph, root, bytes);
    let hooks = ExitHooks::from_handoffs(graph, &handoffs, bytes);
    let states = ThreadStates::of(graph, root, bytes);
    // What any handed function reaches: a place outside it needs no look
    // at each of them.
    let handed_reach = graph.reach(hooks.handed.iter().map(|h| h.function));
    let line_of = |offset: usize| {
        at(Span {
            start: offset,
            end: offset,
        })
        .location
        .start
        .line
    };
    let functions = graph.functions();
    let mut found = Vec::new();
    for (name, node) in uses {
        let here = at(Span::of(node));
        let file = &here.path;
        let line = here.location.start.line;
        let function = graph.function_at(node);
        let inside =
            function.map_or_else(String::new, |f| format!(" (in `{}`)", functions[f].name));
        // Named as a value in a function: where it goes (a table's entry
        // is read by its readers, below, or at run time).
        let values = match function {
            Some(_) => handoffs.of_foreign_value(node),
            None => Vec::new(),
        };
        for (how, call) in values {
            let callee = call.utf8_text(bytes).unwrap_or_default();
            let callee = callee.split_whitespace().collect::<Vec<_>>().join(" ");
            let place = format!("{file} hands `{name}` to `{callee}` on line {line}{inside}");
            found.push((
                name,
                match how {
                    Handed::Exit(how) => Stateless::AtExit(format!("{place}, where {how}")),
                    Handed::Unknown(why) => Stateless::Unknown(format!("{place}: {why}")),
                    Handed::Outside { callee, position } => Stateless::Away {
                        callee,
                        position,
                        place,
                        at: at(Span::of(call)),
                    },
                },
            ));
        }
        // The functions whose code names it: the one it is in, or those
        // reading the unit's own table that holds it.
        let (places, in_table) = match function {
            Some(function) => (vec![function], false),
            None => match graph.initialiser_readers(node, bytes) {
                Readers::Functions(readers) => (readers, true),
                Readers::RunTime | Readers::Unknown => (Vec::new(), true),
            },
        };
        let named = |user: &str| {
            if in_table {
                format!("{file} names `{name}` on line {line} in a table that `{user}` reads")
            } else {
                format!("{file} names `{name}` on line {line} in `{user}`")
            }
        };
        let mut decided = false;
        for &place in &places {
            let user = &functions[place].name;
            // In code an exit hook of the unit runs.
            if let Some(path) = hooks.reach.path(place) {
                let registrar = hooks
                    .hooks
                    .iter()
                    .find(|(hook, _)| *hook == path[0])
                    .map_or("an exit hook", |(_, r)| r.as_str());
                let place = if path.len() == 1 {
                    format!("{}, which `{registrar}` runs at exit", named(user))
                } else {
                    format!(
                        "{}, which `{}` reaches, a function `{registrar}` runs at exit ({})",
                        named(user),
                        functions[path[0]].name,
                        graph.describe_path(&path)
                    )
                };
                found.push((name, Stateless::AtExit(place)));
                decided = true;
                break;
            }
            // In code the unit hands away.
            let handed = handed_reach.contains(place).then(|| {
                hooks
                    .handed
                    .iter()
                    .find_map(|h| h.reach.path(place).map(|p| (h, p)))
            });
            if let Some((handed, path)) = handed.flatten() {
                let given = &functions[handed.function].name;
                let via = if path.len() > 1 {
                    format!(", which `{given}` reaches ({})", graph.describe_path(&path))
                } else {
                    String::new()
                };
                let action = if handed.stores {
                    format!("stores {} in", handed.given)
                } else {
                    format!("hands {} to", handed.given)
                };
                let place = format!(
                    "{}{via}, and `{}` {action} `{}`",
                    named(user),
                    handed.hander,
                    handed.callee
                );
                found.push((
                    name,
                    match &handed.handed {
                        Handed::Exit(how) => Stateless::AtExit(format!("{place}, where {how}")),
                        Handed::Unknown(why) => Stateless::Unknown(format!("{place}: {why}")),
                        Handed::Outside { callee, position } => Stateless::Away {
                            callee: callee.clone(),
                            position: *position,
                            place,
                            at: at(handed.call),
                        },
                    },
                ));
                decided = true;
                break;
            }
        }
        let Some(function) = function.filter(|_| !decided) else {
            continue;
        };
        let user = &functions[function].name;
        // Called where the thread holds no thread state.
        let called = node.parent().is_some_and(|p| {
            p.kind() == "call_expression" && p.child_by_field_name("function") == Some(node)
        });
        if called {
            if let Some(condition) = states.condition(graph, function, node.start_byte(), &line_of)
            {
                found.push((
                    name,
                    Stateless::NoThreadState(format!(
                        "{file} calls `{name}` on line {line} in `{user}`{condition}"
                    )),
                ));
            }
        }
    }
    found
}

/// The start of a reason about a handed function: `` `camera_list` is used
/// in `camera_quit`, and `list_cameras` hands `camera_quit` to
/// `register_quit` ``.
fn handed_message(
    graph: &CallGraph,
    handed: &HandedFunction,
    path: &[FunctionId],
    name: &str,
) -> String {
    let used = &graph.functions()[path[path.len() - 1]].name;
    let given = &graph.functions()[handed.function].name;
    let via = if path.len() > 1 {
        format!(", which `{given}` reaches ({})", graph.describe_path(path))
    } else {
        String::new()
    };
    let action = if handed.stores {
        format!("stores {} in", handed.given)
    } else {
        format!("hands {} to", handed.given)
    };
    format!(
        "`{name}` is used in `{used}`{via}, and `{}` {action} `{}`",
        handed.hander, handed.callee
    )
}

/// How a reason about a function run at exit ends.
pub(crate) const NO_INTERPRETER_AT_EXIT: &str = "no interpreter is current there, so a \
    per-interpreter slot cannot be found (a fatal error at every exit)";

/// How a reason about a function run where oncevar cannot tell ends.
pub(crate) const UNKNOWN_CONTEXT: &str = "so when and on which thread it runs is unknown, and \
    a per-interpreter slot needs a current interpreter (with none, `Py_ONCEVAR` is a fatal error)";

/// What the entry points for other units reach together, and each of them
/// with what it reaches alone, made when first asked for: a function
/// (its name is the entry's) or the functions of a table with external
/// linkage (the table's name is the entry's, [`CallGraph::outside_tables`]).
type OutsideReach = (Reach, Vec<(Entry, std::sync::OnceLock<Reach>)>);

/// An entry point for other units: one function, or a table of them.
enum Entry {
    Function(FunctionId),
    Table(String, Vec<FunctionId>),
}

/// The module inits of the unit that may run once per process (a
/// single-phase init with `m_size` -1, or one the unit cannot tell), each
/// with what it reaches and why it runs once.
pub(crate) struct OnceInits {
    pub(crate) inits: Vec<(FunctionId, InitOnce, Reach)>,
    /// What the unit's entry points for other units
    /// ([`CallGraph::outside_entries`]) reach together, and each of them
    /// with what it reaches alone (made when that reach is first asked
    /// for), made on the first [`OnceInits::outside_entries`]: a unit
    /// exports hundreds of functions, and few reach a fill.
    outside: std::sync::OnceLock<OutsideReach>,
}

impl OnceInits {
    pub(crate) fn of(graph: &CallGraph) -> OnceInits {
        let inits = graph
            .module_inits()
            .iter()
            .filter_map(|init| match init.once(graph) {
                InitOnce::PerInterpreter => None,
                once => Some((init.function, once, graph.reach([init.function]))),
            })
            .collect();
        OnceInits {
            inits,
            outside: std::sync::OnceLock::new(),
        }
    }

    /// The writes of `name` that functions only other units call reach
    /// (external linkage, reached by no root of the unit), one per such
    /// function and write: whether another unit's single-phase init calls
    /// it is for the scan to tell, which links the tree's units by name.
    fn outside_entries(
        &self,
        graph: &CallGraph,
        source: &Source,
        verdict: &Verdict,
        name: &str,
    ) -> Vec<OutsideEntry> {
        self.outside_paths(graph, source, &verdict.assignments, name)
    }

    /// The uses of `name` (its `references`) that functions only other
    /// units call reach, one per such function and function using it
    /// (the first use there): whether another unit calls one where no
    /// thread state is held is for the scan to tell.
    fn outside_uses(
        &self,
        graph: &CallGraph,
        source: &Source,
        references: &[Node],
        name: &str,
    ) -> Vec<OutsideEntry> {
        let mut seen = HashSet::new();
        let first: Vec<Node> = references
            .iter()
            .copied()
            .filter(|&r| seen.insert(graph.function_at(r)))
            .collect();
        self.outside_paths(graph, source, &first, name)
    }

    /// For each of `nodes` (writes or uses of `name`) in a function that
    /// an entry point for other units reaches, one [`OutsideEntry`] per
    /// such entry, with the path from it.
    fn outside_paths(
        &self,
        graph: &CallGraph,
        source: &Source,
        nodes: &[Node],
        name: &str,
    ) -> Vec<OutsideEntry> {
        let (all, outside) = self.outside.get_or_init(|| {
            let entries = graph.outside_entries();
            let tables = graph.outside_tables();
            let all = graph.reach(
                entries
                    .iter()
                    .copied()
                    .chain(tables.iter().flat_map(|t| t.1.iter().copied())),
            );
            let each = entries
                .into_iter()
                .map(Entry::Function)
                .chain(
                    tables
                        .iter()
                        .map(|(name, functions)| Entry::Table(name.clone(), functions.clone())),
                )
                .map(|e| (e, std::sync::OnceLock::new()))
                .collect();
            (all, each)
        });
        let at = |node: Node| {
            Some(FileLocation {
                path: source.display_path.clone(),
                location: source.location(Span::of(node)),
            })
        };
        let mut found = Vec::new();
        for &write in nodes {
            let Some(function) = graph.function_at(write) else {
                continue;
            };
            if !all.contains(function) {
                continue;
            }
            for (entry, reach) in outside {
                let reach = reach.get_or_init(|| match entry {
                    Entry::Function(f) => graph.reach([*f]),
                    Entry::Table(_, functions) => graph.reach(functions.iter().copied()),
                });
                let Some(path) = reach.path(function) else {
                    continue;
                };
                let functions = graph.functions();
                let mut steps: Vec<(String, Option<FileLocation>)> = path
                    .iter()
                    .map(|&f| (functions[f].name.clone(), at(functions[f].node)))
                    .collect();
                let entry = match entry {
                    Entry::Function(f) => functions[*f].name.clone(),
                    // The table first: the unit that walks it names it.
                    Entry::Table(table, _) => {
                        let first = path.first().map(|&f| functions[f].node);
                        steps.insert(0, (table.clone(), first.and_then(at)));
                        table.clone()
                    }
                };
                found.push(OutsideEntry {
                    entry,
                    path: steps,
                    variable: name.to_owned(),
                    at: at(write),
                });
            }
        }
        found
    }

    /// Why a fix of `name` cannot be justified when one of its writes lies
    /// in code that a once-per-process module init reaches: a later
    /// interpreter gets a copy of the first one's module dict and never
    /// runs that code, so its own slot would stay empty, or hold another
    /// object than the one the module exposes. The reason names the path
    /// (`PyInit_x → add_types → make_error`).
    fn reason(
        &self,
        graph: &CallGraph,
        source: &Source,
        verdict: &Verdict,
        name: &str,
    ) -> Option<Reason> {
        for &write in &verdict.assignments {
            let Some(function) = graph.function_at(write) else {
                continue;
            };
            for (init, once, reach) in &self.inits {
                let Some(path) = reach.path(function) else {
                    continue;
                };
                let written = &graph.functions()[function].name;
                let init = &graph.functions()[*init].name;
                let place = if path.len() == 1 {
                    format!("`{name}` is written in the module init `{init}`")
                } else {
                    format!(
                        "`{name}` is written in `{written}`, which the module init reaches ({})",
                        graph.describe_path(&path)
                    )
                };
                let message = match once {
                    InitOnce::OncePerProcess(how) => format!(
                        "{place}, a single-phase init that runs once per process ({how}): a \
                         later interpreter gets a copy of the first one's module dict and never \
                         runs it, so its own slot would stay empty or hold another object than \
                         the module exposes"
                    ),
                    InitOnce::Unknown(why) => format!(
                        "{place}, and whether that init runs once per process (single-phase, \
                         m_size -1) is unknown: {why}"
                    ),
                    InitOnce::PerInterpreter => continue,
                };
                return Some(
                    Reason::new(ReasonKind::InitPhase, message)
                        .at(&source.display_path, source.location(Span::of(write))),
                );
            }
        }
        None
    }
}

fn function_of(node: Node) -> Option<NodeId> {
    parse::enclosing_function(node).map(|f| f.node_id())
}

/// Whether the site's key owns its reference (`Py_ONCEVAR_DECLARE`) or
/// borrows it (`Py_ONCEVAR_DECLARE_BORROWED`), with the rule that decided
/// when it is not the plain "the slot owns what it stores".
///
/// A function that initialises the site hands the reference away with
/// `Py_DECREF(v)` not followed by `v = NULL`, or by passing `v` to a call
/// that steals it ([`Unit::steals`]: `PyModule_AddObject(m, "x", v)`,
/// `Py_XSETREF(other, v)`, a function of the unit that hands its parameter
/// to one) without a `Py_INCREF(v)` first: the static then only borrows the
/// object. A `Py_DECREF(v)` on an
/// error path (every path after it returns an error value of the
/// function, [`Unit::exit_after`]) gives nothing away: on success the slot
/// keeps its reference. When that cannot be told, the key borrows (a leak
/// rather than an over-release) and `unknown` says why the fix is unsafe.
struct KeyOwnership {
    owning: bool,
    note: Option<Reason>,
    unknown: Option<Reason>,
}

fn key_ownership(file: &FileAnalysis, unit: &Unit, verdict: &Verdict) -> KeyOwnership {
    let bytes = &file.source.bytes;
    let references = &file.resolution.symbols[verdict.symbol].references;
    let line = |n: Node| file.source.file_line(n.start_byte());
    let mut error_path = None;
    let mut unknown = None;
    for &r in references {
        let Some(given) = given_away(file, unit, verdict, r) else {
            continue;
        };
        let (callee, _, call) = parse::call_argument(r, bytes).expect("a call argument");
        let at = |reason: Reason| {
            reason.at(
                &file.source.display_path,
                file.source.location(Span::of(call)),
            )
        };
        match given {
            Ok(true) => {
                return KeyOwnership {
                    owning: false,
                    note: Some(at(Reason::new(
                        ReasonKind::Ownership,
                        format!(
                            "ownership: `{callee}` on line {} gives the reference away, so the \
                             key only borrows (Py_ONCEVAR_DECLARE_BORROWED)",
                            line(call)
                        ),
                    ))),
                    unknown: None,
                };
            }
            Ok(false) => {
                error_path = error_path.or(Some(at(Reason::new(
                    ReasonKind::Ownership,
                    format!(
                        "ownership: the `{callee}` on line {} is on an error path (an error exit \
                         follows it), so the key stays owning",
                        line(call)
                    ),
                ))));
            }
            Err(why) => {
                unknown = unknown.or(Some(at(Reason::new(
                    ReasonKind::Ownership,
                    format!(
                        "ownership: whether the `{callee}` on line {} gives the reference away \
                         is not known ({why}), so the key borrows",
                        line(call)
                    ),
                ))));
            }
        }
    }
    KeyOwnership {
        owning: unknown.is_none(),
        note: if unknown.is_none() { error_path } else { None },
        unknown,
    }
}

/// Whether reference `r`, passed to a release or a stealing call in an
/// initialising function, gives the static's reference away: `Ok(true)`;
/// `Ok(false)` for a `Py_DECREF` on an error path; `Err` with why when
/// that is not known; `None` when `r` is no such argument.
fn given_away(
    file: &FileAnalysis,
    unit: &Unit,
    verdict: &Verdict,
    r: Node,
) -> Option<Result<bool, String>> {
    let bytes = &file.source.bytes;
    let references = &file.resolution.symbols[verdict.symbol].references;
    let (callee, position, call) = parse::call_argument(r, bytes)?;
    let function = function_of(call);
    if function.is_none()
        || !verdict
            .assignments
            .iter()
            .any(|&a| function_of(a) == function)
    {
        return None;
    }
    if position == 0 && refcounts::release(callee).is_some() {
        if crate::analysis::classify::nulled_after(references, call, bytes) {
            return None;
        }
        return Some(match unit.exit_after(call) {
            ownership::Exit::Error => Ok(false),
            ownership::Exit::Success => Ok(true),
            ownership::Exit::Unknown(why) => Err(why),
        });
    }
    if unit.steals_in(call, callee, position).is_some() {
        let increfed = references.iter().any(|&earlier| {
            earlier.end_byte() < call.start_byte()
                && function_of(earlier) == function
                && parse::call_argument(earlier, bytes)
                    .is_some_and(|(c, p, _)| p == 0 && refcounts::incref(c).is_some())
        });
        return (!increfed).then_some(Ok(true));
    }
    None
}

/// Why a write `f(…, &v, …)` cannot be justified, if it cannot: `f` is
/// not defined in the unit (oncevar cannot see whether it stores a strong
/// reference), or what it stores through the parameter is not provably a
/// new reference. `LAZY(v, …)`, a macro of the unit that passes `&(v)` to
/// `f`, is judged as that call of `f`.
fn unjustified_address_write<'t>(
    file: &FileAnalysis<'_, 't>,
    unit: &Unit<'_, 't>,
    write: Node<'t>,
    name: &str,
) -> Option<Reason> {
    if write.kind() != "call_expression" {
        return None;
    }
    let bytes = &file.source.bytes;
    let arguments = write.child_by_field_name("arguments")?;
    let mut cursor = arguments.walk();
    let called = write
        .child_by_field_name("function")?
        .utf8_text(bytes)
        .ok()?;
    let is_reference = |n: Node| file.resolution.refs.contains_key(&n.node_id());
    let (callee, position, spelled) = arguments
        .named_children(&mut cursor)
        .filter(|a| a.kind() != "comment")
        .enumerate()
        .find_map(|(position, a)| {
            let a = strip_parens(a);
            if a.kind() == "pointer_expression" {
                let target = a.child_by_field_name("argument").map(strip_parens)?;
                return is_reference(target)
                    .then(|| (called, position, format!("`{called}(&{name})`")));
            }
            if !is_reference(a) {
                return None;
            }
            let (callee, position, _) = evidence::slot_arguments(a, bytes, &file.macro_addresses)
                .into_iter()
                .next()?;
            Some((
                callee,
                position,
                format!("`{called}({name})` (which passes `&{name}` to `{callee}`)"),
            ))
        })?;
    // CPython's data says the function stores a new reference there
    // (`PyUnicode_InternInPlace(&s)`, also through a macro of the unit).
    if refcounts::new_out_argument(callee) == Some(position) {
        return None;
    }
    let helpers = unit.functions();
    let Some(&helper) = helpers.get(callee.as_bytes()) else {
        return Some(Reason::new(
            ReasonKind::Address,
            format!(
                "`{name}` is written by {spelled}, which is not defined in this file: \
                 oncevar cannot tell whether it stores a strong reference"
            ),
        ));
    };
    // The helper, and the helpers it hands the slot on to.
    for (helper, parameter) in
        crate::analysis::classify::slot_helpers(helpers, helper, position, bytes)
    {
        let parameter = std::str::from_utf8(parameter).ok()?;
        let is_parameter = |n: Node| strip_parens(n).utf8_text(bytes) == Ok(parameter);
        let mut pending = vec![helper];
        while let Some(node) = pending.pop() {
            if let Some(why) = slot_handed_on(helpers, node, &is_parameter, bytes) {
                let helper = parse::function_name(helper, bytes).unwrap_or(callee);
                return Some(Reason::new(
                    ReasonKind::Address,
                    format!("`{helper}` hands `{parameter}` to {why}: oncevar cannot tell whether it stores a strong reference in the slot of `{name}`"),
                ));
            }
            // `*slot = value`, or `Py_SETREF(*slot, value)` (`Py_XSETREF`).
            let store = match called_with(node, bytes) {
                Some((callee, arguments)) if callee.ends_with("SETREF") => {
                    arguments.first().copied().zip(arguments.get(1).copied())
                }
                _ if node.kind() == "assignment_expression" => node
                    .child_by_field_name("left")
                    .zip(node.child_by_field_name("right")),
                _ => None,
            };
            let through_slot = |target: Node| {
                let target = strip_parens(target);
                target.kind() == "pointer_expression"
                    && target
                        .child_by_field_name("argument")
                        .is_some_and(&is_parameter)
            };
            let why = store
                .filter(|&(target, _)| through_slot(target))
                .and_then(|(_, value)| unit.stored_through(helper, value));
            if let Some(why) = why {
                let helper = parse::function_name(helper, bytes).unwrap_or(callee);
                return Some(Reason::new(
                    ReasonKind::Ownership,
                    format!(
                        "`{helper}` stores through `*{parameter}`, and {why}: the slot of \
                         `{name}` would not own what it holds"
                    ),
                ));
            }
            let mut cursor = node.walk();
            pending.extend(node.named_children(&mut cursor));
        }
    }
    None
}

/// What `node`, a call inside a helper that a static's slot is handed to,
/// does with the slot when oncevar cannot follow it: the slot itself
/// (`is_parameter`) passed to a function that is neither defined in the
/// file (`helpers`, which [`slot_helpers`] follows) nor known from
/// CPython's data to store a new reference there
/// (`PyObject_GetOptionalAttrString(mod, name, slot)` without the file's
/// compatibility definition). `None` when it is not such a call.
///
/// [`slot_helpers`]: crate::analysis::classify::slot_helpers
fn slot_handed_on(
    helpers: &HashMap<&[u8], Node>,
    node: Node,
    is_parameter: &dyn Fn(Node) -> bool,
    bytes: &[u8],
) -> Option<String> {
    let (callee, arguments) = called_with(node, bytes)?;
    let position = arguments.iter().position(|a| is_parameter(*a))?;
    if helpers.contains_key(callee.as_bytes())
        || refcounts::new_out_argument(callee) == Some(position)
    {
        return None;
    }
    Some(format!("`{callee}`, which is not defined in this file"))
}

/// The name a call `node` calls, and its arguments (comments left out);
/// `None` when `node` is no call of a name.
fn called_with<'t, 's>(node: Node<'t>, bytes: &'s [u8]) -> Option<(&'s str, Vec<Node<'t>>)> {
    if node.kind() != "call_expression" {
        return None;
    }
    let function = node.child_by_field_name("function")?;
    let callee = function.utf8_text(bytes).ok()?;
    Some((callee, crate::fix::ownership::arguments(node)))
}

/// Why a reference's rewrite cannot be justified, if it cannot.
enum Unjustified<'t> {
    /// It lies in code that did not parse (its shape is a guess).
    InError,
    /// It lies in a function with a parse error elsewhere (what the error
    /// swallowed may declare a local of the same name, or be the statement
    /// the reference belongs to): the function and the error's offset.
    BrokenFunction(Node<'t>, usize),
    /// It lies outside any function.
    Outside,
}

/// Whether and why a reference's rewrite cannot be justified.
fn unknown_shape(reference: Node) -> Option<Unjustified> {
    // The nearest of the two: in a deep tree, found once for all the
    // references beneath the same chain (parse::nearest_ancestor).
    match parse::nearest_ancestor(reference, parse::Nearest::FunctionOrError) {
        Some(n) if n.kind() == "function_definition" => {
            first_error(n).map(|e| Unjustified::BrokenFunction(n, e))
        }
        Some(_) => Some(Unjustified::InError),
        None => Some(Unjustified::Outside),
    }
}

/// The reasons of the references `unjustified` lists (each with its
/// offset): one per reference in or outside code, one per function with a
/// parse error, naming the lines it uses the static on.
fn unjustified_reasons(
    source: &Source,
    name: &str,
    unjustified: &[(usize, Unjustified)],
) -> Vec<Reason> {
    let mut reasons = Vec::new();
    let mut functions: Vec<(Node, usize, Vec<usize>)> = Vec::new();
    for (at, why) in unjustified {
        let line = source.file_line(*at);
        let place = source.location(Span {
            start: *at,
            end: *at + name.len(),
        });
        match why {
            Unjustified::InError => reasons.push(
                Reason::new(
                    ReasonKind::Parse,
                    format!(
                        "`{name}` is used on line {line} in code that did not parse, so oncevar \
                         cannot tell what the rewrite there would mean"
                    ),
                )
                .at(&source.display_path, place),
            ),
            Unjustified::Outside => reasons.push(
                Reason::new(
                    ReasonKind::Parse,
                    format!(
                        "`{name}` is used outside any function (line {line}), where a \
                         per-interpreter slot cannot be reached"
                    ),
                )
                .at(&source.display_path, place),
            ),
            Unjustified::BrokenFunction(function, error) => {
                match functions
                    .iter_mut()
                    .find(|(f, _, _)| f.node_id() == function.node_id())
                {
                    Some((_, _, lines)) => lines.push(line),
                    None => functions.push((*function, *error, vec![line])),
                }
            }
        }
    }
    for (function, error, mut lines) in functions {
        lines.dedup();
        reasons.push(
            Reason::new(
                ReasonKind::Parse,
                format!(
                    "`{name}` is used in `{}` ({}), which does not parse (line {}), \
                     so oncevar cannot tell what the rewrite there would mean",
                    parse::function_name(function, &source.bytes).unwrap_or("a function"),
                    lines_phrase(&lines),
                    source.file_line(error)
                ),
            )
            .at(
                &source.display_path,
                source.location(Span {
                    start: error,
                    end: error,
                }),
            ),
        );
    }
    reasons
}

/// The offset of the first ERROR or MISSING node in `node`, if any.
fn first_error(node: Node) -> Option<usize> {
    if !node.has_error() {
        return None;
    }
    let mut pending = vec![node];
    let mut first: Option<Node> = None;
    while let Some(n) = pending.pop() {
        if n.is_error() || n.is_missing() {
            if first.is_none_or(|f| n.start_byte() < f.start_byte()) {
                first = Some(n);
            }
            continue;
        }
        if n.has_error() {
            let mut cursor = n.walk();
            pending.extend(n.children(&mut cursor));
        }
    }
    first.map(|n| n.start_byte())
}

/// Why a declaration's rewrite cannot be justified: it holds a parse
/// error, or an ERROR node stands right beside it (error recovery may have
/// cut it off from what it belongs to).
fn broken_declaration(source: &Source, declaration: Node, name: &str) -> Option<Reason> {
    let beside = [declaration.prev_sibling(), declaration.next_sibling()]
        .into_iter()
        .flatten()
        .find(|n| n.is_error());
    let error = source.file_line(first_error(declaration).or(beside.map(|n| n.start_byte()))?);
    Some(Reason::new(
        ReasonKind::Parse,
        format!(
            "the declaration of `{name}` does not parse cleanly (line {error}), so oncevar \
             cannot tell what its rewrite would mean"
        ),
    ))
}

/// `&v` that leaves the function's reach: stored in a table, returned, or
/// kept anywhere but a call argument or a local pointer.
/// The address may be taken through parentheses (`&(v)`) and handed on
/// through casts and parentheses (`(PyObject **)&v`): what holds it is
/// the first node above those.
fn escaping_address(reference: Node, bytes: &[u8]) -> Option<Reason> {
    let mut above =
        parse::ancestors(reference).skip_while(|n| n.kind() == "parenthesized_expression");
    let address = above.next()?;
    if address.kind() != "pointer_expression"
        || address.child_by_field_name("operator").map(|o| o.kind()) != Some("&")
    {
        return None;
    }
    let mut above = above
        .skip_while(|n| matches!(n.kind(), "parenthesized_expression" | "cast_expression"))
        .peekable();
    let holder = *above.peek()?;
    let local = above.any(|n| n.kind() == "function_definition");
    // `slot = &v;` keeps the address in a local pointer; `table[0] = &v;`
    // or `global = &v;` keeps it beyond the function.
    let to_local = || {
        holder
            .child_by_field_name("left")
            .map(strip_parens)
            .filter(|l| l.kind() == "identifier")
            .is_some_and(|l| {
                l.utf8_text(bytes)
                    .is_ok_and(|n| declared_in_function(l, n.as_bytes(), bytes))
            })
    };
    match holder.kind() {
        "argument_list" | "init_declarator" if local => None,
        "assignment_expression" if local && to_local() => None,
        _ => Some(Reason::new(
            ReasonKind::Address,
            format!(
                "the address of `{}` escapes ({}), so a pointer to it may outlive its interpreter",
                reference.utf8_text(bytes).unwrap_or(""),
                holder.kind().replace('_', " ")
            ),
        )),
    }
}

/// Whether several declarations of one variable sit in different
/// preprocessor branches (`#if` / `#else`), so only one is ever compiled.
fn exclusive_branches(file: &FileAnalysis, candidates: &[usize]) -> bool {
    let branch = |c: usize| {
        parse::ancestors(file.candidates[c].declaration)
            .into_iter()
            .find(|n| n.kind().starts_with("preproc_"))
            .map(|n| n.node_id())
    };
    let mut seen = Vec::new();
    for &c in candidates {
        match branch(c) {
            Some(b) if !seen.contains(&b) => seen.push(b),
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_and_indentation() {
        assert_eq!(line_ending(b"a\r\nb\n", 0), "\r\n");
        assert_eq!(line_ending(b"a\nb\r\n", 0), "\n");
        assert_eq!(line_ending(b"a\rb\r", 0), "\r");
        assert_eq!(line_ending(b"a\rb\r\n", 3), "\r\n");
        assert_eq!(line_ending(b"a\r\nb", 3), "\r\n");
        assert_eq!(line_ending(b"ab", 0), "\n");
        assert_eq!(next_line_start(b"#include <a.h>\rint x;", 14), Some(15));
        assert_eq!(indentation(b"x\n    static", 6), "    ");
        assert_eq!(indentation(b"x; static", 3), "");
    }
}
