// The only place that talks to MPI for scheduling: rank and size, a shared task counter for dynamic
// load balancing (one-sided fetch-and-add on rank 0), barriers and whole-job abort.
#pragma once
#include <cstdint>
#include <string>

namespace ptmc {

class MpiSession {
 public:
  MpiSession(int* argc, char*** argv);  // MPI_Init_thread (funneled); finalizes in the destructor
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
};

int mpi_rank();
int mpi_size();
void mpi_barrier();
[[noreturn]] void mpi_abort(const std::string& message, int code = 1);
// Logical AND of a flag over all ranks (used so that one rank's bad input stops every rank).
bool mpi_all(bool flag);

// Hands out task numbers 0, 1, 2, ... across all ranks, each exactly once, first come first served.
class TaskCounter {
 public:
  TaskCounter();
  ~TaskCounter();
  TaskCounter(const TaskCounter&) = delete;
  TaskCounter& operator=(const TaskCounter&) = delete;
  std::int64_t next();

 private:
  void* win_ptr_ = nullptr;  // owns an MPI_Win; opaque here so that mpi.h stays out of headers
  std::int64_t* base_ = nullptr;
  std::int64_t local_ = 0;  // used when MPI is not initialised
};

}  // namespace ptmc
