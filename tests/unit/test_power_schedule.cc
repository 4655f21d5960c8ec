#include "common/errors.h"
#include "floorplans/case_reader.h"
#include "floorplans/power_schedule.h"
#include "floorplans/power_trace.h"

#include "sample_case.h"
#include "scratch_files.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

using namespace chiptherm;
using namespace chiptherm::floorplans;

namespace
{
  std::string scratch_file(const std::string &name, const std::string &text)
  {
    return test::scratch_file("chiptherm_unit_power", name, text);
  }

  template <typename F>
  std::string error_of(F &&f)
  {
    return test::input_error_of(f);
  }

  ChipModel read_case(const std::vector<std::string> &overrides)
  {
    auto doc = CaseDocument::parse(test::three_layer_case, "case.yaml");
    for (const auto &o : overrides)
      doc.apply_override(o);
    return read_chip_model(doc);
  }
} // namespace

TEST_CASE("step schedule: values, one-sided limits at jumps, breakpoints, energy")
{
  const PowerSchedule s({0.0, 1.0, 3.0}, {2.0, 10.0, 4.0}, Interpolation::step);
  CHECK(s.at(0.5) == 2.0);
  CHECK(s.at(1.0) == 10.0);             // after the jump
  CHECK(s.at(1.0, true) == 2.0);        // before it
  CHECK(s.at(7.0) == 4.0);              // holds after the last point
  std::vector<double> b;
  s.breakpoints(0.0, 3.0, b);
  CHECK(b == std::vector<double>{1.0, 3.0});
  CHECK(s.energy_j(0.0, 4.0) == doctest::Approx(2.0 + 20.0 + 4.0));
  CHECK(s.energy_j(0.5, 1.5) == doctest::Approx(1.0 + 5.0));
  CHECK(s.settled_w() == 4.0);
  CHECK(!s.is_constant());
  CHECK(PowerSchedule::constant(3.0).is_constant());
}

TEST_CASE("linear and periodic schedules")
{
  const PowerSchedule lin({0.0, 2.0}, {0.0, 8.0}, Interpolation::linear);
  CHECK(lin.at(0.5) == doctest::Approx(2.0));
  CHECK(lin.at(5.0) == 8.0);
  CHECK(lin.energy_j(0.0, 2.0) == doctest::Approx(8.0));
  CHECK(lin.energy_j(0.0, 1.0) == doctest::Approx(2.0));

  // A pulse train: 30 W for 1 ms every 4 ms, 2 W otherwise.
  const PowerSchedule pulse({0.0, 0.001}, {30.0, 2.0}, Interpolation::step, 0.004);
  CHECK(pulse.at(0.0005) == 30.0);
  CHECK(pulse.at(0.0025) == 2.0);
  CHECK(pulse.at(0.0040) == 30.0);            // next period starts high
  CHECK(pulse.at(0.0040, true) == 2.0);       // the end of the previous one
  CHECK(pulse.at(0.0121) == 30.0);
  CHECK(pulse.at(0.0131) == 2.0);
  std::vector<double> b;
  pulse.breakpoints(0.0, 0.009, b);
  REQUIRE(b.size() == 4);
  CHECK(b[0] == doctest::Approx(0.001));
  CHECK(b[1] == doctest::Approx(0.004));
  CHECK(b[2] == doctest::Approx(0.005));
  CHECK(b[3] == doctest::Approx(0.008));
  CHECK(pulse.settled_w() == doctest::Approx((30.0 * 0.001 + 2.0 * 0.003) / 0.004));
  CHECK(pulse.energy_j(0.0, 0.010) == doctest::Approx(3 * 0.030 + 2.0 * (0.003 + 0.003 + 0.001)));

  // Periodic linear: a triangle wave back to the first point at the period.
  const PowerSchedule tri({0.0, 1.0}, {0.0, 10.0}, Interpolation::linear, 2.0);
  CHECK(tri.at(1.5) == doctest::Approx(5.0));
  CHECK(tri.at(2.5) == doctest::Approx(5.0));
  CHECK(tri.settled_w() == doctest::Approx(5.0));
}

TEST_CASE("case-file schedules: points, pulse, and errors with file, line and key")
{
  auto m = read_case({"stack.die.blocks.b.schedule={points: [[0, 1], [0.01, 9]], interpolation: linear}"});
  const Block &b = m.layers[0].blocks[1];
  CHECK(b.power_w == 4.0); // the block's own power stays the steady value
  CHECK(b.power_over_time.at(0.005) == doctest::Approx(5.0));
  CHECK(m.layers[0].blocks[0].power_over_time.is_constant());
  CHECK(m.layers[0].blocks[0].power_over_time.at(1.0) == 1.5);

  m = read_case({"stack.die.blocks.a.schedule={pulse: {base: 1, peak: 20, start: 0.002, width: 0.001}, period: 0.01}"});
  const auto &a = m.layers[0].blocks[0].power_over_time;
  CHECK(a.at(0.0015) == 1.0);
  CHECK(a.at(0.0025) == 20.0);
  CHECK(a.at(0.0125) == 20.0);
  CHECK(a.at(0.0035) == 1.0);

  CHECK(error_of([] { read_case({"stack.die.blocks.a.schedule={points: [[0, 1], [0, 2]]}"}); })
          .find("key 'stack.die.blocks.a.schedule.points.[1]': expected times that start at 0 or later and increase") !=
        std::string::npos);
  CHECK(error_of([] { read_case({"stack.die.blocks.a.schedule={pulse: {base: 1, peak: 2, width: 0.5}, period: 0.1}"}); })
          .find("expected start + width <= period") != std::string::npos);
  CHECK(error_of([] { read_case({"stack.die.blocks.a.schedule={points: [[0, 1]], pulse: {base: 1}}"}); })
          .find("exactly one of 'points'") != std::string::npos);
  CHECK(error_of([] { read_case({"stack.die.blocks.a.schedule={points: [[0, -1]]}"}); })
          .find("expected a power from 0 to 1e5 W") != std::string::npos);
  CHECK(error_of([] { read_case({"stack.die.blocks.a.schedule={points: [[0, 1]], interpolation: cubic}"}); })
          .find("interpolation") != std::string::npos);
}

