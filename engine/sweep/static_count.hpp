// Kernels unrolled for small counts: with_static_count<Max>(count, f) calls f with the count as a
// compile-time constant (std::integral_constant) when 1 ≤ count ≤ Max, else with 0, for which the
// kernel loops over the count at run time.
#pragma once
#include <type_traits>
#include <utility>

namespace ptmc {

template <int Max, class F>
[[gnu::always_inline]] inline decltype(auto) with_static_count(int count, F&& f) {
  if constexpr (Max == 0) {
    return f(std::integral_constant<int, 0>{});
  } else {
    if (count == Max) return f(std::integral_constant<int, Max>{});
    return with_static_count<Max - 1>(count, std::forward<F>(f));
  }
}

}  // namespace ptmc
