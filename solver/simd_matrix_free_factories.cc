// deal.II's evaluation kernels for the matrix-free operator's vector type
// (cmake/simd_matrix_free.cmake): the library instantiates them for its own
// VectorizedArray<double> only. Compiled only with CHIPTHERM_SIMD on, with
// the AVX2 flags and the config.h that makes VectorizedArray<double> 4 wide.
// Degrees up to 4, the operator's (matrix_free_heat_operator.cc); the library's
// default, 6, would compile kernels for degrees chiptherm never uses.
#define FE_EVAL_FACTORY_DEGREE_MAX 4
#include <deal.II/matrix_free/evaluation_template_factory.templates.h>
// The face factory's file has the same include guard as the cell factory's.
#undef dealii_matrix_free_evaluation_template_factory_templates_h
#include <deal.II/matrix_free/evaluation_template_face_factory.templates.h>
#include <deal.II/matrix_free/evaluation_template_factory_hanging_nodes.templates.h>

namespace dealii::internal
{
  template struct FEEvaluationFactory<3, VectorizedArray<double>>;
  template struct FEFaceEvaluationFactory<3, VectorizedArray<double>>;
  template struct FEEvaluationHangingNodesFactory<3, double, VectorizedArray<double>>;
  // The multigrid levels' single-precision operators (p_multigrid.h).
  template struct FEEvaluationFactory<3, VectorizedArray<float>>;
  template struct FEFaceEvaluationFactory<3, VectorizedArray<float>>;
  template struct FEEvaluationHangingNodesFactory<3, float, VectorizedArray<float>>;
} // namespace dealii::internal
