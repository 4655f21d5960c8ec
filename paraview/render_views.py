"""Standard chiptherm views, rendered off-screen with ParaView.

    xvfb-run -a pvpython paraview/render_views.py OUT [--views DIR] [--field temperature_c]

Reads OUT/solution.pvd and OUT/report.json (block outlines and names) and writes
  DIR/die_temperature.png  temperature over the mid-plane of the hottest block's
                           layer, seen from above, with every block outlined
  DIR/vertical_cut.png     a vertical cut through the hottest block across the
                           whole stack (z stretched so thin layers show)
and for a transient result (report.json has "transient"), both at the output
time nearest the hottest block's peak, plus
  DIR/traces.png           t_max over time of the hottest blocks (traces.csv)
  DIR/power.png            their power over time, dynamic + leakage (power_trace.csv)
  DIR/frequency.png        each DVFS block's frequency over time (frequency_trace.csv,
                           when the case has DVFS blocks)
DIR defaults to OUT/views. Exits 1 if a contract field is missing.
"""
import argparse
import builtins  # ProgrammableSource scripts put numpy-style min/max into __main__
import json
import os
import sys

from paraview import simple as pv

CONTRACT_FIELDS = ["temperature_c", "power_density_w_m3", "conductivity", "material_id", "block_id",
                   "refinement_level", "error_indicator"]
UM = 1e-6  # the solution is written in metres; the report speaks micrometres


def parse_arguments():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out", help="a chiptherm output folder (holds solution.pvd and report.json)")
    p.add_argument("--views", help="where to write the PNGs (default OUT/views)")
    p.add_argument("--field", default="temperature_c",
                   help="field to colour by: a point field (temperature_c) or a cell field (power_density_w_m3, "
                        "leakage_share, conductivity, refinement_level, ...)")
    p.add_argument("--size", default="1400,1000", help="image size in pixels, W,H")
    return p.parse_args()


def check_fields(reader, transient):
    names = list(reader.PointData.keys()) + list(reader.CellData.keys())
    # The steady error estimator says nothing about a transient state: not written there.
    expected = [f for f in CONTRACT_FIELDS if not (transient and f == "error_indicator")]
    missing = [f for f in expected if f not in names]
    print("fields: " + ", ".join(sorted(names)))
    for name in sorted(reader.PointData.keys()):
        lo, hi = reader.PointData[name].GetRange()
        print("range %s: %.9g %.9g" % (name, lo, hi))
    if missing:
        print("missing contract fields: " + ", ".join(missing), file=sys.stderr)
        sys.exit(1)


def make_view(width, height, show_axes):
    view = pv.CreateRenderView()
    view.ViewSize = [width, height]
    view.ViewTime = time
    view.OrientationAxesVisibility = 1 if show_axes else 0
    view.Background = [0.12, 0.12, 0.14]
    if hasattr(view, "UseColorPaletteForBackground"):
        view.UseColorPaletteForBackground = 0
    return view


def title_text(view, text):
    shown = pv.Show(pv.Text(Text=text), view)
    shown.WindowLocation = "Upper Center"
    shown.FontSize = 18


def colour_by(display, view, field, title, association="POINTS"):
    pv.ColorBy(display, (association, field))
    lut = pv.GetColorTransferFunction(field)
    lut.ApplyPreset("Inferno (matplotlib)", True)
    display.RescaleTransferFunctionToDataRange(True, False)
    # A field constant over the view (refinement_level on an unrefined mesh) would get
    # a colour bar from 0 to 1e-38: give it a unit range around its value instead.
    lo, hi = lut.RGBPoints[0], lut.RGBPoints[-4]
    if hi - lo <= 1e-9 * builtins.max(1.0, abs(lo)):
        lut.RescaleTransferFunction(lo - 0.5, lo + 0.5)
        pv.GetOpacityTransferFunction(field).RescaleTransferFunction(lo - 0.5, lo + 0.5)
    display.SetScalarBarVisibility(view, True)
    bar = pv.GetScalarBar(lut, view)
    bar.Title = title
    bar.ComponentTitle = ""
    bar.TitleFontSize = 18
    bar.LabelFontSize = 16
    bar.RangeLabelFormat = "%-#6.1f"


MAX_LABELLED_BLOCKS = 40  # beyond this, names would hide the map


