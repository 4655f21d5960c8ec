#!/usr/bin/env bash
# Builds chiptherm with AddressSanitizer + UndefinedBehaviorSanitizer (CMake option
# CHIPTHERM_SANITIZE, tree build-asan/) and runs the unit and verification tests
# under them: any invalid access, undefined behaviour or leak in chiptherm's code
# fails. Leaks inside Open MPI, PETSc/hypre, p4est and LibTorch (allocations they
# keep until exit) are suppressed by scripts/lsan-suppressions.txt, by library name.
# About 40 minutes on 2 cores (most of it the build); ctest label "long".
#   bash scripts/run-sanitizers.sh [BUILD=build-asan] [JOBS=2]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-asan}
jobs=${2:-2}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCHIPTHERM_SANITIZE=ON > /dev/null
fi
cmake --build "$build" -j "$jobs" --target unit_tests verification_tests chiptherm
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Full unwinding on malloc: the libraries have no frame pointers, and a suppression
# matches a leak only when the stack reaches the library that made it.
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:detect_odr_violation=0:fast_unwind_on_malloc=0
export LSAN_OPTIONS=suppressions=$PWD/scripts/lsan-suppressions.txt:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for t in unit/unit_tests verification/verification_tests; do
  echo "== $t under ASan + UBSan"
  (cd "$build/tests/${t%/*}" && "./${t#*/}") || status=1
done
exit $status
