#include "cli/runner.h"

#include <fmt/format.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <exception>
#include <filesystem>
#include <optional>

#include "core/json.h"
#include "core/reasons.h"
#include "io/html_report.h"
#include "io/input.h"
#include "io/output.h"

namespace fs = std::filesystem;

namespace decruft::cli {

namespace {

// Set by SIGINT/SIGTERM: the reader stops handing out documents, the ones in flight finish and
// are written and reported, then the run ends with status 130.
std::atomic<bool> g_interrupted{false};

extern "C" void on_interrupt(int sig) {
  g_interrupted.store(true);
  std::signal(sig, SIG_DFL);  // a second ^C ends the process at once
}

// Documents per pipeline token: up to this many, or this many input bytes (one huge document is a
// batch of its own). Bounds memory: threads * 4 tokens in flight.
constexpr std::size_t k_batch_docs = 64;
constexpr std::size_t k_batch_bytes = std::size_t{1} << 20;

bool is_duplicate_reason(std::string_view r) {
  return r == reason::k_duplicate_doc || r == reason::k_near_duplicate_doc;
}

// Every document of every input, in order, one at a time (the corpus is never loaded whole).
class Documents {
 public:
  Documents(const std::vector<io::InputFile>& files, const io::ReadOptions& options,
            const std::optional<std::string>& stdin_bytes)
      : files_(files), options_(options), stdin_bytes_(stdin_bytes) {}

  std::optional<Document> next() {
    while (true) {
      if (!reader_) {
        if (index_ >= files_.size()) {
          return std::nullopt;
        }
        const io::InputFile& f = files_[index_++];
        if (f.path == "-" && stdin_bytes_) {
          reader_.emplace(f, options_, *stdin_bytes_);
        } else {
          reader_.emplace(f, options_);
        }
      }
      if (auto doc = reader_->next()) {
        return doc;
      }
      reader_.reset();
    }
  }

 private:
  const std::vector<io::InputFile>& files_;
  const io::ReadOptions& options_;
  const std::optional<std::string>& stdin_bytes_;
  std::size_t index_ = 0;
  std::optional<io::DocumentReader> reader_;
};

// One output document (a document, or one of its split stories) as rendered in the parallel stage.
struct Output {
  std::string rendered;   // empty when not kept, or when in the batch's records (below)
  // A shard record, rendered into its batch's buffer (Work::records): its place there; size 0: none.
  std::size_t record_at = 0;
  std::size_t record_size = 0;
  std::string out_path;   // relative to the output directory, or the shard file for JSONL
  io::ReportEntry entry;
  std::string error;      // this document's failure, printed on stderr in input order
  std::string write_error;
};

struct Item {
  Document doc;
  Prepared prepared;  // the serial steps' work done ahead in the parallel stage (keys, signature)
  std::string duplicate_line;
  std::vector<Output> outputs;
  std::optional<io::HtmlReportDocument> html;  // --report-html: what the page needs of it
};

// A main-pass batch. With shards its kept outputs' JSONL records are rendered end to end into one
// buffer (one allocation per batch instead of one per document), planned into the shards in
// order, compressed in parallel and written in order (io::ShardWriter::Batch). The buffer is
// shared: a zstd chunk that spans batches holds on to it until it is compressed.
struct Work {
  std::unique_ptr<std::vector<std::unique_ptr<Item>>> items;
  std::shared_ptr<std::string> records;
  io::ShardWriter::Batch shard_batch;  // each record's shard: shard_batch.shards()
  Status status;                       // the shard writer's failure, if any
  std::size_t next = 0;  // the next record's index in the shards
  std::uint32_t named = UINT32_MAX;  // the shard `name` names
  std::string name;
};

// A step that throws (a bug, or std::bad_alloc on a monstrous document) fails its document,
// never the run.
void run_guarded(Pipeline& p, Document& doc, std::size_t begin, std::size_t end, RunStats& stats,
                 Prepared* prepared = nullptr) {
  try {
    p.run_range(doc, begin, end, stats, prepared);
  } catch (const std::exception& e) {
    doc.error = fmt::format("{}: internal error: {}", doc.source, e.what());
  } catch (...) {
    doc.error = fmt::format("{}: internal error", doc.source);
  }
}

// A JSON Lines record read unparsed (ReadOptions::defer_jsonl) parsed here, on a pipeline
// thread: the reader, an in-order stage, only splits lines.
void parse_guarded(Document& doc, const io::ReadOptions& read) {
  try {
    io::parse_deferred_record(doc, read);
  } catch (const std::exception& e) {
    doc.error = fmt::format("{}: internal error: {}", doc.source, e.what());
  } catch (...) {
    doc.error = fmt::format("{}: internal error", doc.source);
  }
}

void prepare_guarded(const Pipeline& p, Document& doc, Prepared& prepared, RunStats& stats) {
  try {
    p.prepare_serial(doc, prepared, stats);
  } catch (const std::exception& e) {
    doc.error = fmt::format("{}: internal error: {}", doc.source, e.what());
  } catch (...) {
    doc.error = fmt::format("{}: internal error", doc.source);
  }
}

std::string duplicate_line(const Document& doc) {
  if (!doc.drop || !is_duplicate_reason(doc.drop->reason)) {
    return {};
  }
  json::Writer w;
  w.begin_object();
  w.key("id"); w.value(io::valid_utf8(doc.id));
  w.key("source"); w.value(io::valid_utf8(doc.source));
  w.key("reason"); w.value(doc.drop->reason);
  for (const char* k : {"duplicate_of", "similarity"}) {
    if (auto it = doc.metadata.find(k); it != doc.metadata.end()) {
      w.key(k);
      w.raw(it->second);
    }
  }
  w.end_object();
  return w.take() + "\n";
}

class Run {
 public:
  Run(const Options& o, Pipeline& p, std::FILE* out, std::FILE* err, ShardTask* task = nullptr)
      : o_(o), p_(p), out_(out), err_(err), task_(task) {}

