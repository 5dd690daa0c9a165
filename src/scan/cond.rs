//! Conditional compilation: which `#if` / `#ifdef` / `#ifndef` / `#elif` /
//! `#else` branches a translation unit's build compiles. It belongs to the
//! scan stage because it decides what text the compiler sees, as the
//! unit's inlined includes do ([`crate::scan::unit`]): a branch that no
//! build compiles (`#if 0`) is blanked in the unit's text (every byte but
//! line breaks becomes a space, so offsets and positions stay as they are)
//! before anything is parsed, so its statics are not sites and no fix
//! edits it; a branch that this build switches off but another build may
//! compile is read as code, as without a database, and listed
//! ([`View::keeping_other_builds`]).
//!
//! # The evaluator
//!
//! [`evaluate`] reads a `#if` expression the way the C preprocessor does:
//! `defined X` / `defined(X)`, object-like macros expanded (with a guard
//! against recursion and blow-up), integer literals (decimal, hex, octal,
//! binary; `u`/`U`/`l`/`L`/`ll` suffixes; character literals), unary `+ -
//! ~ !`, `* / %`, `+ -`, `<< >>`, comparisons, `& ^ |`, `&& ||`, `?:` and
//! `,`, in intmax_t/uintmax_t (64-bit, the usual arithmetic conversions).
//! Its answer is true, false or unknown ([`Truth`]). Unknown is what keeps
//! both branches, as without this module: an identifier whose state is
//! unknown, a function-like macro call (`__has_include(...)`, `FOO(1)`),
//! division by zero, a shift out of range, overflow, a syntax error, or
//! nesting deeper than [`MAX_DEPTH`] (a hostile file's 100,000 parentheses
//! cost no stack). `&&`, `||` and `?:` decide from the operand they know
//! (`0 && UNKNOWN` is 0, `1 || UNKNOWN` is 1), as the compiler would
//! whatever the unknown operand holds.
//!
//! # What a name means: the rule
//!
//! Names are looked up in an [`Env`], built for a unit from its compilation
//! database command (by the project stage's `compdb` module). A name is:
//!
//! * **unknown** when a file of the unit that oncevar reads (the `.c` file
//!   and the quoted includes it inlines) `#define`s or `#undef`s it before
//!   the condition, in a branch that is not known to be dead: oncevar does
//!   not track the project's own macros;
//! * **defined, with the header's value** when it is defined at the top
//!   level (outside any `#if`) of the `patchlevel.h` or `pyconfig.h` found
//!   on the unit's include path (`PY_VERSION_HEX`, `PY_MAJOR_VERSION`,
//!   `PY_MINOR_VERSION`, `Py_GIL_DISABLED`, ...), but only after the unit
//!   has included a Python header (`Python.h`, `pyconfig.h`,
//!   `patchlevel.h`); before that it is unknown;
//! * **unknown** when a header under one of the unit's include folders
//!   (`-I`, `-iquote`, `-isystem`, searched recursively) defines or
//!   undefines it anywhere: a header may change it;
//! * **defined, with its value** when the command line's last `-D` of it
//!   says so (`-DX` is `1`), **undefined** when its last word is `-UX`;
//! * **undefined** when the command does not name it, it lies in Python's
//!   namespace (`Py_`, `PY_`, `_Py`, `_PY`), Python's headers were found on
//!   the include path, and every include folder could be searched (see
//!   above): only Python's headers define Python's names, and none does.
//!   The compiler's own folders (`/usr/include`, ...) are assumed not to
//!   define names in Python's namespace;
//! * **unknown** otherwise (`MS_WINDOWS`, `__GNUC__`, `HAVE_X`, ...): it
//!   may be predefined by the compiler or defined by a system header.
//!
//! A command with `-include` or `-imacros` (a forced header oncevar does
//! not read) knows no name at all. Without a database, every name is
//! unknown ([`Env::default`]): only conditions of constants (`#if 0`, `#if
//! 1`) are decided, in every build.
//!
//! A branch is dead when its condition is false or an earlier branch of its
//! chain is certainly taken. A dead branch is [`Dead::build`] when a name
//! took part in deciding it (another build, with other flags or another
//! Python, may compile it): its statics are sites and a fix edits it, but
//! this build does not compile it ([`View::other_builds`]).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use crate::scan::index::{include_target, Directive, Index, Keyword};

/// How deep parentheses, unary operators and macro expansions may nest in
/// one condition before it is unknown.
pub const MAX_DEPTH: usize = 128;

/// How many tokens one condition may expand to before it is unknown.
const MAX_TOKENS: usize = 100_000;

/// The answer for a condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Truth {
    /// Nonzero: the branch is compiled.
    True,
    /// Zero: the branch is not compiled.
    False,
    /// Not decided: both branches are kept.
    Unknown,
}

/// What a name stands for where a condition reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Macro {
    /// Defined, with this replacement text.
    Defined(String),
    /// Known to be undefined.
    Undefined,
    /// Not known.
    Unknown,
}

/// A preprocessor integer: its 64 bits and whether it is unsigned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Int {
    bits: u64,
    unsigned: bool,
}

impl Int {
    fn signed(v: i64) -> Int {
        Int {
            bits: v as u64,
            unsigned: false,
        }
    }
    fn truth(b: bool) -> Int {
        Int::signed(i64::from(b))
    }
    fn is_true(self) -> bool {
        self.bits != 0
    }
}

/// A value that may be unknown.
type Value = Option<Int>;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Num(Int),
    /// A number, literal or name whose value is not known.
    Unknown,
    Punct(&'static str),
}

/// Evaluates the `#if` expression `expr` (the directive's text after its
/// keyword), looking names up with `lookup`. Returns [`Truth::Unknown`]
/// for anything it cannot decide (see the module doc); it never panics and
/// uses no stack in proportion to the input.
pub fn evaluate(expr: &[u8], lookup: &dyn Fn(&str) -> Macro) -> Truth {
    evaluate_used(expr, lookup).0
}

/// [`evaluate`], and whether a name was looked up (then another build, with
/// other flags, may decide otherwise).
fn evaluate_used(expr: &[u8], lookup: &dyn Fn(&str) -> Macro) -> (Truth, bool) {
    let Some(tokens) = tokenize(expr) else {
        return (Truth::Unknown, false);
    };
    let mut used = false;
    let mut out = Vec::new();
    let mut hidden = Vec::new();
    if expand(&tokens, lookup, &mut hidden, &mut out, &mut used, 0).is_none() {
        return (Truth::Unknown, used);
    }
    let mut parser = Parser {
        tokens: &out,
        at: 0,
        depth: 0,
    };
    let value = match parser.comma() {
        Some(v) if parser.at == out.len() => v,
        _ => return (Truth::Unknown, used),
    };
    let truth = match value {
        Some(v) if v.is_true() => Truth::True,
        Some(_) => Truth::False,
        None => Truth::Unknown,
    };
    (truth, used)
}

/// Splits an expression into tokens: comments, blanks and line
/// continuations skipped. `None` for a character it does not know (a
/// string literal, `#`, `@`, ...).
fn tokenize(text: &[u8]) -> Option<Vec<Tok>> {
    const PUNCTS: [&str; 25] = [
        ",", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "(", ")", "!", "~", "+", "-", "*",
        "/", "%", "<", ">", "&", "^", "|", "?", ":",
    ];
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        let rest = &text[i..];
        if b.is_ascii_whitespace() || b == b'\\' {
            i += 1;
        } else if rest.starts_with(b"//") {
            break;
        } else if rest.starts_with(b"/*") {
            i += 2 + memchr::memmem::find(&text[i + 2..], b"*/")? + 2;
        } else if b.is_ascii_alphabetic() || b == b'_' {
            let end = rest
                .iter()
                .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
                .unwrap_or(rest.len());
            let name = std::str::from_utf8(&rest[..end]).ok()?;
            // A character literal with a prefix (L'x', u'x') is unknown.
            if rest.get(end) == Some(&b'\'') {
                return None;
            }
            tokens.push(Tok::Ident(name.to_owned()));
            i += end;
        } else if b.is_ascii_digit() || (b == b'.' && rest.get(1).is_some_and(u8::is_ascii_digit)) {
            let mut end = 1;
            while end < rest.len() {
                let c = rest[end];
                let exponent =
                    matches!(c, b'+' | b'-') && matches!(rest[end - 1], b'e' | b'E' | b'p' | b'P');
                if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || c == b'\'' || exponent {
                    end += 1;
                } else {
                    break;
                }
            }
            tokens.push(number(&rest[..end]).map_or(Tok::Unknown, Tok::Num));
            i += end;
        } else if b == b'\'' {
            let (value, len) = character(rest)?;
            tokens.push(value.map_or(Tok::Unknown, Tok::Num));
            i += len;
        } else {
            let p = PUNCTS.iter().find(|p| rest.starts_with(p.as_bytes()))?;
            tokens.push(Tok::Punct(p));
            i += p.len();
        }
    }
    Some(tokens)
}

