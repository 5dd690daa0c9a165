//! Evidence from the evidence query, indexed by the node it is about, so the
//! classifier can ask "is this reference written? tested? released?" in O(1).

use std::collections::HashMap;

use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, QueryCursor, Tree};

use crate::analysis::callgraph::{is_identifier, pp_tokens, UnitMacros};
use crate::analysis::parse;
use crate::analysis::parse::{HasNodeId, NodeId};
use crate::analysis::queries::Queries;
use crate::analysis::scope::Resolution;
use crate::analysis::tables::AddressTable;

/// What a NULL test found by the evidence query means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Test {
    /// True exactly when the subject is NULL.
    IsNull,
    /// True exactly when the subject is not NULL.
    NotNull,
}

/// An assignment `x = v` (or `x += v`) found by the evidence query: what
/// the reports call an assignment.
#[derive(Clone, Copy, Debug)]
pub struct Assignment<'t> {
    /// The assignment expression.
    pub node: Node<'t>,
    /// Its left-hand side.
    pub target: Node<'t>,
    /// Its right-hand side.
    pub value: Node<'t>,
    /// Whether the operator is a compound one such as `+=` (not `=`).
    pub compound: bool,
}

/// A call that releases its first argument (`Py_CLEAR(v)`, `free(p)`).
#[derive(Clone, Copy, Debug)]
pub struct Release<'t> {
    /// The call expression.
    pub node: Node<'t>,
    /// The called function's name.
    pub function: Node<'t>,
    /// The first argument, without parentheses or casts.
    pub target: Node<'t>,
}

/// Everything the evidence query found in the parts of the tree that refer
/// to a candidate, keyed by tree-sitter node id (`Node::id`) of the subject
/// (or, for `tests`, of the comparison).
#[derive(Debug, Default)]
pub struct Evidence<'t> {
    /// Every assignment, in match order.
    pub assignments: Vec<Assignment<'t>>,
    /// Target node id to index in `assignments`.
    pub assignment_targets: HashMap<NodeId, usize>,
    /// `x++`, `--x`: operand node id to the operand.
    pub updates: HashMap<NodeId, Node<'t>>,
    /// `&x`: target node id to the address expression.
    pub addresses: HashMap<NodeId, Node<'t>>,
    /// Comparison node id to its subject and meaning.
    pub tests: HashMap<NodeId, (Node<'t>, Test)>,
    /// Release target node id to the release call.
    pub releases: HashMap<NodeId, Release<'t>>,
    /// Function-like macros of the file, by name: which argument positions
    /// their body assigns.
    pub macro_writes: HashMap<String, Vec<usize>>,
    /// Function-like macros of the file, by name: which argument positions
    /// their body tests for NULL before it assigns them (the guard is in
    /// the macro: `#define INTERNED(n) ((n) ? (n) : ((n) = make(#n)))`).
    pub macro_guarded_writes: HashMap<String, Vec<usize>>,
    /// Function-like macros of the file, by name, that detach an argument
    /// into another (`#define DETACH(dst, src) ((dst) = (src), (src) =
    /// NULL)`): (the detached argument's position, the receiving one's).
    pub macro_detaches: HashMap<String, Vec<(usize, usize)>>,
    /// Function-like macros of the file, by name: the argument positions
    /// that the body stringizes, pastes or uses as a member name (`#S`,
    /// `str##S`, `(s).f`), with whether the body also uses that argument as
    /// an expression.
    pub macro_name_arguments: HashMap<String, Vec<(usize, bool)>>,
    /// Function-like macros of the unit, by name: the parameters whose
    /// address the body hands to a call, as (parameter, callee, argument
    /// position): `#define LAZY(v, m) fetch((m), &(v))` gives `(0, "fetch",
    /// 1)`, so `LAZY(x, "m")` passes `&x` to `fetch`.
    pub macro_addresses: MacroAddresses,
    /// By function-like macro of the unit, the parameters its body passes
    /// as they are (`p` or `(p)`, no `&`) as a whole argument of a call, as
    /// (parameter, callee, argument position): `#define FILL(t)
    /// fill((t), 4)` gives `(0, "fill", 0)`. An array given to the macro by
    /// its name reaches the callee as a pointer to its elements.
    pub macro_passes: MacroAddresses,
}

/// [`Evidence::macro_addresses`]: by macro name, (parameter, callee,
/// argument position) for each `&parameter` its body passes to a call.
pub type MacroAddresses = HashMap<String, Vec<(usize, String, usize)>>;

/// Macros of the C API that take a bare name as their first argument and
/// stringize or paste it: the token there is a name, never a variable.
pub const NAME_MACROS: &[&str] = &[
    "_Py_IDENTIFIER",
    "_Py_static_string",
    "_Py_static_string_init",
    "Py_STRINGIFY",
    "_Py_STRINGIFY",
    "_Py_XSTRINGIFY",
    "_Py_ID",
    "_Py_STR",
    "_Py_DECLARE_STR",
    "_Py_DECLARE_ID",
];

