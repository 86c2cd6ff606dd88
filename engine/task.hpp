// The unit of work: one sweep point and one disorder sample, with R chains x T temperatures.
// What a task reports as it runs (TaskRecorder) is separate from how it is stored (HDF5 writer).
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ptmc {

struct TaskId {
  std::size_t point = 0;
  std::int64_t sample = 0;
};

// Tasks are numbered point-major: task = point * samples + sample.
inline TaskId task_of(std::int64_t task, std::int64_t samples) {
  return TaskId{static_cast<std::size_t>(task / samples), task % samples};
}

struct SeriesLayout {
  std::vector<std::string> names;  // scalar series, each stored per temperature
  int temperatures = 1;
  int replicas = 1;
  std::vector<std::string> vector_names;  // per-pattern vectors (chain 0), may be empty
  std::size_t vector_length = 0;
  int histogram_bins = 0;
};

struct TaskFinal {
  std::vector<std::int64_t> histogram;       // [T][bins] P(q) counts over all replica pairs
  std::vector<std::int64_t> pair_attempts;   // [R][T-1]
  std::vector<std::int64_t> pair_accepts;    // [R][T-1]
  std::vector<std::int64_t> round_trips;     // [R][T] per configuration
  std::vector<double> up_fraction;           // [T] fraction of labelled walkers moving up (from hot)
  std::int64_t swap_rounds = 0;
  std::int64_t sweeps = 0;
  double seconds = 0;
  double sweep_seconds = 0;  // of `seconds`, the time spent sweeping walkers (the rest: swaps, measurements, output)
};

class TaskRecorder {
 public:
  virtual ~TaskRecorder() = default;
  virtual void begin(const TaskId& id, const SeriesLayout& layout) = 0;
  // Continues a task from a checkpoint taken after `measurements` rows (and `vector_rows` vector rows):
  // anything stored beyond them is discarded.
  virtual void resume(const TaskId& id, const SeriesLayout& layout, std::int64_t measurements,
                      std::int64_t vector_rows) = 0;
  // Makes everything recorded so far durable (called before a checkpoint is written).
  virtual void flush() = 0;
  // One measurement: scalars [names][T] and the walk, the temperature index of each configuration [R][T].
  virtual void record(std::span<const double> scalars, std::span<const std::int32_t> walk) = 0;
  // Per-pattern vectors [T][names][length] of chain 0, tagged with the measurement index.
  virtual void record_vectors(std::int64_t measurement, std::span<const double> values) = 0;
  virtual void progress(std::int64_t sweep, std::int64_t total) = 0;
  virtual void finish(const TaskFinal& final) = 0;
};

// Records nothing (ranks of a task group other than its leader); derive to keep only some parts.
class NullRecorder : public TaskRecorder {
 public:
  void begin(const TaskId&, const SeriesLayout&) override {}
  void resume(const TaskId&, const SeriesLayout&, std::int64_t, std::int64_t) override {}
  void flush() override {}
  void record(std::span<const double>, std::span<const std::int32_t>) override {}
  void record_vectors(std::int64_t, std::span<const double>) override {}
  void progress(std::int64_t, std::int64_t) override {}
  void finish(const TaskFinal&) override {}
};

// How a running task is steered from outside: checkpoints (on a timer or a signal) and stops.
// Polled at sweep boundaries, so a checkpoint always holds a whole number of sweeps.
class RunControl {
 public:
  virtual ~RunControl() = default;
  virtual bool checkpoint_due() = 0;
  // The task's full state after `sweeps` sweeps; the recorder has been flushed just before.
  virtual void save(std::int64_t sweeps, std::vector<std::uint8_t> state) = 0;
  virtual bool stop_requested() = 0;  // checked after a checkpoint: stop the task there
};

// Thrown out of a task that stopped at a checkpoint on request (signal or wall-time limit).
struct TaskStopped {};

}  // namespace ptmc
