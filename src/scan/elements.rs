//! Which element types of a static array can hold no object pointer, read
//! from the tokens of the unit's own type definitions: such an array is
//! never a cache of objects, so naming it alone (`e = table`,
//! `fill(table)`) is no trace of a site, and the prefilter need not parse
//! its unit for it (issue 23: `errcode = error_codes` in CPython's `_ssl.c`
//! made the unit parse `_ssl_data*.h`'s tables, 8 times the file's time).
//!
//! The reading errs towards "may hold one": a member is proven to hold
//! none only when it is of an arithmetic type, an enum, a `char` pointer
//! (a string), a function pointer, or by value a record type or typedef
//! the unit defines whose own members are proven so. Any other pointer
//! (`void *`, `PyObject *`, a pointer to a struct, which may be an
//! object's), a type the unit does not define, a nested body or a shape
//! the reading does not know may hold one. A tag or typedef name the unit
//! defines more than once (in two `#if` branches) must hold none in every
//! definition.

use std::collections::HashMap;

use crate::scan::lexer::Token;

/// A byte range of a file: a name the pass kept.
pub type Word = std::ops::Range<usize>;

/// The name space of a type's name (C11 6.2.3): a struct, union or enum
/// tag, or an ordinary identifier (a typedef name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Space {
    /// `struct tag`, `union tag`
    Tag,
    /// A typedef name.
    Ordinary,
}

/// How a type holds one of its parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Held {
    /// By value: `struct inner in;`
    Value,
    /// Through one pointer: `const struct index *map;` (a pointer to a
    /// type without object pointers is none itself, unless its name is an
    /// object type's, which the analysis takes for an object).
    Pointee,
}

/// One part of a type: how it is held, and the name space and name of the
/// type held (`N`: a byte range of its file, or its text).
pub type Part<N> = (Held, Space, N);

/// What a type is made of, read from its tokens: `None` when it may hold an
/// object pointer, `Some(parts)` when it holds none provided each of
/// `parts` (named in the file as byte ranges) holds none.
pub type Makeup = Option<Vec<Part<Word>>>;

/// A [`Makeup`] with its names as text.
pub type TextMakeup<'a> = Option<Vec<Part<&'a [u8]>>>;

/// Names as text, in the order of the file.
pub type Names<'a> = Vec<&'a [u8]>;

/// Type names that hold no object pointer whatever the unit defines: C's
/// arithmetic types (C11 6.2.5), the fixed-width and size types of
/// `<stdint.h>`/`<stddef.h>`, CPython's integer types, and CPython's table
/// structs, none of whose members points to an object (Include/
/// methodobject.h, descrobject.h, structmember.h, object.h,
/// moduleobject.h, structseq.h). An array of them passed by name
/// (`PyModule_AddFunctions(m, methods)`) is no trace of a write.
pub const NO_OBJECT_TYPES: &[&[u8]] = &[
    b"char",
    b"short",
    b"int",
    b"long",
    b"float",
    b"double",
    b"signed",
    b"unsigned",
    b"_Bool",
    b"bool",
    b"size_t",
    b"ssize_t",
    b"ptrdiff_t",
    b"wchar_t",
    b"Py_ssize_t",
    b"Py_hash_t",
    b"Py_UCS1",
    b"Py_UCS2",
    b"Py_UCS4",
    b"int8_t",
    b"int16_t",
    b"int32_t",
    b"int64_t",
    b"uint8_t",
    b"uint16_t",
    b"uint32_t",
    b"uint64_t",
    b"PyMethodDef",
    b"PyMemberDef",
    b"PyGetSetDef",
    b"PyType_Slot",
    b"PyModuleDef_Slot",
    b"PyStructSequence_Field",
    b"PyStructSequence_Desc",
    // Two doubles (Include/cpython/complexobject.h).
    b"Py_complex",
    // Pointers to functions (Include/object.h, cpython/object.h,
    // methodobject.h, descrobject.h).
    b"unaryfunc",
    b"binaryfunc",
    b"ternaryfunc",
    b"inquiry",
    b"lenfunc",
    b"ssizeargfunc",
    b"ssizessizeargfunc",
    b"ssizeobjargproc",
    b"ssizessizeobjargproc",
    b"objobjargproc",
    b"objobjproc",
    b"visitproc",
    b"traverseproc",
    b"freefunc",
    b"destructor",
    b"getattrfunc",
    b"getattrofunc",
    b"setattrfunc",
    b"setattrofunc",
    b"reprfunc",
    b"hashfunc",
    b"richcmpfunc",
    b"getiterfunc",
    b"iternextfunc",
    b"descrgetfunc",
    b"descrsetfunc",
    b"initproc",
    b"newfunc",
    b"allocfunc",
    b"getbufferproc",
    b"releasebufferproc",
    b"vectorcallfunc",
    b"sendfunc",
    b"PyCFunction",
    b"PyCFunctionWithKeywords",
    b"PyCMethod",
    b"getter",
    b"setter",
];

