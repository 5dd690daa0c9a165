//! Whether a cached object is kept, without a reference of its own, in
//! storage that outlives the interpreter: a variable of static storage (a
//! file-scope variable, a `static` or `extern` local), a member or an
//! element of one, or what a pointer held in one points at
//! (`global_codec.enc = name;`, `table[0] = name;`, `hooks->obj = name;`),
//! or what a pointer reaches that may hold the address of one of those
//! ([`Follow::points_wide`]: a local or parameter holding `&cfg`, a
//! function of the unit returning it, `&cfgs[1]`, a macro naming a static):
//! `c->handler = name;` with `c = &cfg`, `*dst = name;` with `dst =
//! &alias`, `config_get()->handler = name;`.
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
//! parameter of a function of the unit that it is passed to; into the store
//! a function-like macro of the unit expands to around it (`#define
//! REMEMBER(x) (alias = (x))`); and as the source of a `memcpy` (`memcpy(&alias,
//! &cache, sizeof cache)` stores into `alias`). Out of a function with
//! external linkage it goes to the other units of the scan that call it
//! ([`KeptOutside`], decided by the scan with [`kept_in_unit`]). It stops at
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

use std::cell::{OnceCell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use tree_sitter::Node;

use crate::analysis::analyze::FileAnalysis;
use crate::analysis::callgraph::{
    local_named, CallGraph, EdgeKind, FunctionId, Linkage, Local, UnitMacros,
};
use crate::analysis::classify::{innermost_name, parameter_name};
use crate::analysis::parse::{self, strip_parens, HasNodeId};
use crate::analysis::scope::SymbolId;
use crate::diagnostic::{KeptOutside, Reason, ReasonKind, Span};
use crate::fix::ownership::Unit;
use crate::fix::refcounts;

/// How many nodes the follow reads for one static before it gives up
/// (and says so: the fix is then unsafe).
const MAX_STEPS: usize = 200_000;

/// The calls of C's library that copy the bytes their second argument
/// points at to where their first points.
const COPIERS: &[&str] = &["memcpy", "memmove", "__builtin_memcpy", "__builtin_memmove"];

/// The name that stands for the followed value in the argument of a macro
/// invocation, to find where the expansion puts it (the incref reader's).
const MARKER: &str = crate::fix::ownership::increfs::MARK;

/// A value that is the static's object, with how it got there (clauses for
/// the reason, outermost first).
struct Value<'t> {
    node: Node<'t>,
    how: Vec<String>,
    /// The calls (the innermost last) through whose parameters it entered
    /// the function it is in: a `return` hands it to the last one only.
    calls: Vec<Node<'t>>,
}

/// What a follow found.
enum Found<'t> {
    /// The object stored without a reference of its own in storage that
    /// outlives the interpreter: the path (clauses), the storage as
    /// spelled, the node whose line the reason cites, the value as spelled.
    Stored {
        how: Vec<String>,
        stored: String,
        at: Node<'t>,
        value: String,
    },
    /// Followed further than [`MAX_STEPS`] nodes.
    TooFar,
}

/// What the follow reads of a unit, made once per unit and shared by the
/// follows of its statics: the unit's macros, the values each function
/// assigns to its locals and returns, and which pointer values may hold
/// the address of process-wide storage ([`Follow::points_wide`]), each
/// read once (a per-use walk of a body would be quadratic).
pub(crate) struct Places<'s, 't> {
    root: Node<'t>,
    bytes: &'s [u8],
    macros: OnceCell<UnitMacros<'s>>,
    /// Whether an object-like macro's expansion names a file-scope
    /// variable, by name.
    macro_variables: RefCell<HashMap<String, bool>>,
    /// By a function's node id: its locals and what its body assigns.
    locals: RefCell<HashMap<usize, Rc<Locals<'s, 't>>>>,
    /// By a function's node id: the values its `return`s hand back.
    returns: RefCell<HashMap<usize, Rc<Vec<Node<'t>>>>>,
    /// By node id: whether a pointer value, read where no call chain
    /// decides its parameters, may hold a process-wide address.
    wide: RefCell<HashMap<usize, bool>>,
}

impl<'s, 't> Places<'s, 't> {
    /// The places of the unit whose tree is `root`, its text `bytes`.
    pub(crate) fn new(root: Node<'t>, bytes: &'s [u8]) -> Places<'s, 't> {
        Places {
            root,
            bytes,
            macros: OnceCell::new(),
            macro_variables: RefCell::new(HashMap::new()),
            locals: RefCell::new(HashMap::new()),
            returns: RefCell::new(HashMap::new()),
            wide: RefCell::new(HashMap::new()),
        }
    }

