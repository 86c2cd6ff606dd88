// P(q) averaged over disorder samples: each sample's histogram (counts over replica pairs and
// measurements) becomes a normalised density, and the densities are averaged with their standard
// error over samples (samples are independent, measurements within one are not).
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace ptmc {

struct OverlapDistribution {
  int temperatures = 0, bins = 0;
  std::vector<double> q;            // [bins] bin centres on [-1, 1]
  std::vector<double> density;      // [T][bins], ∫ P(q) dq = 1 at every temperature
  std::vector<double> error;        // [T][bins] standard error over samples (NaN with one sample)
};

// counts: one [T][bins] histogram per sample.
OverlapDistribution average_overlap_distribution(const std::vector<std::vector<std::int64_t>>& counts, int temperatures,
                                                 int bins);

}  // namespace ptmc
