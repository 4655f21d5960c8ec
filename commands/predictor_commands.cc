#include "predictor_commands.h"

#include "ai_predictor/net_plugin.h"
#include "common/shipped_files.h"
#include "case_setup.h"
#include "common/errors.h"

#include <deal.II/base/mpi.h>

namespace chiptherm::commands
{
  void run_train(TrainRequest request, MPI_Comm comm)
  {
    const bool root = dealii::Utilities::MPI::this_mpi_process(comm) == 0;
    if (request.generate.count > 0)
      {
        request.generate.out_dir = request.out;
        generate_training_data(request.generate, comm);
        return;
      }
    if (request.fit.data_dir.empty())
      throw InputError("chiptherm train: expected --generate N (make data) or --data DIR (train)");
    if (!request.evaluate_model.empty())
      {
        if (root)
          ai_predictor::net_plugin().run_evaluation(
            {request.evaluate_model, request.fit.data_dir, request.fit.hard_dir, request.out, request.fit.threads});
        return;
      }
    request.fit.model_out = request.out;
    request.fit.seed      = request.generate.seed;
    if (root)
      ai_predictor::net_plugin().run_training(request.fit);
  }

  void run_predict(const CaseDocument &document, const ai_predictor::PredictOptions &options, MPI_Comm comm)
  {
    read_case(document);
    // No --model: the shipped model; --model physics: the physics baseline alone.
    ai_predictor::PredictOptions o = options;
    if (o.model == "physics")
      o.model.clear();
    else if (o.model.empty())
      {
        o.model = shipped_predictor_model();
        if (o.model.empty())
          {
            std::string tried;
            for (const auto &c : shipped_model_candidates())
              tried += "\n  " + c;
            throw InputError("predict: no --model given and the shipped model is in none of:" + tried +
                             "\n(give --model FILE, or --model physics for the physics baseline)");
          }
      }
    if (dealii::Utilities::MPI::this_mpi_process(comm) == 0)
      ai_predictor::net_plugin().run_predict(document, o);
  }
} // namespace chiptherm::commands
