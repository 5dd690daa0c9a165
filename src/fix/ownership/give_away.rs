//! Where a reference is given away: a call that steals an argument (the
//! C API's, `Py_SETREF`/`Py_XSETREF` into their first argument, or a
//! function of the unit that hands its parameter on to one), or a
//! `return`. The reference ledger of a store nets what the store gains
//! (a `Py_INCREF` beside it) against what leaves right after: a borrowed
//! `hook` made strong by `Py_INCREF(hook)` and then returned, or given to
//! `PyModule_AddObject`, leaves the static owning nothing.

use std::rc::Rc;

use tree_sitter::Node;

use super::{exclusive, increfed, strip_casts, Unit, MAX_DEPTH};
use crate::analysis::classify::parameter_name;
use crate::analysis::parse;
use crate::analysis::scope::SymbolId;
use crate::fix::refcounts::{self, Listed, Return};

/// The macros of the C API that store their second argument's reference
/// in their first (releasing what it held): the second is given away.
const SETREFS: &[&str] = &["Py_SETREF", "Py_XSETREF"];

impl<'t> Unit<'_, 't> {
    /// Whether `callee` takes the reference of its argument at `position`
    /// (counted from 0) for itself: how (`` `PyModule_AddObject` ``, or
    /// `` `give`, which hands its parameter `o` to `PyModule_AddObject` ``),
    /// or `None`. A function of the unit steals when it passes the
    /// parameter, as it is, to a call that steals it and takes no
    /// reference of its own to it (`Py_INCREF(o)`, `Py_NewRef(o)`)
    /// anywhere; followed at most [`MAX_DEPTH`] helpers deep, each
    /// function and position read once.
    pub(crate) fn steals(&self, callee: &str, position: usize) -> Option<String> {
        self.steals_at(callee, position, 0)
    }

    /// [`Unit::steals`] for the argument at `position` of `call`, which
    /// also reads a building call's format (`Py_BuildValue("(N)", o)`,
    /// `PyObject_CallFunction(f, "N", o)`): a `N` unit steals its
    /// argument ([`format_steals`]).
    pub(crate) fn steals_in(&self, call: Node, callee: &str, position: usize) -> Option<String> {
        if format_steals(call, callee, position, &self.file.source.bytes) {
            return Some(format!("`{callee}` (its format's `N`)"));
        }
        self.steals(callee, position)
    }

    fn steals_at(&self, callee: &str, position: usize, depth: usize) -> Option<String> {
        if refcounts::stolen_argument(callee) == Some(position)
            || (SETREFS.contains(&callee) && position == 1)
        {
            return Some(format!("`{callee}`"));
        }
        let function = self.functions.get(callee.as_bytes()).copied();
        let macro_body = self
            .macros
            .get(callee)
            .filter(|m| m.definitions == 1)
            .and_then(|m| Some((m.parameters.as_ref()?.get(position)?, m.body.as_str())));
        if depth >= MAX_DEPTH || (function.is_none() && macro_body.is_none()) {
            return None;
        }
        let key = (callee.to_owned(), position);
        if let Some(known) = self.stealers.borrow().get(&key) {
            return known.clone();
        }
        // A recursion steals nothing more than its other paths do.
        self.stealers.borrow_mut().insert(key.clone(), None);
        let handed = match (macro_body, function) {
            (Some((parameter, body)), _) => self
                .macro_hands_on(parameter, body, depth)
                .map(|how| (parameter.clone(), how)),
            (None, Some(function)) => self.hands_on(function, position, depth),
            (None, None) => None,
        };
        let found = handed.map(|(parameter, how)| {
            format!("`{callee}`, which hands its parameter `{parameter}` to {how}")
        });
        self.stealers.borrow_mut().insert(key, found.clone());
        found
    }

    /// The parameter at `position` of `function` and the stealing call it
    /// is passed to, when it is passed to one and never made strong.
    fn hands_on(&self, function: Node, position: usize, depth: usize) -> Option<(String, String)> {
        let bytes: &[u8] = &self.file.source.bytes;
        let parameter = parameter_name(function, position)?.utf8_text(bytes).ok()?;
        let body = function.child_by_field_name("body")?;
        let is_parameter = |n: Node| {
            let n = strip_casts(parse::strip_parens(n));
            n.kind() == "identifier" && n.utf8_text(bytes) == Ok(parameter)
        };
        if increfed(body, 0, usize::MAX, bytes, is_parameter) {
            return None;
        }
        parse::calls_in(body).into_iter().find_map(|call| {
            let callee = call
                .child_by_field_name("function")
                .and_then(|f| f.utf8_text(bytes).ok())?;
            super::arguments(call)
                .iter()
                .enumerate()
                .filter(|(_, a)| is_parameter(**a))
                .find_map(|(at, _)| self.steals_at(callee, at, depth + 1))
                .map(|how| (parameter.to_owned(), how))
        })
    }

    /// The stealing call that a function-like macro's `body` passes its
    /// `parameter` to, as it is (`#define ADD(m, n, o)
    /// PyModule_AddObject(m, n, o)`), when the body takes no reference of
    /// its own to it (`Py_INCREF(o)`, `Py_NewRef(o)`).
    fn macro_hands_on(&self, parameter: &str, body: &str, depth: usize) -> Option<String> {
        let is_parameter = |a: &str| a.trim_matches(['(', ')', ' ']) == parameter;
        let calls = spelled_calls(body);
        let takes = calls.iter().any(|(callee, arguments)| {
            (refcounts::incref(callee).is_some() || matches!(*callee, "Py_NewRef" | "Py_XNewRef"))
                && arguments.first().is_some_and(|a| is_parameter(a))
        });
        if takes {
            return None;
        }
        calls.iter().find_map(|(callee, arguments)| {
            arguments
                .iter()
                .enumerate()
                .filter(|(_, a)| is_parameter(a))
                .find_map(|(at, _)| self.steals_at(callee, at, depth + 1))
        })
    }

    /// Where the static `symbol`, stored by `write`, is given away later
    /// in the same function on a path that may follow the store (not in
    /// the other arm of an `if`): returned as it is by a function that
    /// returns new references ([`Unit::returns_new`]), or passed to a call
    /// that [`Unit::steals`] it, with fewer references taken between than
    /// the give-away and the slot need together. The ledger counts the
    /// incref beside the store (`before`: the statement before it, on the
    /// value; else it is one after the store) and each `Py_INCREF` of the
    /// static between the store and the give-away (`Py_INCREF(hook);`
    /// after the guard for `return hook;` leaves the slot its own). Why,
    /// naming the line, or `None`.
    pub(super) fn given_after(
        &self,
        symbol: SymbolId,
        write: Node<'t>,
        before: bool,
    ) -> Option<String> {
        let function = parse::enclosing_function(write)?;
        let ledger = self.ledger(symbol);
        let from = ledger
            .given
            .partition_point(|(n, _)| n.start_byte() < write.end_byte());
        let (given, why) = ledger.given[from..]
            .iter()
            .take_while(|(n, _)| n.end_byte() <= function.end_byte())
            .filter(|(n, _)| n.kind() != "return_statement" || self.returns_new(function))
            .find(|(n, _)| !exclusive(*n, write))?;
        let at = |end: usize| ledger.increfs.partition_point(|&a| a < end);
        let between = at(given.start_byte()).saturating_sub(at(write.end_byte()));
        (between + usize::from(before) < 2).then(|| why.clone())
    }

    /// Whether `function` hands its caller new references: one of its
    /// `return`s is `Py_NewRef(…)`, `Py_XNewRef(…)` or a call of the C API
    /// that returns a new one. A `return hook;` there hands the caller a
    /// reference; in a function that returns borrowed ones (`return
    /// cache;` everywhere, a helper of the unit) it gives nothing away.
    /// Read once for each function.
    pub(super) fn returns_new(&self, function: Node) -> bool {
        let key = function.id();
        if let Some(&known) = self.new_returners.borrow().get(&key) {
            return known;
        }
        let bytes: &[u8] = &self.file.source.bytes;
        let mut found = false;
        let mut pending = vec![function];
        while let Some(node) = pending.pop() {
            if node.kind() == "return_statement" {
                let value = node
                    .named_child(0)
                    .map(|v| strip_casts(parse::strip_parens(v)));
                let callee = value
                    .filter(|v| v.kind() == "call_expression")
                    .and_then(|v| v.child_by_field_name("function"))
                    .and_then(|f| f.utf8_text(bytes).ok());
                if callee.is_some_and(|c| {
                    matches!(c, "Py_NewRef" | "Py_XNewRef")
                        || refcounts::lookup(c) == Listed::Known(Return::New)
                }) {
                    found = true;
                    break;
                }
                continue;
            }
            let mut cursor = node.walk();
            pending.extend(node.named_children(&mut cursor));
        }
        self.new_returners.borrow_mut().insert(key, found);
        found
    }

    /// Where the static `symbol` is given away (the `return` or the call,
    /// with why) and where `Py_INCREF` (or `Py_XINCREF`) takes a reference
    /// to it, each in text order: read once for the static, from its
    /// references.
    fn ledger(&self, symbol: SymbolId) -> Rc<Ledger<'t>> {
        if let Some(known) = self.ledgers.borrow().get(&symbol) {
            return known.clone();
        }
        let file = self.file;
        let bytes: &[u8] = &file.source.bytes;
        let line = |n: Node| file.source.file_line(n.start_byte());
        let mut given = Vec::new();
        let mut increfs = Vec::new();
        for &r in &file.resolution.symbols[symbol].references {
            let name = r.utf8_text(bytes).unwrap_or("");
            // `return hook;`, `return (PyObject *)hook;`
            let (_, above) = parse::climb(r, |parent, _| {
                matches!(
                    parent.kind(),
                    "parenthesized_expression" | "cast_expression"
                )
            });
            if let Some(statement) = above.first().filter(|p| p.kind() == "return_statement") {
                given.push((
                    statement,
                    format!("`{name}` is then returned (line {})", line(statement)),
                ));
                continue;
            }
            let Some((callee, position, call)) = parse::call_argument(r, bytes) else {
                continue;
            };
            if position == 0 && refcounts::incref(callee).is_some() {
                increfs.push(call.start_byte());
            } else if let Some(how) = self.steals_in(call, callee, position) {
                given.push((
                    call,
                    format!("`{name}` is then given to {how} (line {})", line(call)),
                ));
            }
        }
        given.sort_by_key(|(n, _)| n.start_byte());
        increfs.sort_unstable();
        let ledger = Rc::new(Ledger { given, increfs });
        self.ledgers.borrow_mut().insert(symbol, ledger.clone());
        ledger
    }
}

