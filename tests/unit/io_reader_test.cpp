// Readers from memory: text, JSON Lines, WARC, compressed streams, limits and failures.
#include <gtest/gtest.h>
#include <zlib.h>
#define ZSTD_STATIC_LINKING_ONLY  // ZSTD_getFrameHeader
#include <zstd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "core/json.h"
#include "core/pipeline.h"
#include "io/input.h"
#include "io/output.h"
#include "io/parse.h"
#include "text/utf8.h"

namespace decruft::io {
namespace {

std::vector<Document> read(const std::string& name, const std::string& bytes, ReadOptions options = {}) {
  DocumentReader reader({name, name, ""}, options, bytes);
  std::vector<Document> out;
  while (auto d = reader.next()) {
    out.push_back(std::move(*d));
  }
  return out;
}

std::string gzip(const std::string& s) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, s.size()) + 64, '\0');
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
  out.resize(ZSTD_compress(out.data(), out.size(), s.data(), s.size(), 3));
  return out;
}

TEST(IoReader, TextFileIsOneDocumentNamedByItsPath) {
  auto docs = read("a/b.txt", "title\n\npara one\r\npara two\n");
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].id, "a/b");
  EXPECT_EQ(docs[0].out_path, "a/b.txt");
  EXPECT_EQ(docs[0].format, InputFormat::k_text);
  text_to_blocks(docs[0]);
  ASSERT_EQ(docs[0].blocks.size(), 3u);
  EXPECT_EQ(docs[0].blocks[1].text, "para one");  // CR stripped
  EXPECT_EQ(docs[0].blocks[1].line, 3u);
  EXPECT_EQ(docs[0].blocks[2].line, 4u);
}

TEST(IoReader, CompressedInputIsSniffedByMagicBytes) {
  const std::string text = "title\nsome text\n";
  for (const auto& bytes : {gzip(text), zstd(text), gzip(text) + gzip("more\n")}) {
    auto docs = read("x.txt.gz", bytes);
    ASSERT_EQ(docs.size(), 1u);
    ASSERT_FALSE(docs[0].error) << *docs[0].error;
    EXPECT_EQ(docs[0].raw.substr(0, text.size()), text);
  }
}

TEST(IoReader, TruncatedCompressionFailsTheDocument) {
  const std::string text(5000, 'x');
  for (auto bytes : {gzip(text), zstd(text)}) {
    bytes.resize(bytes.size() / 2);
    auto docs = read("x.txt", bytes);
    ASSERT_EQ(docs.size(), 1u);
    ASSERT_TRUE(docs[0].error);
    EXPECT_NE(docs[0].error->find("truncated"), std::string::npos) << *docs[0].error;
  }
}

TEST(IoReader, JsonLinesRecordsFieldsAndErrors) {
  const std::string data =
      "{\"id\":\"a\",\"title\":\"T\",\"text\":\"x\\ny\",\"url\":\"u\",\"n\":[1]}\n"
      "\n"
      "{bad\n"
      "{\"id\":5,\"content\":\"c\"}\n"
      "{\"other\":1}\n"
      "{\"html\":\"<p>p</p>\"}\r\n";
  auto docs = read("d/c.jsonl", data);
  ASSERT_EQ(docs.size(), 5u);  // the blank line is not a document
  EXPECT_EQ(docs[0].id, "a");
  EXPECT_EQ(docs[0].title, "T");
  EXPECT_EQ(docs[0].raw, "x\ny");
  EXPECT_EQ(docs[0].source, "d/c.jsonl:1");
  EXPECT_EQ(docs[0].out_path, "d/c/a.txt");
  EXPECT_EQ(docs[0].metadata.at("url"), "\"u\"");
  EXPECT_EQ(docs[0].metadata.at("n"), "[1]");
  ASSERT_TRUE(docs[1].error);
  EXPECT_EQ(docs[1].error->rfind("d/c.jsonl:3: invalid JSON", 0), 0u) << *docs[1].error;
  EXPECT_EQ(docs[2].id, "5");
  EXPECT_EQ(docs[2].raw, "c");
  ASSERT_TRUE(docs[3].error);
  EXPECT_NE(docs[3].error->find("d/c.jsonl:5: record has no string 'text' field"), std::string::npos);
  EXPECT_EQ(docs[4].format, InputFormat::k_html);
  EXPECT_EQ(docs[4].id, "d/c:6");
}

