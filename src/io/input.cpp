#include "io/input.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <simdjson.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "core/json.h"
#include "html/extract.h"

namespace fs = std::filesystem;

namespace decruft::io {

namespace {

constexpr std::size_t k_chunk = std::size_t{1} << 18;  // 256 KiB reads

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// The file name without compression suffix, lower-cased: "a/B.JSONL.gz" -> "a/b.jsonl".
std::string logical_name(std::string_view path) {
  std::string p = lower(path);
  for (std::string_view z : {".gz", ".zst"}) {
    if (ends_with(p, z)) {
      p.resize(p.size() - z.size());
    }
  }
  return p;
}

enum class Kind : std::uint8_t { k_auto, k_whole_text, k_whole_html, k_jsonl, k_warc };

Kind kind_from_name(std::string_view path) {
  std::string p = logical_name(path);
  if (ends_with(p, ".jsonl") || ends_with(p, ".json") || ends_with(p, ".ndjson")) {
    return Kind::k_jsonl;
  }
  if (ends_with(p, ".warc") || ends_with(p, ".arc")) {
    return Kind::k_warc;
  }
  if (ends_with(p, ".html") || ends_with(p, ".htm") || ends_with(p, ".xhtml")) {
    return Kind::k_whole_html;
  }
  if (ends_with(p, ".txt") || ends_with(p, ".text")) {
    return Kind::k_whole_text;
  }
  return Kind::k_auto;
}

// "dir/a.b.txt.gz" -> "dir/a.b"
std::string strip_extension(std::string_view rel) {
  std::string p(rel);
  for (std::string_view z : {".gz", ".zst"}) {
    if (ends_with(lower(p), z)) {
      p.resize(p.size() - z.size());
    }
  }
  fs::path fp(p);
  if (fp.has_extension()) {
    fp.replace_extension();
  }
  return fp.generic_string();
}

// A file-name-safe version of an id: letters, digits, - _ . kept, the rest '_'.
std::string safe_name(std::string_view id) {
  // ASCII letters and digits as std::isalnum has them in the "C" locale (the program never sets
  // another), tested inline: a call per byte was most of the work, made once per JSONL record.
  std::string safe(id);
  for (char& c : safe) {
    auto u = static_cast<unsigned char>(c);
    const bool alnum = (u >= '0' && u <= '9') || ((u | 0x20) >= 'a' && (u | 0x20) <= 'z');
    if (!(alnum || c == '-' || c == '_' || c == '.' || u >= 0x80)) {
      c = '_';
    }
  }
  if (safe.empty() || safe[0] == '.') {
    safe.insert(0, "_");
  }
  if (safe.size() > 150) {
    safe.resize(150);  // stays under NAME_MAX with the extension and a temporary suffix
    while (!safe.empty() && (static_cast<unsigned char>(safe.back()) & 0xC0) == 0x80) {
      safe.pop_back();
    }
    if (!safe.empty() && static_cast<unsigned char>(safe.back()) >= 0xC0) {
      safe.pop_back();
    }
  }
  return safe;
}

// ---- byte sources: a file descriptor, memory, and decompressors over another source ----

class Source {
 public:
  virtual ~Source() = default;
  // Reads up to n bytes; 0 at the end. Errors name the cause (the caller adds the path).
  virtual Result<std::size_t> read(char* buf, std::size_t n) = 0;
};

class FdSource final : public Source {
 public:
  FdSource(int fd, bool owned) : fd_(fd), owned_(owned) {}
  ~FdSource() override {
    if (owned_ && fd_ >= 0) {
      ::close(fd_);
    }
  }
  FdSource(const FdSource&) = delete;
  FdSource& operator=(const FdSource&) = delete;
  Result<std::size_t> read(char* buf, std::size_t n) override {
    while (true) {
      ssize_t got = ::read(fd_, buf, n);
      if (got >= 0) {
        return static_cast<std::size_t>(got);
      }
      if (errno != EINTR) {
        return Status::error(fmt::format("read error: {}", std::strerror(errno)));
      }
    }
  }

