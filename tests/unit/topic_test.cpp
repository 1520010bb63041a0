// TermBag's shortcuts against the plain calls they stand for, on generated paragraphs: the
// stories filter decides on sums of floating-point weights, so "the same" means bit for bit,
// and the slot layout (the order later sums are added up in) the same too.
#include <gtest/gtest.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "filters/topic.h"
#include "text/key.h"

namespace decruft {
namespace {

// News words (some listed in the IDF table, some not: weights of all sizes), with and without
// clitics and suffixes, and stop words.
const char* const k_text =
    "أعلنت شركة «ديب سيك» الصينية لتطوير الذكاء الاصطناعي أنها أنفقت ألف دولار فقط على تدريب نموذج "
    "الخاص بها، وهو مبلغ أقل بكثير مما أعلنته الشركات الأميركية المنافسة في هذا المجال وأفاد مقال نشرته "
    "الشركة في مجلة العلمية بأن النموذج دُرّب على شريحة من إنتاج وأن تكلفة التدريب بلغت جزءاً صغيراً مما "
    "تنفقه الشركات الكبرى على نماذجها وتشير تكاليف تدريب نماذج اللغات الكبيرة إلى النفقات المتكبدة من تشغيل "
    "مجموعة من الشرائح القوية لأسابيع أو أشهر لمعالجة كميات هائلة من النصوص والرموز البرمجية منحت وكالة "
    "العالمية للتصنيفات الائتمانية نظرة مستقبلية إيجابية لتركيا مشيرة زيادة احتياطات البلاد النقد الأجنبي "
    "وتراجع التضخم Markets rallied strongly after the central bank said inflation was easing";

class Words {
 public:
  Words() {
    std::istringstream in(k_text);
    for (std::string w; in >> w;) {
      words_.push_back(w);
    }
  }
  // A paragraph of n words; one word in four carries a number, so that bags grow past the
  // common vocabulary (terms no other bag holds, at the IDF table's top weight).
  std::string paragraph(std::size_t n) {
    std::string text;
    for (std::size_t k = 0; k < n; ++k) {
      text += words_[next() % words_.size()];
      if (next() % 4 == 0) {
        text += std::to_string(next() % 3000);
      }
      text += ' ';
    }
    return text;
  }
  std::uint64_t next() {
    state_ = state_ * 6364136223846793005ull + 1442695040888963407ull;
    return state_ >> 33;
  }

 private:
  std::vector<std::string> words_;
  std::uint64_t state_ = 2024;
};

// Paragraph lengths from one word to a few hundred: bags grow through several tables.
std::size_t length(Words& w, int round) { return 1 + (round % 9 == 0 ? w.next() % 400 : w.next() % 60); }

// merge_shared(p) is p.shared_weight(bag) then bag.merge(p): the shared sum, the bag's weight
// (added in the order the terms came in), its distinct count and its slot layout (its own
// shared_weight against another bag adds up in slot order).
TEST(TermBag, MergeSharedIsSharedWeightThenMerge) {
  Words words;
  filters::TermBag probe;
  probe.add(words.paragraph(300));
  filters::TermBag fast;
  filters::TermBag plain;
  filters::TermBag para;
  for (int round = 0; round < 400; ++round) {
    if (round % 100 == 0) {  // the stories filter starts the article over now and then
      fast = filters::TermBag();
      plain = filters::TermBag();
    }
    para.clear();
    para.add(words.paragraph(length(words, round)));
    const double plain_shared = para.shared_weight(plain);
    plain.merge(para);
    const double fast_shared = fast.merge_shared(para);
    ASSERT_EQ(fast_shared, plain_shared) << round;
    ASSERT_EQ(fast.weight(), plain.weight()) << round;
    ASSERT_EQ(fast.distinct(), plain.distinct()) << round;
    ASSERT_EQ(fast.shared_weight(probe), plain.shared_weight(probe)) << round;
    ASSERT_EQ(probe.shared_weight(fast), probe.shared_weight(plain)) << round;
  }
}

// add_terms(key_terms(...)) of one key after another is add_key of each: same terms in the same
// slots, same weight sum; and containment_of on the parts is containment.
TEST(TermBag, AddTermsIsAddKey) {
  Words words;
  filters::TermBag reference;
  reference.add(words.paragraph(200));
  filters::TermBag fast;
  filters::TermBag plain;
  std::vector<std::uint64_t> terms;
  for (int round = 0; round < 400; ++round) {
    const std::string head = text::match_key(words.paragraph(1 + words.next() % 8));
    const std::string body = text::match_key(words.paragraph(length(words, round)));
    plain.clear();
    plain.add_key(head);
    plain.add_key(body);
    terms.clear();
    filters::TermBag::key_terms(head, terms);
    const std::size_t head_terms = terms.size();
    filters::TermBag::key_terms(body, terms);
    fast.clear();
    fast.add_terms(std::span<const std::uint64_t>(terms).first(head_terms));
    fast.add_terms(std::span<const std::uint64_t>(terms).subspan(head_terms));
    ASSERT_EQ(fast.distinct(), plain.distinct()) << round;
    ASSERT_EQ(fast.weight(), plain.weight()) << round;
    ASSERT_EQ(fast.shared_weight(reference), plain.shared_weight(reference)) << round;
    ASSERT_EQ(reference.shared_weight(fast), reference.shared_weight(plain)) << round;
    ASSERT_EQ(filters::containment_of(fast.shared_weight(reference), fast.weight(), reference.weight()),
              filters::containment(plain, reference))
        << round;
  }
}

}  // namespace
}  // namespace decruft
