#include "text/charset.h"

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/utypes.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>

#include <fmt/format.h>

#include "text/utf8.h"

namespace decruft::text {

namespace {

// ICU's detector reads at most about 8 KB of text after its markup filter; a window that starts
// just before the first non-ASCII byte gives it the part of the page that tells charsets apart.
constexpr std::size_t k_detect_window = 64 * 1024;
constexpr std::size_t k_detect_lead = 512;
// Below this confidence a detector guess does not override anything.
constexpr int k_min_detect_confidence = 30;
// A declaration is overridden only when the detector prefers another charset by this margin.
constexpr int k_override_margin = 35;

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

struct DetectorDeleter {
  void operator()(UCharsetDetector* d) const { ucsdet_close(d); }
};
struct ConverterDeleter {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using DetectorPtr = std::unique_ptr<UCharsetDetector, DetectorDeleter>;
using ConverterPtr = std::unique_ptr<UConverter, ConverterDeleter>;

std::string_view detect_window(std::string_view bytes) {
  std::size_t first_high = 0;
  while (first_high < bytes.size() && static_cast<unsigned char>(bytes[first_high]) < 0x80) {
    ++first_high;
  }
  if (first_high == bytes.size()) {
    first_high = 0;
  }
  std::size_t begin = first_high > k_detect_lead ? first_high - k_detect_lead : 0;
  return bytes.substr(begin, k_detect_window);
}

struct Candidates {
  CharsetGuess top;
  int declared_confidence = -1;  // -1: the declared charset is not among ICU's matches
};

// Runs the detector once and reports its best guess and its confidence in `declared`.
Candidates detect_all(std::string_view bytes, bool markup, std::string_view declared) {
  Candidates out;
  UErrorCode status = U_ZERO_ERROR;
  DetectorPtr det(ucsdet_open(&status));
  if (U_FAILURE(status)) {
    return out;
  }
  std::string_view window = detect_window(bytes);
  ucsdet_enableInputFilter(det.get(), markup ? 1 : 0);
  ucsdet_setText(det.get(), window.data(), static_cast<int32_t>(window.size()), &status);
  if (U_FAILURE(status)) {
    return out;
  }
  int32_t found = 0;
  const UCharsetMatch** matches = ucsdet_detectAll(det.get(), &found, &status);
  if (U_FAILURE(status) || matches == nullptr) {
    return out;
  }
  for (int32_t i = 0; i < found; ++i) {
    UErrorCode s = U_ZERO_ERROR;
    const char* name = ucsdet_getName(matches[i], &s);
    int32_t conf = ucsdet_getConfidence(matches[i], &s);
    if (U_FAILURE(s) || name == nullptr) {
      continue;
    }
    std::string canon = canonical_charset(name);
    if (i == 0) {
      out.top = CharsetGuess{canon, conf};
    }
    if (!declared.empty() && canon == declared && out.declared_confidence < conf) {
      out.declared_confidence = conf;
    }
  }
  return out;
}

bool is_utf8_name(std::string_view canon) { return canon == "UTF-8"; }

bool has_non_ascii(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

std::size_t count_replacements(std::string_view utf8) {
  std::size_t n = 0;
  for (std::size_t pos = utf8.find("\xEF\xBF\xBD"); pos != std::string_view::npos;
       pos = utf8.find("\xEF\xBF\xBD", pos + 3)) {
    ++n;
  }
  return n;
}

struct Bom {
  const char* charset;
  std::size_t length;
};

Bom sniff_bom(std::string_view b) {
  auto at = [&](std::size_t i) { return static_cast<unsigned char>(b[i]); };
  if (b.size() >= 4 && at(0) == 0xFF && at(1) == 0xFE && at(2) == 0 && at(3) == 0) {
    return {"UTF-32LE", 4};
  }
  if (b.size() >= 4 && at(0) == 0 && at(1) == 0 && at(2) == 0xFE && at(3) == 0xFF) {
    return {"UTF-32BE", 4};
  }
  if (b.size() >= 3 && at(0) == 0xEF && at(1) == 0xBB && at(2) == 0xBF) {
    return {"UTF-8", 3};
  }
  if (b.size() >= 2 && at(0) == 0xFF && at(1) == 0xFE) {
    return {"UTF-16LE", 2};
  }
  if (b.size() >= 2 && at(0) == 0xFE && at(1) == 0xFF) {
    return {"UTF-16BE", 2};
  }
  return {nullptr, 0};
}

Decoded from_utf8(std::string_view bytes, std::string how) {
  Decoded d;
  d.charset = "UTF-8";
  d.how = std::move(how);
  if (is_valid_utf8(bytes)) {
    d.text.assign(bytes);
  } else {
    auto r = repair_utf8(bytes);
    d.text = std::move(r.text);
    d.replaced = r.invalid_sequences;
  }
  return d;
}

// Share of the non-ASCII sequences that are valid UTF-8: a UTF-8 page with a few corrupt bytes
// stays UTF-8 (repaired), a legacy page has almost no valid multi-byte sequences.
bool mostly_utf8(std::string_view bytes) {
  std::size_t valid = 0;
  std::size_t invalid = 0;
  std::size_t i = 0;
  while (i < bytes.size()) {
    auto c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    bool ok = len > 0 && i + len <= bytes.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      ok = (static_cast<unsigned char>(bytes[i + k]) & 0xC0) == 0x80;
    }
    if (ok) {
      ++valid;
      i += len;
    } else {
      ++invalid;
      ++i;
    }
  }
  return valid >= 8 && valid >= invalid * 10;
}

}  // namespace

std::string canonical_charset(std::string_view label) {
  std::string l = lower_ascii(label);
  // Trim quotes and spaces a sloppy declaration may carry.
  while (!l.empty() && (l.back() == ' ' || l.back() == '"' || l.back() == '\'' || l.back() == ';')) {
    l.pop_back();
  }
  std::size_t b = 0;
  while (b < l.size() && (l[b] == ' ' || l[b] == '"' || l[b] == '\'')) {
    ++b;
  }
  l.erase(0, b);
  if (l.empty()) {
    return {};
  }
  // WHATWG label mapping where it differs from ICU's own alias table.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> k_whatwg{{
      {"iso-8859-1", "windows-1252"}, {"iso8859-1", "windows-1252"}, {"latin1", "windows-1252"},
      {"l1", "windows-1252"}, {"us-ascii", "windows-1252"}, {"ascii", "windows-1252"},
      {"iso-8859-9", "windows-1254"}, {"latin5", "windows-1254"}, {"tis-620", "windows-874"},
      {"iso-8859-11", "windows-874"}, {"gb2312", "GB18030"}, {"gbk", "GB18030"},
      {"x-gbk", "GB18030"}, {"euc-kr", "windows-949"}, {"ks_c_5601-1987", "windows-949"},
      {"utf8", "UTF-8"},
  }};
  for (const auto& [from, to] : k_whatwg) {
    if (l == from) {
      l = std::string(to);
      break;
    }
  }
  // ICU resolves the alias when it opens the converter (cached shared data, cheap); the
  // converter's IANA or MIME name is the one that compares across sources.
  UErrorCode status = U_ZERO_ERROR;
  ConverterPtr conv(ucnv_open(l.c_str(), &status));
  if (U_FAILURE(status) || !conv) {
    return {};
  }
  const char* name = ucnv_getName(conv.get(), &status);
  if (U_FAILURE(status) || name == nullptr) {
    return {};
  }
  for (const char* standard : {"MIME", "IANA"}) {
    UErrorCode s2 = U_ZERO_ERROR;
    const char* std_name = ucnv_getStandardName(name, standard, &s2);
    if (U_SUCCESS(s2) && std_name != nullptr && *std_name != '\0') {
      return std_name;
    }
  }
  return name;
}

