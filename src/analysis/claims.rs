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

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde::Serialize;
use tree_sitter::Node;

use crate::analysis::callgraph::{
    declared_identifier, file_scope_items, has_storage, parenthesised_after, pp_tokens, UnitMacros,
};
use crate::analysis::parse;
use crate::analysis::parse::HasNodeId;
use crate::diagnostic::Span;
use crate::scan::lexer::{Lexer, Token};

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
/// comments, strings and `#define` bodies never count, but an invocation of
/// the unit's macros counts as what it expands to, with any of the macro's
/// definitions (`#if` branches): `MOD_GIL_SLOT` in a slot table with
/// `#define MOD_GIL_SLOT {Py_mod_gil, Py_MOD_GIL_NOT_USED},`, a
/// `GIL_SLOT(Py_MOD_GIL_NOT_USED)` entry, `{Py_mod_gil, NOGIL}` with
/// `#define NOGIL Py_MOD_GIL_NOT_USED`. Such a claim's span is the
/// invocation.
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
    claims.extend(macro_claims(root, bytes));
    claims.sort();
    claims.dedup();
    claims
}

/// The claims of `claims` that this build makes: those outside every
/// range of `other_builds` (byte ranges of text that this build does not
/// compile but another build may, sorted and apart). Binary search per
/// claim.
pub fn compiled(mut claims: Vec<Claim>, other_builds: &[Range<usize>]) -> Vec<Claim> {
    if !other_builds.is_empty() {
        claims.retain(|c| {
            let at = other_builds.partition_point(|r| r.end <= c.span.start);
            other_builds.get(at).is_none_or(|r| c.span.end <= r.start)
        });
    }
    claims
}

/// The claims to run without the GIL made in `ranges` of `bytes` (byte
/// ranges of text that this build does not compile but another build may:
/// a branch under `#ifdef Py_GIL_DISABLED` or a version test, whose claims
/// [`compiled`] leaves out of this build's). A claim is
/// `Py_MOD_GIL_NOT_USED` in a brace entry that names `Py_mod_gil` at its
/// own level, or in the parentheses of a `PyUnstable_Module_SetGIL` call,
/// the group opened and closed inside one range. Read as tokens: comments,
/// strings and directives (a compat `#define` of the constant) never count,
/// and the unit's macros are not expanded. One pass over each range with an
/// explicit stack of open groups: linear in the text, whatever its nesting.
/// Each claim's span is the constant's, in `bytes`.
pub fn in_uncompiled(bytes: &[u8], ranges: &[Range<usize>]) -> Vec<Claim> {
    /// A `{` or `(` still open.
    struct Group {
        brace: bool,
        /// A `(` right after `PyUnstable_Module_SetGIL`.
        set_gil: bool,
        /// A `{` that names `Py_mod_gil` at its own level.
        slot: bool,
        /// Where the constant stands at its own level.
        constants: Vec<usize>,
    }
    let kind = ClaimKind::GilNotUsed;
    let word = kind.constant().as_bytes();
    let mut claims = Vec::new();
    for range in ranges {
        let text = &bytes[range.clone()];
        if memchr::memmem::find(text, word).is_none() {
            continue;
        }
        let base = text.as_ptr() as usize;
        let mut open: Vec<Group> = Vec::new();
        let mut previous: Option<&[u8]> = None;
        let mut lexer = Lexer::at(text, 0);
        while let Some(token) = lexer.next_token(false) {
            match token {
                Token::Punct(b"{") | Token::Punct(b"(") => open.push(Group {
                    brace: token == Token::Punct(b"{"),
                    set_gil: previous == Some(b"PyUnstable_Module_SetGIL".as_slice()),
                    slot: false,
                    constants: Vec::new(),
                }),
                Token::Punct(b"}") | Token::Punct(b")") => {
                    // A close of a group opened before the range is none of ours.
                    let Some(group) = open.pop() else { continue };
                    if (group.brace && group.slot) || (!group.brace && group.set_gil) {
                        claims.extend(group.constants.into_iter().map(|at| Claim {
                            kind,
                            span: Span {
                                start: range.start + at,
                                end: range.start + at + word.len(),
                            },
                        }));
                    }
                }
                Token::Ident(name) => {
                    if let Some(group) = open.last_mut() {
                        if name == word {
                            group.constants.push(name.as_ptr() as usize - base);
                        } else if group.brace && name == slot_of(kind).as_bytes() {
                            group.slot = true;
                        }
                    }
                }
                _ => {}
            }
            previous = match token {
                Token::Ident(name) => Some(name),
                _ => None,
            };
        }
    }
    claims.sort();
    claims.dedup();
    claims
}

