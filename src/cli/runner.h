// Runs a corpus through the pipeline: inputs -> documents -> steps -> writers and reports.
#pragma once

#include <cstdio>

#include "cli/options.h"
#include "core/pipeline.h"

namespace decruft::cli {

// Returns the exit status (see options.h). Diagnostics go to `err` with a "decruft: " prefix.
int run_corpus(const Options& options, Pipeline& pipeline, std::FILE* out, std::FILE* err);

// `decruft explain`: prints every block of every document in the input with its verdict.
int run_explain(const Options& options, Pipeline& pipeline, std::FILE* out, std::FILE* err);

}  // namespace decruft::cli
