// Each log format on small samples: real lines from ../shared/reference/mail-logs.md and lines
// written to the same shape.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "logs/logs.hpp"

namespace emotriage::logs {
namespace {

constexpr std::int64_t kReference = 1'500'000'000;  // 2017-07-14: years of classic lines

LogReport analyze(std::initializer_list<std::string_view> lines, LogOptions options = {}) {
  LogAnalyzer analyzer(options);
  analyzer.begin_file("test.log", kReference);
  for (std::string_view line : lines) analyzer.feed_line(line);
  return analyzer.finish();
}

const AccountSummary* account(const LogReport& report, std::string_view name) {
  auto it = std::ranges::find(report.accounts, name, &AccountSummary::account);
  return it == report.accounts.end() ? nullptr : &*it;
}

bool has_reason(const AccountSummary& a, Reason reason) {
  return std::ranges::find(a.reasons, reason) != a.reasons.end();
}

TEST(PostfixLog, ForumCompromisedAccountKeyedBySaslUser) {
  // Real lines (forum thread, 2014) plus the delivery outcome shape of the same thread.
  auto report = analyze({
      "Oct 13 20:41:03 custhost1 postfix/smtpd[5331]: 123A51E01CDD: "
      "client=unknown[162.216.193.51], "
      "sasl_method=LOGIN, sasl_username=bgabrys@franklinpa.gov",
      "Oct 13 20:41:04 custhost1 postfix/cleanup[6662]: 123A51E01CDD: message-id=<>",
      "Oct 13 20:41:04 custhost1 postfix/qmgr[986]: 123A51E01CDD: "
      "from=<kmcgrath@upperuwchlan-pa.gov>, "
      "size=2636, nrcpt=50 (queue active)",
      "Oct 13 21:27:07 custhost1 postfix/error[11679]: 123A51E01CDD: to=<gsuabednars@hotmail.com>, "
      "relay=none, delay=2764, delays=1.9/2763/0/0.01, dsn=4.4.2, status=deferred (delivery "
      "temporarily suspended: lost connection with mx1.hotmail.com[65.",
      "Oct 14 07:33:20 custhost1 postfix/qmgr[986]: 123A51E01CDD: "
      "from=<kmcgrath@upperuwchlan-pa.gov>, "
      "size=2636, nrcpt=50 (queue active)",
  });
  ASSERT_EQ(report.accounts.size(), 1u);
  const AccountSummary& a = report.accounts.front();
  EXPECT_EQ(a.account, "bgabrys@franklinpa.gov");
  EXPECT_TRUE(a.authenticated);
  EXPECT_EQ(a.messages, 1u) << "qmgr's retry line must not count again";
  EXPECT_EQ(a.recipients, 50u);
  EXPECT_EQ(a.deferred, 1u);
  EXPECT_EQ(a.empty_message_ids, 1u);
  EXPECT_EQ(a.first, "2016-10-13T20:41:04");  // year from the reference (2017-07)
  EXPECT_TRUE(has_reason(a, Reason::envelope_sender_mismatch));
  EXPECT_TRUE(a.flagged);
  EXPECT_EQ(report.files.front().used, 5u);
}

TEST(PostfixLog, ContentFilterHopJoinsDeliveriesToTheSaslUser) {
  // The re-injection (10025/smtpd, cleanup, qmgr of the new id) comes before "queued as".
  auto report = analyze({
      "2023-03-14T06:29:52.115351+01:00 helga postfix/submission/smtpd[1]: 4PbMXw0pZ8z3tBr: "
      "client=host1.example[192.0.2.7], sasl_method=PLAIN, sasl_username=Alice@Example.JP",
      "2023-03-14T06:29:52.2+01:00 helga postfix/cleanup[2]: 4PbMXw0pZ8z3tBr: message-id=<a@b>",
      "2023-03-14T06:29:52.3+01:00 helga postfix/qmgr[3]: 4PbMXw0pZ8z3tBr: "
      "from=<alice@example.jp>, "
      "size=1000, nrcpt=2 (queue active)",
      "2023-03-14T06:29:53.0+01:00 helga postfix/10025/smtpd[4]: 4PbMXx0000z3tG3: "
      "client=localhost[127.0.0.1]",
      "2023-03-14T06:29:53.1+01:00 helga postfix/qmgr[3]: 4PbMXx0000z3tG3: "
      "from=<alice@example.jp>, "
      "size=1200, nrcpt=2 (queue active)",
      "2023-03-14T06:29:53.2+01:00 helga postfix/amavis/smtp[5]: 4PbMXw0pZ8z3tBr: "
      "to=<x@partner.example>, "
      "relay=127.0.0.1[127.0.0.1]:10024, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 "
      "2.0.0 "
      "from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 4PbMXx0000z3tG3)",
      "2023-03-14T06:29:54.0+01:00 helga postfix/smtp[6]: 4PbMXx0000z3tG3: to=<x@partner.example>, "
      "relay=mx.partner.example[192.0.2.9]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent "
      "(250 ok)",
      "2023-03-14T06:29:54.1+01:00 helga postfix/smtp[6]: 4PbMXx0000z3tG3: to=<y@other.example>, "
      "relay=mx.other.example[192.0.2.10]:25, delay=1, delays=0/0/0/1, dsn=5.7.1, status=bounced "
      "(host said: 554 5.7.1 Client host blocked using zen.spamhaus.org)",
  });
  ASSERT_EQ(report.accounts.size(), 1u) << "the re-injected copy is not a second sender";
  const AccountSummary& a = report.accounts.front();
  EXPECT_EQ(a.account, "alice@example.jp");
  EXPECT_EQ(a.messages, 1u);
  EXPECT_EQ(a.distinct_recipients, 2u);
  EXPECT_EQ(a.recipient_domains, 2u);
  EXPECT_EQ(a.bounced, 1u);
  EXPECT_EQ(a.dnsbl_rejections, 1u);
  EXPECT_EQ(a.forged_sender_messages, 0u);
  EXPECT_EQ(report.unattributed_deliveries, 0u);
  EXPECT_FALSE(a.flagged);
}

TEST(PostfixLog, WindowsHostMessageIdAndFailedLogins) {
  auto report = analyze({
      "2026-05-12T00:01:40+00:00 mail postfix/submission/smtpd[1]: warning: unknown[77.83.39.88]: "
      "SASL LOGIN authentication failed: UGFzc3dvcmQ6",
      "2026-05-12T00:01:41+00:00 mail postfix/submission/smtpd[1]: warning: unknown[77.83.39.88]: "
      "SASL PLAIN authentication failed: (reason unavailable), sasl_username=test",
      "2026-05-12T00:01:47.723271+00:00 mail postfix/submission/smtpd[32860]: B06C6757: "
      "client=unknown[77.83.39.88], sasl_method=PLAIN, sasl_username=test",
      "2026-05-12T00:01:47.745625+00:00 mail postfix/cleanup[33156]: B06C6757: "
      "message-id=<TIFJBWXP8TU4.RE5ZGIOEPGI01@win-4tti4dh7sgh>",
      "2026-05-12T00:01:47.750603+00:00 mail postfix/qmgr[1337]: B06C6757: "
      "from=<test@mail.orgnizedmess.net>, size=549, nrcpt=1 (queue active)",
  });
  const AccountSummary* a = account(report, "test");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->machine_message_ids, 1u);
  EXPECT_EQ(a->failed_logins, 2u) << "one failure by IP, one by name";
  EXPECT_EQ(a->forged_sender_messages, 0u) << "a login without a domain matches its local part";
  EXPECT_EQ(a->night_messages, 1u);
}

TEST(EximLog, AuthenticatedIdIsTheAccount) {
  // Real lines (cPanel exim_mainlog, pastebin V7YudKKB).
  auto report = analyze({
      "2016-03-25 15:06:04 1ajLoq-0001wC-Pk <= email@buytickets.com.my H=mail.buytickets.com.my "
      "(buytickets.com.my) [124.217.254.72]:39926 P=esmtpa A=dovecot_login:email@buytickets.com.my "
      "S=964 id=f0876b3d8d0f5536de861efdbaf97057@buytickets.com.my T=\"Copy of: Support Enquiry\" "
      "for 0129.alexng@gmail.com",
      "2016-03-25 15:06:10 1ajLoq-0001wC-Pk => 0129.alexng@gmail.com R=dkim_lookuphost "
      "T=dkim_remote_smtp H=gmail-smtp-in.l.google.com [74.125.200.27] X=TLSv1.2:ECDHE-RSA-AES128-"
      "GCM-SHA256:128 CV=yes C=\"250 2.0.0 OK 1458889573 vy4si17489309pab.124 - gsmtp\"",
      "2016-03-25 15:06:10 1ajLoq-0001wC-Pk Completed",
      "2014-01-12 02:07:48 dovecot_login authenticator failed for h1832461.stratoserver.net (User) "
      "[85.214.85.40]: 535 Incorrect authentication data (set_id=scanner)",
  });
  const AccountSummary* a = account(report, "email@buytickets.com.my");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->authenticated);
  EXPECT_EQ(a->messages, 1u);
  EXPECT_EQ(a->recipients, 1u);
  EXPECT_EQ(a->distinct_recipients, 1u);
  EXPECT_EQ(a->client_ips, 1u);
  EXPECT_EQ(report.files.front().format, "exim");
  EXPECT_EQ(report.files.front().used, 4u);
}

