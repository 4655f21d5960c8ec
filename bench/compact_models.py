"""Compact thermal models in the style of HotSpot's grid model and 3D-ICE's
finite-volume model, written from their published descriptions, to compare
chiptherm's block temperatures with what those tools compute for the same
physics (docs/validation.md). Neither tool is packaged by Debian, so these
models stand in for them: they follow the tools' discretisations, not their
code. Needs NumPy and SciPy (Debian's python3-numpy, python3-scipy; run with
/usr/bin/python3).

HotSpot style (Huang et al., IEEE TVLSI 14(5), 2006; HotSpot's grid model):
die and TIM on a rows x cols grid over the die, one node per cell and layer;
the spreader and sink have a grid part under the die and lumped peripheral
nodes outside it: four for the spreader rim, four for the sink under the
spreader rim and four for the sink's outer rim. -r_convec is shared by the
sink's nodes in proportion to their area. A block's temperature is the mean of
its cells (HotSpot's -grid_map_mode avg).

3D-ICE style (Sridhar et al., ICCAD 2010): every layer of the stack on the
chip's cell grid, one cell thick, cell-centred finite volumes with series
half-cell conductances; the heat sink is a film coefficient on the top
layer's top face. An element's max/min/average are over its source-layer
cells (3D-ICE's Tflpel output).
"""
import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

# HotSpot's defaults (temperature.c, default_thermal_config()), SI units.
HOTSPOT_DEFAULTS = {
    "t_chip": 0.15e-3, "k_chip": 100.0, "t_interface": 20e-6, "k_interface": 4.0,
    "s_spreader": 30e-3, "t_spreader": 1e-3, "k_spreader": 400.0,
    "s_sink": 60e-3, "t_sink": 6.9e-3, "k_sink": 400.0, "r_convec": 0.1, "ambient": 318.15,
}


def read_hotspot_flp(path):
    """Units as (name, width, height, left, bottom) in m, in file order."""
    units = []
    for line in open(path):
        t = line.split("#")[0].split()
        if len(t) in (5, 7):
            units.append((t[0], *map(float, t[1:5])))
    return units


def read_hotspot_config(path):
    cfg = dict(HOTSPOT_DEFAULTS)
    for line in open(path):
        t = line.split("#")[0].split()
        if len(t) == 2 and t[0][1:] in cfg:
            cfg[t[0][1:]] = float(t[1])
    return cfg


def read_ptrace_mean(path):
    rows = [l.split() for l in open(path) if l.strip()]
    names, values = rows[0], np.array(rows[1:], dtype=float)
    return dict(zip(names, values.mean(axis=0)))


class Network:
    """A thermal conductance network: G T = P + G_amb T_amb."""

    def __init__(self, n):
        self.n, self.rows, self.cols, self.vals = n, [], [], []
        self.power = np.zeros(n)
        self.to_ambient = np.zeros(n)

    def link(self, a, b, g):
        a, b, g = np.atleast_1d(a), np.atleast_1d(b), np.broadcast_to(np.atleast_1d(g), np.atleast_1d(a).shape)
        self.rows += [a, b, a, b]
        self.cols += [a, b, b, a]
        self.vals += [g, g, -g, -g]

    def solve(self, ambient):
        g = sp.coo_matrix((np.concatenate(self.vals), (np.concatenate(self.rows), np.concatenate(self.cols))),
                          shape=(self.n, self.n)).tocsr() + sp.diags(self.to_ambient)
        return spla.spsolve(g.tocsc(), self.power + self.to_ambient * ambient)


def series(*resistances):
    return 1.0 / sum(resistances)


