#include "models/curie_weiss.hpp"

namespace ptmc {

std::span<const ParamSpec> CurieWeiss::parameters() {
  static const std::vector<ParamSpec> specs = {
      {.key = "N", .type = ParamType::integer, .fallback = {}, .help = "number of spins", .min = 2, .max = 1 << 26,
       .required = true},
      {.key = "init", .type = ParamType::choice, .fallback = std::string_view{"random"},
       .help = "initial spins: random or all up", .choices = {"random", "up"}},
  };
  return specs;
}

CurieWeiss::Params CurieWeiss::parse(const ParamReader& r) {
  return Params{static_cast<int>(r.integer("N")), r.text("init") == "up" ? Init::up : Init::random};
}

CurieWeiss::CurieWeiss(const Params& p, std::shared_ptr<const Disorder>, Rng& rng) : spins_(p.N, 1) {
  if (p.init == Init::random)
    for (auto& s : spins_) s = static_cast<std::int8_t>(rng.spin());
  for (auto s : spins_) magnetization_ += s;
}

double CurieWeiss::energy() const {
  const double m = static_cast<double>(magnetization_);
  return -(m * m - size()) / (2.0 * size());
}

double CurieWeiss::recompute_energy() const {
  double e = 0;
  for (int i = 0; i < size(); ++i)
    for (int j = i + 1; j < size(); ++j) e -= spins_[i] * spins_[j];
  return e / size();
}

}  // namespace ptmc
