// Dense Hebbian network: cached energies and ΔE against direct evaluation in every mode, the
// distinct-site energy against an explicit sum over P-sets of sites, Curie–Weiss as the K = 1
// all-ones case (archetypes read from HDF5), the quenched data's statistics, parameter and data-file
// errors, and the engine's Metropolis averages against exact enumeration of all 2^N states.
#include <algorithm>
#include <cmath>
#include <doctest/doctest.h>
#include <filesystem>
#include <numeric>
#include <omp.h>
#include <unistd.h>
#include <vector>

#include "engine/sweep/dynamics.hpp"
#include "engine/io/h5.hpp"
#include "engine/simulation.hpp"
#include "models/dense_hebbian.hpp"
#include "tests/support/archive_round_trip.hpp"
#include "tests/support/enumeration_settings.hpp"
#include "tests/support/memory_recorder.hpp"

using namespace ptmc;
using testing::MemoryRecorder;

namespace {

using Mode = HebbianMode;

DenseHebbian::Params params(int N, int P, int K, Mode data = Mode::storage, int M = 1, double r = 1.0,
                            bool self = false) {
  DenseHebbian::Params p;
  p.N = N;
  p.P = P;
  p.K = K;
  p.data = data;
  p.M = M;
  p.r = r;
  p.self_interaction = self;
  return p;
}

// e_k of real variables by the product expansion Π_j (1 + t x_j): independent of Newton's identities.
double elementary_dp(int P, const std::vector<double>& x) {
  std::vector<double> e(static_cast<std::size_t>(P) + 1, 0.0);
  e[0] = 1;
  for (double v : x)
    for (int k = P; k >= 1; --k) e[k] += v * e[k - 1];
  return e[P];
}

// The channels of the definitions of docs/conventions.md, scaled: y_j = (weight_j σ_j)/N, so that the energy of
// a channel is -(N/2) c P! e_P(y) (distinct sites) or -(N/2) c (Σ_j y_j)^P (self-interaction).
struct Channel {
  std::vector<double> w;
  double c;
};
std::vector<Channel> channels(const DenseHebbian::Params& p, const HebbianData& d) {
  std::vector<Channel> out;
  const double R = DenseHebbian::example_power(p);
  for (int mu = 0; mu < p.K; ++mu) {
    if (p.data == Mode::unsupervised) {
      for (int a = 0; a < p.M; ++a) {
        Channel ch{std::vector<double>(p.N), 1.0 / (p.M * std::pow(R, p.P / 2.0))};
        for (int i = 0; i < p.N; ++i) ch.w[i] = d.examples[(static_cast<std::size_t>(i) * p.K + mu) * p.M + a];
        out.push_back(ch);
      }
      continue;
    }
    Channel ch{std::vector<double>(p.N), 1.0};
    for (int i = 0; i < p.N; ++i) {
      const std::size_t k = static_cast<std::size_t>(i) * p.K + mu;
      ch.w[i] = p.data == Mode::storage ? d.xi[k] : d.sums[k] / (p.M * std::sqrt(R));  // ξ̂/√𝓡
    }
    out.push_back(ch);
  }
  return out;
}

double factorial(int P) { return std::tgamma(P + 1.0); }

// H from the definition, via the product expansion (fast enough for enumeration).
double definition_energy(const DenseHebbian::Params& p, const std::vector<Channel>& chans, std::span<const std::int8_t> s) {
  double e = 0;
  std::vector<double> y(p.N);
  for (const auto& ch : chans) {
    for (int i = 0; i < p.N; ++i) y[i] = ch.w[i] * s[i] / p.N;
    const double sum = std::accumulate(y.begin(), y.end(), 0.0);
    e -= p.N / 2.0 * ch.c * (p.self_interaction ? std::pow(sum, p.P) : factorial(p.P) * elementary_dp(p.P, y));
  }
  return e;
}

// H by an explicit sum over sets i_1 < ... < i_P of distinct sites (tiny N only).
double subset_energy(const DenseHebbian::Params& p, const std::vector<Channel>& chans, std::span<const std::int8_t> s) {
  double e = 0;
  for (const auto& ch : chans) {
    double sum = 0;
    std::vector<int> idx(p.P);
    std::iota(idx.begin(), idx.end(), 0);
    while (true) {
      double prod = 1;
      for (int k : idx) prod *= ch.w[k] * s[k] / p.N;
      sum += prod;
      int j = p.P - 1;
      while (j >= 0 && idx[j] == p.N - p.P + j) --j;
      if (j < 0) break;
      ++idx[j];
      for (int k = j + 1; k < p.P; ++k) idx[k] = idx[k - 1] + 1;
    }
    e -= p.N / 2.0 * ch.c * factorial(p.P) * sum;
  }
  return e;
}

// m (signed overlap of the first pattern with the largest |m_μ|), m_other, nbar, n, m1, by definition.
std::vector<double> definition_observables(const DenseHebbian::Params& p, const HebbianData& d, std::span<const std::int8_t> s) {
  std::vector<double> m(p.K, 0.0), A(p.K, 0.0);
  for (int mu = 0; mu < p.K; ++mu)
    for (int i = 0; i < p.N; ++i) {
      const std::size_t k = static_cast<std::size_t>(i) * p.K + mu;
      m[mu] += static_cast<double>(d.xi[k]) * s[i] / p.N;
      if (p.data != Mode::storage) A[mu] += static_cast<double>(d.sums[k]) * s[i];
    }
  int best = 0;
  for (int mu = 1; mu < p.K; ++mu)
    if (std::abs(m[mu]) > std::abs(m[best]) + 1e-12) best = mu;
  double other = 0;
  for (int mu = 0; mu < p.K; ++mu)
    if (mu != best) other = std::max(other, std::abs(m[mu]));
  const double sign = m[best] < 0 ? -1 : 1;
  if (p.data == Mode::storage) return {m[best], other, std::abs(m[best]), std::abs(m[best]), m[0]};
  const double rho = DenseHebbian::rho(p);
  return {m[best], other, sign * A[best] / (p.M * p.N * p.r * (1 + rho)), sign * A[best] / (p.M * p.N), m[0]};
}

std::vector<std::int8_t> random_spins(int N, Rng& rng) {
  std::vector<std::int8_t> s(N);
  for (auto& x : s) x = static_cast<std::int8_t>(rng.spin());
  return s;
}

std::string temp_file(const std::string& stem) {
  return (std::filesystem::temp_directory_path() / (stem + "_" + std::to_string(getpid()) + ".h5")).string();
}

void write_patterns(const std::string& path, const std::string& name, const std::vector<std::int64_t>& v,
                    std::vector<std::uint64_t> shape) {
  const h5::Handle f = h5::open_file(path, h5::Mode::create);
  h5::write(f, name, std::span<const std::int64_t>(v), std::move(shape));
}

}  // namespace

