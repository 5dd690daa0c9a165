//! A static released or emptied by a function-like macro of the unit it
//! is handed to: `DROP(v)` with `#define DROP(x) Py_CLEAR(x)`, `do {
//! Py_XDECREF(x); (x) = NULL; } while (0)`, a copy into a local of the
//! macro's own that is emptied and released (`PyObject *_o = (x); (x) =
//! NULL; Py_XDECREF(_o);`), `Py_SETREF((x), NULL)`, `(x) = NULL` alone,
//! in a statement expression, through macros the body invokes or a
//! macro of an included header. The invocation's expansion is read as
//! the preprocessor makes it ([`UnitMacros::expand_each`]), the static's
//! argument marked: what it does there is what `v` written out in its
//! place would do.

use super::*;
use crate::analysis::callgraph::is_identifier;
use crate::analysis::evidence::{null_constant_tokens, strip_outer};

/// The token the static's argument is replaced with before the expansion
/// is read: no C program names it.
const ARGUMENT: &str = "ONCEVAR_DROPPED_ARGUMENT_";

/// How many times an expansion may name the argument; past that it is
/// not read (each is read with a walk back over the tokens before it).
const MAX_MARKED: usize = 64;

/// The calls that release their first argument, as the evidence query
/// lists them (queries/evidence.scm), kept as they are in the expansion
/// (a project's compatibility definition of one is not followed).
const RELEASES: &[&str] = &[
    "Py_CLEAR",
    "Py_XDECREF",
    "Py_DECREF",
    "Py_DecRef",
    "Py_XDecRef",
    "Py_XSETREF",
    "Py_SETREF",
    "PyMem_Free",
    "PyMem_RawFree",
    "PyObject_Free",
    "PyObject_GC_Del",
    "free",
];

/// What a macro's expansion does to the argument the static is given as,
/// when it is a release or an emptying: each is what the same code
/// written out in the function would be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Dropped {
    /// Released and set to NULL: `Py_CLEAR(x)`, `Py_SETREF(x, NULL)`, a
    /// release followed by `(x) = NULL`, a copy emptied and released.
    Clears,
    /// Released, not set to NULL (`Py_DECREF(x)`): a clear only when the
    /// function empties the static after the invocation.
    Releases,
    /// Set to NULL and not released (`(x) = NULL`): a reset.
    Resets,
}

impl<'a, 't> Context<'a, 't> {
    /// `DROP(v)`, the invocation of a function-like macro of the unit with
    /// `reference` as one of its arguments, whose every definition's
    /// expansion releases or empties that argument alike ([`Dropped`]):
    /// the invocation and what it does. `None` for any other argument,
    /// and for an expansion that also stores a value in it, takes its
    /// address, changes it by an operator, or cannot be made (the
    /// evidence's macro writes and addresses judge those).
    pub(super) fn dropped_by_macro(&self, reference: Node<'t>) -> Option<(Node<'t>, Dropped)> {
        let (callee, position, call) = parse::call_argument(reference, self.source)?;
        self.macro_body(callee)?;
        let arguments = call.child_by_field_name("arguments")?;
        let mut given = Vec::new();
        for (k, argument) in arguments
            .named_children(&mut arguments.walk())
            .filter(|a| a.kind() != "comment")
            .enumerate()
        {
            given.push(if k == position {
                ARGUMENT
            } else {
                std::str::from_utf8(self.text(argument)).ok()?
            });
        }
        let invocation = format!("({})", given.join(", "));
        let key = format!("{callee}{invocation}");
        if let Some(known) = self.dropped.borrow().get(&key) {
            return known.map(|d| (call, d));
        }
        let unit = self
            .unit_macros
            .get_or_init(|| UnitMacros::of(self.root, self.source));
        let found = if unit.is_function_like(callee) {
            let each: Vec<Option<Dropped>> = unit
                .expand_each(callee, Some(&invocation), RELEASES)
                .iter()
                .map(|e| e.as_deref().and_then(dropped_in))
                .collect();
            match each.first() {
                Some(&first) if each.iter().all(|d| *d == first) => first,
                _ => None,
            }
        } else {
            None
        };
        self.dropped.borrow_mut().insert(key, found);
        found.map(|d| (call, d))
    }
}

