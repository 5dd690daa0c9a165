#!/usr/bin/env python3
"""Mutation fuzzing of the oncevar binary over real C files.

    scripts/fuzz-mutate.py --oncevar BIN [--files N] [--seconds S] [--seed K]
                           [--work DIR] [--batch B] SEED_PATH...

Takes the .c/.h files under each SEED_PATH (the project's fixtures, the
fetched corpora), mutates them (bytes, tokens, lines; NUL, bytes that are
not UTF-8, CR-only and mixed line ends, byte order marks, deep nesting of
braces, parentheses, `if`s, `else if`s, comments, macros, declarators and
binary operators, huge lines and identifiers, unterminated comments,
strings, character literals and `#if`s) and runs the binary over batches
of them, as a user would, checking that:

  * no run aborts, panics, hangs (--timeout) or exits other than 0, 1, 2;
  * the JSON report is valid JSON;
  * `check --diff` applies with `git apply` and gives exactly what
    `check --fix` writes;
  * a second `--fix` changes nothing (fixing is idempotent);
  * no fixed file has more parse errors than before (`parse_errors` of the
    JSON report), and no fix is refused as parsing worse.

A failing batch is split to find the file that fails alone, which is kept
with its seed and mutations in WORK/failures/KIND-N/. Prints one line of
counts at the end (files, the files whose tree the first `--fix`
changed, each kind of failure); exits 1 when anything failed. Every run is under
`nice`, one at a time, with a memory limit (--memory, GiB of address
space).
"""

import argparse
import json
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

TOKEN = re.compile(rb"[A-Za-z_][A-Za-z_0-9]*|\d+|\s+|/\*|\*/|//|.", re.S)
PUNCT = [b"{", b"}", b"(", b")", b"[", b"]", b";", b",", b"*", b"&", b"=", b"==", b"!",
         b"static", b"PyObject", b"NULL", b"if", b"else", b"return", b"#", b"\\",
         b"\"", b"'", b"/*", b"*/", b"//", b"#if 1\n", b"#endif\n", b"#else\n",
         b"#define M(x) x = NULL\n", b"Py_CLEAR", b"->", b"...", b"typedef", b"struct"]
# The getter is static: one with external linkage and no caller in the
# tree has an unknown init phase, so its fix is unsafe and `--fix` would
# never apply it.
SITE = (b"static PyObject *cache_%d = NULL;\nstatic PyObject *get_%d(void) {\n"
        b"    if (cache_%d == NULL) { cache_%d = PyUnicode_FromString(\"x\"); }\n"
        b"    return cache_%d;\n}\n")


def deep(rng):
    n = rng.choice([100, 1000, 10_000, 100_000])
    shape = rng.choice(["braces", "parens", "ifs", "elseif", "comments", "linecomments",
                        "macro", "declarator", "binary", "ternary", "brackets", "casts"])
    if shape == "braces":
        return b"{" * n + b"x = 1;" + b"}" * n
    if shape == "parens":
        return b"x = " + b"(" * n + b"1" + b")" * n + b";"
    if shape == "ifs":
        return b"if (x) " * n + b"x = 1;"
    if shape == "elseif":
        return b"if (x) {}" + b" else if (x) {}" * n
    if shape == "comments":
        return b"/* c */\n" * n
    if shape == "linecomments":
        return b"// c\n" * n
    if shape == "macro":
        return b"M(" * n + b"x" + b")" * n
    if shape == "declarator":
        return b"static PyObject " + b"*(" * n + b"v" + b")" * n + b" = NULL;\n"
    if shape == "binary":
        return b"x = a" + b" + a" * n + b";"
    if shape == "ternary":
        return b"x = " + b"a ? a : " * n + b"a;"
    if shape == "brackets":
        return b"x" + b"[0]" * n + b";"
    return b"x = " + b"(PyObject *)" * n + b"y;"


def edit_list(items, rng, new):
    """`items` with one of them deleted, doubled, swapped with another or,
    when `new` is given, preceded by `new`."""
    i = rng.randrange(len(items))
    op = rng.random()
    if op < 0.3:
        del items[i]
    elif op < 0.5:
        items.insert(i, items[i])
    elif op < 0.7 or new is None:
        j = rng.randrange(len(items))
        items[i], items[j] = items[j], items[i]
    else:
        items.insert(i, new)
    return items


