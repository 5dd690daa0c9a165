//! Gates that stay process-wide around a lazy fill, beyond a plain flag
//! ([`Context::state_test`]): a pointer static that oncevar never rewrites
//! tested for NULL (`if (lib == NULL) { lib = dlopen(…); … }`), a macro of
//! the unit that reads a flag (`#define FIRST_CALL (!loaded && (loaded =
//! 1))`, `ONCE(loaded) { … }`), and a function of the unit whose result a
//! flag decides (`if (first_time()) { … }`).

use super::guards::{macro_writes, written_names};
use super::*;

/// How many candidates that stay process-wide one condition is asked
/// about ([`Context::process_wide_null`]): each question reads the whole
/// condition again.
const MAX_GATES_PER_CONDITION: usize = 8;

/// What a macro's expansion or a function's result reads of process-wide
/// state ([`Context::process_wide_read`]), whatever static is filled.
#[derive(Default)]
pub(super) struct StateReads {
    /// A process-wide object that is no candidate.
    other: bool,
    /// The candidates it names (at most a few).
    candidates: Vec<SymbolId>,
}

impl StateReads {
    /// Adds `other`'s reads.
    fn merge(&mut self, other: StateReads) {
        self.other |= other.other;
        for s in other.candidates {
            if !self.candidates.contains(&s) {
                self.candidates.push(s);
            }
        }
    }

    /// Whether the reads gate the fill of `filled`: some object that is
    /// no candidate, or a candidate that stays process-wide
    /// ([`Context::stays_process_wide`]).
    fn decide(&self, filled: SymbolId, context: &Context) -> bool {
        self.other
            || self
                .candidates
                .iter()
                .any(|&s| context.stays_process_wide(s, filled))
    }
}

