#include "files/zip_writer.h"

#include <zlib.h>

#include <cstdint>
#include <fstream>

namespace countersign {

namespace {

void Put16(std::string& out, uint16_t v) {
  out.push_back(static_cast<char>(v & 0xff));
  out.push_back(static_cast<char>(v >> 8));
}

void Put32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// CRC-32 and size of a file, read in chunks.
bool Measure(const std::string& path, uint32_t& crc, uint32_t& size) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  uLong c = crc32(0L, Z_NULL, 0);
  uint64_t total = 0;
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof buf);
    std::streamsize n = in.gcount();
    if (n <= 0) break;
    c = crc32(c, reinterpret_cast<const Bytef*>(buf), static_cast<uInt>(n));
    total += static_cast<uint64_t>(n);
  }
  if (total > 0xffffffffull) return false;
  crc = static_cast<uint32_t>(c);
  size = static_cast<uint32_t>(total);
  return true;
}

}  // namespace

Status WriteZip(const std::vector<ZipEntry>& entries, const std::string& out_path) {
  std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
  if (!out) return Internal("cannot create " + out_path);
  std::string central;
  uint32_t offset = 0;
  for (const auto& e : entries) {
    uint32_t crc = 0, size = 0;
    if (!Measure(e.path, crc, size)) return Internal("cannot read " + e.path);
    std::string header;
    Put32(header, 0x04034b50);  // local file header
    Put16(header, 20);          // version needed
    Put16(header, 0x0800);      // UTF-8 names
    Put16(header, 0);           // stored
    Put16(header, 0);           // time
    Put16(header, 0x21);        // date: 1980-01-01
    Put32(header, crc);
    Put32(header, size);
    Put32(header, size);
    Put16(header, static_cast<uint16_t>(e.name.size()));
    Put16(header, 0);
    header += e.name;
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    std::ifstream in(e.path, std::ios::binary);
    out << in.rdbuf();

    Put32(central, 0x02014b50);  // central directory header
    Put16(central, 20);
    Put16(central, 20);
    Put16(central, 0x0800);
    Put16(central, 0);
    Put16(central, 0);
    Put16(central, 0x21);
    Put32(central, crc);
    Put32(central, size);
    Put32(central, size);
    Put16(central, static_cast<uint16_t>(e.name.size()));
    Put16(central, 0);
    Put16(central, 0);
    Put16(central, 0);
    Put16(central, 0);
    Put32(central, 0);
    Put32(central, offset);
    central += e.name;
    offset += static_cast<uint32_t>(header.size()) + size;
  }
  std::string end;
  Put32(end, 0x06054b50);
  Put16(end, 0);
  Put16(end, 0);
  Put16(end, static_cast<uint16_t>(entries.size()));
  Put16(end, static_cast<uint16_t>(entries.size()));
  Put32(end, static_cast<uint32_t>(central.size()));
  Put32(end, offset);
  Put16(end, 0);
  out.write(central.data(), static_cast<std::streamsize>(central.size()));
  out.write(end.data(), static_cast<std::streamsize>(end.size()));
  out.flush();
  if (!out) return Internal("cannot write " + out_path);
  return Status::Ok();
}

}  // namespace countersign
