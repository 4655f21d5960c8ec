#pragma once
// How much memory this machine lets the run use: the smaller of /proc/meminfo's
// MemAvailable and the cgroup's limit (v2 memory.max, v1 memory.limit_in_bytes).
// The mesh budget's default is sized from it (solver/chip_mesh.cc). No MPI here.
#include <cstdint>

namespace chiptherm
{
  /// Bytes, or 0 when neither source can be read (then callers keep their own default).
  std::uint64_t usable_memory_bytes();
} // namespace chiptherm
