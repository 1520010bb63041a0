#include <gtest/gtest.h>

#include "core/json.h"
#include "core/pipeline.h"
#include "core/reasons.h"

namespace decruft {
namespace {

class DropShort final : public Filter {
 public:
  std::string_view name() const override { return "drop_short"; }
  std::string_view description() const override { return "test filter"; }

 protected:
  void classify(const Document& doc, Marks& marks) override {
    for (std::size_t i = 0; i < doc.blocks.size(); ++i) {
      if (doc.blocks[i].text.size() < 3) {
        marks.drop(i, reason::k_furniture, "short");
      }
    }
  }
};

Document make_doc(std::initializer_list<const char*> lines) {
  Document d;
  d.id = "t";
  for (const char* l : lines) {
    Block b;
    b.text = l;
    d.blocks.push_back(b);
  }
  return d;
}

TEST(Pipeline, FilterDropsWithReasonAndStepAndCounts) {
  Pipeline p;
  p.add(std::make_unique<DropShort>());
  Document d = make_doc({"hello world", "TT", "another line"});
  p.run(d);
  ASSERT_FALSE(d.blocks[1].kept());
  EXPECT_EQ(d.blocks[1].drop->reason, "furniture");
  EXPECT_EQ(d.blocks[1].drop->step, "drop_short");
  EXPECT_TRUE(d.blocks[0].kept());
  const StepStats& s = p.stats().steps.at(0).second;
  EXPECT_EQ(s.docs_in, 1u);
  EXPECT_EQ(s.blocks_in, 3u);
  EXPECT_EQ(s.blocks_out, 2u);
  EXPECT_EQ(s.blocks_dropped.at("furniture"), 1u);
  EXPECT_EQ(d.kept_text(), "hello world\nanother line");
}

TEST(Pipeline, DisabledStepDoesNothingAndUnknownIsAnError) {
  Pipeline p;
  p.add(std::make_unique<DropShort>());
  EXPECT_TRUE(p.disable("drop_short").ok());
  Status bad = p.disable("nope");
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("drop_short"), std::string::npos);
  Document d = make_doc({"TT"});
  p.run(d);
  EXPECT_TRUE(d.blocks[0].kept());
}

TEST(Stats, MergeAddsEveryField) {
  RunStats a;
  a.step("x").docs_in = 2;
  a.step("x").blocks_dropped["nav"] = 3;
  RunStats b;
  b.step("x").docs_in = 5;
  b.step("x").blocks_dropped["nav"] = 1;
  b.step("y").docs_in = 1;
  a += b;
  EXPECT_EQ(a.step("x").docs_in, 7u);
  EXPECT_EQ(a.step("x").blocks_dropped["nav"], 4u);
  EXPECT_EQ(a.step("y").docs_in, 1u);
  EXPECT_NE(a.to_json().find("\"step\":\"y\""), std::string::npos);
}

TEST(Json, EscapesControlAndQuotes) {
  EXPECT_EQ(json::quote("a\"b\\c\nd\x01"), "\"a\\\"b\\\\c\\nd\\u0001\"");
}

TEST(Reasons, IdsAreUniqueSnakeCase) {
  std::set<std::string_view> seen;
  for (const auto& r : all_reasons()) {
    EXPECT_TRUE(seen.insert(r.id).second) << r.id;
    for (char c : r.id) {
      EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '_') << r.id;
    }
  }
}

}  // namespace
}  // namespace decruft
