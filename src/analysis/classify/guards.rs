//! NULL guards and set-once flags: whether control reaches a write only
//! while the static (or an alias of it) is NULL, and which test proves it.

use super::spelled::{self, Elsewhere};
use super::*;
use crate::analysis::callgraph::{is_identifier, parenthesised_after, EdgeKind};
use crate::analysis::parse::{HasNodeId, NodeId};

impl<'a, 't> Context<'a, 't> {
    /// A part of `expr` that proves `symbol` is NULL when `expr` evaluates
    /// to `outcome`: `v == NULL` or `!v` when true, `v` or `v != NULL` when
    /// false; through `&&` (true) and `||` (false), and `!` flips.
    ///
    /// The expression is walked with the work left on a stack, not by
    /// recursion: a condition of 15,000 `&&` overflowed the thread's stack.
    /// Each frame is what the recursive definition would have left to do
    /// after the operand being evaluated:
    /// * a junction (`a && b` when true): `a`'s guard, else `b`'s;
    /// * the opposite junction (`a == NULL || b == NULL` when true): every
    ///   operand must be a NULL test of some static, the guard is the first
    ///   that proves `symbol` NULL;
    /// * `!`: the `!` expression itself when its operand proves it.
    pub(super) fn proves_null(
        &self,
        expr: Node<'t>,
        outcome: bool,
        symbol: SymbolId,
        function: Option<NodeId>,
    ) -> Option<Node<'t>> {
        self.proves_null_as(expr, outcome, symbol, function, false)
    }

    /// [`Self::proves_null`], or with `strict` without the opposite
    /// junction: `a == NULL || b == NULL` proves neither NULL when true.
    /// Strictly, every way through the condition to `outcome` finds
    /// `symbol` NULL, as a gate must ([`Self::object_gates`]): past `if (mod
    /// == NULL || attr == NULL)`, `mod` may be set.
    pub(super) fn proves_null_as(
        &self,
        expr: Node<'t>,
        outcome: bool,
        symbol: SymbolId,
        function: Option<NodeId>,
        strict: bool,
    ) -> Option<Node<'t>> {
        enum Then<'t> {
            Junction {
                right: Node<'t>,
                outcome: bool,
            },
            Opposite {
                operands: Vec<Node<'t>>,
                next: usize,
                outcome: bool,
                found: Option<Node<'t>>,
            },
            Not(Node<'t>),
            /// The expression whose condition is written elsewhere
            /// ([`Context::elsewhere`]): it proves what that proves.
            Stands(Node<'t>),
        }
        let mut then: Vec<Then<'t>> = Vec::new();
        let mut task = Some((expr, outcome));
        let mut elsewhere = 0;
        loop {
            // Evaluate `task`, or pushes what is left to do and a new task.
            let mut result = None;
            if let Some((expr, outcome)) = task.take() {
                let expr = self.strip(expr);
                let wanted = if outcome { Test::IsNull } else { Test::NotNull };
                let junction = if outcome { "&&" } else { "||" };
                let opposite = if outcome { "||" } else { "&&" };
                if let Some(&(subject, test)) = self.evidence.tests.get(&expr.node_id()) {
                    result = (test == wanted && self.subject_is(subject, function, symbol))
                        .then_some(expr);
                } else if !outcome && self.subject_is(expr, function, symbol) {
                    result = Some(expr); // `if (v)`
                } else if let Some(spelled) = (elsewhere < spelled::MAX_SPELLED)
                    .then(|| self.elsewhere(expr, function))
                    .flatten()
                {
                    elsewhere += 1;
                    match spelled {
                        Elsewhere::Node(inner) => {
                            then.push(Then::Stands(expr));
                            task = Some((inner, outcome));
                            continue;
                        }
                        Elsewhere::Tokens(spelled) => {
                            let resolve = |name: &str| self.visible_named(name, function);
                            result = spelled
                                .proves(outcome, symbol, &resolve, strict)
                                .then_some(expr);
                        }
                    }
                } else {
                    match (expr.kind(), operator(expr)) {
                        ("binary_expression", Some(op)) if op == junction => {
                            if let (Some(left), Some(right)) = (
                                expr.child_by_field_name("left"),
                                expr.child_by_field_name("right"),
                            ) {
                                then.push(Then::Junction { right, outcome });
                                task = Some((left, outcome));
                                continue;
                            }
                        }
                        ("binary_expression", Some(op)) if op == opposite && !strict => {
                            let operands = flatten(expr, op);
                            then.push(Then::Opposite {
                                operands,
                                next: 0,
                                outcome,
                                found: None,
                            });
                        }
                        ("unary_expression", Some("!")) => {
                            if let Some(argument) = expr.child_by_field_name("argument") {
                                then.push(Then::Not(expr));
                                task = Some((argument, !outcome));
                                continue;
                            }
                        }
                        _ => {}
                    }
                }
            }
            // Hand `result` to the frames until one has more to evaluate.
            loop {
                match then.pop() {
                    None => return result,
                    Some(Then::Junction { right, outcome }) => {
                        if result.is_none() {
                            task = Some((right, outcome));
                            break;
                        }
                    }
                    Some(Then::Opposite {
                        operands,
                        next,
                        outcome,
                        mut found,
                    }) => {
                        if next > 0 {
                            match result {
                                Some(guard) => found = found.or(Some(guard)),
                                None if self
                                    .null_test_subject(operands[next - 1], outcome, function)
                                    .is_some() => {}
                                None => continue, // not a test: `result` stays None
                            }
                        }
                        if next == operands.len() {
                            result = found;
                            continue;
                        }
                        task = Some((operands[next], outcome));
                        then.push(Then::Opposite {
                            operands,
                            next: next + 1,
                            outcome,
                            found,
                        });
                        break;
                    }
                    Some(Then::Not(expr) | Then::Stands(expr)) => result = result.map(|_| expr),
                }
            }
        }
    }

    /// The static that a leaf test proves NULL when it evaluates to
    /// `outcome`: `v == NULL`, `!v` (true), `v`, `v != NULL` (false).
    pub(super) fn null_test_subject(
        &self,
        mut expr: Node<'t>,
        mut outcome: bool,
        function: Option<NodeId>,
    ) -> Option<SymbolId> {
        let mut elsewhere = 0;
        loop {
            expr = self.strip(expr);
            let wanted = if outcome { Test::IsNull } else { Test::NotNull };
            if let Some(&(subject, test)) = self.evidence.tests.get(&expr.node_id()) {
                return (test == wanted)
                    .then(|| self.subject(subject, function))
                    .flatten();
            }
            if let ("unary_expression", Some("!")) = (expr.kind(), operator(expr)) {
                expr = expr.child_by_field_name("argument")?;
                outcome = !outcome;
                continue;
            }
            if let Some(subject) = (!outcome).then(|| self.subject(expr, function)).flatten() {
                return Some(subject);
            }
            if elsewhere == spelled::MAX_SPELLED {
                return None;
            }
            elsewhere += 1;
            match self.elsewhere(expr, function)? {
                Elsewhere::Node(inner) => expr = inner,
                Elsewhere::Tokens(spelled) => {
                    let resolve = |name: &str| self.visible_named(name, function);
                    return spelled.subject(outcome, &resolve);
                }
            }
        }
    }

    /// A guard on a sibling: `condition` proves another static NULL, and
    /// that static is written between `start` and `end` (the guarded block),
    /// as in `if (head == NULL) { head = …; tail = …; }` for `tail`.
    pub(super) fn sibling_guard(
        &self,
        condition: Node<'t>,
        outcome: bool,
        (start, end): (usize, usize),
        symbol: SymbolId,
        function: Option<NodeId>,
    ) -> Option<Node<'t>> {
        if symbol == OUT_PARAM {
            return None;
        }
        self.condition_leaves(condition)
            .into_iter()
            .find_map(|leaf| {
                let other = [true, false]
                    .into_iter()
                    .find_map(|o| self.null_test_subject(leaf, o, function))?;
                if other == symbol || other == OUT_PARAM {
                    return None;
                }
                let guard = self.proves_null(condition, outcome, other, function)?;
                self.written_in(other, (start, end)).then_some(guard)
            })
    }

    /// The operands that `&&` and `||` join in `condition` (through
    /// parentheses and condition wrappers), in the order of the text.
    pub(super) fn condition_leaves(&self, condition: Node<'t>) -> Vec<Node<'t>> {
        let mut leaves = Vec::new();
        let mut pending = vec![condition];
        while let Some(node) = pending.pop() {
            let node = self.strip(node);
            match (node.kind(), operator(node)) {
                ("binary_expression", Some("&&" | "||")) => {
                    pending.extend(node.child_by_field_name("left"));
                    pending.extend(node.child_by_field_name("right"));
                }
                _ => leaves.push(node),
            }
        }
        leaves.sort_by_key(|n| n.start_byte());
        leaves
    }

    /// Whether `other` is given a value (not NULL) between bytes `start`
    /// and `end`: assigned, its address passed on, written by a macro
    /// (as an argument or in the macro's expansion) or through a table.
    pub(super) fn written_in(&self, other: SymbolId, (start, end): (usize, usize)) -> bool {
        {
            self.resolution.symbols[other].references.iter().any(|&r| {
                let assigned = self
                    .evidence
                    .assignment_targets
                    .get(&r.node_id())
                    .is_some_and(|&w| {
                        !parse::is_null_constant(self.evidence.assignments[w].value, self.source)
                    });
                // `init(&other)`, `ASSIGN(other, …)`
                let passed = evidence::address_argument(r, self.source).is_some()
                    || self.macro_write(r).is_some();
                r.start_byte() >= start && r.end_byte() <= end && (assigned || passed)
            }) || self.written_through_table(other, (start, end))
                || self.expansion_writes().iter().any(|w| {
                    w.symbol == other
                        && w.invocation.start_byte() >= start
                        && w.invocation.end_byte() <= end
                })
        }
    }

    /// The guard that makes control reach `node` only while `symbol` is NULL,
    /// looking through one level of calls.
    pub(super) fn guard(&self, node: Node<'t>, symbol: SymbolId) -> Option<Node<'t>> {
        let function = parse::enclosing_function(node);
        if let Some(guard) = self.local_guard(node, symbol, function.map(|f| f.node_id())) {
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
            .or_else(|| self.expansion_call_guard(name, function?, symbol))
    }

    /// The invocation of a macro of the unit whose expansion calls the
    /// helper `callee` (defined by `helper`) only while `symbol`, or a
    /// sibling that the helper writes, is NULL: `ENSURE_NAMES(return NULL)`
    /// with `#define ENSURE_NAMES(fail) do { if (!first && fill_names() <
    /// 0) fail; } while (0)`. The test is the operand right before the
    /// call: `!v &&`, `v == NULL &&`, `v ||`, `v != NULL ||`. Invocations
    /// are found by their text (a statement macro's arguments need not
    /// parse), at any depth of macros. A guard of a sibling links the two
    /// ([`Context::expansion_siblings`]): one guard fills both.
    fn expansion_call_guard(
        &self,
        callee: &str,
        helper: Node<'t>,
        symbol: SymbolId,
    ) -> Option<Node<'t>> {
        if symbol == OUT_PARAM {
            return None;
        }
        let unit = self
            .unit_macros
            .get_or_init(|| UnitMacros::of(self.root, self.source));
        let mut reaching: Vec<&str> = unit
            .names()
            .filter(|m| {
                unit.bodies(m)
                    .iter()
                    .any(|b| pp_tokens(b).iter().any(|t| t == callee))
            })
            .collect();
        if reaching.is_empty() {
            return None;
        }
        // Each round adds a macro or ends.
        loop {
            let more: Vec<&str> =
                unit.names()
                    .filter(|m| {
                        !reaching.contains(m)
                            && unit.bodies(m).iter().any(|b| {
                                pp_tokens(b).iter().any(|t| reaching.contains(&t.as_str()))
                            })
                    })
                    .collect();
            if more.is_empty() {
                break;
            }
            reaching.extend(more);
        }
        reaching.sort_unstable();
        let helper_range = (helper.start_byte(), helper.end_byte());
        for macro_name in reaching.into_iter().filter(|m| unit.is_function_like(m)) {
            for at in crate::scan::unit::occurrences(self.source, macro_name.as_bytes()) {
                let Some((arguments, close)) =
                    parenthesised_after(self.source, at + macro_name.len())
                else {
                    continue;
                };
                let Some(invocation) = self.root.descendant_for_byte_range(at, close) else {
                    continue;
                };
                let in_definition = parse::ancestors(invocation)
                    .any(|a| matches!(a.kind(), "preproc_def" | "preproc_function_def"));
                if in_definition || invocation.kind() == "translation_unit" {
                    continue;
                }
                let function = parse::enclosing_function(invocation);
                for tokens in unit
                    .expand_each(macro_name, Some(arguments), &[])
                    .iter()
                    .flatten()
                {
                    for k in (0..tokens.len()).filter(|&k| {
                        tokens[k] == callee && tokens.get(k + 1).is_some_and(|t| t == "(")
                    }) {
                        let Some(tested) = tested_before(tokens, k) else {
                            continue;
                        };
                        let Some(other) =
                            tables::visible(tested, function, self.resolution, self.candidates)
                        else {
                            continue;
                        };
                        if other == symbol {
                            return Some(invocation);
                        }
                        if self.written_in(other, helper_range) {
                            if symbol != NO_CANDIDATE {
                                self.expansion_siblings.borrow_mut().push((symbol, other));
                            }
                            return Some(invocation);
                        }
                    }
                }
            }
        }
        None
    }

    pub(super) fn local_guard(
        &self,
        node: Node<'t>,
        symbol: SymbolId,
        function: Option<NodeId>,
    ) -> Option<Node<'t>> {
        let mut child = node;
        let mut ancestors = parse::ancestors(node);
        while let Some(parent) = ancestors.next() {
            let field_is = |name| parent.child_by_field_name(name) == Some(child);
            let found = match parent.kind() {
                "function_definition" => return None,
                "if_statement" | "while_statement" | "for_statement"
                    if field_is("consequence") || field_is("body") =>
                {
                    parent.child_by_field_name("condition").and_then(|c| {
                        self.proves_null(c, true, symbol, function).or_else(|| {
                            let region = (child.start_byte(), child.end_byte());
                            self.sibling_guard(c, true, region, symbol, function)
                        })
                    })
                }
                // The `if` is the next ancestor (`Node::parent` would
                // descend from the root again: an `else if` chain of
                // 30,000 was quadratic).
                "else_clause" => ancestors
                    .first()
                    .and_then(|s| s.child_by_field_name("condition"))
                    .and_then(|c| self.proves_null(c, false, symbol, function)),
                "binary_expression" if field_is("right") => {
                    // `v == NULL && fill(&v, &w)`: the right operand runs
                    // while `v` is NULL, and fills `w` under `v`'s guard.
                    let region = (child.start_byte(), child.end_byte());
                    let outcome = match operator(parent) {
                        Some("&&") => Some(true),
                        Some("||") => Some(false),
                        _ => None,
                    };
                    outcome
                        .zip(parent.child_by_field_name("left"))
                        .and_then(|(o, l)| {
                            self.proves_null(l, o, symbol, function)
                                .or_else(|| self.sibling_guard(l, o, region, symbol, function))
                        })
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
                    .or_else(|| self.split_if_guard(parent, child, symbol, function)),
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
    pub(super) fn early_exit_guard(
        &self,
        block: Node<'t>,
        child: Node<'t>,
        symbol: SymbolId,
        function: Option<NodeId>,
    ) -> Option<Node<'t>> {
        for statement in self.exit_ifs_before(block, child, false) {
            if let Some(guard) = statement.child_by_field_name("condition").and_then(|c| {
                self.proves_null(c, false, symbol, function).or_else(|| {
                    let region = (statement.end_byte(), block.end_byte());
                    self.sibling_guard(c, false, region, symbol, function)
                })
            }) {
                return Some(guard);
            }
        }
        None
    }

    /// The statements of `block` (a compound statement or the file) before
    /// its child `child` that are an `if` whose branch always leaves the
    /// block ([`Self::exits`]), in order, those with an `else` only when
    /// `with_else`: the early exits that may guard what follows (without
    /// `else`: NULL guards, which an `else` may fill) or decide whether it
    /// runs (with: [`Self::state_test`]). The block's list is read once and
    /// kept (each fill of a block asked its statements again: 6,000 fills
    /// in one body were quadratic, 7 s).
    fn exit_ifs_before(
        &self,
        block: Node<'t>,
        child: Node<'t>,
        with_else: bool,
    ) -> impl Iterator<Item = Node<'t>> {
        let all = self
            .exit_ifs
            .borrow_mut()
            .entry(block.node_id())
            .or_insert_with(|| {
                let mut cursor = block.walk();
                let exits: Vec<(Node<'t>, bool)> = block
                    .named_children(&mut cursor)
                    .filter(|s| {
                        s.kind() == "if_statement"
                            && s.child_by_field_name("consequence")
                                .is_some_and(|c| self.exits(c))
                    })
                    .map(|s| (s, s.child_by_field_name("alternative").is_some()))
                    .collect();
                exits.into()
            })
            .clone();
        // Siblings do not overlap, and an `if` is never empty: those
        // before `child` start before it.
        let before = all.partition_point(|(s, _)| s.start_byte() < child.start_byte());
        (0..before).filter_map(move |i| {
            let (statement, has_else) = all[i];
            (with_else || !has_else).then_some(statement)
        })
    }

    /// `if (v == NULL)` whose body is an `#ifdef` block: tree-sitter ends the
    /// `if` with an empty (missing) statement and makes the block its sibling.
    /// `child` is that block, a child of `block`.
    pub(super) fn split_if_guard(
        &self,
        block: Node<'t>,
        child: Node<'t>,
        symbol: SymbolId,
        function: Option<NodeId>,
    ) -> Option<Node<'t>> {
        if !child.kind().starts_with("preproc_if") {
            return None;
        }
        let previous = *parse::named_siblings(block, child)
            .0
            .last()
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
    pub(super) fn exits(&self, statement: Node) -> bool {
        // Every statement on the list must exit (a block by its last
        // statement, an `if` by both branches); a list, not recursion, so
        // that 60,000 nested blocks do not overflow the stack.
        let mut pending = vec![statement];
        while let Some(statement) = pending.pop() {
            let exits = match statement.kind() {
                "return_statement" | "goto_statement" | "break_statement"
                | "continue_statement" => true,
                "compound_statement" => {
                    let mut cursor = statement.walk();
                    let last = statement
                        .named_children(&mut cursor)
                        .filter(|n| n.kind() != "comment")
                        .last();
                    pending.extend(last);
                    last.is_some()
                }
                "expression_statement" => {
                    self.text(statement).starts_with(b"Py_RETURN_") || self.exiting_macro(statement)
                }
                "if_statement" => {
                    let consequence = statement.child_by_field_name("consequence");
                    let alternative = statement
                        .child_by_field_name("alternative")
                        .and_then(|e| e.named_child(0));
                    pending.extend(consequence);
                    pending.extend(alternative);
                    consequence.is_some() && alternative.is_some()
                }
                _ => false,
            };
            if !exits {
                return false;
            }
        }
        true
    }

    /// `if (!initialized)` around `node`, or `if (done) return;` (or
    /// `goto`) before it: a flag, not the static, decides.
    ///
    /// Each answer is kept for every node climbed through on the way to it
    /// (the climb above a node is the same from any node below it), so
    /// that fills nested in thousands of blocks climb each block once.
    pub(super) fn flag_guard(&self, node: Node<'t>) -> Option<Node<'t>> {
        let mut climbed: Vec<NodeId> = Vec::new();
        let mut child = node;
        let mut found = None;
        for parent in parse::ancestors(node) {
            if let Some(&known) = self.flag_guards.borrow().get(&child.node_id()) {
                found = known;
                break;
            }
            climbed.push(child.node_id());
            let at = match parent.kind() {
                "function_definition" | "translation_unit" => break,
                "if_statement" if parent.child_by_field_name("consequence") == Some(child) => {
                    let Some(condition) = parent.child_by_field_name("condition") else {
                        break;
                    };
                    Some(self.strip(condition)).filter(|&c| self.flag_test(c, false))
                }
                "compound_statement" => {
                    self.exit_ifs_before(parent, child, false)
                        .find_map(|statement| {
                            statement
                                .child_by_field_name("condition")
                                .map(|c| self.strip(c))
                                .filter(|&c| self.flag_test(c, true))
                        })
                }
                _ => None,
            };
            if at.is_some() {
                found = at;
                break;
            }
            child = parent;
        }
        let mut known = self.flag_guards.borrow_mut();
        for id in climbed {
            known.insert(id, found);
        }
        found
    }

    /// A test of process-wide state that control passes on the way to a
    /// lazy fill `node`, in its function or in any function of the unit
    /// that reaches it (the call graph's edges, followed back to the
    /// roots): a set-once flag ([`Self::flag_guard`]), or any condition that
    /// reads an object the unit declares static or at file scope (a
    /// member or element of one too), through `&&`, `||`, `!` and `?:`:
    /// `if (initialized == 0 && …) { … }`, `if (!g_state.ready)`, `if
    /// (hits > 3) return;` before it. Such a fill may be skipped by a later
    /// interpreter, which would find its own slot empty. Names that the
    /// unit does not declare (a macro, an enumerator) are not state, nor is
    /// an address (`PyType_Ready(&T) < 0`).
    ///
    /// `gates` gains the tests passed on the way that prove NULL another
    /// static holding Python objects ([`Gate`], [`Self::object_gates`]),
    /// whose fix decides whether they gate the fill; complete when no test
    /// is found.
    pub(super) fn state_test(
        &self,
        node: Node<'t>,
        filled: SymbolId,
        gates: &mut Vec<Gate<'t>>,
    ) -> Option<StateTest<'t>> {
        if let Some(test) = self.state_test_in_function(node, filled, gates) {
            return Some(test);
        }
        if gates.len() > MAX_GATES_PER_FILL {
            return None;
        }
        let graph = self.call_graph.get(self.source);
        let start = graph.function_at(node)?;
        let mut seen = HashSet::from([start]);
        let mut pending = std::collections::VecDeque::from([start]);
        while let Some(function) = pending.pop_front() {
            for (caller, edge) in graph.callers(function) {
                let handed = if edge.kind == EdgeKind::Reference {
                    self.once_handoff(edge.site, filled)
                } else {
                    None
                };
                let known = gates.len();
                let found =
                    handed.or_else(|| self.state_test_in_function(edge.site, filled, gates));
                let names = || {
                    (
                        graph.functions()[caller].name.clone(),
                        graph.functions()[function].name.clone(),
                    )
                };
                for gate in &mut gates[known..] {
                    gate.caller = Some(names());
                }
                if let Some(mut test) = found {
                    test.caller = test.caller.or(Some(names()));
                    return Some(test);
                }
                if seen.insert(caller) {
                    pending.push_back(caller);
                }
            }
        }
        None
    }

    /// A function named at `site` (not called there) that runs once per
    /// process: the value reaches ([`CallGraph::value_uses`]) a call that
    /// also takes the address of a process-wide object the unit may write
    /// (`pthread_once(&once, init)`, `call_once(&flag, init)`,
    /// `InitOnceExecuteOnce(&once, init, …)`, `_PyOnceFlag_CallOnce(&flag,
    /// init, …)`, the unit's `run_once(&done, init)`), or the invocation of
    /// a macro of the unit whose body takes such an address (`#define
    /// ONCE(f) pthread_once(&once, f)`), or a call of the parameter it
    /// became under a test of process-wide state (`if (!done) { done = 1;
    /// fn(); }`). The flag decides whether the function runs, as a test of
    /// it would.
    fn once_handoff(&self, site: Node<'t>, filled: SymbolId) -> Option<StateTest<'t>> {
        let graph = self.call_graph.get(self.source);
        for (value, through) in graph.value_uses(site, self.source) {
            // `&init` is `init` where the function itself is named
            // (`call_once(&flag, &init)`), not a parameter that holds it.
            let (value, above) = parse::climb(value, |parent, child| {
                parse::holds_function_value(parent, child, through.is_empty())
                    || (parent.kind() == "pointer_expression" && operator(parent) == Some("*"))
            });
            let Some(parent) = above.first() else {
                continue;
            };
            // `fn()`, `(*fn)()`: the parameter called, under whatever its
            // function tests.
            if parent.kind() == "call_expression"
                && parent.child_by_field_name("function") == Some(value)
            {
                if let Some(mut test) = self.state_test_in_function(parent, filled, &mut Vec::new())
                {
                    let holder = graph
                        .function_at(parent)
                        .map(|f| &graph.functions()[f].name);
                    test.caller = holder.map(|h| {
                        let called = String::from_utf8_lossy(self.text(value));
                        (h.clone(), called.trim().to_owned())
                    });
                    return Some(test);
                }
                continue;
            }
            let Some(call) = above
                .get(1)
                .filter(|c| parent.kind() == "argument_list" && c.kind() == "call_expression")
            else {
                continue;
            };
            let mut cursor = parent.walk();
            let flag = parent
                .named_children(&mut cursor)
                .map(|a| self.strip(a))
                .filter(|a| a.kind() == "pointer_expression" && operator(*a) == Some("&"))
                .find_map(|a| {
                    let object = a.child_by_field_name("argument")?;
                    let base = written_object(object)?;
                    let shared = !self.resolution.refs.contains_key(&base.node_id())
                        && !self.cpython_typed().contains(self.text(base))
                        && self.shared_written(self.text(base), Some(base));
                    shared.then_some(object)
                });
            let flag = flag.or_else(|| {
                // A macro of the unit whose body takes a flag's address.
                let callee = call.child_by_field_name("function")?;
                let body = self.macro_body(std::str::from_utf8(self.text(callee)).ok()?)?;
                let tokens = crate::analysis::callgraph::pp_tokens(std::str::from_utf8(body).ok()?);
                // The body's `&` is a write of its own: no other need be.
                let flagged = tokens.windows(2).any(|pair| {
                    pair[0] == "&"
                        && !self.cpython_typed().contains(pair[1].as_bytes())
                        && self.shared(pair[1].as_bytes(), None)
                });
                flagged.then_some(call)
            });
            if let Some(flag) = flag {
                return Some(StateTest {
                    condition: call,
                    state: Some(flag),
                    caller: None,
                    handed: true,
                });
            }
        }
        None
    }

    /// [`Self::state_test`] within the function that holds `node`; `gates`
    /// gains the [`Gate`]s passed on the way.
    fn state_test_in_function(
        &self,
        node: Node<'t>,
        filled: SymbolId,
        gates: &mut Vec<Gate<'t>>,
    ) -> Option<StateTest<'t>> {
        if let Some(condition) = self.flag_guard(node) {
            return Some(StateTest {
                condition,
                state: None,
                caller: None,
                handed: false,
            });
        }
        // `outcome`: the value of the condition on the way to the fill
        // (`None` for a `switch`); `encloses`: not an early exit before it.
        let too_many = std::cell::Cell::new(gates.len() > MAX_GATES_PER_FILL);
        let mut test = |condition: Node<'t>, outcome: Option<bool>, encloses: bool| {
            let found = self
                .process_wide_read(condition, filled, encloses)
                .or_else(|| self.process_wide_null(condition, outcome?, filled))
                .map(|state| StateTest {
                    condition: strip_parens(condition),
                    state: Some(state),
                    caller: None,
                    handed: false,
                });
            // Past the bound one more marks the fill as gated by too many.
            if let (None, Some(outcome), true) =
                (&found, outcome, gates.len() <= MAX_GATES_PER_FILL)
            {
                gates.extend(
                    self.object_gates(condition, outcome, filled)
                        .into_iter()
                        .map(|symbol| Gate {
                            symbol,
                            condition: strip_parens(condition),
                            caller: None,
                        }),
                );
                too_many.set(gates.len() > MAX_GATES_PER_FILL);
            }
            found
        };
        let mut child = node;
        for parent in parse::ancestors(node) {
            // Past more gates than the bound the fill is blocked whatever
            // lies above ([`MAX_GATES_PER_FILL`]): the climb stops, so that
            // fills nested in thousands of NULL tests cost no more than
            // the bound each.
            if too_many.get() {
                return None;
            }
            let condition = parent.child_by_field_name("condition");
            let found = match parent.kind() {
                "translation_unit" => return None,
                // `ONCE(loaded) { … }` reads as a definition inside the
                // function: the invocation of a statement macro.
                "function_definition" => {
                    self.statement_macro(parent, filled)?
                        .map(|state| StateTest {
                            condition: parent.child_by_field_name("type").unwrap_or(parent),
                            state: Some(state),
                            caller: None,
                            handed: false,
                        })
                }
                // A branch, a loop's body or a `switch` case runs only
                // as its condition decides (a `do` body runs once first).
                "if_statement" | "conditional_expression" if condition != Some(child) => {
                    let consequence = parent.child_by_field_name("consequence") == Some(child);
                    condition.and_then(|c| test(c, Some(consequence), true))
                }
                "while_statement" | "for_statement"
                    if parent.child_by_field_name("body") == Some(child) =>
                {
                    condition.and_then(|c| test(c, Some(true), true))
                }
                "switch_statement" if parent.child_by_field_name("body") == Some(child) => {
                    condition.and_then(|c| test(c, None, true))
                }
                "binary_expression"
                    if matches!(operator(parent), Some("&&" | "||"))
                        && parent.child_by_field_name("right") == Some(child) =>
                {
                    let outcome = operator(parent) == Some("&&");
                    parent
                        .child_by_field_name("left")
                        .and_then(|l| test(l, Some(outcome), true))
                }
                "compound_statement" => self.exit_ifs_before(parent, child, true).find_map(|s| {
                    s.child_by_field_name("condition")
                        .and_then(|c| test(c, Some(false), false))
                }),
                _ => None,
            };
            if found.is_some() {
                return found;
            }
            child = parent;
        }
        None
    }

    /// The first process-wide object that `condition` reads, as the
    /// expression that names it (`ready`, `g_state.ready`, `slots[0]`,
    /// `&loaded`, a macro's name or invocation, a call): a static local, or
    /// a name the unit declares at file scope, that the unit may write
    /// ([`written_names`]) and that is not a candidate (they are
    /// rewritten, or their own guards; see [`Self::process_wide_null`] for
    /// those that stay process-wide). `filled` is the static whose fill is
    /// asked about, `encloses` whether the condition encloses the fill
    /// (not an early exit before it). An object is read where it is
    /// named, where its address is given to a call that is not CPython's
    /// (`atomic_load(&loaded)`, `__atomic_load_n(&f, …)`,
    /// `InterlockedCompareExchange(&f, 1, 0)`, a helper of the unit: the
    /// callee may read it, and `PyType_Ready(&T)` reads no flag), unless the
    /// unit declares it with one of CPython's types (`&Foo_Type` given to
    /// the unit's `add_type`); where a macro of the unit that the condition
    /// invokes or names reads one in its expansion (`#define IS_LOADED()
    /// (loaded != 0)`, `#define FIRST_CALL (!loaded && (loaded = 1))`); and
    /// where it calls a function of the unit whose result a test of one
    /// decides ([`Self::result_read`]: `if (first_time()) { … }`), unless
    /// an early exit tests it by CPython's error convention
    /// ([`Self::error_test`]: `if (ensure_lock() < 0) return NULL;`). An
    /// automatic local or a parameter reads what the values given to it
    /// read ([`Self::local_sources`]: `int first = !loaded; loaded = 1; if
    /// (first) { … }`), in chains of up to [`MAX_FOLLOWED_LOCALS`] of them
    /// and up to [`MAX_FOLLOWED_LOCALS_IN_ALL`] per condition (a parameter's
    /// callers each give it a value); one more is answered as a read of
    /// process-wide state, since what it holds is not known
    /// ([`Self::unfollowed_local`]).
    fn process_wide_read(
        &self,
        condition: Node<'t>,
        filled: SymbolId,
        encloses: bool,
    ) -> Option<Node<'t>> {
        // (node, the local's use in the condition when the node is the
        // whole of a value given to that local, how many locals were
        // followed to reach it)
        let mut pending: Vec<(Node<'t>, Option<Node<'t>>, usize)> = vec![(condition, None, 0)];
        let mut followed: HashSet<(usize, &[u8])> = HashSet::new();
        while let Some((node, used_as, depth)) = pending.pop() {
            match node.kind() {
                "identifier" => {
                    // A name a macro takes (`STATE_FIELD(hits)` naming a
                    // member) reads nothing.
                    if super::is_name_token(node, self.evidence, self.source) {
                        continue;
                    }
                    // A candidate is no flag here: it is rewritten, or its
                    // own guard, or a gate by its NULL test
                    // ([`Self::process_wide_null`]).
                    if self.resolution.refs.contains_key(&node.node_id()) {
                        continue;
                    }
                    if self.shared_written(self.text(node), Some(node)) {
                        let (named, _) = parse::climb(node, |parent, child| {
                            matches!(parent.kind(), "field_expression" | "subscript_expression")
                                && parent.child_by_field_name("argument") == Some(child)
                        });
                        return Some(named);
                    }
                    if self.macro_reads_state(self.text(node), filled) {
                        return Some(node);
                    }
                    if let Some((function, values)) = self.local_sources(node) {
                        let key = (function, self.text(node));
                        if !followed.contains(&key) {
                            // Past the bounds, what the local holds is not
                            // known: taken as process-wide state, which the
                            // reason says ([`Self::unfollowed_local`]).
                            if depth == MAX_FOLLOWED_LOCALS
                                || followed.len() == MAX_FOLLOWED_LOCALS_IN_ALL
                            {
                                self.unfollowed_locals.borrow_mut().insert(node.node_id());
                                return Some(node);
                            }
                            followed.insert(key);
                            let used = used_as.unwrap_or(node);
                            pending.extend(values.into_iter().map(|v| (v, Some(used), depth + 1)));
                        }
                    }
                }
                // A call's arguments may be tested through it (a macro
                // such as `UNLIKELY(!ready)`), not the function it names;
                // a macro of the unit reads what its expansion names, a
                // function of the unit what decides its result.
                "call_expression" => {
                    let callee = node
                        .child_by_field_name("function")
                        .filter(|f| f.kind() == "identifier")
                        .map(|c| self.text(c));
                    // Tested through a local it was given to (`int rc =
                    // ensure_lock(); if (rc < 0) return NULL;`), by the
                    // local's use.
                    let error_exit = |c: &[u8]| {
                        !encloses
                            && (self.error_test(node, c)
                                || used_as.is_some_and(|u| self.error_test(u, c)))
                    };
                    if callee.is_some_and(|c| {
                        self.macro_reads_state(c, filled)
                            || (!error_exit(c) && self.result_read(c, filled))
                    }) {
                        return Some(node);
                    }
                    pending.extend(
                        node.child_by_field_name("arguments")
                            .map(|a| (a, None, depth)),
                    );
                }
                // An address is no read in itself.
                "sizeof_expression" | "alignof_expression" | "field_identifier" => {}
                "pointer_expression" if operator(node) == Some("&") => {
                    if let Some(object) = self.address_read(node) {
                        return Some(object);
                    }
                }
                _ => {
                    let mut cursor = node.walk();
                    let mut children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
                    children.reverse();
                    // Parentheses keep the value whole; anything else
                    // makes a new one.
                    let whole = node.kind() == "parenthesized_expression";
                    pending.extend(
                        children
                            .into_iter()
                            .map(|c| (c, used_as.filter(|_| whole), depth)),
                    );
                }
            }
        }
        None
    }

    /// Whether `state`, what [`Self::process_wide_read`] found a test
    /// reads, is an automatic local or a parameter whose values were not
    /// followed (past [`MAX_FOLLOWED_LOCALS`]), not a process-wide object.
    pub(super) fn unfollowed_local(&self, state: Node<'t>) -> bool {
        self.unfollowed_locals.borrow().contains(&state.node_id())
    }

    /// The values given to `identifier` when it names an automatic local
    /// or a parameter of its function, with the function's first byte (a
    /// key): a local's initialiser and plain assignments anywhere in the
    /// body (`LocalValues::Values`), a parameter's argument at each call
    /// of the function in the unit. `None` for anything else, for a local
    /// whose address is taken or that is stepped (what it holds is not
    /// followed), an array, or a parameter of a function that is also
    /// named without being called (its callers are not all known).
    fn local_sources(&self, identifier: Node<'t>) -> Option<(usize, Vec<Node<'t>>)> {
        // Asked after the name was found no process-wide object
        // ([`Self::process_wide_read`]), so a name the function declares
        // or takes is one of its own: the function's table of locals
        // answers, not a climb through the blocks around each use.
        let graph = self.call_graph.get(self.source);
        let id = graph.function_at(identifier)?;
        let function = graph.functions()[id].node;
        let name = self.text(identifier);
        let body = function.child_by_field_name("body")?;
        let declared = {
            let mut locals = self.function_locals.borrow_mut();
            let locals = locals
                .entry(id)
                .or_insert_with(|| super::all_local_values(body, self.source));
            match locals.get(name) {
                Some(super::LocalValues::Values(values)) => Some(Some(values.clone())),
                None | Some(super::LocalValues::Undeclared) => Some(None),
                Some(_) => None,
            }
        };
        match declared? {
            Some(values) => Some((function.start_byte(), values)),
            None => {
                let position = (0..)
                    .map_while(|i| super::parameter_name(function, i).map(|p| (i, p)))
                    .find(|(_, p)| self.text(*p) == name)?
                    .0;
                let mut values = Vec::new();
                for (_, edge) in graph.callers(id) {
                    if edge.kind != EdgeKind::Call {
                        return None;
                    }
                    let call = edge
                        .site
                        .parent()
                        .filter(|c| c.kind() == "call_expression")?;
                    values.push(parse::argument_at(call, position)?);
                }
                Some((function.start_byte(), values))
            }
        }
    }

    /// Whether `call`, a call of the function `name`, is tested by
    /// CPython's error convention: `f() < 0`, `0 > f()`, `f() <= -1`,
    /// `f() == -1` (either side), and, when each of the unit's definitions
    /// of `name` returns a pointer, `f() == NULL` (either side) and `!f()`.
    /// An early exit on such a test is taken only when the call fails
    /// (`if (ensure_lock() < 0) return NULL;`), which a later interpreter
    /// passes as the first did; any other test of a result that
    /// process-wide state decides (`if (!first_time()) return 0;`) may be
    /// taken by every interpreter but the first.
    fn error_test(&self, call: Node<'t>, name: &[u8]) -> bool {
        let (tested, above) = parse::climb(call, |parent, _| {
            parent.kind() == "parenthesized_expression"
        });
        let Some(parent) = above.first() else {
            return false;
        };
        let is_minus_one = |n: Node<'t>| {
            let text: Vec<u8> = self
                .text(strip_parens(n))
                .iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            text == b"-1"
        };
        let returns_pointer = || {
            let graph = self.call_graph.get(self.source);
            let functions = std::str::from_utf8(name).map_or(&[][..], |n| graph.named(n));
            !functions.is_empty()
                && functions.iter().all(|&f| {
                    graph.functions()[f]
                        .node
                        .child_by_field_name("declarator")
                        .is_some_and(|d| d.kind() == "pointer_declarator")
                })
        };
        match parent.kind() {
            "unary_expression" => operator(parent) == Some("!") && returns_pointer(),
            "binary_expression" => {
                let (Some(left), Some(right)) = (
                    parent.child_by_field_name("left"),
                    parent.child_by_field_name("right"),
                ) else {
                    return false;
                };
                let (other, on_left) = if left == tested {
                    (right, true)
                } else {
                    (left, false)
                };
                let zero = || {
                    strip_parens(other).kind() == "number_literal"
                        && parse::is_null_constant(other, self.source)
                };
                match operator(parent) {
                    Some("<") => on_left && zero(),
                    Some(">") => !on_left && zero(),
                    Some("<=") => on_left && is_minus_one(other),
                    Some(">=") => !on_left && is_minus_one(other),
                    Some("==") => {
                        is_minus_one(other)
                            || (parse::is_null_constant(other, self.source) && returns_pointer())
                    }
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// The process-wide object whose address `address` (`&x`, `&g.x`)
    /// gives to a call that may read it: an argument of a call that is not
    /// CPython's (`Py…`/`_Py…`), of an object the unit does not declare
    /// with one of CPython's types; see [`Self::process_wide_read`].
    fn address_read(&self, address: Node<'t>) -> Option<Node<'t>> {
        let call = address
            .parent()
            .filter(|p| p.kind() == "argument_list")?
            .parent()
            .filter(|c| c.kind() == "call_expression")?;
        let callee = call.child_by_field_name("function")?;
        let callee = self.text(callee);
        if callee.starts_with(b"Py") || callee.starts_with(b"_Py") {
            return None;
        }
        let object = address.child_by_field_name("argument")?;
        let base = written_object(object)?;
        if self.resolution.refs.contains_key(&base.node_id())
            || self.cpython_typed().contains(self.text(base))
            || !self.shared_written(self.text(base), Some(base))
        {
            return None;
        }
        Some(object)
    }

    /// The names the unit declares with one of CPython's types
    /// (`PyTypeObject`, `PyModuleDef`, `struct PyModuleDef`, `PyObject *`):
    /// objects whose address is given away to be registered, not read as
    /// a flag.
    pub(super) fn cpython_typed(&self) -> &HashSet<&'a [u8]> {
        self.cpython_typed.get_or_init(|| {
            let mut names = HashSet::new();
            let mut pending = vec![self.root];
            while let Some(node) = pending.pop() {
                let mut cursor = node.walk();
                pending.extend(node.named_children(&mut cursor));
                if node.kind() != "declaration" {
                    continue;
                }
                let cpython = node.child_by_field_name("type").is_some_and(|t| {
                    let text = self.text(t);
                    let text = text
                        .strip_prefix(b"struct")
                        .unwrap_or(text)
                        .trim_ascii_start();
                    text.starts_with(b"Py") || text.starts_with(b"_Py")
                });
                if cpython {
                    names.extend(declared_names(node).map(|n| self.text(n)));
                }
            }
            names
        })
    }

    /// Whether `name` names a process-wide object ([`Self::shared`]) that
    /// the unit may write ([`written_names`]).
    pub(super) fn shared_written(&self, name: &[u8], at: Option<Node<'t>>) -> bool {
        // An object the unit never writes holds the same value in every
        // interpreter: reading it is not a flag (`kwlist` in
        // `PyArg_ParseTupleAndKeywords(…, kwlist, …)`, a method table given
        // to `PyModule_AddFunctions`).
        self.shared(name, at)
            && self
                .written
                .get_or_init(|| written_names(self.root, self.source))
                .contains(name)
    }

    /// Whether `name` names a process-wide object: a static local or a
    /// variable the unit declares at file scope. `at`, when given, is an
    /// identifier naming it, which an automatic local of its function may
    /// shadow.
    pub(super) fn shared(&self, name: &[u8], at: Option<Node<'t>>) -> bool {
        let graph = self.call_graph.get(self.source);
        let static_locals = self.static_locals.get_or_init(|| {
            let mut names = HashSet::new();
            let mut pending = vec![self.root];
            while let Some(node) = pending.pop() {
                let mut cursor = node.walk();
                pending.extend(node.named_children(&mut cursor));
                if node.kind() == "declaration"
                    && parse::enclosing_function(node).is_some()
                    && (has_storage(node, self.source, "static")
                        || has_storage(node, self.source, "extern"))
                {
                    names.extend(declared_names(node).map(|n| self.text(n)));
                }
            }
            names
        });
        let file_scope = std::str::from_utf8(name).is_ok_and(|n| graph.declares_variable(n));
        if !file_scope && !static_locals.contains(name) {
            return false;
        }
        match at.and_then(|n| self.local_storage(n)) {
            Some(automatic) => !automatic,
            None => file_scope,
        }
    }

    /// Whether `condition` tests a process-wide flag (a static or external
    /// identifier that is not a candidate): for `set == false`, true when
    /// the flag is unset (`!flag`, `flag == 0`); for `set == true`, true when
    /// it is set (`flag`, `flag != 0`).
    fn flag_test(&self, condition: Node<'t>, set: bool) -> bool {
        let flag = match (condition.kind(), operator(condition)) {
            ("unary_expression", Some("!")) if !set => condition
                .child_by_field_name("argument")
                .map(|a| self.strip(a)),
            ("identifier", _) if set => Some(condition),
            ("binary_expression", Some(op @ ("==" | "!="))) if self.boolean_test(condition) => {
                self.boolean_flag(condition, op == "==", set)
            }
            _ => match self.evidence.tests.get(&condition.node_id()) {
                Some(&(subject, Test::IsNull)) if !set => Some(strip_parens(subject)),
                Some(&(subject, Test::NotNull)) if set => Some(strip_parens(subject)),
                _ => None,
            },
        };
        flag.is_some_and(|f| {
            f.kind() == "identifier"
                && !self.resolution.refs.contains_key(&f.node_id())
                && !self.is_local(f)
                && !self.spells_candidate_test(f)
        })
    }

    /// Whether one side of a comparison is `true` or `false`.
    fn boolean_test(&self, comparison: Node<'t>) -> bool {
        ["left", "right"].iter().any(|side| {
            comparison
                .child_by_field_name(side)
                .is_some_and(|n| matches!(self.strip(n).kind(), "true" | "false"))
        })
    }

    /// The other side of `flag == false`, `true != flag`, … when the
    /// comparison is true exactly when the flag is `set` (`flag == true`,
    /// `flag != false`) or unset (`flag == false`, `flag != true`).
    fn boolean_flag(&self, comparison: Node<'t>, equals: bool, set: bool) -> Option<Node<'t>> {
        let left = self.strip(comparison.child_by_field_name("left")?);
        let right = self.strip(comparison.child_by_field_name("right")?);
        let (flag, constant) = match (left.kind(), right.kind()) {
            ("true" | "false", "true" | "false") => return None,
            (_, "true") | ("true", _) => (if right.kind() == "true" { left } else { right }, true),
            _ => (if right.kind() == "false" { left } else { right }, false),
        };
        ((constant == equals) == set).then_some(flag)
    }

    /// The guard of `fetch(…, &v, …)` inside `fetch`, a function of the
    /// file: every write through its parameter (`*slot = …`, `slot[0] =
    /// …`, `Py_SETREF(*slot, …)` or `Py_XSETREF`) is guarded by a NULL
    /// test of `*slot`, in the function that writes or, for a helper the
    /// slot is handed on to (`PyObject_GetOptionalAttrString(mod, attr,
    /// slot)` with the compatibility shim defined in the file), at each
    /// call that hands it on.
    pub(super) fn helper_guard(&self, callee: &str, position: usize) -> Option<Node<'t>> {
        let helper = *self.helpers.get(callee.as_bytes())?;
        let mut guard = None;
        // Every write through the slot, in the helper or the helpers it
        // hands the slot on to, must be guarded.
        let reached = slot_helpers(&self.helpers, helper, position, self.source);
        for &(helper, parameter) in &reached {
            for write in self.slot_writes(helper, parameter) {
                let found = self
                    .local_guard(write, OUT_PARAM, Some(helper.node_id()))
                    .or_else(|| self.hand_off_guard(&reached, helper))?;
                guard = guard.or(Some(found));
            }
        }
        guard
    }

    /// The writes of a value (not NULL) through `parameter` inside
    /// `helper`: `*slot = …`, `slot[0] = …`, `Py_SETREF(*slot, …)`, and the
    /// slot handed to a function that is not defined in the file.
    fn slot_writes(&self, helper: Node<'t>, parameter: &[u8]) -> Vec<Node<'t>> {
        let inside =
            |n: Node| helper.start_byte() <= n.start_byte() && n.end_byte() <= helper.end_byte();
        let through_slot = |target: Node<'t>| {
            let target = strip_parens(target);
            let pointer = if target.kind() == "pointer_expression"
                && target.child_by_field_name("operator").map(|o| o.kind()) == Some("*")
            {
                target.child_by_field_name("argument")
            } else {
                aliases::first_element(target, self.source)
            };
            pointer.is_some_and(|a| self.text(strip_parens(a)) == parameter)
        };
        let assigned = self.evidence.assignments.iter().filter(|w| {
            inside(w.node)
                && through_slot(w.target)
                && !parse::is_null_constant(w.value, self.source)
        });
        let mut writes: Vec<Node<'t>> = assigned.map(|w| w.node).collect();
        writes.extend(self.evidence.releases.values().filter_map(|r| {
            let replacement = r
                .node
                .child_by_field_name("arguments")
                .and_then(|a| a.named_child(1))?;
            (inside(r.node)
                && self.text(r.function).ends_with(b"SETREF")
                && through_slot(r.target)
                && !parse::is_null_constant(replacement, self.source))
            .then_some(r.node)
        }));
        // `fill(key, slot)` with `fill` not defined in the file: it may
        // store through the slot, as `fill(key, &v)` may store in `v`.
        for node in parse::calls_in(helper) {
            let outside = node
                .child_by_field_name("function")
                .is_some_and(|f| !self.helpers.contains_key(self.text(f)));
            let handed = node.child_by_field_name("arguments").is_some_and(|a| {
                let mut cursor = a.walk();
                let found = a
                    .named_children(&mut cursor)
                    .any(|a| self.text(strip_parens(a)) == parameter);
                found
            });
            if outside && handed {
                writes.push(node);
            }
        }
        writes
    }

    /// What the helper `callee` of the unit does with a static's slot
    /// passed as its argument `position` (`take(&v)`, `peek(&v)`), read in
    /// full with the helpers it hands the slot on to ([`slot_helpers`]).
    /// `None` when `callee` is no function of the unit (then the call is
    /// taken for a write, as before: `init(&v)`). See [`SlotUse`].
    pub(super) fn slot_use(&self, callee: &str, position: usize) -> Option<SlotUse> {
        let helper = *self.helpers.get(callee.as_bytes())?;
        let reached = slot_helpers(&self.helpers, helper, position, self.source);
        if reached
            .iter()
            .any(|&(helper, parameter)| !self.slot_writes(helper, parameter).is_empty())
        {
            return Some(SlotUse::Fills);
        }
        let (mut clears, mut released) = (false, false);
        for &(helper, parameter) in &reached {
            let Some(body) = helper.child_by_field_name("body") else {
                continue;
            };
            let name = parse::function_name(helper, self.source).unwrap_or(callee);
            let mut nodes = vec![body];
            while let Some(node) = nodes.pop() {
                let mut cursor = node.walk();
                nodes.extend(node.named_children(&mut cursor));
                if node.kind() != "identifier" || self.text(node) != parameter {
                    continue;
                }
                // The name a copy declares (`PyObject **slot = opaque;`).
                let declared = node.parent().is_some_and(|p| {
                    p.kind().ends_with("declarator")
                        && p.child_by_field_name("declarator") == Some(node)
                });
                if declared {
                    continue;
                }
                match self.slot_occurrence(node, &reached) {
                    Some(Occurrence::Read) => {}
                    Some(Occurrence::Cleared) => clears = true,
                    Some(Occurrence::Released) => released = true,
                    None => {
                        let line = node.start_position().row + 1;
                        return Some(SlotUse::Unknown(format!(
                            "`{name}` does with its parameter `{}` what oncevar does not \
                             follow (line {line}), so whether it replaces, releases or only \
                             reads the value is unknown",
                            String::from_utf8_lossy(parameter)
                        )));
                    }
                }
            }
        }
        Some(match (clears, released) {
            (true, _) => SlotUse::Clears,
            (false, true) => SlotUse::Unknown(format!(
                "`{callee}` releases the object in the slot without setting the slot to NULL: \
                 the static would hold a released object, or a reference handed on elsewhere"
            )),
            (false, false) => SlotUse::Reads,
        })
    }

    /// What one occurrence `name` of a slot parameter does inside a helper
    /// that stores no value through it ([`Context::slot_use`]): reads
    /// `*slot` or `slot[0]`, tests the pointer, stores NULL through it, or
    /// hands it to one of `reached` (or copies it into one); `None` for
    /// anything else (it is returned, stored, stepped, handed to a helper
    /// not followed).
    fn slot_occurrence(&self, name: Node<'t>, reached: &[(Node<'t>, &[u8])]) -> Option<Occurrence> {
        let (value, above) = parse::climb(name, |parent, _| {
            matches!(
                parent.kind(),
                "parenthesized_expression" | "cast_expression"
            )
        });
        let parent = above.first()?;
        let deref = match parent.kind() {
            "pointer_expression" if operator(parent) == Some("*") => Some(parent),
            "subscript_expression"
                if aliases::first_element(parent, self.source)
                    .is_some_and(|p| strip_parens(p) == name) =>
            {
                Some(parent)
            }
            _ => None,
        };
        if let Some(deref) = deref {
            let (target, above) = parse::climb(deref, |parent, _| {
                parent.kind() == "parenthesized_expression"
            });
            if let Some(release) = self.evidence.releases.get(&target.node_id()) {
                let function = self.text(release.function);
                let replacement = release
                    .node
                    .child_by_field_name("arguments")
                    .and_then(|a| a.named_child(1));
                return Some(match replacement {
                    Some(r) if function.ends_with(b"SETREF") => {
                        // A value stored would be a write (`slot_writes`).
                        parse::is_null_constant(r, self.source).then_some(Occurrence::Cleared)?
                    }
                    _ if function.ends_with(b"CLEAR") => Occurrence::Cleared,
                    _ => Occurrence::Released,
                });
            }
            let stored = above.first().filter(|p| {
                p.kind() == "assignment_expression" && p.child_by_field_name("left") == Some(target)
            });
            return match stored {
                Some(store) => (operator(store) == Some("=")
                    && store
                        .child_by_field_name("right")
                        .is_some_and(|v| parse::is_null_constant(v, self.source)))
                .then_some(Occurrence::Cleared),
                // `&*slot`, `(*slot)++`: not followed.
                None if above.first().is_some_and(|p| {
                    matches!(p.kind(), "update_expression")
                        || (p.kind() == "pointer_expression" && operator(p) == Some("&"))
                }) =>
                {
                    None
                }
                None => Some(Occurrence::Read),
            };
        }
        match parent.kind() {
            // `slot == NULL`, `!slot`, `if (slot)`, `slot && …`.
            "binary_expression" => {
                let other = [
                    parent.child_by_field_name("left"),
                    parent.child_by_field_name("right"),
                ]
                .into_iter()
                .flatten()
                .find(|&o| o != value)?;
                let tests = matches!(operator(parent), Some("==" | "!="))
                    && parse::is_null_constant(other, self.source);
                (tests || matches!(operator(parent), Some("&&" | "||"))).then_some(Occurrence::Read)
            }
            "unary_expression" if operator(parent) == Some("!") => Some(Occurrence::Read),
            // `if (slot)`, `slot ? … : …`.
            _ if parent.child_by_field_name("condition") == Some(value) => Some(Occurrence::Read),
            // Handed on as it is to a helper followed, or copied into a
            // local followed (`slot_helpers`).
            "argument_list" => {
                let (callee, position, _) = parse::call_argument(value, self.source)?;
                let helper = self.helpers.get(callee.as_bytes())?;
                let parameter = parameter_name(*helper, position)?;
                let parameter = &self.source[parameter.byte_range()];
                reached
                    .iter()
                    .any(|(f, p)| f.node_id() == helper.node_id() && *p == parameter)
                    .then_some(Occurrence::Read)
            }
            "init_declarator" => {
                let copy = declared_name(parent)?;
                let copy = self.text(copy);
                let function = function_id(parent);
                reached
                    .iter()
                    .any(|(f, p)| Some(f.node_id()) == function && *p == copy)
                    .then_some(Occurrence::Read)
            }
            _ => None,
        }
    }

    /// The guard of the calls that hand the slot on to `callee`, one of
    /// `reached` ([`slot_helpers`]), from the others: `None` unless there
    /// is one and each is guarded.
    pub(super) fn hand_off_guard(
        &self,
        reached: &[(Node<'t>, &[u8])],
        callee: Node<'t>,
    ) -> Option<Node<'t>> {
        let name = parse::function_name(callee, self.source)?;
        let mut guard = None;
        for &(caller, parameter) in reached {
            if caller.node_id() == callee.node_id() {
                continue;
            }
            for call in parse::calls_in(caller) {
                let called = call
                    .child_by_field_name("function")
                    .is_some_and(|f| self.text(f) == name.as_bytes());
                let hands_on = call.child_by_field_name("arguments").is_some_and(|a| {
                    let mut cursor = a.walk();
                    let found = a
                        .named_children(&mut cursor)
                        .any(|a| self.text(strip_parens(a)) == parameter);
                    found
                });
                if called && hands_on {
                    let found = self.local_guard(call, OUT_PARAM, Some(caller.node_id()))?;
                    guard = guard.or(Some(found));
                }
            }
        }
        guard
    }

    /// Whether the static is refused while it is set: its guard is an early
    /// exit that raises (`if (v != NULL) { PyErr_SetString(…); return NULL;
    /// }`, or `return busy_error();` with a helper of the unit or a macro of
    /// the file that raises), or the `else` of the NULL test that fills it
    /// raises (`if (v == NULL) v = …; else { PyErr_…; return NULL; }`).
    pub(super) fn refuses(&self, guard: Node<'t>, write: Node<'t>) -> bool {
        for parent in parse::ancestors(guard) {
            if parent.kind() == "if_statement" {
                let inside = parent.start_byte() <= write.start_byte()
                    && write.end_byte() <= parent.end_byte();
                if !inside {
                    return parent
                        .child_by_field_name("consequence")
                        .is_some_and(|c| self.raises(c));
                }
                let in_consequence = parent.child_by_field_name("consequence").is_some_and(|c| {
                    c.start_byte() <= write.start_byte() && write.end_byte() <= c.end_byte()
                });
                return in_consequence
                    && parent.child_by_field_name("alternative").is_some_and(|e| {
                        self.raises(e) && e.named_child(0).is_some_and(|b| self.exits(b))
                    });
            }
            if parent.kind() == "function_definition" {
                return false;
            }
        }
        false
    }

    /// Whether code sets an exception: a call that raises (`PyErr_SetString`,
    /// `PyErr_Format`, `PyErr_NoMemory`, `PyErr_BadArgument`…), or a call of
    /// a function of the unit or a macro of the file whose body makes one.
    pub(super) fn raises(&self, code: Node<'t>) -> bool {
        // Prefixes of the raising calls (`PyErr_SetString`, `PyErr_BadArgument`…).
        const RAISING: [&[u8]; 4] = [
            b"PyErr_Set",
            b"PyErr_Format",
            b"PyErr_NoMemory",
            b"PyErr_Bad",
        ];
        let raising = |text: &[u8]| {
            RAISING
                .iter()
                .any(|r| memchr::memmem::find(text, r).is_some())
        };
        if raising(self.text(code)) {
            return true;
        }
        let graph = self.call_graph.get(self.source);
        let mut pending = vec![code];
        while let Some(node) = pending.pop() {
            let mut cursor = node.walk();
            pending.extend(node.named_children(&mut cursor));
            if node.kind() != "call_expression" {
                continue;
            }
            let Some(callee) = node
                .child_by_field_name("function")
                .filter(|f| f.kind() == "identifier")
                .and_then(|f| f.utf8_text(self.source).ok())
            else {
                continue;
            };
            let helper = graph.named(callee).iter().any(|&f| {
                graph.functions()[f]
                    .node
                    .child_by_field_name("body")
                    .is_some_and(|b| raising(self.text(b)))
            });
            if helper || self.macro_body(callee).is_some_and(raising) {
                return true;
            }
        }
        false
    }

    /// Whether a guard node tests `symbol` (also as one of the variables
    /// of a reference that several `#if` branches share).
    pub(super) fn subject_is_tested(&self, guard: Node<'t>, symbol: SymbolId) -> bool {
        let function = function_id(guard);
        [true, false]
            .into_iter()
            .any(|o| self.proves_null(guard, o, symbol, function).is_some())
    }

    /// The static a guard node tests.
    pub(super) fn tested_static(&self, guard: Node<'t>) -> Option<SymbolId> {
        let function = function_id(guard);
        [true, false]
            .into_iter()
            .find_map(|o| self.null_test_subject(guard, o, function))
    }
}

/// Callees that wrap a condition without changing it.
pub(super) fn is_condition_wrapper(name: &[u8]) -> bool {
    let name = String::from_utf8_lossy(name).to_ascii_lowercase();
    name.contains("likely") || name.contains("expect")
}

/// A test of process-wide state on the way to a lazy fill; see
/// [`Context::state_test`].
pub(super) struct StateTest<'t> {
    /// The condition that holds when control goes on towards the fill (for
    /// an early exit, the one that leaves).
    pub(super) condition: Node<'t>,
    /// The process-wide object it reads, when it is not a plain set-once
    /// flag.
    pub(super) state: Option<Node<'t>>,
    /// When the test is in another function: that function's name, and
    /// the name of the function it calls there towards the fill.
    pub(super) caller: Option<(String, String)>,
    /// Whether `condition` is a call that runs the function on the way to
    /// the fill once per process (`pthread_once(&once, init)`), rather
    /// than a test.
    pub(super) handed: bool,
}

/// The names that code of the unit may write at run time, found in one
/// walk of `root`: the object an assignment or `++`/`--` changes (through
/// members, elements, parentheses and casts: `g_state.ready = 1`,
/// `done[i]++`), an object whose address is taken (`&ready`: it may be
/// written through the pointer), and a name given to a call that may write
/// it: any call but one of CPython's own functions (`Py…`/`_Py…`, which
/// change no object given by value), whose writing macros `Py_CLEAR`,
/// `Py_SETREF` and `Py_XSETREF` and any `Py…` name the unit `#define`s
/// count again. An object with external linkage (a file-scope
/// declaration without `static`, an `extern` one) counts as written: another
/// unit may write it. An initialiser is not a write. Names only: the set says
/// nothing about which object of that name (a local may shadow it), so it
/// is an over-approximation of the statics written, as its reader needs.
pub(super) fn written_names<'a>(root: Node, source: &'a [u8]) -> HashSet<&'a [u8]> {
    let text = |n: Node| &source[n.byte_range()];
    let mut defined: HashSet<&[u8]> = HashSet::new();
    let mut calls: Vec<Node> = Vec::new();
    let mut written: HashSet<&[u8]> = HashSet::new();
    let add = |written: &mut HashSet<&'a [u8]>, expression: Node| {
        if let Some(base) = written_object(expression) {
            written.insert(text(base));
        }
    };
    let mut pending = vec![root];
    while let Some(node) = pending.pop() {
        let mut cursor = node.walk();
        pending.extend(node.named_children(&mut cursor));
        match node.kind() {
            "assignment_expression" => {
                if let Some(left) = node.child_by_field_name("left") {
                    add(&mut written, left);
                }
            }
            "update_expression" => {
                if let Some(argument) = node.child_by_field_name("argument") {
                    add(&mut written, argument);
                }
            }
            "pointer_expression" if operator(node) == Some("&") => {
                if let Some(argument) = node.child_by_field_name("argument") {
                    add(&mut written, argument);
                }
            }
            "call_expression" => calls.push(node),
            // Another unit may write what has external linkage: a
            // file-scope object not declared `static`, an `extern` one.
            "declaration"
                if has_storage(node, source, "extern")
                    || (parse::enclosing_function(node).is_none()
                        && !has_storage(node, source, "static")) =>
            {
                written.extend(declared_names(node).map(text));
            }
            "preproc_def" | "preproc_function_def" => {
                defined.extend(node.child_by_field_name("name").map(text));
                if let Some(body) = node.child_by_field_name("value") {
                    written.extend(macro_writes(text(body)));
                }
            }
            _ => {}
        }
    }
    for call in calls {
        let callee = call
            .child_by_field_name("function")
            .filter(|f| f.kind() == "identifier")
            .map(text);
        let cpython = callee.is_some_and(|name| {
            (name.starts_with(b"Py") || name.starts_with(b"_Py"))
                && !crate::analysis::capi::WRITING_MACROS
                    .iter()
                    .any(|m| m.as_bytes() == name)
                && !defined.contains(name)
        });
        if cpython {
            continue;
        }
        let Some(arguments) = call.child_by_field_name("arguments") else {
            continue;
        };
        let mut cursor = arguments.walk();
        for argument in arguments.named_children(&mut cursor) {
            add(&mut written, argument);
        }
    }
    written
}

