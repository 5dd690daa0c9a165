//! What a macro invocation of the unit becomes, as C's preprocessor
//! expands it (C11 6.10.3), once for each combination of the definitions
//! its macros have in `#if` branches that some Python 3 build compiles: a
//! `FAIL()` defined under `#ifdef Py_DEBUG` and under `#else` is two
//! expansions, and the path it ends is read from each. The tokens are
//! those of [`callgraph::pp_tokens`] (comments and line continuations
//! dropped), `#` and `##` done as [`spelled_names`] does them, and the
//! result rescanned for the unit's macros, none inside its own expansion
//! (6.10.3.4p2).

use crate::analysis::callgraph;
use crate::fix::ownership::{spelled_names, Unit};

/// How many expansions one invocation may have (each combination of the
/// definitions of the macros it reaches is one).
const MAX_EXPANSIONS: usize = 16;

/// How many macros deep an expansion may go.
const MAX_LEVELS: usize = 16;

/// How many tokens one expansion may hold.
const MAX_TOKENS: usize = 4_096;

impl<'a, 't> Unit<'a, 't> {
    /// The token lists that the unit's macro `name` becomes, invoked with
    /// `arguments` (each argument's tokens; `None` for a name used alone),
    /// one list for each combination of the live definitions (see
    /// [`Unit::new`]) of it and of the macros its expansion names.
    ///
    /// # Errors
    ///
    /// Why the expansion cannot be read: `name` is no macro of the unit, a
    /// definition takes other arguments than given or variable ones, or the
    /// expansion passes [`MAX_EXPANSIONS`], [`MAX_LEVELS`] or
    /// [`MAX_TOKENS`].
    pub(super) fn expansions(
        &self,
        name: &str,
        arguments: Option<&[Vec<String>]>,
    ) -> Result<Vec<Vec<String>>, String> {
        let mut hidden = Vec::new();
        self.expand_macro(name, arguments, &mut hidden, 0)
    }

    /// Whether a definition of the macro `name`, or of a macro of the unit
    /// its body names (two levels), names `return` or `goto`: a macro that
    /// may leave the function when its expansion cannot be read.
    pub(super) fn may_leave(&self, name: &str) -> bool {
        self.body_names(name, 2, |word| word == "return" || word == "goto")
    }

    /// Whether a definition of the macro `name`, or of a macro of the unit
    /// its body names (`levels` deep), spells a token that `wanted`
    /// accepts.
    pub(super) fn body_names(
        &self,
        name: &str,
        levels: usize,
        wanted: impl Fn(&str) -> bool,
    ) -> bool {
        let mut pending = vec![(name.to_owned(), 0)];
        let mut seen: Vec<String> = Vec::new();
        while let Some((name, level)) = pending.pop() {
            let Some(m) = self.macros.get(&name) else {
                continue;
            };
            if seen.contains(&name) {
                continue;
            }
            seen.push(name);
            for (_, body) in &m.alternatives {
                for word in callgraph::pp_tokens(body) {
                    if wanted(&word) {
                        return true;
                    }
                    if level < levels && callgraph::is_identifier(&word) {
                        pending.push((word, level + 1));
                    }
                }
            }
        }
        false
    }

    /// The parse of `text`, a function made of a macro's expansion, with
    /// the unit's parser (lent for the parse only: reading the expansion
    /// may reach another macro's).
    pub(super) fn parse_expansion(&self, text: &str) -> Option<tree_sitter::Tree> {
        let mut parser = self.parser.borrow_mut();
        let parser = parser.get_or_insert_with(crate::analysis::parse::new_parser);
        crate::analysis::parse::parse(parser, text.as_bytes()).ok()
    }