impl<'a, 't> Context<'a, 't> {
    /// `definition`, when it is no function but the invocation of a macro
    /// of the unit that begins a statement, which tree-sitter reads as a
    /// definition nested in the function's body (`ONCE(loaded) { … }` with
    /// `#define ONCE(f) if (!(f) && ((f) = 1))`): `Some` of the
    /// process-wide object its expansion (with the invocation's arguments)
    /// reads, as the argument that names it or the macro's name, when the
    /// expansion begins with `if`, `while`, `for` or `switch` and names one
    /// that the unit or the expansion itself writes; `Some(None)` for
    /// another such invocation (the walk goes on around it); `None` for a
    /// definition.
    pub(super) fn statement_macro(
        &self,
        definition: Node<'t>,
        filled: SymbolId,
    ) -> Option<Option<Node<'t>>> {
        if definition.parent()?.kind() != "compound_statement" {
            return None;
        }
        let name = definition
            .child_by_field_name("type")
            .filter(|t| t.kind() == "type_identifier")?;
        let arguments = definition
            .child_by_field_name("declarator")
            .filter(|d| d.kind() == "parenthesized_declarator")?;
        let name_str = std::str::from_utf8(self.text(name)).ok()?;
        let unit = self
            .unit_macros
            .get_or_init(|| UnitMacros::of(self.root, self.source));
        if !unit.is_function_like(name_str) {
            return None;
        }
        let arguments_text = std::str::from_utf8(self.text(arguments)).ok()?;
        let expansions: Vec<Vec<String>> = unit
            .expand_each(name_str, Some(arguments_text), &[])
            .into_iter()
            .flatten()
            .collect();
        let statement = |tokens: &Vec<String>| {
            matches!(
                tokens.first().map(String::as_str),
                Some("if" | "while" | "for" | "switch")
            )
        };
        if expansions.is_empty() || !expansions.iter().all(statement) {
            return None;
        }
        // Written by the expansion, through parentheses (`((f) = 1)`).
        let mut written: HashSet<Vec<u8>> = HashSet::new();
        for tokens in &expansions {
            let unwrapped: Vec<&str> = tokens
                .iter()
                .map(String::as_str)
                .filter(|t| !matches!(*t, "(" | ")"))
                .collect();
            let text = unwrapped.join(" ");
            written.extend(
                macro_writes(text.as_bytes())
                    .into_iter()
                    .map(<[u8]>::to_vec),
            );
        }
        let named: HashSet<&str> = expansions.iter().flatten().map(String::as_str).collect();
        // A state the unit or the expansion writes: what an argument
        // names, a static local of the function around the invocation (the
        // definition tree-sitter reads hides it from the invocation's own
        // names), or what the file scope declares.
        let state = |token: &str, argument: bool| {
            let bytes = token.as_bytes();
            let local = (argument && self.may_declare_local(definition, bytes))
                .then(|| {
                    crate::analysis::callgraph::local_named(
                        definition,
                        parse::ancestors(definition),
                        token,
                        self.source,
                    )
                })
                .flatten();
            named.contains(token)
                && self
                    .candidates_named()
                    .get(token)
                    .is_none_or(|c| c.iter().any(|&s| self.stays_process_wide(s, filled)))
                && !self.cpython_typed().contains(bytes)
                && match local {
                    Some(local) => !local.is_automatic(self.source),
                    None => self.shared(bytes, None),
                }
                && (written.contains(bytes)
                    || self
                        .written
                        .get_or_init(|| written_names(self.root, self.source))
                        .contains(bytes))
        };
        let mut stack = vec![arguments];
        while let Some(node) = stack.pop() {
            if node.kind() == "identifier"
                && std::str::from_utf8(self.text(node)).is_ok_and(|t| state(t, true))
            {
                return Some(Some(node));
            }
            let mut cursor = node.walk();
            stack.extend(node.named_children(&mut cursor));
        }
        if !named.iter().any(|t| state(t, false)) {
            return Some(None);
        }
        Some(Some(name))
    }

    /// A candidate that stays process-wide ([`Self::stays_process_wide`]:
    /// no Python object, so never rewritten) and that `condition`, when it
    /// is `outcome`, proves NULL, as the identifier that names it: `if (lib
    /// == NULL) { lib = dlopen(…); … }` and `if (!mode) { mode = "fast";
    /// … }` around a fill, or `if (lib) goto done;` before it. The fill is
    /// then reached only while that static is NULL, and it is set once per
    /// process: a later interpreter skips the fill and finds its own slot
    /// empty. A test that leaves while it is NULL (`if (lock == NULL)
    /// return PyErr_NoMemory();`) lets every interpreter on.
    pub(super) fn process_wide_null(
        &self,
        condition: Node<'t>,
        outcome: bool,
        filled: SymbolId,
    ) -> Option<Node<'t>> {
        // The gate of an object's fill only: a site without one has no fix.
        if !self.candidates[self.resolution.symbols[filled].candidates[0]].object {
            return None;
        }
        // The answer does not depend on `filled` past this point (a static
        // that stays process-wide holds no object, so it is never the
        // object filled): asked once per condition, not once per fill
        // under it (a condition of 3,000 such tests around 500 fills read
        // it 8 times per fill).
        let key = (condition.node_id(), outcome);
        if let Some(&known) = self.process_wide_nulls.borrow().get(&key) {
            return known;
        }
        let found = self.first_process_wide_null(condition, outcome, filled);
        self.process_wide_nulls.borrow_mut().insert(key, found);
        found
    }

    /// [`Self::process_wide_null`] for the fill of the object `filled`,
    /// read anew.
    fn first_process_wide_null(
        &self,
        condition: Node<'t>,
        outcome: bool,
        filled: SymbolId,
    ) -> Option<Node<'t>> {
        // Found when first needed: climbing at every condition of a
        // nesting would be quadratic.
        let mut function = None;
        let mut tried: Vec<SymbolId> = Vec::new();
        for leaf in self.condition_leaves(condition) {
            let mut node = leaf;
            while let ("unary_expression", Some("!")) = (node.kind(), operator(node)) {
                let Some(argument) = node.child_by_field_name("argument") else {
                    break;
                };
                node = self.strip(argument);
            }
            let subject = match self.evidence.tests.get(&node.node_id()) {
                Some(&(subject, _)) => strip_parens(subject),
                None => node,
            };
            let Some(&symbol) = self.resolution.refs.get(&subject.node_id()) else {
                continue;
            };
            if !self.stays_process_wide(symbol, filled) || tried.contains(&symbol) {
                continue;
            }
            // A bound on the statics asked about per condition: each
            // asks the whole condition again.
            if tried.len() == MAX_GATES_PER_CONDITION {
                return None;
            }
            tried.push(symbol);
            let function = *function
                .get_or_insert_with(|| parse::enclosing_function(condition).map(|f| f.node_id()));
            if self
                .proves_null(condition, outcome, symbol, function)
                .is_some()
            {
                return Some(subject);
            }
        }
        None
    }

    /// The other candidates holding Python objects (a pointer, or an array
    /// or struct of them: not [`Self::stays_process_wide`]) that
    /// `condition`, when it is `outcome`, proves NULL on the way to the
    /// fill of the object `filled`: the [`Gate`]s whose own fix decides
    /// whether they gate it, proved NULL on every way to `outcome`
    /// ([`Self::proves_null_as`], strictly). A NULL test of each operand of
    /// `&&` and `||` (through `!`, parentheses and the unit's macros, as a
    /// guard is read) names the candidates; at most [`MAX_GATES_PER_CONDITION`] are
    /// asked about, and the answer is kept per condition and outcome (it
    /// depends on `filled` only through leaving it out).
    pub(super) fn object_gates(
        &self,
        condition: Node<'t>,
        outcome: bool,
        filled: SymbolId,
    ) -> Vec<SymbolId> {
        let object = |s: SymbolId| {
            self.resolution
                .symbols
                .get(s)
                .is_some_and(|symbol| self.candidates[symbol.candidates[0]].object)
        };
        if !object(filled) {
            return Vec::new();
        }
        let key = (condition.node_id(), outcome);
        if let Some(known) = self.object_gates.borrow().get(&key) {
            return known.iter().copied().filter(|&s| s != filled).collect();
        }
        let function = parse::enclosing_function(condition).map(|f| f.node_id());
        let mut tried: Vec<SymbolId> = Vec::new();
        let mut found = Vec::new();
        'leaves: for leaf in self.condition_leaves(condition) {
            for o in [true, false] {
                let Some(symbol) = self.null_test_subject(leaf, o, function) else {
                    continue;
                };
                if symbol == OUT_PARAM || !object(symbol) || tried.contains(&symbol) {
                    continue;
                }
                if tried.len() == MAX_GATES_PER_CONDITION {
                    break 'leaves;
                }
                tried.push(symbol);
                if self
                    .proves_null_as(condition, outcome, symbol, function, true)
                    .is_some()
                {
                    found.push(symbol);
                }
            }
        }
        let gates = found.iter().copied().filter(|&s| s != filled).collect();
        self.object_gates.borrow_mut().insert(key, found);
        gates
    }

    /// Whether the candidate `symbol` stays process-wide whatever the fix
    /// of `filled` does: it holds no Python object, so oncevar never
    /// rewrites it (`void *lib`, `FILE *log_fp`, `const char *mode`), and
    /// it is not `filled` itself.
    pub(super) fn stays_process_wide(&self, symbol: SymbolId, filled: SymbolId) -> bool {
        symbol != filled && !self.candidates[self.resolution.symbols[symbol].candidates[0]].object
    }

    /// Whether `name` is a function of the unit whose result a test of
    /// process-wide state decides: a `return` in a branch of an `if` (or
    /// `?:`) whose condition reads such state, or a `return` whose value
    /// reads it (`static int first_time(void) { static int done; if (done)
    /// return 0; done = 1; return 1; }`). The reads are those of the
    /// function's own text, as [`Self::process_wide_read`] finds them in a
    /// condition (no call or macro in it followed further), read in one
    /// walk per name ([`StateReads`]) and kept for every `filled`.
    pub(super) fn result_read(&self, name: &'a [u8], filled: SymbolId) -> bool {
        let Ok(name_str) = std::str::from_utf8(name) else {
            return false;
        };
        let graph = self.call_graph.get(self.source);
        let functions = graph.named(name_str);
        if functions.is_empty() {
            return false;
        }
        if let Some(known) = self.state_reads.borrow().get(&(name, true)) {
            return known.decide(filled, self);
        }
        let mut reads = StateReads::default();
        for &function in functions {
            let Some(body) = graph.functions()[function].node.child_by_field_name("body") else {
                continue;
            };
            // (node, index in `gates` of the innermost test of state that
            // the node lies in a branch of); a gate's reads count once a
            // `return` lies under it.
            let mut gates: Vec<(StateReads, Option<usize>, bool)> = Vec::new();
            let mut pending: Vec<(Node<'t>, Option<usize>)> = vec![(body, None)];
            while let Some((node, gate)) = pending.pop() {
                match node.kind() {
                    "return_statement" => {
                        let mut value = StateReads::default();
                        if let Some(v) = node.named_child(0) {
                            self.direct_reads(v, &mut value);
                        }
                        reads.merge(value);
                        let mut at = gate;
                        while let Some(i) = at {
                            if gates[i].2 {
                                break;
                            }
                            gates[i].2 = true;
                            at = gates[i].1;
                        }
                        continue;
                    }
                    // A nested function's returns are its own.
                    "function_definition" => continue,
                    "if_statement" | "conditional_expression" => {
                        let condition = node.child_by_field_name("condition");
                        let mut tested = StateReads::default();
                        if let Some(c) = condition {
                            self.direct_reads(c, &mut tested);
                        }
                        let inner = if tested.other || !tested.candidates.is_empty() {
                            gates.push((tested, gate, false));
                            Some(gates.len() - 1)
                        } else {
                            gate
                        };
                        let mut cursor = node.walk();
                        for child in node.named_children(&mut cursor) {
                            let branch = Some(child) != condition;
                            pending.push((child, if branch { inner } else { gate }));
                        }
                        continue;
                    }
                    _ => {}
                }
                let mut cursor = node.walk();
                pending.extend(node.named_children(&mut cursor).map(|c| (c, gate)));
            }
            for (tested, _, used) in gates {
                if used {
                    reads.merge(tested);
                }
            }
        }
        let decided = reads.decide(filled, self);
        self.state_reads.borrow_mut().insert((name, true), reads);
        decided
    }

    /// Adds to `reads` the process-wide objects that `expression` names
    /// itself, as [`Self::process_wide_read`] counts them (a candidate by
    /// its symbol), but for calls and macros, which are not followed.
    fn direct_reads(&self, expression: Node<'t>, reads: &mut StateReads) {
        let mut pending = vec![expression];
        while let Some(node) = pending.pop() {
            match node.kind() {
                "identifier" => {
                    if super::is_name_token(node, self.evidence, self.source) {
                        continue;
                    }
                    if let Some(&symbol) = self.resolution.refs.get(&node.node_id()) {
                        if !reads.candidates.contains(&symbol) {
                            reads.candidates.push(symbol);
                        }
                    } else if self.shared_written(self.text(node), Some(node)) {
                        reads.other = true;
                    }
                }
                "call_expression" => pending.extend(node.child_by_field_name("arguments")),
                "sizeof_expression" | "alignof_expression" | "field_identifier" => {}
                "pointer_expression" if operator(node) == Some("&") => {}
                _ => {
                    let mut cursor = node.walk();
                    pending.extend(node.named_children(&mut cursor));
                }
            }
        }
    }

    /// Whether the macro of the unit called `name` reads a process-wide
    /// object: a token of its expansion (for an object-like macro, every
    /// definition the unit gives it, expanded through the unit's macros;
    /// for a function-like one, its bodies, parameters left as they are)
    /// that [`Self::shared_written`] accepts, not after `&`
    /// (`Py_IS_TYPE(node, &Node_Type)` reads no flag), not declared with
    /// one of CPython's types, and not a candidate unless it stays
    /// process-wide ([`Self::stays_process_wide`]). The expansion is read
    /// once per name ([`StateReads`]).
    pub(super) fn macro_reads_state(&self, name: &'a [u8], filled: SymbolId) -> bool {
        let Ok(name_str) = std::str::from_utf8(name) else {
            return false;
        };
        if self.macro_body(name_str).is_none() {
            return false;
        }
        if let Some(known) = self.state_reads.borrow().get(&(name, false)) {
            return known.decide(filled, self);
        }
        let unit = self
            .unit_macros
            .get_or_init(|| UnitMacros::of(self.root, self.source));
        let expansions: Vec<Vec<String>> = if unit.is_function_like(name_str) {
            unit.bodies(name_str).iter().map(|b| pp_tokens(b)).collect()
        } else {
            unit.expand_each(name_str, None, &[])
                .into_iter()
                .flatten()
                .collect()
        };
        let mut reads = StateReads::default();
        for tokens in &expansions {
            for (i, token) in tokens.iter().enumerate() {
                // `&x`, not `a && x` (one token per punctuator).
                let address = i > 0 && tokens[i - 1] == "&" && (i < 2 || tokens[i - 2] != "&");
                if address
                    || self.cpython_typed().contains(token.as_bytes())
                    || !self.shared_written(token.as_bytes(), None)
                {
                    continue;
                }
                self.note_read(token, &mut reads);
            }
        }
        let decided = reads.decide(filled, self);
        self.state_reads.borrow_mut().insert((name, false), reads);
        decided
    }

    /// Adds the read of the process-wide `name` to `reads`: a candidate
    /// by its symbols, anything else as state.
    fn note_read(&self, name: &str, reads: &mut StateReads) {
        let symbols = self.candidates_named().get(name);
        match symbols {
            Some(symbols) => {
                for &s in symbols {
                    if !reads.candidates.contains(&s) {
                        reads.candidates.push(s);
                    }
                }
            }
            None => reads.other = true,
        }
    }

    /// The candidates' symbols by name, built on first need.
    pub(super) fn candidates_named(&self) -> &HashMap<&'a str, Vec<SymbolId>> {
        self.candidates_named.get_or_init(|| {
            let mut named: HashMap<&'a str, Vec<SymbolId>> = HashMap::new();
            for (id, symbol) in self.resolution.symbols.iter().enumerate() {
                let name = self.candidates[symbol.candidates[0]].name.as_str();
                named.entry(name).or_default().push(id);
            }
            named
        })
    }
}
