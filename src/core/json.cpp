#include "core/json.h"

#include <fmt/format.h>

#include <cmath>

namespace decruft::json {

namespace {
// Bytes that need an escape in a JSON string: control codes, '"' and '\\'.
constexpr bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }
}  // namespace

void append_string(std::string& out, std::string_view s) {
  out.reserve(out.size() + s.size() + 2);
  out += '"';
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    // The run of bytes that go out as they are (nearly all of them), copied at once.
    const char* run = p;
    while (p < end && !needs_escape(static_cast<unsigned char>(*p))) {
      ++p;
    }
    out.append(run, static_cast<std::size_t>(p - run));
    if (p == end) {
      break;
    }
    unsigned char c = static_cast<unsigned char>(*p++);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default: out += fmt::format("\\u{:04x}", c);
    }
  }
  out += '"';
}

std::string quote(std::string_view s) {
  std::string out;
  append_string(out, s);
  return out;
}

void Writer::separate() {
  if (need_comma_) {
    out_ += ',';
  }
  need_comma_ = true;
}

void Writer::begin_object() { separate(); out_ += '{'; need_comma_ = false; }
void Writer::end_object() { out_ += '}'; need_comma_ = true; }
void Writer::begin_array() { separate(); out_ += '['; need_comma_ = false; }
void Writer::end_array() { out_ += ']'; need_comma_ = true; }
void Writer::key(std::string_view k) {
  separate();
  append_string(out_, k);
  out_ += ':';
  need_comma_ = false;
}
void Writer::value(std::string_view v) { separate(); append_string(out_, v); }
void Writer::value(std::int64_t v) { separate(); out_ += fmt::format("{}", v); }
void Writer::value(std::uint64_t v) { separate(); out_ += fmt::format("{}", v); }
void Writer::value(double v) {
  separate();
  out_ += std::isfinite(v) ? fmt::format("{:.6g}", v) : std::string("null");
}
void Writer::value(bool v) { separate(); out_ += v ? "true" : "false"; }
void Writer::null() { separate(); out_ += "null"; }
void Writer::raw(std::string_view json_text) { separate(); out_ += json_text; }

}  // namespace decruft::json
