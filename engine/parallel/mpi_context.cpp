#include "engine/parallel/mpi_context.hpp"

#include <algorithm>

#include <cstdio>
#include <mpi.h>

namespace ptmc {

namespace {
bool mpi_on() {
  int init = 0, fin = 0;
  MPI_Initialized(&init);
  MPI_Finalized(&fin);
  return init && !fin;
}
}  // namespace

namespace {
int thread_level = MPI_THREAD_SINGLE;  // what MPI_Init_thread provided
}

MpiSession::MpiSession(int* argc, char*** argv) {
  // MULTIPLE lets the threads of a rank run pattern-split walkers at once, each on its own communicator.
  MPI_Init_thread(argc, argv, MPI_THREAD_MULTIPLE, &thread_level);
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);
}

MpiSession::~MpiSession() {
  if (mpi_on()) MPI_Finalize();
}

int mpi_rank() {
  if (!mpi_on()) return 0;
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

int mpi_size() {
  if (!mpi_on()) return 1;
  int s = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &s);
  return s;
}

void mpi_barrier() {
  if (mpi_on()) MPI_Barrier(MPI_COMM_WORLD);
}

void mpi_abort(const std::string& message, int code) {
  std::fprintf(stderr, "ptmc: rank %d: %s\n", mpi_rank(), message.c_str());
  std::fflush(stderr);
  if (mpi_on() && mpi_size() > 1) MPI_Abort(MPI_COMM_WORLD, code);
  std::exit(code);
}

bool mpi_all(bool flag) {
  if (!mpi_on()) return flag;
  int local = flag ? 1 : 0, global = 0;
  MPI_Allreduce(&local, &global, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
  return global != 0;
}

namespace {
int reduce(int value, MPI_Op op) {
  if (!mpi_on()) return value;
  int out = value;
  MPI_Allreduce(&value, &out, 1, MPI_INT, op, MPI_COMM_WORLD);
  return out;
}
}  // namespace

int mpi_max(int value) { return reduce(value, MPI_MAX); }
int mpi_min(int value) { return reduce(value, MPI_MIN); }
int mpi_sum(int value) { return reduce(value, MPI_SUM); }

int mpi_node_ranks() {
  if (!mpi_on()) return 1;
  MPI_Comm node;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, mpi_rank(), MPI_INFO_NULL, &node);
  int n = 1;
  MPI_Comm_size(node, &n);
  MPI_Comm_free(&node);
  return n;
}

TaskGroup::TaskGroup(int ranks_per_task) {
  if (!mpi_on() || ranks_per_task <= 1) return;
  auto* comm = new MPI_Comm;
  const int world = mpi_rank();
  MPI_Comm_split(MPI_COMM_WORLD, world / ranks_per_task, world % ranks_per_task, comm);
  MPI_Comm_rank(*comm, &rank_);
  MPI_Comm_size(*comm, &size_);
  comm_ = comm;
}

bool mpi_thread_multiple() { return mpi_on() && thread_level >= MPI_THREAD_MULTIPLE; }

std::unique_ptr<TaskGroup> TaskGroup::duplicate() const {
  auto copy = std::unique_ptr<TaskGroup>(new TaskGroup(1));
  copy->rank_ = rank_;
  copy->size_ = size_;
  if (comm_) {
    auto* comm = new MPI_Comm;
    MPI_Comm_dup(*static_cast<MPI_Comm*>(comm_), comm);
    copy->comm_ = comm;
  }
  return copy;
}

TaskGroup::~TaskGroup() {
  if (!comm_) return;
  auto* comm = static_cast<MPI_Comm*>(comm_);
  if (mpi_on()) MPI_Comm_free(comm);
  delete comm;
}

std::int64_t TaskGroup::share(std::int64_t value) const {
  if (comm_) MPI_Bcast(&value, 1, MPI_INT64_T, 0, *static_cast<MPI_Comm*>(comm_));
  return value;
}

void TaskGroup::sum(std::span<double> v) const {
  if (comm_) MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.size()), MPI_DOUBLE, MPI_SUM, *static_cast<MPI_Comm*>(comm_));
}
void TaskGroup::sum(std::span<std::int64_t> v) const {
  if (comm_) MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.size()), MPI_INT64_T, MPI_SUM, *static_cast<MPI_Comm*>(comm_));
}
void TaskGroup::sum(std::span<std::int8_t> v) const {
  if (comm_) MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.size()), MPI_INT8_T, MPI_SUM, *static_cast<MPI_Comm*>(comm_));
}

void TaskGroup::broadcast(std::vector<std::uint8_t>& bytes, int owner) const {
  if (!comm_) return;
  auto comm = *static_cast<MPI_Comm*>(comm_);
  std::uint64_t n = bytes.size();
  MPI_Bcast(&n, 1, MPI_UINT64_T, owner, comm);
  bytes.resize(n);
  MPI_Bcast(bytes.data(), static_cast<int>(n), MPI_BYTE, owner, comm);
}

