// html::extract on pages the project wrote itself (tests/testdata/html/): which blocks are kept,
// which are dropped and why, the title, the metadata and the HTML features.
#include <gtest/gtest.h>

#include "core/reasons.h"
#include "html/extract.h"
#include "html_test_util.h"

namespace decruft::html {
namespace {

using testing::extract_bytes;
using testing::find_block;
using testing::read_testdata;

class NewsArticle : public ::testing::Test {
 protected:
  void SetUp() override {
    doc_ = extract_bytes(read_testdata("news_article.html"));
    ASSERT_FALSE(doc_.error) << *doc_.error;
  }
  // Expects the block containing `needle` to be dropped as html_boilerplate with evidence
  // containing `evidence`.
  void expect_dropped(std::string_view needle, std::string_view evidence) {
    const Block* b = find_block(doc_, needle);
    ASSERT_NE(b, nullptr) << needle;
    ASSERT_FALSE(b->kept()) << needle;
    EXPECT_EQ(b->drop->reason, reason::k_html_boilerplate);
    EXPECT_EQ(b->drop->step, "blocks");
    EXPECT_NE(b->drop->evidence.find(evidence), std::string::npos) << needle << ": " << b->drop->evidence;
  }
  void expect_kept(std::string_view needle, BlockKind kind) {
    const Block* b = find_block(doc_, needle);
    ASSERT_NE(b, nullptr) << needle;
    EXPECT_TRUE(b->kept()) << needle << ": " << (b->drop ? b->drop->evidence : "");
    EXPECT_EQ(b->kind, kind) << needle;
  }
  Document doc_;
};

TEST_F(NewsArticle, KeepsTheArticleParagraphsAndHeadings) {
  expect_kept("The old harbour bridge reopened", BlockKind::k_paragraph);
  expect_kept("Engineers replaced the corroded", BlockKind::k_paragraph);
  expect_kept("Traffic expected to ease", BlockKind::k_heading);
  expect_kept("The council expects the morning queues", BlockKind::k_paragraph);
  EXPECT_EQ(doc_.kept_blocks(), 6u);  // title + 4 paragraphs + 1 heading
}

TEST_F(NewsArticle, TitleComesFirstFromOgTitle) {
  ASSERT_FALSE(doc_.blocks.empty());
  EXPECT_EQ(doc_.blocks.front().kind, BlockKind::k_title);
  EXPECT_EQ(doc_.blocks.front().text, "Harbour bridge reopens after repairs");
  EXPECT_EQ(doc_.title, "Harbour bridge reopens after repairs");
  // The <h1> repeating it is dropped, so the title appears once.
  int kept_titles = 0;
  for (const auto& b : doc_.blocks) {
    kept_titles += b.kept() && b.text == doc_.title ? 1 : 0;
  }
  EXPECT_EQ(kept_titles, 1);
}

TEST_F(NewsArticle, DropsPageFurnitureWithEvidence) {
  expect_dropped("Sport", "in <nav>");
  expect_dropped("Home > News", "nav");
  expect_dropped("Share on Facebook", "share");
  expect_dropped("City council approves new budget", "related");
  expect_dropped("Finally! I have been waiting", "comment");
  expect_dropped("Storm warning for the weekend", "");
  expect_dropped("Copyright 2024", "");
  expect_dropped("The bridge at dawn", "");
}

TEST_F(NewsArticle, ScriptsStylesSvgAndCommentsNeverBecomeText) {
  EXPECT_EQ(find_block(doc_, "not text"), nullptr);
  EXPECT_EQ(find_block(doc_, "font-family"), nullptr);
  EXPECT_EQ(find_block(doc_, "svg text"), nullptr);
  EXPECT_EQ(find_block(doc_, "with markup"), nullptr);
}

TEST_F(NewsArticle, Metadata) {
  EXPECT_EQ(doc_.metadata["url"], "\"https://example.org/news/harbour-bridge\"");
  EXPECT_EQ(doc_.metadata["date"], "\"2024-03-05T10:00:00Z\"");
  EXPECT_EQ(doc_.metadata["author"], "\"Jane Writer\"");
  EXPECT_EQ(doc_.metadata["language"], "\"en\"");
  EXPECT_EQ(doc_.metadata["site_name"], "\"The Daily Example\"");
  EXPECT_EQ(doc_.metadata["description"], "\"The old harbour bridge carries traffic again.\"");
  EXPECT_EQ(doc_.metadata["charset"], "\"UTF-8\"");
}

TEST_F(NewsArticle, HtmlFeatures) {
  const Block* p = find_block(doc_, "The old harbour bridge reopened");
  ASSERT_NE(p, nullptr);
  ASSERT_TRUE(p->html.has_value());
  EXPECT_NE(p->html->tag_path.find("article>div>p"), std::string::npos) << p->html->tag_path;
  EXPECT_TRUE(p->html->in_main);
  EXPECT_FALSE(p->html->in_nav);
  EXPECT_DOUBLE_EQ(p->html->link_density, 0.0);

  const Block* nav = find_block(doc_, "Sport");
  ASSERT_NE(nav, nullptr);
  EXPECT_TRUE(nav->html->in_nav);
  EXPECT_GT(nav->html->link_density, 0.9);

  const Block* cap = find_block(doc_, "The bridge at dawn");
  ASSERT_NE(cap, nullptr);
  EXPECT_TRUE(cap->html->in_figure);

  const Block* share = find_block(doc_, "Share on Facebook");
  ASSERT_NE(share, nullptr);
  EXPECT_NE(std::find(share->html->hints.begin(), share->html->hints.end(), "share"), share->html->hints.end());
}

TEST_F(NewsArticle, SpansPointIntoTheDecodedPage) {
  for (const auto& b : doc_.blocks) {
    ASSERT_LE(b.raw_begin, b.raw_end);
    ASSERT_LE(b.raw_end, doc_.raw.size());
  }
  const Block* p = find_block(doc_, "Engineers replaced the corroded");
  ASSERT_NE(p, nullptr);
  std::string_view span(doc_.raw.data() + p->raw_begin, p->raw_end - p->raw_begin);
  EXPECT_EQ(span.substr(0, 19), "Engineers replaced ");
  EXPECT_EQ(span.substr(span.size() - 14), "million euros.");
  EXPECT_GT(p->line, 20u);
}

TEST_F(NewsArticle, BlocksAreInDocumentOrderAfterTheTitle) {
  std::size_t last = 0;
  for (std::size_t i = 1; i < doc_.blocks.size(); ++i) {
    if (doc_.blocks[i].raw_end > doc_.blocks[i].raw_begin) {
      EXPECT_GE(doc_.blocks[i].raw_begin, last);
      last = doc_.blocks[i].raw_begin;
    }
  }
}

TEST(HtmlExtract, JsonLdArticleBodyIsStrongEvidence) {
  // The article text sits in a div with a boilerplate-looking class; JSON-LD says it is the body.
  std::string body = "Scientists have mapped the deepest part of the lake for the first time, using a small robot "
                     "submarine that dived for six hours. The survey found a cold spring at the bottom, where the water "
                     "is warmer than anywhere else in the lake.";
  std::string page = "<html><head><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":"
                     "\"Lake mapped\",\"articleBody\":\"" + body + "\"}</script></head><body>"
                     "<div class=\"teaser-list\"><p>Other story one, with a long enough text to score points here.</p>"
                     "<p>Other story two, with a long enough text to score points here too.</p>"
                     "<p>Other story three, with a long enough text to score points here as well.</p></div>"
                     "<div class=\"widget\"><p>Scientists have mapped the deepest part of the lake for the first "
                     "time, using a small robot submarine that dived for six hours.</p><p>The survey found a cold "
                     "spring at the bottom, where the water is warmer than anywhere else in the lake.</p></div></body></html>";
  Document doc = extract_bytes(page);
  const Block* b = find_block(doc, "Scientists have mapped");
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->kept()) << b->drop->evidence;
  EXPECT_EQ(doc.title, "Lake mapped");
}

TEST(HtmlExtract, TitleFromTitleElementLosesTheSiteSuffix) {
  Document doc = extract_bytes(
      "<html><head><title>Rain expected all week in the north | Weather Site</title></head><body><div>"
      "<p>Forecasters expect rain every day this week in the northern provinces, with heavy showers on Thursday.</p>"
      "</div></body></html>");
  EXPECT_EQ(doc.title, "Rain expected all week in the north");
}

TEST(HtmlExtract, CodeAndTablesFollowTheOptions) {
  std::string page =
      "<html><body><article>"
      "<p>Here is how to print a greeting in C, the classic first program that every course starts with.</p>"
      "<pre>int main() { printf(\"hello\\n\"); return 0; }</pre>"
      "<p>And the results of the survey, which asked a thousand readers about their habits, are below.</p>"
      "<table><tr><th>Year</th><th>Share</th></tr><tr><td>2020</td><td>41%</td></tr></table>"
      "<p>Most readers said they learned to program at school rather than on their own at home.</p>"
      "</article></body></html>";
  HtmlOptions no;
  no.keep_code = false;
  no.keep_tables = false;
  Document off = extract_bytes(page, no);
  const Block* code = find_block(off, "printf");
  ASSERT_NE(code, nullptr);
  EXPECT_FALSE(code->kept());
  EXPECT_NE(code->drop->evidence.find("keep_code"), std::string::npos);
  const Block* cell = find_block(off, "2020");
  ASSERT_NE(cell, nullptr);
  EXPECT_FALSE(cell->kept());

  HtmlOptions on;
  on.keep_tables = true;  // keep_code is on by default
  Document kept = extract_bytes(page, on);
  code = find_block(kept, "printf");
  ASSERT_NE(code, nullptr);
  EXPECT_TRUE(code->kept());
  EXPECT_EQ(code->kind, BlockKind::k_code);
  cell = find_block(kept, "2020");
  ASSERT_NE(cell, nullptr);
  EXPECT_TRUE(cell->kept());
  EXPECT_EQ(cell->kind, BlockKind::k_table_cell);
}

TEST(HtmlExtract, TitleBlockFollowsKeepTitle) {
  std::string page =
      "<html><head><title>Rain expected all week | The Paper</title></head><body><article>"
      "<h1>Rain expected all week</h1>"
      "<p>Forecasters said on Monday that rain would fall in the north every day until Sunday.</p>"
      "</article></body></html>";
  Document with = extract_bytes(page);
  ASSERT_FALSE(with.blocks.empty());
  EXPECT_EQ(with.blocks.front().kind, BlockKind::k_title);
  EXPECT_TRUE(with.blocks.front().kept());
  EXPECT_EQ(with.title, "Rain expected all week");

  HtmlOptions no;
  no.keep_title = false;
  Document without = extract_bytes(page, no);
  ASSERT_FALSE(without.blocks.empty());
  EXPECT_EQ(without.title, "Rain expected all week");
  for (const Block& b : without.blocks) {
    if (b.text.find("Rain expected") != std::string::npos) {
      EXPECT_FALSE(b.kept()) << b.text;
    }
  }
  const Block& first = without.blocks.front();
  EXPECT_EQ(first.kind, BlockKind::k_title);
  ASSERT_TRUE(first.drop.has_value());
  EXPECT_EQ(first.drop->reason, reason::k_html_boilerplate);
  EXPECT_NE(first.drop->evidence.find("keep_title"), std::string::npos);
  const Block* body = find_block(without, "Forecasters said");
  ASSERT_NE(body, nullptr);
  EXPECT_TRUE(body->kept());
}

TEST(HtmlExtract, UrlIdsGiveNoHints) {
  // Regression (cleaneval-dev/40): an about.com wrapper with id="http://credit.about.com/..."
  // read as a "credit" (caption) hint, and the captions filter took every paragraph for a photo
  // line. A URL or path names a page, not the element's role; a plain class still counts.
  Document doc = extract_bytes(
      "<html><body><div id=\"http://credit.example.com/cs/a/042104.htm\"><div class=credit>Photo: A. Lens</div>"
      "<p>Most people who make resolutions break them within the first two months of the year, "
      "a survey found.</p></div></body></html>");
  const Block* p = find_block(doc, "Most people");
  ASSERT_NE(p, nullptr);
  ASSERT_TRUE(p->html);
  EXPECT_EQ(std::find(p->html->hints.begin(), p->html->hints.end(), "caption"), p->html->hints.end());
  const Block* credit = find_block(doc, "A. Lens");
  ASSERT_NE(credit, nullptr);
  ASSERT_TRUE(credit->html);
  EXPECT_NE(std::find(credit->html->hints.begin(), credit->html->hints.end(), "caption"), credit->html->hints.end());
}

TEST(HtmlExtract, ProseInPreIsKept) {
  Document doc = extract_bytes(
      "<html><body><pre>Network Working Group. This document describes a protocol for storing\n"
      "documents on a remote server, and the way a client finds the server of a user.\n"
      "Status of this memo: this is a draft, valid for six months, and may change.</pre></body></html>");
  const Block* b = find_block(doc, "Network Working Group");
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->kept());
}

