// Step 1, obtaining the mail: mbox splitting (mboxo/mboxrd, CRLF, limits, offsets in locators),
// Maildir and folder walks, sniffing.
#include "ingest/source.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "app/pipeline.hpp"

namespace emotriage::ingest {
namespace {

namespace fs = std::filesystem;

struct Collected {
  std::vector<RawMessage> messages;
  std::vector<core::Error> errors;
  std::vector<Skipped> skipped;

  Visitor visitor() {
    return Visitor{[this](RawMessage&& m) { messages.push_back(std::move(m)); },
                   [this](core::Error e) { errors.push_back(std::move(e)); },
                   [this](Skipped s) { skipped.push_back(std::move(s)); }};
  }
};

Collected split(const std::string& mbox, Options options = {}) {
  Collected out;
  std::istringstream in(mbox);
  read_mbox(in, "box", options, out.visitor());
  return out;
}

std::string locator_at(const std::string& mbox, const std::string& from_line) {
  return "box#" + std::to_string(mbox.find(from_line));
}

const std::string kFrom1 = "From a@x.example Mon Jan  5 09:12:00 2026\n";
const std::string kFrom2 = "From b@y.example Mon Jan  5 09:13:00 2026\n";
const std::string kFrom3 = "From MAILER-DAEMON Tue Jan  6 23:59:59 2026\n";

// ---------------------------------------------------------------------------------------------
// mbox

TEST(Mbox, ThreeMessagesWithOffsets) {
  const std::string mbox = kFrom1 + "Subject: one\n\nbody1\n\n" + kFrom2 +
                           "Subject: two\n\nbody2\n\n" + kFrom3 + "Subject: three\n\nbody3\n";
  Collected c = split(mbox);
  ASSERT_EQ(c.messages.size(), 3u);
  EXPECT_EQ(c.messages[0].locator, "box#0");
  EXPECT_EQ(c.messages[1].locator, locator_at(mbox, kFrom2));
  EXPECT_EQ(c.messages[2].locator, locator_at(mbox, kFrom3));
  // The From_ line is not part of the message; the separating blank line is not either.
  EXPECT_EQ(c.messages[0].bytes, "Subject: one\n\nbody1\n");
  EXPECT_EQ(c.messages[1].bytes, "Subject: two\n\nbody2\n");
  EXPECT_EQ(c.messages[2].bytes, "Subject: three\n\nbody3\n");
  for (const auto& m : c.messages) {
    EXPECT_FALSE(m.truncated);
    EXPECT_EQ(m.original_size, m.bytes.size());
  }
  EXPECT_TRUE(c.errors.empty());
}

TEST(Mbox, TrailingBlankLineOfLastMessageIsStripped) {
  Collected c = split(kFrom1 + "Subject: one\n\nbody1\n\n");
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_EQ(c.messages[0].bytes, "Subject: one\n\nbody1\n");
}

TEST(Mbox, LastMessageWithoutFinalNewline) {
  Collected c = split(kFrom1 + "Subject: one\n\nbody1");
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_EQ(c.messages[0].bytes, "Subject: one\n\nbody1");
}

TEST(Mbox, EscapedFromLinesAreUnescaped) {
  const std::string mbox = kFrom1 +
                           "Subject: one\n\n>From the desk of the CEO\n>>From quoted\n"
                           "a >From b\n>>>From deep\n";
  Collected c = split(mbox);
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_EQ(c.messages[0].bytes,
            "Subject: one\n\nFrom the desk of the CEO\n>From quoted\na >From b\n>>From deep\n");
}

TEST(Mbox, BodyFromLinesThatAreNotSeparatorsDoNotSplit) {
  const std::string mbox = kFrom1 +
                           "Subject: one\n\nIntro line\nFrom here on, see below 10:30.\n\n"
                           "From here on, no time in this line.\n\nbye\n\n" +
                           kFrom2 + "Subject: two\n\nbody2\n";
  Collected c = split(mbox);
  ASSERT_EQ(c.messages.size(), 2u);
  EXPECT_EQ(c.messages[0].bytes,
            "Subject: one\n\nIntro line\nFrom here on, see below 10:30.\n\n"
            "From here on, no time in this line.\n\nbye\n");
  EXPECT_EQ(c.messages[1].locator, locator_at(mbox, kFrom2));
}

TEST(Mbox, CrlfLineEnds) {
  const std::string mbox =
      "From a@x.example Mon Jan  5 09:12:00 2026\r\nSubject: one\r\n\r\nbody1\r\n\r\n"
      "From b@y.example Mon Jan  5 09:13:00 2026\r\nSubject: two\r\n\r\nbody2\r\n\r\n";
  Collected c = split(mbox);
  ASSERT_EQ(c.messages.size(), 2u);
  EXPECT_EQ(c.messages[0].bytes, "Subject: one\r\n\r\nbody1\r\n");
  EXPECT_EQ(c.messages[1].bytes, "Subject: two\r\n\r\nbody2\r\n");
  EXPECT_EQ(c.messages[1].locator, "box#" + std::to_string(mbox.find("From b@")));
}

TEST(Mbox, TextBeforeFirstFromLineIsAMessageOfItsOwn) {
  // Nothing may vanish: non-blank text before the first From_ line is delivered at offset 0.
  const std::string mbox = "\n\ngarbage\n\n" + kFrom1 + "Subject: one\n\nbody1\n";
  for (std::size_t chunk : {1u, 2u, 5u, 4096u}) {
    Options options;
    options.read_chunk = chunk;
    Collected c = split(mbox, options);
    ASSERT_EQ(c.messages.size(), 2u) << "chunk " << chunk;
    EXPECT_EQ(c.messages[0].locator, "box#0");
    EXPECT_EQ(c.messages[0].bytes, "\n\ngarbage\n");  // without the separator's blank line
    EXPECT_EQ(c.messages[0].original_size, c.messages[0].bytes.size());
    EXPECT_FALSE(c.messages[0].truncated);
    EXPECT_EQ(c.messages[1].locator, locator_at(mbox, kFrom1));
    EXPECT_EQ(c.messages[1].bytes, "Subject: one\n\nbody1\n");
  }
}

TEST(Mbox, BlankTextBeforeFirstFromLineIsDropped) {
  const std::string mbox = "\n \r\n\t\n" + kFrom1 + "Subject: one\n\nbody1\n";
  Collected c = split(mbox);
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_EQ(c.messages[0].locator, locator_at(mbox, kFrom1));
}

TEST(Mbox, LongTextBeforeFirstFromLineIsBoundedAndKept) {
  // A line longer than any From_ line, a From_-like text inside it (not at a line start), then
  // the real first From_ line.
  // 65537 bytes: with one-byte reads the splitter gives up on the line right before "From ".
  const std::string junk = std::string(65537, 'x') + kFrom2 + "tail\n";
  const std::string mbox = junk + kFrom1 + "Subject: one\n\nbody1\n";
  for (std::size_t chunk : {1u, 7u, 4096u, 1u << 20}) {
    Options options;
    options.read_chunk = chunk;
    options.max_message_bytes = 1000;
    Collected c = split(mbox, options);
    ASSERT_EQ(c.messages.size(), 2u) << "chunk " << chunk;
    EXPECT_EQ(c.messages[0].locator, "box#0");
    EXPECT_TRUE(c.messages[0].truncated);
    EXPECT_EQ(c.messages[0].bytes, junk.substr(0, 1000));
    EXPECT_EQ(c.messages[0].original_size, junk.size());
    EXPECT_EQ(c.messages[1].locator, locator_at(mbox, kFrom1));
    EXPECT_EQ(c.messages[1].bytes, "Subject: one\n\nbody1\n");
  }
}

TEST(Mbox, InputWithoutAnyFromLineIsOneMessage) {
  // read_mbox on something that is not an mbox: the parser gets the whole input.
  const std::string text = "Subject: not an mbox\n\nFrom here on, no separator.\n";
  for (std::size_t chunk : {1u, 3u, 4096u}) {
    Options options;
    options.read_chunk = chunk;
    Collected c = split(text, options);
    ASSERT_EQ(c.messages.size(), 1u) << "chunk " << chunk;
    EXPECT_EQ(c.messages[0].locator, "box#0");
    EXPECT_EQ(c.messages[0].bytes, text);
    EXPECT_EQ(c.messages[0].original_size, text.size());
    EXPECT_FALSE(c.messages[0].truncated);
  }
  // Even white space only, or a lone (partial) byte order mark, is not silently dropped.
  EXPECT_EQ(split("\n\n").messages.size(), 1u);
  EXPECT_EQ(split("\xEF\xBB").messages.size(), 1u);
  EXPECT_EQ(split("\xEF\xBB\xBF").messages.size(), 1u);
}

TEST(Mbox, Utf8BomBeforeFirstFromLine) {
  const std::string mbox =
      "\xEF\xBB\xBF" + kFrom1 + "Subject: one\n\nbody1\n\n" + kFrom2 + "Subject: two\n\nbody2\n";
  Collected c = split(mbox);
  ASSERT_EQ(c.messages.size(), 2u);
  EXPECT_EQ(c.messages[0].bytes, "Subject: one\n\nbody1\n");
  EXPECT_EQ(c.messages[0].locator, "box#3");
}

TEST(Mbox, FirstFromLineWithoutDate) {
  // sniff() takes this for an mbox; the splitter must not then drop the message.
  const std::string mbox = "From a@x.example\nSubject: one\n\nbody1\n";
  EXPECT_EQ(sniff(mbox), Kind::mbox);
  Collected c = split(mbox);
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_EQ(c.messages[0].bytes, "Subject: one\n\nbody1\n");
}

TEST(Mbox, LaterFromLineWithoutDateDoesNotSplit) {
  const std::string mbox = kFrom1 + "Subject: one\n\nhi\n\nFrom a@x.example wrote:\n> q\n";
  Collected c = split(mbox);
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_EQ(c.messages[0].bytes, "Subject: one\n\nhi\n\nFrom a@x.example wrote:\n> q\n");
}

// Splits with several read chunk sizes and checks that the result does not depend on them.
Collected split_every_chunk(const std::string& mbox) {
  Collected reference = split(mbox);
  for (std::size_t chunk : {1u, 2u, 3u, 7u, 64u}) {
    Options options;
    options.read_chunk = chunk;
    Collected c = split(mbox, options);
    EXPECT_EQ(c.messages.size(), reference.messages.size()) << "chunk " << chunk;
    for (std::size_t i = 0; i < std::min(c.messages.size(), reference.messages.size()); ++i) {
      EXPECT_EQ(c.messages[i].locator, reference.messages[i].locator) << "chunk " << chunk;
      EXPECT_EQ(c.messages[i].bytes, reference.messages[i].bytes) << "chunk " << chunk;
    }
  }
  return reference;
}

TEST(Mbox, FromLinesWithoutDateSplitAfterABlankLine) {
  // Gmail Takeout / mimekit issue1189: "From <id>@xxx" without a date on every separator.
  const std::string mbox =
      "From sender@example.com\nFrom: Sender <sender@example.com>\nSubject: one\n\nbody\n\n"
      "From 1844347839636459560@xxx\nSubject: two\n\nbody\n\n"
      "From MAILER-DAEMON\nSubject: three\n\nbody\n";
  Collected c = split_every_chunk(mbox);
  ASSERT_EQ(c.messages.size(), 3u);
  EXPECT_EQ(c.messages[0].locator, "box#0");
  EXPECT_EQ(c.messages[0].bytes, "From: Sender <sender@example.com>\nSubject: one\n\nbody\n");
  EXPECT_EQ(c.messages[1].locator, locator_at(mbox, "From 1844347839636459560@xxx"));
  EXPECT_EQ(c.messages[1].bytes, "Subject: two\n\nbody\n");
  EXPECT_EQ(c.messages[2].locator, locator_at(mbox, "From MAILER-DAEMON"));
}

TEST(Mbox, ThunderbirdBareFromDashSeparators) {
  // Netscape / Thunderbird: "From - " or "From - <date>", often right after the last line of the
  // previous message (no blank line), CRLF or LF.
  const std::string mbox =
      "From - \nSubject: one\n\n--b--\n"
      "From -\r\nSubject: two\r\n\r\nbody\r\n"
      "From - Mon Jun  3 12:50:27 1996\nSubject: three\n\nbody\n\n"
      "From MAILER-DAEMON Tue Jan  6 23:59:59 2026\nSubject: four\n\nbody\n";
  Collected c = split_every_chunk(mbox);
  ASSERT_EQ(c.messages.size(), 4u);
  EXPECT_EQ(c.messages[0].locator, "box#0");
  EXPECT_EQ(c.messages[0].bytes, "Subject: one\n\n--b--\n");
  EXPECT_EQ(c.messages[1].locator, locator_at(mbox, "From -\r\n"));
  EXPECT_EQ(c.messages[1].bytes, "Subject: two\r\n\r\nbody\r\n");
  EXPECT_EQ(c.messages[2].locator, locator_at(mbox, "From - Mon"));
  EXPECT_EQ(c.messages[3].locator, locator_at(mbox, "From MAILER-DAEMON"));
}

TEST(Mbox, UnmungedBodyFromLinesDoNotSplit) {
  // Body lines starting with "From " that an mboxo writer left unescaped: no date, and not a
  // marker sender, or not after a blank line (only "From -" may do without one).
  const std::string body =
      "Subject: one\n\nThis is my favourite James Bond movie:\n\nFrom Russia with love\n"
      "From here on we talk 10:30 style\nFrom a@x.example 09:00 tomorrow\n"
      "From MAILER-DAEMON Tue Jan  6 23:59:59 2026\nFrom a@x.example\n\n"
      "From a@x.example wrote:\n\nFrom -- the team\n\nFrom here\n";
  Collected c = split_every_chunk(kFrom1 + body + "\n" + kFrom2 + "Subject: two\n\nb\n");
  ASSERT_EQ(c.messages.size(), 2u);
  EXPECT_EQ(c.messages[0].bytes, body);
}

TEST(Mbox, Utf8BomAtTheStartOfEachMessageIsStripped) {
  const std::string mbox =
      "\xEF\xBB\xBF"
      "From -\nFrom: a@example.com\nSubject: one\n\nbody\n\n" +
      kFrom2 + "\xEF\xBB\xBFSubject: two\n\nbody\n";
  Collected c = split_every_chunk(mbox);
  ASSERT_EQ(c.messages.size(), 2u);
  EXPECT_EQ(c.messages[0].locator, "box#3");  // the From_ line is after the BOM
  EXPECT_EQ(c.messages[0].bytes, "From: a@example.com\nSubject: one\n\nbody\n");
  EXPECT_EQ(c.messages[1].bytes, "Subject: two\n\nbody\n");
  EXPECT_EQ(c.messages[1].original_size, c.messages[1].bytes.size());
}

TEST(Mbox, EmptyStream) {
  Collected c = split("");
  EXPECT_TRUE(c.messages.empty());
  EXPECT_TRUE(c.errors.empty());
}

TEST(Mbox, FromLineOnly) {
  Collected c = split(kFrom1);
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_EQ(c.messages[0].bytes, "");
}

TEST(Mbox, OversizedMessageIsTruncatedAndTheNextIsIntact) {
  std::string big = "Subject: big\n\n";
  while (big.size() < 5000) big += std::string(99, 'x') + "\n";
  const std::string mbox =
      kFrom1 + big + "\n" + kFrom2 + "Subject: two\n\nbody2\n\n" + kFrom3 + big + "\n";
  Options options;
  options.max_message_bytes = 1000;
  options.read_chunk = 64;
  Collected c = split(mbox, options);
  ASSERT_EQ(c.messages.size(), 3u);
  EXPECT_TRUE(c.messages[0].truncated);
  EXPECT_EQ(c.messages[0].original_size, big.size());
  EXPECT_EQ(c.messages[0].bytes, big.substr(0, 1000));
  EXPECT_FALSE(c.messages[1].truncated);
  EXPECT_EQ(c.messages[1].bytes, "Subject: two\n\nbody2\n");
  EXPECT_EQ(c.messages[1].locator, locator_at(mbox, kFrom2));
  EXPECT_EQ(c.messages[1].original_size, c.messages[1].bytes.size());
  // The last message, cut at the end of the stream.
  EXPECT_TRUE(c.messages[2].truncated);
  EXPECT_EQ(c.messages[2].original_size, big.size());
  EXPECT_EQ(c.messages[2].bytes, big.substr(0, 1000));
  EXPECT_EQ(c.messages[2].locator, locator_at(mbox, kFrom3));
}

TEST(Mbox, TruncationIsTheSameForEveryChunkSize) {
  std::string big = "Subject: big\n\n";
  while (big.size() < 3000) big += ">From " + std::string(93, 'x') + "\n";
  const std::string mbox = kFrom1 + big + "\n" + kFrom2 + "Subject: two\n\nbody2\n";
  for (std::size_t chunk : {1u, 3u, 8u, 64u, 1000u, 4096u}) {
    Options options;
    options.max_message_bytes = 500;
    options.read_chunk = chunk;
    Collected c = split(mbox, options);
    ASSERT_EQ(c.messages.size(), 2u) << "chunk " << chunk;
    EXPECT_TRUE(c.messages[0].truncated) << "chunk " << chunk;
    EXPECT_EQ(c.messages[0].original_size, big.size()) << "chunk " << chunk;
    // The head is unescaped, so it may be a little shorter than the limit.
    EXPECT_LE(c.messages[0].bytes.size(), 500u) << "chunk " << chunk;
    EXPECT_TRUE(c.messages[0].bytes.starts_with("Subject: big\n\nFrom xxx")) << "chunk " << chunk;
    EXPECT_EQ(c.messages[1].bytes, "Subject: two\n\nbody2\n") << "chunk " << chunk;
    EXPECT_EQ(c.messages[1].locator, locator_at(mbox, kFrom2)) << "chunk " << chunk;
  }
}

TEST(Mbox, CutMessagesAreTheSameForEveryChunkSize) {
  // Found by a random differential run: (1) a cut message whose next From_ line was still
  // waiting for its line end lost that separator with small reads; (2) the head of a cut
  // message was unescaped before or after the cut depending on the read size. Both messages
  // exceed the limit plus the read slack, so small reads cut them while reading.
  const std::string first = kFrom1 + std::string(100, 'x') + "\r\n\r\n";
  const std::string mbox = first + kFrom2 + "Subject: two\r\n";
  const std::string escaped = kFrom1 + ">From y\n" + std::string(200, 'x') + "\n";
  for (std::size_t chunk : {1u, 2u, 3u, 5u, 8u, 64u, 4096u}) {
    Options options;
    options.max_message_bytes = 20;
    options.read_chunk = chunk;
    Collected c = split(mbox, options);
    ASSERT_EQ(c.messages.size(), 2u) << "chunk " << chunk;
    EXPECT_TRUE(c.messages[0].truncated);
    EXPECT_EQ(c.messages[0].bytes, std::string(20, 'x')) << "chunk " << chunk;
    EXPECT_EQ(c.messages[0].original_size, 102u) << "chunk " << chunk;  // 100 x + CRLF
    EXPECT_EQ(c.messages[1].locator, locator_at(mbox, kFrom2)) << "chunk " << chunk;
    EXPECT_EQ(c.messages[1].bytes, "Subject: two\r\n") << "chunk " << chunk;

    c = split(escaped, options);
    ASSERT_EQ(c.messages.size(), 1u);
    // The first 20 bytes as stored, unescaped: one '>' less.
    EXPECT_EQ(c.messages[0].bytes, "From y\n" + std::string(12, 'x')) << "chunk " << chunk;
    EXPECT_EQ(c.messages[0].original_size, escaped.size() - kFrom1.size()) << "chunk " << chunk;
  }
}

TEST(Mbox, MessageAtExactlyTheLimitIsNotTruncated) {
  std::string body = "Subject: x\n\n";
  body += std::string(1000 - body.size() - 1, 'y') + "\n";
  ASSERT_EQ(body.size(), 1000u);
  Options options;
  options.max_message_bytes = 1000;
  options.read_chunk = 64;
  Collected c = split(kFrom1 + body + "\n" + kFrom2 + "Subject: two\n\nb\n", options);
  ASSERT_EQ(c.messages.size(), 2u);
  EXPECT_FALSE(c.messages[0].truncated);
  EXPECT_EQ(c.messages[0].bytes, body);
}

TEST(Mbox, SplitDoesNotDependOnChunkSize) {
  // Separators straddling chunk boundaries at every position.
  std::string mbox;
  std::mt19937 rng(7);
  for (int i = 0; i < 20; ++i) {
    mbox += "From u" + std::to_string(i) + "@x.example Mon Jan  5 09:12:00 2026\n";
    mbox += "Subject: " + std::to_string(i) + "\n\n";
    int lines = static_cast<int>(rng() % 5);
    for (int k = 0; k < lines; ++k) mbox += ">From line " + std::string(rng() % 30, 'z') + "\n";
    mbox += "\n";
  }
  Collected reference = split(mbox);
  ASSERT_EQ(reference.messages.size(), 20u);
  for (std::size_t chunk : {1u, 2u, 5u, 7u, 13u, 64u}) {
    Options options;
    options.read_chunk = chunk;
    Collected c = split(mbox, options);
    ASSERT_EQ(c.messages.size(), reference.messages.size()) << "chunk " << chunk;
    for (std::size_t i = 0; i < c.messages.size(); ++i) {
      EXPECT_EQ(c.messages[i].locator, reference.messages[i].locator) << "chunk " << chunk;
      EXPECT_EQ(c.messages[i].bytes, reference.messages[i].bytes) << "chunk " << chunk;
    }
  }
}

TEST(Mbox, OffsetsStayRightAcrossWindowCompaction) {
  // More than the splitter's compaction threshold (1 MiB), so the window is cut at the front.
  std::string mbox;
  std::vector<std::size_t> offsets;
  const std::string filler = std::string(1000, 'q') + "\n";
  for (int i = 0; i < 40; ++i) {
    offsets.push_back(mbox.size());
    mbox += "From u@x.example Mon Jan  5 09:12:00 2026\nSubject: " + std::to_string(i) + "\n\n";
    for (int k = 0; k < 100; ++k) mbox += filler;
    mbox += "\n";
  }
  Options options;
  options.read_chunk = 4096;
  Collected c = split(mbox, options);
  ASSERT_EQ(c.messages.size(), offsets.size());
  for (std::size_t i = 0; i < offsets.size(); ++i) {
    EXPECT_EQ(c.messages[i].locator, "box#" + std::to_string(offsets[i]));
    EXPECT_TRUE(c.messages[i].bytes.starts_with("Subject: " + std::to_string(i) + "\n"));
    EXPECT_EQ(c.messages[i].bytes.size(), 11 + std::to_string(i).size() + 100 * filler.size());
  }
}

TEST(Mbox, ZeroReadChunkDoesNotHang) {
  Options options;
  options.read_chunk = 0;
  Collected c = split(kFrom1 + "Subject: one\n\nbody\n", options);
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_EQ(c.messages[0].bytes, "Subject: one\n\nbody\n");
}

TEST(Mbox, HostileLongLinesAreBoundedAndFast) {
  // One message of 20 MB without a newline, limit 1000: truncated, memory bounded (the splitter
  // must not wait for a line end forever). A splitter that rescanned its window on each of the
  // 5,000 chunks would read terabytes and hit the unit tests' CTest timeout. (Not a growth
  // check: this work is bound by memory bandwidth, and a run that leaves the cache grows faster
  // than the input on a busy machine.)
  Options options;
  options.max_message_bytes = 1000;
  options.read_chunk = 4096;
  std::string mbox = kFrom1 + std::string(20u << 20, 'A');
  Collected c = split(mbox, options);
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_TRUE(c.messages[0].truncated);
  EXPECT_EQ(c.messages[0].bytes.size(), 1000u);
  EXPECT_EQ(c.messages[0].original_size, 20u << 20);
}

TEST(Mbox, HostileNoFromLineIsFastAndBounded) {
  // Without a From_ line the whole input is one message, cut at the limit like any other.
  std::string junk(8u << 20, 'j');
  for (std::size_t i = 100; i < junk.size(); i += 100) junk[i] = '\n';
  Options options;
  options.read_chunk = 4096;
  options.max_message_bytes = 1000;
  Collected c = split(junk, options);
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_TRUE(c.messages[0].truncated);
  EXPECT_EQ(c.messages[0].bytes, junk.substr(0, 1000));
  EXPECT_EQ(c.messages[0].original_size, junk.size());
  // Within the limit, it is delivered whole.
  options.max_message_bytes = 16u << 20;
  c = split(junk, options);
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_FALSE(c.messages[0].truncated);
  EXPECT_EQ(c.messages[0].bytes, junk);
}

// ---------------------------------------------------------------------------------------------
// sniff

TEST(Sniff, EachKind) {
  EXPECT_EQ(sniff(kFrom1 + "Subject: x\n"), Kind::mbox);
  EXPECT_EQ(sniff("From a@x.example\n"), Kind::mbox);  // no date, but an address
  EXPECT_EQ(sniff("Return-Path: <a@x.example>\r\nReceived: from x\r\n"), Kind::message);
  EXPECT_EQ(sniff("Received: from mail.example.jp by mx\n"), Kind::message);
  EXPECT_EQ(sniff("From: a@x.example\n"), Kind::message);
  EXPECT_EQ(sniff("\xEF\xBB\xBFSubject: x\n"), Kind::message);
  EXPECT_EQ(sniff(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0", 11)), Kind::outlook_msg);
  EXPECT_EQ(sniff(std::string("\x89PNG\r\n\x1a\n\0\0", 10)), Kind::unknown);
  EXPECT_EQ(sniff(std::string("PK\x03\x04\0\0", 6)), Kind::unknown);
  EXPECT_EQ(sniff("just some text without a header\n"), Kind::unknown);
  EXPECT_EQ(sniff(""), Kind::unknown);
}

TEST(Sniff, ObsoleteFromHeaderIsAMessageNotAnMbox) {
  // "From : a@b" is the obsolete header syntax (white space before the colon), not a From_ line.
  EXPECT_EQ(sniff("From : attacker@example.com\r\nSubject: x\r\n"), Kind::message);
  EXPECT_EQ(sniff("From  : John Doe <jdoe@machine.example>\n"), Kind::message);
  EXPECT_EQ(sniff("From :a@b\n"), Kind::message);
  EXPECT_EQ(sniff("Subject\t: x\n"), Kind::message);
  EXPECT_EQ(sniff(": x\n"), Kind::unknown);
}

TEST(Sniff, FromLinesWithAndWithoutDate) {
  EXPECT_EQ(sniff("From - \nFrom: a@b\n"), Kind::mbox);
  EXPECT_EQ(sniff("From -\r\nFrom: a@b\r\n"), Kind::mbox);
  EXPECT_EQ(sniff("\xEF\xBB\xBF"
                  "From -\nFrom: a@b\n"),
            Kind::mbox);
  EXPECT_EQ(sniff("From - Mon Jun  3 12:50:27 1996\n"), Kind::mbox);
  EXPECT_EQ(sniff("From 1844347792267117879@xxx\n"), Kind::mbox);
  EXPECT_EQ(sniff("From MAILER-DAEMON Tue Jan  6 23:59:59 2026\n"), Kind::mbox);
  EXPECT_EQ(sniff("From test@example.com  Mon Aug 22 09:45:15 2011\n"), Kind::mbox);
  EXPECT_EQ(sniff("From Russia with love\n"), Kind::unknown);  // prose, not a From_ line
  EXPECT_EQ(sniff("From \n"), Kind::unknown);
}

// ---------------------------------------------------------------------------------------------
// Files and folders

class IngestFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::temp_directory_path() /
            ("emotriage-ingest-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  fs::path write(const fs::path& relative, const std::string& content) {
    fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  Collected read(const fs::path& path, Options options = {}) {
    Collected c;
    read_input(path.string(), options, c.visitor());
    return c;
  }

  fs::path root_;
};

TEST_F(IngestFiles, SingleMessageFile) {
  fs::path path = write("a.eml", "Subject: hi\r\n\r\nbody\r\n");
  Collected c = read(path);
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_EQ(c.messages[0].locator, path.string());
  EXPECT_EQ(c.messages[0].bytes, "Subject: hi\r\n\r\nbody\r\n");
  EXPECT_EQ(c.messages[0].original_size, c.messages[0].bytes.size());
  EXPECT_FALSE(c.messages[0].truncated);
}

TEST_F(IngestFiles, SingleMessageFileTruncated) {
  std::string content = "Subject: hi\n\n" + std::string(10000, 'b');
  fs::path path = write("big.eml", content);
  Options options;
  options.max_message_bytes = 100;
  Collected c = read(path, options);
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_TRUE(c.messages[0].truncated);
  EXPECT_EQ(c.messages[0].bytes, content.substr(0, 100));
  EXPECT_EQ(c.messages[0].original_size, content.size());
}

TEST_F(IngestFiles, MboxFileIsSplit) {
  const std::string mbox = kFrom1 + "Subject: one\n\nbody1\n\n" + kFrom2 + "Subject: two\n\nb\n";
  fs::path path = write("box.mbox", mbox);
  Collected c = read(path);
  ASSERT_EQ(c.messages.size(), 2u);
  EXPECT_EQ(c.messages[0].locator, path.string() + "#0");
  EXPECT_EQ(c.messages[1].locator, path.string() + "#" + std::to_string(mbox.find(kFrom2)));
  EXPECT_EQ(c.messages[1].bytes, "Subject: two\n\nb\n");
}

TEST_F(IngestFiles, ObsoleteFromHeaderFileIsOneWholeMessage) {
  // phishing_pot sample-400: the "From :" header must reach the parser, not be eaten as a
  // From_ line.
  const std::string mail = "From : attacker@example.com\r\nSubject: invoice\r\n\r\nhello\r\n";
  fs::path path = write("tree/a.eml", mail);
  for (const fs::path& input : {path, root_ / "tree"}) {
    Collected c = read(input);
    ASSERT_EQ(c.messages.size(), 1u) << input;
    EXPECT_EQ(c.messages[0].locator, path.string());
    EXPECT_EQ(c.messages[0].bytes, mail);
    EXPECT_TRUE(c.skipped.empty());
  }
}

TEST_F(IngestFiles, MboxFileWithoutDatesIsSplit) {
  const std::string mbox =
      "From sender@example.com\nFrom: Sender <sender@example.com>\nSubject: one\n\nbody\n\n"
      "From sender@example.com\nFrom: Sender <sender@example.com>\nSubject: two\n\nbody\n";
  fs::path path = write("no-date.mbox", mbox);
  Collected c = read(path);
  ASSERT_EQ(c.messages.size(), 2u);
  EXPECT_EQ(c.messages[0].locator, path.string() + "#0");
  EXPECT_EQ(c.messages[1].locator, path.string() + "#" + std::to_string(mbox.rfind("From sender")));
  EXPECT_TRUE(c.messages[1].bytes.starts_with("From: Sender"));
}

TEST_F(IngestFiles, Utf8BomOfASingleMessageFileIsStripped) {
  const std::string mail = "From: Taro <t.yamada@example.jp>\r\nSubject: invoice\r\n\r\nbody\r\n";
  fs::path path = write("bom.eml", "\xEF\xBB\xBF" + mail);
  Collected c = read(path);
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_EQ(c.messages[0].locator, path.string());
  EXPECT_EQ(c.messages[0].bytes, mail);
  EXPECT_EQ(c.messages[0].original_size, mail.size());
  EXPECT_FALSE(c.messages[0].truncated);
  // Cut at the limit: the size still counts the message, not the BOM.
  Options options;
  options.max_message_bytes = 10;
  c = read(path, options);
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_TRUE(c.messages[0].truncated);
  EXPECT_EQ(c.messages[0].bytes, mail.substr(0, 10));
  EXPECT_EQ(c.messages[0].original_size, mail.size());
}

TEST_F(IngestFiles, Utf8BomBeforeABareFromDashLine) {
  // mimekit unmunged.mbox.txt: BOM, then Thunderbird's "From -".
  fs::path path = write("bom.mbox",
                        "\xEF\xBB\xBF"
                        "From -\nFrom: a@example.com\nSubject: one\n\nbody\n");
  Collected c = read(path);
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_EQ(c.messages[0].locator, path.string() + "#3");
  EXPECT_EQ(c.messages[0].bytes, "From: a@example.com\nSubject: one\n\nbody\n");
}

TEST_F(IngestFiles, FixtureFilesNeverVanish) {
  // tests/data/ingest: small hand-written files of each shape the corpus walk found lost.
  const fs::path dir = fs::path(EMOTRIAGE_SOURCE_DIR) / "tests/data/ingest";
  const std::map<std::string, std::size_t> expected = {
      {"addresses-without-commas.mbox", 1},
      {"mailer-daemon.mbox", 2},
      {"no-date.mbox", 2},
      {"obsolete-from-header.eml", 1},
      {"thunderbird-no-blank.mbox", 3},
      {"utf8-bom-thunderbird.mbox", 2},
      {"utf8-bom.eml", 1},
  };
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    ++files;
    Collected c = read(entry.path());
    ASSERT_TRUE(expected.contains(name)) << "add " << name << " to this table";
    EXPECT_EQ(c.messages.size(), expected.at(name)) << name;
    EXPECT_TRUE(c.errors.empty()) << name;
    for (const auto& m : c.messages) {
      EXPECT_TRUE(m.bytes.starts_with("From:") || m.bytes.starts_with("From :") ||
                  m.bytes.starts_with("Subject:"))
          << m.locator;
    }
  }
  EXPECT_EQ(files, expected.size());
}

TEST_F(IngestFiles, OutlookMsgFileIsDeliveredAsOutlookFormat) {
  std::string property_stream;
  for (const char c : std::string_view("__properties_version1.0")) property_stream += {c, '\0'};
  const std::string bytes = std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) +
                            std::string(504, '\0') + property_stream + std::string(64, '\0');
  fs::path path = write("mail.msg", bytes);
  Collected c = read(path);
  EXPECT_TRUE(c.skipped.empty());
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_EQ(c.messages[0].format, Format::outlook_msg);
  EXPECT_EQ(c.messages[0].bytes, bytes);
}

TEST_F(IngestFiles, CompoundFileThatIsNotAMessageIsSkipped) {
  fs::path path = write(
      "report.doc", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(512, '\0'));
  Collected c = read(path);
  EXPECT_TRUE(c.messages.empty());
  ASSERT_EQ(c.skipped.size(), 1u);
  EXPECT_EQ(c.skipped[0].locator, path.string());
  EXPECT_EQ(c.skipped[0].reason, SkipReason::not_mail);
}

TEST_F(IngestFiles, Maildir) {
  write("Md/cur/1700000002.M2P2.host:2,S", "Subject: cur2\n\nb\n");
  write("Md/cur/1700000001.M1P1.host:2,S", "Subject: cur1\n\nb\n");
  write("Md/new/1700000003.M3P3.host", "Return-Path: <a@x.example>\nSubject: new\n\nb\n");
  write("Md/tmp/1700000004.M4P4.host", "Subject: half-delivered\n\nb\n");
  Collected c = read(root_ / "Md");
  ASSERT_EQ(c.messages.size(), 3u);
  EXPECT_EQ(c.messages[0].locator, (root_ / "Md/cur/1700000001.M1P1.host:2,S").string());
  EXPECT_EQ(c.messages[1].locator, (root_ / "Md/cur/1700000002.M2P2.host:2,S").string());
  EXPECT_EQ(c.messages[2].locator, (root_ / "Md/new/1700000003.M3P3.host").string());
  EXPECT_EQ(c.messages[0].bytes, "Subject: cur1\n\nb\n");
  EXPECT_TRUE(c.errors.empty());
}

TEST_F(IngestFiles, TreeWithBinaryFileAndMbox) {
  fs::path eml = write("tree/a.eml", "Subject: a\n\nb\n");
  fs::path bin = write("tree/bin.dat", std::string("\x7f"
                                                   "ELF\x02\x01\x01\0\0\0",
                                                   10));
  const std::string mbox = kFrom1 + "Subject: one\n\nb\n\n" + kFrom2 + "Subject: two\n\nb\n";
  fs::path box = write("tree/sub/b.mbox", mbox);
  Collected c = read(root_ / "tree");
  ASSERT_EQ(c.messages.size(), 3u);
  EXPECT_EQ(c.messages[0].locator, eml.string());
  EXPECT_EQ(c.messages[1].locator, box.string() + "#0");
  EXPECT_EQ(c.messages[2].locator, box.string() + "#" + std::to_string(mbox.find(kFrom2)));
  ASSERT_EQ(c.skipped.size(), 1u);
  EXPECT_EQ(c.skipped[0].locator, bin.string());
  EXPECT_EQ(c.skipped[0].reason, SkipReason::not_mail);
}

// How far a read is: each message says how much of its input is behind it, in the unit
// measure_input gives the whole input in, so the last message reaches the total.
TEST_F(IngestFiles, MboxMessagesCarryTheOffsetAfterThem) {
  const std::string mbox = kFrom1 + "Subject: one\n\nb\n\n" + kFrom2 + "Subject: two\n\nb\n";
  fs::path box = write("box.mbox", mbox);
  Options options;
  options.read_chunk = 7;  // offsets do not depend on how the file is read
  Collected c = read(box, options);
  ASSERT_EQ(c.messages.size(), 2u);
  EXPECT_EQ(c.messages[0].input_done.bytes, mbox.find(kFrom2));
  EXPECT_EQ(c.messages[1].input_done.bytes, mbox.size());
  const auto total = measure_input(box.string());
  ASSERT_TRUE(total);
  EXPECT_EQ(total->bytes, mbox.size());
  EXPECT_EQ(total->items, 0u);
}

TEST_F(IngestFiles, FolderProgressCountsTheFilesBefore) {
  const std::string eml = "Subject: a\n\nb\n";
  const std::string binary(
      "\x7f"
      "ELF\x02\x01\x01\0\0\0",
      10);
  const std::string mbox = kFrom1 + "Subject: one\n\nb\n\n" + kFrom2 + "Subject: two\n\nb\n";
  write("tree/a.eml", eml);
  write("tree/b.dat", binary);  // passed over, yet read: it counts
  write("tree/c/box.mbox", mbox);
  write("Md/tmp/half", "Subject: x\n\nnot read, not counted\n");
  write("Md/cur/1", eml);
  write("Md/new/2", eml);
  Collected c = read(root_ / "tree");
  ASSERT_EQ(c.messages.size(), 3u);
  EXPECT_EQ(c.messages[0].input_done.bytes, eml.size());
  EXPECT_EQ(c.messages[1].input_done.bytes, eml.size() + binary.size() + mbox.find(kFrom2));
  EXPECT_EQ(c.messages[2].input_done.bytes, eml.size() + binary.size() + mbox.size());
  EXPECT_EQ(measure_input((root_ / "tree").string())->bytes, c.messages[2].input_done.bytes);
  EXPECT_EQ(measure_input((root_ / "Md").string())->bytes, 2 * eml.size());
}

TEST_F(IngestFiles, MeasureKnowsNothingOfStdinAndNothingOfAMissingFile) {
  EXPECT_FALSE(measure_input("-"));
  const auto missing = measure_input((root_ / "missing.eml").string());
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->bytes + missing->items, 0u);
  // A PST/OST libpff cannot open has no item count: nothing to measure.
  fs::path broken = write("broken.pst", "!BDN" + std::string(100, '\0'));
  const auto pst = measure_input(broken.string());
  ASSERT_TRUE(pst);
  EXPECT_EQ(pst->items, 0u);
  EXPECT_EQ(pst->bytes, 0u);
}

TEST_F(IngestFiles, SymlinksAreNotFollowed) {
  fs::path outside = write("outside/secret.eml", "Subject: secret\n\nb\n");
  write("tree/a.eml", "Subject: a\n\nb\n");
  std::error_code ec;
  fs::create_symlink(outside, root_ / "tree/link.eml", ec);
  fs::create_directory_symlink(root_ / "outside", root_ / "tree/linkdir", ec);
  if (ec) GTEST_SKIP() << "cannot create symlinks here";
  Collected c = read(root_ / "tree");
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_EQ(c.messages[0].bytes, "Subject: a\n\nb\n");
}

TEST_F(IngestFiles, MissingPathIsAnError) {
  Collected c = read(root_ / "does-not-exist.eml");
  EXPECT_TRUE(c.messages.empty());
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_EQ(c.errors[0].code, core::ErrorCode::not_found);
  EXPECT_NE(c.errors[0].detail.find("does-not-exist.eml"), std::string::npos);
}

TEST_F(IngestFiles, MissingCallbacksAreTolerated) {
  // A caller that only wants messages must not get std::bad_function_call.
  write("tree/bin.dat", std::string("\0\1\2\3", 4));
  write("tree/a.eml", "Subject: a\n\nb\n");
  int messages = 0;
  Visitor visitor;
  visitor.message = [&](RawMessage&&) { ++messages; };
  EXPECT_NO_THROW(read_input((root_ / "missing").string(), Options{}, visitor));
  EXPECT_NO_THROW(read_input((root_ / "tree").string(), Options{}, visitor));
  EXPECT_EQ(messages, 1);
}

TEST_F(IngestFiles, EmptyFolder) {
  fs::create_directories(root_ / "empty");
  Collected c = read(root_ / "empty");
  EXPECT_TRUE(c.messages.empty());
  EXPECT_TRUE(c.errors.empty());
  EXPECT_TRUE(c.skipped.empty());
}

// ---------------------------------------------------------------------------------------------
// The mimekit mbox files of the shared corpus, against the split mimekit's own tests expect:
// the message count of <name>-summary.txt and the From_ line offsets of
// <name>.unix-offsets.json ("mboxMarkerOffset"), which must equal our locators' "#offset".

std::string slurp(const fs::path& path) {
  std::string bytes(fs::file_size(path), '\0');
  std::ifstream in(path, std::ios::binary);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

fs::path corpus_mbox_dir() {
  return fs::path(EMOTRIAGE_CORPUS_DIR) / "mimekit" / "mbox";
}

std::vector<std::uint64_t> offsets_of(const std::vector<RawMessage>& messages,
                                      const std::string& name) {
  std::vector<std::uint64_t> offsets;
  for (const auto& m : messages) {
    EXPECT_TRUE(m.locator.starts_with(name + "#")) << m.locator;
    offsets.push_back(std::stoull(m.locator.substr(m.locator.rfind('#') + 1)));
  }
  return offsets;
}

TEST(MboxCorpus, MimekitMboxOffsetsMatchTheExpectedSplit) {
  const fs::path dir = corpus_mbox_dir();
  if (!fs::is_directory(dir)) GTEST_SKIP() << "no corpus at " << dir;
  std::size_t checked = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string file = entry.path().filename().string();
    if (!file.ends_with(".unix-offsets.json")) continue;
    const std::string stem = file.substr(0, file.size() - std::string(".unix-offsets.json").size());
    const fs::path mbox = dir / (stem + ".mbox.txt");
    if (!fs::exists(mbox)) continue;
    SCOPED_TRACE(mbox.string());

    // Top-level messages only: nested parts carry no mboxMarkerOffset.
    const std::string json = slurp(entry.path());
    const std::regex marker("\"mboxMarkerOffset\"\\s*:\\s*([0-9]+)");
    std::vector<std::uint64_t> expected;
    for (auto it = std::sregex_iterator(json.begin(), json.end(), marker);
         it != std::sregex_iterator(); ++it) {
      expected.push_back(std::stoull((*it)[1].str()));
    }
    ASSERT_FALSE(expected.empty());
    // The summary lists each message under its From_ line.
    if (fs::exists(dir / (stem + "-summary.txt"))) {
      std::istringstream summary(slurp(dir / (stem + "-summary.txt")));
      std::size_t count = 0;
      for (std::string line; std::getline(summary, line);) count += line.starts_with("From ");
      EXPECT_EQ(count, expected.size());
    }

    Collected c;
    read_input(mbox.string(), Options{}, c.visitor());
    EXPECT_TRUE(c.errors.empty());
    EXPECT_EQ(offsets_of(c.messages, mbox.string()), expected);
    // Each locator points at a From_ line of the file.
    const std::string bytes = slurp(mbox);
    for (std::uint64_t offset : offsets_of(c.messages, mbox.string())) {
      EXPECT_EQ(bytes.compare(offset, 5, "From "), 0) << offset;
    }
    ++checked;
  }
  EXPECT_GE(checked, 1u);
}

TEST(MboxCorpus, GmimeMboxOffsetsMatchTheExpectedSplit) {
  // gmime/data/mbox/output/<name> starts each message with "message offsets: <from_>, <end>".
  const fs::path dir = fs::path(EMOTRIAGE_CORPUS_DIR) / "gmime" / "data" / "mbox";
  if (!fs::is_directory(dir / "input")) GTEST_SKIP() << "no corpus at " << dir;
  std::size_t checked = 0;
  for (const auto& entry : fs::directory_iterator(dir / "input")) {
    const fs::path expected_file = dir / "output" / entry.path().filename();
    if (!fs::exists(expected_file)) continue;
    SCOPED_TRACE(entry.path().string());
    std::vector<std::uint64_t> expected;
    std::istringstream lines(slurp(expected_file));
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with("message offsets: ")) expected.push_back(std::stoull(line.substr(17)));
    }
    ASSERT_FALSE(expected.empty());
    Collected c;
    read_input(entry.path().string(), Options{}, c.visitor());
    EXPECT_EQ(offsets_of(c.messages, entry.path().string()), expected);
    ++checked;
  }
  EXPECT_GE(checked, 1u);
}

