#include "mime/structured.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>

#include "growth.hpp"

namespace emotriage::mime {
namespace {

using Property = std::pair<std::string, std::string>;
using namespace std::string_literals;

// ---------------------------------------------------------------------------------------------
// Received

TEST(ParseReceived, PostfixWithTlsAndForClause) {
  std::string value =
      "from mail.example.jp (mail.example.jp [192.0.2.1]) by mx.example.com (Postfix) with "
      "ESMTPS id 4AbC123 for <u@x>; Tue, 5 Jan 2026 09:12:00 +0900 (JST)";
  core::ReceivedHop hop = parse_received(value);
  EXPECT_EQ(hop.from_helo, "mail.example.jp");
  EXPECT_EQ(hop.from_rdns, "mail.example.jp");
  EXPECT_EQ(hop.from_ip, "192.0.2.1");
  EXPECT_EQ(hop.by, "mx.example.com");
  EXPECT_EQ(hop.with, "ESMTPS");
  EXPECT_EQ(hop.id, "4AbC123");
  EXPECT_EQ(hop.for_address, "u@x");
  EXPECT_EQ(hop.auth_sender, "");
  EXPECT_EQ(hop.timestamp, "2026-01-05T09:12:00+09:00");
  EXPECT_EQ(hop.raw, value);
}

TEST(ParseReceived, PostfixUnknownClientHasNoRdns) {
  core::ReceivedHop hop = parse_received(
      "from DESKTOP-1234 (unknown [203.0.113.5]) by mx.example.com (Postfix) with ESMTP id "
      "4XyZ9; Mon, 12 Jan 2026 03:04:05 +0000 (UTC)");
  EXPECT_EQ(hop.from_helo, "DESKTOP-1234");
  EXPECT_EQ(hop.from_rdns, "");
  EXPECT_EQ(hop.from_ip, "203.0.113.5");
  EXPECT_EQ(hop.timestamp, "2026-01-12T03:04:05+00:00");
}

TEST(ParseReceived, PostfixAuthenticatedSenderAndTlsComments) {
  core::ReceivedHop hop = parse_received(
      "from [192.168.0.10] (p1234-ipngn.example.ne.jp [198.51.100.20]) (using TLSv1.3 with "
      "cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature "
      "RSA-PSS (2048 bits) server-digest SHA256) (No client certificate requested) "
      "(Authenticated sender: tanaka@example.jp) by smtp.example.jp (Postfix) with ESMTPSA id "
      "4Q1w2E3r; Tue,  6 Jan 2026 10:00:00 +0900 (JST)");
  EXPECT_EQ(hop.from_helo, "[192.168.0.10]");
  EXPECT_EQ(hop.from_rdns, "p1234-ipngn.example.ne.jp");
  EXPECT_EQ(hop.from_ip, "198.51.100.20");  // the logged peer, not the claimed literal
  EXPECT_EQ(hop.auth_sender, "tanaka@example.jp");
  EXPECT_EQ(hop.by, "smtp.example.jp");
  EXPECT_EQ(hop.with, "ESMTPSA");  // "with" inside the TLS comment is not the keyword
  EXPECT_EQ(hop.id, "4Q1w2E3r");
  EXPECT_EQ(hop.timestamp, "2026-01-06T10:00:00+09:00");
}

TEST(ParseReceived, PostfixIpv6LiteralDropsPrefix) {
  core::ReceivedHop hop = parse_received(
      "from mail.example.com (mail.example.com [IPv6:2001:DB8:0:0::1]) by mx.example.jp "
      "(Postfix) with ESMTPS id AB12; Wed, 7 Jan 2026 01:02:03 -0500");
  EXPECT_EQ(hop.from_ip, "2001:db8::1");
  EXPECT_EQ(hop.timestamp, "2026-01-07T01:02:03-05:00");
}

TEST(ParseReceived, PostfixLocalSubmissionHasOnlyBy) {
  core::ReceivedHop hop = parse_received(
      "by mx.example.com (Postfix, from userid 1000) id 5D6E7F; Tue, 5 Jan 2026 09:12:00 +0900");
  EXPECT_EQ(hop.from_helo, "");
  EXPECT_EQ(hop.from_ip, "");
  EXPECT_EQ(hop.by, "mx.example.com");
  EXPECT_EQ(hop.id, "5D6E7F");
  EXPECT_EQ(hop.with, "");
}

TEST(ParseReceived, EximLiteralWithHelo) {
  core::ReceivedHop hop = parse_received(
      "from [198.51.100.7] (helo=DESKTOP-AB12) by mail.example.jp with esmtpsa (TLS1.2) tls "
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 (Exim 4.94) (envelope-from <a@b>) id "
      "1abcDE-000123-Ab; Tue, 05 Jan 2026 09:12:00 +0900");
  EXPECT_EQ(hop.from_helo, "DESKTOP-AB12");
  EXPECT_EQ(hop.from_rdns, "");
  EXPECT_EQ(hop.from_ip, "198.51.100.7");
  EXPECT_EQ(hop.by, "mail.example.jp");
  EXPECT_EQ(hop.with, "esmtpsa");
  EXPECT_EQ(hop.id, "1abcDE-000123-Ab");
  EXPECT_EQ(hop.timestamp, "2026-01-05T09:12:00+09:00");
}

TEST(ParseReceived, EximRdnsWithHeloAndAuthenticatedAs) {
  core::ReceivedHop hop = parse_received(
      "from host.example.net ([198.51.100.8]:52344 helo=laptop) by mail.example.jp with esmtpa "
      "(Exim 4.96) (authenticated as suzuki) (envelope-from <suzuki@example.jp>) id "
      "1tAbCd-0001Xy-2Z for yamada@example.com; Thu, 08 Jan 2026 18:30:00 +0900");
  EXPECT_EQ(hop.from_helo, "laptop");
  EXPECT_EQ(hop.from_rdns, "host.example.net");
  EXPECT_EQ(hop.from_ip, "198.51.100.8");
  EXPECT_EQ(hop.auth_sender, "suzuki");
  EXPECT_EQ(hop.for_address, "yamada@example.com");
}

TEST(ParseReceived, EximBareBracketMeansHeloMatchedRdns) {
  core::ReceivedHop hop = parse_received(
      "from mail.example.org ([192.0.2.44]) by mx.example.jp with esmtps (TLS1.3) (Exim 4.97) "
      "(envelope-from <x@example.org>) id 1tZz-0003; Fri, 9 Jan 2026 00:00:00 +0000");
  EXPECT_EQ(hop.from_helo, "mail.example.org");
  EXPECT_EQ(hop.from_rdns, "mail.example.org");
  EXPECT_EQ(hop.from_ip, "192.0.2.44");
}

TEST(ParseReceived, SendmailAuthenticatedBits) {
  core::ReceivedHop hop = parse_received(
      "from host (host.example.jp [1.2.3.4]) (authenticated bits=0) by mail.example.jp "
      "(8.15.2/8.15.2) with ESMTPSA id 105A0B1c012345 (version=TLSv1.2 "
      "cipher=ECDHE-RSA-AES256-GCM-SHA384 bits=256 verify=NO) for <u@example.jp>; Mon, 5 Jan "
      "2026 12:00:00 +0900");
  EXPECT_EQ(hop.from_helo, "host");
  EXPECT_EQ(hop.from_rdns, "host.example.jp");
  EXPECT_EQ(hop.from_ip, "1.2.3.4");
  EXPECT_EQ(hop.with, "ESMTPSA");
  EXPECT_EQ(hop.id, "105A0B1c012345");
  EXPECT_EQ(hop.for_address, "u@example.jp");
  EXPECT_EQ(hop.auth_sender, "");  // bits=0 names no user; ESMTPSA records the authentication
}

TEST(ParseReceived, SendmailMayBeForgedAndIdent) {
  core::ReceivedHop hop = parse_received(
      "from EXAMPLE-PC (user@ppp-1.example.net [203.0.113.77] (may be forged)) by "
      "relay.example.jp (8.14.4/8.14.4) with ESMTP id u1; Sat, 10 Jan 2026 07:08:09 +0900");
  EXPECT_EQ(hop.from_helo, "EXAMPLE-PC");
  EXPECT_EQ(hop.from_rdns, "ppp-1.example.net");
  EXPECT_EQ(hop.from_ip, "203.0.113.77");
}

TEST(ParseReceived, MicrosoftInternalHop) {
  core::ReceivedHop hop = parse_received(
      "from TYAPR01MB1234.jpnprd01.prod.outlook.com (2603:1096:404:8027::13) by "
      "TYCPR01MB5678.jpnprd01.prod.outlook.com (2603:1096:400:1::5) with Microsoft SMTP Server "
      "(version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.1234.5; Tue, 5 "
      "Jan 2026 00:12:00 +0000");
  EXPECT_EQ(hop.from_helo, "TYAPR01MB1234.jpnprd01.prod.outlook.com");
  EXPECT_EQ(hop.from_ip, "2603:1096:404:8027::13");
  EXPECT_EQ(hop.by, "TYCPR01MB5678.jpnprd01.prod.outlook.com");
  EXPECT_EQ(hop.with, "Microsoft SMTP Server");
  EXPECT_EQ(hop.id, "15.20.1234.5");
  EXPECT_EQ(hop.timestamp, "2026-01-05T00:12:00+00:00");
}

TEST(ParseReceived, MicrosoftFrontendAndMapiWithZoneId) {
  core::ReceivedHop front = parse_received(
      "from mail.example.jp (192.0.2.1) by TY1JPN01FT001.mail.protection.outlook.com "
      "(10.152.1.2) with Microsoft SMTP Server id 15.20.7000.1 via Frontend Transport; Tue, 5 "
      "Jan 2026 00:12:00 +0000");
  EXPECT_EQ(front.from_ip, "192.0.2.1");
  EXPECT_EQ(front.with, "Microsoft SMTP Server");
  EXPECT_EQ(front.id, "15.20.7000.1");

  core::ReceivedHop mapi = parse_received(
      "from OS3P286MB1234.JPNP286.PROD.OUTLOOK.COM ([fe80::1c2d:3e4f:5a6b:7c8d%5]) by "
      "OS3P286MB1234.JPNP286.PROD.OUTLOOK.COM ([fe80::1c2d:3e4f:5a6b:7c8d%5]) with mapi id "
      "15.20.7000.001; Tue, 5 Jan 2026 00:11:59 +0000");
  EXPECT_EQ(mapi.from_ip, "fe80::1c2d:3e4f:5a6b:7c8d");
  EXPECT_EQ(mapi.with, "mapi");
}

TEST(ParseReceived, GmailHops) {
  core::ReceivedHop mx = parse_received(
      "from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41]) by mx.google.com "
      "with SMTPS id a1b2c3.123.2026.01.05.09.12.00 for <u@example.jp> (Google Transport "
      "Security); Mon, 05 Jan 2026 09:12:00 -0800 (PST)");
  EXPECT_EQ(mx.from_rdns, "mail-sor-f41.google.com");  // trailing root dot dropped
  EXPECT_EQ(mx.from_ip, "209.85.220.41");
  EXPECT_EQ(mx.with, "SMTPS");
  EXPECT_EQ(mx.for_address, "u@example.jp");
  EXPECT_EQ(mx.timestamp, "2026-01-05T09:12:00-08:00");

  core::ReceivedHop internal = parse_received(
      "by 2002:a05:6a10:1234:b0:5a1:2b3c:4d5e with SMTP id ab12cd; Mon, 5 Jan 2026 09:12:01 "
      "-0800 (PST)");
  EXPECT_EQ(internal.by, "2002:a05:6a10:1234:b0:5a1:2b3c:4d5e");
  EXPECT_EQ(internal.with, "SMTP");
}

TEST(ParseReceived, QmailForms) {
  core::ReceivedHop hop = parse_received(
      "from unknown (HELO mail.example.jp) (198.51.100.9) by mx.example.com with SMTP; 5 Jan "
      "2026 00:12:00 -0000");
  EXPECT_EQ(hop.from_helo, "mail.example.jp");
  EXPECT_EQ(hop.from_rdns, "");
  EXPECT_EQ(hop.from_ip, "198.51.100.9");
  EXPECT_EQ(hop.by, "mx.example.com");
  EXPECT_EQ(hop.with, "SMTP");
  EXPECT_EQ(hop.timestamp, "2026-01-05T00:12:00-00:00");

  core::ReceivedHop auth = parse_received(
      "from ppp.example.net (HELO pc01) (sato@example.jp@203.0.113.3) by smtp.example.jp with "
      "ESMTPA; 5 Jan 2026 00:12:00 -0000");
  EXPECT_EQ(auth.from_helo, "pc01");
  EXPECT_EQ(auth.from_rdns, "ppp.example.net");
  EXPECT_EQ(auth.from_ip, "203.0.113.3");
  EXPECT_EQ(auth.auth_sender, "sato@example.jp");

  core::ReceivedHop local =
      parse_received("(qmail 12345 invoked by uid 89); 5 Jan 2026 00:12:00 -0000");
  EXPECT_EQ(local.by, "");
  EXPECT_EQ(local.timestamp, "2026-01-05T00:12:00-00:00");
}

TEST(ParseReceived, InvalidIpIsDropped) {
  core::ReceivedHop hop =
      parse_received("from x (x [999.1.1.1]) by y with SMTP; Tue, 5 Jan 2026 09:12:00 +0900");
  EXPECT_EQ(hop.from_ip, "");
  core::ReceivedHop with_nul = parse_received("from x (x [1.2.3.4\0evil]) by y"s);
  EXPECT_EQ(with_nul.from_ip, "");
}

TEST(ParseReceived, KeywordsAreCaseInsensitiveAndDateUsesLastSemicolon) {
  core::ReceivedHop hop = parse_received(
      "FROM a.example (a.example [192.0.2.3]) BY b.example WITH LMTP ID q1; junk; Tue, 5 Jan 2026 "
      "09:12 +0900");
  EXPECT_EQ(hop.from_ip, "192.0.2.3");
  EXPECT_EQ(hop.by, "b.example");
  EXPECT_EQ(hop.with, "LMTP");
  EXPECT_EQ(hop.id, "q1");
  EXPECT_EQ(hop.timestamp, "2026-01-05T09:12:00+09:00");
}

// ---------------------------------------------------------------------------------------------
// Authentication-Results

TEST(ParseAuthenticationResults, Gmail) {
  auto results = parse_authentication_results(
      "mx.google.com; dkim=pass header.i=@example.com header.s=s1 header.b=AbC; spf=pass "
      "(google.com: domain of x@example.com designates 1.2.3.4 as permitted sender) "
      "smtp.mailfrom=x@example.com; dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.com");
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].authserv_id, "mx.google.com");
  EXPECT_EQ(results[0].method, "dkim");
  EXPECT_EQ(results[0].result, "pass");
  EXPECT_EQ(results[0].properties,
            (std::vector<Property>{
                {"header.i", "@example.com"}, {"header.s", "s1"}, {"header.b", "AbC"}}));
  EXPECT_EQ(results[1].method, "spf");
  EXPECT_EQ(results[1].properties, (std::vector<Property>{{"smtp.mailfrom", "x@example.com"}}));
  EXPECT_EQ(results[2].method, "dmarc");
  EXPECT_EQ(results[2].properties, (std::vector<Property>{{"header.from", "example.com"}}));
  EXPECT_EQ(results[2].authserv_id, "mx.google.com");
}

