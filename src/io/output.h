// Writers: text, sentences, JSON Lines (also sharded and zstd-compressed); atomic file output;
// the run report.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"
#include "core/stats.h"
#include "core/status.h"

namespace decruft::io {

enum class OutputFormat : std::uint8_t { k_text, k_sentences, k_jsonl };

// text:      kept blocks, one paragraph per line (title first).
// sentences: one sentence per line, a blank line between paragraphs.
// jsonl:     one JSON object on one line: id, source, title, text, sentences (per paragraph; only
//            with `jsonl_sentences`: it is the text again), metadata, removed blocks with
//            reason/step/line/evidence, repaired_bytes.
// Each rendering ends with a newline.
std::string render(const Document& doc, OutputFormat format, bool jsonl_sentences = false);
// The same appended to `out`: many records rendered end to end into one buffer (one allocation per
// batch of documents instead of one per document, freed at once by the thread that writes them).
void render_to(std::string& out, const Document& doc, OutputFormat format, bool jsonl_sentences = false);
// Room a JSONL record of `doc` takes, escapes aside: what to reserve for it.
std::size_t jsonl_size(const Document& doc, bool jsonl_sentences);

// Writes `content` to `path` through a temporary file in the same directory and a rename, so a
// reader never sees a half-written file (and an interrupted or failed write leaves no file).
// Creates parent directories.
Status write_atomic(const std::string& path, std::string_view content);

// Makes `s` valid UTF-8 (invalid bytes -> U+FFFD) for JSON: file names and messages are bytes.
std::string valid_utf8(std::string_view s);

// JSONL output in shards: DIR/part-00000.jsonl.zst, part-00001 ... each closed once it holds
// `max_bytes` of uncompressed JSON Lines, plus DIR/manifest.json listing the shards. A shard is
// written under a temporary name and renamed when complete, so an interrupted run leaves only
// whole shards. The shards load as they are with common tooling, e.g.
//   datasets.load_dataset("json", data_files="DIR/part-*.jsonl.zst")
//   pandas.read_json("DIR/part-00000.jsonl.zst", lines=True)
//   option     default   effect
//   max_bytes  256 MiB   uncompressed bytes per shard (a record is never split)
//   zstd       true      false: plain part-00000.jsonl
//   level      1         zstd compression level (1: fast; the pipeline, not the disk, is the limit)
//   workers    1         zstd's compression threads; 0: compress on the caller's thread. The file
//                        is the same for any count >= 1 (zstd's multithreaded format), and
//                        another, with the same content, for 0
struct ShardOptions {
  std::uint64_t max_bytes = std::uint64_t{256} << 20;
  bool zstd = true;
  int level = 1;
  int workers = 1;
};

// The zstd workers for a run of `threads` pipeline threads: none for one thread (a run of -j1 uses
// one core: it compresses on its own thread), one per pipeline thread otherwise, at most 16.
// Compression is a third of the CPU time of a text run, and a single frame's jobs are fed by one
// writer: with one worker per two threads the scheduler's fair share left that worker two thirds of
// a core, the writer waited on it and the cores idled (-j2 1.6x -j1; one worker per thread: 1.8-1.9x,
// for 45 MB more memory). Every run of two threads or more writes the same bytes.
int zstd_workers_for(std::size_t threads);

class ShardWriter {
 public:
  ShardWriter(std::string dir, ShardOptions options);
  ~ShardWriter();  // an unfinished shard's temporary file is removed
  ShardWriter(const ShardWriter&) = delete;
  ShardWriter& operator=(const ShardWriter&) = delete;

