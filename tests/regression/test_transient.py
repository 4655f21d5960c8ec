"""chiptherm transient: the files it writes, 1 and 2 ranks agreeing, and a run
killed at any moment resuming to the same results as an uninterrupted one."""
import os
import xml.etree.ElementTree as ET

from cli import SOURCE, check, finish, kill_after_checkpoint, read_report, run, scratch

CASE = os.path.join(SOURCE, "tests", "regression", "cases", "pulsed_chip.yaml")


def read_traces(out):
    with open(os.path.join(out, "traces.csv")) as f:
        lines = [l.strip().split(",") for l in f if l.strip()]
    return lines[0], [[float(x) for x in row] for row in lines[1:]]


def traces_agree(a, b, tol):
    return len(a) == len(b) and all(len(r) == len(s) and all(abs(x - y) <= tol for x, y in zip(r, s))
                                    for r, s in zip(a, b))


# --- one run: what it writes --------------------------------------------------
out = os.path.join(scratch(), "out")
code, stdout, stderr = run(["transient", CASE, "-o", out, "--set", "transient.hotspot_ttrace=true"])
check(code == 0, "transient run exits 0, got %d: %s" % (code, stderr.strip()))
header, rows = read_traces(out)
check(header == ["time_s", "amp", "core"], "traces.csv header: time_s and the block names, got %s" % header)
check([r[0] for r in rows] == [round(0.005 * k, 3) for k in range(13)], "a traces.csv row per output time (0..0.06 by 5 ms)")
report = read_report(out)
t = report["transient"]
check(t["steps"] > 12 and t["end_time_s"] == 0.06, "report.json transient: steps and end time")
check(t["energy"]["rel_error"] < 1e-6, "energy in = out + stored to 1e-6, got %g" % t["energy"]["rel_error"])
amp = [b for b in report["blocks"] if b["name"] == "amp"][0]
peak_row = max(rows, key=lambda r: r[1])
check(amp["peak_c"] >= peak_row[1] - 1e-6, "the peak over all steps is at least the largest sampled value")
check(0 < amp["peak_time_s"] <= 0.06, "the peak's time lies in the run")
with open(os.path.join(out, "blocks.csv")) as f:
    check(f.readline().strip().endswith(",peak_c,peak_time_s,verdict"), "blocks.csv carries the peak columns, then the verdict")
frames = ET.parse(os.path.join(out, "solution.pvd")).getroot().findall(".//DataSet")
check(len(frames) == 13, "solution.pvd: one frame per output time, got %d" % len(frames))
check(all(os.path.exists(os.path.join(out, f.get("file"))) for f in frames), "every frame's .pvtu exists")
check(frames[-1].get("timestep") == "0.06", "the last frame is at the end time")
with open(os.path.join(out, "traces.ttrace")) as f:
    ttrace = [l.split() for l in f if l.strip()]
check(ttrace[0] == ["amp", "core"] and len(ttrace) == 13, "traces.ttrace: unit names, then a row per interval")
check(not os.path.exists(os.path.join(out, "checkpoint")) and not os.path.exists(out + ".partial"),
      "a completed run leaves no checkpoint and no staging folder")
# The default interval (a tenth of the run) waits for a minute of wall time: this
# run of a few seconds writes none; an interval that is given is kept (below).
check("checkpoint:" not in stdout, "a run shorter than a minute with the default interval writes no checkpoint: " +
      "; ".join(l for l in stdout.splitlines() if "checkpoint" in l))

# --- a later run starts from this one's end state -------------------------------
check(os.path.exists(os.path.join(out, "final_state", "latest")), "a finished run leaves final_state/ to start from")
follow = os.path.join(scratch(), "follow")
code, _, stderr = run(["transient", CASE, "-o", follow, "--set", "transient.initial=" + out])
check(code == 0, "transient.initial = a finished run's OUT: " + stderr.strip())
check(traces_agree(read_traces(follow)[1][:1], [[0.0] + rows[-1][1:]], 1e-6),
      "the follow-up run starts where the first ended")
code, _, stderr = run(["transient", CASE, "-o", os.path.join(scratch(), "x"), "--set", "transient.initial=" + out,
                       "--set", "mesh.die_cell_size=250"])
check(code == 2 and "computed on another mesh" in stderr, "a saved state of another mesh: exit 2, got %d: %s" %
      (code, stderr.strip()))

# --- 2 ranks give the same traces ---------------------------------------------
# With the same steps: the stage solves stop at 1e-7 of the right-hand side
# M u + ..., whose size is the whole temperature rise (about 40 K here), so
# each run carries up to about 1e-5 K of solver error, and the ranks'
# different preconditioners (one ICC block per rank) put it differently:
# measured 2e-5 K apart (1e-6 K with 1e-8), far below the step tolerance.
FIXED = ["--set", "transient.fixed_step=5e-4"]
fixed = {}
for ranks in (1, 2):
    fixed[ranks] = os.path.join(scratch(), "fixed%d" % ranks)
    code, _, stderr = run(["transient", CASE, "-o", fixed[ranks]] + FIXED, ranks=ranks)
    check(code == 0, "%d-rank fixed-step run exits 0: %s" % (ranks, stderr.strip()))
check(traces_agree(read_traces(fixed[2])[1], read_traces(fixed[1])[1], 1e-4),
      "1 and 2 ranks, fixed steps: the same traces.csv to 1e-4 K")