/// The names a claim is spelled with: the slots, the constants and
/// `PyUnstable_Module_SetGIL`.
fn claim_words() -> Vec<&'static str> {
    let mut words: Vec<&str> = CONSTANTS.iter().map(|k| k.constant()).collect();
    words.extend([
        "Py_mod_gil",
        "Py_mod_multiple_interpreters",
        "PyUnstable_Module_SetGIL",
    ]);
    words
}

/// The claims that invocations of the unit's macros make (see [`find`]).
fn macro_claims(root: Node, bytes: &[u8]) -> Vec<Claim> {
    let words = claim_words();
    if !CONSTANTS
        .iter()
        .any(|k| memchr::memmem::find(bytes, k.constant().as_bytes()).is_some())
    {
        return Vec::new();
    }
    let macros = UnitMacros::of(root, bytes);
    let mut out = Vec::new();
    for invocation in invocations(root, bytes, &macros, &words) {
        let span = Span {
            start: invocation.node.start_byte(),
            end: invocation.end,
        };
        let expansions = macros.expand_each(invocation.name, invocation.arguments, &words);
        for tokens in expansions.into_iter().flatten() {
            for kind in CONSTANTS {
                for (i, token) in tokens.iter().enumerate() {
                    if token != kind.constant() {
                        continue;
                    }
                    let claimed = match enclosing_group(&tokens, i) {
                        Some(open) => group_claims(&tokens, open, kind),
                        // The invocation stands for the constant alone.
                        None => claim_context(invocation.node, kind, bytes).is_some(),
                    };
                    if claimed {
                        out.push(Claim { kind, span });
                    }
                }
            }
        }
    }
    out
}

/// An invocation of one of the unit's macros in the parsed text.
struct Invocation<'t, 's> {
    /// The macro's name.
    name: &'s str,
    /// Its name where it is invoked.
    node: Node<'t>,
    /// The parenthesised arguments of a function-like macro.
    arguments: Option<&'s str>,
    /// The byte past the invocation.
    end: usize,
}

/// Every invocation, in code (not in a directive), of the unit's macros
/// whose bodies name one of `words` or such a macro ([`macros_mentioning`]),
/// by name and then position; a function-like macro's name without
/// arguments is none.
fn invocations<'t, 's>(
    root: Node<'t>,
    bytes: &'s [u8],
    macros: &UnitMacros<'s>,
    words: &[&str],
) -> Vec<Invocation<'t, 's>> {
    let mut out = Vec::new();
    for name in macros_mentioning(macros, words) {
        let function_like = macros.is_function_like(name);
        for at in memchr::memmem::find_iter(bytes, name.as_bytes()) {
            let Some(node) = root.descendant_for_byte_range(at, at + name.len()) else {
                continue;
            };
            if node.start_byte() != at
                || !matches!(node.kind(), "identifier" | "type_identifier")
                || node.utf8_text(bytes).ok() != Some(name)
                || node
                    .parent()
                    .is_some_and(|p| p.kind().starts_with("preproc_"))
            {
                continue;
            }
            let (arguments, end) = if function_like {
                match parenthesised_after(bytes, node.end_byte()) {
                    Some((text, end)) => (Some(text), end),
                    None => continue,
                }
            } else {
                (None, node.end_byte())
            };
            out.push(Invocation {
                name,
                node,
                arguments,
                end,
            });
        }
    }
    out
}

/// The unit's macros whose bodies name one of `words`, or such a macro,
/// to a fixed point (sorted by name).
fn macros_mentioning<'s>(macros: &UnitMacros<'s>, words: &[&str]) -> Vec<&'s str> {
    let mut found: HashSet<&str> = HashSet::new();
    loop {
        let mut added: Vec<&str> = macros
            .names()
            .filter(|n| !words.contains(n) && !found.contains(n))
            .filter(|n| {
                macros.bodies(n).iter().any(|b| {
                    pp_tokens(b)
                        .iter()
                        .any(|t| found.contains(t.as_str()) || words.contains(&t.as_str()))
                })
            })
            .collect();
        if added.is_empty() {
            break;
        }
        added.sort_unstable();
        found.extend(added);
    }
    let mut names: Vec<&str> = found.into_iter().collect();
    names.sort_unstable();
    names
}

