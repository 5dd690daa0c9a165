//! What a module claims about itself, and the synchronisation around a
//! write.
//!
//! A module can claim isolation or thread safety in its slot table
//! (`{Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED}`,
//! `{Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED}`,
//! `{Py_mod_gil, Py_MOD_GIL_NOT_USED}`) or at run time
//! (`PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED)`). [`find`] reads those
//! claims from a parsed translation unit (a `.c` file with the project
//! files it includes, inlined); they are attached to every site of the
//! unit, and keep the file they are made in. Only explicit claims count: the default of a multi-phase module
//! that names no `Py_mod_multiple_interpreters` slot is not read as one.
//!
//! [`Synchronisation`] tells whether a node runs under a lock: between a
//! `PyMutex_Lock`/`PyMutex_Unlock` pair (or `PyThread_acquire_lock` /
//! `PyThread_release_lock`, `pthread_mutex_lock` / `pthread_mutex_unlock`,
//! `Py_BEGIN_CRITICAL_SECTION` / `Py_END_CRITICAL_SECTION`) in its function,
//! or in a function passed to `pthread_once` / `call_once`.

use std::collections::HashSet;

use serde::Serialize;
use tree_sitter::Node;

use crate::analysis::parse;
use crate::analysis::parse::HasNodeId;
use crate::diagnostic::Span;

/// What a module claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClaimKind {
    /// `Py_MOD_PER_INTERPRETER_GIL_SUPPORTED`: safe in interpreters that
    /// each have their own GIL.
    PerInterpreterGil,
    /// `Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED`: safe in several
    /// interpreters (sharing the GIL).
    MultipleInterpreters,
    /// `Py_MOD_GIL_NOT_USED`: safe to run without the GIL (free-threaded).
    GilNotUsed,
    /// `Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED`: the module says it
    /// must not be imported in more than one interpreter.
    MultipleInterpretersNotSupported,
    /// `Py_MOD_GIL_USED`: the module says it needs the GIL (the default).
    GilUsed,
}

impl ClaimKind {
    /// Whether the claim is about interpreter isolation (as opposed to
    /// running without the GIL).
    pub fn is_isolation(self) -> bool {
        matches!(
            self,
            ClaimKind::PerInterpreterGil | ClaimKind::MultipleInterpreters
        )
    }

    /// Whether the module claims to support something (isolation, or
    /// running without the GIL), as opposed to saying it does not.
    pub fn is_support(self) -> bool {
        self.is_isolation() || self == ClaimKind::GilNotUsed
    }

    /// Whether the claim is about the GIL (`Py_mod_gil`), as opposed to
    /// several interpreters (`Py_mod_multiple_interpreters`).
    pub fn is_gil(self) -> bool {
        matches!(self, ClaimKind::GilNotUsed | ClaimKind::GilUsed)
    }

    /// The constant that makes the claim.
    pub fn constant(self) -> &'static str {
        match self {
            ClaimKind::PerInterpreterGil => "Py_MOD_PER_INTERPRETER_GIL_SUPPORTED",
            ClaimKind::MultipleInterpreters => "Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED",
            ClaimKind::GilNotUsed => "Py_MOD_GIL_NOT_USED",
            ClaimKind::MultipleInterpretersNotSupported => {
                "Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED"
            }
            ClaimKind::GilUsed => "Py_MOD_GIL_USED",
        }
    }

    /// A short description for a related location.
    pub fn describe(self) -> &'static str {
        match self {
            ClaimKind::PerInterpreterGil => {
                "the module claims support for interpreters with their own GIL here"
            }
            ClaimKind::MultipleInterpreters => {
                "the module claims support for multiple interpreters here"
            }
            ClaimKind::GilNotUsed => "the module claims to run without the GIL here",
            ClaimKind::MultipleInterpretersNotSupported => {
                "the module says it does not support multiple interpreters here"
            }
            ClaimKind::GilUsed => "the module says it needs the GIL here",
        }
    }
}

/// One claim and where it is made (the slot entry or the call).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Claim {
    /// Which claim.
    pub kind: ClaimKind,
    /// Byte span, in the parsed text, of the slot entry's initialiser list
    /// (`{Py_mod_gil, Py_MOD_GIL_NOT_USED}`) or of the
    /// `PyUnstable_Module_SetGIL(...)` call.
    pub span: Span,
}

/// The slot that a claim constant belongs in.
fn slot_of(kind: ClaimKind) -> &'static str {
    if kind.is_gil() {
        "Py_mod_gil"
    } else {
        "Py_mod_multiple_interpreters"
    }
}

