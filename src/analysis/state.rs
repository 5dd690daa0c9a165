//! The mutable state of a translation unit with static storage, and when
//! code writes it: every variable declared at file scope (with or without
//! `static`) or `static` in a block, whatever its type, each write to it
//! (an assignment or `++` of it, an element or a member of it; its address
//! or, for an array, itself handed to a call that may write it), and each
//! write placed in the module's life by the unit's call graph: while a
//! module initialises (what `PyInit_*`, `Py_mod_create` and `Py_mod_exec`
//! reach), while it is torn down (`m_traverse`, `m_clear`, `m_free`), or
//! while it runs (what a method, a getter or setter, a type slot, a table
//! of the unit or another unit can call). Per-interpreter slots that a fix
//! declared (`Py_ONCEVAR_DECLARE`) are state too, written through
//! `Py_ONCEVAR(name) = …`.
//!
//! Names follow C's scopes (a local or parameter of the same name is
//! another variable: [`scope::resolve`]). What a call does with an address
//! it is given is not followed: a call that may write is counted as a
//! write, except the lock, once and atomic APIs, which synchronise.

use std::collections::{HashMap, HashSet};

use tree_sitter::{Node, Tree};

use crate::analysis::callgraph::{file_scope_items, has_storage, CallGraph, Reach, RootKind};
use crate::analysis::candidates::Candidate;
use crate::analysis::capi::WRITING_MACROS;
use crate::analysis::claims::Synchronisation;
use crate::analysis::parse::{self, HasNodeId};
use crate::analysis::{evidence, scope};

/// Types whose variables are not state a module may share by mistake:
/// locks and once flags (shared on purpose, and synchronising), and the
/// tables CPython reads and fills itself (type objects are their own
/// rule's).
const NOT_STATE: &[&str] = &[
    "PyMutex",
    "PyThread_type_lock",
    "PyThread_type_sema",
    "pthread_mutex_t",
    "pthread_once_t",
    "pthread_rwlock_t",
    "pthread_key_t",
    "Py_tss_t",
    "once_flag",
    "mtx_t",
    "PyOnceFlag",
    "_PyOnceFlag",
    "PyTypeObject",
    "struct _typeobject",
    "PyMethodDef",
    "PyMemberDef",
    "PyGetSetDef",
    "PyType_Slot",
    "PyType_Spec",
    "PyModuleDef",
    "struct PyModuleDef",
    "PyModuleDef_Slot",
    "PyStructSequence_Desc",
    "PyStructSequence_Field",
    "PyNumberMethods",
    "PySequenceMethods",
    "PyMappingMethods",
    "PyAsyncMethods",
    "PyBufferProcs",
    "_PyArg_Parser",
    "CRITICAL_SECTION",
    "SRWLOCK",
    "INIT_ONCE",
];

/// Calls that take an address to synchronise on it or to write it
/// atomically: a write through them does not race.
const SYNCHRONISING: &[&str] = &[
    "PyMutex_Lock",
    "PyMutex_Unlock",
    "pthread_once",
    "call_once",
    "pthread_mutex_lock",
    "pthread_mutex_unlock",
    "pthread_mutex_init",
    "PyThread_tss_create",
    "PyThread_tss_set",
    "_PyOnceFlag_CallOnce",
    "EnterCriticalSection",
    "LeaveCriticalSection",
    "InitializeCriticalSection",
    "InitializeCriticalSectionAndSpinCount",
    "DeleteCriticalSection",
    "AcquireSRWLockExclusive",
    "ReleaseSRWLockExclusive",
    "InitOnceExecuteOnce",
];

/// Arguments (function, 0-based position) that a call only reads, though
/// their type would let it write: the keyword list of the argument
/// parsers.
const READ_ONLY_ARGUMENTS: &[(&str, usize)] = &[
    ("PyArg_ParseTupleAndKeywords", 3),
    ("PyArg_VaParseTupleAndKeywords", 3),
    ("_PyArg_ParseTupleAndKeywords_SizeT", 3),
];

/// Library calls that write the buffer they get first.
const WRITES_FIRST_ARGUMENT: &[&str] = &[
    "memcpy",
    "memmove",
    "memset",
    "strcpy",
    "strncpy",
    "strcat",
    "strncat",
    "sprintf",
    "snprintf",
    "vsprintf",
    "vsnprintf",
    "fgets",
    "read",
    "qsort",
    "PyOS_snprintf",
    "PyOS_vsnprintf",
];