/// The value of an integer literal, or `None` when it is not one this
/// evaluator reads (a floating constant, a digit separator, too large).
fn number(text: &[u8]) -> Option<Int> {
    let text = std::str::from_utf8(text).ok()?;
    let body_end = text.trim_end_matches(['u', 'U', 'l', 'L']).len().max(1);
    let (body, suffix) = text.split_at(body_end);
    let lower = suffix.to_ascii_lowercase();
    let unsigned_suffix = lower.contains('u');
    let l_count = lower.matches('l').count();
    if lower.matches('u').count() > 1 || l_count > 2 || (l_count == 2 && !lower.contains("ll")) {
        return None;
    }
    let (digits, radix) = if let Some(hex) = body.strip_prefix("0x").or(body.strip_prefix("0X")) {
        (hex, 16)
    } else if let Some(bin) = body.strip_prefix("0b").or(body.strip_prefix("0B")) {
        (bin, 2)
    } else if body.len() > 1 && body.starts_with('0') {
        (&body[1..], 8)
    } else {
        (body, 10)
    };
    if digits.is_empty() {
        return None;
    }
    let bits = u64::from_str_radix(digits, radix).ok()?;
    // Too large for intmax_t: unsigned, as GCC reads it.
    let unsigned = unsigned_suffix || bits > i64::MAX as u64;
    Some(Int { bits, unsigned })
}

/// A character literal at the start of `text`: its value (`None` when it
/// is one this evaluator does not read) and its length; `None` when it is
/// not closed on its line.
fn character(text: &[u8]) -> Option<(Option<Int>, usize)> {
    let mut i = 1;
    while i < text.len() {
        match text[i] {
            b'\\' => i += 2,
            b'\'' => break,
            b'\n' => return None,
            _ => i += 1,
        }
    }
    if i >= text.len() {
        return None;
    }
    let inner = &text[1..i];
    let value = match inner {
        [c] if *c != b'\\' && c.is_ascii() => Some(i64::from(*c)),
        [b'\\', e] => match e {
            b'n' => Some(10),
            b't' => Some(9),
            b'r' => Some(13),
            b'0' => Some(0),
            b'\\' => Some(92),
            b'\'' => Some(39),
            b'"' => Some(34),
            _ => None,
        },
        _ => None,
    };
    Some((value.map(Int::signed), i + 1))
}

/// Expands `tokens` into `out`: `defined` answered, names replaced by
/// their values (recursively, a name never inside its own expansion),
/// undefined names made 0, unknown names (with the parenthesised arguments
/// of a call) made unknown. `None` when the expansion is malformed or too
/// large or deep.
fn expand(
    tokens: &[Tok],
    lookup: &dyn Fn(&str) -> Macro,
    hidden: &mut Vec<String>,
    out: &mut Vec<Tok>,
    used: &mut bool,
    depth: usize,
) -> Option<()> {
    if depth > MAX_DEPTH {
        return None;
    }
    let mut i = 0;
    while i < tokens.len() {
        if out.len() > MAX_TOKENS {
            return None;
        }
        let Tok::Ident(name) = &tokens[i] else {
            out.push(tokens[i].clone());
            i += 1;
            continue;
        };
        i += 1;
        if name == "defined" {
            let (target, len) = match tokens.get(i..) {
                Some([Tok::Ident(n), ..]) => (n, 1),
                Some([Tok::Punct("("), Tok::Ident(n), Tok::Punct(")"), ..]) => (n, 3),
                _ => return None,
            };
            i += len;
            let state = lookup(target);
            *used = true;
            out.push(match state {
                Macro::Defined(_) => Tok::Num(Int::truth(true)),
                Macro::Undefined => Tok::Num(Int::truth(false)),
                Macro::Unknown => Tok::Unknown,
            });
            continue;
        }
        let state = if hidden.contains(name) {
            // A macro inside its own expansion stays a name: an
            // identifier the compiler reads as 0, but which it is not
            // known here.
            Macro::Unknown
        } else {
            lookup(name)
        };
        *used = true;
        match state {
            Macro::Defined(body) => {
                let body = tokenize(body.as_bytes())?;
                hidden.push(name.clone());
                expand(&body, lookup, hidden, out, used, depth + 1)?;
                hidden.pop();
            }
            Macro::Undefined => out.push(Tok::Num(Int::truth(false))),
            Macro::Unknown => {
                out.push(Tok::Unknown);
                // A call of an unknown (function-like) macro: its
                // arguments go with it.
                if tokens.get(i) == Some(&Tok::Punct("(")) {
                    let mut open = 0usize;
                    while let Some(t) = tokens.get(i) {
                        i += 1;
                        match t {
                            Tok::Punct("(") => open += 1,
                            Tok::Punct(")") => {
                                open -= 1;
                                if open == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                    if open != 0 {
                        return None;
                    }
                }
            }
        }
    }
    Some(())
}

/// A precedence-climbing parser that evaluates as it goes. Each method
/// returns `None` on a syntax error (or nesting past [`MAX_DEPTH`]), else
/// the value, which may be unknown.
struct Parser<'t> {
    tokens: &'t [Tok],
    at: usize,
    depth: usize,
}

/// Binary operators by precedence, loosest first (after `,` and `?:`).
const LEVELS: [&[&str]; 10] = [
    &["||"],
    &["&&"],
    &["|"],
    &["^"],
    &["&"],
    &["==", "!="],
    &["<", ">", "<=", ">="],
    &["<<", ">>"],
    &["+", "-"],
    &["*", "/", "%"],
];

impl Parser<'_> {
    fn peek(&self) -> Option<&'static str> {
        match self.tokens.get(self.at) {
            Some(Tok::Punct(p)) => Some(p),
            _ => None,
        }
    }

    fn eat(&mut self, p: &str) -> bool {
        let found = self.peek() == Some(p);
        self.at += usize::from(found);
        found
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    fn comma(&mut self) -> Option<Value> {
        let mut value = self.conditional()?;
        while self.eat(",") {
            value = self.conditional()?;
        }
        Some(value)
    }

    fn conditional(&mut self) -> Option<Value> {
        self.enter()?;
        let condition = self.binary(0)?;
        let value = if self.eat("?") {
            let then = self.comma()?;
            if !self.eat(":") {
                return None;
            }
            let otherwise = self.conditional()?;
            // The result has the operands' common type (the usual
            // arithmetic conversions): unsigned when either is, unknown
            // when the operand not chosen is unknown and the chosen one
            // is signed (that operand may be unsigned).
            let (then, otherwise) = match (then, otherwise) {
                (Some(t), Some(o)) => {
                    let unsigned = t.unsigned || o.unsigned;
                    (Some(Int { unsigned, ..t }), Some(Int { unsigned, ..o }))
                }
                (t, o) => (
                    t.filter(|t| t.unsigned || o.is_some()),
                    o.filter(|o| o.unsigned || t.is_some()),
                ),
            };
            match condition {
                Some(c) => {
                    if c.is_true() {
                        then
                    } else {
                        otherwise
                    }
                }
                None if then == otherwise => then,
                None => None,
            }
        } else {
            condition
        };
        self.depth -= 1;
        Some(value)
    }

    fn binary(&mut self, level: usize) -> Option<Value> {
        if level == LEVELS.len() {
            return self.unary();
        }
        let mut left = self.binary(level + 1)?;
        while let Some(op) = self.peek().filter(|p| LEVELS[level].contains(p)) {
            self.at += 1;
            let right = self.binary(level + 1)?;
            left = apply(op, left, right);
        }
        Some(left)
    }

    fn unary(&mut self) -> Option<Value> {
        self.enter()?;
        let value = match self.tokens.get(self.at)? {
            Tok::Num(n) => {
                self.at += 1;
                Some(*n)
            }
            Tok::Unknown | Tok::Ident(_) => {
                self.at += 1;
                None
            }
            Tok::Punct("(") => {
                self.at += 1;
                let v = self.comma()?;
                if !self.eat(")") {
                    return None;
                }
                v
            }
            Tok::Punct(op @ ("!" | "~" | "-" | "+")) => {
                self.at += 1;
                let v = self.unary()?;
                v.and_then(|v| match *op {
                    "!" => Some(Int::truth(!v.is_true())),
                    "~" => Some(Int { bits: !v.bits, ..v }),
                    "-" if v.unsigned => Some(Int {
                        bits: v.bits.wrapping_neg(),
                        ..v
                    }),
                    "-" => (v.bits as i64).checked_neg().map(Int::signed),
                    _ => Some(v),
                })
            }
            Tok::Punct(_) => return None,
        };
        self.depth -= 1;
        Some(value)
    }
}

/// `left op right`, unknown when either is (except where the known one
/// decides `&&` or `||`) or when the operation has no defined value.
fn apply(op: &str, left: Value, right: Value) -> Value {
    match op {
        "&&" => match (left, right) {
            (Some(l), _) if !l.is_true() => Some(Int::truth(false)),
            (_, Some(r)) if !r.is_true() => Some(Int::truth(false)),
            (Some(_), Some(_)) => Some(Int::truth(true)),
            _ => None,
        },
        "||" => match (left, right) {
            (Some(l), _) if l.is_true() => Some(Int::truth(true)),
            (_, Some(r)) if r.is_true() => Some(Int::truth(true)),
            (Some(_), Some(_)) => Some(Int::truth(false)),
            _ => None,
        },
        _ => {
            let (l, r) = (left?, right?);
            let unsigned = l.unsigned || r.unsigned;
            let int = |bits: u64| Some(Int { bits, unsigned });
            let (ls, rs) = (l.bits as i64, r.bits as i64);
            match op {
                "*" if unsigned => int(l.bits.wrapping_mul(r.bits)),
                "*" => ls.checked_mul(rs).map(Int::signed),
                "/" if unsigned => l.bits.checked_div(r.bits).and_then(int),
                "/" => ls.checked_div(rs).map(Int::signed),
                "%" if unsigned => l.bits.checked_rem(r.bits).and_then(int),
                "%" => ls.checked_rem(rs).map(Int::signed),
                "+" if unsigned => int(l.bits.wrapping_add(r.bits)),
                "+" => ls.checked_add(rs).map(Int::signed),
                "-" if unsigned => int(l.bits.wrapping_sub(r.bits)),
                "-" => ls.checked_sub(rs).map(Int::signed),
                "<<" | ">>" => {
                    // The result has the left operand's type.
                    let amount = if r.unsigned {
                        r.bits
                    } else {
                        u64::try_from(rs).ok()?
                    };
                    if amount >= 64 {
                        return None;
                    }
                    let bits = if op == "<<" {
                        if !l.unsigned && (ls < 0 || ls.leading_zeros() <= amount as u32) {
                            return None;
                        }
                        l.bits << amount
                    } else if l.unsigned {
                        l.bits >> amount
                    } else {
                        (ls >> amount) as u64
                    };
                    Some(Int { bits, ..l })
                }
                "<" | ">" | "<=" | ">=" => {
                    let ordering = if unsigned {
                        l.bits.cmp(&r.bits)
                    } else {
                        ls.cmp(&rs)
                    };
                    Some(Int::truth(match op {
                        "<" => ordering.is_lt(),
                        ">" => ordering.is_gt(),
                        "<=" => ordering.is_le(),
                        _ => ordering.is_ge(),
                    }))
                }
                "==" => Some(Int::truth(l.bits == r.bits)),
                "!=" => Some(Int::truth(l.bits != r.bits)),
                "&" => int(l.bits & r.bits),
                "^" => int(l.bits ^ r.bits),
                "|" => int(l.bits | r.bits),
                _ => None,
            }
        }
    }
}

/// What a unit's build says about names (see the module doc for the rule).
/// The default knows nothing: every name is unknown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Env {
    /// The command line's macros, the last `-D`/`-U` of each name:
    /// `Some(value)` defined, `None` undefined.
    pub command_line: HashMap<String, Option<String>>,
    /// Top-level definitions of the Python headers read (`patchlevel.h`,
    /// `pyconfig.h`), in force once the unit includes a Python header.
    pub header_values: HashMap<String, String>,
    /// Where each of `header_values` comes from (`path:line`).
    pub header_origin: HashMap<String, String>,
    /// Every name a header under the unit's include folders defines or
    /// undefines; `None` when some folder could not be searched whole.
    pub header_names: Option<HashSet<String>>,
    /// Every name Python's own headers define or undefine (a header value
    /// defined anywhere else in them too is not a value).
    pub python_names: HashSet<String>,
    /// Whether Python's headers (`patchlevel.h`) were found on the path.
    pub python: bool,
    /// Set when the command forces a header in (`-include`, `-imacros`)
    /// or otherwise makes every name unknown.
    pub opaque: bool,
}

