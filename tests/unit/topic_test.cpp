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

// Words are found and their letters counted eight bytes at a time, the key's last bytes one at
// a time: the same text after short words of every length (dropped as terms, each shifting
// where the eight-byte windows fall) gives the same terms. Words of one- to three-byte letters
// and of every length, with affixes whose stripping depends on the letter count.
TEST(TermBag, TermsDoNotDependOnWhereWordsFall) {
  const std::vector<std::string> pieces = {"ا", "ل", "و", "ب", "م", "ن", "ي", "ه", "ات", "ون", "x", "q", "中", "文"};
  std::uint64_t state = 99;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state >> 33;
  };
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const std::size_t words = 1 + next() % 12;
    for (std::size_t n = 0; n < words; ++n) {
      const std::size_t length = 1 + next() % 12;
      for (std::size_t k = 0; k < length; ++k) {
        text += pieces[next() % pieces.size()];
      }
      text += ' ';
    }
    const std::vector<std::string> terms = filters::content_terms(text);
    for (std::size_t shift = 1; shift < 16; ++shift) {
      // "a " shifts by two bytes, "ab " by three: every shift modulo 8.
      std::string padded;
      for (std::size_t k = 0; k < shift / 2; ++k) {
        padded += "a ";
      }
      padded += shift % 2 == 1 ? "ab " : "";
      ASSERT_EQ(filters::content_terms(padded + text), terms) << round << " " << shift << " " << text;
    }
  }
}

// scan_word (eight bytes at a time) against the byte loop it replaced, at every end and length,
// on bytes of all kinds: spaces, ASCII, UTF-8 lead and continuation bytes.
TEST(TermBag, ScanWordIsTheByteLoop) {
  const std::string bytes = std::string(" a") + "\xD8\xA7\xD9\x84\xE4\xB8\xAD\xF0\x9F\x98\x80\x7F\xC0\xBF\xFF";
  std::uint64_t state = 7;
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    const std::size_t n = (state >> 33) % 40;
    const int space_odds = 2 + static_cast<int>((state >> 20) % 30);
    for (std::size_t k = 0; k < n; ++k) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      const std::uint64_t r = state >> 33;
      s += r % static_cast<std::uint64_t>(space_odds) == 0 ? ' ' : bytes[1 + (r >> 8) % (bytes.size() - 1)];
    }
    const char* end = s.data() + s.size();
    for (const char* p = s.data(); p <= end; ++p) {
      const char* q = p;
      std::size_t plain = 0;
      for (; q < end && *q != ' '; ++q) {
        plain += (static_cast<unsigned char>(*q) & 0xC0) != 0x80 ? 1 : 0;
      }
      std::size_t letters = 0;
      ASSERT_EQ(filters::scan_word(p, end, letters), q) << round;
      ASSERT_EQ(letters, plain) << round;
    }
  }
}

// Stop words of every byte length (3 to 12) are found and dropped, words one letter away from
// them are not (the stop set packs a word's bytes into 16 with loads that overlap).
TEST(TermBag, StopWordsOfEveryLengthAreDropped) {
  const std::vector<std::string> stop = {"the",   "were",   "which",  "before", "ايضا",  "هناك",  "الذين",
                                         "والتي", "وقالت", "عندما",  "اللذين", "اللتين", "واضاف", "years"};
  std::string all;
  for (const std::string& w : stop) {
    all += w + " ";
    EXPECT_TRUE(filters::content_terms(w).empty()) << w;
    EXPECT_TRUE(filters::content_terms("صاروخ " + w + " صاروخ").size() == 2) << w;
  }
  EXPECT_TRUE(filters::content_terms(all).empty());
  EXPECT_EQ(filters::content_terms("thx"), std::vector<std::string>{"thx"});
  EXPECT_EQ(filters::content_terms("whicx"), std::vector<std::string>{"whicx"});
  EXPECT_EQ(filters::content_terms("beforx"), std::vector<std::string>{"beforx"});
  EXPECT_EQ(filters::content_terms("yearz"), std::vector<std::string>{"yearz"});
  EXPECT_EQ(filters::content_terms("اللذيك").size(), 1u);
  EXPECT_EQ(filters::content_terms("اللتيك").size(), 1u);
  EXPECT_EQ(filters::content_terms("عندمك").size(), 1u);
  EXPECT_EQ(filters::content_terms("ايضك").size(), 1u);
}

}  // namespace
}  // namespace decruft
