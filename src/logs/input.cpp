// Reading log files: plain or gzip through zlib (gzread passes plain files through), "-" for
// stdin, rotated sets oldest first, lines cut at a bound so memory never follows the input.
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>
#include <map>

#include "logs/logs.hpp"

namespace emotriage::logs {

namespace {

constexpr std::size_t kReadBytes = 1u << 20;
// Longer lines are handed on cut to this (the analyser counts them as overlong).
constexpr std::size_t kLineCut = (64u << 10) + 1;

struct Rotation {
  std::string base;
  std::int64_t age = 0;  // larger is older: mail.log.2 (2) before mail.log.1 (1) before mail.log
};

Rotation rotation_of(std::string_view path) {
  if (path.ends_with(".gz")) path.remove_suffix(3);
  const std::size_t cut = path.find_last_of(".-");
  if (cut != std::string_view::npos && cut + 1 < path.size() &&
      path.find('/', cut) == std::string_view::npos) {
    const std::string_view suffix = path.substr(cut + 1);
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(suffix.data(), suffix.data() + suffix.size(), value);
    if (error == std::errc{} && end == suffix.data() + suffix.size()) {
      // mail.log.3 counts rotations; mail.log-20260105 is a date, so older is smaller.
      constexpr std::int64_t kDateAges = 100'000'000;  // above any YYYYMMDD
      return Rotation{std::string(path.substr(0, cut)),
                      path[cut] == '.' ? value : kDateAges - value};
    }
  }
  return Rotation{std::string(path), 0};
}

// Feeds every line of an open gzFile; returns an error text when reading stopped early.
std::string feed_lines(gzFile file, LogAnalyzer& analyzer, std::uint64_t& bytes,
                       const LogOptions& options) {
  std::vector<char> buffer(kReadBytes);
  std::size_t held = 0;   // bytes of an unfinished line at the front of buffer
  bool skipping = false;  // inside an overlong line whose head was already fed
  std::uint64_t next_progress = 64u << 20;
  for (;;) {
    const int read =
        gzread(file, buffer.data() + held, static_cast<unsigned>(buffer.size() - held));
    if (read < 0) {
      int code = 0;
      const char* message = gzerror(file, &code);
      if (held > 0 && !skipping) analyzer.feed_line(std::string_view(buffer.data(), held));
      return code == Z_ERRNO ? std::strerror(errno) : message;
    }
    if (read == 0) {
      if (held > 0 && !skipping) analyzer.feed_line(std::string_view(buffer.data(), held));
      return {};
    }
    bytes += static_cast<std::uint64_t>(read);
    if (options.progress && bytes >= next_progress) {
      options.progress(0, bytes);
      next_progress = bytes + (64u << 20);
    }
    const char* data = buffer.data();
    const std::size_t end = held + static_cast<std::size_t>(read);
    std::size_t start = 0;
    while (start < end) {
      const void* found = std::memchr(data + start, '\n', end - start);
      if (found == nullptr) break;
      const std::size_t newline = static_cast<std::size_t>(static_cast<const char*>(found) - data);
      if (!skipping) {
        analyzer.feed_line(std::string_view(data + start, std::min(newline - start, kLineCut)));
      }
      skipping = false;
      start = newline + 1;
    }
    held = end - start;
    if (held >= kLineCut) {
      // A line longer than the bound: hand on its head, drop the rest up to the next newline.
      if (!skipping) analyzer.feed_line(std::string_view(data + start, kLineCut));
      skipping = true;
      held = 0;
    } else if (held > 0) {
      std::memmove(buffer.data(), data + start, held);
    }
  }
}

}  // namespace

std::vector<std::string> order_rotated(const std::vector<std::string>& files) {
  std::vector<std::string> bases;
  std::map<std::string, std::vector<std::pair<std::int64_t, std::string>>> groups;
  for (const auto& path : files) {
    Rotation rotation = rotation_of(path);
    auto& group = groups[rotation.base];
    if (group.empty()) bases.push_back(rotation.base);
    group.emplace_back(rotation.age, path);
  }
  std::vector<std::string> ordered;
  ordered.reserve(files.size());
  for (const auto& base : bases) {
    auto& group = groups[base];
    std::ranges::stable_sort(group, [](const auto& a, const auto& b) { return a.first > b.first; });
    for (auto& entry : group) ordered.push_back(std::move(entry.second));
  }
  return ordered;
}

std::expected<LogReport, core::Error> analyze_logs(const std::vector<std::string>& files,
                                                   const LogOptions& options) {
  LogAnalyzer analyzer(options);
  std::uint64_t bytes = 0;
  std::vector<std::string> errors;
  for (const auto& path : order_rotated(files)) {
    std::int64_t reference = options.reference_time.value_or(std::time(nullptr));
    gzFile file = nullptr;
    if (path == "-") {
      const int descriptor = dup(STDIN_FILENO);
      file = descriptor < 0 ? nullptr : gzdopen(descriptor, "rb");
    } else {
      struct stat info {};
      if (stat(path.c_str(), &info) != 0) {
        return core::fail(core::ErrorCode::not_found, path + ": " + std::strerror(errno));
      }
      if (S_ISDIR(info.st_mode)) {
        return core::fail(core::ErrorCode::invalid_argument, path + ": is a directory");
      }
      if (!options.reference_time) reference = info.st_mtime;
      file = gzopen(path.c_str(), "rb");
    }
    if (file == nullptr) {
      return core::fail(core::ErrorCode::io, path + ": " + std::strerror(errno));
    }
    gzbuffer(file, 256u << 10);
    analyzer.begin_file(path, reference);
    std::string error = feed_lines(file, analyzer, bytes, options);
    gzclose(file);
    errors.push_back(std::move(error));
  }
  LogReport report = analyzer.finish();
  for (std::size_t i = 0; i < report.files.size() && i < errors.size(); ++i) {
    report.files[i].error = std::move(errors[i]);
  }
  return report;
}

}  // namespace emotriage::logs