TEST(MboxCorpus, MimekitMboxFilesWithoutExpectedOffsets) {
  // No offsets file for these; the split is checked by hand. simple.mbox.txt: three "From - "
  // separators, each right after the previous message's last line. unmunged.mbox.txt: a BOM,
  // two "From -" messages whose bodies hold an unescaped "From Russia with love" line (mimekit
  // splits there too and finds 4; for triage that line is body text, so 2).
  const fs::path dir = corpus_mbox_dir();
  if (!fs::is_directory(dir)) GTEST_SKIP() << "no corpus at " << dir;
  struct Case {
    std::string file;
    std::vector<std::uint64_t> offsets;
  };
  for (const Case& test :
       {Case{"simple.mbox.txt", {0, 526, 1029}}, Case{"unmunged.mbox.txt", {3, 245}}}) {
    const fs::path mbox = dir / test.file;
    if (!fs::exists(mbox)) continue;
    SCOPED_TRACE(mbox.string());
    Collected c;
    read_input(mbox.string(), Options{}, c.visitor());
    EXPECT_EQ(offsets_of(c.messages, mbox.string()), test.offsets);
    for (const auto& m : c.messages) {
      EXPECT_TRUE(m.bytes.starts_with("From: ")) << m.locator;
    }
  }
}

}  // namespace
}  // namespace emotriage::ingest

