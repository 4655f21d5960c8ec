// The error bounds (solver/error_bounds.h) against exact solutions: every
// block's bound on t_max, t_avg and t_min must be at least its true error.
// - the manufactured solution with a conductivity jump (manufactured_case.h),
//   degree 2 bounded through degree 3, on meshes from 2 to 8 cells across,
//   blocks = the four quarters of its two layers;
//   and Q1 bounded through Q2;
// - a chip case solved by SteadyChipSolve (p-multigrid, the bounds it
//   reports) whose exact solution degree 2 represents: no false alarm.
#include "manufactured_case.h"
#include "solver/block_statistics.h"
#include "solver/error_bounds.h"
#include "solver/heat_problem.h"
#include "solver/steady_chip_solve.h"
#include "floorplans/case_reader.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/timer.h>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

using namespace chiptherm;
using namespace dealii;

namespace
{
  using Case = testing::ManufacturedCase;

  /// The exact t_max, t_avg, t_min of each quarter (material id 0..3), from a
  /// dense grid of points (the extremes lie on the cube's edges: the grid holds them).
  std::vector<solver::BlockResult> exact_figures()
  {
    constexpr int             n = 200;
    const Case::Exact         exact;
    std::vector<solver::BlockResult> r(4);
    std::vector<double>       sum(4, 0.0), count(4, 0.0);
    for (auto &b : r)
      b.t_max_k = -1e300, b.t_min_k = 1e300;
    for (int i = 0; i <= n; ++i)
      for (int j = 0; j <= n; ++j)
        for (int k = 0; k <= n; ++k)
          {
            const Point<3> p(double(i) / n, double(j) / n, double(k) / n);
            // Points on the layer interface belong to both layers.
            for (const int layer : {0, 2})
              {
                if ((layer == 0 && p[2] > 0.5) || (layer == 2 && p[2] < 0.5))
                  continue;
                for (const int half : {0, 1})
                  {
                    if ((half == 0 && p[0] > 0.5) || (half == 1 && p[0] < 0.5))
                      continue;
                    const int    m = layer + half;
                    const double t = Case::offset_k + std::cos(Case::pi * p[0]) * std::cos(Case::pi * p[1]) *
                                                        ((p[2] - 0.5) / Case::k_of(m) + 1);
                    r[m].t_max_k = std::max(r[m].t_max_k, t), r[m].t_min_k = std::min(r[m].t_min_k, t);
                  }
              }
          }
    // The mean of cos(pi x) cos(pi y) over a quarter [0, 1/2] x [0, 1] or [1/2, 1] x [0, 1] is 0: t_avg = 300 K.
    for (auto &b : r)
      b.t_avg_k = Case::offset_k;
    return r;
  }

  void check_bounds(const std::vector<solver::BlockResult> &reported, const std::vector<solver::BlockErrorBound> &bound,
                    const std::vector<solver::BlockResult> &exact, const std::string &what)
  {
    for (std::size_t b = 0; b < exact.size(); ++b)
      {
        const double e_max = std::abs(reported[b].t_max_k - exact[b].t_max_k),
                     e_avg = std::abs(reported[b].t_avg_k - exact[b].t_avg_k),
                     e_min = std::abs(reported[b].t_min_k - exact[b].t_min_k);
        MESSAGE(what << ", block " << b << ": t_max error " << e_max << " <= " << bound[b].t_max_k << ", t_avg "
                     << e_avg << " <= " << bound[b].t_avg_k << ", t_min " << e_min << " <= " << bound[b].t_min_k);
        // 1e-9 K: the solvers' own tolerance, where exact and computed agree.
        CHECK(e_max <= bound[b].t_max_k + 1e-9);
        CHECK(e_avg <= bound[b].t_avg_k + 1e-9);
        CHECK(e_min <= bound[b].t_min_k + 1e-9);
      }
  }
} // namespace

namespace
{
  /// The bound at a set's maximum (sign 1) or minimum (-1) as block_differences
  /// iterates it, over every sample: the largest |e| where sign T is within
  /// 2 E of its extreme, E shrinking from the largest |e| to a fixed point.
  double level_set_bound(const std::vector<std::pair<double, double>> &samples, double sign)
  {
    double extreme = -1e300, bound = 0;
    for (const auto &[t, e] : samples)
      extreme = std::max(extreme, sign * t), bound = std::max(bound, e);
    for (;;)
      {
        double next = 0;
        for (const auto &[t, e] : samples)
          if (sign * t >= extreme - 2 * bound)
            next = std::max(next, e);
        if (next == bound)
          return bound;
        bound = next;
      }
  }
} // namespace

