#include "core/document.h"

#include "text/key.h"

namespace decruft {

const char* to_string(BlockKind kind) {
  switch (kind) {
    case BlockKind::k_title: return "title";
    case BlockKind::k_paragraph: return "paragraph";
    case BlockKind::k_heading: return "heading";
    case BlockKind::k_list_item: return "list_item";
    case BlockKind::k_quote: return "quote";
    case BlockKind::k_code: return "code";
    case BlockKind::k_table_cell: return "table_cell";
  }
  return "paragraph";
}

// Both at once, whichever is asked for first: nearly every block needs both, and one pass over
// the text costs little more than either.
void Block::derive() const {
  text::KeyAndProfile f = text::key_and_profile(text);
  key_ = std::move(f.key);
  profile_ = f.profile;
}

const std::string& Block::key() const {
  if (!key_) {
    derive();
  }
  return *key_;
}

const text::CharProfile& Block::profile() const {
  if (!profile_) {
    if (key_) {
      profile_ = text::profile(text);  // the key came alone (key_alone())
    } else {
      derive();
    }
  }
  return *profile_;
}

const std::string& Block::key_alone() const {
  if (!key_) {
    key_ = text::match_key(text);
  }
  return *key_;
}

void Block::set_text(std::string t) {
  text = std::move(t);
  key_.reset();
  profile_.reset();
}

std::size_t Document::kept_blocks() const {
  std::size_t n = 0;
  for (const auto& b : blocks) {
    n += b.kept() ? 1 : 0;
  }
  return n;
}

std::string Document::kept_text() const {
  std::string out;
  for (const auto& b : blocks) {
    if (!b.kept()) {
      continue;
    }
    if (!out.empty()) {
      out += '\n';
    }
    out += b.text;
  }
  return out;
}

}  // namespace decruft
