// Strong types for what Kafka's message specs mark with an entityType — topic
// names, group ids, transactional ids, producer ids, broker ids — so one
// cannot be passed where another is meant. The generated messages use them
// for every field the specs mark, and the broker uses them from there on.
// (Error codes are the ErrorCode enum, in generated/error_code.h.)
//
// A value is made explicitly from its underlying type (a string literal
// converts implicitly: the literal at the call site says what it is), read
// with value(), and compared with its own kind or with a plain value.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace kafkalite::protocol {

template <typename T, typename Tag>
class Strong {
 public:
  using Underlying = T;

  constexpr Strong() = default;
  constexpr explicit Strong(T value) : value_(std::move(value)) {}
  // A string literal names what it is where it is written.
  template <size_t N>
    requires std::is_same_v<T, std::string>
  Strong(const char (&literal)[N]) : value_(literal) {}  // NOLINT(google-explicit-constructor)

  constexpr const T& value() const { return value_; }

  auto operator<=>(const Strong&) const = default;
  bool operator==(const Strong&) const = default;
  // Comparisons with a plain value (tests, and values from outside the
  // protocol) read naturally; assignments never mix kinds.
  friend bool operator==(const Strong& a, const T& b) { return a.value_ == b; }
  friend bool operator==(const Strong& a, std::string_view b)
    requires std::is_same_v<T, std::string>
  {
    return a.value_ == b;
  }
  template <size_t N>
    requires std::is_same_v<T, std::string>
  friend bool operator==(const Strong& a, const char (&b)[N]) {
    return a.value_ == b;
  }
  friend std::ostream& operator<<(std::ostream& os, const Strong& s) { return os << s.value_; }

 private:
  T value_{};
};

// A nullable field's value as read from the wire.
template <typename S>
std::optional<S> strong_or_null(std::optional<typename S::Underlying> value) {
  if (!value) return std::nullopt;
  return S(std::move(*value));
}

using TopicName = Strong<std::string, struct TopicNameTag>;
using GroupId = Strong<std::string, struct GroupIdTag>;
using TransactionalId = Strong<std::string, struct TransactionalIdTag>;
using ProducerId = Strong<int64_t, struct ProducerIdTag>;
using BrokerId = Strong<int32_t, struct BrokerIdTag>;

}  // namespace kafkalite::protocol

template <typename T, typename Tag>
struct std::hash<kafkalite::protocol::Strong<T, Tag>> {
  size_t operator()(const kafkalite::protocol::Strong<T, Tag>& s) const { return std::hash<T>{}(s.value()); }
};

// spdlog/fmt print a strong value as its underlying value.
template <typename T, typename Tag>
struct fmt::formatter<kafkalite::protocol::Strong<T, Tag>> : fmt::formatter<T> {
  template <typename Context>
  auto format(const kafkalite::protocol::Strong<T, Tag>& s, Context& ctx) const {
    return fmt::formatter<T>::format(s.value(), ctx);
  }
};
