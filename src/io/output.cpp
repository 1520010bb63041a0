#include "io/output.h"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/json.h"

namespace fs = std::filesystem;

namespace decruft::io {

namespace {

void write_removed(json::Writer& w, const Document& doc) {
  w.begin_array();
  for (const auto& b : doc.blocks) {
    if (b.kept()) {
      continue;
    }
    w.begin_object();
    w.key("reason"); w.value(b.drop->reason);
    w.key("step"); w.value(b.drop->step);
    if (b.line > 0) {
      w.key("line"); w.value(static_cast<std::uint64_t>(b.line));
    }
    if (!b.drop->evidence.empty()) {
      w.key("evidence"); w.value(b.drop->evidence);
    }
    w.key("text"); w.value(b.text);
    w.end_object();
  }
  w.end_array();
}

}  // namespace

std::string render(const Document& doc, OutputFormat format) {
  std::string out;
  switch (format) {
    case OutputFormat::k_text:
      for (const auto& b : doc.blocks) {
        if (b.kept()) {
          out += b.text;
          out += '\n';
        }
      }
      return out;
    case OutputFormat::k_sentences: {
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
      return out;
    }
    case OutputFormat::k_jsonl: {
      json::Writer w;
      w.begin_object();
      w.key("id"); w.value(doc.id);
      w.key("source"); w.value(doc.source);
      w.key("title"); w.value(doc.title);
      w.key("text"); w.value(doc.kept_text());
      w.key("sentences");
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
      if (!doc.metadata.empty()) {
        w.key("metadata");
        w.begin_object();
        for (const auto& [k, v] : doc.metadata) {
          w.key(k);
          w.raw(v);
        }
        w.end_object();
      }
      if (doc.repaired_bytes > 0) {
        w.key("repaired_bytes"); w.value(static_cast<std::uint64_t>(doc.repaired_bytes));
      }
      w.key("removed");
      write_removed(w, doc);
      w.end_object();
      out = w.take();
      out += '\n';
      return out;
    }
  }
  return out;
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
  ok = (std::fflush(f) == 0) && ok;
  int saved = errno;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) {
    std::remove(tmp.c_str());
    return Status::error(fmt::format("{}: write failed: {}", path, std::strerror(saved != 0 ? saved : errno)));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    saved = errno;
    std::remove(tmp.c_str());
    return Status::error(fmt::format("{}: cannot rename into place: {}", path, std::strerror(saved)));
  }
  return {};
}

void Report::add(const Document& doc, std::string_view output_path) {
  bytes_in_ += doc.raw.size();
  json::Writer w;
  w.begin_object();
  w.key("id"); w.value(doc.id);
  w.key("source"); w.value(doc.source);
  if (doc.error) {
    ++failed_;
    w.key("status"); w.value("failed");
    w.key("error"); w.value(*doc.error);
  } else if (doc.drop) {
    ++dropped_total_;
    ++dropped_[doc.drop->reason];
    w.key("status"); w.value("dropped");
    w.key("reason"); w.value(doc.drop->reason);
    w.key("step"); w.value(doc.drop->step);
    if (!doc.drop->evidence.empty()) {
      w.key("evidence"); w.value(doc.drop->evidence);
    }
  } else {
    ++kept_;
    w.key("status"); w.value("kept");
    bytes_out_ += doc.kept_text().size();
    if (!output_path.empty()) {
      w.key("output"); w.value(output_path);
    }
  }
  w.key("blocks"); w.value(static_cast<std::uint64_t>(doc.blocks.size()));
  w.key("kept_blocks"); w.value(static_cast<std::uint64_t>(doc.kept_blocks()));
  std::map<std::string, std::uint64_t> by_reason;
  for (const auto& b : doc.blocks) {
    if (!b.kept()) {
      ++by_reason[b.drop->reason];
    }
  }
  if (doc.kept()) {
    for (const auto& [k, v] : by_reason) {
      blocks_removed_[k] += v;
    }
  }
  w.key("removed_by_reason");
  w.begin_object();
  for (const auto& [k, v] : by_reason) {
    w.key(k);
    w.value(v);
  }
  w.end_object();
  if (doc.repaired_bytes > 0) {
    w.key("repaired_bytes"); w.value(static_cast<std::uint64_t>(doc.repaired_bytes));
  }
  if (!doc.split_stories.empty()) {
    w.key("split_stories"); w.value(static_cast<std::uint64_t>(doc.split_stories.size()));
  }
  w.end_object();
  if (!documents_json_.empty()) {
    documents_json_ += ",\n";
  }
  documents_json_ += w.str();
}

std::string Report::to_json(const RunStats& stats) const {
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
  w.end_object();
  w.key("steps"); w.raw(stats.to_json(false));
  w.key("documents");
  w.raw("[\n" + documents_json_ + "\n]");
  w.end_object();
  std::string out = w.take();
  out += '\n';
  return out;
}

std::string Report::summary_line() const {
  std::string dropped;
  for (const auto& [k, v] : dropped_) {
    dropped += fmt::format(" {}={}", k, v);
  }
  return fmt::format("{} documents: {} kept, {} dropped{}{}, {} failed", documents(), kept_, dropped_total_,
                     dropped.empty() ? "" : " (", dropped.empty() ? "" : dropped.substr(1) + ")", failed_);
}

}  // namespace decruft::io