/// The names a macro's body text writes: an identifier before an
/// assignment operator (`x = …`, `x |= …`, `x <<= …`) or `++`/`--`, or after
/// `&`, `++` or `--` (`#define MARK(bit) (init_bits |= (bit))`). Tokens
/// only: `s.x = 1` counts `x`, an over-approximation as in
/// [`written_names`].
pub(super) fn macro_writes(body: &[u8]) -> Vec<&[u8]> {
    let Ok(text) = std::str::from_utf8(body) else {
        return Vec::new();
    };
    let tokens = crate::analysis::callgraph::pp_tokens(text);
    let is_name = |t: &str| {
        t.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
    };
    let at = |i: usize| tokens.get(i).map_or("", String::as_str);
    let mut names = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if !is_name(token) {
            continue;
        }
        let after = (at(i + 1), at(i + 2), at(i + 3));
        let assigned = match after {
            ("=", next, _) => next != "=",
            ("+" | "-", op, _) if op == at(i + 1) => true, // `x++`
            ("+" | "-" | "*" | "/" | "%" | "&" | "|" | "^", "=", _) => true,
            ("<", "<", "=") | (">", ">", "=") => true,
            _ => false,
        };
        let before = (
            i.checked_sub(2).map_or("", at),
            i.checked_sub(1).map_or("", at),
        );
        let taken = matches!(before, (_, "&") | ("+", "+") | ("-", "-"));
        if assigned || taken {
            names.push(token.as_str());
        }
    }
    // The same bytes, borrowed from the body for the set's lifetime.
    names
        .into_iter()
        .filter_map(|name| {
            memchr::memmem::find(body, name.as_bytes()).map(|at| &body[at..at + name.len()])
        })
        .collect()
}

