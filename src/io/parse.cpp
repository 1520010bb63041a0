#include "io/parse.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define DECRUFT_PARSE_AVX2 1
#endif

#include "core/cpu.h"
#include "core/step.h"
#include "text/utf8.h"

namespace decruft::io {

namespace {

constexpr std::size_t k_sniff_bytes = 8192;

#if defined(__SSE2__)
// Whether [p, end) (a multiple of 16 bytes) holds a C0 control other than the newline, the only
// one common in text: five instructions per 16 bytes where the exact test below takes sixteen.
bool any_control_but_newline(const unsigned char* p, const unsigned char* end) {
  const __m128i newline = _mm_set1_epi8('\n');
  const __m128i space = _mm_set1_epi8(0x20);
  __m128i least = _mm_set1_epi8(static_cast<char>(0xff));
  for (; p < end; p += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // A newline counts as a space; the least byte (unsigned) tells whether any other is < 0x20.
    least = _mm_min_epu8(least, _mm_max_epu8(v, _mm_and_si128(_mm_cmpeq_epi8(v, newline), space)));
  }
  return _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(least, _mm_set1_epi8(0x1f)), least)) != 0;
}
#endif

#if defined(DECRUFT_PARSE_AVX2)
// The same test 64 bytes a round on CPUs with AVX2 (checked at run time; the build targets plain
// x86-64): the decode step asks it of the first 8 KiB of every document, in both passes.
__attribute__((target("avx2"))) bool any_control_but_newline_avx2(const unsigned char* p, const unsigned char* end) {
  const __m256i newline = _mm256_set1_epi8('\n');
  const __m256i space = _mm256_set1_epi8(0x20);
  __m256i least0 = _mm256_set1_epi8(static_cast<char>(0xff));
  __m256i least1 = least0;
  for (; end - p >= 64; p += 64) {
    __m256i v0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    __m256i v1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
    least0 = _mm256_min_epu8(least0, _mm256_max_epu8(v0, _mm256_and_si256(_mm256_cmpeq_epi8(v0, newline), space)));
    least1 = _mm256_min_epu8(least1, _mm256_max_epu8(v1, _mm256_and_si256(_mm256_cmpeq_epi8(v1, newline), space)));
  }
  const __m256i least = _mm256_min_epu8(least0, least1);
  __m128i l = _mm_min_epu8(_mm256_castsi256_si128(least), _mm256_extracti128_si256(least, 1));
  for (; p < end; p += 16) {  // the last 0..48 bytes
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    l = _mm_min_epu8(l, _mm_max_epu8(v, _mm_and_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')), _mm_set1_epi8(0x20))));
  }
  return _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(l, _mm_set1_epi8(0x1f)), l)) != 0;
}

#endif

// Whether `s` holds a NUL or a C0 control other than the white-space ones (tab, newline, FF, CR,
// ESC): text nearly never does, so the decode step counts them (text::scan_controls, three sums
// a byte) only when this says so. 16 bytes at a time with SSE2 (every x86-64), one test at the end.
bool any_control(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned char* end = p + s.size();
#if defined(__SSE2__)
  const unsigned char* vectors_end = p + s.size() / 16 * 16;
#if defined(DECRUFT_PARSE_AVX2)
  const bool quiet = cpu::has_avx2() ? !any_control_but_newline_avx2(p, vectors_end) : !any_control_but_newline(p, vectors_end);
#else
  const bool quiet = !any_control_but_newline(p, vectors_end);
#endif
  if (quiet) {
    p = vectors_end;  // the tail below
  }
  const __m128i last_control = _mm_set1_epi8(0x1f);
  const __m128i tab = _mm_set1_epi8('\t');
  const __m128i newline = _mm_set1_epi8('\n');
  const __m128i form_feed = _mm_set1_epi8('\f');
  const __m128i carriage_return = _mm_set1_epi8('\r');
  const __m128i escape = _mm_set1_epi8(0x1b);
  __m128i found = _mm_setzero_si128();
  for (; end - p >= 16; p += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(v, last_control), v);  // unsigned v <= 0x1f
    __m128i white = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, newline)),
                                 _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, form_feed), _mm_cmpeq_epi8(v, carriage_return)),
                                              _mm_cmpeq_epi8(v, escape)));
    found = _mm_or_si128(found, _mm_andnot_si128(white, low));
  }
  if (_mm_movemask_epi8(found) != 0) {
    return true;
  }
#endif
  for (; p < end; ++p) {
    unsigned char c = *p;
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\f' && c != '\r' && c != 0x1b) {
      return true;
    }
  }
  return false;
}

// Binary if NULs or C0 controls (other than tab/newline/CR/FF/ESC) are common in the first 8 KiB.
// `clean_prefix` tells that the first 8 KiB hold no NUL at all (nor any other such control).
bool looks_binary(std::string_view raw, std::size_t& nuls, bool& clean_prefix) {
  clean_prefix = !any_control(raw.substr(0, k_sniff_bytes));
  if (clean_prefix) {
    nuls = 0;
    return false;  // none at all, so not many
  }
  text::ControlScan scan = text::scan_controls(raw, k_sniff_bytes);
  nuls = scan.nuls;
  return scan.sampled > 0 && (scan.nuls + scan.controls) * 100 > scan.sampled * 2;
}

