#include "text/normalize.h"

#include <gtest/gtest.h>
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/document.h"
#include "core/reasons.h"
#include "core/step.h"
#include "text/utf8.h"
#include "text_corpus.h"

namespace decruft::text {
namespace {

NormalizeOptions all_off() {
  NormalizeOptions o;
  o.nfc = false;
  o.fold_presentation_forms = false;
  o.strip_invisible = false;
  o.strip_tatweel = false;
  o.collapse_spaces = false;
  o.fix_punct_spacing = false;
  return o;
}

struct EdgeCase {
  const char* name;
  std::string input;
  std::string expected;
};

// The edge table (STYLE.md 28): default options.
const std::vector<EdgeCase>& edge_cases() {
  static const std::vector<EdgeCase> cases = {
      {"empty", "", ""},
      {"spaces_only", " \t \n  ", ""},
      {"unicode_spaces_only", "\u00A0\u2009\u3000\u2028", ""},
      {"nbsp_and_thin_spaces", "a\u00A0\u2009\u202F\u205Fb", "a b"},
      {"tabs_newlines", "سطر\tأول\r\nسطر  ثان", "سطر أول سطر ثان"},
      {"trim", "   مرحبا   بكم  ", "مرحبا بكم"},
      {"bom_leading", "\uFEFFhello", "hello"},
      {"bom_inside", "he\uFEFFllo", "hello"},
      {"repaired_utf8_replacement_kept", "a\uFFFDb", "a\uFFFDb"},
      {"combining_acute_composes", "cafe\u0301", "caf\u00E9"},
      {"arabic_marks_canonical_order", "\u0628\u0651\u064E", "\u0628\u064E\u0651"},
      {"alef_madda_composes", "\u0627\u0653", "\u0622"},
      {"alef_hamza_composes", "\u0627\u0654\u0645\u0631", "\u0623\u0645\u0631"},
      {"lam_alef_ligature_two_letters", "\uFEFB \uFEFC", "\u0644\u0627 \u0644\u0627"},
      {"lam_alef_hamza_ligature", "\uFEF7", "\u0644\u0623"},
      {"presentation_letters", "\uFE8D\uFEDF\uFEE4\uFEAE\uFE8E", "\u0627\u0644\u0645\u0631\u0627"},
      {"allah_ligature", "\uFDF2", "\u0627\u0644\u0644\u0647"},
      {"persian_presentation_form", "\uFB8A", "\u0698"},
      {"folded_alef_then_hamza_composes", "\uFE8D\u0654", "\u0623"},
      {"bidi_marks", "\u200F\u0645\u0631\u062D\u0628\u0627\u200E", "\u0645\u0631\u062D\u0628\u0627"},
      {"bidi_embedding", "\u202B\u0646\u0635\u202C \u2067x\u2069", "\u0646\u0635 x"},
      {"arabic_letter_mark", "\u061C\u0628", "\u0628"},
      {"zwsp", "a\u200Bb", "ab"},
      {"soft_hyphen", "co\u00ADoperate", "cooperate"},
      {"zwnj_inside_persian_word_kept", "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645",
       "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645"},
      {"zwnj_at_edges_removed", "\u200C\u0643\u0644\u0645\u0629\u200C \u200Cx", "\u0643\u0644\u0645\u0629 x"},
      {"zwnj_doubled_one_left", "\u0628\u200C\u200C\u0628", "\u0628\u200C\u0628"},
      {"zwj_removed_between_letters", "\u0628\u200D\u0628", "\u0628\u0628"},
      {"zwj_kept_in_emoji_sequence", "\U0001F468\u200D\U0001F469\u200D\U0001F467",
       "\U0001F468\u200D\U0001F469\u200D\U0001F467"},
      {"tatweel_kept_by_default", "\u0645\u0640\u0640\u0631\u062D\u0628\u0627",
       "\u0645\u0640\u0640\u0631\u062D\u0628\u0627"},
      {"nul_removed", std::string("a\0b", 3), "ab"},
      {"control_codes_removed",
       "a\x01\x1B\x7F"
       "b\u0085c",
       "ab c"},
      {"mixed_arabic_latin_punct_space",
       "\u0627\u0644\u0635\u064A\u0646\u064A\u0629\u060Cstartup \u0631\u0627\u0626\u062F\u0629",
       "\u0627\u0644\u0635\u064A\u0646\u064A\u0629\u060C startup \u0631\u0627\u0626\u062F\u0629"},
      {"arabic_comma_in_number_kept", "3\u060C5 \u0663\u060C\u0665", "3\u060C5 \u0663\u060C\u0665"},
      {"arabic_comma_before_digit_after_word", "\u0639\u0627\u0645\u060C2022", "\u0639\u0627\u0645\u060C 2022"},
      {"arabic_semicolon_and_question",
       "\u0642\u0627\u0644\u061B\u0646\u0639\u0645 \u0645\u0627\u0630\u0627\u061F\u0644\u0645\u0627\u0630\u0627",
       "\u0642\u0627\u0644\u061B \u0646\u0639\u0645 \u0645\u0627\u0630\u0627\u061F \u0644\u0645\u0627\u0630\u0627"},
      {"arabic_comma_before_guillemet", "\u0642\u0627\u0644\u060C\u00AB\u0646\u0639\u0645\u00BB",
       "\u0642\u0627\u0644\u060C \u00AB\u0646\u0639\u0645\u00BB"},
      {"arabic_comma_space_already", "\u0642\u0627\u0644\u060C  \u0646\u0639\u0645",
       "\u0642\u0627\u0644\u060C \u0646\u0639\u0645"},
      {"arabic_comma_at_end", "\u0642\u0627\u0644\u060C", "\u0642\u0627\u0644\u060C"},
      {"arabic_comma_then_invisible_then_word", "\u0642\u0627\u0644\u060C\u200Fx", "\u0642\u0627\u0644\u060C x"},
      {"latin_untouched", "Hello, World! 30.89", "Hello, World! 30.89"},
  };
  return cases;
}

TEST(Normalize, EdgeTable) {
  for (const auto& c : edge_cases()) {
    EXPECT_EQ(normalize(c.input), c.expected) << c.name;
    EXPECT_EQ(normalize(c.expected), c.expected) << c.name << " (expected output is a fixed point)";
  }
}

TEST(Normalize, InvalidUtf8IsRepairedNotPassedThrough) {
  std::string bad = "a\xFF\xC3 b\xE2\x82";
  std::string out = normalize(bad);
  EXPECT_TRUE(is_valid_utf8(out));
  EXPECT_EQ(out, normalize(repair_utf8(bad).text));
  EXPECT_EQ(out, "a\uFFFD\uFFFD b\uFFFD");
}

TEST(Normalize, EachRuleSwitchesOff) {
  NormalizeOptions o;
  o.nfc = false;
  EXPECT_EQ(normalize("cafe\u0301", o), "cafe\u0301");
  o = {};
  o.fold_presentation_forms = false;
  EXPECT_EQ(normalize("\uFEFB", o), "\uFEFB");
  o = {};
  o.strip_invisible = false;
  EXPECT_EQ(normalize("\u200Fa\u200Bb", o), "\u200Fa\u200Bb");
  EXPECT_EQ(normalize(std::string("a\0b", 3), o), std::string("a\0b", 3));
  o = {};
  o.strip_tatweel = true;
  EXPECT_EQ(normalize("\u0645\u0640\u0640\u0631", o), "\u0645\u0631");
  o = {};
  o.collapse_spaces = false;
  EXPECT_EQ(normalize("  a \u00A0 b ", o), "  a \u00A0 b ");
  o = {};
  o.fix_punct_spacing = false;
  EXPECT_EQ(normalize("\u0642\u0627\u0644\u060Cx", o), "\u0642\u0627\u0644\u060Cx");
  // Everything off: the identity on valid UTF-8.
  std::string mixed = " \uFEFB\u200F\u0640 a\u00A0\u060Cb cafe\u0301 ";
  EXPECT_EQ(normalize(mixed, all_off()), mixed);
}

TEST(Normalize, VeryLongLine) {
  // 1 MB of Arabic with doubled spaces, NBSP and presentation forms, in one line.
  std::string piece = "\u0623\u062D\u062F\u062B\u062A  \u0634\u0631\u0643\u0629\u00A0\uFEFB\u060C\u062F\u064A\u0628 ";
  std::string expected_piece =
      "\u0623\u062D\u062F\u062B\u062A \u0634\u0631\u0643\u0629 \u0644\u0627\u060C \u062F\u064A\u0628";
  std::string input;
  std::string expected;
  while (input.size() < (std::size_t{1} << 20)) {
    input += piece;
    expected += expected.empty() ? "" : " ";
    expected += expected_piece;
  }
  std::string out = normalize(input);
  EXPECT_EQ(out.size(), expected.size());
  EXPECT_TRUE(out == expected);
  EXPECT_TRUE(normalize(out) == out);
}

TEST(Normalize, HasLetterOrDigit) {
  EXPECT_FALSE(has_letter_or_digit(""));
  EXPECT_FALSE(has_letter_or_digit(" \u2022 -- | \u00BB\u00AB \u061F"));
  EXPECT_FALSE(has_letter_or_digit("\U0001F600\u064E"));
  EXPECT_TRUE(has_letter_or_digit("\u0661"));
  EXPECT_TRUE(has_letter_or_digit("-- a"));
  EXPECT_TRUE(has_letter_or_digit("\u0628"));
}

// has_letter_or_digit answers from the class table for the BMP: the same as ICU's u_isalnum for
// every code point, alone and after ASCII punctuation.
TEST(Normalize, HasLetterOrDigitMatchesIcuForEveryCodePoint) {
  std::size_t failures = 0;
  for (char32_t c = 1; c < 0x110000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) {
      continue;
    }
    std::string s = "-";
    append_utf8(s, c);
    const bool expected = u_isalnum(static_cast<UChar32>(c)) != 0;
    if (has_letter_or_digit(s) != expected && ++failures <= 5) {
      ADD_FAILURE() << "U+" << std::hex << static_cast<unsigned>(c);
    }
  }
  EXPECT_EQ(failures, 0U);
}

TEST(Normalize, ClassTablesMatchIcuForEveryCodePoint) {
  EXPECT_TRUE(class_tables_match_icu());
}

TEST(NormalizeStep, NormalisesAndDropsEmptyBlocksWithReason) {
  Document doc;
  doc.title = "\u200F\u00AB\u062F\u064A\u0628  \u0633\u064A\u0643\u00BB";
  for (const char* t : {"  \u0646\u0635   \u0639\u0627\u062F\u064A ", "\u2022\u2022\u2022", "\u200F\u200E",
                        "\u0661\u0662", "---", "\uFEFB"}) {
    Block b;
    b.text = t;
    doc.blocks.push_back(b);
  }
  doc.blocks[5].drop = Drop{"nav", "nav", ""};  // already dropped: left alone
  auto step = make_normalize_step();
  EXPECT_EQ(step->name(), "normalize");
  step->process(doc);
  EXPECT_EQ(doc.title, "\u00AB\u062F\u064A\u0628 \u0633\u064A\u0643\u00BB");
  EXPECT_TRUE(doc.blocks[0].kept());
  EXPECT_EQ(doc.blocks[0].text, "\u0646\u0635 \u0639\u0627\u062F\u064A");
  for (std::size_t i : {1U, 2U, 4U}) {
    ASSERT_FALSE(doc.blocks[i].kept()) << i;
    EXPECT_EQ(doc.blocks[i].drop->reason, reason::k_empty_block) << i;
    EXPECT_EQ(doc.blocks[i].drop->step, "normalize") << i;
    EXPECT_FALSE(doc.blocks[i].drop->evidence.empty()) << i;
  }
  EXPECT_EQ(doc.blocks[1].text, "\u2022\u2022\u2022");  // the original text stays for the report
  EXPECT_TRUE(doc.blocks[3].kept());
  EXPECT_EQ(doc.blocks[5].drop->reason, "nav");
  EXPECT_EQ(doc.blocks[5].text, "\uFEFB");
  EXPECT_TRUE(is_known_reason(reason::k_empty_block));
}

// Property: idempotent, valid UTF-8, no space runs or edge spaces; over real paragraphs.
void check_properties(const std::vector<std::string>& paragraphs, const NormalizeOptions& o, const char* what) {
  std::size_t failures = 0;
  for (const auto& p : paragraphs) {
    std::string once = normalize(p, o);
    std::string twice = normalize(once, o);
    bool ok = once == twice && is_valid_utf8(once);
    // The quick check agrees with the full pass: never "normalized" for a text the pass changes,
    // and "normalized" for every normal form except around kept joiners (ZWNJ/ZWJ), which it
    // leaves to the full pass.
    bool joiner = once.find("\u200C") != std::string::npos || once.find("\u200D") != std::string::npos;
    if ((is_normalized(p, o) && once != p) || (!joiner && !is_normalized(once, o))) {
      if (++failures <= 5) {
        ADD_FAILURE() << what << ": is_normalized disagrees with normalize (" << is_normalized(p, o) << " "
                      << is_normalized(once, o) << ") for:\n" << p << "\nonce:  " << once;
      }
      continue;
    }
    if (o.collapse_spaces) {
      ok = ok && once.find("  ") == std::string::npos && (once.empty() || (once.front() != ' ' && once.back() != ' '));
    }
    if (!ok && ++failures <= 5) {
      ADD_FAILURE() << what << ": not idempotent or not clean for:\n"
                    << p << "\nonce:  " << once << "\ntwice: " << twice;
    }
  }
  EXPECT_EQ(failures, 0U) << what;
}

std::vector<NormalizeOptions> option_sets() {
  NormalizeOptions tatweel;
  tatweel.strip_tatweel = true;
  NormalizeOptions no_nfc;
  no_nfc.nfc = false;
  return {NormalizeOptions{}, tatweel, no_nfc, all_off()};
}

TEST(NormalizeProperty, IdempotentOnRawParagraphs) {
  auto paragraphs = testing::raw_paragraphs();
  ASSERT_FALSE(paragraphs.empty());
  for (const auto& o : option_sets()) {
    check_properties(paragraphs, o, "raw/");
  }
}

TEST(NormalizeProperty, IdempotentOnDatasetParagraphs) {
  auto paragraphs = testing::dataset_paragraphs();
  if (paragraphs.empty()) {
    GTEST_SKIP() << "development data set not present: " << testing::dataset_path();
  }
  check_properties(paragraphs, NormalizeOptions{}, "dataset");
  NormalizeOptions tatweel;
  tatweel.strip_tatweel = true;
  check_properties(paragraphs, tatweel, "dataset (strip_tatweel)");
}

// Property: idempotent on random strings over an alphabet of the characters the rules act on.
TEST(NormalizeProperty, IdempotentOnRandomTrickyText) {
  const std::vector<std::string> alphabet = {" ",
                                             "  ",
                                             "\u00A0",
                                             "\t",
                                             "\u2009",
                                             "\u200B",
                                             "\u200C",
                                             "\u200D",
                                             "\u200E",
                                             "\u200F",
                                             "\u202B",
                                             "\u2069",
                                             "\uFEFF",
                                             "\u061C",
                                             "\u0640",
                                             "\u060C",
                                             "\u061B",
                                             "\u061F",
                                             "\u0627",
                                             "\u0628",
                                             "\u0644",
                                             "\u064E",
                                             "\u0651",
                                             "\u0653",
                                             "\u0654",
                                             "\u0655",
                                             "\u0670",
                                             "\uFEFB",
                                             "\uFEF7",
                                             "\uFE8D",
                                             "\uFE70",
                                             "\uFE77",
                                             "\uFC5E",
                                             "\uFDF2",
                                             "\uFDFA",
                                             "a",
                                             "E",
                                             "\u0301",
                                             "3",
                                             "\u0663",
                                             "\u00AB",
                                             "(",
                                             ".",
                                             "\U0001F468",
                                             "\U0001F3FB",
                                             "\uFE0F",
                                             std::string("\0", 1),
                                             "\x01",
                                             "\u0085",
                                             "\u2028",
                                             "\u00AD",
                                             "\u06CC",
                                             "\u0301\u0327"};
  std::mt19937 rng(20240601);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> length(0, 12);
  std::vector<std::string> samples;
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    int n = length(rng);
    for (int k = 0; k < n; ++k) {
      s += alphabet[pick(rng)];
    }
    samples.push_back(std::move(s));
  }
  for (const auto& o : option_sets()) {
    check_properties(samples, o, "random");
  }
  NormalizeOptions no_fold;
  no_fold.fold_presentation_forms = false;
  no_fold.strip_tatweel = true;
  check_properties(samples, no_fold, "random (no fold, strip tatweel)");
}

