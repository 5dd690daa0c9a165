//! Candidate declarations: every `static` pointer declarator, from the
//! declarations query, with its type resolved (object pointer or memory).

use std::collections::{HashMap, HashSet};

use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, QueryCursor, Tree};

use crate::analysis::evidence::NullMacros;
use crate::analysis::parse::HasNodeId;
use crate::analysis::parse::{self, strip_parens};
use crate::analysis::queries::Queries;
use crate::options::{AnalysisOptions, HEADER_POINTER_TYPEDEFS};

/// The first members that make a struct a Python object: CPython's head
/// macros (`object.h`, `cpython/pyerrors.h`) and their expansions.
const OBJECT_HEADS: &[&str] = &[
    "PyObject_HEAD",
    "PyObject_VAR_HEAD",
    "PyException_HEAD",
    "PyObject ob_base",
    "PyVarObject ob_base",
];

/// How deep a head macro may be defined through others
/// (`#define NODE_HEAD BASE_HEAD int kind;`).
const MAX_HEAD_MACROS: usize = 8;

/// How many structs deep a static struct's members held by value are
/// read for object members (`s.a.b.c`).
const MAX_NESTED_STRUCTS: usize = 8;

/// How many member declarations of a static struct, its nested structs'
/// included, are read at most.
const MAX_STRUCT_FIELDS: usize = 256;

/// `text` after its leading blanks, comments and preprocessor lines.
fn skip_comments(text: &str) -> &str {
    // The offset is past whole characters: ASCII, or a blank's bytes.
    &text[comments_end(text.as_bytes(), 0)..]
}

/// The offset in `bytes` of the first byte at or after `at` that is not
/// a blank (Unicode's, as [`str::trim_start`] reads them), nor in a
/// comment or a preprocessor line; `bytes.len()` if there is none.
fn comments_end(bytes: &[u8], mut at: usize) -> usize {
    loop {
        at = blanks_end(bytes, at);
        let rest = &bytes[at..];
        if rest.starts_with(b"/*") {
            let close = rest[2..].windows(2).position(|w| w == b"*/");
            at = close.map_or(bytes.len(), |end| at + 2 + end + 2);
        } else if rest.starts_with(b"//") || rest.starts_with(b"#") {
            at = rest
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |end| at + end);
        } else {
            return at;
        }
    }
}

/// The offset of the first character at or after `at` that is not
/// whitespace ([`char::is_whitespace`]); `bytes.len()` if there is none.
fn blanks_end(bytes: &[u8], mut at: usize) -> usize {
    while let Some(&b) = bytes.get(at) {
        let width = match b {
            0x00..=0x7f => 1,
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            _ => 4,
        };
        let blank = std::str::from_utf8(&bytes[at..(at + width).min(bytes.len())])
            .ok()
            .and_then(|c| c.chars().next())
            .is_some_and(char::is_whitespace);
        if !blank {
            break;
        }
        at += width;
    }
    at
}

/// The text of a struct body (a `field_declaration_list`) from its `{`
/// through the end of its first member: the first `;` or `{` after the
/// leading blanks, comments and preprocessor lines (or the whole body
/// when there is none), which is all that [`first_member_type`] and
/// [`is_object_struct_body`] read; `""` when that text is not UTF-8.
/// Taking each body's whole text made nested structs quadratic (each
/// body holds the next: 15,000 levels checked 918 million bytes).
fn body_head<'s>(body: Node, source: &'s [u8]) -> &'s str {
    let bytes = &source[body.start_byte()..body.end_byte()];
    let mut at = blanks_end(bytes, 0);
    while bytes.get(at) == Some(&b'{') {
        at += 1;
    }
    at = comments_end(bytes, at);
    let end = bytes[at..]
        .iter()
        .position(|&b| b == b';' || b == b'{')
        .map_or(bytes.len(), |end| at + end + 1);
    std::str::from_utf8(&bytes[..end]).unwrap_or("")
}

/// Whether a struct body is a Python object's: its first member (after
/// comments) is the object header (`PyObject_HEAD`, `PyObject_VAR_HEAD`,
/// `PyException_HEAD`, an explicit `PyObject ob_base;`), or a macro of the
/// unit whose body starts with one (`#define NODE_HEAD PyObject_HEAD
/// struct node_s *parent;`, through other such macros). `macro` gives the
/// bodies of a name's definitions (several in `#if` branches: one
/// starting with a head is enough).
fn is_object_struct_body(body: &str, macro_: &mut dyn FnMut(&str) -> Vec<String>) -> bool {
    let inner = skip_comments(body.trim_start().trim_start_matches('{'));
    starts_with_head(inner, macro_, 0)
}

fn starts_with_head(text: &str, macro_: &mut dyn FnMut(&str) -> Vec<String>, depth: usize) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    if OBJECT_HEADS.iter().any(|head| {
        text.strip_prefix(head)
            .is_some_and(|rest| !rest.starts_with(is_word))
    }) {
        return true;
    }
    let word = &text[..text.find(|c: char| !is_word(c)).unwrap_or(text.len())];
    if word.is_empty() || depth >= MAX_HEAD_MACROS {
        return false;
    }
    macro_(word)
        .iter()
        .any(|body| starts_with_head(skip_comments(body), macro_, depth + 1))
}

/// The type of a struct body's first member when it is embedded by value
/// (`{ FrameObject base; ... }` gives `FrameObject`), after comments: a
/// struct that starts with an object is an object (a subtype). `None` for
/// a pointer, an array, a function pointer or a bit-field.
fn first_member_type(body: &str) -> Option<String> {
    let inner = skip_comments(body.trim_start().trim_start_matches('{'));
    // Up to the first `;`, or a `{` of a nested definition, which is no
    // member embedded by name (stopping there keeps nested structs linear:
    // the first `;` of `struct a { struct b { … int x; }; }` is the
    // innermost one).
    let end = inner.find([';', '{'])?;
    if inner.as_bytes()[end] == b'{' {
        return None;
    }
    let member = inner[..end].trim();
    if member.contains(['*', '[', '(', ':', '#']) {
        return None;
    }
    let words: Vec<&str> = member.split_whitespace().collect();
    let (_, type_words) = words.split_last()?;
    let type_words: Vec<&str> = type_words
        .iter()
        .copied()
        .filter(|w| !matches!(*w, "const" | "volatile"))
        .collect();
    (!type_words.is_empty()).then(|| type_words.join(" "))
}

