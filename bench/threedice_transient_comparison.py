#!/usr/bin/env python3
"""chiptherm's transient against 3D-ICE 4 on 3D-ICE's own transient test
(test/solid/transient/topsink.stk of its public repository: two dies, 12 power
slots of 20 ms, a top heat sink), both run as they ship, measured in one run.

    python3 bench/threedice_transient_comparison.py --threedice /path/to/3d-ice [--runs 3] [--set KEY=VALUE]

--threedice is a built 3D-ICE checkout (../shared/docs/reference-tools.md;
when `git checkout` of its mirror skips the missing system_matrix*.txt test
files, keep sources/system_matrix.c and include/system_matrix.h; its build needs
libopenblas-dev, which makes OpenBLAS the system's BLAS and LAPACK: chiptherm's
figures use the reference BLAS, so set the alternatives back, e.g.
`update-alternatives --set libblas.so.3-x86_64-linux-gnu
/usr/lib/x86_64-linux-gnu/blas/libblas.so.3` and the same for liblapack.so.3;
3D-ICE links libopenblas.so.0 directly and keeps it). The stack and
its floorplans are copied to a scratch folder (3D-ICE reads floorplan paths
relative to the working directory); chiptherm reads the same .stk with its
defaults (`chiptherm transient STACK.stk`). Both are timed end to end, in turn
for --runs rounds (a slow spell of the shared machine hits both): the best of each
and the median of the rounds' ratios. Prints the wall times, their ratio, chiptherm's steps and phases,
and each element's peak from chiptherm. Nothing is asserted.
"""
import argparse
import json
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_run import CHIPTHERM, ENV, paired_walls  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threedice", required=True, help="a built 3D-ICE checkout (bin/3D-ICE-Emulator)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="passed to chiptherm, e.g. solver.time_step_preconditioner=boomeramg")
    args = parser.parse_args()
    test = os.path.join(args.threedice, "test")
    tmp = tempfile.mkdtemp(prefix="threedice-transient-")
    with open(os.path.join(test, "solid", "transient", "topsink.stk")) as f:
        stack = f.read()
    floorplans = re.findall(r'floorplan\s+"([^"]+)"', stack)
    for flp in floorplans:
        shutil.copy(os.path.join(test, flp), tmp)
    # Outputs next to the stack, not in test/solid/transient/.
    with open(os.path.join(tmp, "topsink.stk"), "w") as f:
        f.write(stack.replace('"solid/transient/', '"'))

    emulator = os.path.join(args.threedice, "bin", "3D-ICE-Emulator")
    out = os.path.join(tmp, "chiptherm")
    sets = [a for kv in args.set for a in ("--set", kv)]
    tice_walls, ct_walls = paired_walls([([emulator, "topsink.stk"], tmp, None),
                                         ([CHIPTHERM, "transient", "topsink.stk", "-o", out] + sets, tmp, ENV)],
                                        args.runs)
    tice, ct = min(tice_walls), min(ct_walls)
    pair_ratios = sorted(c / t for c, t in zip(ct_walls, tice_walls))
    print("3D-ICE: %s s" % " ".join("%.2f" % w for w in tice_walls), flush=True)
    print("chiptherm: %s s" % " ".join("%.2f" % w for w in ct_walls), flush=True)
    with open(os.path.join(out, "report.json")) as f:
        report = json.load(f)
    t = report["transient"]
    print("\nchiptherm: %d steps (%d rejected), %d CG iterations, %d AMG builds, %d unknowns; timing %s" % (
        t["steps"], t["rejected_steps"], t["linear_iterations"], t["amg_builds"], report["mesh"]["dofs"],
        json.dumps({k: round(v, 2) for k, v in report["timing_s"].items()})))
    print("wall (best of %d, the two run in turn): 3D-ICE %.2f s, chiptherm %.2f s: chiptherm / 3D-ICE = %.2f; "
          "median of the rounds' ratios %.2f" % (args.runs, tice, ct, ct / tice, pair_ratios[len(pair_ratios) // 2]))
    for b in report["blocks"]:
        print("  %-14s peak %.3f C at %.3f s" % (b["name"], b["peak_c"], b["peak_time_s"]))


if __name__ == "__main__":
    main()