void TaskGroup::gather(std::span<const std::int64_t> mine, std::span<std::int64_t> all, std::span<const int> counts) const {
  if (!comm_) {
    std::copy(mine.begin(), mine.end(), all.begin());
    return;
  }
  std::vector<int> displs(counts.size(), 0);
  for (std::size_t r = 1; r < counts.size(); ++r) displs[r] = displs[r - 1] + counts[r - 1];
  MPI_Allgatherv(mine.data(), static_cast<int>(mine.size()), MPI_INT64_T, all.data(), counts.data(), displs.data(),
                 MPI_INT64_T, *static_cast<MPI_Comm*>(comm_));
}

TaskCounter::TaskCounter() {
  if (!mpi_on()) return;
  MPI_Win* win = new MPI_Win;
  const MPI_Aint bytes = mpi_rank() == 0 ? static_cast<MPI_Aint>(sizeof(std::int64_t)) : 0;
  MPI_Win_allocate(bytes, sizeof(std::int64_t), MPI_INFO_NULL, MPI_COMM_WORLD, &base_, win);
  if (mpi_rank() == 0) {
    MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, *win);
    *base_ = 0;
    MPI_Win_unlock(0, *win);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  win_ptr_ = win;
}

TaskCounter::~TaskCounter() {
  if (!win_ptr_) return;
  auto* win = static_cast<MPI_Win*>(win_ptr_);
  if (mpi_on()) MPI_Win_free(win);
  delete win;
}

std::int64_t TaskCounter::next() {
  if (!win_ptr_) return local_++;
  auto* win = static_cast<MPI_Win*>(win_ptr_);
  const std::int64_t one = 1;
  std::int64_t got = 0;
  MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, *win);
  MPI_Fetch_and_op(&one, &got, MPI_INT64_T, 0, 0, MPI_SUM, *win);
  MPI_Win_unlock(0, *win);
  return got;
}

StopBoard::StopBoard() {
  if (!mpi_on() || mpi_size() == 1) return;
  auto* win = new MPI_Win;
  const MPI_Aint bytes = mpi_rank() == 0 ? static_cast<MPI_Aint>(sizeof(int)) : 0;
  MPI_Win_allocate(bytes, sizeof(int), MPI_INFO_NULL, MPI_COMM_WORLD, &base_, win);
  if (mpi_rank() == 0) {
    MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, *win);
    *base_ = 0;
    MPI_Win_unlock(0, *win);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  win_ptr_ = win;
}

StopBoard::~StopBoard() {
  if (!win_ptr_) return;
  auto* win = static_cast<MPI_Win*>(win_ptr_);
  if (mpi_on()) MPI_Win_free(win);
  delete win;
}

void StopBoard::raise(int value) {
  if (!win_ptr_) {
    local_ = std::max(local_, value);
    return;
  }
  auto* win = static_cast<MPI_Win*>(win_ptr_);
  MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, *win);
  MPI_Accumulate(&value, 1, MPI_INT, 0, 0, 1, MPI_INT, MPI_MAX, *win);
  MPI_Win_unlock(0, *win);
}

int StopBoard::read() {
  if (!win_ptr_) return local_;
  auto* win = static_cast<MPI_Win*>(win_ptr_);
  int got = 0;
  MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, *win);
  MPI_Fetch_and_op(nullptr, &got, MPI_INT, 0, 0, MPI_NO_OP, *win);
  MPI_Win_unlock(0, *win);
  return got;
}

ProgressBoard::ProgressBoard() {
  if (!mpi_on() || mpi_size() == 1) return;
  auto* win = new MPI_Win;
  const MPI_Aint bytes = mpi_rank() == 0 ? static_cast<MPI_Aint>(3 * sizeof(std::int64_t)) : 0;
  MPI_Win_allocate(bytes, sizeof(std::int64_t), MPI_INFO_NULL, MPI_COMM_WORLD, &base_, win);
  if (mpi_rank() == 0) {
    MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, *win);
    std::fill(base_, base_ + 3, std::int64_t{0});
    MPI_Win_unlock(0, *win);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  win_ptr_ = win;
}

ProgressBoard::~ProgressBoard() {
  if (!win_ptr_) return;
  auto* win = static_cast<MPI_Win*>(win_ptr_);
  if (mpi_on()) MPI_Win_free(win);
  delete win;
}

void ProgressBoard::add(const std::int64_t (&values)[3]) {
  if (!win_ptr_) {
    for (int k = 0; k < 3; ++k) local_[k] += values[k];
    return;
  }
  auto* win = static_cast<MPI_Win*>(win_ptr_);
  MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, *win);
  MPI_Accumulate(values, 3, MPI_INT64_T, 0, 0, 3, MPI_INT64_T, MPI_SUM, *win);
  MPI_Win_unlock(0, *win);
}

void ProgressBoard::read(std::int64_t (&values)[3]) {
  if (!win_ptr_) {
    std::copy(local_, local_ + 3, values);
    return;
  }
  auto* win = static_cast<MPI_Win*>(win_ptr_);
  MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, *win);
  MPI_Get_accumulate(nullptr, 0, MPI_INT64_T, values, 3, MPI_INT64_T, 0, 0, 3, MPI_INT64_T, MPI_NO_OP, *win);
  MPI_Win_unlock(0, *win);
}

}  // namespace ptmc
