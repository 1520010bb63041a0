// html::extract region choice and in-region rules on small pages written here: an article split
// across containers, teaser lists (dropped next to an article, kept when they are the page),
// galleries.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "core/reasons.h"
#include "html/extract.h"
#include "html_test_util.h"

namespace decruft::html {
namespace {

using testing::extract_bytes;
using testing::find_block;

// A paragraph of prose, about 230 characters, with commas so that it scores.
std::string prose(int n) {
  return "<p>Paragraph " + std::to_string(n) +
         " of the story tells what happened, who was there, and why it matters to the town, "
         "with the quotes of the witnesses, the numbers of the council, and the history of the "
         "bridge that closed last year.</p>\n";
}

std::string page(const std::string& body) {
  return "<!doctype html><html><head><title>Bridge story</title></head><body>\n"
         "<nav><a href=/>Home</a> <a href=/news>News</a></nav>\n" +
         body + "<footer>Copyright 2024 The Paper</footer></body></html>";
}

bool kept(const Document& doc, std::string_view needle) {
  const Block* b = find_block(doc, needle);
  return b != nullptr && b->kept();
}

std::string evidence(const Document& doc, std::string_view needle) {
  const Block* b = find_block(doc, needle);
  return b == nullptr || !b->drop ? std::string() : b->drop->evidence;
}

TEST(HtmlRegion, ArticleSplitAcrossContainersIsJoined) {
  // The lead sits in one wrapper, the body in another (after a picture), as on news sites
  // that cut the story around a media block.
  // The lead is too far from the body for Readability's widening (three levels up), and not a
  // sibling of it.
  std::string body = "<div class=story><div class=a><div class=a2><div class=lead>" + prose(1) + prose(2) + prose(3) +
                     "</div></div></div><div class=b><div class=b2><div class=kicker>Local news</div>"
                     "<div class=text>";
  for (int i = 4; i <= 11; ++i) {
    body += prose(i);
  }
  body += "</div></div></div></div>";
  Document doc = extract_bytes(page(body));
  ASSERT_FALSE(doc.error);
  for (int i = 1; i <= 11; ++i) {
    EXPECT_TRUE(kept(doc, "Paragraph " + std::to_string(i) + " "))
        << i << ": " << evidence(doc, "Paragraph " + std::to_string(i) + " ");
  }
  EXPECT_FALSE(kept(doc, "Copyright"));
}

std::string teaser_card(int n) {
  return "<li><h3><a href=/s" + std::to_string(n) + ">Other headline number " + std::to_string(n) +
         " about something else</a></h3><p>A short summary of the other story, in a sentence or two, "
         "with a name, a place, a number, and enough words to read as prose to a scorer that counts "
         "commas.</p></li>\n";
}

TEST(HtmlRegion, TeaserListNextToTheArticleIsDropped) {
  std::string body = "<div class=page><div class=story>";
  for (int i = 1; i <= 8; ++i) {
    body += prose(i);
  }
  body += "</div><div class=stream><ul>";
  for (int i = 1; i <= 10; ++i) {
    body += teaser_card(i);
  }
  body += "</ul></div></div>";
  Document doc = extract_bytes(page(body));
  ASSERT_FALSE(doc.error);
  EXPECT_TRUE(kept(doc, "Paragraph 8 "));
  EXPECT_FALSE(kept(doc, "A short summary of the other story"));
  EXPECT_FALSE(kept(doc, "Other headline number 3"));
  const Block* b = find_block(doc, "A short summary of the other story");
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(b->drop);
  EXPECT_EQ(b->drop->reason, reason::k_html_boilerplate);
}

TEST(HtmlRegion, TeaserStreamInsideTheRegionNamesTheList) {
  // No telling class anywhere: the stream shares the article's wrapper, so only the repeated
  // card shape gives it away.
  std::string body = "<div><div>";
  for (int i = 1; i <= 8; ++i) {
    body += prose(i);
  }
  body += "</div><div><ul>";
  for (int i = 1; i <= 10; ++i) {
    body += teaser_card(i);
  }
  body += "</ul></div></div>";
  Document doc = extract_bytes(page(body));
  ASSERT_FALSE(doc.error);
  EXPECT_TRUE(kept(doc, "Paragraph 1 "));
  EXPECT_FALSE(kept(doc, "A short summary of the other story"));
}

TEST(HtmlRegion, TeaserCardsWithALabelBeforeTheLinkedHeadline) {
  // Regression (readability/herald-sun-1): opinion cards whose headline line starts with an
  // unlinked label ("Editorial <a>Fraser's lasting legacy</a>"), link density about 0.7.
  std::string body = "<div><div>";
  for (int i = 1; i <= 8; ++i) {
    body += prose(i);
  }
  body += "</div><div><ul>";
  for (int i = 1; i <= 5; ++i) {
    body += "<li><h4>Opinion <a href=/c" + std::to_string(i) + ">Columnist " + std::to_string(i) +
            " on the week</a></h4><p>Columnist summary " + std::to_string(i) +
            ": what the writer thinks of the week, the minister, the budget, and the opposition, with "
            "a name, a place, a number, and enough words to read as prose to a scorer that counts commas."
            "</p></li>";
  }
  body += "</ul></div></div>";
  Document doc = extract_bytes(page(body));
  ASSERT_FALSE(doc.error);
  EXPECT_TRUE(kept(doc, "Paragraph 8 "));
  EXPECT_FALSE(kept(doc, "Columnist summary 3"));
  EXPECT_NE(evidence(doc, "Columnist summary 3").find("teaser list"), std::string::npos)
      << evidence(doc, "Columnist summary 3");
}

TEST(HtmlRegion, ListOfEntriesThatIsThePageIsKept) {
  // A page whose content is the list (a directory, search results): the densest paragraph
  // container is the list itself, so its entries stay.
  std::string body = "<div class=main><ul>";
  for (int i = 1; i <= 8; ++i) {
    body += "<li><h3><a href=/o" + std::to_string(i) + ">Organisation " + std::to_string(i) +
            "</a></h3><p>Provides support, advice and meetings for patients, families and carers, in "
            "every region, by phone and online.</p></li>\n";
  }
  body += "</ul></div>";
  Document doc = extract_bytes(page(body));
  ASSERT_FALSE(doc.error);
  EXPECT_TRUE(kept(doc, "Provides support, advice")) << evidence(doc, "Provides support, advice");
}

TEST(HtmlRegion, GalleryInsideTheArticleIsDropped) {
  std::string body = "<article><div class=body>" + prose(1) + prose(2) + prose(3) +
                     "<div class=\"widget type-gallery\"><ul><li><h2>1/3 A picture</h2><p>The caption of the "
                     "first picture of the gallery.</p></li><li><p>The caption of the second picture.</p></li>"
                     "</ul></div>" +
                     prose(4) + prose(5) + "</div></article>";
  Document doc = extract_bytes(page(body));
  ASSERT_FALSE(doc.error);
  EXPECT_TRUE(kept(doc, "Paragraph 5 "));
  EXPECT_FALSE(kept(doc, "The caption of the first picture"));
  EXPECT_NE(evidence(doc, "The caption of the first picture").find("gallery"), std::string::npos)
      << evidence(doc, "The caption of the first picture");
}

TEST(HtmlRegion, GalleryLongerThanTheArticleIsDropped) {
  // Regression (readability/bug-1255978): 50 captioned photos inside the article's container
  // outweigh the story; the gallery passed as a wrapper with an unlucky class and stayed.
  std::string gallery = "<div class=\"widget type-gallery\"><ul>";
  for (int i = 1; i <= 12; ++i) {
    gallery += "<li><h2>" + std::to_string(i) + "/12 Picture headline</h2><p>Caption " + std::to_string(i) +
               " of the gallery: a company, a figure, a quarter, and what the chief executive said "
               "about the results, in a sentence or two of business news.</p></li>";
  }
  gallery += "</ul></div>";
  // The rest of the page (a sidebar of other stories) keeps the gallery under 60% of the page,
  // as on real pages; it is over 60% of the article region.
  std::string sidebar = "<div class=sidebar>";
  for (int i = 1; i <= 10; ++i) {
    sidebar += "<p>Another story " + std::to_string(i) +
               " of the day, told in a sentence long enough to count, with commas, names, and places in "
               "it, as sidebars on news sites do.</p>";
  }
  sidebar += "</div>";
  std::string body = "<div class=page><article><div class=body>" + prose(1) + prose(2) + prose(3) + gallery +
                     "</div></article>" + sidebar + "</div>";
  Document doc = extract_bytes(page(body));
  ASSERT_FALSE(doc.error);
  for (int i = 1; i <= 3; ++i) {
    EXPECT_TRUE(kept(doc, "Paragraph " + std::to_string(i) + " "));
  }
  EXPECT_FALSE(kept(doc, "Caption 7 of the gallery"));
  EXPECT_NE(evidence(doc, "Caption 7 of the gallery").find("gallery"), std::string::npos)
      << evidence(doc, "Caption 7 of the gallery");
}

TEST(HtmlRegion, BylineAndDateInInlineSpansAreDropped) {
  // BBC-style: the date and the byline are <span>s directly in the story's container, so the
  // block element above them carries no hint; the spans do.
  std::string body = "<div class=story-body><span class=story-date><span class=date>18 December 2012</span>"
                     "<span class=time-text>Last updated at </span><span class=time>00:06 GMT</span></span>"
                     "<h1>Bridge story</h1><span class=byline><span class=byline-name>By Ann Writer</span>"
                     "<span class=byline-title>World Service</span></span>" +
                     prose(1) + prose(2) + "<div><time datetime=2012-12-18>Tuesday, 18 December</time></div>" +
                     prose(3) + "<p>At <time>12:43</time> the council voted to reopen the bridge.</p>" +
                     "<pre><span class=comment>// a code comment stays</span>\nint x = 1;</pre></div>";
  Document doc = extract_bytes(page(body));
  ASSERT_FALSE(doc.error);
  EXPECT_TRUE(kept(doc, "Paragraph 3 "));
  EXPECT_FALSE(kept(doc, "By Ann Writer"));
  EXPECT_NE(evidence(doc, "By Ann Writer").find("byline on inline text"), std::string::npos)
      << evidence(doc, "By Ann Writer");
  EXPECT_FALSE(kept(doc, "Last updated at"));
  EXPECT_FALSE(kept(doc, "Tuesday, 18 December"));
  EXPECT_TRUE(kept(doc, "the council voted")) << evidence(doc, "the council voted");
  EXPECT_TRUE(kept(doc, "a code comment stays")) << evidence(doc, "a code comment stays");
}

TEST(HtmlRegion, PostWrapperNamedAfterItsAuthorIsNotAByline) {
  // Regression (dragnet/R260): TypePad's post class "entry-author-aws_evangelist" reads as a
  // byline hint; the short items of the post are not bylines.
  std::string body = "<div class=\"entry-author-jdoe entry-type-post entry\"><div class=entry-body>"
                     "<p>A quick look at the week:</p><ul>";
  for (int i = 1; i <= 8; ++i) {
    body += "<li>Item " + std::to_string(i) + " of the week: a short note on a release.</li>";
  }
  // A second post on the page makes the region bigger than the first one's wrapper.
  body += "</ul>" + prose(1) + prose(2) + "</div></div><div class=byline>By Jo Doe</div><div class=entry>" +
          prose(3) + prose(4) + prose(5) + prose(6) + "</div>";
  Document doc = extract_bytes(page("<div class=posts>" + body + "</div>"));
  ASSERT_FALSE(doc.error);
  EXPECT_TRUE(kept(doc, "Item 5 of the week")) << evidence(doc, "Item 5 of the week");
  EXPECT_TRUE(kept(doc, "A quick look at the week")) << evidence(doc, "A quick look at the week");
}

TEST(HtmlRegion, ShortPostNamedAfterItsAuthorIsNotAByline) {
  // Regression (cleaneval-dev/8): Serendipity's "serendipity_entry serendipity_entry_author_X"
  // wraps a short post (under 800 characters): several blocks under a content hint are the post.
  std::string body = "<div class=posts>";
  for (int i = 1; i <= 3; ++i) {
    body += "<div class=\"entry entry_author_Jo-Doe\"><h4>Post " + std::to_string(i) +
            "</h4><div class=entry_body>Here is a nice review of release " + std::to_string(i) +
            ", with many details about the player.<br>Check it out over at the review site " + std::to_string(i) +
            ".<br>It covers the new collection browser.</div></div>";
  }
  body += prose(1) + prose(2) + "</div>";
  Document doc = extract_bytes(page(body));
  ASSERT_FALSE(doc.error);
  EXPECT_TRUE(kept(doc, "Check it out over at the review site 2")) << evidence(doc, "Check it out over at the review site 2");
}

TEST(HtmlRegion, EmbeddedTweetIsQuotedNotAShareButton) {
  // Regression (CleanPortalEval/tv.msnbc.com_news_25, readability/001): class="twitter-tweet"
  // on a <blockquote> read as a share widget; the story quotes the post, and the golds keep it.
  std::string body = "<article>" + prose(1) + prose(2) +
                     "<blockquote class=twitter-tweet><p>These cops pretending to be punks was the funniest "
                     "thing I have seen in a while</p>&mdash; A Reader (@reader) April 2, 2013</blockquote>" +
                     prose(3) + "<div class=share-tools><a href=/tw>Twitter</a> <a href=/fb>Facebook</a></div></article>";
  Document doc = extract_bytes(page(body));
  ASSERT_FALSE(doc.error);
  EXPECT_TRUE(kept(doc, "funniest thing")) << evidence(doc, "funniest thing");
  EXPECT_FALSE(kept(doc, "Facebook"));
}

TEST(HtmlRegion, StoryContinuedInANestedTableIsJoined) {
  // Regression (cleaneval-dev/6): a table layout whose cell holds the first half of the story
  // as <br>-separated text and then the second half in a nested table with a video box; the
  // nested half scored best, the link-heavy nested table stopped Readability's widening and the
  // first half was left out.
  std::string first;
  for (int i = 1; i <= 5; ++i) {
    first += "Line " + std::to_string(i) +
             " of the first half tells how the population grew, why the harvests rose, and what the "
             "officials wrote about it, in the words of the time.<br><br>";
  }
  std::string nested = "<table><tr><td>";
  for (int i = 7; i <= 14; ++i) {
    nested += "Part " + std::to_string(i) +
              " of the second half says how the cities grew, how the roads were built, and what the "
              "traders carried, with dates, names, and places.<br><br>";
  }
  nested += "</td></tr><tr><td><a href=/v>Play the video of the interview</a> <a href=/t>Read the transcript</a>"
            "</td></tr></table>";
  std::string body = "<table><tr><td class=menu><a href=/a>Chapter 1</a><br><a href=/b>Chapter 2</a></td><td>" +
                     first + nested + "</td></tr></table>";
  Document doc = extract_bytes(page(body));
  ASSERT_FALSE(doc.error);
  EXPECT_TRUE(kept(doc, "Line 2 of the first half")) << evidence(doc, "Line 2 of the first half");
  EXPECT_TRUE(kept(doc, "Part 12 of the second half")) << evidence(doc, "Part 12 of the second half");
  EXPECT_FALSE(kept(doc, "Chapter 2"));
}

TEST(HtmlRegion, BlogTitleIsThePostHeadingNotTheBlogName) {
  // <title> "Blog name » Post title", the blog's name in the masthead <h1>, the post's in <h2>.
  std::string html =
      "<html><head><title>Cooking Notes &raquo; Bread without a mixer</title></head><body>"
      "<div class=masthead><h1><a href=/>Cooking Notes</a></h1></div>"
      "<div class=post><h2>Bread without a mixer</h2>" +
      prose(1) + prose(2) + prose(3) + "</div></body></html>";
  Document doc = extract_bytes(html);
  ASSERT_FALSE(doc.error);
  EXPECT_EQ(doc.title, "Bread without a mixer");
  ASSERT_FALSE(doc.blocks.empty());
  EXPECT_EQ(doc.blocks.front().kind, BlockKind::k_title);
  EXPECT_EQ(doc.blocks.front().text, "Bread without a mixer");
  EXPECT_FALSE(kept(doc, "Cooking Notes"));
}

TEST(HtmlRegion, NoteBeforeTheCommentsIsDropped) {
  // An inline-styled comment policy between the article and a comment widget that a script
  // fills (empty here), as on arabic.cnn.com.
  std::string body = "<div class=story>" + prose(1) + prose(2) + prose(3) + prose(4) +
                     "<div style=\"padding:10px\"><p>We welcome a lively debate. Please read our guidelines "
                     "before you post.</p><p>The views below are the readers' own.</p></div>"
                     "<div class=fb-comments></div></div>";
  Document doc = extract_bytes(page(body));
  ASSERT_FALSE(doc.error);
  EXPECT_TRUE(kept(doc, "Paragraph 4 "));
  EXPECT_FALSE(kept(doc, "We welcome a lively debate"));
  EXPECT_FALSE(kept(doc, "The views below"));
  EXPECT_NE(evidence(doc, "The views below").find("before the comments"), std::string::npos);
}

TEST(HtmlRegion, LastParagraphBeforeTheCommentsIsKept) {
  std::string body = "<div class=story>" + prose(1) + prose(2) + prose(3) +
                     "<p>The last paragraph of the story.</p><div class=comments><p>Send us your "
                     "experiences using the form below.</p></div></div>";
  Document doc = extract_bytes(page(body));
  ASSERT_FALSE(doc.error);
  EXPECT_TRUE(kept(doc, "The last paragraph of the story.")) << evidence(doc, "The last paragraph");
}

TEST(HtmlRegion, SentenceMostlyOfLinksIsKeptLinkLabelsAreNot) {
  std::string body = "<div class=story>" + prose(1) + prose(2) + prose(3) +
                     "<p>For the figures, see <a href=/a>the report of the national audit office on bridges</a> "
                     "and <a href=/b>the council's own answer to it</a>.</p>"
                     "<p><a href=/c>Bridges</a> <a href=/d>Council</a> <a href=/e>Traffic</a></p>" +
                     prose(4) + "</div>";
  Document doc = extract_bytes(page(body));
  ASSERT_FALSE(doc.error);
  EXPECT_TRUE(kept(doc, "the report of the national audit office")) << evidence(doc, "the report of the national");
  EXPECT_FALSE(kept(doc, "Bridges Council Traffic"));
  EXPECT_NE(evidence(doc, "Bridges Council Traffic").find("link density"), std::string::npos);
}

TEST(HtmlRegion, ChineseParagraphWithALinkIsText) {
  // Chinese has no spaces between words: counted as one "word", this paragraph with a third of
  // it in a link would fall under the short-link-line rule.
  std::string zh =
      "<p>记者从市政府获悉，这座大桥经过一年的维修，今天上午重新开放，<a "
      "href=/x>市民可以步行或骑车通过大桥，汽车下月起通行</a>。</p>";
  std::string body = "<div class=story>" + prose(1) + prose(2) + prose(3) + zh + "</div>";
  Document doc = extract_bytes(page(body));
  ASSERT_FALSE(doc.error);
  EXPECT_TRUE(kept(doc, "记者从市政府获悉")) << evidence(doc, "记者从市政府获悉");
}

TEST(HtmlRegion, PostTaxonomyClassesAreNotHints) {
  // WordPress post_class(): the story's tags and categories. "tag-tax-credits" is not a photo
  // credit and "category-comment" not a comment section; the text filters read these hints.
  std::string body = "<div class=\"post type-post hentry tag-tax-credits tag-comments category-sidebar-notes\">" +
                     prose(1) + prose(2) +
                     "</div><div class=\"tag-cloud\"><a href=/t/a>bridges</a> <a href=/t/b>council</a></div>";
  Document doc = extract_bytes(page(body));
  ASSERT_FALSE(doc.error);
  const Block* b = find_block(doc, "Paragraph 1 ");
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(b->html);
  EXPECT_TRUE(b->kept());
  for (const auto& h : b->html->hints) {
    EXPECT_TRUE(h == "content") << h;
  }
  const Block* cloud = find_block(doc, "bridges council");
  ASSERT_NE(cloud, nullptr);
  ASSERT_TRUE(cloud->html);
  EXPECT_NE(std::find(cloud->html->hints.begin(), cloud->html->hints.end(), "tags"), cloud->html->hints.end());
}

}  // namespace
}  // namespace decruft::html
