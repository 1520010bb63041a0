// A minimal streaming JSON writer: enough for reports and JSONL output, always valid UTF-8 JSON.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace decruft::json {

// Appends `s` as a quoted JSON string. Invalid UTF-8 must not reach here (decode repairs it).
void append_string(std::string& out, std::string_view s);
std::string quote(std::string_view s);

// Builds one JSON object or array incrementally:
//   Writer w; w.begin_object(); w.key("id"); w.value("x"); w.end_object();
class Writer {
 public:
  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  void key(std::string_view k);
  void value(std::string_view v);
  void value(const char* v) { value(std::string_view(v)); }
  void value(std::int64_t v);
  void value(std::uint64_t v);
  void value(int v) { value(static_cast<std::int64_t>(v)); }
  void value(double v);
  void value(bool v);
  void null();
  void raw(std::string_view json_text);  // an already-serialised JSON value
  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void separate();
  std::string out_;
  bool need_comma_ = false;
};

}  // namespace decruft::json
