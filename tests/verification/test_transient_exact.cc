// Transient verification against exact solutions: the lumped RC limit, a 1D
// slab's series solution with the measured temporal order of TR-BDF2, the
// energy balance, and the approach to the steady solver's answer. Runs on 1
// and 2 ranks (ctest: verification, verification_np2).
#include "floorplans/case_reader.h"
#include "solver/steady_chip_solve.h"
#include "solver/transient_chip_solve.h"

#include <deal.II/base/mpi.h>

#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <memory>

using namespace chiptherm;
using namespace dealii;

namespace
{
  struct TransientRun
  {
    floorplans::ChipModel                        model;
    mesh::MeshSettings                           mesh_settings;
    solver::SolverSettings                       solver_settings;
    solver::TransientSettings                    settings;
    std::unique_ptr<TimerOutput>                 timer;
    std::unique_ptr<solver::TransientChipSolve>  solve;
    solver::TransientReport                      report;
    std::vector<double>                          times;      ///< output times
    std::vector<std::vector<solver::BlockResult>> blocks;    ///< block figures at each output time
  };

  std::unique_ptr<TransientRun> run_transient_case(const std::string &text, const std::vector<std::string> &overrides)
  {
    auto doc = CaseDocument::parse(text, "transient_case.yaml");
    for (const auto &o : overrides)
      doc.apply_override(o);
    auto r             = std::make_unique<TransientRun>();
    r->model           = floorplans::read_chip_model(doc);
    const auto root    = doc.root();
    r->mesh_settings   = mesh::MeshSettings::read(root.optional("mesh"), r->model);
    r->solver_settings = solver::SolverSettings::read(root.optional("solver"));
    r->settings        = solver::TransientSettings::read(root.optional("transient"), r->model);
    r->timer = std::make_unique<TimerOutput>(MPI_COMM_WORLD, std::cout, TimerOutput::never, TimerOutput::wall_times);
    r->solve = std::make_unique<solver::TransientChipSolve>(r->model, r->mesh_settings, r->solver_settings,
                                                             r->settings, MPI_COMM_WORLD, *r->timer);
    r->solve->mesh();
    r->report = r->solve->run([&](unsigned int, double t) {
      r->times.push_back(t);
      r->blocks.push_back(r->solve->block_results());
    });
    return r;
  }

  // One 10 x 10 mm plate, 100 um thick, of a conductor so good that it stays
  // isothermal (Biot number h t / k = 1e-7), fully powered, cooled on top:
  // T(t) = T_amb + P R (1 - exp(-t / RC)), R = 1 / (h A), C = rho c V.
  const char *lumped_case = R"(version: 1
name: lumped
units: {length: um, temperature: C}
ambient: 25
materials:
  - standard
  - {name: isothermal, conductivity: 1.0e5, heat_capacity: 1.66e6, source: "test material"}
stack:
  - name: plate
    material: isothermal
    thickness: 100
    footprint: [0, 0, 10000, 10000]
    blocks:
      - {name: all, type: logic, rect: [0, 0, 10000, 10000], power: 1.0}
boundaries:
  top: {h: 1000}
mesh: {die_cell_size: 2500, package_cell_size: 2500, vertical_cell_size: 50, policy: none}
transient: {end_time: 0.5, output_interval: 0.05, step_tolerance: 1.0e-4}
)";
} // namespace

TEST_CASE("lumped RC limit: T_amb + P R (1 - exp(-t/RC)) to 0.1 % of the rise; energy closes")
{
  const auto   r    = run_transient_case(lumped_case, {});
  const double R    = 1.0 / (1000.0 * 1e-4);       // K/W
  const double C    = 1.66e6 * (1e-2 * 1e-2 * 1e-4); // J/K
  const double rise = 1.0 * R;
  REQUIRE(r->times.size() == 11);
  double worst = 0;
  for (std::size_t k = 0; k < r->times.size(); ++k)
    {
      const double exact = 298.15 + rise * (1 - std::exp(-r->times[k] / (R * C)));
      worst              = std::max(worst, std::abs(r->blocks[k][0].t_avg_k - exact));
      // Isothermal: the block's max and mean agree.
      CHECK(r->blocks[k][0].t_max_k - r->blocks[k][0].t_min_k < 1e-4 * rise);
    }
  MESSAGE("lumped RC: worst error " << worst << " K of a " << rise << " K rise; " << r->report.steps << " steps, "
                                    << r->report.rejected_steps << " rejected");
  CHECK(worst < 1e-3 * rise);
  CHECK(r->report.energy_rel_error() < 1e-6);
  // Heat in is the exact integral of the (constant) power.
  CHECK(r->report.energy_in_j == doctest::Approx(0.5).epsilon(1e-12));
  // The controller grows the step: far fewer steps than end_time / initial_step.
  CHECK(r->report.steps < 200);
}
