#include "io/html_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <set>
#include <string_view>
#include <type_traits>

#include <simdjson.h>

#include "core/reasons.h"
#include "io/output.h"
#include "text/chars.h"
#include "text/utf8.h"

namespace decruft::io {

namespace {

constexpr std::size_t k_max_members_listed = 20;  // per duplicate cluster
// Duplicates remembered as cluster members (to join a duplicate of a duplicate to its cluster).
constexpr std::size_t k_max_members_tracked = std::size_t{1} << 18;

// Appends `s` HTML-escaped (for text and for attribute values in double quotes). Invalid UTF-8
// becomes U+FFFD; C0 controls (other than tab and newline) and DEL, which HTML forbids, too.
void append_escaped(std::string& out, std::string_view s) {
  std::string repaired;
  if (!text::is_valid_utf8(s)) {
    repaired = text::repair_utf8(s).text;
    s = repaired;
  }
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\t':
      case '\n':
        out += c;
        break;
      case '\r':
        out += ' ';
        break;
      default:
        if ((static_cast<unsigned char>(c) < 0x20) || c == 0x7f) {
          out += "\xEF\xBF\xBD";
        } else {
          out += c;
        }
    }
  }
}

std::string esc(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  append_escaped(out, s);
  return out;
}

// A stable colour per reason, from Kelly's colours of maximum contrast, in the reasons table's
// order (the frequent text-scrape reasons get the most distinct ones); an unknown reason hashes to
// a hue. Used as the CSS custom property --c on each element.
constexpr std::string_view k_palette[] = {
    "#0067a5", "#f38400", "#875692", "#b8b000", "#848482", "#a89a6a", "#654522", "#008856",
    "#7a9e00", "#e0709a", "#b3446c", "#6fa8dc", "#604e97", "#be0032", "#e09a00", "#882d17",
    "#5b6c8f", "#f07a5f", "#e25822", "#555555", "#1f9e89", "#6a3d9a",
};

std::string colour(std::string_view reason) {
  auto all = all_reasons();
  for (std::size_t i = 0; i < all.size() && i < std::size(k_palette); ++i) {
    if (all[i].id == reason) {
      return std::string(k_palette[i]);
    }
  }
  return fmt::format("hsl({} 60% 42%)", std::hash<std::string_view>{}(reason) % 360);
}

// The paragraph direction of a block: by its majority script, not by its first strong character
// as dir="auto" would (an Arabic sentence opening with "DeepSeek" or "BBC" is still right-to-left).
// No letter at all: "auto".
const char* direction(std::string_view text) {
  const text::CharProfile p = text::profile(text);
  if (p.arabic_letters == 0 && p.latin_letters == 0) {
    return "auto";
  }
  return p.arabic_letters >= p.latin_letters ? "rtl" : "ltr";
}

std::string_view reason_what(std::string_view reason) {
  for (const auto& r : all_reasons()) {
    if (r.id == reason) {
      return r.what;
    }
  }
  return {};
}

// Cuts `s` to at most `max` bytes on a code point boundary.
std::string_view cut_utf8(std::string_view s, std::size_t max) {
  if (s.size() <= max) {
    return s;
  }
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) {
    --n;
  }
  return s.substr(0, n);
}

// The value of a JSON string (metadata values are JSON text); anything else as it is.
std::string json_string_value(const std::string& json_text) {
  thread_local simdjson::dom::parser parser;
  simdjson::padded_string padded(json_text);
  std::string_view v;
  if (parser.parse(padded).get_string().get(v) == simdjson::SUCCESS) {
    return std::string(v);
  }
  return json_text;
}

std::string bytes_human(std::uint64_t b) {
  if (b >= (std::uint64_t{1} << 30)) {
    return fmt::format("{:.2f} GB", static_cast<double>(b) / (1 << 30));
  }
  if (b >= (std::uint64_t{1} << 20)) {
    return fmt::format("{:.2f} MB", static_cast<double>(b) / (1 << 20));
  }
  if (b >= 1024) {
    return fmt::format("{:.1f} KB", static_cast<double>(b) / 1024);
  }
  return fmt::format("{} B", b);
}

std::string percent(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) {
    return "-";
  }
  return fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

