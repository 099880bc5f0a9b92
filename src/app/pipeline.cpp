#include "app/pipeline.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <variant>

#include "core/hash.hpp"
#include "mime/parser.hpp"
#include "outlook/outlook.hpp"

namespace emotriage::app {

namespace {

// A TNEF stream on its own is the body and files of a mail whose headers stayed behind.
core::Finding tnef_without_headers() {
  return core::Finding{
      std::string(core::kParseHeadersMissing),
      core::Severity::info,
      "TNEF ファイル (winmail.dat) 単体です。本文と添付ファイルは調べましたが、差出人と経路の"
      "ヘッダーはありません。元のメールを添付ファイルとして (.msg / .eml) 入手してください。",
      "A TNEF file (winmail.dat) on its own: its body and files were inspected, but the mail's "
      "sender and route headers are not in it. Get the original mail as an attachment "
      "(.msg/.eml).",
      "winmail.dat (application/ms-tnef)",
      {}};
}

// An Outlook .msg or a TNEF stream is rebuilt as MIME and parsed like any mail; one that cannot
// be read is a message with a parse.malformed finding, so the batch goes on.
core::Message parse_outlook_file(const ingest::RawMessage& raw, const core::Limits& limits) {
  const bool tnef = raw.format == ingest::Format::tnef;
  std::vector<core::Finding> findings;
  auto mime_text = tnef ? outlook::tnef_to_mime(raw.bytes, limits)
                        : outlook::msg_to_mime(raw.bytes, limits, &findings);
  core::Message message;
  if (mime_text) {
    message = mime::parse_message(*mime_text, raw.locator, limits);
    if (tnef) message.add_finding(tnef_without_headers());
  } else {
    message.locator = raw.locator;
    message.add_finding(
        core::malformed_finding(tnef ? "TNEF ファイル (winmail.dat) として読めませんでした"
                                     : "Outlook メッセージファイル (.msg) として読めませんでした",
                                tnef ? "the TNEF file (winmail.dat) could not be read"
                                     : "the Outlook .msg file could not be read",
                                mime_text.error()));
  }
  // The size and hash are those of the file the user has, not of the rebuilt text.
  message.size = raw.truncated ? raw.original_size : raw.bytes.size();
  message.sha256 = core::sha256_hex(raw.bytes);
  for (auto& finding : findings) message.add_finding(std::move(finding));
  if (raw.truncated)
    message.add_finding(core::limit_finding("message_bytes", limits.message_bytes));
  return message;
}

}  // namespace

core::Message parse_raw(const ingest::RawMessage& raw, const core::Limits& limits) {
  if (raw.format == ingest::Format::outlook_msg || raw.format == ingest::Format::tnef) {
    return parse_outlook_file(raw, limits);
  }
  core::Message message;
  if (raw.format == ingest::Format::unreadable) {
    message.locator = raw.locator;
  } else {
    message = mime::parse_message(raw.bytes, raw.locator, limits);
  }
  // What the container (a PST/OST mailbox) noted while giving the message out.
  for (const auto& finding : raw.findings) message.add_finding(finding);
  if (raw.truncated) {
    message.size = raw.original_size;
    message.add_finding(core::limit_finding("message_bytes", limits.message_bytes));
  }
  return message;
}

namespace {

core::Message crashed_message(const ingest::RawMessage& raw, const char* what) {
  core::Message message;
  message.locator = raw.locator;
  message.size = raw.original_size;
  message.add_finding(
      core::Finding{std::string(core::kParseCrashed),
                    core::Severity::medium,
                    "このメールの解析が異常終了しました (他のメールの解析は続行します)",
                    "the analysis of this message failed (the rest of the batch goes on)",
                    what,
                    {}});
  return message;
}

bool is_crashed(const core::Message& message) {
  return std::ranges::any_of(message.findings,
                             [](const core::Finding& f) { return f.id == core::kParseCrashed; });
}

using Outcome = std::variant<core::Message, verdict::Analysis>;

// A failure inside one message's analysis (out of memory on a hostile message, a dependency's
// exception) costs that message only: it is reported as parse.crashed and the batch goes on.
Outcome process_isolated(const ingest::RawMessage& raw, const BatchOptions& options) {
  try {
    if (options.fault_injection) options.fault_injection(raw);
    core::Message message = parse_raw(raw, options.limits);
    if (options.keep_raw) message.raw = raw.bytes;
    if (options.analysis == nullptr) return message;
    return analyze_message(std::move(message), *options.analysis, options.limits);
  } catch (const std::exception& e) {
    if (options.analysis == nullptr) return crashed_message(raw, e.what());
    verdict::Analysis failed;
    failed.message = crashed_message(raw, e.what());
    if (options.keep_raw) failed.message.raw = raw.bytes;
    failed.failed = true;
    return failed;
  }
}

using Event = std::variant<core::Message, verdict::Analysis, core::Error, ingest::Skipped>;

// Bounded hand-over between the reader, the parsers and the caller's thread.
class Batch {
 public:
  Batch(const BatchOptions& options, unsigned workers)
      : options_(options), window_(static_cast<std::uint64_t>(workers) * 4 + 8) {}

