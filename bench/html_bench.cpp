// Throughput of html::extract (decode, prescan, Gumbo, blocks, region, metadata) on the real
// pages of ../shared/datasets/html-dev, single-threaded: bytes_per_second is MB/s of HTML per
// core. Also the stages alone (prescan; prescan + Gumbo + flattening) to show where time goes.
//
//   build-html/bench/html_bench --benchmark_min_time=2
// Skips (reports an error state) when the data set is absent.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>
#include <vector>

#include "bench_texts.h"
#include "html/dom.h"
#include "html/extract.h"
#include "html/prescan.h"

namespace {

namespace fs = std::filesystem;

const std::vector<std::string>& pages() {
  static const std::vector<std::string> loaded = [] {
    std::vector<std::string> out;
    fs::path root = fs::path(DECRUFT_SOURCE_DIR) / ".." / "shared" / "datasets" / "html-dev";
    std::error_code ec;
    if (!fs::is_directory(root, ec)) {
      return out;
    }
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(root, ec)) {
      auto ext = e.path().extension();
      if (e.is_regular_file() && (ext == ".html" || ext == ".htm")) {
        files.push_back(e.path());
      }
    }
    return decruft::bench::read_sorted(std::move(files));
  }();
  return loaded;
}

std::int64_t total_bytes() {
  std::int64_t n = 0;
  for (const auto& p : pages()) {
    n += static_cast<std::int64_t>(p.size());
  }
  return n;
}

void BM_extract(benchmark::State& state) {
  if (pages().empty()) {
    state.SkipWithError("../shared/datasets/html-dev is absent");
    return;
  }
  decruft::html::HtmlOptions options;
  for (auto _ : state) {
    for (const auto& p : pages()) {
      decruft::Document doc;
      doc.format = decruft::InputFormat::k_html;
      doc.raw = p;
      decruft::html::extract(doc, options);
      benchmark::DoNotOptimize(doc.blocks.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * total_bytes());
  state.counters["pages"] = static_cast<double>(pages().size());
}
BENCHMARK(BM_extract)->Unit(benchmark::kMillisecond);

void BM_prescan(benchmark::State& state) {
  if (pages().empty()) {
    state.SkipWithError("../shared/datasets/html-dev is absent");
    return;
  }
  std::int64_t kept = 0;
  for (auto _ : state) {
    kept = 0;
    for (const auto& p : pages()) {
      auto pre = decruft::html::detail::prescan(p);
      kept += static_cast<std::int64_t>(pre.html.size());
      benchmark::DoNotOptimize(pre.html.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * total_bytes());
  state.counters["kept_share"] = static_cast<double>(kept) / static_cast<double>(total_bytes());
}
BENCHMARK(BM_prescan)->Unit(benchmark::kMillisecond);

void BM_prescan_and_parse(benchmark::State& state) {
  if (pages().empty()) {
    state.SkipWithError("../shared/datasets/html-dev is absent");
    return;
  }
  for (auto _ : state) {
    for (const auto& p : pages()) {
      auto pre = decruft::html::detail::prescan(p);
      auto page = decruft::html::detail::build_page(pre.html);
      benchmark::DoNotOptimize(page.blocks.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * total_bytes());
}
BENCHMARK(BM_prescan_and_parse)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