/// When a function runs in a module's life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// Only while a module initialises.
    Init,
    /// Only while a module is torn down.
    Teardown,
    /// While the module runs (also when it initialises).
    RunTime,
    /// Only through functions with external linkage that nothing in the
    /// unit calls: when depends on the other units that call them (see
    /// [`Life::entries`]).
    Exported,
    /// No entry point of the unit reaches it.
    Unreached,
}

/// Which functions run when, from the unit's call graph.
pub struct Life {
    init: Reach,
    teardown: Reach,
    run_time: Reach,
    /// The exported functions that nothing in the unit calls, each with
    /// what it reaches.
    exported: Vec<(usize, String, Reach)>,
}

impl Life {
    /// Places the functions of `graph`: module inits, creates and execs
    /// start the init; `m_traverse`, `m_clear` and `m_free` the teardown;
    /// methods, getters and setters, type slots, other tables and exported
    /// functions that nothing else in the unit calls the run time.
    pub fn of(graph: &CallGraph) -> Life {
        let starts = |kinds: &[RootKind]| -> Vec<usize> {
            graph
                .roots()
                .iter()
                .filter(|r| kinds.contains(&r.kind))
                .map(|r| r.function)
                .collect()
        };
        let init = graph.reach(starts(&[
            RootKind::ModuleInit,
            RootKind::ModuleCreate,
            RootKind::ModuleExec,
        ]));
        let teardown = graph.reach(starts(&[
            RootKind::ModuleTraverse,
            RootKind::ModuleClear,
            RootKind::ModuleFree,
        ]));
        let run_time = starts(&[
            RootKind::Method,
            RootKind::GetSet,
            RootKind::TypeSlot,
            RootKind::Table,
        ]);
        // An exported function that the unit's own entry points reach is
        // theirs (a helper of exec that is not `static`); one they do not
        // reach is called by other units, when they call it.
        let exported = graph
            .outside_entries()
            .into_iter()
            .map(|f| (f, graph.functions()[f].name.clone(), graph.reach([f])))
            .collect();
        Life {
            init,
            teardown,
            run_time: graph.reach(run_time),
            exported,
        }
    }

    /// When `function` runs.
    pub fn when(&self, function: usize) -> When {
        if self.run_time.contains(function) {
            When::RunTime
        } else if self.init.contains(function) {
            When::Init
        } else if self.teardown.contains(function) {
            When::Teardown
        } else if self.exported.iter().any(|(_, _, r)| r.contains(function)) {
            When::Exported
        } else {
            When::Unreached
        }
    }

    /// The exported functions, called by no function of the unit, through
    /// which `function` is reached (by name, sorted).
    pub fn entries(&self, function: usize) -> Vec<String> {
        let mut names: Vec<String> = self
            .exported
            .iter()
            .filter(|(_, _, r)| r.contains(function))
            .map(|(_, name, _)| name.clone())
            .collect();
        names.sort();
        names.dedup();
        names
    }
}

/// How code writes a variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteKind {
    /// `v = …`, `v[i] = …`, `v.f = …`, `v += …`.
    Assign,
    /// `v++`, `--v[i]`.
    Update,
    /// `&v` given to a call (named), which may write it.
    Address(String),
    /// `&v` stored or returned: whoever holds it may write it.
    Escapes,
    /// The array `v` given to a call (named) that writes its first
    /// argument.
    Buffer(String),
    /// `v` given to a macro (named) that assigns what it is given:
    /// CPython's `Py_CLEAR`, `Py_SETREF`, `Py_XSETREF`, or one of the
    /// unit's ([`MacroWrites`]).
    Macro(String),
}

/// The macros that write an argument they are given, by name, with the
/// 0-based positions of those arguments: CPython's
/// [`WRITING_MACROS`] (their first argument), and each function-like macro
/// of the unit whose body writes a parameter itself (`(v) = …`, `v++`,
/// `(s).f = …`), takes its address for a call that may write it (`&(v)`,
/// as [`write_of`] counts `&v`), or passes it to a writing macro at a
/// position that macro writes (to a fixed point: `#define REPLACE(v, o)
/// Py_XSETREF(v, o)`, a macro calling `REPLACE`).
#[derive(Clone, Debug, Default)]
pub struct MacroWrites(HashMap<String, Vec<usize>>);