    fn macros(&self) -> &UnitMacros<'s> {
        self.macros
            .get_or_init(|| UnitMacros::of(self.root, self.bytes))
    }

    /// Whether `name` is an object-like macro whose expansion names a
    /// file-scope variable of the unit (`#define CFG (&cfg)`).
    fn macro_names_variable(&self, name: &str, graph: &CallGraph) -> bool {
        if let Some(&known) = self.macro_variables.borrow().get(name) {
            return known;
        }
        let macros = self.macros();
        let names = !macros.is_function_like(name)
            && macros
                .expand_each(name, None, &[])
                .into_iter()
                .flatten()
                .flatten()
                .any(|t| t != name && graph.declares_variable(&t));
        self.macro_variables
            .borrow_mut()
            .insert(name.to_owned(), names);
        names
    }

    /// The locals `function`'s body declares and the values it assigns
    /// to each name, read in one walk of the body.
    fn locals(&self, function: Node<'t>) -> Rc<Locals<'s, 't>> {
        if let Some(known) = self.locals.borrow().get(&function.id()) {
            return known.clone();
        }
        let bytes = self.bytes;
        let mut locals = Locals {
            declared: HashMap::new(),
            assigned: HashMap::new(),
        };
        if let Some(body) = function.child_by_field_name("body") {
            for n in parse::descendants(body) {
                if n.kind() == "declaration" {
                    let scope = parse::ancestors(n)
                        .find(|a| matches!(a.kind(), "compound_statement" | "for_statement"))
                        .unwrap_or(body);
                    let local = Local {
                        scope,
                        declaration: Some(n),
                    };
                    let mut cursor = n.walk();
                    for name in n
                        .children_by_field_name("declarator", &mut cursor)
                        .filter(|d| d.kind() != "function_declarator")
                        .filter_map(innermost_name)
                    {
                        let declared = locals.declared.entry(text(name, bytes)).or_default();
                        declared.push((name, local));
                    }
                    continue;
                }
                let (name, value) = match n.kind() {
                    "init_declarator" => (
                        n.child_by_field_name("declarator").and_then(innermost_name),
                        n.child_by_field_name("value"),
                    ),
                    "assignment_expression"
                        if n.child_by_field_name("operator").map(|o| o.kind()) == Some("=") =>
                    {
                        let left = n.child_by_field_name("left").map(strip_parens);
                        (
                            left.filter(|l| l.kind() == "identifier"),
                            n.child_by_field_name("right"),
                        )
                    }
                    _ => continue,
                };
                if let (Some(name), Some(value)) = (name, value) {
                    locals
                        .assigned
                        .entry(text(name, bytes))
                        .or_default()
                        .push(value);
                }
            }
        }
        let locals = Rc::new(locals);
        self.locals
            .borrow_mut()
            .insert(function.id(), locals.clone());
        locals
    }

    /// The local or parameter `name` denotes at `place` in the function
    /// around it, with the node that declares its name: of the body's
    /// declarations of the name ([`Places::locals`], one read of the body,
    /// not one per use), the last one before `place` whose block holds it,
    /// else a parameter; `None` at file scope or for a name the function
    /// does not declare.
    fn local(&self, name: &str, place: Node<'t>) -> Option<(Node<'t>, Local<'t>)> {
        let function = parse::enclosing_function(place)?;
        let at = place.start_byte();
        let locals = self.locals(function);
        let declared = locals.declared.get(name).into_iter().flatten();
        let found = declared
            .filter(|(named, local)| {
                (named.end_byte() <= at || named.id() == place.id())
                    && local.scope.start_byte() <= at
                    && at < local.scope.end_byte()
            })
            .max_by_key(|(named, _)| named.start_byte());
        if let Some(found) = found {
            return Some(*found);
        }
        let body = function.child_by_field_name("body")?;
        let parameter = (0..)
            .map_while(|i| parameter_name(function, i))
            .find(|p| text(*p, self.bytes) == name)?;
        Some((
            parameter,
            Local {
                scope: body,
                declaration: None,
            },
        ))
    }

    /// What the identifier `node` names, as [`Follow::points_wide`] reads
    /// it ([`Places::local`]), else a file-scope variable or a macro naming
    /// one.
    fn variable(&self, node: Node<'t>, graph: &CallGraph) -> Variable<'t> {
        let name = text(node, self.bytes);
        if let Some((_, local)) = self.local(name, node) {
            let Some(function) = parse::enclosing_function(node) else {
                return Variable::Unknown;
            };
            if local.declaration.is_none() {
                let position = (0..)
                    .map_while(|i| parameter_name(function, i))
                    .position(|p| text(p, self.bytes) == name);
                return match position {
                    Some(position) => Variable::Parameter(function, position),
                    None => Variable::Unknown,
                };
            }
            return if local.is_automatic(self.bytes) {
                Variable::Automatic(function)
            } else {
                Variable::ProcessWide
            };
        }
        if graph.declares_variable(name) || self.macro_names_variable(name, graph) {
            Variable::ProcessWide
        } else {
            Variable::Unknown
        }
    }

    /// The values `function`'s `return`s hand back.
    fn returns(&self, function: Node<'t>) -> Rc<Vec<Node<'t>>> {
        if let Some(known) = self.returns.borrow().get(&function.id()) {
            return known.clone();
        }
        let values: Vec<Node<'t>> = function
            .child_by_field_name("body")
            .into_iter()
            .flat_map(parse::descendants)
            .filter(|n| n.kind() == "return_statement")
            .filter_map(|r| {
                let mut cursor = r.walk();
                let value = r
                    .named_children(&mut cursor)
                    .find(|c| c.kind() != "comment");
                value
            })
            .collect();
        let values = Rc::new(values);
        self.returns
            .borrow_mut()
            .insert(function.id(), values.clone());
        values
    }
}

/// The follow of one value through one unit.
struct Follow<'r, 's, 't> {
    places: &'r Places<'s, 't>,
    graph: &'r CallGraph<'t>,
    /// Whether an identifier names the static followed (a store into it is
    /// its own slot's).
    is_static: &'r dyn Fn(Node<'t>) -> bool,
    /// Whether the function around a store (the node) takes a reference
    /// to one of the names (the storage, the value).
    takes_reference: &'r dyn Fn(Node<'t>, Vec<String>) -> bool,
    /// Where a node is, for the reason (`line 7`, `b.c, line 7`).
    place: &'r dyn Fn(Node<'t>) -> String,
}

