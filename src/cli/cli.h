// The command line: `main` only calls decruft::cli::run.
#pragma once

namespace decruft::cli {

int run(int argc, const char* const* argv);

}  // namespace decruft::cli
