//! Tables of statics' addresses: variables whose initialiser holds the
//! addresses of statics of the unit (`static PyObject **const all[] =
//! {&s_a, &s_b};`, `{{&s_lt, "<"}, {&s_gt, ">"}}`, `{.slot = &k}`), also
//! where a macro of the unit spells the entry (`#define SLOT(n, t) {
//! &s_##n, t }` with `SLOT(close, ">")`). Whoever reads such a table may
//! write or release each of those statics through it (`*all[i] = …`,
//! `Py_CLEAR(*table[i].slot)`, `*(e->slot) = …` with `e` walking the
//! table), and the addresses outlive every interpreter.

use std::collections::{BTreeMap, HashMap};

use tree_sitter::Node;

use crate::analysis::callgraph::{is_identifier, pp_tokens, UnitMacros};
use crate::analysis::candidates::Candidate;
use crate::analysis::parse::{self, HasNodeId};
use crate::analysis::scope::{Resolution, SymbolId};

/// A table of statics' addresses ([module doc](self)).
#[derive(Debug, Clone)]
pub(crate) struct AddressTable<'t> {
    /// The table's name as declared (`rest` of `rest[] = {…}`).
    pub name: String,
    /// The function the table is declared in; `None` at file scope.
    pub function: Option<Node<'t>>,
    /// Each static whose address is an entry, with the macro of the unit
    /// that spells the entry (`None` where `&s` is written out), in order
    /// of symbol, once each.
    pub entries: BTreeMap<SymbolId, Option<String>>,
}

/// The unit's tables of statics' addresses ([module doc](self)), in order
/// of declaration. `root` is the unit's parse tree over `bytes`;
/// `resolution` and `candidates` are its statics. An entry spelled by a
/// macro is read from the macro's expansion (parameters substituted,
/// `##` pasted, the unit's macros rescanned, [`UnitMacros::expand_each`]:
/// every `#if` branch's definition), taken as the address of the static
/// the function (or else the file scope) sees by the pasted name.
pub(crate) fn address_tables<'t>(
    root: Node<'t>,
    bytes: &[u8],
    resolution: &Resolution<'t>,
    candidates: &[Candidate<'t>],
) -> Vec<AddressTable<'t>> {
    let mut found: Vec<(usize, AddressTable<'t>)> = Vec::new();
    let mut add = |declarator: Node<'t>, symbol: SymbolId, spelling: Option<String>| {
        let Some(name) = table_name(declarator, bytes) else {
            return;
        };
        let at = declarator.start_byte();
        let index = match found.iter().position(|(start, _)| *start == at) {
            Some(index) => index,
            None => {
                found.push((
                    at,
                    AddressTable {
                        name: name.to_owned(),
                        function: parse::enclosing_function(declarator),
                        entries: BTreeMap::new(),
                    },
                ));
                found.len() - 1
            }
        };
        found[index].1.entries.entry(symbol).or_insert(spelling);
    };
    // `&s` written out in an initialiser.
    for (id, symbol) in resolution.symbols.iter().enumerate() {
        for &reference in &symbol.references {
            // Only `&` before the name (through parentheses) takes its
            // address: the climb is skipped for every other reference.
            let before = bytes[..reference.start_byte()]
                .iter()
                .rposition(|&b| !(b.is_ascii_whitespace() || b == b'('))
                .map(|p| bytes[p]);
            if before != Some(b'&') {
                continue;
            }
            let (_, above) = parse::climb(reference, |parent, _| {
                parent.kind() == "parenthesized_expression"
            });
            let taken = above.first().is_some_and(|p| {
                p.kind() == "pointer_expression"
                    && p.child_by_field_name("operator").map(|o| o.kind()) == Some("&")
            });
            if !taken {
                continue;
            }
            if let Some(declarator) = initialised(&above.clone().skip(1).collect::<Vec<_>>()) {
                add(declarator, id, None);
            }
        }
    }
    // Entries a macro of the unit spells: only where an initialiser list
    // (a `{` right after `=`, found in the text rather than by walking the
    // whole tree) holds an invocation of a macro whose expansion may take
    // an address.
    let mut lists: Vec<(Node<'t>, Option<Node<'t>>)> = Vec::new();
    for at in memchr::memchr_iter(b'{', bytes) {
        let before = bytes[..at]
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map(|p| bytes[p]);
        if before != Some(b'=') {
            continue;
        }
        let Some(brace) = root.descendant_for_byte_range(at, at + 1) else {
            continue;
        };
        let above = parse::ancestors(brace);
        let declared = above
            .first()
            .is_some_and(|l| l.kind() == "initializer_list")
            && above.get(1).is_some_and(|d| d.kind() == "init_declarator");
        if let (true, Some(declarator)) = (declared, above.get(1)) {
            let function = above
                .clone()
                .skip(2)
                .find(|n| n.kind() == "function_definition");
            lists.push((declarator, function));
        }
    }
    let mut macros: Option<UnitMacros> = None;
    let mut takes_address: HashMap<String, bool> = HashMap::new();
    for (declarator, function) in lists {
        let Some(value) = declarator.child_by_field_name("value") else {
            continue;
        };
        let mut entries = vec![value];
        while let Some(entry) = entries.pop() {
            let (name, arguments) = match entry.kind() {
                "initializer_list" | "initializer_pair" => {
                    let mut cursor = entry.walk();
                    entries.extend(entry.named_children(&mut cursor));
                    continue;
                }
                "call_expression" => {
                    let callee = entry
                        .child_by_field_name("function")
                        .filter(|f| f.kind() == "identifier");
                    let arguments = entry.child_by_field_name("arguments");
                    match (callee, arguments) {
                        (Some(callee), Some(arguments)) => (callee, Some(arguments)),
                        _ => continue,
                    }
                }
                "identifier" if !resolution.refs.contains_key(&entry.node_id()) => (entry, None),
                _ => continue,
            };
            let Ok(name) = name.utf8_text(bytes) else {
                continue;
            };
            let macros = macros.get_or_insert_with(|| UnitMacros::of(root, bytes));
            if !may_take_address(name, macros, &mut takes_address) {
                continue;
            }
            let arguments = arguments.and_then(|a| a.utf8_text(bytes).ok());
            for tokens in macros
                .expand_each(name, arguments, &[])
                .into_iter()
                .flatten()
            {
                for address in addresses(&tokens) {
                    if let Some(symbol) = visible(address, function, resolution, candidates) {
                        add(declarator, symbol, Some(name.to_owned()));
                    }
                }
            }
        }
    }
    found.into_iter().map(|(_, t)| t).collect()
}