// The CSS: the reason colour comes as the custom property --c, set inline on each element.
constexpr std::string_view k_css = R"css(
:root{color-scheme:light;--fg:#1d1d1f;--muted:#6b6b73;--line:#e3e3e8;--bg:#fafafa}
*{box-sizing:border-box}
body{margin:0;font:15px/1.6 "Noto Naskh Arabic","Noto Sans Arabic","DejaVu Sans","Segoe UI",Tahoma,Arial,sans-serif;
 color:var(--fg);background:var(--bg)}
header.top{padding:16px 24px;background:#20232a;color:#fff}
header.top h1{margin:0;font-size:20px}
header.top .sub{color:#c8c8d0;font-size:13px}
main{padding:8px 24px 48px;max-width:1200px}
h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
table{border-collapse:collapse;font-size:13px;background:#fff}
th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{background:#fff;border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:150px}
.card .v{font-size:20px;font-weight:600}
.card .l{color:var(--muted);font-size:12px}
.sw{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:-1px;margin-right:6px;
 background:var(--c)}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:13px;margin:8px 0}
.legend span{white-space:nowrap}
.chart{background:#fff;border:1px solid var(--line);border-radius:6px;padding:8px}
details>summary{cursor:pointer;color:var(--muted);font-size:13px;margin:6px 0}
.toc{font-size:13px}
.toc td a{text-decoration:none}
.controls{position:sticky;top:0;background:var(--bg);padding:6px 0;z-index:1;font-size:13px;
 border-bottom:1px solid var(--line)}
section.doc{background:#fff;border:1px solid var(--line);border-radius:6px;margin:14px 0;padding:8px 14px}
section.doc>h3{margin:4px 0;font-size:16px}
section.doc .meta{color:var(--muted);font-size:12px;direction:ltr}
section.doc .meta code{font-size:12px}
.status{font-weight:600;padding:0 6px;border-radius:3px}
.status.kept{background:#e3f5e6;color:#17692a}
.status.dropped{background:#fde8e8;color:#9b1c1c}
.status.failed{background:#f3e8fd;color:#5b1c9b}
.blocks{margin-top:6px}
.row{display:grid;grid-template-columns:3.2em 1fr;gap:8px;align-items:baseline}
.ln{color:#a0a0aa;font-size:11px;text-align:right;font-variant-numeric:tabular-nums;direction:ltr}
.b{display:block;margin:2px 0;padding:1px 6px;border-radius:3px;text-align:start;unicode-bidi:isolate;
 overflow-wrap:anywhere}
del.b{text-decoration:line-through;text-decoration-color:var(--c);color:color-mix(in srgb,var(--c) 65%,#000);
 background:color-mix(in srgb,var(--c) 13%,#fff);border-inline-start:3px solid var(--c)}
del.b:hover{background:color-mix(in srgb,var(--c) 28%,#fff)}
.k-title{font-weight:700;font-size:17px}
.k-heading{font-weight:700}
.story{color:var(--muted);font-size:12px;border-top:1px dashed #c9c9d2;margin:6px 0 2px;padding-top:2px}
.omitted,.note{color:var(--muted);font-size:12px;font-style:italic}
.error{color:#9b1c1c;font-family:monospace;white-space:pre-wrap}
.toggle{cursor:pointer;text-decoration:underline dotted}
.toggle::before{content:"\2610  "}
#only-removed:checked~main .toggle::before{content:"\2611  "}
#only-removed:checked~main .row.kept{display:none}
#only-removed:checked~main section.doc[data-removed="0"]{display:none}
)css";

}  // namespace

HtmlReport::HtmlReport(HtmlReportOptions options) : options_(std::move(options)) {}

namespace {

template <class Doc>
HtmlReportDocument make_snapshot(Doc&& doc) {
  HtmlReportDocument s;
  s.id = doc.id;
  s.source = doc.source;
  s.title = doc.title;
  s.drop = doc.drop;
  s.error = doc.error;
  if (auto it = doc.metadata.find("duplicate_of"); it != doc.metadata.end()) {
    s.duplicate_of = json_string_value(it->second);
  }
  if (auto it = doc.metadata.find("similarity"); it != doc.metadata.end()) {
    s.similarity = it->second;
  }
  s.bytes_in = doc.raw.size();
  s.total_blocks = doc.blocks.size();
  std::uint64_t out = 0;
  for (const auto& b : doc.blocks) {
    if (b.kept()) {
      out += b.text.size() + 1;
    } else {
      ++s.removed_by_reason[b.drop->reason];
    }
  }
  if (doc.kept()) {
    s.bytes_out = out > 0 ? out - 1 : 0;  // == kept_text().size(), as report.json counts it
  }
  std::size_t shown = 0;
  std::size_t text_bytes = 0;
  while (shown < doc.blocks.size() && shown < k_html_report_max_blocks && text_bytes < k_html_report_max_text_bytes) {
    text_bytes += doc.blocks[shown].text.size();
    ++shown;
  }
  s.omitted_blocks = doc.blocks.size() - shown;
  if constexpr (std::is_rvalue_reference_v<Doc&&>) {
    doc.blocks.resize(shown);
    s.blocks = std::move(doc.blocks);
    doc.blocks.clear();
  } else {
    s.blocks.assign(doc.blocks.begin(), doc.blocks.begin() + static_cast<std::ptrdiff_t>(shown));
  }
  for (auto& b : s.blocks) {
    b.sentences.clear();  // not shown
    b.sentences.shrink_to_fit();
    b.html.reset();
  }
  return s;
}

}  // namespace

HtmlReportDocument HtmlReport::snapshot(const Document& doc) {
  return make_snapshot(doc);
}
HtmlReportDocument HtmlReport::snapshot(Document&& doc) {
  return make_snapshot(std::move(doc));
}

void HtmlReport::add(HtmlReportDocument doc) {
  const std::uint64_t index = documents_++;
  bytes_in_ += doc.bytes_in;
  if (doc.error) {
    ++failed_;
  } else if (doc.drop) {
    ++dropped_[doc.drop->reason];
  } else {
    ++kept_;
    bytes_out_ += doc.bytes_out;
    blocks_in_ += doc.total_blocks;
    for (const auto& [k, v] : doc.removed_by_reason) {
      blocks_removed_[k] += v;
    }
  }

  // Duplicate clusters: every document dropped as a duplicate of an earlier one joins the
  // cluster of that earlier document, or, when that one was itself dropped as a duplicate (online
  // near-dedup compares with every earlier document), the cluster it joined.
  if (!doc.error && doc.drop && !doc.duplicate_of.empty()) {
    ++duplicates_;
    std::optional<std::size_t> at;
    if (auto m = member_of_.find(doc.duplicate_of); m != member_of_.end()) {
      at = m->second;
    } else if (auto it = cluster_at_.find(doc.duplicate_of); it != cluster_at_.end()) {
      at = it->second;
    } else if (clusters_.size() < options_.max_clusters) {
      at = clusters_.size();
      cluster_at_.emplace(doc.duplicate_of, clusters_.size());
      Cluster c;
      c.first_of = doc.duplicate_of;
      clusters_.push_back(std::move(c));
    } else {
      other_clusters_.insert(std::hash<std::string>{}(doc.duplicate_of));
    }
    if (at) {
      Cluster& c = clusters_[*at];
      ++c.size;
      if (c.members.size() < k_max_members_listed) {
        HtmlReportDocument m;
        m.id = doc.id;
        m.source = doc.source;
        m.drop = doc.drop;
        m.similarity = doc.similarity;
        m.duplicate_of = doc.duplicate_of;
        c.members.push_back(std::move(m));
      }
      if (member_of_.size() < k_max_members_tracked) {
        member_of_.emplace(doc.id, *at);
      }
    }
  }

  // The sample.
  const std::size_t head_cap = (options_.max_documents + 1) / 2;
  const std::size_t tail_cap = options_.max_documents - head_cap;
  if (index < head_cap) {
    head_.push_back({index, std::move(doc)});
    return;
  }
  if (tail_cap == 0) {
    return;
  }
  const std::uint64_t j = index - head_cap;
  if (j % stride_ != 0) {
    return;
  }
  tail_.push_back({index, std::move(doc)});
  if (tail_.size() > tail_cap) {
    stride_ *= 2;
    std::erase_if(tail_, [&](const Sampled& s) { return (s.index - head_cap) % stride_ != 0; });
  }
}

std::vector<std::uint64_t> HtmlReport::detailed_indexes() const {
  std::vector<std::uint64_t> out;
  for (const auto& s : head_) {
    out.push_back(s.index);
  }
  for (const auto& s : tail_) {
    out.push_back(s.index);
  }
  return out;
}

std::string HtmlReport::render_document(const Sampled& s) const {
  const HtmlReportDocument& d = s.doc;
  std::string status = d.error ? "failed" : d.drop ? "dropped" : "kept";
  std::uint64_t removed = 0;
  for (const auto& [k, v] : d.removed_by_reason) {
    removed += v;
  }
  std::string out = fmt::format(
      "<section class=\"doc\" id=\"d{}\" data-index=\"{}\" data-id=\"{}\" data-status=\"{}\""
      " data-removed=\"{}\"",
      s.index, s.index, esc(d.id), status, removed);
  if (d.drop) {
    out += fmt::format(" data-reason=\"{}\"", esc(d.drop->reason));
  }
  out += ">\n";
  out += fmt::format("<h3 dir=\"{}\">{}</h3>\n", direction(d.title.empty() ? d.id : d.title),
                     esc(d.title.empty() ? d.id : d.title));
  out += fmt::format("<div class=\"meta\">#{} <code>{}</code> · <code>{}</code> · <span class=\"status {}\">{}</span>",
                     s.index + 1, esc(d.id), esc(d.source), status, status);
  if (d.drop) {
    out += fmt::format(" <span class=\"sw\" style=\"--c:{}\"></span><b>{}</b> ({})", colour(d.drop->reason),
                       esc(d.drop->reason), esc(d.drop->step));
    if (!d.drop->evidence.empty()) {
      out += fmt::format(": <span dir=\"auto\">{}</span>", esc(d.drop->evidence));
    }
  }
  out += fmt::format(" · {} blocks, {} removed", d.total_blocks, removed);
  for (const auto& [k, v] : d.removed_by_reason) {
    out += fmt::format(" · <span class=\"sw\" style=\"--c:{}\"></span>{} {}", colour(k), esc(k), v);
  }
  out += "</div>\n";
  if (d.error) {
    out += fmt::format("<div class=\"error\">{}</div>\n", esc(*d.error));
  }
  out += "<div class=\"blocks\">\n";
  int story = 0;
  for (const auto& b : d.blocks) {
    if (b.story != story) {
      story = b.story;
      out += story > 0 ? fmt::format("<div class=\"story\">appended story {}</div>\n", story)
                       : std::string("<div class=\"story\">main story</div>\n");
    }
    std::string line = b.line > 0 ? fmt::format("{}", b.line) : std::string();
    std::string line_attr = b.line > 0 ? fmt::format(" data-line=\"{}\"", b.line) : std::string();
    std::string kind = fmt::format("k-{}", to_string(b.kind));
    std::string_view text = cut_utf8(b.text, 16384);
    std::string shown = esc(text);
    if (text.size() < b.text.size()) {
      shown += fmt::format("<span class=\"omitted\"> … {} more bytes</span>", b.text.size() - text.size());
    }
    if (b.kept()) {
      out += fmt::format(
          "<div class=\"row kept\"><span class=\"ln\">{}</span><p class=\"b kept {}\" dir=\"{}\"{}>{}</p></div>\n",
          line, kind, direction(b.text), line_attr, shown);
    } else {
      const Drop& drop = *b.drop;
      std::string tip = drop.reason + " — " + drop.step;
      if (!drop.evidence.empty()) {
        tip += " — " + drop.evidence;
      }
      out += fmt::format(
          "<div class=\"row removed\"><span class=\"ln\">{}</span><del class=\"b {}\" dir=\"{}\" style=\"--c:{}\""
          " data-reason=\"{}\" data-step=\"{}\"{} title=\"{}\">{}</del></div>\n",
          line, kind, direction(b.text), colour(drop.reason), esc(drop.reason), esc(drop.step), line_attr, esc(tip),
          shown);
    }
  }
  if (d.omitted_blocks > 0) {
    out += fmt::format("<p class=\"omitted\">… {} more blocks not shown (the counts above include them)</p>\n",
                       d.omitted_blocks);
  }
  out += "</div>\n</section>\n";
  return out;
}

std::string HtmlReport::render(const RunStats& stats) const {
  std::string out;
  out.reserve(1 << 16);
  const std::uint64_t dropped_total = documents_ - kept_ - failed_;
  std::uint64_t removed_total = 0;
  for (const auto& [k, v] : blocks_removed_) {
    removed_total += v;
  }

  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"generator\" content=\"decruft\">\n";
  out += fmt::format("<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n", esc(options_.title), k_css);
  out += fmt::format(
      "<header class=\"top\"><h1>{}</h1><div class=\"sub\">{} documents in, {} kept, {} dropped, {} "
      "failed{}</div></header>\n",
      esc(options_.title), documents_, kept_, dropped_total, failed_,
      interrupted_ ? " · the run was interrupted: this covers the documents completed" : "");
  // The toggle must precede <main> for the CSS sibling selector.
  out += "<input type=\"checkbox\" id=\"only-removed\" hidden>\n<main>\n";

  // ---- summary ----
  out += "<h2 id=\"summary\">Summary</h2>\n<div class=\"cards\" id=\"summary-cards\">\n";
  auto card = [&](std::string_view key, const std::string& value, std::string_view label) {
    out += fmt::format(
        "<div class=\"card\" data-summary=\"{}\"><div class=\"v\">{}</div><div class=\"l\">{}</div></div>\n", key,
        value, label);
  };
  card("documents_in", fmt::format("{}", documents_), "documents in");
  card("kept", fmt::format("{}", kept_), fmt::format("documents out (kept, {})", percent(kept_, documents_)));
  card("dropped", fmt::format("{}", dropped_total), "documents dropped");
  card("failed", fmt::format("{}", failed_), "documents failed");
  card("bytes_in", bytes_human(bytes_in_), fmt::format("bytes in ({})", bytes_in_));
  card("bytes_out", bytes_human(bytes_out_),
       fmt::format("bytes out ({}, {})", bytes_out_, percent(bytes_out_, bytes_in_)));
  card("blocks_removed", fmt::format("{}", removed_total),
       fmt::format("blocks removed from kept documents ({} of {})", percent(removed_total, blocks_in_), blocks_in_));
  card("duplicates", fmt::format("{}", duplicates_), "duplicate documents dropped");
  out += "</div>\n";

  // ---- removed blocks by reason: chart (inline SVG) and table ----
  out += "<h2 id=\"reasons\">Removed blocks by reason</h2>\n";
  if (blocks_removed_.empty()) {
    out += "<p class=\"note\">No block was removed from a kept document.</p>\n";
  } else {
    std::vector<std::pair<std::string, std::uint64_t>> rows(blocks_removed_.begin(), blocks_removed_.end());
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    const std::uint64_t max = rows.front().second;
    constexpr int k_label = 170;
    constexpr int k_bar = 560;
    constexpr int k_row = 22;
    const int height = static_cast<int>(rows.size()) * k_row + 8;
    out += fmt::format(
        "<div class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" id=\"reason-chart\" width=\"{}\" "
        "height=\"{}\" role=\"img\" aria-label=\"removed blocks by reason\" font-size=\"12\" "
        "font-family=\"DejaVu Sans, Arial, sans-serif\">\n",
        k_label + k_bar + 80, height);
    int y = 4;
    for (const auto& [reason, n] : rows) {
      const double w = static_cast<double>(k_bar) * static_cast<double>(n) / static_cast<double>(max);
      out += fmt::format(
          "<g data-reason=\"{0}\"><title>{0}: {1} blocks — {2}</title>"
          "<text x=\"{3}\" y=\"{4}\" text-anchor=\"end\">{0}</text>"
          "<rect x=\"{5}\" y=\"{6}\" width=\"{7:.1f}\" height=\"{8}\" rx=\"2\" fill=\"{9}\"/>"
          "<text x=\"{10:.1f}\" y=\"{4}\">{1}</text></g>\n",
          esc(reason), n, esc(reason_what(reason)), k_label - 6, y + 14, k_label, y + 2, std::max(w, 1.0), k_row - 6,
          colour(reason), k_label + std::max(w, 1.0) + 6);
      y += k_row;
    }
    out += "</svg></div>\n";
    out +=
        "<details><summary>the same as a table, with what each reason means</summary>\n<table "
        "id=\"reason-table\"><tr><th>reason</th><th class=\"n\">blocks</th><th class=\"n\">share</th>"
        "<th>what it means</th></tr>\n";
    for (const auto& [reason, n] : rows) {
      out += fmt::format(
          "<tr><td><span class=\"sw\" style=\"--c:{}\"></span>{}</td><td class=\"n\" "
          "data-reason-count=\"{}\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>\n",
          colour(reason), esc(reason), esc(reason), n, percent(n, removed_total), esc(reason_what(reason)));
    }
    out += "</table>\n</details>\n";
  }

  // ---- documents dropped by reason ----
  out += "<h2 id=\"dropped\">Documents dropped by reason</h2>\n";
  if (dropped_.empty() && failed_ == 0) {
    out += "<p class=\"note\">No document was dropped or failed.</p>\n";
  } else {
    out += "<table id=\"dropped-table\"><tr><th>reason</th><th class=\"n\">documents</th><th>what it means</th></tr>\n";
    for (const auto& [reason, n] : dropped_) {
      out += fmt::format(
          "<tr><td><span class=\"sw\" style=\"--c:{}\"></span>{}</td><td class=\"n\" "
          "data-dropped-count=\"{}\">{}</td><td>{}</td></tr>\n",
          colour(reason), esc(reason), esc(reason), n, esc(reason_what(reason)));
    }
    if (failed_ > 0) {
      out += fmt::format(
          "<tr><td>(failed)</td><td class=\"n\" data-dropped-count=\"failed\">{}</td>"
          "<td>unreadable or malformed input; see report.json</td></tr>\n",
          failed_);
    }
    out += "</table>\n";
  }

  // ---- duplicate clusters ----
  out += "<h2 id=\"clusters\">Duplicate clusters</h2>\n";
  const std::uint64_t cluster_count = clusters_.size() + other_clusters_.size();
  if (cluster_count == 0) {
    out += "<p class=\"note\">No duplicate documents.</p>\n";
  } else {
    out += fmt::format(
        "<p data-clusters=\"{}\">{} clusters, {} duplicate documents dropped{}.</p>\n", cluster_count, cluster_count,
        duplicates_,
        other_clusters_.empty() ? std::string() : fmt::format("; the first {} clusters are listed", clusters_.size()));
    out +=
        "<table id=\"cluster-table\"><tr><th>first document</th><th class=\"n\">duplicates</th><th>dropped as its "
        "duplicates (reason, similarity)</th></tr>\n";
    std::vector<const Cluster*> by_size;
    for (const auto& c : clusters_) {
      by_size.push_back(&c);
    }
    std::stable_sort(by_size.begin(), by_size.end(),
                     [](const Cluster* a, const Cluster* b) { return a->size > b->size; });
    for (const Cluster* cp : by_size) {
      const Cluster& c = *cp;
      out += fmt::format("<tr class=\"cluster\" data-size=\"{}\"><td><code>{}</code></td><td class=\"n\">{}</td><td>",
                         c.size, esc(c.first_of), c.size);
      bool first = true;
      for (const auto& m : c.members) {
        out += first ? "" : "<br>";
        first = false;
        out += fmt::format("<code>{}</code> <span class=\"sw\" style=\"--c:{}\"></span>{}", esc(m.id),
                           colour(m.drop ? m.drop->reason : ""), esc(m.drop ? m.drop->reason : ""));
        if (!m.similarity.empty()) {
          out += fmt::format(" {}", esc(m.similarity));
        }
        if (m.duplicate_of != c.first_of) {
          out += fmt::format(" (of <code>{}</code>)", esc(m.duplicate_of));
        }
      }
      if (c.size > c.members.size()) {
        out += fmt::format("<br><span class=\"note\">… and {} more</span>", c.size - c.members.size());
      }
      out += "</td></tr>\n";
    }
    out += "</table>\n";
  }

  // ---- steps ----
  out += fmt::format(
      "<h2 id=\"steps\">Pipeline steps</h2>\n<details><summary>{} steps: documents, blocks and bytes in and out, "
      "time</summary>\n",
      stats.steps.size());
  out +=
      "<table id=\"step-table\"><tr><th>step</th><th class=\"n\">docs in</th>"
      "<th class=\"n\">docs out</th><th class=\"n\">blocks in</th><th class=\"n\">blocks out</th>"
      "<th class=\"n\">bytes in</th><th class=\"n\">bytes out</th><th class=\"n\">ms</th><th>dropped</th></tr>\n";
  for (const auto& [name, st] : stats.steps) {
    std::string dropped;
    for (const auto& [k, v] : st.blocks_dropped) {
      dropped += fmt::format("{}<span class=\"sw\" style=\"--c:{}\"></span>{} {}", dropped.empty() ? "" : " · ",
                             colour(k), esc(k), v);
    }
    for (const auto& [k, v] : st.docs_dropped) {
      dropped += fmt::format("{}documents: {} {}", dropped.empty() ? "" : " · ", esc(k), v);
    }
    out += fmt::format(
        "<tr data-step=\"{}\"><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}"
        "</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:.1f}"
        "</td><td>{}</td></tr>\n",
        esc(name), esc(name), st.docs_in, st.docs_out, st.blocks_in, st.blocks_out, st.bytes_in, st.bytes_out,
        static_cast<double>(st.nanoseconds) / 1e6, dropped);
  }
  out += "</table>\n</details>\n";

  // ---- documents ----
  const std::size_t shown = detailed();
  out += fmt::format("<h2 id=\"documents\">Documents</h2>\n<p class=\"note\" data-shown=\"{}\">", shown);
  if (shown == documents_) {
    out += fmt::format("All {} documents, in input order.", documents_);
  } else {
    out += fmt::format(
        "{} of {} documents: the first {}, then every {}th of the rest (a deterministic sample; the "
        "summary above counts every document).",
        shown, documents_, head_.size(), stride_);
  }
  out += "</p>\n";
  if (shown > 0) {
    out += "<div class=\"legend\" id=\"legend\">";
    std::set<std::string> seen;
    for (const auto* part : {&head_, &tail_}) {
      for (const auto& s : *part) {
        for (const auto& [k, v] : s.doc.removed_by_reason) {
          seen.insert(k);
        }
      }
    }
    for (const auto& r : all_reasons()) {
      if (seen.count(std::string(r.id)) > 0) {
        out += fmt::format("<span title=\"{}\"><span class=\"sw\" style=\"--c:{}\"></span>{}</span>", esc(r.what),
                           colour(r.id), esc(r.id));
        seen.erase(std::string(r.id));
      }
    }
    for (const auto& r : seen) {
      out += fmt::format("<span><span class=\"sw\" style=\"--c:{}\"></span>{}</span>", colour(r), esc(r));
    }
    out += "</div>\n";
    out +=
        "<div class=\"controls\"><label for=\"only-removed\" class=\"toggle\">show only removed blocks</label>"
        " · hover a struck-through block for reason — step — evidence</div>\n";
    out +=
        "<table class=\"toc\" id=\"toc\"><tr><th class=\"n\">#</th><th>document</th><th>status</th>"
        "<th class=\"n\">blocks</th><th class=\"n\">removed</th></tr>\n";
    for (const auto* part : {&head_, &tail_}) {
      for (const auto& s : *part) {
        std::uint64_t removed = 0;
        for (const auto& [k, v] : s.doc.removed_by_reason) {
          removed += v;
        }
        std::string status = s.doc.error ? "failed" : s.doc.drop ? "dropped (" + s.doc.drop->reason + ")" : "kept";
        out += fmt::format(
            "<tr><td class=\"n\">{}</td><td><a href=\"#d{}\">{}</a></td><td>{}</td><td class=\"n\">{}"
            "</td><td class=\"n\">{}</td></tr>\n",
            s.index + 1, s.index, esc(s.doc.id), esc(status), s.doc.total_blocks, removed);
      }
    }
    out += "</table>\n";
    for (const auto* part : {&head_, &tail_}) {
      for (const auto& s : *part) {
        out += render_document(s);
      }
    }
  }
  out += "</main>\n</body>\n</html>\n";
  return out;
}

Status HtmlReport::write(const std::string& path, const RunStats& stats) const {
  return write_atomic(path, render(stats));
}

}  // namespace decruft::io
