// The cluster stages (cluster.h). The work files are binary, in this machine's byte order (the
// tasks of one run share an architecture), each written under a temporary name and renamed when
// complete, so a task that died leaves no half file and a rerun of it replaces its files.
#include "cli/cluster.h"

#include <fmt/format.h>
#include <unistd.h>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_pipeline.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <tuple>

#include "cli/runner.h"
#include "dedup/minhash.h"
#include "io/input.h"
#include "io/output.h"

namespace fs = std::filesystem;

namespace decruft::cli {

namespace {

// ---- work files ----

class Out {
 public:
  Out() = default;
  Out(const Out&) = delete;
  Out& operator=(const Out&) = delete;
  ~Out() {
    if (f_ != nullptr) {
      std::fclose(f_);
      std::remove(tmp_.c_str());
    }
  }
  // A work file starts with its kind and the run's option fingerprint (Options::cluster).
  Status open(const std::string& path, std::string_view magic, std::string_view fingerprint) {
    path_ = path;
    failed_ = false;
    tmp_ = fmt::format("{}.tmp.{}", path, ::getpid());
    f_ = std::fopen(tmp_.c_str(), "wb");
    if (f_ == nullptr) {
      return Status::error(fmt::format("{}: cannot write: {}", tmp_, std::strerror(errno)));
    }
    str(magic);
    str(fingerprint);
    return {};
  }
  void bytes(const void* p, std::size_t n) {
    if (n > 0 && std::fwrite(p, 1, n, f_) != n) {
      failed_ = true;
    }
  }
  void u8(std::uint8_t v) { bytes(&v, 1); }
  void u64(std::uint64_t v) { bytes(&v, sizeof v); }
  void str(std::string_view s) {
    u64(s.size());
    bytes(s.data(), s.size());
  }
  void map(const std::map<std::string, std::uint64_t>& m) {
    u64(m.size());
    for (const auto& [k, v] : m) {
      str(k);
      u64(v);
    }
  }
  Status commit() {
    bool bad = failed_ || std::fflush(f_) != 0 || std::ferror(f_) != 0;
    bad = std::fclose(f_) != 0 || bad;
    f_ = nullptr;
    if (bad || std::rename(tmp_.c_str(), path_.c_str()) != 0) {
      std::remove(tmp_.c_str());
      return Status::error(fmt::format("{}: write failed: {}", path_, std::strerror(errno)));
    }
    return {};
  }

 private:
  std::string path_;
  std::string tmp_;
  std::FILE* f_ = nullptr;
  bool failed_ = false;
};

class In {
 public:
  In() = default;
  In(const In&) = delete;
  In& operator=(const In&) = delete;
  ~In() {
    if (f_ != nullptr) {
      std::fclose(f_);
    }
  }
  Status open(const std::string& path, std::string_view magic, std::string_view fingerprint) {
    path_ = path;
    f_ = std::fopen(path.c_str(), "rb");
    if (f_ == nullptr) {
      return Status::error(
          fmt::format("{}: cannot read: {} (did the earlier stage finish?)", path, std::strerror(errno)));
    }
    if (str() != magic || !ok_) {
      return Status::error(fmt::format("{}: not a decruft work file of this stage and version", path));
    }
    if (str() != fingerprint || !ok_) {
      return Status::error(
          fmt::format("{}: written by a stage given other inputs or options: give every stage "
                      "the same command line",
                      path));
    }
    return {};
  }
  bool at_end() {
    int c = std::fgetc(f_);
    if (c == EOF) {
      return true;
    }
    std::ungetc(c, f_);
    return false;
  }
  bool ok() const { return ok_; }
  Status truncated() const { return Status::error(fmt::format("{}: truncated or corrupt work file", path_)); }
  void bytes(void* p, std::size_t n) {
    if (n > 0 && std::fread(p, 1, n, f_) != n) {
      ok_ = false;
      std::memset(p, 0, n);
    }
  }
  std::uint8_t u8() {
    std::uint8_t v = 0;
    bytes(&v, 1);
    return v;
  }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    bytes(&v, sizeof v);
    return v;
  }
  std::string str() {
    const std::uint64_t n = u64();
    if (!ok_ || n > (std::uint64_t{1} << 36)) {
      ok_ = false;
      return {};
    }
    std::string s(n, '\0');
    bytes(s.data(), s.size());
    return s;
  }
  std::map<std::string, std::uint64_t> map() {
    std::map<std::string, std::uint64_t> m;
    for (std::uint64_t n = u64(); ok_ && n > 0; --n) {
      std::string k = str();
      m[k] = u64();
    }
    return m;
  }

