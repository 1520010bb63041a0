// Placeholder until the Gumbo extractor lands: one block per non-empty text line.
#include "html/extract.h"

#include "core/reasons.h"

namespace decruft::html {

bool looks_like_html(std::string_view bytes) {
  auto head = bytes.substr(0, 2048);
  for (std::string_view tag : {"<!DOCTYPE html", "<!doctype html", "<html", "<HTML", "<head", "<body"}) {
    if (head.find(tag) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

void extract(Document& doc, const HtmlOptions& /*options*/) {
  doc.error = "HTML extraction is not available in this build";
}

}  // namespace decruft::html
