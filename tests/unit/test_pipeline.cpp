// The batch facade: results in input order whatever the number of workers; errors and skipped
// inputs kept in their place; a truncated raw message becomes a limit finding.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/analyze.hpp"
#include "app/pipeline.hpp"
#include "mime/parser.hpp"

namespace emotriage::app {
namespace {

// Each test runs in its own process, in parallel under ctest -j: one file per test.
std::string write_mbox(int messages) {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  auto path = std::filesystem::temp_directory_path() /
              ("emotriage_pipeline_" + std::string(test->name()) + ".mbox");
  std::ofstream out(path, std::ios::binary);
  for (int i = 0; i < messages; ++i) {
    out << "From a@example.jp Mon Jan  5 09:12:00 2026\nSubject: " << i << "\n\nbody " << i
        << "\n\n";
  }
  return path.string();
}

TEST(Pipeline, OrderIsInputOrderForAnyWorkerCount) {
  std::string mbox = write_mbox(300);
  for (unsigned jobs : {1u, 2u, 7u}) {
    BatchOptions options;
    options.jobs = jobs;
    std::vector<std::string> subjects;
    BatchEvents events{
        .message = [&](core::Message&& m) { subjects.push_back(m.envelope.subject); },
        .analysis = {},
        .error = {},
        .skipped = {},
        .progress = {}};
    BatchStats stats = run_batch({mbox}, options, events);
    ASSERT_EQ(stats.messages, 300u) << "jobs=" << jobs;
    for (int i = 0; i < 300; ++i)
      ASSERT_EQ(subjects[static_cast<std::size_t>(i)], std::to_string(i));
  }
  std::filesystem::remove(mbox);
}

TEST(Pipeline, ProgressReachesTheMeasuredTotalAcrossInputs) {
  const std::string mbox = write_mbox(50);
  const auto size = std::filesystem::file_size(mbox);
  std::vector<BatchProgress> seen;
  BatchOptions options;
  options.jobs = 3;
  BatchEvents events{.message = {},
                     .analysis = {},
                     .error = {},
                     .skipped = {},
                     .progress = [&](const BatchProgress& p) { seen.push_back(p); }};
  run_batch({mbox, "/nonexistent/a.eml", mbox}, options, events);
  ASSERT_EQ(seen.size(), 100u);
  ASSERT_TRUE(seen.back().total);
  EXPECT_EQ(seen.back().total->bytes, 2 * size);
  EXPECT_EQ(seen.back().done.bytes, 2 * size);
  EXPECT_EQ(seen[49].done.bytes, size);  // the first mbox read, the second not begun
  for (std::size_t i = 1; i < seen.size(); ++i) {
    EXPECT_LT(seen[i - 1].done.bytes, seen[i].done.bytes);
    EXPECT_EQ(seen[i].messages, i + 1);
  }
  // stdin cannot be measured: no total, the count only.
  seen.clear();
  std::istringstream empty;
  auto* saved = std::cin.rdbuf(empty.rdbuf());
  run_batch({mbox, "-"}, options, events);
  std::cin.rdbuf(saved);
  ASSERT_FALSE(seen.empty());
  EXPECT_FALSE(seen.back().total);
  std::filesystem::remove(mbox);
}

TEST(Pipeline, MissingInputIsAnErrorAndTheRestIsRead) {
  std::string mbox = write_mbox(2);
  std::vector<std::string> order;
  BatchEvents events{.message = [&](core::Message&&) { order.push_back("message"); },
                     .analysis = {},
                     .error = [&](const core::Error&) { order.push_back("error"); },
                     .skipped = {},
                     .progress = {}};
  BatchStats stats = run_batch({"/nonexistent/a.eml", mbox}, BatchOptions{}, events);
  EXPECT_EQ(stats.errors, 1u);
  EXPECT_EQ(order, (std::vector<std::string>{"error", "message", "message"}));
  std::filesystem::remove(mbox);
}

TEST(Pipeline, TruncatedRawMessageIsReported) {
  ingest::RawMessage raw;
  raw.locator = "x";
  raw.bytes = "From: a@example.jp\nSubject: s\n\nbody";
  raw.original_size = 1000000;
  raw.truncated = true;
  core::Message message = parse_raw(raw, core::Limits{});
  EXPECT_EQ(message.size, 1000000u);
  bool reported = false;
  for (const auto& finding : message.findings) reported |= finding.id == core::kParseLimitExceeded;
  EXPECT_TRUE(reported);
}

}  // namespace
}  // namespace emotriage::app

