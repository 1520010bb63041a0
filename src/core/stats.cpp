#include "core/stats.h"

#include <fmt/format.h>

#include "core/json.h"

namespace decruft {

namespace {
void merge(std::map<std::string, std::uint64_t>& into, const std::map<std::string, std::uint64_t>& from) {
  for (const auto& [k, v] : from) {
    into[k] += v;
  }
}

std::string reasons_cell(const std::map<std::string, std::uint64_t>& m) {
  std::string out;
  for (const auto& [k, v] : m) {
    out += fmt::format("{}{}={}", out.empty() ? "" : " ", k, v);
  }
  return out;
}
}  // namespace

StepStats& StepStats::operator+=(const StepStats& o) {
  docs_in += o.docs_in;
  docs_out += o.docs_out;
  merge(docs_dropped, o.docs_dropped);
  blocks_in += o.blocks_in;
  blocks_out += o.blocks_out;
  merge(blocks_dropped, o.blocks_dropped);
  bytes_in += o.bytes_in;
  bytes_out += o.bytes_out;
  nanoseconds += o.nanoseconds;
  return *this;
}

StepStats& RunStats::step(std::string_view name) {
  for (auto& [n, s] : steps) {
    if (n == name) {
      return s;
    }
  }
  steps.emplace_back(std::string(name), StepStats{});
  return steps.back().second;
}

RunStats& RunStats::operator+=(const RunStats& other) {
  for (const auto& [n, s] : other.steps) {
    step(n) += s;
  }
  return *this;
}

std::string RunStats::to_json(bool with_time) const {
  json::Writer w;
  w.begin_array();
  for (const auto& [name, s] : steps) {
    w.begin_object();
    w.key("step"); w.value(name);
    w.key("docs_in"); w.value(s.docs_in);
    w.key("docs_out"); w.value(s.docs_out);
    w.key("docs_dropped");
    w.begin_object();
    for (const auto& [k, v] : s.docs_dropped) { w.key(k); w.value(v); }
    w.end_object();
    w.key("blocks_in"); w.value(s.blocks_in);
    w.key("blocks_out"); w.value(s.blocks_out);
    w.key("blocks_dropped");
    w.begin_object();
    for (const auto& [k, v] : s.blocks_dropped) { w.key(k); w.value(v); }
    w.end_object();
    w.key("bytes_in"); w.value(s.bytes_in);
    w.key("bytes_out"); w.value(s.bytes_out);
    if (with_time) {
      w.key("seconds");
      w.value(static_cast<double>(s.nanoseconds) / 1e9);
    }
    w.end_object();
  }
  w.end_array();
  return w.take();
}

std::string RunStats::to_table() const {
  std::string out = fmt::format("{:<18} {:>8} {:>8} {:>9} {:>9} {:>12} {:>12} {:>9}  {}\n", "step", "docs_in",
                                "docs_out", "blocks_in", "blocks_out", "bytes_in", "bytes_out", "ms", "dropped");
  for (const auto& [name, s] : steps) {
    std::string dropped = reasons_cell(s.blocks_dropped);
    std::string docs = reasons_cell(s.docs_dropped);
    if (!docs.empty()) {
      dropped += (dropped.empty() ? "docs: " : "; docs: ") + docs;
    }
    out += fmt::format("{:<18} {:>8} {:>8} {:>9} {:>9} {:>12} {:>12} {:>9.1f}  {}\n", name, s.docs_in, s.docs_out,
                       s.blocks_in, s.blocks_out, s.bytes_in, s.bytes_out, static_cast<double>(s.nanoseconds) / 1e6,
                       dropped);
  }
  return out;
}

}  // namespace decruft
