// engine/sweep/acceptance_table.hpp: the integer thresholds T(d) are the reference rules of
// engine/sweep/dynamics.hpp (m < T(d) exactly where u = m 2^-53 is accepted), and a decision from the table
// (detail::table_accept, as the sweep takes it) equals decide() with the std::exp rule, outcome and
// draws, also when the uniform's unknown bits straddle the threshold, for buckets of one d and wider
// ones, both rules, β from 0 to ∞.
#include <cmath>
#include <doctest/doctest.h>
#include <limits>
#include <vector>

#include "engine/sweep/acceptance_table.hpp"
#include "engine/sweep/fast_sweep.hpp"

using namespace ptmc;

namespace {
bool reference(bool metropolis, double beta, double dE, double u) {
  if (metropolis) return dE <= 0.0 || u < std::exp(-beta * dE);
  return u * (1.0 + std::exp(dE == 0.0 ? 0.0 : beta * dE)) < 1.0;
}
// The d of a test: small ones, then ones spread over the table's range and beyond it.
std::vector<std::int64_t> sample_d(double beta_unit, Rng& r) {
  std::vector<std::int64_t> d;
  for (std::int64_t k = -40; k <= 40; ++k) d.push_back(k);
  const double span = beta_unit > 0 ? std::min(60.0 / beta_unit, 1e15) : 1e15;
  for (int k = 0; k < 400; ++k) d.push_back(static_cast<std::int64_t>((2 * r.uniform() - 1) * span));
  return d;
}
const double kInf = std::numeric_limits<double>::infinity();
}  // namespace

TEST_CASE("acceptance table: T(d) is the reference rule's boundary on the grid of uniforms") {
  Rng r(7);
  int checked = 0;
  for (bool metropolis : {true, false})
    for (double beta : {0.0, 1e-3, 0.3, 1.0, 7.0, kInf})
      for (double unit : {1.0, 0.05, 1.0 / 8192, 3e-7}) {
        CAPTURE(metropolis);
        CAPTURE(beta);
        CAPTURE(unit);
        const AcceptanceTable table(beta, unit, metropolis);
        for (const std::int64_t d : sample_d(beta * unit, r)) {
          CAPTURE(d);
          const double dE = unit * static_cast<double>(d);
          const std::uint64_t t = table.threshold(d);
          REQUIRE(t <= AcceptanceTable::kOne);
          if (t > 0) REQUIRE(reference(metropolis, beta, dE, static_cast<double>(t - 1) * 0x1.0p-53));
          if (t < AcceptanceTable::kOne) REQUIRE_FALSE(reference(metropolis, beta, dE, static_cast<double>(t) * 0x1.0p-53));
          ++checked;
        }
      }
  CHECK(checked > 10000);
}

TEST_CASE("acceptance table: decisions and draws equal decide() with std::exp, straddling uniforms included") {
  Rng r(9);
  std::int64_t drew = 0, cases = 0;
  for (bool metropolis : {true, false})
    for (double beta : {0.0, 1e-3, 0.3, 1.0, 7.0, kInf})
      for (double unit : {1.0, 0.05, 1.0 / 8192, 3e-7}) {
        CAPTURE(metropolis);
        CAPTURE(beta);
        CAPTURE(unit);
        AcceptanceTable table(beta, unit, metropolis);
        for (const std::int64_t d : sample_d(beta * unit, r)) {
          CAPTURE(d);
          const double dE = unit * static_cast<double>(d);
          const std::uint64_t t = table.threshold(d);
          // Known leading 32 bits: at T's own 32-bit prefix (straddling unless T is aligned), next to
          // it, random; and whole uniforms (sequential order) at T - 1, T, T + 1.
          std::vector<PartialUniform> us;
          for (std::uint64_t m : {t, t - 1, t + 1}) {
            if (m >= AcceptanceTable::kOne) continue;  // t - 1 wraps when t = 0
            us.push_back({(m >> 21) << 32, PartialUniform::kSiteShared});
            us.push_back({m << 11 | (r() & 0x7ff), 0});
          }
          for (int k = 0; k < 4; ++k) us.push_back({r() << 32, PartialUniform::kSiteShared});
          for (const PartialUniform u : us) {
            Rng a(r()), b = a;
            const Rng before = a;
            const bool got = metropolis ? detail::table_accept<true>(table, d, unit, beta, u, a)
                                        : detail::table_accept<false>(table, d, unit, beta, u, a);
            const auto drawn = [u] { return u; };
            const bool want = metropolis ? metropolis_accept(beta, dE, drawn, b) : heat_bath_accept(beta, dE, drawn, b);
            REQUIRE(got == want);
            REQUIRE(a == b);
            drew += !(a == before);  // the rest of the uniform was drawn (straddling)
            ++cases;
          }
        }
      }
  CHECK(cases > 20000);
  CHECK(drew > 1000);
}

TEST_CASE("acceptance table: the coarse words the lanes gather settle only what the whole entries settle") {
  // Every entry of integer and continuous tables, both rules, filled or not: m at and next to the
  // bounds, on both sides of a coarse step. A coarse accept must imply m < accept, a coarse reject
  // m >= reject; and the coarse form settles all but the m within one step of a bound.
  const int shift = AcceptanceTable::kCoarseShift;
  Rng random(31);
  std::int64_t coarse_settled = 0, whole_settled = 0;
  for (const double beta : {0.05, 1.0, 7.0})
    for (const bool metropolis : {true, false})
      for (const bool continuous : {false, true}) {
        AcceptanceTable table(beta, continuous ? 0.0078125 : 0.5, metropolis, continuous);
        const AcceptanceTable::Layout layout = table.layout();
        for (std::int64_t d = layout.lo - 3; d <= layout.lo + layout.top + 3; d += 1 + (d > layout.lo + 40 ? 17 : 0)) {
          if (d % 3 == 0 && AcceptanceTable::unfilled(table.entry(d))) table.fill(d);  // some stay unfilled
          const AcceptanceTable::Entry& e = table.entry(d);
          const std::uint64_t word = table.coarse_entries()[&e - layout.entries];
          const std::uint64_t accept = word & 0xffffffffu, reject = word >> 32;
          for (int k = 0; k < 8; ++k) {  // random uniforms: the coarse form settles as the whole entry, but ~2^-30 of them
            const std::uint64_t m = random() >> 11;
            coarse_settled += (m >> shift) < accept || (m >> shift) >= reject;
            whole_settled += m < e.accept || m >= e.reject;
          }
          std::vector<std::uint64_t> ms{0, AcceptanceTable::kOne - 1};
          for (const std::uint64_t b : {e.accept, e.reject})
            for (const std::int64_t delta : {-(std::int64_t{1} << shift) - 1, std::int64_t{-2}, std::int64_t{-1}, std::int64_t{0}, std::int64_t{1},
                                             std::int64_t{1} << shift})
              if (b < AcceptanceTable::kOne + 8) {
                const std::uint64_t m = b + static_cast<std::uint64_t>(delta);
                if (m < AcceptanceTable::kOne) ms.push_back(m);
              }
          for (const std::uint64_t m : ms) {
            CAPTURE(d);
            CAPTURE(m);
            const bool coarse_accept = (m >> shift) < accept, coarse_reject = (m >> shift) >= reject;
            if (coarse_accept) REQUIRE(m < e.accept);
            if (coarse_reject) REQUIRE(m >= e.reject);
          }
        }
      }
  CHECK(whole_settled > 1000);
  CHECK(coarse_settled == whole_settled);  // a random m falls within 2^22 of a bound with probability ~2^-30
}