impl MacroWrites {
    /// The writing macros of the unit whose tree starts at `root` (its
    /// headers' macros included: they are in the unit's text), with
    /// CPython's.
    pub fn of(root: Node, bytes: &[u8]) -> MacroWrites {
        let mut map: HashMap<String, Vec<usize>> = WRITING_MACROS
            .iter()
            .map(|m| ((*m).to_owned(), vec![0]))
            .collect();
        let add = |map: &mut HashMap<String, Vec<usize>>, name: &str, p: usize| {
            let positions = map.entry(name.to_owned()).or_default();
            let new = !positions.contains(&p);
            if new {
                positions.push(p);
            }
            new
        };
        let definitions = evidence::macro_parameter_writes(root, bytes);
        for (name, written, arguments) in &definitions {
            for &p in written {
                add(&mut map, name, p);
            }
            for (p, callee, at, address) in arguments {
                if *address
                    && !SYNCHRONISING.contains(&callee.as_str())
                    && !callee.contains("atomic")
                    && !READ_ONLY_ARGUMENTS.contains(&(callee.as_str(), *at))
                {
                    add(&mut map, name, *p);
                }
            }
        }
        // Each round adds a position or stops; there are finitely many.
        loop {
            let mut added = false;
            for (name, _, arguments) in &definitions {
                for (p, callee, at, address) in arguments {
                    let writes = !address && map.get(callee).is_some_and(|w| w.contains(at));
                    if writes && name != callee {
                        added |= add(&mut map, name, *p);
                    }
                }
            }
            if !added {
                return MacroWrites(map);
            }
        }
    }

    /// Whether the macro `name` writes its argument at 0-based `position`.
    pub fn writes(&self, name: &str, position: usize) -> bool {
        self.0.get(name).is_some_and(|w| w.contains(&position))
    }
}

/// One write to a variable.
#[derive(Clone, Debug)]
pub struct Write<'t> {
    /// The assignment, update, call or expression that writes.
    pub node: Node<'t>,
    /// How.
    pub kind: WriteKind,
    /// The function it is in (`None` at file scope).
    pub function: Option<usize>,
    /// When that function runs.
    pub when: When,
    /// Whether it is inside a lock region or a once-callback, or an
    /// atomic or locking call.
    pub synchronised: bool,
}

/// A variable with static storage and its writes.
#[derive(Clone, Debug)]
pub struct StaticState<'t> {
    /// Its declarations (one variable may be declared more than once).
    pub candidates: Vec<Candidate<'t>>,
    /// Whether it is an array.
    pub array: bool,
    /// Its writes, in source order.
    pub writes: Vec<Write<'t>>,
    /// The identifiers that read or write it (declarators excluded).
    pub references: Vec<Node<'t>>,
}

/// A per-interpreter slot that a fix declared (`Py_ONCEVAR_DECLARE(T, name)`),
/// and its writes through `Py_ONCEVAR(name) = …`.
#[derive(Clone, Debug)]
pub struct SlotState<'t> {
    /// The slot's name.
    pub name: String,
    /// The declaration's first node (the macro's name).
    pub declaration: Node<'t>,
    /// The `Py_ONCEVAR(name) = …` assignments, in source order.
    pub writes: Vec<Write<'t>>,
}

