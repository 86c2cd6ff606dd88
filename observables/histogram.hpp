// Fixed-range histogram of an overlap on [-1, 1] (P(q)); counts stay integers so that sums over
// samples and checkpoints are exact.
#pragma once
#include <cstdint>
#include <vector>

namespace ptmc {

class OverlapHistogram {
 public:
  explicit OverlapHistogram(int bins = 0) : counts_(static_cast<std::size_t>(bins), 0) {}
  int bins() const { return static_cast<int>(counts_.size()); }
  void add(double q) {
    int b = static_cast<int>((q + 1.0) * 0.5 * bins());
    b = b < 0 ? 0 : (b >= bins() ? bins() - 1 : b);
    ++counts_[static_cast<std::size_t>(b)];
  }
  // Bin b covers [-1 + 2b/bins, -1 + 2(b+1)/bins).
  double center(int b) const { return -1.0 + (2.0 * b + 1.0) / bins(); }
  const std::vector<std::int64_t>& counts() const { return counts_; }
  std::vector<std::int64_t>& counts() { return counts_; }

 private:
  std::vector<std::int64_t> counts_;
};

}  // namespace ptmc
