// Regression tests for bugs found in the readers and the CLI, each named after what broke.
#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include <string>
#include <vector>

#include "io/input.h"

namespace decruft::io {
namespace {

std::vector<Document> read(const std::string& name, const std::string& bytes) {
  DocumentReader reader({name, name, ""}, ReadOptions{}, bytes);
  std::vector<Document> out;
  while (auto d = reader.next()) {
    out.push_back(std::move(*d));
  }
  return out;
}

std::string gzip(const std::string& s) {
  std::string out(compressBound(static_cast<uLong>(s.size())) + 64, '\0');
  z_stream zs{};
  deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(s.data()));
  zs.avail_in = static_cast<uInt>(s.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string zstd(const std::string& s) {
  std::string out(ZSTD_compressBound(s.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), s.data(), s.size(), 1));
  return out;
}

// Sizes around the reader's 256 KiB buffer, where the decompressor's output buffer fills exactly
// as the compressed stream ends.
const std::size_t k_sizes[] = {0, 1, (1 << 18) - 1, 1 << 18, (1 << 18) + 1, 1 << 19, (1 << 19) + 7};

std::string text_of(std::size_t n) {
  std::string s;
  s.reserve(n);
  for (std::size_t i = 0; s.size() < n; ++i) {
    s += "line " + std::to_string(i) + " of text\n";
  }
  s.resize(n);
  return s;
}

// A complete zstd file was reported "truncated zstd data": after the frame ended, one more
// ZSTD_decompressStream call with no input returned a non-zero hint, taken for a partial frame.
TEST(IoRegression, ZstdCompleteFrameIsNotReportedTruncated) {
  for (std::size_t n : k_sizes) {
    std::string text = text_of(n);
    auto docs = read("a.txt.zst", zstd(text));
    ASSERT_EQ(docs.size(), 1u) << n;
    ASSERT_FALSE(docs[0].error) << n << ": " << *docs[0].error;
    EXPECT_EQ(docs[0].raw, text) << n;
    auto two = read("a.txt.zst", zstd(text) + zstd("tail\n"));  // concatenated frames
    ASSERT_FALSE(two[0].error) << n;
    EXPECT_EQ(two[0].raw, text + "tail\n");
  }
}

// The gzip reader must not call a stream truncated when the output buffer fills exactly at the
// end of the data (inflate returns Z_STREAM_END only on the next call).
TEST(IoRegression, GzipOutputFullAtStreamEndIsNotTruncated) {
  for (std::size_t n : k_sizes) {
    std::string text = text_of(n);
    auto docs = read("a.txt.gz", gzip(text));
    ASSERT_EQ(docs.size(), 1u) << n;
    ASSERT_FALSE(docs[0].error) << n << ": " << *docs[0].error;
    EXPECT_EQ(docs[0].raw, text) << n;
    auto members = read("a.txt.gz", gzip(text) + gzip("tail\n"));
    ASSERT_FALSE(members[0].error) << n;
    EXPECT_EQ(members[0].raw, text + "tail\n");
  }
}

// JSON Lines: a record split exactly at the reader's buffer boundary is read whole.
TEST(IoRegression, JsonlLineAcrossTheReadBufferBoundary) {
  std::string first = "{\"text\":\"" + std::string((1 << 18) - 12, 'a') + "\"}\n";
  std::string data = first + "{\"text\":\"b\"}\n";
  for (const auto& bytes : {data, gzip(data), zstd(data)}) {
    auto docs = read("x.jsonl", bytes);
    ASSERT_EQ(docs.size(), 2u);
    EXPECT_FALSE(docs[0].error);
    EXPECT_EQ(docs[0].raw.size(), (1u << 18) - 12);
    EXPECT_EQ(docs[1].raw, "b");
  }
}

}  // namespace
}  // namespace decruft::io
