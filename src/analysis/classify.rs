//! Classification: relating each static's references to the evidence around
//! them. A write is *guarded* when control reaches it only while the static
//! (or an alias of it) is NULL: inside `if (v == NULL)`, on the right of
//! `!v && …`, after `if (v) return v;`, in the NULL arm of a ternary, or in a
//! function called only from such places. Guarded writes make a lazy cache;
//! writes that replace a live value (`v = v->next`, a setter) make state.

use std::cell::RefCell;
use std::collections::HashMap;

use tree_sitter::Node;

use crate::analysis::candidates::Candidate;
use crate::analysis::evidence::{Evidence, Test, Write};
use crate::analysis::parse::{self, strip_parens};
use crate::analysis::scope::{Resolution, SymbolId};

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
    pub symbol: SymbolId,
    pub kind: Kind,
    pub guards: Vec<Node<'t>>,
    pub assignments: Vec<Node<'t>>,
    pub releases: Vec<Node<'t>>,
}

pub fn classify<'t>(
    root: Node<'t>,
    source: &[u8],
    candidates: &[Candidate<'t>],
    resolution: &Resolution<'t>,
    evidence: &Evidence<'t>,
) -> Vec<Verdict<'t>> {
    let mut ctx = Context {
        root,
        source,
        resolution,
        evidence,
        value_aliases: HashMap::new(),
        pointer_aliases: HashMap::new(),
        calls: RefCell::default(),
    };
    ctx.find_aliases();

    let mut facts: Vec<Facts> = (0..resolution.symbols.len())
        .map(|_| Facts::default())
        .collect();
    for (id, symbol) in resolution.symbols.iter().enumerate() {
        for &reference in &symbol.references {
            ctx.examine_reference(id, reference, &mut facts[id]);
        }
    }
    ctx.examine_pointer_alias_writes(&mut facts);

    let mut verdicts = Vec::new();
    for (id, facts) in facts.into_iter().enumerate() {
        let any_object = resolution.symbols[id]
            .candidates
            .iter()
            .any(|&c| candidates[c].object);
        if facts.state {
            continue;
        }
        let mut guards: Vec<Node> = facts.guarded.iter().map(|w| w.1).collect();
        guards.sort_by_key(|n| n.start_byte());
        guards.dedup();
        if !facts.guarded.is_empty() {
            if facts.unguarded.iter().any(|w| !w.once) {
                continue; // also replaced elsewhere: a setter's state
            }
            verdicts.push(Verdict {
                symbol: id,
                kind: Kind::Lazy,
                guards,
                assignments: facts.guarded.iter().map(|w| w.0).collect(),
                releases: facts.releases,
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
            });
        }
    }
    verdicts
}

#[derive(Default)]
struct Facts<'t> {
    /// (write, guard) pairs.
    guarded: Vec<(Node<'t>, Node<'t>)>,
    unguarded: Vec<Unguarded<'t>>,
    releases: Vec<Node<'t>>,
    /// Flag tests (`if (!initialized)`) seen over unguarded writes.
    flags: Vec<Node<'t>>,
    /// Written as a cursor or counter: never a site.
    state: bool,
}

struct Unguarded<'t> {
    node: Node<'t>,
    /// In an init-like function or under an `initialized` flag.
    once: bool,
}

