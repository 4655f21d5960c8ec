// The variable mesh: policy refinement around sensitive blocks, a posteriori
// cycles to a tolerance, refinement maps, Gmsh round trip. Runs on 1 and 2
// ranks (ctest: verification, verification_np2).
#include "chip_run.h"
#include "floorplans/case_reader.h"
#include "mesh/gmsh_io.h"
#include "solver/goal_dual.h"
#include "solver/source_integration.h"
#include "solver/steady_chip_solve.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

using namespace chiptherm;
using namespace dealii;
using chiptherm::testing::run_case;

namespace
{
  // A 3 mm die with a large logic block and a small, hot analog block, under
  // TIM and a copper lid with a cold plate on top.
  const char *hot_block_case = R"(version: 1
name: hot-block
units: {length: um, temperature: C}
ambient: 40
materials: [standard]
stack:
  - name: die
    material: silicon
    thickness: 100
    footprint: [0, 0, 3000, 3000]
    blocks:
      - {name: core, type: logic, rect: [0, 0, 1500, 3000], power: 3.0}
      - {name: hot, type: analog, rect: [2000, 2000, 250, 250], power: 0.4}
  - {name: tim, material: tim_paste, thickness: 20}
  - name: lid
    material: copper
    thickness: 500
    footprint: {width: 6000, height: 6000, centered: true}
boundaries:
  top: {h: 20000}
mesh: {die_cell_size: 375, package_cell_size: 750, vertical_cell_size: 250}
)";

  /// A scratch folder shared by all ranks, removed at the end of the scope.
  struct SharedScratch
  {
    std::filesystem::path path;
    SharedScratch()
    {
      const unsigned int id = Utilities::MPI::broadcast(MPI_COMM_WORLD, static_cast<unsigned int>(::getpid()), 0);
      path = std::filesystem::temp_directory_path() / ("chiptherm_test_" + std::to_string(id));
      if (Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
        std::filesystem::create_directories(path);
      MPI_Barrier(MPI_COMM_WORLD);
    }
    ~SharedScratch()
    {
      MPI_Barrier(MPI_COMM_WORLD);
      if (Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
        std::filesystem::remove_all(path);
    }
  };

  /// Largest in-plane edge of the locally owned active cells whose centre satisfies where, over all ranks.
  template <typename Predicate>
  double largest_cell(const parallel::distributed::Triangulation<3> &tria, Predicate where)
  {
    double largest = 0;
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned() && where(cell))
        largest = std::max({largest, cell->extent_in_direction(0), cell->extent_in_direction(1)});
    return Utilities::MPI::max(largest, MPI_COMM_WORLD);
  }
} // namespace

