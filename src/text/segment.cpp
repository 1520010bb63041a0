// Placeholder; replaced by the ICU implementation.
#include "text/segment.h"

#include "core/step.h"

namespace decruft::text {

std::vector<std::string> split_sentences(std::string_view paragraph) { return {std::string(paragraph)}; }
std::vector<std::string> split_words(std::string_view text) { return {std::string(text)}; }

namespace {
class SentencesStep final : public Step {
 public:
  std::string_view name() const override { return "sentences"; }
  std::string_view description() const override { return "sentence segmentation (ICU)"; }
  void process(Document& doc) override {
    for (auto& b : doc.blocks) {
      if (b.kept()) {
        b.sentences = split_sentences(b.text);
      }
    }
  }
};
}  // namespace

std::unique_ptr<Step> make_sentences_step() { return std::make_unique<SentencesStep>(); }

}  // namespace decruft::text