    fn expand_macro(
        &self,
        name: &str,
        arguments: Option<&[Vec<String>]>,
        hidden: &mut Vec<String>,
        level: usize,
    ) -> Result<Vec<Vec<String>>, String> {
        if level > MAX_LEVELS {
            return Err(format!(
                "its expansion nests more than {MAX_LEVELS} macros deep"
            ));
        }
        let Some(m) = self.macros.get(name) else {
            return Err(format!("`{name}` is no macro of the unit"));
        };
        if m.definitions > super::python3::MAX_DEFINITIONS {
            return Err(format!("`{name}` is defined more than once"));
        }
        let mut out = Vec::new();
        for (parameters, body) in &m.alternatives {
            let tokens = match (parameters, arguments) {
                (None, None) => callgraph::pp_tokens(body),
                (Some(parameters), Some(arguments)) => {
                    substituted(name, parameters, body, arguments)?
                }
                (Some(_), None) => return Err(format!("`{name}` is used without its arguments")),
                (None, Some(_)) => {
                    return Err(format!(
                        "`{name}` is defined both with and without parameters"
                    ))
                }
            };
            hidden.push(name.to_owned());
            let rescanned = self.expand_tokens(&tokens, hidden, level + 1);
            hidden.pop();
            for expansion in rescanned? {
                if !out.contains(&expansion) {
                    out.push(expansion);
                }
            }
            if out.len() > MAX_EXPANSIONS {
                return Err(format!(
                    "`{name}` has more than {MAX_EXPANSIONS} expansions"
                ));
            }
        }
        Ok(out)
    }

    /// `tokens` with each macro of the unit (not in `hidden`) expanded.
    fn expand_tokens(
        &self,
        tokens: &[String],
        hidden: &mut Vec<String>,
        level: usize,
    ) -> Result<Vec<Vec<String>>, String> {
        let mut out: Vec<Vec<String>> = vec![Vec::new()];
        let mut i = 0;
        while i < tokens.len() {
            let token = &tokens[i];
            i += 1;
            let function_like = match self.macros.get(token.as_str()) {
                Some(m) if !hidden.contains(token) => m.parameters.is_some(),
                _ => {
                    out.iter_mut().for_each(|o| o.push(token.clone()));
                    continue;
                }
            };
            let arguments = if function_like {
                if tokens.get(i).map(String::as_str) != Some("(") {
                    // A function-like macro's name alone is no invocation.
                    out.iter_mut().for_each(|o| o.push(token.clone()));
                    continue;
                }
                let Some((arguments, next)) = arguments_at(tokens, i) else {
                    return Err(format!("the arguments of `{token}` are not closed"));
                };
                i = next;
                Some(arguments)
            } else {
                None
            };
            let pieces = self.expand_macro(token, arguments.as_deref(), hidden, level)?;
            if out.len() * pieces.len() > MAX_EXPANSIONS {
                return Err(format!(
                    "`{token}` has more than {MAX_EXPANSIONS} expansions"
                ));
            }
            out = out
                .iter()
                .flat_map(|o| {
                    pieces.iter().map(move |p| {
                        let mut joined = o.clone();
                        joined.extend(p.iter().cloned());
                        joined
                    })
                })
                .collect();
            if out.iter().any(|o| o.len() > MAX_TOKENS) {
                return Err(format!(
                    "`{token}` expands to more than {MAX_TOKENS} tokens"
                ));
            }
        }
        Ok(out)
    }
}

