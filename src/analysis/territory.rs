//! What one module of a translation unit owns, when the unit holds several
//! (a unity build that includes every module's `.c` file, as pygame's
//! `static.c`, or two modules in one file): the functions and file-scope
//! tables that its init reaches, and the names they use. The audit gives
//! a module only the blockers of its own territory, and links it to other
//! units only through the names its territory uses; without this, every
//! module of such a unit got every other module's blockers.
//!
//! The territory starts at the module's `PyInit_` function and the
//! `PyModuleDef` it passes to `PyModule_Create`/`PyModuleDef_Init`, and
//! grows to a fixed point: the functions the call graph reaches from its
//! functions ([`CallGraph::reach`]: calls, references, the unit's macros),
//! the file-scope tables (any initialised variable: method tables, slot
//! tables, type specs, static type objects) that its functions or tables
//! name, directly or through the words of the unit's macros they invoke,
//! and the functions those tables name ([`crate::analysis::callgraph::Root::table`]).
//! Reachability errs towards "reached", as the call graph does.

use std::collections::{HashMap, HashSet};

use tree_sitter::Node;

use crate::analysis::callgraph::{file_scope_items, CallGraph, FunctionId, ModuleInit};
use crate::analysis::parse::{words, HasNodeId, NodeId};

/// One module's share of its unit.
pub struct Territory {
    /// The spans (byte ranges in the unit's text) of its functions and
    /// its tables' declarations.
    spans: Vec<(usize, usize)>,
    /// Every identifier those functions and tables use, with the words of
    /// the unit's macros they invoke.
    names: HashSet<String>,
}

impl Territory {
    /// The territory of `init`'s module in the unit whose tree has `root`
    /// and text `bytes`; `None` when the unit does not show which module
    /// definition the init creates its module from (a definition of another
    /// file, or no creating call), so that the whole unit must count.
    /// `macros` are the unit's macros, name and body (parameters blanked).
    pub fn of(
        graph: &CallGraph,
        root: Node,
        bytes: &[u8],
        init: &ModuleInit,
        macros: &[(String, String)],
    ) -> Option<Territory> {
        let mut defs: Vec<usize> = Vec::new();
        for creation in &init.creations {
            match creation.def {
                Some(def) => defs.push(def),
                // A definition declared in the creating function itself
                // (pygame's `static struct PyModuleDef _module` in its
                // init): its tables are named in that function's body.
                None => {
                    let text = creation.def_text.as_deref()?;
                    let name = text
                        .trim_start_matches(['&', '(', ' '])
                        .trim_end_matches([')', ' ']);
                    let function = graph.functions()[creation.function].node;
                    if !declares(function, name, bytes) {
                        return None;
                    }
                }
            }
        }
        if init.creations.is_empty() {
            return None;
        }
        // Every initialised file-scope variable: a table, by name.
        let mut tables: HashMap<String, Node> = HashMap::new();
        for item in file_scope_items(root) {
            if item.kind() != "declaration" {
                continue;
            }
            let mut cursor = item.walk();
            for declarator in item.children_by_field_name("declarator", &mut cursor) {
                if declarator.kind() != "init_declarator" {
                    continue;
                }
                let name = crate::analysis::classify::innermost_name(declarator)
                    .and_then(|n| n.utf8_text(bytes).ok());
                if let Some(name) = name {
                    tables.entry(name.to_owned()).or_insert(item);
                }
            }
        }
        let mut by_table: HashMap<&str, Vec<FunctionId>> = HashMap::new();
        for r in graph.roots() {
            if let Some(table) = &r.table {
                by_table.entry(table.as_str()).or_default().push(r.function);
            }
        }
        let macro_words: HashMap<&str, Vec<&str>> = macros
            .iter()
            .map(|(name, body)| (name.as_str(), words(body).collect()))
            .collect();

        let mut territory = Territory {
            spans: Vec::new(),
            names: HashSet::new(),
        };
        // The definitions by their ids: several inits may each declare a
        // `static struct PyModuleDef _module` of their own (pygame). One
        // declared in a function is walked with that function; one at file
        // scope is a table of the territory.
        let mut starts: Vec<FunctionId> = vec![init.function];
        let mut pending_tables: Vec<String> = Vec::new();
        for &def in &defs {
            let def = &graph.module_defs()[def];
            starts.extend([def.traverse, def.clear, def.free].into_iter().flatten());
            if crate::analysis::parse::enclosing_function(def.declaration).is_none() {
                pending_tables.push(def.name.clone());
            }
        }
        let mut seen_tables: HashSet<String> = HashSet::new();
        let mut seen_functions: HashSet<FunctionId> = HashSet::new();
        let mut seen_nodes: HashSet<NodeId> = HashSet::new();
        loop {
            // Tables first: the functions they name start the next reach.
            while let Some(table) = pending_tables.pop() {
                if !seen_tables.insert(table.clone()) {
                    continue;
                }
                starts.extend(by_table.get(table.as_str()).into_iter().flatten());
                if let Some(&node) = tables.get(&table) {
                    if seen_nodes.insert(node.node_id()) {
                        let found = territory.take(node, bytes, &macro_words);
                        pending_tables.extend(found.into_iter().filter(|n| tables.contains_key(n)));
                    }
                }
            }
            let fresh: Vec<FunctionId> = starts
                .drain(..)
                .filter(|f| !seen_functions.contains(f))
                .collect();
            if fresh.is_empty() {
                break;
            }
            let reach = graph.reach(fresh);
            for (f, function) in graph.functions().iter().enumerate() {
                if !reach.contains(f) || !seen_functions.insert(f) {
                    continue;
                }
                let found = territory.take(function.node, bytes, &macro_words);
                pending_tables.extend(found.into_iter().filter(|n| tables.contains_key(n)));
            }
        }
        Some(territory)
    }

