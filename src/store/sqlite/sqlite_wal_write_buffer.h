// A SQLite VFS over the default one ("unix") whose WAL files gather what a transaction writes
// and give it to the kernel when SQLite syncs the WAL, in parts below 128 KiB. SQLite writes
// each frame of the WAL as two writes (its 24-byte header, then the page), so a commit of 16
// refresh-token rotations made ~180 `pwrite` calls on the group commit's thread, the one thread
// every write waits for; with this VFS it makes two or three.
//
// The buffer is handed over before anything that could see around it: a sync, a read that
// overlaps it, a write that does not continue it, a truncate, a size query and a memory map;
// what a close finds still buffered belongs to no commit and is dropped. Other connections learn of
// new frames only from the WAL index, which SQLite updates after the commit's sync. So a connection
// opened with this VFS must
// - sync the WAL at every commit (`PRAGMA synchronous = FULL` or EXTRA), or others could read
//   frames still buffered;
// - never spill pages to the WAL before its commit (`PRAGMA cache_spill = OFF`): the frames of
//   a transaction that then rolls back would stay buffered and reach the file later, over
//   frames that another process committed at the same offsets meanwhile.
// SqliteConnection::Open(uri, true) sets and checks both. The WAL of a database opened with
// `psow=0` (SQLite then pads each commit and writes the padding's tail after its sync) is not
// buffered, nor are files other than WAL files: those are the default VFS's own; and with a
// SQLite built without power-safe overwrite the VFS is not registered. A failed write drops the
// buffer.
#pragma once

namespace countersign {

// Registers the VFS with SQLite on the first call (thread-safe; it is never made the default)
// and returns its name, for sqlite3_open_v2's zVfs. nullptr when SQLite has no default VFS or
// was built without power-safe overwrite.
const char* SqliteWalWriteBufferVfs();

}  // namespace countersign