/// Whether a name lies in Python's namespace.
pub fn is_python_name(name: &str) -> bool {
    ["Py_", "PY_", "_Py", "_PY"]
        .iter()
        .any(|p| name.starts_with(p))
}

impl Env {
    /// What `name` stands for in this build, `python_included` telling
    /// whether the unit has included a Python header yet and `project`
    /// whether a file of the unit has defined or undefined it.
    pub fn lookup(&self, name: &str, python_included: bool, project: bool) -> Macro {
        if self.opaque || project {
            return Macro::Unknown;
        }
        if let Some(value) = self.header_values.get(name) {
            return if python_included {
                Macro::Defined(value.clone())
            } else {
                Macro::Unknown
            };
        }
        if self.python_names.contains(name)
            || self
                .header_names
                .as_ref()
                .is_some_and(|names| names.contains(name))
        {
            return Macro::Unknown;
        }
        match self.command_line.get(name) {
            Some(Some(value)) => Macro::Defined(value.clone()),
            Some(None) => Macro::Undefined,
            None if self.python && self.header_names.is_some() && is_python_name(name) => {
                Macro::Undefined
            }
            None => Macro::Unknown,
        }
    }

    /// Whether this build is free-threaded (`Py_GIL_DISABLED` defined once
    /// Python's headers are in), and what says so: `None` when unknown.
    pub fn free_threaded(&self) -> Option<(bool, String)> {
        match self.lookup("Py_GIL_DISABLED", true, false) {
            Macro::Defined(_) => {
                let origin = match self.header_origin.get("Py_GIL_DISABLED") {
                    Some(at) => format!("Py_GIL_DISABLED is defined in {at}"),
                    None => "the command defines Py_GIL_DISABLED".to_owned(),
                };
                Some((true, origin))
            }
            Macro::Undefined => Some((
                false,
                match self.command_line.get("Py_GIL_DISABLED") {
                    Some(None) => "the command undefines Py_GIL_DISABLED".to_owned(),
                    _ => {
                        "neither the command nor Python's headers define Py_GIL_DISABLED".to_owned()
                    }
                },
            )),
            Macro::Unknown => None,
        }
    }
}

/// The environments of a scan's units, by the real path of the unit's
/// source file; a unit without one uses [`Env::default`].
#[derive(Clone, Debug, Default)]
pub struct Builds {
    /// Each unit's environment, by the real path of its source file.
    pub by_file: HashMap<PathBuf, Arc<Env>>,
    /// What the preprocessor of each unit that was run said (the project
    /// stage's `preprocess` module runs it), by the real path of its source
    /// file: those units' branches are the compiler's, not [`walk`]'s.
    pub compiled: HashMap<PathBuf, Arc<crate::scan::compiled::Compiled>>,
}

impl Builds {
    /// Whether the build compiles `path` as a unit of its own (it has an
    /// entry in the database); `None` without a database.
    pub fn compiles(&self, path: &std::path::Path) -> Option<bool> {
        if self.by_file.is_empty() {
            return None;
        }
        let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        Some(self.by_file.contains_key(&real))
    }

    /// What the preprocessor of the unit whose source file is `path` (any
    /// path that reaches it) said, when it was run.
    pub fn compiled(&self, path: &std::path::Path) -> Option<Arc<crate::scan::compiled::Compiled>> {
        if self.compiled.is_empty() {
            return None;
        }
        let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.compiled.get(&real).cloned()
    }

    /// The environment of the unit whose source file is `path` (any path
    /// that reaches it); the default (nothing known) when it has none.
    pub fn env(&self, path: &std::path::Path) -> Arc<Env> {
        if self.by_file.is_empty() {
            return Arc::default();
        }
        let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.by_file.get(&real).cloned().unwrap_or_default()
    }
}

/// A range of a file's bytes that the build does not compile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dead {
    /// The first byte (just past the line break of the directive that
    /// opens the branch).
    pub start: usize,
    /// One past the last byte (where the next directive of the chain
    /// starts, or the end of the file).
    pub end: usize,
    /// Whether a name decided it (another build may compile it), as
    /// opposed to constants (`#if 0`: no build does).
    pub build: bool,
}

