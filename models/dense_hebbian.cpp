#include "models/dense_hebbian.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <map>

#include "engine/simd.hpp"

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

namespace {
__extension__ typedef __int128 i128;

i128 binomial(std::int64_t a, int m) {
  if (m < 0 || m > a) return 0;
  i128 c = 1;
  for (int t = 0; t < m; ++t) c = c * (a - t) / (t + 1);  // exact at every step
  return c;
}

// Z(k) = P! e_P of N entries ±1 with k of them +1 (or S^P, S = 2k - N, with self-interactions):
// e_P is the coefficient of t^P in (1 + t)^k (1 - t)^(N - k).
i128 channel_units(int P, bool self, std::int64_t N, std::int64_t k) {
  if (self) {
    i128 z = 1;
    for (int j = 0; j < P; ++j) z *= 2 * k - N;
    return z;
  }
  i128 e = 0, f = 1;
  for (int j = 0; j < P; ++j) f *= j + 1;
  for (int j = 0; j <= P; ++j) e += ((j & 1) ? -1 : 1) * binomial(k, P - j) * binomial(N - k, j);
  return f * e;
}
}  // namespace

// The packed fast path needs ±1 channels without zeros and integers that fit: N^P < 2^60 for the
// channel units, |G| < 2^31 (int32 lanes), C max|G| and C max|H| < 2^62 (int64 sums).
void DenseHebbian::build_packed(Disorder& D, const Params& p) {
  D.packed = false;
  if (D.zeros || D.C == 0 || p.P * std::log2(static_cast<double>(p.N) + 1) > 60) return;
  const std::int64_t N = p.N;
  std::vector<i128> z(static_cast<std::size_t>(N) + 1);
  for (std::int64_t k = 0; k <= N; ++k) z[k] = channel_units(p.P, p.self_interaction, N, k);
  i128 gmax = 1, hmax = 0;
  std::vector<i128> g(z.size()), h(z.size());
  for (std::int64_t k = 0; k <= N; ++k) {
    const i128 up = k < N ? z[k + 1] - z[k] : 0, down = k > 0 ? z[k - 1] - z[k] : 0;
    g[k] = up - down;
    h[k] = up + down;
    gmax = std::max(gmax, g[k] < 0 ? -g[k] : g[k]);
    hmax = std::max(hmax, h[k] < 0 ? -h[k] : h[k]);
  }
  // Limits for all K patterns, so that a slice of them takes the same path as the whole.
  const i128 C = p.held_patterns > 0 ? p.K : D.C, limit = i128{1} << 62;
  if (gmax > 0x7fffffff || hmax > 0x7fffffff || C * gmax >= limit || C * hmax >= limit) return;
  i128 zmax = 0;
  for (const i128 v : z) zmax = std::max(zmax, v < 0 ? -v : v);
  D.exact = C * zmax < limit;
  if (D.exact) D.ztab.assign(z.begin(), z.end());
  D.gtab.assign(g.begin(), g.end());
  D.htab.assign(h.begin(), h.end());
  // The masked sums run over G (or, for P = 2, over S with |S| ≤ N).
  D.quadratic = p.P == 2;
  const i128 vmax = D.quadratic ? i128{std::max<std::int64_t>(N, 1)} : gmax;
  D.flush = 2 * static_cast<int>(0x7fffffff / static_cast<std::int64_t>(vmax));
  D.narrow = C * vmax <= 0x7fffffff;
  D.unit = static_cast<double>(p.self_interaction ? D.coef : D.coef / factorial(p.P));
  D.pair16 = D.quadratic && N <= Disorder::kSplitMax && C * (2 * i128{N} + 128) <= 0x7fffffff;
  D.groups = (D.C + 127) / 128;
  // Even, so rows also read as 32-bit masks; pair16 rows fill whole groups of 128 channels, so the
  // kernels find row i at i × 8 groups, a shift when the group count is known at compile time.
  D.blocks = D.pair16 ? 8 * D.groups : (D.C + 31) / 32 * 2;
  D.word_flush = std::max(1, static_cast<int>(0x7fff / std::max<std::int64_t>(N, 1)));  // |S| ≤ N
  const auto& d = D.data;
  const auto& w = d.mode == HebbianMode::storage ? d.xi : d.examples;
  D.wbits.assign(static_cast<std::size_t>(N) * D.blocks + 8, 0);  // slack: pair16 rows read up to 6 words on
  for (std::size_t i = 0; i < static_cast<std::size_t>(N); ++i)
    for (std::size_t c = 0; c < static_cast<std::size_t>(D.C); ++c)
      if (w[i * D.C + c] < 0) D.wbits[i * D.blocks + c / 16] |= static_cast<std::uint16_t>(1u << (c % 16));
  D.negatives.assign(static_cast<std::size_t>(N), 0);
  for (std::size_t i = 0; i < static_cast<std::size_t>(N); ++i)
    for (int b = 0; b < D.blocks; ++b) D.negatives[i] += std::popcount(D.wbits[i * D.blocks + b]);
  D.packed = true;
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
       .help = "initial spins: random, archetype (ξ^1) or { quality = q0 } (ξ^1, each spin kept with "
               "probability (1 + q0)/2)",
       .choices = {"random", "archetype"}},
      {.key = "data_file", .type = ParamType::input_file, .fallback = std::string_view{""},
       .help = "HDF5 file with the archetypes (K x N, values ±1 or 0), instead of random ones",
       .sweepable = false},
      {.key = "data_dataset", .type = ParamType::text, .fallback = std::string_view{"patterns"},
       .help = "dataset name in data_file", .sweepable = false},
  };
  return specs;
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
  if (p.data == HebbianMode::unsupervised) bytes += N * K * M;
  if (p.data == HebbianMode::supervised) bytes += 24 * K * (p.P / 2 + 1);
  if (!p.data_file.empty()) bytes += 9 * N * p.K;
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
                                                p.held_patterns},
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
    D->odd = (P + 1) / 2;
    const int ne = P / 2 + 1;
    D->even.assign(static_cast<std::size_t>(K) * ne, 0);
    for (int i = 0; i < p.N; ++i)
      for (int mu = 0; mu < K; ++mu) {
        const long double a2 = static_cast<long double>(d.sums[static_cast<std::size_t>(i) * K + mu]) *
                               d.sums[static_cast<std::size_t>(i) * K + mu];
        long double x = 1;
        for (int k = 0; k < ne; ++k, x *= a2) D->even[static_cast<std::size_t>(mu) * ne + k] += x;
      }
    D->even_d.assign(D->even.begin(), D->even.end());
    return D;
  }
  // ±1 channels and their energy tables, one per distinct number of nonzero entries.
  const bool uns = p.data == HebbianMode::unsupervised;
  D->C = uns ? K * M : K;
  const long double coef = -1.0L / (2 * Npow * (uns ? M * std::pow(R, P / 2.0L) : 1.0L)) *
                           (p.self_interaction ? 1.0L : factorial(P));
  D->coef = coef;
  std::map<int, std::int64_t> tables;
  D->n.resize(static_cast<std::size_t>(D->C));
  D->off.resize(static_cast<std::size_t>(D->C));
  for (int c = 0; c < D->C; ++c) {
    const int n = static_cast<int>(d.informative[static_cast<std::size_t>(uns ? c / M : c)]);
    D->zeros = D->zeros || n < p.N;
    auto [it, fresh] = tables.try_emplace(n, static_cast<std::int64_t>(D->E.size()));
    if (fresh) {
      for (int k = 0; k <= n; ++k) {
        const long double S = 2 * k - n;
        D->E.push_back(coef * (p.self_interaction ? ipow(S, P) : elementary_pm1(P, S, n)));
      }
      for (int k = 0; k <= n; ++k) {
        const long double* e = &D->E[static_cast<std::size_t>(it->second + k)];
        const long double up = k < n ? e[1] - e[0] : 0.0L, down = k > 0 ? e[-1] - e[0] : 0.0L;
        D->a.push_back(static_cast<double>((down - up) / 2));
        D->b.push_back(static_cast<double>((down + up) / 2));
      }
    }
    D->n[static_cast<std::size_t>(c)] = n;
    D->off[static_cast<std::size_t>(c)] = it->second;
  }
  build_packed(*D, p);
  return D;
}

