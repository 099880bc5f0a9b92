#include "ingest/source.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string_view>
#include <vector>

#include "core/text.hpp"
#include "outlook/outlook.hpp"

namespace emotriage::ingest {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kSniffBytes = 4096;

bool is_header_name_char(char c) {
  return c > 32 && c < 127 && c != ':';
}

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// A From_ line split into its parts: "From " sender [tail], e.g. "From a@b Mon Jan  5 09:12:00
// 2026", "From - " (Netscape / Thunderbird), "From MAILER-DAEMON ...", "From 123@xxx" (Gmail).
struct FromLine {
  std::string_view sender;
  std::string_view tail;  // what follows the sender, trimmed; empty at the end of the line
};

std::optional<FromLine> parse_from_line(std::string_view line) {
  if (!line.starts_with("From ")) return std::nullopt;
  std::size_t pos = 5;
  while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
  std::size_t end = pos;
  while (end < line.size() && !is_blank(line[end])) ++end;
  FromLine from;
  from.sender = line.substr(pos, end - pos);
  // "From : a@b", "From  :a@b": the obsolete header syntax (white space before the colon) opens
  // a mail, it is not a From_ line.
  if (from.sender.empty() || from.sender.front() == ':') return std::nullopt;
  std::string_view tail = line.substr(end);
  while (!tail.empty() && is_blank(tail.front())) tail.remove_prefix(1);
  while (!tail.empty() && is_blank(tail.back())) tail.remove_suffix(1);
  from.tail = tail;
  return from;
}

// A time of day ("9:12", "09:12:00") in the first 200 bytes: the date of a From_ line.
bool has_time(std::string_view text) {
  text = text.substr(0, 200);
  auto digit = [&](std::size_t k) { return text[k] >= '0' && text[k] <= '9'; };
  for (std::size_t i = 0; i + 3 < text.size(); ++i) {
    if (digit(i) && text[i + 1] == ':' && digit(i + 2) && digit(i + 3)) return true;
    if (i + 4 < text.size() && digit(i) && digit(i + 1) && text[i + 2] == ':' && digit(i + 3) &&
        digit(i + 4)) {
      return true;
    }
  }
  return false;
}

// Senders that mark a From_ line even without a date: Thunderbird's "-", bounces, addresses.
bool is_marker_sender(std::string_view sender) {
  return sender == "-" || sender == "MAILER-DAEMON" || sender.find('@') != std::string_view::npos;
}

// A line that separates two messages of an mbox. "From " sender, then the end of the line or a
// date. A body line "From here on we ..." (not escaped by mboxo writers) must not split, so a
// separator needs a date with a time in it or a marker sender ("-", MAILER-DAEMON, an address)
// and the blank line before it. Netscape and Thunderbird write "From - <date>" / "From - "
// directly after the previous message's last line, so that one needs no blank line.
bool is_separator_line(std::string_view line, bool after_blank) {
  auto from = parse_from_line(line);
  if (!from) return false;
  bool dated = !from->tail.empty() && has_time(from->tail);
  bool bare_marker = from->tail.empty() && is_marker_sender(from->sender);
  if (!dated && !bare_marker) return false;
  return after_blank || from->sender == "-";
}

// The first From_ line of a file may be laxer ("From user@host" without a date, as some tools
// write, or "From user@host anything"); sniff() takes such a file for an mbox and the splitter
// starts its first message there.
bool looks_like_first_from_line(std::string_view line) {
  auto from = parse_from_line(line);
  if (!from) return false;
  return from->tail.empty() || has_time(from->tail) ||
         from->sender.find('@') != std::string_view::npos;
}

// ">From ", ">>From " ... lose one '>' (mboxrd; for mboxo the same is the best guess).
void append_unescaped(std::string& out, std::string_view bytes) {
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    std::size_t eol = bytes.find('\n', pos);
    std::size_t end = eol == std::string_view::npos ? bytes.size() : eol + 1;
    std::string_view line = bytes.substr(pos, end - pos);
    std::size_t quotes = 0;
    while (quotes < line.size() && line[quotes] == '>') ++quotes;
    if (quotes > 0 && line.substr(quotes).starts_with("From ")) line.remove_prefix(1);
    out.append(line);
    pos = end;
  }
}

bool needs_unescape(std::string_view bytes) {
  return bytes.find(">From ") != std::string_view::npos;
}

// A zero chunk would make istream::read succeed forever without progress.
std::size_t chunk_size(const Options& options) {
  return std::max<std::size_t>(options.read_chunk, 1);
}

