// Exact and RS answers for the reference models: Curie–Weiss (exact at finite N by summing over the
// magnetisation, and N → ∞), SK (RS; the high-temperature energy with its 1/N correction).
#pragma once
#include <span>

#include "analysis/theory.hpp"
#include "models/curie_weiss.hpp"
#include "models/sherrington_kirkpatrick.hpp"

namespace ptmc::theory {

struct CurieWeissExact {
  double energy, m_abs, m2, m4, q2;  // per spin; q2 = <q^2> between two independent replicas
};
CurieWeissExact curie_weiss_exact(int N, double beta);
double curie_weiss_mean_field_m(double beta);  // largest root of m = tanh(βm)

struct SkRs {
  double q, energy;
};
SkRs sk_replica_symmetric(double beta);
// Disorder-averaged energy per spin for T > 1 at finite N: -β(N-1)/(2N) + β³/(2N(1-β²)).
double sk_paramagnet_energy(int N, double beta);

// `ptmc theory` for curie_weiss: energy, m, m2, q2, binder exact at N; m_inf and energy_inf at N → ∞.
Curves curie_weiss_curves(const CurieWeiss::Params& p, std::span<const double> beta);
// `ptmc theory` for sk: the RS energy, q and q2; energy_finite_n, the paramagnet at N (T > 1).
Curves sk_curves(const SherringtonKirkpatrick::Params& p, std::span<const double> beta);

}  // namespace ptmc::theory