TEST_CASE("adaptive run: every block within its bound and the tolerance of a much finer reference")
{
  // Reference: degree 3 (its figures from degree 4), adapted to 0.001 K
  // (checked once against degree 3 on the mesh refined twice everywhere, 2.4 M
  // unknowns: the same figures within 5e-5 K).
  const auto reference = run_case(hot_block_case, {"solver.degree=3", "adaptivity.tolerance=0.001"});
  const auto &ref      = reference->solve->block_results();
  const auto &ref_err  = reference->solve->block_errors();
  for (const std::string estimator : {"energy", "goal"})
    {
      CAPTURE(estimator);
      const double tolerance = 0.02;
      const auto   adaptive  = run_case(hot_block_case, {"adaptivity.estimator=" + estimator,
                                                        "adaptivity.tolerance=" + std::to_string(tolerance)});
      const auto &ada    = adaptive->solve->block_results();
      const auto &bound  = adaptive->solve->block_errors();
      const auto &cycles = adaptive->adaptivity.cycles;
      CHECK(adaptive->adaptivity.converged);
      CHECK(adaptive->adaptivity.max_error_k <= tolerance);
      if (cycles.size() > 1)
        CHECK(cycles.back().max_error_k < cycles.front().max_error_k);
      for (std::size_t b = 0; b < ref.size(); ++b)
        {
          MESSAGE("block " << b << ": t_max " << ada[b].t_max_k << " +/- " << bound[b].t_max_k << " K, reference "
                           << ref[b].t_max_k << " +/- " << ref_err[b].t_max_k << "; t_avg " << ada[b].t_avg_k
                           << " +/- " << bound[b].t_avg_k << " / " << ref[b].t_avg_k << "; unknowns "
                           << adaptive->solve->reported_dofs() << " / " << reference->solve->reported_dofs());
          // The bound covers the true error (up to the reference's own).
          CHECK(std::abs(ada[b].t_max_k - ref[b].t_max_k) <= bound[b].t_max_k + ref_err[b].t_max_k);
          CHECK(std::abs(ada[b].t_avg_k - ref[b].t_avg_k) <= bound[b].t_avg_k + ref_err[b].t_avg_k);
          CHECK(std::abs(ada[b].t_min_k - ref[b].t_min_k) <= bound[b].t_min_k + ref_err[b].t_min_k);
          CHECK(bound[b].largest_k() <= tolerance);
        }

      // The sensitive block's built-in rule is applied (a level per cycle
      // while the block is open) when its first estimate is over the
      // tolerance, else waived (and said so). Applied: its cells end finer
      // than the bulk logic block's (issue 18: the type policy keeps meaning).
      const std::string policy = adaptive->adaptivity.policy[1];
      CHECK((policy == "applied" || policy == "waived"));
      if (policy == "applied")
        CHECK(ada[1].cell_max_m < ada[0].cell_max_m);
      else
        CHECK(cycles.size() == 1);
      // Coarse far away: the lid's outer cells keep the package size.
      const auto  &tria      = adaptive->solve->triangulation();
      const double far_cells = largest_cell(tria, [](const auto &cell) {
        return cell->center()[0] > 3500e-6 || cell->center()[1] > 3500e-6 || cell->center()[0] < -500e-6;
      });
      MESSAGE("policy " << policy << ", largest cell far from the die " << far_cells * 1e6 << " um, in the hot block "
                        << ada[1].cell_max_m * 1e6 << " um");
      CHECK(far_cells >= 750e-6 * (1 - 1e-9));
      CHECK(far_cells >= 4 * ada[1].cell_max_m);
    }
}

TEST_CASE("dual solve: J(T) = integral of q z for the mean block temperature (symmetry of the operator)")
{
  // J(T) = mean over blocks of (t_avg - ambient); the dual z solves A z = j, so
  // j . T = z . b = integral of q z: both sides from the discrete solutions (Q1).
  const auto   r     = run_case(hot_block_case, {"adaptivity.enabled=false", "solver.degree=1"});
  const auto  &coeff = r->solve->coefficients();
  TimerOutput  timer(std::cout, TimerOutput::never, TimerOutput::wall_times);
  solver::HeatProblem<3> problem(r->solve->triangulation(), 1, timer);
  problem.setup();
  problem.assemble(coeff.problem_data());
  problem.solve(solver::SolverSettings{});
  const auto results = solver::compute_block_results(problem, coeff, 2);
  double     j_of_t  = 0;
  for (const auto &b : results)
    j_of_t += (b.t_avg_k - r->model.ambient_k) / results.size();
  // The goal's source: each block weighs 1 / n_blocks over its volume (exact by overlap).
  const auto dual = solver::solve_goal_dual(
    problem, coeff.problem_data(std::vector<double>(results.size(), 1.0 / double(results.size()))),
    solver::SolverSettings{});

  // integral of q z = b . z, b the chip's source right-hand side (pieces integrated exactly).
  PETScWrappers::MPI::Vector b = problem.make_vector();
  solver::add_source_rhs(problem.dof_handler(), problem.mapping(), problem.constraints(), coeff.problem_data(), b);
  b.compress(VectorOperation::add);
  double q_dot_z = 0;
  for (const auto i : problem.dof_handler().locally_owned_dofs())
    q_dot_z += b[i] * dual[i];
  q_dot_z = Utilities::MPI::sum(q_dot_z, MPI_COMM_WORLD);
  MESSAGE("J(T) = " << j_of_t << " K, integral of q z = " << q_dot_z << " K");
  CHECK(j_of_t > 1.0);
  CHECK(q_dot_z == doctest::Approx(j_of_t).epsilon(1e-8));
}

