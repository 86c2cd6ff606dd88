# The kernels' fallback paths, which the -march=native build never compiles: the model tests of the
# packed and fast-sweep paths built for AVX2 only (scalar masked sums), and, where this CPU can run
# it, for AVX-512 without VNNI, GFNI and VBMI (multiply-adds, bit transforms and byte permutations
# done the long way). Each build holds only the libraries and test_models (about a minute on 2 cores).
source "$(dirname "$0")/common.bash"
variant() {  # variant NAME FLAGS
  echo "== $1: $2"
  cmake -S "$src" -B "build-$1" -DCMAKE_BUILD_TYPE=Release -DPTMC_NATIVE=OFF "-DCMAKE_CXX_FLAGS=$2" >/dev/null
  cmake --build "build-$1" -j "$(nproc)" --target test_models >/dev/null
  "build-$1/tests/test_models" -tc='*packed*,*dense_hebbian*' | tail -3
}
variant avx2 "-march=x86-64-v3"
if grep -qw avx512bw /proc/cpuinfo; then
  variant avx512-base "-march=skylake-avx512"
else
  echo "== avx512-base: skipped, this CPU has no AVX-512 BW"
fi