TEST(ParseAuthenticationResults, MicrosoftWithoutAuthservId) {
  auto results = parse_authentication_results(
      "spf=fail (sender IP is 1.2.3.4) smtp.mailfrom=example.com; dkim=none (message not "
      "signed) header.d=none;dmarc=fail action=none header.from=example.com;compauth=fail "
      "reason=601");
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0].authserv_id, "");
  EXPECT_EQ(results[0].method, "spf");
  EXPECT_EQ(results[0].result, "fail");
  EXPECT_EQ(results[1].method, "dkim");
  EXPECT_EQ(results[1].result, "none");
  EXPECT_EQ(results[1].properties, (std::vector<Property>{{"header.d", "none"}}));
  EXPECT_EQ(results[2].properties,
            (std::vector<Property>{{"action", "none"}, {"header.from", "example.com"}}));
  EXPECT_EQ(results[3].method, "compauth");
  EXPECT_EQ(results[3].reason, "601");
}

TEST(ParseAuthenticationResults, VersionQuotedReasonCaseAndArc) {
  auto results = parse_authentication_results(
      "mx.example.jp 1; DKIM/1=FAIL reason=\"signature verification failed\" "
      "header.d=Example.JP header.b=\"ab+c/d=\"; arc=pass (i=1 spf=pass (nested) dkim=pass) "
      "smtp.remote-ip=192.0.2.1");
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].authserv_id, "mx.example.jp");
  EXPECT_EQ(results[0].method, "dkim");
  EXPECT_EQ(results[0].result, "fail");
  EXPECT_EQ(results[0].reason, "signature verification failed");
  EXPECT_EQ(results[0].properties,
            (std::vector<Property>{{"header.d", "Example.JP"}, {"header.b", "ab+c/d="}}));
  EXPECT_EQ(results[1].method, "arc");
  EXPECT_EQ(results[1].properties, (std::vector<Property>{{"smtp.remote-ip", "192.0.2.1"}}));
}

