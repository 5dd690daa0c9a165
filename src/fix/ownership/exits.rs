//! Whether the paths that run after a statement leave its function with an
//! error, read from what the function returns on them: a `Py_DECREF` of a
//! static's new reference followed only by error exits gives nothing away
//! (on success the static keeps its reference), one followed by a success
//! gives it away. The label a `goto` names says nothing (Argument Clinic's
//! `exit:` and the common `done:`, `finally:`, `out:` labels are shared by
//! the success and the error paths); the `return` the jump reaches does.
//!
//! An error value is one the function's callers take for an exception set:
//! `NULL` (or `0`) from a function returning a pointer, a negative number
//! from one returning an integer, a call that CPython's reference data
//! lists as always returning NULL (`PyErr_Format`, `PyErr_NoMemory`,
//! [`refcounts::lookup`]), a function of the unit whose every `return` is
//! one, or a local whose value on the path is one of these (its
//! initialiser, an assignment on the path, a test such as `if (res ==
//! NULL)` around the statement). What cannot be told is unknown, with the
//! reason; a path that may return a success (a call that can return an
//! object, `0` from an integer function, `Py_RETURN_NONE`) is a success.
//! A function that returns nothing has no error value: each of its exits
//! is unknown (breaker5 v36: a `tp_finalize` that reports its error with
//! `PyErr_WriteUnraisable` and returns).
//!
//! An `#if` chain on the path is read branch by branch (each build compiles
//! one; [`python3`] tells which some Python 3 build compiles), and the
//! branches must leave alike. An integer's test around the statement
//! (`if (rc < 0)`, `rc == -1`, `!rc`) says what a returned local holds, as
//! a NULL test does for a pointer.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use tree_sitter::Node;

use crate::analysis::callgraph::{self, is_identifier};
use crate::analysis::parse;
use crate::fix::ownership::macro_writes::{self, Target, Unread, Value};
use crate::fix::ownership::{expansion, python3, Unit, MAX_DEPTH, MAX_NESTING};
use crate::fix::refcounts::{self, Listed, Return};

/// How many syntax nodes one question may read before its answer is
/// unknown (a function of some 10,000 lines).
const MAX_NODES: usize = 200_000;

/// How many `goto`s one path follows: each is a call deeper on the stack.
const MAX_JUMPS: usize = 64;

/// How many `#if` chains one walk follows past their end for each branch
/// that goes on (when another branch leaves): each is a call deeper on
/// the stack, and reads the rest of the function again.
const MAX_CHAINS: usize = 32;

/// How many branches one walk asks whether a Python 3 build compiles:
/// each question reads the text before the branch. Past it, a branch
/// counts as compiled.
const MAX_LIVE_READS: usize = 16;

/// How the paths from a statement leave its function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Exit {
    /// Every path returns an error value of the function.
    Error,
    /// Some path returns a value that is no error (or returns nothing).
    Success,
    /// Not known: why (a clause naming the statement and the line).
    Unknown(String),
}

impl Exit {
    /// The exit of two sets of paths together: one success makes a success
    /// (the reference is given away on it), else one unknown an unknown.
    fn join(self, other: Exit) -> Exit {
        match (self, other) {
            (Exit::Success, _) | (_, Exit::Success) => Exit::Success,
            (Exit::Unknown(why), _) | (_, Exit::Unknown(why)) => Exit::Unknown(why),
            (Exit::Error, Exit::Error) => Exit::Error,
        }
    }
}

/// What a function returns, as far as an error value goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Returns {
    /// A pointer: `NULL` (or `0`) is the error.
    Pointer,
    /// An integer: a negative number is the error, `0` a success.
    Integer,
    /// Nothing: no `return` says whether its path failed (the error may
    /// be reported with `PyErr_WriteUnraisable`, or cleared), so each is
    /// unknown.
    Void,
    /// A type oncevar cannot place (a typedef).
    Unknown,
}

/// What a write met on the path leaves in a plain name.
#[derive(Clone, Debug)]
enum Set<'n> {
    /// `x = v`, `Py_XSETREF(x, v)`: the value.
    Value(Node<'n>),
    /// `Py_CLEAR(x)`, a macro's `(x) = NULL`: NULL.
    Null,
    /// A write under a condition, on this line.
    Conditional(usize),
    /// A write of a macro that is not read: why (a clause).
    Unread(String),
}

/// One walk over the paths of one function.
struct Walk<'u, 'a, 't, 'n> {
    unit: &'u Unit<'a, 't>,
    bytes: &'u [u8],
    function: Node<'n>,
    returns: Returns,
    /// The function's labels by name, read once.
    labels: Option<HashMap<&'u str, Node<'n>>>,
    /// The labels already followed on this walk (a `goto` back is a loop).
    followed: HashSet<usize>,
    /// Assignments to plain names met on the path, in order (those that
    /// macros make too), with what each leaves in its name.
    assigned: Vec<(Cow<'u, str>, Set<'n>)>,
    /// The exits met on side paths (an `if` on the way that returns).
    side: Option<Exit>,
    /// The statement the question is about.
    start: Node<'n>,
    /// How deep in helpers this walk is.
    depth: usize,
    nodes: usize,
    /// How many `#if` chains this walk has followed past their end.
    chains: usize,
    /// How many branches this walk has asked Python 3's builds about.
    live_reads: usize,
}

impl<'a, 't> Unit<'a, 't> {
    /// How the paths that run after `node` (a statement or a node inside
    /// one, of the unit's text) leave its function: [`Exit::Error`] when
    /// each returns an error value, [`Exit::Success`] when one may return
    /// something else, [`Exit::Unknown`] with the reason otherwise.
    pub(crate) fn exit_after(&self, node: Node) -> Exit {
        self.exit_after_at(node, 0)
    }

    fn exit_after_at<'n>(&self, node: Node<'n>, depth: usize) -> Exit {
        let bytes: &[u8] = &self.file.source.bytes;
        let Some(function) = parse::enclosing_function(node) else {
            return Exit::Unknown("it is not in a function".to_owned());
        };
        let mut walk = Walk::new(self, bytes, function, node, depth);
        let main = walk.after(node);
        match walk.side.take() {
            Some(side) => side.join(main),
            None => main,
        }
    }

    /// How a call of the unit's function `function` returns: an error on
    /// every `return`, a success on one, or unknown.
    fn helper_exit(&self, function: Node<'t>, depth: usize) -> Exit {
        let id = function.id();
        match self.exits.borrow().get(&id) {
            Some(Some(exit)) => return exit.clone(),
            Some(None) => return Exit::Unknown("it calls itself".to_owned()),
            None => {}
        }
        self.exits.borrow_mut().insert(id, None);
        let exit = self.helper_exit_uncached(function, depth);
        // Kept whatever the depth it was first asked at (the order of the
        // questions is the text's, so the answers are the same each run):
        // asked again, a helper is not read again, which bounds the work
        // of helpers whose many `return`s call one another.
        self.exits.borrow_mut().insert(id, Some(exit.clone()));
        exit
    }

    fn helper_exit_uncached(&self, function: Node<'t>, depth: usize) -> Exit {
        if depth >= MAX_DEPTH {
            return Exit::Unknown("its helpers nest too deep to follow".to_owned());
        }
        let bytes: &[u8] = &self.file.source.bytes;
        let Some(body) = function.child_by_field_name("body") else {
            return Exit::Unknown("it has no body".to_owned());
        };
        let mut exit: Option<Exit> = None;
        let mut pending = vec![body];
        let mut nodes = 0usize;
        while let Some(node) = pending.pop() {
            nodes += 1;
            if nodes > MAX_NODES {
                return Exit::Unknown("it is too long to read".to_owned());
            }
            if node.kind() == "return_statement" {
                let mut walk = Walk::new(self, bytes, function, node, depth + 1);
                let this = walk.returned(node);
                exit = Some(match exit {
                    Some(e) => e.join(this),
                    None => this,
                });
                if exit == Some(Exit::Success) {
                    return Exit::Success;
                }
                continue;
            }
            let mut cursor = node.walk();
            pending.extend(node.named_children(&mut cursor));
        }
        exit.unwrap_or(
            match Walk::new(self, bytes, function, body, depth).returns {
                Returns::Void => no_error_value("its end"),
                _ => Exit::Unknown("it has no `return`".to_owned()),
            },
        )
    }
}