namespace emotriage::app {
namespace {

TEST(Pipeline, AFailingMessageCostsOnlyThatMessage) {
  std::string mbox = write_mbox(20);
  BatchOptions options;
  options.jobs = 2;
  options.fault_injection = [](const ingest::RawMessage& raw) {
    if (raw.bytes.find("Subject: 7\n") != std::string::npos) throw std::bad_alloc();
  };
  std::vector<core::Message> messages;
  BatchEvents events{.message = [&](core::Message&& m) { messages.push_back(std::move(m)); },
                     .analysis = {},
                     .error = {},
                     .skipped = {},
                     .progress = {}};
  BatchStats stats = run_batch({mbox}, options, events);
  ASSERT_EQ(stats.messages, 20u);
  ASSERT_EQ(messages[7].findings.size(), 1u);
  EXPECT_EQ(messages[7].findings[0].id, core::kParseCrashed);
  EXPECT_EQ(messages[8].envelope.subject, "8");  // the batch went on
  std::filesystem::remove(mbox);
}

TEST(Pipeline, AThrowingCallbackStopsTheBatchWithoutHanging) {
  std::string mbox = write_mbox(500);  // more than the in-flight window: the reader is blocked
  BatchOptions options;
  options.jobs = 2;
  int seen = 0;
  BatchEvents events{.message =
                         [&](core::Message&&) {
                           if (++seen == 3) throw std::runtime_error("disk full");
                         },
                     .analysis = {},
                     .error = {},
                     .skipped = {},
                     .progress = {}};
  EXPECT_THROW(run_batch({mbox}, options, events), std::runtime_error);
  EXPECT_EQ(seen, 3);
  std::filesystem::remove(mbox);
}

}  // namespace
}  // namespace emotriage::app

namespace emotriage::app {
namespace {

// A mail that carries `inner` as an .eml file `copies` times (8bit: no growth per level, so a
// hostile chain can be deep in a small message).
std::string carrying(const std::string& inner, int level, int copies = 1) {
  const std::string boundary = "b" + std::to_string(level);
  std::string out = "From: level" + std::to_string(level) + "@example.jp\r\nSubject: level " +
                    std::to_string(level) +
                    "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" +
                    boundary + "\"\r\n\r\n--" + boundary +
                    "\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n";
  for (int copy = 0; copy < copies; ++copy) {
    out += "--" + boundary +
           "\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; "
           "filename=\"fw.eml\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
           inner + "\r\n";
  }
  return out + "--" + boundary + "--\r\n";
}

verdict::Analysis analyze_raw_mail(const std::string& mail) {
  static const profile::Profile company;
  static const profile::Matcher matcher(company);
  mime::initialize();
  ingest::RawMessage raw;
  raw.locator = "chain.eml";
  raw.bytes = mail;
  return analyze_message(parse_raw(raw, core::Limits{}), {.matcher = &matcher}, core::Limits{});
}

std::size_t analyses_in(const verdict::Analysis& analysis, bool& limit_seen) {
  limit_seen =
      limit_seen || core::has_finding(analysis.message.findings, core::kParseLimitExceeded);
  std::size_t count = 1;
  for (const auto& inner : analysis.attached) count += analyses_in(inner, limit_seen);
  return count;
}

// Mails attached as files are parsed anew at each level: a hostile chain is cut at 8 levels with
// a finding, and every level down to the cut is analysed.
TEST(AttachedMailFiles, AChainIsCutAtEightLevels) {
  std::string mail = "From: bottom@example.jp\r\nSubject: bottom\r\n\r\nbottom\r\n";
  for (int level = 30; level >= 1; --level) mail = carrying(mail, level);
  const verdict::Analysis top = analyze_raw_mail(mail);
  const verdict::Analysis* at = &top;
  int depth = 0;
  while (!at->attached.empty()) {
    ASSERT_EQ(at->attached.size(), 1u);
    at = &at->attached.front();
    ++depth;
    EXPECT_EQ(at->message.envelope.subject, "level " + std::to_string(depth + 1));
  }
  EXPECT_EQ(depth, 8);
  EXPECT_TRUE(core::has_finding(at->message.findings, core::kParseLimitExceeded));
}

// Found in review: each level's own cap of 50 multiplied (50 files each holding 50 …): the whole
// tree of one mail now shares one budget of 50 mails attached as files.
TEST(AttachedMailFiles, TheWholeTreeSharesOneBudget) {
  std::string mail = "From: leaf@example.jp\r\nSubject: leaf\r\n\r\nleaf\r\n";
  for (int level = 3; level >= 1; --level) mail = carrying(mail, level, 10);
  bool limit_seen = false;
  EXPECT_EQ(analyses_in(analyze_raw_mail(mail), limit_seen), 51u);
  EXPECT_TRUE(limit_seen);
}

}  // namespace
}  // namespace emotriage::app