CharsetGuess detect_charset(std::string_view bytes, bool markup) {
  return detect_all(bytes, markup, {}).top;
}

Result<Decoded> convert_to_utf8(std::string_view bytes, std::string_view charset) {
  std::string canon = canonical_charset(charset);
  if (canon.empty()) {
    return Status::error(fmt::format("unknown charset '{}'", charset));
  }
  if (is_utf8_name(canon)) {
    return from_utf8(bytes, "declared");
  }
  UErrorCode status = U_ZERO_ERROR;
  ConverterPtr from(ucnv_open(canon.c_str(), &status));
  if (U_FAILURE(status)) {
    return Status::error(fmt::format("charset '{}': ICU cannot open a converter: {}", canon, u_errorName(status)));
  }
  ConverterPtr to(ucnv_open("UTF-8", &status));
  if (U_FAILURE(status)) {
    return Status::error(fmt::format("ICU cannot open a UTF-8 converter: {}", u_errorName(status)));
  }
  Decoded d;
  d.charset = canon;
  d.how = "declared";
  // Every legacy byte becomes at most 3 UTF-8 bytes (4 for the rare supplementary mapping of a
  // multi-byte sequence, which consumes at least 2 input bytes); grow and retry if ICU disagrees.
  std::size_t capacity = bytes.size() * 3 + 16;
  for (int attempt = 0; attempt < 3; ++attempt) {
    d.text.resize(capacity);
    status = U_ZERO_ERROR;
    ucnv_resetToUnicode(from.get());
    ucnv_resetFromUnicode(to.get());
    char* target = d.text.data();
    const char* source = bytes.data();
    ucnv_convertEx(to.get(), from.get(), &target, d.text.data() + d.text.size(), &source, bytes.data() + bytes.size(),
                   nullptr, nullptr, nullptr, nullptr, true, true, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
      capacity *= 2;
      continue;
    }
    if (U_FAILURE(status)) {
      return Status::error(fmt::format("charset '{}': conversion failed: {}", canon, u_errorName(status)));
    }
    d.text.resize(static_cast<std::size_t>(target - d.text.data()));
    break;
  }
  // ICU substitutes U+001A for unmappable bytes in some single-byte tables; make it U+FFFD, and
  // make sure what we hand on is valid UTF-8 whatever the converter did.
  std::size_t subs = 0;
  for (char& c : d.text) {
    if (c == '\x1a') {
      ++subs;
      c = ' ';
    }
  }
  if (!is_valid_utf8(d.text)) {
    auto r = repair_utf8(d.text);
    d.text = std::move(r.text);
  }
  d.replaced = count_replacements(d.text) + subs;
  return d;
}

