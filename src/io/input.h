// Input discovery and reading: files, directory trees, stdin; text scrapes, HTML pages, JSON Lines
// records and WARC response records; plain, gzip or zstd compressed.
//
// Reading streams: a JSON Lines or WARC file of any size is read record by record, never whole,
// so memory is bounded by the largest record (and ReadOptions::max_bytes). A text or HTML file is
// one document and is read whole, up to max_bytes.
//
//   io::DocumentReader reader({"corpus.jsonl.zst", "corpus.jsonl.zst"}, {});
//   while (auto doc = reader.next()) { pipeline.run(*doc); }
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/document.h"
#include "core/status.h"

namespace decruft::io {

struct InputFile {
  std::string path;   // as given or found ("-" for stdin)
  std::string rel;    // path relative to the input root it was found under ("" for stdin)
  std::string error;  // non-empty: the entry could not be read (broken or looping symbolic link,
                      // unreadable directory); it becomes one failed document in the report
};

struct CollectedInputs {
  std::vector<InputFile> files;         // in a deterministic order: arguments in order, each tree sorted
  std::vector<std::string> warnings;    // not documents: e.g. a symbolic link to a directory, not followed
};

// Expands the given paths: files as they are, directories recursively (sorted by relative path, so
// the order is deterministic; hidden entries skipped; symbolic links to directories not followed,
// so a link loop cannot recurse), "-" as stdin. `exclude_dir` (the output directory, when it lies
// inside an input tree) is skipped. A path given that does not exist is an error for the whole run
// (usage), returned as Status; problems inside a tree become InputFile entries with `error`.
Result<CollectedInputs> collect_inputs(const std::vector<std::string>& paths, const std::string& exclude_dir = {});

//   option        default  effect
//   format        auto     k_auto: by extension (.txt text; .html/.htm html; .jsonl/.ndjson/.json
//                          JSON Lines; .warc WARC; each also with .gz/.zst), else sniffed from the
//                          first bytes (WARC/ header, a JSON object line, an HTML tag, else text)
//   text_field    "text"   JSONL field holding the document text ("content" is tried next)
//   html_field    "html"   JSONL field holding an HTML page
//   max_bytes     64 MiB   a larger document (file, JSONL line, WARC record) is failed, not read
//                          whole; the rest of the input goes on
struct ReadOptions {
  InputFormat format = InputFormat::k_auto;
  std::string text_field = "text";
  std::string html_field = "html";
  std::size_t max_bytes = std::size_t{64} << 20;
  // A first pass over the corpus needs a document's text and format only, and whether it has a
  // title: JSON Lines records then skip their metadata, ids and output paths, and a non-empty
  // title is the stand-in "t" (documents are otherwise the same).
  bool body_only = false;
  // JSON Lines records come out unparsed (format k_jsonl, raw = the record's line), for
  // parse_deferred_record() to parse on another thread: the reader, which runs in order on one
  // thread, then only splits lines.
  bool defer_jsonl = false;
};

// Parses a record read with ReadOptions::defer_jsonl (any other document is left alone): the same
// document, fields and messages as reading it without deferral. Thread-safe.
void parse_deferred_record(Document& doc, const ReadOptions& options);

// Pulls the documents of one input, one at a time, in order: one for a text or HTML file, one per
// non-blank line for JSON Lines, one per HTML response record for WARC. Problems become documents
// with `error` set (the message names the file, and the line or record), never exceptions:
// a malformed JSONL line costs that line only; a truncated compressed file yields the documents
// read before the damage and then one failed document.
class DocumentReader {
 public:
  DocumentReader(InputFile input, ReadOptions options);
  // Reads from memory instead of the file system (tests, fuzzing, stdin buffered for a prepass).
  // `input.path` only names the documents.
  DocumentReader(InputFile input, ReadOptions options, std::string bytes);
  DocumentReader(DocumentReader&&) noexcept;
  DocumentReader& operator=(DocumentReader&&) noexcept;
  ~DocumentReader();

  // The next document, or nullopt once the input is exhausted.
  std::optional<Document> next();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Convenience: hands every document of `input` to `sink`, in order.
void read_documents(const InputFile& input, const ReadOptions& options,
                    const std::function<void(Document&&)>& sink);

// Reads a whole file or stdin ("-") into memory, at most `max_bytes` (after decompression);
// .gz and .zst are decompressed transparently (sniffed by their magic bytes).
Result<std::string> read_file(const std::string& path, std::size_t max_bytes = std::size_t{2} << 30);

}  // namespace decruft::io
