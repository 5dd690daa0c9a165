//! Checks on the source text of `src/`.
//!
//! The layout keeps the data flowing one way (see `src/lib.rs`): the import
//! cycles once removed stay removed, and the library knows nothing of the
//! command line.
//!
//! Every node kind and field name that the Rust code compares against must
//! exist in the tree-sitter-c grammar: a typo (`"if_statment"`) would
//! otherwise never match and fail silently, as `queries.rs` already guards
//! against for capture names.
//!
//! The strings are gathered from the source text itself: in every file of
//! `src/` that uses tree-sitter, each string literal that looks like a
//! grammar name (lower case, digits and `_`) must be a node kind, a field
//! name, a prefix of a node kind (`starts_with("preproc_")`), or one of the
//! few other words listed in [`NOT_GRAMMAR_NAMES`]. So a new literal is
//! checked without anyone having to register it, and a word that is not a
//! grammar name has to be listed here on purpose.

use std::path::{Path, PathBuf};

use tree_sitter::Language;

/// Lower-case literals of the tree-sitter files that are not grammar names.
const NOT_GRAMMAR_NAMES: &[&str] = &[
    // `#[cfg(target_os = "linux")]`: the fix applier's atomic exchange.
    "linux",
    // Capture names of the embedded queries (`queries.rs` checks those
    // against the queries when it compiles them).
    "address",
    "release",
    "storage",
    "write",
    // Conditional directives read from the lexer's directive tokens
    // (parse.rs: those inside an initializer list are read as blanks).
    "ifdef",
    "ifndef",
    "elif",
    "elifdef",
    "elifndef",
    "endif",
    // Words looked for inside C names: condition wrappers
    // (`likely(…)`, `__builtin_expect(…)`) and initialisation functions.
    "expect",
    "exec",
    "init",
    "likely",
    "setup",
    // The token a macro's argument is marked with before its expansion
    // is read (fix/ownership/increfs.rs, fix/kept.rs).
    "oncevar_the_value_",
    // The GCC attribute that makes a function run at unload or exit
    // (`__attribute__((destructor))`, fix/handoff.rs).
    "destructor",
    // GCC attributes whose first argument is a keyword, no variable
    // (`format(printf, 1, 2)`, analysis/scope.rs).
    "format",
    "mode",
    "access",
    // serde's spelling of enum variants in the JSON report.
    "lowercase",
    // Preprocessor directives read from a file's text (`#define`,
    // `#undef`; `#include`, the line the rewriter adds, in
    // parse/edited.rs).
    "define",
    "undef",
    "include",
    // Words of an identifier that names a lock (`PyMutex_Lock`,
    // `pthread_mutex_unlock`, `Py_BEGIN_CRITICAL_SECTION`): parse.rs does
    // not read a macro that takes one as a brace.
    "lock",
    "unlock",
    "mutex",
    "critical",
    // A token of a no-op macro expansion (`((void)0)`): claims.rs reads a
    // lock macro's other definitions as tokens.
    "void",
    // Words of teardown functions' names (`m_clear`, `xx_dealloc`, …).
    "cleanup",
    "clear",
    "dealloc",
    "destroy",
    "exit",
    "fini",
    "free",
    "teardown",
    "unload",
    "atexit",
    // A Python object's member that points to its type (`o->ob_type`):
    // a member read through it is the type's (classify's object_pointer).
    "ob_type",
    // MSVC's `__declspec(thread)`, read from a modifier's words
    // (parse::thread_storage).
    "thread",
    // C's exit hook registrars whose callbacks run with no interpreter
    // (fix/handoff.rs; `atexit` is listed above).
    "on_exit",
    "finalise",
    "finalize",
    "shutdown",
    // C library calls and struct sigaction members that install a signal
    // handler (thread_state.rs: a handler holds no thread state).
    "signal",
    "sigset",
    "bsd_signal",
    "sysv_signal",
    "sa_handler",
    "sa_sigaction",
    // C library calls that run a callback before they return (fix/handoff.rs:
    // a function handed to one runs where its caller does).
    "qsort_r",
    "bsearch",
    "lfind",
    "lsearch",
    "tsearch",
    "tfind",
    "tdelete",
    "twalk",
    "twalk_r",
    "tdestroy",
    "scandir",
    "ftw",
    "nftw",
    "glob",
    // C's integer types, read from a function's return type (ownership's
    // exits.rs: a negative return of an int function is its error).
    "int",
    "char",
    "ssize_t",
    // C library functions that synchronise (`claims.rs`): lock calls and
    // once-callback runners.
    "call_once",
    "pthread_mutex_lock",
    "pthread_mutex_unlock",
    "pthread_once",
    "pthread_mutex_init",
    // C library types whose variables are locks or once flags, not state a
    // module shares by mistake (`state.rs`), and `atomic` looked for in the
    // names of calls that write atomically.
    "mtx_t",
    "once_flag",
    "pthread_key_t",
    "pthread_mutex_t",
    "pthread_once_t",
    "pthread_rwlock_t",
    "atomic",
    // C library functions that write the buffer they get first (`state.rs`).
    "fgets",
    "memcpy",
    "memmove",
    "memset",
    "qsort",
    "read",
    "snprintf",
    "sprintf",
    "strcat",
    "strcpy",
    "strncat",
    "strncpy",
    "vsnprintf",
    "vsprintf",
];