/// Every variable of the unit with static storage, except locks, once
/// flags and CPython's own tables (see [`NOT_STATE`]) and `const` ones,
/// with its writes.
pub fn statics<'t>(
    tree: &'t Tree,
    bytes: &[u8],
    graph: &CallGraph<'t>,
    life: &Life,
) -> Vec<StaticState<'t>> {
    let root = tree.root_node();
    let mut candidates: Vec<Candidate<'t>> = Vec::new();
    let mut arrays: HashSet<usize> = HashSet::new();
    // Pointers with static storage (their candidates): they may hold the
    // address of another static, and write it through that.
    let mut pointers: HashSet<usize> = HashSet::new();
    // `T *const p = &s`: no state itself (it cannot be written), but
    // what is written through it is `s`'s.
    let mut alias_only: HashSet<usize> = HashSet::new();
    let mut declarations: Vec<Node<'t>> = file_scope_items(root)
        .into_iter()
        .filter(|n| n.kind() == "declaration")
        .collect();
    for function in graph.functions() {
        declarations.extend(block_statics(function.node, bytes));
    }
    for declaration in declarations {
        if has_storage(declaration, bytes, "typedef") {
            continue;
        }
        let Some(base) = declaration.child_by_field_name("type") else {
            continue;
        };
        let base_text = crate::analysis::candidates::squash(base.utf8_text(bytes).unwrap_or(""));
        let qualified_const = {
            let mut cursor = declaration.walk();
            let constant = declaration
                .children(&mut cursor)
                .any(|c| c.kind() == "type_qualifier" && c.utf8_text(bytes) == Ok("const"));
            constant
        };
        let mut cursor = declaration.walk();
        for declarator in declaration.children_by_field_name("declarator", &mut cursor) {
            let Some((name, depth, array, constant_pointer)) = variable_shape(declarator, bytes)
            else {
                continue;
            };
            // `const T v` cannot be written, and neither can `T *const v`;
            // `const T *v` can (the pointer is the variable).
            let address_initialised = declarator
                .child_by_field_name("value")
                .is_some_and(|v| address_of(v, bytes).is_some());
            if (constant_pointer && !address_initialised) || (depth == 0 && qualified_const) {
                continue;
            }
            if depth == 0 && NOT_STATE.contains(&base_text.as_str()) {
                continue;
            }
            if array {
                arrays.insert(candidates.len());
            }
            if depth > 0 && !array {
                pointers.insert(candidates.len());
            }
            if constant_pointer {
                alias_only.insert(candidates.len());
            }
            let mut type_name = base_text.clone();
            if depth > 0 {
                type_name.push(' ');
                type_name.push_str(&"*".repeat(depth));
            }
            candidates.push(Candidate {
                name: name.utf8_text(bytes).unwrap_or("").to_owned(),
                name_node: name,
                declaration,
                declarator,
                type_name,
                object: false,
                function: parse::enclosing_function(declaration),
                // Process-wide state, not an object cache: its arrays are
                // in `arrays`.
                array: false,
                dimensions: 0,
                members: Vec::new(),
            });
        }
    }
    if candidates.is_empty() {
        return Vec::new();
    }
    let resolution = scope::resolve(tree, bytes, &candidates);
    let sync = Synchronisation::find(root, bytes);
    let macros = MacroWrites::of(root, bytes);
    // The file-scope statics by name, for the macros that name them.
    let file_scope: HashMap<&str, usize> = resolution
        .symbols
        .iter()
        .enumerate()
        .filter_map(|(i, symbol)| {
            let c = &candidates[*symbol.candidates.first()?];
            c.function.is_none().then_some((c.name.as_str(), i))
        })
        .collect();
    let mut through_macros: HashMap<usize, Vec<(Node<'t>, WriteKind)>> = HashMap::new();
    for (invocation, name, address) in naming_macro_uses(root, bytes) {
        let Some(&symbol) = file_scope.get(name.as_str()) else {
            continue;
        };
        let array = resolution.symbols[symbol]
            .candidates
            .iter()
            .any(|c| arrays.contains(c));
        let write = if address {
            address_write(invocation, array, bytes, &macros)
        } else {
            write_of(invocation, array, bytes, &macros)
        };
        if let Some(write) = write {
            through_macros.entry(symbol).or_default().push(write);
        }
    }
    // The pointers with static storage whose only values are addresses of
    // file-scope statics (`static state_t *st = &state;`, or `st =
    // &state;` wherever it is set): what is written through one is
    // written to those statics, where it is written.
    for (p, symbol) in resolution.symbols.iter().enumerate() {
        if !symbol.candidates.iter().any(|c| pointers.contains(c)) {
            continue;
        }
        let mut values: Vec<Node> = symbol
            .candidates
            .iter()
            .filter_map(|&c| candidates[c].declarator.child_by_field_name("value"))
            .collect();
        let mut assigned_elsewhere = false;
        for &r in &symbol.references {
            match write_of(r, false, bytes, &macros) {
                Some((node, WriteKind::Assign)) if node.kind() == "assignment_expression" => {
                    let whole = node
                        .child_by_field_name("left")
                        .is_some_and(|l| parse::strip_parens(l) == r);
                    match node.child_by_field_name("right").filter(|_| whole) {
                        Some(value) => values.push(value),
                        None => assigned_elsewhere = true,
                    }
                }
                Some(_) => assigned_elsewhere = true,
                None => {}
            }
        }
        let targets: Vec<usize> = values
            .iter()
            .filter_map(|&v| address_of(v, bytes))
            .filter_map(|name| file_scope.get(name).copied())
            .filter(|&t| t != p)
            .collect();
        // One value that is no such address (another pointer, a call's
        // result), or a write that is no plain assignment of the pointer:
        // what it points to is not known, and neither is what it writes.
        if targets.is_empty() || assigned_elsewhere || targets.len() != values.len() {
            continue;
        }
        for &r in &symbol.references {
            let Some(write) = write_through(r, bytes, &macros) else {
                continue;
            };
            for &t in &targets {
                through_macros.entry(t).or_default().push(write.clone());
            }
        }
    }
    resolution
        .symbols
        .iter()
        .enumerate()
        .filter(|(_, symbol)| !symbol.candidates.iter().all(|c| alias_only.contains(c)))
        .map(|(i, symbol)| {
            let array = symbol.candidates.iter().any(|c| arrays.contains(c));
            let mut found: Vec<(Node<'t>, WriteKind)> = symbol
                .references
                .iter()
                .filter_map(|&r| write_of(r, array, bytes, &macros))
                .collect();
            found.extend(through_macros.remove(&i).unwrap_or_default());
            found.sort_by_key(|(n, _)| n.start_byte());
            found.dedup_by_key(|(n, _)| n.id());
            let writes = found
                .into_iter()
                .map(|(node, kind)| {
                    let function = graph.function_at(node);
                    let synchronised = matches!(&kind, WriteKind::Address(f) if SYNCHRONISING.contains(&f.as_str()) || f.contains("atomic"))
                        || sync.region(node, bytes).is_some();
                    Write {
                        node,
                        kind,
                        function,
                        when: function.map_or(When::Unreached, |f| life.when(f)),
                        synchronised,
                    }
                })
                .collect();
            StaticState {
                candidates: symbol.candidates.iter().map(|&c| candidates[c].clone()).collect(),
                array,
                writes,
                references: symbol.references.clone(),
            }
        })
        .collect()
}

/// The per-interpreter slots of the unit (`Py_ONCEVAR_DECLARE` and its
/// `_BORROWED`/`_RAW` forms, by name) and their assignments.
pub fn slots<'t>(
    root: Node<'t>,
    bytes: &[u8],
    graph: &CallGraph<'t>,
    life: &Life,
) -> Vec<SlotState<'t>> {
    let declare = b"Py_ONCEVAR_DECLARE";
    if memchr::memmem::find(bytes, declare).is_none() {
        return Vec::new();
    }
    let mut slots: Vec<SlotState<'t>> = Vec::new();
    for at in memchr::memmem::find_iter(bytes, declare) {
        let Some(node) = root.descendant_for_byte_range(at, at + declare.len()) else {
            continue;
        };
        if node.start_byte() != at || !matches!(node.kind(), "identifier" | "type_identifier") {
            continue;
        }
        // The name is the argument after the last top-level comma before
        // the closing parenthesis: `Py_ONCEVAR_DECLARE(T, name)`.
        let rest = &bytes[at..];
        let Some(open) = memchr::memchr(b'(', rest) else {
            continue;
        };
        let Some(close) = memchr::memchr(b')', &rest[open..]).map(|c| open + c) else {
            continue;
        };
        let inside = String::from_utf8_lossy(&rest[open + 1..close]);
        let mut parts = inside.split(',').map(str::trim);
        let name = match (parts.next(), parts.next()) {
            (Some(_), Some(name)) => name.to_owned(),
            _ => continue,
        };
        if !name.is_empty() && !slots.iter().any(|s| s.name == name) {
            slots.push(SlotState {
                name,
                declaration: node,
                writes: Vec::new(),
            });
        }
    }
    let sync = Synchronisation::find(root, bytes);
    let macros = MacroWrites::of(root, bytes);
    let access = b"Py_ONCEVAR";
    for at in memchr::memmem::find_iter(bytes, access) {
        let Some(node) = root.descendant_for_byte_range(at, at + access.len()) else {
            continue;
        };
        if node.start_byte() != at
            || node.end_byte() != at + access.len()
            || node.kind() != "identifier"
        {
            continue;
        }
        let Some(call) = node.parent().filter(|p| p.kind() == "call_expression") else {
            continue;
        };
        let Some(name) = call
            .child_by_field_name("arguments")
            .and_then(|a| a.named_child(0))
            .and_then(|a| a.utf8_text(bytes).ok())
        else {
            continue;
        };
        let Some(slot) = slots.iter_mut().find(|s| s.name == name) else {
            continue;
        };
        let Some((write, kind)) = write_of(call, false, bytes, &macros) else {
            continue;
        };
        let function = graph.function_at(write);
        slot.writes.push(Write {
            node: write,
            kind,
            function,
            when: function.map_or(When::Unreached, |f| life.when(f)),
            synchronised: sync.region(write, bytes).is_some(),
        });
    }
    slots
}

