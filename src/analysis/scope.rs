//! Scope resolution: which identifier refers to which candidate static.
//! C's rules, as far as they matter here: a block, a `for`, a function's
//! parameters and a prototype's parameter list open scopes; a declaration
//! binds its name from its declarator on; an inner binding of the same name
//! (a local, a parameter) shadows the static. Struct fields (`x.v`, `x->v`)
//! are `field_identifier` nodes and never resolve. Nor do the names that
//! C's lookup never takes for a variable, though tree-sitter reads them as
//! `identifier`s: an attribute's name (`__attribute__((cold))`,
//! `[[gnu::cold]]`, `__declspec(noinline)`), a label an `asm goto` jumps to
//! or `&&` takes, an `asm` operand's symbolic name, and a K&R definition's
//! parameter names (bound by the declarations after them). A typedef in a
//! block shadows the static there as a local does.
//!
//! The branches of one `#if`/`#elif`/`#else` chain are never compiled
//! together: a declaration in one branch is a variable of its own, which
//! only that branch's code (and the code after the chain) sees. After the
//! chain, a name bound in several branches (or in one, with an outer
//! binding that the others leave visible) may be any of them: such a
//! reference belongs to each of those variables ([`Resolution::shared`]),
//! and a binding that is not a candidate among them (a local, a parameter)
//! makes it [`Resolution::ambiguous`].

use std::collections::{HashMap, HashSet};

use tree_sitter::{Node, Tree};

use crate::analysis::candidates::Candidate;
use crate::analysis::parse::{HasNodeId, NodeId};

/// Index into `Resolution::symbols`.
pub type SymbolId = usize;

/// One variable. Several declarations bind the same variable when they sit
/// in one scope and one branch of every `#if` chain around them (a
/// tentative definition repeated, say); declarations in different branches
/// of one chain are different variables.
#[derive(Debug, Default)]
pub struct Symbol<'t> {
    /// Indexes into the candidate list.
    pub candidates: Vec<usize>,
    /// Identifier nodes that refer to the variable (declarators excluded).
    pub references: Vec<Node<'t>>,
    /// The references that stand in an attribute's arguments
    /// (`__attribute__((copy(v)))`, `aligned(sizeof(v))`): whether the
    /// attribute takes `Py_ONCEVAR(v)` as it took `v` is the compiler's
    /// business (`copy` wants a declaration), so a fix of the variable is
    /// unsafe while one exists.
    pub in_attributes: Vec<Node<'t>>,
}

/// Which identifiers refer to which candidate.
#[derive(Debug, Default)]
pub struct Resolution<'t> {
    /// The variables, indexed by [`SymbolId`].
    pub symbols: Vec<Symbol<'t>>,
    /// Identifier node id to the symbol it refers to (for a shared
    /// reference, the first of its symbols).
    pub refs: HashMap<NodeId, SymbolId>,
    /// References after an `#if` chain that may be any of several
    /// variables declared in its branches: identifier node id to every
    /// symbol it may be (sorted, two or more). Each of them lists the
    /// reference in its own `references`.
    pub shared: HashMap<NodeId, Vec<SymbolId>>,
    /// References after an `#if` chain that name a candidate in some
    /// builds and something else (a local, a parameter) in others: a
    /// rewrite of them would break the other builds.
    pub ambiguous: HashSet<NodeId>,
}