/// A `static` pointer declarator that may be a site.
#[derive(Clone, Debug)]
pub struct Candidate<'t> {
    /// The variable's name.
    pub name: String,
    /// The identifier in the declarator.
    pub name_node: Node<'t>,
    /// The whole declaration (all its declarators).
    pub declaration: Node<'t>,
    /// The declaration's `declarator` child for this name (`init_declarator`
    /// or `pointer_declarator`): what the rewriter replaces.
    pub declarator: Node<'t>,
    /// The pointer type as declared, qualifiers kept (`const char *`).
    pub type_name: String,
    /// Points to a Python object (as opposed to raw memory).
    pub object: bool,
    /// The `function_definition` around a block-scope static; `None` at
    /// file scope.
    pub function: Option<Node<'t>>,
    /// An array of object pointers (`static PyObject *table[N]`, `static
    /// obj_t table[N]` through an object pointer typedef, or of more
    /// dimensions, [`Candidate::dimensions`]), every element NULL to start
    /// with: its elements are the cache (`table[i]`), and `type_name` ends
    /// with `[]` (one per dimension). With
    /// [`Candidate::members`], an array of such structs (`table[i].cls`).
    pub array: bool,
    /// How many dimensions the array has: 1 for `table[N]`, 2 for
    /// `table[N][M]`, whose caches are `table[i][j]`; 0 for no array.
    pub dimensions: usize,
    /// For a static struct held by value (`static struct module_state
    /// _state;`), or an array of them (`static struct {const char *name;
    /// PyObject *cls;} exc_descriptors[]`): the names of its members that
    /// point to Python objects, in declaration order, each NULL in the
    /// initialiser where it has one. They are the cache (`_state.error`,
    /// `exc_descriptors[i].cls`), and `type_name` is the struct's type. A
    /// member of a struct held by value is named by its path (`objs.a`
    /// for `cfg.objs.a`). Empty for a pointer or an array of pointers.
    pub members: Vec<String>,
}

impl<'t> Candidate<'t> {
    /// Whether the variable is used through its elements or members (an
    /// array, a struct): its name alone is never the cache.
    pub fn is_aggregate(&self) -> bool {
        self.array || !self.members.is_empty()
    }

    /// The cache that the identifier `reference` to this variable
    /// designates, as an lvalue node: `reference` itself for a pointer,
    /// `v[i]` for an array of pointers, `v.m` or `v[i].m` for an object
    /// member `m` (through parentheses around each step). `None` when the
    /// reference reaches no cache: an array's or a struct's own name (its
    /// address, `sizeof`), an element of an array of structs, a member
    /// that holds no object (`table[i].name`).
    pub fn access<'n>(&self, reference: Node<'n>, source: &[u8]) -> Option<Node<'n>> {
        // A use of a macro of the file whose body is the cache
        // (scope::macro_references): the call of a function-like one, or
        // the name of an object-like one.
        if reference.utf8_text(source) != Ok(self.name.as_str()) {
            return match reference.parent() {
                Some(call)
                    if call.kind() == "call_expression"
                        && call.child_by_field_name("function") == Some(reference) =>
                {
                    Some(call)
                }
                _ if self.is_aggregate() => Some(reference),
                _ => None,
            };
        }
        let mut node = reference;
        // `table->m` and `(table + k)->m` are `table[0].m` and
        // `table[k].m`: the arrow takes the element's place.
        let mut arrow = false;
        // One subscript (or dereference) per dimension: `table[i][j]`,
        // `*table[i]`, `(*table)[j]`.
        for level in 1..=self.dimensions {
            node = match up(node, "subscript_expression").or_else(|| dereferenced_element(node)) {
                Some(element) => element,
                None if self.members.is_empty() || level < self.dimensions => return None,
                None => {
                    arrow = true;
                    offset(node)
                }
            };
        }
        if !self.members.is_empty() {
            node = up(node, "field_expression")?;
            let operator = node.child_by_field_name("operator")?;
            if operator.kind() != if arrow { "->" } else { "." } {
                return None;
            }
            let mut path = node
                .child_by_field_name("field")?
                .utf8_text(source)
                .ok()?
                .to_owned();
            loop {
                // A member that is an array of object pointers (`v.items[i]`),
                // or of structs (`v.rows[i].a`): its elements are the caches.
                while let Some(element) = up(node, "subscript_expression") {
                    node = element;
                }
                if self.members.contains(&path) {
                    return Some(node);
                }
                // A member of a struct held by value (`cfg.objs.a`).
                let below = format!("{path}.");
                if !self.members.iter().any(|m| m.starts_with(&below)) {
                    return None;
                }
                node = up(node, "field_expression")?;
                if node.child_by_field_name("operator")?.kind() != "." {
                    return None;
                }
                path = below + node.child_by_field_name("field")?.utf8_text(source).ok()?;
            }
        }
        Some(node)
    }

    /// The address of one of the caches of an array of object pointers
    /// that the identifier `reference` to it gives as a pointer value
    /// (C11 6.3.2.1p3, 6.5.6p8): `table` (its first element's), `table +
    /// k` or `k + table`, and for more dimensions the same of a row
    /// (`tbl[i]`, `tbl[i] + k`), through parentheses. `None` for any
    /// other use (an element, `&table`, a macro's name) and for an array
    /// of structs or no array; `&table[i]` is an address operator's, not
    /// this.
    pub fn element_address<'n>(&self, reference: Node<'n>, source: &[u8]) -> Option<Node<'n>> {
        if !self.array
            || !self.members.is_empty()
            || reference.utf8_text(source) != Ok(self.name.as_str())
        {
            return None;
        }
        let mut node = reference;
        for _ in 1..self.dimensions {
            node = up(node, "subscript_expression").or_else(|| dereferenced_element(node))?;
        }
        Some(offset(node))
    }
}

