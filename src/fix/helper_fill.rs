//! The statics a lazy site's guard fills besides the site itself, through
//! a helper: `if (s_first == NULL && init_strings() < 0)` where
//! `init_strings()` sets `s_first` and `s_second`, or `if (s_a == NULL &&
//! init_pair(&s_a, &s_b) < 0)`. Once `s_first` is per interpreter, every
//! new interpreter runs the helper again and overwrites (and leaks) the
//! process-wide `s_second`: the statics a guard fills stand or fall
//! together, as siblings written under one guard do
//! ([`crate::analysis::classify`]'s lexical rule).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use tree_sitter::Node;

use crate::analysis::analyze::FileAnalysis;
use crate::analysis::callgraph::{CallGraph, FunctionId};
use crate::analysis::capi::WRITING_MACROS;
use crate::analysis::classify::Kind;
use crate::analysis::parse::{self, macro_bodies, HasNodeId};
use crate::analysis::scope::SymbolId;
use crate::fix::rewrite::is_plain_read;
use crate::scan::lexer::{Lexer, Token};

/// How a guard fills another static: the helper that writes it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Filler {
    /// The function, run under the site's guard, that writes it (itself or
    /// through the functions it calls).
    Helper(String),
    /// The call under the guard that takes both statics' addresses.
    Call(String),
    /// The function, run under the site's guard, that reads a table of
    /// the statics' addresses (the function, the table).
    Table(String, String),
}

/// A table of statics' addresses outside any function, as a guard's
/// helpers may read it ([`address_tables`]).
struct Table<'m> {
    /// The statics whose addresses fill it.
    symbols: BTreeSet<SymbolId>,
    /// Its name, then the unit's macros that name it (`FOR_EACH_NAME(e)`),
    /// through other macros.
    spellings: Vec<&'m str>,
}

/// The unit's variables outside any function whose initialiser takes the
/// address of statics of the file (`static const struct {PyObject **slot;
/// …} rest[] = {{&s_close, ">"}, …}`, also through a macro that spells
/// the entry), by name, each with those statics
/// ([`crate::analysis::tables`]) and its spellings among `macros`:
/// whoever reads such a table may write every static in it.
fn address_tables<'m>(
    file: &'m FileAnalysis,
    macros: &'m [(String, String)],
) -> BTreeMap<&'m str, Table<'m>> {
    let mut tables: BTreeMap<&str, Table> = BTreeMap::new();
    for table in file.address_tables.iter().filter(|t| t.function.is_none()) {
        let name = table.name.as_str();
        tables
            .entry(name)
            .or_insert_with(|| {
                let mut spellings = vec![name];
                while let Some(more) = macros.iter().find(|(name, body)| {
                    !spellings.contains(&name.as_str())
                        && spellings
                            .iter()
                            .any(|s| parse::variable_ends(body, s).next().is_some())
                }) {
                    spellings.push(more.0.as_str());
                }
                Table {
                    symbols: BTreeSet::new(),
                    spellings,
                }
            })
            .symbols
            .extend(table.entries.keys().copied());
    }
    tables
}

