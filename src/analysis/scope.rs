//! Scope resolution: which identifier refers to which candidate static.
//! C's rules, as far as they matter here: a block, a `for`, a function's
//! parameters and a prototype's parameter list open scopes; a declaration
//! binds its name from its declarator on; an inner binding of the same name
//! (a local, a parameter) shadows the static. Struct fields (`x.v`, `x->v`)
//! are `field_identifier` nodes and never resolve.

use std::collections::{HashMap, HashSet};

use tree_sitter::{Node, Tree};

use crate::analysis::candidates::Candidate;
use crate::analysis::parse::{HasNodeId, NodeId};

/// Index into `Resolution::symbols`.
pub type SymbolId = usize;

/// One variable. Several declarations bind the same variable when they sit
/// in one scope, e.g. in the `#if` and `#else` branches of a file.
#[derive(Debug, Default)]
pub struct Symbol<'t> {
    /// Indexes into the candidate list.
    pub candidates: Vec<usize>,
    /// Identifier nodes that refer to the variable (declarators excluded).
    pub references: Vec<Node<'t>>,
}

/// Which identifiers refer to which candidate.
#[derive(Debug, Default)]
pub struct Resolution<'t> {
    /// The variables, indexed by [`SymbolId`].
    pub symbols: Vec<Symbol<'t>>,
    /// Identifier node id to the symbol it refers to.
    pub refs: HashMap<NodeId, SymbolId>,
}

#[derive(Clone, Copy)]
enum Binding {
    Candidate(SymbolId),
    /// A local, parameter or non-candidate declaration that shadows.
    Other,
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
    let mut globals: HashMap<&[u8], SymbolId> = HashMap::new();
    // (node id that opened the scope, bindings length before it)
    let mut scopes: Vec<(NodeId, usize)> = Vec::new();
    // Parameter lists of function definitions: bound in the body's scope.
    let mut definition_params: HashSet<NodeId> = HashSet::new();
    let mut parents: Vec<&str> = Vec::new();

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
                }
            }
            "compound_statement" | "for_statement" => scopes.push((node.node_id(), bindings.len())),
            "parameter_list" if !definition_params.contains(&node.node_id()) => {
                scopes.push((node.node_id(), bindings.len()))
            }
            "identifier" => {
                let text = &source[node.start_byte()..node.end_byte()];
                if names.contains(&text) {
                    let parent = parents.last().copied().unwrap_or("");
                    let field = cursor.field_name();
                    if parent.starts_with("preproc_") {
                        // macro names, parameters and `#if` conditions
                    } else if is_declarator_name(parent, field) {
                        let scope_start = scopes.last().map_or(0, |s| s.1);
                        let binding = match by_node.get(&node.node_id()) {
                            Some(&candidate) if candidates[candidate].function.is_some() => {
                                // A redeclaration in the same scope is the same variable.
                                let existing = bindings
                                    .innermost(text)
                                    .filter(|&(at, _)| at >= scope_start)
                                    .map(|b| b.1);
                                match existing {
                                    Some(Binding::Candidate(id)) => {
                                        resolution.symbols[id].candidates.push(candidate);
                                        Binding::Candidate(id)
                                    }
                                    _ => {
                                        resolution.symbols.push(Symbol {
                                            candidates: vec![candidate],
                                            references: Vec::new(),
                                        });
                                        Binding::Candidate(resolution.symbols.len() - 1)
                                    }
                                }
                            }
                            // A static outside any function is file scope, even
                            // when a parse error nests it in a stray block.
                            Some(&candidate) if candidates[candidate].function.is_none() => {
                                let id = match globals.get(text) {
                                    Some(&id) => {
                                        resolution.symbols[id].candidates.push(candidate);
                                        id
                                    }
                                    None => {
                                        resolution.symbols.push(Symbol {
                                            candidates: vec![candidate],
                                            references: Vec::new(),
                                        });
                                        globals.insert(text, resolution.symbols.len() - 1);
                                        resolution.symbols.len() - 1
                                    }
                                };
                                Binding::Candidate(id)
                            }
                            _ => Binding::Other,
                        };
                        bindings.push(text, binding);
                    } else {
                        let id = match bindings.innermost(text) {
                            Some((_, Binding::Candidate(id))) => Some(id),
                            Some((_, Binding::Other)) => None,
                            None => globals.get(text).copied(),
                        };
                        if let Some(id) = id {
                            resolution.symbols[id].references.push(node);
                            resolution.refs.insert(node.node_id(), id);
                        }
                    }
                }
            }
            _ => {}
        }
        if !skip && cursor.goto_first_child() {
            parents.push(kind);
            continue;
        }
        loop {
            leave(cursor.node(), &mut scopes, &mut bindings);
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
            parents.pop();
        }
    }
    resolution
}

/// The offsets where one of `names` starts after a byte that cannot be part
/// of a C identifier (or at the start): every identifier node with one of
/// these names starts at one. One pass over the text, trying only the
/// lengths the names have, so the time is linear however many names there
/// are.
fn name_starts(source: &[u8], names: &HashSet<&[u8]>) -> Vec<usize> {
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
        .filter(|&at| first_bytes[usize::from(source[at])] && (at == 0 || !is_word(source[at - 1])))
        .filter(|&at| {
            lengths
                .iter()
                .any(|&len| source.get(at..at + len).is_some_and(|w| names.contains(w)))
        })
        .collect()
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
