// The client's connection to one broker, on Asio coroutines: the async core
// under the blocking facade (Cluster::call runs it to completion), which a
// program already running an io_context (the console) can co_await directly.
// One request at a time per connection, as the blocking clients use it.
#pragma once

#include "common/net/asio.h"
#include <array>
#include <string>

#include "client/error.h"
#include "common/protocol/frame.h"

namespace kafkalite::client {

class AsyncConnection {
 public:
  AsyncConnection(boost::asio::io_context& io, std::string address, std::string client_id)
      : socket_(io), address_(std::move(address)), client_id_(std::move(client_id)) {}

  const std::string& address() const { return address_; }

  // Resolves host:port and connects; the error names the address.
  boost::asio::awaitable<Error> connect();

  template <typename Api>
  boost::asio::awaitable<Result<typename Api::Response>> request(const typename Api::Request& request,
                                                                 int16_t version) {
    namespace asio = boost::asio;
    const int32_t correlation_id = next_correlation_id_++;
    const wire::Bytes out = protocol::encode_request_frame<Api>(request, version, correlation_id, client_id_);
    boost::system::error_code ec;
    co_await asio::async_write(socket_, asio::buffer(out), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return failed(Api::name, "sending", ec);
    std::array<uint8_t, 4> prefix;
    co_await asio::async_read(socket_, asio::buffer(prefix), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return failed(Api::name, "reading the response", ec);
    const int32_t size = protocol::read_frame_size(prefix);
    if (size < 0) co_return Error(ErrorCode::CorruptMessage, std::string(Api::name) + " response with a negative size");
    wire::Bytes frame(static_cast<size_t>(size));
    co_await asio::async_read(socket_, asio::buffer(frame), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return failed(Api::name, "reading the response", ec);
    typename Api::Response response;
    protocol::ResponseHeader header;
    std::string error;
    if (!protocol::decode_response_frame<Api>(frame, version, header, response, error)) {
      co_return Error(ErrorCode::CorruptMessage, std::string(Api::name) + " response does not decode: " + error);
    }
    if (header.correlation_id != correlation_id) {
      co_return Error(ErrorCode::CorruptMessage, "response correlation id " + std::to_string(header.correlation_id) +
                                                     " does not match " + std::to_string(correlation_id));
    }
    co_return response;
  }

  // A request that gets no response (Produce with acks=0).
  template <typename Api>
  boost::asio::awaitable<Error> send_only(const typename Api::Request& request, int16_t version) {
    namespace asio = boost::asio;
    const wire::Bytes out = protocol::encode_request_frame<Api>(request, version, next_correlation_id_++, client_id_);
    boost::system::error_code ec;
    co_await asio::async_write(socket_, asio::buffer(out), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return failed(Api::name, "sending", ec);
    co_return Error();
  }

  // Aborts what is in flight (a timeout); the connection is then unusable.
  void cancel() {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

 private:
  Error failed(std::string_view api, const char* doing, const boost::system::error_code& ec) const {
    return Error(ErrorCode::NetworkException,
                 std::string(api) + " to " + address_ + ": connection closed while " + doing + " (" + ec.message() + ")");
  }

  boost::asio::ip::tcp::socket socket_;
  std::string address_;
  std::string client_id_;
  int32_t next_correlation_id_ = 1;
};

}  // namespace kafkalite::client
