// The Document that flows through every pipeline step, and its Blocks.
//
// A Block is one paragraph unit (a line of a text scrape, a <p>/<h2>/<li> of a page). It keeps
// the byte span of the raw input it came from (raw_begin/raw_end, offsets into Document::raw),
// so every removal traces back to raw bytes even after normalisation rewrote the text.
// A block is kept until a step drops it; a drop records a stable reason id (see
// core/reasons.h), the step that said so and the evidence, for the report and `explain`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "text/chars.h"

namespace decruft {

class Step;

// Why something was removed: reason id (stable snake_case), step name, human evidence.
struct Drop {
  std::string reason;
  std::string step;
  std::string evidence;
};

enum class BlockKind : std::uint8_t {
  k_title,      // the document title (first line of a text scrape, og:title/h1 of a page)
  k_paragraph,  // ordinary text
  k_heading,    // h1-h6 or a subheading line
  k_list_item,  // li
  k_quote,      // blockquote
  k_code,       // pre
  k_table_cell, // td/th
};

const char* to_string(BlockKind kind);

// Features of a block that came from HTML (empty for text scrapes).
struct HtmlFeatures {
  std::string tag_path;              // e.g. "body>div>article>p"
  std::vector<std::string> hints;    // class/id tokens that carry meaning: nav, share, related ...
  double link_density = 0.0;         // share of the text inside <a>
  bool in_nav = false;               // inside nav/header/footer/aside
  bool in_figure = false;            // inside figure/figcaption
  bool in_main = false;              // inside the chosen article region
};

struct Block {
  std::string text;             // current text (normalised once the normalize step ran)
  std::size_t raw_begin = 0;    // byte span in Document::raw
  std::size_t raw_end = 0;
  std::size_t line = 0;         // 1-based line of the raw input where the block starts (0: n/a)
  BlockKind kind = BlockKind::k_paragraph;
  std::optional<HtmlFeatures> html;
  std::vector<std::string> sentences;  // filled by the sentences step
  std::optional<Drop> drop;            // set when a step removed the block
  int story = 0;                       // 0: the main story; n > 0: the n-th appended story

  bool kept() const { return !drop.has_value(); }

  // Derived from `text` on first use and kept, because every filter and the dedup steps ask for
  // them: the match key (text::match_key) and the character profile (text::profile), computed
  // together in one pass (text::key_and_profile) on the first use of either. Whoever
  // rewrites `text` after blocks were built calls set_text(), which forgets them.
  const std::string& key() const;
  const text::CharProfile& profile() const;
  // The key alone (text::match_key), for a first pass that never asks for the profile: a quarter
  // cheaper than deriving both. A later profile() computes the profile on its own.
  const std::string& key_alone() const;
  void set_text(std::string t);

 private:
  void derive() const;  // sets both key_ and profile_
  mutable std::optional<std::string> key_;
  mutable std::optional<text::CharProfile> profile_;
};

enum class InputFormat : std::uint8_t { k_auto, k_text, k_html, k_jsonl };

struct Document {
  std::string id;        // stable id: relative path without extension, or the JSONL `id`
  std::string source;    // where it came from: a path, "-" for stdin, "path:line" for JSONL
  std::string out_path;  // output path relative to the output dir ("a/b.txt"); empty on stdin
  std::string title;
  InputFormat format = InputFormat::k_auto;
  std::string raw;       // the input bytes (valid UTF-8 once the decode step ran)
  std::vector<Block> blocks;
  // Other fields carried through (JSONL fields, HTML metadata): key -> JSON value text.
  std::map<std::string, std::string> metadata;

  std::optional<Drop> drop;          // document-level removal (duplicate_doc, empty ...)
  std::optional<std::string> error;  // failed: the message names the cause
  std::size_t repaired_bytes = 0;    // invalid UTF-8 bytes replaced by U+FFFD
  // `raw` is valid UTF-8 (the JSON Lines parser checked the record, or the decode step checked or
  // repaired it), and so are the text blocks cut from it at ASCII white space: later steps need
  // not check them again.
  bool raw_valid_utf8 = false;
  std::vector<Document> split_stories;  // with --split-stories: appended stories as documents
  // First pass only: the corpus-level step that observes this document, asked which blocks to
  // make at all (Step::prepass_wants); nullptr: all of them.
  const Step* prepass_observer = nullptr;

  bool kept() const { return !drop && !error; }
  std::size_t kept_blocks() const;
  // The kept text, one block per line (no trailing newline).
  std::string kept_text() const;
};

}  // namespace decruft