TEST_CASE("CSV power trace: columns to blocks, and every malformed file")
{
  const auto good = scratch_file("good.csv", "# from the emulator\ntime_s, a, die/b\n0, 1, 2\n0.5, 3, 4\n");
  const auto t    = read_power_trace_csv(good, Interpolation::step);
  CHECK(t.columns == std::vector<std::string>{"a", "die/b"});
  CHECK(t.end_s == 0.5);
  auto m = read_case({});
  apply_power_trace(t, m);
  CHECK(m.layers[0].blocks[0].power_over_time.at(0.7) == 3.0);
  CHECK(m.layers[0].blocks[1].power_over_time.at(0.2) == 2.0);

  const auto no_time = scratch_file("no_time.csv", "t, a\n0, 1\n");
  CHECK(error_of([&] { read_power_trace_csv(no_time, Interpolation::step); }) ==
        no_time + ":1: expected the header to start with the column 'time_s', got 't'");
  const auto back = scratch_file("back.csv", "time_s,a\n0,1\n0.2,1\n0.1,1\n");
  CHECK(error_of([&] { read_power_trace_csv(back, Interpolation::step); }).find(back + ":4: expected time_s") == 0);
  const auto negative = scratch_file("negative.csv", "time_s,a\n0,-1\n");
  CHECK(error_of([&] { read_power_trace_csv(negative, Interpolation::step); })
          .find(negative + ":2: expected a power from 0 to 1e5 W in column 2 ('a')") == 0);
  const auto word = scratch_file("word.csv", "time_s,a\n0,lots\n");
  CHECK(error_of([&] { read_power_trace_csv(word, Interpolation::step); }) ==
        word + ":2: expected comma-separated numbers, got 'lots' in column 2");
  const auto short_row = scratch_file("short.csv", "time_s,a,b\n0,1\n");
  CHECK(error_of([&] { read_power_trace_csv(short_row, Interpolation::step); }) ==
        short_row + ":2: expected 3 values like the header (line 1), got 2");
  CHECK(error_of([] { read_power_trace_csv("/nonexistent/p.csv", Interpolation::step); }) ==
        "/nonexistent/p.csv: cannot open the power trace");

  const auto unknown = scratch_file("unknown.csv", "time_s,bb\n0,1\n");
  auto       m2      = read_case({});
  CHECK(error_of([&] { apply_power_trace(read_power_trace_csv(unknown, Interpolation::step), m2); }) ==
        unknown + ":1: column 'bb' names no block of the case (did you mean 'b'?)");
  const auto twice = scratch_file("twice.csv", "time_s,a,die/a\n0,1,1\n");
  CHECK(error_of([&] { apply_power_trace(read_power_trace_csv(twice, Interpolation::step), m2); }) ==
        twice + ":1: columns 'a' and 'die/a' name the same block");
}

TEST_CASE("HotSpot .ptrace: one row per sampling interval")
{
  const auto p = scratch_file("x.ptrace", "a\tb\n1.0 2.0\n3.0\t4.0\n");
  const auto t = read_hotspot_ptrace(p, 0.01);
  CHECK(t.end_s == doctest::Approx(0.02));
  CHECK(t.schedules[0].at(0.005) == 1.0);
  CHECK(t.schedules[0].at(0.015) == 3.0);
  CHECK(t.schedules[1].energy_j(0, 0.02) == doctest::Approx(0.06));
  // Rows that do not change a column are not breakpoints of it.
  const auto flat = scratch_file("flat.ptrace", "a b\n1 2\n1 3\n1 3\n4 3\n");
  const auto f    = read_hotspot_ptrace(flat, 0.5);
  std::vector<double> ba, bb;
  f.schedules[0].breakpoints(0, 2, ba);
  f.schedules[1].breakpoints(0, 2, bb);
  CHECK(ba == std::vector<double>{1.5});
  CHECK(bb == std::vector<double>{0.5});
  CHECK(f.schedules[0].energy_j(0, 2) == doctest::Approx(1.5 + 2.0));
  const auto ramp = scratch_file("ramp.csv", "time_s,a\n0,0\n1,1\n2,2\n3,0\n");
  const auto r    = read_power_trace_csv(ramp, Interpolation::linear);
  CHECK(r.schedules[0].times_s() == std::vector<double>{0, 2, 3});
  CHECK(r.schedules[0].at(1.5) == doctest::Approx(1.5));
  const auto bad = scratch_file("bad.ptrace", "a b\n1 2\n3\n");
  CHECK(error_of([&] { read_hotspot_ptrace(bad, 0.01); }) ==
        bad + ":3: expected 2 values like the header (line 1), got 1");
}
