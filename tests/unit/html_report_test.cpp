// The --report-html page: counts, escaping, right-to-left markup, sampling, clusters, bounds.
// (tests/cli/report_html.sh loads the page of a real run in a headless browser.)
#include "io/html_report.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/json.h"
#include "text/utf8.h"

namespace decruft::io {
namespace {

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

Block block(std::string text, std::size_t line, const char* reason = nullptr, const char* step = "test",
            std::string evidence = {}) {
  Block b;
  b.text = std::move(text);
  b.line = line;
  if (reason != nullptr) {
    b.drop = Drop{reason, step, std::move(evidence)};
  }
  return b;
}

Document doc(std::string id, std::vector<Block> blocks) {
  Document d;
  d.id = id;
  d.source = "raw/" + id + ".txt";
  d.raw = std::string(100, 'x');
  d.blocks = std::move(blocks);
  return d;
}

TEST(HtmlReport, CountsEveryRemovedBlockByReasonAsReportJsonDoes) {
  HtmlReport r;
  r.add(doc("a", {block("title", 1), block("menu", 2, "nav"), block("body", 3),
                  block("other story", 5, "appended_story"), block("another", 6, "appended_story")}));
  r.add(doc("b", {block("body", 1), block("© 2024", 2, "copyright")}));
  std::string page = r.render({});
  EXPECT_EQ(r.documents(), 2u);
  EXPECT_EQ(count(page, "data-reason=\"appended_story\" data-step"), 2u);
  EXPECT_EQ(count(page, "data-reason=\"nav\" data-step"), 1u);
  EXPECT_EQ(count(page, "<del "), 4u);
  EXPECT_NE(page.find("data-reason-count=\"appended_story\">2<"), std::string::npos);
  EXPECT_NE(page.find("data-reason-count=\"copyright\">1<"), std::string::npos);
  EXPECT_NE(page.find("data-summary=\"documents_in\"><div class=\"v\">2<"), std::string::npos);
  // The hover text is "reason — step — evidence"; the line is kept for the agreement test.
  EXPECT_NE(page.find("data-line=\"5\" title=\"appended_story — test\""), std::string::npos);
  // The chart is inline SVG with one bar per reason.
  EXPECT_EQ(count(page, "<rect "), 3u);
}

TEST(HtmlReport, EachBlockHasTheDirectionOfItsMajorityScript) {
  HtmlReport r;
  r.add(doc("ar", {block("وكالة الأنباء: خبر عاجل", 1, "credit"), block("نص المقال باللغة العربية", 2),
                   block("DeepSeek تنشر طريقة تدريب جديدة", 3), block("An English line with عربي", 4),
                   block("2024 - 12", 5)}));
  std::string page = r.render({});
  EXPECT_NE(page.find("<del class=\"b k-paragraph\" dir=\"rtl\""), std::string::npos);
  EXPECT_NE(page.find("dir=\"rtl\" data-line=\"2\">نص المقال"), std::string::npos);
  // dir="auto" would make this one left-to-right (its first strong character is Latin).
  EXPECT_NE(page.find("dir=\"rtl\" data-line=\"3\">DeepSeek"), std::string::npos);
  EXPECT_NE(page.find("dir=\"ltr\" data-line=\"4\">An English"), std::string::npos);
  EXPECT_NE(page.find("dir=\"auto\" data-line=\"5\">2024"), std::string::npos);
  EXPECT_NE(page.find("<meta charset=\"utf-8\">"), std::string::npos);
}

TEST(HtmlReport, EscapesTextIdsAndEvidence) {
  HtmlReport r;
  Document d = doc("<img src=x onerror=alert(1)>",
                   {block("<script>alert(\"x\")</script> & 'q'", 1, "nav", "nav", "matched \"<b>\"")});
  d.error.reset();
  r.add(d);
  std::string page = r.render({});
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("<img"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"), std::string::npos);
  EXPECT_NE(page.find("title=\"nav — nav — matched &quot;&lt;b&gt;&quot;\""), std::string::npos);
}

TEST(HtmlReport, InvalidUtf8AndControlCharactersBecomeReplacementCharacters) {
  HtmlReport r;
  r.add(doc(std::string("bad\xff", 4), {block(std::string("a\x01z\0b\xc3", 6), 1), block("x\ry", 2)}));
  std::string page = r.render({});
  EXPECT_TRUE(text::is_valid_utf8(page));
  EXPECT_EQ(page.find('\x01'), std::string::npos);
  EXPECT_EQ(page.find('\0'), std::string::npos);
  EXPECT_EQ(page.find('\r'), std::string::npos);
  EXPECT_NE(page.find("a\xEF\xBF\xBDz"), std::string::npos);
}

TEST(HtmlReport, IsSelfContained) {
  HtmlReport r;
  r.add(doc("a", {block("see https://example.com/x", 1, "read_also")}));
  std::string page = r.render({});
  for (const char* external : {"<script", "<link", " src=", "<img", "url(", "@import"}) {
    EXPECT_EQ(page.find(external), std::string::npos) << external;
  }
  // The only URL outside document text is the SVG namespace, which is never fetched.
  std::string without_text = page;
  without_text.erase(without_text.find("see https://example.com/x"), 25);
  EXPECT_EQ(count(without_text, "http"), 1u);
  EXPECT_NE(without_text.find("xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
}

TEST(HtmlReport, DroppedAndFailedDocumentsAreCountedApart) {
  HtmlReport r;
  r.add(doc("kept", {block("body", 1), block("menu", 2, "nav")}));
  Document dup = doc("dup", {block("body", 1), block("menu", 2, "nav")});
  dup.drop = Drop{"duplicate_doc", "exact_dedup", "same text as kept"};
  dup.metadata["duplicate_of"] = json::quote("kept");
  r.add(dup);
  Document failed = doc("broken", {});
  failed.error = "raw/broken.txt: binary file";
  r.add(failed);
  std::string page = r.render({});
  // Only kept documents' removed blocks count in the summary (as in report.json).
  EXPECT_NE(page.find("data-reason-count=\"nav\">1<"), std::string::npos);
  EXPECT_NE(page.find("data-dropped-count=\"duplicate_doc\">1<"), std::string::npos);
  EXPECT_NE(page.find("data-dropped-count=\"failed\">1<"), std::string::npos);
  EXPECT_NE(page.find("data-status=\"dropped\" data-removed=\"1\" data-reason=\"duplicate_doc\""), std::string::npos);
  EXPECT_NE(page.find("data-status=\"failed\""), std::string::npos);
  EXPECT_NE(page.find("raw/broken.txt: binary file"), std::string::npos);
  // The cluster names the kept document and its duplicate.
  EXPECT_NE(page.find("data-clusters=\"1\""), std::string::npos);
  EXPECT_NE(page.find("<tr class=\"cluster\" data-size=\"1\"><td><code>kept</code>"), std::string::npos);
}

TEST(HtmlReport, DuplicateClustersGroupByTheKeptDocumentAndStayBounded) {
  HtmlReport r(HtmlReportOptions{.max_documents = 0, .max_clusters = 2});
  for (int i = 0; i < 30; ++i) {
    Document d = doc(fmt::format("d{}", i), {block("x", 1)});
    d.drop = Drop{"near_duplicate_doc", "near_dedup", ""};
    d.metadata["duplicate_of"] = json::quote(fmt::format("orig{}", i % 3));
    d.metadata["similarity"] = "0.910";
    r.add(d);
  }
  std::string page = r.render({});
  EXPECT_NE(page.find("data-clusters=\"3\""), std::string::npos);
  EXPECT_EQ(count(page, "<tr class=\"cluster\" data-size=\"10\">"), 2u);
  EXPECT_EQ(page.find("… and"), std::string::npos);  // 10 members each: all listed
  EXPECT_NE(page.find("0.910"), std::string::npos);
  EXPECT_EQ(page.find("<section class=\"doc\""), std::string::npos);  // max_documents = 0
}

TEST(HtmlReport, ADuplicateOfADuplicateJoinsItsClusterAndTheLargestComesFirst) {
  HtmlReport r;
  auto dup = [&](const char* id, const char* of) {
    Document d = doc(id, {block("x", 1)});
    d.drop = Drop{"near_duplicate_doc", "near_dedup", ""};
    d.metadata["duplicate_of"] = json::quote(of);
    r.add(d);
  };
  r.add(doc("solo", {block("x", 1)}));
  dup("s2", "solo");
  r.add(doc("a", {block("x", 1)}));
  dup("b", "a");
  dup("c", "b");  // online near-dedup matched the dropped b
  dup("d", "a");
  std::string page = r.render({});
  EXPECT_NE(page.find("data-clusters=\"2\""), std::string::npos);
  const auto big = page.find("<tr class=\"cluster\" data-size=\"3\"><td><code>a</code>");
  const auto small = page.find("<tr class=\"cluster\" data-size=\"1\"><td><code>solo</code>");
  ASSERT_NE(big, std::string::npos);
  ASSERT_NE(small, std::string::npos);
  EXPECT_LT(big, small);
  EXPECT_NE(page.find("(of <code>b</code>)"), std::string::npos);
}

TEST(HtmlReport, SampleIsTheHeadThenAnEvenlySpacedBoundedTail) {
  HtmlReport r(HtmlReportOptions{.max_documents = 10});
  for (int i = 0; i < 1000; ++i) {
    r.add(doc(fmt::format("d{}", i), {block("x", 1)}));
    ASSERT_LE(r.detailed(), 10u);
  }
  EXPECT_EQ(r.documents(), 1000u);
  auto idx = r.detailed_indexes();
  ASSERT_GE(idx.size(), 7u);
  for (std::uint64_t i = 0; i < 5; ++i) {
    EXPECT_EQ(idx[i], i);
  }
  // The tail: indexes 5 + k * stride, spread over the whole run.
  const std::uint64_t stride = idx[6] - idx[5];
  EXPECT_EQ(idx[5], 5u);
  for (std::size_t i = 6; i < idx.size(); ++i) {
    EXPECT_EQ(idx[i] - idx[i - 1], stride);
  }
  EXPECT_GT(idx.back(), 700u);
  std::string page = r.render({});
  EXPECT_EQ(count(page, "<section class=\"doc\""), idx.size());
  EXPECT_NE(page.find(fmt::format("data-shown=\"{}\">{} of 1000 documents", idx.size(), idx.size())),
            std::string::npos);

  // Deterministic: the same input gives the same sample.
  HtmlReport again(HtmlReportOptions{.max_documents = 10});
  for (int i = 0; i < 1000; ++i) {
    again.add(doc(fmt::format("d{}", i), {block("x", 1)}));
  }
  EXPECT_EQ(again.detailed_indexes(), idx);
}

TEST(HtmlReport, HugeDocumentsAreShownInPartButCountedWhole) {
  std::vector<Block> blocks;
  for (std::size_t i = 0; i < 3 * k_html_report_max_blocks; ++i) {
    blocks.push_back(block("line", i + 1, i % 2 == 0 ? "nav" : nullptr));
  }
  Document d = doc("huge", std::move(blocks));
  HtmlReportDocument s = HtmlReport::snapshot(std::move(d));
  EXPECT_EQ(s.blocks.size(), k_html_report_max_blocks);
  EXPECT_EQ(s.omitted_blocks, 2 * k_html_report_max_blocks);
  EXPECT_EQ(s.total_blocks, 3 * k_html_report_max_blocks);
  EXPECT_EQ(s.removed_by_reason["nav"], 3 * k_html_report_max_blocks / 2);
  HtmlReport r;
  r.add(std::move(s));
  std::string page = r.render({});
  EXPECT_NE(page.find(fmt::format("data-reason-count=\"nav\">{}<", 3 * k_html_report_max_blocks / 2)),
            std::string::npos);
  EXPECT_NE(page.find(fmt::format("… {} more blocks not shown", 2 * k_html_report_max_blocks)), std::string::npos);

  // One very long block is cut on a code point boundary.
  std::string arabic;
  while (arabic.size() < 40000) {
    arabic += "عربي ";
  }
  HtmlReport one;
  one.add(doc("long", {block(arabic, 1)}));
  std::string p = one.render({});
  EXPECT_TRUE(text::is_valid_utf8(p));
  EXPECT_NE(p.find("more bytes</span>"), std::string::npos);
}

TEST(HtmlReport, SnapshotOfACopyEqualsSnapshotOfTheMovedDocument) {
  Document d = doc("a", {block("keep", 1), block("drop", 2, "credit", "credits", "wire")});
  HtmlReportDocument copied = HtmlReport::snapshot(d);
  HtmlReportDocument moved = HtmlReport::snapshot(std::move(d));
  EXPECT_EQ(copied.blocks.size(), moved.blocks.size());
  EXPECT_EQ(copied.bytes_in, 100u);
  EXPECT_EQ(copied.bytes_out, moved.bytes_out);
  EXPECT_EQ(copied.bytes_out, 4u);  // "keep" == kept_text().size()
  EXPECT_EQ(copied.removed_by_reason, moved.removed_by_reason);
}

TEST(HtmlReport, ShowsThePerStepTable) {
  RunStats stats;
  StepStats& s = stats.step("credits");
  s.docs_in = 3;
  s.blocks_in = 10;
  s.blocks_out = 9;
  s.blocks_dropped["credit"] = 1;
  HtmlReport r;
  std::string page = r.render(stats);
  EXPECT_NE(page.find("<tr data-step=\"credits\"><td>credits</td><td class=\"n\">3</td>"), std::string::npos);
}

TEST(HtmlReport, WritesAtomicallyAndReportsUnwritablePaths) {
  auto dir = std::filesystem::temp_directory_path() / fmt::format("html_report_test_{}", ::getpid());
  std::filesystem::create_directories(dir);
  HtmlReport r;
  r.add(doc("a", {block("body", 1)}));
  std::string path = (dir / "report.html").string();
  ASSERT_TRUE(r.write(path, {}).ok());
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), r.render({}));
  Status bad = r.write("/proc/decruft-cannot-write/report.html", {});
  EXPECT_FALSE(bad.ok());
  EXPECT_FALSE(bad.message().empty());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace decruft::io
