#include "io/input.h"

#include <fmt/format.h>
#include <simdjson.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <system_error>

#include "html/extract.h"

namespace fs = std::filesystem;

namespace decruft::io {

namespace {

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

InputFormat format_from_name(std::string_view path) {
  std::string p = logical_name(path);
  if (ends_with(p, ".jsonl") || ends_with(p, ".json") || ends_with(p, ".ndjson")) {
    return InputFormat::k_jsonl;
  }
  if (ends_with(p, ".html") || ends_with(p, ".htm") || ends_with(p, ".xhtml")) {
    return InputFormat::k_html;
  }
  if (ends_with(p, ".txt") || ends_with(p, ".text")) {
    return InputFormat::k_text;
  }
  return InputFormat::k_auto;
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

Result<std::string> read_plain(std::FILE* f, const std::string& path, std::size_t max_bytes) {
  std::string out;
  char buf[1 << 16];
  while (true) {
    std::size_t n = std::fread(buf, 1, sizeof buf, f);
    out.append(buf, n);
    if (out.size() > max_bytes) {
      return Status::error(fmt::format("{}: larger than {} bytes", path, max_bytes));
    }
    if (n < sizeof buf) {
      if (std::ferror(f) != 0) {
        return Status::error(fmt::format("{}: read error: {}", path, std::strerror(errno)));
      }
      break;
    }
  }
  return out;
}

Result<std::string> gunzip(const std::string& compressed, const std::string& path, std::size_t max_bytes) {
  std::string out;
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) {
    return Status::error(fmt::format("{}: zlib init failed", path));
  }
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  zs.avail_in = static_cast<uInt>(compressed.size());
  char buf[1 << 16];
  int rc = Z_OK;
  while (true) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
    if (out.size() > max_bytes) {
      inflateEnd(&zs);
      return Status::error(fmt::format("{}: decompresses to more than {} bytes", path, max_bytes));
    }
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) {
        break;
      }
      inflateReset(&zs);  // concatenated gzip members
      continue;
    }
    if (rc != Z_OK) {
      break;
    }
    if (zs.avail_in == 0 && zs.avail_out != 0) {
      rc = Z_BUF_ERROR;
      break;
    }
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) {
    return Status::error(fmt::format("{}: corrupt or truncated gzip data ({})", path, zs.msg ? zs.msg : "unexpected end"));
  }
  return out;
}

Result<std::string> unzstd(const std::string& compressed, const std::string& path, std::size_t max_bytes) {
  std::string out;
  ZSTD_DStream* ds = ZSTD_createDStream();
  ZSTD_initDStream(ds);
  ZSTD_inBuffer in{compressed.data(), compressed.size(), 0};
  char buf[1 << 16];
  std::size_t last = 1;
  while (in.pos < in.size) {
    ZSTD_outBuffer ob{buf, sizeof buf, 0};
    last = ZSTD_decompressStream(ds, &ob, &in);
    if (ZSTD_isError(last)) {
      ZSTD_freeDStream(ds);
      return Status::error(fmt::format("{}: corrupt zstd data ({})", path, ZSTD_getErrorName(last)));
    }
    out.append(buf, ob.pos);
    if (out.size() > max_bytes) {
      ZSTD_freeDStream(ds);
      return Status::error(fmt::format("{}: decompresses to more than {} bytes", path, max_bytes));
    }
  }
  // Flush what the decoder still holds.
  while (last != 0) {
    ZSTD_outBuffer ob{buf, sizeof buf, 0};
    last = ZSTD_decompressStream(ds, &ob, &in);
    if (ZSTD_isError(last)) {
      break;
    }
    out.append(buf, ob.pos);
    if (ob.pos == 0) {
      break;
    }
  }
  ZSTD_freeDStream(ds);
  if (last != 0) {
    return Status::error(fmt::format("{}: truncated zstd data", path));
  }
  return out;
}

