// Errors as values: every client call answers a Result, never throws. An
// error carries Kafka's code (its name is what Kafka's tools print, e.g.
// UNKNOWN_TOPIC_OR_PARTITION) and the broker's or the client's message.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "common/protocol/generated/error_code.h"

namespace kafkalite::client {

using protocol::ErrorCode;

struct Error {
  ErrorCode code = ErrorCode::None;
  std::string message;

  Error() = default;
  Error(ErrorCode c, std::string m = {}) : code(c), message(std::move(m)) {}  // NOLINT

  explicit operator bool() const { return code != ErrorCode::None; }
  std::string_view name() const { return protocol::error_name(code); }
  bool retriable() const { return protocol::error_is_retriable(code); }
  // "NAME: message", or the name alone.
  std::string describe() const {
    std::string s(name());
    if (!message.empty()) s += ": " + message;
    return s;
  }
};

// A value or the error that prevented it.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return error_; }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  std::optional<T> value_;
  Error error_;
};

}  // namespace kafkalite::client