/// The definitions a header makes, as [`definitions`] reads them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Definitions {
    /// Object-like macros defined outside any `#if`: (name, replacement
    /// text, 1-based line).
    pub top_level: Vec<(String, String, usize)>,
    /// Every name defined or undefined anywhere, once per directive.
    pub names: Vec<String>,
    /// What every `#include` names (between `<>` or quotes), in order.
    pub includes: Vec<String>,
}

/// The `#define`, `#undef` and `#include` directives of a header's
/// `bytes` (comments and literals skipped).
pub fn definitions(bytes: &[u8]) -> Definitions {
    let mut found = Definitions::default();
    let mut depth = 0usize;
    for d in Index::directives(bytes) {
        let rest = d.rest(bytes);
        match d.keyword {
            Keyword::If | Keyword::Ifdef | Keyword::Ifndef => depth += 1,
            Keyword::Endif => depth = depth.saturating_sub(1),
            Keyword::Define | Keyword::Undef => {
                let Some(name) = first_name(rest) else {
                    continue;
                };
                let after = &rest.trim_ascii_start()[name.len()..];
                if d.keyword == Keyword::Define && depth == 0 && !after.starts_with(b"(") {
                    let line = 1 + memchr::memchr_iter(b'\n', &bytes[..d.span.start]).count();
                    let value = String::from_utf8_lossy(after).trim().to_owned();
                    found.top_level.push((name.clone(), value, line));
                }
                found.names.push(name);
            }
            Keyword::Include => {
                if let Some((_, name)) = include_target(rest) {
                    found
                        .includes
                        .push(String::from_utf8_lossy(name).into_owned());
                }
            }
            _ => {}
        }
    }
    found
}

/// A branch kept because its condition, or an earlier one of its chain,
/// could not be decided: the build may or may not compile it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Undecided {
    /// The first byte of its text (just past its directive's line).
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// Where its directive (`#ifdef WITH_CACHE`, `#else`) starts.
    pub directive: usize,
}

/// Who decided a unit's branches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Decider {
    /// Nobody walked the unit: no name is known and no condition of its
    /// files has a literal, so every conditional branch is undecided.
    #[default]
    Nothing,
    /// oncevar's evaluator ([`walk`]): [`View::undecided`] lists what it
    /// could not decide.
    Evaluator,
    /// The build's own preprocessor: nothing is undecided.
    Compiler,
}

/// What the walk over a unit found.
#[derive(Clone, Debug, Default)]
pub struct View {
    /// Dead ranges by file (the caller's file indexes), in order.
    pub dead: HashMap<usize, Vec<Dead>>,
    /// Quoted includes in dead branches, as (file, offset past the
    /// directive's line): the compiler does not read them.
    pub dead_includes: HashSet<(usize, usize)>,
    /// Whether the unit's build is free-threaded, and what says so
    /// ([`Env::free_threaded`]); `None` when not known.
    pub free_threaded: Option<(bool, String)>,
    /// Who decided the branches.
    pub decider: Decider,
    /// The branches kept undecided, by file, in order (when the evaluator
    /// decided).
    pub undecided: HashMap<usize, Vec<Undecided>>,
    /// Branches that this build does not compile but another build may (a
    /// name decided them: `#ifdef MS_WINDOWS`, `#if PY_VERSION_HEX >=
    /// 0x030D0000`), and files that only such branches include, by file,
    /// in order ([`View::keeping_other_builds`]). They are not in `dead`:
    /// their text is read, as without a database, so their statics are
    /// sites; what the build says is only that it does not compile them.
    pub other_builds: HashMap<usize, Vec<Dead>>,
    /// The files the walk entered (the root and the includes it followed).
    pub reached: HashSet<usize>,
}

impl View {
    /// Whether anything is dead.
    pub fn is_empty(&self) -> bool {
        self.dead.is_empty()
    }

    /// This build's view made the one the analysis reads: the branches
    /// that another build may compile ([`Dead::build`]) and the files only
    /// they include are moved to [`View::other_builds`], and what is dead
    /// (blanked) and which includes are not followed is what `constant`
    /// says, the walk with nothing known ([`Env::default`], as without a
    /// database): dead by constants alone (`#if 0`), which no build
    /// compiles. `length(f)` is file `f`'s length in bytes. Who decided,
    /// what is undecided and whether the build is free-threaded stay this
    /// build's. Unchanged when no branch of another build is dead.
    pub fn keeping_other_builds(self, constant: View, length: &dyn Fn(usize) -> usize) -> View {
        let mut other_builds: HashMap<usize, Vec<Dead>> = HashMap::new();
        for (&f, ranges) in &self.dead {
            let kept: Vec<Dead> = ranges.iter().copied().filter(|d| d.build).collect();
            if !kept.is_empty() {
                other_builds.insert(f, kept);
            }
        }
        if other_builds.is_empty() {
            return self;
        }
        for &f in constant.reached.difference(&self.reached) {
            let whole = Dead {
                start: 0,
                end: length(f),
                build: true,
            };
            other_builds.insert(f, vec![whole]);
        }
        View {
            dead: constant.dead,
            dead_includes: constant.dead_includes,
            other_builds,
            reached: constant.reached,
            ..self
        }
    }

    /// `bytes` of file `f` with its dead ranges blanked (every byte but
    /// `\n` and `\r` made a space), or `None` when none of it is dead.
    pub fn blanked(&self, f: usize, bytes: &[u8]) -> Option<Vec<u8>> {
        let ranges = self.dead.get(&f)?;
        let mut out = bytes.to_vec();
        for r in ranges {
            for b in &mut out[r.start..r.end] {
                if *b != b'\n' && *b != b'\r' {
                    *b = b' ';
                }
            }
        }
        Some(out)
    }
}

/// One open `#if` chain during the walk.
struct Frame {
    /// Whether the chain lies in a dead region (then all of it is dead).
    outer_dead: bool,
    /// Whether an earlier branch is certainly taken / possibly taken.
    taken: Truth,
    /// Whether a name took part in deciding the chain so far.
    build: bool,
    /// Where the current branch's text starts and whether it is dead.
    start: usize,
    dead: bool,
    /// Whether the current branch is kept only because its condition (or
    /// an earlier one of its chain) could not be decided, and where its
    /// directive starts.
    undecided: Option<usize>,
}

/// Walks a unit in the order its text is put together (see
/// [`crate::scan::unit::Layout`]): the root `root`, each quoted include
/// (`includes[f]`: offset past the directive's line, included file) inlined
/// at its first live occurrence. `bytes(f)` gives a file's text and
/// `directives(f)` its directives (as [`Index`] read them). Returns the
/// dead ranges of every file reached and the includes that dead branches
/// hold.
pub fn walk<'b>(
    root: usize,
    includes: &[Vec<(usize, usize)>],
    bytes: &dyn Fn(usize) -> &'b [u8],
    directives: &dyn Fn(usize) -> &'b [Directive],
    env: &Env,
) -> View {
    let mut walker = Walker {
        includes,
        bytes,
        directives,
        env,
        view: View::default(),
        seen: HashSet::from([root]),
        python_included: false,
        project_names: HashSet::new(),
    };
    walker.file(root, 1);
    walker.view.free_threaded = env.free_threaded();
    walker.view.decider = Decider::Evaluator;
    walker.view.reached = walker.seen;
    walker.view
}

struct Walker<'a, 'b> {
    includes: &'a [Vec<(usize, usize)>],
    bytes: &'a dyn Fn(usize) -> &'b [u8],
    directives: &'a dyn Fn(usize) -> &'b [Directive],
    env: &'a Env,
    view: View,
    seen: HashSet<usize>,
    python_included: bool,
    /// Names the unit's own files define or undefine (so far).
    project_names: HashSet<String>,
}

/// Whether an `#include` line names one of Python's entry headers.
fn includes_python(rest: &[u8]) -> bool {
    let Some((_, name)) = include_target(rest) else {
        return false;
    };
    let base = name.rsplit(|&b| b == b'/').next().unwrap_or(name);
    matches!(base, b"Python.h" | b"pyconfig.h" | b"patchlevel.h")
}

/// The first word of `text` as a name, if it is one.
fn first_name(text: &[u8]) -> Option<String> {
    let text = text.trim_ascii_start();
    let end = text
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
        .unwrap_or(text.len());
    let name = std::str::from_utf8(&text[..end]).ok()?;
    (!name.is_empty() && !name.as_bytes()[0].is_ascii_digit()).then(|| name.to_owned())
}

