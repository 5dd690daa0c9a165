//! The prefilter may only skip files that hold no site: scanning with it on
//! and off must give the same report. Checked over every fixture, and over
//! small files that each put one kind of site (or one lexical trap) where a
//! sloppy byte test would miss it.

use oncevar::analysis::parse;
use oncevar::analysis::queries::Queries;
use oncevar::check::{self, ScanOptions};
use oncevar::options::AnalysisOptions;
use oncevar::report::{self, ColorChoice, Format, RenderOptions};
use oncevar::scan::prefilter;
use oncevar::scan::source::Source;

fn json(path: &str, prefilter: bool, jobs: usize) -> String {
    let report = check::scan(&ScanOptions {
        paths: vec![path.into()],
        jobs,
        prefilter,
        ..ScanOptions::default()
    })
    .expect("scan runs");
    let mut out = Vec::new();
    report::emit(
        Format::Json,
        &mut out,
        &report,
        &RenderOptions {
            color: ColorChoice::Never,
            show_parse_errors: false,
        },
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn fixtures_report_the_same_with_and_without_the_prefilter() {
    for tree in ["testdata/cases", "testdata/demo"] {
        let full = json(tree, false, 1);
        assert!(full.contains("\"findings\""), "{tree}: no JSON report");
        assert_eq!(
            json(tree, true, 1),
            full,
            "{tree}: prefilter changed the report"
        );
        assert_eq!(json(tree, true, 2), full, "{tree}: thread count changed it");
    }
}

#[test]
fn the_prefilter_skips_some_fixtures() {
    let options = AnalysisOptions::default();
    let mut kept = 0;
    let mut skipped = 0;
    for entry in std::fs::read_dir("testdata/cases").unwrap() {
        for name in ["input.c", "input.h"] {
            let path = entry.as_ref().unwrap().path().join(name);
            if let Ok(bytes) = std::fs::read(&path) {
                if prefilter::may_hold_site(&bytes, &options) {
                    kept += 1;
                } else {
                    skipped += 1;
                }
            }
        }
    }
    assert!(kept > 0 && skipped > 0, "kept {kept}, skipped {skipped}");
}

/// Whether the full analysis (no prefilter) finds a site in `text`.
fn has_site(text: &str) -> bool {
    let queries = Queries::get().unwrap();
    let mut parser = parse::new_parser();
    let source = Source::from_bytes("t.c".into(), "t.c".into(), text.as_bytes().to_vec()).unwrap();
    let analysis =
        check::analyze_source(&mut parser, &source, queries, &AnalysisOptions::default()).unwrap();
    !analysis.diagnostics.is_empty()
}

fn may(text: &str) -> bool {
    prefilter::may_hold_site(text.as_bytes(), &AnalysisOptions::default())
}

/// Sites of every shape the analysis knows, and lexical traps around them.
const SITES: &[&str] = &[
    // Guarded assignment, NULL-initialised or not, at file or block scope.
    "static PyObject *v = NULL;\nPyObject *f(void) {\n if (v == NULL) { v = g(); }\n return v;\n}\n",
    "static PyObject *v;\nPyObject *f(void) {\n if (!v) v = g();\n return v;\n}\n",
    "PyObject *f(void) {\n static PyObject *v = 0;\n if (v == NULL) v = g();\n return v;\n}\n",
    // Initialised through its address, by Py_SETREF, by a file-local macro.
    "static PyObject *v;\nPyObject *f(void) {\n if (v == NULL && init(&v) < 0) return NULL;\n return v;\n}\n",
    "static PyObject *v;\nPyObject *f(void) {\n if (v == NULL) Py_SETREF(v, g());\n return v;\n}\n",
    "#define SET(dst, e) do { dst = (e); } while (0)\nstatic PyObject *v;\n\
     PyObject *f(void) {\n if (v == NULL) SET(v, g());\n return v;\n}\n",
    // A pointer to the static, a local copy.
    "static PyObject *v;\nPyObject *f(void) {\n PyObject **slot = &v;\n if (!*slot) *slot = g();\n return *slot;\n}\n",
    "static PyObject *v;\nPyObject *f(void) {\n PyObject *p = v;\n if (!p) { p = g(); v = p; }\n return p;\n}\n",
    // Pointer typedefs: of the file (before or after), of CPython's headers.
    "typedef PyObject *Ref;\nstatic Ref v;\nRef f(void) {\n if (v == NULL) v = g();\n return v;\n}\n",
    "static PyThread_type_lock lock;\nvoid f(void) {\n if (lock == NULL) lock = PyThread_allocate_lock();\n}\n",
    // One declaration, several declarators; a product in a neighbour's initialiser.
    "static int n = 2 * 3, *p;\nint *f(void) {\n if (p == NULL) p = malloc(n);\n return p;\n}\n",
    "static struct { int a; } *p;\nvoid *f(void) {\n if (!p) p = malloc(4);\n return p;\n}\n",
    // Split by directives, comments and line continuations.
    "#ifdef X\nstatic PyObject *v = NULL;\n#else\nstatic PyObject /* ; */ *v;\n#endif\n\
     PyObject *f(void) {\n if (v == NULL) v /* x */ \\\n = g();\n return v;\n}\n",
    // Unbalanced braces in `#if` branches; an apostrophe in an `#if 0` block.
    "#ifdef X\nPyObject *f(int a) {\n#else\nPyObject *f(int a, int b) {\n#endif\n static PyObject *v;\n if (!v) v = g();\n return v;\n}\n",
    "#if 0\ndon't\n#endif\nstatic PyObject *v;\nPyObject *f(void) {\n if (!v) v = g();\n return v;\n}\n",
    // `/*` in an include path is no comment.
    "#include <sys/*x.h>\nstatic PyObject *v;\nPyObject *f(void) {\n if (!v) v = g();\n return v; /* v */\n}\n",
    // A stray `#`, and set once in module init.
    "static PyObject # *v;\nPyObject *f(void) {\n if (!v) v = g();\n return v;\n}\n",
    "static PyObject *v;\nint module_exec(PyObject *m) {\n v = g();\n return 0;\n}\n",
];

/// Files without a site that the prefilter proves so.
const NOT_SITES: &[&str] = &[
    "int main(void) { return 0; }\n",
    "static const char *msg = \"hello\";\nconst char *f(void) { return msg; }\n",
    "static PyObject *v = NULL;\nvoid f(void) { Py_CLEAR(v); v = NULL; }\n",
    "static int n;\nvoid f(void) { if (!n) n = 1; }\n",
    "static PyObject *f(void);\nvoid g(void) { h(&f); }\n",
    "static PyObject *(*hook)(void);\nvoid g(void) { if (!hook) hook = h; }\n",
    "static int n = sizeof(long) * 8;\nvoid f(void) { if (!n) n = 2; }\n",
    "static PyObject *v;\nvoid f(S *s) { if (!s->v) s->v = g(); s[0].v = g(); }\n",
    "static char *const p = buf;\nvoid f(void) { if (!*p) *p = 1; }\n",
    "/* static PyObject *v; v = f(); */\nconst char *s = \"static PyObject *w; w = f();\";\n",
    "#define SET(dst, e) dst = (e)\nstatic PyObject *v;\nvoid f(void) { if (!v) SET(x, g()); use(v); }\n",
];

#[test]
fn every_kind_of_site_passes_the_prefilter() {
    for text in SITES {
        assert!(has_site(text), "not a site, the case is wrong:\n{text}");
        assert!(may(text), "the prefilter skips a site:\n{text}");
    }
}

#[test]
fn files_without_a_written_static_pointer_are_skipped() {
    for text in NOT_SITES {
        assert!(!has_site(text), "a site, the case is wrong:\n{text}");
        assert!(!may(text), "the prefilter keeps:\n{text}");
    }
}

#[test]
fn configured_pointer_typedefs_are_honoured() {
    let options = AnalysisOptions {
        object_pointer_typedefs: vec!["MyRef".to_owned()],
        ..AnalysisOptions::default()
    };
    let text = b"static MyRef r;\nvoid f(void) { if (!r) r = g(); }\n";
    assert!(prefilter::may_hold_site(text, &options));
    assert!(!prefilter::may_hold_site(text, &AnalysisOptions::default()));
}
