#include "models/multitasking.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>

namespace ptmc {

std::span<const ParamSpec> Multitasking::parameters() {
  static const std::vector<ParamSpec> specs = {
      {.key = "N", .type = ParamType::integer, .fallback = {}, .help = "number of spins", .min = 2, .max = 1 << 22,
       .required = true},
      {.key = "K", .type = ParamType::integer, .fallback = std::int64_t{2},
       .help = "number of patterns (low storage: finite, at most ~log N)", .min = 1, .max = 4096},
      {.key = "d", .type = ParamType::real, .fallback = 0.0, .help = "dilution: P(ξ_i = 0)", .min = 0, .max = 1,
       .max_open = true},
      {.key = "data", .type = ParamType::choice, .fallback = std::string_view{"storage"},
       .help = "couplings from the patterns, or learnt from M examples each (teacher-grouped or not)",
       .choices = {"storage", "supervised", "unsupervised"}},
      {.key = "M", .type = ParamType::integer, .fallback = std::int64_t{1},
       .help = "examples per pattern (learning modes)", .min = 1, .max = 10000},
      {.key = "r", .type = ParamType::real, .fallback = 1.0,
       .help = "example quality: P(η_i = ξ_i) = (1 + r)/2 where ξ_i ≠ 0 (learning modes)", .min = 0, .max = 1,
       .min_open = true},
      {.key = "init", .type = ParamType::choice_or_table, .fallback = std::string_view{"random"},
       .help = "initial spins: random, archetype (σ_i = the first nonzero ξ^μ_i, μ = 1..K, else random) "
               "or { quality = q0 } (archetype, each spin then kept with probability (1 + q0)/2)",
       .choices = {"random", "archetype"}},
  };
  static const std::vector<ParamSpec> all = [] {
    auto v = specs;
    for (auto& spec : hebbian_dataset_specs()) v.push_back(spec);
    return v;
  }();
  return all;
}

Multitasking::Params Multitasking::parse(const ParamReader& r) {
  Params p;
  p.N = static_cast<int>(r.integer("N"));
  p.K = static_cast<int>(r.integer("K"));
  p.d = r.real("d");
  const std::string data = r.text("data");
  p.data = data == "supervised" ? Data::supervised : data == "unsupervised" ? Data::unsupervised : Data::storage;
  p.M = static_cast<int>(r.integer("M"));
  p.r = r.real("r");
  p.init = parse_hebbian_init(r, "init");
  p.dataset = parse_hebbian_dataset(r, p.N, p.K, p.data, p.M);
  if (p.dataset.on()) {
    if (r.has("d")) r.fail("d", "a data set's archetypes are ±1: no dilution");
    p.r = p.dataset.r;
  }
  // Integer overlaps: |U_c| ≤ N (M for supervised sums), and Σ_c U_c² must fit in 63 bits.
  const double umax = static_cast<double>(p.N) * (p.data == Data::supervised ? p.M : 1);
  const double channels = static_cast<double>(p.K) * (p.data == Data::unsupervised ? p.M : 1);
  if (umax * umax * channels > 0x1p62) r.fail("N", "N, K and M are too large for exact 64-bit energies");
  if (static_cast<double>(p.N) * channels > 0x1p31) r.fail("N", "N K M coefficients exceed the memory limit (2^31)");
  return p;
}

ObservableNames Multitasking::observable_names(const Params& p) {
  ObservableNames names{"m"};
  for (int k = 1; k <= p.K; ++k) names.push_back("m_" + std::to_string(k));
  names.push_back("loss");
  return names;
}

std::vector<std::pair<std::string, Scalar>> Multitasking::derived_attributes(const Params& p) {
  if (p.data == Data::storage) return {};
  if (p.dataset.on()) return {{"r", p.r}, {"rho", hebbian_rho(p.r, p.M)}, {"R", example_power(p)}};  // r measured
  return {{"rho", hebbian_rho(p.r, p.M)}, {"R", example_power(p)}};
}

// The data (models/hebbian_data: one fixed stream order for every mode), then the energy channels.
// The data (ξ N K bytes, sums 2 N K, examples N K M while they are copied) and the channels w in
// int16 (2 N C); a walker holds spins, channel and pattern overlaps in int64.
double Multitasking::disorder_bytes(const Params& p) {
  const double N = p.N, K = p.K, M = p.M;
  const double C = p.data == Data::unsupervised ? K * M : K;
  double bytes = N * K + 2 * N * C + 8 * N;
  if (p.data != Data::storage) bytes += 2 * N * K;
  if (p.data == Data::unsupervised) bytes += N * K * M;
  if (p.data == Data::storage && K <= 8) bytes += 2 * N;  // Disorder::signs
  bytes += data_set_bytes(p.dataset.train) + data_set_bytes(p.dataset.test);  // images read once per process
  return bytes;
}

double Multitasking::walker_bytes(const Params& p) {
  const double C = p.data == Data::unsupervised ? static_cast<double>(p.K) * p.M : p.K;
  return p.N + 8 * C + 8.0 * p.K + (C > 16 ? 2 * (C + 31) : 0);  // int16 overlaps where they fit (at most)
}

std::shared_ptr<const Multitasking::Disorder> Multitasking::make_disorder(const Params& p, Rng& rng) {
  auto D = std::make_shared<Disorder>();
  HebbianDataParams hp;
  hp.N = p.N;
  hp.K = p.K;
  hp.mode = p.data;
  hp.M = p.M;
  hp.r = p.r;
  hp.dilution = p.d;
  hp.dataset = p.dataset;
  D->data = draw_hebbian_data(hp, rng);
  const HebbianData& H = D->data;
  const std::size_t n = static_cast<std::size_t>(p.N);
  switch (p.data) {
    case Data::storage:
      D->C = p.K;
      D->scale = 1.0 / p.N;
      D->w.assign(H.xi.begin(), H.xi.end());
      break;
    case Data::supervised:
      D->C = p.K;
      D->scale = 1.0 / (p.N * example_power(p) * p.M * p.M);
      D->w = H.sums;
      break;
    case Data::unsupervised:  // examples[(i K + μ) M + a] is already channel μ M + a of site i
      D->C = p.K * p.M;
      D->scale = 1.0 / (p.N * example_power(p) * p.M);
      D->w.assign(H.examples.begin(), H.examples.end());
      D->data.examples = {};  // now held by w
      break;
  }
  D->w.resize(D->w.size() + 16, 0);  // kernels/channel_overlap_lanes.hpp reads each row as whole 64-bit words
  D->w2_site.assign(n, 0);
  std::vector<std::int64_t> reach(static_cast<std::size_t>(D->C), 0);  // Σ_i |w_ci|, the largest |U_c|
  for (std::size_t i = 0; i < n; ++i) {
    for (int c = 0; c < D->C; ++c) {
      const std::int64_t x = D->w[i * D->C + c];
      D->w2_site[i] += x * x;
      reach[static_cast<std::size_t>(c)] += x < 0 ? -x : x;
    }
    D->w2_total += D->w2_site[i];
  }
  D->overlaps_fit_int32 = std::all_of(reach.begin(), reach.end(), [](std::int64_t r) { return r < (std::int64_t{1} << 31); });
  std::int64_t site_reach = 0;  // max_i Σ_c |w_ci|
  for (std::size_t i = 0; i < n; ++i) {
    std::int64_t r = 0;
    for (int c = 0; c < D->C; ++c) r += std::abs(static_cast<std::int64_t>(D->w[i * D->C + c]));
    site_reach = std::max(site_reach, r);
  }
  const std::int64_t channel_reach = D->C > 0 ? *std::max_element(reach.begin(), reach.end()) : 0;
  D->overlaps_fit_int16 = D->C > 16 && channel_reach < (std::int64_t{1} << 15) && site_reach * channel_reach < (std::int64_t{1} << 31);
  const bool signs_only = std::all_of(D->w.begin(), D->w.end(), [](std::int16_t x) { return x >= -1 && x <= 1; });
  if (p.data == Data::storage && D->C <= 8 && signs_only) {
    D->signs.assign(n + 1, 0);  // one more: kernels/channel_overlap_lanes.hpp reads entry i as the low half of a 32-bit word
    for (std::size_t i = 0; i < n; ++i)
      for (int c = 0; c < D->C; ++c) {
        const std::int16_t x = D->w[i * D->C + c];
        if (x != 0) D->signs[i] |= static_cast<std::uint16_t>(1u << (x > 0 ? c : 8 + c));
      }
  }
  return D;
}

Multitasking::Multitasking(const Params& p, std::shared_ptr<const Disorder> disorder, Rng& rng)
    : D_(std::move(disorder)), C_(D_->C), K_(D_->data.K),
      spins_(hebbian_initial_spins(p.init, D_->data, rng, /*cascade=*/true)), U_(C_, 0), S_(K_, 0) {
  w_ = D_->w.data();
  w2_site_ = D_->w2_site.data();
  storage_ = p.data == Data::storage;
  const int N = D_->data.N;
  for (int i = 0; i < N; ++i) {
    for (int c = 0; c < C_; ++c) U_[c] += D_->w[i * static_cast<std::size_t>(C_) + c] * spins_[i];
    for (int mu = 0; mu < K_; ++mu) S_[mu] += D_->data.xi[i * static_cast<std::size_t>(K_) + mu] * spins_[i];
  }
  two_byte_ = D_->overlaps_fit_int16;
  if (two_byte_) U16_.assign(static_cast<std::size_t>(kernels::padded_channels(C_)), 0);
  int16_from_overlaps();
}

void Multitasking::count_archetype_overlaps() {
  if (storage_) return;
  std::fill(S_.begin(), S_.end(), 0);
  const std::int8_t* xi = D_->data.xi.data();
  for (std::size_t i = 0; i < spins_.size(); ++i)
    for (int mu = 0; mu < K_; ++mu) S_[mu] += xi[i * static_cast<std::size_t>(K_) + mu] * spins_[i];
}

double Multitasking::recompute_energy() const {
  const int N = D_->data.N;
  double e = 0;
  for (int c = 0; c < C_; ++c)
    for (int i = 0; i < N; ++i)
      for (int j = 0; j < N; ++j)
        if (i != j)
          e += static_cast<double>(D_->w[i * static_cast<std::size_t>(C_) + c]) * D_->w[j * static_cast<std::size_t>(C_) + c] *
               spins_[i] * spins_[j];
  return -0.5 * D_->scale * e;
}

void Multitasking::measure(std::span<double> out) const {
  const double N = D_->data.N;
  const auto& informative = D_->data.informative;
  const auto S = archetype_overlaps();
  std::vector<double> a(K_);
  double loss = 0;
  for (int mu = 0; mu < K_; ++mu) {
    a[mu] = std::abs(static_cast<double>(S[mu])) / N;
    // 1 - (m/f)² = 1 - (S/n)²; a pattern with no informative entry contributes 1 (S = 0 then).
    const double x = informative[mu] > 0 ? static_cast<double>(S[mu]) / static_cast<double>(informative[mu]) : 0.0;
    loss += (1 - x * x) / K_;
  }
  std::sort(a.begin(), a.end(), std::greater<>());
  out[0] = a[0];
  for (int k = 0; k < K_; ++k) out[1 + k] = a[k];
  out[1 + K_] = loss;
}

void Multitasking::measure_vectors(std::span<double> out) const {
  const auto S = archetype_overlaps();
  for (int mu = 0; mu < K_; ++mu) out[mu] = static_cast<double>(S[mu]) / D_->data.N;
}

}  // namespace ptmc
