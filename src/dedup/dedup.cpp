// Placeholder; replaced by the MinHash/LSH implementation.
#include "dedup/dedup.h"

#include "core/step.h"

namespace decruft::dedup {
namespace {
class PassStep final : public Step {
 public:
  explicit PassStep(std::string_view n) : name_(n) {}
  std::string_view name() const override { return name_; }
  std::string_view description() const override { return "not implemented yet"; }
  void process(Document& /*doc*/) override {}

 private:
  std::string_view name_;
};
}  // namespace

std::unique_ptr<Step> make_exact_dedup_step(const DedupOptions&) { return std::make_unique<PassStep>("exact_dedup"); }
std::unique_ptr<Step> make_near_dedup_step(const DedupOptions&) { return std::make_unique<PassStep>("near_dedup"); }
std::unique_ptr<Step> make_paragraph_dedup_step(const DedupOptions&) {
  return std::make_unique<PassStep>("paragraph_dedup");
}
}  // namespace decruft::dedup