 private:
  int fd_;
  bool owned_;
};

class MemorySource final : public Source {
 public:
  explicit MemorySource(std::string bytes) : bytes_(std::move(bytes)) {}
  Result<std::size_t> read(char* buf, std::size_t n) override {
    std::size_t k = std::min(n, bytes_.size() - pos_);
    std::memcpy(buf, bytes_.data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  std::string bytes_;
  std::size_t pos_ = 0;
};

// A buffered reader over a Source, with peek and line/record helpers. Also a Source itself, so a
// decompressor can read from it after the magic bytes were peeked.
class ByteStream final : public Source {
 public:
  explicit ByteStream(std::unique_ptr<Source> src) : src_(std::move(src)) {}

  // Makes up to n bytes available; returns what is available (fewer only at the end).
  Result<std::string_view> peek(std::size_t n) {
    while (end_ - pos_ < n && !eof_) {
      if (Status s = fill(); !s) {
        return s;
      }
    }
    return std::string_view(buf_.data() + pos_, std::min(n, end_ - pos_));
  }

  Result<std::size_t> read(char* out, std::size_t n) override {
    if (pos_ == end_ && !eof_) {
      if (n >= k_chunk) {
        auto r = src_->read(out, n);
        if (r && *r == 0) {
          eof_ = true;
        }
        return r;
      }
      if (Status s = fill(); !s) {
        return s;
      }
    }
    std::size_t k = std::min(n, end_ - pos_);
    std::memcpy(out, buf_.data() + pos_, k);
    pos_ += k;
    return k;
  }

  struct Line {
    bool found = false;     // false: end of input, nothing read
    bool too_long = false;  // the line exceeded the limit; `text` holds nothing
    std::size_t length = 0; // bytes of the line without its newline
  };
  // Reads one line (without '\n') into `text`; a line longer than `max` is consumed but not kept.
  Result<Line> read_line(std::string& text, std::size_t max) {
    text.clear();
    Line line;
    while (true) {
      if (pos_ == end_) {
        if (eof_) {
          return line;
        }
        if (Status s = fill(); !s) {
          return s;
        }
        continue;
      }
      line.found = true;
      const char* begin = buf_.data() + pos_;
      const void* nl = std::memchr(begin, '\n', end_ - pos_);
      std::size_t take = nl != nullptr ? static_cast<std::size_t>(static_cast<const char*>(nl) - begin) : end_ - pos_;
      line.length += take;
      if (!line.too_long) {
        if (line.length > max) {
          line.too_long = true;
          text.clear();
          text.shrink_to_fit();
        } else {
          text.append(begin, take);
        }
      }
      pos_ += take;
      if (nl != nullptr) {
        ++pos_;
        return line;
      }
    }
  }

  // read_line without the copy when it can: `view` is the line in the stream's buffer when the
  // line lies whole in it (all but the lines that straddle a 256 KiB read), else in `scratch`.
  // Either stays valid until the next call on the stream. Same lines, lengths and limits as
  // read_line.
  Result<Line> read_line_view(std::string_view& view, std::string& scratch, std::size_t max) {
    if (pos_ < end_) {
      const char* begin = buf_.data() + pos_;
      const void* nl = std::memchr(begin, '\n', end_ - pos_);
      if (nl != nullptr || eof_) {
        Line line;
        line.found = true;
        line.length = nl != nullptr ? static_cast<std::size_t>(static_cast<const char*>(nl) - begin) : end_ - pos_;
        line.too_long = line.length > max;
        view = line.too_long ? std::string_view() : std::string_view(begin, line.length);
        pos_ += line.length + (nl != nullptr ? 1 : 0);
        return line;
      }
    }
    auto line = read_line(scratch, max);
    view = scratch;
    return line;
  }

  // Reads exactly n bytes into `out` (fewer at the end of input).
  Result<std::size_t> read_exact(std::string& out, std::size_t n) {
    out.clear();
    while (out.size() < n) {
      if (pos_ == end_) {
        if (eof_) {
          break;
        }
        if (Status s = fill(); !s) {
          return s;
        }
        continue;
      }
      std::size_t k = std::min(n - out.size(), end_ - pos_);
      out.append(buf_.data() + pos_, k);
      pos_ += k;
    }
    return out.size();
  }

  // Skips n bytes; returns how many were skipped.
  Result<std::size_t> skip(std::size_t n) {
    std::size_t done = 0;
    while (done < n) {
      if (pos_ == end_) {
        if (eof_) {
          break;
        }
        if (Status s = fill(); !s) {
          return s;
        }
        continue;
      }
      std::size_t k = std::min(n - done, end_ - pos_);
      pos_ += k;
      done += k;
    }
    return done;
  }

  // Reads everything that is left, up to max bytes. `too_large` tells that more was there.
  struct All {
    std::string data;
    bool too_large = false;
  };
  Result<All> read_all(std::size_t max) {
    All all;
    while (true) {
      if (pos_ < end_) {
        std::size_t k = std::min(end_ - pos_, max - all.data.size());
        all.data.append(buf_.data() + pos_, k);
        pos_ += k;
        if (pos_ < end_) {
          all.too_large = true;
          return all;
        }
      }
      if (eof_) {
        return all;
      }
      if (Status s = fill(); !s) {
        return s;
      }
    }
  }

  bool at_end() {
    auto p = peek(1);
    return p && p->empty();
  }

 private:
  Status fill() {
    if (pos_ > 0 && pos_ == end_) {
      pos_ = end_ = 0;
    } else if (pos_ > 0 && buf_.size() - end_ < k_chunk) {
      std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
      end_ -= pos_;
      pos_ = 0;
    }
    if (buf_.size() - end_ < k_chunk) {
      buf_.resize(end_ + k_chunk);
    }
    auto r = src_->read(buf_.data() + end_, k_chunk);
    if (!r) {
      eof_ = true;
      return r.status();
    }
    if (*r == 0) {
      eof_ = true;
    }
    end_ += *r;
    return {};
  }

  std::unique_ptr<Source> src_;
  std::vector<char> buf_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
};

// gzip (and zlib) with concatenated members, as .warc.gz files are made.
class GzipSource final : public Source {
 public:
  explicit GzipSource(std::unique_ptr<Source> inner) : inner_(std::move(inner)), in_(k_chunk) {
    ok_ = inflateInit2(&zs_, 15 + 32) == Z_OK;
  }
  ~GzipSource() override { inflateEnd(&zs_); }
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

  Result<std::size_t> read(char* out, std::size_t n) override {
    if (!ok_) {
      return Status::error("zlib could not be initialised");
    }
    if (failed_) {
      return Status::error(failure_);
    }
    const auto want = static_cast<uInt>(std::min<std::size_t>(n, 1u << 30));
    zs_.next_out = reinterpret_cast<Bytef*>(out);
    zs_.avail_out = want;
    while (zs_.avail_out == want) {
      if (zs_.avail_in == 0 && !input_done_) {
        auto r = inner_->read(in_.data(), in_.size());
        if (!r) {
          return fail(r.status().message());
        }
        input_done_ = *r == 0;
        zs_.next_in = reinterpret_cast<Bytef*>(in_.data());
        zs_.avail_in = static_cast<uInt>(*r);
      }
      if (zs_.avail_in == 0 && input_done_ && !in_member_) {
        return std::size_t{0};  // between members: a clean end
      }
      if (zs_.avail_in > 0) {
        in_member_ = true;
      }
      int rc = inflate(&zs_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        in_member_ = false;
        inflateReset(&zs_);  // a following member, if any
        continue;
      }
      if (rc == Z_BUF_ERROR || (rc == Z_OK && zs_.avail_in == 0 && input_done_ && zs_.avail_out == want)) {
        if (input_done_ && zs_.avail_in == 0 && zs_.avail_out == want) {
          return fail("truncated gzip data (unexpected end of file)");
        }
        continue;
      }
      if (rc != Z_OK) {
        return fail(fmt::format("corrupt gzip data ({})", zs_.msg != nullptr ? zs_.msg : "inflate error"));
      }
    }
    return want - zs_.avail_out;
  }

 private:
  Result<std::size_t> fail(std::string message) {
    failed_ = true;
    failure_ = std::move(message);
    return Status::error(failure_);
  }
  std::unique_ptr<Source> inner_;
  std::vector<char> in_;
  z_stream zs_{};
  bool ok_ = false;
  bool input_done_ = false;
  bool in_member_ = false;
  bool failed_ = false;
  std::string failure_;
};

class ZstdSource final : public Source {
 public:
  explicit ZstdSource(std::unique_ptr<Source> inner)
      : inner_(std::move(inner)), ds_(ZSTD_createDStream()), in_(ZSTD_DStreamInSize()) {
    if (ds_ != nullptr) {
      ZSTD_initDStream(ds_);
    }
  }
  ~ZstdSource() override { ZSTD_freeDStream(ds_); }
  ZstdSource(const ZstdSource&) = delete;
  ZstdSource& operator=(const ZstdSource&) = delete;

  Result<std::size_t> read(char* out, std::size_t n) override {
    if (ds_ == nullptr) {
      return Status::error("zstd could not be initialised");
    }
    if (failed_) {
      return Status::error(failure_);
    }
    ZSTD_outBuffer ob{out, n, 0};
    while (ob.pos == 0) {
      if (ib_.pos == ib_.size) {
        if (!input_done_) {
          auto r = inner_->read(in_.data(), in_.size());
          if (!r) {
            return fail(r.status().message());
          }
          input_done_ = *r == 0;
          if (!input_done_) {
            ib_ = ZSTD_inBuffer{in_.data(), *r, 0};
            continue;
          }
        }
        if (pending_ == 0) {
          return std::size_t{0};  // at a frame boundary: a clean end
        }
        // Mid-frame at the end of input: the decoder may still hold output.
        std::size_t rc = ZSTD_decompressStream(ds_, &ob, &ib_);
        if (ZSTD_isError(rc)) {
          return fail(fmt::format("corrupt zstd data ({})", ZSTD_getErrorName(rc)));
        }
        pending_ = rc;
        if (ob.pos == 0) {
          return fail("truncated zstd data (unexpected end of file)");
        }
        return ob.pos;
      }
      std::size_t rc = ZSTD_decompressStream(ds_, &ob, &ib_);
      if (ZSTD_isError(rc)) {
        return fail(fmt::format("corrupt zstd data ({})", ZSTD_getErrorName(rc)));
      }
      pending_ = rc;
    }
    return ob.pos;
  }

 private:
  Result<std::size_t> fail(std::string message) {
    failed_ = true;
    failure_ = std::move(message);
    return Status::error(failure_);
  }
  std::unique_ptr<Source> inner_;
  ZSTD_DStream* ds_;
  std::vector<char> in_;
  ZSTD_inBuffer ib_{nullptr, 0, 0};
  std::size_t pending_ = 0;  // 0: at a frame boundary
  bool input_done_ = false;
  bool failed_ = false;
  std::string failure_;
};

// Wraps a raw source in a decompressor when its first bytes are a gzip or zstd magic number.
Result<std::unique_ptr<ByteStream>> open_stream(std::unique_ptr<Source> raw) {
  auto stream = std::make_unique<ByteStream>(std::move(raw));
  auto head = stream->peek(4);
  if (!head) {
    return head.status();
  }
  std::string_view h = *head;
  if (h.size() >= 2 && static_cast<unsigned char>(h[0]) == 0x1f && static_cast<unsigned char>(h[1]) == 0x8b) {
    return std::make_unique<ByteStream>(std::make_unique<GzipSource>(std::move(stream)));
  }
  if (h.size() >= 4 && h.substr(0, 4) == std::string_view("\x28\xb5\x2f\xfd", 4)) {
    return std::make_unique<ByteStream>(std::make_unique<ZstdSource>(std::move(stream)));
  }
  return stream;
}

Result<std::unique_ptr<ByteStream>> open_path(const std::string& path) {
  if (path == "-") {
    return open_stream(std::make_unique<FdSource>(STDIN_FILENO, false));
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status::error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::error(fmt::format("{}: is a directory", path));
  }
  return open_stream(std::make_unique<FdSource>(fd, true));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y)); });
}

