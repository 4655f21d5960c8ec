#pragma once
// One step of TR-BDF2 for M du/dt + K u = F(t) on a HeatProblem, with its
// embedded error estimate and the step's energy terms. Knows nothing of
// chips: the power comes from a callback that re-assembles F. See
// docs/design.md ("Transient") for the method and why it was chosen.
#include "shifted_operator.h"

#include <functional>

namespace chiptherm::solver
{
  struct StepOutcome
  {
    double       error_k      = 0; ///< estimated local error, largest nodal value
    unsigned int iterations   = 0; ///< CG iterations of the two stage solves
    double       energy_in_j  = 0; ///< the scheme's quadrature of the power over the step
    double       heat_out_j   = 0; ///< same for the heat leaving through convective faces
  };

  class TrBdf2Stepper
  {
  public:
    /// gamma = 2 - sqrt 2: both stages then share the matrix M + d h K.
    static constexpr double gamma = 0.5857864376269049512;
    /// d = gamma / 2.
    static constexpr double d = 0.2928932188134524756;
    /// Local error constant: (method - exact) / (h^3 u''') = sum b_i c_i^2 / 2 - 1/6.
    static constexpr double error_constant = 0.0404401145198808;
    /// The stage solves stop at ||r|| <= this ||b|| unless the case sets
    /// solver.relative_tolerance: b is M u + ..., the whole temperature rise, so this leaves
    /// up to a few 1e-5 K, far below the step tolerance (the SoC trace's peaks within
    /// 5e-5 K of 1e-8, with 28 % fewer CG iterations); the energy balance does not depend on
    /// it (ShiftedOperator corrects the constant mode). docs/benchmarks.md has the figures.
    static constexpr double stage_relative_tolerance = 1e-7;
    /// ... and not before CG has reduced the first guess's residual by this
    /// factor (unless the case sets solver.relative_tolerance). A short step's
    /// extrapolated guess can meet 1e-7 ||b|| as it is: CG then did 0-1
    /// iterations, the stage states were exactly linear in time, the error
    /// estimate read 1e-15 K and the controller grew the step into a
    /// rejection (5e-4 K on the example's first 0.2 s: 11,190 steps, 4,741
    /// rejected; with 3e-2, 453 and 3). At the default step tolerance it costs
    /// 0.4 % more CG iterations; 0.1 let 16 rejections through
    /// (docs/benchmarks.md, "Stage solves also reduce their first guess's residual").
    static constexpr double stage_guess_reduction = 3e-2;
    /// BoomerAMG levels of aggressive coarsening for M + d h K unless the case
    /// sets solver.amg_aggressive_levels: the same CG iterations with
    /// a cheaper hierarchy on the example, 10 % less time (docs/benchmarks.md).
    static constexpr unsigned int stage_aggressive_levels = 1;

    /// set_source(t, before) assembles F for the power at t (the value before
    /// a jump at t when before is true) into the problem and returns the total
    /// power, W. The problem must be assembled and `shifted` reinit() on its mesh.
    TrBdf2Stepper(HeatProblem<3> &problem, ShiftedOperator<3> &shifted, const SolverSettings &settings,
                  std::function<double(double t_s, bool before)> set_source);

    /// Advances u from t by h (the end is evaluated "before" any jump at
    /// t + h). The problem's temperature must be u: a nonlinear problem is
    /// linearised about it for the step. u is left unchanged; the result is in new_state(). The caller
    /// accepts it with accept() or tries a smaller h. After accept(), u must be
    /// new_state() (a stepper made afresh takes any u): a linear problem's step
    /// then starts from the residual F - K u the last step left.
    StepOutcome attempt(double t_s, double h_s, const dealii::PETScWrappers::MPI::Vector &u);
    /// u(t + h) of the last attempt (hanging-node values set).
    const dealii::PETScWrappers::MPI::Vector &new_state() const { return u1_; }
    /// The caller took new_state(): its slope seeds the next step's first guess.
    void accept();

  private:
    /// r = F - K u for the F currently assembled.
    void residual(const dealii::PETScWrappers::MPI::Vector &u, dealii::PETScWrappers::MPI::Vector &r);
    /// r0_ = F(t) - K u for the step from (t, u), the F of t assembled: from
    /// the last accepted step's end residual where it left one (a linear
    /// problem: r1_ + F(t) - F(t-)), else a product.
    void start_residual(double t, const dealii::PETScWrappers::MPI::Vector &u);

    HeatProblem<3>                                &problem_;
    ShiftedOperator<3>                            &shifted_;
    SolverSettings                                 settings_;
    std::function<double(double, bool)>            set_source_;
    dealii::PETScWrappers::MPI::Vector             ug_, u1_, r0_, rg_, r1_, b_, tmp_, err_, start_, slope_;
    /// F(t + h-) of the last attempt: with r1_, the next step's start residual.
    dealii::PETScWrappers::MPI::Vector             f1_;
    double                                         start_h_   = 0;
    bool                                           has_slope_ = false;
    /// Where r0_ stands: not computed for this start, carried from the
    /// accepted step's end (r1_ and f1_ hold it), computed.
    enum class StartResidual
    {
      none,
      carried,
      ready
    } start_residual_ = StartResidual::none;
    double start_residual_t_ = 0;
  };
} // namespace chiptherm::solver
