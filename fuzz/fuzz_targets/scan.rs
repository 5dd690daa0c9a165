//! Any bytes as a C file: the scan never panics, and the prefilter never
//! hides a file in which the analysis finds a site.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oncevar::analysis::{parse, queries::Queries};
use oncevar::scan::{prefilter, source::Source};

fuzz_target!(|data: &[u8]| {
    let Ok(source) = Source::from_bytes("x.c".into(), "x.c".into(), data.to_vec()) else {
        return; // binary: refused before parsing
    };
    let options = oncevar::check::ScanOptions::default().analysis;
    let queries = Queries::get().expect("bundled queries compile");
    let mut parser = parse::new_parser();
    let Ok(analysis) = oncevar::check::analyze_source(&mut parser, &source, queries, &options) else {
        return;
    };
    if !analysis.diagnostics.is_empty() {
        assert!(
            prefilter::may_hold_site(&source.bytes, &options),
            "the prefilter skipped a file with a site"
        );
    }
    for d in &analysis.diagnostics {
        for location in [&d.declarator, &d.declaration] {
            assert!(location.span.start <= location.span.end);
            assert!(location.span.end <= source.bytes.len());
            assert_eq!(source.position(location.span.start), location.start);
        }
    }
});
