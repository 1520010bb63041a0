#include "cli/runner.h"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>

#include "core/json.h"
#include "core/reasons.h"
#include "io/input.h"
#include "io/output.h"

namespace fs = std::filesystem;

namespace decruft::cli {

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_sigint(int /*sig*/) { g_interrupted.store(true); }

// Writes to stdout; a closed pipe ends the run quietly.
class StdoutSink {
 public:
  explicit StdoutSink(std::FILE* f) : f_(f) {}
  bool write(std::string_view s) {
    if (broken_) {
      return false;
    }
    if (std::fwrite(s.data(), 1, s.size(), f_) != s.size()) {
      broken_ = true;
      error_ = errno;
    }
    return !broken_;
  }
  bool broken() const { return broken_; }
  bool broken_pipe() const { return broken_ && error_ == EPIPE; }
  int error() const { return error_; }

 private:
  std::FILE* f_;
  bool broken_ = false;
  int error_ = 0;
};

std::vector<Document> expand(Document&& doc) {
  std::vector<Document> out;
  std::vector<Document> stories = std::move(doc.split_stories);
  out.push_back(std::move(doc));
  for (auto& s : stories) {
    out.push_back(std::move(s));
  }
  return out;
}

bool is_duplicate_reason(std::string_view r) {
  return r == reason::k_duplicate_doc || r == reason::k_near_duplicate_doc;
}

}  // namespace

int run_corpus(const Options& o, Pipeline& pipeline, std::FILE* out, std::FILE* err) {
  std::signal(SIGPIPE, SIG_IGN);
  g_interrupted.store(false);
  auto previous = std::signal(SIGINT, on_sigint);

  std::vector<std::string> paths = o.inputs;
  if (paths.empty()) {
    if (::isatty(STDIN_FILENO) != 0) {
      fmt::print(err, "decruft: no input: give files or directories, or pipe text to stdin (see --help)\n");
      return k_exit_usage;
    }
    paths.push_back("-");
  }
  auto collected = io::collect_inputs(paths);
  if (!collected) {
    fmt::print(err, "decruft: {}\n", collected.status().message());
    return k_exit_usage;
  }
  const bool to_dir = !o.output_dir.empty();
  if (to_dir) {
    std::error_code ec;
    fs::create_directories(o.output_dir, ec);
    if (ec || ::access(o.output_dir.c_str(), W_OK) != 0) {
      fmt::print(err, "decruft: {}: output directory cannot be written: {}\n", o.output_dir,
                 ec ? ec.message() : std::strerror(errno));
      return k_exit_usage;
    }
  }

  // Stdin can be read once only: keep its documents when a prepass needs them twice.
  std::vector<Document> stdin_docs;
  bool stdin_read = false;
  auto for_each_document = [&](const std::function<void(Document&&)>& sink) {
    for (const auto& f : collected->files) {
      if (g_interrupted.load()) {
        return;
      }
      if (f.path == "-" && stdin_read) {
        for (auto& d : stdin_docs) {
          sink(Document(d));
        }
        continue;
      }
      if (f.path == "-" && pipeline.needs_prepass() && !stdin_read) {
        io::read_documents(f, o.read, [&](Document&& d) { stdin_docs.push_back(std::move(d)); });
        stdin_read = true;
        for (auto& d : stdin_docs) {
          sink(Document(d));
        }
        continue;
      }
      io::read_documents(f, o.read, sink);
    }
  };

  if (pipeline.needs_prepass()) {
    for_each_document([&](Document&& d) { pipeline.observe(std::move(d)); });
    pipeline.end_prepass();
  }

  io::Report report;
  for (const auto& [path, message] : collected->errors) {
    Document d;
    d.id = path;
    d.source = path;
    d.error = message;
    report.add(d, "");
    if (!o.quiet || true) {
      fmt::print(err, "decruft: {}\n", message);
    }
  }

  StdoutSink stdout_sink(out);
  std::string jsonl_tmp;
  std::FILE* jsonl_file = nullptr;
  if (to_dir && o.format == io::OutputFormat::k_jsonl) {
    jsonl_tmp = fmt::format("{}/documents.jsonl.tmp.{}", o.output_dir, ::getpid());
    jsonl_file = std::fopen(jsonl_tmp.c_str(), "wb");
    if (jsonl_file == nullptr) {
      fmt::print(err, "decruft: {}: cannot write: {}\n", jsonl_tmp, std::strerror(errno));
      return k_exit_usage;
    }
  }
  std::string duplicates;
  bool write_failed = false;
  bool first_on_stdout = true;

  for_each_document([&](Document&& input) {
    if (write_failed || stdout_sink.broken()) {
      return;
    }
    pipeline.run(input);
    if (input.error && !o.quiet) {
      fmt::print(err, "decruft: {}\n", *input.error);
    } else if (input.error) {
      fmt::print(err, "decruft: {}\n", *input.error);
    }
    if (input.drop && is_duplicate_reason(input.drop->reason)) {
      json::Writer w;
      w.begin_object();
      w.key("id"); w.value(input.id);
      w.key("source"); w.value(input.source);
      w.key("reason"); w.value(input.drop->reason);
      for (const char* k : {"duplicate_of", "similarity"}) {
        if (auto it = input.metadata.find(k); it != input.metadata.end()) {
          w.key(k);
          w.raw(it->second);
        }
      }
      w.end_object();
      duplicates += w.str();
      duplicates += '\n';
    }
    for (auto& doc : expand(std::move(input))) {
      std::string out_path;
      if (doc.kept()) {
        std::string rendered = io::render(doc, o.format);
        if (jsonl_file != nullptr) {
          if (std::fwrite(rendered.data(), 1, rendered.size(), jsonl_file) != rendered.size()) {
            fmt::print(err, "decruft: {}: write failed: {}\n", jsonl_tmp, std::strerror(errno));
            write_failed = true;
          }
          out_path = "documents.jsonl";
        } else if (to_dir) {
          out_path = doc.out_path.empty() ? doc.id + ".txt" : doc.out_path;
          if (Status s = io::write_atomic(o.output_dir + "/" + out_path, rendered); !s) {
            fmt::print(err, "decruft: {}\n", s.message());
            write_failed = true;
          }
        } else {
          if (!first_on_stdout && o.format != io::OutputFormat::k_jsonl) {
            stdout_sink.write("\n");
          }
          first_on_stdout = false;
          stdout_sink.write(rendered);
        }
      } else if (to_dir && !doc.out_path.empty() && o.format != io::OutputFormat::k_jsonl) {
        // A document dropped now may have had a file from an earlier run: remove it so the
        // output directory matches this run.
        std::error_code ec;
        fs::remove(o.output_dir + "/" + doc.out_path, ec);
      }
      report.add(doc, out_path);
    }
  });
  std::fflush(out);

  int status = k_exit_ok;
  if (jsonl_file != nullptr) {
    bool ok = std::fclose(jsonl_file) == 0 && !write_failed && !g_interrupted.load();
    std::string final_path = o.output_dir + "/documents.jsonl";
    if (ok && std::rename(jsonl_tmp.c_str(), final_path.c_str()) != 0) {
      fmt::print(err, "decruft: {}: cannot rename into place: {}\n", final_path, std::strerror(errno));
      write_failed = true;
    }
    if (!ok || write_failed) {
      std::remove(jsonl_tmp.c_str());
    }
  }
  if (!o.duplicates_path.empty()) {
    if (duplicates.empty() && to_dir) {
      std::error_code ec;
      fs::remove(o.duplicates_path, ec);
    } else if (Status s = io::write_atomic(o.duplicates_path, duplicates); !s) {
      fmt::print(err, "decruft: {}\n", s.message());
      write_failed = true;
    }
  }
  if (!o.report_path.empty()) {
    if (Status s = io::write_atomic(o.report_path, report.to_json(pipeline.stats())); !s) {
      fmt::print(err, "decruft: {}\n", s.message());
      write_failed = true;
    }
  }
  if (!o.stats_json_path.empty()) {
    if (Status s = io::write_atomic(o.stats_json_path, pipeline.stats().to_json() + "\n"); !s) {
      fmt::print(err, "decruft: {}\n", s.message());
      write_failed = true;
    }
  }
  if (o.stats) {
    fmt::print(err, "{}", pipeline.stats().to_table());
  }
  if (!o.quiet && to_dir) {
    fmt::print(err, "decruft: {}\n", report.summary_line());
  }
  std::signal(SIGINT, previous);
  if (g_interrupted.load()) {
    fmt::print(err, "decruft: interrupted; the report lists the documents completed\n");
    return k_exit_interrupted;
  }
  if (stdout_sink.broken() && !stdout_sink.broken_pipe()) {
    fmt::print(err, "decruft: <stdout>: write failed: {}\n", std::strerror(stdout_sink.error()));
    return k_exit_usage;
  }
  if (write_failed) {
    return k_exit_usage;
  }
  if (report.failed() > 0) {
    status = k_exit_doc_failed;
  }
  return status;
}

