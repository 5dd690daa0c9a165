//! A stranger's compilation database is never run: each attack a
//! repository can ship in a `compile_commands.json` (a compiler that is a
//! script in the checkout, `sh -c`, flags that make a real compiler run
//! other programs, environment variables, a `PATH` that reaches the tree, a
//! link into the tree) is first shown to work when its command runs (a
//! marker file appears outside the tree), then oncevar is run on it in
//! every mode that could run it, trusted or not, and the marker must not
//! appear. The trusted cases that must run do run. Needs `gcc` (the
//! attacks on a real compiler are gcc's) and `sh`.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::Command as Cmd;

/// A repository (`root`) with one unit, `m.c`, that has a fixable site,
/// and a marker path outside it that every attack's payload creates.
struct Repo {
    _dir: tempfile::TempDir,
    outside: PathBuf,
    root: PathBuf,
    marker: PathBuf,
}

const SITE: &str = "#include <stddef.h>\ntypedef struct _object PyObject;\n\
PyObject *PyUnicode_FromString(const char *);\n\
static PyObject *cache = NULL;\n\
static PyObject *get(void)\n{\n    if (cache == NULL) {\n        cache = PyUnicode_FromString(\"x\");\n    }\n    return cache;\n}\n";

fn gcc() -> PathBuf {
    let gcc = PathBuf::from("/usr/bin/gcc");
    assert!(gcc.is_file(), "these tests need gcc at /usr/bin/gcc");
    gcc
}

fn repo() -> Repo {
    let dir = tempfile::tempdir().unwrap();
    let outside = std::fs::canonicalize(dir.path()).unwrap();
    let root = outside.join("repo");
    std::fs::create_dir(&root).unwrap();
    std::fs::write(root.join("m.c"), SITE).unwrap();
    let marker = outside.join("ran");
    Repo {
        _dir: dir,
        outside,
        root,
        marker,
    }
}

/// Held for writing while a script is written, for reading while this
/// test binary starts a process. A child forked while another thread has
/// a script open for writing keeps that descriptor until it runs its own
/// program, and running the script meanwhile fails with ETXTBSY ("Text
/// file busy"): the tests run in parallel threads, and a fresh clone's CI
/// run failed so in `prove`. With the lock no process starts while a
/// script is open (the race is std's and every test harness's; cargo's
/// own test support retries instead).
static STARTING: std::sync::RwLock<()> = std::sync::RwLock::new(());

/// Runs `start` (which starts a process and may wait for it) while no
/// script is being written.
fn starting<T>(start: impl FnOnce() -> T) -> T {
    let _guard = STARTING.read().unwrap_or_else(|e| e.into_inner());
    start()
}

