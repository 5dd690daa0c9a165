//! The files that plug oncevar into other tools, checked against the real
//! binary: `.pre-commit-hooks.yaml` (its entry and arguments run), the
//! composite GitHub Action `action.yml` (its inputs, its upload step, and
//! its scan step run as a script), and the README's sample workflow.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde::Deserialize;

fn oncevar_help() -> String {
    let out = assert_cmd::Command::cargo_bin("oncevar")
        .unwrap()
        .args(["check", "--help"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// Every `--long-flag` in `text` that names an option of `oncevar check`.
fn assert_real_flags(text: &str, help: &str) {
    for word in text.split(|c: char| c.is_whitespace() || c == '"' || c == '\'') {
        let Some(flag) = word.strip_prefix("--") else {
            continue;
        };
        let flag = flag.split('=').next().unwrap_or_default();
        if flag.is_empty() || matches!(flag, "locked" | "quiet" | "path" | "root") {
            continue; // `cargo install`'s own
        }
        assert!(
            help.contains(&format!("--{flag}")),
            "`--{flag}` is not an option of `oncevar check`"
        );
    }
}

/// A pre-commit hook definition; unknown keys are mistakes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Hook {
    id: String,
    name: String,
    entry: String,
    language: String,
    description: Option<String>,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    types: Vec<String>,
    #[serde(default)]
    types_or: Vec<String>,
    files: Option<String>,
    exclude: Option<String>,
    pass_filenames: Option<bool>,
    require_serial: Option<bool>,
    minimum_pre_commit_version: Option<String>,
    stages: Option<Vec<String>>,
}

const SITE: &str = "static PyObject *cache = NULL;\n\
PyObject *get(void) { if (cache == NULL) { cache = PyDict_New(); } return cache; }\n";

#[test]
fn pre_commit_hook_runs_the_real_cli() {
    let text = std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap();
    let hooks: Vec<Hook> = serde_saphyr::from_str(&text).unwrap();
    assert_eq!(hooks.len(), 1);
    let hook = &hooks[0];
    assert_eq!(hook.id, "oncevar");
    assert_eq!(hook.language, "rust", "pre-commit builds it with cargo");
    assert!(hook.types.iter().any(|t| t == "c"), "{:?}", hook.types);
    assert_real_flags(&hook.args.join(" "), &oncevar_help());

    // Run it as pre-commit does: entry, args, then the staged file names.
    let mut entry = hook.entry.split_whitespace();
    assert_eq!(entry.next(), Some("oncevar"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.c"), SITE).unwrap();
    std::fs::write(dir.path().join("clean.h"), "static int x;\n").unwrap();
    let run = |files: &[&str]| {
        assert_cmd::Command::cargo_bin("oncevar")
            .unwrap()
            .current_dir(dir.path())
            .args(entry.clone())
            .args(&hook.args)
            .args(files)
            .output()
            .unwrap()
    };
    let found = run(&["site.c", "clean.h"]);
    assert_eq!(found.status.code(), Some(1), "{found:?}");
    let stdout = String::from_utf8(found.stdout).unwrap();
    assert!(stdout.starts_with("site.c:1:18: OV101 "), "{stdout}");
    assert_eq!(run(&["clean.h"]).status.code(), Some(0));
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Action {
    name: String,
    description: String,
    author: Option<String>,
    branding: Option<BTreeMap<String, String>>,
    inputs: BTreeMap<String, Input>,
    outputs: BTreeMap<String, Output>,
    runs: Runs,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Input {
    description: String,
    required: Option<bool>,
    default: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Output {
    description: String,
    value: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Runs {
    using: String,
    steps: Vec<Step>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Step {
    name: String,
    id: Option<String>,
    #[serde(rename = "if")]
    condition: Option<String>,
    shell: Option<String>,
    run: Option<String>,
    uses: Option<String>,
    #[serde(default)]
    with: BTreeMap<String, String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
}

fn action() -> (String, Action) {
    let text = std::fs::read_to_string("action.yml").unwrap();
    let action = serde_saphyr::from_str(&text).unwrap();
    (text, action)
}

/// The names used as `inputs.NAME` in `text`.
fn inputs_used(text: &str) -> Vec<&str> {
    text.match_indices("inputs.")
        .map(|(at, _)| {
            let rest = &text[at + "inputs.".len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

#[test]
fn action_is_a_composite_that_installs_scans_and_uploads() {
    let (text, action) = action();
    assert_eq!(action.runs.using, "composite");
    for used in inputs_used(&text) {
        assert!(
            action.inputs.contains_key(used),
            "undeclared input `{used}`"
        );
    }
    let steps = &action.runs.steps;
    for step in steps.iter().filter(|s| s.run.is_some()) {
        assert_eq!(step.shell.as_deref(), Some("bash"), "{}", step.name);
        let run = step.run.as_deref().unwrap();
        // Inputs reach scripts through `env`, never pasted into the script.
        assert!(
            !run.contains("${{"),
            "{}: expression in a script",
            step.name
        );
    }
    let install = steps[0].run.as_deref().unwrap();
    assert!(
        install.contains("cargo install --locked")
            && install.contains("--path \"$GITHUB_ACTION_PATH\""),
        "{install}"
    );
    assert!(
        Path::new("Cargo.lock").exists(),
        "--locked needs Cargo.lock"
    );
    let upload = steps
        .iter()
        .find(|s| {
            s.uses
                .as_deref()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("a step uploads the SARIF report");
    assert_eq!(upload.with["sarif_file"], "${{ inputs.sarif-file }}");
    assert!(upload.condition.as_deref().unwrap().contains("always()"));
    let help = oncevar_help();
    for step in steps {
        assert_real_flags(step.run.as_deref().unwrap_or_default(), &help);
    }
}

/// Runs the action's scan step as the runner would: its script with its
/// environment, `oncevar` on PATH, `GITHUB_OUTPUT` a file.
fn run_scan_step(dir: &Path, args: &str) -> (String, String) {
    let (_, action) = action();
    let step = action
        .runs
        .steps
        .iter()
        .find(|s| s.id.as_deref() == Some("check"))
        .unwrap();
    let bin = assert_cmd::cargo::cargo_bin("oncevar");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = dir.join("github-output");
    std::fs::write(&output, "").unwrap();
    let input = |name: &str| match name {
        "paths" => ".".to_owned(),
        "args" => args.to_owned(),
        other => action.inputs[other].default.clone().unwrap_or_default(),
    };
    let mut command = Command::new("bash");
    command
        .arg("-e")
        .arg("-c")
        .arg(step.run.as_deref().unwrap())
        .current_dir(dir)
        .env("PATH", path)
        .env("GITHUB_OUTPUT", &output);
    for (key, value) in &step.env {
        let name = value
            .trim_start_matches("${{ inputs.")
            .trim_end_matches(" }}");
        command.env(key, input(name));
    }
    let out = command.output().unwrap();
    assert!(out.status.success(), "{out:?}");
    (
        String::from_utf8(out.stdout).unwrap(),
        std::fs::read_to_string(output).unwrap(),
    )
}

#[test]
fn action_scan_step_writes_sarif_annotations_and_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.c"), SITE).unwrap();
    let (stdout, output) = run_scan_step(dir.path(), "");
    assert_eq!(output, "exit-code=1\n");
    assert!(
        stdout.starts_with("::warning file=site.c,line=1,col=18,"),
        "{stdout}"
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("oncevar.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "OV101");

    // With a baseline holding the site: nothing new, exit code 0.
    assert_cmd::Command::cargo_bin("oncevar")
        .unwrap()
        .current_dir(dir.path())
        .args(["check", "--write-baseline", "oncevar-baseline.json"])
        .assert()
        .success();
    let (stdout, output) = run_scan_step(dir.path(), "--baseline oncevar-baseline.json");
    assert_eq!(output, "exit-code=0\n");
    assert_eq!(stdout, "");
}

#[test]
fn readme_sample_workflow_uses_the_action() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let (_, action) = action();
    let workflow = readme
        .split("```yaml\n")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .find(|block| block.contains("jobs:"))
        .expect("the README shows a sample workflow");
    let workflow: serde_json::Value = serde_saphyr::from_str(workflow).unwrap();
    assert_eq!(
        workflow["permissions"]["security-events"], "write",
        "uploading SARIF needs it"
    );
    let steps = workflow["jobs"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|job| job["steps"].as_array().unwrap())
        .collect::<Vec<_>>();
    let step = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("oncevar/oncevar@"))
        })
        .expect("a step uses the action");
    for (input, value) in step["with"].as_object().unwrap() {
        assert!(action.inputs.contains_key(input), "unknown input `{input}`");
        assert_real_flags(value.as_str().unwrap_or_default(), &oncevar_help());
    }
    let hooks = readme
        .split("```yaml\n")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .find(|block| block.contains("repos:"))
        .expect("the README shows a pre-commit configuration");
    let hooks: serde_json::Value = serde_saphyr::from_str(hooks).unwrap();
    assert_eq!(hooks["repos"][0]["hooks"][0]["id"], "oncevar");
}
