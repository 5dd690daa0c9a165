//! Who may run what a compilation database says. A `compile_commands.json`
//! is a list of commands, and a repository that ships one (or a build
//! folder, or an `oncevar.toml` that names one) chooses them: a compiler
//! that is a script in the checkout, `sh -c …`, or a real compiler told to
//! load a plugin, run a wrapper or read a spec file. Reading a database
//! for its flags is harmless; running it is running the stranger's code.
//!
//! The rule, after clangd, which runs a database's compiler only when it
//! matches the user's `--query-driver` allowlist, and clang-tidy, which
//! never runs it:
//!
//! * **Which database may run at all.** One the user named on the command
//!   line (`--compile-commands PATH`) or trusted there
//!   (`--trust-compile-commands`); else only the units whose compiler
//!   matches the user's `trusted-compilers` globs
//!   ([`crate::project::config::UserConfig`], never a project's file). A
//!   database oncevar found by itself is otherwise read for flags only.
//! * **Which compiler.** Even in a trusted database a command runs only
//!   with a compiler that matches the allowlist, or that is resolved to an
//!   absolute path outside the scanned tree (a bare name looked up on the
//!   user's `PATH`, skipping entries that are relative or inside the tree;
//!   a relative path is refused, since the database's own `directory`
//!   decides where it points), whose name is a C compiler's (`gcc`, `cc`,
//!   `clang`, with a target prefix or a version suffix: not `sh`, `env`,
//!   `python`), and whose file and folder no other user may write. The
//!   compiler runs by that absolute path: gcc finds its `cc1` relative to
//!   the path it was started by, so a link into the tree could lend it the
//!   tree's `cc1`.
//! * **Which flags.** Every word of the command is either known to be
//!   harmless (include folders, macros, warnings, language, optimisation,
//!   machine and most `-f` options), dropped because it only matters to the
//!   linker or assembler, which a syntax check or a preprocessor run never
//!   starts, or because it writes a file (outputs, dependency files, dumps),
//!   or refused: anything that loads or runs other code (`-fplugin`, also
//!   spelled `--plugin` since gcc reads `--X` as `-fX`, `-fpass-plugin`,
//!   `-wrapper`, `-B`/`--prefix`, `-specs`, `-fcompare-debug=`, a C++ module
//!   mapper, `-Xclang -load`, `-mllvm`, `--config`, `--driver-mode`,
//!   `-ccc-*`, `-cc1`), a response file (`@FILE`, expanded by the compiler
//!   wherever it appears), a `--sysroot` inside the tree, and every option
//!   oncevar does not know. `-Wp,`, `-Xpreprocessor` and `-Xclang` carry
//!   options to the compiler proper: each is checked as strictly.
//! * **Which environment.** The variables that make a compiler run or load
//!   other programs, or write files, are removed (`GCC_EXEC_PREFIX`,
//!   `COMPILER_PATH`, `GCC_COMPARE_DEBUG`, `DEPENDENCIES_OUTPUT`,
//!   `SUNPRO_DEPENDENCIES`, `CCC_OVERRIDE_OPTIONS`, `CL`, `_CL_`,
//!   `LD_PRELOAD`, `LD_AUDIT`), and the search paths for programs and
//!   shared libraries (`PATH`, `LD_LIBRARY_PATH`, `GCONV_PATH`) keep only
//!   absolute folders outside the tree (an empty entry means the current
//!   folder, which is the unit's). On Unix the compiler may write no file
//!   (a zero file-size limit), is bounded to 8 GiB of address space, and
//!   dies with oncevar (Linux).
//!
//! A unit whose command is refused is not run: its fixes are not
//! verified, with the reason, and its `#if` branches are decided by
//! oncevar's own evaluator ([`crate::scan::cond`]).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::project::compdb::Unit;
use crate::project::config::{absolute, compiler_glob};

/// Why the commands of a database may run, or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatabaseTrust {
    /// Named on the command line (`--compile-commands PATH`).
    Named,
    /// Found or named by the project's `oncevar.toml`, and trusted with
    /// `--trust-compile-commands`.
    Trusted,
    /// Found under the project or named by its `oncevar.toml`: read for
    /// flags; a unit runs only when its compiler is in the user's
    /// `trusted-compilers`.
    Found,
}