TEST_CASE("policy: per-type and per-block cell sizes, level cap, cell budget")
{
  // Per-block override beats the type rule.
  auto r = run_case(hot_block_case, {"adaptivity.enabled=false", "mesh.blocks={core: {cell_size: 100}}",
                                     "mesh.policy={analog: {cell_size: 120, cells_across: 1, halo: 0}}"});
  const auto &res = r->solve->block_results();
  CHECK(res[0].cell_max_m <= 100e-6 * (1 + 1e-9));
  CHECK(res[0].cell_max_m > 40e-6);
  CHECK(res[1].cell_max_m <= 120e-6 * (1 + 1e-9));
  CHECK(res[1].cell_max_m > 60e-6);

  // A level cap of 1 inside analog blocks stops refinement there at 250/2 um
  // (mesh.block_edges: auto makes the block's edges coarse lines here; without
  // a halo: refined neighbours would force more through 2:1 balance).
  r = run_case(hot_block_case, {"adaptivity.enabled=false", "mesh.policy={analog: {max_level: 1, halo: 0}}"});
  CHECK(r->solve->block_results()[1].cell_max_m == doctest::Approx(125e-6));
  CHECK(r->solve->block_results()[1].cell_min_m == doctest::Approx(125e-6));
  // With block edges off the grid, the cap holds in the cells the block overlaps: 375/2 um.
  r = run_case(hot_block_case, {"adaptivity.enabled=false", "mesh.block_edges=none",
                                "mesh.policy={analog: {max_level: 1, halo: 0}}"});
  CHECK(r->solve->block_results()[1].cell_max_m == doctest::Approx(187.5e-6));

  // A mesh past the cell budget is refused before it is built, with the estimate.
  CHECK_THROWS_WITH_AS(run_case(hot_block_case, {"adaptivity.enabled=false", "mesh.max_cells=2000",
                                                 "mesh.policy={analog: {cell_size: 5}}"}),
                       doctest::Contains("mesh.max_cells: the mesh asked for would have more than"), InputError);
}

TEST_CASE("adaptive run: a block narrower than the level cap allows is not chased")
{
  // The analog block as a 2 nm sliver (a units slip): cells refined to the
  // level cap (375 um / 2^6 = 5.9 um) cannot resolve it. The loop used to
  // refine towards it a level per cycle until memory ran out (a corrupted
  // input, issue 22's sweep); it now ends on the others' bounds, and the block
  // stays unresolved (the command reports it undecided, with why).
  std::string sliver = hot_block_case;
  const std::string hot = "rect: [2000, 2000, 250, 250]";
  sliver.replace(sliver.find(hot), hot.size(), "rect: [2000, 2000, 250, 0.002]");
  const auto r = run_case(sliver, {});
  CHECK(r->solve->beyond_level_cap(1));
  CHECK_FALSE(r->solve->block_resolved(1));
  CHECK_FALSE(r->solve->beyond_level_cap(0));
  CHECK(r->adaptivity.converged);
  CHECK(r->adaptivity.cycles.size() <= 3);
  MESSAGE("sliver: " << r->adaptivity.cycles.size() << " cycles, " << r->adaptivity.cycles.back().cells << " cells");

  // The same block at 250 um is within reach: chased as before (resolved).
  const auto normal = run_case(hot_block_case, {});
  CHECK_FALSE(normal->solve->beyond_level_cap(1));
  CHECK(normal->solve->block_resolved(1));
}

