//! The call graph of a translation unit: its function definitions, which
//! function calls or names which (directly, or through the unit's own
//! macros), and the entry points through which CPython calls into the unit
//! (the *roots*): module init functions (`PyInit_*`, also when a macro such
//! as `MOD_INIT(name)` spells them), the functions stored in method tables
//! (`PyMethodDef`), get/set tables, type slots (`PyType_Slot` entries and
//! the `tp_*` members of a static `PyTypeObject`), module slots
//! (`PyModuleDef_Slot`: `Py_mod_exec`, `Py_mod_create`), a `PyModuleDef`'s
//! `m_traverse`, `m_clear` and `m_free`, and functions with external
//! linkage, which other units may call.
//!
//! It also reads each module's definition (`PyModuleDef`: its `m_size`, its
//! tables) and which init function creates a module how: single-phase
//! (`PyModule_Create`, `PyModule_Create2`, `Py_InitModule*`) or multi-phase
//! (`PyModuleDef_Init`). A single-phase module whose `m_size` is -1
//! initialises once per process: CPython copies the first interpreter's
//! module dict into every later one and never runs the init again there
//! (`_PyImport_FindExtensionObject` in `Python/import.c`), so what that
//! init reaches runs once per process.
//!
//! Everything is read from the tree as parsed: a function named only in a
//! macro body counts when a function of the unit invokes that macro (the
//! body's words are followed, macro by macro), and a function whose address
//! is taken in another counts as reached from it (it may be called from
//! there, or stored to be called later), so reachability errs towards
//! "reached". A name the unit's macros build (`DEFINE_EXEC(foo) { … }` with
//! `#define DEFINE_EXEC(n) static int n##_exec(PyObject *m)`, a slot's
//! `{Py_mod_exec, EXEC_OF(foo)}`, a call `SETUP(types)` of `setup_types`) is
//! the name their expansion gives, pasting, stringizing and rescanning as
//! the preprocessor does (bounded in depth and size). Built once per unit on demand ([`LazyCallGraph`]); the
//! module-init audit (`oncevar audit`) and the fix planner read it.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet, VecDeque};

use tree_sitter::Node;

use crate::analysis::capi::{self, MODULE_DEF_MEMBERS, TYPE_MEMBERS};
use crate::analysis::parse::{self, strip_parens};

/// Index into [`CallGraph::functions`].
pub type FunctionId = usize;

/// Index into [`CallGraph::module_defs`].
pub type ModuleDefId = usize;

/// Whether other translation units can call a function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Linkage {
    /// Declared `static`: only this unit calls it.
    Internal,
    /// Not `static`: any unit linked with this one may call it.
    External,
}

/// One function definition of the unit.
#[derive(Clone, Debug)]
pub struct Function<'t> {
    /// The name it defines: for `MOD_INIT(foo) { … }` with
    /// `#define MOD_INIT(name) PyMODINIT_FUNC PyInit_##name(void)`, the
    /// expanded `PyInit_foo`.
    pub name: String,
    /// The `function_definition` node.
    pub node: Node<'t>,
    /// `static` or not.
    pub linkage: Linkage,
}

/// How one function reaches another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EdgeKind {
    /// A call `f(…)`.
    Call,
    /// The function's name used as a value (`&f`, `f` passed or stored):
    /// it may be called from there, or later through the pointer.
    Reference,
    /// Named in the body of a macro of the unit that the caller invokes
    /// (through other macros too).
    Macro,
}

/// An edge of the graph: from the function whose body holds `site`.
#[derive(Clone, Copy, Debug)]
pub struct Edge<'t> {
    /// The function reached.
    pub to: FunctionId,
    /// How.
    pub kind: EdgeKind,
    /// The identifier naming the callee, or the macro invocation's name.
    pub site: Node<'t>,
}

/// What kind of entry point a root is: who calls it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RootKind {
    /// A module's init function, `PyInit_<name>` (the import system).
    ModuleInit,
    /// A `Py_mod_create` slot.
    ModuleCreate,
    /// A `Py_mod_exec` slot (multi-phase init, once per module object).
    ModuleExec,
    /// A `PyModuleDef`'s `m_traverse`.
    ModuleTraverse,
    /// A `PyModuleDef`'s `m_clear`.
    ModuleClear,
    /// A `PyModuleDef`'s `m_free`.
    ModuleFree,
    /// A method (`PyMethodDef` entry): Python code calls it.
    Method,
    /// A getter or setter (`PyGetSetDef` entry).
    GetSet,
    /// A type slot: a `PyType_Slot` entry, a `tp_*` member of a static
    /// `PyTypeObject`, or a member of its number, sequence, mapping, async
    /// or buffer tables.
    TypeSlot,
    /// Named in another file-scope initialiser (a table the unit reads
    /// itself, or hands to some library): called by whoever reads it.
    Table,
    /// A function with external linkage (not `static`), not a module init:
    /// other translation units may call it.
    Exported,
}

/// An entry point of the unit.
#[derive(Clone, Debug)]
pub struct Root<'t> {
    /// Who calls it.
    pub kind: RootKind,
    /// The function.
    pub function: FunctionId,
    /// The file-scope variable whose initialiser names it (`methods`,
    /// `Foo_Type`, `module_slots`), if any.
    pub table: Option<String>,
    /// The slot or member it fills, when the table says so: `Py_mod_exec`,
    /// `Py_tp_dealloc`, `tp_dealloc`, `m_clear`, `ml_meth`.
    pub slot: Option<String>,
    /// Where the table names it (the identifier), or the definition's name
    /// for a module init or an exported function.
    pub site: Node<'t>,
}

/// Who reads a file-scope initialiser naming another unit's function:
/// see [`CallGraph::initialiser_readers`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Readers {
    /// The interpreter, at run time or for each module object.
    RunTime,
    /// These functions of the unit, which name the unit's own `static`
    /// table.
    Functions(Vec<FunctionId>),
    /// Not known.
    Unknown,
}

/// A module's `m_size`, as far as the unit's text tells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModuleSize {
    /// A constant: -1 (no per-module state, single-phase modules initialise
    /// once per process), 0 or a size.
    Known(i64),
    /// `sizeof(…)` (or a sum of them): never -1.
    NonNegative,
    /// Anything else (a macro of another file, a variable): the text.
    Unknown(String),
    /// The definition does not set it (it is then 0).
    Absent,
}

impl ModuleSize {
    /// Whether a single-phase module with this size runs its init once per
    /// process (`Some(true)` for -1), every time an interpreter imports it
    /// (`Some(false)`), or whether that is unknown (`None`).
    pub fn once_per_process(&self) -> Option<bool> {
        match self {
            ModuleSize::Known(size) => Some(*size == -1),
            ModuleSize::NonNegative | ModuleSize::Absent => Some(false),
            ModuleSize::Unknown(_) => None,
        }
    }
}

/// A `PyModuleDef` variable of the unit (declared at file scope, or in
/// the body of a macro that a function invokes).
#[derive(Clone, Debug)]
pub struct ModuleDef<'t> {
    /// The variable's name (`moduledef`).
    pub name: String,
    /// Its declaration, or the invocation of the macro whose body
    /// declares it.
    pub declaration: Node<'t>,
    /// `m_name`, as written (a string literal's text with its quotes, or a
    /// macro).
    pub module_name: Option<String>,
    /// `m_size`.
    pub size: ModuleSize,
    /// `m_methods`: the method table's variable name.
    pub methods: Option<String>,
    /// `m_slots`: the module slot table's variable name.
    pub slots: Option<String>,
    /// `m_traverse`, `m_clear`, `m_free`.
    pub traverse: Option<FunctionId>,
    /// See [`ModuleDef::traverse`].
    pub clear: Option<FunctionId>,
    /// See [`ModuleDef::traverse`].
    pub free: Option<FunctionId>,
}

/// How a module is created.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum InitPhase {
    /// `PyModule_Create`, `PyModule_Create2` or Python 2's `Py_InitModule*`:
    /// the init function builds the module itself.
    Single,
    /// `PyModuleDef_Init`: the init returns the definition, and the import
    /// system runs its slots for each module object.
    Multi,
}

/// A module-creating call that an init function reaches.
#[derive(Clone, Debug)]
pub struct Creation<'t> {
    /// Single or multi-phase.
    pub phase: InitPhase,
    /// The API called: `PyModule_Create`, `PyModuleDef_Init`, …
    pub api: &'static str,
    /// The function whose body makes the call (the init, or a helper it
    /// reaches).
    pub function: FunctionId,
    /// The identifier of the call, or of the macro invocation that expands
    /// to it.
    pub site: Node<'t>,
    /// The definition passed (`&moduledef`), when it is a `PyModuleDef` of
    /// the unit.
    pub def: Option<ModuleDefId>,
    /// The definition's text as passed, when it is not found in the unit.
    pub def_text: Option<String>,
}

/// A module init function (`PyInit_<name>`) and how it creates its module.
#[derive(Clone, Debug)]
pub struct ModuleInit<'t> {
    /// The init function.
    pub function: FunctionId,
    /// The module's name: what follows `PyInit_`.
    pub module: String,
    /// Every module-creating call it reaches, in source order.
    pub creations: Vec<Creation<'t>>,
}

/// Whether a module init runs once per process, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InitOnce {
    /// Single-phase with `m_size` -1 (or Python 2's `Py_InitModule*`): the
    /// description names the call and the size.
    OncePerProcess(String),
    /// Multi-phase, or single-phase with per-module state: it runs again
    /// for every interpreter that imports the module.
    PerInterpreter,
    /// The unit does not tell: the description says what is missing.
    Unknown(String),
}

impl ModuleInit<'_> {
    /// Whether this init runs once per process: single-phase with an
    /// `m_size` of -1 in any of its creations makes it so; otherwise an
    /// unknown size or a creation that is not found makes it unknown.
    pub fn once(&self, graph: &CallGraph) -> InitOnce {
        if self.creations.is_empty() {
            return InitOnce::Unknown(format!(
                "`{}` reaches neither PyModule_Create nor PyModuleDef_Init in this translation unit",
                graph.functions[self.function].name
            ));
        }
        let mut unknown = None;
        let python2 = |c: &&Creation| c.api.starts_with("Py_InitModule");
        let (old, current): (Vec<&Creation>, Vec<&Creation>) =
            self.creations.iter().partition(python2);
        if current.is_empty() {
            if let Some(creation) = old.first() {
                return InitOnce::OncePerProcess(format!("{}, Python 2", creation.api));
            }
        }
        for creation in current {
            if creation.phase == InitPhase::Multi {
                continue;
            }
            let Some(def) = creation.def.map(|d| &graph.module_defs[d]) else {
                unknown.get_or_insert(format!(
                    "the module definition passed to {} (`{}`) is not in this translation unit",
                    creation.api,
                    creation.def_text.as_deref().unwrap_or("?")
                ));
                continue;
            };
            match def.size.once_per_process() {
                Some(true) => {
                    return InitOnce::OncePerProcess(format!("{}, m_size -1", creation.api))
                }
                Some(false) => {}
                None => {
                    let ModuleSize::Unknown(text) = &def.size else {
                        continue;
                    };
                    unknown.get_or_insert(format!(
                        "the m_size of `{}` is `{text}`, which oncevar cannot evaluate",
                        def.name
                    ));
                }
            }
        }
        match unknown {
            Some(why) => InitOnce::Unknown(why),
            None => InitOnce::PerInterpreter,
        }
    }
}

/// The functions reached from a set of starting functions, each with the
/// function it was first reached from (breadth first, so each path is a
/// shortest one; ties go to the earlier edge in the source).
#[derive(Clone, Debug, Default)]
pub struct Reach {
    /// Reached function to the function it was reached from (`None` for a
    /// starting function).
    from: HashMap<FunctionId, Option<FunctionId>>,
}

impl Reach {
    /// Whether `function` is reached.
    pub fn contains(&self, function: FunctionId) -> bool {
        self.from.contains_key(&function)
    }

    /// The path from a starting function to `function`, both included;
    /// `None` when it is not reached.
    pub fn path(&self, function: FunctionId) -> Option<Vec<FunctionId>> {
        let mut path = vec![function];
        let mut at = *self.from.get(&function)?;
        while let Some(previous) = at {
            path.push(previous);
            at = self.from[&previous];
        }
        path.reverse();
        Some(path)
    }
}

/// The call graph of one translation unit; see the module doc.
#[derive(Debug, Default)]
pub struct CallGraph<'t> {
    functions: Vec<Function<'t>>,
    by_name: HashMap<String, Vec<FunctionId>>,
    edges: Vec<Vec<Edge<'t>>>,
    roots: Vec<Root<'t>>,
    module_defs: Vec<ModuleDef<'t>>,
    inits: Vec<ModuleInit<'t>>,
    /// Per function: reached from a module's init (`PyInit_*`, a
    /// `Py_mod_create` or `Py_mod_exec` slot) and from no other root.
    init_only: Vec<bool>,
    /// The unit's own tables (file-scope initialisers of none of CPython's
    /// table types): whether each is `static`, and the functions it names.
    own_tables: HashMap<String, (bool, Vec<FunctionId>)>,
    /// The tables among them with external linkage (not `static`), by
    /// name, with the functions each names: another unit may walk one and
    /// call its functions (`init_steps[i](m)` in the init of another file),
    /// so those are entries for other units through the table's name
    /// ([`CallGraph::outside_tables`]). Sorted by name.
    extern_tables: Vec<(String, Vec<FunctionId>)>,
    /// The `static` tables among them that a function of the unit names:
    /// only those functions read them, so their entries are reached
    /// through those functions' edges, not as roots of their own.
    read_tables: HashSet<String>,
    /// The module-creating calls each function's body makes.
    creations: Vec<Vec<Creation<'t>>>,
    /// The names of the objects declared at file scope (static, external
    /// or defined) that may change: not functions or types, nor a `const`
    /// object that is not a pointer.
    variables: HashSet<String>,
    /// For each function, the edges that reach it: (the function holding
    /// the edge, the index of the edge among its edges).
    callers: Vec<Vec<(FunctionId, usize)>>,
    /// The functions whose whole definition, body included, is the
    /// expansion of a macro invoked at file scope
    /// ([`macro_definition`]): the macro's name in the invocation, and the
    /// expansion's tokens (its arguments pasted in).
    in_macro: HashMap<FunctionId, (Node<'t>, Vec<String>)>,
    /// Why the graph was not built (too large): it is then empty
    /// ([`CallGraph::overflow`]).
    overflow: Option<Overflow>,
}

/// A local variable or a parameter of a function: what a name denotes
/// where a block-scope declaration or a parameter declares it
/// ([`local_named`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Local<'t> {
    /// Where the name denotes it: the block of its declaration (a compound
    /// statement, or the `for` statement whose initialiser declares it),
    /// or the function's body for a parameter.
    pub scope: Node<'t>,
    /// Its declaration; `None` for a parameter.
    pub declaration: Option<Node<'t>>,
}

impl Local<'_> {
    /// Whether each call of the function has its own (a parameter, or a
    /// local declared neither `static` nor `extern`); otherwise it is one
    /// object for the whole process.
    pub fn is_automatic(&self, bytes: &[u8]) -> bool {
        self.declaration.is_none_or(|d| {
            let mut cursor = d.walk();
            let process_wide = d.children(&mut cursor).any(|c| {
                c.kind() == "storage_class_specifier"
                    && matches!(c.utf8_text(bytes), Ok("static" | "extern"))
            });
            !process_wide
        })
    }
}

/// Nodes that hold statements of the block around them without being a
/// scope of their own: a declaration among their statements is a
/// declaration of that block.
fn holds_block_statements(kind: &str) -> bool {
    matches!(
        kind,
        "preproc_if"
            | "preproc_ifdef"
            | "preproc_else"
            | "preproc_elif"
            | "preproc_elifdef"
            | "case_statement"
            | "labeled_statement"
    )
}

/// C's block scope, the one reader of it: the innermost local or parameter
/// that `name` denotes at `place`, whose enclosing nodes are `ancestors`
/// (its parent first, up to the function's definition at least). A
/// block-scope declaration shadows from its declarator on: a declaration
/// of a block around the place (a compound statement, a `for` loop's
/// initialiser) that ends before it, also one in an `#if` branch, after a
/// `case` or a label among the block's statements, or the declarators of
/// the place's own declaration that end before it (`PyObject *a = f(),
/// *b = a;`) or are the place (a declarator's own name denotes what it
/// declares); a block-scope prototype declares no local. Then the
/// parameters of the function. `None`: no local declares `name` there, so
/// it names what the file scope does (a function of the unit, a file-scope
/// variable, a macro).
///
/// Reads the statements before the place of each block around it, each
/// once: linear in the function's size, no recursion.
pub(crate) fn local_named<'t>(
    place: Node<'t>,
    ancestors: impl IntoIterator<Item = Node<'t>>,
    name: &str,
    bytes: &[u8],
) -> Option<Local<'t>> {
    let at = place.start_byte();
    let declares = |d: Node| {
        let mut cursor = d.walk();
        let found = d
            .children_by_field_name("declarator", &mut cursor)
            .filter(|d| d.kind() != "function_declarator")
            .filter_map(crate::analysis::classify::innermost_name)
            .any(|n| {
                (n.end_byte() <= at || n.id() == place.id()) && n.utf8_text(bytes) == Ok(name)
            });
        found
    };
    let mut child = place;
    // A declaration found in an `#if` branch or a `case` around the place,
    // kept until the block that holds them (at file scope there is none).
    let mut found: Option<Node<'t>> = None;
    for block in ancestors {
        let is_block = matches!(block.kind(), "compound_statement" | "for_statement");
        if is_block || holds_block_statements(block.kind()) {
            // The statements before the place, `#if` branches and `case`
            // bodies entered; the last declaration wins (two are made only
            // in different `#if` branches).
            if found.is_none() {
                let mut cursor = block.walk();
                let mut pending: Vec<Node<'t>> = block.named_children(&mut cursor).collect();
                pending.reverse();
                while let Some(n) = pending.pop() {
                    if n.start_byte() > at || n.id() == child.id() && n.kind() != "declaration" {
                        continue;
                    }
                    if n.kind() == "declaration" {
                        if declares(n) {
                            found = Some(n);
                        }
                    } else if holds_block_statements(n.kind()) && n.end_byte() <= at {
                        let mut inner = n.walk();
                        let mut children: Vec<Node<'t>> = n.named_children(&mut inner).collect();
                        children.reverse();
                        pending.extend(children);
                    }
                }
            }
            if is_block && found.is_some() {
                return Some(Local {
                    scope: block,
                    declaration: found,
                });
            }
        } else if block.kind() == "function_definition" {
            let body = block.child_by_field_name("body")?;
            let mut position = 0;
            while let Some(parameter) = crate::analysis::classify::parameter_name(block, position) {
                if parameter.utf8_text(bytes) == Ok(name) {
                    return Some(Local {
                        scope: body,
                        declaration: None,
                    });
                }
                position += 1;
            }
            return None;
        }
        child = block;
    }
    None
}

