// The findings attachment inspection itself reports (office and dropper add their own).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "core/attachment.hpp"
#include "core/finding.hpp"
#include "inspect/names.hpp"

namespace emotriage::inspect {

inline constexpr std::string_view kExecutable = "attachment.executable";
inline constexpr std::string_view kDoubleExtension = "attachment.double-extension";
inline constexpr std::string_view kEncryptedArchive = "attachment.encrypted-archive";
inline constexpr std::string_view kPasswordInBody = "attachment.encrypted-archive-password-in-body";
inline constexpr std::string_view kPaddedLargeFile = "attachment.padded-large-file";
inline constexpr std::string_view kDiskImage = "attachment.disk-image";

core::Finding executable_finding(const core::Attachment& node);
core::Finding double_extension_finding(const core::Attachment& node, const NameTrick& trick);
core::Finding encrypted_archive_finding(const core::Attachment& node);
core::Finding password_in_body_finding(const core::Attachment& node);
// `compressed` is the member's compressed size, or its container's size when unknown.
core::Finding padded_finding(const core::Attachment& node, std::uint64_t expanded,
                             std::uint64_t compressed);
core::Finding disk_image_finding(const core::Attachment& node, std::size_t listed_files);
core::Finding unreadable_archive_finding(const core::Attachment& node, std::string_view error);
core::Finding analyser_crashed_finding(const core::Attachment& node, std::string_view what);

}  // namespace emotriage::inspect