// "Name: value" header lines (WARC and HTTP). Returns the value of `name`, or "".
std::string_view header_value(std::string_view headers, std::string_view name) {
  std::size_t pos = 0;
  while (pos < headers.size()) {
    std::size_t nl = headers.find('\n', pos);
    std::string_view line = headers.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? headers.size() : nl + 1;
    std::size_t colon = line.find(':');
    if (colon != std::string_view::npos && iequals(trim(line.substr(0, colon)), name)) {
      return trim(line.substr(colon + 1));
    }
  }
  return {};
}

// Decodes an HTTP chunked body; on a malformed body returns what was decoded so far.
std::string dechunk(std::string_view body) {
  std::string out;
  std::size_t pos = 0;
  while (pos < body.size()) {
    std::size_t nl = body.find('\n', pos);
    if (nl == std::string_view::npos) {
      break;
    }
    std::string_view size_line = trim(body.substr(pos, nl - pos));
    std::size_t semi = size_line.find(';');
    size_line = size_line.substr(0, semi);
    std::size_t size = 0;
    bool any = false;
    for (char c : size_line) {
      int v = std::isdigit(static_cast<unsigned char>(c)) != 0 ? c - '0'
              : (c >= 'a' && c <= 'f')                         ? c - 'a' + 10
              : (c >= 'A' && c <= 'F')                         ? c - 'A' + 10
                                                               : -1;
      if (v < 0 || size > (std::size_t{1} << 40)) {
        return out;
      }
      size = size * 16 + static_cast<std::size_t>(v);
      any = true;
    }
    if (!any || size == 0) {
      break;
    }
    pos = nl + 1;
    out.append(body.substr(pos, std::min(size, body.size() - pos)));
    pos += size;
    while (pos < body.size() && (body[pos] == '\r' || body[pos] == '\n')) {
      ++pos;
    }
  }
  return out;
}

}  // namespace