TEST(SendmailLog, AuthJoinedBySessionPid) {
  auto report = analyze({
      "Dec  6 11:43:12 b.mail.sonic.net sm-mta[29813]: AUTH=server, relay=client.example "
      "[192.0.2.44], authid=augie, mech=PLAIN, bits=0",
      "Dec  6 11:43:13 b.mail.sonic.net sm-mta[29813]: t8T8eQO9031077: from=<shop@domain.example>, "
      "size=752, class=0, nrcpts=3, msgid=<>, proto=ESMTP, daemon=MTA-v4, relay=client.example "
      "[192.0.2.44]",
      "Dec  6 11:43:14 b.mail.sonic.net sm-mta[29815]: t8T8eQO9031077: to=<tk@exutec.example>, "
      "delay=00:00:01, xdelay=00:00:01, mailer=relay, pri=120752, relay=mail.example. "
      "[192.0.2.51], "
      "dsn=5.1.1, stat=User unknown",
      // Same pid reused by another client without AUTH: not augie's.
      "Dec  6 12:00:00 b.mail.sonic.net sm-mta[29813]: u8T8eQO9031078: from=<x@else.example>, "
      "size=700, class=0, nrcpts=1, msgid=<1@else.example>, proto=ESMTP, daemon=MTA-v4, "
      "relay=else.example [198.51.100.3]",
  });
  const AccountSummary* a = account(report, "augie");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->messages, 1u);
  EXPECT_EQ(a->recipients, 3u);
  EXPECT_EQ(a->bounced, 1u);
  EXPECT_EQ(a->empty_message_ids, 1u);
  EXPECT_EQ(a->logins, 1u);
  ASSERT_NE(account(report, "x@else.example"), nullptr);
  EXPECT_FALSE(account(report, "x@else.example")->authenticated);
}

