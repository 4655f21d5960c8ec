// Anchor for the shared precompiled header of deal.II (see CMakeLists.txt).
