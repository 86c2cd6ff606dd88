// The x86 intrinsics, included once for every kernel that uses them: GCC 12's AVX-512 headers trip
// -Wuninitialized on their own undefined-vector helpers, so the warnings are silenced here only.
#pragma once
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop

// Walkers in the lanes of one vector (engine/sweep/lane_sweep.hpp) need AVX-512 F, VL and DQ.
#if defined(__AVX512F__) && defined(__AVX512VL__) && defined(__AVX512DQ__)
#define PTMC_LANE_SWEEP 1
#endif
