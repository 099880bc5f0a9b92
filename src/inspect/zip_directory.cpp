#include "inspect/zip_directory.hpp"

#include <algorithm>

namespace emotriage::inspect {

namespace {

constexpr std::uint32_t kEndOfDirectory = 0x06054b50;
constexpr std::uint32_t kZip64Locator = 0x07064b50;
constexpr std::uint32_t kZip64EndOfDirectory = 0x06064b50;
constexpr std::uint32_t kCentralHeader = 0x02014b50;
constexpr std::size_t kEndRecordBytes = 22;
constexpr std::size_t kCentralHeaderBytes = 46;
// The end record sits within the last 22 + 65,535 (maximum comment) bytes.
constexpr std::size_t kEndSearchBytes = kEndRecordBytes + 0xffff;
constexpr std::uint16_t kZip64ExtraId = 0x0001;
constexpr std::uint16_t kUnicodePathExtraId = 0x7075;

std::uint64_t read_le(std::string_view bytes, std::size_t offset, std::size_t width) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    value |= std::uint64_t(static_cast<unsigned char>(bytes[offset + i])) << (8 * i);
  }
  return value;
}

bool has(std::string_view bytes, std::uint64_t offset, std::uint64_t length) {
  return offset <= bytes.size() && length <= bytes.size() - offset;
}

// Offset of the end-of-central-directory record, searched backwards; npos if none.
std::size_t find_end_record(std::string_view zip) {
  if (zip.size() < kEndRecordBytes) return std::string_view::npos;
  std::size_t lowest = zip.size() > kEndSearchBytes ? zip.size() - kEndSearchBytes : 0;
  for (std::size_t at = zip.size() - kEndRecordBytes + 1; at-- > lowest;) {
    if (read_le(zip, at, 4) == kEndOfDirectory) return at;
  }
  return std::string_view::npos;
}

// Sizes a zip64 extra field overrides (only those set to 0xFFFFFFFF in the fixed header).
void apply_extra_fields(std::string_view extra, ZipDirectoryEntry& entry, bool zip64_uncompressed,
                        bool zip64_compressed) {
  std::size_t at = 0;
  while (has(extra, at, 4)) {
    auto id = static_cast<std::uint16_t>(read_le(extra, at, 2));
    auto length = static_cast<std::size_t>(read_le(extra, at + 2, 2));
    at += 4;
    if (!has(extra, at, length)) return;
    std::string_view field = extra.substr(at, length);
    if (id == kZip64ExtraId) {
      std::size_t field_at = 0;
      if (zip64_uncompressed && has(field, field_at, 8)) {
        entry.uncompressed_size = read_le(field, field_at, 8);
        field_at += 8;
      }
      if (zip64_compressed && has(field, field_at, 8)) {
        entry.compressed_size = read_le(field, field_at, 8);
      }
    } else if (id == kUnicodePathExtraId && length > 5 && field[0] == 1) {
      entry.unicode_name.assign(field.substr(5));  // version 1, CRC-32 of the raw name, name
    }
    at += length;
  }
}

}  // namespace

std::vector<ZipDirectoryEntry> read_zip_directory(std::string_view zip, std::size_t max_entries) {
  std::vector<ZipDirectoryEntry> entries;
  std::size_t end = find_end_record(zip);
  if (end == std::string_view::npos) return entries;
  std::uint64_t count = read_le(zip, end + 10, 2);
  std::uint64_t offset = read_le(zip, end + 16, 4);
  if ((offset == 0xffffffff || count == 0xffff) && end >= 20 &&
      read_le(zip, end - 20, 4) == kZip64Locator) {
    std::uint64_t record = read_le(zip, end - 20 + 8, 8);
    if (has(zip, record, 56) && read_le(zip, record, 4) == kZip64EndOfDirectory) {
      count = read_le(zip, record + 32, 8);
      offset = read_le(zip, record + 48, 8);
    }
  }
  // Self-extracting or prefixed zips shift every offset; the directory still ends at `end`.
  std::uint64_t at = offset;
  if (!has(zip, at, 4) || read_le(zip, at, 4) != kCentralHeader) {
    std::uint64_t size = read_le(zip, end + 12, 4);
    if (size > end) return entries;
    at = end - size;
  }
  entries.reserve(std::min<std::uint64_t>({count, max_entries, 1024}));
  while (entries.size() < max_entries && has(zip, at, kCentralHeaderBytes) &&
         read_le(zip, at, 4) == kCentralHeader) {
    ZipDirectoryEntry entry;
    auto flags = static_cast<std::uint16_t>(read_le(zip, at + 8, 2));
    entry.utf8_flag = (flags & 0x0800) != 0;
    entry.encrypted = (flags & 0x0001) != 0;
    entry.method = static_cast<std::uint16_t>(read_le(zip, at + 10, 2));
    entry.compressed_size = read_le(zip, at + 20, 4);
    entry.uncompressed_size = read_le(zip, at + 24, 4);
    std::size_t name_length = read_le(zip, at + 28, 2);
    std::size_t extra_length = read_le(zip, at + 30, 2);
    std::size_t comment_length = read_le(zip, at + 32, 2);
    std::uint64_t name_at = at + kCentralHeaderBytes;
    if (!has(zip, name_at, name_length + extra_length)) break;
    entry.raw_name.assign(zip.substr(name_at, name_length));
    apply_extra_fields(zip.substr(name_at + name_length, extra_length), entry,
                       entry.uncompressed_size == 0xffffffff, entry.compressed_size == 0xffffffff);
    entries.push_back(std::move(entry));
    at = name_at + name_length + extra_length + comment_length;
  }
  return entries;
}

}  // namespace emotriage::inspect