impl Resolution<'_> {
    /// Whether the identifier `node` refers to `symbol` (alone or as one
    /// of the variables a shared reference may be).
    pub fn refers_to(&self, node: NodeId, symbol: SymbolId) -> bool {
        match self.shared.get(&node) {
            Some(symbols) => symbols.contains(&symbol),
            None => self.refs.get(&node) == Some(&symbol),
        }
    }

    /// Every symbol the identifier `node` may refer to: none, one, or the
    /// variables of a shared reference.
    pub fn symbols_of(&self, node: NodeId) -> Vec<SymbolId> {
        match self.shared.get(&node) {
            Some(symbols) => symbols.clone(),
            None => self.refs.get(&node).copied().into_iter().collect(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Binding {
    Candidate(SymbolId),
    /// Any of several variables of the branches of an `#if` chain (an
    /// index into the resolver's list of such sets); `true` when some
    /// build binds the name to something else.
    Either(usize, bool),
    /// A local, parameter or non-candidate declaration that shadows.
    Other,
}

/// Names bound in order, with their bindings.
type Bound<'s> = Vec<(&'s [u8], Binding)>;

/// An `#if` chain being walked: what was bound before it, and what each
/// branch walked so far bound.
struct Chain<'s> {
    node: NodeId,
    locals: usize,
    globals: usize,
    /// (locals, globals) each finished branch bound, in order.
    branches: Vec<(Bound<'s>, Bound<'s>)>,
}

/// Resolves every identifier of `tree` that names a candidate to its
/// variable, following C's scopes (a local or parameter of the same name
/// shadows it). Candidates in one scope with one name are one symbol.
pub fn resolve<'t>(tree: &'t Tree, source: &[u8], candidates: &[Candidate<'t>]) -> Resolution<'t> {
    let mut resolution = Resolution::default();
    if candidates.is_empty() {
        return resolution;
    }
    let by_node: HashMap<NodeId, usize> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name_node.node_id(), i))
        .collect();
    let names: HashSet<&[u8]> = candidates.iter().map(|c| c.name.as_bytes()).collect();
    // Where the names occur in the text: a subtree without one holds no
    // binding or reference that matters, and is not entered.
    let occurrences = name_starts(source, &names);
    let holds_name = |node: Node| {
        let at = occurrences.partition_point(|&p| p < node.start_byte());
        occurrences.get(at).is_some_and(|&p| p < node.end_byte())
    };

    let mut bindings = Bindings::default();
    // File-scope candidate statics, visible everywhere after their declaration.
    let mut globals = Bindings::default();
    // The `#if` chains being walked, innermost last, and the sets of
    // variables a name may be after one.
    let mut chains: Vec<Chain> = Vec::new();
    let mut either: Vec<Vec<SymbolId>> = Vec::new();
    // (node id that opened the scope, bindings length before it)
    let mut scopes: Vec<(NodeId, usize)> = Vec::new();
    // Parameter lists of function definitions: bound in the body's scope.
    let mut definition_params: HashSet<NodeId> = HashSet::new();
    // Those of K&R definitions (`int f(v) int v; {…}`): their identifiers
    // are parameters, not uses.
    let mut old_style_params: HashSet<NodeId> = HashSet::new();
    let mut parents: Vec<Node> = Vec::new();
    // Where in `parents` the attributes being walked stand (an attribute's
    // argument may hold another, inside a type).
    let mut attributes: Vec<usize> = Vec::new();

    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        let kind = node.kind();
        let skip = !holds_name(node);
        match kind {
            _ if skip => {}
            "function_definition" => {
                scopes.push((node.node_id(), bindings.len()));
                if let Some(params) = definition_parameters(node) {
                    definition_params.insert(params.node_id());
                    let mut cursor = node.walk();
                    if node
                        .named_children(&mut cursor)
                        .any(|c| c.kind() == "declaration")
                    {
                        old_style_params.insert(params.node_id());
                    }
                }
            }
            "compound_statement" | "for_statement" => scopes.push((node.node_id(), bindings.len())),
            "preproc_if" | "preproc_ifdef" => chains.push(Chain {
                node: node.node_id(),
                locals: bindings.len(),
                globals: globals.len(),
                branches: Vec::new(),
            }),
            "preproc_else" | "preproc_elif" | "preproc_elifdef" => {
                // The previous branch ends: its bindings are not seen here.
                if let Some(chain) = chains.last_mut() {
                    let locals = bindings.split_off(chain.locals);
                    let global = globals.split_off(chain.globals);
                    chain.branches.push((locals, global));
                }
            }
            "parameter_list" if !definition_params.contains(&node.node_id()) => {
                scopes.push((node.node_id(), bindings.len()))
            }
            // A typedef in a block hides the static there (`typedef int v;
            // … sizeof(v)` is the type's size).
            "type_identifier" if cursor.field_name() == Some("declarator") => {
                let text = &source[node.start_byte()..node.end_byte()];
                if names.contains(&text) {
                    bindings.push(text, Binding::Other);
                }
            }
            "identifier" => {
                let text = &source[node.start_byte()..node.end_byte()];
                if names.contains(&text) {
                    let parent = parents.last().copied();
                    let parent_kind = parent.map_or("", |p| p.kind());
                    let field = cursor.field_name();
                    let in_attribute = attributes
                        .last()
                        .map(|&at| attribute_role(node, &parents[at..], field, source));
                    if parent_kind.starts_with("preproc_")
                        || in_attribute == Some(AttributeRole::Name)
                        || names_no_variable(node, &parents, field, source)
                    {
                        // macro names, parameters and `#if` conditions;
                        // attribute names, labels, asm operand names
                    } else if is_declarator_name(parent_kind, field)
                        || parent.is_some_and(|p| old_style_params.contains(&p.node_id()))
                    {
                        let scope_start = scopes.last().map_or(0, |s| s.1);
                        let binding = match by_node.get(&node.node_id()) {
                            Some(&candidate) if candidates[candidate].function.is_some() => {
                                // A redeclaration in the same scope is the same variable.
                                let existing = bindings
                                    .innermost(text)
                                    .filter(|&(at, _)| at >= scope_start)
                                    .map(|b| b.1);
                                Binding::Candidate(declare(
                                    &mut resolution,
                                    &either,
                                    existing,
                                    candidate,
                                ))
                            }
                            // A static outside any function is file scope, even
                            // when a parse error nests it in a stray block.
                            Some(&candidate) if candidates[candidate].function.is_none() => {
                                let existing = globals.innermost(text).map(|b| b.1);
                                let id = declare(&mut resolution, &either, existing, candidate);
                                globals.push(text, Binding::Candidate(id));
                                Binding::Candidate(id)
                            }
                            _ => Binding::Other,
                        };
                        bindings.push(text, binding);
                    } else {
                        let binding = bindings
                            .innermost(text)
                            .or_else(|| globals.innermost(text))
                            .map(|b| b.1);
                        let (ids, ambiguous): (&[SymbolId], bool) = match binding {
                            Some(Binding::Candidate(ref id)) => (std::slice::from_ref(id), false),
                            Some(Binding::Either(set, ambiguous)) => (&either[set], ambiguous),
                            Some(Binding::Other) | None => (&[], false),
                        };
                        for &id in ids {
                            resolution.symbols[id].references.push(node);
                            if in_attribute == Some(AttributeRole::Argument) {
                                resolution.symbols[id].in_attributes.push(node);
                            }
                        }
                        if let Some(&first) = ids.first() {
                            resolution.refs.insert(node.node_id(), first);
                        }
                        if ids.len() > 1 {
                            resolution.shared.insert(node.node_id(), ids.to_vec());
                        }
                        if ambiguous {
                            resolution.ambiguous.insert(node.node_id());
                        }
                    }
                }
            }
            _ => {}
        }
        if !skip && cursor.goto_first_child() {
            if matches!(
                kind,
                "attribute_specifier" | "attribute_declaration" | "ms_declspec_modifier"
            ) {
                attributes.push(parents.len());
            }
            parents.push(node);
            continue;
        }
        loop {
            leave(cursor.node(), &mut scopes, &mut bindings);
            if chains
                .last()
                .is_some_and(|c| c.node == cursor.node().node_id())
            {
                if let Some(chain) = chains.pop() {
                    let complete = every_build_walked(cursor.node(), chain.branches.len() + 1);
                    end_chain(chain, complete, &mut bindings, &mut globals, &mut either);
                }
            }
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
            parents.pop();
            if attributes.last() == Some(&parents.len()) {
                attributes.pop();
            }
        }
    }
    resolution
}

