#include "solver/box_rule.h"

#include <deal.II/base/quadrature_lib.h>

#include <doctest/doctest.h>

#include <random>

using namespace chiptherm::solver;
using namespace dealii;

TEST_CASE("TensorBoxRule: values on a box and integrals over it match FE_Q evaluated directly")
{
  std::mt19937                           rng(7);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  for (const unsigned int degree : {1u, 2u, 3u})
    {
      CAPTURE(degree);
      const FE_Q<3>       fe(degree);
      const TensorBoxRule rule(degree);
      Vector<double>      u(fe.n_dofs_per_cell());
      for (auto &v : u)
        v = uniform(rng);
      const RefBox box{{{0.13, 0.4, 0.0}}, {{0.61, 0.95, 0.37}}};

      // Values at the box's equispaced points: against sum_i u_i phi_i(x).
      const TensorPoints  points = equispaced_points(box, 2 * degree + 1);
      std::vector<double> values;
      rule.values(points, u, values);
      REQUIRE(values.size() == points.size());
      std::size_t index = 0;
      for (const double z : points.coordinate[2])
        for (const double y : points.coordinate[1])
          for (const double x : points.coordinate[0])
            {
              double expected = 0;
              for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
                expected += u[i] * fe.shape_value(i, Point<3>(x, y, z));
              CHECK(values[index++] == doctest::Approx(expected).epsilon(1e-12));
            }

      // Shape integrals over the box: against a fine Gauss rule on the same box.
      std::vector<double> integrals;
      rule.shape_integrals(box, integrals);
      const TensorPoints fine = gauss_points(box, 8);
      double             sum  = 0;
      for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
        {
          double      expected = 0;
          std::size_t q        = 0;
          for (const double z : fine.coordinate[2])
            for (const double y : fine.coordinate[1])
              for (const double x : fine.coordinate[0])
                expected += fe.shape_value(i, Point<3>(x, y, z)) * fine.weight_of(q++);
          CHECK(integrals[i] == doctest::Approx(expected).epsilon(1e-12));
          sum += integrals[i];
        }
      // Shape functions sum to one: the box's volume, so power in is exact.
      CHECK(sum == doctest::Approx(box.volume()).epsilon(1e-13));
    }
}
