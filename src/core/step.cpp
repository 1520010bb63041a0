#include "core/step.h"

namespace decruft {

void Marks::drop(std::size_t i, std::string_view reason, std::string evidence) {
  auto& block = doc_.blocks.at(i);
  if (block.drop) {
    return;
  }
  block.drop = Drop{std::string(reason), std::string(step_), std::move(evidence)};
}

void Filter::process(Document& doc) {
  Marks marks(doc, name());
  classify(doc, marks);
}

}  // namespace decruft
