"""The verdict of scripts/e2e-subinterpreters.sh on one module and one kind
of sub-interpreter: the original build's run against the fixed build's.

    python3 judge.py ROOT STATUS_BEFORE STATUS_AFTER CHANGED KIND

ROOT holds `before-KIND.json` and `after-KIND.json`, the last line of each
being scripts/e2e/subinterp.py's JSON object; STATUS_* are the two runs'
exit statuses (124: timed out); CHANGED is how many files the fix changed.
Prints one line, `OUTCOME<TAB>TEXT`, OUTCOME being `ok`, `SKIP` or `FAIL`.

The reference counts (a debug build's `sys.gettotalrefcount`) must be the
same before and after the fix, function by function where subinterp.py
measured each public function alone (`refs_by_function`), else for the
module. Where the fix makes a function right in sub-interpreters (the
original differed from the main interpreter there), different code runs
after it, so its counts are not comparable: fewer references left by that
function is then no failure (fix-error-path-decref-forms on 3.14: its
original warns and drops a static in main only, and left 3 more per
interpreter), more is. That tolerance is the repaired function's alone: an
over-release in another function (a key owning where it borrows) fails,
which a module-wide count could not tell apart.
"""
import json
import sys


def load(root, side, kind):
    """subinterp.py's JSON object from ROOT/SIDE-KIND.json, or None."""
    try:
        with open(f"{root}/{side}-{kind}.json") as f:
            return json.loads(f.read().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError):
        return None


def last_line(root, side, kind):
    """The last non-empty line of a run's standard error."""
    try:
        with open(f"{root}/{side}-{kind}.json.err") as f:
            lines = [l.strip() for l in f if l.strip()]
        return lines[-1] if lines else "no message"
    except OSError:
        return "no message"


def count_problems(b, a, repaired):
    """The reference-count differences that fail, as sentences.

    B and A are the runs before and after the fix; REPAIRED, the functions
    the fix made agree with the main interpreter.
    """
    def differs(before, after, tolerated):
        return before != after and not (
            tolerated and before is not None and after is not None and after < before
        )

    per_b, per_a = b.get("refs_by_function"), a.get("refs_by_function")
    n = a["interpreters"]
    if per_b is not None and per_a is not None:
        return [
            f"references left by {name} over {n} interpreters: "
            f"{per_b.get(name)} before the fix, {per_a.get(name)} after"
            + (" (repaired there, but more is left)" if name in repaired else "")
            for name in sorted(set(per_b) | set(per_a))
            if differs(per_b.get(name), per_a.get(name), name in repaired)
        ]
    if differs(b["refs_delta"], a["refs_delta"], bool(repaired)):
        return [
            f"total reference count after {n} interpreters: "
            f"{b['refs_delta']:+} before the fix, {a['refs_delta']:+} after"
        ]
    return []


def judge(root, sb, sa, changed, kind):
    """The verdict line (`OUTCOME<TAB>TEXT`) for one module and KIND."""
    b, a = load(root, "before", kind), load(root, "after", kind)
    problems = []
    if sa != 0 and sb == 0:
        what = "times out" if sa == 124 else f"exits {sa} (crash or error)"
        problems.append(f"the fixed module {what} where the original exits 0")
    elif sb != 0:
        if sa == 0 and a is not None and not a["errors"]:
            return (f"ok\tthe original fails in sub-interpreters (exit {sb}: "
                    f"{last_line(root, 'before', kind)}); "
                    f"the fixed one runs {a['interpreters']} of them, refs delta {a['refs_delta']}")
        return (f"SKIP\tthe original fails as it is (exit {sb}: {last_line(root, 'before', kind)}); "
                f"the fixed one exits {sa}"
                + ("" if sa == sb else f" ({last_line(root, 'after', kind)})"))
    if a is None or b is None:
        if not problems:
            problems.append("no result")
    elif a["interpreters"] == 0 and b["interpreters"] == 0:
        reason = (b["errors"] or ["no error"])[0]
        return f"SKIP\tloads in no {kind} sub-interpreter, before the fix or after it ({reason})"
    else:
        if a["functions"] != b["functions"]:
            problems.append("the main interpreter's results changed")
        new_shared = set(a["shared_with_main"]) - set(b["shared_with_main"])
        if new_shared:
            problems.append(f"shares with the main interpreter what the original did not: {sorted(new_shared)}")
        new_diff = set(a["differs_from_main"]) - set(b["differs_from_main"])
        if new_diff:
            problems.append(f"sub-interpreters differ from the main one where the original did not: {sorted(new_diff)}")
        if len(a["errors"]) > len(b["errors"]):
            problems.append(f"errors in sub-interpreters: {a['errors']}")
        repaired = set(b["differs_from_main"]) - set(a["differs_from_main"])
        problems.extend(count_problems(b, a, repaired))
    if problems:
        return "FAIL\t" + "; ".join(problems)
    own = sorted(set(b["shared_with_main"]) - set(a["shared_with_main"]))
    fixed = sorted(set(b["differs_from_main"]) - set(a["differs_from_main"]))
    refs = (f"{a['refs_delta']} ({b['refs_delta']} before the fix, which runs other code there)"
            if a["refs_delta"] != b["refs_delta"] else f"{a['refs_delta']}")
    return (f"ok\t{changed} file(s) changed by the fix, {len(a['functions'])} function(s), "
            f"{a['interpreters']} interpreters, refs delta {refs}"
            + (f", now per interpreter: {', '.join(own)}" if own else "")
            + (f", now as in the main interpreter: {', '.join(fixed)}" if fixed else ""))


if __name__ == "__main__":
    root, sb, sa, changed, kind = sys.argv[1:6]
    print(judge(root, int(sb), int(sa), int(changed), kind))
