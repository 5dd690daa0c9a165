//! Aliases of a static: local copies (`T *p = v;`) and pointers to it
//! (`T **slot = &v;`), and what writes, releases and hand-offs through them
//! mean for the static.

use super::*;
use crate::analysis::parse::{HasNodeId, NodeId};

impl<'a, 't> Context<'a, 't> {
    /// Local copies and pointers of each static, by function.
    pub(super) fn find_aliases(&mut self) {
        for (id, symbol) in self.resolution.symbols.iter().enumerate() {
            for &reference in &symbol.references {
                if let Some((callee, position, _)) =
                    evidence::address_argument(reference, self.source)
                {
                    if self.helpers.is_empty() {
                        self.helpers = parse::function_definitions(self.root, self.source);
                    }
                    if let Some(&helper) = self.helpers.get(callee.as_bytes()) {
                        for (function, parameter) in
                            slot_helpers(&self.helpers, helper, position, self.source)
                        {
                            self.out_params
                                .insert((Some(function.node_id()), parameter));
                        }
                    }
                }
                let (mut node, pointer) = match self.evidence.addresses.get(&reference.node_id()) {
                    Some(&address) => (address, true),
                    None => (reference, false),
                };
                // `p = (T *)v;` and `p = v ? v : make();` are copies too.
                while let Some(parent) = node.parent().filter(|p| match p.kind() {
                    "cast_expression" | "parenthesized_expression" => true,
                    "conditional_expression" => p.child_by_field_name("condition") != Some(node),
                    _ => false,
                }) {
                    node = parent;
                }
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
                if self.resolution.refs.contains_key(&alias.node_id()) {
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
    pub(super) fn subject(&self, node: Node, function: Option<NodeId>) -> Option<SymbolId> {
        let node = strip_parens(node);
        match node.kind() {
            "identifier" => self
                .resolution
                .refs
                .get(&node.node_id())
                .copied()
                .or_else(|| {
                    self.value_aliases
                        .get(&(function, self.text(node)))
                        .copied()
                }),
            "pointer_expression" if node.child_by_field_name("operator")?.kind() == "*" => {
                let argument = strip_parens(node.child_by_field_name("argument")?);
                if argument.kind() != "identifier" {
                    return None;
                }
                let key = (function, self.text(argument));
                self.pointer_aliases
                    .get(&key)
                    .copied()
                    .or_else(|| self.out_params.contains(&key).then_some(OUT_PARAM))
            }
            _ => None,
        }
    }

    /// `*slot = f()` where `slot = &v`.
    pub(super) fn examine_pointer_alias_writes(&self, facts: &mut [SymbolFacts<'t>]) {
        if self.pointer_aliases.is_empty() {
            return;
        }
        for write in &self.evidence.assignments {
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
                if symbol != OUT_PARAM {
                    self.examine_write(symbol, *write, &mut facts[symbol]);
                }
            }
        }
    }

    /// `tmp = v; v = NULL; Py_DECREF(tmp);`: a release through a local copy
    /// of a static that is then emptied.
    pub(super) fn examine_alias_releases(&self, facts: &mut [SymbolFacts<'t>]) {
        if self.value_aliases.is_empty() {
            return;
        }
        let mut releases: Vec<_> = self.evidence.releases.values().collect();
        releases.sort_by_key(|r| r.node.start_byte());
        for release in releases {
            let target = release.target;
            if target.kind() != "identifier" || self.resolution.refs.contains_key(&target.node_id())
            {
                continue;
            }
            let function = function_id(target);
            let Some(&symbol) = self.value_aliases.get(&(function, self.text(target))) else {
                continue;
            };
            let emptied = facts[symbol]
                .null_writes
                .iter()
                .any(|w| function_id(*w) == function && w.start_byte() < release.node.start_byte());
            if emptied && self.guard(release.node, symbol).is_none() {
                facts[symbol].releases.push(release.node);
            }
        }
    }

    /// A static copied into a local, emptied, and not released there
    /// (`p = spare; spare = NULL; return p;`) hands its value on: a
    /// one-slot free list or a hand-off, not a cache.
    pub(super) fn find_taken(&self, facts: &mut [SymbolFacts<'t>]) {
        if self.value_aliases.is_empty() {
            return;
        }
        for (symbol, facts) in facts.iter_mut().enumerate() {
            let taken = facts.null_writes.iter().any(|&w| {
                let function = function_id(w);
                let copied = self
                    .value_aliases
                    .iter()
                    .any(|(&(f, _), &s)| f == function && s == symbol);
                let released = facts.releases.iter().any(|&r| function_id(r) == function)
                    || self.evidence.releases.values().any(|r| {
                        function_id(r.node) == function
                            && self.subject(r.target, function) == Some(symbol)
                    });
                copied && !released
            });
            if taken {
                facts.state = true;
            }
        }
    }
}