  int go();
  int go_shard();

 private:
  void note(std::string_view message) {
    if (!o_.quiet) {
      fmt::print(err_, "decruft: {}\n", message);
    }
  }
  void error(std::string_view message) { fmt::print(err_, "decruft: {}\n", message); }
  bool stopping() const { return g_interrupted.load() || stop_.load(); }

  void prepass(const std::vector<io::InputFile>& files);
  // The next batch of documents for a pipeline token, each put into it by `make(batch, doc&&)`
  // (moved once: a Document is a few hundred bytes, moved twice more per record by value);
  // nullptr (and the pipeline stopped) when the input is exhausted or the run interrupted.
  template <class T, class Make>
  std::vector<T>* next_batch(Documents& docs, tbb::flow_control& fc, Make make) {
    auto batch = std::make_unique<std::vector<T>>();
    batch->reserve(k_batch_docs);  // a first-pass batch holds Documents themselves: no regrowth moves
    std::size_t bytes = 0;
    while (batch->size() < k_batch_docs && bytes < k_batch_bytes && !stopping()) {
      std::optional<Document> d = docs.next();
      if (!d) {
        break;
      }
      bytes += d->raw.size();
      make(*batch, std::move(*d));
    }
    if (batch->empty()) {
      fc.stop();
      return nullptr;
    }
    return batch.release();
  }
  void main_pass(const std::vector<io::InputFile>& files);
  void render(Item& item, std::string& records);
  void emit(Item& item, Work& work);
  void progress(bool final);
  void serial_stage(Item& item);
  void emit_to_task(Output& out);
  // An output error: stop reading, finish with status 2.
  void output_failed(const Status& s) {
    error(s.message());
    write_failed_ = true;
    stop_.store(true);
  }