impl<'u, 'a, 't, 'n> Walk<'u, 'a, 't, 'n> {
    fn new(
        unit: &'u Unit<'a, 't>,
        bytes: &'u [u8],
        function: Node<'n>,
        start: Node<'n>,
        depth: usize,
    ) -> Self {
        Walk {
            unit,
            bytes,
            function,
            returns: returns_of(function, bytes),
            labels: None,
            followed: HashSet::new(),
            assigned: Vec::new(),
            side: None,
            start,
            depth,
            nodes: 0,
            chains: 0,
            live_reads: 0,
        }
    }

    fn line(&self, node: Node) -> usize {
        self.unit.file.source.file_line(node.start_byte())
    }

    fn text(&self, node: Node) -> &'u str {
        node.utf8_text(self.bytes).unwrap_or("")
    }

    /// Counts `n` nodes read; false past [`MAX_NODES`].
    fn read(&mut self, n: usize) -> bool {
        self.nodes += n;
        self.nodes <= MAX_NODES
    }

    fn add_side(&mut self, exit: Exit) {
        self.side = Some(match self.side.take() {
            Some(s) => s.join(exit),
            None => exit,
        });
    }

    /// The exit of the paths that run after `node`: the statements after
    /// it in its block, then after each enclosing statement in turn.
    fn after(&mut self, node: Node<'n>) -> Exit {
        let mut statement = node;
        for parent in parse::ancestors(node) {
            match parent.kind() {
                "function_definition" => return self.falls_off(parent),
                "compound_statement" | "case_statement" => {
                    for n in parse::named_siblings(parent, statement).1 {
                        if let Some(exit) = self.statement(n) {
                            return exit;
                        }
                    }
                }
                k if is_preproc_branch(k) => {
                    // The rest of this branch; then, past the other
                    // branches of its chain (other builds), what follows
                    // the chain.
                    let alternative = parent.child_by_field_name("alternative");
                    if alternative.map(|a| a.id()) != Some(statement.id()) {
                        for n in parse::named_siblings(parent, statement).1 {
                            if alternative.is_some_and(|a| a.id() == n.id()) {
                                break;
                            }
                            if let Some(exit) = self.statement(n) {
                                return exit;
                            }
                        }
                    }
                }
                // `do { … } while (0)` runs once: the path goes on after it.
                "do_statement" if runs_once(parent, self.bytes) => {}
                "for_statement" | "while_statement" | "do_statement" => {
                    return Exit::Unknown(format!(
                        "the loop on line {} runs it again",
                        self.line(parent)
                    ));
                }
                "switch_statement" => {
                    return Exit::Unknown(format!(
                        "the `switch` on line {} goes on from it",
                        self.line(parent)
                    ));
                }
                _ => {}
            }
            statement = parent;
        }
        Exit::Unknown("it is not in a function".to_owned())
    }

    /// Control that runs off the end of the function.
    fn falls_off(&self, function: Node) -> Exit {
        let line = self.unit.file.source.file_line(function.end_byte());
        match self.returns {
            Returns::Void => no_error_value(&format!("the end of the function on line {line}")),
            _ => Exit::Unknown(format!(
                "control runs off the end of the function on line {line}"
            )),
        }
    }

    /// One statement on the path: `Some` with the exit when the path
    /// leaves there, `None` when it goes on to the next statement (an exit
    /// on a side path, in an `if` on the way, is kept in `side`).
    fn statement(&mut self, node: Node<'n>) -> Option<Exit> {
        if !self.read(1) {
            return Some(Exit::Unknown("the function is too long to read".to_owned()));
        }
        match node.kind() {
            "return_statement" => Some(self.returned(node)),
            "goto_statement" => Some(self.goto(node)),
            "labeled_statement" => {
                let inner = last_statement(node)?;
                self.statement(inner)
            }
            "break_statement" | "continue_statement" => Some(self.broken_out(node)),
            "expression_statement" => {
                let expression = node.named_child(0)?;
                if let Some(exit) = self.macro_statement(expression) {
                    return Some(exit);
                }
                self.record_assignments(expression);
                None
            }
            "preproc_if" | "preproc_ifdef" => self.chain(node),
            "comment" | "declaration" | "preproc_call" => {
                if node.kind() == "declaration" {
                    self.record_assignments(node);
                }
                None
            }
            _ => {
                self.conditional(node);
                None
            }
        }
    }

    /// An `#if` chain on the path: each build compiles one branch, so each
    /// branch that some Python 3 build compiles is read as the path on its
    /// own, through to what follows the chain when it does not leave. The
    /// branches must leave the same way (one fix serves every build);
    /// otherwise the exit is unknown. `None` when no branch leaves: the
    /// walk goes on after the chain, the branches' assignments unknown.
    fn chain(&mut self, node: Node<'n>) -> Option<Exit> {
        let line = self.line(node);
        let branches = self.live_branches(node);
        let (assigned, followed) = (self.assigned.len(), self.followed.clone());
        let mut leaves: Vec<Option<Exit>> = Vec::new();
        for branch in &branches {
            self.assigned.truncate(assigned);
            self.followed.clone_from(&followed);
            let mut exit = None;
            for &n in branch {
                exit = self.statement(n);
                if exit.is_some() {
                    break;
                }
            }
            leaves.push(exit);
        }
        self.assigned.truncate(assigned);
        self.followed.clone_from(&followed);
        if leaves.iter().all(Option::is_none) {
            self.conditional(node);
            return None;
        }
        // A branch that goes on reaches what follows the chain, with its
        // own assignments: the rest of the function is read once more.
        if leaves.iter().any(Option::is_none) {
            self.chains += 1;
            if self.chains > MAX_CHAINS {
                return Some(Exit::Unknown(format!(
                    "the `#if` on line {line} is one of more than {MAX_CHAINS} on the path \
                     that some builds leave by and others go on from"
                )));
            }
        }
        let mut exits: Vec<Exit> = Vec::new();
        for (branch, exit) in branches.iter().zip(leaves) {
            let exit = match exit {
                Some(exit) => exit,
                None => {
                    self.assigned.truncate(assigned);
                    self.followed.clone_from(&followed);
                    for &n in branch {
                        self.statement(n);
                    }
                    self.after(node)
                }
            };
            exits.push(exit);
        }
        self.assigned.truncate(assigned);
        self.followed = followed;
        let first = exits[0].clone();
        if exits.iter().all(|e| *e == first) {
            return Some(first);
        }
        Some(
            exits
                .into_iter()
                .find(|e| matches!(e, Exit::Unknown(_)))
                .unwrap_or_else(|| {
                    Exit::Unknown(format!(
                "the branches of the `#if` on line {line} leave the function differently (an \
                 error in one build, a success in another)"
            ))
                }),
        )
    }

    /// The statements of each branch of the `#if` chain `node` that some
    /// Python 3 build compiles (read by [`python3::compiled_by_python3`],
    /// the unit's own macros unknown), and an empty branch for the builds
    /// that compile none when the chain has no `#else`.
    fn live_branches(&mut self, node: Node<'n>) -> Vec<Vec<Node<'n>>> {
        let mut branches = Vec::new();
        let mut branch = Some(node);
        let mut has_else = false;
        let no_defines = HashMap::new();
        while let Some(b) = branch {
            if !self.read(1) {
                break;
            }
            has_else |= b.kind() == "preproc_else";
            let alternative = b.child_by_field_name("alternative");
            let skipped: Vec<usize> = ["condition", "name", "alternative"]
                .iter()
                .filter_map(|f| b.child_by_field_name(f).map(|c| c.id()))
                .collect();
            let mut cursor = b.walk();
            let statements: Vec<Node<'n>> = b
                .named_children(&mut cursor)
                .filter(|c| !skipped.contains(&c.id()))
                .collect();
            // Each reading costs the text before it: past the budget, a
            // branch counts as compiled.
            let live = match statements.first() {
                Some(first) if self.live_reads < MAX_LIVE_READS => {
                    self.live_reads += 1;
                    python3::compiled_by_python3(self.bytes, first.start_byte(), &no_defines)
                }
                _ => true,
            };
            if live {
                branches.push(statements);
            }
            branch = alternative;
        }
        if !has_else {
            branches.push(Vec::new());
        }
        branches
    }

    /// The exit of a `break` or `continue` statement: out of a `do { … }
    /// while (0)`, which runs once, both go on after it (a `continue`
    /// tests the `0`); out of another loop, or a `break` out of a
    /// `switch`, the path is unknown.
    fn broken_out(&mut self, node: Node<'n>) -> Exit {
        let keyword = self.text(node).trim_end_matches(';').trim();
        let line = self.line(node);
        for parent in parse::ancestors(node) {
            match parent.kind() {
                "do_statement" if runs_once(parent, self.bytes) => return self.after(parent),
                "switch_statement" if keyword.starts_with("continue") => {}
                "for_statement"
                | "while_statement"
                | "do_statement"
                | "switch_statement"
                | "function_definition" => break,
                _ => {}
            }
        }
        Exit::Unknown(format!(
            "the `{keyword}` on line {line} leaves for the loop around it"
        ))
    }

    /// A statement that may or may not leave (an `if`, a loop, a block):
    /// its assignments make their names unknown on the path, and each exit
    /// in it is a side path.
    fn conditional(&mut self, node: Node<'n>) {
        let line = self.line(node);
        // (node, inside a loop or switch of its own)
        let mut pending = vec![(node, false)];
        while let Some((n, in_loop)) = pending.pop() {
            if !self.read(1) {
                self.add_side(Exit::Unknown(format!(
                    "the statement on line {line} is too long to read"
                )));
                return;
            }
            let exit = match n.kind() {
                "return_statement" => Some(self.returned(n)),
                "goto_statement" => Some(self.goto(n)),
                "break_statement" | "continue_statement" if !in_loop => Some(self.broken_out(n)),
                "expression_statement" => {
                    let expression = n.named_child(0);
                    let exit = expression.and_then(|e| self.macro_statement(e));
                    if let Some(e) = expression.filter(|e| e.kind() == "identifier") {
                        // `RESET;`: an object-like macro's writes.
                        self.record_macro_writes(e, true);
                    }
                    exit
                }
                "call_expression" => {
                    self.record_macro_writes(n, true);
                    None
                }
                "assignment_expression" | "update_expression" => {
                    if let Some(name) = assigned_name(n, self.bytes) {
                        self.assigned
                            .push((Cow::Borrowed(name), Set::Conditional(self.line(n))));
                    }
                    None
                }
                _ => None,
            };
            if let Some(exit) = exit {
                self.add_side(exit);
                continue;
            }
            let inner = in_loop
                || matches!(
                    n.kind(),
                    "for_statement" | "while_statement" | "do_statement" | "switch_statement"
                );
            let mut cursor = n.walk();
            let children: Vec<Node<'n>> = n.named_children(&mut cursor).collect();
            pending.extend(children.into_iter().rev().map(|c| (c, inner)));
        }
    }

    /// Records the assignments in an expression statement: a whole-
    /// statement `x = v` with its value, a whole-statement call of a
    /// setting macro (`Py_CLEAR(x)`, `Py_XSETREF(x, v)`, a unit's
    /// `SET_RESULT(x, v)`) with the values it gives, any other as unknown.
    fn record_assignments(&mut self, expression: Node<'n>) {
        if expression.kind() == "assignment_expression" {
            let right = expression.child_by_field_name("right");
            if let (Some(name), Some(right)) = (assigned_name(expression, self.bytes), right) {
                let plain = expression
                    .child_by_field_name("operator")
                    .is_some_and(|o| self.text(o) == "=");
                if plain {
                    // What is inside the value is read in turn below.
                    self.assigned.push((Cow::Borrowed(name), Set::Value(right)));
                    self.record_nested(right);
                    return;
                }
            }
        }
        if matches!(expression.kind(), "call_expression" | "identifier") {
            self.record_macro_writes(expression, false);
            if let Some(arguments) = expression.child_by_field_name("arguments") {
                self.record_nested(arguments);
            }
            return;
        }
        self.record_nested(expression);
    }

    fn record_nested(&mut self, node: Node<'n>) {
        let mut pending = vec![node];
        while let Some(n) = pending.pop() {
            if !self.read(1) {
                return;
            }
            if matches!(n.kind(), "assignment_expression" | "update_expression") {
                if let Some(name) = assigned_name(n, self.bytes) {
                    self.assigned
                        .push((Cow::Borrowed(name), Set::Conditional(self.line(n))));
                }
            }
            if n.kind() == "call_expression" {
                self.record_macro_writes(n, true);
            }
            if n.kind() == "init_declarator" {
                // `PyObject *out = res;`: the name under the pointers.
                let mut declarator = n.child_by_field_name("declarator");
                while let Some(d) = declarator.filter(|d| d.kind() == "pointer_declarator") {
                    declarator = d.child_by_field_name("declarator");
                }
                if let Some(name) = declarator.filter(|d| d.kind() == "identifier") {
                    let set = match n.child_by_field_name("value") {
                        Some(value) => Set::Value(value),
                        None => Set::Conditional(self.line(n)),
                    };
                    self.assigned.push((Cow::Borrowed(self.text(name)), set));
                }
            }
            let mut cursor = n.walk();
            pending.extend(n.named_children(&mut cursor));
        }
    }

    /// Records the writes of a call of a setting macro (or of an object-
    /// like macro's name as a statement); `conditional` when it is not a
    /// whole statement on the path, so that a value it gives is unknown.
    fn record_macro_writes(&mut self, node: Node<'n>, conditional: bool) {
        let line = self.line(node);
        for (name, set) in self.macro_writes(node) {
            let set = match set {
                Set::Value(_) | Set::Null if conditional => Set::Conditional(line),
                set => set,
            };
            self.assigned.push((name, set));
        }
    }

    /// The plain names a call (`Py_CLEAR(res)`, `SET_RESULT(res, v)`) or
    /// an object-like macro's name (`RESET`) sets, in order, and what it
    /// leaves in each: CPython's setting macros and the unit's macros, read
    /// by [`macro_writes::call_writes`]. A macro whose writes are not read
    /// may set each name it is given or spells ([`Set::Unread`]). A call of
    /// a function sets none: C passes its arguments by value.
    fn macro_writes(&mut self, node: Node<'n>) -> Vec<(Cow<'u, str>, Set<'n>)> {
        let (name, arguments): (&'u str, Vec<Node<'n>>) = match node.kind() {
            "call_expression" => {
                let Some(callee) = node
                    .child_by_field_name("function")
                    .filter(|f| f.kind() == "identifier")
                else {
                    return Vec::new();
                };
                let Some(list) = node.child_by_field_name("arguments") else {
                    return Vec::new();
                };
                let mut cursor = list.walk();
                let arguments = list
                    .named_children(&mut cursor)
                    .filter(|a| a.kind() != "comment")
                    .collect();
                (self.text(callee), arguments)
            }
            "identifier" => (self.text(node), Vec::new()),
            _ => return Vec::new(),
        };
        let line = self.line(node);
        let unread = |why: &str| Set::Unread(format!("the macro `{name}` on line {line} {why}"));
        let writes = match macro_writes::call_writes(&self.unit.macros, name) {
            Ok(writes) => writes,
            Err(Unread) => {
                let mut names: Vec<Cow<'u, str>> = arguments
                    .iter()
                    .map(|a| parse::strip_parens(*a))
                    .filter(|a| a.kind() == "identifier")
                    .map(|a| Cow::Borrowed(self.text(a)))
                    .collect();
                names.extend(
                    macro_writes::names_in(&self.unit.macros, name)
                        .into_iter()
                        .map(Cow::Owned),
                );
                return names
                    .into_iter()
                    .map(|n| (n, unread("may set it in a way oncevar does not read")))
                    .collect();
            }
        };
        let mut sets = Vec::new();
        for (target, value) in writes {
            let target = match target {
                Target::Parameter(i) => match arguments.get(i).map(|a| parse::strip_parens(*a)) {
                    Some(a) if a.kind() == "identifier" => Cow::Borrowed(self.text(a)),
                    // `Py_CLEAR(self->x)`: no plain name.
                    Some(_) => continue,
                    None => return Vec::new(),
                },
                Target::Name(n) => Cow::Owned(n),
            };
            let set = match value {
                Value::Parameter(i) => match arguments.get(i) {
                    Some(&a) => Set::Value(a),
                    None => unread("is given fewer arguments than it takes"),
                },
                Value::Null => Set::Null,
                Value::Other => unread("sets it to a value oncevar does not read"),
            };
            sets.push((target, set));
        }
        sets
    }

    /// A statement that is a macro of the unit (`FAIL();`, `BAIL;`,
    /// `RAISE_NULL("msg");`), or one of CPython's `Py_RETURN_NONE`-style
    /// returns: `Some` with the exit when it leaves the function, `None`
    /// when it goes on (a macro that leaves only under its own condition,
    /// `#define RETURN_IF(c) if (c) return NULL`, has its exits kept as
    /// side paths). The invocation is expanded as the preprocessor does,
    /// once for each combination of the definitions in `#if` branches
    /// (see [`Unit::expansions`]); each expansion must leave the same way,
    /// else the path is unknown.
    fn macro_statement(&mut self, expression: Node<'n>) -> Option<Exit> {
        let (name, arguments) = match expression.kind() {
            "call_expression" => {
                let arguments = expression
                    .child_by_field_name("arguments")
                    .map(|a| callgraph::pp_tokens(self.text(a)));
                let name = self.text(expression.child_by_field_name("function")?);
                (name, Some(arguments?))
            }
            "identifier" => (self.text(expression), None),
            _ => return None,
        };
        if matches!(
            name,
            "Py_RETURN_NONE"
                | "Py_RETURN_TRUE"
                | "Py_RETURN_FALSE"
                | "Py_RETURN_NOTIMPLEMENTED"
                | "Py_RETURN_RICHCOMPARE"
        ) {
            return Some(Exit::Success);
        }
        self.unit.macros.get(name)?;
        let line = self.line(expression);
        let arguments = match arguments {
            Some(tokens) => match expansion::arguments_at(&tokens, 0) {
                Some((arguments, _)) => Some(arguments),
                None => return None,
            },
            None => None,
        };
        let expansions = match self.unit.expansions(name, arguments.as_deref()) {
            Ok(expansions) => expansions,
            Err(why) => {
                // Unreadable: unknown when some body it may reach names
                // `return` or `goto`, else no leaving statement.
                return self.unit.may_leave(name).then(|| {
                    Exit::Unknown(format!(
                        "the macro `{name}` on line {line} may leave the function, and {why}"
                    ))
                });
            }
        };
        let mut leaves: Vec<Option<Exit>> = Vec::new();
        for tokens in &expansions {
            let Some(leaving) = expansion::leaving(tokens) else {
                return Some(Exit::Unknown(format!(
                    "the macro `{name}` on line {line} expands to a condition oncevar cannot read"
                )));
            };
            let mut exit: Option<Exit> = None;
            for one in &leaving.exits {
                // Each exit is read from the state at the macro: a label
                // followed for one is not passed for the next.
                let followed = self.followed.clone();
                let assigned = self.assigned.len();
                let this = match one {
                    Ok(value) => self.returned_tokens(value, name, line, 0),
                    Err(label) => self.goto_label(label, line),
                };
                self.followed = followed;
                self.assigned.truncate(assigned);
                exit = Some(match exit {
                    Some(e) => e.join(this),
                    None => this,
                });
            }
            match exit {
                Some(exit) if leaving.always => leaves.push(Some(exit)),
                Some(side) => {
                    self.add_side(side);
                    leaves.push(None);
                }
                None => leaves.push(None),
            }
        }
        let first = leaves.first().cloned().flatten();
        if leaves.iter().all(|l| *l == first) {
            return first;
        }
        Some(Exit::Unknown(format!(
            "the macro `{name}` on line {line} leaves the function differently in its \
             definitions for different builds"
        )))
    }

    /// The exit of `goto label;`.
    fn goto(&mut self, node: Node<'n>) -> Exit {
        let label = node
            .child_by_field_name("label")
            .map(|l| self.text(l))
            .unwrap_or("");
        let line = self.line(node);
        self.goto_label(label, line)
    }

    fn goto_label(&mut self, label: &str, line: usize) -> Exit {
        if self.labels.is_none() {
            let labels = labels_of(self.function, self.bytes);
            self.read(labels.1);
            self.labels = Some(labels.0);
        }
        let Some(&target) = self.labels.as_ref().and_then(|l| l.get(label)) else {
            return Exit::Unknown(format!(
                "the label `{label}` of the `goto` on line {line} is not in the function"
            ));
        };
        if self.followed.len() >= MAX_JUMPS {
            return Exit::Unknown(format!(
                "the `goto {label}` on line {line} is one of more than {MAX_JUMPS} jumps in a row"
            ));
        }
        if !self.followed.insert(target.id()) {
            return Exit::Unknown(format!(
                "the `goto {label}` on line {line} comes back to a label already passed"
            ));
        }
        // The labelled statement itself, then what follows it.
        if let Some(inner) = last_statement(target) {
            if let Some(exit) = self.statement(inner) {
                return exit;
            }
        }
        self.after(target)
    }

    /// The exit of a `return` statement.
    fn returned(&mut self, node: Node<'n>) -> Exit {
        let mut cursor = node.walk();
        let value = node
            .named_children(&mut cursor)
            .find(|c| c.kind() != "comment");
        match value {
            None => no_error_value(&format!("`return;` on line {}", self.line(node))),
            Some(v) => self.value(v, node, 0),
        }
    }

    /// Whether `value`, returned by the `return` `at`, is an error value.
    fn value(&mut self, value: Node<'n>, at: Node<'n>, nesting: usize) -> Exit {
        if nesting >= MAX_NESTING || !self.read(1) {
            return Exit::Unknown(format!(
                "the value returned on line {} nests too deep",
                self.line(at)
            ));
        }
        let value = parse::strip_parens(value);
        let text = self.text(value);
        let line = self.line(value);
        match value.kind() {
            "null" => Exit::Error,
            "number_literal" | "unary_expression" => self.number(text, line),
            "true" | "string_literal" | "concatenated_string" | "pointer_expression" => {
                Exit::Success
            }
            "conditional_expression" => {
                let a = value.child_by_field_name("consequence");
                let b = value.child_by_field_name("alternative");
                match (a, b) {
                    (Some(a), Some(b)) => {
                        let a = self.value(a, at, nesting + 1);
                        a.join(self.value(b, at, nesting + 1))
                    }
                    _ => unknown_value(text, line),
                }
            }
            "call_expression" => {
                let callee = value
                    .child_by_field_name("function")
                    .map(|f| self.text(f))
                    .unwrap_or("");
                self.call(callee, line)
            }
            "identifier" => self.name(text, at, line, nesting),
            _ => unknown_value(text, line),
        }
    }

    /// A number returned: negative is an error; zero is the error of a
    /// pointer, the success of an integer.
    fn number(&self, text: &str, line: usize) -> Exit {
        let text = text.trim();
        if let Some(rest) = text.strip_prefix('-') {
            let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
            // `-1`, `-(1)`, `-ENOMEM` (errno's constants are positive).
            let constant = rest.starts_with(|c: char| c.is_ascii_digit())
                || rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                    && rest.starts_with(|c: char| c.is_ascii_uppercase());
            return if constant && self.returns != Returns::Pointer {
                Exit::Error
            } else {
                unknown_value(text, line)
            };
        }
        if !text.starts_with(|c: char| c.is_ascii_digit()) {
            return unknown_value(text, line);
        }
        let zero = text
            .trim_start_matches("0x")
            .trim_start_matches("0X")
            .trim_end_matches(['u', 'U', 'l', 'L'])
            .chars()
            .all(|c| c == '0');
        match (zero, self.returns) {
            (true, Returns::Pointer) => Exit::Error,
            (true, Returns::Integer | Returns::Void) | (false, _) => Exit::Success,
            (true, Returns::Unknown) => Exit::Unknown(format!(
                "`return {text}` on line {line} is an error only if the function returns a \
                 pointer, and its return type is not known"
            )),
        }
    }

    /// A call returned: always NULL by CPython's data, a helper of the
    /// unit by its own returns; another function the data lists (with an
    /// object return or none) may succeed.
    fn call(&mut self, callee: &str, line: usize) -> Exit {
        match refcounts::lookup(callee) {
            Listed::Known(Return::Null) => return Exit::Error,
            Listed::Known(Return::New | Return::Borrowed) => return Exit::Success,
            Listed::Unknown(_) | Listed::Absent => {}
        }
        if refcounts::returns_no_object(callee) {
            return Exit::Success;
        }
        if let Some(&helper) = self.unit.functions().get(callee.as_bytes()) {
            return match self.unit.helper_exit(helper, self.depth + 1) {
                Exit::Unknown(why) => {
                    Exit::Unknown(format!("`{callee}` returned on line {line}: {why}"))
                }
                exit => exit,
            };
        }
        Exit::Unknown(format!(
            "`{callee}`, returned on line {line}, is neither in CPython's reference data nor a \
             function of the unit"
        ))
    }

    /// A name returned: a local by its value on the path, a C API object
    /// (`Py_None`) a success.
    fn name(&mut self, name: &'u str, at: Node<'n>, line: usize, nesting: usize) -> Exit {
        if let Some((_, set)) = self.assigned.iter().rev().find(|(n, _)| *n == name) {
            return match set.clone() {
                Set::Value(v) => self.value(v, at, nesting + 1),
                Set::Null => Exit::Error,
                Set::Conditional(assigned) => Exit::Unknown(format!(
                    "`{name}`, returned on line {line}, is assigned under a condition on line \
                     {assigned}"
                )),
                Set::Unread(why) => {
                    Exit::Unknown(format!("`{name}`, returned on line {line}: {why}"))
                }
            };
        }
        match self.before(name, self.start, nesting) {
            Some(exit) => exit,
            // An object-like macro of the unit (`#define STATUS_ERROR -1`).
            None if self
                .unit
                .macros
                .get(name)
                .is_some_and(|m| m.parameters.is_none()) =>
            {
                self.object_macro(name, line, nesting)
            }
            None => match refcounts::lookup(name) {
                Listed::Known(Return::Null) => Exit::Error,
                Listed::Known(_) => Exit::Success,
                _ => Exit::Unknown(format!(
                    "`{name}`, returned on line {line}, is no local of the function"
                )),
            },
        }
    }

    /// The value the local `name` holds at `at`, read backwards from it:
    /// an assignment or declaration before it in its block or the blocks
    /// around it, or the test of an `if` it is in (`if (res == NULL)`).
    /// `None` when `name` is no local of the function.
    fn before(&mut self, name: &'u str, at: Node<'n>, nesting: usize) -> Option<Exit> {
        let line = self.line(at);
        if let Some(taken) = self.address_taken(name) {
            return Some(Exit::Unknown(format!(
                "the address of `{name}` is taken on line {taken}, so a call may set it"
            )));
        }
        let mut statement = at;
        for parent in parse::ancestors(at) {
            match parent.kind() {
                "function_definition" => {
                    return is_parameter(parent, name, self.bytes).then(|| {
                        Exit::Unknown(format!(
                            "`{name}` is a parameter of the function, returned after line {line}"
                        ))
                    });
                }
                k if is_preproc_branch(k)
                    && parent
                        .child_by_field_name("alternative")
                        .is_some_and(|a| a.id() == statement.id()) => {}
                k if k == "compound_statement" || k == "case_statement" || is_preproc_branch(k) => {
                    for p in parse::named_siblings(parent, statement).0.into_iter().rev() {
                        if let Some(exit) = self.set_in(name, p, at, nesting) {
                            return Some(exit);
                        }
                    }
                }
                "if_statement" => {
                    let arm = |field: &str| {
                        parent
                            .child_by_field_name(field)
                            .is_some_and(|c| c.id() == statement.id())
                    };
                    let (consequence, alternative) = (arm("consequence"), arm("alternative"));
                    if let Some(condition) = parent.child_by_field_name("condition") {
                        // In the `then` arm the test holds, in `else` not.
                        let (holds, fails) = condition_test(condition, name, self.bytes, 0);
                        let held = match (consequence, alternative) {
                            (true, _) => holds,
                            (_, true) => fails,
                            _ => None,
                        };
                        if let Some(held) = held {
                            return Some(self.held(name, held, condition));
                        }
                        // A test of the name that is not read may be what
                        // makes it an error here (`if (FAILED(rc))`): its
                        // earlier value is not the value on this arm.
                        let tested = parse::word_ends(self.text(condition), name).next();
                        if (consequence || alternative) && tested.is_some() {
                            return Some(Exit::Unknown(format!(
                                "the test of `{name}` on line {} is not read",
                                self.line(condition)
                            )));
                        }
                    }
                }
                "do_statement" if runs_once(parent, self.bytes) => {}
                "for_statement" | "while_statement" | "do_statement" => {
                    if let Some(assigned) = self.assignment_in(parent, name) {
                        return Some(Exit::Unknown(format!(
                            "`{name}` is assigned on line {} in a loop around line {line}",
                            self.unit.file.source.file_line(assigned)
                        )));
                    }
                }
                _ => {}
            }
            statement = parent;
        }
        None
    }

    /// The exit of returning `name` where `condition` says it holds
    /// `held`: NULL is the error of a pointer, a negative number that of
    /// an integer; zero is an integer's success, and a number only known
    /// to be nonzero may be either (`-1`, or `1` from a call that returns
    /// 0 or 1).
    fn held(&self, name: &str, held: Held, condition: Node) -> Exit {
        let line = self.line(condition);
        match (self.returns, held) {
            // A return type oncevar cannot place (a typedef) is read as a
            // pointer by a NULL test, as before integers were told apart.
            (Returns::Pointer | Returns::Unknown, Held::Zero)
            | (Returns::Integer, Held::Negative) => Exit::Error,
            (Returns::Pointer | Returns::Unknown, Held::NonZero)
            | (Returns::Integer, Held::Zero | Held::NonNegative) => Exit::Success,
            (Returns::Integer, Held::NonZero) => Exit::Unknown(format!(
                "`{name}` is only known to be nonzero by the test on line {line}, and whether \
                 it is negative is not known"
            )),
            _ => Exit::Unknown(format!(
                "the test of `{name}` on line {line} does not say whether the function's \
                 return is an error"
            )),
        }
    }

    /// What the statement `p` before `at` tells of the local `name`:
    /// `Some` when it declares or sets it.
    fn set_in(&mut self, name: &'u str, p: Node<'n>, at: Node<'n>, nesting: usize) -> Option<Exit> {
        if !self.read(1) {
            return Some(Exit::Unknown("the function is too long to read".to_owned()));
        }
        match p.kind() {
            "declaration" => {
                let mut cursor = p.walk();
                for d in p.children_by_field_name("declarator", &mut cursor) {
                    if let Some(value) = declared_value(d, name, self.bytes) {
                        return Some(match value {
                            Some(v) => self.value(v, at, nesting + 1),
                            None => Exit::Unknown(format!(
                                "`{name}` is declared without a value on line {}",
                                self.line(p)
                            )),
                        });
                    }
                }
                None
            }
            "labeled_statement" => Some(Exit::Unknown(format!(
                "control also reaches line {} from a `goto` to the label on line {}",
                self.line(at),
                self.line(p)
            ))),
            "expression_statement" => {
                let e = p.named_child(0)?;
                if e.kind() == "assignment_expression"
                    && assigned_name(e, self.bytes) == Some(name)
                    && e.child_by_field_name("operator")
                        .is_some_and(|o| self.text(o) == "=")
                {
                    let right = e.child_by_field_name("right")?;
                    return Some(self.value(right, at, nesting + 1));
                }
                if matches!(e.kind(), "call_expression" | "identifier") {
                    // The last write of a setting macro's to `name`.
                    let set = self
                        .macro_writes(e)
                        .into_iter()
                        .rev()
                        .find(|(n, _)| n == name);
                    match set.map(|(_, set)| set) {
                        Some(Set::Value(v)) => return Some(self.value(v, at, nesting + 1)),
                        Some(Set::Null) => return Some(Exit::Error),
                        Some(Set::Unread(why)) => {
                            return Some(Exit::Unknown(format!("`{name}`: {why}")))
                        }
                        Some(Set::Conditional(_)) | None => {}
                    }
                }
                self.set_nested(name, p)
            }
            _ => self.set_nested(name, p),
        }
    }

    /// An assignment to `name` nested in `p` that may reach past it: one
    /// whose innermost block in `p` does not end by leaving (a `return`, a
    /// `goto`) is unknown.
    fn set_nested(&mut self, name: &str, p: Node<'n>) -> Option<Exit> {
        let mut pending = vec![(p, false)];
        while let Some((n, leaves)) = pending.pop() {
            if !self.read(1) {
                return Some(Exit::Unknown("the function is too long to read".to_owned()));
            }
            let writes = match n.kind() {
                "assignment_expression" | "update_expression" => {
                    assigned_name(n, self.bytes) == Some(name)
                }
                "call_expression" => self.macro_writes(n).iter().any(|(w, _)| w == name),
                "expression_statement" => n
                    .named_child(0)
                    .filter(|e| e.kind() == "identifier")
                    .is_some_and(|e| self.macro_writes(e).iter().any(|(w, _)| w == name)),
                _ => false,
            };
            if writes && !leaves {
                return Some(Exit::Unknown(format!(
                    "`{name}` is assigned under a condition on line {}",
                    self.line(n)
                )));
            }
            if n.kind() == "labeled_statement" {
                return Some(Exit::Unknown(format!(
                    "control also comes from a `goto` to the label on line {}",
                    self.line(n)
                )));
            }
            let leaves = match n.kind() {
                "compound_statement" => ends_by_leaving(n),
                // A bare `if (c) return x;` arm is its own block.
                "return_statement" | "goto_statement" => true,
                "if_statement" | "else_clause" | "for_statement" | "while_statement"
                | "do_statement" | "switch_statement" | "case_statement" => false,
                _ => leaves,
            };
            let mut cursor = n.walk();
            pending.extend(n.named_children(&mut cursor).map(|c| (c, leaves)));
        }
        None
    }

    /// The start byte of the first assignment to `name` in `node`, a
    /// setting macro's included.
    fn assignment_in(&mut self, node: Node<'n>, name: &str) -> Option<usize> {
        let mut pending = vec![node];
        while let Some(n) = pending.pop() {
            if !self.read(1)
                || assigned_name(n, self.bytes) == Some(name)
                || n.kind() == "call_expression"
                    && self.macro_writes(n).iter().any(|(w, _)| w == name)
            {
                return Some(n.start_byte());
            }
            let mut cursor = n.walk();
            pending.extend(n.named_children(&mut cursor));
        }
        None
    }

    /// The line of the first `&name` in the function.
    fn address_taken(&mut self, name: &str) -> Option<usize> {
        let mut pending = vec![self.function];
        while let Some(n) = pending.pop() {
            if !self.read(1) {
                return Some(self.line(self.function));
            }
            if n.kind() == "pointer_expression"
                && n.child_by_field_name("operator")
                    .is_some_and(|o| self.text(o) == "&")
                && n.child_by_field_name("argument")
                    .map(parse::strip_parens)
                    .is_some_and(|a| a.kind() == "identifier" && self.text(a) == name)
            {
                return Some(self.line(n));
            }
            let mut cursor = n.walk();
            pending.extend(n.named_children(&mut cursor));
        }
        None
    }

    /// A `return` written in a macro's expansion: its value's tokens.
    fn returned_tokens(
        &mut self,
        value: &[String],
        name: &str,
        line: usize,
        nesting: usize,
    ) -> Exit {
        let unread = |value: &[String]| {
            Exit::Unknown(format!(
                "the macro `{name}` on line {line} returns `{}`, which oncevar does not read",
                value.join(" ")
            ))
        };
        if nesting >= MAX_NESTING {
            return unread(value);
        }
        let value = strip_token_parens(value);
        match value {
            [] => Exit::Success,
            [word] if word == "NULL" => Exit::Error,
            [first, ..] if first == "-" || first.starts_with(|c: char| c.is_ascii_digit()) => {
                self.number(&value.concat(), line)
            }
            [word, open, .., close]
                if open == "("
                    && close == ")"
                    && is_identifier(word)
                    && expansion::arguments_at(value, 1).is_some_and(|(_, e)| e == value.len()) =>
            {
                self.call(word, line)
            }
            [word] if is_identifier(word) => match self.unit.macros.get(word.as_str()) {
                Some(m) if m.parameters.is_none() => self.object_macro(word, line, nesting),
                Some(_) => unread(value),
                None => match refcounts::lookup(word) {
                    Listed::Known(Return::Null) => Exit::Error,
                    Listed::Known(_) => Exit::Success,
                    _ => unread(value),
                },
            },
            _ => match strip_token_cast(value) {
                Some(rest) => self.returned_tokens(rest, name, line, nesting + 1),
                None => unread(value),
            },
        }
    }

    /// An object-like macro of the unit returned (`return ERR_RC;` with
    /// `#define ERR_RC (-1)`): the exit of each of its expansions, which
    /// must agree.
    fn object_macro(&mut self, word: &str, line: usize, nesting: usize) -> Exit {
        let expansions = match self.unit.expansions(word, None) {
            Ok(e) => e,
            Err(why) => {
                return Exit::Unknown(format!(
                    "the macro `{word}` returned on line {line} cannot be read: {why}"
                ))
            }
        };
        let mut exits = expansions
            .iter()
            .map(|tokens| self.returned_tokens(tokens, word, line, nesting + 1));
        let first = exits.next().unwrap_or(Exit::Success);
        for other in exits {
            if other != first {
                return Exit::Unknown(format!(
                    "the macro `{word}` returned on line {line} is an error in one definition \
                     and not in another"
                ));
            }
        }
        first
    }
}