TEST(DovecotLog, LoginsAndFailuresBeforeSuccess) {
  auto report = analyze({
      "Jul 02 13:49:31 hostname dovecot[442]: pop3-login: Aborted login (auth failed, 1 attempts "
      "in 17 secs): user=<emontes@sblogistics.example>, method=PLAIN, rip=192.51.100.13, "
      "lip=203.0.113.17, session=<YADINsQCDs5BH8Pg>",
      "Jul 02 13:49:40 hostname dovecot: auth: "
      "passwd-file(emontes@sblogistics.example,192.51.100.14): "
      "Password mismatch",
      "Aug  5 12:15:50 azure dovecot: pop3-login: Login: user=<emontes@sblogistics.example>, "
      "method=PLAIN, rip=187.172.83.176, lip=104.171.119.11, mpid=4800, TLS, "
      "session=<VcbljZMcnQC7rFOw>",
  });
  const AccountSummary* a = account(report, "emontes@sblogistics.example");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->logins, 1u);
  EXPECT_EQ(a->failed_logins, 2u);
  EXPECT_EQ(a->messages, 0u);
  EXPECT_EQ(a->client_ips, 1u);
}

TEST(ExchangeLog, TrackingCsvWithBomAndW3cHeader) {
  auto report = analyze({
      "\xEF\xBB\xBF#Software: Microsoft Exchange Server",
      "#Version: 15.01.2507.006",
      "#Log-type: Message Tracking Log",
      "#Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,"
      "connector-id,source,event-id,internal-message-id,message-id,network-message-id,"
      "recipient-address,recipient-status,total-bytes,recipient-count,related-recipient-address,"
      "reference,message-subject,sender-address,return-path,message-info,directionality",
      "2026-01-05T01:00:00.000Z,,,,EX1,\"MDB:1, "
      "Mailbox:2\",,STOREDRIVER,RECEIVE,11,<m1@DESKTOP-AB12CD3>,"
      "n1,a@partner.example;b@partner.example,,5000,2,,,\"請求書\",yamada@sample.example,"
      "yamada@sample.example,,Originating",
      "2026-01-05T01:00:01.000Z,,,,EX1,,,SMTP,RECEIVE,11,<m1@DESKTOP-AB12CD3>,n1,"
      "a@partner.example;b@partner.example,,5000,2,,,,yamada@sample.example,,,Originating",
      "2026-01-05T01:00:05.000Z,,,192.0.2.1,EX1,,Outbound,SMTP,SEND,11,<m1@DESKTOP-AB12CD3>,n1,"
      "a@partner.example;b@partner.example,250 OK,5000,2,,,,yamada@sample.example,,,Originating",
  });
  ASSERT_EQ(report.files.front().format, "exchange-tracking");
  const AccountSummary* a = account(report, "yamada@sample.example");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->authenticated);
  EXPECT_EQ(a->messages, 1u) << "received on two hops, counted once";
  EXPECT_EQ(a->recipients, 2u);
  EXPECT_EQ(a->distinct_recipients, 2u);
  EXPECT_EQ(a->machine_message_ids, 1u);
  EXPECT_EQ(report.files.front().unknown, 0u);
}

