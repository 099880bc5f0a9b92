// The central directory of a zip file, read directly: libarchive does not expose an entry's
// compressed size nor its raw name bytes and UTF-8 flag, which the padding check and the CP932
// name decoding need. Read-only and bounded; a damaged directory yields what could be read.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace emotriage::inspect {

struct ZipDirectoryEntry {
  std::string raw_name;      // bytes as stored (CP932, UTF-8 or anything)
  std::string unicode_name;  // Info-ZIP Unicode Path extra field (UTF-8), empty if absent
  bool utf8_flag = false;    // general purpose bit 11: the name is UTF-8
  bool encrypted = false;    // general purpose bit 0
  std::uint16_t method = 0;
  std::uint64_t compressed_size = 0;
  std::uint64_t uncompressed_size = 0;
};

// Entries of the zip's central directory in stored order, at most `max_entries`. Empty when
// there is no readable end-of-central-directory record.
std::vector<ZipDirectoryEntry> read_zip_directory(std::string_view zip, std::size_t max_entries);

}  // namespace emotriage::inspect