/// The index in `parents` (a walk's ancestors, outermost first, of a
/// declaration) of the block whose scope a declaration there joins, as
/// [`local_named`] reads it: the innermost compound statement or `for`
/// loop, through `#if` branches, `case`s and labels only. `None` when
/// another node stands between (an error's): `local_named` reads no
/// declaration there.
fn declaration_block(parents: &[Node]) -> Option<usize> {
    parents
        .iter()
        .rposition(|p| !holds_block_statements(p.kind()))
        .filter(|&at| matches!(parents[at].kind(), "compound_statement" | "for_statement"))
}

/// The declarations a preorder walk of a body has passed that are still
/// in scope, by name: what [`local_named`] finds at the walk's place,
/// without reading the blocks around it again.
#[derive(Default)]
struct OpenDeclarations<'s> {
    /// (index of the block in the walk's ancestors, name), in order.
    declared: Vec<(usize, &'s str)>,
    /// For each name, the offset from which each of its declarations in
    /// scope is visible (its declarator's name on), with the least of
    /// those so far.
    visible: HashMap<&'s str, Vec<(usize, usize)>>,
}

impl<'s> OpenDeclarations<'s> {
    /// Declares `name` in the block at `depth` of the walk's ancestors,
    /// visible from byte `from` on.
    fn declare(&mut self, depth: usize, name: &'s str, from: usize) {
        self.declared.push((depth, name));
        let visible = self.visible.entry(name).or_default();
        let least = visible.last().map_or(from, |&(_, least)| least.min(from));
        visible.push((from, least));
    }

    /// Leaves the blocks at `depth` and deeper of the walk's ancestors:
    /// their declarations go out of scope.
    fn leave(&mut self, depth: usize) {
        while let Some(&(d, name)) = self.declared.last() {
            if d < depth {
                break;
            }
            self.declared.pop();
            if let Some(visible) = self.visible.get_mut(name) {
                visible.pop();
            }
        }
    }

    /// Whether a declaration in scope makes `name` at byte `at` a local.
    fn names(&self, name: &str, at: usize) -> bool {
        self.visible
            .get(name)
            .and_then(|v| v.last())
            .is_some_and(|&(_, least)| least <= at)
    }
}

/// The names of the parameters of `function` (a definition).
fn parameter_names<'s>(function: Node, bytes: &'s [u8]) -> HashSet<&'s str> {
    let mut names = HashSet::new();
    let mut position = 0;
    while let Some(parameter) = crate::analysis::classify::parameter_name(function, position) {
        names.extend(parameter.utf8_text(bytes).ok());
        position += 1;
    }
    names
}

/// The names that the parameters of `function` (a definition) and the
/// declarations in its body declare as variables.
fn local_names<'s>(function: Node, bytes: &'s [u8]) -> HashSet<&'s str> {
    let mut names = parameter_names(function, bytes);
    let Some(body) = function.child_by_field_name("body") else {
        return names;
    };
    for declaration in parse::descendants(body).filter(|n| n.kind() == "declaration") {
        let mut declarators = declaration.walk();
        for d in declaration.children_by_field_name("declarator", &mut declarators) {
            if d.kind() != "function_declarator" {
                let name = crate::analysis::classify::innermost_name(d);
                names.extend(name.and_then(|n| n.utf8_text(bytes).ok()));
            }
        }
    }
    names
}

/// The most definitions one name may have in a unit. Each reference to a
/// name is an edge to every function of that name, so N definitions of a
/// name that R places reference make N×R edges: 8,000 lines of `int
/// f(void) { return f(); }` made 64 million (4 GB), and a fuzzed file whose
/// error recovery read 68,815 of its `else if (x) {}` as definitions of
/// `if` took 21 GB. C defines a name again only in other `#if` branches:
/// the largest group in CPython 3.11.2 is 4 definitions
/// (`_PyTime_GetThreadTimeWithInfo`), in the test data 2.
pub const MAX_TWINS: usize = 64;

/// The most edges a unit's graph holds per byte of its text, over
/// [`MIN_EDGE_BUDGET`]. Within [`MAX_TWINS`] a text can still make 64
/// edges per reference: 2,000 names each defined 64 times, each definition
/// calling its name (4.4 MB), made 8 million edges, 1.2 GB. The most in
/// CPython 3.11.2 and the test data is 0.009 per byte.
pub const MAX_EDGES_PER_BYTE: f64 = 0.25;

/// The edges any unit may have, whatever its size.
pub const MIN_EDGE_BUDGET: usize = 100_000;

/// Why a unit's graph was not built: it is then empty, and the unit is
/// not analysed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overflow {
    /// A name defined more than [`MAX_TWINS`] times.
    Twins {
        /// The name (the first in source order with the most definitions).
        name: String,
        /// How many definitions it has.
        count: usize,
    },
    /// More edges than the budget for a text of `bytes` bytes
    /// ([`MAX_EDGES_PER_BYTE`]).
    Edges {
        /// The budget passed.
        budget: usize,
        /// The text's length.
        bytes: usize,
    },
}

impl std::fmt::Display for Overflow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Overflow::Twins { name, count } => write!(
                f,
                "`{name}` is defined {count} times in this translation unit, more than \
                 {MAX_TWINS}, too many for its call graph"
            ),
            Overflow::Edges { budget, bytes } => write!(
                f,
                "its call graph would hold more than {budget} edges, too many for its \
                 {bytes} bytes of text (names defined many times, each use an edge to every \
                 definition)"
            ),
        }
    }
}

/// Module-creating calls, with their phase.
const CREATIONS: &[(&str, InitPhase)] = &[
    ("PyModule_Create", InitPhase::Single),
    ("PyModule_Create2", InitPhase::Single),
    ("Py_InitModule", InitPhase::Single),
    ("Py_InitModule3", InitPhase::Single),
    ("Py_InitModule4", InitPhase::Single),
    ("Py_InitModule4_64", InitPhase::Single),
    ("PyModuleDef_Init", InitPhase::Multi),
];

/// A macro of the unit: its parameters (`None` for an object-like macro)
/// and its body's text.
#[derive(Clone)]
struct Macro<'s> {
    parameters: Option<Vec<&'s str>>,
    body: &'s str,
    /// Where its `#define` starts in the unit's text.
    at: usize,
}

impl<'t> CallGraph<'t> {
    /// Builds the graph of the unit whose parsed tree is `root`, over the
    /// unit's text `bytes` (the bytes the tree was parsed from).
    pub fn build(root: Node<'t>, bytes: &[u8]) -> CallGraph<'t> {
        let macros = macros(root, bytes);
        let mut graph = CallGraph::default();
        for node in file_scope_items(root) {
            // A macro invocation that defines a function whole: alone, or
            // read by tree-sitter as the type of the item that follows it
            // (`MODULE_INIT_FUNC(m)` with no `;`, then `static int f(…)`).
            let invocation = node
                .child_by_field_name("type")
                .filter(|t| {
                    t.kind() == "macro_type_specifier" && t.start_byte() == node.start_byte()
                })
                .unwrap_or(node);
            if let Some((name, linkage, site, tokens)) =
                macro_definition(invocation, bytes, &macros)
            {
                // Before the item it starts: `function_at` takes the last
                // function starting at or before a node.
                let id = graph.add_function(name, invocation, linkage);
                graph.in_macro.insert(id, (site, tokens));
            }
            if node.kind() != "function_definition" {
                continue;
            }
            let Some(name) = definition_name(node, bytes, &macros) else {
                continue;
            };
            let linkage = if has_storage(node, bytes, "static")
                || static_through_macro(node, bytes, &macros)
            {
                Linkage::Internal
            } else {
                Linkage::External
            };
            graph.add_function(name, node, linkage);
        }
        if let Some(overflow) = graph.twins_over(MAX_TWINS) {
            // Empty, and so consistent: no function, edge or root to
            // index. The unit is reported instead (see `overflow`).
            return CallGraph {
                overflow: Some(overflow),
                ..CallGraph::default()
            };
        }
        // Where the words that matter stand in the text (the unit's
        // functions and macros, the module-creating calls): the walk of a
        // body enters only the nodes that hold one.
        let words: HashSet<&[u8]> = graph
            .by_name
            .keys()
            .map(|n| n.as_bytes())
            .chain(macros.keys().map(|m| m.as_bytes()))
            .chain(CREATIONS.iter().map(|c| c.0.as_bytes()))
            .collect();
        let occurrences = crate::analysis::scope::name_starts(bytes, &words);
        let mut creations: Vec<Vec<Creation<'t>>> = Vec::new();
        let mut macro_defs = Vec::new();
        let mut memo = HashMap::new();
        let budget = edge_budget(bytes.len());
        let mut total = 0;
        for id in 0..graph.functions.len() {
            let (edges, made) =
                graph.body_edges(id, bytes, &macros, &occurrences, &mut memo, &mut macro_defs);
            total += edges.len();
            if total > budget {
                return CallGraph {
                    overflow: Some(Overflow::Edges {
                        budget,
                        bytes: bytes.len(),
                    }),
                    ..CallGraph::default()
                };
            }
            graph.edges.push(edges);
            creations.push(made);
        }
        graph.read_tables(root, bytes, &macros);
        graph.table_edges(bytes);
        graph.module_defs.extend(macro_defs);
        graph
            .module_defs
            .sort_by_key(|d| d.declaration.start_byte());
        for creation in creations.iter_mut().flatten() {
            if let Some(text) = &creation.def_text {
                // The definition in scope: the last one before the call
                // (a macro defines its own just before its call).
                creation.def = graph
                    .module_defs
                    .iter()
                    .rposition(|d| {
                        d.name == *text && d.declaration.start_byte() <= creation.site.start_byte()
                    })
                    .or_else(|| graph.module_defs.iter().position(|d| d.name == *text));
            }
        }
        for id in 0..graph.functions.len() {
            let function = &graph.functions[id];
            let site = graph
                .in_macro
                .get(&id)
                .map_or_else(|| name_site(function.node), |(site, _)| *site);
            if let Some(module) = function.name.strip_prefix("PyInit_") {
                let module = module.to_owned();
                graph.roots.push(Root {
                    kind: RootKind::ModuleInit,
                    function: id,
                    table: None,
                    slot: None,
                    site,
                });
                let reach = graph.reach([id]);
                let mut made: Vec<Creation<'t>> = (0..graph.functions.len())
                    .filter(|&f| reach.contains(f))
                    .flat_map(|f| creations[f].iter().cloned())
                    .collect();
                made.sort_by_key(|c| c.site.start_byte());
                graph.inits.push(ModuleInit {
                    function: id,
                    module,
                    creations: made,
                });
            } else if function.linkage == Linkage::External {
                graph.roots.push(Root {
                    kind: RootKind::Exported,
                    function: id,
                    table: None,
                    slot: None,
                    site,
                });
            }
        }
        graph.roots.sort_by_key(|r| (r.site.start_byte(), r.kind));
        let is_init = |k: RootKind| {
            matches!(
                k,
                RootKind::ModuleInit | RootKind::ModuleCreate | RootKind::ModuleExec
            )
        };
        let from_init = graph.reach(
            graph
                .roots
                .iter()
                .filter(|r| is_init(r.kind))
                .map(|r| r.function),
        );
        let from_others = graph.reach(
            graph
                .roots
                .iter()
                .filter(|r| {
                    let read_here = r.kind == RootKind::Table
                        && r.table
                            .as_ref()
                            .is_some_and(|t| graph.read_tables.contains(t));
                    !is_init(r.kind) && !read_here
                })
                .map(|r| r.function),
        );
        graph.init_only = (0..graph.functions.len())
            .map(|f| from_init.contains(f) && !from_others.contains(f))
            .collect();
        graph.creations = creations;
        graph.callers = vec![Vec::new(); graph.functions.len()];
        for (from, edges) in graph.edges.iter().enumerate() {
            for (index, edge) in edges.iter().enumerate() {
                graph.callers[edge.to].push((from, index));
            }
        }
        graph
    }

    /// The name with the most definitions, when it has more than `most`.
    fn twins_over(&self, most: usize) -> Option<Overflow> {
        let (name, ids) = self
            .by_name
            .iter()
            .filter(|(_, ids)| ids.len() > most)
            .max_by_key(|(_, ids)| (ids.len(), std::cmp::Reverse(ids[0])))?;
        Some(Overflow::Twins {
            name: name.clone(),
            count: ids.len(),
        })
    }

    /// Why the graph was not built: a name defined more than
    /// [`MAX_TWINS`] times in the unit, or more edges than the text's
    /// budget. Then the graph is empty (no function, edge or root), and an
    /// analysis that read it must not report from it.
    pub fn overflow(&self) -> Option<&Overflow> {
        self.overflow.as_ref()
    }

    /// Adds a function (after those before it in the source: see
    /// [`CallGraph::function_at`]) and returns its id.
    fn add_function(&mut self, name: String, node: Node<'t>, linkage: Linkage) -> FunctionId {
        let id = self.functions.len();
        self.by_name.entry(name.clone()).or_default().push(id);
        self.functions.push(Function {
            name,
            node,
            linkage,
        });
        id
    }

    /// The module-creating calls that `function` reaches (its own and
    /// those of the functions it reaches), in source order: what another
    /// unit's init gets when it calls an exported `create_module()`.
    pub fn creations_reached(&self, function: FunctionId) -> Vec<Creation<'t>> {
        let reach = self.reach([function]);
        let mut made: Vec<Creation<'t>> = (0..self.functions.len())
            .filter(|&f| reach.contains(f))
            .flat_map(|f| self.creations[f].iter().cloned())
            .collect();
        made.sort_by_key(|c| c.site.start_byte());
        made
    }

    /// Every function definition of the unit, in source order.
    pub fn functions(&self) -> &[Function<'t>] {
        &self.functions
    }

    /// The functions defined with `name` (several when `#if` branches
    /// define it more than once).
    pub fn named(&self, name: &str) -> &[FunctionId] {
        self.by_name.get(name).map_or(&[], Vec::as_slice)
    }

    /// The function whose definition holds `node`, if any.
    pub fn function_at(&self, node: Node) -> Option<FunctionId> {
        let at = self
            .functions
            .partition_point(|f| f.node.start_byte() <= node.start_byte());
        let id = at.checked_sub(1)?;
        (node.end_byte() <= self.functions[id].node.end_byte()).then_some(id)
    }

    /// Whether the function definition `function` initialises a module:
    /// a module init (`PyInit_*`, also spelled through a macro), or a
    /// module's `Py_mod_create` or `Py_mod_exec` slot.
    pub fn initialises_module(&self, function: Node) -> bool {
        self.function_at(function).is_some_and(|f| {
            self.roots.iter().any(|r| {
                r.function == f
                    && matches!(
                        r.kind,
                        RootKind::ModuleInit | RootKind::ModuleCreate | RootKind::ModuleExec
                    )
            })
        })
    }

    /// Whether only a module's initialisation runs the function definition
    /// `function`: a module init or one of its `Py_mod_create` and
    /// `Py_mod_exec` slots reaches it, and no other entry point does (no
    /// method, slot or table of the unit, no external linkage). What it
    /// sets, it sets while a module initialises.
    pub fn runs_only_at_init(&self, function: Node) -> bool {
        self.function_at(function)
            .is_some_and(|f| self.init_only.get(f).copied().unwrap_or(false))
    }

    /// The edges into `function`: each as the function that holds it and
    /// the edge, by the caller's position, then the edge's.
    pub fn callers(&self, function: FunctionId) -> impl Iterator<Item = (FunctionId, &Edge<'t>)> {
        self.callers[function]
            .iter()
            .map(|&(from, index)| (from, &self.edges[from][index]))
    }

    /// Whether the unit declares an object named `name` at file scope
    /// that may change (`static int ready;`, `extern long hits;`, `struct
    /// s state = …;`, `static const char *name;`), as opposed to a `const`
    /// object that is not a pointer (`static const char TYPES[] = "…";`), a
    /// function, a type or a name it never declares (a macro, an
    /// enumerator, a header's global outside the unit).
    pub fn declares_variable(&self, name: &str) -> bool {
        self.variables.contains(name)
    }

