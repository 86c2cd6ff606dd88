#include "engine/runner.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <hdf5.h>
#include <omp.h>

#include "engine/mpi_context.hpp"
#include "engine/summary.hpp"

namespace ptmc {

namespace {

std::string part_file(const std::string& output, int rank) { return fmt::format("{}.part{}", output, rank); }

// Prints one progress line to stderr at most every two seconds (rank 0 only).
class Progress {
 public:
  Progress(bool enabled, std::int64_t tasks) : enabled_(enabled), tasks_(tasks) {}
  void task_started(std::int64_t task) { started_ = task + 1; }
  void update(const TaskId& id, std::int64_t sweep, std::int64_t total) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
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
  std::chrono::steady_clock::time_point last_{};
};

void copy_samples(const std::string& part, OutputFile& out) {
  h5::Handle src = h5::open_file(part, h5::Mode::read);
  if (!h5::exists(src, "points")) return;
  h5::Handle points = h5::open_group(src, "points");
  for (const auto& p : h5::children(points)) {
    const std::string from = "points/" + p + "/samples";
    if (!h5::exists(src, from)) continue;
    h5::Handle samples = h5::open_group(src, from);
    h5::Handle dst = h5::create_group(out.handle(), from);
    for (const auto& s : h5::children(samples)) {
      if (H5Ocopy(samples.id(), s.c_str(), dst.id(), s.c_str(), H5P_DEFAULT, H5P_DEFAULT) < 0)
        throw std::runtime_error(fmt::format("HDF5: cannot merge {}/{} from {}", from, s, part));
    }
  }
}

}  // namespace

void summarize_file(const std::string& path) {
  h5::Handle f = h5::open_file(path, h5::Mode::read_write);
  h5::Handle points = h5::open_group(f, "points");
  for (const auto& p : h5::children(points)) {
    h5::Handle g = h5::open_group(points, p);
    write_point_summary(g, compute_point_summary(g));
  }
  h5::flush(f);
}

int run_sweep(const Config& cfg, const ModelEntry& model, const RunOptions& options) {
  const int rank = mpi_rank(), size = mpi_size();
  const std::int64_t tasks = static_cast<std::int64_t>(cfg.points.size()) * cfg.run.samples;
  const std::string path = rank == 0 ? options.output : part_file(options.output, rank);
  if (rank == 0) {
    const auto parent = std::filesystem::path(options.output).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    std::fprintf(stderr, "[ptmc] %s: %zu point(s) x %lld sample(s) = %lld task(s) on %d rank(s) x %d thread(s) -> %s\n",
                 cfg.model_name.c_str(), cfg.points.size(), static_cast<long long>(cfg.run.samples),
                 static_cast<long long>(tasks), size, omp_get_max_threads(), options.output.c_str());
  }
  mpi_barrier();  // the output directory exists before any rank creates its part file
  {
    OutputFile out(path, h5::Mode::create);
    out.write_header(cfg, "monte_carlo");
    for (std::size_t p = 0; p < cfg.points.size(); ++p) out.write_point(cfg, p, model.attributes(cfg.point_reader(p)));
    out.flush();
    Progress progress(rank == 0 && !options.quiet, tasks);
    auto recorder = out.recorder(cfg.output.flush_seconds, [&](const TaskId& id, std::int64_t s, std::int64_t n) {
      progress.update(id, s, n);
    });
    TaskCounter counter;
    try {
      for (std::int64_t task = counter.next(); task < tasks; task = counter.next()) {
        progress.task_started(task);
        model.run_task(cfg, task_of(task, cfg.run.samples), *recorder);
      }
    } catch (const std::exception& e) {
      mpi_abort(fmt::format("run failed: {}", e.what()));
    }
    progress.done();
    out.flush();
  }
  mpi_barrier();  // every part file is complete and closed
  if (rank == 0) {
    try {
      OutputFile out(options.output, h5::Mode::read_write);
      for (int r = 1; r < size; ++r) {
        copy_samples(part_file(options.output, r), out);
        std::filesystem::remove(part_file(options.output, r));
      }
      h5::Handle points = h5::open_group(out.handle(), "points");
      for (const auto& p : h5::children(points)) {
        h5::Handle g = h5::open_group(points, p);
        write_point_summary(g, compute_point_summary(g));
      }
      out.mark_end();
    } catch (const std::exception& e) {
      mpi_abort(fmt::format("writing the summary failed: {}", e.what()));
    }
    std::fprintf(stderr, "[ptmc] done: %s\n", options.output.c_str());
  }
  mpi_barrier();
  return 0;
}

}  // namespace ptmc
