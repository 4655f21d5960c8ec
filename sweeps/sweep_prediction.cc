#include "sweep_prediction.h"

#include "ai_predictor/package_model.h"
#include "ai_predictor/rasterizer.h"
#include "common/units.h"

#include <deal.II/base/mpi.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include <random>

namespace chiptherm::sweeps
{
  namespace
  {
    /// Coarser than the predictor's own setting (which needs 261 k unknowns and
    /// 26 s on the shipped 2.5D package): grid lines at every 8th pixel edge,
    /// one cell through powered layers, two through thick ones, cells doubling
    /// away from the dies: 14 k unknowns, ~0.23 s. On the shipped sweep it
    /// ranks as well as 24 k-unknown settings and better than 16th-pixel lines
    /// (Spearman 0.96 vs 0.86 against the solved maxima: docs/benchmarks.md).
    ai_predictor::PackageModelSettings screening_settings()
    {
      ai_predictor::PackageModelSettings s;
      s.die_sublayers   = 1;
      s.thick_sublayers = 2;
      s.pixel_stride    = 8;
      s.growth          = 2;
      return s;
    }
  } // namespace

  Predictions predict_candidates(const SweepSpec &spec, const std::vector<ScreenedPoint> &screened, MPI_Comm comm)
  {
    const auto   start = std::chrono::steady_clock::now();
    const std::string die = spec.objective.rfind("t_max_c:", 0) == 0 ? spec.objective.substr(8) : std::string();
    Predictions  p;
    std::vector<double> value(screened.size(), 0.0);
    bool         die_found = die.empty();
    const int    rank = dealii::Utilities::MPI::this_mpi_process(comm);
    const int    size = dealii::Utilities::MPI::n_mpi_processes(comm);
    for (std::size_t i = 0; i < screened.size(); ++i)
      {
        if (!screened[i].admitted || int(i % std::size_t(size)) != rank)
          continue;
        const auto &model = *screened[i].model;
        ai_predictor::RasterSettings raster_settings;
        raster_settings.package_model = false;
        auto rasters = ai_predictor::rasterize(model, raster_settings);
        ai_predictor::PackageModelReport report;
        ai_predictor::add_package_rise(model, rasters, screening_settings(), &report);
        p.unknowns = report.unknowns;
        double rise_k = 0;
        for (const auto &raster : rasters)
          if (die.empty() || raster.die == die)
            {
              die_found = true;
              for (const float r : raster.package_rise_k)
                rise_k = std::max(rise_k, double(r));
            }
        value[i] = kelvin_to_celsius(model.ambient_k + rise_k);
      }
    MPI_Allreduce(MPI_IN_PLACE, value.data(), int(value.size()), MPI_DOUBLE, MPI_SUM, comm);
    p.unknowns = dealii::Utilities::MPI::max(p.unknowns, comm);
    die_found  = dealii::Utilities::MPI::max(int(die_found), comm) != 0;
    p.column    = die_found && !die.empty() ? "predicted_t_max_c:" + die : "predicted_t_max_c";
    for (std::size_t i = 0; i < screened.size(); ++i)
      if (!screened[i].admitted)
        value[i] = std::numeric_limits<double>::quiet_NaN();
    p.value_c = std::move(value);
    p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return p;
  }

  namespace
  {
    /// The prediction as a key to sort ascending (best first; NaN last).
    double ranking_key(const Predictions &p, double v)
    {
      if (std::isnan(v))
        return std::numeric_limits<double>::infinity();
      return p.higher_is_better ? -v : v;
    }
  } // namespace

