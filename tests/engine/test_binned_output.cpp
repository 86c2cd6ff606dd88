// Binned series in the task files ([output] series = "bins", engine/io/output.cpp) against the full
// series of the same measurements: the point summary has bitwise the same means and errors (τ_int to
// rounding, the equilibration verdict the same), derived quantities within their error bars; a task
// stopped at a checkpoint (with its task file then destroyed, and with a copy taken after the
// checkpoint that was never completed) resumes to bitwise the bins (and the walk of the first 1024
// measurements) of an uninterrupted task.
#include <doctest/doctest.h>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "engine/io/h5.hpp"
#include "engine/io/output.hpp"
#include "engine/io/summary.hpp"
#include "engine/sweep/rng.hpp"

using namespace ptmc;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> names = {"energy", "m", "m2", "m4", "acceptance", "swap_rate"};
constexpr int T = 3;

std::string scratch(const std::string& name) {
  const auto dir = fs::temp_directory_path() / ("ptmc_test_binned_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

SeriesLayout layout() {
  SeriesLayout l;
  l.names = names;
  l.temperatures = T;
  l.replicas = 1;
  return l;
}

// Measurement i of sample `sample`: AR(1) values (φ = 0.9) per temperature, m = |x|, its powers, and
// an acceptance that is NaN every 5th measurement (as when nothing was attempted).
struct Source {
  explicit Source(std::int64_t sample) : rng(StreamKey{9, 0, static_cast<std::uint64_t>(sample), 0, StreamPurpose::test_data}) {
    for (int k = 0; k < 2 * T; ++k) v.push_back(rng.normal() / std::sqrt(1 - 0.81));
  }
  std::vector<double> next() {
    std::vector<double> row(names.size() * T);
    for (int t = 0; t < T; ++t) {
      const double e = -0.5 - 0.1 * t + 0.05 * v[t], m = std::abs(0.3 + 0.2 * t + 0.1 * v[T + t]);
      row[0 * T + t] = e;
      row[1 * T + t] = m;
      row[2 * T + t] = m * m;
      row[3 * T + t] = m * m * m * m;
      row[4 * T + t] = count % 5 == 0 ? NAN : 0.5 + 0.01 * v[t];
      row[5 * T + t] = 0.25;
    }
    for (auto& x : v) x = 0.9 * x + rng.normal();
    ++count;
    return row;
  }
  Rng rng;
  std::vector<double> v;
  std::int64_t count = 0;
};

TaskFinal final_of(std::int64_t n) {
  TaskFinal f;
  f.pair_attempts.assign(T - 1, n);
  f.pair_accepts.assign(T - 1, n / 3);
  f.round_trips.assign(T, 10);
  f.up_fraction.assign(T, 0.5);
  f.sweeps = n;
  return f;
}

void record(TaskRecorder& rec, Source& src, std::int64_t rows) {
  for (std::int64_t i = 0; i < rows; ++i) {
    const auto c = static_cast<std::int32_t>(src.count % 3);
    const std::vector<std::int32_t> walk = {c, (c + 1) % 3, (c + 2) % 3};
    rec.record(src.next(), walk);
  }
}

OutputConfig output(SeriesStorage s, std::int64_t max_bins = 128) {
  OutputConfig o;
  o.series = s;
  o.max_bins = max_bins;
  return o;
}

// `samples` tasks of n measurements each into DIR, and a point file linking them, as a run leaves it.
std::string run_point(const std::string& dir, SeriesStorage s, std::int64_t n, int samples) {
  auto rec = task_file_recorder(dir, output(s), {});
  for (int k = 0; k < samples; ++k) {
    Source src(k);
    rec->begin(TaskId{0, k}, layout());
    record(*rec, src, n);
    rec->finish(final_of(n));
  }
  const std::string path = dir + "/point.h5";
  h5::Handle f = h5::open_file(path, h5::Mode::create);
  h5::Handle p = h5::create_group(f, point_group(0));
  const std::vector<double> beta = {0.5, 1.0, 1.5};
  h5::write(p, "beta", beta, {beta.size()});
  for (int k = 0; k < samples; ++k)
    h5::external_link(f, point_group(0) + "/" + sample_group(k), fs::path(task_file(dir, TaskId{0, k})).filename().string(),
                      point_group(0) + "/" + sample_group(k));
  return path;
}

PointSummary summary_of(const std::string& path) {
  h5::Handle f = h5::open_file(path, h5::Mode::read);
  return compute_point_summary(h5::open_group(f, point_group(0)));
}

std::vector<double> dataset(const std::string& file, const std::string& path) {
  h5::Handle f = h5::open_file(file, h5::Mode::read);
  return h5::read_doubles(f, path);
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {  // NaN equals NaN
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k)
    if (!(a[k] == b[k] || (std::isnan(a[k]) && std::isnan(b[k])))) return false;
  return true;
}

}  // namespace

TEST_CASE("binned series give the full series' summary: means and errors bitwise") {
  for (const int samples : {1, 2}) {
    // 2048 measurements: 128 bins of 16, so the drift check's windows are whole bins too; 3001: not.
    for (const std::int64_t n : {std::int64_t{2048}, std::int64_t{3001}}) {
      CAPTURE(samples);
      CAPTURE(n);
      const auto all = summary_of(run_point(scratch("all"), SeriesStorage::all, n, samples));
      const auto bins = summary_of(run_point(scratch("bins"), SeriesStorage::bins, n, samples));
      REQUIRE(all.names == bins.names);
      CHECK(all.samples == bins.samples);
      for (std::size_t c = 0; c < all.names.size(); ++c) {
        const auto& name = all.names[c];
        const auto &a = all.columns[c], &b = bins.columns[c];
        CAPTURE(name);
        const bool primary = std::find(names.begin(), names.end(), name) != names.end();
        // Derived from block means (one sample: binder and the free energy's jackknife over 32 blocks)
        // the blocks are whole bins, not the full series' blocks: within their error bars.
        const bool blocks = samples == 1 && (name == "binder" || name == "free_energy");
        for (int t = 0; t < T; ++t) {
          if (name == "acceptance") {  // NaN every 5th: the bins skip them pairwise, so the coarse bins differ
            CHECK(a.mean[t] == b.mean[t]);   // the finite values' sum and count
            CHECK(std::abs(a.err[t] - b.err[t]) <= 0.3 * a.err[t]);
          } else if (blocks) {
            CHECK(std::abs(a.mean[t] - b.mean[t]) <= a.err[t]);
            CHECK(std::abs(a.err[t] - b.err[t]) <= 0.5 * a.err[t]);
          } else {
            CHECK((a.mean[t] == b.mean[t] || (std::isnan(a.mean[t]) && std::isnan(b.mean[t]))));
            CHECK((a.err[t] == b.err[t] || (std::isnan(a.err[t]) && std::isnan(b.err[t]))));
          }
          if (primary && name != "acceptance")  // acceptance: its NaNs make other bins; the tau of the rest agrees
            CHECK(b.tau[t] == doctest::Approx(a.tau[t]).epsilon(1e-12));
        }
      }
      CHECK(all.find("equilibrated")->mean == bins.find("equilibrated")->mean);
    }
  }
}

TEST_CASE("the series group says how the series are stored") {
  const std::string dir = scratch("attrs");
  run_point(dir, SeriesStorage::bins, 3001, 1);
  h5::Handle f = h5::open_file(task_file(dir, TaskId{0, 0}), h5::Mode::read);
  h5::Handle g = h5::open_group(f, point_group(0) + "/" + sample_group(0));
  h5::Handle s = h5::open_group(g, "series");
  CHECK(h5::read_attr_string(s, "storage") == "bins");
  CHECK(h5::read_attr_int(s, "bin_size") == 32);  // 3001 measurements: 93 bins of 32
  CHECK(h5::read_attr_int(s, "max_bins") == 128);
  CHECK(h5::read_attr_int(g, "measurements") == 3001);
  CHECK(h5::shape(s, "energy") == std::vector<std::uint64_t>{93, T});
  CHECK(h5::shape(g, "series_stats/energy") == std::vector<std::uint64_t>{4 + 5, T});
  const std::string full = scratch("attrs_all");
  run_point(full, SeriesStorage::all, 3001, 1);
  h5::Handle fa = h5::open_file(task_file(full, TaskId{0, 0}), h5::Mode::read);
  h5::Handle sa = h5::open_group(fa, point_group(0) + "/" + sample_group(0) + "/series");
  CHECK_FALSE(h5::has_attr(sa, "storage"));  // series = "all" is written as it always was
  CHECK(h5::shape(sa, "energy") == std::vector<std::uint64_t>{3001, T});
}

TEST_CASE("a binned task resumed from its checkpoint has bitwise the bins of an uninterrupted one") {
  const std::int64_t n = 5000;
  const std::string whole = scratch("whole");
  {
    auto rec = task_file_recorder(whole, output(SeriesStorage::bins), {});
    Source src(0);
    rec->begin(TaskId{0, 0}, layout());
    record(*rec, src, n);
    rec->finish(final_of(n));
  }
  // Checkpoints at `at` (the state the task resumes from); then a copy is taken at `later` whose
  // checkpoint was never written (a kill between the two), and the task file is destroyed.
  struct Cut {
    std::int64_t at, later;
  };
  for (const Cut cut : {Cut{1500, 1500}, Cut{1500, 2600}, Cut{129, 700}, Cut{0, 10}}) {
    CAPTURE(cut.at);
    CAPTURE(cut.later);
    const std::string dir = scratch("cut");
    const TaskId id{0, 0};
    Source src(0);
    {
      auto rec = task_file_recorder(dir, output(SeriesStorage::bins), {});
      rec->begin(id, layout());
      record(*rec, src, cut.at);
      rec->flush();  // the checkpoint's copy
      record(*rec, src, cut.later - cut.at);
      if (cut.later > cut.at) rec->flush();  // a copy whose checkpoint was not written
      record(*rec, src, 37);
    }
    std::ofstream(task_file(dir, id), std::ios::trunc) << "noise";
    Source again(0);
    for (std::int64_t i = 0; i < cut.at; ++i) again.next();
    {
      auto rec = task_file_recorder(dir, output(SeriesStorage::bins), {});
      rec->resume(id, layout(), cut.at, 0);
      record(*rec, again, n - cut.at);
      rec->finish(final_of(n));
    }
    for (const auto& name : names) {
      CAPTURE(name);
      CHECK(dataset(task_file(dir, id), point_group(0) + "/" + sample_group(0) + "/series/" + name) ==
            dataset(task_file(whole, id), point_group(0) + "/" + sample_group(0) + "/series/" + name));
      const auto a = dataset(task_file(dir, id), point_group(0) + "/" + sample_group(0) + "/series_stats/" + name);
      const auto b = dataset(task_file(whole, id), point_group(0) + "/" + sample_group(0) + "/series_stats/" + name);
      REQUIRE(a.size() == b.size());
      for (std::size_t k = 0; k < a.size(); ++k) CHECK((a[k] == b[k] || (std::isnan(a[k]) && std::isnan(b[k]))));
    }
    const std::string walk = point_group(0) + "/" + sample_group(0) + "/walk";
    h5::Handle a = h5::open_file(task_file(dir, id), h5::Mode::read), b = h5::open_file(task_file(whole, id), h5::Mode::read);
    CHECK(h5::shape(a, walk) == std::vector<std::uint64_t>{1024, 1, T});  // the first 1024 measurements
    CHECK(h5::read_ints(a, walk) == h5::read_ints(b, walk));
    CHECK_FALSE(fs::exists(snapshot_file(task_file(dir, id))));
    CHECK_FALSE(fs::exists(previous_snapshot_file(task_file(dir, id))));
  }
}

TEST_CASE("a task resumes in the storage its file began with, whatever the recorder is set to") {
  const std::int64_t n = 3000, at = 1200;
  for (const SeriesStorage began : {SeriesStorage::all, SeriesStorage::bins}) {
    const SeriesStorage other = began == SeriesStorage::all ? SeriesStorage::bins : SeriesStorage::all;
    const std::string whole = scratch("began_whole"), dir = scratch("began_cut");
    const TaskId id{0, 0};
    {
      auto rec = task_file_recorder(whole, output(began), {});
      Source src(0);
      rec->begin(id, layout());
      record(*rec, src, n);
      rec->finish(final_of(n));
    }
    {
      auto rec = task_file_recorder(dir, output(began), {});
      Source src(0);
      rec->begin(id, layout());
      record(*rec, src, at);
      rec->flush();
    }
    {
      auto rec = task_file_recorder(dir, output(other), {});
      Source src(0);
      for (std::int64_t i = 0; i < at; ++i) src.next();
      rec->resume(id, layout(), at, 0);
      record(*rec, src, n - at);
      rec->finish(final_of(n));
    }
    const std::string group = point_group(0) + "/" + sample_group(0);
    for (const auto& name : names)
      CHECK(same_bits(dataset(task_file(dir, id), group + "/series/" + name), dataset(task_file(whole, id), group + "/series/" + name)));
    h5::Handle f = h5::open_file(task_file(dir, id), h5::Mode::read);
    CHECK(h5::has_attr(h5::open_group(f, group + "/series"), "storage") == (began == SeriesStorage::bins));
  }
}
