#!/usr/bin/env python3
"""How accurate is a first mesh? Block-temperature errors of single solves
(adaptivity off) on several a priori meshes, against one fine reference.

    python3 bench/first_mesh_error.py CASE.yaml [--ranks 2]
        [--reference "adaptivity.tolerance=0.1,mesh.predictor={model: models/predictor.pt}"]
        [--variant "NAME=override;override" ...]

Each variant is a list of --set overrides (';'-separated) applied with
adaptivity.enabled=false. For each: cells, the largest |error| of any block's
t_max or t_avg (and which block), and the median t_avg error over the blocks
(a near-uniform offset there means the error lies in the package, not at a
hotspot). Without --variant a default set separates the die, the vertical
resolution and the package. An adaptive loop that stops when two successive
solves agree within TOL can stop after its second solve only if the first mesh
is already within about TOL: this is what the table tells. Nothing is asserted.
"""
import argparse
import os
import statistics

from bench_run import CHIPTHERM, run_chiptherm

DEFAULT_VARIANTS = [
    "policy mesh=",
    "predictor-seeded=mesh.predictor={model: %(model)s}",
    "one global refinement, no policy=mesh.global_refinements=1;mesh.policy=none",
    "die cells 200 um=mesh.die_cell_size=200",
    "vertical cells 500 um=mesh.vertical_cell_size=500",
    "package cells 2 mm=mesh.package_cell_size=2000",
    "vertical 500 um + package 2 mm=mesh.vertical_cell_size=500;mesh.package_cell_size=2000",
    "accelerators 200 um, halo 1.2 mm=mesh.policy.accelerator={cell_size: 200, halo: 1200}",
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("case")
    parser.add_argument("--chiptherm", default=CHIPTHERM)
    parser.add_argument("--ranks", type=int, default=1)
    parser.add_argument("--model", default="models/predictor.pt", help="for the default predictor-seeded variant")
    parser.add_argument("--reference", default="adaptivity.tolerance=0.01,adaptivity.max_cycles=3",
                        help="comma-separated overrides of the reference solve")
    parser.add_argument("--variant", action="append", default=[], help="NAME=override;override")
    args = parser.parse_args()

    model = os.path.abspath(args.model)
    reference, ref_wall, _ = run_chiptherm(args.chiptherm, "solve", args.case, args.reference.split(","), args.ranks,
                                           ok_codes=(0, 1))
    ref = {(b["die"], b["name"]): b for b in reference["blocks"]}
    print("reference (%s): %d cells, %.1f s, last-cycle block change %s K"
          % (args.reference, reference["mesh"]["cells"], ref_wall,
             reference["adaptivity"]["history"][-1]["max_block_change_k"]))
    print("\n| first mesh | cells | largest block error K (block) | median t_avg error K | wall s |")
    print("|---|---|---|---|---|")
    for variant in args.variant or [v % {"model": model} for v in DEFAULT_VARIANTS]:
        name, _, overrides = variant.partition("=")
        sets = ["adaptivity.enabled=false"] + [s for s in overrides.split(";") if s]
        report, wall, _ = run_chiptherm(args.chiptherm, "solve", args.case, sets, args.ranks, ok_codes=(0, 1))
        worst, worst_block, avg_errors = 0.0, "", []
        for b in report["blocks"]:
            r = ref[(b["die"], b["name"])]
            e = max(abs(b["t_max_c"] - r["t_max_c"]), abs(b["t_avg_c"] - r["t_avg_c"]))
            avg_errors.append(b["t_avg_c"] - r["t_avg_c"])
            if e > worst:
                worst, worst_block = e, b["name"]
        print("| %s | %d | %.3f (%s) | %+.3f | %.1f |" % (name, report["mesh"]["cells"], worst, worst_block,
                                                    statistics.median(avg_errors), wall), flush=True)


if __name__ == "__main__":
    main()