/// The C API's calls that build values from a format and the arguments
/// after it (the `Py_BuildValue` language), with the position of the
/// format: (callee, format position).
const FORMAT_BUILDERS: &[(&str, usize)] = &[
    ("Py_BuildValue", 0),
    ("_Py_BuildValue_SizeT", 0),
    ("PyObject_CallFunction", 1),
    ("_PyObject_CallFunction_SizeT", 1),
    ("PyEval_CallFunction", 1),
    ("PyObject_CallMethod", 2),
    ("_PyObject_CallMethod_SizeT", 2),
    ("PyEval_CallMethod", 2),
];

/// Whether the argument at `position` of `call` (a call of `callee`) is
/// given to a `N` unit of a [`FORMAT_BUILDERS`] call's format, which steals
/// it ("Building values" of CPython's C API documentation: `N` is `O`
/// without the incref). The format must be a string literal (or adjacent
/// ones); each unit takes one argument, `s#`, `y#`, `z#`, `u#`, `U#` and
/// `O&` two, brackets, `:`, `,` and blanks none. `false` when the format is
/// not read.
fn format_steals(call: Node, callee: &str, position: usize, bytes: &[u8]) -> bool {
    let Some(&(_, at)) = FORMAT_BUILDERS.iter().find(|(c, _)| *c == callee) else {
        return false;
    };
    let arguments = super::arguments(call);
    let Some(format) = arguments.get(at).and_then(|f| literal_text(*f, bytes)) else {
        return false;
    };
    let Some(mut wanted) = position.checked_sub(at + 1) else {
        return false;
    };
    let units = format.as_bytes();
    let mut i = 0;
    while i < units.len() {
        let unit = units[i];
        i += 1;
        let taken = match unit {
            b'(' | b')' | b'[' | b']' | b'{' | b'}' | b':' | b',' | b' ' | b'\t' => 0,
            b's' | b'y' | b'z' | b'u' | b'U' if units.get(i) == Some(&b'#') => {
                i += 1;
                2
            }
            b'O' if units.get(i) == Some(&b'&') => {
                i += 1;
                2
            }
            _ => 1,
        };
        if wanted < taken {
            return unit == b'N' && taken == 1;
        }
        wanted -= taken;
    }
    false
}

