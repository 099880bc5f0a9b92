// Received-chain walking with an "is our server" predicate, Authentication-Results reading and
// the Date-after-Received check.
#include <gtest/gtest.h>

#include "evidence/routing.hpp"

namespace emotriage::evidence {
namespace {

bool ours(std::string_view host) {
  return host == "mail.sample-shoji.example" || host == "192.0.2.25";
}

core::ReceivedHop hop(std::string from_ip, std::string by, std::string with = "ESMTP",
                      std::string auth = {}) {
  core::ReceivedHop result;
  result.from_ip = std::move(from_ip);
  result.by = std::move(by);
  result.with = std::move(with);
  result.auth_sender = std::move(auth);
  result.raw = "from x ([" + result.from_ip + "]) by " + result.by + " with " + result.with;
  return result;
}

TEST(Routing, NoReceivedIsUnknown) {
  EXPECT_EQ(walk_received({}, ours).origin, Origin::unknown);
}

TEST(Routing, AuthenticatedSubmissionLeavingThroughUs) {
  // Newest first: the partner's MX received from our server, which took an ESMTPSA login.
  std::vector<core::ReceivedHop> hops{
      hop("192.0.2.25", "mx.partner.example"),
      hop("198.51.100.77", "mail.sample-shoji.example", "ESMTPSA", "t.yamada"),
  };
  Routing routing = walk_received(hops, ours);
  EXPECT_EQ(routing.origin, Origin::own_server_authenticated);
  EXPECT_EQ(routing.authenticated_account, "t.yamada");
  EXPECT_EQ(routing.evidence, hops[1].raw);
}

TEST(Routing, AuthenticatedProtocolWithoutLoggedAccount) {
  std::vector<core::ReceivedHop> hops{
      hop("192.0.2.25", "mx.partner.example"),
      hop("127.0.0.1", "mail.sample-shoji.example", "ESMTP"),
      hop("198.51.100.77", "mail.sample-shoji.example", "esmtpsa"),
  };
  Routing routing = walk_received(hops, ours);
  EXPECT_EQ(routing.origin, Origin::own_server_authenticated);
  EXPECT_TRUE(routing.authenticated_account.empty());
  EXPECT_EQ(routing.evidence, hops[2].raw);
}

TEST(Routing, PassedOurServerWithoutAuthentication) {
  std::vector<core::ReceivedHop> hops{
      hop("192.0.2.25", "mx.partner.example"),
      hop("10.0.0.8", "mail.sample-shoji.example", "ESMTP"),
  };
  EXPECT_EQ(walk_received(hops, ours).origin, Origin::own_server);
}

TEST(Routing, ExternalOriginUsesTheEntryHop) {
  std::vector<core::ReceivedHop> hops{
      hop("127.0.0.1", "mx.partner.example", "LMTP"),
      hop("203.0.113.9", "mx.partner.example", "ESMTPS"),
      hop("10.1.1.1", "bad-host.example"),
  };
  Routing routing = walk_received(hops, ours);
  EXPECT_EQ(routing.origin, Origin::external);
  EXPECT_EQ(routing.evidence, hops[1].raw);
}

TEST(Routing, ForgedOwnHopBelowTheRealChainDoesNotCount) {
  std::vector<core::ReceivedHop> hops{
      hop("203.0.113.9", "mx.partner.example", "ESMTPS"),
      hop("198.51.100.77", "mail.sample-shoji.example", "ESMTPSA", "t.yamada"),
  };
  Routing routing = walk_received(hops, ours);
  EXPECT_EQ(routing.origin, Origin::external);
  EXPECT_EQ(routing.unconnected_own_hop, hops[1].raw);
  EXPECT_TRUE(routing.authenticated_account.empty());
}

TEST(Routing, InboundToOurMxFromOutsideIsExternal) {
  std::vector<core::ReceivedHop> hops{hop("203.0.113.9", "mail.sample-shoji.example", "ESMTPS")};
  EXPECT_EQ(walk_received(hops, ours).origin, Origin::external);
}

TEST(Routing, AuthenticatedProtocolNames) {
  for (const char* with : {"ESMTPA", "ESMTPSA", "LMTPA", "UTF8SMTPSA", "esmtpsa "}) {
    EXPECT_TRUE(is_authenticated_protocol(with)) << with;
  }
  for (const char* with : {"ESMTP", "ESMTPS", "SMTP", "HTTP", "A", ""}) {
    EXPECT_FALSE(is_authenticated_protocol(with)) << with;
  }
}

core::AuthResult result(std::string id, std::string method, std::string value) {
  return core::AuthResult{std::move(id), std::move(method), std::move(value), {}, {}};
}

TEST(AuthResults, OnlyTheNewestAuthservIdCounts) {
  std::vector<core::AuthResult> results{
      result("mx.partner.example", "spf", "fail"),
      result("mx.partner.example", "dkim", "fail"),
      result("mx.partner.example", "dmarc", "fail"),
      result("relay.example", "spf", "pass"),
  };
  results[0].properties = {{"smtp.mailfrom", "sample-shoji.example"}};
  AuthSummary summary = read_authentication_results(results);
  EXPECT_EQ(summary.authserv_id, "mx.partner.example");
  EXPECT_TRUE(summary.spf_fail);
  EXPECT_TRUE(summary.dkim_fail);
  EXPECT_TRUE(summary.dmarc_fail);
  EXPECT_EQ(summary.spf, "spf=fail smtp.mailfrom=sample-shoji.example");
}

TEST(AuthResults, OnePassingSignatureIsEnoughAndSoftfailIsSeparate) {
  AuthSummary summary =
      read_authentication_results({result("mx", "dkim", "fail"), result("mx", "dkim", "pass"),
                                   result("mx", "spf", "softfail")});
  EXPECT_FALSE(summary.dkim_fail);
  EXPECT_FALSE(summary.spf_fail);
  EXPECT_TRUE(summary.spf_softfail);
  EXPECT_FALSE(read_authentication_results({}).dmarc_fail);
}

TEST(DateCheck, IsoToEpoch) {
  EXPECT_EQ(iso_to_epoch("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(iso_to_epoch("1970-01-01T09:00:00+09:00"), 0);
  EXPECT_EQ(iso_to_epoch("2026-01-05T09:12:00-05:00"), iso_to_epoch("2026-01-05T14:12:00Z"));
  EXPECT_FALSE(iso_to_epoch("2026-02-30T00:00:00Z"));
  EXPECT_FALSE(iso_to_epoch("garbage"));
  EXPECT_FALSE(iso_to_epoch(""));
}

TEST(DateCheck, LeadAgainstTheNewestTimedHop) {
  core::Envelope envelope;
  envelope.date = "2026-01-06T09:00:00+09:00";  // "the next day"
  envelope.received.resize(3);
  envelope.received[1].timestamp = "2026-01-05T10:05:00+09:00";
  // The sender's own server labels local time as UTC; it must not decide.
  envelope.received[2].timestamp = "2026-01-05T10:00:00+00:00";
  EXPECT_EQ(date_lead_seconds(envelope), 22 * 3600 + 55 * 60);
  envelope.date.clear();
  EXPECT_FALSE(date_lead_seconds(envelope));
}

}  // namespace
}  // namespace emotriage::evidence
