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
                // An element's or a member's address goes to the helper
                // (`lazy(&cache[k])`), never the aggregate's own.
                let slot = if self.is_aggregate(id) {
                    self.access(id, reference)
                } else {
                    Some(reference)
                };
                for (callee, position, _) in slot.into_iter().flat_map(|slot| {
                    evidence::slot_arguments(slot, self.source, &self.evidence.macro_addresses)
                }) {
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
                if let Some((call, local)) = self.detached_into(reference) {
                    // `DETACH(old, v)`: `old = v; v = NULL;` inside the macro.
                    let key = (function_id(call), self.text(local));
                    self.alias_copies.entry(key).or_default().push(AliasCopy {
                        end: call.end_byte(),
                        loops: Vec::new(),
                    });
                    let symbols = self.value_aliases.entry(key).or_default();
                    if !symbols.contains(&id) {
                        symbols.push(id);
                        symbols.sort_unstable();
                    }
                    continue;
                }
                // A struct's object member is copied as a pointer is (`p =
                // freelist.spare;`); an array's element is followed through
                // its address (`T **slot = &table[i];`, a pointer to that
                // cache as `&v` is to a single one), never through a copy of
                // its value (which element a later test reads is unknown).
                let candidate = &self.candidates[symbol.candidates[0]];
                let addresses = &self.evidence.addresses;
                let (mut node, pointer) = match slot {
                    Some(member) if !candidate.array => match addresses.get(&member.node_id()) {
                        Some(&address) => (address, true),
                        None => (member, false),
                    },
                    Some(element) => match addresses.get(&element.node_id()) {
                        Some(&address) => (address, true),
                        None => continue,
                    },
                    // `T **slot = table + i;` or `= table;`: the array's
                    // name decays to its first element's address.
                    None => match candidate.element_address(reference, self.source) {
                        Some(address) => (address, true),
                        None => continue,
                    },
                };
                // `p = (T *)v;` and `p = v ? v : make();` are copies too.
                let (reached, above) = parse::climb(node, |parent, child| match parent.kind() {
                    "cast_expression" | "parenthesized_expression" => true,
                    "conditional_expression" => {
                        parent.child_by_field_name("condition") != Some(child)
                    }
                    _ => false,
                });
                node = reached;
                let Some(parent) = above.first() else {
                    continue;
                };
                // `fill(table, n)`, `fill(table + k, n)`, `fill(&table[k],
                // n)`: a helper of the unit may fill any element through
                // the pointer it is handed ([`Context::out_arrays`]).
                if candidate.array && candidate.members.is_empty() {
                    if let Some((callee, position)) = handed_as(parent, above.get(1), node) {
                        let callee = self.text(callee);
                        if self.helpers.is_empty() {
                            self.helpers = parse::function_definitions(self.root, self.source);
                        }
                        let reached = decayed_helpers(
                            &self.helpers,
                            &self.evidence.macro_passes,
                            callee,
                            position,
                            self.source,
                        );
                        for (function, parameter) in reached {
                            self.out_arrays
                                .insert((Some(function.node_id()), parameter));
                        }
                        continue;
                    }
                }
                let Some(alias) = copied_into(parent, node) else {
                    continue;
                };
                if self.resolution.refs.contains_key(&alias.node_id()) {
                    continue; // `v = w` between two statics is no alias
                }
                let key = (function_id(node), self.text(alias));
                if !pointer {
                    // The loops around the copy in its function, innermost
                    // first: the innermost that holds a use is the one
                    // whose next iteration the copy reaches it by.
                    let loops = above
                        .clone()
                        .skip(1)
                        .take_while(|n| n.kind() != "function_definition")
                        .filter(|n| {
                            matches!(
                                n.kind(),
                                "for_statement" | "while_statement" | "do_statement"
                            )
                        })
                        .map(|n| (n.start_byte(), n.end_byte()))
                        .collect();
                    if !self.alias_sets.contains_key(&key) {
                        let function = above.clone().find(|n| n.kind() == "function_definition");
                        let sets = function
                            .map(|f| settings_of(f, key.1, self.source))
                            .unwrap_or_default();
                        self.alias_sets.insert(key, sets);
                    }
                    self.alias_copies.entry(key).or_default().push(AliasCopy {
                        end: parent.end_byte(),
                        loops,
                    });
                }
                let aliases = if pointer {
                    &mut self.pointer_aliases
                } else {
                    &mut self.value_aliases
                };
                // A copy of a reference shared by the variables of an
                // `#if` chain's branches is a copy of each of them.
                let symbols = aliases.entry(key).or_default();
                if !symbols.contains(&id) {
                    symbols.push(id);
                    symbols.sort_unstable();
                }
            }
        }
    }

    /// `DETACH(old, v)` where the file's macro `DETACH` detaches its
    /// argument at `v`'s position into the one at `old`'s
    /// ([`Evidence::macro_detaches`]): the call and `old`, a plain name
    /// that is no static.
    pub(super) fn detached_into(&self, reference: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
        if self.evidence.macro_detaches.is_empty() {
            return None;
        }
        let (callee, position, call) = parse::call_argument(reference, self.source)?;
        let receiver = self
            .evidence
            .macro_detaches
            .get(callee)?
            .iter()
            .find(|(s, _)| *s == position)?
            .1;
        let arguments = call.child_by_field_name("arguments")?;
        let local = arguments
            .named_children(&mut arguments.walk())
            .filter(|a| a.kind() != "comment")
            .nth(receiver)
            .map(strip_parens)
            .filter(|a| a.kind() == "identifier")?;
        (!self.resolution.refs.contains_key(&local.node_id())).then_some((call, local))
    }

    /// Whether the local of `key` may hold the static's value at `use`: a
    /// copy of it ends before `use`, or a loop holds both (the copy of one
    /// iteration reaches the next one's use). `if (!found) { v = make();
    /// found = v; }` tests the local before any copy: no test of `v`.
    ///
    /// A copy reaches the use unless the local is set again (or declared
    /// anew) on every path between them: after the copy and before the
    /// use, or, for a copy later in a loop, from the loop's start to the
    /// use (`found = PyDict_GetItem(...)` at the top of each iteration).
    pub(super) fn copied_before(&self, key: &(Option<NodeId>, &'a [u8]), used: Node) -> bool {
        let Some(copies) = self.alias_copies.get(key) else {
            return true;
        };
        let (start, end) = (used.start_byte(), used.end_byte());
        let sets = self.alias_sets.get(key).map(Vec::as_slice).unwrap_or(&[]);
        let set_again = |from: usize| {
            sets.iter().any(|set| {
                from <= set.start
                    && set.end <= start
                    && set.always.0 <= start
                    && end <= set.always.1
            })
        };
        copies.iter().any(|copy| {
            if copy.end <= start {
                return !set_again(copy.end);
            }
            copy.loops
                .iter()
                .find(|&&(from, to)| from <= start && end <= to)
                .is_some_and(|&(from, _)| !set_again(from))
        })
    }

    /// The static an expression names: directly, through a local copy, or
    /// through a pointer to it (`*slot`).
    pub(super) fn subject(&self, node: Node, function: Option<NodeId>) -> Option<SymbolId> {
        let node = strip_parens(node);
        match node.kind() {
            // `table[i]` of an array of object pointers, `state.error` or
            // `table[i].cls` of a struct's object member.
            "subscript_expression" | "field_expression" => {
                let aggregate = aggregate_name(node).and_then(|name| {
                    let symbol = *self.resolution.refs.get(&name.node_id())?;
                    (self.is_aggregate(symbol) && self.access(symbol, name) == Some(node))
                        .then_some(symbol)
                });
                // `slot[0]`, the first element of a pointer to the static;
                // `out[i]` of a pointer into an array of them.
                aggregate
                    .or_else(|| self.slot_subject(first_element(node, self.source)?, function))
                    .or_else(|| self.out_array_element(node, function))
            }
            // An array's or a struct's own name is never NULL; a macro
            // naming one of its caches is that cache.
            "identifier" => self
                .resolution
                .refs
                .get(&node.node_id())
                .copied()
                .filter(|&s| !self.is_aggregate(s) || self.access(s, node) == Some(node))
                .or_else(|| {
                    let key = (function, self.text(node));
                    self.value_aliases
                        .get(&key)
                        .filter(|_| self.copied_before(&key, node))
                        .and_then(|s| s.first().copied())
                }),
            // `(r = v) == NULL` tests the value assigned: `v`'s.
            "assignment_expression" if operator(node) == Some("=") => {
                self.subject(node.child_by_field_name("right")?, function)
            }
            // `CONST_OBJ(k)`, a macro of the file whose body is an element.
            "call_expression" => self.macro_element(node),
            "pointer_expression" if node.child_by_field_name("operator")?.kind() == "*" => {
                // `*table`, `*(table + k)`: an element of an array.
                if let Some(symbol) = self.element_of(node) {
                    return Some(symbol);
                }
                if let Some(table) = self.table_of(node) {
                    return table.first().copied();
                }
                self.slot_subject(node.child_by_field_name("argument")?, function)
                    .or_else(|| self.out_array_element(node, function))
            }
            _ => None,
        }
    }

    /// The aggregate whose cache the call of a macro of the file is
    /// (`CONST_OBJ(k)` with `#define CONST_OBJ(i) const_table[i]`,
    /// scope::macro_references).
    fn macro_element(&self, call: Node) -> Option<SymbolId> {
        let callee = call.child_by_field_name("function")?;
        let symbol = *self.resolution.refs.get(&callee.node_id())?;
        (self.is_aggregate(symbol) && self.access(symbol, callee) == Some(call)).then_some(symbol)
    }

    /// The array whose element `*table` or `*(table + k)` is.
    fn element_of(&self, dereference: Node) -> Option<SymbolId> {
        let name = aggregate_name(dereference)?;
        let symbol = *self.resolution.refs.get(&name.node_id())?;
        (self.is_aggregate(symbol) && self.access(symbol, name) == Some(dereference))
            .then_some(symbol)
    }

    /// The static that a pointer (`slot` of `*slot` or `slot[0]`) points
    /// to: a local `T **slot = &v;`, or a helper's parameter that receives
    /// a static's address ([`OUT_PARAM`]).
    fn slot_subject(&self, pointer: Node, function: Option<NodeId>) -> Option<SymbolId> {
        let pointer = strip_parens(pointer);
        if pointer.kind() != "identifier" {
            return None;
        }
        let key = (function, self.text(pointer));
        self.pointer_aliases
            .get(&key)
            .and_then(|s| s.first().copied())
            .or_else(|| {
                (self.out_params.contains(&key) || self.out_arrays.contains(&key))
                    .then_some(OUT_PARAM)
            })
    }

    /// [`OUT_PARAM`] for an element of a helper's parameter that receives
    /// a pointer into an array of object pointers ([`Context::out_arrays`]):
    /// `out[i]`, or `*(out + i)`, any `i`.
    fn out_array_element(&self, node: Node, function: Option<NodeId>) -> Option<SymbolId> {
        if self.out_arrays.is_empty() {
            return None;
        }
        let pointer = match node.kind() {
            "subscript_expression" => node.child_by_field_name("argument")?,
            "pointer_expression" if operator(node) == Some("*") => {
                let sum = strip_parens(node.child_by_field_name("argument")?);
                if sum.kind() != "binary_expression" || operator(sum) != Some("+") {
                    return None;
                }
                let left = sum.child_by_field_name("left")?;
                match strip_parens(left).kind() {
                    "identifier" => left,
                    _ => sum.child_by_field_name("right")?,
                }
            }
            _ => return None,
        };
        let pointer = strip_parens(pointer);
        (pointer.kind() == "identifier"
            && self.out_arrays.contains(&(function, self.text(pointer))))
        .then_some(OUT_PARAM)
    }

    /// Whether an expression names `symbol` (as [`Context::subject`] does),
    /// also when it is a reference, or a copy of one, that the variables
    /// of several `#if` branches share.
    pub(super) fn subject_is(
        &self,
        node: Node,
        function: Option<NodeId>,
        symbol: SymbolId,
    ) -> bool {
        self.subjects(node, function).contains(&symbol)
    }

    /// Every static an expression may name: [`Context::subject`], and for a
    /// reference (or a copy of one) shared by the variables of several
    /// `#if` branches, each of them.
    pub(super) fn subjects(&self, node: Node, function: Option<NodeId>) -> Vec<SymbolId> {
        let node = strip_parens(node);
        match node.kind() {
            "subscript_expression" | "field_expression" => {
                let Some(name) = aggregate_name(node) else {
                    return Vec::new();
                };
                let mut symbols = self.resolution.symbols_of(name.node_id());
                symbols.retain(|&s| self.is_aggregate(s) && self.access(s, name) == Some(node));
                if symbols.is_empty() {
                    return self.subject(node, function).into_iter().collect();
                }
                symbols
            }
            "call_expression" => self.macro_element(node).into_iter().collect(),
            "identifier" => {
                let mut direct = self.resolution.symbols_of(node.node_id());
                direct.retain(|&s| !self.is_aggregate(s) || self.access(s, node) == Some(node));
                if !direct.is_empty() {
                    return direct;
                }
                let key = (function, self.text(node));
                self.value_aliases
                    .get(&key)
                    .filter(|_| self.copied_before(&key, node))
                    .cloned()
                    .unwrap_or_default()
            }
            "assignment_expression" => match node.child_by_field_name("right") {
                Some(right) if operator(node) == Some("=") => self.subjects(right, function),
                _ => Vec::new(),
            },
            "pointer_expression" => {
                if let Some(symbol) = self.element_of(node) {
                    return vec![symbol];
                }
                if let Some(table) = self.table_of(node) {
                    return table;
                }
                match self.subject(node, function) {
                    Some(OUT_PARAM) => vec![OUT_PARAM],
                    Some(_) => {
                        let argument = node
                            .child_by_field_name("argument")
                            .map(|a| self.text(strip_parens(a)));
                        argument
                            .and_then(|a| self.pointer_aliases.get(&(function, a)))
                            .cloned()
                            .unwrap_or_default()
                    }
                    None => Vec::new(),
                }
            }
            _ => Vec::new(),
        }
    }

    /// `fill(table, n)`, `fill(&state)` and `for (e = table; e->name; e++)
    /// e->obj = make(e->name);`: an array (of object pointers, or of
    /// structs with object members) named on its own decays to a pointer to
    /// its first element, and a struct's address points to its members
    /// (C11 6.3.2.1p3). Handed as argument `k` to a helper of the unit
    /// that writes through its parameter `k` (`out[i] = …`, `out->obj =
    /// …`, `*out = …`, itself or in a helper it hands the parameter on to,
    /// [`slot_helpers`]), the call writes the static; copied into a local
    /// pointer (`e = table`, `Entry *e = &table[0]`), each later write
    /// through that local in the function writes it. Writes of NULL and
    /// writes of a member that holds no object (`e->name = …`) are no
    /// fill; a callee the unit does not define is not followed (what it
    /// does is unknown, and no write is assumed).
    pub(super) fn examine_decayed(
        &self,
        symbol: SymbolId,
        reference: Node<'t>,
        facts: &mut SymbolFacts<'t>,
    ) {
        let Some(&first) = self.resolution.symbols[symbol].candidates.first() else {
            return;
        };
        let candidate = &self.candidates[first];
        // Through parentheses and casts, `&` and the subscript of an
        // element whose address is taken (`&table[0]`).
        let mut addressed = false;
        let (reached, above) = parse::climb(reference, |parent, child| match parent.kind() {
            "parenthesized_expression" | "cast_expression" => true,
            "subscript_expression" => {
                candidate.array && parent.child_by_field_name("argument") == Some(child)
            }
            "pointer_expression" => {
                let address = parent
                    .child_by_field_name("operator")
                    .is_some_and(|o| o.kind() == "&");
                addressed |= address;
                address
            }
            _ => false,
        });
        // A pointer it is: the array's own name, or an address; an element
        // of an array of structs taken by value is a copy.
        let pointer = match strip_parens(reached).kind() {
            "identifier" => candidate.array,
            "pointer_expression" => addressed,
            _ => false,
        };
        let Some(parent) = above.first().filter(|_| pointer) else {
            return;
        };
        let writes_member = |target: Node| match target.kind() {
            "field_expression" => target.child_by_field_name("field").is_some_and(|f| {
                candidate
                    .members
                    .iter()
                    .any(|m| self.text(f) == m.as_bytes())
            }),
            _ => candidate.members.is_empty(),
        };
        match parent.kind() {
            "argument_list" => {
                let (Some(call), Some((callee, position))) =
                    (above.get(1), handed_as(parent, above.get(1), reached))
                else {
                    return;
                };
                let callee = self.text(callee);
                let fetched;
                let helpers = if self.helpers.is_empty() {
                    fetched = parse::function_definitions(self.root, self.source);
                    &fetched
                } else {
                    &self.helpers
                };
                let reached = decayed_helpers(
                    helpers,
                    &self.evidence.macro_passes,
                    callee,
                    position,
                    self.source,
                );
                let fills = |(function, parameter): &(Node<'t>, &[u8])| {
                    function
                        .child_by_field_name("body")
                        .map_or(Vec::new(), |body| {
                            writes_through(body, parameter, self.source)
                                .into_iter()
                                .filter(|&(_, target, value)| {
                                    writes_member(target)
                                        && !parse::is_null_constant(value, self.source)
                                })
                                .map(|(write, _, _)| write)
                                .collect()
                        })
                };
                if let Some(guard) = self.guard(call, symbol) {
                    if reached.iter().any(|r| !fills(r).is_empty()) {
                        self.record_write_under(symbol, call, Some(guard), facts);
                    }
                    return;
                }
                // Not under a guard at the call: filled lazily when every
                // write through the parameter lies under a NULL test of an
                // element of it (`if (out[i] == NULL) out[i] = …;`), in the
                // helper or at the calls that hand the parameter on.
                let mut writes = 0;
                let mut guard = None;
                let mut unguarded = false;
                for &(function, parameter) in &reached {
                    for write in fills(&(function, parameter)) {
                        writes += 1;
                        match self
                            .local_guard(write, OUT_PARAM, Some(function.node_id()))
                            .or_else(|| self.hand_off_guard(&reached, function))
                        {
                            Some(found) => guard = guard.or(Some(found)),
                            None => unguarded = true,
                        }
                    }
                }
                if writes > 0 {
                    let guard = guard.filter(|_| !unguarded);
                    self.record_write_under(symbol, call, guard, facts);
                }
            }
            "init_declarator" | "assignment_expression" => {
                let local = copied_into(parent, reached);
                let Some(local) =
                    local.filter(|l| !self.resolution.refs.contains_key(&l.node_id()))
                else {
                    return;
                };
                let Some(body) = above
                    .clone()
                    .find(|n| n.kind() == "function_definition")
                    .and_then(|f| f.child_by_field_name("body"))
                else {
                    return;
                };
                for (write, target, value) in writes_through(body, self.text(local), self.source) {
                    let after = write.start_byte() >= reference.end_byte();
                    if after
                        && writes_member(target)
                        && !parse::is_null_constant(value, self.source)
                    {
                        self.record_write(symbol, write, facts);
                    }
                }
            }
            _ => {}
        }
    }

    /// The statics whose addresses fill the table that `*table[i]`,
    /// `*table[i].slot` or `*(e->slot)` reads through
    /// ([`Context::address_tables`]), with `e` a local pointer that walks
    /// the table ([`walks_table`]); the table a function sees by the
    /// name: its own, else one at file scope.
    fn table_of(&self, dereference: Node) -> Option<Vec<SymbolId>> {
        if self.address_tables.is_empty() || operator(dereference) != Some("*") {
            return None;
        }
        let argument = strip_parens(dereference.child_by_field_name("argument")?);
        if !matches!(argument.kind(), "subscript_expression" | "field_expression") {
            return None;
        }
        let mut element = argument;
        while element.kind() == "field_expression" {
            element = strip_parens(element.child_by_field_name("argument")?);
        }
        let function = parse::enclosing_function(dereference);
        let name = match element.kind() {
            "subscript_expression" => {
                let table = aggregate_name(element)?;
                if self.resolution.refs.contains_key(&table.node_id()) {
                    return None;
                }
                self.text(table)
            }
            // `e->slot` with `e` stepping through the table.
            "identifier" if argument.kind() == "field_expression" => {
                let body = function?.child_by_field_name("body")?;
                walks_table(body, self.text(element), self.source)?
            }
            _ => return None,
        };
        // A parameter holds whatever its callers pass: the tables they
        // all pass there, or none.
        let position = function.and_then(|f| {
            (0..)
                .map_while(|i| parameter_name(f, i))
                .position(|p| self.text(p) == name)
        });
        let (Some(position), Some(function)) = (position, function) else {
            return self
                .table_named(name, function)
                .map(|t| t.entries.keys().copied().collect());
        };
        let callee = parse::function_name(function, self.source)?;
        let mut symbols: Vec<SymbolId> = Vec::new();
        for call in self.calls_to(callee.as_bytes()) {
            let mut argument = strip_parens(parse::argument_at(call, position)?);
            if argument.kind() == "pointer_expression" && operator(argument) == Some("&") {
                // `&table[0]`
                argument = strip_parens(argument.child_by_field_name("argument")?);
                if argument.kind() != "subscript_expression" {
                    return None;
                }
                argument = strip_parens(argument.child_by_field_name("argument")?);
            }
            if argument.kind() != "identifier" {
                return None;
            }
            let table = self.table_named(self.text(argument), parse::enclosing_function(call))?;
            symbols.extend(table.entries.keys().copied());
        }
        symbols.sort_unstable();
        symbols.dedup();
        (!symbols.is_empty()).then_some(symbols)
    }

    /// The table of statics' addresses that code in `function` sees by
    /// `name`: one declared in that function, else one at file scope.
    fn table_named(
        &self,
        name: &[u8],
        function: Option<Node>,
    ) -> Option<&tables::AddressTable<'t>> {
        let id = function.map(|f| f.node_id());
        let named = self
            .address_tables
            .iter()
            .filter(|t| t.name.as_bytes() == name);
        named
            .clone()
            .find(|t| t.function.is_some() && t.function.map(|f| f.node_id()) == id)
            .or_else(|| named.clone().find(|t| t.function.is_none()))
    }

    /// Whether a write of an object between the bytes `start` and `end`
    /// goes through a table of statics' addresses that holds `symbol`'s
    /// (`*(e->slot) = make()`, [`Context::table_of`]).
    pub(super) fn written_through_table(
        &self,
        symbol: SymbolId,
        (start, end): (usize, usize),
    ) -> bool {
        !self.address_tables.is_empty()
            && self.evidence.assignments.iter().any(|a| {
                a.node.start_byte() >= start
                    && a.node.end_byte() <= end
                    && !parse::is_null_constant(a.value, self.source)
                    && self
                        .table_of(strip_parens(a.target))
                        .is_some_and(|t| t.contains(&symbol))
            })
    }

    /// `*slot = f()` where `slot = &v`.
    pub(super) fn examine_pointer_alias_writes(&self, facts: &mut [SymbolFacts<'t>]) {
        if self.pointer_aliases.is_empty() && self.address_tables.is_empty() {
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
                .any(|(_, name)| Some(*name) == named)
                || self.table_of(target).is_some();
            if !candidate {
                continue;
            }
            for symbol in self.subjects(target, function_id(target)) {
                if symbol != OUT_PARAM {
                    self.examine_write(symbol, *write, &mut facts[symbol]);
                }
            }
        }
    }

    /// `PyObject **slot = &v; Py_CLEAR(*slot);`: a release through a
    /// pointer to the static. `Py_CLEAR` and `Py_SETREF(*slot, NULL)`
    /// empty it as they release; `Py_DECREF(*slot)` does when `*slot =
    /// NULL` follows in the function. A release under the static's guard
    /// is its initialisation's error path, no clear.
    pub(super) fn examine_pointer_alias_releases(&self, facts: &mut [SymbolFacts<'t>]) {
        if self.pointer_aliases.is_empty() && self.address_tables.is_empty() {
            return;
        }
        for release in self.releases_in_order() {
            let target = strip_parens(release.target);
            if target.kind() != "pointer_expression" || operator(target) != Some("*") {
                continue;
            }
            let function = function_id(target);
            let name = self.text(release.function);
            let replacement = release
                .node
                .child_by_field_name("arguments")
                .and_then(|a| a.named_child(1));
            let clears = name.ends_with(b"CLEAR")
                || (name.ends_with(b"SETREF")
                    && replacement.is_some_and(|v| parse::is_null_constant(v, self.source)))
                || self.evidence.assignments.iter().any(|a| {
                    a.node.start_byte() > release.node.end_byte()
                        && function_id(a.node) == function
                        && self.text(strip_parens(a.target)) == self.text(target)
                        && parse::is_null_constant(a.value, self.source)
                });
            if !clears {
                continue;
            }
            for symbol in self.subjects(target, function) {
                if symbol == OUT_PARAM {
                    continue;
                }
                facts[symbol].cleared.push(release.node);
                if self.guard(release.node, symbol).is_none() {
                    facts[symbol].releases.push(release.node);
                }
            }
        }
    }

    /// The unit's release calls ([`Evidence::releases`]) in source order.
    fn releases_in_order(&self) -> Vec<&evidence::Release<'t>> {
        let mut releases: Vec<_> = self.evidence.releases.values().collect();
        releases.sort_by_key(|r| r.node.start_byte());
        releases
    }

    /// `tmp = v; v = NULL; Py_DECREF(tmp);`: a release through a local copy
    /// of a static that is then emptied.
    pub(super) fn examine_alias_releases(&self, facts: &mut [SymbolFacts<'t>]) {
        if self.value_aliases.is_empty() {
            return;
        }
        for release in self.releases_in_order() {
            let target = release.target;
            if target.kind() != "identifier" || self.resolution.refs.contains_key(&target.node_id())
            {
                continue;
            }
            let function = function_id(target);
            let Some(symbols) = self.value_aliases.get(&(function, self.text(target))) else {
                continue;
            };
            for &symbol in symbols {
                let emptied = facts[symbol].null_writes.iter().any(|w| {
                    function_id(*w) == function && w.start_byte() < release.node.start_byte()
                });
                if emptied && self.guard(release.node, symbol).is_none() {
                    facts[symbol].releases.push(release.node);
                }
            }
        }
    }

    /// A static copied into a local, emptied, and not released there
    /// (`p = spare; spare = NULL; return p;`) hands its value on: a
    /// one-slot free list, not a cache, when a NULL-guarded write parks an
    /// object that already exists in it (`if (spare == NULL) spare = p;`
    /// in a dealloc). When every NULL-guarded write makes the value
    /// (`hooks = PyList_New(0)`), the static is a lazy cache whose
    /// reference the taking function hands to its caller or releases:
    /// the emptying is its release (round-1 release-via-local,
    /// `return p;` for `Py_DECREF(p);`).
    ///
    /// The copy and the emptying may both sit in a macro of the file
    /// (`#define TAKE(p) do { (p) = spare; spare = NULL; } while (0)`): a
    /// function that invokes it, and does not release the static, takes it.
    pub(super) fn find_taken(&self, facts: &mut [SymbolFacts<'t>]) {
        let macros = self.taking_macros();
        if self.value_aliases.is_empty() && macros.is_empty() {
            return;
        }
        for (symbol, facts) in facts.iter_mut().enumerate() {
            let candidate = &self.candidates[self.resolution.symbols[symbol].candidates[0]];
            // A struct's object member is taken as a pointer is
            // (`(p) = fl.spare; fl.spare = NULL;`).
            let spellings: Vec<String> = if candidate.array || candidate.members.is_empty() {
                vec![candidate.name.clone()]
            } else {
                candidate
                    .members
                    .iter()
                    .map(|m| format!("{}.{m}", candidate.name))
                    .collect()
            };
            let released_in = |function: Option<NodeId>| {
                facts.releases.iter().any(|&r| function_id(r) == function)
                    || self.evidence.releases.values().any(|r| {
                        function_id(r.node) == function
                            && self.subject_is(r.target, function, symbol)
                    })
            };
            let made_lazily =
                !facts.guarded.is_empty() && facts.guarded.iter().all(|&(w, _)| makes_value(w));
            let taken_by_macro = macros
                .iter()
                .filter(|(_, body)| spellings.iter().any(|name| takes(body, name)))
                .flat_map(|(macro_name, _)| self.calls_to(macro_name.as_bytes()))
                .find(|&call| !released_in(function_id(call)));
            if let Some(call) = taken_by_macro {
                if made_lazily {
                    facts.releases.push(call);
                } else {
                    facts.state = true;
                }
                continue;
            }
            let taken = facts.null_writes.iter().copied().find(|&w| {
                let function = function_id(w);
                let copied = self
                    .value_aliases
                    .iter()
                    .any(|(&(f, _), s)| f == function && s.contains(&symbol));
                copied && !released_in(function)
            });
            match taken {
                Some(emptying) if made_lazily => facts.releases.push(emptying),
                Some(_) => facts.state = true,
                None => {}
            }
        }
    }

    /// The file's macros (name, body) whose body empties something
    /// (`x = NULL`): the candidates for [`takes`].
    fn taking_macros(&self) -> Vec<(&'a str, &'a str)> {
        parse::keyword_tokens(self.root, self.source, &["#define"])
            .into_iter()
            .filter_map(|k| k.parent)
            .filter(|node| matches!(node.kind(), "preproc_def" | "preproc_function_def"))
            .filter_map(|node| {
                let name = node
                    .child_by_field_name("name")?
                    .utf8_text(self.source)
                    .ok()?;
                let body = node
                    .child_by_field_name("value")?
                    .utf8_text(self.source)
                    .ok()?;
                (body.contains("NULL") || body.contains('0')).then_some((name, body))
            })
            .collect()
    }
}

/// Whether a write makes the value it stores (`v = PyList_New(0)`, a
/// helper's out-parameter fill) rather than parking one that exists
/// (`spare = p`, `spare = (PairObject *)op`, `spare = op->next`).
fn makes_value(write: Node) -> bool {
    if write.kind() != "assignment_expression" {
        return true;
    }
    write
        .child_by_field_name("right")
        .map(parse::strip_parens)
        .is_some_and(|value| value.kind() == "call_expression")
}

/// Whether a macro body copies `name` out (`(p) = name`) and empties it
/// (`name = NULL`) without releasing anything, as a one-slot free list's
/// constructor does (a body that also drops a reference detaches and
/// releases: a release through a local).
fn takes(body: &str, name: &str) -> bool {
    if ["DECREF", "DecRef", "CLEAR", "SETREF"]
        .iter()
        .any(|release| body.contains(release))
    {
        return false;
    }
    let mut copied = false;
    let mut emptied = false;
    for end in parse::word_ends(body, name) {
        let start = end - name.len();
        let before = body[..start].trim_end();
        if before.ends_with('=')
            && !matches!(
                before.as_bytes().get(before.len().wrapping_sub(2)),
                Some(b'=' | b'!' | b'<' | b'>')
            )
        {
            copied = true;
        }
        let after = body[end..].trim_start();
        if let Some(value) = after
            .strip_prefix('=')
            .filter(|rest| !rest.starts_with('='))
            .map(str::trim_start)
        {
            let word_end = value
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(value.len());
            if matches!(&value[..word_end], "NULL" | "0") {
                emptied = true;
            }
        }
    }
    copied && emptied
}

/// The table a local pointer named `name` walks in the function `body`:
/// its every value (initialiser, plain assignments) is the table by its
/// name, `&table[k]` or `table + k`, one table, and it is otherwise only
/// stepped (`e++`, `--e`, `e += k`); `None` when any value is something
/// else or its address is taken.
fn walks_table<'s>(body: Node, name: &[u8], source: &'s [u8]) -> Option<&'s [u8]> {
    let text = |n: Node| &source[n.start_byte()..n.end_byte()];
    let mut table: Option<&'s [u8]> = None;
    let mut pending = vec![body];
    let mut value_of = |value: Node| -> Option<()> {
        let value = strip_parens(value);
        let named = match value.kind() {
            "identifier" => value,
            // `table + k`
            "binary_expression" if operator(value) == Some("+") => {
                strip_parens(value.child_by_field_name("left")?)
            }
            // `&table[k]`
            "pointer_expression" if operator(value) == Some("&") => {
                let element = strip_parens(value.child_by_field_name("argument")?);
                (element.kind() == "subscript_expression")
                    .then(|| element.child_by_field_name("argument"))
                    .flatten()
                    .map(strip_parens)?
            }
            _ => return None,
        };
        if named.kind() != "identifier" {
            return None;
        }
        let named = &source[named.start_byte()..named.end_byte()];
        match table {
            Some(t) if t != named => None,
            _ => {
                table = Some(named);
                Some(())
            }
        }
    };
    while let Some(node) = pending.pop() {
        match node.kind() {
            "init_declarator" => {
                let declared = node
                    .child_by_field_name("declarator")
                    .and_then(innermost_name)
                    .is_some_and(|d| text(d) == name);
                if declared {
                    value_of(node.child_by_field_name("value")?)?;
                }
            }
            "assignment_expression" => {
                let left = node.child_by_field_name("left").map(strip_parens);
                if left.is_some_and(|l| l.kind() == "identifier" && text(l) == name) {
                    match operator(node) {
                        Some("=") => value_of(node.child_by_field_name("right")?)?,
                        Some("+=" | "-=") => {}
                        _ => return None,
                    }
                }
            }
            "pointer_expression" if operator(node) == Some("&") => {
                let argument = node.child_by_field_name("argument").map(strip_parens);
                if argument.is_some_and(|a| a.kind() == "identifier" && text(a) == name) {
                    return None;
                }
            }
            _ => {}
        }
        let mut cursor = node.walk();
        pending.extend(node.named_children(&mut cursor));
    }
    table
}

