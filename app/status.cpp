#include "app/status.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>
#include <fmt/format.h>

#include "engine/io/h5.hpp"
#include "engine/io/output.hpp"
#include "engine/io/output_assembly.hpp"
#include "engine/io/summary.hpp"

namespace ptmc {

namespace fs = std::filesystem;

namespace {

// Seconds since the epoch of an ISO time as the output's start_time and end_time write it; nullopt
// when it does not parse.
std::optional<double> epoch_seconds(const std::string& iso) {
  std::tm tm{};
  const char* end = ::strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S%z", &tm);
  if (!end) return std::nullopt;
  return static_cast<double>(::timegm(&tm) - tm.tm_gmtoff);
}

std::string duration(double s) {
  if (!(s >= 0) || s > 1e9) return "unknown";
  const auto t = static_cast<long long>(s + 0.5);
  if (t < 120) return fmt::format("{} s", t);
  if (t < 7200) return fmt::format("{} min {:02d} s", t / 60, static_cast<int>(t % 60));
  if (t < 172800) return fmt::format("{} h {:02d} min", t / 3600, static_cast<int>(t / 60 % 60));
  return fmt::format("{} d {:02d} h", t / 86400, static_cast<int>(t / 3600 % 24));
}

// Whether the process named by the run's lock file (OUT.lock: "pid P on HOST") is alive. Only the
// file is read: a status takes no lock that a run starting at that moment could find taken.
struct Holder {
  bool running = false;
  std::string who;     // "pid P on HOST"
  double written = 0;  // when the process wrote the file (it does so as it starts), seconds since the epoch
};
Holder lock_holder(const std::string& output) {
  Holder h;
  std::ifstream in(output + ".lock");
  if (!in) return h;
  std::string line;
  std::getline(in, line);
  h.who = line;
  struct stat st {};
  if (::stat((output + ".lock").c_str(), &st) == 0) h.written = static_cast<double>(st.st_mtime);
  long long pid = 0;
  char host[256] = {}, here[256] = {};
  if (std::sscanf(line.c_str(), "pid %lld on %255s", &pid, host) != 2 || pid <= 0) return h;
  ::gethostname(here, sizeof here - 1);
  if (std::string(host) != here) {
    h.running = true;  // another node's process: its lock file is all there is to go by
    return h;
  }
  h.running = ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
  return h;
}

struct Tally {
  std::int64_t tasks = 0, done = 0, running = 0, pending = 0, partway = 0;
  double sweeps_done = 0, sweeps_planned = 0;
  double done_sweeps = 0, done_seconds = 0;  // of the finished tasks: their own rate
  std::vector<long long> failing;
  std::int64_t judged = 0, points = 0;
};

// Counts the tasks of a file whose sample groups are in place (the final file, or a merged copy of
// a running one). `live`: the job is running, so an unfinished task with data is running.
Tally count_tasks(const h5::Handle& f, const std::string& dir, bool final_file, bool live) {
  Tally t;
  const std::int64_t samples = h5::read_attr_int(f, "samples");
  const std::int64_t planned = h5::read_attr_int(f, "thermalization") + h5::read_attr_int(f, "sweeps");
  const std::int64_t thermalization = h5::read_attr_int(f, "thermalization");
  const std::int64_t every = std::max<std::int64_t>(1, h5::read_attr_int(f, "measure_every"));
  const std::int64_t min_trips = h5::has_attr(f, "min_round_trips") ? h5::read_attr_int(f, "min_round_trips") : 1;
  t.points = h5::read_attr_int(f, "points");
  t.tasks = t.points * samples;
  for (std::int64_t p = 0; p < t.points; ++p) {
    const std::string group = point_group(static_cast<std::size_t>(p));
    bool whole = h5::exists(f, group);
    for (std::int64_t s = 0; s < samples; ++s) {
      const std::string sg = group + "/" + sample_group(s);
      const bool there = whole && (final_file || fs::exists(task_file(dir, TaskId{static_cast<std::size_t>(p), s}))) &&
                         h5::resolves(f, sg);
      std::int64_t complete = 0, sweeps = 0;
      if (there) {
        h5::Handle g = h5::open_group(f, sg);
        complete = h5::has_attr(g, "complete") ? h5::read_attr_int(g, "complete") : 0;
        if (complete == 1) {
          sweeps = h5::read_attr_int(g, "sweeps");
          t.done_sweeps += static_cast<double>(sweeps);
          t.done_seconds += h5::has_attr(g, "seconds") ? h5::read_attr_double(g, "seconds") : 0;
        } else if (h5::has_attr(g, "measurements")) {
          const std::int64_t m = h5::read_attr_int(g, "measurements");
          sweeps = m > 0 ? thermalization + m * every : 0;  // as far as the last flush shows
        }
      }
      if (complete == 1) {
        ++t.done;
        t.sweeps_planned += static_cast<double>(std::max(sweeps, planned));  // auto_extend may have added sweeps
      } else {
        whole = false;
        t.sweeps_planned += static_cast<double>(planned);
        if (there && live) ++t.running;
        else {
          ++t.pending;
          if (there) ++t.partway;
        }
      }
      t.sweeps_done += static_cast<double>(sweeps);
    }
    if (!whole) continue;  // a point is judged once every sample of it is complete
    h5::Handle g = h5::open_group(f, group);
    const auto stored = read_point_summary(g);
    const PointSummary sum = stored ? *stored : compute_point_summary(g, min_trips);
    ++t.judged;
    if (const ColumnStat* eq = sum.find("equilibrated"); !eq || eq->mean.empty() || eq->mean[0] != 1.0)
      t.failing.push_back(static_cast<long long>(h5::read_attr_int(g, "index")));
  }
  return t;
}

}  // namespace

void print_status(const std::string& path, std::ostream& out) {
  const std::string dir = task_dir(path);
  std::string kind, start, end, parameter_file;
  {
    h5::Handle f = h5::open_file(path, h5::Mode::read);
    if (!h5::has_attr(f, "ptmc_version") || !h5::has_attr(f, "kind"))
      throw std::runtime_error(fmt::format("{} is not a ptmc output file, or it is corrupt (its root attributes are unreadable)", path));
    kind = h5::read_attr_string(f, "kind");
    start = h5::has_attr(f, "start_time") ? h5::read_attr_string(f, "start_time") : "";
    end = h5::has_attr(f, "end_time") ? h5::read_attr_string(f, "end_time") : "";
    parameter_file = h5::has_attr(f, "parameter_file") ? h5::read_attr_string(f, "parameter_file") : "FILE.toml";
  }
  if (kind != "monte_carlo") {
    out << fmt::format("{}: a {} file: nothing runs\n", path, kind);
    return;
  }
  const bool finished = end != "(running)";
  const Holder holder = finished ? Holder{} : lock_holder(path);
  Tally t;
  if (finished) {
    h5::Handle f = h5::open_file(path, h5::Mode::read);
    t = count_tasks(f, dir, true, false);
  } else {
    if (!fs::exists(dir)) {
      h5::Handle f = h5::open_file(path, h5::Mode::read);  // perhaps it finished in the meantime
      if (h5::read_attr_string(f, "end_time") != "(running)") return print_status(path, out);
    }
    // The task files merged into a temporary copy, each read by a child process (as summarize does).
    const auto tmp = fs::temp_directory_path() / fmt::format("ptmc-status-{}.h5", ::getpid());
    fs::copy_file(path, tmp, fs::copy_options::overwrite_existing);
    try {
      {
        h5::Handle f = h5::open_file(tmp.string(), h5::Mode::read_write);
        collect_task_files(f, dir);
      }
      // Read-only from here: a task file that appeared after the copy is still an external link
      // there, and HDF5 opens a link's target as its parent is open. Through a writable copy, a file
      // the run is writing would be opened for writing too, and could be damaged.
      h5::Handle f = h5::open_file(tmp.string(), h5::Mode::read);
      t = count_tasks(f, dir, false, holder.running);
    } catch (...) {
      fs::remove(tmp);
      throw;
    }
    fs::remove(tmp);
    // A run that ended meanwhile has put its final file in place and removes the task folder: what
    // was just counted may lack tasks it removed. The final file says it all.
    h5::Handle f = h5::open_file(path, h5::Mode::read);
    if (h5::read_attr_string(f, "end_time") != "(running)") return print_status(path, out);
  }

  const auto now = static_cast<double>(std::time(nullptr));
  const auto t0 = epoch_seconds(start), t1 = epoch_seconds(end);
  if (finished)
    out << fmt::format("{}: finished at {} (ran {})\n", path, end, t0 && t1 ? duration(*t1 - *t0) : "unknown");
  else if (holder.running)
    out << fmt::format("{}: running ({}), started {}{}\n", path, holder.who, start,
                       fs::exists(assembling_file(path)) ? "; writing the final file" : "");
  else
    out << fmt::format("{}: not running (killed, or stopped at a checkpoint); continue with: ptmc run {} -o {} --resume\n",
                       path, parameter_file, path);
  out << fmt::format("tasks: {} total, {} done, {} running, {} pending", t.tasks, t.done, t.running, t.pending);
  if (t.partway > 0) out << fmt::format(" ({} of them part-way)", t.partway);
  out << "\n";
  out << fmt::format("sweeps: {:.0f} of {:.0f} ({:.1f} %)\n", t.sweeps_done, t.sweeps_planned,
                     t.sweeps_planned > 0 ? 100.0 * t.sweeps_done / t.sweeps_planned : 0.0);
  // The sweeps so far over the time since the run started, when this process started it (its lock
  // file written then); for a resumed run, the rate of one task while it ran, from the finished
  // tasks' own clocks, times the tasks running now.
  const double per_task = t.done_seconds > 0 ? t.done_sweeps / t.done_seconds : 0;
  double rate = 0;
  std::string how;
  if (finished && t0 && t1 && *t1 - *t0 >= 1) {
    rate = t.sweeps_done / (*t1 - *t0);
    how = "over the whole run";
  } else if (finished) {
    rate = per_task;
    how = "per task, as the tasks ran";
  } else if (holder.running && t0 && now > *t0 && holder.written - *t0 < 60) {
    rate = t.sweeps_done / (now - *t0);
    how = "since the run started";
  } else if (holder.running && per_task > 0 && t.running > 0) {
    rate = per_task * static_cast<double>(t.running);
    how = fmt::format("resumed: {} running task(s) at {:.4g} each, as the finished tasks ran", t.running, per_task);
  }
  if (rate > 0) out << fmt::format("rate: {:.4g} sweeps/s ({})\n", rate, how);
  else out << "rate: unknown (not running, or resumed and no task finished since)\n";
  if (finished) out << "eta: done\n";
  else if (!holder.running) out << "eta: not running\n";
  else if (rate > 0) out << fmt::format("eta: {}\n", duration(std::max(0.0, t.sweeps_planned - t.sweeps_done) / rate));
  else out << "eta: unknown\n";
  std::string failing;
  for (const auto p : t.failing) {  // appended piece by piece: GCC 12 warns (-Wrestrict, a false positive) on " " + temporary
    if (!failing.empty()) failing += ' ';
    failing += std::to_string(p);
  }
  out << fmt::format("equilibration: {} of {} point(s) judged (all their samples complete), {} fail{}{}\n", t.judged,
                     t.points, t.failing.size(), t.failing.empty() ? "" : ": points ", failing);
}

}  // namespace ptmc
