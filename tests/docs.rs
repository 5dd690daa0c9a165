//! The documentation's shape: the README stays short (what oncevar does,
//! install, the two fresh-clone commands, usage) with the rest in `docs/`
//! and `CONTRIBUTING.md`, every relative link between those pages reaches a
//! file (and a heading, for `#anchor` links), and CI runs the README's test
//! command, nothing less.

use std::path::{Path, PathBuf};

#[path = "support/readme.rs"]
mod readme;

/// The Markdown pages of the repository that link to one another.
fn pages() -> Vec<PathBuf> {
    let mut pages = vec![
        PathBuf::from("README.md"),
        PathBuf::from("CONTRIBUTING.md"),
        PathBuf::from("runtime/README.md"),
    ];
    let mut docs: Vec<PathBuf> = std::fs::read_dir("docs")
        .expect("a docs/ folder")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}

/// The targets of the inline links `[text](target)` of a Markdown page,
/// outside code blocks and code spans.
fn links(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        // Code spans hold no links: keep the text between them.
        let prose: String = line.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        let mut rest = prose.as_str();
        while let Some(at) = rest.find("](") {
            rest = &rest[at + 2..];
            let end = rest.find(')').unwrap_or(rest.len());
            found.push(rest[..end].to_owned());
            rest = &rest[end..];
        }
    }
    found
}

/// GitHub's anchor for a heading: lower case, spaces to hyphens, other
/// punctuation dropped.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn anchors(text: &str) -> Vec<String> {
    let mut fenced = false;
    let mut found = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced && line.starts_with('#') {
            found.push(slug(line.trim_start_matches('#')));
        }
    }
    found
}

#[test]
fn readme_is_at_most_300_lines() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let lines = readme.lines().count();
    assert!(
        lines <= 300,
        "README.md has {lines} lines: move reference material to docs/ and test or maintainer material to CONTRIBUTING.md"
    );
}

/// The README's table of rules is one table (a blank line in it ends the
/// table, and Markdown shows the rows after it as text) and names every
/// registered code, alone or in a range of its first column (`OV501–OV505`).
#[test]
fn readme_rules_table_lists_every_code() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let rows: Vec<&str> = readme
        .lines()
        .skip_while(|l| !l.starts_with("| code |"))
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert!(rows.len() > 2, "README.md has a `| code |` table of rules");
    let number = |code: &str| code.trim_start_matches("OV").parse::<u32>().ok();
    let ranges: Vec<(u32, u32)> = rows[2..]
        .iter()
        .filter_map(|row| {
            let first = row.split('|').nth(1)?.trim();
            let (low, high) = first.split_once('–').unwrap_or((first, first));
            Some((number(low.trim())?, number(high.trim())?))
        })
        .collect();
    for code in oncevar::diagnostic::Code::ALL {
        let n = number(code.as_str()).unwrap();
        assert!(
            ranges.iter().any(|&(low, high)| low <= n && n <= high),
            "README.md's table of rules lists {code:?} (rows: {rows:#?})"
        );
    }
}

#[test]
fn every_relative_link_reaches_a_file_and_heading() {
    let mut checked = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for target in links(&text) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            checked += 1;
            let (file, anchor) = target.split_once('#').unwrap_or((&target, ""));
            let file = if file.is_empty() {
                page.clone()
            } else {
                page.parent().unwrap_or(Path::new("")).join(file)
            };
            assert!(
                file.exists(),
                "{}: link `{target}` names {}, which does not exist",
                page.display(),
                file.display()
            );
            if !anchor.is_empty() {
                let text = std::fs::read_to_string(&file).unwrap();
                assert!(
                    anchors(&text).iter().any(|a| a == anchor),
                    "{}: link `{target}`: {} has no heading #{anchor}",
                    page.display(),
                    file.display()
                );
            }
        }
    }
    assert!(checked >= 10, "only {checked} relative links found");
}