def outline_blocks(view, blocks, z):
    """Draws every block's rectangle at height z (metres) as one polydata (one
    pipeline object, so thousands of blocks stay fast), the hottest in cyan, with
    names when there are few enough blocks to read them."""
    rects = [[v * UM for v in b["rect_um"]] for b in blocks]
    for subset, colour, width in ((rects, [1, 1, 1], 2.0 if len(blocks) <= MAX_LABELLED_BLOCKS else 1.0),
                                  ([[v * UM for v in hottest["rect_um"]]], [0.1, 0.9, 1.0], 3.0)):
        source = pv.ProgrammableSource(OutputDataSetType="vtkPolyData")
        source.Script = OUTLINE_SCRIPT % (repr(subset), z)
        d = pv.Show(source, view)
        d.AmbientColor = d.DiffuseColor = colour
        d.LineWidth = width
    if len(blocks) > MAX_LABELLED_BLOCKS:
        return
    for b in blocks:
        x, y, w, h = [v * UM for v in b["rect_um"]]
        ld = pv.Show(pv.Text(Text=b["name"]), view, "TextSourceRepresentation")
        ld.TextPropMode = "Billboard 3D Text"
        ld.BillboardPosition = [x + 0.5 * w, y + 0.5 * h, z]
        ld.FontSize = 13
        ld.Color = [1, 1, 1]
        ld.Justification = "Center"


OUTLINE_SCRIPT = """
import vtk
rects, z = %s, %r
points, lines = vtk.vtkPoints(), vtk.vtkCellArray()
for x, y, w, h in rects:
    ids = [points.InsertNextPoint(px, py, z) for px, py in ((x, y), (x + w, y), (x + w, y + h), (x, y + h))]
    line = vtk.vtkPolyLine()
    line.GetPointIds().SetNumberOfIds(5)
    for k, i in enumerate(ids + ids[:1]):
        line.GetPointIds().SetId(k, i)
    lines.InsertNextCell(line)
output = self.GetPolyDataOutput()
output.SetPoints(points)
output.SetLines(lines)
"""


args = parse_arguments()
views_dir = args.views or os.path.join(args.out, "views")
os.makedirs(views_dir, exist_ok=True)
width, height = [int(v) for v in args.size.split(",")]
report = json.load(open(os.path.join(args.out, "report.json")))
transient = "transient" in report
temperature_key = "peak_c" if transient else "t_max_c"
hottest = builtins.max(report["blocks"], key=lambda b: b[temperature_key])

reader = pv.PVDReader(FileName=os.path.join(args.out, "solution.pvd"))
reader.UpdatePipeline()
check_fields(reader, transient)
association = "POINTS" if args.field in reader.PointData.keys() else "CELLS"
if association == "CELLS" and args.field not in reader.CellData.keys():
    print("no field %s in %s" % (args.field, args.out), file=sys.stderr)
    sys.exit(1)
field_title = "T [C]" if args.field == "temperature_c" else args.field
# Transient: the frame nearest the hottest block's peak (frames are output times).
time = 0.0
when = ""
if transient:
    times = list(reader.TimestepValues) if reader.TimestepValues else [0.0]
    time = builtins.min(times, key=lambda t: abs(t - hottest["peak_time_s"]))
    reader.UpdatePipeline(time)
    when = " at t = %.4g s" % time

# --- die temperature map -----------------------------------------------------
die_blocks = [b for b in report["blocks"] if b["z_um"] == hottest["z_um"]]
z_mid = 0.5 * (hottest["z_um"][0] + hottest["z_um"][1]) * UM
x0 = builtins.min(b["rect_um"][0] for b in die_blocks) * UM
y0 = builtins.min(b["rect_um"][1] for b in die_blocks) * UM
x1 = builtins.max(b["rect_um"][0] + b["rect_um"][2] for b in die_blocks) * UM
y1 = builtins.max(b["rect_um"][1] + b["rect_um"][3] for b in die_blocks) * UM

view = make_view(width, height, show_axes=False)
plane = pv.Slice(Input=reader)
plane.SliceType = "Plane"
plane.SliceType.Origin = [0.5 * (x0 + x1), 0.5 * (y0 + y1), z_mid]
plane.SliceType.Normal = [0, 0, 1]
shown = pv.Show(plane, view)  # at mid-thickness of the die only die cells exist
colour_by(shown, view, args.field, field_title, association)
outline_blocks(view, die_blocks, z_mid + 1e-7)
title_text(view, "%s: %s layer at mid-thickness%s, hottest %s %.2f C%s" %
           (report["case"], hottest["die"], when, hottest["name"], hottest[temperature_key],
            " (peak)" if transient else ""))
view.CameraParallelProjection = 1
view.CameraPosition = [0.5 * (x0 + x1), 0.5 * (y0 + y1), z_mid + 0.1]
view.CameraFocalPoint = [0.5 * (x0 + x1), 0.5 * (y0 + y1), z_mid]
view.CameraViewUp = [0, 1, 0]
view.CameraParallelScale = 0.55 * builtins.max(x1 - x0, y1 - y0)
pv.SaveScreenshot(os.path.join(views_dir, "die_temperature.png"), view, ImageResolution=[width, height])
print("wrote " + os.path.join(views_dir, "die_temperature.png"))