DenseHebbian::DenseHebbian(const Params& p, std::shared_ptr<const Disorder> disorder, Rng& rng)
    : D_(std::move(disorder)),
      N_(p.N),
      P_(p.P),
      K_(D_->data.K),
      C_(D_->C),
      M_(p.M),
      sup_(p.data == HebbianMode::supervised),
      self_(p.self_interaction),
      spins_(hebbian_initial_spins(p.init, D_->data, rng)) {
  for (int k = 1; k <= P_; ++k) inverse_[k] = 1.0 / k;
  rows_ = D_->wbits.data();
  blocks_ = static_cast<std::size_t>(D_->blocks);
  storage16_ = !sup_ && overlaps16() && D_->data.mode == HebbianMode::storage;
  rebuild();
}

void DenseHebbian::refresh_channel(int c) {
  const auto k = static_cast<std::size_t>(D_->off[c] + (S_[c] + D_->n[c]) / 2);
  half_diff_[c] = D_->a[k];
  half_sum_[c] = D_->b[k];
}

void DenseHebbian::refresh_pattern(int mu) {
  if (self_) return;  // ΔE needs p_1 only
  // Newton's identities in double (the long double energy() is the exact reference), up to e_{P-1}.
  double pw[17], e[17];
  const std::int64_t* odd = &odd_[static_cast<std::size_t>(mu) * D_->odd];
  const double* even = &D_->even_d[static_cast<std::size_t>(mu) * (P_ / 2 + 1)];
  for (int k = 1; k < P_; ++k) pw[k] = (k & 1) ? static_cast<double>(odd[k / 2]) : even[k / 2];
  e[0] = 1;
  for (int k = 1; k < P_; ++k) {
    double t = 0;
    for (int j = 1; j <= k; ++j) t += ((j & 1) ? e[k - j] : -e[k - j]) * pw[j];
    e[k] = t * inverse_[k];
  }
  for (int k = 0; k < P_; ++k) ed_[static_cast<std::size_t>(k) * K_ + mu] = e[k];
}

