// A parameter value read from a file, with where it came from; free of the TOML library on purpose
// so that models never see the file format.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "engine/params/param_error.hpp"

namespace ptmc {

using Scalar = std::variant<std::int64_t, double, bool, std::string>;

struct ParamValue {
  Scalar scalar{};                                      // meaningful when !is_table
  std::vector<std::pair<std::string, Scalar>> table{};  // inline table entries when is_table
  bool is_table = false;
  SourcePos pos{};
};

std::string scalar_text(const Scalar& s);   // TOML-like rendering: 3, 0.5, true, "storage"
std::string value_text(const ParamValue& v); // scalars as above, tables as { k = v, ... }

}  // namespace ptmc