    /// Where a function value named at `site` (an identifier: a
    /// [`EdgeKind::Reference`] edge's site, or a root's) may end up in the
    /// unit: `site` itself, and, each time it is given as an argument to a
    /// function of the unit (through casts and parentheses, and as `&site`
    /// where `site` names the function itself), every identifier in that
    /// function's body that names the parameter it becomes, followed on
    /// from there (`set_handler(SIGUSR1, on_usr1)`
    /// reaches `fn` in `sa.sa_handler = fn;` inside `set_handler`). Each
    /// use comes with the functions it was handed through, outermost
    /// first. Bounded: 8 functions deep, 256 uses; a name a local of the
    /// callee shadows still counts (an over-approximation, as its readers
    /// need).
    pub fn value_uses(&self, site: Node<'t>, bytes: &[u8]) -> Vec<(Node<'t>, Vec<FunctionId>)> {
        const MAX_DEPTH: usize = 8;
        const MAX_USES: usize = 256;
        let mut uses = vec![(site, Vec::new())];
        let mut seen: HashSet<(FunctionId, usize)> = HashSet::new();
        let mut next = 0;
        while next < uses.len() && uses.len() < MAX_USES {
            let (use_site, through) = uses[next].clone();
            next += 1;
            if through.len() >= MAX_DEPTH {
                continue;
            }
            // `&init` is `init`, where the name is the function's own.
            let (value, above) = parse::climb(use_site, |parent, child| {
                parse::holds_function_value(parent, child, through.is_empty())
            });
            let (Some(list), Some(call)) = (above.first(), above.get(1)) else {
                continue;
            };
            if list.kind() != "argument_list" || call.kind() != "call_expression" {
                continue;
            }
            let Some(callee) = call
                .child_by_field_name("function")
                .filter(|f| f.kind() == "identifier")
                .and_then(|f| f.utf8_text(bytes).ok())
            else {
                continue;
            };
            let mut cursor = list.walk();
            let Some(position) = list
                .named_children(&mut cursor)
                .filter(|a| a.kind() != "comment")
                .position(|a| a.id() == value.id())
            else {
                continue;
            };
            for &function in self.named(callee) {
                if !seen.insert((function, position)) {
                    continue;
                }
                let node = self.functions[function].node;
                let parameter = crate::analysis::classify::parameter_name(node, position)
                    .and_then(|p| p.utf8_text(bytes).ok());
                let Some(parameter) = parameter else {
                    continue;
                };
                let Some(body) = node.child_by_field_name("body") else {
                    continue;
                };
                let mut pending = vec![body];
                let mut found = Vec::new();
                while let Some(n) = pending.pop() {
                    if n.kind() == "identifier" && n.utf8_text(bytes) == Ok(parameter) {
                        found.push(n);
                        continue;
                    }
                    let mut cursor = n.walk();
                    pending.extend(n.named_children(&mut cursor));
                }
                found.sort_by_key(|n| n.start_byte());
                let mut path = through.clone();
                path.push(function);
                uses.extend(found.into_iter().map(|n| (n, path.clone())));
            }
        }
        uses.truncate(MAX_USES);
        uses
    }

    /// The edges out of `function`, in source order.
    pub fn edges(&self, function: FunctionId) -> &[Edge<'t>] {
        &self.edges[function]
    }

    /// Every root, by the position of its site.
    pub fn roots(&self) -> &[Root<'t>] {
        &self.roots
    }