/// The `static` declarations inside a function's body (not those of
/// nested functions, which C does not have).
fn block_statics<'t>(function: Node<'t>, bytes: &[u8]) -> Vec<Node<'t>> {
    let Some(body) = function.child_by_field_name("body") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut pending = vec![body];
    while let Some(node) = pending.pop() {
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            if child.kind() == "declaration" {
                if has_storage(child, bytes, "static") {
                    out.push(child);
                }
            } else if child.named_child_count() > 0 {
                pending.push(child);
            }
        }
    }
    out.sort_by_key(|n| n.start_byte());
    out
}

/// The name of a variable's declarator, its pointer depth, whether it is
/// an array, and whether the pointer itself is `const`; `None` for a
/// function (a prototype) or a function pointer's declarator.
fn variable_shape<'t>(declarator: Node<'t>, bytes: &[u8]) -> Option<(Node<'t>, usize, bool, bool)> {
    let mut node = declarator;
    if node.kind() == "init_declarator" {
        node = node.child_by_field_name("declarator")?;
    }
    let mut depth = 0;
    let mut array = false;
    let mut constant_pointer = false;
    loop {
        match node.kind() {
            "identifier" => return Some((node, depth, array, constant_pointer)),
            "pointer_declarator" => {
                if depth == 0 {
                    let mut cursor = node.walk();
                    constant_pointer = node
                        .children(&mut cursor)
                        .any(|c| c.kind() == "type_qualifier" && c.utf8_text(bytes) == Ok("const"));
                }
                depth += 1;
                node = node.child_by_field_name("declarator")?;
            }
            "array_declarator" => {
                array = true;
                node = node.child_by_field_name("declarator")?;
            }
            "attributed_declarator" => node = node.named_child(0)?,
            _ => return None,
        }
    }
}

