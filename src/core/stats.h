// Per-step statistics. They merge with += (for parallel runs and shards) and serialise to JSON.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace decruft {

struct StepStats {
  std::uint64_t docs_in = 0;
  std::uint64_t docs_out = 0;                        // documents still kept after the step
  std::map<std::string, std::uint64_t> docs_dropped; // reason -> documents
  std::uint64_t blocks_in = 0;                       // kept blocks entering the step
  std::uint64_t blocks_out = 0;
  std::map<std::string, std::uint64_t> blocks_dropped;  // reason -> blocks
  std::uint64_t bytes_in = 0;                        // kept text bytes entering the step
  std::uint64_t bytes_out = 0;
  std::uint64_t nanoseconds = 0;

  StepStats& operator+=(const StepStats& other);
};

// Stats of a whole run: one StepStats per step, in pipeline order.
struct RunStats {
  std::vector<std::pair<std::string, StepStats>> steps;

  StepStats& step(std::string_view name);  // adds the step when missing
  RunStats& operator+=(const RunStats& other);
  // with_time=false leaves out timings, so a report is byte-identical across identical runs.
  std::string to_json(bool with_time = true) const;
  // A fixed-width table for --stats (stderr).
  std::string to_table() const;
};

}  // namespace decruft
