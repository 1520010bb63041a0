// Step: one named stage of the pipeline. Filter: a Step that only marks blocks; the base class
// does the counting, reason bookkeeping and audit trail once for every filter.
#pragma once

#include <string>
#include <string_view>

#include "core/document.h"
#include "core/stats.h"

namespace decruft {

class Step {
 public:
  virtual ~Step() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view description() const = 0;
  // Processes one document. May modify blocks, drop blocks (via Document) or the document.
  // Must not throw for bad data: a bad document is data (drop it with a reason or set error).
  virtual void process(Document& doc) = 0;
  // Corpus-level steps learn from every document in a first pass (e.g. lines that recur across
  // the corpus). The runner calls observe() on each document, as it stands just before this step,
  // for all documents before the main pass when needs_prepass() is true.
  virtual bool needs_prepass() const { return false; }
  virtual void observe(const Document& /*doc*/) {}
  virtual void end_prepass() {}
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