def mutate(data, rng, log):
    """One mutation of `data`; appends what it did to `log`."""
    kind = rng.choice(["byte", "byte", "token", "token", "token", "line", "line", "nul",
                       "utf8", "cr", "crlf", "bom", "deep", "deep", "huge-line",
                       "huge-ident", "unterminated", "site"])
    at = rng.randrange(len(data) + 1) if data else 0
    log.append(f"{kind}@{at}")
    if kind == "byte":
        if data and rng.random() < 0.5:
            return data[:at] + data[at + 1:]
        return data[:at] + bytes([rng.randrange(256)]) + data[at:]
    if kind == "token":
        tokens = TOKEN.findall(data)
        if not tokens:
            return rng.choice(PUNCT)
        return b"".join(edit_list(tokens, rng, rng.choice(PUNCT) + b" "))
    if kind == "line":
        return b"\n".join(edit_list(data.split(b"\n"), rng, None))
    if kind == "nul":
        return data[:at] + b"\0" + data[at:]
    if kind == "utf8":
        return data[:at] + rng.choice([b"\xff", b"\xc3", b"\xe2\x80", b"\xc0\xaf",
                                       b"\xed\xa0\x80", b"\xe2\x80\xae", b"\x1b]0;t\x07"]) + data[at:]
    if kind == "cr":
        return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r")
    if kind == "crlf":
        return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n", rng.randrange(1, 1000))
    if kind == "bom":
        return b"\xef\xbb\xbf" + data
    if kind == "deep":
        return data[:at] + deep(rng) + data[at:]
    if kind == "huge-line":
        return data[:at] + b"x = 1; " * rng.choice([1000, 50_000]) + data[at:]
    if kind == "huge-ident":
        return data[:at] + b" v" + b"x" * rng.choice([1000, 100_000]) + b" " + data[at:]
    if kind == "unterminated":
        return data[:at] + rng.choice([b"/*", b"\"", b"'", b"#if X\n", b"#ifdef X\n",
                                       b"#endif\n", b"#else\n", b"R\"(", b"\\\n"]) + data[at:]
    n = rng.randrange(1000)
    return data[:at] + SITE % (n, n, n, n, n) + data[at:]


COMMON = ["--no-config", "--jobs", "1"]


class Failed(Exception):
    """A check that failed, with (kind, detail)."""


class Runner:
    def __init__(self, args):
        self.args = args
        self.bin = str(Path(args.oncevar).resolve())
        # The mutated files (folders of a batch) whose tree the last
        # check's first `--fix` changed: a run whose fixes never apply (as
        # when every inserted site's fix was unsafe) checks the diffs and
        # the idempotence of nothing.
        self.changed = 0

    def limits(self):
        os.nice(19)
        memory = self.args.memory << 30
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        seconds = int(self.args.timeout)
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))

    def run(self, cwd, *argv):
        """(exit code, stdout, stderr); exit code None when the run used
        more than --timeout seconds of processor time (SIGXCPU), or was
        still going after ten times that on the wall clock. Processor
        time, not the wall clock: under a load of 20 on 2 cores a batch
        that used 2 s of it took over 120 s, and was counted a hang."""
        try:
            p = subprocess.run([self.bin, *argv], cwd=cwd, capture_output=True,
                               timeout=10 * self.args.timeout, preexec_fn=self.limits)
            if p.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
                return None, p.stdout, p.stderr
            return p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired as e:
            return None, e.stdout or b"", e.stderr or b""

    def checked(self, cwd, *argv):
        """stdout and stderr of a run that ended with 0, 1 or 2, without a
        panic or a fix refused as parsing worse; raises Failed otherwise."""
        code, out, err = self.run(cwd, *argv)
        tail = err.decode(errors="replace")[-2000:]
        if code is None:
            raise Failed("hang", tail)
        if code not in (0, 1, 2) or b"panicked" in err or b"RUST_BACKTRACE" in err:
            raise Failed(f"exit-{code}", tail)
        if b"parse worse" in err:
            raise Failed("parses-worse", tail)
        return out, err

    def report(self, cwd):
        """The JSON report of the tree at `cwd`, with its parse errors."""
        out, _ = self.checked(cwd, "check", "--output-format", "json", "--show-parse-errors",
                              *COMMON, ".")
        try:
            return json.loads(out)
        except ValueError as e:
            raise Failed("json", str(e)) from None

    def failure(self, cwd):
        """The first failure of the checks on the tree at `cwd` (left as
        it was), as (kind, detail), or None."""
        try:
            self.check(cwd)
        except Failed as failed:
            return failed.args
        return None

    def check(self, cwd):
        before = self.report(cwd)
        work = Path(self.args.work)
        a, b = work / "a", work / "b"
        for copy in (a, b):
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(cwd, copy, symlinks=True)
        patch, _ = self.checked(a, "check", "--diff", *COMMON, ".")
        if patch:
            (work / "fix.patch").write_bytes(patch)
            p = subprocess.run(["git", "apply", "--whitespace=nowarn", str(work / "fix.patch")],
                               cwd=a, capture_output=True)
            if p.returncode != 0:
                raise Failed("diff-does-not-apply", p.stderr.decode(errors="replace")[-2000:])
        self.checked(b, "check", "--fix", *COMMON, ".")
        self.changed = len({n.parts[0] for n in tree_difference_names(snapshot(cwd), snapshot(b))})
        differs = tree_difference(a, b)
        if differs:
            raise Failed("fix-differs-from-diff", differs)
        fixed = snapshot(b)
        self.checked(b, "check", "--fix", *COMMON, ".")
        if snapshot(b) != fixed:
            raise Failed("not-idempotent", tree_difference_of(fixed, snapshot(b)))
        was = {e["path"]: e["errors"] for e in before.get("parse_errors", [])}
        for e in self.report(b).get("parse_errors", []):
            if e["errors"] > was.get(e["path"], 0):
                raise Failed("parses-worse",
                             f"{e['path']}: {was.get(e['path'], 0)} -> {e['errors']}")


