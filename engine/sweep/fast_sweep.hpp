// Exact acceptance without std::exp in the common case, and an opt-in sweep that uses it. The
// decisions and the random numbers consumed are bitwise those of engine/sweep/dynamics.hpp: e^x is first
// bracketed by a cheap approximation with a proven error bound, and std::exp is called only when
// the uniform falls inside that bracket (probability ~1e-10 per attempt) or x is outside its range.
// A model opts in by declaring features.fast_sweep (engine/model_features.hpp) and including this header; the
// constrained sweep() below is then chosen over the generic one (same signature, more constrained).
#pragma once
#include <algorithm>
#include <bit>
#include <climits>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <utility>
#if defined(__LZCNT__)
#include <immintrin.h>
#endif

#include "engine/sweep/acceptance_table.hpp"
#include "engine/params/config.hpp"
#include "engine/sweep/dynamics.hpp"
#include "engine/model_features.hpp"
#include "engine/sweep/rng.hpp"

namespace ptmc {

namespace fast_exp {

// e^x for |x| ≤ 700 with relative error below 1e-8: x = n ln2 + r (Cody–Waite: ln2_hi has 32
// significant bits, so n ln2_hi is exact for |n| < 2^21), |r| ≤ 0.347, Taylor polynomial of degree 7
// (remainder < e^r r^8/8! ≈ 7.5e-9, a hundredth of the bracket's kBand below, which is all the error
// has to stay under; degree 9 cost three more operations per attempt) in Estrin form with fused
// multiply-adds, 2^n from the exponent bits (normal for |n| ≤ 1010).
inline double approx(double x) {
  constexpr double log2e = 1.4426950408889634, ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
  const double n = std::nearbyint(x * log2e);
  const double r = std::fma(-n, ln2_lo, std::fma(-n, ln2_hi, x));
  const double r2 = r * r, r4 = r2 * r2;
  const double p01 = std::fma(r, 1.0, 1.0), p23 = std::fma(r, 1.0 / 6, 0.5), p45 = std::fma(r, 1.0 / 120, 1.0 / 24);
  const double p67 = std::fma(r, 1.0 / 5040, 1.0 / 720);
  const double p03 = std::fma(r2, p23, p01), p47 = std::fma(r2, p67, p45);
  const double p = std::fma(r4, p47, p03);
  const auto bits = static_cast<std::uint64_t>(static_cast<std::int64_t>(n) + 1023) << 52;
  return p * std::bit_cast<double>(bits);
}

// Half-width of the bracket, far above both errors (approx < 1e-8, std::exp < 1 ulp ≈ 2.2e-16); a
// uniform lands inside it with probability ~1e-6 · e^x, and then std::exp decides.
inline constexpr double kBand = 1e-6;
inline constexpr double kRange = 700.0;

// u < std::exp(y), for y ≤ 0 (Metropolis with y = -βΔE). Outside the bracket [e(1 - band),
// e(1 + band)), which holds std::exp(y), comparing with the approximation e decides alike; the one
// branch that depends on u is the rare one, so a coin-flip acceptance costs no extra misprediction.
inline bool metropolis_decide(double u, double y) {
  if (!(y >= -kRange)) return y < -746.0 ? false : u < std::exp(y);  // e^-746 rounds to 0; NaN falls through
  const double e = approx(y);
  if ((u >= e * (1 - kBand)) & (u < e * (1 + kBand))) [[unlikely]]
    return u < std::exp(y);
  return u < e;
}

// The same decision, first trying a bound from the exponent alone: with t = fl(y log2 e) (absolute
// error < 1e-12 for |y| ≤ 700), e^y < 2^(floor(t) + 1 + 1e-12), so u ≥ 2^(floor(t) + 2) rejects.
// When acceptance is low that settles almost every attempt in a few instructions on a predictable
// branch; when it is moderate the branch is a coin flip, so the sweep picks this form only after
// seeing few acceptances.
inline bool metropolis_decide_rare(double u, double y) {
  if (y >= -kRange) {
    const double t = std::floor(y * 1.4426950408889634);
    const auto bound = static_cast<std::uint64_t>(static_cast<std::int64_t>(t) + 2 + 1023) << 52;
    if (u >= std::bit_cast<double>(bound)) return false;
  }
  return metropolis_decide(u, y);
}

// u * (1 + std::exp(x)) < 1 (heat bath with x = βΔE). Rounding is monotone, so bounds on e^x bound
// the rounded product.
inline bool heat_bath_decide(double u, double x) {
  if (!(x >= -kRange && x <= kRange)) return u * (1.0 + std::exp(x)) < 1.0;
  const double e = approx(x);
  const bool below = u * (1.0 + e * (1 + kBand)) < 1.0, above = u * (1.0 + e * (1 - kBand)) >= 1.0;
  if (!(below | above)) [[unlikely]]
    return u * (1.0 + std::exp(x)) < 1.0;
  return below;
}

// Rejection decided in integers, for models whose energy change is unit × an integer d (unit > 0). A
// uniform whose known leading bits (PartialUniform::bits, the unknown ones zero) have z leading zeros is
// at least 2^-(z+1) whatever the rest (u keeps the 53 high bits of the draw: z ≤ 52). It is rejected,
// under Metropolis (u < e^{-βΔE}) and heat bath (u (1 + e^{βΔE}) < 1) alike, once e^{-β unit d} <
// 2^-(z+1), which holds for every d ≥ first(z) = ⌈(z + 1) ln 2 / (β unit (1 - 1e-6))⌉: the margin
// (e^{-x} at least 7e-7 below 2^-(z+1), relative) dwarfs the roundings of the exact rule (~1e-14 for
// x ≤ 40) and of first(z) itself. Only attempts with u below that octave, about 1.44 times as many as
// are accepted, go on to the floating-point decision. The common attempt costs a count of leading
// zeros, a load from L1 that depends on the draw alone (it runs beside ΔE) and a compare, in a loop that
// is bound by the instructions it issues. `negative`: the caller holds -d (a model whose unit is
// negative), and the table holds -first(z), so that no negation is needed either.
template <bool negative = false>
class IntegerReject {
 public:
  IntegerReject(double beta, double unit) {
    const double inv = 1.0 / (beta * unit * (1 - 1e-6));  // +inf for β unit = 0: never early
    for (int z = 0; z <= 64; ++z) {
      // At least 1: ΔE ≤ 0 is never rejected, not even at β = ∞ (where inv = 0).
      const double t = std::max(1.0, std::ceil((z + 1) * 0.6931471805599453 * inv));
      const std::int64_t first = z <= 52 && t < 0x1.0p62 ? static_cast<std::int64_t>(t) : kNever;
      first_[z] = negative ? -first : first;
    }
    // sure(z): the largest d that Metropolis surely accepts with a uniform below 2^-z, e^{-β unit d} ≥
    // 2^-z by the same margin. Beyond z = 32 the known bits of a partial uniform say only u < 2^-32.
    for (int z = 0; z <= 32; ++z) {
      const double t = z == 0 ? 0.0 : std::floor(z * 0.6931471805599453 * (1 - 1e-6) / (beta * unit));
      sure_[z] = t < 0x1.0p62 ? static_cast<std::int64_t>(t) : kNever;
    }
  }
  // Whether bits (the uniform's known leading bits) reject an energy change of d units (of -d when
  // `negative`); d ≤ 0 never (every first(z) ≥ 1).
  bool rejects(std::int64_t d, std::uint64_t bits) const {
    // lzcnt gives 64 for 0 itself, where std::countl_zero compiles to a test and a branch around it.
#if defined(__LZCNT__)
    const std::int64_t t = first_[_lzcnt_u64(bits)];
#else
    const std::int64_t t = first_[std::countl_zero(bits)];
#endif
    return negative ? d <= t : d >= t;
  }
  // Whether Metropolis surely accepts d > 0 units (as the caller holds them once `negative` is undone)
  // with a uniform whose known leading bits are `bits`: no exponential needed. Asked only after
  // rejects() has failed, it halves the exact rule's share of a low-acceptance Hopfield sweep (+1.4 %).
  bool accepts(std::int64_t d, std::uint64_t bits) const {
    const int z = std::countl_zero(bits);
    return d <= sure_[z < 32 ? z : 32];
  }

