// HTML page -> Document blocks: decode (text/charset), prescan, Gumbo (dom), metadata, content.
#include "html/extract.h"

#include <fmt/format.h>
#include <gumbo.h>

#include <algorithm>

#include "core/json.h"
#include "core/reasons.h"
#include "html/content.h"
#include "html/dom.h"
#include "html/metadata.h"
#include "text/utf8.h"
#include "html/prescan.h"
#include "text/charset.h"

namespace decruft::html {

namespace {

// Pages above this size are refused with an error rather than parsed (Gumbo's tree takes
// about ten times the page in memory).
constexpr std::size_t k_max_page_bytes = 64 * 1024 * 1024;
constexpr std::size_t k_sniff_bytes = 8192;
constexpr std::size_t k_max_path_parts = 8;

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// Share of NUL and C0 control bytes in the first 8 KiB, in percent.
std::size_t control_percent(std::string_view raw, std::size_t& nuls) {
  text::ControlScan scan = text::scan_controls(raw, k_sniff_bytes);
  nuls = scan.nuls;
  return scan.sampled == 0 ? 0 : (scan.nuls + scan.controls) * 100 / scan.sampled;
}

bool has_utf16_bom(std::string_view raw) {
  return raw.size() >= 2 && ((raw[0] == '\xFF' && raw[1] == '\xFE') || (raw[0] == '\xFE' && raw[1] == '\xFF'));
}

// UTF-16 markup without a BOM: NUL bytes in every other position (the high bytes of ASCII).
// Returns "UTF-16LE", "UTF-16BE" or "" (binary junk has NULs, but not in that rhythm).
std::string_view utf16_without_bom(std::string_view raw) {
  std::string_view head = raw.substr(0, k_sniff_bytes);
  std::size_t even = 0;
  std::size_t odd = 0;
  for (std::size_t i = 0; i < head.size(); ++i) {
    if (head[i] == '\0') {
      (i % 2 == 0 ? even : odd) += 1;
    }
  }
  std::size_t half = head.size() / 2;
  if (half == 0) {
    return {};
  }
  if (odd * 10 >= half * 6 && even * 20 <= half) {
    return "UTF-16LE";
  }
  if (even * 10 >= half * 6 && odd * 20 <= half) {
    return "UTF-16BE";
  }
  return {};
}

std::string tag_path(const detail::Page& page, int element) {
  std::vector<std::string_view> parts;
  for (int e = element; e >= 0; e = page.elements[static_cast<std::size_t>(e)].parent) {
    auto tag = static_cast<GumboTag>(page.elements[static_cast<std::size_t>(e)].tag);
    if (tag == GUMBO_TAG_HTML) {
      break;
    }
    const char* n = gumbo_normalized_tagname(tag);
    parts.emplace_back((n == nullptr || *n == '\0') ? "?" : n);
  }
  std::string out;
  std::size_t shown = std::min(parts.size(), k_max_path_parts);
  if (parts.size() > shown) {
    out = "...>";
  }
  for (std::size_t k = shown; k > 0; --k) {
    out += parts[k - 1];
    if (k > 1) {
      out += '>';
    }
  }
  return out;
}

void set_meta(Document& doc, const char* key, std::string_view value) {
  if (!value.empty() && doc.metadata.find(key) == doc.metadata.end()) {
    doc.metadata[key] = json::quote(value);
  }
}

}  // namespace

bool looks_like_html(std::string_view bytes) {
  std::string head;
  std::string_view h = bytes.substr(0, 2048);
  head.reserve(h.size());
  for (char c : h) {
    head += lower(c);
  }
  // A marker counts where markup would put it: at the start of a line (after white space) or
  // right after another tag, not inside a sentence that talks about <html>.
  for (std::string_view tag : {"<!doctype html", "<html", "<head", "<body"}) {
    for (std::size_t pos = head.find(tag); pos != std::string::npos; pos = head.find(tag, pos + 1)) {
      std::size_t k = pos;
      while (k > 0 && (head[k - 1] == ' ' || head[k - 1] == '\t' || head[k - 1] == '\r')) {
        --k;
      }
      if (k == 0 || head[k - 1] == '\n' || head[k - 1] == '>' || (k >= 3 && head.compare(0, 3, "\xef\xbb\xbf") == 0 && k == 3)) {
        return true;
      }
    }
  }
  // A fragment that starts with markup: "<meta ...", "<title>", "<div ..." after white space.
  std::size_t i = head.find_first_not_of(" \t\r\n\xef\xbb\xbf");
  if (i != std::string::npos) {
    std::string_view rest = std::string_view(head).substr(i);
    for (std::string_view tag : {"<meta", "<title", "<div", "<article", "<p>", "<!--"}) {
      if (rest.substr(0, tag.size()) == tag) {
        return true;
      }
    }
  }
  return false;
}

void extract(Document& doc, const HtmlOptions& options) {
  doc.blocks.clear();
  if (doc.raw.size() > k_max_page_bytes) {
    doc.error = fmt::format("{}: HTML page too large ({} bytes; the limit is {})", doc.source, doc.raw.size(),
                            k_max_page_bytes);
    return;
  }
  // 1. Bytes -> UTF-8.
  std::size_t nuls = 0;
  std::size_t controls = control_percent(doc.raw, nuls);
  std::string declared = detail::declared_charset(doc.raw);
  if (controls >= 2 && !has_utf16_bom(doc.raw)) {
    std::string_view utf16 = utf16_without_bom(doc.raw);
    if (!utf16.empty()) {
      declared = std::string(utf16);
    } else {
      doc.error = fmt::format("{}: binary data, not HTML ({} NUL bytes in the first 8 KiB)", doc.source, nuls);
      return;
    }
  }
  auto decoded = text::decode_to_utf8(doc.raw, declared);
  if (!decoded) {
    doc.error = fmt::format("{}: {}", doc.source, decoded.status().message());
    return;
  }
  doc.raw = std::move(decoded->text);
  doc.repaired_bytes = decoded->replaced;
  set_meta(doc, "charset", decoded->charset);

  // 2. Prescan, parse, flatten.
  detail::Prescan pre = detail::prescan(doc.raw);
  detail::Page page = detail::build_page(pre.html);
  detail::ArticleMeta meta = detail::read_metadata(page, pre.json_ld);

  // 3. Metadata.
  bool title_given = !doc.title.empty();  // a JSON Lines record's own title wins
  set_meta(doc, "url", meta.url);
  set_meta(doc, "date", meta.date);
  set_meta(doc, "author", meta.author);
  set_meta(doc, "language", meta.language);
  set_meta(doc, "description", meta.description);
  set_meta(doc, "site_name", meta.site_name);

  // 4. The article (and the headline heading, when the page names it only in <title>).
  detail::ContentResult content = detail::choose_content(page, meta, options);
  if (!title_given) {
    doc.title = content.title.empty() ? meta.title : content.title;
  }
  if (!meta.headline.empty() && meta.headline != doc.title) {
    set_meta(doc, "headline", meta.headline);
  }

  // 5. Blocks, in document order, the title first.
  doc.blocks.reserve(page.blocks.size() + 1);
  std::size_t line = 1;
  std::size_t line_pos = 0;
  auto line_at = [&](std::size_t pos) {
    pos = std::min(pos, doc.raw.size());
    if (pos < line_pos) {
      line = 1 + static_cast<std::size_t>(std::count(doc.raw.begin(), doc.raw.begin() + static_cast<long>(pos), '\n'));
    } else {
      line += static_cast<std::size_t>(
          std::count(doc.raw.begin() + static_cast<long>(line_pos), doc.raw.begin() + static_cast<long>(pos), '\n'));
    }
    line_pos = pos;
    return line;
  };
  auto span = [&](const detail::RawBlock& b, Block& out) {
    if (b.end > b.begin) {
      out.raw_begin = pre.to_source(b.begin);
      out.raw_end = std::min(doc.raw.size(), pre.to_source(b.end - 1) + 1);
      if (out.raw_end < out.raw_begin) {
        out.raw_end = out.raw_begin;
      }
    }
  };
  if (!doc.title.empty()) {
    Block t;
    t.text = doc.title;
    t.kind = BlockKind::k_title;
    HtmlFeatures f;
    if (content.title_block >= 0) {
      const auto& tb = page.blocks[static_cast<std::size_t>(content.title_block)];
      span(tb, t);
      t.line = line_at(t.raw_begin);
      f.tag_path = tag_path(page, tb.element);
      f.in_main = true;
    } else {
      f.tag_path = "head>title";
    }
    t.html = std::move(f);
    if (!options.keep_title) {
      t.drop = Drop{std::string(reason::k_html_boilerplate), "blocks", "the title (keep_title off)"};
    }
    doc.blocks.push_back(std::move(t));
  }
  for (std::size_t i = 0; i < page.blocks.size(); ++i) {
    detail::RawBlock& rb = page.blocks[i];
    const detail::BlockVerdict& v = content.verdicts[i];
    Block b;
    b.text = std::move(rb.text);
    b.kind = v.kind;
    span(rb, b);
    if (b.raw_end > b.raw_begin) {
      b.line = line_at(b.raw_begin);
    }
    HtmlFeatures f;
    f.tag_path = tag_path(page, rb.element);
    f.hints = detail::hint_names(rb.hints_up | page.elements[static_cast<std::size_t>(rb.element)].hints);
    f.link_density = rb.chars == 0 ? 0.0 : static_cast<double>(rb.link_chars) / rb.chars;
    f.in_nav = (rb.context & (detail::k_ctx_nav | detail::k_ctx_header | detail::k_ctx_footer | detail::k_ctx_aside)) != 0;
    f.in_figure = (rb.context & (detail::k_ctx_figure | detail::k_ctx_figcaption)) != 0;
    f.in_main = v.in_region;
    b.html = std::move(f);
    if (!v.keep) {
      b.drop = Drop{std::string(reason::k_html_boilerplate), "blocks", v.evidence};
    }
    doc.blocks.push_back(std::move(b));
  }
}

}  // namespace decruft::html
