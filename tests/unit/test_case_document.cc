#include "common/case_document.h"
#include "common/utf8_text.h"

#include <doctest/doctest.h>

using namespace chiptherm;

TEST_CASE("CaseDocument reads units and converts lengths and temperatures")
{
  const auto doc  = CaseDocument::parse("units: {length: mm, temperature: C}\nx: 2.5\nt: 25\n", "a.yaml");
  const auto root = doc.root();
  CHECK(root.at("x").length() == doctest::Approx(2.5e-3));
  CHECK(root.at("t").temperature() == doctest::Approx(298.15));
}

TEST_CASE("CaseDocument reports YAML syntax errors with the line")
{
  try
    {
      CaseDocument::parse("a: 1\nb: [1, 2\nc: 3\n", "bad.yaml");
      FAIL("expected an InputError");
    }
  catch (const InputError &e)
    {
      CHECK(std::string(e.what()).find("bad.yaml:") == 0);
      CHECK(std::string(e.what()).find("not valid YAML") != std::string::npos);
    }
}

TEST_CASE("--set overrides address list entries by name")
{
  auto doc = CaseDocument::parse("stack:\n  - name: die\n    blocks:\n      - {name: npu, power: 3}\n"
                                 "boundaries: {top: {h: 10}}\n",
                                 "c.yaml");
  doc.apply_override("stack.die.blocks.npu.power=20");
  doc.apply_override("boundaries.top.h=5000");
  const auto root = doc.root();
  CHECK(root.at("stack").items()[0].at("blocks").items()[0].at("power").number() == 20);
  CHECK(root.at("boundaries").at("top").at("h").number() == 5000);
  // Messages about an overridden value name the override, not a file line.
  doc.apply_override("stack.die.blocks.npu.power=-1");
  try
    {
      doc.root().at("stack").items()[0].at("blocks").items()[0].at("power").positive_number();
      FAIL("expected an InputError");
    }
  catch (const InputError &e)
    {
      CHECK(std::string(e.what()).find("--set stack.die.blocks.npu.power") == 0);
    }
}

TEST_CASE("--set creates missing sections, and messages about them name the override")
{
  auto doc = CaseDocument::parse("name: x\n", "c.yaml");
  doc.apply_override("adaptivity.tolerance=0.02");
  CHECK(doc.root().at("adaptivity").at("tolerance").number() == 0.02);
  doc.apply_override("adaptivty.tolerance=1");
  try
    {
      doc.root().expect_keys({"name", "adaptivity"});
      FAIL("expected an InputError");
    }
  catch (const InputError &e)
    {
      CHECK(std::string(e.what()).find("--set adaptivty") == 0);
      CHECK(std::string(e.what()).find("did you mean 'adaptivity'") != std::string::npos);
    }
}

TEST_CASE("--set rejects unknown entries with a suggestion")
{
  auto doc = CaseDocument::parse("stack:\n  - name: die\n", "c.yaml");
  try
    {
      doc.apply_override("stack.dei.thickness=3");
      FAIL("expected an InputError");
    }
  catch (const InputError &e)
    {
      CHECK(std::string(e.what()).find("did you mean 'die'") != std::string::npos);
    }
  CHECK_THROWS_AS(doc.apply_override("nonsense"), InputError);
}

TEST_CASE("CaseNode rejects non-finite and non-numeric values")
{
  const auto root = CaseDocument::parse("a: .nan\nb: .inf\nc: abc\nd: -1\n", "n.yaml").root();
  CHECK_THROWS_WITH_AS(root.at("a").number(), doctest::Contains("finite"), InputError);
  CHECK_THROWS_WITH_AS(root.at("b").number(), doctest::Contains("finite"), InputError);
  CHECK_THROWS_WITH_AS(root.at("c").number(), doctest::Contains("expected a number"), InputError);
  CHECK_THROWS_WITH_AS(root.at("d").positive_number(), doctest::Contains("n.yaml:4: key 'd'"), InputError);
}

TEST_CASE("case text must be UTF-8: the first bad byte is named with its line and column (issue 22)")
{
  CHECK_NOTHROW(CaseDocument::parse("name: \xce\xa9-chip\n# \xe2\x82\xac and \xf0\x9f\x94\xa5 in a comment\n", "ok.yaml"));
  auto error = [](const std::string &text) {
    try
      {
        CaseDocument::parse(text, "bad.yaml");
      }
    catch (const InputError &e)
      {
        return std::string(e.what());
      }
    return std::string("no error");
  };
  CHECK(error("version: 1\nname: a\xa0z\n") == "bad.yaml:2: not UTF-8 text: byte 0xA0 at column 8 (save the file as UTF-8 or plain ASCII)");
  CHECK(error("name: \xc0\xaf\n").find("bad.yaml:1: not UTF-8 text: byte 0xC0 at column 7") == 0); // overlong '/'
  CHECK(error("name: \xed\xa0\x80\n").find("byte 0xED") != std::string::npos);                  // a surrogate
  CHECK(error("a: 1\nb: 2\nname: x\xe2\x82\n").find("bad.yaml:3:") == 0);                        // cut short
  CHECK(error(std::string("name: a\0b\n", 10)).find("byte 0x00 at column 8") != std::string::npos);
}

TEST_CASE("messages quoting outside bytes are made printable UTF-8")
{
  CHECK(chiptherm::printable_utf8("plain: \xC3\xA9t\xC3\xA9 \xE2\x82\xAC") == "plain: \xC3\xA9t\xC3\xA9 \xE2\x82\xAC");
  CHECK(chiptherm::printable_utf8(std::string("a\xEE\x01" "b\xC3", 5)) == "a?\x01" "b?");
  CHECK(chiptherm::printable_utf8(std::string("x\0y", 3)) == "x?y");
}