/// A function-like macro's body with its parameters replaced by the
/// arguments' tokens (`#p` and `a ## p` by their spelling).
fn substituted(
    name: &str,
    parameters: &[String],
    body: &str,
    arguments: &[Vec<String>],
) -> Result<Vec<String>, String> {
    // `...` last: the arguments from there on, commas and all, are
    // `__VA_ARGS__` (6.10.3.1p2).
    let variadic = parameters.last().is_some_and(|p| p == "...");
    let (parameters, arguments) = if variadic {
        let fixed = parameters.len() - 1;
        if arguments.len() < fixed {
            return Err(format!("`{name}` is given fewer arguments than it takes"));
        }
        let mut rest: Vec<String> = Vec::new();
        for (i, argument) in arguments[fixed..].iter().enumerate() {
            if i > 0 {
                rest.push(",".to_owned());
            }
            rest.extend(argument.iter().cloned());
        }
        let mut parameters = parameters[..fixed].to_vec();
        parameters.push("__VA_ARGS__".to_owned());
        let mut arguments = arguments[..fixed].to_vec();
        arguments.push(rest);
        (parameters, arguments)
    } else if body.contains("__VA_ARGS__") || parameters.iter().any(|p| p == "...") {
        return Err(format!(
            "`{name}` takes variable arguments it does not name"
        ));
    } else {
        (parameters.to_vec(), arguments.to_vec())
    };
    let (parameters, arguments) = (&parameters[..], &arguments[..]);
    let empty = arguments.len() == 1 && arguments[0].is_empty();
    if arguments.len() != parameters.len() && !(parameters.is_empty() && empty) {
        return Err(format!(
            "`{name}` is given {} arguments and takes {}",
            arguments.len(),
            parameters.len()
        ));
    }
    let body = if body.contains('#') {
        let spelled: Vec<String> = arguments.iter().map(|a| a.join(" ")).collect();
        let spelled: Vec<&str> = spelled.iter().map(String::as_str).collect();
        spelled_names(body, parameters, &spelled)
            .ok_or_else(|| format!("`{name}` stringizes what is no parameter"))?
    } else {
        body.to_owned()
    };
    let mut out = Vec::new();
    for token in callgraph::pp_tokens(&body) {
        match parameters.iter().position(|p| *p == token) {
            Some(at) => out.extend(arguments.get(at).into_iter().flatten().cloned()),
            None => out.push(token),
        }
    }
    Ok(out)
}

/// The arguments of the invocation whose `(` is `tokens[open]`
/// ([`callgraph::split_arguments`]); `None` when no `(` stands there or it
/// is not closed.
pub(super) fn arguments_at(tokens: &[String], open: usize) -> Option<(Vec<Vec<String>>, usize)> {
    if tokens.get(open).map(String::as_str) != Some("(") {
        return None;
    }
    callgraph::split_arguments(tokens, open)
}

/// What a statement's tokens do that leaves the function: each `return`
/// (its value's tokens) or `goto` (its label) in text order, and whether
/// the last of them is reached whatever happens before (not governed by
/// an `if`, `else`, `switch` or loop, the `do { … } while (0)` wrapper
/// aside).
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Leaving {
    /// Each `return` (`Ok`, the value's tokens) or `goto` (`Err`, the
    /// label), up to and with the first unconditional one.
    pub(super) exits: Vec<Result<Vec<String>, String>>,
    /// Whether the last of `exits` leaves unconditionally.
    pub(super) always: bool,
}

