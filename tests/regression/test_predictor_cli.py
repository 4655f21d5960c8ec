"""chiptherm predict and train from the command line (issue 6): predict uses the
shipped model unless told otherwise (issue 21), works with the physics baseline
alone (--model physics) and says so, writes the maps a refinement map needs, refuses a
file that is not a model; train refuses bad data. The network itself is tested
in tests/unit/test_predictor_training.cc."""
import csv
import json
import os

from cli import EXAMPLE, check, finish, run, scratch

out = os.path.join(scratch(), "prediction")
shipped_out = os.path.join(scratch(), "shipped")
code, stdout, err = run(["predict", EXAMPLE, "-o", shipped_out])
check(code == 0, "predict without --model: exit 0: " + err)
shipped = json.load(open(os.path.join(shipped_out, "prediction.json")))
check(shipped["model"].endswith(os.path.join("models", "predictor.pt")), "the shipped model by default: " +
      shipped["model"])

code, stdout, err = run(["predict", EXAMPLE, "-o", out, "--model", "physics"])
check(code == 0, "predict with the physics baseline: exit 0: " + err)
check("--model physics" in stdout and "physics baseline" in stdout, "says that the baseline stands in")
report = json.load(open(os.path.join(out, "prediction.json")))
die = report["dies"][0]
check(report["model"] == "physics baseline" and die["rows"] == 64 and die["cols"] == 64, "one 64 x 64 die")
rise = [[float(v) for v in row] for row in csv.reader(open(os.path.join(out, "die_rise.csv")))]
prio = [[float(v) for v in row] for row in csv.reader(open(os.path.join(out, "die_refinement.csv")))]
check(len(rise) == 64 and all(len(r) == 64 for r in rise), "rise map 64 x 64")
check(all(0 <= v <= 1 for r in prio for v in r) and max(max(r) for r in prio) == 1, "priorities in [0, 1], some 1")
# the example's NPU (22 W over the lower-left 8 x 8 mm) is where the baseline is hottest
peak_row = max(range(64), key=lambda i: max(rise[i]))
peak_col = max(range(64), key=lambda j: rise[peak_row][j])
check(peak_row < 43 and peak_col < 43, "hottest pixel over the NPU (lower left), got row %d col %d" % (peak_row, peak_col))
check(die["peak_rise_k"] > 0, "a positive peak rise")
check(os.path.getsize(os.path.join(out, "die_prediction.vtk")) > 0, "ParaView file written")
for png in ("die_rise.png", "die_refinement.png"):
    with open(os.path.join(out, png), "rb") as f:
        check(f.read(8) == b"\x89PNG\r\n\x1a\n", png + " is a PNG")
check("mesh.refinement_map: {file:" in stdout, "prints how to mesh with the map")

# the refinement map it wrote is accepted by the mesh, as printed
snippet = stdout[stdout.index("mesh.refinement_map: ") + len("mesh.refinement_map: "):].splitlines()[0]
msh = os.path.join(scratch(), "m.msh")
code, _, err = run(["mesh", EXAMPLE, "-o", msh, "--set", "mesh.refinement_map=" + snippet, "--set",
                    "adaptivity.enabled=false"])
check(code == 0 and os.path.exists(msh), "chiptherm mesh takes the predicted refinement map: " + err)

# bad inputs: exit 2, a clear message, nothing written
junk = os.path.join(scratch(), "junk.pt")
open(junk, "w").write("not a model")
bad_out = os.path.join(scratch(), "p")
code, _, err = run(["predict", EXAMPLE, "-o", bad_out, "--model", junk])
check(code == 2 and "cannot read a predictor model" in err, "predict with a junk model: exit 2: %d %s" % (code, err))
check(not os.path.exists(bad_out), "nothing written")
code, _, err = run(["train", "--data", os.path.join(scratch(), "none"), "-o", os.path.join(scratch(), "m.pt")])
check(code == 2 and "expected a folder of samples" in err, "train without data: exit 2: " + err)
# --- the whole chain, small: generate -> train -> predict -> a solve seeded by the model -------
data = os.path.join(scratch(), "data")
tiny = ["--max-cells", "30000", "--tolerance", "5"]
code, stdout, err = run(["train", "--generate", "3", "-o", data] + tiny)
check(code == 0 and len([f for f in os.listdir(data) if f.endswith(".json")]) == 3, "3 chips generated: " + err)
first = json.load(open(os.path.join(data, "sample_000000.json")))
check(first["dies"][0]["rows"] * first["dies"][0]["cols"] == len(first["dies"][0]["rise_k"]), "a rise per pixel")
check(max(first["dies"][0]["rise_k"]) > 0, "the die heats up")
code, stdout, _ = run(["train", "--generate", "3", "-o", data] + tiny)
check(code == 0 and "sample_" not in stdout, "a rerun skips the finished chips")
code, _, err = run(["train", "--generate", "3", "--seed", "2", "-o", data] + tiny)
check(code == 2 and "sample_000000.json: not chip 0 of seed 2" in err,
      "resuming into a folder of other chips (another seed) is refused: %d %s" % (code, err))
again = os.path.join(scratch(), "again")
code, _, _ = run(["train", "--generate", "1", "-o", again] + tiny)
repeat = json.load(open(os.path.join(again, "sample_000000.json")))
check(repeat["case"] == first["case"], "chip 0 of seed 1 is the same chip every time")
check(max(abs(a - b) for a, b in zip(repeat["dies"][0]["rise_k"], first["dies"][0]["rise_k"])) < 1e-6,
      "and the same solved map")

model = os.path.join(scratch(), "tiny.pt")
code, stdout, err = run(["train", "--data", data, "-o", model, "--epochs", "2", "--width", "8"])
check(code == 0 and os.path.exists(model) and os.path.exists(model + ".json"), "train writes the model: " + err)
record = json.load(open(model + ".json"))
check(record["samples"] == 3 and "network" in record["held_out"] and "blur" in record["held_out"],
      "the record holds the data size and the metrics of the network and the baseline")
check("chiptherm train --data" in record["command"], "and the command that made it")

seeded_out = os.path.join(scratch(), "seeded")
code, stdout, err = run(["predict", EXAMPLE, "-o", seeded_out, "--model", model])
check(code == 0 and "physics baseline" not in stdout, "predict with the model: " + err)
quick = ["--set", "mesh.die_cell_size=1500", "--set", "mesh.policy=none", "--set", "adaptivity.tolerance=0.5"]
plain, seeded = os.path.join(scratch(), "plain"), os.path.join(scratch(), "seeded_solve")
code, _, err = run(["solve", EXAMPLE, "-o", plain] + quick)
check(code == 0, "policy-only solve: " + err)
code, stdout, err = run(["solve", EXAMPLE, "-o", seeded, "--set", "mesh.predictor={model: %s}" % model] + quick)
check(code == 0 and "refinement maps of 1 die(s) from mesh.predictor" in stdout, "seeded solve says so: " + err)
code, stdout, err = run(["solve", EXAMPLE, "-o", os.path.join(scratch(), "shipped_seed"), "--set",
                         "mesh.predictor=true"] + quick)
check(code == 0 and "refinement maps of 1 die(s) from mesh.predictor" in stdout,
      "mesh.predictor: true seeds with the shipped model: " + err)
a, b = (json.load(open(os.path.join(o, "report.json"))) for o in (plain, seeded))
hot = lambda r: max(x["t_max_c"] for x in r["blocks"])
check(abs(hot(a) - hot(b)) < 1.0, "the FEM decides: same hottest temperature within the tolerances (%.2f vs %.2f C)"
      % (hot(a), hot(b)))

finish()