 private:
  std::string path_;
  std::FILE* f_ = nullptr;
  bool ok_ = true;
};

constexpr std::string_view k_prepass_magic = "decruft-cluster-prepass-2";
constexpr std::string_view k_keys_magic = "decruft-cluster-keys-2";
constexpr std::string_view k_pairs_magic = "decruft-cluster-pairs-2";
constexpr std::string_view k_verdicts_magic = "decruft-cluster-verdicts-2";
constexpr std::string_view k_out_magic = "decruft-cluster-out-2";
constexpr std::string_view k_stats_magic = "decruft-cluster-stats-2";

void put_stats(Out& out, const RunStats& stats) {
  out.u64(stats.steps.size());
  for (const auto& [name, s] : stats.steps) {
    out.str(name);
    for (std::uint64_t v : {s.docs_in, s.docs_out, s.blocks_in, s.blocks_out, s.bytes_in, s.bytes_out, s.nanoseconds}) {
      out.u64(v);
    }
    out.map(s.docs_dropped);
    out.map(s.blocks_dropped);
  }
}

RunStats get_stats(In& in) {
  RunStats stats;
  for (std::uint64_t n = in.u64(); in.ok() && n > 0; --n) {
    StepStats& s = stats.step(in.str());
    for (std::uint64_t* v :
         {&s.docs_in, &s.docs_out, &s.blocks_in, &s.blocks_out, &s.bytes_in, &s.bytes_out, &s.nanoseconds}) {
      *v = in.u64();
    }
    s.docs_dropped = in.map();
    s.blocks_dropped = in.map();
  }
  return stats;
}

// ---- the stages ----

class Cluster {
 public:
  Cluster(const Options& o, Pipeline& p, std::FILE* err) : o_(o), p_(p), err_(err) {}

  int go() {
    const std::string& stage = o_.cluster.stage;
    const bool per_shard = stage == "prepass" || stage == "clean" || stage == "bands" || stage == "write";
    if (per_shard && o_.cluster.shard < 0) {
      return usage(fmt::format("--stage {} runs one shard: --shard I/N", stage));
    }
    if (Status s = shard_files(); !s) {
      return usage(s.message());
    }
    std::error_code ec;
    fs::create_directories(o_.cluster.work, ec);
    if (ec) {
      return usage(fmt::format("{}: work directory cannot be created: {}", o_.cluster.work, ec.message()));
    }
    if (stage == "prepass") {
      return prepass();
    }
    if (stage == "clean") {
      return clean();
    }
    if (stage == "bands") {
      return bands();
    }
    if (stage == "dedup") {
      return dedup();
    }
    if (stage == "write") {
      return write();
    }
    return merge();
  }

 private:
  int usage(std::string_view message) {
    fmt::print(err_, "decruft: {}\n", message);
    return k_exit_usage;
  }
  std::string file(std::string_view what, int shard, std::string_view ext = "bin") const {
    return fmt::format("{}/{}-{}-of-{}.{}", o_.cluster.work, what, shard, o_.cluster.shards, ext);
  }

  // This task's input files: shard I of the sorted input list split by size.
  Status shard_files() {
    if (o_.inputs.empty()) {
      return Status::error("a cluster run reads files or directories, not stdin");
    }
    // The work files must not become inputs of a later stage.
    const fs::path work = fs::weakly_canonical(o_.cluster.work);
    for (const auto& in : o_.inputs) {
      std::error_code ec;
      if (!fs::is_directory(in, ec)) {
        continue;
      }
      const fs::path dir = fs::weakly_canonical(in);
      auto [d, w] = std::mismatch(dir.begin(), dir.end(), work.begin(), work.end());
      if (d == dir.end()) {
        return Status::error(
            fmt::format("the work directory {} is inside the input {}: put it elsewhere", o_.cluster.work, in));
      }
    }
    auto collected = io::collect_inputs(o_.inputs, o_.output_dir);
    if (!collected) {
      return collected.status();
    }
    std::vector<std::uint64_t> sizes;
    for (const auto& f : collected->files) {
      if (f.path == "-") {
        return Status::error("a cluster run reads files or directories, not stdin");
      }
      std::error_code ec;
      const auto size = f.error.empty() ? fs::file_size(f.path, ec) : 0;
      sizes.push_back(ec ? 0 : size);
    }
    if (o_.cluster.shard >= 0) {
      auto bounds = shard_bounds(sizes, o_.cluster.shards);
      const auto i = static_cast<std::size_t>(o_.cluster.shard);
      files_.assign(collected->files.begin() + static_cast<std::ptrdiff_t>(bounds[i]),
                    collected->files.begin() + static_cast<std::ptrdiff_t>(bounds[i + 1]));
    }
    return {};
  }

