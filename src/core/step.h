// Step: one named stage of the pipeline. Filter: a Step that only marks blocks; the base class
// does the counting, reason bookkeeping and audit trail once for every filter.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/document.h"
#include "core/stats.h"

namespace decruft {

// What a serial step worked out ahead of its turn (Step::prepare, on any thread), carried with the
// document to process(doc, prepared). The dedup steps (src/dedup) fill the body key's XXH3-128 and
// MinHash signature here, so the in-order stage only looks them up. In a cluster run
// (src/cli/cluster.h) `decision` carries a verdict decided by another process instead.
struct Prepared {
  std::optional<std::string> body_key;  // scratch shared by the dedup steps' prepare(); cleared after
  bool exact_ready = false;             // exact_lo/hi hold the XXH3-128 of the body key
  bool near_ready = false;              // signature holds the MinHash signature (empty: no words)
  bool has_words = false;               // the body key has at least one word
  std::uint64_t exact_lo = 0;
  std::uint64_t exact_hi = 0;
  std::vector<std::uint16_t> signature;
  // Cluster run, near_dedup from pairs verified by the band tasks (dedup::NearReplay): this
  // document's record number and its earlier matches (record, estimated Jaccard), ascending.
  bool pairs_ready = false;
  std::uint64_t record = 0;
  std::vector<std::pair<std::uint64_t, double>> matches;
  // Cluster run: the serial steps' verdicts were decided elsewhere. When `replay` is set a serial
  // step applies `decision` if it names the step, and otherwise leaves the document as it is.
  struct Decision {
    std::string step;
    Drop drop;
    std::map<std::string, std::string> metadata;  // merged into Document::metadata
  };
  bool replay = false;
  std::optional<Decision> decision;
};

class Step {
 public:
  virtual ~Step() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view description() const = 0;
  // Processes one document. May modify blocks, drop blocks (via Document) or the document.
  // Must not throw for bad data: a bad document is data (drop it with a reason or set error).
  virtual void process(Document& doc) = 0;
  // Serial steps (Pipeline::mark_serial): prepare() does the part of the work that reads only the
  // document, on any thread and before the in-order stage; process(doc, prepared) then finishes it
  // in order. It is only valid when the serial steps before this one do not change what it reads
  // (the dedup steps read the kept body; the steps before them only drop whole documents).
  virtual void prepare(const Document& /*doc*/, Prepared& /*out*/) const {}
  virtual void process(Document& doc, Prepared& /*prepared*/) { process(doc); }
  // Corpus-level steps learn from every document in a first pass (e.g. lines that recur across
  // the corpus). The runner calls observe() on each document, as it stands just before this step,
  // for all documents before the main pass when needs_prepass() is true.
  virtual bool needs_prepass() const { return false; }
  // Whether this corpus-level step learns from (and judges) a document at all, asked of the
  // document as read (its id, source and input format known): the first pass skips the steps
  // before it for a document no corpus-level step observes.
  virtual bool observes(const Document& /*doc*/) const { return true; }
  // First pass only: whether observe() may look at a block of this kind and text (as made from
  // the input, before the steps ahead of this one rewrote it). Blocks it would not look at are
  // left out as soon as they are made (text scrapes: their lines are not even copied), so the
  // steps between (normalize) skip them. Only for blocks whose observation cannot depend on
  // those steps' work: the document is thrown away after observe(). Default: every block.
  virtual bool prepass_wants(BlockKind /*kind*/, std::string_view /*text*/) const { return true; }
  // First pass, on any thread, once the steps before this one ran: computes what observe() will
  // read (e.g. the blocks' cached keys), so that the in-order observe() only counts.
  virtual void ready_for_observe(const Document& /*doc*/) const {}
  virtual void observe(const Document& /*doc*/) {}
  virtual void end_prepass() {}
  // Cluster run (src/cli/cluster.h): the first pass runs per shard, so a corpus-level step must
  // export what observe() gathered (before end_prepass()) and add up the exports of all shards.
  // merge_prepass(a) then merge_prepass(b) on a fresh step, then end_prepass(), must decide as
  // observing a's documents then b's would. Returns false when the step cannot (the default).
  virtual bool save_prepass(std::string& /*out*/) const { return false; }
  virtual bool merge_prepass(std::string_view /*in*/) { return false; }
};

// Marks blocks of one document for removal; a filter receives one in classify().
class Marks {
 public:
  explicit Marks(Document& doc, std::string_view step) : doc_(doc), step_(step) {}
  // Drops block i with a stable reason id and the evidence. A block already dropped stays as it
  // was (the first reason wins).
  void drop(std::size_t i, std::string_view reason, std::string evidence = {});
  bool dropped(std::size_t i) const { return doc_.blocks[i].drop.has_value(); }

 private:
  Document& doc_;
  std::string_view step_;
};

class Filter : public Step {
 public:
  void process(Document& doc) final;

 protected:
  // The one method a filter implements: look at the document (its kept blocks) and mark
  // the blocks to remove.
  virtual void classify(const Document& doc, Marks& marks) = 0;
};

}  // namespace decruft
