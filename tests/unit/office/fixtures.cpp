#include "fixtures.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <map>
#include <stdexcept>

namespace emotriage::office::test {

std::string le16(std::uint16_t value) {
  return {static_cast<char>(value & 0xFF), static_cast<char>(value >> 8)};
}
std::string le32(std::uint32_t value) {
  return le16(value & 0xFFFF) + le16(value >> 16);
}

std::string utf16le(std::u16string_view text) {
  std::string out;
  for (const char16_t unit : text) out += le16(static_cast<std::uint16_t>(unit));
  return out;
}

namespace {

constexpr std::uint32_t kEnd = 0xFFFFFFFE, kFree = 0xFFFFFFFF, kFatSector = 0xFFFFFFFD;

struct Node {
  std::string name;
  int type = 1;  // 1 storage, 2 stream, 5 root
  std::vector<int> children;
  std::string data;
  std::uint32_t start = kEnd;
};

std::u16string widen(std::string_view ascii) {
  return {ascii.begin(), ascii.end()};
}

std::size_t sectors_for(std::size_t bytes) {
  return (bytes + 511) / 512;
}

}  // namespace

std::string make_cfb(const std::vector<std::pair<std::string, std::string>>& streams) {
  std::vector<Node> nodes{Node{"Root Entry", 5, {}, {}, kEnd}};
  std::map<std::string, int> storages{{"", 0}};
  for (const auto& [path, data] : streams) {
    std::string parent_path;
    std::size_t start = 0;
    for (std::size_t slash = path.find('/'); slash != std::string::npos;
         slash = path.find('/', start)) {
      const std::string storage = path.substr(0, slash);
      if (!storages.contains(storage)) {
        nodes.push_back(Node{path.substr(start, slash - start), 1, {}, {}, kEnd});
        storages[storage] = static_cast<int>(nodes.size() - 1);
        nodes[storages[parent_path]].children.push_back(storages[storage]);
      }
      parent_path = storage;
      start = slash + 1;
    }
    nodes.push_back(Node{path.substr(start), 2, {}, data, kEnd});
    nodes[storages[parent_path]].children.push_back(static_cast<int>(nodes.size() - 1));
  }
  // Mini stream for streams below 4096 bytes, regular sectors for the rest.
  std::string ministream;
  std::vector<std::uint32_t> minifat;
  std::vector<int> big;
  for (std::size_t i = 1; i < nodes.size(); ++i) {
    Node& node = nodes[i];
    if (node.type != 2) continue;
    if (node.data.size() >= 4096) {
      big.push_back(static_cast<int>(i));
      continue;
    }
    if (node.data.empty()) continue;
    node.start = static_cast<std::uint32_t>(ministream.size() / 64);
    const std::size_t count = (node.data.size() + 63) / 64;
    for (std::size_t k = 0; k < count; ++k) {
      minifat.push_back(k + 1 == count ? kEnd : node.start + static_cast<std::uint32_t>(k) + 1);
    }
    ministream += node.data;
    ministream.resize(ministream.size() + (64 - ministream.size() % 64) % 64, '\0');
  }
  const std::size_t dir_sectors = sectors_for(nodes.size() * 128);
  const std::size_t minifat_sectors = sectors_for(minifat.size() * 4);
  const std::size_t ministream_sectors = sectors_for(ministream.size());
  std::size_t big_sectors = 0;
  for (const int i : big) big_sectors += sectors_for(nodes[i].data.size());
  const std::size_t other = dir_sectors + minifat_sectors + ministream_sectors + big_sectors;
  std::size_t fat_sectors = 1;
  while (fat_sectors * 128 < fat_sectors + other) ++fat_sectors;
  if (fat_sectors > 109) throw std::length_error("fixture too large for the header DIFAT");

  std::vector<std::uint32_t> fat(fat_sectors * 128, kFree);
  std::uint32_t next = 0;
  for (std::size_t k = 0; k < fat_sectors; ++k) fat[next++] = kFatSector;
  auto chain = [&](std::size_t count) {
    const std::uint32_t first = count ? next : kEnd;
    for (std::size_t k = 0; k < count; ++k, ++next) fat[next] = k + 1 == count ? kEnd : next + 1;
    return first;
  };
  const std::uint32_t dir_start = chain(dir_sectors);
  const std::uint32_t minifat_start = chain(minifat_sectors);
  nodes[0].start = chain(ministream_sectors);
  nodes[0].data.assign(ministream.size(), '\0');  // only its size is used below
  for (const int i : big) nodes[i].start = chain(sectors_for(nodes[i].data.size()));

  std::string header = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + std::string(16, '\0');
  header += le16(0x3E) + le16(3) + le16(0xFFFE) + le16(9) + le16(6) + std::string(6, '\0');
  header += le32(0) + le32(static_cast<std::uint32_t>(fat_sectors)) + le32(dir_start) + le32(0) +
            le32(4096) + le32(minifat_start) + le32(static_cast<std::uint32_t>(minifat_sectors)) +
            le32(kEnd) + le32(0);
  for (std::uint32_t k = 0; k < 109; ++k) header += le32(k < fat_sectors ? k : kFree);

  std::string body;
  for (const std::uint32_t entry : fat) body += le32(entry);
  std::string directory;
  for (const Node& node : nodes) {
    std::string entry = utf16le(widen(node.name)) + le16(0);
    const auto name_bytes = static_cast<std::uint16_t>(entry.size());
    entry.resize(64, '\0');
    entry += le16(name_bytes);
    entry += static_cast<char>(node.type);
    entry += '\x01';
    std::uint32_t right = kFree;
    for (const Node& candidate : nodes) {
      for (std::size_t c = 0; c + 1 < candidate.children.size(); ++c) {
        if (&nodes[candidate.children[c]] == &node) right = candidate.children[c + 1];
      }
    }
    entry += le32(kFree) + le32(right);
    entry +=
        le32(node.children.empty() ? kFree : static_cast<std::uint32_t>(node.children.front()));
    entry += std::string(16 + 4 + 16, '\0');
    entry += le32(node.start) + le32(static_cast<std::uint32_t>(node.data.size())) + le32(0);
    directory += entry;
  }
  directory.resize(dir_sectors * 512, '\0');
  body += directory;
  std::string minifat_bytes;
  for (const std::uint32_t entry : minifat) minifat_bytes += le32(entry);
  minifat_bytes.resize(minifat_sectors * 512, '\xFF');
  body += minifat_bytes;
  ministream.resize(ministream_sectors * 512, '\0');
  body += ministream;
  for (const int i : big) {
    std::string data = nodes[i].data;
    data.resize(sectors_for(data.size()) * 512, '\0');
    body += data;
  }
  return header + body;
}

std::string ovba_compress(std::string_view data) {
  std::string out = "\x01";
  for (std::size_t start = 0; start < data.size(); start += 4096) {
    const std::string_view chunk = data.substr(start, 4096);
    if (chunk.size() == 4096) {  // a full chunk does not fit as literals: store it raw
      out += le16(0x3FFF);
      out += chunk;
      continue;
    }
    // Literals cost 9/8 of their size; a chunk holds at most 4098 bytes with its header.
    if (chunk.size() > 3640) throw std::length_error("last chunk too long for literal tokens");
    std::string tokens;
    for (std::size_t i = 0; i < chunk.size(); i += 8) {
      tokens += '\0';  // flag byte: eight literals
      tokens += chunk.substr(i, 8);
    }
    const std::size_t size = tokens.size() + 2;
    out += le16(static_cast<std::uint16_t>((size - 3) | 0xB000));
    out += tokens;
  }
  return out;
}

namespace {

std::string dir_record(std::uint16_t id, std::string_view data) {
  return le16(id) + le32(static_cast<std::uint32_t>(data.size())) + std::string(data);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> vba_project(std::string_view prefix,
                                                             std::string_view module_name,
                                                             std::string_view source,
                                                             std::uint16_t code_page) {
  std::string dir = dir_record(0x0001, le32(1)) + dir_record(0x0002, le32(0x409)) +
                    dir_record(0x0014, le32(0x409)) + dir_record(0x0003, le16(code_page)) +
                    dir_record(0x0004, "VBAProject");
  // PROJECTVERSION: a size field of 4 followed by 6 bytes (the quirk readers must handle).
  dir += le16(0x0009) + le32(4) + le32(0x5A0B3A1) + le16(6);
  dir += dir_record(0x000F, le16(1)) + dir_record(0x0013, le16(0xFFFF));
  const std::u16string wide(module_name.begin(), module_name.end());
  dir += dir_record(0x0019, module_name) + dir_record(0x0047, utf16le(wide));
  dir += dir_record(0x001A, module_name) + dir_record(0x0032, utf16le(wide));
  dir += dir_record(0x0031, le32(0)) + dir_record(0x0021, "") + dir_record(0x002B, "");
  dir += dir_record(0x0010, "");
  const std::string base(prefix);
  return {{base + "/_VBA_PROJECT", std::string("\xCC\x61\xFF\xFF\x00\x00\x00", 7)},
          {base + "/dir", ovba_compress(dir)},
          {base + "/" + std::string(module_name), ovba_compress(source)}};
}

std::string biff_record(std::uint16_t id, std::string_view data) {
  return le16(id) + le16(static_cast<std::uint16_t>(data.size())) + std::string(data);
}

std::string make_zip(const std::vector<std::pair<std::string, std::string>>& members) {
  std::string buffer(1 << 22, '\0');
  std::size_t used = 0;
  archive* writer = archive_write_new();
  archive_write_set_format_zip(writer);
  archive_write_open_memory(writer, buffer.data(), buffer.size(), &used);
  for (const auto& [name, data] : members) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, name.c_str());
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_size(entry, static_cast<la_int64_t>(data.size()));
    archive_write_header(writer, entry);
    archive_write_data(writer, data.data(), data.size());
    archive_entry_free(entry);
  }
  archive_write_close(writer);
  archive_write_free(writer);
  buffer.resize(used);
  return buffer;
}

}  // namespace emotriage::office::test
