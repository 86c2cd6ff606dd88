// Multitasking's sweeps, instantiated once for the whole build (see the extern declarations at the
// end of models/multitasking.hpp).
#include "models/multitasking.hpp"

namespace ptmc {

template std::int64_t sweep<Multitasking>(Multitasking&, double, Dynamics, SweepOrder, Rng&);
template std::array<std::int64_t, 2> sweep_pair<Multitasking>(Multitasking&, Multitasking&, std::array<double, 2>, Dynamics, SweepOrder, Rng&, Rng&);
template std::array<std::int64_t, kSweepLanes> sweep_lanes<Multitasking>(std::span<Multitasking* const>, std::span<const double>, Dynamics, SweepOrder,
                                                                       std::span<Rng* const>);

}  // namespace ptmc
