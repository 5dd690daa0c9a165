"""Print the table and the verdict of scripts/e2e-cpython.sh from the files it
left in its log directory. Exit status 0 for PASS, 1 for FAIL.

    python3 report.py LOGS WORK
"""
import collections
import glob
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

LOGS, WORK = sys.argv[1], sys.argv[2]
failures = []  # reasons for a FAIL verdict


def path(name):
    return os.path.join(LOGS, name)


def read(name, default=""):
    try:
        with open(path(name), encoding="utf-8", errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return default


def load_json(name):
    text = read(name)
    try:
        return json.loads(text) if text.strip() else None
    except json.JSONDecodeError:
        return None


def duration(seconds):
    seconds = int(seconds)
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


times = {}
for line in read("times.txt").splitlines():
    key, _, value = line.partition(" ")
    if value.strip().isdigit():
        times[key] = times.get(key, 0) + int(value)

# --------------------------------------------------------------------------
# Sites: fixed, left unfixed and why
# --------------------------------------------------------------------------
findings = (load_json("findings.json") or {}).get("findings", [])
remaining = (load_json("remaining.json") or {}).get("findings", [])
fixed = [f for f in findings
         if f["path"].startswith("Modules/") and f.get("fix") and f["fix"]["safety"] == "safe"]
unfixed = [f for f in findings if f not in fixed]
patched = [p for p in read("patched.txt").split() if p]
m = re.search(r"fixed (\d+) sites? in (\d+) files?", read("fix.log"))
tool_fixed = (int(m.group(1)), int(m.group(2))) if m else None
still_fixable = [f for f in remaining if f.get("fix") and f["fix"]["safety"] == "safe"
                 and f["path"].startswith("Modules/")]
if tool_fixed is None:
    failures.append("oncevar check --fix did not report what it fixed (see fix.log)")
elif tool_fixed != (len(fixed), len([p for p in patched if p.endswith(".c")])):
    failures.append(f"oncevar reported {tool_fixed[0]} sites in {tool_fixed[1]} files, "
                    f"the scan before it {len(fixed)} safe sites, and {len(patched)} files changed")
if not fixed:
    failures.append("no site was fixed")
if still_fixable:
    failures.append(f"{len(still_fixable)} safe fixes remain after --fix (not idempotent)")
if read("rediff.patch").strip():
    failures.append("a second `oncevar check --diff Modules/` after --fix is not empty")


def object_file(src):
    """The object file the build made from src (setup.py's build/temp.*,
    makesetup's Modules/*.o, or the script's own build of xxmodule.c)."""
    stem = os.path.normpath(src[:-2] + ".o")
    cands = [os.path.join(WORK, stem)]
    for top in glob.glob(os.path.join(WORK, "build", "temp.*")):
        for dirpath, _, files in os.walk(top):  # glob's ** skips .cache/
            for name in files:
                full = os.path.join(dirpath, name)
                if full.endswith(os.sep + stem):
                    cands.append(full)
    if src == "Modules/xxmodule.c":
        cands.append(os.path.join(os.path.dirname(LOGS), "xx", "xxmodule.o"))
    cands = [c for c in cands if os.path.exists(c)]
    return max(cands, key=os.path.getmtime) if cands else None


def compiled_keys(obj):
    """Names of the Py_ONCEVAR keys defined in an object file."""
    if obj is None:
        return collections.Counter()
    out = subprocess.run(["nm", obj], capture_output=True, text=True).stdout
    return collections.Counter(re.sub(r"\.\d+$", "", s.split()[-1])[len("_Py_oncevar_k_"):]
                               for s in out.splitlines() if "_Py_oncevar_k_" in s)


by_file = collections.OrderedDict()
for f in sorted(fixed, key=lambda f: (f["path"], f["line"])):
    by_file.setdefault(f["path"], []).append(f)
site_lines = []
n_compiled = 0
for src, sites in by_file.items():
    keys = compiled_keys(object_file(src))
    names = []
    for f in sites:
        where = f"{f['variable']} ({f['function']})" if f["function"] else f["variable"]
        if keys[f["variable"]] > 0:
            keys[f["variable"]] -= 1
            n_compiled += 1
        else:
            where += " [not compiled here]"
        names.append(where)
    site_lines.append(f"  {src}: " + ", ".join(names))

groups = collections.OrderedDict()
for f in sorted(unfixed, key=lambda f: (f["path"], f["line"])):
    if f.get("fix"):
        key = f"unsafe fix, not applied: {f['fix']['reason']}"
    elif f["code"] == "OV201":
        key = "OV201, report only: lazily set pointer to non-object memory (no free function configured)"
    elif f["code"] == "OV301":
        key = "OV301, report only: set once outside a NULL guard (module init / flag); needs module state"
    else:
        key = f"{f['code']}, no fix"
    groups.setdefault(key, []).append(f)

# --------------------------------------------------------------------------
# Regression tests (junit XML of regrtest), refcounts, demo, checks
# --------------------------------------------------------------------------


def junit(stage):
    """Multiset of test ids per outcome: passed, failed, skipped."""
    out = {"passed": collections.Counter(), "failed": collections.Counter(),
           "skipped": collections.Counter()}
    try:
        root = ET.parse(path(f"junit-{stage}.xml")).getroot()
    except (OSError, ET.ParseError):
        return None
    for case in root.iter("testcase"):
        name = case.get("name", "?")
        kids = {c.tag for c in case}
        if kids & {"failure", "error"}:
            out["failed"][name] += 1
        elif "skipped" in kids or case.get("status") == "skipped":
            out["skipped"][name] += 1
        else:
            out["passed"][name] += 1
    return out


def regrtest_line(stage):
    text = read(f"regrtest-{stage}.log")
    m = re.findall(r"^Tests result: (.*)$", text, re.M)
    return m[-1] if m else "no result (see regrtest log)"


tests = {s: junit(s) for s in ("before", "after")}
rc_tests = {s: read(f"regrtest-{s}.rc").strip() for s in ("before", "after")}


def tests_cell(stage):
    t = tests[stage]
    if t is None:
        return "no results"
    return (f"{sum(t['passed'].values())} passed, {sum(t['failed'].values())} failed, "
            f"{sum(t['skipped'].values())} skipped")


regressions = []
if tests["before"] is None or tests["after"] is None:
    failures.append("regression test results are missing")
else:
    lost = tests["before"]["passed"] - tests["after"]["passed"]
    regressions = sorted(lost.elements())
    if regressions:
        failures.append(f"{len(regressions)} tests passed before and not after: "
                        + ", ".join(regressions[:10]) + (" ..." if len(regressions) > 10 else ""))
    if not sum(tests["before"]["passed"].values()):
        failures.append("no test passed before the rewrite")


def refs(stage, kind):
    err = read(f"exercise-{kind}-{stage}.err")
    m = re.findall(r"\[(-?\d+) refs, (-?\d+) blocks\]", err)
    rc = read(f"exercise-{kind}-{stage}.rc").strip()
    return (tuple(map(int, m[-1])) if m else None), rc


def refs_cell(stage, kind):
    counts, rc = refs(stage, kind)
    cell = f"{counts[0]} refs, {counts[1]} blocks" if counts else "no count"
    return cell if rc == "0" else f"{cell} (EXIT {rc})"


for kind in ("main", "sub"):
    (b, rcb), (a, rca) = refs("before", kind), refs("after", kind)
    label = "exercise script" + (" with a sub-interpreter" if kind == "sub" else "")
    if rca != "0" and rcb == "0":
        failures.append(f"the {label} fails after the rewrite (exit {rca}) and not before")
    if b and a and kind == "main" and a[0] >= b[0]:
        failures.append(f"references left at exit did not drop ({b[0]} -> {a[0]})")
    if not b or not a:
        failures.append(f"no [refs, blocks] line from the {label}")

demo = {s: load_json(f"demo-{s}.json") for s in ("before", "after")}


def demo_cells(stage):
    d = demo[stage]
    if not d:
        return ("demo failed (see demo-%s.err)" % stage,) * 2
    arr = ("the main's object (same id: shared)" if d["same_object"]
           else "its own object" if d["sub_gets_own"] else "another object, not its own")
    strp = "its own module" if d["strptime_uses_own_module"] else "the main's module (shared)"
    return arr, strp


if not demo["before"] or not demo["before"]["same_object"]:
    failures.append("the demonstration did not show the sharing on the unpatched build")
if not demo["after"] or demo["after"]["same_object"] or not demo["after"]["sub_gets_own"]:
    failures.append("the demonstration still shows sharing (or failed) after the rewrite")

checks = {s: load_json(f"checks-{s}.json") or {} for s in ("before", "after")}
for name, before in checks["before"].items():
    after = checks["after"].get(name)
    if before["ok"] and (after is None or not after["ok"]):
        failures.append(f"check regressed: {name}: {after['detail'] if after else 'missing'}")

new_broken = sorted(set(read("failed-modules-after.txt").split())
                    - set(read("failed-modules-before.txt").split()))
if new_broken:
    failures.append("extension modules that no longer build: " + ", ".join(new_broken))
warnings_after = [line for line in read("oncevar-warnings-after.txt").splitlines() if line]

# --------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------
W1, W2 = 42, 40


def row(label, before, after):
    print(f"{label:<{W1}} {before:<{W2}} {after}")


print()
print("=" * 100)
print("oncevar end to end: CPython 3.11.2, ./configure --with-pydebug, make -j" + read("jobs").strip())
print("=" * 100)
n_files = len({f["path"] for f in fixed})
print(f"sites fixed (safe, oncevar check --fix Modules/): {len(fixed)} in {n_files} files; "
      f"{n_compiled} compiled on this platform (Py_ONCEVAR keys in the object files)")
for line in site_lines:
    print(line)
print(f"files patched: {len(patched)} ({', '.join(patched)})")
print(f"sites left unfixed in Modules/, Objects/, Python/: {len(unfixed)}")
for key, sites in groups.items():
    print(f"  {len(sites):>3}  {key}")
    if len(sites) <= 12:
        print("       " + ", ".join(f"{s['path']}:{s['variable']}" for s in sites))
    else:
        per = collections.Counter(s["path"] for s in sites)
        print("       " + ", ".join(f"{p} ({n})" for p, n in per.items()))
print()
row("", "BEFORE (unpatched)", "AFTER (oncevar --fix)")
row("-" * W1, "-" * W2, "-" * 40)
row("regression tests (test cases)", tests_cell("before"), tests_cell("after"))
row("  regrtest verdict", regrtest_line("before"), regrtest_line("after"))
print(f"    ({read('tests').strip()})")
row("refs, blocks at exit: exercise script", refs_cell("before", "main"), refs_cell("after", "main"))
row("  ... and in a sub-interpreter", refs_cell("before", "sub"), refs_cell("after", "sub"))
db, da = demo_cells("before"), demo_cells("after")
row("demo: sub-interp's array reconstructor", db[0], da[0])
row("demo: sub-interp's datetime.strptime uses", db[1], da[1])
row("time: make (after: incremental)", duration(times.get("build_before", 0)),
    duration(times.get("build_after", 0)))
row("time: regression tests", duration(times.get("tests_before", 0)),
    duration(times.get("tests_after", 0)))
print(f"time: total {duration(times.get('total', 0))} (deps, fetch, oncevar build "
      f"{duration(times.get('setup', 0))}; copy and configure {duration(times.get('configure', 0))}; "
      f"waiting for benchmarks {duration(times.get('waited', 0))})")
print()
print("checks (each in its own process; scripts/e2e/checks.py):")
for name, before in checks["before"].items():
    after = checks["after"].get(name, {"detail": "missing", "ok": False})
    tag = ("REGRESSION" if before["ok"] and not after["ok"] else
           "fixed" if after["ok"] and not before["ok"] else
           "ok" if after["ok"] else "fails before and after")
    print(f"  {name}: {tag}")
    print(f"      before: {before['detail']}")
    print(f"      after:  {after['detail']}")
    if not before["ok"] and before.get("before_note"):
        print(f"      (failing before: {before['before_note']})")
    if tag == "REGRESSION" and after.get("regression_note"):
        print(f"      (diagnosis: {after['regression_note']})")
if warnings_after:
    print("oncevar runtime warnings after the rewrite:")
    for line in warnings_after[:10]:
        print("  " + line)
print("-" * 100)
if failures:
    print("VERDICT: FAIL")
    for reason in failures:
        print("  - " + reason)
else:
    print("VERDICT: PASS (every test that passed before passes after; references at exit drop; "
          "each interpreter gets its own object)")
print(f"logs: {LOGS}")
sys.exit(1 if failures else 0)
