#include "engine/params/param_spec.hpp"

#include <cmath>
#include <fmt/format.h>

namespace ptmc {

std::string_view to_string(ParamType t) noexcept {
  switch (t) {
    case ParamType::integer: return "integer";
    case ParamType::real: return "real";
    case ParamType::boolean: return "boolean";
    case ParamType::choice: return "string";
    case ParamType::text: return "string";
    case ParamType::input_file: return "file path";
    case ParamType::choice_or_table: return "string or table";
  }
  return "?";
}

namespace {
std::string number_text(double x) {
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return fmt::format("{}", x);
}
}  // namespace

std::string ParamSpec::default_text() const {
  return std::visit(
      [&](const auto& v) -> std::string {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::monostate>) return required ? "(required)" : "(none)";
        else if constexpr (std::is_same_v<V, bool>) return v ? "true" : "false";
        else if constexpr (std::is_same_v<V, std::string_view>) return fmt::format("\"{}\"", v);
        else if constexpr (std::is_same_v<V, double>) return number_text(v);
        else return fmt::format("{}", v);
      },
      fallback);
}

std::string ParamSpec::range_text() const {
  std::string base{to_string(type)};
  if (type == ParamType::choice || type == ParamType::choice_or_table) {
    std::string list;
    for (auto c : choices) list += fmt::format("{}\"{}\"", list.empty() ? "" : " | ", c);
    return type == ParamType::choice ? "one of " + list : list + " or a table";
  }
  if (type != ParamType::integer && type != ParamType::real) return base;
  const bool lo = std::isfinite(min), hi = std::isfinite(max);
  if (lo && hi)
    return fmt::format("{} in {}{}, {}{}", base, min_open ? "(" : "[", number_text(min), number_text(max),
                       max_open ? ")" : "]");
  if (lo) return fmt::format("{} {} {}", base, min_open ? ">" : ">=", number_text(min));
  if (hi) return fmt::format("{} {} {}", base, max_open ? "<" : "<=", number_text(max));
  return base;
}

std::string describe_parameters(std::string_view section, std::span<const ParamSpec> specs) {
  std::string out = fmt::format("  [{}]\n", section);
  for (const auto& s : specs) {
    out += fmt::format("    {:<16} {:<28} default {:<12} {}\n", s.key, s.range_text(), s.default_text(), s.help);
  }
  return out;
}

}  // namespace ptmc
