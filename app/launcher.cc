// The `chiptherm` command users run: it sets the C library's allocator
// tunables and replaces itself (exec, same process id, so mpirun and signals
// see one process) with chiptherm-engine from its own folder, which does the
// work. It links nothing but the C++ runtime, so it starts in about a
// millisecond; the engine's libraries (deal.II and its 200 dependencies) load
// once, after the exec.
//
// Why: glibc reads GLIBC_TUNABLES only when a process starts, so the engine
// cannot set them for itself. glibc.malloc.hugetlb=1 asks the kernel for
// transparent huge pages on the heap (madvise; the kernel's default mode on
// Debian). Sparse matrices, factors and vectors are then faulted in 2 MiB at
// a time instead of 4 KiB: on this project's 2-core VMs, 3D-ICE's transient
// test ran 1.19x faster and a 2.8 M-unknown steady solve 1.14x faster, at the
// same peak memory (docs/benchmarks.md, "Huge pages for the heap"). A run whose
// mesh needs much memory turns them off again (common/huge_pages.h: fresh huge
// pages are dear on VMs that back memory lazily).
// A tunable the user set already wins; so does CHIPTHERM_HUGE_PAGES=0.
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <unistd.h>

namespace
{
  std::string own_folder()
  {
    std::string path(4096, '\0');
    const auto  n = ::readlink("/proc/self/exe", path.data(), path.size() - 1);
    if (n <= 0)
      return ".";
    path.resize(std::size_t(n));
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? "." : path.substr(0, slash);
  }

  void ask_for_huge_pages()
  {
    if (const char *off = std::getenv("CHIPTHERM_HUGE_PAGES"); off && std::string(off) == "0")
      return;
    const char *given = std::getenv("GLIBC_TUNABLES");
    if (given && std::strstr(given, "glibc.malloc.hugetlb"))
      return;
    const std::string tunables =
      (given && *given ? std::string(given) + ":" : std::string()) + "glibc.malloc.hugetlb=1";
    setenv("GLIBC_TUNABLES", tunables.c_str(), 1);
  }
} // namespace

int main(int, char **argv)
{
  ask_for_huge_pages();
  const std::string engine = own_folder() + "/chiptherm-engine";
  execv(engine.c_str(), argv);
  std::cerr << "chiptherm: cannot start " << engine << ": " << std::strerror(errno)
            << " (chiptherm-engine belongs next to the chiptherm command; rebuild or reinstall)\n";
  return 127;
}
