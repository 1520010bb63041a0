#include "cli/options.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <oneapi/tbb/info.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>

#include "io/parse.h"
#include "text/segment.h"

namespace decruft::cli {

namespace {

constexpr const char* k_footer = R"(EXAMPLES:
  decruft raw/ -o clean/                 clean a directory tree into clean/ (+ clean/report.json)
  cat page.txt | decruft > clean.txt     pipe mode
  decruft --format jsonl corpus.jsonl.zst > clean.jsonl
  decruft explain raw/003.txt            every block with its verdict, reason and evidence
  decruft raw/ -o clean/ --report-html report.html
                                         see what was removed, and why, in a browser

EXIT STATUS:
  0    every input document was processed (kept, or dropped with a reason)
  1    at least one document failed (unreadable, binary, malformed); the others were processed
       and the report names each failure
  2    usage or configuration error, or the output could not be written
  130  interrupted (SIGINT); no partial output files are left)";

}  // namespace

Result<ParseResult> parse_args(int argc, const char* const* argv) {
  ParseResult result;
  Options& o = result.options;
  CLI::App app{"decruft: clean scraped news into a corpus: article text and nothing else, every article once.",
               "decruft"};
  app.footer(k_footer);
  app.set_version_flag("-V,--version", std::string("decruft ") + DECRUFT_VERSION);
  app.set_help_flag("-h,--help", "Print this help and exit");
  app.option_defaults()->always_capture_default();

  std::string format = "text";
  std::string input_format = "auto";
  std::vector<std::string> normalize_off;
  bool keep_tatweel = true;

  app.add_option("paths", o.inputs, "Input files and directories (recursive); '-' is stdin (default when piped)")
      ->group("Input");
  app.add_option("--input-format", input_format, "auto | text | html | jsonl")
      ->check(CLI::IsMember({"auto", "text", "html", "jsonl"}))
      ->group("Input");
  app.add_option("--text-field", o.read.text_field, "JSON Lines field with the document text")->group("Input");
  app.add_option("--html-field", o.read.html_field, "JSON Lines field with an HTML page")->group("Input");
  app.add_option("--max-bytes", o.read.max_bytes,
                 "Largest document (file, JSONL line, WARC record) read; a larger one fails (e.g. 64MB)")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::PositiveNumber)
      ->group("Input");

  app.add_option("-o,--output", o.output_dir, "Output directory (default: stdout)")->group("Output");
  app.add_option("-f,--format", format, "text (paragraph per line) | sentences (sentence per line) | jsonl")
      ->check(CLI::IsMember({"text", "sentences", "jsonl"}))
      ->group("Output");
  app.add_flag("--jsonl-sentences", o.jsonl_sentences,
               "jsonl: add each record's sentences (a list per paragraph); off by default: the text again")
      ->group("Output");
  app.add_option("--report", o.report_path, "Run report (JSON) path (default: OUTPUT/report.json)")->group("Output");
  app.add_option("--report-html", o.report_html_path,
                 "Write a self-contained HTML report to FILE: summary, chart, removed blocks struck through")
      ->group("Output");
  app.add_option("--report-html-docs", o.report_html_docs,
                 "Documents shown in full in the HTML report (the first half, then an even sample)")
      ->group("Output");
  app.add_option("--duplicates", o.duplicates_path, "Duplicates report (JSONL) path (default: OUTPUT/duplicates.jsonl)")
      ->group("Output");
  app.add_option("--shard-size", o.shards.max_bytes,
                 "JSONL to -o DIR: uncompressed bytes per part-NNNNN.jsonl.zst shard (e.g. 256MB)")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::PositiveNumber)
      ->group("Output");
  std::string shard_compression = "zstd";
  app.add_option("--shard-compression", shard_compression, "JSONL shards: zstd | none")
      ->check(CLI::IsMember({"zstd", "none"}))
      ->group("Output");
  app.add_flag("--resume", o.resume,
               "Finish an interrupted -o DIR run: documents its report lists as written are not rewritten")
      ->group("Output");
  app.add_flag("--split-stories", o.filters.split_stories,
               "Write appended stories as documents of their own (<id>#2 ...) instead of dropping them")
      ->group("Output");

  app.add_flag("--steps", o.list_steps, "List the pipeline steps and exit")->group("Pipeline");
  app.add_option("--disable", o.disabled_steps, "Switch a step off by name (repeatable)")
      ->allow_extra_args(false)->group("Pipeline");
  app.add_option("--rules", o.filters.rule_files, "Extra phrase rule file (TOML; repeatable)")
      ->allow_extra_args(false)
      ->check(CLI::ExistingFile)
      ->group("Pipeline");
  app.add_option("--normalize-off", normalize_off,
                 "Switch a normalisation rule off: nfc, presentation-forms, invisible, spaces, punct-spacing")
      ->allow_extra_args(false)
      ->check(CLI::IsMember({"nfc", "presentation-forms", "invisible", "spaces", "punct-spacing"}))
      ->group("Pipeline");
  app.add_flag("--strip-tatweel", o.normalize.strip_tatweel, "Remove tatweel (U+0640)")->group("Pipeline");
  app.add_option("--corpus-min-docs", o.filters.corpus_min_docs,
                 "corpus_lines: a line recurring in at least this many documents is boilerplate")
      ->check(CLI::PositiveNumber)
      ->group("Pipeline");
  app.add_option("--story-similarity", o.filters.story_similarity,
                 "appended_stories: a section sharing less than this share of the article's own coherence is "
                 "another story")
      ->check(CLI::Range(0.0, 1.0))
      ->group("Pipeline");
  bool no_title = false;
  bool no_tables = false;
  bool no_code = false;
  app.add_flag("--no-title", no_title, "HTML pages: leave the page's title (headline) out of the text")
      ->group("Pipeline");
  app.add_flag("--no-tables", no_tables, "HTML pages: leave data tables inside the article out")->group("Pipeline");
  app.add_flag("--no-code", no_code, "HTML pages: leave <pre> code inside the article out")->group("Pipeline");

  app.add_option("--near-threshold", o.dedup.threshold, "near_dedup: Jaccard threshold")
      ->check(CLI::Range(0.0, 1.0))
      ->group("Deduplication");
  app.add_option("--shingle", o.dedup.shingle_words, "near_dedup: words per shingle")
      ->check(CLI::Range(1, 64))
      ->group("Deduplication");
  app.add_option("--bands", o.dedup.bands, "near_dedup: LSH bands")->check(CLI::Range(1, 256))->group("Deduplication");
  app.add_option("--rows", o.dedup.rows, "near_dedup: rows per band")->check(CLI::Range(1, 64))->group("Deduplication");
  app.add_flag("--dedup-paragraphs", o.dedup.paragraphs, "Also drop paragraphs seen in earlier documents")
      ->group("Deduplication");

  app.add_option("-j,--threads", o.threads, "Worker threads (default 0: all cores)")
      ->check(CLI::NonNegativeNumber)
      ->group("Run");
  app.add_flag("--stats", o.stats, "Print a per-step table on stderr at the end")->group("Run");
  app.add_option("--stats-json", o.stats_json_path, "Write per-step stats as JSON to FILE")->group("Run");
  app.add_flag("-q,--quiet", o.quiet, "No diagnostics on stderr except errors")->group("Run");

  std::string shard;
  app.add_option("--stage", o.cluster.stage,
                 "Cluster run: run one stage (prepass | clean | bands | dedup | write | merge) over --shard I/N "
                 "with files in --work DIR; see docs/cli.md and scripts/slurm/")
      ->check(CLI::IsMember({"prepass", "clean", "bands", "dedup", "write", "merge"}))
      ->group("Cluster");
  app.add_option("--shard", shard,
                 "Cluster run: I/N, this task's shard (0 <= I < N) of the inputs split into N by size; "
                 "dedup and merge take N alone")
      ->group("Cluster");
  app.add_option("--work", o.cluster.work, "Cluster run: work directory shared by all stages and shards")
      ->group("Cluster");

  CLI::App* explain = app.add_subcommand("explain", "Print every block with keep/drop, reason, step and evidence");
  std::string explain_file;
  explain->add_option("file", explain_file, "Input file ('-' for stdin)")->required();
  std::string explain_color = "auto";
  explain->add_option("--color", explain_color, "auto | always | never")
      ->check(CLI::IsMember({"auto", "always", "never"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    result.exit_now = true;
    result.exit_code = k_exit_ok;
    result.output = app.help();
    return result;
  } catch (const CLI::CallForVersion& e) {
    result.exit_now = true;
    result.exit_code = k_exit_ok;
    result.output = std::string("decruft ") + DECRUFT_VERSION + "\n";
    return result;
  } catch (const CLI::ParseError& e) {
    return Status::error(e.what());
  }

  static const std::map<std::string, io::OutputFormat> k_formats = {
      {"text", io::OutputFormat::k_text}, {"sentences", io::OutputFormat::k_sentences},
      {"jsonl", io::OutputFormat::k_jsonl}};
  o.format = k_formats.at(format);
  o.shards.zstd = shard_compression == "zstd";
  static const std::map<std::string, InputFormat> k_inputs = {{"auto", InputFormat::k_auto},
                                                              {"text", InputFormat::k_text},
                                                              {"html", InputFormat::k_html},
                                                              {"jsonl", InputFormat::k_jsonl}};
  o.read.format = k_inputs.at(input_format);
  for (const auto& n : normalize_off) {
    if (n == "nfc") o.normalize.nfc = false;
    if (n == "presentation-forms") o.normalize.fold_presentation_forms = false;
    if (n == "invisible") o.normalize.strip_invisible = false;
    if (n == "spaces") o.normalize.collapse_spaces = false;
    if (n == "punct-spacing") o.normalize.fix_punct_spacing = false;
  }
  (void)keep_tatweel;
  o.html.keep_title = !no_title;
  o.html.keep_tables = !no_tables;
  o.html.keep_code = !no_code;
  for (const CLI::Option* opt : app.get_options()) {
    static const std::set<std::string> k_not_output = {"--stage", "--shard",      "--work", "--threads",
                                                       "--quiet", "--stats",      "--stats-json",
                                                       "--help",  "--version"};
    if (opt->count() == 0 || k_not_output.count(opt->get_name()) > 0) {
      continue;
    }
    o.cluster.fingerprint += opt->get_name();
    for (const auto& r : opt->results()) {
      o.cluster.fingerprint += '\x1f' + r;
    }
    o.cluster.fingerprint += '\x1e';
  }
  if (!shard.empty() || !o.cluster.work.empty() || !o.cluster.stage.empty()) {
    auto number = [](std::string_view t, int& v) {
      if (t.empty() || t.size() > 6 || t.find_first_not_of("0123456789") != std::string_view::npos) {
        return false;
      }
      v = std::stoi(std::string(t));
      return true;
    };
    const bool whole = o.cluster.stage == "dedup" || o.cluster.stage == "merge";
    const auto slash = shard.find('/');
    bool good = false;
    if (slash != std::string::npos) {
      good = number(std::string_view(shard).substr(0, slash), o.cluster.shard) &&
             number(std::string_view(shard).substr(slash + 1), o.cluster.shards) && o.cluster.shard < o.cluster.shards;
    } else if (whole) {
      good = number(shard, o.cluster.shards);
    }
    if (o.cluster.stage.empty() || o.cluster.work.empty()) {
      return Status::error("a cluster run needs --stage, --shard and --work together");
    }
    if (!good || o.cluster.shards < 1) {
      return Status::error(fmt::format("--shard: expected I/N with 0 <= I < N{}, got '{}'",
                                       whole ? " (or N alone for this stage)" : "", shard));
    }
    if (o.output_dir.empty()) {
      return Status::error("a cluster run needs an output directory (-o DIR)");
    }
    if (o.resume || !o.report_html_path.empty() || o.dedup.paragraphs) {
      return Status::error("a cluster run does not support --resume, --report-html or --dedup-paragraphs");
    }
  }
  if (explain->parsed()) {
    o.explain = true;
    o.inputs = {explain_file};
    o.color = explain_color == "always" || (explain_color == "auto" && ::isatty(STDOUT_FILENO) != 0);
  }
  if (!o.output_dir.empty()) {
    if (o.report_path.empty()) {
      o.report_path = o.output_dir + "/report.json";
    }
    if (o.duplicates_path.empty()) {
      o.duplicates_path = o.output_dir + "/duplicates.jsonl";
    }
  }
  return result;
}

std::size_t thread_count(const Options& o) {
  return o.threads > 0 ? static_cast<std::size_t>(o.threads)
                       : static_cast<std::size_t>(std::max(1, tbb::info::default_concurrency()));
}

Result<Pipeline> build_pipeline(const Options& o) {
  Pipeline p;
  p.add(io::make_decode_step());
  p.add(io::make_blocks_step(o.html));
  p.add(text::make_normalize_step(o.normalize));
  auto filters = filters::make_filters(o.filters);
  if (!filters) {
    return filters.status();
  }
  for (auto& f : *filters) {
    p.add(std::move(f));
  }
  p.add(text::make_sentences_step());
  p.add(dedup::make_exact_dedup_step(o.dedup));
  p.add(dedup::make_near_dedup_step(o.dedup));
  p.add(dedup::make_paragraph_dedup_step(o.dedup));
  for (const char* name : k_serial_steps) {
    (void)p.mark_serial(name);
  }
  if (!o.dedup.paragraphs) {
    (void)p.disable("paragraph_dedup");
  }
  // Sentences are cut for the outputs that show them (the sentences format, jsonl with
  // --jsonl-sentences); elsewhere segmenting would be work thrown away.
  if (o.format != io::OutputFormat::k_sentences && !(o.format == io::OutputFormat::k_jsonl && o.jsonl_sentences)) {
    (void)p.disable("sentences");
  }
  for (const auto& name : o.disabled_steps) {
    if (Status s = p.disable(name); !s) {
      return s;
    }
  }
  return p;
}

}  // namespace decruft::cli