impl Walker<'_, '_> {
    fn condition(&self, keyword: Keyword, rest: &[u8]) -> (Truth, bool) {
        let lookup = |name: &str| {
            self.env.lookup(
                name,
                self.python_included,
                self.project_names.contains(name),
            )
        };
        let negate = |(t, used): (Truth, bool)| {
            (
                match t {
                    Truth::True => Truth::False,
                    Truth::False => Truth::True,
                    Truth::Unknown => Truth::Unknown,
                },
                used,
            )
        };
        let defined = |rest: &[u8]| match first_name(rest) {
            Some(name) => {
                let state = lookup(&name);
                let truth = match state {
                    Macro::Defined(_) => Truth::True,
                    Macro::Undefined => Truth::False,
                    Macro::Unknown => Truth::Unknown,
                };
                (truth, true)
            }
            None => (Truth::Unknown, false),
        };
        match keyword {
            Keyword::Ifdef | Keyword::Elifdef => defined(rest),
            Keyword::Ifndef | Keyword::Elifndef => negate(defined(rest)),
            _ => evaluate_used(rest, &lookup),
        }
    }

    /// Walks file `f`, included `depth` levels deep (the root is 1), and
    /// the files it includes, up to [`crate::scan::unit::MAX_INCLUDE_DEPTH`]
    /// as the unit's layout does.
    fn file(&mut self, f: usize, depth: usize) {
        let bytes = (self.bytes)(f);
        let directives = (self.directives)(f);
        let includes = &self.includes[f];
        let mut next_include = 0;
        let mut stack: Vec<Frame> = Vec::new();
        let mut dead: Vec<Dead> = Vec::new();
        let mut undecided: Vec<Undecided> = Vec::new();
        let mut next_directive = directives.iter();
        loop {
            let directive = next_directive.next();
            let start = directive.map_or(bytes.len(), |d| d.span.start);
            // The top frame knows whether any enclosing branch is dead.
            let in_dead = stack.last().is_some_and(|fr| fr.dead || fr.outer_dead);
            // The quoted includes before this point.
            while let Some(&(line_end, target)) = includes.get(next_include) {
                if line_end > start {
                    break;
                }
                next_include += 1;
                if in_dead {
                    self.view.dead_includes.insert((f, line_end));
                } else if depth < crate::scan::unit::MAX_INCLUDE_DEPTH && self.seen.insert(target) {
                    self.file(target, depth + 1);
                }
            }
            let Some(directive) = directive else {
                break;
            };
            if !directive.starts_line {
                continue;
            }
            let end = directive.span.end;
            let rest = directive.rest(bytes);
            let keyword = directive.keyword;
            match keyword {
                Keyword::If | Keyword::Ifdef | Keyword::Ifndef => {
                    let (truth, build) = if in_dead {
                        (Truth::False, false)
                    } else {
                        self.condition(keyword, rest)
                    };
                    stack.push(Frame {
                        outer_dead: in_dead,
                        taken: truth,
                        build,
                        start: end,
                        dead: truth == Truth::False,
                        undecided: (!in_dead && truth == Truth::Unknown).then_some(start),
                    });
                }
                Keyword::Elif | Keyword::Elifdef | Keyword::Elifndef | Keyword::Else => {
                    let Some(frame) = stack.last() else { continue };
                    let outer_dead = frame.outer_dead;
                    let taken = frame.taken;
                    let (truth, used) = if outer_dead || taken == Truth::True {
                        (Truth::False, false)
                    } else if keyword == Keyword::Else {
                        (Truth::True, false)
                    } else {
                        self.condition(keyword, rest)
                    };
                    let frame = stack.last_mut().expect("checked above");
                    close_branch(frame, start, &mut dead, &mut undecided);
                    frame.build |= used;
                    frame.dead = outer_dead || taken == Truth::True || truth == Truth::False;
                    // Certainly compiled only when its own condition holds
                    // and no earlier branch may have been taken.
                    let certain = truth == Truth::True && taken == Truth::False;
                    frame.undecided = (!(frame.dead || certain)).then_some(start);
                    frame.taken = match (taken, truth) {
                        (Truth::True, _) | (_, Truth::True) => Truth::True,
                        (Truth::False, Truth::False) => Truth::False,
                        _ => Truth::Unknown,
                    };
                    frame.start = end;
                }
                Keyword::Endif => {
                    if let Some(mut frame) = stack.pop() {
                        close_branch(&mut frame, start, &mut dead, &mut undecided);
                    }
                }
                _ if in_dead => {}
                Keyword::Include if includes_python(rest) => self.python_included = true,
                Keyword::Define | Keyword::Undef => {
                    if let Some(name) = first_name(rest) {
                        self.project_names.insert(name);
                    }
                }
                _ => {}
            }
        }
        // A chain left open at the end of the file ends there.
        while let Some(mut frame) = stack.pop() {
            close_branch(&mut frame, bytes.len(), &mut dead, &mut undecided);
        }
        if !dead.is_empty() {
            dead.sort();
            self.view.dead.insert(f, dead);
        }
        if !undecided.is_empty() {
            undecided.sort();
            self.view.undecided.insert(f, undecided);
        }
    }
}

/// Records the branch `frame` holds, ending at `end`, when it is dead and
/// not inside a dead region already recorded, or when it is undecided.
fn close_branch(
    frame: &mut Frame,
    end: usize,
    dead: &mut Vec<Dead>,
    undecided: &mut Vec<Undecided>,
) {
    if let Some(directive) = frame.undecided {
        if !frame.dead && frame.start < end {
            undecided.push(Undecided {
                start: frame.start,
                end,
                directive,
            });
        }
    }
    if frame.dead && !frame.outer_dead && frame.start < end {
        dead.push(Dead {
            start: frame.start,
            end,
            build: frame.build,
        });
    }
}

/// The `#if` conditions under which the byte at `offset` of `bytes` is
/// compiled, outermost first, each a C expression as written (comments
/// dropped, blanks collapsed): `PY_VERSION_HEX >= 0x030C0000`,
/// `defined(Py_GIL_DISABLED)` for `#ifdef`, `!defined(X)` for `#ifndef`;
/// in an `#else` or `#elif` branch, the earlier branches' conditions
/// negated (`!(A) && B`). An include guard (`#ifndef X` followed by
/// `#define X`) is no condition. Empty when the byte is compiled
/// unconditionally. Nothing is evaluated (see [`walk`] for that).
pub fn enclosing_conditions(bytes: &[u8], offset: usize) -> Vec<String> {
    /// One open `#if` chain: the conditions of its earlier branches, the
    /// current branch's (`None` in `#else`), and whether it is an include
    /// guard.
    struct Chain {
        earlier: Vec<String>,
        current: Option<String>,
        guard: Option<String>,
    }
    let mut chains: Vec<Chain> = Vec::new();
    let mut lexer = crate::scan::lexer::Lexer::at(bytes, 0);
    let base = bytes.as_ptr() as usize;
    while let Some(token) = lexer.next_token(true) {
        let crate::scan::lexer::Token::Directive(text) = token else {
            continue;
        };
        if text.as_ptr() as usize - base >= offset {
            break;
        }
        let (keyword, rest) = crate::scan::index::split_keyword(text);
        let expression = condition_text(rest);
        let defined = |negated: bool| {
            let name = first_name(rest).unwrap_or_default();
            format!("{}defined({name})", if negated { "!" } else { "" })
        };
        match keyword {
            b"if" => chains.push(Chain {
                earlier: Vec::new(),
                current: Some(expression),
                guard: None,
            }),
            b"ifdef" => chains.push(Chain {
                earlier: Vec::new(),
                current: Some(defined(false)),
                guard: None,
            }),
            b"ifndef" => chains.push(Chain {
                earlier: Vec::new(),
                current: Some(defined(true)),
                guard: first_name(rest),
            }),
            b"elif" | b"elifdef" | b"elifndef" | b"else" => {
                if let Some(chain) = chains.last_mut() {
                    chain.guard = None;
                    chain.earlier.extend(chain.current.take());
                    chain.current = match keyword {
                        b"elif" => Some(expression),
                        b"elifdef" => Some(defined(false)),
                        b"elifndef" => Some(defined(true)),
                        _ => None,
                    };
                }
            }
            b"endif" => {
                chains.pop();
            }
            b"define" => {
                // `#ifndef X` then `#define X`: an include guard.
                if let Some(chain) = chains.last_mut() {
                    if chain.guard.is_some() && chain.guard == first_name(rest) {
                        chain.current = None;
                    }
                    chain.guard = None;
                }
            }
            _ => {
                if let Some(chain) = chains.last_mut() {
                    chain.guard = None;
                }
            }
        }
    }
    chains
        .into_iter()
        .filter_map(|chain| {
            let mut parts: Vec<String> = chain.earlier.iter().map(|c| negate(c)).collect();
            parts.extend(chain.current);
            if parts.len() > 1 {
                for part in &mut parts {
                    if part.contains(|c: char| c.is_whitespace() || "|&?".contains(c))
                        && !part.starts_with("!(")
                    {
                        *part = format!("({part})");
                    }
                }
            }
            (!parts.is_empty()).then(|| parts.join(" && "))
        })
        .collect()
}

