#!/usr/bin/env python3
"""Where did the mesh put its cells? Counts the active cells of a solve's
solution.pvd per layer of the stack (by cell centre height).

    /usr/bin/python3 bench/cells_per_layer.py CASE.yaml OUT [OUT ...]

OUT is a `chiptherm solve -o OUT` folder (its first time step is read); CASE
the case it solved, for the layers' thicknesses (lengths in its units.length).
Needs Python's yaml and VTK modules (Debian: python3-yaml, python3-vtk9).
"""
import glob
import os
import sys

import numpy as np
import yaml
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkIOXML import vtkXMLUnstructuredGridReader

UNIT_M = {"m": 1.0, "mm": 1e-3, "um": 1e-6}


def layer_bounds(case_path):
    case = yaml.safe_load(open(case_path))
    unit = UNIT_M[case.get("units", {}).get("length", "m")]
    z, bounds = 0.0, []
    for layer in case["stack"]:
        bounds.append((layer["name"], z, z + layer["thickness"] * unit))
        z += layer["thickness"] * unit
    return bounds


def cell_heights(out):
    heights = []
    for piece in sorted(glob.glob(os.path.join(out, "solution_0000.*.vtu"))):
        reader = vtkXMLUnstructuredGridReader()
        reader.SetFileName(piece)
        reader.Update()
        grid = reader.GetOutput()
        points = vtk_to_numpy(grid.GetPoints().GetData())
        corners = vtk_to_numpy(grid.GetCells().GetConnectivityArray()).reshape(-1, 8)
        heights.append(points[corners][:, :, 2].mean(axis=1))
    return np.concatenate(heights)


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    bounds = layer_bounds(sys.argv[1])
    print("| layer | " + " | ".join(os.path.basename(os.path.normpath(o)) for o in sys.argv[2:]) + " |")
    print("|---" * (len(sys.argv) - 1) + "|")
    counts = [cell_heights(o) for o in sys.argv[2:]]
    for name, lo, hi in bounds:
        print("| %s | %s |" % (name, " | ".join(str(int(((z >= lo) & (z < hi)).sum())) for z in counts)))
    print("| all | %s |" % " | ".join(str(len(z)) for z in counts))


if __name__ == "__main__":
    main()