/// Why the fix of the static `symbol` (named `name`, read at `references`)
/// would leave a pointer to a freed object in process-wide storage, if it
/// would: the store and the path the value took to it. `None` when every
/// copy of the value stays in the function's locals, goes to calls, or is
/// stored with a reference of its own. With it, the functions with
/// external linkage that return the value as it is: what the other units
/// of the scan that call them do with it is for the scan to tell
/// ([`Fix::kept_outside`](crate::diagnostic::Fix::kept_outside)).
pub(crate) fn kept_reason<'t>(
    file: &FileAnalysis<'_, 't>,
    unit: &Unit<'_, 't>,
    graph: &CallGraph<'t>,
    places: &Places<'_, 't>,
    symbol: SymbolId,
    references: &[Node<'t>],
    name: &str,
) -> (Option<Reason>, Vec<KeptOutside>) {
    let source = file.source;
    let is_static =
        |n: Node| n.kind() == "identifier" && file.resolution.refers_to(n.node_id(), symbol);
    let takes_reference = |store: Node<'t>, names: Vec<String>| unit.takes_reference(store, names);
    let place = |n: Node| format!("line {}", source.file_line(n.start_byte()));
    let follow = Follow {
        places,
        graph,
        is_static: &is_static,
        takes_reference: &takes_reference,
        place: &place,
    };
    let starts = references
        .iter()
        .rev()
        .map(|&node| Value {
            node,
            how: Vec::new(),
            calls: Vec::new(),
        })
        .collect();
    let mut outside = Vec::new();
    let found = follow.run(starts, &mut outside);
    let reason = found.map(|found| match found {
        Found::Stored {
            how,
            stored,
            at,
            value,
        } => Reason::new(
            ReasonKind::Ownership,
            stored_message(name, &how, &stored, &place(at), &value),
        )
        .at(&source.display_path, source.location(Span::of(at))),
        Found::TooFar => too_far(name),
    });
    let outside = if reason.is_some() {
        Vec::new()
    } else {
        outside
            .into_iter()
            .map(|(function, how)| KeptOutside {
                function,
                variable: name.to_owned(),
                how,
            })
            .collect()
    };
    (reason, outside)
}

/// What the units of the scan that call the functions `names` (defined
/// in none of them: another unit's functions with external linkage) do
/// with the value each call returns, followed as [`kept_reason`] follows
/// a static's reads: the first store without a reference of its own into
/// storage that outlives the interpreter, for each name whose calls make
/// one; a function of this unit with external linkage that returns the
/// value on (to ask further); [`Found::TooFar`] when the follow reads too
/// far. `place` says where a node of the unit is (`b.c, line 4`).
pub(crate) fn kept_in_unit<'t>(
    root: Node<'t>,
    bytes: &[u8],
    graph: &CallGraph<'t>,
    names: &[String],
    place: &dyn Fn(Node<'t>) -> String,
) -> Vec<(String, KeptFound)> {
    let places = Places::new(root, bytes);
    let is_static = |_: Node| false;
    let takes_reference = |store: Node<'t>, names: Vec<String>| {
        let Some(body) =
            parse::enclosing_function(store).and_then(|f| f.child_by_field_name("body"))
        else {
            return false;
        };
        names.iter().any(|n| {
            crate::fix::ownership::increfed_between(
                body,
                n,
                body.start_byte(),
                body.end_byte(),
                bytes,
            )
        })
    };
    let follow = Follow {
        places: &places,
        graph,
        is_static: &is_static,
        takes_reference: &takes_reference,
        place,
    };
    let asked: Vec<&String> = names.iter().filter(|n| graph.named(n).is_empty()).collect();
    if asked.is_empty() {
        return Vec::new();
    }
    let mut calls: HashMap<&str, Vec<Node<'t>>> = HashMap::new();
    for call in parse::calls_in(root) {
        let callee = call
            .child_by_field_name("function")
            .filter(|f| f.kind() == "identifier")
            .map(|f| text(f, bytes));
        if let Some(name) = callee.and_then(|c| asked.iter().find(|n| n.as_str() == c)) {
            calls.entry(name.as_str()).or_default().push(call);
        }
    }
    let mut out = Vec::new();
    for (name, calls) in calls {
        let starts = calls
            .into_iter()
            .rev()
            .map(|node| Value {
                node,
                how: Vec::new(),
                calls: Vec::new(),
            })
            .collect();
        let mut outside = Vec::new();
        match follow.run(starts, &mut outside) {
            Some(Found::Stored {
                how,
                stored,
                at,
                value,
            }) => out.push((
                name.to_owned(),
                KeptFound::Stored {
                    how,
                    stored,
                    place: place(at),
                    value,
                },
            )),
            Some(Found::TooFar) => out.push((name.to_owned(), KeptFound::TooFar)),
            None => {
                out.extend(outside.into_iter().map(|(function, how)| {
                    (name.to_owned(), KeptFound::Returned { function, how })
                }))
            }
        }
    }
    out
}