TEST(IoReader, OversizedDocumentsFailWithoutStoppingTheInput) {
  ReadOptions o;
  o.max_bytes = 100;
  auto docs = read("c.jsonl", "{\"text\":\"" + std::string(500, 'a') + "\"}\n{\"text\":\"ok\"}\n", o);
  ASSERT_EQ(docs.size(), 2u);
  ASSERT_TRUE(docs[0].error);
  EXPECT_NE(docs[0].error->find("larger than 100 bytes"), std::string::npos);
  EXPECT_FALSE(docs[1].error);
  auto whole = read("big.txt", std::string(101, 'a'), o);
  ASSERT_EQ(whole.size(), 1u);
  EXPECT_TRUE(whole[0].error);
}

std::string warc_record(const std::string& type, const std::string& uri, const std::string& payload,
                        const std::string& content_type) {
  return "WARC/1.0\r\nWARC-Type: " + type + "\r\nWARC-Target-URI: " + uri +
         "\r\nWARC-Date: 2020-01-01T00:00:00Z\r\nContent-Type: " + content_type +
         "\r\nContent-Length: " + std::to_string(payload.size()) + "\r\n\r\n" + payload + "\r\n\r\n";
}

TEST(IoReader, WarcResponsesWithHtmlBecomeDocuments) {
  const std::string page = "<html><body><p>hello</p></body></html>";
  const std::string http = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page;
  const std::string chunked = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n" +
                              std::string("5\r\n<html\r\n3\r\n><p\r\n0\r\n\r\n");
  const std::string warc = warc_record("warcinfo", "", "a: b\r\n", "application/warc-fields") +
                           warc_record("response", "http://x/1", http, "application/http; msgtype=response") +
                           warc_record("response", "http://x/i.png",
                                       "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG",
                                       "application/http; msgtype=response") +
                           warc_record("response", "http://x/2", chunked, "application/http; msgtype=response");
  for (const auto& bytes : {warc, gzip(warc)}) {
    auto docs = read("cc.warc.gz", bytes);
    ASSERT_EQ(docs.size(), 2u);
    EXPECT_EQ(docs[0].raw, page);
    EXPECT_EQ(docs[0].format, InputFormat::k_html);
    EXPECT_EQ(docs[0].metadata.at("url"), "\"http://x/1\"");
    EXPECT_EQ(docs[0].metadata.at("date"), "\"2020-01-01T00:00:00Z\"");
    EXPECT_EQ(docs[0].source, "cc.warc.gz#2");
    EXPECT_EQ(docs[1].raw, "<html><p");
  }
  // Truncated mid-record: the complete records, then a failure.
  auto cut = read("cc.warc", warc.substr(0, warc.size() - 20));
  ASSERT_EQ(cut.size(), 2u);
  EXPECT_FALSE(cut[0].error);
  ASSERT_TRUE(cut[1].error);
  EXPECT_NE(cut[1].error->find("truncated WARC record 4"), std::string::npos) << *cut[1].error;
}

TEST(IoReader, SniffsJsonLinesAndWarcWithoutExtension) {
  EXPECT_EQ(read("-", "{\"text\":\"a\"}\n{\"text\":\"b\"}\n").size(), 2u);
  EXPECT_EQ(read("-", "just text {not json}\nmore\n").size(), 1u);
  EXPECT_EQ(read("blob", warc_record("response", "u", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>x</p>",
                                     "application/http"))
                .size(),
            1u);
}

TEST(IoReader, CollectInputsSortsTreesAndReportsBrokenLinks) {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / ("decruft-io-test-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "b");
  fs::create_directories(root / ".hidden");
  std::ofstream(root / "b" / "2.txt") << "x";
  std::ofstream(root / "a.txt") << "x";
  std::ofstream(root / ".hidden" / "h.txt") << "x";
  fs::create_symlink("missing", root / "c.txt");
  fs::create_directory_symlink("..", root / "up");
  auto c = collect_inputs({root.string()});
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->files.size(), 3u);
  EXPECT_EQ(c->files[0].rel, "a.txt");
  EXPECT_EQ(c->files[1].rel, "b/2.txt");
  EXPECT_EQ(c->files[2].rel, "c.txt");
  EXPECT_FALSE(c->files[2].error.empty());
  ASSERT_EQ(c->warnings.size(), 1u);
  EXPECT_NE(c->warnings[0].find("not followed"), std::string::npos);
  EXPECT_FALSE(collect_inputs({(root / "nope").string()}).ok());
  fs::remove_all(root);
}

