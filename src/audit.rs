//! `oncevar audit`: for each extension module of a scan, may it claim an
//! own GIL per interpreter (PEP 684, `Py_MOD_PER_INTERPRETER_GIL_SUPPORTED`)
//! or running without the GIL (PEP 703, `Py_MOD_GIL_NOT_USED`), and what
//! stands in the way. The scan (with [`AnalysisOptions::audit`]) reads
//! each unit's modules ([`crate::analysis::audit`]) and places them in
//! their files as [`ModuleReport`]s; [`Audit::of`] then judges each module
//! by the findings the report still holds (suppressed and baselined ones
//! no longer block), and the formats print the result.
//!
//! [`AnalysisOptions::audit`]: crate::options::AnalysisOptions::audit

use serde::Serialize;

use crate::check::ScanReport;
use crate::diagnostic::{Applicability, ClaimKind, Code, Diagnostic, Location};

/// How a module is created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModulePhase {
    /// Single-phase: the init creates the module itself.
    Single {
        /// The API called (`PyModule_Create`, …).
        api: String,
        /// The file of the call.
        path: String,
        /// Where the call is.
        location: Location,
    },
    /// Multi-phase: the init returns its definition (`PyModuleDef_Init`).
    Multi {
        /// The file of the call.
        path: String,
        /// Where the call is.
        location: Location,
    },
    /// Not known from the module's unit: why.
    Unknown(String),
}

impl ModulePhase {
    /// `single-phase`, `multi-phase` or `unknown`, as the formats write it.
    pub fn as_str(&self) -> &'static str {
        match self {
            ModulePhase::Single { .. } => "single-phase",
            ModulePhase::Multi { .. } => "multi-phase",
            ModulePhase::Unknown(_) => "unknown",
        }
    }
}

/// A claim of a module, where it is made, and under which `#if`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimReport {
    /// What it claims.
    pub kind: ClaimKind,
    /// The file the claim is made in.
    pub path: String,
    /// The slot entry or the call.
    pub location: Location,
    /// The `#if` conditions it is made under, outermost first (empty:
    /// always).
    pub conditions: Vec<String>,
}

/// A finding that stands in the way of a module's claim, by what
/// identifies it in the report: its file, its declarator's first byte,
/// its code and variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockerKey {
    /// The finding's file (display path).
    pub path: String,
    /// The first byte of its declarator, in that file.
    pub offset: usize,
    /// Its code.
    pub code: Code,
    /// Its variable or construct.
    pub variable: String,
    /// It stands in the way of an own GIL per interpreter.
    pub per_interpreter_gil: bool,
    /// It stands in the way of running without the GIL.
    pub free_threading: bool,
    /// Why its fix leaves it in the way of running without the GIL, when
    /// it does.
    pub free_threading_unfixed: Option<String>,
}

/// An extension module of the scan, as its translation unit shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleReport {
    /// The module's name (`PyInit_<name>`).
    pub name: String,
    /// The file of its init function.
    pub path: String,
    /// The init function's name.
    pub location: Location,
    /// How it is created.
    pub phase: ModulePhase,
    /// What its unit claims, by kind then position.
    pub claims: Vec<ClaimReport>,
    /// The translation units whose code and state are the module's (by
    /// root path): its own, then those that define what they use,
    /// transitively; set by [`link`].
    pub units: Vec<String>,
    /// Which of its own unit's blockers are its, as (path, declarator's
    /// first byte), when that unit holds several modules and shows what
    /// each reaches (see `analysis::territory`); `None`: all of them.
    pub blockers: Option<Vec<(String, usize)>>,
    /// Which of its own unit's [`UnitReport::uses`] are its; `None`: all.
    pub uses: Option<Vec<String>>,
    /// The blockers of the other units of [`ModuleReport::units`] that are
    /// its, as (path, declarator's first byte): what the functions it
    /// calls there reach, and what no exported function there reaches;
    /// set by [`link`] (`None`: all of them).
    pub linked_blockers: Option<Vec<(String, usize)>>,
}