  // The first pass of every shard, added up (corpus_lines' counts are sums over documents).
  Status load_prepass() {
    if (!p_.needs_prepass()) {
      return {};
    }
    for (int i = 0; i < o_.cluster.shards; ++i) {
      In in;
      if (Status s = in.open(file("prepass", i), k_prepass_magic, o_.cluster.fingerprint); !s) {
        return s;
      }
      std::string state = in.str();
      if (!in.ok()) {
        return in.truncated();
      }
      std::string error;
      if (!p_.merge_prepass(state, error)) {
        return Status::error(error);
      }
    }
    p_.end_prepass();
    return {};
  }

  int prepass() {
    ShardTask task;
    task.stage = ShardTask::Stage::k_prepass;
    task.files = files_;
    task.after_prepass = [&](Pipeline& p) -> Status {
      std::string state;
      std::string error;
      if (!p.save_prepass(state, error)) {
        return Status::error(error);
      }
      Out out;
      if (Status s = out.open(file("prepass", o_.cluster.shard), k_prepass_magic, o_.cluster.fingerprint); !s) {
        return s;
      }
      out.str(state);
      return out.commit();
    };
    return run_shard(o_, p_, task, err_);
  }

  int clean() {
    if (Status s = load_prepass(); !s) {
      return usage(s.message());
    }
    Out out;
    if (Status s = out.open(file("keys", o_.cluster.shard), k_keys_magic, o_.cluster.fingerprint); !s) {
      return usage(s.message());
    }
    ShardTask task;
    task.stage = ShardTask::Stage::k_clean;
    task.files = files_;
    task.signature = [&](const Document& doc, const Prepared& p) -> Status {
      out.str(doc.id);
      out.u8(static_cast<std::uint8_t>((p.exact_ready ? 1 : 0) | (p.near_ready ? 2 : 0) | (p.has_words ? 4 : 0)));
      out.u64(p.exact_lo);
      out.u64(p.exact_hi);
      out.u64(p.signature.size());
      out.bytes(p.signature.data(), p.signature.size() * sizeof(std::uint16_t));
      return {};
    };
    const int status = run_shard(o_, p_, task, err_);
    if (status != k_exit_ok) {
      return status;
    }
    if (Status s = out.commit(); !s) {
      return usage(s.message());
    }
    return k_exit_ok;
  }

  // The keys of every shard in global order, as the clean tasks wrote them.
  class Keys {
   public:
    explicit Keys(const Cluster& c) : c_(c) {}
    // False at the end or on error (status()).
    bool next(std::string& id, Prepared& p) {
      while (true) {
        if (!open_) {
          if (shard_ >= c_.o_.cluster.shards) {
            return false;
          }
          in_ = std::make_unique<In>();
          if (Status s = in_->open(c_.file("keys", shard_++), k_keys_magic, c_.o_.cluster.fingerprint); !s) {
            status_ = s;
            return false;
          }
          open_ = true;
        }
        if (!in_->at_end()) {
          break;
        }
        open_ = false;
      }
      id = in_->str();
      const std::uint8_t flags = in_->u8();
      p.exact_ready = (flags & 1) != 0;
      p.near_ready = (flags & 2) != 0;
      p.has_words = (flags & 4) != 0;
      p.exact_lo = in_->u64();
      p.exact_hi = in_->u64();
      const std::uint64_t n = in_->u64();
      if (!in_->ok() || n > 65536) {
        status_ = in_->truncated();
        return false;
      }
      p.signature.resize(n);
      in_->bytes(p.signature.data(), n * sizeof(std::uint16_t));
      if (!in_->ok()) {
        status_ = in_->truncated();
        return false;
      }
      ++records_;
      return true;
    }
    const Status& status() const { return status_; }
    std::uint64_t records() const { return records_; }
    int shard() const { return shard_ - 1; }  // of the last record read

