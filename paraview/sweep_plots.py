"""Plots of a chiptherm sweep, rendered off-screen with ParaView.

    xvfb-run -a pvpython paraview/sweep_plots.py OUT [--views DIR]

Reads OUT/sweep.json and writes
  DIR/objective_vs_<variable>[_<component>].png   the objective of every solved case
                                                  against each variable (each component
                                                  of a vector such as a die's [x, y])
  DIR/best/die_temperature.png, vertical_cut.png  the best case's views (render_views.py)
DIR defaults to OUT/views. Variables that are not numbers are left out.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from paraview import simple as pv


def numbers(text):
    """The numbers of a value such as 2000 or [15500, 10000], or None."""
    try:
        parsed = json.loads(text)
    except ValueError:
        return None
    values = parsed if isinstance(parsed, list) else [parsed]
    return values if all(isinstance(v, (int, float)) for v in values) else None


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out", help="a chiptherm sweep output folder (holds sweep.json)")
    p.add_argument("--views", help="where to write the PNGs (default OUT/views)")
    args = p.parse_args()
    views = args.views or os.path.join(args.out, "views")
    os.makedirs(views, exist_ok=True)
    table = json.load(open(os.path.join(args.out, "sweep.json")))
    objective = table["objective"]
    solved = [r for r in table["rows"] if r["status"] == "solved" and objective in r["results"]]
    if not solved:
        sys.exit("no solved case with the objective '%s' in %s" % (objective, args.out))
    keys = list(solved[0]["variables"].keys())
    for key in keys:
        values = [numbers(r["variables"][key]) for r in solved]
        if any(v is None for v in values):
            continue
        components = len(values[0])
        for c in range(components):
            points = sorted((v[c], r["results"][objective]) for v, r in zip(values, solved))
            csv = tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False)
            with csv:
                csv.write("value,%s\n" % objective.replace(":", "_"))
                for x, y in points:
                    csv.write("%.9g,%.9g\n" % (x, y))
            label = key + ("" if components == 1 else " [%s]" % "xyz"[c] if components <= 3 else " [%d]" % c)
            chart = pv.CreateView("XYChartView")
            chart.ViewSize = [1000, 700]
            chart.ChartTitle = "%s: %s against %s (%d solved cases)" % (os.path.basename(table["sweep"]), objective,
                                                                       label, len(points))
            chart.LeftAxisTitle = objective
            chart.BottomAxisTitle = label
            reader = pv.CSVReader(FileName=[csv.name])
            line = pv.Show(reader, chart)
            line.UseIndexForXAxis = 0
            line.XArrayName = "value"
            series = objective.replace(":", "_")
            line.SeriesVisibility = [series]
            line.SeriesLineStyle = [series, "0"]   # points only: several cases may share a value
            line.SeriesMarkerStyle = [series, "4"]
            line.SeriesMarkerSize = [series, "10"]
            name = "objective_vs_" + re.sub(r"[^A-Za-z0-9]+", "_", key).strip("_") + (
                "" if components == 1 else "_" + ("xyz"[c] if components <= 3 else str(c)))
            pv.SaveScreenshot(os.path.join(views, name + ".png"), chart, ImageResolution=[1000, 700])
            print("wrote " + os.path.join(views, name + ".png"))
            pv.Delete(line)
            pv.Delete(chart)
            os.unlink(csv.name)
    best = table["best"]
    if best:
        render = os.path.join(os.path.dirname(os.path.abspath(__file__)), "render_views.py")
        # pvpython's sys.executable is not itself; the child shares this X display.
        subprocess.run([shutil.which("pvpython") or "pvpython", render, os.path.join(args.out, "cases", best), "--views",
                        os.path.join(views, "best")], check=True)


if __name__ == "__main__":
    main()