TEST(IoOutput, ReportAccountsForEveryDocument) {
  Report report;
  Document kept;
  kept.id = kept.source = "k";
  Block b1;
  b1.text = "keep";
  Block b2;
  b2.text = "nav";
  b2.drop = Drop{"nav", "nav", ""};
  kept.blocks = {b1, b2};
  Document dropped;
  dropped.id = dropped.source = "d";
  dropped.drop = Drop{"empty_doc", "blocks", ""};
  Document failed;
  failed.id = failed.source = "f\xff";  // a file name that is not UTF-8
  failed.error = "f: binary";
  report.add(kept, "k.txt");
  report.add(dropped, "");
  report.add(failed, "");
  EXPECT_EQ(report.documents(), 3u);
  EXPECT_EQ(report.kept() + report.dropped_total() + report.failed(), report.documents());
  EXPECT_EQ(report.blocks_removed().at("nav"), 1u);
  std::string json = report.to_json(RunStats{});
  EXPECT_NE(json.find("\"documents_in\":3"), std::string::npos);
  EXPECT_NE(json.find("\"dropped_by_reason\":{\"empty_doc\":1}"), std::string::npos);
  EXPECT_NE(json.find("f\xEF\xBF\xBD"), std::string::npos);  // repaired for JSON
}

TEST(IoOutput, ShardsRollOverBySizeAndListInTheManifest) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("decruft-shard-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    ShardWriter w(dir.string(), ShardOptions{100, false, 3});
    for (int i = 0; i < 5; ++i) {
      auto r = w.add(std::string(60, 'a' + i) + "\n");
      ASSERT_TRUE(r.ok());
      EXPECT_EQ(*r, "part-0000" + std::to_string(i) + ".jsonl");
    }
    ASSERT_TRUE(w.finish().ok());
  }
  EXPECT_TRUE(fs::exists(dir / "part-00004.jsonl"));
  EXPECT_TRUE(fs::exists(dir / "manifest.json"));
  std::ifstream m(dir / "manifest.json");
  std::string manifest((std::istreambuf_iterator<char>(m)), std::istreambuf_iterator<char>());
  EXPECT_NE(manifest.find("\"documents\":5"), std::string::npos) << manifest;
  fs::remove_all(dir);
}

// The JSONL record writes the kept text in place, block by block: the same string as kept_text(),
// empty blocks and escapes included.
TEST(IoOutput, JsonlTextIsTheKeptText) {
  using Texts = std::vector<std::pair<std::string, bool>>;  // text, kept
  for (const Texts& blocks : {Texts{}, Texts{{"", true}}, Texts{{"", true}, {"a", true}},
                              Texts{{"a", true}, {"", true}, {"b", true}}, Texts{{"x", false}, {"", true}},
                              Texts{{"x", false}, {"قال \"هو\"\t\\", true}, {"nav", false}, {"ب", true}},
                              Texts{{"", true}, {"", true}, {"c", true}, {"", true}}}) {
    Document doc;
    doc.id = "i\xff";
    doc.source = "s";
    for (const auto& [text, kept] : blocks) {
      Block b;
      b.text = text;
      b.sentences = {text};
      if (!kept) {
        b.drop = Drop{"nav", "nav", ""};
      }
      doc.blocks.push_back(b);
    }
    std::string line = render(doc, OutputFormat::k_jsonl, true);
    std::string expected = "\"text\":" + json::quote(doc.kept_text()) + ",\"sentences\":";
    EXPECT_NE(line.find(expected), std::string::npos) << line;
    EXPECT_EQ(line.rfind("{\"id\":\"i\xEF\xBF\xBD\",\"source\":\"s\",", 0), 0u) << line;
    EXPECT_EQ(line.back(), '\n');
  }
}

// Records read unparsed (defer_jsonl) and parsed later on another thread are the documents read
// directly: fields, ids, output paths, metadata and every kind of failure with its message.
TEST(IoReader, DeferredJsonlRecordsParseToTheSameDocuments) {
  const std::string bytes =
      "{\"id\": \"a1\", \"title\": \"T\", \"text\": \"one\\ntwo\", \"url\": \"http://x\", \"n\": [1, 2]}\n"
      "\n"
      "{\"content\": \"only content\", \"id\": 7}\n"
      "not json at all\n"
      "[1, 2, 3]\n"
      "{\"title\": \"no body\"}\n"
      "{\"html\": \"<p>page</p>\"}\n";
  for (const std::string& name : {std::string("dir/in.jsonl"), std::string("-")}) {
    for (bool body_only : {false, true}) {
      ReadOptions direct;
      direct.format = InputFormat::k_jsonl;
      direct.body_only = body_only;
      ReadOptions deferred = direct;
      deferred.defer_jsonl = true;
      auto a = read(name, bytes, direct);
      auto b = read(name, bytes, deferred);
      ASSERT_EQ(a.size(), b.size());
      ASSERT_EQ(a.size(), 6u);
      for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(b[i].format, InputFormat::k_jsonl);
        parse_deferred_record(b[i], deferred);
        EXPECT_EQ(a[i].id, b[i].id) << i;
        EXPECT_EQ(a[i].source, b[i].source) << i;
        EXPECT_EQ(a[i].out_path, b[i].out_path) << i;
        EXPECT_EQ(a[i].title, b[i].title) << i;
        EXPECT_EQ(a[i].raw, b[i].raw) << i;
        EXPECT_EQ(a[i].format, b[i].format) << i;
        EXPECT_EQ(a[i].metadata, b[i].metadata) << i;
        EXPECT_EQ(a[i].error.value_or(""), b[i].error.value_or("")) << i;
      }
      // A first pass reads whether there is a title, not the title.
      EXPECT_EQ(a[0].title, body_only ? "t" : "T");
      EXPECT_EQ(a[1].title, "");
      if (!body_only) {
        EXPECT_EQ(a[0].id, "a1");
        EXPECT_EQ(a[1].raw, "only content");
        EXPECT_NE(b[2].error.value_or("").find(name == "-" ? "<stdin>:4: invalid JSON" : "dir/in.jsonl:4: invalid JSON"),
                  std::string::npos)
            << b[2].error.value_or("");
        EXPECT_TRUE(b[3].error.has_value());
        EXPECT_TRUE(b[4].error.has_value());
        EXPECT_EQ(b[5].format, InputFormat::k_html);
      }
    }
  }
}