TEST_CASE("dense_hebbian: cached energy, ΔE and recompute agree after thousands of flips, every mode and P") {
  for (int P : {2, 3, 4}) {
    for (Mode data : {Mode::storage, Mode::supervised, Mode::unsupervised}) {
      for (bool self : {false, true}) {
        CAPTURE(P);
        CAPTURE(static_cast<int>(data));
        CAPTURE(self);
        const auto p = params(40, P, 5, data, 3, 0.6, self);
        Rng dis(11), init(12), moves(13);
        const auto D = DenseHebbian::make_disorder(p, dis);
        DenseHebbian m(p, D, init);
        const auto chans = channels(p, D->data);
        // Relative tolerance 1e-9 on the energy scale N (the energies are O(N) at retrieval).
        const double tol = 1e-9 * p.N;
        CHECK(std::abs(m.energy() - definition_energy(p, chans, m.spins())) < tol);
        double before = m.energy();
        for (int k = 0; k < 3000; ++k) {
          const int i = static_cast<int>(moves.below(static_cast<std::uint32_t>(p.N)));
          const double dE = m.delta_energy(i);
          m.flip(i);
          const double after = m.energy();
          REQUIRE(std::abs(after - before - dE) < tol);
          before = after;
          if (k % 500 == 0) REQUIRE(std::abs(m.recompute_energy() - after) < tol);
        }
        CHECK(std::abs(m.recompute_energy() - m.energy()) < tol);
        CHECK(std::abs(m.energy() - definition_energy(p, chans, m.spins())) < tol);
        std::vector<double> out(5);
        m.measure(out);
        const auto ref = definition_observables(p, D->data, m.spins());
        for (int k = 0; k < 5; ++k) CHECK(out[k] == doctest::Approx(ref[k]).epsilon(1e-12));
      }
    }
  }
}

