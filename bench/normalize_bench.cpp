// Throughput of the normalize step's two halves on real paragraphs, as the `blocks` step makes them
// (lines of the article text, trimmed; most are already normal):
//   is_normalized   every paragraph (the quick check the step runs first)
//   normalize       the paragraphs the quick check refuses (the full pass)
//   step            what the step does per block: the check, then the pass when needed
// Input: ../shared/datasets/arabic-articles (when present), else raw/*.txt.
//
//   build-norm/bench/normalize_bench --benchmark_repetitions=5
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bench_texts.h"
#include "text/normalize.h"

namespace {

// Non-empty lines, trimmed of ASCII blanks like text_to_blocks does.
void add_paragraphs(const std::string& text, std::vector<std::string>& out) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::size_t b = line.find_first_not_of(" \t\r\f\v");
    if (b == std::string::npos) {
      continue;
    }
    std::size_t e = line.find_last_not_of(" \t\r\f\v");
    out.push_back(line.substr(b, e - b + 1));
  }
}

struct Paragraphs {
  std::vector<std::string> all;
  std::vector<std::string> changed;  // normalize() changes them
  std::size_t all_bytes = 0;
  std::size_t changed_bytes = 0;

  Paragraphs() {
    for (const auto& text : decruft::bench::load_bench_texts().documents) {
      add_paragraphs(text, all);
    }
    for (const auto& p : all) {
      all_bytes += p.size();
      if (!decruft::text::is_normalized(p)) {
        changed.push_back(p);
        changed_bytes += p.size();
      }
    }
  }
};

const Paragraphs& paragraphs() {
  static const Paragraphs p;
  return p;
}

void BM_IsNormalized(benchmark::State& state) {
  const auto& p = paragraphs();
  for (auto _ : state) {
    std::size_t n = 0;
    for (const auto& s : p.all) {
      n += decruft::text::is_normalized(s) ? 1 : 0;
    }
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * p.all_bytes));
  state.counters["paragraphs"] = static_cast<double>(p.all.size());
}
BENCHMARK(BM_IsNormalized)->Unit(benchmark::kMillisecond);

void BM_NormalizeChanged(benchmark::State& state) {
  const auto& p = paragraphs();
  for (auto _ : state) {
    std::size_t n = 0;
    for (const auto& s : p.changed) {
      n += decruft::text::normalize(s).size();
    }
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * p.changed_bytes));
  state.counters["paragraphs"] = static_cast<double>(p.changed.size());
}
BENCHMARK(BM_NormalizeChanged)->Unit(benchmark::kMillisecond);

void BM_NormalizeStep(benchmark::State& state) {
  const auto& p = paragraphs();
  for (auto _ : state) {
    std::size_t n = 0;
    for (const auto& s : p.all) {
      if (decruft::text::is_normalized(s) && decruft::text::has_letter_or_digit(s)) {
        continue;
      }
      n += decruft::text::normalize(s).size();
    }
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * p.all_bytes));
}
BENCHMARK(BM_NormalizeStep)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
