// The only place that talks to MPI for scheduling: rank and size, a shared task counter for dynamic
// load balancing (one-sided fetch-and-add on rank 0), barriers and whole-job abort.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace ptmc {

class MpiSession {
 public:
  // MPI_Init_thread asking for MPI_THREAD_MULTIPLE (the walkers of a pattern-split group talk from
  // their own threads); finalizes in the destructor.
  MpiSession(int* argc, char*** argv);
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

// Reductions of one integer over all ranks (the value itself without MPI).
int mpi_max(int value);
int mpi_min(int value);
int mpi_sum(int value);
// The ranks that share this rank's node (its memory), this one included; 1 without MPI.
int mpi_node_ranks();

// True when MPI was started with MPI_THREAD_MULTIPLE (several threads may call MPI at once).
bool mpi_thread_multiple();

// The ranks that run one task together: the task's R x T walkers are dealt round-robin over them
// (walker w belongs to group rank w mod size). Collectives keep every rank's view identical:
// arrays where each rank filled only its own walkers' entries (zeros elsewhere) are summed, which is
// exact, so the results do not depend on the group size. A group of one does no communication.
class TaskGroup {
 public:
  explicit TaskGroup(int ranks_per_task);  // collective over all ranks; size must divide the rank count
  ~TaskGroup();
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool leader() const { return rank_ == 0; }
  bool owns(std::int64_t walker) const { return walker % size_ == rank_; }

  std::int64_t share(std::int64_t value) const;  // the leader's value, on every rank of the group
  void sum(std::span<double> values) const;       // in place, over the group
  void sum(std::span<std::int64_t> values) const;
  void sum(std::span<std::int8_t> values) const;
  // The owner's bytes on every rank (sizes may differ before the call).
  void broadcast(std::vector<std::uint8_t>& bytes, int owner) const;
  // The same ranks on a communicator of their own (collective over the group): walkers that talk
  // at the same time from several threads each use one.
  std::unique_ptr<TaskGroup> duplicate() const;
  // Concatenates every rank's block, in group rank order, into `all` (counts[r]: rank r's block size).
  void gather(std::span<const std::int64_t> mine, std::span<std::int64_t> all, std::span<const int> counts) const;

 private:
  void* comm_ = nullptr;  // MPI_Comm, opaque here
  int rank_ = 0, size_ = 1;
};

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

// One integer on rank 0 that any rank raises and every rank reads, one-sided (no matching call on
// rank 0): a signal that reached one rank stops every rank. Collective to create and to destroy.
class StopBoard {
 public:
  StopBoard();
  ~StopBoard();
  StopBoard(const StopBoard&) = delete;
  StopBoard& operator=(const StopBoard&) = delete;
  void raise(int value);  // the board keeps the largest value raised
  int read();

 private:
  void* win_ptr_ = nullptr;  // MPI_Win, opaque here
  int* base_ = nullptr;
  int local_ = 0;  // used when MPI is not initialised
};

// Three integers on rank 0 that every rank adds to and rank 0 reads, one-sided: the whole run's
// progress (sweeps done, sweeps added by auto_extend, sweeps done before a resume). Collective to
// create and to destroy.
class ProgressBoard {
 public:
  ProgressBoard();
  ~ProgressBoard();
  ProgressBoard(const ProgressBoard&) = delete;
  ProgressBoard& operator=(const ProgressBoard&) = delete;
  void add(const std::int64_t (&values)[3]);
  void read(std::int64_t (&values)[3]);

 private:
  void* win_ptr_ = nullptr;  // MPI_Win, opaque here
  std::int64_t* base_ = nullptr;
  std::int64_t local_[3] = {0, 0, 0};  // used without MPI or on one rank
};

}  // namespace ptmc