TEST(ParseAuthenticationResults, NoneAndArcInstancePrefix) {
  EXPECT_TRUE(parse_authentication_results("mx.example.com; none").empty());
  EXPECT_TRUE(parse_authentication_results("mx.example.com 1; none (no checks)").empty());
  auto arc = parse_authentication_results(
      "i=1; mx.microsoft.com 1; spf=pass smtp.mailfrom=example.jp; dkim=pass header.d=example.jp");
  ASSERT_EQ(arc.size(), 2u);
  EXPECT_EQ(arc[0].authserv_id, "mx.microsoft.com");
  EXPECT_EQ(arc[1].method, "dkim");
}

// ---------------------------------------------------------------------------------------------
// DKIM-Signature

TEST(ParseDkimSignature, FoldedRealSignature) {
  core::DkimSignature sig = parse_dkim_signature(
      "v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n        d=Example.JP; s=selector1;\r\n"
      "        h=From:To:Subject:Date:Message-ID\r\n        : MIME-Version; i=@example.jp;\r\n"
      "        bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n"
      "        b=AbCdEf\r\n        GhIjKl==");
  EXPECT_EQ(sig.domain, "example.jp");
  EXPECT_EQ(sig.selector, "selector1");
  EXPECT_EQ(sig.algorithm, "rsa-sha256");
  EXPECT_EQ(sig.canonicalization, "relaxed/relaxed");
  EXPECT_EQ(sig.identity, "@example.jp");
  EXPECT_EQ(sig.signed_headers, (std::vector<std::string>{"From", "To", "Subject", "Date",
                                                          "Message-ID", "MIME-Version"}));
}

