#!/usr/bin/env python3
"""Writes fuzz/corpus/<harness>/ from the inputs the project ships and tests (run after
adding examples; the corpora are kept in the repository). Seeds larger than 64 kB are
cut to their first 64 kB lines: libFuzzer mutates small inputs faster.

    python3 fuzz/seed_corpora.py
"""
import glob
import hashlib
import os
import shutil
import struct
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fuzz", "corpus")
LIMIT = 64 * 1024


def read(path):
    data = open(os.path.join(ROOT, path), "rb").read()
    return data if len(data) <= LIMIT else data[:data.rfind(b"\n", 0, LIMIT) + 1]


def files(*patterns):
    return sorted(p for pattern in patterns for p in glob.glob(os.path.join(ROOT, pattern), recursive=True))


def add(harness, data):
    folder = os.path.join(OUT, harness)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
        f.write(data)


def joined(*parts):
    return b"\n====\n".join(parts)


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    rel = lambda p: os.path.relpath(p, ROOT)
    for p in files("examples/**/*.yaml", "tests/regression/cases/*.yaml", "tests/robustness/cases/*.yaml",
                   "tests/regression/bad_inputs/*.yaml", "bench/cases/*.yaml"):
        data = read(rel(p))
        (add("sweep_file", data) if b"\nbase:" in data or data.startswith(b"base:") else add("case_file", data))
    for line in [b"stack.die.blocks.a.power=20", b"boundaries.top.h=8000\nambient=50",
                 b"stack.die.regions.r.at=[500, 2500]", b"mesh={policy: none, die_cell_size: 500}",
                 b"adaptivity.tolerance=0.05\nsignoff.limits.analog=60", b"transient.end_time=0.02",
                 b"stack.die.blocks.b.rects=[[1000, 0, 1000, 1000], [2000, 0, 1000, 2000]]"]:
        add("case_override", line)
    add("materials_file", read("materials/data/standard.yaml"))
    add("materials_file", b"materials:\n  - {name: m, conductivity: [3, 3, 1], heat_capacity: 1.5e6}\n")
    flps = files("tests/data/hotspot7/**/*.flp", "examples/foreign/quad.flp")
    for p in flps:
        add("hotspot_files", b"\x00" + read(rel(p)))
    for p in files("tests/data/hotspot7/**/*.config", "examples/foreign/*.config"):
        add("hotspot_files", b"\x01" + read(rel(p)))
    for p in files("tests/data/hotspot7/**/*.ptrace", "examples/foreign/*.ptrace"):
        add("hotspot_files", b"\x02" + read(rel(p)))
    for p in files("tests/data/hotspot7/**/*.materials"):
        add("hotspot_files", b"\x03" + read(rel(p)))
    add("hotspot_import", joined(read("examples/foreign/quad.flp"), read("examples/foreign/quad.ptrace"),
                                 read("examples/foreign/quad.config")))
    add("hotspot_import", joined(read("tests/data/hotspot7/example1/ev6.flp"),
                                 read("tests/data/hotspot7/example1/gcc.ptrace")))
    ex3 = "tests/data/hotspot7/example3/"
    lcf = read(ex3 + "example.lcf").replace(b"floorplan1.flp", b"chip.flp").replace(b"floorplan2.flp", b"chip.flp")
    add("hotspot_import", joined(read(ex3 + "floorplan1.flp"), read(ex3 + "example.ptrace"), b"", lcf))
    for stk in files("tests/data/3d-ice4/test/solid/**/*.stk", "examples/foreign/twodie.stk"):
        text = read(rel(stk))
        names = []
        for token in text.split(b'"'):
            if token.endswith(b".flp") and token not in names:
                names.append(token)
        parts = [text]
        for k, name in enumerate(names[:2]):
            parts[0] = parts[0].replace(name, [b"a.flp", b"b.flp"][k])
            found = [p for p in files("tests/data/3d-ice4/test/*.flp", "examples/foreign/*.flp")
                     if p.endswith(os.path.basename(name.decode()))]
            parts.append(read(rel(found[0])) if found else b"")
        add("threedice_import", joined(*parts))
    for p in files("tests/robustness/cases/*.csv", "tests/regression/bad_inputs/*.csv"):
        add("tables", b"\x00" + read(rel(p)))
    for p in files("tests/regression/bad_inputs/*.npy", "bench/cases/*.npy"):
        add("tables", b"\x01" + read(rel(p)))
    for p in files("tests/regression/cases/*trace*.csv", "examples/soc_demo/*.csv"):
        add("tables", b"\x02" + read(rel(p)))
    # A small valid .npy (float64 2 x 3) as the raster seed.
    header = b"{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"
    header += b" " * (63 - len(header) % 64) + b"\n"
    add("tables", b"\x01" + b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + bytes(48))
    # Checkpoint records written by real runs (tests/data/checkpoints, README there).
    for p in files("tests/data/checkpoints/*.json"):
        add("checkpoint_record", read(rel(p)))
    # The shipped model's record: the JSON string stored after "chiptherm_record" in the
    # archive's data.pkl (a pickle BINUNICODE: 'X', a 4-byte length, the text).
    with zipfile.ZipFile(os.path.join(ROOT, "models", "predictor.pt")) as z:
        pickle = z.read(next(n for n in z.namelist() if n.endswith("/data.pkl")))
    at = pickle.index(b"X", pickle.index(b"chiptherm_record"))
    length = struct.unpack("<I", pickle[at + 1:at + 5])[0]
    record = pickle[at + 5:at + 5 + length]
    add("model_record", record)
    add("model_record", record.replace(b'"width":12', b'"width":8').replace(b'"levels":3', b'"levels":2'))
    for h in sorted(os.listdir(OUT)):
        print("%-18s %d seeds" % (h, len(os.listdir(os.path.join(OUT, h)))))


if __name__ == "__main__":
    main()