// What is_normalized promises: normalize() would return the text unchanged; with strip_invisible
// a kept ZWNJ/ZWJ is left to the full pass (the quick check says "no").
bool expected_normalized(const std::string& s, const NormalizeOptions& o) {
  bool joiner = s.find("\u200C") != std::string::npos || s.find("\u200D") != std::string::npos;
  return normalize(s, o) == s && !(o.strip_invisible && joiner);
}

NormalizeOptions options_from_bits(unsigned bits) {
  NormalizeOptions o;
  o.nfc = (bits & 1U) != 0;
  o.fold_presentation_forms = (bits & 2U) != 0;
  o.strip_invisible = (bits & 4U) != 0;
  o.strip_tatweel = (bits & 8U) != 0;
  o.collapse_spaces = (bits & 16U) != 0;
  o.fix_punct_spacing = (bits & 32U) != 0;
  return o;
}

// Long plain text (Arabic letters, ASCII, single spaces) goes through a 16-, 32- or 64-bytes-at-a-time
// path (SSE2, AVX2 or AVX-512BW, whichever the CPU running the test has);
// short text (under 20 bytes) never does. So a short piece M normalised alone is the reference for
// the same piece inside long text, between spaces: normalize(P + M + S) == P + normalize(M) + S.
// Every code point up to U+07FF (all of Arabic and the 2-byte sequences the fast path decodes)
// and the tricky ones above, next to letters, marks, spaces, punctuation and digits, at several
// byte offsets.
TEST(NormalizeFastPath, MatchesShortTextForEveryCodePoint) {
  std::vector<char32_t> code_points;
  for (char32_t c = 1; c < 0x800; ++c) {
    code_points.push_back(c);
  }
  for (char32_t c :
       {0x0U,    0x180EU, 0x200BU, 0x200CU, 0x200DU, 0x200EU, 0x200FU, 0x2028U, 0x2029U,  0x202AU,  0x202EU,
        0x2060U, 0x2066U, 0x206FU, 0x2009U, 0x3000U, 0x2013U, 0x201CU, 0x2022U, 0xFB50U,  0xFB8AU,  0xFDF2U,
        0xFDFAU, 0xFE70U, 0xFE8DU, 0xFEF7U, 0xFEFBU, 0xFEFFU, 0xFE0FU, 0xFFFDU, 0x1F468U, 0x1F3FBU, 0x1D15EU}) {
    code_points.push_back(c);
  }
  // Marks of low (fatha 30, shadda 33) and high (U+0610 230) combining class: NFC reorders them.
  const std::vector<std::string> sides = {"",       "\u0628", "\u0627\u064B", "\u064E", "\u0651",
                                          "\u0610", " ",      "\u060C",       "1",      "\u0640"};
  const std::string plain = "\u0627\u0644\u0635\u064A\u0646\u064A\u0629 \u0627\u0644\u0643\u0628\u0631\u0649 text";
  std::vector<NormalizeOptions> sets = {NormalizeOptions{}, all_off(), options_from_bits(63)};
  NormalizeOptions no_collapse;
  no_collapse.collapse_spaces = false;
  sets.push_back(no_collapse);
  std::size_t failures = 0;
  for (char32_t c : code_points) {
    for (const auto& left : sides) {
      for (const auto& right : sides) {
        std::string middle = left;
        append_utf8(middle, c);
        middle += right;
        for (std::size_t shift = 0; shift < 2; ++shift) {
          std::string prefix = std::string(shift, 'x') + plain + " ";
          std::string suffix = " " + plain + plain;
          std::string text = prefix + middle + suffix;
          for (const auto& o : sets) {
            // A space stops every rule and NFC (it composes with nothing), so the piece is
            // normalised exactly as it is alone; the spaces around collapse when it vanishes.
            std::string alone = normalize(middle, o);
            std::string expected;
            if (o.collapse_spaces) {
              expected = alone.empty() ? prefix + suffix.substr(1) : prefix + alone + suffix;
            } else {
              expected = prefix + alone + suffix;
            }
            bool ok = normalize(text, o) == expected && is_normalized(text, o) == expected_normalized(text, o);
            if (!ok && ++failures <= 5) {
              ADD_FAILURE() << "U+" << std::hex << static_cast<unsigned>(c) << std::dec << " left \"" << left
                            << "\" right \"" << right << "\" shift " << shift << ":\n"
                            << normalize(text, o) << "\nexpected\n"
                            << expected;
            }
          }
        }
      }
    }
  }
  EXPECT_EQ(failures, 0U);
}