/// Whether the reference `name` writes its variable, and how: the node
/// that writes and the kind of write. `array`: the variable is an array
/// (its name alone is its first element's address); `macros`: the macros
/// that write what they are given (an empty one counts none).
pub(crate) fn write_of<'t>(
    name: Node<'t>,
    array: bool,
    bytes: &[u8],
    macros: &MacroWrites,
) -> Option<(Node<'t>, WriteKind)> {
    // Climb through what keeps the same storage: parentheses, an element,
    // a member through `.` (one descent from the root, however long the
    // chain: `Node::parent` descends at each step).
    let mut element = false;
    let (node, above) = parse::climb(name, |parent, child| match parent.kind() {
        "parenthesized_expression" => true,
        "subscript_expression" if parent.child_by_field_name("argument") == Some(child) => {
            element = true;
            true
        }
        "field_expression" => {
            parent.child_by_field_name("argument") == Some(child)
                && parent
                    .child_by_field_name("operator")
                    .is_some_and(|o| o.utf8_text(bytes) == Ok("."))
        }
        _ => false,
    });
    let parent = above.first()?;
    match parent.kind() {
        "assignment_expression" if parent.child_by_field_name("left") == Some(node) => {
            Some((parent, WriteKind::Assign))
        }
        "update_expression" => Some((parent, WriteKind::Update)),
        "pointer_expression"
            if parent
                .child_by_field_name("operator")
                .is_some_and(|o| o.utf8_text(bytes) == Ok("&")) =>
        {
            address_write(parent, array, bytes, macros)
        }
        "argument_list" => {
            let (callee, at) = callee_of_argument(node, bytes)?;
            if macros.writes(&callee, at) {
                Some((above.get(1)?, WriteKind::Macro(callee)))
            } else if array && !element {
                (at == 0 && WRITES_FIRST_ARGUMENT.contains(&callee.as_str()))
                    .then_some((node, WriteKind::Buffer(callee)))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The variable whose address the expression `value` is, parentheses and
/// casts aside: `&v`, `&v.member`, `&v[i]`, `(T *)&v` give `v`.
fn address_of<'b>(value: Node, bytes: &'b [u8]) -> Option<&'b str> {
    let node = parse::strip_parens(value);
    let operand = (node.kind() == "pointer_expression"
        && node
            .child_by_field_name("operator")
            .is_some_and(|o| o.utf8_text(bytes) == Ok("&")))
    .then(|| node.child_by_field_name("argument"))??;
    let mut operand = parse::strip_parens(operand);
    loop {
        match operand.kind() {
            "identifier" => return operand.utf8_text(bytes).ok(),
            "field_expression"
                if operand
                    .child_by_field_name("operator")
                    .is_some_and(|o| o.utf8_text(bytes) == Ok(".")) =>
            {
                operand = parse::strip_parens(operand.child_by_field_name("argument")?);
            }
            "subscript_expression" => {
                operand = parse::strip_parens(operand.child_by_field_name("argument")?);
            }
            _ => return None,
        }
    }
}

/// What the reference `pointer` to a pointer holding a variable's address
/// writes of that variable: through it (`p->f = …`, `(*p).f++`, `p[i] =
/// …`, `Py_CLEAR(p->f)`, `&p->f` to a call), or the address handed on
/// (`p` given to a call, stored, returned), as [`address_write`] counts
/// `&v`. An assignment of the pointer itself writes the pointer, not the
/// variable.
fn write_through<'t>(
    pointer: Node<'t>,
    bytes: &[u8],
    macros: &MacroWrites,
) -> Option<(Node<'t>, WriteKind)> {
    let (outer, parent) = outside_parens(pointer);
    if let Some(member) = arrow_member(outer, parent, bytes) {
        return write_of(member, false, bytes, macros);
    }
    let parent = parent?;
    let is_operand = |field: &str| parent.child_by_field_name(field) == Some(outer);
    match parent.kind() {
        "pointer_expression"
            if parent
                .child_by_field_name("operator")
                .is_some_and(|o| o.utf8_text(bytes) == Ok("*")) =>
        {
            write_of(parent, false, bytes, macros)
        }
        "subscript_expression" if is_operand("argument") => write_of(parent, false, bytes, macros),
        "assignment_expression" if is_operand("left") => None,
        _ => address_write(pointer, false, bytes, macros),
    }
}

/// The outermost of the parentheses around `node` (`node` itself when
/// none is), and its parent (`None` at the root): one climb
/// ([`parse::climb`]), where a `Node::parent` loop descends from the root
/// at each step.
fn outside_parens(node: Node) -> (Node, Option<Node>) {
    let (outer, above) = parse::climb(node, |parent, _| {
        parent.kind() == "parenthesized_expression"
    });
    (outer, above.first())
}

/// The member expression `pointer->f` whose pointer is `pointer`, if its
/// parent `parent` is one.
fn arrow_member<'t>(pointer: Node<'t>, parent: Option<Node<'t>>, bytes: &[u8]) -> Option<Node<'t>> {
    parent.filter(|p| {
        p.kind() == "field_expression"
            && p.child_by_field_name("argument") == Some(pointer)
            && p.child_by_field_name("operator")
                .is_some_and(|o| o.utf8_text(bytes) == Ok("->"))
    })
}

/// Whether the expression `address`, the address of a variable (`&v`,
/// or a macro of the unit that stands for it), writes the variable, and
/// how: given to a call that may write it, kept (stored, returned, put in
/// an initialiser), or written through at once (`(&v)->f = …`).
fn address_write<'t>(
    address: Node<'t>,
    array: bool,
    bytes: &[u8],
    macros: &MacroWrites,
) -> Option<(Node<'t>, WriteKind)> {
    let (outer, parent) = outside_parens(address);
    if let Some(member) = arrow_member(outer, parent, bytes) {
        // `(&v)->f` is `v.f`: the member's storage is the variable's.
        return write_of(member, array, bytes, macros);
    }
    match callee_of_argument(address, bytes) {
        Some((callee, at)) if READ_ONLY_ARGUMENTS.contains(&(callee.as_str(), at)) => None,
        Some((callee, _)) => Some((address, WriteKind::Address(callee))),
        None => {
            let user = parse::strip_parens(address).parent()?;
            matches!(
                user.kind(),
                "assignment_expression"
                    | "init_declarator"
                    | "return_statement"
                    | "initializer_list"
            )
            .then_some((address, WriteKind::Escapes))
        }
    }
}

