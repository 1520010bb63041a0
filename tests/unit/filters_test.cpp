// Filter tests: each asserts WHICH reason fired on which line, through the real pipeline.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "cli/options.h"
#include "core/reasons.h"
#include "filters/captions.h"
#include "filters/corpus_lines.h"
#include "filters/repeated.h"
#include "filters/rules.h"
#include "filters/shape.h"
#include "filters/topic.h"
#include "text/chars.h"
#include "text/key.h"

namespace decruft {
namespace {

std::string read_source(const std::string& rel) {
  std::ifstream in(std::string(DECRUFT_SOURCE_DIR) + "/" + rel, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Lines of a raw/ file, non-empty only.
std::vector<std::string> raw_lines(const std::string& name) {
  std::vector<std::string> out;
  std::istringstream in(read_source("raw/" + name));
  for (std::string line; std::getline(in, line);) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) {
      out.push_back(line);
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) {
    s += l + "\n";
  }
  return s;
}

Document run_text(const std::string& text, bool split = false) {
  cli::Options o;
  o.filters.split_stories = split;
  auto p = cli::build_pipeline(o);
  EXPECT_TRUE(p.ok()) << p.status().message();
  Document d;
  d.id = "t";
  d.source = "t.txt";
  d.out_path = "t.txt";
  d.format = InputFormat::k_text;
  d.raw = text;
  p->run(d);
  return d;
}

// The reason of the block on 1-based input line n ("keep" when kept, "?" when absent).
std::string reason_at(const Document& d, std::size_t line) {
  for (const auto& b : d.blocks) {
    if (b.line == line) {
      return b.kept() ? "keep" : b.drop->reason;
    }
  }
  return "?";
}

const std::string k_en1 =
    "The scheduler keeps every task in a store and moves it through a small set of states until it has run, "
    "recording each change together with the time of the next check.";
const std::string k_en2 =
    "Workers ask a controller for work, claim a task, run its callback and report their progress with regular "
    "heartbeats, so a stuck task can be found and given to another worker.";
const std::string k_en3 =
    "Each state update moves the task's next trigger timestamp forward, which is how the scheduler finds tasks "
    "that have waited too long in one state.";
const std::string k_p1 =
    "أعلنت شركة «ديب سيك» الصينية لتطوير الذكاء الاصطناعي أنها أنفقت 294 ألف دولار فقط على تدريب نموذج «آر1» "
    "الخاص بها، وهو مبلغ أقل بكثير مما أعلنته الشركات الأميركية المنافسة في هذا المجال.";
const std::string k_p2 =
    "وأفاد مقال نشرته الشركة في مجلة «نيتشر» العلمية بأن النموذج دُرّب على 512 شريحة من إنتاج «إنفيديا»، وأن "
    "تكلفة التدريب بلغت جزءاً صغيراً مما تنفقه الشركات الكبرى على نماذجها.";
const std::string k_p3 =
    "وتشير تكاليف تدريب نماذج اللغات الكبيرة إلى النفقات المتكبدة من تشغيل مجموعة من الشرائح القوية لأسابيع أو "
    "أشهر لمعالجة كميات هائلة من النصوص والرموز البرمجية.";

TEST(NavFilter, PhrasesAndShapesAtTheEdges) {
  Document d = run_text(join({"آخر الأخبار", "\"ديب سيك\" تكشف عن تكلفة تدريب نموذجها", "شارك", k_p1, k_p2, k_p3,
                              "إقرأ أيضا", "حمل تطبيق آخر خبر", "TT", "Home | World | Sport | Business",
                              "12 يناير 2025", "عمر إبراهيم – عين اليوم"}));
  EXPECT_EQ(reason_at(d, 1), "nav");
  EXPECT_EQ(reason_at(d, 2), "keep");
  EXPECT_EQ(d.title, "\"ديب سيك\" تكشف عن تكلفة تدريب نموذجها");
  EXPECT_EQ(reason_at(d, 3), "share");
  EXPECT_EQ(reason_at(d, 4), "keep");
  EXPECT_EQ(reason_at(d, 7), "read_also");
  EXPECT_EQ(reason_at(d, 8), "app_prompt");
  EXPECT_EQ(reason_at(d, 9), "furniture");
  EXPECT_EQ(reason_at(d, 10), "nav");
  EXPECT_EQ(reason_at(d, 11), "dateline");
  EXPECT_EQ(reason_at(d, 12), "dateline");
}

TEST(NavFilter, MenuSeparatorsNeedSpacesAndCountWithoutOverlap) {
  // Breadcrumbs count their arrows only with a space each side; " / / " is one separator, as a
  // left-to-right search finds it, and «» quotes are not arrows.
  Document d = run_text(join({"عنوان الخبر الرئيسي اليوم", k_p1, "الرئيسية » أخبار › السعودية", k_p2,
                              "الرئيسية »أخبار» السعودية", "سعر / / السهم", "اليوم / > غدا", k_p3}));
  EXPECT_EQ(reason_at(d, 3), "nav");
  EXPECT_EQ(reason_at(d, 5), "keep");
  EXPECT_EQ(reason_at(d, 6), "keep");
  EXPECT_EQ(reason_at(d, 7), "nav");  // " / " and " > " share a space: two separators
}

TEST(NavFilter, EnglishCruft) {
  Document d = run_text(join({"Markets rally as central bank holds rates", "Share this article",
                              "Stocks rose sharply on Wednesday after the central bank left interest rates unchanged, "
                              "easing fears of a prolonged squeeze on borrowers across the country.",
                              "Analysts said the decision had been widely expected but welcomed the bank's signal that "
                              "cuts could come later in the year if inflation keeps falling.",
                              "Read more: Why the bank kept rates on hold", "Copyright 2025 Example News. All rights reserved.",
                              "Sign up for our newsletter"}));
  EXPECT_EQ(reason_at(d, 1), "keep");
  EXPECT_EQ(reason_at(d, 2), "share");
  EXPECT_EQ(reason_at(d, 3), "keep");
  EXPECT_EQ(reason_at(d, 5), "read_also");
  EXPECT_EQ(reason_at(d, 6), "copyright");
  EXPECT_EQ(reason_at(d, 7), "app_prompt");
}

TEST(NavFilter, BodyLinesThatLookShortStay) {
  // A list of numbers is not a date; a sentence mentioning an app store is not a prompt.
  Document d = run_text(join({"نتائج السحب الأسبوعي", k_p1, "2، 3، 5، 12، 21", k_p2,
                              "The app is available in the App Store for $4.99 and has been downloaded more than a "
                              "million times since its launch in March, the company said.", k_p3}));
  EXPECT_EQ(reason_at(d, 3), "keep");
  EXPECT_EQ(reason_at(d, 5), "keep");
}

TEST(CaptionsFilter, CreditedLinesAndTheirCopies) {
  std::string cap = "شعار شركة «ديب سيك» على مكتبها في العاصمة الصينية بكين (رويترز)";
  Document d = run_text(join({"«ديب سيك»: تكلفة تدريب نموذجنا 294 ألف دولار فقط", cap, cap, k_p1,
                              "متسوقون في منطقة أمينونو في إسطنبول (الشركة)", k_p2,
                              "وصرح مسؤولون أميركيون لـ«رويترز»، في يونيو (حزيران) الماضي، بأن الشركة لديها شرائح.", k_p3}));
  EXPECT_EQ(reason_at(d, 2), "caption");
  EXPECT_EQ(reason_at(d, 3), "duplicate_caption");
  EXPECT_EQ(reason_at(d, 5), "caption");  // a caption inside the body
  EXPECT_EQ(reason_at(d, 7), "keep");     // a month gloss in a sentence is not a credit
}

TEST(CaptionsFilter, ShapeWithoutBody) {
  EXPECT_TRUE(filters::looks_like_caption("ليزا كوك محافظة مجلس الاحتياطي الفيدرالي تسير خارج المحكمة (رويترز)"));
  EXPECT_TRUE(filters::looks_like_caption("Protesters gather outside parliament in London. Photo: Reuters"));
  EXPECT_FALSE(filters::looks_like_caption("وقال المتحدث إن الاجتماع انتهى. (رويترز)"));
  EXPECT_FALSE(filters::looks_like_caption(k_p1));
}

TEST(RepeatedFilter, TitleAgainAndShortDuplicates) {
  std::string title = "«فيتش» تعدل النظرة المستقبلية لتركيا إلى إيجابية";
  Document d = run_text(join({title, k_p1, title, "استنساخ النموذج", k_p2, "استنساخ النموذج", k_p3, k_p3}));
  EXPECT_EQ(reason_at(d, 3), "repeated_title");
  EXPECT_EQ(reason_at(d, 4), "keep");
  EXPECT_EQ(reason_at(d, 6), "duplicate_block");
  EXPECT_EQ(reason_at(d, 8), "keep");  // a long paragraph twice is the author's business
}

// "Title | Site" forms: the title with at most five more spaces around it in the key, before or
// after, is the title again; six is a line of its own.
TEST(RepeatedFilter, TitleWithAtMostFiveMoreSpaces) {
  std::string title = "«فيتش» تعدل النظرة المستقبلية لتركيا إلى إيجابية";
  Document d = run_text(join({title, k_p1, title + " | موقع الخبر", k_p2, "اليوم " + title + " في أربع كلمات أخرى",
                              k_p3, "اليوم " + title + " في خمس كلمات أخرى هنا"}));
  EXPECT_EQ(reason_at(d, 3), "repeated_title");
  EXPECT_EQ(reason_at(d, 5), "repeated_title");
  EXPECT_NE(reason_at(d, 7), "repeated_title");
}

// Only lines of at most 28 spaces in the text and under 20 in the key count as duplicates; the
// counts run over 64- and 16-byte blocks, so the lines here cross those at every length.
TEST(RepeatedFilter, DuplicateLengthLimitsCountEverySpace) {
  const std::vector<std::string> words = {"الحكومة", "في", "اجتماعها", "الأسبوعي", "قررت", "رفع", "أسعار",
                                          "الوقود", "بنسبة", "عشرة", "بالمئة", "اعتبارا", "من", "الشهر"};
  for (std::size_t n = 12; n <= 26; ++n) {
    for (std::size_t dashes : {std::size_t{0}, std::size_t{5}, std::size_t{9}, n - 1}) {
      std::string line;
      for (std::size_t k = 0; k < n; ++k) {
        line += (k > 0 ? (k <= dashes ? " - " : " ") : "") + words[(k * 5 + n) % words.size()];
      }
      line += ".";
      Document d = run_text(join({"«فيتش» تعدل النظرة المستقبلية لتركيا إلى إيجابية", k_p1, line, k_p2, line, k_p3}));
      const std::size_t text_spaces = n - 1 + dashes;  // a dash is a space more in the text, not in the key
      const bool duplicate = text_spaces <= 28 && n - 1 < 20;
      EXPECT_EQ(reason_at(d, 5), duplicate ? "duplicate_block" : "keep") << n << " words, " << dashes << " dashes";
      EXPECT_EQ(reason_at(d, 3), "keep");
    }
  }
}

TEST(RelatedFilter, HeaderAndTeaserUnits) {
  Document d = run_text(join({"«ديب سيك»: تكلفة تدريب نموذجنا 294 ألف دولار فقط", k_p1, k_p2, k_p3, "مقالات ذات صلة",
                              "«ديب سيك» الصينية تطلق نموذجاً محدثاً للذكاء الاصطناعي",
                              "أعلنت شركة «ديب سيك» الصينية للذكاء الاصطناعي، يوم الخميس، أنها أطلقت الإصدار «ديب سيك في3.1».",
                              "«الشرق الأوسط» (بكين)", "التشيك تحظر استخدام «ديب سيك» في إدارة الدولة",
                              "قالت السلطات في جمهورية التشيك اليوم الأربعاء إنها حظرت استخدام أي منتجات من الشركة."}));
  EXPECT_EQ(reason_at(d, 5), "related_header");
  EXPECT_EQ(reason_at(d, 6), "related_teaser");
  EXPECT_EQ(reason_at(d, 7), "related_teaser");
  EXPECT_EQ(reason_at(d, 8), "credit");
  EXPECT_EQ(reason_at(d, 9), "related_teaser");
  EXPECT_EQ(reason_at(d, 10), "related_teaser");
}

TEST(RelatedFilter, ArticleGoesOnAfterAnInlineHeader) {
  std::string long_para = k_p1 + " " + k_p2 + " " + k_p3;
  Document d = run_text(join({"«ديب سيك»: تكلفة تدريب نموذجنا 294 ألف دولار فقط", k_p1, "اقرأ أيضا", long_para}));
  EXPECT_EQ(reason_at(d, 4), "keep");
}

TEST(StoriesFilter, SeedStoryWithMarkersAndTeasers) {
  Document d = run_text(read_source("raw/003_1b076a020132b117.txt"));
  EXPECT_EQ(d.metadata.at("appended_stories"), "3");
  EXPECT_EQ(reason_at(d, 75), "appended_story");   // «فيتش» ...
  EXPECT_EQ(reason_at(d, 101), "appended_story");  // «لينوفو» ...
  EXPECT_EQ(reason_at(d, 143), "appended_story");  // رئاسة «الفيدرالي» ...
  EXPECT_EQ(reason_at(d, 32), "keep");             // the article's last paragraph
  EXPECT_EQ(reason_at(d, 9), "repeated_title");
  EXPECT_EQ(reason_at(d, 35), "related_header");
}

TEST(StoriesFilter, UnrelatedStoryWithoutMarkers) {
  // The DeepSeek article of 002 (many paragraphs), then the Fitch story of 003 with no page
  // furniture at all: only topic tells them apart.
  auto a = raw_lines("002_e3b9e778cacdbb9d.txt");
  auto c = raw_lines("003_1b076a020132b117.txt");
  std::vector<std::string> fitch;
  bool in = false;
  for (const auto& l : c) {
    if (l.find("منحت وكالة") != std::string::npos) {
      in = true;
    }
    if (l.find("لينوفو") != std::string::npos) {
      break;
    }
    if (in) {
      fitch.push_back(l);
    }
  }
  ASSERT_GE(fitch.size(), 4u);
  std::vector<std::string> lines(a.begin(), a.begin() + 10);
  lines.push_back("«فيتش» تعدل النظرة المستقبلية لتركيا إلى إيجابية");
  lines.insert(lines.end(), fitch.begin(), fitch.end());
  Document d = run_text(join(lines));
  EXPECT_EQ(reason_at(d, 11), "appended_story");
  EXPECT_EQ(reason_at(d, 12), "appended_story");
  for (std::size_t n = 1; n <= 10; ++n) {
    EXPECT_EQ(reason_at(d, n), "keep") << "line " << n;
  }
}

TEST(StoriesFilter, LongArticleWithSubheadingsIsNotCut) {
  Document d = run_text(read_source("raw/000_62f8316c858fee73.txt"));
  for (const auto& b : d.blocks) {
    if (b.drop) {
      EXPECT_NE(b.drop->reason, "appended_story") << b.text;
    }
  }
}

// A scrape of a whole page: the page title (a long line, "Headline - Site"), a menu, then the
// headline again with its photo credit and counters, then the article. The headline is where the
// article starts, not a story appended to the page title.
TEST(StoriesFilter, WholePageScrapeKeepsTheArticleAfterTheMenu) {
  const std::string headline = "Central bank holds interest rates steady as inflation slows for a third month";
  Document d = run_text(join({headline + " - Example News", "Home", "World", "Business", "Sport", headline, "6366",
                              "12", "JIM WATSON/AFP/Getty Images",
                              "The central bank left its key interest rate unchanged on Wednesday, saying inflation had "
                              "slowed for a third month in a row and the labour market was cooling.",
                              "Officials said they would watch the data closely before any cut, and markets now expect "
                              "the first reduction in the spring of next year.",
                              "The decision was unanimous, the bank said in a statement released after the meeting."}));
  EXPECT_EQ(reason_at(d, 10), "keep");
  EXPECT_EQ(reason_at(d, 11), "keep");
  EXPECT_EQ(reason_at(d, 12), "keep");
  EXPECT_EQ(d.metadata.count("appended_stories"), 0u);
}

// Topic alone never cuts an article that dwarfs what came before it: three short paragraphs of
// page header (teasers), then a headline and an article sixteen times as long on another topic.
TEST(StoriesFilter, TopicDoesNotCutTheArticleAfterAShortHeader) {
  std::vector<std::string> lines = {"Scheduler notes", k_en1, k_en2, k_en3, "«ديب سيك» تكشف تكلفة تدريب نموذجها الجديد"};
  for (int i = 0; i < 24; ++i) {
    lines.push_back(k_p1 + " " + k_p2);
  }
  Document d = run_text(join(lines));
  EXPECT_EQ(reason_at(d, 6), "keep");
  EXPECT_EQ(reason_at(d, 29), "keep");
  EXPECT_EQ(d.metadata.count("appended_stories"), 0u);
}

// A table flattened into lines ("Status | new | new" as three lines): a short lower-case word
// dropped as furniture is not a page marker, so a cell above it is not a story headline.
TEST(StoriesFilter, TableCellsAreNotStoryMarkers) {
  Document d = run_text(join({"Task states in the scheduler", k_en1, k_en2, k_en3, "next trigger timestamp in the queue",
                              "new", "new", "The scheduled timestamp of the task, used to pick up new tasks that are "
                              "ready to run on the executor fleet right away."}));
  for (const auto& b : d.blocks) {
    if (b.drop) {
      EXPECT_NE(b.drop->reason, "appended_story") << b.text;
    }
  }
}

// Numbers under a headline are page markers (a date, counters) or a table or chart flattened into
// lines. When the prose after them is more of the article (its topic), it is a table: the article
// goes on. When it is another topic, it is an appended story, as before.
TEST(StoriesFilter, NumbersUnderAHeadlineEndTheArticleOnlyWhenTheTopicChanges) {
  const std::vector<std::string> article = {
      "New Zealand climate: mild winters and wet western coasts",
      "New Zealand's climate is mostly temperate and maritime, with mean annual temperatures that range from about "
      "ten degrees in the south to sixteen degrees in the north of the country.",
      "Rainfall in New Zealand varies sharply from west to east: the mountains catch the westerly winds, so the west "
      "coast of the South Island is among the wettest places while the eastern plains stay dry.",
      "Winter temperatures in New Zealand's coastal cities rarely fall far below freezing, and snow is common only in "
      "the mountains and the inland basins of the South Island.",
      "Summer in New Zealand brings long sunny days to the northern cities, where temperatures in January and February "
      "often reach the middle twenties and humidity stays high near the coast.",
      "Average temperatures in the largest cities", "23/16", "74/60", "14/7", "58/45"};
  const std::vector<std::string> same_topic = {
      "The table shows how mild New Zealand's climate is: the gap between summer and winter temperatures in the "
      "coastal cities is small, because the ocean keeps the air warm in winter and cool in summer.",
      "Inland towns of the South Island have a wider range of temperatures, with hot dry summers and cold winters, "
      "and their rainfall is lower than on the wet west coast.",
      "Climate scientists expect New Zealand's temperatures to rise and its western rainfall to increase over the "
      "coming decades, with drier summers on the eastern plains."};
  const std::vector<std::string> other_topic = {
      "The football club confirmed on Tuesday that its captain had signed a new three-year contract after weeks of "
      "talks with the board and his agent about the wages and the bonus terms.",
      "Supporters gathered outside the stadium to celebrate the deal, and the coach said the squad would now focus "
      "on the cup final against their city rivals next weekend.",
      "The striker scored twice in the last match of the league season and finished as the team's top scorer, with "
      "nineteen goals in all competitions."};
  std::vector<std::string> table = article;
  table.insert(table.end(), same_topic.begin(), same_topic.end());
  Document d = run_text(join(table));
  for (const auto& b : d.blocks) {
    if (b.drop) {
      EXPECT_NE(b.drop->reason, "appended_story") << b.text;
    }
  }
  EXPECT_EQ(reason_at(d, 12), "keep");
  std::vector<std::string> story = article;
  story.insert(story.end(), other_topic.begin(), other_topic.end());
  Document e = run_text(join(story));
  EXPECT_EQ(reason_at(e, 6), "appended_story");
  EXPECT_EQ(reason_at(e, 12), "appended_story");
  EXPECT_EQ(reason_at(e, 5), "keep");
}

// After the last paragraph: three teaser headlines in a row are a link list; an author's short
// bio lines are not (a few words each), nor is a list of the article's own items.
TEST(NavFilter, LinkListInTheTail) {
  Document d = run_text(join({"Task states in the scheduler", k_en1, k_en2, k_en3,
                              "Why the new scheduler moved its queue to a different store last year",
                              "How one team cut the cost of its nightly batch jobs by half",
                              "The ten design mistakes that made an old scheduler slow to recover"}));
  EXPECT_EQ(reason_at(d, 4), "keep");
  EXPECT_EQ(reason_at(d, 5), "nav");
  EXPECT_EQ(reason_at(d, 7), "nav");
  Document e = run_text(join({"Task states in the scheduler", k_en1, k_en2, k_en3, "Jane Doe", "Senior engineer",
                              "Platform team, Example Corp"}));
  for (const auto& b : e.blocks) {  // (short tail lines have a rule of their own)
    if (b.drop) {
      EXPECT_EQ(b.drop->evidence.find("link list"), std::string::npos) << b.text;
    }
  }
  Document f = run_text(join({"Task states in the scheduler", k_en1, k_en2, k_en3,
                              "- move the queue to a store that keeps its order",
                              "- cut the cost of the nightly batch jobs by half",
                              "- recover from a crash without losing a single task"}));
  EXPECT_EQ(reason_at(f, 5), "keep");
  EXPECT_EQ(reason_at(f, 7), "keep");
}

TEST(StoriesFilter, SplitStoriesBecomeDocuments) {
  Document d = run_text(read_source("raw/003_1b076a020132b117.txt"), /*split=*/true);
  ASSERT_EQ(d.split_stories.size(), 3u);
  EXPECT_EQ(d.split_stories[0].id, "t#2");
  EXPECT_EQ(d.split_stories[0].title, "«فيتش» تعدل النظرة المستقبلية لتركيا إلى إيجابية");
  EXPECT_EQ(d.split_stories[2].id, "t#4");
  EXPECT_GT(d.split_stories[1].kept_blocks(), 5u);
}

TEST(CreditsFilter, SourceLines) {
  Document d = run_text(join({"«ديب سيك»: تكلفة تدريب نموذجنا 294 ألف دولار فقط", k_p1, "العربيّة المصدر: العربيّة", k_p2,
                              k_p3, "* مجلة «فاست كومباني»، خدمات «تريبيون ميديا»."}));
  EXPECT_EQ(reason_at(d, 3), "credit");
  EXPECT_EQ(reason_at(d, 6), "credit");
  Document e = run_text(join({"Markets rally as central bank holds rates",
                              "Stocks rose sharply on Wednesday after the central bank left interest rates unchanged.",
                              "Reporting by Jane Doe; Editing by John Smith"}));
  EXPECT_EQ(reason_at(e, 3), "credit");
}

TEST(CorpusLinesFilter, LinesRecurringAcrossTheCorpus) {
  cli::Options o;
  o.filters.corpus_min_docs = 3;
  auto p = cli::build_pipeline(o);
  ASSERT_TRUE(p.ok());
  std::vector<Document> docs;
  const char* topics[] = {"الاقتصاد السعودي ينمو بوتيرة متسارعة خلال العام الحالي وفق تقرير رسمي.",
                          "المنتخب الوطني يفوز في مباراته الودية استعداداً للبطولة القارية المقبلة.",
                          "الأمطار الغزيرة تغلق عدداً من الطرق في المنطقة الجنوبية اليوم الثلاثاء.",
                          "وزارة الصحة تطلق حملة تطعيم جديدة تستهدف الأطفال في المدارس الابتدائية."};
  for (int i = 0; i < 4; ++i) {
    Document d;
    d.id = std::to_string(i);
    d.format = InputFormat::k_text;
    d.raw = join({std::string("عنوان الخبر رقم ") + std::to_string(i), topics[i], "تابعوا صحيفة المثال الإلكترونية يومياً"});
    docs.push_back(d);
  }
  ASSERT_TRUE(p->needs_prepass());
  for (const auto& d : docs) {
    p->observe(d);
  }
  p->end_prepass();
  for (auto& d : docs) {
    p->run(d);
    EXPECT_EQ(reason_at(d, 3), "corpus_boilerplate");
    EXPECT_EQ(reason_at(d, 2), "keep");
  }
}

// The first pass leaves out lines that will be long once normalised, before normalising them;
// a line whose many raw spaces collapse to few is still counted, and the long article lines
// are gone from the first pass's copy only.
TEST(CorpusLinesFilter, FirstPassPrunesOnlyLinesThatStayLong) {
  cli::Options o;
  o.filters.corpus_min_docs = 3;
  auto p = cli::build_pipeline(o);
  ASSERT_TRUE(p.ok());
  // 20 spaces between invisible characters: one space after normalisation.
  std::string spaced = "تابعوا";
  for (int i = 0; i < 20; ++i) {
    spaced += " \u200B ";
  }
  spaced += "صحيفتنا   على\tتويتر";
  std::string article = "الاقتصاد السعودي ينمو بوتيرة متسارعة خلال العام الحالي وفق تقرير رسمي صدر اليوم عن "
                        "الهيئة العامة للإحصاء في الرياض وأكد التقرير أن القطاع غير النفطي قاد النمو.";
  std::vector<Document> docs;
  for (int i = 0; i < 4; ++i) {
    Document d;
    d.id = std::to_string(i);
    d.format = InputFormat::k_text;
    d.raw = join({std::string("عنوان الخبر رقم ") + std::to_string(i), article, spaced});
    docs.push_back(d);
  }
  for (const auto& d : docs) {
    Document copy = d;
    p->prepare_observe(copy);
    ASSERT_EQ(copy.blocks.size(), 2u);  // the title and the spaced line; the article line pruned
    EXPECT_EQ(copy.blocks[1].text, "تابعوا صحيفتنا على تويتر");
    p->observe_from(copy);
  }
  p->end_prepass();
  for (auto& d : docs) {
    p->run(d);
    EXPECT_EQ(reason_at(d, 3), "corpus_boilerplate");
    EXPECT_NE(reason_at(d, 2), "corpus_boilerplate");  // long: never counted
  }
}

// HTML pages are left to the extractor: corpus_lines neither counts nor judges them (and the
// first pass does not parse them).
TEST(CorpusLinesFilter, HtmlPagesAreLeftAlone) {
  auto step = filters::make_corpus_lines_filter(2, 0.0);
  Document page;
  page.format = InputFormat::k_html;
  EXPECT_FALSE(step->observes(page));
  Document text;
  text.format = InputFormat::k_text;
  EXPECT_TRUE(step->observes(text));
  cli::Options o;
  o.filters.corpus_min_docs = 2;
  auto p = cli::build_pipeline(o);
  ASSERT_TRUE(p.ok());
  std::vector<Document> docs;
  for (int i = 0; i < 3; ++i) {
    Document d;
    d.id = std::to_string(i);
    d.format = InputFormat::k_html;
    d.raw = "<html><body><article><h1>Headline number " + std::to_string(i) +
            " about the news of the day</h1><p>The article body number " + std::to_string(i) +
            " tells what happened in the city today, with the details the reader needs to know.</p>"
            "<p>Follow our newsroom for more stories like this one</p></article></body></html>";
    docs.push_back(d);
  }
  for (auto& d : docs) {
    Document copy = d;
    p->prepare_observe(copy);
    EXPECT_TRUE(copy.blocks.empty());  // not parsed in the first pass
    p->observe_from(copy);
  }
  p->end_prepass();
  for (auto& d : docs) {
    p->run(d);
    for (const auto& b : d.blocks) {
      if (b.drop) {
        EXPECT_NE(b.drop->reason, "corpus_boilerplate") << b.text;
      }
    }
  }
}

// Cluster run: shards observe parts of the corpus and exchange their counts; a fresh step that
// merges them decides exactly as one step that observed everything.
TEST(CorpusLinesFilter, ShardCountsMergeToTheSingleRunVerdicts) {
  auto step = [] { return filters::make_corpus_lines_filter(2, 0.0); };
  auto doc = [](const std::string& body, const std::string& footer) {
    Document d;
    d.blocks.resize(2);
    d.blocks[0].text = body;
    d.blocks[1].text = footer;
    return d;
  };
  std::vector<Document> docs = {doc("الخبر الأول عن الاقتصاد", "تابعونا على تويتر"),
                                doc("الخبر الثاني عن الرياضة", "تابعونا على تويتر"),
                                doc("الخبر الثالث عن الطقس", "سطر لا يتكرر أبدا")};
  auto whole = step();
  auto shard_a = step();
  auto shard_b = step();
  for (std::size_t i = 0; i < docs.size(); ++i) {
    whole->observe(docs[i]);
    (i == 0 ? shard_a : shard_b)->observe(docs[i]);
  }
  std::string a, b;
  ASSERT_TRUE(shard_a->save_prepass(a));
  ASSERT_TRUE(shard_b->save_prepass(b));
  auto merged = step();
  ASSERT_TRUE(merged->merge_prepass(a));
  ASSERT_TRUE(merged->merge_prepass(b));
  EXPECT_FALSE(merged->merge_prepass("not a corpus_lines export\n"));
  EXPECT_FALSE(merged->merge_prepass("corpus_lines 1 3\nzz 1\n"));
  whole->end_prepass();
  merged->end_prepass();
  std::string saved_whole, saved_merged;
  ASSERT_TRUE(whole->save_prepass(saved_whole));
  ASSERT_TRUE(merged->save_prepass(saved_merged));
  EXPECT_EQ(saved_whole, saved_merged);
  for (auto& d : docs) {
    Document x = d;
    whole->process(d);
    merged->process(x);
    ASSERT_EQ(d.blocks[1].kept(), x.blocks[1].kept());
  }
  EXPECT_FALSE(docs[0].blocks[1].kept());  // the footer in two documents: boilerplate
  EXPECT_TRUE(docs[2].blocks[1].kept());
  EXPECT_TRUE(docs[0].blocks[0].kept());
}

// A prefix written with a colon needs the colon in the text: match keys drop punctuation, so
// "source:" alone would also take "Source files ..." and "more:" every line starting "More".
TEST(Rules, ColonPrefixesNeedTheColon) {
  auto rules = filters::RuleSet::builtin();
  ASSERT_TRUE(rules.ok());
  filters::RuleSet::Match m;
  auto key = [](std::string_view t) { return text::match_key(t); };
  EXPECT_TRUE(rules->match(key("Source: Reuters"), 2, m, "Source: Reuters"));
  EXPECT_FALSE(rules->match(key("Source files: blanket.js"), 3, m, "Source files: blanket.js"));
  EXPECT_TRUE(rules->match(key("المصدر : واس"), 2, m, "المصدر : واس"));
  EXPECT_FALSE(rules->match(key("More than one project is too many"), 7, m, "More than one project is too many"));
  EXPECT_TRUE(rules->match(key("Read more: the full report"), 5, m, "Read more: the full report"));
}

TEST(Rules, UserRuleFileExtendsAndBadOnesAreErrors) {
  auto rules = filters::RuleSet::builtin();
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  filters::RuleSet::Match m;
  EXPECT_FALSE(rules->match("عرض خاص اليوم", 3, m));
  ASSERT_TRUE(rules->add_toml("[nav]\nexact = [\"عرض خاص اليوم\"]\n", "mine.toml").ok());
  EXPECT_TRUE(rules->match("عرض خاص اليوم", 3, m));
  EXPECT_EQ(m.reason, "nav");
  Status bad = rules->add_toml("[no_such_reason]\nexact = [\"x\"]\n", "bad.toml");
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("bad.toml"), std::string::npos);
  EXPECT_FALSE(rules->add_toml("[nav\nexact=", "broken.toml").ok());
}

// Content terms: stop words and words under three letters out, one proclitic group and one
// suffix stripped while three letters remain, words without an affix left whole.
TEST(Topic, ContentTermsStripOneAffixEachSide) {
  EXPECT_EQ(filters::content_terms("وقال إن المستشفيات والمدارس في المدن الكبرى بها معلمون"),
            (std::vector<std::string>{"مستشفي", "مدارس", "مدن", "كبر", "معلم"}));
  EXPECT_EQ(filters::content_terms("وبالتالي فالقرار للمنظمات الدولية"),
            (std::vector<std::string>{"تال", "قرار", "منظم", "دول"}));
  EXPECT_EQ(filters::content_terms("Markets rallied strongly"),
            (std::vector<std::string>{"markets", "rallied", "strongly"}));
}

TEST(Topic, SameStoryOverlapsMoreThanAnotherStory) {
  filters::TermBag a, b, c;
  a.add(k_p1 + " " + k_p2);
  b.add(k_p3 + " وقالت «ديب سيك» إن تدريب النموذج جرى على شرائح «إنفيديا».");
  c.add("منحت وكالة «فيتش» العالمية للتصنيفات الائتمانية نظرة مستقبلية إيجابية لتركيا، مشيرة إلى زيادة "
        "احتياطات البلاد من النقد الأجنبي وتراجع التضخم.");
  EXPECT_GT(filters::containment(b, a), filters::containment(c, a));
}

// The stemmer against the rule written out plainly: the first proclitic group of the list that
// leaves three letters, then the first suffix that does, compared as bytes. Words are drawn from
// the affix letters (and a few others, ASCII among them, so byte pairs need not be letters).
TEST(Topic, StemmingIsTheFirstAffixThatLeavesThreeLetters) {
  const std::vector<std::string> prefixes = {"وبال", "وال", "بال", "كال", "فال", "لل", "ال", "و", "ب", "ل", "ف"};
  const std::vector<std::string> suffixes = {"يون", "يين", "ات", "ون", "ين", "ان", "ها", "هم", "هما", "يه", "ه", "ي"};
  auto code_points = [](std::string_view w) {
    return static_cast<std::size_t>(std::count_if(w.begin(), w.end(), [](char c) { return (c & 0xC0) != 0x80; }));
  };
  auto simple_stem = [&](std::string_view s) {
    std::size_t letters = code_points(s);
    for (const auto& p : prefixes) {
      if (s.substr(0, p.size()) == p && letters - p.size() / 2 >= 3) {
        s.remove_prefix(p.size());
        letters -= p.size() / 2;
        break;
      }
    }
    for (const auto& x : suffixes) {
      if (s.size() >= x.size() && s.substr(s.size() - x.size()) == x && letters - x.size() / 2 >= 3) {
        s.remove_suffix(x.size());
        break;
      }
    }
    return std::string(s);
  };
  const std::vector<std::string> alphabet = {"و", "ب", "ك", "ف", "ل", "ا", "ن", "ت", "م", "ه", "ي", "ر", "س", "x", "7"};
  std::uint64_t state = 99;
  std::size_t compared = 0;
  std::size_t stemmed = 0;
  for (int n = 0; n < 20000; ++n) {
    std::string word;
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    const std::size_t len = 3 + (state >> 40) % 7;
    for (std::size_t k = 0; k < len; ++k) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      // Affix letters often, the rest (ASCII included) now and then.
      word += alphabet[(state >> 33) % ((state >> 20) % 4 == 0 ? alphabet.size() : 11)];
    }
    auto terms = filters::content_terms(word);
    if (terms.empty()) {
      continue;  // a stop word
    }
    ASSERT_EQ(terms.size(), 1u) << word;
    ASSERT_EQ(terms[0], simple_stem(word)) << word;
    ++compared;
    stemmed += terms[0] != word ? 1 : 0;
  }
  EXPECT_GT(compared, 15000u);
  EXPECT_GT(stemmed, compared / 3);
}

// A line of up to max_len - 1 pieces drawn by a fixed LCG (`state` advances): the generated lines
// of the Shape tests below.
std::string random_line(std::uint64_t& state, const std::vector<std::string>& pieces, std::size_t max_len) {
  state = state * 6364136223846793005ull + 1442695040888963407ull;
  const std::size_t len = (state >> 40) % max_len;
  std::string line;
  for (std::size_t k = 0; k < len; ++k) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    line += pieces[(state >> 33) % pieces.size()];
  }
  return line;
}

