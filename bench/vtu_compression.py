#!/usr/bin/python3
"""What the ParaView files' compression costs: zlib's fastest level against LZ4.

Reads a .vtu piece chiptherm wrote (inline base64 LZ4 blocks, solver/vtu_files.cc),
inflates every array and compresses the same bytes again with zlib level 1 (the
writer's codec until 2026-12-07) and with LZ4 (its codec since), one thread,
and prints seconds and sizes. Needs Debian's python3-lz4 (run with /usr/bin/python3).

    /usr/bin/python3 bench/vtu_compression.py OUT/solution_0000.0.vtu
"""
import argparse
import base64
import re
import struct
import time
import zlib

import lz4.block

def arrays(path):
    with open(path, "rb") as f:
        data = f.read()
    for tag, text in re.findall(rb'(<DataArray[^>]*>)\n([^<]*)\n</DataArray>', data):
        n_blocks, block, last = struct.unpack("<3Q", base64.b64decode(text[:32]))
        header_chars = 4 * ((8 * (3 + n_blocks) + 2) // 3)
        sizes = struct.unpack_from("<%dQ" % n_blocks, base64.b64decode(text[:header_chars]), 24)
        packed = base64.b64decode(text[header_chars:])
        raw, at = bytearray(), 0
        for b, size in enumerate(sizes):
            full = last if b + 1 == n_blocks and last else block
            raw += lz4.block.decompress(packed[at:at + size], uncompressed_size=full)
            at += size
        name = re.search(rb'Name="([^"]+)"', tag)
        yield (name.group(1).decode() if name else "points"), bytes(raw)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vtu")
    args = parser.parse_args()
    raw = list(arrays(args.vtu))
    total = sum(len(r) for _, r in raw)
    start = time.perf_counter()
    z = sum(len(zlib.compress(r, 1)) for _, r in raw)
    z_s = time.perf_counter() - start
    start = time.perf_counter()
    blocks = [r[i:i + (1 << 20)] for _, r in raw for i in range(0, len(r), 1 << 20)]
    lz = sum(len(lz4.block.compress(b, store_size=False)) for b in blocks)
    lz_s = time.perf_counter() - start
    start = time.perf_counter()
    for b in blocks:
        base64.b64encode(b)
    b64_s = time.perf_counter() - start
    print("arrays: %d, %.1f MB" % (len(raw), total / 1e6))
    print("zlib level 1: %.2f s, %.1f MB (%.1f MB as base64)" % (z_s, z / 1e6, 4 * z / 3e6))
    print("LZ4:          %.2f s, %.1f MB (%.1f MB as base64)" % (lz_s, lz / 1e6, 4 * lz / 3e6))
    print("base64 of the raw arrays (an upper bound for either): %.2f s" % b64_s)


if __name__ == "__main__":
    main()
