//! Who owns the reference a write stores in a static: proven from facts,
//! never assumed. An owning slot releases what it holds when its
//! interpreter finalises, so a fix is safe only when the stored value is
//! provably a new reference (the slot may own it as it is), or provably a
//! borrowed one (the slot takes its own with `Py_XNewRef`). Anything else
//! is unknown, and the fix unsafe with the reason naming the expression.
//!
//! A value is followed through the forms C code stores:
//!
//! * a call: `Py_NewRef`/`Py_XNewRef` (new); a function or macro of the C
//!   API, as CPython's reference data says ([`refcounts::lookup`]); a
//!   function of the translation unit, by what every one of its `return`s
//!   hands over (recursively, at most [`MAX_DEPTH`] calls deep), also one
//!   that a macro invocation at file scope defines whole
//!   (`DEFINE_GETTER(get_x, …)`), read from the invocation's expansion; a
//!   function-like macro of the unit, by its expansion;
//! * a name: a local, by every value it took before the store (new when a
//!   `Py_INCREF` of it lies between); a variable of the unit or a static
//!   (borrowed: it keeps its own reference); an object-like macro of the
//!   unit, by its expansion; a C API object such as `Py_None` or
//!   `PyExc_ValueError` (borrowed);
//! * `a->b`, `a.b`, `a[i]`, `*p`, `&x` (borrowed: the struct, array or
//!   object holds the reference); a cast or parentheses (what is inside);
//!   `c ? a : b` (both arms; one new and one borrowed makes the borrowed arm
//!   take its own reference); `NULL` (nothing to own).
//!
//! Anything else (a call of a function that is neither in the data nor in
//! the unit, a call through a pointer, a parameter, arithmetic) is unknown.
//! The idea of judging ownership by CPython's own annotations is the one
//! of CPython's `Doc/data/refcounts.dat` and of cpychecker (gcc-python-
//! plugin's reference-count checker), which reads the same kind of table.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};

use tree_sitter::{Node, Parser};

use crate::analysis::analyze::FileAnalysis;
use crate::analysis::callgraph;
use crate::analysis::classify::innermost_name as declared_name;
use crate::analysis::parse::{self, HasNodeId};
use crate::analysis::scope::SymbolId;
use crate::diagnostic::Span;
use crate::fix::refcounts::{self, Listed, Return};

mod beside;
mod exits;
mod expansion;
mod give_away;
pub(crate) mod increfs;
mod macro_writes;
mod python3;

pub(crate) use exits::Exit;
use increfs::{Effect, ParameterEffect, Target};

/// How many calls or macro expansions deep a value is followed.
pub(crate) const MAX_DEPTH: usize = 6;

/// How many values deep one value is followed: each arm of a conditional,
/// argument of a macro, value a local took and `return` of a helper is one
/// level below the value it makes up (casts, parentheses, the right of a
/// comma or an assignment are no level: they are read in a loop). Deeper
/// is unknown: the recursion must not outgrow a worker thread's stack,
/// whatever the input nests (10,000 nested casts aborted the run).
pub(crate) const MAX_NESTING: usize = 64;

/// How much work the ownership of one stored value may take: each value
/// followed is a step, and each syntax node read to find the values a
/// local took two (the block is read again for each local in a chain, and
/// a local reassigned as `t = a ? t : t;` doubles the values behind it at
/// each line: 60,000 such lines ran for minutes). More is unknown. A
/// function of 5,000 lines, about 100,000 nodes, is read some ten times.
pub(crate) const MAX_STEPS: usize = 2_000_000;

/// What a store hands the slot, and what the rewrite must do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Stored {
    /// The slot owns what is stored as it is: a new reference, NULL, or a
    /// borrowed one made strong beside the store. The note says which rule
    /// decided, when it is worth saying.
    Owned(Option<String>),
    /// Borrowed: the slot takes its own reference with `Py_XNewRef` around
    /// each of `wraps` (byte spans of the analysed text: the whole value,
    /// or the borrowed arms of a conditional). The note says why.
    Borrowed { wraps: Vec<Span>, note: String },
    /// Not known: why, naming the expression.
    Unknown(String),
}

/// What an expression hands over.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Own {
    /// A new reference; the rule that said so.
    New(String),
    /// NULL: nothing to own.
    Null,
    /// A borrowed reference; why.
    Borrowed(String),
    /// New on some paths, borrowed on others: the borrowed parts (spans of
    /// the analysed text), each of which can take its own reference.
    Mixed(Vec<Span>),
    /// Not known; why.
    Unknown(String),
}

/// The expression whose value `node` is, past the casts, parentheses,
/// comma operators and assignments (`(T *)(a, v = x)` is `x`) around it,
/// read in a loop however many there are; `Err` with the parentheses
/// when they hold nothing.
fn what_is_stored(mut node: Node) -> Result<Node, Node> {
    loop {
        let inner = match node.kind() {
            "parenthesized_expression" => Some(
                node.named_child(0)
                    .filter(|inner| inner.kind() != "comment")
                    .ok_or(node)?,
            ),
            "cast_expression" => node.child_by_field_name("value"),
            "comma_expression" => node.child_by_field_name("right"),
            "assignment_expression"
                if node.child_by_field_name("operator").map(|o| o.kind()) == Some("=") =>
            {
                node.child_by_field_name("right")
            }
            _ => None,
        };
        match inner {
            Some(inner) => node = inner,
            None => return Ok(node),
        }
    }
}

/// Why a call's name is not followed to one function through the unit's
/// renaming macros.
enum Unrenamed {
    /// Not known: why.
    Why(String),
    /// A macro (the first) defined in several `#if` branches, each naming
    /// a function (the second): the call is each of theirs.
    Branches(String, Vec<String>),
}

/// A macro of the translation unit: its first definition that some
/// Python 3 build compiles, and all of those.
struct Macro {
    /// The parameters of a function-like macro; `None` for an object-like one.
    parameters: Option<Vec<String>>,
    body: String,
    /// How many times the unit defines it (in `#if` branches, say), a
    /// definition in a branch that no Python 3 build compiles left out.
    definitions: usize,
    /// Each of those definitions (parameters and body), in text order,
    /// when there are more than one.
    alternatives: Vec<(Option<Vec<String>>, String)>,
}

/// A function that a macro invocation at file scope defines whole.
struct Spelled {
    /// The invoked macro.
    macro_name: String,
    /// Where the invocation starts in the unit's text.
    at: usize,
    /// The texts the invocation expands to (one for each combination of
    /// the definitions of the macros it reaches), or why it cannot be
    /// expanded.
    expansions: Result<Vec<String>, String>,
}

/// The scope an expression is read in.
#[derive(Clone, Copy)]
struct Scope<'e, 'p> {
    /// The text the nodes index.
    bytes: &'e [u8],
    /// The function whose locals are visible (`None` in a macro's
    /// expansion, which sees only file scope and its parameters).
    function: Option<Node<'e>>,
    /// A macro expansion's parameters, as their arguments evaluate.
    parameters: Option<&'p HashMap<String, Own>>,
    /// The static being stored: a read of it hands the slot nothing new
    /// (NULL under its guard, else what the slot already owns).
    storing: Option<SymbolId>,
    /// How many calls or macro expansions deep (at most [`MAX_DEPTH`]).
    depth: usize,
    /// How many values deep (at most [`MAX_NESTING`]).
    nesting: usize,
    /// Where the nodes come from: `None`, the unit's text; `Some(at)`, the
    /// expansion of a macro invocation that defines a function (see
    /// [`Unit::spelled`]), which starts at byte `at` of the unit's text
    /// (the line reasons cite).
    origin: Option<usize>,
}

/// The facts of one translation unit that ownership is decided from: its
/// functions, macros and file-scope names. Made once per planned file.
pub(crate) struct Unit<'a, 't> {
    file: &'a FileAnalysis<'a, 't>,
    functions: HashMap<&'a [u8], Node<'t>>,
    macros: HashMap<String, Macro>,
    file_scope: HashSet<&'a [u8]>,
    /// What each function of the unit returns, once computed.
    returns: RefCell<HashMap<Vec<u8>, Own>>,
    /// The functions that macro invocations define, by name, once read
    /// (see [`Unit::spelled`]).
    spelled: RefCell<Option<HashMap<String, std::rc::Rc<Spelled>>>>,
    /// Functions being followed (a recursion returns unknown).
    following: RefCell<HashSet<Vec<u8>>>,
    /// How each function of the unit returns (an error or not), once
    /// computed, by the function's node id; `None` while being computed.
    exits: RefCell<HashMap<usize, Option<Exit>>>,
    parser: RefCell<Option<Parser>>,
    /// What each function of the unit does to the reference count of its
    /// parameters, by the function's node id and the parameter's position.
    parameter_effects: RefCell<HashMap<(usize, usize), ParameterEffect>>,
    /// The functions (and parameters) whose effect is being read: a
    /// recursion reads no further.
    visiting: RefCell<HashSet<(usize, usize)>>,
    /// What each function of the unit does to the reference count of a
    /// file-scope static it names, by the function's node id and the
    /// static.
    static_effects: RefCell<HashMap<(usize, SymbolId), Effect>>,
    /// Whether a function of the unit steals its argument at a position
    /// (see [`Unit::steals`]), by name and position, once read.
    stealers: RefCell<HashMap<(String, usize), Option<String>>>,
    /// Where each static is given away and made strong, once read (see
    /// [`Unit::given_after`]).
    ledgers: RefCell<HashMap<SymbolId, std::rc::Rc<give_away::Ledger<'t>>>>,
    /// Whether each function (by node id) returns new references, once
    /// read (see [`Unit::given_after`]).
    new_returners: RefCell<HashMap<usize, bool>>,
    /// How many values the current stored value has followed (at most
    /// [`MAX_STEPS`]).
    steps: Cell<usize>,
    /// The unit's calls by callee name, read on first need (see
    /// [`Unit::increfed_by_callers`]).
    calls: std::cell::OnceCell<HashMap<&'a [u8], Vec<Node<'t>>>>,
    /// The declarations of each block of the unit's tree, by the block's
    /// node id, once read (see [`Unit::declaration_of`]).
    declared: RefCell<HashMap<usize, std::rc::Rc<BlockDeclarations>>>,
    /// The copies between locals in each block of the unit's tree, by the
    /// block's node id, once read (see [`Unit::copies_before`]).
    copies: RefCell<HashMap<usize, std::rc::Rc<Vec<beside::LocalCopy>>>>,
}