// Shape::ends_question (a sentence end with '?' or '!' in the last four bytes, or '؟' in the last
// six, trailing spaces aside) against the same test written with find_first_of/find.
TEST(Shape, EndsQuestionLooksAtTheTail) {
  const std::vector<std::string> pieces = {"a", " ", "?", "!", "؟", ".", "»", ")", "ب", "\"", "…"};
  std::uint64_t state = 5;
  std::size_t questions = 0;
  for (int n = 0; n < 20000; ++n) {
    Block b;
    b.text = random_line(state, pieces, 9);
    const filters::Shape s = filters::shape_of(b);
    std::string_view t = b.text;
    while (!t.empty() && t.back() == ' ') {
      t.remove_suffix(1);
    }
    while (!t.empty() && t.front() == ' ') {
      t.remove_prefix(1);
    }
    const bool expected =
        s.ends_sentence && (t.find_first_of("?!", t.size() > 4 ? t.size() - 4 : 0) != std::string_view::npos ||
                            t.find("\xD8\x9F", t.size() > 6 ? t.size() - 6 : 0) != std::string_view::npos);
    ASSERT_EQ(s.ends_question, expected) << b.text;
    questions += expected ? 1 : 0;
  }
  EXPECT_GT(questions, 1000u);
}

// shape_of answers ends_sentence from the last bytes where they settle it and skips the icon
// strip when the line cannot end in one: both against the plain rules (text::ends_sentence; the
// icon names cut from the trimmed end, then ')' as the last byte) on generated lines of Arabic,
// Latin, digits, spaces, quotes, brackets and sentence ends.
TEST(Shape, EndsSentenceAndParenAgainstThePlainRules) {
  const std::vector<std::string> pieces = {"a", "z", "Q", "7", " ", "\t", "?", "!", ".", "؟", "۔", "ب", "ي", "ـ",
                                           "»", "«", ")", "(", "]", "\"", "'", "…", "\xC2\xA0", "\xE2\x80\x9D",
                                           "play", "photo", "video", "camera", "-circle", "\xE3\x80\x82", "é"};
  const auto strip = [](std::string_view s) {
    const auto trim = [](std::string_view v) {
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) {
        v.remove_prefix(1);
      }
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) {
        v.remove_suffix(1);
      }
      return v;
    };
    s = trim(s);
    for (std::string_view icon : {"play-circle", "play", "camera", "video", "gallery", "photo"}) {
      if (s.size() > icon.size() && s.substr(s.size() - icon.size()) == icon &&
          (s[s.size() - icon.size() - 1] == ' ' || s[s.size() - icon.size() - 1] == ')')) {
        s.remove_suffix(icon.size());
        s = trim(s);
      }
    }
    return s;
  };
  std::uint64_t state = 11;
  std::size_t ends = 0;
  std::size_t parens = 0;
  for (int n = 0; n < 50000; ++n) {
    Block b;
    b.text = random_line(state, pieces, 12);
    const filters::Shape s = filters::shape_of(b);
    ASSERT_EQ(s.ends_sentence, text::ends_sentence(b.text)) << b.text;
    const std::string_view t = strip(b.text);
    ASSERT_EQ(s.ends_with_paren, !t.empty() && t.back() == ')') << b.text;
    ends += s.ends_sentence ? 1 : 0;
    parens += s.ends_with_paren ? 1 : 0;
  }
  EXPECT_GT(ends, 5000u);
  EXPECT_GT(parens, 1000u);
}