    /// The roots of one kind.
    pub fn roots_of(&self, kind: RootKind) -> impl Iterator<Item = &Root<'t>> {
        self.roots.iter().filter(move |r| r.kind == kind)
    }

    /// Every `PyModuleDef` of the unit, in source order.
    pub fn module_defs(&self) -> &[ModuleDef<'t>] {
        &self.module_defs
    }

    /// Every module init function (`PyInit_*`) of the unit, in source
    /// order, with the module-creating calls each reaches.
    pub fn module_inits(&self) -> &[ModuleInit<'t>] {
        &self.inits
    }

    /// The functions reached from `start` (which are reached themselves),
    /// through every kind of edge.
    pub fn reach(&self, start: impl IntoIterator<Item = FunctionId>) -> Reach {
        let mut reach = Reach::default();
        let mut queue = VecDeque::new();
        for function in start {
            if reach.from.insert(function, None).is_none() {
                queue.push_back(function);
            }
        }
        while let Some(function) = queue.pop_front() {
            for edge in &self.edges[function] {
                if let std::collections::hash_map::Entry::Vacant(e) = reach.from.entry(edge.to) {
                    e.insert(Some(function));
                    queue.push_back(edge.to);
                }
            }
        }
        reach
    }

    /// The unit's entry points for other units: each function with
    /// external linkage (not a module init) that none of the unit's other
    /// roots reaches. Another unit calls it, when it calls it: the unit
    /// cannot tell. In the order of the functions.
    pub fn outside_entries(&self) -> Vec<FunctionId> {
        let local = self.reach(
            self.roots
                .iter()
                .filter(|r| r.kind != RootKind::Exported)
                .map(|r| r.function),
        );
        let mut entries: Vec<FunctionId> = self
            .roots_of(RootKind::Exported)
            .map(|r| r.function)
            .filter(|&f| !local.contains(f))
            .collect();
        entries.sort_unstable();
        entries.dedup();
        entries
    }

    /// The unit's tables of its own functions that have external linkage
    /// (`int (*const init_steps[])(PyObject *) = {add_errors, NULL};`, not
    /// `static`), each by name with the functions it names: another unit
    /// that declares the table may call each of them, as it may call an
    /// entry of [`CallGraph::outside_entries`], so whether a single-phase
    /// init of another unit does is for the scan to tell, by the table's
    /// name. Sorted by name.
    pub fn outside_tables(&self) -> &[(String, Vec<FunctionId>)] {
        &self.extern_tables
    }

    /// Where the unit names a function of `names` that it does not define
    /// (another unit's, linked by name): each identifier spelling one (not
    /// a prototype's), and each invocation of a macro of the unit whose
    /// expansion names one (`CONVERT(o, p)` with `#define CONVERT(o, p)
    /// helper_convert(o, p)`) or pastes one (`NS(add_errors)(m)` with
    /// `#define NS(n) sp28_##n`), with the name. `root` and `bytes` are the tree and text
    /// the graph was built from. In source order, then by name.
    pub fn uses_of<'n>(
        &self,
        root: Node<'t>,
        bytes: &[u8],
        names: &'n [String],
    ) -> Vec<(&'n str, Node<'t>)> {
        let words = |word: &str| {
            memchr::memmem::find_iter(bytes, word.as_bytes())
                .filter_map(|at| {
                    let node = root.descendant_for_byte_range(at, at + word.len())?;
                    // A directive's name (`#define NAME …`, `#ifdef NAME`)
                    // neither calls nor expands anything.
                    let directive = node.parent().is_some_and(|p| {
                        matches!(
                            p.kind(),
                            "preproc_def"
                                | "preproc_function_def"
                                | "preproc_ifdef"
                                | "preproc_defined"
                        )
                    });
                    (node.kind() == "identifier"
                        && node.start_byte() == at
                        && node.end_byte() == at + word.len()
                        && !directive)
                        .then_some(node)
                })
                .collect::<Vec<_>>()
        };
        // A prototype (`PyObject *get_json(void);`) declares the name; it
        // calls nothing. So does the declaration of a table (`extern int
        // (*const init_steps[])(PyObject *);`, or its definition in the
        // unit that walks it): the name as the innermost of a
        // declaration's declarators (an initialiser's value may name it).
        let declares = |node: Node| {
            if node.parent().is_some_and(|p| {
                p.kind() == "function_declarator"
                    && p.child_by_field_name("declarator") == Some(node)
            }) {
                return true;
            }
            let (_, above) = parse::climb(node, |parent, child| {
                matches!(
                    parent.kind(),
                    "pointer_declarator"
                        | "array_declarator"
                        | "function_declarator"
                        | "init_declarator"
                        | "parenthesized_declarator"
                ) && (parent.kind() == "parenthesized_declarator"
                    || parent.child_by_field_name("declarator") == Some(child))
            });
            above.first().is_some_and(|p| p.kind() == "declaration")
        };
        let mut found: Vec<(&str, Node<'t>)> = Vec::new();
        for name in names.iter().filter(|n| self.named(n).is_empty()) {
            found.extend(
                words(name)
                    .into_iter()
                    .filter(|&n| !declares(n))
                    .map(|n| (name.as_str(), n)),
            );
        }
        // A macro of the unit whose expansion names one (`#define
        // CONVERT(o, p) helper_convert(o, p)`, or pastes it): each of its
        // invocations is a use.
        let macros = macros(root, bytes);
        for (macro_name, definitions) in &macros {
            let may_name = definitions.iter().any(|d| {
                d.body.contains("##") || names.iter().any(|n| d.body.contains(n.as_str()))
            });
            if !may_name {
                continue;
            }
            for node in words(macro_name) {
                let arguments = node
                    .parent()
                    .filter(|p| p.kind() == "call_expression")
                    .filter(|p| p.child_by_field_name("function") == Some(node))
                    .and_then(|call| call.child_by_field_name("arguments"))
                    .and_then(|a| a.utf8_text(bytes).ok());
                let expanded =
                    expand_invocation(macro_name, arguments, &macros).unwrap_or_default();
                for name in names.iter().filter(|n| self.named(n).is_empty()) {
                    if expanded.iter().any(|w| w == name) {
                        found.push((name.as_str(), node));
                    }
                }
            }
        }
        found.sort_by_key(|(name, node)| (node.start_byte(), *name));
        found.dedup_by_key(|(name, node)| (node.start_byte(), *name));
        found
    }

    /// Who reads the file-scope initialiser that names, at `node`, a
    /// function the unit does not define (another unit's, found by
    /// [`CallGraph::uses_of`] outside any function): an entry of one of
    /// CPython's tables that the interpreter calls at run time or for
    /// each module object (a method, a getter or setter, a type slot, a
    /// `Py_mod_exec` or `Py_mod_create` slot, a `PyModuleDef`'s
    /// `m_traverse`, `m_clear` or `m_free`) is [`Readers::RunTime`]; a
    /// `static` table of the unit's own that only functions of the unit
    /// name (`static initfn steps[] = {add_errors, NULL};`, which an init
    /// walks) is read by those functions; anything else (a table other
    /// units may read, one handed to the C API, another member of a
    /// module definition) is [`Readers::Unknown`].
    pub fn initialiser_readers(&self, node: Node<'t>, bytes: &[u8]) -> Readers {
        // The table's entry names the function itself, or invokes a macro
        // naming it (`{Py_mod_exec, EXEC_OF(foo)}`).
        let entry = node
            .parent()
            .filter(|p| p.kind() == "call_expression")
            .filter(|p| p.child_by_field_name("function") == Some(node))
            .unwrap_or(node);
        let mut declaration = None;
        let mut at = node;
        while let Some(parent) = at.parent() {
            if parent.kind() == "declaration" {
                declaration = Some(parent);
            }
            at = parent;
        }
        let Some(declaration) = declaration else {
            return Readers::Unknown;
        };
        let type_text = declaration
            .child_by_field_name("type")
            .and_then(|t| t.utf8_text(bytes).ok())
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default();
        let table = Table::of(&type_text);
        match table {
            Table::Methods
            | Table::GetSets
            | Table::TypeSlots
            | Table::TypeObject
            | Table::TypeSubtable => return Readers::RunTime,
            Table::ModuleSlots | Table::ModuleDef => {
                let (kind, _) = table.entry(entry, bytes);
                return match kind {
                    RootKind::ModuleExec
                    | RootKind::ModuleCreate
                    | RootKind::ModuleTraverse
                    | RootKind::ModuleClear
                    | RootKind::ModuleFree => Readers::RunTime,
                    _ => Readers::Unknown,
                };
            }
            Table::Other => {}
        }
        if !has_storage(declaration, bytes, "static") {
            return Readers::Unknown;
        }
        let mut cursor = declaration.walk();
        let name = declaration
            .children_by_field_name("declarator", &mut cursor)
            .find(|d| d.start_byte() <= node.start_byte() && node.end_byte() <= d.end_byte())
            .and_then(declared_identifier)
            .and_then(|n| n.utf8_text(bytes).ok());
        let Some(name) = name else {
            return Readers::Unknown;
        };
        let root = at;
        let mut readers = Vec::new();
        for offset in memchr::memmem::find_iter(bytes, name.as_bytes()) {
            let Some(use_) = root
                .descendant_for_byte_range(offset, offset + name.len())
                .filter(|n| n.kind() == "identifier")
                .filter(|n| n.start_byte() == offset && n.end_byte() == offset + name.len())
            else {
                continue;
            };
            if use_.start_byte() >= declaration.start_byte()
                && use_.end_byte() <= declaration.end_byte()
            {
                continue;
            }
            match self.function_at(use_) {
                Some(function) if !self.handed_to_cpython(use_, bytes) => readers.push(function),
                _ => return Readers::Unknown,
            }
        }
        readers.dedup();
        if readers.is_empty() {
            return Readers::Unknown;
        }
        Readers::Functions(readers)
    }

    /// A path as the names of its functions joined with arrows:
    /// `PyInit_x → add_types → make_error`.
    pub fn describe_path(&self, path: &[FunctionId]) -> String {
        path.iter()
            .map(|&f| self.functions[f].name.as_str())
            .collect::<Vec<_>>()
            .join(" → ")
    }

    /// The edges out of function `id` and the module-creating calls its
    /// body makes: every identifier that names a function of the unit, and
    /// every macro of the unit it invokes, followed through the macros'
    /// bodies.
    fn body_edges(
        &self,
        id: FunctionId,
        bytes: &[u8],
        macros: &HashMap<&str, Vec<Macro>>,
        occurrences: &[usize],
        memo: &mut HashMap<String, (Vec<FunctionId>, bool)>,
        defs: &mut Vec<ModuleDef<'t>>,
    ) -> (Vec<Edge<'t>>, Vec<Creation<'t>>) {
        // One body may not pass the unit's budget either (the caller
        // gives the graph up past it).
        let budget = edge_budget(bytes.len());
        let holds_word = |node: Node| {
            let at = occurrences.partition_point(|&p| p < node.start_byte());
            occurrences.get(at).is_some_and(|&p| p < node.end_byte())
        };
        let mut edges = Vec::new();
        let mut made = Vec::new();
        // A definition that a macro invocation spells whole: its body is
        // the macro's, whose words the walk follows from the invocation.
        let node = self.functions[id].node;
        let body = if self.in_macro.contains_key(&id) {
            node
        } else {
            let Some(body) = node.child_by_field_name("body") else {
                return (edges, made);
            };
            body
        };
        // The walk keeps the ancestors itself: `Node::parent` descends from
        // the root on each call, which deep nesting makes quadratic.
        let mut cursor = body.walk();
        let mut parents: Vec<Node<'t>> = Vec::new();
        // The names the function's locals and parameters take, read once
        // when an identifier names a function: only those can shadow one
        // (climbing for every call would be quadratic in the nesting).
        let mut locals: Option<HashSet<&str>> = None;
        // The declarations passed that may shadow a function, kept in
        // scope as the walk enters and leaves blocks, and the parameters:
        // asking `local_named` (which reads the blocks around a place) at
        // each use was quadratic. A definition nested in the body (a GCC
        // extension) has its own parameters: there it is still asked.
        let shadow_check = !self.in_macro.contains_key(&id);
        let mut open = OpenDeclarations::default();
        let mut parameters: Option<HashSet<&str>> = None;
        let mut nested_definitions = 0usize;
        'walk: loop {
            let node = cursor.node();
            if shadow_check && node.kind() == "declaration" {
                if let Some(depth) = declaration_block(&parents) {
                    let mut declarators = node.walk();
                    for d in node.children_by_field_name("declarator", &mut declarators) {
                        let name = (d.kind() != "function_declarator")
                            .then(|| crate::analysis::classify::innermost_name(d))
                            .flatten();
                        if let Some(name) = name {
                            let text = name.utf8_text(bytes).unwrap_or("");
                            if !self.named(text).is_empty() {
                                open.declare(depth, text, name.start_byte());
                            }
                        }
                    }
                }
            }
            if matches!(node.kind(), "identifier" | "type_identifier") {
                let text = node.utf8_text(bytes).unwrap_or("");
                let parent = parents.last().copied();
                let call = parent.filter(|p| {
                    p.kind() == "call_expression" && p.child_by_field_name("function") == Some(node)
                });
                // A local or parameter that shadows a function of the
                // unit (`PyObject *token;` in a helper of a function
                // `token`) names no function.
                let shadowed = node.kind() == "identifier"
                    && !self.named(text).is_empty()
                    && shadow_check
                    && locals
                        .get_or_insert_with(|| local_names(self.functions[id].node, bytes))
                        .contains(text)
                    && if nested_definitions > 0 {
                        local_named(
                            node,
                            parents
                                .iter()
                                .rev()
                                .copied()
                                .chain([self.functions[id].node]),
                            text,
                            bytes,
                        )
                        .is_some()
                    } else {
                        open.names(text, node.start_byte())
                            || parameters
                                .get_or_insert_with(|| {
                                    parameter_names(self.functions[id].node, bytes)
                                })
                                .contains(text)
                    };
                if node.kind() == "identifier" && !shadowed {
                    for &to in self.named(text) {
                        let kind = if call.is_some() {
                            EdgeKind::Call
                        } else {
                            EdgeKind::Reference
                        };
                        edges.push(Edge {
                            to,
                            kind,
                            site: node,
                        });
                    }
                    if let Some(&(_, phase)) = CREATIONS.iter().find(|c| c.0 == text) {
                        if let Some(call) = call {
                            let argument = call
                                .child_by_field_name("arguments")
                                .and_then(|a| first_argument(a))
                                .map(|a| definition_text(a, bytes));
                            made.push(creation(text, phase, id, node, argument));
                        }
                    }
                }
                if let Some(definitions) = macros.get(text) {
                    // The functions a macro names do not depend on its
                    // arguments: expanded once; a module it creates or
                    // defines may (`CREATE(m, &def)`), expanded each time.
                    let (targets, creates) = memo.entry(text.to_owned()).or_insert_with(|| {
                        let expanded = expand(definitions, &[], macros);
                        let creates = expanded.iter().any(|e| !matches!(e, Expanded::Word(_)));
                        let mut targets: Vec<FunctionId> = expanded
                            .iter()
                            .filter_map(|e| match e {
                                Expanded::Word(w) => Some(self.named(w)),
                                _ => None,
                            })
                            .flatten()
                            .copied()
                            .collect();
                        targets.sort_unstable();
                        targets.dedup();
                        (targets, creates)
                    });
                    for &to in targets.iter() {
                        edges.push(Edge {
                            to,
                            kind: EdgeKind::Macro,
                            site: node,
                        });
                    }
                    // A name the macro pastes from its arguments
                    // (`SETUP(types)` with `#define SETUP(n)
                    // setup_##n(module)` calls `setup_types`).
                    let pasted = call
                        .filter(|_| definitions.iter().any(|d| d.body.contains("##")))
                        .and_then(|c| c.child_by_field_name("arguments"))
                        .and_then(|a| a.utf8_text(bytes).ok())
                        .and_then(|a| expand_invocation(text, Some(a), macros))
                        .unwrap_or_default();
                    for word in pasted.iter().filter(|w| is_identifier(w)) {
                        for &to in self.named(word) {
                            edges.push(Edge {
                                to,
                                kind: EdgeKind::Macro,
                                site: node,
                            });
                        }
                    }
                    let arguments = match (*creates, call) {
                        (true, Some(c)) => invocation_arguments(c, bytes),
                        _ => Vec::new(),
                    };
                    let creating = if *creates {
                        expand(definitions, &arguments, macros)
                    } else {
                        Vec::new()
                    };
                    for word in creating {
                        match word {
                            Expanded::Word(_) => {}
                            Expanded::ModuleDef(name, size) => {
                                defs.push(ModuleDef {
                                    name,
                                    declaration: node,
                                    module_name: None,
                                    size,
                                    methods: None,
                                    slots: None,
                                    traverse: None,
                                    clear: None,
                                    free: None,
                                });
                            }
                            Expanded::Creation(api, argument) => {
                                let phase = CREATIONS
                                    .iter()
                                    .find(|c| c.0 == api)
                                    .map_or(InitPhase::Single, |c| c.1);
                                made.push(creation(&api, phase, id, node, argument));
                            }
                        }
                    }
                }
            }
            if edges.len() > budget {
                break 'walk;
            }
            if holds_word(node) && cursor.goto_first_child() {
                nested_definitions += usize::from(node.kind() == "function_definition");
                parents.push(node);
                continue;
            }
            loop {
                if cursor.node() == body {
                    break 'walk;
                }
                if cursor.goto_next_sibling() {
                    continue 'walk;
                }
                if !cursor.goto_parent() {
                    break 'walk;
                }
                if let Some(left) = parents.pop() {
                    nested_definitions -= usize::from(left.kind() == "function_definition");
                }
                open.leave(parents.len());
            }
        }
        // A definition a macro spells whole also reaches what its
        // expansion names once the invocation's arguments are pasted in
        // (`{ return name##_setup(); }` calls `spam_setup`), and creates a
        // module where the expansion does.
        if let Some((site, tokens)) = self.in_macro.get(&id) {
            for (i, word) in tokens.iter().enumerate() {
                for &to in self.named(word) {
                    edges.push(Edge {
                        to,
                        kind: EdgeKind::Macro,
                        site: *site,
                    });
                }
                let Some(&(api, phase)) = CREATIONS.iter().find(|c| c.0 == word) else {
                    continue;
                };
                if made.iter().any(|c: &Creation| c.api == api)
                    || tokens.get(i + 1).map(String::as_str) != Some("(")
                {
                    continue;
                }
                let argument = tokens[i + 2..]
                    .iter()
                    .find(|t| !matches!(t.as_str(), "&" | "("))
                    .filter(|t| is_identifier(t))
                    .cloned();
                made.push(creation(api, phase, id, *site, argument));
            }
        }
        edges.sort_by_key(|e| (e.site.start_byte(), e.to));
        edges.dedup_by_key(|e| (e.site.start_byte(), e.to));
        (edges, made)
    }

    /// The functions of the unit that `name` names: itself, or those that
    /// the unit's macro `name` names in its expansion (invoked with
    /// `arguments`, the parenthesised text, for a function-like one): one
    /// identifier (`EXEC_OF(foo)` giving `foo_exec`), or a whole entry, as
    /// Argument Clinic's `FOO_METHODDEF` gives `{"foo", (PyCFunction)foo,
    /// METH_O, foo__doc__},`.
    fn named_through(
        &self,
        name: &str,
        arguments: Option<&str>,
        macros: &HashMap<&str, Vec<Macro>>,
    ) -> Vec<FunctionId> {
        let own = self.named(name);
        if !own.is_empty() || !macros.contains_key(name) {
            return own.to_vec();
        }
        let mut named: Vec<FunctionId> = expand_invocation(name, arguments, macros)
            .unwrap_or_default()
            .iter()
            .flat_map(|token| self.named(token))
            .copied()
            .collect();
        named.sort_unstable();
        named.dedup();
        named
    }

    /// Edges through the unit's own tables: a function that names a
    /// file-scope variable whose initialiser names functions of the unit
    /// and is none of CPython's tables (`static initfn initializers[] =
    /// {init_errors, init_types, NULL};`, which an init walks and calls)
    /// may call each of them, so it gets a [`EdgeKind::Reference`] edge
    /// to each. CPython's tables (methods, slots, type objects, module
    /// definitions) are not followed: the import system and the type
    /// machinery call their functions, not the code that names them.
    fn table_edges(&mut self, bytes: &[u8]) {
        let tables = std::mem::take(&mut self.own_tables);
        if tables.is_empty() {
            return;
        }
        self.extern_tables = tables
            .iter()
            .filter(|(_, (internal, _))| !internal)
            .map(|(name, (_, functions))| {
                let mut functions = functions.clone();
                functions.sort_unstable();
                functions.dedup();
                (name.clone(), functions)
            })
            .collect();
        self.extern_tables.sort_by(|a, b| a.0.cmp(&b.0));
        for id in 0..self.functions.len() {
            let Some(body) = self.functions[id].node.child_by_field_name("body") else {
                continue;
            };
            let text = &bytes[body.start_byte()..body.end_byte()];
            if !tables
                .keys()
                .any(|t| memchr::memmem::find(text, t.as_bytes()).is_some())
            {
                continue;
            }
            let mut added = Vec::new();
            let mut pending = vec![body];
            while let Some(node) = pending.pop() {
                let mut cursor = node.walk();
                pending.extend(node.named_children(&mut cursor));
                if node.kind() != "identifier" {
                    continue;
                }
                let Some((table, (internal, targets))) = node
                    .utf8_text(bytes)
                    .ok()
                    .and_then(|t| tables.get_key_value(t))
                else {
                    continue;
                };
                if self.handed_to_cpython(node, bytes) {
                    continue;
                }
                if *internal {
                    self.read_tables.insert(table.clone());
                }
                added.extend(targets.iter().map(|&to| Edge {
                    to,
                    kind: EdgeKind::Reference,
                    site: node,
                }));
            }
            if added.is_empty() {
                continue;
            }
            let edges = &mut self.edges[id];
            edges.extend(added);
            edges.sort_by_key(|e| (e.site.start_byte(), e.to));
            edges.dedup_by_key(|e| (e.site.start_byte(), e.to));
        }
    }

    /// Whether `identifier` (a table's name) is an argument of a call to
    /// the C API (`PyCapsule_New((void *)exports, …)`): a function named
    /// `Py…` or `_Py…` that the unit does not define. CPython keeps such a
    /// pointer for others and never calls into a table of the unit's own
    /// type, so that call does not reach the table's functions (they stay
    /// roots of their own).
    fn handed_to_cpython(&self, identifier: Node, bytes: &[u8]) -> bool {
        let (_, above) = parse::climb(identifier, |parent, _| {
            matches!(
                parent.kind(),
                "cast_expression" | "pointer_expression" | "parenthesized_expression"
            )
        });
        let (Some(arguments), Some(call)) = (above.first(), above.get(1)) else {
            return false;
        };
        if arguments.kind() != "argument_list" || call.kind() != "call_expression" {
            return false;
        }
        let callee = call
            .child_by_field_name("function")
            .and_then(|f| f.utf8_text(bytes).ok())
            .unwrap_or("");
        (callee.starts_with("Py") || callee.starts_with("_Py")) && self.named(callee).is_empty()
    }

    /// Reads the file-scope initialisers: module definitions, and every
    /// function named in a table, as a root of the table's kind.
    fn read_tables(&mut self, root: Node<'t>, bytes: &[u8], macros: &HashMap<&str, Vec<Macro>>) {
        // The module definitions read so far, by name: the last of each.
        let mut defs: HashMap<String, usize> = HashMap::new();
        for declaration in file_scope_items(root) {
            if declaration.kind() != "declaration" {
                continue;
            }
            let type_text = declaration
                .child_by_field_name("type")
                .and_then(|t| t.utf8_text(bytes).ok())
                .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_default();
            let mut cursor = declaration.walk();
            let declarators: Vec<Node> = declaration
                .children_by_field_name("declarator", &mut cursor)
                .collect();
            let mut cursor = declaration.walk();
            let const_type = declaration
                .children(&mut cursor)
                .any(|c| c.kind() == "type_qualifier" && c.utf8_text(bytes) == Ok("const"));
            for declarator in declarators {
                // `static const char NAMES[] = …` never changes; `static
                // const char *name` does (the pointer is not const).
                let inner = match declarator.kind() {
                    "init_declarator" => declarator.child_by_field_name("declarator"),
                    _ => Some(declarator),
                };
                let constant =
                    const_type && inner.is_some_and(|d| d.kind() != "pointer_declarator");
                if let Some(name) = declared_identifier(declarator)
                    .filter(|_| !constant)
                    .and_then(|n| n.utf8_text(bytes).ok())
                {
                    self.variables.insert(name.to_owned());
                }
                // A list, or one value: `static int (*const step)(PyObject *)
                // = add_errors;` is a table of one.
                let Some(value) = declarator.child_by_field_name("value") else {
                    continue;
                };
                let Some(name) =
                    declared_identifier(declarator).and_then(|n| n.utf8_text(bytes).ok())
                else {
                    continue;
                };
                let table = Table::of(&type_text);
                if table == Table::ModuleDef {
                    let read = (name, declaration, inner, value);
                    if self.declared_module_def(read, &defs, bytes, macros) {
                        defs.insert(name.to_owned(), self.module_defs.len() - 1);
                    }
                }
                let internal = has_storage(declaration, bytes, "static");
                self.table_roots(table, name, value, bytes, macros, internal);
            }
        }
    }

    /// A file-scope declaration of the `PyModuleDef` type, as
    /// `PyModule_Create` would read it through the name `name`: a
    /// definition (`def = {…}`) is read; an array of them (`defs[1] =
    /// {{…}}`, which the bare name passes as its first element) by its
    /// first element; a pointer (`*const dp = &def`, or `= defs`) as the
    /// definition it points to, a pointer that is not `const` only when
    /// that definition runs the init once per process (elsewhere it may be
    /// set to another). Any other shape defines nothing the unit can read:
    /// a creation passing it is then unknown. `read`: the name, its
    /// declaration, the declarator inside the `init_declarator` and the
    /// value; `defs`: the definitions read before, by name (indices of
    /// [`CallGraph::module_defs`]). Whether a definition was added.
    fn declared_module_def(
        &mut self,
        (name, declaration, declarator, value): (&str, Node<'t>, Option<Node<'t>>, Node<'t>),
        defs: &HashMap<String, usize>,
        bytes: &[u8],
        macros: &HashMap<&str, Vec<Macro>>,
    ) -> bool {
        let value = strip_parens(value);
        match declarator.map(|d| d.kind()) {
            Some("identifier") => {
                self.read_module_def(name, declaration, value, bytes, macros);
                true
            }
            Some("array_declarator")
                if declarator
                    .and_then(|d| d.child_by_field_name("declarator"))
                    .is_some_and(|d| d.kind() == "identifier")
                    && value.kind() == "initializer_list" =>
            {
                let mut cursor = value.walk();
                let first = value
                    .named_children(&mut cursor)
                    .find(|e| e.kind() != "comment");
                // `{[0] = {…}}` names its first element too.
                let first = match first {
                    Some(pair) if pair.kind() == "initializer_pair" => pair
                        .child_by_field_name("designator")
                        .filter(|d| {
                            d.utf8_text(bytes).is_ok_and(|t| {
                                t.trim_matches(['[', ']', ' ']).parse::<u64>() == Ok(0)
                            })
                        })
                        .and_then(|_| pair.child_by_field_name("value")),
                    other => other,
                };
                let Some(first) = first.filter(|f| f.kind() == "initializer_list") else {
                    return false;
                };
                self.read_module_def(name, declaration, first, bytes, macros);
                true
            }
            Some("pointer_declarator") => {
                let Some(pointer) = declarator else {
                    return false;
                };
                if pointer
                    .child_by_field_name("declarator")
                    .is_none_or(|d| d.kind() != "identifier")
                {
                    return false;
                }
                let mut cursor = pointer.walk();
                let constant = pointer
                    .children(&mut cursor)
                    .any(|c| c.kind() == "type_qualifier" && c.utf8_text(bytes) == Ok("const"));
                let target = function_value(value);
                if target.kind() != "identifier" {
                    return false;
                }
                let target = target.utf8_text(bytes).unwrap_or("");
                let Some(&def) = defs.get(target) else {
                    return false;
                };
                let def = &self.module_defs[def];
                if !constant && def.size.once_per_process() != Some(true) {
                    return false;
                }
                let mut def = def.clone();
                def.name = name.to_owned();
                def.declaration = declaration;
                self.module_defs.push(def);
                true
            }
            _ => false,
        }
    }

    fn read_module_def(
        &mut self,
        name: &str,
        declaration: Node<'t>,
        value: Node<'t>,
        bytes: &[u8],
        macros: &HashMap<&str, Vec<Macro>>,
    ) {
        let members = members(value, MODULE_DEF_MEMBERS, bytes);
        let text = |member: &str| {
            members
                .iter()
                .find(|m| m.0 == member)
                .map(|m| strip_parens(m.1))
                .and_then(|n| n.utf8_text(bytes).ok())
                .map(str::to_owned)
        };
        let function = |member: &str| {
            members
                .iter()
                .find(|m| m.0 == member)
                .map(|m| function_value(m.1))
                .and_then(|n| n.utf8_text(bytes).ok())
                .and_then(|n| self.named(n).first().copied())
        };
        let size = match members.iter().find(|m| m.0 == capi::M_SIZE) {
            Some(&(_, node)) => evaluate_size(node, bytes, macros),
            None => ModuleSize::Absent,
        };
        let def = ModuleDef {
            name: name.to_owned(),
            declaration,
            module_name: text(capi::M_NAME),
            size,
            methods: text(capi::M_METHODS).filter(|t| t != "NULL" && t != "0"),
            slots: text(capi::M_SLOTS).filter(|t| t != "NULL" && t != "0"),
            traverse: function(capi::M_TRAVERSE),
            clear: function(capi::M_CLEAR),
            free: function(capi::M_FREE),
        };
        self.module_defs.push(def);
    }

    /// A root for every identifier in a file-scope initialiser that names a
    /// function of the unit.
    /// `internal`: the table is declared `static` (no other unit reads
    /// it).
    fn table_roots(
        &mut self,
        table: Table,
        name: &str,
        value: Node<'t>,
        bytes: &[u8],
        macros: &HashMap<&str, Vec<Macro>>,
        internal: bool,
    ) {
        let mut pending = vec![value];
        while let Some(node) = pending.pop() {
            let mut cursor = node.walk();
            pending.extend(node.named_children(&mut cursor));
            let ids = match node.kind() {
                "identifier" => node
                    .utf8_text(bytes)
                    .map(|t| self.named_through(t, None, macros))
                    .unwrap_or_default(),
                // `{Py_mod_exec, EXEC_OF(foo)}` with `#define EXEC_OF(m)
                // m##_exec`: the function the macro's expansion names.
                "call_expression" => {
                    let function = node.child_by_field_name("function");
                    let arguments = node.child_by_field_name("arguments");
                    match (function, arguments) {
                        (Some(f), Some(a)) if f.kind() == "identifier" => {
                            let name = f.utf8_text(bytes).unwrap_or("");
                            let arguments = a.utf8_text(bytes).ok();
                            self.named_through(name, arguments, macros)
                        }
                        _ => Vec::new(),
                    }
                }
                _ => continue,
            };
            if ids.is_empty() {
                continue;
            }
            let (kind, slot) = table.entry(node, bytes);
            if table == Table::Other {
                let entry = self
                    .own_tables
                    .entry(name.to_owned())
                    .or_insert_with(|| (internal, Vec::new()));
                entry.1.extend(&ids);
            }
            for function in ids {
                self.roots.push(Root {
                    kind,
                    function,
                    table: Some(name.to_owned()),
                    slot: slot.clone(),
                    site: node,
                });
            }
        }
    }
}

/// The kind of table a file-scope initialiser fills, by the declared type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Table {
    Methods,
    GetSets,
    TypeSlots,
    ModuleSlots,
    ModuleDef,
    TypeObject,
    /// `PyNumberMethods`, `PySequenceMethods`, `PyMappingMethods`,
    /// `PyAsyncMethods`, `PyBufferProcs`.
    TypeSubtable,
    Other,
}

impl Table {
    fn of(type_text: &str) -> Table {
        let name = type_text.trim_start_matches("struct ").trim();
        match name {
            "PyMethodDef" => Table::Methods,
            "PyGetSetDef" => Table::GetSets,
            "PyType_Slot" => Table::TypeSlots,
            "PyModuleDef_Slot" => Table::ModuleSlots,
            "PyModuleDef" => Table::ModuleDef,
            "PyTypeObject" | "_typeobject" => Table::TypeObject,
            "PyNumberMethods" | "PySequenceMethods" | "PyMappingMethods" | "PyAsyncMethods"
            | "PyBufferProcs" => Table::TypeSubtable,
            _ => Table::Other,
        }
    }

