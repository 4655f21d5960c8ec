// AdaptivitySettings' marking arithmetic: the Doerfler share that should
// bring the worst open bound to the tolerance in one cycle, calibrated by how
// far the last cycle's share brought it down.
#include "common/case_document.h"
#include "solver/adaptivity_settings.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

using chiptherm::solver::AdaptivitySettings;

TEST_CASE("the Doerfler share grows with the distance to the tolerance, between 0.5 and refine_fraction")
{
  AdaptivitySettings s; // tolerance 0.1 K, refine_fraction 0.95
  CHECK(s.doerfler_share(0.05) == doctest::Approx(0.95)); // nothing open: the configured share
  CHECK(s.doerfler_share(0.11) == doctest::Approx(0.5));  // just above: the floor
  CHECK(s.doerfler_share(0.2) == doctest::Approx((1 - 0.5) / 0.75 + 0.1));
  CHECK(s.doerfler_share(10.0) == doctest::Approx(0.95));
}

TEST_CASE("a cycle whose bound fell less than modelled makes the next share larger")
{
  AdaptivitySettings s;
  // The 2.5D package's cycles (examples/chiplets/package_2p5d.yaml): 0.95 of the
  // indicator refined took the worst bound from 0.316 to 0.152 K.
  const double c = AdaptivitySettings::observed_efficiency(0.95, 0.316, 0.152);
  CHECK(c == doctest::Approx((1 - 0.152 / 0.316) / 0.95));
  CHECK(c < AdaptivitySettings::nominal_efficiency);
  // With the nominal 3/4 the next share, 0.556, left 0.102 K; calibrated it is larger.
  CHECK(s.doerfler_share(0.152) == doctest::Approx((1 - 0.1 / 0.152) / 0.75 + 0.1));
  CHECK(s.doerfler_share(0.152, c) == doctest::Approx((1 - 0.1 / 0.152) / c + 0.1));
  CHECK(s.doerfler_share(0.152, c) > s.doerfler_share(0.152) + 0.1);
}

TEST_CASE("the observed efficiency stays within [0.3, 0.75] and falls back to the nominal one")
{
  CHECK(AdaptivitySettings::observed_efficiency(0.95, 2.12, 0.419) == doctest::Approx(0.75)); // fell faster
  CHECK(AdaptivitySettings::observed_efficiency(0.5, 0.116, 0.115) == doctest::Approx(0.3));  // hardly fell
  CHECK(AdaptivitySettings::observed_efficiency(0.5, 0.116, 0.2) == doctest::Approx(0.3));    // rose
  CHECK(AdaptivitySettings::observed_efficiency(0.0, 0.3, 0.1) == doctest::Approx(0.75));     // no share
  CHECK(AdaptivitySettings::observed_efficiency(0.9, 0.0, 0.1) == doctest::Approx(0.75));     // no bound before
  // The clamp keeps the share finite and at most refine_fraction.
  AdaptivitySettings s;
  CHECK(s.doerfler_share(0.12, 0.0) == doctest::Approx((1 - 0.1 / 0.12) / 0.3 + 0.1));
  CHECK(s.doerfler_share(5.0, 0.3) == doctest::Approx(0.95));
}

TEST_CASE("an open verdict's share aims at its margin, not the tolerance")
{
  AdaptivitySettings s; // tolerance 0.1 K
  // A bound of 0.03 K straddling a limit 0.02 K away: bring it below 0.02 K.
  CHECK(s.doerfler_share(0.03, 0.75, 0.02) == doctest::Approx(std::max(0.5, (1 - 0.02 / 0.03) / 0.75 + 0.1)));
  CHECK(s.doerfler_share(0.03, 0.75, 0.02) < s.refine_fraction);
  CHECK(s.doerfler_share(0.03, 0.75, 0.015) == doctest::Approx((1 - 0.015 / 0.03) / 0.75 + 0.1));
  CHECK(s.doerfler_share(0.2, 0.75, 0) == doctest::Approx(s.doerfler_share(0.2))); // 0: the tolerance
}

TEST_CASE("adaptivity.min_growth is read from the case, 0.2 by default")
{
  CHECK(AdaptivitySettings{}.min_growth == doctest::Approx(0.2));
  const auto root = chiptherm::CaseDocument::parse("a: {min_growth: 0}\nb: {min_growth: 0.5}\nbad: {min_growth: 8}\n",
                                                   "g.yaml")
                      .root();
  CHECK(AdaptivitySettings::read(root.at("a")).min_growth == 0.0);
  CHECK(AdaptivitySettings::read(root.at("b")).min_growth == doctest::Approx(0.5));
  CHECK_THROWS_WITH_AS(AdaptivitySettings::read(root.at("bad")), doctest::Contains("g.yaml:3"), chiptherm::InputError);
}

TEST_CASE("the fall per level: the last cycle's, per level it refined, within [2, 16]")
{
  // The 100 um hotspot (bench/cases/tiny_hotspot.yaml): one level took the worst
  // bound from 1.13 to 0.428 K, two from 1.13 to 0.389 K.
  CHECK(AdaptivitySettings::fall_per_level(1.13, 0.428, 1) == doctest::Approx(1.13 / 0.428));
  CHECK(AdaptivitySettings::fall_per_level(1.13, 0.389, 2) == doctest::Approx(2.0)); // sqrt(2.9) = 1.7: the floor
  CHECK(AdaptivitySettings::fall_per_level(2.12, 0.139, 2) == doctest::Approx(std::sqrt(2.12 / 0.139)));
  CHECK(AdaptivitySettings::fall_per_level(1.0, 0.01, 1) == doctest::Approx(16.0));
  CHECK(AdaptivitySettings::fall_per_level(0.0, 0.3, 1) == doctest::Approx(4.0)); // before the first cycle
  CHECK(AdaptivitySettings::fall_per_level(0.3, 0.0, 1) == doctest::Approx(4.0)); // nothing open after it
}

TEST_CASE("adaptivity.max_levels_per_cycle is 1 or 2, 2 by default")
{
  CHECK(AdaptivitySettings{}.max_levels_per_cycle == 2);
  const auto root = chiptherm::CaseDocument::parse("a: {max_levels_per_cycle: 1}\nbad: {max_levels_per_cycle: 3}\n",
                                                   "l.yaml")
                      .root();
  CHECK(AdaptivitySettings::read(root.at("a")).max_levels_per_cycle == 1);
  CHECK_THROWS_WITH_AS(AdaptivitySettings::read(root.at("bad")), doctest::Contains("l.yaml:2"), chiptherm::InputError);
}

TEST_CASE("a second level is taken when it adds at most a quarter of the one-level mesh's cells")
{
  // The measured markings (docs/benchmarks.md, "Two levels per cycle by default"):
  // the 250 um hotspot's 5 cells of 5,166, HotSpot's example3's 14 of 5,351 ...
  CHECK(AdaptivitySettings::second_level_affordable(5, 5166));
  CHECK(AdaptivitySettings::second_level_affordable(14, 5351));
  // ... against the two-die package's die edges, 23 of 2,366 and 114 of 12,523.
  CHECK_FALSE(AdaptivitySettings::second_level_affordable(23, 2366));
  CHECK_FALSE(AdaptivitySettings::second_level_affordable(114, 12523));
  // The boundary: 56 new cells each against a quarter of the cells.
  CHECK(AdaptivitySettings::second_level_affordable(10, 2240));
  CHECK_FALSE(AdaptivitySettings::second_level_affordable(10, 2239));
  CHECK_FALSE(AdaptivitySettings::second_level_affordable(0, 100000));
}