long double DenseHebbian::pattern_energy_units(int mu) const {
  const std::int64_t* odd = &odd_[static_cast<std::size_t>(mu) * D_->odd];
  if (self_) return ipow(static_cast<long double>(odd[0]), P_);
  long double pw[17], e[17];
  const long double* even = &D_->even[static_cast<std::size_t>(mu) * (P_ / 2 + 1)];
  for (int k = 1; k <= P_; ++k) pw[k] = (k & 1) ? static_cast<long double>(odd[k / 2]) : even[k / 2];
  newton(P_, pw, e);
  return e[P_];
}

void DenseHebbian::rebuild() {
  const auto& d = D_->data;
  const std::size_t K = static_cast<std::size_t>(K_);
  arch_.assign(K, 0);
  for (int i = 0; i < N_; ++i)
    for (std::size_t mu = 0; mu < K; ++mu) arch_[mu] += d.xi[i * K + mu] * spins_[i];
  if (sup_) {
    const int odd = D_->odd;
    odd_.assign(K * odd, 0);
    for (int i = 0; i < N_; ++i)
      for (std::size_t mu = 0; mu < K; ++mu) {
        const std::int64_t a = d.sums[i * K + mu];
        std::int64_t x = a * spins_[i];
        for (int j = 0; j < odd; ++j, x *= a * a) odd_[mu * odd + j] += x;
      }
    ed_.assign(K * P_, 0);
    for (int mu = 0; mu < K_; ++mu) refresh_pattern(mu);
    return;
  }
  arch_stale_ = false;
  S_.assign(D_->packed ? static_cast<std::size_t>(D_->blocks) * 16 : static_cast<std::size_t>(C_), 0);
  S16_.assign(D_->pair16 ? static_cast<std::size_t>(D_->groups) * 128 : 0, 0);
  for (int i = 0; i < N_; ++i) {
    const std::int8_t* w = channel_row(i);
    for (int c = 0; c < C_; ++c) S_[c] += w[c] * spins_[i];
  }
  if (D_->packed) {
    G_.assign(D_->quadratic ? 0 : static_cast<std::size_t>(D_->blocks) * 16, 0);
    packed_refresh();
    return;
  }
  half_diff_.assign(static_cast<std::size_t>(C_), 0);
  half_sum_.assign(static_cast<std::size_t>(C_), 0);
  for (int c = 0; c < C_; ++c) refresh_channel(c);
}