// has_credit_tail's one pass against a find() per tail from its own window, on generated lines
// with the tails, their first bytes and filler around them (Arabic, Latin, digits, symbols).
TEST(Captions, CreditTailAgainstFindPerTail) {
  const std::vector<std::string> tails = {"Getty Images", "Photo:", "Photograph:", "/ AFP", "/AFP",
                                          "/ Reuters", "/Reuters", "(Reuters)", "(AFP)", "(AP)"};
  const std::vector<std::string> filler = {"a", " ", "G", "P", "/", "(", ")", "ب", "صورة", "12", ":", "Getty",
                                           "Reut", "xxxxxxxxxx", "\xC2\xAB"};
  const auto plain = [&](std::string_view text) {
    for (std::string_view tail : tails) {
      const std::size_t from = text.size() > tail.size() + 40 ? text.size() - tail.size() - 40 : 0;
      if (text.find(tail, from) != std::string_view::npos) {
        return true;
      }
    }
    return false;
  };
  std::uint64_t state = 3;
  const auto next = [&state](std::size_t n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::size_t>(state >> 33) % n;
  };
  std::size_t found = 0;
  for (int round = 0; round < 30000; ++round) {
    std::string text;
    const std::size_t pieces = next(30);
    for (std::size_t k = 0; k < pieces; ++k) {
      text += next(6) == 0 ? tails[next(tails.size())] : filler[next(filler.size())];
    }
    const bool expected = plain(text);
    ASSERT_EQ(filters::has_credit_tail(text), expected) << text;
    found += expected ? 1 : 0;
  }
  EXPECT_GT(found, 5000u);
  EXPECT_LT(found, 25000u);
}

