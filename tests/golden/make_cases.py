#!/usr/bin/env python3
"""Builds the constructed golden inputs from raw/ (the seeds, in the repository) and text written
for the project. Run once; the expected outputs are written by the golden test with
DECRUFT_UPDATE_GOLDEN=1 and reviewed by eye before committing."""
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests/golden/cases"


def lines(name):
    return [l.strip() for l in (ROOT / "raw" / name).read_text(encoding="utf-8").split("\n") if l.strip()]


s000, s001, s002, s003 = (lines(n) for n in ["000_62f8316c858fee73.txt", "001_17fe474642a76e0a.txt",
                                              "002_e3b9e778cacdbb9d.txt", "003_1b076a020132b117.txt"])


def span(ls, start, stop):
    i = next(k for k, l in enumerate(ls) if l.startswith(start))
    j = next(k for k, l in enumerate(ls) if k > i and l.startswith(stop)) if stop else len(ls)
    return ls[i:j]


fitch = [l for l in span(s003, "«فيتش»", "«لينوفو»") if "(رويترز)" not in l and l != "TT"]
fitch = list(dict.fromkeys(fitch))  # the headline once, no markers
teaser = ["«ديب سيك» الصينية تطلق نموذجاً محدثاً للذكاء الاصطناعي",
          "شعار تطبيق «ديب سيك» الصيني للذكاء الاصطناعي على شاشة هاتف ذكي (أ.ب)",
          "شعار تطبيق «ديب سيك» الصيني للذكاء الاصطناعي على شاشة هاتف ذكي (أ.ب)", "TT",
          "«ديب سيك» الصينية تطلق نموذجاً محدثاً للذكاء الاصطناعي",
          "أعلنت شركة «ديب سيك» الصينية للذكاء الاصطناعي، يوم الخميس، أنها أطلقت الإصدار «ديب سيك في3.1» "
          "الذي يتميز بقدرات محسنة في التفكير والبرمجة، وفق بيان نشرته الشركة على موقعها.",
          "وقالت الشركة إن النموذج الجديد يعمل بكفاءة أعلى على الشرائح المصنعة محلياً في الصين، في إشارة إلى "
          "سعيها لتقليل الاعتماد على شرائح «إنفيديا» الأميركية."]
cap = "شعار شركة ديب سيك على شاشة هاتف في بكين (رويترز)"
cases = {
    "appended_story_no_markers": s002[:12] + fitch,
    "appended_story_same_topic_markers": [l for l in s001 if l not in ("آخر الأخبار",)][:20] + teaser,
    "long_multisection_with_body_caption": s000[:9] + [cap, cap] + s000[9:],
    "captions_in_body": s002[:3] + [cap] + s002[3:6] + [cap] + s002[6:],
    "english_page": [
        "Skip to main content", "Home | World | Business | Tech | Sport", "Harbour city opens its first floating solar farm",
        "Share this article", "By Jane Doe", "12 March 2025 10:42 GMT",
        "Workers tow panels into place on the reservoir. Photo: Example Agency",
        "The city council switched on a floating solar farm on the northern reservoir on Tuesday, the first project of its "
        "kind in the region, covering about a tenth of the water surface with 12,000 panels.",
        "Officials said the installation would supply power to roughly 4,000 homes and cut evaporation from the reservoir "
        "during the dry summer months, when water levels usually fall sharply.",
        "Engineering challenges",
        "Anchoring the platforms proved harder than expected because the reservoir bed is uneven, said the project "
        "engineer, who added that the team had tested three mooring designs before choosing one.",
        "Read more: How cities are turning reservoirs into power plants",
        "The council plans a second farm on the southern reservoir if the first year of operation meets its targets for "
        "output and maintenance costs.",
        "Related articles", "Wind farm approved despite objections", "Residents back new cycle lanes",
        "Copyright 2025 Example News. All rights reserved.", "Follow us on Twitter", "Privacy Policy", "Contact us"],
}
for name, ls in cases.items():
    (OUT / f"{name}.txt").write_text("\n".join(ls) + "\n", encoding="utf-8")
print("wrote", len(cases), "cases to", OUT)
