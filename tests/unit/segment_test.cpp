#include "text/segment.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/document.h"
#include "core/step.h"
#include "text/normalize.h"
#include "text_corpus.h"

namespace decruft::text {
namespace {

struct SplitCase {
  std::string paragraph;
  std::vector<std::string> sentences;
};

// Real paragraphs (short excerpts): raw/*.txt (the DeepSeek scrapes), the SaudiNewsNet articles of
// ../shared/datasets (2015), and English news sentences. Each fixes the expected split: Arabic
// abbreviations and initials (د. أ. د. م. ل. أ.ف.ب ص.ب ك.ف. سي.ان.ان), eras and units after
// numbers (2015 م. / 380 ك.ف.), two-letter words ending a sentence (طن. آب. له.), ellipses in
// titles and between clauses, ؟ ! ۔ terminating and ، ؛ not, decimals, URLs, English
// abbreviations, list numbers, a missing space after a full stop.
const std::vector<SplitCase>& split_cases() {
  static const std::vector<SplitCase> cases = {
      {"أحدثت شركة الذكاء الاصطناعي الصينية «ديب سيك» ضجة في قطاع صناعة الذكاء الاصطناعي. إذ بعد حرمانها من أقوى "
       "الرقائق، نجحت «ديب سيك» في تحقيق بعض الضربات الهندسية الرائعة.",
       {"أحدثت شركة الذكاء الاصطناعي الصينية «ديب سيك» ضجة في قطاع صناعة الذكاء الاصطناعي.",
        "إذ بعد حرمانها من أقوى الرقائق، نجحت «ديب سيك» في تحقيق بعض الضربات الهندسية الرائعة."}},
      {"بدأ هذا الجهد في أكتوبر (تشرين الأول) 2022، وجرى تحديثه وضبطه عدة مرات لإغلاق الثغرات. وأصدر بايدن أمراً "
       "تنفيذياً قبل وقت قصير من مغادرته منصبه بتشديد القيود بشكل أكبر.",
       {"بدأ هذا الجهد في أكتوبر (تشرين الأول) 2022، وجرى تحديثه وضبطه عدة مرات لإغلاق الثغرات.",
        "وأصدر بايدن أمراً تنفيذياً قبل وقت قصير من مغادرته منصبه بتشديد القيود بشكل أكبر."}},
      {"قالت شركة «ديب سيك» في ورقة بحثية إن تكلفة تدريب نموذج V3 الخاص بها بلغت 5.576 مليون دولار فقط. وبالمقارنة، "
       "قال الرئيس التنفيذي لشركة «أوبن إيه آي» سام ألتمان، إن التكلفة كانت أكثر من 100 مليون دولار.",
       {"قالت شركة «ديب سيك» في ورقة بحثية إن تكلفة تدريب نموذج V3 الخاص بها بلغت 5.576 مليون دولار فقط.",
        "وبالمقارنة، قال الرئيس التنفيذي لشركة «أوبن إيه آي» سام ألتمان، إن التكلفة كانت أكثر من 100 مليون دولار."}},
      {"أما «الكرز على الكعكة» فتجسَّد في إظهار باحثي الشركة نتائج عملهم؛ لقد شرحوا الاختراقات في أوراق البحث وفتحوا "
       "النماذج.",
       {"أما «الكرز على الكعكة» فتجسَّد في إظهار باحثي الشركة نتائج عملهم؛ لقد شرحوا الاختراقات في أوراق البحث وفتحوا "
        "النماذج."}},
      {"* مجلة «فاست كومباني»، خدمات «تريبيون ميديا».", {"* مجلة «فاست كومباني»، خدمات «تريبيون ميديا»."}},
      {"أن تكلفة تدريب نموذج \"R1\" الذي يركز على الاستدلال بلغت 294,000 دولار، واستخدم 512 شريحة \"Nvidia H800\". ولم "
       "تتضمن نسخة سابقة من المقالة، نُشرت في يناير، هذه المعلومات.",
       {"أن تكلفة تدريب نموذج \"R1\" الذي يركز على الاستدلال بلغت 294,000 دولار، واستخدم 512 شريحة \"Nvidia H800\".",
        "ولم تتضمن نسخة سابقة من المقالة، نُشرت في يناير، هذه المعلومات."}},
      {"وأضاف: \"يشعر العديد من خبراء التكنولوجيا بالذعر بشأن مقدار ما يمكن لـ DeepSeek إظهاره بميزانية حوسبة صغيرة "
       "جدًا. أرى الأمر بشكل مختلف - بابتسامة كبيرة على وجهي\".",
       {"وأضاف: \"يشعر العديد من خبراء التكنولوجيا بالذعر بشأن مقدار ما يمكن لـ DeepSeek إظهاره بميزانية حوسبة صغيرة "
        "جدًا.",
        "أرى الأمر بشكل مختلف - بابتسامة كبيرة على وجهي\"."}},
      {"بعد ظهور «ديب سيك» الصيني... هل خسرت شركات الذكاء الاصطناعي الكبرى تفوّقها؟",
       {"بعد ظهور «ديب سيك» الصيني... هل خسرت شركات الذكاء الاصطناعي الكبرى تفوّقها؟"}},
      {"رئاسة «الفيدرالي»... هل يحسمها ترمب قبل نهاية العام؟",
       {"رئاسة «الفيدرالي»... هل يحسمها ترمب قبل نهاية العام؟"}},
      {"الاقتصاد شعار تطبيق «ديب سيك» الصيني للذكاء الاصطناعي على شاشة هاتف ذكي (أ.ب)",
       {"الاقتصاد شعار تطبيق «ديب سيك» الصيني للذكاء الاصطناعي على شاشة هاتف ذكي (أ.ب)"}},
      {"وكتب الباحثون: «فيما يتعلق بأبحاثنا على نموذج (ديب سيك - آر1)، استخدمنا وحدات معالجة الرسومات (إيه 100) "
       "للتحضير للتجارب باستخدام نموذج أصغر». وأضافوا أنه بعد هذه المرحلة الأولية، تم تدريب «آر1» لمدة 80 ساعة.",
       {"وكتب الباحثون: «فيما يتعلق بأبحاثنا على نموذج (ديب سيك - آر1)، استخدمنا وحدات معالجة الرسومات (إيه 100) "
        "للتحضير للتجارب باستخدام نموذج أصغر».",
        "وأضافوا أنه بعد هذه المرحلة الأولية، تم تدريب «آر1» لمدة 80 ساعة."}},
      {"أعلنت شركة «ديب سيك» الصينية للذكاء الاصطناعي، يوم الخميس، أنها أطلقت الإصدار «ديب سيك في3.1».",
       {"أعلنت شركة «ديب سيك» الصينية للذكاء الاصطناعي، يوم الخميس، أنها أطلقت الإصدار «ديب سيك في3.1»."}},
      {"وقال أمين مدينة جدة د. هاني أبو راس إن جدة تشهد حاليا تنفيذ مشاريع كبيرة. وتشمل المشاريع إنشاء طرق وجسور.",
       {"وقال أمين مدينة جدة د. هاني أبو راس إن جدة تشهد حاليا تنفيذ مشاريع كبيرة.",
        "وتشمل المشاريع إنشاء طرق وجسور."}},
      {"وحث د.الدخيل على نشر أرقام الاتصال الهاتفي في موقع الوزارة. يذكر أن خدمة تواصل تستقبل جميع طلبات المستفيدين "
       "عبر الموقع التالي: http://Tawasul.moe.gov.sa",
       {"وحث د.الدخيل على نشر أرقام الاتصال الهاتفي في موقع الوزارة.",
        "يذكر أن خدمة تواصل تستقبل جميع طلبات المستفيدين عبر الموقع التالي: http://Tawasul.moe.gov.sa"}},
      {"ياوندي - أ.ف.ب: افاد مصدر مقرب من اجهزة الامن الكاميرونية أمس ان 11 مدنيا على الاقل قتلوا في تفجير انتحاري "
       "مزدوج.",
       {"ياوندي - أ.ف.ب: افاد مصدر مقرب من اجهزة الامن الكاميرونية أمس ان 11 مدنيا على الاقل قتلوا في تفجير انتحاري "
        "مزدوج."}},
      {"وأعرب أ. د. ماهر سليم عن اعتزازه بالجهود الكبيرة التي تقوم بها جامعة نايف العربية للعلوم الأمنية.",
       {"وأعرب أ. د. ماهر سليم عن اعتزازه بالجهود الكبيرة التي تقوم بها جامعة نايف العربية للعلوم الأمنية."}},
      {"ونتيجة لذلك، تم بالفعل اختراق أشياء مألوفة مثل أجهزة مراقبة الأطفال، وأقفال الغرف والأجهزة الطبية. يجب على "
       "المصنّعين أن يتوقعوا استمرار هذا الاتجاه.",
       {"ونتيجة لذلك، تم بالفعل اختراق أشياء مألوفة مثل أجهزة مراقبة الأطفال، وأقفال الغرف والأجهزة الطبية.",
        "يجب على المصنّعين أن يتوقعوا استمرار هذا الاتجاه."}},
      {"وانتهت أحلام قمبيز بظهور العجل أبيس.. فبعد فشله المروع في حملة سيوة، عاد إلى منف ليرى المصريين وقد أقاموا "
       "الأفراح والليالي الملاح.",
       {"وانتهت أحلام قمبيز بظهور العجل أبيس.. فبعد فشله المروع في حملة سيوة، عاد إلى منف ليرى المصريين وقد أقاموا "
        "الأفراح والليالي الملاح."}},
      {"فما العمل أمام هذه المتاهة الدلالية التي دلفنا إليها؟ هل نقول مع جيم هانكنسون جوابا عن سؤال ما الفلسفة، «إنها "
       "شيء يجب أن تحاول دائما تجنب شرحه».",
       {"فما العمل أمام هذه المتاهة الدلالية التي دلفنا إليها؟",
        "هل نقول مع جيم هانكنسون جوابا عن سؤال ما الفلسفة، «إنها شيء يجب أن تحاول دائما تجنب شرحه»."}},
      {"وسأل التقرير: «نظرًا إلى هذا الوضع المضطرب، يطرح السؤال نفسه: إلى أي مدى يمكن أن تؤدي هذه الأهداف المتضاربة بين "
       "الولايات المتحدة وتركيا إلى تقويض الروابط الثنائية؟».",
       {"وسأل التقرير: «نظرًا إلى هذا الوضع المضطرب، يطرح السؤال نفسه: إلى أي مدى يمكن أن تؤدي هذه الأهداف المتضاربة "
        "بين الولايات المتحدة وتركيا إلى تقويض الروابط الثنائية؟»."}},
      {"وحول الاستثمارات الصادرة من الدول العربية أفاد تقرير مؤسسة \"ضمان\" بأنها تراجعت 10 في المائة لتبلغ 33.4 مليار "
       "دولار عام 2014 ممثلة ما نسبته 2.5 في المائة من الإجمالي العالمي.",
       {"وحول الاستثمارات الصادرة من الدول العربية أفاد تقرير مؤسسة \"ضمان\" بأنها تراجعت 10 في المائة لتبلغ 33.4 "
        "مليار دولار عام 2014 ممثلة ما نسبته 2.5 في المائة من الإجمالي العالمي."}},
      {"يواصل البرنامج الوطني للمعارض والمؤتمرات استقبال الطلبات عبر موقع البرنامج الإلكتروني (www.secb.gov.sa)، حيث "
       "أصدر البرنامج تعميما في مايو الماضي.",
       {"يواصل البرنامج الوطني للمعارض والمؤتمرات استقبال الطلبات عبر موقع البرنامج الإلكتروني (www.secb.gov.sa)، حيث "
        "أصدر البرنامج تعميما في مايو الماضي."}},
      {"ولمزيد من المعلومات يمكن تحميل \"دليل مستخدم نظام حماية الأجور\" من بوابة وزارة العمل على الانترنت "
       "www.mol.gov.sa . وتبدأ المرحلة الثانية غداً.",
       {"ولمزيد من المعلومات يمكن تحميل \"دليل مستخدم نظام حماية الأجور\" من بوابة وزارة العمل على الانترنت "
        "www.mol.gov.sa .",
        "وتبدأ المرحلة الثانية غداً."}},
      {"وحسب وكالة «أ ف ب» قال مدفيديف إنه يجب أن تكون لدى موسكو القدرة على رفع الحصانة.",
       {"وحسب وكالة «أ ف ب» قال مدفيديف إنه يجب أن تكون لدى موسكو القدرة على رفع الحصانة."}},
      {"انطلقت اليوم الأحد المرحلة الثانية من الاكتتاب، تاريخ 12 شوال 1436هـ، الموافق 28 يوليو 2015 م. وأكدت شركة "
       "الأهلي المالية أن الاكتتاب يستمر.",
       {"انطلقت اليوم الأحد المرحلة الثانية من الاكتتاب، تاريخ 12 شوال 1436هـ، الموافق 28 يوليو 2015 م.",
        "وأكدت شركة الأهلي المالية أن الاكتتاب يستمر."}},
      {"ليتجاوز حجم الإنفاق فيه حوالي 120مليار ريال في العام الحالي 2015 م.",
       {"ليتجاوز حجم الإنفاق فيه حوالي 120مليار ريال في العام الحالي 2015 م."}},
      {"ما الذي يجعل سلوكنا الآن يتجه وفق المعادلة المريرة: الاختلاف يساوي العداء! والاتفاق يساوي الصداقة!؟ شيئا فشيئاً "
       "انحرفت المعادلة.",
       {"ما الذي يجعل سلوكنا الآن يتجه وفق المعادلة المريرة: الاختلاف يساوي العداء!", "والاتفاق يساوي الصداقة!؟",
        "شيئا فشيئاً انحرفت المعادلة."}},
      {"ويرى جولتكين أن «الذي تغير هو العدالة والتنمية الذي بدأ يتنكر لسياسة الحوار... هم الذين تغيروا وليس نحن».",
       {"ويرى جولتكين أن «الذي تغير هو العدالة والتنمية الذي بدأ يتنكر لسياسة الحوار... هم الذين تغيروا وليس نحن»."}},
      {"وقال سايمن تيمبلر: إن «الإرهابيين هاجموا مايكاديري وأخذوا يطلقون النار على المواطنين (...) فقتل أكثر من عشرين "
       "شخصا».",
       {"وقال سايمن تيمبلر: إن «الإرهابيين هاجموا مايكاديري وأخذوا يطلقون النار على المواطنين (...) فقتل أكثر من عشرين "
        "شخصا»."}},
      {"أضاف كيري: «رجاء سأكون محرجا حتى إذا فكرت في الخروج. ماذا بوسعي أن أقول للناس بعد هذا كوزير خارجية؟ تعالوا "
       "تفاوضوا معنا».",
       {"أضاف كيري: «رجاء سأكون محرجا حتى إذا فكرت في الخروج.", "ماذا بوسعي أن أقول للناس بعد هذا كوزير خارجية؟",
        "تعالوا تفاوضوا معنا»."}},
      {"الجهد 380 ك.ف. من خلال: الجزء الأول – إنشاء محطة التحويل.",
       {"الجهد 380 ك.ف.", "من خلال: الجزء الأول – إنشاء محطة التحويل."}},
      {"سيكون على العنوان البريدي ص.ب 42808 جدة 21551 أو ترسل عبر البريد الإلكتروني.",
       {"سيكون على العنوان البريدي ص.ب 42808 جدة 21551 أو ترسل عبر البريد الإلكتروني."}},
      {"بمساعدة من أصدقائه بقتل شقيقه ص.أ (35 عاماً) وتقطيعه. وكان ص. أ يقوم بالبحث عن شقيقه.",
       {"بمساعدة من أصدقائه بقتل شقيقه ص.أ (35 عاماً) وتقطيعه.", "وكان ص. أ يقوم بالبحث عن شقيقه."}},
      {"تخلت مؤسسة آي.أو.بي.إي اليونانية للأبحاث عن توقعاتها. وقالت قناة سي.ان.ان ترك إن الانفجار وقع صباحا.",
       {"تخلت مؤسسة آي.أو.بي.إي اليونانية للأبحاث عن توقعاتها.", "وقالت قناة سي.ان.ان ترك إن الانفجار وقع صباحا."}},
      {"وكان سهم إس.إي.إس أكبر الخاسرين على المؤشر. وتراجع المؤشر 0.4 في المئة.",
       {"وكان سهم إس.إي.إس أكبر الخاسرين على المؤشر.", "وتراجع المؤشر 0.4 في المئة."}},
      {"قام إيناريتو بمشاركة مارك ل. سميث بكتابة السيناريو.", {"قام إيناريتو بمشاركة مارك ل. سميث بكتابة السيناريو."}},
      {"بما يعادل ثمانية آلاف طن. وحدَّد الوزير دخول الشركة.", {"بما يعادل ثمانية آلاف طن.", "وحدَّد الوزير دخول الشركة."}},
      {"ومن المقرر انطلاقه في أغسطس آب. وقال ليندجرين \"بالتأكيد فاز الفريق\".",
       {"ومن المقرر انطلاقه في أغسطس آب.", "وقال ليندجرين \"بالتأكيد فاز الفريق\"."}},
      {"وقدم الشكر له. ثم غادر القاعة.", {"وقدم الشكر له.", "ثم غادر القاعة."}},
      {"وأفاد م. محمد الزهراني رئيس بلدية المحافظة بأن العمل مستمر.",
       {"وأفاد م. محمد الزهراني رئيس بلدية المحافظة بأن العمل مستمر."}},
      {"هل هذا صحيح؟ نعم، بالتأكيد؛ ثم ذهب۔ بعد ذلك عاد.", {"هل هذا صحيح؟", "نعم، بالتأكيد؛ ثم ذهب۔", "بعد ذلك عاد."}},
      {"ارتفعت الأسعار بنسبة ٣٫٥٪ خلال العام. وقال الوزير إن الأسعار ستستقر.",
       {"ارتفعت الأسعار بنسبة ٣٫٥٪ خلال العام.", "وقال الوزير إن الأسعار ستستقر."}},
      {"قالت وكالة الأنباء (أ.ف.ب). وأضافت الوكالة أن الوضع هادئ.",
       {"قالت وكالة الأنباء (أ.ف.ب).", "وأضافت الوكالة أن الوضع هادئ."}},
      {"Mr. Smith went to Washington. He met Dr. Jones at 10 a.m. on Monday.",
       {"Mr. Smith went to Washington.", "He met Dr. Jones at 10 a.m. on Monday."}},
      {"The U.S. economy grew 2.5 percent in the second quarter. Analysts had expected 2.8 percent.",
       {"The U.S. economy grew 2.5 percent in the second quarter.", "Analysts had expected 2.8 percent."}},
      {"Visit www.example.com/news.html for details. The page is updated daily.",
       {"Visit www.example.com/news.html for details.", "The page is updated daily."}},
      {"She said: \"It's over.\" Then she left the room!", {"She said: \"It's over.\"", "Then she left the room!"}},
      {"Prices rose 3.5% in July... Officials blamed the weather.",
       {"Prices rose 3.5% in July...", "Officials blamed the weather."}},
      {"Wait... what did he say?", {"Wait... what did he say?"}},
      {"1. Open the box. 2. Remove the device.", {"1. Open the box.", "2. Remove the device."}},
      {"انتهى الاجتماع.وقال المتحدث إن القرار نهائي.", {"انتهى الاجتماع.", "وقال المتحدث إن القرار نهائي."}},
  };
  return cases;
}

TEST(SplitSentences, RealParagraphTable) {
  ASSERT_GE(split_cases().size(), 40U);
  for (const auto& c : split_cases()) {
    EXPECT_EQ(split_sentences(c.paragraph), c.sentences) << c.paragraph;
  }
}

// Each thread gets its own ICU iterator (thread_local clone): concurrent calls give the same splits.
TEST(SplitSentences, ConcurrentCallsAgree) {
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([t, &mismatches] {
      for (int round = 0; round < 20; ++round) {
        for (const auto& c : split_cases()) {
          if (split_sentences(c.paragraph) != c.sentences || split_words(c.paragraph).empty()) {
            ++mismatches[t];
          }
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  for (int m : mismatches) {
    EXPECT_EQ(m, 0);
  }
}

TEST(SplitSentences, EdgeCases) {
  EXPECT_TRUE(split_sentences("").empty());
  EXPECT_TRUE(split_sentences("   ").empty());
  EXPECT_EQ(split_sentences("  \u0646\u0639\u0645  "), std::vector<std::string>{"\u0646\u0639\u0645"});
  EXPECT_EQ(split_sentences("..."), std::vector<std::string>{"..."});
  EXPECT_EQ(split_sentences("\u061F\u061F"), std::vector<std::string>{"\u061F\u061F"});
  // Invalid UTF-8 is repaired, never passed through.
  EXPECT_EQ(split_sentences("a\xFF. B"), (std::vector<std::string>{"a\uFFFD.", "B"}));
  // A line break inside a paragraph (normalisation off) is a paragraph separator for ICU.
  EXPECT_EQ(split_sentences("\u0623\u0648\u0644\n\u062B\u0627\u0646"),
            (std::vector<std::string>{"\u0623\u0648\u0644", "\u062B\u0627\u0646"}));
}

TEST(SplitSentences, VeryLongParagraph) {
  // 1 MB: 20,000 sentences with an abbreviation and an ellipsis each.
  std::string one =
      "\u0642\u0627\u0644 \u062F. \u0633\u0639\u062F \u0625\u0646 \u0627\u0644\u0646\u0645\u0648... "
      "\u0628\u0644\u063A 30.89 \u0641\u064A \u0627\u0644\u0645\u0626\u0629.";
  std::string p;
  std::size_t n = 0;
  while (p.size() < (std::size_t{1} << 20)) {
    p += p.empty() ? "" : " ";
    p += one;
    ++n;
  }
  std::vector<std::string> s = split_sentences(p);
  ASSERT_EQ(s.size(), n);
  EXPECT_EQ(s.front(), one);
  EXPECT_EQ(s.back(), one);
}

TEST(SplitSentences, BoundariesMatchSentences) {
  std::string p =
      "\u0642\u0627\u0644 \u062F. \u0645\u062D\u0645\u062F \u0646\u0639\u0645. \u062B\u0645 \u0630\u0647\u0628.";
  std::vector<std::size_t> cuts = sentence_boundaries(p);
  ASSERT_EQ(cuts.size(), 1U);
  EXPECT_EQ(p.substr(cuts[0]), "\u062B\u0645 \u0630\u0647\u0628.");
}

TEST(SplitWords, LettersAndNumbersOnly) {
  EXPECT_EQ(split_words("\u0642\u0627\u0644: \u00AB\u062F\u064A\u0628 \u0633\u064A\u0643\u00BB 2025!"),
            (std::vector<std::string>{"\u0642\u0627\u0644", "\u062F\u064A\u0628", "\u0633\u064A\u0643", "2025"}));
  EXPECT_EQ(split_words("The U.S. grew 2.5% -- fast."),
            (std::vector<std::string>{"The", "U.S", "grew", "2.5", "fast"}));
  EXPECT_EQ(split_words("\u0627\u0644\u0630\u0643\u0627\u0621 "
                        "\u0627\u0644\u0627\u0635\u0637\u0646\u0627\u0639\u064A\u060C \u0663\u066B\u0665"),
            (std::vector<std::string>{"\u0627\u0644\u0630\u0643\u0627\u0621",
                                      "\u0627\u0644\u0627\u0635\u0637\u0646\u0627\u0639\u064A", "\u0663\u066B\u0665"}));
  EXPECT_TRUE(split_words("").empty());
  EXPECT_TRUE(split_words(" -- ... \u060C").empty());
}

TEST(SentencesStep, FillsKeptBlocksOnly) {
  Document doc;
  Block a;
  a.text = "\u0646\u0639\u0645. \u0644\u0627.";
  Block b = a;
  b.drop = Drop{"nav", "nav", ""};
  doc.blocks = {a, b};
  auto step = make_sentences_step();
  EXPECT_EQ(step->name(), "sentences");
  step->process(doc);
  EXPECT_EQ(doc.blocks[0].sentences, (std::vector<std::string>{"\u0646\u0639\u0645.", "\u0644\u0627."}));
  EXPECT_TRUE(doc.blocks[1].sentences.empty());
}

std::string without_space(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      out += c;
    }
  }
  return out;
}

// Property: the sentences, joined with spaces, give the paragraph back modulo white space (a cut
// after a full stop with no space adds one); none is empty or has edge spaces.
void check_join(const std::vector<std::string>& paragraphs, const char* what) {
  std::size_t failures = 0;
  std::size_t sentences = 0;
  for (const auto& raw : paragraphs) {
    std::string p = normalize(raw);
    std::vector<std::string> parts = split_sentences(p);
    std::string joined;
    bool clean = true;
    for (const auto& s : parts) {
      joined += joined.empty() ? "" : " ";
      joined += s;
      clean = clean && !s.empty() && s.front() != ' ' && s.back() != ' ';
    }
    sentences += parts.size();
    if ((without_space(joined) != without_space(p) || !clean) && ++failures <= 5) {
      ADD_FAILURE() << what << ": sentences do not join back to\n" << p << "\ngot\n" << joined;
    }
  }
  EXPECT_EQ(failures, 0U) << what;
  EXPECT_GE(sentences, paragraphs.size()) << what;
}

TEST(SplitSentencesProperty, JoinsBackOnRawParagraphs) {
  auto paragraphs = testing::raw_paragraphs();
  ASSERT_FALSE(paragraphs.empty());
  check_join(paragraphs, "raw/");
}

TEST(SplitSentencesProperty, JoinsBackOnDatasetParagraphs) {
  auto paragraphs = testing::dataset_paragraphs();
  if (paragraphs.empty()) {
    GTEST_SKIP() << "development data set not present: " << testing::dataset_path();
  }
  check_join(paragraphs, "dataset");
}

// ---- the scanner against ICU ----
// sentence_boundaries decides most paragraphs with its own scanner of ICU's sentence rules (and
// hands the rest to ICU); it must cut exactly where ICU's iterator does: sentence_boundaries_icu.

void expect_icu_cuts(const std::vector<std::string>& paragraphs, const char* what) {
  std::size_t failures = 0;
  for (const auto& p : paragraphs) {
    if (sentence_boundaries(p) != sentence_boundaries_icu(p) && ++failures <= 5) {
      ADD_FAILURE() << what << ": the scanner and ICU cut differently:\n" << p;
    }
  }
  EXPECT_EQ(failures, 0U) << what;
}

// One group for each rule of the scanner and for each way out of it (to ICU).
TEST(SentenceScanner, MatchesIcuRuleByRule) {
  // Arabic full stops, with a mark before the dot, a direction mark or quotes around it.
  expect_icu_cuts({"\u0642\u0627\u0644. \u062B\u0645", "\u0642\u0627\u0644.\u062B\u0645",
                   "\u0642\u0627\u0644.  \u062B\u0645", "\u0642\u0627\u0644\u064E. \u062B\u0645",
                   "\u0642\u0627\u0644.\u200F \u062B\u0645", "\u0642\u0627\u0644. \u00AB\u062B\u0645\u00BB",
                   "\u0642\u0627\u0644\u00BB. \u062B\u0645", "\u0642\u0627\u0644.\u00BB \u062B\u0645"},
                  "full stops");
  // Other terminators, continuations (rule 8a), ellipses, a bracket after the space.
  expect_icu_cuts({"\u0642\u0627\u0644\u061F \u062B\u0645", "\u0642\u0627\u0644!\u061F \u062B\u0645",
                   "\u0642\u0627\u0644\u06D4\u062B\u0645", "\u0642\u0627\u0644. \u060C \u062B\u0645",
                   "\u0642\u0627\u0644... \u062B\u0645", "\u0642\u0627\u0644\u2026 \u062B\u0645",
                   "\u0642\u0627\u0644. . \u062B\u0645", "x. )", "x. ) y", "x. )\u062B", "x! )"},
                  "terminators");
  // Rule 6 (a digit after the dot), rule 7 (U.S), rule 8 (lower case after non-letters). A Latin
  // letter before the dot often sends the paragraph to ICU (the exception filter), and the
  // post-pass drops cuts after initials and list numbers, so the scanner's cases have a word of
  // three Arabic letters or a number after a word there.
  const std::string word = "\u0642\u0627\u0644";  // قال
  expect_icu_cuts(
      {word + ".5",          word + ".5 " + word, word + " 2015.5",   word + ". 5 y",     word + ". 5 Y",
       word + ". 5 " + word, word + ".\u00BB5",   word + ". (the) y", word + ". (The) y", word + ".b",
       word + ".B",          word + ". - x",      word + ". \u00E4",  word + ". \u00C4",  word + " 2015. the",
       word + " 2015? the",  word + "\u061F the", word + "?. the",    word + "!. 5 the",  word + ".\u200F5",
       word + ". \u064E5 y"},
      "rules 6 to 8, scanner");
  expect_icu_cuts({"x.5", "x. 5 y", "x. 5 Y", "x. 5 \u062B", "\u0663. \u0664", "A.B", "a.B", "..B", "\u062B.B",
                   "x? A.B", "a.b. c", "e.g. 3 cases", "x. (the) y", "x. \u00E4", "x. \u00C4"},
                  "rules 6 to 8");
  // The exception filter (to ICU), separators (to ICU), other scripts, edges.
  expect_icu_cuts({"Mr. Smith. He left.",
                   "He met Dr. Jones. Then",
                   "AMr. X",
                   "Mr.) X",
                   "Mr.  X",
                   "Mr.\u00A0X",
                   "U.S. Army",
                   "Lt.Cdr. Z",
                   "\u0645\u0631. \u062B\u0645",
                   "a\nb",
                   "a.\r\nB",
                   "a\u2029b",
                   "x.\u0085y",
                   "a\u2028. b",
                   "\u0589 x",
                   "x\u0589 y",
                   "x\u3002y",
                   "x\uFF01 y",
                   "\U0001F600. x",
                   "x. \U0001D400",
                   ". x",
                   " . x",
                   "\u064E. x",
                   "...",
                   "",
                   " ",
                   ".",
                   "x."},
                  "filter, separators, edges");
}

TEST(SentenceScanner, MatchesIcuOnRealParagraphs) {
  std::vector<std::string> paragraphs = testing::raw_paragraphs();
  for (auto& p : testing::dataset_paragraphs()) {
    paragraphs.push_back(std::move(p));
  }
  std::size_t n = paragraphs.size();
  for (std::size_t i = 0; i < n; ++i) {
    paragraphs.push_back(normalize(paragraphs[i]));
  }
  expect_icu_cuts(paragraphs, "real");
}

// Random strings over pieces of every Sentence_Break class and of the post-pass's cases, and real
// paragraphs with such pieces put in.
TEST(SentenceScanner, MatchesIcuOnGeneratedParagraphs) {
  const std::vector<std::string> pieces = {
      // letters (OLetter, Upper, Lower), Arabic marks and tatweel (Extend), format controls
      "\u0628",
      "\u0627",
      "\u062F",
      "\u0645",
      "\u0647\u0640",
      "\u0642\u0627\u0644",
      "\u0644\u0647",
      "\u0623",
      "\u064B",
      "\u064E",
      "\u0640",
      "\u0301",
      "\u200F",
      "\u200E",
      "\u061C",
      "\u200C",
      "\u200D",
      "\uFEFF",
      "\u00AD",
      "A",
      "B",
      "a",
      "b",
      "Mr",
      "U",
      "S",
      "e",
      "J",
      "Smith",
      "the",
      "\u00C4",
      "\u03A9",
      "\u00E4",
      "\u00DF",
      "\u0130",
      "\uFEFB",
      "\uFDFA",
      "\u4E2D",
      "\U0001F600",
      "\U0001D400",
      "\uFFFD",
      // digits, terminators, closers, spaces, continuations, separators, others
      "1",
      "2015",
      "\u0663",
      "30.89",
      ".",
      ".",
      "!",
      "?",
      "\u061F",
      "\u06D4",
      "\u2026",
      "..",
      "...",
      "\u0589",
      "\u3002",
      "\uFF01",
      "\u0700",
      "\u07F9",
      "\u061D",
      "\uFE52",
      "\u203C",
      ")",
      "]",
      "\"",
      "'",
      "\u00BB",
      "\u00AB",
      "\u201D",
      "\u2019",
      "(",
      " ",
      " ",
      " ",
      "  ",
      "\t",
      "\u00A0",
      "\u2009",
      "\u3000",
      ",",
      ":",
      "\u060C",
      "\u061B",
      "-",
      "\u2014",
      "\n",
      "\r\n",
      "\u2029",
      "\u0085",
      "%",
      "/",
      "*",
      // abbreviations and initials
      "Mr.",
      "U.S.",
      "e.g.",
      "a.m.",
      "No.",
      "Ph.D.",
      "\u062F.",
      "\u0623.\u0641.\u0628",
      "\u0635.\u0628.",
      "www.x.com",
      "\u0661.",
  };
  std::vector<std::string> real = testing::raw_paragraphs();
  ASSERT_FALSE(real.empty());
  std::mt19937_64 rng(29);
  std::vector<std::string> paragraphs;
  for (int i = 0; i < 100000; ++i) {
    std::string p;
    if (i % 4 == 3) {
      p = normalize(real[rng() % real.size()]);
      for (int k = 1 + static_cast<int>(rng() % 4); k > 0; --k) {
        std::size_t at = p.empty() ? 0 : rng() % p.size();
        while (at > 0 && (static_cast<unsigned char>(p[at]) & 0xC0) == 0x80) {
          --at;  // a code point boundary
        }
        p.insert(at, pieces[rng() % pieces.size()]);
      }
    } else {
      for (std::size_t k = 1 + rng() % (i % 2 == 0 ? 12 : 40); k > 0; --k) {
        p += pieces[rng() % pieces.size()];
      }
    }
    paragraphs.push_back(std::move(p));
  }
  expect_icu_cuts(paragraphs, "generated");
}

}  // namespace
}  // namespace decruft::text
