#include "html/metadata.h"

#include <simdjson.h>

#include <algorithm>
#include <array>

namespace decruft::html::detail {

namespace {

constexpr std::size_t k_max_json_ld = 4 * 1024 * 1024;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string collapse(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending = false;
  for (char c : s) {
    if (is_space(c)) {
      pending = true;
      continue;
    }
    if (pending && !out.empty()) {
      out += ' ';
    }
    pending = false;
    out += c;
  }
  return out;
}

std::string_view meta_value(const PageMeta& m, std::string_view key) {
  for (const auto& [k, v] : m.metas) {
    if (k == key && !v.empty()) {
      return v;
    }
  }
  return {};
}

std::string first_meta(const PageMeta& m, std::initializer_list<std::string_view> keys) {
  for (auto k : keys) {
    auto v = meta_value(m, k);
    if (!v.empty()) {
      return std::string(v);
    }
  }
  return {};
}

// What a JSON-LD object says, when its @type is an article (or a page, as a weaker fallback).
struct LdArticle {
  int rank = 0;  // 2: *Article / BlogPosting / Report, 1: WebPage and friends
  std::string headline;
  std::string body;
  std::string date;
  std::string author;
  std::string language;
  std::string url;
  std::string publisher;
  std::string description;
};

std::string string_of(simdjson::dom::element e) {
  std::string_view s;
  if (e.get_string().get(s) == simdjson::SUCCESS) {
    return collapse(s);
  }
  return {};
}

// A person or organisation: a string, {"name": ...} or an array of those (names joined).
std::string name_of(simdjson::dom::element e) {
  if (e.is_string()) {
    return string_of(e);
  }
  simdjson::dom::object o;
  if (e.get_object().get(o) == simdjson::SUCCESS) {
    simdjson::dom::element n;
    if (o.at_key("name").get(n) == simdjson::SUCCESS) {
      return string_of(n);
    }
    return {};
  }
  simdjson::dom::array a;
  if (e.get_array().get(a) == simdjson::SUCCESS) {
    std::string out;
    for (auto item : a) {
      std::string n = name_of(item);
      if (!n.empty()) {
        if (!out.empty()) {
          out += ", ";
        }
        out += n;
      }
      if (out.size() > 300) {
        break;
      }
    }
    return out;
  }
  return {};
}

int type_rank(simdjson::dom::element type) {
  auto rank_of = [](std::string_view t) {
    if (t.find("Article") != std::string_view::npos || t == "BlogPosting" || t == "Report" ||
        t == "SocialMediaPosting" || t == "LiveBlogPosting" || t == "Review") {
      return 2;
    }
    if (t == "WebPage" || t == "ItemPage" || t == "AboutPage") {
      return 1;
    }
    return 0;
  };
  std::string_view s;
  if (type.get_string().get(s) == simdjson::SUCCESS) {
    return rank_of(s);
  }
  simdjson::dom::array a;
  int best = 0;
  if (type.get_array().get(a) == simdjson::SUCCESS) {
    for (auto t : a) {
      if (t.get_string().get(s) == simdjson::SUCCESS) {
        best = std::max(best, rank_of(s));
      }
    }
  }
  return best;
}

void read_object(simdjson::dom::object o, int rank, LdArticle& out) {
  LdArticle a;
  a.rank = rank;
  for (auto field : o) {
    std::string_view k = field.key;
    if (k == "headline" || (k == "name" && a.headline.empty())) {
      a.headline = string_of(field.value);
    } else if (k == "articleBody" || k == "text" || k == "reviewBody") {
      std::string b = string_of(field.value);
      if (b.size() > a.body.size()) {
        a.body = std::move(b);
      }
    } else if (k == "datePublished" || (k == "dateCreated" && a.date.empty())) {
      a.date = string_of(field.value);
    } else if (k == "author" || (k == "creator" && a.author.empty())) {
      a.author = name_of(field.value);
    } else if (k == "inLanguage") {
      a.language = string_of(field.value);
    } else if (k == "url" || (k == "mainEntityOfPage" && a.url.empty())) {
      std::string u = string_of(field.value);
      if (u.empty()) {
        simdjson::dom::object m;
        simdjson::dom::element id;
        if (field.value.get_object().get(m) == simdjson::SUCCESS && m.at_key("@id").get(id) == simdjson::SUCCESS) {
          u = string_of(id);
        }
      }
      if (!u.empty()) {
        a.url = u;
      }
    } else if (k == "publisher") {
      a.publisher = name_of(field.value);
    } else if (k == "description") {
      a.description = string_of(field.value);
    }
  }
  // Keep the most article-like object; among equals, the one with the longest body.
  if (a.rank > out.rank || (a.rank == out.rank && a.body.size() > out.body.size())) {
    out = std::move(a);
  }
}

void read_json_ld(std::string_view text, simdjson::dom::parser& parser, LdArticle& best) {
  if (text.size() > k_max_json_ld) {
    return;
  }
  // Raw control characters inside strings are common in hand-written JSON-LD and make it
  // invalid JSON; they mean white space.
  std::string cleaned(text);
  for (char& c : cleaned) {
    if (static_cast<unsigned char>(c) < 0x20) {
      c = ' ';
    }
  }
  simdjson::dom::element root;
  if (parser.parse(cleaned).get(root) != simdjson::SUCCESS) {
    return;
  }
  std::vector<simdjson::dom::element> todo{root};
  std::size_t visited = 0;
  while (!todo.empty() && ++visited < 10000) {
    simdjson::dom::element e = todo.back();
    todo.pop_back();
    simdjson::dom::array arr;
    if (e.get_array().get(arr) == simdjson::SUCCESS) {
      for (auto item : arr) {
        todo.push_back(item);
      }
      continue;
    }
    simdjson::dom::object obj;
    if (e.get_object().get(obj) != simdjson::SUCCESS) {
      continue;
    }
    simdjson::dom::element type;
    if (obj.at_key("@type").get(type) == simdjson::SUCCESS) {
      int rank = type_rank(type);
      if (rank > 0) {
        read_object(obj, rank, best);
      }
    }
    simdjson::dom::element graph;
    if (obj.at_key("@graph").get(graph) == simdjson::SUCCESS) {
      todo.push_back(graph);
    }
    simdjson::dom::element main;
    if (obj.at_key("mainEntity").get(main) == simdjson::SUCCESS) {
      todo.push_back(main);
    }
  }
}

constexpr std::array<std::string_view, 9> k_separators{" | ", " - ", " – ", " — ", " :: ", " « ", " » ", " · ", " / "};

std::size_t count_words(std::string_view s) {
  std::size_t n = 0;
  bool in = false;
  for (char c : s) {
    bool sp = c == ' ';
    n += (!sp && !in) ? 1 : 0;
    in = !sp;
  }
  return n;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c + 32);
    }
  }
  return out;
}

}  // namespace

