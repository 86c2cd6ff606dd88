#include "engine/params/param_error.hpp"

#include <fmt/format.h>

namespace ptmc {

namespace {
std::string format_error(const SourcePos& w, const std::string& key, const std::string& message) {
  std::string where = w.file;
  if (w.line > 0) where += fmt::format(":{}:{}", w.line, w.column);
  if (key.empty()) return fmt::format("{}: error: {}", where, message);
  return fmt::format("{}: error: key '{}': {}", where, key, message);
}
}  // namespace

ParamError::ParamError(const SourcePos& where, const std::string& key, const std::string& message)
    : std::runtime_error(format_error(where, key, message)), where_(where), key_(key) {}

}  // namespace ptmc
