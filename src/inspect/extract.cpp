#include "inspect/extract.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <nlohmann/json.hpp>

#include "core/hash.hpp"

namespace emotriage::inspect {

namespace {

// Failures kept for the caller; beyond this the first ones say enough.
constexpr std::size_t kMaxErrors = 20;

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd = -1) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileDescriptor& operator=(FileDescriptor&&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

std::string system_error(std::string_view what) {
  return std::string(what) + ": " + std::strerror(errno);
}

}  // namespace

struct Extractor::State {
  State(FileDescriptor dir, FileDescriptor manifest_file, std::string path)
      : directory(std::move(dir)),
        manifest(std::move(manifest_file)),
        directory_path(std::move(path)) {}
  FileDescriptor directory;
  FileDescriptor manifest;
  std::string directory_path;
  mutable std::mutex mutex;  // manifest lines and the error list
  std::vector<std::string> errors;

  void fail(std::string error) {
    std::lock_guard lock(mutex);
    if (errors.size() < kMaxErrors) errors.push_back(std::move(error));
  }
};

Extractor::Extractor(std::shared_ptr<State> state) : state_(std::move(state)) {}

std::expected<Extractor, std::string> Extractor::open(const std::string& directory) {
  if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST) {
    return std::unexpected(system_error(directory));
  }
  // O_NOFOLLOW: a symlink planted at DIR is refused, not followed.
  FileDescriptor dir(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (dir.get() < 0) return std::unexpected(system_error(directory));
  FileDescriptor manifest(::openat(dir.get(), "manifest.jsonl",
                                   O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (manifest.get() < 0) return std::unexpected(system_error(directory + "/manifest.jsonl"));
  return Extractor(std::make_shared<State>(std::move(dir), std::move(manifest), directory));
}

ScanHook Extractor::hook(std::string message_locator) const {
  return [state = state_, locator = std::move(message_locator)](
             std::string_view bytes, const core::Attachment& node, std::vector<core::Finding>&) {
    Extractor(state).write(locator, bytes, node);
  };
}

void Extractor::write(std::string_view message_locator, std::string_view bytes,
                      const core::Attachment& node) const {
  // Named by the bytes written: for a streamed member that is its head, not the whole object.
  bool complete = !node.truncated && bytes.size() == node.size;
  std::string written_sha256 =
      complete && !node.sha256.empty() ? node.sha256 : core::sha256_hex(bytes);
  std::string file = written_sha256 + ".quarantine";
  FileDescriptor out(::openat(state_->directory.get(), file.c_str(),
                              O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (out.get() >= 0) {
    if (!write_all(out.get(), bytes)) {
      state_->fail(system_error(state_->directory_path + "/" + file));
      ::unlinkat(state_->directory.get(), file.c_str(), 0);
      return;
    }
  } else if (errno != EEXIST) {
    state_->fail(system_error(state_->directory_path + "/" + file));
    return;
  }
  nlohmann::json line = {
      {"message", message_locator},          {"part", node.part},     {"path", node.path},
      {"original_name", node.filename},      {"sha256", node.sha256}, {"size", node.size},
      {"detected_type", node.detected_type}, {"file", file},          {"complete", complete}};
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard lock(state_->mutex);
  if (!write_all(state_->manifest.get(), text)) {
    if (state_->errors.size() < kMaxErrors) {
      state_->errors.push_back(system_error(state_->directory_path + "/manifest.jsonl"));
    }
  }
}

std::vector<std::string> Extractor::errors() const {
  std::lock_guard lock(state_->mutex);
  return state_->errors;
}

}  // namespace emotriage::inspect