  // Appends one record (a line ending in '\n'). Returns the shard file it went to. Compressed
  // shards take records in batches: a failed write may show at a later add or at finish.
  Result<std::string> add(std::string_view record);
  // Appends the records laid end to end in `records`, `sizes[i]` bytes each: the same shards, the
  // same bytes and manifest as add() of each in turn, in one zstd call (or write) per shard the
  // records go to instead of one per record, and with workers without the copy into the 1 MB
  // batch. Appends each added record's shard (its index: shard_file names it) to `shards`. Stops
  // at the first failure: the records before it were added (those `shards` grew by), the rest
  // not. As with add(), a failed write may show at a later call.
  Status add(std::string_view records, std::span<const std::size_t> sizes, std::vector<std::uint32_t>& shards);
  // The file name of shard `index` ("part-00000.jsonl.zst").
  std::string shard_file(std::size_t index) const;
  // Closes the last shard, removes stale shards of an earlier run and writes manifest.json.
  Status finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One document's entry in the report; built on any thread, then added in input order.
struct ReportEntry {
  enum class Outcome : std::uint8_t { k_kept, k_dropped, k_failed };
  Outcome outcome = Outcome::k_kept;
  std::string reason;                                 // dropped: the reason id
  std::map<std::string, std::uint64_t> blocks_removed;  // kept: removed blocks by reason
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
  std::string json;  // the entry in report.json's "documents" array
};
ReportEntry make_report_entry(const Document& doc, std::string_view output_path);

// Accounts for every input document: kept, dropped (by reason) or failed (with the error), and
// every block removed from a kept document, by reason. Serialised as report.json:
//   {"summary": {"documents_in", "kept", "dropped", "failed", "dropped_by_reason",
//                "blocks_removed_by_reason", "bytes_in", "bytes_out", "interrupted"},
//    "steps": [...per-step stats, no timings...], "documents": [{id, source, status ...}, ...]}
// documents_in == kept + dropped + failed, always. The report holds no timings, so identical
// runs give byte-identical reports whatever -j is.
class Report {
 public:
  Report();
  ~Report();
  Report(const Report&) = delete;
  Report& operator=(const Report&) = delete;

  // Keeps the per-document entries in a temporary file next to `report_path` instead of memory
  // (a corpus of millions of documents); removed by write().
  Status spool_to(const std::string& report_path);

  void add(const ReportEntry& entry);
  void add(const Document& doc, std::string_view output_path) { add(make_report_entry(doc, output_path)); }
  void set_interrupted(bool interrupted) { interrupted_ = interrupted; }

  std::uint64_t documents() const { return kept_ + dropped_total_ + failed_; }
  std::uint64_t kept() const { return kept_; }
  std::uint64_t dropped_total() const { return dropped_total_; }
  std::uint64_t failed() const { return failed_; }
  const std::map<std::string, std::uint64_t>& dropped() const { return dropped_; }
  const std::map<std::string, std::uint64_t>& blocks_removed() const { return blocks_removed_; }

  // The whole report (in memory; the documents must not be spooled).
  std::string to_json(const RunStats& stats) const;
  // Writes the report to `path` atomically (streaming the spooled entries).
  Status write(const std::string& path, const RunStats& stats);
  // A short human summary for stderr.
  std::string summary_line() const;

 private:
  std::string header(const RunStats& stats) const;
  std::uint64_t kept_ = 0;
  std::uint64_t dropped_total_ = 0;
  std::uint64_t failed_ = 0;
  std::uint64_t bytes_in_ = 0;
  std::uint64_t bytes_out_ = 0;
  bool interrupted_ = false;
  std::map<std::string, std::uint64_t> dropped_;
  std::map<std::string, std::uint64_t> blocks_removed_;
  std::string documents_json_;  // the per-document entries, ",\n" separated (when not spooled)
  std::string spool_path_;
  std::FILE* spool_ = nullptr;
  bool spool_failed_ = false;
  bool any_entry_ = false;
};

// What an earlier run's report says was completed, for --resume: source -> output path of each
// document recorded as kept (empty when it went to stdout or shards), dropped or failed.
struct PreviousRun {
  std::map<std::string, std::string> completed;
  bool interrupted = false;
};
Result<PreviousRun> load_report(const std::string& path);

}  // namespace decruft::io
