// Bad HTML never crashes and never hangs: every case below gives blocks or a clear per-document
// error. (Run under DECRUFT_SANITIZE=ON too; ctest's timeout catches a hang.)
#include <gtest/gtest.h>

#include <string>

#include "html/extract.h"
#include "html/prescan.h"
#include "html_test_util.h"
#include "text/utf8.h"

namespace decruft::html {
namespace {

using testing::extract_bytes;
using testing::find_block;

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) {
    out += s;
  }
  return out;
}

constexpr std::string_view k_para =
    "<p>This paragraph is the article: long enough, with commas, and a full stop at the end.</p>";

void expect_sane(const Document& doc) {
  EXPECT_TRUE(text::is_valid_utf8(doc.raw));
  for (const auto& b : doc.blocks) {
    EXPECT_TRUE(text::is_valid_utf8(b.text));
    EXPECT_LE(b.raw_begin, b.raw_end);
    EXPECT_LE(b.raw_end, doc.raw.size());
  }
}

TEST(HtmlRobust, EmptyPage) {
  Document doc = extract_bytes("");
  EXPECT_FALSE(doc.error);
  EXPECT_EQ(doc.kept_blocks(), 0u);
}

TEST(HtmlRobust, OnlyWhiteSpaceAndTags) {
  Document doc = extract_bytes("<html>  <body> \n\t </body></html>");
  EXPECT_FALSE(doc.error);
  EXPECT_EQ(doc.kept_blocks(), 0u);
}

TEST(HtmlRobust, UnclosedTags) {
  Document doc = extract_bytes("<html><body><div><p>" + std::string(k_para.substr(3)) + "<div><span><b><i><table><tr><td>"
                               "cell text <a href=x>link <ul><li>item");
  EXPECT_FALSE(doc.error);
  expect_sane(doc);
  EXPECT_NE(find_block(doc, "This paragraph is the article"), nullptr);
}

TEST(HtmlRobust, DeepNesting100k) {
  std::string page = "<html><body>" + repeat("<div>", 100000) + std::string(k_para) + repeat("</div>", 100000) +
                     "</body></html>";
  Document doc = extract_bytes(page);
  EXPECT_FALSE(doc.error);
  expect_sane(doc);
  const Block* b = find_block(doc, "This paragraph is the article");
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->kept());
}

TEST(HtmlRobust, DeepNestingUnclosedFormatting) {
  // The tree builder's "reconstruct the active formatting elements" is quadratic on this
  // unless the prescan caps the depth.
  std::string page = "<html><body>" + repeat("<b><i><span>x ", 30000) + std::string(k_para) + "</body></html>";
  Document doc = extract_bytes(page);
  EXPECT_FALSE(doc.error);
  expect_sane(doc);
}

TEST(HtmlRobust, DeepNestedTables) {
  std::string page = "<html><body>" + repeat("<table><tr><td>", 20000) + std::string(k_para) + "</body></html>";
  Document doc = extract_bytes(page);
  EXPECT_FALSE(doc.error);
  expect_sane(doc);
}

TEST(HtmlRobust, TenMegabyteAttribute) {
  std::string page = "<html><body><div class=\"" + std::string(10 * 1024 * 1024, 'a') + "\">" + std::string(k_para) +
                     "</div><img src=\"" + std::string(1024 * 1024, 'b') + "\"></body></html>";
  Document doc = extract_bytes(page);
  EXPECT_FALSE(doc.error);
  expect_sane(doc);
  EXPECT_NE(find_block(doc, "This paragraph is the article"), nullptr);
}

TEST(HtmlRobust, UnterminatedAttributeQuote) {
  Document doc = extract_bytes("<html><body>" + std::string(k_para) + "<div class=\"never closed>" +
                               std::string(k_para) + "</body></html>");
  EXPECT_FALSE(doc.error);
  expect_sane(doc);
}

TEST(HtmlRobust, UnterminatedCommentAndScript) {
  Document a = extract_bytes("<html><body>" + std::string(k_para) + "<!-- never closed <p>hidden</p>");
  EXPECT_FALSE(a.error);
  EXPECT_EQ(find_block(a, "hidden"), nullptr);
  Document b = extract_bytes("<html><body>" + std::string(k_para) + "<script>var x = '<p>code</p>';");
  EXPECT_FALSE(b.error);
  EXPECT_EQ(find_block(b, "code"), nullptr);
}

