#include "filters/credits.h"

#include <fmt/format.h>

#include "core/reasons.h"
#include "filters/shape.h"

namespace decruft::filters {

namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// «Outlet» (City): a quoted name and a parenthesised place, nothing else.
bool outlet_city_line(std::string_view text, const Shape& s) {
  if (s.words > 8 || s.ends_sentence || !s.ends_with_paren) {
    return false;
  }
  return starts_with(text, "\xC2\xAB") || starts_with(text, "\"");  // « or "
}

class CreditsFilter final : public Filter {
 public:
  explicit CreditsFilter(std::shared_ptr<const RuleSet> rules) : rules_(std::move(rules)) {}
  std::string_view name() const override { return "credits"; }
  std::string_view description() const override {
    return "source and credit lines: wire services, translations, 'source:', outlet/city lines";
  }

 protected:
  void classify(const Document& doc, Marks& marks) override {
    thread_local std::vector<std::size_t> kept;  // per thread, reused: the step is shared by the threads
    kept_indices(doc, kept);
    for (std::size_t k = 0; k < kept.size(); ++k) {
      std::size_t i = kept[k];
      const auto& b = doc.blocks[i];
      if (b.kind == BlockKind::k_title) {
        continue;
      }
      if (b.profile().words > 30) {
        continue;  // from the cached profile: a paragraph needs no shape
      }
      Shape s = shape_of(b);
      bool star = starts_with(b.text, "*") || starts_with(b.text, "\xE2\x80\x94 ");  // * or em dash
      bool near_end = k + 3 >= kept.size();
      RuleSet::Match m;
      // The shape first: the rules are matched only on a line that could be a credit.
      if (s.words <= 15 && (!s.ends_sentence || star) && rules_->match(s.key(), s.words, m, b.text) &&
          m.reason == reason::k_credit) {
        marks.drop(i, reason::k_credit, fmt::format("credit phrase \"{}\"", m.phrase));
      } else if (star && near_end && s.words <= 12 && !s.ends_question && b.text.find("\xC2\xAB") != std::string::npos) {
        marks.drop(i, reason::k_credit, "starred source line at the end");
      } else if (outlet_city_line(b.text, s)) {
        marks.drop(i, reason::k_credit, "outlet and place line");
      }
    }
  }

 private:
  std::shared_ptr<const RuleSet> rules_;
};

}  // namespace

std::unique_ptr<Step> make_credits_filter(std::shared_ptr<const RuleSet> rules) {
  return std::make_unique<CreditsFilter>(std::move(rules));
}

}  // namespace decruft::filters