/// The symbol a candidate declaration joins: the variable that `existing`
/// (the binding of its name already in its scope) names, else a new one.
fn declare(
    resolution: &mut Resolution,
    either: &[Vec<SymbolId>],
    existing: Option<Binding>,
    candidate: usize,
) -> SymbolId {
    let id = match existing {
        Some(Binding::Candidate(id)) => Some(id),
        // Declared again after a chain that declared it in its branches:
        // the first of them (one scope holds one variable of a name).
        Some(Binding::Either(set, _)) => either[set].first().copied(),
        _ => None,
    };
    match id {
        Some(id) => {
            resolution.symbols[id].candidates.push(candidate);
            id
        }
        None => {
            resolution.symbols.push(Symbol {
                candidates: vec![candidate],
                ..Symbol::default()
            });
            resolution.symbols.len() - 1
        }
    }
}

/// Whether every build compiles one of the `#if` chain's branches that
/// the walk entered: the chain ends with an `#else`, and no branch was
/// skipped (a branch that names no candidate is not walked, and binds
/// nothing).
fn every_build_walked(chain: Node, walked: usize) -> bool {
    let mut node = chain;
    let mut branches = 1;
    while let Some(alternative) = node.child_by_field_name("alternative") {
        branches += 1;
        if alternative.kind() == "preproc_else" {
            return branches == walked;
        }
        node = alternative;
    }
    false
}

