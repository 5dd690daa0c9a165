//! Whether the code around a borrowed store takes a reference to the
//! stored value, however the incref is spelled: CPython's incref calls, a
//! macro of the unit (expanded as the preprocessor does,
//! [`Unit::expansions`], through any number of levels and casts), a
//! function of the unit whose body increfs its parameter, returns a new
//! reference to it, or increfs the static itself, and the store made
//! inside the incref's argument (`Py_XINCREF(v = x)`, `v = x,
//! Py_XINCREF(v)`). A call that takes the value and that oncevar cannot
//! read (a macro whose expansion cannot be read, a call through a
//! pointer, a function neither the unit defines nor CPython's reference
//! data lists, the arguments a variadic function of the unit does not
//! name) is [`Effect::Unclear`], whatever its name: the slot's ownership is
//! then unknown, never "no incref", which would give the slot a second
//! reference.

use std::collections::HashSet;

use tree_sitter::Node;

use crate::analysis::callgraph;
use crate::analysis::classify::parameter_name;
use crate::analysis::parse::{self, HasNodeId};
use crate::analysis::scope::SymbolId;
use crate::fix::ownership::{short, Unit, MAX_DEPTH, MAX_STEPS};
use crate::fix::refcounts::{self, Listed};

/// The token a macro argument that is the value is replaced by before the
/// macro is expanded: no C name a program spells.
pub(crate) const MARK: &str = "oncevar_the_value_";

/// What a stretch of code does to the reference count of one value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Effect {
    /// Nothing that oncevar reads as a reference taken.
    None,
    /// Takes a reference to it: the incref, quoted for a message
    /// (`` `KEEP` (`Py_INCREF`) ``).
    Incref(String),
    /// May take one in a way oncevar does not read: why, a clause naming
    /// the call and its line.
    Unclear(String),
}

/// The value whose references are counted.
#[derive(Clone, Debug)]
pub(super) struct Target {
    /// The static, read through the resolution in the file's own tree.
    pub(super) symbol: Option<SymbolId>,
    /// Spellings that are the value: a local's or parameter's name, the
    /// static's name in a macro's expansion, [`MARK`].
    pub(super) names: Vec<String>,
    /// Whether the functions of the unit called in the code read may
    /// name it too (a static at file scope).
    pub(super) in_callees: bool,
}

/// Where the nodes being read come from.
#[derive(Clone, Copy)]
struct Text<'e> {
    bytes: &'e [u8],
    /// The analysed file's own tree (the resolution knows its nodes), not
    /// a macro's expansion.
    in_file: bool,
}

/// What a function of the unit does to one of its parameters.
#[derive(Clone, Debug)]
pub(super) struct ParameterEffect {
    takes: Effect,
    /// Whether it hands the parameter back (`return o;`, `return
    /// Py_NewRef(o);`): the caller's use of the result decides who keeps
    /// the reference.
    returns_it: bool,
}

impl<'a, 't> Unit<'a, 't> {
    /// What `roots` (statements or expressions of the file's tree) do to
    /// the reference count of `target`, calls that end before `from` left
    /// out, `return` statements too (they hand a reference to the caller).
    pub(super) fn effect_in(&self, roots: &[Node], from: usize, target: &Target) -> Effect {
        let bytes: &[u8] = &self.file.source.bytes;
        self.effect_between(roots, (from, usize::MAX), (bytes, true), target)
    }

    /// [`Unit::effect_in`] of what lies between `from` and `until` only (a
    /// local's value and its store), in `roots` of the text `bytes`:
    /// `in_file`, the file's own tree, else a macro's expansion (whose
    /// nodes the resolution does not know).
    pub(super) fn effect_between(
        &self,
        roots: &[Node],
        (from, until): (usize, usize),
        (bytes, in_file): (&[u8], bool),
        target: &Target,
    ) -> Effect {
        let text = Text { bytes, in_file };
        self.effect_of(roots, (from, until), text, target, 0)
    }

