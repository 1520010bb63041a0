#include "filters/corpus_lines.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <cmath>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "core/reasons.h"
#include "filters/shape.h"
#include "text/key.h"

namespace decruft::filters {

namespace {

constexpr std::size_t k_max_words = 15;

class CorpusLinesFilter final : public Filter {
 public:
  CorpusLinesFilter(std::size_t min_docs, double min_share) : min_docs_(min_docs), min_share_(min_share) {}
  std::string_view name() const override { return "corpus_lines"; }
  std::string_view description() const override {
    return "lines recurring in many documents of the corpus (first pass counts them)";
  }
  bool needs_prepass() const override { return true; }

  void observe(const Document& doc) override {
    std::unordered_set<std::uint64_t> mine;
    for (const auto& b : doc.blocks) {
      if (b.kept() && b.kind != BlockKind::k_title) {
        if (auto h = line_hash(b)) {
          mine.insert(h);
        }
      }
    }
    std::lock_guard<std::mutex> lock(mu_);
    ++documents_;
    for (auto h : mine) {
      ++counts_[h];
    }
  }

  void end_prepass() override {
    std::lock_guard<std::mutex> lock(mu_);
    threshold_ = std::max<std::size_t>(
        min_docs_, static_cast<std::size_t>(std::ceil(min_share_ * static_cast<double>(documents_))));
    for (auto it = counts_.begin(); it != counts_.end();) {
      it = it->second >= threshold_ ? std::next(it) : counts_.erase(it);
    }
    ready_ = true;
  }

 protected:
  void classify(const Document& doc, Marks& marks) override {
    if (!ready_ || counts_.empty()) {
      return;
    }
    for (std::size_t i = 0; i < doc.blocks.size(); ++i) {
      const auto& b = doc.blocks[i];
      if (!b.kept() || b.kind == BlockKind::k_title) {
        continue;
      }
      auto h = line_hash(b);
      if (h == 0) {
        continue;
      }
      if (auto it = counts_.find(h); it != counts_.end()) {
        marks.drop(i, reason::k_corpus_boilerplate,
                   fmt::format("in {} of {} documents (threshold {})", it->second, documents_, threshold_));
      }
    }
  }

 private:
  // 0 for blocks that are not short lines.
  static std::uint64_t line_hash(const Block& b) {
    std::string_view text = b.text;
    std::size_t spaces = 0;
    for (char c : text) {
      spaces += c == ' ' ? 1 : 0;
      if (spaces >= k_max_words) {
        return 0;
      }
    }
    const std::string& key = b.key();
    if (key.empty()) {
      return 0;
    }
    std::uint64_t h = XXH3_64bits(key.data(), key.size());
    return h == 0 ? 1 : h;
  }

  std::size_t min_docs_;
  double min_share_;
  std::mutex mu_;
  std::unordered_map<std::uint64_t, std::uint32_t> counts_;
  std::size_t documents_ = 0;
  std::size_t threshold_ = 0;
  bool ready_ = false;
};

}  // namespace

std::unique_ptr<Step> make_corpus_lines_filter(std::size_t min_docs, double min_share) {
  return std::make_unique<CorpusLinesFilter>(min_docs, min_share);
}

}  // namespace decruft::filters