/// The variable that `parent` copies `value` into: `T *p = value` (an
/// `init_declarator`) or `p = value` with a plain name on the left.
fn copied_into<'t>(parent: Node<'t>, value: Node<'t>) -> Option<Node<'t>> {
    match parent.kind() {
        "init_declarator" if parent.child_by_field_name("value") == Some(value) => {
            declared_name(parent)
        }
        "assignment_expression" if parent.child_by_field_name("right") == Some(value) => parent
            .child_by_field_name("left")
            .filter(|l| l.kind() == "identifier"),
        _ => None,
    }
}

/// The callee (an identifier) and the argument position of `node`, a
/// pointer value whose `parent` (through parentheses and casts) is an
/// argument list, with `call` the node above it: `fill(table, n)`.
fn handed_as<'t>(
    parent: Node<'t>,
    call: Option<Node<'t>>,
    node: Node<'t>,
) -> Option<(Node<'t>, usize)> {
    if parent.kind() != "argument_list" {
        return None;
    }
    let callee = call
        .filter(|c| c.kind() == "call_expression")?
        .child_by_field_name("function")
        .filter(|f| f.kind() == "identifier")?;
    let position = parent
        .named_children(&mut parent.walk())
        .filter(|a| a.kind() != "comment")
        .position(|a| a.node_id() == node.node_id())?;
    Some((callee, position))
}

