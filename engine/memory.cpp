#include "engine/memory.hpp"

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <limits>
#include <sstream>

namespace ptmc {

namespace fs = std::filesystem;

SweepMemory sweep_memory(const Config& cfg, const ModelEntry& model, int group_size) {
  SweepMemory worst;
  for (std::size_t p = 0; p < cfg.points.size(); ++p) {
    const TaskMemory m = model.memory(cfg, p, group_size);
    if (p == 0 || m.total() > worst.task.total()) worst = SweepMemory{m, p};
  }
  return worst;
}

namespace {

// A number of bytes from a file holding one ("max" or unreadable: infinity).
double read_bytes(const fs::path& file) {
  std::ifstream in(file);
  std::string text;
  if (!(in >> text) || text == "max") return std::numeric_limits<double>::infinity();
  try {
    return std::stod(text);
  } catch (const std::exception&) {
    return std::numeric_limits<double>::infinity();
  }
}

}  // namespace

NodeMemory node_memory() {
  NodeMemory out{std::numeric_limits<double>::infinity(), "unknown"};
  if (const char* forced = std::getenv("PTMC_MEMORY_AVAILABLE")) {
    try {
      return NodeMemory{std::stod(forced), "PTMC_MEMORY_AVAILABLE"};
    } catch (const std::exception&) {
    }
  }
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  double kib = 0;
  std::string unit;
  while (meminfo >> key >> kib >> unit)
    if (key == "MemAvailable:") out = NodeMemory{kib * 1024, "MemAvailable"};
  // cgroup v2: "0::/path" in /proc/self/cgroup; the limits of that group and of its ancestors.
  std::ifstream cgroup("/proc/self/cgroup");
  std::string line;
  while (std::getline(cgroup, line)) {
    if (!line.starts_with("0::")) continue;
    for (fs::path dir = fs::path("/sys/fs/cgroup") / fs::path(line.substr(3)).relative_path();;
         dir = dir.parent_path()) {
      const double max = read_bytes(dir / "memory.max");
      if (max < std::numeric_limits<double>::infinity()) {
        const double current = read_bytes(dir / "memory.current");
        const double left = max - (current < std::numeric_limits<double>::infinity() ? current : 0);
        if (left < out.available) out = NodeMemory{left, "cgroup " + (dir / "memory.max").string()};
      }
      if (dir == "/sys/fs/cgroup" || dir == dir.parent_path()) break;
    }
  }
  return out;
}

std::string format_bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int u = 0;
  while (bytes >= 1024 && u < 6) {
    bytes /= 1024;
    ++u;
  }
  if (u >= 6 && bytes >= 1024) return fmt::format("{:.2g} EiB", bytes);
  return u == 0 ? fmt::format("{:.0f} B", bytes) : fmt::format("{:.{}f} {}", bytes, bytes < 10 ? 1 : 0, units[u]);
}

}  // namespace ptmc