TEST_CASE("dense_hebbian unsupervised P = 2: archetype overlaps counted from sign bits equal ξ·σ after flips") {
  // Int16 example channels: a flip moves only them, and ξ^μ·σ is counted from the spins' sign bits when
  // read. N = 200: three blocks of 64 spins and a tail of 8. Checked against the sum after every flip.
  const auto p = params(200, 2, 3, Mode::unsupervised, 4, 0.6);
  Rng dis(41), init(42), moves(43);
  const auto D = DenseHebbian::make_disorder(p, dis);
  REQUIRE(!D->archetype_bits.empty());
  DenseHebbian m(p, D, init);
  for (int k = 0; k < 2000; ++k) {
    m.flip(static_cast<int>(moves.below(static_cast<std::uint32_t>(p.N))));
    const auto o = m.archetype_overlaps();
    for (int mu = 0; mu < p.K; ++mu) {
      std::int64_t direct = 0;
      for (int i = 0; i < p.N; ++i) direct += D->data.xi[static_cast<std::size_t>(i) * p.K + mu] * m.spins()[i];
      REQUIRE(o[mu] == direct);
    }
  }
}

TEST_CASE("dense_hebbian supervised: after a flip, e_k refreshed from the moved power sums give the rebuild's doubles, bit for bit") {
  // kernels::PatternPowerSums: after each flip the odd power sums are moved and every pattern's
  // e_1..e_{P-1} refreshed from them; a model rebuilt from the same spins (through a checkpoint's bytes)
  // sums them afresh. Every ΔE must agree exactly. K = 13: vector steps and a tail; P = 3 to 6.
  for (int P : {3, 4, 5, 6}) {
    CAPTURE(P);
    const auto p = params(30, P, 13, Mode::supervised, 4, 0.6);
    Rng dis(31), init_a(32), init_b(33), moves(34);
    const auto D = DenseHebbian::make_disorder(p, dis);
    DenseHebbian a(p, D, init_a), b(p, D, init_b);
    for (int k = 0; k < 300; ++k) {
      a.flip(static_cast<int>(moves.below(static_cast<std::uint32_t>(p.N))));
      testing::restore_through_archive(a, b);
      for (int j = 0; j < p.N; ++j) REQUIRE(a.delta_energy(j) == b.delta_energy(j));
    }
  }
}

TEST_CASE("dense_hebbian: slices of the patterns add up exactly to the whole network (the pattern split)") {
  for (int P : {2, 3, 4}) {
    for (bool self : {false, true}) {
      CAPTURE(P);
      CAPTURE(self);
      const auto p = params(30, P, 11, Mode::storage, 1, 1.0, self);
      const std::vector<std::pair<int, int>> slices = {{0, 4}, {4, 4}, {8, 3}};
      Rng dis(11), init(12);
      DenseHebbian whole(p, DenseHebbian::make_disorder(p, dis), init);
      REQUIRE(whole.exact());
      std::vector<DenseHebbian> parts;
      for (auto [first, count] : slices) {
        const auto q = DenseHebbian::holding(p, first, count);
        Rng d(11), i0(12);  // the same streams: a slice holds the same numbers
        parts.emplace_back(q, DenseHebbian::make_disorder(q, d), i0);
        REQUIRE(parts.back().exact());
        CHECK(std::ranges::equal(parts.back().spins(), whole.spins()));
      }
      Rng moves(13);
      for (int k = 0; k < 2000; ++k) {
        const int i = static_cast<int>(moves.below(static_cast<std::uint32_t>(p.N)));
        std::int64_t du = 0, eu = 0;
        for (const auto& m : parts) {
          du += m.delta_units(i);
          eu += m.energy_units();
        }
        REQUIRE(du == whole.delta_units(i));
        REQUIRE(eu == whole.energy_units());
        // The engine's values are the unit times these integers: bitwise those of the whole network.
        REQUIRE(whole.energy_unit() * static_cast<double>(du) == whole.delta_energy(i));
        REQUIRE(whole.energy_unit() * static_cast<double>(eu) == whole.energy());
        whole.flip(i);
        for (auto& m : parts) m.flip(i);
      }
      std::vector<std::int64_t> joined;
      for (const auto& m : parts) joined.insert(joined.end(), m.archetype_overlaps().begin(), m.archetype_overlaps().end());
      CHECK(std::ranges::equal(joined, whole.archetype_overlaps()));
      std::vector<double> a(5), b(5);
      whole.measure(a);
      DenseHebbian::measure_overlaps(p.N, joined, b);
      CHECK(a == b);
    }
  }
}