/// The identifier naming the object that `expression` designates, through
/// members, elements, parentheses, casts and unary operators (`(g).ready`,
/// `slots[i]`, `(int)x`, `!called` in `!called++`); `None` for anything else (`*p`, a call, a literal).
fn written_object(expression: Node) -> Option<Node> {
    let mut node = expression;
    loop {
        node = match node.kind() {
            "identifier" => return Some(node),
            "field_expression" | "subscript_expression" => node.child_by_field_name("argument")?,
            "cast_expression" => node.child_by_field_name("value")?,
            // tree-sitter-c reads `!called++` as `(!called)++`: the
            // object incremented is `called`.
            "unary_expression" => node.child_by_field_name("argument")?,
            "parenthesized_expression" => node.named_child(0)?,
            _ => return None,
        };
    }
}

/// The static a macro expansion's `tokens` test for NULL right before the
/// call at `tokens[k]`, so that the call runs only while it is NULL:
/// `!v && f(`, `!(v) && f(`, `v == NULL && f(`, `NULL == v && f(`,
/// `v || f(`, `v != NULL || f(`.
fn tested_before(tokens: &[String], k: usize) -> Option<&str> {
    // `&&` and `||` are two tokens to the expander.
    let end = k.checked_sub(2)?;
    let junction = tokens[end].as_str();
    if tokens[end + 1] != junction {
        return None;
    }
    // The operand: back to an operator of lower precedence or an opening
    // parenthesis at its own depth.
    let mut depth = 0usize;
    let mut start = end;
    while start > 0 {
        let t = tokens[start - 1].as_str();
        match t {
            ")" => depth += 1,
            "(" if depth == 0 => break,
            "(" => depth -= 1,
            "&" | "|" | "," | ";" | "{" | "?" | ":" if depth == 0 => break,
            _ => {}
        }
        start -= 1;
    }
    let operand: Vec<&str> = tokens[start..end]
        .iter()
        .map(String::as_str)
        .filter(|t| *t != "(" && *t != ")")
        .collect();
    let null = |t: &str| t == "NULL" || t == "0";
    let tested: &str = match (junction, operand.as_slice()) {
        ("&", ["!", v]) | ("|", [v]) => v,
        ("&", [v, "=", "=", n] | [n, "=", "=", v]) if null(n) => v,
        ("|", [v, "!", "=", n] | [n, "!", "=", v]) if null(n) => v,
        _ => return None,
    };
    is_identifier(tested).then_some(tested)
}