TEST(ParseDkimSignature, DuplicateTagsAndJunk) {
  core::DkimSignature sig = parse_dkim_signature("d=first.example; d=second.example; ;;x; h=::");
  EXPECT_EQ(sig.domain, "first.example");
  EXPECT_TRUE(sig.signed_headers.empty());
  EXPECT_EQ(parse_dkim_signature("").domain, "");
}

// ---------------------------------------------------------------------------------------------
// Date

TEST(ParseDate, StandardAndObsoleteForms) {
  EXPECT_EQ(parse_date("Tue, 5 Jan 2026 09:12:00 +0900 (JST)"), "2026-01-05T09:12:00+09:00");
  EXPECT_EQ(parse_date("5 Jan 2026 09:12:00 +0900"), "2026-01-05T09:12:00+09:00");
  EXPECT_EQ(parse_date("  Tue ,  05   jAN  2026   09:12  -0000 "), "2026-01-05T09:12:00-00:00");
  EXPECT_EQ(parse_date("Mon, 5 Jan 26 09:12:00 GMT"), "2026-01-05T09:12:00+00:00");
  EXPECT_EQ(parse_date("5 Jan 99 09:12:00 UT"), "1999-01-05T09:12:00+00:00");
  EXPECT_EQ(parse_date("5 Jan 126 09:12:00 Z"), "2026-01-05T09:12:00+00:00");
  EXPECT_EQ(parse_date("5 Jan 2026 09:12:00 EST"), "2026-01-05T09:12:00-05:00");
  EXPECT_EQ(parse_date("5 Jan 2026 09:12:00 PDT"), "2026-01-05T09:12:00-07:00");
  EXPECT_EQ(parse_date("5 Jan 2026 09:12:00 JST"), "2026-01-05T09:12:00+09:00");
  EXPECT_EQ(parse_date("5 Jan 2026 09:12:00 UTC (UTC)"), "2026-01-05T09:12:00+00:00");
  EXPECT_EQ(parse_date("5 Jan 2026 09:12:00"), "2026-01-05T09:12:00+00:00");
  EXPECT_EQ(parse_date("5 January 2026 09:12:00 +0530"), "2026-01-05T09:12:00+05:30");
  EXPECT_EQ(parse_date("Tue Jan  5 09:12:00 2026"), "2026-01-05T09:12:00+00:00");
}