// ---- collect_inputs ----

Result<CollectedInputs> collect_inputs(const std::vector<std::string>& paths, const std::string& exclude_dir) {
  CollectedInputs out;
  std::error_code ec;
  fs::path exclude;
  if (!exclude_dir.empty() && fs::exists(exclude_dir, ec)) {
    exclude = fs::weakly_canonical(exclude_dir, ec);
  }
  for (const auto& p : paths) {
    if (p == "-") {
      out.files.push_back({"-", "", ""});
      continue;
    }
    ec.clear();
    auto st = fs::status(p, ec);
    if (ec || !fs::exists(st)) {
      std::string why = ec ? ec.message() : "no such file or directory";
      if (fs::is_symlink(fs::symlink_status(p, ec))) {
        why = fs::exists(fs::status(p, ec)) ? why : "broken or looping symbolic link";
      }
      return Status::error(fmt::format("{}: {}", p, why));
    }
    if (!fs::is_directory(st)) {
      out.files.push_back({p, fs::path(p).filename().string(), ""});
      continue;
    }
    std::vector<InputFile> found;
    auto it = fs::recursive_directory_iterator(p, fs::directory_options::none, ec);
    if (ec) {
      out.files.push_back({p, "", fmt::format("{}: cannot read directory: {}", p, ec.message())});
      continue;
    }
    for (auto end = fs::recursive_directory_iterator(); it != end; it.increment(ec)) {
      if (ec) {
        // An unreadable subdirectory: report it and go on with the rest of the tree.
        found.push_back({p, "", fmt::format("{}: cannot read directory: {}", p, ec.message())});
        ec.clear();
        continue;
      }
      const auto& entry = *it;
      std::string name = entry.path().filename().string();
      std::error_code ec2;
      bool is_dir = entry.is_directory(ec2);
      bool is_link = entry.is_symlink(ec2);
      std::string rel = fs::relative(entry.path(), p, ec2).generic_string();
      if (!name.empty() && name[0] == '.') {
        if (is_dir && !is_link) {
          it.disable_recursion_pending();
        }
        continue;
      }
      if (is_dir) {
        if (!exclude.empty() && fs::weakly_canonical(entry.path(), ec2) == exclude) {
          it.disable_recursion_pending();
        } else if (is_link) {
          out.warnings.push_back(
              fmt::format("{}: symbolic link to a directory, not followed", entry.path().string()));
        }
        continue;
      }
      if (is_link && !fs::exists(entry.status(ec2))) {
        ec2.clear();
        (void)fs::status(entry.path(), ec2);
        found.push_back({entry.path().string(), rel,
                         fmt::format("{}: {}", entry.path().string(),
                                     ec2 ? ec2.message() : std::string("broken symbolic link"))});
        continue;
      }
      if (!entry.is_regular_file(ec2)) {
        continue;  // sockets, fifos, devices
      }
      found.push_back({entry.path().string(), rel, ""});
    }
    std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.rel < b.rel; });
    out.files.insert(out.files.end(), found.begin(), found.end());
  }
  return out;
}

