#include "web/assets.hpp"

#include <algorithm>

namespace emotriage::web {

const Asset* find_asset(std::string_view name) {
  auto assets = embedded_assets();
  auto it = std::ranges::find(assets, name, &Asset::name);
  return it == assets.end() ? nullptr : &*it;
}

std::string_view content_type(std::string_view name) {
  if (name.ends_with(".html")) return "text/html; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  if (name.ends_with(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

}  // namespace emotriage::web