void report_error(const Visitor& visitor, core::Error error) {
  if (visitor.error) visitor.error(std::move(error));
}

void deliver(const Visitor& visitor, RawMessage&& message) {
  if (visitor.message) visitor.message(std::move(message));
}

class MboxSplitter {
 public:
  MboxSplitter(std::string name, const Options& options, const Visitor& visitor)
      : name_(std::move(name)), options_(options), visitor_(visitor) {}

  void feed(std::string_view chunk) {
    fed_ += chunk.size();
    window_.append(chunk);
    scan();
  }

  void finish() {
    if (started_) {
      emit(window_.size());
    } else {
      // No From_ line at all (or the stream ended inside a BOM): nothing may vanish, so the
      // whole input becomes one message and the parser reports what it can.
      if (begin_ < window_.size()) keep_preamble(begin_, window_.size());
      begin_ = window_.size();
      if (emitted_ == 0 && fed_ > 0) emit_preamble(/*strip_separator=*/false, fed_);
    }
    started_ = false;
  }

 private:
  // Longest line looked at while searching for the first From_ line.
  static constexpr std::size_t kMaxFromLine = 64u << 10;

  // Finds message starts in window_[scan_..] and emits finished messages.
  void scan() {
    if (!bom_checked_) {
      // A UTF-8 byte order mark before the first From_ line (editors add it).
      if (window_.size() < kBom.size() && kBom.starts_with(window_)) return;
      if (window_.starts_with(kBom)) begin_ = kBom.size();
      bom_checked_ = true;
    }
    while (true) {
      if (!started_) {
        // Text before the first From_ line is kept aside (bounded): a stray blank line is
        // dropped, anything else becomes a message of its own.
        std::size_t line_end = window_.find('\n', std::max(begin_, line_scan_));
        if (line_end == std::string::npos) {
          line_scan_ = window_.size();  // no need to look at these bytes again
          // No line end yet: a From_ line is short, so a long run is not one.
          if (window_.size() - begin_ > kMaxFromLine) {
            keep_preamble(begin_, window_.size());
            begin_ = window_.size();
            in_long_line_ = true;
          }
          compact();
          return;
        } else if (!in_long_line_ && looks_like_first_from_line(std::string_view(window_).substr(
                                         begin_, line_end - begin_))) {
          if (!preamble_blank_) emit_preamble(/*strip_separator=*/true, consumed_ + begin_);
          start_at(begin_);
        } else {
          keep_preamble(begin_, line_end + 1);
          begin_ = line_end + 1;
          in_long_line_ = false;
          continue;
        }
      }
      std::size_t found = core::find_bytes(window_, "\nFrom ", scan_);
      if (found == std::string::npos) {
        scan_ = window_.size() > 6 ? window_.size() - 6 : 0;
        scan_ = std::max(scan_, begin_);
        guard_size();
        compact();
        return;
      }
      std::size_t line_start = found + 1;
      std::size_t line_end = window_.find('\n', line_start);
      if (line_end == std::string::npos && window_.size() - line_start < 1024) {
        scan_ = found;  // wait for the whole line
        guard_size();
        compact();
        return;
      }
      std::string_view line = std::string_view(window_).substr(
          line_start, (line_end == std::string::npos ? window_.size() : line_end) - line_start);
      // A separator is a From_ line after a blank line (or right after the previous separator);
      // only Thunderbird's "From -" may follow the previous message's last line directly.
      bool after_blank =
          found >= 1 && (window_[found - 1] == '\n' ||
                         (window_[found - 1] == '\r' && found >= 2 && window_[found - 2] == '\n'));
      if (is_separator_line(line, after_blank)) {
        emit(line_start);
        start_at(line_start);
      } else {
        scan_ = found + 1;
      }
    }
  }

  void start_at(std::size_t pos) {
    started_ = true;
    message_offset_ = consumed_ + pos;
    std::size_t line_end = window_.find('\n', pos);
    body_start_ = line_end == std::string::npos ? window_.size() : line_end + 1;
    begin_ = pos;
    scan_ = body_start_ > 0 ? body_start_ - 1 : 0;
    truncated_ = false;
    head_.clear();
    dropped_ = 0;
    head_raw_size_ = 0;
  }