/// What a unit calling another unit's function does with the value it
/// returns ([`kept_in_unit`]).
#[derive(Clone, Debug)]
pub(crate) enum KeptFound {
    /// Stored without a reference of its own into storage that outlives
    /// the interpreter: the path in the unit, the storage, where, the
    /// value as spelled.
    Stored {
        how: Vec<String>,
        stored: String,
        place: String,
        value: String,
    },
    /// Returned as it is by `function`, which has external linkage.
    Returned { function: String, how: Vec<String> },
    /// Followed too far.
    TooFar,
    /// The unit could not be read (why).
    Unread(String),
}

/// The reason's text for `name`'s object stored along `how` in `stored`
/// (at `place`) as `value`.
pub(crate) fn stored_message(
    name: &str,
    how: &[String],
    stored: &str,
    place: &str,
    value: &str,
) -> String {
    let path = if how.is_empty() {
        String::new()
    } else {
        format!(", {},", how.join(", "))
    };
    format!(
        "`{name}`'s object{path} is stored without a reference of its own in `{stored}` \
         ({place}), which outlives the interpreter: after the fix each interpreter releases \
         its own object when it finalises, and `{stored}` would still point at a freed one \
         (before, the static kept it alive for ever; `Py_NewRef({value})` there would keep \
         it alive)"
    )
}