/// What a file's conditions say about one name ([`needing`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Needing {
    /// The branches that only a build defining the name compiles,
    /// outermost only, in order: (first byte, one past the last, where
    /// the directive opening the branch starts).
    pub branches: Vec<(usize, usize, usize)>,
    /// Where the first directive whose condition names it starts, unless
    /// the next directive is `#error`: the file is written for builds with
    /// and without it.
    pub tested: Option<usize>,
}

impl Needing {
    /// The directive opening the branch that holds byte `at`, if a build
    /// compiles `at` only with the name defined.
    pub fn branch_at(&self, at: usize) -> Option<usize> {
        let i = self.branches.partition_point(|b| b.1 <= at);
        self.branches.get(i).filter(|b| b.0 <= at).map(|b| b.2)
    }
}

/// The branches of `bytes` that only a build defining `name` compiles
/// (for `Py_LIMITED_API`: `#ifdef Py_LIMITED_API`, `#if
/// defined(Py_LIMITED_API) && X`, `#if Py_LIMITED_API+0 >= 0x030A0000`,
/// the `#else` of `#ifndef Py_LIMITED_API`), and whether any condition
/// names it. Each condition is read by [`evaluate`] with `name` undefined
/// and every other name unknown: a branch needs the name when its
/// condition is then false or an earlier branch of its chain surely
/// taken. One pass over the directives.
pub fn needing(bytes: &[u8], name: &str) -> Needing {
    /// One open `#if` chain: whether an earlier branch is surely taken
    /// without the name, and where the current branch started when it
    /// needs the name (its first byte and directive).
    struct Chain {
        taken: bool,
        open: Option<(usize, usize)>,
    }
    let mut found = Needing::default();
    if memchr::memmem::find(bytes, name.as_bytes()).is_none() {
        return found;
    }
    let lookup = |n: &str| {
        if n == name {
            Macro::Undefined
        } else {
            Macro::Unknown
        }
    };
    let mut chains: Vec<Chain> = Vec::new();
    // A directive naming the name, until the next shows what it guards.
    let mut candidate: Option<usize> = None;
    // How many open chains are in a branch that needs the name: branches
    // inside one are not listed apart.
    let mut inside = 0usize;
    let mut lexer = crate::scan::lexer::Lexer::at(bytes, 0);
    let base = bytes.as_ptr() as usize;
    while let Some(token) = lexer.next_token(true) {
        let crate::scan::lexer::Token::Directive(text) = token else {
            continue;
        };
        let at = text.as_ptr() as usize - base;
        let after = at + text.len();
        let (keyword, rest) = crate::scan::index::split_keyword(text);
        let condition = match keyword {
            b"if" | b"elif" => Some(condition_text(rest)),
            b"ifdef" | b"elifdef" => {
                Some(format!("defined({})", first_name(rest).unwrap_or_default()))
            }
            b"ifndef" | b"elifndef" => Some(format!(
                "!defined({})",
                first_name(rest).unwrap_or_default()
            )),
            _ => None,
        };
        // A branch that only stops the build (`#ifdef Py_LIMITED_API` then
        // `#error`) is no build's: the file is not written for it.
        if let Some(candidate) = candidate.take() {
            if keyword != b"error" {
                found.tested = Some(candidate);
            }
        }
        if let Some(c) = condition.as_ref().filter(|_| found.tested.is_none()) {
            if c.split(|b: char| !(b.is_ascii_alphanumeric() || b == '_'))
                .any(|w| w == name)
            {
                candidate = Some(at);
            }
        }
        let truth = condition.map(|c| evaluate(c.as_bytes(), &lookup));
        let close = |chain: &mut Chain, inside: &mut usize, found: &mut Needing| {
            if let Some((start, directive)) = chain.open.take() {
                found.branches.push((start, at, directive));
                *inside -= 1;
            }
        };
        match keyword {
            b"if" | b"ifdef" | b"ifndef" => {
                let needs = truth == Some(Truth::False);
                let open = (needs && inside == 0).then_some((after, at));
                inside += usize::from(open.is_some());
                chains.push(Chain {
                    taken: truth == Some(Truth::True),
                    open,
                });
            }
            b"elif" | b"elifdef" | b"elifndef" | b"else" => {
                if let Some(chain) = chains.last_mut() {
                    close(chain, &mut inside, &mut found);
                    let needs = chain.taken || truth == Some(Truth::False);
                    chain.taken |= truth == Some(Truth::True);
                    chain.open = (needs && inside == 0).then_some((after, at));
                    inside += usize::from(chain.open.is_some());
                }
            }
            b"endif" => {
                if let Some(mut chain) = chains.pop() {
                    close(&mut chain, &mut inside, &mut found);
                }
            }
            _ => {}
        }
    }
    found.tested = found.tested.or(candidate);
    found
}

/// `!cond`, written as a reader would: `!defined(X)` for `defined(X)`,
/// `defined(X)` for `!defined(X)`, `!(cond)` otherwise.
fn negate(condition: &str) -> String {
    let simple =
        |c: &str| c.starts_with("defined(") && c.ends_with(')') && c.matches('(').count() == 1;
    if simple(condition) {
        format!("!{condition}")
    } else if let Some(inner) = condition.strip_prefix('!').filter(|c| simple(c)) {
        inner.to_owned()
    } else {
        format!("!({condition})")
    }
}