// The quick check agrees with the full pass, under every combination of options, on long text
// mixing plain runs with the characters the rules act on (so that runs start and stop at every
// byte offset of the 16-, 32- and 64-byte blocks).
TEST(NormalizeFastPath, QuickCheckAgreesWithFullPassOnLongText) {
  const std::vector<std::string> plain = {"\u0627\u0644\u0635\u064A\u0646",
                                          "\u0643\u0628\u064A\u0631\u0629",
                                          "\u0634\u0643\u0631\u0627\u064B",
                                          "word",
                                          "x",
                                          "12",
                                          "\u0661\u0662",
                                          "\u00AB\u0646\u0639\u0645\u00BB",
                                          "\u060C ",
                                          "(a)"};
  const std::vector<std::string> tricky = {" ",          "  ",     "\u00A0",
                                           "\t",         "\u2009", "\u200B",
                                           "\u200C",     "\u200D", "\u200F",
                                           "\uFEFF",     "\u0640", "\u060C",
                                           "\u061B",     "\u061F", "\u064E",
                                           "\u0651",     "\u0653", "\u0654",
                                           "\u0670",     "\u0610", "\u06D6",
                                           "\uFEFB",     "\uFDF2", "\uFE8D",
                                           "\u0301",     "\u00E9", "\u0663",
                                           "\u00AB",     "(",      "[",
                                           "\U0001F468", "\uFE0F", std::string("\0", 1),
                                           "\x01",       "\x7F",   "\u0085",
                                           "\u00AD",     "\u06CC", "\u2013",
                                           "\u4E2D"};
  std::mt19937 rng(20240602);
  std::size_t failures = 0;
  for (int i = 0; i < 4000; ++i) {
    std::string s;
    std::size_t tokens = rng() % 40;
    std::uint32_t density = 1 + rng() % 16;
    for (std::size_t k = 0; k < tokens; ++k) {
      if (rng() % density == 0) {
        s += tricky[rng() % tricky.size()];
      } else {
        s += plain[rng() % plain.size()];
        if (rng() % 3 != 0) {
          s += " ";
        }
      }
    }
    for (unsigned bits = i % 2; bits < 64; bits += 2) {
      NormalizeOptions o = options_from_bits(bits);
      std::string once = normalize(s, o);
      bool ok = is_normalized(s, o) == expected_normalized(s, o) && normalize(once, o) == once;
      if (!ok && ++failures <= 5) {
        ADD_FAILURE() << "options " << bits << ": " << s << "\nonce: " << once;
      }
    }
  }
  EXPECT_EQ(failures, 0U);
}

