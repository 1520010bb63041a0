// Runs a corpus through the pipeline: inputs -> documents -> steps -> writers and reports.
#pragma once

#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/options.h"
#include "core/pipeline.h"

namespace decruft::cli {

// Returns the exit status (see options.h). Diagnostics go to `err` with a "decruft: " prefix.
int run_corpus(const Options& options, Pipeline& pipeline, std::FILE* out, std::FILE* err);

// One cluster task's share of a corpus run over one shard (src/cli/cluster.cpp sets it up; see
// docs/cli.md "Cluster run"). The documents and the steps are exactly those of a single-machine
// run over the same files; only what happens around the serial (dedup) steps changes:
//   k_prepass  the first pass of the corpus-level steps only; then `after_prepass`
//   k_clean    the per-document steps; every document reaching the serial steps goes to
//              `signature` with its prepared keys, in input order; nothing is written
//   k_write    the serial steps replay the verdicts `verdict` fills in; every output goes to
//              `output` (JSONL: the rendered record; text formats: written to -o DIR as usual),
//              and `finish` receives the duplicates lines and the stats at the end
// The first pass of k_clean and k_write is loaded by the caller (Pipeline::merge_prepass and
// end_prepass), never run.
struct ShardTask {
  enum class Stage { k_prepass, k_clean, k_write };
  Stage stage = Stage::k_clean;
  std::vector<io::InputFile> files;
  std::function<Status(Pipeline&)> after_prepass;
  std::function<Status(const Document&, const Prepared&)> signature;
  std::function<Status(const Document&, Prepared&)> verdict;
  std::function<Status(std::string_view rendered, const io::ReportEntry& entry)> output;
  std::function<Status(const std::string& duplicates, const RunStats& stats)> finish;
};
int run_shard(const Options& options, Pipeline& pipeline, ShardTask& task, std::FILE* err);

// A kept document's report entry names the JSONL shard file it went to.
void name_shard_output(io::ReportEntry& entry, std::string_view shard);

// `decruft explain`: prints every block of every document in the input with its verdict.
int run_explain(const Options& options, Pipeline& pipeline, std::FILE* out, std::FILE* err);

}  // namespace decruft::cli