    /// The root kind and slot name of the function named by `identifier`
    /// inside this table's initialiser.
    fn entry(self, identifier: Node, bytes: &[u8]) -> (RootKind, Option<String>) {
        let field = designator(identifier, bytes);
        match self {
            Table::Methods => (RootKind::Method, field.or(Some(capi::ML_METH.to_owned()))),
            Table::GetSets => {
                let slot = field.or_else(|| match entry_position(identifier) {
                    Some(2) => Some(capi::GETSET_SET.to_owned()),
                    _ => Some(capi::GETSET_GET.to_owned()),
                });
                (RootKind::GetSet, slot)
            }
            Table::TypeSlots | Table::ModuleSlots => {
                let slot = entry_first(identifier, bytes);
                let kind = match (self, slot.as_deref()) {
                    (Table::ModuleSlots, Some("Py_mod_exec")) => RootKind::ModuleExec,
                    (Table::ModuleSlots, Some("Py_mod_create")) => RootKind::ModuleCreate,
                    (Table::ModuleSlots, _) => RootKind::Table,
                    _ => RootKind::TypeSlot,
                };
                (kind, slot)
            }
            Table::ModuleDef => {
                let slot = field.or_else(|| {
                    entry_position(identifier)
                        .and_then(|p| MODULE_DEF_MEMBERS.get(p))
                        .map(|m| (*m).to_owned())
                });
                let kind = match slot.as_deref() {
                    Some(capi::M_TRAVERSE) => RootKind::ModuleTraverse,
                    Some(capi::M_CLEAR) => RootKind::ModuleClear,
                    Some(capi::M_FREE) => RootKind::ModuleFree,
                    _ => RootKind::Table,
                };
                (kind, slot)
            }
            Table::TypeObject => {
                let slot = field.or_else(|| {
                    let position = entry_position(identifier)?;
                    // After `PyVarObject_HEAD_INIT(…)`, the members in order.
                    position
                        .checked_sub(1)
                        .and_then(|p| TYPE_MEMBERS.get(p))
                        .map(|m| (*m).to_owned())
                });
                (RootKind::TypeSlot, slot)
            }
            Table::TypeSubtable => (RootKind::TypeSlot, field),
            Table::Other => (RootKind::Table, field),
        }
    }
}

/// The entry's own initialiser list around `identifier` and the element of
/// it that holds `identifier`.
fn entry_element(identifier: Node) -> Option<(Node, Node)> {
    let (element, above) = parse::climb(identifier, |parent, _| {
        matches!(
            parent.kind(),
            "initializer_pair"
                | "cast_expression"
                | "parenthesized_expression"
                | "pointer_expression"
        )
    });
    let list = above.first()?;
    (list.kind() == "initializer_list").then_some((list, element))
}

/// The 0-based position of `identifier`'s element in its entry, when no
/// designator names it.
fn entry_position(identifier: Node) -> Option<usize> {
    let (list, element) = entry_element(identifier)?;
    if element.kind() == "initializer_pair" {
        return None;
    }
    let mut cursor = list.walk();
    let position = list
        .named_children(&mut cursor)
        .filter(|n| n.kind() != "comment")
        .position(|n| n == element);
    position
}

/// The field a designator gives `identifier`'s element: `.ml_meth = f`.
fn designator(identifier: Node, bytes: &[u8]) -> Option<String> {
    let (_, element) = entry_element(identifier)?;
    if element.kind() != "initializer_pair" {
        return None;
    }
    let designator = element.child_by_field_name("designator")?;
    let field = designator.named_child(0).unwrap_or(designator);
    field.utf8_text(bytes).ok().map(str::to_owned)
}

/// The first element of the entry that holds `identifier` (a slot
/// number: `Py_tp_dealloc`, `Py_mod_exec`), or the value of its `.slot`.
fn entry_first(identifier: Node, bytes: &[u8]) -> Option<String> {
    let (list, _) = entry_element(identifier)?;
    let mut cursor = list.walk();
    let elements: Vec<Node> = list
        .named_children(&mut cursor)
        .filter(|n| n.kind() != "comment")
        .collect();
    let slot = elements
        .iter()
        .find(|e| {
            e.kind() == "initializer_pair"
                && e.child_by_field_name("designator")
                    .and_then(|d| d.named_child(0))
                    .and_then(|f| f.utf8_text(bytes).ok())
                    == Some(capi::SLOT)
        })
        .and_then(|e| e.child_by_field_name("value"))
        .or_else(|| {
            elements
                .first()
                .copied()
                .filter(|e| e.kind() != "initializer_pair")
        })?;
    slot.utf8_text(bytes).ok().map(str::to_owned)
}

/// The members an initialiser sets, by name: positional elements take the
/// names of `order`, a designator names its own and sets the position
/// after it.
fn members<'t>(list: Node<'t>, order: &[&str], bytes: &[u8]) -> Vec<(String, Node<'t>)> {
    let mut out = Vec::new();
    let mut position = 0;
    let mut cursor = list.walk();
    for element in list.named_children(&mut cursor) {
        if element.kind() == "comment" {
            continue;
        }
        if element.kind() == "initializer_pair" {
            let field = element
                .child_by_field_name("designator")
                .and_then(|d| d.named_child(0))
                .and_then(|f| f.utf8_text(bytes).ok());
            if let (Some(field), Some(value)) = (field, element.child_by_field_name("value")) {
                out.push((field.to_owned(), value));
                position = order
                    .iter()
                    .position(|m| *m == field)
                    .map_or(position, |p| p + 1);
            }
            continue;
        }
        if let Some(name) = order.get(position) {
            out.push(((*name).to_owned(), element));
        }
        position += 1;
    }
    out
}

/// A function named by a table's value: `f`, `(traverseproc)f`, `&f`.
fn function_value(node: Node) -> Node {
    let node = strip_parens(node);
    if node.kind() == "pointer_expression" {
        if let Some(argument) = node.child_by_field_name("argument") {
            return strip_parens(argument);
        }
    }
    node
}

/// Evaluates an `m_size`: a number, `-1`, `sizeof(…)` (and sums and
/// products of sizes), or an object-like macro of the unit for one.
fn evaluate_size(node: Node, bytes: &[u8], macros: &HashMap<&str, Vec<Macro>>) -> ModuleSize {
    let node = strip_parens(node);
    let text = node.utf8_text(bytes).unwrap_or("").trim();
    match node.kind() {
        "number_literal" => {
            parse_integer(text).map_or(ModuleSize::Unknown(text.to_owned()), ModuleSize::Known)
        }
        "unary_expression" if text.starts_with('-') => {
            match node
                .child_by_field_name("argument")
                .map(|a| evaluate_size(a, bytes, macros))
            {
                Some(ModuleSize::Known(n)) => ModuleSize::Known(-n),
                _ => ModuleSize::Unknown(text.to_owned()),
            }
        }
        "sizeof_expression" => ModuleSize::NonNegative,
        "binary_expression"
            if matches!(
                node.child_by_field_name("operator").map(|o| o.kind()),
                Some("+" | "*")
            ) =>
        {
            let sides: Vec<ModuleSize> = ["left", "right"]
                .iter()
                .filter_map(|f| node.child_by_field_name(f))
                .map(|n| evaluate_size(n, bytes, macros))
                .collect();
            let non_negative = |s: &ModuleSize| match s {
                ModuleSize::Known(n) => *n >= 0,
                ModuleSize::NonNegative => true,
                _ => false,
            };
            if sides.len() == 2 && sides.iter().all(non_negative) {
                ModuleSize::NonNegative
            } else {
                ModuleSize::Unknown(text.to_owned())
            }
        }
        "identifier" => size_of_text(text, macros),
        _ => ModuleSize::Unknown(text.to_owned()),
    }
}

/// A C integer literal (decimal, hex or octal, suffixes allowed, a leading
/// minus too).
fn parse_integer(text: &str) -> Option<i64> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text),
    };
    let digits = digits.trim_end_matches(['u', 'U', 'l', 'L']);
    let value = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        i64::from_str_radix(hex, 16).ok()?
    } else if digits.len() > 1 && digits.starts_with('0') {
        i64::from_str_radix(&digits[1..], 8).ok()?
    } else {
        digits.parse().ok()?
    };
    Some(if negative { -value } else { value })
}

fn creation<'t>(
    api: &str,
    phase: InitPhase,
    function: FunctionId,
    site: Node<'t>,
    argument: Option<String>,
) -> Creation<'t> {
    let api = CREATIONS
        .iter()
        .find(|c| c.0 == api)
        .map_or("PyModule_Create", |c| c.0);
    Creation {
        phase,
        api,
        function,
        site,
        def: None,
        def_text: argument,
    }
}

/// The first argument of an argument list, comments skipped.
fn first_argument(arguments: Node) -> Option<Node> {
    let mut cursor = arguments.walk();
    let first = arguments
        .named_children(&mut cursor)
        .find(|a| a.kind() != "comment");
    first
}

/// The definition's name as passed: `&moduledef` gives `moduledef`.
fn definition_text(argument: Node, bytes: &[u8]) -> String {
    let argument = function_value(argument);
    argument.utf8_text(bytes).unwrap_or("").trim().to_owned()
}

/// What a macro invocation expands to, as far as the graph cares: the
/// words of the bodies (functions it may call), and module-creating calls
/// with their definition argument (a parameter substituted by the
/// invocation's argument).
enum Expanded {
    Word(String),
    Creation(String, Option<String>),
    /// A `PyModuleDef` defined in the body: its name and `m_size`.
    ModuleDef(String, ModuleSize),
}

/// The words of every definition of a macro, followed through the macros
/// they name (each macro once), with its parameters replaced by the
/// invocation's `arguments` where a module-creating call takes one.
fn expand(
    definitions: &[Macro],
    arguments: &[String],
    macros: &HashMap<&str, Vec<Macro>>,
) -> Vec<Expanded> {
    let mut out = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut pending: Vec<(&Macro, Option<&[String]>)> =
        definitions.iter().map(|d| (d, Some(arguments))).collect();
    while let Some((definition, arguments)) = pending.pop() {
        if let Some(def) = macro_module_def(definition, arguments, macros) {
            out.push(def);
        }
        let words = words(definition.body);
        let parameters = definition.parameters.as_deref().unwrap_or(&[]);
        for (i, &word) in words.iter().enumerate() {
            if parameters.contains(&word) {
                continue;
            }
            if let Some(&(api, _)) = CREATIONS.iter().find(|c| c.0 == word) {
                // `PyModule_Create(&def)` or `PyModule_Create(def)`: the word
                // after the parenthesis, a parameter or a name.
                let argument = definition.body[word_offset(definition.body, word, i, &words)..]
                    .split_once('(')
                    .map(|(_, rest)| {
                        rest.trim_start()
                            .trim_start_matches(['&', '('])
                            .trim_start()
                            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                            .next()
                            .unwrap_or("")
                            .to_owned()
                    })
                    .map(|name| {
                        let parameter = definition
                            .parameters
                            .as_ref()
                            .and_then(|ps| ps.iter().position(|p| *p == name));
                        match (parameter, arguments) {
                            (Some(p), Some(arguments)) => arguments
                                .get(p)
                                .map(|a| a.trim().trim_start_matches('&').trim().to_owned())
                                .unwrap_or(name),
                            _ => name,
                        }
                    });
                out.push(Expanded::Creation(api.to_owned(), argument));
                continue;
            }
            out.push(Expanded::Word(word.to_owned()));
            if let Some((name, inner)) = macros.get_key_value(word) {
                if seen.insert(name) {
                    pending.extend(inner.iter().map(|d| (d, None)));
                }
            }
        }
    }
    out
}

/// A `PyModuleDef` that a macro body defines (`static struct PyModuleDef
/// moduledef = { PyModuleDef_HEAD_INIT, name, doc, -1, methods, };`, as
/// the Python 2/3 compatibility macros do), with its `m_size` read from
/// the body's initialiser (a parameter replaced by the invocation's
/// argument).
fn macro_module_def(
    definition: &Macro,
    arguments: Option<&[String]>,
    macros: &HashMap<&str, Vec<Macro>>,
) -> Option<Expanded> {
    let body = definition.body;
    let at = parse::word_ends(body, "PyModuleDef").next()?;
    let rest = &body[at..];
    let name: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if name.is_empty() {
        return None;
    }
    let open = rest.find('{')?;
    let mut depth = 0;
    let mut elements = vec![String::new()];
    for c in rest[open + 1..].chars() {
        match c {
            '(' | '{' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                elements.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = elements.last_mut() {
            last.push(c);
        }
    }
    let size = elements
        .iter()
        .find_map(|e| {
            let e = e.trim().strip_prefix(".m_size")?;
            Some(e.trim_start().strip_prefix('=')?.trim().to_owned())
        })
        .or_else(|| {
            let positional = elements.iter().take_while(|e| !e.trim().starts_with('.'));
            positional.clone().nth(3).map(|e| e.trim().to_owned())
        });
    let size = match size {
        None => ModuleSize::Absent,
        Some(text) => {
            let parameter = definition
                .parameters
                .as_ref()
                .and_then(|ps| ps.iter().position(|p| *p == text));
            let text = match (parameter, arguments) {
                (Some(p), Some(arguments)) => arguments.get(p).cloned().unwrap_or(text),
                _ => text,
            };
            size_of_text(&text, macros)
        }
    };
    Some(Expanded::ModuleDef(name, size))
}

/// An `m_size` written as text (in a macro body): a number, `sizeof(…)`,
/// or an object-like macro of the unit for a number.
fn size_of_text(text: &str, macros: &HashMap<&str, Vec<Macro>>) -> ModuleSize {
    let text = text.trim();
    if let Some(n) = parse_integer(text.trim_matches(['(', ')'])) {
        return ModuleSize::Known(n);
    }
    if text.starts_with("sizeof") {
        return ModuleSize::NonNegative;
    }
    let values: Vec<Option<i64>> = macros
        .get(text)
        .map(|ds| {
            ds.iter()
                .map(|d| {
                    d.parameters
                        .is_none()
                        .then(|| parse_integer(d.body.trim().trim_matches(['(', ')'])))
                        .flatten()
                })
                .collect()
        })
        .unwrap_or_default();
    match values.as_slice() {
        [Some(n)] => ModuleSize::Known(*n),
        _ => ModuleSize::Unknown(text.to_owned()),
    }
}

/// The byte offset of the `index`-th word of `words` (which is `word`) in
/// `body`.
fn word_offset(body: &str, word: &str, index: usize, words: &[&str]) -> usize {
    let before = words[..index].iter().filter(|w| **w == word).count();
    parse::word_ends(body, word)
        .nth(before)
        .map_or(0, |end| end - word.len())
}

/// The C identifiers of a macro body, in order (string and character
/// literals skipped).
fn words(body: &str) -> Vec<&str> {
    let bytes = body.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'"' || b == b'\'' {
            i += 1;
            while i < bytes.len() && bytes[i] != b {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
        } else if b.is_ascii_alphabetic() || b == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            out.push(&body[start..i]);
        } else if b.is_ascii_digit() {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    out
}

/// The arguments' texts of a macro invocation that parsed as a call.
fn invocation_arguments(call: Node, bytes: &[u8]) -> Vec<String> {
    let Some(list) = call.child_by_field_name("arguments") else {
        return Vec::new();
    };
    let mut cursor = list.walk();
    let arguments = list
        .named_children(&mut cursor)
        .filter(|a| a.kind() != "comment")
        .map(|a| a.utf8_text(bytes).unwrap_or("").to_owned())
        .collect();
    arguments
}

/// Every `#define` of the unit, by name (several when `#if` branches
/// define one more than once).
fn macros<'s>(root: Node, bytes: &'s [u8]) -> HashMap<&'s str, Vec<Macro<'s>>> {
    let mut out: HashMap<&str, Vec<Macro>> = HashMap::new();
    for keyword in parse::keyword_tokens(root, bytes, &["#define"]) {
        let Some(node) = keyword
            .parent
            .filter(|p| matches!(p.kind(), "preproc_def" | "preproc_function_def"))
        else {
            continue;
        };
        let Some(name) = node
            .child_by_field_name("name")
            .and_then(|n| n.utf8_text(bytes).ok())
        else {
            continue;
        };
        let body = node
            .child_by_field_name("value")
            .and_then(|b| b.utf8_text(bytes).ok())
            .unwrap_or("");
        let parameters = node.child_by_field_name("parameters").map(|p| {
            let mut cursor = p.walk();
            p.named_children(&mut cursor)
                .filter(|p| p.kind() == "identifier")
                .filter_map(|p| p.utf8_text(bytes).ok())
                .collect()
        });
        out.entry(name).or_default().push(Macro {
            parameters,
            body,
            at: node.start_byte(),
        });
    }
    out
}

/// The name a function definition defines, through the unit's macros:
/// `MOD_INIT(foo) { … }` (tree-sitter reads the macro as the return type
/// and `(foo)` as the declarator) with `#define MOD_INIT(name) …
/// PyInit_##name(void)` defines `PyInit_foo`, and `DEFINE_EXEC(foo) { … }`
/// with `#define DEFINE_EXEC(n) static int n##_exec(PyObject *m)` defines
/// `foo_exec`; `INIT_NAME(foo)(void)` with `#define INIT_NAME(n)
/// PyInit_##n` defines `PyInit_foo`; `PyMODINIT_FUNC INITFUNC(void)` with
/// `#define INITFUNC PyInit_foo` defines `PyInit_foo`. Each macro is
/// expanded as the preprocessor would ([`expand_invocation`]).
fn definition_name(
    function: Node,
    bytes: &[u8],
    macros: &HashMap<&str, Vec<Macro>>,
) -> Option<String> {
    if let Some(name) = parse::function_name(function, bytes) {
        // An object-like macro that names the function.
        let renamed = macros
            .get(name)
            .filter(|ds| ds.iter().any(|d| d.parameters.is_none()))
            .and_then(|_| expand_invocation(name, None, macros))
            .and_then(|tokens| match tokens.as_slice() {
                [one] if is_identifier(one) => Some(one.clone()),
                _ => None,
            });
        if let Some(renamed) = renamed {
            return Some(renamed);
        }
        // `INIT_NAME(foo)(void)` with `#define INIT_NAME(n) PyInit_##n`:
        // the declarator is the macro's invocation, then the parameters.
        let invocation = function
            .child_by_field_name("declarator")
            .filter(|d| d.kind() == "function_declarator")
            .and_then(|d| d.child_by_field_name("declarator"))
            .filter(|d| d.kind() == "function_declarator");
        if let Some(arguments) = invocation
            .and_then(|i| i.child_by_field_name("parameters"))
            .and_then(|p| p.utf8_text(bytes).ok())
        {
            if let Some(expanded) = expand_invocation(name, Some(arguments), macros) {
                if let Some(declared) = declared_name(&expanded) {
                    return Some(declared);
                }
            }
        }
        return Some(name.to_owned());
    }
    let declarator = function.child_by_field_name("declarator")?;
    if declarator.kind() != "parenthesized_declarator" {
        return None;
    }
    let arguments = declarator.utf8_text(bytes).ok()?;
    let macro_name = function
        .child_by_field_name("type")
        .filter(|t| t.kind() == "type_identifier")?
        .utf8_text(bytes)
        .ok()?;
    // `VISIBILITY PyMODINIT_FUNC PyInit_x(void) {` with a visibility macro
    // tree-sitter does not know: it reads `PyInit_x` as the type and
    // `(void)` as the declarator.
    if macro_name.starts_with("PyInit_") && !macros.contains_key(macro_name) {
        return Some(macro_name.to_owned());
    }
    declared_name(&expand_invocation(macro_name, Some(arguments), macros)?)
}

/// The unit's `#define`s, by name, for expanding an invocation as the
/// preprocessor does (the expander the call graph reads names with; see
/// [`CallGraph`]'s module doc for what it follows and its bounds).
pub struct UnitMacros<'s> {
    map: HashMap<&'s str, Vec<Macro<'s>>>,
}