/// Why a unit's command is not run.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The database is not trusted and the compiler is not in the user's
    /// allowlist.
    #[error(
        "the compilation database was found, not given, and its compiler `{compiler}` is not \
         in trusted-compilers: its commands are not run (trust it with --compile-commands PATH \
         or --trust-compile-commands)"
    )]
    Untrusted {
        /// The compiler as the database names it.
        compiler: String,
    },
    /// The compiler is named by a relative path (`./cc`, `bin/gcc`).
    #[error(
        "its compiler `{0}` is named by a relative path, which the database's own `directory` \
         decides: not run (name it by an absolute path, or allow it in trusted-compilers)"
    )]
    RelativeCompiler(String),
    /// A bare compiler name not found on `PATH` (outside the tree).
    #[error("its compiler `{0}` is not found on PATH (folders inside the scanned tree and relative ones are skipped)")]
    CompilerNotFound(String),
    /// The compiler lies inside the scanned tree (or is a link into it).
    #[error("its compiler `{0}` lies inside the scanned tree: not run (allow it in trusted-compilers to run it)")]
    CompilerInTree(String),
    /// The compiler's name is not a C compiler's.
    #[error(
        "`{0}` is not a C compiler oncevar knows (gcc, cc, clang, c99, with a target prefix or a \
         version suffix): not run (allow it in trusted-compilers to run it)"
    )]
    NotACompiler(String),
    /// The compiler, or its folder, may be written by another user.
    #[error("its compiler `{0}` (or its folder) belongs to another user or is writable by others: not run")]
    ForeignCompiler(String),
    /// A word of the command that loads or runs other code, or that
    /// oncevar does not know.
    #[error("its command has `{word}`, {why}: not run")]
    Flag {
        /// The word as the database writes it.
        word: String,
        /// What it does, or that it is not known.
        why: &'static str,
    },
}

/// What the user trusts, for one run.
#[derive(Clone, Debug)]
pub struct Trust {
    database: DatabaseTrust,
    compilers: Vec<globset::GlobMatcher>,
    /// The scanned tree, each folder both as written (absolute) and as
    /// its real path.
    tree: Vec<PathBuf>,
}

/// A unit's command, checked: the compiler's absolute path, the words
/// that may be passed on, and the folder it runs in. Build the command to
/// run with [`CompilerCommand::syntax_check`] or
/// [`CompilerCommand::preprocess`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompilerCommand {
    /// The compiler, absolute: what is run (and `argv[0]`).
    pub program: PathBuf,
    /// The command's words after the compiler that are passed on: without
    /// the source file, other inputs, the output, dependency files, the
    /// mode (`-c`, `-E`, `-S`) and the linker's and assembler's options.
    pub arguments: Vec<String>,
    /// The folder it runs in (the unit's `directory`).
    pub directory: PathBuf,
    /// Environment changes: a variable removed (`None`) or replaced.
    environment: Vec<(OsString, Option<OsString>)>,
}

/// Programs that run the compiler named by their next word (`ccache gcc
/// …`): the compiler is run directly instead.
const LAUNCHERS: [&str; 3] = ["ccache", "sccache", "distcc"];

/// Variables that make a compiler run or load other programs, or write
/// files: removed from its environment.
const REMOVED_VARIABLES: [&str; 10] = [
    "GCC_EXEC_PREFIX",
    "COMPILER_PATH",
    "GCC_COMPARE_DEBUG",
    "DEPENDENCIES_OUTPUT",
    "SUNPRO_DEPENDENCIES",
    "CCC_OVERRIDE_OPTIONS",
    "CL",
    "_CL_",
    "LD_PRELOAD",
    "LD_AUDIT",
];

/// Search paths for programs and shared libraries: only absolute folders
/// outside the tree are kept.
const FILTERED_PATHS: [&str; 3] = ["PATH", "LD_LIBRARY_PATH", "GCONV_PATH"];

/// The address space a compiler may use, in bytes.
pub const MAX_COMPILER_MEMORY: u64 = 8 << 30;

impl Trust {
    /// The trust of a run: how the database came (`database`), the user's
    /// `trusted-compilers` globs, and the scanned tree (`tree`: the
    /// project root and the scanned paths; a file stands for its folder).
    ///
    /// # Errors
    ///
    /// A glob of `trusted_compilers` that does not compile, as a message
    /// (the user's configuration checks them when it is read).
    pub fn new(
        database: DatabaseTrust,
        trusted_compilers: &[String],
        tree: &[PathBuf],
    ) -> Result<Trust, String> {
        let compilers = trusted_compilers
            .iter()
            .map(|g| compiler_glob(g))
            .collect::<Result<_, _>>()?;
        let mut folders = Vec::new();
        for path in tree {
            let path = absolute(path);
            let folder = if path.is_dir() {
                path
            } else {
                path.parent().map(Path::to_owned).unwrap_or(path)
            };
            if let Ok(real) = std::fs::canonicalize(&folder) {
                folders.push(real);
            }
            folders.push(folder);
        }
        folders.sort();
        folders.dedup();
        Ok(Trust {
            database,
            compilers,
            tree: folders,
        })
    }

    /// How the database came.
    pub fn database(&self) -> DatabaseTrust {
        self.database
    }

    /// Whether the user's allowlist names any compiler.
    pub fn has_allowlist(&self) -> bool {
        !self.compilers.is_empty()
    }

    /// Whether `path` (absolute) lies inside the scanned tree, as written
    /// or as its real path.
    pub fn in_tree(&self, path: &Path) -> bool {
        let lexical = absolute(path);
        let real = std::fs::canonicalize(&lexical).ok();
        self.tree
            .iter()
            .any(|t| lexical.starts_with(t) || real.as_ref().is_some_and(|r| r.starts_with(t)))
    }

