#include "engine/params/param_reader.hpp"

#include <cmath>
#include <fmt/format.h>

namespace ptmc {

std::string scalar_text(const Scalar& s) {
  return std::visit(
      [](const auto& v) -> std::string {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, bool>) return v ? "true" : "false";
        else if constexpr (std::is_same_v<V, std::string>) return fmt::format("\"{}\"", v);
        else if constexpr (std::is_same_v<V, double>) {
          if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
          return fmt::format("{}", v);
        } else return fmt::format("{}", v);
      },
      s);
}

std::string value_text(const ParamValue& v) {
  if (!v.is_table) return scalar_text(v.scalar);
  std::string out = "{ ";
  for (std::size_t i = 0; i < v.table.size(); ++i)
    out += fmt::format("{}{} = {}", i ? ", " : "", v.table[i].first, scalar_text(v.table[i].second));
  return out + " }";
}

ParamReader::ParamReader(std::span<const ParamSpec> specs, Entries values, SourcePos section_pos, std::string section)
    : specs_(specs), values_(std::move(values)), section_pos_(std::move(section_pos)), section_(std::move(section)) {}

const ParamSpec& ParamReader::spec(std::string_view key) const {
  for (const auto& s : specs_)
    if (s.key == key) return s;
  // A programming error in a model, not a user error: the key was never declared.
  throw std::logic_error(fmt::format("parameter '{}' read but not declared in [{}]", key, section_));
}

const ParamValue* ParamReader::find(std::string_view key) const {
  for (const auto& [k, v] : values_)
    if (k == key) return &v;
  return nullptr;
}

bool ParamReader::has(std::string_view key) const { return find(key) != nullptr; }

SourcePos ParamReader::where(std::string_view key) const {
  const ParamValue* v = find(key);
  return v ? v->pos : section_pos_;
}

void ParamReader::fail(std::string_view key, const std::string& message) const {
  throw ParamError(where(key), fmt::format("[{}] {}", section_, key), message);
}

void ParamReader::check_range(const ParamSpec& s, double x, const SourcePos& pos) const {
  const bool low_bad = s.min_open ? !(x > s.min) : !(x >= s.min);
  const bool high_bad = s.max_open ? !(x < s.max) : !(x <= s.max);
  if (std::isnan(x) || low_bad || high_bad)
    throw ParamError(pos, fmt::format("[{}] {}", section_, s.key),
                     fmt::format("value {} is out of range: expected {}", scalar_text(Scalar{x}), s.range_text()));
}

namespace {
[[noreturn]] void missing(const ParamReader& r, std::string_view key) {
  r.fail(key, "is required but missing");
}
}  // namespace

std::int64_t ParamReader::integer(std::string_view key) const {
  const ParamSpec& s = spec(key);
  const ParamValue* v = find(key);
  if (!v) {
    if (auto* d = std::get_if<std::int64_t>(&s.fallback)) return *d;
    missing(*this, key);
  }
  const auto* i = std::get_if<std::int64_t>(&v->scalar);
  if (v->is_table || !i)
    throw ParamError(v->pos, fmt::format("[{}] {}", section_, key),
                     fmt::format("expected {}, got {}", s.range_text(), value_text(*v)));
  check_range(s, static_cast<double>(*i), v->pos);
  return *i;
}

double ParamReader::real(std::string_view key) const {
  const ParamSpec& s = spec(key);
  const ParamValue* v = find(key);
  if (!v) {
    if (auto* d = std::get_if<double>(&s.fallback)) return *d;
    if (auto* d = std::get_if<std::int64_t>(&s.fallback)) return static_cast<double>(*d);
    missing(*this, key);
  }
  double x = 0;
  if (auto* d = std::get_if<double>(&v->scalar); d && !v->is_table) x = *d;
  else if (auto* i = std::get_if<std::int64_t>(&v->scalar); i && !v->is_table) x = static_cast<double>(*i);
  else
    throw ParamError(v->pos, fmt::format("[{}] {}", section_, key),
                     fmt::format("expected {}, got {}", s.range_text(), value_text(*v)));
  check_range(s, x, v->pos);
  return x;
}

bool ParamReader::boolean(std::string_view key) const {
  const ParamSpec& s = spec(key);
  const ParamValue* v = find(key);
  if (!v) {
    if (auto* d = std::get_if<bool>(&s.fallback)) return *d;
    missing(*this, key);
  }
  const auto* b = std::get_if<bool>(&v->scalar);
  if (v->is_table || !b)
    throw ParamError(v->pos, fmt::format("[{}] {}", section_, key),
                     fmt::format("expected a boolean (true or false), got {}", value_text(*v)));
  return *b;
}

std::string ParamReader::text(std::string_view key) const {
  const ParamSpec& s = spec(key);
  const ParamValue* v = find(key);
  if (!v) {
    if (auto* d = std::get_if<std::string_view>(&s.fallback)) return std::string(*d);
    missing(*this, key);
  }
  const auto* str = std::get_if<std::string>(&v->scalar);
  if (v->is_table || !str)
    throw ParamError(v->pos, fmt::format("[{}] {}", section_, key),
                     fmt::format("expected {}, got {}", s.range_text(), value_text(*v)));
  if (s.type == ParamType::choice || s.type == ParamType::choice_or_table) {
    bool ok = false;
    for (auto c : s.choices) ok = ok || c == *str;
    if (!ok)
      throw ParamError(v->pos, fmt::format("[{}] {}", section_, key),
                       fmt::format("unknown value \"{}\": expected {}", *str, s.range_text()));
  }
  return *str;
}

std::optional<std::vector<std::pair<std::string, Scalar>>> ParamReader::table(std::string_view key) const {
  spec(key);
  const ParamValue* v = find(key);
  if (!v || !v->is_table) return std::nullopt;
  return v->table;
}

std::vector<std::pair<std::string, Scalar>> ParamReader::resolved() const {
  std::vector<std::pair<std::string, Scalar>> out;
  for (const auto& s : specs_) {
    const ParamValue* v = find(s.key);
    if (v) {
      out.emplace_back(std::string(s.key), v->is_table ? Scalar{value_text(*v)} : v->scalar);
      continue;
    }
    std::visit(
        [&](const auto& d) {
          using D = std::decay_t<decltype(d)>;
          if constexpr (std::is_same_v<D, std::string_view>) out.emplace_back(std::string(s.key), Scalar{std::string(d)});
          else if constexpr (!std::is_same_v<D, std::monostate>) out.emplace_back(std::string(s.key), Scalar{d});
        },
        s.fallback);
  }
  return out;
}

}  // namespace ptmc