/// `tokens` without the parentheses around all of them (`( ( - 1 ) )`).
fn strip_token_parens(mut tokens: &[String]) -> &[String] {
    while tokens.len() >= 2
        && tokens[0] == "("
        && expansion::arguments_at(tokens, 0).is_some_and(|(_, end)| end == tokens.len())
    {
        tokens = &tokens[1..tokens.len() - 1];
    }
    tokens
}

/// What follows a leading cast to a type spelled by names and `*`
/// (`( PyObject * ) NULL`, `( int ) - 1`); `None` when the tokens start
/// with no such cast.
fn strip_token_cast(tokens: &[String]) -> Option<&[String]> {
    let (_, end) = expansion::arguments_at(tokens, 0)?;
    let inner = &tokens[1..end - 1];
    let typed = !inner.is_empty()
        && is_identifier(&inner[0])
        && inner.iter().all(|t| is_identifier(t) || t == "*");
    (typed && end < tokens.len()).then(|| &tokens[end..])
}

/// Whether `node` is a `do { … } while (0)`, whose body runs once.
fn runs_once(node: Node, bytes: &[u8]) -> bool {
    node.kind() == "do_statement"
        && node
            .child_by_field_name("condition")
            .map(parse::strip_parens)
            .is_some_and(|c| parse::is_null_constant(c, bytes))
}

