// Huge pages while a run is small (common/huge_pages.h): a small expected
// size leaves them on, a large one turns them off for the process once, and
// CHIPTHERM_HUGE_PAGES=1 or 0 leaves the choice to the user.
#include "common/huge_pages.h"

#include <doctest/doctest.h>
#include <sys/prctl.h>

#include <cstdlib>

using namespace chiptherm;

TEST_CASE("huge pages go off once a run is expected to need much memory")
{
  // From huge pages on (an earlier test's large mesh may have turned them off), and on again after.
  REQUIRE(prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0) == 0);

  setenv("CHIPTHERM_HUGE_PAGES", "1", 1);
  CHECK_FALSE(limit_huge_pages(4 * huge_pages_up_to_bytes));
  setenv("CHIPTHERM_HUGE_PAGES", "0", 1);
  CHECK_FALSE(limit_huge_pages(4 * huge_pages_up_to_bytes));
  CHECK(prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0) == 0);

  unsetenv("CHIPTHERM_HUGE_PAGES");
  CHECK_FALSE(limit_huge_pages(huge_pages_up_to_bytes));
  CHECK(prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0) == 0);
  CHECK(limit_huge_pages(1.01 * huge_pages_up_to_bytes));
  CHECK(prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0) == 1);
  CHECK_FALSE(limit_huge_pages(4 * huge_pages_up_to_bytes)); // already off
  CHECK(prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0) == 0);
}