// more_spaces_than (AVX2 where the CPU has it) against std::count on generated texts of 0-300
// bytes (the 64- and 32-byte rounds and the overlapping last load), at every n around the count.
TEST(Repeated, MoreSpacesThanCountsLikeStdCount) {
  const std::vector<std::string> pieces = {" ", "  ", "a", "ب", "12", ".", "\t", "\xC2\xA0", "word", "كلمة"};
  std::uint64_t state = 17;
  const auto next = [&state](std::size_t n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::size_t>(state >> 33) % n;
  };
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const std::size_t bytes = next(300);
    while (text.size() < bytes) {
      text += pieces[next(pieces.size())];
    }
    const long count = static_cast<long>(std::count(text.begin(), text.end(), ' '));
    for (long n : {count - 2, count - 1, count, count + 1, long{0}, long{19}, long{28}}) {
      ASSERT_EQ(filters::more_spaces_than(text, n), count > n) << text.size() << " " << n;
      ASSERT_EQ(filters::more_spaces_than_plain(text, n), count > n) << text.size() << " " << n;
    }
  }
}

// A line introduced as a photo is a caption whichever of the photo words opens it (looks_like_caption
// checks the key's first bytes before comparing the words), and only then.
TEST(Captions, EveryPhotoWordOpensACaption) {
  for (const char* word : {"صورة", "الصورة", "صور", "Photo", "Image", "Caption", "Pictured"}) {
    const std::string line = std::string(word) + ": الرئيس يلتقي الوفد في القصر الجمهوري صباح اليوم.";
    EXPECT_TRUE(filters::looks_like_caption(line)) << line;
    EXPECT_FALSE(filters::looks_like_caption("قال " + line)) << line;
  }
}