/// The characters of a string literal, or of adjacent ones (`"(" "N" ")"`),
/// escapes as written; `None` for anything else (a macro, a variable).
fn literal_text(node: Node, bytes: &[u8]) -> Option<String> {
    let node = parse::strip_parens(node);
    let parts: Vec<Node> = match node.kind() {
        "string_literal" => vec![node],
        "concatenated_string" => {
            let mut cursor = node.walk();
            node.named_children(&mut cursor).collect()
        }
        _ => return None,
    };
    let mut text = String::new();
    for part in parts {
        if part.kind() != "string_literal" {
            return None;
        }
        let mut cursor = part.walk();
        for piece in part.named_children(&mut cursor) {
            text.push_str(piece.utf8_text(bytes).ok()?);
        }
    }
    Some(text)
}

/// Where a static's references go in its unit ([`Unit::ledger`]).
pub(super) struct Ledger<'t> {
    /// Each give-away (a `return` of it, or a call stealing it) with why.
    given: Vec<(Node<'t>, String)>,
    /// Where each `Py_INCREF` of it starts.
    increfs: Vec<usize>,
}

/// The calls a macro body spells, `name(…)`: each name followed by a
/// parenthesis, with its arguments split at the commas outside brackets
/// (a call inside an argument is one too). One pass over the body, with a
/// stack of the brackets open; string and character literals are
/// skipped.
fn spelled_calls(body: &str) -> Vec<(&str, Vec<&str>)> {
    let bytes = body.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut out = Vec::new();
    // Each open bracket: the name before a `(`, where its current
    // argument starts, the arguments before it.
    let mut open: Vec<(Option<&str>, usize, Vec<&str>)> = Vec::new();
    let mut name: Option<&str> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_alphabetic() || b == b'_' {
            let start = i;
            while i < bytes.len() && is_word(bytes[i]) {
                i += 1;
            }
            name = Some(&body[start..i]);
            continue;
        }
        match b {
            b'"' | b'\'' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                name = None;
            }
            b'(' | b'[' | b'{' => {
                open.push(((b == b'(').then_some(name).flatten(), i + 1, Vec::new()))
            }
            b',' => {
                if let Some((_, from, arguments)) = open.last_mut() {
                    arguments.push(body[*from..i].trim());
                    *from = i + 1;
                }
            }
            b')' | b']' | b'}' => {
                if let Some((called, from, mut arguments)) = open.pop() {
                    arguments.push(body[from..i].trim());
                    if let Some(called) = called.filter(|_| b == b')') {
                        out.push((called, arguments));
                    }
                }
            }
            _ => {}
        }
        if !b.is_ascii_whitespace() {
            name = None;
        }
        i += 1;
    }
    out
}
