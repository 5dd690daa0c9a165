//! Whether a cached object is kept, without a reference of its own, in
//! storage that outlives the interpreter: a variable of static storage (a
//! file-scope variable, a `static` or `extern` local), a member or an
//! element of one, or what a pointer held in one points at
//! (`global_codec.enc = name;`, `table[0] = name;`, `hooks->obj = name;`).
//! Before the fix the static held its reference for ever, so a pointer
//! copied from it never dangled; after the fix each interpreter releases
//! its own object when it finalises, and the copy would still point at the
//! first interpreter's freed object.
//!
//! The value is followed from each read of the static: through
//! parentheses, casts, the right of a comma, the branches of `?:` and
//! chained assignments; into the automatic locals it initialises or is
//! assigned to (their later uses in their scope, as C's block scope reads,
//! [`local_named`]); out of a function of the unit that returns it as it is
//! (each call of that function in the unit is the value); and into the
//! parameter of a function of the unit that it is passed to. It stops at
//! `Py_NewRef`, `Py_INCREF` and their kin (a reference of its own), and at
//! any other call: CPython's calls take their own reference to what they
//! keep, and a call oncevar cannot read is taken to borrow it for the
//! call's duration, as the ownership rules take it for an owned value
//! (counting such a call as a store made the only two such calls among the
//! 30 safe fixes of CPython 3.11.2 and the real-world inputs unsafe, both
//! wrongly: `Py_VISIT` and `_PyObject_CallMethodIdObjArgs` only borrow). A
//! store into process-wide storage with an incref of the storage or of the
//! value in the same function ([`Unit::takes_reference`]) keeps the object
//! alive: the fix changes only which other reference the object has, and
//! is left safe.

use std::collections::HashSet;

use tree_sitter::Node;

use crate::analysis::analyze::FileAnalysis;
use crate::analysis::callgraph::{local_named, CallGraph, EdgeKind, Local};
use crate::analysis::classify::{innermost_name, parameter_name};
use crate::analysis::parse::{self, strip_parens, HasNodeId};
use crate::analysis::scope::SymbolId;
use crate::diagnostic::{Reason, ReasonKind, Span};
use crate::fix::ownership::Unit;
use crate::fix::refcounts;
use crate::scan::source::Source;

/// How many nodes the follow reads for one static before it gives up
/// (and says so: the fix is then unsafe).
const MAX_STEPS: usize = 200_000;

/// A value that is the static's object, with how it got there (clauses for
/// the reason, outermost first).
struct Value<'t> {
    node: Node<'t>,
    how: Vec<String>,
    /// The calls (the innermost last) through whose parameters it entered
    /// the function it is in: a `return` hands it to the last one only.
    calls: Vec<Node<'t>>,
}

