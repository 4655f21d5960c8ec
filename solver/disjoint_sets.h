#pragma once
// Disjoint sets over 0..n-1 (union-find with path halving): the line
// smoother's lines are the connected components of its stiff couplings, both
// when a rank forms its own lines (line_jacobi.cc) and when lines are named
// across ranks (line_blocks.cc). Joining keeps the smaller index as the root,
// so a component's root is its smallest member.

#include <algorithm>
#include <numeric>
#include <vector>

namespace chiptherm::solver
{
  class DisjointSets
  {
  public:
    explicit DisjointSets(unsigned int n)
      : parent_(n)
    {
      std::iota(parent_.begin(), parent_.end(), 0u);
    }

    unsigned int root(unsigned int i)
    {
      while (parent_[i] != i)
        i = parent_[i] = parent_[parent_[i]];
      return i;
    }

    void join(unsigned int a, unsigned int b)
    {
      const unsigned int ra = root(a), rb = root(b);
      if (ra != rb)
        parent_[std::max(ra, rb)] = std::min(ra, rb);
    }

  private:
    std::vector<unsigned int> parent_;
  };
} // namespace chiptherm::solver