TEST(Microsoft365Log, MessageTraceRowsPerRecipient) {
  auto report = analyze({
      "\"Received\",\"SenderAddress\",\"RecipientAddress\",\"Subject\",\"Status\",\"ToIP\","
      "\"FromIP\",\"Size\",\"MessageId\",\"MessageTraceId\"",
      "\"1/5/2026 9:12:00 AM\",\"sato@sample.example\",\"a@x.example\",\"RE: 請求書, 至急\","
      "\"Delivered\",\"\",\"198.18.0.9\",\"1000\",\"<1@sample.example>\",\"t1\"",
      "\"1/5/2026 9:12:00 AM\",\"sato@sample.example\",\"b@y.example\",\"RE: 請求書, 至急\","
      "\"Failed\",\"\",\"198.18.0.9\",\"1000\",\"<1@sample.example>\",\"t2\"",
  });
  ASSERT_EQ(report.files.front().format, "m365-trace");
  const AccountSummary* a = account(report, "sato@sample.example");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->messages, 1u);
  EXPECT_EQ(a->recipients, 2u);
  EXPECT_EQ(a->bounced, 1u);
  EXPECT_EQ(a->first, "2026-01-05T09:12:00+00:00");  // message trace times are UTC
}

TEST(LogLines, UnknownAndOverlongLinesAreCountedNotFatal) {
  const std::string long_line(70'000, 'x');
  auto report = analyze({"garbage", "", "Oct 13 20:41:03 host someprog[1]: hello", long_line});
  const FileSummary& file = report.files.front();
  EXPECT_EQ(file.lines, 4u);
  EXPECT_EQ(file.unknown, 3u);
  EXPECT_EQ(file.ignored, 1u);
  EXPECT_EQ(file.overlong, 1u);
  EXPECT_EQ(file.unknown_samples.size(), 3u);
  EXPECT_TRUE(report.accounts.empty());
}

TEST(LogFiles, RotatedSetsOldestFirst) {
  EXPECT_EQ(order_rotated({"/var/log/mail.log", "/var/log/mail.log.1", "/var/log/mail.log.2.gz",
                           "other.log", "/var/log/mail.log.10.gz"}),
            (std::vector<std::string>{"/var/log/mail.log.10.gz", "/var/log/mail.log.2.gz",
                                      "/var/log/mail.log.1", "/var/log/mail.log", "other.log"}));
  EXPECT_EQ(order_rotated({"maillog", "maillog-20260105", "maillog-20251229"}),
            (std::vector<std::string>{"maillog-20251229", "maillog-20260105", "maillog"}));
}

TEST(LogOutput, JsonContractFields) {
  auto report = analyze({
      "Oct 13 20:41:03 h postfix/smtpd[1]: 123A51E01CDD: client=unknown[162.216.193.51], "
      "sasl_method=LOGIN, sasl_username=u@example.jp",
      "Oct 13 20:41:04 h postfix/qmgr[2]: 123A51E01CDD: from=<other@forged.example>, size=1, "
      "nrcpt=3 (queue active)",
  });
  const auto json = report_to_json(report);
  const auto& a = json.at("accounts").at(0);
  for (const char* key : {"account", "messages", "recipients", "distinct_recipients", "client_ips",
                          "first", "last", "peak_messages_per_hour", "flagged", "reasons"}) {
    EXPECT_TRUE(a.contains(key)) << key;
  }
  EXPECT_EQ(a.at("reasons").at(0), "envelope-sender-mismatch");
  EXPECT_EQ(a.at("actions").at(0).at("step"), 5);
  const std::string ja = report_to_text(report, true);
  EXPECT_NE(ja.find("u@example.jp"), std::string::npos);
  EXPECT_NE(ja.find("パスワード"), std::string::npos);
  EXPECT_NE(report_to_text(report, false).find("change the password"), std::string::npos);
}

// Peaks are over any 10 (60) consecutive minutes: a burst from 07:05 to 07:14 is one burst of 20,
// not two of 10 as clock-aligned buckets would count it.
TEST(PostfixLog, PeaksSlideAcrossClockBoundaries) {
  LogAnalyzer analyzer({});
  analyzer.begin_file("test.log", kReference);
  int queue = 0;
  const auto send = [&](int hour, int minute) {
    char id[16];
    std::snprintf(id, sizeof id, "A%05dB", queue++);
    char clock[16];
    std::snprintf(clock, sizeof clock, "%02d:%02d:30", hour, minute);
    const std::string prefix = std::string("Jul 10 ") + clock + " mx postfix/";
    analyzer.feed_line(
        prefix + "smtpd[1]: " + id +
        ": client=unknown[192.0.2.9], sasl_method=LOGIN, sasl_username=u@ours.example");
    analyzer.feed_line(prefix + "qmgr[2]: " + id + ": from=<u@ours.example>, size=9, nrcpt=1");
  };
  for (int minute = 5; minute < 15; ++minute) {
    send(7, minute);
    send(7, minute);
  }
  // 09:40–10:39: 31 mails within an hour that no clock hour contains more than 16 of.
  for (int minute = 40; minute < 60; ++minute) send(9, minute);
  for (int minute = 0; minute < 11; ++minute) send(10, minute * 3);
  const LogReport report = analyzer.finish();
  const AccountSummary* a = account(report, "u@ours.example");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->messages, 51u);
  EXPECT_EQ(a->peak_messages_per_10min, 20u);
  EXPECT_EQ(a->peak_messages_per_hour, 31u);
}

}  // namespace
}  // namespace emotriage::logs