    fn effect_of(
        &self,
        roots: &[Node],
        (from, until): (usize, usize),
        text: Text,
        target: &Target,
        depth: usize,
    ) -> Effect {
        let mut pending: Vec<Node> = roots.iter().rev().copied().collect();
        // Calls whose result is dropped: `Py_NewRef(v);` takes a
        // reference that nothing else holds.
        let mut discarded: HashSet<usize> = HashSet::new();
        let mut unclear: Option<(usize, String)> = None;
        while let Some(node) = pending.pop() {
            self.steps.set(self.steps.get() + 1);
            if self.steps.get() > MAX_STEPS {
                return Effect::Unclear(format!(
                    "the code after the store lies behind more than {MAX_STEPS} values and \
                     nodes"
                ));
            }
            if node.end_byte() <= from
                || node.start_byte() >= until
                || node.kind() == "return_statement"
            {
                continue;
            }
            if node.kind() == "expression_statement" {
                if let Some(expression) = node.named_child(0) {
                    let expression = void_cast(parse::strip_parens(expression), text.bytes);
                    discarded.insert(expression.id());
                    if expression.kind() == "identifier" {
                        let effect = self.object_macro_effect(expression, text, target, depth);
                        match effect {
                            Effect::Incref(_) => return effect,
                            Effect::Unclear(why) => {
                                keep_first(&mut unclear, expression.start_byte(), why)
                            }
                            Effect::None => {}
                        }
                    }
                }
            }
            if node.kind() == "comma_expression" {
                if let Some(left) = node.child_by_field_name("left") {
                    discarded.insert(void_cast(parse::strip_parens(left), text.bytes).id());
                }
            }
            if node.kind() == "call_expression" {
                let dropped = discarded.contains(&node.id());
                match self.call_effect(node, dropped, text, target, depth) {
                    Effect::Incref(name) => return Effect::Incref(name),
                    Effect::Unclear(why) => keep_first(&mut unclear, node.start_byte(), why),
                    Effect::None => {}
                }
            }
            let mut cursor = node.walk();
            let children: Vec<Node> = node.named_children(&mut cursor).collect();
            pending.extend(children.into_iter().rev());
        }
        unclear.map_or(Effect::None, |(_, why)| Effect::Unclear(why))
    }

    /// Whether `node` is the value: past parentheses, casts, the right of
    /// a comma, and through an assignment (`v = x` is `v`'s value and
    /// `x`'s).
    fn is_target(&self, node: Node, text: Text, target: &Target) -> bool {
        let mut node = node;
        for _ in 0..super::MAX_NESTING {
            if target
                .names
                .iter()
                .any(|n| node.utf8_text(text.bytes) == Ok(n.as_str()))
            {
                return true;
            }
            if node.kind() == "identifier" {
                return text.in_file
                    && target
                        .symbol
                        .is_some_and(|s| self.file.resolution.refers_to(node.node_id(), s));
            }
            let next = match node.kind() {
                "parenthesized_expression" => node.named_child(0),
                "cast_expression" => node.child_by_field_name("value"),
                "comma_expression" => node.child_by_field_name("right"),
                "assignment_expression"
                    if node.child_by_field_name("operator").map(|o| o.kind()) == Some("=") =>
                {
                    let left = node.child_by_field_name("left");
                    if left.is_some_and(|l| self.is_target(l, text, target)) {
                        return true;
                    }
                    node.child_by_field_name("right")
                }
                _ => None,
            };
            match next {
                Some(next) => node = next,
                None => return false,
            }
        }
        false
    }

