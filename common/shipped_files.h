#pragma once
// Files chiptherm ships beside its code (the learned predictor's model), found
// where a build or an install puts them. No deal.II.
#include <string>
#include <vector>

namespace chiptherm
{
  /// The folder of the running executable ("" if unknown).
  std::string executable_folder();

  /// Where the shipped predictor model is looked for, in order:
  /// $CHIPTHERM_MODEL; next to the executable (predictor.pt);
  /// EXE/../share/chiptherm/models/predictor.pt; the source tree's models/.
  std::vector<std::string> shipped_model_candidates();

  /// The first candidate that exists; "" if none does.
  std::string shipped_predictor_model();
} // namespace chiptherm
