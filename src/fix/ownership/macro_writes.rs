//! The plain names a call of a macro sets, read from the macro's text, so
//! that the error-path walk ([`super::exits`]) sees `Py_CLEAR(res)`,
//! `Py_XSETREF(res, v)` and a unit's `#define SET_RESULT(r, v) ((r) = (v))`
//! as the assignments they expand to. A call is only a function of C when
//! no macro stands behind its name: a function cannot set a local handed
//! to it by value, a macro can.
//!
//! A body is read statement by statement (`;` and the comma operator at
//! its top level, inside `do { … } while (0)`, braces and parentheses):
//! `p = v`, `Py_CLEAR(p)`, `Py_SETREF(p, v)`/`Py_XSETREF(p, v)`, a call of
//! another such macro of the unit, or a statement that sets nothing. A
//! body that may set a name in any other way (`p += 1`, `p++`, `&p` handed
//! on, a write under its own `if`) is not read: [`Unread`].

use std::cell::Cell;
use std::collections::HashMap;

use super::Macro;
use crate::analysis::callgraph::is_identifier;
use crate::analysis::parse::words;

/// How many macros deep a body's calls are followed.
const MAX_DEPTH: usize = 8;

/// How many bodies one call's reading may look at: a unit whose macros
/// name one another many times over is not read past it (each is then
/// taken to write).
const MAX_BODIES: usize = 2_000;

/// The unit's macros and what one reading has spent.
struct Reader<'m> {
    macros: &'m HashMap<String, Macro>,
    bodies: Cell<usize>,
}

impl Reader<'_> {
    /// Counts one body read; false past [`MAX_BODIES`].
    fn spend(&self) -> bool {
        self.bodies.set(self.bodies.get() + 1);
        self.bodies.get() <= MAX_BODIES
    }
}

/// What a write in a macro's body sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Target {
    /// The argument at this index (0-based), when it is a plain name.
    Parameter(usize),
    /// A name the body spells itself (a local of the function the macro
    /// is called in, say).
    Name(String),
}

/// The value a write in a macro's body gives its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Value {
    /// The argument at this index (0-based), as the call spells it.
    Parameter(usize),
    /// `NULL`: `Py_CLEAR(p)`, `p = NULL`.
    Null,
    /// Another value, not read (`p = f(v)`, `p += 1`).
    Other,
}

/// One write of a body, in text order.
pub(super) type Write = (Target, Value);

/// Why a body's writes are not read: it may set a name in a way this
/// module does not follow.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Unread;

/// The writes to plain names of a call of CPython's setting macros
/// (`Py_CLEAR`, `Py_SETREF`, `Py_XSETREF`) or of the unit's macro `name`
/// (each of its definitions that some Python 3 build compiles must give
/// the same writes), in terms of the call's arguments. `Ok(vec![])` when
/// the name is neither, or when its body sets nothing.
pub(super) fn call_writes(
    macros: &HashMap<String, Macro>,
    name: &str,
) -> Result<Vec<Write>, Unread> {
    let reader = Reader {
        macros,
        bodies: Cell::new(0),
    };
    call_writes_at(&reader, name, 0)
}

fn call_writes_at(r: &Reader, name: &str, depth: usize) -> Result<Vec<Write>, Unread> {
    match name {
        // CPython's own: `(op) = NULL`, `(dst) = (src)` after the release.
        "Py_CLEAR" => return Ok(vec![(Target::Parameter(0), Value::Null)]),
        "Py_SETREF" | "Py_XSETREF" => {
            return Ok(vec![(Target::Parameter(0), Value::Parameter(1))]);
        }
        _ => {}
    }
    let Some(m) = r.macros.get(name) else {
        return Ok(Vec::new());
    };
    if depth >= MAX_DEPTH || !r.spend() {
        return Err(Unread);
    }
    let mut agreed: Option<Vec<Write>> = None;
    for (parameters, body) in &m.alternatives {
        let parameters = parameters.as_deref().unwrap_or(&[]);
        let body = plain(body);
        if !nested_whole(&body) {
            // A body cut short (or one that opens what another closes) is
            // not read as setting nothing.
            return Err(Unread);
        }
        let writes = body_writes(r, parameters, &body, depth)?;
        match &agreed {
            Some(earlier) if *earlier != writes => return Err(Unread),
            _ => agreed = Some(writes),
        }
    }
    Ok(agreed.unwrap_or_default())
}

