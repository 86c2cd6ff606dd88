// What a run may do with its output path. A run never replaces what is there without being told
// to: an earlier run's results, an interrupted run's task folder, a foreign file or the parameter
// file itself are refused with a message that says what is there and how to continue (--resume) or
// replace it (--overwrite). A lock file (OUT.lock, held with flock for the whole run) keeps a second
// run off an output that a first is writing.
#pragma once
#include <string>

namespace ptmc {

struct ExistingOutput {
  std::string what;        // in words ("out.h5 holds a finished ptmc run of x.toml (ended ...)"); "" when nothing is there
  bool resumable = false;  // an interrupted ptmc run: --resume continues it
};
// What is at `output` and its task folder now.
ExistingOutput describe_existing_output(const std::string& output, const std::string& task_dir);

// Throws with the reason when `output` cannot be written at all: it is a folder, or it is the
// parameter file. Checked before anything is created.
void check_output_path(const std::string& output, const std::string& parameter_file);

// Holds OUT.lock (created if missing, with this process's pid and host) until destroyed; throws
// naming the holder when another process holds it. Where the file system has no flock, it is
// taken as free.
class OutputLock {
 public:
  explicit OutputLock(const std::string& output);
  ~OutputLock();
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace ptmc
