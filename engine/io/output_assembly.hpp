// The last step of a run: the running output (header, points, external links into OUT.tasks/)
// becomes the final, self-contained file. It is built under OUT.assembling, synced and renamed over
// OUT, and only then is the task folder removed, so a kill at any moment leaves either the running
// output with every task file, or the final one: `--resume` finishes the job from either.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "engine/io/h5.hpp"

namespace ptmc {

// The folder holding the task files and checkpoints of a run writing `output`.
inline std::string task_dir(const std::string& output) { return output + ".tasks"; }

// The task files (*.h5, not their .snap copies) in a run's task folder, sorted; none if it is missing.
std::vector<std::filesystem::path> task_files(const std::string& dir);

// True when the task file exists, opens and its sample is marked complete.
bool task_complete(const std::string& file);

// Copies every task file's sample group that can be read into `output` (replacing the external
// links), for summarize, perhaps while the run writes them: each is read by a child process, so a
// file caught mid-write costs a retry, then its checkpoint copy PATH.snap, then a warning, but never
// the reader.
void collect_task_files(const h5::Handle& output, const std::string& dir);

// The temporary name the final output is built under.
std::string assembling_file(const std::string& output);

enum class Assembly { done, stopped };

// Builds the final output from `output` and the task folder `dir` as described above. `stop` is
// asked between tasks: when it says yes the temporary file is removed and `stopped` returned, with
// `output` and `dir` untouched. Refuses (before writing anything) when the file system lacks the
// room, naming the path and the bytes needed and free.
Assembly assemble_output(const std::string& output, const std::string& dir, std::int64_t min_round_trips,
                         const std::function<bool()>& stop);

}  // namespace ptmc