  const Options& o_;
  Pipeline& p_;
  std::FILE* out_;
  std::FILE* err_;
  ShardTask* task_;  // a cluster task's share of the run, or null
  std::uint64_t task_failed_docs_ = 0;
  bool to_dir_ = false;
  bool shards_ = false;
  std::size_t threads_ = 1;
  std::optional<std::string> stdin_bytes_;
  std::optional<io::PreviousRun> previous_;
  std::unique_ptr<io::ShardWriter> shard_writer_;
  io::Report report_;
  std::unique_ptr<io::HtmlReport> html_report_;  // --report-html
  std::string duplicates_;
  std::atomic<bool> stop_{false};  // a fatal output error: stop reading
  bool write_failed_ = false;
  bool stdout_broken_ = false;
  int stdout_errno_ = 0;
  bool first_on_stdout_ = true;
  bool show_progress_ = false;
  std::chrono::steady_clock::time_point last_progress_{};
  std::chrono::steady_clock::time_point started_{};
  std::uint64_t bytes_done_ = 0;   // document bytes emitted so far
  std::uint64_t bytes_total_ = 0;  // input file bytes, for the ETA; 0: unknown (stdin, compressed)
};

void Run::prepass(const std::vector<io::InputFile>& files) {
  io::ReadOptions read = o_.read;
  read.body_only = true;  // the first pass only looks at the text
  read.defer_jsonl = true;
  Documents docs(files, read, stdin_bytes_);
  using Batch = std::vector<Document>;
  tbb::parallel_pipeline(
      threads_ * 4,
      tbb::make_filter<void, Batch*>(tbb::filter_mode::serial_in_order,
                                     [&](tbb::flow_control& fc) -> Batch* {
                                       return next_batch<Document>(docs, fc, [](Batch& b, Document&& d) { b.push_back(std::move(d)); });
                                     }) &
          tbb::make_filter<Batch*, Batch*>(tbb::filter_mode::parallel,
                                           [&](Batch* batch) {
                                             for (Document& d : *batch) {
                                               parse_guarded(d, read);
                                               try {
                                                 p_.prepare_observe(d);
                                               } catch (...) {
                                                 d.error = "internal error";
                                               }
                                             }
                                             return batch;
                                           }) &
          tbb::make_filter<Batch*, void>(tbb::filter_mode::serial_in_order, [&](Batch* batch) {
            std::unique_ptr<Batch> owned(batch);
            for (Document& d : *batch) {
              try {
                p_.observe_from(d);
              } catch (...) {
                // The main pass reports this document's failure.
              }
            }
          }));
  // A cluster prepass task exports what it observed; the shards' counts are added up before any
  // step decides (end_prepass), in the tasks that load them.
  if (task_ == nullptr) {
    p_.end_prepass();
  }
}

void Run::render(Item& item, std::string& records) {
  Document& input = item.doc;
  item.duplicate_line = duplicate_line(input);
  std::vector<Document> stories = std::move(input.split_stories);
  input.split_stories.clear();
  auto one = [&](const Document& doc) {
    Output out;
    if (doc.kept() && shards_ && task_ == nullptr) {
      out.record_at = records.size();
      io::render_to(records, doc, o_.format, o_.jsonl_sentences);
      out.record_size = records.size() - out.record_at;
    } else if (doc.kept()) {
      out.rendered = io::render(doc, o_.format, o_.jsonl_sentences);
      if (to_dir_ && !shards_) {
        out.out_path = doc.out_path.empty() ? io::valid_utf8(doc.id) + ".txt" : doc.out_path;
      }
    }
    if (doc.error) {
      out.error = *doc.error;
    }
    out.entry = io::make_report_entry(doc, out.out_path);
    // Files of their own are written here, in parallel; stdout and shards keep input order later.
    if (to_dir_ && !shards_ && !out.out_path.empty()) {
      std::string full = o_.output_dir + "/" + out.out_path;
      bool done_before = false;
      if (previous_) {
        auto it = previous_->completed.find(doc.source);
        std::error_code ec;
        done_before = it != previous_->completed.end() && it->second == out.out_path && fs::exists(full, ec);
      }
      if (!done_before) {
        if (Status s = io::write_atomic(full, out.rendered); !s) {
          out.write_error = s.message();
        }
      }
    } else if (to_dir_ && !shards_ && !doc.kept() && !doc.out_path.empty()) {
      // A document dropped now may have had a file from an earlier run: remove it so the output
      // directory matches this run.
      std::error_code ec;
      fs::remove(o_.output_dir + "/" + doc.out_path, ec);
    }
    return out;
  };
  // With --split-stories each appended story is an output document of its own, with its own
  // report entry.
  item.outputs.push_back(one(input));
  for (auto& s : stories) {
    item.outputs.push_back(one(s));
  }
  if (html_report_) {
    item.html = io::HtmlReport::snapshot(std::move(input));  // takes the blocks instead of freeing them
  }
  // The document's text is no longer needed: free it before the serial stage.
  input.raw.clear();
  input.raw.shrink_to_fit();
  input.blocks.clear();
  input.blocks.shrink_to_fit();
}

void Run::emit(Item& item, Work& work) {
  if (item.html) {
    html_report_->add(std::move(*item.html));
  }
  if (!item.duplicate_line.empty()) {
    duplicates_ += item.duplicate_line;
  }
  for (auto& out : item.outputs) {
    if (!out.error.empty()) {
      error(out.error);
    }
    if (!out.write_error.empty()) {
      output_failed(Status::error(out.write_error));
      continue;  // not written: not reported as completed
    }
    if (task_ != nullptr) {
      emit_to_task(out);
      continue;
    }
    if (out.record_size > 0) {
      // A failed write stops the run: the batch's records were not all written, and none is
      // reported as written. The writer fails every batch after it with the same error: said once.
      const std::size_t k = work.next++;
      if (!work.status) {
        if (k == 0 && !write_failed_) {
          output_failed(work.status);
        }
        continue;
      }
      const std::uint32_t shard = work.shard_batch.shards()[k];
      if (shard != work.named) {
        work.named = shard;
        work.name = shard_writer_->shard_file(shard);
      }
      name_shard_output(out.entry, work.name);
      report_.add(out.entry);
      continue;
    }
    if (!out.rendered.empty() && !to_dir_) {
      if (stdout_broken_) {
        continue;
      }
      if (!first_on_stdout_ && o_.format != io::OutputFormat::k_jsonl) {
        out.rendered.insert(0, "\n");
      }
      first_on_stdout_ = false;
      if (std::fwrite(out.rendered.data(), 1, out.rendered.size(), out_) != out.rendered.size()) {
        stdout_broken_ = true;
        stdout_errno_ = errno;
        stop_.store(true);
        continue;
      }
    }
    report_.add(out.entry);
  }
  if (!item.outputs.empty()) {
    bytes_done_ += item.outputs.front().entry.bytes_in;
  }
  progress(false);
}

// One line on stderr, rewritten in place: documents, their bytes, MB/s and, when the input size
// is known, an ETA (an estimate: documents' bytes stand for their files' bytes).
void Run::progress(bool final) {
  if (!show_progress_) {
    return;
  }
  auto now = std::chrono::steady_clock::now();
  if (!final && now - last_progress_ < std::chrono::milliseconds(500)) {
    return;
  }
  last_progress_ = now;
  const double seconds = std::chrono::duration<double>(now - started_).count();
  const double mb = static_cast<double>(bytes_done_) / 1e6;
  const double rate = seconds > 0 ? mb / seconds : 0.0;
  std::string eta;
  if (!final && bytes_total_ > bytes_done_ && rate > 0) {
    const auto left = static_cast<std::uint64_t>(static_cast<double>(bytes_total_ - bytes_done_) / 1e6 / rate);
    eta = fmt::format(", ETA {}:{:02}:{:02}", left / 3600, left / 60 % 60, left % 60);
  }
  fmt::print(err_, "\rdecruft: {} documents ({} kept, {} dropped, {} failed), {:.1f} MB, {:.1f} MB/s{}{}\x1b[K{}",
             report_.documents(), report_.kept(), report_.dropped_total(), report_.failed(), mb, rate, eta,
             final ? fmt::format(" in {:.1f} s", seconds) : "", final ? "\n" : "");
  std::fflush(err_);
}

// The in-order stage: the serial (dedup) steps, or in a cluster task their keys handed on (clean)
// or their verdicts replayed (write).
void Run::serial_stage(Item& item) {
  if (task_ == nullptr) {
    run_guarded(p_, item.doc, p_.serial_begin(), p_.size(), p_.stats(), &item.prepared);
    return;
  }
  if (!item.doc.kept() || stopping()) {
    return;
  }
  if (task_->stage == ShardTask::Stage::k_clean) {
    if (Status s = task_->signature(item.doc, item.prepared); !s) {
      output_failed(s);
    }
    return;
  }
  Prepared replay;
  replay.replay = true;
  if (Status s = task_->verdict(item.doc, replay); !s) {
    output_failed(s);
    return;
  }
  run_guarded(p_, item.doc, p_.serial_begin(), p_.size(), p_.stats(), &replay);
}

// A cluster write task: an output goes to the task (the final merge writes shards and report).
void Run::emit_to_task(Output& out) {
  if (out.entry.outcome == io::ReportEntry::Outcome::k_failed) {
    ++task_failed_docs_;
  }
  if (Status s = task_->output(shards_ ? std::string_view(out.rendered) : std::string_view(), out.entry); !s) {
    output_failed(s);
  }
}

// A cluster task over one shard (see ShardTask in runner.h).
int Run::go_shard() {
  to_dir_ = !o_.output_dir.empty();
  shards_ = to_dir_ && o_.format == io::OutputFormat::k_jsonl;
  if (!to_dir_) {
    error("a cluster run needs an output directory (-o DIR)");
    return k_exit_usage;
  }
  if (task_->stage == ShardTask::Stage::k_write && !shards_) {
    std::error_code ec;
    fs::create_directories(o_.output_dir, ec);
    if (ec) {
      error(fmt::format("{}: output directory cannot be created: {}", o_.output_dir, ec.message()));
      return k_exit_usage;
    }
  }
  threads_ = thread_count(o_);
  tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, threads_);
  if (task_->stage == ShardTask::Stage::k_prepass) {
    if (p_.needs_prepass()) {
      prepass(task_->files);
    }
    if (g_interrupted.load()) {
      return k_exit_interrupted;
    }
    if (Status s = task_->after_prepass(p_); !s) {
      error(s.message());
      return k_exit_usage;
    }
    return k_exit_ok;
  }
  main_pass(task_->files);
  if (g_interrupted.load()) {
    return k_exit_interrupted;
  }
  if (write_failed_) {
    return k_exit_usage;
  }
  if (task_->stage == ShardTask::Stage::k_write) {
    if (Status s = task_->finish(duplicates_, p_.stats()); !s) {
      error(s.message());
      return k_exit_usage;
    }
    return task_failed_docs_ > 0 ? k_exit_doc_failed : k_exit_ok;
  }
  return k_exit_ok;
}

void Run::main_pass(const std::vector<io::InputFile>& files) {
  io::ReadOptions read = o_.read;
  read.defer_jsonl = true;
  Documents docs(files, read, stdin_bytes_);
  const std::size_t split = p_.serial_begin();
  const std::size_t size = p_.size();
  // A cluster clean task stops at the serial steps: it hands on the keys, writes nothing.
  const bool clean_only = task_ != nullptr && task_->stage == ShardTask::Stage::k_clean;
  tbb::enumerable_thread_specific<RunStats> local([&] { return p_.blank_stats(); });
  // Tokens carry batches of documents, not single ones: a news article is cleaned in a tenth of a
  // millisecond, so per-document hand-offs between the stages cost more than the work (threads
  // spinning on the in-order stages made -j2 slower than -j1).
  using Batch = std::vector<std::unique_ptr<Item>>;
  const bool batch_records = shards_ && task_ == nullptr;
  auto render_all = [&](Work& work) {
    if (batch_records) {
      work.records = std::make_shared<std::string>();
      // One buffer for the batch's records, reserved for all of them (escapes aside: an eighth
      // more), so that it is not regrown (copied) as they are written.
      std::size_t bytes = 0;
      for (const auto& item : *work.items) {
        bytes += item->doc.kept() ? io::jsonl_size(item->doc, o_.jsonl_sentences) : 0;
        for (const auto& story : item->doc.split_stories) {
          bytes += story.kept() ? io::jsonl_size(story, o_.jsonl_sentences) : 0;
        }
      }
      work.records->reserve(bytes + bytes / 8);
    }
    std::string none;
    for (auto& item : *work.items) {
      render(*item, work.records ? *work.records : none);
    }
  };
  tbb::parallel_pipeline(
      threads_ * 4,
      tbb::make_filter<void, Work*>(tbb::filter_mode::serial_in_order,
                                    [&](tbb::flow_control& fc) -> Work* {
                                      Batch* batch = next_batch<std::unique_ptr<Item>>(docs, fc, [](Batch& b, Document&& d) {
                                        b.push_back(std::make_unique<Item>());
                                        b.back()->doc = std::move(d);
                                      });
                                      if (batch == nullptr) {
                                        return nullptr;
                                      }
                                      auto work = std::make_unique<Work>();
                                      work->items.reset(batch);
                                      return work.release();
                                    }) &
          tbb::make_filter<Work*, Work*>(tbb::filter_mode::parallel,
                                         [&](Work* work) {
                                           RunStats& stats = local.local();
                                           for (auto& item : *work->items) {
                                             parse_guarded(item->doc, read);
                                             run_guarded(p_, item->doc, 0, split, stats);
                                             if (split < size && (task_ == nullptr || clean_only)) {
                                               prepare_guarded(p_, item->doc, item->prepared, stats);
                                             }
                                           }
                                           if (split == size && !clean_only) {
                                             render_all(*work);
                                           }
                                           return work;
                                         }) &
          tbb::make_filter<Work*, Work*>(tbb::filter_mode::serial_in_order,
                                         [&](Work* work) {
                                           if (split < size) {
                                             for (auto& item : *work->items) {
                                               serial_stage(*item);
                                             }
                                           }
                                           return work;
                                         }) &
          tbb::make_filter<Work*, Work*>(tbb::filter_mode::parallel,
                                         [&](Work* work) {
                                           if (split < size && !clean_only) {
                                             render_all(*work);
                                           }
                                           return work;
                                         }) &
          // Shards: each record's shard and the zstd chunks that end in this batch, in order...
          tbb::make_filter<Work*, Work*>(tbb::filter_mode::serial_in_order,
                                         [&](Work* work) {
                                           if (batch_records && !clean_only) {
                                             std::vector<std::size_t> sizes;
                                             sizes.reserve(work->items->size());
                                             for (const auto& item : *work->items) {
                                               for (const auto& out : item->outputs) {
                                                 if (out.record_size > 0) {
                                                   sizes.push_back(out.record_size);
                                                 }
                                               }
                                             }
                                             shard_writer_->plan(work->shard_batch, work->records, sizes);
                                           }
                                           return work;
                                         }) &
          // ...compressed on any thread (a third of a text run's CPU)...
          tbb::make_filter<Work*, Work*>(tbb::filter_mode::parallel,
                                         [&](Work* work) {
                                           work->shard_batch.compress();
                                           return work;
                                         }) &
          // ...and written in order, with the report entries and the output on stdout.
          tbb::make_filter<Work*, void>(tbb::filter_mode::serial_in_order, [&](Work* work) {
            std::unique_ptr<Work> owned(work);
            if (!clean_only) {
              if (batch_records) {
                work->status = shard_writer_->write(work->shard_batch);
              }
              for (auto& item : *work->items) {
                emit(*item, *work);
                item.reset();  // free each document once written
              }
            }
          }));
  for (const auto& s : local) {
    p_.merge_stats(s);
  }
}

int Run::go() {
  std::vector<std::string> paths = o_.inputs;
  if (paths.empty()) {
    if (::isatty(STDIN_FILENO) != 0) {
      error("no input: give files or directories, or pipe text to stdin (see --help)");
      return k_exit_usage;
    }
    paths.push_back("-");
  }
  to_dir_ = !o_.output_dir.empty();
  shards_ = to_dir_ && o_.format == io::OutputFormat::k_jsonl;
  if (o_.resume && !to_dir_) {
    error("--resume needs an output directory (-o DIR)");
    return k_exit_usage;
  }
  auto collected = io::collect_inputs(paths, o_.output_dir);
  if (!collected) {
    error(collected.status().message());
    return k_exit_usage;
  }
  for (const auto& w : collected->warnings) {
    note(w);
  }
  if (to_dir_) {
    std::error_code ec;
    fs::create_directories(o_.output_dir, ec);
    if (ec || ::access(o_.output_dir.c_str(), W_OK) != 0) {
      error(fmt::format("{}: output directory cannot be written: {}", o_.output_dir,
                        ec ? ec.message() : std::strerror(errno)));
      return k_exit_usage;
    }
  }
  if (o_.resume && !o_.report_path.empty() && fs::exists(o_.report_path)) {
    auto prev = io::load_report(o_.report_path);
    if (!prev) {
      error(prev.status().message());
      return k_exit_usage;
    }
    previous_ = std::move(*prev);
  }
  if (!o_.report_path.empty()) {
    if (Status s = report_.spool_to(o_.report_path); !s) {
      error(s.message());
      return k_exit_usage;
    }
  }
  threads_ = thread_count(o_);
  p_.set_timing(o_.stats || !o_.stats_json_path.empty() || !o_.report_html_path.empty());
  if (shards_) {
    shard_writer_ = std::make_unique<io::ShardWriter>(o_.output_dir, o_.shards);
  }
  if (!o_.report_html_path.empty()) {
    html_report_ = std::make_unique<io::HtmlReport>(io::HtmlReportOptions{.max_documents = o_.report_html_docs});
  }

  tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, threads_);
  // Deeply nested HTML makes tree walks recurse deeply: give workers room.

