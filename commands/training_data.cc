#include "training_data.h"

#include "ai_predictor/floorplan_generator.h"
#include "ai_predictor/rasterizer.h"
#include "common/case_document.h"
#include "common/errors.h"
#include "floorplans/case_reader.h"
#include "mesh/mesh_settings.h"
#include "solver/adaptivity_settings.h"
#include "solver/solver_settings.h"
#include "solver/steady_chip_solve.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/mpi_remote_point_evaluation.h>
#include <deal.II/numerics/vector_tools_evaluate.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace chiptherm::commands
{
  using namespace chiptherm::solver;

  namespace
  {
    /// The solved rise at the raster's pixel centres inside the die, on the
    /// die layer's mid-plane (0 at padding pixels).
    std::vector<float> sample_rise(const SteadyChipSolve &run, const ai_predictor::DieRaster &r, double z,
                                   double ambient_k)
    {
      std::vector<dealii::Point<3>> points;
      std::vector<std::size_t>      where;
      for (int row = 0; row < r.rows; ++row)
        for (int col = 0; col < r.cols; ++col)
          {
            const double x = r.extent.x + (col + 0.5) * r.pixel_m, y = r.extent.y + (row + 0.5) * r.pixel_m;
            if (r.die_rect.contains(x, y))
              {
                points.emplace_back(x, y, z);
                where.push_back(std::size_t(row) * r.cols + col);
              }
          }
      const auto                                   field = run.field();
      dealii::Utilities::MPI::RemotePointEvaluation<3> cache;
      const auto values = dealii::VectorTools::point_values<1>(*field.mapping, *field.dofs, *field.temperature, points,
                                                               cache);
      if (!cache.all_points_found())
        throw std::runtime_error("training data: a pixel centre of die '" + r.die + "' lies outside the mesh");
      std::vector<float> rise(std::size_t(r.rows) * r.cols, 0.0f);
      for (std::size_t i = 0; i < points.size(); ++i)
        rise[where[i]] = float(values[i] - ambient_k);
      return rise;
    }
  } // namespace

  namespace
  {
    std::string sample_file_name(std::uint64_t index)
    {
      char name[64];
      std::snprintf(name, sizeof name, "sample_%06llu.json", static_cast<unsigned long long>(index));
      return name;
    }
  } // namespace

  unsigned long long generate_training_data(const GenerateOptions &o, MPI_Comm comm)
  {
    namespace fs   = std::filesystem;
    const auto family = ai_predictor::GeneratorFamily::by_name(o.family);
    const unsigned int rank = dealii::Utilities::MPI::this_mpi_process(comm),
                       size = dealii::Utilities::MPI::n_mpi_processes(comm);
    fs::create_directories(o.out_dir);
    // Resuming: only a sample of this very chip counts as done (another seed,
    // family or generator version must not mix in silently). Every rank checks
    // every file, so all of them stop together.
    for (std::uint64_t index = o.first; index < o.first + o.count; ++index)
      {
        const fs::path file = fs::path(o.out_dir) / sample_file_name(index);
        if (!fs::exists(file))
          continue;
        std::ifstream        in(file);
        const nlohmann::json done = nlohmann::json::parse(in, nullptr, false);
        if (done.is_discarded() || !done.contains("case") ||
            done["case"] != ai_predictor::random_chip_case(o.seed, index, family))
          throw InputError(file.string() + ": not chip " + std::to_string(index) + " of seed " +
                           std::to_string(o.seed) + ", family " + family.name +
                           ", as this chiptherm generates it (another seed, family or generator version?); "
                           "generate into an empty folder or one made by the same command");
      }
    unsigned long long solved = 0;
    for (std::uint64_t index = o.first + rank; index < o.first + o.count; index += size)
      {
        const std::string name = sample_file_name(index);
        const fs::path    file = fs::path(o.out_dir) / name;
        if (fs::exists(file))
          continue;
        const auto        start = std::chrono::steady_clock::now();
        const std::string text  = ai_predictor::random_chip_case(o.seed, index, family);
        auto document = CaseDocument::parse(text, name);
        // The target is the die's temperature map at pixel scale, not a block's
        // corner: no policy refinement around sensitive blocks, the adaptive
        // loop to the tolerance within a cell budget (docs/design.md).
        document.apply_override("mesh.policy=none");
        document.apply_override("mesh.max_cells=" + std::to_string(o.max_cells));
        const auto model         = floorplans::read_chip_model(document);
        const auto mesh_settings = mesh::MeshSettings::read(document.root().optional("mesh"), model,
                                                            SolverSettings::steady_default_degree);
        AdaptivitySettings adaptivity;
        adaptivity.tolerance_k = o.tolerance_k;
        adaptivity.max_cycles  = o.max_cycles;
        dealii::TimerOutput timer(MPI_COMM_SELF, std::cout, dealii::TimerOutput::never,
                                  dealii::TimerOutput::wall_times);
        SteadyChipSolve run(model, mesh_settings, SolverSettings{}, MPI_COMM_SELF, timer);
        run.mesh();
        const auto report = run.solve_adaptively(adaptivity);

        nlohmann::json sample;
        sample["seed"]   = o.seed;
        sample["index"]  = index;
        sample["family"] = family.name;
        sample["case"]   = text;
        sample["cells"]  = run.triangulation().n_global_active_cells();
        sample["dofs"]   = run.reported_dofs();
        sample["converged"] = report.converged;
        for (const auto &r : ai_predictor::rasterize(model))
          {
            const auto  &layer = model.layers[r.layer_index];
            const double z     = layer.z_bottom_m + 0.5 * layer.thickness_m;
            sample["dies"].push_back({{"die", r.die}, {"rows", r.rows}, {"cols", r.cols},
                                      {"rise_k", sample_rise(run, r, z, model.ambient_k)}});
          }
        sample["solve_s"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const fs::path partial = file.string() + ".partial";
        std::ofstream(partial) << sample.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        fs::rename(partial, file);
        ++solved;
        char line[200];
        std::snprintf(line, sizeof line, "[chiptherm] train --generate: %s (rank %u): %zu blocks, %llu unknowns, %.1f s",
                      name.c_str(), rank, model.all_blocks().size(),
                      static_cast<unsigned long long>(run.reported_dofs()), sample["solve_s"].get<double>());
        std::cout << line << std::endl;
      }
    return dealii::Utilities::MPI::sum(solved, comm);
  }
} // namespace chiptherm::commands
