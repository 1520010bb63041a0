// A cluster run: the corpus in N shards, the stages as separate processes (Slurm array tasks)
// exchanging files in a shared work directory; the output is byte-identical to a single-machine
// run over the same inputs with the same options. docs/cli.md "Cluster run" has the stages and
// the files; scripts/slurm/ drives them.
//
//   decruft IN -o OUT --format jsonl --stage clean --shard 3/8 --work /shared/w
//
//   stage    tasks  reads                          writes (in WORK)
//   prepass  N      shard I's documents            prepass-I-of-N.bin (corpus_lines counts)
//   clean    N      shard I, all prepass-*         keys-I-of-N.bin (id, XXH3-128, signature)
//   bands    N      all keys-*, LSH bands of task I pairs-I-of-N.bin (verified near pairs)
//   dedup    1      all keys-*, all pairs-*        verdicts-I-of-N.bin (duplicate verdicts)
//   write    N      shard I, prepass-*, verdicts-I out-I-of-N.bin, dups-I-of-N.jsonl, stats-I-of-N.bin
//                                                  (text formats: the files go to OUT directly)
//   merge    1      all out-*, dups-*, stats-*     OUT: part-*.jsonl.zst + manifest, report.json,
//                                                  duplicates.jsonl
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "cli/options.h"
#include "core/pipeline.h"

namespace decruft::cli {

// Shard i of n takes input files [bounds[i], bounds[i+1]) of the sorted input list: contiguous
// ranges balanced by byte size (the first file whose preceding bytes reach i/n of the total starts
// shard i), so every task computes the same split and the shards in order are the input order.
std::vector<std::size_t> shard_bounds(const std::vector<std::uint64_t>& sizes, int n);

// Runs o.cluster.stage; returns the exit status (options.h).
int run_cluster(const Options& o, Pipeline& pipeline, std::FILE* err);

}  // namespace decruft::cli
