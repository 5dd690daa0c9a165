//! Classification: relating each static's references to the evidence around
//! them. A write is *guarded* when control reaches it only while the static
//! (or an alias of it) is NULL: inside `if (v == NULL)`, on the right of
//! `!v && …`, after `if (v) return v;`, in the NULL arm of a ternary, or in a
//! function called only from such places. Guarded writes make a lazy cache;
//! writes that replace a live value (`v = v->next`, a setter) make state.
//!
//! One `Context` per file, split by seam: `guards` decides whether a write
//! is guarded (NULL tests, set-once flags, helpers called under a guard),
//! `aliases` follows local copies and pointers of a static, and this file
//! classifies references and writes, with the call index they share.

mod aliases;
mod dropped;
mod gates;
mod guards;
mod spelled;

use aliases::{AliasCopy, LocalSet};

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use tree_sitter::Node;

use crate::analysis::callgraph::{pp_tokens, EdgeKind, FunctionId, LazyCallGraph, UnitMacros};
use crate::analysis::candidates::Candidate;
use crate::analysis::capi;
use crate::analysis::evidence::{self, Assignment, Evidence, Test};
use crate::analysis::parse::{self, strip_parens};
use crate::analysis::parse::{HasNodeId, NodeId};
use crate::analysis::scope::{Resolution, SymbolId};
use crate::analysis::tables;
use crate::diagnostic::{Reason, ReasonKind};
use crate::scan::index::{Index, Keyword};
use guards::is_condition_wrapper;

/// How a static is written, which decides its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Written only under a NULL guard: a lazily initialised cache.
    Lazy,
    /// Written once, outside a NULL guard (module init, an `initialized` flag).
    Once,
}

/// What was found about one variable.
#[derive(Debug)]
pub struct Verdict<'t> {
    /// The variable, in the scope resolution.
    pub symbol: SymbolId,
    /// Lazy or set once.
    pub kind: Kind,
    /// For a lazy static, the NULL tests its writes lie under (sorted,
    /// once each); for a set-once one, the flags tested around it.
    pub guards: Vec<Node<'t>>,
    /// The writes that set it (under a guard for a lazy static).
    pub assignments: Vec<Node<'t>>,
    /// The calls that release it.
    pub releases: Vec<Node<'t>>,
    /// Other lazy statics filled under the same guard
    /// (`if (a == NULL || b == NULL) { a = …; b = …; }`, or
    /// `if (head == NULL) { head = …; tail = …; }`): fixed together or not
    /// at all.
    pub siblings: Vec<SymbolId>,
    /// Why a rewrite of this static could not be justified, whatever the
    /// rewriter does (a write through a macro that pastes its name, a
    /// process-wide flag around the guard, …).
    pub blockers: Vec<Reason>,
    /// The NULL tests of other statics that hold Python objects on the way
    /// to its fills ([`Gate`]): the fix waits on theirs.
    pub gates: Vec<Gate<'t>>,
    /// A raw pointer filled under one guard with other statics whose every
    /// write stores memory it does not own (`raw = PyBytes_AS_STRING(blob)`
    /// under `blob`'s test): no site of its own (no diagnostic), kept for
    /// its siblings' fix, which waits on it.
    pub owns_nothing: bool,
}

pub use crate::options::{OutsideSlot, SlotUse};

/// A test that control passes on the way to a lazy fill and that proves
/// another static NULL, one that holds a Python object or is an array or
/// struct of them (`if (mod == NULL) { mod = …; if (attr == NULL) attr =
/// …; }`, for `attr`; `tbl[0] == NULL`, `st.mod == NULL`). Whether it gates
/// the fill depends on that static's own fix, so the fixes decide it
/// (`fix::rewrite`): rewritten too, every interpreter tests a slot of its
/// own and runs the block; left process-wide (its fix unsafe or
/// display-only, or none), a later interpreter finds it set, skips the
/// block, and finds its own slot of the filled static empty.
#[derive(Clone, Debug)]
pub struct Gate<'t> {
    /// The static the test proves NULL.
    pub symbol: SymbolId,
    /// The condition (parentheses stripped): the `if`'s around the fill,
    /// or an early exit's before it (`if (mod != NULL) return …;`).
    pub condition: Node<'t>,
    /// When the test is in another function: that function's name, and
    /// the name of the function it calls there towards the fill.
    pub caller: Option<(String, String)>,
}

/// How many [`Gate`]s one fill keeps: a fill past more (a nesting of
/// thousands of NULL tests) is unsafe to rewrite, whatever their fixes,
/// so that gates cost no more than the tests passed, at most this many
/// per fill.
const MAX_GATES_PER_FILL: usize = 16;

/// How long a chain of automatic locals and parameters a test of
/// process-wide state follows to the values given to them
/// (`Context::process_wide_read`): `int first = !loaded;` then `if
/// (first)` reads `loaded`. A bound, as a chain of copies may be long: a
/// test that reads one further is taken to read process-wide state.
const MAX_FOLLOWED_LOCALS: usize = 128;

/// How many automatic locals and parameters one test follows in all,
/// along every chain (a helper's parameter takes the locals of each of
/// its callers): a bound on the work per test, past which a test is
/// taken to read process-wide state, as past [`MAX_FOLLOWED_LOCALS`].
const MAX_FOLLOWED_LOCALS_IN_ALL: usize = 1024;

/// The reason of a fill that a test of process-wide state gates: `lead`
/// says what is filled past which test (`` `attr` is filled only past the
/// test `mod == NULL`, which reads … ``), `caller` the function that holds
/// the test and the one it calls there towards the fill, when it is not
/// the fill's own, `handed` whether that function hands the callee on to
/// a once-per-process call rather than calling it.
pub(crate) fn gated_reason(
    lead: String,
    caller: Option<&(String, String)>,
    handed: bool,
) -> String {
    let mut message = lead;
    match caller {
        Some((caller, callee)) if handed => {
            message += &format!(" (in `{caller}`, which hands it `{callee}`)");
        }
        Some((caller, callee)) => {
            message += &format!(" (in `{caller}`, around its call of `{callee}`)");
        }
        None => {}
    }
    message + ": every later interpreter would skip that block and find its own slot empty"
}

/// The text of `node` on one line, runs of white space made one space
/// (a condition quoted in a reason).
pub(crate) fn one_line(node: Node, source: &[u8]) -> String {
    let text = String::from_utf8_lossy(&source[node.start_byte()..node.end_byte()]);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One occurrence of a slot parameter inside a helper that stores no value
/// through it ([`Context::slot_use`]).
enum Occurrence {
    /// Reads `*slot`, tests the pointer, or hands it on to a helper that
    /// is followed.
    Read,
    /// Stores NULL through it (`*slot = NULL`, `Py_CLEAR(*slot)`).
    Cleared,
    /// Releases `*slot` (`Py_DECREF(*slot)`) without clearing it there.
    Released,
}

/// The subject `*slot` inside a helper of the file that receives a
/// static's address (`fetch(&v)`): a stand-in symbol, never a real one.
const OUT_PARAM: SymbolId = SymbolId::MAX;

/// Where object storage that oncevar never rewrites is filled
/// ([`Context::process_wide_fills`]), each with the reason that blocks
/// the fixes of the statics filled with it.
#[derive(Default)]
struct ProcessWideFills {
    /// By the root of the guard's condition ([`guard_root`]) that the fill
    /// lies under.
    under: HashMap<NodeId, String>,
    /// By the function that holds the fill: a helper that fills a static
    /// under a guard of its caller's fills this under it too.
    in_function: HashMap<NodeId, String>,
}

impl ProcessWideFills {
    /// Records the fill `write`, under `guard` when there is one, with the
    /// reason `why` (the first reason of a guard or function stays).
    fn record(&mut self, write: Node, guard: Option<Node>, why: String) {
        if let Some(guard) = guard {
            self.under
                .entry(guard_root(guard).node_id())
                .or_insert_with(|| why.clone());
        }
        if let Some(function) = function_id(write) {
            self.in_function.entry(function).or_insert(why);
        }
    }
}

/// The subject of a write of a variable that is no candidate, asked for
/// the guard it lies under ([`Context::process_wide_fills`]): a stand-in
/// symbol that no test proves NULL, whose only guards are its siblings'.
const NO_CANDIDATE: SymbolId = SymbolId::MAX - 1;

/// Whether the identifier `reference` is a name, not a use of the
/// variable it spells: the argument of `_Py_IDENTIFIER(v)` and the other
/// [`evidence::NAME_MACROS`], or an argument that a macro of the unit only
/// stringizes, pastes or uses as a member name, itself or through other
/// macros ([`Evidence::macro_name_arguments`]).
pub(crate) fn is_name_token(reference: Node, evidence: &Evidence, source: &[u8]) -> bool {
    // `NAME(v` by its text, where a macro's argument did not parse as
    // a call's (inside a string concatenation, say).
    let before = source[..reference.start_byte()].trim_ascii_end();
    let opens = before.strip_suffix(b"(").map(|b| {
        let b = b.trim_ascii_end();
        let start = b
            .iter()
            .rposition(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))
            .map_or(0, |i| i + 1);
        String::from_utf8_lossy(&b[start..]).into_owned()
    });
    let first_argument = |callee: &str| {
        evidence::NAME_MACROS.contains(&callee)
            || evidence
                .macro_name_arguments
                .get(callee)
                .is_some_and(|names| names.contains(&(0, false)))
    };
    if opens.is_some_and(|callee| first_argument(&callee)) {
        return true;
    }
    // Past the text check above, only a macro of the unit's (or one after
    // a comment) is left to find: without such macros no climb.
    if evidence.macro_name_arguments.is_empty() && !before.ends_with(b"/") {
        return false;
    }
    parse::call_argument(reference, source).is_some_and(|(callee, position, _)| {
        (position == 0 && evidence::NAME_MACROS.contains(&callee))
            || evidence
                .macro_name_arguments
                .get(callee)
                .is_some_and(|names| names.contains(&(position, false)))
    })
}

/// Drops the references that are names, not uses: the argument of
/// `_Py_IDENTIFIER(v)` and of the file's own macros that only stringize,
/// paste or use it as a member name (`#define DEF(S) str##S = make(#S)`,
/// `#define FIELD(s, f) ((s).f)`). The rewriter never
/// touches them, and they neither write nor test the static.
pub fn drop_name_tokens(resolution: &mut Resolution, evidence: &Evidence, source: &[u8]) {
    let is_name = |reference: &Node| is_name_token(*reference, evidence, source);
    for symbol in &mut resolution.symbols {
        symbol.references.retain(|r| {
            let name = is_name(r);
            if name {
                resolution.refs.remove(&r.node_id());
            }
            !name
        });
    }
}

