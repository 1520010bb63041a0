// Charset detection and conversion (text/charset.h) and the pages that exercise it: legacy
// Arabic encodings, wrong or missing declarations, BOMs. The Arabic text must come out right
// whatever the page declares.
#include <gtest/gtest.h>

#include "html/extract.h"
#include "html/prescan.h"
#include "html_test_util.h"
#include "text/charset.h"
#include "text/utf8.h"

namespace decruft {
namespace {

using html::testing::extract_bytes;
using html::testing::find_block;
using html::testing::read_testdata;

constexpr std::string_view k_arabic_sentence = "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في المدينة";
constexpr std::string_view k_arabic_title = "افتتاح مستشفى جديد في المدينة";

struct PageCase {
  const char* file;
  const char* charset;  // expected metadata["charset"] (JSON text)
};

class ArabicPages : public ::testing::TestWithParam<PageCase> {};

TEST_P(ArabicPages, DecodeWithoutMojibake) {
  Document doc = extract_bytes(read_testdata(GetParam().file));
  ASSERT_FALSE(doc.error) << *doc.error;
  EXPECT_TRUE(text::is_valid_utf8(doc.raw));
  EXPECT_EQ(doc.title, k_arabic_title);
  const Block* b = find_block(doc, k_arabic_sentence);
  ASSERT_NE(b, nullptr) << "Arabic text not found; first block: " << (doc.blocks.empty() ? "" : doc.blocks[0].text);
  EXPECT_TRUE(b->kept());
  EXPECT_EQ(doc.metadata["charset"], GetParam().charset);
  EXPECT_EQ(doc.repaired_bytes, 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Charsets, ArabicPages,
    ::testing::Values(PageCase{"arabic_windows1256.html", "\"windows-1256\""},
                      PageCase{"arabic_windows1256_wrong_decl.html", "\"windows-1256\""},   // declares iso-8859-1
                      PageCase{"arabic_windows1256_undeclared.html", "\"windows-1256\""},
                      PageCase{"arabic_iso8859_6.html", "\"ISO-8859-6\""},
                      PageCase{"arabic_utf8_declared_1256.html", "\"UTF-8\""},  // valid UTF-8 wins
                      PageCase{"arabic_utf16le_bom.html", "\"UTF-16LE\""}),
    [](const ::testing::TestParamInfo<PageCase>& info) {
      std::string n = info.param.file;
      n = n.substr(0, n.find('.'));
      return n;
    });

TEST(Charset, CanonicalNamesFollowWhatwg) {
  EXPECT_EQ(text::canonical_charset("windows-1256"), "windows-1256");
  EXPECT_EQ(text::canonical_charset("CP1256"), "windows-1256");
  EXPECT_EQ(text::canonical_charset("iso-8859-1"), "windows-1252");
  EXPECT_EQ(text::canonical_charset("LATIN1"), "windows-1252");
  EXPECT_EQ(text::canonical_charset("utf8"), "UTF-8");
  EXPECT_EQ(text::canonical_charset("\"utf-8\""), "UTF-8");
  EXPECT_EQ(text::canonical_charset("no-such-charset"), "");
  EXPECT_EQ(text::canonical_charset(""), "");
}

TEST(Charset, ConvertWindows1256) {
  // "سلام" in windows-1256.
  auto r = text::convert_to_utf8("\xD3\xE1\xC7\xE3", "windows-1256");
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->text, "سلام");
}

TEST(Charset, UnknownDeclarationFallsBackToDetection) {
  auto r = text::decode_to_utf8("<p>caf\xE9 cr\xE8me br\xFBl\xE9e, d\xE9j\xE0 vu, na\xEFve fa\xE7ade</p>", "x-unknown");
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_TRUE(text::is_valid_utf8(r->text));
  EXPECT_NE(r->text.find("café"), std::string::npos);
}

TEST(Charset, Utf8WithAFewBadBytesStaysUtf8) {
  std::string s = "<p>مرحبا بكم في الموقع، هذه صفحة عربية طويلة بما يكفي \xFF للاختبار</p>";
  auto r = text::decode_to_utf8(s, "utf-8");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->charset, "UTF-8");
  EXPECT_EQ(r->replaced, 1u);
  EXPECT_NE(r->text.find("مرحبا"), std::string::npos);
}

TEST(Charset, BomWins) {
  auto r = text::decode_to_utf8("\xEF\xBB\xBFhello", "windows-1256");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->text, "hello");
  EXPECT_EQ(r->how, "bom");
}

TEST(DeclaredCharset, MetaForms) {
  using html::detail::declared_charset;
  EXPECT_EQ(declared_charset("<html><head><meta charset=\"windows-1256\">"), "windows-1256");
  EXPECT_EQ(declared_charset("<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=ISO-8859-6\">"),
            "ISO-8859-6");
  EXPECT_EQ(declared_charset("<meta charset=utf-8>"), "utf-8");
  EXPECT_EQ(declared_charset("<?xml version=\"1.0\" encoding=\"windows-1256\"?><html>"), "windows-1256");
  EXPECT_EQ(declared_charset("<html><body>charset=latin1 in the text</body>"), "");
  EXPECT_EQ(declared_charset(""), "");
}

}  // namespace
}  // namespace decruft
