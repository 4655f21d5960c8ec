"""chiptherm sweep (issue 8): candidates checked before any solve, the rejected
ones listed with reasons; a two-die package whose answer is mirror-symmetric,
so mirror-image placements must tie; the same table with --jobs 1, --jobs 2 and
under mpirun; a killed sweep resumed to the uninterrupted table; random designs
fixed by their seed; bad sweep files exit 2 naming file, line and key."""
import csv
import json
import os
import shutil
import subprocess
import time

from cli import CHIPTHERM, MPI_ENV, SOURCE, check, finish, prerequisite, run, scratch, solver_noise_k

CASE = os.path.join(SOURCE, "tests", "regression", "cases", "two_die_package.yaml")
KEY = "stack.chiplets.regions.a.at"
# Die a (3 mm) along the top edge; x and 7000 - x are mirror images about the
# package's axis x = 5 mm, on which die b sits. x = 9000 sticks out of the interposer.
POSITIONS = [500, 2000, 3500, 5000, 6500, 9000]


def write_sweep(text):
    path = os.path.join(scratch(), "sweep.yaml")
    with open(path, "w") as f:
        f.write("version: 1\nbase: %s\n" % CASE + text)
    return path


def read_table(out):
    with open(os.path.join(out, "sweep.csv")) as f:
        return list(csv.DictReader(f))


def without_wall(rows):
    return [{k: v for k, v in r.items() if k != "wall_s"} for r in rows]


GRID = write_sweep("design: grid\nvariables:\n  - {key: %s, values: [%s]}\nobjective: t_max_c\n"
                   % (KEY, ", ".join("[%d, 6500]" % x for x in POSITIONS)))

out2 = os.path.join(scratch(), "jobs2")
code, stdout, err = run(["sweep", GRID, "-o", out2, "--jobs", "2"])
check(code == 0, "the grid sweep runs with --jobs 2: " + err[-500:])
rows = read_table(out2) if code == 0 else []
by_x = {int(r[KEY].strip("[]").split(",")[0]): r for r in rows}
check(len(rows) == 6 and by_x[9000]["status"] == "rejected" and "lies outside its layer" in by_x[9000]["reason"],
      "the die sticking out of the interposer is rejected with the reader's reason")
lines = stdout.splitlines()
first_done = next((i for i, l in enumerate(lines) if " done " in l), len(lines))
check(any("case_0005 rejected" in l for l in lines[:first_done]) and
      not os.path.exists(os.path.join(out2, "cases", "case_0005")),
      "rejected before anything is solved, and never solved")
if len(by_x) == 6:
    t = {x: float(by_x[x]["t_max_c"]) for x in POSITIONS[:5]}

    def bound_k(x):
        """The largest error bound of that case's blocks (its report)."""
        with open(os.path.join(out2, "cases", by_x[x]["case"], "report.json")) as f:
            return json.load(f)["adaptivity"].get("max_error_k")

    # A tie to the solver's noise: mirrored meshes take mirrored iteration paths.
    ties = [(a, b, solver_noise_k(max(bound_k(a), bound_k(b)))) for a, b in ((500, 6500), (2000, 5000))]
    check(all(abs(t[a] - t[b]) < allowed for a, b, allowed in ties),
          "mirror-image placements tie: %.6f / %.6f and %.6f / %.6f C (allowed %s K)"
          % (t[500], t[6500], t[2000], t[5000], ", ".join("%.2g" % w for _, _, w in ties)))
    check(t[500] < t[2000] < t[3500], "farther from die b is cooler: %.3f < %.3f < %.3f C" % (t[500], t[2000], t[3500]))
    coolest = min(float(r["t_max_c"]) for r in rows[:5])  # ties within solver noise go to the first row
    best = next(r for r in rows[:5] if float(r["t_max_c"]) <= coolest + 1e-6 * max(1.0, abs(coolest)))
    check(best["case"] == "case_0000" and "best by t_max_c (min): case_0000" in stdout,
          "the best case is the first of the tied mirror pair: " + stdout[-300:])
    check(all(r["pass"] == "true" for r in rows[:5]) and float(by_x[500]["t_max_c:a"]) > 0,
          "sign-off verdicts and per-die maxima in the table")

