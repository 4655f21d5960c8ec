#include "memory_guard.h"

#include "chip_mesh.h"
#include "common/errors.h"
#include "common/machine_memory.h"

#include <cstdio>

namespace chiptherm::solver
{
  using namespace dealii;

  MemoryCeiling::MemoryCeiling()
    : start_bytes_(double(process_resident_bytes()))
    , bytes_per_cell_(bytes_per_cell)
  {}

  void MemoryCeiling::observe(unsigned long long local_cells)
  {
    if (local_cells > 0)
      bytes_per_cell_ =
        std::max(bytes_per_cell_, (double(process_peak_resident_bytes()) - start_bytes_) / double(local_cells));
  }

  MemoryCeiling::Shortfall MemoryCeiling::shortfall(MPI_Comm comm, unsigned long long local_cells) const
  {
    // Per node: its ranks' expected growth against the node's headroom (read once).
    MPI_Comm node;
    MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
    const double held     = double(process_resident_bytes());
    // 1.5: the cost per cell grows with the depth of local refinement (observed 38 kB on
    // one mesh, 70 kB on the next, twice as deep): a projection must not undershoot.
    const double need     = std::max(0.0, start_bytes_ + 1.5 * double(local_cells) * bytes_per_cell_ - held);
    const double node_need = Utilities::MPI::sum(need, node);
    const double headroom  = Utilities::MPI::max(Utilities::MPI::this_mpi_process(node) == 0
                                                   ? double(memory_headroom_bytes())
                                                   : 0.0,
                                                 node);
    MPI_Comm_free(&node);
    const double reserve = memory_reserve_bytes();
    // headroom 0: unknown (no /proc/meminfo): nothing to check against.
    const bool short_here = headroom > 0 && node_need + reserve > headroom;
    const auto worst      = Utilities::MPI::max(short_here ? node_need + reserve - headroom : 0.0, comm);
    if (worst <= 0)
      return {};
    // The node short by the most says what it needed and had.
    const bool   worst_here = short_here && node_need + reserve - headroom >= worst;
    const double needed     = Utilities::MPI::max(worst_here ? node_need : 0.0, comm);
    return {true, needed, Utilities::MPI::max(worst_here ? headroom : 0.0, comm)};
  }

  bool MemoryCeiling::fits(MPI_Comm comm, unsigned long long local_cells) const
  {
    return !shortfall(comm, local_cells).short_of;
  }

  void MemoryCeiling::check(MPI_Comm comm, unsigned long long local_cells, const std::string &before) const
  {
    const Shortfall s = shortfall(comm, local_cells);
    if (!s.short_of)
      return;
    const double gb = 1024.0 * 1024 * 1024;
    char         text[400];
    std::snprintf(text, sizeof text,
                  "not enough memory left to %s: it needs about %.2f GB more, %.2f GB are free and %.2f GB are kept "
                  "for other work (CHIPTHERM_MEMORY_RESERVE_MB): stopped before the system runs out; lower "
                  "mesh.max_cells or adaptivity.max_cycles, or run on more memory (more nodes under mpirun)",
                  before.c_str(), s.needed / gb, s.free_bytes / gb, memory_reserve_bytes() / gb);
    throw NumericalError(text);
  }
} // namespace chiptherm::solver
