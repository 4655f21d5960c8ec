"""Effectivity of chiptherm's per-block error bounds against a reference solve:
for every block and figure (t_max, t_avg, t_min), bound / |figure - reference|.
Shared by bench/error_bound_effectivity.py and tests/regression/test_benchmark_claims.py.

A figure counts when its true error is above twice the reference's own bound
(below that the reference cannot tell). A bound below a counted true error is a
miss when the block is resolved: the cells it overlaps no larger than twice its
smaller side for Q2 and higher, half of it for Q1, and the report does not say
its bounds are not guaranteed (`bounds_guaranteed: false`: an unresolved block
within the reach of its cells). The adaptive loop keeps unresolved blocks open,
so their bounds and their neighbours' are reported apart."""

FIGURES = [("t_max_c", "t_max_error_k"), ("t_avg_c", "t_avg_error_k"), ("t_min_c", "t_min_error_k")]


def resolved(block, degree):
    """The cells a block overlaps are no larger than twice its smaller side (Q2), half of it (Q1)."""
    return block["cell_um_max"] <= min(block["rect_um"][2:]) * (2 if degree >= 2 else 0.5) * (1 + 1e-9)


def compare(run, reference, degree):
    """One row per block and figure of run against reference (report.json-shaped dicts,
    blocks matched by die and name): case-free fields true_k, bound_k, reference_bound_k,
    counted, resolved, miss. Returns (rows, worst) where worst is the lowest
    (effectivity, block, figure, bound, true) over counted figures of resolved blocks."""
    ref = {(b["die"], b["name"]): b for b in reference["blocks"]}
    rows, worst = [], None
    for b in run["blocks"]:
        rb = ref[(b["die"], b["name"])]
        is_resolved = resolved(b, degree) and b.get("bounds_guaranteed") is not False
        for figure, bound_key in FIGURES:
            true = abs(b[figure] - rb[figure])
            bound = b[bound_key]
            counted = true > 2 * rb[bound_key]
            row = {"block": b["name"], "die": b["die"], "figure": figure, "true_k": true, "bound_k": bound,
                   "reference_bound_k": rb[bound_key], "counted": counted, "resolved": is_resolved,
                   "miss": counted and bound < true and is_resolved}
            rows.append(row)
            if counted and is_resolved and (worst is None or bound / true < worst[0]):
                worst = (bound / true, b["name"], figure, bound, true)
    return rows, worst


def compact_reference(report, command):
    """The part of a reference report the tests need, with the command that made it."""
    keep = ("die", "name", "t_max_c", "t_avg_c", "t_min_c", "t_max_error_k", "t_avg_error_k", "t_min_error_k")
    return {"command": command,
            "chiptherm_version": report.get("chiptherm_version"),
            "mesh": report["mesh"],
            "max_error_k": report["adaptivity"]["max_error_k"],
            "blocks": [{k: b[k] for k in keep} for b in report["blocks"]]}