/// The plain assignments (`=`) in `body` through the pointer `name`, as
/// (assignment, target, value): `name[i] = …`, `name->m = …`, `name[i].m = …`, `*name
/// = …`, `*(name) = …`, `*(name + i) = …`; not `name = …`, which points it elsewhere. The walk
/// keeps its own stack (no climb from each assignment).
#[allow(clippy::type_complexity)]
fn writes_through<'t>(
    body: Node<'t>,
    name: &[u8],
    source: &[u8],
) -> Vec<(Node<'t>, Node<'t>, Node<'t>)> {
    let mut out = Vec::new();
    let mut pending = vec![body];
    while let Some(node) = pending.pop() {
        pending.extend(node.named_children(&mut node.walk()));
        if node.kind() != "assignment_expression" || operator(node) != Some("=") {
            continue;
        }
        let (Some(left), Some(value)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("right"),
        ) else {
            continue;
        };
        let target = strip_parens(left);
        let mut at = target;
        let mut through = false;
        let root = loop {
            at = strip_parens(at);
            let next = match at.kind() {
                "identifier" => break Some(at),
                "subscript_expression" => at.child_by_field_name("argument"),
                // `*p++ = …`, `(m++)->obj = …`: a pointer walk.
                "update_expression" => at.child_by_field_name("argument"),
                "field_expression" => {
                    let arrow = at
                        .child_by_field_name("operator")
                        .is_some_and(|o| o.kind() == "->");
                    through |= arrow;
                    at.child_by_field_name("argument")
                }
                "pointer_expression"
                    if at
                        .child_by_field_name("operator")
                        .is_some_and(|o| o.kind() == "*") =>
                {
                    through = true;
                    at.child_by_field_name("argument")
                }
                // `*(p + i) = …`, `(p + i)->obj = …`: an offset of the
                // pointer, through which the write goes.
                "binary_expression" if through && operator(at) == Some("+") => {
                    let left = at.child_by_field_name("left");
                    match left.map(|l| strip_parens(l).kind()) {
                        Some("identifier") => left,
                        _ => at.child_by_field_name("right"),
                    }
                }
                _ => None,
            };
            match next {
                Some(next) => {
                    through |= at.kind() == "subscript_expression";
                    at = next;
                }
                None => break None,
            }
        };
        if through && root.is_some_and(|r| &source[r.start_byte()..r.end_byte()] == name) {
            out.push((node, target, value));
        }
    }
    out
}

