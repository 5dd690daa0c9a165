//! Where a unit's code runs without a thread state: after the GIL is
//! released (`Py_BEGIN_ALLOW_THREADS` up to `Py_END_ALLOW_THREADS`,
//! `PyEval_SaveThread()` up to `PyEval_RestoreThread()`, or the unit's own
//! macros that expand to them), in a function that takes the GIL itself
//! (`PyGILState_Ensure()`, a callback of another thread) before it does,
//! in a signal handler (a function given to `PyOS_setsig`, `signal` or
//! `sigaction`'s `sa_handler`: the signal arrives whatever the thread is
//! doing, inside another function's allow-threads region too), and in the
//! functions called from such code. `Py_ONCEVAR(v)` asks for
//! the current interpreter (`PyInterpreterState_Get()`), a fatal error
//! where the thread has no state, so a reference there makes the fix
//! unsafe.
//!
//! The state is read in source order within each function, as CPython's
//! own macros pair (`Py_BLOCK_THREADS` inside an allow-threads block takes
//! the GIL back until `Py_UNBLOCK_THREADS`); a change of state in a block
//! that leaves its function or loop after it (`{ Py_BLOCK_THREADS; return
//! NULL; }`, `if (err) { PyGILState_Release(g); return -1; }`) counts only
//! to the end of that block, since no path goes on past the block from it.
//!
//! `PyGILState_Ensure()` … `PyGILState_Release()` gives the thread back the
//! state it was entered with: none for a callback of another thread, the
//! caller's for a function that only ever runs with one. A function whose
//! every caller calls it holding a thread state, and that Python code or
//! the module machinery calls (a method, a slot) or nobody else, is
//! entered holding one: its Ensure and Release change nothing, and what
//! follows the Release keeps the state (the call graph's edges and roots
//! decide; a function given away as a pointer may be called from anywhere).

use std::collections::HashMap;

use tree_sitter::Node;

use crate::analysis::callgraph::{CallGraph, EdgeKind, FunctionId, RootKind, UnitMacros};
use crate::analysis::capi::THREAD_STATE_CALLS;
use crate::analysis::parse::{self, macro_bodies, HasNodeId};
use crate::diagnostic::{Reason, ReasonKind, Span};
use crate::fix::handoff;
use crate::scan::lexer::{Lexer, Token};
use crate::scan::source::Source;

/// The C library's and CPython's calls that install a signal handler, and
/// the position of the handler among their arguments (0-based).
pub(crate) const SIGNAL_REGISTRARS: &[(&str, usize)] = &[
    ("PyOS_setsig", 1),
    ("signal", 1),
    ("sigset", 1),
    ("bsd_signal", 1),
    ("sysv_signal", 1),
];

/// The members of `struct sigaction` that hold a handler.
const SIGACTION_MEMBERS: &[&str] = &["sa_handler", "sa_sigaction"];

/// How deep a macro's body is followed through the macros it invokes.
const MAX_MACRO_DEPTH: usize = 16;

/// One change of the thread's state inside a function.
#[derive(Debug)]
struct Event {
    /// Byte offset in the unit's text of the call's or macro's name (of
    /// the `(` or `)` of a macro argument that runs without the GIL).
    at: usize,
    /// Where its effect ends: the end of its block when the block leaves
    /// after it (`return`, `goto`, `break`, `continue`), else never.
    until: usize,
    /// Whether the thread ends up without a thread state.
    released: bool,
    /// The call's or macro's name.
    spelling: String,
}

/// How a function is entered.
#[derive(Debug)]
enum Entry {
    /// With the caller's thread state, as every function of the C API is.
    Held,
    /// Its first change of state takes the GIL (`PyGILState_Ensure()`):
    /// whoever calls it may hold none, as a C library's callback run on
    /// its own thread. The index of that event.
    TakesTheGil(usize),
    /// Called from `caller` at byte offset `site`, where no thread state
    /// is held.
    CalledWithout { caller: FunctionId, site: usize },
    /// A signal handler: installed by `by` (`PyOS_setsig`, `sa_handler`)
    /// at byte offset `site`; it runs wherever the signal arrives.
    SignalHandler { by: String, site: usize },
}

