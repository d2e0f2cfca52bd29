#include "common/protocol/wire/file_bytes.h"

#include "common/protocol/wire/types.h"

#include <unistd.h>

#include <cerrno>

namespace kafkalite::wire {

OpenFile::~OpenFile() {
  if (fd_ >= 0) ::close(fd_);
}

bool FileBytes::read_into(uint8_t* into) const {
  size_t done = 0;
  while (done < length) {
    const ssize_t got = ::pread(file->fd(), into + done, length - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    done += static_cast<size_t>(got);
  }
  return true;
}

bool FileBytes::append_to(std::vector<uint8_t>& out) const {
  const size_t at = out.size();
  out.resize(at + length);
  if (read_into(out.data() + at)) return true;
  out.resize(at);
  return false;
}

std::optional<Bytes> Records::whole() const {
  if (files.empty() || !data) return data;
  Bytes out;
  out.reserve(size());
  size_t from = 0;
  for (const auto& part : files) {
    out.insert(out.end(), data->begin() + static_cast<std::ptrdiff_t>(from),
               data->begin() + static_cast<std::ptrdiff_t>(part.at));
    from = part.at;
    if (!part.bytes.append_to(out)) return std::nullopt;
  }
  out.insert(out.end(), data->begin() + static_cast<std::ptrdiff_t>(from), data->end());
  return out;
}

}  // namespace kafkalite::wire
