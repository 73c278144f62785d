// SqlStatement: a prepared statement borrowed from the connection that caches it, with the
// binding and row-reading calls every store uses, whatever the driver. SQL is written with
// SQLite's `?N` placeholders; drivers translate them when they need to.
//
// Thread-compatible: used by the one thread that holds its connection.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "core/status.h"

namespace countersign {

// The driver's side of one cached statement. A driver keeps one per SQL text and connection,
// and hands it out to one SqlStatement at a time. A failed Bind is kept and reported by the
// next Step or Run.
class SqlPrepared {
 public:
  virtual void BindText(int index, std::string_view text) = 0;
  virtual void BindInt(int index, int64_t value) = 0;
  virtual void BindNull(int index) = 0;
  // Advances to the next row: true while a row is available; false at the end, after which
  // the statement may be rebound and run again.
  virtual StatusOr<bool> Step() = 0;
  // Runs the statement to completion, ignoring any rows.
  virtual Status Run() = 0;
  virtual bool IsNull(int column) const = 0;
  virtual int64_t Int(int column) const = 0;
  virtual std::string Text(int column) const = 0;
  // The highest ?N in the statement.
  virtual int ParameterCount() const = 0;
  // The borrower is done: drop rows and bindings and make the statement available again.
  virtual void Release() = 0;

 protected:
  ~SqlPrepared() = default;  // owned by the driver's cache, never deleted through this type
};

// A borrowed statement. Binds are 1-based, columns 0-based (as in SQLite); unbound parameters
// are NULL. Giving it back (destruction) drops its rows and bindings. Move-only.
class SqlStatement {
 public:
  explicit SqlStatement(SqlPrepared* prepared) : prepared_(prepared) {}
  SqlStatement(SqlStatement&& other) noexcept
      : prepared_(std::exchange(other.prepared_, nullptr)) {}
  SqlStatement& operator=(SqlStatement&&) = delete;
  SqlStatement(const SqlStatement&) = delete;
  SqlStatement& operator=(const SqlStatement&) = delete;
  ~SqlStatement() {
    if (prepared_ != nullptr) prepared_->Release();
  }

  SqlStatement& Bind(int index, std::string_view text) {
    prepared_->BindText(index, text);
    return *this;
  }
  SqlStatement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  SqlStatement& Bind(int index, const std::string& text) {
    return Bind(index, std::string_view(text));
  }
  SqlStatement& Bind(int index, int64_t value) {
    prepared_->BindInt(index, value);
    return *this;
  }
  SqlStatement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  SqlStatement& Bind(int index, bool value) { return Bind(index, int64_t{value ? 1 : 0}); }
  SqlStatement& BindNull(int index) {
    prepared_->BindNull(index);
    return *this;
  }

  StatusOr<bool> Step() { return prepared_->Step(); }
  Status Run() { return prepared_->Run(); }

  bool IsNull(int column) const { return prepared_->IsNull(column); }
  int64_t Int(int column) const { return prepared_->Int(column); }
  bool Bool(int column) const { return Int(column) != 0; }
  std::string Text(int column) const { return prepared_->Text(column); }
  int ParameterCount() const { return prepared_->ParameterCount(); }

 private:
  SqlPrepared* prepared_;  // null after a move
};

}  // namespace countersign
