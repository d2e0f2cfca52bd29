#include "common/protocol/wire/file_bytes.h"

#include "common/protocol/wire/types.h"

#include <unistd.h>

#include <algorithm>
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

std::optional<Bytes> Records::whole() const {
  if (files.empty() || !data) return data;
  Bytes out(size());
  size_t from = 0, to = 0;
  auto copy = [&](size_t end) {
    std::copy(data->begin() + static_cast<std::ptrdiff_t>(from), data->begin() + static_cast<std::ptrdiff_t>(end),
              out.begin() + static_cast<std::ptrdiff_t>(to));
    to += end - from;
    from = end;
  };
  for (const auto& part : files) {
    copy(part.at);
    if (!part.bytes.read_into(out.data() + to)) return std::nullopt;
    to += part.bytes.length;
  }
  copy(data->size());
  return out;
}

}  // namespace kafkalite::wire
