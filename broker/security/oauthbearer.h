// SASL/OAUTHBEARER (RFC 7628) with Kafka 4.1.1's default validator for
// unsecured JWS tokens (OAuthBearerUnsecuredValidatorCallbackHandler): the
// client sends "n,[a=authzid],\x01auth=Bearer <header>.<claims>.\x01...\x01";
// the header must say "alg":"none" and the signature be empty; the claims
// need a numeric exp and a string principal claim (sub), iat is checked
// when present, and the required scope when configured. A bad token is
// answered {"status":"invalid_token"} (or insufficient_scope with the
// required list), which the client acknowledges with \x01 before the
// failure. The principal is User:<sub>; the session ends with the token.
//
// The listener's JAAS options: unsecuredValidatorPrincipalClaimName (sub),
// unsecuredValidatorScopeClaimName (scope), unsecuredValidatorRequiredScope
// (space-separated), unsecuredValidatorAllowableClockSkewMs (0), read at
// every login as Kafka reads them.
//
// As 4.1.1 (fixed in Kafka 4.2, KAFKA-17089): the header and claims are
// decoded with the standard base64 alphabet, so a token whose base64url
// encoding holds '-' or '_' is refused as invalid_token.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "broker/security/sasl_server.h"

namespace kafkalite::security {

using WallClockMs = std::function<int64_t()>;

std::unique_ptr<SaslServer> make_oauthbearer_server(const std::map<std::string, std::string>& jaas_options,
                                                    WallClockMs now_ms);

}  // namespace kafkalite::security
