#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/document.h"
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

// A key derived alone (the first pass) and the profile asked for afterwards give what deriving both
// at once gives.
TEST(Block, KeyAloneThenProfileEqualsBoth) {
  const std::vector<std::string> texts = {"",
                                          "  ",
                                          "\u0627\u0644\u0645\u0632\u064A\u062F: \u0627\u0642\u0631\u0623 \u0623\u064A\u0636\u0627\u064B",
                                          "Photo: AFP / Getty Images (2024)",
                                          "\u00AB\u062F\u064A\u0628 \u0633\u064A\u0643\u00BB \u2014 12.5%?",
                                          "\uFEFB\uFDF2 \U0001F468\u200D\U0001F469 \u4E2D\u6587 caf\u00E9"};
  for (const auto& t : texts) {
    Block both;
    both.text = t;
    Block alone;
    alone.text = t;
    EXPECT_EQ(alone.key_alone(), both.key()) << t;
    const text::CharProfile& a = alone.profile();
    const text::CharProfile& b = both.profile();
    EXPECT_EQ(a.code_points, b.code_points) << t;
    EXPECT_EQ(a.letters, b.letters) << t;
    EXPECT_EQ(a.arabic_letters, b.arabic_letters) << t;
    EXPECT_EQ(a.latin_letters, b.latin_letters) << t;
    EXPECT_EQ(a.digits, b.digits) << t;
    EXPECT_EQ(a.punctuation, b.punctuation) << t;
    EXPECT_EQ(a.symbols, b.symbols) << t;
    EXPECT_EQ(a.spaces, b.spaces) << t;
    EXPECT_EQ(a.words, b.words) << t;
    EXPECT_EQ(a.first, b.first) << t;
    EXPECT_EQ(a.last, b.last) << t;
    EXPECT_EQ(alone.key(), both.key()) << t;
  }
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

// The rule, one byte at a time: what the word-at-a-time scan of append_string must match.
std::string quote_bytewise(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          static constexpr char k_hex[] = "0123456789abcdef";
          out += "\\u00";
          out += k_hex[c >> 4];
          out += k_hex[c & 0xf];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

TEST(Json, WordAtATimeScanMatchesTheBytewiseRule) {
  // Every byte at every position of the first 16- and 8-byte blocks and the bytewise tail, on
  // backgrounds next to the thresholds (0x20, '"', '\\', and bytes with the top bit set, as in
  // Arabic letters).
  for (char background : {'a', ' ', '!', '#', '[', ']', '\x7f', '\x80', '\xa0', '\xd8', '\xff'}) {
    for (int c = 0; c < 256; ++c) {
      for (std::size_t pos = 0; pos < 24; ++pos) {
        for (std::size_t len : {pos + 1, pos + 2, std::size_t{9}, std::size_t{24}, std::size_t{40}}) {
          if (pos >= len) {
            continue;
          }
          std::string s(len, background);
          s[pos] = static_cast<char>(c);
          ASSERT_EQ(json::quote(s), quote_bytewise(s)) << "byte " << c << " at " << pos << " of " << len;
        }
      }
    }
  }
  // Random strings, most bytes from near the thresholds, several escapes per word.
  using namespace std::string_view_literals;
  constexpr std::string_view k_near = "\"\\\x1f\x20\x21\x00\x01\x0a\x0d\x7f\x80\x9f\xa0\xdf\xe0\xd8\xa7\x5b\x5d\x1b\x19"sv;
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {
    std::string s(rng() % 40, ' ');
    for (auto& ch : s) {
      ch = rng() % 2 == 0 ? k_near[rng() % k_near.size()] : static_cast<char>(rng());
    }
    ASSERT_EQ(json::quote(s), quote_bytewise(s));
  }
  std::string arabic = "قال \"المتحدث\" إن\tالعدد\\ 😀 世界 ﻻ e\u0301\n";
  for (int i = 0; i < 5; ++i) {
    arabic += arabic;
  }
  EXPECT_EQ(json::quote(arabic), quote_bytewise(arabic));
}

TEST(Json, LongStringsScanToTheirEndInBlocks) {
  // Strings of 16 bytes or more are scanned 16 bytes at a time, the last block overlapping the one
  // before it: one or two escapes at every position of strings of every length up to 80, and
  // long random strings with a few escapes, on plain ASCII and Arabic (two-byte) text.
  for (std::string_view background : {"a", "\xd8\xa7"}) {
    for (std::size_t len = 0; len <= 80; ++len) {
      std::string base;
      while (base.size() < len) {
        base += background;
      }
      base.resize(len);
      ASSERT_EQ(json::quote(base), quote_bytewise(base));
      for (std::size_t pos = 0; pos < len; ++pos) {
        for (char c : {'"', '\n', '\x01', '\\'}) {
          std::string s = base;
          s[pos] = c;
          ASSERT_EQ(json::quote(s), quote_bytewise(s)) << "at " << pos << " of " << len;
          for (std::size_t second = pos + 1; second < len; second += 3) {
            std::string t = s;
            t[second] = '\t';
            ASSERT_EQ(json::quote(t), quote_bytewise(t)) << "at " << pos << " and " << second << " of " << len;
          }
        }
      }
    }
  }
  std::mt19937 rng(11);
  for (int i = 0; i < 20000; ++i) {
    std::string s(rng() % 400, 'x');
    for (auto& ch : s) {
      ch = rng() % 64 == 0 ? static_cast<char>(rng() % 0x24) : static_cast<char>(0x80 | rng());
    }
    ASSERT_EQ(json::quote(s), quote_bytewise(s));
  }
}

TEST(Json, PlainKeyAndEscapedPieceWriteWhatKeyAndStringPieceWrite) {
  json::Writer a;
  a.begin_object();
  a.plain_key("text");
  a.begin_string();
  a.string_piece("نص");
  a.escaped_piece("\\n");
  a.string_piece("ثان");
  a.end_string();
  a.plain_key("n");
  a.value(1);
  a.end_object();
  json::Writer b;
  b.begin_object();
  b.key("text");
  b.value("نص\nثان");
  b.key("n");
  b.value(1);
  b.end_object();
  EXPECT_EQ(a.str(), b.str());
}

TEST(Json, IntegersAreWrittenAsFmtWritesThem) {
  std::mt19937_64 rng(5);
  std::vector<std::int64_t> signed_values = {0, 1, -1, 9, 10, -10, INT64_MAX, INT64_MIN};
  std::vector<std::uint64_t> unsigned_values = {0, 1, 9, 10, 99, 100, UINT64_MAX};
  for (int i = 0; i < 1000; ++i) {
    signed_values.push_back(static_cast<std::int64_t>(rng() >> (rng() % 64)) * (i % 2 == 0 ? 1 : -1));
    unsigned_values.push_back(rng() >> (rng() % 64));
  }
  json::Writer w;
  std::string expected;
  w.begin_array();
  expected += '[';
  for (auto v : signed_values) {
    w.value(v);
    expected += fmt::format("{}{}", expected.size() > 1 ? "," : "", v);
  }
  for (auto v : unsigned_values) {
    w.value(v);
    expected += fmt::format(",{}", v);
  }
  w.end_array();
  expected += ']';
  EXPECT_EQ(w.str(), expected);
}

TEST(Json, KeysAndValuesShortAndLongAreQuotedStrings) {
  // Short strings without escapes take a path of their own in key() and value(): random keys and
  // values of every length around its limit, with and without escapes, against quote().
  std::mt19937 rng(3);
  json::Writer w;
  std::string expected = "{";
  w.begin_object();
  for (int i = 0; i < 4000; ++i) {
    std::string k(rng() % 80, 'k');
    std::string v(rng() % 80, '\xd8');
    for (std::string* str : {&k, &v}) {
      if (!str->empty() && rng() % 3 == 0) {
        (*str)[rng() % str->size()] = "\"\\\n\x01"[rng() % 4];
      }
    }
    w.key(k);
    w.value(v);
    expected += (i > 0 ? "," : "") + json::quote(k) + ":" + json::quote(v);
  }
  w.end_object();
  expected += "}";
  EXPECT_EQ(w.str(), expected);
  // json::quote itself is checked against the bytewise rule above.
}

TEST(Json, StringInPiecesIsTheWholeString) {
  json::Writer pieces;
  pieces.begin_array();
  pieces.begin_string();
  for (std::string_view p : {"نص \"أول\"", "\n", "", "\x01 second\\"}) {
    pieces.string_piece(p);
  }
  pieces.end_string();
  pieces.value(1);
  pieces.end_array();
  json::Writer whole;
  whole.begin_array();
  whole.value("نص \"أول\"\n\x01 second\\");
  whole.value(1);
  whole.end_array();
  EXPECT_EQ(pieces.str(), whole.str());
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
