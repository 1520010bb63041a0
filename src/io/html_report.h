// The --report-html page: one self-contained HTML file (inline CSS and SVG; no script, no font,
// no image, no link to anything outside it, so it works offline and can be mailed around) that
// shows what a run did:
//   - the corpus summary: documents and bytes in and out, documents dropped by reason, removed
//     blocks by reason as a bar chart (inline SVG), duplicate clusters and the per-step table;
//   - for each document of a deterministic sample, every block of its text, the removed ones
//     struck through (<del>) and coloured by reason, "reason — step — evidence" on hover.
// Each block carries its own direction (dir="rtl" when most of its letters are Arabic, "ltr" when
// most are Latin, "auto" when it has none), so Arabic renders right-to-left even when a sentence
// opens with a Latin name, English left-to-right, each bidi-isolated from its neighbours.
//
// The page's markup is a contract the tests (and anybody scripting over the page) rely on:
//   <section class="doc" data-id=ID data-status="kept|dropped|failed" [data-reason=R]>
//     <del class="b" dir=D data-reason=R data-step=S [data-line=N] title="R — S — evidence">text</del>
//     <p class="b kept" dir=D>text</p>
//   <td data-reason-count=R>N</td>   (the summary's removed-blocks table, kept documents only,
//                                     the same counts as report.json's blocks_removed_by_reason)
// Removed blocks of a document dropped as a whole are shown too (inside its section), but only
// kept documents' blocks count in the summary, as in report.json.
//
// Memory stays bounded in big runs: full detail is kept for at most `max_documents` documents;
// the others are counted only.
//
//   io::HtmlReport report;
//   for (...each document, in input order, after the pipeline ran...) report.add(doc);
//   Status s = report.write("report.html", pipeline.stats());
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/document.h"
#include "core/stats.h"
#include "core/status.h"

namespace decruft::io {

//   option          default            effect
//   max_documents   200                documents shown in full: the first half of them in input
//                                      order, then an evenly spaced sample of the rest (every k-th,
//                                      k doubling as the run grows); 0: summary only
//   max_clusters    200                duplicate clusters listed, largest first (the others are
//                                      only counted, and a duplicate of a duplicate among them may
//                                      count as a cluster of its own)
//   title           "decruft report"   the page's <title> and heading
struct HtmlReportOptions {
  std::size_t max_documents = 200;
  std::size_t max_clusters = 200;
  std::string title = "decruft report";
};

// What the page keeps of one document. Taken on any thread (snapshot() moves the blocks out of
// the document, which is then only good for freeing), added in input order.
inline constexpr std::size_t k_html_report_max_blocks = 5000;
inline constexpr std::size_t k_html_report_max_text_bytes = std::size_t{1} << 20;

struct HtmlReportDocument {
  std::string id;
  std::string source;
  std::string title;
  std::optional<Drop> drop;          // the document's own drop (duplicate_doc ...)
  std::optional<std::string> error;  // failed
  std::string duplicate_of;          // dedup: the id of the earlier document (metadata)
  std::string similarity;            // dedup: the similarity as written in the metadata
  // The blocks shown: all of them, up to k_max_blocks and k_max_text_bytes of text per document
  // (a million-line document would otherwise hold the page hostage); `omitted_blocks` counts the
  // rest. The counts below always cover every block.
  std::vector<Block> blocks;
  std::uint64_t omitted_blocks = 0;
  std::uint64_t total_blocks = 0;
  std::map<std::string, std::uint64_t> removed_by_reason;  // block reason -> blocks
  std::uint64_t bytes_in = 0;                              // raw bytes
  std::uint64_t bytes_out = 0;                             // kept text bytes (kept documents only), as in report.json
};

class HtmlReport {
 public:
  explicit HtmlReport(HtmlReportOptions options = {});

  // Thread-safe (static). The Document&& overload moves the blocks out instead of copying them.
  static HtmlReportDocument snapshot(const Document& doc);
  static HtmlReportDocument snapshot(Document&& doc);

  // Counts the document and keeps it in full when the sample wants it. Call in input order.
  void add(HtmlReportDocument doc);
  void add(const Document& doc) { add(snapshot(doc)); }
  void set_interrupted(bool interrupted) { interrupted_ = interrupted; }

  std::uint64_t documents() const { return documents_; }
  // Documents currently kept in full, in input order (index = 0-based input position).
  std::size_t detailed() const { return head_.size() + tail_.size(); }
  std::vector<std::uint64_t> detailed_indexes() const;

  // The whole page.
  std::string render(const RunStats& stats) const;
  // Writes the page to `path` atomically (temporary file and rename).
  Status write(const std::string& path, const RunStats& stats) const;

 private:
  struct Sampled {
    std::uint64_t index = 0;
    HtmlReportDocument doc;
  };
  struct Cluster {
    std::string first_of;                     // the earliest document: the others duplicate it, or one another
    std::vector<HtmlReportDocument> members;  // id, source, drop, similarity only (no blocks)
    std::uint64_t size = 0;                   // members, including those not listed
  };

  std::string render_document(const Sampled& s) const;

  HtmlReportOptions options_;
  std::uint64_t documents_ = 0;
  std::uint64_t kept_ = 0;
  std::uint64_t failed_ = 0;
  std::uint64_t bytes_in_ = 0;
  std::uint64_t bytes_out_ = 0;
  std::uint64_t blocks_in_ = 0;                          // blocks of kept documents
  std::map<std::string, std::uint64_t> dropped_;         // document reason -> documents
  std::map<std::string, std::uint64_t> blocks_removed_;  // block reason -> blocks (kept documents)
  bool interrupted_ = false;

  // The sample: head_ holds the first documents; tail_ those after it whose position (counted
  // from the end of the head) is a multiple of stride_.
  std::vector<Sampled> head_;
  std::vector<Sampled> tail_;
  std::uint64_t stride_ = 1;

  std::vector<Cluster> clusters_;                   // first max_clusters clusters, first seen first
  std::map<std::string, std::size_t> cluster_at_;   // first_of -> index in clusters_
  std::map<std::string, std::size_t> member_of_;    // a listed cluster's duplicate id -> its index
  std::unordered_set<std::size_t> other_clusters_;  // hashes of the clusters not listed
  std::uint64_t duplicates_ = 0;
};

}  // namespace decruft::io
