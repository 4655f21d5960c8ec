// doctest's main for test programs without MPI (the predictor's LibTorch tests).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