    /// The checked command of `unit`, or why it may not run (see the
    /// module doc for the rule).
    ///
    /// # Errors
    ///
    /// The [`Refusal`] that stops it: an untrusted database whose compiler
    /// the allowlist does not name, a compiler that is relative, missing,
    /// inside the tree, not a C compiler's name or writable by others, or
    /// a word of the command that loads or runs other code, or that
    /// oncevar does not know.
    pub fn command(&self, unit: &Unit) -> Result<CompilerCommand, Refusal> {
        let mut words = unit.arguments.as_slice();
        while let [first, rest @ ..] = words {
            if !rest.is_empty() && LAUNCHERS.contains(&base_name(first)) {
                words = rest;
            } else {
                break;
            }
        }
        let Some((compiler, rest)) = words.split_first() else {
            return Err(Refusal::NotACompiler(String::new()));
        };
        if compiler.contains('\0') {
            return Err(Refusal::NotACompiler(compiler.clone()));
        }
        let named = Path::new(compiler);
        let resolved = if named.is_absolute() {
            Some(absolute(named))
        } else if compiler.contains('/') {
            None
        } else {
            self.on_path(compiler)
        };
        let allowed = resolved
            .as_ref()
            .is_some_and(|p| self.compilers.iter().any(|g| g.is_match(p)))
            || (compiler.contains('/') && !named.is_absolute() && {
                let joined = absolute(&unit.directory.join(named));
                self.compilers.iter().any(|g| g.is_match(&joined))
            });
        if self.database == DatabaseTrust::Found && !allowed {
            return Err(Refusal::Untrusted {
                compiler: compiler.clone(),
            });
        }
        let program = if allowed {
            resolved.unwrap_or_else(|| absolute(&unit.directory.join(named)))
        } else {
            if !named.is_absolute() && compiler.contains('/') {
                return Err(Refusal::RelativeCompiler(compiler.clone()));
            }
            let Some(program) = resolved else {
                return Err(Refusal::CompilerNotFound(compiler.clone()));
            };
            if self.in_tree(&program) {
                return Err(Refusal::CompilerInTree(compiler.clone()));
            }
            if !is_compiler_name(base_name(compiler)) {
                return Err(Refusal::NotACompiler(compiler.clone()));
            }
            if !owned_safely(&program) {
                return Err(Refusal::ForeignCompiler(compiler.clone()));
            }
            program
        };
        let arguments = self.vet_arguments(rest, unit)?;
        Ok(CompilerCommand {
            program,
            arguments,
            directory: unit.directory.clone(),
            environment: self.environment(),
        })
    }

    /// `name` looked up on the user's `PATH`, skipping folders that are
    /// relative (the current folder would be the unit's) or inside the
    /// tree: the first executable file found.
    fn on_path(&self, name: &str) -> Option<PathBuf> {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .filter(|d| d.is_absolute() && !self.in_tree(d))
            .map(|d| absolute(&d.join(name)))
            .find(|p| is_executable(p))
    }

    /// The environment changes every compiler run gets.
    fn environment(&self) -> Vec<(OsString, Option<OsString>)> {
        let mut changes: Vec<(OsString, Option<OsString>)> = REMOVED_VARIABLES
            .iter()
            .map(|v| (OsString::from(v), None))
            .collect();
        for var in FILTERED_PATHS {
            let Some(value) = std::env::var_os(var) else {
                continue;
            };
            let kept: Vec<PathBuf> = std::env::split_paths(&value)
                .filter(|d| d.is_absolute() && !self.in_tree(d))
                .collect();
            let joined = std::env::join_paths(kept).ok().filter(|j| !j.is_empty());
            changes.push((OsString::from(var), joined));
        }
        changes
    }

