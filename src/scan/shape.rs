//! Whether a token stream is out of shape: a token where C allows none (an
//! unmatched bracket, `static;`, `x 1 = y`, `&,`, a stray `@`). tree-sitter
//! repairs such a spot by skipping a token, and the tree it then builds may
//! hold a site that the prefilter's reading of the same tokens does not
//! see: `static PyObject *v(= NULL;` is `static PyObject *v = NULL;` to
//! tree-sitter, and a function `v` to the prefilter. The prefilter lets a
//! file that is out of shape through whole, so it stays sound however
//! tree-sitter repairs it.
//!
//! The test looks at neighbouring tokens only, with a stack of open
//! brackets (each branch of an `#if` starts from the stack before it, so
//! alternative openings such as `#ifdef X f(a) { #else f(a, b) { #endif`
//! count once, and after `#endif` the deepest stack that one of its
//! written branches left goes on, so `#ifdef __cplusplus extern "C" {
//! #else … #endif` leaves the `{` open for the `}` of a later `#ifdef
//! __cplusplus`; a missing `#else` is not a branch that counts, or that
//! later `}` would be taken as unclosed). It errs towards "out of shape": a well-formed file it
//! flags is only parsed, never misread.

use crate::scan::lexer::Token;

/// An open bracket.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    /// `(`: after `for` a `;` may come inside; after `if`, `while`,
    /// `switch` or `for` it is a condition, after which a statement starts;
    /// after no word (or a keyword such as `return`) it may be a cast,
    /// and a `{` after it opens a compound literal's initialiser.
    Paren {
        for_loop: bool,
        condition: bool,
        cast: bool,
    },
    Bracket,
    /// `{` of an initialiser (after `=`, or inside another initialiser):
    /// `.name` may follow it as a designator.
    Initialiser,
    /// `{` of a block, a body or a struct.
    Block,
}

/// What came before the current token.
#[derive(Clone, Copy)]
enum Before<'a> {
    /// The start of the text, or a preprocessor directive.
    Nothing,
    /// A string or character literal.
    Literal,
    /// `)` that closes the condition of an `if`, `while`, `switch` or `for`.
    Condition,
    /// An identifier that starts the statement after such a condition.
    StatementWord,
    Token(Token<'a>),
}

/// Reads tokens in order and remembers whether one was out of place.
pub(crate) struct Shape<'a> {
    broken: bool,
    open: Vec<Open>,
    /// For each open `#if`: the stack before it, for its `#elif` and
    /// `#else` branches, and the deepest stack that one of its finished
    /// branches left, for the code after `#endif`.
    branches: Vec<(Vec<Open>, Option<Vec<Open>>)>,
    before: Before<'a>,
    /// The last `)` closed a parenthesis that may be a cast.
    cast_closed: bool,
}

/// Keywords after which a number may come.
const BEFORE_NUMBER: &[&[u8]] = &[
    b"return",
    b"case",
    b"sizeof",
    b"else",
    b"do",
    b"alignof",
    b"_Alignof",
    b"__alignof__",
];

/// Words that may start a statement and be followed by another word.
const STATEMENT_KEYWORDS: &[&[u8]] = &[
    b"if",
    b"while",
    b"for",
    b"switch",
    b"return",
    b"goto",
    b"case",
    b"sizeof",
    b"else",
    b"do",
    b"break",
    b"continue",
    b"__extension__",
    b"asm",
    b"__asm__",
];

/// Operators that join two operands and cannot start one (not `&&`: GNU
/// C takes a label's address with it, `&&label`).
fn binary_only(p: &[u8]) -> bool {
    matches!(
        p,
        b"=" | b"=="
            | b"!="
            | b"<="
            | b">="
            | b"||"
            | b"/"
            | b"%"
            | b"^"
            | b"|"
            | b"<"
            | b">"
            | b"+="
            | b"-="
            | b"*="
            | b"/="
            | b"%="
            | b"^="
            | b"|="
            | b"&="
    )
}

