// The `solver:` section: the keys that steer the steady solve's error estimate.
#include "common/case_document.h"
#include "solver/solver_settings.h"

#include <doctest/doctest.h>

using namespace chiptherm;
using namespace chiptherm::solver;

TEST_CASE("solver.estimate_reduction is read from the case, with file and line on bad values")
{
  CHECK(SolverSettings{}.estimate_reduction == doctest::Approx(1e-3));
  const auto root = CaseDocument::parse("solver: {estimate_reduction: 1.0e-6}\n"
                                        "zero: {estimate_reduction: 0}\n"
                                        "loose: {estimate_reduction: 0.5}\n",
                                        "s.yaml")
                      .root();
  CHECK(SolverSettings::read(root.at("solver")).estimate_reduction == doctest::Approx(1e-6));
  CHECK_THROWS_WITH_AS(SolverSettings::read(root.at("zero")), doctest::Contains("s.yaml:2"), InputError);
  CHECK_THROWS_WITH_AS(SolverSettings::read(root.at("loose")), doctest::Contains("s.yaml:3"), InputError);
}
