#include "models/dense_hebbian.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>

namespace ptmc {

namespace {
long double factorial(int P) {
  long double f = 1;
  for (int k = 2; k <= P; ++k) f *= k;
  return f;
}
long double ipow(long double x, int k) {
  long double y = 1;
  for (int j = 0; j < k; ++j) y *= x;
  return y;
}
}  // namespace

namespace {
template <class T>
void newton(int P, const T* p, T* e) {
  e[0] = 1;
  for (int k = 1; k <= P; ++k) {
    T s = 0;
    for (int i = 1; i <= k; ++i) s += ((i & 1) ? 1 : -1) * e[k - i] * p[i];
    e[k] = s / k;
  }
}
}  // namespace

void elementary_from_power_sums(int P, const long double* p, long double* e) { newton(P, p, e); }

long double elementary_pm1(int P, long double S, long double n) {
  std::vector<long double> p(static_cast<std::size_t>(P) + 1), e(static_cast<std::size_t>(P) + 1);
  for (int k = 1; k <= P; ++k) p[k] = (k & 1) ? S : n;
  elementary_from_power_sums(P, p.data(), e.data());
  return e[P];
}

std::span<const ParamSpec> DenseHebbian::parameters() {
  static const std::vector<ParamSpec> specs = {
      {.key = "N", .type = ParamType::integer, .fallback = {}, .help = "number of spins", .min = 2, .max = 1 << 24,
       .required = true},
      {.key = "P", .type = ParamType::integer, .fallback = std::int64_t{2},
       .help = "interaction order (P = 2: Hopfield; 3, 4, 6, 8: dense)", .min = 2, .max = 16},
      {.key = "K", .type = ParamType::integer, .fallback = {}, .help = "number of patterns (or give alpha)", .min = 1,
       .max = 1 << 30},
      {.key = "alpha", .type = ParamType::real, .fallback = {},
       .help = "load: K = round(alpha N^(P-1)) (or give K)", .min = 0, .min_open = true},
      {.key = "data", .type = ParamType::choice, .fallback = std::string_view{"storage"},
       .help = "patterns given to the network, or learnt from M examples each (teacher-grouped or not)",
       .choices = {"storage", "supervised", "unsupervised"}},
      {.key = "M", .type = ParamType::integer, .fallback = std::int64_t{1},
       .help = "examples per archetype (learning modes)", .min = 1, .max = 32767},
      {.key = "r", .type = ParamType::real, .fallback = 1.0,
       .help = "example quality: P(η_i = ξ_i) = (1 + r)/2 (or give rho)", .min = 0, .max = 1, .min_open = true},
      {.key = "rho", .type = ParamType::real, .fallback = {},
       .help = "dataset entropy ρ = (1 - r²)/(M r²), instead of r", .min = 0},
      {.key = "self_interaction", .type = ParamType::boolean, .fallback = false,
       .help = "keep the terms that repeat a site: H = -(N/2) Σ m^P"},
      {.key = "init", .type = ParamType::choice_or_table, .fallback = std::string_view{"random"},
       .help = "initial spins: random, archetype (ξ^1), { quality = q0 } (ξ^1, each spin kept with "
               "probability (1 + q0)/2) or test (a held-out image of test_file, then classified)",
       .choices = {"random", "archetype", "test"}},
      {.key = "data_file", .type = ParamType::input_file, .fallback = std::string_view{""},
       .help = "HDF5 file with the archetypes (K x N, values ±1 or 0), instead of random ones",
       .sweepable = false},
      {.key = "data_dataset", .type = ParamType::text, .fallback = std::string_view{"patterns"},
       .help = "dataset name in data_file", .sweepable = false},
  };
  static const std::vector<ParamSpec> all = [] {  // and the data-set keys (models/hebbian_data.hpp)
    auto v = specs;
    for (auto& spec : hebbian_dataset_specs()) v.push_back(spec);
    return v;
  }();
  return all;
}

DenseHebbian::Params DenseHebbian::parse(const ParamReader& r) {
  Params p;
  p.N = static_cast<int>(r.integer("N"));
  p.P = static_cast<int>(r.integer("P"));
  const double Npow = std::pow(static_cast<double>(p.N), p.P - 1);
  if (r.has("K") && r.has("alpha")) r.fail("alpha", "give the load as K or as alpha, not both");
  if (r.has("K")) {
    p.K = static_cast<int>(r.integer("K"));
  } else if (r.has("alpha")) {
    const double K = std::round(r.real("alpha") * Npow);
    if (K < 1)
      r.fail("alpha", "alpha N^(P-1) = " + std::to_string(r.real("alpha") * Npow) + " rounds to K = 0 patterns");
    if (K > (1 << 30)) r.fail("alpha", "alpha N^(P-1) = " + std::to_string(K) + " patterns is too many");
    p.K = static_cast<int>(K);
    p.alpha = r.real("alpha");
  } else {
    r.fail("K", "give the load as K (patterns) or alpha (K = alpha N^(P-1))");
  }
  const std::string data = r.text("data");
  p.data = data == "supervised"     ? HebbianMode::supervised
           : data == "unsupervised" ? HebbianMode::unsupervised
                                    : HebbianMode::storage;
  p.M = static_cast<int>(r.integer("M"));
  if (r.has("r") && r.has("rho")) r.fail("rho", "give the example quality as r or as rho, not both");
  p.r = r.has("rho") ? hebbian_r_from_rho(r.real("rho"), p.M) : r.real("r");
  p.self_interaction = r.boolean("self_interaction");
  p.init = parse_hebbian_init(r, "init");
  p.data_file = r.text("data_file");
  p.data_dataset = r.text("data_dataset");
  p.dataset = parse_hebbian_dataset(r, p.N, p.K, p.data, p.M);
  if (p.dataset.on()) p.r = p.dataset.r;  // measured from the images

  // Sizes: exact 64-bit integer channels and memory for the data.
  const double N = p.N, K = p.K, M = p.M;
  const double entries = N * K * (p.data == HebbianMode::unsupervised ? M : 1);
  if (entries > 0x1p33) r.fail("N", "N K" + std::string(p.data == HebbianMode::unsupervised ? " M" : "") +
                                        " = " + std::to_string(entries) + " data entries exceed the memory limit (2^33)");
  if (p.data == HebbianMode::supervised) {
    // Odd power sums Σ A^k σ (|A| ≤ M, k ≤ P) must fit in 62 bits; even ones are exact in long double.
    const int kmax = p.P % 2 ? p.P : p.P - 1;
    if (std::log2(N) + kmax * std::log2(M) > 62 || std::log2(N) + p.P * std::log2(M) > 63)
      r.fail("M", "N M^P too large for exact integer power sums (supervised); lower M or N");
  }
  if (!p.data_file.empty()) {
    try {
      (void)load_hebbian_archetypes(p.data_file, p.data_dataset, p.N, p.K);
    } catch (const HebbianDataError& e) {
      r.fail("data_file", e.what());
    }
  }
  return p;
}

std::vector<std::pair<std::string, Scalar>> DenseHebbian::derived_attributes(const Params& p) {
  const double alpha = p.K / std::pow(static_cast<double>(p.N), p.P - 1);
  return {{"K", std::int64_t{p.K}}, {"alpha", alpha}, {"r", p.r}, {"rho", rho(p)}, {"R", example_power(p)}};
}

// The data (ξ N K bytes, sums 2 N K, examples N K M, a data file read as doubles 9 N K while it
// loads), the packed site rows (N C / 8), energy tables and per-channel indices. A walker: spins,
// overlaps in int32/int16/bytes, the cached a and b per channel (16 C), ξ·σ per pattern.
double DenseHebbian::disorder_bytes(const Params& p) {
  const double N = p.N, K = p.held_patterns > 0 ? p.held_patterns : p.K, M = p.M;
  const double C = p.data == HebbianMode::supervised ? 0 : p.data == HebbianMode::unsupervised ? K * M : K;
  double bytes = N * K + 12 * C + N * C / 8 + 100 * (N + 1);
  if (p.data != HebbianMode::storage) bytes += 2 * N * K;
  if (p.data == HebbianMode::unsupervised) bytes += N * K * M + N * K / 8;  // the examples; the archetypes' sign bits
  if (p.data == HebbianMode::supervised) bytes += 24 * K * (p.P / 2 + 1);
  if (!p.data_file.empty()) bytes += 9 * N * p.K;
  bytes += data_set_bytes(p.dataset.train) + data_set_bytes(p.dataset.test);  // images read once per process
  return bytes;
}

double DenseHebbian::walker_bytes(const Params& p) {
  const double N = p.N, K = p.held_patterns > 0 ? p.held_patterns : p.K, M = p.M;
  const double C = p.data == HebbianMode::supervised ? 0 : p.data == HebbianMode::unsupervised ? K * M : K;
  double bytes = 5 * N + 40 * C + 8 * K;
  if (p.data == HebbianMode::supervised) bytes += 8 * K * ((p.P + 1) / 2 + p.P);
  return bytes;
}

std::shared_ptr<const DenseHebbian::Disorder> DenseHebbian::make_disorder(const Params& p, Rng& rng) {
  auto D = std::make_shared<Disorder>();
  D->data = draw_hebbian_data(HebbianDataParams{p.N, p.K, p.data, p.M, p.r, 0.0, p.data_file,
                                                p.data_file.empty() ? "" : p.data_dataset, p.first_pattern,
                                                p.held_patterns, p.dataset},
                               rng);
  const HebbianData& d = D->data;
  const int P = p.P, K = d.K, M = p.M;
  D->P = P;
  const long double N = p.N, R = example_power(p);
  const long double Npow = ipow(N, P - 1);
  D->nbar_norm = 1.0 / (static_cast<double>(M) * p.N * p.r * (1 + rho(p)));
  if (p.data == HebbianMode::supervised) {
    D->coef = -1.0L / (2 * Npow * ipow(M, P) * std::pow(R, P / 2.0L));
    if (!p.self_interaction) D->coef *= factorial(P);
    D->odd_powers = (P + 1) / 2;
    const int ne = P / 2 + 1;
    D->even_power_sums.assign(static_cast<std::size_t>(K) * ne, 0);
    for (int i = 0; i < p.N; ++i)
      for (int mu = 0; mu < K; ++mu) {
        const long double a2 = static_cast<long double>(d.sums[static_cast<std::size_t>(i) * K + mu]) *
                               d.sums[static_cast<std::size_t>(i) * K + mu];
        long double x = 1;
        for (int k = 0; k < ne; ++k, x *= a2) D->even_power_sums[static_cast<std::size_t>(mu) * ne + k] += x;
      }
    D->even_power_sums_d.assign(D->even_power_sums.begin(), D->even_power_sums.end());
    return D;
  }
  // ±1 channels and their energy tables, one per distinct number of nonzero entries.
  const bool uns = p.data == HebbianMode::unsupervised;
  D->C = uns ? K * M : K;
  const long double coef = -1.0L / (2 * Npow * (uns ? M * std::pow(R, P / 2.0L) : 1.0L)) *
                           (p.self_interaction ? 1.0L : factorial(P));
  D->coef = coef;
  std::map<int, std::int64_t> tables;
  D->nonzero.resize(static_cast<std::size_t>(D->C));
  D->table_offset.resize(static_cast<std::size_t>(D->C));
  for (int c = 0; c < D->C; ++c) {
    const int n = static_cast<int>(d.informative[static_cast<std::size_t>(uns ? c / M : c)]);
    D->has_zeros = D->has_zeros || n < p.N;
    auto [it, fresh] = tables.try_emplace(n, static_cast<std::int64_t>(D->energy_table.size()));
    if (fresh) {
      for (int k = 0; k <= n; ++k) {
        const long double S = 2 * k - n;
        D->energy_table.push_back(coef * (p.self_interaction ? ipow(S, P) : elementary_pm1(P, S, n)));
      }
      for (int k = 0; k <= n; ++k) {
        const long double* e = &D->energy_table[static_cast<std::size_t>(it->second + k)];
        const long double up = k < n ? e[1] - e[0] : 0.0L, down = k > 0 ? e[-1] - e[0] : 0.0L;
        D->half_difference.push_back(static_cast<double>((down - up) / 2));
        D->half_sum.push_back(static_cast<double>((down + up) / 2));
      }
    }
    D->nonzero[static_cast<std::size_t>(c)] = n;
    D->table_offset[static_cast<std::size_t>(c)] = it->second;
  }
  // The packed integer form: limits for all K patterns, so that a slice of them takes the same path as
  // the whole.
  if (!D->has_zeros)
    D->packed = kernels::build_packed_pattern_bits(p.N, P, p.self_interaction, D->C, p.held_patterns > 0 ? p.K : D->C,
                                                   D->coef, uns ? d.examples : d.xi);
  if (uns && D->packed.int16_overlaps && std::all_of(d.xi.begin(), d.xi.end(), [](std::int8_t x) { return x == 1 || x == -1; })) {
    D->archetype_words = (p.N + 63) / 64;
    D->archetype_bits.assign(static_cast<std::size_t>(K) * D->archetype_words, 0);
    for (std::size_t i = 0; i < static_cast<std::size_t>(p.N); ++i)
      for (std::size_t mu = 0; mu < static_cast<std::size_t>(K); ++mu)
        if (d.xi[i * K + mu] < 0) D->archetype_bits[mu * D->archetype_words + i / 64] |= std::uint64_t{1} << (i % 64);
  }
  return D;
}

DenseHebbian::DenseHebbian(const Params& p, std::shared_ptr<const Disorder> disorder, Rng& rng)
    : D_(std::move(disorder)),
      rows_(D_->packed.negative_bits.data()),
      row_words_(static_cast<std::size_t>(D_->packed.row_words)),
      N_(p.N),
      P_(p.P),
      K_(D_->data.K),
      C_(D_->C),
      M_(p.M),
      supervised_(p.data == HebbianMode::supervised),
      self_interaction_(p.self_interaction),
      spins_(hebbian_initial_spins(p.init, D_->data, rng, false, &test_class_)) {
  int16_flips_ = !supervised_ && int16_overlaps() && (D_->data.mode == HebbianMode::storage || !D_->archetype_bits.empty());
  rebuild();
}

void DenseHebbian::rebuild() {
  const auto& d = D_->data;
  const std::size_t K = static_cast<std::size_t>(K_);
  archetype_overlaps_.assign(K, 0);
  for (int i = 0; i < N_; ++i)
    for (std::size_t mu = 0; mu < K; ++mu) archetype_overlaps_[mu] += d.xi[i * K + mu] * spins_[i];
  archetype_overlaps_stale_ = false;
  if (supervised_)
    return power_sums_.rebuild(d.sums.data(), spins_.data(), N_, K_, P_, self_interaction_, D_->odd_powers,
                               D_->even_power_sums_d.data());
  const auto& packed = D_->packed;
  overlaps_.assign(packed ? static_cast<std::size_t>(packed.row_words) * 16 : static_cast<std::size_t>(C_), 0);
  for (int i = 0; i < N_; ++i) {
    const std::int8_t* w = channel_row(i);
    for (int c = 0; c < C_; ++c) overlaps_[c] += w[c] * spins_[i];
  }
  if (!packed)
    return energy_steps_.refresh_all(C_, overlaps_.data(), D_->nonzero.data(), D_->table_offset.data(),
                                     D_->half_difference, D_->half_sum);
  packed_sums_.refresh(packed, overlaps_.data(), N_, C_);
  if (!int16_overlaps()) return;
  // The int16 forms keep the overlaps alone: no stale copy to read, and no edge terms.
  int16_forms_.refresh(packed, overlaps_.data(), packed_sums_.overlap_sum(), N_, C_);
  overlaps_.clear();
  packed_sums_.drop_edges();
}

std::span<const std::int64_t> DenseHebbian::archetype_overlaps() const {
  if (archetype_overlaps_stale_) {
    if (D_->data.mode == HebbianMode::storage) {  // the channels are the archetypes, ξ·σ = S
      for (int mu = 0; mu < K_; ++mu) archetype_overlaps_[mu] = overlap(mu);
    } else {  // ξ^μ·σ = N - 2 × (sites where ξ_i^μ ≠ σ_i), from the sign bits
      const auto words = static_cast<std::size_t>(D_->archetype_words);
      std::vector<std::uint64_t> negative(words, 0);
      std::size_t i = 0;
#if defined(__AVX512BW__)
      for (; i + 64 <= static_cast<std::size_t>(N_); i += 64)  // the sign bits of 64 spins at once
        negative[i / 64] = _cvtmask64_u64(_mm512_movepi8_mask(_mm512_loadu_si512(spins_.data() + i)));
#endif
      for (; i < static_cast<std::size_t>(N_); ++i) negative[i / 64] |= static_cast<std::uint64_t>(spins_[i] < 0) << (i % 64);
      for (std::size_t mu = 0; mu < static_cast<std::size_t>(K_); ++mu) {
        std::int64_t differ = 0;
        for (std::size_t w = 0; w < words; ++w) differ += std::popcount(D_->archetype_bits[mu * words + w] ^ negative[w]);
        archetype_overlaps_[mu] = N_ - 2 * differ;
      }
    }
    archetype_overlaps_stale_ = false;
  }
  return archetype_overlaps_;
}

void DenseHebbian::flip_any(int i) {
  const auto& d = D_->data;
  const int s = spins_[i];
  const std::int8_t* xi = &d.xi[static_cast<std::size_t>(i) * K_];
  const auto& packed = D_->packed;
  if (packed && d.mode == HebbianMode::storage) {
    if (int16_overlaps())
      int16_forms_.flip(i, s);
    else
      packed_sums_.flip(packed, bit_row(i), s, overlaps_.data(), N_, C_);
    archetype_overlaps_stale_ = true;  // ξ·σ = S: copied when read (archetype_overlaps())
    spins_[i] = static_cast<std::int8_t>(-s);
    return;
  }
  for (int mu = 0; mu < K_; ++mu) archetype_overlaps_[mu] -= 2 * xi[mu] * s;
  if (supervised_) {
    power_sums_.flip(sums_row(i), s);
  } else if (packed) {
    if (int16_overlaps())
      int16_forms_.flip(i, s);
    else
      packed_sums_.flip(packed, bit_row(i), s, overlaps_.data(), N_, C_);
  } else {
    const std::int8_t* w = channel_row(i);
    for (int c = 0; c < C_; ++c) {
      if (w[c] == 0) continue;
      overlaps_[c] -= 2 * w[c] * s;
      energy_steps_.refresh(c, overlaps_[c], D_->nonzero[c], D_->table_offset[c], D_->half_difference,
                            D_->half_sum);
    }
  }
  spins_[i] = static_cast<std::int8_t>(-s);
}

long double DenseHebbian::pattern_energy_units(int mu) const {
  const std::int64_t* odd = power_sums_.odd_sums(mu);
  if (self_interaction_) return ipow(static_cast<long double>(odd[0]), P_);
  long double pw[17], e[17];
  const long double* even = &D_->even_power_sums[static_cast<std::size_t>(mu) * (P_ / 2 + 1)];
  for (int k = 1; k <= P_; ++k) pw[k] = (k & 1) ? static_cast<long double>(odd[k / 2]) : even[k / 2];
  newton(P_, pw, e);
  return e[P_];
}

std::int64_t DenseHebbian::energy_units() const {
  if (!D_->packed.channel_poly.empty()) return kernels::channel_units_sum(D_->packed, overlaps_.data(), N_, C_);
  std::int64_t e = 0;
  for (int c = 0; c < C_; ++c) e += D_->packed.channel_units[static_cast<std::size_t>((overlap(c) + N_) >> 1)];
  return e;
}

double DenseHebbian::energy() const {
  if (exact()) return D_->packed.unit * static_cast<double>(energy_units());
  long double e = 0;
  if (supervised_) {
    for (int mu = 0; mu < K_; ++mu) e += pattern_energy_units(mu);
    return static_cast<double>(D_->coef * e);
  }
  for (int c = 0; c < C_; ++c)
    e += D_->energy_table[static_cast<std::size_t>(D_->table_offset[c] + (overlap(c) + D_->nonzero[c]) / 2)];
  return static_cast<double>(e);
}

double DenseHebbian::recompute_energy() const {
  // Direct evaluation from the spins: overlaps and power sums summed afresh, e_P by Newton's
  // identities on those sums (the ±1 channels without the tables).
  const auto& d = D_->data;
  const std::size_t K = static_cast<std::size_t>(K_);
  long double e = 0;
  std::vector<long double> pw(static_cast<std::size_t>(P_) + 1), ek(static_cast<std::size_t>(P_) + 1);
  if (supervised_) {
    for (std::size_t mu = 0; mu < K; ++mu) {
      std::fill(pw.begin(), pw.end(), 0.0L);
      for (int i = 0; i < N_; ++i) {
        const long double x = static_cast<long double>(d.sums[i * K + mu]) * spins_[i];
        for (int k = 1; k <= P_; ++k) pw[k] += ipow(x, k);
      }
      if (self_interaction_) {
        e += ipow(pw[1], P_);
      } else {
        elementary_from_power_sums(P_, pw.data(), ek.data());
        e += ek[P_];
      }
    }
    return static_cast<double>(D_->coef * e);
  }
  for (int c = 0; c < C_; ++c) {
    long double S = 0, n = 0;
    for (int i = 0; i < N_; ++i) {
      const int w = channel_row(i)[c];
      S += w * spins_[i];
      n += w != 0;
    }
    e += self_interaction_ ? ipow(S, P_) : elementary_pm1(P_, S, n);
  }
  e *= D_->coef;
  return static_cast<double>(e);
}

double DenseHebbian::sum_overlap(int mu) const {
  if (supervised_) return static_cast<double>(power_sums_.odd_sums(mu)[0]);
  std::int64_t s = 0;
  for (int a = 0; a < M_; ++a) s += overlap(mu * M_ + a);
  return static_cast<double>(s);
}

int DenseHebbian::measure_overlaps(int N_sites, std::span<const std::int64_t> overlaps, std::span<double> out) {
  const double N = N_sites;
  int best = 0;
  std::int64_t first = -1, second = 0;
  for (std::size_t mu = 0; mu < overlaps.size(); ++mu) {
    const std::int64_t a = std::abs(overlaps[mu]);
    if (a > first) {
      second = std::max<std::int64_t>(first, 0);
      first = a;
      best = static_cast<int>(mu);
    } else if (a > second) {
      second = a;
    }
  }
  const double m = static_cast<double>(overlaps[best]) / N;
  out[0] = m;
  out[1] = static_cast<double>(second) / N;
  out[2] = out[3] = std::abs(m);
  out[4] = static_cast<double>(overlaps[0]) / N;
  return best;
}

void DenseHebbian::measure_vectors_overlaps(int N_sites, std::span<const std::int64_t> overlaps, std::span<double> out) {
  const std::size_t K = overlaps.size();
  for (std::size_t mu = 0; mu < K; ++mu) out[mu] = out[K + mu] = static_cast<double>(overlaps[mu]) / N_sites;
}

void DenseHebbian::measure(std::span<double> out) const {
  const int best = measure_overlaps(N_, archetype_overlaps(), out);  // storage: m, m_other, |m|, |m|, m1
  if (test_class_ >= 0) {  // init = test: correct, m_class
    const auto o = archetype_overlaps();
    out[5] = hebbian_classify(o) == test_class_ ? 1.0 : 0.0;
    out[6] = static_cast<double>(o[static_cast<std::size_t>(test_class_)]) / N_;
  }
  if (D_->data.mode == HebbianMode::storage) return;
  // Learning modes: n̄ and n of the retrieved archetype (largest |ξ^μ·σ|), oriented by the sign of m.
  const double sign = out[0] < 0 ? -1.0 : 1.0;
  const double s = sum_overlap(best);
  out[2] = sign * s * D_->nbar_norm;
  out[3] = sign * s / (static_cast<double>(M_) * N_);
}

void DenseHebbian::measure_vectors(std::span<double> out) const {
  measure_vectors_overlaps(N_, archetype_overlaps(), out);
  if (D_->data.mode == HebbianMode::storage) return;
  for (int mu = 0; mu < K_; ++mu) out[K_ + mu] = sum_overlap(mu) * D_->nbar_norm;
}

}  // namespace ptmc
