#include "models/hebbian_data.hpp"

#include <cmath>
#include <variant>

#include "engine/h5.hpp"

namespace ptmc {

std::vector<std::int8_t> load_hebbian_archetypes(const std::string& file, const std::string& dataset, int N, int K) {
  const std::string what = "dataset '" + dataset + "' in " + file;
  const std::string expected = "expected K x N = " + std::to_string(K) + " x " + std::to_string(N) +
                               " numbers (integer or float, one pattern per row) with values -1, 0 or +1";
  std::vector<double> values;
  h5::Handle f;
  try {
    f = h5::open_file(file, h5::Mode::read);
  } catch (const std::exception& e) {
    throw HebbianDataError(std::string("cannot read archetypes: ") + e.what());
  }
  try {
    if (!h5::exists(f, dataset)) throw HebbianDataError("no dataset '" + dataset + "' in " + file);
    // Integers, floats and enums (h5py's booleans) convert to double; strings, compounds (complex
    // numbers), sequences and the rest do not, and HDF5 would only say that the read failed.
    const std::string type = h5::type_name(f, dataset);
    if (!type.ends_with("integer") && !type.ends_with("float") && type != "enum")
      throw HebbianDataError(what + " holds " + type + " values, " + expected);
    const auto shape = h5::shape(f, dataset);
    if (shape.size() != 2 || shape[0] != static_cast<std::uint64_t>(K) || shape[1] != static_cast<std::uint64_t>(N)) {
      std::string s;
      for (std::size_t k = 0; k < shape.size(); ++k) s += (k ? " x " : "") + std::to_string(shape[k]);
      throw HebbianDataError(what + " has shape " + (s.empty() ? "scalar" : s) + ", " + expected);
    }
    values = h5::read_doubles(f, dataset);
  } catch (const HebbianDataError&) {
    throw;
  } catch (const std::exception& e) {
    throw HebbianDataError("cannot read archetypes from " + what + " (" + e.what() + "): " + expected);
  }
  std::vector<std::int8_t> xi(values.size());
  for (int mu = 0; mu < K; ++mu)
    for (int i = 0; i < N; ++i) {
      const double v = values[static_cast<std::size_t>(mu) * N + i];
      if (v != -1.0 && v != 0.0 && v != 1.0)
        throw HebbianDataError("dataset '" + dataset + "' in " + file + ": entry [" + std::to_string(mu) + ", " +
                               std::to_string(i) + "] = " + std::to_string(v) +
                               " is not -1, 0 or +1 (binarise the data as ±1; 0 marks a missing entry)");
      xi[static_cast<std::size_t>(i) * K + mu] = static_cast<std::int8_t>(v);
    }
  return xi;
}

HebbianData draw_hebbian_data(const HebbianDataParams& p, Rng& rng) {
  HebbianData D;
  D.N = p.N;
  D.K = p.K;
  D.M = p.M;
  D.mode = p.mode;
  const std::size_t N = static_cast<std::size_t>(p.N);
  const bool slice = p.held > 0;
  if (slice && (p.mode != HebbianMode::storage || p.first < 0 || p.first + p.held > p.K))
    throw std::logic_error("draw_hebbian_data: a slice of archetypes needs storage mode and 0 <= first < first + held <= K");
  const std::size_t all = static_cast<std::size_t>(p.K), first = slice ? static_cast<std::size_t>(p.first) : 0;
  const std::size_t K = slice ? static_cast<std::size_t>(p.held) : all;
  D.K = static_cast<int>(K);
  D.xi1.assign(N, 0);
  if (!p.data_file.empty()) {
    const auto full = load_hebbian_archetypes(p.data_file, p.data_dataset, p.N, p.K);
    D.xi.assign(N * K, 0);
    for (std::size_t i = 0; i < N; ++i) {
      D.xi1[i] = full[i * all];
      for (std::size_t mu = 0; mu < K; ++mu) D.xi[i * K + mu] = full[i * all + first + mu];
    }
  } else {
    D.xi.assign(N * K, 0);
    for (std::size_t mu = 0; mu < all; ++mu)
      for (std::size_t i = 0; i < N; ++i) {
        const double u = rng.uniform();
        const int s = rng.spin();
        const auto x = static_cast<std::int8_t>(u < p.dilution ? 0 : s);
        if (mu == 0) D.xi1[i] = x;
        if (mu >= first && mu < first + K) D.xi[i * K + (mu - first)] = x;
      }
  }
  D.informative.assign(K, 0);
  for (std::size_t i = 0; i < N; ++i)
    for (std::size_t mu = 0; mu < K; ++mu) D.informative[mu] += D.xi[i * K + mu] != 0;
  if (p.mode == HebbianMode::storage) return D;

  const std::size_t M = static_cast<std::size_t>(p.M);
  const bool keep = p.mode == HebbianMode::unsupervised;
  D.sums.assign(N * K, 0);
  if (keep) D.examples.assign(N * K * M, 0);
  const double agree = (1 + p.r) / 2;
  for (std::size_t mu = 0; mu < K; ++mu)
    for (std::size_t a = 0; a < M; ++a)
      for (std::size_t i = 0; i < N; ++i) {
        const int chi = rng.uniform() < agree ? 1 : -1;
        const int eta = chi * D.xi[i * K + mu];
        D.sums[i * K + mu] = static_cast<std::int16_t>(D.sums[i * K + mu] + eta);
        if (keep) D.examples[(i * K + mu) * M + a] = static_cast<std::int8_t>(eta);
      }
  return D;
}

HebbianInit parse_hebbian_init(const ParamReader& r, std::string_view key) {
  HebbianInit init;
  if (auto t = r.table(key)) {
    bool seen = false;
    for (const auto& [k, value] : *t) {
      if (k != "quality") r.fail(key, "unknown key '" + k + "' in the table: expected { quality = q0 }");
      double q = NAN;
      if (auto* x = std::get_if<double>(&value)) q = *x;
      else if (auto* i = std::get_if<std::int64_t>(&value)) q = static_cast<double>(*i);
      if (!(q >= 0 && q <= 1)) r.fail(key, "quality must be a number in [0, 1]");
      init = {HebbianInit::Kind::quality, q};
      seen = true;
    }
    if (!seen) r.fail(key, "the table needs a quality: { quality = q0 }");
  } else {
    init.kind = r.text(key) == "archetype" ? HebbianInit::Kind::archetype : HebbianInit::Kind::random;
  }
  return init;
}

std::vector<std::int8_t> hebbian_initial_spins(const HebbianInit& init, const HebbianData& D, Rng& rng,
                                               bool cascade) {
  std::vector<std::int8_t> s(static_cast<std::size_t>(D.N));
  const std::size_t K = static_cast<std::size_t>(D.K);
  for (std::size_t i = 0; i < s.size(); ++i) {
    int x = init.kind == HebbianInit::Kind::random ? 0 : D.xi1[i];
    for (std::size_t mu = 1; cascade && x == 0 && init.kind != HebbianInit::Kind::random && mu < K; ++mu)
      x = D.xi[i * K + mu];
    if (x == 0) x = rng.spin();
    if (init.kind == HebbianInit::Kind::quality && rng.uniform() >= (1 + init.quality) / 2) x = -x;
    s[i] = static_cast<std::int8_t>(x);
  }
  return s;
}

}  // namespace ptmc