/// The `kind` expression (a subscript, a member access) whose `argument`
/// is `node`, through parentheses. One climb (parse::climb): a
/// `Node::parent` loop descends from the root at each step.
fn up<'n>(node: Node<'n>, kind: &str) -> Option<Node<'n>> {
    let (child, above) = parse::climb(node, |parent, _| {
        parent.kind() == "parenthesized_expression"
    });
    let parent = above.first()?;
    (parent.kind() == kind && parent.child_by_field_name("argument") == Some(child))
        .then_some(parent)
}

/// `*table` and `*(table + k)` (or `*(k + table)`), the element that an
/// array's name reaches when it is read as a pointer (C11 6.5.2.1p2: `E1[E2]`
/// is `*((E1)+(E2))`); `None` for any other use of the name.
fn dereferenced_element(name: Node) -> Option<Node> {
    let (_, above) = parse::climb(offset(name), |parent, _| {
        parent.kind() == "parenthesized_expression"
    });
    let parent = above.first()?;
    (parent.kind() == "pointer_expression" && parent.child_by_field_name("operator")?.kind() == "*")
        .then_some(parent)
}

/// `table + k` (or `k + table`) around an array's name `table`, through
/// parentheses: the address of its element `k`; the name itself otherwise.
fn offset(name: Node) -> Node {
    let (child, above) = parse::climb(name, |parent, _| {
        parent.kind() == "parenthesized_expression"
    });
    match above.first() {
        Some(sum)
            if sum.kind() == "binary_expression"
                && sum
                    .child_by_field_name("operator")
                    .is_some_and(|o| o.kind() == "+")
                && [
                    sum.child_by_field_name("left"),
                    sum.child_by_field_name("right"),
                ]
                .contains(&Some(child)) =>
        {
            sum
        }
        _ => name,
    }
}

/// A pointer typedef visible in the file: `typedef PyObject *Ptr;`.
#[derive(Clone, Debug)]
struct PointerTypedef {
    object: bool,
}

/// What the unit's text makes a Python object type, beyond the names
/// every unit knows ([`AnalysisOptions::is_object_type`]): its structs
/// that start with an object header, the typedefs naming them, and its
/// pointer typedefs.
#[derive(Clone, Debug, Default)]
pub struct ObjectTypes {
    /// Pointer typedefs by name: whether each points to an object.
    pointer_typedefs: HashMap<String, PointerTypedef>,
    /// Struct types (`struct name` or a typedef's name) that are objects.
    structs: HashSet<String>,
}

impl ObjectTypes {
    /// Whether a declaration of base type `base` (its text, blanks
    /// collapsed) with `depth` pointer levels in its declarator holds a
    /// pointer to a Python object: one level to an object type, or none
    /// through a pointer typedef to one. `None` when `base` with no level
    /// is no pointer typedef (not a pointer at all).
    pub fn is_object_pointer(
        &self,
        base: &str,
        depth: usize,
        options: &AnalysisOptions,
    ) -> Option<bool> {
        match depth {
            0 => self.pointer_typedefs.get(base).map(|t| t.object),
            1 => Some(options.is_object_type(base) || self.structs.contains(base)),
            _ => Some(false),
        }
    }
}

/// Every `static` pointer declarator of the file (the declarations query),
/// with its type resolved against the file's typedefs and `options`, and
/// what the file makes an object type.
#[cfg(test)]
pub fn find<'t>(
    tree: &'t Tree,
    source: &[u8],
    queries: &Queries,
    options: &AnalysisOptions,
) -> (Vec<Candidate<'t>>, ObjectTypes) {
    let found = find_with_process_wide(tree, source, queries, options);
    (found.0, found.1)
}