namespace emotriage::ingest {
namespace {

// A folder walk must not skip what the parser can read (blank lines first, long header names).
TEST(Sniff, BlankLinesBeforeHeadersAndLongHeaderNames) {
  EXPECT_EQ(sniff("\n \nFrom: a@example.jp\nSubject: x\n\nbody\n"), Kind::message);
  EXPECT_EQ(sniff("X-" + std::string(200, 'A') + ": v\nFrom: a@example.jp\n\nbody\n"),
            Kind::message);
  EXPECT_EQ(sniff("\n\n\x00\x01 binary"), Kind::unknown);
}

// A PST/OST mailbox is recognised by its "!BDN" signature, whatever its name; one libpff cannot
// open (no real PST can be made on Debian: see docs/outlook.md) is one unreadable message whose
// finding says why, and the pipeline turns it into a message with that finding.
TEST_F(IngestFiles, DamagedPstIsAnUnreadableMessageWithAFinding) {
  std::string header(512, '\0');
  header.replace(0, 4, "!BDN");
  header.replace(8, 2, "SM");
  header[10] = 23;
  fs::path path = write("mail/exported.bak", header + std::string(4096, '\x5A'));
  Collected c = read(root_ / "mail");
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_TRUE(c.errors.empty());
  const RawMessage& raw = c.messages[0];
  EXPECT_EQ(raw.locator, path.string());
  EXPECT_EQ(raw.format, Format::unreadable);
  ASSERT_EQ(raw.findings.size(), 1u);
  EXPECT_EQ(raw.findings[0].id, core::kParseMalformed);

  const core::Message message = app::parse_raw(raw, core::Limits{});
  EXPECT_EQ(message.locator, path.string());
  ASSERT_EQ(message.findings.size(), 1u);
  EXPECT_EQ(message.findings[0].id, core::kParseMalformed);
}

TEST(Sniff, PstByContent) {
  EXPECT_EQ(sniff(std::string("!BDN\x00\x00\x00\x00SM", 10)), Kind::pst);
}

}  // namespace
}  // namespace emotriage::ingest