void expect_same_documents(const std::vector<Document>& a, const std::vector<Document>& b, const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].id, b[i].id) << what << " " << i;
    EXPECT_EQ(a[i].source, b[i].source) << what << " " << i;
    EXPECT_EQ(a[i].out_path, b[i].out_path) << what << " " << i;
    EXPECT_EQ(a[i].title, b[i].title) << what << " " << i;
    EXPECT_EQ(a[i].raw, b[i].raw) << what << " " << i;
    EXPECT_EQ(a[i].format, b[i].format) << what << " " << i;
    EXPECT_EQ(a[i].metadata, b[i].metadata) << what << " " << i;
    EXPECT_EQ(a[i].error.value_or(""), b[i].error.value_or("")) << what << " " << i;
  }
}

// The documents of a file read from the file system with the runner's options: deferred records,
// parsed afterwards.
std::vector<Document> read_path(const std::string& path, const std::string& rel, ReadOptions options) {
  options.defer_jsonl = true;
  DocumentReader reader({path, rel, ""}, options);
  std::vector<Document> out;
  while (auto d = reader.next()) {
    parse_deferred_record(*d, options);
    out.push_back(std::move(*d));
  }
  return out;
}

// JSON Lines records are handed out as views into the reader's 256 KiB buffer, copied only when
// they straddle two reads: every line comes out whole, once, with its limit, whether it ends at a
// read's end or not. A file read deferred and the same bytes read from memory directly against
// the lines themselves: empty input, no final newline, lines ending at a page boundary, CRLF, a
// BOM, blank lines, bad records, lines over --max-bytes, lines longer than a read, many lines
// across reads; and a compressed file.
TEST(IoReader, JsonlLinesAcrossReadsComeOutWhole) {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / ("decruft-io-lines-test-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root);
  const std::size_t page = 4096;
  // A record whose line is exactly n bytes long (without its newline), n >= 12.
  auto record = [](std::size_t n, char fill) { return "{\"text\":\"" + std::string(n - 11, fill) + "\"}"; };
  std::vector<std::pair<std::string, std::string>> cases = {
      {"empty", ""},
      {"newline only", "\n"},
      {"no final newline", "{\"text\":\"a\"}\n{\"text\":\"b\"}"},
      {"crlf", "{\"text\":\"a\"}\r\n\r\n{\"text\":\"b\"}\r\n"},
      {"bom", "\xEF\xBB\xBF{\"text\":\"a\",\"id\":\"x\"}\n"},
      {"bad records", "{bad\n[1]\n{\"title\":\"t\"}\n{\"text\":\"\\ud800\"}\n{\"text\":\"\xC3\x28\"}\n{\"text\":\"ok\"}\n"},
      {"page minus newline", record(page - 1, 'a') + "\n" + record(100, 'b') + "\n"},
      {"page exactly, no newline", record(page, 'a')},
      {"page exactly with newline", record(page - 1, 'a') + "\n"},
      {"line across a page", record(page - 10, 'a') + "\n" + record(50, 'b') + "\n" + record(30, 'c')},
      {"too long", record(300, 'a') + "\n" + record(200, 'e') + "\n" + record(50, 'b') + "\n" + record(201, 'c') +
                       "\n" + record(200, 'd')},
      {"too long at the end", record(50, 'b') + "\n" + record(201, 'c')},
  };
  // Lines longer than a read (256 KiB), and many lines straddling two reads, some ending exactly
  // at the end of a read.
  std::string big;
  std::uint32_t seed = 12345;
  for (int i = 0; i < 300; ++i) {
    seed = seed * 1103515245 + 12345;
    std::size_t n = 20 + (seed >> 8) % (i % 50 == 0 ? 400000 : 9000);
    std::size_t chunk = std::size_t{1} << 18;
    if (i == 100 || i == 200) {
      n = chunk - big.size() % chunk - 1;  // the newline is the read's last byte
    }
    if (i == 150 && chunk - big.size() % chunk > 20) {
      n = chunk - big.size() % chunk;  // the line fills the read, its newline starts the next one
    }
    big += record(std::max<std::size_t>(n, 12), static_cast<char>('a' + i % 26));
    big += (i % 7 == 0 && i != 100 && i != 200) ? "\r\n" : "\n";
  }
  cases.emplace_back("across reads", big);
  int n = 0;
  for (const auto& [what, bytes] : cases) {
    for (bool body_only : {false, true}) {
      ReadOptions o;
      o.max_bytes = what.rfind("too long", 0) == 0 ? 200 : std::size_t{64} << 20;
      o.body_only = body_only;
      std::string name = "f" + std::to_string(n++) + ".jsonl";
      fs::path path = root / name;
      std::ofstream(path, std::ios::binary) << bytes;
      auto from_file = read_path(path.string(), name, o);
      DocumentReader reader({path.string(), name, ""}, o, bytes);
      std::vector<Document> from_memory;
      while (auto d = reader.next()) {
        from_memory.push_back(std::move(*d));
      }
      expect_same_documents(from_memory, from_file, what);
      // Against the lines themselves: every non-blank line is one record, in order; a record
      // written by `record` has its fill as body, or fails when its line is over the limit.
      std::vector<std::string_view> lines;
      std::vector<std::size_t> line_numbers;
      for (std::size_t pos = 0, number = 1; pos < bytes.size(); ++number) {
        std::size_t nl = std::min(bytes.find('\n', pos), bytes.size());
        std::string_view l(bytes.data() + pos, nl - pos);
        if (!l.empty() && l.back() == '\r') {
          l.remove_suffix(1);
        }
        if (!l.empty()) {
          lines.push_back(l);
          line_numbers.push_back(number);
        }
        pos = nl + 1;
      }
      ASSERT_EQ(from_file.size(), lines.size()) << what;
      for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string_view l = lines[i];
        const Document& d = from_file[i];
        if (l.size() > o.max_bytes) {
          EXPECT_NE(d.error.value_or("").find("(--max-bytes)"), std::string::npos) << what << " " << i;
        } else if (l.size() >= 12 && l.substr(0, 9) == "{\"text\":\"" && l.substr(l.size() - 2) == "\"}" &&
                   l.substr(9, l.size() - 11).find_first_not_of("abcdefghijklmnopqrstuvwxyz") == std::string_view::npos) {
          EXPECT_FALSE(d.error) << what << " " << i;
          EXPECT_EQ(d.raw, l.substr(9, l.size() - 11)) << what << " " << i;
          EXPECT_EQ(d.source, body_only ? "" : path.string() + ":" + std::to_string(line_numbers[i])) << what << " " << i;
        }
      }
    }
  }
  // Compressed: read through the decompressor, the same documents.
  fs::path gz = root / "c.jsonl.gz";
  std::ofstream(gz, std::ios::binary) << gzip(big);
  DocumentReader reader({gz.string(), "c.jsonl.gz", ""}, {}, big);
  std::vector<Document> plain;
  while (auto d = reader.next()) {
    plain.push_back(std::move(*d));
  }
  expect_same_documents(plain, read_path(gz.string(), "c.jsonl.gz", {}), "gzip");
  fs::remove_all(root);
}

