#include <gtest/gtest.h>

#include <set>

#include "web/security.hpp"

namespace emotriage::web {
namespace {

TEST(ParseListen, HostAndPort) {
  auto v4 = parse_listen("127.0.0.1:8080");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 8080);
  auto v6 = parse_listen("[::1]:9000");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 9000);
  auto port_only = parse_listen(":0");
  ASSERT_TRUE(port_only);
  EXPECT_EQ(port_only->host, "127.0.0.1");
  EXPECT_EQ(port_only->port, 0);
}

TEST(ParseListen, RejectsMalformed) {
  for (const char* bad : {"", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1",
                          "127.0.0.1:80x", "[::1", "[::1]8080", "::1"}) {
    auto parsed = parse_listen(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_NE(parsed.error().message_en.find("HOST:PORT"), std::string::npos);
  }
}

TEST(Loopback, OnlyThisMachine) {
  for (const char* host : {"127.0.0.1", "127.1.2.3", "::1", "localhost", "LOCALHOST"}) {
    EXPECT_TRUE(is_loopback_host(host)) << host;
  }
  for (const char* host : {"0.0.0.0", "::", "192.168.0.10", "128.0.0.1", "localhost.evil.example",
                           "::ffff:7f00:1x", ""}) {
    EXPECT_FALSE(is_loopback_host(host)) << host;
  }
}

TEST(Token, RandomHexAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    std::string token = random_token();
    EXPECT_EQ(token.size(), 64u);
    EXPECT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos);
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 50u);
}

TEST(Token, MatchesOnlyExactly) {
  EXPECT_TRUE(token_matches("abc", "abc"));
  EXPECT_FALSE(token_matches("abd", "abc"));
  EXPECT_FALSE(token_matches("ab", "abc"));
  EXPECT_FALSE(token_matches("abcd", "abc"));
  EXPECT_FALSE(token_matches("", ""));  // an unset token never opens anything
}

TEST(Headers, CookieAndBearer) {
  EXPECT_EQ(cookie_value("a=1; emotriage_session_80=xyz; b=2", "emotriage_session_80"), "xyz");
  EXPECT_EQ(cookie_value("emotriage_session_8080=xyz", "emotriage_session_80"), "");
  EXPECT_EQ(cookie_value("", "a"), "");
  EXPECT_EQ(bearer_token("Bearer tok"), "tok");
  EXPECT_EQ(bearer_token("bearer tok"), "tok");
  EXPECT_EQ(bearer_token("Basic dXNlcjpwdw=="), "");
  EXPECT_EQ(bearer_token("Bearer "), "");
}

TEST(Headers, HostCheckAgainstDnsRebinding) {
  EXPECT_TRUE(host_header_allowed("127.0.0.1:8080", 8080));
  EXPECT_TRUE(host_header_allowed("localhost:8080", 8080));
  EXPECT_TRUE(host_header_allowed("[::1]:8080", 8080));
  EXPECT_TRUE(host_header_allowed("localhost", 80));
  EXPECT_FALSE(host_header_allowed("evil.example:8080", 8080));
  EXPECT_FALSE(host_header_allowed("127.0.0.1:8081", 8080));
  EXPECT_FALSE(host_header_allowed("", 8080));
  EXPECT_FALSE(host_header_allowed("127.0.0.1:80x", 80));
}

TEST(Headers, OriginMustBeOurOwn) {
  EXPECT_TRUE(origin_allowed("", "127.0.0.1:8080"));
  EXPECT_TRUE(origin_allowed("http://127.0.0.1:8080", "127.0.0.1:8080"));
  EXPECT_FALSE(origin_allowed("http://evil.example", "127.0.0.1:8080"));
  EXPECT_FALSE(origin_allowed("null", "127.0.0.1:8080"));
  EXPECT_FALSE(origin_allowed("http://127.0.0.1:8080.evil.example", "127.0.0.1:8080"));
}

TEST(Headers, StrictContentSecurityPolicy) {
  std::string csp;
  for (const auto& [name, value] : security_headers()) {
    if (name == "Content-Security-Policy") csp = value;
  }
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(csp.find("script-src 'self';"), std::string::npos);
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe"), std::string::npos);
}

}  // namespace
}  // namespace emotriage::web
