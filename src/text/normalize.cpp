// Placeholder; replaced by the ICU implementation.
#include "text/normalize.h"

#include "core/step.h"

namespace decruft::text {

std::string normalize(std::string_view s, const NormalizeOptions& /*options*/) { return std::string(s); }

namespace {
class NormalizeStep final : public Step {
 public:
  explicit NormalizeStep(const NormalizeOptions& o) : options_(o) {}
  std::string_view name() const override { return "normalize"; }
  std::string_view description() const override { return "Unicode normalisation (ICU)"; }
  void process(Document& doc) override {
    for (auto& b : doc.blocks) {
      b.text = normalize(b.text, options_);
    }
  }

 private:
  NormalizeOptions options_;
};
}  // namespace

std::unique_ptr<Step> make_normalize_step(const NormalizeOptions& options) {
  return std::make_unique<NormalizeStep>(options);
}

}  // namespace decruft::text