/// Classifies each resolved static from the evidence gathered about it: a
/// lazy cache (written under a NULL guard) or a set-once object. A static
/// that is neither (state that is replaced, a plain value) gets no verdict.
///
/// `outside`: what functions defined in other units of the scan do with a
/// static's slot handed to them, by (name, argument position)
/// ([`OutsideSlot`]). Returns the verdicts, and the (name, position) of
/// each function not defined in the unit, nor in `outside`, that a
/// static's address is handed to outside any guard (what the scan asks of
/// the other units, [`outside_slot_uses`]), and the names written with an
/// object under a guard that nothing of the text declares
/// ([`Context::undeclared_fills`]).
#[allow(clippy::too_many_arguments)]
pub fn classify<'t>(
    root: Node<'t>,
    source: &[u8],
    candidates: &[Candidate<'t>],
    resolution: &Resolution<'t>,
    evidence: &Evidence<'t>,
    call_graph: &LazyCallGraph<'t>,
    address_tables: &[tables::AddressTable<'t>],
    outside: &HashMap<(String, usize), OutsideSlot>,
    process_wide: (&[Candidate<'t>], &Resolution<'t>),
) -> (Vec<Verdict<'t>>, Vec<(String, usize)>, Vec<String>) {
    let mut ctx = Context::new(
        (root, source),
        candidates,
        resolution,
        evidence,
        call_graph,
        address_tables,
        outside,
    );
    ctx.find_aliases();

    let mut facts: Vec<SymbolFacts> = (0..resolution.symbols.len())
        .map(|_| SymbolFacts::default())
        .collect();
    for (id, symbol) in resolution.symbols.iter().enumerate() {
        for &reference in &symbol.references {
            ctx.examine_reference(id, reference, &mut facts[id]);
        }
    }
    ctx.examine_pointer_alias_writes(&mut facts);
    ctx.examine_spelled_table_entries(&mut facts);
    ctx.examine_expansion_writes(&mut facts);
    ctx.examine_alias_releases(&mut facts);
    ctx.examine_pointer_alias_releases(&mut facts);
    ctx.find_taken(&mut facts);
    ctx.drop_orphan_siblings(&mut facts);
    let mut process_wide_fills = ctx.process_wide_fills(process_wide);
    let undeclared = ctx.undeclared_fills(
        facts
            .iter()
            .flat_map(|f| &f.guarded)
            .flat_map(|&(w, g)| [w, g])
            .filter_map(parse::enclosing_function),
        &mut process_wide_fills,
    );

    let mut verdicts = Vec::new();
    let mut guard_roots: Vec<(SymbolId, Vec<NodeId>)> = Vec::new();
    for (id, mut facts) in facts.into_iter().enumerate() {
        let any_object = resolution.symbols[id]
            .candidates
            .iter()
            .any(|&c| candidates[c].object);
        if facts.state {
            continue;
        }
        // Per-operation state: refused while set, then freed and NULLed
        // when the operation ends.
        // (Emptied at teardown, m_clear or a free function, it is a cache
        // that refuses a second initialisation instead.)
        let emptied_by_operation = facts
            .cleared
            .iter()
            .chain(&facts.null_writes)
            .any(|&n| !ctx.is_teardown(n));
        if facts.refused && emptied_by_operation {
            continue;
        }
        let mut guards: Vec<Node> = facts.guarded.iter().map(|w| w.1).collect();
        guards.sort_by_key(|n| n.start_byte());
        guards.dedup();
        if !facts.guarded.is_empty() {
            if facts.unguarded.iter().any(|w| !w.once) {
                continue; // also replaced elsewhere: a setter's state
            }
            let roots: Vec<NodeId> = facts
                .guarded
                .iter()
                .filter(|(w, g)| function_id(*w) == function_id(*g))
                .map(|(_, g)| guard_root(*g).node_id())
                .collect();
            // A process-wide fill under one of its guards, or in a helper
            // that fills it under a guard of its caller's.
            let helpers = facts
                .guarded
                .iter()
                .filter(|(w, g)| function_id(*w) != function_id(*g))
                .filter_map(|(w, _)| function_id(*w));
            let why = roots
                .iter()
                .find_map(|r| process_wide_fills.under.get(r))
                .or_else(|| {
                    helpers
                        .into_iter()
                        .find_map(|f| process_wide_fills.in_function.get(&f))
                });
            if let Some(why) = why {
                facts
                    .blockers
                    .push(Reason::new(ReasonKind::Siblings, why.clone()));
            }
            guard_roots.push((id, roots));
            facts.blockers.sort();
            facts.blockers.dedup();
            let at = |g: &Gate| (g.symbol, g.condition.start_byte(), g.condition.end_byte());
            facts.gates.sort_by_key(at);
            facts.gates.dedup_by_key(|g| at(g));
            verdicts.push(Verdict {
                symbol: id,
                kind: Kind::Lazy,
                guards,
                assignments: facts.guarded.iter().map(|w| w.0).collect(),
                releases: facts.releases,
                siblings: Vec::new(),
                blockers: facts.blockers,
                gates: facts.gates,
                owns_nothing: false,
            });
        } else if any_object
            && !facts.unguarded.is_empty()
            && facts.unguarded.iter().all(|w| w.once)
        {
            verdicts.push(Verdict {
                symbol: id,
                kind: Kind::Once,
                guards: facts.flags,
                assignments: facts.unguarded.iter().map(|w| w.node).collect(),
                releases: facts.releases,
                siblings: Vec::new(),
                blockers: facts.blockers,
                gates: Vec::new(),
                owns_nothing: false,
            });
        }
    }
    link_siblings(&mut verdicts, &guard_roots);
    // A helper run by a macro's expansion under a test of one static fills
    // the others with it (its guard lies in another function than the
    // writes, so no guard root links them).
    for &(a, b) in ctx.expansion_siblings.borrow().iter() {
        let lazy = |s: SymbolId| {
            verdicts
                .iter()
                .any(|v| v.symbol == s && v.kind == Kind::Lazy)
        };
        if !(lazy(a) && lazy(b)) {
            continue;
        }
        for verdict in &mut verdicts {
            let other = if verdict.symbol == a {
                b
            } else if verdict.symbol == b {
                a
            } else {
                continue;
            };
            if !verdict.siblings.contains(&other) {
                verdict.siblings.push(other);
                verdict.siblings.sort_unstable();
            }
        }
    }
    // A raw pointer that only ever remembers memory it does not own (a
    // pointer into its caller's data, `if (first == NULL) first = p;`, an
    // address, a string literal, what `getenv` returns, a pointer into an
    // object's buffer) holds nothing to free and allocates nothing per
    // process: no site, whatever its type (`char *`, `FILE *`, a
    // struct's). Alone under its guard, its verdict goes; filled with
    // others (`raw = PyBytes_AS_STRING(blob)` under `blob`'s test), it
    // stays for their fix, which waits on it (a per-interpreter `blob`
    // refilled by another interpreter would leave `raw` pointing into a
    // buffer freed with that interpreter), but owns nothing and is not
    // reported.
    for v in &mut verdicts {
        let memory = !resolution.symbols[v.symbol]
            .candidates
            .iter()
            .any(|&c| candidates[c].object);
        v.owns_nothing = memory
            && v.kind == Kind::Lazy
            && !v.assignments.is_empty()
            && v.assignments.iter().all(|&w| ctx.stores_unowned_memory(w));
    }
    verdicts.retain(|v| !(v.owns_nothing && v.siblings.is_empty()));
    // Variables of different `#if` branches that share a guard after the
    // chain are one cache in each build, not siblings.
    for verdict in &mut verdicts {
        let symbol = verdict.symbol;
        verdict.siblings.retain(|&other| {
            !resolution
                .shared
                .values()
                .any(|s| s.contains(&symbol) && s.contains(&other))
        });
    }
    let mut asked = ctx.asked.into_inner();
    asked.sort();
    asked.dedup();
    (verdicts, asked, undeclared)
}

/// What the functions of this unit named in `asked` (name, argument
/// position) do with a static's slot that another unit hands them
/// (`fetch_attr(m, a, &v)` there): each read as [`Context::slot_use`]
/// reads a helper of the unit, with the helpers it hands the slot on to,
/// as (name, position, what it does, whether every write through the slot
/// lies under a NULL test of it, the function's definition). A function
/// the unit declares `static` is not the one another unit calls: no
/// answer for it, nor for a name the unit does not define.
pub fn outside_slot_uses<'t>(
    tree: &'t tree_sitter::Tree,
    source: &[u8],
    queries: &crate::analysis::queries::Queries,
    asked: &[(String, usize)],
) -> Vec<(String, usize, SlotUse, bool, Node<'t>)> {
    let root = tree.root_node();
    let helpers = parse::function_definitions(root, source);
    let asked: Vec<(&String, usize, Node<'t>)> = asked
        .iter()
        .filter_map(|(name, position)| {
            let helper = *helpers.get(name.as_bytes())?;
            (!has_storage(helper, source, "static")).then_some((name, *position, helper))
        })
        .collect();
    if asked.is_empty() {
        return Vec::new();
    }
    let reached: Vec<(Node<'t>, &[u8])> = asked
        .iter()
        .flat_map(|&(_, position, helper)| slot_helpers(&helpers, helper, position, source))
        .collect();
    let functions: Vec<Node<'t>> = reached.iter().map(|&(f, _)| f).collect();
    let evidence = evidence::collect_for_helpers(tree, source, queries, &functions);
    let (resolution, call_graph, outside) = (
        Resolution::default(),
        LazyCallGraph::new(root),
        HashMap::new(),
    );
    let mut ctx = Context::new(
        (root, source),
        &[],
        &resolution,
        &evidence,
        &call_graph,
        &[],
        &outside,
    );
    ctx.helpers = helpers;
    ctx.out_params = reached
        .iter()
        .map(|&(f, parameter)| (Some(f.node_id()), parameter))
        .collect();
    asked
        .into_iter()
        .filter_map(|(name, position, helper)| {
            let how = ctx.slot_use(name, position)?;
            let guarded = how == SlotUse::Fills && ctx.helper_guard(name, position).is_some();
            Some((name.clone(), position, how, guarded, helper))
        })
        .collect()
}

/// The names `source` declares or defines as `static` functions
/// (`static int\nname(…)`): a name before `(` with the word `static` in
/// its declaration's head (back to the last `;`, `{`, `}`, `)` or `#`, at
/// most 256 bytes). One pass over the text.
fn static_functions(source: &[u8]) -> HashSet<&[u8]> {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut found = HashSet::new();
    for open in memchr::memchr_iter(b'(', source) {
        let mut end = open;
        while end > 0 && source[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        let mut start = end;
        while start > 0 && word(source[start - 1]) && end - start < 256 {
            start -= 1;
        }
        if start == end {
            continue;
        }
        let before = &source[start.saturating_sub(256)..start];
        let head = before
            .iter()
            .rposition(|&b| matches!(b, b';' | b'{' | b'}' | b')' | b'#'))
            .map_or(before, |p| &before[p + 1..]);
        let is_static = memchr::memmem::find_iter(head, b"static").any(|s| {
            let edge = |b: Option<&u8>| b.is_none_or(|&b| !word(b));
            edge(s.checked_sub(1).and_then(|p| head.get(p))) && edge(head.get(s + 6))
        });
        if is_static {
            found.insert(&source[start..end]);
        }
    }
    found
}

/// What a function body does with its local `name` ([`local_values`]).
enum LocalValues<'t> {
    /// No declaration of `name` in the body.
    Undeclared,
    /// Declared as an array: its name is its address.
    Array,
    /// Declared as something else: every value given to it (the
    /// initialiser, plain `name = value` assignments), none other.
    Values(Vec<Node<'t>>),
    /// Its address taken, stepped (`name++`) or compound-assigned: what
    /// it holds is not followed.
    Unknown,
}

/// The values a function body gives its local `name` (see
/// [`LocalValues`]), in one walk with its own stack.
fn local_values<'t>(body: Node<'t>, name: &[u8], source: &[u8]) -> LocalValues<'t> {
    local_values_walk(body, source, Some(name))
        .into_values()
        .next()
        .unwrap_or(LocalValues::Undeclared)
}

/// [`local_values`] of every name the body declares or writes, in one
/// walk: what [`Context::local_sources`] asks of a function's locals, once
/// per function rather than once per name (a function testing thousands of
/// locals on the way to a fill would be read once per local).
fn all_local_values<'a, 't>(
    body: Node<'t>,
    source: &'a [u8],
) -> HashMap<&'a [u8], LocalValues<'t>> {
    local_values_walk(body, source, None)
}

/// The one walk of [`local_values`] and [`all_local_values`]: what the
/// body does with each local it declares or writes, or with `only` that
/// one. A name declared as an array is [`LocalValues::Array`]; one whose
/// address is taken, or that is compound-assigned other than by a step,
/// [`LocalValues::Unknown`]; a name written but not declared
/// [`LocalValues::Undeclared`].
fn local_values_walk<'a, 't>(
    body: Node<'t>,
    source: &'a [u8],
    only: Option<&[u8]>,
) -> HashMap<&'a [u8], LocalValues<'t>> {
    let text = |n: Node| &source[n.start_byte()..n.end_byte()];
    let wanted = |name: &[u8]| only.is_none_or(|o| o == name);
    // (declared, values, unknown, array) by name
    let mut found: HashMap<&'a [u8], (bool, Vec<Node<'t>>, bool, bool)> = HashMap::new();
    let mut pending = vec![body];
    while let Some(node) = pending.pop() {
        match node.kind() {
            "declaration" => {
                for (declarator, array) in declarators(node) {
                    if !wanted(text(declarator)) {
                        continue;
                    }
                    let entry = found.entry(text(declarator)).or_default();
                    entry.0 = true;
                    entry.3 |= array;
                }
                let mut cursor = node.walk();
                for init in node.children_by_field_name("declarator", &mut cursor) {
                    if init.kind() != "init_declarator" {
                        continue;
                    }
                    if let (Some(name), Some(value)) =
                        (declared_name(init), init.child_by_field_name("value"))
                    {
                        if wanted(text(name)) {
                            found.entry(text(name)).or_default().1.push(value);
                        }
                    }
                }
            }
            "assignment_expression" => {
                let left = node.child_by_field_name("left").map(strip_parens);
                if let Some(left) = left.filter(|l| l.kind() == "identifier" && wanted(text(*l))) {
                    let name = text(left);
                    let entry = found.entry(name).or_default();
                    match (operator(node), node.child_by_field_name("right")) {
                        (Some("="), Some(value)) if steps(value, name, source) => {}
                        (Some("="), Some(value)) => entry.1.push(value),
                        (Some("+=" | "-="), Some(_)) => {}
                        _ => entry.2 = true,
                    }
                }
            }
            "pointer_expression" if operator(node) == Some("&") => {
                let argument = node.child_by_field_name("argument").map(strip_parens);
                if let Some(argument) =
                    argument.filter(|a| a.kind() == "identifier" && wanted(text(*a)))
                {
                    found.entry(text(argument)).or_default().2 = true;
                }
            }
            _ => {}
        }
        let mut cursor = node.walk();
        pending.extend(node.named_children(&mut cursor));
    }
    found
        .into_iter()
        .map(|(name, (declared, values, unknown, array))| {
            let local = if array {
                LocalValues::Array
            } else if unknown {
                LocalValues::Unknown
            } else if declared {
                LocalValues::Values(values)
            } else {
                LocalValues::Undeclared
            };
            (name, local)
        })
        .collect()
}

/// Whether `value` is `name + k`, `k + name` or `name - k`: the local
/// `name` stepped.
fn steps(value: Node, name: &[u8], source: &[u8]) -> bool {
    let value = strip_parens(value);
    let is_name = |n: Option<Node>| {
        n.map(strip_parens)
            .is_some_and(|n| n.kind() == "identifier" && &source[n.byte_range()] == name)
    };
    let (left, right) = (
        value.child_by_field_name("left"),
        value.child_by_field_name("right"),
    );
    value.kind() == "binary_expression"
        && match operator(value) {
            Some("+") => is_name(left) || is_name(right),
            Some("-") => is_name(left) && !is_name(right),
            _ => false,
        }
}

/// The names a declaration declares, each with whether its declarator is
/// an array's (`buf[256]`, `*table[4]` is an array of pointers too).
fn declarators(declaration: Node) -> impl Iterator<Item = (Node, bool)> {
    let mut cursor = declaration.walk();
    let list: Vec<Node> = declaration
        .children_by_field_name("declarator", &mut cursor)
        .collect();
    list.into_iter().filter_map(|d| {
        let mut node = d;
        let mut array = false;
        loop {
            match node.kind() {
                "identifier" => return Some((node, array)),
                "init_declarator" | "pointer_declarator" | "parenthesized_declarator" => {
                    node = node
                        .child_by_field_name("declarator")
                        .or_else(|| node.named_child(0))?;
                }
                "array_declarator" => {
                    // `*t[4]`: the array is outermost; `(*p)[4]` is a
                    // pointer to an array, whose name is no address.
                    array = true;
                    node = node.child_by_field_name("declarator")?;
                    if node.kind() == "parenthesized_declarator" {
                        return None;
                    }
                }
                _ => return None,
            }
        }
    })
}

/// The whole condition a guard belongs to: `a == NULL` in
/// `if (a == NULL || b == NULL)` belongs to the `||`.
fn guard_root(guard: Node) -> Node {
    let mut node = guard;
    // One descent from the root (`parse::ancestors`), not `Node::parent`
    // per level, which descends from the root each time: a guard in a chain
    // of 30,000 `&&` took 26 s.
    for parent in parse::ancestors(guard) {
        match parent.kind() {
            "binary_expression"
            | "parenthesized_expression"
            | "unary_expression"
            | "argument_list"
            | "call_expression" => node = parent,
            _ => return node,
        }
    }
    node
}

/// Statics whose guarded writes share a guard condition are siblings, and
/// so are siblings of siblings.
fn link_siblings(verdicts: &mut [Verdict], guard_roots: &[(SymbolId, Vec<NodeId>)]) {
    let mut groups: Vec<(Vec<NodeId>, Vec<SymbolId>)> = Vec::new();
    for (symbol, roots) in guard_roots {
        let joined: Vec<usize> = (0..groups.len())
            .filter(|&g| groups[g].0.iter().any(|r| roots.contains(r)))
            .collect();
        let mut group = (roots.clone(), vec![*symbol]);
        for &g in joined.iter().rev() {
            let (r, s) = groups.remove(g);
            group.0.extend(r);
            group.1.extend(s);
        }
        groups.push(group);
    }
    for verdict in verdicts.iter_mut() {
        if let Some((_, members)) = groups.iter().find(|g| g.1.contains(&verdict.symbol)) {
            let mut siblings: Vec<SymbolId> = members
                .iter()
                .copied()
                .filter(|&s| s != verdict.symbol)
                .collect();
            siblings.sort_unstable();
            verdict.siblings = siblings;
        }
    }
}

/// What was found about one static's references (the prefilter's `Facts`
/// are about a file's text, and unrelated).
#[derive(Default)]
struct SymbolFacts<'t> {
    /// (write, guard) pairs.
    guarded: Vec<(Node<'t>, Node<'t>)>,
    unguarded: Vec<Unguarded<'t>>,
    releases: Vec<Node<'t>>,
    /// Flag tests (`if (!initialized)`) seen over unguarded writes.
    flags: Vec<Node<'t>>,
    /// Written as a cursor or counter: never a site.
    state: bool,
    /// `v = NULL` writes.
    null_writes: Vec<Node<'t>>,
    /// Releases that clear the static, inside a guard or not.
    cleared: Vec<Node<'t>>,
    /// Guarded by an early exit that raises (`if (v) { PyErr_…; return
    /// NULL; }`): the static is refused while set.
    refused: bool,
    /// See [`Verdict::blockers`].
    blockers: Vec<Reason>,
    /// See [`Verdict::gates`].
    gates: Vec<Gate<'t>>,
}

