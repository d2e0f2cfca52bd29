// The authorized-operations bit sets Kafka 4.1.1 reports without an
// authorizer (checked against the real broker): every operation the resource
// supports.
#pragma once

#include <cstdint>

namespace kafkalite::broker::api {

// READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS.
constexpr int32_t kTopicAuthorizedOperations = 3576;
// Every cluster operation.
constexpr int32_t kClusterAuthorizedOperations = 8096;
// READ, DESCRIBE, DELETE.
constexpr int32_t kGroupAuthorizedOperations = 3400;

}  // namespace kafkalite::broker::api
