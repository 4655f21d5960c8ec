#include "shipped_files.h"

#include <cstdlib>
#include <filesystem>
#include <unistd.h>

namespace chiptherm
{
  std::string executable_folder()
  {
    std::vector<char> path(4096);
    const auto        n = ::readlink("/proc/self/exe", path.data(), path.size() - 1);
    if (n <= 0)
      return "";
    return std::filesystem::path(std::string(path.data(), std::size_t(n))).parent_path().string();
  }

  std::vector<std::string> shipped_model_candidates()
  {
    if (const char *given = std::getenv("CHIPTHERM_MODEL"); given && *given)
      return {given};
    const std::string exe = executable_folder();
    return {exe + "/predictor.pt", exe + "/../share/chiptherm/models/predictor.pt",
            std::string(CHIPTHERM_SOURCE_DIR) + "/models/predictor.pt"};
  }

  std::string shipped_predictor_model()
  {
    for (const auto &candidate : shipped_model_candidates())
      if (std::filesystem::exists(candidate))
        return std::filesystem::path(candidate).lexically_normal().string();
    return "";
  }
} // namespace chiptherm
