//! NULL tests that a condition spells elsewhere: `if (NEED_INIT)` with
//! `#define NEED_INIT (one == NULL)`, `if (NOT_READY())` with `#define
//! NOT_READY() (!a || !b)`, `if (need_init())` with `static inline int
//! need_init(void) { return cache == NULL; }`, and `if (missing)` after
//! `int missing = a == NULL || b == NULL;`. [`Context::proves_null`] reads
//! the test where it is written, as if it stood in the condition.

use std::rc::Rc;

use super::*;
use crate::analysis::callgraph::is_identifier;
use crate::analysis::evidence::strip_outer;

/// How many conditions spelled elsewhere one question of
/// [`Context::proves_null`] reads through, in all (a local set from a
/// helper's result set from a macro is three): a bound, since helpers
/// may return each other's results.
pub(super) const MAX_SPELLED: usize = 8;

/// How deep the parentheses and operators of a macro's expansion are read
/// ([`Spelled::of`]); deeper, the expansion is no test.
const MAX_DEPTH: usize = 32;

/// Where the condition an expression stands for is written.
pub(super) enum Elsewhere<'t> {
    /// In the tree: a local's initialiser, a helper's returned value.
    Node(Node<'t>),
    /// In a macro's expansion.
    Tokens(Rc<Spelled>),
}

/// A condition read from a macro's expansion: NULL tests of names joined
/// by `&&`, `||` and `!`.
#[derive(Debug)]
pub(super) enum Spelled {
    /// `name == NULL` ([`Test::IsNull`]), `name != NULL` or `name`
    /// ([`Test::NotNull`]).
    Test(String, Test),
    /// `a && b && …`.
    All(Vec<Spelled>),
    /// `a || b || …`.
    Any(Vec<Spelled>),
    /// `!a`.
    Not(Box<Spelled>),
    /// Anything else.
    Other,
}

impl Spelled {
    /// The condition `tokens` spell (the expander's tokens, one character
    /// per punctuator).
    pub(super) fn of(tokens: &[String]) -> Spelled {
        let mut joined: Vec<String> = Vec::with_capacity(tokens.len());
        for token in tokens {
            match joined.last_mut() {
                Some(last)
                    if (token == "=" && (last == "=" || last == "!"))
                        || (token == "|" && last == "|")
                        || (token == "&" && last == "&") =>
                {
                    last.push_str(token);
                }
                _ => joined.push(token.clone()),
            }
        }
        Self::read(&joined, 0)
    }

    fn read(tokens: &[String], depth: usize) -> Spelled {
        let tokens = strip_outer(tokens);
        if depth > MAX_DEPTH || tokens.is_empty() {
            return Spelled::Other;
        }
        for junction in ["||", "&&"] {
            let parts = split_top(tokens, junction);
            if parts.len() > 1 {
                let parts = parts.iter().map(|p| Self::read(p, depth + 1)).collect();
                return if junction == "||" {
                    Spelled::Any(parts)
                } else {
                    Spelled::All(parts)
                };
            }
        }
        if tokens[0] == "!" {
            return Spelled::Not(Box::new(Self::read(&tokens[1..], depth + 1)));
        }
        let null = |t: &[String]| matches!(strip_outer(t), [one] if one == "NULL" || one == "nullptr" || one == "0");
        let name = |t: &[String]| match strip_outer(t) {
            [one] if is_identifier(one) && one != "NULL" => Some(one.clone()),
            _ => None,
        };
        if let Some(name) = name(tokens) {
            return Spelled::Test(name, Test::NotNull);
        }
        for (op, test) in [("==", Test::IsNull), ("!=", Test::NotNull)] {
            if let [left, right] = split_top(tokens, op)[..] {
                let subject = match (name(left), name(right)) {
                    (Some(n), _) if null(right) => Some(n),
                    (_, Some(n)) if null(left) => Some(n),
                    _ => None,
                };
                if let Some(subject) = subject {
                    return Spelled::Test(subject, test);
                }
            }
        }
        Spelled::Other
    }

    /// Whether the condition, when it is `outcome`, proves the static
    /// that `resolve` finds for `symbol`'s name NULL: as
    /// [`Context::proves_null`] reads a condition of the tree (`strict`:
    /// as [`Context::proves_null_as`] does).
    pub(super) fn proves(
        &self,
        outcome: bool,
        symbol: SymbolId,
        resolve: &dyn Fn(&str) -> Option<SymbolId>,
        strict: bool,
    ) -> bool {
        match self {
            Spelled::Test(name, test) => {
                (*test == Test::IsNull) == outcome && resolve(name) == Some(symbol)
            }
            Spelled::Not(inner) => inner.proves(!outcome, symbol, resolve, strict),
            Spelled::All(parts) | Spelled::Any(parts) => {
                let junction = matches!(self, Spelled::All(_)) == outcome;
                let proves = parts
                    .iter()
                    .any(|p| p.proves(outcome, symbol, resolve, strict));
                // The opposite junction holds of every operand only when
                // each is a NULL test of some static.
                proves
                    && (junction
                        || (!strict && parts.iter().all(|p| p.subject(outcome, resolve).is_some())))
            }
            Spelled::Other => false,
        }
    }

