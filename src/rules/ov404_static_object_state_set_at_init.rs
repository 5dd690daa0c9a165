//! OV404: Python objects kept in static storage that is no set-once
//! pointer (a member of a static struct, an element of a static table of
//! structs, a pointer with a non-NULL initialiser), written while the
//! module initialises.

use tree_sitter::Node;

use super::{Labels, Matcher, Rule, Subject, ISOLATION, PROCESS_WIDE};
use crate::analysis::audit::{Found, UnitFacts};
use crate::analysis::callgraph::{file_scope_items, has_storage};
use crate::analysis::candidates::Candidate;
use crate::analysis::state::{When, WriteKind};
use crate::diagnostic::{Code, Diagnostic, Severity};

/// The rule.
pub const RULE: Rule = Rule {
    code: Code::OV404,
    name: "static-object-state-set-at-init",
    summary: "Python objects kept in a static struct, table or initialised pointer, set while the module initialises",
    severity: Severity::Warning,
    why: "A static variable that holds Python objects is one for the whole \
process, whatever its shape: a struct kept in a static (the porting HOWTO's \
`static struct module_state _state;` with `#define GETSTATE(m) (&_state)`), \
a table of structs whose members receive exception classes, or a pointer that \
starts at `Py_None` and is replaced. Each interpreter's exec function \
overwrites the objects the first one stored (leaking them or freeing them \
under it), and every interpreter then uses objects another interpreter \
created: with a GIL per interpreter (PEP 684) that is a race on their \
reference counts. The set-once pointers (OV301) and the state written while \
the module runs (OV402) are their own rules.",
    example: r#"static struct { const char *name; PyObject *cls; } errors[] = {
    {"Busy", NULL}, {NULL, NULL},
};
static int spam_exec(PyObject *m) {
    for (int i = 0; errors[i].name; i++)
        errors[i].cls = PyErr_NewException(errors[i].name, NULL, NULL);
    ...
}"#,
    fix: r#"Not rewritten. Keep the objects in the module state (m_size, PyModule_GetState) and read them from the module a method gets (PyType_GetModuleByDef from a defining class); fill them in the exec function and release them in m_clear/m_free. A table of names can stay static: only the objects move."#,
    message,
    help,
    matcher: Matcher::Module(find),
    blocks: PROCESS_WIDE,
    contradicts: ISOLATION,
    labels: Labels {
        primary: |d| format!("`{}` with static storage declared here", d.type_name),
        guard: "",
        write: "written while the module initialises",
        release: "",
    },
};

/// How many struct definitions deep member types are followed (a struct
/// holding a struct holding an object pointer).
const MAX_NESTING: usize = 8;

