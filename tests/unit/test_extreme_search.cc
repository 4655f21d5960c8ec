#include "solver/extreme_search.h"

#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/mapping_q1.h>
#include <deal.II/grid/grid_generator.h>
#include <deal.II/grid/tria.h>
#include <deal.II/numerics/vector_tools_interpolate.h>

#include <doctest/doctest.h>

using namespace chiptherm::solver;
using namespace dealii;

namespace
{
  /// A quadratic peak, exact in Q2 and Q3, whose top lies between the samples
  /// of either degree (x = 1.43: unit 0.43 of the second cell).
  class Peak : public Function<3>
  {
  public:
    double value(const Point<3> &p, unsigned int = 0) const override
    {
      return 350.0 - 2.0 * (std::pow(p[0] - 1.43, 2) + std::pow(p[1] - 0.61, 2) + std::pow(p[2] - 0.2, 2));
    }
  };

  /// Peak interpolated in Q_degree on a mesh.
  struct PeakField
  {
    PeakField(const Triangulation<3> &tria, unsigned int degree)
      : fe(degree)
      , dofs(tria)
    {
      dofs.distribute_dofs(fe);
      t.reinit(dofs.n_dofs());
      VectorTools::interpolate(mapping, dofs, Peak(), t);
    }
    TemperatureField field() const { return {&dofs, &mapping, &t}; }

    const FE_Q<3>                              fe;
    DoFHandler<3>                              dofs;
    const MappingQ1<3>                         mapping;
    LinearAlgebra::distributed::Vector<double> t;
  };
} // namespace

TEST_CASE("ExtremeSearch finds a Q2 or Q3 field's max between its samples, searching only boxes whose samples come near it")
{
  Triangulation<3> tria;
  GridGenerator::subdivided_hyper_rectangle(tria, {4, 1, 1}, Point<3>(0, 0, 0), Point<3>(4, 1, 1));
  for (const unsigned int degree : {2u, 3u})
    {
      CAPTURE(degree);
      const PeakField peak(tria, degree);
      BoxSampler      sampler(peak.field());

      // Group 0: the four whole cells (max in the second, min at x = 4 in the
      // fourth); group 1: a box of the first cell only.
      ExtremeSearch       search(2);
      std::vector<double> values;
      double              sampled_max = -1e300;
      const RefBox        part{{{0.0, 0.2, 0.1}}, {{0.5, 0.9, 0.6}}};
      for (const auto &cell : peak.dofs.active_cell_iterators())
        {
          const TensorPoints points = extreme_sample_points(RefBox{}, degree);
          sampler.values(*cell, points, values);
          search.add(*cell, 0, RefBox{}, points, values);
          for (const double v : values)
            sampled_max = std::max(sampled_max, v);
          if (cell->index() == 0)
            {
              const TensorPoints in_part = extreme_sample_points(part, degree);
              sampler.values(*cell, in_part, values);
              search.add(*cell, 1, part, in_part, values);
            }
        }
      CHECK(sampled_max < 350.0 - 2e-3); // the samples miss the top

      const ExtremeZoom *best  = nullptr;
      const auto         found = search.zoom(sampler, MPI_COMM_SELF);
      CHECK(found.sampled_max[0] == sampled_max);
      const auto        &zooms = found.boxes;
      for (const auto &z : zooms)
        if (z.group == 0)
          {
            CHECK_FALSE(z.grids.empty());
            // The third cell's samples come nowhere near either extreme.
            CHECK(z.index != 2);
            if (!best || z.t_max > best->t_max)
              best = &z;
          }
        else
          {
            // The part's max lies on its face x = 0.5 between samples in y;
            // its min at a corner, a sample.
            CHECK(std::abs(z.t_max - Peak().value(Point<3>(0.5, 0.61, 0.2))) < 1e-5);
            CHECK(z.t_min == doctest::Approx(Peak().value(Point<3>(0.0, 0.2, 0.6))).epsilon(1e-12));
          }
      REQUIRE(best != nullptr);
      CHECK(std::abs(best->t_max - 350.0) < 1e-5);
      CHECK(best->index == 1);
      CHECK(std::abs(best->at_max[0] - 0.43) < 2e-3);
      CHECK(std::abs(best->at_max[1] - 0.61) < 2e-3);
      CHECK(std::abs(best->at_max[2] - 0.2) < 2e-3);
    }
}

TEST_CASE("ExtremeSearch leaves a trilinear field at its samples: its extremes are at the corners")
{
  Triangulation<3> tria;
  GridGenerator::hyper_cube(tria);
  const PeakField     peak(tria, 1);
  BoxSampler          sampler(peak.field());
  ExtremeSearch       search(1);
  std::vector<double> values;
  const TensorPoints  points = extreme_sample_points(RefBox{}, 1);
  sampler.values(*peak.dofs.begin_active(), points, values);
  search.add(*peak.dofs.begin_active(), 0, RefBox{}, points, values);
  const auto zooms = search.zoom(sampler, MPI_COMM_SELF).boxes;
  REQUIRE(zooms.size() == 1);
  CHECK(zooms[0].grids.empty());
  CHECK(zooms[0].t_max == *std::max_element(values.begin(), values.end()));
}
