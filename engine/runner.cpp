#include "engine/runner.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <hdf5.h>
#include <omp.h>

#include "engine/checkpoint.hpp"
#include "engine/mpi_context.hpp"
#include "engine/stop_signals.hpp"
#include "engine/summary.hpp"

namespace ptmc {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// Prints one progress line to stderr at most every two seconds (rank 0 only).
class Progress {
 public:
  Progress(bool enabled, std::int64_t tasks) : enabled_(enabled), tasks_(tasks) {}
  void task_started(std::int64_t task) { started_ = task + 1; }
  void update(const TaskId& id, std::int64_t sweep, std::int64_t total) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (now - last_ < std::chrono::seconds(2) && sweep != total) return;
    last_ = now;
    std::fprintf(stderr, "\r[ptmc] task %lld/%lld  point %zu sample %lld  sweep %lld/%lld (%3.0f%%)   ",
                 static_cast<long long>(started_), static_cast<long long>(tasks_), id.point,
                 static_cast<long long>(id.sample), static_cast<long long>(sweep), static_cast<long long>(total),
                 100.0 * static_cast<double>(sweep) / static_cast<double>(total));
    std::fflush(stderr);
  }
  void done() {
    if (enabled_) std::fprintf(stderr, "\n");
  }

 private:
  bool enabled_;
  std::int64_t tasks_, started_ = 0;
  Clock::time_point last_{};
};

// Checkpoints on a timer, at a signal and before the wall-time limit; stops after the last two.
class Control final : public RunControl {
 public:
  Control(std::string dir, std::uint64_t fingerprint, double every, double max_time, Clock::time_point start,
          bool writes)
      : dir_(std::move(dir)), fingerprint_(fingerprint), every_(every), max_time_(max_time), start_(start),
        writes_(writes) {}
  void set_task(const TaskId& id) {
    id_ = id;
    last_ = Clock::now();
  }
  bool checkpoint_due() override {
    const auto now = Clock::now();
    return stop_requested() || std::chrono::duration<double>(now - last_).count() >= every_;
  }
  bool stop_requested() override {
    if (job_stop_signal() != 0) return true;  // this rank's, or another's
    // Leave a margin for the checkpoint and the final barrier: 2 % of the limit, at least 5 s.
    return max_time_ > 0 &&
           std::chrono::duration<double>(Clock::now() - start_).count() >= max_time_ - std::max(5.0, 0.02 * max_time_);
  }
  void save(std::int64_t sweeps, std::vector<std::uint8_t> state) override {
    if (writes_)
      write_checkpoint(checkpoint_file(dir_, id_), Checkpoint{id_, fingerprint_, sweeps, std::move(state)});
    last_ = Clock::now();
  }

 private:
  std::string dir_;
  std::uint64_t fingerprint_;
  double every_, max_time_;
  Clock::time_point start_, last_{};
  bool writes_;  // only a group's leader writes the checkpoint
  TaskId id_;
};

bool task_complete(const std::string& file) {
  if (!fs::exists(file)) return false;
  try {
    h5::Handle f = h5::open_file(file, h5::Mode::read);
    if (!h5::exists(f, "points")) return false;
    h5::Handle points = h5::open_group(f, "points");
    for (const auto& p : h5::children(points)) {
      h5::Handle samples = h5::open_group(points, p + "/samples");
      for (const auto& s : h5::children(samples)) {
        h5::Handle g = h5::open_group(samples, s);
        return h5::has_attr(g, "complete") && h5::read_attr_int(g, "complete") == 1;
      }
    }
  } catch (const std::exception&) {
  }
  return false;  // unreadable: the task starts again
}

std::uint64_t fingerprint(const Config& cfg) {
  const std::string key = cfg.model_name + "\n" + cfg.text;
  return fnv1a(key.data(), key.size());
}