/// Links the units of a scan into extensions: each module's
/// [`ModuleReport::units`] are its unit and every unit that defines a
/// name one of them uses (a function it calls, a variable it reads),
/// transitively, and a module whose unit does not show how it is created
/// takes the phase of a linked unit's function that its init's unit uses
/// (`create_module()` of another file). Returns the findings that no
/// longer hold, as (path, declarator's first byte, code): the
/// unresolved-init findings of the modules so resolved, and the
/// findings that held only if another unit called an exported function
/// while the module runs, when the units that call it all do so while a
/// module initialises (or tears down).
pub fn link(units: &mut [UnitReport]) -> Vec<(String, usize, Code)> {
    use std::collections::{BTreeMap, BTreeSet};
    let mut definers: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (u, unit) in units.iter().enumerate() {
        for name in &unit.defines {
            definers.entry(name.clone()).or_default().push(u);
        }
    }
    let mut resolved = Vec::new();
    for u in 0..units.len() {
        for m in 0..units[u].modules.len() {
            // The module's own uses first (its share of a unit of several
            // modules), then every use of the units they reach.
            let own: &[String] = units[u].modules[m]
                .uses
                .as_deref()
                .unwrap_or(&units[u].uses);
            // Through another unit, only what the functions it calls there
            // reach (an exported function's share, and what no exported
            // function reaches), or the whole unit for a name that is no
            // exported function (a variable).
            let mut seen = BTreeSet::from([u]);
            let mut order = vec![u];
            let mut followed: BTreeSet<(usize, &str)> = BTreeSet::new();
            let mut linked: BTreeSet<(String, usize)> = BTreeSet::new();
            let mut pending: Vec<(usize, &[String])> = vec![(u, own)];
            while let Some((at, names)) = pending.pop() {
                for name in names {
                    for &v in definers.get(name).into_iter().flatten() {
                        if v == at || !followed.insert((v, name.as_str())) {
                            continue;
                        }
                        if seen.insert(v) {
                            order.push(v);
                        }
                        let unit = &units[v];
                        let keys = unit.blockers.iter().map(|k| (k.path.clone(), k.offset));
                        match unit.exports.iter().find(|e| e.0 == *name) {
                            Some((_, blockers, uses)) => {
                                linked.extend(blockers.iter().cloned());
                                linked.extend(
                                    keys.filter(|k| !unit.exports.iter().any(|e| e.1.contains(k))),
                                );
                                pending.push((v, uses));
                            }
                            None => {
                                linked.extend(keys);
                                pending.push((v, &unit.uses));
                            }
                        }
                    }
                }
            }
            let roots: Vec<String> = order.iter().map(|&v| units[v].root.clone()).collect();
            let creator = order
                .iter()
                .flat_map(|&v| &units[v].creators)
                .find(|(name, _)| own.iter().any(|n| n == name))
                .map(|(_, phase)| phase.clone());
            let module = &mut units[u].modules[m];
            module.units = roots;
            module.linked_blockers = Some(linked.into_iter().collect());
            if let (ModulePhase::Unknown(_), Some(phase)) = (&module.phase, &creator) {
                module.phase = phase.clone();
                resolved.push((module.path.clone(), module.location.span.start, Code::OV505));
            }
        }
    }
    // Which units use each name, and whether one of them at run time.
    let mut users: BTreeMap<&str, (usize, bool)> = BTreeMap::new();
    for unit in units.iter() {
        for name in &unit.uses {
            let entry = users.entry(name).or_default();
            entry.0 += 1;
            entry.1 |= unit.used_at_run_time.binary_search(name).is_ok();
        }
    }
    for unit in units.iter() {
        for (path, offset, code, _, entries) in &unit.conditional {
            // Holds when some entry is called at run time, or by no unit
            // of the scan (then who calls it, and when, is unknown).
            let holds = entries.iter().any(|e| match users.get(e.as_str()) {
                None => true,
                Some(&(_, at_run_time)) => at_run_time,
            });
            if !holds {
                resolved.push((path.clone(), *offset, *code));
            }
        }
    }
    resolved
}