  // A batch run (to a directory; or files to a stdout that is not the terminal the line would
  // garble, pipe mode excepted) with stderr on a terminal shows progress; otherwise nothing.
  const bool pipe_mode = paths.size() == 1 && paths.front() == "-";
  show_progress_ = !o_.quiet && ::isatty(STDERR_FILENO) != 0 &&
                   (to_dir_ || (!pipe_mode && ::isatty(STDOUT_FILENO) == 0));
  started_ = std::chrono::steady_clock::now();
  for (const auto& f : collected->files) {
    std::error_code ec;
    const auto size = f.path == "-" ? 0 : fs::file_size(f.path, ec);
    if (f.path == "-" || ec || f.path.ends_with(".gz") || f.path.ends_with(".zst")) {
      bytes_total_ = 0;  // unknown: no ETA
      break;
    }
    bytes_total_ += size;
  }

  // Stdin can be read once only: a prepass needs it twice, so it is buffered in memory then.
  if (p_.needs_prepass()) {
    for (const auto& f : collected->files) {
      if (f.path == "-" && !stdin_bytes_) {
        auto bytes = io::read_file("-", std::size_t{16} << 30);
        stdin_bytes_ = bytes ? std::move(*bytes) : std::string();
      }
    }
    prepass(collected->files);
  }
  main_pass(collected->files);
  std::fflush(out_);
  progress(true);

