#pragma once
// How much memory this machine lets the run use: the smaller of /proc/meminfo's
// MemAvailable and the cgroup's limit (v2 memory.max, v1 memory.limit_in_bytes).
// The mesh budget's default is sized from it (solver/chip_mesh.cc). No MPI here.
// CHIPTHERM_MEMORY_AVAILABLE_MB caps MemAvailable: tests emulate a machine with
// that much free, whatever else runs beside them.
#include <cstdint>

namespace chiptherm
{
  /// Bytes, or 0 when neither source can be read (then callers keep their own default).
  std::uint64_t usable_memory_bytes();

  /// Bytes that can still be allocated now: the smaller of MemAvailable and the
  /// cgroup's limit minus its current usage; 0 when nothing can be read.
  std::uint64_t memory_headroom_bytes();

  /// Memory to leave to other work: CHIPTHERM_MEMORY_RESERVE_MB if set (a
  /// workstation that must keep some memory free; tests that emulate a smaller
  /// machine), else 256 MB. The default cell budget and the memory ceiling
  /// (solver/memory_guard.h) both leave it free.
  double memory_reserve_bytes();

  /// This process's resident memory (/proc/self/statm), bytes; 0 when unknown.
  std::uint64_t process_resident_bytes();

  /// This process's peak resident memory so far (/proc/self/status VmHWM), bytes; 0 when unknown.
  std::uint64_t process_peak_resident_bytes();
} // namespace chiptherm
