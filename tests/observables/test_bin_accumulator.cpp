// Bins built while a series is measured (observables/bin_accumulator.hpp) against the full series:
// the bins are bitwise binning_analysis's level k, never more than max_bins; the binning analysis and
// the drift check from them give bitwise the full series' mean and error (τ_int to rounding), and the
// same drift verdict where the windows coincide; a stored and restored accumulator continues bitwise.
#include <cmath>
#include <doctest/doctest.h>
#include <vector>

#include "engine/sweep/rng.hpp"
#include "observables/bin_accumulator.hpp"
#include "observables/binning.hpp"
#include "observables/equilibration.hpp"

using namespace ptmc;

namespace {
// AR(1), φ = 0.9 (τ_int = 9.5), started in its stationary state, plus an offset a·exp(−t/τ_relax).
std::vector<double> ar1(std::size_t n, std::uint64_t seed, double a = 0, double relax = 1) {
  const double phi = 0.9;
  Rng rng(StreamKey{seed, 2, 0, 0, StreamPurpose::test_data});
  std::vector<double> x(n);
  double v = rng.normal() / std::sqrt(1 - phi * phi);
  for (std::size_t t = 0; t < n; ++t) {
    x[t] = v + a * std::exp(-static_cast<double>(t) / relax);
    v = phi * v + rng.normal();
  }
  return x;
}

// Level k of the full series as binning_analysis forms it: pairs from the start, the odd one dropped.
std::vector<double> level_of(std::vector<double> x, int k) {
  for (int l = 0; l < k; ++l) {
    std::vector<double> next(x.size() / 2);
    for (std::size_t i = 0; i < next.size(); ++i) next[i] = 0.5 * (x[2 * i] + x[2 * i + 1]);
    x.swap(next);
  }
  return x;
}

BinAccumulator fed(const std::vector<double>& x, std::size_t max_bins) {
  BinAccumulator acc(1, max_bins);
  for (double v : x) acc.add(std::span<const double>(&v, 1));
  return acc;
}

StoredBins stored(const BinAccumulator& acc, const std::vector<double>& stats) {
  return StoredBins{acc.bins(), acc.bin_size(), stats[0], stats[1], stats[3]};
}
}  // namespace

TEST_CASE("bins are binning_analysis's level k, at most max_bins of them") {
  for (std::size_t n : {1u, 100u, 256u, 257u, 1000u, 2048u, 3001u, 40000u}) {
    const auto x = ar1(n, n);
    const auto acc = fed(x, 256);
    CAPTURE(n);
    CHECK(acc.measurements() == static_cast<std::int64_t>(n));
    CHECK(acc.bin_count() <= 256);
    CHECK(acc.bin_count() == n >> acc.level());
    if (n > 256) CHECK(acc.bin_count() >= 128);
    const auto want = level_of(x, acc.level());
    CHECK(std::vector<double>(acc.bins().begin(), acc.bins().end()) == want);  // bitwise
  }
}

TEST_CASE("the binning analysis from bins: mean and error bitwise, tau_int to rounding") {
  for (std::size_t n : {300u, 2048u, 5000u, 65536u + 77u}) {
    for (std::size_t max_bins : {128u, 256u, 1024u}) {
      const auto x = ar1(n, 7 * n + max_bins);
      const auto acc = fed(x, max_bins);
      const auto full = binning_analysis(x);
      const auto from_bins = binning_analysis(stored(acc, acc.stats()));
      CAPTURE(n);
      CAPTURE(max_bins);
      CHECK(from_bins.mean == full.mean);
      CHECK(from_bins.error == full.error);
      CHECK(from_bins.level == full.level);
      CHECK(from_bins.reliable == full.reliable);
      CHECK(from_bins.naive_error == doctest::Approx(full.naive_error).epsilon(1e-12));
      CHECK(from_bins.tau_int == doctest::Approx(full.tau_int).epsilon(1e-12));
    }
  }
}

