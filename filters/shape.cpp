#include "filters/shape.h"

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
// A '?' or '!' among the last four bytes, or a '؟' starting in the last six: byte loops over the
// tail (find_first_of called memchr once per byte of it, on every sentence-ending block).
bool ends_in_question_mark(std::string_view t) {
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
}  // namespace

Shape shape_of(const Block& block) {
  Shape s;
  const text::CharProfile& p = block.profile();
  std::string_view text = block.text;
  s.words = p.words;
  s.letters = p.letters;
  s.arabic_letters = p.arabic_letters;
  s.latin_letters = p.latin_letters;
  s.digits = p.digits;
  s.symbols = p.punctuation + p.symbols;
  s.ends_sentence = text::ends_sentence(text);
  std::string_view t = strip_icon_tail(text);
  s.ends_with_paren = !t.empty() && t.back() == ')';
  s.block = &block;
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
