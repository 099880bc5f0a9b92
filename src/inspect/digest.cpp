#include "inspect/digest.hpp"

#include <fuzzy.h>
#include <openssl/evp.h>

#include <cstring>
#include <new>

#include "core/hash.hpp"

namespace emotriage::inspect {

namespace {

std::string finish_digest(EVP_MD_CTX* context) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context, digest, &length) != 1) throw std::bad_alloc();
  return core::to_hex(digest, length);
}

}  // namespace

struct StreamDigest::Contexts {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> sha256{EVP_MD_CTX_new(),
                                                                 &EVP_MD_CTX_free};
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md5{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
  std::unique_ptr<fuzzy_state, decltype(&fuzzy_free)> ssdeep{fuzzy_new(), &fuzzy_free};
};

StreamDigest::StreamDigest(std::uint64_t ssdeep_max_bytes)
    : contexts_(std::make_unique<Contexts>()), ssdeep_max_bytes_(ssdeep_max_bytes) {
  // Allocation failures only: treated like any out-of-memory.
  if (!contexts_->sha256 || !contexts_->md5 || !contexts_->ssdeep ||
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
  if (size_ + chunk.size() <= ssdeep_max_bytes_) {
    fuzzy_update(contexts_->ssdeep.get(), reinterpret_cast<const unsigned char*>(chunk.data()),
                 chunk.size());
  }
  measure_runs(chunk);
  size_ += chunk.size();
}

void StreamDigest::close_run() {
  if (run_value_ >= 0 && run_length_ >= Filler::kMinRun) {
    filler_by_value_[static_cast<std::size_t>(run_value_)] += run_length_;
  }
}

void StreamDigest::measure_runs(std::string_view chunk) {
  const char* p = chunk.data();
  const char* end = p + chunk.size();
  while (p < end) {
    auto value = static_cast<unsigned char>(*p);
    if (value != run_value_) {
      close_run();
      run_value_ = value;
      run_length_ = 0;
    }
    // Eight bytes at a time while the run goes on: padding is hundreds of MB of one value.
    std::uint64_t pattern = 0x0101010101010101ull * value;
    const char* start = p;
    while (end - p >= 8) {
      std::uint64_t word;
      std::memcpy(&word, p, 8);
      if (word != pattern) break;
      p += 8;
    }
    while (p < end && static_cast<unsigned char>(*p) == value) ++p;
    run_length_ += static_cast<std::uint64_t>(p - start);
  }
}

Filler StreamDigest::finish(core::Attachment& node) {
  close_run();
  run_value_ = -1;
  node.size = size_;
  node.sha256 = finish_digest(contexts_->sha256.get());
  node.md5 = finish_digest(contexts_->md5.get());
  char ssdeep[FUZZY_MAX_RESULT];
  bool hashed_all = size_ <= ssdeep_max_bytes_;
  node.ssdeep = hashed_all && fuzzy_digest(contexts_->ssdeep.get(), ssdeep, 0) == 0 ? ssdeep : "";
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
  char ssdeep[FUZZY_MAX_RESULT];
  node.ssdeep = fuzzy_hash_buf(reinterpret_cast<const unsigned char*>(bytes.data()),
                               static_cast<std::uint32_t>(bytes.size()), ssdeep) == 0
                    ? ssdeep
                    : "";
}

}  // namespace emotriage::inspect
