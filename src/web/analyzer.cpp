#include "web/analyzer.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <span>
#include <spanstream>

#include "app/pipeline.hpp"
#include "ingest/source.hpp"
#include "report/analysis_report.hpp"
#include "report/campaign.hpp"

namespace emotriage::web {

namespace {

// An anonymous in-memory file holding `bytes` (the log reader opens paths; gzip included).
class MemoryFile {
 public:
  explicit MemoryFile(std::string_view bytes)
      : descriptor_(memfd_create("emotriage-log", MFD_CLOEXEC)) {
    for (std::size_t done = 0; descriptor_ >= 0 && done < bytes.size();) {
      const ssize_t wrote = write(descriptor_, bytes.data() + done, bytes.size() - done);
      if (wrote < 0 && errno == EINTR) continue;
      if (wrote <= 0) {
        error_ = std::strerror(errno);
        return;
      }
      done += static_cast<std::size_t>(wrote);
    }
    if (descriptor_ < 0) error_ = std::strerror(errno);
  }
  ~MemoryFile() {
    if (descriptor_ >= 0) close(descriptor_);
  }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  const std::string& error() const { return error_; }
  std::string path() const { return "/proc/self/fd/" + std::to_string(descriptor_); }

 private:
  int descriptor_;
  std::string error_;
};

std::atomic<std::uint64_t> next_analyzer_id{1};

}  // namespace

Analyzer::Analyzer(AnalyzerSetup setup)
    : Analyzer(std::move(setup.profile),
               std::make_shared<const Shared>(
                   Shared{std::move(setup.yara), std::move(setup.contacts), setup.limits})) {}

Analyzer::Analyzer(profile::Profile profile, std::shared_ptr<const Shared> shared)
    : matcher_(std::move(profile)), shared_(std::move(shared)), id_(next_analyzer_id++) {
  context_.matcher = &matcher_;
  context_.yara = shared_->yara ? &*shared_->yara : nullptr;
}

std::unique_ptr<Analyzer> Analyzer::with_profile(profile::Profile profile) const {
  return std::unique_ptr<Analyzer>(new Analyzer(std::move(profile), shared_));
}

nlohmann::ordered_json Analyzer::analyze(const std::vector<Upload>& uploads, report::Lang lang,
                                         const AnalyzeHooks& hooks) const {
  auto each_upload = [&](const std::function<void(const Upload&)>& visit) {
    for (const auto& upload : uploads) visit(upload);
  };
  return run(each_upload, lang, hooks, true);
}

nlohmann::ordered_json Analyzer::campaign(const UploadSource& source,
                                          const AnalyzeHooks& hooks) const {
  return run(source, report::Lang::en, hooks, false)["campaign"];
}

nlohmann::ordered_json Analyzer::run(const UploadSource& source, report::Lang lang,
                                     const AnalyzeHooks& hooks, bool keep_messages) const {
  const core::Limits& limits = shared_->limits;
  report::Campaign campaign(&matcher_.profile(), shared_->contacts ? &*shared_->contacts : nullptr);
  auto messages = nlohmann::ordered_json::array();
  auto errors = nlohmann::ordered_json::array();
  auto skipped = nlohmann::ordered_json::array();
  // A mail and, after it, the mails attached to it, each a report of its own (as `analyze`).
  std::function<void(const verdict::Analysis&)> add = [&](const verdict::Analysis& analysis) {
    campaign.add(analysis);
    if (keep_messages) messages.push_back(report::analysis_to_json(analysis, lang));
    for (const auto& inner : analysis.attached) add(inner);
  };
  ingest::Options options;
  options.max_message_bytes = limits.message_bytes;
  options.limits = limits;
  const ingest::Visitor visitor{
      .message =
          [&](ingest::RawMessage&& raw) {
            verdict::Analysis analysis = app::analyze_raw(raw, context_, limits);
            if (hooks.each) {
              analysis.message.raw = std::move(raw.bytes);
              hooks.each(analysis);
            }
            add(analysis);
          },
      .error =
          [&](core::Error error) {
            errors.push_back({{"error", std::move(error.detail)}});
          },
      .skipped =
          [&](ingest::Skipped item) {
            skipped.push_back(
                {{"source", std::move(item.locator)}, {"reason", ingest::to_string(item.reason)}});
          },
  };
  source([&](const Upload& upload) {
    std::ispanstream in(std::span<const char>(upload.bytes.data(), upload.bytes.size()));
    ingest::read_stream(in, upload.name, upload.bytes.size(), options, visitor);
  });
  if (hooks.logs != nullptr) campaign.add_logs(*hooks.logs);
  nlohmann::ordered_json result{
      {"tool", "emotriage"}, {"version", EMOTRIAGE_VERSION}, {"command", "analyze"}};
  result["messages"] = std::move(messages);
  result["campaign"] = campaign.to_json();
  result["errors"] = std::move(errors);
  result["skipped"] = std::move(skipped);
  return result;
}

std::expected<logs::LogReport, std::string> Analyzer::analyze_logs(
    const std::vector<Upload>& uploads) const {
  // A rotated set in time order, by the uploaded names (mail.log.2.gz before mail.log.1).
  std::vector<std::string> names;
  for (const auto& upload : uploads) names.push_back(upload.name);
  std::vector<std::string> ordered = logs::order_rotated(names);
  std::vector<std::unique_ptr<MemoryFile>> files;
  std::vector<std::string> paths;
  std::vector<bool> used(uploads.size(), false);
  for (const auto& name : ordered) {
    // Two uploads may share a name: each is read once.
    std::size_t index = 0;
    while (uploads[index].name != name || used[index]) ++index;
    used[index] = true;
    files.push_back(std::make_unique<MemoryFile>(uploads[index].bytes));
    if (!files.back()->error().empty()) return std::unexpected(name + ": " + files.back()->error());
    paths.push_back(files.back()->path());
  }
  logs::LogOptions options;
  options.matcher = &matcher_;
  auto report = logs::analyze_logs(paths, options);
  if (!report) {
    std::string detail = report.error().detail;
    // The reader names the in-memory path; the user knows the file by its name.
    for (std::size_t i = 0; i < paths.size(); ++i) {
      if (auto at = detail.find(paths[i]); at != std::string::npos)
        detail.replace(at, paths[i].size(), ordered[i]);
    }
    return std::unexpected(detail);
  }
  for (auto& file : report->files) {
    auto path = std::ranges::find(paths, file.path);
    if (path != paths.end()) file.path = ordered[static_cast<std::size_t>(path - paths.begin())];
  }
  return std::move(*report);
}

}  // namespace emotriage::web