// ICU's own NFC of `s`, the oracle of the mark-order tests.
std::string icu_nfc(const std::string& s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  EXPECT_TRUE(U_SUCCESS(status));
  std::string out;
  icu::StringByteSink<std::string> sink(&out);
  nfc->normalizeUTF8(0, icu::StringPiece(s.data(), static_cast<std::int32_t>(s.size())), sink, nullptr, status);
  return out;
}

// NFC without ICU for text whose code points all have NFC_Quick_Check=Yes (the marks only
// reordered, see Normalizer::order_marks): equal to ICU's NFC on runs of marks of every order
// after plain, precomposed (one and two marks) and Hangul letters, and with a Maybe code point
// (U+0654, U+0301) mixed in, which sends the text to ICU.
TEST(NormalizeFastPath, MarkOrderMatchesIcuNfc) {
  const std::vector<std::string> bases = {"\u0627", "\u0628", "\u0623", "\u0625", "\u0622", "\u0626", "e",
                                          "\u00E9", "\u1EC7", "\u01D6", "\uAC00", "\u05D0", "\u0E01", " "};
  // Classes 1 (U+0334), 10-35 (Hebrew, Arabic harakat, U+0670), 103 (Thai), 220, 230; all Yes.
  const std::vector<std::string> marks = {"\u064B", "\u064C", "\u064E", "\u064F", "\u0650", "\u0651",
                                          "\u0652", "\u0670", "\u0610", "\u06E3", "\u05B0", "\u05BC",
                                          "\u0E38", "\u0316", "\u0334", "\u0315", "\u0300\u0316"};
  const std::vector<std::string> maybe = {"\u0654", "\u0301", "\u0655"};
  NormalizeOptions only_nfc = all_off();
  only_nfc.nfc = true;
  std::mt19937 rng(20261130);
  std::size_t failures = 0;
  std::size_t reordered = 0;
  for (int i = 0; i < 50000; ++i) {
    std::string s;
    const int letters = 1 + static_cast<int>(rng() % 6);
    for (int k = 0; k < letters; ++k) {
      s += bases[rng() % bases.size()];
      for (std::uint32_t m = rng() % 5; m > 0; --m) {
        s += rng() % 40 == 0 ? maybe[rng() % maybe.size()] : marks[rng() % marks.size()];
      }
    }
    if (s.front() == ' ' || s.back() == ' ') {
      continue;  // spaces at the ends are trimmed by normalize() even with every rule off
    }
    const std::string expected = icu_nfc(s);
    reordered += expected != s ? 1 : 0;
    const bool ok = normalize(s, only_nfc) == expected && normalize(s, NormalizeOptions{}) == normalize(expected, NormalizeOptions{}) &&
                    is_normalized(s, only_nfc) == (expected == s);
    if (!ok && ++failures <= 5) {
      ADD_FAILURE() << s << "\nnormalize: " << normalize(s, only_nfc) << "\nICU NFC:   " << expected;
    }
  }
  EXPECT_EQ(failures, 0U);
  EXPECT_GT(reordered, 10000U);  // the samples do exercise the reordering
}

