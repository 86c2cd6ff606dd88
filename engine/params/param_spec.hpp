// Every parameter is declared once, as data: key, type, default, allowed range and help text.
// The same table drives validation, error messages and `ptmc run --help`.
#pragma once
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ptmc {

enum class ParamType {
  integer,   // TOML integer
  real,      // TOML float or integer; inf allowed only where max is +inf
  boolean,   // TOML boolean
  choice,    // one string out of `choices`
  text,      // free string (a dataset name)
  input_file,  // path of a file the run reads: its checksum is recorded, and --resume refuses a change
  choice_or_table  // a string out of `choices` or an inline table (e.g. init = { quality = 0.8 })
};

std::string_view to_string(ParamType t) noexcept;

// No default: std::monostate. `required` says whether a missing key is an error.
using ParamDefault = std::variant<std::monostate, std::int64_t, double, bool, std::string_view>;

struct ParamSpec {
  std::string_view key;
  ParamType type = ParamType::real;
  ParamDefault fallback{};
  std::string_view help;
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_open = false;  // true: value must be > min (else >= min)
  bool max_open = false;  // true: value must be < max (else <= max)
  std::vector<std::string_view> choices{};
  bool required = false;
  bool sweepable = true;  // may be given as a list or range to sweep over

  std::string default_text() const;
  std::string range_text() const;  // e.g. "integer >= 2", "real in (0, 1]"
};

// Prints a table of parameters (key, type, default, meaning) for --help.
std::string describe_parameters(std::string_view section, std::span<const ParamSpec> specs);

}  // namespace ptmc