// A JSON Lines text body is marked valid UTF-8 (the decode step then skips its own check): true
// of every body the parser accepts, whatever the escapes (surrogate pairs, lone surrogates, NULs)
// and raw bytes (invalid sequences, overlongs, truncated characters) of the record.
TEST(IoReader, JsonlBodiesMarkedValidUtf8AreValid) {
  const std::vector<std::string> pieces = {
      "a",         "\xD8\xB9",     "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\\n",      "\\\"",          "\\\\",
      "\\u0627",   "\\u0000",      "\\ud83d\\ude00", "\\ud83d",        "\\ude00",  "\\ud83d\\u0041", "\\uDBFF\\uDFFF",
      "\xC3",      "\xC0\xAF",     "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF",     "\x80",          "\\u00e9",
      "\\b",       "\\/",          "\\x",          "\x01",             "\xEF\xBB\xBF"};
  std::uint32_t seed = 7;
  auto next = [&seed] {
    seed = seed * 1664525 + 1013904223;
    return seed >> 8;
  };
  auto decode = make_decode_step();
  std::size_t accepted = 0;
  std::size_t rejected = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string body;
    for (std::uint32_t k = 0, n = next() % 6; k < n; ++k) {
      body += pieces[next() % pieces.size()];
    }
    std::string line = (i % 2 == 0 ? "{\"text\":\"" : "{\"id\":1,\"content\":\"") + body + "\"}\n";
    for (bool deferred : {false, true}) {
      ReadOptions o;
      o.format = InputFormat::k_jsonl;
      o.defer_jsonl = deferred;
      auto docs = read("r.jsonl", line, o);
      ASSERT_EQ(docs.size(), 1u);
      parse_deferred_record(docs[0], o);
      if (docs[0].error) {
        EXPECT_FALSE(docs[0].raw_valid_utf8);
        ++rejected;
        continue;
      }
      ++accepted;
      ASSERT_TRUE(docs[0].raw_valid_utf8) << line;
      ASSERT_TRUE(text::is_valid_utf8(docs[0].raw)) << line;
      // The decode step leaves such a body as it would have without the mark.
      Document marked = docs[0];
      Document unmarked = docs[0];
      unmarked.raw_valid_utf8 = false;
      decode->process(marked);
      decode->process(unmarked);
      EXPECT_EQ(marked.raw, unmarked.raw) << line;
      EXPECT_EQ(marked.error.value_or(""), unmarked.error.value_or("")) << line;
      EXPECT_EQ(marked.repaired_bytes, unmarked.repaired_bytes) << line;
    }
  }
  EXPECT_GT(accepted, 1000u);
  EXPECT_GT(rejected, 1000u);
  ReadOptions html;
  html.format = InputFormat::k_html;
  auto page = read("p.jsonl", "{\"text\":\"<p>x</p>\"}\n", html);
  ASSERT_EQ(page.size(), 1u);
  EXPECT_FALSE(page[0].raw_valid_utf8);  // a page is decoded by the blocks step, its charset known there
}