/// Every variable with static storage that holds Python objects and that
/// code only a module's init reaches writes, where no other rule reports
/// it: not a site of the lazy or set-once rules, not written while the
/// module runs (OV402), and not an object pointer with external linkage
/// (OV503). It holds objects when it is an object pointer (or an array of
/// them) or a struct (or an array of structs) with an object pointer
/// member, directly or in a struct member; a write counts when it writes
/// such a member, the whole variable or an element, or hands its address
/// on (a call, a local pointer, a macro of the unit standing for `&v`).
fn find<'t>(unit: &UnitFacts<'_, 't>) -> Vec<Found<'t>> {
    let mut out = Vec::new();
    for state in unit.statics {
        if state.candidates.iter().any(|c| unit.sites.contains(&c.name_node.start_byte())) {
            continue;
        }
        let racing = state
            .writes
            .iter()
            .any(|w| matches!(w.when, When::RunTime | When::Exported) && !w.synchronised);
        if racing {
            continue; // OV402's
        }
        let Some(at) = definition(unit, &state.candidates) else {
            continue;
        };
        let pointer = at.type_name.ends_with('*');
        let holding = if pointer {
            let (base, depth) = split_type(&at.type_name);
            if unit.types.is_object_pointer(base, depth, unit.options) != Some(true) {
                continue;
            }
            // An object pointer with external linkage is OV503's.
            let external = at.function.is_none()
                && !has_storage(at.declaration, unit.bytes, "static")
                && !has_storage(at.declaration, unit.bytes, "extern");
            if external {
                continue;
            }
            None
        } else {
            let Some(base) = at.declaration.child_by_field_name("type") else {
                continue;
            };
            let members = object_members(unit, base, 0);
            if members.is_empty() {
                continue;
            }
            Some(members)
        };
        let writes: Vec<Node<'t>> = state
            .writes
            .iter()
            .filter(|w| w.when == When::Init)
            .filter(|w| match (&holding, &w.kind) {
                (Some(members), WriteKind::Assign | WriteKind::Update | WriteKind::Macro(_)) => {
                    written_member(w.node, unit.bytes)
                        .is_none_or(|m| members.contains(&m))
                }
                _ => true,
            })
            .map(|w| w.node)
            .collect();
        if writes.is_empty() {
            continue;
        }
        let detail = match &holding {
            Some(members) => format!(" (its member `{}` is an object pointer)", members[0]),
            None => String::new(),
        };
        out.push(Found {
            name: at.name.clone(),
            type_name: at.type_name.clone(),
            detail,
            name_node: at.name_node,
            statement: at.declaration,
            evidence: writes,
            entries: Vec::new(),
        });
    }
    out
}

/// The declaration a finding is reported at: the one with an initialiser,
/// else the first that is no `extern` declaration.
fn definition<'a, 't>(unit: &UnitFacts<'_, 't>, candidates: &'a [Candidate<'t>]) -> Option<&'a Candidate<'t>> {
    candidates
        .iter()
        .find(|c| c.declarator.kind() == "init_declarator")
        .or_else(|| candidates.iter().find(|c| !has_storage(c.declaration, unit.bytes, "extern")))
        .or_else(|| candidates.first())
}

/// `PyObject **` as (`PyObject`, 2).
fn split_type(type_name: &str) -> (&str, usize) {
    let base = type_name.trim_end_matches(['*', ' ']);
    (base, type_name[base.len()..].matches('*').count())
}

/// The members of the struct type `base` (a struct specifier with a body,
/// `struct name` defined in the unit, or a typedef of either) that hold
/// object pointers, directly or through a member struct (by the member's
/// name), in declaration order.
fn object_members(unit: &UnitFacts, base: Node, depth: usize) -> Vec<String> {
    if depth > MAX_NESTING {
        return Vec::new();
    }
    let Some(body) = struct_body(unit, base, depth) else {
        return Vec::new();
    };
    let bytes = unit.bytes;
    let mut out = Vec::new();
    let mut cursor = body.walk();
    for field in body.named_children(&mut cursor) {
        if field.kind() != "field_declaration" {
            continue;
        }
        let Some(field_type) = field.child_by_field_name("type") else {
            continue;
        };
        let type_text = crate::analysis::candidates::squash(field_type.utf8_text(bytes).unwrap_or(""));
        let mut fields = field.walk();
        for declarator in field.children_by_field_name("declarator", &mut fields) {
            let Some((name, pointers)) = field_shape(declarator) else {
                continue;
            };
            let holds = if pointers > 0 || unit.types.is_object_pointer(&type_text, 0, unit.options) == Some(true) {
                unit.types.is_object_pointer(&type_text, pointers, unit.options) == Some(true)
            } else {
                !object_members(unit, field_type, depth + 1).is_empty()
            };
            if holds {
                out.push(name.utf8_text(bytes).unwrap_or("").to_owned());
            }
        }
    }
    out
}

