// Internal to src/html: page metadata from <head>, microdata and JSON-LD.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "html/dom.h"

namespace decruft::html::detail {

struct ArticleMeta {
  std::string title;         // chosen: og:title, JSON-LD headline, h1, <title> without the site suffix
  std::string title_source;  // "og:title", "headline", "h1", "title"
  std::string site_name;
  std::string url;
  std::string date;
  std::string author;
  std::string language;
  std::string description;
  std::string headline;      // JSON-LD headline
  std::string article_body;  // JSON-LD articleBody, white space collapsed
};

ArticleMeta read_metadata(const Page& page, const std::vector<std::string>& json_ld);

// "Story title | Site" -> "Story title" (the part that is not the site's name).
std::string trim_site_suffix(std::string_view title, std::string_view site_name);

}  // namespace decruft::html::detail
