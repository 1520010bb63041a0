// Phrase rules for the filters: per-language TOML files under filters/rules/, built into the
// binary, extendable at run time with --rules FILE.
//
// A rule file has one table per reason id; each lists phrases compared on match keys
// (text::match_key: diacritics, hamza forms, punctuation and case ignored):
//   [share]
//   exact    = ["شارك", "share"]         # the whole block is the phrase
//   prefix   = ["اقرأ أيضا", "read more"] # the block starts with it ...
//   contains = ["حمل تطبيق"]              # ... or contains it
//   max_words = 12                        # prefix/contains fire only on blocks this short
#pragma once

#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace decruft::filters {

struct EmbeddedRuleFile {
  std::string_view name;
  std::string_view content;
};
const std::vector<EmbeddedRuleFile>& embedded_rule_files();

struct PhraseRule {
  std::string reason;
  std::vector<std::string> exact;     // match keys
  std::vector<std::string> prefix;
  std::vector<bool> prefix_colon;     // written with a trailing ':' ("source:"): the block's text must
                                      // have the colon right after the phrase ("Source: AFP", not
                                      // "Source files ..."), which the match key cannot show
  std::vector<std::string> contains;
  std::size_t max_words = 12;
};

class RuleSet {
 public:
  // The built-in rules (every embedded file).
  static Result<RuleSet> builtin();
  // Adds the rules of one TOML text; `origin` names it in errors.
  Status add_toml(std::string_view toml_text, std::string_view origin);
  Status add_file(const std::string& path);

  struct Match {
    std::string reason;
    std::string phrase;  // the rule phrase that matched (evidence)
  };
  // The first rule that matches the block text (its match key and word count), if any. `text`,
  // the block's text, is needed for the prefixes written with a colon; without it (empty) they
  // match on the key alone.
  bool match(std::string_view key, std::size_t words, Match& out, std::string_view text = {}) const;
  const std::vector<PhraseRule>& rules() const { return rules_; }

 private:
  void index();

  std::vector<PhraseRule> rules_;
  // Every phrase under the hash of its first word, so a block is checked against the few phrases
  // that can match it, not all of them: one lookup per word of the block.
  struct Entry {
    std::uint32_t rule;
    std::uint32_t kind;    // 0 exact, 1 prefix, 2 contains: the order match() tries them
    std::uint32_t phrase;  // index in that list
  };
  // An open-addressed table of the distinct first-word hashes (a power of two, under half full;
  // empty slots hold 0, so a hash of 0 is stored as 1 — it only selects candidates, each checked
  // on its text), each with its run [begin, end) of entries_: one probe or two, no division by a
  // prime and no bucket list to follow, as the unordered_map had.
  struct Head {
    std::uint64_t hash = 0;
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
  };
  const Head* find_first_word(std::uint64_t hash) const;
  std::vector<Head> heads_;
  std::vector<Entry> entries_;
  // A prefilter bit per first word of a phrase (a cheap hash of the word's first bytes and length,
  // rules.cpp): most words of a block start no phrase, and this answers that without hashing the
  // word for the table.
  static constexpr std::size_t k_filter_bits = 1 << 14;
  std::bitset<k_filter_bits> first_words_;
  // The same for the first words of the contained phrases alone: past a key's first word only they
  // can match, and they are few, so most words stop at the bit.
  std::bitset<k_filter_bits> contains_first_words_;
  // The largest max_words of a rule with contained phrases: on a longer block only the first word
  // (exact phrases and prefixes) needs looking up, the rest of the key is not read.
  std::size_t contains_max_words_ = 0;
};

}  // namespace decruft::filters