/// For each lazy site of `file`, the other statics of the unit that its
/// guard fills through a helper, each with the helper; the relation is
/// made symmetric (a static filled under another's guard stands or falls
/// with it). A helper is a function that writes the site, holds none of
/// its guards and is reached from a function that holds one (the guard
/// calls it, directly or not), and what it and the functions it reaches
/// write, themselves or through the unit's macros they invoke, is filled
/// under the guard; a call in a function that holds the guard and takes
/// the site's address fills every other static whose address it takes.
/// (A guard inside the helper that receives the address, `fill(&v)`
/// testing `*slot`, is the helper's own: each slot is tested there.)
pub(crate) fn helper_siblings(
    file: &FileAnalysis,
    graph: &CallGraph,
) -> BTreeMap<SymbolId, BTreeMap<SymbolId, Filler>> {
    let bytes = &file.source.bytes[..];
    let mut found: BTreeMap<SymbolId, BTreeMap<SymbolId, Filler>> = BTreeMap::new();
    let mut link = |a: SymbolId, b: SymbolId, filler: Filler| {
        if a != b {
            found
                .entry(a)
                .or_default()
                .entry(b)
                .or_insert(filler.clone());
            found.entry(b).or_default().entry(a).or_insert(filler);
        }
    };
    let macro_writes = macro_bodies(file.root, bytes);
    let tables = address_tables(file, &macro_writes);
    for verdict in file.verdicts.iter().filter(|v| v.kind == Kind::Lazy) {
        let guarding: HashSet<FunctionId> = verdict
            .guards
            .iter()
            .filter_map(|&g| graph.function_at(g))
            .collect();
        let reached = graph.reach(guarding.iter().copied());
        for &write in &verdict.assignments {
            let Some(helper) = graph.function_at(write) else {
                continue;
            };
            if write.kind() == "call_expression" && guarding.contains(&helper) {
                let call = write;
                let callee = call
                    .child_by_field_name("function")
                    .and_then(|f| f.utf8_text(bytes).ok())
                    .unwrap_or("the call");
                for other in address_arguments(file, call) {
                    if other != verdict.symbol {
                        link(verdict.symbol, other, Filler::Call(callee.to_owned()));
                    }
                }
            }
            if guarding.contains(&helper) || !reached.contains(helper) {
                continue;
            }
            let reach = graph.reach([helper]);
            let name = &graph.functions()[helper].name;
            // The unit's macros that the helper and what it reaches invoke.
            let invoked: Vec<&str> = macro_writes
                .iter()
                .filter(|(macro_name, _)| {
                    graph.functions().iter().enumerate().any(|(f, function)| {
                        reach.contains(f)
                            && function.node.utf8_text(bytes).is_ok_and(|text| {
                                parse::word_ends(text, macro_name).next().is_some()
                            })
                    })
                })
                .map(|(_, body)| body.as_str())
                .collect();
            for (other, symbol) in file.resolution.symbols.iter().enumerate() {
                if other == verdict.symbol {
                    continue;
                }
                let written_there = symbol.references.iter().any(|&r| {
                    graph.function_at(r).is_some_and(|f| reach.contains(f))
                        && !is_plain_read(r, bytes, &[])
                });
                let other_name = &file.candidates[symbol.candidates[0]].name;
                if written_there || invoked.iter().any(|body| writes_name(body, other_name)) {
                    link(verdict.symbol, other, Filler::Helper(name.clone()));
                }
            }
        }
        // A function the guard's statement calls, or what it reaches,
        // that reads a table of statics' addresses may write each of them
        // through it (`*rest[i].slot = …`).
        if tables.is_empty() {
            continue;
        }
        for &guard in &verdict.guards {
            let Some(statement) = guarded_code(guard, &verdict.assignments) else {
                continue;
            };
            for callee in called_names(&statement, bytes) {
                // A macro of the file runs the functions its body names
                // (`#define FILL_REST() fill_rest()`).
                let body = macro_writes
                    .iter()
                    .find(|(name, _)| name == callee)
                    .map(|(_, body)| body.as_str());
                let through_macro = body.into_iter().flat_map(|body| {
                    graph
                        .functions()
                        .iter()
                        .enumerate()
                        .filter_map(move |(f, function)| {
                            parse::word_ends(body, &function.name).next().map(|_| f)
                        })
                });
                let reach = graph.reach(graph.named(callee).iter().copied().chain(through_macro));
                for (table, Table { symbols, spellings }) in &tables {
                    let read = graph.functions().iter().enumerate().any(|(f, function)| {
                        reach.contains(f)
                            && function.node.utf8_text(bytes).is_ok_and(|text| {
                                spellings
                                    .iter()
                                    .any(|s| parse::word_ends(text, s).next().is_some())
                            })
                    });
                    // `fill_slots(keywords)`: the table handed to the
                    // callee; `FILL_REST()`: a macro that names it.
                    let named = spellings.contains(&callee);
                    if !read && !named && !passes(&statement, callee, spellings, bytes) {
                        continue;
                    }
                    for &other in symbols {
                        if other != verdict.symbol {
                            let filler = Filler::Table(callee.to_owned(), (*table).to_owned());
                            link(verdict.symbol, other, filler);
                        }
                    }
                }
            }
        }
    }
    found
}

