#!/usr/bin/env python3
"""The adaptive sign-off under two or more values of one case key (by default
adaptivity.min_growth, the floor on a cycle's growth, 0 against 0.2): cycles,
final cells, largest bound, wall seconds and peak memory per case, the values
run in turn (paired: a slow spell of a shared machine hits them alike).

    python3 bench/setting_comparison.py [--key adaptivity.min_growth] [--values 0,0.2]
        [--ranks 1] [--runs 1] [--with-1000] [--fresh N --seed S] [--only NAME] [--phases]

The cases: the issue-18 tile and small-hotspot cases (250 um and 100 um), the shipped 2.5D package,
the sweep tests' two-die package with adaptivity on, the 100-block slicing
floorplan, and HotSpot 7's example1 and example3 imported (tests/data/hotspot7).
--with-1000 adds the 1000-block slicing floorplan on 2 ranks (about 6 minutes a
run); --fresh N adds N chips of the predictor's training family drawn with
--seed S (`chiptherm train --generate`, bench/predictor_seeding.py's
fresh_chips); --only keeps the cases whose name contains NAME. Prints a markdown table;
nothing is asserted.
"""
import argparse
import os
import subprocess
import sys
import tempfile

from bench_run import CHIPTHERM, ENV, ROOT, run_chiptherm
from predictor_seeding import fresh_chips

HOTSPOT = os.path.join(ROOT, "tests", "data", "hotspot7")


def imported_hotspot(example, tmp):
    """chiptherm import hotspot of one of HotSpot's examples; returns the case file."""
    folder = os.path.join(HOTSPOT, example)
    out = os.path.join(tmp, example + ".yaml")
    args = [CHIPTHERM, "import", "hotspot", "--config", os.path.join(folder, "example.config"),
            "--materials", os.path.join(folder, "example.materials"), "-o", out]
    if example == "example1":
        args += ["--flp", os.path.join(folder, "ev6.flp"), "--ptrace", os.path.join(folder, "gcc.ptrace")]
    else:
        args += ["--lcf", os.path.join(folder, "example.lcf"), "--ptrace", os.path.join(folder, "example.ptrace")]
    subprocess.run(args, check=True, capture_output=True, cwd=folder, env=ENV)
    return out


def slicing_1000(tmp):
    out = os.path.join(tmp, "slicing1000.yaml")
    with open(out, "w") as f:
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "make_slicing_floorplan.py"), "1000"],
                       check=True, stdout=f)
    return out


def cases(tmp, with_1000, ranks, fresh=0, seed=7):
    """(name, case file, extra overrides, ranks)."""
    listed = [
        ("tile_hotspot", os.path.join(ROOT, "bench/cases/tile_hotspot.yaml"), [], ranks),
        ("small_hotspot", os.path.join(ROOT, "bench/cases/small_hotspot.yaml"), [], ranks),
        ("tiny_hotspot", os.path.join(ROOT, "bench/cases/tiny_hotspot.yaml"), [], ranks),
        ("package_2p5d", os.path.join(ROOT, "examples/chiplets/package_2p5d.yaml"), [], ranks),
        ("two_die_package (adaptivity on)", os.path.join(ROOT, "tests/regression/cases/two_die_package.yaml"),
         ["adaptivity.enabled=true"], ranks),
        ("slicing_100", os.path.join(ROOT, "tests/regression/cases/slicing_100.yaml"), [], ranks),
        ("HotSpot example1", imported_hotspot("example1", tmp), [], ranks),
        ("HotSpot example3", imported_hotspot("example3", tmp), [], ranks),
    ]
    if with_1000:
        listed.append(("1000 blocks", slicing_1000(tmp), [], 2))
    if fresh:
        listed += [("fresh chip %d (seed %d)" % (i, seed), case, [], ranks)
                   for i, case in enumerate(fresh_chips(fresh, seed))]
    return listed


def summary(report, wall, rss_mb, phases=False):
    a = report["adaptivity"]
    undecided = sum(1 for b in report["blocks"] if b.get("verdict") == "undecided")
    text = "%d, %s cells, %.3g K, %d undecided, %.1f s, %.2f GB" % (
        a["cycles"], format(report["mesh"]["cells"], ","), a["max_error_k"], undecided, wall, rss_mb / 1024)
    if phases:
        t = report["timing_s"]
        text += " (solve %.1f s, setup %.1f s)" % (t["solve"], t["setup"])
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--key", default="adaptivity.min_growth", help="the case key compared")
    parser.add_argument("--values", default="0,0.2", help="its values, comma-separated")
    parser.add_argument("--ranks", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1, help="rounds; the best wall of each is printed")
    parser.add_argument("--with-1000", action="store_true", help="add the 1000-block floorplan (2 ranks)")
    parser.add_argument("--fresh", type=int, default=0, help="add this many freshly generated chips")
    parser.add_argument("--seed", type=int, default=7, help="the fresh chips' generator seed")
    parser.add_argument("--only", default="", help="only the cases whose name contains this")
    parser.add_argument("--chiptherm", default=CHIPTHERM)
    parser.add_argument("--phases", action="store_true", help="add timing_s' solve and setup phases")
    args = parser.parse_args()
    values = args.values.split(",")
    tmp = tempfile.mkdtemp(prefix="setting-comparison-")
    key = args.key.split(".")[-1]
    print("| case | " + " | ".join("%s %s: cycles, cells, largest bound, undecided, wall, peak memory" % (key, v)
                                  for v in values) + " |")
    print("|---|" + "---|" * len(values))
    for name, case, extra, ranks in cases(tmp, args.with_1000, args.ranks, args.fresh, args.seed):
        if args.only not in name:
            continue
        best = {}
        for _ in range(args.runs):
            for v in values:
                run = run_chiptherm(args.chiptherm, "signoff", case, extra + ["%s=%s" % (args.key, v)], ranks,
                                    ok_codes=(0, 1))
                if v not in best or run[1] < best[v][1]:
                    best[v] = run
        print("| %s | " % name + " | ".join(summary(*best[v], phases=args.phases) for v in values) + " |", flush=True)


if __name__ == "__main__":
    main()