/// Indexes the NULL tests under `root` into `evidence.tests`: each
/// `==`/`!=` comparison of an expression with `NULL` or `0`, either way
/// round (`0 == v` too), keyed by the comparison. A walk with an explicit
/// stack, not query patterns: a pattern that starts at a comparison waits
/// for its operator below its left operand, so a chain of N `&&` or `+`
/// kept N unfinished matches that the query cursor steps through at every
/// node beneath, the square of N (30,000 `a && a && ...` took 45 s).
fn collect_null_tests<'t, 's>(
    root: Node<'t>,
    source: &'s [u8],
    evidence: &mut Evidence<'t>,
    null_macros: &mut NullMacros<'_, 's>,
) {
    let is_null = |n: Node, null_macros: &mut NullMacros| {
        parse::is_null_constant(n, source) || null_macros.is_constant(n)
    };
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        if node.kind() == "binary_expression" {
            let test = match node.child_by_field_name("operator").map(|o| o.kind()) {
                Some("==") => Some(Test::IsNull),
                Some("!=") => Some(Test::NotNull),
                _ => None,
            };
            let left = node.child_by_field_name("left").filter(|n| n.is_named());
            let right = node.child_by_field_name("right").filter(|n| n.is_named());
            if let (Some(test), Some(left), Some(right)) = (test, left, right) {
                // As the query's patterns did: the second, with the
                // constant on the left, wins when both sides are one.
                if is_null(right, null_macros) {
                    evidence.tests.insert(node.node_id(), (left, test));
                }
                if is_null(left, null_macros) {
                    evidence.tests.insert(node.node_id(), (right, test));
                }
            }
        } else if node.kind() == "call_expression" {
            // `MISSING(v)` with `#define MISSING(o) IS_NULL(o)`.
            if let Some((argument, test)) = null_macros.predicate_call(node) {
                evidence.tests.insert(node.node_id(), (argument, test));
            }
        }
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// The unit's macros that stand for a null pointer constant (`#define NIL
/// ((PyObject *)0)`) or test their one argument for NULL (`#define
/// MISSING(o) IS_NULL(o)`, `#define IS_NULL(o) (!(o))`, `((o) == NULL)`,
/// `((o) != NIL)`), read from their expansion ([`UnitMacros::expand_each`]:
/// the unit's macros rescanned, every `#if` definition, which must all
/// agree), each macro once.
pub(crate) struct NullMacros<'t, 's> {
    root_bytes: (Node<'t>, &'s [u8]),
    macros: Option<UnitMacros<'s>>,
    constants: HashMap<String, bool>,
    predicates: HashMap<String, Option<Test>>,
}

/// The argument a predicate macro is expanded with: no C program names it.
const PREDICATE_ARGUMENT: &str = "ONCEVAR_PREDICATE_ARGUMENT_";

impl<'t, 's> NullMacros<'t, 's> {
    /// The null macros of the unit whose tree is `root`, over its text
    /// `bytes`; the macros are read when first asked for.
    pub(crate) fn new(root: Node<'t>, bytes: &'s [u8]) -> NullMacros<'t, 's> {
        NullMacros {
            root_bytes: (root, bytes),
            macros: None,
            constants: HashMap::new(),
            predicates: HashMap::new(),
        }
    }

    fn macros(&mut self) -> &UnitMacros<'s> {
        let (root, bytes) = self.root_bytes;
        self.macros
            .get_or_insert_with(|| UnitMacros::of(root, bytes))
    }

    /// Whether `node` is a name the unit defines as a null pointer
    /// constant: every definition of the object-like macro expands to
    /// `NULL` or a zero literal, through parentheses and a pointer cast.
    pub(crate) fn is_constant(&mut self, node: Node) -> bool {
        if node.kind() != "identifier" {
            return false;
        }
        let Ok(name) = node.utf8_text(self.root_bytes.1) else {
            return false;
        };
        if let Some(&known) = self.constants.get(name) {
            return known;
        }
        let macros = self.macros();
        let expansions = if macros.is_function_like(name) {
            Vec::new()
        } else {
            macros.expand_each(name, None, &[])
        };
        let constant = !expansions.is_empty()
            && expansions
                .iter()
                .all(|e| e.as_deref().is_some_and(null_constant_tokens));
        self.constants.insert(name.to_owned(), constant);
        constant
    }

    /// The argument of a call of a predicate macro of the unit, and what
    /// the call being true says of it; `None` for any other call.
    pub(crate) fn predicate_call<'n>(&mut self, call: Node<'n>) -> Option<(Node<'n>, Test)> {
        let bytes = self.root_bytes.1;
        let name = call
            .child_by_field_name("function")
            .filter(|f| f.kind() == "identifier")?
            .utf8_text(bytes)
            .ok()?;
        let arguments = call.child_by_field_name("arguments")?;
        let mut cursor = arguments.walk();
        let mut named = arguments
            .named_children(&mut cursor)
            .filter(|a| a.kind() != "comment");
        let (argument, None) = (named.next()?, named.next()) else {
            return None;
        };
        if let Some(known) = self.predicates.get(name) {
            return known.map(|t| (argument, t));
        }
        let macros = self.macros();
        let test = if macros.is_function_like(name) && may_test(name, macros, 0) {
            let expansions =
                macros.expand_each(name, Some(&format!("({PREDICATE_ARGUMENT})")), &[]);
            let tests: Vec<Option<Test>> = expansions
                .iter()
                .map(|e| e.as_deref().and_then(test_of_argument))
                .collect();
            match tests.first() {
                Some(&first) if tests.iter().all(|t| *t == first) => first,
                _ => None,
            }
        } else {
            None
        };
        self.predicates.insert(name.to_owned(), test);
        test.map(|t| (argument, t))
    }
}

/// Whether the unit's macro `name`, or a macro its bodies name (8 levels
/// at most), compares or negates (`!`, `==`, `!=` in its body): only such
/// a macro can be a NULL test.
fn may_test(name: &str, macros: &UnitMacros, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    macros.bodies(name).iter().any(|body| {
        body.contains('!')
            || body.contains("==")
            || pp_tokens(body).iter().any(|t| {
                is_identifier(t)
                    && t != name
                    && !macros.bodies(t).is_empty()
                    && may_test(t, macros, depth + 1)
            })
    })
}

/// `tokens` without the parentheses that enclose all of them.
pub(crate) fn strip_outer(mut tokens: &[String]) -> &[String] {
    while tokens.len() >= 2 && tokens[0] == "(" && tokens[tokens.len() - 1] == ")" {
        let mut depth = 0usize;
        let closes_last = tokens.iter().enumerate().all(|(i, t)| {
            match t.as_str() {
                "(" => depth += 1,
                ")" => depth -= 1,
                _ => {}
            }
            depth > 0 || i == tokens.len() - 1
        });
        if !closes_last {
            break;
        }
        tokens = &tokens[1..tokens.len() - 1];
    }
    tokens
}

/// Whether preprocessing tokens spell a null pointer constant: `NULL`,
/// `nullptr` or a zero literal, through parentheses and a pointer cast
/// (`((PyObject *)0)`).
pub(crate) fn null_constant_tokens(tokens: &[String]) -> bool {
    let mut tokens = strip_outer(tokens);
    if tokens.first().map(String::as_str) == Some("(") {
        // A cast: `( T * ) value`, the type only names and `*`.
        let Some(close) = tokens.iter().position(|t| t == ")") else {
            return false;
        };
        let cast = &tokens[1..close];
        if cast.last().map(String::as_str) != Some("*")
            || !cast.iter().all(|t| t == "*" || is_identifier(t))
        {
            return false;
        }
        tokens = strip_outer(&tokens[close + 1..]);
    }
    match tokens {
        [one] => one == "NULL" || one == "nullptr" || parse::is_zero_literal(one),
        _ => false,
    }
}