# Plots: the objective against each variable component, and the best case's views.
pvpython, xvfb = shutil.which("pvpython"), shutil.which("xvfb-run")
if prerequisite(pvpython and xvfb, "pvpython and xvfb-run (scripts/install-deps.sh)") and rows:
    p = subprocess.run([xvfb, "-a", "-s", "-screen 0 1280x1024x24 -nolisten tcp", pvpython,
                        os.path.join(SOURCE, "paraview", "sweep_plots.py"), out2], capture_output=True, text=True)
    pngs = ["objective_vs_stack_chiplets_regions_a_at_x.png", "objective_vs_stack_chiplets_regions_a_at_y.png",
            os.path.join("best", "die_temperature.png")]
    check(p.returncode == 0 and all(os.path.getsize(os.path.join(out2, "views", f)) > 10000 for f in pngs),
          "sweep_plots.py draws the objective against x and y and the best placement: " + p.stderr[-500:])

# Screening: with --predict the package model ranks every candidate (a column) and the
# table says where the solved best ranked and how often --screen K would miss it on
# random halves; --screen 2 solves the two coolest predicted and one random other.
outp = os.path.join(scratch(), "predicted")
code, stdout, err = run(["sweep", GRID, "-o", outp, "--jobs", "2", "--predict"])
full = json.load(open(os.path.join(outp, "sweep.json"))) if code == 0 else {}
scr = (full.get("screening") or {})
check(scr.get("rank_of_best_in_prediction") == 1 and
      all("predicted_t_max_c" in r["results"] for r in full["rows"] if r["status"] == "solved"),
      "--predict: every case predicted, the true best first in the prediction: %s" % scr)
by_k = (scr.get("sub_sweeps") or {}).get("by_k", [])
check(len(by_k) == 2 and all(0 <= b["miss_rate"] <= 1 for b in by_k) and by_k[1]["miss_rate"] <= by_k[0]["miss_rate"],
      "miss rates of K = 1, 2 on random halves, not growing with K: %s" % by_k)
check(without_wall([{k: v for k, v in r.items() if k != "predicted_t_max_c"} for r in read_table(outp)]) ==
      without_wall(rows) if code == 0 else False, "the prediction changes no solved figure")
outs_ = os.path.join(scratch(), "screened")
code, stdout, err = run(["sweep", GRID, "-o", outs_, "--jobs", "2", "--screen", "2"])
rows_s = read_table(outs_) if code == 0 else []
status = [r["status"] for r in rows_s]
check(status.count("solved") == 3 and status.count("screened") == 2 and "best by t_max_c (min): case_0000" in stdout,
      "--screen 2: 2 coolest-predicted + 1 sampled solved, 2 screened out, the same best: %s" % status)

# Ranking by a solve on each candidate's first mesh (no adaptive cycles, OUT/first_mesh):
# the ranking of the mirror-symmetric grid is exact there, so the best is found with K = 1.
outf = os.path.join(scratch(), "first_mesh")
code, stdout, err = run(["sweep", GRID, "-o", outf, "--jobs", "2", "--screen", "1", "--screen-with", "first-mesh"])
full_f = json.load(open(os.path.join(outf, "sweep.json"))) if code == 0 else {}
status = [r["status"] for r in full_f.get("rows", [])]
check(status.count("solved") == 2 and status.count("screened") == 3 and "best by t_max_c (min): case_0000" in stdout
      and (full_f.get("screening") or {}).get("predicted_column") == "first_mesh_t_max_c"
      and all("first_mesh_t_max_c" in r["results"] for r in full_f["rows"] if r["status"] != "rejected")
      and os.path.exists(os.path.join(outf, "first_mesh", "cases", "case_0004.json")),
      "--screen 1 --screen-with first-mesh: every candidate ranked on its first mesh, the best + 1 sample "
      "solved: %s %s" % (status, err[-300:]))
