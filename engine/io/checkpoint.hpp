// Checkpoint files: one per running task, written atomically (temporary file, fsync, rename, fsync
// of the directory), so that after any crash the file on disk is either the old or the new state.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/task.hpp"

namespace ptmc {

struct Checkpoint {
  TaskId task;
  std::uint64_t fingerprint = 0;  // of the parameter file: a checkpoint only resumes its own run
  std::int64_t sweeps = 0;        // sweeps done when it was taken
  std::vector<std::uint8_t> state;
};

std::string checkpoint_file(const std::string& dir, const TaskId& id);
void write_checkpoint(const std::string& path, const Checkpoint& c);
// nullopt when there is no file; throws when the file is corrupt or belongs to another run.
std::optional<Checkpoint> read_checkpoint(const std::string& path, std::uint64_t fingerprint);

// FNV-1a 64-bit hash, for fingerprints and payload checksums.
std::uint64_t fnv1a(const void* data, std::size_t size, std::uint64_t h = 0xcbf29ce484222325ULL);

}  // namespace ptmc