fn language() -> Language {
    tree_sitter_c::LANGUAGE.into()
}

/// Every node kind of the grammar, named or not.
fn kinds(language: &Language) -> Vec<&str> {
    (0..language.node_kind_count() as u16)
        .filter_map(|id| language.node_kind_for_id(id))
        .collect()
}

/// Whether `word` is something the grammar knows: a node kind (named or
/// anonymous), a field name, or the prefix of a node kind.
fn is_grammar_name(language: &Language, kinds: &[&str], word: &str) -> bool {
    language.id_for_node_kind(word, true) != 0
        || language.id_for_node_kind(word, false) != 0
        || language.field_id_for_name(word).is_some()
        || (word.ends_with('_') && kinds.iter().any(|k| k.starts_with(word)))
}

/// The string literals of Rust source `text`, outside comments and
/// `#[cfg(test)]` modules, with the line each starts on.
fn string_literals(text: &str) -> Vec<(usize, String)> {
    let code = text.split("#[cfg(test)]").next().unwrap_or(text);
    let bytes = code.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i += bytes[i..].iter().position(|&b| b == b'\n').unwrap_or(0) + 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += code[i..].find("*/").map_or(bytes.len(), |at| at + 2);
            }
            // A char literal ('"', '\'', '\n') or a lifetime ('a).
            b'\'' if bytes.get(i + 2) == Some(&b'\'') => i += 3,
            b'\'' if bytes.get(i + 1) == Some(&b'\\') => {
                i += 2 + bytes[i + 2..].iter().position(|&b| b == b'\'').unwrap_or(0) + 1;
            }
            b'r' if matches!(bytes.get(i + 1), Some(b'#' | b'"'))
                && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric() && bytes[i - 1] != b'_') =>
            {
                let hashes = bytes[i + 1..].iter().take_while(|&&b| b == b'#').count();
                let open = i + 1 + hashes;
                if bytes.get(open) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let close = format!("\"{}", "#".repeat(hashes));
                let end = code[open + 1..]
                    .find(&close)
                    .map_or(bytes.len(), |at| open + 1 + at);
                found.push((line_of(code, i), code[open + 1..end].to_owned()));
                i = end + close.len();
            }
            b'"' => {
                let mut end = i + 1;
                while end < bytes.len() && bytes[end] != b'"' {
                    end += if bytes[end] == b'\\' { 2 } else { 1 };
                }
                found.push((
                    line_of(code, i),
                    code[i + 1..end.min(bytes.len())].to_owned(),
                ));
                i = end + 1;
            }
            _ => i += 1,
        }
    }
    found
}

fn line_of(text: &str, at: usize) -> usize {
    text[..at].bytes().filter(|&b| b == b'\n').count() + 1
}

