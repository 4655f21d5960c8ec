// Sign-off verdicts with error bounds (issue 18): a block passes when
// t_max + bound <= limit, fails when t_max - bound > limit, and is undecided
// when the limit lies inside [t_max - bound, t_max + bound]; the same for the
// spread t_max - t_min against a delta limit, with the two bounds added.
#include "common/case_document.h"
#include "solver/signoff.h"

#include <doctest/doctest.h>

using namespace chiptherm;
using namespace chiptherm::solver;

namespace
{
  constexpr double c0 = 273.15;

  floorplans::Block block(floorplans::BlockType type, double limit_c)
  {
    floorplans::Block b;
    b.name    = "b";
    b.type    = type;
    b.limit_k = limit_c + c0;
    return b;
  }

  BlockResult result(double t_max_c, double t_min_c)
  {
    BlockResult r;
    r.t_max_k = t_max_c + c0;
    r.t_min_k = t_min_c + c0;
    r.t_avg_k = 0.5 * (r.t_max_k + r.t_min_k);
    return r;
  }

  BlockVerdict verdict_of(const floorplans::Block &b, const BlockResult &r, double bound_max, double bound_min = 0)
  {
    BlockErrorBound e;
    e.t_max_k = bound_max;
    e.t_min_k = bound_min;
    const std::vector<BlockErrorBound> errors{e};
    return evaluate_signoff({&b}, {r}, SignoffSettings::defaults(), &errors).front();
  }
} // namespace

TEST_CASE("a t_max whose bound straddles the limit is undecided, on either side of it")
{
  const auto b = block(floorplans::BlockType::logic, 100);
  CHECK(verdict_of(b, result(99.85, 90), 0.1).verdict == "pass");      // 99.95 <= 100
  CHECK(verdict_of(b, result(99.95, 90), 0.1).verdict == "undecided"); // 99.85 .. 100.05
  CHECK(verdict_of(b, result(100.05, 90), 0.1).verdict == "undecided");
  CHECK(verdict_of(b, result(100.15, 90), 0.1).verdict == "fail");     // 100.05 > 100
  const auto undecided = verdict_of(b, result(99.95, 90), 0.1);
  CHECK_FALSE(undecided.pass);
  CHECK(undecided.reason.find("straddles the limit 100.00 C") != std::string::npos);
  CHECK(verdict_of(b, result(100.15, 90), 0.1).reason.find("exceeds") != std::string::npos);
}

TEST_CASE("without bounds the verdict is the figure against the limit")
{
  const auto b = block(floorplans::BlockType::memory, 95);
  CHECK(verdict_of(b, result(94.999, 80), 0).verdict == "pass");
  CHECK(verdict_of(b, result(95.001, 80), 0).verdict == "fail");
  const std::vector<BlockErrorBound> none;
  CHECK(evaluate_signoff({&b}, {result(95.001, 80)}, SignoffSettings::defaults(), &none).front().verdict == "fail");
  CHECK(evaluate_signoff({&b}, {result(94.0, 80)}, SignoffSettings::defaults()).front().verdict == "pass");
}

TEST_CASE("the delta limit adds the bounds of t_max and t_min")
{
  auto b          = block(floorplans::BlockType::analog, 150);
  b.delta_limit_k = 3.0;
  CHECK(verdict_of(b, result(82.7, 80), 0.1, 0.1).verdict == "pass");      // 2.7 + 0.2 <= 3
  CHECK(verdict_of(b, result(82.9, 80), 0.1, 0.1).verdict == "undecided"); // 2.7 .. 3.1
  CHECK(verdict_of(b, result(83.3, 80), 0.1, 0.1).verdict == "fail");      // 3.1 > 3
  // A decided failure wins over an undecided other check.
  auto hot          = block(floorplans::BlockType::analog, 83.25);
  hot.delta_limit_k = 2.9;
  const auto v      = verdict_of(hot, result(83.3, 80), 0.1, 0.1);
  CHECK(v.verdict == "fail");
  CHECK(v.reason.find("straddles") != std::string::npos);
  CHECK(v.reason.find("exceeds") != std::string::npos);
}

TEST_CASE("a type's default limit applies when the block has none")
{
  floorplans::Block b;
  b.type = floorplans::BlockType::photonic; // 75 C by default
  CHECK(verdict_of(b, result(74.8, 70), 0.1).verdict == "pass");
  CHECK(verdict_of(b, result(75.05, 70), 0.1).verdict == "undecided");
}

TEST_CASE("a straddled limit within signoff.limit_resolution of the figure is at the limit")
{
  const auto b = block(floorplans::BlockType::logic, 100);
  // 100.005 +/- 0.02: within 0.01 K of the limit, undecided at the limit.
  const auto near = verdict_of(b, result(100.005, 90), 0.02);
  CHECK(near.verdict == "undecided");
  CHECK(near.at_limit);
  // 99.98 +/- 0.05: undecided, but 0.02 K from the limit: refining may decide it.
  const auto far = verdict_of(b, result(99.98, 90), 0.05);
  CHECK(far.verdict == "undecided");
  CHECK_FALSE(far.at_limit);
  // Decided verdicts are never at the limit.
  CHECK_FALSE(verdict_of(b, result(99.995, 90), 0.001).at_limit);
  // The loop leaves it only once the block's bound meets the tolerance.
  BlockErrorBound e;
  e.t_max_k = 0.02;
  CHECK(left_at_limit(near, e, 0.1));
  e.t_max_k = 0.2;
  CHECK_FALSE(left_at_limit(near, e, 0.1));
  CHECK_FALSE(left_at_limit(far, BlockErrorBound{}, 0.1));
  // The delta limit counts too: both straddles must be near their limits.
  auto a          = block(floorplans::BlockType::analog, 150);
  a.delta_limit_k = 3.0;
  CHECK(verdict_of(a, result(83.005, 80), 0.01, 0.01).at_limit);  // spread 3.005 +/- 0.02
  CHECK_FALSE(verdict_of(a, result(82.98, 80), 0.02, 0.02).at_limit); // spread 2.98 +/- 0.04
}

TEST_CASE("signoff.limit_resolution is read from the case")
{
  CHECK(SignoffSettings::defaults().limit_resolution_k == doctest::Approx(0.01));
  const auto root = CaseDocument::parse("signoff: {limit_resolution: 0.002}\nbad: {limit_resolution: 0}\n", "s.yaml").root();
  CHECK(SignoffSettings::read(root.at("signoff")).limit_resolution_k == doctest::Approx(0.002));
  CHECK_THROWS_WITH_AS(SignoffSettings::read(root.at("bad")), doctest::Contains("s.yaml:2"), InputError);
}