/// What each macro of the unit does to the thread's state where it is
/// invoked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct MacroEffect {
    /// The state it leaves: `Some(true)` released, `Some(false)` held.
    last: Option<bool>,
    /// Whether its body releases the GIL and takes it back later: the
    /// arguments of a function-like one run without it (`#define
    /// NOGIL(stmt) Py_BEGIN_ALLOW_THREADS stmt; Py_END_ALLOW_THREADS`).
    wraps: bool,
}

/// The thread state of every function of a unit; see the module doc.
pub(crate) struct ThreadStates {
    /// Per function (by [`FunctionId`]), its changes of state in source
    /// order.
    events: Vec<Vec<Event>>,
    /// Per function, how it is entered.
    entries: Vec<Entry>,
}

impl ThreadStates {
    /// Reads the changes of state of every function of `graph`, over the
    /// unit's text `bytes` whose parsed tree is `root`, and follows the
    /// calls made without a thread state to a fixed point.
    pub(crate) fn of(graph: &CallGraph, root: Node, bytes: &[u8]) -> ThreadStates {
        let count = graph.functions().len();
        let mentioned = THREAD_STATE_CALLS
            .iter()
            .map(|(name, _)| *name)
            .chain(SIGNAL_REGISTRARS.iter().map(|(name, _)| *name))
            .chain(SIGACTION_MEMBERS.iter().copied())
            .any(|name| memchr::memmem::find(bytes, name.as_bytes()).is_some());
        if !mentioned {
            return ThreadStates {
                events: (0..count).map(|_| Vec::new()).collect(),
                entries: (0..count).map(|_| Entry::Held).collect(),
            };
        }
        let effects = macro_effects(root, bytes);
        let mut events: Vec<Vec<Event>> = graph
            .functions()
            .iter()
            .map(|f| function_events(f.node, bytes, &effects))
            .collect();
        // A function of the unit that leaves the state changed (Pillow's
        // ImagingSectionEnter stores PyEval_SaveThread() through a cookie,
        // ImagingSectionLeave restores it) changes its caller's state at
        // each call, as a macro would; wrappers of wrappers to a fixed
        // point, one level per round.
        for _ in 0..count {
            let nets: Vec<Option<bool>> = events.iter().map(|e| net_effect(e)).collect();
            let mut added = false;
            for (function, own) in events.iter_mut().enumerate() {
                let node = graph.functions()[function].node;
                for edge in graph.edges(function) {
                    let at = edge.site.start_byte();
                    let Some(released) = nets[edge.to] else {
                        continue;
                    };
                    if edge.kind != EdgeKind::Call
                        || edge.to == function
                        || own.iter().any(|e| e.at == at)
                    {
                        continue;
                    }
                    own.push(Event {
                        at,
                        until: leaving_block_end(node, at),
                        released,
                        spelling: graph.functions()[edge.to].name.clone(),
                    });
                    added = true;
                }
                own.sort_by_key(|e| e.at);
            }
            if !added {
                break;
            }
        }
        let mut entries: Vec<Entry> = events
            .iter()
            .map(|events| match events.first() {
                Some(first) if !first.released => Entry::TakesTheGil(0),
                _ => Entry::Held,
            })
            .collect();
        let macros = UnitMacros::of(root, bytes);
        for (function, entry) in entries.iter_mut().enumerate() {
            if let Some((by, site)) = signal_handler(graph, function, root, bytes, &macros) {
                *entry = Entry::SignalHandler { by, site };
            }
        }
        let mut states = ThreadStates { events, entries };
        states.entered_holding(graph);
        // Calls made without a thread state, followed to a fixed point: a
        // callee entered so may make such calls in turn.
        loop {
            let mut found: Vec<(FunctionId, Entry)> = Vec::new();
            for function in 0..count {
                for edge in graph.edges(function) {
                    if edge.kind == EdgeKind::Reference
                        || !matches!(states.entries[edge.to], Entry::Held)
                        || found.iter().any(|(to, _)| *to == edge.to)
                    {
                        continue;
                    }
                    let site = edge.site.start_byte();
                    if states.without(function, site).is_some() {
                        found.push((
                            edge.to,
                            Entry::CalledWithout {
                                caller: function,
                                site,
                            },
                        ));
                    }
                }
            }
            if found.is_empty() {
                break;
            }
            for (to, entry) in found {
                states.entries[to] = entry;
            }
        }
        states
    }