/// Operators after which an operand must come.
fn needs_operand(p: &[u8]) -> bool {
    binary_only(p) || matches!(p, b"&&" | b"!" | b"~" | b"-" | b"+" | b"&" | b"?")
}

/// Punctuators that cannot start an operand.
fn cannot_start_operand(p: &[u8]) -> bool {
    binary_only(p)
        || matches!(
            p,
            b";" | b"," | b")" | b"]" | b"}" | b":" | b"?" | b"." | b"->"
        )
}

/// Whether `p` is made of C's punctuation characters.
fn is_c_punctuator(p: &[u8]) -> bool {
    p.iter().all(|b| b"!%&()*+,-./:;<=>?[]^{|}~".contains(b))
}

impl<'a> Shape<'a> {
    pub(crate) fn new() -> Self {
        Shape {
            broken: false,
            open: Vec::new(),
            branches: Vec::new(),
            before: Before::Nothing,
            cast_closed: false,
        }
    }

    /// Whether a token so far, or an unclosed bracket at the end, was out
    /// of shape.
    pub(crate) fn finish(&self) -> bool {
        self.broken || !self.open.is_empty()
    }

    /// Marks the text out of shape (a caller that knows more context, such
    /// as the declaration a token is in, found a token out of place).
    pub(crate) fn break_here(&mut self) {
        self.broken = true;
    }

    /// A string or character literal was skipped before the next token.
    pub(crate) fn literal(&mut self) {
        self.before = Before::Literal;
    }

    /// Reads a preprocessor directive: each branch of a conditional starts
    /// from the brackets open before it.
    pub(crate) fn directive(&mut self, text: &[u8]) {
        self.before = Before::Nothing;
        let word = text[1..].trim_ascii_start();
        let word = &word[..word.iter().take_while(|b| b.is_ascii_alphabetic()).count()];
        match word {
            b"if" | b"ifdef" | b"ifndef" => self.branches.push((self.open.clone(), None)),
            b"elif" | b"elifdef" | b"elifndef" | b"else" => {
                if let Some((before, deepest)) = self.branches.last_mut() {
                    if deepest.as_ref().is_none_or(|d| self.open.len() > d.len()) {
                        *deepest = Some(self.open.clone());
                    }
                    self.open.clone_from(before);
                }
            }
            b"endif" => {
                if let Some((_, Some(deepest))) = self.branches.pop() {
                    if deepest.len() > self.open.len() {
                        self.open = deepest;
                    }
                }
            }
            _ => {}
        }
    }

    /// Reads the next code token.
    pub(crate) fn token(&mut self, token: Token<'a>) {
        if self.broken {
            return;
        }
        if self.out_of_place(token) {
            self.broken = true;
            return;
        }
        let top = self.open.last().copied();
        self.before = match token {
            Token::Punct(b"(") => {
                let word = match self.before {
                    Before::Token(Token::Ident(word)) => Some(word),
                    Before::StatementWord => Some(&b""[..]),
                    _ => None,
                };
                self.open.push(Open::Paren {
                    for_loop: word == Some(b"for"),
                    condition: matches!(word, Some(b"if" | b"while" | b"switch" | b"for")),
                    cast: word.is_none_or(|w| BEFORE_NUMBER.contains(&w)),
                });
                Before::Token(token)
            }
            Token::Punct(b"[") => {
                self.open.push(Open::Bracket);
                Before::Token(token)
            }
            Token::Punct(b"{") => {
                let initialiser = match self.before {
                    Before::Token(Token::Punct(b"=")) => true,
                    Before::Token(Token::Punct(b")")) => self.cast_closed,
                    Before::Token(Token::Punct(b"," | b"{")) => {
                        matches!(top, Some(Open::Initialiser | Open::Paren { .. }))
                    }
                    _ => false,
                };
                self.open.push(if initialiser {
                    Open::Initialiser
                } else {
                    Open::Block
                });
                Before::Token(token)
            }
            Token::Punct(close @ (b")" | b"]" | b"}")) => {
                let closed = self.open.pop();
                self.cast_closed = matches!(closed, Some(Open::Paren { cast: true, .. }));
                let matched = match (close, closed) {
                    (b")", Some(Open::Paren { condition, .. })) => Some(condition),
                    (b"]", Some(Open::Bracket)) => Some(false),
                    (b"}", Some(Open::Initialiser | Open::Block)) => Some(false),
                    _ => None,
                };
                match matched {
                    None => {
                        self.broken = true;
                        return;
                    }
                    Some(true) => Before::Condition,
                    Some(false) => Before::Token(token),
                }
            }
            Token::Ident(word)
                if matches!(self.before, Before::Condition)
                    && !STATEMENT_KEYWORDS.contains(&word) =>
            {
                Before::StatementWord
            }
            _ => Before::Token(token),
        };
    }

