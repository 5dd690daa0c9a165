//! The macros a translation unit has defined at a point of its reading, as
//! far as a unit's layout needs them ([`crate::scan::unit::Layout`]): to
//! tell whether a part included again reads differently from its last
//! reading (a macro it names was defined again in between: `#define
//! CACHE_NAME cache_b`), and what a name of such a part stands for in one
//! reading (`CACHE_NAME`, `CAT(get_, NAME)`): one identifier, or nothing
//! known. Only the unit's own `#define` and `#undef` lines count, in the
//! order the compiler reads them; a definition under an `#if` is not known
//! (which branch the build takes is not read here), and nothing is
//! evaluated.

use std::collections::HashMap;

use crate::scan::unit::is_word;

/// What a macro name means at a point of a unit's reading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Definition {
    /// Defined under an `#if`, or in a shape not read here (variable
    /// arguments): what it stands for is not known. Holds the directive's
    /// text, so that two such definitions still compare.
    Unknown(Vec<u8>),
    /// `#define NAME body` (`parameters` `None`) or `#define NAME(a, b)
    /// body`.
    Known {
        /// The parameters' names, for a function-like macro.
        parameters: Option<Vec<Vec<u8>>>,
        /// The body's tokens (comments and line continuations dropped).
        body: Vec<Vec<u8>>,
        /// Whether the body holds a string or character literal (which
        /// its tokens leave out): it then stands for no identifier.
        literal: bool,
    },
}

/// The unit's macros defined so far (a name absent is not defined).
#[derive(Clone, Debug, Default)]
pub struct Macros {
    defined: HashMap<Vec<u8>, Definition>,
    /// Each change in the order read: the name and what it meant before.
    log: Vec<(Vec<u8>, Option<Definition>)>,
}

/// How deep macros may nest in one expansion before it is not known.
const MAX_LEVELS: usize = 16;

/// How many tokens one expansion may hold before it is not known; also
/// how many tokens of an invocation a caller need collect
/// ([`Macros::identifier`] knows nothing of a longer one).
pub const MAX_TOKENS: usize = 256;

/// How many tokens one [`Macros::identifier`] may visit, over all its
/// levels, before the expansion is not known: the levels and the tokens of
/// one expansion are bounded, but macros whose bodies expand to nothing
/// (`#define M1 M0 M0 ... M0`, `#define M2 M1 M1 ... M1`, ...) would
/// otherwise cost the product of their lengths.
const MAX_STEPS: usize = 16_384;

impl Macros {
    /// Reads a `#define` or `#undef` directive, `rest` being its text after
    /// the keyword; `conditional` says it lies under an `#if` (then the
    /// name's definition is [`Definition::Unknown`]). Returns the name.
    pub fn define(&mut self, rest: &[u8], conditional: bool) -> Option<Vec<u8>> {
        let text = rest.trim_ascii_start();
        let end = text.iter().position(|&b| !is_word(b)).unwrap_or(text.len());
        if end == 0 || text[0].is_ascii_digit() {
            return None;
        }
        let name = text[..end].to_vec();
        let definition = if conditional {
            Definition::Unknown(rest.to_vec())
        } else {
            read_definition(&text[end..]).unwrap_or_else(|| Definition::Unknown(rest.to_vec()))
        };
        self.set(name.clone(), Some(definition));
        Some(name)
    }

    fn set(&mut self, name: Vec<u8>, definition: Option<Definition>) {
        let before = match definition {
            Some(d) => self.defined.insert(name.clone(), d),
            None => self.defined.remove(&name),
        };
        self.log.push((name, before));
    }

    /// A mark of this point of the reading, for [`Macros::changed_since`].
    pub fn mark(&self) -> usize {
        self.log.len()
    }

    /// The names whose meaning now differs from their meaning at `mark`.
    pub fn changed_since(&self, mark: usize) -> Vec<&[u8]> {
        let mut names: Vec<&[u8]> = Vec::new();
        let mut seen: std::collections::HashSet<&[u8]> = std::collections::HashSet::new();
        for (name, before) in self.log.get(mark..).unwrap_or_default() {
            // What it meant at `mark`: before its first change since.
            if seen.insert(name) && before.as_ref() != self.defined.get(name) {
                names.push(name);
            }
        }
        names
    }

    /// Reads an `#undef` directive (`rest`: its text after the keyword);
    /// under an `#if` the name is not known.
    pub fn undefine(&mut self, rest: &[u8], conditional: bool) {
        let text = rest.trim_ascii_start();
        let end = text.iter().position(|&b| !is_word(b)).unwrap_or(text.len());
        if end == 0 {
            return;
        }
        let name = text[..end].to_vec();
        let definition = conditional.then(|| Definition::Unknown(rest.to_vec()));
        self.set(name, definition);
    }

    /// What `name` means now (`None`: not defined).
    pub fn get(&self, name: &[u8]) -> Option<&Definition> {
        self.defined.get(name)
    }

