// Groups of detected types that decide where an object is sent for inspection.
#pragma once
#include <string_view>

namespace emotriage::inspect {

// Read with libarchive (disk image "iso" included: its file listing is read too).
bool is_archive_type(std::string_view type);
// iso, udf, img, vhd, vhdx: mounted by a double click on Windows 10+.
bool is_disk_image_type(std::string_view type);
// Analysed by office::analyze.
bool is_office_type(std::string_view type);

}  // namespace emotriage::inspect
