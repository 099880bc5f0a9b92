// StreamDigest: the filler measure read a word at a time must equal the byte-by-byte definition
// (bytes in runs of one value of at least Filler::kMinRun), however the stream is cut into chunks.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/hash.hpp"
#include "inspect/digest.hpp"

namespace emotriage::inspect {
namespace {

Filler reference_filler(const std::string& bytes) {
  std::array<std::uint64_t, 256> by_value{};
  for (std::size_t i = 0; i < bytes.size();) {
    std::size_t j = i;
    while (j < bytes.size() && bytes[j] == bytes[i]) ++j;
    if (j - i >= Filler::kMinRun) by_value[static_cast<unsigned char>(bytes[i])] += j - i;
    i = j;
  }
  Filler filler;
  for (std::size_t value = 0; value < by_value.size(); ++value) {
    filler.bytes += by_value[value];
    if (by_value[value] > 0 && (filler.value < 0 || by_value[value] > by_value[filler.value]))
      filler.value = static_cast<int>(value);
  }
  return filler;
}

TEST(StreamDigest, FillerEqualsTheByteByByteDefinitionForAnyChunking) {
  std::mt19937 random(20261130);
  for (int round = 0; round < 200; ++round) {
    // Random bytes with runs of random values and lengths around kMinRun, at odd offsets.
    std::string bytes;
    while (bytes.size() < 60000) {
      if (random() % 3 == 0) {
        std::size_t length = Filler::kMinRun - 9 + random() % 20;
        if (random() % 4 == 0) length = random() % 9000;
        bytes.append(length, static_cast<char>(random() % 4 == 0 ? 0 : random()));
      } else {
        std::size_t length = random() % 50;
        for (std::size_t i = 0; i < length; ++i) bytes.push_back(static_cast<char>(random()));
      }
    }
    StreamDigest digest;
    for (std::size_t at = 0; at < bytes.size();) {
      std::size_t length = std::min<std::size_t>(bytes.size() - at, 1 + random() % 5000);
      digest.update(std::string_view(bytes).substr(at, length));
      at += length;
    }
    core::Attachment node;
    Filler got = digest.finish(node);
    Filler expected = reference_filler(bytes);
    ASSERT_EQ(got.bytes, expected.bytes) << "round " << round;
    ASSERT_EQ(got.value, expected.value) << "round " << round;
    EXPECT_EQ(node.size, bytes.size());
    EXPECT_EQ(node.sha256, core::sha256_hex(bytes));
    EXPECT_EQ(node.md5, core::md5_hex(bytes));
  }
}

TEST(StreamDigest, OneValueThroughoutIsOneRun) {
  StreamDigest digest;
  std::string zeros(1 << 20, '\0');
  for (int i = 0; i < 3; ++i) digest.update(std::string_view(zeros).substr(i, zeros.size() - 7));
  core::Attachment node;
  Filler filler = digest.finish(node);
  EXPECT_EQ(filler.value, 0);
  EXPECT_EQ(filler.bytes, node.size);
}

// MD5 and ssdeep are remembered by the SHA-256 the node carries: bytes seen before are not hashed
// again. (Handing other bytes under a known SHA-256 shows the remembered value is what is used.)
TEST(DigestCache, Md5AndSsdeepOfBytesSeenBeforeComeFromTheCache) {
  // A document node of `bytes` that carries the SHA-256 `sha256`.
  auto hashed = [](std::string_view bytes, const std::string& sha256) {
    core::Attachment node;
    node.sha256 = sha256;
    node.detected_type = "doc";
    md5_of_digested(bytes, node);
    fuzzy_hash_if_code(bytes, node);
    return node;
  };
  std::string bytes = "\xD0\xCF\x11\xE0 cache test ";
  for (int i = 0; i < 2000; ++i) bytes += std::to_string(i * 7919);
  const core::Attachment first = hashed(bytes, core::sha256_hex(bytes));
  EXPECT_EQ(first.md5, core::md5_hex(bytes));
  ASSERT_FALSE(first.ssdeep.empty());

  const std::string other = "other bytes under the same name";
  const core::Attachment again = hashed(other, first.sha256);
  EXPECT_EQ(again.md5, first.md5);
  EXPECT_EQ(again.ssdeep, first.ssdeep);

  const core::Attachment fresh = hashed(other, core::sha256_hex(other));
  EXPECT_EQ(fresh.md5, core::md5_hex(other));
  EXPECT_NE(fresh.ssdeep, first.ssdeep);
}

}  // namespace
}  // namespace emotriage::inspect
