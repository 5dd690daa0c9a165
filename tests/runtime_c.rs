//! Compiles and runs the C tests of the runtime header (`runtime/oncevar.h`):
//! every `tests/runtime/NAME.c` (plus its helper units `NAME__*.c`) is built
//! with `cc`, against libpython (embedding it), and run. Warnings are errors,
//! and the warnings are a strict build's ([`STRICT_C`], [`STRICT_CXX`]):
//! rewritten code includes the header, so a project building with
//! `-Werror=cast-qual` or `-Werror=redundant-decls` must still build.
//!
//! * `c_runtime_default_python`: with `python3-config` (or `$PYTHON_CONFIG`).
//! * `c_runtime_other_pythons`: the same with Debian's debug build
//!   (`python3.11-dbg-config`, whose assertions catch reference-count
//!   mistakes) and, with `ONCEVAR_ALL_PYTHONS=1`, every other CPython >= 3.8
//!   found (`$ONCEVAR_PYTHON_CONFIGS`, colon-separated, or else the pyenv
//!   versions, `/usr/bin/python3.*-config` and the 3.14 and 3.15 release and
//!   debug builds that `scripts/fetch-pythons.sh` unpacks in
//!   `.cache/pythons`), to back the "3.8 and later" claim.
//! * `c_runtime_syntax_system_headers`: `-fsyntax-only` (C99, C11, GNU11)
//!   against the system
//!   headers (`/usr/include/python3.*`).
//! * `c_runtime_below_floor` (ignored by default: it needs CPython < 3.8,
//!   which a fresh machine may lack; run it with `-- --include-ignored`): `floor.c` built
//!   (warnings as errors) and run against every CPython older than 3.8
//!   found (`$ONCEVAR_OLD_PYTHON_CONFIGS`, or pyenv and `/usr/bin`): the
//!   header falls back to plain statics there. `floor.c` also runs in the
//!   default run, against the newer Pythons, pretending to be older.
//!
//! Each test prints the Pythons it ran against (`runtime matrix: ...`).
//!
//! A missing Python, compiler or header fails the test unless
//! `ONCEVAR_ALLOW_SKIP=1` (see `tests/support`); `scripts/setup.d` installs
//! them all. The programs are built and run in parallel, one job per core.
//!
//! Uses only std.

use std::collections::BTreeSet;
use std::env;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

mod support;

const RUN_TIMEOUT: Duration = Duration::from_secs(120);

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cc() -> String {
    env::var("CC").unwrap_or_else(|_| "cc".to_string())
}

/// The C programs: (name, sources).
fn programs() -> Vec<(String, Vec<PathBuf>)> {
    let dir = root().join("tests").join("runtime");
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in fs::read_dir(&dir).expect("tests/runtime exists") {
        let path = entry.expect("readable dir entry").path();
        if path.extension().is_some_and(|e| e == "c") {
            let stem = path.file_stem().unwrap().to_string_lossy().to_string();
            if !stem.contains("__") {
                names.insert(stem);
            }
            files.push(path);
        }
    }
    files.sort();
    let progs: Vec<(String, Vec<PathBuf>)> = names
        .into_iter()
        .map(|name| {
            let prefix = format!("{name}__");
            let mut srcs = vec![dir.join(format!("{name}.c"))];
            srcs.extend(
                files
                    .iter()
                    .filter(|p| {
                        p.file_stem()
                            .unwrap()
                            .to_string_lossy()
                            .starts_with(&prefix)
                    })
                    .cloned(),
            );
            (name, srcs)
        })
        .collect();
    assert!(
        progs.len() >= 6,
        "expected the C runtime tests in {}",
        dir.display()
    );
    progs
}

/// The warnings of a strict C build, on top of `-Wall -Wextra -Werror`.
const STRICT_C: &[&str] = &[
    "-Wcast-qual",
    "-Wredundant-decls",
    "-Wstrict-prototypes",
    "-Wmissing-prototypes",
    "-Wshadow",
    "-Wpedantic",
    "-Wdeclaration-after-statement",
];

/// The same for C++ (the C-only warnings left out).
const STRICT_CXX: &[&str] = &["-Wcast-qual", "-Wredundant-decls", "-Wshadow", "-Wpedantic"];