// ---- read_file ----

Result<std::string> read_file(const std::string& path, std::size_t max_bytes) {
  auto stream = open_path(path);
  if (!stream) {
    return stream.status();
  }
  auto all = (*stream)->read_all(max_bytes);
  std::string name = path == "-" ? "<stdin>" : path;
  if (!all) {
    return Status::error(fmt::format("{}: {}", name, all.status().message()));
  }
  if (all->too_large) {
    return Status::error(fmt::format("{}: larger than {} bytes", name, max_bytes));
  }
  return std::move(all->data);
}

// ---- DocumentReader ----

namespace {

// "name:number", as fmt "{}:{}" writes it, without fmt's format-string parsing: made twice per
// JSON Lines record.
std::string numbered(std::string_view name, std::size_t number) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
  std::string out;
  out.reserve(name.size() + 1 + static_cast<std::size_t>(end - digits));
  out.append(name);
  out += ':';
  out.append(digits, end);
  return out;
}

// One JSON Lines record into `doc`; `name` and `line_no` name it in messages, `stem` prefixes its
// output path. simdjson parses `text` where it lies when it is `padded` (SIMDJSON_PADDING readable
// bytes after it), else from a copy of its own. The parsed values live in the parser, not in
// `text`: so `text` may be doc.raw itself, whose buffer then takes the body (never longer than
// the line it was unescaped from) without an allocation.
void parse_jsonl_record(simdjson::dom::parser& parser, std::string_view text, bool padded, Document& doc,
                        const ReadOptions& options, std::string_view name, std::size_t line_no, std::string_view stem) {
  // A record without an "id" (or one that fails) is named "stem:line": made here, only then,
  // rather than by the reader for every record and replaced by most.
  bool has_id = false;
  auto name_by_line = [&] {
    if (!has_id && !options.body_only) {
      doc.id = numbered(stem, line_no);
    }
  };
  simdjson::dom::element root;
  auto err = parser.parse(text.data(), text.size(), !padded).get(root);
  doc.raw.clear();
  if (err) {
    name_by_line();
    doc.error = fmt::format("{}:{}: invalid JSON: {}", name, line_no, simdjson::error_message(err));
    return;
  }
  simdjson::dom::object obj;
  if (root.get_object().get(obj)) {
    name_by_line();
    doc.error = fmt::format("{}:{}: a JSON Lines record must be an object", name, line_no);
    return;
  }
  // Views into the parser's strings, copied once, into doc.raw. simdjson checked the whole line is
  // valid UTF-8 and rejects escapes of lone surrogates, so the strings are valid UTF-8: a text
  // body is marked so (Document::raw_valid_utf8), and the decode step does not check it again.
  std::optional<std::string_view> body_text;
  std::optional<std::string_view> body_content;
  std::optional<std::string_view> body_html;
  for (auto field : obj) {
    std::string_view key = field.key;
    std::string_view sv;
    bool is_string = !field.value.get_string().get(sv);
    if (key == "id") {
      if (!options.body_only) {
        doc.id = is_string ? std::string(sv) : simdjson::minify(field.value);
        has_id = true;
      }
      continue;
    }
    if (is_string && key == options.text_field && !body_text) {
      body_text = sv;
      continue;
    }
    if (is_string && key == options.html_field && !body_html) {
      body_html = sv;
      continue;
    }
    if (is_string && key == "content" && !body_content) {
      body_content = sv;
      continue;
    }
    if (is_string && key == "title") {
      if (options.body_only) {
        // A first pass never reads a title, but whether there is one decides whether a record
        // with no line it looks at still counts as a document (the title block keeps it from being
        // an empty_doc): a one-letter stand-in says so without copying and normalising the title,
        // which in news is longer than the short lines the pass is for.
        doc.title = sv.empty() ? "" : "t";
      } else {
        doc.title.assign(sv);
      }
      continue;
    }
    if (!options.body_only) {
      // A string as simdjson::minify writes it (the same escapes: '"', '\\', \b \f \n \r \t, other
      // C0 controls as \u00xx), by the writer's faster escaper.
      doc.metadata.insert_or_assign(std::string(key), is_string ? json::quote(sv) : simdjson::minify(field.value));
    }
  }
  name_by_line();
  if (body_text) {
    doc.raw.assign(*body_text);
    doc.format = options.format == InputFormat::k_html ? InputFormat::k_html : InputFormat::k_text;
    doc.raw_valid_utf8 = doc.format == InputFormat::k_text;
    if (body_content && !options.body_only) {
      doc.metadata["content"] = json::quote(*body_content);  // another field: carried through
    }
  } else if (body_html) {
    doc.raw.assign(*body_html);
    doc.format = InputFormat::k_html;
  } else if (body_content) {
    doc.raw.assign(*body_content);
    doc.format = options.format == InputFormat::k_html ? InputFormat::k_html : InputFormat::k_text;
    doc.raw_valid_utf8 = doc.format == InputFormat::k_text;
  } else {
    doc.error = fmt::format("{}:{}: record has no string '{}' field (nor '{}' or 'content')", name, line_no,
                            options.text_field, options.html_field);
    return;
  }
  // One output file per record: <stem>/<id>.txt, the id made safe for a file name.
  if (!options.body_only) {
    std::string safe = safe_name(doc.id);
    doc.out_path.clear();
    doc.out_path.reserve(stem.size() + safe.size() + 5);
    doc.out_path.append(stem).append("/").append(safe).append(".txt");
  }
}

}  // namespace

