// commands/case_setup: the whole top level of a case, each section read by its module.
#include "commands/case_setup.h"

#include "sample_case.h"

#include <doctest/doctest.h>

#include <algorithm>

using namespace chiptherm;
using chiptherm::test::three_layer_case;

namespace
{
  std::string error_of(const std::string &text)
  {
    try
      {
        commands::read_case(CaseDocument::parse(text, "case.yaml"));
      }
    catch (const InputError &e)
      {
        return e.what();
      }
    return "no error";
  }
} // namespace

TEST_CASE("the top level of a case: every module's sections, and nothing else")
{
  // Unknown key, with a suggestion; the line is the key's own line.
  const std::string typo = error_of(std::string(three_layer_case) + "boundries: {}\n");
  CHECK(typo.find("case.yaml:22: key 'boundries': unknown key (did you mean 'boundaries'?)") != std::string::npos);
  // Each module's section is known (a bad value in it is that module's error, not an unknown key).
  const auto sections = commands::case_sections();
  for (const char *name : {"stack", "boundaries", "power_models", "mesh", "solver", "adaptivity", "signoff",
                           "transient", "outputs"})
    CHECK(std::count(sections.begin(), sections.end(), name) == 1);
  CHECK(error_of(std::string(three_layer_case) + "solver: {degree: 1}\nmesh: {die_cell_size: 500}\n") == "no error");
}