   private:
    const Cluster& c_;
    int shard_ = 0;
    bool open_ = false;
    std::unique_ptr<In> in_;
    Status status_;
    std::uint64_t records_ = 0;
  };

  // Band task I of N: the LSH buckets of bands [I*bands/N, (I+1)*bands/N) over all documents
  // with a signature (records numbered in global order), and every pair sharing a bucket whose
  // estimated Jaccard reaches the threshold, as (later record, earlier record, similarity). Only
  // the bucket keys and the signatures of documents sharing a bucket are held. A document with
  // k_max_candidates / N or more earlier bucket-mates here could have its index query truncated
  // (NearIndex::k_max_candidates): the file says so ("heavy") and the dedup stage falls back to
  // the index itself.
  int bands() {
    const dedup::DedupOptions& d = o_.dedup;
    const int bands_total = std::max(1, d.bands);
    const int rows = std::max(1, d.rows);
    const int n = o_.cluster.shards;
    const int b0 = bands_total * o_.cluster.shard / n;
    const int b1 = p_.enabled("near_dedup") ? bands_total * (o_.cluster.shard + 1) / n : b0;
    const std::size_t share = dedup::NearIndex::k_max_candidates / static_cast<std::size_t>(n);
    const auto nb = static_cast<std::size_t>(b1 - b0);

    std::vector<std::uint64_t> records;  // record number of each document with a signature
    std::vector<std::vector<std::pair<std::uint64_t, std::uint32_t>>> buckets(nb);  // (band key, index)
    {
      Keys keys(*this);
      std::string id;
      Prepared p;
      while (nb > 0 && keys.next(id, p)) {
        if (p.signature.empty()) {
          continue;
        }
        const auto index = static_cast<std::uint32_t>(records.size());
        records.push_back(keys.records() - 1);
        for (std::size_t b = 0; b < nb; ++b) {
          buckets[b].emplace_back(dedup::band_hash(p.signature, b0 + static_cast<int>(b), rows, d.seed), index);
        }
      }
      if (!keys.status()) {
        return usage(keys.status().message());
      }
    }
    // Earlier bucket-mates per document (an upper bound of its index query's candidates here),
    // and which documents share a bucket at all.
    std::vector<std::uint32_t> bound(records.size(), 0);
    std::vector<bool> needed(records.size(), false);
    for (auto& band : buckets) {
      std::sort(band.begin(), band.end());
      for (std::size_t a = 0, z = 0; a < band.size(); a = z) {
        for (z = a + 1; z < band.size() && band[z].first == band[a].first; ++z) {
          bound[band[z].second] += static_cast<std::uint32_t>(z - a);
        }
        for (std::size_t k = a; z - a > 1 && k < z; ++k) {
          needed[band[k].second] = true;
        }
      }
    }
    bool heavy = false;
    for (std::uint32_t b : bound) {
      heavy = heavy || b >= share;
    }
    std::vector<std::tuple<std::uint64_t, std::uint64_t, double>> pairs;
    if (!heavy && nb > 0) {
      std::vector<std::uint32_t> slot(records.size(), 0xffffffffu);
      std::vector<std::uint16_t> sigs;
      std::size_t length = 0;
      Keys keys(*this);
      std::string id;
      Prepared p;
      std::uint32_t index = 0;
      while (keys.next(id, p)) {
        if (p.signature.empty()) {
          continue;
        }
        if (needed[index]) {
          length = p.signature.size();
          slot[index] = static_cast<std::uint32_t>(sigs.size() / length);
          sigs.insert(sigs.end(), p.signature.begin(), p.signature.end());
        }
        ++index;
      }
      if (!keys.status()) {
        return usage(keys.status().message());
      }
      auto sig = [&](std::uint32_t i) {
        return std::span<const std::uint16_t>(sigs.data() + static_cast<std::size_t>(slot[i]) * length, length);
      };
      for (const auto& band : buckets) {
        for (std::size_t a = 0, z = 0; a < band.size(); a = z) {
          for (z = a + 1; z < band.size() && band[z].first == band[a].first; ++z) {
            const std::uint32_t later = band[z].second;
            for (std::size_t k = a; k < z; ++k) {
              const std::uint32_t earlier = band[k].second;
              const double similarity = dedup::estimate_jaccard(sig(later), sig(earlier));
              if (similarity >= d.threshold) {
                pairs.emplace_back(records[later], records[earlier], similarity);
              }
            }
          }
        }
      }
      std::sort(pairs.begin(), pairs.end());
      pairs.erase(std::unique(pairs.begin(), pairs.end(),
                              [](const auto& x, const auto& y) {
                                return std::get<0>(x) == std::get<0>(y) && std::get<1>(x) == std::get<1>(y);
                              }),
                  pairs.end());
    }
    Out out;
    if (Status s = out.open(file("pairs", o_.cluster.shard), k_pairs_magic, o_.cluster.fingerprint); !s) {
      return usage(s.message());
    }
    out.u8(heavy ? 1 : 0);
    for (std::size_t a = 0, z = 0; a < pairs.size(); a = z) {
      for (z = a; z < pairs.size() && std::get<0>(pairs[z]) == std::get<0>(pairs[a]); ++z) {
      }
      out.u64(std::get<0>(pairs[a]));
      out.u64(z - a);
      for (std::size_t k = a; k < z; ++k) {
        out.u64(std::get<1>(pairs[k]));
        const double similarity = std::get<2>(pairs[k]);
        out.bytes(&similarity, sizeof similarity);
      }
    }
    if (Status s = out.commit(); !s) {
      return usage(s.message());
    }
    if (!o_.quiet) {
      fmt::print(err_, "decruft: bands {}-{}: {} documents with a signature, {} verified pairs{}\n", b0, b1 - 1,
                 records.size(), pairs.size(), heavy ? " (a bucket too full: the dedup stage uses the index)" : "");
    }
    return k_exit_ok;
  }

