#include "machine_memory.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

namespace chiptherm
{
  namespace
  {
    /// The first number in the file (0 when absent or "max").
    std::uint64_t number_in(const char *path)
    {
      std::ifstream in(path);
      std::uint64_t value = 0;
      return in >> value ? value : 0;
    }

    std::uint64_t mem_available()
    {
      std::ifstream in("/proc/meminfo");
      std::string   line;
      while (std::getline(in, line))
        if (line.rfind("MemAvailable:", 0) == 0)
          {
            std::istringstream fields(line.substr(13));
            std::uint64_t      kib = 0;
            fields >> kib;
            return kib * 1024;
          }
      return 0;
    }
  } // namespace

  std::uint64_t usable_memory_bytes()
  {
    std::uint64_t usable = mem_available();
    for (const char *limit : {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"})
      if (const std::uint64_t bytes = number_in(limit); bytes > 0)
        usable = usable == 0 ? bytes : std::min(usable, bytes);
    return usable;
  }
} // namespace chiptherm
