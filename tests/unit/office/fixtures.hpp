// Test fixtures built at run time: a minimal MS-CFB v3 writer, MS-OVBA literal-only compression,
// VBA projects, BIFF8 records and zip packages. Nothing here is stored in the repository.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace emotriage::office::test {

// Streams by path ("Macros/VBA/dir"); storages are created from the paths.
std::string make_cfb(const std::vector<std::pair<std::string, std::string>>& streams);
// MS-OVBA CompressedContainer using literal tokens only (valid, just not smaller).
std::string ovba_compress(std::string_view data);
// The streams of a VBA project (dir + one module) under `prefix` ("Macros/VBA").
std::vector<std::pair<std::string, std::string>> vba_project(std::string_view prefix,
                                                             std::string_view module_name,
                                                             std::string_view source,
                                                             std::uint16_t code_page = 1252);
// One BIFF record.
std::string biff_record(std::uint16_t id, std::string_view data);
// A zip archive (deflate) of the given members.
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& members);
std::string utf16le(std::u16string_view text);
std::string le16(std::uint16_t value);
std::string le32(std::uint32_t value);

}  // namespace emotriage::office::test
