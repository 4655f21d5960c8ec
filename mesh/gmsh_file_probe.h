#pragma once
// Gmsh 4.8's MSH reader trusts the file it reads: a damaged .msh (bytes inserted
// into a binary file, a count scaled up) made it crash (SIGSEGV looking up a node
// tag past its table) or allocate gigabytes, taking chiptherm down with it
// (tests/robustness/corrupt_inputs.py, scenario gmsh-mesh). A child process reads
// the file first, under memory and CPU limits (sized from the file); only a file it read cleanly is
// opened by chiptherm itself. No MPI here: the caller probes on one rank.
#include <string>

namespace chiptherm::mesh
{
  /// Empty when Gmsh reads path cleanly in a child process; otherwise why not
  /// ("Gmsh crashed reading it (signal 11)", "... needed more than N GB", ...).
  /// When no child can be started the file is not probed (empty).
  std::string probe_gmsh_file(const std::string &path);
} // namespace chiptherm::mesh