/// A directive's condition as text: comments and line continuations
/// dropped, blanks collapsed to one space.
fn condition_text(rest: &[u8]) -> String {
    let mut out = String::new();
    let mut lexer = crate::scan::lexer::Lexer::at(rest, 0);
    let base = rest.as_ptr() as usize;
    let mut previous_end = 0;
    while let Some(token) = lexer.next_token(false) {
        use crate::scan::lexer::Token;
        let text = match token {
            Token::Ident(t) | Token::Number(t) | Token::Punct(t) | Token::Directive(t) => t,
        };
        let start = text.as_ptr() as usize - base;
        // Literals are skipped by the lexer: keep them from the text.
        let between = &rest[previous_end..start];
        let literal = String::from_utf8_lossy(between);
        let literal = literal.trim();
        let literal = if literal.starts_with(['"', '\'']) {
            literal
        } else {
            ""
        };
        if !out.is_empty() && (start > previous_end || !literal.is_empty()) {
            out.push(' ');
        }
        if !literal.is_empty() {
            out.push_str(literal);
            out.push(' ');
        }
        out.push_str(&String::from_utf8_lossy(text));
        previous_end = start + text.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval_with(expr: &str, macros: &[(&str, Option<&str>)]) -> Truth {
        let lookup = |name: &str| match macros.iter().find(|(n, _)| *n == name) {
            Some((_, Some(v))) => Macro::Defined((*v).to_owned()),
            Some((_, None)) => Macro::Undefined,
            None => Macro::Unknown,
        };
        evaluate(expr.as_bytes(), &lookup)
    }

    /// The limited API's branches: every spelling that only a build
    /// defining it compiles, outermost only; the rest is compiled without
    /// it too.
    #[test]
    fn needing_finds_the_branches_only_a_build_defining_the_name_compiles() {
        let text = "#include <Python.h>\n\
                    #ifdef Py_LIMITED_API\n\
                    a\n\
                    #ifdef X\n\
                    b\n\
                    #endif\n\
                    #else\n\
                    c\n\
                    #endif\n\
                    #if defined(Py_LIMITED_API) && Py_LIMITED_API+0 >= 0x030a0000\n\
                    d\n\
                    #elif defined(Y)\n\
                    e\n\
                    #endif\n\
                    #ifndef Py_LIMITED_API\n\
                    f\n\
                    #else\n\
                    g\n\
                    #endif\n\
                    #if Py_LIMITED_API+0 >= 0x03080000 || defined(Z)\n\
                    h\n\
                    #endif\n\
                    #if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 < 0x030c0000\n\
                    i\n\
                    #endif\n";
        let found = needing(text.as_bytes(), "Py_LIMITED_API");
        let needs = |letter: &str| {
            let at = text.find(&format!("\n{letter}\n")).unwrap() + 1;
            found
                .branch_at(at)
                .map(|d| text[d..].lines().next().unwrap())
        };
        assert_eq!(needs("a"), Some("#ifdef Py_LIMITED_API"));
        assert_eq!(needs("b"), Some("#ifdef Py_LIMITED_API"));
        assert_eq!(
            needs("d"),
            Some("#if defined(Py_LIMITED_API) && Py_LIMITED_API+0 >= 0x030a0000")
        );
        assert_eq!(needs("g"), Some("#else"));
        for letter in ["c", "e", "f", "h", "i"] {
            assert_eq!(needs(letter), None, "{letter}");
        }
        assert_eq!(found.branches.len(), 3);
        assert_eq!(found.tested, text.find("#ifdef Py_LIMITED_API"));
        assert_eq!(
            needing(b"#ifdef X\na\n#endif\n", "Py_LIMITED_API"),
            Needing::default()
        );
        // Objects/object.c refuses it: no build of the file defines it.
        let refused = needing(
            b"#ifdef Py_LIMITED_API\n#  error \"no\"\n#endif\n",
            "Py_LIMITED_API",
        );
        assert_eq!(refused.tested, None);
    }

    fn eval(expr: &str) -> Truth {
        eval_with(expr, &[])
    }

    use Truth::{False as F, True as T, Unknown as U};

    #[test]
    fn precedence_and_associativity() {
        assert_eq!(eval("1 + 2 * 3 == 7"), T);
        assert_eq!(eval("(1 + 2) * 3 == 9"), T);
        assert_eq!(eval("1 || 0 && 0"), T, "&& binds tighter than ||");
        assert_eq!(eval("10 - 4 - 3 == 3"), T, "left-associative");
        assert_eq!(eval("1 << 2 + 1 == 8"), T, "+ binds tighter than <<");
        assert_eq!(eval("(1 | 2 ^ 3 & 1) == 3"), T);
        assert_eq!(eval("1 == 1 > 0"), T, "> binds tighter than ==");
        assert_eq!(eval("0 ? 1 : 2 ? 3 : 0"), T, "?: is right-associative");
    }

    #[test]
    fn conditional_has_the_common_type_of_its_operands() {
        // C: the result of ?: has the type of the usual arithmetic
        // conversions of both operands, whichever is chosen.
        assert_eq!(eval("(1 ? -1 : 0u) > 0"), T);
        assert_eq!(eval("(0 ? 0u : -1) > 0"), T);
        assert_eq!(eval("(1 ? -1 : 0) > 0"), F);
        assert_eq!(eval("FOO ? 2 : 2u"), T);
        assert_eq!(eval("(1 ? -1 : FOO) > 0"), U, "FOO may be unsigned");
        assert_eq!(eval("(1 ? 1u : FOO) > 0"), T);
        assert_eq!(eval("!0 && ~0 == -1 && -(-3) == 3"), T);
        assert_eq!(eval("(0, 1)"), T);
        assert_eq!(eval("7 / 2 == 3 && 7 % 2 == 1 && -7 / 2 == -3"), T);
    }

    #[test]
    fn literals_suffixes_and_radixes() {
        assert_eq!(eval("0x030C0000 == 51118080"), T);
        assert_eq!(eval("0X1fUL == 31"), T);
        assert_eq!(eval("010 == 8 && 0 == 0 && 0b101 == 5"), T);
        assert_eq!(eval("10u == 10 && 10LL == 10 && 10ull == 10"), T);
        assert_eq!(eval("'A' == 65 && '\\n' == 10"), T);
        assert_eq!(eval("-1 < 0"), T);
        assert_eq!(eval("-1 < 0u"), F, "unsigned comparison");
        assert_eq!(eval("0xFFFFFFFFFFFFFFFF > 0"), T, "too large: unsigned");
        assert_eq!(eval("1.5 > 1"), U, "a floating constant");
        assert_eq!(eval("1uu"), U, "a bad suffix");
        assert_eq!(eval("08"), U, "not octal");
        assert_eq!(eval("1'000"), U, "digit separators");
    }

    #[test]
    fn unknowns_keep_both_branches_unless_the_known_side_decides() {
        assert_eq!(eval("FOO"), U);
        assert_eq!(eval("FOO > 3"), U);
        assert_eq!(eval("0 && FOO"), F);
        assert_eq!(eval("FOO && 0"), F);
        assert_eq!(eval("1 || FOO"), T);
        assert_eq!(eval("FOO || 1"), T);
        assert_eq!(eval("FOO || 0"), U);
        assert_eq!(eval("FOO ? 2 : 2"), T);
        assert_eq!(eval("FOO ? 1 : 0"), U);
        assert_eq!(eval("FOO(1, 2) || 0"), U, "a function-like call");
        assert_eq!(eval("__has_include(<x.h>)"), U);
        assert_eq!(eval("defined(FOO) && 0"), F);
        assert_eq!(eval("\"s\""), U, "a string literal");
        assert_eq!(eval(""), U);
        assert_eq!(eval("1 +"), U);
        assert_eq!(eval("(1"), U);
        assert_eq!(eval("1)"), U);
    }

    #[test]
    fn division_by_zero_shifts_and_overflow_are_unknown() {
        assert_eq!(eval("1 / 0"), U);
        assert_eq!(eval("1 % 0"), U);
        assert_eq!(eval("0 && 1 / 0"), F, "not evaluated");
        assert_eq!(eval("1 || 1 / 0"), T);
        assert_eq!(eval("1 << 64"), U);
        assert_eq!(eval("1 << -1"), U);
        assert_eq!(eval("0x7FFFFFFFFFFFFFFF + 1"), U);
        assert_eq!(eval("(-0x7FFFFFFFFFFFFFFF - 1) / -1"), U);
        assert_eq!(eval("0xFFFFFFFFFFFFFFFFu + 1 == 0"), T, "unsigned wraps");
    }

    #[test]
    fn macros_expand_defined_and_undefined_and_recursion_stops() {
        let m = [
            ("A", Some("1")),
            ("B", Some("1 + 2")),
            ("EMPTY", Some("")),
            ("SELF", Some("SELF + 1")),
            ("P", Some("Q")),
            ("Q", Some("P")),
            ("GONE", None),
            ("VERSION", Some("((3 << 24) | (12 << 16))")),
        ];
        assert_eq!(eval_with("A", &m), T);
        assert_eq!(eval_with("B * 3 == 7", &m), T, "textual: 1 + 2 * 3");
        assert_eq!(eval_with("defined A && defined(B) && !defined GONE", &m), T);
        assert_eq!(eval_with("GONE == 0", &m), T, "an undefined name is 0");
        assert_eq!(eval_with("EMPTY 1", &m), T);
        assert_eq!(eval_with("SELF", &m), U);
        assert_eq!(eval_with("P", &m), U);
        assert_eq!(eval_with("VERSION >= 0x030C0000", &m), T);
        assert_eq!(eval_with("VERSION >= 0x030D0000", &m), F);
        assert_eq!(eval_with("defined", &m), U);
        assert_eq!(eval_with("defined(A", &m), U);
    }

    #[test]
    fn deep_nesting_is_unknown_and_costs_no_stack() {
        let depth = 100_000;
        let deep = format!("{}1{}", "(".repeat(depth), ")".repeat(depth));
        assert_eq!(eval(&deep), U);
        assert_eq!(eval(&"!".repeat(depth)), U);
        assert_eq!(eval(&format!("{}1", "-".repeat(depth))), U);
        let shallow = format!("{}1{}", "(".repeat(50), ")".repeat(50));
        assert_eq!(eval(&shallow), T);
        // A chain of macros, each the next one's name.
        let chain: Vec<(String, Option<String>)> = (0..10_000)
            .map(|i| (format!("M{i}"), Some(format!("M{}", i + 1))))
            .collect();
        let lookup = |name: &str| match chain.iter().find(|(n, _)| n == name) {
            Some((_, Some(v))) => Macro::Defined(v.clone()),
            _ => Macro::Undefined,
        };
        assert_eq!(evaluate(b"M0", &lookup), U);
    }

    fn dead_text(text: &str, env: &Env) -> Vec<(String, bool)> {
        let view = walk_one(text.as_bytes(), env);
        view.dead
            .get(&0)
            .map(|ranges| {
                ranges
                    .iter()
                    .map(|r| (text[r.start..r.end].trim().to_owned(), r.build))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn env(macros: &[(&str, Option<&str>)]) -> Env {
        Env {
            command_line: macros
                .iter()
                .map(|(n, v)| ((*n).to_owned(), v.map(str::to_owned)))
                .collect(),
            ..Env::default()
        }
    }

    #[test]
    fn chains_pick_one_branch_and_unknowns_keep_both() {
        let text = "#ifdef A\na\n#elif B > 1\nb\n#else\nc\n#endif\n";
        assert_eq!(
            dead_text(text, &env(&[("A", Some("1"))])),
            [("b".to_owned(), true), ("c".to_owned(), true)]
        );
        assert_eq!(
            dead_text(text, &env(&[("A", None), ("B", Some("2"))])),
            [("a".to_owned(), true), ("c".to_owned(), true)]
        );
        // B unknown: a is dead, b and c are both kept.
        assert_eq!(
            dead_text(text, &env(&[("A", None)])),
            [("a".to_owned(), true)]
        );
        assert!(dead_text(text, &Env::default()).is_empty());
        // Constants decide without a build, and say so.
        assert_eq!(
            dead_text(
                "#if 0\nx\n#else\ny\n#endif\n#if 1\nz\n#else\nw\n#endif\n",
                &Env::default()
            ),
            [("x".to_owned(), false), ("w".to_owned(), false)]
        );
        // A nested chain inside a dead branch is part of that branch.
        assert_eq!(
            dead_text(
                "#if 0\n#if 1\nx\n#else\ny\n#endif\n#endif\nz\n",
                &Env::default()
            ),
            [("#if 1\nx\n#else\ny\n#endif".to_owned(), false)]
        );
        // A name the file itself defines is not known.
        assert!(dead_text("#define A 0\n#if A\nx\n#endif\n", &env(&[("A", Some("1"))])).is_empty());
        // An unterminated chain ends with the file; a stray #endif is ignored.
        assert_eq!(
            dead_text("#endif\n#if 0\nx\n", &Env::default()),
            [("x".to_owned(), false)]
        );
    }

    #[test]
    fn a_directive_after_a_comment_on_its_line_is_a_directive() {
        // A comment is white space before `#`: the compiler reads these
        // lines as directives. The inner chain's #else is not the outer
        // one's, so `y` is live when A is defined and B is unknown.
        let text = "#ifdef A\n/* note */ #ifdef B\nx\n#else\ny\n#endif\n#endif\nz\n";
        assert!(dead_text(text, &env(&[("A", Some("1"))])).is_empty());
        assert_eq!(
            dead_text("/* a */ /* b */\t#if 0\nx\n#endif\ny\n", &Env::default()),
            [("x".to_owned(), false)]
        );
        // `#` after code on its line is no directive.
        assert!(dead_text("int a; #if 0\nx\n", &Env::default()).is_empty());
    }

    #[test]
    fn a_lone_cr_ends_a_directive_line() {
        // An old Mac file: each lone CR ends a line, as the compiler reads
        // it, so every directive starts its line and #endif closes #if 0.
        let text = "#include \"a.h\"\r#if 0\rx\r#endif\ry\r";
        assert_eq!(dead_text(text, &Env::default()), [("x".to_owned(), false)]);
        // Blanking keeps the line breaks, lone CRs included.
        let view = walk_one(text.as_bytes(), &Env::default());
        let blanked = view.blanked(0, text.as_bytes()).unwrap();
        assert_eq!(
            blanked.iter().filter(|b| **b == b'\r').count(),
            text.matches('\r').count()
        );
    }

    #[test]
    fn definitions_of_a_header() {
        let d = definitions(
            b"#define A 1 /* one */\n#define F(x) x\n#ifdef B\n#define C 2\n#undef A\n#endif\n\
              /* #define D */\n#  include <x/pyconfig.h>\n#define E \\\n  (3)\n",
        );
        assert_eq!(
            d.top_level,
            [
                ("A".to_owned(), "1 /* one */".to_owned(), 1),
                ("E".to_owned(), "\\\n  (3)".to_owned(), 9)
            ]
        );
        assert_eq!(d.names, ["A", "F", "C", "A", "E"]);
        assert_eq!(d.includes, ["x/pyconfig.h"]);
    }

    #[test]
    fn the_rule_for_undefined_names() {
        let mut e = env(&[("Py_BUILD_CORE", None), ("FLAG", Some("2"))]);
        e.header_values
            .insert("PY_VERSION_HEX".to_owned(), "0x030B02F0".to_owned());
        // Before Python's headers are in, their values are not known.
        assert_eq!(e.lookup("PY_VERSION_HEX", false, false), Macro::Unknown);
        assert_eq!(
            e.lookup("PY_VERSION_HEX", true, false),
            Macro::Defined("0x030B02F0".to_owned())
        );
        assert_eq!(e.lookup("Py_BUILD_CORE", true, false), Macro::Undefined);
        assert_eq!(
            e.lookup("FLAG", true, true),
            Macro::Unknown,
            "the unit defines it"
        );
        // A name no one gives: unknown unless Python's headers were all read.
        assert_eq!(e.lookup("Py_LIMITED_API", true, false), Macro::Unknown);
        e.python = true;
        e.header_names = Some(HashSet::from(["Py_DEBUG".to_owned()]));
        assert_eq!(e.lookup("Py_LIMITED_API", true, false), Macro::Undefined);
        assert_eq!(
            e.lookup("Py_DEBUG", true, false),
            Macro::Unknown,
            "a header sets it"
        );
        assert_eq!(e.lookup("MS_WINDOWS", true, false), Macro::Unknown);
        e.opaque = true;
        assert_eq!(e.lookup("FLAG", true, false), Macro::Unknown);
    }

    /// Without a build, a file whose index finds no literal condition walks
    /// to nothing dead: checked on odd spellings, and on every C file of
    /// testdata/ (a file it flags may or may not have dead code).
    #[test]
    fn a_file_without_a_literal_condition_has_nothing_dead_without_a_build() {
        let literal = |text: &[u8]| Index::of(text).literal_condition;
        let odd = [
            "#if 0\nx\n#endif\n",
            "  #  if 0\nx\n#endif\n",
            "/* c */ #if 0\nx\n#endif\n",
            "#if X || \\\n 1\nx\n#else\ny\n#endif\n",
            "#if X /* open\n */ || 1\nx\n#else\ny\n#endif\n",
            "#ifdef A\nx\n#elif 1\ny\n#else\nz\n#endif\n",
            "#if(0)\nx\n#endif\n",
            "#if 'a' == 97\nx\n#else\ny\n#endif\n",
            "#if X\r#elif 0\rx\r#endif\r",
        ];
        for text in odd {
            assert!(literal(text.as_bytes()), "{text:?}");
            assert!(!dead_text(text, &Env::default()).is_empty(), "{text:?}");
        }
        for text in [
            "#ifdef X\nx\n#endif\n#if defined(Y) && !Z\ny\n#endif\n",
            "#define A 1\n#include \"a1.h\"\nint a[2];\n#iffy 0\n",
            "#if X || \\ \r\n 1\nx\n#endif\n",
            "int a; #if 0\nx\n#endif\n",
        ] {
            assert!(!literal(text.as_bytes()), "{text:?}");
            assert!(dead_text(text, &Env::default()).is_empty(), "{text:?}");
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        let mut stack = vec![root];
        let mut checked = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "c" || e == "h") {
                    let bytes = std::fs::read(&path).unwrap();
                    if !literal(&bytes) {
                        let view = walk_one(&bytes, &Env::default());
                        assert!(view.is_empty(), "{}", path.display());
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 100, "{checked}");
    }

    #[test]
    fn enclosing_conditions_read_each_branch() {
        let text = "#ifndef GUARD_H\n#define GUARD_H\n\
                    #if PY_VERSION_HEX >= 0x030C0000 /* 3.12 */\nA\n\
                    #elif defined(X) || \\\n  Y\nB\n#else\nC\n#endif\n\
                    #ifdef Py_GIL_DISABLED\n#  ifndef Z\nD\n#  endif\n#else\nE\n#endif\nF\n#endif\n";
        let at = |word: &str| text.find(&format!("\n{word}\n")).unwrap() + 1;
        let conditions = |word: &str| enclosing_conditions(text.as_bytes(), at(word));
        assert_eq!(conditions("A"), ["PY_VERSION_HEX >= 0x030C0000"]);
        assert_eq!(
            conditions("B"),
            ["!(PY_VERSION_HEX >= 0x030C0000) && (defined(X) || Y)"]
        );
        assert_eq!(
            conditions("C"),
            ["!(PY_VERSION_HEX >= 0x030C0000) && !(defined(X) || Y)"]
        );
        assert_eq!(conditions("D"), ["defined(Py_GIL_DISABLED)", "!defined(Z)"]);
        assert_eq!(conditions("E"), ["!defined(Py_GIL_DISABLED)"]);
        assert!(
            conditions("F").is_empty(),
            "an include guard is no condition"
        );
    }

    /// The walk over a unit of one file.
    fn walk_one(bytes: &[u8], env: &Env) -> View {
        let directives = Index::directives(bytes);
        walk(0, &[vec![]], &|_| bytes, &|_| &directives, env)
    }
}
