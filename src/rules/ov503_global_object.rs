//! OV503: an object pointer with external linkage (`PyObject *Error;` at
//! file scope, without `static`).

use tree_sitter::Node;

use super::{PROCESS_WIDE, Labels, Matcher, Rule, Subject, ISOLATION};
use crate::analysis::audit::{Found, UnitFacts};
use crate::analysis::callgraph::{file_scope_items, has_storage};
use crate::analysis::parse;
use crate::diagnostic::{Code, Diagnostic, Severity};

/// The rule.
pub const RULE: Rule = Rule {
    code: Code::OV503,
    name: "global-object",
    summary: "Object pointer with external linkage, shared by every interpreter",
    severity: Severity::Warning,
    why: "A file-scope object pointer declared without `static` is one variable \
for the whole process, and any translation unit linked with this one may read \
or write it. Every interpreter that imports the module overwrites it or uses \
the object another interpreter stored (an exception class, a type, a cache), \
and an interpreter that finalises can leave it pointing to a freed object. \
Because other units can name it, oncevar cannot prove a rewrite from this \
unit alone.",
    example: r#"PyObject *SpamError;            /* no `static`: external linkage */
static int spam_exec(PyObject *m) {
    SpamError = PyErr_NewException("spam.error", NULL, NULL);
    ...
}"#,
    fix: r#"Not rewritten. Keep the object in the module state (PyModule_GetState) and pass the module, or its state, to the code of other units that uses it. If no other unit uses it, declare it `static`: `oncevar check` then reports it as a site, and fixes it where it can."#,
    message,
    help,
    matcher: Matcher::Module(find),
    blocks: PROCESS_WIDE,
    contradicts: ISOLATION,
    labels: Labels {
        primary: |d| format!("`{}` with external linkage declared here", d.type_name),
        guard: "",
        write: "assigned here",
        release: "",
    },
};

/// The file-scope definitions of object pointers without a storage class
/// (`extern` declarations are not definitions: the unit that defines the
/// variable reports it), with the unit's writes to them as evidence.
fn find<'t>(unit: &UnitFacts<'_, 't>) -> Vec<Found<'t>> {
    let bytes = unit.bytes;
    let mut out = Vec::new();
    for declaration in file_scope_items(unit.root) {
        if declaration.kind() != "declaration"
            || ["static", "extern", "register", "auto", "_Thread_local", "thread_local"]
                .iter()
                .any(|k| has_storage(declaration, bytes, k))
        {
            continue;
        }
        let Some(base) = declaration.child_by_field_name("type") else {
            continue;
        };
        let base_text = crate::analysis::candidates::squash(base.utf8_text(bytes).unwrap_or(""));
        let mut cursor = declaration.walk();
        for declarator in declaration.children_by_field_name("declarator", &mut cursor) {
            let Some((name, depth)) = object_declarator(declarator, bytes) else {
                continue;
            };
            if unit.types.is_object_pointer(&base_text, depth, unit.options) != Some(true) {
                continue;
            }
            let text = name.utf8_text(bytes).unwrap_or("").to_owned();
            let writes: Vec<Node<'t>> = unit
                .identifiers(&text)
                .into_iter()
                .filter(|n| parse::enclosing_function(*n).is_some())
                .filter_map(assignment_to)
                .collect();
            let mut type_name = base_text.clone();
            if depth > 0 {
                type_name.push(' ');
                type_name.push_str(&"*".repeat(depth));
            }
            out.push(Found {
                name: text,
                type_name,
                detail: String::new(),
                name_node: name,
                statement: declaration,
                evidence: writes,
                entries: Vec::new(),
            });
        }
    }
    out
}

/// The name and pointer depth of a declarator of a variable that can
/// hold an object pointer: `*name`, `*name = …`, `*name[N]` (an array of
/// them), or `name` (its type a pointer typedef). `None` for a function,
/// a function pointer, or a pointer that is itself `const`.
fn object_declarator<'t>(declarator: Node<'t>, bytes: &[u8]) -> Option<(Node<'t>, usize)> {
    let mut node = declarator;
    if node.kind() == "init_declarator" {
        node = node.child_by_field_name("declarator")?;
    }
    let mut depth = 0;
    loop {
        match node.kind() {
            "identifier" => return Some((node, depth)),
            "pointer_declarator" => {
                if depth == 0 {
                    let mut cursor = node.walk();
                    let constant = node.children(&mut cursor).any(|c| {
                        c.kind() == "type_qualifier" && c.utf8_text(bytes) == Ok("const")
                    });
                    if constant {
                        return None;
                    }
                }
                depth += 1;
                node = node.child_by_field_name("declarator")?;
            }
            // `*name[N]`: an array of pointers (the array is the variable).
            "array_declarator" => node = node.child_by_field_name("declarator")?,
            _ => return None,
        }
    }
}

/// The assignment whose left side is `name` (or an element of it).
fn assignment_to(name: Node) -> Option<Node> {
    // One descent from the root, however many parentheses and subscripts.
    let (node, above) = parse::climb(name, |parent, child| {
        matches!(
            parent.kind(),
            "parenthesized_expression" | "subscript_expression"
        ) && parent.named_child(0) == Some(child)
    });
    above.first().filter(|parent| {
        parent.kind() == "assignment_expression"
            && parent.child_by_field_name("left") == Some(node)
    })
}

fn message(s: &Subject) -> String {
    format!(
        "`{}` `{}` has external linkage: one variable for the whole process, which every \
         interpreter shares and other translation units may write",
        s.type_name, s.name
    )
}

fn help(_: &Diagnostic) -> String {
    "keep the object in the module state, or declare it `static` if no other unit uses it \
     (`oncevar rule OV503`)"
        .to_owned()
}
