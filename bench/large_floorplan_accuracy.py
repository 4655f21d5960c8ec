#!/usr/bin/env python3
"""Issue 19's accuracy check on a generated N-block slicing floorplan
(bench/make_slicing_floorplan.py): the run with defaults against a reference adapted
to a tolerance at least 10x tighter, both on NP ranks under mpirun:

    python3 bench/large_floorplan_accuracy.py build/app/chiptherm [--np 2] [--reference-tolerance 0.008]
                                              [--reference-degree 3] [--cache DIR] [N]

N defaults to 1000. Prints both runs' wall time, peak memory (ranks summed), cells, largest bound
and verdicts, then
every block's true error (|figure - reference|, t_max, t_avg and t_min) against its bound:
the largest true error, the lowest effectivity (bench/effectivity.py: figures whose true error
is above twice the reference's own bound, on resolved blocks) and the misses: a bound that,
with the reference's own bound added, is still below the true error (the reference is not
exact; bench/error_bound_effectivity.py's degree-4 references are, to 0.001 K).
--cache keeps the reference's report (DIR/slicingN_ref_TOL_qDEGREE.json) for the next run.
Exit 1 when the largest true error is above 0.1 K or a bound misses.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from bench_run import run_chiptherm  # noqa: E402
from effectivity import compare  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("chiptherm")
parser.add_argument("n", nargs="?", type=int, default=1000)
parser.add_argument("--np", type=int, default=2)
parser.add_argument("--reference-tolerance", type=float, default=0.008)
parser.add_argument("--reference-degree", type=int, default=2)
parser.add_argument("--cache")
args = parser.parse_args()


def signoff(case, overrides):
    """One `chiptherm signoff` on args.np ranks: (report, wall s, peak MB summed over the ranks)."""
    return run_chiptherm(os.path.abspath(args.chiptherm), "signoff", case, overrides, args.np, ok_codes=(0, 1))


def describe(name, report, wall, peak_mb):
    a = report["adaptivity"]
    verdicts = {}
    for b in report["blocks"]:
        verdicts[b["verdict"]] = verdicts.get(b["verdict"], 0) + 1
    cost = "cached" if wall is None else "%.1f s, %.0f MB" % (wall, peak_mb)
    print("%-9s %20s  %d cycles, %s cells, largest bound %.4f K, stop %s, verdicts %s" % (
        name, cost, a["cycles"], a["history"][-1]["cells"], a["max_error_k"], a["stop_reason"],
        ", ".join("%d %s" % (v, k) for k, v in sorted(verdicts.items()))), flush=True)


with tempfile.TemporaryDirectory(prefix="chiptherm-accuracy-") as tmp:
    case = os.path.join(tmp, "slicing%d.yaml" % args.n)
    with open(case, "w") as f:
        subprocess.run([sys.executable, os.path.join(here, "make_slicing_floorplan.py"), str(args.n)], stdout=f,
                       check=True)
    run, wall, peak = signoff(case, [])
    describe("defaults", run, wall, peak)
    cached = args.cache and os.path.join(args.cache, "slicing%d_ref_%g_q%d.json" % (
        args.n, args.reference_tolerance, args.reference_degree))
    if cached and os.path.exists(cached):
        with open(cached) as f:
            reference = json.load(f)
        print("reference from %s" % cached)
        wall, peak = None, None
    else:
        reference, wall, peak = signoff(case, ["adaptivity.tolerance=%g" % args.reference_tolerance,
                                               "solver.degree=%d" % args.reference_degree])
        if cached:
            os.makedirs(args.cache, exist_ok=True)
            with open(cached, "w") as f:
                json.dump(reference, f)
    describe("reference", reference, wall, peak)

rows, worst = compare(run, reference, 2)
largest = max(rows, key=lambda r: r["true_k"])
misses = [r for r in rows if r["bound_k"] + r["reference_bound_k"] < r["true_k"]]
ref_bound = reference["adaptivity"]["max_error_k"]
print("reference's largest bound %.4f K: %.1fx below the run's %.4f K" % (
    ref_bound, run["adaptivity"]["max_error_k"] / ref_bound, run["adaptivity"]["max_error_k"]))
print("largest true error %.4f K (%s %s, bound %.4f K)" % (largest["true_k"], largest["block"], largest["figure"],
                                                         largest["bound_k"]))
print("figures counted (true error above twice the reference's bound): %d of %d; unresolved blocks: %d" % (
    sum(r["counted"] for r in rows), len(rows), sum(1 for r in rows if not r["resolved"]) // 3))
if worst:
    print("lowest effectivity %.2f (%s %s: bound %.4f K, true %.4f K)" % worst)
print("bound + reference's bound below the true error: %d figures" % len(misses))
for r in misses:
    print("MISS %s %s: bound %.4f + %.4f K < true %.4f K" % (r["block"], r["figure"], r["bound_k"],
                                                           r["reference_bound_k"], r["true_k"]))
sys.exit(1 if misses or largest["true_k"] > 0.1 else 0)