TEST(HtmlExtract, BrSeparatedLinesBecomeBlocks) {
  Document doc = extract_bytes(
      "<html><body><div class=\"content\"><p>The first line of the poem is long enough to count here,<br>"
      "and the second line follows it after a line break in the markup.<br>The third line ends the poem with "
      "a full stop, as a poem should.</p></div></body></html>");
  EXPECT_NE(find_block(doc, "The first line"), nullptr);
  const Block* second = find_block(doc, "and the second line");
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->text.find("The first line"), std::string::npos);
}

TEST(HtmlExtract, HiddenElementsAreDropped) {
  Document doc = extract_bytes(
      "<html><body><article><p>Visible article text that is long enough to be a paragraph of the story.</p>"
      "<p style=\"display: none\">Hidden text that a browser never shows to the reader of this page.</p>"
      "<p hidden>Also hidden text, marked with the hidden attribute in the markup of the page.</p>"
      "</article></body></html>");
  const Block* hidden = find_block(doc, "Hidden text");
  ASSERT_NE(hidden, nullptr);
  EXPECT_FALSE(hidden->kept());
  const Block* also = find_block(doc, "Also hidden");
  ASSERT_NE(also, nullptr);
  EXPECT_FALSE(also->kept());
  EXPECT_TRUE(find_block(doc, "Visible article")->kept());
}

TEST(HtmlExtract, EntitiesAreDecoded) {
  Document doc = extract_bytes(
      "<html><body><p>Caf&eacute; prices rose by 5&nbsp;% &amp; more &#8212; the owners said so on Monday.</p>"
      "</body></html>");
  const Block* b = find_block(doc, "Caf");
  ASSERT_NE(b, nullptr);
  EXPECT_NE(b->text.find("Café"), std::string::npos);
  EXPECT_NE(b->text.find("& more \xE2\x80\x94"), std::string::npos);
}

TEST(LooksLikeHtml, Sniffs) {
  EXPECT_TRUE(looks_like_html("<!DOCTYPE html><html>"));
  EXPECT_TRUE(looks_like_html("  <HTML><BODY>x"));
  EXPECT_TRUE(looks_like_html("\xEF\xBB\xBF<div class=\"a\">text</div>"));
  EXPECT_FALSE(looks_like_html("A text scrape about <html> tags.\nSecond line."));
  EXPECT_FALSE(looks_like_html("plain text, no markup at all"));
  EXPECT_FALSE(looks_like_html(""));
}

}  // namespace
}  // namespace decruft::html