void prepare_output(const Config& cfg, const ModelEntry& model, const RunOptions& options, const std::string& dir) {
  const auto parent = fs::path(options.output).parent_path();
  if (!parent.empty()) fs::create_directories(parent);
  if (options.resume) {
    if (!fs::exists(options.output))
      throw std::runtime_error(fmt::format("--resume: {} does not exist (nothing to resume)", options.output));
    OutputFile out(options.output, h5::Mode::read);
    if (h5::read_attr_string(out.handle(), "parameter_text") != cfg.text)
      throw std::runtime_error(fmt::format("--resume: {} was written by a different parameter file", options.output));
    if (h5::has_attr(out.handle(), "end_time") && !fs::exists(dir))
      throw std::runtime_error(fmt::format("--resume: {} is already complete", options.output));
    fs::create_directories(dir);
    return;
  }
  fs::remove_all(dir);
  fs::create_directories(dir);
  OutputFile out(options.output, h5::Mode::create);
  out.write_header(cfg, "monte_carlo");
  for (std::size_t p = 0; p < cfg.points.size(); ++p) out.write_point(cfg, p, model.attributes(cfg.point_reader(p)));
  // While the run goes on (or after a crash), OUT shows every task's data through external links to
  // the task files; at the end the links are replaced by copies and the task files removed.
  const std::string rel = fs::path(dir).filename().string();
  for (std::size_t p = 0; p < cfg.points.size(); ++p)
    for (std::int64_t s = 0; s < cfg.run.samples; ++s) {
      const TaskId id{p, s};
      const std::string group = point_group(p) + "/" + sample_group(s);
      h5::external_link(out.handle(), group, rel + "/" + fs::path(task_file(dir, id)).filename().string(), group);
    }
  out.flush();
}

std::unique_ptr<TaskRecorder> null_recorder() { return std::make_unique<NullRecorder>(); }

// Ranks per task group: as configured (it must divide the rank count: 0 is returned otherwise), or
// with ranks_per_task = 0 the largest divisor of the rank count that is at most ranks / tasks (spare
// ranks join groups only when there are more ranks than tasks) and at most the task's walkers.
int ranks_per_task(const Config& cfg, int size, std::int64_t tasks) {
  if (cfg.run.ranks_per_task > 0) return size % cfg.run.ranks_per_task == 0 ? cfg.run.ranks_per_task : 0;
  const std::int64_t walkers = static_cast<std::int64_t>(cfg.tempering.replicas) *
                               static_cast<std::int64_t>(cfg.tempering.beta.size());
  const std::int64_t cap = std::min<std::int64_t>(walkers, std::max<std::int64_t>(1, size / std::max<std::int64_t>(tasks, 1)));
  int best = 1;
  for (int g = 1; g <= cap; ++g)
    if (size % g == 0) best = g;
  return best;
}

}  // namespace

std::string task_dir(const std::string& output) { return output + ".tasks"; }

void collect_task_files(const h5::Handle& output, const std::string& dir, bool complete_only) {
  if (!fs::exists(dir)) return;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".h5") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    if (complete_only && !task_complete(file.string())) continue;
    h5::Handle src = h5::open_file(file.string(), h5::Mode::read);
    h5::Handle points = h5::open_group(src, "points");
    for (const auto& p : h5::children(points)) {
      const std::string from = "points/" + p + "/samples";
      h5::Handle samples = h5::open_group(src, from);
      h5::Handle dst = h5::create_group(output, from);
      for (const auto& s : h5::children(samples)) {
        if (h5::exists(dst, s)) H5Ldelete(dst.id(), s.c_str(), H5P_DEFAULT);
        if (H5Ocopy(samples.id(), s.c_str(), dst.id(), s.c_str(), H5P_DEFAULT, H5P_DEFAULT) < 0)
          throw std::runtime_error(fmt::format("HDF5: cannot copy {}/{} from {}", from, s, file.string()));
      }
    }
  }
}

