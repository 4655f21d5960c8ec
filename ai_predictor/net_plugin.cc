#include "net_plugin.h"

#include "common/shipped_files.h"

#include <cstdlib>
#include <dlfcn.h>
#include <stdexcept>
#include <string>
#include <vector>

namespace chiptherm::ai_predictor
{
  namespace
  {
    const NetPluginApi &load()
    {
      std::vector<std::string> candidates;
      if (const char *explicit_path = std::getenv("CHIPTHERM_AI_PLUGIN"); explicit_path && *explicit_path)
        candidates.emplace_back(explicit_path);
      else
        {
          candidates.push_back(executable_folder() + "/" + net_plugin_file);
          candidates.push_back(std::string(CHIPTHERM_AI_PLUGIN_BUILD_DIR) + "/" + net_plugin_file);
        }
      std::string tried;
      for (const auto &path : candidates)
        {
          // RTLD_DEEPBIND: LibTorch's libraries are linked with BIND_NOW, and
          // each of their symbol references was looked up through the engine's
          // ~200 libraries before their own; with their own first, `chiptherm
          // predict` on a one-die case takes 0.88 s instead of 1.46 s (median of 6,
          // docs/benchmarks.md). The libraries both sides share (libstdc++,
          // libc, MPI, hypre) are the same loaded objects either way.
          void *handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
          if (!handle)
            {
              tried += "\n  " + path + ": " + ::dlerror();
              continue;
            }
          using Entry = const NetPluginApi *(*)();
          auto entry  = reinterpret_cast<Entry>(::dlsym(handle, net_plugin_entry));
          if (!entry)
            {
              tried += "\n  " + path + ": no entry point " + net_plugin_entry;
              continue;
            }
          const NetPluginApi *api = entry();
          if (std::string(api->version) != CHIPTHERM_VERSION)
            {
              tried += "\n  " + path + ": built for chiptherm " + api->version + ", this is " + CHIPTHERM_VERSION;
              continue;
            }
          return *api; // the handle stays open for the life of the process
        }
      throw std::runtime_error("the learned predictor's library (LibTorch) could not be opened; tried:" + tried +
                               "\n  (rebuild, or set CHIPTHERM_AI_PLUGIN to the file)");
    }
  } // namespace

  const NetPluginApi &net_plugin()
  {
    static const NetPluginApi &api = load();
    return api;
  }
} // namespace chiptherm::ai_predictor