impl<'t> Follow<'_, '_, 't> {
    /// Follows `pending` (the values that are the object) to the first
    /// store that keeps it without a reference; the functions with
    /// external linkage returning it go to `outside` (name, path).
    fn run(
        &self,
        mut pending: Vec<Value<'t>>,
        outside: &mut Vec<(String, Vec<String>)>,
    ) -> Option<Found<'t>> {
        let bytes = self.places.bytes;
        let graph = self.graph;
        // Locals (by their declaration), functions returned from (to all
        // their callers) and calls entered (call, argument position) already
        // followed.
        let mut followed: HashSet<(usize, usize)> = HashSet::new();
        let mut steps = 0usize;
        while let Some(current) = pending.pop() {
            let (value, how) = (current.node, &current.how);
            let mut node = value;
            for parent in parse::ancestors(value) {
                steps += 1;
                if steps > MAX_STEPS {
                    return Some(Found::TooFar);
                }
                let field = |f: &str| parent.child_by_field_name(f);
                let is = |n: Option<Node>| n.is_some_and(|n| n.id() == node.id());
                match parent.kind() {
                    "parenthesized_expression" => {}
                    "cast_expression" if is(field("value")) => {}
                    "comma_expression" if is(field("right")) => {}
                    "conditional_expression" if !is(field("condition")) => {}
                    "assignment_expression"
                        if is(field("right"))
                            && field("operator").map(|o| o.kind()) == Some("=") =>
                    {
                        let Some(left) = field("left").map(strip_parens) else {
                            break;
                        };
                        if (self.is_static)(left) {
                            break;
                        }
                        let storage = self.storage(left, &current.calls, &mut steps);
                        let store = Store {
                            stored: text(left, bytes).to_owned(),
                            at: left,
                            around: parent,
                            value: text(strip_parens(value), bytes).to_owned(),
                            via: None,
                        };
                        let seen = (&mut followed, &mut steps);
                        if let Some(found) =
                            self.store(storage, store, &current, seen, &mut pending)
                        {
                            return Some(found);
                        }
                    }
                    "init_declarator" if is(field("value")) => {
                        // The local this declaration declares (its own name is
                        // in scope from its declarator on).
                        let declaration = parse::ancestors(parent)
                            .next()
                            .filter(|d| d.kind() == "declaration");
                        let scope = declaration.and_then(|d| {
                            parse::ancestors(d).find(|a| {
                                matches!(a.kind(), "compound_statement" | "for_statement")
                            })
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
                            pending.extend(self.copied(local, d, after, &current, seen, steps));
                        }
                        break;
                    }
                    "return_statement" => {
                        // Handed back with a reference taken for the caller
                        // (`Py_INCREF(o); return o;`): a new reference.
                        let returned = text(strip_parens(value), bytes).to_owned();
                        if (self.takes_reference)(parent, vec![returned]) {
                            break;
                        }
                        let Some(function) = graph.function_at(parent) else {
                            break;
                        };
                        let clause = format!(
                            "returned by `{}` ({}) without a new reference",
                            graph.functions()[function].name,
                            (self.place)(parent)
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
                        // Other units may call it: the scan asks them.
                        if graph.functions()[function].linkage == Linkage::External {
                            outside.push((
                                graph.functions()[function].name.clone(),
                                with(how, &clause),
                            ));
                        }
                        for call in calls_of(graph, function) {
                            pending.push(Value {
                                node: call,
                                how: with(how, &clause),
                                calls: Vec::new(),
                            });
                        }
                        break;
                    }
                    "pointer_expression"
                        if field("operator").map(|o| o.kind()) == Some("&")
                            && is(field("argument")) =>
                    {
                        // `memcpy(&alias, &cache, sizeof cache)`: a store
                        // into what the first argument points at.
                        if let Some(found) = self.copied_by_call(
                            parent,
                            value,
                            &current,
                            (&mut followed, &mut steps),
                            &mut pending,
                        ) {
                            return Some(found);
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
                            .filter(|a| a.kind() != "comment")
                            .position(|a| a.id() == node.id());
                        let Some(position) = position else {
                            break;
                        };
                        // Each call entered once: a `return` of the parameter
                        // hands the value back to that call.
                        if !followed.insert((call.id(), position)) {
                            break;
                        }
                        if graph.named(callee).is_empty() {
                            let seen = (&mut followed, &mut steps);
                            let found = self.macro_store(
                                call,
                                parent,
                                position,
                                callee,
                                &current,
                                seen,
                                &mut pending,
                            );
                            if found.is_some() {
                                return found;
                            }
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
                                "passed to `{callee}` ({}) as `{}`",
                                (self.place)(parent),
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
                            pending.extend(reads(
                                local, parameter, after, &entered, bytes, &mut steps,
                            ));
                        }
                        break;
                    }
                    _ => break,
                }
                node = parent;
            }
        }
        (steps > MAX_STEPS).then_some(Found::TooFar)
    }

    /// What a store of the value into `storage` does: a local starts a
    /// copy to follow (into `pending`); process-wide storage with no
    /// reference taken beside it is found.
    fn store(
        &self,
        storage: Storage<'t>,
        store: Store<'t>,
        current: &Value<'t>,
        (followed, steps): (&mut HashSet<(usize, usize)>, &mut usize),
        pending: &mut Vec<Value<'t>>,
    ) -> Option<Found<'t>> {
        match storage {
            Storage::Local(local, named) => {
                let after = store.around.end_byte();
                pending.extend(self.copied(local, named, after, current, followed, steps));
                None
            }
            Storage::ProcessWide => {
                let names = vec![store.stored.clone(), store.value.clone()];
                if (self.takes_reference)(store.around, names) {
                    return None;
                }
                let how = match &store.via {
                    Some(via) => with(&current.how, via),
                    None => current.how.clone(),
                };
                Some(Found::Stored {
                    how,
                    stored: store.stored,
                    at: store.at,
                    value: store.value,
                })
            }
            Storage::Other => None,
            Storage::TooFar => Some(Found::TooFar),
        }
    }

    /// The value's address `address` (`&cache`, `&v`) given as the source
    /// of a copier ([`COPIERS`]): the bytes go where the first argument
    /// points (`&alias`: into `alias`; a pointer: what it may point at).
    fn copied_by_call(
        &self,
        address: Node<'t>,
        value: Node<'t>,
        current: &Value<'t>,
        seen: (&mut HashSet<(usize, usize)>, &mut usize),
        pending: &mut Vec<Value<'t>>,
    ) -> Option<Found<'t>> {
        let bytes = self.places.bytes;
        let mut node = address;
        let list = parse::ancestors(address).find(|a| {
            if a.kind() == "parenthesized_expression" || a.kind() == "cast_expression" {
                node = *a;
                false
            } else {
                true
            }
        })?;
        if list.kind() != "argument_list" {
            return None;
        }
        let call = parse::ancestors(list)
            .next()
            .filter(|c| c.kind() == "call_expression")?;
        let callee = call.child_by_field_name("function")?;
        if !COPIERS.contains(&text(callee, bytes)) {
            return None;
        }
        let mut cursor = list.walk();
        let arguments: Vec<Node<'t>> = list
            .named_children(&mut cursor)
            .filter(|a| a.kind() != "comment")
            .collect();
        if arguments.get(1).map(|a| a.id()) != Some(node.id()) {
            return None;
        }
        let destination = strip_parens(arguments[0]);
        let (seen, steps) = seen;
        let (storage, stored) = match destination.kind() {
            "pointer_expression"
                if destination
                    .child_by_field_name("operator")
                    .map(|o| o.kind())
                    == Some("&") =>
            {
                let left = strip_parens(destination.child_by_field_name("argument")?);
                if (self.is_static)(left) {
                    return None;
                }
                (
                    self.storage(left, &current.calls, steps),
                    text(left, bytes).to_owned(),
                )
            }
            _ => {
                let storage = match self.points_wide(destination, &current.calls, steps) {
                    None => Storage::TooFar,
                    Some(true) => Storage::ProcessWide,
                    Some(false) => Storage::Other,
                };
                (storage, format!("*{}", text(destination, bytes)))
            }
        };
        let store = Store {
            stored,
            at: destination,
            around: call,
            value: text(strip_parens(value), bytes).to_owned(),
            via: Some(format!(
                "copied by `{}` ({})",
                text(callee, bytes),
                (self.place)(call)
            )),
        };
        self.store(storage, store, current, (seen, steps), pending)
    }