def hotspot_grid_model(units, powers, cfg, rows=64, cols=64, sublayers=1):
    """Block mean and max temperatures (K) by name, HotSpot-style grid model.
    HotSpot gives each layer one node through its thickness (sublayers = 1);
    sublayers > 1 splits every layer into that many, to separate the effect of
    the vertical discretisation from that of the lumped rims."""
    x0 = min(u[3] for u in units); y0 = min(u[4] for u in units)
    W = max(u[3] + u[1] for u in units) - x0; H = max(u[4] + u[2] for u in units) - y0
    dx, dy, A = W / cols, H / rows, W / cols * H / rows
    layers = []
    for k, t in ((cfg["k_chip"], cfg["t_chip"]), (cfg["k_interface"], cfg["t_interface"]),
                 (cfg["k_spreader"], cfg["t_spreader"]), (cfg["k_sink"], cfg["t_sink"])):
        layers += [(k, t / sublayers)] * sublayers
    die_sublayers = sublayers
    first_spreader, first_sink = 2 * sublayers, 3 * sublayers
    ncell = rows * cols
    n = len(layers) * ncell + 12
    net = Network(n)
    idx = np.arange(ncell).reshape(rows, cols)
    for l, (k, t) in enumerate(layers):
        base = l * ncell
        net.link(base + idx[:, :-1].ravel(), base + idx[:, 1:].ravel(), k * t * dy / dx)
        net.link(base + idx[:-1, :].ravel(), base + idx[1:, :].ravel(), k * t * dx / dy)
        if l + 1 < len(layers):
            k2, t2 = layers[l + 1]
            net.link(base + idx.ravel(), base + ncell + idx.ravel(), series(t / (2 * k * A), t2 / (2 * k2 * A)))
    # die power: each unit's power over its cells by overlap area
    xc = x0 + (np.arange(cols) + 0.5) * dx
    yc = y0 + (np.arange(rows) + 0.5) * dy
    masks = {}
    for name, w, h, left, bottom in units:
        ox = np.clip(np.minimum(xc + dx / 2, left + w) - np.maximum(xc - dx / 2, left), 0, None)
        oy = np.clip(np.minimum(yc + dy / 2, bottom + h) - np.maximum(yc - dy / 2, bottom), 0, None)
        overlap = np.outer(oy, ox)
        for sub in range(die_sublayers):
            net.power[sub * ncell:(sub + 1) * ncell] += powers.get(name, 0.0) * (overlap / (w * h)).ravel() / die_sublayers
        masks[name] = (overlap / A).ravel() > 0.5
    # lumped rims: N, S, E, W for spreader (sp), sink under it (si), sink outer rim (so)
    sp_, si, so = len(layers) * ncell, len(layers) * ncell + 4, len(layers) * ncell + 8
    s_sp, s_sk = cfg["s_spreader"], cfg["s_sink"]
    k_sp, t_sp, k_sk, t_sk = cfg["k_spreader"], cfg["t_spreader"], cfg["k_sink"], cfg["t_sink"]
    my, mx = (s_sp - H) / 2, (s_sp - W) / 2           # spreader rim widths
    oy, ox = (s_sk - s_sp) / 2, (s_sk - s_sp) / 2     # sink outer rim widths
    rim_sp = [s_sp * my, s_sp * my, mx * H, mx * H]   # N, S (full width), E, W (die height)
    rim_so = [s_sk * oy, s_sk * oy, ox * s_sp, ox * s_sp]
    edges = [idx[-1, :], idx[0, :], idx[:, -1], idx[:, 0]]  # N, S, E, W edge cells
    for side in range(4):
        along, half_cell, rim = (dx, dy / 2, my) if side < 2 else (dy, dx / 2, mx)
        for first, node, k, t in ((first_spreader, sp_ + side, k_sp, t_sp), (first_sink, si + side, k_sk, t_sk)):
            for layer in range(first, first + sublayers):
                net.link(layer * ncell + edges[side], np.full(len(edges[side]), node),
                         k * t / sublayers * along / (half_cell + rim / 2))
        net.link(sp_ + side, si + side, series(t_sp / (2 * k_sp * rim_sp[side]), t_sk / (2 * k_sk * rim_sp[side])))
        # sink rim under the spreader -> outer rim, across their common edge
        # (s_sp long for N/S, the die's height for E/W: the N/S strips hold the corners)
        common = s_sp if side < 2 else H
        net.link(si + side, so + side, k_sk * t_sk * common / (rim / 2 + (oy if side < 2 else ox) / 2))
    # convection: -r_convec over the whole sink face, shared by area
    g_total = 1.0 / cfg["r_convec"]
    area = s_sk * s_sk
    net.to_ambient[(len(layers) - 1) * ncell:len(layers) * ncell] = g_total * A / area
    net.to_ambient[si:si + 4] = g_total * np.array(rim_sp) / area
    net.to_ambient[so:so + 4] = g_total * np.array(rim_so) / area
    T = net.solve(cfg["ambient"])
    die = T[:ncell] if sublayers == 1 else T[:die_sublayers * ncell].reshape(die_sublayers, ncell).mean(axis=0)
    return {name: (float(die[m].mean()), float(die[m].max())) for name, m in masks.items()}