/// The uses in code of the unit's macros whose body designates a variable
/// by name, with no parameter in it: its address (`#define GETSTATE(m)
/// (&_state)`, the porting HOWTO's module state kept in a static) or the
/// variable itself or a member of it (`#define ERROR_OBJ (_state.error)`).
/// Each use is given as (the expression in code, an identifier or a call,
/// the variable's name, whether the body is its address). The name is
/// taken for the file-scope variable, as the compiler takes it wherever no
/// local of that name is in scope (a local that shadows it at the use is
/// not seen).
fn naming_macro_uses<'t>(root: Node<'t>, bytes: &[u8]) -> Vec<(Node<'t>, String, bool)> {
    let mut out = Vec::new();
    for (macro_name, body) in parse::macro_bodies(root, bytes) {
        let mut tokens = evidence::macro_tokens(&body);
        while tokens.len() >= 2 && tokens[0] == "(" && tokens[tokens.len() - 1] == ")" {
            // Only parentheses that enclose the whole body.
            let mut depth = 0usize;
            let encloses = tokens[..tokens.len() - 1].iter().enumerate().all(|(i, t)| {
                match *t {
                    "(" => depth += 1,
                    ")" => depth -= 1,
                    _ => {}
                }
                i == 0 || depth > 0
            });
            if !encloses {
                break;
            }
            tokens = tokens[1..tokens.len() - 1].to_vec();
        }
        let word = |t: &str| t.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
        let (name, address) = match tokens.as_slice() {
            ["&", name] | ["&", "(", name, ")"] if word(name) => ((*name).to_owned(), true),
            [name, rest @ ..]
                if word(name)
                    && !rest.is_empty()
                    && rest.len() % 2 == 0
                    && rest.chunks(2).all(|c| c[0] == "." && word(c[1])) =>
            {
                ((*name).to_owned(), false)
            }
            [name] if word(name) && *name != macro_name => ((*name).to_owned(), false),
            _ => continue,
        };
        for at in memchr::memmem::find_iter(bytes, macro_name.as_bytes()) {
            let end = at + macro_name.len();
            let Some(node) = root.descendant_for_byte_range(at, end) else {
                continue;
            };
            if node.kind() != "identifier" || node.start_byte() != at || node.end_byte() != end {
                continue;
            }
            let expression = node
                .parent()
                .filter(|p| {
                    p.kind() == "call_expression" && p.child_by_field_name("function") == Some(node)
                })
                .unwrap_or(node);
            out.push((expression, name.clone(), address));
        }
    }
    out
}

/// The name of the function called with `argument` among its arguments,
/// and the argument's 0-based position.
fn callee_of_argument(argument: Node, bytes: &[u8]) -> Option<(String, usize)> {
    let (node, above) = parse::climb(argument, |parent, _| {
        matches!(
            parent.kind(),
            "parenthesized_expression" | "cast_expression"
        )
    });
    let arguments = above.first().filter(|p| p.kind() == "argument_list")?;
    let call = above.get(1).filter(|c| c.kind() == "call_expression")?;
    let mut cursor = arguments.walk();
    let at = arguments
        .named_children(&mut cursor)
        .filter(|a| a.kind() != "comment")
        .position(|a| a.node_id() == node.node_id())?;
    let callee = call
        .child_by_field_name("function")
        .and_then(|f| f.utf8_text(bytes).ok())?;
    Some((callee.to_owned(), at))
}