fn executable(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    let _guard = STARTING.write().unwrap_or_else(|e| e.into_inner());
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

impl Repo {
    /// A script that creates the marker (and then runs what it is given,
    /// as a wrapper does).
    fn payload(&self, path: &Path) {
        executable(
            path,
            &format!(
                "#!/bin/sh\necho ran >> '{}'\n[ $# -gt 0 ] && exec \"$@\"\nexit 0\n",
                self.marker.display()
            ),
        );
    }

    /// Writes `compile_commands.json` into `folder` (under the root) with
    /// one entry for `m.c`.
    fn database(&self, folder: &str, arguments: &[String]) -> PathBuf {
        let dir = self.root.join(folder);
        std::fs::create_dir_all(&dir).unwrap();
        let db = serde_json::json!([{
            "directory": self.root,
            "file": "m.c",
            "arguments": arguments,
        }]);
        let path = dir.join("compile_commands.json");
        std::fs::write(&path, db.to_string()).unwrap();
        path
    }

    fn ran(&self) -> bool {
        self.marker.exists()
    }

    /// Runs the database's command as a build would (to show the attack
    /// works), and clears the marker again.
    fn prove(&self, arguments: &[String], env: &[(&str, String)]) {
        let mut command = Command::new(&arguments[0]);
        command
            .args(&arguments[1..])
            .current_dir(&self.root)
            .envs(env.iter().map(|(k, v)| (k, v)));
        let _ = starting(|| command.output()).unwrap();
        assert!(
            self.ran(),
            "the attack {arguments:?} {env:?} does not work as a build runs it: the test proves nothing"
        );
        std::fs::remove_file(&self.marker).unwrap();
    }

    /// oncevar in every mode that could run a database's command, each
    /// checked at once: its run must not have created the marker.
    fn runs(&self, db: &Path, env: &[(&str, String)]) -> Vec<(Vec<String>, std::process::Output)> {
        let db = db.display().to_string();
        let modes: [&[&str]; 7] = [
            &["check", "."],
            &["check", "--compile-commands", &db, "."],
            &["check", "--verify", "--output-format", "json", "."],
            &["check", "--verify", "--trust-compile-commands", "."],
            &[
                "check",
                "--diff",
                "--verify",
                "--compile-commands",
                &db,
                ".",
            ],
            &["check", "--fix", "--trust-compile-commands", "."],
            &["check", "--fix", "--compile-commands", &db, "."],
        ];
        let config = self.outside.join("no-user-config");
        modes
            .iter()
            .map(|args| {
                std::fs::write(self.root.join("m.c"), SITE).unwrap();
                let out = oncevar(&self.root, &config, env, args);
                assert!(
                    !self.ran(),
                    "`oncevar {}` ran the database's command ({env:?}):\n{}",
                    args.join(" "),
                    String::from_utf8_lossy(&out.stderr)
                );
                (args.iter().map(|a| (*a).to_owned()).collect(), out)
            })
            .collect()
    }

    /// Proves the attack, then runs oncevar in every mode: nothing may run.
    fn never_runs(&self, arguments: &[String], env: &[(&str, String)], why: &str) {
        self.prove(arguments, env);
        let db = self.database(".", arguments);
        for (args, out) in self.runs(&db, env) {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.code().is_some_and(|c| c <= 2), "{stderr}");
            if verifies_trusted(&args) {
                assert!(
                    stderr.contains("fix not verified") && stderr.contains(why),
                    "`oncevar {}` should say why it did not run {arguments:?} ({why}):\n{stderr}",
                    args.join(" ")
                );
            }
        }
    }
}

/// oncevar run in `dir` with `args`, the user's configuration looked for
/// under `config_home` (`XDG_CONFIG_HOME`) and the extra `env`.
fn oncevar(
    dir: &Path,
    config_home: &Path,
    env: &[(&str, String)],
    args: &[&str],
) -> std::process::Output {
    let mut command = Cmd::cargo_bin("oncevar").unwrap();
    command
        .current_dir(dir)
        .env("XDG_CONFIG_HOME", config_home)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .args(args)
        .timeout(std::time::Duration::from_secs(120));
    starting(|| command.output()).unwrap()
}

/// Whether a run's arguments verify fixes with a database they trust.
fn verifies_trusted(args: &[String]) -> bool {
    args.iter().any(|a| a.contains("compile-commands"))
        && args.iter().any(|a| a == "--verify" || a == "--fix")
}

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|w| (*w).to_owned()).collect()
}

#[test]
fn a_compiler_that_is_a_script_in_the_repository_never_runs() {
    let repo = repo();
    let script = repo.root.join("evil-cc");
    repo.payload(&script);
    repo.never_runs(&words(&["./evil-cc", "-c", "m.c"]), &[], "relative path");
    let absolute = script.display().to_string();
    repo.never_runs(
        &words(&[&absolute, "-c", "m.c"]),
        &[],
        "inside the scanned tree",
    );
    // Named gcc, in the tree.
    let named = repo.root.join("tools/gcc");
    repo.payload(&named);
    let named = named.display().to_string();
    repo.never_runs(
        &words(&[&named, "-c", "m.c"]),
        &[],
        "inside the scanned tree",
    );
}