/// Every name the unit's macro `name` spells, in its bodies and in the
/// bodies of the macros they name (as far as [`MAX_BODIES`] goes): the
/// names a call of it may set when its writes are [`Unread`].
pub(super) fn names_in(macros: &HashMap<String, Macro>, name: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut pending = vec![name.to_owned()];
    let mut read = 0;
    while let Some(n) = pending.pop() {
        let Some(m) = macros.get(&n) else { continue };
        read += 1;
        if read > MAX_BODIES {
            break;
        }
        for (parameters, body) in &m.alternatives {
            let parameters = parameters.as_deref().unwrap_or(&[]);
            for w in words(&plain(body)) {
                if parameters.iter().any(|p| p == w) || names.iter().any(|k| k == w) {
                    continue;
                }
                names.push(w.to_owned());
                if macros.contains_key(w) {
                    pending.push(w.to_owned());
                }
            }
        }
    }
    names
}

/// The writes of one body with these parameters.
fn body_writes(
    r: &Reader,
    parameters: &[String],
    body: &str,
    depth: usize,
) -> Result<Vec<Write>, Unread> {
    if !may_write(r, body, depth) {
        return Ok(Vec::new());
    }
    if parameters.iter().any(|p| p == "...") || body.contains("__VA_ARGS__") {
        return Err(Unread);
    }
    let mut writes = Vec::new();
    for statement in statements(body) {
        writes.extend(statement_writes(r, parameters, statement, depth)?);
    }
    Ok(writes)
}

/// The writes of one statement of a body (no `;` or top-level `,` in it).
fn statement_writes(
    r: &Reader,
    parameters: &[String],
    statement: &str,
    depth: usize,
) -> Result<Vec<Write>, Unread> {
    if !may_write(r, statement, depth) {
        return Ok(Vec::new());
    }
    let target = |text: &str| -> Option<Target> {
        let text = strip_parens(text);
        if !is_identifier(text) || is_keyword(text) {
            return None;
        }
        Some(match parameters.iter().position(|p| p == text) {
            Some(i) => Target::Parameter(i),
            None => Target::Name(text.to_owned()),
        })
    };
    let value = |text: &str| -> Value {
        let text = strip_parens(text);
        match parameters.iter().position(|p| p == text) {
            Some(i) => Value::Parameter(i),
            // `0` is NULL only where the name is a pointer, not known here.
            None if text == "NULL" => Value::Null,
            None => Value::Other,
        }
    };
    if let Some(at) = assignment_operator(statement) {
        let (left, right) = (&statement[..at], &statement[at + 1..]);
        // The one write, to a name, of a value that writes nothing itself.
        if may_write(r, right, depth) {
            return Err(Unread);
        }
        let compound = left.ends_with(|c: char| "+-*/%&|^<>".contains(c));
        let left = left.trim_end_matches(|c: char| "+-*/%&|^<>".contains(c));
        if may_write(r, left, depth) {
            return Err(Unread);
        }
        return match target(left) {
            Some(t) if compound => Ok(vec![(t, Value::Other)]),
            Some(t) => Ok(vec![(t, value(right))]),
            // `p->f = v`, `*p = v`, `PyObject *tmp = v` (a name of the
            // body's own block): no name of the caller is set. A write
            // under the body's own condition (`if (c) p = v`) is not read.
            None if words(left).any(is_keyword) || left.contains('?') => Err(Unread),
            None => Ok(Vec::new()),
        };
    }
    // A whole statement that is one call of a setting macro.
    let (callee, arguments) = split_call(statement).ok_or(Unread)?;
    if arguments.iter().any(|a| may_write(r, a, depth)) {
        return Err(Unread);
    }
    let mut writes = Vec::new();
    for (t, v) in call_writes_at(r, callee, depth + 1)? {
        let t = match t {
            Target::Parameter(i) => match arguments.get(i).and_then(|a| target(a)) {
                Some(t) => t,
                None if arguments.get(i).is_some() => continue,
                None => return Err(Unread),
            },
            // The inner body's own spelling: this body's parameters are
            // replaced before the inner macro expands, not in its body.
            Target::Name(n) => Target::Name(n),
        };
        let v = match v {
            Value::Parameter(i) => arguments.get(i).map_or(Value::Other, |a| value(a)),
            other => other,
        };
        writes.push((t, v));
    }
    Ok(writes)
}

/// Whether `text` may set a name: an assignment operator, `++`/`--`, an
/// address taken (`&p`), or a call of a setting macro (CPython's or one of
/// the unit's whose body may set one).
fn may_write(r: &Reader, text: &str, depth: usize) -> bool {
    if text.contains("++") || text.contains("--") || assignment_operator_anywhere(text) {
        return true;
    }
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'&' {
            let double = bytes.get(i + 1) == Some(&b'&') || i > 0 && bytes[i - 1] == b'&';
            // `a & b` between two operands is a bitwise and.
            let unary = text[..i]
                .trim_end()
                .ends_with(|c: char| "(,=;{?:".contains(c))
                || text[..i].trim().is_empty();
            if !double && unary {
                return true;
            }
        }
    }
    words(text).any(|w| {
        matches!(w, "Py_CLEAR" | "Py_SETREF" | "Py_XSETREF")
            || r.macros.get(w).is_some_and(|m| {
                depth >= MAX_DEPTH
                    || !r.spend()
                    || m.alternatives
                        .iter()
                        .any(|(_, body)| may_write(r, &plain(body), depth + 1))
            })
    })
}

