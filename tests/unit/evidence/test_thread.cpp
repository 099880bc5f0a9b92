// Reply/forward prefixes and the quoted-thread reader.
#include <gtest/gtest.h>

#include "evidence/text.hpp"
#include "evidence/thread.hpp"

namespace emotriage::evidence {
namespace {

TEST(SubjectPrefixes, StackedAndCounted) {
  SubjectPrefixes prefixes = parse_subject_prefixes("Re: RE: Fw: 請求書の件");
  EXPECT_EQ(prefixes.replies, 2);
  EXPECT_EQ(prefixes.forwards, 1);
  EXPECT_EQ(prefixes.base, "請求書の件");
}

TEST(SubjectPrefixes, JapaneseFullWidthAndCounters) {
  EXPECT_EQ(parse_subject_prefixes("ＲＥ：見積書").replies, 1);
  EXPECT_EQ(parse_subject_prefixes("返信: 転送: 打合せ").replies, 1);
  EXPECT_EQ(parse_subject_prefixes("返信: 転送: 打合せ").forwards, 1);
  EXPECT_EQ(parse_subject_prefixes("Re[2]: order").replies, 1);
  EXPECT_EQ(parse_subject_prefixes("Fwd: FW: x").forwards, 2);
}

TEST(SubjectPrefixes, OrdinarySubjectsHaveNone) {
  for (const char* subject :
       {"Report: Q3", "Regarding your order", "請求書送付のお知らせ", "Fwd the file please", ""}) {
    SubjectPrefixes prefixes = parse_subject_prefixes(subject);
    EXPECT_EQ(prefixes.replies + prefixes.forwards, 0) << subject;
  }
}

TEST(QuotedThread, OutlookJapaneseHeaderBlock) {
  std::string text = fold_width(
      "ご確認お願いします。\n\n"
      "-----元のメッセージ-----\n"
      "差出人: 山田 太郎 <t.yamada@sample-shoji.example>\n"
      "送信日時: 2025年12月1日 10:00\n"
      "宛先: 鈴木 一郎 <suzuki@partner.example>; 佐藤 <sato@partner.example>\n"
      "件名: 見積の件\n\n"
      "いつもお世話になっております。\n");
  QuotedThread thread = parse_quoted_thread(text);
  ASSERT_TRUE(thread.found);
  EXPECT_EQ(text.substr(thread.start, 5), "-----");
  EXPECT_TRUE(thread.lists_recipients);
  ASSERT_EQ(thread.participants.size(), 3u);
  EXPECT_EQ(thread.participants[0].display_name, "山田 太郎");
  EXPECT_EQ(thread.participants[0].address, "t.yamada@sample-shoji.example");
  EXPECT_EQ(thread.participants[2].address, "sato@partner.example");
}

TEST(QuotedThread, OutlookEnglishBlockWithMailto) {
  std::string text =
      "Please check.\n\n"
      "From: Taro Yamada [mailto:t.yamada@sample-shoji.example]\n"
      "Sent: Monday, December 1, 2025 10:00 AM\n"
      "To: Ichiro Suzuki\n"
      "Subject: RE: quotation\n";
  QuotedThread thread = parse_quoted_thread(text);
  ASSERT_TRUE(thread.found);
  ASSERT_EQ(thread.participants.size(), 2u);
  EXPECT_EQ(thread.participants[0].display_name, "Taro Yamada");
  EXPECT_EQ(thread.participants[0].address, "t.yamada@sample-shoji.example");
  EXPECT_EQ(thread.participants[1].display_name, "Ichiro Suzuki");
  EXPECT_TRUE(thread.participants[1].address.empty());
}

TEST(QuotedThread, GmailAttributionWrappedOverTwoLines) {
  std::string text =
      "ok\n\nOn Mon, Dec 1, 2025 at 10:00 AM Taro Yamada <t.yamada@sample-shoji.example>\n"
      "wrote:\n> hello\n> there\n";
  QuotedThread thread = parse_quoted_thread(text);
  ASSERT_TRUE(thread.found);
  ASSERT_EQ(thread.participants.size(), 1u);
  EXPECT_EQ(thread.participants[0].display_name, "Taro Yamada");
  EXPECT_FALSE(thread.lists_recipients);
}

TEST(QuotedThread, JapaneseAttributions) {
  QuotedThread gmail = parse_quoted_thread(
      fold_width("了解です\n2025年12月1日(月) 10:00 山田 太郎 <t.yamada@sample-shoji.example>:\n"
                 "＞ 見積を送ります\n"));
  ASSERT_EQ(gmail.participants.size(), 1u);
  EXPECT_EQ(gmail.participants[0].display_name, "山田 太郎");
  QuotedThread thunderbird =
      parse_quoted_thread(fold_width("了解です\n山田 太郎 さんは書きました:\n> x\n"));
  ASSERT_EQ(thunderbird.participants.size(), 1u);
  EXPECT_EQ(thunderbird.participants[0].display_name, "山田 太郎");
}

TEST(QuotedThread, FullWidthQuoteLines) {
  QuotedThread thread = parse_quoted_thread(fold_width("はい\n＞ 前回の件\n＞ よろしく\n"));
  EXPECT_TRUE(thread.found);
  EXPECT_EQ(thread.start, std::string("はい\n").size());
}

TEST(QuotedThread, OrdinaryTextHasNone) {
  QuotedThread thread = parse_quoted_thread(
      "From: the sales team we heard good news.\nDate: to be decided\n> one line\n"
      "Subject to change.\n-----\n");
  EXPECT_FALSE(thread.found);
  EXPECT_TRUE(thread.participants.empty());
}

TEST(ParsePeople, SeparatorsAndForms) {
  auto people =
      parse_people("\"Yamada, Taro\" <t@x.example>, b@y.example; 鈴木 [mailto:s@z.example]");
  ASSERT_EQ(people.size(), 3u);
  EXPECT_EQ(people[0].display_name, "Yamada, Taro");
  EXPECT_EQ(people[1].address, "b@y.example");
  EXPECT_EQ(people[2].display_name, "鈴木");
  EXPECT_EQ(people[2].address, "s@z.example");
}

}  // namespace
}  // namespace emotriage::evidence
