#pragma once
// An error caught on some ranks only must end the job, not hang it. Most
// errors are collective (every rank reads the same case and takes the same
// decisions), but a write that fails on one node (its disk full, its quota
// reached) or a check one rank makes before the others throws on that rank
// alone, while the others wait in their next collective call for ever (seen:
// the sweep's output-folder race, 2026-12-06, a 9-minute hang until the test's
// timeout). Every rank that caught an error asks every_rank_failed(), and
// when the answer is no, ends the job with abort_from_this_rank().
#include <mpi.h>

#include <string>

namespace chiptherm::app
{
  /// Collective among the ranks that failed: true when every rank of `comm`
  /// failed too (arrived here) within `wait_s` seconds; the caller then
  /// reports the error once, on rank 0, and returns its exit code. Otherwise
  /// this rank prints `message` with its rank number (rank 0 may be the one
  /// left waiting, so nobody else would print it) and ends every rank with
  /// MPI_Abort(exit_code), which mpirun returns as its own exit code.
  bool every_rank_failed(MPI_Comm comm, double wait_s);

  /// Prints "chiptherm: <message> (on rank R of N; the other ranks did not
  /// fail with it)" and aborts the job with exit_code. Does not return.
  [[noreturn]] void abort_from_this_rank(MPI_Comm comm, const std::string &message, int exit_code);
} // namespace chiptherm::app