/// [`find`], and the variables of static storage that hold Python objects
/// (as a candidate would: a pointer, an array of them, a struct with
/// object members) but are no candidate, so never rewritten: those
/// declared at file scope without `static` (external linkage: a global,
/// `extern` or defined), and the statics that start out non-NULL. Each
/// is described as a candidate would be (`object` true). Written under a
/// lazy site's guard, such a variable stays process-wide while the site
/// becomes per-interpreter ([`crate::analysis::classify`]).
pub fn find_with_process_wide<'t>(
    tree: &'t Tree,
    source: &[u8],
    queries: &Queries,
    options: &AnalysisOptions,
) -> (Vec<Candidate<'t>>, ObjectTypes, Vec<Candidate<'t>>) {
    let q = &queries.declarations;
    let mut typedefs: HashMap<&str, PointerTypedef> = HEADER_POINTER_TYPEDEFS
        .iter()
        .map(|&name| (name, PointerTypedef { object: false }))
        .chain(
            options
                .object_pointer_typedefs
                .iter()
                .map(|name| (name.as_str(), PointerTypedef { object: true })),
        )
        .collect();
    let mut declarators = Vec::new();
    // (name, target type, a single pointer level) of pointer typedefs, and
    // (name, type) of plain ones, decided once every struct is known.
    let mut pointer_typedefs: Vec<(&str, String, bool)> = Vec::new();
    let mut aliases: Vec<(String, String)> = Vec::new();
    // Object struct types defined in this file.
    let mut object_structs: HashSet<String> = HashSet::new();
    // Every struct type with a body (its name as `structs` spells it).
    let mut struct_bodies: Vec<(String, Node<'t>)> = Vec::new();
    // The unit's macro definitions, read once a struct's head needs them.
    let mut macros: Option<HashMap<String, Vec<String>>> = None;
    // The unit's null macros (`#define NIL ((PyObject *)0)`), read once a
    // static's initialiser needs them.
    let mut null_macros: Option<NullMacros> = None;
    // Array types by typedef name (`typedef PyObject *pair_t[2];`).
    let mut array_typedefs: HashMap<&str, ArrayTypedef<'t>> = HashMap::new();

    let mut cursor = QueryCursor::new();
    // Every match is rooted at a node that holds `static`, `typedef` or
    // `struct`; starting there saves walking the whole tree.
    cursor.set_max_start_depth(Some(0));
    for root in declaration_roots(tree, source) {
        let mut matches = cursor.matches(&q.query, root, source);
        while let Some(m) = matches.next() {
            let node = |index| crate::analysis::queries::captured(m, index);
            if let (Some(name), Some(body_node)) = (node(q.struct_name), node(q.struct_body)) {
                let body = body_head(body_node, source);
                let mut macro_ = |name: &str| macro_definitions(tree, source, &mut macros, name);
                let embeds_object = first_member_type(body)
                    .is_some_and(|t| options.is_object_type(&t) || object_structs.contains(&t));
                // `typedef struct { … } Name;` names it after its body,
                // `struct Name { … }` before (Node::parent would descend
                // from the root for each of nested structs).
                let is_typedef = name.start_byte() >= body_node.end_byte();
                let name = name.utf8_text(source).unwrap_or("");
                let name = if is_typedef {
                    name.to_owned()
                } else {
                    format!("struct {name}")
                };
                if embeds_object || is_object_struct_body(body, &mut macro_) {
                    object_structs.insert(name.clone());
                }
                struct_bodies.push((name, body_node));
            } else if let (Some(name), Some(target)) = (node(q.typedef_name), node(q.typedef_type))
            {
                // Only a single pointer level to an object type is an object pointer.
                let single = name
                    .parent()
                    .and_then(|p| p.child_by_field_name("declarator"))
                    .is_some_and(|d| d.kind() == "type_identifier");
                if let (Ok(name), Some(target)) =
                    (name.utf8_text(source), type_name(target, source))
                {
                    pointer_typedefs.push((name, target, single));
                }
            } else if let (Some(name), Some(target)) = (node(q.alias_name), node(q.alias_type)) {
                if target.child_by_field_name("body").is_none() {
                    if let (Ok(name), Ok(target)) =
                        (name.utf8_text(source), target.utf8_text(source))
                    {
                        aliases.push((name.to_owned(), squash(target)));
                    }
                }
            } else if let (Some(decl), Some(declarator)) = (node(q.declaration), node(q.declarator))
            {
                declarators.push((decl, declarator));
            } else if let (Some(base), Some(declarator)) =
                (node(q.array_type), node(q.array_declarator))
            {
                // `typedef PyObject *pair_t[2];`: kept only with an array
                // at the name (a pointer typedef is the pattern above's).
                if let Some(shape) = Shape::of(declarator, "type_identifier", source)
                    .filter(|shape| shape.array && !shape.const_pointer)
                {
                    if let Ok(name) = shape.name.utf8_text(source) {
                        // The first definition wins, as for the others.
                        array_typedefs.entry(name).or_insert(ArrayTypedef {
                            base,
                            base_name: squash(base.utf8_text(source).unwrap_or("")),
                            depth: shape.depth,
                            dimensions: shape.dimensions,
                        });
                    }
                }
            }
        }
    }

    // A typedef may name a struct whose body comes later in the unit
    // (`typedef struct _ctx CtxObject;` first): resolved once all are seen,
    // through chains of names, each name from its target's once (passes
    // over every alias until none changed were cubic in a chain written
    // backwards: 5,000 typedefs, 117 s).
    let mut by_target: HashMap<&str, Vec<&str>> = HashMap::new();
    for (name, target) in &aliases {
        by_target.entry(target).or_default().push(name);
    }
    let mut pending: Vec<String> = object_structs.iter().cloned().collect();
    for (name, target) in &aliases {
        if options.is_object_type(target) && object_structs.insert(name.clone()) {
            pending.push(name.clone());
        }
    }
    while let Some(object) = pending.pop() {
        for &name in by_target.get(object.as_str()).into_iter().flatten() {
            if object_structs.insert(name.to_owned()) {
                pending.push(name.to_owned());
            }
        }
    }
    for (name, target, single) in pointer_typedefs {
        let object =
            single && (options.is_object_type(&target) || object_structs.contains(&target));
        typedefs.insert(name, PointerTypedef { object });
    }
    let types = ObjectTypes {
        pointer_typedefs: typedefs
            .into_iter()
            .map(|(name, t)| (name.to_owned(), t))
            .collect(),
        structs: object_structs,
    };

    // The first body of each struct name, and the first target of each
    // typedef name, for the statics' types (a search of every struct for
    // each static was quadratic).
    let mut bodies: HashMap<&str, Node<'t>> = HashMap::new();
    for (name, body) in &struct_bodies {
        bodies.entry(name).or_insert(*body);
    }
    let mut alias_of: HashMap<&str, &str> = HashMap::new();
    for (name, target) in &aliases {
        alias_of.entry(name).or_insert(target);
    }
    let mut out = Vec::new();
    let mut process_wide = Vec::new();
    let global = file_scope_declarators(tree.root_node(), source);
    let every = declarators
        .into_iter()
        .map(|d| (d, false))
        .chain(global.into_iter().map(|d| (d, true)));
    for ((declaration, declarator), external) in every {
        let Some(shape) = Shape::of(declarator, "identifier", source) else {
            continue;
        };
        if shape.const_pointer {
            continue;
        }
        let Some(mut base) = declaration.child_by_field_name("type") else {
            continue;
        };
        let mut base_text = squash(base.utf8_text(source).unwrap_or(""));
        let mut depth = shape.depth;
        let mut dimensions = shape.dimensions;
        if !array_typedefs.is_empty() && !types.pointer_typedefs.contains_key(&base_text) {
            if let Some(element) = array_element(&base_text, &array_typedefs, &alias_of) {
                if depth > 0 {
                    continue; // a pointer to an array of them: no cache of its own
                }
                base = element.base;
                base_text = element.base_name;
                depth = element.depth;
                dimensions += element.dimensions;
            }
        }
        let array = dimensions > 0;
        if depth == 0 && !types.pointer_typedefs.contains_key(&base_text) {
            let body = match base.child_by_field_name("body") {
                Some(body) if base.kind() == "struct_specifier" => Some(body),
                _ => struct_body(&base_text, &bodies, &alias_of),
            };
            let anonymous =
                base.kind() == "struct_specifier" && base.child_by_field_name("name").is_none();
            let Some(body) = body else {
                continue;
            };
            let mut macro_ = |name: &str| macro_definitions(tree, source, &mut macros, name);
            if types.structs.contains(&base_text)
                || anonymous && is_object_struct_body(body_head(body, source), &mut macro_)
            {
                continue; // a static object: its members are the object's
            }
            let structs = StructTypes {
                bodies: &bodies,
                aliases: &alias_of,
                types: &types,
            };
            let fields = struct_fields(body, source, &structs, options, MAX_NESTED_STRUCTS, &mut {
                MAX_STRUCT_FIELDS
            });
            let mut members = Vec::new();
            for field in &fields {
                field.object_paths(&mut members);
            }
            if members.is_empty() {
                continue;
            }
            // Set in its initialiser: a constant, not a cache.
            let constant = shape
                .value
                .is_some_and(|value| !members_start_null(value, &fields, array, source));
            let mut type_name = if anonymous {
                "struct { … }".to_owned()
            } else {
                base_text
            };
            if array {
                type_name.push_str(&"[]".repeat(dimensions));
            }
            let found = Candidate {
                name: shape.name.utf8_text(source).unwrap_or("").to_owned(),
                name_node: shape.name,
                declaration,
                declarator,
                type_name,
                object: true,
                function: parse::enclosing_function(declaration),
                array,
                dimensions,
                members,
            };
            if external || constant {
                process_wide.push(found);
            } else {
                out.push(found);
            }
            continue;
        }
        // Set in its initialiser: a constant, not a cache.
        let constant = shape.value.is_some_and(|value| {
            !if array {
                all_null_elements(value, dimensions, source)
            } else {
                // `= NULL`, or the unit's own macro for it (`= NIL`).
                parse::is_null_constant(value, source)
                    || null_macros
                        .get_or_insert_with(|| NullMacros::new(tree.root_node(), source))
                        .is_constant(strip_parens(value))
            }
        });
        let Some(object) = types.is_object_pointer(&base_text, depth, options) else {
            continue;
        };
        if (external || constant) && !object {
            continue;
        }
        let mut type_name = String::new();
        for child in declaration.children(&mut declaration.walk()) {
            if child.kind() == "type_qualifier" {
                type_name.push_str(child.utf8_text(source).unwrap_or(""));
                type_name.push(' ');
            }
        }
        type_name.push_str(&base_text);
        if depth > 0 {
            type_name.push(' ');
            type_name.push_str(&"*".repeat(depth));
        }
        if array {
            // Only arrays of object pointers are caches of objects (one
            // pointer level to an object type, or an object pointer
            // typedef: `static obj_t names[2]`, as for a single pointer);
            // an array of other pointers is a table.
            if !object {
                continue;
            }
            type_name.push_str(&"[]".repeat(dimensions));
        }
        let found = Candidate {
            name: shape.name.utf8_text(source).unwrap_or("").to_owned(),
            name_node: shape.name,
            declaration,
            declarator,
            type_name,
            object,
            function: parse::enclosing_function(declaration),
            array,
            dimensions,
            members: Vec::new(),
        };
        if external || constant {
            process_wide.push(found);
        } else {
            out.push(found);
        }
    }
    (out, types, process_wide)
}

/// The (declaration, declarator) pairs of the variables declared at file
/// scope without `static` or `typedef` (also in `#if` branches and
/// `extern "C" { … }`): each has static storage and external linkage.
/// Functions' prototypes are among them (no [`Shape`] takes them).
fn file_scope_declarators<'t>(root: Node<'t>, source: &[u8]) -> Vec<(Node<'t>, Node<'t>)> {
    let mut out = Vec::new();
    let mut pending = vec![root];
    while let Some(node) = pending.pop() {
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            match child.kind() {
                "preproc_if" | "preproc_ifdef" | "preproc_else" | "preproc_elif"
                | "preproc_elifdef" | "declaration_list" => pending.push(child),
                "linkage_specification" => pending.extend(child.child_by_field_name("body")),
                "declaration" => {
                    let mut inner = child.walk();
                    let internal = child.children(&mut inner).any(|c| {
                        c.kind() == "storage_class_specifier"
                            && c.utf8_text(source).is_ok_and(|t| t == "static")
                    });
                    if internal {
                        continue;
                    }
                    let mut inner = child.walk();
                    out.extend(
                        child
                            .children_by_field_name("declarator", &mut inner)
                            .map(|d| (child, d)),
                    );
                }
                _ => {}
            }
        }
    }
    out.sort_by_key(|(_, d)| d.start_byte());
    out
}

