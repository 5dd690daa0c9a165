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

use crate::analysis::callgraph::{local_named, CallGraph, EdgeKind, FunctionId, Reach, UnitMacros};
use crate::analysis::classify::innermost_name as declared_name;
use crate::analysis::parse::{self, macro_bodies};
use crate::fix::{refcounts, thread_state};

/// The C library's and CPython's calls that run a callback at process
/// exit.
pub const EXIT_REGISTRARS: [&str; 3] = ["Py_AtExit", "atexit", "on_exit"];

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
        let mut hooks = exit_hooks(graph, bytes, &registrars);
        hooks.extend(
            destructors(graph, root, bytes)
                .into_iter()
                .map(|f| (f, DESTRUCTOR.to_owned())),
        );
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
    /// parameters of the unit's functions, its variables and aggregates
    /// (a local struct, array or pointer holding it), and the unit's
    /// macros: each with the call it is handed to at the unit's level (the
    /// identifier naming the callee, or the call when it is through a
    /// pointer). A place the value goes that is not followed is
    /// [`Handed::Unknown`], naming it.
    pub fn of_value(&self, site: Node<'t>) -> Vec<(Handed, Node<'t>)> {
        let mut seen = Seen::default();
        let mut found = Vec::new();
        // A table's name: the function is somewhere inside it.
        let path = match site.utf8_text(self.bytes) {
            Ok(name) if !self.graph.named(name).is_empty() => Vec::new(),
            _ => vec![Step::Any],
        };
        self.value(site, &path, 0, &mut seen, &mut found, None);
        found
    }

    /// Where another unit's function, named at `site` (linked by name:
    /// the unit does not define it), goes that is not known to run with an
    /// interpreter, as [`Handoffs::of_value`] says for one of the unit's.
    pub fn of_foreign_value(&self, site: Node<'t>) -> Vec<(Handed, Node<'t>)> {
        let mut seen = Seen::default();
        let mut found = Vec::new();
        self.value(site, &[], 0, &mut seen, &mut found, None);
        found
    }

    /// Where the argument at `position` of the unit's function `function`
    /// goes, as [`Handoffs::of_value`] says for a value: what another
    /// unit's call `function(…, f, …)` does with `f` (a function, or an
    /// aggregate holding one somewhere: any member or element read from it
    /// may be the function).
    pub fn of_parameter(&self, function: FunctionId, position: usize) -> Vec<Handed> {
        let mut seen = Seen::default();
        let mut found = Vec::new();
        self.parameter(
            function,
            position,
            &[Step::Any],
            0,
            &mut seen,
            &mut found,
            None,
        );
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

    /// The expression at `site` holds the function at `path`: climbed
    /// while it stays a value holding it (casts, parentheses, `&`, member
    /// and element reads that `path` names, initialisers, a conditional's
    /// branches), then followed from the place it goes.
    fn value(
        &self,
        site: Node<'t>,
        path: &[Step],
        depth: usize,
        seen: &mut Seen,
        found: &mut Vec<(Handed, Node<'t>)>,
        outer: Option<Node<'t>>,
    ) {
        let bytes = self.bytes;
        let text = |n: Node| n.utf8_text(bytes).unwrap_or_default().to_owned();
        let mut path = path.to_vec();
        let mut elsewhere = false;
        let (value, above) = parse::climb(site, |parent, child| {
            let field = |name| parent.child_by_field_name(name) == Some(child);
            match parent.kind() {
                "cast_expression" | "parenthesized_expression" => true,
                "conditional_expression" => !field("condition"),
                "comma_expression" => field("right"),
                "compound_literal_expression" => field("value"),
                "pointer_expression" if field("argument") => {
                    let operator = parent.child_by_field_name("operator").map(text);
                    if operator.as_deref() == Some("&") {
                        // `&f` is `f`; `&local` points at what holds it.
                        let function = child.kind() == "identifier"
                            && !self.graph.named(&text(child)).is_empty();
                        if !(path.is_empty() && function) {
                            path.insert(0, Step::Element);
                        }
                        true
                    } else {
                        // `*fp` is `fp`.
                        path.is_empty() || read(&mut path, None, &mut elsewhere)
                    }
                }
                "subscript_expression" if field("argument") => {
                    read(&mut path, None, &mut elsewhere)
                }
                "field_expression" if field("argument") => {
                    let arrow = parent.child_by_field_name("operator").map(text);
                    if arrow.as_deref() == Some("->") && path.first() == Some(&Step::Element) {
                        path.remove(0);
                    }
                    let name = parent.child_by_field_name("field").map(text);
                    read(&mut path, name, &mut elsewhere)
                }
                "initializer_list" => {
                    if child.kind() != "initializer_pair" {
                        path.insert(0, Step::Element);
                    }
                    true
                }
                "initializer_pair" if field("value") => {
                    let mut cursor = parent.walk();
                    let designators: Vec<Node> = parent
                        .children_by_field_name("designator", &mut cursor)
                        .collect();
                    for designator in designators.into_iter().rev() {
                        let step = match designator.kind() {
                            "field_designator" => designator
                                .named_child(0)
                                .map_or(Step::Element, |f| Step::Field(text(f))),
                            _ => Step::Element,
                        };
                        path.insert(0, step);
                    }
                    true
                }
                _ => false,
            }
        });
        // A member or element that does not hold the function.
        if elsewhere {
            return;
        }
        let Some(parent) = above.first() else {
            return;
        };
        let is = |name: &str| parent.child_by_field_name(name) == Some(value);
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
                self.call(&callee, position, &path, depth, seen, found, at);
            }
            "assignment_expression" if is("right") => {
                let Some(left) = parent.child_by_field_name("left") else {
                    return;
                };
                let Some((table, mut steps)) = stored_at(left, bytes) else {
                    found.push((
                        Handed::Unknown(format!(
                            "it is stored through `{}`, which is not followed",
                            one_line(&text(left))
                        )),
                        outer.unwrap_or(left),
                    ));
                    return;
                };
                steps.extend(path);
                self.stored(&table, &steps, left, site, depth, seen, found, outer);
            }
            // A local initialised with it (`struct hooks h = {.quit = f};`).
            "init_declarator" if is("value") => {
                let Some(local) = parent
                    .child_by_field_name("declarator")
                    .and_then(declared_name)
                    .and_then(|n| n.utf8_text(bytes).ok())
                else {
                    return;
                };
                let scope = parent.parent().and_then(|d| d.parent());
                let scope = match scope {
                    Some(block) if block.kind() != "translation_unit" => Some(block),
                    _ => None,
                };
                self.variable(local, scope, &path, depth, seen, found, outer);
            }
            // Called, compared, tested, measured, written over or dropped
            // where it is: it goes nowhere.
            "call_expression" if is("function") => {}
            "assignment_expression" if is("left") => {}
            // The variable's own declaration.
            "init_declarator" if is("declarator") => {}
            "declaration"
            | "pointer_declarator"
            | "array_declarator"
            | "parenthesized_declarator"
            | "attributed_declarator"
            | "function_declarator"
            | "parameter_declaration" => {}
            "binary_expression"
            | "unary_expression"
            | "update_expression"
            | "sizeof_expression"
            | "alignof_expression"
            | "expression_statement"
            | "if_statement"
            | "while_statement"
            | "do_statement"
            | "for_statement"
            | "switch_statement"
            | "case_statement"
            | "subscript_expression"
            | "field_expression"
            | "pointer_expression" => {}
            "return_statement" => {
                let returner = self
                    .graph
                    .function_at(site)
                    .map_or_else(String::new, |f| self.graph.functions()[f].name.clone());
                found.push((
                    Handed::Unknown(format!(
                        "`{returner}` returns it, and where its callers take it is not followed"
                    )),
                    outer.unwrap_or(parent),
                ));
            }
            _ => found.push((
                Handed::Unknown(format!(
                    "it goes into `{}`, which is not followed",
                    one_line(&text(parent))
                )),
                outer.unwrap_or(parent),
            )),
        }
    }

    /// A value stored in `table` (the variable a store through `left`
    /// writes, at `path` inside it): called at exit when an exit hook of
    /// the unit calls through it; otherwise followed to each place the
    /// unit names the variable, and, for a variable with external linkage,
    /// asked of the units that declare it.
    #[allow(clippy::too_many_arguments)]
    fn stored(
        &self,
        table: &str,
        path: &[Step],
        left: Node<'t>,
        site: Node<'t>,
        depth: usize,
        seen: &mut Seen,
        found: &mut Vec<(Handed, Node<'t>)>,
        outer: Option<Node<'t>>,
    ) {
        let local = local_named(left, parse::ancestors(left), table, self.bytes).map(|l| l.scope);
        if local.is_none() {
            if let Some((caller, registrar)) = self.exit_tables.get(table) {
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
                return;
            }
            // Another unit may read a variable with external linkage
            // (`quit_table[n] = drop;` with `extern void
            // (*quit_table[])(void);`); one the unit does not declare is
            // for the tree's units to say.
            if !self.statics.contains(table) {
                found.push((
                    Handed::Outside {
                        callee: table.to_owned(),
                        position: None,
                    },
                    outer.unwrap_or(left),
                ));
            }
        }
        // Where the variable goes in turn (`node->fn = fn; head = node;`,
        // `hooks.quit = fn; add(&hooks);`).
        let outer = Some(outer.unwrap_or(left));
        self.variable(table, local, path, depth, seen, found, outer);
    }

    /// A value stored at `path` in the variable `name`, a local whose
    /// declaration's block (or function body, for a parameter) is `scope`,
    /// or a file-scope one (`None`): each place the unit's code names it
    /// there, followed as a value.
    #[allow(clippy::too_many_arguments)]
    fn variable(
        &self,
        name: &str,
        scope: Option<Node<'t>>,
        path: &[Step],
        depth: usize,
        seen: &mut Seen,
        found: &mut Vec<(Handed, Node<'t>)>,
        outer: Option<Node<'t>>,
    ) {
        if depth >= MAX_DEPTH
            || !seen
                .variables
                .insert((scope.map(|s| s.id()), name.to_owned(), path.to_vec()))
        {
            return;
        }
        let bodies: Vec<Node> = match scope {
            Some(block) => vec![block],
            None => self
                .graph
                .functions()
                .iter()
                .filter_map(|f| f.node.child_by_field_name("body"))
                .collect(),
        };
        for body in bodies {
            for use_site in self.uses(body, name) {
                self.value(use_site, path, depth + 1, seen, found, outer);
            }
        }
    }

    /// The identifiers spelling `name` under `body`, in source order.
    fn uses(&self, body: Node<'t>, name: &str) -> Vec<Node<'t>> {
        let text = &self.bytes[body.start_byte()..body.end_byte()];
        if memchr::memmem::find(text, name.as_bytes()).is_none() {
            return Vec::new();
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
        uses
    }

    /// A value given to `callee` as the argument at `position`, holding
    /// the function at `path`.
    #[allow(clippy::too_many_arguments)]
    fn call(
        &self,
        callee: &str,
        position: usize,
        path: &[Step],
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
                self.parameter(function, position, path, depth + 1, seen, found, Some(at));
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

    /// The uses of the parameter at `position` of `function`, holding
    /// the function at `path`.
    #[allow(clippy::too_many_arguments)]
    fn parameter(
        &self,
        function: FunctionId,
        position: usize,
        path: &[Step],
        depth: usize,
        seen: &mut Seen,
        found: &mut Vec<(Handed, Node<'t>)>,
        outer: Option<Node<'t>>,
    ) {
        if depth > MAX_DEPTH || !seen.parameters.insert((function, position, path.to_vec())) {
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
        for site in self.uses(body, parameter) {
            self.value(site, path, depth, seen, found, outer);
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
                // The expansion's shape is not read: any part of the
                // argument may be the function.
                self.call(&callee, position, &[Step::Any], depth + 1, seen, found, at);
            }
        }
    }
}

/// What a walk of [`Handoffs::of_value`] has followed, each with where in
/// it the function is: parameters, and variables (a file-scope one by
/// name, a local by its scope's node and its name).
#[derive(Default)]
struct Seen {
    parameters: HashSet<(FunctionId, usize, Vec<Step>)>,
    variables: HashSet<(Option<usize>, String, Vec<Step>)>,
}

/// One step from a value to the function it holds, outermost first: the
/// path of `forget` in `struct hooks h = {.quit = forget};` is
/// `[Field("quit")]`, in `&h` `[Element, Field("quit")]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Step {
    /// The member of that name (`.quit`, `->quit`).
    Field(String),
    /// An element, what a pointer points at, or a member whose name is
    /// not known (a positional initialiser): `[i]`, `*`, any `.m`.
    Element,
    /// Somewhere inside, at any depth (a table of the unit; another
    /// unit's argument): every member or element read may be it.
    Any,
}

/// Reads one step of `path` off (`[i]` or `*` with `field` `None`, a
/// member otherwise): true when what is read may still hold the
/// function; `elsewhere` set when it cannot.
fn read(path: &mut Vec<Step>, field: Option<String>, elsewhere: &mut bool) -> bool {
    let matches = match (path.first(), &field) {
        (Some(Step::Any), _) => return true,
        (Some(Step::Element), _) => true,
        (Some(Step::Field(f)), Some(name)) => f == name,
        // A subscript of a struct, or a member or element of the
        // function itself.
        _ => false,
    };
    if matches {
        path.remove(0);
    } else {
        *elsewhere = true;
    }
    matches
}

/// `text` on one line, cut to 60 characters, for a reason.
fn one_line(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line,
    }
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
        || thread_state::SIGNAL_REGISTRARS
            .iter()
            .any(|(name, _)| *name == callee)
}

/// The calls in a macro's expansion (`tokens`) that have the token `value`
/// in an argument (whole, or inside it: through casts, parentheses, `&`,
/// a member read or a nested call): each callee and the argument's
/// position (0-based), in the order of the tokens, once per argument.
/// Shared with the signal-handler reader ([`crate::fix::thread_state`]).
pub(crate) fn calls_with(tokens: &[String], value: &str) -> Vec<(String, usize)> {
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
                _ if t == value && found.last() != Some(&(token.clone(), position)) => {
                    found.push((token.clone(), position));
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

/// The variable a store through `left` writes, and where in it:
/// `quit_funcs` and `[Element]` of `quit_funcs[n++] = fn`, `table` and
/// `[Field("quit")]` of `table.quit = fn`, `hook` and `[]` of `hook = fn`;
/// `None` when no variable is named (`*slot() = fn`).
fn stored_at(left: Node, bytes: &[u8]) -> Option<(String, Vec<Step>)> {
    let mut node = left;
    let mut steps = Vec::new();
    loop {
        node = match node.kind() {
            "subscript_expression" => {
                steps.push(Step::Element);
                node.child_by_field_name("argument")?
            }
            "field_expression" => {
                let field = node.child_by_field_name("field")?;
                steps.push(Step::Field(field.utf8_text(bytes).ok()?.to_owned()));
                let arrow = node
                    .child_by_field_name("operator")
                    .is_some_and(|o| o.utf8_text(bytes) == Ok("->"));
                if arrow {
                    steps.push(Step::Element);
                }
                node.child_by_field_name("argument")?
            }
            "parenthesized_expression" => node.named_child(0)?,
            "pointer_expression" => {
                steps.push(Step::Element);
                node.child_by_field_name("argument")?
            }
            "identifier" => break,
            _ => return None,
        };
    }
    steps.reverse();
    Some((node.utf8_text(bytes).ok()?.to_owned(), steps))
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
/// (through casts, `Py_AtExit((void (*)(void))hook)`, its address,
/// `atexit(&hook)`, or a local that
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
            // One descent from the root, however many casts; `&hook` is
            // `hook`.
            let (_, above) = parse::climb(edge.site, |parent, child| {
                parse::holds_function_value(parent, child, true)
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

/// How a reason names what runs a function declared a destructor.
const DESTRUCTOR: &str = "__attribute__((destructor))";

/// The unit's functions declared `__attribute__((destructor))` (or
/// `__destructor__`, with a priority or not, in the definition's head or
/// in a prototype, written out or through a macro of the unit whose body,
/// followed through the unit's macros, holds the attribute): the C
/// runtime runs them when the library is unloaded or the process exits,
/// after `Py_FinalizeEx`, where no interpreter is current.
fn destructors(graph: &CallGraph, root: Node, bytes: &[u8]) -> Vec<FunctionId> {
    if memchr::memmem::find(bytes, b"destructor").is_none() {
        return Vec::new();
    }
    // The macros holding the attribute, and those invoking one that does,
    // from the bodies that spell it out up the macros naming each: every
    // body's words are read once.
    let macros = macro_bodies(root, bytes);
    let mut naming: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut holding: HashSet<&str> = HashSet::new();
    let mut next: Vec<&str> = Vec::new();
    for (name, body) in &macros {
        if destructor_attribute(body) {
            if holding.insert(name) {
                next.push(name);
            }
        } else {
            for word in parse::words(body) {
                naming.entry(word).or_default().push(name);
            }
        }
    }
    while let Some(held) = next.pop() {
        for &name in naming.get(held).map_or(&[][..], Vec::as_slice) {
            if holding.insert(name) {
                next.push(name);
            }
        }
    }
    let declares =
        |head: &str| destructor_attribute(head) || parse::words(head).any(|w| holding.contains(w));
    let mut found = Vec::new();
    for (function, f) in graph.functions().iter().enumerate() {
        let end = f
            .node
            .child_by_field_name("body")
            .map_or(f.node.end_byte(), |b| b.start_byte());
        // The head, from the end of the item before it: a macro that
        // tree-sitter cannot read may stand in an ERROR node before it.
        let start = f
            .node
            .prev_sibling()
            .filter(|p| p.kind() == "ERROR" && p.end_byte() - p.start_byte() <= 256)
            .map_or(f.node.start_byte(), |p| p.start_byte());
        if declares(std::str::from_utf8(&bytes[start..end]).unwrap_or_default()) {
            found.push(function);
        }
    }
    // A prototype declaring it so (`static void bye(void)
    // __attribute__((destructor));`).
    let mut cursor = root.walk();
    for item in root.named_children(&mut cursor) {
        if item.kind() != "declaration" || !declares(item.utf8_text(bytes).unwrap_or_default()) {
            continue;
        }
        let mut c = item.walk();
        for declarator in item.children_by_field_name("declarator", &mut c) {
            if let Some(name) = declared_name(declarator).and_then(|n| n.utf8_text(bytes).ok()) {
                found.extend(graph.named(name));
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    found
}

/// Whether `text` holds `__attribute__((…))` (or `__attribute`) whose
/// parenthesised list names `destructor` or `__destructor__`.
fn destructor_attribute(text: &str) -> bool {
    ["__attribute__", "__attribute"].iter().any(|word| {
        passes_word(text, word, "destructor") || passes_word(text, word, "__destructor__")
    })
}

/// Whether `text` calls `name`: the word followed by `(`.
fn calls_word(text: &str, name: &str) -> bool {
    parse::word_ends(text, name).any(|end| text[end..].trim_start().starts_with('('))
}

/// Whether `text` calls `name` with the word `argument` among its
/// arguments (`atexit(fp)`): the word `name` followed by a parenthesised
/// list (to its matching `)`, or the end) holding the word `argument`
/// (also `__attribute__((destructor))`).
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