/// Reads the leaving statements of an expansion's tokens (see
/// [`Leaving`]). A token is governed when it stands in the statement after
/// `if (…)`, `else`, `switch (…)`, `for (…)` or `while (…)` (a block, or
/// up to its `;`); `while (0)` after a `do` block runs the block once.
/// `None` when a condition's parentheses are not closed.
pub(super) fn leaving(tokens: &[String]) -> Option<Leaving> {
    // Where each governed statement ends: a brace depth and whether it is
    // a block (ends at its `}`) or a simple statement (at its `;`).
    let mut governed: Vec<(usize, bool)> = Vec::new();
    let mut depth = 0usize;
    let mut out = Leaving::default();
    let mut i = 0;
    // After `if (…)` and the like: the next token opens the governed
    // statement.
    let mut opens = false;
    while i < tokens.len() {
        let token = tokens[i].as_str();
        if opens {
            opens = false;
            governed.push((depth, token == "{"));
        }
        match token {
            "if" | "switch" | "for" | "while" => {
                if token == "while" && is_do_while_0_end(tokens, i) {
                    i += 4;
                    continue;
                }
                // Past the parenthesised condition.
                match arguments_at(tokens, i + 1) {
                    Some((_, next)) => {
                        i = next;
                        opens = true;
                        continue;
                    }
                    _ => return None,
                }
            }
            "else" => opens = true,
            "do" if !is_do_while_0_start(tokens, i) => opens = true,
            "{" => depth += 1,
            "}" => {
                depth = depth.saturating_sub(1);
                while governed
                    .last()
                    .is_some_and(|&(d, block)| block && d == depth)
                {
                    governed.pop();
                }
            }
            ";" => {
                while governed
                    .last()
                    .is_some_and(|&(d, block)| !block && d == depth)
                {
                    governed.pop();
                }
            }
            "return" | "goto" => {
                let mut end = i + 1;
                let mut parens = 0usize;
                while end < tokens.len() {
                    match tokens[end].as_str() {
                        "(" => parens += 1,
                        ")" => parens = parens.saturating_sub(1),
                        ";" if parens == 0 => break,
                        "}" if parens == 0 => break,
                        _ => {}
                    }
                    end += 1;
                }
                let rest = tokens[i + 1..end].to_vec();
                out.exits.push(if token == "return" {
                    Ok(rest)
                } else {
                    Err(rest.first().cloned().unwrap_or_default())
                });
                if governed.is_empty() {
                    out.always = true;
                    return Some(out);
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    Some(out)
}

/// Whether `tokens[i]` is the `do` of a `do { … } while (0)` whose
/// `while (0)` ends the tokens (the statement-like macro's wrapper).
fn is_do_while_0_start(tokens: &[String], i: usize) -> bool {
    let n = tokens.len();
    tokens.get(i + 1).is_some_and(|t| t == "{")
        && n >= i + 6
        && is_do_while_0_end(tokens, n - 4 - usize::from(tokens[n - 1] == ";"))
}

/// Whether `tokens[i..]` is `while ( 0 )` right after a `}`.
fn is_do_while_0_end(tokens: &[String], i: usize) -> bool {
    i > 0
        && tokens[i - 1] == "}"
        && tokens.get(i).is_some_and(|t| t == "while")
        && tokens.get(i + 1).is_some_and(|t| t == "(")
        && tokens.get(i + 2).is_some_and(|t| t == "0")
        && tokens.get(i + 3).is_some_and(|t| t == ")")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        callgraph::pp_tokens(text)
    }

    fn returns(text: &str) -> (Vec<String>, bool) {
        let l = leaving(&tokens(text)).expect("closed conditions");
        let shown = l
            .exits
            .iter()
            .map(|e| match e {
                Ok(v) => format!("return {}", v.join(" ")),
                Err(label) => format!("goto {label}"),
            })
            .collect();
        (shown, l.always)
    }

    #[test]
    fn a_leaving_statement_is_read_with_what_governs_it() {
        assert_eq!(returns("goto exit"), (vec!["goto exit".into()], true));
        assert_eq!(
            returns("do { PyErr_NoMemory(); return NULL; } while (0)"),
            (vec!["return NULL".into()], true)
        );
        assert_eq!(
            returns("return PyErr_Format(a, b)"),
            (vec!["return PyErr_Format ( a , b )".into()], true)
        );
        assert_eq!(
            returns("if (c) return NULL"),
            (vec!["return NULL".into()], false)
        );
        assert_eq!(
            returns("while (x) goto again"),
            (vec!["goto again".into()], false)
        );
        assert_eq!(returns("c ? 1 : 0"), (vec![], false));
        assert_eq!(returns("Py_DECREF(x)"), (vec![], false));
        // A logging `if` before the return governs only its own statement.
        assert_eq!(
            returns("do { if (debug) { log(1); } if (v) puts(\"x\"); return -1; } while (0)"),
            (vec!["return - 1".into()], true)
        );
        // A conditional return first, then the unconditional one.
        assert_eq!(
            returns("do { if (c) return 0; else goto out; return NULL; } while (0)"),
            (
                vec!["return 0".into(), "goto out".into(), "return NULL".into()],
                true
            )
        );
        // A comment in a continued body is no token.
        assert_eq!(
            returns("do { \\\n /* if the caller set it */ \\\n return NULL; \\\n } while (0)"),
            (vec!["return NULL".into()], true)
        );
        assert_eq!(leaving(&tokens("if (c return NULL")), None);
        // A loop that is no `while (0)` governs what it holds.
        assert_eq!(
            returns("do { return NULL; } while (retry)"),
            (vec!["return NULL".into()], false)
        );
    }
}
