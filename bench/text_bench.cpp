// Throughput of the text layer on real text: normalize, match_key, split_sentences (and its ICU
// oracle), split_words.
// Input: the paragraphs of ../shared/datasets/arabic-articles (when present), else raw/*.txt.
// Each benchmark sets bytes processed, so Google Benchmark prints bytes_per_second (MB/s).
//
//   build-text/bench/text_bench --benchmark_min_time=2
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bench_texts.h"
#include "text/key.h"
#include "text/normalize.h"
#include "text/segment.h"

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) {
      out.push_back(line);
    }
  }
  return out;
}

struct Corpus {
  std::string source;
  std::vector<std::string> raw;         // paragraphs as scraped
  std::vector<std::string> normalized;  // after normalize(): what later steps see
  std::size_t raw_bytes = 0;
  std::size_t normalized_bytes = 0;

  Corpus() {
    decruft::bench::BenchTexts texts = decruft::bench::load_bench_texts();
    source = texts.source;
    for (const auto& text : texts.documents) {
      for (auto& l : lines_of(text)) {
        raw.push_back(std::move(l));
      }
    }
    for (const auto& p : raw) {
      raw_bytes += p.size();
      normalized.push_back(decruft::text::normalize(p));
      normalized_bytes += normalized.back().size();
    }
  }
};

const Corpus& corpus() {
  static const Corpus c;
  return c;
}

template <class F>
void run_over(benchmark::State& state, const std::vector<std::string>& texts, std::size_t bytes, F f) {
  for (auto _ : state) {
    for (const auto& t : texts) {
      benchmark::DoNotOptimize(f(t));
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(bytes));
  state.SetLabel(corpus().source);
}

void BM_Normalize(benchmark::State& state) {
  run_over(state, corpus().raw, corpus().raw_bytes, [](const std::string& t) { return decruft::text::normalize(t); });
}
BENCHMARK(BM_Normalize)->Unit(benchmark::kMillisecond);

// Already-normalised text (a second pass, or text from a clean source): the common no-change path.
void BM_NormalizeIdempotentPass(benchmark::State& state) {
  run_over(state, corpus().normalized, corpus().normalized_bytes,
           [](const std::string& t) { return decruft::text::normalize(t); });
}
BENCHMARK(BM_NormalizeIdempotentPass)->Unit(benchmark::kMillisecond);

void BM_MatchKey(benchmark::State& state) {
  run_over(state, corpus().normalized, corpus().normalized_bytes,
           [](const std::string& t) { return decruft::text::match_key(t); });
}
BENCHMARK(BM_MatchKey)->Unit(benchmark::kMillisecond);

// The ICU oracle, for comparison with the fast path.
void BM_MatchKeyIcu(benchmark::State& state) {
  run_over(state, corpus().normalized, corpus().normalized_bytes,
           [](const std::string& t) { return decruft::text::match_key_icu(t); });
}
BENCHMARK(BM_MatchKeyIcu)->Unit(benchmark::kMillisecond);

void BM_SplitSentences(benchmark::State& state) {
  run_over(state, corpus().normalized, corpus().normalized_bytes,
           [](const std::string& t) { return decruft::text::split_sentences(t); });
}
BENCHMARK(BM_SplitSentences)->Unit(benchmark::kMillisecond);

// The cuts alone, and through ICU's iterator for every paragraph (the oracle of the scanner that
// sentence_boundaries runs first).
void BM_SentenceBoundaries(benchmark::State& state) {
  run_over(state, corpus().normalized, corpus().normalized_bytes,
           [](const std::string& t) { return decruft::text::sentence_boundaries(t); });
}
BENCHMARK(BM_SentenceBoundaries)->Unit(benchmark::kMillisecond);

void BM_SentenceBoundariesIcu(benchmark::State& state) {
  run_over(state, corpus().normalized, corpus().normalized_bytes,
           [](const std::string& t) { return decruft::text::sentence_boundaries_icu(t); });
}
BENCHMARK(BM_SentenceBoundariesIcu)->Unit(benchmark::kMillisecond);

void BM_SplitWords(benchmark::State& state) {
  run_over(state, corpus().normalized, corpus().normalized_bytes,
           [](const std::string& t) { return decruft::text::split_words(t); });
}
BENCHMARK(BM_SplitWords)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