/// The code that `guard` decides: its `if` statement or `?:`, and, where
/// none of the site's `writes` is in that statement but one follows it in
/// its block (an early exit, `if (s != NULL) return s; s = …;`), the
/// statements after it there.
fn guarded_code<'t>(guard: Node<'t>, writes: &[Node]) -> Option<Vec<Node<'t>>> {
    let above = parse::ancestors(guard);
    let at = above
        .clone()
        .position(|n| matches!(n.kind(), "if_statement" | "conditional_expression"))?;
    let statement = above.get(at)?;
    let within = |n: Node| {
        writes
            .iter()
            .any(|w| n.start_byte() <= w.start_byte() && w.end_byte() <= n.end_byte())
    };
    let mut code = vec![statement];
    if let Some(block) = above.get(at + 1).filter(|_| !within(statement)) {
        let (_, after) = parse::named_siblings(block, statement);
        if after.iter().any(|&n| within(n)) {
            code.extend(after);
        }
    }
    Some(code)
}

/// Whether a call of `callee` inside `code` names one of `spellings` (a
/// table's name, or a macro naming it) in its arguments.
fn passes(code: &[Node], callee: &str, spellings: &[&str], bytes: &[u8]) -> bool {
    code.iter()
        .flat_map(|&node| parse::calls_in(node))
        .any(|call| {
            let called = call
                .child_by_field_name("function")
                .and_then(|f| f.utf8_text(bytes).ok())
                == Some(callee);
            let arguments = call
                .child_by_field_name("arguments")
                .and_then(|a| a.utf8_text(bytes).ok())
                .unwrap_or("");
            called
                && spellings
                    .iter()
                    .any(|s| parse::word_ends(arguments, s).next().is_some())
        })
}

/// The names of the functions that calls inside `code` call, by name
/// (`fill_rest` of `fill_rest() < 0`), in order, once each.
fn called_names<'s>(code: &[Node], bytes: &'s [u8]) -> Vec<&'s str> {
    let mut names: Vec<&str> = Vec::new();
    for call in code.iter().flat_map(|&node| parse::calls_in(node)) {
        let callee = call
            .child_by_field_name("function")
            .filter(|f| f.kind() == "identifier")
            .and_then(|f| f.utf8_text(bytes).ok());
        if let Some(callee) = callee.filter(|c| !names.contains(c)) {
            names.push(callee);
        }
    }
    names
}

/// The statics whose address `call` takes as a whole argument (`&s_b`,
/// `&(s_b)`, through casts).
fn address_arguments(file: &FileAnalysis, call: Node) -> BTreeSet<SymbolId> {
    let mut symbols = BTreeSet::new();
    let Some(arguments) = call.child_by_field_name("arguments") else {
        return symbols;
    };
    let mut cursor = arguments.walk();
    for argument in arguments.named_children(&mut cursor) {
        let node = parse::strip_parens(argument);
        if node.kind() != "pointer_expression"
            || node.child_by_field_name("operator").map(|o| o.kind()) != Some("&")
        {
            continue;
        }
        let target = node
            .child_by_field_name("argument")
            .map(parse::strip_parens);
        if let Some(symbol) = target.and_then(|t| file.resolution.refs.get(&t.node_id())) {
            symbols.insert(*symbol);
        }
    }
    symbols
}

/// Whether a macro's `body` writes the identifier `name`: assigns it
/// (`name =`, a compound assignment), takes its address (`&name`), or
/// hands it to one of CPython's writing macros (`Py_XSETREF(name, …)`).
fn writes_name(body: &str, name: &str) -> bool {
    let mut lexer = Lexer::at(body.as_bytes(), 0);
    let mut previous: [Option<Token>; 2] = [None, None];
    let mut pending = false;
    while let Some(token) = lexer.next_token(false) {
        if pending {
            if let Token::Punct(p) = token {
                if p.ends_with(b"=") && p != b"==" && p != b"!=" && p != b"<=" && p != b">=" {
                    return true;
                }
            }
            pending = false;
        }
        if token == Token::Ident(name.as_bytes()) {
            let after_address = previous[1] == Some(Token::Punct(&b"&"[..]));
            let in_writer = previous[1] == Some(Token::Punct(&b"("[..]))
                && matches!(previous[0], Some(Token::Ident(m))
                    if WRITING_MACROS.iter().any(|w| w.as_bytes() == m));
            if after_address || in_writer {
                return true;
            }
            pending = true;
        }
        previous = [previous[1], Some(token)];
    }
    false
}