/// The field list of a struct type: its own body, or the body of the
/// definition of `struct name` or of a typedef name found at the unit's
/// file scope.
fn struct_body<'t>(unit: &UnitFacts<'_, 't>, base: Node<'t>, depth: usize) -> Option<Node<'t>> {
    if depth > MAX_NESTING {
        return None;
    }
    let bytes = unit.bytes;
    match base.kind() {
        "struct_specifier" => {
            if let Some(body) = base.child_by_field_name("body") {
                return Some(body);
            }
            let name = base.child_by_field_name("name")?.utf8_text(bytes).ok()?;
            file_scope_structs(unit.root)
                .into_iter()
                .find(|s| {
                    s.child_by_field_name("body").is_some()
                        && s.child_by_field_name("name").and_then(|n| n.utf8_text(bytes).ok()) == Some(name)
                })
                .and_then(|s| s.child_by_field_name("body"))
        }
        "type_identifier" => {
            let name = base.utf8_text(bytes).ok()?;
            let definition = file_scope_items(unit.root).into_iter().find(|item| {
                item.kind() == "type_definition"
                    && item
                        .children_by_field_name("declarator", &mut item.walk())
                        .any(|d| d.kind() == "type_identifier" && d.utf8_text(bytes) == Ok(name))
            })?;
            let aliased = definition.child_by_field_name("type")?;
            if aliased.kind() == "type_identifier" && aliased.utf8_text(bytes) == Ok(name) {
                return None;
            }
            struct_body(unit, aliased, depth + 1)
        }
        _ => None,
    }
}

/// The struct specifiers at the unit's file scope: alone (`struct s {…};`),
/// in a declaration or in a typedef.
fn file_scope_structs(root: Node) -> Vec<Node> {
    file_scope_items(root)
        .into_iter()
        .filter_map(|item| match item.kind() {
            "struct_specifier" => Some(item),
            "declaration" | "type_definition" => item
                .child_by_field_name("type")
                .filter(|t| t.kind() == "struct_specifier"),
            _ => None,
        })
        .collect()
}

/// A member declarator's name and pointer depth (an array of pointers
/// counts as the pointers); `None` for a function pointer or a bit field.
fn field_shape(declarator: Node) -> Option<(Node, usize)> {
    let mut node = declarator;
    let mut depth = 0;
    loop {
        match node.kind() {
            "field_identifier" => return Some((node, depth)),
            "pointer_declarator" => {
                depth += 1;
                node = node.child_by_field_name("declarator")?;
            }
            "array_declarator" => node = node.child_by_field_name("declarator")?,
            "attributed_declarator" => node = node.named_child(0)?,
            _ => return None,
        }
    }
}

/// The member of the variable that a write's target is in, the one named
/// right after the variable (`errors[i].cls = …` writes `cls`;
/// `Py_CLEAR(st.inner.error)` writes `inner`); `None` when it writes the
/// whole variable or an element of it.
fn written_member(write: Node, bytes: &[u8]) -> Option<String> {
    let target = match write.kind() {
        "assignment_expression" => write.child_by_field_name("left")?,
        "update_expression" => write.child_by_field_name("argument")?,
        "call_expression" => write.child_by_field_name("arguments")?.named_child(0)?,
        _ => return None,
    };
    let mut node = target;
    let mut member = None;
    loop {
        match node.kind() {
            "field_expression" => {
                member = node
                    .child_by_field_name("field")
                    .and_then(|f| f.utf8_text(bytes).ok())
                    .map(str::to_owned);
                node = node.child_by_field_name("argument")?;
            }
            "subscript_expression" => node = node.child_by_field_name("argument")?,
            "parenthesized_expression" => node = node.named_child(0)?,
            _ => return member,
        }
    }
}

fn message(s: &Subject) -> String {
    format!(
        "`{}` `{}` has static storage, holds Python objects{} and is written while the module \
         initialises: every interpreter's exec overwrites the objects the others use",
        s.type_name, s.name, s.detail
    )
}

fn help(_: &Diagnostic) -> String {
    "keep the objects in the module state (`oncevar rule OV404`)".to_owned()
}
