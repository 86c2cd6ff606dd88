// engine/sweep/fast_sweep.hpp must not change a single decision: the bracketing exponential against
// std::exp, the decision functions at the exact boundary (u = e^y and its neighbouring doubles), and
// whole sweeps of an opted-in model against the reference loop of engine/sweep/dynamics.hpp (same spins,
// same accepted count, same generator state) for both rules, both site orders, β up to ∞, and both
// Metropolis forms the sweep chooses between; the integer early rejection (IntegerReject) against
// the exact rules, and sweeps of an integer model through it, with units of both signs.
#include <bit>
#include <cmath>
#include <doctest/doctest.h>
#include <limits>
#include <vector>

#include "engine/sweep/fast_sweep.hpp"
#include "tests/support/reference_sweep.hpp"

using namespace ptmc;
using ptmc::testing::check_same_sweeps;

namespace {

// A small frustrated model with continuous ΔE (Gaussian couplings), opted in to the fast sweep.
struct Toy {
  static constexpr ModelFeatures features{.fast_sweep = true};
  int n;
  std::vector<double> J;  // n x n symmetric, zero diagonal
  std::vector<std::int8_t> s;
  std::vector<double> h;
  Toy(int n_, std::uint64_t seed) : n(n_), J(static_cast<std::size_t>(n_) * n_, 0.0), s(n_), h(n_, 0.0) {
    Rng r(seed);
    for (int i = 0; i < n; ++i)
      for (int j = i + 1; j < n; ++j) J[i * n + j] = J[j * n + i] = r.normal() / std::sqrt(n);
    for (auto& x : s) x = static_cast<std::int8_t>(r.spin());
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) h[i] += J[i * n + j] * s[j];
  }
  int size() const { return n; }
  double delta_energy(int i) const { return 2.0 * s[i] * h[i]; }
  void flip(int i) {
    for (int j = 0; j < n; ++j) h[j] -= 2.0 * J[j * n + i] * s[i];
    s[i] = static_cast<std::int8_t>(-s[i]);
  }
};
static_assert(FastSweepModel<Toy> && check_features<Toy>());

// The same with integer couplings J ∈ {-3..3} and ΔE = unit × d, d = 2 s_i h_i: an IntegerDeltaModel
// (unit of either sign; `integer` off sends it down the floating-point path).
struct IntToy {
  static constexpr ModelFeatures features{.fast_sweep = true, .integer_delta = true, .prefetch = true};
  int n;
  double unit;
  bool integer = true;
  std::vector<int> J;
  std::vector<std::int8_t> s;
  std::vector<std::int64_t> h;
  IntToy(int n_, std::uint64_t seed, double unit_) : n(n_), unit(unit_), J(static_cast<std::size_t>(n_) * n_, 0), s(n_), h(n_, 0) {
    Rng r(seed);
    for (int i = 0; i < n; ++i)
      for (int j = i + 1; j < n; ++j) J[i * n + j] = J[j * n + i] = static_cast<int>(r.below(7)) - 3;
    for (auto& x : s) x = static_cast<std::int8_t>(r.spin());
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) h[i] += J[i * n + j] * s[j];
  }
  // The prefetch hint's guesses and the sites actually attempted, in order.
  mutable std::vector<int> guessed, attempted;
  int size() const { return n; }
  bool integer_delta() const { return integer; }
  void prefetch(int i) const { guessed.push_back(i); }
  std::int64_t scale = 1;  // d = scale × 2 s_i h_i: wide ranges of d (the acceptance table's wide buckets)
  std::int64_t delta_units(int i) const {
    attempted.push_back(i);
    return scale * 2 * s[i] * h[i];
  }
  double energy_unit() const { return unit; }
  double delta_energy(int i) const { return unit * static_cast<double>(delta_units(i)); }
  void flip(int i) {
    for (int j = 0; j < n; ++j) h[j] -= 2 * J[j * n + i] * s[i];
    s[i] = static_cast<std::int8_t>(-s[i]);
  }
};
static_assert(IntegerDeltaModel<IntToy> && check_features<IntToy>());

