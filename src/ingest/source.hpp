// Step 1: obtain the mail. Turns inputs (a file, an mbox, a Maildir, a folder tree, stdin) into
// raw messages with a stable locator. Reads only; never executes, renders or writes anything.
// An mbox is streamed through a bounded window, never held whole.
#pragma once
#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>

#include <vector>

#include "core/error.hpp"
#include "core/finding.hpp"
#include "core/limits.hpp"

namespace emotriage::ingest {

// How the bytes of a raw message are encoded: RFC 822/MIME text, an Outlook .msg compound file
// that outlook::msg_to_mime turns into MIME first, or a TNEF stream (winmail.dat saved on its
// own: the body and files of a mail without its headers). `unreadable`: a mailbox file (PST/OST)
// could not give this message; there are no bytes and `findings` say why.
enum class Format { rfc822, outlook_msg, tnef, unreadable };

// How much input there is (measure_input) or how much is behind a message (RawMessage::input_done):
// bytes of regular files (a folder: of the files its walk reads), items of a PST/OST mailbox
// given as a file (read_pst walks them one by one; their bytes say nothing about the order).
struct Amount {
  std::uint64_t bytes = 0;
  std::uint64_t items = 0;
  // In a total: the sizes of the PST/OST files the items are in, to weigh items against bytes.
  std::uint64_t item_file_bytes = 0;

  Amount& operator+=(const Amount& other) {
    bytes += other.bytes;
    items += other.items;
    item_file_bytes += other.item_file_bytes;
    return *this;
  }
};

struct RawMessage {
  std::string locator;  // "a.eml", "box.mbox#1234" (byte offset of the From_ line), "Md/cur/x",
                        // "box.pst#Top of Personal Folders/Inbox/3" (folder path, 1-based place)
  std::string bytes;    // at most Options::max_message_bytes
  Format format = Format::rfc822;
  std::uint64_t original_size = 0;
  bool truncated = false;  // bytes were cut at max_message_bytes
  // Found while taking the message out of its container (a PST message rebuilt as MIME: cuts,
  // damage); the parsed message carries them.
  std::vector<core::Finding> findings;
  // How much of its input is read up to the end of this message, in measure_input's units: the
  // offset after it in an mbox, the file's size for a single message, a folder's files before
  // it plus that, the items walked in a PST/OST.
  Amount input_done;
};

struct Options {
  std::uint64_t max_message_bytes = 160ull << 20;
  std::size_t read_chunk = 4u << 20;
  // Bounds for the messages a PST/OST mailbox yields, rebuilt as MIME while reading.
  core::Limits limits;
};

// What a folder walk passed over and why. A compound file that is not an Outlook message (a .doc,
// an .xls) is not mail either.
enum class SkipReason { not_mail };

struct Skipped {
  std::string locator;
  SkipReason reason = SkipReason::not_mail;
};

// Stable machine name of a reason ("not-mail"), for JSON.
std::string_view to_string(SkipReason reason);

struct Visitor {
  std::function<void(RawMessage&&)> message;
  std::function<void(core::Error)> error;  // an input (or a file in a folder) could not be read
  std::function<void(Skipped)> skipped;
};

// Reads one input: "-" is stdin, a folder is walked (Maildir cur/ and new/ or any tree, in
// sorted order, symlinks not followed), a file is sniffed by content (mbox, PST/OST mailbox —
// every folder walked, each message rebuilt as MIME —, or one message; a leading UTF-8 BOM is not
// part of a message).
void read_input(const std::string& input, const Options& options, const Visitor& visitor);

// How much read_input will read, known cheaply before it does: the size of a file; the sizes of
// the files a folder walk reads (one stat each, no content read); the item count of a PST/OST
// file (its folders only, outlook::pst_item_count; nothing when libpff cannot open it). nullopt
// for stdin and anything that is neither a regular file nor a folder (a pipe).
std::optional<Amount> measure_input(const std::string& input);

// Reads one input from a stream (an upload held in memory, stdin): sniffed like a file — mbox,
// PST/OST, Outlook .msg or one message. `size_hint` (0: unknown) only sizes the buffer.
void read_stream(std::istream& in, const std::string& name, std::uint64_t size_hint,
                 const Options& options, const Visitor& visitor);

// Splits an mbox stream into messages (mboxo / mboxrd: ">From " lines are unescaped). Exposed
// for tests and fuzzing. `name` prefixes the locators. Nothing vanishes: non-blank text before
// the first From_ line is a message of its own ("name#0"), and a stream without any From_ line
// is delivered whole as one message ("name#0"); a UTF-8 BOM at a message start is dropped.
void read_mbox(std::istream& in, const std::string& name, const Options& options,
               const Visitor& visitor);

// What the first bytes of a file look like.
enum class Kind { mbox, message, outlook_msg, pst, tnef, unknown };
Kind sniff(std::string_view head);

// True when `bytes` (a whole file) is an Outlook message: a compound file holding the property
// stream every .msg has (other compound files — Word, Excel — do not).
bool is_outlook_message(std::string_view bytes);

}  // namespace emotriage::ingest
