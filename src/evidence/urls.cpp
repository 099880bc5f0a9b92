#include "evidence/urls.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>

#include "core/text.hpp"
#include "evidence/evidence.hpp"
#include "evidence/text.hpp"

namespace emotriage::evidence {
namespace {

constexpr std::array<std::string_view, 6> kSchemes{"https://", "http://", "hxxps://",
                                                   "hxxp://",  "ftp://",  "www."};

bool is_url_char(char c) {
  return c > 0x20 && c < 0x7f && std::string_view("<>\"'`{}|\\^").find(c) == std::string_view::npos;
}

std::string_view trim_url_tail(std::string_view url) {
  for (;;) {
    if (url.empty()) return url;
    char last = url.back();
    bool unbalanced_close =
        (last == ')' && std::ranges::count(url, '(') < std::ranges::count(url, ')')) ||
        (last == ']' && std::ranges::count(url, '[') < std::ranges::count(url, ']'));
    if (std::string_view(".,;:!?*").find(last) != std::string_view::npos || unbalanced_close) {
      url.remove_suffix(1);
    } else {
      return url;
    }
  }
}

}  // namespace

std::vector<std::string> extract_urls(std::string_view text) {
  text = text.substr(0, std::min(text.size(), kMaxScanBytes));
  std::string lower = core::ascii_lower(text);
  std::vector<std::string> urls;
  auto find_scheme = [&](std::string_view scheme, std::size_t from) {
    std::size_t found = core::find_bytes(lower, scheme, from);
    // "www." only at a word start; "awww.example" is not a host.
    while (scheme == "www." && found != std::string::npos && found > 0 &&
           is_url_char(lower[found - 1]) && lower[found - 1] != '(' && lower[found - 1] != '[') {
      found = core::find_bytes(lower, scheme, found + 1);
    }
    return found;
  };
  // Next occurrence of each scheme, refreshed only when passed: one pass over the text however
  // many URLs it holds.
  std::array<std::size_t, kSchemes.size()> next{};
  for (std::size_t i = 0; i < kSchemes.size(); ++i) next[i] = find_scheme(kSchemes[i], 0);
  std::size_t pos = 0;
  while (pos < lower.size() && urls.size() < kMaxUrls) {
    std::size_t best = std::string::npos;
    for (std::size_t i = 0; i < kSchemes.size(); ++i) {
      if (next[i] != std::string::npos && next[i] < pos) next[i] = find_scheme(kSchemes[i], pos);
      best = std::min(best, next[i]);
    }
    if (best == std::string::npos) break;
    std::size_t end = best;
    while (end < text.size() && is_url_char(text[end])) ++end;
    std::string_view url = trim_url_tail(text.substr(best, end - best));
    pos = std::max(end, best + 1);
    // "http://" alone or "www." alone is no URL.
    std::size_t scheme_end = url.find("://");
    std::size_t host_start = scheme_end == std::string_view::npos ? 4 : scheme_end + 3;
    if (url.size() <= host_start || url.size() > kMaxUrlBytes) continue;
    if (std::ranges::find(urls, url) == urls.end()) urls.emplace_back(url);
  }
  return urls;
}

namespace {

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace

UrlParts split_url(std::string_view url) {
  UrlParts parts;
  std::size_t scheme_end = url.find("://");
  std::string_view rest = url;
  if (scheme_end != std::string_view::npos) {
    parts.scheme = core::ascii_lower(url.substr(0, scheme_end));
    rest = url.substr(scheme_end + 3);
  } else {
    parts.scheme = "http";
  }
  std::size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view tail =
      authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  if (std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  if (authority.starts_with('[')) {
    std::size_t close = authority.find(']');
    authority =
        authority.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1);
  } else if (std::size_t colon = authority.find(':'); colon != std::string_view::npos) {
    authority = authority.substr(0, colon);
  }
  std::string host = core::ascii_lower(authority);
  while (host.ends_with('.')) host.pop_back();  // "example.com." is the same host
  parts.host = std::move(host);
  std::size_t fragment = tail.find('#');
  tail = tail.substr(0, fragment);
  std::size_t query = tail.find('?');
  parts.path = percent_decode(tail.substr(0, query));
  if (query != std::string_view::npos) parts.query = std::string(tail.substr(query + 1));
  return parts;
}

namespace {

// Archives, documents, disk images, shortcuts, executables and scripts that Emotet and other
// malspam delivered by link (reference 1.1 and E25; rspamd's bad-extension list for iso/vhd).
// A PDF is weaker evidence (invoices are PDFs) and is reported with a lower severity.
constexpr std::array<std::string_view, 38> kDownloadExtensions{
    ".zip",  ".7z",   ".rar",  ".gz",  ".tgz",  ".cab", ".iso",  ".img",  ".vhd",  ".vhdx",
    ".doc",  ".docm", ".docx", ".dot", ".dotm", ".xls", ".xlsm", ".xlsb", ".xlsx", ".xlt",
    ".xltm", ".one",  ".lnk",  ".exe", ".dll",  ".scr", ".msi",  ".jar",  ".js",   ".jse",
    ".vbs",  ".vbe",  ".hta",  ".wsf", ".bat",  ".cmd", ".ps1",  ".pdf",
};

// File-sharing and storage hosts used to hand out malware downloads. Matched as the host or a
// subdomain of it.
constexpr std::array<std::string_view, 24> kSharingHosts{
    "drive.google.com",
    "drive.usercontent.google.com",
    "onedrive.live.com",
    "1drv.ms",
    "sharepoint.com",
    "dropbox.com",
    "dropboxusercontent.com",
    "box.com",
    "firebasestorage.googleapis.com",
    "storage.googleapis.com",
    "mega.nz",
    "mega.co.nz",
    "transfer.sh",
    "wetransfer.com",
    "we.tl",
    "gigafile.nu",
    "firestorage.jp",
    "mediafire.com",
    "sendspace.com",
    "cdn.discordapp.com",
    "4shared.com",
    "filemail.com",
    "ufile.io",
    "anonfiles.com",
};

bool host_is_or_under(std::string_view host, std::string_view domain) {
  return host == domain || (host.size() > domain.size() && host.ends_with(domain) &&
                            host[host.size() - domain.size() - 1] == '.');
}

bool is_ip_literal(const std::string& host) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, host.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

}  // namespace

std::string download_reason(std::string_view url) {
  UrlParts parts = split_url(url);
  if (parts.host.empty()) return {};
  std::string path = core::ascii_lower(parts.path);
  std::size_t slash = path.rfind('/');
  std::string_view name = slash == std::string::npos ? path : std::string_view(path).substr(slash);
  for (std::string_view extension : kDownloadExtensions) {
    if (name.ends_with(extension)) return "extension " + std::string(extension);
  }
  if (host_is_or_under(parts.host, "docs.google.com") &&
      (path.find("/export") != std::string::npos ||
       parts.query.find("export=") != std::string::npos)) {
    return "file-sharing host docs.google.com (export)";
  }
  for (std::string_view sharing : kSharingHosts) {
    if (host_is_or_under(parts.host, sharing)) {
      return "file-sharing host " + std::string(sharing);
    }
  }
  if (is_ip_literal(parts.host)) return "IP address host";
  return {};
}

bool is_weak_download_reason(std::string_view reason) {
  return reason == "extension .pdf";
}

bool is_download_link(std::string_view url) {
  return !download_reason(url).empty();
}

}  // namespace emotriage::evidence