impl<'s> UnitMacros<'s> {
    /// Every `#define` of the unit whose parsed tree is `root`, over the
    /// unit's text `bytes`.
    pub fn of(root: Node, bytes: &'s [u8]) -> UnitMacros<'s> {
        UnitMacros {
            map: macros(root, bytes),
        }
    }

    /// The names the unit defines as macros (in no particular order).
    pub fn names(&self) -> impl Iterator<Item = &'s str> + '_ {
        self.map.keys().copied()
    }

    /// The body text of each definition of `name` (several when `#if`
    /// branches define it more than once), in source order; empty when the
    /// unit does not define it.
    pub fn bodies(&self, name: &str) -> Vec<&'s str> {
        self.map
            .get(name)
            .map_or_else(Vec::new, |ds| ds.iter().map(|d| d.body).collect())
    }

    /// Whether `name`'s first definition is function-like.
    pub fn is_function_like(&self, name: &str) -> bool {
        self.map
            .get(name)
            .and_then(|ds| ds.first())
            .is_some_and(|d| d.parameters.is_some())
    }

    /// The preprocessing tokens that the invocation of `name` becomes, once
    /// for each definition of `name` (in source order: `#if` branches may
    /// define it differently), the macros it reaches taking their first
    /// definition. `arguments` is the parenthesised text after a
    /// function-like macro's name, parentheses included, `None` for an
    /// object-like one; the names in `kept` stay as they are (a project's
    /// compatibility definition of a CPython macro is then not followed).
    /// A definition gets `None` when it takes other arguments than given or
    /// its expansion passes the expander's bounds (32 levels, 4,096
    /// tokens).
    pub fn expand_each(
        &self,
        name: &str,
        arguments: Option<&str>,
        kept: &[&str],
    ) -> Vec<Option<Vec<String>>> {
        let Some(definitions) = self.map.get(name) else {
            return Vec::new();
        };
        definitions
            .iter()
            .map(|definition| self.expand_one(name, definition, arguments, kept))
            .collect()
    }

    /// [`UnitMacros::expand_each`] for the definitions of `name` in effect
    /// at byte `at` of the unit's text: those after byte `since` (the end
    /// of the last `#undef name` before `at`, 0 when none) and before `at`
    /// (several when `#if` branches define it); every definition when none
    /// is.
    pub fn expand_in_effect(
        &self,
        name: &str,
        arguments: Option<&str>,
        since: usize,
        at: usize,
    ) -> Vec<Option<Vec<String>>> {
        let Some(definitions) = self.map.get(name) else {
            return Vec::new();
        };
        let before: Vec<&Macro> = definitions
            .iter()
            .filter(|d| since <= d.at && d.at < at)
            .collect();
        let chosen: Vec<&Macro> = if before.is_empty() {
            definitions.iter().collect()
        } else {
            before
        };
        chosen
            .into_iter()
            .map(|definition| self.expand_one(name, definition, arguments, &[]))
            .collect()
    }

    /// The expansion of `name` invoked with `arguments` under `definition`
    /// ([`UnitMacros::expand_each`]).
    fn expand_one(
        &self,
        name: &str,
        definition: &Macro<'s>,
        arguments: Option<&str>,
        kept: &[&str],
    ) -> Option<Vec<String>> {
        // A name defined once needs no map of its own (a copy of the
        // unit's every macro per expansion).
        let single = self.map.get(name).is_some_and(|ds| ds.len() == 1);
        let one = if single {
            std::borrow::Cow::Borrowed(&self.map)
        } else {
            let mut one = self.map.clone();
            one.insert(
                self.map.get_key_value(name).map_or(name, |(k, _)| k),
                vec![definition.clone()],
            );
            std::borrow::Cow::Owned(one)
        };
        let function_like = definition.parameters.is_some();
        let mut tokens = vec![name.to_owned()];
        match arguments {
            Some(arguments) if function_like => tokens.extend(pp_tokens(arguments)),
            None if !function_like => {}
            _ => return None,
        }
        let mut hidden: Vec<String> = kept.iter().map(|k| (*k).to_owned()).collect();
        expand_tokens(&tokens, &one, &mut hidden, 0)
    }
}

/// The parenthesised arguments of a function-like macro invoked by the name
/// that ends at byte `after` of `bytes`: the text from its `(` to the
/// matching `)` included (strings, character literals and comments
/// skipped), and the byte past it; `None` when no `(` follows (blanks and
/// line continuations between are skipped) or it is not closed within
/// 65,536 bytes.
pub fn parenthesised_after(bytes: &[u8], after: usize) -> Option<(&str, usize)> {
    let mut open = after;
    while open < bytes.len() && (bytes[open].is_ascii_whitespace() || bytes[open] == b'\\') {
        open += 1;
    }
    if bytes.get(open) != Some(&b'(') {
        return None;
    }
    let limit = bytes.len().min(open + 65_536);
    let mut depth = 0usize;
    let mut i = open;
    while i < limit {
        match bytes[i] {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    let text = std::str::from_utf8(&bytes[open..=i]).ok()?;
                    return Some((text, i + 1));
                }
            }
            quote @ (b'"' | b'\'') => {
                i += 1;
                while i < limit && bytes[i] != quote && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += memchr::memmem::find(&bytes[i + 2..limit], b"*/").map_or(limit, |e| e + 3);
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// A function that a macro invocation at file scope defines whole, body
/// included, as the py2/py3 compatibility headers spell a module init:
/// `MODULE_INIT_FUNC(spam)` with `#define MODULE_INIT_FUNC(name)
/// PyMODINIT_FUNC PyInit_##name(void) { return moduleinit(); }` defines
/// `PyInit_spam`, and its body is the macro's. `item` is a file-scope
/// item (tree-sitter reads such an invocation as an expression, a
/// declaration or a parse error) that starts with the name of a macro of
/// the unit whose expansion ([`expand_invocation`]) holds a definition:
/// an identifier, its parenthesised parameters, then `{`. When the
/// expansion defines several functions, the module init among them (else
/// the last one) is the one returned, and the whole expansion is taken
/// for its body, so reachability errs towards "reached". Returns the
/// name, its linkage (`static` before the name, since the previous
/// definition of the expansion), the invocation's macro name (the node
/// that reports name the definition by) and the expansion's tokens.
fn macro_definition<'t>(
    item: Node<'t>,
    bytes: &[u8],
    macros: &HashMap<&str, Vec<Macro>>,
) -> Option<(String, Linkage, Node<'t>, Vec<String>)> {
    let start = item.start_byte();
    let length = bytes
        .get(start..)?
        .iter()
        .take_while(|b| crate::scan::lexer::is_ident(**b))
        .count();
    let name = std::str::from_utf8(&bytes[start..start + length]).ok()?;
    let definition = chosen(macros.get(name)?)?;
    if !definition.body.contains('{') {
        return None;
    }
    let site = item.descendant_for_byte_range(start, start + length)?;
    let arguments = if definition.parameters.is_some() {
        Some(parenthesised_after(bytes, start + length)?.0)
    } else {
        None
    };
    let tokens = expand_invocation(name, arguments, macros)?;
    let mut found = definitions_in(&tokens);
    let chosen = found
        .iter()
        .position(|(n, _)| n.starts_with("PyInit_"))
        .or_else(|| found.len().checked_sub(1))?;
    let (name, linkage) = found.swap_remove(chosen);
    Some((name, linkage, site, tokens))
}

/// The functions that the preprocessing tokens `tokens` (a macro's
/// expansion) define, in order: each an identifier at brace depth 0, its
/// parenthesised parameters, then `{`, with its linkage from the tokens
/// since the previous definition's end (`static` among them: internal).
pub(crate) fn definitions_in(tokens: &[String]) -> Vec<(String, Linkage)> {
    let mut found: Vec<(String, Linkage)> = Vec::new();
    let mut declaration_start = 0;
    let mut i = 0;
    while i < tokens.len() {
        let token = tokens[i].as_str();
        if token == ";" {
            declaration_start = i + 1;
        }
        if token == "{" {
            // A body not preceded by a parameter list (an initialiser):
            // skip it whole.
            let mut depth = 0usize;
            while i < tokens.len() {
                match tokens[i].as_str() {
                    "{" => depth += 1,
                    "}" => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            declaration_start = i + 1;
            i += 1;
            continue;
        }
        if is_identifier(token) && tokens.get(i + 1).map(String::as_str) == Some("(") {
            let close = split_arguments(tokens, i + 1).map(|(_, next)| next);
            if let Some(next) = close {
                if tokens.get(next).map(String::as_str) == Some("{") {
                    let is_static = tokens[declaration_start..i].iter().any(|t| t == "static");
                    let linkage = if is_static {
                        Linkage::Internal
                    } else {
                        Linkage::External
                    };
                    found.push((token.to_owned(), linkage));
                    i = next;
                    continue;
                }
            }
        }
        i += 1;
    }
    found
}

/// Bounds of one macro expansion: a unit whose macros nest or grow
/// without end (a hostile one) gets no answer, not a hang.
const MAX_EXPANSION_DEPTH: usize = 32;
/// See [`MAX_EXPANSION_DEPTH`]: tokens in one expansion.
const MAX_EXPANSION_TOKENS: usize = 4096;

/// Marks a `##` of a macro body (an argument's `##` is no operator).
const PASTE: &str = "\0##";

/// Whether `token` is a C identifier (a letter or `_`, then letters,
/// digits and `_`).
pub(crate) fn is_identifier(token: &str) -> bool {
    crate::scan::macros::is_identifier(token.as_bytes())
}

/// The preprocessing tokens of `text`, as far as naming a function needs
/// them: identifiers and numbers whole, `##`, string and character
/// literals whole, any other character alone; blanks, comments and line
/// continuations dropped.
pub(crate) fn pp_tokens(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let rest = &text[i..];
        let len = if b.is_ascii_whitespace() || b == b'\\' {
            i += 1;
            continue;
        } else if rest.starts_with("//") {
            break;
        } else if rest.starts_with("/*") {
            i += rest.find("*/").map_or(rest.len(), |e| e + 2);
            continue;
        } else if b.is_ascii_alphanumeric() || b == b'_' {
            rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len())
        } else if b == b'"' || b == b'\'' {
            let mut end = 1;
            while end < rest.len() && bytes[i + end] != b {
                end += if bytes[i + end] == b'\\' { 2 } else { 1 };
            }
            (end + 1).min(rest.len())
        } else if rest.starts_with("##") {
            2
        } else {
            rest.chars().next().map_or(1, char::len_utf8)
        };
        out.push(rest[..len].to_owned());
        i += len;
    }
    out
}

/// The definition of a macro the expansion takes when `#if` branches
/// define it more than once: the one that names `PyInit_`, as the build
/// for Python 3 does, else the first.
fn chosen<'d, 's>(definitions: &'d [Macro<'s>]) -> Option<&'d Macro<'s>> {
    definitions
        .iter()
        .find(|d| d.body.contains("PyInit_"))
        .or_else(|| definitions.first())
}

/// The tokens that the unit's macro `name` becomes, as C's preprocessor
/// expands it: invoked with `arguments` (the parenthesised text after a
/// function-like macro's name, parentheses included) or alone; each
/// parameter replaced by its argument (expanded first unless `##` or `#`
/// takes it), `##` pasting its neighbours, `#` making a string, and the
/// result rescanned for the unit's macros, none inside its own
/// expansion. `None` when `name` is no macro of the unit, a function-like
/// one gets no arguments or other than it takes, or the expansion passes
/// [`MAX_EXPANSION_DEPTH`] or [`MAX_EXPANSION_TOKENS`].
fn expand_invocation(
    name: &str,
    arguments: Option<&str>,
    macros: &HashMap<&str, Vec<Macro>>,
) -> Option<Vec<String>> {
    let function_like = chosen(macros.get(name)?)?.parameters.is_some();
    let mut tokens = vec![name.to_owned()];
    match arguments {
        Some(arguments) if function_like => tokens.extend(pp_tokens(arguments)),
        None if !function_like => {}
        _ => return None,
    }
    expand_tokens(&tokens, macros, &mut Vec::new(), 0)
}

/// Expands the unit's macros in `tokens` ([`expand_invocation`]); the
/// names in `hidden` are inside their own expansion and stay as they are.
fn expand_tokens(
    tokens: &[String],
    macros: &HashMap<&str, Vec<Macro>>,
    hidden: &mut Vec<String>,
    depth: usize,
) -> Option<Vec<String>> {
    if depth > MAX_EXPANSION_DEPTH {
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if out.len() > MAX_EXPANSION_TOKENS {
            return None;
        }
        let token = &tokens[i];
        i += 1;
        let definition = macros
            .get(token.as_str())
            .filter(|_| !hidden.contains(token))
            .and_then(|ds| chosen(ds));
        let Some(definition) = definition else {
            out.push(token.clone());
            continue;
        };
        let body = pp_tokens(definition.body)
            .into_iter()
            .map(|t| if t == "##" { PASTE.to_owned() } else { t })
            .collect::<Vec<_>>();
        let replaced = match &definition.parameters {
            None => body,
            Some(parameters) => {
                if tokens.get(i).map(String::as_str) != Some("(") {
                    // A function-like macro's name without arguments is
                    // no invocation.
                    out.push(token.clone());
                    continue;
                }
                let (arguments, next) = split_arguments(tokens, i)?;
                i = next;
                let empty = arguments.len() == 1 && arguments[0].is_empty();
                if arguments.len() != parameters.len() && !(parameters.is_empty() && empty) {
                    return None;
                }
                substitute(&body, parameters, &arguments, macros, hidden, depth)?
            }
        };
        hidden.push(token.clone());
        let rescanned = expand_tokens(&paste(replaced), macros, hidden, depth + 1);
        hidden.pop();
        out.extend(rescanned?);
    }
    (out.len() <= MAX_EXPANSION_TOKENS).then_some(out)
}

/// The arguments of the invocation whose `(` is `tokens[open]`, split at
/// the commas outside inner parentheses, and the index past its `)`
/// ([`crate::scan::macros::split_arguments`]).
pub(crate) fn split_arguments(tokens: &[String], open: usize) -> Option<(Vec<Vec<String>>, usize)> {
    crate::scan::macros::split_arguments(tokens, open)
}

/// A function-like macro's body with each parameter replaced by its
/// argument: as written next to `##`, as a string after `#`, else
/// expanded.
fn substitute(
    body: &[String],
    parameters: &[&str],
    arguments: &[Vec<String>],
    macros: &HashMap<&str, Vec<Macro>>,
    hidden: &mut Vec<String>,
    depth: usize,
) -> Option<Vec<String>> {
    let argument = |token: &str| {
        parameters
            .iter()
            .position(|p| *p == token)
            .map(|p| arguments.get(p).cloned().unwrap_or_default())
    };
    let mut out = Vec::new();
    let mut j = 0;
    while j < body.len() {
        let token = &body[j];
        j += 1;
        if token == "#" {
            if let Some(value) = body.get(j).and_then(|t| argument(t)) {
                out.push(format!("\"{}\"", value.join(" ")));
                j += 1;
                continue;
            }
        }
        let Some(value) = argument(token) else {
            out.push(token.clone());
            continue;
        };
        let pasted = out.last().map(String::as_str) == Some(PASTE)
            || body.get(j).map(String::as_str) == Some(PASTE);
        if pasted {
            out.extend(value);
        } else {
            out.extend(expand_tokens(&value, macros, hidden, depth + 1)?);
        }
    }
    Some(out)
}

/// Joins the tokens on each side of every `##` of a body into one.
fn paste(tokens: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    let mut join = false;
    for token in tokens {
        if token == PASTE {
            join = true;
            continue;
        }
        match out.last_mut() {
            Some(last) if join => last.push_str(&token),
            _ => out.push(token),
        }
        join = false;
    }
    out
}

/// The name a declaration's tokens declare as a function: the identifier
/// before the first `(` outside parentheses that opens a parameter list
/// (not `__attribute__((…))` or `__declspec(…)`), or the last identifier
/// when the tokens stop before the parameters (`PyInit_foo`, followed by
/// `(void)` outside the macro).
fn declared_name(tokens: &[String]) -> Option<String> {
    let mut depth = 0usize;
    let mut previous: Option<&String> = None;
    let mut last = None;
    for token in tokens {
        match token.as_str() {
            "(" => {
                if depth == 0 {
                    if let Some(name) = previous.filter(|p| {
                        is_identifier(p) && !matches!(p.as_str(), "__attribute__" | "__declspec")
                    }) {
                        return Some(name.clone());
                    }
                }
                depth += 1;
            }
            ")" => depth = depth.saturating_sub(1),
            _ if depth == 0 && is_identifier(token) => last = Some(token),
            _ => {}
        }
        previous = Some(token);
    }
    last.filter(|l| tokens.last() == Some(*l)).cloned()
}

/// The items at file scope: the children of the root, of `#if` blocks,
/// and of `extern "C" { … }`, in source order.
pub fn file_scope_items(root: Node) -> Vec<Node> {
    let mut out = Vec::new();
    let mut pending = vec![root];
    while let Some(node) = pending.pop() {
        let mut cursor = node.walk();
        let children: Vec<Node> = node.named_children(&mut cursor).collect();
        for child in children.into_iter().rev() {
            let kind = child.kind();
            // A parse error at file scope (an `#if` inside an expression,
            // a macro tree-sitter does not know) can hold the definitions
            // that follow it: they are still at file scope.
            if kind.starts_with("preproc_if")
                || kind.starts_with("preproc_else")
                || kind.starts_with("preproc_elif")
                || kind == "linkage_specification"
                || kind == "declaration_list"
                || kind == "ERROR"
            {
                pending.push(child);
            } else {
                out.push(child);
            }
        }
    }
    out.sort_by_key(|n| n.start_byte());
    out
}

