// A transient checkpoint's march record (solver/march_state.h): read back as
// written, and a damaged one refused before the march steps with it.
#include "solver/march_state.h"

#include <doctest/doctest.h>

#include <limits>

using namespace chiptherm;
using namespace chiptherm::solver;

namespace
{
  const MarchLimits limits{1.0, 0.1, 50, 3, {0, 4, 0}};

  MarchState sample()
  {
    MarchState m;
    m.t = 0.25, m.h = 1e-3, m.outputs_done = 12, m.next_checkpoint_s = 0.3;
    m.report.peak_k        = {320, 330, 310};
    m.report.peak_time_s   = {0.1, 0.2, 0.0};
    m.report.peak_spread_k = {1, 2, 0.5};
    m.report.dvfs_point    = {0, 2, 0};
    m.report.dvfs_cycles   = {0, 1e8, 0};
    m.report.throttled_s   = {0, 0.05, 0};
    m.report.throttle_events.push_back(ThrottleEvent{0.2, 1, 0, 2, 360});
    return m;
  }

  std::string refusal(const nlohmann::json &march, const MarchLimits &l = limits)
  {
    try
      {
        read_march_state(march, l);
      }
    catch (const InputError &e)
      {
        return e.what();
      }
    return "";
  }
} // namespace

TEST_CASE("march state: read back as written")
{
  const nlohmann::json stored = sample();
  const auto           m      = read_march_state(stored, limits);
  CHECK(m.t == 0.25);
  CHECK(m.report.dvfs_point[1] == 2);
  CHECK(m.report.throttle_events.size() == 1);
  const auto frames = read_checkpoint_frames(
    {{"frames", nlohmann::json::array({{0.0, "solution_0000.pvtu"}, {0.25, "solution_0001.pvtu"}})}}, 1, 0.25);
  CHECK(frames.size() == 2);
  CHECK(frames[1].second == "solution_0001.pvtu");
}

TEST_CASE("march state: a damaged record is refused, naming the field")
{
  const nlohmann::json good = sample();
  CHECK(refusal(good).empty());
  const auto with = [&](const nlohmann::json::json_pointer &at, const nlohmann::json &value) {
    auto r   = good;
    r[at]    = value;
    return refusal(r);
  };
  using ptr = nlohmann::json::json_pointer;
  CHECK(with(ptr("/t"), 2.0).find("march.t") != std::string::npos);
  CHECK(with(ptr("/t"), "soon").find("march:") != std::string::npos); // nlohmann's type error, as InputError
  CHECK(with(ptr("/h"), 0.0).find("march.h") != std::string::npos);
  CHECK(with(ptr("/outputs_done"), 51).find("outputs_done") != std::string::npos);
  // The march adds the interval until it passes t: -1e300 would never get there.
  CHECK(with(ptr("/next_checkpoint_s"), -1e300).find("next_checkpoint_s") != std::string::npos);
  CHECK(with(ptr("/report/peak_k"), nlohmann::json::array({1.0})).find("report.peak_") != std::string::npos);
  CHECK(with(ptr("/report/dvfs_point/1"), 4).find("no operating point 4") != std::string::npos);
  CHECK(with(ptr("/report/dvfs_point/0"), 1).find("no operating point 1") != std::string::npos);
  CHECK(with(ptr("/report/throttle_events/0/block"), 7).find("throttle_events") != std::string::npos);
  CHECK(with(ptr("/report/throttle_events/0/to"), 9).find("throttle_events") != std::string::npos);
  // A counter stored as 1e127: converting it to unsigned int was undefined (fuzzing, UBSan).
  CHECK(with(ptr("/outputs_done"), 1e127).find("march.outputs_done: expected a whole number") != std::string::npos);
  CHECK(with(ptr("/report/dvfs_point/1"), 2.5).find("report.dvfs_point: expected a whole number") !=
        std::string::npos);
  // Without DVFS blocks, DVFS state is out of place.
  CHECK(refusal(good, MarchLimits{1.0, 0.1, 50, 3, {0, 0, 0}}).find("no DVFS block") != std::string::npos);
}

TEST_CASE("march state: the rungs preconditioned by BoomerAMG")
{
  const auto refused = [](const nlohmann::json &state) {
    try
      {
        read_amg_rungs(state);
      }
    catch (const InputError &e)
      {
        return std::string(e.what());
      }
    return std::string();
  };
  CHECK(read_amg_rungs(nlohmann::json::object()).empty()); // a checkpoint written before they were stored
  CHECK(read_amg_rungs({{"amg_rungs", {-9, -3}}}) == std::vector<int>{-9, -3});
  CHECK(refused({{"amg_rungs", {-9, -9}}}).find("twice") != std::string::npos);
  CHECK(refused({{"amg_rungs", {1e127}}}).find("amg_rungs: expected whole numbers") != std::string::npos);
  CHECK(refused({{"amg_rungs", {-200}}}).find("[-128, 128]") != std::string::npos);
  CHECK(refused({{"amg_rungs", "all"}}).find("amg_rungs: expected a list") != std::string::npos);
}

TEST_CASE("march state: the frames written before a checkpoint")
{
  const auto refused = [](const nlohmann::json &extra, unsigned int outputs_done, double t) {
    try
      {
        read_checkpoint_frames(extra, outputs_done, t);
      }
    catch (const InputError &e)
      {
        return std::string(e.what());
      }
    return std::string();
  };
  const nlohmann::json two = {{"frames", nlohmann::json::array({{0.0, "a.pvtu"}, {0.1, "b.pvtu"}})}};
  CHECK(refused(two, 1, 0.1).empty());
  CHECK(refused(two, 2, 0.1).find("one [t, file] per output") != std::string::npos);
  CHECK(refused(two, 1, 0.05).find("a frame after t") != std::string::npos);
  CHECK(refused({{"frames", {{0.0, "../x.pvtu"}, {0.1, "b"}}}}, 1, 0.1).find("plain file name") != std::string::npos);
  CHECK(refused({{"frames", {{0.0, 5}, {0.1, "b"}}}}, 1, 0.1).find("[t, file] pairs") != std::string::npos);
  CHECK(refused(nlohmann::json::array(), 0, 0).find("extra.frames") != std::string::npos);
}