impl<'a, 't> Unit<'a, 't> {
    /// Collects the unit's functions, macros and file-scope names.
    pub(crate) fn new(file: &'a FileAnalysis<'a, 't>) -> Unit<'a, 't> {
        let bytes: &'a [u8] = &file.source.bytes;
        let functions = parse::function_definitions(file.root, bytes);
        // (start byte, name, parameters, body) of each `#define`.
        let mut definitions: Vec<(usize, String, Option<Vec<String>>, String)> = Vec::new();
        for keyword in parse::keyword_tokens(file.root, bytes, &["#define"]) {
            let Some(node) = keyword
                .parent
                .filter(|n| matches!(n.kind(), "preproc_def" | "preproc_function_def"))
            else {
                continue;
            };
            let text = |n: Node| n.utf8_text(bytes).unwrap_or("").to_owned();
            let Some(name) = node.child_by_field_name("name").map(text) else {
                continue;
            };
            let parameters = node.child_by_field_name("parameters").map(|p| {
                let mut cursor = p.walk();
                let mut parameters: Vec<String> = p
                    .named_children(&mut cursor)
                    .map(|a| {
                        if a.kind() == "identifier" {
                            text(a)
                        } else {
                            "...".to_owned()
                        }
                    })
                    .collect();
                // `(fmt, ...)`: tree-sitter gives the `...` as no named
                // node, and the macro takes variable arguments all the same.
                let spelled = text(p);
                let before = spelled
                    .trim_end_matches(')')
                    .trim_end()
                    .strip_suffix("...")
                    .map(str::trim_end);
                if parameters.last().is_none_or(|l| l != "...")
                    && before.is_some_and(|b| b.ends_with(',') || b.ends_with('('))
                {
                    parameters.push("...".to_owned());
                }
                parameters
            });
            let body = node
                .child_by_field_name("value")
                .map(text)
                .unwrap_or_default();
            definitions.push((node.start_byte(), name, parameters, body));
        }
        // The definitions by name, for the conditions around them.
        let mut defines: HashMap<&str, Vec<python3::Define>> = HashMap::new();
        for (start, name, _, body) in &definitions {
            defines
                .entry(name.as_str())
                .or_default()
                .push(python3::Define {
                    start: *start,
                    body: body.as_str(),
                });
        }
        // The `#undef` lines of the names defined more than once.
        let undefs = undefined_names(bytes, &defines);
        let mut macros: HashMap<String, Macro> = HashMap::new();
        let mut read = 0usize;
        for (start, name, parameters, body) in &definitions {
            // A name defined more than once: a definition that no Python 3
            // build compiles (`#else` of `#if PY_MAJOR_VERSION >= 3`) is
            // none of its meanings. Each costs a read of the text before
            // it: past [`python3::MAX_READS`], a definition counts.
            let count = defines[name.as_str()].len();
            if (2..=python3::MAX_DEFINITIONS).contains(&count) && read < python3::MAX_READS {
                read += 1;
                if !python3::compiled_by_python3(bytes, *start, &defines) {
                    continue;
                }
                if let Some(undefs) = undefs.get(name.as_str()) {
                    if python3::ended_for_python3(bytes, *start, name, undefs, &defines) {
                        continue;
                    }
                }
            }
            let alternative = (parameters.clone(), body.clone());
            macros
                .entry(name.clone())
                .and_modify(|m| {
                    m.definitions += 1;
                    m.alternatives.push(alternative.clone());
                })
                .or_insert(Macro {
                    parameters: parameters.clone(),
                    body: body.clone(),
                    definitions: 1,
                    alternatives: vec![alternative],
                });
        }
        let mut file_scope = HashSet::new();
        let mut pending = vec![file.root];
        while let Some(node) = pending.pop() {
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                match child.kind() {
                    "declaration" => {
                        let mut cursor = child.walk();
                        for d in child.children_by_field_name("declarator", &mut cursor) {
                            if let Some(name) = declared_name(d) {
                                file_scope.insert(&bytes[name.start_byte()..name.end_byte()]);
                            }
                        }
                    }
                    k if k.starts_with("preproc_")
                        || k == "linkage_specification"
                        || k == "declaration_list" =>
                    {
                        pending.push(child)
                    }
                    _ => {}
                }
            }
        }
        Unit {
            file,
            functions,
            macros,
            file_scope,
            returns: RefCell::new(HashMap::new()),
            spelled: RefCell::new(None),
            following: RefCell::new(HashSet::new()),
            exits: RefCell::new(HashMap::new()),
            parser: RefCell::new(None),
            parameter_effects: RefCell::new(HashMap::new()),
            visiting: RefCell::new(HashSet::new()),
            static_effects: RefCell::new(HashMap::new()),
            stealers: RefCell::new(HashMap::new()),
            ledgers: RefCell::new(HashMap::new()),
            new_returners: RefCell::new(HashMap::new()),
            steps: Cell::new(0),
            calls: std::cell::OnceCell::new(),
            declared: RefCell::new(HashMap::new()),
            copies: RefCell::new(HashMap::new()),
        }
    }

    /// The functions of the unit by name (the first definition of each).
    pub(crate) fn functions(&self) -> &HashMap<&'a [u8], Node<'t>> {
        &self.functions
    }

    /// What the write `write` (an assignment to the static `symbol`)
    /// hands the slot. A write that is not a plain `=` assignment (an
    /// initialising call `init(&v)`, a macro) is judged where it is
    /// recognised, not here: `Owned(None)`.
    pub(crate) fn stored(&self, symbol: SymbolId, write: Node<'t>) -> Stored {
        let bytes: &[u8] = &self.file.source.bytes;
        let plain = write.kind() == "assignment_expression"
            && write.child_by_field_name("operator").map(|o| o.kind()) == Some("=");
        let Some(value) = write.child_by_field_name("right").filter(|_| plain) else {
            return Stored::Owned(None);
        };
        let scope = Scope {
            bytes,
            function: parse::enclosing_function(write),
            parameters: None,
            storing: Some(symbol),
            depth: 0,
            nesting: 0,
            origin: None,
        };
        self.steps.set(0);
        let own = self.eval(value, scope);
        let what = describe(value, bytes);
        // A local whose reference goes somewhere else too.
        let leaves = self.local_leaves(symbol, write, value);
        match own {
            Own::New(_) | Own::Null => match leaves {
                Some(why) => Stored::Unknown(format!(
                    "ownership: `{what}` is stored, but {why}, so the slot may not hold a \
                     reference of its own"
                )),
                None => Stored::Owned(None),
            },
            other => {
                // The reference ledger: what the incref beside the store
                // gains, a give-away right after takes (`Py_INCREF(hook);
                // return hook;`), and the slot then owns none of its own.
                let mut handed_on = None;
                match self.increfed_around(symbol, write, value) {
                    Ok(Some((incref, before, handed))) => {
                        // `first = tmp; second = tmp; Py_INCREF(tmp);`: one
                        // reference, two holders.
                        if let Some(why) = leaves.as_ref().filter(|w| w.contains(STORED_TOO)) {
                            return Stored::Unknown(format!(
                                "ownership: `{what}` is made strong by the {incref}, but {why}, \
                                 so that reference may be the other holder's: oncevar cannot \
                                 tell whether the slot would own one reference or none"
                            ));
                        }
                        match self
                            .given_after(symbol, write, before)
                            .or(handed)
                            .or(leaves)
                        {
                            None => {
                                return Stored::Owned(Some(format!(
                                    "ownership: `{what}` is made strong by the {incref}, so the \
                                     slot owns it as it is"
                                )));
                            }
                            Some(why) => {
                                handed_on = Some(format!("; the {incref} is handed on: {why}"))
                            }
                        }
                    }
                    Err(why) => {
                        return Stored::Unknown(format!(
                            "ownership: `{what}` is stored, and {why}: oncevar cannot tell \
                             whether the slot would own one reference or two"
                        ));
                    }
                    Ok(None) => {}
                }
                match other {
                    Own::Borrowed(why) => Stored::Borrowed {
                        wraps: vec![Span::of(value)],
                        note: format!(
                            "ownership: `{what}` is a borrowed reference ({why}{}), so the slot \
                             takes a strong one (`Py_XNewRef`)",
                            handed_on.as_deref().unwrap_or("")
                        ),
                    },
                    Own::Mixed(wraps) => {
                        let arms: Vec<String> = wraps
                            .iter()
                            .map(|s| format!("`{}`", short(&bytes[s.start..s.end])))
                            .collect();
                        Stored::Borrowed {
                            note: format!(
                                "ownership: `{what}` is a new reference on one path and a \
                                 borrowed one on another, so the borrowed {} takes a strong \
                                 one (`Py_XNewRef`)",
                                arms.join(" and ")
                            ),
                            wraps,
                        }
                    }
                    Own::Unknown(why) => Stored::Unknown(format!(
                        "ownership: `{what}` is stored, and {why}: oncevar cannot tell whether \
                         the slot, which releases what it holds when its interpreter finalises, \
                         would own a reference"
                    )),
                    Own::New(_) | Own::Null => unreachable!("matched above"),
                }
            }
        }
    }

    /// What a value stored through a helper's slot parameter (`*slot =
    /// value` in `helper`) hands over: `None` when a new reference (or
    /// NULL), else why not.
    pub(crate) fn stored_through(&self, helper: Node<'t>, value: Node<'t>) -> Option<String> {
        let scope = Scope {
            bytes: &self.file.source.bytes,
            function: Some(helper),
            parameters: None,
            storing: None,
            depth: 0,
            nesting: 0,
            origin: None,
        };
        let what = describe(value, &self.file.source.bytes);
        self.steps.set(0);
        match self.eval(value, scope) {
            Own::New(_) | Own::Null => None,
            Own::Borrowed(why) => Some(format!("`{what}` is a borrowed reference ({why})")),
            Own::Mixed(_) => Some(format!(
                "`{what}` is a new reference on one path and a borrowed one on another"
            )),
            Own::Unknown(why) => Some(format!("the ownership of `{what}` is not known ({why})")),
        }
    }

    /// What `node` hands over, read in `scope`: one level deeper than the
    /// value it is part of (see [`MAX_NESTING`]).
    fn eval<'e>(&self, node: Node<'e>, scope: Scope<'e, '_>) -> Own {
        let bytes = scope.bytes;
        let text = |n: Node| n.utf8_text(bytes).unwrap_or("");
        if scope.depth > MAX_DEPTH {
            return Own::Unknown(format!(
                "`{}` is more than {MAX_DEPTH} calls or macros deep",
                short(text(node).as_bytes())
            ));
        }
        if scope.nesting >= MAX_NESTING {
            return Own::Unknown(format!(
                "`{}` is more than {MAX_NESTING} values deep",
                short(text(node).as_bytes())
            ));
        }
        self.steps.set(self.steps.get() + 1);
        if self.steps.get() > MAX_STEPS {
            return Own::Unknown(format!(
                "`{}` lies behind more than {MAX_STEPS} values",
                short(text(node).as_bytes())
            ));
        }
        let scope = Scope {
            nesting: scope.nesting + 1,
            ..scope
        };
        let node = match what_is_stored(node) {
            Ok(node) => node,
            Err(empty) => return Own::Unknown(format!("`{}` is empty", text(empty))),
        };
        match node.kind() {
            "null" => Own::Null,
            "number_literal" if text(node) == "0" => Own::Null,
            "identifier" => self.name(node, scope),
            "call_expression" => self.call(node, scope),
            "field_expression" => Own::Borrowed("a struct member read".to_owned()),
            "subscript_expression" => Own::Borrowed("an element of an array".to_owned()),
            "pointer_expression" => match node.child_by_field_name("operator").map(|o| o.kind()) {
                Some("&") => Own::Borrowed(format!(
                    "the address of `{}`",
                    node.child_by_field_name("argument").map_or("", text)
                )),
                _ => Own::Borrowed("a read through a pointer".to_owned()),
            },
            "conditional_expression" => {
                let arms: Vec<Node<'e>> = [
                    node.child_by_field_name("consequence")
                        .or(node.child_by_field_name("condition")),
                    node.child_by_field_name("alternative"),
                ]
                .into_iter()
                .flatten()
                .collect();
                let mut all = Own::Null;
                for arm in arms {
                    let own = self.eval(arm, scope);
                    all = combine(all, own, Span::of(arm), scope.function.is_none());
                }
                all
            }
            _ => unknown_shape(node, bytes),
        }
    }

    /// A name read as a value.
    fn name<'e>(&self, node: Node<'e>, scope: Scope<'e, '_>) -> Own {
        let bytes = scope.bytes;
        let name = node.utf8_text(bytes).unwrap_or("");
        if let Some(own) = scope.parameters.and_then(|p| p.get(name)) {
            return own.clone();
        }
        if scope.storing.is_some()
            && scope.function.is_some()
            && scope
                .storing
                .is_some_and(|symbol| self.file.resolution.refers_to(node.node_id(), symbol))
        {
            return Own::Null;
        }
        if let Some(function) = scope.function {
            match self.declaration_of(node, name.as_bytes(), bytes) {
                Some((LocalKind::Parameter, _)) => {
                    return Own::Unknown(format!(
                        "`{name}` is a parameter of `{}`, whose callers decide what it holds",
                        parse::function_name(function, bytes).unwrap_or("its function")
                    ))
                }
                Some((LocalKind::Static, _)) => {
                    return Own::Borrowed(format!(
                        "`{name}` is read from a static, which keeps its own reference"
                    ))
                }
                Some((LocalKind::Automatic, block)) => return self.local(node, block, scope),
                None => {}
            }
        }
        if let Some(m) = self.macros.get(name) {
            if m.parameters.is_none() {
                return self.expand(name, m, &[], scope);
            }
        }
        if self.file_scope.contains(name.as_bytes()) {
            return Own::Borrowed(format!(
                "`{name}` is read from a variable, which keeps its own reference"
            ));
        }
        self.listed(
            name,
            "`{}` is declared neither in this translation unit nor in",
        )
    }

    /// What CPython's reference data says of `name`, as an `Own`; `absent`
    /// says what it is when the data does not list it (`{}` for the name).
    fn listed(&self, name: &str, absent: &str) -> Own {
        match refcounts::lookup(name) {
            Listed::Known(Return::New) => Own::New(format!(
                "by CPython's reference data and headers, `{name}` gives a new reference"
            )),
            Listed::Known(Return::Borrowed) => Own::Borrowed(format!(
                "by CPython's reference data and headers, `{name}` is borrowed"
            )),
            Listed::Known(Return::Null) => Own::Null,
            Listed::Unknown(versions) => Own::Unknown(format!(
                "CPython's reference data does not agree on `{name}` ({versions})"
            )),
            Listed::Absent => Own::Unknown(format!(
                "{} CPython's reference data ({})",
                absent.replace("{}", name),
                refcounts::versions()
            )),
        }
    }

    /// A call used as a value.
    fn call<'e>(&self, node: Node<'e>, scope: Scope<'e, '_>) -> Own {
        let bytes = scope.bytes;
        let Some(callee) = node.child_by_field_name("function") else {
            return unknown_shape(node, bytes);
        };
        let name = callee.utf8_text(bytes).unwrap_or("");
        if callee.kind() != "identifier" {
            return Own::Unknown(format!(
                "`{}` is a call through `{}`, whose ownership is not known",
                short(node.utf8_text(bytes).unwrap_or("").as_bytes()),
                short(name.as_bytes())
            ));
        }
        if matches!(
            name,
            "Py_NewRef" | "Py_XNewRef" | "_Py_NewRef" | "_Py_XNewRef"
        ) {
            return Own::New(format!("`{name}` returns a new reference"));
        }
        self.call_named(name, node, scope, 0)
    }

    /// A call of `name` (`node`), reached through `hops` renamings of
    /// macros defined in several `#if` branches.
    fn call_named<'e>(&self, name: &str, node: Node<'e>, scope: Scope<'e, '_>, hops: usize) -> Own {
        let (name, aliases) = match self.renamed(name) {
            Ok(renamed) => renamed,
            Err(Unrenamed::Why(why)) => return Own::Unknown(why),
            Err(Unrenamed::Branches(alias, targets)) => {
                if hops >= MAX_NESTING {
                    return Own::Unknown(format!(
                        "`{alias}` is called, a macro renamed in #if branches too many times over"
                    ));
                }
                let owns = targets
                    .iter()
                    .map(|t| self.call_named(t, node, scope, hops + 1))
                    .collect();
                return agree(&format!("macro `{alias}`"), owns);
            }
        };
        let own = if let Some(m) = self.macros.get(name).filter(|m| m.parameters.is_some()) {
            self.expand(name, m, &arguments(node), scope)
        } else if let Some(&function) = self.functions.get(name.as_bytes()) {
            self.helper(name, function, scope)
        } else if let Some(spelled) = self.spelled(name) {
            self.spelled_helper(name, &spelled, scope)
        } else {
            self.listed(
                name,
                "`{}` is called, a function that is defined neither in this translation unit \
                 nor in",
            )
        };
        if aliases.is_empty() {
            return own;
        }
        let renamed = format!("macro {} names `{name}`", aliases.join(", then "));
        match own {
            Own::New(why) => Own::New(format!("{renamed}: {why}")),
            Own::Borrowed(why) => Own::Borrowed(format!("{renamed}: {why}")),
            Own::Unknown(why) => Own::Unknown(format!("{renamed}, and {why}")),
            other => other,
        }
    }

    /// The name a call of `name` reaches through the unit's object-like
    /// macros that only rename (`#define Bytes_FromString
    /// PyBytes_FromString`, the py2/py3 `PyInt_FromLong` aliases), and
    /// those macros, quoted, in the order followed. At most
    /// [`MAX_NESTING`] renamings, none twice. A macro defined in several
    /// `#if` branches that some Python 3 build compiles, naming different
    /// functions, is an error: [`Unrenamed::Branches`] with the functions
    /// when each definition names one, [`Unrenamed::Why`] otherwise.
    fn renamed<'n>(&'n self, mut name: &'n str) -> Result<(&'n str, Vec<String>), Unrenamed> {
        let mut aliases: Vec<String> = Vec::new();
        while aliases.len() < MAX_NESTING {
            let Some(m) = self.macros.get(name).filter(|m| m.parameters.is_none()) else {
                break;
            };
            let Some(target) =
                Some(m.body.trim()).filter(|body| callgraph::is_identifier(body) && *body != name)
            else {
                break;
            };
            if m.definitions > 1 && m.alternatives.iter().any(|(_, b)| b.trim() != target) {
                // Each definition names a function: the call is each one's.
                let targets: Option<Vec<String>> = m
                    .alternatives
                    .iter()
                    .map(|(p, b)| {
                        let b = b.trim();
                        (p.is_none() && callgraph::is_identifier(b) && b != name)
                            .then(|| b.to_owned())
                    })
                    .collect();
                return Err(match targets {
                    Some(targets) if m.definitions <= python3::MAX_DEFINITIONS => {
                        Unrenamed::Branches(name.to_owned(), targets)
                    }
                    _ => Unrenamed::Why(format!(
                        "`{name}` is called, a macro that this translation unit defines more \
                         than once, not each time as the name of a function, so which function \
                         it names is not known"
                    )),
                });
            }
            let quoted = format!("`{name}`");
            if aliases.contains(&quoted) {
                break;
            }
            aliases.push(quoted);
            name = target;
        }
        Ok((name, aliases))
    }

    /// What a function of the unit returns: what every `return` in it
    /// hands over (see [`Unit::returns_of`]), once per name.
    fn helper(&self, name: &str, function: Node<'t>, outer: Scope<'_, '_>) -> Own {
        self.returns_once(name, || {
            let scope = Scope {
                bytes: &self.file.source.bytes,
                function: Some(function),
                parameters: None,
                storing: None,
                depth: outer.depth + 1,
                nesting: outer.nesting,
                origin: None,
            };
            self.returns_of(name, function, scope)
        })
    }

    /// What `read` says the function `name` returns, read once: later
    /// calls get the first answer, a call while it is being read (a
    /// recursion) unknown.
    fn returns_once(&self, name: &str, read: impl FnOnce() -> Own) -> Own {
        if let Some(own) = self.returns.borrow().get(name.as_bytes()) {
            return own.clone();
        }
        if !self.following.borrow_mut().insert(name.as_bytes().to_vec()) {
            return Own::Unknown(format!("`{name}` calls itself"));
        }
        let own = read();
        self.following.borrow_mut().remove(name.as_bytes());
        self.returns
            .borrow_mut()
            .insert(name.as_bytes().to_vec(), own.clone());
        own
    }

    /// What a function that a macro invocation of the unit defines returns
    /// (`DEFINE_GETTER(get_x, "mod", "x")` with `#define
    /// DEFINE_GETTER(name, mod, attr) static PyObject *name(void) { …
    /// return PyObject_GetAttrString(m, attr); }`): the macro's expansion,
    /// its arguments pasted in, read as the function (each expansion when
    /// the macros it reaches are defined in several `#if` branches, which
    /// must agree). Once per name.
    fn spelled_helper(&self, name: &str, spelled: &Spelled, outer: Scope<'_, '_>) -> Own {
        self.returns_once(name, || self.read_spelled(name, spelled, outer))
    }

    /// [`Unit::spelled_helper`], unremembered.
    fn read_spelled(&self, name: &str, spelled: &Spelled, outer: Scope<'_, '_>) -> Own {
        let line = self.file.source.file_line(spelled.at);
        let by = format!(
            "`{name}` is defined by macro `{}` (line {line})",
            spelled.macro_name
        );
        let mut owns: Vec<Own> = match &spelled.expansions {
            Err(why) => vec![Own::Unknown(format!(
                "{by}, whose expansion oncevar cannot read: {why}"
            ))],
            Ok(texts) => texts
                .iter()
                .map(|text| {
                    let Some(tree) = self.parse_expansion(text) else {
                        return Own::Unknown(format!("{by}, whose expansion could not be parsed"));
                    };
                    let root = tree.root_node();
                    let functions = parse::function_definitions(root, text.as_bytes());
                    let Some(&function) =
                        functions.get(name.as_bytes()).filter(|_| !root.has_error())
                    else {
                        return Own::Unknown(format!(
                            "{by}, whose expansion is no function definition oncevar can read"
                        ));
                    };
                    let scope = Scope {
                        bytes: text.as_bytes(),
                        function: Some(function),
                        parameters: None,
                        storing: None,
                        depth: outer.depth + 1,
                        nesting: outer.nesting,
                        origin: Some(spelled.at),
                    };
                    self.returns_of(name, function, scope)
                })
                .collect(),
        };
        let own = if owns.len() == 1 {
            owns.swap_remove(0)
        } else {
            agree(&format!("macro `{}`", spelled.macro_name), owns)
        };
        match own {
            Own::New(why) => Own::New(format!("{by}: {why}")),
            Own::Borrowed(why) => Own::Borrowed(format!("{by}: {why}")),
            Own::Unknown(why) if why.starts_with(&by) => Own::Unknown(why),
            Own::Unknown(why) => Own::Unknown(format!("{by}, and {why}")),
            other => other,
        }
    }

    /// The macro invocation at file scope that defines the function `name`
    /// whole (its first), if any. The invocations are read once, on the
    /// first call of a name that the unit neither defines nor has as a
    /// macro: each item at file scope that starts with a function-like
    /// macro of the unit whose body, or that of a macro it names (a few
    /// levels), holds a `{`, expanded with its arguments.
    fn spelled(&self, name: &str) -> Option<std::rc::Rc<Spelled>> {
        if let Some(index) = self.spelled.borrow().as_ref() {
            return index.get(name).cloned();
        }
        let bytes: &[u8] = &self.file.source.bytes;
        let mut index: HashMap<String, std::rc::Rc<Spelled>> = HashMap::new();
        for item in callgraph::file_scope_items(self.file.root) {
            let at = item.start_byte();
            let length = bytes[at..]
                .iter()
                .take_while(|b| crate::scan::lexer::is_ident(**b))
                .count();
            let Ok(macro_name) = std::str::from_utf8(&bytes[at..at + length]) else {
                continue;
            };
            let function_like = self
                .macros
                .get(macro_name)
                .is_some_and(|m| m.parameters.is_some());
            if !(function_like && self.body_names(macro_name, 3, |word| word == "{")) {
                continue;
            }
            let Some((arguments, _)) = callgraph::parenthesised_after(bytes, at + length) else {
                continue;
            };
            let tokens = callgraph::pp_tokens(arguments);
            let Some((arguments, _)) = callgraph::split_arguments(&tokens, 0) else {
                continue;
            };
            let arguments = if arguments.len() == 1 && arguments[0].is_empty() {
                Vec::new()
            } else {
                arguments
            };
            let expansions = self.expansions(macro_name, Some(&arguments));
            let names: Vec<String> = match &expansions {
                Ok(expansions) => expansions
                    .iter()
                    .flat_map(|tokens| callgraph::definitions_in(tokens))
                    .map(|(name, _)| name)
                    .collect(),
                // What it defines is not known; a first argument that is a
                // name, as `DEFINE_GETTER(get_x, …)` gives it, may be one.
                Err(_) => arguments
                    .first()
                    .filter(|a| a.len() == 1 && callgraph::is_identifier(&a[0]))
                    .map(|a| a[0].clone())
                    .into_iter()
                    .collect(),
            };
            if names.is_empty() {
                continue;
            }
            let spelled = std::rc::Rc::new(Spelled {
                macro_name: macro_name.to_owned(),
                at,
                expansions: expansions.map(|e| e.iter().map(|t| increfs::joined(t)).collect()),
            });
            for name in names {
                index.entry(name).or_insert_with(|| spelled.clone());
            }
        }
        let found = index.get(name).cloned();
        *self.spelled.borrow_mut() = Some(index);
        found
    }

    /// The line of `node`, read in `scope`, in its own file: for an
    /// expansion's node, the line of the invocation it expands.
    fn line_in(&self, node: Node, scope: Scope) -> usize {
        self.file
            .source
            .file_line(scope.origin.unwrap_or(node.start_byte()))
    }

    /// What every `return` of `function` (named `name`, read in `scope`)
    /// hands over: new when each hands over a new reference or NULL,
    /// borrowed when each a borrowed one or NULL, else unknown.
    fn returns_of<'e>(&self, name: &str, function: Node<'e>, scope: Scope<'e, '_>) -> Own {
        let bytes = scope.bytes;
        let mut returns: Vec<Node<'e>> = Vec::new();
        if let Some(body) = function.child_by_field_name("body") {
            let mut pending = vec![body];
            while let Some(node) = pending.pop() {
                if node.kind() == "return_statement" {
                    if let Some(value) = node.named_child(0).filter(|v| v.kind() != "comment") {
                        returns.push(value);
                    }
                    continue;
                }
                let mut cursor = node.walk();
                pending.extend(node.named_children(&mut cursor));
            }
        }
        returns.sort_by_key(|r| r.start_byte());
        let mut all: Option<Own> = None;
        for value in &returns {
            let own = match self.eval(*value, scope) {
                Own::Mixed(_) => Own::Unknown(format!(
                    "`{}` is a new reference on one path and a borrowed one on another",
                    describe(*value, bytes)
                )),
                own => own,
            };
            let line = self.line_in(*value, scope);
            all = Some(match (all.take(), own) {
                (_, Own::Unknown(why)) => {
                    all = Some(Own::Unknown(format!(
                        "`{name}` returns `{}` (line {line}), and {why}",
                        describe(*value, bytes)
                    )));
                    break;
                }
                (None | Some(Own::Null), own) => own,
                (Some(previous), Own::Null) => previous,
                (Some(Own::New(w)), Own::New(_)) => Own::New(w),
                (Some(Own::Borrowed(w)), Own::Borrowed(_)) => Own::Borrowed(w),
                (Some(_), _) => Own::Unknown(format!(
                    "`{name}` returns a new reference on one path and a borrowed one on \
                     another (line {line})"
                )),
            });
        }
        match all {
            None => Own::Unknown(format!("`{name}` returns no value")),
            Some(Own::New(_)) => Own::New(format!("`{name}` returns new references")),
            Some(Own::Borrowed(_)) => {
                Own::Borrowed(format!("`{name}` returns borrowed references"))
            }
            Some(other) => other,
        }
    }

    /// A macro of the unit used as a value: what its expansion hands over,
    /// its parameters standing for what the call's arguments hand over.
    fn expand<'e>(
        &self,
        name: &str,
        m: &Macro,
        arguments: &[Node<'e>],
        scope: Scope<'e, '_>,
    ) -> Own {
        let unknown = |why: &str| Own::Unknown(format!("macro `{name}` {why}"));
        if m.definitions > python3::MAX_DEFINITIONS {
            return unknown("is defined more than once in this translation unit");
        }
        if m.definitions > 1 {
            // Each definition some Python 3 build compiles, on its own.
            let owns: Vec<Own> = m
                .alternatives
                .iter()
                .map(|(parameters, body)| {
                    let one = Macro {
                        parameters: parameters.clone(),
                        body: body.clone(),
                        definitions: 1,
                        alternatives: Vec::new(),
                    };
                    self.expand(name, &one, arguments, scope)
                })
                .collect();
            return agree(&format!("macro `{name}`"), owns);
        }
        if m.body.contains("__VA_ARGS__") || m.parameters.iter().flatten().any(|p| p == "...") {
            return unknown("takes variable arguments");
        }
        let parameters = m.parameters.as_deref().unwrap_or(&[]);
        if parameters.len() != arguments.len() {
            return unknown("is called with a number of arguments it does not take");
        }
        // `#p` and `a ## p` take the argument's spelling, not its value.
        let body = if m.body.contains('#') {
            let spelled: Vec<&str> = arguments
                .iter()
                .map(|a| a.utf8_text(scope.bytes).unwrap_or(""))
                .collect();
            match spelled_names(&m.body, parameters, &spelled) {
                Some(body) => body,
                None => return unknown("stringizes or pastes what is no parameter"),
            }
        } else {
            m.body.clone()
        };
        let values: HashMap<String, Own> = parameters
            .iter()
            .zip(arguments)
            .map(|(p, &a)| (p.clone(), self.eval(a, scope)))
            .collect();
        // The expansion, parsed as the expression of a statement.
        let text = format!("void oncevar_expansion(void) {{\n({body}\n);\n}}\n");
        let Some(tree) = self.parse_expansion(&text) else {
            return unknown("could not be read");
        };
        let root = tree.root_node();
        let expression = root
            .named_child(0)
            .and_then(|f| f.child_by_field_name("body"))
            .and_then(|b| b.named_child(0))
            .filter(|s| s.kind() == "expression_statement")
            .and_then(|s| s.named_child(0));
        let Some(expression) = expression.filter(|_| !root.has_error()) else {
            return unknown(&format!(
                "expands to `{}`, which is no expression oncevar can read",
                short(body.as_bytes())
            ));
        };
        let inner = Scope {
            bytes: text.as_bytes(),
            function: None,
            parameters: Some(&values),
            storing: None,
            depth: scope.depth + 1,
            nesting: scope.nesting,
            origin: scope.origin,
        };
        match self.eval(expression, inner) {
            Own::New(why) => Own::New(format!("macro `{name}` expands to a new reference: {why}")),
            Own::Borrowed(why) => Own::Borrowed(format!(
                "macro `{name}` expands to a borrowed reference: {why}"
            )),
            Own::Unknown(why) => {
                Own::Unknown(format!("macro `{name}` expands to code where {why}"))
            }
            other => other,
        }
    }

    /// A local declared in `body` (its block) read at `use_`: what every
    /// value it took before (in the text) hands over, each made new by a
    /// `Py_INCREF` of the local between it and `use_`.
    fn local<'e>(&self, use_: Node<'e>, body: Node<'e>, scope: Scope<'e, '_>) -> Own {
        let bytes = scope.bytes;
        let name = use_.utf8_text(bytes).unwrap_or("");
        let mut values: Vec<Node<'e>> = Vec::new();
        let mut pending = vec![body];
        while let Some(node) = pending.pop() {
            // Each node read here, and again by `increfed_between`, is a
            // step of the budget: a chain of locals reads the block again
            // for each.
            self.steps.set(self.steps.get() + 2);
            if self.steps.get() > MAX_STEPS {
                return Own::Unknown(format!(
                    "`{name}` lies behind more than {MAX_STEPS} values and nodes"
                ));
            }
            let mut cursor = node.walk();
            pending.extend(node.named_children(&mut cursor));
            match node.kind() {
                "pointer_expression"
                    if node.child_by_field_name("operator").map(|o| o.kind()) == Some("&")
                        && node
                            .child_by_field_name("argument")
                            .map(parse::strip_parens)
                            .is_some_and(|a| a.utf8_text(bytes) == Ok(name)) =>
                {
                    return Own::Unknown(format!(
                        "`{name}` is written through its address (line {})",
                        self.line_in(node, scope)
                    ));
                }
                "init_declarator" if node.end_byte() <= use_.start_byte() => {
                    let target = node
                        .child_by_field_name("declarator")
                        .and_then(declared_name);
                    if target.is_some_and(|t| t.utf8_text(bytes) == Ok(name)) {
                        values.extend(node.child_by_field_name("value"));
                    }
                }
                "assignment_expression" if node.end_byte() <= use_.start_byte() => {
                    let target = node
                        .child_by_field_name("left")
                        .map(parse::strip_parens)
                        .filter(|t| t.kind() == "identifier" && t.utf8_text(bytes) == Ok(name));
                    if target.is_some() {
                        if node.child_by_field_name("operator").map(|o| o.kind()) != Some("=") {
                            return Own::Unknown(format!(
                                "`{name}` is updated in place (line {})",
                                self.line_in(node, scope)
                            ));
                        }
                        values.extend(node.child_by_field_name("right"));
                    }
                }
                _ => {}
            }
        }
        values.sort_by_key(|v| v.start_byte());
        if values.is_empty() {
            return Own::Unknown(format!("`{name}` takes no value before it is stored"));
        }
        let mut all = Own::Null;
        let mut first: Option<(usize, &'static str)> = None;
        for value in values {
            let line = self.line_in(value, scope);
            let increfed = increfed_between(body, name, value.end_byte(), use_.start_byte(), bytes);
            let released =
                released_on_the_way(&self.macros, body, name, value.end_byte(), use_, bytes);
            let conditional = increfed
                .then(|| conditional_incref(body, name, value.end_byte(), use_, bytes))
                .flatten();
            let own = if let Some(incref) = conditional {
                // `if (c) Py_INCREF(tmp); v = tmp;`: strong on some paths.
                Own::Unknown(format!(
                    "`{name}` is made strong on some paths only (`{}`, line {})",
                    describe(incref, bytes),
                    self.line_in(incref, scope)
                ))
            } else if let (Some(drop), false) = (released, increfed) {
                // `u = GetAttr(...); Py_DECREF(u); v = u;`: whatever `u`
                // held, the store holds no reference of its own.
                Own::Borrowed(format!(
                    "`{name}` gives its reference away with `{}` (line {}) before it is stored",
                    describe(drop, bytes),
                    self.line_in(drop, scope)
                ))
            } else if released.is_some() {
                Own::Unknown(format!(
                    "`{name}` is both made strong and released between its value (line {line}) \
                     and the store"
                ))
            } else if increfed {
                Own::New(format!("`{name}` is made strong with `Py_INCREF({name})`"))
            } else {
                match self.eval(value, scope) {
                    Own::Mixed(_) => Own::Unknown(format!(
                        "`{name}` takes `{}` (line {line}), a new reference on one path and a \
                         borrowed one on another",
                        describe(value, bytes)
                    )),
                    Own::Unknown(why) => Own::Unknown(format!(
                        "`{name}` takes `{}` (line {line}), and {why}",
                        describe(value, bytes)
                    )),
                    // `h = borrowed; KEEP(h); … v = h;`: an incref that
                    // only the unit's macros or functions spell.
                    Own::Borrowed(why) => {
                        let target = Target {
                            symbol: None,
                            names: vec![name.to_owned()],
                            in_callees: false,
                        };
                        let (from, until) = (value.end_byte(), use_.start_byte());
                        match self.effect_between(
                            &[body],
                            (from, until),
                            (bytes, scope.origin.is_none()),
                            &target,
                        ) {
                            Effect::Incref(how) => {
                                Own::New(format!("`{name}` is made strong with {how}"))
                            }
                            Effect::Unclear(unclear) => Own::Unknown(format!(
                                "`{name}` takes `{}` (line {line}), borrowed, and {unclear}",
                                describe(value, bytes)
                            )),
                            Effect::None => Own::Borrowed(format!(
                                "`{name}` takes `{}` (line {line}): {why}",
                                describe(value, bytes)
                            )),
                        }
                    }
                    own => own,
                }
            };
            let kind = match &own {
                Own::New(_) => "a new",
                Own::Borrowed(_) => "a borrowed",
                _ => "",
            };
            if !kind.is_empty() {
                if let Some((at, k)) = first.filter(|(_, k)| *k != kind) {
                    return Own::Unknown(format!(
                        "`{name}` takes {k} reference on line {at} and {kind} one on line {line}"
                    ));
                }
                first.get_or_insert((line, kind));
            }
            all = match (all, own) {
                (_, Own::Unknown(why)) => return Own::Unknown(why),
                (Own::Null, own) => own,
                (previous, _) => previous,
            };
        }
        all
    }

    /// Whether the local stored by `write` (`v = tmp;`) hands its reference
    /// somewhere else too: stored in another variable, released, given to a
    /// call that steals it, or returned, after the value it holds was made
    /// and not on a path that excludes the store (the other arm of an `if`,
    /// an error exit). Why, when it does.
    fn local_leaves(&self, symbol: SymbolId, write: Node<'t>, value: Node<'t>) -> Option<String> {
        let bytes: &[u8] = &self.file.source.bytes;
        let local = parse::strip_parens(value);
        let local = strip_casts(local);
        if local.kind() != "identifier" {
            return None;
        }
        let name = local.utf8_text(bytes).ok()?;
        let (kind, body) = self.declaration_of(local, name.as_bytes(), bytes)?;
        if kind != LocalKind::Automatic {
            return None;
        }
        let resolution = &self.file.resolution;
        let is_local = |n: Node| {
            let n = strip_casts(parse::strip_parens(n));
            n.kind() == "identifier" && n.utf8_text(bytes) == Ok(name)
        };
        let line = |n: Node| self.file.source.file_line(n.start_byte());
        let mut found: Option<String> = None;
        let mut pending = vec![body];
        while let Some(node) = pending.pop() {
            let mut cursor = node.walk();
            pending.extend(node.named_children(&mut cursor));
            if node.node_id() == write.node_id() {
                continue;
            }
            let why = match node.kind() {
                "assignment_expression" => {
                    let right = node.child_by_field_name("right");
                    let left = node.child_by_field_name("left").map(parse::strip_parens);
                    let into_static =
                        left.is_some_and(|l| resolution.refers_to(l.node_id(), symbol));
                    (right.is_some_and(is_local) && !into_static && !left.is_some_and(is_local))
                        .then(|| {
                            format!(
                                "`{name}`{STORED_TOO}`{}` (line {})",
                                left.map_or("", |l| l.utf8_text(bytes).unwrap_or("")),
                                line(node)
                            )
                        })
                }
                "return_statement" if node.start_byte() > write.end_byte() => node
                    .named_child(0)
                    .filter(|v| is_local(*v))
                    .filter(|_| {
                        !increfed_between(body, name, write.end_byte(), node.start_byte(), bytes)
                            && !increfed_static_between(
                                self.file,
                                symbol,
                                body,
                                write.end_byte(),
                                node.start_byte(),
                            )
                    })
                    .map(|_| format!("`{name}` is also returned (line {})", line(node))),
                "call_expression" if node.start_byte() > write.end_byte() => {
                    let callee = node
                        .child_by_field_name("function")
                        .and_then(|f| f.utf8_text(bytes).ok())
                        .unwrap_or("");
                    let arguments = arguments(node);
                    let release = (refcounts::release(callee).is_some() || callee == "Py_CLEAR")
                        && arguments.first().is_some_and(|a| is_local(*a))
                        && self.exit_after(node) != Exit::Error;
                    let stolen = arguments
                        .iter()
                        .enumerate()
                        .any(|(at, a)| is_local(*a) && self.steals_in(node, callee, at).is_some())
                        // `Py_XSETREF(v, tmp)` stores in the static itself.
                        && !(matches!(callee, "Py_SETREF" | "Py_XSETREF")
                            && arguments.first().is_some_and(|f| {
                                resolution.refers_to(parse::strip_parens(*f).node_id(), symbol)
                            }));
                    (release || stolen).then(|| {
                        format!("`{name}` is also given to `{callee}` (line {})", line(node))
                    })
                }
                _ => None,
            };
            // Only now: `exclusive` climbs from the root, and doing so for
            // every node cost the body's size times its depth (10,000
            // parentheses around a local's initialiser: 54 s).
            if let Some(why) = why.filter(|_| !exclusive(node, write)) {
                if found.as_ref().is_none_or(|f| why < *f) {
                    found = Some(why);
                }
            }
        }
        found
    }
}

