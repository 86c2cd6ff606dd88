// Dense Hebbian ΔE for supervised learning, where the channels are the example sums A^μ (not ±1): per
// pattern the odd power sums of A∘σ as exact integers and e_0..e_{P-1}(A^μ∘σ) in double.
//
// What it stores: p_k = Σ_j (A_j^μ)^k σ_j for odd k ≤ P, int64 (the even ones are constants of the
// data: DenseHebbian::Disorder::even_power_sums), and e_0..e_{P-1} from Newton's identities, refreshed
// for every pattern at a flip, in vector lanes (O(K P²); refresh_all). Flipping x_i → -x_i changes e_P by -2 x_i Σ_j (-x_i)^j
// e_{P-1-j}: O(K P) per attempt. What it bought: exact flips without the P-body tensor; the energy
// itself is taken from the integers in long double (DenseHebbian::energy), so nothing drifts.
// docs/performance.md, "Cost per attempted flip and the bound", has its row.
#pragma once
#include <cstdint>
#include <vector>

namespace ptmc::kernels {

class PatternPowerSums {
 public:
  // From the N × K sums A and the spins; `odd_count` = (P + 1)/2 odd power sums per pattern; `even`:
  // [μ (P/2 + 1) + k/2] Σ_j A_j^k for even k, which must outlive this object.
  void rebuild(const std::int16_t* A, const std::int8_t* spins, int N, int K, int P, bool self, int odd_count,
               const double* even);
  // Site with sums row A (K entries) and spin s flips.
  void flip(const std::int16_t* A, int s);
  // ΔE of flipping a site with sums row A and spin s, for the energy coef · e_P (or coef · p_1^P).
  double delta(const std::int16_t* A, int s, double coef) const;
  // p_1, p_3, ... of pattern μ.
  const std::int64_t* odd_sums(int mu) const { return &odd_sums_[static_cast<std::size_t>(mu) * odd_count_]; }

 private:
  void refresh_all();  // e_1..e_{P-1} (double) of every pattern from the power sums, in vector lanes

  int K_ = 0, P_ = 2, odd_count_ = 0;
  bool self_ = false;
  const double* even_ = nullptr;
  std::vector<std::int64_t> odd_sums_;  // [μ odd_count + j] Σ_i A_i^{2j+1} σ_i
  std::vector<double> elementary_;      // [k K + μ] e_k(A^μ∘σ), k < P
  std::vector<double> powers_;          // [k K + μ] p_k of pattern μ in double, 0 < k < P (even k: set once)
  double inverse_[17] = {};             // 1/k
};

}  // namespace ptmc::kernels
