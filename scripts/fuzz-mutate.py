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

  * no run aborts, panics, hangs (uses more than --timeout seconds of
    processor time, or none for --stall seconds) or exits other than 0, 1, 2;
  * the JSON report is valid JSON;
  * `check --diff` applies with `git apply` and gives exactly what
    `check --fix` writes;
  * a second `--fix` changes nothing (fixing is idempotent);
  * no fixed file has more parse errors than before (`parse_errors` of the
    JSON report), and no fix is refused as parsing worse.

A failing batch is split to find the file that fails alone, which is kept
with its seed and mutations in WORK/failures/KIND-N/. Prints a progress
line every 500 files and one line of counts at the end (files, the files
whose tree the first `--fix` changed, the time, how the run ended, the
load average's range, each kind of failure, zeros included), also when
--seconds or a SIGTERM, SIGINT or SIGHUP stops it (the batch in flight is
then not counted); exits 1 when anything failed. Every run is under
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
        # (files, failures, files changed by --fix) of the batches checked
        # so far: what the summary counts when a signal stops the run.
        self.progress = (0, 0, 0)

    def limits(self):
        os.nice(19)
        memory = self.args.memory << 30
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        seconds = int(self.args.timeout)
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))

    def run(self, cwd, *argv):
        """(exit code, stdout, stderr); exit code None when the run used
        more than --timeout seconds of processor time (SIGXCPU), or used
        none at all for --stall seconds of wall clock (blocked). Processor
        time, not the wall clock: under a load of 20 on 2 cores a batch
        that used 2 s of it took over 120 s, and one that used 40 s per run
        (100,000 nested `M(` in 1.9 MB) took 26 min, so any wall-clock
        bound is either a false hang under load or no bound at all."""
        # Its own process group, so a kill leaves no child holding the pipes.
        p = subprocess.Popen([self.bin, *argv], cwd=cwd, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, preexec_fn=self.limits,
                             start_new_session=True)
        used, since = -1, time.monotonic()
        try:
            while True:
                try:
                    out, err = p.communicate(timeout=5)
                    break
                except subprocess.TimeoutExpired:
                    now, ticks = time.monotonic(), processor_ticks(p.pid)
                    if ticks != used:
                        used, since = ticks, now
                    elif now - since > self.args.stall:
                        kill(p)
                        out, err = p.communicate()
                        return None, out, err + (b"\nfuzz-mutate: no processor time used for "
                                                 b"%d s" % self.args.stall)
        finally:
            if p.poll() is None:
                kill(p)
                p.wait()
        if p.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
            return None, out, err
        return p.returncode, out, err

    def checked(self, cwd, *argv):
        """stdout and stderr of a run that ended with 0, 1 or 2, without a
        panic or a fix refused as parsing worse; raises Failed otherwise."""
        code, out, err = self.run(cwd, *argv)
        tail = err.decode(errors="replace")[-2000:]
        if code is None:
            raise Failed("hang", tail)
        if b"panicked" in err or b"RUST_BACKTRACE" in err:
            raise Failed("panic", tail)
        if code < 0 or code == 134:
            raise Failed("abort", f"signal {-code if code < 0 else 6}\n{tail}")
        if code not in (0, 1, 2):
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


def kill(p):
    """Kills process `p` and its process group."""
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def processor_ticks(pid):
    """User and system processor time of process `pid` so far, in clock
    ticks (/proc/PID/stat), or -1 when it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return -1


# Every kind of failure the summary counts, zeros included; an exit code
# that is none of these (not 0, 1 or 2) is counted as exit-CODE.
KINDS = ["abort", "panic", "hang", "json", "diff-does-not-apply", "fix-differs-from-diff",
         "not-idempotent", "parses-worse", "batch-only"]


class Stopped(Exception):
    """SIGTERM, SIGINT or SIGHUP arrived: the run stops with its summary."""


def stop(signum, _frame):
    raise Stopped(signal.Signals(signum).name)


def load():
    """The 1-minute load average, as text."""
    return f"{os.getloadavg()[0]:.1f}"


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
    ap.add_argument("--stall", type=float, default=900,
                    help="seconds of wall clock without processor time that make a run a hang")
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
    loads = [os.getloadavg()[0]]
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, stop)
    try:
        done, failures, changed = batches(args, pool, rng, runner, work, started, kinds, loads)
        ended = "done" if done >= args.files else f"stopped by the {args.seconds:.0f} s bound"
    except Stopped as e:
        done, failures, changed = runner.progress
        ended = f"stopped by {e.args[0]}"
    elapsed = time.monotonic() - started
    counts = {k: 0 for k in KINDS} | kinds
    summary = ", ".join(f"{k}: {v}" for k, v in counts.items())
    print(f"fuzz-mutate: {done} mutated files ({changed} changed by --fix) in {elapsed:.0f} s, "
          f"{ended}; load {min(loads):.1f} to {max(loads):.1f}; {summary}", flush=True)
    sys.exit(1 if failures or kinds else 0)


def batches(args, pool, rng, runner, work, started, kinds, loads):
    """Runs batches until args.files are done or args.seconds have passed;
    (files done, failures, files changed by --fix). Each batch's counts are
    kept in runner.progress once it is checked, for a stop in the middle."""
    done, failures, changed = 0, 0, 0
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
        if done % 500 < len(made):
            loads.append(os.getloadavg()[0])
            print(f"fuzz-mutate: {done} files ({changed} changed by --fix), "
                  f"{time.monotonic() - started:.0f} s, load {load()}, {failures} failures",
                  flush=True)
        if whole is None:
            runner.progress = (done, failures, changed)
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
        runner.progress = (done, failures, changed)
    return done, failures, changed


if __name__ == "__main__":
    main()