TEST(ParseDate, RejectsImpossibleDates) {
  EXPECT_EQ(parse_date("5 Foo 2026 09:12:00 +0900"), std::nullopt);
  EXPECT_EQ(parse_date("32 Jan 2026 09:12:00 +0900"), std::nullopt);
  EXPECT_EQ(parse_date("31 Apr 2026 09:12:00 +0900"), std::nullopt);
  EXPECT_EQ(parse_date("30 Feb 2024 09:12:00 +0900"), std::nullopt);
  EXPECT_EQ(parse_date("29 Feb 2025 09:12:00 +0900"), std::nullopt);
  EXPECT_EQ(parse_date("29 Feb 1900 09:12:00 +0900"), std::nullopt);
  EXPECT_EQ(parse_date("29 Feb 2024 09:12:00 +0900"), "2024-02-29T09:12:00+09:00");
  EXPECT_EQ(parse_date("29 Feb 2000 09:12:00 +0900"), "2000-02-29T09:12:00+09:00");
  EXPECT_EQ(parse_date("5 Jan 2026 25:00:00 +0900"), std::nullopt);
  EXPECT_EQ(parse_date("5 Jan 2026 09:60:00 +0900"), std::nullopt);
  EXPECT_EQ(parse_date("5 Jan 2026 09:12:00 +0960"), std::nullopt);
  EXPECT_EQ(parse_date("0 Jan 2026 09:12:00 +0900"), std::nullopt);
  EXPECT_EQ(parse_date("5 Jan 20261 09:12:00 +0900"), std::nullopt);
  EXPECT_EQ(parse_date(""), std::nullopt);
  EXPECT_EQ(parse_date("Tue,"), std::nullopt);
}

