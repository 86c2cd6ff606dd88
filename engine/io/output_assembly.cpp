#include "engine/io/output_assembly.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <hdf5.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "engine/io/durable_file.hpp"
#include "engine/io/output.hpp"
#include "engine/io/summary.hpp"

namespace ptmc {

namespace fs = std::filesystem;

std::vector<fs::path> task_files(const std::string& dir) {
  std::vector<fs::path> files;
  if (!fs::exists(dir)) return files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".h5") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

namespace {

// Copies the sample groups of one task file into `output`.
void copy_samples(const h5::Handle& output, const std::string& file) {
  h5::Handle src = h5::open_file(file, h5::Mode::read);
  h5::Handle points = h5::open_group(src, "points");
  for (const auto& p : h5::children(points)) {
    const std::string from = "points/" + p + "/samples";
    h5::Handle samples = h5::open_group(src, from);
    h5::Handle dst = h5::create_group(output, from);
    for (const auto& s : h5::children(samples)) {
      if (h5::exists(dst, s)) H5Ldelete(dst.id(), s.c_str(), H5P_DEFAULT);
      if (H5Ocopy(samples.id(), s.c_str(), dst.id(), s.c_str(), H5P_DEFAULT, H5P_DEFAULT) < 0)
        throw std::runtime_error(fmt::format("HDF5: cannot copy {}/{} from {}", from, s, file));
    }
  }
}

// The bytes the final file will need: the running output and every task file (copies keep the
// data's size; a margin covers HDF5's own metadata).
std::uint64_t bytes_needed(const std::string& output, const std::vector<fs::path>& files) {
  std::uint64_t total = fs::file_size(output);
  for (const auto& f : files) total += fs::file_size(f);
  return total + total / 20 + (1u << 20);
}

}  // namespace

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

namespace {

// A task file that a run is writing can be caught mid-write, and HDF5 1.10 may crash rather than
// fail on what it reads then. So it is read by a child process, which copies its samples into a
// scratch file of its own: a crash costs only that child. Returns whether the copy is whole.
bool copy_out_in_child(const std::string& file, const std::string& scratch) {
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) return false;
  if (pid == 0) {
    int code = 0;
    try {
      h5::Handle out = h5::open_file(scratch, h5::Mode::create);
      copy_samples(out, file);
      h5::read_every_dataset(out);  // a chunk written while it was copied fails here, not in the parent
    } catch (...) {
      code = 1;
    }
    ::_exit(code);  // no exit handlers: the parent's HDF5 files are the parent's
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// The samples of a task a run may still be writing: the file as it is (tried a few times, a write
// burst lasts milliseconds), else the copy taken at its last checkpoint, else none (false).
bool copy_live_samples(const h5::Handle& output, const std::string& file) {
  const std::string scratch = fs::temp_directory_path() / fmt::format("ptmc-live-{}.h5", ::getpid());
  bool copied = false;
  for (int attempt = 0; attempt < 3 && !copied; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    copied = copy_out_in_child(file, scratch);
  }
  if (!copied && fs::exists(snapshot_file(file))) copied = copy_out_in_child(snapshot_file(file), scratch);
  if (copied) copy_samples(output, scratch);
  std::error_code ec;
  fs::remove(scratch, ec);
  return copied;
}

// Removes the external links of `output`'s samples into the task file `name`: a task left out must not
// be reached through its link either (a run killed mid-write leaves a torn file that HDF5 fails on).
void drop_links_to(const h5::Handle& output, const std::string& name) {
  if (!h5::exists(output, "points")) return;
  h5::Handle points = h5::open_group(output, "points");
  for (const auto& p : h5::children(points)) {
    if (!h5::exists(points, p + "/samples")) continue;
    h5::Handle samples = h5::open_group(points, p + "/samples");
    for (const auto& s : h5::children(samples))
      if (const auto target = h5::external_link_file(samples, s); target && fs::path(*target).filename() == name)
        H5Ldelete(samples.id(), s.c_str(), H5P_DEFAULT);
  }
}

}  // namespace

void collect_task_files(const h5::Handle& output, const std::string& dir) {
  for (const auto& file : task_files(dir))
    if (!copy_live_samples(output, file.string())) {
      drop_links_to(output, file.filename().string());
      std::fprintf(stderr, "[ptmc] warning: %s cannot be read now (being written, or damaged): left out\n",
                   file.string().c_str());
    }
}

std::string assembling_file(const std::string& output) { return output + ".assembling"; }

Assembly assemble_output(const std::string& output, const std::string& dir, std::int64_t min_round_trips,
                         const std::function<bool()>& stop) {
  const std::string tmp = assembling_file(output);
  fs::remove(tmp);  // from an assembly that was interrupted
  const auto files = task_files(dir);
  const std::uint64_t need = bytes_needed(output, files), free = free_bytes(output);
  if (need > free)
    throw std::runtime_error(fmt::format("cannot write {}: No space left on device (it needs about {}, {} free); "
                                         "every task is complete and kept in {}",
                                         output, human_bytes(need), human_bytes(free), dir));
  try {
    fs::copy_file(output, tmp);
    bool stopped = false;
    {
      OutputFile out(tmp, h5::Mode::read_write);
      for (const auto& file : files) {
        if ((stopped = stop())) break;
        if (task_complete(file.string())) copy_samples(out.handle(), file.string());
      }
      if (!stopped) {
        h5::Handle points = h5::open_group(out.handle(), "points");
        for (const auto& p : h5::children(points)) {
          h5::Handle g = h5::open_group(points, p);
          write_point_summary(g, compute_point_summary(g, min_round_trips));
          write_overlap_distribution(g);
        }
        out.mark_end();
      }
    }  // closed: every byte is in the file before it is synced and renamed
    if (stopped) {
      fs::remove(tmp);
      return Assembly::stopped;
    }
    sync_file(tmp);
    fs::rename(tmp, output);
    sync_parent_dir(output);
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  fs::remove_all(dir);  // only now: the final file holds every task
  return Assembly::done;
}

}  // namespace ptmc