TEST_CASE("dense_hebbian: the distinct-site energy is the sum over P-sets of distinct sites (N = 8)") {
  for (int P : {3, 4}) {
    for (Mode data : {Mode::storage, Mode::supervised, Mode::unsupervised}) {
      CAPTURE(P);
      CAPTURE(static_cast<int>(data));
      const auto p = params(8, P, 3, data, 3, 0.5);
      Rng dis(5), init(6), states(7);
      const auto D = DenseHebbian::make_disorder(p, dis);
      const auto chans = channels(p, D->data);
      for (int t = 0; t < 20; ++t) {
        const auto s = random_spins(p.N, states);
        DenseHebbian m(p, D, init);
        for (int i = 0; i < p.N; ++i)
          if (m.spins()[i] != s[i]) m.flip(i);
        const double exact = subset_energy(p, chans, s);
        CHECK(m.energy() == doctest::Approx(exact).epsilon(1e-12).scale(1.0));
      }
    }
  }
  // And e_P of ±1 variables as a polynomial of their sum S against the product expansion.
  for (int P : {2, 3, 4, 6, 8})
    for (int n : {8, 9, 30})
      for (int S = -n; S <= n; S += 2) {
        std::vector<double> x(n, -1.0);
        std::fill(x.begin(), x.begin() + (n + S) / 2, 1.0);
        CHECK(static_cast<double>(elementary_pm1(P, S, n)) == doctest::Approx(elementary_dp(P, x)).epsilon(1e-13));
      }
}

TEST_CASE("dense_hebbian: K = 1, ξ = 1 read from HDF5 is Curie–Weiss; the file's rows are the patterns") {
  const std::string path = temp_file("ptmc_dense_cw");
  const int N = 20;
  write_patterns(path, "patterns", std::vector<std::int64_t>(N, 1), {1, static_cast<std::uint64_t>(N)});
  auto p = params(N, 2, 1);
  p.data_file = path;
  p.data_dataset = "patterns";
  Rng dis(1), init(2), moves(3);
  const auto D = DenseHebbian::make_disorder(p, dis);
  DenseHebbian m(p, D, init);
  for (int k = 0; k < 500; ++k) {
    // Curie–Weiss: H = -(1/N) Σ_{i<j} σ_i σ_j = -(S² - N)/(2N).
    double S = 0;
    for (auto s : m.spins()) S += s;
    REQUIRE(m.energy() == doctest::Approx(-(S * S - N) / (2.0 * N)).epsilon(1e-14));
    m.flip(static_cast<int>(moves.below(N)));
  }
  // Two distinct rows land in the site-major layout xi[i*K + μ].
  std::vector<std::int64_t> rows(2 * N);
  for (int i = 0; i < N; ++i) {
    rows[i] = i % 3 == 0 ? -1 : 1;
    rows[N + i] = i % 2 == 0 ? 1 : 0;
  }
  write_patterns(path, "x", rows, {2, static_cast<std::uint64_t>(N)});
  const auto xi = load_hebbian_archetypes(path, "x", N, 2);
  for (int i = 0; i < N; ++i) {
    CHECK(xi[i * 2 + 0] == rows[i]);
    CHECK(xi[i * 2 + 1] == rows[N + i]);
  }
  std::filesystem::remove(path);
}