/// The bodies of every definition of macro `name` in the tree (`#if`
/// branches may hold several), the tree's definitions read once into
/// `macros`.
fn macro_definitions(
    tree: &Tree,
    source: &[u8],
    macros: &mut Option<HashMap<String, Vec<String>>>,
    name: &str,
) -> Vec<String> {
    macros
        .get_or_insert_with(|| {
            let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
            for (name, body) in parse::macro_bodies(tree.root_node(), source) {
                by_name.entry(name).or_default().push(body);
            }
            by_name
        })
        .get(name)
        .cloned()
        .unwrap_or_default()
}

/// The body of the struct type `name` (`struct tag` or a typedef's name),
/// through typedefs of typedefs (at most 8).
fn struct_body<'t>(
    name: &str,
    bodies: &HashMap<&str, Node<'t>>,
    aliases: &HashMap<&str, &str>,
) -> Option<Node<'t>> {
    let mut name = name;
    for _ in 0..8 {
        if let Some(body) = bodies.get(name) {
            return Some(*body);
        }
        name = aliases.get(name)?;
    }
    None
}

/// A member of a struct body, as [`struct_fields`] reads it.
struct Field {
    /// Its name; empty for a declaration with no name of its own.
    name: String,
    /// Whether it holds Python objects: a pointer to one, an array of
    /// them, or a struct (or an array of structs) with such members.
    object: bool,
    /// Whether it is declared as an array (`*items[2]`, `rows[2]`).
    array: bool,
    /// For a member that is a struct by value (`struct { PyObject *a; }
    /// objs;`, `struct pair objs;`), its own members.
    nested: Vec<Field>,
}

impl Field {
    /// The paths of the object members below this one, dotted from it
    /// (`objs.a`), in declaration order: its own name for a pointer or an
    /// array of them.
    fn object_paths(&self, out: &mut Vec<String>) {
        if !self.object {
            return;
        }
        if self.nested.is_empty() {
            out.push(self.name.clone());
            return;
        }
        let mut below = Vec::new();
        for field in &self.nested {
            field.object_paths(&mut below);
        }
        out.extend(
            below
                .into_iter()
                .map(|path| format!("{}.{path}", self.name)),
        );
    }
}