/// The C keywords a body may hold around a write (a write under them is
/// conditional, or no write of a name).
fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "if" | "else" | "while" | "for" | "do" | "switch" | "case" | "return" | "goto" | "sizeof"
    )
}

/// A body's text without comments and line continuations: what the
/// preprocessor reads.
fn plain(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("/*") {
            let end = rest[2..].find("*/").map_or(rest.len(), |e| e + 4);
            out.push(' ');
            rest = &rest[end..];
        } else if rest.starts_with("//") {
            let end = rest.find('\n').unwrap_or(rest.len());
            rest = &rest[end..];
        } else if c == '\\' && rest[1..].trim_start_matches('\r').starts_with('\n') {
            out.push(' ');
            rest = rest[1..].trim_start_matches('\r');
            rest = &rest[1..];
        } else if c == '"' || c == '\'' {
            // A literal, kept whole (`"a=b"` sets nothing).
            let mut end = 1;
            let bytes = rest.as_bytes();
            while end < bytes.len() && bytes[end] != c as u8 {
                end += if bytes[end] == b'\\' { 2 } else { 1 };
            }
            let end = (end + 1).min(rest.len());
            out.push_str("\"\"");
            rest = &rest[end..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The byte offset of the first assignment operator's `=` at the top level
/// of `text` (outside parentheses, brackets and braces).
fn assignment_operator(text: &str) -> Option<usize> {
    assignments(text)
        .find(|&(_, depth)| depth == 0)
        .map(|(i, _)| i)
}

fn assignment_operator_anywhere(text: &str) -> bool {
    assignments(text).next().is_some()
}

/// Each assignment operator's `=` in `text` (not `==`, `!=`, `<=`, `>=`;
/// `<<=` and `>>=` are), with its nesting depth.
fn assignments(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    bytes.iter().enumerate().filter_map(move |(i, &b)| {
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'=' => {
                let next = bytes.get(i + 1).copied();
                let prev = i.checked_sub(1).map(|p| bytes[p]);
                let before_prev = i.checked_sub(2).map(|p| bytes[p]);
                let comparison = next == Some(b'=')
                    || prev == Some(b'=')
                    || prev == Some(b'!')
                    || (matches!(prev, Some(b'<') | Some(b'>')) && before_prev != prev);
                if !comparison {
                    return Some((i, depth));
                }
            }
            _ => {}
        }
        None
    })
}

/// `text` without whitespace around it and without parentheses that hold
/// all of it.
fn strip_parens(mut text: &str) -> &str {
    loop {
        text = text.trim();
        match text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
            Some(inner) if balanced(inner) => text = inner,
            _ => return text,
        }
    }
}

/// Whether the parentheses, brackets and braces of `text` close what
/// they open, in order.
fn nested_whole(text: &str) -> bool {
    let mut open = Vec::new();
    for c in text.chars() {
        match c {
            '(' | '[' | '{' => open.push(c),
            ')' | ']' | '}' => {
                let opened = open.pop();
                let expected = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if opened != Some(expected) {
                    return false;
                }
            }
            _ => {}
        }
    }
    open.is_empty()
}

/// Whether the parentheses of `text` never close more than they open.
fn balanced(text: &str) -> bool {
    let mut depth = 0i32;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// The statements of a body: inside `do { … } while (0)`, braces and
/// parentheses, split at `;` and the comma operator of the top level.
fn statements(body: &str) -> Vec<&str> {
    let mut body = body.trim();
    loop {
        let before = body.len();
        body = strip_parens(body).trim_end_matches(';').trim();
        if let Some(rest) = body.strip_prefix("do").map(str::trim_start) {
            if let (Some(inner), Some(close)) = (rest.strip_prefix('{'), rest.rfind('}')) {
                let tail: String = rest[close + 1..].split_whitespace().collect();
                if tail == "while(0)" {
                    body = inner[..close - 1].trim();
                }
            }
        }
        if let Some(inner) = body.strip_prefix('{').and_then(|b| b.strip_suffix('}')) {
            body = inner.trim();
        }
        if body.len() == before {
            break;
        }
    }
    let mut parts = split_top(body, &[';', ',']);
    parts.retain(|p| !p.is_empty());
    parts
}

/// `text` split at each of `separators` outside parentheses, brackets and
/// braces, each part trimmed.
fn split_top<'t>(text: &'t str, separators: &[char]) -> Vec<&'t str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            c if depth == 0 && separators.contains(&c) => {
                parts.push(text[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(text[start..].trim());
    parts
}

/// A statement that is one call, `f(a, b)`: the callee and the arguments.
fn split_call(statement: &str) -> Option<(&str, Vec<&str>)> {
    let statement = strip_parens(statement);
    let open = statement.find('(')?;
    let callee = statement[..open].trim();
    let inside = statement[open..].strip_prefix('(')?.strip_suffix(')')?;
    if !is_identifier(callee) || is_keyword(callee) || !balanced(inside) {
        return None;
    }
    let arguments = if inside.trim().is_empty() {
        Vec::new()
    } else {
        split_top(inside, &[','])
    };
    Some((callee, arguments))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(definitions: &[(&str, &[&str], &str)]) -> HashMap<String, Macro> {
        let mut macros: HashMap<String, Macro> = HashMap::new();
        for (name, parameters, body) in definitions {
            let parameters: Vec<String> = parameters.iter().map(|p| (*p).to_owned()).collect();
            let alternative = (Some(parameters.clone()), (*body).to_owned());
            macros
                .entry((*name).to_owned())
                .and_modify(|m| {
                    m.definitions += 1;
                    m.alternatives.push(alternative.clone());
                })
                .or_insert(Macro {
                    parameters: Some(parameters),
                    body: (*body).to_owned(),
                    definitions: 1,
                    alternatives: vec![alternative],
                });
        }
        macros
    }

    #[test]
    fn setting_macros_are_read_as_their_assignments() {
        let macros = unit(&[
            ("SET_RESULT", &["r", "v"], "((r) = (v))"),
            (
                "STORE",
                &["r", "v"],
                "do { Py_XDECREF(r); (r) = (v); } while (0)",
            ),
            ("DROP", &["r"], "Py_CLEAR(r)"),
            ("RESET", &[], "(res = NULL)"),
            ("TWICE", &["r", "v"], "SET_RESULT(r, v); DROP(r)"),
            ("LOG", &["o"], "PyObject_Print((o), stderr, 0)"),
        ]);
        let p = Target::Parameter;
        assert_eq!(
            call_writes(&macros, "Py_CLEAR"),
            Ok(vec![(p(0), Value::Null)])
        );
        assert_eq!(
            call_writes(&macros, "Py_XSETREF"),
            Ok(vec![(p(0), Value::Parameter(1))])
        );
        for name in ["SET_RESULT", "STORE"] {
            assert_eq!(
                call_writes(&macros, name),
                Ok(vec![(p(0), Value::Parameter(1))]),
                "{name}"
            );
        }
        assert_eq!(call_writes(&macros, "DROP"), Ok(vec![(p(0), Value::Null)]));
        assert_eq!(
            call_writes(&macros, "RESET"),
            Ok(vec![(Target::Name("res".to_owned()), Value::Null)])
        );
        assert_eq!(
            call_writes(&macros, "TWICE"),
            Ok(vec![(p(0), Value::Parameter(1)), (p(0), Value::Null)])
        );
        assert_eq!(call_writes(&macros, "LOG"), Ok(vec![]));
        assert_eq!(call_writes(&macros, "PyList_New"), Ok(vec![]));
    }

    #[test]
    fn a_body_that_may_set_a_name_otherwise_is_unread() {
        let macros = unit(&[
            ("BUMP", &["n"], "((n) += 1)"),
            ("NEXT", &["n"], "(n)++"),
            ("PARSE", &["o"], "PyArg_ParseTuple(args, \"O\", &(o))"),
            ("MAYBE", &["r"], "if (cond) (r) = NULL"),
            ("CHAIN", &["a", "b"], "a = b = NULL"),
            ("ARGS", &["..."], "__VA_ARGS__ = NULL"),
            // Cut short: what the parser gives of a body with a comment.
            ("CUT", &["r"], "do { \\\r\n        "),
            // Defined in two branches that disagree.
            ("TWO", &["r", "v"], "((r) = (v))"),
            ("TWO", &["r", "v"], "((r) = NULL)"),
        ]);
        for name in [
            "BUMP", "NEXT", "PARSE", "MAYBE", "CHAIN", "ARGS", "TWO", "CUT",
        ] {
            let writes = call_writes(&macros, name);
            let unread = writes == Err(Unread)
                || writes
                    .as_ref()
                    .is_ok_and(|w| w.iter().any(|(_, v)| *v == Value::Other));
            assert!(unread, "{name}: {writes:?}");
        }
        // Comparisons and a bitwise and set nothing.
        let reads = unit(&[("CMP", &["a", "b"], "((a) == (b) && (a) <= (b) & 1)")]);
        assert_eq!(call_writes(&reads, "CMP"), Ok(vec![]));
    }
}
