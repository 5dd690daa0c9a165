//! Which of a macro's definitions some Python 3 build compiles: a
//! definition in a branch that every Python this runtime serves (3.8 to
//! 3.15) switches off, such as the `#else` of `#if PY_MAJOR_VERSION >= 3`,
//! is not one of the macro's meanings. The conditions are read with the
//! preprocessor's own evaluator ([`cond::evaluate`]), Python's version
//! macros set for each minor version in turn; a name of the unit that is
//! defined once, where every such build defines it (`#define IS_PY3K`
//! under `#if PY_MAJOR_VERSION >= 3`, `#define PY3 (PY_MAJOR_VERSION >=
//! 3)`), stands for its definition; any other name is unknown, so a branch
//! that rests on it counts as compiled.

use std::collections::HashMap;

use crate::scan::cond::{self, Macro, Truth};

/// The minor versions of Python 3 the runtime serves.
const MINORS: std::ops::RangeInclusive<u32> = 8..=15;

/// How many definitions of one name are read: each costs a read of the
/// text before it.
pub(super) const MAX_DEFINITIONS: usize = 8;

/// How many definitions of a unit are read (a hostile file defines
/// thousands of names twice); the rest count as compiled.
pub(super) const MAX_READS: usize = 256;

/// One `#define` of the unit: where it starts (a byte of the unit's text)
/// and its replacement text, for the names the conditions use.
pub(super) struct Define<'b> {
    pub(super) start: usize,
    pub(super) body: &'b str,
}

/// Whether some Python 3 build compiles the byte at `offset` of `bytes`:
/// for some minor version, no `#if` around it is false. `defines` holds
/// every definition of the unit by name, for the names a condition uses.
pub(super) fn compiled_by_python3(
    bytes: &[u8],
    offset: usize,
    defines: &HashMap<&str, Vec<Define>>,
) -> bool {
    let conditions = cond::enclosing_conditions(bytes, offset);
    if conditions.is_empty() {
        return true;
    }
    MINORS.into_iter().any(|minor| {
        let lookup = |name: &str| lookup(bytes, defines, minor, name);
        conditions
            .iter()
            .all(|c| cond::evaluate(c.as_bytes(), &lookup) != Truth::False)
    })
}

/// Whether every Python 3 build that compiles the definition of `name`
/// at byte `start` also surely compiles an `#undef name` after it and may
/// compile a later definition (C11 6.10.3.5: `#undef` ends a macro's
/// definition): the compatibility header's Python 2 default `#define
/// TEXT_FROM(s) PyString_FromString(s)` undefined and defined again under
/// `#if PY_MAJOR_VERSION >= 3` is none of the macro's meanings. An
/// `#undef` counts only when the text between the definition and it does
/// not name the macro (a use there would take the first definition), and
/// only when its conditions are true for the build, not unknown (`#ifdef
/// Py_DEBUG`). `undefs` holds the starts of the unit's `#undef name`
/// lines.
pub(super) fn ended_for_python3(
    bytes: &[u8],
    start: usize,
    name: &str,
    undefs: &[usize],
    defines: &HashMap<&str, Vec<Define>>,
) -> bool {
    // The definition's logical line ends at a line end no `\` continues.
    let mut end = start;
    while let Some(i) = memchr::memchr(b'\n', &bytes[end..]) {
        end += i + 1;
        if !bytes[..end - 1].trim_ascii_end().ends_with(b"\\") {
            break;
        }
    }
    let undefs: Vec<(usize, Vec<String>)> = undefs
        .iter()
        .filter(|&&u| u >= end)
        .take_while(|&&u| {
            let between = std::str::from_utf8(&bytes[end..u]).unwrap_or("");
            crate::analysis::parse::word_ends(between, name)
                .next()
                .is_none()
        })
        .map(|&u| (u, cond::enclosing_conditions(bytes, u)))
        .collect();
    if undefs.is_empty() {
        return false;
    }
    let later: Vec<(usize, Vec<String>)> = defines
        .get(name)
        .into_iter()
        .flatten()
        .filter(|d| d.start > undefs[0].0)
        .map(|d| (d.start, cond::enclosing_conditions(bytes, d.start)))
        .collect();
    let conditions = cond::enclosing_conditions(bytes, start);
    MINORS.into_iter().all(|minor| {
        let lookup = |name: &str| lookup(bytes, defines, minor, name);
        let holds = |cs: &[String], truth: fn(Truth) -> bool| {
            cs.iter()
                .all(|c| truth(cond::evaluate(c.as_bytes(), &lookup)))
        };
        if !holds(&conditions, |t| t != Truth::False) {
            return true;
        }
        undefs.iter().any(|(u, cs)| {
            holds(cs, |t| t == Truth::True)
                && later
                    .iter()
                    .any(|(d, cs)| d > u && holds(cs, |t| t != Truth::False))
        })
    })
}

