// Real text for the text-layer property tests: every line of raw/*.txt and, when the development
// data set is present (../shared/datasets), every paragraph of the Arabic articles.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "io/input.h"

namespace decruft::testing {

inline std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.find_first_not_of(" \t") != std::string::npos) {
      out.push_back(line);
    }
  }
  return out;
}

// Lines of the sample scrapes in raw/ (part of the repository, always present).
inline std::vector<std::string> raw_paragraphs() {
  std::vector<std::filesystem::path> files;
  std::filesystem::path dir = std::filesystem::path(DECRUFT_SOURCE_DIR) / "raw";
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".txt") {
      files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> out;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    for (auto& l : split_lines(ss.str())) {
      out.push_back(std::move(l));
    }
  }
  return out;
}

inline std::filesystem::path dataset_path() {
  return std::filesystem::path(DECRUFT_SOURCE_DIR) / ".." / "shared" / "datasets" / "arabic-articles" /
         "saudinewsnet-2015-07.jsonl";
}

// Paragraphs (lines) of the articles' `content`; empty when the data set is absent.
inline std::vector<std::string> dataset_paragraphs() {
  std::vector<std::string> out;
  if (!std::filesystem::exists(dataset_path())) {
    return out;
  }
  io::InputFile input{dataset_path().string(), "saudinewsnet-2015-07.jsonl", {}};
  io::ReadOptions options;
  options.format = InputFormat::k_jsonl;
  options.text_field = "content";
  io::read_documents(input, options, [&](Document&& doc) {
    if (doc.error) {
      return;
    }
    for (auto& l : split_lines(doc.raw)) {
      out.push_back(std::move(l));
    }
  });
  return out;
}

}  // namespace decruft::testing