  // Emits window_[body_start_, end) as the current message (minus the separator's blank line).
  void emit(std::size_t end) {
    std::string_view body = std::string_view(window_).substr(body_start_, end - body_start_);
    if (body.ends_with("\r\n\r\n"))
      body.remove_suffix(2);
    else if (body.ends_with("\n\n"))
      body.remove_suffix(1);
    RawMessage message;
    message.locator = name_ + "#" + std::to_string(message_offset_);
    message.input_done.bytes = consumed_ + end;
    if (truncated_) {
      message.bytes = std::move(head_);
      message.truncated = true;
      message.original_size = head_raw_size_ + dropped_ + body.size();
    } else {
      // Cut like guard_size() does (the raw head, then unescaped), so where a message is cut
      // does not depend on the read chunk size.
      std::string_view kept = body.substr(0, options_.max_message_bytes);
      if (needs_unescape(kept))
        append_unescaped(message.bytes, kept);
      else
        message.bytes.assign(kept);
      message.original_size = body.size();
      message.truncated = kept.size() < body.size();
    }
    // A UTF-8 byte order mark at the start of the message is not part of it.
    if (message.bytes.starts_with(kBom)) {
      message.bytes.erase(0, kBom.size());
      message.original_size -= kBom.size();
    }
    begin_ = body_start_ = end;
    ++emitted_;
    deliver(visitor_, std::move(message));
  }

  // Keeps window_[from, to) (text before the first From_ line) up to the message limit.
  void keep_preamble(std::size_t from, std::size_t to) {
    std::string_view part = std::string_view(window_).substr(from, to - from);
    preamble_size_ += part.size();
    if (preamble_blank_) {
      preamble_blank_ = std::all_of(part.begin(), part.end(), is_blank);
    }
    if (preamble_.size() < options_.max_message_bytes) {
      const std::uint64_t room = options_.max_message_bytes - preamble_.size();
      preamble_.append(
          part.substr(0, static_cast<std::size_t>(std::min<std::uint64_t>(room, part.size()))));
    }
  }

  // Emits the text kept before the first From_ line (or the whole input without one) as a
  // message of its own at offset 0. `strip_separator` drops the blank line before a From_ line;
  // `done` is the input offset where it ends.
  void emit_preamble(bool strip_separator, std::uint64_t done) {
    RawMessage message;
    message.locator = name_ + "#0";
    message.input_done.bytes = done;
    message.bytes = std::move(preamble_);
    message.original_size = preamble_size_;
    message.truncated = preamble_size_ > message.bytes.size();
    if (strip_separator && !message.truncated) {
      std::size_t cut = 0;
      if (message.bytes.ends_with("\r\n\r\n"))
        cut = 2;
      else if (message.bytes.ends_with("\n\n"))
        cut = 1;
      message.bytes.resize(message.bytes.size() - cut);
      message.original_size -= cut;
    }
    preamble_.clear();
    preamble_size_ = 0;
    preamble_blank_ = true;
    ++emitted_;
    deliver(visitor_, std::move(message));
  }

  // A message larger than the limit keeps its head; the rest is counted and dropped so memory
  // stays bounded by the limit plus one read chunk.
  void guard_size() {
    if (!started_) return;
    std::size_t held = window_.size() - body_start_;
    // Saturating: a huge limit must not wrap around.
    const std::uint64_t slack = std::max<std::uint64_t>(options_.read_chunk, 64);
    const std::uint64_t limit = options_.max_message_bytes > UINT64_MAX - slack
                                    ? UINT64_MAX
                                    : options_.max_message_bytes + slack;
    if (held <= limit) return;
    // Keep a short tail: a "\r\n\r\nFrom " may straddle the next chunk. A From_ line whose end
    // has not arrived yet (scan_ waits at the '\n' before it) stays whole, with the "\r\n\r"
    // before it that the blank-line check and emit() look at.
    constexpr std::size_t kKeepTail = 8;
    std::size_t discard_end = window_.size() - kKeepTail;
    if (scan_ >= 3) discard_end = std::min(discard_end, scan_ - 3);
    // Never cut into the head (or before the message): wait for more input instead; the
    // pending line is at most ~1 KiB, so memory stays bounded.
    const std::uint64_t head_size =
        truncated_ ? 0 : std::min<std::uint64_t>(options_.max_message_bytes, held);
    if (discard_end <= body_start_ || discard_end - body_start_ < head_size) return;
    if (!truncated_) {
      std::string_view head =
          std::string_view(window_).substr(body_start_, options_.max_message_bytes);
      if (needs_unescape(head)) {
        append_unescaped(head_, head);
      } else {
        head_.assign(head);
      }
      head_raw_size_ = head.size();
      truncated_ = true;
      dropped_ += (discard_end - body_start_) - head.size();
    } else {
      dropped_ += discard_end - body_start_;
    }
    body_start_ = begin_ = discard_end;
    scan_ = std::max(scan_, discard_end);
  }