/// The index of the innermost `{` or `(` still open at `tokens[at]`.
fn enclosing_group(tokens: &[String], at: usize) -> Option<usize> {
    let mut depth = 0usize;
    for i in (0..at).rev() {
        match tokens[i].as_str() {
            ")" | "}" => depth += 1,
            "(" | "{" if depth == 0 => return Some(i),
            "(" | "{" => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Whether the group opened at `tokens[open]` puts `kind`'s constant to
/// use: a brace entry naming the right slot at its own level (`{Py_mod_gil,
/// C}`, `{.slot = Py_mod_gil, .value = C}`), or the argument list of
/// `PyUnstable_Module_SetGIL` for a GIL claim.
fn group_claims(tokens: &[String], open: usize, kind: ClaimKind) -> bool {
    if tokens[open] == "(" {
        return kind.is_gil() && open > 0 && tokens[open - 1] == "PyUnstable_Module_SetGIL";
    }
    let slot = slot_of(kind);
    let mut depth = 0usize;
    for token in &tokens[open..] {
        match token.as_str() {
            "(" | "{" => depth += 1,
            ")" | "}" => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            t if depth == 1 && t == slot => return true,
            _ => {}
        }
    }
    false
}

/// Whether `bytes` name a claim's constant or a lock or critical section
/// call: a header of the unit that does, defining a macro the analysis
/// expands (a slot entry, `LOCK()`), is read with it.
pub fn mentions_claim_or_lock(bytes: &[u8]) -> bool {
    CONSTANTS
        .iter()
        .map(|k| k.constant())
        .chain(region_words())
        .any(|w| memchr::memmem::find(bytes, w.as_bytes()).is_some())
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
    // One descent from the root for the two or three nodes above.
    let above = parse::ancestors(constant);
    let pair = above.first()?.kind() == "initializer_pair";
    let (parent, grandparent) = if pair {
        (above.get(1)?, above.get(2))
    } else {
        (above.first()?, above.get(1))
    };
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
            let call = grandparent.filter(|c| c.kind() == "call_expression")?;
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
];
/// Calls that lock objects for a region (critical sections), each with the
/// 0-based positions of the objects it locks among its arguments.
const OBJECT_LOCKS: &[(&str, &[usize])] = &[
    ("Py_BEGIN_CRITICAL_SECTION", &[0]),
    ("Py_BEGIN_CRITICAL_SECTION2", &[0, 1]),
    ("PyCriticalSection_Begin", &[1]),
    ("PyCriticalSection2_Begin", &[1, 2]),
];
const UNLOCKS: &[&str] = &[
    "PyMutex_Unlock",
    "PyThread_release_lock",
    "pthread_mutex_unlock",
    "Py_END_CRITICAL_SECTION",
    "Py_END_CRITICAL_SECTION2",
    "PyCriticalSection_End",
    "PyCriticalSection2_End",
];
const ONCE_CALLS: &[&str] = &["pthread_once", "call_once"];

/// Every name whose call opens or closes a region.
fn region_words() -> impl Iterator<Item = &'static str> {
    LOCKS
        .iter()
        .chain(OBJECT_LOCKS.iter().map(|(w, _)| w))
        .chain(UNLOCKS)
        .copied()
}

/// What a call or a macro invocation does to the lock regions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Event {
    /// Opens a region that excludes every other thread taking it: a lock,
    /// or a critical section on a process-wide object.
    Lock,
    /// Closes one.
    Unlock,
    /// Neither: another call, a critical section on an object that may
    /// differ between calls (`self`), or a lock and its unlock together.
    Other,
}

/// A lock or unlock call (or macro invocation) of a function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct RegionEvent {
    /// The function's start byte.
    function: usize,
    /// The call's byte range.
    start: usize,
    end: usize,
    /// A lock (else an unlock).
    lock: bool,
    /// The byte range of the exit block an unlock is confined to
    /// ([`exit_block`]).
    confined: Option<(usize, usize)>,
}

/// The lock regions and once-callbacks of a file.
pub struct Synchronisation {
    /// The lock and unlock calls, in document order.
    events: Vec<RegionEvent>,
    /// Names of functions passed to `pthread_once` / `call_once`.
    once_callbacks: HashSet<String>,
}

