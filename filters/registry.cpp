#include "filters/registry.h"

#include "filters/rules.h"

namespace decruft::filters {

Result<std::vector<std::unique_ptr<Step>>> make_filters(const FilterOptions& options) {
  auto rules = RuleSet::builtin();
  if (!rules) {
    return rules.status();
  }
  for (const auto& f : options.rule_files) {
    if (Status s = rules->add_file(f); !s) {
      return s;
    }
  }
  std::vector<std::unique_ptr<Step>> steps;
  return steps;
}

}  // namespace decruft::filters