  // The band tasks' pairs, merged by later record.
  class Pairs {
   public:
    Status open(const Cluster& c) {
      for (int i = 0; i < c.o_.cluster.shards; ++i) {
        auto& in = files_.emplace_back(std::make_unique<In>());
        if (Status s = in->open(c.file("pairs", i), k_pairs_magic, c.o_.cluster.fingerprint); !s) {
          return s;
        }
        heavy_ = in->u8() != 0 || heavy_;
        next_.push_back(advance(*in));
        if (!in->ok()) {
          return in->truncated();
        }
      }
      return {};
    }
    bool heavy() const { return heavy_; }
    // The matches of `record`, ascending and distinct.
    Status matches(std::uint64_t record, std::vector<std::pair<std::uint64_t, double>>& out) {
      out.clear();
      for (std::size_t i = 0; i < files_.size(); ++i) {
        In& in = *files_[i];
        if (next_[i] < record) {
          return Status::error("the band tasks' pairs do not match the keys: rerun the bands stage");
        }
        if (next_[i] != record) {
          continue;
        }
        for (std::uint64_t m = in.u64(); in.ok() && m > 0; --m) {
          const std::uint64_t e = in.u64();
          double similarity = 0;
          in.bytes(&similarity, sizeof similarity);
          out.emplace_back(e, similarity);
        }
        next_[i] = advance(in);
        if (!in.ok()) {
          return in.truncated();
        }
      }
      std::sort(out.begin(), out.end());
      out.erase(std::unique(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.first == y.first; }),
                out.end());
      return {};
    }
    bool done() const {
      return std::all_of(next_.begin(), next_.end(), [](std::uint64_t v) { return v == k_end; });
    }

   private:
    static constexpr std::uint64_t k_end = ~std::uint64_t{0};
    static std::uint64_t advance(In& in) { return in.at_end() ? k_end : in.u64(); }
    std::vector<std::unique_ptr<In>> files_;
    std::vector<std::uint64_t> next_;
    bool heavy_ = false;
  };