struct PyConfig {
    command: String,
    includes: Vec<String>,
    ldflags: Vec<String>,
    /// `--prefix`: the programs run with PYTHONHOME set to it, so that a
    /// Python unpacked outside its configured prefix (scripts/
    /// fetch-pythons.sh) finds its standard library; elsewhere it is where
    /// CPython would look anyway.
    prefix: Option<String>,
}

/// The warning flags of a build (C, or C++ with `cxx`): `-Wall -Wextra
/// -Werror`, and the strict set as warnings that are not errors, which
/// [`strict_warnings`] then reads. CPython's own headers do not pass the
/// strict set (3.8 to 3.12 redeclare `Py_BuildValue` and friends under
/// `PY_SSIZE_T_CLEAN`; 3.12's `object.h` mixes declarations and code), so
/// only the warnings located in this repository's files count.
fn warnings(cxx: bool) -> Vec<String> {
    let mut flags: Vec<String> = ["-Wall", "-Wextra", "-Werror"].map(String::from).to_vec();
    for flag in if cxx { STRICT_CXX } else { STRICT_C } {
        flags.push(flag.to_string());
        flags.push(flag.replacen("-W", "-Wno-error=", 1));
    }
    flags
}

/// The warnings of a compiler's `stderr` that are located in the runtime
/// header or the tests (this repository), not in CPython's headers.
fn strict_warnings(stderr: &str) -> Vec<String> {
    let ours = format!("{}/", root().display());
    stderr
        .lines()
        .filter(|l| l.starts_with(&ours) && l.contains(": warning: "))
        .map(str::to_owned)
        .collect()
}

/// Runs `cmd` (a compiler): Ok when it succeeds without a warning located
/// in this repository's files, else the error with its output.
fn run_compiler(mut cmd: Command) -> Result<(), String> {
    let output = cmd
        .output()
        .map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let ours = strict_warnings(&stderr);
    if output.status.success() && ours.is_empty() {
        return Ok(());
    }
    Err(format!(
        "compile failed{}: {:?}\n{}{}",
        if output.status.success() {
            " (warnings of the strict set in the runtime or the tests)"
        } else {
            ""
        },
        cmd,
        String::from_utf8_lossy(&output.stdout),
        stderr
    ))
}

