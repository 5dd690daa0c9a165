//! Whether the incref after a borrowed store runs on every path on which
//! the slot keeps the stored value, and takes the one reference the slot
//! needs. The statements of the store's block from the store on are read
//! in order, path by path: an `if` arm by arm, a loop or a `switch` as a
//! whole. The value is named by the static and by every local that holds
//! the same pointer (the local it came from, `copy = tmp`, `h = hook`),
//! a local dropped from the names when it is assigned again. An incref of
//! any of these names, spelled as [`super::increfs`] reads it, is the
//! slot's reference when it runs on every path that goes on with the
//! value in the slot: each other path leaves with the static set back to
//! `NULL`, or with the value tested `NULL` (`if (tmp != NULL)
//! Py_INCREF(tmp);`). An incref in a loop, one on some paths only, a
//! second one, or a path that leaves with the borrowed value in the slot
//! before the incref makes the ownership unknown: the slot would own one
//! reference on one path and none or two on another.

use std::collections::{HashMap, HashSet};

use tree_sitter::Node;

use super::increfs::{Effect, Target};
use super::{strip_casts, LocalKind, Unit, MAX_NESTING};
use crate::analysis::parse::{self, HasNodeId};
use crate::analysis::scope::SymbolId;

/// The incref found after a store, on every path that keeps the value.
pub(super) struct Beside {
    /// The incref, quoted for a message (`` `Py_INCREF` ``).
    pub(super) incref: String,
    /// Where a name of the value other than the static hands that
    /// reference on after it (`return tmp;`), when it does.
    pub(super) handed_on: Option<String>,
}

/// What the paths read so far know about the value.
#[derive(Clone, Debug)]
struct State {
    /// The locals that hold the value (the static is named by its symbol).
    aliases: Vec<String>,
    /// The locals that took one of them before the store (`copy = tmp;`),
    /// which may still hold the value: an incref of one is unclear.
    maybe: Vec<String>,
    /// The incref taken on every path still going, and its line.
    taken: Option<(String, usize)>,
    /// A path that left before any incref with the value in the slot.
    bare_exit: Option<String>,
    /// Whether the value is `NULL` on these paths (a test said so).
    null: bool,
    /// Whether the static was written again on these paths.
    reset: bool,
    /// Whether every path has left.
    ends: bool,
    /// Where the reference taken is handed on after it.
    handed_on: Option<String>,
}

/// The reader of one store's block.
struct Walk<'u, 'a, 't> {
    unit: &'u Unit<'a, 't>,
    symbol: SymbolId,
    in_callees: bool,
    /// Whether the function returns new references (a `return tmp;` then
    /// hands the caller one).
    returns_new: bool,
    /// The store's node id.
    store: usize,
}

impl<'a, 't> Unit<'a, 't> {
    /// The incref of the value that `assignment` stores in `symbol`, read
    /// from the store on in `statement` (the statement of the store's
    /// block that holds it) and in `after` (the block's statements after
    /// it): `Ok(None)` when none runs, `Err` why when one runs on some
    /// paths only, in a loop, twice, or after a path that leaves with the
    /// borrowed value in the slot.
    pub(super) fn increfed_after(
        &self,
        symbol: SymbolId,
        assignment: Node,
        (statement, after): (Node, &[Node]),
        in_callees: bool,
    ) -> Result<Option<Beside>, String> {
        let bytes: &[u8] = &self.file.source.bytes;
        let returns_new =
            parse::enclosing_function(assignment).is_some_and(|f| self.returns_new(f));
        let walk = Walk {
            unit: self,
            symbol,
            in_callees,
            returns_new,
            store: assignment.id(),
        };
        let aliases = self.stored_locals(assignment, bytes);
        let maybe = self.copies_before(assignment, &aliases, bytes);
        let mut state = State {
            aliases,
            maybe,
            taken: None,
            bare_exit: None,
            null: false,
            reset: false,
            ends: false,
            handed_on: None,
        };
        let from = assignment.start_byte();
        let store_in_condition = statement.kind() == "if_statement"
            && statement
                .child_by_field_name("condition")
                .is_some_and(|c| c.start_byte() <= from && assignment.end_byte() <= c.end_byte());
        if store_in_condition {
            walk.branch(statement, from, &mut state, false, 0)?;
        } else if matches!(statement.kind(), "expression_statement" | "declaration") {
            walk.plain(statement, from, &mut state, false)?;
        } else {
            // The store runs under a condition or in a loop of its own
            // (`if (c) hook = x;`): an incref after it may run without it.
            match walk.effect(statement, from, &state) {
                Effect::Incref(how) => {
                    return Err(format!(
                        "the {how} (line {}) shares a statement with the store, which runs only \
                         under a condition or in a loop",
                        self.file.source.file_line(statement.start_byte())
                    ))
                }
                Effect::Unclear(why) => return Err(why),
                Effect::None => {}
            }
            let rest = walk.effect_all(after, &state);
            return match rest {
                Effect::None => Ok(None),
                Effect::Incref(how) => Err(format!(
                    "the {how} after the store runs whether or not the store, which runs only \
                     under a condition or in a loop, did"
                )),
                Effect::Unclear(why) => Err(why),
            };
        }
        for &next in after {
            walk.statement(next, &mut state, false, 0)?;
        }
        let Some((incref, line)) = state.taken else {
            return Ok(None);
        };
        if let Some(exit) = state.bare_exit {
            return Err(format!(
                "the {incref} (line {line}) comes after {exit}, which leaves the slot holding \
                 the value without that reference"
            ));
        }
        Ok(Some(Beside {
            incref,
            handed_on: state.handed_on,
        }))
    }
}

