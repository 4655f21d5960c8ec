#include "case_document.h"

#include "input_files.h"
#include "text_distance.h"
#include "utf8_text.h"

#include <filesystem>
#include <fstream>

namespace chiptherm
{
  namespace
  {
    YAML::Node parse_yaml(const std::string &text, const std::string &label)
    {
      expect_utf8_text(text, label);
      try
        {
          return YAML::Load(text);
        }
      catch (const YAML::Exception &e)
        {
          throw InputError(SourceLocation{label, e.mark.is_null() ? -1 : e.mark.line + 1, ""},
                           "not valid YAML: " + e.msg);
        }
    }

    Units read_units(const CaseNode &root)
    {
      Units          u;
      const CaseNode n = root.optional("units");
      if (!n.is_defined())
        return u;
      n.expect_keys({"length", "temperature"});
      if (n.has("length"))
        {
          u.length_name = n.at("length").choice({"m", "mm", "um"});
          u.length_to_m = u.length_name == "m" ? 1.0 : u.length_name == "mm" ? 1e-3 : 1e-6;
        }
      if (n.has("temperature"))
        u.celsius = n.at("temperature").choice({"C", "K"}) == "C";
      return u;
    }
  } // namespace

  CaseDocument::CaseDocument(YAML::Node root, std::string path)
    : root_(std::move(root))
    , path_(std::move(path))
  {
    if (!root_.IsMap())
      throw InputError(SourceLocation{path_, 1, ""}, "expected a case file: a YAML map with keys such as version, name, stack");
  }

  CaseDocument CaseDocument::load(const std::string &path)
  {
    std::ifstream in;
    if (is_input_file(path)) // never open a folder, device or pipe
      in.open(path);
    if (!in.is_open())
      throw InputError(SourceLocation{path, -1, ""}, "cannot open the case file (does it exist and is it readable?)");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return CaseDocument(parse_yaml(text, path), path);
  }

  CaseDocument CaseDocument::parse(const std::string &text, const std::string &file_label)
  {
    return CaseDocument(parse_yaml(text, file_label), file_label);
  }

  std::string CaseDocument::directory() const
  {
    const auto parent = std::filesystem::path(path_).parent_path();
    return parent.empty() ? std::string(".") : parent.string();
  }

  void CaseDocument::apply_override(const std::string &assignment)
  {
    const auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0)
      throw InputError("--set '" + assignment + "': expected KEY=VALUE, e.g. --set boundaries.top.h=5000");
    const std::string key   = assignment.substr(0, eq);
    const std::string value = assignment.substr(eq + 1);

    std::vector<std::string> parts;
    for (std::size_t start = 0;;)
      {
        const auto dot = key.find('.', start);
        parts.push_back(key.substr(start, dot - start));
        if (dot == std::string::npos)
          break;
        start = dot + 1;
      }

    const YAML::Node new_value = parse_yaml(value, "--set " + key);
    YAML::Node       node      = root_; // handle to the root; reset() rebinds below
    std::string      walked;
    for (std::size_t i = 0; i < parts.size(); ++i)
      {
        const std::string &part = parts[i];
        if (part.empty())
          throw InputError("--set '" + assignment + "': empty part in the key path");
        const bool last = (i + 1 == parts.size());
        if (node.IsSequence())
          {
            std::vector<std::string> names;
            YAML::Node               found;
            for (std::size_t j = 0; j < node.size(); ++j)
              {
                YAML::Node item = node[j];
                if (item.IsMap() && item["name"] && item["name"].IsScalar())
                  {
                    names.push_back(item["name"].Scalar());
                    if (names.back() == part)
                      found.reset(item);
                  }
              }
            if (!found.IsDefined() || found.IsNull())
              throw InputError("--set " + key + ": '" + walked + "' has no entry named '" + part + "'" +
                               did_you_mean(part, names) + "; entries: " + join(names));
            if (last)
              throw InputError("--set " + key + ": cannot replace a whole list entry; set one of its keys");
            node.reset(found);
          }
        else if (node.IsMap())
          {
            if (last)
              {
                node[part] = new_value;
                break;
              }
            // A missing map is created: `--set adaptivity.tolerance=0.01` works on a
            // case without an adaptivity section. Misspelt keys are still caught,
            // with a did-you-mean, by the reader of the section.
            if (!node[part])
              {
                node[part] = YAML::Node(YAML::NodeType::Map);
                overridden_->push_back((walked.empty() ? "" : walked + ".") + part);
              }
            YAML::Node next = node[part];
            node.reset(next);
          }
        else
          throw InputError("--set " + key + ": '" + walked + "' is a value, not a map or list");
        walked += (walked.empty() ? "" : ".") + part;
      }
    overridden_->push_back(key);
  }

  CaseNode CaseDocument::root() const
  {
    CaseNode bare(root_, path_, "", Units{});
    bare.set_overridden_keys(overridden_);
    CaseNode n(root_, path_, "", read_units(bare));
    n.set_overridden_keys(overridden_);
    return n;
  }
} // namespace chiptherm
