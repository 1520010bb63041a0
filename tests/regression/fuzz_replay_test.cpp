// Replays every saved fuzz input under tests/regression/fuzz/<target>/ through the same target
// body the libFuzzer executables run (tests/fuzz/targets.h), without libFuzzer: each crash found
// by fuzzing stays a regression test. The file names say what broke.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "../fuzz/targets.h"

namespace decruft {
namespace {

namespace fs = std::filesystem;
using Target = int (*)(const std::uint8_t*, std::size_t);

const std::map<std::string, Target>& targets() {
  static const std::map<std::string, Target> k_targets = {
      {"text_reader", fuzz::text_reader}, {"jsonl_reader", fuzz::jsonl_reader}, {"warc_reader", fuzz::warc_reader},
      {"html_path", fuzz::html_path},     {"normalize", fuzz::normalize},       {"segment", fuzz::segment},
      {"pipeline", fuzz::pipeline}};
  return k_targets;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void replay(Target target, const std::string& bytes) {
  target(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

TEST(FuzzReplay, EverySavedInputRunsCleanly) {
  fs::path root = fs::path(DECRUFT_SOURCE_DIR) / "tests/regression/fuzz";
  std::size_t n = 0;
  for (const auto& [name, target] : targets()) {
    fs::path dir = root / name;
    if (!fs::is_directory(dir)) {
      continue;
    }
    for (const auto& entry : fs::directory_iterator(dir)) {
      SCOPED_TRACE(entry.path().string());
      replay(target, slurp(entry.path()));
      ++n;
    }
  }
  for (const auto& entry : fs::directory_iterator(root)) {
    EXPECT_TRUE(!entry.is_directory() || targets().count(entry.path().filename().string()) == 1)
        << "unknown fuzz target directory " << entry.path();
  }
  RecordProperty("inputs", static_cast<int>(n));
}

// The seeds the targets start from must run cleanly too: raw/ documents and tests/fuzz/seeds/
// through every target.
TEST(FuzzReplay, SeedsRunThroughEveryTarget) {
  std::vector<fs::path> seeds;
  for (const auto& entry : fs::directory_iterator(fs::path(DECRUFT_SOURCE_DIR) / "raw")) {
    seeds.push_back(entry.path());
  }
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(DECRUFT_SOURCE_DIR) / "tests/fuzz/seeds")) {
    if (entry.is_regular_file()) {
      seeds.push_back(entry.path());
    }
  }
  for (const auto& path : seeds) {
    std::string bytes = slurp(path);
    for (const auto& [name, target] : targets()) {
      SCOPED_TRACE(name + " " + path.string());
      replay(target, bytes);
    }
  }
}

// Edge inputs each target must take: empty, one byte, NULs, a lone gzip/zstd magic, a WARC
// header with a huge Content-Length, deep nesting.
TEST(FuzzReplay, EdgeInputs) {
  const std::string deep = std::string(20000, '[') + std::string(20000, ']');
  const std::string edges[] = {
      "", "\n", std::string(1, '\0'), std::string(100, '\0'), "\x1f\x8b", "\x28\xb5\x2f\xfd",
      "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", "WARC/1.0\r\nContent-Length: 99999999999999999999\r\n\r\n",
      "WARC/1.0\r\nWARC-Type: response\r\nContent-Type: application/http\r\nContent-Length: 5\r\n\r\nHTTP/",
      "{\"text\": 1}\n{\"text\": \"\"}\n{}\n", deep, "{" + deep + "}\n",
      std::string(5000, '<') + "html>", "\xef\xbb\xbf", "\xff\xfe\xfd"};
  for (const auto& e : edges) {
    for (const auto& [name, target] : targets()) {
      SCOPED_TRACE(name);
      replay(target, e);
    }
  }
}

}  // namespace
}  // namespace decruft
