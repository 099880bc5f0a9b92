// Archives built at test time with libarchive's writer, so no archive fixture is stored.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace emotriage::inspect::testing {

struct FixtureMember {
  std::string name;         // stored as given (raw bytes: CP932 or UTF-8)
  std::string bytes;        // content, unless `zeros` is set
  std::uint64_t zeros = 0;  // append this many zero bytes after `bytes`, written in chunks
};

// format: "zip", "7zip", "ustar"; options: libarchive writer options ("zip:encryption=aes256").
std::string make_archive(const std::string& format, const std::vector<FixtureMember>& members,
                         const std::string& options = "", const std::string& passphrase = "");

inline std::string make_zip(const std::vector<FixtureMember>& members) {
  return make_archive("zip", members);
}

// A zip nested `levels` deep (zip in zip in ...), the innermost holding "inner.txt".
std::string make_nested_zip(int levels);

std::string read_file(const std::string& path);
std::string corpus_path(const std::string& relative);

}  // namespace emotriage::inspect::testing