// String fields carried through as metadata are written as simdjson::minify writes them (the
// reader uses the JSON writer's escaper for strings, minify for the rest): the same string inside
// an array, which minify writes, reads the same. Every control character, quotes, backslashes,
// escapes of all kinds, non-ASCII.
TEST(IoReader, JsonlStringMetadataIsMinifiedJson) {
  std::vector<std::string> values = {"", "plain", "\\\"q\\\"", "a\\\\b", "\\/", "\\u0627\\u0644", "عربي",
                                     "\\ud83d\\ude00", "\x7f", "\\u007f", "\\u2028", "tab\\there"};
  const char* hex = "0123456789ABCDEF";
  for (int c = 0; c < 0x20; ++c) {
    values.push_back(std::string("x\\u00") + hex[c >> 4] + hex[c & 15] + "y");
  }
  std::string all;
  for (const auto& v : values) {
    all += v;
  }
  values.push_back(all);
  for (const auto& v : values) {
    const std::string line = "{\"text\":\"t\",\"v\":\"" + v + "\",\"n\":[1, \"" + v + "\", {\"k\": null}]}";
    auto docs = read("m.jsonl", line + "\n");
    ASSERT_EQ(docs.size(), 1u);
    ASSERT_FALSE(docs[0].error) << *docs[0].error;
    const std::string& n = docs[0].metadata.at("n");
    ASSERT_EQ(n.substr(0, 3), "[1,") << n;
    ASSERT_EQ(n.substr(n.size() - 12), ",{\"k\":null}]") << n;
    EXPECT_EQ(docs[0].metadata.at("v"), n.substr(3, n.size() - 15)) << v;
  }
}