namespace {
// One block of 64 channels' V (v[0, 64)) split into bytes out[0, 128): lo ≡ V mod 256 in [-128, 128)
// and hi = (V - lo) / 256 (the high byte of V + 128), at byte 8q + b of each half for channel 8b + q
// (bits_to_bytes' order).
[[maybe_unused]] void split64(const std::int16_t* v, std::int8_t* out) {  // transposed_bytes without VBMI
  for (int c = 0; c < 64; ++c) {
    const int V = v[c], lo = static_cast<std::int8_t>(V & 0xff), at = 8 * (c % 8) + c / 8;
    out[at] = static_cast<std::int8_t>(lo);
    out[at + 64] = static_cast<std::int8_t>((V - lo) / 256);
  }
}
#if defined(__AVX512BW__)
// The low bytes of 64 int16 channels (v0: channels 0..31 of the block, v1: 32..63) in bits_to_bytes'
// order; `high`: the high bytes of V + 128 instead (VBMI: one byte permutation).
template <bool high>
[[gnu::always_inline]] inline __m512i transposed_bytes(__m512i v0, __m512i v1) {
#if defined(__AVX512VBMI__)
  alignas(64) static constexpr auto order = [] {  // byte 8q + b ← byte 2 (8b + q) (+ 1 for high) of the pair (v0, v1)
    std::array<std::int8_t, 64> o{};
    for (int q = 0; q < 8; ++q)
      for (int b = 0; b < 8; ++b) o[8 * q + b] = static_cast<std::int8_t>(2 * (8 * b + q) + high);
    return o;
  }();
  if constexpr (high) {
    const __m512i bias = _mm512_set1_epi16(128);
    v0 = _mm512_add_epi16(v0, bias);
    v1 = _mm512_add_epi16(v1, bias);
  }
  return _mm512_permutex2var_epi8(v0, _mm512_load_si512(order.data()), v1);
#else
  alignas(64) std::int16_t v[64];
  alignas(64) std::int8_t out[128];
  _mm512_store_si512(v, v0);
  _mm512_store_si512(v + 32, v1);
  split64(v, out);
  return _mm512_load_si512(out + (high ? 64 : 0));
#endif
}
#endif
}  // namespace

void DenseHebbian::packed_refresh() {
  if (D_->pair16)
    for (int c = 0; c < C_; ++c) S16_[c] = static_cast<std::int16_t>(S_[c]);
  const std::int32_t* g = D_->gtab.data();
  const std::int32_t* h = D_->htab.data();
  std::int64_t gs = 0, hs = 0, ss = 0;
  edges_.clear();
  for (int c = 0; c < C_; ++c) {
    const auto k = static_cast<std::size_t>((S_[c] + N_) >> 1);
    if (!D_->quadratic) G_[c] = g[k];
    if (S_[c] == N_ || S_[c] == -N_) edges_.push_back(c);
    gs += g[k];
    hs += h[k];
    ss += S_[c];
  }
  gsum_ = gs;
  hsum_ = hs;
  ssum_ = ss;
  if (!overlaps16()) return;
  S_.clear();  // the pair16 flip keeps the overlaps in S16_ alone: no stale copy to read
  edges_.clear();
#if defined(__AVX512BW__)
  side_sums();
  flipped_ = recentred_ = words_wait_ = 0;
  backoff_ = 1;
  bytes_ = false;
  if (form_ != Form::two_bytes) enter_bytes();
#endif
}

#if defined(__AVX512BW__)
std::int16_t DenseHebbian::centre(int S) const {
  // |S| ≤ 126: the fixed centre N mod 2 (w = (S - R)/2 in [-64, 63]); beyond, 126 from S towards 0
  // (w = ±63), so that S may move 128 outwards or 382 back towards 0 before the centre moves again: a
  // pattern's overlap that strayed far from 0 and returns does not move it twice.
  const int p = N_ & 1;
  return static_cast<std::int16_t>(S > 126 ? S - 126 : S < -126 ? S + 126 : p);
}

void DenseHebbian::enter_bytes() {
  const std::size_t padded = S16_.size();
  R16_.resize(padded);
  Wb_.resize(padded);
  base_.resize(static_cast<std::size_t>(N_));
  const int p = N_ & 1;
  bool moved = false;  // some centre is not N mod 2
  for (std::size_t c = 0; c < padded; ++c) {
    R16_[c] = c < static_cast<std::size_t>(C_) ? centre(S16_[c]) : std::int16_t{0};  // padding: S = R = 0
    moved = moved || (c < static_cast<std::size_t>(C_) && R16_[c] != p);
  }
  for (std::size_t c = 0; c < padded; c += 64) {
    const auto w = [&](std::size_t at) {
      return _mm512_srai_epi16(_mm512_sub_epi16(_mm512_load_si512(&S16_[at]), _mm512_load_si512(&R16_[at])), 1);
    };
    _mm512_store_si512(&Wb_[c], transposed_bytes<false>(w(c), w(c + 32)));
  }
  // base_i = Σ_{c: w_ic = -1} R_c: p × (bits set) while no centre moved, else the masked int16 sum
  // of ΔE over R16_ (|R| < N), one vector pass per site.
  if (!moved) {
    for (std::size_t i = 0; i < static_cast<std::size_t>(N_); ++i) base_[i] = p ? D_->negatives[i] : 0;
  } else {
    with_static_count<4>(D_->groups, [&](auto G) {
      for (int i = 0; i < N_; ++i)
        base_[static_cast<std::size_t>(i)] = dense_hebbian_detail::masked_sum_words_groups<G>(
            dense_hebbian_detail::site_row<G>(rows_, blocks_, i), R16_.data(), D_->groups, D_->word_flush);
      return 0;
    });
  }
  bytes_ = true;
}

