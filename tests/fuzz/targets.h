// The fuzz targets' bodies, shared by the libFuzzer executables (tests/fuzz/fuzz_*.cpp, built
// with -DDECRUFT_FUZZ=ON and clang) and the crash replay test (tests/regression/), which runs every
// saved crash input through them without libFuzzer.
//
// Each takes arbitrary bytes, caps their size, and must neither crash nor hang nor leak; the
// contracts checked (output is valid UTF-8 JSON-safe text, accounting holds) abort on violation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "cli/options.h"
#include "core/document.h"
#include "core/pipeline.h"
#include "html/extract.h"
#include "io/input.h"
#include "io/output.h"
#include "io/parse.h"
#include "text/normalize.h"
#include "text/segment.h"
#include "text/utf8.h"

namespace decruft::fuzz {

inline constexpr std::size_t k_max_input = std::size_t{1} << 20;

inline void check(bool ok) {
  if (!ok) {
    std::abort();
  }
}

// Reads every document of `bytes` as the file `name` would be read; returns how many.
inline std::size_t read_all(std::string_view name, std::string_view bytes, InputFormat format) {
  io::ReadOptions options;
  options.format = format;
  options.max_bytes = 256 << 10;
  io::DocumentReader reader({std::string(name), std::string(name), ""}, options, std::string(bytes));
  std::size_t n = 0;
  while (auto doc = reader.next()) {
    check(doc->error || !doc->source.empty());
    ++n;
    check(n < (std::size_t{1} << 22));
  }
  return n;
}

// The text reader (with compressed-input sniffing), decode and blocks steps.
inline int text_reader(const std::uint8_t* data, std::size_t size) {
  if (size > k_max_input) {
    return 0;
  }
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  io::ReadOptions options;
  options.max_bytes = 256 << 10;
  io::DocumentReader reader({"in.txt", "in.txt", ""}, options, std::string(bytes));
  auto decode = io::make_decode_step();
  auto blocks = io::make_blocks_step();
  while (auto doc = reader.next()) {
    decode->process(*doc);
    if (doc->kept()) {
      check(text::is_valid_utf8(doc->raw));
      blocks->process(*doc);
      for (const auto& b : doc->blocks) {
        check(b.raw_begin <= b.raw_end && b.raw_end <= doc->raw.size());
      }
    }
  }
  return 0;
}

inline int jsonl_reader(const std::uint8_t* data, std::size_t size) {
  if (size > k_max_input) {
    return 0;
  }
  read_all("in.jsonl", std::string_view(reinterpret_cast<const char*>(data), size), InputFormat::k_auto);
  return 0;
}

inline int warc_reader(const std::uint8_t* data, std::size_t size) {
  if (size > k_max_input) {
    return 0;
  }
  read_all("in.warc", std::string_view(reinterpret_cast<const char*>(data), size), InputFormat::k_auto);
  return 0;
}

// The HTML path: decode + blocks (html::extract) on bytes taken as a page.
inline int html_path(const std::uint8_t* data, std::size_t size) {
  if (size > k_max_input) {
    return 0;
  }
  Document doc;
  doc.id = doc.source = "in.html";
  doc.format = InputFormat::k_html;
  doc.raw.assign(reinterpret_cast<const char*>(data), size);
  auto decode = io::make_decode_step();
  auto blocks = io::make_blocks_step();
  decode->process(doc);
  if (doc.kept()) {
    blocks->process(doc);
  }
  if (doc.kept()) {
    for (const auto& b : doc.blocks) {
      check(text::is_valid_utf8(b.text));
    }
    (void)io::render(doc, io::OutputFormat::k_jsonl);
  }
  return 0;
}

inline int normalize(const std::uint8_t* data, std::size_t size) {
  if (size > k_max_input) {
    return 0;
  }
  std::string s = text::repair_utf8(std::string_view(reinterpret_cast<const char*>(data), size)).text;
  std::string once = text::normalize(s);
  check(text::is_valid_utf8(once));
  check(text::normalize(once) == once);  // idempotent
  return 0;
}

inline int segment(const std::uint8_t* data, std::size_t size) {
  if (size > k_max_input) {
    return 0;
  }
  std::string s = text::repair_utf8(std::string_view(reinterpret_cast<const char*>(data), size)).text;
  for (const auto& sentence : text::split_sentences(s)) {
    check(text::is_valid_utf8(sentence) && !sentence.empty());
  }
  for (const auto& word : text::split_words(s)) {
    check(text::is_valid_utf8(word));
  }
  return 0;
}

// The whole pipeline with default options, on the bytes read as an auto-detected input; every
// document ends kept, dropped or failed, and renders to valid output.
inline int pipeline(const std::uint8_t* data, std::size_t size) {
  if (size > k_max_input) {
    return 0;
  }
  // The dedup steps remember every document: a fresh pipeline every 256 inputs keeps memory flat.
  static std::unique_ptr<Pipeline> p;
  static unsigned runs = 0;
  if (!p || ++runs % 256 == 0) {
    auto built = cli::build_pipeline(cli::Options{});
    check(built.ok());
    p = std::make_unique<Pipeline>(std::move(*built));
  }
  io::ReadOptions options;
  options.max_bytes = 256 << 10;
  io::DocumentReader reader({"in", "in", ""}, options,
                            std::string(reinterpret_cast<const char*>(data), size));
  io::Report report;
  while (auto doc = reader.next()) {
    p->run(*doc);
    if (doc->kept()) {
      for (auto f : {io::OutputFormat::k_text, io::OutputFormat::k_sentences, io::OutputFormat::k_jsonl}) {
        check(text::is_valid_utf8(io::render(*doc, f)));
      }
    }
    report.add(*doc, "");
  }
  check(report.documents() == report.kept() + report.dropped_total() + report.failed());
  return 0;
}

}  // namespace decruft::fuzz
