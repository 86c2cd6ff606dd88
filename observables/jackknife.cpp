#include "observables/jackknife.hpp"

#include <cmath>

namespace ptmc {

Estimate jackknife(const std::vector<std::vector<double>>& rows, const Estimator& f) {
  Estimate e;
  const std::size_t n = rows.size();
  if (n == 0) return {NAN, NAN};
  const std::size_t m = rows[0].size();
  std::vector<double> total(m, 0.0);
  for (const auto& r : rows)
    for (std::size_t j = 0; j < m; ++j) total[j] += r[j];
  std::vector<double> avg(m);
  for (std::size_t j = 0; j < m; ++j) avg[j] = total[j] / static_cast<double>(n);
  e.value = f(avg);
  if (n < 2) {
    e.error = NAN;
    return e;
  }
  std::vector<double> leave(m), estimates(n);
  double mean = 0;
  for (std::size_t k = 0; k < n; ++k) {
    for (std::size_t j = 0; j < m; ++j) leave[j] = (total[j] - rows[k][j]) / static_cast<double>(n - 1);
    estimates[k] = f(leave);
    mean += estimates[k];
  }
  mean /= static_cast<double>(n);
  double s = 0;
  for (double x : estimates) s += (x - mean) * (x - mean);
  e.error = std::sqrt(static_cast<double>(n - 1) / static_cast<double>(n) * s);
  return e;
}

Estimate mean_over_samples(std::span<const double> values) {
  std::vector<std::vector<double>> rows;
  for (double v : values) rows.push_back({v});
  return jackknife(rows, [](std::span<const double> a) { return a[0]; });
}

}  // namespace ptmc
