#pragma once
// Ranking sweep candidates without solving them: the predictor's physics half
// (ai_predictor/package_model.h: the whole package on a coarse finite-volume
// grid, one sparse Cholesky solve per candidate) gives each candidate's
// hottest temperature, of the whole package or of the die the objective
// names. `--screen K` then solves only the K best-predicted candidates and a
// random sample of the rest; with `--predict` on a full sweep the table says
// where the true best case ranked in the prediction and how often a screen of
// each K would have missed it.
#include "sweep_screen.h"
#include "sweep_table.h"

#include <nlohmann/json_fwd.hpp>

#include <mpi.h>

#include <string>
#include <vector>

namespace chiptherm::sweeps
{
  struct Predictions
  {
    std::string         column;  ///< "predicted_t_max_c[:<die>]" or "first_mesh_<objective>"
    std::vector<double> value_c; ///< per candidate, NaN for rejected (or, first mesh, failed) ones
    bool                higher_is_better = false; ///< ranking direction (first mesh, maximised objective)
    double              seconds = 0;
    std::size_t         unknowns = 0; ///< of the package model, the last candidate's
  };

  /// Predicts every admitted candidate, spread over the ranks of comm; every rank gets all.
  /// The objective t_max_c:<die> is predicted as that die's hottest pixel, any other as t_max_c.
  Predictions predict_candidates(const SweepSpec &spec, const std::vector<ScreenedPoint> &screened, MPI_Comm comm);

  /// Indices (into screened) to solve under --screen k: the k admitted ones
  /// ranked best (the package model: predicted coolest, whatever the
  /// objective, as a cooler placement is the more promising one, also for a
  /// throttled throughput; the first mesh: by the objective itself), and a
  /// seeded random sample of max(1, k / 4) of the others.
  std::vector<std::size_t> screen_by_prediction(const SweepSpec &spec, const std::vector<ScreenedPoint> &screened,
                                                const Predictions &predicted, unsigned int k);

  /// sweep.json's `screening`: where the solved best case ranked among the
  /// solved cases by prediction, and, over 2000 seeded random halves of the
  /// solved cases (sub-sweeps), how often the K best-ranked of a half
  /// miss its best case (K = 1..10) and by how much of the objective at most.
  /// Null when nothing was predicted or nothing solved.
  nlohmann::json screening_summary(const SweepSpec &spec, const std::vector<SweepRow> &rows, long best,
                                   const Predictions &predicted, unsigned int screen);
} // namespace chiptherm::sweeps