struct Context<'a, 't> {
    root: Node<'t>,
    source: &'a [u8],
    resolution: &'a Resolution<'t>,
    evidence: &'a Evidence<'t>,
    /// (function id, local name) of `T *p = v;` copies.
    value_aliases: HashMap<(usize, &'a [u8]), SymbolId>,
    /// (function id, local name) of `T **slot = &v;` pointers.
    pointer_aliases: HashMap<(usize, &'a [u8]), SymbolId>,
    /// Call sites by callee name, built on first need.
    calls: RefCell<HashMap<&'a [u8], Vec<Node<'t>>>>,
}

/// Callees that wrap a condition without changing it.
fn is_condition_wrapper(name: &[u8]) -> bool {
    let name = String::from_utf8_lossy(name).to_ascii_lowercase();
    name.contains("likely") || name.contains("expect")
}

fn function_id(node: Node) -> usize {
    parse::enclosing_function(node).map_or(0, |f| f.id())
}

impl<'a, 't> Context<'a, 't> {
    fn text(&self, node: Node) -> &'a [u8] {
        &self.source[node.start_byte()..node.end_byte()]
    }

    /// Local copies and pointers of each static, by function.
    fn find_aliases(&mut self) {
        for (id, symbol) in self.resolution.symbols.iter().enumerate() {
            for &reference in &symbol.references {
                let (node, pointer) = match self.evidence.addresses.get(&reference.id()) {
                    Some(&address) => (address, true),
                    None => (reference, false),
                };
                let Some(parent) = node.parent() else {
                    continue;
                };
                let alias = match parent.kind() {
                    "init_declarator" if parent.child_by_field_name("value") == Some(node) => {
                        declared_name(parent)
                    }
                    "assignment_expression"
                        if parent.child_by_field_name("right") == Some(node) =>
                    {
                        parent
                            .child_by_field_name("left")
                            .filter(|l| l.kind() == "identifier")
                    }
                    _ => None,
                };
                let Some(alias) = alias else { continue };
                if self.resolution.refs.contains_key(&alias.id()) {
                    continue; // `v = w` between two statics is no alias
                }
                let key = (function_id(node), self.text(alias));
                if pointer {
                    self.pointer_aliases.insert(key, id);
                } else {
                    self.value_aliases.insert(key, id);
                }
            }
        }
    }

    /// The static an expression names: directly, through a local copy, or
    /// through a pointer to it (`*slot`).
    fn subject(&self, node: Node, function: usize) -> Option<SymbolId> {
        let node = strip_parens(node);
        match node.kind() {
            "identifier" => self.resolution.refs.get(&node.id()).copied().or_else(|| {
                self.value_aliases
                    .get(&(function, self.text(node)))
                    .copied()
            }),
            "pointer_expression" if node.child_by_field_name("operator")?.kind() == "*" => {
                let argument = strip_parens(node.child_by_field_name("argument")?);
                (argument.kind() == "identifier")
                    .then(|| {
                        self.pointer_aliases
                            .get(&(function, self.text(argument)))
                            .copied()
                    })
                    .flatten()
            }
            _ => None,
        }
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

    /// A part of `expr` that proves `symbol` is NULL when `expr` evaluates
    /// to `outcome`: `v == NULL` or `!v` when true, `v` or `v != NULL` when
    /// false; through `&&` (true) and `||` (false), and `!` flips.
    fn proves_null(
        &self,
        expr: Node<'t>,
        outcome: bool,
        symbol: SymbolId,
        function: usize,
    ) -> Option<Node<'t>> {
        let expr = self.strip(expr);
        let wanted = if outcome { Test::IsNull } else { Test::NotNull };
        if let Some(&(subject, test)) = self.evidence.tests.get(&expr.id()) {
            return (test == wanted && self.subject(subject, function) == Some(symbol))
                .then_some(expr);
        }
        if !outcome && self.subject(expr, function) == Some(symbol) {
            return Some(expr); // `if (v)`
        }
        let junction = if outcome { "&&" } else { "||" };
        match (expr.kind(), operator(expr)) {
            ("binary_expression", Some(op)) if op == junction => {
                let left = expr.child_by_field_name("left")?;
                let right = expr.child_by_field_name("right")?;
                self.proves_null(left, outcome, symbol, function)
                    .or_else(|| self.proves_null(right, outcome, symbol, function))
            }
            ("unary_expression", Some("!")) => {
                let argument = expr.child_by_field_name("argument")?;
                self.proves_null(argument, !outcome, symbol, function)
                    .map(|_| expr)
            }
            _ => None,
        }
    }

    /// The guard that makes control reach `node` only while `symbol` is NULL,
    /// looking through one level of calls.
    fn guard(&self, node: Node<'t>, symbol: SymbolId) -> Option<Node<'t>> {
        let function = parse::enclosing_function(node);
        if let Some(guard) = self.local_guard(node, symbol, function.map_or(0, |f| f.id())) {
            return Some(guard);
        }
        let name = parse::function_name(function?, self.source)?;
        let calls = self
            .calls
            .borrow_mut()
            .entry(name.as_bytes())
            .or_insert_with(|| self.calls_to(name.as_bytes()))
            .clone();
        calls
            .into_iter()
            .find_map(|call| self.local_guard(call, symbol, function_id(call)))
    }

    fn local_guard(&self, node: Node<'t>, symbol: SymbolId, function: usize) -> Option<Node<'t>> {
        let mut child = node;
        while let Some(parent) = child.parent() {
            let field_is = |name| parent.child_by_field_name(name) == Some(child);
            let found = match parent.kind() {
                "function_definition" => return None,
                "if_statement" | "while_statement" | "for_statement"
                    if field_is("consequence") || field_is("body") =>
                {
                    parent
                        .child_by_field_name("condition")
                        .and_then(|c| self.proves_null(c, true, symbol, function))
                }
                "else_clause" => parent
                    .parent()
                    .and_then(|s| s.child_by_field_name("condition"))
                    .and_then(|c| self.proves_null(c, false, symbol, function)),
                "binary_expression" if field_is("right") => {
                    let left = parent.child_by_field_name("left");
                    match operator(parent) {
                        Some("&&") => {
                            left.and_then(|l| self.proves_null(l, true, symbol, function))
                        }
                        Some("||") => {
                            left.and_then(|l| self.proves_null(l, false, symbol, function))
                        }
                        _ => None,
                    }
                }
                "conditional_expression" => {
                    let condition = parent.child_by_field_name("condition");
                    if field_is("consequence") {
                        condition.and_then(|c| self.proves_null(c, true, symbol, function))
                    } else if field_is("alternative") {
                        condition.and_then(|c| self.proves_null(c, false, symbol, function))
                    } else {
                        None
                    }
                }
                "compound_statement" | "translation_unit" => self
                    .early_exit_guard(parent, child, symbol, function)
                    .or_else(|| self.split_if_guard(child, symbol, function)),
                _ => None,
            };
            if found.is_some() {
                return found;
            }
            child = parent;
        }
        None
    }

    /// `if (v) return v;` (or `goto`, `break`) before `child` in `block`.
    fn early_exit_guard(
        &self,
        block: Node<'t>,
        child: Node<'t>,
        symbol: SymbolId,
        function: usize,
    ) -> Option<Node<'t>> {
        let mut cursor = block.walk();
        for statement in block.named_children(&mut cursor) {
            if statement.id() == child.id() {
                break;
            }
            if statement.kind() == "if_statement"
                && statement.child_by_field_name("alternative").is_none()
                && statement
                    .child_by_field_name("consequence")
                    .is_some_and(|c| self.exits(c))
            {
                if let Some(guard) = statement
                    .child_by_field_name("condition")
                    .and_then(|c| self.proves_null(c, false, symbol, function))
                {
                    return Some(guard);
                }
            }
        }
        None
    }

    /// `if (v == NULL)` whose body is an `#ifdef` block: tree-sitter ends the
    /// `if` with an empty (missing) statement and makes the block its sibling.
    fn split_if_guard(
        &self,
        child: Node<'t>,
        symbol: SymbolId,
        function: usize,
    ) -> Option<Node<'t>> {
        if !child.kind().starts_with("preproc_if") {
            return None;
        }
        let previous = child
            .prev_named_sibling()
            .filter(|p| p.kind() == "if_statement")?;
        let consequence = previous.child_by_field_name("consequence")?;
        if consequence.start_byte() != consequence.end_byte() && !consequence.has_error() {
            return None;
        }
        self.proves_null(
            previous.child_by_field_name("condition")?,
            true,
            symbol,
            function,
        )
    }

    /// Whether a statement always leaves the enclosing block.
    fn exits(&self, statement: Node) -> bool {
        match statement.kind() {
            "return_statement" | "goto_statement" | "break_statement" | "continue_statement" => {
                true
            }
            "compound_statement" => {
                let mut cursor = statement.walk();
                let last = statement
                    .named_children(&mut cursor)
                    .filter(|n| n.kind() != "comment")
                    .last();
                last.is_some_and(|n| self.exits(n))
            }
            "expression_statement" => self.text(statement).starts_with(b"Py_RETURN_"),
            "if_statement" => {
                statement
                    .child_by_field_name("consequence")
                    .is_some_and(|c| self.exits(c))
                    && statement
                        .child_by_field_name("alternative")
                        .and_then(|e| e.named_child(0))
                        .is_some_and(|e| self.exits(e))
            }
            _ => false,
        }
    }

    /// `if (!initialized)` around `node`: a flag, not the static, decides.
    fn flag_guard(&self, node: Node<'t>) -> Option<Node<'t>> {
        let mut child = node;
        while let Some(parent) = child.parent() {
            match parent.kind() {
                "function_definition" | "translation_unit" => return None,
                "if_statement" if parent.child_by_field_name("consequence") == Some(child) => {
                    let condition = self.strip(parent.child_by_field_name("condition")?);
                    let flag = match (condition.kind(), operator(condition)) {
                        ("unary_expression", Some("!")) => condition
                            .child_by_field_name("argument")
                            .map(|a| self.strip(a)),
                        _ => match self.evidence.tests.get(&condition.id()) {
                            Some(&(subject, Test::IsNull)) => Some(strip_parens(subject)),
                            _ => None,
                        },
                    };
                    if flag.is_some_and(|f| f.kind() == "identifier") {
                        return Some(condition);
                    }
                }
                _ => {}
            }
            child = parent;
        }
        None
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

    fn examine_reference(&self, symbol: SymbolId, reference: Node<'t>, facts: &mut Facts<'t>) {
        let ev = self.evidence;
        if ev.updates.contains_key(&reference.id()) {
            facts.state = true;
        } else if let Some(&index) = ev.write_targets.get(&reference.id()) {
            self.examine_write(symbol, ev.writes[index], facts);
        } else if let Some(&address) = ev.addresses.get(&reference.id()) {
            // `init(&v)`: the callee writes it.
            if address
                .parent()
                .is_some_and(|p| p.kind() == "argument_list")
            {
                let call = address.parent().and_then(|p| p.parent()).unwrap_or(address);
                self.record_write(symbol, call, facts);
            }
        } else if let Some(call) = self.macro_write(reference) {
            self.record_write(symbol, call, facts);
        } else if let Some(release) = ev.releases.get(&reference.id()) {
            let name = self.text(release.function);
            let replacement = release
                .node
                .child_by_field_name("arguments")
                .and_then(|a| a.named_child(1));
            match replacement {
                // Py_SETREF(v, new): a write of a new value.
                Some(value) if name.ends_with(b"SETREF") => {
                    if !parse::is_null_constant(value, self.source) {
                        self.record_write(symbol, release.node, facts);
                    }
                }
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
                    if clears && self.guard(release.node, symbol).is_none() {
                        facts.releases.push(release.node);
                    }
                }
            }
        }
    }

    /// `MACRO(v, …)` where the file's `#define MACRO(x, …)` assigns `x`.
    fn macro_write(&self, reference: Node<'t>) -> Option<Node<'t>> {
        let macros = &self.evidence.macro_writes;
        if macros.is_empty() {
            return None;
        }
        let (callee, position, call) = parse::call_argument(reference, self.source)?;
        macros.get(callee)?.contains(&position).then_some(call)
    }

    fn examine_write(&self, symbol: SymbolId, write: Write<'t>, facts: &mut Facts<'t>) {
        if write.compound {
            facts.state = true;
            return;
        }
        if parse::is_null_constant(write.value, self.source) {
            return; // a reset, usually after a release
        }
        let (start, end) = (write.value.start_byte(), write.value.end_byte());
        let self_referential = self.resolution.symbols[symbol]
            .references
            .iter()
            .any(|&r| r.start_byte() >= start && r.end_byte() <= end && evaluated(r, write.value));
        if self_referential {
            facts.state = true; // `v = v->next`
            return;
        }
        self.record_write(symbol, write.node, facts);
    }

    fn record_write(&self, symbol: SymbolId, node: Node<'t>, facts: &mut Facts<'t>) {
        if let Some(guard) = self.guard(node, symbol) {
            facts.guarded.push((node, guard));
            return;
        }
        let flag = self.flag_guard(node);
        let init_like = parse::enclosing_function(node)
            .and_then(|f| parse::function_name(f, self.source))
            .is_some_and(is_init_like);
        if let Some(flag) = flag {
            facts.flags.push(flag);
        }
        facts.unguarded.push(Unguarded {
            node,
            once: init_like || flag.is_some(),
        });
    }

    /// `*slot = f()` where `slot = &v`.
    fn examine_pointer_alias_writes(&self, facts: &mut [Facts<'t>]) {
        if self.pointer_aliases.is_empty() {
            return;
        }
        for write in &self.evidence.writes {
            let target = strip_parens(write.target);
            if target.kind() != "pointer_expression" {
                continue;
            }
            let named = target
                .child_by_field_name("argument")
                .map(|a| self.text(strip_parens(a)));
            let candidate = self
                .pointer_aliases
                .keys()
                .any(|(_, name)| Some(*name) == named);
            if !candidate {
                continue;
            }
            if let Some(symbol) = self.subject(target, function_id(target)) {
                self.examine_write(symbol, *write, &mut facts[symbol]);
            }
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
        later.start_byte() > node.end_byte()
            && function_id(later) == function
            && later.parent().is_some_and(|p| {
                p.kind() == "assignment_expression"
                    && p.child_by_field_name("left") == Some(later)
                    && p.child_by_field_name("right")
                        .is_some_and(|v| parse::is_null_constant(v, source))
            })
    })
}

/// Whether `node`, inside `within`, is evaluated (not under `sizeof`).
fn evaluated(node: Node, within: Node) -> bool {
    let mut current = Some(node);
    while let Some(n) = current {
        if n.kind() == "sizeof_expression" || n.kind() == "alignof_expression" {
            return false;
        }
        if n.id() == within.id() {
            return true;
        }
        current = n.parent();
    }
    true
}

/// The name an `init_declarator` declares.
fn declared_name(init: Node) -> Option<Node> {
    let mut node = init.child_by_field_name("declarator")?;
    while node.kind() == "pointer_declarator" {
        node = node.child_by_field_name("declarator")?;
    }
    (node.kind() == "identifier").then_some(node)
}

/// Functions that run once per module or interpreter set-up.
pub fn is_init_like(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name.starts_with("PyInit_")
        || lower.contains("init")
        || lower.contains("exec")
        || lower.contains("setup")
}
