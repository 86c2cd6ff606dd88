// Typed, validated access to one sweep point's parameters. Range and type checks come from the
// ParamSpec table; errors name file, line, key and the expectation.
#pragma once
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/params/param_spec.hpp"
#include "engine/params/param_value.hpp"

namespace ptmc {

class ParamReader {
 public:
  using Entries = std::vector<std::pair<std::string, ParamValue>>;
  ParamReader(std::span<const ParamSpec> specs, Entries values, SourcePos section_pos, std::string section);

  bool has(std::string_view key) const;  // given in the file (defaults do not count)
  std::int64_t integer(std::string_view key) const;
  double real(std::string_view key) const;
  bool boolean(std::string_view key) const;
  std::string text(std::string_view key) const;  // choice or text
  // For choice_or_table keys: the inline table's entries, or nullopt when a string was given.
  std::optional<std::vector<std::pair<std::string, Scalar>>> table(std::string_view key) const;

  [[noreturn]] void fail(std::string_view key, const std::string& message) const;
  SourcePos where(std::string_view key) const;

  // Every declared key with its value (given or default), for output attributes.
  std::vector<std::pair<std::string, Scalar>> resolved() const;
  const std::string& section() const { return section_; }

 private:
  const ParamSpec& spec(std::string_view key) const;
  const ParamValue* find(std::string_view key) const;
  void check_range(const ParamSpec& s, double x, const SourcePos& pos) const;

  std::span<const ParamSpec> specs_;
  Entries values_;
  SourcePos section_pos_;
  std::string section_;
};

}  // namespace ptmc