/// How [`Unit::local_leaves`] says that the local is stored elsewhere too.
const STORED_TOO: &str = " is also stored in ";

/// The arguments of a call, comments left out.
pub(crate) fn arguments(call: Node) -> Vec<Node> {
    call.child_by_field_name("arguments")
        .map(|a| {
            let mut cursor = a.walk();
            a.named_children(&mut cursor)
                .filter(|a| a.kind() != "comment")
                .collect()
        })
        .unwrap_or_default()
}

/// A function-like macro's body with each parameter that `#` stringizes
/// or `##` pastes replaced by the spelling of its argument, as C's
/// preprocessor does (`#n` becomes `"Decimal"`, `name_##n` becomes
/// `name_Decimal`), other parameters left for their values; tokens joined
/// by blanks. `None` when `#` precedes what is no parameter, which is no
/// valid body.
fn spelled_names(body: &str, parameters: &[String], arguments: &[&str]) -> Option<String> {
    let tokens = callgraph::pp_tokens(body);
    let argument = |t: &str| {
        let p = parameters.iter().position(|p| p == t)?;
        Some(
            arguments
                .get(p)?
                .split_ascii_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        )
    };
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    let mut join = false;
    let mut j = 0;
    while j < tokens.len() {
        let token = &tokens[j];
        j += 1;
        if token == "#" {
            let spelling = argument(tokens.get(j)?)?;
            j += 1;
            out.push(format!(
                "\"{}\"",
                spelling.replace('\\', "\\\\").replace('"', "\\\"")
            ));
            continue;
        }
        if token == "##" {
            join = true;
            continue;
        }
        let pasted = join || tokens.get(j).is_some_and(|t| t == "##");
        let text = match argument(token).filter(|_| pasted) {
            Some(spelling) => spelling,
            None => token.clone(),
        };
        match out.last_mut() {
            Some(last) if join => last.push_str(&text),
            _ => out.push(text),
        }
        join = false;
    }
    Some(out.join(" "))
}