/// The struct types of a unit that [`struct_fields`] reads: the first
/// body of each struct name, the first target of each typedef name, and
/// what the unit makes an object.
struct StructTypes<'a, 't> {
    bodies: &'a HashMap<&'a str, Node<'t>>,
    aliases: &'a HashMap<&'a str, &'a str>,
    types: &'a ObjectTypes,
}

/// The members of a struct body (a `field_declaration_list`), one per
/// declarator in declaration order, each with whether it holds Python
/// objects (one pointer level to an object type, an object pointer
/// typedef, an array of either, or a struct by value with such members,
/// read `levels` structs deep and, below the static's own members, while
/// `budget` member declarations last, so that structs of structs cannot
/// multiply the work). A
/// declaration with no declarator (an unnamed struct or union) counts as
/// one unnamed member.
fn struct_fields(
    body: Node,
    source: &[u8],
    structs: &StructTypes,
    options: &AnalysisOptions,
    levels: usize,
    budget: &mut usize,
) -> Vec<Field> {
    let mut fields = Vec::new();
    for field in body.named_children(&mut body.walk()) {
        if field.kind() != "field_declaration" {
            continue;
        }
        // The static's own members are all read; nested ones while the
        // budget lasts.
        if *budget == 0 && levels < MAX_NESTED_STRUCTS {
            break;
        }
        *budget = budget.saturating_sub(1);
        let type_node = field.child_by_field_name("type");
        let base = type_node
            .map(|t| squash(t.utf8_text(source).unwrap_or("")))
            .unwrap_or_default();
        let mut cursor = field.walk();
        let declarators: Vec<Node> = field
            .children_by_field_name("declarator", &mut cursor)
            .collect();
        if declarators.is_empty() {
            fields.push(Field {
                name: String::new(),
                object: false,
                array: false,
                nested: Vec::new(),
            });
        }
        for declarator in declarators {
            let mut node = declarator;
            let mut depth = 0;
            while node.kind() == "pointer_declarator" {
                depth += 1;
                match node.child_by_field_name("declarator") {
                    Some(inner) => node = inner,
                    None => break,
                }
            }
            // A member that is an array of object pointers (`PyObject
            // *items[2]`) holds objects as a pointer member does.
            let array = node.kind() == "array_declarator";
            while node.kind() == "array_declarator" {
                match node.child_by_field_name("declarator") {
                    Some(inner) => node = inner,
                    None => break,
                }
            }
            let name = match node.kind() {
                "field_identifier" => node.utf8_text(source).unwrap_or("").to_owned(),
                _ => String::new(),
            };
            // A struct held by value (`struct { PyObject *a; } objs;`)
            // holds the objects of its own members; an object struct held
            // by value is an object, whose members are its own.
            let nested = match type_node {
                Some(t) if depth == 0 && levels > 0 && *budget > 0 && !name.is_empty() => {
                    let body = match t.child_by_field_name("body") {
                        Some(body) if t.kind() == "struct_specifier" => Some(body),
                        _ if structs.types.pointer_typedefs.contains_key(&base) => None,
                        _ => struct_body(&base, structs.bodies, structs.aliases),
                    };
                    match body {
                        Some(body) if !structs.types.structs.contains(&base) => {
                            struct_fields(body, source, structs, options, levels - 1, budget)
                        }
                        _ => Vec::new(),
                    }
                }
                _ => Vec::new(),
            };
            let object = !name.is_empty()
                && if nested.is_empty() {
                    structs.types.is_object_pointer(&base, depth, options) == Some(true)
                } else {
                    nested.iter().any(|f| f.object)
                };
            fields.push(Field {
                name,
                object,
                array,
                nested,
            });
        }
    }
    fields
}

/// Whether a struct's initialiser (or, for an array, each element's)
/// leaves every object member NULL: positional values map to `fields` in
/// order, designated ones (`.cls = NULL`, `[2] = {…}`) by name. A value
/// that is not a brace list where a struct is expected cannot be mapped
/// and counts as not NULL.
fn members_start_null(value: Node, fields: &[Field], array: bool, source: &[u8]) -> bool {
    if value.kind() != "initializer_list" {
        return false;
    }
    let elements = value
        .named_children(&mut value.walk())
        .filter(|e| e.kind() != "comment")
        .collect::<Vec<_>>();
    if array {
        return elements.into_iter().all(|element| {
            let element = match element.kind() {
                "initializer_pair" => match element.child_by_field_name("value") {
                    Some(v) => v,
                    None => return false,
                },
                _ => element,
            };
            members_start_null(element, fields, false, source)
        });
    }
    let mut position = 0;
    for element in elements {
        let (index, value) = if element.kind() == "initializer_pair" {
            // `.cls = NULL`, or GNU's old `cls: NULL`.
            let designator = element
                .child_by_field_name("designator")
                .and_then(|d| match d.kind() {
                    "field_designator" => d.named_child(0),
                    "field_identifier" => Some(d),
                    _ => None,
                })
                .and_then(|d| d.utf8_text(source).ok());
            let Some(index) = designator.and_then(|d| fields.iter().position(|f| f.name == d))
            else {
                return false;
            };
            let Some(value) = element.child_by_field_name("value") else {
                return false;
            };
            (index, value)
        } else {
            (position, element)
        };
        position = index + 1;
        let Some(field) = fields.get(index).filter(|f| f.object) else {
            continue;
        };
        // An array member's brace list of NULLs (`{{NULL, NULL}}`) leaves
        // it NULL too (at most 8 dimensions are read); a struct member's
        // brace list, its object members NULL (`{0, {NULL, NULL}}`).
        let null = parse::is_null_constant(value, source)
            || all_null_elements(value, 8, source)
            || !field.nested.is_empty()
                && members_start_null(value, &field.nested, field.array, source);
        if !null {
            return false;
        }
    }
    true
}

/// The nodes where a match of the declarations query can start: the
/// `declaration` of each `static` (keyword, storage class, declaration), and
/// the parent of each `typedef` and `struct`, each once, in document order.
fn declaration_roots<'t>(tree: &'t Tree, source: &[u8]) -> Vec<Node<'t>> {
    let mut seen = HashSet::new();
    parse::keyword_tokens(tree.root_node(), source, &["static", "typedef", "struct"])
        .into_iter()
        .filter_map(|k| match k.token.kind() {
            "static" => k
                .parent
                .filter(|p| p.kind() == "storage_class_specifier")
                .and(k.grandparent),
            _ => k.parent,
        })
        .filter(|root| seen.insert(root.node_id()))
        .collect()
}

