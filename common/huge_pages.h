#pragma once
// Huge pages for the heap while a run is small. `chiptherm` (app/launcher.cc)
// asks glibc for transparent huge pages on the heap: memory a run frees and
// takes again, its factors and vectors, then costs one fault per 2 MiB, and
// small runs (the 3D-ICE and HotSpot comparisons) are 1.13-1.20x faster. But a
// huge page the machine must first provide is dear on VMs that back their
// memory lazily, as this project's CI machines: 6.4 s per GiB against 0.7-1.0
// s with 4 KiB pages (bench/first_touch.py --huge), and a run of 1.3-2 GB per
// rank was 1.13-1.5x slower with them (docs/benchmarks.md, "Huge pages only for
// small runs; LZ4 for the ParaView files"). So a run turns them off for the rest of the process as soon as
// its mesh is expected to need more than huge_pages_up_to_bytes per process.
namespace chiptherm
{
  /// The expected memory per process above which huge pages are turned off.
  constexpr double huge_pages_up_to_bytes = 256.0 * 1024 * 1024;

  /// Turns transparent huge pages off for the rest of this process (Linux's
  /// prctl PR_SET_THP_DISABLE; pages it has keep their size) when
  /// expected_bytes exceeds huge_pages_up_to_bytes, unless the environment sets
  /// CHIPTHERM_HUGE_PAGES=1 (always) or 0 (never asked for: nothing to turn
  /// off). Returns whether this call turned them off.
  bool limit_huge_pages(double expected_bytes);
} // namespace chiptherm