def fresh(folder, name):
    """`folder/name`, or `folder/name.2`, `.3`... when taken (by an earlier run)."""
    path, n = folder / name, 1
    while path.exists():
        n += 1
        path = folder / f"{name}.{n}"
    return path


def snapshot(root):
    return {p.relative_to(root): p.read_bytes() for p in sorted(Path(root).rglob("*"))
            if p.is_file()}


def tree_difference_names(x, y):
    return [n for n in sorted(set(x) | set(y)) if x.get(n) != y.get(n)]


def tree_difference_of(x, y):
    return ", ".join(str(n) for n in tree_difference_names(x, y))


def tree_difference(a, b):
    return tree_difference_of(snapshot(a), snapshot(b))


def seeds(paths, limit):
    found = []
    for root in paths:
        root = Path(root)
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for f in files:
            if f.suffix in (".c", ".h") and f.is_file() and f.stat().st_size <= limit:
                found.append(f)
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--oncevar", required=True)
    ap.add_argument("--files", type=int, default=10_000, help="mutated files to run (default 10,000)")
    ap.add_argument("--seconds", type=float, default=3600, help="stop after this long")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batch", type=int, default=40, help="files per run of the binary")
    ap.add_argument("--timeout", type=float, default=120, help="seconds of processor time a run may take")
    ap.add_argument("--memory", type=int, default=8, help="GiB of address space a run may use")
    ap.add_argument("--work", default=".cache/fuzz/mutate")
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = Path(args.work).resolve()
    args.work = str(work)
    shutil.rmtree(work / "batch", ignore_errors=True)
    (work / "failures").mkdir(parents=True, exist_ok=True)
    pool = seeds(args.paths, 256 * 1024)
    if not pool:
        sys.exit("fuzz-mutate: no .c or .h seed files under " + " ".join(args.paths))
    runner = Runner(args)
    started = time.monotonic()
    done, failures, kinds, changed = 0, 0, {}, 0
    while done < args.files and time.monotonic() - started < args.seconds:
        batch = work / "batch"
        shutil.rmtree(batch, ignore_errors=True)
        made = []
        for i in range(min(args.batch, args.files - done)):
            seed = rng.choice(pool)
            data, log = seed.read_bytes(), []
            for _ in range(rng.choice([1, 1, 2, 3, 5])):
                data = mutate(data, rng, log)
            folder = batch / f"f{i:03}"
            folder.mkdir(parents=True)
            # A fixture's headers come along, so units span files.
            if "testdata" in seed.parts:
                for sibling in seed.parent.rglob("*.h"):
                    target = folder / sibling.relative_to(seed.parent)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(sibling, target)
            (folder / seed.name).write_bytes(data)
            made.append((folder, seed, log))
        done += len(made)
        runner.changed = 0
        whole = runner.failure(batch)
        changed += runner.changed
        if done % 1000 < len(made):
            print(f"fuzz-mutate: {done} files ({changed} changed by --fix), "
                  f"{time.monotonic() - started:.0f} s, {failures} failures", flush=True)
        if whole is None:
            continue
        # Find the files that fail alone.
        alone = 0
        for folder, seed, log in made:
            found = runner.failure(folder)
            if found is None:
                continue
            kind, detail = found
            failures += 1
            kinds[kind] = kinds.get(kind, 0) + 1
            keep = fresh(work / "failures", f"{kind}-{failures}")
            shutil.copytree(folder, keep)
            (keep / "MUTATIONS.txt").write_text(
                f"seed: {seed}\nmutations: {' '.join(log)}\n\n{detail}\n")
            print(f"fuzz-mutate: {kind}: {keep} (seed {seed})", flush=True)
            alone += 1
        if alone == 0:
            failures += 1
            kinds["batch-only"] = kinds.get("batch-only", 0) + 1
            keep = fresh(work / "failures", f"batch-only-{failures}")
            shutil.copytree(batch, keep)
            (keep / "FAILURE.txt").write_text(f"{whole[0]}\n\n{whole[1]}\n")
            print(f"fuzz-mutate: {whole[0]} only in the whole batch: {keep}", flush=True)
    elapsed = time.monotonic() - started
    summary = ", ".join(f"{k}: {v}" for k, v in sorted(kinds.items())) or "no failures"
    print(f"fuzz-mutate: {done} mutated files ({changed} changed by --fix) in {elapsed:.0f} s; "
          f"{summary}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
