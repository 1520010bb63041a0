#include "core/pipeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <optional>

namespace decruft {

namespace {
struct Counts {
  std::uint64_t blocks = 0;
  std::uint64_t bytes = 0;
};

Counts count_kept(const Document& doc) {
  Counts c;
  for (const auto& b : doc.blocks) {
    if (b.kept()) {
      ++c.blocks;
      c.bytes += b.text.size();
    }
  }
  return c;
}
}  // namespace

void Pipeline::add(std::unique_ptr<Step> step) {
  stats_.step(step->name());
  entries_.push_back(Entry{std::move(step), true});
}

Status Pipeline::disable(std::string_view name) {
  for (auto& e : entries_) {
    if (e.step->name() == name) {
      e.enabled = false;
      return {};
    }
  }
  std::string known;
  for (const auto& e : entries_) {
    known += fmt::format("{}{}", known.empty() ? "" : ", ", e.step->name());
  }
  return Status::error(fmt::format("unknown step '{}' (steps: {})", name, known));
}

bool Pipeline::enabled(std::string_view name) const {
  for (const auto& e : entries_) {
    if (e.step->name() == name) {
      return e.enabled;
    }
  }
  return false;
}

Step* Pipeline::find(std::string_view name) {
  for (auto& e : entries_) {
    if (e.step->name() == name) {
      return e.step.get();
    }
  }
  return nullptr;
}

void Pipeline::run(Document& doc) { run_range(doc, 0, entries_.size(), stats_); }

Status Pipeline::mark_serial(std::string_view name) {
  for (auto& e : entries_) {
    if (e.step->name() == name) {
      e.serial = true;
      return {};
    }
  }
  return Status::error(fmt::format("unknown step '{}'", name));
}

std::size_t Pipeline::serial_begin() const {
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].enabled && entries_[i].serial) {
      return i;
    }
  }
  return entries_.size();
}

RunStats Pipeline::blank_stats() const {
  RunStats stats;
  for (const auto& e : entries_) {
    stats.step(e.step->name());
  }
  return stats;
}

void Pipeline::prepare_serial(const Document& doc, Prepared& prepared, RunStats& stats) const {
  if (!doc.kept()) {
    return;
  }
  for (std::size_t i = serial_begin(); i < entries_.size(); ++i) {
    const auto& e = entries_[i];
    if (!e.enabled) {
      continue;
    }
    const std::string_view name = e.step->name();
    StepStats& s = i < stats.steps.size() && stats.steps[i].first == name ? stats.steps[i].second : stats.step(name);
    auto t0 = now();
    e.step->prepare(doc, prepared);
    s.nanoseconds += static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(now() - t0).count());
  }
  prepared.body_key.reset();
}

void Pipeline::run_range(Document& doc, std::size_t begin, std::size_t end, RunStats& stats, Prepared* prepared) {
  end = std::min(end, entries_.size());
  // One clock reading per step: a step's time runs from the end of the previous one's to the end
  // of its own bookkeeping. The kept blocks counted after a step are the next step's input.
  auto t0 = now();
  std::optional<Counts> counted;
  for (std::size_t i = begin; i < end; ++i) {
    auto& e = entries_[i];
    if (!e.enabled || !doc.kept()) {
      continue;
    }
    const std::string_view name = e.step->name();
    // Stats made by blank_stats() hold the steps in pipeline order: find by index, else by name.
    StepStats& s = i < stats.steps.size() && stats.steps[i].first == name ? stats.steps[i].second : stats.step(name);
    Counts before = counted ? *counted : count_kept(doc);
    ++s.docs_in;
    s.blocks_in += before.blocks;
    s.bytes_in += before.bytes;
    if (prepared != nullptr) {
      e.step->process(doc, *prepared);
    } else {
      e.step->process(doc);
    }
    // The first drop wins (Marks::drop), so a block whose drop names this step was dropped by it.
    Counts after;
    for (const auto& b : doc.blocks) {
      if (b.kept()) {
        ++after.blocks;
        after.bytes += b.text.size();
      } else if (b.drop->step == name) {
        ++s.blocks_dropped[b.drop->reason];
      }
    }
    counted = after;
    s.blocks_out += after.blocks;
    s.bytes_out += after.bytes;
    if (doc.drop) {
      ++s.docs_dropped[doc.drop->reason];
    } else if (doc.error) {
      ++s.docs_dropped["failed"];
    } else {
      ++s.docs_out;
    }
    const auto t1 = now();
    s.nanoseconds += static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
    t0 = t1;
  }
}

void Pipeline::run_until(Document& doc, const Step* stop) {
  for (auto& e : entries_) {
    if (e.step.get() == stop) {
      return;
    }
    if (e.enabled && doc.kept()) {
      e.step->process(doc);
    }
  }
}

bool Pipeline::needs_prepass() const {
  for (const auto& e : entries_) {
    if (e.enabled && e.step->needs_prepass()) {
      return true;
    }
  }
  return false;
}

void Pipeline::observe(Document doc) {
  prepare_observe(doc);
  observe_from(doc);
}

