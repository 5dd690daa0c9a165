//! Rules are data, one file each: a rule's code, name, severity, its
//! document (what it finds, why it matters, an example, how it is fixed),
//! the message and help of its findings and the hook that decides which
//! sites it reports all live in `src/rules/<code>_<name>.rs`. The
//! `registry!` line below lists the files; the [`Code`] enum, its
//! [`Code::ALL`] list, [`RULES`], [`rule`], `oncevar rule`, `--help`'s list
//! of codes and SARIF's rule table are generated from it. Adding a rule is
//! one file and one line, as ruff adds one (a `Violation` per file, one
//! line in `codes.rs`).

use crate::analysis::audit::{Found, UnitFacts};
use crate::diagnostic::{ClaimKind, Diagnostic, Severity};

/// Declares the rule files and generates, from one list of
/// `CODE => module` lines in code order, the [`Code`] enum (one variant per
/// line), [`Code::ALL`], [`Code::as_str`], [`RULES`] and [`rule`].
macro_rules! registry {
    ($($code:ident => $module:ident,)+) => {
        $(pub mod $module;)+

        /// A rule's code. The codes are stable: baselines and suppressions
        /// name them. Each variant's rule is in the module of the same
        /// number (`ov101_lazy_static_object` for `OV101`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        pub enum Code {
            $(
                #[doc = concat!("See [`", stringify!($module), "`].")]
                $code,
            )+
        }

        impl Code {
            /// Every code, in order (the order of reports and of `oncevar rule`).
            pub const ALL: [Code; [$(Code::$code),+].len()] = [$(Code::$code),+];

            /// The code as written everywhere: `"OV101"`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($code),)+
                }
            }
        }

        /// Every rule, one per [`Code`], in code order.
        pub const RULES: &[&Rule] = &[$(&$module::RULE),+];

        /// The rule of `code`.
        pub fn rule(code: Code) -> &'static Rule {
            match code {
                $(Code::$code => &$module::RULE,)+
            }
        }
    };
}

registry! {
    OV101 => ov101_lazy_static_object,
    OV102 => ov102_lazy_static_object_released,
    OV201 => ov201_lazy_static_memory,
    OV301 => ov301_static_object_set_once,
    OV401 => ov401_lazy_init_without_gil,
    OV402 => ov402_static_written_at_run_time,
    OV403 => ov403_slot_written_at_run_time,
    OV404 => ov404_static_object_state_set_at_init,
    OV501 => ov501_single_phase_init,
    OV502 => ov502_static_type,
    OV503 => ov503_global_object,
    OV504 => ov504_module_lookup_by_def,
    OV505 => ov505_unresolved_module_init,
}

impl Code {
    /// A code from its text: the code (`OV101`, any case) or its rule's
    /// name (`lazy-static-object`), wherever codes are accepted (the
    /// command line, `oncevar.toml`, suppression comments, baselines).
    /// `None` for anything else.
    pub fn parse(text: &str) -> Option<Code> {
        let text = text.trim();
        Code::ALL.into_iter().find(|code| {
            code.as_str().eq_ignore_ascii_case(text) || rule(*code).name.eq_ignore_ascii_case(text)
        })
    }

    /// The code's own severity, its rule's; a site can be raised to an
    /// error by what its module claims ([`Diagnostic::severity`]).
    pub fn severity(self) -> Severity {
        rule(self).severity
    }
}

/// The place in a rule's [`Rule::fix`] text where [`Rule::fix_text`] lists
/// what stops OV401's publication rewrite.
pub const OBSTACLES: &str = "{obstacles}";