void split_lines_jsonl(const InputFile& input, const std::string& data, const ReadOptions& options,
                       const std::function<void(Document&&)>& sink) {
  simdjson::dom::parser parser;
  std::string stem = strip_extension(input.rel.empty() ? fs::path(input.path).filename().string() : input.rel);
  if (input.path == "-") {
    stem = "stdin";
  }
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < data.size()) {
    std::size_t nl = data.find('\n', pos);
    std::size_t end = nl == std::string::npos ? data.size() : nl;
    std::string_view line(data.data() + pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      continue;
    }
    Document doc;
    doc.source = fmt::format("{}:{}", input.path, line_no);
    doc.id = fmt::format("{}:{}", stem, line_no);
    simdjson::dom::element root;
    auto err = parser.parse(line.data(), line.size()).get(root);
    if (err) {
      doc.error = fmt::format("{}:{}: invalid JSON: {}", input.path, line_no, simdjson::error_message(err));
      sink(std::move(doc));
      continue;
    }
    simdjson::dom::object obj;
    if (root.get_object().get(obj)) {
      doc.error = fmt::format("{}:{}: a JSON Lines record must be an object", input.path, line_no);
      sink(std::move(doc));
      continue;
    }
    bool have_text = false;
    for (auto field : obj) {
      std::string_view key = field.key;
      std::string_view sv;
      if (key == "id") {
        if (!field.value.get_string().get(sv)) {
          doc.id = std::string(sv);
        } else {
          doc.id = simdjson::minify(field.value);
        }
      } else if (key == options.text_field || (key == "content" && !have_text) || key == options.html_field) {
        if (field.value.get_string().get(sv)) {
          doc.metadata[std::string(key)] = simdjson::minify(field.value);
          continue;
        }
        if (key == options.html_field) {
          doc.format = InputFormat::k_html;
        } else if (have_text && key == "content") {
          continue;
        }
        doc.raw = std::string(sv);
        have_text = true;
      } else if (key == "title" && !field.value.get_string().get(sv)) {
        doc.title = std::string(sv);
      } else {
        doc.metadata[std::string(key)] = simdjson::minify(field.value);
      }
    }
    if (!have_text) {
      doc.error = fmt::format("{}:{}: record has no '{}' field", input.path, line_no, options.text_field);
    } else if (doc.format == InputFormat::k_auto) {
      doc.format = options.format == InputFormat::k_html ? InputFormat::k_html : InputFormat::k_text;
    }
    // One output file per record: <stem>/<id>.txt, with the id made safe for a file name.
    std::string safe;
    for (char c : doc.id) {
      safe += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
    }
    if (safe.empty() || safe[0] == '.') {
      safe.insert(0, "_");
    }
    doc.out_path = stem + "/" + safe + ".txt";
    sink(std::move(doc));
  }
}

}  // namespace

Result<CollectedInputs> collect_inputs(const std::vector<std::string>& paths) {
  CollectedInputs out;
  for (const auto& p : paths) {
    if (p == "-") {
      out.files.push_back({"-", ""});
      continue;
    }
    std::error_code ec;
    auto st = fs::status(p, ec);
    if (ec || !fs::exists(st)) {
      return Status::error(fmt::format("{}: no such file or directory", p));
    }
    if (!fs::is_directory(st)) {
      out.files.push_back({p, fs::path(p).filename().string()});
      continue;
    }
    std::vector<InputFile> found;
    auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
      out.errors.emplace_back(p, fmt::format("{}: cannot read directory: {}", p, ec.message()));
      continue;
    }
    for (auto end = fs::recursive_directory_iterator(); it != end; it.increment(ec)) {
      if (ec) {
        out.errors.emplace_back(p, fmt::format("{}: {}", p, ec.message()));
        break;
      }
      const auto& entry = *it;
      std::string name = entry.path().filename().string();
      if (!name.empty() && name[0] == '.') {
        if (entry.is_directory(ec)) {
          it.disable_recursion_pending();
        }
        continue;
      }
      std::error_code ec2;
      if (entry.is_directory(ec2)) {
        continue;
      }
      if (!entry.is_regular_file(ec2)) {
        if (entry.is_symlink(ec2)) {
          out.errors.emplace_back(entry.path().string(),
                                  fmt::format("{}: broken symbolic link", entry.path().string()));
        }
        continue;
      }
      found.push_back({entry.path().string(), fs::relative(entry.path(), p, ec2).generic_string()});
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.rel < b.rel; });
    out.files.insert(out.files.end(), found.begin(), found.end());
  }
  return out;
}

Result<std::string> read_file(const std::string& path, std::size_t max_bytes) {
  Result<std::string> data = Status::error("unread");
  if (path == "-") {
    data = read_plain(stdin, "<stdin>", max_bytes);
  } else {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      return Status::error(fmt::format("{}: is a directory", path));
    }
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) {
      return Status::error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
    }
    data = read_plain(f, path, max_bytes);
    std::fclose(f);
  }
  if (!data) {
    return data;
  }
  const std::string& d = *data;
  if (d.size() >= 2 && static_cast<unsigned char>(d[0]) == 0x1f && static_cast<unsigned char>(d[1]) == 0x8b) {
    return gunzip(d, path, max_bytes);
  }
  if (d.size() >= 4 && d.compare(0, 4, "\x28\xb5\x2f\xfd") == 0) {
    return unzstd(d, path, max_bytes);
  }
  return data;
}

void read_documents(const InputFile& input, const ReadOptions& options,
                    const std::function<void(Document&&)>& sink) {
  Result<std::string> data = read_file(input.path, options.max_bytes);
  InputFormat format = options.format != InputFormat::k_auto ? options.format : format_from_name(input.path);
  Document doc;
  doc.source = input.path;
  doc.id = input.path == "-" ? "stdin" : strip_extension(input.rel);
  doc.out_path = input.path == "-" ? "" : doc.id + ".txt";
  if (!data) {
    doc.error = data.status().message();
    sink(std::move(doc));
    return;
  }
  if (format == InputFormat::k_jsonl) {
    split_lines_jsonl(input, *data, options, sink);
    return;
  }
  if (format == InputFormat::k_auto) {
    format = html::looks_like_html(*data) ? InputFormat::k_html : InputFormat::k_text;
  }
  doc.format = format;
  doc.raw = std::move(*data);
  sink(std::move(doc));
}

}  // namespace decruft::io