    /// Whether `token` cannot follow what came before it in C.
    fn out_of_place(&self, token: Token<'a>) -> bool {
        let top = self.open.last().copied();
        if let Token::Punct(p) = token {
            if !is_c_punctuator(p) {
                return true; // `@`, `$`, a backquote, a stray `#` or quote
            }
            if p == b";" && !matches!(top, None | Some(Open::Block | Open::Initialiser)) {
                // `;` inside parentheses or brackets: only in `for (;;)`.
                if !matches!(top, Some(Open::Paren { for_loop: true, .. })) {
                    return true;
                }
            }
        }
        match (self.before, token) {
            (Before::Nothing | Before::Literal, _) => false,
            // `if (x) .v = …`, `if (x) = …`: no statement starts so.
            (Before::Condition, Token::Punct(p)) => {
                cannot_start_operand(p) && p != b";" && p != b"}"
            }
            (Before::Condition, _) => false,
            // `if (x) T v = …`: a declaration is no statement.
            (Before::StatementWord, Token::Ident(word)) => !STATEMENT_KEYWORDS.contains(&word),
            (Before::StatementWord, Token::Number(_)) => true,
            (Before::StatementWord, _) => false,
            (Before::Token(before), token) => Self::pair_out_of_place(before, token, top),
        }
    }

