#include "ingest/source.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <vector>

#include "core/text.hpp"

namespace emotriage::ingest {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kSniffBytes = 4096;

bool is_header_name_char(char c) {
  return c > 32 && c < 127 && c != ':';
}

// "From sender date" as written by MTAs and mail clients: a date with a time in it. Checked so
// that a body line starting with "From " after a blank line does not split a message.
bool looks_like_from_line(std::string_view line) {
  if (!line.starts_with("From ")) return false;
  line = line.substr(0, 200);
  for (std::size_t i = 5; i + 4 < line.size(); ++i) {
    auto digit = [&](std::size_t k) { return line[k] >= '0' && line[k] <= '9'; };
    if (digit(i) && line[i + 1] == ':' && digit(i + 2) && digit(i + 3)) return true;
    if (i + 5 < line.size() && digit(i) && digit(i + 1) && line[i + 2] == ':' && digit(i + 3) &&
        digit(i + 4)) {
      return true;
    }
  }
  return false;
}

// The first From_ line of a file may be laxer ("From user@host" without a date, as some tools
// write); sniff() takes such a file for an mbox, so the splitter must accept it too.
bool looks_like_first_from_line(std::string_view line) {
  return looks_like_from_line(line) ||
         (line.starts_with("From ") && line.substr(0, 200).find('@') != std::string_view::npos);
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
    window_.append(chunk);
    scan();
  }

  void finish() {
    if (started_) emit(window_.size());
    started_ = false;
  }

 private:
  // Longest line looked at while searching for the first From_ line.
  static constexpr std::size_t kMaxFromLine = 64u << 10;

  // Finds message starts in window_[scan_..] and emits finished messages.
  void scan() {
    if (!bom_checked_) {
      // A UTF-8 byte order mark before the first From_ line (editors add it).
      if (window_.size() < 3 && std::string_view("\xEF\xBB\xBF").starts_with(window_)) return;
      if (window_.starts_with("\xEF\xBB\xBF")) begin_ = 3;
      bom_checked_ = true;
    }
    while (true) {
      if (!started_) {
        // Skip anything before the first From_ line (e.g. a stray blank line).
        std::size_t line_end = window_.find('\n', begin_);
        if (line_end == std::string::npos) {
          // No line end yet: a From_ line is short, so a long run is not one; drop it.
          if (window_.size() - begin_ > kMaxFromLine) begin_ = window_.size();
          compact();
          return;
        } else if (looks_like_first_from_line(
                       std::string_view(window_).substr(begin_, line_end - begin_))) {
          start_at(begin_);
        } else {
          begin_ = line_end + 1;
          continue;
        }
      }
      std::size_t found = window_.find("\nFrom ", scan_);
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
      // A separator is a From_ line after a blank line (or right after the previous separator).
      bool after_blank =
          found >= 1 && (window_[found - 1] == '\n' ||
                         (window_[found - 1] == '\r' && found >= 2 && window_[found - 2] == '\n'));
      if (after_blank && looks_like_from_line(line)) {
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
    if (truncated_) {
      message.bytes = std::move(head_);
      message.truncated = true;
      message.original_size = head_raw_size_ + dropped_ + body.size();
    } else {
      if (needs_unescape(body))
        append_unescaped(message.bytes, body);
      else
        message.bytes.assign(body);
      message.original_size = body.size();
      if (message.bytes.size() > options_.max_message_bytes) {
        message.bytes.resize(options_.max_message_bytes);
        message.truncated = true;
      }
    }
    begin_ = body_start_ = end;
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
    // Keep a short tail: a "\r\n\r\nFrom " may straddle the next chunk. Since held exceeds
    // the limit by more than this tail, the head never overlaps it.
    constexpr std::size_t kKeepTail = 8;
    const std::size_t discard_end = window_.size() - kKeepTail;
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
    body_start_ = body_start_ >= keep_from ? body_start_ - keep_from : 0;
    scan_ = scan_ >= keep_from ? scan_ - keep_from : 0;
  }

  std::string name_;
  const Options& options_;
  const Visitor& visitor_;
  std::string window_;
  std::uint64_t consumed_ = 0;  // bytes erased from the front of window_
  std::size_t begin_ = 0, scan_ = 0, body_start_ = 0;
  std::uint64_t message_offset_ = 0;
  bool started_ = false;
  bool bom_checked_ = false;
  bool truncated_ = false;
  std::string head_;
  std::uint64_t dropped_ = 0;
  std::uint64_t head_raw_size_ = 0;
};

core::Error io_error(const std::string& what, const std::string& path) {
  return core::Error{core::ErrorCode::io, what + ": " + path + ": " + std::strerror(errno)};
}

void read_stream(std::istream& in, const std::string& name, std::uint64_t size_hint,
                 const Options& options, const Visitor& visitor) {
  // Sniff without consuming: peek into a buffer, then hand the buffer and the rest on.
  std::string head(kSniffBytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  Kind kind = sniff(head);
  if (kind == Kind::mbox) {
    MboxSplitter splitter(name, options, visitor);
    splitter.feed(head);
    std::vector<char> buffer(chunk_size(options));
    while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
      splitter.feed(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
    }
    splitter.finish();
    return;
  }
  if (kind == Kind::outlook_msg) {
    if (visitor.skipped) visitor.skipped({name, "Outlook .msg (OLE2) files are not read yet"});
    return;
  }
  // One message: the head we already read, then the rest.
  RawMessage message;
  message.locator = name;
  message.bytes = std::move(head);
  std::vector<char> buffer(1u << 20);
  std::uint64_t total = message.bytes.size();
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
  message.original_size = total;
  deliver(visitor, std::move(message));
}

void read_file(const fs::path& path, const std::string& locator, const Options& options,
               const Visitor& visitor) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    report_error(visitor, io_error("cannot open", locator));
    return;
  }
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  read_stream(in, locator, ec ? 0 : size, options, visitor);
}

bool is_maildir(const fs::path& dir) {
  std::error_code ec;
  return fs::is_directory(dir / "cur", ec) && fs::is_directory(dir / "new", ec);
}

void walk_directory(const fs::path& root, const Options& options, const Visitor& visitor) {
  std::vector<fs::path> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    report_error(visitor, core::Error{core::ErrorCode::io, "cannot read folder: " + root.string() +
                                                               ": " + ec.message()});
    return;
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
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      report_error(visitor, io_error("cannot open", file.string()));
      continue;
    }
    std::string head(kSniffBytes, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    Kind kind = sniff(head);
    if (kind == Kind::unknown) {
      if (visitor.skipped) visitor.skipped({file.string(), "not a mail file"});
      continue;
    }
    read_file(file, file.string(), options, visitor);
  }
}

}  // namespace

Kind sniff(std::string_view head) {
  if (head.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) return Kind::outlook_msg;
  std::string_view text = head;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::size_t eol = text.find('\n');
  std::string_view first = text.substr(0, eol);
  if (looks_like_first_from_line(first)) {
    return Kind::mbox;
  }
  // A header line "Name: value" (Received, Return-Path, X-..., From:...) opens a mail.
  std::size_t colon = first.find(':');
  if (colon != std::string_view::npos && colon > 0 && colon < 80) {
    bool name_ok = true;
    for (char c : first.substr(0, colon)) name_ok = name_ok && is_header_name_char(c);
    if (name_ok) return Kind::message;
  }
  return Kind::unknown;
}

void read_mbox(std::istream& in, const std::string& name, const Options& options,
               const Visitor& visitor) {
  MboxSplitter splitter(name, options, visitor);
  std::vector<char> buffer(chunk_size(options));
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
    splitter.feed(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
  }
  splitter.finish();
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