    /// What the call `call` does to the value; `dropped`: its result is
    /// not used.
    fn call_effect(
        &self,
        call: Node,
        dropped: bool,
        text: Text,
        target: &Target,
        depth: usize,
    ) -> Effect {
        let Some(callee) = call.child_by_field_name("function") else {
            return Effect::None;
        };
        let arguments = super::arguments(call);
        let hits: Vec<usize> = arguments
            .iter()
            .enumerate()
            .filter(|(_, a)| self.is_target(**a, text, target))
            .map(|(i, _)| i)
            .collect();
        let line = || self.line_of(call, text);
        if callee.kind() != "identifier" {
            // A call through a pointer or a member: what it runs is not
            // read.
            return if hits.is_empty() {
                Effect::None
            } else {
                Effect::Unclear(format!(
                    "`{}`{} takes it through a pointer, which oncevar does not read, so \
                     whether it takes a reference of its own is unknown",
                    short(callee.utf8_text(text.bytes).unwrap_or("").as_bytes()),
                    line()
                ))
            };
        }
        let name = callee.utf8_text(text.bytes).unwrap_or("");
        if let Some(incref) = refcounts::incref(name) {
            return if hits.contains(&0) {
                Effect::Incref(format!("`{incref}`"))
            } else {
                Effect::None
            };
        }
        if matches!(
            name,
            "Py_NewRef" | "Py_XNewRef" | "_Py_NewRef" | "_Py_XNewRef"
        ) {
            return if hits.contains(&0) && dropped {
                Effect::Incref(format!("`{name}`"))
            } else {
                Effect::None
            };
        }
        if let Some(m) = self.macros.get(name) {
            if m.parameters.is_some() {
                return self.macro_effect(name, &arguments, &hits, text, target, depth, line());
            }
        }
        if let Some(&function) = self.functions.get(name.as_bytes()) {
            return self.function_effect(name, function, &hits, dropped, target, depth, line());
        }
        // CPython's own calls: what they keep, they take a reference for
        // themselves; the ones that take one for the caller are above, and
        // a release (`Py_DecRef`) takes none.
        let listed = refcounts::lookup(name) != Listed::Absent
            || refcounts::returns_no_object(name)
            || refcounts::release(name).is_some();
        if !hits.is_empty() && !listed {
            return Effect::Unclear(format!(
                "`{name}`{}, which is defined neither in this translation unit nor in CPython's \
                 reference data, takes it, so whether it takes a reference of its own is unknown",
                line()
            ));
        }
        Effect::None
    }

    /// ` (line N)` of the file's node, nothing for an expansion's.
    fn line_of(&self, node: Node, text: Text) -> String {
        if text.in_file {
            format!(" (line {})", self.file.source.file_line(node.start_byte()))
        } else {
            String::new()
        }
    }

    /// A function-like macro of the unit called with the value among its
    /// arguments (`hits`), or naming it in its body: what its expansions
    /// do to it.
    #[allow(clippy::too_many_arguments)]
    fn macro_effect(
        &self,
        name: &str,
        arguments: &[Node],
        hits: &[usize],
        text: Text,
        target: &Target,
        depth: usize,
        line: String,
    ) -> Effect {
        // Before any argument is read: a value nested in calls of a macro
        // (`M(M(M(…)))`) would be read again at each level.
        if hits.is_empty() && !self.macro_names(name, target) {
            return Effect::None;
        }
        let tokens: Vec<Vec<String>> = arguments
            .iter()
            .enumerate()
            .map(|(i, a)| {
                if hits.contains(&i) {
                    vec![MARK.to_owned()]
                } else {
                    callgraph::pp_tokens(a.utf8_text(text.bytes).unwrap_or(""))
                }
            })
            .collect();
        // `M()` is one empty argument to the expander.
        let tokens = if tokens.is_empty() {
            vec![Vec::new()]
        } else {
            tokens
        };
        let shown = hits
            .first()
            .and_then(|&at| arguments[at].utf8_text(text.bytes).ok())
            .unwrap_or(MARK);
        self.expansion_effect(name, Some(&tokens), shown, target, depth, line)
    }

    /// An object-like macro of the unit used as a statement (`KEEP_HOOK;`)
    /// that names the value: what its expansions do to it.
    fn object_macro_effect(&self, node: Node, text: Text, target: &Target, depth: usize) -> Effect {
        let name = node.utf8_text(text.bytes).unwrap_or("");
        match self.macros.get(name) {
            Some(m) if m.parameters.is_none() && self.macro_names(name, target) => {
                self.expansion_effect(name, None, MARK, target, depth, self.line_of(node, text))
            }
            _ => Effect::None,
        }
    }

    /// Whether a definition of the macro `name` spells one of the value's
    /// names (an unhygienic `#define KEEP_HOOK Py_INCREF(hook)`), or a
    /// macro its body names does (two levels, as [`Unit::may_leave`]).
    fn macro_names(&self, name: &str, target: &Target) -> bool {
        !target.names.is_empty()
            && self.body_names(name, 2, |word| target.names.iter().any(|n| n == word))
    }

