#!/usr/bin/env python3
"""The shipped example under its 1000-interval power trace: steps, rejected
steps, mesh changes, wall time and peak memory of `chiptherm transient`, with
error control on 1 and 2 ranks, with mesh adaptation, and against the same run
at a fixed small step (the reference for the peak temperatures).

    python3 bench/transient_benchmark.py [CASE.yaml] [--chiptherm build/app/chiptherm]
        [--base "mesh.policy=none"] [--fixed-step 5e-5] [--skip-fixed] [--skip-adapt]
        [--reference tests/data/references/transient-soc_demo.json]

Prints a markdown table; nothing is asserted (timings are noisy: compare ratios
within one run). Error = the largest |peak_c - peak_c(reference)| over blocks;
the reference is the fixed-step run (stage solves to 1e-10: 4-5 minutes at 50
us) or, with --skip-fixed, the peaks stored in --reference (the same run's).
"""
import argparse
import json
import os

from bench_run import CHIPTHERM, ROOT, run_chiptherm


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("case", nargs="?", default=os.path.join(ROOT, "examples", "soc_demo", "soc_demo.yaml"))
    parser.add_argument("--chiptherm", default=CHIPTHERM)
    parser.add_argument("--base", default="mesh.policy=none", help="overrides for every run, comma-separated")
    parser.add_argument("--fixed-step", default="5e-5",
                        help="s, the reference run's step (0.25 ms was 0.0145 K off the 50 us run's peaks)")
    parser.add_argument("--skip-fixed", action="store_true")
    parser.add_argument("--reference", help="with --skip-fixed: a stored reference's JSON (blocks' peak_c)")
    parser.add_argument("--skip-adapt", action="store_true", help="leave out the run with mesh adaptation (minutes)")
    args = parser.parse_args()
    base = [b for b in args.base.split(",") if b]

    runs = [("error control (default step tolerance), 1 rank", [], 1),
            ("error control, 2 ranks", [], 2),
            ("error control + mesh adaptation every 20 steps, 1 rank", ["transient.adapt={every: 20}"], 1)]
    if args.skip_adapt:
        runs = runs[:2]
    if not args.skip_fixed:
        runs.append(("fixed step %s s, 1 rank" % args.fixed_step,
                     ["transient.fixed_step=" + args.fixed_step, "solver.relative_tolerance=1e-10"], 1))
    results = []
    for label, overrides, ranks in runs:
        report, wall, mb = run_chiptherm(args.chiptherm, "transient", args.case, base + overrides, ranks)
        results.append((label, report, wall, mb))
        print("done: %s (%.0f s)" % (label, wall), flush=True)

    reference = None
    if not args.skip_fixed:
        reference = {b["name"]: b["peak_c"] for b in results[-1][1]["blocks"]}
    elif args.reference:
        with open(args.reference) as f:
            reference = {b["name"]: b["peak_c"] for b in json.load(f)["blocks"]}
    print()
    print("| run | steps | rejected | mesh changes | cells (min-max) | unknowns at end | CG iterations | "
          "AMG builds | wall s | peak RSS MB | npu peak C | max peak error K | energy balance |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for label, r, wall, mb in results:
        t = r["transient"]
        npu = [b for b in r["blocks"] if b["name"] == "npu"][0]["peak_c"]
        err = "" if reference is None else "%.4f" % max(abs(b["peak_c"] - reference[b["name"]]) for b in r["blocks"])
        print("| %s | %d | %d | %d | %d-%d | %d | %d | %d | %.1f | %.0f | %.3f | %s | %.1e |" % (
            label, t["steps"], t["rejected_steps"], t["mesh_changes"], t["cells_min"], t["cells_max"],
            r["mesh"]["dofs"], t["linear_iterations"], t["amg_builds"], wall, mb, npu, err,
            t["energy"]["rel_error"]))


if __name__ == "__main__":
    main()
