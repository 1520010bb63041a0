// Dedup benchmarks: MinHash signature throughput (MB/s on one core) and memory per document.
//
//   build-dedup/bench/dedup_bench                                 # all
//   build-dedup/bench/dedup_bench --benchmark_filter=Signature    # throughput only
//
// Text: the contents of ../shared/datasets/arabic-articles when present (real Arabic news),
// synthetic Arabic-like text otherwise (DECRUFT_DATASETS=DIR points elsewhere). Throughput counts the bytes of the match key hashed
// (bytes_per_second = MB/s per core; the runner calls dedup serially, so this is also the
// ceiling of the dedup part of a run). The memory benchmark inserts one million documents and
// reports the index's own accounting (bytes_per_doc) and the growth of the resident set.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/step.h"
#include "dedup/dedup.h"
#include "dedup/minhash.h"
#include "text/key.h"

namespace {

using namespace decruft;
using namespace decruft::dedup;

// Unescapes the "content" field of a JSONL record well enough for a benchmark (\n, \", \\, \uXXXX
// outside the BMP are not in this data).
std::string content_field(const std::string& line) {
  const std::string tag = "\"content\": \"";
  auto p = line.find(tag);
  if (p == std::string::npos) {
    return {};
  }
  std::string out;
  for (std::size_t i = p + tag.size(); i < line.size(); ++i) {
    char c = line[i];
    if (c == '"') {
      break;
    }
    if (c == '\\' && i + 1 < line.size()) {
      char n = line[++i];
      out += n == 'n' ? ' ' : n == 't' ? ' ' : n;
      continue;
    }
    out += c;
  }
  return out;
}

const std::vector<std::string>& texts() {
  static const std::vector<std::string> k_texts = [] {
    std::vector<std::string> out;
    const char* env = std::getenv("DECRUFT_DATASETS");
    std::string root = env != nullptr ? env : std::string(DECRUFT_SOURCE_DIR) + "/../shared/datasets";
    std::ifstream in(root + "/arabic-articles/saudinewsnet-2015-07.jsonl");
    std::string line;
    while (std::getline(in, line) && out.size() < 2000) {
      std::string c = content_field(line);
      if (!c.empty()) {
        out.push_back(std::move(c));
      }
    }
    if (out.empty()) {
      std::mt19937_64 rng(1);
      for (int d = 0; d < 500; ++d) {
        std::string t;
        for (int w = 0; w < 300; ++w) {
          int len = 2 + static_cast<int>(rng() % 6);
          for (int i = 0; i < len; ++i) {
            char32_t c = 0x0628 + static_cast<char32_t>(rng() % 30);
            t += static_cast<char>(0xC0 | (c >> 6));
            t += static_cast<char>(0x80 | (c & 0x3F));
          }
          t += ' ';
        }
        out.push_back(std::move(t));
      }
    }
    return out;
  }();
  return k_texts;
}

const std::vector<std::string>& keys() {
  static const std::vector<std::string> k_keys = [] {
    std::vector<std::string> out;
    for (const auto& t : texts()) {
      out.push_back(text::match_key(t));
    }
    return out;
  }();
  return k_keys;
}

std::int64_t total_bytes(const std::vector<std::string>& v) {
  std::int64_t n = 0;
  for (const auto& s : v) {
    n += static_cast<std::int64_t>(s.size());
  }
  return n;
}

// Key -> signature: word hashes, shingle hashes, 112 minima. The figure the issue asks for.
void BM_Signature(benchmark::State& state) {
  DedupOptions o;
  MinHasher hasher(o);
  const auto& ks = keys();
  for (auto _ : state) {
    for (const auto& k : ks) {
      benchmark::DoNotOptimize(hasher.signature(k));
    }
  }
  state.SetBytesProcessed(state.iterations() * total_bytes(ks));
  state.counters["docs"] = static_cast<double>(ks.size());
}
BENCHMARK(BM_Signature)->Unit(benchmark::kMillisecond);

// The two halves of it: shingle hashing alone, and the 112 minima alone.
void BM_SignatureShinglesOnly(benchmark::State& state) {
  DedupOptions o;
  const auto& ks = keys();
  for (auto _ : state) {
    for (const auto& k : ks) {
      benchmark::DoNotOptimize(shingle_hashes(k, o));
    }
  }
  state.SetBytesProcessed(state.iterations() * total_bytes(ks));
}
BENCHMARK(BM_SignatureShinglesOnly)->Unit(benchmark::kMillisecond);

void BM_SignatureMinimaOnly(benchmark::State& state) {
  DedupOptions o;
  MinHasher hasher(o);
  std::vector<std::vector<std::uint64_t>> shingles;
  for (const auto& k : keys()) {
    shingles.push_back(shingle_hashes(k, o));
  }
  std::int64_t n = 0;
  for (auto _ : state) {
    for (const auto& s : shingles) {
      benchmark::DoNotOptimize(hasher.signature_of_shingles(s));
      n += static_cast<std::int64_t>(s.size());
    }
  }
  state.SetBytesProcessed(state.iterations() * total_bytes(keys()));
  state.SetItemsProcessed(n);  // shingles
}
BENCHMARK(BM_SignatureMinimaOnly)->Unit(benchmark::kMillisecond);

// Cleaned text -> match key -> signature: what near_dedup costs per document end to end (the
// key is text::match_key, owned by src/text).
void BM_KeyAndSignature(benchmark::State& state) {
  MinHasher hasher;
  const auto& ts = texts();
  for (auto _ : state) {
    for (const auto& t : ts) {
      benchmark::DoNotOptimize(hasher.signature(text::match_key(t)));
    }
  }
  state.SetBytesProcessed(state.iterations() * total_bytes(ts));
}
BENCHMARK(BM_KeyAndSignature)->Unit(benchmark::kMillisecond);

// The near_dedup and exact_dedup steps on documents (key computed once, shared by both).
void BM_DedupSteps(benchmark::State& state) {
  const auto& ts = texts();
  std::vector<Document> docs;
  for (std::size_t i = 0; i < ts.size(); ++i) {
    Document d;
    d.id = "doc" + std::to_string(i);
    Block b;
    b.text = ts[i];
    d.blocks.push_back(std::move(b));
    docs.push_back(std::move(d));
  }
  for (auto _ : state) {
    state.PauseTiming();
    auto exact = make_exact_dedup_step();
    auto near = make_near_dedup_step();
    std::vector<Document> work = docs;
    state.ResumeTiming();
    for (auto& d : work) {
      exact->process(d);
      if (d.kept()) {
        near->process(d);
      }
    }
  }
  state.SetBytesProcessed(state.iterations() * total_bytes(ts));
}
BENCHMARK(BM_DedupSteps)->Unit(benchmark::kMillisecond);

long max_rss_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// One million documents through the index: signatures from 30 random shingles each (the index
// cost does not depend on document length), a quarter of them near copies of earlier ones.
void BM_NearIndexMillion(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  MinHasher hasher;
  for (auto _ : state) {
    long rss_before = max_rss_kb();
    NearIndex index;
    std::mt19937_64 rng(7);
    std::vector<std::uint64_t> shingles(30);
    std::size_t dups = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (i % 4 == 3) {
        shingles[rng() % 30] = rng();  // a near copy of the previous document
      } else {
        for (auto& s : shingles) {
          s = rng();
        }
      }
      dups += index.offer(hasher.signature_of_shingles(shingles)).duplicate ? 1 : 0;
    }
    state.counters["docs"] = static_cast<double>(n);
    state.counters["duplicates"] = static_cast<double>(dups);
    state.counters["bytes_per_doc"] = static_cast<double>(index.memory_bytes()) / static_cast<double>(n);
    state.counters["rss_growth_MB"] = static_cast<double>(max_rss_kb() - rss_before) / 1024.0;
  }
}
BENCHMARK(BM_NearIndexMillion)->Arg(1'000'000)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
