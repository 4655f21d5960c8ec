#include "common/text_distance.h"

#include <doctest/doctest.h>

using namespace chiptherm;

TEST_CASE("edit distance and suggestions")
{
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(closest_match("boundries", {"stack", "boundaries", "mesh"}) == "boundaries");
  CHECK(closest_match("xyz", {"stack", "boundaries"}).empty());
  CHECK(did_you_mean("coper", {"copper"}) == " (did you mean 'copper'?)");
}
