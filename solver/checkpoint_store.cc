#include "checkpoint_store.h"

#include "common/output_file.h"
#include "common/errors.h"

#include <deal.II/base/mpi.h>
#include <deal.II/distributed/solution_transfer.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace chiptherm::solver
{
  using namespace dealii;
  namespace fs = std::filesystem;

  CheckpointStore::CheckpointStore(std::string directory, MPI_Comm comm)
    : directory_(std::move(directory))
    , comm_(comm)
  {}

  std::string CheckpointStore::latest_slot() const
  {
    std::ifstream in(directory_ + "/latest");
    std::string   slot;
    in >> slot;
    return slot == "a" || slot == "b" ? slot : std::string();
  }

  bool CheckpointStore::exists() const
  {
    return !latest_slot().empty();
  }

  void CheckpointStore::save(const parallel::distributed::Triangulation<3>  &tria,
                             const DoFHandler<3>                             &dof_handler,
                             const LinearAlgebra::distributed::Vector<double> &temperature, const nlohmann::json &state)
  {
    const bool        root = Utilities::MPI::this_mpi_process(comm_) == 0;
    const std::string slot = latest_slot() == "a" ? "b" : "a";
    const std::string dir  = directory_ + "/" + slot;
    if (root)
      {
        fs::remove_all(dir);
        fs::create_directories(dir);
      }
    // p4est aborts the process on a failed write: check for room first (a margin
    // of 2 over the files' sizes: p4est's mesh about 64 bytes and the data 8 per
    // value of each cell).
    const double cells = double(tria.n_global_active_cells()) + double(tria.n_cells(0));
    const double mesh_bytes = 64 * cells + 4096;
    const double data_bytes = 8.0 * dof_handler.get_fe().n_dofs_per_cell() * cells + 4096;
    ensure_room(directory_, 2 * std::max(mesh_bytes, data_bytes), 2 * (mesh_bytes + data_bytes));
    MPI_Barrier(comm_);
    {
      parallel::distributed::SolutionTransfer<3, LinearAlgebra::distributed::Vector<double>> transfer(dof_handler);
      transfer.prepare_for_serialization(temperature);
      tria.save(dir + "/mesh");
    }
    MPI_Barrier(comm_);
    if (root)
      {
        {
          write_text_file(dir + "/state.json", state.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
        }
        // The switch to the new slot is one rename: atomic on POSIX file systems.
        write_text_file(directory_ + "/latest.tmp", slot + "\n");
        std::rename((directory_ + "/latest.tmp").c_str(), (directory_ + "/latest").c_str());
      }
    MPI_Barrier(comm_);
  }

  nlohmann::json CheckpointStore::state() const
  {
    std::ifstream in(directory_ + "/" + latest_slot() + "/state.json");
    return nlohmann::json::parse(in);
  }

  std::string CheckpointStore::mesh_file() const
  {
    return directory_ + "/" + latest_slot() + "/mesh";
  }

  void CheckpointStore::load_temperature(const DoFHandler<3>                        &dof_handler,
                                         LinearAlgebra::distributed::Vector<double> &temperature) const
  {
    parallel::distributed::SolutionTransfer<3, LinearAlgebra::distributed::Vector<double>> transfer(dof_handler);
    transfer.deserialize(temperature);
  }
} // namespace chiptherm::solver