/// An array type that a typedef names (`typedef PyObject *pair_t[2];`):
/// a static declared with it is an array of its elements.
struct ArrayTypedef<'t> {
    /// The typedef's type node, the elements' base type (`PyObject`).
    base: Node<'t>,
    /// Its text, blanks collapsed.
    base_name: String,
    /// The pointer levels of its declarator (1 for `*pair_t[2]`).
    depth: usize,
    /// Its dimensions (1 for `pair_t[2]`).
    dimensions: usize,
}

/// How many typedefs deep [`array_element`] follows a type name.
const MAX_TYPEDEFS: usize = 8;

/// The elements of the array type that the type name `name` denotes,
/// through typedefs of array types (`typedef pair_t quad_t[2];`, the
/// dimensions added up, outer first) and plain typedefs of them
/// (`typedef pair_t pair2_t;`, by `aliases`), at most
/// [`MAX_TYPEDEFS`] names deep: the element type's node, its pointer
/// levels and the dimensions in all. An array typedef of pointers ends
/// the walk (what it points to is no array of the static's). `None` when
/// `name` names no array type.
fn array_element<'t>(
    name: &str,
    array_typedefs: &HashMap<&str, ArrayTypedef<'t>>,
    aliases: &HashMap<&str, &str>,
) -> Option<ArrayTypedef<'t>> {
    let mut name = name.to_owned();
    let mut element: Option<ArrayTypedef<'t>> = None;
    for _ in 0..MAX_TYPEDEFS {
        if let Some(typedef) = array_typedefs.get(name.as_str()) {
            let dimensions = element.as_ref().map_or(0, |e| e.dimensions) + typedef.dimensions;
            element = Some(ArrayTypedef {
                base: typedef.base,
                base_name: typedef.base_name.clone(),
                depth: typedef.depth,
                dimensions,
            });
            if typedef.depth > 0 {
                break;
            }
            name.clone_from(&typedef.base_name);
        } else if let Some(target) = aliases.get(name.as_str()) {
            name = (*target).to_owned();
        } else {
            break;
        }
    }
    element
}

/// A declarator taken apart: `*const *name = value`, or `*name[N] = {…}`.
struct Shape<'t> {
    name: Node<'t>,
    depth: usize,
    const_pointer: bool,
    value: Option<Node<'t>>,
    /// Array levels right at the name (`*name[N]`, `*name[N][M]`).
    array: bool,
    /// How many (`name[N][M]` has 2); 0 for no array.
    dimensions: usize,
}

impl<'t> Shape<'t> {
    /// `declarator` taken apart down to its name, a node of kind `name`
    /// (`identifier` for a variable, `type_identifier` for a typedef);
    /// `None` for a function, a function pointer or a pointer to an array.
    fn of(declarator: Node<'t>, name: &str, source: &[u8]) -> Option<Shape<'t>> {
        let mut node = declarator;
        let mut value = None;
        if node.kind() == "init_declarator" {
            value = node.child_by_field_name("value");
            node = node.child_by_field_name("declarator")?;
        }
        let mut depth = 0;
        let mut const_pointer = false;
        let mut dimensions = 0;
        loop {
            match node.kind() {
                kind if kind == name => break,
                // `*name[N]`, `*name[N][M]`: an array of pointers (its
                // dimensions at the name, under the pointer levels; the
                // outermost declarator is the last dimension).
                "array_declarator" if dimensions == 0 => {
                    while node.kind() == "array_declarator" {
                        dimensions += 1;
                        node = inside_parentheses(node.child_by_field_name("declarator")?)?;
                    }
                    if node.kind() != name {
                        return None; // `(*name)[N]`: a pointer to an array
                    }
                }
                // `*(name[N])`: parentheses that change nothing, around an
                // array (whose fix is display-only; the rewrite of a
                // single pointer expects no parentheses at its name).
                "parenthesized_declarator"
                    if inside_parentheses(node)?.kind() == "array_declarator" =>
                {
                    node = inside_parentheses(node)?;
                }
                "pointer_declarator" => {
                    depth += 1;
                    // The level nearest the name is the variable's own: only
                    // its `const` makes the variable unassignable.
                    const_pointer = node.children(&mut node.walk()).any(|child| {
                        child.kind() == "type_qualifier"
                            && child.utf8_text(source).is_ok_and(|t| t == "const")
                    });
                    node = node.child_by_field_name("declarator")?;
                }
                // Arrays, functions, function pointers: tables and code, not caches.
                _ => return None,
            }
        }
        Some(Shape {
            name: node,
            depth,
            const_pointer,
            value,
            array: dimensions > 0,
            dimensions,
        })
    }
}

/// The declarator inside a `parenthesized_declarator` (through nested
/// ones), or `declarator` itself.
fn inside_parentheses(declarator: Node) -> Option<Node> {
    let mut node = declarator;
    while node.kind() == "parenthesized_declarator" {
        node = node
            .named_children(&mut node.walk())
            .find(|c| c.kind() != "comment")?;
    }
    Some(node)
}

/// Whether an array's initialiser leaves every element NULL: `{NULL}`,
/// `{0}`, `{}`, `{NULL, NULL}`, `{[0] = NULL}`, and for an array of
/// `dimensions` > 1 rows of those (`{{NULL}, {0, 0}}`), one brace level per
/// dimension at most. A work list, not recursion: a declarator may have
/// tens of thousands of dimensions with as many brace levels (30,000
/// overflowed the stack when this recursed once per dimension).
fn all_null_elements(value: Node, dimensions: usize, source: &[u8]) -> bool {
    if value.kind() != "initializer_list" {
        return false;
    }
    let mut pending = vec![(value, dimensions)];
    while let Some((list, dimensions)) = pending.pop() {
        let mut cursor = list.walk();
        for element in list.named_children(&mut cursor) {
            let element = match element.kind() {
                "comment" => continue,
                // `[0] = NULL`
                "initializer_pair" => match element.child_by_field_name("value") {
                    Some(value) => value,
                    None => return false,
                },
                _ => element,
            };
            if parse::is_null_constant(element, source) {
                continue;
            }
            if dimensions > 1 && element.kind() == "initializer_list" {
                pending.push((element, dimensions - 1));
                continue;
            }
            return false;
        }
    }
    true
}

/// Collapses runs of whitespace so `struct   foo` reads `struct foo`:
/// how a declaration's type text is compared with the type tables.
/// The name, as `object_structs` spells it, of the type that a typedef's
/// `type` node gives (`PyObject`, `struct ctx`): for a specifier with a
/// body, `struct CanvasObject` of `typedef struct CanvasObject { … }
/// CanvasObject, *CanvasPtr;`, or for an anonymous one the typedef's own
/// plain name (`X` of `typedef struct { … } X, *XPtr;`), or else its text.
fn type_name(target: Node, source: &[u8]) -> Option<String> {
    if target.child_by_field_name("body").is_none() {
        return target.utf8_text(source).ok().map(squash);
    }
    if let Some(tag) = target.child_by_field_name("name") {
        let keyword = target.child(0)?.utf8_text(source).ok()?;
        return Some(format!("{keyword} {}", tag.utf8_text(source).ok()?));
    }
    let definition = target.parent()?;
    let mut cursor = definition.walk();
    let plain = definition
        .children_by_field_name("declarator", &mut cursor)
        .find(|d| d.kind() == "type_identifier");
    match plain {
        Some(plain) => plain.utf8_text(source).ok().map(str::to_owned),
        // `typedef struct { … } *P;`: no name to look up; the text stands
        // for the type (no object struct has it: a raw pointer, as before
        // names were looked up).
        None => target.utf8_text(source).ok().map(squash),
    }
}

pub fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_struct_embedding_an_object_first_names_its_type() {
        assert_eq!(
            first_member_type("{ FrameObject base; double scale; }").as_deref(),
            Some("FrameObject")
        );
        assert_eq!(
            first_member_type("{\n  struct frame  head;\n}").as_deref(),
            Some("struct frame")
        );
        assert_eq!(
            first_member_type("{\n  /* the base */ PyBaseExceptionObject base; }").as_deref(),
            Some("PyBaseExceptionObject")
        );
        assert_eq!(first_member_type("{ FrameObject *base; }"), None);
        assert_eq!(first_member_type("{ int flags : 3; }"), None);
        assert_eq!(first_member_type("{ }"), None);
    }