// ---------------------------------------------------------------------------------------------
// Hostile input: every parser must return quickly and never crash.

std::string garbage(std::size_t size) {
  std::string out(size, '\0');
  unsigned state = 12345;
  for (char& c : out) {
    state = state * 1103515245u + 12345u;
    c = static_cast<char>(state >> 16);
  }
  return out;
}

void parse_everything(const std::string& input) {
  core::ReceivedHop hop = parse_received(input);
  EXPECT_EQ(hop.raw, input);
  (void)parse_authentication_results(input);
  (void)parse_dkim_signature(input);
  (void)parse_date(input);
}

TEST(StructuredHostile, EmptyAndSeparatorsOnly) {
  for (const std::string& input : {std::string(), std::string(";"), std::string(";;;;"),
                                   std::string("("), std::string(")"), std::string("\"")}) {
    parse_everything(input);
    EXPECT_TRUE(parse_authentication_results(input).empty());
    EXPECT_EQ(parse_received(input).timestamp, "");
  }
}

TEST(StructuredHostile, DeepAndUnbalancedParentheses) {
  auto parse_depth = [](std::size_t depth) {
    std::string deep(depth, '(');
    parse_everything(deep);
    parse_everything(std::string(depth, ')'));
    parse_everything("from x " + deep + " by y; Tue, 5 Jan 2026 09:12:00 +0900");
    parse_everything(std::string(depth / 2, '(') + std::string(depth / 2, ')'));
  };
  parse_depth(10000);
  test_support::expect_linear_growth([&](std::size_t scale) { parse_depth(scale * 200); });
  // The unclosed comment swallows the rest of the clause but the date still parses.
  EXPECT_EQ(
      parse_received("from x " + std::string(10000, '(') + " by y; Tue, 5 Jan 2026 09:12:00 +0900")
          .timestamp,
      "2026-01-05T09:12:00+09:00");
}