TEST_CASE("hebbian data: example quality r, ρ ↔ r, example sums, initial overlap") {
  CHECK(hebbian_r_from_rho(hebbian_rho(0.37, 7), 7) == doctest::Approx(0.37).epsilon(1e-14));
  CHECK(hebbian_example_power(0.5, 4) == doctest::Approx(0.25 * (1 + hebbian_rho(0.5, 4))).epsilon(1e-14));
  // Agreement Σ_a η ξ/(n M) has mean r and variance (1 - r²)/(n M): 4 standard errors.
  const int N = 5000, K = 3, M = 4;
  const double r = 0.3;
  Rng rng(9);
  const auto d = draw_hebbian_data(HebbianDataParams{.N = N, .K = K, .mode = Mode::unsupervised, .M = M, .r = r}, rng);
  double agree = 0, plus = 0;
  for (int i = 0; i < N; ++i)
    for (int mu = 0; mu < K; ++mu) {
      const std::size_t k = static_cast<std::size_t>(i) * K + mu;
      int s = 0;
      for (int a = 0; a < M; ++a) s += d.examples[k * M + a];
      REQUIRE(s == d.sums[k]);
      agree += d.sums[k] * d.xi[k];
      plus += d.xi[k] > 0;
    }
  const double n = static_cast<double>(N) * K;
  CHECK(std::abs(agree / (n * M) - r) < 4 * std::sqrt((1 - r * r) / (n * M)));
  CHECK(std::abs(plus / n - 0.5) < 4 * std::sqrt(0.25 / n));
  // The same stream gives the same archetypes in every mode.
  Rng rng2(9);
  CHECK(draw_hebbian_data(HebbianDataParams{.N = N, .K = K, .mode = Mode::storage}, rng2).xi == d.xi);
  // init = { quality = 0.6 }: ξ^1·σ/N has mean 0.6 and standard deviation √(0.64/N).
  auto p = params(N, 3, K);
  p.init = HebbianInit{HebbianInit::Kind::quality, 0.6};
  Rng init(4);
  Rng dis(9);
  DenseHebbian m(p, DenseHebbian::make_disorder(p, dis), init);
  CHECK(std::abs(static_cast<double>(m.archetype_overlaps()[0]) / N - 0.6) < 4 * std::sqrt(0.64 / N));
}

TEST_CASE("dense_hebbian: parameter and data-file errors name the key") {
  const auto specs = DenseHebbian::parameters();
  auto reader = [&](std::vector<std::pair<std::string, Scalar>> kv) {
    ParamReader::Entries e;
    for (auto& [k, v] : kv) e.emplace_back(k, ParamValue{v, {}, false, SourcePos{"test.toml", 3, 1}});
    return ParamReader(specs, std::move(e), SourcePos{"test.toml", 1, 1}, "model");
  };
  auto key_of = [&](std::vector<std::pair<std::string, Scalar>> kv) -> std::string {
    try {
      (void)DenseHebbian::parse(reader(std::move(kv)));
    } catch (const ParamError& e) {
      return e.key();  // "[section] key"
    }
    return "(no error)";
  };
  const Scalar N{std::int64_t{20}};
  CHECK(DenseHebbian::parse(reader({{"N", N}, {"P", Scalar{std::int64_t{4}}}, {"alpha", Scalar{0.01}}})).K == 80);
  CHECK(key_of({{"N", N}, {"K", Scalar{std::int64_t{3}}}, {"alpha", Scalar{0.1}}}) == "[model] alpha");
  CHECK(key_of({{"N", N}}) == "[model] K");
  CHECK(key_of({{"N", N}, {"alpha", Scalar{0.01}}}) == "[model] alpha");  // rounds to K = 0 at P = 2
  CHECK(key_of({{"N", N}, {"K", Scalar{std::int64_t{0}}}}) == "[model] K");
  CHECK(key_of({{"N", N}, {"K", Scalar{std::int64_t{2}}}, {"r", Scalar{1.5}}}) == "[model] r");
  CHECK(key_of({{"N", N}, {"K", Scalar{std::int64_t{2}}}, {"r", Scalar{0.0}}}) == "[model] r");
  CHECK(key_of({{"N", N}, {"K", Scalar{std::int64_t{2}}}, {"r", Scalar{0.5}}, {"rho", Scalar{0.2}}}) == "[model] rho");
  CHECK(key_of({{"N", N}, {"K", Scalar{std::int64_t{2}}}, {"rho", Scalar{-1.0}}}) == "[model] rho");
  CHECK(key_of({{"N", N}, {"K", Scalar{std::int64_t{2}}}, {"P", Scalar{std::int64_t{1}}}}) == "[model] P");
  CHECK(key_of({{"N", N}, {"K", Scalar{std::int64_t{2}}}, {"data", Scalar{std::string("dreaming")}}}) == "[model] data");
  const auto rho = DenseHebbian::parse(reader({{"N", N}, {"K", Scalar{std::int64_t{2}}}, {"M", Scalar{std::int64_t{5}}},
                                               {"rho", Scalar{0.6}}}));
  CHECK(DenseHebbian::rho(rho) == doctest::Approx(0.6).epsilon(1e-14));

  // Data files: wrong shape, values outside {-1, 0, 1}, missing dataset, missing file.
  const std::string path = temp_file("ptmc_dense_bad");
  write_patterns(path, "patterns", std::vector<std::int64_t>(3 * 20, 1), {3, 20});
  const Scalar file{path};
  CHECK(key_of({{"N", N}, {"K", Scalar{std::int64_t{3}}}, {"data_file", file}}) == "(no error)");
  CHECK(key_of({{"N", N}, {"K", Scalar{std::int64_t{2}}}, {"data_file", file}}) == "[model] data_file");
  CHECK(key_of({{"N", Scalar{std::int64_t{21}}}, {"K", Scalar{std::int64_t{3}}}, {"data_file", file}}) == "[model] data_file");
  CHECK(key_of({{"N", N}, {"K", Scalar{std::int64_t{3}}}, {"data_file", file}, {"data_dataset", Scalar{std::string("x")}}}) ==
        "[model] data_file");
  std::vector<std::int64_t> bad(3 * 20, 1);
  bad[17] = 2;
  write_patterns(path, "patterns", bad, {3, 20});
  CHECK(key_of({{"N", N}, {"K", Scalar{std::int64_t{3}}}, {"data_file", file}}) == "[model] data_file");
  std::filesystem::remove(path);
  CHECK(key_of({{"N", N}, {"K", Scalar{std::int64_t{3}}}, {"data_file", file}}) == "[model] data_file");
}

