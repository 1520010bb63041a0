#include "filters/shape.h"

#include <cstdint>
#include <cstring>

#include "text/chars.h"
#include "text/key.h"

namespace decruft::filters {

namespace {
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// Drops trailing icon names that scrapers pick up from <svg>/<i> elements.
std::string_view strip_icon_tail(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.back() < 'a' || s.back() > 'z') {
    return s;  // every icon name ends in a lower-case letter: most lines need no comparison
  }
  for (std::string_view icon : {"play-circle", "play", "camera", "video", "gallery", "photo"}) {
    if (s.size() > icon.size() && s.substr(s.size() - icon.size()) == icon &&
        (s[s.size() - icon.size() - 1] == ' ' || s[s.size() - icon.size() - 1] == ')')) {
      s.remove_suffix(icon.size());
      s = trim(s);
    }
  }
  return s;
}
// A '?' or '!' among the last four bytes, or a '؟' starting in the last six. On a text of eight
// bytes or more, one load of the last eight and exact byte compares on it (every sentence-ending
// block asks, and the byte loops were half of shape_of); shorter ones take the byte loops.
bool ends_in_question_mark(std::string_view t) {
  if (t.size() >= 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, t.data() + t.size() - 8, 8);  // byte j (the low byte first) is t[size - 8 + j]
    const auto equal = [w](unsigned char c) {  // the high bit of every byte of w equal to c, no carries
      const std::uint64_t x = w ^ (0x0101010101010101ull * c);
      const std::uint64_t low7 = 0x7F7F7F7F7F7F7F7Full;
      return ~(((x & low7) + low7) | x | low7);
    };
    const std::uint64_t marks = (equal('?') | equal('!')) & 0x8080808000000000ull;  // bytes 4..7
    // A lead 0xD8 at byte j (2..6) with 0x9F at byte j + 1.
    const std::uint64_t arabic = equal(0xD8) & (equal(0x9F) >> 8) & 0x0080808080800000ull;
    return (marks | arabic) != 0;
  }
  for (std::size_t i = t.size() > 4 ? t.size() - 4 : 0; i < t.size(); ++i) {
    if (t[i] == '?' || t[i] == '!') {
      return true;
    }
  }
  for (std::size_t i = t.size() > 6 ? t.size() - 6 : 0; i + 1 < t.size(); ++i) {
    if (t[i] == '\xD8' && t[i + 1] == '\x9F') {  // ؟
      return true;
    }
  }
  return false;
}

// text::ends_sentence, answered from the last one or two bytes where they settle it: an ASCII
// byte other than a space, a quote or a closing bracket is the last character, and so is a
// two-byte character of the Arabic block U+0600-06FF (none of them a space or a quote). Only
// other endings call the ICU-backed walk (most blocks end in a letter, '.' or an Arabic letter).
bool ends_sentence(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  const auto last = static_cast<unsigned char>(text.back());
  if (last < 0x80) {
    const bool walk = (last >= '\t' && last <= '\r') || last == ' ' || last == '"' || last == '\'' ||
                      last == ')' || last == ']';
    if (!walk) {
      return last == '.' || last == '!' || last == '?';
    }
  } else if (last < 0xC0 && text.size() >= 2) {
    const auto lead = static_cast<unsigned char>(text[text.size() - 2]);
    if (lead >= 0xD8 && lead <= 0xDB) {
      const unsigned cp = ((lead & 0x1Fu) << 6) | (last & 0x3Fu);
      return cp == 0x061F || cp == 0x06D4;  // ؟ ۔
    }
  }
  return text::ends_sentence(text);
}

// strip_icon_tail only changes the end of a line that ends in a space, a tab or a lower-case
// letter; shape_of reads nothing but the end of it.
bool may_strip_tail(std::string_view s) {
  const char c = s.empty() ? ' ' : s.back();
  return c == ' ' || c == '\t' || (c >= 'a' && c <= 'z');
}
}  // namespace

Shape shape_counts(const Block& block) {
  Shape s;
  const text::CharProfile& p = block.profile();
  s.words = p.words;
  s.letters = p.letters;
  s.arabic_letters = p.arabic_letters;
  s.latin_letters = p.latin_letters;
  s.digits = p.digits;
  s.symbols = p.punctuation + p.symbols;
  s.block = &block;
  return s;
}

Shape shape_of(const Block& block) {
  Shape s = shape_counts(block);
  std::string_view text = block.text;
  s.ends_sentence = ends_sentence(text);
  // Leading spaces that strip_icon_tail would trim change neither the last byte nor the question
  // test (they are no '?', '!' or '؟'), so a text with nothing to strip at the end is taken as is.
  std::string_view t = may_strip_tail(text) ? strip_icon_tail(text) : text;
  s.ends_with_paren = !t.empty() && t.back() == ')';
  s.ends_question = s.ends_sentence && ends_in_question_mark(t);
  return s;
}

std::vector<Shape> shapes_of(const Document& doc) {
  std::vector<Shape> out;
  out.reserve(doc.blocks.size());
  for (const auto& b : doc.blocks) {
    out.push_back(shape_of(b));
  }
  return out;
}

std::string_view trailing_parenthetical(std::string_view text) {
  std::string_view s = strip_icon_tail(text);
  if (s.empty() || s.back() != ')') {
    return {};
  }
  int depth = 0;
  for (std::size_t i = s.size(); i-- > 0;) {
    if (s[i] == ')') {
      ++depth;
    } else if (s[i] == '(') {
      if (--depth == 0) {
        return trim(s.substr(i + 1, s.size() - i - 2));
      }
    }
  }
  return {};
}

bool starts_as_list_item(std::string_view text) {
  unsigned char c = text.empty() ? 0 : static_cast<unsigned char>(text[0]);
  return c == '-' || c == '*' || (c >= '0' && c <= '9') || text.rfind("\xE2\x80\xA2", 0) == 0;
}

std::vector<std::size_t> kept_indices(const Document& doc) {
  std::vector<std::size_t> out;
  kept_indices(doc, out);
  return out;
}

void kept_indices(const Document& doc, std::vector<std::size_t>& out) {
  out.clear();
  for (std::size_t i = 0; i < doc.blocks.size(); ++i) {
    if (doc.blocks[i].kept()) {
      out.push_back(i);
    }
  }
}

}  // namespace decruft::filters