/// The `init_declarator` whose initialiser holds the value that `above`
/// climbs from (its parent first), through initialiser lists, designated
/// pairs, casts and parentheses; `None` when the value is used otherwise.
/// A pointer outside any function initialised with one address
/// (`static PyObject **const p = &s;`) is a table of one; inside a
/// function such a pointer is a local alias, no table.
fn initialised<'t>(above: &[Node<'t>]) -> Option<Node<'t>> {
    let mut inside_list = false;
    for (i, &node) in above.iter().enumerate() {
        match node.kind() {
            "initializer_list" | "initializer_pair" => inside_list = true,
            "cast_expression" | "parenthesized_expression" => {}
            "init_declarator" => {
                let file_scope = || {
                    above[i + 1..]
                        .iter()
                        .all(|n| n.kind() != "function_definition")
                };
                return (inside_list || file_scope()).then_some(node);
            }
            _ => return None,
        }
    }
    None
}

/// The name an `init_declarator` declares (`rest` of `*const rest[]`).
fn table_name<'b>(declarator: Node, bytes: &'b [u8]) -> Option<&'b str> {
    crate::analysis::classify::innermost_name(declarator.child_by_field_name("declarator")?)?
        .utf8_text(bytes)
        .ok()
}

/// Whether the unit's macro `name`, or a macro its bodies name (followed
/// to any depth, each once), has `&` or `##` in its body: only then can
/// its expansion hold a static's address. Answers are kept in `seen`.
fn may_take_address(name: &str, macros: &UnitMacros, seen: &mut HashMap<String, bool>) -> bool {
    if let Some(&known) = seen.get(name) {
        return known;
    }
    seen.insert(name.to_owned(), false);
    let bodies = macros.bodies(name);
    let mut takes = bodies.iter().any(|b| b.contains('&') || b.contains("##"));
    if !takes {
        for body in bodies {
            for word in pp_tokens(body).into_iter().filter(|t| is_identifier(t)) {
                if word != name
                    && !macros.bodies(&word).is_empty()
                    && may_take_address(&word, macros, seen)
                {
                    takes = true;
                    break;
                }
            }
        }
    }
    seen.insert(name.to_owned(), takes);
    takes
}

/// The names whose address an expansion takes: each `&` followed by a
/// name, through opening parentheses (`&s_close`, `& (s_close)`), that
/// is no operand of a binary `&` (a name, a literal or `)` before it).
fn addresses(tokens: &[String]) -> Vec<&str> {
    let mut out = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if token != "&" {
            continue;
        }
        let binary = i
            .checked_sub(1)
            .and_then(|p| tokens.get(p))
            .is_some_and(|p| {
                p == ")"
                    || p == "]"
                    || p.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            });
        if binary {
            continue;
        }
        let name = tokens[i + 1..].iter().find(|t| *t != "(");
        if let Some(name) = name.filter(|n| is_identifier(n)) {
            out.push(name.as_str());
        }
    }
    out
}

/// The static named `name` that code in `function` (`None`: at file
/// scope) sees: a static local of that function, else a file-scope one.
pub(crate) fn visible(
    name: &str,
    function: Option<Node>,
    resolution: &Resolution,
    candidates: &[Candidate],
) -> Option<SymbolId> {
    let function = function.map(|f| f.node_id());
    let named = |id: &SymbolId| candidates[resolution.symbols[*id].candidates[0]].name == name;
    let scope = |id: &SymbolId| {
        candidates[resolution.symbols[*id].candidates[0]]
            .function
            .map(|f| f.node_id())
    };
    let ids = 0..resolution.symbols.len();
    ids.clone()
        .filter(named)
        .find(|id| function.is_some() && scope(id) == function)
        .or_else(|| ids.filter(named).find(|id| scope(id).is_none()))
}

#[cfg(test)]
mod tests {
    use super::addresses;

    #[test]
    fn an_expansion_takes_the_address_of_names_after_a_unary_ampersand() {
        let tokens = |s: &str| s.split(' ').map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(addresses(&tokens("{ & s_close , \">\" }")), ["s_close"]);
        assert_eq!(addresses(&tokens("{ & ( s_sep ) , 0 }")), ["s_sep"]);
        // A bitwise and takes no address.
        assert!(addresses(&tokens("( flags & mask )")).is_empty());
        assert!(addresses(&tokens("( ( a ) & b )")).is_empty());
        assert!(addresses(&tokens("{ & 0 }")).is_empty());
    }
}
