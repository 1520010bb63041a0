// Pipeline: the ordered list of named steps a document flows through, with per-step stats.
//
//   Pipeline p;
//   p.add(std::make_unique<NormalizeStep>());
//   p.disable("near_dedup");
//   p.run(doc);           // doc's blocks and verdicts are updated in place
//   fmt::print("{}", p.stats().to_table());
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/stats.h"
#include "core/step.h"

namespace decruft {

class Pipeline {
 public:
  void add(std::unique_ptr<Step> step);
  // Switches a step off by name; an unknown name is an error listing the known ones.
  Status disable(std::string_view name);
  bool enabled(std::string_view name) const;
  Step* find(std::string_view name);

  // Runs every enabled step on the document in order, stopping once the document is dropped or
  // failed. Updates the stats.
  void run(Document& doc);
  // Runs the enabled steps before `stop` (exclusive) only, without stats: used for prepasses.
  void run_until(Document& doc, const Step* stop);

  // ---- running in parallel ----
  // Steps are indexed 0..size()-1 in pipeline order. A parallel run splits them in two ranges:
  // [0, serial_begin()) is per-document (thread-safe: process() does not mutate shared state) and
  // runs on any thread; [serial_begin(), size()) holds stateful steps (dedup) that must see the
  // documents one at a time, in input order. Stats go to a caller-owned RunStats made by
  // blank_stats() (one per thread), merged into stats() with merge_stats() at the end.
  //
  //   RunStats local = p.blank_stats();
  //   p.run_range(doc, 0, p.serial_begin(), local);       // any thread
  //   p.run_range(doc, p.serial_begin(), p.size(), p.stats());  // serial, in input order
  //   p.merge_stats(local);
  std::size_t size() const { return entries_.size(); }
  // Marks a step as stateful (see above); an unknown name is an error.
  Status mark_serial(std::string_view name);
  // Index of the first enabled serial step, or size() when there is none.
  std::size_t serial_begin() const;
  RunStats blank_stats() const;
  // `prepared` (optional) goes to each step's process(doc, prepared): what prepare_serial() worked
  // out ahead, or a cluster run's replayed verdicts.
  void run_range(Document& doc, std::size_t begin, std::size_t end, RunStats& stats, Prepared* prepared = nullptr);
  // Lets the enabled serial steps do their per-document work ahead (Step::prepare), on any thread,
  // for a document as it leaves the parallel range; the time counts toward each step's stats.
  void prepare_serial(const Document& doc, Prepared& prepared, RunStats& stats) const;
  void merge_stats(const RunStats& other) { stats_ += other; }
  // Whether run_range() and prepare_serial() clock each step (RunStats::nanoseconds): two clock
  // readings per step and document, ~1 % of a text run, spent only when the times are shown.
  void set_timing(bool on) { timing_ = on; }

  bool needs_prepass() const;
  // Prepass over one document: runs the steps in order and lets every corpus-level step observe
  // it. Call end_prepass() once all documents were observed.
  void observe(Document doc);
  // The prepass in two halves, for a parallel prepass: prepass_begin() is the index of the first
  // enabled corpus-level step; prepare_observe() runs the steps before it (any thread, no stats);
  // observe_from() runs the rest of the prepass serially, in input order (observe() mutates the
  // corpus-level step). observe(doc) == prepare_observe(doc) then observe_from(doc).
  std::size_t prepass_begin() const;
  void prepare_observe(Document& doc);
  void observe_from(Document& doc);
  void end_prepass();
  // Cluster run: the first-pass state of every enabled corpus-level step, as one string (before
  // end_prepass()), and adding such a string from another shard. False with `error` set when a step
  // cannot share its state (Step::save_prepass).
  bool save_prepass(std::string& out, std::string& error) const;
  bool merge_prepass(std::string_view in, std::string& error);

  struct StepInfo {
    std::string name;
    std::string description;
    bool enabled;
  };
  std::vector<StepInfo> steps() const;
  const RunStats& stats() const { return stats_; }
  RunStats& stats() { return stats_; }

 private:
  struct Entry {
    std::unique_ptr<Step> step;
    bool enabled = true;
    bool serial = false;
  };
  std::vector<Entry> entries_;
  bool timing_ = true;
  std::chrono::steady_clock::time_point now() const {
    return timing_ ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
  }
  RunStats stats_;
};

}  // namespace decruft
