// Digests of one object (SHA-256, MD5) computed in one pass, whole or as a stream, the filler
// measure of a padded file, and the ssdeep of bytes held whole. (core/hash.hpp has one-shot digests
// only; the streaming form lives here because only inspection streams objects too large to hold.)
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/attachment.hpp"

namespace emotriage::inspect {

struct Filler {
  std::uint64_t bytes = 0;  // bytes inside runs of one repeated value of at least kMinRun
  int value = -1;           // the byte value of most of those runs, -1 when there are none
  static constexpr std::uint64_t kMinRun = 4096;
};

class StreamDigest {
 public:
  StreamDigest();
  ~StreamDigest();
  StreamDigest(const StreamDigest&) = delete;
  StreamDigest& operator=(const StreamDigest&) = delete;

  void update(std::string_view chunk);
  std::uint64_t size() const { return size_; }
  // Writes size, sha256 and md5 into `node`; returns the filler measure.
  Filler finish(core::Attachment& node);

 private:
  struct Contexts;
  std::unique_ptr<Contexts> contexts_;
  std::uint64_t size_ = 0;
  int run_value_ = -1;
  std::uint64_t run_length_ = 0;
  std::array<std::uint64_t, 256> filler_by_value_{};
  void measure_runs(std::string_view chunk);
  void close_run();
};

// Size, SHA-256 and MD5 of bytes held whole.
void digest_whole(std::string_view bytes, core::Attachment& node);

// node.md5 of `bytes`, whose SHA-256 node.sha256 already holds (the parser's): the MD5 of bytes
// seen before in the run is not computed again (core/content_cache.hpp).
void md5_of_digested(std::string_view bytes, core::Attachment& node);

// The ssdeep of `bytes` (the whole object) into node.ssdeep when its detected type is one that
// carries a campaign's code: OLE and macro-enabled Office documents, RTF, LNK, OneNote,
// executables, scripts, HTML. Those are what similarity clusters across a campaign's mails;
// libfuzzy runs near 25 MB/s, and on PDFs, pictures, text, archives (whose members get their own)
// and macro-free docx/xlsx/pptx it spent a fifth of the analysis time for nothing a responder
// uses. `node.sha256` must name `bytes`: results are remembered by it.
void fuzzy_hash_if_code(std::string_view bytes, core::Attachment& node);

}  // namespace emotriage::inspect