    /// A function that takes the GIL with `PyGILState_Ensure()` first but
    /// is only ever entered holding a thread state ([`entered_holding`]):
    /// its Ensure and Release change nothing. To a fixed point, since
    /// such a function's callers may be such functions.
    fn entered_holding(&mut self, graph: &CallGraph) {
        for _ in 0..self.entries.len() {
            let mut changed = false;
            for function in 0..self.entries.len() {
                if matches!(self.entries[function], Entry::TakesTheGil(_))
                    && entered_holding(self, graph, function)
                {
                    self.entries[function] = Entry::Held;
                    self.events[function].retain(|e| {
                        !matches!(
                            e.spelling.as_str(),
                            "PyGILState_Ensure" | "PyGILState_Release"
                        )
                    });
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// Why the thread may hold no state at byte offset `at` of `function`:
    /// the change of state in effect there, or how the function is
    /// entered; `None` where it holds one.
    fn without(&self, function: FunctionId, at: usize) -> Option<Result<&Event, &Entry>> {
        let mut current: Option<&Event> = None;
        for event in &self.events[function] {
            if event.at >= at {
                break;
            }
            if event.until > at {
                current = Some(event);
            }
        }
        match current {
            Some(event) if event.released => Some(Ok(event)),
            Some(_) => None,
            None => match &self.entries[function] {
                Entry::Held => None,
                entry => Some(Err(entry)),
            },
        }
    }

    /// Why `name` cannot become a per-interpreter slot when one of its
    /// `references` lies where the thread may hold no state: the reason
    /// names the line and what released the GIL there (or the callback
    /// that takes it later, or the caller that calls without it).
    pub(crate) fn reason(
        &self,
        graph: &CallGraph,
        source: &Source,
        references: &[Node],
        name: &str,
    ) -> Option<Reason> {
        let line_of = |at: usize| source.file_line(at);
        for &reference in references {
            let Some(function) = graph.function_at(reference) else {
                continue;
            };
            let Some(condition) = self.condition(graph, function, reference.start_byte(), &line_of)
            else {
                continue;
            };
            let line = source.file_line(reference.start_byte());
            let used = &graph.functions()[function].name;
            return Some(
                Reason::new(
                    ReasonKind::ThreadState,
                    format!(
                        "`{name}` is used on line {line} in `{used}`{condition}: {}",
                        no_thread_state(name)
                    ),
                )
                .at(&source.display_path, source.location(Span::of(reference))),
            );
        }
        None
    }

    /// Why the thread may hold no state at byte offset `at` of `function`,
    /// as the end of a sentence saying what happens there (`` after
    /// `Py_BEGIN_ALLOW_THREADS` (line 6) released the GIL``, ``, which
    /// `work` calls on line 9 where it holds no thread state``); `line_of`
    /// gives the line of a byte offset of the unit's text. `None` where it
    /// holds one.
    pub(crate) fn condition(
        &self,
        graph: &CallGraph,
        function: FunctionId,
        at: usize,
        line_of: &dyn Fn(usize) -> usize,
    ) -> Option<String> {
        let why = self.without(function, at)?;
        Some(match why {
            Ok(event) => format!(
                " after `{}` (line {}) released the GIL",
                event.spelling,
                line_of(event.at)
            ),
            Err(Entry::TakesTheGil(first)) => {
                let event = &self.events[function][*first];
                format!(
                    " before it takes the GIL with `{}` (line {}): its callers may hold none (a \
                     callback run on another thread)",
                    event.spelling,
                    line_of(event.at)
                )
            }
            Err(Entry::SignalHandler { by, site }) => format!(
                ", a signal handler (given to `{by}` on line {}): it runs wherever the signal \
                 arrives, also where the thread holds no thread state",
                line_of(*site)
            ),
            Err(Entry::CalledWithout { caller, site }) => format!(
                ", which `{}` calls on line {} where it holds no thread state",
                graph.functions()[*caller].name,
                line_of(*site)
            ),
            Err(Entry::Held) => return None,
        })
    }
}

/// How a reason about a use where the thread holds no state ends.
pub(crate) fn no_thread_state(name: &str) -> String {
    format!(
        "`Py_ONCEVAR({name})` there would ask for the current interpreter with no thread \
         state, a fatal error"
    )
}

/// Whether `function` is only ever entered holding a thread state: it is
/// reached at least one way, by calls (not through a pointer or a macro)
/// from places of the unit that hold one, and as a root only by Python or
/// the module machinery (a method, getter, slot, module init or exec),
/// never through a table or from another unit.
fn entered_holding(states: &ThreadStates, graph: &CallGraph, function: FunctionId) -> bool {
    let mut reached = false;
    for (caller, edge) in graph.callers(function) {
        if edge.kind != EdgeKind::Call
            || caller == function
            || states.without(caller, edge.site.start_byte()).is_some()
        {
            return false;
        }
        reached = true;
    }
    for root in graph.roots().iter().filter(|r| r.function == function) {
        match root.kind {
            RootKind::Method
            | RootKind::GetSet
            | RootKind::TypeSlot
            | RootKind::ModuleInit
            | RootKind::ModuleCreate
            | RootKind::ModuleExec
            | RootKind::ModuleTraverse
            | RootKind::ModuleClear
            | RootKind::ModuleFree => reached = true,
            RootKind::Table | RootKind::Exported => return false,
        }
    }
    reached
}

/// Whether `function` is installed as a signal handler: the registrar
/// (`PyOS_setsig`, `sa_handler`) and the byte offset where it is named;
/// `unit` is the unit's parsed tree over `bytes`.
/// Each place the unit names it as a value, or names a table of the unit
/// that holds it, is followed where the value goes
/// ([`CallGraph::value_uses`]: into the parameters of the unit's functions,
/// as `set_handler(SIGUSR1, on_usr1)` hands it to `sa.sa_handler = fn`), and
/// each place it reaches is read by [`installs`].
fn signal_handler<'t>(
    graph: &CallGraph<'t>,
    function: FunctionId,
    unit: Node<'t>,
    bytes: &[u8],
    macros: &UnitMacros,
) -> Option<(String, usize)> {
    // Each site, and whether it names the function itself (not a table).
    let mut sites: Vec<(Node<'t>, bool)> = graph
        .callers(function)
        .filter(|(_, e)| e.kind == EdgeKind::Reference)
        .map(|(_, e)| (e.site, true))
        .collect();
    for root in graph.roots().iter().filter(|r| r.function == function) {
        sites.push((root.site, true));
        // A table with external linkage is a root: where the unit names
        // it, its entries are read (`handlers[i].fn`).
        if let Some(table) = &root.table {
            for at in crate::scan::unit::occurrences(bytes, table.as_bytes()) {
                let named = unit
                    .descendant_for_byte_range(at, at + table.len())
                    .filter(|n| {
                        n.kind() == "identifier" && parse::enclosing_function(*n).is_some()
                    });
                sites.extend(named.map(|n| (n, false)));
            }
        }
    }
    for (site, names_function) in sites {
        for (value, through) in graph.value_uses(site, bytes) {
            let function_itself = names_function && through.is_empty();
            if let Some(by) = installs(value, bytes, macros, function_itself) {
                return Some((by, site.start_byte()));
            }
        }
    }
    None
}

/// The registrar that installs the function value named at `site` as a
/// signal handler, if one does there: `site` (through casts, parentheses,
/// and the members and elements of a table that holds it: `handlers[i].fn`)
/// is the handler argument of a call of [`SIGNAL_REGISTRARS`], or of a
/// macro of the unit whose expansion makes such a call with it there
/// (`#define INSTALL_HANDLER(sig, fn) PyOS_setsig((sig), (fn))`), or the
/// value a `sa_handler`/`sa_sigaction` member is assigned or initialised
/// with. `function_itself`: `site` is the function's own name, so its
/// address (`signal(SIGINT, &on_sigint)`) is the same value.
fn installs(
    site: Node,
    bytes: &[u8],
    macros: &UnitMacros,
    function_itself: bool,
) -> Option<String> {
    // Up a few levels (`climb` reads the ancestors once).
    let mut levels = 0;
    let mut in_table = false;
    let (value, above) = parse::climb(site, |parent, child| {
        levels += 1;
        if matches!(parent.kind(), "field_expression" | "subscript_expression")
            && parent.child_by_field_name("argument") == Some(child)
        {
            in_table = true;
            return levels <= 8;
        }
        levels <= 8 && parse::holds_function_value(parent, child, function_itself && !in_table)
    });
    let parent = above.first()?;
    match parent.kind() {
        "argument_list" => {
            let call = above.get(1)?;
            let callee = call
                .child_by_field_name("function")?
                .utf8_text(bytes)
                .ok()?;
            let mut cursor = parent.walk();
            let position = parent
                .named_children(&mut cursor)
                .filter(|a| a.kind() != "comment")
                .position(|a| a.id() == value.id())?;
            if let Some((_, at)) = SIGNAL_REGISTRARS.iter().find(|(n, _)| *n == callee) {
                return (position == *at).then(|| callee.to_owned());
            }
            // A macro of the unit: its expansion, with this argument marked.
            let arguments = parent.utf8_text(bytes).ok()?;
            let name = site.utf8_text(bytes).ok()?;
            macros
                .expand_each(callee, Some(arguments), &[])
                .into_iter()
                .flatten()
                .find_map(|tokens| installed_in(&tokens, name))
                .map(|by| format!("{by}` through macro `{callee}"))
        }
        "assignment_expression" => parent
            .child_by_field_name("left")
            .filter(|_| {
                parent
                    .child_by_field_name("right")
                    .is_some_and(|r| r.id() == value.id())
            })
            .filter(|l| l.kind() == "field_expression")
            .and_then(|l| l.child_by_field_name("field"))
            .and_then(|f| f.utf8_text(bytes).ok())
            .filter(|f| SIGACTION_MEMBERS.contains(f))
            .map(str::to_owned),
        "initializer_pair" => {
            let text = parent.utf8_text(bytes).unwrap_or("");
            SIGACTION_MEMBERS
                .iter()
                .find(|m| {
                    text.trim_start()
                        .strip_prefix('.')
                        .is_some_and(|t| t.trim_start().starts_with(*m))
                })
                .map(|m| (*m).to_owned())
        }
        _ => None,
    }
}

/// The registrar in a macro's expansion (`tokens`) that installs `name` as
/// a signal handler: a call of [`SIGNAL_REGISTRARS`] whose handler
/// argument holds `name`, or `sa_handler = name` (`sa_sigaction`).
fn installed_in(tokens: &[String], name: &str) -> Option<String> {
    let by_call = handoff::calls_with(tokens, name)
        .into_iter()
        .find(|(callee, position)| {
            SIGNAL_REGISTRARS
                .iter()
                .any(|(registrar, at)| registrar == callee && at == position)
        })
        .map(|(callee, _)| callee);
    by_call.or_else(|| {
        tokens.iter().enumerate().find_map(|(i, token)| {
            let member = SIGACTION_MEMBERS.contains(&token.as_str())
                && tokens.get(i + 1).map(String::as_str) == Some("=")
                && tokens[i + 2..]
                    .iter()
                    .take_while(|t| *t != ";" && *t != ",")
                    .any(|t| t == name);
            member.then(|| token.clone())
        })
    })
}

/// The state a function with `events` leaves its caller in, when it does
/// not give back what it was entered with: `Some(true)` when its first
/// and its last lasting change both release the GIL (a helper that
/// enters a section), `Some(false)` when both take it back (one that
/// leaves it); `None` for a function that changes nothing or pairs its
/// changes (releases and takes back, or takes and gives back).
fn net_effect(events: &[Event]) -> Option<bool> {
    let first = events.first()?;
    let last = events.iter().rev().find(|e| e.until == usize::MAX)?;
    (first.released == last.released).then_some(last.released)
}

/// The effect of every macro of the unit that changes the thread's state,
/// directly or through the macros it invokes.
fn macro_effects(root: Node, bytes: &[u8]) -> HashMap<String, MacroEffect> {
    let bodies: HashMap<String, String> = macro_bodies(root, bytes).into_iter().rev().collect();
    let mut effects = HashMap::new();
    for name in bodies.keys() {
        let effect = macro_effect(name, &bodies, 0);
        if effect.last.is_some() {
            effects.insert(name.clone(), effect);
        }
    }
    effects
}

/// The effect of the macro `name` ([`MacroEffect`]), its body followed
/// through other macros up to [`MAX_MACRO_DEPTH`] deep.
fn macro_effect(name: &str, bodies: &HashMap<String, String>, depth: usize) -> MacroEffect {
    let mut effect = MacroEffect {
        last: None,
        wraps: false,
    };
    let Some(body) = bodies.get(name).filter(|_| depth < MAX_MACRO_DEPTH) else {
        return effect;
    };
    let mut released_once = false;
    let mut lexer = Lexer::at(body.as_bytes(), 0);
    while let Some(token) = lexer.next_token(false) {
        let Token::Ident(word) = token else { continue };
        let Ok(word) = std::str::from_utf8(word) else {
            continue;
        };
        let change = match THREAD_STATE_CALLS.iter().find(|(n, _)| *n == word) {
            Some(&(_, released)) => Some(released),
            None if word != name && bodies.contains_key(word) => {
                let inner = macro_effect(word, bodies, depth + 1);
                effect.wraps |= inner.wraps;
                inner.last
            }
            None => None,
        };
        if let Some(released) = change {
            effect.wraps |= released_once && !released;
            released_once |= released;
            effect.last = Some(released);
        }
    }
    effect
}

/// The changes of state in the body of `function`, in source order.
fn function_events(
    function: Node,
    bytes: &[u8],
    effects: &HashMap<String, MacroEffect>,
) -> Vec<Event> {
    let end = function.end_byte();
    let mut events = Vec::new();
    let mut lexer = Lexer::at(bytes, function.start_byte());
    let offset = |token: &[u8]| token.as_ptr() as usize - bytes.as_ptr() as usize;
    while let Some(token) = lexer.next_token(false) {
        let Token::Ident(word) = token else { continue };
        let at = offset(word);
        if at >= end {
            break;
        }
        let Ok(spelling) = std::str::from_utf8(word) else {
            continue;
        };
        let (released, wraps) = match THREAD_STATE_CALLS.iter().find(|(n, _)| *n == spelling) {
            Some(&(_, released)) => (released, false),
            None => match effects.get(spelling) {
                Some(&MacroEffect {
                    last: Some(released),
                    wraps,
                }) => (released, wraps),
                _ => continue,
            },
        };
        if wraps {
            // The arguments run between the release and the take-back.
            if let Some((open, close)) = arguments(bytes, at + word.len(), end) {
                for (at, released) in [(open, true), (close, false)] {
                    events.push(Event {
                        at,
                        until: usize::MAX,
                        released,
                        spelling: spelling.to_owned(),
                    });
                }
            }
        }
        events.push(Event {
            at,
            until: leaving_block_end(function, at),
            released,
            spelling: spelling.to_owned(),
        });
    }
    events.sort_by_key(|e| e.at);
    events
}

/// The offsets of the `(` that opens a macro's arguments right after
/// `from` and of the `)` that closes it, before `end`.
fn arguments(bytes: &[u8], from: usize, end: usize) -> Option<(usize, usize)> {
    let offset = |token: &[u8]| token.as_ptr() as usize - bytes.as_ptr() as usize;
    let mut lexer = Lexer::at(&bytes[..end], from);
    let Some(Token::Punct(open @ b"(")) = lexer.next_token(false) else {
        return None;
    };
    let open = offset(open);
    let mut depth = 1usize;
    while let Some(token) = lexer.next_token(false) {
        match token {
            Token::Punct(b"(") => depth += 1,
            Token::Punct(close @ b")") => {
                depth -= 1;
                if depth == 0 {
                    return Some((open, offset(close)));
                }
            }
            _ => {}
        }
    }
    None
}

/// The end of the innermost block around byte offset `at` of `function`
/// when that block leaves after `at` (a `return`, `goto`, `break` or
/// `continue` statement of its own follows): control never goes on past
/// the block from there. Else `usize::MAX`.
fn leaving_block_end(function: Node, at: usize) -> usize {
    let Some(leaf) = function.descendant_for_byte_range(at, at + 1) else {
        return usize::MAX;
    };
    let mut block = None;
    let mut current = function;
    loop {
        if current.kind() == "compound_statement" && current.start_byte() < at {
            block = Some(current);
        }
        if current.node_id() == leaf.node_id() {
            break;
        }
        match current.child_with_descendant(leaf) {
            Some(next) if next.node_id() != current.node_id() => current = next,
            _ => break,
        }
    }
    let Some(block) = block else {
        return usize::MAX;
    };
    let mut cursor = block.walk();
    let leaves = block.named_children(&mut cursor).any(|statement| {
        statement.start_byte() > at
            && matches!(
                statement.kind(),
                "return_statement" | "goto_statement" | "break_statement" | "continue_statement"
            )
    });
    if leaves {
        block.end_byte()
    } else {
        usize::MAX
    }
}
