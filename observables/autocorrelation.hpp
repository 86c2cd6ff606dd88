// Integrated autocorrelation time from the autocorrelation function with Sokal's automatic window
// (sum up to the first W with W >= c·τ_int(W)); an independent cross-check of the binning estimate.
#pragma once
#include <span>
#include <vector>

namespace ptmc {

// Normalised autocorrelation ρ(t), t = 0..max_lag.
std::vector<double> autocorrelation(std::span<const double> series, std::size_t max_lag);

// τ_int = 1/2 + Σ_{t=1}^{W} ρ(t), with the window W chosen self-consistently (c = 6 by default).
double integrated_autocorrelation_time(std::span<const double> series, double c = 6.0);

}  // namespace ptmc