/// At the end of an `#if` chain: each name that a branch bound is bound,
/// from here on, to every variable it may be in some build. A branch that
/// did not bind it (and, unless `complete`, a build that takes no branch
/// or one the walk skipped) sees the binding from before the chain.
fn end_chain<'s>(
    mut chain: Chain<'s>,
    complete: bool,
    bindings: &mut Bindings<'s>,
    globals: &mut Bindings<'s>,
    either: &mut Vec<Vec<SymbolId>>,
) {
    let locals = bindings.split_off(chain.locals);
    let global = globals.split_off(chain.globals);
    chain.branches.push((locals, global));
    let mut merged_locals: Bound = Vec::new();
    let mut merged_globals: Bound = Vec::new();
    for local in [true, false] {
        let (stack, merged) = if local {
            (&*bindings, &mut merged_locals)
        } else {
            (&*globals, &mut merged_globals)
        };
        let mut names: Vec<&[u8]> = chain
            .branches
            .iter()
            .flat_map(|b| if local { &b.0 } else { &b.1 })
            .map(|(name, _)| *name)
            .collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            let before = stack.innermost(name).map(|b| b.1);
            let mut outcomes: Vec<Option<Binding>> = chain
                .branches
                .iter()
                .map(|b| {
                    let bound = if local { &b.0 } else { &b.1 };
                    bound
                        .iter()
                        .rev()
                        .find(|(n, _)| *n == name)
                        .map(|b| b.1)
                        .or(before)
                })
                .collect();
            if !complete {
                outcomes.push(before);
            }
            let mut ids: Vec<SymbolId> = Vec::new();
            let mut other = false;
            for outcome in outcomes {
                match outcome {
                    Some(Binding::Candidate(id)) => ids.push(id),
                    Some(Binding::Either(set, ambiguous)) => {
                        ids.extend(&either[set]);
                        other |= ambiguous;
                    }
                    Some(Binding::Other) => other = true,
                    None => {}
                }
            }
            ids.sort_unstable();
            ids.dedup();
            let binding = match ids.as_slice() {
                [] => Binding::Other,
                [id] if !other => Binding::Candidate(*id),
                _ => {
                    either.push(ids);
                    Binding::Either(either.len() - 1, other)
                }
            };
            merged.push((name, binding));
        }
    }
    for (name, binding) in merged_locals {
        bindings.push(name, binding);
    }
    for (name, binding) in merged_globals {
        globals.push(name, binding);
    }
}

/// The offsets where one of `names` starts after a byte that cannot be part
/// of a C identifier (or at the start): every identifier node with one of
/// these names starts at one. A name need not end there (`foo` starts in
/// `foobar`): the offsets are a superset of the identifiers'. One pass over
/// the text that walks a trie of the names from each word start, stopping
/// at the first byte no name continues with, so each offset costs a few
/// byte comparisons however many names there are (the unit's functions
/// and macros, for the call graph: it hashed a slice for each distinct
/// length of name at every word start before, 14 % of a scan of CPython).
pub(crate) fn name_starts(source: &[u8], names: &HashSet<&[u8]>) -> Vec<usize> {
    let trie = Trie::of(names.iter().copied());
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    (0..source.len())
        .filter(|&at| trie.starts_with(source[at]) && (at == 0 || !is_word(source[at - 1])))
        .filter(|&at| trie.has_prefix_of(&source[at..]))
        .collect()
}

/// A byte trie of a set of names, for [`name_starts`]: which of them a
/// text starts with.
struct Trie {
    /// Each node's children by byte (node 0 is the root), sorted.
    children: Vec<Vec<(u8, u32)>>,
    /// Whether a name ends at each node.
    terminal: Vec<bool>,
    /// The root's children by first byte (0: none), for the common case of
    /// a word no name starts with.
    first: [u32; 256],
}

impl Trie {
    fn of<'n>(names: impl Iterator<Item = &'n [u8]>) -> Trie {
        let mut trie = Trie {
            children: vec![Vec::new()],
            terminal: vec![false],
            first: [0; 256],
        };
        for name in names {
            let mut node = 0usize;
            for &b in name {
                node = match trie.children[node].binary_search_by_key(&b, |c| c.0) {
                    Ok(i) => trie.children[node][i].1 as usize,
                    Err(i) => {
                        let next = trie.terminal.len();
                        trie.children[node].insert(i, (b, next as u32));
                        trie.children.push(Vec::new());
                        trie.terminal.push(false);
                        next
                    }
                };
            }
            trie.terminal[node] = true;
        }
        for &(b, child) in &trie.children[0] {
            trie.first[usize::from(b)] = child;
        }
        trie
    }

    /// Whether a name (not the empty one) starts with `b`.
    fn starts_with(&self, b: u8) -> bool {
        self.first[usize::from(b)] != 0
    }

    /// Whether `text` starts with one of the names (the empty name too).
    fn has_prefix_of(&self, text: &[u8]) -> bool {
        if self.terminal[0] {
            return true;
        }
        let mut node = 0usize;
        for &b in text {
            let next = if node == 0 {
                self.first[usize::from(b)] as usize
            } else {
                match self.children[node].binary_search_by_key(&b, |c| c.0) {
                    Ok(i) => self.children[node][i].1 as usize,
                    Err(_) => 0,
                }
            };
            if next == 0 {
                return false;
            }
            if self.terminal[next] {
                return true;
            }
            node = next;
        }
        false
    }
}

/// The names bound so far, innermost last, with each name's bindings
/// indexed so that looking one up does not scan the others.
#[derive(Default)]
struct Bindings<'s> {
    stack: Vec<(&'s [u8], Binding)>,
    by_name: HashMap<&'s [u8], Vec<usize>>,
}