int run_sweep(const Config& cfg, const ModelEntry& model, const RunOptions& options) {
  const auto start = Clock::now();
  const int rank = mpi_rank(), size = mpi_size();
  const std::int64_t tasks = static_cast<std::int64_t>(cfg.points.size()) * cfg.run.samples;
  const std::string dir = task_dir(options.output);
  if (rank == 0) {
    std::fprintf(stderr, "[ptmc] %s: %zu point(s) x %lld sample(s) = %lld task(s) on %d rank(s) x %d thread(s) -> %s%s\n",
                 cfg.model_name.c_str(), cfg.points.size(), static_cast<long long>(cfg.run.samples),
                 static_cast<long long>(tasks), size, omp_get_max_threads(), options.output.c_str(),
                 options.resume ? " (resuming)" : "");
  }
  bool ok = true;
  std::string problem;
  if (rank == 0) {
    try {
      prepare_output(cfg, model, options, dir);
    } catch (const std::exception& e) {
      ok = false;
      problem = e.what();
    }
  }
  if (!mpi_all(ok)) {
    if (rank == 0) std::fprintf(stderr, "ptmc: error: %s\n", problem.c_str());
    return 1;
  }

  const int per_task = ranks_per_task(cfg, size, tasks);
  if (per_task < 1) {
    if (rank == 0)
      std::fprintf(stderr, "ptmc: error: %s: [run] ranks_per_task = %d does not divide the %d MPI ranks\n",
                   cfg.path.c_str(), cfg.run.ranks_per_task, size);
    return 2;
  }
  TaskGroup group(per_task);
  if (rank == 0 && per_task > 1)
    std::fprintf(stderr, "[ptmc] %d rank(s) per task: %s\n", per_task,
                 cfg.run.split == GroupSplit::patterns ? "each holds a slice of every walker's patterns"
                                                       : "each task's walkers are dealt over the group");
  SignalGuard signals;
  SharedStop shared_stop;  // a signal that reaches one rank stops every rank
  Control control(dir, fingerprint(cfg), cfg.output.checkpoint_seconds, options.max_time, start, group.leader());
  Progress progress(rank == 0 && !options.quiet, tasks);
  // Only a group's leader writes; the other ranks of a group compute and record nothing.
  auto recorder = group.leader() ? task_file_recorder(dir, cfg.output.flush_seconds,
                                                      [&](const TaskId& id, std::int64_t s, std::int64_t n) {
                                                        progress.update(id, s, n);
                                                      })
                                 : null_recorder();
  bool stopped = false;
  {
    TaskCounter counter;
    try {
      for (;;) {
        const std::int64_t task = group.share(group.leader() ? counter.next() : 0);
        if (task >= tasks) break;
        const TaskId id = task_of(task, cfg.run.samples);
        progress.task_started(task);
        if (group.share(options.resume && group.leader() && task_complete(task_file(dir, id)))) continue;
        if (group.share(control.stop_requested())) {
          stopped = true;  // this task is left for --resume
          break;
        }
        std::vector<std::uint8_t> state;
        bool have_state = false;
        if (options.resume && group.leader()) {
          if (auto ckpt = read_checkpoint(checkpoint_file(dir, id), fingerprint(cfg))) {
            state = std::move(ckpt->state);
            have_state = true;
          }
        }
        if (group.share(have_state)) group.broadcast(state, 0);
        control.set_task(id);
        try {
          model.run_task(cfg, id, *recorder, &control, !state.empty() ? &state : nullptr, &group);
        } catch (const TaskStopped&) {
          stopped = true;
          break;
        }
        if (group.leader()) fs::remove(checkpoint_file(dir, id));
      }
    } catch (const std::exception& e) {
      mpi_abort(fmt::format("run failed: {}", e.what()));
    }
  }
  recorder.reset();
  progress.done();
  const bool finished = mpi_all(!stopped);
  if (!finished) {
    const std::string why = job_stop_reason();  // collective
    if (rank == 0)
      std::fprintf(stderr, "[ptmc] stopped at a checkpoint (%s); continue with: ptmc run %s --resume -o %s\n",
                   why.empty() ? "--max-time" : why.c_str(), cfg.path.c_str(), options.output.c_str());
    return exit_checkpointed;
  }
  if (rank == 0) {
    try {
      {
        OutputFile out(options.output, h5::Mode::read_write);
        collect_task_files(out.handle(), dir, true);
        h5::Handle points = h5::open_group(out.handle(), "points");
        for (const auto& p : h5::children(points)) {
          h5::Handle g = h5::open_group(points, p);
          write_point_summary(g, compute_point_summary(g, cfg.run.min_round_trips));
          write_overlap_distribution(g);
        }
        out.mark_end();
      }  // closed and complete before the task files go
      fs::remove_all(dir);
    } catch (const std::exception& e) {
      mpi_abort(fmt::format("writing the output failed: {}", e.what()));
    }
    std::fprintf(stderr, "[ptmc] done: %s\n", options.output.c_str());
  }
  mpi_barrier();
  return 0;
}

}  // namespace ptmc