 private:
  static constexpr std::int64_t kNever = INT64_MAX;
  std::int64_t first_[65];  // first(z), by leading zeros of the known bits (negated when `negative`)
  std::int64_t sure_[33];   // sure(z), by leading zeros up to 32
};

}  // namespace fast_exp

// Same rules, same draws as metropolis_accept / heat_bath_accept in engine/sweep/dynamics.hpp (each
// fast_exp decision equals the std::exp comparison, so decide() draws alike). `rare`: the form with the
// exponent-bound early reject.
template <bool rare = false, class Uniform>
inline bool metropolis_accept_fast(double beta, double dE, const Uniform& uniform, Rng& rng) {
  if (dE <= 0.0) return true;
  const double y = -beta * dE;
  return decide(uniform(), rng, [y](double u) { return rare ? fast_exp::metropolis_decide_rare(u, y) : fast_exp::metropolis_decide(u, y); });
}
template <class Uniform>
inline bool heat_bath_accept_fast(double beta, double dE, const Uniform& uniform, Rng& rng) {
  const double x = dE == 0.0 ? 0.0 : beta * dE;
  return decide(uniform(), rng, [x](double u) { return fast_exp::heat_bath_decide(u, x); });
}

// The same decisions at moderate and high acceptance, from the uniform's known bits (PartialUniform)
// and one evaluation of the approximation: accepted when the largest u they allow is below the bracket,
// rejected when the smallest is at or above it, with no branch on either; the rest (the bracket
// straddled, ~1e-6, or the unknown bits straddling it, ~2^-32, or x out of range) goes to the reference
// rule, which draws as decide() draws. Metropolis takes the uniform even for ΔE ≤ 0 (accepted
// whatever it is): the caller in sequential order, where ΔE ≤ 0 draws none, branches before.
namespace fast_exp {
// Hides a flag's origin from the compiler, so that `if (!settled)` stays one test rather than a branch
// per operand (one of which, the acceptance itself, is a coin flip at moderate acceptance).
[[gnu::always_inline]] inline unsigned opaque(unsigned x) {
#if defined(__GNUC__)
  asm("" : "+r"(x));
#endif
  return x;
}
}  // namespace fast_exp
[[gnu::always_inline]] inline bool metropolis_accept_bracket(double beta, double dE, PartialUniform u, Rng& rng) {
  using namespace fast_exp;
  const double y = -beta * dE;
  const bool in_range = y >= -kRange;  // false for NaN
  const double e = approx(in_range ? (y <= 0.0 ? y : 0.0) : -kRange);
  const double lo = Rng::to_uniform(u.bits), hi = Rng::to_uniform(u.bits | u.unknown);
  const bool down = dE <= 0.0;
  // e^{-700} < e (1 + band): the upper bound holds for every y below the range too.
  const bool ok = down | (in_range & (hi < e * (1 - kBand)));
  if (opaque(static_cast<unsigned>(ok) | static_cast<unsigned>(!down & (lo >= e * (1 + kBand)))) == 0) [[unlikely]]
    return metropolis_accept(beta, dE, [u] { return u; }, rng);
  return ok;
}
[[gnu::always_inline]] inline bool heat_bath_accept_bracket(double beta, double dE, PartialUniform u, Rng& rng) {
  using namespace fast_exp;
  const double x = dE == 0.0 ? 0.0 : beta * dE;
  const bool below_top = x <= kRange, above_bottom = x >= -kRange;  // both false for NaN
  const double e = approx(above_bottom ? (below_top ? x : kRange) : -kRange);
  const double lo = Rng::to_uniform(u.bits), hi = Rng::to_uniform(u.bits | u.unknown);
  // Below the range e^x < e (1 + band) still; above it e^x > e (1 - band) still.
  const bool ok = below_top & (hi * (1.0 + e * (1 + kBand)) < 1.0);
  if (opaque(static_cast<unsigned>(ok) | static_cast<unsigned>(above_bottom & (lo * (1.0 + e * (1 - kBand)) >= 1.0))) == 0) [[unlikely]]
    return heat_bath_accept(beta, dE, [u] { return u; }, rng);
  return ok;
}

namespace detail {
// Floating-point ΔE against a continuous AcceptanceTable of (β, unit q, rule): d = ⌊ΔE / q⌋, one
// entry, two compares, as the integer path decides; only where the entry cannot settle the uniform
// (ΔE near the bucket's ends, about β q ≤ 1/50 of the attempts, or an entry not filled yet) does the
// reference rule run, with std::exp. Against metropolis_accept_bracket's polynomial exponential, the
// engine floor at about 50 % acceptance (bench_models, BM_engine_floor<true>, a model with no work,
// interleaved): see docs/performance.md, "Floating-point ΔE from a table".
struct ContinuousTable {
  AcceptanceTable* table;  // null: β is 0, negative or not finite (the bracket decides)
  AcceptanceTable::Layout lookup;
  double inverse_unit;     // 1 / q
};
// q: the least power of two whose span (T > 0 up to β ΔE = 40 ln 2) fits kContinuousBuckets buckets
// of one d (β q between 1/100 and 1/50, the share of attempts left to std::exp). 2048 buckets (32 KiB of entries)
// against 4096: engine floor 4.7 -> 4.9 ns, but an SK N = 1024 ladder of 48 temperatures on one
// thread kept its rate (11.1-12.0 against 11.3-11.9 M flips/s with the polynomial), where 4096
// buckets (3 MiB of tables for the ladder) lost 10 % to cache misses; 1024 buckets: 5.3 ns.
inline constexpr int kContinuousBuckets = 2048;
inline ContinuousTable continuous_table(double beta, bool metropolis) {
  if (!(beta > 0.0 && beta < 0x1p60)) return {nullptr, {}, 0.0};
  const double least = 40 * 0.6931471805599453 / (beta * (kContinuousBuckets - 4));
  const double unit = std::exp2(std::ceil(std::log2(least)));
  AcceptanceTable& table = AcceptanceTables::local().get(beta, unit, metropolis, true);
  return {&table, table.layout(), 1.0 / unit};
}
template <bool metropolis>
[[gnu::noinline]] bool continuous_decide_slow(const ContinuousTable& t, bool finite, std::int64_t d, double beta, double dE, PartialUniform u,
                                              Rng& rng) {
  if (finite && AcceptanceTable::unfilled(t.table->entry(d))) {
    const AcceptanceTable::Entry& e = t.table->fill(d);
    if ((u.bits | u.unknown) >> 11 < e.accept) return true;
    if ((u.bits >> 11) >= e.reject) return false;
  }
  const auto drawn = [u] { return u; };
  return metropolis ? metropolis_accept(beta, dE, drawn, rng) : heat_bath_accept(beta, dE, drawn, rng);
}
template <bool metropolis>
[[gnu::always_inline]] inline bool continuous_table_accept(const ContinuousTable& t, double beta, double dE, PartialUniform u, Rng& rng) {
  const double scaled = dE * t.inverse_unit;  // exact: a power of two
  const bool finite = std::abs(scaled) < 0x1p62;  // false for ±inf and NaN: the reference rule decides
  // Metropolis truncates: a ΔE in (-q, 0) then finds d = 0's entry, [0, q), whose accept bound
  // still settles all but about β q of its uniforms (accepted, as every ΔE ≤ 0, by the exact rule).
  // Heat bath needs the floor. (Truncating saved 0.6 ns per attempt at 50 %, BM_engine_floor<true>.)
  const double kept = finite ? scaled : 0.0;
  const auto d = static_cast<std::int64_t>(metropolis ? kept : std::floor(kept));
  const AcceptanceTable::Entry& e = t.lookup.entry(d);
  const bool ok = finite & ((u.bits | u.unknown) >> 11 < e.accept);
  if (fast_exp::opaque(static_cast<unsigned>(ok) | static_cast<unsigned>(finite & ((u.bits >> 11) >= e.reject))) == 0) [[unlikely]]
    return continuous_decide_slow<metropolis>(t, finite, d, beta, dE, u, rng);
  return ok;
}

// Random order: a model with a prefetch(i) hint is asked now for the data of the next attempt's site,
// the next draw (wrong only when this attempt draws the rest of its uniform, about once in 2^32, and a
// wrong guess costs only the hint). The draw is peeked, not taken: same draws, same decisions.
// Measured on dense_hebbian: +20 % at N = 16384 K = 1024 (rows in L3), +25–50 % at N = 32768 K = 2048,
// -5 % at N = 4096 K = 256 (rows in L2), where dense_hebbian declines it (prefetch_pays()).
template <class M>
inline void prefetch_next_site(const M& model, const Rng& rng, int n) {
  if constexpr (features_of<M>().prefetch) {
    model.prefetch(attempt_site(rng.peek(), n));
  }
}
// Whether to ask for hints in this sweep: a model whose data sits in the inner caches can say no
// (prefetch_pays() false), and the stream is then not peeked at.
template <class M>
inline bool wants_prefetch(const M& model, bool sequential) {
  if constexpr (features_of<M>().prefetch) {
    if constexpr (ImplementsPrefetchChoice<M>) return !sequential && model.prefetch_pays();
    return !sequential;
  }
  return false;
}

// The model's delta_energy as a functor, or the specialised one it offers: a model may define
// with_energy_kernel(f), calling f(k) with a functor k, k(i) == delta_energy(i) bit for bit, whose
// type the loops are then compiled for; they hold it by value, a copy no call can reach, so what it
// holds stays in registers across flips (see BinaryPerceptron).
template <class M, class F>
decltype(auto) with_energy_kernel(const M& model, F&& f) {
  if constexpr (features_of<M>().energy_kernel) return model.with_energy_kernel(std::forward<F>(f));
  else return f([&model](int i) { return model.delta_energy(i); });
}

// Attempts k0..k1-1 of a sweep. `rare`: Metropolis with the exponent-bound early reject.
template <class M, bool metropolis, bool sequential, bool rare, class Energy>
std::int64_t fast_sweep_range(M& model, const Energy energy, double beta, Rng& stream, int k0, int k1) {
  const int n = model.size();
  std::int64_t accepted = 0;
  // A local copy: no call into the model can alias it, so its position in the buffer stays in a register.
  Rng rng = stream;
  const bool hint = wants_prefetch(model, sequential);
  const ContinuousTable table = rare ? ContinuousTable{nullptr, {}, 0.0} : continuous_table(beta, metropolis);
  for (int k = k0; k < k1; ++k) {
    const std::uint64_t draw = sequential ? 0 : rng();
    const int i = sequential ? k : attempt_site(draw, n);
    if (hint) prefetch_next_site(model, rng, n);
    const double dE = energy(i);
    bool ok;
    if constexpr (rare) {
      ok = metropolis_accept_fast<true>(beta, dE, [&] { return attempt_uniform(sequential, draw, rng); }, rng);
    } else if (sequential && metropolis && dE <= 0.0) {
      ok = true;  // no uniform drawn (metropolis_accept)
    } else {
      const PartialUniform u = attempt_uniform(sequential, draw, rng);
      if (table.table != nullptr) ok = continuous_table_accept<metropolis>(table, beta, dE, u, rng);
      else ok = metropolis ? metropolis_accept_bracket(beta, dE, u, rng) : heat_bath_accept_bracket(beta, dE, u, rng);
    }
    accepted += ok;
    if constexpr (!rare && features_of<M>().masked_flip) model.flip_if(i, ok);  // no branch on ok
    else if (ok) model.flip(i);
  }
  stream = rng;
  return accepted;
}

// An attempt the table entry did not settle: fill the entry if it was not computed yet and try again,
// else the exact rule with the uniform as drawn so far (the rest drawn as decide() draws it).
template <bool metropolis>
[[gnu::noinline]] bool table_decide_slow(AcceptanceTable& table, std::int64_t d, double dE, double beta, PartialUniform u, Rng& rng) {
  if (AcceptanceTable::unfilled(table.entry(d))) {
    const AcceptanceTable::Entry& e = table.fill(d);
    if ((u.bits | u.unknown) >> 11 < e.accept) return true;
    if ((u.bits >> 11) >= e.reject) return false;
  }
  const auto drawn = [u] { return u; };
  return metropolis ? metropolis_accept_fast(beta, dE, drawn, rng) : heat_bath_accept_fast(beta, dE, drawn, rng);
}

// The decision of metropolis_accept / heat_bath_accept for ΔE = unit × d (unit > 0) from the table of
// (β, unit, rule): same outcome, same draws. `parked(f)` returns f() (the call to the exact rule);
// a loop that holds vectors in registers puts them in memory around it (see resident_attempt).
// `lookup`: table.layout(), held by the loop.
template <bool metropolis, class Parked>
[[gnu::always_inline]] inline bool table_accept(const AcceptanceTable::Layout& lookup, AcceptanceTable& table, std::int64_t d, double unit, double beta,
                                                PartialUniform u, Rng& rng, const Parked& parked) {
  const AcceptanceTable::Entry& e = lookup.entry(d);
  const bool ok = (u.bits | u.unknown) >> 11 < e.accept;
  // Settled by either bound (one test: fast_exp::opaque).
  if (fast_exp::opaque(static_cast<unsigned>(ok) | static_cast<unsigned>((u.bits >> 11) >= e.reject)) == 0) [[unlikely]]
    return parked([&] { return table_decide_slow<metropolis>(table, d, unit * static_cast<double>(d), beta, u, rng); });
  return ok;
}
template <bool metropolis>
[[gnu::always_inline]] inline bool table_accept(AcceptanceTable& table, std::int64_t d, double unit, double beta, PartialUniform u, Rng& rng) {
  return table_accept<metropolis>(table.layout(), table, d, unit, beta, u, rng, [](const auto& decide) { return decide(); });
}

// The model's delta_units as a functor, or the specialised one it offers: a model may define
// with_delta_kernel(f), calling f(k) with a functor k, k(i) == delta_units(i), whose type the loop
// below is then compiled for (see DenseHebbian).
template <class M, class F>
decltype(auto) with_delta_kernel(const M& model, F&& f) {
  if constexpr (features_of<M>().delta_kernel) return model.with_delta_kernel(std::forward<F>(f));
  else return f([&model](int i) { return model.delta_units(i); });
}

// The same attempts for an IntegerDeltaModel at low acceptance: the energy change stays an integer
// until IntegerReject has failed to settle the attempt.
// `negative`: energy_unit() < 0, so ΔE = |unit| × (-delta(i)), with delta(i) == delta_units(i). `delta` is
// taken by value: a copy no call can reach, so the loop keeps what it holds in registers across flips.
// `hint`: ask for the next site's data (wants_prefetch), fixed at compile time so that the loop without
// hints keeps the registers the peek would take.
template <class M, bool metropolis, bool sequential, bool negative, bool hint, class Delta>
std::int64_t integer_sweep_loop(M& model, const Delta delta, double beta, Rng& stream, int k0, int k1) {
  const int n = model.size();
  const double unit = negative ? -model.energy_unit() : model.energy_unit();
  const fast_exp::IntegerReject<negative> early(beta, unit);
  std::int64_t accepted = 0;
  Rng rng = stream;
  for (int k = k0; k < k1; ++k) {
    // Attempts rejected on the uniform's known leading bits (IntegerReject: the smallest u they allow
    // is above e^{-βΔE}), as decide() rejects on them, with no further draw: nearly all of them at low
    // acceptance. They run in an inner loop with no call, so that what it holds stays in registers
    // (with the calls below in the same loop, GCC kept the kernel's addresses on the stack and
    // reloaded them at every attempt).
    int i = 0;
    std::int64_t d = 0;
    PartialUniform u;
    for (;; ++k) {
      if (k == k1) {
        stream = rng;
        return accepted;
      }
      const std::uint64_t draw = sequential ? 0 : rng();
      i = sequential ? k : attempt_site(draw, n);
      if constexpr (hint) prefetch_next_site(model, rng, n);
      d = delta(i);  // ΔE = unit × (negative ? -d : d)
      if (sequential && metropolis && (negative ? d >= 0 : d <= 0)) break;  // accepted with no uniform drawn (below)
      u = attempt_uniform(sequential, draw, rng);
      if (!early.rejects(d, u.bits)) break;  // ΔE ≤ 0 is never rejected early
    }
    if (negative) d = -d;
    bool ok;
    if (metropolis && (d <= 0 || early.accepts(d, u.bits))) {
      ok = true;  // ΔE = unit d ≤ 0 (unit > 0): as metropolis_accept; or u < 2^-z ≤ e^{-βΔE}
    } else {
      const double dE = unit * static_cast<double>(d);
      const auto drawn = [u] { return u; };  // the uniform as drawn so far
      ok = metropolis ? metropolis_accept_fast<true>(beta, dE, drawn, rng) : heat_bath_accept_fast(beta, dE, drawn, rng);
    }
    if (ok) {
      model.flip(i);
      ++accepted;
    }
  }
  stream = rng;
  return accepted;
}

template <class M, bool metropolis, bool sequential, bool negative, class Delta>
std::int64_t integer_sweep_range(M& model, const Delta& delta, double beta, Rng& rng, int k0, int k1) {
  if constexpr (features_of<M>().prefetch)
    if (wants_prefetch(model, sequential)) return integer_sweep_loop<M, metropolis, sequential, negative, true>(model, delta, beta, rng, k0, k1);
  return integer_sweep_loop<M, metropolis, sequential, negative, false>(model, delta, beta, rng, k0, k1);
}

// The same attempts for an IntegerDeltaModel at moderate and high acceptance: the decision is one
// load from the AcceptanceTable of (β, |unit|, rule) and two integer compares, settled whatever the
// uniform's unknown bits (random order) but for ~2^-32 of the attempts, which go to the exact rule with
// the uniform as drawn so far (the draws of decide()). The one branch that depends on the draw is the
// flip's. Sequential Metropolis draws no uniform for ΔE ≤ 0 (as metropolis_accept), so it branches on it.
template <class M, bool metropolis, bool sequential, bool negative, bool hint, class Delta>
std::int64_t table_sweep_loop(M& model, const Delta delta, double beta, AcceptanceTable& table, Rng& stream, int k0, int k1) {
  const int n = model.size();
  const double unit = negative ? -model.energy_unit() : model.energy_unit();
  std::int64_t accepted = 0;
  Rng rng = stream;
  for (int k = k0; k < k1; ++k) {
    // Attempts surely rejected (the smallest m the known bits allow is at or above the entry's reject
    // bound) run in an inner loop with no call, as integer_sweep_loop's, so that the kernel's state
    // stays in registers; its exit (an acceptance, or rarely an unsettled attempt) is the one branch
    // that depends on the draw.
    int i = 0;
    std::int64_t d = 0;
    PartialUniform u;
    std::uint64_t accept_bound = AcceptanceTable::kOne;
    for (;; ++k) {
      if (k == k1) {
        stream = rng;
        return accepted;
      }
      const std::uint64_t draw = sequential ? 0 : rng();
      i = sequential ? k : attempt_site(draw, n);
      if constexpr (hint) prefetch_next_site(model, rng, n);
      d = delta(i);
      if (negative) d = -d;  // ΔE = unit × d
      if (sequential && metropolis && d <= 0) {
        u = PartialUniform{0, 0};  // accepted, no uniform drawn (metropolis_accept)
        accept_bound = AcceptanceTable::kOne;
        break;
      }
      u = attempt_uniform(sequential, draw, rng);
      const AcceptanceTable::Entry& e = table.entry(d);
      accept_bound = e.accept;
      if ((u.bits >> 11) < e.reject) break;
    }
    // Not surely rejected: accepted whatever the unknown bits, or (rarely) the exact rule decides.
    if ((u.bits | u.unknown) >> 11 >= accept_bound) [[unlikely]]
      if (!table_decide_slow<metropolis>(table, d, unit * static_cast<double>(d), beta, u, rng)) continue;
    model.flip(i);
    ++accepted;
  }
  stream = rng;
  return accepted;
}

// The same attempts, random order, for a model with a masked flip (features.masked_flip): no branch
// depends on the draw but the one to the exact rule (~2^-32 of the attempts, or an entry not filled
// yet). Each attempt is the site, ΔE, one table load, two compares and flip_if; at ~50 % acceptance the
// accept branch of table_sweep_loop, a coin flip, cost more than the masked flip's arithmetic.
template <class M, bool metropolis, bool negative, bool hint, class Delta>
std::int64_t masked_table_sweep_loop(M& model, const Delta delta, double beta, AcceptanceTable& table, Rng& stream, int k0, int k1) {
  const int n = model.size();
  const double unit = negative ? -model.energy_unit() : model.energy_unit();
  std::int64_t accepted = 0;
  Rng rng = stream;
  for (int k = k0; k < k1; ++k) {
    const std::uint64_t draw = rng();
    const int i = attempt_site(draw, n);
    if constexpr (hint) prefetch_next_site(model, rng, n);
    std::int64_t d = delta(i);
    if (negative) d = -d;  // ΔE = unit × d
    const bool ok = table_accept<metropolis>(table, d, unit, beta, attempt_uniform(false, draw, rng), rng);
    model.flip_if(i, ok);
    accepted += ok;
  }
  stream = rng;
  return accepted;
}

// The same attempts, random order, for a model that corrects a ΔE for a flip (features.pair_delta):
// the next attempt's site is peeked and its ΔE computed before this attempt is decided, then corrected
// if this attempt flips. At moderate acceptance the accept branch is mispredicted at about every
// other attempt; the long part of the next ΔE (row and overlap loads, the masked sums) then precedes
// the branch and survives the flush, and the correction (one popcount of two rows for Hopfield) is
// all the next decision still waits for (Hopfield N = 4096, K = 256: 6–10 % fewer µs per sweep at 48–71 %
// acceptance, table_sweep_range). The draws are taken as the reference takes them: if the
// decision drew the rest of its uniform (~2^-32 of the attempts), the peeked site is not the next one,
// and its ΔE is computed again.
template <class M, bool metropolis, bool negative, class Delta>
std::int64_t lookahead_table_sweep_loop(M& model, const Delta delta, double beta, AcceptanceTable& table, Rng& stream, int k0, int k1) {
  if (k0 >= k1) return 0;
  const int n = model.size();
  const double unit = negative ? -model.energy_unit() : model.energy_unit();
  std::int64_t accepted = 0;
  Rng rng = stream;
  std::uint64_t draw = rng();
  int i = attempt_site(draw, n);
  std::int64_t d = delta(i);  // in the model's units: negated only for the decision
  for (int k = k0;; ++k) {
    const PartialUniform u = attempt_uniform(false, draw, rng);
    const std::uint64_t peeked = rng.peek();
    int next = attempt_site(peeked, n);
    std::int64_t next_d = delta(next);  // before this attempt's flip, corrected below if it flips
    const bool ok = table_accept<metropolis>(table, negative ? -d : d, unit, beta, u, rng);
    if (ok) {
      model.flip(i);
      ++accepted;
      next_d = model.delta_units_after_flip(next, next_d, i);
    }
    if (k + 1 == k1) break;
    draw = rng();
    if (draw != peeked) [[unlikely]] {  // the decision drew: the next site is another one
      next = attempt_site(draw, n);
      next_d = delta(next);
    }
    i = next;
    d = next_d;
  }
  stream = rng;
  return accepted;
}

// One walker's attempts with a kernel that holds the state its ΔE reads in registers for the sweep
// (features.resident_kernel). The kernel offers delta(i) (delta_units), flip_if(i, ok) (the flip when
// ok, with no branch on ok), after_flip(j, d, i) (site j's units d corrected for a flip of site i,
// asked before flip_if, from the state before it), store(flips) (the state written back to the model,
// with the count of flips), park() and unpark() (its registers to memory and back, around a call:
// resident_parked) and kSequentialAlone (whether one walker's sequential sweep should take
// it). With no branch on the draw and no store of the state, an attempt waits for the masked update,
// the next ΔE's sum and the table entry; computing the next ΔE before this decision, as
// lookahead_table_sweep_loop does, halves that chain, and computing its correction before the
// decision too leaves the next decision only a select to wait for (asked after flip_if, the
// correction read the flipped spin back from memory: multitasking N = 4096, K = 4, one walker 73 ->
// 89 M flips/s at 97 % acceptance, bench_acceptance; Hopfield within noise). Same draws: if the
// decision drew (~2^-32 of the attempts), the peeked site is not the next one.
//
// The loop that drives the attempts (resident_sweep_loop, or engine/sweep/paired_sweep.hpp's for two
// walkers) holds the kernel and the stream as plain locals, which no call can reach, so that the
// kernel's state stays in registers (as members of one object with the rest, 2-5 % slower).
struct ResidentPosition {
  std::uint64_t draw;  // the current attempt's draw (its site and the uniform's leading bits; random order)
  int site;
  std::int64_t units;  // its ΔE in the model's units, corrected for every earlier flip
  std::int64_t accepted;
};
// `if_flipped` when ok, else `kept`, with no branch on ok.
[[gnu::always_inline]] inline std::int64_t chosen(bool ok, std::int64_t if_flipped, std::int64_t kept) {
  return kept + ((if_flipped - kept) & -static_cast<std::int64_t>(ok));
}
// f() (the call to the exact rule, ~2^-32 of the attempts and a table's first use of an entry) with
// the kernels' registers written to memory before it and read back after it (Kernel::park, unpark):
// no register survives a call, so the kernels' registers are not live across it. Together with the
// table's layout held by the loop (table_accept's `lookup`), Hopfield N = 4096, K = 256 at 48 %:
// two walkers 61-64 -> 65-68 M flips/s per walker, one walker 61 -> 65 M (the loops alone; the
// Hopfield ladder within noise).
template <class F, class... Kernels>
[[gnu::always_inline]] inline bool resident_parked(const F& f, Kernels&... kernel) {
  (kernel.park(), ...);
  const bool ok = f();
  (kernel.unpark(), ...);
  return ok;
}
// `sequential`: sites k0, k0 + 1, ... in turn, with no site draw (`draw` unused).
template <bool sequential, class Kernel>
[[gnu::always_inline]] inline ResidentPosition resident_start(const Kernel& kernel, Rng& rng, int n, int k0) {
  const std::uint64_t draw = sequential ? 0 : rng();
  const int site = sequential ? k0 : attempt_site(draw, n);
  return {draw, site, kernel.delta(site), 0};
}
// One attempt; `last`: the sweep ends with it, so the next is not prepared. In sequential order the
// next site is known, so its ΔE needs no peek; Metropolis draws the uniform, whole, only for ΔE > 0
// (Rng::take_if: no branch on it), heat bath always, and a whole uniform never draws again.
// `parked(f)`: f() with the loop's kernels parked (resident_parked).
template <bool metropolis, bool negative, bool sequential, class Kernel, class Parked>
[[gnu::always_inline]] inline void resident_attempt(Kernel& kernel, Rng& rng, const AcceptanceTable::Layout& lookup, AcceptanceTable& table, double unit,
                                                    double beta, int n, ResidentPosition& at, bool last, const Parked& parked) {
  if constexpr (sequential) {
    const int next = at.site + 1;
    const std::int64_t next_units = last ? 0 : kernel.delta(next);  // before this attempt's flip
    const std::int64_t moved = last ? 0 : kernel.after_flip(next, next_units, at.site);  // after it
    const std::int64_t d = negative ? -at.units : at.units;         // ΔE = unit × d
    const PartialUniform u{rng.take_if(!metropolis || d > 0), 0};
    const bool ok = fast_exp::opaque(table_accept<metropolis>(lookup, table, d, unit, beta, u, rng, parked)) != 0;
    kernel.flip_if(at.site, ok);
    at.accepted += ok;
    if (last) return;
    at.units = chosen(ok, moved, next_units);
    at.site = next;
    return;
  }
  const PartialUniform u = attempt_uniform(false, at.draw, rng);
  const std::uint64_t peeked = rng.peek();
  int next = attempt_site(peeked, n);
  std::int64_t next_units = kernel.delta(next);                           // before this attempt's flip
  const std::int64_t moved = kernel.after_flip(next, next_units, at.site);  // after it
  // opaque: the compiler sees a value, not a condition to branch on.
  const bool ok = fast_exp::opaque(table_accept<metropolis>(lookup, table, negative ? -at.units : at.units, unit, beta, u, rng, parked)) != 0;
  kernel.flip_if(at.site, ok);
  at.accepted += ok;
  next_units = chosen(ok, moved, next_units);
  if (last) return;
  at.draw = rng();
  if (at.draw != peeked) [[unlikely]] {  // the decision drew: the next site is another one
    next = attempt_site(at.draw, n);
    next_units = kernel.delta(next);
  }
  at.site = next;
  at.units = next_units;
}

// Attempts k0..k1-1 of one walker through its resident kernel.
template <bool metropolis, bool negative, bool sequential, class Kernel>
std::int64_t resident_sweep_loop(const Kernel& resident, int n, double unit, double beta, AcceptanceTable& table, Rng& stream, int k0, int k1) {
  if (k0 >= k1) return 0;
  // A local copy: as a by-value parameter, GCC also stored the registers to it at every attempt.
  Kernel kernel = resident;
  Rng rng = stream;
  ResidentPosition at = resident_start<sequential>(kernel, rng, n, k0);
  const auto parked = [&](const auto& f) { return resident_parked(f, kernel); };
  const AcceptanceTable::Layout lookup = table.layout();
  for (int k = k0; k < k1; ++k) resident_attempt<metropolis, negative, sequential>(kernel, rng, lookup, table, unit, beta, n, at, k + 1 == k1, parked);
  kernel.store(at.accepted);
  stream = rng;
  return at.accepted;
}

// `coin_flip`: the sweep's first 64 attempts accepted between 3/8 and 7/8, where the accept branch is
// mispredicted most often. There a model that declares masked flips takes masked_table_sweep_loop, one
// that declares pair_delta lookahead_table_sweep_loop; outside, the accept branch is mostly predictable
// and the plain loop is faster. Curie–Weiss N = 4096, µs per sweep plain / masked (fastest of 12,
// interleaved): 14 % 20 / 29, 25 % 28 / 32, 50 % 45 / 33, 99 % 15 / about 35. Hopfield N = 4096, K = 256,
// plain / lookahead (medians, interleaved, three rounds): 71 % 97 / 89–93, 48 % 101–104 / 92, 20 % 52–54 /
// 55–58.
template <class M, bool metropolis, bool sequential>
std::int64_t table_sweep_range(M& model, double beta, Rng& rng, int k0, int k1, bool coin_flip, bool resident) {
  return with_delta_kernel(model, [&](const auto& delta) {
    const double unit = model.energy_unit();
    AcceptanceTable& table = AcceptanceTables::local().get(beta, std::abs(unit), metropolis);
    const auto run = [&]<bool negative>() {
      if constexpr (features_of<M>().resident_kernel)
        if (resident) {
          const std::int64_t a = model.with_resident_kernel([&](auto kernel) -> std::int64_t {
            // One walker in sequential order: only where the kernel says it pays (two walkers always
            // go through sweep_pair's loop).
            if constexpr (sequential && !decltype(kernel)::kSequentialAlone) return -1;
            else return resident_sweep_loop<metropolis, negative, sequential>(kernel, model.size(), std::abs(unit), beta, table, rng, k0, k1);
          });
          if (a >= 0) return a;
        }
      if constexpr (features_of<M>().pair_delta && !sequential)
        if (coin_flip && model.pair_delta()) return lookahead_table_sweep_loop<M, metropolis, negative>(model, delta, beta, table, rng, k0, k1);
      if constexpr (features_of<M>().masked_flip && !sequential)
        if (coin_flip) {
          if constexpr (features_of<M>().prefetch)
            if (wants_prefetch(model, sequential))
              return masked_table_sweep_loop<M, metropolis, negative, true>(model, delta, beta, table, rng, k0, k1);
          return masked_table_sweep_loop<M, metropolis, negative, false>(model, delta, beta, table, rng, k0, k1);
        }
      if constexpr (features_of<M>().prefetch)
        if (wants_prefetch(model, sequential))
          return table_sweep_loop<M, metropolis, sequential, negative, true>(model, delta, beta, table, rng, k0, k1);
      return table_sweep_loop<M, metropolis, sequential, negative, false>(model, delta, beta, table, rng, k0, k1);
    };
    return unit > 0 ? run.template operator()<false>() : run.template operator()<true>();
  });
}

// The rest of a sweep once the probe has seen few acceptances: rejection settled early, in integers
// where the model allows it (Metropolis or heat bath), else from the exponent (Metropolis).
template <class M, bool metropolis, bool sequential, class Energy>
std::int64_t rare_sweep_range(M& model, const Energy& energy, double beta, Rng& rng, int k0, int k1) {
  if constexpr (IntegerDeltaModel<M>)
    if (model.integer_delta() && model.energy_unit() != 0)
      return with_delta_kernel(model, [&](const auto& delta) {
        return model.energy_unit() > 0 ? integer_sweep_range<M, metropolis, sequential, false>(model, delta, beta, rng, k0, k1)
                                        : integer_sweep_range<M, metropolis, sequential, true>(model, delta, beta, rng, k0, k1);
      });
  return fast_sweep_range<M, metropolis, sequential, metropolis>(model, energy, beta, rng, k0, k1);
}

// A resident kernel (features.resident_kernel) from kResidentFrom / 4 of the probe's attempts accepted:
// Hopfield N = 4096, K = 256 at 29 % 62 -> 73 M flips/s, at 49 % 48 -> 76 M, at 86 % 50 -> 75 M (best
// of 3 interleaved); below, the accept branch of table_sweep_loop is mostly predicted.
inline constexpr int kResidentFrom = 1;

// What a sweep's first attempts (at most 64) saw: they choose the loop for the rest, all forms taking
// the same decisions from the same draws.
struct SweepProbe {
  int attempts = 0;
  std::int64_t accepted = 0;
  bool integer = false;  // the model's ΔE is an integer number of units (IntegerDeltaModel, in use)
  bool rare() const { return 8 * accepted < attempts; }
  bool coin_flip() const { return 8 * accepted >= 3 * attempts && 8 * accepted <= 7 * attempts; }
  // The rest runs a resident kernel, where the model offers one.
  bool resident() const { return integer && !rare() && 4 * accepted >= kResidentFrom * attempts; }
};

template <class M, bool metropolis, bool sequential, class Energy>
SweepProbe probe_sweep(M& model, const Energy& energy, double beta, Rng& rng) {
  SweepProbe p;
  p.attempts = model.size() < 64 ? model.size() : 64;
  // Integer energy changes are probed by the loop that takes them at low acceptance (as exact at any
  // acceptance; the floating-point loop recomputed ΔE through the generic path, 3 % of a Hopfield sweep).
  if constexpr (IntegerDeltaModel<M>) p.integer = model.integer_delta() && model.energy_unit() != 0;
  p.accepted = p.integer ? rare_sweep_range<M, metropolis, sequential>(model, energy, beta, rng, 0, p.attempts)
                         : fast_sweep_range<M, metropolis, sequential, false>(model, energy, beta, rng, 0, p.attempts);
  return p;
}

// The attempts after the probe, in the form it chose; their acceptances.
template <class M, bool metropolis, bool sequential, class Energy>
std::int64_t sweep_after_probe(M& model, const Energy& energy, double beta, Rng& rng, const SweepProbe& p) {
  const int n = model.size();
  if (p.rare()) return rare_sweep_range<M, metropolis, sequential>(model, energy, beta, rng, p.attempts, n);
  if constexpr (IntegerDeltaModel<M>)
    if (p.integer) return table_sweep_range<M, metropolis, sequential>(model, beta, rng, p.attempts, n, p.coin_flip(), p.resident());
  return fast_sweep_range<M, metropolis, sequential, false>(model, energy, beta, rng, p.attempts, n);
}

template <class M, bool metropolis, bool sequential>
std::int64_t probed_sweep(M& model, double beta, Rng& rng) {
  return with_energy_kernel(model, [&](const auto& energy) {
    const SweepProbe p = probe_sweep<M, metropolis, sequential>(model, energy, beta, rng);
    return p.accepted + sweep_after_probe<M, metropolis, sequential>(model, energy, beta, rng, p);
  });
}
}  // namespace detail

// One sweep, as engine/sweep/dynamics.hpp's sweep() (same sites, same draws, same decisions), for models
// that opt in.
template <class M>
  requires FastSweepModel<M>
std::int64_t sweep(M& model, double beta, Dynamics dynamics, SweepOrder order, Rng& rng) {
  // A model may change how it stores its state between sweeps (never what it computes from it).
  if constexpr (features_of<M>().before_sweep) model.before_sweep();
  const bool sequential = order == SweepOrder::sequential;
  if (dynamics == Dynamics::metropolis)
    return sequential ? detail::probed_sweep<M, true, true>(model, beta, rng) : detail::probed_sweep<M, true, false>(model, beta, rng);
  return sequential ? detail::probed_sweep<M, false, true>(model, beta, rng) : detail::probed_sweep<M, false, false>(model, beta, rng);
}

}  // namespace ptmc