/// One rule: its documentation, as `oncevar rule CODE` prints it and
/// SARIF's rule descriptors carry it (ruff's rule docs: what it does, why
/// it is bad, example, fix), its severity, how its findings read, and
/// which sites it reports.
pub struct Rule {
    /// The code it reports (the registry checks it matches its line).
    pub code: Code,
    /// A stable kebab-case name, accepted wherever a code is.
    pub name: &'static str,
    /// One line, no final full stop (SARIF's `shortDescription`).
    pub summary: &'static str,
    /// The severity of its findings, before a module's claims raise it
    /// ([`Diagnostic::severity`]).
    pub severity: Severity,
    /// Why such a site is a problem: one prose paragraph on one line,
    /// wrapped when printed (SARIF's `fullDescription`).
    pub why: &'static str,
    /// C code showing a site, printed as written.
    pub example: &'static str,
    /// How oncevar rewrites it, and how to by hand: prose paragraphs (one
    /// line each, wrapped when printed) and code (kept as written).
    pub fix: &'static str,
    /// A finding's one-sentence message, naming what it is about.
    pub message: fn(&Subject) -> String,
    /// What to do about a finding, as the human format's `help:` line
    /// (the line for an unsafe fix is shared by every rule, see
    /// [`unsafe_fix_help`]).
    pub help: fn(&Diagnostic) -> String,
    /// Which findings are this rule's.
    pub matcher: Matcher,
    /// What a module can no longer claim when the rule finds something
    /// in it: `oncevar audit`'s verdicts read it.
    pub blocks: Blocks,
    /// The claims a finding contradicts: in a module that makes one, the
    /// finding is an error, with the claim as a related location.
    pub contradicts: &'static [ClaimKind],
    /// How the human format labels a finding's evidence.
    pub labels: Labels,
}

/// The labels of a finding's secondary locations (its
/// [`Diagnostic::guards`], [`Diagnostic::assignments`] and
/// [`Diagnostic::releases`]).
#[derive(Clone, Copy)]
pub struct Labels {
    /// The primary label, at the finding's declarator.
    pub primary: fn(&Diagnostic) -> String,
    /// What a guard is.
    pub guard: &'static str,
    /// What a write is.
    pub write: &'static str,
    /// What a release is.
    pub release: &'static str,
}

/// The labels of a lazy site's evidence.
pub const SITE_LABELS: Labels = Labels {
    primary: declared_here,
    guard: "NULL guard",
    write: "assigned here",
    release: "released here",
};

/// What a finding of a rule stands in the way of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Blocks {
    /// Interpreters with their own GIL
    /// (`Py_MOD_PER_INTERPRETER_GIL_SUPPORTED`, PEP 684).
    pub per_interpreter_gil: bool,
    /// Running without the GIL (`Py_MOD_GIL_NOT_USED`, PEP 703).
    pub free_threading: Blocking,
}

/// What state shared by the process but not written at run time blocks:
/// interpreters with their own GIL, and not free threading (each thread of
/// one interpreter may share it).
pub const PROCESS_WIDE: Blocks = Blocks {
    per_interpreter_gil: true,
    free_threading: Blocking::No,
};

/// Whether a finding stands in the way of free threading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blocking {
    /// Never.
    No,
    /// Always.
    Yes,
    /// When its guard and write share no lock region (a lazy site).
    Unsynchronised,
}

/// The claims of isolation: what process-wide state contradicts.
pub const ISOLATION: &[ClaimKind] = &[
    ClaimKind::PerInterpreterGil,
    ClaimKind::MultipleInterpreters,
];

/// What a finding's message names.
pub struct Subject<'a> {
    /// The variable's (or the construct's) name.
    pub name: &'a str,
    /// Its declared type, qualifiers kept (`const char *`); empty for a
    /// construct that is no variable.
    pub type_name: &'a str,
    /// What a module rule adds (the API called, the module's name); empty
    /// for the site rules.
    pub detail: &'a str,
}