struct Unguarded<'t> {
    node: Node<'t>,
    /// In an init-like function or under an `initialized` flag.
    once: bool,
}

struct Context<'a, 't> {
    root: Node<'t>,
    source: &'a [u8],
    candidates: &'a [Candidate<'t>],
    resolution: &'a Resolution<'t>,
    evidence: &'a Evidence<'t>,
    /// The unit's call graph, for the functions that initialise a module.
    call_graph: &'a LazyCallGraph<'t>,
    /// (function id, local name) of `T *p = v;` copies.
    /// (Several when the copied reference is shared by the variables of
    /// an `#if` chain's branches.)
    value_aliases: HashMap<(Option<NodeId>, &'a [u8]), Vec<SymbolId>>,
    /// The copies that make each value alias (`p = v`, `T *p = v`), so a
    /// use holds the static's value only after one, or in a loop around
    /// one ([`Context::copied_before`]).
    alias_copies: HashMap<(Option<NodeId>, &'a [u8]), Vec<AliasCopy>>,
    /// The nodes that give each such local a value or a new object
    /// (assignments and declarations of it).
    alias_sets: HashMap<(Option<NodeId>, &'a [u8]), Vec<LocalSet>>,
    /// (function id, local name) of `T **slot = &v;` pointers.
    pointer_aliases: HashMap<(Option<NodeId>, &'a [u8]), Vec<SymbolId>>,
    /// Variables initialised with the addresses of statics (`static
    /// PyObject **const all[] = {&a, &b};`, `{{&a, "a"}, {&b, "b"}}`, an
    /// entry a macro spells): `*all[i]` and `*all[i].slot` may be any of
    /// them ([`tables::address_tables`]).
    address_tables: &'a [tables::AddressTable<'t>],
    /// (helper function id, parameter name) of helpers of the file that
    /// receive a static's address: `*slot` there is [`OUT_PARAM`].
    out_params: HashSet<(Option<NodeId>, &'a [u8])>,
    /// (helper function id, parameter name) of helpers of the file that
    /// receive a pointer into an array of object pointers (`fill(table,
    /// n)`, `fill(table + k, n)`, `fill(&table[k], n)`): any element
    /// there (`out[i]`, `*out`, `*(out + i)`) is [`OUT_PARAM`].
    out_arrays: HashSet<(Option<NodeId>, &'a [u8])>,
    /// The file's function definitions by name, when a helper is needed.
    helpers: HashMap<&'a [u8], Node<'t>>,
    /// Call sites by callee name, built on first need.
    calls: RefCell<HashMap<&'a [u8], Vec<Node<'t>>>>,
    /// The `if` statements whose branch always leaves the block, each
    /// with whether it has an `else`, of each block (or the file) by its
    /// id, in order, read on first need ([`Context::exit_ifs_before`]).
    #[allow(clippy::type_complexity)]
    exit_ifs: RefCell<HashMap<NodeId, std::rc::Rc<[(Node<'t>, bool)]>>>,
    /// The bodies of the file's macros by name (the last definition),
    /// built on first need.
    macros: std::cell::OnceCell<HashMap<&'a [u8], &'a [u8]>>,
    /// The names that a `static` or `extern` declaration inside a function
    /// declares, found in one walk on first need: only these names can be
    /// process-wide locals, so other names skip the walk up their
    /// ancestors (quadratic under 100,000 nested blocks).
    static_locals: std::cell::OnceCell<HashSet<&'a [u8]>>,
    /// The names the unit may write at run time ([`guards::written_names`]),
    /// built on first need.
    written: std::cell::OnceCell<HashSet<&'a [u8]>>,
    /// The names the unit declares with one of CPython's types, built on
    /// first need ([`Context::cpython_typed`]).
    cpython_typed: std::cell::OnceCell<HashSet<&'a [u8]>>,
    /// The writes that only a macro's expansion spells, found on first
    /// need ([`Context::expansion_writes`]).
    expansion_writes: std::cell::OnceCell<Vec<ExpansionWrite<'t>>>,
    /// The unit's macros, for expansions, read on first need.
    unit_macros: std::cell::OnceCell<UnitMacros<'a>>,
    /// (static, sibling) whose helper a macro's expansion calls under a
    /// NULL test of the sibling ([`Context::expansion_call_guard`]).
    expansion_siblings: RefCell<Vec<(SymbolId, SymbolId)>>,
    /// What functions of other units do with a slot ([`OutsideSlot`]).
    outside: &'a HashMap<(String, usize), OutsideSlot>,
    /// The functions, and argument positions, that a static's address is
    /// handed to outside any guard and that neither the unit nor
    /// `outside` knows: asked of the other units.
    asked: RefCell<Vec<(String, usize)>>,
    /// The functions the unit declares `static`, found on first need
    /// ([`static_functions`]).
    static_functions: std::cell::OnceCell<HashSet<&'a [u8]>>,
    /// The names that declarations and parameters inside each function of
    /// the call graph declare, found on first need
    /// ([`Context::may_declare_local`]).
    local_names: RefCell<HashMap<crate::analysis::callgraph::FunctionId, HashSet<&'a [u8]>>>,
    /// The values given to each function's locals ([`all_local_values`]),
    /// read on first need ([`Context::local_sources`]).
    function_locals: RefCell<
        HashMap<crate::analysis::callgraph::FunctionId, HashMap<&'a [u8], LocalValues<'t>>>,
    >,
    /// [`Context::process_wide_null`]'s answer by (condition, outcome).
    process_wide_nulls: RefCell<HashMap<(NodeId, bool), Option<Node<'t>>>>,
    /// The automatic locals and parameters that
    /// [`Context::process_wide_read`] answered with because they were
    /// past [`MAX_FOLLOWED_LOCALS`] ([`Context::unfollowed_local`]).
    unfollowed_locals: RefCell<HashSet<NodeId>>,
    /// [`Context::flag_guard`]'s answer by the node climbed from.
    flag_guards: RefCell<HashMap<NodeId, Option<Node<'t>>>>,
    /// [`Context::object_gates`]' answer by (condition, outcome).
    object_gates: RefCell<HashMap<(NodeId, bool), Vec<SymbolId>>>,
    /// What each macro's expansion (`false`) or function's result (`true`)
    /// reads of process-wide state, by name, found on first need
    /// ([`Context::process_wide_read`]).
    state_reads: RefCell<HashMap<(&'a [u8], bool), gates::StateReads>>,
    /// The candidates' symbols by name, built on first need.
    candidates_named: std::cell::OnceCell<HashMap<&'a str, Vec<SymbolId>>>,
    /// The condition each macro spells, by (name, called with `()`),
    /// read on first need ([`Context::elsewhere`]).
    #[allow(clippy::type_complexity)]
    spelled: RefCell<HashMap<(&'a [u8], bool), Option<std::rc::Rc<spelled::Spelled>>>>,
    /// Per function, its automatic locals' one initialiser each, found
    /// on first need ([`Context::elsewhere`]).
    #[allow(clippy::type_complexity)]
    local_inits: RefCell<HashMap<NodeId, (Node<'t>, HashMap<&'a [u8], Option<Node<'t>>>)>>,
    /// What each macro invocation does to the static it is given, by the
    /// invocation's text with the static's argument marked, read on first
    /// need ([`Context::dropped_by_macro`]).
    dropped: RefCell<HashMap<String, Option<dropped::Dropped>>>,
}

impl<'a, 't> Context<'a, 't> {
    /// A context over the unit `(root, source)`, nothing found yet.
    fn new(
        (root, source): (Node<'t>, &'a [u8]),
        candidates: &'a [Candidate<'t>],
        resolution: &'a Resolution<'t>,
        evidence: &'a Evidence<'t>,
        call_graph: &'a LazyCallGraph<'t>,
        address_tables: &'a [tables::AddressTable<'t>],
        outside: &'a HashMap<(String, usize), OutsideSlot>,
    ) -> Self {
        Context {
            root,
            source,
            candidates,
            resolution,
            evidence,
            call_graph,
            value_aliases: HashMap::new(),
            alias_copies: HashMap::new(),
            alias_sets: HashMap::new(),
            pointer_aliases: HashMap::new(),
            address_tables,
            out_params: HashSet::new(),
            out_arrays: HashSet::new(),
            helpers: HashMap::new(),
            calls: RefCell::default(),
            exit_ifs: RefCell::default(),
            macros: std::cell::OnceCell::new(),
            static_locals: std::cell::OnceCell::new(),
            written: std::cell::OnceCell::new(),
            cpython_typed: std::cell::OnceCell::new(),
            expansion_writes: std::cell::OnceCell::new(),
            unit_macros: std::cell::OnceCell::new(),
            expansion_siblings: RefCell::default(),
            outside,
            asked: RefCell::default(),
            static_functions: std::cell::OnceCell::new(),
            local_names: RefCell::default(),
            process_wide_nulls: RefCell::default(),
            unfollowed_locals: RefCell::default(),
            flag_guards: RefCell::default(),
            object_gates: RefCell::default(),
            function_locals: RefCell::default(),
            state_reads: RefCell::default(),
            candidates_named: std::cell::OnceCell::new(),
            spelled: RefCell::default(),
            local_inits: RefCell::default(),
            dropped: RefCell::default(),
        }
    }
}

/// A static written only inside the expansion of a macro invocation
/// ([`Context::expansion_writes`]).
#[derive(Clone, Debug)]
struct ExpansionWrite<'t> {
    /// The static written.
    symbol: SymbolId,
    /// The invocation whose expansion writes it: the write's place.
    invocation: Node<'t>,
    /// The macro invoked.
    macro_name: String,
    /// Whether no macro body spells the name: it is pasted.
    pasted: bool,
}

/// Whether a macro body's tokens assign a name that pasting makes
/// (`str ## S =`) or one of `names` (`cache =`, `(cache) =`).
fn assigns_name(body: &[String], names: &HashSet<&str>) -> bool {
    (0..body.len()).any(|i| {
        // Back to the start of a pasted run (`a ## b ## c`): no member
        // there (`._ ## N = …` in an initialiser).
        let mut start = i;
        while start >= 2 && body[start - 1] == "##" {
            start -= 2;
        }
        (start < i || names.contains(body[i].as_str()))
            && !is_member(body, start)
            && assigned_at(body, i)
    })
}

/// Whether `tokens[i]` names a member: after `.` or `->` (two tokens to
/// the expander).
fn is_member(tokens: &[String], i: usize) -> bool {
    let at = |k: usize| tokens.get(k).map(String::as_str);
    i > 0 && at(i - 1) == Some(".") || i > 1 && at(i - 1) == Some(">") && at(i - 2) == Some("-")
}

/// Whether `tokens[i]` is assigned: `name = …` or `(name) = …`, not `==`
/// and not a member (`s.name = …`).
fn assigned_at(tokens: &[String], i: usize) -> bool {
    assigned_value(tokens, i).is_some()
}

/// Where the value assigned to `tokens[i]` starts, when it is assigned
/// ([`assigned_at`]).
fn assigned_value(tokens: &[String], i: usize) -> Option<usize> {
    let at = |k: usize| tokens.get(k).map(String::as_str);
    if is_member(tokens, i) {
        return None;
    }
    let after = if i > 0 && at(i - 1) == Some("(") && at(i + 1) == Some(")") {
        i + 2
    } else {
        i + 1
    };
    (at(after) == Some("=") && at(after + 1) != Some("=")).then_some(after + 1)
}

/// Whether the value at `tokens[start]` is a NULL constant alone (`NULL`,
/// `0`, up to `;`, `)`, `,` or the end): a reset, not a value.
fn null_value(tokens: &[String], start: usize) -> bool {
    matches!(tokens.get(start).map(String::as_str), Some("NULL" | "0"))
        && matches!(
            tokens.get(start + 1).map(String::as_str),
            None | Some(";" | ")" | ",")
        )
}

/// The node id of the function that holds `node`; `None` at file scope.
fn function_id(node: Node) -> Option<NodeId> {
    parse::enclosing_function(node).map(|f| f.node_id())
}

impl<'a, 't> Context<'a, 't> {
    /// The writes of object storage that outlives every interpreter and
    /// that oncevar never rewrites (`process_wide`: variables declared at
    /// file scope without `static`, statics that start out non-NULL,
    /// [`crate::analysis::candidates::find_with_process_wide`], with
    /// their references) that lie under a lazy static's guard (`if (head
    /// == NULL) { head = …; tail = …; }` with `PyObject *tail;` at file
    /// scope), each as the root of that guard's condition ([`guard_root`])
    /// and the reason that blocks the fix of every static filled under
    /// it: once `head` is per interpreter, each new interpreter finds its
    /// own slot empty, runs the block again and refills the process-wide
    /// `tail`, leaking the old object and handing the interpreters that
    /// share it its own. A write in a helper the guard runs counts
    /// ([`Self::guard`]). Only stores of a value count: `tail = NULL`, a
    /// read, a test do not.
    fn process_wide_fills(
        &self,
        (variables, resolution): (&[Candidate<'t>], &Resolution<'t>),
    ) -> ProcessWideFills {
        let mut fills = ProcessWideFills::default();
        for symbol in &resolution.symbols {
            let variable = &variables[symbol.candidates[0]];
            for &reference in &symbol.references {
                let Some(storage) = variable.access(reference, self.source) else {
                    continue;
                };
                // Read from the tree: the evidence holds only the
                // functions that name a candidate, and a helper the guard
                // runs may name none.
                let (lvalue, above) = parse::climb(storage, |parent, _| {
                    parent.kind() == "parenthesized_expression"
                });
                let assigned = above.first().filter(|write| {
                    write.kind() == "assignment_expression"
                        && write.child_by_field_name("left") == Some(lvalue)
                        && write
                            .child_by_field_name("right")
                            .is_some_and(|v| !parse::is_null_constant(v, self.source))
                });
                let write = assigned
                    .or_else(|| evidence::address_argument(storage, self.source).map(|a| a.2))
                    .or_else(|| self.macro_write(storage).map(|(call, _)| call));
                let Some(write) = write else { continue };
                let guard = self.guard(write, NO_CANDIDATE);
                let what = if variable
                    .declaration
                    .children(&mut variable.declaration.walk())
                    .any(|c| {
                        c.kind() == "storage_class_specifier"
                            && c.utf8_text(self.source) == Ok("static")
                    }) {
                    "a static that starts out non-NULL"
                } else {
                    "a variable of external linkage (declared without `static`)"
                };
                let storage = one_line(storage, self.source);
                let name = &variable.name;
                let held = if storage == *name {
                    format!("`{name}`, {what}")
                } else {
                    format!("`{storage}`, in `{name}`, {what}")
                };
                let why = format!(
                    "filled under one guard together with {held}, which oncevar does not \
                     rewrite: it stays process-wide, and every new interpreter would fill it \
                     again (leaking the old object and handing the other interpreters its \
                     own); the statics of one guard are fixed together or not at all"
                );
                fills.record(write, guard, why);
            }
        }
        fills
    }

    /// The names that the functions holding the lazy fills' guards and
    /// writes (`functions`), and the functions they call, write with what
    /// may be an object (a call's result, a name, a member or element, not
    /// a number or a string: [`may_be_object`]) by a plain assignment (to
    /// it, a member or an element: [`stored_object`]), hand by address to
    /// a call, or give to a macro of the unit that assigns it (`SET(tail,
    /// v)`), where
    /// nothing of the text analysed
    /// declares that name: no declaration or parameter of the function, no
    /// variable at file scope ([`LazyCallGraph`]'s variables), no macro of
    /// the unit. Such a name is storage of a header the scan did not find
    /// or read (`extern PyObject *tail;` in a header the analysis leaves
    /// out of a unit because it names no candidate), so what it is cannot
    /// be known: each such write blocks the fixes of the statics whose
    /// guard it lies under, as [`Self::process_wide_fills`]'s writes do
    /// (`fills` gains them), with a reason that says so. Returns the names
    /// (sorted, once each): the scan reads the unit again with the files
    /// that spell them (`analyze_layout` of the scan), where it learns what
    /// they are.
    fn undeclared_fills(
        &self,
        functions: impl IntoIterator<Item = Node<'t>>,
        fills: &mut ProcessWideFills,
    ) -> Vec<String> {
        let functions: Vec<Node<'t>> = functions.into_iter().collect();
        // No lazy fill: neither the call graph nor the macros are built.
        if functions.is_empty() {
            return Vec::new();
        }
        let graph = self.call_graph.get(self.source);
        let macros = self
            .unit_macros
            .get_or_init(|| UnitMacros::of(self.root, self.source));
        let mut ids: Vec<FunctionId> = Vec::new();
        for function in functions {
            let Some(id) = graph.function_at(function) else {
                continue;
            };
            ids.push(id);
            ids.extend(
                graph
                    .edges(id)
                    .iter()
                    .filter(|e| e.kind == EdgeKind::Call)
                    .map(|e| e.to),
            );
        }
        ids.sort_unstable();
        ids.dedup();
        let macro_names: HashSet<&str> = macros.names().collect();
        let mut names: Vec<String> = Vec::new();
        let mut file_scope: Option<HashSet<&[u8]>> = None;
        for id in ids {
            let function = graph.functions()[id].node;
            let Some(body) = function.child_by_field_name("body") else {
                continue;
            };
            let parameters: Vec<&[u8]> = (0..)
                .map_while(|i| parameter_name(function, i))
                .map(|p| self.text(p))
                .collect();
            // One walk: the names the body declares, and its writes of
            // plain names.
            let mut declared: HashSet<&[u8]> = HashSet::new();
            let mut writes: Vec<(Node<'t>, Node<'t>)> = Vec::new();
            let mut pending = vec![body];
            while let Some(node) = pending.pop() {
                match node.kind() {
                    "declaration" => declared.extend(declared_names(node).map(|n| self.text(n))),
                    "assignment_expression" if operator(node) == Some("=") => {
                        let left = node.child_by_field_name("left").map(stored_object);
                        let right = node.child_by_field_name("right");
                        if let (Some(left), Some(right)) = (left, right) {
                            if left.kind() == "identifier" && may_be_object(right, self.source) {
                                writes.push((left, node));
                            }
                        }
                    }
                    // `lookup(…, &tail)`: the callee may store through it.
                    "pointer_expression" if operator(node) == Some("&") => {
                        let object = node.child_by_field_name("argument").map(stored_object);
                        if let Some(object) = object.filter(|o| o.kind() == "identifier") {
                            let value = evidence::address_value(node).0;
                            if let Some((_, _, call)) = parse::call_argument(value, self.source) {
                                writes.push((object, call));
                            }
                        }
                    }
                    // `SET(tail, v)` with `#define SET(s, v) ((s) = (v))`
                    // writes `tail`; a name given to a macro of the unit
                    // that does not write it may be declared by it
                    // (`DECL_OBJ(mod);`).
                    "call_expression" => {
                        let callee = node
                            .child_by_field_name("function")
                            .filter(|f| f.kind() == "identifier")
                            .and_then(|f| std::str::from_utf8(self.text(f)).ok());
                        if callee.is_some_and(|c| macro_names.contains(c)) {
                            let arguments: Vec<Node<'t>> = node
                                .child_by_field_name("arguments")
                                .map(|a| a.named_children(&mut a.walk()).collect())
                                .unwrap_or_default();
                            for argument in arguments {
                                let argument = strip_parens(argument);
                                if argument.kind() != "identifier" {
                                    continue;
                                }
                                match self.macro_write(argument) {
                                    Some((call, _)) => writes.push((argument, call)),
                                    None => {
                                        declared.insert(self.text(argument));
                                    }
                                }
                            }
                        }
                    }
                    _ => {}
                }
                let mut cursor = node.walk();
                pending.extend(node.named_children(&mut cursor));
            }
            for (name_node, write) in writes {
                let name = self.text(name_node);
                let Ok(text) = std::str::from_utf8(name) else {
                    continue;
                };
                if declared.contains(name)
                    || parameters.contains(&name)
                    || graph.declares_variable(text)
                    || graph.functions().iter().any(|f| f.name == text)
                    || macro_names.contains(text)
                {
                    continue;
                }
                // Any declaration at file scope (`static const struct
                // hooks table = {…};`, which the call graph keeps no
                // variable of), read once and only when asked.
                let file_scope = file_scope.get_or_insert_with(|| {
                    crate::analysis::callgraph::file_scope_items(self.root)
                        .into_iter()
                        .filter(|item| item.kind() == "declaration")
                        .flat_map(|item| declared_names(item).map(|n| self.text(n)))
                        .collect::<HashSet<&[u8]>>()
                });
                if file_scope.contains(name) {
                    continue;
                }
                if !names.iter().any(|n| n == text) {
                    names.push(text.to_owned());
                }
                // Declared by a header of the system or of CPython, or by
                // a macro of the unit (`#define LOCALS PyObject *res,
                // *tmp`): no storage of the extension's own.
                let by_macro = || {
                    macros.names().any(|m| {
                        macros
                            .bodies(m)
                            .iter()
                            .any(|b| crate::scan::unit::mentions(b.as_bytes(), name))
                    })
                };
                if is_system_global(text) || by_macro() {
                    continue;
                }
                fills.record(
                    write,
                    self.guard(write, NO_CANDIDATE),
                    undeclared_reason(text),
                );
            }
        }
        names.sort();
        names
    }

    /// Whether a write stores a pointer into its function's caller's data
    /// ([`Self::caller_data`]).
    fn stores_caller_data(&self, write: Node<'t>) -> bool {
        if write.kind() != "assignment_expression"
            || write.child_by_field_name("operator").map(|o| o.kind()) != Some("=")
        {
            return false;
        }
        let (Some(value), Some(function)) = (
            write.child_by_field_name("right"),
            parse::enclosing_function(write),
        ) else {
            return false;
        };
        self.caller_data(value, function, 0)
    }

    /// Whether `value`, in `function`, points into memory that the
    /// function's callers own: a parameter the function never reassigns,
    /// through casts, an offset (`p + n`) or an element's address (`&p[i]`,
    /// `&p->m`); what is read through such a pointer (`p->buf`, `s.data` of
    /// a structure passed by value, `*pp`, `pp[1]`: a pointer kept in the
    /// caller's memory, which that memory's owner frees); both arms of a
    /// `?:` (each caller data or [`Self::unowned_value`]); a local whose
    /// every value is such a pointer (`q = p`); and the buffer of a local
    /// `Py_buffer` (`view.buf`, the exporting object's memory). `depth`
    /// bounds the locals and arms followed.
    fn caller_data(&self, value: Node<'t>, function: Node<'t>, depth: usize) -> bool {
        if depth > 8 {
            return false;
        }
        let value = strip_parens(value);
        let argument = |n: Node<'t>| n.child_by_field_name("argument");
        match value.kind() {
            "binary_expression" if matches!(operator(value), Some("+" | "-")) => value
                .child_by_field_name("left")
                .is_some_and(|l| self.caller_data(l, function, depth + 1)),
            "pointer_expression" => {
                let Some(inner) = argument(value).map(strip_parens) else {
                    return false;
                };
                match operator(value) {
                    // `*pp`: a pointer the caller keeps.
                    Some("*") => self.caller_data(inner, function, depth + 1),
                    // `&p[i]`, `&p->m`: into what `p` points to.
                    Some("&")
                        if matches!(inner.kind(), "subscript_expression")
                            || (inner.kind() == "field_expression"
                                && operator(inner) == Some("->")) =>
                    {
                        argument(inner).is_some_and(|a| self.caller_data(a, function, depth + 1))
                    }
                    _ => false,
                }
            }
            "subscript_expression" => {
                argument(value).is_some_and(|a| self.caller_data(a, function, depth + 1))
            }
            "field_expression" => {
                let Some(base) = argument(value).map(strip_parens) else {
                    return false;
                };
                if operator(value) == Some(".") && base.kind() == "identifier" {
                    if self.local_of_type(base, function, "Py_buffer") {
                        return true;
                    }
                    // A structure passed by value: its pointers are the
                    // caller's.
                    return self.unreassigned_parameter(base, function);
                }
                operator(value) == Some("->") && self.caller_data(base, function, depth + 1)
            }
            "conditional_expression" => ["consequence", "alternative"].iter().all(|field| {
                value.child_by_field_name(field).is_some_and(|arm| {
                    self.caller_data(arm, function, depth + 1) || self.unowned_value(arm, 0)
                })
            }),
            "identifier" => {
                if self.unreassigned_parameter(value, function) {
                    return true;
                }
                let Some(body) = function.child_by_field_name("body") else {
                    return false;
                };
                match local_values(body, self.text(value), self.source) {
                    LocalValues::Values(values) => {
                        !values.is_empty()
                            && values
                                .iter()
                                .all(|&v| self.caller_data(v, function, depth + 1))
                    }
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// Whether `identifier` names a parameter of `function` that no
    /// declaration of its body hides and no assignment of the unit's
    /// evidence changes.
    fn unreassigned_parameter(&self, identifier: Node<'t>, function: Node<'t>) -> bool {
        let name = self.text(identifier);
        let is_parameter = (0..)
            .map_while(|i| parameter_name(function, i))
            .any(|p| self.text(p) == name);
        let reassigned = self.evidence.assignments.iter().any(|a| {
            a.node.start_byte() >= function.start_byte()
                && a.node.end_byte() <= function.end_byte()
                && self.text(strip_parens(a.target)) == name
        });
        is_parameter && !self.is_local_declared(identifier, function) && !reassigned
    }

    /// Whether `identifier` names a local of `function` declared with the
    /// type `type_name` (its text, as `Py_buffer view;` spells it).
    fn local_of_type(&self, identifier: Node<'t>, function: Node<'t>, type_name: &str) -> bool {
        self.local_declaration(identifier, function)
            .and_then(|d| d.child_by_field_name("type"))
            .is_some_and(|t| self.text(t) == type_name.as_bytes())
    }

    /// Whether a write (`v = value`) stores a pointer to memory that the
    /// static does not own: a pointer into its caller's data
    /// ([`Self::stores_caller_data`]) or a value [`Self::unowned_value`]
    /// proves unowned. `false` for anything else, an allocation or a value
    /// oncevar cannot follow (which may own memory).
    fn stores_unowned_memory(&self, write: Node<'t>) -> bool {
        if self.stores_caller_data(write) {
            return true;
        }
        write.kind() == "assignment_expression"
            && write.child_by_field_name("operator").map(|o| o.kind()) == Some("=")
            && write
                .child_by_field_name("right")
                .is_some_and(|v| self.unowned_value(v, 0))
    }

    /// Whether the pointer `value` evaluates to is provably memory that
    /// whoever stores it does not own: `NULL`, a string literal, an
    /// address (`&table[2]`, `&state`), a function of the unit (a function
    /// pointer), `stdin`/`stdout`/`stderr`, a call of a function listed in
    /// [`capi::UNOWNED_RETURNS`], both arms of a `?:`, through casts, a helper of
    /// the unit whose every `return` gives such a value, and an object-like
    /// macro of the unit whose body is such a value. `depth` bounds the
    /// helpers and macros followed.
    fn unowned_value(&self, value: Node<'t>, depth: usize) -> bool {
        if depth > 8 {
            return false;
        }
        let value = strip_parens(value);
        match value.kind() {
            "null" | "string_literal" | "concatenated_string" => true,
            "number_literal" => self.text(value) == b"0",
            "pointer_expression" => operator(value) == Some("&"),
            "conditional_expression" => ["consequence", "alternative"].iter().all(|field| {
                value
                    .child_by_field_name(field)
                    .is_some_and(|v| self.unowned_value(v, depth + 1))
            }),
            "identifier" => {
                let name = std::str::from_utf8(self.text(value)).unwrap_or("");
                if capi::UNOWNED_NAMES.contains(&name) || capi::UNOWNED_STORAGE.contains(&name) {
                    return true;
                }
                if !self.call_graph.get(self.source).named(name).is_empty() {
                    return true;
                }
                if let Some(body) = self.macro_body(name) {
                    return self.unowned_text(body, depth + 1);
                }
                self.unowned_variable(value, depth + 1)
            }
            // A member of, or an element in, memory the storer does not own
            // (`getpwuid(uid)->pw_dir`, `tzname[0]`), or a member of a
            // Python object (`Py_TYPE(o)->tp_name`): what it points to is
            // that memory's owner's to free, never the storer's.
            "field_expression" if operator(value) == Some("->") => value
                .child_by_field_name("argument")
                .is_some_and(|a| self.object_pointer(a) || self.unowned_value(a, depth + 1)),
            "subscript_expression" => value
                .child_by_field_name("argument")
                .is_some_and(|a| self.unowned_value(a, depth + 1)),
            // An offset from such a pointer (`PyBytes_AS_STRING(b) + 1`):
            // into the same memory (C11 6.5.6p8).
            "binary_expression" if matches!(operator(value), Some("+" | "-")) => value
                .child_by_field_name("left")
                .filter(|l| !parse::is_null_constant(*l, self.source))
                .is_some_and(|l| self.unowned_value(l, depth + 1)),
            // A member of a variable of static storage (`Buf_Type.tp_members`,
            // `state.table[i].name`): what it points to is that variable's,
            // never the storer's.
            "field_expression" if operator(value) == Some(".") => value
                .child_by_field_name("argument")
                .is_some_and(|a| self.static_storage(a)),
            "call_expression" => {
                let Some(callee) = value
                    .child_by_field_name("function")
                    .filter(|f| f.kind() == "identifier")
                else {
                    return false;
                };
                let name = std::str::from_utf8(self.text(callee)).unwrap_or("");
                if capi::UNOWNED_RETURNS.contains(&name) {
                    return true;
                }
                // A function-like macro of the unit whose body is such a
                // call (`#define DATA(o) PyBytes_AS_STRING(o)`).
                if let Some(body) = self.macro_body(name) {
                    return self.unowned_text(body, depth + 1);
                }
                let graph = self.call_graph.get(self.source);
                let [helper] = graph.named(name) else {
                    return false;
                };
                let Some(body) = graph.functions()[*helper].node.child_by_field_name("body") else {
                    return false;
                };
                let mut returned = Vec::new();
                let mut pending = vec![body];
                while let Some(node) = pending.pop() {
                    if node.kind() == "return_statement" {
                        match node.named_child(0) {
                            Some(v) if v.kind() != "comment" => returned.push(v),
                            _ => return false,
                        }
                        continue;
                    }
                    let mut cursor = node.walk();
                    pending.extend(node.named_children(&mut cursor));
                }
                !returned.is_empty() && returned.iter().all(|&v| self.unowned_value(v, depth + 1))
            }
            _ => false,
        }
    }

    /// Whether `object` designates a variable of static storage, or a
    /// member or an element of one: a file-scope variable, or a `static` or
    /// `extern` local, through `.` members and subscripts. A local held by
    /// value, a parameter or anything reached through a pointer is not.
    fn static_storage(&self, object: Node<'t>) -> bool {
        let object = strip_parens(object);
        match object.kind() {
            "identifier" => {
                self.local_storage(object) != Some(true)
                    && (self.resolution.refs.contains_key(&object.node_id())
                        || self.file_scope_variable(self.text(object)))
            }
            "field_expression" if operator(object) == Some(".") => object
                .child_by_field_name("argument")
                .is_some_and(|a| self.static_storage(a)),
            "subscript_expression" => object
                .child_by_field_name("argument")
                .is_some_and(|a| self.static_storage(a)),
            _ => false,
        }
    }

    /// Whether the unit declares a variable `name` outside any function.
    fn file_scope_variable(&self, name: &[u8]) -> bool {
        let mut cursor = self.root.walk();
        let declared = self.root.named_children(&mut cursor).any(|node| {
            node.kind() == "declaration" && declared_names(node).any(|n| self.text(n) == name)
        });
        declared
    }

    /// Whether `value` is, by CPython's own spellings, a pointer to a Python
    /// object, whose members are the object's to free: `Py_TYPE(o)`,
    /// `x->ob_type`, a cast to a pointer to `PyObject` or a `Py…Object`,
    /// a parameter of the enclosing function declared as one
    /// (`PyTypeObject *tp`), or a static of the unit that holds an object
    /// (`static PyObject *typ`). Types a project configures are not asked: a
    /// member of one is then taken as memory that may be owned.
    fn object_pointer(&self, value: Node<'t>) -> bool {
        // Parentheses only: a cast is what the `cast_expression` arm reads.
        let mut value = value;
        while value.kind() == "parenthesized_expression" {
            match value.named_child(0) {
                Some(inner) if inner.kind() != "comment" => value = inner,
                _ => return false,
            }
        }
        let object_type = |declaration: Node, declarator: Option<Node>| {
            let single = declarator.is_some_and(|d| {
                matches!(
                    d.kind(),
                    "pointer_declarator" | "abstract_pointer_declarator"
                ) && d
                    .child_by_field_name("declarator")
                    .is_none_or(|inner| inner.kind() == "identifier")
            });
            single
                && declaration.child_by_field_name("type").is_some_and(|t| {
                    let name = crate::analysis::candidates::squash(
                        std::str::from_utf8(self.text(t)).unwrap_or(""),
                    );
                    crate::options::is_cpython_object_type(&name)
                })
        };
        match value.kind() {
            "call_expression" => value
                .child_by_field_name("function")
                .is_some_and(|f| self.text(f) == b"Py_TYPE"),
            "field_expression" => {
                operator(value) == Some("->")
                    && value
                        .child_by_field_name("field")
                        .is_some_and(|f| self.text(f) == b"ob_type")
            }
            // A cast to an object type, or of an object pointer to any
            // (`((BufferObject *)self)->buffer`: the object's own memory).
            "cast_expression" => {
                value
                    .child_by_field_name("type")
                    .is_some_and(|t| object_type(t, t.child_by_field_name("declarator")))
                    || value
                        .child_by_field_name("value")
                        .is_some_and(|v| self.object_pointer(v))
            }
            "identifier" => {
                // A static of the unit declared as an object pointer.
                if let Some(&symbol) = self.resolution.refs.get(&value.node_id()) {
                    return self.resolution.symbols[symbol]
                        .candidates
                        .iter()
                        .all(|&c| self.candidates[c].object);
                }
                let Some(function) = parse::enclosing_function(value) else {
                    return false;
                };
                let mut declarator = function.child_by_field_name("declarator");
                while let Some(d) = declarator.filter(|d| d.kind() != "function_declarator") {
                    declarator = d.child_by_field_name("declarator");
                }
                let Some(parameters) = declarator.and_then(|d| d.child_by_field_name("parameters"))
                else {
                    return false;
                };
                let mut cursor = parameters.walk();
                let found = parameters
                    .named_children(&mut cursor)
                    .filter(|p| p.kind() == "parameter_declaration")
                    .find(|p| {
                        p.child_by_field_name("declarator")
                            .and_then(innermost_name)
                            .is_some_and(|n| self.text(n) == self.text(value))
                    });
                found.is_some_and(|p| object_type(p, p.child_by_field_name("declarator")))
            }
            _ => false,
        }
    }

    /// Whether the variable `identifier` names points to memory its storer
    /// does not own: an array declared in the unit (its name is its
    /// address, C11 6.3.2.1p3), or a local of the enclosing function whose
    /// every value there ([`local_values`]) is [`Self::unowned_value`]
    /// (`struct passwd *pw = getpwuid(uid);`). A local whose address is
    /// taken, that is stepped or compound-assigned, is not followed.
    fn unowned_variable(&self, identifier: Node<'t>, depth: usize) -> bool {
        let name = self.text(identifier);
        let function = parse::enclosing_function(identifier);
        // A parameter holds whatever its callers pass.
        if function.is_some_and(|f| {
            (0..)
                .map_while(|i| parameter_name(f, i))
                .any(|p| self.text(p) == name)
        }) {
            return false;
        }
        if let Some(body) = function.and_then(|f| f.child_by_field_name("body")) {
            match local_values(body, name, self.source) {
                LocalValues::Undeclared => {}
                LocalValues::Array => return true,
                LocalValues::Values(values) => {
                    return !values.is_empty()
                        && values.iter().all(|&v| self.unowned_value(v, depth));
                }
                LocalValues::Unknown => return false,
            }
        }
        // A file-scope array of the unit (not inside any function).
        let mut pending = vec![self.root];
        while let Some(node) = pending.pop() {
            match node.kind() {
                "function_definition" => continue,
                "declaration" => {
                    if declarators(node).any(|(d, array)| array && self.text(d) == name) {
                        return true;
                    }
                    continue;
                }
                _ => {}
            }
            let mut cursor = node.walk();
            pending.extend(node.named_children(&mut cursor));
        }
        false
    }

    /// [`Self::unowned_value`] for a macro body's text: a string literal,
    /// `NULL` or a standard stream, or a call of a function listed in
    /// [`capi::UNOWNED_RETURNS`].
    fn unowned_text(&self, body: &[u8], depth: usize) -> bool {
        let body = std::str::from_utf8(body).unwrap_or("").trim();
        let body = body
            .strip_prefix('(')
            .and_then(|b| b.strip_suffix(')'))
            .unwrap_or(body)
            .trim();
        if body.starts_with('"') && body.ends_with('"') && body.len() >= 2 {
            return true;
        }
        let word_len = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(body.len());
        let (word, rest) = body.split_at(word_len);
        if rest.is_empty() {
            return capi::UNOWNED_NAMES.contains(&word)
                || self
                    .macro_body(word)
                    .is_some_and(|b| depth < 8 && self.unowned_text(b, depth + 1));
        }
        capi::UNOWNED_RETURNS.contains(&word)
            && rest.trim_start().starts_with('(')
            && rest.ends_with(')')
    }

    /// Whether `identifier` names a local declared in `function`'s body
    /// (which would shadow a parameter of that name).
    fn is_local_declared(&self, identifier: Node<'t>, function: Node<'t>) -> bool {
        self.local_declaration(identifier, function).is_some()
    }

    /// The first declaration (in a preorder walk) of `function`'s body
    /// that declares `identifier`'s name, if any.
    fn local_declaration(&self, identifier: Node<'t>, function: Node<'t>) -> Option<Node<'t>> {
        let name = self.text(identifier);
        let body = function.child_by_field_name("body")?;
        let mut pending = vec![body];
        while let Some(node) = pending.pop() {
            if node.kind() == "declaration" && declared_names(node).any(|n| self.text(n) == name) {
                return Some(node);
            }
            let mut cursor = node.walk();
            pending.extend(node.named_children(&mut cursor));
        }
        None
    }

    /// The body of the file's macro `name` (its last definition), if any.
    fn macro_body(&self, name: &str) -> Option<&'a [u8]> {
        let source = self.source;
        let macros = self.macros.get_or_init(|| {
            parse::keyword_tokens(self.root, source, &["#define"])
                .into_iter()
                .filter_map(|k| k.parent)
                .filter(|n| matches!(n.kind(), "preproc_def" | "preproc_function_def"))
                .filter_map(|n| {
                    let name = n.child_by_field_name("name")?;
                    let body = n.child_by_field_name("value")?;
                    Some((
                        &source[name.start_byte()..name.end_byte()],
                        &source[body.start_byte()..body.end_byte()],
                    ))
                })
                .collect()
        });
        macros.get(name.as_bytes()).copied()
    }

    /// Whether a statement is the invocation of a macro of the file whose
    /// body leaves the function (`return` or `goto`): `REFUSE_BUSY();`.
    fn exiting_macro(&self, statement: Node) -> bool {
        let Some(call) = statement
            .named_child(0)
            .filter(|c| c.kind() == "call_expression")
        else {
            return false;
        };
        let Some(name) = call
            .child_by_field_name("function")
            .filter(|f| f.kind() == "identifier")
            .and_then(|f| f.utf8_text(self.source).ok())
        else {
            return false;
        };
        self.macro_body(name).is_some_and(|body| {
            let body = String::from_utf8_lossy(body);
            parse::word_ends(&body, "return").next().is_some()
                || parse::word_ends(&body, "goto").next().is_some()
        })
    }

    /// Whether `node` lies in a teardown function (`m_clear`, `m_free`, a
    /// dealloc, a finaliser, an atexit hook), by its name; a method or a
    /// getter (Python code calls it: an operation) never is.
    fn is_teardown(&self, node: Node<'t>) -> bool {
        let Some(function) = parse::enclosing_function(node) else {
            return false;
        };
        let graph = self.call_graph.get(self.source);
        let operation = graph.function_at(function).is_some_and(|f| {
            graph.roots().iter().any(|r| {
                r.function == f
                    && matches!(
                        r.kind,
                        crate::analysis::callgraph::RootKind::Method
                            | crate::analysis::callgraph::RootKind::GetSet
                    )
            })
        });
        !operation && parse::function_name(function, self.source).is_some_and(teardown_name)
    }

    /// Whether the symbol is an array of object pointers or a struct (or
    /// array of structs) with object members: its elements or members are
    /// the cache ([`Candidate::access`]), never its name alone.
    fn is_aggregate(&self, symbol: SymbolId) -> bool {
        symbol != OUT_PARAM
            && self.resolution.symbols[symbol]
                .candidates
                .iter()
                .any(|&c| self.candidates[c].is_aggregate())
    }

    /// The cache that `reference` to `symbol` designates
    /// ([`Candidate::access`] of its first declaration).
    fn access<'n>(&self, symbol: SymbolId, reference: Node<'n>) -> Option<Node<'n>> {
        let candidate = self.resolution.symbols[symbol].candidates.first()?;
        self.candidates[*candidate].access(reference, self.source)
    }

    fn text(&self, node: Node) -> &'a [u8] {
        &self.source[node.start_byte()..node.end_byte()]
    }

    fn strip(&self, mut node: Node<'t>) -> Node<'t> {
        loop {
            node = strip_parens(node);
            if node.kind() != "call_expression" {
                return node;
            }
            let wrapped = node
                .child_by_field_name("function")
                .filter(|f| f.kind() == "identifier" && is_condition_wrapper(self.text(*f)))
                .and_then(|_| node.child_by_field_name("arguments")?.named_child(0));
            match wrapped {
                Some(inner) => node = inner,
                None => return node,
            }
        }
    }

    /// Whether an identifier names an automatic local or a parameter of its
    /// function (a `static` local, a file-scope or external variable is
    /// process-wide).
    fn is_local(&self, identifier: Node) -> bool {
        self.local_storage(identifier) == Some(true)
    }

    /// How the function around an identifier declares it: `Some(true)` for
    /// an automatic local or a parameter, `Some(false)` for a `static` or
    /// `extern` local (process-wide), `None` when the function does not
    /// declare it (a file-scope name, or none at all).
    fn local_storage(&self, identifier: Node) -> Option<bool> {
        if !self.may_declare_local(identifier, self.text(identifier)) {
            return None;
        }
        let name = std::str::from_utf8(self.text(identifier)).ok()?;
        crate::analysis::callgraph::local_named(
            identifier,
            parse::ancestors(identifier),
            name,
            self.source,
        )
        .map(|local| local.is_automatic(self.source))
    }

    /// Whether the function around `place` may declare a local or a
    /// parameter named `name`, as [`crate::analysis::callgraph::local_named`]
    /// finds one: false only when no declaration and no parameter inside
    /// that function names it, read in one walk per function
    /// ([`Context::local_names`]). Each question then costs a lookup
    /// instead of a climb through the blocks around `place`, which was
    /// quadratic where every condition of a deep nesting is asked (a
    /// helper's body of 30,000 nested `if (done)` read for its result).
    /// True when the call graph knows no function around `place`.
    fn may_declare_local(&self, place: Node, name: &[u8]) -> bool {
        let graph = self.call_graph.get(self.source);
        let Some(function) = graph.function_at(place) else {
            return true;
        };
        let definition = graph.functions()[function].node;
        if definition.kind() != "function_definition" {
            return true;
        }
        let mut known = self.local_names.borrow_mut();
        let names = known.entry(function).or_insert_with(|| {
            let mut names = HashSet::new();
            let mut pending = vec![definition];
            while let Some(node) = pending.pop() {
                let mut cursor = node.walk();
                pending.extend(node.named_children(&mut cursor));
                match node.kind() {
                    "declaration" => names.extend(declared_names(node).map(|n| self.text(n))),
                    "parameter_declaration" => names.extend(
                        node.child_by_field_name("declarator")
                            .and_then(innermost_name)
                            .map(|n| self.text(n)),
                    ),
                    _ => {}
                }
            }
            names
        });
        names.contains(name)
    }

    /// The calls `name(…)`, in document order. Found through the text, not
    /// by walking the whole tree: each occurrence of the name that is a
    /// call's function identifier.
    fn calls_to(&self, name: &[u8]) -> Vec<Node<'t>> {
        let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        memchr::memmem::find_iter(self.source, name)
            .filter(|&at| {
                let end = at + name.len();
                let starts_word = at == 0 || !is_word(self.source[at - 1]);
                starts_word && self.source.get(end).is_none_or(|&b| !is_word(b))
            })
            .filter_map(|at| {
                let function = self.root.descendant_for_byte_range(at, at + name.len())?;
                let call = function.parent()?;
                (function.kind() == "identifier"
                    && (function.start_byte(), function.end_byte()) == (at, at + name.len())
                    && call.kind() == "call_expression"
                    && call.child_by_field_name("function") == Some(function))
                .then_some(call)
            })
            .collect()
    }

    fn examine_reference(
        &self,
        symbol: SymbolId,
        reference: Node<'t>,
        facts: &mut SymbolFacts<'t>,
    ) {
        let ev = self.evidence;
        // An array of object pointers is used through its elements, a
        // struct through its object members: `table[i]`, `state.error`,
        // `table[i].cls` is what is written, tested and released.
        let reference = if self.is_aggregate(symbol) {
            match self.access(symbol, reference) {
                Some(element) => element,
                None => {
                    self.examine_decayed(symbol, reference, facts);
                    return;
                }
            }
        } else {
            reference
        };
        if let Some((callee, position, _)) = parse::call_argument(reference, self.source) {
            if ev
                .macro_name_arguments
                .get(callee)
                .is_some_and(|names| names.contains(&(position, true)))
            {
                facts.blockers.push(Reason::new(
                    ReasonKind::Macro,
                    format!(
                        "`{}` is also stringized, pasted or used as a member name by macro \
                         `{callee}`, and oncevar never rewrites a token that a macro uses as a name",
                        String::from_utf8_lossy(self.text(reference))
                    ),
                ));
            }
        }
        if ev.updates.contains_key(&reference.node_id()) {
            facts.state = true;
        } else if let Some(&index) = ev.assignment_targets.get(&reference.node_id()) {
            self.examine_write(symbol, ev.assignments[index], facts);
        } else if let Some(&address) = ev.addresses.get(&reference.node_id()) {
            // `init(&v)`, `init((PyObject **)&v)`: the callee writes it.
            let (_, above) = evidence::address_value(address);
            if above.first().is_some_and(|p| p.kind() == "argument_list") {
                let call = above.get(1).unwrap_or(address);
                let argument = evidence::address_argument(reference, self.source)
                    .map(|(callee, position, _)| (callee, position));
                self.examine_slot_argument(symbol, reference, call, argument, facts);
            }
        } else if let Some((call, _)) = self.detached_into(reference) {
            // Copied out and emptied by the macro: a reset, as `tmp = v;
            // v = NULL;` written out.
            facts.null_writes.push(call);
        } else if let Some((call, dropped)) = self.dropped_by_macro(reference) {
            // `DROP(v)`: what its expansion does to `v`, as if written out.
            let clears = match dropped {
                dropped::Dropped::Clears => true,
                dropped::Dropped::Releases => nulled_after(
                    &self.resolution.symbols[symbol].references,
                    call,
                    self.source,
                ),
                dropped::Dropped::Resets => {
                    facts.null_writes.push(call);
                    false
                }
            };
            if clears {
                facts.cleared.push(call);
                if self.guard(call, symbol).is_none() {
                    facts.releases.push(call);
                }
            }
        } else if let Some((call, guarded)) = self.macro_write(reference) {
            if guarded {
                // The macro's own body is the guard, and the rewrite cannot
                // justify an edit that goes through it.
                self.record_write_under(symbol, call, Some(call), facts);
                facts.blockers.push(Reason::new(
                    ReasonKind::Macro,
                    format!(
                        "`{}` is tested and assigned inside macro `{}`, whose body oncevar cannot \
                         rewrite",
                        String::from_utf8_lossy(self.text(reference)),
                        String::from_utf8_lossy(
                            call.child_by_field_name("function")
                                .map_or(&b""[..], |f| self.text(f))
                        )
                    ),
                ));
            } else {
                self.record_write(symbol, call, facts);
            }
        } else if let Some(&(callee, position, call)) =
            evidence::slot_arguments(reference, self.source, &ev.macro_addresses).first()
        {
            // `LAZY(v, …)`, whose body passes `&(v)` to a helper: judged as
            // `fetch(&v)` is.
            self.examine_slot_argument(symbol, reference, call, Some((callee, position)), facts);
        } else if let Some(release) = ev.releases.get(&reference.node_id()) {
            let name = self.text(release.function);
            let replacement = release
                .node
                .child_by_field_name("arguments")
                .and_then(|a| a.named_child(1));
            match replacement {
                // Py_SETREF(v, new): a write of a new value.
                Some(value)
                    if name.ends_with(b"SETREF")
                        && !parse::is_null_constant(value, self.source) =>
                {
                    self.record_write(symbol, release.node, facts);
                }
                // Py_SETREF(v, NULL) falls through: a release and a clear.
                _ => {
                    // A release inside the guard is init's error path, not a
                    // clear; a bare DECREF leaves the static dangling, it is a
                    // clear only when the static is then set to NULL.
                    let clears = name.ends_with(b"CLEAR")
                        || name.ends_with(b"SETREF")
                        || nulled_after(
                            &self.resolution.symbols[symbol].references,
                            release.node,
                            self.source,
                        );
                    if clears {
                        facts.cleared.push(release.node);
                    }
                    if clears && self.guard(release.node, symbol).is_none() {
                        facts.releases.push(release.node);
                    }
                }
            }
        }
    }

    /// `call`, which hands the address of `reference` (a reference of
    /// `symbol`) to `argument`, a function and its parameter position when
    /// known: a helper of the unit read in full ([`Context::slot_use`])
    /// that only reads the slot makes it a use, one that stores NULL
    /// through it a release (`take(&v)`, `drop(&v)`), one that does what
    /// oncevar does not follow a use with a blocker; any other call (a
    /// helper that stores a value, a function the unit does not define)
    /// writes the static (`init(&v)`), guarded at the call or inside the
    /// helper.
    fn examine_slot_argument(
        &self,
        symbol: SymbolId,
        reference: Node<'t>,
        call: Node<'t>,
        argument: Option<(&str, usize)>,
        facts: &mut SymbolFacts<'t>,
    ) {
        let slot_use = argument.and_then(|(callee, position)| {
            self.slot_use(callee, position)
                .or_else(|| self.outside_use(callee, position))
        });
        match slot_use {
            Some(SlotUse::Reads) => {}
            Some(SlotUse::Clears) => {
                facts.cleared.push(call);
                if self.guard(call, symbol).is_none() {
                    facts.releases.push(call);
                }
            }
            Some(SlotUse::Unknown(why)) => {
                facts.blockers.push(Reason::new(
                    ReasonKind::Address,
                    format!(
                        "`&{}` is handed to `{}` (line {}): {why}",
                        String::from_utf8_lossy(self.text(reference)),
                        argument.map_or("", |(callee, _)| callee),
                        call.start_position().row + 1,
                    ),
                ));
                // A function of another unit may fill it: the call is kept
                // as a write, so that the site is not lost.
                if argument.is_some_and(|(callee, _)| self.outside(callee)) {
                    let guard = self.guard(call, symbol).unwrap_or(call);
                    facts.guarded.push((call, guard));
                }
            }
            Some(SlotUse::Fills) | None => {
                let guard = self.guard(call, symbol).or_else(|| {
                    let (callee, position) = argument?;
                    self.helper_guard(callee, position)
                });
                if guard.is_none() {
                    if let Some((callee, position)) = argument {
                        if self.outside_write(reference, call, (callee, position), facts) {
                            return;
                        }
                    }
                }
                self.record_write_under(symbol, call, guard, facts);
            }
        }
    }

    /// What `callee`, a function of another unit, does with the slot
    /// handed as its argument `position`, as its unit answered
    /// ([`OutsideSlot`]): `None` when no unit did (or the unit defines
    /// `callee` itself). An answer not followed names the function's file.
    fn outside_use(&self, callee: &str, position: usize) -> Option<SlotUse> {
        if !self.outside(callee) {
            return None;
        }
        let found = self.outside.get(&(callee.to_owned(), position))?;
        Some(match &found.how {
            SlotUse::Unknown(why) => {
                SlotUse::Unknown(format!("{why} (`{callee}` is defined in {})", found.file))
            }
            how => how.clone(),
        })
    }

    /// Whether `callee` may be a function of another unit: neither a
    /// function the unit defines (parsed, or known to the call graph), nor
    /// one it declares `static` (a definition the parse lost), nor a macro
    /// of the unit.
    fn outside(&self, callee: &str) -> bool {
        if self.helpers.contains_key(callee.as_bytes()) || self.macro_body(callee).is_some() {
            return false;
        }
        if !self.call_graph.get(self.source).named(callee).is_empty() {
            return false;
        }
        !self
            .static_functions
            .get_or_init(|| static_functions(self.source))
            .contains(callee.as_bytes())
    }

    /// `call`, outside any guard of the unit, hands the address of
    /// `reference` to `callee` (argument `position`), a function the unit
    /// does not define: when another unit's `callee` fills the slot only
    /// while it is NULL ([`OutsideSlot::guarded`]), the call is the
    /// static's guarded write; when no unit answered and `callee` is not
    /// CPython's (its data, or a `Py` name) and the call does not run
    /// once (an init, under a flag), the call is taken for a guarded write
    /// too, whose fix is unsafe: the site is reported, not lost. Returns
    /// whether the write was recorded so.
    fn outside_write(
        &self,
        reference: Node<'t>,
        call: Node<'t>,
        (callee, position): (&str, usize),
        facts: &mut SymbolFacts<'t>,
    ) -> bool {
        if !self.outside(callee) {
            return false;
        }
        let name = String::from_utf8_lossy(self.text(reference));
        let line = call.start_position().row + 1;
        let why = match self.outside.get(&(callee.to_owned(), position)) {
            Some(found) if found.guarded => format!(
                "`{name}` is filled by `{callee}` (line {line}), defined in {}, another \
                 unit: oncevar does not follow what it stores across units",
                found.file
            ),
            Some(_) => return false,
            None => {
                let known = callee.starts_with("Py") || callee.starts_with("_Py");
                if known || self.flag_guard(call).is_some() || self.in_init(call) {
                    return false;
                }
                self.asked.borrow_mut().push((callee.to_owned(), position));
                format!(
                    "`&{name}` is handed to `{callee}` (line {line}), which no file scanned \
                     defines where oncevar could read it: whether it fills, reads or \
                     releases `{name}` is unknown"
                )
            }
        };
        facts.guarded.push((call, call));
        facts.blockers.push(Reason::new(ReasonKind::Address, why));
        true
    }

    /// `MACRO(v, …)` where the file's `#define MACRO(x, …)` assigns `x`
    /// a value (not only NULL: [`Context::dropped_by_macro`]): the call,
    /// and whether the macro tests `x` for NULL before (a guard of its
    /// own).
    fn macro_write(&self, reference: Node<'t>) -> Option<(Node<'t>, bool)> {
        let macros = &self.evidence.macro_writes;
        if macros.is_empty() {
            return None;
        }
        let (callee, position, call) = parse::call_argument(reference, self.source)?;
        if !macros.get(callee)?.contains(&position) {
            return None;
        }
        // `(x) = NULL` alone is no value written.
        if self.dropped_by_macro(reference).is_some() {
            return None;
        }
        let guarded = self
            .evidence
            .macro_guarded_writes
            .get(callee)
            .is_some_and(|g| g.contains(&position));
        Some((call, guarded))
    }

    fn examine_write(&self, symbol: SymbolId, write: Assignment<'t>, facts: &mut SymbolFacts<'t>) {
        if write.compound {
            facts.state = true;
            return;
        }
        if parse::is_null_constant(write.value, self.source) {
            facts.null_writes.push(write.node);
            return; // a reset, usually after a release
        }
        let (start, end) = (write.value.start_byte(), write.value.end_byte());
        let self_referential = self.resolution.symbols[symbol]
            .references
            .iter()
            .any(|&r| r.start_byte() >= start && r.end_byte() <= end && evaluated(r, write.value));
        // `v = v->next` is a cursor; `v = concat(prefix, v)` inside the
        // once-block is still that one initialisation, and so is `v = v ?
        // v : make()`, which stores only while `v` is NULL.
        let guard = self
            .guard(write.node, symbol)
            .or_else(|| self.self_assignment_guard(symbol, write));
        if self_referential && guard.is_none() {
            // Under a process-wide flag (`if (!loaded) { …; v = f(v); }`)
            // it is that one initialisation too, set once.
            if self.flag_guard(write.node).is_none() {
                facts.state = true;
                return;
            }
        }
        self.record_write_under(symbol, write.node, guard, facts);
    }

    /// The NULL test of `v = v ? v : make()` (also `v != NULL ? v : …`,
    /// `v == NULL ? make() : v`, GNU's `v ?: make()`): the value is stored
    /// only while `v` is NULL, the other arm keeps it as it is.
    fn self_assignment_guard(&self, symbol: SymbolId, write: Assignment<'t>) -> Option<Node<'t>> {
        let target = strip_parens(write.target);
        let value = strip_parens(write.value);
        if value.kind() != "conditional_expression" {
            return None;
        }
        let function = function_id(write.node);
        let is_itself = |arm: Option<Node<'t>>| {
            arm.map(strip_parens)
                .is_some_and(|a| a.kind() == target.kind() && self.text(a) == self.text(target))
        };
        let condition = value.child_by_field_name("condition")?;
        let consequence = value.child_by_field_name("consequence");
        let alternative = value.child_by_field_name("alternative");
        if consequence.is_none() || is_itself(consequence) {
            // `v ? v : make()`: make() runs when the condition is false.
            self.proves_null(condition, false, symbol, function)
        } else if is_itself(alternative) {
            self.proves_null(condition, true, symbol, function)
        } else {
            None
        }
    }

    fn record_write(&self, symbol: SymbolId, node: Node<'t>, facts: &mut SymbolFacts<'t>) {
        let guard = self.guard(node, symbol);
        self.record_write_under(symbol, node, guard, facts);
    }

    /// Records a write, guarded by `guard` when there is one. A write of an
    /// object with no guard of its own under a process-wide flag (`if
    /// (!inited) { v = make(); inited = 1; }`, `if (done) return …;` before
    /// it) is a lazy fill guarded by the flag when it runs at run time (a
    /// method reaches it on first use, [`Self::flag_fill_at_init`]): the
    /// flag blocker below names it. At init the flag only says the init
    /// ran: set once.
    fn record_write_under(
        &self,
        symbol: SymbolId,
        node: Node<'t>,
        guard: Option<Node<'t>>,
        facts: &mut SymbolFacts<'t>,
    ) {
        let flag = if guard.is_none() {
            self.flag_guard(node)
        } else {
            None
        };
        let object = || {
            self.resolution.symbols[symbol]
                .candidates
                .iter()
                .any(|&c| self.candidates[c].object)
        };
        let lazy_flag = flag.filter(|_| object() && !self.flag_fill_at_init(node));
        if let Some(guard) = guard.or(lazy_flag) {
            facts.guarded.push((node, guard));
            if self.refuses(guard, node) {
                facts.refused = true;
            }
            let mut gates = Vec::new();
            let test = self.state_test(node, symbol, &mut gates);
            // A fill found gated is blocked whatever the gates' fixes.
            if test.is_none() && gates.len() > MAX_GATES_PER_FILL {
                let name = &self.candidates[self.resolution.symbols[symbol].candidates[0]].name;
                facts.blockers.push(Reason::new(
                    ReasonKind::Siblings,
                    format!(
                        "`{name}` is filled past the NULL tests of more than \
                         {MAX_GATES_PER_FILL} other statics, whose fixes oncevar does not weigh"
                    ),
                ));
            } else if test.is_none() {
                facts.gates.extend(gates);
            }
            if let Some(test) = test {
                let name = &self.candidates[self.resolution.symbols[symbol].candidates[0]].name;
                let condition = one_line(test.condition, self.source);
                let lead = match test.state {
                    None => format!("`{name}` is filled under the process-wide flag `{condition}`"),
                    Some(state) if test.handed => format!(
                        "`{name}` is filled in a function that `{condition}` runs once per \
                         process, as the process-wide `{}` decides",
                        String::from_utf8_lossy(self.text(state)).trim()
                    ),
                    Some(state) if state.kind() == "call_expression" => {
                        let call = one_line(state, self.source);
                        let test = if call == condition {
                            format!("`{condition}`")
                        } else {
                            format!("`{condition}`, which calls `{call}`")
                        };
                        format!(
                            "`{name}` is filled only past the test {test}, whose result \
                             process-wide state decides"
                        )
                    }
                    Some(state) if self.unfollowed_local(state) => format!(
                        "`{name}` is filled only past the test `{condition}`, which reads `{}`, \
                         a local whose values oncevar does not follow (at most \
                         {MAX_FOLLOWED_LOCALS} locals in a chain, \
                         {MAX_FOLLOWED_LOCALS_IN_ALL} in all, a test): what it holds may \
                         be process-wide state",
                        String::from_utf8_lossy(self.text(state)).trim()
                    ),
                    Some(state) => format!(
                        "`{name}` is filled only past the test `{condition}`, which reads the \
                         process-wide `{}`",
                        String::from_utf8_lossy(self.text(state)).trim()
                    ),
                };
                let message = gated_reason(lead, test.caller.as_ref(), test.handed);
                facts
                    .blockers
                    .push(Reason::new(ReasonKind::InitPhase, message));
            }
            return;
        }
        // Unguarded: in an init, under its flag or not, or a plain store.
        if let Some(flag) = flag {
            facts.flags.push(flag);
        }
        facts.unguarded.push(Unguarded {
            node,
            once: flag.is_some() || self.in_init(node),
        });
    }

    /// Whether `node` lies in a function that initialises: named like an
    /// init ([`is_init_like`]), one that creates a module, or one that
    /// runs only at init (the call graph says).
    fn in_init(&self, node: Node<'t>) -> bool {
        parse::enclosing_function(node).is_some_and(|f| {
            let graph = self.call_graph.get(self.source);
            parse::function_name(f, self.source).is_some_and(is_init_like)
                || graph.initialises_module(f)
                || graph.runs_only_at_init(f)
        })
    }

    /// Whether a fill under a process-wide flag at `node` runs while a
    /// module initialises: its function creates or initialises a module,
    /// or only an init reaches it (the call graph), or it is named like an
    /// init ([`is_init_like`]) and every function of the unit that calls
    /// or names it is too. A function named like an init that a method
    /// calls (`ensure_initialized()`) fills on first use, at run time.
    fn flag_fill_at_init(&self, node: Node<'t>) -> bool {
        parse::enclosing_function(node).is_some_and(|f| {
            let graph = self.call_graph.get(self.source);
            let init_named = |id: FunctionId| is_init_like(&graph.functions()[id].name);
            graph.initialises_module(f)
                || graph.runs_only_at_init(f)
                || match graph.function_at(f) {
                    Some(id) => {
                        init_named(id) && graph.callers(id).all(|(caller, _)| init_named(caller))
                    }
                    None => parse::function_name(f, self.source).is_some_and(is_init_like),
                }
        })
    }

    /// Writes that only a macro of the unit spells: the static's name is
    /// pasted (`DEF(foo)` with `#define DEF(S) str##S = make(#S)` writes
    /// `strfoo`), or written in the body itself (`#define FILL() cache =
    /// make()`), at any depth of macros ([`Context::expansion_writes`]).
    /// The write counts where the macro is invoked; no rewrite of the
    /// file's text reaches the body.
    fn examine_expansion_writes(&self, facts: &mut [SymbolFacts<'t>]) {
        for write in self.expansion_writes() {
            self.record_write(write.symbol, write.invocation, &mut facts[write.symbol]);
            // A name the body spells is a use inside a macro body, which
            // the rewrite reports itself.
            if write.pasted {
                let name =
                    &self.candidates[self.resolution.symbols[write.symbol].candidates[0]].name;
                facts[write.symbol].blockers.push(Reason::new(
                    ReasonKind::Macro,
                    format!(
                        "`{name}` is written by macro `{}`, which pastes its name: oncevar \
                         cannot rewrite the macro's body",
                        write.macro_name
                    ),
                ));
            }
        }
    }

    /// The writes of statics that only the expansion of a macro invocation
    /// of the unit holds, found once: each function-like macro whose body,
    /// or a macro it invokes in turn, assigns a pasted name or a
    /// candidate's name, is expanded at each of its invocations as the
    /// preprocessor would, with the definition in effect there
    /// ([`UnitMacros::expand_in_effect`]: a macro `#undef`'d and redefined
    /// writes what its body of the moment does), and each name visible
    /// there that the expansion assigns (`name = …`, `(name) = …`, not
    /// `name = NULL`) is written there, unless the invocation spells it
    /// itself (an argument: [`Evidence::macro_writes`] reads those through
    /// their own reference) or a local of the invoking function by that
    /// name hides it.
    fn expansion_writes(&self) -> &[ExpansionWrite<'t>] {
        self.expansion_writes.get_or_init(|| {
            let names: HashSet<&str> = self
                .resolution
                .symbols
                .iter()
                .map(|s| self.candidates[s.candidates[0]].name.as_str())
                .collect();
            if names.is_empty() || !self.source.windows(7).any(|w| w == b"#define") {
                return Vec::new();
            }
            let unit = self
                .unit_macros
                .get_or_init(|| UnitMacros::of(self.root, self.source));
            let bodies: HashMap<&str, Vec<Vec<String>>> = unit
                .names()
                .map(|m| (m, unit.bodies(m).iter().map(|b| pp_tokens(b)).collect()))
                .collect();
            let mut writing: HashSet<&str> = bodies
                .iter()
                .filter(|(_, bs)| bs.iter().any(|b| assigns_name(b, &names)))
                .map(|(m, _)| *m)
                .collect();
            if writing.is_empty() {
                return Vec::new();
            }
            // Each round adds a macro or ends.
            loop {
                let more: Vec<&str> = bodies
                    .iter()
                    .filter(|(m, bs)| {
                        !writing.contains(*m)
                            && bs
                                .iter()
                                .any(|b| b.iter().any(|t| writing.contains(t.as_str())))
                    })
                    .map(|(m, _)| *m)
                    .collect();
                if more.is_empty() {
                    break;
                }
                writing.extend(more);
            }
            let mut invoked: Vec<&str> = writing
                .into_iter()
                .filter(|m| unit.is_function_like(m))
                .collect();
            invoked.sort_unstable();
            let spelled = |name: &str| {
                bodies
                    .values()
                    .any(|bs| bs.iter().any(|b| b.iter().any(|t| t == name)))
            };
            // (`#undef` end, name): a definition before one is out of
            // effect past it.
            let undefs: Vec<(usize, &[u8])> = Index::directives(self.source)
                .into_iter()
                .filter(|d| d.keyword == Keyword::Undef)
                .map(|d| (d.span.end, d.rest(self.source).trim_ascii()))
                .collect();
            let mut found: Vec<ExpansionWrite<'t>> = Vec::new();
            for macro_name in invoked {
                for call in self.calls_to(macro_name.as_bytes()) {
                    let Some(arguments) = call
                        .child_by_field_name("arguments")
                        .and_then(|a| a.utf8_text(self.source).ok())
                    else {
                        continue;
                    };
                    let given = pp_tokens(arguments);
                    let function = parse::enclosing_function(call);
                    let at = call.start_byte();
                    let since = undefs
                        .iter()
                        .filter(|(end, name)| *end <= at && *name == macro_name.as_bytes())
                        .map(|(end, _)| *end)
                        .max()
                        .unwrap_or(0);
                    let expansions = unit.expand_in_effect(macro_name, Some(arguments), since, at);
                    for tokens in expansions.iter().flatten() {
                        for (i, token) in tokens.iter().enumerate() {
                            // A reset (`v = NULL`) is no value written.
                            let written =
                                assigned_value(tokens, i).is_some_and(|v| !null_value(tokens, v));
                            if !names.contains(token.as_str()) || given.contains(token) || !written
                            {
                                continue;
                            }
                            let Some(symbol) =
                                tables::visible(token, function, self.resolution, self.candidates)
                            else {
                                continue;
                            };
                            // A local of the function by that name is what
                            // the expansion writes there.
                            let shadowed = self.candidates
                                [self.resolution.symbols[symbol].candidates[0]]
                                .function
                                .is_none()
                                && function
                                    .and_then(|f| f.child_by_field_name("body"))
                                    .is_some_and(|body| {
                                        !matches!(
                                            local_values(body, token.as_bytes(), self.source),
                                            LocalValues::Undeclared
                                        )
                                    });
                            if shadowed {
                                continue;
                            }
                            if found
                                .iter()
                                .any(|w| w.symbol == symbol && w.invocation.id() == call.id())
                            {
                                continue;
                            }
                            found.push(ExpansionWrite {
                                symbol,
                                invocation: call,
                                macro_name: macro_name.to_owned(),
                                pasted: !spelled(token),
                            });
                        }
                    }
                }
            }
            found
        })
    }

    /// A table entry a macro of the unit spells (`SLOT(close, ">")` with
    /// `#define SLOT(n, t) { &s_##n, t }`): the static's address outlives
    /// its interpreter, and no rewrite of the file's text reaches the
    /// name the macro pastes.
    fn examine_spelled_table_entries(&self, facts: &mut [SymbolFacts<'t>]) {
        for table in self.address_tables {
            for (&symbol, spelling) in &table.entries {
                let Some(spelling) = spelling else { continue };
                let name = &self.candidates[self.resolution.symbols[symbol].candidates[0]].name;
                facts[symbol].blockers.push(Reason::new(
                    ReasonKind::Address,
                    format!(
                        "the address of `{name}` fills `{}` through macro `{spelling}`, so a \
                         pointer to it may outlive its interpreter (and oncevar cannot rewrite \
                         the macro's body)",
                        table.name
                    ),
                ));
            }
        }
    }

    /// A write guarded by a test of another static (a sibling) counts only
    /// when that static is itself a lazy cache: under the guard of a free
    /// list or a cursor, a write is just more state.
    fn drop_orphan_siblings(&self, facts: &mut [SymbolFacts<'t>]) {
        let lazy: Vec<bool> = facts
            .iter()
            .map(|f| !f.state && !f.guarded.is_empty() && f.unguarded.iter().all(|w| w.once))
            .collect();
        for (symbol, facts) in facts.iter_mut().enumerate() {
            let mut kept = Vec::new();
            for (write, guard) in std::mem::take(&mut facts.guarded) {
                let tested = self.tested_static(guard);
                let own = self.subject_is_tested(guard, symbol);
                if !own && tested.is_some_and(|t| t != symbol && t != OUT_PARAM && !lazy[t]) {
                    facts.unguarded.push(Unguarded {
                        node: write,
                        once: false,
                    });
                } else {
                    kept.push((write, guard));
                }
            }
            facts.guarded = kept;
        }
    }
}

fn operator<'t>(node: Node<'t>) -> Option<&'t str> {
    node.child_by_field_name("operator").map(|o| o.kind())
}

/// Whether one of a static's `references` sets it to NULL after `node`, in
/// the same function: `Py_DECREF(v); v = NULL;` is a release, a bare
/// `Py_DECREF(v)` leaves it dangling (or hands the reference on).
pub fn nulled_after(references: &[Node], node: Node, source: &[u8]) -> bool {
    let function = function_id(node);
    references.iter().any(|&later| {
        // Only what the text shows may be assigned climbs the tree.
        let after = source[later.end_byte()..].trim_ascii_start();
        if later.start_byte() <= node.end_byte() || !matches!(after.first(), Some(b'=' | b')')) {
            return false;
        }
        // `(v) = NULL` too.
        let (target, above) = parse::climb(later, |parent, _| {
            parent.kind() == "parenthesized_expression"
        });
        function_id(later) == function
            && above.first().is_some_and(|p| {
                p.kind() == "assignment_expression"
                    && p.child_by_field_name("left") == Some(target)
                    && p.child_by_field_name("right")
                        .is_some_and(|v| parse::is_null_constant(v, source))
            })
    })
}

/// Whether `node`, inside `within`, is evaluated (not under `sizeof`).
fn evaluated(node: Node, within: Node) -> bool {
    for n in std::iter::once(node).chain(parse::ancestors(node)) {
        if n.kind() == "sizeof_expression" || n.kind() == "alignof_expression" {
            return false;
        }
        if n.node_id() == within.node_id() {
            return true;
        }
    }
    true
}

/// `a || b || c` as `[a, b, c]` for the operator `op`. Iterative, with the
/// operands still to visit on a stack: a chain of 15,000 `&&` recursed
/// once per operator and overflowed the thread's stack.
fn flatten<'t>(expr: Node<'t>, op: &str) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut pending = vec![expr];
    while let Some(expr) = pending.pop() {
        let expr = strip_parens(expr);
        if expr.kind() == "binary_expression" && operator(expr) == Some(op) {
            // The right side is visited after the whole left side.
            for field in ["right", "left"] {
                if let Some(side) = expr.child_by_field_name(field) {
                    pending.push(side);
                }
            }
        } else {
            out.push(expr);
        }
    }
    out
}

/// The identifier a declarator declares, through pointers, arrays,
/// parentheses and an initialiser.
pub(crate) fn innermost_name(mut node: Node) -> Option<Node> {
    loop {
        match node.kind() {
            "identifier" => return Some(node),
            "init_declarator"
            | "pointer_declarator"
            | "array_declarator"
            | "attributed_declarator"
            | "function_declarator" => node = node.child_by_field_name("declarator")?,
            "parenthesized_declarator" => node = node.named_child(0)?,
            _ => return None,
        }
    }
}

/// The object that storing into `target` changes, through parentheses,
/// members (`g.dumps`, `g.fns.dumps`) and elements (`arr[1]`): the
/// identifier that names it, or the innermost node that is no member or
/// element of a named object (`p->x` changes what `p` points to).
fn stored_object(target: Node) -> Node {
    let mut node = strip_parens(target);
    loop {
        let inner = match node.kind() {
            "field_expression" if operator(node) == Some(".") => {
                node.child_by_field_name("argument")
            }
            "subscript_expression" => node.child_by_field_name("argument"),
            _ => None,
        };
        match inner {
            Some(inner) => node = strip_parens(inner),
            None => return node,
        }
    }
}

/// Whether the value stored by an assignment may be a Python object: not
/// a number, character or string literal, `true`/`false`/`NULL`, a
/// `sizeof`, arithmetic, nor a name spelled in capitals (a macro's
/// constant, `EINVAL`), through parentheses and casts.
fn may_be_object(value: Node, source: &[u8]) -> bool {
    let mut value = strip_parens(value);
    while value.kind() == "cast_expression" {
        match value.child_by_field_name("value") {
            Some(inner) => value = strip_parens(inner),
            None => return true,
        }
    }
    match value.kind() {
        "number_literal"
        | "char_literal"
        | "string_literal"
        | "concatenated_string"
        | "true"
        | "false"
        | "null"
        | "sizeof_expression"
        | "binary_expression" => false,
        "unary_expression" => false,
        "identifier" => {
            let text = &source[value.byte_range()];
            let capitals = text.iter().any(u8::is_ascii_uppercase)
                && text
                    .iter()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_');
            !capitals && !parse::is_null_constant(value, source)
        }
        _ => true,
    }
}

/// Whether `name` is a global that the C library or CPython's headers
/// declare, which no file of an extension does: `errno` and the other
/// globals of C and POSIX (`optind`, `stderr`, `environ`, …), and CPython's
/// own (`Py…`, `_Py…`: `PyOS_InputHook`).
fn is_system_global(name: &str) -> bool {
    const LIBC: &str = "errno h_errno optind opterr optopt optarg stdin stdout stderr environ \
                        __environ _environ timezone daylight tzname signgam";
    LIBC.split_whitespace().any(|n| n == name) || name.starts_with("Py") || name.starts_with("_Py")
}

/// The reason that blocks the fixes of the statics filled under one guard
/// with `name`, which the text analysed does not declare
/// ([`Context::undeclared_fills`]).
fn undeclared_reason(name: &str) -> String {
    format!(
        "filled under one guard together with `{name}`, which nothing oncevar read declares \
         (its header was not found or not read): it may be object storage that oncevar does \
         not rewrite, which would stay process-wide while every new interpreter fills it \
         again; the statics of one guard are fixed together or not at all"
    )
}

/// The names a declaration declares.
fn declared_names(declaration: Node) -> impl Iterator<Item = Node> {
    let mut cursor = declaration.walk();
    declaration
        .children_by_field_name("declarator", &mut cursor)
        .filter_map(innermost_name)
        .collect::<Vec<_>>()
        .into_iter()
}

/// Whether a declaration carries the storage class `keyword`.
fn has_storage(declaration: Node, source: &[u8], keyword: &str) -> bool {
    let mut cursor = declaration.walk();
    let found = declaration
        .children(&mut cursor)
        .any(|c| c.kind() == "storage_class_specifier" && c.utf8_text(source) == Ok(keyword));
    found
}

/// The helpers of the file, each with its parameter, that a pointer handed
/// as argument `position` of `callee` reaches: `callee`'s own and those it
/// hands the parameter on to ([`slot_helpers`]), or, when `callee` is no
/// function of the file, through its macros that pass the argument on as
/// it is (`FILL(t)` expanding to `fill((t), n)`: `passes`, the unit's
/// [`evidence::Evidence::macro_passes`]), at most 4 macros deep. `helpers`
/// is the file's function definitions by name
/// ([`parse::function_definitions`]).
pub fn decayed_helpers<'t, 's>(
    helpers: &HashMap<&'s [u8], Node<'t>>,
    passes: &evidence::MacroAddresses,
    callee: &[u8],
    position: usize,
    source: &'s [u8],
) -> Vec<(Node<'t>, &'s [u8])> {
    let mut reached = Vec::new();
    let mut pending = vec![(callee, position, 0)];
    while let Some((callee, position, depth)) = pending.pop() {
        if let Some(&helper) = helpers.get(callee) {
            reached.extend(slot_helpers(helpers, helper, position, source));
        } else if depth < 4 {
            let passed = std::str::from_utf8(callee).ok().and_then(|c| passes.get(c));
            for (parameter, next, at) in passed.into_iter().flatten() {
                if *parameter == position {
                    pending.push((next.as_bytes(), *at, depth + 1));
                }
            }
        }
    }
    reached
}

/// The helpers of the file that a static's address reaches when it is
/// passed as argument `position` of `helper` (`fetch(&v)`): that helper
/// with the name of its parameter, and the helpers it hands the parameter
/// on to as it is (`fill(slot, …)` inside `lookup(PyObject **slot, …)`),
/// up to three calls deep; also a helper's local that copies the
/// parameter where it is declared and is never assigned again
/// (`PyObject **p = (PyObject **)slot;` in a helper taking `void *`).
/// `helpers` is the file's function definitions by name
/// ([`parse::function_definitions`]).
pub fn slot_helpers<'t, 's>(
    helpers: &HashMap<&'s [u8], Node<'t>>,
    helper: Node<'t>,
    position: usize,
    source: &'s [u8],
) -> Vec<(Node<'t>, &'s [u8])> {
    let mut out: Vec<(Node<'t>, &'s [u8])> = Vec::new();
    let mut pending = vec![(helper, position, 0)];
    while let Some((function, position, depth)) = pending.pop() {
        let Some(parameter) = parameter_name(function, position) else {
            continue;
        };
        let parameter = &source[parameter.start_byte()..parameter.end_byte()];
        if out
            .iter()
            .any(|(f, p)| f.node_id() == function.node_id() && *p == parameter)
        {
            continue;
        }
        out.push((function, parameter));
        if depth == 2 {
            continue;
        }
        let Some(body) = function.child_by_field_name("body") else {
            continue;
        };
        let mut copied: Vec<&[u8]> = Vec::new();
        let mut reassigned: Vec<&[u8]> = Vec::new();
        let mut nodes = vec![body];
        while let Some(node) = nodes.pop() {
            let mut cursor = node.walk();
            nodes.extend(node.named_children(&mut cursor));
            // `PyObject **p = (PyObject **)slot;`: a copy of the slot (a
            // helper taking `void *`) is the slot.
            if node.kind() == "init_declarator" {
                let copies = node.child_by_field_name("value").is_some_and(|v| {
                    let v = strip_parens(v);
                    v.kind() == "identifier" && &source[v.byte_range()] == parameter
                });
                let name = declared_name(node).map(|n| &source[n.byte_range()]);
                copied.extend(name.filter(|_| copies));
                continue;
            }
            // A copy assigned again holds something else.
            if node.kind() == "assignment_expression" {
                let left = node.child_by_field_name("left").map(strip_parens);
                reassigned.extend(
                    left.filter(|l| l.kind() == "identifier")
                        .map(|l| &source[l.byte_range()]),
                );
            }
            if node.kind() != "call_expression" {
                continue;
            }
            let Some(callee) = node
                .child_by_field_name("function")
                .filter(|f| f.kind() == "identifier")
                .and_then(|f| helpers.get(&source[f.start_byte()..f.end_byte()]))
            else {
                continue;
            };
            let Some(arguments) = node.child_by_field_name("arguments") else {
                continue;
            };
            let mut cursor = arguments.walk();
            let passed = arguments
                .named_children(&mut cursor)
                .filter(|a| a.kind() != "comment")
                .position(|a| {
                    let a = strip_parens(a);
                    a.kind() == "identifier" && &source[a.start_byte()..a.end_byte()] == parameter
                });
            if let Some(at) = passed {
                pending.push((*callee, at, depth + 1));
            }
        }
        for name in copied {
            let known = out
                .iter()
                .any(|(f, p)| f.node_id() == function.node_id() && *p == name);
            if !known && !reassigned.contains(&name) {
                out.push((function, name));
            }
        }
    }
    out
}

/// The name of a function definition's parameter at `position`.
pub fn parameter_name(function: Node, position: usize) -> Option<Node> {
    let mut declarator = function.child_by_field_name("declarator")?;
    while declarator.kind() != "function_declarator" {
        declarator = declarator.child_by_field_name("declarator")?;
    }
    let parameters = declarator.child_by_field_name("parameters")?;
    let mut cursor = parameters.walk();
    let parameter = parameters
        .named_children(&mut cursor)
        .filter(|p| p.kind() == "parameter_declaration")
        .nth(position)?;
    innermost_name(parameter.child_by_field_name("declarator")?)
}

/// The name an `init_declarator` declares.
fn declared_name(init: Node) -> Option<Node> {
    let mut node = init.child_by_field_name("declarator")?;
    while node.kind() == "pointer_declarator" {
        node = node.child_by_field_name("declarator")?;
    }
    (node.kind() == "identifier").then_some(node)
}

/// Whether a function's name says teardown: one of its words (split at
/// `_` and at lower-to-upper case changes) is `clear`, `free`, `fini`,
/// `finalize`, `dealloc`, `destroy`, `exit`, `unload`, `teardown`,
/// `cleanup` or `shutdown` (`module_free`, `xx_dealloc`, `freeCache`; not
/// `finish_batch`).
fn teardown_name(name: &str) -> bool {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if (c == '_' || (c.is_ascii_uppercase() && previous_lower)) && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        if c != '_' {
            word.push(c.to_ascii_lowercase());
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
    }
    words.push(word);
    words.iter().any(|w| {
        let w = w.trim_end_matches(|c: char| c.is_ascii_digit());
        [
            "clear", "free", "fini", "finalize", "finalise", "dealloc", "destroy", "exit",
            "atexit", "unload", "teardown", "cleanup", "shutdown",
        ]
        .contains(&w)
    })
}

/// Functions that run once per module or interpreter set-up.
pub fn is_init_like(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name.starts_with("PyInit_")
        || lower.contains("init")
        || lower.contains("exec")
        || lower.contains("setup")
}