  void compact() {
    // Before the first From_ line only begin_ matters; after it, the message being read and the
    // two bytes before scan_ (the blank-line check looks back at them) stay.
    std::size_t keep_from = begin_;
    if (started_) keep_from = std::min({begin_, body_start_, scan_ >= 2 ? scan_ - 2 : 0});
    if (keep_from < (1u << 20) || keep_from < window_.size() / 2) return;
    window_.erase(0, keep_from);
    consumed_ += keep_from;
    begin_ -= keep_from;
    line_scan_ = line_scan_ >= keep_from ? line_scan_ - keep_from : 0;
    body_start_ = body_start_ >= keep_from ? body_start_ - keep_from : 0;
    scan_ = scan_ >= keep_from ? scan_ - keep_from : 0;
  }

  std::string name_;
  const Options& options_;
  const Visitor& visitor_;
  std::string window_;
  std::uint64_t consumed_ = 0;  // bytes erased from the front of window_
  std::size_t begin_ = 0, scan_ = 0, body_start_ = 0;
  std::size_t line_scan_ = 0;  // before the first From_ line: where to look for a line end
  std::uint64_t message_offset_ = 0;
  bool started_ = false;
  bool bom_checked_ = false;
  bool in_long_line_ = false;  // begin_ is inside a line already kept as preamble
  std::uint64_t fed_ = 0;      // bytes fed so far
  std::uint64_t emitted_ = 0;  // messages delivered so far
  std::string preamble_;       // text before the first From_ line, at most the message limit
  std::uint64_t preamble_size_ = 0;
  bool preamble_blank_ = true;  // the preamble is white space only (not worth a message)
  bool truncated_ = false;
  std::string head_;
  std::uint64_t dropped_ = 0;
  std::uint64_t head_raw_size_ = 0;
};

core::Error io_error(const std::string& what, const std::string& path) {
  return core::Error{core::ErrorCode::io, what + ": " + path + ": " + std::strerror(errno)};
}

// Streams an mbox through the splitter; `already_read` is what sniffing took from `in`.
void split_mbox(std::istream& in, std::string_view already_read, const std::string& name,
                const Options& options, const Visitor& visitor) {
  MboxSplitter splitter(name, options, visitor);
  splitter.feed(already_read);
  std::vector<char> buffer(chunk_size(options));
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
    splitter.feed(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
  }
  splitter.finish();
}

// The PST/OST walk's items as raw messages "name#folder/path/N"; folders of contacts and
// appointments as skipped.
outlook::PstSink pst_sink(const std::string& name, const Options& options, const Visitor& visitor) {
  return [&name, &options, &visitor](outlook::PstItem&& item) {
    std::string locator = item.location.empty() ? name : name + "#" + item.location;
    if (item.not_mail) {
      if (visitor.skipped) visitor.skipped({std::move(locator), SkipReason::not_mail});
      return;
    }
    RawMessage message;
    message.locator = std::move(locator);
    message.findings = std::move(item.findings);
    message.input_done.items = item.walked;
    if (item.mime.empty()) {
      message.format = Format::unreadable;
    } else {
      message.original_size = item.mime.size();
      message.truncated = item.mime.size() > options.max_message_bytes;
      if (message.truncated) item.mime.resize(options.max_message_bytes);
      message.bytes = std::move(item.mime);
    }
    deliver(visitor, std::move(message));
  };
}

}  // namespace