    /// The words after the compiler that may be passed on (see the module
    /// doc): kept, dropped, or the refusal of the whole command.
    fn vet_arguments(&self, words: &[String], unit: &Unit) -> Result<Vec<String>, Refusal> {
        let refuse = |word: &str, why: &'static str| Refusal::Flag {
            word: word.to_owned(),
            why,
        };
        if let Some(w) = words.iter().find(|w| w.starts_with('@')) {
            return Err(refuse(
                w,
                "a response file, which the compiler expands wherever it appears and oncevar \
                 cannot check",
            ));
        }
        if let Some(w) = words.iter().find(|w| w.contains('\0')) {
            return Err(refuse(w, "a NUL byte"));
        }
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let w = words[i].as_str();
            let next = words.get(i + 1).map(String::as_str);
            i += 1;
            if !w.starts_with('-') || w == "-" {
                continue; // the source file, or another input: never passed on
            }
            if let Some(value) = separate_value(w) {
                let Some(v) = next else {
                    return Err(refuse(w, "an option without its value"));
                };
                i += 1;
                match value {
                    Separate::Keep => out.extend([w.to_owned(), v.to_owned()]),
                    Separate::Drop => {}
                    Separate::Sysroot => {
                        self.check_sysroot(w, v, unit)?;
                        out.extend([w.to_owned(), v.to_owned()]);
                    }
                    Separate::Inner => {
                        inner_allowed(v).map_err(|why| refuse(v, why))?;
                        out.extend([w.to_owned(), v.to_owned()]);
                    }
                    Separate::Refuse(why) => return Err(refuse(w, why)),
                }
                continue;
            }
            match joined(w) {
                Joined::Keep => out.push(w.to_owned()),
                Joined::Drop => {}
                Joined::Sysroot(v) => {
                    self.check_sysroot(w, v, unit)?;
                    out.push(w.to_owned());
                }
                Joined::Preprocessor => {
                    if let Some(kept) = preprocessor_words(w) {
                        for part in kept["-Wp,".len()..].split(',') {
                            inner_allowed(part).map_err(|why| refuse(w, why))?;
                        }
                        out.push(kept);
                    }
                }
                Joined::Refuse(why) => return Err(refuse(w, why)),
            }
        }
        Ok(out)
    }

    /// A `--sysroot` or `-isysroot` folder must lie outside the tree.
    fn check_sysroot(&self, word: &str, value: &str, unit: &Unit) -> Result<(), Refusal> {
        let folder = absolute(&unit.directory.join(value));
        if self.in_tree(&folder) {
            return Err(Refusal::Flag {
                word: word.to_owned(),
                why: "a system root inside the scanned tree",
            });
        }
        Ok(())
    }
}

impl CompilerCommand {
    /// The command that checks `source` (a copy of the unit's file) the way
    /// the build compiles it, without writing anything: the checked words,
    /// `-iquote` for each of `quote_dirs` first, `-fsyntax-only`,
    /// `extra_include` on the include path (the runtime header's folder),
    /// and `source` last. Runs in the unit's folder with the checked
    /// environment, stdin closed and stdout discarded.
    pub fn syntax_check(
        &self,
        source: &Path,
        quote_dirs: &[PathBuf],
        extra_include: &Path,
    ) -> Command {
        let mut command = self.with(source, quote_dirs, Some(extra_include), &["-fsyntax-only"]);
        command.stdout(Stdio::null());
        command
    }

    /// The command that preprocesses `source` as the build does (the
    /// checked words, `-iquote` for each of `quote_dirs` first, and
    /// `extra_include` when given), printing the result with line markers
    /// and every `#define` and `#undef` in place (`-E -dD`) on stdout,
    /// which is piped.
    pub fn preprocess(
        &self,
        source: &Path,
        quote_dirs: &[PathBuf],
        extra_include: Option<&Path>,
    ) -> Command {
        let mut command = self.with(source, quote_dirs, extra_include, &["-E", "-dD"]);
        command.stdout(Stdio::piped());
        command
    }

    /// The command that preprocesses `source` as the build does, but
    /// only its directives (GCC's `-E -fdirectives-only`: `#if` chains,
    /// `#include`, `#define` kept in place, no macro expanded in the text,
    /// about a third of `-E`'s time on CPython's units), with line markers
    /// on stdout, which is piped. Clang does not know the option: its run
    /// fails, and [`CompilerCommand::preprocess`] is the fallback.
    pub fn preprocess_directives(&self, source: &Path) -> Command {
        let mut command = self.with(source, &[], None, &["-E", "-fdirectives-only", "-dD"]);
        command.stdout(Stdio::piped());
        command
    }

    /// The checked words with `quote_dirs` first, then `mode`, then
    /// `extra_include`, then `source`.
    fn with(
        &self,
        source: &Path,
        quote_dirs: &[PathBuf],
        extra_include: Option<&Path>,
        mode: &[&str],
    ) -> Command {
        let mut words: Vec<OsString> = quote_dirs
            .iter()
            .map(|d| {
                let mut w = OsString::from("-iquote");
                w.push(d);
                w
            })
            .collect();
        words.extend(self.arguments.iter().map(OsString::from));
        words.extend(mode.iter().map(OsString::from));
        if let Some(dir) = extra_include {
            let mut include = OsString::from("-I");
            include.push(dir);
            words.push(include);
        }
        words.push(source.into());
        let mut command = self.base();
        command.args(words);
        command
    }