impl Synchronisation {
    /// Collects the lock and unlock calls and the once-callbacks of a file
    /// (the parsed tree's `root` over the unit's text `bytes`), whether
    /// called directly or through the unit's macros (`#define LOCK()
    /// PyMutex_Lock(&lock)`, expanded as the preprocessor does, through
    /// several levels and from any header of the unit).
    ///
    /// A critical section (`Py_BEGIN_CRITICAL_SECTION(op)`, the
    /// `PyCriticalSection_Begin` family) locks only the object it is given:
    /// it opens a region for the unit's statics only when that object is
    /// process-wide, a variable with static storage or its address
    /// (`Py_BEGIN_CRITICAL_SECTION(&Registry_Type)`), named past casts and
    /// parentheses and not shadowed by a local or parameter. On `self`, a
    /// parameter or anything else two calls may give different values, two
    /// threads run the region at once (Argument Clinic's
    /// `@critical_section` locks `self`).
    ///
    /// A macro counts as a lock when one of its definitions locks and
    /// every other expands to nothing but a no-op (`((void)0)`, `do {}
    /// while (0)`): the build for a CPython without `PyMutex`, which has a
    /// GIL; a definition that does anything else leaves it no lock.
    pub fn find(root: Node, bytes: &[u8]) -> Synchronisation {
        let mut events = Vec::new();
        let mut once_callbacks = HashSet::new();
        let mut words: Vec<&str> = region_words().chain(ONCE_CALLS.iter().copied()).collect();
        words.sort_unstable();
        words.dedup();
        let mut seen = HashSet::new();
        let mut process_wide = ProcessWide::new(root, bytes);
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
                    if let Some(callback) = once_callback(call, bytes) {
                        once_callbacks.insert(callback.to_owned());
                    }
                    continue;
                }
                let Some(function) = parse::enclosing_function(call) else {
                    continue;
                };
                let text = call.utf8_text(bytes).unwrap_or("");
                let tokens = pp_tokens(text);
                let lock = match event_of(&tokens, &mut |object| process_wide.is(function, object))
                {
                    Event::Lock => true,
                    Event::Unlock => false,
                    Event::Other => continue,
                };
                events.push(RegionEvent {
                    function: function.start_byte(),
                    start: call.start_byte(),
                    end: call.end_byte(),
                    lock,
                    confined: (!lock).then(|| exit_block(call)).flatten(),
                });
            }
        }
        macro_events(root, bytes, &mut process_wide, &mut events);
        events.sort_unstable();
        events.dedup();
        Synchronisation {
            events,
            once_callbacks,
        }
    }

    /// The region (`Some(start of its lock call)`, or `Some(function start)`
    /// for a once-callback) that `node` runs inside, or `None` when it runs
    /// unsynchronised. A region is opened by a lock call earlier in the same
    /// function, with no unlock in between, and closed by an unlock call
    /// after the node. An unlock in a block that leaves the function or the
    /// loop (`if (err) { UNLOCK(); return NULL; }`) closes the region only
    /// inside that block.
    pub fn region(&self, node: Node, bytes: &[u8]) -> Option<usize> {
        let function = parse::enclosing_function(node)?;
        if parse::function_name(function, bytes).is_some_and(|n| self.once_callbacks.contains(n)) {
            return Some(function.start_byte());
        }
        let f = function.start_byte();
        let in_function = self.events.iter().filter(|e| e.function == f);
        let before = in_function
            .clone()
            .filter(|e| {
                e.confined
                    .is_none_or(|(start, end)| start <= node.start_byte() && node.end_byte() <= end)
            })
            .rfind(|e| e.end <= node.start_byte())?;
        if !before.lock {
            return None; // the last call before the node unlocked
        }
        let unlocked_after = in_function
            .filter(|e| e.start >= node.end_byte())
            .any(|e| !e.lock);
        unlocked_after.then_some(before.start)
    }
}

/// The block an unlock call is confined to: the `{ … }` around it, when
/// that block is no function's body and ends by leaving (`return`, `goto`,
/// `break`, `continue`), so the unlock is on an exit path only.
fn exit_block(call: Node) -> Option<(usize, usize)> {
    let block = parse::ancestors(call)
        .into_iter()
        .find(|a| a.kind() == "compound_statement")?;
    if block
        .parent()
        .is_some_and(|p| p.kind() == "function_definition")
    {
        return None;
    }
    let mut cursor = block.walk();
    let last = block
        .named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .last()?;
    matches!(
        last.kind(),
        "return_statement" | "goto_statement" | "break_statement" | "continue_statement"
    )
    .then(|| (block.start_byte(), block.end_byte()))
}

/// The name of the function a `pthread_once`/`call_once` call runs: its
/// second argument, `f` or `&f`.
fn once_callback<'s>(call: Node, bytes: &'s [u8]) -> Option<&'s str> {
    let arguments = call.child_by_field_name("arguments")?;
    let mut cursor = arguments.walk();
    let callback = arguments
        .named_children(&mut cursor)
        .filter(|n| n.kind() != "comment")
        .nth(1)
        .map(parse::strip_parens)?;
    let callback = match callback.kind() {
        "pointer_expression" => callback.child_by_field_name("argument")?,
        _ => callback,
    };
    (callback.kind() == "identifier")
        .then(|| callback.utf8_text(bytes).ok())
        .flatten()
}

