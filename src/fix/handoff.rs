//! Where a function of the unit runs when its address is handed away: a
//! callback passed to a call whose callee is not known to call it only
//! with an interpreter current. `Py_AtExit`, `atexit` and `on_exit` run
//! theirs at process exit; a function of another unit may keep it in a
//! table that its own exit hook calls (pygame's `register_quit`, which
//! `base.c`'s `Py_AtExit` hook walks); a function neither the files
//! checked nor CPython's reference data define, or a call through a
//! pointer, may run it anywhere, on any thread. `Py_ONCEVAR(v)` there asks
//! for the current interpreter, and with none it is a fatal error.
//!
//! The unit is read here; the scan links the walked tree's units by name
//! for a callee that another unit defines ([`Handed::Outside`]), and asks
//! that unit ([`Handoffs::of_parameter`]) what it does with the argument.

use std::collections::{HashMap, HashSet};

use tree_sitter::Node;

use crate::analysis::callgraph::{CallGraph, EdgeKind, FunctionId, Reach, UnitMacros};
use crate::analysis::classify::innermost_name as declared_name;
use crate::analysis::parse::{self, macro_bodies};
use crate::fix::refcounts;

/// The C library's and CPython's calls that run a callback at process
/// exit.
pub const EXIT_REGISTRARS: [&str; 3] = ["Py_AtExit", "atexit", "on_exit"];

/// Calls that install a signal handler: the thread-state reader gives the
/// reason for those ([`crate::fix::thread_state`]).
const SIGNAL_REGISTRARS: &[&str] = &[
    "PyOS_setsig",
    "signal",
    "sigset",
    "bsd_signal",
    "sysv_signal",
];

/// Calls outside CPython's reference data that run a callback before they
/// return, on the caller's thread (a comparison of `qsort`, a converter of
/// `PyArg_ParseTuple`'s `O&`), or, for `Py_AddPendingCall`, with the main
/// interpreter's thread state.
const RUN_IN_CALL: &[&str] = &[
    "qsort",
    "qsort_r",
    "bsearch",
    "lfind",
    "lsearch",
    "tsearch",
    "tfind",
    "tdelete",
    "twalk",
    "twalk_r",
    "tdestroy",
    "scandir",
    "ftw",
    "nftw",
    "glob",
    "pthread_once",
    "call_once",
    "Py_BuildValue",
    "_Py_BuildValue_SizeT",
    "Py_VaBuildValue",
    "Py_AddPendingCall",
    "_PyEval_AddPendingCall",
];

/// How deep a handed value is followed through the parameters of the
/// unit's functions and macros.
const MAX_DEPTH: usize = 8;

/// Where a function value handed to a call may run, when that is not with
/// an interpreter current.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Handed {
    /// At process exit: how it gets there (`` `register_quit` keeps it in
    /// `quit_funcs`, which `atexit_quit` calls through, a function
    /// `Py_AtExit` runs at exit ``).
    Exit(String),
    /// Anywhere: why (`` `hooks->add` is a call through a pointer ``).
    Unknown(String),
    /// Given to `callee`, a function the unit does not define, as the
    /// argument at `position` (0-based), or, with no position, stored in
    /// `callee`, a variable with external linkage that no exit hook of the
    /// unit reads: for the scan to follow into the units that define it.
    Outside {
        /// The function called, or the variable.
        callee: String,
        /// The argument's position; `None` for a variable.
        position: Option<usize>,
    },
}

/// The unit's exit registrars and hooks, and what its exit hooks call
/// through pointers, for deciding where a handed function runs.
pub struct Handoffs<'g, 't, 's> {
    graph: &'g CallGraph<'t>,
    bytes: &'s [u8],
    root: Node<'t>,
    /// The unit's macros, read when a value is first handed to a name
    /// that is neither a function of the unit nor a known callee.
    macros: std::cell::OnceCell<UnitMacros<'s>>,
    /// `Py_AtExit`, `atexit`, `on_exit`, and the unit's macros and
    /// functions that call one.
    pub registrars: Vec<String>,
    /// Each function named as an argument of a registrar, with the
    /// registrar.
    pub hooks: Vec<(FunctionId, String)>,
    /// What the hooks reach.
    pub reach: Reach,
    /// A file-scope variable that a function the hooks reach reads in a
    /// body that calls through a pointer: what is stored there may be
    /// called at exit. With that function and the registrar of its hook.
    exit_tables: HashMap<String, (FunctionId, String)>,
    /// The unit's file-scope variables declared `static`.
    statics: HashSet<String>,
}

