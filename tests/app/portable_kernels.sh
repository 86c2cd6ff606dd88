# The kernels' fallback paths, which the -march=native build never compiles: the model tests of the
# packed and fast-sweep paths built for AVX2 only (scalar masked sums), and for AVX-512 without VNNI,
# GFNI and VBMI (multiply-adds, bit transforms and byte permutations done the long way), each where
# this CPU can run it. Each build holds only the libraries, test_models and test_engine (the generator's
# refill has a scalar path too).
source "$(dirname "$0")/common.bash"
variant() {  # variant NAME FLAGS CPU-FLAGS...: skipped unless /proc/cpuinfo lists every CPU flag
  local name=$1 flags=$2 need; shift 2
  for need in "$@"; do
    grep -qw "$need" /proc/cpuinfo || { echo "== $name: skipped, this CPU lacks $need"; return 0; }
  done
  echo "== $name: $flags"
  { cmake -S "$src" -B "build-$name" -DCMAKE_BUILD_TYPE=Release -DPTMC_NATIVE=OFF "-DCMAKE_CXX_FLAGS=$flags" &&
    cmake --build "build-$name" -j "$(nproc)" --target test_models test_engine; } >"build-$name.log" 2>&1 ||
    { tail -40 "build-$name.log" >&2; fail "$name: the build failed"; }
  "build-$name/tests/test_models" -tc='*packed*,*dense_hebbian*,*perceptron*' | tail -3
  # The generator's refill without AVX-512 (avx2) or with it: each lane against the reference.
  "build-$name/tests/test_engine" -tc='*Rng*,*xoshiro*' | tail -3
}
variant avx2 "-march=x86-64-v3" avx2 bmi2 fma movbe
variant avx512-base "-march=skylake-avx512" avx512f avx512bw avx512dq avx512vl avx512cd
