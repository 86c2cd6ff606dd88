// Exact and RS answers for the reference models: Curie–Weiss (exact at finite N by summing over the
// magnetisation, and N → ∞), SK (RS; the high-temperature energy with its 1/N correction).
#pragma once
#include <span>

#include "analysis/theory.hpp"

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

Curves curie_weiss_curves(const ParamReader& point, std::span<const double> beta);
Curves sk_curves(const ParamReader& point, std::span<const double> beta);

}  // namespace ptmc::theory
