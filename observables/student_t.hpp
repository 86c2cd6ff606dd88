// Student's t distribution: the two-sided tail probability P(|T| ≥ t) with ν degrees of freedom,
// for judging a difference of means whose error bars were themselves estimated from few bins.
#pragma once

namespace ptmc {

// P(|T| ≥ t) for T ~ Student t with `dof` ≥ 1 degrees of freedom (closed form for integer ν,
// Abramowitz & Stegun 26.7.3–4; exact to rounding). t < 0 is read as |t|; t = ∞ gives 0.
double student_t_two_sided_p(double t, int dof);

}  // namespace ptmc
