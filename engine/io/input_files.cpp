#include "engine/io/input_files.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "engine/io/checkpoint.hpp"

namespace ptmc {

namespace {

InputFile read_input(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("cannot read the input file {}: {}", path, std::strerror(errno)));
  InputFile f{path, 0, 0xcbf29ce484222325ULL};
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto n = static_cast<std::size_t>(in.gcount());
    f.checksum = fnv1a(buffer.data(), n, f.checksum);
    f.bytes += n;
  }
  return f;
}

}  // namespace

std::vector<InputFile> input_files(const Config& cfg) {
  std::set<std::string> paths;
  for (std::size_t p = 0; p < cfg.points.size(); ++p) {
    const ParamReader r = cfg.point_reader(p);
    for (const auto& spec : cfg.model_params)
      if (spec.type == ParamType::input_file) {
        std::string path = r.text(spec.key);
        if (!path.empty()) paths.insert(std::move(path));
      }
  }
  std::vector<InputFile> files;
  for (const auto& path : paths) files.push_back(read_input(path));
  return files;
}

std::string format_input_files(const std::vector<InputFile>& files) {
  std::string out;
  for (const auto& f : files) out += fmt::format("{}\t{}\t{:016x}\n", f.path, f.bytes, f.checksum);
  return out;
}

void check_input_files_unchanged(const std::string& recorded, const Config& cfg, const std::string& output) {
  const auto now = input_files(cfg);
  std::istringstream lines(recorded);
  std::string line;
  while (std::getline(lines, line)) {
    const auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    const std::string path = line.substr(0, tab);
    const auto it = std::find_if(now.begin(), now.end(), [&](const InputFile& f) { return f.path == path; });
    if (it == now.end()) continue;  // the parameter text is equal, so the same paths are read
    if (format_input_files({*it}) != line + "\n") {
      std::string was = line.substr(tab + 1);
      std::replace(was.begin(), was.end(), '\t', ' ');
      throw std::runtime_error(fmt::format(
          "--resume: the input file {} has changed since {} was started (bytes and checksum then: {}; now: {} {:016x}); "
          "put the original back to resume, or start over with --overwrite",
          path, output, was, it->bytes, it->checksum));
    }
  }
}

}  // namespace ptmc