/// How a rule decides which findings are its own.
#[derive(Clone, Copy)]
pub enum Matcher {
    /// A static variable that the analysis classified: the rule reports it
    /// when the predicate holds for its facts. The predicates of all site
    /// rules are disjoint ([`classify`] picks the one that holds).
    Site(fn(&SiteFacts) -> bool),
    /// Process-wide state of a module other than a static variable's
    /// site: the detector finds each instance in a translation unit
    /// (`oncevar audit`, and `check` where a module's claim contradicts it).
    Module(for<'a, 't> fn(&UnitFacts<'a, 't>) -> Vec<Found<'t>>),
}

/// What the analysis established about a static variable, as the site
/// rules' matchers read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SiteFacts {
    /// Filled under a NULL guard (a lazy cache); `false` for a static set
    /// once outside one (in init code, or under a separate flag).
    pub lazy: bool,
    /// It holds a Python object (as opposed to other memory).
    pub object: bool,
    /// Something releases it (`Py_CLEAR`, `free`...).
    pub released: bool,
    /// Its module claims to run without the GIL and its guard and write
    /// share no lock region.
    pub unsynchronised: bool,
}

/// The code of the one site rule whose matcher holds for `site`, or `None`
/// when no rule reports such a static (set-once memory).
pub fn classify(site: &SiteFacts) -> Option<Code> {
    RULES.iter().find_map(|r| match r.matcher {
        Matcher::Site(matches) => matches(site).then_some(r.code),
        Matcher::Module(_) => None,
    })
}

/// The `help:` line of a finding whose fix is not safe: what stands in the
/// way, and how to see the fix anyway (a display-only fix is in the JSON
/// and SARIF reports only: no option applies it); for a fix without edits,
/// only why there is none.
pub fn unsafe_fix_help(d: &Diagnostic, reason: &str) -> String {
    // A fix without edits (an array of object pointers) is no rewrite.
    if d.fix.as_ref().is_some_and(|f| f.edits().is_empty()) {
        return format!("no rewrite: {reason}");
    }
    let display_only = d
        .fix
        .as_ref()
        .is_some_and(|f| f.applicability == crate::diagnostic::Applicability::DisplayOnly);
    let how = if display_only {
        "it is never applied (the JSON and SARIF reports show it)"
    } else {
        "review it with `--diff --unsafe-fixes`"
    };
    format!(
        "the fix to `Py_ONCEVAR_DECLARE({}, {})` is unsafe: {reason}; {how}",
        d.type_name, d.variable
    )
}

/// The primary label of a static variable's finding.
fn declared_here(d: &Diagnostic) -> String {
    format!("static `{}` declared here", d.type_name)
}

/// The help of the rules whose fix declares a per-interpreter key.
fn help_declare(d: &Diagnostic) -> String {
    format!(
        "make it a per-interpreter variable: `Py_ONCEVAR_DECLARE({}, {})` (`oncevar check \
         --diff` shows the fix)",
        d.type_name, d.variable
    )
}

/// `--help`'s description of `oncevar rule`: the codes it explains.
pub fn codes_help() -> String {
    let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    format!("Explain a code ({}), or list them all", codes.join(", "))
}