void DenseHebbian::recentre(int c) {
  const std::int16_t R = centre(S16_[c]);
  const std::int32_t delta = R - R16_[c];
  R16_[c] = R;
  const std::uint16_t* word = rows_ + c / 16;
  const int bit = c % 16;
  std::int32_t* base = base_.data();
  for (std::size_t i = 0; i < static_cast<std::size_t>(N_); ++i) base[i] += ((word[i * blocks_] >> bit) & 1) * delta;
  ++recentred_;
}

void DenseHebbian::side_sums() {
  // Σ_c (4 - 4 x_c S_c) with x_c = w_ic σ_i: 4C - 4 σ_i Σ_c S_c + 8 σ_i Σ_{c: w_ic = -1} S_c.
  side_[2] = 4 * std::int64_t{C_} - 4 * ssum_;  // σ_i = 1
  side_[0] = 4 * std::int64_t{C_} + 4 * ssum_;  // σ_i = -1
}
#endif

void DenseHebbian::set_form(Form form) {
  form_ = form;
#if defined(__AVX512BW__)
  if (!overlaps16()) return;
  if (form == Form::one_byte && !bytes_) enter_bytes();
  if (form == Form::two_bytes) bytes_ = false;
#endif
}

void DenseHebbian::before_sweep() {
#if defined(__AVX512BW__)
  const int moved = std::exchange(recentred_, 0), flips = std::exchange(flipped_, 0);
  if (!overlaps16() || form_ != Form::automatic) return;
  // Two bytes: a flip updates S16_ alone. One byte: ΔE costs about half (one multiply-add per 64
  // channels instead of two masked adds), a flip also rewrites w, and a moved centre costs a pass
  // over the N sites. So one byte pays at low acceptance, with few moves (Hopfield N = 4096, K = 256 at
  // fixed β, ns per attempt one / two bytes: 9.0 / 9.4 at 11 % acceptance, 14.0 / 12.1 at 18 %, 5.4 /
  // 6.6 at 5 %; kBytesEnter and kBytesLeave straddle the crossing). Hysteresis in the
  // acceptance (a walker under tempering changes β at every swap), and beyond two moves in a sweep
  // two bytes for a wait that doubles (up to 64 sweeps) each time the one-byte form fails that way,
  // and halves with each sweep where it holds. Entering one byte costs about one low-acceptance
  // sweep (a masked sum per site where centres moved), leaving it nothing.
  const double acceptance = static_cast<double>(flips) / N_;
  if (bytes_) {
    if (moved > 2) {
      bytes_ = false;
      words_wait_ = backoff_;
      backoff_ = std::min(2 * backoff_, 64);
    } else if (acceptance > kBytesLeave) {
      bytes_ = false;
    } else {
      backoff_ = std::max(backoff_ / 2, 1);
    }
  } else if (words_wait_ > 0) {
    --words_wait_;
  } else if (acceptance < kBytesEnter) {
    enter_bytes();
  }
#endif
}