    /// What the expansions of the unit's macro `name` (with `arguments`,
    /// the value's replaced by [`MARK`]) do to the value: each read as the
    /// statements of a function. One that takes a reference and one that
    /// does not disagree: unclear.
    fn expansion_effect(
        &self,
        name: &str,
        arguments: Option<&[Vec<String>]>,
        shown: &str,
        target: &Target,
        depth: usize,
        line: String,
    ) -> Effect {
        let unclear = |why: String| {
            Effect::Unclear(format!(
                "the macro `{name}`{line} takes it and {why}, so it may take a reference of its \
                 own that oncevar does not read"
            ))
        };
        if depth >= MAX_DEPTH {
            return unclear(format!("is more than {MAX_DEPTH} calls or macros deep"));
        }
        let expansions = match self.expansions(name, arguments) {
            Ok(expansions) => expansions,
            Err(why) => return unclear(format!("cannot be expanded: {why}")),
        };
        let mut names = target.names.clone();
        if !names.iter().any(|n| n == MARK) {
            names.push(MARK.to_owned());
        }
        let inner = Target {
            symbol: None,
            names,
            in_callees: false,
        };
        let mut all: Option<Effect> = None;
        for tokens in &expansions {
            let body = joined(tokens);
            let source = format!("void oncevar_expansion(void) {{\n{body}\n;\n}}\n");
            let Some(tree) = self.parse_expansion(&source) else {
                return unclear("could not be read".to_owned());
            };
            let root = tree.root_node();
            if root.has_error() {
                return unclear(format!(
                    "expands to `{}`, which oncevar cannot read",
                    short(body.replace(MARK, shown).as_bytes())
                ));
            }
            let Some(block) = root
                .named_child(0)
                .and_then(|f| f.child_by_field_name("body"))
            else {
                return unclear("could not be read".to_owned());
            };
            let text = Text {
                bytes: source.as_bytes(),
                in_file: false,
            };
            let effect = self.effect_of(&[block], (0, usize::MAX), text, &inner, depth + 1);
            all = Some(match (all.take(), effect) {
                (_, Effect::Unclear(why)) => return unclear(why),
                (None, effect) => effect,
                (Some(previous), effect) if previous == effect => previous,
                (Some(Effect::Incref(i)), Effect::Incref(_)) => Effect::Incref(i),
                (Some(_), _) => {
                    return unclear(
                        "takes a reference in one of its definitions and not in another".to_owned(),
                    )
                }
            });
        }
        match all {
            Some(Effect::Incref(inner)) => Effect::Incref(format!("`{name}` ({inner})")),
            _ => Effect::None,
        }
    }

    /// A function of the unit called with the value among its arguments
    /// (`hits`): what it does to its parameters, and to the static itself
    /// when the value is the static.
    #[allow(clippy::too_many_arguments)]
    fn function_effect(
        &self,
        name: &str,
        function: Node,
        hits: &[usize],
        dropped: bool,
        target: &Target,
        depth: usize,
        line: String,
    ) -> Effect {
        let unclear = |why: String| {
            Effect::Unclear(format!(
                "the function `{name}`{line} takes it and {why}, which oncevar does not read \
                 as one reference or none"
            ))
        };
        if depth >= MAX_DEPTH {
            return if hits.is_empty() {
                Effect::None
            } else {
                unclear(format!("is more than {MAX_DEPTH} calls deep"))
            };
        }
        let key = (function.id(), usize::MAX);
        let mut unclear_one: Option<Effect> = None;
        for &at in hits {
            let effect = self.parameter_effect(function, at, depth);
            match effect {
                ParameterEffect {
                    takes: Effect::Incref(how),
                    returns_it,
                } => {
                    if returns_it && !dropped {
                        return Effect::Unclear(format!(
                            "the function `{name}`{line} takes a reference to it ({how}) and \
                             hands it back to a caller that keeps the result, so whether that \
                             reference is the slot's is not known"
                        ));
                    }
                    return Effect::Incref(format!("`{name}` ({how})"));
                }
                ParameterEffect {
                    takes: Effect::Unclear(why),
                    ..
                } => {
                    unclear_one.get_or_insert(unclear(why));
                }
                _ => {}
            }
        }
        // `hold_hook();` after the store: a function of the unit that
        // increfs the static itself.
        if let Some(symbol) = target.symbol.filter(|_| target.in_callees) {
            let known = self
                .static_effects
                .borrow()
                .get(&(function.id(), symbol))
                .cloned();
            let effect = match known {
                Some(effect) => effect,
                None => {
                    if !self.visiting.borrow_mut().insert(key) {
                        return unclear_one.unwrap_or(Effect::None);
                    }
                    let body = function.child_by_field_name("body");
                    let effect = body.map_or(Effect::None, |body| {
                        let text = Text {
                            bytes: &self.file.source.bytes,
                            in_file: true,
                        };
                        self.effect_of(&[body], (0, usize::MAX), text, target, depth + 1)
                    });
                    self.visiting.borrow_mut().remove(&key);
                    self.static_effects
                        .borrow_mut()
                        .insert((function.id(), symbol), effect.clone());
                    effect
                }
            };
            match effect {
                Effect::Incref(how) => {
                    return Effect::Incref(format!("`{name}` ({how} of the static)"))
                }
                Effect::Unclear(why) if unclear_one.is_none() => {
                    return Effect::Unclear(format!("`{name}`{line} is called, and {why}"))
                }
                _ => {}
            }
        }
        unclear_one.unwrap_or(Effect::None)
    }

