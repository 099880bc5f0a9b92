// LogAnalyzer: recognises each file's format and hands every line to its parser.
#include <optional>

#include "core/text.hpp"
#include "logs/logs.hpp"
#include "logs/parsers.hpp"

namespace emotriage::logs {

namespace {

// Real log lines stay below 4 KiB (amavis lines with long subjects and test lists ~3 KiB);
// longer ones are cut and counted.
constexpr std::size_t kMaxLineBytes = 64u << 10;
constexpr std::size_t kMaxUnknownSamples = 3;
constexpr std::size_t kSampleBytes = 200;

bool one_of(std::string_view value, std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    if (value == name) return true;
  }
  return false;
}

}  // namespace

struct LogAnalyzer::State {
  explicit State(const LogOptions& given) : options(given) {}
  enum class Kind { detect, lines, csv };

  LogOptions options;
  Aggregator aggregator{options};
  PostfixParser postfix{aggregator};
  SendmailParser sendmail{aggregator};
  EximParser exim{aggregator};
  std::optional<CsvParser> csv;
  std::vector<FileSummary> files;
  Kind kind = Kind::detect;
  SyslogSplitter splitter{0};
  std::uint64_t lines = 0;

  // `preparsed`: the line already split by a reader thread (nullptr: split it here).
  LineResult classify(std::string_view line, FileSummary& file, const PreparsedLine* preparsed);
  void feed(std::string_view line, bool overlong, const PreparsedLine* preparsed);
};

LineResult LogAnalyzer::State::classify(std::string_view line, FileSummary& file,
                                        const PreparsedLine* preparsed) {
  if (line.starts_with('#')) return LineResult::ignored;
  if (line.size() > 19 && line[10] == ' ' && line[0] >= '0' && line[0] <= '9') {
    if (file.format.empty()) file.format = "exim";
    return exim.parse_mainlog(line);
  }
  SyslogLine split;
  if (preparsed == nullptr ? !splitter.split(line, split) : !preparsed->syslog) {
    return LineResult::unknown;
  }
  const SyslogLine& parsed = preparsed == nullptr ? split : preparsed->parsed;
  if (file.format.empty()) file.format = "syslog";
  const std::string_view program = parsed.program;
  if (program.starts_with("postfix")) {
    return preparsed != nullptr && preparsed->postfix
               ? postfix.apply(parsed, preparsed->postfix_fields)
               : postfix.parse(parsed);
  }
  // Sendmail logs under its process title: sm-mta, sm-msp-queue, sm-acceptingconnections.
  if (program == "sendmail" || program.starts_with("sm-")) return sendmail.parse(parsed);
  if (program == "dovecot" || program.ends_with("-login")) {
    return parse_dovecot(parsed, aggregator);
  }
  if (program == "exim" || program == "exim4")
    return exim.parse_message(parsed.time, parsed.message);
  // Mail-system neighbours with nothing to count per account.
  if (one_of(program, {"amavis", "amavisd", "amavisd-new", "opendkim", "opendmarc", "spamd",
                       "clamd", "postgrey", "policyd-spf", "saslauthd", "rspamd", "cbpolicyd"})) {
    return LineResult::ignored;
  }
  return LineResult::unknown;
}

LogAnalyzer::LogAnalyzer(const LogOptions& options) : state_(std::make_unique<State>(options)) {}
LogAnalyzer::~LogAnalyzer() = default;

void LogAnalyzer::begin_file(std::string path, std::int64_t reference_time) {
  State& s = *state_;
  FileSummary& file = s.files.emplace_back();
  file.path = std::move(path);
  s.kind = State::Kind::detect;
  s.csv.reset();
  s.splitter = SyslogSplitter(local_wall(reference_time));
}

std::string_view bounded_line(std::string_view line, bool& overlong) {
  overlong = line.size() > kMaxLineBytes;
  if (overlong) line = line.substr(0, kMaxLineBytes);
  if (line.ends_with('\r')) line.remove_suffix(1);
  return line;
}

void preparse(PreparsedLine& line, SyslogSplitter& splitter) {
  line.syslog = splitter.split(line.text, line.parsed);
  line.postfix = line.syslog && line.parsed.program.starts_with("postfix");
  if (line.postfix) line.postfix_fields = extract_postfix(line.parsed);
}

void LogAnalyzer::feed_line(std::string_view line) {
  State& s = *state_;
  if (s.files.empty()) begin_file("-", s.options.reference_time.value_or(0));
  bool overlong = false;
  line = bounded_line(line, overlong);
  s.feed(line, overlong, nullptr);
}

void LogAnalyzer::feed_preparsed(const PreparsedLine& line) {
  state_->feed(line.text, line.overlong, &line);
}

void LogAnalyzer::State::feed(std::string_view line, bool overlong,
                              const PreparsedLine* preparsed) {
  State& s = *this;
  FileSummary& file = s.files.back();
  ++file.lines;
  ++s.lines;
  if (overlong) ++file.overlong;
  LineResult result = LineResult::ignored;
  if (core::trim(line).empty()) {
    result = LineResult::ignored;
  } else if (s.kind == State::Kind::csv) {
    result = s.csv->row(line);
  } else {
    std::string_view head = line;
    if (s.kind == State::Kind::detect && head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
    // PowerShell 5.1's Export-Csv writes "#TYPE <.NET type>" above the header.
    if (s.kind == State::Kind::detect && head.starts_with("#TYPE ")) {
      result = LineResult::ignored;
    } else if (s.kind == State::Kind::detect) {
      s.kind = State::Kind::lines;
      const bool w3c = head.starts_with("#Software: Microsoft Exchange") ||
                       head.starts_with("#Fields:") || head.starts_with("#Version:") ||
                       head.starts_with("#Log-type:") || head.starts_with("#Date:");
      s.csv.emplace(s.aggregator);
      if (w3c || s.csv->header(head)) {
        s.kind = State::Kind::csv;
        if (head.starts_with("#Fields:")) s.csv->header(head);
        file.format = w3c || s.csv->exchange() ? "exchange-tracking" : "m365-trace";
      }
      result = s.kind == State::Kind::csv ? LineResult::ignored : s.classify(line, file, preparsed);
    } else {
      result = s.classify(line, file, preparsed);
    }
  }
  switch (result) {
    case LineResult::used:
      ++file.used;
      break;
    case LineResult::ignored:
      ++file.ignored;
      break;
    case LineResult::unknown:
      ++file.unknown;
      if (file.unknown_samples.size() < kMaxUnknownSamples) {
        file.unknown_samples.emplace_back(core::utf8_prefix(line, kSampleBytes));
      }
      break;
  }
}

LogReport LogAnalyzer::finish() {
  State& s = *state_;
  return s.aggregator.finish(std::move(s.files), s.lines, s.postfix.evicted());
}

}  // namespace emotriage::logs