code, _, err = run(["sweep", GRID, "-o", os.path.join(scratch(), "bad_with"), "--screen", "1", "--screen-with", "net"])
check(code == 2 and "screen-with" in err, "--screen-with net: exit 2 naming the option: " + err)

out1 = os.path.join(scratch(), "jobs1")
code, _, err = run(["sweep", GRID, "-o", out1, "--jobs", "1"])
check(code == 0 and without_wall(read_table(out1)) == without_wall(rows), "--jobs 1 gives the same table")

outm = os.path.join(scratch(), "mpi")
code, stdout, err = run(["sweep", GRID, "-o", outm], ranks=2)
check(code == 0 and without_wall(read_table(outm)) == without_wall(rows),
      "under mpirun -np 2 (two groups of one rank): the same table: " + err[-300:])

# Killed after two cases, resumed: the table equals the uninterrupted one.
killed = os.path.join(scratch(), "killed")
p = subprocess.Popen([CHIPTHERM, "sweep", GRID, "-o", killed, "--jobs", "1"], env=MPI_ENV,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
deadline = time.time() + 120
markers = lambda: [f for f in os.listdir(os.path.join(killed, "cases"))] if os.path.isdir(
    os.path.join(killed, "cases")) else []
while time.time() < deadline and p.poll() is None and sum(f.endswith(".json") for f in markers()) < 2:
    time.sleep(0.02)
os.killpg(p.pid, 9)
p.wait()
done_before = sum(f.endswith(".json") for f in markers())
check(2 <= done_before < 5 and not os.path.exists(os.path.join(killed, "sweep.csv")),
      "killed mid-sweep (%d cases finished, no table yet)" % done_before)
code, _, _ = run(["sweep", GRID, "-o", killed])
check(code == 2, "an existing OUT without --resume is refused (exit 2)")
code, stdout, err = run(["sweep", GRID, "-o", killed, "--resume"])
check(code == 0 and ("%d finished earlier" % done_before) in stdout, "--resume skips the finished cases: " + stdout[:400])
check(without_wall(read_table(killed)) == without_wall(rows), "resumed: the same table as the uninterrupted sweep")

# Constraints: dies closer than min_spacing are rejected before solving.
close = write_sweep("design: list\nconstraints: {min_spacing: 400}\nvariables:\n"
                    "  - {key: %s, values: [[3500, 3700], [3500, 4100]]}\n" % KEY)
outc = os.path.join(scratch(), "close")
code, stdout, err = run(["sweep", close, "-o", outc])
rows_c = read_table(outc) if code == 0 else []
check(len(rows_c) == 2 and rows_c[0]["status"] == "rejected" and "closer than constraints.min_spacing" in
      rows_c[0]["reason"] and "200 um apart" in rows_c[0]["reason"] and rows_c[1]["status"] == "solved",
      "200 um apart with min_spacing 400: rejected; 600 um: solved: %s" % rows_c)

# Random designs: a Latin hypercube fixed by its seed.
rand = write_sweep("design: random\nseed: 7\nsamples: 4\nvariables:\n"
                   "  - {key: %s, range: [[500, 6500], [6500, 6500]]}\n"
                   "  - {key: boundaries.top.h, values: [2000, 3000, 4000, 5000]}\n" % KEY)
outs = [os.path.join(scratch(), "rand%d" % i) for i in (1, 2)]
tables = []
for o in outs:
    code, _, err = run(["sweep", rand, "-o", o, "--jobs", "2"])
    tables.append(read_table(o) if code == 0 else [])
check(len(tables[0]) == 4 and without_wall(tables[0]) == without_wall(tables[1]), "the same seed, the same cases")
if len(tables[0]) == 4:
    xs = sorted(float(r[KEY].strip("[]").split(",")[0]) for r in tables[0])
    strata = sorted(int((x - 500) / (6000 / 4)) for x in xs)
    hs = sorted(r["boundaries.top.h"] for r in tables[0])
    check(strata == [0, 1, 2, 3] and hs == ["2000", "3000", "4000", "5000"],
          "space-filling: one x in each quarter of its range (%s), each h once (%s)" % (xs, hs))

# The shipped 2.5D example's sweep, every candidate at a quick setting (--set for all):
# the grid's placements that overlap the HBM or I/O dies, leave the interposer or come
# closer than 300 um are rejected with their reasons; the rest solve.
EXAMPLE_SWEEP = os.path.join(SOURCE, "examples", "chiplets", "sweep_npu.yaml")
oute = os.path.join(scratch(), "example")
code, stdout, err = run(["sweep", EXAMPLE_SWEEP, "-o", oute, "--jobs", "2", "--set", "adaptivity.enabled=false",
                         "--set", "mesh.die_cell_size=3000"])
rows_e = read_table(oute) if code == 0 else []
reasons = [r["reason"] for r in rows_e if r["status"] == "rejected"]
check(len(rows_e) == 25 and len(reasons) == 10 and sum("closer than constraints.min_spacing" in r for r in reasons) == 5
      and sum("overlaps" in r for r in reasons) == 5 and all(r["status"] == "solved" for r in rows_e if r["reason"] == ""),
      "example sweep: 25 candidates, 10 rejected (5 too close to an HBM stack, 5 overlapping the I/O die): %s"
      % [r["reason"][-80:] for r in rows_e][:6])
check("best by t_max_c (min)" in stdout, "and a best placement: " + stdout[-300:])

# The example's lid: shared (copper everywhere) or per die (copper over each die only,
# air between: the lid layer's regions follow the dies). A sweep over any case key.
lids = os.path.join(scratch(), "lids.yaml")
with open(lids, "w") as f:
    f.write("version: 1\nbase: %s\ndesign: list\nvariables:\n  - {key: stack.lid.material, values: [copper, air]}\n"
            % os.path.join(SOURCE, "examples", "chiplets", "package_2p5d.yaml"))
outl = os.path.join(scratch(), "lids")
code, stdout, err = run(["sweep", lids, "-o", outl, "--set", "adaptivity.enabled=false", "--set", "mesh.die_cell_size=3000"])
rows_l = {r["stack.lid.material"]: r for r in read_table(outl)} if code == 0 else {}
if len(rows_l) == 2 and all(r["status"] == "solved" for r in rows_l.values()):
    shared, own = rows_l["copper"], rows_l["air"]
    check(float(own["t_max_c:npu"]) > float(shared["t_max_c:npu"]) + 10 and
          float(own["t_max_c:hbm0"]) > float(shared["t_max_c:hbm0"]),
          "per-die lids (each die's sink area only) run hotter than the shared lid: NPU %s vs %s C, HBM %s vs %s C"
          % (own["t_max_c:npu"], shared["t_max_c:npu"], own["t_max_c:hbm0"], shared["t_max_c:hbm0"]))
else:
    check(False, "the lid sweep solves both: %s %s" % (rows_l, err[-300:]))

# Bad sweep files: exit 2, file, line, key.
bad = write_sweep("design: grid\nvariables:\n  - {key: %s, valuez: [[500, 6500]]}\n" % KEY)
code, _, err = run(["sweep", bad, "-o", os.path.join(scratch(), "bad")])
check(code == 2 and "sweep.yaml:5: key 'variables.[0].valuez': unknown key (did you mean 'values'?)" in err,
      "a misspelt key: exit 2 naming file, line and key: " + err)
bad = write_sweep("design: list\nvariables:\n  - {key: %s, values: [[500, 6500], [2000, 6500]]}\n"
                  "  - {key: boundaries.top.h, values: [3000]}\n" % KEY)
code, _, err = run(["sweep", bad, "-o", os.path.join(scratch(), "bad")])
check(code == 2 and "design: list takes the i-th value of every variable together" in err, "list lengths: " + err)
finish()
