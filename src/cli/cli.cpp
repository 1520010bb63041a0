#include "cli/cli.h"

#include <fmt/format.h>

#include <cstdio>

#include "cli/cluster.h"
#include "cli/options.h"
#include "cli/runner.h"

namespace decruft::cli {

int run(int argc, const char* const* argv) {
  auto parsed = parse_args(argc, argv);
  if (!parsed) {
    fmt::print(stderr, "decruft: {}\nRun 'decruft --help' for usage.\n", parsed.status().message());
    return k_exit_usage;
  }
  if (parsed->exit_now) {
    fmt::print(stdout, "{}", parsed->output);
    return parsed->exit_code;
  }
  const Options& o = parsed->options;
  auto pipeline = build_pipeline(o);
  if (!pipeline) {
    fmt::print(stderr, "decruft: {}\n", pipeline.status().message());
    return k_exit_usage;
  }
  if (o.list_steps) {
    for (const auto& s : pipeline->steps()) {
      fmt::print(stdout, "{:<18} {:<4} {}\n", s.name, s.enabled ? "on" : "off", s.description);
    }
    return k_exit_ok;
  }
  if (o.explain) {
    return run_explain(o, *pipeline, stdout, stderr);
  }
  if (!o.cluster.stage.empty()) {
    return run_cluster(o, *pipeline, stderr);
  }
  return run_corpus(o, *pipeline, stdout, stderr);
}

}  // namespace decruft::cli
