// Results that depend only on an object's bytes, remembered by its SHA-256 for the rest of the
// run. A mailbox repeats the same bytes again and again (the logo in every signature, the
// attachment forwarded round a thread, a campaign's one document sent to hundreds): each is
// then worked on once.
#pragma once
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace emotriage::core {

template <class Value>
class ContentCache {
 public:
  // Bounded in entries: a full cache is emptied and starts again, so memory does not follow
  // the size of the mailbox.
  explicit ContentCache(std::size_t capacity) : capacity_(capacity) {}
  ContentCache(const ContentCache&) = delete;
  ContentCache& operator=(const ContentCache&) = delete;

  // Empty `sha256` (the bytes were not digested whole) is never found.
  std::optional<Value> find(std::string_view sha256) const {
    if (sha256.empty()) return std::nullopt;
    std::lock_guard lock(mutex_);
    auto it = entries_.find(sha256);
    if (it == entries_.end()) return std::nullopt;
    ++hits_;
    return it->second;
  }

  void insert(std::string_view sha256, Value value) {
    if (sha256.empty() || capacity_ == 0) return;
    std::lock_guard lock(mutex_);
    if (entries_.size() >= capacity_) entries_.clear();
    entries_.insert_or_assign(std::string(sha256), std::move(value));
  }

  std::uint64_t hits() const {
    std::lock_guard lock(mutex_);
    return hits_;
  }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const noexcept {
      return std::hash<std::string_view>{}(key);
    }
  };
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  mutable std::uint64_t hits_ = 0;
  std::unordered_map<std::string, Value, Hash, std::equal_to<>> entries_;
};

}  // namespace emotriage::core
