// Corpus deduplication steps: exact (normalised key hash) and near-duplicate (MinHash/LSH), and
// optional paragraph-level dedup across documents.
//
// All three run on the cleaned text (kept blocks), after `sentences`, and are called serially in
// input order: each is an online detector that drops a document (or paragraph) when it matches
// one seen EARLIER, so the first occurrence of a cluster is the one kept and the result depends
// only on the input order, never on the thread count. docs/dedup.md has the design and figures.
//
// A dropped document gets doc.drop with reason `duplicate_doc` / `near_duplicate_doc`, and
// doc.metadata["duplicate_of"] (JSON string: the id of the earlier document it matched) and
// doc.metadata["similarity"] (JSON number: 1.0 for exact, the estimated Jaccard for near), which
// the runner writes to the duplicates report.
//
//   auto exact = dedup::make_exact_dedup_step();
//   auto near = dedup::make_near_dedup_step({.threshold = 0.85});
//   exact->process(doc1); exact->process(doc2);   // doc2 dropped if its key equals doc1's
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace decruft {
class Step;
}

namespace decruft::dedup {

//   option               default  effect
//   shingle_words        5        word n-gram size of the shingles (a shorter text: one shingle)
//   bands                14       LSH bands
//   rows                 8        rows per band: the first bands * rows signature slots form the bands
//   signature_slots      256      MinHash slots kept per document (16 bits each, at least bands * rows);
//                                 all of them estimate the Jaccard of an LSH candidate pair
//   threshold            0.8      estimated Jaccard at or above which two documents are near-duplicates
//   seed                 1        hash seed (fixed: results are reproducible)
//   max_shingles         1<<20    shingles hashed per document (the first ones): bounds a huge document
//   title_below_words    10       a body with fewer words is compared together with its title (titles
//                                 are otherwise left out: outlets retitle the same story)
//   paragraphs           false    also drop paragraphs already seen in earlier documents
//   paragraph_min_words  10       paragraph_dedup ignores paragraphs with fewer key words than this
//                                 (short stock phrases recur legitimately)
struct DedupOptions {
  int shingle_words = 5;
  int bands = 14;
  int rows = 8;
  int signature_slots = 256;
  double threshold = 0.8;
  std::uint64_t seed = 1;
  std::size_t max_shingles = std::size_t{1} << 20;
  int title_below_words = 10;
  bool paragraphs = false;
  int paragraph_min_words = 10;
};

std::unique_ptr<Step> make_exact_dedup_step(const DedupOptions& options = {});
std::unique_ptr<Step> make_near_dedup_step(const DedupOptions& options = {});
std::unique_ptr<Step> make_paragraph_dedup_step(const DedupOptions& options = {});

}  // namespace decruft::dedup