/// Struct tags of CPython's whose members hold no object pointer
/// (Include/cpython/import.h): `struct _frozen` (a name, code bytes, sizes
/// and a pointer to a function), `struct _module_alias` (two names).
const NO_OBJECT_TAGS: &[&[u8]] = &[b"_frozen", b"_module_alias"];

/// Qualifiers, which change no type's makeup.
const QUALIFIERS: &[&[u8]] = &[b"const", b"volatile", b"restrict", b"register"];

/// The types a `char *` may be spelled with: a pointer to them is a string.
const CHARACTERS: &[&[u8]] = &[b"char", b"signed", b"unsigned", b"wchar_t"];

/// The makeup of a type named by `words`, the identifiers of a declaration
/// outside its declarators' names (qualifiers may be among them), with
/// `pointers` the `*`s of the declarator: an enum, a `char` pointer,
/// arithmetic words hold none; `struct tag` and one typedef name, by value
/// or through one pointer, hold none if that type holds none; anything
/// else (`void *`, two pointers) may hold one. `word` gives a name's byte
/// range in its file.
pub fn makeup_of_words(words: &[&[u8]], pointers: usize, word: impl Fn(&[u8]) -> Word) -> Makeup {
    let words: Vec<&[u8]> = words
        .iter()
        .copied()
        .filter(|w| !QUALIFIERS.contains(w))
        .collect();
    if words.contains(&&b"enum"[..]) {
        return Some(Vec::new());
    }
    let held = match pointers {
        0 => Held::Value,
        1 => Held::Pointee,
        _ => return None,
    };
    match words[..] {
        [] => None,
        _ if held == Held::Pointee && words.iter().all(|w| CHARACTERS.contains(w)) => {
            Some(Vec::new())
        }
        [b"struct" | b"union", tag] => Some(vec![(held, Space::Tag, word(tag))]),
        _ if words.iter().all(|w| NO_OBJECT_TYPES.contains(w)) => Some(Vec::new()),
        [name] => Some(vec![(held, Space::Ordinary, word(name))]),
        _ => None,
    }
}

/// The makeup of a record (struct or union) whose body, between its braces,
/// is `tokens`: the members' types together. A nested body, a directive
/// token or a member the reading does not know makes it `None`.
pub fn makeup_of_members(tokens: &[Token], word: impl Fn(&[u8]) -> Word) -> Makeup {
    let mut parts = Vec::new();
    for member in tokens.split(|t| *t == Token::Punct(b";")) {
        if member.is_empty() {
            continue;
        }
        if member
            .iter()
            .any(|t| matches!(t, Token::Directive(_) | Token::Punct(b"{" | b"}")))
        {
            return None;
        }
        if member.contains(&Token::Punct(b"(")) {
            // `R (*name)(params)`: a pointer to a function holds no object.
            match function_pointer_name(member) {
                Some(_) => continue,
                None => return None,
            }
        }
        let mut words = Vec::new();
        let mut pointers = 0;
        let mut brackets = 0usize;
        let mut width = false;
        for (i, token) in member.iter().enumerate() {
            match *token {
                Token::Punct(b"[") => brackets += 1,
                Token::Punct(b"]") => brackets = brackets.saturating_sub(1),
                _ if brackets > 0 => {}
                Token::Punct(b":") => width = true,
                Token::Punct(b",") => width = false,
                Token::Punct(b"*") => pointers += 1,
                _ if width => {}
                Token::Ident(w) => {
                    let declared = matches!(
                        member.get(i + 1),
                        None | Some(Token::Punct(b"," | b"[" | b":"))
                    );
                    if !declared {
                        words.push(w);
                    }
                }
                Token::Number(_) => return None,
                _ => {}
            }
        }
        parts.extend(makeup_of_words(&words, pointers, &word)?);
    }
    Some(parts)
}

