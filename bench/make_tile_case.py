#!/usr/bin/env python3
"""Writes a tile floorplan: N x N tiles on a square die, every tile at the same
power but one hotspot tile, on HotSpot's default package (the benchmark case
of issue 18: 20 x 20 tiles of 500 um on a 10 mm die, one hot tile).

    python3 bench/make_tile_case.py > bench/cases/tile_hotspot.yaml
    python3 bench/make_tile_case.py --tiles 20 --die 10000 --tile-w 0.08 --hot 3.0 --at 7 12
"""
import argparse

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--tiles", type=int, default=20, help="tiles along each side")
parser.add_argument("--die", type=float, default=10000, help="die side, um")
parser.add_argument("--tile-w", type=float, default=0.08, help="power of an ordinary tile, W")
parser.add_argument("--hot", type=float, default=3.0, help="power of the hotspot tile, W")
parser.add_argument("--at", type=int, nargs=2, default=[7, 12], help="column and row of the hotspot tile")
a = parser.parse_args()
pitch = a.die / a.tiles
print("# %d x %d tiles of %g um on a %g um die, %g W each, tile %d,%d at %g W (bench/make_tile_case.py)"
      % (a.tiles, a.tiles, pitch, a.die, a.tile_w, a.at[0], a.at[1], a.hot))
print("version: 1\nname: tile-hotspot\nunits: {length: um, temperature: C}\nambient: 45")
print("materials:\n  - {name: chip, conductivity: 130, heat_capacity: 1630300, source: HotSpot 7 default}")
print("  - {name: interface, conductivity: 4, heat_capacity: 4.0e6, source: HotSpot 7 default}")
print("  - {name: cu400, conductivity: 400, heat_capacity: 3.55e6, source: HotSpot 7 default spreader and sink}")
print("stack:\n  - name: die\n    material: chip\n    thickness: 150\n    footprint: [0, 0, %g, %g]\n    blocks:" % (a.die, a.die))
for i in range(a.tiles):
    for j in range(a.tiles):
        p = a.hot if [i, j] == a.at else a.tile_w
        print("      - {name: t%02d_%02d, type: logic, rect: [%g, %g, %g, %g], power: %g}" % (
            i, j, i * pitch, j * pitch, pitch, pitch, p))
print("""  - {name: tim, material: interface, thickness: 20}
  - {name: spreader, material: cu400, thickness: 1000, footprint: {width: 30000, height: 30000, centered: true}}
  - {name: sink, material: cu400, thickness: 6900, footprint: {width: 60000, height: 60000, centered: true}}
boundaries:
  top: {r_convec: 0.1}""")
