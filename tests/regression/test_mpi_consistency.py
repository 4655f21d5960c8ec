"""The same case on 1 and 2 MPI ranks: on a fixed mesh the same block temperatures to
1e-6 K or the solver's noise (cli.solver_noise_k: the partition changes the
smoother, so the iteration's path); with adaptive cycles (whose marking may differ by a few cells between
partitions) the same answer within the adaptive tolerance."""
import os

from cli import EXAMPLE, check, finish, read_blocks_csv, read_report, run, scratch, solver_noise_k

FIXED = ["--set", "adaptivity.enabled=false"]
# A 250 um hotspot: its first marking takes a second level (adaptivity.max_levels_per_cycle),
# whose cells are found again by their centres after p4est has repartitioned.
SMALL_HOTSPOT = os.path.join(os.path.dirname(__file__), "..", "..", "bench", "cases", "small_hotspot.yaml")
for label, case, overrides, tolerance in [
        ("Q1, example mesh", EXAMPLE, FIXED, 1e-6),
        ("Q2, coarser mesh", EXAMPLE, FIXED + ["--set", "solver.degree=2", "--set", "mesh.die_cell_size=800",
                                               "--set", "mesh.policy=none"], 1e-6),
        ("Q1, adaptive to 0.15 K", EXAMPLE, ["--set", "adaptivity.tolerance=0.15"], 0.15),
        ("Q2, 250 um hotspot, two levels a cycle", SMALL_HOTSPOT, [], 0.1)]:
    results = {}
    for ranks in (1, 2):
        out = os.path.join(scratch(), "out")
        code, _, stderr = run(["solve", case, "-o", out] + overrides, ranks=ranks)
        check(code == 0, "%s on %d ranks: exit 0, got %d (%s)" % (label, ranks, code, stderr.strip()[-300:]))
        results[ranks] = (read_blocks_csv(out), read_report(out))
        check(results[ranks][1]["mpi_ranks"] == ranks, "report says %d ranks" % ranks)
    (one, r1), (two, r2) = results[1], results[2]
    if tolerance < 1e-3:
        check(r1["mesh"]["dofs"] == r2["mesh"]["dofs"], label + ": same number of unknowns")
    else:
        check(r1["adaptivity"]["converged"] and r2["adaptivity"]["converged"], label + ": converged on 1 and 2 ranks")
    check(r2["energy"]["rel_error"] < 1e-8, label + ": energy balance on 2 ranks")
    if case == SMALL_HOTSPOT:
        second = [sum(c["second_level_cells"] for c in r["adaptivity"]["history"]) for r in (r1, r2)]
        check(second[0] > 0 and second[0] == second[1],
              label + ": the same cells refined a second level on 1 and 2 ranks: %d, %d" % tuple(second))
    worst, beyond = 0.0, []
    for key, row in one.items():
        for column, bound in (("t_max_c", "t_max_error_k"), ("t_avg_c", "t_avg_error_k"),
                              ("t_min_c", "t_max_error_k")):
            difference = abs(float(row[column]) - float(two[key][column]))
            worst = max(worst, difference)
            allowed = max(tolerance, solver_noise_k(float(row[bound]))) if tolerance < 1e-3 else tolerance
            if difference >= allowed:
                beyond.append("%s %s: %.3g K (allowed %.3g K)" % (key, column, difference, allowed))
    check(not beyond, "%s: block temperatures 1 vs 2 ranks within max(%g K, 2 %% of the bound): %s"
          % (label, tolerance, "; ".join(beyond[:5])))
    print("%s: largest difference between 1 and 2 ranks %.3g K (unknowns %d / %d)"
          % (label, worst, r1["mesh"]["dofs"], r2["mesh"]["dofs"]))

finish()