/// Why the fix of the static `symbol` (named `name`, read at `references`)
/// would leave a pointer to a freed object in process-wide storage, if it
/// would: the store and the path the value took to it. `None` when every
/// copy of the value stays in the function's locals, goes to calls, or is
/// stored with a reference of its own.
pub(crate) fn kept_reason<'t>(
    file: &FileAnalysis<'_, 't>,
    unit: &Unit<'_, 't>,
    graph: &CallGraph<'t>,
    symbol: SymbolId,
    references: &[Node<'t>],
    name: &str,
) -> Option<Reason> {
    let source = file.source;
    let bytes: &[u8] = &source.bytes;
    let line = |n: Node| source.file_line(n.start_byte());
    let mut pending: Vec<Value<'t>> = references
        .iter()
        .rev()
        .map(|&node| Value {
            node,
            how: Vec::new(),
            calls: Vec::new(),
        })
        .collect();
    // Locals (by their declaration), functions returned from (to all
    // their callers) and calls entered (call, argument position) already
    // followed.
    let mut followed: HashSet<(usize, usize)> = HashSet::new();
    let mut steps = 0usize;
    let is_static =
        |n: Node| n.kind() == "identifier" && file.resolution.refers_to(n.node_id(), symbol);
    while let Some(current) = pending.pop() {
        let (value, how) = (current.node, &current.how);
        let mut node = value;
        for parent in parse::ancestors(value) {
            steps += 1;
            if steps > MAX_STEPS {
                return Some(too_far(name));
            }
            let field = |f: &str| parent.child_by_field_name(f);
            let is = |n: Option<Node>| n.is_some_and(|n| n.id() == node.id());
            match parent.kind() {
                "parenthesized_expression" => {}
                "cast_expression" if is(field("value")) => {}
                "comma_expression" if is(field("right")) => {}
                "conditional_expression" if !is(field("condition")) => {}
                "assignment_expression"
                    if is(field("right")) && field("operator").map(|o| o.kind()) == Some("=") =>
                {
                    let Some(left) = field("left").map(strip_parens) else {
                        break;
                    };
                    if is_static(left) {
                        break;
                    }
                    match storage(left, bytes, graph, &is_static) {
                        Storage::Local(local, at) => {
                            let after = parent.end_byte();
                            let (seen, steps) = (&mut followed, &mut steps);
                            pending.extend(copied(local, at, after, &current, source, seen, steps));
                        }
                        Storage::ProcessWide => {
                            let stored = text(left, bytes).to_owned();
                            let value_text = text(strip_parens(value), bytes).to_owned();
                            if !unit.takes_reference(parent, vec![stored.clone(), value_text]) {
                                let path = if how.is_empty() {
                                    String::new()
                                } else {
                                    format!(", {},", how.join(", "))
                                };
                                return Some(
                                    Reason::new(
                                        ReasonKind::Ownership,
                                        format!(
                                            "`{name}`'s object{path} is stored without a \
                                             reference of its own in `{stored}` (line {}), which \
                                             outlives the interpreter: after the fix each \
                                             interpreter releases its own object when it \
                                             finalises, and `{stored}` would still point at a \
                                             freed one (before, the static kept it alive for \
                                             ever; `Py_NewRef({})` there would keep it alive)",
                                            line(left),
                                            text(strip_parens(value), bytes)
                                        ),
                                    )
                                    .at(&source.display_path, source.location(Span::of(left))),
                                );
                            }
                        }
                        Storage::Other => {}
                    }
                }
                "init_declarator" if is(field("value")) => {
                    // The local this declaration declares (its own name is
                    // in scope from its declarator on).
                    let declaration = parse::ancestors(parent)
                        .next()
                        .filter(|d| d.kind() == "declaration");
                    let scope = declaration.and_then(|d| {
                        parse::ancestors(d)
                            .find(|a| matches!(a.kind(), "compound_statement" | "for_statement"))
                    });
                    let declarator = field("declarator").and_then(innermost_name);
                    let local = match (declarator, scope) {
                        (Some(d), Some(scope)) => Some((d, Local { scope, declaration }))
                            .filter(|(_, l)| l.is_automatic(bytes)),
                        _ => None,
                    };
                    if let Some((d, local)) = local {
                        let after = parent.end_byte();
                        let (seen, steps) = (&mut followed, &mut steps);
                        pending.extend(copied(local, d, after, &current, source, seen, steps));
                    }
                    break;
                }
                "return_statement" => {
                    // Handed back with a reference taken for the caller
                    // (`Py_INCREF(o); return o;`): a new reference.
                    let returned = text(strip_parens(value), bytes).to_owned();
                    if unit.takes_reference(parent, vec![returned]) {
                        break;
                    }
                    let Some(function) = graph.function_at(parent) else {
                        break;
                    };
                    let clause = format!(
                        "returned by `{}` (line {}) without a new reference",
                        graph.functions()[function].name,
                        line(parent)
                    );
                    // Entered through a parameter: back to that call only.
                    if let Some((&call, outer)) = current.calls.split_last() {
                        pending.push(Value {
                            node: call,
                            how: with(how, &clause),
                            calls: outer.to_vec(),
                        });
                        break;
                    }
                    if !followed.insert((graph.functions()[function].node.id(), usize::MAX)) {
                        break;
                    }
                    for (_, edge) in graph.callers(function) {
                        if edge.kind != EdgeKind::Call {
                            continue;
                        }
                        let call = parse::ancestors(edge.site)
                            .next()
                            .filter(|c| c.kind() == "call_expression");
                        if let Some(call) = call {
                            pending.push(Value {
                                node: call,
                                how: with(how, &clause),
                                calls: Vec::new(),
                            });
                        }
                    }
                    break;
                }
                "argument_list" => {
                    let Some(call) = parse::ancestors(parent)
                        .next()
                        .filter(|c| c.kind() == "call_expression")
                    else {
                        break;
                    };
                    let callee = call
                        .child_by_field_name("function")
                        .filter(|f| f.kind() == "identifier");
                    let Some(callee) = callee else {
                        break;
                    };
                    let callee = text(callee, bytes);
                    if refcounts::incref(callee).is_some() {
                        break;
                    }
                    let mut cursor = parent.walk();
                    let position = parent
                        .named_children(&mut cursor)
                        .position(|a| a.id() == node.id());
                    let Some(position) = position else {
                        break;
                    };
                    // Each call entered once: a `return` of the parameter
                    // hands the value back to that call.
                    if !followed.insert((call.id(), position)) {
                        break;
                    }
                    for &function in graph.named(callee) {
                        let definition = graph.functions()[function].node;
                        let Some(parameter) = parameter_name(definition, position) else {
                            continue;
                        };
                        let Some(body) = definition.child_by_field_name("body") else {
                            continue;
                        };
                        let local = Local {
                            scope: body,
                            declaration: None,
                        };
                        let clause = format!(
                            "passed to `{callee}` (line {}) as `{}`",
                            line(parent),
                            text(parameter, bytes)
                        );
                        let mut calls = current.calls.clone();
                        calls.push(call);
                        let entered = Value {
                            node: parameter,
                            how: with(how, &clause),
                            calls,
                        };
                        let after = body.start_byte();
                        pending.extend(reads(local, parameter, after, &entered, bytes, &mut steps));
                    }
                    break;
                }
                _ => break,
            }
            node = parent;
        }
    }
    (steps > MAX_STEPS).then(|| too_far(name))
}

