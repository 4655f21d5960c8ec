#pragma once
// Base64 text of bytes (RFC 4648 alphabet, no line breaks) by OpenSSL's
// encoder (libcrypto's EVP_EncodeBlock): the ParaView files' arrays
// (solver/vtu_files.cc). 13-14x faster than deal.II's Utilities::encode_base64
// (bench/base64_speed; docs/benchmarks.md).
#include <cstddef>
#include <string>

namespace chiptherm
{
  /// Appends base64(bytes) to out. Two appends make one encoding only when the
  /// first had a multiple of 3 bytes; otherwise each is padded on its own (as
  /// VTK's header and blocks are).
  void append_base64(std::string &out, const unsigned char *bytes, std::size_t n_bytes);
} // namespace chiptherm