// A bag emptied with clear() and filled again holds the same terms in the same slots as a new
// bag: the sums of merge() and shared_weight() (added up in slot order) come out bit for bit the
// same. Paragraphs of growing length make the reused bag grow past its first table and back.
TEST(Topic, ClearedBagIsANewBag) {
  std::vector<std::string> words;
  for (const std::string& p : {k_p1, k_p2, k_p3}) {
    std::istringstream in(p);
    for (std::string w; in >> w;) {
      words.push_back(w);
    }
  }
  filters::TermBag reference;
  reference.add(k_p1);
  filters::TermBag reused;
  filters::TermBag main_reused;
  filters::TermBag main_fresh;
  std::uint64_t state = 12345;
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const std::size_t n = 1 + static_cast<std::size_t>(round % 7 == 0 ? 200 : round % 40);
    for (std::size_t k = 0; k < n; ++k) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      text += words[(state >> 33) % words.size()] + (k % 5 == 4 ? std::to_string(state % 1000) : "") + " ";
    }
    filters::TermBag fresh;
    fresh.add(text);
    reused.clear();
    reused.add(text);
    ASSERT_EQ(reused.distinct(), fresh.distinct()) << round;
    ASSERT_EQ(reused.weight(), fresh.weight()) << round;
    ASSERT_EQ(reused.shared_weight(reference), fresh.shared_weight(reference)) << round;
    ASSERT_EQ(filters::containment(reused, reference), filters::containment(fresh, reference)) << round;
    main_reused.merge(reused);
    main_fresh.merge(fresh);
    ASSERT_EQ(main_reused.weight(), main_fresh.weight()) << round;
    ASSERT_EQ(reference.shared_weight(main_reused), reference.shared_weight(main_fresh)) << round;
  }
}