/// What the function `function` returns, from its declarator and type.
fn returns_of(function: Node, bytes: &[u8]) -> Returns {
    let Some(declarator) = function.child_by_field_name("declarator") else {
        return Returns::Unknown;
    };
    if declarator.kind() == "pointer_declarator" {
        return Returns::Pointer;
    }
    let type_text = function
        .child_by_field_name("type")
        .and_then(|t| t.utf8_text(bytes).ok())
        .unwrap_or("");
    let words: Vec<&str> = type_text.split_whitespace().collect();
    match words.as_slice() {
        ["void"] => Returns::Void,
        ["PyMODINIT_FUNC"] => Returns::Pointer,
        w if !w.is_empty()
            && w.iter().all(|w| {
                matches!(
                    *w,
                    "int" | "long" | "short" | "signed" | "char" | "Py_ssize_t" | "ssize_t"
                )
            }) =>
        {
            Returns::Integer
        }
        _ => Returns::Unknown,
    }
}

/// The function's labels by name, and how many nodes were read.
fn labels_of<'u, 'n>(function: Node<'n>, bytes: &'u [u8]) -> (HashMap<&'u str, Node<'n>>, usize) {
    let mut labels = HashMap::new();
    let mut pending = vec![function];
    let mut read = 0;
    while let Some(n) = pending.pop() {
        read += 1;
        if n.kind() == "labeled_statement" {
            if let Some(label) = n.child_by_field_name("label") {
                labels
                    .entry(label.utf8_text(bytes).unwrap_or(""))
                    .or_insert(n);
            }
        }
        if read > MAX_NODES {
            break;
        }
        let mut cursor = n.walk();
        pending.extend(n.named_children(&mut cursor));
    }
    (labels, read)
}

