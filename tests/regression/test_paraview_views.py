"""The pvpython views open a real ParaView on chiptherm results (steady and
transient): the contract's fields exist and the PNGs are written with content."""
import os
import shutil
import struct
import subprocess

from cli import EXAMPLE, SOURCE, check, finish, run, scratch

out = os.path.join(scratch(), "out")
code, _, stderr = run(["solve", EXAMPLE, "-o", out, "--set", "adaptivity.max_cycles=1"])
check(code == 0, "example solves: " + stderr)

pvpython = shutil.which("pvpython")
xvfb = shutil.which("xvfb-run")
check(pvpython is not None and xvfb is not None, "pvpython and xvfb-run installed (scripts/install-deps.sh)")
views = os.path.join(scratch(), "views")
p = subprocess.run([xvfb, "-a", pvpython, os.path.join(SOURCE, "paraview", "render_views.py"), out, "--views", views,
                    "--size", "800,600"], capture_output=True, text=True)
check(p.returncode == 0, "render_views.py exits 0: " + p.stderr[-2000:])
fields_line = next((l for l in p.stdout.splitlines() if l.startswith("fields: ")), "")
for field in ["temperature_c", "power_density_w_m3", "conductivity", "material_id", "block_id", "refinement_level",
              "error_indicator"]:
    check(field in fields_line, "ParaView sees field " + field)

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
p = subprocess.run([xvfb, "-a", pvpython, os.path.join(SOURCE, "paraview", "render_views.py"), tout, "--views", tviews,
                    "--size", "800,600"], capture_output=True, text=True)
check(p.returncode == 0, "render_views.py on a transient result exits 0: " + p.stderr[-2000:])
for name in ("die_temperature.png", "vertical_cut.png", "traces.png"):
    path = os.path.join(tviews, name)
    check(os.path.exists(path) and os.path.getsize(path) > 20000, "transient view %s written with content" % name)

# A folder without results is refused with a clear message.
p = subprocess.run([xvfb, "-a", pvpython, os.path.join(SOURCE, "paraview", "render_views.py"), scratch()],
                   capture_output=True, text=True)
check(p.returncode != 0, "render_views.py fails on a folder without results")

finish()