// RuleSet::match looks phrases up by the words of the key; the rules say: the first rule, in
// order, whose exact phrase is the key, or (on a block of at most max_words words) a prefix
// starting it or a contained phrase, each list in order. Both must agree on every phrase alone,
// with words around it, and on lines of random phrase words.
TEST(Rules, IndexedMatchIsTheFirstRuleInOrder) {
  auto rules = filters::RuleSet::builtin();
  ASSERT_TRUE(rules.ok());
  auto word_at = [](std::string_view key, std::size_t pos) {
    return (pos == 0 || key[pos - 1] == ' ');
  };
  auto has_word_prefix = [](std::string_view key, std::string_view p) {
    return key.size() >= p.size() && key.substr(0, p.size()) == p && (key.size() == p.size() || key[p.size()] == ' ');
  };
  auto oracle = [&](std::string_view key, std::size_t words, filters::RuleSet::Match& out) {
    for (const auto& r : rules->rules()) {
      for (const auto& p : r.exact) {
        if (key == p) {
          out = {r.reason, p};
          return true;
        }
      }
      if (words > r.max_words) {
        continue;
      }
      for (const auto& p : r.prefix) {
        if (has_word_prefix(key, p)) {
          out = {r.reason, p};
          return true;
        }
      }
      for (const auto& p : r.contains) {
        for (std::size_t pos = key.find(p); pos != std::string_view::npos; pos = key.find(p, pos + 1)) {
          if (word_at(key, pos) && has_word_prefix(key.substr(pos), p)) {
            out = {r.reason, p};
            return true;
          }
        }
      }
    }
    return false;
  };
  std::vector<std::string> phrases;
  std::vector<std::string> words;
  for (const auto& r : rules->rules()) {
    for (const auto* list : {&r.exact, &r.prefix, &r.contains}) {
      for (const auto& p : *list) {
        phrases.push_back(p);
        std::istringstream in(p);
        for (std::string w; in >> w;) {
          words.push_back(w);
        }
      }
    }
  }
  words.push_back("كلمه");
  words.push_back("news");
  std::vector<std::string> keys;
  for (const auto& p : phrases) {
    keys.push_back(p);
    keys.push_back("قال " + p);
    keys.push_back(p + " اليوم");
    keys.push_back("في " + p + " من");
    keys.push_back(p.substr(0, p.size() / 2));
    keys.push_back(" " + p + " ");  // spaces at the ends and doubled: words of no bytes
    keys.push_back("في  " + p);
    keys.push_back("abcdefghij " + p + " abcdefghijklmnop");  // words past eight bytes around it
  }
  std::uint64_t state = 7;
  for (int n = 0; n < 5000; ++n) {
    std::string key;
    const int len = 1 + n % 9;
    for (int k = 0; k < len; ++k) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      key += (k > 0 ? " " : "") + words[(state >> 33) % words.size()];
    }
    keys.push_back(key);
  }
  std::size_t hits = 0;
  for (const auto& key : keys) {
    const std::size_t nwords = static_cast<std::size_t>(std::count(key.begin(), key.end(), ' ')) + 1;
    // The word counts around every rule's max_words as well: the index stops reading the key
    // after its first word on a block longer than any rule with contained phrases allows.
    for (std::size_t words_given : {nwords, nwords + 30, std::size_t{6}, std::size_t{7}, std::size_t{10},
                                    std::size_t{11}, std::size_t{12}, std::size_t{13}, std::size_t{14},
                                    std::size_t{15}, std::size_t{25}, std::size_t{26}, std::size_t{30},
                                    std::size_t{31}}) {
      filters::RuleSet::Match fast;
      filters::RuleSet::Match slow;
      const bool f = rules->match(key, words_given, fast);
      const bool o = oracle(key, words_given, slow);
      ASSERT_EQ(f, o) << key;
      if (f) {
        ASSERT_EQ(fast.reason, slow.reason) << key;
        ASSERT_EQ(fast.phrase, slow.phrase) << key;
        ++hits;
      }
    }
  }
  EXPECT_GT(hits, keys.size() / 4);  // the inputs do reach the rules
}

// The reason table in core/reasons.cpp and filters/README.md list the same ids.
TEST(Reasons, TableMatchesFiltersReadme) {
  std::string readme = read_source("filters/README.md");
  ASSERT_NE(readme.find("## Reason ids"), std::string::npos);
  readme = readme.substr(readme.find("## Reason ids"));
  std::set<std::string> documented;
  std::regex row(R"(\n\| `([a-z_]+)` \|)");
  for (auto it = std::sregex_iterator(readme.begin(), readme.end(), row); it != std::sregex_iterator(); ++it) {
    documented.insert((*it)[1]);
  }
  std::set<std::string> known;
  for (const auto& r : all_reasons()) {
    known.insert(std::string(r.id));
  }
  EXPECT_EQ(documented, known);
}

}  // namespace
}  // namespace decruft