impl<'s> Bindings<'s> {
    fn len(&self) -> usize {
        self.stack.len()
    }

    fn push(&mut self, name: &'s [u8], binding: Binding) {
        self.by_name.entry(name).or_default().push(self.stack.len());
        self.stack.push((name, binding));
    }

    /// The innermost binding of `name`, with its place in the stack.
    fn innermost(&self, name: &[u8]) -> Option<(usize, Binding)> {
        let &at = self.by_name.get(name)?.last()?;
        Some((at, self.stack[at].1))
    }

    /// Removes the bindings from `len` on and returns them, oldest first.
    fn split_off(&mut self, len: usize) -> Bound<'s> {
        let len = len.min(self.stack.len());
        let mut out = Vec::with_capacity(self.stack.len() - len);
        while self.stack.len() > len {
            if let Some((name, binding)) = self.stack.pop() {
                if let Some(places) = self.by_name.get_mut(name) {
                    places.pop();
                }
                out.push((name, binding));
            }
        }
        out.reverse();
        out
    }

    fn truncate(&mut self, len: usize) {
        while self.stack.len() > len {
            if let Some((name, _)) = self.stack.pop() {
                if let Some(places) = self.by_name.get_mut(name) {
                    places.pop();
                }
            }
        }
    }
}

fn leave(node: Node, scopes: &mut Vec<(NodeId, usize)>, bindings: &mut Bindings) {
    if let Some(&(id, len)) = scopes.last() {
        if id == node.node_id() {
            bindings.truncate(len);
            scopes.pop();
        }
    }
}

/// Whether an identifier with this parent kind and field is the name being
/// declared (as opposed to a use, such as an array size or an initialiser).
fn is_declarator_name(parent: &str, field: Option<&str>) -> bool {
    match parent {
        "parenthesized_declarator" => true,
        "enumerator" => field == Some("name"),
        "pointer_declarator"
        | "array_declarator"
        | "init_declarator"
        | "declaration"
        | "parameter_declaration"
        | "attributed_declarator"
        | "function_declarator" => field == Some("declarator"),
        _ => false,
    }
}

/// The parameter list of a function definition's own declarator.
fn definition_parameters(function: Node) -> Option<Node> {
    let mut declarator = function.child_by_field_name("declarator")?;
    loop {
        if declarator.kind() == "function_declarator" {
            return declarator.child_by_field_name("parameters");
        }
        declarator = declarator.child_by_field_name("declarator")?;
    }
}

/// What an identifier inside an attribute is: the attribute's own name
/// (`cold` in `__attribute__((cold))`, `gnu` and `cold` in `[[gnu::cold]]`,
/// `noinline` in `__declspec(noinline)`, `section` in `section("x")`),
/// which no variable lookup takes, or a name in its arguments, which the
/// compiler may look up (`copy(v)`, `aligned(sizeof(v))`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AttributeRole {
    Name,
    Argument,
}

/// The role of `node` (an identifier) in the attribute that `path` leads
/// down from: the attribute node first, the identifier's parent last;
/// `field` is the identifier's field in its parent. The first argument of
/// `format`, `mode` and `access` is a keyword (`format(printf, 1, 2)`), as
/// GCC reads it (`attribute_takes_identifier_p`): a name too.
fn attribute_role(node: Node, path: &[Node], field: Option<&str>, source: &[u8]) -> AttributeRole {
    let kinds: Vec<&str> = path.iter().take(4).map(|n| n.kind()).collect();
    let name = match kinds.as_slice() {
        ["attribute_specifier", "argument_list"] | ["ms_declspec_modifier"] => true,
        ["attribute_specifier", "argument_list", "call_expression"]
        | ["ms_declspec_modifier", "call_expression"] => field == Some("function"),
        ["attribute_declaration", "attribute"] => matches!(field, Some("prefix" | "name")),
        _ => false,
    };
    let keyword = || {
        let (attribute, arguments) = match kinds.as_slice() {
            ["attribute_specifier", "argument_list", "call_expression", "argument_list"] => {
                (path[2].child_by_field_name("function"), path[3])
            }
            ["attribute_declaration", "attribute", "argument_list"] => {
                (path[1].child_by_field_name("name"), path[2])
            }
            _ => return false,
        };
        path.len() == kinds.len()
            && arguments.named_child(0) == Some(node)
            && attribute.is_some_and(|a| {
                let text = &source[a.start_byte()..a.end_byte()];
                let bare = text
                    .strip_prefix(b"__")
                    .and_then(|t| t.strip_suffix(b"__"))
                    .unwrap_or(text);
                matches!(bare, b"format" | b"mode" | b"access")
            })
    };
    if name || keyword() {
        AttributeRole::Name
    } else {
        AttributeRole::Argument
    }
}

