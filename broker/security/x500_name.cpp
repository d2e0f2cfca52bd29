#include "broker/security/x500_name.h"

#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace kafkalite::security {
namespace {

// The RFC 2253 keywords Java prints, by OID.
std::string keyword(const ASN1_OBJECT* object) {
  static const std::array<std::pair<std::string_view, std::string_view>, 9> kKeywords{{
      {"2.5.4.3", "CN"},
      {"2.5.4.6", "C"},
      {"2.5.4.7", "L"},
      {"2.5.4.8", "ST"},
      {"2.5.4.10", "O"},
      {"2.5.4.11", "OU"},
      {"2.5.4.9", "STREET"},
      {"0.9.2342.19200300.100.1.25", "DC"},
      {"0.9.2342.19200300.100.1.1", "UID"},
  }};
  std::array<char, 128> oid{};
  const int n = OBJ_obj2txt(oid.data(), static_cast<int>(oid.size()), object, 1);
  const std::string dotted(oid.data(), n > 0 ? static_cast<size_t>(n) : 0);
  for (const auto& [number, word] : kKeywords) {
    if (dotted == number) return std::string(word);
  }
  return dotted;
}

void append_utf8(std::string& out, uint32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

// The value's characters as Java decodes them, one UTF-8 sequence each.
std::vector<std::string> characters(int type, const unsigned char* data, int length) {
  std::vector<std::string> out;
  if (type == V_ASN1_UTF8STRING) {
    for (int i = 0; i < length;) {
      int size = 1;
      const unsigned char lead = data[i];
      if (lead >= 0xF0) size = 4;
      else if (lead >= 0xE0) size = 3;
      else if (lead >= 0xC0) size = 2;
      if (i + size > length) size = length - i;
      out.emplace_back(reinterpret_cast<const char*>(data + i), static_cast<size_t>(size));
      i += size;
    }
  } else if (type == V_ASN1_BMPSTRING) {
    for (int i = 0; i + 1 < length; i += 2) {
      uint32_t unit = (static_cast<uint32_t>(data[i]) << 8) | data[i + 1];
      std::string character;
      if (unit >= 0xD800 && unit < 0xDC00 && i + 3 < length) {  // a surrogate pair
        const uint32_t low = (static_cast<uint32_t>(data[i + 2]) << 8) | data[i + 3];
        unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
        i += 2;
      }
      append_utf8(character, unit);
      out.push_back(std::move(character));
    }
  } else {  // ISO-8859-1
    for (int i = 0; i < length; ++i) {
      std::string character;
      append_utf8(character, data[i]);
      out.push_back(std::move(character));
    }
  }
  return out;
}

bool directory_string(int type) {
  return type == V_ASN1_PRINTABLESTRING || type == V_ASN1_T61STRING || type == V_ASN1_IA5STRING ||
         type == V_ASN1_GENERALSTRING || type == V_ASN1_BMPSTRING || type == V_ASN1_UTF8STRING;
}

// '#' and the lowercase hex of the value's DER encoding (tag, length, content).
std::string hex_der(int type, const unsigned char* data, int length) {
  std::vector<unsigned char> der;
  const bool constructed = type == V_ASN1_SEQUENCE || type == V_ASN1_SET;
  der.push_back(static_cast<unsigned char>((type & 0x1F) | (constructed ? 0x20 : 0)));
  const auto size = static_cast<uint32_t>(length);
  if (size < 0x80) {
    der.push_back(static_cast<unsigned char>(size));
  } else {
    std::vector<unsigned char> bytes;
    for (uint32_t rest = size; rest > 0; rest >>= 8) bytes.insert(bytes.begin(), static_cast<unsigned char>(rest));
    der.push_back(static_cast<unsigned char>(0x80 | bytes.size()));
    der.insert(der.end(), bytes.begin(), bytes.end());
  }
  der.insert(der.end(), data, data + length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "#";
  for (unsigned char b : der) {
    out += kHex[b >> 4];
    out += kHex[b & 0xF];
  }
  return out;
}

std::string value_text(const std::string& word, const ASN1_STRING* value) {
  const int type = ASN1_STRING_type(value);
  const unsigned char* data = ASN1_STRING_get0_data(value);
  const int length = ASN1_STRING_length(value);
  if ((!word.empty() && word[0] >= '0' && word[0] <= '9') || !directory_string(type)) {
    return hex_der(type, data, length);
  }
  const auto chars = characters(type, data, length);
  size_t lead = 0;
  while (lead < chars.size() && (chars[lead] == " " || chars[lead] == "\r")) ++lead;
  size_t trail = chars.size();
  while (trail > lead && (chars[trail - 1] == " " || chars[trail - 1] == "\r")) --trail;
  static constexpr std::string_view kEscaped = ",=+<>#;\"\\";
  std::string out;
  for (size_t i = 0; i < chars.size(); ++i) {
    const std::string& c = chars[i];
    if (c.size() == 1 && c[0] == '\0') {
      out += "\\00";
      continue;
    }
    if (i < lead || i >= trail || (c.size() == 1 && kEscaped.find(c[0]) != std::string_view::npos)) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string x500_name(const X509_NAME* name) {
  const int count = X509_NAME_entry_count(name);
  // The RDNs in encoded order, each its attribute=value texts.
  std::vector<std::vector<std::string>> rdns;
  int current_set = -1;
  for (int i = 0; i < count; ++i) {
    const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
    const int set = X509_NAME_ENTRY_set(entry);
    if (rdns.empty() || set != current_set) rdns.emplace_back();
    current_set = set;
    const std::string word = keyword(X509_NAME_ENTRY_get_object(entry));
    rdns.back().push_back(word + "=" + value_text(word, X509_NAME_ENTRY_get_data(entry)));
  }
  std::string out;
  for (auto rdn = rdns.rbegin(); rdn != rdns.rend(); ++rdn) {
    if (!out.empty()) out += ',';
    for (size_t i = 0; i < rdn->size(); ++i) {
      if (i > 0) out += '+';
      out += (*rdn)[i];
    }
  }
  return out;
}

}  // namespace kafkalite::security