  // Reader side. Messages waiting, being analysed or waiting for delivery are bounded in count
  // and in raw bytes: a mailbox of 150 MB messages must not have a window's worth of them in
  // memory, whatever the number of workers. One message always fits.
  void submit_raw(ingest::RawMessage&& raw) {
    std::unique_lock lock(mutex_);
    const std::uint64_t size = raw.bytes.size();
    room_.wait(lock, [&] {
      return aborted_ || (next_seq_ - delivered_ < window_ &&
                          (raw_bytes_ == 0 || raw_bytes_ + size <= kRawBytesBudget));
    });
    if (aborted_) return;
    raw_bytes_ += size;
    queue_.push_back({next_seq_++, std::move(raw)});
    work_.notify_one();
  }
  void submit_event(Event&& event) {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [&] { return aborted_ || next_seq_ - delivered_ < window_; });
    if (aborted_) return;
    done_.emplace(next_seq_++, Done{std::move(event), 0, {}});
    ready_.notify_one();
  }
  void close_input() {
    std::lock_guard lock(mutex_);
    input_closed_ = true;
    work_.notify_all();
    ready_.notify_one();
  }
  // Stops reader and workers when the caller gives up (an exception in its callback).
  void abort() {
    std::lock_guard lock(mutex_);
    aborted_ = true;
    work_.notify_all();
    room_.notify_all();
  }

  // Worker side.
  void work() {
    while (true) {
      std::pair<std::uint64_t, ingest::RawMessage> item;
      {
        std::unique_lock lock(mutex_);
        work_.wait(lock, [&] { return aborted_ || !queue_.empty() || input_closed_; });
        if (aborted_ || queue_.empty()) return;
        item = std::move(queue_.front());
        queue_.pop_front();
      }
      Outcome outcome = process_isolated(item.second, options_);
      // The result (decoded parts, a kept raw copy) counts against the budget until delivered.
      const std::uint64_t size = item.second.bytes.size();
      item.second.bytes = std::string();
      Event event = std::holds_alternative<core::Message>(outcome)
                        ? Event(std::move(std::get<core::Message>(outcome)))
                        : Event(std::move(std::get<verdict::Analysis>(outcome)));
      std::lock_guard lock(mutex_);
      done_.emplace(item.first, Done{std::move(event), size, item.second.input_done});
      ready_.notify_one();
    }
  }

  struct Delivered {
    Event event;
    ingest::Amount input_done;  // of a message's input (RawMessage::input_done)
  };
  // Caller side: next event in order, or nullopt when everything has been delivered.
  std::optional<Delivered> next() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] {
      return done_.contains(delivered_) || (input_closed_ && delivered_ == next_seq_);
    });
    auto it = done_.find(delivered_);
    if (it == done_.end()) return std::nullopt;
    Delivered delivered{std::move(it->second.event), it->second.input_done};
    raw_bytes_ -= it->second.raw_bytes;
    done_.erase(it);
    ++delivered_;
    room_.notify_all();
    return delivered;
  }

 private:
  static constexpr std::uint64_t kRawBytesBudget = 256ull << 20;
  const BatchOptions& options_;
  const std::uint64_t window_;
  std::uint64_t raw_bytes_ = 0;
  std::mutex mutex_;
  std::condition_variable work_, ready_, room_;
  std::deque<std::pair<std::uint64_t, ingest::RawMessage>> queue_;
  struct Done {
    Event event;
    std::uint64_t raw_bytes;  // of the message it came from, released on delivery
    ingest::Amount input_done;
  };
  std::map<std::uint64_t, Done> done_;
  std::uint64_t next_seq_ = 0;
  std::uint64_t delivered_ = 0;
  bool input_closed_ = false;
  bool aborted_ = false;
};

}  // namespace

