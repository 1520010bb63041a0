// argv -> Options (validation only) -> Pipeline. Separate from running so it can be unit-tested.
#pragma once

#include <string>
#include <vector>

#include "core/pipeline.h"
#include "core/status.h"
#include "dedup/dedup.h"
#include "filters/registry.h"
#include "html/extract.h"
#include "io/input.h"
#include "io/output.h"
#include "text/normalize.h"

namespace decruft::cli {

// A cluster run's stage (docs/cli.md "Cluster run"): --stage, --shard I/N, --work DIR.
struct ClusterOptions {
  std::string stage;   // empty: an ordinary run; prepass | clean | bands | dedup | write | merge
  int shard = -1;      // I of --shard I/N (per-shard stages)
  int shards = 0;      // N
  std::string work;    // the work directory shared by all tasks
  // Every option given that can change the output (inputs, -o and the rest; not --stage, --shard,
  // --work, -j, -q, --stats), as parsed: the work files carry it so that a stage given other
  // options than the stages before it fails instead of mixing two runs.
  std::string fingerprint;
};

struct Options {
  std::vector<std::string> inputs;        // files, directories, "-"; empty: stdin
  std::string output_dir;                 // -o; empty: stdout
  io::OutputFormat format = io::OutputFormat::k_text;
  bool jsonl_sentences = false;  // jsonl: each record also carries its paragraphs' sentences
  io::ReadOptions read;
  std::vector<std::string> disabled_steps;
  text::NormalizeOptions normalize;
  filters::FilterOptions filters;
  dedup::DedupOptions dedup;
  html::HtmlOptions html;
  std::string report_path;                // default: <output_dir>/report.json
  std::string duplicates_path;            // default: <output_dir>/duplicates.jsonl
  std::string stats_json_path;
  std::string report_html_path;           // --report-html: the HTML report (io/html_report.h)
  std::size_t report_html_docs = 200;     // documents shown in full in it (a deterministic sample)
  io::ShardOptions shards;                // -o DIR --format jsonl: part-NNNNN.jsonl.zst shards
  bool resume = false;                    // skip rewriting what an interrupted run completed
  bool stats = false;
  bool quiet = false;
  bool list_steps = false;
  bool explain = false;                   // `decruft explain FILE`
  bool color = false;                     // explain: colour output
  int threads = 0;                        // -j; 0: all cores
  ClusterOptions cluster;
};

// The exit statuses, documented in --help and README.
inline constexpr int k_exit_ok = 0;          // every document processed (kept or dropped)
inline constexpr int k_exit_doc_failed = 1;  // at least one document failed (see the report)
inline constexpr int k_exit_usage = 2;       // bad usage, bad configuration, unwritable output
inline constexpr int k_exit_interrupted = 130;

struct ParseResult {
  Options options;
  bool exit_now = false;  // --help / --version printed
  int exit_code = 0;
  std::string output;     // what to print for --help/--version
};

// Parses argv. Errors come back as a Status with the message to print.
Result<ParseResult> parse_args(int argc, const char* const* argv);

// The steps that keep state across documents (dedup): they run serially, in input order, after
// the per-document steps, which run in parallel. See Pipeline::serial_begin().
inline constexpr const char* k_serial_steps[] = {"exact_dedup", "near_dedup", "paragraph_dedup"};

// The whole pipeline for these options, with the disabled steps switched off and the stateful
// steps marked serial.
Result<Pipeline> build_pipeline(const Options& options);

// The pipeline threads of a run: -j, or by default every core oneTBB sees (at least 1).
std::size_t thread_count(const Options& options);

}  // namespace decruft::cli
