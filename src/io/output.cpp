#include "io/output.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <simdjson.h>
#define ZSTD_STATIC_LINKING_ONLY  // the buffer-less block API: ZSTD_compressBegin, ZSTD_compressContinue
#include <xxhash.h>
#include <zstd.h>

#include "core/json.h"
#include "text/utf8.h"

namespace fs = std::filesystem;

// libzstd's own, in its static library (linked for it) but not in zstd.h: zstd's multithreaded
// mode calls it at the start of each job after the first for the reason compress_chunk does.
extern "C" void ZSTD_invalidateRepCodes(ZSTD_CCtx* cctx);

namespace decruft::io {

namespace {

void write_removed(json::Writer& w, const Document& doc) {
  w.begin_array();
  for (const auto& b : doc.blocks) {
    if (b.kept()) {
      continue;
    }
    w.begin_object();
    w.plain_key("reason"); w.value(b.drop->reason);
    w.plain_key("step"); w.value(b.drop->step);
    if (b.line > 0) {
      w.plain_key("line"); w.value(static_cast<std::uint64_t>(b.line));
    }
    if (!b.drop->evidence.empty()) {
      w.plain_key("evidence"); w.value(b.drop->evidence);
    }
    w.plain_key("text"); w.value(b.text);
    w.end_object();
  }
  w.end_array();
}

// `s` itself when it is valid UTF-8 (nearly always), else its repair, kept in `storage`.
std::string_view valid_utf8_view(std::string_view s, std::string& storage) {
  if (text::is_valid_utf8(s)) {
    return s;
  }
  storage = text::repair_utf8(s).text;
  return storage;
}

}  // namespace

// The kept text goes out once, and again by sentence with `jsonl_sentences`; the removed blocks
// once with their drops.
std::size_t jsonl_size(const Document& doc, bool jsonl_sentences) {
  std::size_t n = 256 + doc.id.size() + doc.source.size() + doc.title.size();
  for (const auto& b : doc.blocks) {
    if (b.kept()) {
      n += (jsonl_sentences ? 2 : 1) * b.text.size() + 4 * b.sentences.size() + 4;
    } else {
      n += b.text.size() + b.drop->reason.size() + b.drop->step.size() + b.drop->evidence.size() + 64;
    }
  }
  for (const auto& [k, v] : doc.metadata) {
    n += k.size() + v.size() + 4;
  }
  return n;
}

std::string render(const Document& doc, OutputFormat format, bool jsonl_sentences) {
  std::string out;
  render_to(out, doc, format, jsonl_sentences);
  return out;
}

void render_to(std::string& out, const Document& doc, OutputFormat format, bool jsonl_sentences) {
  switch (format) {
    case OutputFormat::k_text: {
      std::size_t size = 0;
      for (const auto& b : doc.blocks) {
        size += b.kept() ? b.text.size() + 1 : 0;
      }
      out.reserve(out.size() + size);
      for (const auto& b : doc.blocks) {
        if (b.kept()) {
          out += b.text;
          out += '\n';
        }
      }
      return;
    }
    case OutputFormat::k_sentences: {
      std::size_t size = 0;
      for (const auto& b : doc.blocks) {
        size += b.kept() ? b.text.size() + b.sentences.size() + 2 : 0;
      }
      out.reserve(out.size() + size);
      bool first = true;
      for (const auto& b : doc.blocks) {
        if (!b.kept()) {
          continue;
        }
        if (!first) {
          out += '\n';
        }
        first = false;
        if (b.sentences.empty()) {
          out += b.text;
          out += '\n';
        }
        for (const auto& s : b.sentences) {
          out += s;
          out += '\n';
        }
      }
      return;
    }
    case OutputFormat::k_jsonl: {
      json::Writer w(std::move(out));
      w.reserve(jsonl_size(doc, jsonl_sentences) + 1);  // + the newline
      std::string repaired;
      w.begin_object();
      w.plain_key("id"); w.value(valid_utf8_view(doc.id, repaired));
      w.plain_key("source"); w.value(valid_utf8_view(doc.source, repaired));
      w.plain_key("title"); w.value(valid_utf8_view(doc.title, repaired));
      // doc.kept_text(), written in place.
      w.plain_key("text");
      w.begin_string();
      bool any = false;
      for (const auto& b : doc.blocks) {
        if (!b.kept()) {
          continue;
        }
        if (any) {
          w.escaped_piece("\\n");  // the newline between paragraphs, escaped
        }
        w.string_piece(b.text);
        any = any || !b.text.empty();
      }
      w.end_string();
      if (jsonl_sentences) {
        w.plain_key("sentences");
        w.begin_array();
        for (const auto& b : doc.blocks) {
          if (!b.kept()) {
            continue;
          }
          w.begin_array();
          for (const auto& s : b.sentences) {
            w.value(s);
          }
          w.end_array();
        }
        w.end_array();
      }
      // Every record has the same keys (metadata may be {}), so columnar loaders (Arrow, pandas,
      // Hugging Face datasets) infer one schema for the whole output.
      w.plain_key("metadata");
      w.begin_object();
      for (const auto& [k, v] : doc.metadata) {
        w.key(k);
        w.raw(v);
      }
      w.end_object();
      w.plain_key("repaired_bytes"); w.value(static_cast<std::uint64_t>(doc.repaired_bytes));
      w.plain_key("removed");
      write_removed(w, doc);
      w.end_object();
      out = w.take();
      out += '\n';
      return;
    }
  }
}

std::string valid_utf8(std::string_view s) {
  if (text::is_valid_utf8(s)) {
    return std::string(s);
  }
  return text::repair_utf8(s).text;
}

Status write_atomic(const std::string& path, std::string_view content) {
  static std::atomic<unsigned> counter{0};
  std::error_code ec;
  fs::path p(path);
  if (p.has_parent_path()) {
    fs::create_directories(p.parent_path(), ec);
    if (ec) {
      return Status::error(fmt::format("{}: cannot create directory: {}", p.parent_path().string(), ec.message()));
    }
  }
  std::string tmp = fmt::format("{}.tmp.{}.{}", path, ::getpid(), counter++);
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) {
    return Status::error(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  }
  bool ok = std::fwrite(content.data(), 1, content.size(), f) == content.size();
  int saved = ok ? 0 : errno;
  if (std::fflush(f) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  if (std::fclose(f) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  if (!ok) {
    std::remove(tmp.c_str());
    return Status::error(fmt::format("{}: write failed: {}", path, std::strerror(saved)));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    saved = errno;
    std::remove(tmp.c_str());
    return Status::error(fmt::format("{}: cannot rename into place: {}", path, std::strerror(saved)));
  }
  return {};
}

// ---- ShardWriter ----

namespace {

// A run of a buffer's bytes, part of a chunk.
struct Piece {
  std::shared_ptr<const std::string> buffer;
  std::size_t at = 0;
  std::size_t size = 0;
  std::string_view view() const { return std::string_view(*buffer).substr(at, size); }
};

// This thread's compression context, kept for its next chunk (its tables are allocated once).
ZSTD_CCtx* thread_cctx() {
  struct Owner {
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    ~Owner() { ZSTD_freeCCtx(cctx); }
  };
  thread_local Owner owner;
  return owner.cctx;
}

// A shard's frame header (RFC 8878, 3.1.1.1): magic number; descriptor: no content size (unknown
// when the shard starts), not single-segment, a content checksum, no dictionary; the window of
// the parameters each chunk is compressed with (`level` for an unknown size), which bounds every
// offset in the frame.
std::string frame_header(int level) {
  const ZSTD_compressionParameters params = ZSTD_getCParams(level, ZSTD_CONTENTSIZE_UNKNOWN, 0);
  const unsigned window_log = std::max(params.windowLog, 10u);
  return {'\x28', '\xB5', '\x2F', '\xFD', '\x04', static_cast<char>((window_log - 10) << 3)};
}

// The end of a shard's frame: an empty raw block marked last (as zstd writes when the content
// ended on a block boundary), then the low 32 bits of the content's XXH64, little-endian.
std::string frame_end(std::uint64_t xxh64) {
  std::string end = {'\x01', '\x00', '\x00'};
  for (int i = 0; i < 4; ++i) {
    end += static_cast<char>((xxh64 >> (8 * i)) & 0xFF);
  }
  return end;
}

// `in` as zstd blocks, none marked last, for the middle of a frame. Compressed on its own, with no
// window from the chunks before it: the blocks decode the same after any of them. The context's
// repeat offsets are invalidated first: a fresh context starts from the format's initial ones
// (1, 4, 8), but the decoder arrives with those the previous chunk left, and a first sequence
// coded as a repeat would copy from the wrong place. Returns an error message, or empty.
std::string compress_chunk(std::string_view in, int level, std::string& out) {
  ZSTD_CCtx* cctx = thread_cctx();
  if (cctx == nullptr) {
    return "zstd: out of memory";
  }
  out.resize(ZSTD_compressBound(in.size()) + ZSTD_FRAMEHEADERSIZE_MAX);
  std::size_t r = ZSTD_compressBegin(cctx, level);
  if (!ZSTD_isError(r)) {
    // Writes the frame header the buffer-less API starts with: overwritten by the blocks.
    r = ZSTD_compressContinue(cctx, out.data(), out.size(), in.data(), 0);
  }
  if (!ZSTD_isError(r)) {
    ZSTD_invalidateRepCodes(cctx);
    r = ZSTD_compressContinue(cctx, out.data(), out.size(), in.data(), in.size());
  }
  if (ZSTD_isError(r)) {
    out.clear();
    return fmt::format("zstd: {}", ZSTD_getErrorName(r));
  }
  out.resize(r);
  return {};
}

}  // namespace

struct ShardWriter::Batch::Chunk {
  std::uint32_t shard = 0;
  std::vector<Piece> pieces;
  std::string content;     // the pieces gathered, when there are several: zstd takes one buffer
  std::string compressed;  // its blocks
  std::string error;
  bool last = false;       // the shard's last chunk: the shard is closed after it
  std::uint64_t shard_documents = 0;  // last: the shard's records and their bytes
  std::uint64_t shard_bytes = 0;

  std::string_view text() const { return pieces.size() == 1 ? pieces.front().view() : std::string_view(content); }
};

ShardWriter::Batch::Batch() = default;
ShardWriter::Batch::~Batch() = default;
ShardWriter::Batch::Batch(Batch&&) noexcept = default;
ShardWriter::Batch& ShardWriter::Batch::operator=(Batch&&) noexcept = default;

void ShardWriter::Batch::compress() {
  if (!zstd_) {
    return;  // plain shards are written from the pieces as they are
  }
  for (Chunk& c : chunks_) {
    if (!c.compressed.empty() || !c.error.empty()) {
      continue;  // compressed by an earlier call
    }
    if (c.pieces.size() > 1 && c.content.empty()) {
      std::size_t bytes = 0;
      for (const Piece& p : c.pieces) {
        bytes += p.size;
      }
      c.content.reserve(bytes);
      for (const Piece& p : c.pieces) {
        c.content += p.view();
      }
    }
    if (!c.text().empty()) {
      c.error = compress_chunk(c.text(), level_, c.compressed);
    }
  }
}

struct ShardWriter::Impl {
  std::string dir;
  ShardOptions options;

  // plan()'s state: the shard being planned and the chunk being gathered. Only plan() and
  // finish() touch it, never write(): the pipeline may plan one batch while it writes another.
  std::uint32_t plan_shard = 0;
  std::uint64_t plan_shard_bytes = 0;
  std::uint64_t plan_shard_documents = 0;
  std::vector<Piece> carry;
  std::uint64_t carry_bytes = 0;

  // write()'s state.
  std::FILE* file = nullptr;
  std::string tmp_path;
  std::string name;  // current shard's file name
  std::uint64_t file_bytes = 0;
  XXH64_state_t* xxh = nullptr;
  Status failed;  // the first failure: every later write fails with it
  struct Done {
    std::string name;
    std::uint64_t documents;
    std::uint64_t bytes;
    std::uint64_t file_bytes;
  };
  std::vector<Done> done;

  std::string shard_name(std::size_t index) const {
    return fmt::format("part-{:05}.jsonl{}", index, options.zstd ? ".zst" : "");
  }

  // Ends the chunk being gathered (possibly empty, when `last` closes a shard whose chunk had just
  // ended) as the batch's next chunk.
  void end_chunk(Batch& batch, bool last) {
    Batch::Chunk& c = batch.chunks_.emplace_back();
    c.shard = plan_shard;
    c.pieces = std::move(carry);
    carry.clear();
    carry_bytes = 0;
    if (last) {
      c.last = true;
      c.shard_documents = plan_shard_documents;
      c.shard_bytes = plan_shard_bytes;
      ++plan_shard;
      plan_shard_bytes = plan_shard_documents = 0;
    }
  }

  Status write_raw(std::string_view data) {
    if (std::fwrite(data.data(), 1, data.size(), file) != data.size()) {
      return Status::error(fmt::format("{}/{}: write failed: {}", dir, name, std::strerror(errno)));
    }
    file_bytes += data.size();
    return {};
  }

  Status open() {
    name = shard_name(done.size());
    tmp_path = fmt::format("{}/.{}.tmp.{}", dir, name, ::getpid());
    file = std::fopen(tmp_path.c_str(), "wb");
    if (file == nullptr) {
      return Status::error(fmt::format("{}: cannot write: {}", tmp_path, std::strerror(errno)));
    }
    file_bytes = 0;
    if (options.zstd) {
      if (xxh == nullptr && (xxh = XXH64_createState()) == nullptr) {
        return Status::error(fmt::format("{}/{}: out of memory", dir, name));
      }
      XXH64_reset(xxh, 0);
      return write_raw(frame_header(options.level));
    }
    return {};
  }

  Status put(const Batch::Chunk& c) {
    if (!c.error.empty()) {
      return Status::error(fmt::format("{}/{}: {}", dir, name, c.error));
    }
    if (!options.zstd) {
      for (const Piece& p : c.pieces) {
        if (Status s = write_raw(p.view()); !s) {
          return s;
        }
      }
      return {};
    }
    XXH64_update(xxh, c.text().data(), c.text().size());
    return write_raw(c.compressed);
  }

  Status close(std::uint64_t documents, std::uint64_t bytes) {
    Status s;
    if (options.zstd) {
      s = write_raw(frame_end(XXH64_digest(xxh)));
    }
    int saved = 0;
    if (std::fflush(file) != 0) {
      saved = errno;
    }
    if (std::fclose(file) != 0 && saved == 0) {
      saved = errno;
    }
    file = nullptr;
    if (s && saved != 0) {
      s = Status::error(fmt::format("{}/{}: write failed: {}", dir, name, std::strerror(saved)));
    }
    std::string final_path = dir + "/" + name;
    if (s && std::rename(tmp_path.c_str(), final_path.c_str()) != 0) {
      s = Status::error(fmt::format("{}: cannot rename into place: {}", final_path, std::strerror(errno)));
    }
    if (!s) {
      std::remove(tmp_path.c_str());
      return s;
    }
    done.push_back({name, documents, bytes, file_bytes});
    return {};
  }

  Status write(Batch& batch) {
    for (const Batch::Chunk& c : batch.chunks_) {
      if (file == nullptr) {
        if (Status s = open(); !s) {
          return s;
        }
      }
      if (Status s = put(c); !s) {
        return s;
      }
      if (c.last) {
        if (Status s = close(c.shard_documents, c.shard_bytes); !s) {
          return s;
        }
      }
    }
    batch.chunks_.clear();  // lets go of the records' buffers
    return {};
  }
};

ShardWriter::ShardWriter(std::string dir, ShardOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->dir = std::move(dir);
  impl_->options = options;
  impl_->options.chunk_bytes = std::max<std::size_t>(impl_->options.chunk_bytes, 1);
}

ShardWriter::~ShardWriter() {
  if (impl_->file != nullptr) {
    std::fclose(impl_->file);
    std::remove(impl_->tmp_path.c_str());
  }
  XXH64_freeState(impl_->xxh);
}

void ShardWriter::plan(Batch& batch, std::shared_ptr<const std::string> records, std::span<const std::size_t> sizes) {
  Impl& m = *impl_;
  batch.level_ = m.options.level;
  batch.zstd_ = m.options.zstd;
  batch.shards_.reserve(batch.shards_.size() + sizes.size());
  std::size_t at = 0;
  for (const std::size_t size : sizes) {
    if (m.plan_shard_bytes > 0 && m.plan_shard_bytes + size > m.options.max_bytes) {
      m.end_chunk(batch, true);
    }
    if (!m.carry.empty() && m.carry.back().buffer == records && m.carry.back().at + m.carry.back().size == at) {
      m.carry.back().size += size;
    } else {
      m.carry.push_back({records, at, size});
    }
    m.carry_bytes += size;
    m.plan_shard_bytes += size;
    ++m.plan_shard_documents;
    batch.shards_.push_back(m.plan_shard);
    at += size;
    if (m.carry_bytes >= m.options.chunk_bytes) {
      m.end_chunk(batch, false);
    }
  }
}

Status ShardWriter::write(Batch& batch) {
  Impl& m = *impl_;
  if (!m.failed) {
    return m.failed;
  }
  if (Status s = m.write(batch); !s) {
    m.failed = s;
    if (m.file != nullptr) {
      std::fclose(m.file);
      m.file = nullptr;
      std::remove(m.tmp_path.c_str());
    }
    return s;
  }
  return {};
}

Result<std::string> ShardWriter::add(std::string_view record) {
  std::vector<std::uint32_t> shards;
  const std::size_t size = record.size();
  if (Status s = add(record, std::span(&size, 1), shards); !s) {
    return s;
  }
  return shard_file(shards.front());
}

Status ShardWriter::add(std::string_view records, std::span<const std::size_t> sizes, std::vector<std::uint32_t>& shards) {
  Batch batch;
  plan(batch, std::make_shared<const std::string>(records), sizes);
  batch.compress();
  shards.insert(shards.end(), batch.shards().begin(), batch.shards().end());
  return write(batch);
}

std::string ShardWriter::shard_file(std::size_t index) const { return impl_->shard_name(index); }

Status ShardWriter::finish() {
  Impl& m = *impl_;
  if (m.plan_shard_documents > 0) {
    Batch batch;
    m.end_chunk(batch, true);
    batch.level_ = m.options.level;
    batch.zstd_ = m.options.zstd;
    batch.compress();
    if (Status s = write(batch); !s) {
      return s;
    }
  }
  if (!m.failed) {
    return m.failed;
  }
  // Shards of an earlier run (more of them, or the other compression) would be mistaken for part
  // of this one.
  for (std::size_t i = 0;; ++i) {
    std::error_code ec;
    bool any = false;
    for (bool z : {true, false}) {
      if (i < m.done.size() && z == m.options.zstd) {
        continue;
      }
      std::string stale = fmt::format("{}/part-{:05}.jsonl{}", m.dir, i, z ? ".zst" : "");
      any = fs::remove(stale, ec) || any;
    }
    if (!any && i >= m.done.size()) {
      break;
    }
  }
  json::Writer w;
  w.begin_object();
  w.key("format"); w.value("jsonl");
  w.key("compression"); w.value(m.options.zstd ? "zstd" : "none");
  std::uint64_t docs = 0;
  std::uint64_t bytes = 0;
  for (const auto& d : m.done) {
    docs += d.documents;
    bytes += d.bytes;
  }
  w.key("documents"); w.value(docs);
  w.key("bytes"); w.value(bytes);
  w.key("shards");
  w.begin_array();
  for (const auto& d : m.done) {
    w.begin_object();
    w.key("file"); w.value(d.name);
    w.key("documents"); w.value(d.documents);
    w.key("bytes"); w.value(d.bytes);
    w.key("file_bytes"); w.value(d.file_bytes);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return write_atomic(m.dir + "/manifest.json", w.str() + "\n");
}

// ---- Report ----

ReportEntry make_report_entry(const Document& doc, std::string_view output_path) {
  ReportEntry e;
  e.bytes_in = doc.raw.size();
  // One pass over the blocks: kept count and bytes, and the removed ones counted by reason in a
  // small vector (a document has a few reasons at most; most have none), sorted afterwards into
  // the order a std::map gives.
  std::size_t kept_blocks = 0;
  std::vector<std::pair<std::string_view, std::uint64_t>> by_reason;
  for (const auto& b : doc.blocks) {
    if (b.kept()) {
      ++kept_blocks;
      e.bytes_out += b.text.size() + 1;
      continue;
    }
    std::string_view reason = b.drop->reason;
    auto it = std::find_if(by_reason.begin(), by_reason.end(), [&](const auto& r) { return r.first == reason; });
    if (it == by_reason.end()) {
      by_reason.emplace_back(reason, 1);
    } else {
      ++it->second;
    }
  }
  std::sort(by_reason.begin(), by_reason.end());
  json::Writer w;
  // The entry's size but for the reasons' names (and name_shard_output's "output" of a shard, 48
  // bytes of slack): one allocation instead of its regrowth.
  w.reserve(192 + doc.id.size() + doc.source.size() + output_path.size() + 40 * by_reason.size() +
            (doc.error ? doc.error->size() : 0) + (doc.drop ? doc.drop->evidence.size() : 0));
  w.begin_object();
  std::string repaired;
  w.plain_key("id"); w.value(valid_utf8_view(doc.id, repaired));
  w.plain_key("source"); w.value(valid_utf8_view(doc.source, repaired));
  if (doc.error) {
    e.outcome = ReportEntry::Outcome::k_failed;
    w.plain_key("status"); w.value("failed");
    w.plain_key("error"); w.value(valid_utf8_view(*doc.error, repaired));
  } else if (doc.drop) {
    e.outcome = ReportEntry::Outcome::k_dropped;
    e.reason = doc.drop->reason;
    w.plain_key("status"); w.value("dropped");
    w.plain_key("reason"); w.value(doc.drop->reason);
    w.plain_key("step"); w.value(doc.drop->step);
    if (!doc.drop->evidence.empty()) {
      w.plain_key("evidence"); w.value(valid_utf8_view(doc.drop->evidence, repaired));
    }
  } else {
    e.outcome = ReportEntry::Outcome::k_kept;
    w.plain_key("status"); w.value("kept");
    if (!output_path.empty()) {
      w.plain_key("output"); w.value(valid_utf8_view(output_path, repaired));
    }
  }
  if (e.outcome == ReportEntry::Outcome::k_kept) {
    e.bytes_out -= e.bytes_out > 0 ? 1 : 0;  // == kept_text().size()
  } else {
    e.bytes_out = 0;
  }
  w.plain_key("blocks"); w.value(static_cast<std::uint64_t>(doc.blocks.size()));
  w.plain_key("kept_blocks"); w.value(static_cast<std::uint64_t>(kept_blocks));
  w.plain_key("removed_by_reason");
  w.begin_object();
  for (const auto& [k, v] : by_reason) {
    w.key(k);
    w.value(v);
  }
  w.end_object();
  if (doc.repaired_bytes > 0) {
    w.plain_key("repaired_bytes"); w.value(static_cast<std::uint64_t>(doc.repaired_bytes));
  }
  if (auto it = doc.metadata.find("appended_stories"); it != doc.metadata.end()) {
    w.plain_key("appended_stories");  // stories found after the article (appended_stories filter)
    w.raw(it->second);
  }
  if (!doc.split_stories.empty()) {
    w.plain_key("split_stories"); w.value(static_cast<std::uint64_t>(doc.split_stories.size()));
  }
  w.end_object();
  if (e.outcome == ReportEntry::Outcome::k_kept) {
    for (const auto& [k, v] : by_reason) {
      e.blocks_removed.emplace_hint(e.blocks_removed.end(), k, v);  // sorted: each goes at the end
    }
  }
  e.json = w.take();
  return e;
}

Report::Report() = default;

Report::~Report() {
  if (spool_ != nullptr) {
    std::fclose(spool_);
    std::remove(spool_path_.c_str());
  }
}

Status Report::spool_to(const std::string& report_path) {
  spool_path_ = fmt::format("{}.documents.tmp.{}", report_path, ::getpid());
  std::error_code ec;
  fs::path parent = fs::path(report_path).parent_path();
  if (!parent.empty()) {
    fs::create_directories(parent, ec);
  }
  spool_ = std::fopen(spool_path_.c_str(), "w+b");
  if (spool_ == nullptr) {
    return Status::error(fmt::format("{}: cannot write: {}", spool_path_, std::strerror(errno)));
  }
  if (!documents_json_.empty()) {
    spool_failed_ = std::fwrite(documents_json_.data(), 1, documents_json_.size(), spool_) != documents_json_.size();
    documents_json_.clear();
  }
  return {};
}

void Report::add(const ReportEntry& e) {
  bytes_in_ += e.bytes_in;
  switch (e.outcome) {
    case ReportEntry::Outcome::k_failed: ++failed_; break;
    case ReportEntry::Outcome::k_dropped:
      ++dropped_total_;
      ++dropped_[e.reason];
      break;
    case ReportEntry::Outcome::k_kept:
      ++kept_;
      bytes_out_ += e.bytes_out;
      for (const auto& [k, v] : e.blocks_removed) {
        blocks_removed_[k] += v;
      }
      break;
  }
  std::string_view sep = any_entry_ ? ",\n" : "";
  any_entry_ = true;
  if (spool_ != nullptr) {
    if (std::fwrite(sep.data(), 1, sep.size(), spool_) != sep.size() ||
        std::fwrite(e.json.data(), 1, e.json.size(), spool_) != e.json.size()) {
      spool_failed_ = true;
    }
    return;
  }
  documents_json_ += sep;
  documents_json_ += e.json;
}

std::string Report::header(const RunStats& stats) const {
  json::Writer w;
  w.begin_object();
  w.key("summary");
  w.begin_object();
  w.key("documents_in"); w.value(documents());
  w.key("kept"); w.value(kept_);
  w.key("dropped"); w.value(dropped_total_);
  w.key("failed"); w.value(failed_);
  w.key("dropped_by_reason");
  w.begin_object();
  for (const auto& [k, v] : dropped_) { w.key(k); w.value(v); }
  w.end_object();
  w.key("blocks_removed_by_reason");
  w.begin_object();
  for (const auto& [k, v] : blocks_removed_) { w.key(k); w.value(v); }
  w.end_object();
  w.key("bytes_in"); w.value(bytes_in_);
  w.key("bytes_out"); w.value(bytes_out_);
  w.key("interrupted"); w.value(interrupted_);
  w.end_object();
  w.key("steps"); w.raw(stats.to_json(false));
  w.key("documents");
  // The caller appends "[\n" entries "\n]}\n".
  return w.take();
}

std::string Report::to_json(const RunStats& stats) const {
  std::string out = header(stats);
  out += "[\n";
  out += documents_json_;
  out += "\n]}\n";
  return out;
}

Status Report::write(const std::string& path, const RunStats& stats) {
  if (spool_ == nullptr) {
    return write_atomic(path, to_json(stats));
  }
  if (spool_failed_ || std::fflush(spool_) != 0) {
    return Status::error(fmt::format("{}: write failed: {}", spool_path_, std::strerror(errno)));
  }
  std::string tmp = fmt::format("{}.tmp.{}", path, ::getpid());
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) {
    return Status::error(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  }
  std::string head = header(stats) + "[\n";
  bool ok = std::fwrite(head.data(), 1, head.size(), f) == head.size();
  std::rewind(spool_);
  std::vector<char> buf(1 << 16);
  while (ok) {
    std::size_t n = std::fread(buf.data(), 1, buf.size(), spool_);
    ok = std::fwrite(buf.data(), 1, n, f) == n;
    if (n < buf.size()) {
      ok = ok && std::ferror(spool_) == 0;
      break;
    }
  }
  std::string_view tail = "\n]}\n";
  ok = ok && std::fwrite(tail.data(), 1, tail.size(), f) == tail.size();
  int saved = ok ? 0 : errno;
  if (std::fclose(f) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    saved = saved != 0 ? saved : errno;
    std::remove(tmp.c_str());
    return Status::error(fmt::format("{}: write failed: {}", path, std::strerror(saved)));
  }
  std::fseek(spool_, 0, SEEK_END);  // further adds append
  return {};
}

std::string Report::summary_line() const {
  std::string dropped;
  for (const auto& [k, v] : dropped_) {
    dropped += fmt::format(" {}={}", k, v);
  }
  return fmt::format("{} documents: {} kept, {} dropped{}{}, {} failed", documents(), kept_, dropped_total_,
                     dropped.empty() ? "" : " (", dropped.empty() ? "" : dropped.substr(1) + ")", failed_);
}

Result<PreviousRun> load_report(const std::string& path) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto err = parser.load(path).get(root)) {
    return Status::error(fmt::format("{}: cannot read the previous report: {}", path, simdjson::error_message(err)));
  }
  PreviousRun run;
  bool interrupted = false;
  if (!root["summary"]["interrupted"].get(interrupted)) {
    run.interrupted = interrupted;
  }
  simdjson::dom::array docs;
  if (root["documents"].get(docs)) {
    return Status::error(fmt::format("{}: not a decruft report (no documents array)", path));
  }
  for (auto d : docs) {
    std::string_view source;
    if (d["source"].get(source)) {
      continue;
    }
    std::string_view output;
    if (d["output"].get(output)) {
      output = {};
    }
    run.completed[std::string(source)] = std::string(output);
  }
  return run;
}

}  // namespace decruft::io