// S_c -= 2 σ_i w_ic for every channel, then the sums (and G_, or the edge list for P = 2) at the new
// overlaps: one pass over the site's bit row.
void DenseHebbian::packed_flip(int i) {
  const std::uint16_t* row = &D_->wbits[static_cast<std::size_t>(i) * D_->blocks];
  const int s = spins_[i];
#if defined(__AVX512BW__)
  if (D_->pair16) return pair16_flip(i);
#endif
  const std::int32_t* g = D_->gtab.data();
  const std::int32_t* h = D_->htab.data();
  const bool quadratic = D_->quadratic;
  int c = 0;
  std::int64_t gs = 0, hs = 0, sum_s = 0;
  edges_.clear();
#if defined(__AVX512F__)
  const __m512i plus = _mm512_set1_epi32(-2 * s), minus = _mm512_set1_epi32(2 * s), n = _mm512_set1_epi32(N_);
  if (quadratic) {
    const __m512i neg_n = _mm512_set1_epi32(-N_);
    __m512i acc = _mm512_setzero_si512();
    for (; c + 16 <= C_; c += 16) {
      const __m512i S = _mm512_add_epi32(_mm512_loadu_si512(&S_[c]), _mm512_mask_blend_epi32(row[c / 16], plus, minus));
      _mm512_storeu_si512(&S_[c], S);
      acc = _mm512_add_epi64(acc, _mm512_add_epi64(_mm512_cvtepi32_epi64(_mm512_castsi512_si256(S)),
                                                   _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(S, 1))));
      unsigned edge = _mm512_cmpeq_epi32_mask(S, n) | _mm512_cmpeq_epi32_mask(S, neg_n);
      for (; edge; edge &= edge - 1) edges_.push_back(c + std::countr_zero(edge));
    }
    sum_s = _mm512_reduce_add_epi64(acc);
  } else {
    __m512i ga = _mm512_setzero_si512(), ha = _mm512_setzero_si512();
    for (; c + 16 <= C_; c += 16) {
      const __m512i S = _mm512_add_epi32(_mm512_loadu_si512(&S_[c]), _mm512_mask_blend_epi32(row[c / 16], plus, minus));
      _mm512_storeu_si512(&S_[c], S);
      const __m512i k = _mm512_srai_epi32(_mm512_add_epi32(S, n), 1);
      const __m512i G = _mm512_i32gather_epi32(k, g, 4), H = _mm512_i32gather_epi32(k, h, 4);
      _mm512_storeu_si512(&G_[c], G);
      ga = _mm512_add_epi64(ga, _mm512_add_epi64(_mm512_cvtepi32_epi64(_mm512_castsi512_si256(G)),
                                                 _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(G, 1))));
      ha = _mm512_add_epi64(ha, _mm512_add_epi64(_mm512_cvtepi32_epi64(_mm512_castsi512_si256(H)),
                                                 _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(H, 1))));
    }
    gs = _mm512_reduce_add_epi64(ga);
    hs = _mm512_reduce_add_epi64(ha);
  }
#endif
  for (; c < C_; ++c) {
    S_[c] += ((row[c / 16] >> (c % 16)) & 1) ? 2 * s : -2 * s;  // w = -1 : +1
    if (S_[c] == N_ || S_[c] == -N_) edges_.push_back(c);
    if (quadratic) {
      sum_s += S_[c];
    } else {
      const auto k = static_cast<std::size_t>((S_[c] + N_) >> 1);
      G_[c] = g[k];
      gs += g[k];
      hs += h[k];
    }
  }
  if (quadratic) {
    ssum_ = sum_s;
    const auto top = std::count_if(edges_.begin(), edges_.end(), [this](int k) { return S_[k] > 0; });
    return quadratic_sums(top, static_cast<std::int64_t>(edges_.size()) - top);
  }
  gsum_ = gs;
  hsum_ = hs;
}

// P = 2: G = 8S and H = 8 inside, and at S = ±N G = 8S ∓ (4N + 4), H = 8 - (4N + 4); `top` and
// `bottom` channels sit at S = N and S = -N.
void DenseHebbian::quadratic_sums(std::int64_t top, std::int64_t bottom) {
  const std::int64_t corr = 4 * std::int64_t{N_} + 4;
  gsum_ = 8 * ssum_ + (bottom - top) * corr;
  hsum_ = 8 * std::int64_t{C_} - (top + bottom) * corr;
}

#if defined(__AVX512BW__)
void DenseHebbian::pair16_flip(int i) { return bytes_ ? pair_flip<true>(i) : pair_flip<false>(i); }

