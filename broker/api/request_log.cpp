#include "broker/api/request_log.h"

namespace kafkalite::broker::api {

nlohmann::json request_log_header(const RequestContext& ctx, std::string_view api, int16_t api_key,
                                  size_t request_bytes, int64_t micros) {
  return nlohmann::json{{"api", api},
                        {"api_key", api_key},
                        {"version", ctx.api_version},
                        {"correlation_id", ctx.correlation_id},
                        {"client_id", ctx.client_id ? nlohmann::json(*ctx.client_id) : nlohmann::json(nullptr)},
                        {"peer", ctx.peer},
                        {"listener", ctx.listener},
                        {"request_bytes", request_bytes},
                        {"duration_us", micros}};
}

}  // namespace kafkalite::broker::api