  if (shard_writer_ && !write_failed_) {
    if (Status s = shard_writer_->finish(); !s) {
      error(s.message());
      write_failed_ = true;
    }
  }
  if (shard_writer_ && write_failed_) {
    // The shards are this run's up to the failure and an earlier run's after it: that run's
    // manifest would list them as one whole output. No manifest is better than a wrong one.
    std::error_code ec;
    fs::remove(o_.output_dir + "/manifest.json", ec);
  }
  if (!o_.duplicates_path.empty()) {
    if (duplicates_.empty() && to_dir_) {
      std::error_code ec;
      fs::remove(o_.duplicates_path, ec);
    } else if (Status s = io::write_atomic(o_.duplicates_path, duplicates_); !s) {
      error(s.message());
      write_failed_ = true;
    }
  }
  report_.set_interrupted(g_interrupted.load());
  if (!o_.report_path.empty()) {
    if (Status s = report_.write(o_.report_path, p_.stats()); !s) {
      error(s.message());
      write_failed_ = true;
    }
  }
  if (html_report_) {
    html_report_->set_interrupted(g_interrupted.load());
    if (Status s = html_report_->write(o_.report_html_path, p_.stats()); !s) {
      error(s.message());
      write_failed_ = true;
    }
  }
  if (!o_.stats_json_path.empty()) {
    if (Status s = io::write_atomic(o_.stats_json_path, p_.stats().to_json() + "\n"); !s) {
      error(s.message());
      write_failed_ = true;
    }
  }
  if (o_.stats) {
    fmt::print(err_, "{}", p_.stats().to_table());
    fmt::print(err_, "{}\n", report_.summary_line());
  } else if (to_dir_) {
    note(report_.summary_line());
  }
  if (g_interrupted.load()) {
    error(fmt::format("interrupted: {} documents completed{}", report_.documents(),
                      to_dir_ ? "; rerun with --resume to finish the rest" : ""));
    return k_exit_interrupted;
  }
  if (stdout_broken_ && stdout_errno_ != EPIPE) {
    error(fmt::format("<stdout>: write failed: {}", std::strerror(stdout_errno_)));
    return k_exit_usage;
  }
  if (write_failed_) {
    return k_exit_usage;
  }
  return report_.failed() > 0 ? k_exit_doc_failed : k_exit_ok;
}

}  // namespace