// IntToy offering the sweep its own ΔE functor (with_delta_kernel) and declining the prefetch hint
// (prefetch_pays), as dense_hebbian does.
struct KernelToy : IntToy {
  static constexpr ModelFeatures features{.fast_sweep = true, .integer_delta = true, .prefetch = true, .delta_kernel = true};
  using IntToy::IntToy;
  mutable std::int64_t kernel_calls = 0;
  bool pays = false;
  bool prefetch_pays() const { return pays; }
  template <class F>
  decltype(auto) with_delta_kernel(F&& f) const {
    return f([this](int i) {
      ++kernel_calls;
      return scale * 2 * s[i] * h[i];
    });
  }
};
static_assert(check_features<KernelToy>());

// IntToy and Toy with the flip done as arithmetic on every attempt (features.masked_flip), counting
// the attempts that took it.
struct MaskedIntToy : IntToy {
  static constexpr ModelFeatures features{.fast_sweep = true, .integer_delta = true, .prefetch = true, .masked_flip = true};
  using IntToy::IntToy;
  std::int64_t masked_calls = 0;
  void flip_if(int i, bool ok) {
    ++masked_calls;
    const int step = 2 * s[i] * static_cast<int>(ok);
    for (int j = 0; j < n; ++j) h[j] -= J[j * n + i] * step;
    s[i] = static_cast<std::int8_t>(s[i] - step);
  }
};
static_assert(check_features<MaskedIntToy>());
struct MaskedToy : Toy {
  static constexpr ModelFeatures features{.fast_sweep = true, .masked_flip = true};
  using Toy::Toy;
  std::int64_t masked_calls = 0;
  void flip_if(int i, bool ok) {
    ++masked_calls;
    const double step = 2.0 * s[i] * static_cast<double>(ok);
    for (int j = 0; j < n; ++j) h[j] -= J[j * n + i] * step;
    s[i] = static_cast<std::int8_t>(s[i] - static_cast<int>(step));
  }
};
static_assert(check_features<MaskedToy>());

// What check_features rejects. A delta_units that returns int does not implement integer_delta, so
// declaring it stops the build; so does a hook without its declaration (KernelToy's kernel, were its
// features IntToy's): neither can silently take the slow path.
struct IntReturningToy : Toy {
  bool integer_delta() const { return true; }
  int delta_units(int) const { return 0; }
  double energy_unit() const { return 1; }
};
static_assert(!ImplementsIntegerDelta<IntReturningToy>);
static_assert(ImplementsDeltaKernel<KernelToy> && !features_of<IntToy>().delta_kernel);

}  // namespace

TEST_CASE("fast exponential: relative error below 1e-8 over [-700, 700]") {
  double worst = 0;
  for (int k = -1000000; k <= 1000000; ++k) {
    const double x = 700.0 * k / 1000000.0 + 1e-7 * (k % 7);
    if (std::abs(x) > 700) continue;
    const double ref = std::exp(x);
    worst = std::max(worst, std::abs(fast_exp::approx(x) / ref - 1));
  }
  // The degree-7 remainder bounds it by 7.5e-9 (measured 7.0e-9); the decision band is 1e-6, a
  // hundred times wider.
  CHECK(worst < 1e-8);
}

TEST_CASE("fast decisions equal the std::exp comparisons at the boundary and elsewhere") {
  Rng r(3);
  int decided = 0;
  for (int k = 0; k < 200000; ++k) {
    const double y = -r.uniform() * 40.0 * (k % 3 == 0 ? 20.0 : 1.0);  // up to -800: both branches of the range
    const double e = std::exp(y);
    const double x = -y * (k % 2 ? 1 : -1);  // heat bath sees both signs
    const double t = 1.0 / (1.0 + std::exp(x));
    const double b = std::exp2(std::floor(y * 1.4426950408889634) + 2);  // the exponent bound, and around it
    for (double u : {e, std::nextafter(e, 0.0), std::nextafter(e, 1.0), r.uniform(), t, std::nextafter(t, 0.0),
                     std::nextafter(t, 1.0), 0.0, b, std::nextafter(b, 0.0), b / 2, std::nextafter(b / 2, 0.0)}) {
      if (u >= 1.0) continue;
      REQUIRE(fast_exp::metropolis_decide(u, y) == (u < std::exp(y)));
      REQUIRE(fast_exp::metropolis_decide_rare(u, y) == (u < std::exp(y)));
      REQUIRE(fast_exp::heat_bath_decide(u, x) == (u * (1.0 + std::exp(x)) < 1.0));
      ++decided;
    }
  }
  CHECK(decided > 1000000);
}