namespace {

// Exact Boltzmann averages over all 2^N states (energies and observables from the definitions
// above, not from the model), then the engine: Metropolis, random sites, tempering over the listed
// β, 2 replicas; every observable within 4 binning error bars. The binning analysis estimates the
// error of a correlated mean from the plateau of the blocked variance; with ~20 comparisons per
// case a 4σ false alarm has probability ~0.1 % for Gaussian errors, and the seed is fixed.
void check_enumeration(const DenseHebbian::Params& p, const std::vector<double>& beta) {
  const EngineSettings es = testing::enumeration_settings(beta, 60000, 1000, 1, 2025);
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  Simulation<DenseHebbian> sim(p, es, TaskId{0, 0});
  const auto& D = sim.disorder();
  const auto chans = channels(p, D.data);
  const int N = p.N;
  const std::size_t states = std::size_t{1} << N;
  std::vector<double> E(states);
  std::vector<std::vector<double>> O(states);
  std::vector<std::int8_t> s(N);
  for (std::size_t k = 0; k < states; ++k) {
    for (int i = 0; i < N; ++i) s[i] = (k >> i) & 1 ? -1 : 1;
    E[k] = definition_energy(p, chans, s);
    O[k] = definition_observables(p, D.data, s);
    O[k][0] = std::abs(O[k][0]);  // the engine records |m|
  }
  const double emin = *std::min_element(E.begin(), E.end());
  const auto names = DenseHebbian::observable_names(p);
  MemoryRecorder rec;
  sim.run(rec);
  omp_set_num_threads(threads);
  for (int t = 0; t < static_cast<int>(beta.size()); ++t) {
    CAPTURE(beta[t]);
    double Z = 0, e = 0;
    std::vector<double> o(names.size(), 0.0);
    for (std::size_t k = 0; k < states; ++k) {
      const double w = std::exp(-beta[t] * (E[k] - emin));
      Z += w;
      e += w * E[k];
      for (std::size_t j = 0; j < o.size(); ++j) o[j] += w * O[k][j];
    }
    auto check = [&](const std::string& name, double exact) {
      CAPTURE(name);
      const auto st = rec.stats(name, t);
      CHECK(std::abs(st.mean - exact) < 4 * st.error + 1e-12);
      CHECK(st.error < 0.02);  // the test has power: errors well below the observables' ranges
    };
    check("energy", e / Z / N);
    for (std::size_t j = 0; j < names.size(); ++j) check(names[j], o[j] / Z);
  }
}

}  // namespace

