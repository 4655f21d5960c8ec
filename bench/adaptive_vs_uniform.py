#!/usr/bin/env python3
"""Adaptive against uniform refinement at equal true error (issue 18).

    python3 bench/adaptive_vs_uniform.py [CASE] [--levels 0,1,2] [--cache DIR]

CASE is one of bench_run.CASES (default tile_hotspot: one 500 um hotspot on a
10 mm die). Every run starts from the default first mesh (die / 12 in-plane, Q2):
- "adaptive": chiptherm's defaults (error bounds, goal-weighted Doerfler marking,
  stop at the first mesh whose bounds are all below 0.1 K);
- "uniform, g": the same first mesh without the block-type policy, refined g times
  everywhere (mesh.global_refinements), one solve, no adaptive cycles. Every run
  computes its bounds (the degree-3 estimate) as chiptherm always does; the
  "solve s" column is the degree-2 solve alone, without the estimate, for a
  reader who wants uniform refinement's cost without a bound.
True errors are the largest |t_max - reference| over the blocks, against the
much finer reference of bench_run.reference_report. The last lines compare the
adaptive run with the cheapest uniform run at least as accurate. Nothing is
asserted: timings are noisy, compare within one run.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_run import CASES, CHIPTHERM, ROOT, largest_error, reference_report, run_chiptherm  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("case", nargs="?", default="tile_hotspot", choices=list(CASES))
    parser.add_argument("--levels", default="0,1,2", help="global refinements of the uniform runs")
    parser.add_argument("--cache", help="a folder keeping the reference between runs")
    parser.add_argument("--runs", type=int, default=1, help="repeat each run, keep the fastest")
    args = parser.parse_args()
    case = os.path.join(ROOT, CASES[args.case][0])
    reference, _ = reference_report(args.case, args.cache)
    print("%s: reference %d unknowns, largest reference bound %.2g K\n"
          % (args.case, reference["mesh"]["dofs"], reference["adaptivity"]["max_error_k"]))

    runs = [("adaptive (defaults)", [])]
    runs += [("uniform, %s global refinement%s" % (g, "" if g == "1" else "s"),
              ["mesh.policy=none", "adaptivity.enabled=false", "mesh.global_refinements=" + g])
             for g in args.levels.split(",") if g]
    print("| run | cells | unknowns (Q2) | cycles | largest t_max error K | largest bound K | solve s | wall s "
          "| peak MiB |")
    print("|---|---|---|---|---|---|---|---|---|")
    results = []
    for label, overrides in runs:
        best = None
        for _ in range(args.runs):
            report, wall, mb = run_chiptherm(CHIPTHERM, "solve", case, overrides, 1, ok_codes=(0, 1))
            if best is None or wall < best[1]:
                best = (report, wall, mb)
        report, wall, mb = best
        error, block = largest_error(report, reference)
        results.append((label, report["mesh"]["dofs"], error, wall))
        print("| %s | %d | %d | %d | %.4f (%s) | %.4f | %.2f | %.2f | %.0f |" % (
            label, report["mesh"]["cells"], report["mesh"]["dofs"], report["adaptivity"]["cycles"], error, block,
            report["adaptivity"]["max_error_k"], report["timing_s"].get("solve", 0.0), wall, mb), flush=True)

    label, dofs, error, wall = results[0]
    matching = [r for r in results[1:] if r[2] <= error]
    if not matching:
        print("\nno uniform run is as accurate as the adaptive one (%.4f K): add --levels" % error)
        return
    u_label, u_dofs, u_error, u_wall = min(matching, key=lambda r: r[1])
    print("\nadaptive: %.4f K with %d unknowns in %.2f s; %s: %.4f K with %d unknowns in %.2f s"
          % (error, dofs, wall, u_label, u_error, u_dofs, u_wall))
    print("ratio at equal true error: %.1fx fewer unknowns, %.1fx less time" % (u_dofs / dofs, u_wall / wall))


if __name__ == "__main__":
    main()
