#include "archive_fixtures.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace emotriage::inspect::testing {

namespace {

la_ssize_t append_output(struct archive*, void* client, const void* buffer, size_t length) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

void check(int status, struct archive* writer, const char* what) {
  if (status < ARCHIVE_WARN) {
    throw std::runtime_error(std::string(what) + ": " + archive_error_string(writer));
  }
}

}  // namespace

std::string make_archive(const std::string& format, const std::vector<FixtureMember>& members,
                         const std::string& options, const std::string& passphrase) {
  std::string out;
  struct archive* writer = archive_write_new();
  check(archive_write_set_format_by_name(writer, format.c_str()), writer, "format");
  if (!options.empty())
    check(archive_write_set_options(writer, options.c_str()), writer, "options");
  if (!passphrase.empty())
    check(archive_write_set_passphrase(writer, passphrase.c_str()), writer, "passphrase");
  archive_write_set_bytes_in_last_block(writer, 1);
  check(archive_write_open(writer, &out, nullptr, append_output, nullptr), writer, "open");
  const std::string zeros(1 << 20, '\0');
  for (const auto& member : members) {
    struct archive_entry* entry = archive_entry_new();
    archive_entry_copy_pathname(entry, member.name.c_str());
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_size(entry, static_cast<la_int64_t>(member.bytes.size() + member.zeros));
    check(archive_write_header(writer, entry), writer, "header");
    archive_write_data(writer, member.bytes.data(), member.bytes.size());
    for (std::uint64_t left = member.zeros; left > 0;) {
      std::size_t chunk = static_cast<std::size_t>(std::min<std::uint64_t>(left, zeros.size()));
      archive_write_data(writer, zeros.data(), chunk);
      left -= chunk;
    }
    archive_entry_free(entry);
  }
  check(archive_write_close(writer), writer, "close");
  archive_write_free(writer);
  return out;
}

std::string make_nested_zip(int levels) {
  std::string current = make_zip({{"inner.txt", "hello from the bottom\n"}});
  for (int level = 1; level < levels; ++level) {
    current = make_zip({{"level" + std::to_string(level) + ".zip", current}});
  }
  return current;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string corpus_path(const std::string& relative) {
  return std::string(EMOTRIAGE_CORPUS_DIR) + "/" + relative;
}

}  // namespace emotriage::inspect::testing