TEST_CASE("dense_hebbian P = 2 storage (Hopfield), N = 12, K = 3: engine averages equal exact enumeration") {
  check_enumeration(params(12, 2, 3), {0.5, 1.5, 3.0, 6.0});
}

TEST_CASE("dense_hebbian P = 4 supervised and P = 3 unsupervised, N = 10: engine equals exact enumeration") {
  check_enumeration(params(10, 4, 2, Mode::supervised, 3, 0.6), {0.5, 1.5, 3.0, 6.0});
  check_enumeration(params(10, 3, 2, Mode::unsupervised, 2, 0.7), {0.5, 1.5, 2.5});
}

TEST_CASE("dense_hebbian: the other (mode, P) pairs and self-interactions, N = 9: engine equals exact enumeration") {
  // Completes every data mode x P in {2, 3, 4} (the cases above cover three pairs).
  check_enumeration(params(9, 3, 2), {0.5, 1.5, 3.0});
  check_enumeration(params(9, 4, 2), {0.5, 1.5, 3.0});
  check_enumeration(params(9, 2, 2, Mode::supervised, 3, 0.6), {0.5, 1.5, 3.0});
  check_enumeration(params(9, 3, 2, Mode::supervised, 2, 0.7), {0.5, 1.5, 3.0});
  check_enumeration(params(9, 2, 2, Mode::unsupervised, 2, 0.7), {0.5, 1.5, 3.0});
  check_enumeration(params(9, 4, 2, Mode::unsupervised, 3, 0.6), {0.5, 1.5, 3.0});
  check_enumeration(params(9, 4, 2, Mode::storage, 1, 1.0, true), {0.5, 1.5, 3.0});
}

TEST_CASE("dense_hebbian: supervised P = 4 at T = 0 and low load learns the archetype by the binomial law") {
  // Deep in the low-load retrieval phase the T = 0 state is σ_i = sign(ξ̂_i) (the crosstalk of the
  // other K - 1 archetypes is O(N^{-3/2}) at P = 4), so m1 = (1/N) Σ_i ξ_i sign(ξ̂_i), whose mean is
  // E sign(Σ_a χ_a) = P(Σ χ > 0) - P(Σ χ < 0) for M odd: m = E_z erf-like law of docs/conventions.md with the
  // exact binomial Y. Tolerance: 4 standard deviations √((1 - m²)/N) of that sample mean.
  const int N = 3000, K = 3, M = 25;
  const double rho = 0.4, r = hebbian_r_from_rho(rho, M);
  auto p = params(N, 4, K, Mode::supervised, M, r);
  p.init = HebbianInit{HebbianInit::Kind::archetype, 1.0};
  Rng dis(21), init(22), dyn(23);
  DenseHebbian net(p, DenseHebbian::make_disorder(p, dis), init);
  for (int s = 0; s < 30; ++s) sweep(net, INFINITY, Dynamics::metropolis, SweepOrder::random, dyn);
  double exact = 0;  // Σ_k C(M, k) q^k (1 - q)^{M-k} sign(M - 2k), q = (1 - r)/2 the flip probability
  const double q = (1 - r) / 2;
  for (int k = 0; k <= M; ++k)
    exact += std::exp(std::lgamma(M + 1.0) - std::lgamma(k + 1.0) - std::lgamma(M - k + 1.0) + k * std::log(q) +
                      (M - k) * std::log(1 - q)) * (M - 2 * k > 0 ? 1 : -1);
  const double m1 = static_cast<double>(net.archetype_overlaps()[0]) / N;
  CAPTURE(exact);
  CHECK(std::abs(m1 - exact) < 4 * std::sqrt((1 - exact * exact) / N));
  // ... and it is a T = 0 fixed point: no flip lowers the energy.
  for (int i = 0; i < N; ++i) CHECK(net.delta_energy(i) >= -1e-12);
}
