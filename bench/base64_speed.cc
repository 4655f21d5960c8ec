// The ParaView writer's base64 encoder (common/base64_text.h: OpenSSL's
// EVP_EncodeBlock) against deal.II's Utilities::encode_base64,
// which it replaced: the same text, and the seconds each takes on a buffer of
// the size of one rank's arrays on the example refined twice (docs/benchmarks.md).
//   base64_speed [MEGABYTES]   (default 120)
#include "common/base64_text.h"

#include <deal.II/base/utilities.h>

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
  std::string by_openssl;
  chiptherm::append_base64(by_openssl, bytes.data(), bytes.size());
  const double openssl_s = seconds_since(start);

  std::printf("%zu MB: deal.II encode_base64 %.3f s, OpenSSL EVP_EncodeBlock %.3f s (%.1fx), same text: %s\n",
              megabytes, deal_s, openssl_s, deal_s / openssl_s, by_deal == by_openssl ? "yes" : "NO");
  return by_deal == by_openssl ? 0 : 1;
}
