// argv -> Options (validation only) -> Pipeline, without running anything.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/options.h"

namespace decruft::cli {
namespace {

Result<ParseResult> parse(std::vector<std::string> args) {
  args.insert(args.begin(), "decruft");
  std::vector<const char*> argv;
  for (const auto& a : args) {
    argv.push_back(a.c_str());
  }
  return parse_args(static_cast<int>(argv.size()), argv.data());
}

TEST(CliOptions, DefaultsReadStdinAndWriteTextToStdout) {
  auto r = parse({});
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Options& o = r->options;
  EXPECT_TRUE(o.inputs.empty());
  EXPECT_TRUE(o.output_dir.empty());
  EXPECT_EQ(o.format, io::OutputFormat::k_text);
  EXPECT_EQ(o.read.format, InputFormat::k_auto);
  EXPECT_EQ(o.threads, 0);
  EXPECT_TRUE(o.report_path.empty());
  EXPECT_FALSE(o.resume);
  EXPECT_FALSE(r->exit_now);
}

TEST(CliOptions, OutputDirDefaultsTheReportPaths) {
  auto r = parse({"raw/", "-o", "out"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->options.inputs, std::vector<std::string>{"raw/"});
  EXPECT_EQ(r->options.report_path, "out/report.json");
  EXPECT_EQ(r->options.duplicates_path, "out/duplicates.jsonl");
  auto explicit_report = parse({"raw/", "-o", "out", "--report", "r.json"});
  ASSERT_TRUE(explicit_report.ok());
  EXPECT_EQ(explicit_report->options.report_path, "r.json");
}

TEST(CliOptions, FormatsMapToWriters) {
  EXPECT_EQ(parse({"-f", "sentences"})->options.format, io::OutputFormat::k_sentences);
  EXPECT_EQ(parse({"--format", "jsonl"})->options.format, io::OutputFormat::k_jsonl);
  EXPECT_EQ(parse({"--format", "text"})->options.format, io::OutputFormat::k_text);
  EXPECT_EQ(parse({"--input-format", "jsonl"})->options.read.format, InputFormat::k_jsonl);
}

TEST(CliOptions, RejectsBadValuesWithAMessage) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"--format", "xml"},
                                                                 {"--input-format", "pdf"},
                                                                 {"-j", "-3"},
                                                                 {"--near-threshold", "1.5"},
                                                                 {"--no-such-option"},
                                                                 {"--max-bytes", "0"},
                                                                 {"--shard-compression", "lz4"}}) {
    auto r = parse(args);
    EXPECT_FALSE(r.ok()) << args[0];
    if (!r.ok()) {
      EXPECT_FALSE(r.status().message().empty());
    }
  }
}

TEST(CliOptions, SizesTakeUnits) {
  auto r = parse({"--max-bytes", "2MB", "--shard-size", "1kb", "--shard-compression", "none"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->options.read.max_bytes, std::size_t{2} << 20);
  EXPECT_EQ(r->options.shards.max_bytes, 1024u);
  EXPECT_FALSE(r->options.shards.zstd);
}

TEST(CliOptions, HelpAndVersionExitNow) {
  auto help = parse({"--help"});
  ASSERT_TRUE(help.ok());
  EXPECT_TRUE(help->exit_now);
  EXPECT_EQ(help->exit_code, k_exit_ok);
  EXPECT_NE(help->output.find("EXIT STATUS"), std::string::npos);
  EXPECT_NE(help->output.find("130"), std::string::npos);
  auto version = parse({"--version"});
  ASSERT_TRUE(version.ok());
  EXPECT_TRUE(version->exit_now);
  EXPECT_EQ(version->output.rfind("decruft ", 0), 0u);
}

TEST(CliOptions, ExplainTakesOneFile) {
  auto r = parse({"explain", "raw/a.txt", "--color", "never"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->options.explain);
  EXPECT_EQ(r->options.inputs, std::vector<std::string>{"raw/a.txt"});
  EXPECT_FALSE(r->options.color);
  EXPECT_FALSE(parse({"explain"}).ok());
}

TEST(CliOptions, PipelineHasTheStepsInOrderAndDisableSwitchesOneOff) {
  auto r = parse({"--disable", "near_dedup"});
  ASSERT_TRUE(r.ok());
  auto p = build_pipeline(r->options);
  ASSERT_TRUE(p.ok()) << p.status().message();
  auto steps = p->steps();
  ASSERT_GE(steps.size(), 4u);
  EXPECT_EQ(steps[0].name, "decode");
  EXPECT_EQ(steps[1].name, "blocks");
  EXPECT_FALSE(p->enabled("near_dedup"));
  EXPECT_TRUE(p->enabled("exact_dedup"));
  EXPECT_FALSE(p->enabled("paragraph_dedup"));  // off unless --dedup-paragraphs
  EXPECT_TRUE(build_pipeline(parse({"--dedup-paragraphs"})->options)->enabled("paragraph_dedup"));
  // Segmentation only where the output shows sentences.
  EXPECT_FALSE(p->enabled("sentences"));
  EXPECT_TRUE(build_pipeline(parse({"--format", "sentences"})->options)->enabled("sentences"));
  EXPECT_FALSE(build_pipeline(parse({"--format", "jsonl"})->options)->enabled("sentences"));
  EXPECT_TRUE(build_pipeline(parse({"--format", "jsonl", "--jsonl-sentences"})->options)->enabled("sentences"));
}

TEST(CliOptions, UnknownStepIsAnErrorNamingTheKnownOnes) {
  auto r = parse({"--disable", "no_such_step"});
  ASSERT_TRUE(r.ok());  // validation of step names needs the pipeline
  auto p = build_pipeline(r->options);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("no_such_step"), std::string::npos);
  EXPECT_NE(p.status().message().find("decode"), std::string::npos);
}

TEST(CliOptions, DedupStepsRunSeriallyAfterThePerDocumentSteps) {
  auto p = build_pipeline(parse({})->options);
  ASSERT_TRUE(p.ok());
  auto steps = p->steps();
  std::size_t split = p->serial_begin();
  ASSERT_LT(split, steps.size());
  EXPECT_EQ(steps[split].name, "exact_dedup");
  for (std::size_t i = 0; i < split; ++i) {
    EXPECT_NE(steps[i].name, "near_dedup");
  }
  auto none = build_pipeline(parse({"--disable", "exact_dedup", "--disable", "near_dedup"})->options);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->serial_begin(), none->size());
}

}  // namespace
}  // namespace decruft::cli

namespace decruft::cli {
namespace {

// Regression: `--disable near_dedup raw/` took raw/ as a second step name.
TEST(CliOptions, RepeatableOptionsTakeOneValueEach) {
  auto r = parse({"--disable", "near_dedup", "raw/", "--disable", "exact_dedup"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->options.inputs, std::vector<std::string>{"raw/"});
  EXPECT_EQ(r->options.disabled_steps, (std::vector<std::string>{"near_dedup", "exact_dedup"}));
}

}  // namespace
}  // namespace decruft::cli