TEST_CASE("non-finite values are skipped: the mean is the finite values' mean") {
  auto x = ar1(3000, 3);
  for (std::size_t i = 0; i < x.size(); i += 7) x[i] = NAN;
  const auto acc = fed(x, 128);
  std::vector<double> finite;
  for (double v : x)
    if (std::isfinite(v)) finite.push_back(v);
  const auto full = binning_analysis(finite);
  const auto from_bins = binning_analysis(stored(acc, acc.stats()));
  CHECK(from_bins.mean == full.mean);  // the same sum in the same order
  for (double b : acc.bins()) CHECK(std::isfinite(b));
  CHECK(std::abs(from_bins.error - full.error) < 0.3 * full.error);  // other bins: within the error's own error
}

TEST_CASE("an accumulator stored and restored at any point continues bitwise") {
  const auto x = ar1(5000, 11);
  const auto whole = fed(x, 128);
  for (std::size_t cut : {0u, 1u, 127u, 128u, 129u, 1023u, 2048u, 2049u, 4999u}) {
    BinAccumulator first(1, 128);
    for (std::size_t i = 0; i < cut; ++i) first.add(std::span<const double>(&x[i], 1));
    const std::vector<double> bins(first.bins().begin(), first.bins().end()), stats = first.stats();
    BinAccumulator second(1, 128);
    second.restore(first.measurements(), first.level(), bins, stats);
    for (std::size_t i = cut; i < x.size(); ++i) second.add(std::span<const double>(&x[i], 1));
    CAPTURE(cut);
    CHECK(std::vector<double>(second.bins().begin(), second.bins().end()) ==
          std::vector<double>(whole.bins().begin(), whole.bins().end()));
    CHECK(second.stats() == whole.stats());
  }
}

TEST_CASE("several series side by side are binned independently") {
  const auto a = ar1(3000, 21), b = ar1(3000, 22);
  BinAccumulator both(2, 256);
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double row[2] = {a[i], b[i]};
    both.add(row);
  }
  const auto one = fed(b, 256);
  REQUIRE(both.bin_count() == one.bin_count());
  for (std::size_t i = 0; i < one.bin_count(); ++i) CHECK(both.bins()[2 * i + 1] == one.bins()[i]);
}

TEST_CASE("drift check from bins: the full series' verdict where the windows coincide") {
  // n = B·2^k with B a multiple of 4: the windows [n/4, n/2), [n/2, n) are whole bins.
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const std::size_t n = 4096;
    const double a = seed % 2 ? 20.0 : 0.0;  // every other one relaxes: a drift the check catches
    const auto x = ar1(n, 100 + seed, a, 1000);
    const auto acc = fed(x, 128);  // 128 bins of 32
    REQUIRE(acc.bin_count() == 128);
    const auto full = drift_check(x), bins = drift_check_bins(acc.bins(), acc.bin_size());
    CAPTURE(seed);
    CHECK(bins.enough);
    CHECK(bins.early_err == full.early_err);  // the same coarse bins
    CHECK(bins.late_err == full.late_err);
    CHECK(bins.dof == full.dof);
    CHECK(bins.early == doctest::Approx(full.early).epsilon(1e-12));
    CHECK(bins.late == doctest::Approx(full.late).epsilon(1e-12));
    CHECK(bins.p == doctest::Approx(full.p).epsilon(1e-9));
    CHECK(bins.passed() == full.passed());
    if (a > 0) CHECK(!bins.passed());
  }
  // Unmerged bins (bin size 1) are the full series: bitwise the same check.
  const auto x = ar1(200, 5);
  const auto acc = fed(x, 256);
  const auto full = drift_check(x), bins = drift_check_bins(acc.bins(), acc.bin_size());
  CHECK(bins.p == full.p);
  CHECK(bins.z == full.z);
}

TEST_CASE("drift check from bins: frozen series, and too few measurements") {
  std::vector<double> frozen(3000, 0.75);
  const auto acc = fed(frozen, 128);
  const auto d = drift_check_bins(acc.bins(), acc.bin_size());
  CHECK(d.enough);
  CHECK(d.passed());
  for (std::size_t i = 1500; i < frozen.size(); ++i) frozen[i] = 1.0;  // a step between frozen levels
  const auto step = fed(frozen, 128);
  CHECK(!drift_check_bins(step.bins(), step.bin_size()).passed());
  const std::vector<double> few(40, 1.0);
  CHECK(!drift_check_bins(few, 1).enough);
}