struct DocumentReader::Impl {
  InputFile input;
  ReadOptions options;
  std::optional<std::string> memory;  // read from here instead of the path
  std::unique_ptr<ByteStream> stream;
  Kind kind = Kind::k_auto;
  bool started = false;
  bool done = false;
  std::string stem;       // id prefix for records: relative path without extension
  std::string name;       // for messages: the path, or <stdin>
  std::size_t line_no = 0;
  std::size_t record_no = 0;
  std::string line;
  simdjson::dom::parser parser;

  Document base() const {
    Document doc;
    doc.source = input.path;
    doc.id = input.path == "-" ? "stdin" : strip_extension(input.rel.empty() ? input.path : input.rel);
    doc.out_path = input.path == "-" ? "" : doc.id + ".txt";
    return doc;
  }

  Document failed(std::string message) {
    Document doc = base();
    doc.error = std::move(message);
    done = true;
    return doc;
  }

  std::optional<Document> start() {
    started = true;
    name = input.path == "-" ? "<stdin>" : input.path;
    stem = input.path == "-" ? "stdin" : strip_extension(input.rel.empty() ? fs::path(input.path).filename().string() : input.rel);
    if (!input.error.empty()) {
      return failed(input.error);
    }
    auto s = memory ? open_stream(std::make_unique<MemorySource>(std::move(*memory))) : open_path(input.path);
    memory.reset();
    if (!s) {
      std::string m = s.status().message();
      return failed(m.rfind(input.path, 0) == 0 ? m : fmt::format("{}: {}", name, m));
    }
    stream = std::move(*s);
    switch (options.format) {
      case InputFormat::k_text: kind = Kind::k_whole_text; break;
      case InputFormat::k_html: kind = Kind::k_whole_html; break;
      case InputFormat::k_jsonl: kind = Kind::k_jsonl; break;
      case InputFormat::k_auto: kind = kind_from_name(input.path); break;
    }
    if (options.format == InputFormat::k_html && kind_from_name(input.path) == Kind::k_jsonl) {
      kind = Kind::k_jsonl;  // JSONL records with HTML text
    }
    if (kind == Kind::k_auto) {
      auto head = stream->peek(4096);
      if (!head) {
        return failed(fmt::format("{}: {}", name, head.status().message()));
      }
      std::string_view h = *head;
      if (h.size() >= 3 && h.substr(0, 3) == "\xEF\xBB\xBF") {
        h.remove_prefix(3);
      }
      std::string_view first = trim(h.substr(0, h.find('\n')));
      if (h.substr(0, 5) == "WARC/") {
        kind = Kind::k_warc;
      } else if (first.size() >= 2 && first.front() == '{' && first.back() == '}' &&
                 h.find('\n') != std::string_view::npos) {
        kind = Kind::k_jsonl;
      }
    }
    return std::nullopt;
  }

  std::optional<Document> next() {
    if (done) {
      return std::nullopt;
    }
    if (!started) {
      if (auto d = start()) {
        return d;
      }
    }
    switch (kind) {
      case Kind::k_jsonl: return next_jsonl();
      case Kind::k_warc: return next_warc();
      default: return whole();
    }
  }