/// What an expansion (the expander's tokens, one character per
/// punctuator) does to [`ARGUMENT`]: see [`Dropped`]. `None` when it
/// does none of those, or also anything else to its storage than reading
/// it (a value stored, its address taken, `++`, a compound assignment).
fn dropped_in(tokens: &[String]) -> Option<Dropped> {
    let tokens = join_punctuators(tokens);
    let at = |k: usize| tokens.get(k).map(String::as_str);
    // Token indexes of each: released (a DECREF-like call), emptied
    // (`= NULL`), released and emptied (`Py_CLEAR`, `Py_SETREF(x,
    // NULL)`), and copied into a plain name.
    let (mut released, mut emptied, mut cleared) = (Vec::new(), Vec::new(), false);
    let mut copies: Vec<(usize, &str)> = Vec::new();
    let marked: Vec<usize> = (0..tokens.len())
        .filter(|&i| tokens[i] == ARGUMENT)
        .collect();
    if marked.len() > MAX_MARKED {
        return None;
    }
    for i in marked {
        let (first, last) = operand(&tokens, i);
        let before = first.checked_sub(1).and_then(at);
        let after = at(last);
        if matches!(before, Some("&" | "++" | "--")) {
            return None;
        }
        match after {
            Some("=") => {
                let value = value_end(&tokens, last + 1);
                if !null_constant_tokens(&tokens[last + 1..value]) {
                    return None;
                }
                emptied.push(i);
                continue;
            }
            Some(op) if op.len() == 2 && op.ends_with('=') && !matches!(op, "==" | "!=") => {
                return None; // `+=`, `|=`, …
            }
            Some("++" | "--") => return None,
            Some("<<" | ">>") if at(last + 1) == Some("=") => return None,
            _ => {}
        }
        if let Some(function) = released_argument(&tokens, first, last) {
            if function.ends_with("SETREF") {
                // `Py_SETREF(x, NULL)`; a new value is a write.
                let value = value_end(&tokens, last + 1);
                if after != Some(",") || !null_constant_tokens(&tokens[last + 1..value]) {
                    return None;
                }
                cleared = true;
            } else if function.ends_with("CLEAR") {
                cleared = true;
            } else {
                released.push(i);
            }
            continue;
        }
        // `_o = (x)`, `PyObject *_o = (PyObject *)(x)`.
        if before == Some("=") && first >= 2 {
            let local = tokens[first - 2].as_str();
            let member = first >= 3 && matches!(tokens[first - 3].as_str(), "." | "->");
            if is_identifier(local) && !member {
                copies.push((i, local));
            }
        }
    }
    let released_after = |from: usize| released.iter().any(|&r| r < from);
    let emptied_after_release = emptied.iter().any(|&e| released_after(e));
    // A copy emptied and released: `_o = x; x = NULL; Py_DECREF(_o);`.
    let copy_released = !copies.is_empty() && {
        let dropped = dropped_names(&tokens);
        copies.iter().any(|&(c, local)| {
            emptied.iter().any(|&e| e > c) && dropped.iter().any(|&(r, n)| r > c && n == local)
        })
    };
    if cleared || emptied_after_release || copy_released {
        Some(Dropped::Clears)
    } else if !emptied.is_empty() {
        Some(Dropped::Resets)
    } else if !released.is_empty() {
        Some(Dropped::Releases)
    } else {
        None
    }
}

/// The plain names that a release call other than a `SETREF` drops
/// (`Py_XDECREF(_o)`, `Py_DECREF((PyObject *)_o)`), with the call's
/// index.
fn dropped_names(tokens: &[String]) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    for (k, function) in tokens.iter().enumerate() {
        if !RELEASES.contains(&function.as_str())
            || function.ends_with("SETREF")
            || tokens.get(k + 1).map(String::as_str) != Some("(")
        {
            continue;
        }
        let end = value_end(tokens, k + 2);
        let argument = strip_outer(&tokens[k + 2..end]);
        // Past a pointer cast, in parentheses or not.
        let argument = match argument.iter().position(|t| t == ")") {
            Some(close) if cast_before(argument, close) == Some(0) => {
                strip_outer(&argument[close + 1..])
            }
            _ => argument,
        };
        if let [name] = argument {
            if is_identifier(name) {
                out.push((k, name.as_str()));
            }
        }
    }
    out
}