    /// What the function of the unit `function` does to its parameter
    /// number `at`: the incref it takes (a call of its body, a new
    /// reference it returns), and whether it hands the parameter back.
    fn parameter_effect(&self, function: Node, at: usize, depth: usize) -> ParameterEffect {
        let bytes: &[u8] = &self.file.source.bytes;
        let none = ParameterEffect {
            takes: Effect::None,
            returns_it: false,
        };
        let key = (function.id(), at);
        if let Some(known) = self.parameter_effects.borrow().get(&key) {
            return known.clone();
        }
        if !self.visiting.borrow_mut().insert(key) {
            // A recursion: its other paths say what it does.
            return none;
        }
        let parameter = parameter_name(function, at)
            .and_then(|p| p.utf8_text(bytes).ok())
            .map(str::to_owned);
        let effect = match parameter {
            Some(parameter) => self.read_parameter(function, &parameter, depth),
            // Variable arguments or an unnamed parameter: what the body
            // does with it is not read.
            None => ParameterEffect {
                takes: Effect::Unclear(
                    "takes it among arguments it does not name, which oncevar does not read"
                        .to_owned(),
                ),
                returns_it: false,
            },
        };
        self.visiting.borrow_mut().remove(&key);
        self.parameter_effects
            .borrow_mut()
            .insert(key, effect.clone());
        effect
    }

