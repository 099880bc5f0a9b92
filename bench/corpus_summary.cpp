// Prints the ground-truth summary line of ../shared/bench/README.md for emotriage's own parse of
// an mbox, so the parse can be checked against gen_corpus.py's `.truth` and the peer baselines.
//   corpus_summary [--jobs N] MBOX
#include <array>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "app/pipeline.hpp"
#include "core/hash.hpp"
#include "core/text.hpp"

namespace {

using emotriage::core::Message;
using emotriage::core::Part;

// 256-bit accumulator: sum of SHA-256 digests read as big-endian integers, modulo 2^256.
struct Sum256 {
  std::array<std::uint64_t, 4> limbs{};  // limbs[0] most significant
  void add_hex(const std::string& hex) {
    if (hex.size() != 64) return;
    std::uint64_t carry = 0;
    for (int i = 3; i >= 0; --i) {
      auto& limb = limbs[static_cast<std::size_t>(i)];
      std::uint64_t value =
          std::stoull(hex.substr(static_cast<std::size_t>(i) * 16, 16), nullptr, 16);
      std::uint64_t sum = limb + value;
      std::uint64_t next_carry = sum < limb ? 1 : 0;
      limb = sum + carry;
      if (limb < sum) next_carry = 1;
      carry = next_carry;
    }
  }
  std::string hex(int limbs_shown) const {
    std::string out;
    char buffer[17];
    for (int i = 0; i < limbs_shown; ++i) {
      std::snprintf(buffer, sizeof buffer, "%016llx",
                    static_cast<unsigned long long>(limbs[static_cast<std::size_t>(i)]));
      out += buffer;
    }
    return out;
  }
};

std::uint32_t le32(std::string_view s, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 3])) << 24;
}
std::uint16_t le16(std::string_view s, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) |
                                    static_cast<unsigned char>(s[at + 1]) << 8);
}

// Central-directory entries and how many have general-purpose bit 0 (ZipCrypto) set.
bool zip_directory(std::string_view zip, std::uint64_t& members, std::uint64_t& encrypted) {
  if (zip.size() < 22) return false;
  std::size_t eocd = std::string_view::npos;
  for (std::size_t i = zip.size() - 22 + 1; i-- > 0 && zip.size() - i <= 22 + 65535;) {
    if (zip.substr(i, 4) == std::string_view("PK\5\6", 4)) {
      eocd = i;
      break;
    }
  }
  if (eocd == std::string_view::npos) return false;
  std::uint16_t count = le16(zip, eocd + 10);
  std::size_t offset = le32(zip, eocd + 16);
  for (std::uint16_t n = 0; n < count; ++n) {
    if (offset + 46 > zip.size() || zip.substr(offset, 4) != std::string_view("PK\1\2", 4))
      return false;
    ++members;
    if (le16(zip, offset + 8) & 1) ++encrypted;
    offset += 46 + le16(zip, offset + 28) + le16(zip, offset + 30) + le16(zip, offset + 32);
  }
  return true;
}

std::uint64_t count_urls(std::string_view text) {
  // Same language as https?://[A-Za-z0-9._~:/?#@!$&*+,;=%-]+
  auto allowed = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           std::strchr("._~:/?#@!$&*+,;=%-", c) != nullptr;
  };
  std::uint64_t count = 0;
  std::size_t pos = 0;
  while ((pos = text.find("http", pos)) != std::string_view::npos) {
    std::size_t after = pos + 4;
    if (after < text.size() && text[after] == 's') ++after;
    if (text.substr(after, 3) == "://" && after + 3 < text.size() && allowed(text[after + 3]) &&
        text[after + 3] != '\0') {
      std::size_t end = after + 3;
      while (end < text.size() && allowed(text[end])) ++end;
      ++count;
      pos = end;
    } else {
      pos += 4;
    }
  }
  return count;
}

std::string strip_ws(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    if (text.substr(i, 3) == "\xE3\x80\x80") {  // U+3000
      i += 2;
      continue;
    }
    out.push_back(c);
  }
  return out;
}