/// The starts of the `#undef NAME` lines of `bytes`, by name, for the
/// names `defines` holds two to [`python3::MAX_DEFINITIONS`] definitions
/// of (the names whose definitions are read by branch).
fn undefined_names<'b>(
    bytes: &'b [u8],
    defines: &HashMap<&str, Vec<python3::Define>>,
) -> HashMap<&'b str, Vec<usize>> {
    let mut out: HashMap<&str, Vec<usize>> = HashMap::new();
    for at in memchr::memmem::find_iter(bytes, b"undef") {
        let start = bytes[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        if bytes[start..at]
            .iter()
            .filter(|b| !b.is_ascii_whitespace())
            .ne(b"#".iter())
        {
            continue;
        }
        let rest = &bytes[at + "undef".len()..];
        let blanks = rest
            .iter()
            .take_while(|b| *b == &b' ' || *b == &b'\t')
            .count();
        let rest = &rest[blanks..];
        let len = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .count();
        let Ok(name) = std::str::from_utf8(&rest[..len]) else {
            continue;
        };
        let count = defines.get(name).map_or(0, Vec::len);
        if blanks > 0 && (2..=python3::MAX_DEFINITIONS).contains(&count) {
            out.entry(name).or_default().push(start);
        }
    }
    out
}

/// What the definitions of one macro (`what`, quoted) hand over, each read
/// on its own: the same for all, or unknown naming the disagreement. A
/// definition that hands over NULL agrees with any other.
fn agree(what: &str, owns: Vec<Own>) -> Own {
    let count = owns.len();
    let mut all: Option<Own> = None;
    for own in owns {
        all = Some(match (all.take(), own) {
            (_, Own::Unknown(why)) => {
                return Own::Unknown(format!("{what} has {count} definitions, and in one {why}"))
            }
            (_, Own::Mixed(_)) | (Some(Own::Mixed(_)), _) => {
                return Own::Unknown(format!(
                    "{what} has {count} definitions, and one is new on some paths and borrowed \
                     on others"
                ))
            }
            (None | Some(Own::Null), own) => own,
            (Some(previous), Own::Null) => previous,
            (Some(Own::New(w)), Own::New(_)) => Own::New(w),
            (Some(Own::Borrowed(w)), Own::Borrowed(_)) => Own::Borrowed(w),
            (Some(_), _) => {
                return Own::Unknown(format!(
                    "{what} has {count} definitions that disagree: one hands over a new \
                     reference, another a borrowed one"
                ))
            }
        });
    }
    match all {
        Some(Own::New(why)) => {
            Own::New(format!("each of the {count} definitions of {what}: {why}"))
        }
        Some(Own::Borrowed(why)) => {
            Own::Borrowed(format!("each of the {count} definitions of {what}: {why}"))
        }
        Some(other) => other,
        None => Own::Unknown(format!("{what} has no definition")),
    }
}