/// What the audit read from one translation unit, placed in its files
/// (see [`crate::analysis::audit::UnitAudit`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitReport {
    /// The unit's `.c` file (display path).
    pub root: String,
    /// Its modules.
    pub modules: Vec<ModuleReport>,
    /// Its findings that block a claim.
    pub blockers: Vec<BlockerKey>,
    /// The names with external linkage it defines, sorted.
    pub defines: Vec<String>,
    /// The names it declares without defining and uses, sorted.
    pub uses: Vec<String>,
    /// Those of `uses` that its code running after init uses, sorted.
    pub used_at_run_time: Vec<String>,
    /// Its findings that hold only if another unit calls one of its
    /// exported functions while the module runs: (file, declarator's first
    /// byte, code, variable, those functions).
    pub conditional: Vec<(String, usize, Code, String, Vec<String>)>,
    /// Its functions with external linkage that create a module.
    pub creators: Vec<(String, ModulePhase)>,
    /// Its functions with external linkage (not module inits), each with
    /// the blockers its code reaches, as (path, declarator's first byte),
    /// and the names of `uses` it reaches: what a module of another unit
    /// that calls it takes.
    pub exports: Vec<ExportReport>,
}

/// A blocker as (display path, its declarator's first byte in that file).
pub type BlockerAt = (String, usize);

/// What a function with external linkage brings to a module of another
/// unit that calls it: (its name, the blockers its code reaches, the
/// names of [`UnitReport::uses`] it reaches).
pub type ExportReport = (String, Vec<BlockerAt>, Vec<String>);

/// Whether a module may make a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Nothing found stands in the way.
    Ok,
    /// At least one finding does.
    Blocked,
}

/// What a verdict's blocker offers: a fix `oncevar check --fix` applies,
/// one it shows only, or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockerFix {
    /// `--fix` applies it.
    Safe,
    /// Shown, applied only with `--unsafe-fixes`; the finding says why.
    Unsafe,
    /// No rewrite is known.
    None,
}

/// A finding in the way of a claim, and what its fix does for it.
#[derive(Clone, Debug)]
pub struct Blocker<'r> {
    /// The finding.
    pub diagnostic: &'r Diagnostic,
    /// Whether a fix removes it from the way.
    pub fix: BlockerFix,
    /// Why the fix is not safe, or does not help this claim; for a safe
    /// fix, the rules that decided it, when one did.
    pub reason: Option<String>,
}

/// One claim's verdict: `Ok` when no finding blocks it.
#[derive(Clone, Debug)]
pub struct Judgement<'r> {
    /// The verdict.
    pub verdict: Verdict,
    /// The findings in the way, by path and position.
    pub blockers: Vec<Blocker<'r>>,
}

impl Judgement<'_> {
    fn of(blockers: Vec<Blocker<'_>>) -> Judgement<'_> {
        Judgement {
            verdict: if blockers.is_empty() {
                Verdict::Ok
            } else {
                Verdict::Blocked
            },
            blockers,
        }
    }
}

/// A module with its two verdicts.
#[derive(Clone, Debug)]
pub struct ModuleAudit<'r> {
    /// The module as the scan found it.
    pub module: &'r ModuleReport,
    /// May it claim `Py_MOD_PER_INTERPRETER_GIL_SUPPORTED`?
    pub per_interpreter_gil: Judgement<'r>,
    /// May it claim `Py_MOD_GIL_NOT_USED`?
    pub free_threading: Judgement<'r>,
}

impl ModuleAudit<'_> {
    /// The module's claims that a blocker contradicts (its rule says so:
    /// [`crate::rules::Rule::contradicts`]): an isolation claim and a
    /// blocker of an own GIL, a claim to run without the GIL and a
    /// blocker of free threading. An unknown (how the module is created)
    /// blocks a verdict without contradicting a claim.
    pub fn contradicted_claims(&self) -> Vec<&ClaimReport> {
        self.module
            .claims
            .iter()
            .filter(|c| {
                let judgement = if c.kind.is_gil() {
                    &self.free_threading
                } else {
                    &self.per_interpreter_gil
                };
                judgement.blockers.iter().any(|b| {
                    crate::rules::rule(b.diagnostic.code)
                        .contradicts
                        .contains(&c.kind)
                })
            })
            .collect()
    }
}

