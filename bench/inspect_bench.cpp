// Inspection throughput (MB/s) over (a) the shared corpus' documents, shortcuts, notebooks and
// archives, (b) a generated set of zips; and (c) time and peak RSS of a 300 MB padded member in
// a < 1 MB zip, generated in memory (never stored).
//   inspect_bench corpus [CORPUS_DIR] | zips [COUNT] | padded [MEGABYTES]
#include <archive.h>
#include <archive_entry.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "inspect/inspect.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using emotriage::inspect::inspect_bytes;
using emotriage::inspect::Options;

la_ssize_t append_output(struct archive*, void* client, const void* buffer, size_t length) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

// A zip of one member: `head` then `zeros` zero bytes, written in 1 MiB chunks.
std::string zip_with(const std::vector<std::pair<std::string, std::string>>& members,
                     std::uint64_t zeros = 0) {
  std::string out;
  struct archive* writer = archive_write_new();
  archive_write_set_format_zip(writer);
  archive_write_set_bytes_in_last_block(writer, 1);
  archive_write_open(writer, &out, nullptr, append_output, nullptr);
  const std::string chunk(1 << 20, '\0');
  for (std::size_t i = 0; i < members.size(); ++i) {
    const auto& [name, bytes] = members[i];
    std::uint64_t padding = i + 1 == members.size() ? zeros : 0;
    struct archive_entry* entry = archive_entry_new();
    archive_entry_copy_pathname(entry, name.c_str());
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_size(entry, static_cast<la_int64_t>(bytes.size() + padding));
    archive_write_header(writer, entry);
    archive_write_data(writer, bytes.data(), bytes.size());
    for (std::uint64_t left = padding; left > 0;) {
      std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, chunk.size()));
      archive_write_data(writer, chunk.data(), n);
      left -= n;
    }
    archive_entry_free(entry);
  }
  archive_write_close(writer);
  archive_write_free(writer);
  return out;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

long peak_rss_kib() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

void report(const char* what, std::size_t objects, std::uint64_t bytes, double seconds) {
  std::printf("%s: %zu objects, %.1f MB in %.3f s = %.1f MB/s, %.0f objects/s, peak RSS %ld MiB\n",
              what, objects, double(bytes) / 1e6, seconds, double(bytes) / 1e6 / seconds,
              double(objects) / seconds, peak_rss_kib() / 1024);
}

// Corpus files that are attachments rather than mails (by extension).
bool is_attachment_file(const std::filesystem::path& path) {
  static const std::vector<std::string> kExtensions = {
      ".doc", ".docx", ".docm", ".dot", ".dotm", ".xls",  ".xlsx", ".xlsm", ".xlsb", ".xlt",
      ".ppt", ".pptx", ".pptm", ".rtf", ".pdf",  ".lnk",  ".one",  ".iso",  ".zip",  ".gz",
      ".msg", ".odt",  ".ods",  ".odp", ".xla",  ".xlam", ".potm", ".ppsx", ".vsd",  ".tar"};
  std::string extension = path.extension().string();
  return std::find(kExtensions.begin(), kExtensions.end(), extension) != kExtensions.end();
}

int bench_corpus(const std::string& corpus) {
  std::vector<std::pair<std::string, std::string>> files;
  std::uint64_t bytes = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(corpus)) {
    if (!entry.is_regular_file() || !is_attachment_file(entry.path())) continue;
    files.emplace_back(entry.path().filename().string(), read_file(entry.path()));
    bytes += files.back().second.size();
  }
  Options options;
  options.passwords = {"infected-test"};
  constexpr int kRounds = 5;
  auto start = Clock::now();
  for (int round = 0; round < kRounds; ++round) {
    for (const auto& [name, content] : files) inspect_bytes(content, name, options);
  }
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  report("corpus attachments", files.size() * kRounds, bytes * kRounds, seconds);
  return 0;
}

int bench_zips(int count) {
  std::vector<std::string> zips;
  std::uint64_t bytes = 0;
  for (int i = 0; i < count; ++i) {
    std::string text;
    for (int line = 0; line < 200 + i % 50; ++line) {
      text += "請求書 No." + std::to_string(i * 1000 + line) + " 金額 " +
              std::to_string(line * 37) + "\n";
    }
    std::string inner = zip_with({{"明細.csv", text}});
    zips.push_back(zip_with({{"請求書.txt", text}, {"明細.zip", inner}, {"run.js", "var a=1;\n"}}));
    bytes += zips.back().size();
  }
  auto start = Clock::now();
  for (const auto& zip : zips) inspect_bytes(zip, "請求書.zip", Options{});
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  report("generated zips (compressed bytes)", zips.size(), bytes, seconds);
  return 0;
}

int bench_padded(std::uint64_t megabytes) {
  std::string head = "{\\rtf1\\ansi padded document head}";
  std::string zip = zip_with({{"請求書.doc", head}}, megabytes << 20);
  long before = peak_rss_kib();
  auto start = Clock::now();
  auto result = inspect_bytes(zip, "請求書.zip", Options{});
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const auto& member = result.attachments.at(0).children.at(0);
  std::printf("padded: zip %zu bytes, member %llu bytes (%s), sha256 %s\n", zip.size(),
              static_cast<unsigned long long>(member.size), member.detected_type.c_str(),
              member.sha256.c_str());
  bool padded = false;
  for (const auto& finding : result.findings)
    padded |= finding.id == "attachment.padded-large-file";
  std::printf(
      "padded: finding %s, %.2f s = %.0f MB/s expanded, peak RSS %ld MiB (before "
      "inspection %ld MiB)\n",
      padded ? "yes" : "NO", seconds, double(member.size) / 1e6 / seconds, peak_rss_kib() / 1024,
      before / 1024);
  return padded ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "corpus";
  if (mode == "corpus") return bench_corpus(argc > 2 ? argv[2] : EMOTRIAGE_CORPUS_DIR);
  if (mode == "zips") return bench_zips(argc > 2 ? std::atoi(argv[2]) : 500);
  if (mode == "padded") return bench_padded(argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 300);
  std::fprintf(stderr, "usage: inspect_bench corpus [DIR] | zips [COUNT] | padded [MB]\n");
  return 2;
}