/// What the preprocessing `tokens` of a call or a macro's expansion do to
/// the lock regions: a lock, an unlock, or neither (both at once count as
/// neither). `process_wide` tells whether the tokens of a critical
/// section's object argument name a process-wide object.
fn event_of(tokens: &[String], process_wide: &mut dyn FnMut(&[String]) -> bool) -> Event {
    let mut locks = false;
    let mut unlocks = false;
    for (i, token) in tokens.iter().enumerate() {
        if tokens.get(i + 1).map(String::as_str) != Some("(") {
            continue;
        }
        if LOCKS.contains(&token.as_str()) {
            locks = true;
        } else if UNLOCKS.contains(&token.as_str()) {
            unlocks = true;
        } else if let Some((_, positions)) = OBJECT_LOCKS.iter().find(|(w, _)| w == token) {
            let arguments = top_level_arguments(&tokens[i + 1..]);
            if positions
                .iter()
                .any(|&p| arguments.get(p).is_some_and(|a| process_wide(a)))
            {
                locks = true;
            }
        }
    }
    match (locks, unlocks) {
        (true, false) => Event::Lock,
        (false, true) => Event::Unlock,
        _ => Event::Other,
    }
}

/// The arguments of the parenthesised list that `tokens` start with, split
/// at its top-level commas.
fn top_level_arguments(tokens: &[String]) -> Vec<&[String]> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 1;
    for (i, token) in tokens.iter().enumerate() {
        match token.as_str() {
            "(" | "[" | "{" => depth += 1,
            ")" | "]" | "}" => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    out.push(&tokens[start..i]);
                    break;
                }
            }
            "," if depth == 1 => {
                out.push(&tokens[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out
}

/// Whether an expansion does nothing: no tokens, or only `((void)0)`,
/// `do { } while (0)` and their punctuation.
fn is_no_op(tokens: &[String]) -> bool {
    tokens.iter().all(|t| {
        matches!(
            t.as_str(),
            "(" | ")" | "{" | "}" | ";" | "void" | "do" | "while" | "0"
        )
    })
}

/// The lock and unlock events that invocations of the unit's macros make:
/// a macro whose body names a lock or unlock call, or such a macro
/// (followed through the unit's macros to a fixed point), invoked inside a
/// function, expanded with each of its definitions ([`Synchronisation::find`]
/// says how they combine).
fn macro_events(
    root: Node,
    bytes: &[u8],
    process_wide: &mut ProcessWide,
    events: &mut Vec<RegionEvent>,
) {
    let macros = UnitMacros::of(root, bytes);
    let words: Vec<&str> = region_words().collect();
    for invocation in invocations(root, bytes, &macros, &words) {
        let Some(function) = parse::enclosing_function(invocation.node) else {
            continue;
        };
        let mut lock = false;
        let mut unlock = false;
        let mut other = false;
        for expansion in macros.expand_each(invocation.name, invocation.arguments, &words) {
            let Some(tokens) = expansion else {
                other = true;
                continue;
            };
            match event_of(&tokens, &mut |object| process_wide.is(function, object)) {
                Event::Lock => lock = true,
                Event::Unlock => unlock = true,
                Event::Other if is_no_op(&tokens) => {}
                Event::Other => other = true,
            }
        }
        if other || lock == unlock {
            continue;
        }
        events.push(RegionEvent {
            function: function.start_byte(),
            start: invocation.node.start_byte(),
            end: invocation.end,
            lock,
            confined: (!lock).then(|| exit_block(invocation.node)).flatten(),
        });
    }
}

/// Which names denote process-wide objects: the unit's variables with
/// static storage (declared at file scope, or `static` in the function at
/// hand) that no local or parameter of that function shadows.
struct ProcessWide<'s> {
    bytes: &'s [u8],
    file_scope: HashSet<&'s str>,
    /// Per function (by start byte): its `static` locals, and its other
    /// locals and parameters.
    functions: HashMap<usize, (HashSet<&'s str>, HashSet<&'s str>)>,
}

impl<'s> ProcessWide<'s> {
    fn new(root: Node, bytes: &'s [u8]) -> ProcessWide<'s> {
        let mut file_scope = HashSet::new();
        for item in file_scope_items(root) {
            if item.kind() != "declaration" || has_storage(item, bytes, "typedef") {
                continue;
            }
            let mut cursor = item.walk();
            for declarator in item.children_by_field_name("declarator", &mut cursor) {
                if let Some(name) =
                    declared_identifier(declarator).and_then(|n| n.utf8_text(bytes).ok())
                {
                    file_scope.insert(name);
                }
            }
        }
        ProcessWide {
            bytes,
            file_scope,
            functions: HashMap::new(),
        }
    }

    /// Whether the argument `tokens` name a process-wide object: a name
    /// with static storage or its address, past parentheses, casts
    /// (`(PyObject *)`) and `_PyObject_CAST(…)`, seen from `function`.
    fn is(&mut self, function: Node, tokens: &[String]) -> bool {
        let mut tokens = tokens;
        loop {
            match tokens {
                [first, rest @ ..] if first == "&" => tokens = rest,
                [cast, open, inner @ .., close]
                    if matches!(cast.as_str(), "_PyObject_CAST" | "_PyObject_CAST_CONST")
                        && open == "("
                        && close == ")" =>
                {
                    tokens = inner
                }
                [open, ..] if open == "(" => {
                    let Some(close) = matching_close(tokens) else {
                        return false;
                    };
                    if close == tokens.len() - 1 {
                        tokens = &tokens[1..close];
                    } else if tokens[1..close].iter().all(|t| t == "*" || is_word(t)) {
                        tokens = &tokens[close + 1..];
                    } else {
                        return false;
                    }
                }
                _ => break,
            }
        }
        let [name] = tokens else {
            return false;
        };
        if !is_word(name) {
            return false;
        }
        let bytes = self.bytes;
        let (statics, locals) = self
            .functions
            .entry(function.start_byte())
            .or_insert_with(|| function_names(function, bytes));
        if locals.contains(name.as_str()) {
            return false;
        }
        statics.contains(name.as_str()) || self.file_scope.contains(name.as_str())
    }
}
/// The index of the `)` that closes the `(` at `tokens[0]`.
fn matching_close(tokens: &[String]) -> Option<usize> {
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate() {
        match token.as_str() {
            "(" => depth += 1,
            ")" => {
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

/// Whether `token` is an identifier.
fn is_word(token: &str) -> bool {
    token
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The names `function` declares: its `static` locals, and its other
/// locals and parameters.
fn function_names<'s>(function: Node, bytes: &'s [u8]) -> (HashSet<&'s str>, HashSet<&'s str>) {
    let mut statics = HashSet::new();
    let mut locals = HashSet::new();
    let mut pending = vec![function];
    while let Some(node) = pending.pop() {
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            match child.kind() {
                "declaration" | "parameter_declaration" => {
                    let is_static = has_storage(child, bytes, "static");
                    let mut inner = child.walk();
                    for declarator in child.children_by_field_name("declarator", &mut inner) {
                        if let Some(name) =
                            declared_identifier(declarator).and_then(|n| n.utf8_text(bytes).ok())
                        {
                            if is_static {
                                statics.insert(name);
                            } else {
                                locals.insert(name);
                            }
                        }
                    }
                    pending.push(child);
                }
                _ => pending.push(child),
            }
        }
    }
    (statics, locals)
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
    fn reads_gil_claims_in_text_that_is_not_compiled() {
        fn read(text: &str, ranges: &[Range<usize>]) -> Vec<String> {
            in_uncompiled(text.as_bytes(), ranges)
                .into_iter()
                .map(|c| {
                    assert_eq!(c.kind, ClaimKind::GilNotUsed);
                    text[c.span.start..c.span.end].to_owned()
                })
                .collect()
        }
        let whole = |text: &str| read(text, std::slice::from_ref(&(0..text.len())));
        // A slot entry (designated too) and the run-time call.
        assert_eq!(
            whole("{Py_mod_gil, Py_MOD_GIL_NOT_USED},\n{.slot = Py_mod_gil, .value = Py_MOD_GIL_NOT_USED},"),
            ["Py_MOD_GIL_NOT_USED", "Py_MOD_GIL_NOT_USED"]
        );
        assert_eq!(
            whole("    PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED);\n"),
            ["Py_MOD_GIL_NOT_USED"]
        );
        // Comments, strings, directives, another slot or call, and a
        // group the range does not hold are none.
        for text in [
            "/* {Py_mod_gil, Py_MOD_GIL_NOT_USED} */ // {Py_mod_gil, Py_MOD_GIL_NOT_USED}\n",
            "static const char s[] = \"{Py_mod_gil, Py_MOD_GIL_NOT_USED}\";\n",
            "#  define GIL_SLOT {Py_mod_gil, \\\n Py_MOD_GIL_NOT_USED},\n",
            "{Py_mod_exec, Py_MOD_GIL_NOT_USED}, f(m, Py_MOD_GIL_NOT_USED);\n",
            "Py_mod_gil, Py_MOD_GIL_NOT_USED}, {Py_mod_gil, Py_MOD_GIL_NOT_USED\n",
            "{{Py_mod_gil}, Py_MOD_GIL_NOT_USED}",
        ] {
            assert!(whole(text).is_empty(), "{text}");
        }
        // Only the ranges count, each its own text; offsets are the file's.
        let text = "{Py_mod_gil, Py_MOD_GIL_NOT_USED}\n#else\nPyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED);\n";
        let second = text.find("PyUnstable").unwrap();
        let claims = in_uncompiled(text.as_bytes(), &[1..12, second..text.len()]);
        assert_eq!(claims.len(), 1);
        assert_eq!(claims[0].span.start, text.rfind("Py_MOD").unwrap());
        // Deep nesting costs no stack: a work list, not recursion.
        let depth = 30_000;
        let deep = format!(
            "{}{{Py_mod_gil, Py_MOD_GIL_NOT_USED}}{}",
            "(".repeat(depth),
            ")".repeat(depth)
        );
        assert_eq!(whole(&deep).len(), 1);
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

    #[test]
    fn reads_claims_spelled_through_the_units_macros() {
        let table = |defines: &str, entries: &str| {
            format!(
                "{defines}\nstatic PyModuleDef_Slot s[] = {{\n{{Py_mod_exec, exec}},\n{entries}\n{{0, NULL}}}};\n"
            )
        };
        for (defines, entries, expected) in [
            // A whole entry, with its comma, under #if (either branch counts).
            (
                "#if PY_VERSION_HEX >= 0x030D0000\n#define MOD_GIL_SLOT {Py_mod_gil, Py_MOD_GIL_NOT_USED},\n#else\n#define MOD_GIL_SLOT\n#endif",
                "MOD_GIL_SLOT",
                ClaimKind::GilNotUsed,
            ),
            // Two levels, the constant an argument.
            (
                "#define ENTRY(s, v) {s, v},\n#define ISOLATED ENTRY(Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED)",
                "ISOLATED",
                ClaimKind::PerInterpreterGil,
            ),
            (
                "#define GIL_SLOT(v) {Py_mod_gil, v}",
                "GIL_SLOT(Py_MOD_GIL_NOT_USED),",
                ClaimKind::GilNotUsed,
            ),
            // The value alone, and designated initialisers in a macro.
            (
                "#define NOGIL Py_MOD_GIL_NOT_USED",
                "{Py_mod_gil, NOGIL},",
                ClaimKind::GilNotUsed,
            ),
            (
                "#define GIL_OFF { .slot = Py_mod_gil, .value = Py_MOD_GIL_NOT_USED }",
                "GIL_OFF,",
                ClaimKind::GilNotUsed,
            ),
            // A compatibility definition of the constant itself is not
            // followed.
            (
                "#define Py_MOD_GIL_NOT_USED ((void *)1)\n#define GIL_SLOT {Py_mod_gil, Py_MOD_GIL_NOT_USED},",
                "GIL_SLOT",
                ClaimKind::GilNotUsed,
            ),
        ] {
            assert_eq!(claims(&table(defines, entries)), [expected], "{defines}");
        }
        // At run time.
        let src = "#define NOGIL Py_MOD_GIL_NOT_USED\n\
                   #define NO_GIL(m) PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED)\n\
                   PyMODINIT_FUNC PyInit_m(void) { PyObject *m = PyModule_Create(&d);\n\
                   PyUnstable_Module_SetGIL(m, NOGIL); NO_GIL(m); return m; }\n";
        assert_eq!(claims(src), [ClaimKind::GilNotUsed, ClaimKind::GilNotUsed]);
    }

    #[test]
    fn macros_that_make_no_claim_are_not_read_as_one() {
        let src = "#define NOGIL Py_MOD_GIL_NOT_USED\n\
                   #define UNUSED_SLOT {Py_mod_gil, Py_MOD_GIL_NOT_USED},\n\
                   #ifdef UNUSED_SLOT\n#endif\n\
                   static PyModuleDef_Slot s[] = {{Py_mod_exec, NOGIL}, {0, NULL}};\n\
                   static void *v = NOGIL;\n";
        assert_eq!(claims(src), []);
    }

    fn regions(src: &str, marker: &str) -> Option<usize> {
        let mut parser = new_parser();
        let tree = parse(&mut parser, src.as_bytes()).unwrap();
        let sync = Synchronisation::find(tree.root_node(), src.as_bytes());
        let at = src.find(marker).unwrap();
        let node = tree
            .root_node()
            .descendant_for_byte_range(at, at + marker.len())
            .unwrap();
        sync.region(node, src.as_bytes())
    }

    #[test]
    fn a_critical_section_locks_statics_only_on_a_process_wide_object() {
        let body = |begin: &str| {
            format!(
                "static PyTypeObject T;\nstatic PyObject *shared;\n\
                 static PyObject *f(PyObject *self, PyObject *arg) {{\n\
                 PyObject *local = arg;\n{begin};\nwritten = 1;\nPy_END_CRITICAL_SECTION();\n}}\n"
            )
        };
        for process_wide in [
            "Py_BEGIN_CRITICAL_SECTION(shared)",
            "Py_BEGIN_CRITICAL_SECTION(&T)",
            "Py_BEGIN_CRITICAL_SECTION((PyObject *)&T)",
            "Py_BEGIN_CRITICAL_SECTION(_PyObject_CAST(&T))",
            "Py_BEGIN_CRITICAL_SECTION2(self, (PyObject *)(&T))",
        ] {
            assert!(
                regions(&body(process_wide), "written").is_some(),
                "{process_wide}"
            );
        }
        for per_object in [
            "Py_BEGIN_CRITICAL_SECTION(self)",
            "Py_BEGIN_CRITICAL_SECTION(arg)",
            "Py_BEGIN_CRITICAL_SECTION(local)",
            "Py_BEGIN_CRITICAL_SECTION(((PyObject *)self))",
            "Py_BEGIN_CRITICAL_SECTION(PyTuple_GET_ITEM(shared, 0))",
            "Py_BEGIN_CRITICAL_SECTION2(self, arg)",
        ] {
            assert!(
                regions(&body(per_object), "written").is_none(),
                "{per_object}"
            );
        }
        // A static local is process-wide; a local that shadows a file-scope
        // name is not.
        let src = "static PyObject *shared;\nstatic void f(void) {\n\
                   static PyObject *mine;\nPy_BEGIN_CRITICAL_SECTION(mine);\nwritten = 1;\n\
                   Py_END_CRITICAL_SECTION();\n}\n\
                   static void g(PyObject *shared) {\nPy_BEGIN_CRITICAL_SECTION(shared);\n\
                   other = 1;\nPy_END_CRITICAL_SECTION();\n}\n";
        assert!(regions(src, "written").is_some());
        assert!(regions(src, "other").is_none());
    }

    #[test]
    fn a_lock_spelled_through_macros_opens_a_region() {
        let src = "#if X\n#define LOCK() PyMutex_Lock(&l)\n#define UNLOCK() PyMutex_Unlock(&l)\n\
                   #define GRAB PyMutex_Lock(&l)\n\
                   #define BOTH() do { PyMutex_Lock(&l); PyMutex_Unlock(&l); } while (0)\n\
                   #define ODD() PyMutex_Lock(&l)\n\
                   #else\n#define LOCK() ((void)0)\n#define UNLOCK() do { } while (0)\n\
                   #define GRAB\n#define BOTH()\n#define ODD() count++\n#endif\n\
                   #define OUTER() LOCK()\n\
                   static void f(void) {\nOUTER();\nif (x) { UNLOCK(); return; }\na = 1;\nUNLOCK();\n}\n\
                   static void g(void) {\nGRAB;\nb = 1;\nUNLOCK();\n}\n\
                   static void h(void) {\nBOTH();\nc = 1;\nUNLOCK();\n}\n\
                   static void i(void) {\nODD();\nd = 1;\nUNLOCK();\n}\n\
                   static void j(void) {\nLOCK();\nif (x) UNLOCK();\ne = 1;\nUNLOCK();\n}\n";
        assert!(
            regions(src, "a = 1").is_some(),
            "through two macros, past an early exit's unlock"
        );
        assert!(regions(src, "b = 1").is_some(), "an object-like macro");
        assert!(
            regions(src, "c = 1").is_none(),
            "a macro that locks and unlocks"
        );
        assert!(
            regions(src, "d = 1").is_none(),
            "a branch that does something else"
        );
        assert!(
            regions(src, "e = 1").is_none(),
            "an unlock on a path that goes on"
        );
    }
}
