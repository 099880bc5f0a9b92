#include "core/finding.hpp"

#include "core/text.hpp"

namespace emotriage::core {

namespace {
constexpr std::size_t kEvidenceBytes = 200;
}

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::info:
      return "info";
    case Severity::low:
      return "low";
    case Severity::medium:
      return "medium";
    case Severity::high:
      return "high";
  }
  return "info";
}

Finding malformed_finding(std::string ja, std::string en, std::string_view evidence,
                          std::string part) {
  std::string repaired;
  repair_utf8(utf8_prefix(evidence, kEvidenceBytes), repaired);
  return Finding{std::string(kParseMalformed), Severity::low,  std::move(ja), std::move(en),
                 std::move(repaired),          std::move(part)};
}

Finding limit_finding(std::string_view limit_name, std::uint64_t limit_value, std::string part) {
  std::string value = std::to_string(limit_value);
  std::string name(limit_name);
  return Finding{
      std::string(kParseLimitExceeded),
      Severity::medium,
      "上限 " + name + " (" + value + ") に達したため、このメールの一部は解析されていません",
      "limit " + name + " (" + value + ") was reached; part of this message was not analysed",
      name + "=" + value,
      std::move(part)};
}

}  // namespace emotriage::core
