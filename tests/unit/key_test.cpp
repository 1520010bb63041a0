#include "text/key.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "text/chars.h"
#include "text/normalize.h"
#include "text/utf8.h"
#include "text_corpus.h"

namespace decruft::text {
namespace {

// 0 to max_pieces pieces drawn from `alphabet` (the length drawn first, then each piece).
std::string random_text(const std::vector<std::string>& alphabet, std::mt19937& rng, int max_pieces) {
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> length(0, max_pieces);
  std::string s;
  int n = length(rng);
  for (int k = 0; k < n; ++k) {
    s += alphabet[pick(rng)];
  }
  return s;
}

TEST(MatchKey, DocumentedExample) {
  EXPECT_EQ(match_key("\u00AB\u062F\u064A\u0628 \u0633\u064A\u0643\u00BB: \u062A\u0643\u0644\u0641\u0629"),
            match_key("\u062F\u064A\u0628  \u0633\u064A\u0643 \u062A\u0643\u0644\u0641\u0647"));
  EXPECT_EQ(match_key("\u00AB\u062F\u064A\u0628 \u0633\u064A\u0643\u00BB: \u062A\u0643\u0644\u0641\u0629"),
            "\u062F\u064A\u0628 \u0633\u064A\u0643 \u062A\u0643\u0644\u0641\u0647");
}

struct KeyCase {
  const char* name;
  std::string input;
  std::string expected;
};

TEST(MatchKey, Table) {
  const std::vector<KeyCase> cases = {
      {"empty", "", ""},
      {"punctuation_only", " \u00AB\u2026\u00BB -- !? \u060C ", ""},
      {"harakat_removed", "\u0623\u064E\u062D\u0652\u0645\u064E\u062F\u064F", "\u0627\u062D\u0645\u062F"},
      {"shadda_tanween_dagger_alef", "\u0645\u064F\u062D\u064E\u0645\u0651\u064E\u062F\u064C \u0647\u0670\u0630\u0627",
       "\u0645\u062D\u0645\u062F \u0647\u0630\u0627"},
      {"quranic_marks", "\u0627\u0644\u0644\u0651\u064E\u0647\u0650\u06DA \u0639\u0644\u06D6",
       "\u0627\u0644\u0644\u0647 \u0639\u0644"},
      {"alef_variants", "\u0623\u0625\u0622\u0671\u0627", "\u0627\u0627\u0627\u0627\u0627"},
      {"alef_maksura", "\u0639\u0644\u0649 \u0645\u0635\u0637\u0641\u0649",
       "\u0639\u0644\u064A \u0645\u0635\u0637\u0641\u064A"},
      {"teh_marbuta", "\u0645\u062F\u0631\u0633\u0629", "\u0645\u062F\u0631\u0633\u0647"},
      {"hamza_carriers_kept", "\u0645\u0633\u0624\u0648\u0644 \u0645\u0633\u0626\u0648\u0644 \u0634\u064A\u0621",
       "\u0645\u0633\u0624\u0648\u0644 \u0645\u0633\u0626\u0648\u0644 \u0634\u064A\u0621"},
      {"decomposed_hamza_on_alef", "\u0627\u0654\u0645\u0631", "\u0627\u0645\u0631"},
      {"decomposed_hamza_on_waw_composes", "\u0645\u0633\u0648\u0654\u0648\u0644", "\u0645\u0633\u0624\u0648\u0644"},
      {"tatweel", "\u0645\u0640\u0640\u0640\u0631\u062D\u0628\u0627", "\u0645\u0631\u062D\u0628\u0627"},
      {"invisible_dropped_not_separating",
       "\u200F\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645\u200E \u0628\u200D\u0628\u00AD\u0628",
       "\u0645\u064A\u062E\u0648\u0627\u0647\u0645 \u0628\u0628\u0628"},
      {"presentation_forms", "\uFEFB \uFDF2 \uFE8D\uFEDF\uFEE4\uFEAE\uFE8E",
       "\u0644\u0627 \u0627\u0644\u0644\u0647 \u0627\u0644\u0645\u0631\u0627"},
      {"case_folding", "Hello WORLD Stra\u00DFe \u0391\u0392\u0393", "hello world strasse \u03B1\u03B2\u03B3"},
      {"nfkc_compatibility", "\uFB01ne \uFF21\uFF22\uFF23 \u2460", "fine abc 1"},
      {"digits_of_every_script", "\u0662\u0660\u0661\u0665 \u06F2\u06F0\u06F1\u06F5 2015", "2015 2015 2015"},
      {"punctuation_separates", "U.S. a,b don't e-mail 30.89", "u s a b don t e mail 30 89"},
      {"spaces_collapse_and_trim", "  \u00A0a \t\n b\u2009  ", "a b"},
      {"symbols_separate", "100%\u00A9x \u2022 y", "100 x y"},
      {"latin_accents_kept", "caf\u00E9 cafe\u0301", "caf\u00E9 caf\u00E9"},
      {"emoji_separates", "a\U0001F600b", "a b"},
      {"cjk_kept", "\u4E2D\u6587 \u0639", "\u4E2D\u6587 \u0639"},
      {"nul_and_controls",
       std::string("a\0b\x01"
                   "c",
                   5),
       "a b c"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(match_key(c.input), c.expected) << c.name;
    EXPECT_EQ(match_key_icu(c.input), c.expected) << c.name << " (ICU oracle)";
  }
}

TEST(MatchKey, InvalidUtf8IsRepaired) {
  std::string k = match_key("a\xFF\xFE b");
  EXPECT_TRUE(is_valid_utf8(k));
  EXPECT_EQ(k, "a b");  // U+FFFD is a symbol: a separator in the key
}

// Differential: the fast path equals the ICU oracle, and keys are fixed points.
void check_against_oracle(const std::vector<std::string>& texts, const char* what) {
  std::size_t failures = 0;
  for (const auto& t : texts) {
    std::string fast = match_key(t);
    std::string slow = match_key_icu(t);
    if (fast != slow && ++failures <= 5) {
      ADD_FAILURE() << what << ": fast != ICU for\n" << t << "\nfast: " << fast << "\nicu:  " << slow;
    }
    if (match_key(fast) != fast && ++failures <= 5) {
      ADD_FAILURE() << what << ": key is not a fixed point: " << fast;
    }
  }
  EXPECT_EQ(failures, 0U) << what;
}

TEST(MatchKeyProperty, FastPathEqualsIcuOnRawParagraphs) {
  auto paragraphs = testing::raw_paragraphs();
  ASSERT_FALSE(paragraphs.empty());
  check_against_oracle(paragraphs, "raw/");
}

TEST(MatchKeyProperty, FastPathEqualsIcuOnDatasetParagraphs) {
  auto paragraphs = testing::dataset_paragraphs();
  if (paragraphs.empty()) {
    GTEST_SKIP() << "development data set not present: " << testing::dataset_path();
  }
  check_against_oracle(paragraphs, "dataset");
}

TEST(MatchKeyProperty, FastPathEqualsIcuOnRandomTrickyText) {
  const std::vector<std::string> alphabet = {" ",
                                             "\u00A0",
                                             "\u200C",
                                             "\u200D",
                                             "\u200F",
                                             "\u00AD",
                                             "\uFEFF",
                                             "\u0640",
                                             "\u060C",
                                             "\u0627",
                                             "\u0648",
                                             "\u064A",
                                             "\u0649",
                                             "\u0629",
                                             "\u0623",
                                             "\u064E",
                                             "\u0651",
                                             "\u0653",
                                             "\u0654",
                                             "\u0655",
                                             "\u0670",
                                             "\u06D6",
                                             "\u06E5",
                                             "\uFEFB",
                                             "\uFDF2",
                                             "\uFDFA",
                                             "\uFC5E",
                                             "\uFE70",
                                             "A",
                                             "z",
                                             "\u00DF",
                                             "\u0130",
                                             "\u0301",
                                             "\u0327",
                                             "\u00E9",
                                             "\u00BD",
                                             "\u2126",
                                             "\uFB01",
                                             "\uFF21",
                                             "3",
                                             "\u0663",
                                             "\u06F5",
                                             ".",
                                             "'",
                                             "\u2026",
                                             "\U0001F600",
                                             "\u4E2D",
                                             "\uAC00",
                                             "\u1100",
                                             "\u1161",
                                             "\u0915",
                                             "\u093F",
                                             std::string("\0", 1)};
  std::mt19937 rng(7);
  std::vector<std::string> samples;
  for (int i = 0; i < 20000; ++i) {
    std::string s = random_text(alphabet, rng, 10);
    samples.push_back(std::move(s));
  }
  std::size_t failures = 0;
  for (const auto& t : samples) {
    if (match_key(t) != match_key_icu(t) && ++failures <= 5) {
      ADD_FAILURE() << "fast != ICU: " << t << "\nfast: " << match_key(t) << "\nicu:  " << match_key_icu(t);
    }
  }
  EXPECT_EQ(failures, 0U);
}

// Longer strings than above, so the fast path's eight-byte blocks see every piece at every
// offset: two-byte sequences across a block's end, and the pieces that leave the block loop
// (three- and four-byte sequences, long mappings, ICU) in the middle of a block.
TEST(MatchKeyProperty, FastPathEqualsIcuAcrossBlockBoundaries) {
  const std::vector<std::string> alphabet = {" ",      "  ",     "a",      "Z",      "7",      ".",      "\u0627",
                                             "\u0628", "\u0629", "\u0623", "\u064E", "\u0640", "\u00AB", "\u00BB",
                                             "\u060C", "\u00E9", "\u0130", "\u00DF", "\u0390", "\u0587", "\u01F0",
                                             "\u0149", "\u0654", "\u200C", "\u2019", "\u2026", "\uFEFB", "\uFDFA",
                                             "\u4E2D", "\U0001F600", std::string("\0", 1)};
  std::mt19937 rng(8);
  std::size_t failures = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string s = random_text(alphabet, rng, 40);
    if (match_key(s) != match_key_icu(s) && ++failures <= 5) {
      ADD_FAILURE() << "fast != ICU: " << s << "\nfast: " << match_key(s) << "\nicu:  " << match_key_icu(s);
    }
  }
  EXPECT_EQ(failures, 0U);
}

// Validation is fused into the fast path: invalid bytes anywhere (in a block, at its end, in the
// last bytes) give the key of the repaired text, and never invalid UTF-8.
TEST(MatchKeyProperty, InvalidUtf8AnywhereIsRepaired) {
  const std::vector<std::string> alphabet = {"a", " ", "\u0628", "\u0627", "\u2026", "\U0001F600", "\xFF", "\x80", "\xC0\xAF",
                                             "\xC2", "\xD8", "\xE0\x80", "\xED\xA0\x80", "\xF0\x90", "\xF4\x90\x80\x80", "\xF5"};
  std::mt19937 rng(9);
  std::size_t failures = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string s = random_text(alphabet, rng, 30);
    std::string key = match_key(s);
    std::string repaired = repair_utf8(s).text;
    if ((key != match_key(repaired) || key != match_key_icu(repaired) || !is_valid_utf8(key)) && ++failures <= 5) {
      ADD_FAILURE() << "invalid input: " << s << "\nkey: " << key << "\nrepaired key: " << match_key(repaired);
    }
  }
  EXPECT_EQ(failures, 0U);
}

// key_and_profile (one pass, 64-byte blocks where the CPU has AVX-512 VBMI2) against the two
// functions it stands for: match_key (itself checked against ICU above) and profile (the scalar
// reference: decode, classify, count).
bool same_profile(const CharProfile& a, const CharProfile& b) {
  return a.code_points == b.code_points && a.letters == b.letters && a.arabic_letters == b.arabic_letters &&
         a.latin_letters == b.latin_letters && a.digits == b.digits && a.punctuation == b.punctuation &&
         a.symbols == b.symbols && a.spaces == b.spaces && a.words == b.words && a.last == b.last && a.first == b.first;
}

std::size_t check_key_and_profile(const std::string& s, std::size_t failures) {
  KeyAndProfile f = key_and_profile(s);
  CharProfile want = profile(s);
  if (f.key != match_key(s) || !same_profile(f.profile, want)) {
    if (++failures <= 5) {
      ADD_FAILURE() << "key_and_profile differs for\n"
                    << s << "\nkey: " << f.key << "\nmatch_key: " << match_key(s) << "\nwords " << f.profile.words << " vs "
                    << want.words << ", code points " << f.profile.code_points << " vs " << want.code_points;
    }
  }
  return failures;
}

TEST(KeyAndProfile, EqualsTheTwoFunctionsOnParagraphs) {
  auto paragraphs = testing::raw_paragraphs();
  auto dataset = testing::dataset_paragraphs();
  paragraphs.insert(paragraphs.end(), dataset.begin(), dataset.end());
  ASSERT_FALSE(paragraphs.empty());
  std::size_t failures = 0;
  for (const auto& t : paragraphs) {
    failures = check_key_and_profile(t, failures);
    failures = check_key_and_profile(normalize(t), failures);  // what blocks hold
  }
  EXPECT_EQ(failures, 0U);
}

// Every code point below U+3000 and of the presentation forms, alone and inside Arabic text at
// offsets that put it at the start, the middle and the end of a 64-byte block and across one.
TEST(KeyAndProfile, EveryCodePointInContext) {
  const std::string context =
      "\u0641\u064A \u0627\u0644\u0631\u064A\u0627\u0636 \u00AB\u0627\u0644\u0642\u0645\u0629\u00BB 2015 "
      "\u0629\u0649\u0623\u064E AbC, ";
  const std::string long_context = context + context + context;
  std::size_t failures = 0;
  for (char32_t c = 0; c < 0x10000; ++c) {
    if ((c >= 0xD800 && c <= 0xDFFF) || (c >= 0x3000 && c < 0xFB00)) {
      continue;
    }
    std::string one;
    append_utf8(one, c);
    failures = check_key_and_profile(one, failures);
    for (std::size_t offset : {0, 1, 62, 63, 64, 65}) {
      std::string s = repair_utf8(long_context.substr(0, offset)).text + one + long_context + one + " x";
      failures = check_key_and_profile(s, failures);
    }
  }
  EXPECT_EQ(failures, 0U);
}

// Long strings of mostly Arabic and ASCII (so that most 64-byte blocks qualify), with the pieces
// that make a block go the scalar way (three- and four-byte sequences, code points needing ICU,
// invalid bytes, a lead byte at a block's end) and those whose profile depends on the code point
// before (marks, separators after dropped code points, NUL first, unspaced scripts).
TEST(KeyAndProfile, EqualsTheTwoFunctionsOnGeneratedText) {
  const std::vector<std::string> common = {" ", "\u0627", "\u0644", "\u0645", "\u0628", "\u0629", "\u064E",
                                           "\u0651", "\u0623", "\u060C", "a", "."};
  const std::vector<std::string> rare = {"  ",       "\t",       std::string("\0", 1), "Z",        "7",        "-",
                                         "\u0640",   "\u0649",   "\u0653",            "\u0654",   "\u0660",   "\u06F5",
                                         "\u06D6",   "\u06CC",   "\u061F",            "\u00AB",   "\u00BB",   "\u00A0",
                                         "\u00AD",   "\u00B2",   "\u00BD",            "\u00E9",   "\u0130",   "\u00DF",
                                         "\u05D0",   "\u0301",   "\u200C",            "\u2026",   "\uFEFB",   "\uFDFA",
                                         "\u4E2D",   "\u0E01",   "\U0001F600",        "\xFF",     "\x80",     "\xC2",
                                         "\xD8",     "\xE0\x80", "\xED\xA0\x80",       "\xF0\x90"};
  std::mt19937 rng(13);
  std::size_t failures = 0;
  for (int i = 0; i < 100000; ++i) {
    std::size_t n = rng() % 200;
    unsigned rare_in = 2 + rng() % 60;  // one piece in rare_in is rare
    std::string s;
    for (std::size_t k = 0; k < n; ++k) {
      s += rng() % rare_in == 0 ? rare[rng() % rare.size()] : common[rng() % common.size()];
    }
    failures = check_key_and_profile(s, failures);
  }
  EXPECT_EQ(failures, 0U);
}

// short_sequences against decoding byte by byte: where it accepts eight bytes, its starts are
// exactly where the code points start; it rejects every block holding anything else.
TEST(ShortSequences, AgreesWithSequentialDecoding) {
  std::mt19937 rng(10);
  const std::vector<std::string> good = {"a", " ", "\u00E9", "\u0628", "\u07FF"};
  const std::vector<std::string> bad = {"\u0800", "\u2026", "\U0001F600", "\xFF", "\x80", "\xC1\xBF", "\xC2", "\xDF"};
  std::uniform_int_distribution<std::size_t> pick_good(0, good.size() - 1);
  std::uniform_int_distribution<std::size_t> pick_bad(0, bad.size() - 1);
  std::uniform_int_distribution<int> percent(0, 99);
  std::size_t accepted = 0;
  for (int i = 0; i < 50000; ++i) {
    std::string s;
    while (s.size() < 9) {
      s += percent(rng) < 4 ? bad[pick_bad(rng)] : good[pick_good(rng)];
    }
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    ShortSequences got = short_sequences(p);
    // Byte by byte: one- and two-byte sequences, well formed, over p[0..7] (the last may take p[8]).
    std::uint64_t starts = 0;
    std::size_t k = 0;
    bool ok = true;
    while (k < 8 && ok) {
      unsigned char c = p[k];
      starts |= std::uint64_t{0x80} << (8 * k);
      if (c < 0x80) {
        k += 1;
      } else if (c >= 0xC2 && c <= 0xDF && (p[k + 1] & 0xC0) == 0x80) {
        k += 2;
      } else {
        ok = false;
      }
    }
    if (!ok) {
      EXPECT_EQ(got.length, 0U) << s;
      continue;
    }
    ++accepted;
    EXPECT_EQ(got.length, k) << s;
    EXPECT_EQ(got.starts, starts) << s;
  }
  EXPECT_GT(accepted, 10000U);
}

// scan_controls' vectorised blocks against the byte-by-byte definition, at every length and cap.
TEST(ScanControls, CountsEveryControlByte) {
  std::mt19937 rng(12);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> low(0, 40);
  for (int i = 0; i < 2000; ++i) {
    std::string s(static_cast<std::size_t>(i % 300), '\0');
    for (auto& c : s) {
      c = static_cast<char>(i % 2 == 0 ? byte(rng) : low(rng));
    }
    for (std::size_t cap : {std::size_t{0}, std::size_t{1}, std::size_t{63}, std::size_t{64}, std::size_t{130}, std::size_t{8192}}) {
      ControlScan want;
      want.sampled = std::min(cap, s.size());
      for (std::size_t k = 0; k < want.sampled; ++k) {
        auto c = static_cast<unsigned char>(s[k]);
        if (c == 0) {
          ++want.nuls;
        } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b) {
          ++want.controls;
        }
      }
      ControlScan got = scan_controls(s, cap);
      ASSERT_EQ(got.sampled, want.sampled);
      ASSERT_EQ(got.nuls, want.nuls) << i << " " << cap;
      ASSERT_EQ(got.controls, want.controls) << i << " " << cap;
    }
  }
}

}  // namespace
}  // namespace decruft::text

