// Writes a ZIP archive (stored entries, no compression: PDFs are compressed already) from
// files on disk, streaming each file so none is held whole in memory. Thread-safe (pure).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace countersign {

struct ZipEntry {
  std::string name;  // the name inside the archive
  std::string path;  // the file to copy
};

// Writes `entries` into a new archive at `out_path`. kInternal on I/O errors. Entries and the
// archive must each stay under 4 GiB (no ZIP64).
Status WriteZip(const std::vector<ZipEntry>& entries, const std::string& out_path);

}  // namespace countersign