void read_stream(std::istream& in, const std::string& name, std::uint64_t size_hint,
                 const Options& options, const Visitor& visitor) {
  // Sniff without consuming: peek into a buffer, then hand the buffer and the rest on.
  std::string head(kSniffBytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  Kind kind = sniff(head);
  if (kind == Kind::mbox) {
    split_mbox(in, head, name, options, visitor);
    return;
  }
  // One message (or one Outlook .msg): the head we already read, then the rest.
  RawMessage message;
  message.locator = name;
  if (kind == Kind::outlook_msg) message.format = Format::outlook_msg;
  if (kind == Kind::tnef) message.format = Format::tnef;
  message.bytes = std::move(head);
  std::vector<char> buffer(1u << 20);
  std::uint64_t total = message.bytes.size();
  // A UTF-8 byte order mark (editors add it) is not part of the message.
  std::uint64_t bom = 0;
  if (message.bytes.starts_with(kBom)) {
    message.bytes.erase(0, kBom.size());
    bom = kBom.size();
  }
  if (size_hint > 0)
    message.bytes.reserve(std::min<std::uint64_t>(size_hint, options.max_message_bytes));
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
    auto got = static_cast<std::size_t>(in.gcount());
    total += got;
    std::size_t room = options.max_message_bytes > message.bytes.size()
                           ? options.max_message_bytes - message.bytes.size()
                           : 0;
    message.bytes.append(buffer.data(), std::min(room, got));
    if (got > room) {
      message.truncated = true;
      // A regular file's size is known: no need to read gigabytes only to count them.
      if (size_hint > 0) break;
    }
  }
  if (message.truncated && size_hint > total) total = size_hint;
  if (message.bytes.size() > options.max_message_bytes) {
    message.bytes.resize(options.max_message_bytes);
    message.truncated = true;
  }
  message.original_size = total - bom;
  message.input_done.bytes = total;
  if (kind == Kind::pst) {  // only from stdin: files are opened by path (read_file)
    outlook::read_pst_memory(message.bytes, options.limits, pst_sink(name, options, visitor));
    return;
  }
  if (kind == Kind::outlook_msg && !is_outlook_message(message.bytes)) {
    if (visitor.skipped) visitor.skipped({name, SkipReason::not_mail});
    return;
  }
  deliver(visitor, std::move(message));
}

namespace {

// Returns the file's size (0 when it cannot be opened): how far a folder walk is after it.
std::uint64_t read_file(const fs::path& path, const std::string& locator, const Options& options,
                        const Visitor& visitor) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    report_error(visitor, io_error("cannot open", locator));
    return 0;
  }
  std::error_code ec;
  const std::uint64_t size = fs::file_size(path, ec);
  // A PST/OST mailbox may be gigabytes: libpff reads it from disk, never whole into memory.
  std::string magic(4, '\0');
  in.read(magic.data(), static_cast<std::streamsize>(magic.size()));
  if (in.gcount() == 4 && outlook::is_pst(magic)) {
    in.close();
    outlook::read_pst_file(path.string(), options.limits, pst_sink(locator, options, visitor));
    return ec ? 0 : size;
  }
  in.clear();
  in.seekg(0);
  read_stream(in, locator, ec ? 0 : size, options, visitor);
  return ec ? 0 : size;
}

bool is_maildir(const fs::path& dir) {
  std::error_code ec;
  return fs::is_directory(dir / "cur", ec) && fs::is_directory(dir / "new", ec);
}

// One file of a folder walk: read when it looks like mail, else passed over. Returns its size
// (the stat read_file does anyway; one more only for a file that is not mail).
std::uint64_t read_folder_file(const fs::path& file, const Options& options,
                               const Visitor& visitor) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    report_error(visitor, io_error("cannot open", file.string()));
    return 0;
  }
  std::string head(kSniffBytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  if (sniff(head) == Kind::unknown) {
    if (visitor.skipped) visitor.skipped({file.string(), SkipReason::not_mail});
    std::error_code ec;
    const std::uint64_t size = fs::file_size(file, ec);
    return ec ? 0 : size;
  }
  return read_file(file, file.string(), options, visitor);
}

// The regular files a folder walk reads, sorted: Maildir cur/ and new/ or any tree, symlinks not
// followed, Maildir tmp/ left out.
std::vector<fs::path> list_folder(const fs::path& root, const Visitor& visitor) {
  std::vector<fs::path> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    report_error(visitor, core::Error{core::ErrorCode::io, "cannot read folder: " + root.string() +
                                                               ": " + ec.message()});
    return files;
  }
  const fs::recursive_directory_iterator end;
  int errors = 0;
  while (it != end) {
    const fs::directory_entry& entry = *it;
    std::error_code entry_ec;
    // Symlinks are not followed: no loops, no escaping the tree.
    if (!entry.is_symlink(entry_ec)) {
      if (entry.is_directory(entry_ec)) {
        // Maildir's tmp/ holds half-delivered mail.
        if (entry.path().filename() == "tmp" && is_maildir(entry.path().parent_path())) {
          it.disable_recursion_pending();
        }
      } else if (entry.is_regular_file(entry_ec)) {
        files.push_back(entry.path());
      }
    }
    it.increment(ec);
    if (ec) {
      report_error(visitor,
                   core::Error{core::ErrorCode::io, "cannot read folder entry: " + ec.message()});
      ec.clear();
      if (++errors > 1000) break;  // an iterator that keeps failing must not spin forever
    }
  }
  std::ranges::sort(files);
  return files;
}