std::string trim_site_suffix(std::string_view title, std::string_view site_name) {
  std::string t = collapse(title);
  for (auto sep : k_separators) {
    std::size_t last = t.rfind(sep);
    if (last == std::string::npos) {
      continue;
    }
    std::string before = t.substr(0, last);
    std::string after = t.substr(last + sep.size());
    std::string site = lower_ascii(site_name);
    if (!site.empty() && lower_ascii(before).find(site) != std::string::npos &&
        lower_ascii(after).find(site) == std::string::npos && count_words(before) <= 4) {
      return after;  // "Site | Story title"
    }
    if (count_words(before) >= 3 || (!site.empty() && lower_ascii(after).find(site) != std::string::npos)) {
      return before;
    }
    std::size_t first = t.find(sep);
    std::string rest = t.substr(first + sep.size());
    if (count_words(rest) >= 3) {
      return rest;  // "Site - Story title"
    }
    return t;
  }
  return t;
}

ArticleMeta read_metadata(const Page& page, const std::vector<std::string>& json_ld) {
  const PageMeta& m = page.meta;
  ArticleMeta a;
  LdArticle ld;
  if (!json_ld.empty()) {
    simdjson::dom::parser parser;
    for (const auto& text : json_ld) {
      read_json_ld(text, parser, ld);
    }
  }
  a.site_name = first_meta(m, {"og:site_name", "application-name", "twitter:site"});
  if (a.site_name.empty()) {
    a.site_name = ld.publisher;
  }
  a.headline = ld.headline;
  a.article_body = ld.body;
  std::string og = first_meta(m, {"og:title", "twitter:title", "dc.title", "title"});
  if (!og.empty()) {
    a.title = trim_site_suffix(og, a.site_name);
    a.title_source = "og:title";
  } else if (!ld.headline.empty() && ld.rank == 2) {
    a.title = ld.headline;
    a.title_source = "headline";
  } else if (!m.first_h1.empty() && !m.title.empty() &&
             lower_ascii(m.title).find(lower_ascii(m.first_h1)) != std::string::npos) {
    a.title = m.first_h1;
    a.title_source = "h1";
  } else if (!m.title.empty()) {
    a.title = trim_site_suffix(m.title, a.site_name);
    a.title_source = "title";
  } else if (!m.first_h1.empty()) {
    a.title = m.first_h1;
    a.title_source = "h1";
  }
  if (a.title.size() > 1000) {
    a.title.resize(1000);
    while (!a.title.empty() && (static_cast<unsigned char>(a.title.back()) & 0xC0) == 0x80) {
      a.title.pop_back();
    }
    if (!a.title.empty() && static_cast<unsigned char>(a.title.back()) >= 0xC0) {
      a.title.pop_back();
    }
  }
  a.url = !m.canonical.empty() ? m.canonical : first_meta(m, {"og:url", "twitter:url"});
  if (a.url.empty()) {
    a.url = ld.url;
  }
  a.date = first_meta(m, {"article:published_time", "og:article:published_time", "datepublished", "date",
                          "pubdate", "publishdate", "publish-date", "dc.date", "dc.date.issued", "dcterms.date",
                          "dcterms.created", "sailthru.date", "parsely-pub-date", "article.published"});
  if (a.date.empty()) {
    a.date = !ld.date.empty() ? ld.date : m.time_datetime;
  }
  a.author = ld.author;
  if (a.author.empty()) {
    a.author = first_meta(m, {"author", "dc.creator", "parsely-author", "sailthru.author", "byl"});
  }
  if (a.author.empty()) {
    std::string art = first_meta(m, {"article:author"});
    if (art.rfind("http", 0) != 0) {
      a.author = art;
    }
  }
  if (a.author.empty()) {
    a.author = m.itemprop_author;
  }
  a.language = m.lang;
  if (a.language.empty()) {
    a.language = first_meta(m, {"content-language", "dc.language", "og:locale", "language"});
  }
  if (a.language.empty()) {
    a.language = ld.language;
  }
  a.description = first_meta(m, {"og:description", "description", "twitter:description"});
  if (a.description.empty()) {
    a.description = ld.description;
  }
  return a;
}

}  // namespace decruft::html::detail
