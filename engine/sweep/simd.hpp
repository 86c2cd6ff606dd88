// The x86 intrinsics, included once for every kernel that uses them: GCC 12's AVX-512 headers trip
// -Wuninitialized on their own undefined-vector helpers, so the warnings are silenced here only.
#pragma once
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
