#include "inspect/digest.hpp"

#include <fuzzy.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <limits>
#include <new>

#include "core/content_cache.hpp"
#include "core/hash.hpp"
#include "inspect/names.hpp"

namespace emotriage::inspect {

namespace {

std::string finish_digest(EVP_MD_CTX* context) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context, digest, &length) != 1) throw std::bad_alloc();
  return core::to_hex(digest, length);
}

// Digests remembered by SHA-256, each 32-150 bytes: a few MB at most.
constexpr std::size_t kCachedDigests = 20000;

}  // namespace

struct StreamDigest::Contexts {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> sha256{EVP_MD_CTX_new(),
                                                                 &EVP_MD_CTX_free};
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md5{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
};

StreamDigest::StreamDigest() : contexts_(std::make_unique<Contexts>()) {
  // Allocation failures only: treated like any out-of-memory.
  if (!contexts_->sha256 || !contexts_->md5 ||
      EVP_DigestInit_ex(contexts_->sha256.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestInit_ex(contexts_->md5.get(), EVP_md5(), nullptr) != 1) {
    throw std::bad_alloc();
  }
}

StreamDigest::~StreamDigest() = default;

void StreamDigest::update(std::string_view chunk) {
  if (chunk.empty()) return;
  EVP_DigestUpdate(contexts_->sha256.get(), chunk.data(), chunk.size());
  EVP_DigestUpdate(contexts_->md5.get(), chunk.data(), chunk.size());
  measure_runs(chunk);
  size_ += chunk.size();
}

void StreamDigest::close_run() {
  if (run_value_ >= 0 && run_length_ >= Filler::kMinRun) {
    filler_by_value_[static_cast<std::size_t>(run_value_)] += run_length_;
  }
}

static_assert(std::endian::native == std::endian::little,
              "measure_runs reads words low byte first");

// Only runs of at least kMinRun bytes count, so the bytes are read eight at a time: a run that
// starts and ends inside one word is too short to matter, and a word of one value extends the
// run. (Byte by byte this was a twentieth of the whole analysis on ordinary attachments.)
void StreamDigest::measure_runs(std::string_view chunk) {
  const char* p = chunk.data();
  const char* end = p + chunk.size();
  auto extend_byte = [&](unsigned char value) {
    if (value != run_value_) {
      close_run();
      run_value_ = value;
      run_length_ = 0;
    }
    ++run_length_;
  };
  while (p < end && (reinterpret_cast<std::uintptr_t>(p) & 7) != 0) {
    extend_byte(static_cast<unsigned char>(*p++));
  }
  for (; end - p >= 8; p += 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    std::uint64_t run_pattern = run_value_ < 0 ? ~word : 0x0101010101010101ull * run_value_;
    std::uint64_t differs = word ^ run_pattern;
    if (differs == 0) {
      run_length_ += 8;
      continue;
    }
    // Little-endian: the lowest byte comes first. The run goes on for the equal low bytes.
    if (run_value_ >= 0) run_length_ += static_cast<std::uint64_t>(std::countr_zero(differs) / 8);
    close_run();
    // A new run starts with the word's last byte and the equal bytes before it.
    auto last = static_cast<unsigned char>(word >> 56);
    std::uint64_t tail_differs = word ^ (0x0101010101010101ull * last);
    run_value_ = last;
    run_length_ = static_cast<std::uint64_t>(std::countl_zero(tail_differs) / 8);
  }
  while (p < end) extend_byte(static_cast<unsigned char>(*p++));
}

Filler StreamDigest::finish(core::Attachment& node) {
  close_run();
  run_value_ = -1;
  node.size = size_;
  node.sha256 = finish_digest(contexts_->sha256.get());
  node.md5 = finish_digest(contexts_->md5.get());
  Filler filler;
  for (std::size_t value = 0; value < filler_by_value_.size(); ++value) {
    filler.bytes += filler_by_value_[value];
    if (filler_by_value_[value] > 0 &&
        (filler.value < 0 || filler_by_value_[value] > filler_by_value_[filler.value])) {
      filler.value = static_cast<int>(value);
    }
  }
  return filler;
}

void digest_whole(std::string_view bytes, core::Attachment& node) {
  node.size = bytes.size();
  node.sha256 = core::sha256_hex(bytes);
  node.md5 = core::md5_hex(bytes);
}

void md5_of_digested(std::string_view bytes, core::Attachment& node) {
  static core::ContentCache<std::string> known(kCachedDigests);
  if (auto cached = known.find(node.sha256)) {
    node.md5 = std::move(*cached);
    return;
  }
  node.md5 = core::md5_hex(bytes);
  known.insert(node.sha256, node.md5);
}

void fuzzy_hash_if_code(std::string_view bytes, core::Attachment& node) {
  const std::string& type = node.detected_type;
  // Macro-free OOXML (docx, xlsx, pptx) is left out: a zip of XML with no code of its own.
  static constexpr std::array<std::string_view, 12> kCodeTypes = {
      "ole", "doc", "xls", "ppt", "docm", "xlsm", "xlsb", "pptm", "rtf", "onenote", "lnk", "html"};
  bool code = std::ranges::find(kCodeTypes, type) != kCodeTypes.end() || is_executable_type(type);
  if (!code || bytes.size() > std::numeric_limits<std::uint32_t>::max()) return;
  // ssdeep runs at ~25 MB/s: a campaign's one document sent to hundreds is hashed once. The
  // callers pass the whole object, which the node's SHA-256 names.
  static core::ContentCache<std::string> known(kCachedDigests);
  if (auto cached = known.find(node.sha256)) {
    node.ssdeep = std::move(*cached);
    return;
  }
  char ssdeep[FUZZY_MAX_RESULT];
  if (fuzzy_hash_buf(reinterpret_cast<const unsigned char*>(bytes.data()),
                     static_cast<std::uint32_t>(bytes.size()), ssdeep) == 0) {
    node.ssdeep = ssdeep;
    known.insert(node.sha256, node.ssdeep);
  }
}

}  // namespace emotriage::inspect