TEST(HtmlRobust, BinaryJunkIsAnError) {
  std::string junk;
  for (int i = 0; i < 20000; ++i) {
    junk += static_cast<char>((i * 7919) % 256);
  }
  Document doc = extract_bytes(junk);
  ASSERT_TRUE(doc.error);
  EXPECT_NE(doc.error->find("t.html"), std::string::npos);
  EXPECT_NE(doc.error->find("binary"), std::string::npos);
}

TEST(HtmlRobust, StrayNulsAndInvalidUtf8AreRepaired) {
  std::string page = "<html><body><p>Text with a NUL\0 byte and an invalid \xC3\x28 sequence, long enough.</p></body></html>";
  page += std::string(k_para);
  Document doc = extract_bytes(std::string(page.data(), page.size()));
  EXPECT_FALSE(doc.error);
  expect_sane(doc);
}

TEST(HtmlRobust, WrongCharsetDeclarationOnUtf8) {
  Document doc = extract_bytes(
      "<html><head><meta charset=\"windows-1252\"></head><body><p>Ünïcödé text stays Ünïcödé, not mojibake, "
      "whatever the page declares about itself.</p></body></html>");
  const Block* b = find_block(doc, "stays");
  ASSERT_NE(b, nullptr);
  EXPECT_NE(b->text.find("Ünïcödé"), std::string::npos) << b->text;
}

TEST(HtmlRobust, ManyStrayEndTags) {
  Document doc = extract_bytes("<html><body>" + repeat("</div></span></p>", 50000) + std::string(k_para));
  EXPECT_FALSE(doc.error);
  EXPECT_NE(find_block(doc, "This paragraph is the article"), nullptr);
}

TEST(HtmlRobust, HugeFlatPage) {
  Document doc = extract_bytes("<html><body><div>" + repeat(k_para, 20000) + "</div></body></html>");
  EXPECT_FALSE(doc.error);
  EXPECT_GE(doc.kept_blocks(), 20000u);
}

TEST(Prescan, RemovesScriptsStylesCommentsAndMapsOffsetsBack) {
  std::string page = "<html><head><style>p{}</style><script type=\"application/ld+json\">{\"a\":1}</script>"
                     "</head><body><!-- c --><p>one</p><svg><g><svg></svg></g></svg><p>two</p></body></html>";
  auto pre = detail::prescan(page);
  EXPECT_EQ(pre.html.find("style"), std::string::npos);
  EXPECT_EQ(pre.html.find("svg"), std::string::npos);
  EXPECT_EQ(pre.html.find("<!--"), std::string::npos);
  ASSERT_EQ(pre.json_ld.size(), 1u);
  EXPECT_EQ(pre.json_ld[0], "{\"a\":1}");
  std::size_t two = pre.html.find("two");
  ASSERT_NE(two, std::string::npos);
  EXPECT_EQ(page.substr(pre.to_source(two), 3), "two");
  std::size_t one = pre.html.find("one");
  EXPECT_EQ(page.substr(pre.to_source(one), 3), "one");
}

TEST(Prescan, DropsAttributesTheExtractorDoesNotRead) {
  auto pre = detail::prescan("<div class=\"a\" data-x=\"1\" onclick=\"f()\" style=\"color:red\">"
                             "<a href=\"https://x\" title=\"t\">l</a><p style=\"display:none\">h</p></div>");
  EXPECT_NE(pre.html.find("class=\"a\""), std::string::npos);
  EXPECT_EQ(pre.html.find("data-x"), std::string::npos);
  EXPECT_EQ(pre.html.find("onclick"), std::string::npos);
  EXPECT_EQ(pre.html.find("color:red"), std::string::npos);
  EXPECT_NE(pre.html.find("<a href>"), std::string::npos);
  EXPECT_NE(pre.html.find("display:none"), std::string::npos);
}

TEST(Prescan, CapsDepth) {
  auto pre = detail::prescan(repeat("<div>", 5000) + "x" + repeat("</div>", 5000));
  EXPECT_GT(pre.capped_tags, 0u);
  EXPECT_LT(pre.html.size(), 5000u * 11u);
}

}  // namespace
}  // namespace decruft::html