    /// Adds `node` (a function or a table's declaration) to the territory
    /// and returns the identifiers it uses that were new, with the words
    /// of the macros it invokes (transitively).
    fn take(
        &mut self,
        node: Node,
        bytes: &[u8],
        macro_words: &HashMap<&str, Vec<&str>>,
    ) -> Vec<String> {
        self.spans.push((node.start_byte(), node.end_byte()));
        let mut found = Vec::new();
        let mut pending: Vec<String> = Vec::new();
        let mut cursor = node.walk();
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            if n.kind() == "identifier" {
                if let Ok(text) = n.utf8_text(bytes) {
                    pending.push(text.to_owned());
                }
            }
            stack.extend(n.children(&mut cursor));
        }
        while let Some(name) = pending.pop() {
            if self.names.contains(&name) {
                continue;
            }
            if let Some(body) = macro_words.get(name.as_str()) {
                pending.extend(body.iter().map(|w| (*w).to_owned()));
            }
            self.names.insert(name.clone());
            found.push(name);
        }
        found
    }

    /// Whether the territory holds the byte `offset` of the unit's text
    /// (a finding inside one of its functions or tables).
    pub fn holds(&self, offset: usize) -> bool {
        self.spans
            .iter()
            .any(|&(start, end)| start <= offset && offset < end)
    }

    /// Whether the territory uses `name`.
    pub fn uses(&self, name: &str) -> bool {
        self.names.contains(name)
    }
}

/// Whether `function`'s body declares a variable `name` with an
/// initialiser.
fn declares(function: Node, name: &str, bytes: &[u8]) -> bool {
    let mut cursor = function.walk();
    let mut stack = vec![function];
    while let Some(n) = stack.pop() {
        if n.kind() == "init_declarator"
            && crate::analysis::classify::innermost_name(n)
                .is_some_and(|i| i.utf8_text(bytes) == Ok(name))
        {
            return true;
        }
        stack.extend(n.children(&mut cursor));
    }
    false
}