std::size_t Pipeline::prepass_begin() const {
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].enabled && entries_[i].step->needs_prepass()) {
      return i;
    }
  }
  return entries_.size();
}

namespace {
// How many enabled corpus-level steps observe this document; `only` gets the step when there is
// exactly one.
template <class Entries>
std::size_t observers(const Entries& entries, const Document& doc, const Step** only = nullptr) {
  std::size_t n = 0;
  for (const auto& e : entries) {
    if (e.enabled && e.step->needs_prepass() && e.step->observes(doc)) {
      ++n;
      if (only != nullptr) {
        *only = n == 1 ? e.step.get() : nullptr;
      }
    }
  }
  return n;
}
}  // namespace

void Pipeline::prepare_observe(Document& doc) {
  // Blocks are left out by the observing step when there is one only: with several, a block one
  // of them does not want may be one another looks at.
  if (observers(entries_, doc, &doc.prepass_observer) == 0) {
    return;  // e.g. corpus_lines leaves HTML pages alone: no need to parse them twice
  }
  const std::size_t stop = prepass_begin();
  bool pruned = false;
  for (std::size_t i = 0; i < stop && doc.kept(); ++i) {
    if (!entries_[i].enabled) {
      continue;
    }
    if (!pruned && !doc.blocks.empty()) {
      // The step that made the blocks may have asked already (text_to_blocks does, per line);
      // the others' blocks (a title, a page's) are sorted out here.
      if (const Step* observer = doc.prepass_observer) {
        std::erase_if(doc.blocks, [observer](const Block& b) { return !observer->prepass_wants(b.kind, b.text); });
      }
      pruned = true;
    }
    entries_[i].step->process(doc);
  }
  // The first corpus-level step sees the document as it stands now: it may do its per-document
  // work here, in parallel, rather than in the in-order observe().
  if (doc.kept() && stop < entries_.size() && entries_[stop].step->observes(doc)) {
    entries_[stop].step->ready_for_observe(doc);
  }
}

void Pipeline::observe_from(Document& doc) {
  // Runs up to the last corpus-level step only; each one observes the document as it stands just
  // before it.
  std::size_t last = entries_.size();
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].enabled && entries_[i].step->needs_prepass()) {
      last = i;
    }
  }
  if (last == entries_.size() || observers(entries_, doc) == 0) {
    return;
  }
  for (std::size_t i = prepass_begin(); i <= last && doc.kept(); ++i) {
    auto& e = entries_[i];
    if (!e.enabled) {
      continue;
    }
    if (e.step->needs_prepass() && e.step->observes(doc)) {
      e.step->observe(doc);
    }
    if (i == last) {
      return;
    }
    e.step->process(doc);
  }
}

void Pipeline::end_prepass() {
  for (auto& e : entries_) {
    if (e.enabled && e.step->needs_prepass()) {
      e.step->end_prepass();
    }
  }
}

// The format: per enabled corpus-level step, its name, '\n', the byte count of its state, '\n',
// the state.
bool Pipeline::save_prepass(std::string& out, std::string& error) const {
  out.clear();
  for (const auto& e : entries_) {
    if (!e.enabled || !e.step->needs_prepass()) {
      continue;
    }
    std::string state;
    if (!e.step->save_prepass(state)) {
      error = fmt::format("step {} cannot share its first-pass state across shards (--disable {})",
                          e.step->name(), e.step->name());
      return false;
    }
    out += fmt::format("{}\n{}\n", e.step->name(), state.size());
    out += state;
  }
  return true;
}

bool Pipeline::merge_prepass(std::string_view in, std::string& error) {
  for (auto& e : entries_) {
    if (!e.enabled || !e.step->needs_prepass()) {
      continue;
    }
    auto bad = [&] {
      error = fmt::format("first-pass state has no valid entry for step {}", e.step->name());
      return false;
    };
    const std::size_t nl1 = in.find('\n');
    if (nl1 == std::string_view::npos || in.substr(0, nl1) != e.step->name()) {
      return bad();
    }
    const std::size_t nl2 = in.find('\n', nl1 + 1);
    if (nl2 == std::string_view::npos) {
      return bad();
    }
    std::size_t size = 0;
    for (char c : in.substr(nl1 + 1, nl2 - nl1 - 1)) {
      if (c < '0' || c > '9') {
        return bad();
      }
      size = size * 10 + static_cast<std::size_t>(c - '0');
    }
    if (in.size() - nl2 - 1 < size) {
      return bad();
    }
    if (!e.step->merge_prepass(in.substr(nl2 + 1, size))) {
      error = fmt::format("step {} cannot merge first-pass state (--disable {})", e.step->name(), e.step->name());
      return false;
    }
    in.remove_prefix(nl2 + 1 + size);
  }
  return true;
}

std::vector<Pipeline::StepInfo> Pipeline::steps() const {
  std::vector<StepInfo> out;
  for (const auto& e : entries_) {
    out.push_back({std::string(e.step->name()), std::string(e.step->description()), e.enabled});
  }
  return out;
}

}  // namespace decruft