    /// The one identifier that `tokens` (a name, or a function-like
    /// macro's name with its parenthesised arguments) expand to, as C's
    /// preprocessor does it (arguments expanded unless next to `##`,
    /// `##` pasting, the result rescanned, a macro not expanded inside its
    /// own expansion); `None` when the result is anything else, or a macro
    /// it reaches is not known, or it nests or grows past the bounds.
    pub fn identifier(&self, tokens: &[Vec<u8>]) -> Option<Vec<u8>> {
        let mut steps = MAX_STEPS;
        let out = self.expand(tokens, &mut Vec::new(), 0, &mut steps)?;
        match out.as_slice() {
            [one] if is_identifier(one) => Some(one.clone()),
            _ => None,
        }
    }

    fn expand(
        &self,
        tokens: &[Vec<u8>],
        hidden: &mut Vec<Vec<u8>>,
        level: usize,
        steps: &mut usize,
    ) -> Option<Vec<Vec<u8>>> {
        if level > MAX_LEVELS || tokens.len() > MAX_TOKENS {
            return None;
        }
        *steps = steps.checked_sub(tokens.len().max(1))?;
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let token = &tokens[i];
            let definition = is_identifier(token)
                .then(|| self.defined.get(token))
                .flatten()
                .filter(|_| !hidden.contains(token));
            let Some(definition) = definition else {
                out.push(token.clone());
                i += 1;
                continue;
            };
            let Definition::Known {
                parameters,
                body,
                literal,
            } = definition
            else {
                return None;
            };
            let (replaced, next) = match parameters {
                None => (body.clone(), i + 1),
                Some(parameters) => {
                    if tokens.get(i + 1).map(Vec::as_slice) != Some(b"(") {
                        out.push(token.clone());
                        i += 1;
                        continue;
                    }
                    let (arguments, next) = split_arguments(tokens, i + 1)?;
                    let arguments = match (parameters.len(), arguments.len()) {
                        (0, 1) if arguments[0].is_empty() => Vec::new(),
                        (p, a) if p == a => arguments,
                        _ => return None,
                    };
                    let expanded = arguments
                        .iter()
                        .map(|a| self.expand(a, hidden, level + 1, steps))
                        .collect::<Option<Vec<_>>>()?;
                    (substitute(parameters, body, &arguments, &expanded)?, next)
                }
            };
            if *literal {
                return None;
            }
            hidden.push(token.clone());
            let rescanned = self.expand(&replaced, hidden, level + 1, steps);
            hidden.pop();
            out.extend(rescanned?);
            if out.len() > MAX_TOKENS {
                return None;
            }
            i = next;
        }
        Some(out)
    }
}

/// The definition a `#define NAME` gives, from what follows the name.
fn read_definition(after_name: &[u8]) -> Option<Definition> {
    let (parameters, body) = match after_name.strip_prefix(b"(") {
        Some(rest) => {
            let close = rest.iter().position(|&b| b == b')')?;
            let parameters: Vec<Vec<u8>> = rest[..close]
                .split(|&b| b == b',')
                .map(|p| p.trim_ascii().to_vec())
                .filter(|p| !p.is_empty())
                .collect();
            if parameters.iter().any(|p| !is_identifier(p)) {
                return None;
            }
            (Some(parameters), &rest[close + 1..])
        }
        None => (None, after_name),
    };
    let (body, literal) = tokens(body);
    Some(Definition::Known {
        parameters,
        body,
        literal,
    })
}

/// The tokens of a macro body or of code: identifiers and numbers,
/// `##`, and each other punctuator a byte of its own; blanks, comments
/// and line continuations skipped; with whether a string or character
/// literal was met (it is left out).
pub fn tokens(text: &[u8]) -> (Vec<Vec<u8>>, bool) {
    let mut out = Vec::new();
    let mut literal = false;
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        if b.is_ascii_whitespace() || b == b'\\' {
            i += 1;
        } else if text[i..].starts_with(b"/*") {
            i = memchr::memmem::find(&text[i + 2..], b"*/").map_or(text.len(), |e| i + 2 + e + 2);
        } else if text[i..].starts_with(b"//") {
            i = memchr::memchr(b'\n', &text[i..]).map_or(text.len(), |e| i + e);
        } else if b == b'"' || b == b'\'' {
            literal = true;
            let mut j = i + 1;
            while j < text.len() && text[j] != b {
                j += if text[j] == b'\\' { 2 } else { 1 };
            }
            i = j + 1;
        } else if is_word(b) {
            let end = text[i..]
                .iter()
                .position(|&b| !is_word(b))
                .map_or(text.len(), |e| i + e);
            out.push(text[i..end].to_vec());
            i = end;
        } else if text[i..].starts_with(b"##") {
            out.push(b"##".to_vec());
            i += 2;
        } else {
            out.push(vec![b]);
            i += 1;
        }
    }
    (out, literal)
}