TEST_CASE("fast sweep: same spins, acceptances and generator state as the generic sweep") {
  const double inf = std::numeric_limits<double>::infinity();
  for (auto dyn : {Dynamics::metropolis, Dynamics::heat_bath})
    for (auto order : {SweepOrder::random, SweepOrder::sequential})
      for (double beta : {0.0, 0.3, 1.0, 4.0, 20.0, inf}) {  // 20: few acceptances, the early-reject form
        CAPTURE(static_cast<int>(dyn));
        CAPTURE(static_cast<int>(order));
        CAPTURE(beta);
        Toy a(100, 5), b(100, 5);  // more than the 64 probe attempts
        check_same_sweeps(a, b, beta, dyn, order, 40, 9);  // sweep() resolves to the constrained fast sweep
      }
}

// The cases of the early-decision soundness tests: β unit from 1e-7 to 40; d = first + k for k < 10000,
// then at random magnitudes above `floor`; draws at and next to the cut 2^(64-m) of every m, and
// random ones. f(early, d, dE, draw) for each.
template <class F>
void for_each_early_case(Rng& r, std::int64_t first, std::int64_t floor, const F& f) {
  for (double beta_unit : {1e-7, 3.7e-4, 0.01, 0.173, 1.0, 2.5, 40.0}) {
    const fast_exp::IntegerReject early(1.0, beta_unit);
    for (int k = 0; k < 20000; ++k) {
      const std::int64_t d = k < 10000 ? first + k : floor + static_cast<std::int64_t>(r() >> (10 + r.below(50)));
      const double dE = beta_unit * static_cast<double>(d);
      const int m = 1 + static_cast<int>(r.below(60));
      for (std::uint64_t draw : {std::uint64_t{1} << (64 - m), (std::uint64_t{1} << (64 - m)) - 1, r(), r() >> r.below(64)})
        f(early, d, dE, draw);
    }
  }
}

TEST_CASE("integer early rejection never rejects an attempt the exact rules accept") {
  Rng r(3);
  std::int64_t rejected = 0;
  for_each_early_case(r, -100, 0, [&](const fast_exp::IntegerReject<>& early, std::int64_t d, double dE, std::uint64_t draw) {
    if (!early.rejects(d, draw)) return;
    ++rejected;
    const double u = Rng::to_uniform(draw);
    REQUIRE_FALSE(u < std::exp(-dE));
    REQUIRE_FALSE(u * (1.0 + std::exp(dE)) < 1.0);
  });
  CHECK(rejected > 100000);
  // ΔE ≤ 0 is accepted by Metropolis whatever u, so it is never rejected early, at any β (β = ∞ too),
  // and with a negative unit (the table then holds -first(z)); at β = ∞ every ΔE > 0 is.
  const double inf = std::numeric_limits<double>::infinity();
  for (double beta : {0.0, 1e-300, 1.0, 1e300, inf}) {
    const fast_exp::IntegerReject early(beta, 0.5);
    const fast_exp::IntegerReject<true> flipped(beta, 0.5);
    for (int z = 0; z <= 64; ++z) {
      const std::uint64_t bits = z == 64 ? 0 : ~std::uint64_t{0} >> z;
      for (std::int64_t d : {std::int64_t{-5}, std::int64_t{0}}) {
        CHECK_FALSE(early.rejects(d, bits));
        CHECK_FALSE(flipped.rejects(-d, bits));
      }
      if (beta == inf && z <= 52) CHECK((early.rejects(1, bits) && flipped.rejects(-1, bits)));
    }
  }
}

