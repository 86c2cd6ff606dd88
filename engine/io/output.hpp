// HDF5 output of a run: the root header, one group per sweep point, and a TaskRecorder per task that
// buffers measurements in memory and writes them in bursts (every flush_seconds and at the end) to
// the task's own file, so that files on disk are consistent between bursts and readable after a crash.
#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/params/config.hpp"
#include "engine/io/h5.hpp"
#include "engine/task.hpp"

namespace ptmc {

using Attributes = std::vector<std::pair<std::string, Scalar>>;

std::string point_group(std::size_t point);    // "points/p0003"
std::string sample_group(std::int64_t sample);  // "samples/s0001"
std::string iso_time_now();

class OutputFile {
 public:
  OutputFile(const std::string& path, h5::Mode mode);
  const h5::Handle& handle() const { return file_; }
  const std::string& path() const { return path_; }

  // Root attributes: version, git revision, parameter file text, seed, model, start time.
  void write_header(const Config& cfg, const std::string& kind);
  // A point group with its parameters (swept ones listed in the attribute "swept") and the ladder.
  void write_point(const Config& cfg, std::size_t point, const Attributes& attributes);
  void mark_end();
  void flush() { h5::flush(file_); }

  using ProgressFn = std::function<void(const TaskId&, std::int64_t sweep, std::int64_t total)>;

 private:
  std::string path_;
  h5::Handle file_;
};

// Each task streams into its own file, DIR/pPPPP-sSSSS.h5 (same group layout as the output file), in
// bursts every flush_seconds; the run's output collects the task files when they are complete.
std::string task_file(const std::string& dir, const TaskId& id);
// The copy of a task file taken at each checkpoint (PATH.snap), from which a resumed task starts.
std::string snapshot_file(const std::string& task);
// The series are stored as output.series says (every measurement, or bins: see the README's HDF5
// layout), flushed every output.flush_seconds.
std::unique_ptr<TaskRecorder> task_file_recorder(const std::string& dir, const OutputConfig& output,
                                                 OutputFile::ProgressFn progress);
// The copy before the latest one (PATH.snap.prev), kept with binned series: bins cannot be cut back
// to an earlier measurement count, so a resume needs the copy taken with its own checkpoint.
std::string previous_snapshot_file(const std::string& task);

}  // namespace ptmc