TEST(StructuredHostile, LargeGarbageAndRepetitiveInputStayFast) {
  auto repeated = [](std::string_view unit, std::size_t bytes) {
    std::string text;
    while (text.size() < bytes) text += unit;
    return text;
  };
  auto parse_all = [&](std::size_t bytes) {
    parse_everything(garbage(bytes));
    parse_everything(repeated("from by with id for < [ ( ", bytes));
    parse_everything(std::string(bytes / 2, 'x') + ";" + repeated("a=b c.d=\"e\" ", bytes));
    EXPECT_LE(parse_authentication_results(std::string(bytes / 2, 'x') + ";" +
                                           repeated("dkim=pass;", bytes))
                  .size(),
              64u);
    parse_everything(repeated("h=a:b:c;", bytes));
    for (char c : {'"', '\\', '['}) parse_everything(std::string(bytes, c));
  };
  parse_all(64 << 10);
  test_support::expect_linear_growth([&](std::size_t scale) { parse_all(scale << 10); });
}

TEST(StructuredHostile, NulBytesAndInvalidUtf8) {
  std::string value =
      "from a\0b (c [192.0.2.1]) by \xff\xfe with E\0SMTP; Tue, 5 Jan 2026 09:12:00 +0900"s;
  core::ReceivedHop hop = parse_received(value);
  EXPECT_EQ(hop.from_ip, "192.0.2.1");
  EXPECT_EQ(hop.timestamp, "2026-01-05T09:12:00+09:00");
  EXPECT_EQ(hop.raw.size(), value.size());
  EXPECT_EQ(parse_date("5 Jan 20\0"
                       "26 09:12:00"s),
            std::nullopt);
  auto results = parse_authentication_results("mx; spf=pa\0ss\xc3"s);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].result, "pa\0ss\xc3"s);
}

}  // namespace
}  // namespace emotriage::mime
