#include "checkpoint_store.h"

#include "common/output_file.h"
#include "common/errors.h"

#include <deal.II/base/mpi.h>
#include <deal.II/distributed/solution_transfer.h>

#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <vector>

namespace chiptherm::solver
{
  using namespace dealii;
  namespace fs = std::filesystem;

  namespace
  {
    /// {"bytes": size, "crc32": zlib's CRC-32 of the contents} of a file.
    nlohmann::json file_digest(const std::string &path)
    {
      std::ifstream     in(path, std::ios::binary);
      std::vector<char> buffer(1 << 20);
      uLong             crc   = crc32(0L, Z_NULL, 0);
      std::uintmax_t    bytes = 0;
      while (in)
        {
          in.read(buffer.data(), std::streamsize(buffer.size()));
          const auto n = in.gcount();
          crc = crc32(crc, reinterpret_cast<const Bytef *>(buffer.data()), uInt(n));
          bytes += std::uintmax_t(n);
        }
      return {{"bytes", bytes}, {"crc32", crc}};
    }

    /// CRC-32 of the record's compact JSON text without its own digest: every value
    /// of state.json is covered (nlohmann's numbers round-trip, so a record read
    /// back gives the same text).
    uLong record_digest(nlohmann::json record)
    {
      record.erase("record_crc32");
      const std::string text = record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef *>(text.data()), uInt(text.size()));
    }

    /// The digests of a slot's files other than state.json (p4est's mesh and
    /// the serialised temperature), by file name.
    nlohmann::json slot_digests(const std::string &dir)
    {
      nlohmann::json files = nlohmann::json::object();
      for (const auto &entry : fs::directory_iterator(dir))
        if (entry.is_regular_file() && entry.path().filename() != "state.json")
          files[entry.path().filename().string()] = file_digest(entry.path().string());
      return files;
    }
  } // namespace

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
          // p4est and deal.II read their files back without checking them (a flipped
          // bit made p4est abort, or a resumed run use wrong temperatures): state()
          // checks these digests before anyone reads the files.
          nlohmann::json record = state;
          record["files"]        = slot_digests(dir);
          record["record_crc32"] = record_digest(record);
          write_text_file(dir + "/state.json", record.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
        }
        // The switch to the new slot is one rename: atomic on POSIX file systems.
        write_text_file(directory_ + "/latest.tmp", slot + "\n");
        std::rename((directory_ + "/latest.tmp").c_str(), (directory_ + "/latest").c_str());
      }
    MPI_Barrier(comm_);
  }

  nlohmann::json CheckpointStore::state() const
  {
    const std::string dir = directory_ + "/" + latest_slot();
    std::ifstream     in(dir + "/state.json");
    auto              record = nlohmann::json::parse(in);
    const auto        files  = record.find("files");
    if (files == record.end())
      throw InputError("the saved state in " + dir + " has no file digests (written by an older chiptherm)");
    const auto own = record.find("record_crc32");
    if (own == record.end() || !own->is_number_unsigned() || own->get<uLong>() != record_digest(record))
      throw InputError("the saved state in " + dir + " is damaged (state.json changed since it was written)");
    if (*files != slot_digests(dir))
      throw InputError("the saved state in " + dir + " is damaged (its mesh or temperature files changed since they "
                       "were written)");
    return record;
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