/// The arguments of the invocation whose `(` is `tokens[open]`, split at
/// the commas outside inner parentheses, and the index past its `)`
/// (`None` when it does not close). Any token type that reads as bytes:
/// the one splitter of this module and of the call graph's expander.
pub(crate) fn split_arguments<T: AsRef<[u8]> + Clone>(
    tokens: &[T],
    open: usize,
) -> Option<(Vec<Vec<T>>, usize)> {
    let mut depth = 0usize;
    let mut out = vec![Vec::new()];
    for (at, token) in tokens.iter().enumerate().skip(open) {
        match token.as_ref() {
            b"(" => {
                depth += 1;
                if depth == 1 {
                    continue;
                }
            }
            b")" => {
                depth -= 1;
                if depth == 0 {
                    return Some((out, at + 1));
                }
            }
            b"," if depth == 1 => {
                out.push(Vec::new());
                continue;
            }
            _ => {}
        }
        out.last_mut()?.push(token.clone());
    }
    None
}

/// A function-like macro's body with its parameters replaced: by the
/// argument as written next to `##`, else by the argument expanded; then
/// each `##` pastes its neighbours. `None` for `#` (a string) or a paste
/// that makes no one token.
fn substitute(
    parameters: &[Vec<u8>],
    body: &[Vec<u8>],
    written: &[Vec<Vec<u8>>],
    expanded: &[Vec<Vec<u8>>],
) -> Option<Vec<Vec<u8>>> {
    let paste: &[u8] = b"##";
    // Each piece: a token, or the paste operator (`None`).
    let mut pieces: Vec<Option<Vec<Vec<u8>>>> = Vec::new();
    for (k, token) in body.iter().enumerate() {
        if token == paste {
            pieces.push(None);
            continue;
        }
        if token == b"#" {
            return None;
        }
        let by_paste =
            (k > 0 && body[k - 1] == paste) || body.get(k + 1).is_some_and(|t| t == paste);
        let argument = parameters.iter().position(|p| p == token);
        pieces.push(Some(match argument {
            Some(a) if by_paste => written[a].clone(),
            Some(a) => expanded[a].clone(),
            None => vec![token.clone()],
        }));
    }
    let mut out: Vec<Vec<u8>> = Vec::new();
    let mut pasting = false;
    // Whether the last piece was an empty argument (a paste onto it keeps
    // the right operand as it is).
    let mut empty = false;
    for piece in pieces {
        let Some(mut tokens) = piece else {
            pasting = true;
            continue;
        };
        if pasting && !tokens.is_empty() && !empty {
            let first = tokens.remove(0);
            match out.pop() {
                Some(mut left) => {
                    left.extend_from_slice(&first);
                    if !left.iter().all(|&b| is_word(b)) {
                        return None;
                    }
                    out.push(left);
                }
                None => out.push(first),
            }
        }
        pasting = false;
        empty = tokens.is_empty();
        out.extend(tokens);
    }
    Some(out)
}

/// Whether `token` is an identifier (a word not starting with a digit).
pub fn is_identifier(token: &[u8]) -> bool {
    token.first().is_some_and(|b| !b.is_ascii_digit()) && token.iter().all(|&b| is_word(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn macros(lines: &[&str]) -> Macros {
        let mut m = Macros::default();
        for line in lines {
            m.define(line.as_bytes(), false);
        }
        m
    }

    fn identifier(m: &Macros, code: &str) -> Option<String> {
        let (tokens, _) = tokens(code.as_bytes());
        m.identifier(&tokens).map(|i| String::from_utf8(i).unwrap())
    }

    #[test]
    fn names_expand_to_one_identifier_or_nothing() {
        let m = macros(&[
            " NAME b",
            " CACHE_NAME cache_a /* the first */",
            " CAT2(a, b) a##b",
            " CAT(a, b) CAT2(a, b)",
            " TEXT \"b\"",
            " TWO x y",
            " STR(x) #x",
            " SELF SELF",
        ]);
        assert_eq!(identifier(&m, "CACHE_NAME").as_deref(), Some("cache_a"));
        assert_eq!(identifier(&m, "CAT(get_, NAME)").as_deref(), Some("get_b"));
        assert_eq!(
            identifier(&m, "CAT2(get_, NAME)").as_deref(),
            Some("get_NAME")
        );
        assert_eq!(
            identifier(&m, "CAT(NAME, _text)").as_deref(),
            Some("b_text")
        );
        assert_eq!(identifier(&m, "TEXT"), None);
        assert_eq!(identifier(&m, "TWO"), None);
        assert_eq!(identifier(&m, "STR(a)"), None);
        assert_eq!(identifier(&m, "SELF").as_deref(), Some("SELF"));
        assert_eq!(identifier(&m, "CAT(get_, NAME"), None);
        let mut m = m;
        m.define(b" NAME c", true);
        assert_eq!(
            identifier(&m, "CAT(get_, NAME)"),
            None,
            "under an #if: unknown"
        );
        m.undefine(b" NAME", false);
        assert_eq!(
            identifier(&m, "CAT(get_, NAME)").as_deref(),
            Some("get_NAME")
        );
    }
}
