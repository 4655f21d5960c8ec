#pragma once
// Axis-aligned boxes and a 2D bin index over many of them, so a query for
// the boxes that overlap a cell looks at the few nearby ones. Shared by the
// size field (policy requests) and the block overlaps. No deal.II here.
#include <array>
#include <cstddef>
#include <vector>

namespace chiptherm::mesh
{
  /// Axis-aligned box, m.
  struct Box3
  {
    std::array<double, 3> lo{}, hi{};
    /// Interiors overlap (touching faces do not count).
    bool   overlaps(const Box3 &o) const;
    double volume() const { return (hi[0] - lo[0]) * (hi[1] - lo[1]) * (hi[2] - lo[2]); }
    /// The common part of two boxes (empty extents clamp to zero volume).
    Box3 intersection(const Box3 &o) const;
  };

  class BoxIndex
  {
  public:
    BoxIndex() = default;
    /// Bins the boxes on a regular x-y grid over their bounding box (about one
    /// bin per box, at most 512 per axis).
    explicit BoxIndex(std::vector<Box3> boxes);

    const std::vector<Box3> &boxes() const { return boxes_; }
    /// Indices of the boxes whose interior overlaps cell's, ascending, into out (cleared).
    void overlapping(const Box3 &cell, std::vector<unsigned int> &out) const;

  private:
    std::size_t bin_of(double v, unsigned int d) const;

    std::vector<Box3>                      boxes_;
    std::array<double, 2>                  origin_{}, pitch_{};
    std::array<std::size_t, 2>             bins_{};
    std::vector<std::vector<unsigned int>> bin_boxes_;
  };
} // namespace chiptherm::mesh