/// Whether `node` (an identifier outside any attribute, with its
/// ancestors `parents`, outermost first) names a label or an `asm`
/// operand, which C looks up apart from variables: a label of `asm goto`
/// (`asm goto ("…" :::: v)`), a label's address (`&&v`, which tree-sitter
/// reads as two `&`), an operand's symbolic name (`[v] "=r" (x)`).
fn names_no_variable(node: Node, parents: &[Node], field: Option<&str>, source: &[u8]) -> bool {
    let kinds = |n: usize| parents.iter().rev().take(n).map(|p| p.kind());
    match parents.last().map(|p| p.kind()) {
        Some("gnu_asm_goto_list") => true,
        Some("gnu_asm_output_operand" | "gnu_asm_input_operand") => field == Some("symbol"),
        Some("pointer_expression") if kinds(2).all(|k| k == "pointer_expression") => {
            let before = source[..node.start_byte()].trim_ascii_end();
            before.ends_with(b"&") && before[..before.len() - 1].trim_ascii_end().ends_with(b"&")
        }
        _ => false,
    }
}

/// The member path that macro body tokens `. a . b` spell (`a.b`, as
/// [`Candidate::members`] names a member of a struct held by value);
/// `None` for any other tokens.
fn member_path(tokens: &[String]) -> Option<String> {
    if tokens.is_empty() || tokens.len() % 2 != 0 {
        return None;
    }
    let mut names = Vec::new();
    for pair in tokens.chunks(2) {
        let name = &pair[1];
        if pair[0] != "." || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return None;
        }
        names.push(name.as_str());
    }
    Some(names.join("."))
}

/// Uses of a file-scope static through a macro of the file whose whole
/// body is the static or one of its caches: `#define CACHE my_cache`, an
/// element-access macro `#define CONST_OBJ(i) const_table[i]` (also
/// `*(const_table + (i))`, `const_table[i].obj` for an object member of an
/// array of structs). Each use of the macro (the name of an object-like
/// one, the callee of a call of a function-like one) is a reference of the
/// static, and [`Candidate::access`] takes the use for the cache it
/// expands to. A body that is anything else (a call, an expression of
/// several) names no cache and adds nothing.
pub fn macro_references<'t>(
    tree: &'t Tree,
    source: &[u8],
    candidates: &[Candidate<'t>],
    resolution: &mut Resolution<'t>,
) {
    if memchr::memmem::find(source, b"define").is_none() {
        return;
    }
    let root = tree.root_node();
    let text = |n: Node| std::str::from_utf8(&source[n.byte_range()]).unwrap_or("");
    // File-scope statics by name.
    let mut statics: HashMap<&str, SymbolId> = HashMap::new();
    for (id, symbol) in resolution.symbols.iter().enumerate() {
        if let Some(&c) = symbol.candidates.first() {
            if candidates[c].function.is_none() {
                statics.insert(candidates[c].name.as_str(), id);
            }
        }
    }
    let mut macros: Vec<(&str, bool, SymbolId)> = Vec::new();
    for keyword in crate::analysis::parse::keyword_tokens(root, source, &["#define"]) {
        let Some(definition) = keyword.parent else {
            continue;
        };
        let function = match definition.kind() {
            "preproc_def" => false,
            "preproc_function_def" => true,
            _ => continue,
        };
        let (Some(name), Some(body)) = (
            definition.child_by_field_name("name"),
            definition.child_by_field_name("value"),
        ) else {
            continue;
        };
        let tokens = crate::analysis::callgraph::pp_tokens(text(body));
        let Some((named, rest)) = aliased(&tokens) else {
            continue;
        };
        let Some(&symbol) = statics.get(named) else {
            continue;
        };
        let candidate = &candidates[resolution.symbols[symbol].candidates[0]];
        let subscript = rest.first().is_some_and(|t| t == "[");
        let element = match subscript.then(|| closing(&rest, 0)).flatten() {
            None if rest.is_empty() => !candidate.is_aggregate() && !function,
            None => member_path(&rest)
                .is_some_and(|m| !candidate.array && candidate.members.contains(&m)),
            Some(close) if close + 1 == rest.len() => {
                candidate.array && candidate.members.is_empty()
            }
            Some(close) => member_path(&rest[close + 1..])
                .is_some_and(|m| candidate.array && candidate.members.contains(&m)),
        };
        if element {
            macros.push((text(name), function, symbol));
        }
    }
    for (name, function, symbol) in macros {
        for at in memchr::memmem::find_iter(source, name.as_bytes()) {
            let end = at + name.len();
            let is_word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
            if at > 0 && is_word(&source[at - 1]) || source.get(end).is_some_and(is_word) {
                continue;
            }
            let Some(use_) = root.descendant_for_byte_range(at, end) else {
                continue;
            };
            if use_.kind() != "identifier" || use_.byte_range() != (at..end) {
                continue;
            }
            let called = use_.parent().is_some_and(|p| {
                p.kind() == "call_expression" && p.child_by_field_name("function") == Some(use_)
            });
            let in_directive = use_
                .parent()
                .is_some_and(|p| p.kind().starts_with("preproc_"));
            if called != function || in_directive || resolution.refs.contains_key(&use_.node_id()) {
                continue;
            }
            resolution.refs.insert(use_.node_id(), symbol);
            let references = &mut resolution.symbols[symbol].references;
            references.push(use_);
            references.sort_by_key(|r| r.start_byte());
        }
    }
}