/// Whether a node of this kind is one branch of an `#if` chain, holding
/// statements as a block does.
fn is_preproc_branch(kind: &str) -> bool {
    matches!(
        kind,
        "preproc_if" | "preproc_ifdef" | "preproc_elif" | "preproc_elifdef" | "preproc_else"
    )
}

/// The statement a label labels.
fn last_statement(labeled: Node) -> Option<Node> {
    let mut cursor = labeled.walk();
    let statements: Vec<Node> = labeled
        .named_children(&mut cursor)
        .filter(|c| !matches!(c.kind(), "comment" | "statement_identifier"))
        .collect();
    statements.last().copied()
}

/// The plain name an assignment or `++`/`--` writes (`x = …`, `x += …`,
/// `x++`), if it writes one.
fn assigned_name<'s>(node: Node, bytes: &'s [u8]) -> Option<&'s str> {
    let target = match node.kind() {
        "assignment_expression" => node.child_by_field_name("left")?,
        "update_expression" => node.child_by_field_name("argument")?,
        _ => return None,
    };
    let target = parse::strip_parens(target);
    (target.kind() == "identifier").then(|| target.utf8_text(bytes).ok())?
}

/// Whether a block's last statement leaves (`return`, `goto`).
fn ends_by_leaving(block: Node) -> bool {
    let mut cursor = block.walk();
    let last = block
        .named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .last();
    last.is_some_and(|l| matches!(l.kind(), "return_statement" | "goto_statement"))
}

