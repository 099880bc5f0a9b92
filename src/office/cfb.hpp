// A small MS-CFB (OLE2 compound file) reader over bytes in memory. Hostile input: every chain is
// followed with a step bound (cycles end it), sector numbers are checked against the file, the
// directory walk is iterative with a visited set, and reads stop at a caller's byte cap.
#pragma once
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace emotriage::office {

struct CfbEntry {
  std::string name;  // UTF-8 (CFB names are UTF-16LE); control characters kept ("\x01Ole10Native")
  std::string path;  // "Macros/VBA/dir": storage names joined by '/', the root not included
  bool is_storage = false;
  std::uint32_t start_sector = 0;
  std::uint64_t size = 0;    // as declared; a read may return less
  std::uint32_t parent = 0;  // index into entries(); the root's children point at 0
};

class Cfb {
 public:
  // Fails (with a short English reason) when the header or the FAT cannot be used at all.
  static std::expected<Cfb, std::string> open(std::string_view bytes);

  // Every entry reachable from the root; entries()[0] is the root storage.
  const std::vector<CfbEntry>& entries() const { return entries_; }
  // Index of the entry with this path (ASCII case-insensitive, as CFB compares names), or -1.
  int find(std::string_view path) const;
  // The stream's bytes, at most `max_bytes`. `complete` tells whether the whole declared size
  // was read (false: cut by the cap, or the chain ended early/looped).
  std::string read(const CfbEntry& entry, std::uint64_t max_bytes, bool* complete = nullptr) const;
  bool damaged() const { return damaged_; }  // some chain or directory link was invalid

 private:
  std::string_view bytes_;
  std::uint32_t sector_shift_ = 9;
  static constexpr std::uint32_t mini_cutoff_ = 4096;
  std::vector<std::uint32_t> fat_;
  std::vector<std::uint32_t> minifat_;
  std::string ministream_;
  std::vector<CfbEntry> entries_;
  mutable bool damaged_ = false;

  std::uint64_t sector_count() const;
  std::string_view sector(std::uint32_t index) const;
  std::string read_chain(std::uint32_t start, std::uint64_t size, std::uint64_t max_bytes,
                         bool* complete) const;
  std::string read_mini_chain(std::uint32_t start, std::uint64_t size, std::uint64_t max_bytes,
                              bool* complete) const;
};

// True when `bytes` starts with the CFB signature.
bool is_cfb(std::string_view bytes);

}  // namespace emotriage::office