namespace {

// Runs a corpus run or a cluster task with SIGINT/SIGTERM caught (see g_interrupted).
int run_guarded_signals(const Options& o, Pipeline& pipeline, std::FILE* out, std::FILE* err, ShardTask* task) {
  std::signal(SIGPIPE, SIG_IGN);
  g_interrupted.store(false);
  auto previous_int = std::signal(SIGINT, on_interrupt);
  auto previous_term = std::signal(SIGTERM, on_interrupt);
  int status = k_exit_usage;
  try {
    Run run(o, pipeline, out, err, task);
    status = task == nullptr ? run.go() : run.go_shard();
  } catch (const std::exception& e) {
    fmt::print(err, "decruft: internal error: {}\n", e.what());
  }
  std::signal(SIGINT, previous_int);
  std::signal(SIGTERM, previous_term);
  return status;
}

}  // namespace

int run_corpus(const Options& o, Pipeline& pipeline, std::FILE* out, std::FILE* err) {
  return run_guarded_signals(o, pipeline, out, err, nullptr);
}

void name_shard_output(io::ReportEntry& entry, std::string_view shard) {
  // Called once per document in the serial stage: the piece is built in a reused buffer and goes
  // in with one insert (make_report_entry reserved room for it).
  constexpr std::string_view key = ",\"status\":\"kept\"";
  if (auto at = entry.json.find(key); at != std::string::npos) {
    thread_local std::string piece;
    piece.assign(",\"output\":");
    json::append_string(piece, shard);
    entry.json.insert(at + key.size(), piece);
  }
}