/// The static a macro body's tokens start with, through parentheses
/// around the whole body and around the name, and the tokens after it:
/// `((cache))`, `(table)[i]`, `*(table + (i))` (given as `table` and
/// `[ … ]`). `None` for a body that starts otherwise.
fn aliased(tokens: &[String]) -> Option<(&str, Vec<String>)> {
    let mut tokens = tokens;
    // Parentheses around the whole body.
    while tokens.first().is_some_and(|t| t == "(") && closing(tokens, 0) == Some(tokens.len() - 1) {
        tokens = &tokens[1..tokens.len() - 1];
    }
    // `*(table + k)` is `table[k]`.
    if tokens.len() >= 6
        && tokens[0] == "*"
        && tokens[1] == "("
        && closing(tokens, 1) == Some(tokens.len() - 1)
        && tokens[3] == "+"
    {
        let name = tokens[2].as_str();
        let mut rest = vec!["[".to_owned()];
        rest.extend(tokens[4..tokens.len() - 1].iter().cloned());
        rest.push("]".to_owned());
        return Some((name, rest));
    }
    let (name, rest) = match tokens {
        [open, name, close, rest @ ..] if open == "(" && close == ")" => (name, rest),
        [name, rest @ ..] => (name, rest),
        [] => return None,
    };
    let word = name
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_');
    word.then(|| (name.as_str(), rest.to_vec()))
}

