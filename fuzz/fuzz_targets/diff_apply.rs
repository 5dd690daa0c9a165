//! Any bytes as a C file with sites: every fix (safe and unsafe) that is
//! applied gives a diff that applies to the original bytes and yields
//! exactly the fixed file, and fixing the fixed file changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oncevar::analysis::{parse, queries::Queries};
use oncevar::fix::{apply, diff};
use oncevar::scan::source::Source;

fn fixed(parser: &mut tree_sitter::Parser, bytes: &[u8]) -> Option<Vec<u8>> {
    let source = Source::from_bytes("x.c".into(), "x.c".into(), bytes.to_vec()).ok()?;
    let options = oncevar::check::ScanOptions::default().analysis;
    let queries = Queries::get().expect("bundled queries compile");
    let analysis = oncevar::check::analyze_source(parser, &source, queries, &options).ok()?;
    // What `oncevar check --fix` applies to a file of its own: the safe
    // fixes' edits, sorted, each once (Edits).
    let threshold = apply::UnsafeFixes::Disabled.required_applicability();
    let edits: oncevar::diagnostic::Edits = analysis
        .diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| f.applies(threshold))
        .flat_map(|f| f.edits().iter().cloned())
        .collect();
    if edits.is_empty() {
        return None;
    }
    apply::fixed_text(parser, bytes, analysis.parse_errors.count, &edits).ok()
}

fuzz_target!(|data: &[u8]| {
    let mut parser = parse::new_parser();
    let Some(new) = fixed(&mut parser, data) else {
        return;
    };
    let mut patch = Vec::new();
    diff::write_unified(&mut patch, b"x.c", data, &new).expect("writing to a Vec");
    let applied = diff::apply_unified(data, &patch);
    assert!(
        applied.as_deref() == Some(&new[..]),
        "the diff does not apply:\n{}",
        String::from_utf8_lossy(&patch)
    );
    assert_eq!(fixed(&mut parser, &new), None, "the fix is not idempotent");
});