/// `.ci/run` runs the README's test command (the second fresh-clone
/// command), and that command is the project's whole test script.
#[test]
fn ci_runs_the_readme_test_command() {
    let commands = readme::commands(&readme::block("From a fresh clone", "sh"));
    let [_, test] = &commands[..] else {
        panic!("two commands expected (the main job, the tests): {commands:?}");
    };
    let ci = std::fs::read_to_string(".ci/run").unwrap();
    let exec = ci
        .lines()
        .find_map(|line| line.strip_prefix("exec "))
        .expect(".ci/run execs the test command");
    assert_eq!(exec.trim(), test, ".ci/run runs something else");
    assert!(Path::new(test).is_file(), "{test} does not exist");
}

#[test]
fn slug_follows_github() {
    assert_eq!(
        slug(" Fixing: `--diff`, `--fix`, and the runtime"),
        "fixing---diff---fix-and-the-runtime"
    );
    assert_eq!(slug(" End to end on CPython"), "end-to-end-on-cpython");
}

/// The package registries' hosts that the machine reaches (Debian's archive,
/// PyPI and its files, crates.io's index and downloads, npm), as a URL
/// names them.
const REGISTRY_HOSTS: &[&str] = &[
    "://deb.debian.org",
    "://snapshot.debian.org",
    "://security.debian.org",
    "://pypi.org",
    "://files.pythonhosted.org",
    "://crates.io",
    "://index.crates.io",
    "://static.crates.io",
    "://registry.npmjs.org",
];

/// Every file under `dir`, in the order the directory gives them.
fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The project's scripts, CI and pages name no registry host (the project's
/// rule: the registries are reached through their ordinary clients and the
/// machine's own configuration; scripts/lib.sh's `debian_archive` reads the
/// Debian archive from the machine's apt sources). Every file of scripts/,
/// .ci/ and .github/, and the Markdown pages, is read.
/// Each line of `files` (text files only) that contains one of `needles`,
/// as `path:line: ` and what `show` makes of the needle and the line.
fn lines_naming(
    files: &[std::path::PathBuf],
    needles: &[&str],
    show: impl Fn(&str, &str) -> String,
) -> Vec<String> {
    let mut named = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue; // not text
        };
        for (n, line) in text.lines().enumerate() {
            if let Some(needle) = needles.iter().find(|h| line.contains(*h)) {
                named.push(format!(
                    "{}:{}: {}",
                    file.display(),
                    n + 1,
                    show(needle, line)
                ));
            }
        }
    }
    named
}

#[test]
fn no_registry_host_is_named() {
    let mut files = pages();
    for dir in ["scripts", ".ci", ".github"] {
        files_under(Path::new(dir), &mut files);
    }
    files.sort();
    let named = lines_naming(&files, REGISTRY_HOSTS, |host, _| host[3..].to_owned());
    assert!(
        named.is_empty(),
        "registry hosts named:\n{}",
        named.join("\n")
    );
}

/// The scripts get the oncevar binary from scripts/lib.sh's `build_oncevar`,
/// which prints the path cargo built, never from a `target/` of their own:
/// with `CARGO_TARGET_DIR` set (or a `target-dir` in cargo's configuration)
/// `scripts/e2e-freethreading.sh` ran `target/debug/oncevar`, which was
/// absent or stale, and so did every script that built with cargo and then
/// named `target/release/oncevar`.
#[test]
fn scripts_run_the_binary_cargo_built() {
    let mut files = Vec::new();
    for dir in ["scripts", ".ci"] {
        files_under(Path::new(dir), &mut files);
    }
    files.sort();
    let named = lines_naming(
        &files,
        &["target/release/oncevar", "target/debug/oncevar"],
        |_, line| line.trim().to_owned(),
    );
    assert!(
        named.is_empty(),
        "scripts naming a target/ path of the binary instead of `build_oncevar` (scripts/lib.sh):\n{}",
        named.join("\n")
    );
}