    /// Whether a NULL test of the condition names one of `names`.
    fn tests_any(&self, names: &dyn Fn(&str) -> bool) -> bool {
        match self {
            Spelled::Test(name, _) => names(name),
            Spelled::Not(inner) => inner.tests_any(names),
            Spelled::All(parts) | Spelled::Any(parts) => parts.iter().any(|p| p.tests_any(names)),
            Spelled::Other => false,
        }
    }

    /// The static a leaf test proves NULL when it is `outcome`, as
    /// [`Context::null_test_subject`] reads one of the tree.
    pub(super) fn subject(
        &self,
        outcome: bool,
        resolve: &dyn Fn(&str) -> Option<SymbolId>,
    ) -> Option<SymbolId> {
        match self {
            Spelled::Test(name, test) if (*test == Test::IsNull) == outcome => resolve(name),
            Spelled::Not(inner) => inner.subject(!outcome, resolve),
            _ => None,
        }
    }
}

/// `tokens` split at each `operator` outside parentheses.
fn split_top<'s>(tokens: &'s [String], operator: &str) -> Vec<&'s [String]> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, token) in tokens.iter().enumerate() {
        match token.as_str() {
            "(" => depth += 1,
            ")" => depth = depth.saturating_sub(1),
            t if t == operator && depth == 0 => {
                parts.push(&tokens[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&tokens[start..]);
    parts
}

impl<'a, 't> Context<'a, 't> {
    /// Where the condition that `expr` stands for is written, when it is
    /// one of: an object-like macro of the unit (`NEED_INIT`), the call of
    /// a function-like one without parameters (`NOT_READY()`), the call
    /// without arguments of a function of the unit whose body is one
    /// `return` of a value (`need_init()`), or an automatic local of the
    /// function that its one declaration, before `expr` and in a block
    /// around it, initialises and that nothing else writes or takes the
    /// address of (`int missing = a == NULL || b == NULL; if (missing)`).
    ///
    /// `function` is the function the question is asked in (its locals
    /// are read once, kept by its id: the function around `expr` is
    /// looked up only when `expr` lies outside it, since climbing to it
    /// at every question was quadratic under nested blocks).
    pub(super) fn elsewhere(
        &self,
        expr: Node<'t>,
        function: Option<NodeId>,
    ) -> Option<Elsewhere<'t>> {
        match expr.kind() {
            "identifier" => {
                if self.resolution.refs.contains_key(&expr.node_id()) {
                    return None;
                }
                let name = self.text(expr);
                if let Some(spelled) = self.spelled_macro(name, false) {
                    return Some(Elsewhere::Tokens(spelled));
                }
                let known = function
                    .and_then(|id| self.local_inits.borrow().get(&id).map(|(f, _)| *f))
                    .filter(|f| {
                        f.start_byte() <= expr.start_byte() && expr.end_byte() <= f.end_byte()
                    });
                let function = match known {
                    Some(function) => function,
                    None => parse::enclosing_function(expr)?,
                };
                let inits = self.local_inits(function);
                let init = (*inits.get(name)?)?;
                let declaration = init.parent()?.parent()?;
                let block = declaration.parent()?;
                (declaration.end_byte() <= expr.start_byte()
                    && block.start_byte() <= expr.start_byte()
                    && expr.end_byte() <= block.end_byte())
                .then_some(Elsewhere::Node(init))
            }
            "call_expression" => {
                let arguments = expr.child_by_field_name("arguments")?;
                if arguments.named_child_count() > 0 {
                    return None;
                }
                let callee = expr
                    .child_by_field_name("function")
                    .filter(|f| f.kind() == "identifier")?;
                let name = self.text(callee);
                if let Some(spelled) = self.spelled_macro(name, true) {
                    return Some(Elsewhere::Tokens(spelled));
                }
                let graph = self.call_graph.get(self.source);
                let [function] = graph.named(std::str::from_utf8(name).ok()?) else {
                    return None;
                };
                let body = graph.functions()[*function]
                    .node
                    .child_by_field_name("body")?;
                let mut cursor = body.walk();
                let mut statements = body
                    .named_children(&mut cursor)
                    .filter(|s| s.kind() != "comment");
                let (Some(only), None) = (statements.next(), statements.next()) else {
                    return None;
                };
                (only.kind() == "return_statement")
                    .then(|| only.named_child(0))
                    .flatten()
                    .map(Elsewhere::Node)
            }
            _ => None,
        }
    }

    /// Whether `name` is a macro of the unit whose condition tests a
    /// candidate for NULL (`#define READY (cache != NULL)`): a guard, not
    /// a process-wide flag of its own.
    pub(super) fn spells_candidate_test(&self, name: Node<'t>) -> bool {
        let named = |n: &str| self.candidates_named().contains_key(n);
        name.kind() == "identifier"
            && self
                .spelled_macro(self.text(name), false)
                .is_some_and(|s| s.tests_any(&named))
    }

    /// The condition the macro `name` of the unit spells, read once: an
    /// object-like macro (`call` false) or a function-like one without
    /// parameters (`call` true), every definition the unit gives it
    /// alike; `None` when it is no such macro or its definitions differ.
    fn spelled_macro(&self, name: &'a [u8], call: bool) -> Option<Rc<Spelled>> {
        let name_str = std::str::from_utf8(name).ok()?;
        self.macro_body(name_str)?;
        if let Some(known) = self.spelled.borrow().get(&(name, call)) {
            return known.clone();
        }
        let unit = self
            .unit_macros
            .get_or_init(|| UnitMacros::of(self.root, self.source));
        let expansions = if unit.is_function_like(name_str) != call {
            Vec::new()
        } else {
            unit.expand_each(name_str, call.then_some("()"), &[])
        };
        let mut spelled = expansions
            .into_iter()
            .map(|e| e.map(|tokens| Spelled::of(&tokens)));
        let first = spelled.next().flatten();
        let found = first
            .filter(|f| !matches!(f, Spelled::Other))
            .filter(|f| {
                let first = format!("{f:?}");
                spelled.all(|s| s.is_some_and(|s| format!("{s:?}") == first))
            })
            .map(Rc::new);
        self.spelled
            .borrow_mut()
            .insert((name, call), found.clone());
        found
    }

    /// The static named `name` that code in `function` sees (a static
    /// local of it, else a file-scope one), from the candidates by name.
    pub(super) fn visible_named(&self, name: &str, function: Option<NodeId>) -> Option<SymbolId> {
        let symbols = self.candidates_named().get(name)?;
        let scope = |s: SymbolId| {
            self.candidates[self.resolution.symbols[s].candidates[0]]
                .function
                .map(|f| f.node_id())
        };
        symbols
            .iter()
            .copied()
            .find(|&s| function.is_some() && scope(s) == function)
            .or_else(|| symbols.iter().copied().find(|&s| scope(s).is_none()))
    }

    /// The automatic locals of `function` by name, each with its
    /// initialiser when one declaration gives it one and nothing else in
    /// the function writes it or takes its address (`None` otherwise: a
    /// second declaration, a parameter, a write), found in one walk per
    /// function.
    fn local_inits(
        &self,
        function: Node<'t>,
    ) -> std::cell::Ref<'_, HashMap<&'a [u8], Option<Node<'t>>>> {
        let key = function.node_id();
        if !self.local_inits.borrow().contains_key(&key) {
            let mut inits: HashMap<&'a [u8], Option<Node<'t>>> = HashMap::new();
            let mut pending = vec![function];
            while let Some(node) = pending.pop() {
                let mut cursor = node.walk();
                pending.extend(node.named_children(&mut cursor));
                let written = match node.kind() {
                    "assignment_expression" => node.child_by_field_name("left"),
                    "update_expression" => node.child_by_field_name("argument"),
                    "pointer_expression" if operator(node) == Some("&") => {
                        node.child_by_field_name("argument")
                    }
                    "parameter_declaration" => node.child_by_field_name("declarator"),
                    "init_declarator" => {
                        let automatic = node.parent().is_some_and(|d| {
                            d.kind() == "declaration"
                                && !has_storage(d, self.source, "static")
                                && !has_storage(d, self.source, "extern")
                        });
                        let name = node
                            .child_by_field_name("declarator")
                            .filter(|d| d.kind() == "identifier");
                        if let (true, Some(name), Some(value)) =
                            (automatic, name, node.child_by_field_name("value"))
                        {
                            match inits.entry(self.text(name)) {
                                std::collections::hash_map::Entry::Vacant(v) => {
                                    v.insert(Some(value));
                                }
                                std::collections::hash_map::Entry::Occupied(mut o) => {
                                    o.insert(None);
                                }
                            }
                            continue;
                        }
                        node.child_by_field_name("declarator")
                    }
                    "declaration" => {
                        // A declarator without initialiser: another local
                        // of that name.
                        let mut cursor = node.walk();
                        for d in node.children_by_field_name("declarator", &mut cursor) {
                            if d.kind() == "identifier" {
                                inits.insert(self.text(d), None);
                            }
                        }
                        None
                    }
                    _ => None,
                };
                if let Some(written) = written
                    .map(strip_parens)
                    .filter(|w| w.kind() == "identifier")
                {
                    inits.insert(self.text(written), None);
                }
            }
            self.local_inits.borrow_mut().insert(key, (function, inits));
        }
        std::cell::Ref::map(self.local_inits.borrow(), |m| &m[&key].1)
    }
}
