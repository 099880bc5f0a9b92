#include "office/cfb.hpp"

#include <algorithm>
#include <cstring>

#include "core/text.hpp"
#include "office/bytes.hpp"

namespace emotriage::office {
namespace {

constexpr std::string_view kSignature{"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8};
constexpr std::uint32_t kMaxRegularSector = 0xFFFFFFFA;
constexpr std::uint32_t kNoStream = 0xFFFFFFFF;
constexpr std::size_t kDirEntrySize = 128;
// Real documents have a few hundred directory entries; a 64 Ki cap keeps a forged directory
// chain from costing more than 8 MiB.
constexpr std::uint64_t kMaxDirectoryBytes = 65536 * kDirEntrySize;
// The mini stream holds only streams below the 4 KiB cutoff; even Outlook .msg files with
// thousands of properties stay far below 64 MiB.
constexpr std::uint64_t kMaxMiniStreamBytes = 64ull << 20;

std::string utf16le_name(std::string_view raw) {
  std::string out;
  for (std::size_t i = 0; i + 1 < raw.size(); i += 2) {
    char32_t unit = le16(raw, i);
    if (unit == 0) break;
    if (unit >= 0xD800 && unit < 0xDC00 && i + 3 < raw.size()) {
      char32_t low = le16(raw, i + 2);
      if (low >= 0xDC00 && low < 0xE000) {
        unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
        i += 2;
      }
    }
    core::append_utf8(out, unit);
  }
  return out;
}

}  // namespace

bool is_cfb(std::string_view bytes) {
  return bytes.starts_with(kSignature);
}

std::uint64_t Cfb::sector_count() const {
  const std::uint64_t sector_size = 1ull << sector_shift_;
  if (bytes_.size() <= sector_size) return 0;
  // A truncated last sector still counts: many writers cut the file after the last used byte.
  return (bytes_.size() - sector_size + sector_size - 1) >> sector_shift_;
}

std::string_view Cfb::sector(std::uint32_t index) const {
  const std::uint64_t offset = (static_cast<std::uint64_t>(index) + 1) << sector_shift_;
  if (offset >= bytes_.size()) return {};
  return bytes_.substr(offset, std::size_t{1} << sector_shift_);
}

std::string Cfb::read_chain(std::uint32_t start, std::uint64_t size, std::uint64_t max_bytes,
                            bool* complete) const {
  std::string out;
  const std::uint64_t wanted = std::min(size, max_bytes);
  std::uint32_t current = start;
  // Each sector is visited at most once in a valid chain: more steps than sectors is a loop.
  const std::uint64_t max_steps = std::min<std::uint64_t>(fat_.size(), sector_count());
  std::uint64_t steps = 0;
  while (out.size() < wanted && current < kMaxRegularSector && steps++ < max_steps) {
    const std::string_view data = sector(current);
    if (data.empty()) break;
    out.append(data.substr(0, std::min<std::uint64_t>(data.size(), wanted - out.size())));
    current = current < fat_.size() ? fat_[current] : kNoStream;
  }
  if (complete) *complete = out.size() >= size;
  return out;
}

std::string Cfb::read_mini_chain(std::uint32_t start, std::uint64_t size, std::uint64_t max_bytes,
                                 bool* complete) const {
  std::string out;
  const std::uint64_t wanted = std::min(size, max_bytes);
  std::uint32_t current = start;
  std::uint64_t steps = 0;
  while (out.size() < wanted && current < kMaxRegularSector && steps++ < minifat_.size()) {
    const std::uint64_t offset = static_cast<std::uint64_t>(current) * 64;
    if (offset >= ministream_.size()) break;
    const std::string_view data = std::string_view(ministream_).substr(offset, 64);
    out.append(data.substr(0, std::min<std::uint64_t>(data.size(), wanted - out.size())));
    current = current < minifat_.size() ? minifat_[current] : kNoStream;
  }
  if (complete) *complete = out.size() >= size;
  return out;
}

std::expected<Cfb, std::string> Cfb::open(std::string_view bytes) {
  if (!is_cfb(bytes) || bytes.size() < 512) return std::unexpected("no CFB header");
  Cfb cfb;
  cfb.bytes_ = bytes;
  const std::uint16_t major = le16(bytes, 0x1A);
  const std::uint16_t shift = le16(bytes, 0x1E);
  if (shift != 9 && shift != 12) return std::unexpected("invalid sector size");
  if (major != 3 && major != 4) cfb.damaged_ = true;  // readers accept it when the rest is sane
  cfb.sector_shift_ = shift;
  // MS-CFB fixes the cutoff at 4096; a forged value must not redirect streams into the mini FAT.
  if (le32(bytes, 0x38) != cfb.mini_cutoff_) cfb.damaged_ = true;
  const std::uint64_t sectors = cfb.sector_count();
  const std::uint32_t entries_per_sector = (1u << shift) / 4;

  // DIFAT: 109 FAT sector numbers in the header, the rest in a chain of DIFAT sectors.
  std::vector<std::uint32_t> fat_sectors;
  for (std::size_t i = 0; i < 109; ++i) {
    const std::uint32_t s = le32(bytes, 0x4C + i * 4);
    if (s < kMaxRegularSector && s < sectors) fat_sectors.push_back(s);
  }
  std::uint32_t difat = le32(bytes, 0x44);
  for (std::uint64_t steps = 0; difat < kMaxRegularSector && steps < sectors; ++steps) {
    const std::string_view data = cfb.sector(difat);
    if (data.size() < (std::size_t{1} << shift)) break;
    for (std::uint32_t i = 0; i + 1 < entries_per_sector; ++i) {
      const std::uint32_t s = le32(data, i * 4);
      if (s < kMaxRegularSector && s < sectors) fat_sectors.push_back(s);
    }
    difat = le32(data, (entries_per_sector - 1) * 4);
  }
  // No valid file has more FAT sectors than sectors; the cap keeps the FAT within the file size.
  if (fat_sectors.size() > sectors) fat_sectors.resize(sectors);
  for (const std::uint32_t s : fat_sectors) {
    const std::string_view data = cfb.sector(s);
    for (std::size_t i = 0; i + 4 <= data.size(); i += 4) cfb.fat_.push_back(le32(data, i));
  }
  if (cfb.fat_.empty()) return std::unexpected("empty FAT");

  const std::string directory =
      cfb.read_chain(le32(bytes, 0x30), kMaxDirectoryBytes, kMaxDirectoryBytes, nullptr);
  const std::size_t dir_count = directory.size() / kDirEntrySize;
  if (dir_count == 0) return std::unexpected("empty directory");
  auto dir = [&](std::uint32_t id) {
    return std::string_view(directory).substr(std::size_t{id} * kDirEntrySize, kDirEntrySize);
  };
  if (static_cast<unsigned char>(dir(0)[0x42]) != 5) cfb.damaged_ = true;

  // MiniFAT and mini stream (the root entry's data).
  const std::uint32_t minifat_start = le32(bytes, 0x3C);
  const std::uint64_t minifat_bytes = static_cast<std::uint64_t>(le32(bytes, 0x40)) << shift;
  if (minifat_start < kMaxRegularSector) {
    const std::string minifat =
        cfb.read_chain(minifat_start, minifat_bytes,
                       std::min<std::uint64_t>(minifat_bytes, bytes.size()), nullptr);
    for (std::size_t i = 0; i + 4 <= minifat.size(); i += 4)
      cfb.minifat_.push_back(le32(minifat, i));
  }
  cfb.ministream_ =
      cfb.read_chain(le32(dir(0), 0x74), le32(dir(0), 0x78), kMaxMiniStreamBytes, nullptr);

  // Walk the red-black sibling trees from the root, iteratively; a visited set ends cycles.
  std::vector<bool> visited(dir_count, false);
  visited[0] = true;
  cfb.entries_.push_back(CfbEntry{"Root Entry", "", true, 0, 0, 0});
  struct Pending {
    std::uint32_t id;
    std::uint32_t parent;
  };
  std::vector<Pending> stack;
  const std::uint32_t root_child = le32(dir(0), 0x4C);
  if (root_child < dir_count) stack.push_back({root_child, 0});
  while (!stack.empty()) {
    const Pending item = stack.back();
    stack.pop_back();
    if (item.id >= dir_count || visited[item.id]) {
      if (item.id < dir_count) cfb.damaged_ = true;
      continue;
    }
    visited[item.id] = true;
    const std::string_view raw = dir(item.id);
    const std::uint32_t left = le32(raw, 0x44), right = le32(raw, 0x48), child = le32(raw, 0x4C);
    if (left < dir_count) stack.push_back({left, item.parent});
    if (right < dir_count) stack.push_back({right, item.parent});
    const unsigned type = static_cast<unsigned char>(raw[0x42]);
    if (type != 1 && type != 2) continue;
    const std::uint16_t name_bytes = std::min<std::uint16_t>(le16(raw, 0x40), 64);
    CfbEntry entry;
    entry.name = utf16le_name(raw.substr(0, name_bytes));
    const std::string& parent_path = cfb.entries_[item.parent].path;
    entry.path = parent_path.empty() ? entry.name : parent_path + "/" + entry.name;
    entry.is_storage = type == 1;
    entry.start_sector = le32(raw, 0x74);
    // Version 3 files may leave garbage in the high half of the size (MS-CFB 2.6.3).
    entry.size = major == 3
                     ? le32(raw, 0x78)
                     : (le32(raw, 0x78) | (static_cast<std::uint64_t>(le32(raw, 0x7C)) << 32));
    entry.parent = item.parent;
    const auto index = static_cast<std::uint32_t>(cfb.entries_.size());
    cfb.entries_.push_back(std::move(entry));
    if (type == 1 && child < dir_count) stack.push_back({child, index});
  }
  return cfb;
}

int Cfb::find(std::string_view path) const {
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (core::iequals(entries_[i].path, path)) return static_cast<int>(i);
  }
  return -1;
}

std::string Cfb::read(const CfbEntry& entry, std::uint64_t max_bytes, bool* complete) const {
  if (entry.is_storage) {
    if (complete) *complete = true;
    return {};
  }
  std::string out = entry.size < mini_cutoff_
                        ? read_mini_chain(entry.start_sector, entry.size, max_bytes, complete)
                        : read_chain(entry.start_sector, entry.size, max_bytes, complete);
  if (out.size() < std::min(entry.size, max_bytes)) damaged_ = true;
  return out;
}

}  // namespace emotriage::office
