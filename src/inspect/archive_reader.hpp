// libarchive over bytes in memory, with only the formats and filters an attachment needs.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

struct archive;

namespace emotriage::inspect {

struct ArchiveEntry {
  std::string raw_name;  // as libarchive gives it (raw bytes in the "C" locale)
  bool regular_file = false;
  bool size_known = false;
  std::uint64_t declared_size = 0;
  bool encrypted = false;  // data (or metadata) encrypted
};

enum class NextStatus { entry, end, failed };

class ArchiveReader {
 public:
  // `type` is a detected type (zip, 7z, rar, cab, iso, tar, gzip, bzip2, xz); `passphrase` is
  // tried on encrypted entries when set.
  ArchiveReader(std::string_view bytes, std::string_view type,
                std::optional<std::string_view> passphrase);
  ~ArchiveReader();
  ArchiveReader(const ArchiveReader&) = delete;
  ArchiveReader& operator=(const ArchiveReader&) = delete;

  // False when the bytes are not an archive of that type; error() says why.
  bool opened() const { return opened_; }
  NextStatus next(ArchiveEntry& entry);
  // Bytes of the current entry's data; 0 at its end, -1 on an error (error() says which).
  std::int64_t read(std::span<char> buffer);
  // libarchive's last error text ("Passphrase required for this entry", "Incorrect passphrase").
  std::string error() const;
  // The last read or next failed because of encryption (no or a wrong passphrase).
  bool failed_on_encryption() const;

 private:
  std::unique_ptr<::archive, int (*)(::archive*)> archive_;
  bool opened_ = false;
};

}  // namespace emotriage::inspect
