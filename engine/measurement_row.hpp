// The row a task records at each measurement: which scalar series, per temperature, in which order.
// The engine writes rows at these offsets; the summary, the equilibration check and the readers find
// the series by these names. This is the one place that keeps the two in step.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ptmc {

namespace series {
inline constexpr std::string_view energy = "energy";  // per spin
inline constexpr std::string_view m = "m", m2 = "m2", m4 = "m4";  // |m|, m², m⁴ of the model's order parameter
inline constexpr std::string_view q = "q", q2 = "q2", q4 = "q4";  // |q|, q², q⁴ over replica pairs (R ≥ 2)
inline constexpr std::string_view acceptance = "acceptance", swap_rate = "swap_rate";
}  // namespace series

struct MeasurementRow {
  // energy, |m|, m², m⁴, then the model's observables after m, then |q|, q², q⁴ when replicas ≥ 2,
  // then the acceptance and swap rates of the interval since the last measurement.
  static constexpr std::size_t energy = 0, m = 1, m2 = 2, m4 = 3, model_first = 4;
  std::size_t model_count = 0;  // the model's observables besides m
  bool overlaps = false;        // replicas ≥ 2

  std::size_t q() const { return model_first + model_count; }
  std::size_t q2() const { return q() + 1; }
  std::size_t q4() const { return q() + 2; }
  std::size_t acceptance() const { return q() + (overlaps ? 3 : 0); }
  std::size_t swap_rate() const { return acceptance() + 1; }
  std::size_t size() const { return swap_rate() + 1; }

  // The names in row order; model_names are the model's observable names, "m" first.
  std::vector<std::string> names(const std::vector<std::string>& model_names) const {
    std::vector<std::string> out = {std::string(series::energy), std::string(series::m), std::string(series::m2),
                                    std::string(series::m4)};
    out.insert(out.end(), model_names.begin() + 1, model_names.end());
    if (overlaps) out.insert(out.end(), {std::string(series::q), std::string(series::q2), std::string(series::q4)});
    out.insert(out.end(), {std::string(series::acceptance), std::string(series::swap_rate)});
    return out;
  }
};

}  // namespace ptmc
