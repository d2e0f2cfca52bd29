#include "client/async_connection.h"

namespace kafkalite::client {

boost::asio::awaitable<Error> AsyncConnection::connect() {
  namespace asio = boost::asio;
  const auto colon = address_.rfind(':');
  if (colon == std::string::npos) co_return Error(ErrorCode::InvalidRequest, "'" + address_ + "' has no port (host:port)");
  boost::system::error_code ec;
  asio::ip::tcp::resolver resolver(socket_.get_executor());
  auto endpoints = co_await resolver.async_resolve(address_.substr(0, colon), address_.substr(colon + 1),
                                                   asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return Error(ErrorCode::NetworkException, address_ + " (" + ec.message() + ")");
  co_await asio::async_connect(socket_, endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return Error(ErrorCode::NetworkException, address_ + " (" + ec.message() + ")");
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  co_return Error();
}

}  // namespace kafkalite::client