impl Rule {
    /// The full document, as `oncevar rule CODE` prints it.
    pub fn document(&self) -> String {
        let indent = |text: &str| {
            text.lines()
                .map(|l| {
                    if l.is_empty() {
                        String::new()
                    } else {
                        format!("    {l}")
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        format!(
            "{code} ({name}): {summary}\n\n\
             Why it matters\n{why}\n\n\
             Example\n{example}\n\n\
             Fix\n{fix}\n\n\
             Suppress\n{suppress}\n",
            code = self.code,
            name = self.name,
            summary = self.summary,
            why = indent(&wrap(self.why, 76)),
            example = indent(self.example),
            fix = indent(&wrap_prose(&self.fix_text(), 76)),
            suppress = indent(&self.suppression()),
        )
    }

    /// How oncevar rewrites it ([`Rule::fix`]), with [`OBSTACLES`] replaced
    /// by the clauses of what stops OV401's publication rewrite, read from
    /// the analysis's own list (`fix::rewrite::Obstacle`): the
    /// text lists what the analysis reports, and cannot drift from it.
    pub fn fix_text(&self) -> String {
        self.fix
            .replace(OBSTACLES, &crate::fix::rewrite::Obstacle::listed())
    }

    /// How to accept one site, or turn the code off, in a project: the
    /// `Suppress` section of [`Rule::document`].
    pub fn suppression(&self) -> String {
        let (code, name) = (self.code, self.name);
        format!(
            "One site: a comment naming the code or the rule's name, on the\n\
             declaration's line or the line above.\n\
             \n\
             /* oncevar: ignore[{code}] */\n\
             static PyObject *cache = NULL;\n\
             \n\
             static PyObject *cache = NULL;  // oncevar: ignore[{name}]\n\
             \n\
             Every site of the code, or every site under a path (code or name):\n\
             \n\
             ignore = [\"{code}\"]                  # oncevar.toml\n\
             [per-path-ignores]\n\
             \"vendored/\" = [\"{name}\"]\n\
             \n\
             oncevar check --ignore {code}         # this run only"
        )
    }
}

/// Wraps the prose paragraphs of a text that mixes prose and code: a
/// paragraph on one long line is prose; anything with line breaks is code
/// and kept as written.
fn wrap_prose(text: &str, width: usize) -> String {
    text.split("\n\n")
        .map(|p| {
            if !p.contains('\n') && p.len() > width {
                wrap(p, width)
            } else {
                p.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Wraps a paragraph at spaces (first fit; a word longer than a line, or
/// with a hyphen, stays whole).
fn wrap(text: &str, width: usize) -> String {
    let options = textwrap::Options::new(width)
        .break_words(false)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::fill(text, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exactly one site rule reports each kind of static, except set-once
    /// memory, which none does.
    #[test]
    fn site_matchers_are_disjoint() {
        for bits in 0..16u8 {
            let site = SiteFacts {
                lazy: bits & 1 != 0,
                object: bits & 2 != 0,
                released: bits & 4 != 0,
                unsynchronised: bits & 8 != 0,
            };
            let matching: Vec<Code> = RULES
                .iter()
                .filter(|r| match r.matcher {
                    Matcher::Site(matches) => matches(&site),
                    Matcher::Module(_) => false,
                })
                .map(|r| r.code)
                .collect();
            let expected = match (site.lazy, site.object, site.released) {
                _ if site.lazy && site.unsynchronised => Some(Code::OV401),
                (true, true, false) => Some(Code::OV101),
                (true, true, true) => Some(Code::OV102),
                (true, false, _) => Some(Code::OV201),
                (false, true, _) => Some(Code::OV301),
                (false, false, _) => None,
            };
            assert_eq!(
                matching,
                expected.into_iter().collect::<Vec<_>>(),
                "{site:?}"
            );
            assert_eq!(classify(&site), expected);
        }
    }

    #[test]
    fn ov401_fix_lists_every_obstacle_the_analysis_reports() {
        use crate::fix::rewrite::Obstacle;
        let text = rule(Code::OV401).fix_text();
        for obstacle in Obstacle::ALL {
            assert!(text.contains(obstacle.clause()), "{obstacle:?} in {text}");
        }
        for r in RULES {
            assert!(!r.document().contains(OBSTACLES), "{}", r.code);
        }
    }

    #[test]
    fn every_code_has_one_rule() {
        for code in Code::ALL {
            assert_eq!(RULES.iter().filter(|r| r.code == code).count(), 1);
            assert_eq!(
                rule(code).code,
                code,
                "the registry line names its own file"
            );
            let doc = rule(code).document();
            assert!(doc.starts_with(code.as_str()));
            assert!(
                doc.contains("Why it matters") && doc.contains("Example") && doc.contains("Fix")
            );
        }
    }
}
