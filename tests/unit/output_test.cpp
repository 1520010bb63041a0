#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <zstd.h>

#include "core/document.h"
#include "core/json.h"
#include "io/output.h"

namespace decruft {
namespace {

// make_report_entry counts removed blocks by reason in a small vector sorted afterwards: the JSON
// and the counts must be what a std::map gives, written with the plain Writer, on many generated
// documents (reasons repeated, interleaved, names that are prefixes of each other, none at all).
TEST(ReportEntry, RemovedByReasonIsTheMapOfTheRemovedBlocks) {
  const std::vector<std::string> reasons = {"nav", "nav_link", "boilerplate", "a", "ab", "b", "zz_last",
                                            "duplicate_line", "short"};
  std::mt19937 rng(17);
  for (int i = 0; i < 3000; ++i) {
    Document doc;
    doc.id = "doc-" + std::to_string(i);
    doc.source = "in.jsonl:" + std::to_string(i + 1);
    std::map<std::string, std::uint64_t> expected;
    std::size_t kept = 0;
    std::string kept_text;
    const std::size_t n = rng() % 12;
    for (std::size_t b = 0; b < n; ++b) {
      Block block;
      block.text = std::string(rng() % 20, 'x');
      if (rng() % 2 == 0) {
        const std::string& r = reasons[rng() % (1 + rng() % reasons.size())];
        block.drop = Drop{r, "step", ""};
        ++expected[r];
      } else {
        kept_text += (kept++ > 0 ? "\n" : "") + block.text;
      }
      doc.blocks.push_back(std::move(block));
    }
    if (rng() % 5 == 0) {
      doc.drop = Drop{"empty", "empty", ""};
    }
    io::ReportEntry e = io::make_report_entry(doc, "");
    json::Writer w;
    w.begin_object();
    for (const auto& [k, v] : expected) {
      w.key(k);
      w.value(v);
    }
    w.end_object();
    const std::string removed = ",\"removed_by_reason\":" + w.str() + "}";
    ASSERT_EQ(e.json.substr(e.json.size() - std::min(e.json.size(), removed.size())), removed) << e.json;
    EXPECT_NE(e.json.find(",\"blocks\":" + std::to_string(n) + ",\"kept_blocks\":" + std::to_string(kept) + ","),
              std::string::npos)
        << e.json;
    if (doc.drop) {
      EXPECT_EQ(e.outcome, io::ReportEntry::Outcome::k_dropped);
      EXPECT_TRUE(e.blocks_removed.empty());
      EXPECT_EQ(e.bytes_out, 0u);
    } else {
      EXPECT_EQ(e.outcome, io::ReportEntry::Outcome::k_kept);
      EXPECT_EQ(e.blocks_removed, expected);
      EXPECT_EQ(e.bytes_out, kept_text.size());
    }
  }
}

std::map<std::string, std::string> files_in(const std::filesystem::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(e.path(), std::ios::binary);
    files[e.path().filename().string()] = std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  return files;
}

// A shard's bytes depend on its records and the options alone: add() of each record, add() of
// batches of them, and plan/compress/write of batches compressed on threads of their own, several
// at once, must all write the same shards, cut before the same records, the same manifest and
// each record's shard. The batches have random counts (one record; runs shorter and longer than a
// chunk; records over max_bytes), so that chunks and shards start and end inside batches and
// chunks span batches. zstd with the default chunks and with small ones, and plain shards.
TEST(ShardWriter, ShardsAreTheSameWhateverTheBatchesAndThreads) {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / ("decruft-shard-batch-test-" + std::to_string(::getpid()));
  std::mt19937 rng(5);
  for (int round = 0; round < 6; ++round) {
    std::vector<std::string> records;
    std::string all;
    std::vector<std::size_t> sizes;
    const std::size_t count = 200 + rng() % 1500;
    for (std::size_t i = 0; i < count; ++i) {
      std::string r = "{\"text\":\"";
      const std::size_t words = rng() % 8 == 0 ? rng() % 6000 : rng() % 400;
      for (std::size_t w = 0; w < words; ++w) {
        r += "word" + std::to_string(rng() % 3000) + ' ';
      }
      r += "\"}\n";
      all += r;
      sizes.push_back(r.size());
      records.push_back(std::move(r));
    }
    for (int mode = 0; mode < 3; ++mode) {
      io::ShardOptions options;
      options.max_bytes = std::uint64_t{1} << (18 + rng() % 5);  // 256 KB .. 4 MB
      if (round % 2 == 0) {
        // A first shard filled to exactly max_bytes: the next record opens the second.
        options.max_bytes = 0;
        for (std::size_t k = 0, n = 20 + rng() % 200; k < n; ++k) {
          options.max_bytes += sizes[k];
        }
      }
      options.zstd = mode != 2;
      if (mode == 1) {
        options.chunk_bytes = 1 + rng() % 50000;
      }
      const fs::path one = root / "one";
      const fs::path batch = root / "batch";
      fs::remove_all(root);
      fs::create_directories(one);
      fs::create_directories(batch);
      std::vector<std::string> names;
      {
        io::ShardWriter w(one.string(), options);
        for (const auto& r : records) {
          auto name = w.add(r);
          ASSERT_TRUE(name.ok());
          names.push_back(*name);
        }
        ASSERT_TRUE(w.finish().ok());
      }
      std::vector<std::uint32_t> shards;
      {
        io::ShardWriter w(batch.string(), options);
        std::size_t i = 0;
        std::size_t at = 0;
        // Planned batches waiting to be compressed (at once, each on a thread) and written.
        std::vector<io::ShardWriter::Batch> planned;
        auto flush = [&] {
          std::vector<std::thread> threads;
          for (auto& b : planned) {
            threads.emplace_back([&b] { b.compress(); });
          }
          for (auto& t : threads) {
            t.join();
          }
          for (auto& b : planned) {
            shards.insert(shards.end(), b.shards().begin(), b.shards().end());
            ASSERT_TRUE(w.write(b).ok());
          }
          planned.clear();
        };
        while (i < records.size()) {
          const std::size_t n = std::min(records.size() - i, std::size_t{1} + rng() % (rng() % 2 == 0 ? 4 : 300));
          std::size_t bytes = 0;
          for (std::size_t k = i; k < i + n; ++k) {
            bytes += sizes[k];
          }
          const std::string_view these = std::string_view(all).substr(at, bytes);
          if (round % 2 == 0) {
            ASSERT_TRUE(w.add(these, std::span(sizes).subspan(i, n), shards).ok());
          } else {
            w.plan(planned.emplace_back(), std::make_shared<const std::string>(these), std::span(sizes).subspan(i, n));
            if (planned.size() >= 1 + rng() % 6) {
              flush();
            }
          }
          i += n;
          at += bytes;
        }
        flush();
        ASSERT_EQ(shards.size(), records.size());
        for (std::size_t k = 0; k < records.size(); ++k) {
          ASSERT_EQ(w.shard_file(shards[k]), names[k]) << k;
        }
        ASSERT_TRUE(w.finish().ok());
      }
      const auto expected = files_in(one);
      const auto got = files_in(batch);
      ASSERT_GT(expected.size(), 1u);
      ASSERT_EQ(got.size(), expected.size()) << round << " " << mode;
      for (const auto& [name, bytes] : expected) {
        ASSERT_TRUE(got.contains(name)) << name;
        ASSERT_TRUE(got.at(name) == bytes) << "round " << round << " mode " << mode << ": " << name << " differs";
      }
    }
  }
  fs::remove_all(root);
}

// Each chunk of a zstd shard is compressed with no memory of the ones before it, but the decoder
// carries its repeat offsets from one block to the next: a chunk whose first match repeats at
// distance 1, 4 or 8 (the offsets a fresh compressor starts from) must not be coded as a repeat.
// Records that start with such runs, each its own chunk, decode to themselves.
TEST(ShardWriter, ChunksThatStartWithRepeatsDecode) {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / ("decruft-shard-repeat-test-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root);
  std::mt19937 rng(11);
  const std::string runs[] = {std::string(40, 'a'), "abcdabcdabcdabcdabcd", "abcdefghabcdefghabcdefgh", "q", "  "};
  std::string all;
  {
    io::ShardOptions options;
    options.chunk_bytes = 1;  // every record a chunk
    io::ShardWriter w(root.string(), options);
    for (int i = 0; i < 5000; ++i) {
      const std::string& run = runs[rng() % 5];
      std::string r = run + std::to_string(rng()) + run + "\n";
      all += r;
      ASSERT_TRUE(w.add(r).ok());
    }
    ASSERT_TRUE(w.finish().ok());
  }
  const auto files = files_in(root);
  const std::string& z = files.at("part-00000.jsonl.zst");
  std::string back(all.size(), '\0');
  ASSERT_EQ(ZSTD_decompress(back.data(), back.size(), z.data(), z.size()), all.size());
  EXPECT_TRUE(back == all);
  fs::remove_all(root);
}

}  // namespace
}  // namespace decruft