// The decode step counts control characters only where a quick test finds one: its verdict (binary
// or not, and the NUL count it names) is the count's, text::scan_controls, on texts of every length
// around the 8 KiB it looks at, with every C0 byte alone, dense (over the 2 % that makes binary)
// or sparse, at every offset.
TEST(IoDecode, BinaryVerdictIsTheControlCounts) {
  auto decode = make_decode_step();
  std::uint32_t seed = 99;
  auto next = [&seed] {
    seed = seed * 1664525 + 1013904223;
    return seed >> 8;
  };
  // With and without white-space controls (the quick test treats the newline apart).
  const std::string letters[] = {"abc \xD8\xB9\xD9\x84\xD9\x89.\n\t\r", "abc \xD8\xB9\xD9\x84\xD9\x89.",
                                 "abc \xD8\xB9\n"};
  std::size_t binary = 0;
  for (int i = 0; i < 6000; ++i) {
    const std::size_t sizes[] = {1, 15, 16, 17, 100, 8191, 8192, 8193, 9000};
    std::size_t size = i % 3 == 0 ? sizes[next() % 9] : next() % 300;
    std::string raw;
    const std::string& alphabet = letters[i % 3];
    for (std::size_t k = 0; k < size; ++k) {
      raw += alphabet[next() % alphabet.size()];
    }
    raw.resize(size);
    auto c = static_cast<char>(i / 3 % 32);
    if (!raw.empty()) {
      std::uint32_t mode = next() % 4;
      std::size_t count = mode == 0 ? 1 : mode == 1 ? raw.size() / 20 + 1 : mode == 2 ? raw.size() / 60 : 0;
      for (std::size_t k = 0; k < count; ++k) {
        raw[next() % raw.size()] = c;
      }
      if (mode == 3 && size > 8192) {
        raw[8192 + next() % (size - 8192)] = c;  // past the bytes looked at
      }
    }
    Document doc;
    doc.source = "s";
    doc.format = InputFormat::k_text;
    doc.raw = raw;
    decode->process(doc);
    text::ControlScan scan = text::scan_controls(raw, 8192);
    bool expect = scan.sampled > 0 && (scan.nuls + scan.controls) * 100 > scan.sampled * 2;
    ASSERT_EQ(doc.error.has_value(), expect) << i << " size " << size << " byte " << int(c);
    if (expect) {
      ++binary;
      EXPECT_NE(doc.error->find("(" + std::to_string(scan.nuls) + " NUL bytes"), std::string::npos) << *doc.error;
    }
  }
  EXPECT_GT(binary, 500u);
}

// The decode step removes every NUL, wherever it is: its search skips the first 8 KiB when the
// binary test found no control there, so NULs (few enough to stay text) before, at and after that
// boundary, with and without a BOM or another control in the first 8 KiB, against erasing them.
TEST(IoDecode, NulsAreRemovedWherever) {
  auto decode = make_decode_step();
  std::mt19937 rng(8192);
  const std::string fill = "abc xyz\n";  // ASCII: a byte overwritten leaves valid UTF-8
  std::size_t with_nuls = 0;
  for (int i = 0; i < 4000; ++i) {
    const std::size_t sizes[] = {1, 2, 3, 100, 8190, 8191, 8192, 8193, 8195, 9000, 20000};
    const std::size_t size = i % 2 == 0 ? sizes[rng() % 11] : rng() % 12000 + 1;
    std::string raw = rng() % 4 == 0 ? "\xEF\xBB\xBF" : "";
    const std::size_t bom = raw.size();
    while (raw.size() < bom + size) {
      raw += fill[rng() % fill.size()];
    }
    const std::size_t nuls = rng() % 4;
    for (std::size_t k = 0; k < nuls; ++k) {
      const std::size_t near = 8192 - 2 + rng() % 5;  // around the end of the bytes looked at
      const std::size_t at = rng() % 2 == 0 && near < raw.size() ? near : bom + rng() % size;
      raw[at] = '\0';
    }
    if (rng() % 4 == 0) {
      raw[bom + rng() % std::min<std::size_t>(size, 8192 - bom)] = '\x01';
    }
    const text::ControlScan scan = text::scan_controls(raw, 8192);
    if (scan.sampled > 0 && (scan.nuls + scan.controls) * 100 > scan.sampled * 2) {
      continue;  // binary: failed, not decoded
    }
    std::string expected(text::strip_bom(raw));
    std::erase(expected, '\0');
    with_nuls += expected.size() < text::strip_bom(raw).size() ? 1 : 0;
    Document doc;
    doc.format = InputFormat::k_text;
    doc.raw = raw;
    doc.raw_valid_utf8 = i % 3 == 0;
    decode->process(doc);
    ASSERT_FALSE(doc.error) << i;
    ASSERT_EQ(doc.raw, expected) << i << " size " << raw.size();
  }
  EXPECT_GT(with_nuls, 1000U);
}

