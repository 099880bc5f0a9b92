// Reading log files: plain or gzip through zlib (gzread passes plain files through), "-" for
// stdin, rotated sets oldest first, lines cut at a bound so memory never follows the input.
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "logs/logs.hpp"
#include "logs/parsers.hpp"

namespace emotriage::logs {

namespace {

// Each read of this size becomes one batch handed from a reader thread to the analysing thread.
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

// Lines of one file, read and split by a reader thread, in order.
struct Batch {
  // What was read, lines in place: an unfinished line at the end of one read is copied to the
  // front of the next, so that no other byte is copied.
  std::unique_ptr<char[]> text;
  std::vector<PreparsedLine> lines;  // views into text, each already cut to the line bound
  std::uint64_t offset = 0;          // of the file as stored (compressed for .gz), after the read
  bool preparsed = false;            // preparse() ran on the lines; else the consumer runs it
};

// Runs preparse() over a batch's lines. Either thread may: a fresh splitter parses a line the
// same as one that saw the lines before it (its cache only skips re-reading equal stamps).
void preparse_batch(Batch& batch, SyslogSplitter& splitter) {
  for (PreparsedLine& line : batch.lines) preparse(line, splitter);
  batch.preparsed = true;
}

// A bounded hand-over of one file's batches from its reader to the analysing thread.
class FileQueue {
 public:
  // False when the consumer has gone away (the batch is dropped).
  bool push(Batch batch) {
    std::unique_lock lock(mutex_);
    space_.wait(lock, [&] { return batches_.size() < kQueuedBatches || cancelled_; });
    if (cancelled_) return false;
    batches_.push_back(std::move(batch));
    ready_.notify_one();
    return true;
  }
  void finish(std::string error) {
    std::lock_guard lock(mutex_);
    error_ = std::move(error);
    finished_ = true;
    ready_.notify_one();
  }
  void cancel() {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    space_.notify_all();
  }
  // A batch the consumer is done with, for the reader to fill again: its buffers stay mapped
  // (a fresh megabyte per batch cost a page fault per page).
  void give_back(Batch batch) {
    std::lock_guard lock(mutex_);
    if (spares_.size() < kSpareBatches) spares_.push_back(std::move(batch));
  }
  // A batch given back, or an empty one.
  Batch spare() {
    std::lock_guard lock(mutex_);
    if (spares_.empty()) return Batch{};
    Batch batch = std::move(spares_.back());
    spares_.pop_back();
    return batch;
  }
  // Batches waiting for the consumer.
  std::size_t waiting() {
    std::lock_guard lock(mutex_);
    return batches_.size();
  }
  // The next batch, or nothing once the file is done.
  std::optional<Batch> pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !batches_.empty() || finished_; });
    if (batches_.empty()) return std::nullopt;
    Batch batch = std::move(batches_.front());
    batches_.pop_front();
    space_.notify_one();
    return batch;
  }
  std::string error() {
    std::lock_guard lock(mutex_);
    return error_;
  }

 private:
  static constexpr std::size_t kQueuedBatches = 4;
  static constexpr std::size_t kSpareBatches = 2;
  std::mutex mutex_;
  std::condition_variable ready_, space_;
  std::deque<Batch> batches_;
  std::vector<Batch> spares_;
  std::string error_;
  bool finished_ = false, cancelled_ = false;
};

struct InputFile {
  std::string path;
  std::int64_t reference = 0;  // Unix time that dates syslog lines without a year
  std::uint64_t size = 0;      // as stored, before reading
  FileQueue queue;
};

gzFile open_input(const std::string& path) {
  if (path == "-") {
    const int descriptor = dup(STDIN_FILENO);
    return descriptor < 0 ? nullptr : gzdopen(descriptor, "rb");
  }
  return gzopen(path.c_str(), "rb");
}

