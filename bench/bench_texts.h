// The development texts the text-layer benchmarks run on: the article bodies of
// ../shared/datasets/arabic-articles/saudinewsnet-2015-07.jsonl ("content") when the datasets are
// there, else the seed scrapes raw/*.txt. One string per document, as read.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "io/input.h"

namespace decruft::bench {

// The files' contents in path order (a benchmark's input the same from run to run).
inline std::vector<std::string> read_sorted(std::vector<std::filesystem::path> files) {
  std::sort(files.begin(), files.end());
  std::vector<std::string> out;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    out.push_back(ss.str());
  }
  return out;
}

struct BenchTexts {
  std::string source;                  // what was read, for the benchmark's label
  std::vector<std::string> documents;  // their text
};

inline BenchTexts load_bench_texts() {
  namespace fs = std::filesystem;
  BenchTexts out;
  fs::path root(DECRUFT_SOURCE_DIR);
  fs::path dataset = root / ".." / "shared" / "datasets" / "arabic-articles" / "saudinewsnet-2015-07.jsonl";
  if (fs::exists(dataset)) {
    out.source = "dataset (saudinewsnet-2015-07.jsonl content)";
    io::ReadOptions options;
    options.format = InputFormat::k_jsonl;
    options.text_field = "content";
    io::read_documents({dataset.string(), "dataset", {}}, options,
                       [&](Document&& doc) { out.documents.push_back(std::move(doc.raw)); });
    return out;
  }
  out.source = "raw/*.txt";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(root / "raw")) {
    files.push_back(e.path());
  }
  out.documents = read_sorted(std::move(files));
  return out;
}

}  // namespace decruft::bench
