#include "huge_pages.h"

#include <cstdlib>
#include <cstring>
#include <sys/prctl.h>

namespace chiptherm
{
  bool limit_huge_pages(double expected_bytes)
  {
    if (expected_bytes <= huge_pages_up_to_bytes)
      return false;
    if (const char *choice = std::getenv("CHIPTHERM_HUGE_PAGES");
        choice && (!std::strcmp(choice, "1") || !std::strcmp(choice, "0")))
      return false;
    if (prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0) == 1)
      return false; // off already
    return prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) == 0;
  }
} // namespace chiptherm