/// What `name` means for Python 3.`minor`.
fn lookup(bytes: &[u8], defines: &HashMap<&str, Vec<Define>>, minor: u32, name: &str) -> Macro {
    if let Some(value) = version(minor, name) {
        return value;
    }
    // Defined once in the unit, where every build of this minor compiles
    // it (its own conditions read with Python's version macros only).
    match defines.get(name).map(Vec::as_slice) {
        Some([define]) => {
            let conditions = cond::enclosing_conditions(bytes, define.start);
            let versions = |n: &str| version(minor, n).unwrap_or(Macro::Unknown);
            if conditions
                .iter()
                .all(|c| cond::evaluate(c.as_bytes(), &versions) == Truth::True)
            {
                Macro::Defined(define.body.to_owned())
            } else {
                Macro::Unknown
            }
        }
        _ => Macro::Unknown,
    }
}

/// Python's version macros for 3.`minor` (a final release).
fn version(minor: u32, name: &str) -> Option<Macro> {
    Some(match name {
        "PY_MAJOR_VERSION" => Macro::Defined("3".to_owned()),
        "PY_MINOR_VERSION" => Macro::Defined(minor.to_string()),
        "PY_VERSION_HEX" => Macro::Defined(format!("0x03{minor:02X}00F0")),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn live(text: &str, needle: &str) -> bool {
        let mut defines: HashMap<&str, Vec<Define>> = HashMap::new();
        for (at, line) in text.match_indices("#define ") {
            let rest = &text[at + line.len()..];
            let end = rest.find('\n').unwrap_or(rest.len());
            let mut words = rest[..end].splitn(2, ' ');
            let name = words.next().unwrap_or("");
            let body = words.next().unwrap_or("");
            defines
                .entry(name)
                .or_default()
                .push(Define { start: at, body });
        }
        let offset = text.find(needle).expect("the needle is in the text");
        compiled_by_python3(text.as_bytes(), offset, &defines)
    }

    #[test]
    fn a_python_2_branch_is_not_compiled() {
        let text = "#if PY_MAJOR_VERSION >= 3\nA3\n#else\nA2\n#endif\n";
        assert!(live(text, "A3"));
        assert!(!live(text, "A2"));
        assert!(!live("#if PY_MAJOR_VERSION < 3\nB\n#endif\n", "B"));
        assert!(!live("#if PY_MAJOR_VERSION == 2\nB\n#endif\n", "B"));
        assert!(!live("#if PY_VERSION_HEX < 0x03000000\nB\n#endif\n", "B"));
        // A later version's branch is compiled by some build.
        assert!(live("#if PY_VERSION_HEX >= 0x030D0000\nB\n#endif\n", "B"));
    }

    fn ended(text: &str, needle: &str) -> bool {
        let mut defines: HashMap<&str, Vec<Define>> = HashMap::new();
        for (at, line) in text.match_indices("#define ") {
            let rest = &text[at + line.len()..];
            let end = rest.find(['(', ' ', '\n']).unwrap_or(rest.len());
            defines.entry(&rest[..end]).or_default().push(Define {
                start: at,
                body: "",
            });
        }
        let undefs: Vec<usize> = text.match_indices("#undef F").map(|(at, _)| at).collect();
        let start = text.find(needle).expect("the needle is in the text");
        ended_for_python3(text.as_bytes(), start, "F", &undefs, &defines)
    }

    #[test]
    fn an_undef_that_every_python_3_build_compiles_ends_a_definition() {
        let py3 = "#define F(s) old(s)\n#if PY_MAJOR_VERSION >= 3\n#undef F\n#define F(s) new(s)\n#endif\n";
        assert!(ended(py3, "#define F(s) old"));
        assert!(!ended(py3, "#define F(s) new"));
        let plain = "#define F 1\n#undef F\n#define F 2\n";
        assert!(ended(plain, "#define F 1"));
        // A build flag may leave the first definition in place.
        let debug = "#define F 1\n#ifdef Py_DEBUG\n#undef F\n#define F 2\n#endif\n";
        assert!(!ended(debug, "#define F 1"));
        // Used before the #undef: that use takes the first definition.
        let used = "#define F 1\nint a = F;\n#undef F\n#define F 2\n";
        assert!(!ended(used, "#define F 1"));
        // Undefined at the end and never defined again (hygiene).
        assert!(!ended("#define F 1\nint a = F;\n#undef F\n", "#define F 1"));
        assert!(!ended("#define F 1\n#undef F\n", "#define F 1"));
    }

    #[test]
    fn a_name_the_unit_defines_from_the_version_counts() {
        let ifdef = "#if PY_MAJOR_VERSION >= 3\n#define IS_PY3K\n#endif\n\
                     #ifdef IS_PY3K\nA3\n#else\nA2\n#endif\n";
        assert!(live(ifdef, "A3"));
        assert!(!live(ifdef, "A2"));
        let value = "#define PY3 (PY_MAJOR_VERSION >= 3)\n#if !PY3\nA2\n#endif\n";
        assert!(!live(value, "A2"));
        // A name the build may define decides nothing.
        assert!(live("#ifdef IS_PY2\nA2\n#endif\n", "A2"));
        assert!(live("#ifndef Py_LIMITED_API\nA\n#else\nB\n#endif\n", "B"));
    }
}