    /// Whether `after` cannot follow `before` (`top` is the innermost open
    /// bracket).
    fn pair_out_of_place(before: Token<'a>, after: Token<'a>, top: Option<Open>) -> bool {
        match (before, after) {
            (Token::Ident(b"static" | b"typedef"), Token::Punct(_)) => true,
            (Token::Ident(b"struct" | b"union" | b"enum"), Token::Punct(p)) => p != b"{",
            (Token::Ident(b"struct" | b"union" | b"enum"), Token::Number(_)) => true,
            (Token::Ident(b"if" | b"while" | b"switch" | b"for"), after) => {
                after != Token::Punct(b"(")
            }
            (Token::Ident(word), Token::Number(_)) => !BEFORE_NUMBER.contains(&word),
            (Token::Number(_), Token::Ident(_) | Token::Number(_)) => true,
            (Token::Punct(b"." | b"->"), after) => !matches!(after, Token::Ident(_)),
            (before, Token::Punct(b"." | b"->")) => {
                let operand = matches!(before, Token::Ident(_) | Token::Punct(b")" | b"]"));
                let designator = after == Token::Punct(b".")
                    && matches!(before, Token::Punct(b"{" | b","))
                    && top == Some(Open::Initialiser);
                !operand && !designator
            }
            (Token::Punct(b"*"), Token::Punct(p)) => {
                // `(int *)`, `f(int *, …)`, `[*]` are declarators.
                cannot_start_operand(p) && !matches!(p, b")" | b"," | b"]")
            }
            (Token::Punct(b"?"), Token::Punct(b":")) => false, // GNU `a ?: b`
            (Token::Punct(b":"), Token::Punct(b":")) => false, // `asm("" : : "r"(x))`
            (Token::Punct(b"<"), Token::Punct(b"<" | b"<=")) => false, // `<<`, `<<=`
            (Token::Punct(b">"), Token::Punct(b">" | b">=")) => false, // `>>`, `>>=`
            (Token::Punct(op), Token::Punct(p)) if needs_operand(op) => cannot_start_operand(p),
            (Token::Punct(b"("), Token::Punct(p)) => {
                cannot_start_operand(p) && !matches!(p, b")" | b"," | b";")
            }
            (Token::Punct(b"["), Token::Punct(p)) => cannot_start_operand(p) && p != b"]",
            (Token::Punct(b"{"), Token::Punct(p)) => {
                cannot_start_operand(p) && !matches!(p, b";" | b"}" | b".")
            }
            (Token::Punct(b";"), Token::Punct(p)) => {
                cannot_start_operand(p) && !matches!(p, b";" | b"}" | b")")
            }
            (Token::Punct(b","), Token::Punct(p)) => {
                cannot_start_operand(p) && !matches!(p, b")" | b"}" | b"," | b".")
            }
            (Token::Punct(b":"), Token::Punct(p)) => {
                cannot_start_operand(p) && !matches!(p, b";" | b"}")
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::lexer::Lexer;

    fn out_of_shape(text: &str) -> bool {
        let mut lexer = Lexer::at(text.as_bytes(), 0);
        let mut shape = Shape::new();
        let mut literals = 0;
        while let Some(token) = lexer.next_token(false) {
            if lexer.literals() != literals {
                literals = lexer.literals();
                shape.literal();
            }
            match token {
                Token::Directive(text) => shape.directive(text),
                token => shape.token(token),
            }
        }
        shape.finish()
    }

    #[test]
    fn well_formed_c_is_in_shape() {
        for text in [
            "int f(int n, ...) { for (;;) { if (n) return -1; } return sizeof n; }",
            "#ifdef X\nint f(int a) {\n#else\nint f(int a, int b) {\n#endif\n return a;\n}",
            "#ifdef __cplusplus\nextern \"C\" {\n#endif\nint x;\n#ifdef __cplusplus\n}\n#endif",
            // The opening in the first of two branches, the closing in a
            // later conditional (libmpdec's and many C/C++ headers' guard).
            "#ifdef __cplusplus\n#include <cstdint>\nextern \"C\" {\n#else\n#include <stdint.h>\n#endif\nint x;\n#ifdef __cplusplus\n}\n#endif",
            "#if A\nint f(int a) {\n#elif B\nint f(void) {\n#else\nvoid g(void);\n#endif\n return 0;\n}",
            "S s = {.a = 1, .b = {.c = .5}, [2].d = 3}; S f(void) { return (S){.a = x ? : y}; }",
            "void *t[] = { &&a, &&b }; int g(void) { asm(\"\" : : \"r\"(x)); return a << 2 >>= 1; }",
            "int (*p)(int *, char *[]); x = y * -z & ~w; p->q.r[1] = (int)1.5e3f + 0x1fUL;",
            "if (x) goto fail; while (p) p = p->next; do x--; while (x); if (a) if (b) c();",
            "char *s = \"a\" \"b\"; int c = 'c';",
        ] {
            assert!(!out_of_shape(text), "taken as out of shape:\n{text}");
        }
    }

    #[test]
    fn a_token_where_c_allows_none_is_out_of_shape() {
        for text in [
            "static; int x;",
            "int f(void) { x = (1; }",
            "int f(void) { x = 1; ",
            "int f(void) { x = 1; }}",
            "x = y 1;",
            "x 1= y;",
            "1x = y;",
            "f(&, v);",
            "x = ;",
            "if (x) .v = 1;",
            "if (x) T v = 1;",
            "p = *->v;",
            "x = @y;",
            "x = 'y;",
            "struct = 1;",
            "if = 1;",
        ] {
            assert!(out_of_shape(text), "taken as well formed:\n{text}");
        }
    }
}