  std::vector<std::size_t> screen_by_prediction(const SweepSpec &spec, const std::vector<ScreenedPoint> &screened,
                                                const Predictions &p, unsigned int k)
  {
    std::vector<std::size_t> admitted;
    for (std::size_t i = 0; i < screened.size(); ++i)
      if (screened[i].admitted)
        admitted.push_back(i);
    std::stable_sort(admitted.begin(), admitted.end(), [&](std::size_t a, std::size_t b) {
      return ranking_key(p, p.value_c[a]) < ranking_key(p, p.value_c[b]);
    });
    std::vector<std::size_t> chosen(admitted.begin(), admitted.begin() + std::min<std::size_t>(k, admitted.size()));
    std::vector<std::size_t> rest(admitted.begin() + chosen.size(), admitted.end());
    // A seeded sample of the rest: the table then shows whether the prediction misses something.
    std::mt19937_64 rng(spec.seed + 7919);
    for (std::size_t n = std::min<std::size_t>(std::max(1u, k / 4), rest.size()); n > 0; --n)
      {
        const std::size_t j = std::size_t(unit_uniform(rng) * double(rest.size()));
        chosen.push_back(rest[j]);
        rest.erase(rest.begin() + long(j));
      }
    std::sort(chosen.begin(), chosen.end());
    return chosen;
  }

  nlohmann::json screening_summary(const SweepSpec &spec, const std::vector<SweepRow> &rows, long best,
                                   const Predictions &predicted, unsigned int screen)
  {
    const std::string &column = predicted.column;
    if (best < 0 || column.empty() || !rows[std::size_t(best)].numbers.count(column))
      return nullptr;
    // The solved cases with both numbers: objective y, prediction p.
    std::vector<double> y, p;
    for (const auto &r : rows)
      if (r.status == "solved" && r.numbers.count(column) && r.numbers.count(spec.objective))
        y.push_back(spec.maximize ? -r.numbers.at(spec.objective) : r.numbers.at(spec.objective)),
          p.push_back(ranking_key(predicted, r.numbers.at(column)));
    const double p_best = ranking_key(predicted, rows[std::size_t(best)].numbers.at(column));
    const auto   rank   = 1 + std::count_if(p.begin(), p.end(), [&](double v) { return v < p_best; });
    nlohmann::json summary = {{"predicted_column", column},
                              {"solved_with_prediction", y.size()},
                              {"rank_of_best_in_prediction", rank},
                              {"meaning", "the solved best case's place in the prediction's order (best first) "
                                          "among the solved cases: --screen K finds it when K >= this"}};
    if (screen > 0)
      {
        summary["screen"] = screen;
        return summary; // the best among a screened selection says nothing about the others
      }
    // Sub-sweeps: random halves of the solved cases, each screened with K.
    const std::size_t n = y.size(), half = n / 2;
    if (half < 2)
      return summary;
    std::mt19937_64          rng(spec.seed + 104729);
    std::vector<std::size_t> order(n);
    nlohmann::json           by_k = nlohmann::json::array();
    const int                draws = 2000;
    const std::size_t        k_max = std::min<std::size_t>(10, half);
    std::vector<int>         missed(k_max + 1, 0);
    std::vector<double>      regret(k_max + 1, 0.0);
    for (int d = 0; d < draws; ++d)
      {
        for (std::size_t i = 0; i < n; ++i)
          order[i] = i;
        for (std::size_t i = 0; i < half; ++i) // the first half of a partial Fisher-Yates shuffle
          std::swap(order[i], order[i + std::size_t(unit_uniform(rng) * double(n - i))]);
        std::vector<std::size_t> sub(order.begin(), order.begin() + long(half));
        double true_best = std::numeric_limits<double>::infinity();
        for (const std::size_t i : sub)
          true_best = std::min(true_best, y[i]);
        std::stable_sort(sub.begin(), sub.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
        double found = std::numeric_limits<double>::infinity();
        for (std::size_t k = 1; k <= k_max; ++k)
          {
            found = std::min(found, y[sub[k - 1]]);
            if (found > true_best + 1e-6 * std::max(1.0, std::abs(true_best))) // not a tie
              ++missed[k], regret[k] = std::max(regret[k], found - true_best);
          }
      }
    for (std::size_t k = 1; k <= k_max; ++k)
      by_k.push_back({{"k", k}, {"miss_rate", double(missed[k]) / draws}, {"worst_loss", regret[k]}});
    summary["sub_sweeps"] = {{"draws", draws},
                             {"cases_each", half},
                             {"by_k", by_k},
                             {"meaning", "random halves of the solved cases: how often the K best-ranked by the "
                                         "prediction miss the half's best case, and the most of the objective that cost"}};
    return summary;
  }
} // namespace chiptherm::sweeps
