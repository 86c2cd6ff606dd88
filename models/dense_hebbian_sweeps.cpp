// DenseHebbian's sweeps, instantiated once for the whole build (see the extern declarations at the
// end of models/dense_hebbian.hpp).
#include "models/dense_hebbian.hpp"

namespace ptmc {

template std::int64_t sweep<DenseHebbian>(DenseHebbian&, double, Dynamics, SweepOrder, Rng&);
template std::array<std::int64_t, 2> sweep_pair<DenseHebbian>(DenseHebbian&, DenseHebbian&, std::array<double, 2>, Dynamics, SweepOrder, Rng&, Rng&);

}  // namespace ptmc