    /// The value given at `position` of `call` (its `list`) to `callee`,
    /// a function-like macro of the unit: where its expansion assigns the
    /// argument (`#define REMEMBER(x) (alias = (x))`, through the macros it
    /// invokes), stored as [`Follow::store`] decides.
    #[allow(clippy::too_many_arguments)]
    fn macro_store(
        &self,
        call: Node<'t>,
        list: Node<'t>,
        position: usize,
        callee: &str,
        current: &Value<'t>,
        (followed, steps): (&mut HashSet<(usize, usize)>, &mut usize),
        pending: &mut Vec<Value<'t>>,
    ) -> Option<Found<'t>> {
        let bytes = self.places.bytes;
        let macros = self.places.macros();
        if !macros.is_function_like(callee) {
            return None;
        }
        let mut cursor = list.walk();
        let arguments: Vec<&str> = list
            .named_children(&mut cursor)
            .filter(|a| a.kind() != "comment")
            .enumerate()
            .map(|(i, a)| {
                if i == position {
                    MARKER
                } else {
                    text(a, bytes)
                }
            })
            .collect();
        let value = argument(call, position)
            .map_or("", |a| text(strip_parens(a), bytes))
            .to_owned();
        let invocation = format!("({})", arguments.join(", "));
        for tokens in macros
            .expand_each(callee, Some(&invocation), &[])
            .into_iter()
            .flatten()
        {
            for at in (0..tokens.len()).filter(|&i| tokens[i] == MARKER) {
                let Some(lvalue) = assigned_to(&tokens, at) else {
                    continue;
                };
                let Some(base) = lvalue.iter().find(|t| is_word(t)) else {
                    continue;
                };
                let whole = lvalue.iter().filter(|t| *t != "(" && *t != ")").count() == 1;
                let deref = lvalue.iter().any(|t| matches!(t.as_str(), ">" | "*" | "["));
                let storage = self.storage_of(base, call, whole, deref, &current.calls, steps);
                let store = Store {
                    stored: lvalue.concat(),
                    at: call,
                    around: call,
                    value: value.clone(),
                    via: Some(format!(
                        "given to the macro `{callee}` ({})",
                        (self.place)(call)
                    )),
                };
                let found = self.store(storage, store, current, (followed, steps), pending);
                if found.is_some() {
                    return found;
                }
            }
        }
        None
    }

    /// Where `left` (parentheses stripped) stores: read through `.` and
    /// `->` members, subscripts and `*`, down to the variable named, or the
    /// pointer it is reached through.
    fn storage(&self, left: Node<'t>, calls: &[Node<'t>], steps: &mut usize) -> Storage<'t> {
        let (base, deref) = base_of(left);
        match base.kind() {
            "identifier" if !(self.is_static)(base) => {
                let name = text(base, self.places.bytes);
                let whole = base.id() == left.id();
                self.storage_of(name, base, whole, deref, calls, steps)
            }
            // `config_get()->handler`: a function returning `&cfg`.
            "call_expression" if deref => match self.points_wide(base, calls, steps) {
                None => Storage::TooFar,
                Some(true) => Storage::ProcessWide,
                Some(false) => Storage::Other,
            },
            _ => Storage::Other,
        }
    }

    /// Where a store through the variable `name`, as read at `place`,
    /// goes: `whole` when the store is to the variable itself, `deref` when
    /// it goes through a pointer (`->`, `*`, a subscript). `place` is the
    /// identifier, or the macro invocation whose expansion names it.
    fn storage_of(
        &self,
        name: &str,
        place: Node<'t>,
        whole: bool,
        deref: bool,
        calls: &[Node<'t>],
        steps: &mut usize,
    ) -> Storage<'t> {
        let bytes = self.places.bytes;
        match self.places.local(name, place) {
            Some((named, local)) if local.is_automatic(bytes) => {
                // Read as the identifier itself where one spells it, else
                // as the name its declaration spells.
                let named = if place.kind() == "identifier" {
                    place
                } else {
                    named
                };
                if whole {
                    Storage::Local(local, named)
                } else if !deref {
                    // A member of a local struct: per call.
                    Storage::Other
                } else {
                    match self.points_wide(named, calls, steps) {
                        None => Storage::TooFar,
                        Some(true) => Storage::ProcessWide,
                        Some(false) => Storage::Other,
                    }
                }
            }
            Some(_) => Storage::ProcessWide,
            None if self.graph.declares_variable(name)
                || self.places.macro_names_variable(name, self.graph) =>
            {
                Storage::ProcessWide
            }
            None => Storage::Other,
        }
    }

    /// Whether the pointer value `start` (read in the context of `calls`,
    /// as [`Value::calls`]) may hold the address of storage that outlives
    /// the interpreter: `&` of a variable of static storage or of what such
    /// a pointer reaches, a static pointer or array, pointer arithmetic on
    /// one, an automatic local assigned one anywhere in its function, a
    /// parameter given one (by the call of `calls` it entered through, else
    /// by any call of the unit), a function of the unit returning one, an
    /// object-like macro naming a file-scope variable. `None` past
    /// [`MAX_STEPS`]. One walk, each node once; answers read without a
    /// call chain are kept for the unit.
    fn points_wide(&self, start: Node<'t>, calls: &[Node<'t>], steps: &mut usize) -> Option<bool> {
        // (node, its call chain, the index in `trail` of what led to it).
        let mut pending: Vec<(Node<'t>, Vec<Node<'t>>, usize)> =
            vec![(start, calls.to_vec(), usize::MAX)];
        let mut seen: HashSet<(usize, usize)> = HashSet::new();
        // (node id, the index of what led to it, read with no chain).
        let mut trail: Vec<(usize, usize, bool)> = Vec::new();
        let mut wide_at: Option<usize> = None;
        while let Some((node, calls, from)) = pending.pop() {
            *steps += 1;
            if *steps > MAX_STEPS {
                return None;
            }
            let node = strip_parens(node);
            if !seen.insert((node.id(), calls.len())) {
                continue;
            }
            let index = trail.len();
            trail.push((node.id(), from, calls.is_empty()));
            if calls.is_empty() {
                if let Some(&known) = self.places.wide.borrow().get(&node.id()) {
                    if known {
                        wide_at = Some(index);
                        break;
                    }
                    continue;
                }
            }
            let mut next = Vec::new();
            if self.wide_step(node, &calls, &mut next) {
                wide_at = Some(index);
                break;
            }
            pending.extend(next.into_iter().map(|(n, c)| (n, c, index)));
        }
        let mut wide = self.places.wide.borrow_mut();
        match wide_at {
            // What led there reaches it.
            Some(mut at) => {
                while at != usize::MAX {
                    let (id, from, free) = trail[at];
                    if free {
                        wide.insert(id, true);
                    }
                    at = from;
                }
                Some(true)
            }
            // Everything read reaches nothing process-wide.
            None => {
                for &(id, _, free) in &trail {
                    if free {
                        wide.insert(id, false);
                    }
                }
                Some(false)
            }
        }
    }

    /// One step of [`Follow::points_wide`] at `node` (read in the context
    /// of `calls`): `true` when it holds a process-wide address itself;
    /// what it may hold otherwise goes to `next`.
    fn wide_step(
        &self,
        node: Node<'t>,
        calls: &[Node<'t>],
        next: &mut Vec<(Node<'t>, Vec<Node<'t>>)>,
    ) -> bool {
        let bytes = self.places.bytes;
        let graph = self.graph;
        let operator = || {
            node.child_by_field_name("operator")
                .map(|o| o.kind())
                .unwrap_or("")
        };
        match node.kind() {
            "pointer_expression" => {
                let Some(argument) = node.child_by_field_name("argument") else {
                    return false;
                };
                if operator() != "&" {
                    // `*pp`: a pointer read from where `pp` points.
                    next.push((argument, calls.to_vec()));
                    return false;
                }
                let (base, deref) = base_of(strip_parens(argument));
                if deref {
                    next.push((base, calls.to_vec()));
                    return false;
                }
                if base.kind() != "identifier" || (self.is_static)(base) {
                    return false;
                }
                matches!(self.places.variable(base, graph), Variable::ProcessWide)
            }
            "identifier" => {
                if (self.is_static)(node) {
                    return false;
                }
                let (function, position) = match self.places.variable(node, graph) {
                    Variable::ProcessWide => return true,
                    Variable::Unknown => return false,
                    Variable::Automatic(function) => {
                        let name = text(node, bytes);
                        let locals = self.places.locals(function);
                        for &value in locals.assigned.get(name).into_iter().flatten() {
                            next.push((value, calls.to_vec()));
                        }
                        return false;
                    }
                    Variable::Parameter(function, position) => (function, position),
                };
                // A parameter: what the call it entered through gives, else
                // what each call of the unit gives.
                let Some(id) = graph.function_at(function) else {
                    return false;
                };
                if let Some((&call, outer)) = calls.split_last() {
                    let callee = call
                        .child_by_field_name("function")
                        .map_or("", |f| text(f, bytes));
                    if graph.named(callee).contains(&id) {
                        if let Some(argument) = argument(call, position) {
                            next.push((argument, outer.to_vec()));
                        }
                        return false;
                    }
                }
                for call in calls_of(graph, id) {
                    next.extend(argument(call, position).map(|a| (a, Vec::new())));
                }
                false
            }
            "binary_expression" if matches!(operator(), "+" | "-") => {
                next.extend(
                    [
                        node.child_by_field_name("left"),
                        node.child_by_field_name("right"),
                    ]
                    .into_iter()
                    .flatten()
                    .map(|n| (n, calls.to_vec())),
                );
                false
            }
            "conditional_expression" => {
                next.extend(
                    [
                        node.child_by_field_name("consequence"),
                        node.child_by_field_name("alternative"),
                    ]
                    .into_iter()
                    .flatten()
                    .map(|n| (n, calls.to_vec())),
                );
                false
            }
            "comma_expression" => {
                next.extend(
                    node.child_by_field_name("right")
                        .map(|n| (n, calls.to_vec())),
                );
                false
            }
            "call_expression" => {
                let callee = node
                    .child_by_field_name("function")
                    .filter(|f| f.kind() == "identifier")
                    .map_or("", |f| text(f, bytes));
                for &function in graph.named(callee) {
                    let definition = graph.functions()[function].node;
                    let mut inner = calls.to_vec();
                    inner.push(node);
                    for &value in self.places.returns(definition).iter() {
                        next.push((value, inner.clone()));
                    }
                }
                false
            }
            // A pointer read from a member or element: where the base is.
            "field_expression" | "subscript_expression" => {
                next.push((base_of(node).0, calls.to_vec()));
                false
            }
            _ => false,
        }
    }

    /// The values that the reads of the automatic local `local` after byte
    /// `after` are, once per local (`followed`): the static's object, copied
    /// to it at `named` from the value `from` (whose path and calls they
    /// keep).
    fn copied(
        &self,
        local: Local<'t>,
        named: Node<'t>,
        after: usize,
        from: &Value<'t>,
        followed: &mut HashSet<(usize, usize)>,
        steps: &mut usize,
    ) -> Vec<Value<'t>> {
        let key = (local.declaration.map_or(local.scope.id(), |d| d.id()), 0);
        if !followed.insert(key) {
            return Vec::new();
        }
        let bytes = self.places.bytes;
        let clause = format!(
            "copied to the local `{}` ({})",
            text(named, bytes),
            (self.place)(named)
        );
        let copy = Value {
            node: named,
            how: with(&from.how, &clause),
            calls: from.calls.clone(),
        };
        reads(local, named, after, &copy, bytes, steps)
    }
}