/// What a predicate's expansion, given [`PREDICATE_ARGUMENT`], says of
/// the argument when it is true: `!x` and `x == NULL` that it is NULL,
/// `x != NULL` that it is not, through parentheses and negations.
fn test_of_argument(tokens: &[String]) -> Option<Test> {
    // The expander gives punctuators one character each: `==` and `!=`
    // are two tokens there.
    let mut joined: Vec<String> = Vec::with_capacity(tokens.len());
    for token in tokens {
        match joined.last_mut() {
            Some(last) if token == "=" && (last == "=" || last == "!") => last.push('='),
            _ => joined.push(token.clone()),
        }
    }
    let tokens = strip_outer(&joined);
    let is_argument = |t: &[String]| matches!(strip_outer(t), [one] if one == PREDICATE_ARGUMENT);
    if tokens.first().map(String::as_str) == Some("!") {
        let rest = &tokens[1..];
        if is_argument(rest) {
            return Some(Test::IsNull);
        }
        return test_of_argument(rest).map(|t| match t {
            Test::IsNull => Test::NotNull,
            Test::NotNull => Test::IsNull,
        });
    }
    let mut depth = 0usize;
    let mut split = None;
    for (i, token) in tokens.iter().enumerate() {
        match token.as_str() {
            "(" => depth += 1,
            ")" => depth = depth.saturating_sub(1),
            "==" | "!=" if depth == 0 => {
                if split.is_some() {
                    return None;
                }
                split = Some(i);
            }
            "&&" | "||" | "?" | "," if depth == 0 => return None,
            _ => {}
        }
    }
    let at = split?;
    let (left, right) = (&tokens[..at], &tokens[at + 1..]);
    let compared = (is_argument(left) && null_constant_tokens(right))
        || (is_argument(right) && null_constant_tokens(left));
    compared.then(|| {
        if tokens[at] == "==" {
            Test::IsNull
        } else {
            Test::NotNull
        }
    })
}

/// Runs the evidence query over the functions that refer to a resolved
/// candidate, the helpers of the file that receive its address, and the
/// file's function-like macros (over the whole tree when a reference lies
/// outside any function), and indexes what it finds.
pub fn collect<'t>(
    tree: &'t Tree,
    source: &[u8],
    queries: &Queries,
    resolution: &Resolution<'t>,
    address_tables: &[AddressTable<'t>],
) -> Evidence<'t> {
    collect_around(tree, source, queries, (resolution, address_tables), &[])
}

/// [`collect`] over the function definitions `helpers` too (and the
/// helpers they hand a slot parameter on to) with no candidate resolved:
/// what another unit asks of this unit's functions that receive a
/// static's address ([`crate::analysis::classify::outside_slot_uses`]).
pub fn collect_for_helpers<'t>(
    tree: &'t Tree,
    source: &[u8],
    queries: &Queries,
    helpers: &[Node<'t>],
) -> Evidence<'t> {
    let resolution = Resolution::default();
    collect_around(tree, source, queries, (&resolution, &[]), helpers)
}

/// [`collect`], with `also` among the roots.
fn collect_around<'t>(
    tree: &'t Tree,
    source: &[u8],
    queries: &Queries,
    (resolution, address_tables): (&Resolution<'t>, &[AddressTable<'t>]),
    also: &[Node<'t>],
) -> Evidence<'t> {
    let q = &queries.evidence;
    let mut evidence = Evidence {
        macro_addresses: macro_addresses(tree.root_node(), source),
        macro_passes: macro_passes(tree.root_node(), source),
        macro_detaches: macro_detaches(tree.root_node(), source),
        ..Evidence::default()
    };
    let mut cursor = QueryCursor::new();
    let mut shapes: Vec<(String, MacroShape)> = Vec::new();
    // A table entry a macro spells names its static nowhere in the code:
    // whatever reads the table may write it.
    let spelled = address_tables
        .iter()
        .any(|t| t.entries.values().any(Option::is_some));
    let roots = if spelled {
        vec![tree.root_node()]
    } else {
        roots(
            tree,
            source,
            resolution,
            (&evidence.macro_addresses, &evidence.macro_passes),
            also,
        )
    };
    let mut null_macros = NullMacros::new(tree.root_node(), source);
    for root in roots {
        collect_null_tests(root, source, &mut evidence, &mut null_macros);
        let mut matches = cursor.matches(&q.query, root, source);
        while let Some(m) = matches.next() {
            let node = |index| crate::analysis::queries::captured(m, index);
            if let (Some(write), Some(target), Some(op), Some(value)) = (
                node(q.write),
                node(q.write_target),
                node(q.write_operator),
                node(q.write_value),
            ) {
                // `(v) = NULL`, as a macro's expansion spells it, assigns
                // `v`.
                evidence.assignment_targets.insert(
                    parse::strip_parens(target).node_id(),
                    evidence.assignments.len(),
                );
                evidence.assignments.push(Assignment {
                    node: write,
                    target,
                    value,
                    compound: op.kind() != "=",
                });
            } else if let Some(target) = node(q.update_target) {
                evidence.updates.insert(target.node_id(), target);
            } else if let (Some(address), Some(target)) = (node(q.address), node(q.address_target))
            {
                evidence.addresses.insert(target.node_id(), address);
            } else if let (Some(name), Some(parameters), Some(body)) = (
                node(q.macro_name),
                node(q.macro_parameters),
                node(q.macro_body),
            ) {
                let body = body.utf8_text(source).unwrap_or("");
                let parameters: Vec<&str> = parameters
                    .named_children(&mut parameters.walk())
                    .filter(|p| p.kind() == "identifier")
                    .map(|p| p.utf8_text(source).unwrap_or(""))
                    .collect();
                let mut shape = MacroShape::of(body, &parameters);
                let name = name.utf8_text(source).unwrap_or("").to_owned();
                if !shape.written.is_empty() {
                    evidence
                        .macro_writes
                        .insert(name.clone(), std::mem::take(&mut shape.written));
                }
                if !shape.guarded.is_empty() {
                    evidence
                        .macro_guarded_writes
                        .insert(name.clone(), std::mem::take(&mut shape.guarded));
                }
                shapes.push((name, shape));
            } else if let (Some(call), Some(function), Some(target)) = (
                node(q.release),
                node(q.release_function),
                node(q.release_target),
            ) {
                // `Py_DECREF((PyObject *)v)` releases `v`.
                let target = parse::strip_parens(target);
                evidence.releases.insert(
                    target.node_id(),
                    Release {
                        node: call,
                        function,
                        target,
                    },
                );
            }
        }
    }
    evidence.macro_name_arguments = name_arguments(&shapes);
    evidence
}

