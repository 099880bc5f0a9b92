#pragma once
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "core/attachment.hpp"
#include "core/finding.hpp"

namespace emotriage::inspect::testing {

inline const core::Finding* find_finding(const std::vector<core::Finding>& findings,
                                         std::string_view id) {
  auto found = std::find_if(findings.begin(), findings.end(),
                            [&](const core::Finding& f) { return f.id == id; });
  return found == findings.end() ? nullptr : &*found;
}

inline std::size_t count_findings(const std::vector<core::Finding>& findings, std::string_view id) {
  return static_cast<std::size_t>(std::count_if(
      findings.begin(), findings.end(), [&](const core::Finding& f) { return f.id == id; }));
}

inline const core::Finding* find_limit(const std::vector<core::Finding>& findings,
                                       std::string_view limit_name) {
  auto found = std::find_if(findings.begin(), findings.end(), [&](const core::Finding& f) {
    return f.id == core::kParseLimitExceeded &&
           f.evidence.starts_with(std::string(limit_name) + "=");
  });
  return found == findings.end() ? nullptr : &*found;
}

inline std::string property(const core::Attachment& node, std::string_view name) {
  for (const auto& [key, value] : node.properties) {
    if (key == name) return value;
  }
  return {};
}

}  // namespace emotriage::inspect::testing
