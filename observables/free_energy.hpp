// Free energies from the Monte Carlo by thermodynamic integration of the energy over the ladder:
// ln Z(β)/N = ln Z(0)/N - ∫_0^β e(β') dβ', e the energy per spin, anchored at β = 0 where
// ln Z(0)/N = ln 2 for Ising spins. f = -(ln Z / N) / β, as the theories' free_energy.
//
// Quadrature: on each interval [β_i, β_{i+1}] the average of the integrals of the two quadratics
// through (i-1, i, i+1) and (i, i+1, i+2) (one of them at the ends of the ladder); the segment
// [0, β_0] integrates the quadratic through the three hottest points, extrapolated (exact when
// β_0 = 0). The quadrature error of an interval is half the difference of its two quadratics (the
// cubic term they disagree on), or, where only one exists, its difference from the trapezoid (the
// extrapolated segment: from the straight line through the two hottest points); these add up along
// the ladder (systematic, not random). A ladder of two temperatures has no curvature to judge:
// trapezoid and straight line, error NaN.
#pragma once
#include <cmath>
#include <span>
#include <vector>

namespace ptmc {

struct EnergyIntegral {
  std::vector<double> log_z;             // ln Z(β_t) / N, per temperature
  std::vector<double> quadrature_error;  // its quadrature error bound
};

// beta ascending, >= 0; temperatures from the first infinite β on get NaN.
EnergyIntegral integrate_energy(std::span<const double> beta, std::span<const double> energy,
                                double log_z0 = std::log(2.0));

struct FreeEnergyEstimate {
  std::vector<double> value, error;  // f per spin and its error; NaN at β = 0 and β = inf
  std::vector<double> stat_error, quadrature_error;
};

// rows[k][t]: the mean energy per spin at temperature t of block k of one sample's series, or of
// disorder sample k (then f is the quenched average, the mean of the samples' f). Statistical error
// from the jackknife over rows; error = sqrt(stat² + quadrature²) / β.
FreeEnergyEstimate free_energy(std::span<const double> beta, const std::vector<std::vector<double>>& rows,
                               double log_z0 = std::log(2.0));

}  // namespace ptmc
