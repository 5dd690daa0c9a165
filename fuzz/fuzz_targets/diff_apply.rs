//! Any bytes as a C file with sites: fixed round after round as `--fix`
//! fixes (until a round changes nothing, at most
//! `oncevar::converge::MAX_ROUNDS`), the rounds settle, and the diff from
//! the original bytes to the last text applies to them and yields exactly
//! that text.
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
    apply::fixed_text(parser, bytes, analysis.parse_errors.counts(), &edits).ok()
}

fuzz_target!(|data: &[u8]| {
    let mut parser = parse::new_parser();
    let mut new = data.to_vec();
    let mut rounds = 0;
    while let Some(next) = fixed(&mut parser, &new) {
        rounds += 1;
        assert!(
            rounds <= oncevar::converge::MAX_ROUNDS,
            "the fixes do not settle in {} rounds",
            oncevar::converge::MAX_ROUNDS
        );
        new = next;
    }
    if rounds == 0 {
        return;
    }
    let mut patch = Vec::new();
    diff::write_unified(&mut patch, b"x.c", data, &new).expect("writing to a Vec");
    let applied = diff::apply_unified(data, &patch);
    assert!(
        applied.as_deref() == Some(&new[..]),
        "the diff does not apply:\n{}",
        String::from_utf8_lossy(&patch)
    );
});
