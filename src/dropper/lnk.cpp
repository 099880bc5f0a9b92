// Windows shortcut analysis ([MS-SHLLINK]). The 2022 Emotet wave mailed .lnk files (bare or in a
// zip) whose arguments ran cmd/powershell to fetch the loader; the command was hidden from the
// Properties dialog by padding or by length, and the target size was often 0 (no real target).
#include <algorithm>
#include <array>

#include "core/text.hpp"
#include "dropper/byte_reader.hpp"
#include "dropper/dropper.hpp"
#include "dropper/sniff.hpp"
#include "mime/charset.hpp"

namespace emotriage::dropper {

namespace {

constexpr std::uint32_t kHeaderSize = 0x4C;
// {00021401-0000-0000-C000-000000000046} as stored.
constexpr std::string_view kLinkClsid{
    "\x01\x14\x02\x00\x00\x00\x00\x00\xC0\x00\x00\x00\x00\x00\x00\x46", 16};

enum LinkFlag : std::uint32_t {
  kHasLinkTargetIdList = 0x1,
  kHasLinkInfo = 0x2,
  kHasName = 0x4,
  kHasRelativePath = 0x8,
  kHasWorkingDir = 0x10,
  kHasArguments = 0x20,
  kHasIconLocation = 0x40,
  kIsUnicode = 0x80,
};

// Real target paths are well under 64 levels deep, and the spec defines 11 extra data block
// types that each occur once; more is a crafted file and only costs time.
constexpr std::size_t kMaxIdListItems = 64;
constexpr std::size_t kMaxExtraBlocks = 64;
// Environment, icon-environment and Darwin blocks: 260 ANSI bytes then 520 UTF-16 bytes.
constexpr std::uint32_t kPathBlockSize = 0x314;
constexpr std::uint32_t kEnvironmentBlock = 0xA0000001;
constexpr std::uint32_t kTrackerBlock = 0xA0000003;
constexpr std::uint32_t kDarwinBlock = 0xA0000006;
constexpr std::uint32_t kIconEnvironmentBlock = 0xA0000007;

// Windows shows at most 260 characters of the Target field in the Properties dialog, so longer
// arguments hide the rest of the command.
constexpr std::size_t kVisibleTargetChars = 260;
// A run of this much white space in arguments only serves to push the command out of view.
constexpr std::size_t kPaddingRun = 64;
// Bounds on what one shortcut adds to the report.
constexpr std::size_t kPropertyBytes = 2048;
constexpr std::size_t kEvidenceBytes = 300;
constexpr std::size_t kMaxUrls = 32;

std::string utf16le_to_utf8(std::string_view bytes) {
  std::string out;
  for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) {
    char32_t unit =
        static_cast<unsigned char>(bytes[i]) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    if (unit >= 0xD800 && unit < 0xDC00 && i + 3 < bytes.size()) {
      char32_t low = static_cast<unsigned char>(bytes[i + 2]) |
                     (static_cast<unsigned char>(bytes[i + 3]) << 8);
      if (low >= 0xDC00 && low < 0xE000) {
        unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
        i += 2;
      }
    }
    core::append_utf8(out, unit);
  }
  return out;
}

// ANSI strings use the code page of the machine that made the shortcut; for this tool's users
// that is CP932 (Shift_JIS with Microsoft extensions).
std::string ansi_to_utf8(std::string_view bytes) {
  if (core::is_ascii(bytes)) return std::string(bytes);
  return mime::decode_to_utf8(bytes, "cp932").text;
}

// A NUL-terminated string starting at `offset`, cut at the end of `bytes`.
std::string_view ansi_cstring(std::string_view bytes, std::size_t offset) {
  if (offset >= bytes.size()) return {};
  std::string_view rest = bytes.substr(offset);
  return rest.substr(0, rest.find('\0'));
}

std::string_view utf16_cstring(std::string_view bytes, std::size_t offset) {
  if (offset >= bytes.size()) return {};
  std::size_t end = offset;
  while (end + 1 < bytes.size() && (bytes[end] != '\0' || bytes[end + 1] != '\0')) end += 2;
  return bytes.substr(offset, end - offset);
}

// Long name of a file entry shell item: its 0xBEEF0004 extension block holds the UTF-16 name at
// an offset that depends on the block version (libfwsi's documentation of the format).
std::string extension_long_name(std::string_view item) {
  constexpr std::string_view kSignature{"\x04\x00\xEF\xBE", 4};
  std::size_t sig = core::find_bytes(item, kSignature, 4);
  if (sig == std::string_view::npos || sig < 4) return {};
  std::size_t block = sig - 4;
  auto size = read_u16(item, block);
  auto version = read_u16(item, block + 2);
  if (!size || !version) return {};
  auto block_bytes = slice(item, block, *size);
  if (!block_bytes) return {};
  std::size_t name_offset = 0;
  switch (*version) {
    case 3:
      name_offset = 0x14;
      break;
    case 7:
      name_offset = 0x26;
      break;
    case 8:
      name_offset = 0x2A;
      break;
    case 9:
      name_offset = 0x2E;
      break;
    default:
      return {};
  }
  return utf16le_to_utf8(utf16_cstring(*block_bytes, name_offset));
}

// LinkTargetIDList as a path: volume item ("C:\") then file entry items, best effort.
std::string idlist_to_path(std::string_view list, LnkInfo& info) {
  std::string path;
  std::size_t pos = 0;
  for (std::size_t count = 0;; ++count) {
    auto item_size = read_u16(list, pos);
    if (!item_size || *item_size == 0) break;
    if (count == kMaxIdListItems) {
      info.truncated = true;
      break;
    }
    auto item = slice(list, pos, *item_size);
    if (!item || *item_size < 3) {
      info.problems.emplace_back("shell item past the end of the id list");
      break;
    }
    pos += *item_size;
    unsigned char type = static_cast<unsigned char>((*item)[2]);
    if ((type & 0x70) == 0x20) {  // volume: "C:\" at offset 3
      path = ansi_to_utf8(ansi_cstring(*item, 3));
    } else if ((type & 0x70) == 0x30) {  // file entry
      std::string name = extension_long_name(*item);
      if (name.empty()) {
        name = (type & 0x04) ? utf16le_to_utf8(utf16_cstring(*item, 14))
                             : ansi_to_utf8(ansi_cstring(*item, 14));
      }
      if (name.empty()) continue;
      if (!path.empty() && !path.ends_with('\\')) path += '\\';
      path += name;
    }
  }
  return path;
}

void parse_link_info(std::string_view info_bytes, LnkInfo& info) {
  auto header_size = read_u32(info_bytes, 4);
  auto flags = read_u32(info_bytes, 8);
  auto local_offset = read_u32(info_bytes, 16);
  auto network_offset = read_u32(info_bytes, 20);
  auto suffix_offset = read_u32(info_bytes, 24);
  if (!header_size || !flags || !local_offset || !network_offset || !suffix_offset) {
    info.problems.emplace_back("LinkInfo header is cut");
    return;
  }
  bool unicode_offsets = *header_size >= 0x24;
  std::string suffix;
  if (auto unicode_suffix = unicode_offsets ? read_u32(info_bytes, 32) : std::nullopt;
      unicode_suffix && *unicode_suffix != 0) {
    suffix = utf16le_to_utf8(utf16_cstring(info_bytes, *unicode_suffix));
  } else {
    suffix = ansi_to_utf8(ansi_cstring(info_bytes, *suffix_offset));
  }
  std::string base;
  if (*flags & 0x1) {  // VolumeIDAndLocalBasePath
    if (auto unicode_base = unicode_offsets ? read_u32(info_bytes, 28) : std::nullopt;
        unicode_base && *unicode_base != 0) {
      base = utf16le_to_utf8(utf16_cstring(info_bytes, *unicode_base));
    } else {
      base = ansi_to_utf8(ansi_cstring(info_bytes, *local_offset));
    }
  } else if (*flags & 0x2) {  // CommonNetworkRelativeLinkAndPathSuffix
    std::string_view network =
        *network_offset < info_bytes.size() ? info_bytes.substr(*network_offset) : "";
    auto net_name_offset = read_u32(network, 8);
    if (!net_name_offset) {
      info.problems.emplace_back("CommonNetworkRelativeLink is cut");
    } else if (auto unicode_name = *net_name_offset > 0x14 ? read_u32(network, 0x14) : std::nullopt;
               unicode_name) {
      base = utf16le_to_utf8(utf16_cstring(network, *unicode_name));
    } else {
      base = ansi_to_utf8(ansi_cstring(network, *net_name_offset));
    }
    if (!base.empty() && !suffix.empty() && !base.ends_with('\\')) base += '\\';
  }
  info.local_base_path = base + suffix;
}

// One StringData entry: a character count then UTF-16LE or ANSI characters.
std::optional<std::string> read_counted_string(std::string_view bytes, std::size_t& pos,
                                               bool unicode) {
  auto count = read_u16(bytes, pos);
  if (!count) return std::nullopt;
  auto text = slice(bytes, pos + 2, static_cast<std::uint64_t>(*count) * (unicode ? 2 : 1));
  if (!text) return std::nullopt;
  pos += 2 + text->size();
  return unicode ? utf16le_to_utf8(*text) : ansi_to_utf8(*text);
}

// The Unicode half of a path block when set, else the ANSI half.
std::string path_block_text(std::string_view block) {
  std::string text = utf16le_to_utf8(utf16_cstring(block, 8 + 260));
  if (text.empty()) text = ansi_to_utf8(ansi_cstring(block.substr(0, 8 + 260), 8));
  return text;
}

std::string hex(std::uint32_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (int shift = 28; shift >= 0; shift -= 4) out += kDigits[(value >> shift) & 0xF];
  return out;
}

void parse_extra_data(std::string_view bytes, std::size_t pos, LnkInfo& info) {
  for (std::size_t count = 0;; ++count) {
    auto block_size = read_u32(bytes, pos);
    if (!block_size || *block_size < 4) return;  // TerminalBlock (or a file cut before it)
    if (count == kMaxExtraBlocks) {
      info.truncated = true;
      return;
    }
    auto block = slice(bytes, pos, *block_size);
    if (!block || *block_size < 8) {
      info.problems.emplace_back("extra data block past the end of the file");
      return;
    }
    pos += *block_size;
    std::uint32_t signature = *read_u32(*block, 4);
    if ((signature == kEnvironmentBlock || signature == kDarwinBlock ||
         signature == kIconEnvironmentBlock) &&
        *block_size < kPathBlockSize) {
      info.problems.emplace_back(concat("extra data block 0x", hex(signature), " is too short"));
      continue;
    }
    switch (signature) {
      case kEnvironmentBlock:
        info.environment_target = path_block_text(*block);
        break;
      case kDarwinBlock:
        info.darwin_id = path_block_text(*block);
        break;
      case kIconEnvironmentBlock:
        info.icon_environment = path_block_text(*block);
        break;
      case kTrackerBlock:
        if (block->size() >= 32)
          info.machine_id = ansi_to_utf8(ansi_cstring(block->substr(0, 32), 16));
        break;
      default:
        break;
    }
  }
}

std::size_t longest_blank_run(std::string_view arguments) {
  std::size_t longest = 0;
  std::size_t run = 0;
  for (char c : arguments) {
    run = (c == ' ' || c == '\t' || c == '\r' || c == '\n') ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(std::ranges::count_if(
      text, [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Programs whose appearance in a shortcut's command line means it runs or fetches code.
std::vector<std::string> command_keywords(const LnkInfo& info) {
  std::string command = core::ascii_lower(info.target + " " + info.arguments);
  auto has = [&](std::string_view needle) {
    return core::find_bytes(command, needle) != std::string_view::npos;
  };
  std::vector<std::string> found;
  if ((has("cmd") || has("%comspec%")) && (has("/c") || has("/k") || has("/r ")))
    found.emplace_back("cmd /c");
  for (std::string_view program :
       {"powershell", "pwsh", "mshta", "wscript", "cscript", "findstr", "set-content", "certutil",
        "bitsadmin", "rundll32", "regsvr32", "curl"}) {
    if (has(program)) found.emplace_back(program);
  }
  return found;
}

std::string shown(std::string_view text, std::size_t bytes) {
  std::string_view prefix = core::utf8_prefix(text, bytes);
  std::string out(prefix);
  // Line breaks in arguments would break the report's one-line evidence.
  std::ranges::replace(out, '\r', ' ');
  std::ranges::replace(out, '\n', ' ');
  if (prefix.size() < text.size()) out += "…";
  return out;
}

}  // namespace

std::optional<LnkInfo> parse_lnk(std::string_view bytes) {
  auto header_size = read_u32(bytes, 0);
  if (!header_size || *header_size != kHeaderSize || bytes.size() < kHeaderSize ||
      bytes.substr(4, 16) != kLinkClsid)
    return std::nullopt;
  LnkInfo info;
  info.link_flags = *read_u32(bytes, 20);
  info.file_attributes = *read_u32(bytes, 24);
  info.target_file_size = *read_u32(bytes, 52);
  info.show_command = *read_u32(bytes, 60);
  std::size_t pos = kHeaderSize;

  if (info.link_flags & kHasLinkTargetIdList) {
    auto list_size = read_u16(bytes, pos);
    auto list = list_size ? slice(bytes, pos + 2, *list_size) : std::nullopt;
    if (!list) {
      info.problems.emplace_back("LinkTargetIDList past the end of the file");
      info.truncated = true;
      return info;
    }
    info.idlist_path = idlist_to_path(*list, info);
    pos += 2 + list->size();
  }
  if (info.link_flags & kHasLinkInfo) {
    auto info_size = read_u32(bytes, pos);
    auto info_bytes = info_size ? slice(bytes, pos, *info_size) : std::nullopt;
    if (!info_bytes || *info_size < 0x1C) {
      info.problems.emplace_back("LinkInfo past the end of the file or too short");
      info.truncated = true;
      return info;
    }
    parse_link_info(*info_bytes, info);
    pos += info_bytes->size();
  }

  bool unicode = info.link_flags & kIsUnicode;
  const std::array<std::pair<LinkFlag, std::string*>, 5> strings{{
      {kHasName, &info.name},
      {kHasRelativePath, &info.relative_path},
      {kHasWorkingDir, &info.working_dir},
      {kHasArguments, &info.arguments},
      {kHasIconLocation, &info.icon_location},
  }};
  bool strings_complete = true;
  for (const auto& [flag, field] : strings) {
    if (!(info.link_flags & flag)) continue;
    auto text = read_counted_string(bytes, pos, unicode);
    if (!text) {
      info.problems.emplace_back("StringData past the end of the file");
      info.truncated = true;
      strings_complete = false;
      break;
    }
    *field = std::move(*text);
  }
  if (strings_complete) parse_extra_data(bytes, pos, info);

  if (!info.local_base_path.empty()) {
    info.target = info.local_base_path;
  } else if (!info.environment_target.empty()) {
    info.target = info.environment_target;
  } else {
    info.target = info.idlist_path;
  }
  return info;
}

void analyze_lnk(std::string_view bytes, core::Attachment& node,
                 std::vector<core::Finding>& findings,
                 const core::Limits& /*limits: a shortcut is read within its own bytes*/) {
  std::optional<LnkInfo> parsed = parse_lnk(bytes);
  if (!parsed) {
    findings.push_back(
        core::malformed_finding("ショートカット (LNK) の形式ではありません (ヘッダーが不正です)",
                                "not a valid Windows shortcut (bad header)", node.path, node.part));
    return;
  }
  const LnkInfo& info = *parsed;
  auto add = [&](std::string_view key, std::string_view value) {
    if (!value.empty()) node.properties.emplace_back(key, shown(value, kPropertyBytes));
  };
  add("lnk.target", info.target);
  add("lnk.arguments", info.arguments);
  add("lnk.working-dir", info.working_dir);
  add("lnk.icon", info.icon_location);
  node.properties.emplace_back("lnk.target-size", std::to_string(info.target_file_size));
  add("lnk.name", info.name);
  add("lnk.relative-path", info.relative_path);
  if (info.environment_target != info.target)
    add("lnk.environment-target", info.environment_target);
  add("lnk.icon-environment", info.icon_environment);
  add("lnk.darwin-id", info.darwin_id);
  add("lnk.machine-id", info.machine_id);
  if (info.truncated) node.truncated = true;

  if (!info.problems.empty()) {
    std::string detail;
    for (const std::string& problem : info.problems)
      detail += (detail.empty() ? "" : "; ") + problem;
    findings.push_back(core::malformed_finding("ショートカット (LNK) の構造が壊れています",
                                               "the shortcut (LNK) structure is broken",
                                               node.path + ": " + detail, node.part));
  }

  std::vector<std::string> reasons_ja, reasons_en;
  bool high = false;
  std::vector<std::string> keywords =
      info.arguments.empty() ? std::vector<std::string>{} : command_keywords(info);
  if (!keywords.empty()) {
    std::string list;
    for (const std::string& keyword : keywords) list += (list.empty() ? "" : ", ") + keyword;
    reasons_ja.push_back("引数でコマンドを実行します (" + list + ")");
    reasons_en.push_back("its arguments run commands (" + list + ")");
    high = true;
  }
  std::size_t longest_blank = longest_blank_run(info.arguments);
  if (longest_blank >= kPaddingRun) {
    reasons_ja.push_back(
        concat("引数に ", longest_blank,
               " 文字連続の空白・改行があり、プロパティ画面からコマンドを隠しています"));
    reasons_en.push_back(
        concat("its arguments hold a run of ", longest_blank,
               " blanks/newlines that hides the command in the Properties dialog"));
    high = true;
  }
  if (info.target_file_size == 0 && !info.arguments.empty()) {
    reasons_ja.push_back("リンク先のファイルサイズが 0 なのに引数があります");
    reasons_en.push_back("its target size is 0 although it has arguments");
    high = true;
  }
  std::size_t argument_chars = utf8_length(info.arguments);
  if (argument_chars > kVisibleTargetChars) {
    reasons_ja.push_back(
        concat("引数が ", argument_chars, " 文字と長く、プロパティ画面では全体が見えません"));
    reasons_en.push_back(concat("its arguments are ", argument_chars,
                                " characters long, more than the Properties dialog shows"));
  }

  for (std::string& url : find_urls(info.arguments, kMaxUrls)) {
    if (std::ranges::find(node.urls, url) == node.urls.end()) node.urls.push_back(std::move(url));
  }
  for (std::string& keyword : keywords) {
    if (std::ranges::find(node.keywords, keyword) == node.keywords.end())
      node.keywords.push_back(std::move(keyword));
  }

  std::string joined_ja, joined_en;
  for (const std::string& reason : reasons_ja) joined_ja += "。" + reason;
  for (const std::string& reason : reasons_en) joined_en += "; " + reason;
  std::string target = shown(info.target, 200);
  findings.push_back(core::Finding{
      "attachment.lnk", high ? core::Severity::high : core::Severity::medium,
      concat("ショートカット (LNK) ファイルが添付されています (リンク先: ",
             target.empty() ? "不明" : target, ")", joined_ja,
             "。2022年の Emotet は LNK から PowerShell などを起動して本体を取り込みました。"
             "開かないでください"),
      concat("a Windows shortcut (LNK) is attached (target: ", target.empty() ? "unknown" : target,
             ")", joined_en,
             "; the 2022 Emotet wave used shortcuts that started PowerShell to fetch the malware"),
      shown(concat(node.path, ": target=", info.target, " arguments=", info.arguments),
            kEvidenceBytes),
      node.part});
}

}  // namespace emotriage::dropper