    fn read_parameter(&self, function: Node, parameter: &str, depth: usize) -> ParameterEffect {
        let bytes: &[u8] = &self.file.source.bytes;
        let text = Text {
            bytes,
            in_file: true,
        };
        let target = Target {
            symbol: None,
            names: vec![parameter.to_owned()],
            in_callees: false,
        };
        let Some(body) = function.child_by_field_name("body") else {
            return ParameterEffect {
                takes: Effect::None,
                returns_it: false,
            };
        };
        let mut takes = self.effect_of(&[body], (0, usize::MAX), text, &target, depth + 1);
        // What its `return`s hand back.
        let mut returns_it = false;
        let mut reassigned = false;
        let mut stored = false;
        let mut pending = vec![body];
        while let Some(node) = pending.pop() {
            match node.kind() {
                "return_statement" => {
                    let Some(value) = node.named_child(0) else {
                        continue;
                    };
                    if mentions(value, parameter, bytes) {
                        returns_it = true;
                        let value = void_cast(parse::strip_parens(value), bytes);
                        if value.kind() == "call_expression" && takes == Effect::None {
                            if let Effect::Incref(how) =
                                self.call_effect(value, true, text, &target, depth + 1)
                            {
                                takes = Effect::Incref(format!("returns {how}"));
                            }
                        }
                    }
                    continue;
                }
                "assignment_expression" | "update_expression" => {
                    let left = node
                        .child_by_field_name("left")
                        .or(node.child_by_field_name("argument"))
                        .map(parse::strip_parens);
                    if left.is_some_and(|l| l.utf8_text(bytes) == Ok(parameter)) {
                        reassigned = true;
                    }
                    // `registry = o;`: the reference it takes may be the
                    // other holder's.
                    let right = node.child_by_field_name("right");
                    if right.is_some_and(|r| self.is_target(r, text, &target)) {
                        stored = true;
                    }
                }
                "call_expression" => {
                    let callee = node
                        .child_by_field_name("function")
                        .and_then(|f| f.utf8_text(bytes).ok())
                        .unwrap_or("");
                    let stolen = refcounts::stolen_argument(callee)
                        .and_then(|at| super::arguments(node).get(at).copied())
                        .is_some_and(|a| self.is_target(a, text, &target));
                    stored |= stolen;
                }
                "pointer_expression"
                    if node.child_by_field_name("operator").map(|o| o.kind()) == Some("&") =>
                {
                    let argument = node
                        .child_by_field_name("argument")
                        .map(parse::strip_parens);
                    if argument.is_some_and(|a| a.utf8_text(bytes) == Ok(parameter)) {
                        reassigned = true;
                    }
                }
                _ => {}
            }
            let mut cursor = node.walk();
            pending.extend(node.named_children(&mut cursor));
        }
        if reassigned && takes != Effect::None {
            takes = Effect::Unclear(format!(
                "assigns its parameter `{parameter}` besides taking a reference to it"
            ));
        } else if stored && takes != Effect::None {
            takes = Effect::Unclear(format!(
                "stores its parameter `{parameter}` elsewhere besides taking a reference to it"
            ));
        }
        ParameterEffect { takes, returns_it }
    }
}

/// An expansion's tokens as C text: blanks between them, but none inside
/// the operators that [`callgraph::pp_tokens`] splits into characters
/// (`++`, `->`, `&&`, `<<=`).
pub(super) fn joined(tokens: &[String]) -> String {
    const OPERATORS: &[&str] = &[
        "++", "--", "->", "&&", "||", "==", "!=", "<=", ">=", "<<", ">>", "+=", "-=", "*=", "/=",
        "%=", "&=", "|=", "^=", "<<=", ">>=", "..", "...",
    ];
    let mut out = String::new();
    let mut last = String::new();
    for token in tokens {
        last.push_str(token);
        if token.len() == 1 && OPERATORS.contains(&last.as_str()) {
            out.push_str(token);
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(token);
        last.clone_from(token);
    }
    out
}

/// Keeps the earliest unclear call's reason.
fn keep_first(unclear: &mut Option<(usize, String)>, at: usize, why: String) {
    if unclear.as_ref().is_none_or(|(first, _)| at < *first) {
        *unclear = Some((at, why));
    }
}

/// `(void)x` is `x`, its result dropped all the same.
fn void_cast<'n>(node: Node<'n>, bytes: &[u8]) -> Node<'n> {
    if node.kind() == "cast_expression" {
        let void = node
            .child_by_field_name("type")
            .is_some_and(|t| t.utf8_text(bytes).map(str::trim) == Ok("void"));
        if void {
            if let Some(value) = node.child_by_field_name("value") {
                return parse::strip_parens(value);
            }
        }
    }
    node
}

/// Whether an identifier spelled `name` occurs in `node`.
fn mentions(node: Node, name: &str, bytes: &[u8]) -> bool {
    let mut pending = vec![node];
    while let Some(node) = pending.pop() {
        if node.kind() == "identifier" && node.utf8_text(bytes) == Ok(name) {
            return true;
        }
        let mut cursor = node.walk();
        pending.extend(node.named_children(&mut cursor));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expansion_is_joined_with_its_operators_whole() {
        let tokens =
            callgraph::pp_tokens("do { kept++; p->n <<= 1; if (a && !b) x = - 1; } while (0)");
        assert_eq!(
            joined(&tokens),
            "do { kept ++ ; p -> n <<= 1 ; if ( a && ! b ) x = - 1 ; } while ( 0 )"
        );
    }
}