/// Ok(None) when the command does not exist; Err when it exists but fails.
fn python_config(command: &str) -> Result<Option<PyConfig>, String> {
    let query = |args: &[&str]| -> Result<Option<String>, String> {
        match Command::new(command).args(args).output() {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("{command} {args:?}: {e}")),
            Ok(out) if out.status.success() => Ok(Some(
                String::from_utf8_lossy(&out.stdout).trim().to_string(),
            )),
            Ok(out) => Err(format!(
                "{command} {args:?} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )),
        }
    };
    let includes = match query(&["--includes"])? {
        Some(s) => s,
        None => return Ok(None),
    };
    let ldflags = query(&["--ldflags", "--embed"])?.unwrap_or_default();
    let prefix = query(&["--prefix"])?.filter(|p| !p.is_empty());
    let split = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    Ok(Some(PyConfig {
        command: command.to_string(),
        includes: split(&includes),
        ldflags: split(&ldflags),
        prefix,
    }))
}

/// "3.11.2 (python3-config)": the version from the interpreter next to the
/// config script (`python3.X-config` -> `python3.X`), with `t` for a
/// free-threaded and `d` for a debug build; else the command alone.
fn python_version(cfg: &PyConfig) -> String {
    let interp = cfg
        .command
        .strip_suffix("-config")
        .unwrap_or(&cfg.command)
        .to_string();
    let version = Command::new(&interp)
        .args([
            "-c",
            "import sys, sysconfig; print(sys.version.split()[0] \
             + ('t' if sysconfig.get_config_var('Py_GIL_DISABLED') else '') \
             + ('d' if hasattr(sys, 'gettotalrefcount') else ''))",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    match version {
        Some(v) => format!("{v} ({})", cfg.command),
        None => cfg.command.clone(),
    }
}

fn label(command: &str) -> String {
    command.trim_start_matches('/').replace(['/', '.'], "_")
}

fn cxx() -> String {
    env::var("CXX").unwrap_or_else(|_| "c++".to_string())
}

fn have(compiler: &str) -> bool {
    Command::new(compiler)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `flags` e.g. ["-std=c99", "-O2"]; the compiler is `c++` when the flags
/// contain "c++", else `cc`. Errors: the build fails or warns (see
/// [`run_compiler`]).
fn compile(cfg: &PyConfig, flags: &[&str], srcs: &[PathBuf], out: &Path) -> Result<(), String> {
    let is_cxx = flags.contains(&"c++");
    let mut cmd = Command::new(if is_cxx { cxx() } else { cc() });
    cmd.args(flags)
        .args(warnings(is_cxx))
        .arg("-g")
        .arg("-I")
        .arg(root().join("runtime"))
        .arg("-I")
        .arg(root().join("tests").join("runtime"))
        .args(&cfg.includes)
        .args(srcs)
        .arg("-o")
        .arg(out)
        .args(&cfg.ldflags)
        .arg("-lpthread");
    run_compiler(cmd)
}

/// Runs a program with a timeout (PYTHONHOME set to `home` if given);
/// Ok(stdout) when it exits 0.
fn run(bin: &Path, home: Option<&str>) -> Result<String, String> {
    let mut command = Command::new(bin);
    if let Some(home) = home {
        command.env("PYTHONHOME", home);
    }
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out_reader = thread::spawn(move || {
        let mut s = String::new();
        let _ = out_pipe.read_to_string(&mut s);
        s
    });
    let err_reader = thread::spawn(move || {
        let mut s = String::new();
        let _ = err_pipe.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + RUN_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(format!("waiting for {}: {e}", bin.display())),
        }
    };
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    match status {
        None => Err(format!(
            "{} timed out after {:?}\n{stdout}{stderr}",
            bin.display(),
            RUN_TIMEOUT
        )),
        Some(s) if s.success() && stdout.contains("ok: ") => Ok(stdout),
        Some(s) => Err(format!(
            "{} failed ({s})\n--- stdout\n{stdout}--- stderr\n{stderr}",
            bin.display()
        )),
    }
}

/// One program to build against one Python, and run.
struct Build<'a> {
    cfg: &'a PyConfig,
    name: String,
    flags: Vec<&'static str>,
    srcs: Vec<PathBuf>,
}

/// Every program for one Python (`api.c` also as gnu11 and as C++).
fn builds(cfg: &PyConfig) -> Vec<Build<'_>> {
    let mut builds: Vec<Build> = Vec::new();
    let mut push = |name: String, flags: Vec<&'static str>, srcs: Vec<PathBuf>| {
        builds.push(Build {
            cfg,
            name,
            flags,
            srcs,
        })
    };
    for (name, srcs) in programs() {
        if name == "api" {
            // The API surface also under the C dialect of newer CPythons,
            // and from C++ (extension modules written in C++).
            push(
                format!("{name}-gnu11"),
                vec!["-std=gnu11", "-O0"],
                srcs.clone(),
            );
            push(
                format!("{name}-cxx"),
                vec!["-x", "c++", "-std=c++11", "-O1"],
                srcs.clone(),
            );
        }
        push(name, vec!["-std=c99", "-O2"], srcs);
    }
    builds
}

/// Builds and runs every program against each Python, in parallel (one
/// worker per core); returns the failures, in the order of `cfgs`.
fn run_all(cfgs: &[PyConfig]) -> Vec<String> {
    let cxx_found = have(&cxx());
    if !cxx_found {
        support::missing("the C++ build of api.c", &format!("`{}` not found", cxx()));
    }
    let jobs: Vec<Build> = cfgs
        .iter()
        .flat_map(builds)
        .filter(|b| cxx_found || !b.flags.contains(&"c++"))
        .collect();
    let next = Mutex::new(0..jobs.len());
    let results: Mutex<Vec<Option<Result<String, String>>>> =
        Mutex::new(jobs.iter().map(|_| None).collect());
    let workers = thread::available_parallelism().map_or(2, |n| n.get());
    thread::scope(|scope| {
        for _ in 0..workers.min(jobs.len()) {
            scope.spawn(|| loop {
                let Some(i) = next.lock().unwrap().next() else {
                    return;
                };
                let result = build_and_run(&jobs[i]);
                results.lock().unwrap()[i] = Some(result);
            });
        }
    });
    let mut failures = Vec::new();
    for (job, result) in jobs.iter().zip(results.into_inner().unwrap()) {
        match result.expect("every job ran") {
            Ok(stdout) => eprint!(
                "[{}] {}",
                job.cfg.command,
                stdout
                    .lines()
                    .filter(|l| l.starts_with("ok: "))
                    .map(|l| format!("{l}\n"))
                    .collect::<String>()
            ),
            Err(e) => failures.push(format!("[{}] {}: {e}", job.cfg.command, job.name)),
        }
    }
    failures
}

fn build_and_run(job: &Build) -> Result<String, String> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("runtime_c")
        .join(label(&job.cfg.command));
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let bin = dir.join(&job.name);
    compile(job.cfg, &job.flags, &job.srcs, &bin)
        .and_then(|()| run(&bin, job.cfg.prefix.as_deref()))
}

