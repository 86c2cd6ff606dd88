// Writing files so that a crash, a kill or a full disk never leaves a half-written file under its
// final name: copies and writes go to a temporary name, are synced, then renamed (and the directory
// synced). Every failure is a std::runtime_error naming the path and the system's reason
// ("No space left on device"), and the temporary file is removed.
#pragma once
#include <cstdint>
#include <span>
#include <string>

namespace ptmc {

// Copies `from` to `to` through `to`.tmp, synced and renamed: `to` is the old file or a whole copy.
void copy_file_durably(const std::string& from, const std::string& to);
// Writes `bytes` to `path` through `path`.tmp, synced and renamed.
void write_file_durably(const std::string& path, std::span<const std::uint8_t> bytes);
// fsync of a file, and of the directory holding `path` (so that a rename in it is durable).
void sync_file(const std::string& path);
void sync_parent_dir(const std::string& path);
// Bytes free to an unprivileged writer on the file system holding `path` (or its parent folder).
std::uint64_t free_bytes(const std::string& path);
// "12.3 MB"
std::string human_bytes(std::uint64_t bytes);

}  // namespace ptmc