verdict::Analysis analyze_raw(const ingest::RawMessage& raw, const AnalysisContext& context,
                              const core::Limits& limits) {
  mime::initialize();
  BatchOptions options;
  options.limits = limits;
  options.analysis = &context;
  return std::get<verdict::Analysis>(process_isolated(raw, options));
}

BatchStats run_batch(const std::vector<std::string>& inputs, const BatchOptions& options,
                     const BatchEvents& events) {
  mime::initialize();
  constexpr unsigned kMaxJobs = 256;
  unsigned workers =
      options.jobs != 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  workers = std::min(workers, kMaxJobs);
  Batch batch(options, workers);
  BatchStats stats;

  ingest::Options ingest_options;
  ingest_options.max_message_bytes = options.limits.message_bytes;
  ingest_options.limits = options.limits;
  // With progress: what each input holds, so a message's place in its input becomes its place in
  // the whole run.
  BatchProgress progress;
  std::vector<ingest::Amount> before_input(inputs.size());
  if (events.progress) {
    progress.total.emplace();
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      before_input[i] = progress.total.value_or(ingest::Amount{});
      const auto size = ingest::measure_input(inputs[i]);
      if (!size) progress.total.reset();
      if (progress.total) *progress.total += *size;
    }
  }
  std::thread reader([&] {
    std::size_t input_index = 0;
    ingest::Visitor visitor{
        .message =
            [&](ingest::RawMessage&& raw) {
              ingest::Amount done = before_input[input_index];
              raw.input_done = done += raw.input_done;
              batch.submit_raw(std::move(raw));
            },
        .error = [&](core::Error error) { batch.submit_event(std::move(error)); },
        .skipped = [&](ingest::Skipped skipped) { batch.submit_event(std::move(skipped)); },
    };
    for (; input_index < inputs.size(); ++input_index) {
      const std::string& input = inputs[input_index];
      try {
        ingest::read_input(input, ingest_options, visitor);
      } catch (const std::exception& e) {
        // Out of memory or a stream failure on one input: report it, read the next.
        batch.submit_event(core::Error{core::ErrorCode::internal, input + ": " + e.what()});
      }
    }
    batch.close_input();
  });
  std::vector<std::jthread> pool;
  try {
    for (unsigned i = 0; i < workers; ++i) pool.emplace_back([&] { batch.work(); });
  } catch (const std::system_error&) {
    if (pool.empty()) {  // not even one thread: give up cleanly
      batch.abort();
      reader.join();
      throw;
    }  // fewer workers than asked for still finish the job
  }

  try {
    auto report_progress = [&](const ingest::Amount& input_done) {
      if (!events.progress) return;
      progress.messages = stats.messages;
      progress.bytes = stats.bytes;
      progress.done = input_done;
      events.progress(progress);
    };
    while (auto delivered = batch.next()) {
      Event* event = &delivered->event;
      if (auto* message = std::get_if<core::Message>(event)) {
        ++stats.messages;
        stats.bytes += message->size;
        if (is_crashed(*message)) ++stats.crashed;
        if (events.message) events.message(std::move(*message));
        report_progress(delivered->input_done);
      } else if (auto* analysis = std::get_if<verdict::Analysis>(event)) {
        ++stats.messages;
        stats.bytes += analysis->message.size;
        if (analysis->failed) ++stats.crashed;
        if (events.analysis) events.analysis(std::move(*analysis));
        report_progress(delivered->input_done);
      } else if (auto* error = std::get_if<core::Error>(event)) {
        ++stats.errors;
        if (events.error) events.error(*error);
      } else if (auto* skipped = std::get_if<ingest::Skipped>(event)) {
        ++stats.skipped;
        if (events.skipped) events.skipped(*skipped);
      }
    }
  } catch (...) {
    batch.abort();
    reader.join();
    pool.clear();
    throw;
  }
  reader.join();
  return stats;
}

}  // namespace emotriage::app
