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
            summary: true,
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
    // Array types: of pointers, of a pointer typedef, of such an array, a
    // plain typedef of one; an element written through the decayed name.
    "typedef PyObject *Pair[2];\nstatic Pair v;\nPyObject *f(void) {\n if (!v[0]) v[0] = g();\n return v[0];\n}\n",
    "typedef PyObject *Ref;\ntypedef Ref Pair[2];\nstatic Pair v;\nRef f(void) {\n if (!v[0]) v[0] = g();\n return v[0];\n}\n",
    "typedef PyObject *Ref;\ntypedef Ref Pair[2];\ntypedef Pair Grid[2];\nstatic Grid v;\n\
     Ref f(void) {\n if (!v[1][0]) v[1][0] = g();\n return v[1][0];\n}\n",
    "typedef PyObject *Ref;\ntypedef Ref Pair[2];\ntypedef Pair Same;\nstatic Same v;\n\
     Ref f(void) {\n if (!v[0]) v[0] = g();\n return v[0];\n}\n",
    "typedef PyObject *Ref;\ntypedef Ref Pair[2];\nstatic Pair v;\n\
     Ref f(void) {\n if (!*(v + 1)) *(v + 1) = g();\n return v[1];\n}\n",
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

/// Files out of shape, where tree-sitter repairs a stray token into a site
/// that a reading of the tokens misses: the three the `scan` fuzz target
/// found (`v(=`, a stray number before `static`, stray bytes in a
/// declarator list) and their kin. Each must be a site, and pass.
const OUT_OF_SHAPE_SITES: &[&str] = &[
    "static PyObject *v(= NULL;\nPyObject *f(void) {\n if (v == NULL) v = g();\n return v;\n}\n",
    "1static PointObject *parked_point;\nPyObject *f(void) {\n if (!parked_point) parked_point = g();\n return (PyObject *)parked_point;\n}\n",
    "static PyObject *a, @*b;\nPyObject *f(void) {\n if (b == NULL) b = g();\n return b;\n}\n",
    "static PyObject *a, ;*b;\nPyObject *f(void) {\n if (b == NULL) b = g();\n return b;\n}\n",
    "static; PyObject *v;\nPyObject *f(void) {\n if (!v) v = g();\n return v;\n}\n",
    "static PyObject *v;\nPyObject *f(void) {\n if (!v) v 1= g();\n return v;\n}\n",
    "static PyObject *v;\nPyObject *f(void) {\n if (!v) .v = g();\n return v;\n}\n",
    "typedef PyO=bject *Ref;\nstatic Ref v;\nRef f(void) {\n if (v == NULL) v = g();\n return v;\n}\n",
];

#[test]
fn sites_that_tree_sitter_repairs_pass_the_prefilter() {
    for text in OUT_OF_SHAPE_SITES {
        assert!(has_site(text), "not a site, the case is wrong:\n{text}");
        assert!(may(text), "the prefilter skips a repaired site:\n{text}");
    }
}

/// Well-formed files whose shape a token-pair test could misjudge: they
/// hold no written static pointer, so the prefilter must still skip them.
const WELL_FORMED_NOT_SITES: &[&str] = &[
    "#ifdef X\nint f(int a) {\n#else\nint f(int a, int b) {\n#endif\n for (;;) { a++; }\n}\n\
     static PyObject *unused;\n",
    "#ifdef __cplusplus\nextern \"C\" {\n#endif\nstatic PyObject *v;\n#ifdef __cplusplus\n}\n#endif\n",
    "static PyObject *v;\nS f(void) { return (S){.a = 1, .b = {.c = .5}}; }\n\
     static void *t[] = { &&x, &&y };\nint g(int n, ...) { asm(\"\" : : \"r\"(n)); return 0x1fUL + 1.5e-3f + 1'000; }\n",
];

#[test]
fn well_formed_files_are_not_taken_as_out_of_shape() {
    for text in WELL_FORMED_NOT_SITES {
        assert!(!has_site(text), "a site, the case is wrong:\n{text}");
        assert!(!may(text), "the prefilter keeps:\n{text}");
    }
}

/// Whatever one stray token does to a site, or a byte taken out of it, the
/// prefilter keeps the file whenever the analysis still finds a site: it
/// is never stricter than tree-sitter's repair. Every position of a few
/// sites of different shapes, every kind of token.
#[test]
fn one_token_more_or_one_byte_less_never_hides_a_site() {
    let seeds: &[&[u8]] = &[
        b"static PyObject *v = NULL;\nPyObject *f(void) {\n if (v == NULL) { v = g(); }\n return v;\n}\n",
        b"PyObject *f(void) {\n static PyObject *v;\n if (v == NULL && init(&v) < 0) return NULL;\n return v;\n}\n",
        b"typedef PyObject *Ref;\nstatic int n = 2, *a, *b;\nstatic Ref r;\nvoid f(void) {\n if (!r) r = g();\n}\n",
    ];
    let strays: &[&[u8]] = &[
        b"(", b")", b"{", b"}", b"[", b"]", b"#", b";", b",", b"=", b"*", b"\"", b"'", b"/",
        b"\xff", b"1", b"x", b":", b".", b"->", b"&", b"@", b"static", b"if",
    ];
    let queries = Queries::get().unwrap();
    let mut parser = parse::new_parser();
    let options = AnalysisOptions::default();
    let mut has_site = |bytes: &[u8]| {
        let Ok(source) = Source::from_bytes("t.c".into(), "t.c".into(), bytes.to_vec()) else {
            return false;
        };
        check::analyze_source(&mut parser, &source, queries, &options)
            .is_ok_and(|a| !a.diagnostics.is_empty())
    };
    let mut misses = Vec::new();
    let mut tried = 0;
    for seed in seeds {
        assert!(
            has_site(seed),
            "not a site: {}",
            String::from_utf8_lossy(seed)
        );
        for at in 0..=seed.len() {
            let mut variants = vec![[&seed[..at], &seed[(at + 1).min(seed.len())..]].concat()];
            for stray in strays {
                variants.push([&seed[..at], stray, &seed[at..]].concat());
            }
            for text in variants {
                tried += 1;
                if has_site(&text) && !prefilter::may_hold_site(&text, &options) {
                    misses.push(String::from_utf8_lossy(&text).into_owned());
                }
            }
        }
    }
    assert!(tried > 5000, "{tried} variants");
    assert!(
        misses.is_empty(),
        "{} of {tried} hidden, e.g.:\n{}",
        misses.len(),
        misses[..misses.len().min(5)].join("\n---\n")
    );
}