/// Combines the ownership of one arm of a conditional with the arms before
/// it. `expansion`: the arm's span is in a macro's expansion, not in the
/// analysed text, so a borrowed arm there cannot take its own reference.
fn combine(all: Own, own: Own, arm: Span, expansion: bool) -> Own {
    let spans = |own: &Own| -> Option<Vec<Span>> {
        match own {
            Own::Borrowed(_) if !expansion => Some(vec![arm]),
            Own::Mixed(s) => Some(s.clone()),
            _ => None,
        }
    };
    match (all, own) {
        (Own::Unknown(why), _) | (_, Own::Unknown(why)) => Own::Unknown(why),
        (Own::Null, own) => own,
        (all, Own::Null) => all,
        (Own::New(w), Own::New(_)) => Own::New(w),
        (Own::Borrowed(w), Own::Borrowed(_)) => Own::Borrowed(w),
        (Own::Mixed(mut s), own @ (Own::Borrowed(_) | Own::Mixed(_))) => match spans(&own) {
            Some(more) => {
                s.extend(more);
                Own::Mixed(s)
            }
            None => mixed_in_expansion(),
        },
        (Own::Mixed(s), Own::New(_)) => Own::Mixed(s),
        (Own::New(_), own @ (Own::Borrowed(_) | Own::Mixed(_))) => {
            spans(&own).map_or_else(mixed_in_expansion, Own::Mixed)
        }
        // A borrowed arm before: its span was not kept; say so plainly.
        (Own::Borrowed(_), Own::New(_) | Own::Mixed(_)) => Own::Unknown(
            "one arm of a conditional is borrowed and another new, in an order oncevar does \
             not rewrite"
                .to_owned(),
        ),
    }
}