TEST_CASE("integer early acceptance never accepts an attempt Metropolis rejects") {
  // For d > 0: accepts(d, bits) must mean u < e^{-β unit d} for every u the known bits allow, i.e.
  // 2^-min(z, 32) ≤ e^{-β unit d} (z leading zeros), and so for the drawn u itself.
  Rng r(5);
  std::int64_t accepted = 0;
  for_each_early_case(r, 1, 1, [&](const fast_exp::IntegerReject<>& early, std::int64_t d, double dE, std::uint64_t draw) {
    if (!early.accepts(d, draw)) return;
    ++accepted;
    const int z = std::countl_zero(draw);
    REQUIRE(std::ldexp(1.0, -(z < 32 ? z : 32)) <= std::exp(-dE));
    REQUIRE(Rng::to_uniform(draw) < std::exp(-dE));
  });
  CHECK(accepted > 10000);
  // At β = ∞ nothing with ΔE > 0 is accepted; at β = 0 everything is (e^0 = 1 > u), but z = 0 says
  // only u < 1 and is left to the exact rule.
  const double inf = std::numeric_limits<double>::infinity();
  const fast_exp::IntegerReject frozen(inf, 0.5), hot(0.0, 0.5);
  for (int z = 0; z <= 64; ++z) {
    const std::uint64_t bits = z == 64 ? 0 : ~std::uint64_t{0} >> z;
    CHECK_FALSE(frozen.accepts(1, bits));
    CHECK(hot.accepts(1000000, bits) == (z > 0));
  }
}

TEST_CASE("integer sweep: same spins, acceptances and generator state as the generic sweep") {
  const double inf = std::numeric_limits<double>::infinity();
  for (double unit : {0.05, -0.05, 1.0})
    for (bool integer : {true, false})
      for (auto dyn : {Dynamics::metropolis, Dynamics::heat_bath})
        for (auto order : {SweepOrder::random, SweepOrder::sequential})
          for (double beta : {0.0, 0.3, 1.0, 4.0, 20.0, inf}) {
            CAPTURE(unit);
            CAPTURE(integer);
            CAPTURE(static_cast<int>(dyn));
            CAPTURE(static_cast<int>(order));
            CAPTURE(beta);
            IntToy a(100, 5, unit), b(100, 5, unit);
            a.integer = integer;
            check_same_sweeps(a, b, beta, dyn, order, 40, 9);
          }
}

TEST_CASE("a model's own ΔE functor drives the integer loop, with the same trajectory") {
  const double inf = std::numeric_limits<double>::infinity();
  for (double unit : {0.05, -0.05})
    for (auto dyn : {Dynamics::metropolis, Dynamics::heat_bath})
      for (auto order : {SweepOrder::random, SweepOrder::sequential})
        for (double beta : {0.3, 4.0, 20.0, inf}) {
          CAPTURE(unit);
          CAPTURE(static_cast<int>(dyn));
          CAPTURE(static_cast<int>(order));
          CAPTURE(beta);
          KernelToy a(100, 5, unit);
          IntToy b(100, 5, unit);
          check_same_sweeps(a, b, beta, dyn, order, 40, 9);
          if (beta >= 4.0) CHECK(a.kernel_calls > 0);  // few acceptances: the integer loop ran
          CHECK(a.guessed.empty());                    // prefetch_pays() false: no hints
        }
  KernelToy c(100, 5, 1.0);
  c.pays = true;
  Rng r(1);
  sweep(c, 4.0, Dynamics::metropolis, SweepOrder::random, r);
  CHECK(c.guessed.size() == 100);
}

TEST_CASE("prefetch hint: guesses the next site from a copy of the stream, which it leaves alone") {
  // β = 4 with unit 1: the integer Metropolis loop. An attempt takes one draw (its site and the
  // leading bits of its uniform), so the guess, the next draw, is the next site: every guess but
  // the sweep's last hits (a miss needs an attempt that draws the rest of its uniform, about once in
  // 2^32). The trajectory equals the generic loop's above.
  IntToy a(200, 3, 1.0);
  Rng r(11);
  for (int k = 0; k < 5; ++k) sweep(a, 4.0, Dynamics::metropolis, SweepOrder::random, r);
  a.guessed.clear();
  a.attempted.clear();
  const std::int64_t accepted = sweep(a, 4.0, Dynamics::metropolis, SweepOrder::random, r);
  // The first 64 attempts (the probe) run the plain loop, which hints too.
  REQUIRE(a.guessed.size() == a.attempted.size());
  int hits = 0;
  for (std::size_t k = 0; k + 1 < a.attempted.size(); ++k) hits += a.guessed[k] == a.attempted[k + 1];
  CAPTURE(accepted);
  CHECK(accepted > 0);
  CHECK(hits == 199);
  // Sequential order needs no hint.
  a.guessed.clear();
  sweep(a, 4.0, Dynamics::metropolis, SweepOrder::sequential, r);
  CHECK(a.guessed.empty());
}