/// The value a declarator gives `name`: `Some(Some(v))` for `name = v`,
/// `Some(None)` without one, `None` when it declares another name.
fn declared_value<'n>(declarator: Node<'n>, name: &str, bytes: &[u8]) -> Option<Option<Node<'n>>> {
    let (target, value) = match declarator.kind() {
        "init_declarator" => (
            declarator.child_by_field_name("declarator")?,
            declarator.child_by_field_name("value"),
        ),
        _ => (declarator, None),
    };
    let mut target = target;
    while target.kind() == "pointer_declarator" {
        target = target.child_by_field_name("declarator")?;
    }
    (target.kind() == "identifier" && target.utf8_text(bytes) == Ok(name)).then_some(value)
}

/// Whether a function has a parameter `name`.
fn is_parameter(function: Node, name: &str, bytes: &[u8]) -> bool {
    let Some(text) = function
        .child_by_field_name("declarator")
        .and_then(|d| {
            let mut d = d;
            while d.kind() != "function_declarator" {
                d = d.child_by_field_name("declarator")?;
            }
            d.child_by_field_name("parameters")
        })
        .and_then(|p| p.utf8_text(bytes).ok())
    else {
        return false;
    };
    parse::word_ends(text, name).next().is_some()
}

/// What a condition says a name holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Held {
    /// NULL or zero (`!x`, `x == NULL`, `x == 0`).
    Zero,
    /// Not NULL, not zero (`x`, `x != NULL`): for an integer, possibly
    /// negative or positive.
    NonZero,
    /// A negative number (`x < 0`, `x == -1`, `x <= -1`).
    Negative,
    /// Zero or more (`x >= 0`, `x > -1`).
    NonNegative,
}