TEST_CASE("refinement map: fine cells in one corner and nowhere else")
{
  SharedScratch scratch;
  const auto    csv = scratch.path / "corner.csv";
  if (Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    {
      // 4 x 4 pixels over the die; row 0 is the lowest y: ask for 50 um cells
      // in the pixel at the origin corner only.
      std::ofstream out(csv);
      out << "# cell size in um, row 0 = lowest y\n50, 0, 0, 0\n0, 0, 0, 0\n0, 0, 0, 0\n0, 0, 0, 0\n";
    }
  MPI_Barrier(MPI_COMM_WORLD);
  const auto r = run_case(hot_block_case, {"adaptivity.enabled=false", "mesh.policy=none",
                                           "mesh.refinement_map={file: " + csv.string() + ", layer: die}"});
  const auto &tria       = r->solve->triangulation();
  const double die_top   = 100e-6;
  const double in_corner = largest_cell(tria, [&](const auto &cell) {
    return cell->center()[0] < 750e-6 && cell->center()[1] < 750e-6 && cell->center()[2] < die_top;
  });
  unsigned int refined_elsewhere = 0, refined_in_corner = 0;
  for (const auto &cell : tria.active_cell_iterators())
    if (cell->is_locally_owned() && cell->level() > 0)
      {
        const auto c = cell->center();
        // 2:1 balance may refine the corner pixel's neighbours once; nothing beyond a 375 um band.
        if (c[0] > 750e-6 + 375e-6 || c[1] > 750e-6 + 375e-6)
          ++refined_elsewhere;
        else
          ++refined_in_corner;
      }
  CHECK(in_corner <= 50e-6 * (1 + 1e-9));
  CHECK(Utilities::MPI::sum(refined_in_corner, MPI_COMM_WORLD) > 0);
  CHECK(Utilities::MPI::sum(refined_elsewhere, MPI_COMM_WORLD) == 0);
}

TEST_CASE("Gmsh round trip: same cells, zones and answer")
{
  SharedScratch scratch;
  const auto    msh = (scratch.path / "hot.msh").string();
  // A mesh with hanging nodes (one adaptive cycle; the tolerance just below the
  // first bound, so the cycle adds about a fifth of the cells and the solutions
  // are carried over to it).
  const auto original = run_case(hot_block_case, {"adaptivity.max_cycles=1", "adaptivity.tolerance=0.08"});
  mesh::write_gmsh_mesh(original->solve->triangulation(), original->solve->mesh_info().zones, original->model, msh);
  MPI_Barrier(MPI_COMM_WORLD);
  const auto reread = run_case(hot_block_case, {"adaptivity.enabled=false", "mesh.file=" + msh});

  // Same active cells: centre, zone (layer, region, material) of each.
  auto signature = [](const solver::SteadyChipSolve &s) {
    std::vector<double> mine;
    for (const auto &cell : s.triangulation().active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const auto &z = s.mesh_info().zones[cell->material_id()];
          mine.insert(mine.end(), {std::round(cell->center()[0] * 1e9), std::round(cell->center()[1] * 1e9),
                                   std::round(cell->center()[2] * 1e9), double(z.layer), double(z.region),
                                   cell->measure() * 1e18});
        }
    std::set<std::vector<double>> all;
    for (const auto &rank : Utilities::MPI::all_gather(MPI_COMM_WORLD, mine))
      for (std::size_t i = 0; i < rank.size(); i += 6)
        all.insert(std::vector<double>(rank.begin() + i, rank.begin() + i + 5));
    return all;
  };
  const auto a = signature(*original->solve), b = signature(*reread->solve);
  CHECK(original->solve->triangulation().n_global_active_cells() ==
        reread->solve->triangulation().n_global_active_cells());
  CHECK(a.size() == original->solve->triangulation().n_global_active_cells());
  CHECK(a == b);
  CHECK(original->solve->problem().n_dofs() == reread->solve->problem().n_dofs());
  // The same discrete problem, solved from different first guesses (the
  // original from the last cycle's solution, the reread from its Q1 solve):
  // the reported (Q3) figures agree to the estimate solve's tolerance, a
  // 1e-3 reduction of the Q2-Q3 difference: within a hundredth of the bound
  // (bench/error_bound_effectivity.py: figures move by up to 0.9 % of it).
  // The original's last solves started from the carried solution, in fewer
  // CG iterations than the reread's from its Q1 solve.
  const auto &carried = original->adaptivity.cycles.back(), &cold = reread->adaptivity.cycles.back();
  MESSAGE("CG iterations, carried over: " << carried.linear_iterations << " + " << carried.enriched_iterations
                                          << ", from Q1: " << cold.linear_iterations << " + " << cold.enriched_iterations);
  CHECK(carried.warm_start);
  CHECK_FALSE(cold.warm_start);
  CHECK(carried.linear_iterations + carried.enriched_iterations < cold.linear_iterations + cold.enriched_iterations);
  const auto &ra = original->solve->block_results(), &rb = reread->solve->block_results();
  const auto &ea = original->solve->block_errors();
  for (std::size_t k = 0; k < ra.size(); ++k)
    {
      INFO("block " << k << ": t_max " << ra[k].t_max_k << " vs " << rb[k].t_max_k << ", bound " << ea[k].t_max_k);
      CHECK(std::abs(rb[k].t_max_k - ra[k].t_max_k) <= 1e-2 * ea[k].t_max_k + 1e-9);
      CHECK(std::abs(rb[k].t_avg_k - ra[k].t_avg_k) <= 1e-2 * ea[k].t_avg_k + 1e-9);
    }
}