    /// The words as shown in messages (not quoted).
    pub fn shown(&self, command: &Command) -> String {
        std::iter::once(command.get_program())
            .chain(command.get_args())
            .map(|w| w.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn base(&self) -> Command {
        let mut command = Command::new(&self.program);
        command
            .current_dir(&self.directory)
            .stdin(Stdio::null())
            .stderr(Stdio::piped());
        for (var, value) in &self.environment {
            match value {
                Some(v) => command.env(var, v),
                None => command.env_remove(var),
            };
        }
        limit(&mut command);
        command
    }
}

/// Bounds what the compiler may do, should a checked command still try:
/// no file written (a zero file-size limit: writes to pipes and devices
/// are not affected), at most [`MAX_COMPILER_MEMORY`] of address space,
/// and on Linux a kill when oncevar dies.
#[cfg(unix)]
fn limit(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs in the child between fork and exec and
    // calls only async-signal-safe system calls (setrlimit, prctl).
    unsafe {
        command.pre_exec(|| {
            let zero = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            let memory = libc::rlimit {
                rlim_cur: MAX_COMPILER_MEMORY as libc::rlim_t,
                rlim_max: MAX_COMPILER_MEMORY as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &zero) != 0
                || libc::setrlimit(libc::RLIMIT_AS, &memory) != 0
            {
                return Err(std::io::Error::last_os_error());
            }
            #[cfg(target_os = "linux")]
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
}

#[cfg(not(unix))]
fn limit(_command: &mut Command) {}

/// The last component of a path-like word.
fn base_name(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// Whether `name` is a C compiler driver's: `gcc`, `cc`, `clang`, `c89`,
/// `c99`, `c11`, `icx`, `icc` (and their C++ forms), optionally after a
/// target prefix (`x86_64-linux-gnu-`) and before a version suffix
/// (`-12`, `-16.0`).
pub fn is_compiler_name(name: &str) -> bool {
    const DRIVERS: [&str; 13] = [
        "gcc", "cc", "clang", "c89", "c99", "c11", "icx", "icc", "g++", "c++", "clang++", "icpx",
        "icpc",
    ];
    let without_version = match name.rsplit_once('-') {
        Some((stem, version))
            if !version.is_empty()
                && version
                    .split('.')
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) =>
        {
            stem
        }
        _ => name,
    };
    let driver = without_version
        .rsplit('-')
        .next()
        .unwrap_or(without_version);
    let prefix = &without_version[..without_version.len() - driver.len()];
    // A target prefix is `word-`, never `-` alone: `-gcc` is an option.
    DRIVERS.contains(&driver)
        && (prefix.is_empty()
            || (prefix.len() > 1
                && !prefix.starts_with('-')
                && prefix
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))))
}

/// Whether `path` is a file someone may execute.
fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

/// Whether the compiler's real file and its folder belong to root or to
/// the user running oncevar, and no one else may write them.
fn owned_safely(program: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Ok(real) = std::fs::canonicalize(program) else {
            return false;
        };
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        let safe = |p: &Path| {
            std::fs::metadata(p)
                .is_ok_and(|m| (m.uid() == 0 || m.uid() == me) && m.mode() & 0o022 == 0)
        };
        safe(&real) && real.parent().is_some_and(safe)
    }
    #[cfg(not(unix))]
    {
        program.is_file()
    }
}

/// What to do with an option that takes its value as the next word.
enum Separate {
    Keep,
    Drop,
    Sysroot,
    /// The value is an option for the compiler proper, checked as such.
    Inner,
    Refuse(&'static str),
}

/// What to do with a word that holds its value, or has none.
enum Joined<'w> {
    Keep,
    Drop,
    Sysroot(&'w str),
    /// `-Wp,…`: options for the preprocessor, each checked.
    Preprocessor,
    Refuse(&'static str),
}

const LOADS_CODE: &str = "which makes the compiler load or run other code";
const UNKNOWN: &str = "an option oncevar does not know (it may load or run other code)";

/// The options whose value is the next word, and what to do with them.
fn separate_value(w: &str) -> Option<Separate> {
    Some(match w {
        "-I" | "-D" | "-U" | "-iquote" | "-isystem" | "-idirafter" | "-iprefix"
        | "-iwithprefix" | "-iwithprefixbefore" | "-include" | "-imacros" | "-x" | "-target"
        | "-arch" | "--param" | "-imultilib" | "-imultiarch" => Separate::Keep,
        "-o" | "-MF" | "-MT" | "-MQ" | "-MJ" | "-aux-info" | "-Xlinker" | "-Xassembler" | "-L"
        | "-l" | "-z" | "-u" | "-T" | "-dumpbase" | "-dumpbase-ext" | "-dumpdir" => Separate::Drop,
        "--sysroot" | "-isysroot" => Separate::Sysroot,
        "-Xclang" | "-Xpreprocessor" => Separate::Inner,
        "-B" | "--prefix" => {
            Separate::Refuse("which makes the compiler run its programs from that folder")
        }
        "-specs" | "--specs" => {
            Separate::Refuse("a spec file, which can make the compiler run any program")
        }
        "-wrapper" => Separate::Refuse("which runs the compiler's programs through another one"),
        "-mllvm" | "--config" | "-Xarch_device" | "-Xarch_host" | "-Xcuda-fatbinary"
        | "-Xcuda-ptxas" | "-Xopenmp-target" | "-Xoffload-linker" | "-load" | "-plugin"
        | "-add-plugin" => Separate::Refuse(LOADS_CODE),
        _ => return None,
    })
}

/// What to do with every other option word.
fn joined(w: &str) -> Joined<'_> {
    const REFUSED_PREFIXES: [(&str, &str); 18] = [
        ("-fplugin", LOADS_CODE),
        ("--plugin", LOADS_CODE),
        ("-fpass-plugin", LOADS_CODE),
        ("--pass-plugin", LOADS_CODE),
        (
            "-fcompare-debug",
            "which runs the compiler again with other options",
        ),
        (
            "--compare-debug",
            "which runs the compiler again with other options",
        ),
        (
            "-fmodule",
            "a module mapper or cache, which can run a program or write files",
        ),
        (
            "--module",
            "a module mapper or cache, which can run a program or write files",
        ),
        ("-foffload", LOADS_CODE),
        ("-fself-test", UNKNOWN),
        (
            "-B",
            "which makes the compiler run its programs from that folder",
        ),
        (
            "--prefix",
            "which makes the compiler run its programs from that folder",
        ),
        (
            "-specs",
            "a spec file, which can make the compiler run any program",
        ),
        (
            "--specs",
            "a spec file, which can make the compiler run any program",
        ),
        ("--config", LOADS_CODE),
        (
            "--driver-mode",
            "which makes the compiler read other options (clang-cl's)",
        ),
        ("-ccc-", LOADS_CODE),
        ("-cc1", LOADS_CODE),
    ];
    const DROPPED_PREFIXES: [&str; 27] = [
        // The linker's and the assembler's: never started by a syntax check.
        "-L",
        "-l",
        "-Wl,",
        "-Wa,",
        "-static",
        "-fuse-ld",
        "-Xlinker",
        // Files written beside the output, even under -fsyntax-only.
        "-MF",
        "-MT",
        "-MQ",
        "-MJ",
        "-o",
        "-fdump-",
        "-save-temps",
        "-fcallgraph-info",
        "-fopt-info",
        "-fstack-usage",
        "-fdiagnostics-format",
        "-fdiagnostics-add-output",
        "-fdiagnostics-set-output",
        "-fsave-optimization-record",
        "-ftime-trace",
        "-fcrash-diagnostics",
        "-fproc-stat-report",
        "--coverage",
        "-ftest-coverage",
        // The mode: the caller adds its own.
        "-fsyntax-only",
    ];
    const DROPPED: [&str; 24] = [
        "-c",
        "-S",
        "-E",
        "-M",
        "-MM",
        "-MD",
        "-MMD",
        "-MP",
        "-MG",
        "-C",
        "-CC",
        "-P",
        "-H",
        "-shared",
        "-pie",
        "-no-pie",
        "-rdynamic",
        "-s",
        "-r",
        "-nostartfiles",
        "-nodefaultlibs",
        "-nostdlib",
        "-symbolic",
        "-v",
    ];
    const KEPT: [&str; 12] = [
        "-ansi",
        "-w",
        "-pthread",
        "-pipe",
        "-nostdinc",
        "-nostdinc++",
        "-undef",
        "-trigraphs",
        "-traditional",
        "-traditional-cpp",
        "-no-canonical-prefixes",
        "-pedantic",
    ];
    if let Some((_, why)) = REFUSED_PREFIXES.iter().find(|(p, _)| w.starts_with(p)) {
        return Joined::Refuse(why);
    }
    if w.starts_with("-Wp,") {
        return Joined::Preprocessor;
    }
    if DROPPED.contains(&w) || DROPPED_PREFIXES.iter().any(|p| w.starts_with(p)) {
        return Joined::Drop;
    }
    // A dump option such as -dM, -dD (the preprocessor run adds its own).
    if w.len() > 2 && w.starts_with("-d") && w[2..].bytes().all(|b| b.is_ascii_uppercase()) {
        return Joined::Drop;
    }
    if let Some(v) = w
        .strip_prefix("--sysroot=")
        .or_else(|| w.strip_prefix("-isysroot").filter(|v| !v.is_empty()))
    {
        return Joined::Sysroot(v);
    }
    if KEPT.contains(&w) || inner_allowed(w).is_ok() {
        return Joined::Keep;
    }
    let known_prefix = [
        "-iquote",
        "-isystem",
        "-idirafter",
        "-std=",
        "--std=",
        "-x",
        "--param=",
        "--target=",
        "-target=",
        "-pedantic-",
        "-imultiarch",
    ];
    if known_prefix.iter().any(|p| w.starts_with(p)) {
        return Joined::Keep;
    }
    Joined::Refuse(UNKNOWN)
}

/// Whether an option for the compiler proper (a word of `-Wp,`,
/// `-Xpreprocessor` or `-Xclang`, or a plain option) is one of the
/// harmless families: include folders, macros, warnings, the standard,
/// optimisation, debug information, machine options, and `-f` options but
/// those that load code or write files.
fn inner_allowed(w: &str) -> Result<(), &'static str> {
    let family = [
        "-D",
        "-U",
        "-I",
        "-O",
        "-g",
        "-std=",
        "-iquote",
        "-isystem",
        "-idirafter",
    ];
    if family.iter().any(|p| w.starts_with(p) && w.len() > p.len()) || w == "-O" || w == "-g" {
        return Ok(());
    }
    if w.starts_with("-W") && !["-Wp,", "-Wa,", "-Wl,"].iter().any(|p| w.starts_with(p)) {
        return Ok(());
    }
    if w.starts_with("-m") && w.len() > 2 && !w.starts_with("-mllvm") {
        return Ok(());
    }
    if let Some(rest) = w.strip_prefix("-f") {
        let refused = [
            "plugin",
            "pass-plugin",
            "compare-debug",
            "module",
            "offload",
            "self-test",
            "dump-",
            "callgraph-info",
            "opt-info",
            "stack-usage",
            "diagnostics-format",
            "diagnostics-add-output",
            "diagnostics-set-output",
            "save-optimization-record",
            "time-trace",
            "crash-diagnostics",
            "proc-stat-report",
            "use-ld",
            "syntax-only",
            "test-coverage",
        ];
        if !rest.is_empty() && !refused.iter().any(|r| rest.starts_with(r)) {
            return Ok(());
        }
        return Err(LOADS_CODE);
    }
    Err(UNKNOWN)
}

/// A `-Wp,…` word without its dependency-file options (`-MD file`, `-MMD
/// file`, `-MF file`, `-MT target`, `-MQ target`, `-M`, `-MM`, `-MP`), which
/// the preprocessor obeys even under `-fsyntax-only`; `None` when nothing
/// is left of it.
fn preprocessor_words(w: &str) -> Option<String> {
    let mut kept = Vec::new();
    let mut parts = w["-Wp,".len()..].split(',');
    while let Some(part) = parts.next() {
        match part {
            "-MD" | "-MMD" | "-MF" | "-MT" | "-MQ" => {
                parts.next();
            }
            "-M" | "-MM" | "-MP" => {}
            _ if ["-MF", "-MT", "-MQ"].iter().any(|p| part.starts_with(p)) => {}
            _ => kept.push(part),
        }
    }
    (!kept.is_empty()).then(|| format!("-Wp,{}", kept.join(",")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(dir: &Path, words: &[&str]) -> Unit {
        Unit {
            directory: dir.to_owned(),
            file: dir.join("m.c"),
            arguments: words.iter().map(|w| (*w).to_owned()).collect(),
            output: None,
            include_dirs: Vec::new(),
            macros: Vec::new(),
        }
    }

    fn gcc() -> String {
        std::fs::canonicalize("/usr/bin/gcc")
            .map(|_| "/usr/bin/gcc".to_owned())
            .unwrap_or_else(|_| "/usr/bin/cc".to_owned())
    }

    fn trusted(tree: &Path) -> Trust {
        Trust::new(DatabaseTrust::Named, &[], &[tree.to_owned()]).unwrap()
    }

    #[test]
    fn compiler_names() {
        for ok in [
            "gcc",
            "cc",
            "clang",
            "x86_64-linux-gnu-gcc-12",
            "clang-16",
            "gcc-12.2",
            "c99",
            "g++",
            "clang++-15",
            "arm-none-eabi-gcc",
        ] {
            assert!(is_compiler_name(ok), "{ok}");
        }
        for bad in [
            "sh", "bash", "env", "python3", "gcc-ar", "make", "evil", "ccache", "", "-gcc",
        ] {
            assert!(!is_compiler_name(bad), "{bad}");
        }
    }

    #[test]
    fn a_named_database_runs_a_system_compiler_without_its_output_and_mode() {
        let dir = tempfile::tempdir().unwrap();
        let trust = trusted(dir.path());
        let cc = gcc();
        let command = trust
            .command(&unit(
                dir.path(),
                &[
                    &cc,
                    "-c",
                    "-Iinc",
                    "-DA=1",
                    "-O2",
                    "-Wall",
                    "-fPIC",
                    "-MD",
                    "-MF",
                    "m.d",
                    "-o",
                    "m.o",
                    "m.c",
                    "-Wl,-rpath,x",
                    "-lm",
                    "-Wp,-D_FORTIFY_SOURCE=2,-MD,x.d",
                ],
            ))
            .unwrap();
        assert_eq!(command.program, PathBuf::from(&cc));
        assert_eq!(
            command.arguments,
            [
                "-Iinc",
                "-DA=1",
                "-O2",
                "-Wall",
                "-fPIC",
                "-Wp,-D_FORTIFY_SOURCE=2"
            ]
        );
        // ccache runs the compiler it names: the compiler is run directly.
        let command = trust
            .command(&unit(dir.path(), &["ccache", &cc, "-c", "m.c"]))
            .unwrap();
        assert_eq!(command.program, PathBuf::from(&cc));
    }

    #[test]
    fn a_found_database_runs_only_an_allowed_compiler() {
        let dir = tempfile::tempdir().unwrap();
        let cc = gcc();
        let found = Trust::new(DatabaseTrust::Found, &[], &[dir.path().to_owned()]).unwrap();
        assert!(matches!(
            found.command(&unit(dir.path(), &[&cc, "-c", "m.c"])),
            Err(Refusal::Untrusted { .. })
        ));
        let allowed = Trust::new(
            DatabaseTrust::Found,
            &["/usr/bin/*".to_owned()],
            &[dir.path().to_owned()],
        )
        .unwrap();
        assert!(allowed
            .command(&unit(dir.path(), &[&cc, "-c", "m.c"]))
            .is_ok());
    }

    #[test]
    fn compilers_that_the_tree_decides_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let trust = trusted(dir.path());
        let script = dir.path().join("evil-cc");
        std::fs::write(&script, "#!/bin/sh\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let refused = |words: &[&str]| trust.command(&unit(dir.path(), words)).unwrap_err();
        assert!(matches!(
            refused(&["./evil-cc", "m.c"]),
            Refusal::RelativeCompiler(_)
        ));
        assert!(matches!(
            refused(&[script.to_str().unwrap(), "m.c"]),
            Refusal::CompilerInTree(_)
        ));
        assert!(matches!(
            refused(&["/bin/sh", "-c", "touch x"]),
            Refusal::NotACompiler(_)
        ));
        assert!(matches!(
            refused(&["env", "gcc", "m.c"]),
            Refusal::NotACompiler(_)
        ));
        #[cfg(unix)]
        {
            let link = dir.path().join("gcc");
            std::os::unix::fs::symlink(gcc(), &link).unwrap();
            assert!(matches!(
                refused(&[link.to_str().unwrap(), "m.c"]),
                Refusal::CompilerInTree(_)
            ));
        }
    }

    #[test]
    fn every_spelling_of_a_flag_that_loads_code_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let trust = trusted(dir.path());
        let cc = gcc();
        for words in [
            &["-fplugin=./x.so"][..],
            &["--plugin=./x.so"],
            &["-fplugin-arg-x-y=z"],
            &["-fpass-plugin=./x.so"],
            &["-wrapper", "/bin/sh,-c"],
            &["-B./dir"],
            &["-B", "dir"],
            &["--prefix=dir"],
            &["-specs=x.specs"],
            &["--specs=x.specs"],
            &["-specs", "x.specs"],
            &["@args.rsp"],
            &["-I", "@args.rsp"],
            &["-Xclang", "-load", "-Xclang", "./x.so"],
            &["-Xclang", "-plugin"],
            &["-Xpreprocessor", "-fplugin=./x.so"],
            &["-Wp,-fplugin=./x.so"],
            &["-fcompare-debug=-fplugin=./x.so"],
            &["-fmodule-mapper=|./x"],
            &["-mllvm", "-load=./x.so"],
            &["--driver-mode=cl"],
            &["--config=x.cfg"],
            &["-ccc-install-dir", "x"],
            &["-cc1"],
            &["--sysroot=sysroot"],
            &["--sysroot", "sysroot"],
            &["-isysroot", "sysroot"],
            &["-foffload=nvptx-none"],
            &["-print-prog-name=cc1"],
            &["--unknown-option"],
        ] {
            let mut all: Vec<&str> = vec![&cc, "-c"];
            all.extend(words);
            all.push("m.c");
            let result = trust.command(&unit(dir.path(), &all));
            assert!(
                matches!(result, Err(Refusal::Flag { .. })),
                "{words:?}: {result:?}"
            );
        }
        // A system root outside the tree is a system root.
        assert!(trust
            .command(&unit(dir.path(), &[&cc, "--sysroot=/", "-c", "m.c"]))
            .is_ok());
    }

    #[test]
    fn search_paths_keep_absolute_folders_outside_the_tree() {
        let dir = tempfile::tempdir().unwrap();
        let trust = trusted(dir.path());
        let changes = trust.environment();
        for var in REMOVED_VARIABLES {
            assert!(changes.iter().any(|(v, value)| v == var && value.is_none()));
        }
        if let Some((_, Some(path))) = changes.iter().find(|(v, _)| v == "PATH") {
            assert!(std::env::split_paths(path).all(|d| d.is_absolute() && !trust.in_tree(&d)));
        }
    }

    #[test]
    fn preprocessor_words_keep_all_but_dependency_files() {
        assert_eq!(
            preprocessor_words("-Wp,-D_FORTIFY_SOURCE=2"),
            Some("-Wp,-D_FORTIFY_SOURCE=2".to_owned())
        );
        assert_eq!(preprocessor_words("-Wp,-MD,dep.d"), None);
        assert_eq!(
            preprocessor_words("-Wp,-MMD,x.d,-DA,-MT,x.o,-MP"),
            Some("-Wp,-DA".to_owned())
        );
    }
}