void walk_directory(const fs::path& root, const Options& options, const Visitor& visitor) {
  // Messages say how far the walk is: the sizes of the files before theirs, plus their place in
  // it (a PST/OST inside a folder counts by its size once done, its items are not comparable).
  std::uint64_t before = 0;
  Visitor in_folder = visitor;
  in_folder.message = [&](RawMessage&& message) {
    message.input_done = Amount{before + message.input_done.bytes, 0, 0};
    deliver(visitor, std::move(message));
  };
  for (const auto& file : list_folder(root, visitor))
    before += read_folder_file(file, options, in_folder);
}

}  // namespace

std::string_view to_string(SkipReason reason) {
  switch (reason) {
    case SkipReason::not_mail:
      return "not-mail";
  }
  return "not-mail";
}

bool is_outlook_message(std::string_view bytes) {
  // Every Outlook message has a property stream; its UTF-16 name sits in the CFB directory.
  static const std::string kPropertyStreamUtf16 = [] {
    std::string utf16;
    for (const char c : std::string_view("__properties_version1.0")) utf16 += {c, '\0'};
    return utf16;
  }();
  return sniff(bytes.substr(0, kSniffBytes)) == Kind::outlook_msg &&
         core::find_bytes(bytes, kPropertyStreamUtf16) != std::string_view::npos;
}

Kind sniff(std::string_view head) {
  if (head.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) return Kind::outlook_msg;
  if (outlook::is_pst(head)) return Kind::pst;
  if (outlook::is_tnef(head)) return Kind::tnef;
  std::string_view text = head;
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());
  std::size_t eol = text.find('\n');
  std::string_view first = text.substr(0, eol);
  if (looks_like_first_from_line(first)) {
    return Kind::mbox;
  }
  // Blank lines before the headers: the parser repairs them, so a folder walk must not skip it.
  std::size_t blank = 0;
  while (blank < text.size() && (text[blank] == ' ' || text[blank] == '\t' || text[blank] == '\r' ||
                                 text[blank] == '\n')) {
    ++blank;
  }
  if (blank > 0 && blank < text.size()) {
    text.remove_prefix(blank);
    first = text.substr(0, text.find('\n'));
  }
  // A header line "Name: value" (Received, Return-Path, X-..., From:...) opens a mail; so does
  // the obsolete form with white space before the colon ("From : a@b").
  std::size_t colon = first.find(':');
  if (colon != std::string_view::npos && colon < 998) {  // RFC 5322 line length
    std::string_view name = first.substr(0, colon);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
    bool name_ok = !name.empty();
    for (char c : name) name_ok = name_ok && is_header_name_char(c);
    if (name_ok) return Kind::message;
  }
  return Kind::unknown;
}

void read_mbox(std::istream& in, const std::string& name, const Options& options,
               const Visitor& visitor) {
  split_mbox(in, {}, name, options, visitor);
}

std::optional<Amount> measure_input(const std::string& input) {
  if (input == "-") return std::nullopt;
  const fs::path path(input);
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) return Amount{};  // read_input reports it; nothing to read
  if (fs::is_directory(status)) {
    Amount folder;
    for (const auto& file : list_folder(path, Visitor{})) {
      const std::uint64_t size = fs::file_size(file, ec);
      folder.bytes += ec ? 0 : size;
    }
    return folder;
  }
  if (!fs::is_regular_file(status)) return std::nullopt;
  const std::uint64_t size = fs::file_size(path, ec);
  if (ec) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::string magic(4, '\0');
  in.read(magic.data(), static_cast<std::streamsize>(magic.size()));
  if (in.gcount() == 4 && outlook::is_pst(magic)) {
    const auto items = outlook::pst_item_count(input);
    return items ? Amount{0, *items, size} : Amount{};
  }
  return Amount{size, 0, 0};
}

void read_input(const std::string& input, const Options& options, const Visitor& visitor) {
  if (input == "-") {
    read_stream(std::cin, "-", 0, options, visitor);
    return;
  }
  fs::path path(input);
  std::error_code ec;
  auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    report_error(visitor,
                 core::Error{core::ErrorCode::not_found, "no such file or folder: " + input});
    return;
  }
  if (fs::is_directory(status)) {
    walk_directory(path, options, visitor);
    return;
  }
  read_file(path, input, options, visitor);
}

}  // namespace emotriage::ingest
