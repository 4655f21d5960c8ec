# SIMD for the matrix-free operator (docs/design.md, "SIMD in the matrix-free kernels").
#
# Debian's deal.II is built for any x86-64 (DEAL_II_VECTORIZATION_WIDTH_IN_BITS 0), so
# its VectorizedArray<double> holds one double and the sum-factorisation kernels run
# one cell at a time. MatrixFree and FEEvaluation are templates on the vector type:
# the two translation units that use them (solver/matrix_free_heat_operator.cc and
# the kernel factories of solver/simd_matrix_free_factories.cc) are compiled with AVX2
# against a copy of deal.II's config.h that says 256 bits, so that VectorizedArray
# <double> there holds four doubles, and every template they need is instantiated
# there (other types, other symbols: nothing is shared with the library's width-1
# instantiations). Measured on the 1000-block floorplan: solve phase 1.3-1.6x faster,
# the whole run 1.03-1.3x, the same figures to 1e-10 K (docs/benchmarks.md).
#
# CHIPTHERM_SIMD: auto (AVX2 when the compiler takes -mavx2 -mfma and the machine
# that builds runs them: the binary is for this machine), avx2 (without the machine
# check, to build for another machine), off (deal.II's width).
set(CHIPTHERM_SIMD "auto" CACHE STRING "SIMD in the matrix-free kernels: auto, avx2 or off")
set_property(CACHE CHIPTHERM_SIMD PROPERTY STRINGS auto avx2 off)
if(NOT CHIPTHERM_SIMD MATCHES "^(auto|avx2|off)$")
  message(FATAL_ERROR "CHIPTHERM_SIMD is '${CHIPTHERM_SIMD}'; expected auto, avx2 or off")
endif()

set(CHIPTHERM_SIMD_ENABLED OFF)
set(_deal_ii_config "${DEAL_II_PATH}/${DEAL_II_INCLUDE_RELDIR}/deal.II/base/config.h")
file(READ "${_deal_ii_config}" _deal_ii_config_text)
string(REGEX MATCH "#define DEAL_II_VECTORIZATION_WIDTH_IN_BITS ([0-9]+)" _width_line "${_deal_ii_config_text}")
set(_deal_ii_width "${CMAKE_MATCH_1}")

if(CHIPTHERM_SIMD STREQUAL "off")
  message(STATUS "chiptherm SIMD: off (deal.II's own vectors: ${_deal_ii_width} bits, 0 = one double)")
elseif(NOT _deal_ii_width STREQUAL "0")
  message(STATUS "chiptherm SIMD: deal.II's own ${_deal_ii_width}-bit vectors")
else()
  include(CheckCXXCompilerFlag)
  check_cxx_compiler_flag("-mavx2 -mfma" CHIPTHERM_COMPILER_HAS_AVX2)
  set(_machine_ok TRUE)
  if(CHIPTHERM_SIMD STREQUAL "auto" AND CHIPTHERM_COMPILER_HAS_AVX2)
    set(_probe "${CMAKE_BINARY_DIR}/simd_probe.cc")
    file(WRITE "${_probe}" "int main() { __builtin_cpu_init(); return __builtin_cpu_supports(\"avx2\") && __builtin_cpu_supports(\"fma\") ? 0 : 1; }\n")
    try_run(_probe_run _probe_compiled "${CMAKE_BINARY_DIR}/simd_probe" "${_probe}")
    if(NOT _probe_compiled OR NOT _probe_run EQUAL 0)
      set(_machine_ok FALSE)
    endif()
  endif()
  if(CHIPTHERM_COMPILER_HAS_AVX2 AND _machine_ok)
    set(CHIPTHERM_SIMD_ENABLED ON)
    string(REPLACE "#define DEAL_II_VECTORIZATION_WIDTH_IN_BITS 0" "#define DEAL_II_VECTORIZATION_WIDTH_IN_BITS 256"
           _simd_config_text "${_deal_ii_config_text}")
    set(CHIPTHERM_SIMD_INCLUDE_DIR "${CMAKE_BINARY_DIR}/simd_include")
    file(WRITE "${CHIPTHERM_SIMD_INCLUDE_DIR}/deal.II/base/config.h" "${_simd_config_text}")
    message(STATUS "chiptherm SIMD: AVX2 in the matrix-free kernels (4 doubles)")
  else()
    message(STATUS "chiptherm SIMD: off (no AVX2 on this compiler or machine)")
  endif()
endif()

# Compiles `sources` (of the current folder) with the SIMD vectors; the
# precompiled deal.II headers were parsed with deal.II's width, so not with them.
function(chiptherm_simd_sources)
  if(CHIPTHERM_SIMD_ENABLED)
    set_source_files_properties(${ARGN} PROPERTIES SKIP_PRECOMPILE_HEADERS ON
      COMPILE_OPTIONS "-mavx2;-mfma;-I${CHIPTHERM_SIMD_INCLUDE_DIR}" COMPILE_DEFINITIONS CHIPTHERM_SIMD_MATRIX_FREE)
  endif()
endfunction()