impl Walk<'_, '_, '_> {
    fn line(&self, node: Node) -> usize {
        self.unit.file.source.file_line(node.start_byte())
    }

    fn text<'b>(&'b self, node: Node) -> &'b str {
        node.utf8_text(&self.unit.file.source.bytes).unwrap_or("")
    }

    fn target(&self, state: &State) -> Target {
        Target {
            symbol: Some(self.symbol),
            names: state.aliases.clone(),
            in_callees: self.in_callees,
        }
    }

    /// What `node` does to the value, from the byte `from` on.
    fn effect(&self, node: Node, from: usize, state: &State) -> Effect {
        let bytes: &[u8] = &self.unit.file.source.bytes;
        self.unit.effect_between(
            &[node],
            (from, usize::MAX),
            (bytes, true),
            &self.target(state),
        )
    }

    fn effect_all(&self, nodes: &[Node], state: &State) -> Effect {
        let bytes: &[u8] = &self.unit.file.source.bytes;
        self.unit
            .effect_between(nodes, (0, usize::MAX), (bytes, true), &self.target(state))
    }

    /// Whether `node` names the value: the static or one of the aliases,
    /// past casts and parentheses.
    fn is_value(&self, node: Node, state: &State) -> bool {
        let mut node = strip_casts(parse::strip_parens(node));
        // `(hook = x) != NULL` tests what the static now holds.
        while node.kind() == "assignment_expression"
            && node.child_by_field_name("operator").map(|o| o.kind()) == Some("=")
        {
            match node.child_by_field_name("left") {
                Some(left) => node = strip_casts(parse::strip_parens(left)),
                None => return false,
            }
        }
        node.kind() == "identifier"
            && (self
                .unit
                .file
                .resolution
                .refers_to(node.node_id(), self.symbol)
                || state.aliases.iter().any(|a| a == self.text(node)))
    }

    fn refers_to_static(&self, node: Node) -> bool {
        let node = parse::strip_parens(node);
        node.kind() == "identifier"
            && self
                .unit
                .file
                .resolution
                .refers_to(node.node_id(), self.symbol)
    }

    /// The incref `how` on `node`'s line, on every path still going.
    fn take(&self, how: String, node: Node, state: &mut State) -> Result<(), String> {
        let line = self.line(node);
        if let Some((first, at)) = &state.taken {
            return Err(format!(
                "the {how} (line {line}) takes a second reference after the {first} (line {at})"
            ));
        }
        if state.reset {
            return Err(format!(
                "the {how} (line {line}) runs after the static is written again"
            ));
        }
        state.taken = Some((how, line));
        Ok(())
    }

    fn statement(
        &self,
        node: Node,
        state: &mut State,
        nested: bool,
        depth: usize,
    ) -> Result<(), String> {
        if state.ends {
            return Ok(());
        }
        if depth > MAX_NESTING {
            return Err(format!(
                "the code after the store nests more than {MAX_NESTING} statements deep"
            ));
        }
        match node.kind() {
            "comment" => Ok(()),
            "compound_statement" => {
                let mut cursor = node.walk();
                let children: Vec<Node> = node.named_children(&mut cursor).collect();
                for child in children {
                    self.statement(child, state, nested, depth + 1)?;
                }
                Ok(())
            }
            "labeled_statement" => {
                let mut cursor = node.walk();
                let inner: Vec<Node> = node.named_children(&mut cursor).skip(1).collect();
                for child in inner {
                    self.statement(child, state, nested, depth + 1)?;
                }
                Ok(())
            }
            "if_statement" => self.branch(node, 0, state, nested, depth),
            "do_statement" if is_while_zero(node, &self.unit.file.source.bytes) => {
                match node.child_by_field_name("body") {
                    Some(body) => self.statement(body, state, nested, depth + 1),
                    None => Ok(()),
                }
            }
            "return_statement" => {
                let value = node.named_child(0);
                self.leave(node, value, state, nested)?;
                state.ends = true;
                Ok(())
            }
            "goto_statement" | "break_statement" | "continue_statement" => {
                self.leave(node, None, state, nested)?;
                state.ends = true;
                Ok(())
            }
            "expression_statement" | "declaration" => self.plain(node, 0, state, nested),
            _ => self.opaque(node, state),
        }
    }

    /// A path leaving at `node` (with `value` returned).
    fn leave(
        &self,
        node: Node,
        value: Option<Node>,
        state: &mut State,
        nested: bool,
    ) -> Result<(), String> {
        match &state.taken {
            Some(_) => {
                // `return tmp;` hands the reference taken to the caller
                // (`return hook;` is the ledger's, [`Unit::given_after`]).
                let alias = value
                    .filter(|v| self.is_value(*v, state) && !self.refers_to_static(strip_casts(*v)))
                    .filter(|_| self.returns_new);
                if let Some(alias) = alias {
                    let why = format!(
                        "`{}` is then returned (line {})",
                        self.text(strip_casts(parse::strip_parens(alias))),
                        self.line(node)
                    );
                    if nested {
                        return Err(format!(
                            "the reference taken is handed on on some paths only: {why}"
                        ));
                    }
                    state.handed_on.get_or_insert(why);
                }
            }
            None if !state.null && !state.reset => {
                state.bare_exit.get_or_insert(format!(
                    "the `{}` on line {}",
                    short_statement(self.text(node)),
                    self.line(node)
                ));
            }
            None => {}
        }
        Ok(())
    }

    /// An expression statement or a declaration, read from the byte `from`.
    fn plain(
        &self,
        node: Node,
        from: usize,
        state: &mut State,
        nested: bool,
    ) -> Result<(), String> {
        let expression = (node.kind() == "expression_statement")
            .then(|| node.named_child(0))
            .flatten()
            .map(parse::strip_parens);
        let name = expression.and_then(|e| match e.kind() {
            "identifier" => Some(self.text(e)),
            "call_expression" => e.child_by_field_name("function").map(|f| self.text(f)),
            _ => None,
        });
        if let Some(name) = name {
            if name.starts_with("Py_RETURN_") {
                self.leave(node, None, state, nested)?;
                state.ends = true;
                return Ok(());
            }
            if self.unit.macros.contains_key(name) && self.unit.may_leave(name) {
                self.leave(node, None, state, nested)?;
            }
        }
        match self.effect(node, from, state) {
            Effect::Incref(how) => {
                if let Some(why) = self.conditional_part(node, from, state) {
                    return Err(format!("the {how} (line {}) {why}", self.line(node)));
                }
                self.take(how, node, state)?;
            }
            Effect::Unclear(why) => return Err(why),
            Effect::None => {}
        }
        self.copy_increfed(node, from, state)?;
        self.hand_on(node, from, state, nested)?;
        self.follow_aliases(node, from, state, true);
        Ok(())
    }

    /// An incref in `node` of a local that may hold the value.
    fn copy_increfed(&self, node: Node, from: usize, state: &State) -> Result<(), String> {
        if state.maybe.is_empty() {
            return Ok(());
        }
        let bytes: &[u8] = &self.unit.file.source.bytes;
        let target = Target {
            symbol: None,
            names: state.maybe.clone(),
            in_callees: false,
        };
        match self
            .unit
            .effect_between(&[node], (from, usize::MAX), (bytes, true), &target)
        {
            Effect::Incref(how) => Err(format!(
                "the {how} (line {}) is of {}, which took the stored value before the store \
                 and may hold it still",
                self.line(node),
                state
                    .maybe
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            )),
            Effect::Unclear(why) => Err(why),
            Effect::None => Ok(()),
        }
    }

    /// Why an incref in `node` may not run: it lies in an arm of `?:` or
    /// right of `&&` / `||`.
    fn conditional_part(&self, node: Node, from: usize, state: &State) -> Option<String> {
        let mut parts = Vec::new();
        let mut pending = vec![node];
        while let Some(n) = pending.pop() {
            if n.end_byte() <= from {
                continue;
            }
            match n.kind() {
                "conditional_expression" => {
                    parts.extend(n.child_by_field_name("consequence"));
                    parts.extend(n.child_by_field_name("alternative"));
                }
                "binary_expression"
                    if n.child_by_field_name("operator")
                        .is_some_and(|o| matches!(o.kind(), "&&" | "||")) =>
                {
                    parts.extend(n.child_by_field_name("right"));
                }
                _ => {}
            }
            let mut cursor = n.walk();
            pending.extend(n.named_children(&mut cursor));
        }
        let bytes: &[u8] = &self.unit.file.source.bytes;
        let effect = self.unit.effect_between(
            &parts,
            (from, usize::MAX),
            (bytes, true),
            &self.target(state),
        );
        matches!(effect, Effect::Incref(_))
            .then(|| "runs under a condition of its expression".to_owned())
    }

    /// A call in `node` that steals an alias after the reference is taken.
    fn hand_on(
        &self,
        node: Node,
        from: usize,
        state: &mut State,
        nested: bool,
    ) -> Result<(), String> {
        if state.taken.is_none() || state.aliases.is_empty() {
            return Ok(());
        }
        for call in parse::calls_in(node) {
            if call.end_byte() <= from {
                continue;
            }
            let Some(callee) = call
                .child_by_field_name("function")
                .filter(|f| f.kind() == "identifier")
                .map(|f| self.text(f))
            else {
                continue;
            };
            for (at, argument) in super::arguments(call).into_iter().enumerate() {
                let alias =
                    self.is_value(argument, state) && !self.refers_to_static(strip_casts(argument));
                if !alias {
                    continue;
                }
                if let Some(how) = self.unit.steals_in(call, callee, at) {
                    let why = format!(
                        "`{}` is then given to {how} (line {})",
                        self.text(argument),
                        self.line(call)
                    );
                    if nested {
                        return Err(format!(
                            "the reference taken is handed on on some paths only: {why}"
                        ));
                    }
                    state.handed_on.get_or_insert(why);
                }
            }
        }
        Ok(())
    }

    /// The names that hold the value after `node`: a local assigned one of
    /// them is one (`copy = tmp`, `h = hook`), one assigned anything else,
    /// or whose address is taken, no longer is; the static written again
    /// is `reset`. `sure`: `node` runs whole (else an assignment only
    /// drops a name).
    fn follow_aliases(&self, node: Node, from: usize, state: &mut State, sure: bool) {
        let mut pending = vec![node];
        while let Some(n) = pending.pop() {
            if n.end_byte() <= from {
                continue;
            }
            let mut cursor = n.walk();
            pending.extend(n.named_children(&mut cursor));
            let (left, right) = match n.kind() {
                "assignment_expression" => (
                    n.child_by_field_name("left").map(parse::strip_parens),
                    n.child_by_field_name("right").filter(|_| {
                        n.child_by_field_name("operator").map(|o| o.kind()) == Some("=")
                    }),
                ),
                "init_declarator" => (
                    n.child_by_field_name("declarator")
                        .and_then(crate::analysis::classify::innermost_name),
                    n.child_by_field_name("value"),
                ),
                "pointer_expression"
                    if n.child_by_field_name("operator").map(|o| o.kind()) == Some("&") =>
                {
                    (
                        n.child_by_field_name("argument").map(parse::strip_parens),
                        None,
                    )
                }
                "update_expression" => (n.child_by_field_name("argument"), None),
                _ => continue,
            };
            let Some(left) = left.filter(|l| l.kind() == "identifier") else {
                continue;
            };
            if n.kind() == "assignment_expression" && self.refers_to_static(left) {
                if n.id() != self.store {
                    state.reset = true;
                }
                continue;
            }
            let name = self.text(left).to_owned();
            let holds = right.is_some_and(|r| self.is_value(r, state));
            state.aliases.retain(|a| *a != name);
            state.maybe.retain(|a| *a != name);
            if holds && sure {
                state.aliases.push(name);
            }
        }
    }

    /// A loop, a `switch` or any other statement: read as a whole.
    fn opaque(&self, node: Node, state: &mut State) -> Result<(), String> {
        match self.effect(node, 0, state) {
            Effect::Incref(how) => {
                return Err(format!(
                    "the {how} (line {}) runs in a loop or a `switch`, not once on every path",
                    self.line(node)
                ))
            }
            Effect::Unclear(why) => return Err(why),
            Effect::None => {}
        }
        self.copy_increfed(node, 0, state)?;
        if let Some(exit) = leaving(node, &self.unit.file.source.bytes) {
            match state.taken {
                None if !state.null && !state.reset => {
                    state.bare_exit.get_or_insert(format!(
                        "the `{}` on line {}",
                        short_statement(self.text(exit)),
                        self.line(exit)
                    ));
                }
                Some(_) if !state.aliases.is_empty() && exit.kind() == "return_statement" => {
                    let value = exit.named_child(0);
                    if value.is_some_and(|v| self.is_value(v, state)) && self.returns_new {
                        return Err(format!(
                            "the reference taken may be returned on line {}",
                            self.line(exit)
                        ));
                    }
                }
                _ => {}
            }
        }
        self.follow_aliases(node, 0, state, false);
        Ok(())
    }

    /// An `if`, its condition read from the byte `from`: each arm on its
    /// own, then the paths that go on joined.
    fn branch(
        &self,
        node: Node,
        from: usize,
        state: &mut State,
        nested: bool,
        depth: usize,
    ) -> Result<(), String> {
        let condition = node.child_by_field_name("condition");
        if let Some(condition) = condition {
            self.plain(condition, from, state, nested)?;
        }
        let null_in = condition.and_then(|c| self.null_side(c, state));
        let arm = |field: &str, null: bool| -> Result<State, String> {
            let mut inner = state.clone();
            inner.null |= null;
            if let Some(body) = node.child_by_field_name(field) {
                let body = if body.kind() == "else_clause" {
                    body.named_child(0).unwrap_or(body)
                } else {
                    body
                };
                self.statement(body, &mut inner, true, depth + 1)?;
            }
            Ok(inner)
        };
        let then = arm("consequence", null_in == Some(true))?;
        let otherwise = arm("alternative", null_in == Some(false))?;
        let before = state.taken.is_some();
        state.bare_exit = state
            .bare_exit
            .take()
            .or(then.bare_exit.clone())
            .or(otherwise.bare_exit.clone());
        let live: Vec<&State> = [&then, &otherwise]
            .into_iter()
            .filter(|s| !s.ends)
            .collect();
        if live.is_empty() {
            state.ends = true;
            return Ok(());
        }
        let takes = live.iter().filter(|s| s.taken.is_some()).count();
        if !before && takes > 0 {
            let first = live
                .iter()
                .find_map(|s| s.taken.clone())
                .unwrap_or_default();
            let others_drop = live.iter().all(|s| s.taken.is_some() || s.null || s.reset);
            if !others_drop {
                return Err(format!(
                    "the {} (line {}) runs on some paths only, and the slot keeps the borrowed \
                     value on the others",
                    first.0, first.1
                ));
            }
            state.taken = Some(first);
        }
        state.null = live.iter().all(|s| s.null);
        state.reset = live.iter().all(|s| s.reset);
        if live.iter().any(|s| s.reset) && !state.reset {
            // Written again on some paths: a later incref is unclear.
            state.reset = true;
        }
        let mut aliases = live[0].aliases.clone();
        for s in &live[1..] {
            aliases.retain(|a| s.aliases.contains(a));
        }
        state.aliases = aliases;
        Ok(())
    }

    /// Which arm of an `if` on `condition` has the value `NULL`: `Some(true)`
    /// the consequence (`!tmp`, `tmp == NULL`), `Some(false)` the
    /// alternative (`tmp`, `tmp != NULL`).
    fn null_side(&self, condition: Node, state: &State) -> Option<bool> {
        let bytes: &[u8] = &self.unit.file.source.bytes;
        let test = parse::strip_parens(condition);
        if test.kind() == "binary_expression" {
            // `a && tmp == NULL`: the consequence has every part true;
            // `a || tmp != NULL`: the alternative has every part false.
            let operator = test.child_by_field_name("operator").map(|o| o.kind());
            let wanted = match operator {
                Some("&&") => Some(true),
                Some("||") => Some(false),
                _ => None,
            };
            if let Some(wanted) = wanted {
                let parts = [
                    test.child_by_field_name("left"),
                    test.child_by_field_name("right"),
                ];
                return parts
                    .into_iter()
                    .flatten()
                    .any(|p| self.null_side(p, state) == Some(wanted))
                    .then_some(wanted);
            }
        }
        match test.kind() {
            "identifier" => self.is_value(test, state).then_some(false),
            "unary_expression"
                if test.child_by_field_name("operator").map(|o| o.kind()) == Some("!") =>
            {
                let argument = test.child_by_field_name("argument")?;
                self.is_value(argument, state).then_some(true)
            }
            "binary_expression" => {
                let operator = test.child_by_field_name("operator")?.kind();
                let left = test.child_by_field_name("left")?;
                let right = test.child_by_field_name("right")?;
                let subject = if parse::is_null_constant(right, bytes) {
                    left
                } else if parse::is_null_constant(left, bytes) {
                    right
                } else {
                    return None;
                };
                if !self.is_value(subject, state) {
                    return None;
                }
                match operator {
                    "==" => Some(true),
                    "!=" => Some(false),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// A copy between locals in a block: `copy = tmp` or `PyObject *copy =
/// tmp` (casts and parentheses off), where `copy` is an automatic local.
pub(super) struct LocalCopy {
    /// Where the assignment or declarator starts.
    start: usize,
    /// The local written.
    left: String,
    /// The name read.
    right: String,
}

impl Unit<'_, '_> {
    /// The locals the store's value is read from (`hook = tmp`, `hook = (T
    /// *)tmp`, `hook = tmp = x`): automatic variables of the function.
    fn stored_locals(&self, assignment: Node, bytes: &[u8]) -> Vec<String> {
        let automatic = |n: Node, name: &str| {
            self.declaration_of(n, name.as_bytes(), bytes)
                .is_some_and(|(kind, _)| kind == LocalKind::Automatic)
        };
        let mut names = Vec::new();
        let mut node = assignment.child_by_field_name("right");
        for _ in 0..MAX_NESTING {
            let Some(n) = node.map(|n| strip_casts(parse::strip_parens(n))) else {
                break;
            };
            node = match n.kind() {
                "identifier" => {
                    let name = n.utf8_text(bytes).unwrap_or("");
                    if automatic(n, name) {
                        names.push(name.to_owned());
                    }
                    None
                }
                "comma_expression" => n.child_by_field_name("right"),
                "assignment_expression"
                    if n.child_by_field_name("operator").map(|o| o.kind()) == Some("=") =>
                {
                    if let Some(left) = n
                        .child_by_field_name("left")
                        .map(parse::strip_parens)
                        .filter(|l| l.kind() == "identifier")
                    {
                        let name = left.utf8_text(bytes).unwrap_or("");
                        if automatic(left, name) {
                            names.push(name.to_owned());
                        }
                    }
                    n.child_by_field_name("right")
                }
                _ => None,
            };
        }
        names
    }

    /// The automatic locals that take one of `aliases` (or a local that
    /// took one) before the store `assignment`, in the block that declares
    /// the first alias: `copy = tmp`, `PyObject *c = tmp`. The block's
    /// copies are read once ([`Unit::local_copies`]): a function of many
    /// stores costs time linear in its copies per store, not in its text.
    fn copies_before(&self, assignment: Node, aliases: &[String], bytes: &[u8]) -> Vec<String> {
        let mut copies: Vec<String> = Vec::new();
        let until = assignment.start_byte();
        let value = assignment
            .child_by_field_name("right")
            .map(|r| strip_casts(parse::strip_parens(r)));
        let scope = value
            .zip(aliases.first())
            .and_then(|(value, alias)| self.declaration_of(value, alias.as_bytes(), bytes));
        let Some((_, block)) = scope else {
            return copies;
        };
        self.local_copies(block, bytes, |found| {
            let before: Vec<&LocalCopy> = found.iter().filter(|c| c.start < until).collect();
            for copy in &before {
                let from_alias = aliases.contains(&copy.right) || copies.contains(&copy.right);
                if from_alias && !aliases.contains(&copy.left) && !copies.contains(&copy.left) {
                    copies.push(copy.left.clone());
                }
            }
            // The pass above takes the last statement first, so a copy of
            // a copy written in order (`PyObject *a = tmp; PyObject *b =
            // a;`) escapes it: the copies of every name found are added,
            // until none is left (a name's copies read once each).
            let mut from: HashMap<&str, Vec<&str>> = HashMap::new();
            for copy in &before {
                from.entry(copy.right.as_str())
                    .or_default()
                    .push(copy.left.as_str());
            }
            let mut names: Vec<String> = aliases.iter().chain(&copies).cloned().collect();
            let mut known: HashSet<String> = names.iter().cloned().collect();
            let mut next = 0;
            while let Some(name) = names.get(next).cloned() {
                next += 1;
                for &left in from.get(name.as_str()).into_iter().flatten() {
                    if known.insert(left.to_owned()) {
                        copies.push(left.to_owned());
                        names.push(left.to_owned());
                    }
                }
            }
        });
        copies
    }

    /// `read` of the copies between locals in `block`, in the order
    /// [`Unit::copies_before`] takes them (a walk that takes the last child
    /// first: from the end of the block back, each statement before what
    /// it holds): kept per block of the unit's own tree.
    fn local_copies<R>(
        &self,
        block: Node,
        bytes: &[u8],
        read: impl FnOnce(&[LocalCopy]) -> R,
    ) -> R {
        if !self.owns(block, bytes) {
            return read(&self.read_local_copies(block, bytes));
        }
        let known = self.copies.borrow().get(&block.id()).cloned();
        let found = known.unwrap_or_else(|| {
            let found = std::rc::Rc::new(self.read_local_copies(block, bytes));
            self.copies
                .borrow_mut()
                .insert(block.id(), std::rc::Rc::clone(&found));
            found
        });
        read(&found)
    }

    fn read_local_copies(&self, block: Node, bytes: &[u8]) -> Vec<LocalCopy> {
        let automatic = |n: Node| {
            let name = n.utf8_text(bytes).unwrap_or("");
            self.declaration_of(n, name.as_bytes(), bytes)
                .is_some_and(|(k, _)| k == LocalKind::Automatic)
        };
        let mut found = Vec::new();
        let mut pending = vec![block];
        while let Some(n) = pending.pop() {
            let mut cursor = n.walk();
            pending.extend(n.named_children(&mut cursor));
            let (left, right) = match n.kind() {
                "assignment_expression" => (
                    n.child_by_field_name("left").map(parse::strip_parens),
                    n.child_by_field_name("right"),
                ),
                "init_declarator" => (
                    n.child_by_field_name("declarator")
                        .and_then(crate::analysis::classify::innermost_name),
                    n.child_by_field_name("value"),
                ),
                _ => continue,
            };
            let (Some(left), Some(right)) =
                (left, right.map(|r| strip_casts(parse::strip_parens(r))))
            else {
                continue;
            };
            if right.kind() == "identifier" && left.kind() == "identifier" && automatic(left) {
                let named = |node: Node| node.utf8_text(bytes).unwrap_or("").to_owned();
                found.push(LocalCopy {
                    start: n.start_byte(),
                    left: named(left),
                    right: named(right),
                });
            }
        }
        found
    }
}

/// `do { … } while (0)`: a block, run once.
fn is_while_zero(node: Node, bytes: &[u8]) -> bool {
    node.child_by_field_name("condition")
        .map(parse::strip_parens)
        .is_some_and(|c| c.utf8_text(bytes).map(str::trim) == Ok("0"))
}

/// The first statement in `node` that may leave the function or the
/// store's block: `return`, `goto`, a `break` or `continue` outside a loop
/// or `switch` of its own, `Py_RETURN_…`.
fn leaving<'t>(node: Node<'t>, bytes: &[u8]) -> Option<Node<'t>> {
    crate::fix::rewrite::first_exit(node, Some(bytes))
}

/// A statement's text on one line, cut short.
fn short_statement(text: &str) -> String {
    super::short(
        text.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .as_bytes(),
    )
}
