// Errors in parameter files: they name the file, line, column and key, and say what was expected.
#pragma once
#include <stdexcept>
#include <string>

namespace ptmc {

struct SourcePos {
  std::string file;
  int line = 0;
  int column = 0;
};

class ParamError : public std::runtime_error {
 public:
  ParamError(const SourcePos& where, const std::string& key, const std::string& message);
  const SourcePos& where() const noexcept { return where_; }
  const std::string& key() const noexcept { return key_; }

 private:
  SourcePos where_;
  std::string key_;
};

}  // namespace ptmc
