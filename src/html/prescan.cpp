#include "html/prescan.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <unordered_map>

namespace decruft::html::detail {

namespace {

constexpr std::size_t k_charset_window = 32 * 1024;
// How far down the open-element stack an end tag looks for its start tag; bounded so a page of
// stray end tags stays linear.
constexpr std::size_t k_end_tag_search = 64;

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool is_name_char(char c) { return !is_space(c) && c != '/' && c != '>' && c != '\0'; }

// Lower-cased tag name, truncated: only short names matter to us.
struct TagName {
  std::array<char, 16> buf{};
  std::size_t len = 0;
  std::size_t full_len = 0;
  std::string_view view() const { return {buf.data(), len}; }
  bool is(std::string_view n) const { return full_len == len && view() == n; }
};

TagName read_name(std::string_view s, std::size_t& i) {
  TagName t;
  while (i < s.size() && is_name_char(s[i])) {
    if (t.len < t.buf.size()) {
      t.buf[t.len++] = lower(s[i]);
    }
    ++t.full_len;
    ++i;
  }
  return t;
}

std::uint32_t name_hash(const TagName& t) {
  std::uint32_t h = 2166136261u;
  for (char c : t.view()) {
    h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  }
  return h ^ static_cast<std::uint32_t>(t.full_len);
}

// Index of the '>' closing a tag whose attributes start at i, honouring quoted attribute
// values; npos when the tag never closes.
std::size_t tag_end(std::string_view s, std::size_t i) {
  while (i < s.size()) {
    const char* p = static_cast<const char*>(std::memchr(s.data() + i, '>', s.size() - i));
    if (p == nullptr) {
      return std::string_view::npos;
    }
    const char* q = static_cast<const char*>(std::memchr(s.data() + i, '=', static_cast<std::size_t>(p - (s.data() + i))));
    if (q == nullptr) {
      return static_cast<std::size_t>(p - s.data());
    }
    i = static_cast<std::size_t>(q - s.data()) + 1;
    while (i < s.size() && is_space(s[i])) {
      ++i;
    }
    if (i < s.size() && (s[i] == '"' || s[i] == '\'')) {
      std::size_t close = s.find(s[i], i + 1);
      if (close == std::string_view::npos) {
        return std::string_view::npos;
      }
      i = close + 1;
    }
  }
  return std::string_view::npos;
}

bool in_list(std::string_view name, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

// Elements whose whole content is dropped. Raw-text ones end at the first matching end tag (or
// the end of the page, as in a browser); the others may nest and end at the balancing end tag.
bool raw_text_removed(std::string_view n) {
  return in_list(n, {"script", "style", "noscript", "iframe", "noembed", "noframes", "xmp"});
}
bool element_removed(std::string_view n) {
  return in_list(n, {"svg", "math", "template", "select", "button", "canvas", "audio", "video", "object"});
}
// Tags dropped on their own (void, and of no use to the extractor).
bool tag_removed(std::string_view n) { return in_list(n, {"img", "input", "source", "track", "wbr", "picture"}); }
// Tags whose attributes are all kept (metadata lives there): <meta>, <link>, <html>, <time>.
bool keeps_all_attributes(std::string_view n) { return in_list(n, {"meta", "link", "html", "time", "base", "body"}); }

enum class AttrUse { k_keep, k_drop, k_name_only, k_style };

// What the extractor reads of an attribute on an ordinary element.
AttrUse attribute_use(std::string_view name) {
  auto is = [&](std::string_view want) {
    if (name.size() != want.size()) {
      return false;
    }
    for (std::size_t k = 0; k < want.size(); ++k) {
      if (lower(name[k]) != want[k]) {
        return false;
      }
    }
    return true;
  };
  if (is("class") || is("id") || is("role") || is("itemprop") || is("hidden") || is("content") ||
      is("datetime") || is("lang")) {
    return AttrUse::k_keep;
  }
  if (is("href")) {
    return AttrUse::k_name_only;
  }
  if (is("style")) {
    return AttrUse::k_style;
  }
  return AttrUse::k_drop;
}

// RCDATA: copied verbatim, '<' inside is text.
bool rcdata(std::string_view n) { return in_list(n, {"title", "textarea"}); }
// Elements that do not count towards the depth: void ones, and ones the tree builder closes
// implicitly so that unclosed uses do not nest.
bool depth_neutral(std::string_view n) {
  return in_list(n, {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                     "track", "wbr", "keygen", "basefont", "bgsound", "frame", "p", "li", "dt", "dd", "option",
                     "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "rb", "rt", "rtc", "rp", "colgroup",
                     "caption", "html", "head", "body", "!doctype"});
}

// Finds the end of element `name` whose start tag ended before `from`: returns the index just
// past its end tag's '>', or npos. With `nested`, inner start tags of the same name count.
std::size_t element_close(std::string_view s, std::size_t from, std::string_view name, bool nested) {
  int depth = 1;
  std::size_t i = from;
  while (i < s.size()) {
    const char* p = static_cast<const char*>(std::memchr(s.data() + i, '<', s.size() - i));
    if (p == nullptr) {
      return std::string_view::npos;
    }
    i = static_cast<std::size_t>(p - s.data()) + 1;
    bool end = i < s.size() && s[i] == '/';
    std::size_t k = end ? i + 1 : i;
    if (k + name.size() > s.size()) {
      return std::string_view::npos;
    }
    bool match = true;
    for (std::size_t j = 0; j < name.size(); ++j) {
      if (lower(s[k + j]) != name[j]) {
        match = false;
        break;
      }
    }
    if (!match || (k + name.size() < s.size() && is_name_char(s[k + name.size()]))) {
      continue;
    }
    if (end) {
      if (--depth == 0) {
        std::size_t gt = s.find('>', k + name.size());
        return gt == std::string_view::npos ? s.size() : gt + 1;
      }
    } else if (nested) {
      std::size_t gt = tag_end(s, k + name.size());
      if (gt == std::string_view::npos) {
        return std::string_view::npos;
      }
      if (s[gt - 1] != '/') {
        ++depth;
      }
      i = gt + 1;
    }
  }
  return std::string_view::npos;
}

class Scanner {
 public:
  explicit Scanner(std::string_view s, Prescan& out) : s_(s), out_(out) {
    out_.html.reserve(s.size() / 2 + 64);
    stack_.reserve(k_max_depth);
  }

  void run() {
    std::size_t i = 0;
    while (i < s_.size()) {
      const char* p = static_cast<const char*>(std::memchr(s_.data() + i, '<', s_.size() - i));
      if (p == nullptr) {
        break;
      }
      std::size_t lt = static_cast<std::size_t>(p - s_.data());
      i = handle(lt);
    }
    flush(s_.size());
  }

 private:
  // Copies the pending run up to `end` into the output.
  void flush(std::size_t end) {
    if (end > copy_from_) {
      out_.runs.emplace_back(out_.html.size(), copy_from_);
      out_.html.append(s_.data() + copy_from_, end - copy_from_);
    }
    copy_from_ = end;
  }
  void remove(std::size_t begin, std::size_t end) {
    flush(begin);
    out_.removed_bytes += end - begin;
    copy_from_ = end;
  }

  // Handles the markup starting at s_[lt] == '<'; returns where scanning continues.
  std::size_t handle(std::size_t lt) {
    std::size_t i = lt + 1;
    if (i >= s_.size()) {
      return i;
    }
    char c = s_[i];
    if (c == '!') {
      if (s_.compare(i, 3, "!--") == 0) {
        std::size_t close = s_.find("-->", i + 3);
        std::size_t end = close == std::string_view::npos ? s_.size() : close + 3;
        if (s_.compare(i, 4, "!-->") == 0) {
          end = i + 4;
        }
        remove(lt, end);
        return end;
      }
      std::size_t gt = s_.find('>', i);
      return gt == std::string_view::npos ? s_.size() : gt + 1;
    }
    if (c == '?') {
      std::size_t gt = s_.find('>', i);
      std::size_t end = gt == std::string_view::npos ? s_.size() : gt + 1;
      remove(lt, end);
      return end;
    }
    if (c == '/') {
      if (i + 1 < s_.size() && is_alpha(s_[i + 1])) {
        return end_tag(lt, i + 1);
      }
      return i;
    }
    if (is_alpha(c)) {
      return start_tag(lt, i);
    }
    return i;
  }

  std::size_t end_tag(std::size_t lt, std::size_t name_at) {
    std::size_t i = name_at;
    TagName name = read_name(s_, i);
    std::size_t gt = tag_end(s_, i);
    std::size_t end = gt == std::string_view::npos ? s_.size() : gt + 1;
    std::string_view n = name.view();
    if (depth_neutral(n) || name.full_len != name.len) {
      return end;
    }
    std::uint32_t h = name_hash(name);
    auto over = overflow_.find(h);
    if (over != overflow_.end() && over->second > 0) {
      --over->second;
      ++out_.capped_tags;
      remove(lt, end);
      return end;
    }
    std::size_t lowest = stack_.size() > k_end_tag_search ? stack_.size() - k_end_tag_search : 0;
    for (std::size_t k = stack_.size(); k > lowest; --k) {
      if (stack_[k - 1] == h) {
        stack_.resize(k - 1);
        break;
      }
    }
    return end;
  }

  std::size_t start_tag(std::size_t lt, std::size_t name_at) {
    std::size_t i = name_at;
    TagName name = read_name(s_, i);
    std::size_t gt = tag_end(s_, i);
    if (gt == std::string_view::npos) {
      // An unterminated tag swallows the rest of the page in any HTML parser.
      return s_.size();
    }
    std::size_t end = gt + 1;
    std::string_view n = name.view();
    bool exact = name.full_len == name.len;
    bool self_closing = s_[gt - 1] == '/';
    if (exact && raw_text_removed(n)) {
      std::size_t close = element_close(s_, end, n, false);
      std::size_t stop = close == std::string_view::npos ? s_.size() : close;
      if (n == "script" && find_nocase(s_.substr(lt, end - lt), "ld+json") != std::string_view::npos) {
        std::size_t body_end = close == std::string_view::npos ? s_.size() : s_.rfind('<', close - 1);
        if (body_end != std::string_view::npos && body_end >= end) {
          out_.json_ld.emplace_back(s_.substr(end, body_end - end));
        }
      }
      remove(lt, stop);
      return stop;
    }
    if (exact && element_removed(n)) {
      if (self_closing) {
        remove(lt, end);
        return end;
      }
      std::size_t close = element_close(s_, end, n, true);
      if (close == std::string_view::npos) {
        remove(lt, end);
        return end;
      }
      remove(lt, close);
      return close;
    }
    if (exact && tag_removed(n)) {
      remove(lt, end);
      return end;
    }
    if (exact && rcdata(n)) {
      std::size_t close = element_close(s_, end, n, false);
      return close == std::string_view::npos ? s_.size() : close;
    }
    std::uint32_t h = name_hash(name);
    if (!depth_neutral(n) || !exact) {
      if (stack_.size() >= k_max_depth) {
        ++overflow_[h];
        ++out_.capped_tags;
        remove(lt, end);
        return end;
      }
      stack_.push_back(h);
    }
    if (!(exact && keeps_all_attributes(n)) && gt > i) {
      rewrite_attributes(lt, i, gt);
    }
    return end;
  }

  // Gumbo's tokenizer pays per byte, and most attribute bytes (src, srcset, data-*, on*,
  // href values, inline styles) mean nothing to the extractor: the tag is re-emitted with only
  // the attributes the extractor reads. `attrs` is where the attributes start, `gt` the '>'.
  void rewrite_attributes(std::size_t lt, std::size_t attrs, std::size_t gt) {
    std::string& out = out_.html;
    std::size_t before = out.size();
    flush(lt);
    std::size_t tag_start = out.size();
    (void)before;
    out.append(s_.data() + lt, attrs - lt);
    bool changed = false;
    std::size_t i = attrs;
    while (i < gt) {
      while (i < gt && (is_space(s_[i]) || s_[i] == '/')) {
        ++i;
      }
      if (i >= gt) {
        break;
      }
      std::size_t name_begin = i;
      while (i < gt && !is_space(s_[i]) && s_[i] != '=' && s_[i] != '>' && s_[i] != '/') {
        ++i;
      }
      std::string_view attr_name = s_.substr(name_begin, i - name_begin);
      std::size_t j = i;
      while (j < gt && is_space(s_[j])) {
        ++j;
      }
      std::size_t value_begin = std::string_view::npos;
      std::size_t value_end = std::string_view::npos;
      std::size_t attr_end = i;
      if (j < gt && s_[j] == '=') {
        ++j;
        while (j < gt && is_space(s_[j])) {
          ++j;
        }
        if (j < gt && (s_[j] == '"' || s_[j] == '\'')) {
          std::size_t close = s_.find(s_[j], j + 1);
          if (close == std::string_view::npos || close > gt) {
            close = gt;
          }
          value_begin = j + 1;
          value_end = close;
          attr_end = close < gt ? close + 1 : gt;
        } else {
          value_begin = j;
          while (j < gt && !is_space(s_[j])) {
            ++j;
          }
          value_end = j;
          attr_end = j;
        }
      }
      i = std::max(attr_end, i + (attr_name.empty() ? 1 : 0));
      AttrUse use = attribute_use(attr_name);
      std::string_view value =
          value_begin == std::string_view::npos ? std::string_view{} : s_.substr(value_begin, value_end - value_begin);
      if (use == AttrUse::k_style) {
        use = (find_nocase(value, "none") != std::string_view::npos ||
               find_nocase(value, "hidden") != std::string_view::npos)
                  ? AttrUse::k_keep
                  : AttrUse::k_drop;
      }
      if (use == AttrUse::k_drop) {
        changed = true;
        continue;
      }
      out += ' ';
      if (use == AttrUse::k_name_only) {
        out.append(attr_name);
        changed = changed || value_begin != std::string_view::npos;
        continue;
      }
      out.append(s_.data() + name_begin, attr_end - name_begin);
    }
    if (s_[gt - 1] == '/') {
      out += '/';
    }
    out += '>';
    (void)changed;
    (void)tag_start;
    copy_from_ = gt + 1;
  }

  std::string_view s_;
  Prescan& out_;
  std::size_t copy_from_ = 0;
  std::vector<std::uint32_t> stack_;
  std::unordered_map<std::uint32_t, std::size_t> overflow_;
};

}  // namespace

std::size_t find_nocase(std::string_view hay, std::string_view needle, std::size_t from) {
  if (needle.empty()) {
    return from <= hay.size() ? from : std::string_view::npos;
  }
  char first_lo = lower(needle[0]);
  char first_up = (first_lo >= 'a' && first_lo <= 'z') ? static_cast<char>(first_lo - 32) : first_lo;
  for (std::size_t i = from; i + needle.size() <= hay.size(); ++i) {
    if (hay[i] != first_lo && hay[i] != first_up) {
      continue;
    }
    bool ok = true;
    for (std::size_t k = 1; k < needle.size(); ++k) {
      if (lower(hay[i + k]) != lower(needle[k])) {
        ok = false;
        break;
      }
    }
    if (ok) {
      return i;
    }
  }
  return std::string_view::npos;
}

std::size_t Prescan::to_source(std::size_t offset) const {
  auto it = std::upper_bound(runs.begin(), runs.end(), offset,
                             [](std::size_t off, const auto& run) { return off < run.first; });
  if (it == runs.begin()) {
    return offset;
  }
  --it;
  return it->second + (offset - it->first);
}

Prescan prescan(std::string_view page) {
  Prescan out;
  Scanner(page, out).run();
  return out;
}

std::string declared_charset(std::string_view page) {
  std::string_view head = page.substr(0, k_charset_window);
  auto read_value = [&](std::size_t i, std::size_t limit) -> std::string {
    while (i < limit && (is_space(head[i]) || head[i] == '=' || head[i] == '"' || head[i] == '\'')) {
      ++i;
    }
    std::size_t b = i;
    while (i < limit && (is_alpha(head[i]) || (head[i] >= '0' && head[i] <= '9') || head[i] == '-' ||
                         head[i] == '_' || head[i] == '.' || head[i] == ':')) {
      ++i;
    }
    return std::string(head.substr(b, i - b));
  };
  if (head.substr(0, 5) == "<?xml") {
    std::size_t gt = head.find("?>");
    std::size_t enc = find_nocase(head.substr(0, gt), "encoding");
    if (enc != std::string_view::npos) {
      std::string v = read_value(enc + 8, gt);
      if (!v.empty()) {
        return v;
      }
    }
  }
  for (std::size_t m = find_nocase(head, "<meta"); m != std::string_view::npos; m = find_nocase(head, "<meta", m + 5)) {
    std::size_t gt = head.find('>', m);
    std::size_t limit = gt == std::string_view::npos ? head.size() : gt;
    std::size_t cs = find_nocase(head.substr(0, limit), "charset", m);
    if (cs == std::string_view::npos) {
      continue;
    }
    std::size_t i = cs + 7;
    while (i < limit && is_space(head[i])) {
      ++i;
    }
    if (i < limit && head[i] == '=') {
      std::string v = read_value(i, limit);
      if (!v.empty()) {
        return v;
      }
    }
  }
  return {};
}

}  // namespace decruft::html::detail