/// What an `if` condition says of `name`: what it holds where the
/// condition is true, and where it is false (`None` when it says
/// nothing). `a && b` is true only where both are, `a || b` false only
/// where both are; `!c` swaps. An assignment tested in place (`(rc =
/// f()) < 0`) tests its name. Read to [`MAX_NESTING`] levels.
fn condition_test(
    condition: Node,
    name: &str,
    bytes: &[u8],
    nesting: usize,
) -> (Option<Held>, Option<Held>) {
    if nesting >= MAX_NESTING {
        return (None, None);
    }
    let c = parse::strip_parens(condition);
    let text = |n: Node| n.utf8_text(bytes).unwrap_or("");
    let is_name = |n: Node| {
        let mut n = parse::strip_parens(n);
        if n.kind() == "assignment_expression"
            && n.child_by_field_name("operator").map(|o| o.kind()) == Some("=")
        {
            match n.child_by_field_name("left") {
                Some(left) => n = parse::strip_parens(left),
                None => return false,
            }
        }
        n.kind() == "identifier" && text(n) == name
    };
    match c.kind() {
        "identifier" | "assignment_expression" if is_name(c) => {
            (Some(Held::NonZero), Some(Held::Zero))
        }
        "unary_expression" => {
            let operator = c.child_by_field_name("operator").map(text);
            match (operator, c.child_by_field_name("argument")) {
                (Some("!"), Some(argument)) => {
                    let (t, f) = condition_test(argument, name, bytes, nesting + 1);
                    (f, t)
                }
                _ => (None, None),
            }
        }
        "binary_expression" => {
            let (Some(operator), Some(left), Some(right)) = (
                c.child_by_field_name("operator").map(text),
                c.child_by_field_name("left"),
                c.child_by_field_name("right"),
            ) else {
                return (None, None);
            };
            match operator {
                "&&" => {
                    let (a, _) = condition_test(left, name, bytes, nesting + 1);
                    let (b, _) = condition_test(right, name, bytes, nesting + 1);
                    (a.or(b), None)
                }
                "||" => {
                    let (_, a) = condition_test(left, name, bytes, nesting + 1);
                    let (_, b) = condition_test(right, name, bytes, nesting + 1);
                    (None, a.or(b))
                }
                _ => {
                    // The name on the left: `x < 0`; on the right, the
                    // comparison read mirrored: `0 > x` is `x < 0`.
                    let (operator, constant) = if is_name(left) {
                        (operator, right)
                    } else if is_name(right) {
                        let mirrored = match operator {
                            "<" => ">",
                            ">" => "<",
                            "<=" => ">=",
                            ">=" => "<=",
                            other => other,
                        };
                        (mirrored, left)
                    } else {
                        return (None, None);
                    };
                    let Some(k) = small_constant(constant, bytes) else {
                        return (None, None);
                    };
                    compared(operator, k)
                }
            }
        }
        _ => (None, None),
    }
}