// P = 2 with int16 overlaps (pair16): S16_ (the only copy of the overlaps here) for 32 channels per
// step, and in the one-byte form w = (S - R)/2 (a centre moved where w leaves a byte) for 64 channels
// per store, from registers. Σ_c S_c follows from the row's count of w = -1 (Disorder::negatives,
// counted once); padding lanes beyond C keep S = w = 0.
template <bool bytes>
void DenseHebbian::pair_flip(int i) {
  const std::uint16_t* row = rows_ + static_cast<std::size_t>(i) * blocks_;
  const int s = spins_[i];
  const __m512i plus = _mm512_set1_epi16(static_cast<short>(-2 * s)), minus = _mm512_set1_epi16(static_cast<short>(2 * s));
  const int C = C_;
  // Raw pointers: a vector store may alias anything, and the vectors' own pointers would be reloaded.
  std::int16_t* const S16 = S16_.data();
  const std::int16_t* const R16 = R16_.data();
  std::int8_t* const out = Wb_.data();
  const __m512i bias = _mm512_set1_epi16(128), high = _mm512_set1_epi16(-256);
  // 32 channels from `at` (`whole`: all below C): S16_ updated; in the one-byte form w returned.
  const auto half = [&]<bool whole>(int at) __attribute__((always_inline)) {
    const int left = C - at;
    if (!whole && left <= 0) return _mm512_setzero_si512();  // padding only: S = w = 0
    const __mmask32 valid = whole || left >= 32 ? ~__mmask32{0} : (__mmask32{1} << left) - 1;
    const __mmask32 m = _cvtu32_mask32(dense_hebbian_detail::mask32(row + at / 16));
    const __m512i step = _mm512_mask_blend_epi16(m, plus, minus);
    const __m512i S = _mm512_add_epi16(_mm512_load_si512(S16 + at), whole ? step : _mm512_maskz_mov_epi16(valid, step));
    _mm512_store_si512(S16 + at, S);
    if constexpr (!bytes) {
      return S;
    } else {
      __m512i V = _mm512_srai_epi16(_mm512_sub_epi16(S, _mm512_load_si512(R16 + at)), 1);
      // w outside [-128, 127]: w + 128 has bits above the low byte
      if (__mmask32 far = _mm512_test_epi16_mask(_mm512_add_epi16(V, bias), high)) [[unlikely]] {
        for (; far; far &= far - 1) recentre(at + std::countr_zero(far));
        V = _mm512_srai_epi16(_mm512_sub_epi16(S, _mm512_load_si512(R16 + at)), 1);
      }
      return V;
    }
  };
  int c = 0;
  if constexpr (bytes) {
    const int end = (C + 63) / 64 * 64;
    const auto block = [&]<bool whole>(int at) __attribute__((always_inline)) {
      const __m512i v0 = half.template operator()<whole>(at), v1 = half.template operator()<whole>(at + 32);
      _mm512_store_si512(out + at, transposed_bytes<false>(v0, v1));
    };
    for (; c + 64 <= C; c += 64) block.template operator()<true>(c);
    if (c < end) block.template operator()<false>(c);  // the last block, part padding
  } else {
    for (; c + 32 <= C; c += 32) half.template operator()<true>(c);
    if (c < C) half.template operator()<false>(c);
  }
  ssum_ -= 2 * s * static_cast<std::int64_t>(C - 2 * D_->negatives[static_cast<std::size_t>(i)]);
  side_sums();
  ++flipped_;
}

template void DenseHebbian::pair_flip<true>(int);
template void DenseHebbian::pair_flip<false>(int);
#endif

const std::vector<std::int64_t>& DenseHebbian::arch() const {
  if (arch_stale_) {  // packed storage: the channels are the archetypes, ξ·σ = S
    for (int mu = 0; mu < K_; ++mu) arch_[mu] = overlap(mu);
    arch_stale_ = false;
  }
  return arch_;
}

double DenseHebbian::supervised_delta(int i) const {
  const std::int16_t* A = &D_->data.sums[static_cast<std::size_t>(i) * K_];
  const double s = spins_[i];
  double dE = 0;
  if (self_) {
    // E = coef p_1^P with p_1 → p_1 - 2x.
    const std::int64_t* odd = odd_.data();
    const int stride = D_->odd;
    for (int mu = 0; mu < K_; ++mu) {
      const double p1 = static_cast<double>(odd[static_cast<std::size_t>(mu) * stride]), q = p1 - 2 * A[mu] * s;
      double a = 1, b = 1;
      for (int k = 0; k < P_; ++k) {
        a *= q;
        b *= p1;
      }
      dE += a - b;
    }
    return static_cast<double>(D_->coef) * dE;
  }
  // e_P changes by -2x e_{P-1}(x without i), e_{P-1}(x \ i) = Σ_j (-x)^j e_{P-1-j}(x) (Horner);
  // x = 0 contributes nothing, so no branch.
  const double* e = ed_.data();
  const int K = K_, P = P_;
#pragma omp simd reduction(+ : dE)
  for (int mu = 0; mu < K; ++mu) {
    const double x = A[mu] * s;
    double h = e[mu];
    for (int k = 1; k < P; ++k) h = e[static_cast<std::size_t>(k) * K + mu] - x * h;
    dE += x * h;
  }
  return -2 * static_cast<double>(D_->coef) * dE;
}

