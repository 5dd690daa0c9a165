//! Safe means understood, also in code that does not parse: every fixture
//! input, broken in a fixed set of ways (a byte, a token, a line or a
//! bracket taken out), is scanned, and each fix it still calls safe must
//! apply without making the file parse worse (more ERROR or MISSING
//! nodes). A fix whose uses lie in or beside code that did not parse is a
//! guess, and must be unsafe instead. Deterministic: the same mutations on
//! every run, bounded in number.

use std::path::PathBuf;

use oncevar::analysis::{parse, queries::Queries};
use oncevar::check::{analyze_source, ScanOptions};
use oncevar::diagnostic::{Applicability, Edits};
use oncevar::fix::apply::{self, FixError};
use oncevar::scan::source::Source;

/// The single-file fixture inputs, sorted.
fn inputs() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("testdata/cases")
        .unwrap()
        .filter_map(|e| {
            let dir = e.unwrap().path();
            ["input.c", "input.h"]
                .iter()
                .map(|n| dir.join(n))
                .find(|p| p.is_file())
        })
        .collect();
    found.sort();
    found
}

/// Up to `count` broken copies of `bytes`, spread over the file: one byte
/// taken out, one `;`, `)` or `}` taken out, one line taken out.
fn mutations(bytes: &[u8], count: usize) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let step = (bytes.len() / count.max(1)).max(1);
    for (i, at) in (0..bytes.len()).step_by(step).enumerate() {
        let mut broken = bytes.to_vec();
        match i % 3 {
            0 => {
                broken.remove(at);
            }
            1 => {
                let Some(off) = bytes[at..].iter().position(|b| b";)}".contains(b)) else {
                    continue;
                };
                broken.remove(at + off);
            }
            _ => {
                let start = bytes[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1);
                let end = bytes[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |i| at + i + 1);
                broken.drain(start..end);
            }
        }
        out.push(broken);
    }
    out
}

#[test]
fn a_safe_fix_never_parses_worse_in_broken_code() {
    let queries = Queries::get().expect("bundled queries compile");
    let options = ScanOptions::default().analysis;
    let mut parser = parse::new_parser();
    let mut checked = 0;
    let mut worse: Vec<String> = Vec::new();
    for path in inputs() {
        let bytes = std::fs::read(&path).unwrap();
        for (n, broken) in mutations(&bytes, 24).into_iter().enumerate() {
            let source = Source::from_bytes("x.c".into(), "x.c".into(), broken.clone()).unwrap();
            let Ok(analysis) = analyze_source(&mut parser, &source, queries, &options) else {
                continue;
            };
            // As `--fix` applies them: every safe fix of the file at once.
            let together = Edits::new(
                analysis
                    .diagnostics
                    .iter()
                    .filter_map(|d| d.fix.as_ref())
                    .filter(|f| f.applicability == Applicability::Safe)
                    .flat_map(|f| f.edits().iter().cloned()),
            );
            if let Err(FixError::ParsesWorse { before, after }) = apply::fixed_text(
                &mut parser,
                &broken,
                analysis.parse_errors.counts(),
                &together,
            ) {
                worse.push(format!(
                    "{} mutation {n}: the safe fixes together ({before} -> {after} parse errors)",
                    path.display()
                ));
            }
            for d in &analysis.diagnostics {
                let Some(fix) = d.fix.as_ref() else { continue };
                if fix.applicability != Applicability::Safe {
                    continue;
                }
                checked += 1;
                let result = apply::fixed_text(
                    &mut parser,
                    &broken,
                    analysis.parse_errors.counts(),
                    fix.edits(),
                );
                if let Err(FixError::ParsesWorse { before, after }) = result {
                    worse.push(format!(
                        "{} mutation {n}: `{}` ({before} -> {after} parse errors)",
                        path.display(),
                        d.variable
                    ));
                }
            }
        }
    }
    assert!(checked > 100, "too few safe fixes to judge: {checked}");
    assert!(
        worse.is_empty(),
        "{} of {checked} safe fixes parse worse:\n{}",
        worse.len(),
        worse.join("\n")
    );
}

