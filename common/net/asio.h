// The one way to include Boost.Asio here. Boost 1.74's awaitable.hpp uses
// std::exchange without including <utility>; GCC 12 no longer pulls it in.
#pragma once

#include <utility>

#include <boost/asio.hpp>
