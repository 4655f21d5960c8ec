#include "failure_on_ranks.h"

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>

namespace chiptherm::app
{
  bool every_rank_failed(MPI_Comm comm, double wait_s)
  {
    // A non-blocking barrier: it completes only when every rank has posted it,
    // i.e. failed too; a rank still computing or waiting in another collective
    // never posts it, and the wait runs out.
    MPI_Request request;
    if (MPI_Ibarrier(comm, &request) != MPI_SUCCESS)
      return false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(wait_s);
    for (;;)
      {
        int done = 0;
        MPI_Test(&request, &done, MPI_STATUS_IGNORE);
        if (done)
          return true;
        if (std::chrono::steady_clock::now() >= deadline)
          return false; // the request is abandoned: MPI_Abort follows
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
  }

  void abort_from_this_rank(MPI_Comm comm, const std::string &message, int exit_code)
  {
    int rank = 0, size = 1;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    std::cerr << "chiptherm: " << message << " (on rank " << rank << " of " << size
              << "; the other ranks did not fail with it, so the job is aborted)" << std::endl;
    MPI_Abort(comm, exit_code);
    std::abort(); // MPI_Abort does not return
  }
} // namespace chiptherm::app
