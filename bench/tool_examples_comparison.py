#!/usr/bin/env python3
"""chiptherm against HotSpot 7 and 3D-ICE 4 on the tools' own shipped inputs (issue 21):
HotSpot's examples 1-4 (steady, each run.sh's command line) and 3D-ICE's solid steady
tests, all from the copies in tests/data, each tool run as it ships, measured in one run.

    python3 bench/tool_examples_comparison.py --hotspot /path/to/hotspot \\
        --threedice /path/to/3d-ice [--runs 3]        (either tool alone: leave the other out)

For every block (HotSpot unit, 3D-ICE element) of the powered layers: the tools'
temperature (HotSpot's -steady_file, 3D-ICE's element averages from added
`Tflp (die, file, average, final)` outputs) beside chiptherm's t_avg with its bound.
Prints one Markdown table row per case (times best of --runs, end to end) and the
per-block rows. Nothing is asserted: the models differ (docs/validation.md).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_run import CHIPTHERM, ENV, ROOT, best_wall  # noqa: E402

DATA = os.path.join(ROOT, "tests", "data")

# example: (HotSpot arguments of run.sh's steady run, layer files prefix units with layer_N_)
HOTSPOT_EXAMPLES = {
    "example1": ["-c", "example.config", "-f", "ev6.flp", "-p", "gcc.ptrace", "-materials_file",
                 "example.materials", "-model_type", "block"],
    "example2": ["-c", "example.config", "-f", "ev6.flp", "-p", "gcc.ptrace", "-materials_file",
                 "example.materials", "-model_type", "grid"],
    "example3": ["-c", "example.config", "-p", "example.ptrace", "-grid_layer_file", "example.lcf",
                 "-materials_file", "example.materials", "-model_type", "grid", "-detailed_3D", "on"],
    "example4": ["-c", "example.config", "-p", "ev6_3D.ptrace", "-grid_layer_file", "ev6_3D.lcf",
                 "-model_type", "grid", "-detailed_3D", "on"],
}


def read_steady(path):
    with open(path) as f:
        return {t[0]: float(t[1]) for t in (line.split() for line in f) if len(t) == 2}


def row(case, tool, tool_s, report, ct_s, pairs):
    """pairs: (block, tool K, chiptherm t_avg C, bound K)."""
    diffs = [c + 273.15 - t for _, t, c, _ in pairs]
    largest = max(diffs, key=abs)
    mean = sum(diffs) / len(diffs)
    dofs = report["mesh"]["dofs"]
    print("| %s | %s %.2f s | chiptherm %.2f s (%d unknowns, %d cycles) | %.2f | %d | %+.2f | %+.2f | %.3f |" % (
        case, tool, tool_s, ct_s, dofs, report["adaptivity"].get("cycles", 0), ct_s / tool_s, len(pairs),
        mean, largest, max(b for *_, b in pairs)), flush=True)
    return [(case, *p) for p in pairs]


def hotspot_cases(hotspot, runs, details):
    for example, args in HOTSPOT_EXAMPLES.items():
        variants = [(example, args)]
        if "-detailed_3D" in args:
            variants.append((example + " (-detailed_3D off)",
                             [a if a != "on" else "off" for a in args]))
        for case, hs_args in variants:
            folder = os.path.join(DATA, "hotspot7", example)
            tmp = tempfile.mkdtemp(prefix="tool-examples-")
            hs_file, ct_file = os.path.join(tmp, "hotspot.steady"), os.path.join(tmp, "chiptherm.steady")
            hs_s = best_wall([hotspot] + hs_args + ["-steady_file", hs_file], runs, folder)
            out = os.path.join(tmp, "out")
            ct_s = best_wall([CHIPTHERM, "solve", "--hotspot"] + hs_args + ["-steady_file", ct_file, "--out", out],
                             runs, folder, ENV)
            with open(os.path.join(out, "report.json")) as f:
                report = json.load(f)
            hs = read_steady(hs_file)
            pairs = []
            for b in report["blocks"]:
                # Layer files: HotSpot writes layer_N_unit (unit names differ across power layers).
                keys = [k for k in hs if k == b["name"] or re.fullmatch(r"layer_\d+_" + re.escape(b["name"]), k)]
                pairs.append((b["name"], hs[keys[0]], b["t_avg_c"], b["t_avg_error_k"]))
            details += row(case, "HotSpot", hs_s, report, ct_s, pairs)


def threedice_cases(threedice, runs, details, references=None):
    emulator = os.path.join(threedice, "bin", "3D-ICE-Emulator")
    test = os.path.join(DATA, "3d-ice4", "test")
    for stack in ("topsink", "bottomsink", "bothsink"):
        tmp = tempfile.mkdtemp(prefix="tool-examples-")
        with open(os.path.join(test, "solid", "steady", stack + ".stk")) as f:
            text = f.read()
        dies = re.findall(r"^\s*die\s+(\w+)\s+\w+\s+floorplan", text, re.M)
        for flp in re.findall(r'floorplan\s+"([^"]+)"', text):
            shutil.copy(os.path.join(test, flp), tmp)
        # 3D-ICE's element averages, beside its own outputs (written next to the stack).
        outputs = "".join('  Tflp (%s, "%s.tflp", average, final);\n' % (d, d) for d in dies)
        text = re.sub(r'"solid/steady/', '"', text)
        text = re.sub(r"(output\s*:\s*\n)", r"\1" + outputs, text)
        with open(os.path.join(tmp, stack + ".stk"), "w") as f:
            f.write(text)
        tice_s = best_wall([emulator, stack + ".stk"], runs, tmp)
        out = os.path.join(tmp, "out")
        ct_s = best_wall([CHIPTHERM, "solve", stack + ".stk", "-o", out], runs, tmp, ENV)
        with open(os.path.join(out, "report.json")) as f:
            report = json.load(f)
        tice = {}
        for d in dies:
            # "% Time(s)  name(K)  ..." then one row per output time.
            with open(os.path.join(tmp, d + ".tflp")) as f:
                lines = [line.split() for line in f if line.strip()]
            names = [re.sub(r"\(K\)$", "", t) for t in next(line for line in lines if line[:2] == ["%", "Time(s)"])[2:]]
            values = [line for line in lines if line[0] != "%"]
            for n, v in zip(names, values[-1][1:]):
                tice[(d, n)] = float(v)
        if references is not None:
            references["solid/steady/%s.stk" % stack] = {"%s/%s" % k: v for k, v in sorted(tice.items())}
        pairs = []
        for b in report["blocks"]:
            key = (b["die"], b["name"])
            if key in tice:
                pairs.append((b["die"] + "/" + b["name"], tice[key], b["t_avg_c"], b["t_avg_error_k"]))
        if pairs:
            details += row(stack + " (steady)", "3D-ICE", tice_s, report, ct_s, pairs)
        else:
            print("| %s | 3D-ICE %.2f s | chiptherm %.2f s | element names did not match: %s vs %s |" % (
                stack, tice_s, ct_s, sorted(tice)[:4], [b["name"] for b in report["blocks"]][:4]))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hotspot", help="the hotspot executable (HotSpot 7)")
    parser.add_argument("--threedice", help="a built 3D-ICE 4 checkout (bin/3D-ICE-Emulator)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write-reference", metavar="JSON",
                        help="also write 3D-ICE's element averages (K) per stack there: the reference that "
                             "tests/regression/test_tool_examples.py holds chiptherm to (tests/data/3d-ice4/)")
    args = parser.parse_args()
    if not (args.hotspot or args.threedice):
        parser.error("give --hotspot, --threedice or both")
    print("| case | tool | chiptherm | chiptherm / tool | blocks | mean chiptherm - tool K | "
          "largest K | largest bound K |")
    print("|---|---|---|---|---|---|---|---|")
    details = []
    if args.hotspot:
        hotspot_cases(os.path.abspath(args.hotspot), args.runs, details)
    references = {} if args.write_reference else None
    if args.threedice:
        threedice_cases(os.path.abspath(args.threedice), args.runs, details, references)
    if references:
        with open(args.write_reference, "w") as f:
            json.dump({"comment": "3D-ICE 4's element averages (K, final time) on its solid steady tests, from "
                                  "`python3 bench/tool_examples_comparison.py --threedice PATH --runs 1 "
                                  "--write-reference tests/data/3d-ice4/element_averages.json` (3D-ICE built as "
                                  "../shared/docs/reference-tools.md says)", "stacks": references}, f, indent=1)
    print("\n| case | block | tool K | chiptherm t_avg K | +/- K | difference K |\n|---|---|---|---|---|---|")
    for case, name, tool, ct, bound in details:
        print("| %s | %s | %.2f | %.2f | %.3f | %+.2f |" % (case, name, tool, ct + 273.15, bound, ct + 273.15 - tool))


if __name__ == "__main__":
    main()