int run_shard(const Options& o, Pipeline& pipeline, ShardTask& task, std::FILE* err) {
  return run_guarded_signals(o, pipeline, stdout, err, &task);
}

int run_explain(const Options& o, Pipeline& pipeline, std::FILE* out, std::FILE* err) {
  auto collected = io::collect_inputs(o.inputs);
  if (!collected) {
    fmt::print(err, "decruft: {}\n", collected.status().message());
    return k_exit_usage;
  }
  auto c = [&](const char* code) { return o.color ? code : ""; };
  int status = k_exit_ok;
  // The corpus-level steps (corpus_lines) observe every document first, as in a corpus run, so
  // that explain agrees with the corpus output. Stdin is buffered then: it can be read once only.
  std::optional<std::string> stdin_bytes;
  if (pipeline.needs_prepass()) {
    for (const auto& f : collected->files) {
      if (f.path == "-" && !stdin_bytes) {
        auto bytes = io::read_file("-", std::size_t{16} << 30);
        stdin_bytes = bytes ? std::move(*bytes) : std::string();
      }
    }
    Documents all(collected->files, o.read, stdin_bytes);
    while (auto d = all.next()) {
      try {
        pipeline.observe(std::move(*d));
      } catch (...) {
        // The document's failure is reported when it is explained below.
      }
    }
    pipeline.end_prepass();
  }
  auto explain_one = [&](Document&& doc) {
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
  };
  Documents docs(collected->files, o.read, stdin_bytes);
  while (auto d = docs.next()) {
    explain_one(std::move(*d));
  }
  return status;
}

}  // namespace decruft::cli