// True when part `index` lies inside an attached message (message/rfc822).
bool inside_attached_message(const Message& message, int index) {
  for (int p = message.parts[static_cast<std::size_t>(index)].parent; p >= 0;
       p = message.parts[static_cast<std::size_t>(p)].parent) {
    if (message.parts[static_cast<std::size_t>(p)].message) return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  emotriage::app::BatchOptions options;
  std::vector<std::string> inputs;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--jobs" && i + 1 < argc)
      options.jobs = static_cast<unsigned>(std::stoul(argv[++i]));
    else
      inputs.push_back(arg);
  }
  if (inputs.empty()) {
    std::cerr << "usage: corpus_summary [--jobs N] MBOX\n";
    return 2;
  }
  std::uint64_t msgs = 0, leaves = 0, atts = 0, att_bytes = 0, dec_bytes = 0, zips = 0,
                zip_members = 0, zip_enc = 0, urls = 0, fffd = 0, rfc822 = 0, inner_atts = 0,
                hdr_fffd = 0, zip_bad = 0;
  Sum256 att_sum, fname_sum, inner_sum, hdr_sum;
  emotriage::app::BatchEvents events{
      .message =
          [&](Message&& message) {
            ++msgs;
            std::string header = strip_ws(message.envelope.subject) + "\x1f" +
                                 strip_ws(message.envelope.from.empty()
                                              ? ""
                                              : message.envelope.from.front().display_name);
            hdr_fffd += emotriage::core::count_replacement_chars(header);
            hdr_sum.add_hex(emotriage::core::sha256_hex(header));
            for (int i = 0; i < static_cast<int>(message.parts.size()); ++i) {
              const Part& part = message.parts[static_cast<std::size_t>(i)];
              if (part.message) ++rfc822;
              if (part.is_multipart || part.message) continue;
              ++leaves;
              dec_bytes += part.decoded_size;
              bool inner = inside_attached_message(message, i);
              if (!part.is_attachment) {
                if (!inner) {
                  urls += count_urls(part.text);
                  fffd += emotriage::core::count_replacement_chars(part.text);
                }
                continue;
              }
              if (inner) {
                ++inner_atts;
                inner_sum.add_hex(part.sha256);
                continue;
              }
              ++atts;
              att_bytes += part.decoded_size;
              att_sum.add_hex(part.sha256);
              fname_sum.add_hex(emotriage::core::sha256_hex(part.filename));
              if (part.content.starts_with(std::string_view("PK\3\4", 4))) {
                ++zips;
                if (!zip_directory(part.content, zip_members, zip_enc)) ++zip_bad;
              }
            }
          },
      .analysis = {},
      .error = [](const emotriage::core::Error& error) { std::cerr << error.detail << "\n"; },
      .skipped = {},
      .progress = {},
  };
  emotriage::app::run_batch(inputs, options, events);
  std::printf(
      "impl=emotriage msgs=%llu leaves=%llu atts=%llu att_bytes=%llu dec_bytes=%llu att_sum=%s "
      "fname_sum=%s zips=%llu zip_members=%llu zip_enc=%llu urls=%llu fffd=%llu rfc822=%llu "
      "inner_atts=%llu inner_sum=%s hdr_sum=%s hdr_fffd=%llu zip_bad=%llu\n",
      static_cast<unsigned long long>(msgs), static_cast<unsigned long long>(leaves),
      static_cast<unsigned long long>(atts), static_cast<unsigned long long>(att_bytes),
      static_cast<unsigned long long>(dec_bytes), att_sum.hex(4).c_str(), fname_sum.hex(1).c_str(),
      static_cast<unsigned long long>(zips), static_cast<unsigned long long>(zip_members),
      static_cast<unsigned long long>(zip_enc), static_cast<unsigned long long>(urls),
      static_cast<unsigned long long>(fffd), static_cast<unsigned long long>(rfc822),
      static_cast<unsigned long long>(inner_atts), inner_sum.hex(4).c_str(), hdr_sum.hex(1).c_str(),
      static_cast<unsigned long long>(hdr_fffd), static_cast<unsigned long long>(zip_bad));
  return 0;
}
