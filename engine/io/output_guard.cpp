#include "engine/io/output_guard.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/io/h5.hpp"
#include "engine/io/output_assembly.hpp"

namespace ptmc {

namespace fs = std::filesystem;

namespace {

bool is_hdf5(const std::string& path) {
  static constexpr char signature[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
  char head[8] = {};
  std::ifstream in(path, std::ios::binary);
  in.read(head, sizeof head);
  return in.gcount() == 8 && std::memcmp(head, signature, 8) == 0;
}

std::string describe_task_folder(const std::string& dir) {
  const auto files = task_files(dir);
  const auto complete = std::count_if(files.begin(), files.end(), [](const fs::path& f) { return task_complete(f.string()); });
  return fmt::format("{} task file(s), {} complete, in {}", files.size(), complete, dir);
}

}  // namespace

ExistingOutput describe_existing_output(const std::string& output, const std::string& task_dir) {
  const bool file = fs::exists(output), folder = fs::is_directory(task_dir);
  if (!file && !folder) return {};
  if (!file) return {"there is no " + output + ", but an interrupted run left " + describe_task_folder(task_dir), false};
  if (!is_hdf5(output)) return {fmt::format("{} exists and is not an HDF5 file ({} bytes)", output, fs::file_size(output)), false};
  try {
    h5::Handle f = h5::open_file(output, h5::Mode::read);
    if (!h5::has_attr(f, "ptmc_version")) return {output + " exists and is an HDF5 file not written by ptmc", false};
    const std::string kind = h5::has_attr(f, "kind") ? h5::read_attr_string(f, "kind") : "?";
    const std::string source = h5::has_attr(f, "parameter_file") ? h5::read_attr_string(f, "parameter_file") : "?";
    const std::string end = h5::has_attr(f, "end_time") ? h5::read_attr_string(f, "end_time") : "(running)";
    if (kind == "theory") return {fmt::format("{} holds ptmc theory curves of {}", output, source), false};
    if (end != "(running)") return {fmt::format("{} holds a finished ptmc run of {} (ended {})", output, source, end), false};
    return {fmt::format("{} holds an interrupted ptmc run of {}, with {}", output, source,
                        folder ? describe_task_folder(task_dir) : "its task folder " + task_dir + " missing"),
            true};
  } catch (const std::exception&) {
    return {output + " exists and is an HDF5 file that cannot be read (corrupt?)", false};
  }
}

void check_output_path(const std::string& output, const std::string& parameter_file) {
  if (fs::is_directory(output))
    throw std::runtime_error(fmt::format("the output {} is a folder; give a file name, such as {}/out.h5", output,
                                         fs::path(output).lexically_normal().string()));
  std::error_code ec;
  if (fs::exists(output) && fs::equivalent(output, parameter_file, ec))
    throw std::runtime_error(fmt::format("the output {} is the parameter file itself; choose another -o", output));
}

OutputLock::OutputLock(const std::string& output) : path_(output + ".lock") {
  for (;;) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw std::runtime_error(fmt::format("cannot create the lock file {}: {}", path_, std::strerror(errno)));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK) return;  // no flock on this file system: nothing to guard with
      std::ifstream in(path_);
      std::stringstream holder;
      holder << in.rdbuf();
      ::close(fd_);
      fd_ = -1;
      std::string who = holder.str();
      while (!who.empty() && (who.back() == '\n' || who.back() == ' ')) who.pop_back();
      throw std::runtime_error(fmt::format("another ptmc run ({}) is writing {}; wait for it to end or stop it first",
                                           who.empty() ? "unknown process" : who, output));
    }
    // The holder before us unlinks the file as it ends: the lock counts only on the file that is
    // still at the path.
    struct stat held {}, now {};
    if (::fstat(fd_, &held) == 0 && ::stat(path_.c_str(), &now) == 0 && held.st_ino == now.st_ino &&
        held.st_dev == now.st_dev)
      break;
    ::close(fd_);
  }
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  const std::string who = fmt::format("pid {} on {}\n", ::getpid(), host);
  if (::ftruncate(fd_, 0) == 0 && ::write(fd_, who.data(), who.size()) < 0) {
    // the pid is only informative
  }
}

OutputLock::~OutputLock() {
  if (fd_ < 0) return;
  ::unlink(path_.c_str());  // still holding it: a waiting run cannot take a file about to vanish
  ::close(fd_);
}

}  // namespace ptmc
