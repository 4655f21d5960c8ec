"""The pvpython views open a real ParaView on chiptherm results (steady and
transient): the contract's fields exist and the PNGs are written with content."""
import json
import os
import shutil
import struct
import subprocess

from cli import EXAMPLE, SOURCE, check, finish, run, scratch

out = os.path.join(scratch(), "out")
# One adaptive cycle (the example meets 0.1 K on its first mesh): hanging nodes in the files.
code, _, stderr = run(["solve", EXAMPLE, "-o", out, "--set", "adaptivity.max_cycles=1", "--set",
                       "adaptivity.tolerance=0.05"])
check(code == 0, "example solves: " + stderr)

pvpython = shutil.which("pvpython")
xvfb = shutil.which("xvfb-run")
check(pvpython is not None and xvfb is not None, "pvpython and xvfb-run installed (scripts/install-deps.sh)")


def render(*args):
    """Runs render_views.py under a fresh virtual X server. A failure to open the
    X window (Xvfb not ready, GLX context refused: seen once in CI, never
    locally) is the machine's, not the views': it is retried once and said."""
    command = [xvfb, "-a", "-s", "-screen 0 1280x1024x24 -nolisten tcp", pvpython,
               os.path.join(SOURCE, "paraview", "render_views.py")] + list(args)
    p = subprocess.run(command, capture_output=True, text=True)
    if p.returncode != 0 and "vtkXOpenGLRenderWindow" in p.stderr:
        errors = [l for l in p.stderr.splitlines() if "ERR|" in l or "FATL|" in l]
        print("note: the virtual X server refused a window, retrying once:\n  " + "\n  ".join(errors[:5]))
        p = subprocess.run(command, capture_output=True, text=True)
    return p


views = os.path.join(scratch(), "views")
p = render(out, "--views", views, "--size", "800,600")
check(p.returncode == 0, "render_views.py exits 0: " + p.stderr[-2000:])
fields_line = next((l for l in p.stdout.splitlines() if l.startswith("fields: ")), "")
for field in ["temperature_c", "power_density_w_m3", "conductivity", "material_id", "block_id", "refinement_level",
              "error_indicator"]:
    check(field in fields_line, "ParaView sees field " + field)

# error_bound_k is |T_(p+1) - T_p| at the nodes: of the largest block bound's size, never
# the rise itself (hanging nodes once read the whole rise: 14-55 K). Written with two
# subdivisions per cell, the degree-3 interpolant of |.| dips a little below 0 between nodes.
ranges = {l.split(":")[0][len("range "):]: [float(v) for v in l.split(":")[1].split()]
          for l in p.stdout.splitlines() if l.startswith("range ")}
report = json.load(open(os.path.join(out, "report.json")))
bound = report["adaptivity"]["max_error_k"]
check("error_bound_k" in ranges, "ParaView sees field error_bound_k")
if "error_bound_k" in ranges:
    lo, hi = ranges["error_bound_k"]
    check(-0.05 * hi <= lo and 0 < hi <= 10 * bound, "error_bound_k in [-0.05 x its top, 10 x the largest bound "
          "%.3g K]: %.4g-%.4g K"
          % (bound, lo, hi))

for name in ("die_temperature.png", "vertical_cut.png"):
    path = os.path.join(views, name)
    check(os.path.exists(path), name + " written")
    if not os.path.exists(path):
        continue
    data = open(path, "rb").read()
    check(data[:8] == b"\x89PNG\r\n\x1a\n", name + " is a PNG")
    width, height = struct.unpack(">II", data[16:24])
    check((width, height) == (800, 600), "%s is 800x600, got %dx%d" % (name, width, height))
    # A uniform (empty) frame compresses to a few kB; a temperature map does not.
    check(len(data) > 20000, "%s has content (%d bytes)" % (name, len(data)))

# A transient result: the frame at the hottest block's peak, and the traces chart.
tout = os.path.join(scratch(), "tout")
code, _, stderr = run(["transient", os.path.join(SOURCE, "tests", "regression", "cases", "pulsed_chip.yaml"), "-o", tout])
check(code == 0, "small transient case runs: " + stderr)
tviews = os.path.join(scratch(), "tviews")
p = render(tout, "--views", tviews, "--size", "800,600")
check(p.returncode == 0, "render_views.py on a transient result exits 0: " + p.stderr[-2000:])
for name in ("die_temperature.png", "vertical_cut.png", "traces.png"):
    path = os.path.join(tviews, name)
    check(os.path.exists(path) and os.path.getsize(path) > 20000, "transient view %s written with content" % name)

# A folder without results is refused with a clear message.
p = render(scratch())
check(p.returncode != 0, "render_views.py fails on a folder without results")

finish()
