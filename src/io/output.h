// Writers: text, sentences, JSON Lines; atomic file output; the run report.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/document.h"
#include "core/stats.h"
#include "core/status.h"

namespace decruft::io {

enum class OutputFormat : std::uint8_t { k_text, k_sentences, k_jsonl };

// text:      kept blocks, one paragraph per line (title first).
// sentences: one sentence per line, a blank line between paragraphs.
// jsonl:     one JSON object on one line: id, source, title, text, sentences (per paragraph),
//            metadata, removed blocks with reason/step/line/evidence, repaired_bytes.
// Each rendering ends with a newline.
std::string render(const Document& doc, OutputFormat format);

// Writes `content` to `path` through a temporary file in the same directory and a rename, so a
// reader never sees a half-written file. Creates parent directories.
Status write_atomic(const std::string& path, std::string_view content);

// Accounts for every input document: kept, dropped (by reason) or failed (with the error), and
// every removed block by reason. Serialised as report.json.
class Report {
 public:
  void add(const Document& doc, std::string_view output_path);
  std::uint64_t documents() const { return kept_ + dropped_total_ + failed_; }
  std::uint64_t kept() const { return kept_; }
  std::uint64_t failed() const { return failed_; }
  const std::map<std::string, std::uint64_t>& dropped() const { return dropped_; }
  const std::map<std::string, std::uint64_t>& blocks_removed() const { return blocks_removed_; }
  // {"summary": {...}, "steps": [...], "documents": [...]}
  std::string to_json(const RunStats& stats) const;
  // A short human summary for stderr.
  std::string summary_line() const;

 private:
  std::uint64_t kept_ = 0;
  std::uint64_t dropped_total_ = 0;
  std::uint64_t failed_ = 0;
  std::uint64_t bytes_in_ = 0;
  std::uint64_t bytes_out_ = 0;
  std::map<std::string, std::uint64_t> dropped_;
  std::map<std::string, std::uint64_t> blocks_removed_;
  std::string documents_json_;  // the per-document entries, comma separated
};

}  // namespace decruft::io
