#include "machine_memory.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include <unistd.h>

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

    /// The kB figure of the first line of path starting with field ("MemAvailable:"), in bytes; 0 when absent.
    std::uint64_t kib_field(const char *path, const std::string &field)
    {
      std::ifstream in(path);
      std::string   line;
      while (std::getline(in, line))
        if (line.rfind(field, 0) == 0)
          {
            std::istringstream fields(line.substr(field.size()));
            std::uint64_t      kib = 0;
            fields >> kib;
            return kib * 1024;
          }
      return 0;
    }

    /// The environment variable `name`, a number of megabytes >= 0, in bytes;
    /// -1 when unset or not such a number.
    double bytes_from_megabytes_variable(const char *name)
    {
      const char *mb = std::getenv(name);
      if (!mb)
        return -1;
      char        *end   = nullptr;
      const double value = std::strtod(mb, &end);
      return end != mb && *end == '\0' && value >= 0 ? value * 1024 * 1024 : -1;
    }

    /// MemAvailable, capped by CHIPTHERM_MEMORY_AVAILABLE_MB when set (a test's
    /// smaller machine, whatever else runs beside it).
    std::uint64_t mem_available()
    {
      std::uint64_t bytes = kib_field("/proc/meminfo", "MemAvailable:");
      const double cap = bytes_from_megabytes_variable("CHIPTHERM_MEMORY_AVAILABLE_MB");
      return cap >= 0 ? std::min(bytes, std::uint64_t(cap)) : bytes;
    }

    /// The cgroup's memory limit and usage files: v2, then v1.
    const std::pair<const char *, const char *> cgroup_files[] = {
      {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"},
      {"/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes"}};
  } // namespace

  std::uint64_t usable_memory_bytes()
  {
    std::uint64_t usable = mem_available();
    for (const auto &files : cgroup_files)
      if (const std::uint64_t bytes = number_in(files.first); bytes > 0)
        usable = usable == 0 ? bytes : std::min(usable, bytes);
    return usable;
  }

  std::uint64_t memory_headroom_bytes()
  {
    std::uint64_t headroom = mem_available();
    for (const auto &[limit_file, usage_file] : cgroup_files)
      if (const std::uint64_t limit = number_in(limit_file); limit > 0)
        {
          const std::uint64_t usage = number_in(usage_file);
          const std::uint64_t left  = usage < limit ? limit - usage : 0;
          headroom                  = headroom == 0 ? left : std::min(headroom, left);
        }
    return headroom;
  }

  double memory_reserve_bytes()
  {
    const double reserve = bytes_from_megabytes_variable("CHIPTHERM_MEMORY_RESERVE_MB");
    return reserve >= 0 ? reserve : 256.0 * 1024 * 1024;
  }

  std::uint64_t process_resident_bytes()
  {
    std::ifstream in("/proc/self/statm");
    std::uint64_t size = 0, resident = 0;
    return in >> size >> resident ? resident * std::uint64_t(sysconf(_SC_PAGESIZE)) : 0;
  }

  std::uint64_t process_peak_resident_bytes() { return kib_field("/proc/self/status", "VmHWM:"); }
} // namespace chiptherm