/// The expander's one-character punctuators joined into the C operators
/// this reading tells apart (`==`, `!=`, `->`, `++`, `+=`, …).
fn join_punctuators(tokens: &[String]) -> Vec<String> {
    const PAIRS: &[&str] = &[
        "==", "!=", "<=", ">=", "->", "++", "--", "&&", "||", "+=", "-=", "*=", "/=", "%=", "&=",
        "|=", "^=", "<<", ">>",
    ];
    let mut joined: Vec<String> = Vec::with_capacity(tokens.len());
    let mut fresh = true; // whether the last token may start a pair
    for token in tokens {
        if let Some(last) = joined.last_mut().filter(|_| fresh) {
            if last.len() == 1 && token.len() == 1 {
                let pair = format!("{last}{token}");
                if PAIRS.contains(&pair.as_str()) {
                    *last = pair;
                    fresh = false;
                    continue;
                }
            }
        }
        joined.push(token.clone());
        fresh = true;
    }
    joined
}

/// The operand around `tokens[i]`, widened over the parentheses that
/// enclose it alone and over pointer casts (`(PyObject *)(x)`), never
/// over a call's parentheses: `(first, last)`, `last` past its end.
fn operand(tokens: &[String], i: usize) -> (usize, usize) {
    let at = |k: usize| tokens.get(k).map(String::as_str);
    let (mut first, mut last) = (i, i + 1);
    loop {
        if first >= 1 && at(first - 1) == Some("(") && at(last) == Some(")") {
            let called = first >= 2 && ends_callee(tokens, first - 2);
            if !called {
                first -= 1;
                last += 1;
                continue;
            }
        }
        match first.checked_sub(1).and_then(|k| cast_before(tokens, k)) {
            Some(open) => first = open,
            None => return (first, last),
        }
    }
}

/// Whether `tokens[k]` ends what a `(` after it calls: a name, or the
/// `)` or `]` of an expression (not a cast's `)`).
fn ends_callee(tokens: &[String], k: usize) -> bool {
    match tokens[k].as_str() {
        // Not a cast's, nor a condition's (`if (c) (x) = NULL`).
        ")" => {
            let mut depth = 0usize;
            let open = (0..=k).rev().find(|&j| {
                match tokens[j].as_str() {
                    ")" => depth += 1,
                    "(" => depth -= 1,
                    _ => {}
                }
                depth == 0
            });
            let condition = open
                .and_then(|o| o.checked_sub(1))
                .is_some_and(|b| matches!(tokens[b].as_str(), "if" | "while" | "for" | "switch"));
            !condition && cast_before(tokens, k).is_none()
        }
        "]" => true,
        t => is_identifier(t) && !matches!(t, "return" | "if" | "while" | "switch" | "case"),
    }
}

/// The `(` of the pointer cast whose `)` is `tokens[close]`: `( T * )`,
/// names and `*` only, the `(` not a call's.
fn cast_before(tokens: &[String], close: usize) -> Option<usize> {
    if tokens[close] != ")" {
        return None;
    }
    let open = (0..close).rev().find(|&k| tokens[k] == "(")?;
    let cast = &tokens[open + 1..close];
    let shaped = cast.last().map(String::as_str) == Some("*")
        && cast.iter().all(|t| t == "*" || is_identifier(t));
    let called = open >= 1 && ends_callee(tokens, open - 1);
    (shaped && !called).then_some(open)
}

