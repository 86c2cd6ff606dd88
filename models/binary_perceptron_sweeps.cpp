// BinaryPerceptron's sweeps, instantiated once for the whole build (see the extern declarations at the
// end of models/binary_perceptron.hpp).
#include "models/binary_perceptron.hpp"

namespace ptmc {

template std::int64_t sweep<BinaryPerceptron>(BinaryPerceptron&, double, Dynamics, SweepOrder, Rng&);

}  // namespace ptmc
