#include "gmsh_file_probe.h"

#include "common/machine_memory.h"

#include <gmsh.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <cstdio>
#include <new>

namespace chiptherm::mesh
{
  namespace
  {
    constexpr rlim_t cpu_limit_s = 300;
    // The child's exit codes.
    constexpr int refused = 3, out_of_memory = 4;

    /// The child's address-space limit: 512 MB plus 64 bytes per byte of the file
    /// (Gmsh holds a node or a hexahedron in about 2-3 times its binary record),
    /// at most what the machine can give.
    rlim_t memory_limit_bytes(const std::string &path)
    {
      std::error_code     ec;
      const auto          size   = std::filesystem::file_size(path, ec);
      const std::uint64_t need   = (std::uint64_t(512) << 20) + 64 * std::uint64_t(ec ? 0 : size);
      const std::uint64_t usable = usable_memory_bytes();
      return rlim_t(usable > 0 && usable < need ? usable : need);
    }

    [[noreturn]] void read_in_child(const std::string &path, rlim_t memory)
    {
#if !defined(__SANITIZE_ADDRESS__) // AddressSanitizer reserves terabytes of address space
      const rlimit as{memory, memory};
      setrlimit(RLIMIT_AS, &as);
#else
      (void)memory;
#endif
      const rlimit cpu{cpu_limit_s, cpu_limit_s};
      setrlimit(RLIMIT_CPU, &cpu);
      try
        {
          gmsh::initialize();
          gmsh::option::setNumber("General.Terminal", 0);
          gmsh::option::setNumber("General.Verbosity", 0);
          gmsh::open(path);
        }
      catch (const std::bad_alloc &)
        {
          _exit(out_of_memory);
        }
      catch (...)
        {
          _exit(refused); // chiptherm's own read reports Gmsh's message
        }
      _exit(0);
    }
  } // namespace

  std::string probe_gmsh_file(const std::string &path)
  {
    const rlim_t memory = memory_limit_bytes(path);
    std::fflush(stdout);
    std::fflush(stderr);
    const pid_t child = fork();
    if (child == 0)
      read_in_child(path, memory);
    if (child < 0)
      return "";
    int status = 0;
    while (waitpid(child, &status, 0) < 0)
      ;
    if (WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == refused))
      return ""; // read, or refused with a message chiptherm's own read gives
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU)
      return "Gmsh did not finish reading it within " + std::to_string(cpu_limit_s) + " s of CPU time";
    if (WIFSIGNALED(status))
      return "Gmsh crashed reading it (signal " + std::to_string(WTERMSIG(status)) + "): the file is damaged";
    if (WIFEXITED(status) && WEXITSTATUS(status) != out_of_memory)
      return "Gmsh stopped reading it (exit code " + std::to_string(WEXITSTATUS(status)) + "): the file is damaged";
    char text[160];
    std::snprintf(text, sizeof text, "Gmsh could not read it within %.1f GB of memory: the file is damaged or too large",
                  double(memory) / double(1u << 30));
    return text;
  }
} // namespace chiptherm::mesh