fn looks_like_a_grammar_name(literal: &str) -> bool {
    !literal.is_empty()
        && literal.starts_with(|c: char| c.is_ascii_lowercase())
        && literal
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `path:line: "word"` for every name-like literal that the grammar does
/// not know, in the files of `src/` that use tree-sitter.
fn unknown_names(language: &Language, allowed: &[&str]) -> Vec<String> {
    let kinds = kinds(language);
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    files.sort();
    let mut unknown = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        // Files whose code (tests aside) names tree-sitter, or its `Node`
        // through a parent module (`node: Node`, `Node<'t>`).
        let code = text.split("#[cfg(test)]").next().unwrap_or(&text);
        if !code.contains("tree_sitter") && !code.contains(": Node") && !code.contains("Node<") {
            continue;
        }
        for (line, literal) in string_literals(&text) {
            if looks_like_a_grammar_name(&literal)
                && !is_grammar_name(language, &kinds, &literal)
                && !allowed.contains(&literal.as_str())
            {
                unknown.push(format!("{}:{line}: \"{literal}\"", path.display()));
            }
        }
    }
    unknown
}

#[test]
fn every_node_kind_and_field_name_in_the_code_exists_in_the_grammar() {
    let unknown = unknown_names(&language(), NOT_GRAMMAR_NAMES);
    assert!(
        unknown.is_empty(),
        "not a node kind or field name of tree-sitter-c (a typo? if the word is \
         meant, list it in NOT_GRAMMAR_NAMES):\n{}",
        unknown.join("\n")
    );
}

#[test]
fn every_word_listed_as_not_a_grammar_name_is_used_and_is_not_one() {
    let language = language();
    let kinds = kinds(&language);
    for word in NOT_GRAMMAR_NAMES {
        assert!(
            !is_grammar_name(&language, &kinds, word),
            "{word} is a grammar name"
        );
    }
    let in_use = unknown_names(&language, &[]);
    for word in NOT_GRAMMAR_NAMES {
        assert!(
            in_use.iter().any(|u| u.ends_with(&format!(": \"{word}\""))),
            "{word} is listed in NOT_GRAMMAR_NAMES but no longer used: remove it"
        );
    }
}

#[test]
fn a_misspelt_kind_is_caught() {
    let language = language();
    let kinds = kinds(&language);
    let text = "fn f(n: Node) -> bool { n.kind() == \"if_statment\" || n.kind() == 'x' as _ }\n\
                // \"comment_word\"\n\
                fn g(n: Node) -> bool { n.child_by_field_name(\"condition\").is_some() \
                && n.kind().starts_with(\"preproc_\") && r#\"if_statement\"#.len() > 0 }\n";
    let literals = string_literals(text);
    let words: Vec<&str> = literals.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(
        words,
        ["if_statment", "condition", "preproc_", "if_statement"]
    );
    let unknown: Vec<&str> = words
        .into_iter()
        .filter(|w| !is_grammar_name(&language, &kinds, w))
        .collect();
    assert_eq!(unknown, ["if_statment"]);
}

/// `file: line` for each line of the files under `under` (a path prefix
/// such as `src/scan/`) that mentions one of `forbidden`.
fn mentions(under: &str, forbidden: &[&str]) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    files.sort();
    let mut found = Vec::new();
    for path in files {
        let name = path.to_string_lossy().replace('\\', "/");
        if !name.starts_with(under) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            if forbidden.iter().any(|f| line.contains(f)) {
                found.push(format!("{name}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn the_library_does_not_use_clap() {
    let found: Vec<String> = mentions("src/", &["clap::", "use clap"])
        .into_iter()
        .filter(|l| !l.starts_with("src/main.rs:") && !l.starts_with("src/cli.rs:"))
        .collect();
    assert!(
        found.is_empty(),
        "clap belongs to the binary:\n{}",
        found.join("\n")
    );
    let lib = std::fs::read_to_string("src/lib.rs").unwrap();
    assert!(!lib.contains("mod cli"), "cli.rs is the binary's module");
}

#[test]
fn earlier_stages_do_not_import_later_ones() {
    for (under, forbidden) in [
        (
            "src/scan/",
            &[
                "crate::analysis",
                "crate::fix",
                "crate::project",
                "crate::check",
                "crate::report",
            ][..],
        ),
        (
            "src/analysis/",
            &[
                "crate::fix",
                "crate::project",
                "crate::check",
                "crate::report",
            ][..],
        ),
        ("src/fix/", &["crate::check", "crate::report", "ScanReport"]),
        ("src/project/baseline.rs", &["crate::check", "ScanReport"]),
        ("src/options.rs", &["crate::"]),
    ] {
        let found = mentions(under, forbidden);
        assert!(
            found.is_empty(),
            "{under} imports a later stage:\n{}",
            found.join("\n")
        );
    }
}