    /// A struct body's head is what the first-member readers read of the
    /// whole body: the same verdicts on bodies with comments that hold `;`
    /// and `{`, directive lines, CRLF, Unicode blanks, nested structs, and
    /// no member at all; and a nested body's head stops at the inner `{`.
    #[test]
    fn a_struct_body_head_reads_as_the_whole_body() {
        let macros = |name: &str| match name {
            "NODE_HEAD" => vec!["PyObject_HEAD struct node_s *parent;".to_owned()],
            _ => Vec::new(),
        };
        let bodies = [
            "{ PyObject_HEAD int x; }",
            "{\r\n  /* a; { b */ PyObject_HEAD\r\n  int x;\r\n}",
            "{ // one; {\n#if A /* ; */\n FrameObject base;\n#endif\n}",
            "{\u{a0}\u{2003}NODE_HEAD double d; }",
            "{ struct inner { PyObject_HEAD } in; int y; }",
            "{ /* unterminated ; }",
            "{ }",
            "{{ PyObject_HEAD }}",
            "{ PyObject *p; }",
            "{ \u{e9}t\u{e9} x; }",
        ];
        for text in bodies {
            let src = format!("struct s {text};\n");
            let mut parser = parse::new_parser();
            let tree = parse::parse(&mut parser, src.as_bytes()).unwrap();
            let body = parse::descendants(tree.root_node())
                .find(|n| n.kind() == "field_declaration_list")
                .unwrap();
            let whole = body.utf8_text(src.as_bytes()).unwrap();
            let head = body_head(body, src.as_bytes());
            assert!(whole.starts_with(head), "{text:?}: {head:?}");
            assert_eq!(
                first_member_type(head),
                first_member_type(whole),
                "{text:?}"
            );
            assert_eq!(
                is_object_struct_body(head, &mut { macros }),
                is_object_struct_body(whole, &mut { macros }),
                "{text:?}"
            );
        }
        let nested = "struct a { struct b { struct c { int x; } c; } b; };";
        let mut parser = parse::new_parser();
        let tree = parse::parse(&mut parser, nested.as_bytes()).unwrap();
        let outer = parse::descendants(tree.root_node())
            .find(|n| n.kind() == "field_declaration_list")
            .unwrap();
        assert_eq!(body_head(outer, nested.as_bytes()), "{ struct b {");
    }

    #[test]
    fn an_object_head_after_comments_or_through_macros_makes_an_object() {
        let macros = |name: &str| match name {
            "NODE_HEAD" => vec!["PyObject_HEAD struct node_s *parent;".to_owned()],
            "LEAF_HEAD" => vec!["/* base */ NODE_HEAD int depth;".to_owned()],
            "TOKEN_HEAD" => vec!["int magic;".to_owned(), "PyObject_HEAD".to_owned()],
            "LOOP" => vec!["LOOP".to_owned()],
            _ => Vec::new(),
        };
        let object = |body: &str| is_object_struct_body(body, &mut { macros });
        assert!(object("{ PyObject_HEAD int x; }"));
        assert!(object(
            "{\n    /* the object header */\n    PyObject_HEAD\n}"
        ));
        assert!(object(
            "{ // common header\n PyException_HEAD PyObject *code; }"
        ));
        assert!(object("{ PyVarObject ob_base; }"));
        assert!(object("{ NODE_HEAD int kind; }"));
        assert!(object("{ LEAF_HEAD }"));
        assert!(object("{ TOKEN_HEAD int kind; }"));
        assert!(!object("{ PyObject_HEADER x; }"));
        assert!(!object("{ LOOP int x; }"));
        assert!(!object("{ int x; /* PyObject_HEAD */ }"));
        assert!(!object("{ PyObject *first; }"));
    }
}