/// Two fixes, each of which parses no worse alone, that together make a
/// broken file parse worse (found by scripts/fuzz.sh on a mutated fixture:
/// `{` in place of ` ` opens a body that tree-sitter reads as a function
/// with a missing name, up to a `}` three functions on). They are unsafe:
/// `--fix` would have refused the file while the report called them safe.
#[test]
fn safe_fixes_that_parse_worse_together_are_unsafe() {
    let text = "static PyObject *local_orphan_cache = NULL;
static PyObject *inline_local_cache = NULL;
static PyObject{*read_by_method_cache = NULL;
static PyObject *inner_cache = NULL;
Py_LOCAL(PyObject *)
local_orphan(void)
{
    if (local_orphan_cache == NULL)
        local_orphan_cache = PyDict_New();
    return local_orphan_cache;
}
Py_LOCAL_INLINE(PyObject *)
inline_local(void)
{
    if (inline_local_cache == NULL)
        inline_local_cache = PyDict_New();
    return inline_local_cache;
}
int
ext_table_step(PyObject *m)
{
    if (ext_table_cache == NULL)  
        ext_table_cache = PyDict_New();
        if (ext_table_cache == NULL)
            return -1;
    }
    return PyModule_AddObjectRef(m, \"ext_table\", ext_table_cache);
}
";
    let queries = Queries::get().expect("bundled queries compile");
    let options = ScanOptions::default().analysis;
    let mut parser = parse::new_parser();
    let source = Source::from_bytes("x.c".into(), "x.c".into(), text.into()).unwrap();
    let analysis = analyze_source(&mut parser, &source, queries, &options).unwrap();
    let together = Edits::new(
        analysis
            .diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| f.applicability == Applicability::Safe)
            .flat_map(|f| f.edits().iter().cloned()),
    );
    let verdict = apply::fixed_text(
        &mut parser,
        text.as_bytes(),
        analysis.parse_errors.counts(),
        &together,
    );
    assert!(
        !matches!(verdict, Err(FixError::ParsesWorse { .. })),
        "{:#?}",
        analysis.diagnostics
    );
    for d in &analysis.diagnostics {
        let fix = d.fix.as_ref().expect("a fix");
        if d.variable == "local_orphan_cache" || d.variable == "inline_local_cache" {
            assert_eq!(fix.applicability, Applicability::Unsafe, "{d:#?}");
            assert!(fix.reason().unwrap().contains("together"), "{d:#?}");
        }
    }
}

/// A broken text's fixes are checked by parsing each edited text again
/// around its edits from the text's first tree
/// (`apply::parses_worse_quickly`), not whole: its verdict must be the
/// whole parse's (`apply::fixed_text`) for every fix, safe or not, of every
/// mutated fixture, and it must answer for most of them (a whole parse
/// per fix made a broken file with 1,000 sites take 92 s). Before that,
/// all the fixes of the text are parsed together once
/// (`apply::unchanged_quickly`): each fix it tells unchanged must be no
/// worse by the whole parse (a parse per fix is linear in the text's
/// top-level items: 4,000 sites 84 s).
#[test]
fn the_quick_parse_check_agrees_with_the_whole_parse() {
    let queries = Queries::get().expect("bundled queries compile");
    let options = ScanOptions::default().analysis;
    let mut parser = parse::new_parser();
    let (mut answered, mut passed, mut batched) = (0, 0, 0);
    let mut disagree: Vec<String> = Vec::new();
    for path in inputs() {
        let bytes = std::fs::read(&path).unwrap();
        for (n, broken) in mutations(&bytes, 8).into_iter().enumerate() {
            let source = Source::from_bytes("x.c".into(), "x.c".into(), broken.clone()).unwrap();
            let Ok(analysis) = analyze_source(&mut parser, &source, queries, &options) else {
                continue;
            };
            let before = analysis.parse_errors.counts();
            let tree = parse::parse(&mut parser, &broken).unwrap();
            let Some(text) = parse::BrokenText::new(&tree, &broken, before) else {
                continue;
            };
            // All the fixes parsed together, each judged from the regions
            // its edits touch: a fix told unchanged must be no worse.
            let fixes: Vec<&Edits> = analysis
                .diagnostics
                .iter()
                .filter_map(|d| d.fix.as_ref().map(|f| f.edits()))
                .collect();
            let unchanged = apply::unchanged_quickly(&mut parser, &text, &fixes);
            for (d, _) in analysis
                .diagnostics
                .iter()
                .filter(|d| d.fix.is_some())
                .zip(&unchanged)
                .filter(|(_, &u)| u)
            {
                batched += 1;
                let edits = d.fix.as_ref().unwrap().edits();
                let whole = apply::fixed_text(&mut parser, &broken, before, edits).map(drop);
                if let Err(FixError::ParsesWorse { before, after }) = whole {
                    disagree.push(format!(
                        "{} mutation {n}: `{}`: together unchanged, whole {before} -> {after}",
                        path.display(),
                        d.variable
                    ));
                }
            }
            for d in &analysis.diagnostics {
                let Some(fix) = d.fix.as_ref() else { continue };
                let Some(quick) =
                    apply::parses_worse_quickly(&mut parser, &text, before, fix.edits())
                else {
                    passed += 1;
                    continue;
                };
                answered += 1;
                let whole = apply::fixed_text(&mut parser, &broken, before, fix.edits()).map(drop);
                let worse = |v: &Result<(), FixError>| match v {
                    Err(FixError::ParsesWorse { before, after }) => Some((*before, *after)),
                    _ => None,
                };
                if worse(&quick) != worse(&whole) {
                    disagree.push(format!(
                        "{} mutation {n}: `{}`: quick {quick:?}, whole {whole:?}",
                        path.display(),
                        d.variable
                    ));
                }
            }
        }
    }
    println!(
        "{answered} fixes told quickly, {passed} left to a whole parse, {batched} told \
         unchanged together"
    );
    assert!(
        disagree.is_empty(),
        "{} of {answered} disagree:\n{}",
        disagree.len(),
        disagree.join("\n")
    );
    assert!(
        answered > 4 * passed && answered > 100,
        "answered {answered}, passed to a whole parse {passed}"
    );
}
