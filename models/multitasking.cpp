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
  return specs;
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
  if (auto t = r.table("init")) {
    bool seen = false;
    for (const auto& [key, value] : *t) {
      if (key != "quality") r.fail("init", "unknown key '" + key + "' in the table: expected { quality = q0 }");
      double q = 0;
      if (auto* x = std::get_if<double>(&value)) q = *x;
      else if (auto* i = std::get_if<std::int64_t>(&value)) q = static_cast<double>(*i);
      else r.fail("init", "quality must be a number in [0, 1]");
      if (!(q >= 0 && q <= 1)) r.fail("init", "quality must be in [0, 1]");
      p.init = Init::quality;
      p.init_quality = q;
      seen = true;
    }
    if (!seen) r.fail("init", "the table needs a quality: { quality = q0 }");
  } else {
    p.init = r.text("init") == "archetype" ? Init::archetype : Init::random;
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
  return {{"rho", (1 - p.r * p.r) / (p.M * p.r * p.r)}, {"R", example_power(p)}};
}

// Archetypes and examples; the data stream is consumed in one fixed order so that a sample is the
// same whatever the mode reads from it: archetypes (pattern-major), then examples (pattern, example,
// site).
std::shared_ptr<const Multitasking::Disorder> Multitasking::make_disorder(const Params& p, Rng& rng) {
  auto D = std::make_shared<Disorder>();
  const int N = p.N, K = p.K;
  const std::size_t n = static_cast<std::size_t>(N);
  D->N = N;
  D->K = K;
  D->xi.assign(n * K, 0);
  D->informative.assign(K, 0);
  for (int mu = 0; mu < K; ++mu)
    for (int i = 0; i < N; ++i) {
      const double u = rng.uniform();
      const std::int8_t x = u < p.d ? 0 : (rng.spin() > 0 ? 1 : -1);
      D->xi[i * static_cast<std::size_t>(K) + mu] = x;
      D->informative[mu] += x != 0;
    }
  switch (p.data) {
    case Data::storage:
      D->C = K;
      D->scale = 1.0 / N;
      D->w.assign(D->xi.begin(), D->xi.end());
      break;
    case Data::supervised:
    case Data::unsupervised: {
      const bool sup = p.data == Data::supervised;
      D->C = sup ? K : K * p.M;
      D->w.assign(n * D->C, 0);
      const double keep = (1 + p.r) / 2;
      for (int mu = 0; mu < K; ++mu)
        for (int a = 0; a < p.M; ++a)
          for (int i = 0; i < N; ++i) {
            const int chi = rng.uniform() < keep ? 1 : -1;
            const int eta = chi * D->xi[i * static_cast<std::size_t>(K) + mu];
            const int c = sup ? mu : mu * p.M + a;
            D->w[i * static_cast<std::size_t>(D->C) + c] += static_cast<std::int16_t>(eta);
          }
      const double R = example_power(p);
      D->scale = sup ? 1.0 / (N * R * p.M * p.M) : 1.0 / (N * R * p.M);
      break;
    }
  }
  D->w2_site.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    for (int c = 0; c < D->C; ++c) {
      const std::int64_t x = D->w[i * D->C + c];
      D->w2_site[i] += x * x;
    }
    D->w2_total += D->w2_site[i];
  }
  return D;
}

Multitasking::Multitasking(const Params& p, std::shared_ptr<const Disorder> disorder, Rng& rng)
    : D_(std::move(disorder)), C_(D_->C), K_(D_->K), spins_(D_->N), U_(C_, 0), S_(K_, 0) {
  const int N = D_->N;
  for (int i = 0; i < N; ++i) {
    int s = 0;
    if (p.init != Init::random)
      for (int mu = 0; mu < K_ && s == 0; ++mu) s = D_->xi[i * static_cast<std::size_t>(K_) + mu];
    if (s == 0) s = rng.spin();
    if (p.init == Init::quality && rng.uniform() >= (1 + p.init_quality) / 2) s = -s;
    spins_[i] = static_cast<std::int8_t>(s);
  }
  for (int i = 0; i < N; ++i) {
    for (int c = 0; c < C_; ++c) U_[c] += D_->w[i * static_cast<std::size_t>(C_) + c] * spins_[i];
    for (int mu = 0; mu < K_; ++mu) S_[mu] += D_->xi[i * static_cast<std::size_t>(K_) + mu] * spins_[i];
  }
  e_int_ = -D_->w2_total;
  for (auto u : U_) e_int_ += u * u;
}

void Multitasking::flip(int i) {
  const std::int16_t* w = &D_->w[static_cast<std::size_t>(i) * C_];
  const std::int64_t two_s = -2 * spins_[i];  // change of σ_i
  std::int64_t s = 0;
  for (int c = 0; c < C_; ++c) s += static_cast<std::int64_t>(w[c]) * U_[c];
  e_int_ += 4 * (D_->w2_site[i] - spins_[i] * s);
  for (int c = 0; c < C_; ++c) U_[c] += two_s * w[c];
  const std::int8_t* x = &D_->xi[static_cast<std::size_t>(i) * K_];
  for (int mu = 0; mu < K_; ++mu) S_[mu] += two_s * x[mu];
  spins_[i] = static_cast<std::int8_t>(-spins_[i]);
}

double Multitasking::recompute_energy() const {
  const int N = D_->N;
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
  const double N = D_->N;
  std::vector<double> a(K_);
  double loss = 0;
  for (int mu = 0; mu < K_; ++mu) {
    a[mu] = std::abs(static_cast<double>(S_[mu])) / N;
    // 1 - (m/f)² = 1 - (S/n)²; a pattern with no informative entry contributes 1 (S = 0 then).
    const double x = D_->informative[mu] > 0 ? static_cast<double>(S_[mu]) / static_cast<double>(D_->informative[mu]) : 0.0;
    loss += (1 - x * x) / K_;
  }
  std::sort(a.begin(), a.end(), std::greater<>());
  out[0] = a[0];
  for (int k = 0; k < K_; ++k) out[1 + k] = a[k];
  out[1 + K_] = loss;
}

void Multitasking::measure_vectors(std::span<double> out) const {
  for (int mu = 0; mu < K_; ++mu) out[mu] = static_cast<double>(S_[mu]) / D_->N;
}

}  // namespace ptmc
