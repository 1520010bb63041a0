// The dedup steps build a document's body key from its blocks' cached keys (Block::key()) joined
// with ' ' instead of re-keying the joined text; this checks the identity that relies on, on the
// seed scrapes after the whole pipeline (and on the development articles when present), and that
// a step given its work ahead (prepare + process(doc, prepared)) decides as process(doc) does.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/options.h"
#include "core/pipeline.h"
#include "core/step.h"
#include "dedup/dedup.h"
#include "io/input.h"
#include "text/key.h"
#include "text_corpus.h"

namespace decruft::dedup {
namespace {

std::string joined_keys(const std::vector<const Block*>& blocks) {
  std::string key;
  for (const Block* b : blocks) {
    if (b->key().empty()) {
      continue;
    }
    if (!key.empty()) {
      key += ' ';
    }
    key += b->key();
  }
  return key;
}

std::string joined_text(const std::vector<const Block*>& blocks) {
  std::string text;
  for (const Block* b : blocks) {
    if (!text.empty()) {
      text += '\n';
    }
    text += b->text;
  }
  return text;
}

// The seed scrapes through every step before dedup, as the runner leaves them.
std::vector<Document> cleaned_seed_documents() {
  cli::Options o;
  auto p = cli::build_pipeline(o);
  EXPECT_TRUE(p.ok());
  auto collected = io::collect_inputs({std::string(DECRUFT_SOURCE_DIR) + "/raw"});
  EXPECT_TRUE(collected.ok());
  std::vector<Document> docs;
  for (const auto& f : collected->files) {
    io::DocumentReader r(f, o.read);
    while (auto d = r.next()) {
      docs.push_back(std::move(*d));
    }
  }
  for (const auto& d : docs) {
    p->observe(d);
  }
  p->end_prepass();
  for (auto& d : docs) {
    p->run_until(d, p->find("exact_dedup"));
  }
  return docs;
}

TEST(DedupKeys, BodyKeyFromBlockKeys) {
  std::size_t checked = 0;
  for (const auto& doc : cleaned_seed_documents()) {
    std::vector<const Block*> kept;
    std::vector<const Block*> all;
    for (const auto& b : doc.blocks) {
      all.push_back(&b);
      if (b.kept() && b.kind != BlockKind::k_title) {
        kept.push_back(&b);
      }
    }
    EXPECT_EQ(joined_keys(kept), text::match_key(joined_text(kept))) << doc.id;
    EXPECT_EQ(joined_keys(all), text::match_key(joined_text(all))) << doc.id;
    checked += all.size();
  }
  EXPECT_GT(checked, 100u);
}

TEST(DedupKeys, AdjacentLinesKeyApart) {
  auto lines = testing::raw_paragraphs();
  auto more = testing::dataset_paragraphs();
  lines.insert(lines.end(), more.begin(), more.end());
  ASSERT_GT(lines.size(), 100u);
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    std::string a = text::match_key(lines[i]);
    std::string b = text::match_key(lines[i + 1]);
    if (a.empty() || b.empty()) {
      continue;
    }
    ASSERT_EQ(a + " " + b, text::match_key(lines[i] + "\n" + lines[i + 1])) << lines[i] << " | " << lines[i + 1];
  }
}

// Every seed document twice, then once more with one block less: the prepared path (what the
// runner does) gives the verdicts, duplicate_of and similarity of the plain path.
TEST(DedupKeys, PreparedStepsDecideAsPlainSteps) {
  auto docs = cleaned_seed_documents();
  std::vector<Document> corpus = docs;
  corpus.insert(corpus.end(), docs.begin(), docs.end());
  for (auto d : docs) {
    if (d.blocks.size() > 3) {
      d.blocks.erase(d.blocks.begin() + 2);
      corpus.push_back(std::move(d));
    }
  }
  auto plain_exact = make_exact_dedup_step();
  auto plain_near = make_near_dedup_step();
  auto prep_exact = make_exact_dedup_step();
  auto prep_near = make_near_dedup_step();
  std::size_t dropped = 0;
  for (const auto& d : corpus) {
    Document a = d;
    Document b = d;
    if (a.kept()) {
      plain_exact->process(a);
    }
    if (a.kept()) {
      plain_near->process(a);
    }
    Prepared p;
    prep_exact->prepare(b, p);
    prep_near->prepare(b, p);
    if (b.kept()) {
      prep_exact->process(b, p);
    }
    if (b.kept()) {
      prep_near->process(b, p);
    }
    ASSERT_EQ(a.drop.has_value(), b.drop.has_value()) << d.id;
    if (a.drop) {
      ++dropped;
      EXPECT_EQ(a.drop->reason, b.drop->reason);
      EXPECT_EQ(a.drop->evidence, b.drop->evidence);
      EXPECT_EQ(a.metadata, b.metadata);
    }
  }
  EXPECT_GE(dropped, docs.size());
}

}  // namespace
}  // namespace decruft::dedup