/// What a function's body declares and assigns ([`Places::locals`]).
struct Locals<'s, 't> {
    /// Each name the body's declarations declare: each declaration with
    /// its name's node and the block that scopes it, in source order.
    declared: HashMap<&'s str, Vec<(Node<'t>, Local<'t>)>>,
    /// The values given to each name: initialisers, the right of `name =
    /// …`.
    assigned: HashMap<&'s str, Vec<Node<'t>>>,
}

/// What an identifier names, for [`Follow::points_wide`].
enum Variable<'t> {
    /// A local of the function, each call its own.
    Automatic(Node<'t>),
    /// The parameter at a position of the function.
    Parameter(Node<'t>, usize),
    /// A variable of static storage (file scope, `static` or `extern`
    /// local) or a macro naming one.
    ProcessWide,
    /// Nothing the unit declares.
    Unknown,
}

/// A store of the followed value, for [`Follow::store`].
struct Store<'t> {
    /// The storage as spelled.
    stored: String,
    /// The node whose line the reason cites.
    at: Node<'t>,
    /// The expression that stores (its function is asked for an incref;
    /// a local copy holds from its end).
    around: Node<'t>,
    /// The value as spelled.
    value: String,
    /// How it got there beyond the value's path (a macro, a copier).
    via: Option<String>,
}

