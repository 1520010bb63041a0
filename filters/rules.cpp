#include "filters/rules.h"

#include <fmt/format.h>

#include <toml++/toml.h>

#include "core/reasons.h"
#include "io/input.h"
#include "text/key.h"

namespace decruft::filters {

namespace {
bool starts_with_word(std::string_view key, std::string_view phrase) {
  return key.size() >= phrase.size() && key.substr(0, phrase.size()) == phrase &&
         (key.size() == phrase.size() || key[phrase.size()] == ' ');
}

bool contains_words(std::string_view key, std::string_view phrase) {
  std::size_t pos = key.find(phrase);
  while (pos != std::string_view::npos) {
    bool left = pos == 0 || key[pos - 1] == ' ';
    bool right = pos + phrase.size() == key.size() || key[pos + phrase.size()] == ' ';
    if (left && right) {
      return true;
    }
    pos = key.find(phrase, pos + 1);
  }
  return false;
}
}  // namespace

Result<RuleSet> RuleSet::builtin() {
  RuleSet set;
  for (const auto& f : embedded_rule_files()) {
    if (f.name.size() < 5 || f.name.substr(f.name.size() - 5) != ".toml") {
      continue;  // data files (idf.tsv) are read by their users
    }
    if (Status s = set.add_toml(f.content, f.name); !s) {
      return s;
    }
  }
  return set;
}

Status RuleSet::add_toml(std::string_view toml_text, std::string_view origin) {
  toml::table table;
  try {
    table = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    return Status::error(fmt::format("{}:{}: {}", origin, e.source().begin.line, e.description()));
  }
  for (const auto& [section, node] : table) {
    std::string reason(section.str());
    if (reason == "language" || reason == "description") {
      continue;
    }
    const toml::table* t = node.as_table();
    if (t == nullptr) {
      return Status::error(fmt::format("{}: '{}' must be a table of phrase lists", origin, reason));
    }
    if (!is_known_reason(reason)) {
      return Status::error(fmt::format("{}: unknown reason id '{}'", origin, reason));
    }
    PhraseRule rule;
    rule.reason = reason;
    for (auto [field, list] : std::initializer_list<std::pair<const char*, std::vector<std::string>*>>{
             {"exact", &rule.exact}, {"prefix", &rule.prefix}, {"contains", &rule.contains}}) {
      const toml::node* n = t->get(field);
      if (n == nullptr) {
        continue;
      }
      const toml::array* arr = n->as_array();
      if (arr == nullptr) {
        return Status::error(fmt::format("{}: [{}].{} must be an array of strings", origin, reason, field));
      }
      for (const auto& item : *arr) {
        auto v = item.value<std::string>();
        if (!v) {
          return Status::error(fmt::format("{}: [{}].{} must hold strings only", origin, reason, field));
        }
        std::string key = text::match_key(*v);
        if (!key.empty()) {
          list->push_back(std::move(key));
        }
      }
    }
    if (auto mw = t->get("max_words"); mw != nullptr) {
      auto v = mw->value<std::int64_t>();
      if (!v || *v < 1) {
        return Status::error(fmt::format("{}: [{}].max_words must be a positive integer", origin, reason));
      }
      rule.max_words = static_cast<std::size_t>(*v);
    }
    rules_.push_back(std::move(rule));
  }
  return {};
}

Status RuleSet::add_file(const std::string& path) {
  auto data = io::read_file(path);
  if (!data) {
    return data.status();
  }
  return add_toml(*data, path);
}

bool RuleSet::match(std::string_view key, std::size_t words, Match& out) const {
  if (key.empty()) {
    return false;
  }
  for (const auto& r : rules_) {
    for (const auto& p : r.exact) {
      if (key == p) {
        out = {r.reason, p};
        return true;
      }
    }
    if (words > r.max_words) {
      continue;
    }
    for (const auto& p : r.prefix) {
      if (starts_with_word(key, p)) {
        out = {r.reason, p};
        return true;
      }
    }
    for (const auto& p : r.contains) {
      if (contains_words(key, p)) {
        out = {r.reason, p};
        return true;
      }
    }
  }
  return false;
}

}  // namespace decruft::filters