TEST_CASE("integer sweep at moderate and high acceptance: the acceptance table, same trajectory") {
  // β unit d from 0 to ∞: acceptance from 100 % to frozen; scale 1 gives buckets of one d, scale 977
  // with unit 1e-4 spreads d over ~10^5 (buckets of many d); units of both signs, both rules and orders.
  const double inf = std::numeric_limits<double>::infinity();
  struct Case {
    double unit;
    std::int64_t scale;
  };
  for (const Case c : {Case{0.05, 1}, Case{-0.05, 1}, Case{1.0, 1}, Case{-1e-4, 977}, Case{1e-4, 977}})
    for (auto dyn : {Dynamics::metropolis, Dynamics::heat_bath})
      for (auto order : {SweepOrder::random, SweepOrder::sequential})
        for (double beta : {0.0, 0.02, 0.1, 0.3, 1.0, 3.0, 20.0, inf}) {
          CAPTURE(c.unit);
          CAPTURE(c.scale);
          CAPTURE(static_cast<int>(dyn));
          CAPTURE(static_cast<int>(order));
          CAPTURE(beta);
          IntToy a(200, 5, c.unit), b(200, 5, c.unit);
          a.scale = b.scale = c.scale;
          check_same_sweeps(a, b, beta, dyn, order, 30, 9);
          // The table path ran where acceptance is moderate: it left a table of (β, |unit|, rule).
          if (beta == 0.3 && c.unit != 1.0)
            CHECK(AcceptanceTables::local().find(beta, std::abs(c.unit), dyn == Dynamics::metropolis) != nullptr);
        }
}

namespace {
// `decide(beta, dE, u, rng)` against the reference rule at one (β, ΔE), one rule: u at and next to
// the boundary, as a whole uniform and as the site draw's 32 leading bits (then straddling it), and
// random ones; the same outcome and the same draws. Counts the cases and those that drew.
template <class Decide>
void check_against_reference(const Decide& decide, double beta, double dE, bool metropolis, Rng& r, std::int64_t& cases, std::int64_t& drew) {
  const double p = metropolis ? std::exp(-beta * dE) : 1.0 / (1.0 + std::exp(dE == 0.0 ? 0.0 : beta * dE));
  std::vector<double> us{r.uniform(), 0.0, std::nextafter(1.0, 0.0)};
  if (p > 0 && p < 1)
    for (double u : {p, std::nextafter(p, 0.0), std::nextafter(p, 1.0)}) us.push_back(u);
  for (const double u : us) {
    const auto m = static_cast<std::uint64_t>(u * 0x1.0p53) << 11;
    for (const PartialUniform pu : {PartialUniform{m, 0}, PartialUniform{m & ~PartialUniform::kSiteShared, PartialUniform::kSiteShared}}) {
      Rng a(r()), b = a;
      const Rng before = a;
      const auto drawn = [pu] { return pu; };
      const bool got = decide(beta, dE, pu, a);
      const bool want = metropolis ? metropolis_accept(beta, dE, drawn, b) : heat_bath_accept(beta, dE, drawn, b);
      CAPTURE(beta);
      CAPTURE(dE);
      CAPTURE(u);
      CAPTURE(metropolis);
      REQUIRE(got == want);
      REQUIRE(a == b);
      drew += !(a == before);
      ++cases;
    }
  }
}
}  // namespace

TEST_CASE("bracket decisions (moderate acceptance) equal the reference rules, outcome and draws") {
  // βΔE over both signs, beyond ±700 and ±746, ΔE = 0, ∞ and NaN.
  Rng r(13);
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  std::int64_t cases = 0, drew = 0;
  for (int k = 0; k < 60000; ++k) {
    const double beta = k % 50 == 0 ? (k % 100 == 0 ? 0.0 : inf) : 1.0;
    double dE = (2 * r.uniform() - 1) * (k % 3 == 0 ? 800.0 : 20.0);
    if (k % 997 == 0) dE = 0.0;
    if (k % 1999 == 0) dE = (k % 2 ? inf : -inf);
    if (k % 2999 == 0) dE = nan;
    for (bool metropolis : {true, false})
      check_against_reference(
          [metropolis](double b, double e, PartialUniform pu, Rng& rng) {
            return metropolis ? metropolis_accept_bracket(b, e, pu, rng) : heat_bath_accept_bracket(b, e, pu, rng);
          },
          beta, dE, metropolis, r, cases, drew);
  }
  CHECK(cases > 500000);
  CHECK(drew > 1000);
}