/// [`Evidence::macro_name_arguments`] from the shapes of the unit's
/// function-like macros, through any number of macro levels: a parameter
/// that a body passes as a whole argument to a macro taking that argument
/// as a name (one of [`NAME_MACROS`], or a macro of the unit, in turn) is a
/// name too (`#define DECLARE_ID(name) _Py_IDENTIFIER(name)`, `#define
/// XSTR(x) STR(x)`); passed to anything else (a function, a parameter the
/// callee uses as an expression) it is used plainly. Definitions of one
/// name (in `#if` branches) are joined: a name or plain use in any counts.
fn name_arguments(shapes: &[(String, MacroShape)]) -> HashMap<String, Vec<(usize, bool)>> {
    // (used as a name, used plainly) per parameter, by macro.
    let mut uses: HashMap<&str, Vec<(bool, bool)>> = HashMap::new();
    for (name, shape) in shapes {
        let entry = uses.entry(name.as_str()).or_default();
        if entry.len() < shape.uses.len() {
            entry.resize(shape.uses.len(), (false, false));
        }
        for (e, u) in entry.iter_mut().zip(&shape.uses) {
            *e = (e.0 || u.0, e.1 || u.1);
        }
    }
    // Each round turns at least one flag on, and none off: it ends.
    loop {
        let mut changed = false;
        for (name, shape) in shapes {
            for (p, callee, k) in &shape.forwarded {
                let (named, plain) = if *k == 0 && NAME_MACROS.contains(&callee.as_str()) {
                    (true, false)
                } else {
                    match uses.get(callee.as_str()) {
                        Some(callee_uses) => callee_uses.get(*k).copied().unwrap_or_default(),
                        None => (false, true),
                    }
                };
                let Some(own) = uses.get_mut(name.as_str()).and_then(|u| u.get_mut(*p)) else {
                    continue;
                };
                let next = (own.0 || named, own.1 || plain);
                if next != *own {
                    *own = next;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    uses.into_iter()
        .filter_map(|(name, uses)| {
            let names: Vec<(usize, bool)> = uses
                .iter()
                .enumerate()
                .filter(|(_, u)| u.0)
                .map(|(p, u)| (p, u.1))
                .collect();
            (!names.is_empty()).then(|| (name.to_owned(), names))
        })
        .collect()
}

/// Where evidence can matter: the functions that refer to a candidate
/// (every guard, alias and write the classifier looks at lies in one, and so
/// do the callers it follows, which test the static themselves), the
/// helpers of the file that receive a candidate's address (`fetch(&v)`,
/// whose guard on `*slot` decides) and the file's function-like macros.
/// The whole tree when a reference lies outside any function. Outermost
/// first, none inside another.
fn roots<'t>(
    tree: &'t Tree,
    source: &[u8],
    resolution: &Resolution<'t>,
    (macros, passes): (&MacroAddresses, &MacroAddresses),
    also: &[Node<'t>],
) -> Vec<Node<'t>> {
    let mut roots = also.to_vec();
    let mut helpers: Option<HashMap<&[u8], Node<'t>>> = None;
    for symbol in &resolution.symbols {
        for &reference in &symbol.references {
            match parse::enclosing_function(reference) {
                Some(function) => roots.push(function),
                None => return vec![tree.root_node()],
            }
            // `lazy(&cache[k])`, `fill(&state.error)`: the helper may fill
            // an element or a member (a helper too many only widens the
            // roots).
            // One climb per reference outside the plain name's case: most
            // references stand in no subscript or member expression.
            let slot = match parse::climb(reference, |parent, child| match parent.kind() {
                "subscript_expression" | "field_expression" => {
                    parent.child_by_field_name("argument") == Some(child)
                }
                "parenthesized_expression" => true,
                _ => false,
            })
            .0
            {
                n if n.kind() == "parenthesized_expression" => parse::strip_parens(n),
                n => n,
            };
            let mut handed: Vec<(&str, usize)> = slot_arguments(slot, source, macros)
                .into_iter()
                .map(|(callee, position, _)| (callee, position))
                .collect();
            // `fill(table, n)`, `fill(table + k, n)`, `fill((T **)table,
            // n)`: an array handed decayed, which the helper may fill by
            // index, directly or through the unit's macros that pass the
            // argument on (`FILL(t)` for `fill((t), n)`, 4 deep). The
            // climb only where the text shows an offset or a cast.
            let after = source[reference.end_byte()..].trim_ascii_start().first();
            let before = source[..reference.start_byte()].trim_ascii_end().last();
            let decayed = if after == Some(&b'+') || before == Some(&b')') {
                parse::climb(reference, |parent, _| {
                    matches!(
                        parent.kind(),
                        "parenthesized_expression" | "cast_expression" | "binary_expression"
                    )
                })
                .0
            } else {
                reference
            };
            handed.extend(
                parse::call_argument(decayed, source)
                    .map(|(callee, position, _)| (callee, position)),
            );
            for (callee, position) in handed {
                let helpers = helpers
                    .get_or_insert_with(|| parse::function_definitions(tree.root_node(), source));
                roots.extend(
                    crate::analysis::classify::decayed_helpers(
                        helpers,
                        passes,
                        callee.as_bytes(),
                        position,
                        source,
                    )
                    .into_iter()
                    .map(|(function, _)| function),
                );
            }
        }
    }
    roots.extend(
        parse::keyword_tokens(tree.root_node(), source, &["#define"])
            .into_iter()
            .filter_map(|k| k.parent)
            .filter(|p| p.kind() == "preproc_function_def"),
    );
    roots.sort_by_key(|n| (n.start_byte(), std::cmp::Reverse(n.end_byte())));
    let mut outermost: Vec<Node> = Vec::new();
    for root in roots {
        if outermost
            .last()
            .is_none_or(|o| root.end_byte() > o.end_byte())
        {
            outermost.push(root);
        }
    }
    outermost
}

/// The calls that receive `reference`'s address, as (callee, argument
/// position, the call written in the code): `f(…, &v, …)` directly, and
/// `LAZY(v, …)` where the unit's macro `LAZY` passes `&(v)` on to a call
/// ([`Evidence::macro_addresses`]; the call given is the macro's).
pub fn slot_arguments<'t, 's>(
    reference: Node<'t>,
    source: &'s [u8],
    macros: &'s MacroAddresses,
) -> Vec<(&'s str, usize, Node<'t>)> {
    if let Some(direct) = address_argument(reference, source) {
        return vec![direct];
    }
    let Some((callee, position, call)) = parse::call_argument(reference, source) else {
        return Vec::new();
    };
    macros.get(callee).map_or_else(Vec::new, |passed| {
        passed
            .iter()
            .filter(|(parameter, _, _)| *parameter == position)
            .map(|(_, helper, at)| (helper.as_str(), *at, call))
            .collect()
    })
}

/// [`Evidence::macro_detaches`] of the function-like macros in the tree:
/// a body that copies parameter `s` as a whole into parameter `d` (`(d) =
/// (s)`, then `,`, `;` or its end) and later sets `s` to a null constant,
/// and releases nothing itself (no `DECREF`, `CLEAR` or `SETREF`: that
/// would be a release inside the macro).
fn macro_detaches(root: Node, source: &[u8]) -> HashMap<String, Vec<(usize, usize)>> {
    let mut out: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
    for (name, parameters, body) in function_macros(root, source) {
        let tokens: Vec<&str> = macro_tokens(body)
            .into_iter()
            .filter(|t| !matches!(*t, "(" | ")"))
            .collect();
        let releases = |t: &&str| {
            ["DECREF", "DecRef", "CLEAR", "SETREF"]
                .iter()
                .any(|r| t.contains(r))
        };
        if tokens.iter().any(releases) {
            continue;
        }
        let parameter = |t: &str| parameters.iter().position(|p| *p == t);
        let ends = |i: usize| tokens.get(i).is_none_or(|t| matches!(*t, "," | ";" | "}"));
        let plain = |i: usize| i == 0 || !matches!(tokens[i - 1], "." | "->" | "*" | "&");
        for i in 1..tokens.len().saturating_sub(1) {
            if tokens[i] != "=" || !plain(i - 1) || !ends(i + 2) {
                continue;
            }
            let (Some(d), Some(s)) = (parameter(tokens[i - 1]), parameter(tokens[i + 1])) else {
                continue;
            };
            let emptied = (i + 2..tokens.len().saturating_sub(2)).any(|j| {
                parameter(tokens[j]) == Some(s)
                    && plain(j)
                    && tokens[j + 1] == "="
                    && matches!(tokens[j + 2], "NULL" | "0" | "nullptr")
                    && ends(j + 3)
            });
            if emptied && d != s {
                out.entry(name.to_owned()).or_default().push((s, d));
            }
        }
    }
    out
}

/// [`Evidence::macro_passes`] of the function-like macros in the tree.
fn macro_passes(root: Node, source: &[u8]) -> MacroAddresses {
    let mut out = MacroAddresses::new();
    for (name, parameters, body) in function_macros(root, source) {
        for (p, callee, at, address) in parameter_arguments(&macro_tokens(body), &parameters) {
            if !address {
                out.entry(name.to_owned())
                    .or_default()
                    .push((p, callee, at));
            }
        }
    }
    out
}

/// [`Evidence::macro_addresses`] of the function-like macros in the tree:
/// a parameter whose address the body passes to a call, or that the body
/// passes as it is to another such macro (`#define LAZY_ENUM(v, a)
/// LAZY_ATTR(v, "enum", a)`).
fn macro_addresses(root: Node, source: &[u8]) -> MacroAddresses {
    // (macro, parameter, callee, argument position, address taken)
    let mut arguments: Vec<(String, usize, String, usize, bool)> = Vec::new();
    for (name, parameters, body) in function_macros(root, source) {
        let tokens = macro_tokens(body);
        arguments.extend(
            parameter_arguments(&tokens, &parameters)
                .into_iter()
                .map(|(p, callee, at, address)| (name.to_owned(), p, callee, at, address)),
        );
    }
    let mut out = MacroAddresses::new();
    for (name, p, callee, at, address) in &arguments {
        if *address {
            out.entry(name.clone())
                .or_default()
                .push((*p, callee.clone(), *at));
        }
    }
    // Through macros that pass the parameter on, as deep as they go (each
    // round adds at least one entry, and there are finitely many).
    loop {
        let mut added = Vec::new();
        for (name, p, callee, at, address) in &arguments {
            let Some(passed) = out.get(callee).filter(|_| !*address) else {
                continue;
            };
            for (parameter, helper, position) in passed {
                let entry = (*p, helper.clone(), *position);
                if parameter == at && !out.get(name).is_some_and(|e| e.contains(&entry)) {
                    added.push((name.clone(), entry));
                }
            }
        }
        if added.is_empty() {
            return out;
        }
        for (name, entry) in added {
            let entries = out.entry(name).or_default();
            if !entries.contains(&entry) {
                entries.push(entry);
            }
        }
    }
}

/// What each function-like macro of the tree does to its parameters'
/// storage: (the macro's name, the parameters its body writes itself, the
/// parameters it passes as whole arguments of a call as
/// [`parameter_arguments`] gives them: (parameter, callee, argument
/// position, whether its address is taken)). A parameter is written by
/// `p = …`, `(p) = …`, `p += …` and the other compound assignments, `p++`,
/// `--p`, also through members and elements of it (`(p).f = …`,
/// `p[i]++`); not through `p->f`, which writes what `p` points to.
#[allow(clippy::type_complexity)]
pub fn macro_parameter_writes(
    root: Node,
    source: &[u8],
) -> Vec<(String, Vec<usize>, Vec<(usize, String, usize, bool)>)> {
    let mut out = Vec::new();
    for (name, parameters, body) in function_macros(root, source) {
        let tokens = macro_tokens(body);
        let written = written_parameters(&tokens, &parameters);
        let arguments = parameter_arguments(&tokens, &parameters);
        if !written.is_empty() || !arguments.is_empty() {
            out.push((name.to_owned(), written, arguments));
        }
    }
    out
}

/// The function-like macros defined in the tree, as (name, parameter
/// names, body text), in source order.
fn function_macros<'s>(root: Node, source: &'s [u8]) -> Vec<(&'s str, Vec<&'s str>, &'s str)> {
    parse::keyword_tokens(root, source, &["#define"])
        .into_iter()
        .filter_map(|k| k.parent)
        .filter(|p| p.kind() == "preproc_function_def")
        .filter_map(|definition| {
            let name = definition.child_by_field_name("name")?;
            let parameters = definition.child_by_field_name("parameters")?;
            let body = definition.child_by_field_name("value")?;
            let parameters: Vec<&str> = parameters
                .named_children(&mut parameters.walk())
                .filter(|p| p.kind() == "identifier")
                .map(|p| p.utf8_text(source).unwrap_or(""))
                .collect();
            Some((
                name.utf8_text(source).unwrap_or(""),
                parameters,
                body.utf8_text(source).unwrap_or(""),
            ))
        })
        .collect()
}

/// The parameters a macro body's tokens write themselves (see
/// [`macro_parameter_writes`]), in order of their first write.
fn written_parameters(tokens: &[&str], parameters: &[&str]) -> Vec<usize> {
    const ASSIGNING: &[&str] = &["=", "+=", "-=", "*=", "/=", "|=", "&="];
    let parameter = |t: &str| parameters.iter().position(|p| *p == t);
    let mut out = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let Some(p) = parameter(token) else { continue };
        let before = |k: usize| i.checked_sub(k).map(|at| tokens[at]);
        if matches!(before(1), Some("." | "->" | "#" | "##")) || tokens.get(i + 1) == Some(&"##") {
            continue;
        }
        let (first, last) = widen_parens(tokens, i, i + 1);
        // Through members and elements: `(p).f`, `p[i]`, `p.a.b[2]`.
        let mut end = last;
        loop {
            match tokens.get(end) {
                Some(&".") if tokens.get(end + 1).is_some() => end += 2,
                Some(&"[") => {
                    let mut depth = 0usize;
                    while let Some(t) = tokens.get(end) {
                        end += 1;
                        match *t {
                            "[" => depth += 1,
                            "]" => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                }
                _ => break,
            }
        }
        let after = |k: usize| tokens.get(end + k).copied();
        let increment = matches!(
            (after(0), after(1)),
            (Some("+"), Some("+")) | (Some("-"), Some("-"))
        ) || matches!(
            (
                first.checked_sub(2).map(|at| tokens[at]),
                first.checked_sub(1).map(|at| tokens[at])
            ),
            (Some("+"), Some("+")) | (Some("-"), Some("-"))
        );
        if (after(0).is_some_and(|t| ASSIGNING.contains(&t)) || increment) && !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// A parameter `p` as a whole argument of a call in a macro body's tokens,
/// `p`, `(p)`, `&p` or `&(p)`: (p's position, callee, argument position,
/// whether its address is taken).
fn parameter_arguments(tokens: &[&str], parameters: &[&str]) -> Vec<(usize, String, usize, bool)> {
    let parameter = |t: &str| parameters.iter().position(|p| *p == t);
    let mut out = Vec::new();
    for i in 1..tokens.len() {
        if !matches!(tokens[i - 1], "(" | ",") {
            continue;
        }
        // `(PyObject **)&(v)`: casts to a pointer type before the value.
        let mut i = i;
        while let Some(end) = pointer_cast_end(tokens, i) {
            i = end;
        }
        let address = tokens.get(i) == Some(&"&");
        let start = if address { i + 1 } else { i };
        let (p, end) = match tokens.get(start..start + 3) {
            Some(["(", t, ")"]) if parameter(t).is_some() => (parameter(t), start + 3),
            _ => (tokens.get(start).and_then(|t| parameter(t)), start + 1),
        };
        let Some(p) = p else { continue };
        if !matches!(tokens.get(end), Some(&("," | ")"))) {
            continue; // `&v->m`, `&v[i]`, `v + 1`: not the parameter itself
        }
        if let Some((callee, position)) = argument_position(tokens, i) {
            out.push((p, callee.to_owned(), position, address));
        }
    }
    out
}

/// The index past a cast to a pointer type that opens at `tokens[at]`
/// (`( PyObject * * )`, `(void *)`, `(struct s *const)`: words and `*`
/// only, the last a `*`), if one does.
fn pointer_cast_end(tokens: &[&str], at: usize) -> Option<usize> {
    if tokens.get(at) != Some(&"(") {
        return None;
    }
    let close = at + 1 + tokens[at + 1..].iter().position(|t| *t == ")")?;
    let inside = &tokens[at + 1..close];
    let word = |t: &str| t.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
    (inside.len() >= 2
        && word(inside[0])
        && inside.iter().all(|t| *t == "*" || word(t))
        && inside
            .iter()
            .rev()
            .find(|t| **t != "const")
            .is_some_and(|t| *t == "*"))
    .then_some(close + 1)
}

/// The call whose argument list holds `tokens[i]` at its own depth: the
/// callee (an identifier before the `(`) and the 0-based position of the
/// argument, counted by the commas back to the `(`. `None` outside any
/// call's parentheses.
fn argument_position<'s>(tokens: &[&'s str], i: usize) -> Option<(&'s str, usize)> {
    let mut depth = 0usize;
    let mut position = 0;
    for j in (0..i).rev() {
        match tokens[j] {
            ")" | "]" => depth += 1,
            "(" | "[" if depth > 0 => depth -= 1,
            "(" => {
                let callee = j
                    .checked_sub(1)
                    .map(|c| tokens[c])
                    .filter(|c| c.starts_with(|ch: char| ch.is_ascii_alphabetic() || ch == '_'))?;
                return Some((callee, position));
            }
            "," if depth == 0 => position += 1,
            _ => {}
        }
    }
    None
}

/// `f(…, &v, …)`: the callee, the argument's position and the call, when
/// `reference` is `v` (also in `&(v)`).
pub fn address_argument<'t, 's>(
    reference: Node<'t>,
    source: &'s [u8],
) -> Option<(&'s str, usize, Node<'t>)> {
    // `&(v)`: parentheses between the operator and the name (climbed in
    // one descent: 30,000 of them around a copy of the static took 61 s).
    let (_, above) = parse::climb(reference, |parent, _| {
        parent.kind() == "parenthesized_expression"
    });
    let address = above.first().filter(|p| {
        p.kind() == "pointer_expression"
            && p.child_by_field_name("operator").map(|o| o.kind()) == Some("&")
    })?;
    parse::call_argument(address_value(address).0, source)
}

/// The whole value an address `&v` is part of, through casts and
/// parentheses around it (`(PyObject **)&v`, `((void *)&v)`, as passed to
/// a call), and the nodes above that value, its parent first. Climbed in
/// one descent ([`parse::climb`]).
pub fn address_value(address: Node) -> (Node, parse::Above) {
    parse::climb(address, |parent, _| {
        matches!(
            parent.kind(),
            "parenthesized_expression" | "cast_expression"
        )
    })
}

/// What a function-like macro's body does with its parameters.
#[derive(Debug, Default, PartialEq, Eq)]
struct MacroShape {
    /// Parameters assigned as they are: `result = (expr)`.
    written: Vec<usize>,
    /// Parameters stringized, pasted or used as a member name (after `.`
    /// or `->`), and whether also used plainly.
    names: Vec<(usize, bool)>,
    /// Per parameter: (stringized, pasted or a member name; used as an
    /// expression other than a whole argument of a call), in the body
    /// itself.
    uses: Vec<(bool, bool)>,
    /// Parameters passed as a whole argument of a call or macro
    /// invocation: (parameter, callee, argument position).
    forwarded: Vec<(usize, String, usize)>,
    /// Parameters the body tests for NULL before it assigns them:
    /// `((n) ? (n) : ((n) = make(#n)))`, `if (!(v)) (v) = (init)`.
    guarded: Vec<usize>,
}

impl MacroShape {
    fn of(body: &str, parameters: &[&str]) -> MacroShape {
        let tokens = macro_tokens(body);
        let parameter = |t: &str| parameters.iter().position(|p| *p == t);
        let mut shape = MacroShape::default();
        // (named as a name, used plainly) per parameter
        let mut uses = vec![(false, false); parameters.len()];
        // Parameters NULL-tested so far, in token order.
        let mut tested: Vec<usize> = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            // A maximal run `a ## b ## c`, or a stringized `#a`.
            if tokens[i] == "#" {
                if let Some(p) = tokens.get(i + 1).and_then(|t| parameter(t)) {
                    uses[p].0 = true;
                }
                i += 2;
                continue;
            }
            let mut end = i + 1;
            while tokens.get(end) == Some(&"##") && end + 1 < tokens.len() {
                end += 2;
            }
            let next_is_assignment = tokens.get(end) == Some(&"=");
            if end > i + 1 {
                // A pasted parameter is a name (what the paste makes is
                // written where the macro is invoked: classify's
                // expansion writes).
                for t in tokens[i..end].iter().step_by(2) {
                    if let Some(p) = parameter(t) {
                        uses[p].0 = true;
                    }
                }
            } else if let Some(p) = parameter(tokens[i]).filter(|_| {
                // `(s).f`, `(s)->f`, `.f = v` in an initialiser: the
                // argument names a member, it is not an expression.
                i > 0 && matches!(tokens[i - 1], "." | "->")
            }) {
                uses[p].0 = true;
                i = end;
                continue;
            } else if let Some(p) = parameter(tokens[i]) {
                let whole = i > 0
                    && matches!(tokens[i - 1], "(" | ",")
                    && matches!(tokens.get(i + 1), Some(&("," | ")")));
                match whole.then(|| argument_position(&tokens, i)).flatten() {
                    Some((callee, k)) => shape.forwarded.push((p, callee.to_owned(), k)),
                    None => uses[p].1 = true,
                }
                // `(p) = …` assigns `p` too.
                let parenthesized = i > 0
                    && tokens[i - 1] == "("
                    && tokens.get(i + 1) == Some(&")")
                    && tokens.get(i + 2) == Some(&"=");
                let (first, last) = if parenthesized {
                    (i - 1, i + 2)
                } else {
                    (i, end)
                };
                if next_is_assignment || parenthesized {
                    if !shape.written.contains(&p) {
                        shape.written.push(p);
                    }
                } else if null_test(&tokens, first, last) && !tested.contains(&p) {
                    tested.push(p);
                }
                if (next_is_assignment || parenthesized)
                    && tested.contains(&p)
                    && !shape.guarded.contains(&p)
                {
                    shape.guarded.push(p);
                }
            }
            i = end;
        }
        shape.names = uses
            .iter()
            .enumerate()
            .filter(|(_, u)| u.0)
            .map(|(p, u)| (p, u.1))
            .collect();
        shape.uses = uses;
        shape
    }
}

/// Whether the operand `tokens[first..last]` (a parameter, or one in
/// parentheses) is tested for NULL where it stands: `!p`, `p == NULL`,
/// `NULL == p` (or `0`), or the condition of a ternary, `p ? … : …`, whose
/// NULL arm comes after the `:`.
fn null_test(tokens: &[&str], first: usize, last: usize) -> bool {
    let (first, last) = widen_parens(tokens, first, last);
    let before = |k: usize| first.checked_sub(k).map(|at| tokens[at]);
    let after = |k: usize| tokens.get(last + k - 1).copied();
    let null = |t: Option<&str>| matches!(t, Some("NULL" | "0"));
    before(1) == Some("!")
        || after(1) == Some("==") && null(after(2))
        || before(1) == Some("==") && null(before(2))
        || after(1) == Some("?")
}

/// `tokens[first..last]` widened over the parentheses right around it.
fn widen_parens(tokens: &[&str], mut first: usize, mut last: usize) -> (usize, usize) {
    while first > 0 && tokens[first - 1] == "(" && tokens.get(last) == Some(&")") {
        first -= 1;
        last += 1;
    }
    (first, last)
}

/// The preprocessing tokens of a macro body, roughly: identifiers and
/// numbers, `#`, `##`, `==` and the like as one token each, other
/// punctuation one character each; string and character literals and
/// comments are left out (a name inside them is not a use).
pub(crate) fn macro_tokens(body: &str) -> Vec<&str> {
    let bytes = body.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        if b.is_ascii_whitespace() || b == b'\\' {
            i += 1;
            continue;
        }
        if b == b'"' || b == b'\'' {
            i += 1;
            while i < bytes.len() && bytes[i] != b {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            continue;
        }
        if body[i..].starts_with("/*") {
            i = body[i + 2..].find("*/").map_or(bytes.len(), |e| i + 4 + e);
            continue;
        }
        if body[i..].starts_with("//") {
            i = body[i..].find('\n').map_or(bytes.len(), |e| i + e);
            continue;
        }
        if is_word(b) {
            while i < bytes.len() && is_word(bytes[i]) {
                i += 1;
            }
        } else if [
            "##", "==", "!=", "<=", ">=", "->", "+=", "-=", "*=", "/=", "|=", "&=", "&&", "||",
        ]
        .iter()
        .any(|op| body[i..].starts_with(op))
        {
            i += 2;
        } else {
            i += body[i..].chars().next().map_or(1, char::len_utf8);
        }
        tokens.push(&body[start..i]);
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::MacroShape;

    fn assigns(body: &str, name: &str) -> bool {
        MacroShape::of(body, &[name]).written == [0]
    }

    /// The parameters a writing macro's body writes itself: assigned,
    /// incremented, through a member or an element, in parentheses; not
    /// through `->`, a comparison, a member name, a pasted name.
    #[test]
    fn macro_parameters_written() {
        use super::{macro_tokens, written_parameters};
        let w =
            |body: &str, parameters: &[&str]| written_parameters(&macro_tokens(body), parameters);
        let store = "do { PyObject *t = (d); (d) = (v); Py_XDECREF(t); } while (0)";
        assert_eq!(w(store, &["d", "v"]), [0]);
        assert_eq!(w("((c)++)", &["c"]), [0]);
        assert_eq!(w("--c", &["c"]), [0]);
        assert_eq!(w("((s).count = (v))", &["s", "v"]), [0]);
        assert_eq!(w("s.a[i] += 1", &["s", "i"]), [0]);
        assert_eq!(w("(b) = (a)++", &["a", "b"]), [1, 0]);
        assert!(w("((s)->count = (v))", &["s", "v"]).is_empty());
        assert!(w("(a) == (b) || (a) <= (b)", &["a", "b"]).is_empty());
        assert!(w("x.s = 1", &["s"]).is_empty());
        assert!(w("s##_x = 1", &["s"]).is_empty());
    }

    #[test]
    fn macro_parameter_assignments() {
        assert!(assigns("do { result = (expr); } while (0)", "result"));
        assert!(assigns("VAR = f(NAME); if (VAR == NULL) goto fail;", "VAR"));
        assert!(!assigns("if (VAR == NULL) goto fail;", "VAR"));
        assert!(!assigns("x_result = 1", "result"));
        assert!(!assigns("str##S = make(#S)", "S"));
        assert!(!assigns("\"S = \" #S", "S"));
    }

    #[test]
    fn parameters_tested_for_null_before_they_are_assigned() {
        let guarded = |body: &str, parameters: &[&str]| MacroShape::of(body, parameters).guarded;
        assert_eq!(guarded("((n) ? (n) : ((n) = Make(#n)))", &["n"]), [0]);
        assert_eq!(guarded("(v ? v : (v = (expr)))", &["v", "expr"]), [0]);
        assert_eq!(
            guarded(
                "do { if ((v) == NULL) (v) = (init); } while (0)",
                &["v", "init"]
            ),
            [0]
        );
        assert_eq!(
            guarded("if (!(var)) { (var) = f(lit); }", &["var", "lit"]),
            [0]
        );
        assert_eq!(guarded("if (NULL == x) x = y", &["x", "y"]), [0]);
        // Tested after the write (an error check), or tested non-NULL (a
        // setter's release): not a guard.
        assert!(guarded(
            "VAR = f(NAME); if (VAR == NULL) goto fail;",
            &["VAR", "NAME"]
        )
        .is_empty());
        assert!(guarded("if ((x) != NULL) Py_DECREF(x); (x) = v", &["x", "v"]).is_empty());
        assert!(guarded("if (x) { Py_DECREF(x); (x) = NULL; }", &["x"]).is_empty());
        assert_eq!(MacroShape::of("(r) = (e)", &["r", "e"]).written, [0]);
    }

    #[test]
    fn parameters_whose_address_a_macro_passes_on() {
        let passed = |body: &str, parameters: &[&str]| {
            super::parameter_arguments(&super::macro_tokens(body), parameters)
        };
        assert_eq!(
            passed("fetch_attr((m), (a), &(var))", &["var", "m", "a"]),
            [
                (1, "fetch_attr".into(), 0, false),
                (2, "fetch_attr".into(), 1, false),
                (0, "fetch_attr".into(), 2, true)
            ]
        );
        assert_eq!(
            passed("load(&v, g(x, &v[1]), &v->m)", &["v", "x"]),
            [(0, "load".into(), 0, true), (1, "g".into(), 0, false)]
        );
        assert_eq!(
            passed("LAZY(v, \"enum\", a)", &["v", "a"]),
            [(0, "LAZY".into(), 0, false), (1, "LAZY".into(), 2, false)]
        );
    }

    /// A parameter handed on whole to a macro that takes it as a name is a
    /// name, through any number of levels; handed to a function it is a
    /// use.
    #[test]
    fn parameters_named_through_other_macros() {
        let shapes: Vec<(String, MacroShape)> = [
            ("DECLARE_ID", "_Py_IDENTIFIER(name)", &["name"][..]),
            ("STR", "#x", &["x"]),
            ("XSTR", "STR(x)", &["x"]),
            ("XXSTR", "XSTR(y)", &["y"]),
            ("FIELD", "((s).f)", &["s", "f"]),
            ("STATE_FIELD", "FIELD(*state, f)", &["f"]),
            ("BOTH", "STR(v) + g(v)", &["v"]),
            ("CALL", "g(v)", &["v"]),
        ]
        .into_iter()
        .map(|(name, body, parameters)| (name.to_owned(), MacroShape::of(body, parameters)))
        .collect();
        let names = super::name_arguments(&shapes);
        for named in ["DECLARE_ID", "STR", "XSTR", "XXSTR"] {
            assert_eq!(
                names.get(named).map(Vec::as_slice),
                Some(&[(0, false)][..]),
                "{named}"
            );
        }
        assert_eq!(names["FIELD"], [(1, false)]);
        assert_eq!(names["STATE_FIELD"], [(0, false)]);
        assert_eq!(names["BOTH"], [(0, true)]);
        assert!(!names.contains_key("CALL"));
    }

    #[test]
    fn pasted_and_stringized_parameters() {
        let shape = MacroShape::of("str##S = make(#S); if (!str##S) return -1", &["S"]);
        assert_eq!(shape.names, [(0, false)]);
        let shape = MacroShape::of("if (!(X)) fail(#X)", &["X"]);
        assert_eq!(shape.names, [(0, true)]);
        let shape = MacroShape::of("P##_##S = 1", &["P", "S"]);
        assert_eq!(shape.names, [(0, false), (1, false)]);
    }
}
