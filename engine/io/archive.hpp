// A minimal binary archive for checkpoints: the same serialize() call saves and loads a state.
#pragma once
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <type_traits>
#include <vector>

namespace ptmc {

class Archive {
 public:
  static Archive writer() { return Archive(true, {}); }
  static Archive reader(std::vector<std::uint8_t> bytes) { return Archive(false, std::move(bytes)); }

  bool saving() const noexcept { return saving_; }
  const std::vector<std::uint8_t>& bytes() const noexcept { return bytes_; }

  template <class T>
    requires std::is_trivially_copyable_v<T>
  void io(T& value) {
    raw(&value, sizeof(T));
  }
  template <class T>
    requires std::is_trivially_copyable_v<T>
  void io(std::vector<T>& v) {
    std::uint64_t n = v.size();
    io(n);
    if (!saving_) {
      if (n * sizeof(T) > bytes_.size() - pos_) throw std::runtime_error("checkpoint archive truncated");
      v.resize(n);
    }
    raw(v.data(), n * sizeof(T));
  }

 private:
  Archive(bool saving, std::vector<std::uint8_t> bytes) : saving_(saving), bytes_(std::move(bytes)) {}
  void raw(void* p, std::size_t n) {
    if (n == 0) return;
    if (saving_) {
      const auto* b = static_cast<const std::uint8_t*>(p);
      bytes_.insert(bytes_.end(), b, b + n);
    } else {
      if (n > bytes_.size() - pos_) throw std::runtime_error("checkpoint archive truncated");
      std::memcpy(p, bytes_.data() + pos_, n);
      pos_ += n;
    }
  }
  bool saving_;
  std::vector<std::uint8_t> bytes_;
  std::size_t pos_ = 0;
};

}  // namespace ptmc