/// The default Python's config (`$PYTHON_CONFIG`, else `python3-config`);
/// None when it is missing and `test` may skip (see [`support::missing`]).
/// Panics when it exists but fails.
fn default_config(test: &str) -> Option<PyConfig> {
    let command = env::var("PYTHON_CONFIG").unwrap_or_else(|_| "python3-config".to_string());
    match python_config(&command) {
        Ok(Some(cfg)) => Some(cfg),
        Ok(None) => {
            support::missing(
                test,
                &format!("`{command}` not found (install python3-dev)"),
            );
            None
        }
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn c_runtime_default_python() {
    let Some(cfg) = default_config("c_runtime_default_python") else {
        return;
    };
    eprintln!("runtime matrix (default Python): {}", python_version(&cfg));
    let failures = run_all(&[cfg]);
    assert!(
        failures.is_empty(),
        "{} C runtime test(s) failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// `python3.X-config` scripts (also `python3.X-dbg-config`,
/// `python3.Xd-config` ...) in `/usr/bin` and the pyenv versions, whose
/// minor version X passes `keep`; or the colon-separated list in `$var`.
fn config_scripts(var: &str, keep: impl Fn(u32) -> bool) -> Vec<String> {
    if let Ok(list) = env::var(var) {
        return list
            .split(':')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
    }
    let mut found: BTreeSet<String> = BTreeSet::new();
    let pyenv_root = env::var("PYENV_ROOT")
        .map(PathBuf::from)
        .ok()
        .or_else(|| env::var("HOME").ok().map(|h| Path::new(&h).join(".pyenv")));
    let mut dirs: Vec<PathBuf> = vec![PathBuf::from("/usr/bin")];
    if let Some(root) = pyenv_root {
        if let Ok(entries) = fs::read_dir(root.join("versions")) {
            for e in entries.flatten() {
                dirs.push(e.path().join("bin"));
            }
        }
    }
    // The newest CPythons, unpacked by scripts/fetch-pythons.sh.
    if let Ok(entries) = fs::read_dir(root().join(".cache").join("pythons")) {
        for e in entries.flatten() {
            dirs.push(e.path().join("bin"));
        }
    }
    for dir in dirs {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            let Some(rest) = name.strip_prefix("python3.") else {
                continue;
            };
            let Some(rest) = rest.strip_suffix("-config") else {
                continue;
            };
            let minor: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            if minor.parse::<u32>().is_ok_and(&keep) {
                found.insert(e.path().to_string_lossy().to_string());
            }
        }
    }
    found.into_iter().collect()
}

/// Other CPython installations (>= 3.8) to test against.
fn other_configs() -> Vec<String> {
    config_scripts("ONCEVAR_PYTHON_CONFIGS", |minor| minor >= 8)
}

/// Debian's debug build of CPython, installed by `scripts/setup.d`.
const DEBUG_PYTHON_CONFIG: &str = "python3.11-dbg-config";

/// The environment variable that selects every Python found, not only the
/// default one and the debug build.
const ALL_PYTHONS: &str = "ONCEVAR_ALL_PYTHONS";

#[test]
fn c_runtime_other_pythons() {
    let cfg = match python_config(DEBUG_PYTHON_CONFIG) {
        Ok(Some(cfg)) => cfg,
        Ok(None) => {
            support::missing(
                "c_runtime_other_pythons",
                &format!("`{DEBUG_PYTHON_CONFIG}` not found (install python3.11-dbg)"),
            );
            return;
        }
        Err(e) => panic!("{e}"),
    };
    // Header directories already tested (the default Python's, and
    // aliases such as python3.11d-config / python3.11-dbg-config).
    let mut seen: BTreeSet<Vec<String>> = BTreeSet::new();
    if let Some(default) = python_config("python3-config").ok().flatten() {
        seen.insert(default.includes);
    }
    seen.insert(cfg.includes.clone());
    let mut cfgs = vec![cfg];
    if env::var_os(ALL_PYTHONS).is_some_and(|v| v == "1") {
        for command in other_configs() {
            let cfg = match python_config(&command) {
                Ok(Some(cfg)) => cfg,
                Ok(None) => continue,
                Err(e) => panic!("{e}"),
            };
            if cfg.ldflags.is_empty() || !seen.insert(cfg.includes.clone()) {
                continue; // no --embed (< 3.8), or a Python already tested
            }
            cfgs.push(cfg);
        }
        if cfgs.len() == 1 {
            support::missing(
                "c_runtime_other_pythons",
                &format!("{ALL_PYTHONS}=1 but no other CPython >= 3.8 found"),
            );
        }
    } else {
        eprintln!("the other Pythons (pyenv, /usr/bin) are tested with {ALL_PYTHONS}=1");
    }
    let versions: Vec<String> = cfgs.iter().map(python_version).collect();
    eprintln!("runtime matrix (other Pythons): {}", versions.join(", "));
    let failures = run_all(&cfgs);
    assert!(
        failures.is_empty(),
        "{} C runtime test(s) failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn c_runtime_syntax_system_headers() {
    let mut dirs: Vec<PathBuf> = fs::read_dir("/usr/include")
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    let n = p.file_name().unwrap().to_string_lossy().to_string();
                    n.starts_with("python3.") && p.join("Python.h").exists()
                })
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    if dirs.is_empty() {
        support::missing(
            "c_runtime_syntax_system_headers",
            "no /usr/include/python3.*/Python.h (install python3-dev)",
        );
        return;
    }
    let mut failures = Vec::new();
    for dir in &dirs {
        // Debian keeps pyconfig.h in a multiarch directory.
        let mut extra: Vec<PathBuf> = Vec::new();
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        if let Ok(rd) = fs::read_dir("/usr/include") {
            for e in rd.flatten() {
                let p = e.path().join(&name);
                if p.join("pyconfig.h").exists() && p != *dir {
                    extra.push(p);
                }
            }
        }
        for (prog, srcs) in programs() {
            for std_flag in ["-std=c99", "-std=c11", "-std=gnu11"] {
                let mut cmd = Command::new(cc());
                cmd.args(["-fsyntax-only", std_flag])
                    .args(warnings(false))
                    .arg("-I")
                    .arg(root().join("runtime"))
                    .arg("-I")
                    .arg(root().join("tests").join("runtime"))
                    .arg("-I")
                    .arg(dir);
                for e in &extra {
                    cmd.arg("-I").arg(e);
                }
                cmd.args(&srcs);
                if let Err(e) = run_compiler(cmd) {
                    failures.push(format!(
                        "{prog} against {} ({std_flag}):\n{e}",
                        dir.display()
                    ));
                }
            }
        }
        eprintln!("syntax ok against {}", dir.display());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// CPython installations older than 3.8 (`python3.X-config`, X < 8).
fn old_configs() -> Vec<String> {
    config_scripts("ONCEVAR_OLD_PYTHON_CONFIGS", |minor| minor < 8)
}

#[test]
#[ignore = "needs a real CPython < 3.8 (pyenv 3.6/3.7): ONCEVAR_ALL_PYTHONS=1 cargo test --test runtime_c -- --include-ignored"]
fn c_runtime_below_floor() {
    let src = root().join("tests").join("runtime").join("floor.c");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("runtime_c_floor");
    fs::create_dir_all(&dir).expect("create build dir");
    let is_gcc = Command::new(cc())
        .arg("--version")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("Free Software Foundation"));
    let mut failures = Vec::new();
    let mut versions = Vec::new();
    let mut seen: BTreeSet<Vec<String>> = BTreeSet::new();
    for command in old_configs() {
        // Before 3.8 `--ldflags` already names libpython (there is no --embed).
        let query = |arg: &str| -> Result<Vec<String>, String> {
            match Command::new(&command).arg(arg).output() {
                Ok(o) if o.status.success() => Ok(String::from_utf8_lossy(&o.stdout)
                    .split_whitespace()
                    .map(str::to_string)
                    .collect()),
                Ok(o) => Err(format!(
                    "{command} {arg} failed: {}",
                    String::from_utf8_lossy(&o.stderr).trim()
                )),
                Err(e) => Err(format!("{command} {arg}: {e}")),
            }
        };
        let cfg = match (query("--includes"), query("--ldflags")) {
            (Ok(includes), Ok(ldflags)) => PyConfig {
                command: command.clone(),
                includes,
                ldflags,
                prefix: None,
            },
            (Err(e), _) | (_, Err(e)) => {
                failures.push(e);
                continue;
            }
        };
        if !seen.insert(cfg.includes.clone()) {
            continue; // an alias (python3.7m-config) of a Python already tested
        }
        versions.push(python_version(&cfg));
        let bin = dir.join(label(&command));
        let mut cmd = Command::new(cc());
        cmd.args(["-std=c99", "-O2", "-g"])
            .args(warnings(false))
            .arg("-I")
            .arg(root().join("runtime"))
            .arg("-I")
            .arg(root().join("tests").join("runtime"))
            .args(&cfg.includes)
            .arg(&src)
            .arg("-o")
            .arg(&bin)
            .args(&cfg.ldflags)
            .arg("-lpthread");
        let out = cmd
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", cc()));
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        if !out.status.success() || !strict_warnings(&stderr).is_empty() {
            failures.push(format!(
                "[{command}] floor.c does not compile cleanly:\n{stderr}"
            ));
            continue;
        }
        // GCC prints the fallback's note (a note: -Werror passed).
        if is_gcc && !stderr.contains("plain process-wide statics") {
            failures.push(format!("[{command}] no compile-time note:\n{stderr}"));
        }
        match run(&bin, None) {
            Ok(stdout) => eprint!("[{command}] {stdout}"),
            Err(e) => failures.push(format!("[{command}] floor: {e}")),
        }
    }
    eprintln!("runtime matrix (below the floor): {}", versions.join(", "));
    if versions.is_empty() {
        support::missing(
            "c_runtime_below_floor",
            &format!("{ALL_PYTHONS}=1 but no CPython < 3.8 found"),
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The assembly `cc -O2 -fPIC -S` makes of a function reading one variable
/// (what an extension module's read compiles to), with `extra` flags.
fn read_assembly(cfg: &PyConfig, extra: &[&str]) -> Result<String, String> {
    let source = "#include <Python.h>\n#include \"oncevar.h\"\n\
                  Py_ONCEVAR_DECLARE(PyObject *, cache);\n\
                  PyObject *read_cache(void);\n\
                  PyObject *read_cache(void) { return Py_ONCEVAR(cache); }\n";
    let mut child = Command::new(cc())
        .args(["-O2", "-fPIC", "-S", "-o", "-", "-x", "c"])
        .args(extra)
        .arg("-I")
        .arg(root().join("runtime"))
        .args(&cfg.includes)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", cc()))?;
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("piped");
        stdin
            .write_all(source.as_bytes())
            .map_err(|e| format!("writing to {}: {e}", cc()))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("waiting for {}: {e}", cc()))?;
    if !out.status.success() {
        return Err(format!(
            "{} -S failed:\n{}",
            cc(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The predefined macros of `cc` (`cc -dM -E`), one `#define` a line.
fn predefined_macros() -> String {
    Command::new(cc())
        .args(["-dM", "-E", "-x", "c", "/dev/null"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

/// GCC on x86-64 calls the interpreter getter through the GOT (the header's
/// `noplt`), not through a PLT stub: one jump less a read (0.3 to 0.5 ns,
/// scripts/bench-runtime.sh); `-DPy_ONCEVAR_NO_NOPLT` keeps the PLT call.
#[test]
fn c_runtime_getter_called_without_plt() {
    let macros = predefined_macros();
    let gcc_x86_64 = macros.contains("#define __x86_64__ ")
        && macros.contains("#define __ELF__ ")
        && macros.contains("#define __GNUC__ ")
        && !macros.contains("#define __clang__ ");
    if !gcc_x86_64 {
        support::missing(
            "c_runtime_getter_called_without_plt",
            &format!("`{}` is not GCC targeting x86-64 ELF", cc()),
        );
        return;
    }
    let Some(cfg) = default_config("c_runtime_getter_called_without_plt") else {
        return;
    };
    let getter = "PyInterpreterState_Get";
    let plain = read_assembly(&cfg, &[]).unwrap();
    let calls: Vec<&str> = plain
        .lines()
        .filter(|l| l.trim_start().starts_with("call") || l.trim_start().starts_with("jmp"))
        .filter(|l| l.contains(&format!("{getter}@")))
        .collect();
    assert!(
        !calls.is_empty()
            && calls
                .iter()
                .all(|l| l.contains(&format!("*{getter}@GOTPCREL(%rip)"))),
        "the getter is not called through the GOT: {calls:?}"
    );
    let plt = read_assembly(&cfg, &["-DPy_ONCEVAR_NO_NOPLT"]).unwrap();
    assert!(
        plt.contains(&format!("{getter}@PLT")),
        "-DPy_ONCEVAR_NO_NOPLT does not keep the PLT call"
    );
}

/// `benches/access.c`, whose figures the runtime's README gives, still
/// builds and runs against the header (it reaches the header's private hot
/// path for its "read, solo" row): built as scripts/bench-runtime.sh builds
/// its executable (`-O2 -Wall -Wextra -Werror`, with the internal offset
/// that `benches/runtime_offsets.c` prints when CPython's internal headers
/// compile here), run for 1,000 iterations once; every row the script's
/// table reads is printed. Against the default Python, and with
/// `ONCEVAR_ALL_PYTHONS=1` every other CPython 3.8+ found.
#[test]
fn c_runtime_bench_builds_and_runs() {
    let Some(default) = default_config("c_runtime_bench_builds_and_runs") else {
        return;
    };
    let mut cfgs = vec![default];
    if env::var_os(ALL_PYTHONS).is_some_and(|v| v == "1") {
        let mut seen: BTreeSet<Vec<String>> = BTreeSet::new();
        seen.insert(cfgs[0].includes.clone());
        for command in other_configs() {
            if let Ok(Some(cfg)) = python_config(&command) {
                if !cfg.ldflags.is_empty() && seen.insert(cfg.includes.clone()) {
                    cfgs.push(cfg);
                }
            }
        }
    }
    let failures: Vec<String> = cfgs
        .iter()
        .filter_map(|cfg| {
            bench_build_and_run(cfg)
                .err()
                .map(|e| format!("[{}] {e}", cfg.command))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Builds benches/access.c (and its offset helper) against `cfg` in a
/// folder of its own and runs it briefly; Err names what failed.
fn bench_build_and_run(cfg: &PyConfig) -> Result<(), String> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("runtime_c")
        .join("bench")
        .join(label(&cfg.command));
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let offsets_bin = dir.join("offsets");
    let mut offsets_cmd = Command::new(cc());
    offsets_cmd
        .arg("-w")
        .args(&cfg.includes)
        .arg(root().join("benches").join("runtime_offsets.c"))
        .arg("-o")
        .arg(&offsets_bin);
    let offset = run_compiler(offsets_cmd)
        .and_then(|()| run(&offsets_bin, cfg.prefix.as_deref()))
        .ok()
        .and_then(|out| out.trim().parse::<u64>().ok());
    let mut cmd = Command::new(cc());
    cmd.args(["-O2", "-falign-functions=64", "-falign-loops=64"])
        .args(["-Wall", "-Wextra", "-Werror"])
        .arg("-I")
        .arg(root().join("runtime"))
        .args(&cfg.includes);
    if let Some(head) = offset {
        cmd.arg(format!("-DBENCH_RT_HEAD_OFF={head}"));
    }
    let bin = dir.join("access");
    cmd.arg(root().join("benches").join("access.c"))
        .arg("-o")
        .arg(&bin)
        .args(&cfg.ldflags);
    run_compiler(cmd)?;
    let mut command = Command::new(&bin);
    command.args(["1000", "1"]);
    if let Some(home) = &cfg.prefix {
        command.env("PYTHONHOME", home);
    }
    let out = command
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    if !out.status.success() {
        return Err(format!(
            "access failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut rows = vec![
        "tls",
        "tls, call",
        "call",
        "identifier",
        "getter",
        "read",
        "guard+read",
    ];
    if offset.is_some() {
        rows.extend(["solo", "read, solo"]);
    }
    match rows.iter().find(|row| {
        !stdout
            .lines()
            .any(|l| l.starts_with(&format!("{row} ")) && l.contains("executable"))
    }) {
        Some(row) => Err(format!("no `{row}` row in:\n{stdout}")),
        None => Ok(()),
    }
}
