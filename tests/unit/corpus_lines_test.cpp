// corpus_lines' first-pass filter (Step::prepass_wants): which lines the first pass makes blocks
// of, against the rule written out plainly; its counts table against a std::map.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <xxhash.h>

#include <algorithm>
#include <map>
#include <set>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"
#include "core/step.h"
#include "filters/corpus_lines.h"
#include "text/normalize.h"

namespace decruft {
namespace {

// The rule: after the first "solid" character (printable ASCII but the space, Arabic letters
// U+0621-063A and U+0641-064A), count the ASCII spaces right before a solid character; a line with
// 15 or more is long and never counted.
bool long_line(std::string_view s) {
  auto solid = [&s](std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x21 && c <= 0x7E) {
      return true;
    }
    if (i + 1 >= s.size()) {
      return false;
    }
    const auto d = static_cast<unsigned char>(s[i + 1]);
    return (c == 0xD8 && d >= 0xA1 && d <= 0xBA) || (c == 0xD9 && d >= 0x81 && d <= 0x8A);
  };
  std::size_t i = 0;
  while (i < s.size() && !solid(i)) {
    ++i;
  }
  std::size_t spaces = 0;
  for (; i + 1 < s.size(); ++i) {
    spaces += s[i] == ' ' && solid(i + 1) ? 1 : 0;
  }
  return spaces >= 15;
}

TEST(CorpusLinesPrepass, WantsShortLinesOnly) {
  auto step = filters::make_corpus_lines_filter(2, 0.0);
  // Words of solid and non-solid characters (harakat, the Arabic comma, tatweel, NBSP, digits
  // U+0660, a lone lead byte of the solid ranges' neighbours), spaces single and doubled, so the
  // 16-byte blocks of the fast count start and stop everywhere.
  const std::vector<std::string> pieces = {"\u0627\u0644\u0643\u062A\u0627\u0628", "word", "x", "\u064E", "\u0651",
                                           "\u060C", "\u0640", "\u00A0", "\u0661\u0662", "\u0649", "\u064A",
                                           "\u0621", "\u063A", "\u0641", "\u063B", "\u0620", "\u064B", "\u06CC",
                                           "\U0001F468", "~", "!", "\x7F", "\t"};
  std::mt19937 rng(20261130);
  std::size_t longs = 0;
  std::size_t failures = 0;
  for (int i = 0; i < 40000; ++i) {
    std::string s;
    const std::size_t words = rng() % 80;
    for (std::size_t k = 0; k < words; ++k) {
      s += pieces[rng() % pieces.size()];
      if (rng() % 4 != 0) {
        s += rng() % 8 == 0 ? "  " : " ";
      }
    }
    const bool expected_long = long_line(s);
    longs += expected_long ? 1 : 0;
    if (step->prepass_wants(BlockKind::k_paragraph, s) == expected_long && ++failures <= 5) {
      ADD_FAILURE() << "\"" << s << "\": long " << expected_long;
    }
    EXPECT_TRUE(step->prepass_wants(BlockKind::k_title, s));  // titles are always counted
  }
  EXPECT_EQ(failures, 0U);
  EXPECT_GT(longs, 4000U);
  EXPECT_LT(longs, 35000U);
}

// observe() counts each document's distinct short lines (the title, dropped blocks and lines of 15
// spaces or more left out) with its additions deferred to wait less on memory: the export, taken
// now and then in the middle and at the end, against a std::map of the lines' key hashes; the
// lines come from a pool large enough for the table to grow several times.
TEST(CorpusLinesPrepass, ObservedCountsLikeAMap) {
  std::mt19937 rng(4242);
  auto step = filters::make_corpus_lines_filter(3, 0.0);
  std::map<std::uint64_t, std::uint64_t> expected;
  std::size_t documents = 0;
  auto format = [&documents](const std::map<std::uint64_t, std::uint64_t>& rows) {
    std::string text = fmt::format("corpus_lines 1 {}\n", documents);
    for (const auto& [h, c] : rows) {
      text += fmt::format("{:016x} {}\n", h, c);
    }
    return text;
  };
  std::string saved;
  for (int i = 0; i < 3000; ++i) {
    Document doc;
    doc.format = InputFormat::k_text;
    std::set<std::uint64_t> mine;
    const std::size_t blocks = rng() % 40;
    for (std::size_t k = 0; k < blocks; ++k) {
      Block& b = doc.blocks.emplace_back();
      const std::uint32_t r = rng() % 20;
      b.text = fmt::format("w{} x{}", rng() % 6000, rng() % 3);
      if (r < 6) {
        // Around 15 spaces (the limit), some doubled, among words of 0-9 letters and Arabic.
        b.text = "\u0627";
        for (std::uint32_t spaces = 10 + rng() % 10; spaces > 0; --spaces) {
          b.text += std::string(rng() % 10, static_cast<char>('a' + rng() % 26)) + (rng() % 3 == 0 ? "\u0644 " : " ");
        }
      }
      b.kind = r == 1 ? BlockKind::k_title : BlockKind::k_paragraph;
      if (r == 2) {
        b.drop = Drop{"r", "s", ""};
      }
      if (r == 1 || r == 2 || std::count(b.text.begin(), b.text.end(), ' ') >= 15) {
        continue;  // not counted
      }
      std::uint64_t h = XXH3_64bits(b.key().data(), b.key().size());
      mine.insert(h == 0 ? 1 : h);
    }
    step->observe(doc);
    ++documents;
    for (std::uint64_t h : mine) {
      ++expected[h];
    }
    if (rng() % 500 == 0) {
      ASSERT_TRUE(step->save_prepass(saved));
      ASSERT_EQ(saved, format(expected)) << i;
    }
  }
  ASSERT_TRUE(step->save_prepass(saved));
  EXPECT_EQ(saved, format(expected));
  step->end_prepass();
  std::erase_if(expected, [](const auto& row) { return row.second < 3; });
  ASSERT_TRUE(step->save_prepass(saved));
  EXPECT_EQ(saved, format(expected));
  EXPECT_GT(expected.size(), 1000U);
}

// The flat counts table, through the cluster export: shards merged one after another, then saved
// (sorted rows) and, after end_prepass, only the rows at the threshold. Hashes share their low bits
// in clusters (long probe runs, growth moving them) and hash 0 (no slot of its own) is among them.
TEST(CorpusLinesPrepass, CountsLikeAMap) {
  std::mt19937_64 rng(20261130);
  for (int round = 0; round < 30; ++round) {
    auto step = filters::make_corpus_lines_filter(3, 0.0);
    std::map<std::uint64_t, std::uint64_t> expected;
    std::size_t documents = 0;
    const int shards = 1 + static_cast<int>(rng() % 4);
    for (int shard = 0; shard < shards; ++shard) {
      std::map<std::uint64_t, std::uint32_t> rows;
      const std::size_t n = rng() % (round % 3 == 0 ? 5000 : 300);
      for (std::size_t i = 0; i < n; ++i) {
        std::uint64_t h = 0;
        switch (rng() % 4) {
          case 0: h = rng(); break;
          case 1: h = (rng() % 64) << 40 | (rng() % 8); break;  // equal low bits
          case 2: h = rng() % 2048; break;                       // small, 0 among them
          default: h = rng() % 16 * 1024; break;                 // one slot of every table size
        }
        rows[h] = 1 + static_cast<std::uint32_t>(rng() % 6);
      }
      const std::size_t docs = rng() % 1000;
      documents += docs;
      std::string text = fmt::format("corpus_lines 1 {}\n", docs);
      for (const auto& [h, c] : rows) {
        text += fmt::format("{:016x} {}\n", h, c);
        expected[h] += c;
      }
      ASSERT_TRUE(step->merge_prepass(text));
    }
    auto format = [documents](const std::map<std::uint64_t, std::uint64_t>& rows) {
      std::string text = fmt::format("corpus_lines 1 {}\n", documents);
      for (const auto& [h, c] : rows) {
        text += fmt::format("{:016x} {}\n", h, c);
      }
      return text;
    };
    std::string saved;
    ASSERT_TRUE(step->save_prepass(saved));
    EXPECT_EQ(saved, format(expected)) << round;
    step->end_prepass();
    std::erase_if(expected, [](const auto& row) { return row.second < 3; });
    ASSERT_TRUE(step->save_prepass(saved));
    EXPECT_EQ(saved, format(expected)) << round;
  }
}

}  // namespace
}  // namespace decruft