/// The index of the token that closes the `(` or `[` at `open`.
fn closing(tokens: &[String], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        match t.as_str() {
            "(" | "[" => depth += 1,
            ")" | "]" => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`name_starts`] as it was written first (a hash lookup per length
    /// of name at every word start): the definition the trie must keep.
    fn name_starts_by_hashing(source: &[u8], names: &HashSet<&[u8]>) -> Vec<usize> {
        let mut lengths: Vec<usize> = names.iter().map(|n| n.len()).collect();
        lengths.sort_unstable();
        lengths.dedup();
        let mut first_bytes = [false; 256];
        for name in names {
            if let Some(&b) = name.first() {
                first_bytes[usize::from(b)] = true;
            }
        }
        let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        (0..source.len())
            .filter(|&at| {
                first_bytes[usize::from(source[at])] && (at == 0 || !is_word(source[at - 1]))
            })
            .filter(|&at| {
                lengths
                    .iter()
                    .any(|&len| source.get(at..at + len).is_some_and(|w| names.contains(w)))
            })
            .collect()
    }

    #[test]
    fn name_starts_finds_what_hashing_each_length_found() {
        // Names and texts over a few bytes, so that names share prefixes
        // and are prefixes of each other and of longer words; `$`, a
        // non-ASCII byte and the empty name too.
        let alphabet = b"ab_1$ \n(\xc3";
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut checked = 0;
        for _ in 0..3000 {
            let names: Vec<Vec<u8>> = (0..1 + next(6))
                .map(|_| {
                    (0..next(5))
                        .map(|_| alphabet[next(alphabet.len())])
                        .collect()
                })
                .collect();
            let names: HashSet<&[u8]> = names.iter().map(Vec::as_slice).collect();
            let text: Vec<u8> = (0..next(40))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            let expected = name_starts_by_hashing(&text, &names);
            checked += expected.len();
            assert_eq!(
                name_starts(&text, &names),
                expected,
                "names {names:?} in {:?}",
                String::from_utf8_lossy(&text)
            );
        }
        assert!(checked > 1000, "{checked}");
        let names = HashSet::from([&b"foo"[..], b"foobar", b"f"]);
        assert_eq!(name_starts(b"x foobar(foo) ffoo f", &names), [2, 9, 14, 19]);
    }
    use crate::analysis::candidates;
    use crate::analysis::parse::{new_parser, parse};
    use crate::analysis::queries::Queries;
    use crate::options::AnalysisOptions;

    /// (symbol count, for each `v` reference in source order the lines of
    /// the declarations it may be, whether it is ambiguous).
    fn resolved(src: &str) -> (usize, Vec<(Vec<usize>, bool)>) {
        let mut parser = new_parser();
        let tree = parse(&mut parser, src.as_bytes()).unwrap();
        let queries = Queries::get().unwrap();
        let (found, _) =
            candidates::find(&tree, src.as_bytes(), queries, &AnalysisOptions::default());
        let resolution = resolve(&tree, src.as_bytes(), &found);
        let mut references: Vec<Node> = resolution
            .symbols
            .iter()
            .flat_map(|s| s.references.iter().copied())
            .collect();
        references.sort_by_key(|r| r.start_byte());
        references.dedup_by_key(|r| r.start_byte());
        let lines = references
            .iter()
            .map(|r| {
                let mut lines: Vec<usize> = resolution
                    .symbols_of(r.node_id())
                    .iter()
                    .map(|&s| {
                        found[resolution.symbols[s].candidates[0]]
                            .name_node
                            .start_position()
                            .row
                            + 1
                    })
                    .collect();
                lines.sort_unstable();
                (lines, resolution.ambiguous.contains(&r.node_id()))
            })
            .collect();
        (resolution.symbols.len(), lines)
    }

    #[test]
    fn each_branch_of_a_chain_declares_its_own_variable() {
        let src = "void f(void) {\n\
                   #if A\n\
                   static PyObject *v;\n\
                   v = 0;\n\
                   #elif B\n\
                   static PyObject *v;\n\
                   v = 0;\n\
                   #else\n\
                   static PyObject *v;\n\
                   #endif\n\
                   v = 0;\n\
                   }\n";
        let (symbols, refs) = resolved(src);
        assert_eq!(symbols, 3);
        assert_eq!(
            refs,
            [(vec![3], false), (vec![6], false), (vec![3, 6, 9], false)]
        );
    }

    #[test]
    fn a_build_without_the_branch_sees_the_outer_binding() {
        // No #else: the build that skips the branch sees the file's `v`.
        let src = "static PyObject *v;\n\
                   void f(void) {\n\
                   #ifdef A\n\
                   static PyObject *v;\n\
                   #endif\n\
                   v = 0;\n\
                   }\n\
                   void g(int v) {\n\
                   #ifdef A\n\
                   static PyObject *v;\n\
                   #endif\n\
                   v = 0;\n\
                   }\n";
        let (symbols, refs) = resolved(src);
        assert_eq!(symbols, 3);
        assert_eq!(refs, [(vec![1, 4], false), (vec![10], true)]);
    }

    /// Identifiers that tree-sitter reads where C's lookup never takes a
    /// variable: attribute names in each spelling, a K&R definition's
    /// parameters, a block's typedef, labels of `asm goto` and `&&`, an
    /// asm operand's symbolic name. Before: each was a reference of `v`,
    /// and the rewrite made `__attribute__((Py_ONCEVAR(v)))`. An attribute's
    /// argument stays a reference, listed apart.
    #[test]
    fn names_that_c_never_looks_up_as_the_variable_are_no_references() {
        let src = "static PyObject *v;\n\
                   __attribute__((v)) static int a(void);\n\
                   static int b(void) __attribute__((hot, v, section(\"x\"), format(v, 1, 2)));\n\
                   [[gnu::v]] [[v]] static int c(void);\n\
                   __declspec(v) int d(void);\n\
                   static int e(v) int v; { return v; }\n\
                   static int f(void) { typedef int v; return sizeof(v); }\n\
                   static void g(void) { asm goto (\"\" :::: v); v: ; }\n\
                   static void *h(void) { v: return && v; }\n\
                   static int i(int x) { int y; __asm__ (\"\" : [v] \"=r\" (y) : \"r\" (x)); return y; }\n\
                   static int j(void) { __attribute__((aligned(sizeof(v)))) char c[8]; return v == 0; }\n";
        let (symbols, refs) = resolved(src);
        assert_eq!(symbols, 1);
        assert_eq!(refs, [(vec![1], false), (vec![1], false)]);
        let mut parser = new_parser();
        let tree = parse(&mut parser, src.as_bytes()).unwrap();
        let (found, _) = candidates::find(
            &tree,
            src.as_bytes(),
            Queries::get().unwrap(),
            &AnalysisOptions::default(),
        );
        let resolution = resolve(&tree, src.as_bytes(), &found);
        let in_attributes: Vec<usize> = resolution.symbols[0]
            .in_attributes
            .iter()
            .map(|r| r.start_position().row + 1)
            .collect();
        assert_eq!(in_attributes, [11]);
    }

    #[test]
    fn a_repeated_declaration_in_one_branch_is_one_variable() {
        let src = "#ifdef A\n\
                   static PyObject *v;\n\
                   static PyObject *v;\n\
                   #endif\n\
                   void f(void) { v = 0; }\n";
        let (symbols, refs) = resolved(src);
        assert_eq!(symbols, 1);
        assert_eq!(refs, [(vec![2], false)]);
    }
}
