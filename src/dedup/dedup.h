// Corpus deduplication steps: exact (normalised key hash) and near-duplicate (MinHash/LSH).
//
// Both run on the cleaned text (kept blocks). A dropped document gets doc.drop with reason
// `duplicate_doc` / `near_duplicate_doc`, and doc.metadata["duplicate_of"] (JSON string: the id of
// the kept document it duplicates) and doc.metadata["similarity"] (JSON number), which the
// runner writes to the duplicates report. The document kept is the first in input order.
#pragma once

#include <cstdint>
#include <memory>

namespace decruft {
class Step;
}

namespace decruft::dedup {

//   option           default  effect
//   shingle_words    5        word n-gram size of the shingles
//   bands            14       LSH bands
//   rows             8        rows per band (signature length = bands * rows)
//   threshold        0.8      estimated Jaccard at or above which two documents are near-duplicates
//   seed             1        hash seed (fixed: results are reproducible)
//   paragraphs       false    also drop paragraphs already seen in earlier documents
struct DedupOptions {
  int shingle_words = 5;
  int bands = 14;
  int rows = 8;
  double threshold = 0.8;
  std::uint64_t seed = 1;
  bool paragraphs = false;
};

std::unique_ptr<Step> make_exact_dedup_step(const DedupOptions& options = {});
std::unique_ptr<Step> make_near_dedup_step(const DedupOptions& options = {});
std::unique_ptr<Step> make_paragraph_dedup_step(const DedupOptions& options = {});

}  // namespace decruft::dedup