/// The name `tokens` (a declaration's, after a `typedef` or a member's)
/// declare when they declare a pointer to a function, `R (*name)(params)`:
/// the first `(` outside braces is followed by `*`, the name, `)` and `(`.
pub fn function_pointer_name<'a>(tokens: &[Token<'a>]) -> Option<&'a [u8]> {
    let mut braces = 0usize;
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Punct(b"{") => braces += 1,
            Token::Punct(b"}") => braces = braces.saturating_sub(1),
            Token::Punct(b"(") if braces == 0 => {
                return match tokens.get(i + 1..i + 5)? {
                    [Token::Punct(b"*"), Token::Ident(name), Token::Punct(b")"), Token::Punct(b"(")] => {
                        Some(name)
                    }
                    _ => None,
                };
            }
            _ => {}
        }
    }
    None
}

/// The type words and the declared names of a typedef without a `*` at its
/// own depth, from its tokens after the keyword (a struct body's among
/// them): `typedef unsigned short ucs2_t, DBCHAR;` gives `unsigned short`
/// and both names. `None` for a function type (a `(` outside braces and
/// brackets) or no name.
pub fn typedef_names<'a>(tokens: &[Token<'a>]) -> Option<(Names<'a>, Names<'a>)> {
    let mut depth = 0usize;
    let mut segments: Vec<Names<'a>> = vec![Vec::new()];
    for token in tokens {
        match *token {
            Token::Punct(b"(") if depth == 0 => return None,
            Token::Punct(b"{" | b"[" | b"(") => depth += 1,
            Token::Punct(b"}" | b"]" | b")") => depth = depth.saturating_sub(1),
            Token::Punct(b",") if depth == 0 => segments.push(Vec::new()),
            Token::Punct(b";") if depth == 0 => break,
            Token::Ident(w) if depth == 0 => segments.last_mut()?.push(w),
            _ => {}
        }
    }
    let mut segments = segments.into_iter();
    let mut first = segments.next()?;
    let mut names = vec![first.pop()?];
    for segment in segments {
        names.push(*segment.first()?);
    }
    Some((first, names))
}

/// `name` as text (a name that is no UTF-8 matches no configured type).
fn name_text(name: &[u8]) -> &str {
    std::str::from_utf8(name).unwrap_or("\u{0}")
}