// Reads one file (plain or gzip: gzread passes plain files through), splits it into lines and
// each line into its syslog fields, and hands the batches on; returns an error text when reading
// stopped early.
std::string read_lines(gzFile file, InputFile& input) {
  SyslogSplitter splitter(local_wall(input.reference));
  std::string carry;      // an unfinished line at the end of the last read
  bool skipping = false;  // inside an overlong line whose head was already taken
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // offset, length of each line
  for (;;) {
    Batch batch = input.queue.spare();
    if (!batch.text) batch.text = std::make_unique_for_overwrite<char[]>(kLineCut + kReadBytes);
    batch.lines.clear();
    batch.preparsed = false;
    char* const data = batch.text.get();
    std::memcpy(data, carry.data(), carry.size());
    const std::size_t held = carry.size();
    carry.clear();
    spans.clear();
    const int read = gzread(file, data + held, static_cast<unsigned>(kReadBytes));
    const auto offset = gzoffset(file);
    batch.offset = offset > 0 ? static_cast<std::uint64_t>(offset) : 0;
    std::size_t start = 0;
    if (read <= 0) {
      if (held > 0 && !skipping) spans.emplace_back(0, held);
    } else {
      const std::size_t end = held + static_cast<std::size_t>(read);
      while (start < end) {
        const void* found = std::memchr(data + start, '\n', end - start);
        if (found == nullptr) break;
        const auto newline = static_cast<std::size_t>(static_cast<const char*>(found) - data);
        if (!skipping) spans.emplace_back(start, std::min(newline - start, kLineCut));
        skipping = false;
        start = newline + 1;
      }
      if (end - start >= kLineCut) {
        // A line longer than the bound: take its head, drop the rest up to the next newline.
        if (!skipping) spans.emplace_back(start, kLineCut);
        skipping = true;
      } else {
        carry.assign(data + start, end - start);
      }
    }
    batch.lines.resize(spans.size());
    for (std::size_t i = 0; i < spans.size(); ++i) {
      PreparsedLine& line = batch.lines[i];
      line.text =
          bounded_line(std::string_view(data + spans[i].first, spans[i].second), line.overlong);
    }
    // When the consumer has caught up and would wait, the batch goes to it unparsed and it runs
    // the field extraction itself: the two threads share the work instead of one idling (the
    // counting is the lighter half).
    if (input.queue.waiting() > 0) preparse_batch(batch, splitter);
    if (!input.queue.push(std::move(batch))) return {};
    if (read == 0) {
      // zlib ends a gzip stream cut short like a whole one, and says so only here.
      int code = Z_OK;
      gzerror(file, &code);
      return code == Z_BUF_ERROR ? std::string(kTruncatedInput) : std::string();
    }
    if (read < 0) {
      int code = 0;
      const char* message = gzerror(file, &code);
      return code == Z_ERRNO ? std::strerror(errno) : message;
    }
  }
}

void read_input(InputFile& input) {
  std::string error;
  try {
    gzFile file = open_input(input.path);
    if (file == nullptr) {
      error = std::strerror(errno);
    } else {
      gzbuffer(file, 256u << 10);
      error = read_lines(file, input);
      gzclose(file);
    }
  } catch (const std::bad_alloc&) {
    error = "out of memory";
  }
  input.queue.finish(std::move(error));
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
  // Every file is checked before any is read: a wrong name fails at once, not after an hour.
  const std::vector<std::string> ordered = order_rotated(files);
  std::vector<std::unique_ptr<InputFile>> inputs;
  for (const auto& path : ordered) {
    auto& input = inputs.emplace_back(std::make_unique<InputFile>());
    input->path = path;
    input->reference = options.reference_time.value_or(std::time(nullptr));
    if (path == "-") continue;
    struct stat info {};
    if (stat(path.c_str(), &info) != 0) {
      return core::fail(core::ErrorCode::not_found, path + ": " + std::strerror(errno));
    }
    if (S_ISDIR(info.st_mode)) {
      return core::fail(core::ErrorCode::invalid_argument, path + ": is a directory");
    }
    if (access(path.c_str(), R_OK) != 0) {
      return core::fail(core::ErrorCode::io, path + ": " + std::strerror(errno));
    }
    if (!options.reference_time) input->reference = info.st_mtime;
    input->size = static_cast<std::uint64_t>(info.st_size);
  }

  // Reader threads decompress, split and pre-parse files ahead of this thread, which correlates
  // and counts in file order; with several files, several are read at once.
  std::atomic<std::size_t> next_file{0};
  const std::size_t hardware = std::max(2u, std::thread::hardware_concurrency());
  const std::size_t readers = std::min<std::size_t>(inputs.size(), hardware - 1);
  std::vector<std::jthread> threads;
  // Declared after the threads so that it runs first: readers blocked on a full queue let go.
  struct CancelOnExit {
    std::vector<std::unique_ptr<InputFile>>& inputs;
    ~CancelOnExit() {
      for (auto& input : inputs) input->queue.cancel();
    }
  };
  for (std::size_t i = 0; i < readers; ++i) {
    threads.emplace_back([&] {
      for (std::size_t index = next_file++; index < inputs.size(); index = next_file++) {
        read_input(*inputs[index]);
      }
    });
  }
  const CancelOnExit cancel_on_exit{inputs};

  LogAnalyzer analyzer(options);
  LogProgress progress;
  if (std::ranges::none_of(inputs, [](const auto& input) { return input->path == "-"; })) {
    progress.total_bytes = 0;
    for (const auto& input : inputs) *progress.total_bytes += input->size;
  }
  std::uint64_t files_before = 0;  // sizes of the files already read
  for (auto& input : inputs) {
    analyzer.begin_file(input->path, input->reference);
    SyslogSplitter splitter(local_wall(input->reference));
    while (std::optional<Batch> batch = input->queue.pop()) {
      if (!batch->preparsed) preparse_batch(*batch, splitter);
      for (const PreparsedLine& line : batch->lines) analyzer.feed_preparsed(line);
      progress.lines += batch->lines.size();
      progress.bytes_read = files_before + batch->offset;
      input->queue.give_back(std::move(*batch));
      if (options.progress) options.progress(progress);
    }
    files_before += input->size;
  }
  LogReport report = analyzer.finish();
  for (std::size_t i = 0; i < report.files.size() && i < inputs.size(); ++i) {
    report.files[i].error = inputs[i]->queue.error();
  }
  return report;
}

}  // namespace emotriage::logs