#[test]
fn sh_and_env_are_not_compilers() {
    let repo = repo();
    // A shell running the repository's own script.
    let evil = repo.root.join("build.sh");
    repo.payload(&evil);
    let evil = evil.display().to_string();
    repo.never_runs(
        &words(&["/bin/sh", &evil, "-c", "m.c"]),
        &[],
        "is not a C compiler",
    );
    let touch = format!("echo ran >> '{}'", repo.marker.display());
    repo.never_runs(
        &words(&["/bin/sh", "-c", &touch]),
        &[],
        "is not a C compiler",
    );
    repo.never_runs(&words(&["sh", "-c", &touch]), &[], "is not a C compiler");
    let script = repo.outside.join("payload");
    repo.payload(&script);
    let script = script.display().to_string();
    repo.never_runs(
        &words(&["/usr/bin/env", &script]),
        &[],
        "is not a C compiler",
    );
}

#[test]
fn flags_that_make_gcc_run_other_programs_are_refused() {
    let repo = repo();
    let gcc = gcc().display().to_string();
    let wrapper = repo.root.join("wrap.sh");
    repo.payload(&wrapper);
    let wrapper = wrapper.display().to_string();
    // -wrapper runs the compiler's programs through the payload.
    repo.never_runs(
        &words(&[&gcc, "-wrapper", &wrapper, "-c", "m.c"]),
        &[],
        "-wrapper",
    );
    // -B and --prefix: a cc1 of the repository's.
    repo.payload(&repo.root.join("evil/cc1"));
    repo.never_runs(&words(&[&gcc, "-Bevil/", "-c", "m.c"]), &[], "-Bevil/");
    repo.never_runs(&words(&[&gcc, "-B", "evil/", "-c", "m.c"]), &[], "-B");
    repo.never_runs(
        &words(&[&gcc, "--prefix=evil/", "-c", "m.c"]),
        &[],
        "--prefix=evil/",
    );
    // A spec file whose self_spec adds a wrapper.
    std::fs::write(
        repo.root.join("x.specs"),
        format!("*self_spec:\n+ -wrapper {wrapper}\n"),
    )
    .unwrap();
    repo.never_runs(
        &words(&[&gcc, "-specs=x.specs", "-c", "m.c"]),
        &[],
        "-specs=x.specs",
    );
    repo.never_runs(
        &words(&[&gcc, "--specs=x.specs", "-c", "m.c"]),
        &[],
        "--specs=x.specs",
    );
    // A response file holding the wrapper.
    std::fs::write(repo.root.join("args.rsp"), format!("-wrapper {wrapper}\n")).unwrap();
    repo.never_runs(
        &words(&[&gcc, "@args.rsp", "-c", "m.c"]),
        &[],
        "response file",
    );
}

#[test]
fn environment_variables_that_redirect_gcc_are_removed() {
    let repo = repo();
    let gcc = gcc().display().to_string();
    let triple = starting(|| Command::new(&gcc).arg("-dumpmachine").output()).unwrap();
    let triple = String::from_utf8(triple.stdout).unwrap().trim().to_owned();
    let version = starting(|| Command::new(&gcc).arg("-dumpversion").output()).unwrap();
    let version = String::from_utf8(version.stdout).unwrap().trim().to_owned();
    // COMPILER_PATH: where gcc looks for cc1 first.
    repo.payload(&repo.root.join("evil/cc1"));
    let compiler_path = repo.root.join("evil").display().to_string();
    let arguments = words(&[&gcc, "-c", "m.c"]);
    repo.prove(&arguments, &[("COMPILER_PATH", compiler_path.clone())]);
    let db = repo.database(".", &arguments);
    repo.runs(&db, &[("COMPILER_PATH", compiler_path)]);
    // GCC_EXEC_PREFIX: gcc's own tree, moved.
    repo.payload(&repo.root.join(format!("prefix/{triple}/{version}/cc1")));
    let prefix = format!("{}/prefix/", repo.root.display());
    repo.prove(&arguments, &[("GCC_EXEC_PREFIX", prefix.clone())]);
    repo.runs(&db, &[("GCC_EXEC_PREFIX", prefix)]);
}

