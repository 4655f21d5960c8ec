#pragma once
// Error types that cross module boundaries. The CLI maps them to exit codes:
// InputError -> 2 (bad input or usage), NumericalError -> 3 (solver failure).
#include <stdexcept>
#include <string>

namespace chiptherm
{
  /// Where a bad value came from, for messages of the form
  /// "case.yaml:12: key 'stack.die.thickness': expected a positive length, got -3".
  struct SourceLocation
  {
    std::string file;  ///< path as the user gave it; empty when unknown
    int         line = -1;  ///< 1-based; -1 when the value has no line (e.g. from --set)
    std::string key;   ///< dot path of the key, e.g. "stack.die.blocks.npu.power"
  };

  /// Bad input or usage. what() is the full user-facing message.
  class InputError : public std::runtime_error
  {
  public:
    InputError(const SourceLocation &where, const std::string &expectation)
      : std::runtime_error(format(where, expectation))
    {}
    explicit InputError(const std::string &message)
      : std::runtime_error(message)
    {}

    static std::string format(const SourceLocation &where, const std::string &expectation)
    {
      std::string s;
      if (!where.file.empty())
        s += where.file;
      if (where.line > 0)
        s += ":" + std::to_string(where.line);
      if (!s.empty())
        s += ": ";
      if (!where.key.empty())
        s += "key '" + where.key + "': ";
      return s + expectation;
    }
  };

  /// The numerics failed: no convergence, non-physical result, runaway.
  class NumericalError : public std::runtime_error
  {
  public:
    using std::runtime_error::runtime_error;
  };

  /// Results could not be written (disk full, file-size limit, permissions). Exit
  /// code 3 like a numerical failure: the run could not produce its results; OUT
  /// keeps what it held before (results are staged, output_staging.h).
  class OutputError : public NumericalError
  {
  public:
    using NumericalError::NumericalError;
  };
} // namespace chiptherm