/// The unit's type definitions by name, read from every file's records:
/// answers whether a type holds no object pointer, each name decided once.
pub struct Definitions<'a> {
    defined: HashMap<(Space, &'a [u8]), Vec<TextMakeup<'a>>>,
    decided: HashMap<(Space, &'a [u8]), bool>,
    /// The configured object types (`object-types`), which the analysis
    /// takes for objects whatever their definition.
    object_types: &'a [String],
}

impl<'a> Definitions<'a> {
    /// How many types deep a type is followed by value.
    const DEPTH: usize = 32;

    /// The definitions of `records`: (space, name, makeup) with the names
    /// as text; `object_types`, the configured object types.
    pub fn new(
        records: impl Iterator<Item = (Space, &'a [u8], TextMakeup<'a>)>,
        object_types: &'a [String],
    ) -> Self {
        let mut defined: HashMap<_, Vec<_>> = HashMap::new();
        for (space, name, makeup) in records {
            defined.entry((space, name)).or_default().push(makeup);
        }
        Definitions {
            defined,
            decided: HashMap::new(),
            object_types,
        }
    }

    /// Whether the type `name` of `space` is proven to hold no object
    /// pointer: a type of [`NO_OBJECT_TYPES`], or one the unit defines
    /// (every definition) whose parts all hold none. A type the unit does
    /// not define, or one that holds itself by value (no valid C), is
    /// not proven.
    pub fn holds_no_object(&mut self, space: Space, name: &'a [u8]) -> bool {
        self.decide(space, name, 0)
    }

    /// [`Definitions::holds_no_object`], `depth` types deep: past
    /// [`Definitions::DEPTH`] nothing is proven (a hostile chain of
    /// typedefs must not overflow the stack).
    fn decide(&mut self, space: Space, name: &'a [u8], depth: usize) -> bool {
        let known = match space {
            Space::Ordinary => NO_OBJECT_TYPES,
            Space::Tag => NO_OBJECT_TAGS,
        };
        if known.contains(&name) {
            return true;
        }
        if let Some(&known) = self.decided.get(&(space, name)) {
            return known;
        }
        if depth > Self::DEPTH {
            return false;
        }
        // Not proven while it is being decided: a cycle proves nothing.
        self.decided.insert((space, name), false);
        let parts: Option<Vec<Part<&[u8]>>> =
            self.defined.get(&(space, name)).and_then(|definitions| {
                let mut parts = Vec::new();
                for makeup in definitions {
                    parts.extend(makeup.as_ref()?.iter().copied());
                }
                Some(parts)
            });
        let proven = parts.is_some_and(|parts| {
            parts
                .into_iter()
                .all(|part| self.part_holds_no_object(part, depth + 1))
        });
        self.decided.insert((space, name), proven);
        proven
    }

    /// Whether `makeup` is proven to hold no object pointer.
    pub fn makeup_holds_no_object(&mut self, makeup: &[Part<&'a [u8]>]) -> bool {
        makeup
            .iter()
            .all(|&part| self.part_holds_no_object(part, 0))
    }

    /// Whether a part is proven to hold no object pointer: its type holds
    /// none, and a pointer's type is no object type by its name (the
    /// analysis takes `PyObject`, `struct _object`, `Py…Object` and the
    /// configured object types for objects, [`crate::options::AnalysisOptions::is_object_type`]).
    fn part_holds_no_object(&mut self, (held, space, name): Part<&'a [u8]>, depth: usize) -> bool {
        let object_name = || {
            name == b"PyObject"
                || name == b"_object"
                || (name.starts_with(b"Py") && name.ends_with(b"Object"))
                || self.object_types.iter().any(|t| {
                    t.as_bytes() == name || t.split_whitespace().last() == Some(name_text(name))
                })
        };
        if held == Held::Pointee && object_name() {
            return false;
        }
        self.decide(space, name, depth)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_chain_of_typedefs_is_not_followed_to_its_end() {
        // `typedef T0 T1; … typedef T99999 T100000;` with T0 an int: past
        // the depth nothing is proven, and the stack holds.
        let names: Vec<String> = (0..=100_000).map(|i| format!("T{i}")).collect();
        let records = names.windows(2).map(|w| {
            (
                Space::Ordinary,
                w[1].as_bytes(),
                Some(vec![(Held::Value, Space::Ordinary, w[0].as_bytes())]),
            )
        });
        let records = records.chain([(Space::Ordinary, &b"T0"[..], Some(Vec::new()))]);
        let mut definitions = Definitions::new(records, &[]);
        assert!(definitions.holds_no_object(Space::Ordinary, b"T10"));
        assert!(!definitions.holds_no_object(Space::Ordinary, b"T100000"));
    }

    #[test]
    fn a_body_too_long_to_keep_may_hold_an_object() {
        // An unclosed or huge body is cut where the pass stops keeping it.
        let body = "int n; ".repeat(super::super::prefilter::KEPT_TOKENS);
        let text = format!(
            "struct big {{ {body} }}; static struct big codes[2]; char *p;
             void g(void) {{ use(codes); }}"
        );
        let options = crate::options::AnalysisOptions::default();
        assert!(crate::scan::prefilter::may_hold_site(
            text.as_bytes(),
            &options
        ));
        let small = "struct big { int n; }; static struct big codes[2]; char *p;
             void g(void) { use(codes); }";
        assert!(!crate::scan::prefilter::may_hold_site(
            small.as_bytes(),
            &options
        ));
    }
}