/// The reason of a value followed beyond [`MAX_STEPS`].
fn too_far(name: &str) -> Reason {
    Reason::new(
        ReasonKind::Ownership,
        format!(
            "`{name}`'s object is copied further than oncevar follows (more than {MAX_STEPS} \
             nodes read), so whether a copy outlives the interpreter that would own it after \
             the fix is unknown"
        ),
    )
}

/// `how` with `clause` added.
fn with(how: &[String], clause: &str) -> Vec<String> {
    let mut out = how.to_vec();
    out.push(clause.to_owned());
    out
}

/// The text of a node of the file.
fn text<'s>(node: Node, bytes: &'s [u8]) -> &'s str {
    node.utf8_text(bytes).unwrap_or("")
}

/// Where a write `left = …` puts its value.
enum Storage<'t> {
    /// An automatic local or a parameter, as a whole (its identifier).
    Local(Local<'t>, Node<'t>),
    /// A variable of static storage, a member or element of one, or what a
    /// pointer held in one points at.
    ProcessWide,
    /// Anything else: a member of a local or of an object reached through
    /// a local pointer or a parameter (per-call or per-object memory), a
    /// name the unit does not declare.
    Other,
}

/// Where `left` (parentheses stripped) stores: read through `.` and `->`
/// members, subscripts and `*`, down to the variable named.
fn storage<'t>(
    left: Node<'t>,
    bytes: &[u8],
    graph: &CallGraph<'t>,
    is_static: &dyn Fn(Node) -> bool,
) -> Storage<'t> {
    let mut base = left;
    for _ in 0..crate::fix::ownership::MAX_NESTING {
        base = strip_parens(base);
        let inner = match base.kind() {
            "field_expression" | "subscript_expression" => base.child_by_field_name("argument"),
            "pointer_expression"
                if base.child_by_field_name("operator").map(|o| o.kind()) == Some("*") =>
            {
                base.child_by_field_name("argument")
            }
            _ => None,
        };
        match inner {
            Some(inner) => base = inner,
            None => break,
        }
    }
    if base.kind() != "identifier" || is_static(base) {
        return Storage::Other;
    }
    let name = text(base, bytes);
    match local_named(base, parse::ancestors(base), name, bytes) {
        Some(local) if local.is_automatic(bytes) => {
            if base.id() == left.id() {
                Storage::Local(local, base)
            } else {
                Storage::Other
            }
        }
        Some(_) => Storage::ProcessWide,
        None if graph.declares_variable(name) => Storage::ProcessWide,
        None => Storage::Other,
    }
}