  // A text or HTML file: one document, read whole up to max_bytes.
  std::optional<Document> whole() {
    done = true;
    auto all = stream->read_all(options.max_bytes);
    if (!all) {
      return failed(fmt::format("{}: {}", name, all.status().message()));
    }
    if (all->too_large) {
      return failed(fmt::format("{}: larger than {} bytes (--max-bytes); not read", name, options.max_bytes));
    }
    Document doc = base();
    doc.format = kind == Kind::k_whole_html ? InputFormat::k_html
                 : kind == Kind::k_whole_text ? InputFormat::k_text
                 : html::looks_like_html(all->data) ? InputFormat::k_html
                                                     : InputFormat::k_text;
    doc.raw = std::move(all->data);
    return doc;
  }

  std::optional<Document> next_jsonl() {
    while (true) {
      std::string_view text;
      auto got = stream->read_line_view(text, line, options.max_bytes);
      if (!got) {
        Document doc = failed(fmt::format("{}: after line {}: {}", name, line_no, got.status().message()));
        doc.source = fmt::format("{}:{}", input.path, line_no + 1);
        doc.id = fmt::format("{}:{}", stem, line_no + 1);
        doc.out_path.clear();
        return doc;
      }
      if (!got->found) {
        done = true;
        return std::nullopt;
      }
      ++line_no;
      Document doc;
      if (!options.body_only || options.defer_jsonl) {
        doc.source = numbered(input.path, line_no);  // a deferred record's messages need it
      }
      if (got->too_long) {
        if (!options.body_only) {
          doc.id = numbered(stem, line_no);  // a parsed record gets its id (or this one) when parsed
        }
        doc.error = fmt::format("{}:{}: line of {} bytes is larger than {} bytes (--max-bytes); record skipped", name,
                                line_no, got->length, options.max_bytes);
        if (options.body_only) {
          doc.source.clear();  // not deferred after all: named as a first pass read directly names it
        }
        return doc;
      }
      if (line_no == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") {
        text.remove_prefix(3);
      }
      text = trim(text);
      if (text.empty()) {
        continue;
      }
      if (options.defer_jsonl) {
        // Parsed later, on any thread (parse_deferred_record): the record's line, its id stem in
        // out_path, and "path:line" in source are all it needs. The padding simdjson reads past
        // the end lets it parse the line where it is, without a copy of its own.
        doc.raw.reserve(text.size() + simdjson::SIMDJSON_PADDING);
        doc.raw.assign(text);
        doc.format = InputFormat::k_jsonl;
        if (!options.body_only) {
          doc.out_path = stem;  // (a first pass names no output)
        }
        return doc;
      }
      parse_record(text, doc);
      return doc;
    }
  }

  void parse_record(std::string_view text, Document& doc) {
    parse_jsonl_record(parser, text, false, doc, options, name, line_no, stem);
  }

  // WARC: each record is a header block, an empty line, Content-Length bytes, two CRLFs. Only
  // `response` records holding an HTTP response with an HTML body become documents; the others
  // (warcinfo, request, metadata, non-HTML responses) are skipped.
  std::optional<Document> next_warc() {
    std::string headers;
    while (true) {
      // Find the next "WARC/" version line, skipping the blank lines between records.
      auto got = stream->read_line(line, 4096);
      if (!got) {
        return warc_failure(got.status().message());
      }
      if (!got->found) {
        done = true;
        return std::nullopt;
      }
      std::string_view l = trim(line);
      if (l.empty()) {
        continue;
      }
      if (got->too_long || l.substr(0, 5) != "WARC/") {
        return warc_failure(fmt::format("not a WARC record header (record {})", record_no + 1));
      }
      ++record_no;
      headers.clear();
      std::size_t header_lines = 0;
      while (true) {
        auto h = stream->read_line(line, 1 << 16);
        if (!h) {
          return warc_failure(h.status().message());
        }
        if (!h->found) {
          return warc_failure(fmt::format("truncated WARC record {} (headers)", record_no));
        }
        if (trim(line).empty()) {
          break;
        }
        if (h->too_long || ++header_lines > 1000) {
          return warc_failure(fmt::format("WARC record {}: header too long", record_no));
        }
        headers += line;
        headers += '\n';
      }
      std::string_view length_text = header_value(headers, "Content-Length");
      std::size_t length = 0;
      auto [ptr, ec] = std::from_chars(length_text.data(), length_text.data() + length_text.size(), length);
      if (ec != std::errc() || length_text.empty()) {
        return warc_failure(fmt::format("WARC record {}: missing or bad Content-Length", record_no));
      }
      std::string_view type = header_value(headers, "WARC-Type");
      std::string_view content_type = header_value(headers, "Content-Type");
      bool wanted = iequals(type, "response") && lower(content_type).find("application/http") != std::string::npos;
      Document doc;
      doc.source = fmt::format("{}#{}", input.path, record_no);
      doc.id = fmt::format("{}#{}", stem, record_no);
      if (!wanted || length > options.max_bytes) {
        auto skipped = stream->skip(length);
        if (!skipped) {
          return warc_failure(skipped.status().message());
        }
        if (*skipped < length) {
          return warc_failure(fmt::format("truncated WARC record {}", record_no));
        }
        if (wanted) {
          doc.error = fmt::format("{}#{}: record of {} bytes is larger than {} bytes (--max-bytes); skipped", name,
                                  record_no, length, options.max_bytes);
          return doc;
        }
        continue;
      }
      std::string block;
      auto read = stream->read_exact(block, length);
      if (!read) {
        return warc_failure(read.status().message());
      }
      if (*read < length) {
        return warc_failure(fmt::format("truncated WARC record {}", record_no));
      }
      // The HTTP response: status line and headers, a blank line, the body.
      std::size_t split = block.find("\r\n\r\n");
      std::size_t body_at = split == std::string::npos ? std::string::npos : split + 4;
      if (split == std::string::npos) {
        split = block.find("\n\n");
        body_at = split == std::string::npos ? std::string::npos : split + 2;
      }
      if (split == std::string::npos) {
        continue;  // no HTTP header block: not a page
      }
      std::string_view http_headers(block.data(), split);
      std::string http_type = lower(header_value(http_headers, "Content-Type"));
      std::string_view body(block.data() + body_at, block.size() - body_at);
      if (!http_type.empty() ? http_type.find("html") == std::string::npos : !html::looks_like_html(body)) {
        continue;  // images, scripts, PDFs ...
      }
      if (lower(header_value(http_headers, "Transfer-Encoding")).find("chunked") != std::string::npos) {
        doc.raw = dechunk(body);
      } else {
        doc.raw = std::string(body);
      }
      doc.format = InputFormat::k_html;
      std::string_view url = header_value(headers, "WARC-Target-URI");
      if (!url.empty()) {
        doc.metadata["url"] = quote_json(url);
      }
      std::string_view date = header_value(headers, "WARC-Date");
      if (!date.empty()) {
        doc.metadata["date"] = quote_json(date);
      }
      std::string_view record_id = header_value(headers, "WARC-Record-ID");
      if (!record_id.empty()) {
        doc.metadata["warc_record_id"] = quote_json(record_id);
      }
      if (!http_type.empty()) {
        doc.metadata["http_content_type"] = quote_json(http_type);
      }
      doc.out_path = fmt::format("{}/{:06}.txt", stem, record_no);
      return doc;
    }
  }

