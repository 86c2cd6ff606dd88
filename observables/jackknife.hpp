// Jackknife estimates of a function of several averages: across disorder samples, or across bins of
// one time series. rows[k] holds the k-th sample's (or bin's) values of every input.
#pragma once
#include <functional>
#include <span>
#include <vector>

namespace ptmc {

struct Estimate {
  double value = 0;
  double error = 0;
};

using Estimator = std::function<double(std::span<const double>)>;

// value = f(average over rows); error = sqrt((n-1)/n Σ_k (f(leave-k-out average) - mean)²).
Estimate jackknife(const std::vector<std::vector<double>>& rows, const Estimator& f);

// The common case: the mean of one quantity over samples, with its standard error.
Estimate mean_over_samples(std::span<const double> values);

}  // namespace ptmc