Result<Decoded> decode_to_utf8(std::string_view bytes, std::string_view declared) {
  Bom bom = sniff_bom(bytes);
  if (bom.charset != nullptr) {
    std::string_view body = bytes.substr(bom.length);
    if (std::string_view(bom.charset) == "UTF-8") {
      return from_utf8(body, "bom");
    }
    auto r = convert_to_utf8(body, bom.charset);
    if (r) {
      r->how = "bom";
    }
    return r;
  }
  std::string want = canonical_charset(declared);
  bool declared_unicode16 = want.rfind("UTF-16", 0) == 0 || want.rfind("UTF-32", 0) == 0;
  // A page declaring UTF-16 but parsed as bytes (the declaration is in ASCII) is not UTF-16.
  if (declared_unicode16 && bytes.find('\0') == std::string_view::npos) {
    want.clear();
  }
  if (is_valid_utf8(bytes)) {
    if (!has_non_ascii(bytes) && !want.empty() && !is_utf8_name(want) && !declared_unicode16) {
      // Pure ASCII reads the same in any ASCII-compatible charset; report the declared one.
      Decoded d = from_utf8(bytes, "declared");
      d.charset = want;
      return d;
    }
    if (!declared_unicode16) {
      return from_utf8(bytes, want.empty() || is_utf8_name(want) ? "declared" : "utf-8");
    }
  }
  if (is_utf8_name(want) && mostly_utf8(bytes)) {
    return from_utf8(bytes, "declared");
  }
  Candidates c = detect_all(bytes, true, want);
  if (!want.empty() && !is_utf8_name(want)) {
    bool override = c.top.confidence >= k_min_detect_confidence + 20 && !c.top.name.empty() && c.top.name != want &&
                    c.top.confidence - std::max(0, c.declared_confidence) >= k_override_margin;
    if (!override) {
      auto r = convert_to_utf8(bytes, want);
      if (r) {
        return r;
      }
    }
  }
  if (!c.top.name.empty() && c.top.confidence >= k_min_detect_confidence) {
    if (is_utf8_name(c.top.name)) {
      return from_utf8(bytes, "detected");
    }
    auto r = convert_to_utf8(bytes, c.top.name);
    if (r) {
      r->how = "detected";
      return r;
    }
  }
  if (mostly_utf8(bytes)) {
    return from_utf8(bytes, "default");
  }
  auto r = convert_to_utf8(bytes, "windows-1252");
  if (r) {
    r->how = "default";
  }
  return r;
}

}  // namespace decruft::text