impl<'g, 't, 's> Handoffs<'g, 't, 's> {
    /// Reads the unit whose call `graph` was built from `root` over
    /// `bytes`.
    pub fn of(graph: &'g CallGraph<'t>, root: Node<'t>, bytes: &'s [u8]) -> Self {
        let registrars = exit_registrars(graph, root, bytes);
        let hooks = exit_hooks(graph, bytes, &registrars);
        let reach = graph.reach(hooks.iter().map(|(hook, _)| *hook));
        let mut exit_tables = HashMap::new();
        for (function, f) in graph.functions().iter().enumerate() {
            let Some(path) = reach.path(function) else {
                continue;
            };
            let registrar = hooks
                .iter()
                .find(|(hook, _)| *hook == path[0])
                .map_or_else(String::new, |(_, r)| r.clone());
            for table in called_through(graph, f.node, bytes) {
                exit_tables
                    .entry(table)
                    .or_insert((function, registrar.clone()));
            }
        }
        Handoffs {
            graph,
            bytes,
            root,
            macros: std::cell::OnceCell::new(),
            registrars,
            hooks,
            reach,
            exit_tables,
            statics: static_variables(root, bytes),
        }
    }

    fn macros(&self) -> &UnitMacros<'s> {
        self.macros
            .get_or_init(|| UnitMacros::of(self.root, self.bytes))
    }

    /// Where the function value named at `site` (a reference edge's site:
    /// the function's name, or a table of the unit that holds it) goes
    /// that is not known to run with an interpreter, followed through the
    /// parameters of the unit's functions and the unit's macros: each with
    /// the call it is handed to at the unit's level (the identifier naming
    /// the callee, or the call when it is through a pointer).
    pub fn of_value(&self, site: Node<'t>) -> Vec<(Handed, Node<'t>)> {
        let mut seen = Seen::default();
        let mut found = Vec::new();
        self.value(site, 0, &mut seen, &mut found, None);
        found
    }

    /// Where the argument at `position` of the unit's function `function`
    /// goes, as [`Handoffs::of_value`] says for a value: what another
    /// unit's call `function(…, f, …)` does with `f`.
    pub fn of_parameter(&self, function: FunctionId, position: usize) -> Vec<Handed> {
        let mut seen = Seen::default();
        let mut found = Vec::new();
        self.parameter(function, position, 0, &mut seen, &mut found, None);
        found.into_iter().map(|(handed, _)| handed).collect()
    }

    /// What the unit's exit hooks do with a function stored in its
    /// variable `variable` (another unit's store): called at exit, how.
    pub fn of_variable(&self, variable: &str) -> Vec<Handed> {
        self.exit_tables
            .get(variable)
            .map(|(caller, registrar)| {
                Handed::Exit(format!(
                    "`{}` calls what `{variable}` holds through a pointer, a function \
                     `{registrar}` runs at exit",
                    self.graph.functions()[*caller].name
                ))
            })
            .into_iter()
            .collect()
    }

    fn value(
        &self,
        site: Node<'t>,
        depth: usize,
        seen: &mut Seen,
        found: &mut Vec<(Handed, Node<'t>)>,
        outer: Option<Node<'t>>,
    ) {
        let bytes = self.bytes;
        let text = |n: Node| n.utf8_text(bytes).unwrap_or_default().to_owned();
        let (value, above) = parse::climb(site, |parent, child| {
            matches!(
                parent.kind(),
                "cast_expression" | "parenthesized_expression"
            ) || (parent.kind() == "pointer_expression"
                && parent.child_by_field_name("argument") == Some(child)
                && parent.child_by_field_name("operator").map(text).as_deref() == Some("&"))
                || parent.kind() == "initializer_list"
                || (parent.kind() == "initializer_pair"
                    && parent.child_by_field_name("value") == Some(child))
        });
        let Some(parent) = above.first() else {
            return;
        };
        match parent.kind() {
            "argument_list" => {
                let Some(call) = above.get(1).filter(|c| c.kind() == "call_expression") else {
                    return;
                };
                let mut cursor = parent.walk();
                let Some(position) = parent
                    .named_children(&mut cursor)
                    .filter(|a| a.kind() != "comment")
                    .position(|a| a.id() == value.id())
                else {
                    return;
                };
                let Some(function) = call.child_by_field_name("function") else {
                    return;
                };
                let at = outer.unwrap_or(function);
                let function = parse::strip_parens(function);
                if function.kind() != "identifier" {
                    found.push((
                        Handed::Unknown(format!(
                            "`{}` is a call through a pointer",
                            text(function)
                        )),
                        outer.unwrap_or(function),
                    ));
                    return;
                }
                let callee = text(function);
                let known = !self.graph.named(&callee).is_empty()
                    || self.registrars.contains(&callee)
                    || runs_with_interpreter(&callee);
                if !known && self.macros().is_function_like(&callee) {
                    self.through_macro(&callee, parent, site, depth, seen, found, at);
                    return;
                }
                self.call(&callee, position, depth, seen, found, at);
            }
            "assignment_expression"
                if parent
                    .child_by_field_name("right")
                    .is_some_and(|r| r.id() == value.id()) =>
            {
                let Some(left) = parent.child_by_field_name("left") else {
                    return;
                };
                let Some(table) = stored_in(left, bytes) else {
                    return;
                };
                if !self.exit_tables.contains_key(&table) {
                    // Another unit may read a variable with external
                    // linkage (`quit_table[n] = drop;` with `extern void
                    // (*quit_table[])(void);`).
                    let file_scope = self.graph.declares_variable(&table);
                    if file_scope && !self.statics.contains(&table) {
                        found.push((
                            Handed::Outside {
                                callee: table.clone(),
                                position: None,
                            },
                            outer.unwrap_or(left),
                        ));
                    }
                    // Where the variable goes in turn (`node->fn = fn;
                    // head = node;`, `hooks.quit = fn; add(&hooks);`).
                    self.variable(
                        &table,
                        file_scope,
                        site,
                        depth,
                        seen,
                        found,
                        Some(outer.unwrap_or(left)),
                    );
                    return;
                }
                if let Some((caller, registrar)) = self.exit_tables.get(&table) {
                    let keeper = self
                        .graph
                        .function_at(site)
                        .map_or_else(String::new, |f| self.graph.functions()[f].name.clone());
                    let caller = &self.graph.functions()[*caller].name;
                    // Stored where it is named: the store is the hand-off.
                    let how = match outer {
                        None => format!(
                            "`{caller}` calls what `{table}` holds through a pointer, a \
                             function `{registrar}` runs at exit"
                        ),
                        Some(_) => format!(
                            "`{keeper}` keeps it in `{table}`, which `{caller}` calls \
                             through, a function `{registrar}` runs at exit"
                        ),
                    };
                    found.push((Handed::Exit(how), outer.unwrap_or(left)));
                }
            }
            // A local initialised with it (`struct hooks h = {.quit = f};`).
            "init_declarator"
                if parent
                    .child_by_field_name("value")
                    .is_some_and(|v| v.id() == value.id()) =>
            {
                let Some(local) = parent
                    .child_by_field_name("declarator")
                    .and_then(declared_name)
                    .and_then(|n| n.utf8_text(bytes).ok())
                else {
                    return;
                };
                self.variable(local, false, site, depth, seen, found, outer);
            }
            _ => {}
        }
    }

    /// A value stored in the variable `name` (a file-scope one, or a local
    /// of the function holding `site`): each place the unit's code names
    /// it, followed as a value.
    #[allow(clippy::too_many_arguments)]
    fn variable(
        &self,
        name: &str,
        file_scope: bool,
        site: Node<'t>,
        depth: usize,
        seen: &mut Seen,
        found: &mut Vec<(Handed, Node<'t>)>,
        outer: Option<Node<'t>>,
    ) {
        if depth >= MAX_DEPTH {
            return;
        }
        let scope = if file_scope {
            None
        } else {
            match self.graph.function_at(site) {
                Some(f) => Some(f),
                None => return,
            }
        };
        if !seen.variables.insert((scope, name.to_owned())) {
            return;
        }
        let functions: Vec<FunctionId> = match scope {
            Some(f) => vec![f],
            None => (0..self.graph.functions().len()).collect(),
        };
        for function in functions {
            let node = self.graph.functions()[function].node;
            let Some(body) = node.child_by_field_name("body") else {
                continue;
            };
            let text = &self.bytes[body.start_byte()..body.end_byte()];
            if memchr::memmem::find(text, name.as_bytes()).is_none() {
                continue;
            }
            let mut pending = vec![body];
            let mut uses = Vec::new();
            while let Some(n) = pending.pop() {
                if n.kind() == "identifier" && n.utf8_text(self.bytes) == Ok(name) {
                    uses.push(n);
                    continue;
                }
                let mut cursor = n.walk();
                pending.extend(n.named_children(&mut cursor));
            }
            uses.sort_by_key(|n| n.start_byte());
            for use_site in uses {
                self.value(use_site, depth + 1, seen, found, outer);
            }
        }
    }

    /// A value given to `callee` as the argument at `position`.
    fn call(
        &self,
        callee: &str,
        position: usize,
        depth: usize,
        seen: &mut Seen,
        found: &mut Vec<(Handed, Node<'t>)>,
        at: Node<'t>,
    ) {
        if let Some(registrar) = self.registrars.iter().find(|r| *r == callee) {
            if EXIT_REGISTRARS.contains(&callee) {
                found.push((Handed::Exit(format!("`{registrar}` runs it at exit")), at));
            } else {
                found.push((
                    Handed::Exit(format!("`{registrar}` registers functions to run at exit")),
                    at,
                ));
            }
            return;
        }
        let defined = self.graph.named(callee);
        if !defined.is_empty() {
            for &function in defined {
                self.parameter(function, position, depth + 1, seen, found, Some(at));
            }
            return;
        }
        if runs_with_interpreter(callee) {
            return;
        }
        found.push((
            Handed::Outside {
                callee: callee.to_owned(),
                position: Some(position),
            },
            at,
        ));
    }

    /// The uses of the parameter at `position` of `function`.
    fn parameter(
        &self,
        function: FunctionId,
        position: usize,
        depth: usize,
        seen: &mut Seen,
        found: &mut Vec<(Handed, Node<'t>)>,
        outer: Option<Node<'t>>,
    ) {
        if depth > MAX_DEPTH || !seen.parameters.insert((function, position)) {
            return;
        }
        let node = self.graph.functions()[function].node;
        let Some(parameter) = crate::analysis::classify::parameter_name(node, position)
            .and_then(|p| p.utf8_text(self.bytes).ok())
        else {
            return;
        };
        let Some(body) = node.child_by_field_name("body") else {
            return;
        };
        let mut pending = vec![body];
        let mut uses = Vec::new();
        while let Some(n) = pending.pop() {
            if n.kind() == "identifier" && n.utf8_text(self.bytes) == Ok(parameter) {
                uses.push(n);
                continue;
            }
            let mut cursor = n.walk();
            pending.extend(n.named_children(&mut cursor));
        }
        uses.sort_by_key(|n| n.start_byte());
        for site in uses {
            self.value(site, depth, seen, found, outer);
        }
    }

    /// A value given to the unit's function-like macro `name` (its
    /// argument list `arguments`, the value named at `site`): each call
    /// the expansion makes with it as an argument.
    #[allow(clippy::too_many_arguments)]
    fn through_macro(
        &self,
        name: &str,
        arguments: Node<'t>,
        site: Node<'t>,
        depth: usize,
        seen: &mut Seen,
        found: &mut Vec<(Handed, Node<'t>)>,
        at: Node<'t>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let (Ok(arguments), Ok(value)) =
            (arguments.utf8_text(self.bytes), site.utf8_text(self.bytes))
        else {
            return;
        };
        for tokens in self
            .macros()
            .expand_each(name, Some(arguments), &[])
            .into_iter()
            .flatten()
        {
            for (callee, position) in calls_with(&tokens, value) {
                if self.graph.named(&callee).is_empty() && self.macros().is_function_like(&callee) {
                    continue;
                }
                self.call(&callee, position, depth + 1, seen, found, at);
            }
        }
    }
}

/// What a walk of [`Handoffs::of_value`] has followed: parameters, and
/// variables (a file-scope one by name, a local by its function's name and
/// its own).
#[derive(Default)]
struct Seen {
    parameters: HashSet<(FunctionId, usize)>,
    variables: HashSet<(Option<FunctionId>, String)>,
}

/// Whether a call of `callee`, a function the unit does not define, runs
/// a function handed to it with an interpreter current, or is read
/// elsewhere (signal handlers): one of CPython's functions that its
/// reference data lists (a capsule's destructor, a slot), an argument
/// parser (`PyArg_ParseTuple`'s `O&` converters run in the call), or a
/// call of [`RUN_IN_CALL`].
fn runs_with_interpreter(callee: &str) -> bool {
    !matches!(refcounts::lookup(callee), refcounts::Listed::Absent)
        || refcounts::returns_no_object(callee)
        || callee.starts_with("PyArg_")
        || callee.starts_with("_PyArg_")
        || RUN_IN_CALL.contains(&callee)
        || SIGNAL_REGISTRARS.contains(&callee)
}

/// The calls in a macro's expansion (`tokens`) that have the token `value`
/// as a whole argument (through casts, parentheses and `&`): each callee
/// and the argument's position.
fn calls_with(tokens: &[String], value: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if !crate::analysis::callgraph::is_identifier(token)
            || tokens.get(i + 1).map(String::as_str) != Some("(")
        {
            continue;
        }
        let (mut depth, mut position) = (0usize, 0usize);
        for t in &tokens[i + 1..] {
            match t.as_str() {
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                "," if depth == 1 => position += 1,
                _ if t == value => {
                    found.push((token.clone(), position));
                    break;
                }
                _ => {}
            }
        }
    }
    found
}

/// The unit's file-scope variables declared `static`.
fn static_variables(root: Node, bytes: &[u8]) -> HashSet<String> {
    let mut found = HashSet::new();
    let mut cursor = root.walk();
    for item in root.named_children(&mut cursor) {
        if item.kind() != "declaration" {
            continue;
        }
        let mut c = item.walk();
        let is_static = item
            .children(&mut c)
            .any(|k| k.kind() == "storage_class_specifier" && k.utf8_text(bytes) == Ok("static"));
        if !is_static {
            continue;
        }
        let mut c = item.walk();
        for declarator in item.children_by_field_name("declarator", &mut c) {
            if let Some(name) = declared_name(declarator).and_then(|n| n.utf8_text(bytes).ok()) {
                found.insert(name.to_owned());
            }
        }
    }
    found
}

/// The file-scope variable a store through `left` writes: `quit_funcs` of
/// `quit_funcs[n++] = fn`, `table.quit = fn`, `hook = fn`.
fn stored_in(left: Node, bytes: &[u8]) -> Option<String> {
    let mut node = left;
    loop {
        node = match node.kind() {
            "subscript_expression" | "field_expression" => node.child_by_field_name("argument")?,
            "parenthesized_expression" => node.named_child(0)?,
            "pointer_expression" => node.child_by_field_name("argument")?,
            "identifier" => break,
            _ => return None,
        };
    }
    node.utf8_text(bytes).ok().map(str::to_owned)
}

/// The file-scope variables that `function`'s body reads when the body
/// calls through a pointer (`quit_funcs[--n]()`, `registered[i]->quit()`,
/// `f()` with a local `f`): what is stored in them may be called there.
fn called_through(graph: &CallGraph, function: Node, bytes: &[u8]) -> Vec<String> {
    let Some(body) = function.child_by_field_name("body") else {
        return Vec::new();
    };
    let mut pending = vec![body];
    let mut through_pointer = false;
    let mut variables = Vec::new();
    while let Some(n) = pending.pop() {
        match n.kind() {
            "call_expression" => {
                let callee = n.child_by_field_name("function").map(parse::strip_parens);
                through_pointer |= callee.is_some_and(|c| {
                    c.kind() != "identifier"
                        || c.utf8_text(bytes)
                            .is_ok_and(|name| graph.named(name).is_empty() && !is_c_call(name))
                });
            }
            "identifier" => {
                if let Ok(name) = n.utf8_text(bytes) {
                    if graph.declares_variable(name) {
                        variables.push(name.to_owned());
                    }
                }
            }
            _ => {}
        }
        let mut cursor = n.walk();
        pending.extend(n.named_children(&mut cursor));
    }
    if !through_pointer {
        return Vec::new();
    }
    variables.sort();
    variables.dedup();
    variables
}

/// Whether a call of `name`, an identifier the unit does not define as a
/// function, is a call of a known function rather than of a local
/// pointer: CPython's, or spelled as the C library's are (no capital, no
/// `_` start is not enough to tell; the reference data and the exit and
/// in-call lists are asked).
fn is_c_call(name: &str) -> bool {
    runs_with_interpreter(name) || EXIT_REGISTRARS.contains(&name)
}

/// The unit's exit registrars: `Py_AtExit`, `atexit`, `on_exit`, a macro
/// of the unit whose body names one (`#define ON_EXIT(f) Py_AtExit(f)`),
/// or a function of the unit that calls one (a `register_cleanup(fn)`
/// wrapper), to a fixed point.
pub fn exit_registrars(graph: &CallGraph, root: Node, bytes: &[u8]) -> Vec<String> {
    let mut registrars: Vec<String> = EXIT_REGISTRARS.iter().map(|r| r.to_string()).collect();
    let macros = macro_bodies(root, bytes);
    let text_of = |node: Node| node.utf8_text(bytes).unwrap_or_default();
    loop {
        let before = registrars.len();
        let known = registrars.clone();
        let names = |body: &str| known.iter().any(|r| calls_word(body, r));
        for (name, body) in &macros {
            if !registrars.contains(name) && names(body) {
                registrars.push(name.clone());
            }
        }
        for function in graph.functions() {
            if !registrars.contains(&function.name) && names(text_of(function.node)) {
                registrars.push(function.name.clone());
            }
        }
        if registrars.len() == before {
            break;
        }
    }
    registrars
}

/// The unit's exit hooks: functions named as the argument of a registrar
/// (through casts, `Py_AtExit((void (*)(void))hook)`, or a local that
/// holds the function, `void (*fp)(void) = hook; atexit(fp);`), each with
/// the registrar.
pub fn exit_hooks(
    graph: &CallGraph,
    bytes: &[u8],
    registrars: &[String],
) -> Vec<(FunctionId, String)> {
    let text_of = |node: Node| node.utf8_text(bytes).unwrap_or_default();
    let mut hooks = Vec::new();
    for function in 0..graph.functions().len() {
        let body = text_of(graph.functions()[function].node);
        // A hook is named as a value: a reference, not a call.
        for edge in graph
            .edges(function)
            .iter()
            .filter(|e| e.kind == EdgeKind::Reference)
        {
            // One descent from the root, however many casts.
            let (_, above) = parse::climb(edge.site, |parent, _| {
                matches!(
                    parent.kind(),
                    "cast_expression" | "parenthesized_expression"
                )
            });
            let Some(parent) = above.first() else {
                continue;
            };
            let registrar = match parent.kind() {
                "argument_list" => above
                    .get(1)
                    .and_then(|call| call.child_by_field_name("function"))
                    .map(text_of)
                    .and_then(|callee| registrars.iter().find(|r| *r == callee)),
                // A local that holds the hook, handed to a registrar
                // in the same function.
                "init_declarator" | "assignment_expression" => parent
                    .child_by_field_name(if parent.kind() == "init_declarator" {
                        "declarator"
                    } else {
                        "left"
                    })
                    .and_then(declared_name)
                    .map(text_of)
                    .and_then(|local| registrars.iter().find(|r| passes_word(body, r, local))),
                _ => None,
            };
            if let Some(registrar) = registrar {
                hooks.push((edge.to, registrar.clone()));
            }
        }
    }
    hooks
}

/// Whether `text` calls `name`: the word followed by `(`.
fn calls_word(text: &str, name: &str) -> bool {
    parse::word_ends(text, name).any(|end| text[end..].trim_start().starts_with('('))
}

/// Whether `text` calls `name` with the word `argument` among its
/// arguments (`atexit(fp)`).
fn passes_word(text: &str, name: &str, argument: &str) -> bool {
    parse::word_ends(text, name).any(|end| {
        let rest = text[end..].trim_start();
        let Some(inside) = rest.strip_prefix('(') else {
            return false;
        };
        let mut depth = 1usize;
        let close = inside.char_indices().find_map(|(i, c)| {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            (depth == 0).then_some(i)
        });
        let arguments = &inside[..close.unwrap_or(inside.len())];
        parse::word_ends(arguments, argument).next().is_some()
    })
}