const CONSTANTS: [ClaimKind; 5] = [
    ClaimKind::PerInterpreterGil,
    ClaimKind::MultipleInterpreters,
    ClaimKind::GilNotUsed,
    ClaimKind::MultipleInterpretersNotSupported,
    ClaimKind::GilUsed,
];

/// Every claim made in the file, once each, ordered by kind (in
/// [`ClaimKind`]'s order) and then by position. Input: the root of the
/// parsed file and its bytes. A constant counts only inside a slot entry of
/// the right slot (`{Py_mod_gil, Py_MOD_GIL_NOT_USED}`, designated
/// initialisers included) or as an argument of `PyUnstable_Module_SetGIL`;
/// comments, strings and `#define` bodies never count.
pub fn find(root: Node, bytes: &[u8]) -> Vec<Claim> {
    let mut claims = Vec::new();
    for kind in CONSTANTS {
        let word = kind.constant();
        for at in memchr::memmem::find_iter(bytes, word.as_bytes()) {
            let Some(node) = root.descendant_for_byte_range(at, at + word.len()) else {
                continue;
            };
            if node.kind() != "identifier" || node.utf8_text(bytes).ok() != Some(word) {
                continue;
            }
            if let Some(span) = claim_context(node, kind, bytes) {
                claims.push(Claim { kind, span });
            }
        }
    }
    claims.sort();
    claims.dedup();
    claims
}

/// Whether `bytes` spell an isolation claim's constant anywhere (a cheap
/// test before reading the claims: see [`find`]).
pub fn mentions_isolation(bytes: &[u8]) -> bool {
    CONSTANTS
        .iter()
        .filter(|k| k.is_isolation())
        .any(|k| memchr::memmem::find(bytes, k.constant().as_bytes()).is_some())
}

/// The span of the slot entry or call that puts `constant` to use.
fn claim_context(constant: Node, kind: ClaimKind, bytes: &[u8]) -> Option<Span> {
    let mut parent = constant.parent()?;
    if parent.kind() == "initializer_pair" {
        parent = parent.parent()?;
    }
    match parent.kind() {
        "initializer_list" => {
            let slot = slot_of(kind);
            let names_slot = |n: Node| {
                let n = if n.kind() == "initializer_pair" {
                    n.child_by_field_name("value").unwrap_or(n)
                } else {
                    n
                };
                n.kind() == "identifier" && n.utf8_text(bytes).ok() == Some(slot)
            };
            let mut cursor = parent.walk();
            let found = parent.named_children(&mut cursor).any(names_slot);
            found.then(|| Span::of(parent))
        }
        "argument_list" if kind.is_gil() => {
            let call = parent.parent().filter(|c| c.kind() == "call_expression")?;
            let callee = call
                .child_by_field_name("function")?
                .utf8_text(bytes)
                .ok()?;
            (callee == "PyUnstable_Module_SetGIL").then(|| Span::of(call))
        }
        _ => None,
    }
}

/// Lock and unlock calls, by name.
const LOCKS: &[&str] = &[
    "PyMutex_Lock",
    "PyThread_acquire_lock",
    "PyThread_acquire_lock_timed",
    "pthread_mutex_lock",
    "Py_BEGIN_CRITICAL_SECTION",
    "Py_BEGIN_CRITICAL_SECTION2",
];
const UNLOCKS: &[&str] = &[
    "PyMutex_Unlock",
    "PyThread_release_lock",
    "pthread_mutex_unlock",
    "Py_END_CRITICAL_SECTION",
    "Py_END_CRITICAL_SECTION2",
];
const ONCE_CALLS: &[&str] = &["pthread_once", "call_once"];

/// The lock regions and once-callbacks of a file.
pub struct Synchronisation {
    /// (function start byte, call start, call end, true for a lock) in
    /// document order.
    events: Vec<(usize, usize, usize, bool)>,
    /// Names of functions passed to `pthread_once` / `call_once`.
    once_callbacks: HashSet<String>,
}