int run_explain(const Options& o, Pipeline& pipeline, std::FILE* out, std::FILE* err) {
  auto collected = io::collect_inputs(o.inputs);
  if (!collected) {
    fmt::print(err, "decruft: {}\n", collected.status().message());
    return k_exit_usage;
  }
  auto c = [&](const char* code) { return o.color ? code : ""; };
  int status = k_exit_ok;
  for (const auto& f : collected->files) {
    io::read_documents(f, o.read, [&](Document&& doc) {
      pipeline.run(doc);
      fmt::print(out, "{}# {}  ({}){}\n", c("\x1b[1m"), doc.id, doc.source, c("\x1b[0m"));
      if (doc.error) {
        fmt::print(out, "  FAILED: {}\n", *doc.error);
        status = k_exit_doc_failed;
        return;
      }
      if (doc.drop) {
        fmt::print(out, "  DOCUMENT DROPPED: {} [{}] {}\n", doc.drop->reason, doc.drop->step, doc.drop->evidence);
      }
      for (const auto& b : doc.blocks) {
        std::string where = b.line > 0 ? fmt::format("{:>4}", b.line) : std::string("   -");
        if (b.kept()) {
          fmt::print(out, "{} {}KEEP{} {:<18} {}\n", where, c("\x1b[32m"), c("\x1b[0m"), to_string(b.kind), b.text);
        } else {
          fmt::print(out, "{} {}DROP{} {:<18} {}{}{}\n", where, c("\x1b[31m"), c("\x1b[0m"),
                     fmt::format("{}/{}", b.drop->step, b.drop->reason), c("\x1b[2m"), b.text, c("\x1b[0m"));
          if (!b.drop->evidence.empty()) {
            fmt::print(out, "          {}evidence: {}{}\n", c("\x1b[33m"), b.drop->evidence, c("\x1b[0m"));
          }
        }
      }
    });
  }
  return status;
}

}  // namespace decruft::cli