TEST_CASE("error bounds: the extremes' candidates give the bounds of all samples, to the last bit")
{
  // Samples shaped like a cell's: T with ties (a flat region, a rounded grid)
  // and |e| largest away from the hot spot, where the level set must shrink.
  std::uint32_t state = 12345;
  const auto    uniform = [&state] {
    state = state * 1664525u + 1013904223u;
    return double(state >> 8) / double(1u << 24);
  };
  std::size_t kept_total = 0, sample_total = 0;
  for (int trial = 0; trial < 200; ++trial)
    {
      const int                              n = 1 + trial % 343;
      std::vector<std::pair<double, double>> samples;
      for (int i = 0; i < n; ++i)
        {
          double t = 350 + 2 * uniform();
          if (trial % 3 == 0)
            t = std::round(t * 20) / 20; // ties in T
          const double e = trial % 5 == 0 ? 0.01 : 0.05 * uniform() * (352 - t);
          samples.emplace_back(t, e);
        }
      std::vector<std::pair<double, double>> scratch = samples, kept;
      solver::append_extreme_candidates(scratch, kept);
      kept_total += kept.size(), sample_total += samples.size();
      CHECK(level_set_bound(kept, 1.0) == level_set_bound(samples, 1.0));
      CHECK(level_set_bound(kept, -1.0) == level_set_bound(samples, -1.0));
      double largest = 0, largest_kept = 0;
      for (const auto &s : samples)
        largest = std::max(largest, s.second);
      for (const auto &s : kept)
        largest_kept = std::max(largest_kept, s.second);
      CHECK(largest_kept == largest);
    }
  MESSAGE("candidates kept: " << kept_total << " of " << sample_total << " samples");
  CHECK(2 * kept_total < sample_total); // adversarial: |e| falls as T rises, so many samples are candidates
}

TEST_CASE("error bounds: the manufactured solution, degree p bounded through p + 1")
{
  const auto exact = exact_figures();
  for (const unsigned int p : {1u, 2u})
    for (unsigned int refinements = 1; refinements <= 3; ++refinements)
      {
        parallel::distributed::Triangulation<3> tria(MPI_COMM_WORLD);
        Case::make_mesh(tria, refinements);
        const auto             data = Case::data();
        TimerOutput            timer(std::cout, TimerOutput::never, TimerOutput::wall_times);
        solver::SolverSettings settings;
        settings.relative_tolerance = 1e-12;
        solver::HeatProblem<3> lower(tria, p, timer), higher(tria, p + 1, timer);
        for (auto *problem : {&lower, &higher})
          {
            problem->setup();
            problem->assemble(data);
            problem->solve(settings);
          }
        // Each quadrant (material id) is a block covering its cells whole.
        std::vector<solver::BlockPiece> whole;
        for (unsigned int m = 0; m < 4; ++m)
          whole.push_back({m, solver::RefBox{}, 1.0});
        const solver::BlockPiecesOf pieces_of = [&whole](const CellAccessor<3, 3> &cell) {
          return ArrayView<const solver::BlockPiece>(&whole[cell.material_id()], 1);
        };
        const auto reported = solver::compute_block_results(higher.field(), pieces_of, 4);
        const auto bounds =
          solver::block_error_bounds(solver::block_differences(higher.field(), higher.field(), lower.field(), pieces_of, 4));
        check_bounds(reported, bounds, exact,
                     "Q" + std::to_string(p + 1) + " through Q" + std::to_string(p) + ", " +
                       std::to_string(1 << refinements) + " cells across");
      }
}

TEST_CASE("error bounds: a chip solved as shipped (p-multigrid) where degree 2 is exact")
{
  // Heat in the bottom layer, a film on top, adiabatic sides: the exact
  // solution is piecewise quadratic in z, which degree 2 represents: the
  // bounds stay at the solvers' algebraic error (the degree-2 solve stops at a
  // 1e-5 share of its first guess's error: about 1e-5 K of this 40 K rise).
  const char *text = R"(version: 1
units: {length: um, temperature: C}
ambient: 25
materials:
  - {name: heated, conductivity: 30, heat_capacity: 1e6}
  - {name: metal, conductivity: 390, heat_capacity: 1e6}
stack:
  - name: die
    material: heated
    thickness: 200
    footprint: [0, 0, 1000, 1000]
    blocks: [{name: all, type: logic, rect: [0, 0, 1000, 1000], power: 2.0}]
  - {name: cap, material: metal, thickness: 700}
boundaries:
  top: {h: 12000}
mesh: {die_cell_size: 500, package_cell_size: 500, vertical_cell_size: 350}
)";
  const auto  doc   = CaseDocument::parse(text, "slab.yaml");
  const auto  model = floorplans::read_chip_model(doc);
  TimerOutput timer(std::cout, TimerOutput::never, TimerOutput::wall_times);
  solver::SteadyChipSolve run(model, mesh::MeshSettings::read(doc.root().at("mesh"), model, 2), solver::SolverSettings{},
                              MPI_COMM_WORLD, timer);
  run.mesh();
  run.solve();
  const auto &bounds = run.block_errors();
  REQUIRE(bounds.size() == 1);
  MESSAGE("slab: bounds " << bounds[0].t_max_k << " " << bounds[0].t_avg_k << " " << bounds[0].t_min_k << " K");
  CHECK(bounds[0].largest_k() < 1e-4);
  CHECK(bounds[0].t_min_k < 1e-4);
  CHECK(run.block_results()[0].t_max_k - model.ambient_k > 10);
}