/// The values that the reads of the automatic local `local` after byte
/// `after` are, once per local (`followed`): the static's object, copied to
/// it at `named` from the value `from` (whose path and calls they keep).
fn copied<'t>(
    local: Local<'t>,
    named: Node<'t>,
    after: usize,
    from: &Value<'t>,
    source: &Source,
    followed: &mut HashSet<(usize, usize)>,
    steps: &mut usize,
) -> Vec<Value<'t>> {
    let key = (local.declaration.map_or(local.scope.id(), |d| d.id()), 0);
    if !followed.insert(key) {
        return Vec::new();
    }
    let bytes: &[u8] = &source.bytes;
    let clause = format!(
        "copied to the local `{}` (line {})",
        text(named, bytes),
        source.file_line(named.start_byte())
    );
    let copy = Value {
        node: named,
        how: with(&from.how, &clause),
        calls: from.calls.clone(),
    };
    reads(local, named, after, &copy, bytes, steps)
}

/// The reads of `local` (named as `named` spells it) after byte `after`
/// in its scope, where the name still denotes it (not a local of an inner
/// block that shadows it), as values with the path and calls of `from`;
/// each node of the scope read counts a step.
fn reads<'t>(
    local: Local<'t>,
    named: Node<'t>,
    after: usize,
    from: &Value<'t>,
    bytes: &[u8],
    steps: &mut usize,
) -> Vec<Value<'t>> {
    let name = text(named, bytes);
    let declaration = local.declaration.map(|d| d.id());
    let scope = local.scope.id();
    // Another declaration of the name inside the scope (an inner block's,
    // another `#if` branch's after the local's) hides the local from it to
    // the end of its block. One preorder walk keeps the ends of the blocks
    // open around each node and of the hiding declarations' reach: asking
    // `local_named` (which reads the blocks around a place) for every use
    // of a local used 10,000 times in one body was quadratic (22.5 s).
    // Only a use inside a hiding declaration itself (`int c = c;`) is
    // still asked.
    let declares_name = |d: Node<'t>| {
        let mut cursor = d.walk();
        let again = d
            .children_by_field_name("declarator", &mut cursor)
            .filter(|d| d.kind() != "function_declarator")
            .filter_map(crate::analysis::classify::innermost_name)
            .any(|n| n.utf8_text(bytes) == Ok(name));
        again
    };
    let own_start = local.declaration.map_or(0, |d| d.start_byte());
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    // (start, end) of each hiding declaration, and its block's end.
    let mut hidden: Vec<(usize, usize, usize)> = Vec::new();
    let mut found = Vec::new();
    for n in parse::descendants(local.scope) {
        *steps += 1;
        if *steps > MAX_STEPS {
            break;
        }
        let at = n.start_byte();
        while blocks.last().is_some_and(|&(_, end)| end <= at) {
            blocks.pop();
        }
        while hidden.last().is_some_and(|&(_, _, end)| end <= at) {
            hidden.pop();
        }
        if matches!(n.kind(), "compound_statement" | "for_statement") {
            blocks.push((n.id(), n.end_byte()));
        }
        if n.kind() == "declaration" && Some(n.id()) != declaration && declares_name(n) {
            let (block, end) = blocks.last().copied().unwrap_or((scope, n.end_byte()));
            // In the local's own block, a declaration before the local's
            // is hidden by it (the last one read wins).
            if block != scope || at >= own_start {
                hidden.push((at, n.end_byte(), end));
            }
        }
        if n.kind() == "identifier" && at >= after && n.utf8_text(bytes) == Ok(name) {
            let denotes = match hidden.last() {
                None => true,
                Some(&(start, end, _)) if start <= at && at < end => {
                    local_named(n, parse::ancestors(n), name, bytes).is_some_and(|l| {
                        l.scope.id() == scope && l.declaration.map(|d| d.id()) == declaration
                    })
                }
                Some(_) => false,
            };
            if denotes {
                found.push(Value {
                    node: n,
                    how: from.how.clone(),
                    calls: from.calls.clone(),
                });
            }
        }
    }
    found
}
