//! Evidence from the evidence query, indexed by the node it is about, so the
//! classifier can ask "is this reference written? tested? released?" in O(1).

use std::collections::HashMap;

use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, QueryCursor, Tree};

use crate::analysis::parse;
use crate::analysis::queries::Queries;
use crate::analysis::scope::Resolution;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Test {
    /// True exactly when the subject is NULL.
    IsNull,
    /// True exactly when the subject is not NULL.
    NotNull,
}

#[derive(Clone, Copy, Debug)]
pub struct Write<'t> {
    pub node: Node<'t>,
    pub target: Node<'t>,
    pub value: Node<'t>,
    /// `=` or a compound operator such as `+=`.
    pub compound: bool,
}

#[derive(Clone, Copy, Debug)]
pub struct Release<'t> {
    pub node: Node<'t>,
    pub function: Node<'t>,
    pub target: Node<'t>,
}

#[derive(Debug, Default)]
pub struct Evidence<'t> {
    pub writes: Vec<Write<'t>>,
    /// Target node id to index in `writes`.
    pub write_targets: HashMap<usize, usize>,
    pub updates: HashMap<usize, Node<'t>>,
    /// `&x`: target node id to the address expression.
    pub addresses: HashMap<usize, Node<'t>>,
    /// Test expression id to its subject and meaning.
    pub tests: HashMap<usize, (Node<'t>, Test)>,
    /// Release target node id to the release call.
    pub releases: HashMap<usize, Release<'t>>,
    /// Function-like macros of the file, by name: which argument positions
    /// their body assigns.
    pub macro_writes: HashMap<String, Vec<usize>>,
}

pub fn collect<'t>(
    tree: &'t Tree,
    source: &[u8],
    queries: &Queries,
    resolution: &Resolution<'t>,
) -> Evidence<'t> {
    let q = &queries.evidence;
    let mut evidence = Evidence::default();
    let mut cursor = QueryCursor::new();
    for root in roots(tree, source, resolution) {
        let mut matches = cursor.matches(&q.query, root, source);
        while let Some(m) = matches.next() {
            let node = |index| crate::analysis::queries::captured(m, index);
            if let (Some(write), Some(target), Some(op), Some(value)) = (
                node(q.write),
                node(q.write_target),
                node(q.write_operator),
                node(q.write_value),
            ) {
                evidence
                    .write_targets
                    .insert(target.id(), evidence.writes.len());
                evidence.writes.push(Write {
                    node: write,
                    target,
                    value,
                    compound: op.kind() != "=",
                });
            } else if let Some(target) = node(q.update_target) {
                evidence.updates.insert(target.id(), target);
            } else if let (Some(address), Some(target)) = (node(q.address), node(q.address_target))
            {
                evidence.addresses.insert(target.id(), address);
            } else if let Some(subject) = node(q.test_subject) {
                if let Some(test) = node(q.test_is_null) {
                    evidence.tests.insert(test.id(), (subject, Test::IsNull));
                } else if let Some(test) = node(q.test_not_null) {
                    evidence.tests.insert(test.id(), (subject, Test::NotNull));
                }
            } else if let (Some(name), Some(parameters), Some(body)) = (
                node(q.macro_name),
                node(q.macro_parameters),
                node(q.macro_body),
            ) {
                let body = body.utf8_text(source).unwrap_or("");
                let written: Vec<usize> = parameters
                    .named_children(&mut parameters.walk())
                    .filter(|p| p.kind() == "identifier")
                    .enumerate()
                    .filter(|(_, p)| assigns(body, p.utf8_text(source).unwrap_or("")))
                    .map(|(i, _)| i)
                    .collect();
                if !written.is_empty() {
                    let name = name.utf8_text(source).unwrap_or("").to_owned();
                    evidence.macro_writes.insert(name, written);
                }
            } else if let (Some(call), Some(function), Some(target)) = (
                node(q.release),
                node(q.release_function),
                node(q.release_target),
            ) {
                evidence.releases.insert(
                    target.id(),
                    Release {
                        node: call,
                        function,
                        target,
                    },
                );
            }
        }
    }
    evidence
}

/// Where evidence can matter: the functions that refer to a candidate
/// (every guard, alias and write the classifier looks at lies in one, and so
/// do the callers it follows, which test the static themselves) and the
/// file's function-like macros. The whole tree when a reference lies
/// outside any function. Outermost first, none inside another.
fn roots<'t>(tree: &'t Tree, source: &[u8], resolution: &Resolution<'t>) -> Vec<Node<'t>> {
    let mut roots = Vec::new();
    for symbol in &resolution.symbols {
        for &reference in &symbol.references {
            match parse::enclosing_function(reference) {
                Some(function) => roots.push(function),
                None => return vec![tree.root_node()],
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

/// Whether a macro body assigns the parameter `name`: `name = …` (not `==`).
fn assigns(body: &str, name: &str) -> bool {
    crate::analysis::parse::word_ends(body, name).any(|end| {
        let rest = body[end..].trim_start();
        rest.starts_with('=') && !rest.starts_with("==")
    })
}

#[cfg(test)]
mod tests {
    use super::assigns;

    #[test]
    fn macro_parameter_assignments() {
        assert!(assigns("do { result = (expr); } while (0)", "result"));
        assert!(assigns("VAR = f(NAME); if (VAR == NULL) goto fail;", "VAR"));
        assert!(!assigns("if (VAR == NULL) goto fail;", "VAR"));
        assert!(!assigns("x_result = 1", "result"));
    }
}
