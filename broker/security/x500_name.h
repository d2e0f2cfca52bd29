// A certificate's subject as Kafka's default principal builder names it:
// Java's X500Principal.getName(), RFC 2253 with the JDK's own choices.
//   - RDNs last to first, joined by ',' (no spaces); the values of a
//     multi-valued RDN joined by '+', in the order they were encoded;
//   - keywords only for CN, C, L, ST, O, OU, STREET, DC and UID; any other
//     attribute is its dotted OID (emailAddress is 1.2.840.113549.1.9.1);
//   - a value of a dotted attribute, or of a type that is not a directory
//     string (Printable, T61, IA5, General, BMP, UTF8), is '#' and the hex
//     of its DER encoding, lowercase;
//   - otherwise the text, with each of ,=+<>#;"\ escaped by '\' wherever it
//     is, NUL as \00, leading and trailing spaces (and CRs) escaped; every
//     other character as it is (no \XX escapes, unlike OpenSSL's RFC 2253).
#pragma once

#include <string>

#include <openssl/types.h>

namespace kafkalite::security {

// The name, in UTF-8.
std::string x500_name(const X509_NAME* name);

}  // namespace kafkalite::security
