// The files a run reads besides its parameter file (keys of type ParamType::input_file, such as
// data_file), with a checksum of each. They are recorded in the output (root attribute
// "input_files") and a resume whose inputs changed is refused, naming the file.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "engine/params/config.hpp"

namespace ptmc {

struct InputFile {
  std::string path;  // as the parameter file gives it
  std::uint64_t bytes = 0;
  std::uint64_t checksum = 0;  // FNV-1a 64 of the contents
};

// Every distinct input file of every sweep point, read now; throws when one cannot be read.
std::vector<InputFile> input_files(const Config& cfg);

// One line per file: "path<TAB>bytes<TAB>checksum (hex)".
std::string format_input_files(const std::vector<InputFile>& files);

// Throws, naming the file and both checksums, unless `recorded` (format_input_files text) matches the
// files as they are now.
void check_input_files_unchanged(const std::string& recorded, const Config& cfg, const std::string& output);

}  // namespace ptmc