/// Whether a declaration or definition carries the storage class `keyword`.
pub fn has_storage(node: Node, bytes: &[u8], keyword: &str) -> bool {
    let mut cursor = node.walk();
    let found = node
        .children(&mut cursor)
        .any(|c| c.kind() == "storage_class_specifier" && c.utf8_text(bytes) == Ok(keyword));
    found
}

/// Whether the function definition `node` is `static` through a macro
/// that spells its type: CPython's `Py_LOCAL(type)` and
/// `Py_LOCAL_INLINE(type)` (`static type`, `static inline type`), or a
/// macro of the unit whose body starts with `static` (`#define
/// LOCAL(type) static inline type`).
fn static_through_macro(node: Node, bytes: &[u8], macros: &HashMap<&str, Vec<Macro>>) -> bool {
    let Some(name) = node
        .child_by_field_name("type")
        .filter(|t| t.kind() == "macro_type_specifier")
        .and_then(|t| t.child_by_field_name("name"))
        .and_then(|n| n.utf8_text(bytes).ok())
    else {
        return false;
    };
    match macros.get(name) {
        Some(definitions) => definitions
            .iter()
            .all(|d| d.body.split_whitespace().next() == Some("static")),
        None => matches!(name, "Py_LOCAL" | "Py_LOCAL_INLINE"),
    }
}

/// The identifier a declarator declares (`None` for a function's
/// declarator). A function declarator around a parenthesised one declares
/// a variable: a pointer to a function, or an array of them (`int
/// (*hook)(void)`, `static int (*const parts[])(PyObject *)`).
pub(crate) fn declared_identifier(mut node: Node) -> Option<Node> {
    loop {
        match node.kind() {
            "identifier" => return Some(node),
            "init_declarator"
            | "pointer_declarator"
            | "array_declarator"
            | "attributed_declarator" => node = node.child_by_field_name("declarator")?,
            "parenthesized_declarator" => node = node.named_child(0)?,
            "function_declarator" => {
                node = node
                    .child_by_field_name("declarator")
                    .filter(|d| d.kind() == "parenthesized_declarator")?
            }
            _ => return None,
        }
    }
}

/// The node that names a function definition: its declarator's identifier,
/// or the declarator itself.
fn name_site(function: Node) -> Node {
    let Some(mut declarator) = function.child_by_field_name("declarator") else {
        return function;
    };
    loop {
        if declarator.kind() == "identifier" {
            return declarator;
        }
        match declarator.child_by_field_name("declarator") {
            Some(inner) => declarator = inner,
            None => return declarator,
        }
    }
}

/// The edges a unit of `bytes` bytes may have ([`MAX_EDGES_PER_BYTE`]).
fn edge_budget(bytes: usize) -> usize {
    MIN_EDGE_BUDGET.max((bytes as f64 * MAX_EDGES_PER_BYTE) as usize)
}

/// A call graph built on first use: most units never need one.
pub struct LazyCallGraph<'t> {
    root: Node<'t>,
    cell: OnceCell<CallGraph<'t>>,
}

impl<'t> LazyCallGraph<'t> {
    /// A graph of the unit whose tree is `root`, not built yet.
    pub fn new(root: Node<'t>) -> LazyCallGraph<'t> {
        LazyCallGraph {
            root,
            cell: OnceCell::new(),
        }
    }

    /// The graph, built from `bytes` (the unit's text) on the first call.
    pub fn get(&self, bytes: &[u8]) -> &CallGraph<'t> {
        self.cell.get_or_init(|| CallGraph::build(self.root, bytes))
    }

    /// The overflow of the graph ([`CallGraph::overflow`]), if it was
    /// built: an analysis that asked for it read an empty graph.
    pub fn overflow(&self) -> Option<&Overflow> {
        self.cell.get().and_then(CallGraph::overflow)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::parse::{new_parser, parse};

    fn with_graph(src: &str, check: impl FnOnce(&CallGraph, &[u8])) {
        let mut parser = new_parser();
        let tree = parse(&mut parser, src.as_bytes()).unwrap();
        let graph = CallGraph::build(tree.root_node(), src.as_bytes());
        check(&graph, src.as_bytes());
    }

    fn id(graph: &CallGraph, name: &str) -> FunctionId {
        graph.named(name)[0]
    }

    /// What `local_named` says of each identifier `x` (in order) of `src`:
    /// `None`, or the line of the declaration (0 for a parameter) and
    /// whether it is automatic.
    fn locals_of(src: &str) -> Vec<Option<(usize, bool)>> {
        let mut parser = new_parser();
        let tree = parse(&mut parser, src.as_bytes()).unwrap();
        let bytes = src.as_bytes();
        parse::descendants(tree.root_node())
            .filter(|n| n.kind() == "identifier" && n.utf8_text(bytes) == Ok("x"))
            .map(|n| {
                local_named(n, parse::ancestors(n), "x", bytes).map(|l| {
                    let line = l.declaration.map_or(0, |d| d.start_position().row + 1);
                    (line, l.is_automatic(bytes))
                })
            })
            .collect()
    }

    #[test]
    fn a_local_shadows_from_its_declarator_on() {
        // Each `x` in order: the declarations' own names included.
        let src = "int x;\n\
                   int f(int x) {\n\
                   use(x);\n\
                   { int a = x, x = 1, b = x; }\n\
                   #ifdef A\n\
                   static int x;\n\
                   #else\n\
                   static int x;\n\
                   #endif\n\
                   use(x);\n\
                   switch (a) { case 1: ; int x = 2; use(x); }\n\
                   for (int x = 0; x < 1; x++) {}\n\
                   { int x(void); use(x); }\n\
                   }\n\
                   #ifdef B\n\
                   int y = x + 1;\n\
                   #endif\n";
        assert_eq!(
            locals_of(src),
            vec![
                None,             // file scope
                Some((0, true)),  // the parameter itself
                Some((0, true)),  // use(x): the parameter
                Some((0, true)),  // `a = x`: x not declared yet
                Some((4, true)),  // x = 1: its own name, in scope from there
                Some((4, true)),  // b = x
                Some((6, false)), // `#ifdef` branch: its own name
                Some((8, false)), // `#else` branch: its own name
                Some((8, false)), // use(x): the last branch's declaration
                Some((11, true)), // `case`: its own name
                Some((11, true)), // use(x) after it
                Some((12, true)), // for's own declaration
                Some((12, true)), // x < 1
                Some((12, true)), // x++
                Some((8, false)), // a block-scope prototype declares no local
                Some((8, false)), // use(x) beside it
                None,             // `#ifdef` at file scope: no block
            ]
        );
    }

    /// The walk of a body reads C's block scope as `local_named` does: in
    /// each shape, an identifier that names the unit's function `x` gets an
    /// edge to it exactly where `local_named` finds no local `x` (the walk
    /// keeps the declarations in scope instead of asking at each use).
    #[test]
    fn a_body_walk_shadows_a_function_as_local_named_does() {
        let shapes = [
            "int f(int x) { x; { x; } }",
            "int f(void) { x; int x = x; x; }",
            "int f(void) { x; { int x; x; } x; }",
            "int f(void) { int a = x, x = 1, b = x; x; }",
            "int f(void) {\n#ifdef A\nint x;\n#else\nx;\n#endif\nx; }",
            "int f(void) {\n#ifdef A\nx;\n#else\nint x;\n#endif\nx; }",
            "int f(int a) { switch (a) { case 1: x; int x = 2; x; } x; }",
            "int f(void) { for (int x = 0; x < 1; x++) { x; } x; }",
            "int f(void) { { int x(void); x; } x; }",
            "int f(void) { lbl: ; int x; x; }",
            "int f(void) { if (1) { int x; } x; }",
            "int f(void) { int y = x; { int x = y; { x; } } x; }",
            "int f(void) { int *x, y = *x; x; }\r\n",
            "int f(void) { int a[x], x; x; }",
            "int f(void) { int (x) = 1; x; }",
            "int f(void) { x; int x; {{ x; }} }",
            "int f(void) { struct { int x; } s; x; s.x; }",
        ];
        for shape in shapes {
            let src = format!("static int x(void) {{ return 0; }}\n{shape}\n");
            with_graph(&src, |graph, bytes| {
                let f = id(graph, "f");
                let edged: Vec<usize> = graph
                    .edges(f)
                    .iter()
                    .filter(|e| e.to == id(graph, "x"))
                    .map(|e| e.site.id())
                    .collect();
                let body = graph.functions()[f].node;
                let mut uses = 0;
                for n in parse::descendants(body) {
                    if n.kind() != "identifier" || n.utf8_text(bytes) != Ok("x") {
                        continue;
                    }
                    uses += 1;
                    let local = local_named(n, parse::ancestors(n), "x", bytes).is_some();
                    assert_eq!(
                        edged.contains(&n.id()),
                        !local,
                        "{shape}: the `x` at {}",
                        n.start_byte()
                    );
                }
                assert!(uses > 0, "{shape}");
            });
        }
    }

    const SINGLE: &str = r#"
#include <Python.h>
static PyObject *Error;
static PyObject *make_error(void) { return PyErr_NewException("m.Error", NULL, NULL); }
static int add_types(PyObject *m) { Error = make_error(); return 0; }
static PyObject *meth(PyObject *self, PyObject *arg) { return Py_NewRef(Error); }
static PyMethodDef methods[] = {{"meth", meth, METH_O, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "m", NULL, -1, methods};
PyMODINIT_FUNC
PyInit_m(void)
{
    PyObject *m = PyModule_Create(&def);
    if (m == NULL || add_types(m) < 0) return NULL;
    return m;
}
"#;

    #[test]
    fn function_pointer_variables_and_whole_entry_macros_are_followed() {
        let src = r#"
static int step_a(PyObject *m) { return 0; }
static int step_b(PyObject *m) { return 0; }
static int step_c(PyObject *m) { return 0; }
static int (*const steps[])(PyObject *) = {step_a, step_b};
static int (* const last)(PyObject *) = step_c;
PyObject *PyInit_m(void) { steps[0](NULL); return last(NULL) ? NULL : NULL; }
static PyObject *meth_impl(PyObject *m) { return NULL; }
static PyObject *meth(PyObject *m, PyObject *u) { return meth_impl(m); }
#define METH_METHODDEF {"meth", (PyCFunction)meth, METH_NOARGS, NULL},
static PyMethodDef methods[] = {METH_METHODDEF {NULL}};
"#;
        with_graph(src, |graph, _| {
            let [init] = graph.module_inits() else {
                panic!("one init")
            };
            let reach = graph.reach([init.function]);
            for step in ["step_a", "step_b", "step_c"] {
                assert!(reach.contains(id(graph, step)), "{step}");
            }
            let methods: Vec<_> = graph
                .roots_of(RootKind::Method)
                .map(|r| graph.functions()[r.function].name.as_str())
                .collect();
            assert_eq!(methods, ["meth"]);
        });
    }

    #[test]
    fn a_single_phase_init_reaches_its_helpers_with_a_path() {
        with_graph(SINGLE, |graph, _| {
            let [init] = graph.module_inits() else {
                panic!("one init")
            };
            assert_eq!(init.module, "m");
            assert_eq!(init.creations.len(), 1);
            assert_eq!(init.creations[0].phase, InitPhase::Single);
            assert_eq!(
                init.once(graph),
                InitOnce::OncePerProcess("PyModule_Create, m_size -1".to_owned())
            );
            let reach = graph.reach([init.function]);
            let path = reach.path(id(graph, "make_error")).unwrap();
            assert_eq!(
                graph.describe_path(&path),
                "PyInit_m → add_types → make_error"
            );
            assert!(
                !reach.contains(id(graph, "meth")),
                "a method is a root of its own"
            );
            let method: Vec<_> = graph.roots_of(RootKind::Method).collect();
            assert_eq!(method.len(), 1);
            assert_eq!(method[0].function, id(graph, "meth"));
            assert_eq!(method[0].table.as_deref(), Some("methods"));
            let [def] = graph.module_defs() else {
                panic!("one def")
            };
            assert_eq!(def.size, ModuleSize::Known(-1));
            assert_eq!(def.methods.as_deref(), Some("methods"));
        });
    }

    #[test]
    fn module_init_through_macros() {
        let src = r#"
#define MOD_INIT(name) PyMODINIT_FUNC PyInit_##name(void)
#define CREATE(var, d) var = PyModule_Create(d)
#define SETUP(m) setup_all(m)
static int setup_all(PyObject *m) { return 0; }
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "x", NULL, -1, NULL};
MOD_INIT(x)
{
    PyObject *m;
    CREATE(m, &moddef);
    SETUP(m);
    return m;
}
"#;
        with_graph(src, |graph, _| {
            let [init] = graph.module_inits() else {
                panic!("one init: {:?}", graph.functions())
            };
            assert_eq!(graph.functions()[init.function].name, "PyInit_x");
            assert_eq!(init.creations.len(), 1);
            assert_eq!(init.creations[0].def, Some(0));
            assert!(matches!(init.once(graph), InitOnce::OncePerProcess(_)));
            let reach = graph.reach([init.function]);
            let path = reach.path(id(graph, "setup_all")).unwrap();
            assert_eq!(graph.describe_path(&path), "PyInit_x → setup_all");
            assert_eq!(graph.edges(init.function)[0].kind, EdgeKind::Macro);
        });
    }

    #[test]
    fn multi_phase_slots_and_sizes() {
        let src = r#"
typedef struct { PyObject *x; } state;
static int exec_m(PyObject *m) { return 0; }
static int clear_m(PyObject *m) { return 0; }
static void free_m(void *m) { clear_m((PyObject *)m); }
static PyObject *get_x(PyObject *self, void *c) { return NULL; }
static void dealloc(PyObject *self) {}
static PyObject *tnew(PyTypeObject *t, PyObject *a, PyObject *k) { return NULL; }
static PyGetSetDef getset[] = {{"x", get_x, NULL, NULL, NULL}, {NULL}};
static PyType_Slot type_slots[] = {{Py_tp_dealloc, dealloc}, {.slot = Py_tp_new, .pfunc = tnew}, {0, 0}};
static PyTypeObject Static_Type = {PyVarObject_HEAD_INIT(NULL, 0) "m.S", 0, 0, dealloc};
static PyModuleDef_Slot slots[] = {{Py_mod_exec, exec_m}, {0, NULL}};
static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, .m_name = "m", .m_size = sizeof(state),
    .m_slots = slots, .m_clear = clear_m, .m_free = (freefunc)free_m,
};
PyMODINIT_FUNC PyInit_m(void) { return PyModuleDef_Init(&def); }
int exported_helper(void) { return 1; }
"#;
        with_graph(src, |graph, _| {
            let [init] = graph.module_inits() else {
                panic!("one init")
            };
            assert_eq!(init.creations[0].phase, InitPhase::Multi);
            assert_eq!(init.once(graph), InitOnce::PerInterpreter);
            let [def] = graph.module_defs() else {
                panic!("one def")
            };
            assert_eq!(def.size, ModuleSize::NonNegative);
            assert_eq!(def.slots.as_deref(), Some("slots"));
            assert_eq!(def.clear, Some(id(graph, "clear_m")));
            assert_eq!(def.free, Some(id(graph, "free_m")));
            let kinds = |name: &str| -> Vec<(RootKind, Option<String>)> {
                let f = id(graph, name);
                graph
                    .roots()
                    .iter()
                    .filter(|r| r.function == f)
                    .map(|r| (r.kind, r.slot.clone()))
                    .collect()
            };
            assert_eq!(
                kinds("exec_m"),
                [(RootKind::ModuleExec, Some("Py_mod_exec".into()))]
            );
            assert_eq!(
                kinds("clear_m"),
                [(RootKind::ModuleClear, Some("m_clear".into()))]
            );
            assert_eq!(
                kinds("free_m"),
                [(RootKind::ModuleFree, Some("m_free".into()))]
            );
            assert_eq!(kinds("get_x"), [(RootKind::GetSet, Some("get".into()))]);
            assert_eq!(
                kinds("tnew"),
                [(RootKind::TypeSlot, Some("Py_tp_new".into()))]
            );
            assert_eq!(
                kinds("dealloc"),
                [
                    (RootKind::TypeSlot, Some("Py_tp_dealloc".into())),
                    (RootKind::TypeSlot, Some("tp_dealloc".into()))
                ]
            );
            assert_eq!(kinds("exported_helper"), [(RootKind::Exported, None)]);
            let reach = graph.reach([id(graph, "free_m")]);
            assert!(reach.contains(id(graph, "clear_m")));
        });
    }