  Document warc_failure(std::string message) {
    Document doc = failed(fmt::format("{}: {}", name, message));
    doc.source = fmt::format("{}#{}", input.path, record_no + 1);
    doc.id = fmt::format("{}#{}", stem, record_no + 1);
    doc.out_path.clear();
    return doc;
  }

  static std::string quote_json(std::string_view s);
};

std::string DocumentReader::Impl::quote_json(std::string_view s) {
  // Header values are bytes; keep them valid UTF-8 for the JSON writer (ASCII in practice).
  std::string clean;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    clean += (u >= 0x20 && u < 0x7f) ? c : '?';
  }
  return json::quote(clean);
}

void parse_deferred_record(Document& doc, const ReadOptions& options) {
  if (doc.format != InputFormat::k_jsonl) {
    return;
  }
  thread_local simdjson::dom::parser parser;
  const std::string stem = std::move(doc.out_path);
  doc.out_path.clear();
  doc.format = InputFormat::k_auto;
  // source is "path:line" (fmt "{}:{}" in next_jsonl): the path may hold colons, the number not.
  std::string_view source = doc.source;
  std::size_t colon = source.rfind(':');
  std::string_view path = colon == std::string_view::npos ? source : source.substr(0, colon);
  std::size_t line_no = 0;
  if (colon != std::string_view::npos) {
    std::from_chars(source.data() + colon + 1, source.data() + source.size(), line_no);
  }
  // The line is parsed in doc.raw, and the body replaces it there (next_jsonl reserved the padding).
  const bool padded = doc.raw.capacity() - doc.raw.size() >= simdjson::SIMDJSON_PADDING;
  parse_jsonl_record(parser, doc.raw, padded, doc, options, path == "-" ? std::string_view("<stdin>") : path, line_no,
                     stem);
  if (options.body_only) {
    doc.source.clear();  // as read directly: a first pass names nothing
  }
}

DocumentReader::DocumentReader(InputFile input, ReadOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->input = std::move(input);
  impl_->options = std::move(options);
}

DocumentReader::DocumentReader(InputFile input, ReadOptions options, std::string bytes)
    : DocumentReader(std::move(input), std::move(options)) {
  impl_->memory = std::move(bytes);
}

DocumentReader::DocumentReader(DocumentReader&&) noexcept = default;
DocumentReader& DocumentReader::operator=(DocumentReader&&) noexcept = default;
DocumentReader::~DocumentReader() = default;

std::optional<Document> DocumentReader::next() { return impl_->next(); }

void read_documents(const InputFile& input, const ReadOptions& options,
                    const std::function<void(Document&&)>& sink) {
  DocumentReader reader(input, options);
  while (auto doc = reader.next()) {
    sink(std::move(*doc));
  }
}

}  // namespace decruft::io
