// Pipeline: the ordered list of named steps a document flows through, with per-step stats.
//
//   Pipeline p;
//   p.add(std::make_unique<NormalizeStep>());
//   p.disable("near_dedup");
//   p.run(doc);           // doc's blocks and verdicts are updated in place
//   fmt::print("{}", p.stats().to_table());
#pragma once

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

  bool needs_prepass() const;
  // Prepass over one document: runs the steps in order and lets every corpus-level step observe
  // it. Call end_prepass() once all documents were observed.
  void observe(Document doc);
  void end_prepass();

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
  };
  std::vector<Entry> entries_;
  RunStats stats_;
};

}  // namespace decruft
