#pragma once
// A case file loaded into memory, with --set overrides applied and the case's
// units read. Modules take their own sections from root().
#include "case_node.h"

#include <string>
#include <vector>

namespace chiptherm
{
  class CaseDocument
  {
  public:
    /// Loads path; throws InputError for a missing file or YAML syntax error.
    static CaseDocument load(const std::string &path);
    /// Parses YAML text (for tests); file_label names it in messages.
    static CaseDocument parse(const std::string &text, const std::string &file_label);

    /// Applies "key.path=value" (value is YAML). List entries are addressed by
    /// their name: stack.die.blocks.npu.power=20. Throws InputError on a bad path.
    void apply_override(const std::string &assignment);

    /// The root of the document, with units read from `units:`.
    CaseNode root() const;

    const std::string &path() const { return path_; }
    /// Directory of the case file, for resolving relative paths in it.
    std::string directory() const;

  private:
    CaseDocument(YAML::Node root, std::string path);
    YAML::Node                                root_;
    std::string                               path_;
    std::shared_ptr<std::vector<std::string>> overridden_ = std::make_shared<std::vector<std::string>>();
  };
} // namespace chiptherm
