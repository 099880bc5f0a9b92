// Mail-server log lines (Postfix, Sendmail, Dovecot, Exim, Exchange and Microsoft 365 CSV): the
// first byte picks a header that puts the parser in one format, the rest are lines. Every line
// is classified, the report renders, and lines split ahead (as the reader threads do) give the
// same report as lines fed one by one.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "logs/logs.hpp"
#include "logs/parsers.hpp"

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
  constexpr std::int64_t kReference = 1'700'000'000;
  emotriage::logs::LogOptions options;
  options.reference_time = kReference;
  emotriage::logs::LogAnalyzer analyzer{options}, preparsed{options};
  analyzer.begin_file("fuzz", kReference);
  preparsed.begin_file("fuzz", kReference);
  emotriage::logs::SyslogSplitter splitter(emotriage::logs::local_wall(kReference));
  std::uint64_t fed = 0;
  const auto feed = [&](std::string_view line) {
    analyzer.feed_line(line);
    emotriage::logs::PreparsedLine ahead;
    ahead.text = emotriage::logs::bounded_line(line, ahead.overlong);
    emotriage::logs::preparse(ahead, splitter);
    preparsed.feed_preparsed(ahead);
    ++fed;
  };
  if (!header.empty()) feed(header);
  while (!text.empty() && fed < 20'000) {
    const std::size_t end = text.find('\n');
    feed(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  }
  const auto report = analyzer.finish();
  const auto& file = report.files.front();
  if (file.lines != fed || file.used + file.ignored + file.unknown != file.lines) __builtin_trap();
  const auto dump = [](const emotriage::logs::LogReport& r) {
    return emotriage::logs::report_to_json(r).dump(
        -1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  };
  if (dump(report) != dump(preparsed.finish())) __builtin_trap();
  (void)emotriage::logs::report_to_text(report, true);
  return 0;
}