    #[test]
    fn unknown_creation_and_size() {
        let src = r#"
extern PyObject *make_module(void);
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "m", NULL, STATE_SIZE, NULL};
PyMODINIT_FUNC PyInit_a(void) { return make_module(); }
PyMODINIT_FUNC PyInit_b(void) { return PyModule_Create(&def); }
PyMODINIT_FUNC PyInit_c(void) { return PyModule_Create(&other_def); }
"#;
        with_graph(src, |graph, _| {
            let once: Vec<InitOnce> = graph.module_inits().iter().map(|i| i.once(graph)).collect();
            assert!(matches!(&once[0], InitOnce::Unknown(w) if w.contains("reaches neither")));
            assert!(matches!(&once[1], InitOnce::Unknown(w) if w.contains("STATE_SIZE")));
            assert!(matches!(&once[2], InitOnce::Unknown(w) if w.contains("other_def")));
        });
    }

    #[test]
    fn a_definition_in_a_macro_body() {
        let src = r#"
#if PY_MAJOR_VERSION >= 3
#define MOD_INIT(name) PyMODINIT_FUNC PyInit_##name(void)
#define MOD_DEF(ob, name, doc, methods) \
    static struct PyModuleDef moduledef = { \
        PyModuleDef_HEAD_INIT, name, doc, -1, methods, }; \
    ob = PyModule_Create(&moduledef);
#else
#define MOD_INIT(name) void init##name(void)
#define MOD_DEF(ob, name, doc, methods) ob = Py_InitModule3(name, methods, doc);
#endif
MOD_INIT(compat)
{
    PyObject *m;
    MOD_DEF(m, "compat", NULL, NULL)
    return m;
}
"#;
        with_graph(src, |graph, _| {
            let [init] = graph.module_inits() else {
                panic!("one init: {:?}", graph.functions())
            };
            assert_eq!(init.module, "compat");
            assert_eq!(
                init.once(graph),
                InitOnce::OncePerProcess("PyModule_Create, m_size -1".to_owned())
            );
        });
    }

    /// The init spellings of real extensions that the graph missed: an
    /// `INIT_MODULE(name)(void)` macro (psycopg2), a visibility macro
    /// before `PyMODINIT_FUNC` (zstandard), and a definition after a
    /// header's `#ifdef __cplusplus extern "C" { #endif`, which tree-sitter
    /// leaves open and turns into a parse error around the rest of the
    /// file (immutables, through pythoncapi_compat.h).
    #[test]
    fn module_inits_as_real_extensions_spell_them() {
        let inits = |src: &str| -> Vec<String> {
            let mut names = Vec::new();
            with_graph(src, |graph, _| {
                names = graph
                    .module_inits()
                    .iter()
                    .map(|i| i.module.clone())
                    .collect();
            });
            names
        };
        let src = "#define INIT_MODULE(m) PyInit_ ## m\n\
                   PyMODINIT_FUNC\nINIT_MODULE(_psycopg)(void)\n{\n    return PyModule_Create(&d);\n}\n";
        assert_eq!(inits(src), ["_psycopg"]);
        let src = "PYTHON_ZSTD_VISIBILITY PyMODINIT_FUNC PyInit_backend_c(void) {\n\
                   return PyModule_Create(&d);\n}\n";
        assert_eq!(inits(src), ["backend_c"]);
        let src = "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\
                   static int helper(void) { return 0; }\n\
                   #ifdef __cplusplus\n}\n#endif\n\
                   PyMODINIT_FUNC\nPyInit__map(void)\n{\n    return PyModule_Create(&d);\n}\n";
        assert_eq!(inits(src), ["_map"]);
    }

    /// A module init that a macro invocation defines whole, body included
    /// (the py2/py3 compatibility headers' `MODULE_INIT_FUNC(name)`): the
    /// init is found, named by the pasted name, reaches what the macro's
    /// body calls, and creates its module through it.
    #[test]
    fn module_inits_defined_whole_by_a_macro() {
        let describe = |src: &str| -> Vec<(String, Vec<String>, Vec<&'static str>)> {
            let mut out = Vec::new();
            with_graph(src, |graph, bytes| {
                out = graph
                    .module_inits()
                    .iter()
                    .map(|init| {
                        let reach = graph.reach([init.function]);
                        let reached = (0..graph.functions().len())
                            .filter(|&f| f != init.function && reach.contains(f))
                            .map(|f| graph.functions()[f].name.clone())
                            .collect();
                        let site = graph
                            .roots_of(RootKind::ModuleInit)
                            .find(|r| r.function == init.function)
                            .map(|r| r.site.utf8_text(bytes).unwrap().to_owned());
                        // The invoked macro's name, where the line starts.
                        let site = site.expect("a root");
                        assert!(src.contains(&format!("\n{site}(")), "{site}: {src}");
                        let apis = init.creations.iter().map(|c| c.api).collect();
                        (init.module.clone(), reached, apis)
                    })
                    .collect();
            });
            out
        };
        let header = "#if PY_MAJOR_VERSION >= 3\n\
                      #define MODULE_INIT_FUNC(name) \\\n    \
                      PyMODINIT_FUNC PyInit_ ## name(void); \\\n    \
                      PyMODINIT_FUNC PyInit_ ## name(void) { return moduleinit(); }\n\
                      #else\n\
                      #define MODULE_INIT_FUNC(name) \\\n    \
                      PyMODINIT_FUNC init ## name(void) { moduleinit(); }\n\
                      #endif\n";
        let module = "static PyObject *moduleinit(void) { return PyModule_Create(&def); }\n\
                      static PyObject *unused(void) { return NULL; }\n";
        // No `;` after the invocation (the file's last line), a `;`, and
        // more code after it.
        for tail in [
            "MODULE_INIT_FUNC(mm17)",
            "MODULE_INIT_FUNC(mm17);\n",
            "MODULE_INIT_FUNC(mm17)\nstatic int after(void) { return 0; }\n",
        ] {
            let src = format!("{header}{module}{tail}");
            assert_eq!(
                describe(&src),
                [(
                    "mm17".to_owned(),
                    vec!["moduleinit".to_owned()],
                    vec!["PyModule_Create"]
                )],
                "{src}"
            );
        }
        // Multi-phase, the definition's name pasted too, through a macro
        // in between.
        let src = "#define INIT_HEAD(n) PyMODINIT_FUNC PyInit_##n(void)\n\
                   #define MODULE_INIT_FUNC(n) INIT_HEAD(n) { return PyModuleDef_Init(&n##_def); }\n\
                   static int exec(PyObject *m) { return 0; }\n\
                   MODULE_INIT_FUNC(mm18)\n";
        assert_eq!(
            describe(src),
            [("mm18".to_owned(), vec![], vec!["PyModuleDef_Init"])]
        );
        // The callee's name pasted from the module's, the invocation read
        // as the type of the definition after it.
        let src =
            "#define DEFINE_INIT(n) PyMODINIT_FUNC PyInit_##n(void) { return n##_setup(); }\n\
                   static PyObject *pb_setup(void) { return PyModule_Create(&pb_def); }\n\
                   DEFINE_INIT(pb)\nstatic int after(void) { return 0; }\n";
        let found = describe(src);
        assert_eq!(
            found,
            [(
                "pb".to_owned(),
                vec!["pb_setup".to_owned()],
                vec!["PyModule_Create"]
            )],
            "{src}"
        );
        // A macro whose body is no definition (an initialiser's braces) is
        // no function.
        let src = "#define TABLE(n) static int n[] = {1, 2}\nTABLE(PyInit_x);\n";
        assert!(describe(src).is_empty());
    }

    /// Exec functions whose names a macro pastes, as a definition's head
    /// and as a slot's value: each is a root of kind `ModuleExec`.
    #[test]
    fn exec_functions_named_through_pasting_macros() {
        let exec_roots = |src: &str| -> Vec<String> {
            let mut names = Vec::new();
            with_graph(src, |graph, _| {
                names = graph
                    .roots_of(RootKind::ModuleExec)
                    .map(|r| graph.functions()[r.function].name.clone())
                    .collect();
            });
            names
        };
        let src = "#define DEFINE_EXEC(n) static int n##_exec(PyObject *module)\n\
                   DEFINE_EXEC(mm3)\n{\n    return 0;\n}\n\
                   static PyModuleDef_Slot slots[] = {{Py_mod_exec, mm3_exec}, {0, NULL}};\n";
        assert_eq!(exec_roots(src), ["mm3_exec"]);
        // The name built by a macro in between.
        let src = "#define NAME_OF(n) n ## _exec\n\
                   #define DEFINE_EXEC(n) static int NAME_OF(n)(PyObject *module)\n\
                   DEFINE_EXEC(mm4)\n{\n    return 0;\n}\n\
                   static PyModuleDef_Slot slots[] = {{Py_mod_exec, NAME_OF(mm4)}, {0, NULL}};\n";
        assert_eq!(exec_roots(src), ["mm4_exec"]);
        // The macro as the declarator, the slot through a cast and an
        // object-like macro.
        let src = "#define EXEC(m) m##_exec\n#define THE_EXEC EXEC(mm5)\n\
                   static int\nEXEC(mm5)(PyObject *m)\n{\n    return 0;\n}\n\
                   static PyModuleDef_Slot slots[] = {\n    {Py_mod_exec, (void *)THE_EXEC},\n    {0, NULL}\n};\n";
        assert_eq!(exec_roots(src), ["mm5_exec"]);
    }

    #[test]
    fn macro_expansion_pastes_stringizes_and_rescans() {
        let src = "#define CAT(a, b) a ## b\n#define STR(x) #x\n#define ID(x) x\n\
                   #define TWICE(x) ID(x) ID(x)\n#define SELF SELF + 1\n\
                   #define A(n) B(n)\n#define B(n) A(n##n)\n\
                   #define D0(x) x x\n#define D1(x) D0(D0(x))\n#define D2(x) D1(D1(x))\n\
                   #define D3(x) D2(D2(x))\n#define D4(x) D3(D3(x))\n";
        let mut parser = new_parser();
        let tree = parse(&mut parser, src.as_bytes()).unwrap();
        let macros = macros(tree.root_node(), src.as_bytes());
        let expand = |name: &str, arguments: Option<&str>| {
            expand_invocation(name, arguments, &macros).map(|t| t.join(" "))
        };
        assert_eq!(
            expand("CAT", Some("(foo, _exec)")).as_deref(),
            Some("foo_exec")
        );
        assert_eq!(expand("STR", Some("(a b)")).as_deref(), Some("\"a b\""));
        assert_eq!(
            expand("TWICE", Some("(CAT(x, y))")).as_deref(),
            Some("xy xy")
        );
        assert_eq!(expand("SELF", None).as_deref(), Some("SELF + 1"));
        assert_eq!(expand("CAT", Some("(one)")), None, "too few arguments");
        assert_eq!(expand("CAT", None), None, "no invocation");
        assert_eq!(expand("NOT_A_MACRO", None), None);
        // A macro inside its own expansion stays a name; one that grows
        // past the bound gives no answer.
        assert_eq!(expand("A", Some("(x)")).as_deref(), Some("A ( xx )"));
        assert_eq!(expand("D3", Some("(x)")).map(|t| t.len()), Some(511));
        assert_eq!(expand("D4", Some("(x)")), None);
    }

    /// What an exported helper creates, for an init in another unit.
    #[test]
    fn creations_reached_from_an_exported_helper() {
        let src = "static struct PyModuleDef d = {PyModuleDef_HEAD_INIT, \"m\", NULL, -1};\n\
                   static PyObject *build(void) { return PyModule_Create(&d); }\n\
                   PyObject *create_module(void) { return build(); }\n";
        with_graph(src, |graph, _| {
            let made = graph.creations_reached(id(graph, "create_module"));
            assert_eq!(made.len(), 1);
            assert_eq!(made[0].phase, InitPhase::Single);
            assert_eq!(made[0].def, Some(0));
            assert!(graph.creations_reached(id(graph, "build")).len() == 1);
        });
    }

    /// `static` spelled through a macro is internal linkage; a hidden
    /// symbol is still external (other units of the same module call it).
    #[test]
    fn linkage_through_py_local_and_the_units_macros() {
        let src = "#define LOCAL(type) static inline type\n\
                   Py_LOCAL(PyObject *) a(void) { return NULL; }\n\
                   Py_LOCAL_INLINE(PyObject *) b(void) { return NULL; }\n\
                   LOCAL(PyObject *) c(void) { return NULL; }\n\
                   __attribute__((visibility(\"hidden\"))) PyObject *d(void) { return NULL; }\n\
                   PyObject *e(void) { return NULL; }\n";
        with_graph(src, |graph, _| {
            let linkage = |name| graph.functions()[id(graph, name)].linkage;
            for name in ["a", "b", "c"] {
                assert_eq!(linkage(name), Linkage::Internal, "{name}");
            }
            for name in ["d", "e"] {
                assert_eq!(linkage(name), Linkage::External, "{name}");
            }
            let entries: Vec<_> = graph
                .outside_entries()
                .into_iter()
                .map(|f| graph.functions()[f].name.as_str())
                .collect();
            assert_eq!(entries, ["d", "e"]);
        });
    }

    /// Another unit's functions named in this unit's initialisers: who
    /// reads each table, and an object-like macro's own `#define` line is
    /// no use of what its body names.
    #[test]
    fn who_reads_an_initialiser_naming_another_units_function() {
        let src = r#"
#define OTHER_METHODDEF {"other", other_meth, METH_NOARGS, NULL},
#ifdef OTHER_METHODDEF
#endif
static PyMethodDef methods[] = {{"m", ext_meth, METH_NOARGS, NULL}, OTHER_METHODDEF {NULL}};
static PyModuleDef_Slot slots[] = {{Py_mod_exec, ext_exec}, {0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "m", NULL, 0, NULL, slots, NULL, NULL, ext_free};
static int (*const steps[])(PyObject *) = {ext_step, NULL};
static int (*const unread[])(PyObject *) = {ext_unread, NULL};
int (*exported[])(PyObject *) = {ext_exported, NULL};
static void *capi[] = {ext_capi};
static int run_steps(PyObject *m) { return steps[0](m); }
static PyObject *make_capsule(void) { return PyCapsule_New(capi, "m.capi", NULL); }
"#;
        with_graph(src, |graph, bytes| {
            let tree_root = graph.functions()[0].node.parent().unwrap();
            let names: Vec<String> = [
                "ext_meth",
                "other_meth",
                "ext_exec",
                "ext_free",
                "ext_step",
                "ext_unread",
                "ext_exported",
                "ext_capi",
            ]
            .map(str::to_owned)
            .to_vec();
            let readers: Vec<(&str, Readers)> = graph
                .uses_of(tree_root, bytes, &names)
                .into_iter()
                .map(|(name, node)| (name, graph.initialiser_readers(node, bytes)))
                .collect();
            let run_steps = id(graph, "run_steps");
            assert_eq!(
                readers,
                [
                    ("ext_meth", Readers::RunTime),
                    ("other_meth", Readers::RunTime),
                    ("ext_exec", Readers::RunTime),
                    ("ext_free", Readers::RunTime),
                    ("ext_step", Readers::Functions(vec![run_steps])),
                    ("ext_unread", Readers::Unknown),
                    ("ext_exported", Readers::Unknown),
                    ("ext_capi", Readers::Unknown),
                ]
            );
        });
    }

    /// A name defined more than MAX_TWINS times makes the graph overflow,
    /// empty: before, each of its N definitions' N references made an edge
    /// to every definition (N×N edges; 8,000 lines took 4 GB). At the
    /// bound it is built as before. Definitions a macro spells count, and
    /// so do the two kinds mixed.
    #[test]
    fn a_name_defined_too_many_times_overflows_the_graph() {
        let plain = |n: usize| "int f(void) { return f(); }\n".repeat(n);
        with_graph(&plain(MAX_TWINS), |graph, _| {
            assert_eq!(graph.overflow(), None);
            assert_eq!(graph.named("f").len(), MAX_TWINS);
            let edges: usize = graph.edges.iter().map(Vec::len).sum();
            assert_eq!(edges, MAX_TWINS * MAX_TWINS);
        });
        with_graph(&plain(MAX_TWINS + 1), |graph, _| {
            let overflow = Overflow::Twins {
                name: "f".to_owned(),
                count: MAX_TWINS + 1,
            };
            assert_eq!(graph.overflow(), Some(&overflow));
            assert!(graph.functions().is_empty() && graph.named("f").is_empty());
            assert_eq!(graph.edges.iter().map(Vec::len).sum::<usize>(), 0);
            assert!(graph.roots().is_empty());
        });
        let define = "#define DEF(n) static int n(void) { return n(); }\n";
        let spelled = format!("{define}{}", "DEF(g)\n".repeat(MAX_TWINS + 1));
        with_graph(&spelled, |graph, _| {
            let twins = |o: &Overflow| match o {
                Overflow::Twins { name, count } => Some((name.clone(), *count)),
                Overflow::Edges { .. } => None,
            };
            assert_eq!(graph.overflow().and_then(twins), Some(("g".to_owned(), 65)));
        });
        let half = MAX_TWINS / 2 + 1;
        let mixed = format!(
            "{define}{}{}",
            "static int g(void) { return g(); }\n".repeat(half),
            "DEF(g)\n".repeat(half)
        );
        with_graph(&mixed, |graph, _| {
            let message = graph.overflow().map(|o| o.to_string()).unwrap_or_default();
            let expected = format!("`g` is defined {} times", 2 * half);
            assert!(message.starts_with(&expected), "{message}");
        });
        // The largest group is named, the first of equals in source order.
        let two = format!("{}{}", "int b(void) { return 0; }\n".repeat(70), plain(70));
        with_graph(&two, |graph, _| {
            let message = graph.overflow().map(|o| o.to_string()).unwrap_or_default();
            assert!(message.starts_with("`b` is defined 70 times"), "{message}");
        });
    }

    /// Within the twins' bound, many names each defined 64 times still
    /// make 64 edges per use: past the budget of edges per byte of text the
    /// graph overflows too. Before, 2,000 such names (4.4 MB) made 8
    /// million edges, 1.2 GB and 11 s; 40 of them make 164,000 edges, over
    /// the least budget (100,000) for their 90 KB.
    #[test]
    fn a_graph_past_its_edge_budget_overflows() {
        let group = |k: usize| format!("int f{k}(void) {{ return f{k}(); }}\n").repeat(MAX_TWINS);
        let src: String = (0..40).map(group).collect();
        with_graph(&src, |graph, _| {
            assert!(
                matches!(
                    graph.overflow(),
                    Some(Overflow::Edges {
                        budget: 100_000,
                        ..
                    })
                ),
                "{:?}",
                graph.overflow()
            );
            assert!(graph.functions().is_empty());
        });
        let src: String = (0..20).map(group).collect();
        with_graph(&src, |graph, _| {
            assert_eq!(graph.overflow(), None);
            assert_eq!(graph.functions().len(), 20 * MAX_TWINS);
        });
    }

    #[test]
    fn integers() {
        assert_eq!(parse_integer("-1"), Some(-1));
        assert_eq!(parse_integer("0x10UL"), Some(16));
        assert_eq!(parse_integer("010"), Some(8));
        assert_eq!(parse_integer("0"), Some(0));
        assert_eq!(parse_integer("x"), None);
    }
}
