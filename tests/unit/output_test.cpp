#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

#include "core/document.h"
#include "core/json.h"
#include "io/output.h"

namespace decruft {
namespace {

// make_report_entry counts removed blocks by reason in a small vector sorted afterwards: the JSON
// and the counts must be what a std::map gives, written with the plain Writer, on many generated
// documents (reasons repeated, interleaved, names that are prefixes of each other, none at all).
TEST(ReportEntry, RemovedByReasonIsTheMapOfTheRemovedBlocks) {
  const std::vector<std::string> reasons = {"nav", "nav_link", "boilerplate", "a", "ab", "b", "zz_last",
                                            "duplicate_line", "short"};
  std::mt19937 rng(17);
  for (int i = 0; i < 3000; ++i) {
    Document doc;
    doc.id = "doc-" + std::to_string(i);
    doc.source = "in.jsonl:" + std::to_string(i + 1);
    std::map<std::string, std::uint64_t> expected;
    std::size_t kept = 0;
    std::string kept_text;
    const std::size_t n = rng() % 12;
    for (std::size_t b = 0; b < n; ++b) {
      Block block;
      block.text = std::string(rng() % 20, 'x');
      if (rng() % 2 == 0) {
        const std::string& r = reasons[rng() % (1 + rng() % reasons.size())];
        block.drop = Drop{r, "step", ""};
        ++expected[r];
      } else {
        kept_text += (kept++ > 0 ? "\n" : "") + block.text;
      }
      doc.blocks.push_back(std::move(block));
    }
    if (rng() % 5 == 0) {
      doc.drop = Drop{"empty", "empty", ""};
    }
    io::ReportEntry e = io::make_report_entry(doc, "");
    json::Writer w;
    w.begin_object();
    for (const auto& [k, v] : expected) {
      w.key(k);
      w.value(v);
    }
    w.end_object();
    const std::string removed = ",\"removed_by_reason\":" + w.str() + "}";
    ASSERT_EQ(e.json.substr(e.json.size() - std::min(e.json.size(), removed.size())), removed) << e.json;
    EXPECT_NE(e.json.find(",\"blocks\":" + std::to_string(n) + ",\"kept_blocks\":" + std::to_string(kept) + ","),
              std::string::npos)
        << e.json;
    if (doc.drop) {
      EXPECT_EQ(e.outcome, io::ReportEntry::Outcome::k_dropped);
      EXPECT_TRUE(e.blocks_removed.empty());
      EXPECT_EQ(e.bytes_out, 0u);
    } else {
      EXPECT_EQ(e.outcome, io::ReportEntry::Outcome::k_kept);
      EXPECT_EQ(e.blocks_removed, expected);
      EXPECT_EQ(e.bytes_out, kept_text.size());
    }
  }
}

}  // namespace
}  // namespace decruft