class DecodeStep final : public Step {
 public:
  std::string_view name() const override { return "decode"; }
  std::string_view description() const override {
    return "bytes to valid UTF-8: BOM stripped, binary rejected, invalid bytes -> U+FFFD";
  }
  void process(Document& doc) override {
    if (doc.format == InputFormat::k_html) {
      return;
    }
    std::size_t nuls = 0;
    bool clean_prefix = false;
    if (looks_binary(doc.raw, nuls, clean_prefix)) {
      doc.error = fmt::format("{}: binary data, not text ({} NUL bytes in the first 8 KiB)", doc.source, nuls);
      return;
    }
    std::string_view raw = text::strip_bom(doc.raw);
    std::string cleaned;
    // The NUL search skips the first 8 KiB when the binary test found no control there: most
    // documents are shorter, and the search was a second pass over every text in both passes.
    const std::size_t searched = clean_prefix ? std::min(doc.raw.size(), k_sniff_bytes) : 0;
    if (std::string_view(doc.raw).find('\0', searched) != std::string_view::npos) {
      cleaned.reserve(raw.size());
      for (char c : raw) {
        if (c != '\0') {
          cleaned += c;
        }
      }
      raw = cleaned;
    }
    // raw_valid_utf8 already: a JSON Lines body, checked by the JSON parser (dropping NULs and a
    // BOM keeps it valid).
    if (!doc.raw_valid_utf8 && !text::is_valid_utf8(raw)) {
      auto r = text::repair_utf8(raw);
      doc.repaired_bytes = r.invalid_sequences;
      doc.raw = std::move(r.text);
    } else if (raw.size() != doc.raw.size()) {
      doc.raw = std::string(raw);
    }
    doc.raw_valid_utf8 = true;
  }
};

class BlocksStep final : public Step {
 public:
  explicit BlocksStep(const html::HtmlOptions& o) : options_(o) {}
  std::string_view name() const override { return "blocks"; }
  std::string_view description() const override {
    return "text to blocks: a paragraph per line, or the HTML page's blocks (Gumbo)";
  }
  void process(Document& doc) override {
    if (doc.format == InputFormat::k_html) {
      html::extract(doc, options_);
    } else {
      text_to_blocks(doc);
    }
    if (doc.kept() && doc.kept_blocks() == 0) {
      doc.drop = Drop{"empty_doc", "blocks", "no text"};
    }
  }

 private:
  html::HtmlOptions options_;
};

}  // namespace

void text_to_blocks(Document& doc) {
  doc.blocks.clear();
  if (!doc.title.empty()) {
    Block t;
    t.text = doc.title;
    t.kind = BlockKind::k_title;
    doc.blocks.push_back(std::move(t));
  }
  const std::string& raw = doc.raw;
  // Room for a block per line, counted with memchr (lines are long, and std::count is a byte loop
  // at -O2); not in the first pass, which keeps few of them and need not scan the text twice.
  if (doc.prepass_observer == nullptr) {
    std::size_t lines = 1;
    for (const char* p = raw.data(); (p = static_cast<const char*>(std::memchr(p, '\n', raw.data() + raw.size() - p)));
         ++p) {
      ++lines;
    }
    doc.blocks.reserve(doc.blocks.size() + lines);
  }
  std::size_t pos = 0;
  std::size_t line = 0;
  while (pos < raw.size()) {
    std::size_t nl = raw.find('\n', pos);
    std::size_t end = nl == std::string::npos ? raw.size() : nl;
    ++line;
    std::size_t b = pos;
    std::size_t e = end;
    while (b < e && (raw[b] == ' ' || raw[b] == '\t' || raw[b] == '\r' || raw[b] == '\f' || raw[b] == '\v')) {
      ++b;
    }
    while (e > b && (raw[e - 1] == ' ' || raw[e - 1] == '\t' || raw[e - 1] == '\r' || raw[e - 1] == '\f' ||
                     raw[e - 1] == '\v')) {
      --e;
    }
    // In the first pass, only the lines the observing step will look at.
    if (e > b && (doc.prepass_observer == nullptr ||
                  doc.prepass_observer->prepass_wants(BlockKind::k_paragraph, std::string_view(raw).substr(b, e - b)))) {
      Block& blk = doc.blocks.emplace_back();  // made in place: a Block is large to move
      blk.text.assign(raw, b, e - b);
      blk.raw_begin = b;
      blk.raw_end = e;
      blk.line = line;
    }
    pos = end + 1;
  }
}

std::unique_ptr<Step> make_decode_step() { return std::make_unique<DecodeStep>(); }
std::unique_ptr<Step> make_blocks_step(const html::HtmlOptions& options) {
  return std::make_unique<BlocksStep>(options);
}

}  // namespace decruft::io
