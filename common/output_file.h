#pragma once
// Writing results so that a full disk or a file-size limit is noticed: a stream
// that failed throws OutputError naming the file and the system's reason, and the
// run stops before its staged results are moved into OUT.
#include <ostream>
#include <string>

namespace chiptherm
{
  /// Flushes out and throws OutputError when anything written to path was lost.
  void check_written(std::ostream &out, const std::string &path);

  /// Writes text to path (replacing it) and checks it was written.
  void write_text_file(const std::string &path, const std::string &text);

  /// Throws OutputError when folder's file system has less than total_bytes free or
  /// the process may not write a file of largest_file_bytes (ulimit -f): for writers
  /// that abort instead of reporting a failed write (p4est's checkpoints).
  void ensure_room(const std::string &folder, double largest_file_bytes, double total_bytes);

  /// Throws OutputError unless path (a file written by a library) ends with tail:
  /// how a VTU file cut short by a full disk is caught.
  void check_file_ends_with(const std::string &path, const std::string &tail);
} // namespace chiptherm