#[test]
fn a_path_that_reaches_the_tree_is_not_searched() {
    let repo = repo();
    // The database names `gcc`; the user's PATH starts with `.`, the
    // unit's folder, where the repository has its own `gcc`.
    repo.payload(&repo.root.join("gcc"));
    let path = format!(".:{}", std::env::var("PATH").unwrap());
    let arguments = words(&["gcc", "-c", "m.c"]);
    repo.prove(&arguments, &[("PATH", path.clone())]);
    let db = repo.database(".", &arguments);
    repo.runs(&db, &[("PATH", path.clone())]);
    // An absolute PATH entry inside the tree is skipped as well.
    let path = format!("{}:{}", repo.root.display(), std::env::var("PATH").unwrap());
    repo.runs(&db, &[("PATH", path)]);
}

#[test]
fn a_link_into_the_tree_is_the_tree() {
    let repo = repo();
    let link = repo.root.join("bin/gcc");
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(gcc(), &link).unwrap();
    let arguments = words(&[&link.display().to_string(), "-c", "m.c"]);
    let db = repo.database(".", &arguments);
    for (args, out) in repo.runs(&db, &[]) {
        let stderr = String::from_utf8_lossy(&out.stderr);
        if verifies_trusted(&args) {
            assert!(
                stderr.contains("inside the scanned tree"),
                "{args:?}: {stderr}"
            );
        }
    }
}

