// Throughput of the per-block features: the match key, the character profile and the control
// scan every reader runs, on the normalised paragraphs of ../shared/datasets/arabic-articles
// (when present, else raw/*.txt): what Block::key() and Block::profile() see. Blocks get both
// from key_and_profile: compare BM_KeyAndProfile with BM_MatchKey + BM_Profile.
//
//   build-key/bench/key_bench --benchmark_repetitions=5
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bench_texts.h"
#include "text/chars.h"
#include "text/key.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace {

struct Corpus {
  std::string source;
  std::vector<std::string> paragraphs;  // normalised, as blocks hold them
  std::string joined;                   // all of them, one per line: a document for scan_controls
  std::size_t bytes = 0;

  Corpus() {
    decruft::bench::BenchTexts texts = decruft::bench::load_bench_texts();
    source = texts.source;
    for (const auto& t : texts.documents) {
      std::istringstream in(t);
      std::string line;
      while (std::getline(in, line)) {
        if (line.find_first_not_of(" \t\r") != std::string::npos) {
          paragraphs.push_back(decruft::text::normalize(line));
          bytes += paragraphs.back().size();
          joined += paragraphs.back();
          joined += '\n';
        }
      }
    }
  }
};

const Corpus& corpus() {
  static const Corpus c;
  return c;
}

template <class F>
void run_over(benchmark::State& state, F f) {
  for (auto _ : state) {
    for (const auto& t : corpus().paragraphs) {
      benchmark::DoNotOptimize(f(t));
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(corpus().bytes));
  state.SetLabel(corpus().source);
}

void BM_MatchKey(benchmark::State& state) {
  run_over(state, [](const std::string& t) { return decruft::text::match_key(t); });
}
BENCHMARK(BM_MatchKey)->Unit(benchmark::kMillisecond);

void BM_Profile(benchmark::State& state) {
  run_over(state, [](const std::string& t) { return decruft::text::profile(t); });
}
BENCHMARK(BM_Profile)->Unit(benchmark::kMillisecond);

// Both at once, as Block::key() and Block::profile() get them.
void BM_KeyAndProfile(benchmark::State& state) {
  run_over(state, [](const std::string& t) { return decruft::text::key_and_profile(t); });
}
BENCHMARK(BM_KeyAndProfile)->Unit(benchmark::kMillisecond);

// The readers' sniff: the first 8 KB of a document.
void BM_ScanControls(benchmark::State& state) {
  std::string_view all = corpus().joined;
  std::size_t bytes = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < all.size(); i += 8192) {
      benchmark::DoNotOptimize(decruft::text::scan_controls(all.substr(i), 8192));
    }
    bytes += all.size();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_ScanControls)->Unit(benchmark::kMicrosecond);

}  // namespace
BENCHMARK_MAIN();
