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
//   option       default   effect
//   max_bytes    256 MiB   uncompressed bytes per shard (a record is never split)
//   zstd         true      false: plain part-00000.jsonl
//   level        1         zstd compression level (1: fast; the pipeline, not the disk, is the limit)
//   chunk_bytes  1 MiB     zstd compresses a shard in chunks of this much (cut after the record
//                          that reaches it) on whichever thread has the chunk's last record
//
// A compressed shard is one zstd frame (python-zstandard's reader stops after the first), made
// the way zstd's own multithreaded mode makes one: each chunk is compressed on its own, without the
// ones before it, into blocks, and the blocks are laid end to end after one frame header; the
// frame ends with an empty last block and the content's checksum. Chunks are cut by the records'
// sizes alone, so a shard's bytes depend on its records and the options, never on the batches they
// came in, the threads or the order the chunks were compressed in: runs of any -j and a cluster run
// write the same files. Chunks of 1 MiB cost 0.7 % of the ratio of one stream on news JSON.
struct ShardOptions {
  std::uint64_t max_bytes = std::uint64_t{256} << 20;
  bool zstd = true;
  int level = 1;
  std::size_t chunk_bytes = std::size_t{1} << 20;
};

class ShardWriter {
 public:
  // A batch of records on its way into the shards, in three steps so that compression, most of
  // the writing's work, runs on any thread while the records keep their order:
  //   writer.plan(batch, ...)   in order: each record's shard, and the chunks that end in it
  //   batch.compress()          on any thread, any number of batches at once
  //   writer.write(batch)       in order: the chunks into the files; shards closed and renamed
  // A chunk may take records of earlier batches (it holds on to their buffers) and a batch may
  // end none.
  class Batch {
   public:
    Batch();
    ~Batch();
    Batch(Batch&&) noexcept;
    Batch& operator=(Batch&&) noexcept;
    // Compresses the chunks planned into this batch (nothing for plain shards).
    void compress();
    // Each planned record's shard, by index (shard_file names it).
    const std::vector<std::uint32_t>& shards() const { return shards_; }

   private:
    friend class ShardWriter;
    struct Chunk;
    std::vector<Chunk> chunks_;
    std::vector<std::uint32_t> shards_;
    int level_ = 1;
    bool zstd_ = true;
  };

  ShardWriter(std::string dir, ShardOptions options);
  ~ShardWriter();  // an unfinished shard's temporary file is removed
  ShardWriter(const ShardWriter&) = delete;
  ShardWriter& operator=(const ShardWriter&) = delete;

  // Plans the records laid end to end in `records`, `sizes[i]` bytes each, into `batch` (which
  // must be fresh): a shard boundary before the record that would take a non-empty shard over
  // max_bytes; a chunk boundary after the record that takes a chunk to chunk_bytes, and at each
  // shard boundary. Never fails: files are touched by write() only.
  void plan(Batch& batch, std::shared_ptr<const std::string> records, std::span<const std::size_t> sizes);
  // Writes a planned and compressed batch; batches must be written in the order they were
  // planned. After a failure (the file named in the status) every later write and finish fail
  // too, and the shard being written is removed.
  Status write(Batch& batch);

  // The three steps for one record (a line ending in '\n') on this thread. Returns the shard file
  // it went to. A failed write may show at a later add or at finish (its chunk is written later).
  Result<std::string> add(std::string_view record);
  // The three steps for records laid end to end in `records` (copied), `sizes[i]` bytes each, on
  // this thread; appends each one's shard (its index) to `shards`.
  Status add(std::string_view records, std::span<const std::size_t> sizes, std::vector<std::uint32_t>& shards);
  // The file name of shard `index` ("part-00000.jsonl.zst").
  std::string shard_file(std::size_t index) const;
  // Writes the last chunk, closes the last shard, removes stale shards of an earlier run and
  // writes manifest.json.
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