#[test]
fn a_database_in_build_or_under_a_parent_configuration_is_only_read() {
    let repo = repo();
    let script = repo.root.join("evil-cc");
    repo.payload(&script);
    let arguments = words(&[
        &script.display().to_string(),
        "-DPy_LIMITED_API=3",
        "-c",
        "m.c",
    ]);
    repo.prove(&arguments, &[]);
    // build/compile_commands.json, found by itself.
    repo.database("build", &arguments);
    let config = repo.outside.join("no-user-config");
    for args in [&["check", "--fix", "."][..], &["check", "--verify", "."]] {
        let out = oncevar(&repo.root, &config, &[], args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!repo.ran(), "{args:?} ran the found database");
        assert!(
            stderr.contains(
                "build/compile_commands.json (1 unit; not given, so read for its flags only"
            ) && stderr.contains("--trust-compile-commands"),
            "{stderr}"
        );
    }
    // An empty oncevar.toml in a parent folder makes it the root: its
    // database is found, and only read.
    let parent = repo.outside.join("parent");
    let sub = parent.join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(parent.join("oncevar.toml"), "").unwrap();
    std::fs::write(sub.join("m.c"), SITE).unwrap();
    repo.payload(&parent.join("evil-cc"));
    let db = serde_json::json!([{
        "directory": sub, "file": "m.c", "arguments": [parent.join("evil-cc"), "-c", "m.c"],
    }]);
    std::fs::write(parent.join("compile_commands.json"), db.to_string()).unwrap();
    for args in [
        &["check", "--fix", "."][..],
        &["check", "--verify", "."],
        &["check", "--fix", "--trust-compile-commands", "."],
    ] {
        let out = oncevar(&sub, &config, &[], args);
        assert!(
            !repo.ran(),
            "{args:?} ran the parent's database:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_trusted_database_with_a_system_compiler_runs() {
    let repo = repo();
    let gcc = gcc().display().to_string();
    // The fixed file includes the runtime header, which needs Python's.
    let includes = starting(|| Command::new("python3-config").arg("--includes").output())
        .expect("python3-config runs (python3-dev)");
    let includes = String::from_utf8(includes.stdout).unwrap();
    let mut arguments = words(&[&gcc, "-c", "m.c", "-o", "m.o"]);
    arguments.extend(includes.split_whitespace().map(str::to_owned));
    let db = repo.database(".", &arguments);
    let config = repo.outside.join("no-user-config");
    let run = |args: &[&str]| {
        let out = oncevar(&repo.root, &config, &[], args);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        report["findings"][0]["fix"]["verified"].clone()
    };
    let named = db.display().to_string();
    assert_eq!(
        run(&[
            "check",
            "--verify",
            "--output-format",
            "json",
            "--compile-commands",
            &named,
            "."
        ]),
        true
    );
    assert_eq!(
        run(&[
            "check",
            "--verify",
            "--output-format",
            "json",
            "--trust-compile-commands",
            "."
        ]),
        true
    );
    assert_eq!(
        run(&["check", "--verify", "--output-format", "json", "."]),
        serde_json::Value::Null,
        "found, not trusted: not run"
    );
    // --no-compile-commands and --no-config: no database at all.
    for flag in ["--no-compile-commands", "--no-config"] {
        let out = oncevar(&repo.root, &config, &[], &["check", flag, "."]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("compilation database"), "{flag}: {stderr}");
    }
}

#[test]
fn the_users_allowlist_runs_a_found_database_and_a_projects_cannot() {
    let repo = repo();
    // A compiler of the user's, outside the tree, with a name no rule knows.
    let compiler = repo.outside.join("toolchain/my-compiler");
    repo.payload(&compiler);
    let arguments = words(&[&compiler.display().to_string(), "-c", "m.c"]);
    repo.database(".", &arguments);
    let config = repo.outside.join("config");
    std::fs::create_dir_all(config.join("oncevar")).unwrap();
    std::fs::write(
        config.join("oncevar/config.toml"),
        format!(
            "trusted-compilers = [\"{}/toolchain/*\"]\n",
            repo.outside.display()
        ),
    )
    .unwrap();
    let run = |args: &[&str], home: &Path| oncevar(&repo.root, home, &[], args);
    let out = run(&["check", "--verify", "."], &config);
    assert!(
        repo.ran(),
        "an allowed compiler runs:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_file(&repo.marker).unwrap();
    // Named on the command line, the database is trusted, but this
    // compiler's name is no C compiler's: only the allowlist runs it, and
    // --no-config ignores the user's configuration too.
    let named = [
        "check",
        "--verify",
        "--compile-commands",
        "compile_commands.json",
        ".",
    ];
    run(&named, &config);
    assert!(repo.ran(), "the allowlist runs it");
    std::fs::remove_file(&repo.marker).unwrap();
    let out = run(&named, &repo.outside.join("none"));
    assert!(!repo.ran(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(
        &[
            "check",
            "--verify",
            "--no-config",
            "--compile-commands",
            "compile_commands.json",
            ".",
        ],
        &config,
    );
    assert!(!repo.ran(), "{}", String::from_utf8_lossy(&out.stderr));
    // A project's oncevar.toml cannot trust its compilers.
    std::fs::write(
        repo.root.join("oncevar.toml"),
        "trusted-compilers = [\"**\"]\n",
    )
    .unwrap();
    let out = run(&["check", "."], &repo.outside.join("none"));
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("a repository cannot trust its own compilers"),
        "{stderr}"
    );
}

#[test]
fn a_verification_copy_is_private_and_removed_on_a_signal() {
    let repo = repo();
    let tmp = repo.outside.join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    // A slow compiler of the user's (allowed), so the copy exists while
    // oncevar waits for it (its preprocessor, run before the scan, is
    // quick and says nothing: the evaluator decides).
    let compiler = repo.outside.join("toolchain/slow-cc");
    executable(
        &compiler,
        "#!/bin/sh\ncase \"$*\" in *-E*) exit 0;; esac\nsleep 30\n",
    );
    repo.database(".", &words(&[&compiler.display().to_string(), "-c", "m.c"]));
    std::fs::write(repo.root.join("secret.h"), "#define SECRET 1\n").unwrap();
    std::fs::set_permissions(
        repo.root.join("secret.h"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    std::fs::write(
        repo.root.join("m.c"),
        format!("#include \"secret.h\"\n{SITE}"),
    )
    .unwrap();
    let config = repo.outside.join("config");
    std::fs::create_dir_all(config.join("oncevar")).unwrap();
    std::fs::write(
        config.join("oncevar/config.toml"),
        format!("trusted-compilers = [\"{}\"]\n", compiler.display()),
    )
    .unwrap();
    let mut child = starting(|| {
        Command::new(assert_cmd::cargo::cargo_bin("oncevar"))
            .current_dir(&repo.root)
            .env("XDG_CONFIG_HOME", &config)
            .env("TMPDIR", &tmp)
            .args(["check", "--verify", "."])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
    })
    .unwrap();
    let copies = || -> Vec<PathBuf> {
        std::fs::read_dir(&tmp)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("oncevar-verify-")
            })
            .collect()
    };
    let start = std::time::Instant::now();
    let header = loop {
        let found = copies()
            .into_iter()
            .map(|c| c.join("secret.h"))
            .find(|h| h.exists());
        if let Some(h) = found {
            break h;
        }
        assert!(
            start.elapsed().as_secs() < 20,
            "no verification copy appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    for copy in copies() {
        assert_eq!(mode(&copy), 0o700, "{}", copy.display());
    }
    assert_eq!(mode(&header), 0o600, "the header keeps its mode");
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
    }
    let status = child.wait().unwrap();
    assert!(!status.success());
    assert!(copies().is_empty(), "left behind: {:?}", copies());
}

/// `fifo.h`, a FIFO, and `zero.h`, a link to `/dev/zero`, in `dir`.
fn special_files(dir: &Path) {
    assert!(
        starting(|| Command::new("mkfifo").arg(dir.join("fifo.h")).status())
            .unwrap()
            .success()
    );
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.h")).unwrap();
}

#[test]
fn fifos_devices_and_links_to_dev_zero_under_an_include_folder_end_quickly() {
    let repo = repo();
    let inc = repo.root.join("inc");
    std::fs::create_dir(&inc).unwrap();
    special_files(&inc);
    std::os::unix::fs::symlink("/dev/null", inc.join("null.h")).unwrap();
    // The database names the include folder, and a Python header folder
    // whose pyconfig.h is a link to /dev/zero.
    let py = repo.root.join("py");
    std::fs::create_dir(&py).unwrap();
    std::fs::write(
        py.join("patchlevel.h"),
        "#define PY_VERSION_HEX 0x030B0000\n",
    )
    .unwrap();
    std::os::unix::fs::symlink("/dev/zero", py.join("pyconfig.h")).unwrap();
    repo.database(".", &words(&["/usr/bin/gcc", "-Iinc", "-Ipy", "-c", "m.c"]));
    let start = std::time::Instant::now();
    let out = oncevar(&repo.root, &repo.outside.join("none"), &[], &["check", "."]);
    assert!(start.elapsed().as_secs() < 30, "took {:?}", start.elapsed());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for name in ["inc/fifo.h", "inc/zero.h", "inc/null.h"] {
        assert!(
            stderr.lines().any(|l| l.starts_with("warning:")
                && l.contains(name)
                && l.contains("not a regular file")),
            "{name}: {stderr}"
        );
    }
}

#[test]
fn a_trusted_units_preprocessor_is_not_run_on_a_fifo_or_a_device() {
    let repo = repo();
    let inc = repo.root.join("inc");
    std::fs::create_dir(&inc).unwrap();
    special_files(&inc);
    let db = repo.database(".", &words(&["/usr/bin/gcc", "-Iinc", "-c", "m.c"]));
    let db = db.display().to_string();
    // Included with quotes, with angles, and by a header of the project.
    std::fs::write(repo.root.join("local.h"), "#include <zero.h>\n").unwrap();
    for (include, file) in [
        ("#include \"fifo.h\"", "inc/fifo.h"),
        ("#include <fifo.h>", "inc/fifo.h"),
        ("#include \"local.h\"", "inc/zero.h"),
    ] {
        std::fs::write(repo.root.join("m.c"), format!("{include}\n{SITE}")).unwrap();
        let start = std::time::Instant::now();
        let out = oncevar(
            &repo.root,
            &repo.outside.join("none"),
            &[],
            &["check", "--compile-commands", &db, "."],
        );
        assert!(start.elapsed().as_secs() < 60, "took {:?}", start.elapsed());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.lines().any(|l| l.starts_with("warning:")
                && l.contains("m.c: the build's preprocessor (-E) not run: it includes")
                && l.contains(file)
                && l.contains("not a regular file")),
            "{include}: {stderr}"
        );
    }
}
