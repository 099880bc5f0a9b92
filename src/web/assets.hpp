// The page's HTML, CSS and JavaScript, compiled into the binary (cmake/embed_files.cmake): the
// server answers only from this table, never from the filesystem, so no path can escape it.
#pragma once
#include <span>
#include <string_view>

namespace emotriage::web {

struct Asset {
  std::string_view name;  // "index.html", "app.js"
  std::string_view body;
};

std::span<const Asset> embedded_assets();  // generated, sorted by name

// nullptr when `name` is not in the table.
const Asset* find_asset(std::string_view name);

// "text/html; charset=utf-8" for .html, etc.; application/octet-stream otherwise.
std::string_view content_type(std::string_view name);

}  // namespace emotriage::web