fn mixed_in_expansion() -> Own {
    Own::Unknown(
        "one arm of a conditional in a macro is borrowed and another new, and the macro's body \
         cannot be rewritten"
            .to_owned(),
    )
}

fn unknown_shape(node: Node, bytes: &[u8]) -> Own {
    Own::Unknown(format!(
        "`{}` is an expression of a kind oncevar does not follow",
        short(node.utf8_text(bytes).unwrap_or("").as_bytes())
    ))
}

/// The expression's text for a message, shortened to one line.
fn describe(node: Node, bytes: &[u8]) -> String {
    short(&bytes[node.start_byte()..node.end_byte()])
}

fn short(text: &[u8]) -> String {
    let text = String::from_utf8_lossy(text);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 60 {
        let cut: String = one_line.chars().take(57).collect();
        format!("{cut}...")
    } else {
        one_line
    }
}

/// `(PyObject *)x` is `x`.
pub(crate) fn strip_casts(mut node: Node) -> Node {
    while node.kind() == "cast_expression" {
        match node.child_by_field_name("value") {
            Some(value) => node = parse::strip_parens(value),
            None => break,
        }
    }
    node
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LocalKind {
    Parameter,
    /// A block-scope `static`: a variable that keeps its own reference.
    Static,
    Automatic,
}

/// The first declaration of each name among a block's statements: where
/// that declaration starts and how it declares the name.
type BlockDeclarations = HashMap<Vec<u8>, (usize, LocalKind)>;

/// The names the statements of `block` declare, each with its first
/// declaration (one pass over the block).
fn block_declarations(block: Node, bytes: &[u8]) -> BlockDeclarations {
    let mut declared = BlockDeclarations::new();
    let mut cursor = block.walk();
    for declaration in block.named_children(&mut cursor) {
        if declaration.kind() != "declaration" {
            continue;
        }
        let kind = local_kind(declaration, bytes);
        let mut cursor = declaration.walk();
        for d in declaration.children_by_field_name("declarator", &mut cursor) {
            if let Some(name) = declared_name(d).and_then(|i| i.utf8_text(bytes).ok()) {
                declared
                    .entry(name.as_bytes().to_vec())
                    .or_insert((declaration.start_byte(), kind));
            }
        }
    }
    declared
}

/// A block-scope `static` or an automatic variable.
fn local_kind(declaration: Node, bytes: &[u8]) -> LocalKind {
    let mut cursor = declaration.walk();
    let is_static = declaration
        .children(&mut cursor)
        .any(|c| c.kind() == "storage_class_specifier" && c.utf8_text(bytes) == Ok("static"));
    if is_static {
        LocalKind::Static
    } else {
        LocalKind::Automatic
    }
}

impl Unit<'_, '_> {
    /// How the `name` that `use_` reads is declared around it, and the
    /// node its declaration is visible in (the block, or the body of the
    /// function whose parameter it is); `None` when no enclosing block or
    /// function declares it (a file-scope name). The nearest declaration
    /// wins, as in C. A block's declarations are read once (see
    /// [`Unit::declared_in`]), so that asking for every name of a long
    /// function costs time linear in it.
    fn declaration_of<'e>(
        &self,
        use_: Node<'e>,
        name: &[u8],
        bytes: &[u8],
    ) -> Option<(LocalKind, Node<'e>)> {
        let named = |d: Node| {
            declared_name(d)
                .is_some_and(|i| i.utf8_text(bytes).ok().map(str::as_bytes) == Some(name))
        };
        let declares = |declaration: Node| -> Option<LocalKind> {
            if declaration.kind() != "declaration" || declaration.start_byte() > use_.start_byte() {
                return None;
            }
            let mut cursor = declaration.walk();
            let found = declaration
                .children_by_field_name("declarator", &mut cursor)
                .any(named);
            found.then(|| local_kind(declaration, bytes))
        };
        for scope in parse::ancestors(use_) {
            match scope.kind() {
                "compound_statement" => {
                    let found = self.declared_in(scope, bytes, |declared| {
                        declared
                            .get(name)
                            .filter(|(start, _)| *start <= use_.start_byte())
                            .map(|&(_, kind)| kind)
                    });
                    if let Some(kind) = found {
                        return Some((kind, scope));
                    }
                }
                "for_statement" => {
                    if let Some(kind) = scope.child_by_field_name("initializer").and_then(declares)
                    {
                        return Some((kind, scope));
                    }
                }
                "function_definition" => {
                    let parameters = scope.child_by_field_name("declarator").and_then(|d| {
                        let mut d = d;
                        while d.kind() != "function_declarator" {
                            d = d.child_by_field_name("declarator")?;
                        }
                        d.child_by_field_name("parameters")
                    })?;
                    let mut cursor = parameters.walk();
                    let is_parameter = parameters.named_children(&mut cursor).any(|p| {
                        p.child_by_field_name("declarator")
                            .is_some_and(|d| named(d) || abstract_pointer_named(d, name, bytes))
                    });
                    return is_parameter
                        .then(|| Some((LocalKind::Parameter, scope.child_by_field_name("body")?)))
                        .flatten();
                }
                _ => {}
            }
        }
        None
    }

    /// `read` of the declarations of `block` ([`block_declarations`]):
    /// kept per block of the unit's own tree, read again for a block of
    /// another (a macro's expansion, parsed apart).
    fn declared_in<R>(
        &self,
        block: Node,
        bytes: &[u8],
        read: impl FnOnce(&BlockDeclarations) -> R,
    ) -> R {
        if !self.owns(block, bytes) {
            return read(&block_declarations(block, bytes));
        }
        let known = self.declared.borrow().get(&block.id()).cloned();
        let declared = known.unwrap_or_else(|| {
            let declared = std::rc::Rc::new(block_declarations(block, bytes));
            self.declared
                .borrow_mut()
                .insert(block.id(), std::rc::Rc::clone(&declared));
            declared
        });
        read(&declared)
    }

    /// Whether `node` is a node of the unit's own tree, read in its own
    /// text (so that what is kept by node id holds).
    fn owns(&self, node: Node, bytes: &[u8]) -> bool {
        node.into_raw().tree == self.file.root.into_raw().tree
            && bytes.as_ptr() == self.file.source.bytes.as_ptr()
            && bytes.len() == self.file.source.bytes.len()
    }
}

