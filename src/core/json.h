// A minimal streaming JSON writer: enough for reports and JSONL output, always valid UTF-8 JSON.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace decruft::json {

// Appends `s` as a quoted JSON string. Invalid UTF-8 must not reach here (decode repairs it).
void append_string(std::string& out, std::string_view s);
// Appends `s` escaped for the inside of a JSON string, without the quotes: a string value built
// from several pieces (see Writer::begin_string).
void append_escaped(std::string& out, std::string_view s);
std::string quote(std::string_view s);

// Builds one JSON object or array incrementally:
//   Writer w; w.begin_object(); w.key("id"); w.value("x"); w.end_object();
class Writer {
 public:
  Writer() = default;
  // Appends to `out` (several values end to end in one buffer, e.g. a batch of JSON Lines records);
  // take() hands it back.
  explicit Writer(std::string&& out) : out_(std::move(out)) {}
  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  void key(std::string_view k);
  // A key the caller knows needs no escape (a literal such as "id"): copied without the scan.
  void plain_key(std::string_view k);
  void value(std::string_view v);
  void value(const char* v) { value(std::string_view(v)); }
  void value(std::int64_t v);
  void value(std::uint64_t v);
  void value(int v) { value(static_cast<std::int64_t>(v)); }
  void value(double v);
  void value(bool v);
  void null();
  void raw(std::string_view json_text);  // an already-serialised JSON value
  // One string value written in pieces, without building it first:
  //   w.begin_string(); w.string_piece(a); w.string_piece("\n"); w.string_piece(b); w.end_string();
  void begin_string();
  void string_piece(std::string_view piece);
  // A piece already escaped (e.g. "\\n" for a newline), copied as it is.
  void escaped_piece(std::string_view escaped);
  void end_string();
  // Room for `n` more bytes of output (a caller that knows the size saves the regrowth).
  void reserve(std::size_t n) { out_.reserve(out_.size() + n); }
  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void separate();
  std::string out_;
  bool need_comma_ = false;
};

}  // namespace decruft::json
