// Single-spin-flip acceptance rules, the random numbers of an attempt, and the sweep loop. β = +inf
// is zero-temperature dynamics.
#pragma once
#include <cmath>
#include <cstdint>

#include "engine/params/config.hpp"
#include "engine/sweep/rng.hpp"

namespace ptmc {

// The uniform of an attempt, known in part: its leading bits, and a mask of the low bits not drawn
// yet (u is the top 53 bits of bits / 2^64, as Rng::to_uniform).
struct PartialUniform {
  std::uint64_t bits = 0;
  std::uint64_t unknown = 0;  // 0: whole; kSiteShared: the low 32 bits are still to be drawn
  static constexpr std::uint64_t kSiteShared = 0xffffffffULL;
};

// The draws of an attempt. In random order one 64-bit draw serves both: its high 32 bits pick the site
// (Lemire, as Rng::below) and its low 32 bits lead the uniform, whose other 21 bits are drawn only when
// the decision depends on them (see decide: probability about 2^-32 per attempt). In sequential order
// there is no site draw and the uniform is one whole draw, taken when the rule asks for it.
inline int attempt_site(std::uint64_t draw, int n) { return static_cast<int>(Rng::scale(draw, static_cast<std::uint32_t>(n))); }
inline PartialUniform attempt_uniform(bool sequential, std::uint64_t site_draw, Rng& rng) {
  if (sequential) return {rng(), 0};
  return {site_draw << 32, PartialUniform::kSiteShared};
}

// accepts(u) for a rule whose accepted u form [0, t) (u < p, and the rounded u (1 + e^x) < 1, are
// monotone in u): settled by the smallest and the largest value the known bits allow when they agree,
// else by the whole uniform, its unknown bits drawn now. Every implementation of a rule that decides
// as accepts(u) does draws the same numbers.
template <class Accepts>
bool decide(PartialUniform u, Rng& rng, const Accepts& accepts) {
  if (!accepts(Rng::to_uniform(u.bits))) return false;
  if (u.unknown == 0 || accepts(Rng::to_uniform(u.bits | u.unknown))) return true;
  return accepts(Rng::to_uniform(u.bits | (rng() >> 32)));
}

// Metropolis: accept with min(1, e^{-βΔE}); the uniform (`uniform()`, a PartialUniform) only when ΔE > 0.
template <class Uniform>
bool metropolis_accept(double beta, double dE, const Uniform& uniform, Rng& rng) {
  if (dE <= 0.0) return true;
  const double p = std::exp(-beta * dE);
  return decide(uniform(), rng, [p](double u) { return u < p; });
}

// Heat bath (Glauber): accept with 1 / (1 + e^{βΔE}); at β = inf, ΔE = 0 is accepted with 1/2.
template <class Uniform>
bool heat_bath_accept(double beta, double dE, const Uniform& uniform, Rng& rng) {
  const double c = 1.0 + std::exp(dE == 0.0 ? 0.0 : beta * dE);
  return decide(uniform(), rng, [c](double u) { return u * c < 1.0; });
}

// One sweep: N attempted flips, sites in random or sequential order. Returns accepted flips.
// The generator is copied into a local for the loop (the model cannot alias it, so its position
// stays in a register, as in engine/sweep/fast_sweep.hpp) and written back: the same draws.
template <class M>
std::int64_t sweep(M& model, double beta, Dynamics dynamics, SweepOrder order, Rng& stream) {
  Rng rng = stream;
  const int n = model.size();
  const bool sequential = order == SweepOrder::sequential;
  std::int64_t accepted = 0;
  for (int k = 0; k < n; ++k) {
    const std::uint64_t draw = sequential ? 0 : rng();
    const int i = sequential ? k : attempt_site(draw, n);
    const double dE = model.delta_energy(i);
    const auto uniform = [&] { return attempt_uniform(sequential, draw, rng); };
    const bool ok = dynamics == Dynamics::metropolis ? metropolis_accept(beta, dE, uniform, rng) : heat_bath_accept(beta, dE, uniform, rng);
    if (ok) {
      model.flip(i);
      ++accepted;
    }
  }
  stream = rng;
  return accepted;
}

}  // namespace ptmc