// Marks are reordered only from the run of the first misordered mark to the run of the last one
// (Normalizer::order_marks): long text with many runs of marks, in order and not, of one to four
// marks, between words and at both ends, agrees with ICU's NFC.
TEST(NormalizeFastPath, MarkOrderInLongTextMatchesIcuNfc) {
  const std::vector<std::string> words = {"\u0627\u0644\u0635\u064A\u0646", "\u0643\u0628\u064A\u0631", "word", "12",
                                          "\u00AB\u0646\u0639\u0645\u00BB", "\u060C"};
  const std::vector<std::string> letters = {"\u0628", "\u0645", "\u0627", "\u0644"};
  // Fathatan 27, fatha 30, damma 31, kasra 32, shadda 33, sukun 34, U+0670 35, U+06E3 220, U+0610 230.
  const std::vector<std::string> marks = {"\u064B", "\u064E", "\u064F", "\u0650", "\u0651",
                                          "\u0652", "\u0670", "\u06E3", "\u0610"};
  NormalizeOptions only_nfc = all_off();
  only_nfc.nfc = true;
  std::mt19937 rng(20261201);
  std::size_t failures = 0;
  std::size_t several = 0;  // texts with more than one misordered run
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    std::size_t misordered = 0;
    const std::size_t pieces = 1 + rng() % 30;
    for (std::size_t k = 0; k < pieces; ++k) {
      if (k > 0) {
        s += " ";
      }
      if (rng() % 3 == 0) {
        s += words[rng() % words.size()];
        continue;
      }
      s += letters[rng() % letters.size()];
      std::string run;
      for (std::uint32_t m = 1 + rng() % 4; m > 0; --m) {
        run += marks[rng() % marks.size()];
      }
      misordered += icu_nfc(letters[0] + run) != letters[0] + run ? 1 : 0;
      s += run;
      if (rng() % 2 == 0) {
        s += words[rng() % words.size()];
      }
    }
    several += misordered > 1 ? 1 : 0;
    const std::string expected = icu_nfc(s);
    const bool ok = normalize(s, only_nfc) == expected &&
                    normalize(s, NormalizeOptions{}) == normalize(expected, NormalizeOptions{}) &&
                    is_normalized(s, only_nfc) == (expected == s);
    if (!ok && ++failures <= 5) {
      ADD_FAILURE() << s << "\nnormalize: " << normalize(s, only_nfc) << "\nICU NFC:   " << expected;
    }
  }
  EXPECT_EQ(failures, 0U);
  EXPECT_GT(several, 5000U);
}

}  // namespace
}  // namespace decruft::text
