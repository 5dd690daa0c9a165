#!/usr/bin/env python3
"""Measure an `oncevar check --output-format json` report against a
hand-checked list of sites (testdata/<corpus>/sites.tsv) and look-alikes
(not-sites.tsv). Prints recall, precision, code agreement and every
difference. Exits 1 when recall or precision is below the given floors."""

import argparse
import csv
import json
import sys


def load(path):
    rows = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            function = None if r["function"] == "-" else r["function"]
            rows[(r["path"], function, r["variable"])] = r
    return rows


def show(key):
    return f"{key[0]} {key[1] or '-'} {key[2]}"


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("report", help="JSON report of oncevar check")
    ap.add_argument("sites", help="sites.tsv")
    ap.add_argument("not_sites", help="not-sites.tsv")
    ap.add_argument("--min-recall", type=float, default=0.0)
    ap.add_argument("--min-precision", type=float, default=0.0)
    args = ap.parse_args()

    truth = load(args.sites)
    not_sites = load(args.not_sites)
    with open(args.report) as f:
        findings = json.load(f)["findings"]
    found = {(f["path"], f["function"], f["variable"]): f for f in findings}

    hits = [k for k in found if k in truth]
    false = [k for k in found if k not in truth]
    missed = [k for k in truth if k not in found]
    recall = len(hits) / len(truth) if truth else 1.0
    precision = len(hits) / len(found) if found else 1.0
    agree = sum(1 for k in hits if found[k]["code"] == truth[k]["code"])

    print(f"hand-checked sites: {len(truth)}; reported: {len(found)}; true: {len(hits)}")
    print(f"recall {recall:.1%}  precision {precision:.1%}  same code {agree}/{len(hits)}")
    for k in sorted(hits, key=show):
        if found[k]["code"] != truth[k]["code"]:
            print(f"  code differs: {show(k)}: reported {found[k]['code']}, list {truth[k]['code']}")
    for k in sorted(false, key=show):
        why = not_sites.get(k, {}).get("note", "not in either list")
        print(f"  false positive: {show(k)} {found[k]['code']}: {why[:110]}")
    for k in sorted(missed, key=show):
        print(f"  missed: {show(k)} {truth[k]['code']}: {truth[k]['note'][:110]}")
    if recall < args.min_recall or precision < args.min_precision:
        print(f"below the floor (recall >= {args.min_recall:.0%}, precision >= {args.min_precision:.0%})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
