// Mail-server log lines (Postfix, Sendmail, Dovecot, Exim, Exchange and Microsoft 365 CSV): the
// first byte picks a header that puts the parser in one format, the rest are lines. Every line
// is classified, and the report renders.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "logs/logs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static constexpr std::string_view kHeaders[] = {
      "",
      "#Fields: date-time,client-ip,source,event-id,message-id,recipient-address,recipient-status,"
      "recipient-count,sender-address,original-client-ip,directionality",
      "\"Received\",\"SenderAddress\",\"RecipientAddress\",\"Status\",\"FromIP\",\"MessageId\"",
      "origin_timestamp_utc,sender_address,recipient_status,message_id,original_client_ip,"
      "directionality",
  };
  const std::string_view header = kHeaders[data[0] % std::size(kHeaders)];
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  emotriage::logs::LogAnalyzer analyzer{emotriage::logs::LogOptions{}};
  analyzer.begin_file("fuzz", 1'700'000'000);
  std::uint64_t fed = 0;
  if (!header.empty()) {
    analyzer.feed_line(header);
    ++fed;
  }
  while (!text.empty() && fed < 20'000) {
    const std::size_t end = text.find('\n');
    analyzer.feed_line(text.substr(0, end));
    ++fed;
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  }
  const auto report = analyzer.finish();
  const auto& file = report.files.front();
  if (file.lines != fed || file.used + file.ignored + file.unknown != file.lines) __builtin_trap();
  (void)emotriage::logs::report_to_json(report).dump(
      -1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  (void)emotriage::logs::report_to_text(report, true);
  return 0;
}
