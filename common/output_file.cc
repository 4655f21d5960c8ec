#include "output_file.h"

#include "errors.h"

#include <sys/resource.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <algorithm>
#include <fstream>

namespace chiptherm
{
  namespace
  {
    [[noreturn]] void fail(const std::string &path, int error)
    {
      throw OutputError("cannot write " + path + ": " +
                        (error != 0 ? std::string(std::strerror(error)) : std::string("the file was cut short (is the disk full?)")) +
                        " (earlier results in OUT are kept)");
    }
  } // namespace

  void check_written(std::ostream &out, const std::string &path)
  {
    errno = 0;
    out.flush();
    if (!out.good())
      fail(path, errno);
  }

  void write_text_file(const std::string &path, const std::string &text)
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out.is_open())
      fail(path, errno);
    out << text;
    check_written(out, path);
    out.close();
    if (out.fail())
      fail(path, errno);
  }

  void ensure_room(const std::string &folder, double largest_file_bytes, double total_bytes)
  {
    rlimit limit{};
    if (getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY &&
        double(limit.rlim_cur) < largest_file_bytes)
      throw OutputError("cannot write in " + folder + ": a file of about " + std::to_string(std::llround(largest_file_bytes)) +
                        " bytes is needed and the file-size limit (ulimit -f) is " + std::to_string(limit.rlim_cur) +
                        " bytes (earlier results in OUT are kept)");
    struct statvfs fs{};
    if (statvfs(folder.c_str(), &fs) == 0 && double(fs.f_bavail) * double(fs.f_frsize) < total_bytes)
      throw OutputError("cannot write in " + folder + ": about " + std::to_string(std::llround(total_bytes / 1e6)) +
                        " MB are needed and the disk has " +
                        std::to_string(std::llround(double(fs.f_bavail) * double(fs.f_frsize) / 1e6)) +
                        " MB free (earlier results in OUT are kept)");
  }

  void check_file_ends_with(const std::string &path, const std::string &tail)
  {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    const auto    size = in ? static_cast<std::streamoff>(in.tellg()) : std::streamoff(-1);
    std::string   end(tail.size() + 16, '\0');
    if (size < std::streamoff(tail.size()))
      fail(path, 0);
    const auto start = std::max<std::streamoff>(0, size - std::streamoff(end.size()));
    in.seekg(start);
    in.read(end.data(), size - start);
    end.resize(static_cast<std::size_t>(size - start));
    if (end.find(tail) == std::string::npos)
      fail(path, 0);
  }
} // namespace chiptherm