/// What `x OP k` says of `x` where it is true and where it is false.
fn compared(operator: &str, k: i64) -> (Option<Held>, Option<Held>) {
    use Held::*;
    match (operator, k) {
        ("==", 0) => (Some(Zero), Some(NonZero)),
        ("!=", 0) => (Some(NonZero), Some(Zero)),
        ("==", k) if k < 0 => (Some(Negative), None),
        ("!=", k) if k < 0 => (None, Some(Negative)),
        ("<", k) if k <= 0 => (Some(Negative), Some(NonNegative)),
        ("<=", k) if k < 0 => (Some(Negative), Some(NonNegative)),
        ("<=", 0) => (None, Some(NonNegative)),
        (">=", 0) => (Some(NonNegative), Some(Negative)),
        (">", -1) => (Some(NonNegative), Some(Negative)),
        (">", k) if k >= 0 => (Some(NonNegative), None),
        (">=", k) if k > 0 => (Some(NonNegative), None),
        ("<", k) if k > 0 => (None, Some(NonNegative)),
        _ => (None, None),
    }
}

/// The value of a small integer constant: `0`, `-1`, `(-1)`, `NULL`
/// (zero).
fn small_constant(node: Node, bytes: &[u8]) -> Option<i64> {
    if parse::is_null_constant(node, bytes) {
        return Some(0);
    }
    let text: String = node
        .utf8_text(bytes)
        .ok()?
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '(' && *c != ')')
        .collect();
    let digits = text.strip_prefix('-').unwrap_or(&text);
    if digits.is_empty() || digits.len() > 9 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// The exit of a path that leaves a function returning nothing at
/// `place`: no value says whether it failed (a `tp_finalize` reports its
/// error with `PyErr_WriteUnraisable`, a warm-up helper clears it), so it
/// is unknown, never a success by default.
fn no_error_value(place: &str) -> Exit {
    Exit::Unknown(format!(
        "the function returns nothing, so whether the path that leaves it at {place} is an \
         error path is not known"
    ))
}

fn unknown_value(text: &str, line: usize) -> Exit {
    let mut shown: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if shown.len() > 60 {
        let mut cut = 57;
        while !shown.is_char_boundary(cut) {
            cut -= 1;
        }
        shown.truncate(cut);
        shown.push_str("...");
    }
    Exit::Unknown(format!(
        "whether `return {shown}` on line {line} returns an error is not known"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exits_join_success_first() {
        assert_eq!(Exit::Error.join(Exit::Error), Exit::Error);
        assert_eq!(Exit::Error.join(Exit::Success), Exit::Success);
        assert_eq!(Exit::Unknown("a".into()).join(Exit::Success), Exit::Success);
        assert_eq!(
            Exit::Error.join(Exit::Unknown("a".into())),
            Exit::Unknown("a".into())
        );
    }
}
