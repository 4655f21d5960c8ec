// The ParaView writer's base64 encoder (OpenSSL's EVP_EncodeBlock, as
// solver/vtu_files.cc calls it) against deal.II's Utilities::encode_base64,
// which it replaced: the same text, and the seconds each takes on a buffer of
// the size of one rank's arrays on the example refined twice (docs/benchmarks.md).
//   base64_speed [MEGABYTES]   (default 120)
#include <deal.II/base/utilities.h>

#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace
{
  double seconds_since(std::chrono::steady_clock::time_point start)
  {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
} // namespace

int main(int argc, char **argv)
{
  const std::size_t          megabytes = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 120;
  std::vector<unsigned char> bytes(megabytes << 20);
  for (std::size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = static_cast<unsigned char>((i * 2654435761u) >> 13); // incompressible-looking data

  auto              start    = std::chrono::steady_clock::now();
  const std::string by_deal  = dealii::Utilities::encode_base64(bytes);
  const double      deal_s   = seconds_since(start);

  start = std::chrono::steady_clock::now();
  std::string       by_openssl(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  constexpr std::size_t chunk = std::size_t(3) << 20; // whole 3-byte groups, as the writer
  std::size_t           written = 0;
  for (std::size_t begin = 0; begin < bytes.size(); begin += chunk)
    written += std::size_t(EVP_EncodeBlock(reinterpret_cast<unsigned char *>(by_openssl.data() + written),
                                           bytes.data() + begin, int(std::min(chunk, bytes.size() - begin))));
  by_openssl.resize(written);
  const double openssl_s = seconds_since(start);

  std::printf("%zu MB: deal.II encode_base64 %.3f s, OpenSSL EVP_EncodeBlock %.3f s (%.1fx), same text: %s\n",
              megabytes, deal_s, openssl_s, deal_s / openssl_s, by_deal == by_openssl ? "yes" : "NO");
  return by_deal == by_openssl ? 0 : 1;
}