# Under error control each rank count picks its own steps: the error estimate
# is one V-cycle of a rank-dependent AMG hierarchy (docs/design.md), so the
# runs differ by time-step error, well within the step tolerance
# (measured 8e-4 K).
out2 = os.path.join(scratch(), "out")
code, _, stderr = run(["transient", CASE, "-o", out2], ranks=2)
check(code == 0, "2-rank transient run exits 0: " + stderr.strip())
check(traces_agree(read_traces(out2)[1], rows, 2e-3), "1 and 2 ranks, error control: traces.csv within 2e-3 K")

# --- killed at any moment, resumed: the same results -----------------------------
LONG = ["--set", "transient.end_time=0.3", "--set", "transient.checkpoint_interval=0.05"]
ref = os.path.join(scratch(), "ref")
code, stdout, stderr = run(["transient", CASE, "-o", ref] + LONG)
check(code == 0, "uninterrupted long run: " + stderr.strip())
saved = [l for l in stdout.splitlines() if "checkpoint: saving the state at t = " in l]
check(len(saved) == 5, "checkpoint_interval given: one every 0.05 s of 0.3 s, whatever the wall time (%d)" % len(saved))
# With mesh adaptation: a shorter run (each step is dearer on the finer meshes).
ADAPT = ["--set", "transient.adapt={every: 10}", "--set", "transient.end_time=0.12",
         "--set", "transient.checkpoint_interval=0.03"]
ref_adapt = os.path.join(scratch(), "ref_adapt")
code, _, stderr = run(["transient", CASE, "-o", ref_adapt] + LONG + ADAPT)
check(code == 0 and read_report(ref_adapt)["transient"]["mesh_changes"] > 10, "uninterrupted run with mesh adaptation")
# Frames reuse the grid they encoded until the mesh changes: every frame carries the
# mesh it was written on (the last one the report's), and a temperature for each point.
if code == 0:
    grids = []
    for frame in ET.parse(os.path.join(ref_adapt, "solution.pvd")).getroot().findall(".//DataSet"):
        piece = ET.parse(os.path.join(ref_adapt, frame.get("file").replace(".pvtu", ".0.vtu"))).getroot().find(".//Piece")
        grids.append((int(piece.get("NumberOfPoints")), int(piece.get("NumberOfCells"))))
    mesh = read_report(ref_adapt)["mesh"]
    check(len(set(grids)) > 1 and grids[-1] == (mesh["reported_dofs"], mesh["cells"]),
          "frames follow the adapted mesh: %d grids, the last %s (report: %d points, %d cells)" %
          (len(set(grids)), grids[-1], mesh["reported_dofs"], mesh["cells"]))
for kill_after, extra, ref in ((0.1, [], ref), (0.06, ADAPT, ref_adapt)):
    killed = os.path.join(scratch(), "killed")
    kill_after_checkpoint(["transient", CASE, "-o", killed] + LONG + extra, killed, kill_after)
    check(not os.path.exists(killed), "a killed run has written nothing into OUT")
    code, stdout, stderr = run(["transient", CASE, "-o", killed, "--resume"] + LONG + extra)
    check(code == 0, "resume exits 0: " + stderr.strip())
    check("from the checkpoint at t = " in stdout, "resume says where it continues: " + stdout[:300])
    check(traces_agree(read_traces(killed)[1], read_traces(ref)[1], 1e-6),
          "killed after t = %g and resumed%s: traces.csv equals the uninterrupted run's to 1e-6 K" %
          (kill_after, " (adaptive mesh)" if extra else ""))
    a, b = read_report(killed), read_report(ref)
    check(a["transient"]["steps"] == b["transient"]["steps"], "resumed run takes the same steps (%d vs %d)" %
          (a["transient"]["steps"], b["transient"]["steps"]))
    check(all(abs(x["peak_c"] - y["peak_c"]) < 1e-6 and x["peak_time_s"] == y["peak_time_s"]
              for x, y in zip(a["blocks"], b["blocks"])), "resumed run: the same peaks and peak times")
    check(a["transient"]["energy"]["rel_error"] < 1e-6, "resumed run: the energy balance holds over the whole run")
    frames = ET.parse(os.path.join(killed, "solution.pvd")).getroot().findall(".//DataSet")
    check(len(frames) == (25 if extra else 61) and all(os.path.exists(os.path.join(killed, f.get("file"))) for f in frames),
          "resumed run: every frame from 0 to the end is listed and present (%d)" % len(frames))

# --resume with nothing to resume starts over; a changed case refuses to resume.
fresh = os.path.join(scratch(), "fresh")
code, stdout, _ = run(["transient", CASE, "-o", fresh, "--resume"])
check(code == 0 and "starting from t = 0" in stdout, "--resume without a checkpoint starts from t = 0")
changed = os.path.join(scratch(), "changed")
kill_after_checkpoint(["transient", CASE, "-o", changed] + LONG, changed, 0.0)
latest = os.path.join(changed + ".partial", "checkpoint", "latest")
code, _, stderr = run(["transient", CASE, "-o", changed, "--resume", "--set", "boundaries.top.h=6000"] + LONG)
check(code == 2 and "belongs to another version of this case" in stderr,
      "resume of a changed case: exit 2 saying why, got %d: %s" % (code, stderr.strip()))
check(os.path.exists(latest), "the refused resume keeps the checkpoint")

finish()
