#include "app/summarize.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <unistd.h>
#include <fmt/format.h>

#include "engine/io/h5.hpp"
#include "engine/io/output_assembly.hpp"
#include "engine/io/summary.hpp"

namespace ptmc {

namespace {
std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    out.push_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}
std::string number(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return fmt::format("{:.10g}", x);
}
void print_csv(const std::string& path, std::ostream& out);
}  // namespace

void print_summary_csv(const std::string& path, std::ostream& out) {
  // A run still going, or stopped: its tasks live in PATH.tasks/. Summarize a merged temporary copy.
  const std::string dir = task_dir(path);
  bool running = false;
  {
    h5::Handle f = h5::open_file(path, h5::Mode::read);  // a clear error when the file itself is missing or invalid
    running = h5::has_attr(f, "end_time") && h5::read_attr_string(f, "end_time") == "(running)" &&
              h5::has_attr(f, "kind") && h5::read_attr_string(f, "kind") == "monte_carlo";
  }
  if (running && !std::filesystem::exists(dir))
    throw std::runtime_error(fmt::format("{} is an unfinished run whose task folder {} is missing: its data are gone", path, dir));
  if (running) {
    const auto tmp = std::filesystem::temp_directory_path() / fmt::format("ptmc-summary-{}.h5", ::getpid());
    std::filesystem::copy_file(path, tmp, std::filesystem::copy_options::overwrite_existing);
    try {
      {
        h5::Handle f = h5::open_file(tmp.string(), h5::Mode::read_write);
        collect_task_files(f, dir);
      }
      print_csv(tmp.string(), out);
    } catch (...) {
      std::filesystem::remove(tmp);
      throw;
    }
    std::filesystem::remove(tmp);
    return;
  }
  print_csv(path, out);
}

namespace {
void print_csv(const std::string& path, std::ostream& out) {
  h5::Handle f = h5::open_file(path, h5::Mode::read);
  if (!h5::has_attr(f, "ptmc_version") || !h5::exists(f, "points"))
    throw std::runtime_error(fmt::format("{} is not a ptmc output file, or it is corrupt (its root attributes are unreadable)", path));
  const std::vector<std::string> swept = split(h5::read_attr_string(f, "swept"));
  h5::Handle points = h5::open_group(f, "points");
  bool header = false;
  std::vector<std::string> columns;
  bool errors = true;
  for (const auto& p : h5::children(points)) {
    h5::Handle g = h5::open_group(points, p);
    auto stored = read_point_summary(g);
    const std::int64_t trips = h5::has_attr(f, "min_round_trips") ? h5::read_attr_int(f, "min_round_trips") : 1;
    const PointSummary s = stored ? *stored : compute_point_summary(g, trips);  // interrupted runs: from the series
    if (s.names.empty()) continue;
    const auto beta = h5::read_doubles(g, "beta");
    if (const ColumnStat* eq = s.find("equilibrated"); eq && !eq->mean.empty() && eq->mean[0] != 1.0)
      std::fprintf(stderr, "ptmc summarize: warning: point %lld failed the equilibration check "
                   "(drift between the last two halves, or too few round trips): see its diagnostics\n",
                   static_cast<long long>(h5::read_attr_int(g, "index")));
    if (!header) {
      columns = s.names;
      errors = s.has_errors;
      std::string line = "point";
      for (const auto& k : swept) line += "," + k;
      line += ",beta";
      for (const auto& c : columns) line += errors ? fmt::format(",{},{}_err", c, c) : "," + c;
      out << line << "\n";
      header = true;
    }
    for (std::size_t t = 0; t < beta.size(); ++t) {
      std::string line = fmt::format("{}", h5::read_attr_int(g, "index"));
      // Appended field by field: GCC 12 warns (-Wrestrict, a false positive) on "," + temporary.
      const auto field = [&line](const std::string& text) {
        line += ',';
        line += text;
      };
      for (const auto& k : swept) field(h5::has_attr(g, k) ? h5::read_attr_text(g, k) : std::string("?"));
      field(number(beta[t]));
      for (const auto& c : columns) {
        const ColumnStat* col = s.find(c);
        field(col ? number(col->mean[t]) : "nan");
        if (errors) field(col && !col->err.empty() ? number(col->err[t]) : "nan");
      }
      out << line << "\n";
    }
  }
}
}  // namespace

}  // namespace ptmc