  // The serial steps themselves, in global order, on the keys the clean tasks computed: the same
  // code decides as in a single-machine run, so the verdicts are the same. near_dedup takes the
  // band tasks' verified pairs (dedup::NearReplay, no signatures held) unless a bucket was too full
  // for that to be exact; then it indexes the signatures as a single run does.
  int dedup() {
    const std::size_t split = p_.serial_begin();
    RunStats scratch = p_.blank_stats();
    std::uint64_t documents = 0;
    std::uint64_t dropped = 0;
    Pairs pairs;
    if (Status s = pairs.open(*this); !s) {
      return usage(s.message());
    }
    const bool use_pairs = !pairs.heavy();
    Keys keys(*this);
    std::string id;
    // Verdicts go to the file of the record's shard: opened in shard order, empty shards included.
    int current = -1;
    Out out;
    auto open_through = [&](int shard) -> Status {
      while (current < shard) {
        if (current >= 0) {
          if (Status s = out.commit(); !s) {
            return s;
          }
        }
        ++current;
        if (Status s = out.open(file("verdicts", current), k_verdicts_magic, o_.cluster.fingerprint); !s) {
          return s;
        }
      }
      return {};
    };
    while (true) {
      Prepared p;
      if (!keys.next(id, p)) {
        break;
      }
      if (Status s = open_through(keys.shard()); !s) {
        return usage(s.message());
      }
      const std::uint64_t record = keys.records() - 1;
      if (use_pairs && !p.signature.empty()) {
        if (Status s = pairs.matches(record, p.matches); !s) {
          return usage(s.message());
        }
        p.pairs_ready = true;
        p.record = record;
      }
      Document doc;
      doc.id = id;
      p_.run_range(doc, split, p_.size(), scratch, &p);
      ++documents;
      out.str(doc.id);
      out.u8(doc.drop ? 1 : 0);
      if (doc.drop) {
        ++dropped;
        out.str(doc.drop->step);
        out.str(doc.drop->reason);
        out.str(doc.drop->evidence);
        out.u64(doc.metadata.size());
        for (const auto& [k, v] : doc.metadata) {
          out.str(k);
          out.str(v);
        }
      }
    }
    if (!keys.status()) {
      return usage(keys.status().message());
    }
    if (Status s = open_through(o_.cluster.shards - 1); !s) {
      return usage(s.message());
    }
    if (Status s = out.commit(); !s) {
      return usage(s.message());
    }
    if (use_pairs && !pairs.done()) {
      return usage("the band tasks' pairs name more documents than the keys hold: rerun the bands stage");
    }
    if (!o_.quiet) {
      fmt::print(err_, "decruft: dedup: {} documents, {} duplicates ({})\n", documents, dropped,
                 use_pairs ? "from the band tasks' pairs" : "a bucket was too full: by the index");
    }
    return k_exit_ok;
  }

  int write() {
    if (Status s = load_prepass(); !s) {
      return usage(s.message());
    }
    In verdicts;
    if (Status s = verdicts.open(file("verdicts", o_.cluster.shard), k_verdicts_magic, o_.cluster.fingerprint); !s) {
      return usage(s.message());
    }
    Out out;
    if (Status s = out.open(file("out", o_.cluster.shard), k_out_magic, o_.cluster.fingerprint); !s) {
      return usage(s.message());
    }
    Out stats_out;
    if (Status s = stats_out.open(file("stats", o_.cluster.shard), k_stats_magic, o_.cluster.fingerprint); !s) {
      return usage(s.message());
    }
    std::string duplicates;
    ShardTask task;
    task.stage = ShardTask::Stage::k_write;
    task.files = files_;
    task.verdict = [&](const Document& doc, Prepared& p) -> Status {
      if (verdicts.at_end()) {
        return Status::error(fmt::format("{}: no verdict for document {}: rerun the clean and dedup stages",
                                         file("verdicts", o_.cluster.shard), doc.id));
      }
      if (verdicts.str() != doc.id) {
        return Status::error(
            fmt::format("{}: the verdicts are not for these documents (at {}): the inputs or "
                        "options differ from the clean stage's",
                        file("verdicts", o_.cluster.shard), doc.id));
      }
      if (verdicts.u8() != 0) {
        Prepared::Decision d;
        d.step = verdicts.str();
        d.drop.step = d.step;
        d.drop.reason = verdicts.str();
        d.drop.evidence = verdicts.str();
        for (std::uint64_t n = verdicts.u64(); verdicts.ok() && n > 0; --n) {
          std::string k = verdicts.str();
          d.metadata[k] = verdicts.str();
        }
        p.decision = std::move(d);
      }
      return verdicts.ok() ? Status{} : verdicts.truncated();
    };
    task.output = [&](std::string_view rendered, const io::ReportEntry& e) -> Status {
      out.u8(static_cast<std::uint8_t>(e.outcome));
      out.str(e.reason);
      out.map(e.blocks_removed);
      out.u64(e.bytes_in);
      out.u64(e.bytes_out);
      out.str(e.json);
      out.str(rendered);
      return {};
    };
    task.finish = [&](const std::string& dups, const RunStats& stats) -> Status {
      duplicates = dups;
      put_stats(stats_out, stats);
      return {};
    };
    const int status = run_shard(o_, p_, task, err_);
    if (status != k_exit_ok && status != k_exit_doc_failed) {
      return status;
    }
    if (!verdicts.at_end()) {
      return usage(
          fmt::format("{}: more verdicts than documents: the inputs or options differ from the clean "
                      "stage's",
                      file("verdicts", o_.cluster.shard)));
    }
    for (Status s :
         {out.commit(), stats_out.commit(), io::write_atomic(file("dups", o_.cluster.shard, "jsonl"), duplicates)}) {
      if (!s) {
        return usage(s.message());
      }
    }
    return status;
  }