def graded_lines(a, b, fine, coarse_edges, growth=1.3):
    """Grid lines: uniform `fine` cells on [a, b], then cells growing by
    `growth` outward to each of coarse_edges = (left, right)."""
    n = max(1, int(round((b - a) / fine)))
    lines = list(np.linspace(a, b, n + 1))
    for edge, sign in ((coarse_edges[0], -1), (coarse_edges[1], 1)):
        x, h = (a, fine) if sign < 0 else (b, fine)
        extra = []
        while (edge - x) * sign > 1e-12:
            h *= growth
            x = x + sign * h
            if (edge - x) * sign < 0.5 * h:
                x = edge
            extra.append(x)
        lines = (extra[::-1] + lines) if sign < 0 else (lines + extra)
    return np.array(lines)


def tensor_fv(xl, yl, layers, ambient, h_top):
    """Cell-centred finite volumes on the tensor grid xl x yl. layers, bottom
    to top: dicts with k, t, sub (cells through the thickness), footprint
    (x0, y0, x1, y1) and blocks [(key, (x, y, w, h), power)], power spread over
    the block's volume. Cells outside a footprint do not exist. Film h_top on
    the top face of the top layer; every other face adiabatic. Returns
    {key: (max, min, mean over the block's cells of all its sublayers)}."""
    dx, dy = np.diff(xl), np.diff(yl)
    xc, yc = (xl[:-1] + xl[1:]) / 2, (yl[:-1] + yl[1:]) / 2
    nx, ny = len(dx), len(dy)
    area = np.outer(dy, dx)
    planes = []  # (k, t, active mask, layer index)
    for i, L in enumerate(layers):
        x0, y0, x1, y1 = L["footprint"]
        active = np.outer((yc > y0) & (yc < y1), (xc > x0) & (xc < x1))
        planes += [(L["k"], L["t"] / L["sub"], active, i)] * L["sub"]
    ids = -np.ones((len(planes), ny, nx), dtype=int)
    count = 0
    for p, (_, _, active, _) in enumerate(planes):
        ids[p][active] = np.arange(count, count + active.sum())
        count += active.sum()
    net = Network(count)
    for p, (k, t, active, _) in enumerate(planes):
        # lateral, x then y: half-cell resistances in series
        a, b = ids[p][:, :-1], ids[p][:, 1:]
        ok = (a >= 0) & (b >= 0)
        g = k * t * np.broadcast_to(dy[:, None], a.shape) / ((dx[:-1] + dx[1:]) / 2)[None, :]
        net.link(a[ok], b[ok], g[ok])
        a, b = ids[p][:-1, :], ids[p][1:, :]
        ok = (a >= 0) & (b >= 0)
        g = k * t * np.broadcast_to(dx[None, :], a.shape) / ((dy[:-1] + dy[1:]) / 2)[:, None]
        net.link(a[ok], b[ok], g[ok])
        if p + 1 < len(planes):
            k2, t2, _, _ = planes[p + 1]
            a, b = ids[p], ids[p + 1]
            ok = (a >= 0) & (b >= 0)
            net.link(a[ok], b[ok], (1.0 / (t / (2 * k * area) + t2 / (2 * k2 * area)))[ok])
    k, t, active, _ = planes[-1]
    net.to_ambient[ids[-1][active]] = (1.0 / (t / (2 * k * area) + 1.0 / (h_top * area)))[active]
    cells = {}
    for p, (k, t, active, i) in enumerate(planes):
        for key, (x, y, w, h), power in layers[i].get("blocks", []):
            inside = np.outer((yc > y) & (yc < y + h), (xc > x) & (xc < x + w)) & active
            vol = area * inside
            net.power[ids[p][inside]] += power / layers[i]["sub"] * (vol / vol.sum())[inside]
            cells.setdefault(key, []).append(ids[p][inside])
    T = net.solve(ambient)
    out = {}
    for key, parts in cells.items():
        v = T[np.concatenate(parts)]
        out[key] = (float(v.max()), float(v.min()), float(v.mean()))
    return out