# --- vertical cut through the hottest block -------------------------------------
bx, by, bw, bh = [v * UM for v in hottest["rect_um"]]
cut_view = make_view(width, height, show_axes=True)
cut = pv.Slice(Input=reader)
cut.SliceType = "Plane"
cut.SliceType.Origin = [bx + 0.5 * bw, by + 0.5 * bh, 0]
cut.SliceType.Normal = [0, 1, 0]
cut.UpdatePipeline()
bounds = cut.GetDataInformation().GetBounds()
stack_width = bounds[1] - bounds[0]
stack_height = bounds[5] - bounds[4]
stretch = builtins.max(1.0, 0.35 * stack_width / stack_height)  # thin stacks are stretched in z to be seen
stretched = pv.Transform(Input=cut)
stretched.Transform = "Transform"
stretched.Transform.Scale = [1, 1, stretch]
cut_display = pv.Show(stretched, cut_view)
colour_by(cut_display, cut_view, args.field, field_title, association)
edges = pv.Show(pv.FeatureEdges(Input=stretched), cut_view)
edges.AmbientColor = edges.DiffuseColor = [0.8, 0.8, 0.8]
title_text(cut_view, "%s: vertical cut at y = %.0f um through %s%s (z stretched x%.1f)" %
           (report["case"], (by + 0.5 * bh) / UM, hottest["name"], when, stretch))
cut_view.CameraParallelProjection = 1
cx, cz = 0.5 * (bounds[0] + bounds[1]), 0.5 * (bounds[4] + bounds[5]) * stretch
cut_view.CameraPosition = [cx, bounds[2] - 1.0, cz]
cut_view.CameraFocalPoint = [cx, bounds[2], cz]
cut_view.CameraViewUp = [0, 0, 1]
cut_view.CameraParallelScale = 0.6 * builtins.max(stack_height * stretch, stack_width * height / width)
pv.SaveScreenshot(os.path.join(views_dir, "vertical_cut.png"), cut_view, ImageResolution=[width, height])
print("wrote " + os.path.join(views_dir, "vertical_cut.png"))

# --- transient: block maxima, powers and DVFS frequencies over time ----------------------
MAX_TRACED_BLOCKS = 8  # more lines than this are unreadable
# Eight distinct colours (matplotlib's tab10), so no two traced blocks look alike.
PALETTE = [(0.12, 0.47, 0.71), (1.0, 0.5, 0.05), (0.17, 0.63, 0.17), (0.84, 0.15, 0.16),
           (0.58, 0.4, 0.74), (0.55, 0.34, 0.29), (0.89, 0.47, 0.76), (0.5, 0.5, 0.5)]


def trace_chart(csv_name, title, axis_title, png, shown_names):
    """A line chart of OUT/csv_name (time_s, then one column per name), the
    columns of shown_names (report names; all columns when None)."""
    path = os.path.join(args.out, csv_name)
    table = pv.CSVReader(FileName=[path])
    table.UpdatePipeline()
    chart = pv.CreateView("XYChartView")
    chart.ViewSize = [width, height]
    chart.ChartTitle = "%s: %s" % (report["case"], title)
    chart.LeftAxisTitle = axis_title
    chart.BottomAxisTitle = "time [s]"
    line = pv.Show(table, chart)
    line.UseIndexForXAxis = 0
    line.XArrayName = "time_s"
    with open(path) as f:
        columns = f.readline().strip().split(",")[1:]
    by_block = dict(zip([b["name"] for b in report["blocks"]], columns))
    shown = columns if shown_names is None else [by_block.get(n, n) for n in shown_names]
    line.SeriesVisibility = shown
    line.SeriesColor = [str(v) for name, rgb in zip(shown, PALETTE) for v in (name,) + rgb]
    line.SeriesLineThickness = [c for name in columns for c in (name, "2")]
    pv.SaveScreenshot(os.path.join(views_dir, png), chart, ImageResolution=[width, height])
    print("wrote " + os.path.join(views_dir, png))


if transient:
    hottest = [b["name"] for b in sorted(report["blocks"], key=lambda b: -b["peak_c"])[:MAX_TRACED_BLOCKS]]
    trace_chart("traces.csv", "block t_max over time", "t_max [C]", "traces.png", hottest)
    if os.path.exists(os.path.join(args.out, "power_trace.csv")):
        trace_chart("power_trace.csv", "block power (dynamic + leakage) over time", "power [W]", "power.png", hottest)
    if os.path.exists(os.path.join(args.out, "frequency_trace.csv")):
        trace_chart("frequency_trace.csv", "DVFS block frequency over time", "frequency [Hz]", "frequency.png", None)
