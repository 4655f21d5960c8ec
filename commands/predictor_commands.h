#pragma once
// `chiptherm train` and `chiptherm predict`: the learned predictor's commands.
// Making training data solves chips (training_data.h); training, evaluation
// and prediction run in the LibTorch plugin (ai_predictor/net_plugin.h), on
// rank 0.
#include "ai_predictor/predict_command.h"
#include "ai_predictor/train_command.h"
#include "common/case_document.h"
#include "training_data.h"

#include <mpi.h>

#include <string>

namespace chiptherm::commands
{
  struct TrainRequest
  {
    GenerateOptions           generate;   ///< generate.count > 0: make data into out
    ai_predictor::TrainOptions fit;       ///< fit.data_dir: train (or evaluate) on it
    std::string               evaluate_model; ///< a model to measure instead of training one
    std::string               out;        ///< the data folder, model file or metrics file
  };

  /// Generates data, trains a model or evaluates one, as the request says. Throws InputError.
  void run_train(TrainRequest request, MPI_Comm comm);
  /// Checks every section of the case, then predicts (rank 0).
  void run_predict(const CaseDocument &document, const ai_predictor::PredictOptions &options, MPI_Comm comm);
} // namespace chiptherm::commands