// One zstd frame per shard (python-zstandard's reader stops after the first), made of chunks
// compressed on their own: it decodes, checksum checked, to the records; its header declares no
// content size, a checksum and the window of level 1 (512 KB). A shard of many chunks (Arabic
// records, 36 MB) and one of a single chunk smaller than chunk_bytes.
TEST(IoOutput, ZstdShardIsOneFrame) {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / ("decruft-zstd-shard-test-" + std::to_string(::getpid()));
  for (std::size_t size : {std::size_t{36} << 20, std::size_t{100} << 10}) {
    fs::remove_all(root);
    fs::create_directories(root);
    std::string all;
    std::uint64_t x = 1;
    {
      ShardWriter w(root.string(), ShardOptions{});
      while (all.size() < size) {
        std::string r = "{\"text\":\"";
        for (int k = 0; k < 60; ++k) {
          x = x * 6364136223846793005u + 1442695040888963407u;
          r += "كلمة" + std::to_string((x >> 33) % 5000) + " ";
        }
        r += "\"}\n";
        all += r;
        ASSERT_TRUE(w.add(r).ok());
      }
      ASSERT_TRUE(w.finish().ok());
    }
    std::ifstream in(root / "part-00000.jsonl.zst", std::ios::binary);
    const std::string z((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(ZSTD_findFrameCompressedSize(z.data(), z.size()), z.size());
    ZSTD_frameHeader h;
    ASSERT_EQ(ZSTD_getFrameHeader(&h, z.data(), z.size()), 0u);
    EXPECT_EQ(h.frameContentSize, ZSTD_CONTENTSIZE_UNKNOWN);
    EXPECT_EQ(h.checksumFlag, 1u);
    EXPECT_EQ(h.windowSize, 512u << 10);
    std::string back(all.size(), '\0');
    EXPECT_EQ(ZSTD_decompress(back.data(), back.size(), z.data(), z.size()), all.size());
    EXPECT_TRUE(back == all);
    // A byte of the content changed in the file: the checksum no longer matches.
    std::string bad = z;
    bad[bad.size() - 2] ^= 1;
    EXPECT_TRUE(ZSTD_isError(ZSTD_decompress(back.data(), back.size(), bad.data(), bad.size())));
  }
  fs::remove_all(root);
}

// A parallel run is the sum of its ranges: run_range over [0, k) then [k, n) on separate stats,
// merged, equals run() on one.
TEST(IoPipeline, RangesWithPerThreadStatsMergeToTheSerialStats) {
  Pipeline serial;
  serial.add(make_decode_step());
  serial.add(make_blocks_step());
  Pipeline split;
  split.add(make_decode_step());
  split.add(make_blocks_step());
  ASSERT_TRUE(split.mark_serial("blocks").ok());
  EXPECT_EQ(split.serial_begin(), 1u);
  for (const char* text : {"a\nb\n", "", "x\0\0\0\0\0\0y"}) {
    Document d1;
    d1.raw = text;
    d1.source = "s";
    Document d2 = d1;
    serial.run(d1);
    RunStats local = split.blank_stats();
    split.run_range(d2, 0, split.serial_begin(), local);
    split.run_range(d2, split.serial_begin(), split.size(), split.stats());
    split.merge_stats(local);
    EXPECT_EQ(d1.blocks.size(), d2.blocks.size());
  }
  EXPECT_EQ(serial.stats().to_json(false), split.stats().to_json(false));
}

// The decode step's binary test against text::scan_controls alone: its fast pre-check (SSE2, or
// AVX2 64 bytes a round) must never call a text clean that holds enough controls, wherever they
// sit: any chunk of the 8 KiB sample, its 0..63-byte tail, the last bytes before 8 KiB.
TEST(DecodeStep, BinaryLikeScanControls) {
  auto decode = make_decode_step();
  std::mt19937 rng(20261130);
  // Tabs and CRs only now and then: the pre-check lets newlines through only, so any other white
  // space sends the text to the exact test.
  const std::string fill = "abc \xD8\xA7\xD9\x84 xyz\n";
  std::size_t binaries = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::size_t size = i % 4 == 0 ? rng() % 200 : rng() % 9000;
    std::string raw;
    while (raw.size() < size) {
      raw += fill[rng() % fill.size()];
    }
    if (!raw.empty() && rng() % 16 == 0) {
      raw[rng() % raw.size()] = rng() % 2 == 0 ? '\t' : '\r';
    }
    if (!raw.empty() && rng() % 8 != 0) {
      // A run of controls just over (or under) 2 % of the sample, at a random place.
      const std::size_t sampled = std::min<std::size_t>(raw.size(), 8192);
      const std::size_t run = std::min(raw.size(), sampled / 50 + (rng() % 3));
      const std::size_t at = rng() % 3 == 0 ? sampled - std::min(run, sampled) : rng() % (raw.size() - run + 1);
      const char controls[] = {'\0', '\x01', '\x07', '\x0B', '\x1F', '\x0E'};
      for (std::size_t k = 0; k < run; ++k) {
        raw[at + k] = controls[rng() % sizeof controls];
      }
    }
    const text::ControlScan scan = text::scan_controls(raw, 8192);
    const bool expected = scan.sampled > 0 && (scan.nuls + scan.controls) * 100 > scan.sampled * 2;
    binaries += expected ? 1 : 0;
    Document doc;
    doc.format = InputFormat::k_text;
    doc.raw = raw;
    decode->process(doc);
    ASSERT_EQ(doc.error.has_value(), expected) << i << " size " << raw.size();
  }
  EXPECT_GT(binaries, 2000U);
}

}  // namespace
}  // namespace decruft::io