/// The audit of a scan: every module, by path and position.
#[derive(Clone, Debug)]
pub struct Audit<'r> {
    /// The modules with their verdicts.
    pub modules: Vec<ModuleAudit<'r>>,
}

impl<'r> Audit<'r> {
    /// Judges every module of `report` by the findings `report` still
    /// holds: a blocker that was suppressed, deselected or baselined no
    /// longer counts.
    pub fn of(report: &'r ScanReport) -> Audit<'r> {
        let find = |key: &BlockerKey| -> Option<&'r Diagnostic> {
            let file = report
                .files
                .binary_search_by(|f| f.source.display_path.as_str().cmp(&key.path))
                .ok()?;
            report.files[file].diagnostics.iter().find(|d| {
                d.declarator.span.start == key.offset
                    && d.code == key.code
                    && d.variable == key.variable
            })
        };
        let by_root = |root: &str| {
            report
                .units
                .binary_search_by(|u| u.root.as_str().cmp(root))
                .ok()
                .map(|u| &report.units[u])
        };
        let mut modules = Vec::new();
        for module in report.units.iter().flat_map(|u| &u.modules) {
            let mut pig: Vec<Blocker<'r>> = Vec::new();
            let mut ft: Vec<Blocker<'r>> = Vec::new();
            // Of its own unit (the first), only its share.
            let own = |(i, key): &(usize, &BlockerKey)| {
                let mine = if *i == 0 {
                    &module.blockers
                } else {
                    &module.linked_blockers
                };
                mine.as_ref().is_none_or(|mine| {
                    mine.iter()
                        .any(|(path, offset)| *path == key.path && *offset == key.offset)
                })
            };
            let keys = module
                .units
                .iter()
                .filter_map(|root| by_root(root))
                .enumerate()
                .flat_map(|(i, u)| u.blockers.iter().map(move |k| (i, k)))
                .filter(own)
                .map(|(_, k)| k);
            for key in keys {
                let Some(d) = find(key) else { continue };
                let blocker = Blocker {
                    diagnostic: d,
                    fix: blocker_fix(d),
                    reason: d.fix.as_ref().and_then(|f| f.reason()),
                };
                let has = |list: &[Blocker]| list.iter().any(|b| std::ptr::eq(b.diagnostic, d));
                if key.per_interpreter_gil && !has(&pig) {
                    pig.push(blocker.clone());
                }
                if key.free_threading && !has(&ft) {
                    ft.push(match &key.free_threading_unfixed {
                        Some(why) => Blocker {
                            fix: BlockerFix::Unsafe,
                            reason: Some(format!(
                                "the fix makes it per interpreter, but not safe without the \
                                 GIL: {why}"
                            )),
                            ..blocker
                        },
                        None => blocker,
                    });
                }
            }
            let order = |b: &Blocker| {
                (
                    b.diagnostic.path.clone(),
                    b.diagnostic.declarator.span.start,
                )
            };
            pig.sort_by_key(order);
            ft.sort_by_key(order);
            modules.push(ModuleAudit {
                module,
                per_interpreter_gil: Judgement::of(pig),
                free_threading: Judgement::of(ft),
            });
        }
        modules.sort_by(|a, b| {
            (&a.module.path, a.module.location.span.start)
                .cmp(&(&b.module.path, b.module.location.span.start))
        });
        modules.dedup_by(|a, b| {
            a.module.path == b.module.path && a.module.location.span == b.module.location.span
        });
        Audit { modules }
    }

    /// Whether some module claims what its verdict denies.
    pub fn has_contradiction(&self) -> bool {
        self.modules
            .iter()
            .any(|m| !m.contradicted_claims().is_empty())
    }
}

/// What a blocker's finding offers as a fix.
pub fn blocker_fix(d: &Diagnostic) -> BlockerFix {
    match d.fix.as_ref().map(|f| f.applicability) {
        Some(Applicability::Safe) => BlockerFix::Safe,
        Some(_) => BlockerFix::Unsafe,
        None => BlockerFix::None,
    }
}