// A key can be much longer than its text: U+FDFA (3 bytes) folds to 18 bytes of key; the fast
// path's buffer must grow, never overflow.
TEST(MatchKey, LongExpansionGrowsTheBuffer) {
  std::string many;
  for (int i = 0; i < 500; ++i) {
    many += "\uFDFA";
  }
  std::string key = decruft::text::match_key(many);
  EXPECT_EQ(key, decruft::text::match_key_icu(many));
  EXPECT_GT(key.size(), 5 * many.size());
}

// Words in scripts written without spaces: one per two characters, so a Chinese paragraph is
// prose and a two-character menu item is one word.
TEST(CharProfile, UnspacedScriptsCountWords) {
  using decruft::text::profile;
  EXPECT_EQ(profile("相簿").words, 1U);
  EXPECT_EQ(profile("这是一个很长的中文句子没有空格").words, 8U);  // 15 characters
  EXPECT_EQ(profile("القمة العربية في الرياض").words, 4U);
  EXPECT_EQ(profile("Smart bracelet protects aid workers").words, 5U);
  EXPECT_EQ(profile("新竹 尖石").words, 2U);
}

// Latin-1 punctuation, Greek and accented Latin take the table for U+0000-07FF.
TEST(CharProfile, TwoByteScripts) {
  decruft::text::CharProfile p = decruft::text::profile("\u00AB\u0395\u03BB\u03BB\u03AC\u03B4\u03B1\u00BB caf\u00E9");
  EXPECT_EQ(p.code_points, 13U);
  EXPECT_EQ(p.letters, 10U);
  EXPECT_EQ(p.latin_letters, 4U);
  EXPECT_EQ(p.arabic_letters, 0U);
  EXPECT_EQ(p.punctuation, 2U);
  EXPECT_EQ(p.spaces, 1U);
  EXPECT_EQ(p.words, 2U);
  EXPECT_EQ(p.first, U'\u00AB');
  EXPECT_EQ(p.last, U'\u00E9');
}
