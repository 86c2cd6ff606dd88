#include "engine/sweep/rng.hpp"

#include <cmath>

namespace ptmc {

Rng::Rng(const StreamKey& key) noexcept {
  // Fold the key into one 64-bit word with SplitMix64 as a mixing function, then expand.
  std::uint64_t h = key.seed;
  const std::uint64_t fields[] = {static_cast<std::uint64_t>(key.purpose), key.point, key.sample, key.replica};
  for (std::uint64_t f : fields) {
    std::uint64_t m = h ^ (f * 0xd1342543de82ef95ULL + 0x2545f4914f6cdd1dULL);
    h = splitmix64_next(m);
  }
  seed_lanes(h);
}

double Rng::normal() noexcept {
  for (;;) {
    const double u = 2.0 * uniform() - 1.0;
    const double v = 2.0 * uniform() - 1.0;
    const double s = u * u + v * v;
    if (s > 0.0 && s < 1.0) return u * std::sqrt(-2.0 * std::log(s) / s);
  }
}

}  // namespace ptmc
