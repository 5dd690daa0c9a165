#!/usr/bin/env python3
"""The audit of many extensions at once: for each source tree, `oncevar audit`
before and after `--fix` (on a copy), and a table of what it found.

    scripts/audit-survey.py BINARY [TREE...]     # default: the sdists of
                                                 # scripts/realworld.sh

Per tree: its modules, how many could claim an own GIL per interpreter and
how many could run without the GIL, today and after `oncevar audit --fix`
(the blockers' safe fixes applied), and the blockers by code (each finding
counted once per module it blocks). Below the table, the totals. The JSON
audits are kept under .cache/reports/audit-survey/<tree>/ (before.json,
after.json, fix.stderr); the table is written to
.cache/reports/audit-survey/summary.md too.

Exit status 1 when oncevar fails (exit 2 or a crash) on a tree, or takes
longer than --timeout seconds; 0 otherwise.
"""

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def audit(binary, tree, timeout, extra=()):
    """Runs `oncevar audit --output-format json` on `tree`; returns (json or
    None, stderr, exit status)."""
    proc = subprocess.run(
        [binary, "audit", "--output-format", "json", "--jobs", "2", *extra, "."],
        cwd=tree,
        capture_output=True,
        timeout=timeout,
    )
    report = None
    if proc.returncode in (0, 1):
        report = json.loads(proc.stdout)
    return report, proc.stderr.decode(errors="replace"), proc.returncode


def counts(report):
    """(modules, own-GIL ok, free-threading ok, blockers by code, per-module
    init phases)."""
    modules = report["modules"]
    pig = sum(m["per_interpreter_gil"]["verdict"] == "ok" for m in modules)
    ft = sum(m["free_threading"]["verdict"] == "ok" for m in modules)
    by_code = collections.Counter()
    for m in modules:
        seen = set()
        for verdict in ("per_interpreter_gil", "free_threading"):
            for b in m[verdict]["blockers"]:
                key = (b["code"], b["path"], b["line"], b["column"])
                if key not in seen:
                    seen.add(key)
                    by_code[b["code"]] += 1
    phases = collections.Counter(m["init"] for m in modules)
    return len(modules), pig, ft, by_code, phases


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary", help="the oncevar binary (absolute path)")
    parser.add_argument("trees", nargs="*", help="source trees to audit")
    parser.add_argument("--timeout", type=int, default=600)
    parser.add_argument(
        "--reports", default=os.path.join(ROOT, ".cache", "reports", "audit-survey")
    )
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    trees = args.trees
    if not trees:
        base = os.path.join(ROOT, ".cache", "corpus", "realworld")
        if not os.path.isdir(base):
            sys.exit(f"no trees given and {base} is missing: run scripts/realworld.sh --fetch-only")
        trees = sorted(
            os.path.join(base, d)
            for d in os.listdir(base)
            if os.path.isdir(os.path.join(base, d))
        )
    os.makedirs(args.reports, exist_ok=True)
    rows = []
    totals = collections.Counter()
    blockers_before = collections.Counter()
    blockers_after = collections.Counter()
    phases = collections.Counter()
    failed = []
    for tree in trees:
        name = os.path.basename(tree.rstrip("/"))
        out = os.path.join(args.reports, name)
        os.makedirs(out, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="oncevar-audit-") as tmp:
            copy = os.path.join(tmp, name)
            shutil.copytree(tree, copy, symlinks=True)
            try:
                before, err, status = audit(binary, copy, args.timeout)
                if before is None:
                    failed.append(f"{name}: exit {status}: {err.strip()[-300:]}")
                    continue
                fix = subprocess.run(
                    [binary, "audit", "--fix", "--jobs", "2", "."],
                    cwd=copy,
                    capture_output=True,
                    timeout=args.timeout,
                )
                with open(os.path.join(out, "fix.stderr"), "wb") as f:
                    f.write(fix.stderr)
                if fix.returncode not in (0, 1, 2):
                    failed.append(f"{name}: --fix exit {fix.returncode}")
                after, err, status = audit(binary, copy, args.timeout)
                if after is None:
                    failed.append(f"{name}: after --fix, exit {status}: {err.strip()[-300:]}")
                    continue
            except subprocess.TimeoutExpired:
                failed.append(f"{name}: over {args.timeout} s")
                continue
        for label, report in (("before", before), ("after", after)):
            with open(os.path.join(out, f"{label}.json"), "w") as f:
                json.dump(report, f, indent=1, sort_keys=True)
        n, pig, ft, codes, ph = counts(before)
        _, pig_after, ft_after, codes_after, _ = counts(after)
        totals.update(
            modules=n, pig=pig, ft=ft, pig_after=pig_after, ft_after=ft_after,
            packages_with_modules=1 if n else 0,
        )
        blockers_before.update(codes)
        blockers_after.update(codes_after)
        phases.update(ph)
        rows.append(
            f"| {name} | {n} | {pig} → {pig_after} | {ft} → {ft_after} | "
            + (", ".join(f"{c} {k}" for c, k in sorted(codes.items())) or "-")
            + " |"
        )
    lines = [
        "| package | modules | own GIL ok (today → after --fix) | free threading ok | blockers |",
        "|---|---|---|---|---|",
        *rows,
        "",
        f"{len(rows)} trees audited, {totals['packages_with_modules']} with modules; "
        f"{totals['modules']} modules ("
        + ", ".join(f"{k} {v}" for k, v in sorted(phases.items()))
        + f"); own GIL per interpreter ok: {totals['pig']} today, {totals['pig_after']} "
        f"after --fix; free threading ok: {totals['ft']} today, {totals['ft_after']} after --fix",
        "blockers by code today: "
        + ", ".join(f"{c} {k}" for c, k in sorted(blockers_before.items())),
        "blockers by code after --fix: "
        + ", ".join(f"{c} {k}" for c, k in sorted(blockers_after.items())),
    ]
    if failed:
        lines += ["", "failed:", *failed]
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    with open(os.path.join(args.reports, "summary.md"), "w") as f:
        f.write(text)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