/// `PyObject **slot` as a parameter declarator names `slot`.
fn abstract_pointer_named(declarator: Node, name: &[u8], bytes: &[u8]) -> bool {
    let mut d = declarator;
    while d.kind() == "pointer_declarator" {
        match d.child_by_field_name("declarator") {
            Some(inner) => d = inner,
            None => return false,
        }
    }
    d.kind() == "identifier" && d.utf8_text(bytes).ok().map(str::as_bytes) == Some(name)
}

/// Whether `a` and `b` lie in different arms of one `if` (or `? :`), so
/// that no run of the function reaches both.
fn exclusive(a: Node, b: Node) -> bool {
    let inside = |n: Node, outer: Node| {
        outer.start_byte() <= n.start_byte() && n.end_byte() <= outer.end_byte()
    };
    parse::ancestors(a).into_iter().any(|i| {
        if i.kind() != "if_statement" || !inside(b, i) {
            return false;
        }
        let (Some(then), Some(otherwise)) = (
            i.child_by_field_name("consequence"),
            i.child_by_field_name("alternative"),
        ) else {
            return false;
        };
        (inside(a, then) && inside(b, otherwise)) || (inside(a, otherwise) && inside(b, then))
    })
}

/// Whether `Py_INCREF(name)`, `Py_XINCREF(name)` (or `Py_NewRef` /
/// `Py_XNewRef` of it) is called in `body` between two byte offsets.
pub(crate) fn increfed_between(
    body: Node,
    name: &str,
    start: usize,
    end: usize,
    bytes: &[u8],
) -> bool {
    increfed(body, start, end, bytes, |a| a.utf8_text(bytes) == Ok(name))
}

/// An incref of `name` (as [`increfed_between`] reads one) in `body`
/// between the byte `start` and the store `use_` that some path to the
/// store may skip: under a condition (`if`, `?:`, the right of `&&` or
/// `||`, a `switch`) or in a loop that does not also hold the store.
fn conditional_incref<'t>(
    body: Node<'t>,
    name: &str,
    start: usize,
    use_: Node<'t>,
    bytes: &[u8],
) -> Option<Node<'t>> {
    let end = use_.start_byte();
    let holds_use =
        |n: Node| n.start_byte() <= use_.start_byte() && use_.end_byte() <= n.end_byte();
    let mut pending = vec![(body, true)];
    while let Some((node, sure)) = pending.pop() {
        if node.end_byte() <= start || node.start_byte() >= end {
            continue;
        }
        if !sure && incref_argument(node, bytes).is_some_and(|a| a.utf8_text(bytes) == Ok(name)) {
            return Some(node);
        }
        let branching = match node.kind() {
            "if_statement"
            | "for_statement"
            | "while_statement"
            | "switch_statement"
            | "conditional_expression"
            | "case_statement" => true,
            "do_statement" => node
                .child_by_field_name("condition")
                .map(parse::strip_parens)
                .is_none_or(|c| c.utf8_text(bytes).map(str::trim) != Ok("0")),
            "binary_expression" => node
                .child_by_field_name("operator")
                .is_some_and(|o| matches!(o.kind(), "&&" | "||")),
            _ => false,
        };
        // What always runs of a branching node: the condition of an `if`,
        // `switch` or `?:`, the left of `&&`, and the part that holds the
        // store (both in one arm).
        let always = ["condition", "left"]
            .iter()
            .filter_map(|f| node.child_by_field_name(f))
            .filter(|_| !matches!(node.kind(), "for_statement" | "while_statement"))
            .map(|c| c.id())
            .collect::<Vec<_>>();
        let mut cursor = node.walk();
        pending.extend(node.named_children(&mut cursor).map(|c| {
            let child_sure = sure && (!branching || holds_use(c) || always.contains(&c.id()));
            (c, child_sure)
        }));
    }
    None
}

/// The release of `name` in `body` (`Py_DECREF(name)`, one of the other
/// [`refcounts::release`] calls, or a macro of `macros` whose body is one
/// of them on a parameter: `#define DROP(o) Py_DECREF(o)`) between the
/// byte offset `start` and the store `use_` that every path to the store
/// takes: its statement stands in a block that holds the store (the same
/// block or one around it, or a bare `{ … }` in one), not in a branch that
/// may leave first (`if (bad) { Py_DECREF(u); return NULL; }` is no
/// release on the way).
fn released_on_the_way<'t>(
    macros: &HashMap<String, Macro>,
    body: Node<'t>,
    name: &str,
    start: usize,
    use_: Node<'t>,
    bytes: &[u8],
) -> Option<Node<'t>> {
    let end = use_.start_byte();
    // Each node with whether it is a statement of a block, and the block
    // whose run runs it: its own block, or for a bare block's statements
    // the bare block's. Taken on the way down: `Node::parent` descends
    // from the root at each call.
    let mut pending = vec![(body, false, None)];
    while let Some((node, in_block, runs_with)) = pending.pop() {
        if node.end_byte() <= start || node.start_byte() >= end {
            continue;
        }
        if node.kind() == "expression_statement" {
            let call = node
                .named_child(0)
                .filter(|c| c.kind() == "call_expression");
            let callee = call
                .and_then(|c| c.child_by_field_name("function"))
                .and_then(|f| f.utf8_text(bytes).ok());
            let at = callee.and_then(|callee| {
                if refcounts::release(callee).is_some() {
                    return Some(0);
                }
                let m = macros.get(callee).filter(|m| m.definitions == 1)?;
                let parameters = m.parameters.as_deref()?;
                macro_refcount(macros, parameters, &m.body, refcounts::release, 0).map(|(_, at)| at)
            });
            let argument = call
                .and_then(|c| c.child_by_field_name("arguments"))
                .zip(at)
                .and_then(|(a, at)| {
                    let mut cursor = a.walk();
                    let argument = a
                        .named_children(&mut cursor)
                        .filter(|a| a.kind() != "comment")
                        .nth(at);
                    argument
                })
                .map(|a| strip_casts(parse::strip_parens(a)));
            let block_holds_store = runs_with.is_some_and(|block: Node| {
                block.start_byte() <= use_.start_byte() && use_.end_byte() <= block.end_byte()
            });
            if argument.is_some_and(|a| a.utf8_text(bytes) == Ok(name)) && block_holds_store {
                return call;
            }
            continue;
        }
        let block = node.kind() == "compound_statement";
        let inner = match (block, in_block) {
            (true, true) => runs_with,
            (true, false) => Some(node),
            (false, _) => None,
        };
        let mut cursor = node.walk();
        pending.extend(node.named_children(&mut cursor).map(|c| (c, block, inner)));
    }
    None
}

/// Whether the static itself is `Py_INCREF`'d (or `Py_NewRef`'d) in
/// `body` between two byte offsets: `return Py_NewRef(v);` hands the
/// caller a reference of its own.
fn increfed_static_between(
    file: &FileAnalysis,
    symbol: SymbolId,
    body: Node,
    start: usize,
    end: usize,
) -> bool {
    increfed(body, start, end, &file.source.bytes, |a| {
        file.resolution.refers_to(a.node_id(), symbol)
    })
}

/// Whether a `Py_INCREF`, `Py_XINCREF`, `Py_NewRef` or `Py_XNewRef` of an
/// argument that `is_it` accepts (casts and parentheses taken off) is
/// called in `body` between two byte offsets.
fn increfed(
    body: Node,
    start: usize,
    end: usize,
    bytes: &[u8],
    is_it: impl Fn(Node) -> bool,
) -> bool {
    let mut pending = vec![body];
    while let Some(node) = pending.pop() {
        if node.end_byte() <= start || node.start_byte() >= end {
            continue;
        }
        if incref_argument(node, bytes).is_some_and(&is_it) {
            return true;
        }
        let mut cursor = node.walk();
        pending.extend(node.named_children(&mut cursor));
    }
    false
}

