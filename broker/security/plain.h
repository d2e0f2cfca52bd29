// SASL/PLAIN (RFC 4616) as Kafka's PlainSaslServer: one token
// "[authzid] NUL user NUL password", checked against the `user_<name>`
// options of the listener's PlainLoginModule JAAS entry. Wrong password and
// unknown user get the same answer.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "broker/security/sasl_server.h"

namespace kafkalite::security {

// The users of a PlainLoginModule entry: user name -> password.
using PlainUsers = std::map<std::string, std::string>;
PlainUsers plain_users(const std::map<std::string, std::string>& jaas_options);

std::unique_ptr<SaslServer> make_plain_server(const PlainUsers& users);

}  // namespace kafkalite::security
