#!/usr/bin/env python3
"""Steady solve of the shipped example at several mesh sizes on 1 and 2 ranks.

    python3 bench/steady_scaling.py [--chiptherm build/app/chiptherm] [--ranks 1,2] [--sizes S,M,L,L-Q2]

Prints a markdown table: cells, unknowns, CG iterations, seconds per phase (from
report.json), wall time and peak memory (sum of ranks' max RSS from /usr/bin/time -v).
Nothing is asserted: the machine is shared and noisy; compare ratios within one run.
"""
import argparse
import json
import os
import re
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(ROOT, "examples", "soc_demo", "soc_demo.yaml")
SIZES = {
    "S": [],
    "M": ["mesh.global_refinements=1"],
    "L": ["mesh.global_refinements=2"],
    "M-Q2": ["solver.degree=2", "mesh.global_refinements=0"],
    "L-Q2": ["solver.degree=2", "mesh.global_refinements=1"],
}
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_rmaps_base_oversubscribe="1")


def run(chiptherm, size, ranks):
    out = tempfile.mkdtemp(prefix="chiptherm-bench-")
    command = ["/usr/bin/time", "-v", chiptherm, "solve", EXAMPLE, "-o", out]
    for s in SIZES[size]:
        command += ["--set", s]
    if ranks > 1:
        command = ["mpirun", "-np", str(ranks)] + command
    p = subprocess.run(command, capture_output=True, text=True, env=ENV)
    if p.returncode != 0:
        raise SystemExit("%s on %d ranks failed:\n%s" % (size, ranks, p.stderr[-3000:]))
    rss_kb = sum(int(m) for m in re.findall(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr))
    walls = re.findall(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", p.stderr)
    wall = max(sum(float(x) * 60 ** i for i, x in enumerate(reversed(w.split(":")))) for w in walls)
    report = json.load(open(os.path.join(out, "report.json")))
    subprocess.run(["rm", "-rf", out])
    return report, wall, rss_kb


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chiptherm", default=os.path.join(ROOT, "build", "app", "chiptherm"))
    ap.add_argument("--ranks", default="1,2")
    ap.add_argument("--sizes", default="S,M,L,L-Q2")
    args = ap.parse_args()
    print("| size | ranks | Q | cells | unknowns | CG its | mesh s | setup s | assemble s | solve s | output s |"
          " total s | wall s | peak MiB | t_max npu C | energy rel. error |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for size in args.sizes.split(","):
        for ranks in [int(r) for r in args.ranks.split(",")]:
            r, wall, rss = run(args.chiptherm, size, ranks)
            t = r["timing_s"]
            npu = next(b for b in r["blocks"] if b["name"] == "npu")
            print("| %s | %d | %d | %d | %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.1f | %.0f | %.4f | %.1e |" % (
                size, ranks, r["mesh"].get("element_degree", 1), r["mesh"]["cells"], r["mesh"]["dofs"],
                r["solver"]["linear_iterations"], t["mesh"], t["setup"], t["assemble"], t["solve"], t["output"],
                t["total"], wall, rss / 1024, npu["t_max_c"], r["energy"]["rel_error"]), flush=True)


if __name__ == "__main__":
    main()
