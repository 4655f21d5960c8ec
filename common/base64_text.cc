#include "base64_text.h"

#include <openssl/evp.h>

#include <algorithm>

namespace chiptherm
{
  void append_base64(std::string &out, const unsigned char *bytes, std::size_t n_bytes)
  {
    // Whole 3-byte groups per call, so the pieces concatenate into one
    // encoding; EVP_EncodeBlock takes an int count.
    constexpr std::size_t chunk = std::size_t(3) << 20;
    const std::size_t     start = out.size();
    out.resize(start + 4 * ((n_bytes + 2) / 3) + 1); // + its closing NUL
    std::size_t written = 0;
    for (std::size_t begin = 0; begin < n_bytes; begin += chunk)
      written += std::size_t(EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data() + start + written),
                                             bytes + begin, int(std::min(chunk, n_bytes - begin))));
    out.resize(start + written);
  }
} // namespace chiptherm