void DenseHebbian::flip_any(int i) {
  const auto& d = D_->data;
  const int s = spins_[i];
  const std::int8_t* xi = &d.xi[static_cast<std::size_t>(i) * K_];
  if (D_->packed && d.mode == HebbianMode::storage) {
    packed_flip(i);
    arch_stale_ = true;  // ξ·σ = S: copied when read (arch())
    spins_[i] = static_cast<std::int8_t>(-s);
    return;
  }
  for (int mu = 0; mu < K_; ++mu) arch_[mu] -= 2 * xi[mu] * s;
  if (sup_) {
    const std::int16_t* A = &d.sums[static_cast<std::size_t>(i) * K_];
    const int odd = D_->odd;
    for (int mu = 0; mu < K_; ++mu) {
      if (A[mu] == 0) continue;
      const std::int64_t a = A[mu];
      std::int64_t x = a * s;
      std::int64_t* o = &odd_[static_cast<std::size_t>(mu) * odd];
      for (int j = 0; j < odd; ++j, x *= a * a) o[j] -= 2 * x;
      refresh_pattern(mu);
    }
  } else {
    const std::int8_t* w = channel_row(i);
    if (D_->packed) {
      packed_flip(i);
    } else {
      for (int c = 0; c < C_; ++c) {
        if (w[c] == 0) continue;
        S_[c] -= 2 * w[c] * s;
        refresh_channel(c);
      }
    }
  }
  spins_[i] = static_cast<std::int8_t>(-s);
}

std::int64_t DenseHebbian::energy_units() const {
  std::int64_t e = 0;
  for (int c = 0; c < C_; ++c) e += D_->ztab[static_cast<std::size_t>((overlap(c) + N_) >> 1)];
  return e;
}

double DenseHebbian::energy() const {
  if (exact()) return D_->unit * static_cast<double>(energy_units());
  long double e = 0;
  if (sup_) {
    for (int mu = 0; mu < K_; ++mu) e += pattern_energy_units(mu);
    return static_cast<double>(D_->coef * e);
  }
  for (int c = 0; c < C_; ++c) e += D_->E[static_cast<std::size_t>(D_->off[c] + (overlap(c) + D_->n[c]) / 2)];
  return static_cast<double>(e);
}

double DenseHebbian::recompute_energy() const {
  // Direct evaluation from the spins: overlaps and power sums summed afresh, e_P by Newton's
  // identities on those sums (the ±1 channels without the tables).
  const auto& d = D_->data;
  const std::size_t K = static_cast<std::size_t>(K_);
  long double e = 0;
  std::vector<long double> pw(static_cast<std::size_t>(P_) + 1), ek(static_cast<std::size_t>(P_) + 1);
  if (sup_) {
    for (std::size_t mu = 0; mu < K; ++mu) {
      std::fill(pw.begin(), pw.end(), 0.0L);
      for (int i = 0; i < N_; ++i) {
        const long double x = static_cast<long double>(d.sums[i * K + mu]) * spins_[i];
        for (int k = 1; k <= P_; ++k) pw[k] += ipow(x, k);
      }
      if (self_) {
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
    e += self_ ? ipow(S, P_) : elementary_pm1(P_, S, n);
  }
  e *= D_->coef;
  return static_cast<double>(e);
}

double DenseHebbian::sum_overlap(int mu) const {
  if (sup_) return static_cast<double>(odd_[static_cast<std::size_t>(mu) * D_->odd]);
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
  const int best = measure_overlaps(N_, arch(), out);  // storage: m, m_other, |m|, |m|, m1
  if (D_->data.mode == HebbianMode::storage) return;
  // Learning modes: n̄ and n of the retrieved archetype (largest |ξ^μ·σ|), oriented by the sign of m.
  const double sign = out[0] < 0 ? -1.0 : 1.0;
  const double s = sum_overlap(best);
  out[2] = sign * s * D_->nbar_norm;
  out[3] = sign * s / (static_cast<double>(M_) * N_);
}

void DenseHebbian::measure_vectors(std::span<double> out) const {
  measure_vectors_overlaps(N_, arch(), out);
  if (D_->data.mode == HebbianMode::storage) return;
  for (int mu = 0; mu < K_; ++mu) out[K_ + mu] = sum_overlap(mu) * D_->nbar_norm;
}

}  // namespace ptmc
