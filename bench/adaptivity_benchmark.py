#!/usr/bin/env python3
"""Unknowns and wall time to reach a block-temperature accuracy: uniform refinement
against the block-type policy alone and the policy plus a posteriori adaptivity.

    python3 bench/adaptivity_benchmark.py CASE.yaml [--chiptherm build/app/chiptherm]
        [--uniform-levels 0,1,2] [--reference "solver.degree=2,adaptivity.max_cycles=1,adaptivity.tolerance=0.001"]
        [--ranks 1] [--base "mesh.die_cell_size=1500,..."] [--skip-tight] [--predictor MODEL.pt]
        [--tolerance 0.05]

The reference is a much finer solve (default: quadratic elements on the policy
mesh after one adaptive cycle; its last cycle's block change is printed as a
measure of its own accuracy). For every other run the error is the largest
|t_max - t_max(reference)| over all blocks. Prints a markdown table; nothing is
asserted (timings are noisy: compare within one run). --base applies to every run,
e.g. to start all three strategies from the same coarse mesh. --predictor adds
(a): the adaptive run from a first mesh seeded by the learned predictor
(mesh.predictor, issue 6), at the same tolerance as (b). The labels follow issue 6;
the issue-3 tables in docs/benchmarks.md were printed with (a) uniform, (b) policy,
(c) policy + adaptivity.
"""
import argparse
import os

from bench_run import CHIPTHERM, run_chiptherm


def solve(chiptherm, case, overrides, ranks):
    # Sign-off verdicts do not matter here: a failing limit (exit 1) is still a result.
    return run_chiptherm(chiptherm, "solve", case, overrides, ranks, ok_codes=(0, 1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("case")
    parser.add_argument("--chiptherm", default=CHIPTHERM)
    parser.add_argument("--uniform-levels", default="0,1,2")
    parser.add_argument("--reference", default="solver.degree=2,adaptivity.max_cycles=1,adaptivity.tolerance=0.001")
    parser.add_argument("--ranks", type=int, default=1)
    parser.add_argument("--base", default="", help="overrides applied to every run, comma-separated")
    parser.add_argument("--skip-tight", action="store_true", help="leave out the 0.02 K adaptive run")
    parser.add_argument("--predictor", default="", help="a model: add the predictor-seeded adaptive run")
    parser.add_argument("--tolerance", default="0.05", help="adaptivity tolerance of (c) and (d), K")
    args = parser.parse_args()

    base = [b for b in args.base.split(",") if b]
    # The reference does not take --base: it is the best answer we can afford, whatever the start mesh.
    reference, ref_wall, ref_mb = solve(args.chiptherm, args.case, args.reference.split(","), args.ranks)
    ref = {(b["die"], b["name"]): b["t_max_c"] for b in reference["blocks"]}
    print("reference (%s): %d cells, %d unknowns, %.1f s, %.0f MB, last-cycle block change %s K"
          % (args.reference, reference["mesh"]["cells"], reference["mesh"]["dofs"], ref_wall, ref_mb,
             reference["adaptivity"]["history"][-1]["max_block_change_k"]))

    # Labels as in issue 6: (a) predictor-seeded, (b) estimator-driven from the policy mesh, (c) uniform.
    runs = [("(c) uniform, %s global refinement%s" % (g, "" if g == "1" else "s"),
             ["mesh.policy=none", "adaptivity.enabled=false", "mesh.global_refinements=" + g])
            for g in args.uniform_levels.split(",") if g]
    runs += [("block-type policy alone", ["adaptivity.enabled=false"]),
             ("(b) policy + adaptivity (%s K)" % args.tolerance, ["adaptivity.tolerance=" + args.tolerance]),
             ("(b') policy + adaptivity (0.02 K)", ["adaptivity.tolerance=0.02"])]
    if args.skip_tight:
        runs.pop()
    if args.predictor:
        runs.append(("(a) predictor-seeded + adaptivity (%s K)" % args.tolerance,
                     ["adaptivity.tolerance=" + args.tolerance,
                      "mesh.predictor={model: %s}" % os.path.abspath(args.predictor)]))
    if base:
        print("every run with: " + ", ".join(base))
    print("\n| run | cells | unknowns | cycles | max block t_max error (K) | wall (s) | peak RSS (MB) |")
    print("|---|---|---|---|---|---|---|")
    for label, overrides in runs:
        report, wall, mb = solve(args.chiptherm, args.case, base + overrides, args.ranks)
        error = max(abs(b["t_max_c"] - ref[(b["die"], b["name"])]) for b in report["blocks"])
        print("| %s | %d | %d | %d | %.3f | %.1f | %.0f |" % (
            label, report["mesh"]["cells"], report["mesh"]["dofs"], report["adaptivity"]["cycles"], error, wall, mb),
            flush=True)


if __name__ == "__main__":
    main()
