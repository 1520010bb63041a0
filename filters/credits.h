// credits: source and credit lines ("* خدمة «نيويورك تايمز»", "العربيّة المصدر: العربيّة",
// "Reporting by …", "«الشرق الأوسط» (بكين)").
#pragma once

#include <memory>

#include "core/step.h"
#include "filters/rules.h"

namespace decruft::filters {

std::unique_ptr<Step> make_credits_filter(std::shared_ptr<const RuleSet> rules);

}  // namespace decruft::filters
