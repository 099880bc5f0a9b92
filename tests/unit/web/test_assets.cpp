#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "web/assets.hpp"

namespace emotriage::web {
namespace {

TEST(Assets, PageIsEmbedded) {
  for (const char* name : {"index.html", "app.js", "app.css"}) {
    const Asset* asset = find_asset(name);
    ASSERT_NE(asset, nullptr) << name;
    EXPECT_FALSE(asset->body.empty()) << name;
  }
  EXPECT_EQ(content_type("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type("app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type("x.bin"), "application/octet-stream");
}

TEST(Assets, NoPathReachesOutsideTheTable) {
  for (const char* name : {"", "../CMakeLists.txt", "/etc/passwd", "assets/app.js", "app.js/",
                           "APP.JS", "app.js%00"}) {
    EXPECT_EQ(find_asset(name), nullptr) << name;
  }
}

// The CSP forbids inline script and style: the page must not need any, nor innerHTML, nor
// anything from another origin.
TEST(Assets, NoInlineScriptNoInnerHtmlNoExternalOrigin) {
  std::string html(find_asset("index.html")->body);
  std::string js(find_asset("app.js")->body);
  EXPECT_FALSE(std::regex_search(html, std::regex("<script(?![^>]*\\ssrc=)")));
  EXPECT_FALSE(std::regex_search(html, std::regex("<style|\\sstyle=|\\son[a-z]+=")));
  EXPECT_FALSE(std::regex_search(html, std::regex("(src|href)=\"(https?:)?//")));
  for (const char* sink : {"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                           "eval(", "new Function", "setAttribute(\"on", "href"}) {
    EXPECT_EQ(js.find(sink), std::string::npos) << sink;
  }
}

}  // namespace
}  // namespace emotriage::web