/// The release call whose first argument is `tokens[first..last]`
/// (`Py_XDECREF(x)`, `Py_SETREF(x, …)`): its name.
fn released_argument(tokens: &[String], first: usize, last: usize) -> Option<&str> {
    let function = tokens.get(first.checked_sub(2)?)?.as_str();
    (tokens[first - 1] == "("
        && matches!(tokens.get(last).map(String::as_str), Some("," | ")"))
        && RELEASES.contains(&function))
    .then_some(function)
}

/// Where the expression starting at `tokens[start]` ends: at the first
/// `,`, `;`, `)`, `]` or `}` outside its own brackets, or the end.
fn value_end(tokens: &[String], start: usize) -> usize {
    let mut depth = 0usize;
    for (k, token) in tokens.iter().enumerate().skip(start) {
        match token.as_str() {
            "(" | "[" | "{" => depth += 1,
            ")" | "]" | "}" if depth == 0 => return k,
            ")" | "]" | "}" => depth -= 1,
            "," | ";" if depth == 0 => return k,
            _ => {}
        }
    }
    tokens.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::callgraph::pp_tokens;

    fn of(expansion: &str) -> Option<Dropped> {
        dropped_in(&pp_tokens(&expansion.replace("ARG", ARGUMENT)))
    }

    #[test]
    fn releases_and_emptyings_are_read_through_any_spelling() {
        assert_eq!(of("Py_CLEAR(ARG)"), Some(Dropped::Clears));
        assert_eq!(of("Py_CLEAR((ARG))"), Some(Dropped::Clears));
        assert_eq!(
            of("do { Py_XDECREF(ARG); (ARG) = NULL; } while (0)"),
            Some(Dropped::Clears)
        );
        assert_eq!(
            of("({ Py_XDECREF((PyObject *)(ARG)); ARG = ((PyObject *)0); })"),
            Some(Dropped::Clears)
        );
        assert_eq!(
            of("do { PyObject *_o = (PyObject *)(ARG); (ARG) = NULL; Py_XDECREF(_o); } while (0)"),
            Some(Dropped::Clears)
        );
        assert_eq!(of("Py_SETREF((ARG), NULL)"), Some(Dropped::Clears));
        assert_eq!(
            of("do { Py_XDECREF((PyObject *)(ARG)); (ARG) = NULL; } while (0)"),
            Some(Dropped::Clears)
        );
        assert_eq!(
            of("({ PyObject *_o = (ARG); if (1) (ARG) = (PyObject *)NULL; Py_XDECREF(_o); })"),
            Some(Dropped::Clears)
        );
        assert_eq!(of("Py_XSETREF(ARG, 0)"), Some(Dropped::Clears));
        assert_eq!(of("((ARG) = NULL)"), Some(Dropped::Resets));
        assert_eq!(of("Py_DECREF(ARG)"), Some(Dropped::Releases));
        // Emptied first, released after: the release drops nothing.
        assert_eq!(
            of("do { (ARG) = NULL; Py_XDECREF(ARG); } while (0)"),
            Some(Dropped::Resets)
        );
    }

    #[test]
    fn reads_and_other_writes_are_no_drop() {
        assert_eq!(of("PyObject_Repr(ARG)"), None);
        assert_eq!(of("f((ARG))"), None);
        assert_eq!(of("((ARG) = (PyList_New(0)))"), None);
        assert_eq!(of("Py_SETREF(ARG, PyList_New(0))"), None);
        assert_eq!(of("do { Py_CLEAR(ARG); ARG = make(); } while (0)"), None);
        assert_eq!(of("do { Py_CLEAR(ARG); fill(&(ARG)); } while (0)"), None);
        assert_eq!(of("do { Py_CLEAR(ARG); (ARG)++; } while (0)"), None);
        assert_eq!(of("do { Py_CLEAR(ARG); ARG += 1; } while (0)"), None);
        assert_eq!(of("((ARG) == NULL)"), None);
        assert_eq!(of("(ARG)->ob_type = NULL"), None);
        // A copy handed on, not released: the macro's emptying is a reset.
        assert_eq!(
            of("do { keep = (ARG); (ARG) = NULL; } while (0)"),
            Some(Dropped::Resets)
        );
    }
}