  // What a single-machine run writes at its end, from every shard's outputs in order.
  int merge() {
    std::error_code ec;
    fs::create_directories(o_.output_dir, ec);
    if (ec) {
      return usage(fmt::format("{}: output directory cannot be created: {}", o_.output_dir, ec.message()));
    }
    const bool jsonl = o_.format == io::OutputFormat::k_jsonl;
    RunStats stats = p_.blank_stats();
    std::string duplicates;
    for (int i = 0; i < o_.cluster.shards; ++i) {
      In in;
      if (Status s = in.open(file("stats", i), k_stats_magic, o_.cluster.fingerprint); !s) {
        return usage(s.message());
      }
      stats += get_stats(in);
      if (!in.ok()) {
        return usage(in.truncated().message());
      }
      auto dups = io::read_file(file("dups", i, "jsonl"), std::size_t{1} << 40);
      if (!dups) {
        return usage(dups.status().message());
      }
      duplicates += *dups;
    }
    io::Report report;
    if (Status s = report.spool_to(o_.report_path); !s) {
      return usage(s.message());
    }
    std::unique_ptr<io::ShardWriter> writer;
    if (jsonl) {
      // The same shards as a single-machine run: their bytes depend on the records alone.
      writer = std::make_unique<io::ShardWriter>(o_.output_dir, o_.shards);
    }
    // The records go through a pipeline of their own, as in a single run: read in order, planned
    // into shards and zstd chunks in order, compressed on every thread (-j), written in order with
    // their report entries.
    struct Batch {
      std::vector<io::ReportEntry> entries;
      std::vector<std::size_t> record_of;  // per entry: its record's index in `sizes`, or npos
      std::shared_ptr<std::string> records = std::make_shared<std::string>();
      std::vector<std::size_t> sizes;
      io::ShardWriter::Batch shard_batch;
    };
    constexpr std::size_t k_batch_entries = 256;
    constexpr std::size_t k_batch_bytes = std::size_t{1} << 20;
    Status read_failed;   // the reading stage's
    Status write_failed;  // the writing stage's
    std::atomic<bool> stop{false};
    int next_shard = 0;
    std::unique_ptr<In> in;
    const std::size_t threads = thread_count(o_);
    tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, threads);
    tbb::parallel_pipeline(
        threads * 4,
        tbb::make_filter<void, Batch*>(tbb::filter_mode::serial_in_order,
                                       [&](tbb::flow_control& fc) -> Batch* {
                                         auto b = std::make_unique<Batch>();
                                         while (!stop.load() && b->entries.size() < k_batch_entries &&
                                                b->records->size() < k_batch_bytes) {
                                           if (!in) {
                                             if (next_shard >= o_.cluster.shards) {
                                               break;
                                             }
                                             in = std::make_unique<In>();
                                             if (Status s = in->open(file("out", next_shard++), k_out_magic,
                                                                     o_.cluster.fingerprint);
                                                 !s) {
                                               read_failed = s;
                                               break;
                                             }
                                           }
                                           if (in->at_end()) {
                                             in.reset();
                                             continue;
                                           }
                                           io::ReportEntry e;
                                           e.outcome = static_cast<io::ReportEntry::Outcome>(in->u8());
                                           e.reason = in->str();
                                           e.blocks_removed = in->map();
                                           e.bytes_in = in->u64();
                                           e.bytes_out = in->u64();
                                           e.json = in->str();
                                           std::string rendered = in->str();
                                           if (!in->ok()) {
                                             read_failed = in->truncated();
                                             break;
                                           }
                                           if (jsonl && !rendered.empty()) {
                                             b->record_of.push_back(b->sizes.size());
                                             b->sizes.push_back(rendered.size());
                                             *b->records += rendered;
                                           } else {
                                             b->record_of.push_back(std::string::npos);
                                           }
                                           b->entries.push_back(std::move(e));
                                         }
                                         if (!read_failed) {
                                           stop.store(true);
                                         }
                                         if (b->entries.empty()) {
                                           fc.stop();
                                           return nullptr;
                                         }
                                         return b.release();
                                       }) &
            tbb::make_filter<Batch*, Batch*>(tbb::filter_mode::serial_in_order,
                                             [&](Batch* b) {
                                               if (writer) {
                                                 writer->plan(b->shard_batch, b->records, b->sizes);
                                               }
                                               return b;
                                             }) &
            tbb::make_filter<Batch*, Batch*>(tbb::filter_mode::parallel,
                                             [](Batch* b) {
                                               b->shard_batch.compress();
                                               return b;
                                             }) &
            tbb::make_filter<Batch*, void>(tbb::filter_mode::serial_in_order, [&](Batch* b) {
              std::unique_ptr<Batch> owned(b);
              if (!write_failed) {
                return;
              }
              if (writer) {
                if (Status s = writer->write(b->shard_batch); !s) {
                  write_failed = s;
                  stop.store(true);
                  return;
                }
              }
              for (std::size_t k = 0; k < b->entries.size(); ++k) {
                if (b->record_of[k] != std::string::npos) {
                  name_shard_output(b->entries[k], writer->shard_file(b->shard_batch.shards()[b->record_of[k]]));
                }
                report.add(b->entries[k]);
              }
            }));
    for (const Status& s : {read_failed, write_failed}) {
      if (!s) {
        return usage(s.message());
      }
    }
    if (writer) {
      if (Status s = writer->finish(); !s) {
        return usage(s.message());
      }
    }
    if (duplicates.empty()) {
      fs::remove(o_.duplicates_path, ec);
    } else if (Status s = io::write_atomic(o_.duplicates_path, duplicates); !s) {
      return usage(s.message());
    }
    if (Status s = report.write(o_.report_path, stats); !s) {
      return usage(s.message());
    }
    if (!o_.stats_json_path.empty()) {
      if (Status s = io::write_atomic(o_.stats_json_path, stats.to_json() + "\n"); !s) {
        return usage(s.message());
      }
    }
    if (o_.stats) {
      fmt::print(err_, "{}", stats.to_table());
    }
    if (!o_.quiet || o_.stats) {
      fmt::print(err_, "decruft: {}\n", report.summary_line());
    }
    return report.failed() > 0 ? k_exit_doc_failed : k_exit_ok;
  }

  const Options& o_;
  Pipeline& p_;
  std::FILE* err_;
  std::vector<io::InputFile> files_;
};

}  // namespace

std::vector<std::size_t> shard_bounds(const std::vector<std::uint64_t>& sizes, int n) {
  const auto shards = static_cast<std::size_t>(std::max(1, n));
  unsigned __int128 total = 0;
  for (auto s : sizes) {
    total += s;
  }
  std::vector<std::size_t> bounds(shards + 1, sizes.size());
  bounds[0] = 0;
  std::size_t j = 0;
  unsigned __int128 before = 0;  // bytes of files [0, j)
  for (std::size_t i = 1; i < shards; ++i) {
    // The first file j whose preceding bytes reach i/n of the total (before * n >= total * i).
    while (j < sizes.size() && before * shards < total * i) {
      before += sizes[j];
      ++j;
    }
    bounds[i] = j;
  }
  return bounds;
}

int run_cluster(const Options& o, Pipeline& pipeline, std::FILE* err) {
  Cluster c(o, pipeline, err);
  return c.go();
}

}  // namespace decruft::cli
