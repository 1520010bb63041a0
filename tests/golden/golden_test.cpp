// Golden pairs: tests/golden/cases/NAME.txt runs through the real pipeline and must give
// NAME.expected.txt exactly. DECRUFT_UPDATE_GOLDEN=1 rewrites the expected files (review the diff).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/options.h"
#include "io/output.h"

namespace fs = std::filesystem;

namespace decruft {
namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Golden, ConstructedCasesMatchExpected) {
  fs::path dir = fs::path(DECRUFT_SOURCE_DIR) / "tests/golden/cases";
  bool update = std::getenv("DECRUFT_UPDATE_GOLDEN") != nullptr;
  std::size_t cases = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".txt" || name.find(".expected.") != std::string::npos) {
      continue;
    }
    ++cases;
    cli::Options o;
    auto p = cli::build_pipeline(o);
    ASSERT_TRUE(p.ok());
    Document d;
    d.id = entry.path().stem().string();
    d.source = entry.path().string();
    d.format = InputFormat::k_text;
    d.raw = slurp(entry.path());
    p->run(d);
    std::string got = io::render(d, io::OutputFormat::k_text);
    fs::path want_path = dir / (entry.path().stem().string() + ".expected.txt");
    if (update) {
      std::ofstream(want_path, std::ios::binary) << got;
      continue;
    }
    std::string want = slurp(want_path);
    EXPECT_EQ(want, got) << name << ": expected (left) vs got (right); rerun with DECRUFT_UPDATE_GOLDEN=1 to rewrite";
  }
  EXPECT_GE(cases, 5u);
}

}  // namespace
}  // namespace decruft
