// Input discovery and reading: files, directory trees, stdin, JSON Lines records.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/document.h"
#include "core/status.h"

namespace decruft::io {

struct InputFile {
  std::string path;  // as given or found ("-" for stdin)
  std::string rel;   // path relative to the input root it was found under ("" for stdin)
};

struct CollectedInputs {
  std::vector<InputFile> files;
  // Paths that could not be walked (unreadable directory, symlink loop ...): each becomes a
  // failed document in the report.
  std::vector<std::pair<std::string, std::string>> errors;  // path, message
};

// Expands the given paths: files as they are, directories recursively (sorted by path, so the
// order is deterministic; hidden files and report files skipped), "-" as stdin. A missing path is
// an error for the whole run (usage), returned as Status.
Result<CollectedInputs> collect_inputs(const std::vector<std::string>& paths);

//   option        default  effect
//   format        auto     k_auto: by extension (.txt text, .html/.htm html, .jsonl/.json jsonl),
//                          else sniffed; or forced
//   text_field    "text"   JSONL field holding the document text ("content" is tried next)
//   html_field    "html"   JSONL field holding an HTML page
//   max_bytes     2 GiB    a larger file is failed, not read
struct ReadOptions {
  InputFormat format = InputFormat::k_auto;
  std::string text_field = "text";
  std::string html_field = "html";
  std::size_t max_bytes = std::size_t{2} << 30;
};

// Reads one input and hands each document it holds to `sink`, in order: one for a text or HTML
// file, one per line for JSON Lines. Problems become documents with `error` set (the message
// names the file, and the line for JSONL), never exceptions: the run goes on.
void read_documents(const InputFile& input, const ReadOptions& options,
                    const std::function<void(Document&&)>& sink);

// Reads a whole file or stdin ("-") into memory; .gz and .zst are decompressed transparently.
Result<std::string> read_file(const std::string& path, std::size_t max_bytes = std::size_t{2} << 30);

}  // namespace decruft::io
