#include "observables/overlap_distribution.hpp"

#include <cmath>

namespace ptmc {

OverlapDistribution average_overlap_distribution(const std::vector<std::vector<std::int64_t>>& counts, int temperatures,
                                                 int bins) {
  OverlapDistribution d;
  d.temperatures = temperatures;
  d.bins = bins;
  const double width = 2.0 / bins;
  for (int b = 0; b < bins; ++b) d.q.push_back(-1.0 + (b + 0.5) * width);
  const std::size_t cells = static_cast<std::size_t>(temperatures) * bins;
  std::vector<double> sum(cells, 0.0), sum2(cells, 0.0);
  const double S = static_cast<double>(counts.size());
  for (const auto& c : counts)
    for (int t = 0; t < temperatures; ++t) {
      double total = 0;
      for (int b = 0; b < bins; ++b) total += static_cast<double>(c[t * bins + b]);
      for (int b = 0; b < bins; ++b) {
        const double p = total > 0 ? static_cast<double>(c[t * bins + b]) / (total * width) : 0.0;
        sum[t * bins + b] += p;
        sum2[t * bins + b] += p * p;
      }
    }
  d.density.resize(cells);
  d.error.resize(cells);
  for (std::size_t k = 0; k < cells; ++k) {
    d.density[k] = S > 0 ? sum[k] / S : NAN;
    d.error[k] = S > 1 ? std::sqrt(std::max(0.0, sum2[k] / S - d.density[k] * d.density[k]) / (S - 1)) : NAN;
  }
  return d;
}

}  // namespace ptmc
