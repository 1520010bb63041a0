#include "core/pipeline.h"

#include <fmt/format.h>

#include <chrono>

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

void Pipeline::run(Document& doc) {
  for (auto& e : entries_) {
    if (!e.enabled || !doc.kept()) {
      continue;
    }
    StepStats& s = stats_.step(e.step->name());
    Counts before = count_kept(doc);
    ++s.docs_in;
    s.blocks_in += before.blocks;
    s.bytes_in += before.bytes;
    // Which blocks were already dropped, so the stats count only this step's drops.
    std::vector<bool> was_dropped(doc.blocks.size());
    for (std::size_t i = 0; i < doc.blocks.size(); ++i) {
      was_dropped[i] = !doc.blocks[i].kept();
    }
    auto t0 = std::chrono::steady_clock::now();
    e.step->process(doc);
    s.nanoseconds += static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count());
    for (std::size_t i = 0; i < doc.blocks.size(); ++i) {
      const auto& b = doc.blocks[i];
      if (!b.kept() && (i >= was_dropped.size() || !was_dropped[i]) && b.drop->step == e.step->name()) {
        ++s.blocks_dropped[b.drop->reason];
      }
    }
    Counts after = count_kept(doc);
    s.blocks_out += after.blocks;
    s.bytes_out += after.bytes;
    if (doc.drop) {
      ++s.docs_dropped[doc.drop->reason];
    } else if (doc.error) {
      ++s.docs_dropped["failed"];
    } else {
      ++s.docs_out;
    }
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
  // Runs only up to the last corpus-level step; each one observes the document as it stands
  // just before it.
  const Step* last = nullptr;
  for (const auto& e : entries_) {
    if (e.enabled && e.step->needs_prepass()) {
      last = e.step.get();
    }
  }
  for (auto& e : entries_) {
    if (!e.enabled || !doc.kept()) {
      continue;
    }
    if (e.step->needs_prepass()) {
      e.step->observe(doc);
    }
    if (e.step.get() == last) {
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

std::vector<Pipeline::StepInfo> Pipeline::steps() const {
  std::vector<StepInfo> out;
  for (const auto& e : entries_) {
    out.push_back({std::string(e.step->name()), std::string(e.step->description()), e.enabled});
  }
  return out;
}

}  // namespace decruft