/// The variable named at the root of an element or member expression
/// (`table` of `table[i]`, of `(table[i]).cls`, `state` of `state.error`);
/// `None` when the root is no name (`f()[0]`, `p->x`).
/// The pointer of `p[0]` (the element at index `0`, which is `*p`), when
/// the expression is that.
pub(super) fn first_element<'t>(expression: Node<'t>, source: &[u8]) -> Option<Node<'t>> {
    let expression = strip_parens(expression);
    if expression.kind() != "subscript_expression" {
        return None;
    }
    let index = strip_parens(expression.child_by_field_name("index")?);
    (index.kind() == "number_literal" && &source[index.byte_range()] == b"0")
        .then(|| expression.child_by_field_name("argument"))
        .flatten()
}

fn aggregate_name(expression: Node) -> Option<Node> {
    let mut node = expression;
    loop {
        node = match node.kind() {
            "identifier" => return Some(node),
            "subscript_expression" => node.child_by_field_name("argument")?,
            "field_expression" => node.child_by_field_name("argument")?,
            "parenthesized_expression" => node.named_child(0)?,
            // `*table`, `*(table + k)`, `(table + k)->m`: which operand is
            // the name, Candidate::access decides.
            "pointer_expression" if operator(node) == Some("*") => {
                node.child_by_field_name("argument")?
            }
            "binary_expression" if operator(node) == Some("+") => {
                let left = node.child_by_field_name("left")?;
                match strip_parens(left).kind() {
                    "identifier" => left,
                    _ => node.child_by_field_name("right")?,
                }
            }
            _ => return None,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::takes;

    #[test]
    fn a_macro_that_copies_a_static_out_and_empties_it_takes_it() {
        assert!(takes(
            "do { (p) = spare; spare = NULL; } while (0)",
            "spare"
        ));
        assert!(takes("((dst) = spare, spare = 0)", "spare"));
        // Only emptied, only copied, compared, or detached and released.
        assert!(!takes("spare = NULL", "spare"));
        assert!(!takes("(p) = spare", "spare"));
        assert!(!takes("if ((p) == spare) spare = NULL", "spare"));
        assert!(!takes(
            "{ t = spare; spare = NULL; Py_XDECREF(t); }",
            "spare"
        ));
        assert!(!takes("(p) = spares; spares = NULL", "spare"));
    }
}

/// A copy of a static into a local (`p = v`, `T *p = v`), as
/// [`Context::copied_before`] reads it.
#[derive(Clone, Debug)]
pub(super) struct AliasCopy {
    /// The byte just past the copy.
    end: usize,
    /// The byte ranges of the loops around the copy in its function,
    /// innermost first (found once, where each use climbed from the copy
    /// by `Node::parent`: 30,000 nested blocks around the copy took
    /// minutes).
    loops: Vec<(usize, usize)>,
}

/// A node that gives a local a value or a new object (an assignment to
/// it, a declaration of it), as [`Context::copied_before`] reads it.
#[derive(Clone, Copy, Debug)]
pub(super) struct LocalSet {
    /// The node's byte range.
    start: usize,
    end: usize,
    /// The byte range in which the set runs on every path that reaches a
    /// later point ([`always_region`]).
    always: (usize, usize),
}

/// Every node of `function` that gives the local `name` a value or a new
/// object: an assignment to it, and a declaration of it (with or without
/// an initialiser).
fn settings_of(function: Node, name: &[u8], source: &[u8]) -> Vec<LocalSet> {
    let mut found = Vec::new();
    let mut cursor = function.walk();
    let mut pending = vec![function];
    let is_name = |n: Node| n.utf8_text(source).ok().map(str::as_bytes) == Some(name);
    while let Some(node) = pending.pop() {
        let sets = match node.kind() {
            "assignment_expression" => node
                .child_by_field_name("left")
                .map(parse::strip_parens)
                .is_some_and(|l| l.kind() == "identifier" && is_name(l)),
            "declaration" => declared_names(node).any(is_name),
            _ => false,
        };
        if sets {
            found.push(LocalSet {
                start: node.start_byte(),
                end: node.end_byte(),
                always: always_region(node),
            });
        }
        pending.extend(node.named_children(&mut cursor));
    }
    found
}

/// The byte range of the first node above `set` that it runs under only
/// on some paths (an `if`/`else` branch, a loop body, a `for` update, a
/// `switch` case, a `?:` branch, the right operand of `&&` or `||`), or of
/// its function: in structured code, `set` runs on every path to a later
/// point inside that range. A `goto` is not followed.
fn always_region(set: Node) -> (usize, usize) {
    let (_, above) = parse::climb(set, |parent, child| {
        let is = |field: &str| parent.child_by_field_name(field) == Some(child);
        let conditional = match parent.kind() {
            "if_statement" | "while_statement" | "switch_statement" | "conditional_expression" => {
                !is("condition")
            }
            "for_statement" => !(is("initializer") || is("condition")),
            "binary_expression" => {
                is("right")
                    && parent
                        .child_by_field_name("operator")
                        .is_some_and(|o| matches!(o.kind(), "&&" | "||"))
            }
            "case_statement" | "else_clause" | "function_definition" => true,
            _ => false,
        };
        !conditional
    });
    above
        .first()
        .map_or((0, usize::MAX), |n| (n.start_byte(), n.end_byte()))
}