def hotspot_resolved(units, powers, cfg, fine, sublayers):
    """The package HotSpot assumes with nothing lumped: die, TIM, spreader and
    sink on a graded grid over the whole sink, sublayers cells through each
    layer. Block (mean, max) in K by name."""
    x0 = min(u[3] for u in units); y0 = min(u[4] for u in units)
    W = max(u[3] + u[1] for u in units) - x0; H = max(u[4] + u[2] for u in units) - y0
    cx, cy = x0 + W / 2, y0 + H / 2
    s_sp, s_sk = cfg["s_spreader"], cfg["s_sink"]
    edges_x = sorted({u[3] for u in units} | {u[3] + u[1] for u in units})
    edges_y = sorted({u[4] for u in units} | {u[4] + u[2] for u in units})

    def lines(lo, hi, edges, c):
        inner = np.unique(np.concatenate([np.linspace(a, b, max(1, int(round((b - a) / fine))) + 1)
                                          for a, b in zip(edges[:-1], edges[1:])]))
        g = graded_lines(lo, hi, fine, (c - s_sk / 2, c + s_sk / 2))
        extra = np.array([c - s_sp / 2, c + s_sp / 2])
        return np.unique(np.concatenate([g[(g < lo - 1e-12) | (g > hi + 1e-12)], inner, extra]))

    xl, yl = lines(x0, x0 + W, edges_x, cx), lines(y0, y0 + H, edges_y, cy)
    die = (x0, y0, x0 + W, y0 + H)
    sp_fp = (cx - s_sp / 2, cy - s_sp / 2, cx + s_sp / 2, cy + s_sp / 2)
    sk_fp = (cx - s_sk / 2, cy - s_sk / 2, cx + s_sk / 2, cy + s_sk / 2)
    blocks = [(u[0], (u[3], u[4], u[1], u[2]), powers.get(u[0], 0.0)) for u in units]
    layers = [dict(k=cfg["k_chip"], t=cfg["t_chip"], sub=sublayers, footprint=die, blocks=blocks),
              dict(k=cfg["k_interface"], t=cfg["t_interface"], sub=sublayers, footprint=die),
              dict(k=cfg["k_spreader"], t=cfg["t_spreader"], sub=sublayers, footprint=sp_fp),
              dict(k=cfg["k_sink"], t=cfg["t_sink"], sub=sublayers, footprint=sk_fp)]
    h = 1.0 / (cfg["r_convec"] * s_sk * s_sk)
    return {k: (v[2], v[0]) for k, v in tensor_fv(xl, yl, layers, cfg["ambient"], h).items()}


def threedice_cell_um(stk_path):
    """The larger of 3D-ICE's `cell length L , width W ;` in a stack file, um."""
    import re
    with open(stk_path) as f:
        m = re.search(r"cell\s+length\s+([\d.eE+-]+)\s*,\s*width\s+([\d.eE+-]+)", f.read())
    return max(float(m.group(1)), float(m.group(2)))


def threedice_model(case, cell):
    """Element (max, min, avg) in K by (die, element), 3D-ICE-style FV on the
    chip's cell grid (cell: um, threedice_cell_um) with one cell per layer, from a
    case imported by `chiptherm import 3dice` (um, K; a top heat sink only)."""
    L, Wd = case["stack"][0]["footprint"][2:]
    xl = np.linspace(0, L * 1e-6, int(round(L / cell)) + 1)
    yl = np.linspace(0, Wd * 1e-6, int(round(Wd / cell)) + 1)
    k_of = {m["name"]: m["conductivity"] for m in case["materials"]}
    layers = []
    for layer in case["stack"]:
        # A rectilinear block: one entry per rectangle (power by area), merged by name in tensor_fv.
        blocks = []
        for b in layer.get("blocks", []):
            rects = b["rects"] if "rects" in b else [b["rect"]]
            area = sum(r[2] * r[3] for r in rects)
            blocks += [((layer["name"], b["name"]), tuple(v * 1e-6 for v in r), b["power"] * r[2] * r[3] / area)
                       for r in rects]
        layers.append(dict(k=k_of[layer["material"]], t=layer["thickness"] * 1e-6, sub=1,
                           footprint=(0, 0, L * 1e-6, Wd * 1e-6), blocks=blocks))
    return tensor_fv(xl, yl, layers, case["ambient"], case["boundaries"]["top"]["h"])