impl Synchronisation {
    /// Collects the lock and unlock calls and the once-callbacks of a file.
    pub fn find(root: Node, bytes: &[u8]) -> Synchronisation {
        let mut events = Vec::new();
        let mut once_callbacks = HashSet::new();
        let mut words: Vec<&str> = LOCKS
            .iter()
            .chain(UNLOCKS)
            .chain(ONCE_CALLS)
            .copied()
            .collect();
        words.sort_unstable();
        words.dedup();
        let mut seen = HashSet::new();
        for word in words {
            for at in memchr::memmem::find_iter(bytes, word.as_bytes()) {
                let Some(node) = root.descendant_for_byte_range(at, at + word.len()) else {
                    continue;
                };
                if node.kind() != "identifier" || node.utf8_text(bytes).ok() != Some(word) {
                    continue;
                }
                let Some(call) = node
                    .parent()
                    .filter(|c| c.kind() == "call_expression")
                    .filter(|c| c.child_by_field_name("function") == Some(node))
                else {
                    continue;
                };
                if !seen.insert(call.node_id()) {
                    continue;
                }
                if ONCE_CALLS.contains(&word) {
                    if let Some(callback) = call
                        .child_by_field_name("arguments")
                        .and_then(|a| {
                            let mut cursor = a.walk();
                            let args: Vec<Node> = a
                                .named_children(&mut cursor)
                                .filter(|n| n.kind() != "comment")
                                .collect();
                            args.get(1).copied()
                        })
                        .map(parse::strip_parens)
                    {
                        let callback = match callback.kind() {
                            "pointer_expression" => callback.child_by_field_name("argument"),
                            _ => Some(callback),
                        };
                        if let Some(name) = callback
                            .filter(|c| c.kind() == "identifier")
                            .and_then(|c| c.utf8_text(bytes).ok())
                        {
                            once_callbacks.insert(name.to_owned());
                        }
                    }
                    continue;
                }
                let Some(function) = parse::enclosing_function(call) else {
                    continue;
                };
                events.push((
                    function.start_byte(),
                    call.start_byte(),
                    call.end_byte(),
                    LOCKS.contains(&word),
                ));
            }
        }
        events.sort_unstable();
        Synchronisation {
            events,
            once_callbacks,
        }
    }

    /// The region (`Some(start of its lock call)`, or `Some(function start)`
    /// for a once-callback) that `node` runs inside, or `None` when it runs
    /// unsynchronised. A region is opened by a lock call earlier in the same
    /// function, with no unlock in between, and closed by an unlock call
    /// after the node.
    pub fn region(&self, node: Node, bytes: &[u8]) -> Option<usize> {
        let function = parse::enclosing_function(node)?;
        if parse::function_name(function, bytes).is_some_and(|n| self.once_callbacks.contains(n)) {
            return Some(function.start_byte());
        }
        let f = function.start_byte();
        let in_function = self.events.iter().filter(|e| e.0 == f);
        let before = in_function.clone().rfind(|e| e.2 <= node.start_byte())?;
        if !before.3 {
            return None; // the last call before the node unlocked
        }
        let unlocked_after = in_function.filter(|e| e.1 >= node.end_byte()).any(|e| !e.3);
        unlocked_after.then_some(before.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::parse::{new_parser, parse};

    fn claims(src: &str) -> Vec<ClaimKind> {
        let mut parser = new_parser();
        let tree = parse(&mut parser, src.as_bytes()).unwrap();
        find(tree.root_node(), src.as_bytes())
            .into_iter()
            .map(|c| c.kind)
            .collect()
    }

    #[test]
    fn reads_slot_entries_and_calls() {
        let src = "static PyModuleDef_Slot s[] = {\n\
                   {Py_mod_exec, exec},\n\
                   {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},\n\
                   {.slot = Py_mod_gil, .value = Py_MOD_GIL_NOT_USED},\n\
                   {0, NULL}};\n";
        assert_eq!(
            claims(src),
            [ClaimKind::PerInterpreterGil, ClaimKind::GilNotUsed]
        );
        let src = "PyMODINIT_FUNC PyInit_m(void) { PyObject *m = PyModule_Create(&d);\n\
                   PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED); return m; }\n";
        assert_eq!(claims(src), [ClaimKind::GilNotUsed]);
    }

    #[test]
    fn ignores_comments_strings_defines_and_wrong_slots() {
        let src = "/* {Py_mod_gil, Py_MOD_GIL_NOT_USED} */\n\
                   #define X Py_MOD_GIL_NOT_USED\n\
                   const char *s = \"Py_MOD_PER_INTERPRETER_GIL_SUPPORTED\";\n\
                   static PyModuleDef_Slot s[] = {{Py_mod_gil, Py_MOD_GIL_USED},\n\
                   {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED},\n\
                   {Py_mod_exec, Py_MOD_GIL_NOT_USED}, {0, NULL}};\n";
        assert_eq!(
            claims(src),
            [
                ClaimKind::MultipleInterpretersNotSupported,
                ClaimKind::GilUsed
            ],
            "what a module says it does not support is read too"
        );
        assert!(claims(src).iter().all(|c| !c.is_support()));
    }
}