/// The argument that `node` increfs when it is a call of `Py_INCREF`,
/// `Py_XINCREF` (or another incref of [`refcounts::incref`]), `Py_NewRef`
/// or `Py_XNewRef`, casts and parentheses taken off; `None` for any other
/// node.
fn incref_argument<'t>(node: Node<'t>, bytes: &[u8]) -> Option<Node<'t>> {
    if node.kind() != "call_expression" {
        return None;
    }
    let callee = node
        .child_by_field_name("function")?
        .utf8_text(bytes)
        .ok()?;
    if refcounts::incref(callee).is_none() && !matches!(callee, "Py_NewRef" | "Py_XNewRef") {
        return None;
    }
    let argument = node.child_by_field_name("arguments")?.named_child(0)?;
    Some(strip_casts(parse::strip_parens(argument)))
}

/// Whether `body` (a macro body's text) is one call of a refcount call
/// that `wanted` names (`refcounts::incref`, `refcounts::release`) on one
/// of `parameters`, or one call of another macro of `macros` that is, on
/// one of them: the call's name and the parameter's index.
fn macro_refcount(
    macros: &HashMap<String, Macro>,
    parameters: &[String],
    body: &str,
    wanted: fn(&str) -> Option<&'static str>,
    depth: usize,
) -> Option<(&'static str, usize)> {
    let mut body: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    loop {
        let before = body.len();
        if let Some(inner) = body
            .strip_prefix("do{")
            .and_then(|b| b.strip_suffix("}while(0)"))
        {
            body = inner.to_owned();
        }
        if let Some(inner) = body.strip_prefix('{').and_then(|b| b.strip_suffix('}')) {
            body = inner.to_owned();
        }
        body = body.trim_end_matches(';').to_owned();
        if body.len() == before {
            break;
        }
    }
    let open = body.find('(')?;
    let (callee, rest) = body.split_at(open);
    let mut argument = rest.strip_prefix('(')?.strip_suffix(')')?;
    if argument.contains(',') || argument.contains('(') && !argument.starts_with('(') {
        return None;
    }
    while let Some(inner) = argument.strip_prefix('(').and_then(|a| a.strip_suffix(')')) {
        argument = inner;
    }
    let index = parameters.iter().position(|p| p == argument)?;
    if let Some(call) = wanted(callee) {
        return Some((call, index));
    }
    if depth >= MAX_DEPTH {
        return None;
    }
    let m = macros.get(callee).filter(|m| m.definitions == 1)?;
    let inner = m.parameters.as_deref()?;
    let (name, at) = macro_refcount(macros, inner, &m.body, wanted, depth + 1)?;
    // The inner macro's single parameter is this one's argument.
    (inner.len() == 1 && at == 0).then_some((name, index))
}

impl<'a, 't> Unit<'a, 't> {
    /// Whether the borrowed `value` stored in `assignment` is made strong
    /// beside the store: `Py_INCREF(x); v = x;`, `Py_XINCREF(v = x);`,
    /// `v = x, Py_XINCREF(v);` or `v = x; … Py_INCREF(v);` later in the
    /// same block, the incref spelled as [`increfs`] reads it (not in a
    /// `return`, which hands a reference to the caller instead). `Ok` with
    /// the incref's name and whether it is the statement before the store
    /// (on the value), `Err` with a call that takes the value and may
    /// take a reference that oncevar does not read, `Ok(None)` when
    /// neither.
    fn increfed_around(
        &self,
        symbol: SymbolId,
        assignment: Node,
        value: Node,
    ) -> Result<Option<(String, bool, Option<String>)>, String> {
        let bytes: &[u8] = &self.file.source.bytes;
        // The statement of the block that holds the store (one descent
        // from the root, however deep the store lies in it).
        let (statement, above) = parse::climb(assignment, |parent, _| {
            !matches!(parent.kind(), "compound_statement" | "function_definition")
        });
        let Some(block) = above.first().filter(|p| p.kind() == "compound_statement") else {
            return Ok(None);
        };
        let (before, after) = parse::named_siblings(block, statement);
        let mut unclear = None;
        // Before: `Py_INCREF(x); v = x;`
        if let (Some(&previous), Ok(value_text)) =
            (before.last(), parse::strip_parens(value).utf8_text(bytes))
        {
            let target = Target {
                symbol: None,
                names: vec![value_text.to_owned()],
                in_callees: false,
            };
            match self.effect_in(&[previous], 0, &target) {
                // `if (c) Py_INCREF(x); v = x;`: on some paths only.
                Effect::Incref(name) if previous.kind() != "expression_statement" => {
                    return Err(format!(
                        "the {name} before the store (line {}) runs on some paths only",
                        self.file.source.file_line(previous.start_byte())
                    ));
                }
                Effect::Incref(name) => {
                    return Ok(Some((format!("{name} beside the store"), true, None)))
                }
                Effect::Unclear(why) => unclear = Some(why),
                Effect::None => {}
            }
        }
        // The store's own statement from the store on, and the statements
        // after it in the same block.
        // A static at file scope may be named by the functions called
        // after the store (`remember_hook();`).
        let left = assignment
            .child_by_field_name("left")
            .map(parse::strip_parens)
            .filter(|l| l.kind() == "identifier");
        let in_callees = left.is_some_and(|l| {
            let name = l.utf8_text(bytes).unwrap_or("");
            self.declaration_of(l, name.as_bytes(), bytes).is_none()
                && self.file_scope.contains(name.as_bytes())
        });
        match self.increfed_after(symbol, assignment, (statement, &after), in_callees)? {
            Some(beside) => Ok(Some((
                format!("{} beside the store", beside.incref),
                false,
                beside.handed_on,
            ))),
            None => match unclear {
                Some(why) => Err(why),
                None => self.increfed_by_callers(symbol, assignment),
            },
        }
    }

    /// Whether a store in a function of the unit is made strong by its
    /// callers instead (`static PyObject *load(void) { hook = …; return
    /// hook; }` and `if (load() == NULL) return NULL; Py_INCREF(hook);`):
    /// every call of the function is followed, in its caller's block, by an
    /// incref of the static, read as [`Unit::effect_in`] reads the code
    /// after a store. `Ok` with the incref when every call is, `Ok(None)`
    /// when none is or every caller hands that reference on
    /// ([`Unit::given_after`]: `Py_INCREF(hook); return hook;`), `Err` why
    /// when only some are, some hand it on, or the function has external
    /// linkage (other units may call it without one).
    fn increfed_by_callers(
        &self,
        symbol: SymbolId,
        assignment: Node,
    ) -> Result<Option<(String, bool, Option<String>)>, String> {
        let bytes: &'a [u8] = &self.file.source.bytes;
        let Some(function) = parse::enclosing_function(assignment) else {
            return Ok(None);
        };
        let Some(name) = parse::function_name(function, bytes) else {
            return Ok(None);
        };
        let calls = self.calls.get_or_init(|| {
            let mut calls: HashMap<&'a [u8], Vec<Node<'t>>> = HashMap::new();
            for call in parse::calls_in(self.file.root) {
                if let Some(callee) = call
                    .child_by_field_name("function")
                    .filter(|f| f.kind() == "identifier")
                    .and_then(|f| f.utf8_text(bytes).ok())
                {
                    calls.entry(callee.as_bytes()).or_default().push(call);
                }
            }
            calls
        });
        let Some(calls) = calls.get(name.as_bytes()) else {
            return Ok(None);
        };
        let target = Target {
            symbol: Some(symbol),
            names: Vec::new(),
            in_callees: false,
        };
        let mut increfs = Vec::new();
        let mut handed = Vec::new();
        let mut unclear = None;
        for &call in calls {
            let (statement, above) = parse::climb(call, |parent, _| {
                !matches!(parent.kind(), "compound_statement" | "function_definition")
            });
            let effect = match above.first().filter(|p| p.kind() == "compound_statement") {
                Some(block) => {
                    let (_, after) = parse::named_siblings(block, statement);
                    let mut roots = vec![statement];
                    roots.extend(after);
                    self.effect_in(&roots, call.end_byte(), &target)
                }
                None => Effect::None,
            };
            match effect {
                // The caller's incref handed on after the call (`Py_INCREF(hook);
                // return hook;`) leaves the slot none, as beside a store.
                Effect::Incref(incref) => match self.given_after(symbol, call, false) {
                    Some(why) => handed.push(why),
                    None => increfs.push(incref),
                },
                Effect::Unclear(why) => unclear = unclear.or(Some(why)),
                Effect::None => {}
            }
        }
        if let Some(why) = handed.first() {
            return if handed.len() == calls.len() {
                Ok(None)
            } else {
                Err(format!(
                    "a caller of `{name}`, which stores it, makes it strong and hands that \
                     reference on ({why}), others do not"
                ))
            };
        }
        match increfs.len() {
            0 => Ok(None),
            _ if unclear.is_some() => Err(unclear.unwrap_or_default()),
            n if n < calls.len() => Err(format!(
                "its callers make it strong after {n} of the {} calls of `{name}`, which \
                 stores it, and not after the others",
                calls.len(),
            )),
            _ if !callgraph::has_storage(function, bytes, "static") => Err(format!(
                "its callers in this unit make it strong after each call of `{name}`, which \
                 other units may call too"
            )),
            _ => Ok(Some((
                format!(
                    "{} after each call of `{name}`, which stores it",
                    increfs[0]
                ),
                false,
                None,
            ))),
        }
    }
}

impl<'t> Unit<'_, 't> {
    /// Whether the function around `store` (a write of the file's tree)
    /// takes a reference to what one of `names` spells (the storage
    /// written, `global.enc`, or the value stored, `name`): a CPython
    /// incref, a `Py_NewRef` whose result is dropped, a macro or a function
    /// of the unit that does one, read as [`Unit::effect_in`] reads the
    /// code after a borrowed store. A call that may take one in a way
    /// oncevar does not read counts as none.
    pub(crate) fn takes_reference(&self, store: Node<'t>, names: Vec<String>) -> bool {
        let Some(body) =
            parse::enclosing_function(store).and_then(|f| f.child_by_field_name("body"))
        else {
            return false;
        };
        let target = Target {
            symbol: None,
            names,
            in_callees: false,
        };
        self.steps.set(0);
        matches!(
            self.effect_in(&[body], body.start_byte(), &target),
            Effect::Incref(_)
        )
    }
}