TEST_CASE("continuous-table decisions (moderate acceptance, floating-point ΔE) equal the reference rules, outcome and draws") {
  // As the bracket test above, with ΔE also at and next to the table's bucket ends (multiples of its
  // unit q) and β over six decades, so that every kind of entry (below the span, inside, above) and
  // both fills (first use and a filled entry) decide.
  Rng r(17);
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  std::int64_t cases = 0, drew = 0, settled = 0;
  for (const double beta : {1e-3, 0.37, 1.0, 3.0, 40.0, 1e3})
    for (bool metropolis : {true, false}) {
      const detail::ContinuousTable table = detail::continuous_table(beta, metropolis);
      REQUIRE(table.table != nullptr);
      const double q = 1.0 / table.inverse_unit;
      for (int k = 0; k < 6000; ++k) {
        double dE = (2 * r.uniform() - 1) * (k % 3 == 0 ? 800.0 : 30.0) / beta;
        if (k % 5 == 0) dE = std::floor(dE / q) * q;  // a bucket's first ΔE
        if (k % 7 == 0) dE = std::nextafter(std::floor(dE / q) * q, -inf);  // the last ΔE of the bucket below
        if (k % 997 == 0) dE = 0.0;
        if (k % 1999 == 0) dE = (k % 2 ? inf : -inf);
        if (k % 2999 == 0) dE = nan;
        check_against_reference(
            [&table, metropolis](double b, double e, PartialUniform pu, Rng& rng) {
              return metropolis ? detail::continuous_table_accept<true>(table, b, e, pu, rng) : detail::continuous_table_accept<false>(table, b, e, pu, rng);
            },
            beta, dE, metropolis, r, cases, drew);
      }
      // Settled by the table alone, once filled: a random uniform against a ΔE where p is moderate.
      for (int k = 0; k < 2000; ++k) {
        const double dE = r.uniform() * 2.0 / beta;
        const auto m = static_cast<std::uint64_t>(r.uniform() * 0x1.0p53) << 11;
        const auto d = static_cast<std::int64_t>(std::floor(dE * table.inverse_unit));
        if (AcceptanceTable::unfilled(table.table->entry(d))) table.table->fill(d);
        const AcceptanceTable::Entry& e = table.table->entry(d);
        settled += ((m >> 11) < e.accept) || ((m >> 11) >= e.reject);
      }
    }
  CHECK(cases > 300000);
  CHECK(drew > 1000);
  CHECK(settled > 0.95 * 6 * 2 * 2000);  // at most β q ≤ 1/50 of such attempts go to the exact rule
}

TEST_CASE("masked flips (features.masked_flip): the same trajectory, at every acceptance") {
  const double inf = std::numeric_limits<double>::infinity();
  for (const double unit : {0.05, -0.05, 1e-4})
    for (auto dyn : {Dynamics::metropolis, Dynamics::heat_bath})
      for (auto order : {SweepOrder::random, SweepOrder::sequential})
        for (double beta : {0.0, 0.02, 0.3, 1.0, 3.0, 20.0, inf}) {
          CAPTURE(unit);
          CAPTURE(static_cast<int>(dyn));
          CAPTURE(static_cast<int>(order));
          CAPTURE(beta);
          MaskedIntToy a(200, 5, unit);
          IntToy b(200, 5, unit);
          check_same_sweeps(a, b, beta, dyn, order, 30, 9);
          // Moderate acceptance in random order: the masked loop ran.
          if (beta == 0.3 && order == SweepOrder::random && unit != 1e-4) CHECK(a.masked_calls > 0);
          if (order == SweepOrder::sequential) CHECK(a.masked_calls == 0);
          MaskedToy c(100, 5);
          Toy d(100, 5);
          check_same_sweeps(c, d, beta, dyn, order, 20, 9);
          if (beta == 0.3) CHECK(c.masked_calls > 0);
        }
}
