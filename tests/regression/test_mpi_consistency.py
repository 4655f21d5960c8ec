"""The same case on 1 and 2 MPI ranks gives the same block temperatures to 1e-6 K."""
import os

from cli import EXAMPLE, check, finish, read_blocks_csv, read_report, run, scratch

for label, overrides in [("Q1, example mesh", []),
                         ("Q2, coarser mesh", ["--set", "solver.degree=2", "--set", "mesh.die_cell_size=800"])]:
    results = {}
    for ranks in (1, 2):
        out = os.path.join(scratch(), "out")
        code, _, stderr = run(["solve", EXAMPLE, "-o", out] + overrides, ranks=ranks)
        check(code == 0, "%s on %d ranks: exit 0, got %d (%s)" % (label, ranks, code, stderr.strip()[-300:]))
        results[ranks] = (read_blocks_csv(out), read_report(out))
        check(results[ranks][1]["mpi_ranks"] == ranks, "report says %d ranks" % ranks)
    (one, r1), (two, r2) = results[1], results[2]
    check(r1["mesh"]["dofs"] == r2["mesh"]["dofs"], label + ": same number of unknowns")
    check(r2["energy"]["rel_error"] < 1e-8, label + ": energy balance on 2 ranks")
    worst = 0.0
    for key, row in one.items():
        for column in ("t_max_c", "t_avg_c", "t_min_c"):
            worst = max(worst, abs(float(row[column]) - float(two[key][column])))
    check(worst < 1e-6, "%s: largest block temperature difference 1 vs 2 ranks %.3g K < 1e-6 K" % (label, worst))
    print("%s: largest difference between 1 and 2 ranks %.3g K" % (label, worst))

finish()