/// The calls of `function` in the unit (a call edge's `f(…)`).
fn calls_of<'g, 't>(
    graph: &'g CallGraph<'t>,
    function: FunctionId,
) -> impl Iterator<Item = Node<'t>> + 'g {
    graph.callers(function).filter_map(|(_, edge)| {
        (edge.kind == EdgeKind::Call)
            .then(|| parse::ancestors(edge.site).next())
            .flatten()
            .filter(|c| c.kind() == "call_expression")
    })
}

/// The argument at `position` of `call`.
fn argument(call: Node, position: usize) -> Option<Node> {
    let list = call.child_by_field_name("arguments")?;
    let mut cursor = list.walk();
    let found = list
        .named_children(&mut cursor)
        .filter(|a| a.kind() != "comment")
        .nth(position);
    found
}

/// The variable (or call) an lvalue or pointer value is read from, through
/// parentheses, `.` and `->` members, subscripts and `*`, with whether the
/// way goes through a pointer (`->`, `*`, a subscript); bounded by
/// [`MAX_NESTING`](crate::fix::ownership::MAX_NESTING).
fn base_of(node: Node) -> (Node, bool) {
    let mut base = node;
    let mut deref = false;
    for _ in 0..crate::fix::ownership::MAX_NESTING {
        base = strip_parens(base);
        let inner = match base.kind() {
            "field_expression" => {
                deref |= base.child_by_field_name("operator").map(|o| o.kind()) == Some("->");
                base.child_by_field_name("argument")
            }
            "subscript_expression" => {
                deref = true;
                base.child_by_field_name("argument")
            }
            "pointer_expression" => match base.child_by_field_name("operator").map(|o| o.kind()) {
                Some("*") => {
                    deref = true;
                    base.child_by_field_name("argument")
                }
                // `*&alias`: `alias` itself.
                Some("&") if deref => {
                    deref = false;
                    base.child_by_field_name("argument")
                }
                _ => None,
            },
            _ => None,
        };
        match inner {
            Some(inner) => base = inner,
            None => break,
        }
    }
    (strip_parens(base), deref)
}

/// The tokens of the lvalue that the expansion `tokens` (single-character
/// punctuators: `->` is `-` `>`) assigns the token at `at` to (`alias = (
/// x )`, `( * dst ) = x`, `c -> handler = x`), when it does: a plain `=`,
/// not `==`, `<=` or a compound assignment.
fn assigned_to(tokens: &[String], at: usize) -> Option<&[String]> {
    let mut start = at;
    while start > 0 && tokens[start - 1] == "(" {
        start -= 1;
    }
    if start < 2 || tokens[start - 1] != "=" {
        return None;
    }
    let end = start - 1;
    let before = tokens[end - 1].as_str();
    if !(is_word(before) || before == ")" || before == "]") {
        return None;
    }
    let mut depth = 0usize;
    let mut first = end;
    while first > 0 {
        let token = tokens[first - 1].as_str();
        match token {
            ")" | "]" => depth += 1,
            "(" | "[" if depth > 0 => depth -= 1,
            _ if depth > 0 => {}
            // `->`
            ">" if first >= 2 && tokens[first - 2] == "-" => first -= 1,
            "." | "*" | "&" => {}
            _ if is_word(token) => {}
            _ => break,
        }
        first -= 1;
    }
    (first < end).then(|| &tokens[first..end])
}

/// Whether a preprocessing token is an identifier (not a number or a
/// punctuator).
fn is_word(token: &str) -> bool {
    token
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
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
    /// pointer that may hold the address of one points at.
    ProcessWide,
    /// Anything else: a member of a local, what a pointer to per-call or
    /// per-object memory points at, a name the unit does not declare.
    Other,
    /// Whether the pointer may hold a process-wide address was read too far.
    TooFar,
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
