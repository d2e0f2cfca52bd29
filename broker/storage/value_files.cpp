#include "broker/storage/value_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <system_error>

#include "common/protocol/wire/reader.h"
#include "common/protocol/wire/writer.h"
#include "common/text.h"

namespace kafkalite::storage {
namespace {

constexpr int16_t kPointerFormat = 0;
constexpr int16_t kLiveFormat = 0;
constexpr std::string_view kSuffix = ".batches";

std::string error_text(int error) { return std::system_category().message(error); }

std::string to_string(const wire::Writer& w) { return std::string(w.bytes().begin(), w.bytes().end()); }

// The file number of a name "<16 hex digits>.batches".
std::optional<uint64_t> file_number(const std::string& name) {
  if (name.size() != 16 + kSuffix.size() || !name.ends_with(kSuffix)) return std::nullopt;
  const auto bytes = text::from_hex(std::string_view(name).substr(0, 16));
  if (!bytes) return std::nullopt;
  return static_cast<uint64_t>(wire::Reader(*bytes).read_int64());
}

}  // namespace

bool sync_path(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  return synced;
}

std::string ValuePointer::encode() const {
  wire::Writer w;
  w.write_int16(kPointerFormat);
  w.write_int64(static_cast<int64_t>(file));
  w.write_int64(static_cast<int64_t>(offset));
  w.write_uint32(length);
  return to_string(w);
}

std::optional<ValuePointer> ValuePointer::decode(std::string_view value) {
  if (value.size() != kEncodedSize) return std::nullopt;
  wire::Reader r(text::bytes_of(value));
  if (r.read_int16() != kPointerFormat) return std::nullopt;
  ValuePointer p;
  p.file = static_cast<uint64_t>(r.read_int64());
  p.offset = static_cast<uint64_t>(r.read_int64());
  p.length = r.read_uint32();
  return p;
}

std::string LiveValues::encode() const {
  wire::Writer w;
  w.write_int16(kLiveFormat);
  w.write_int64(count);
  w.write_int64(bytes);
  return to_string(w);
}

LiveValues LiveValues::decode(std::string_view value) {
  wire::Reader r(text::bytes_of(value));
  if (r.read_int16() != kLiveFormat) return {};
  LiveValues live;
  live.count = r.read_int64();
  live.bytes = r.read_int64();
  return r.ok() && r.at_end() ? live : LiveValues{};
}

ValueFiles::ValueFiles(std::filesystem::path dir, bool read_only) : dir_(std::move(dir)), read_only_(read_only) {
  std::error_code ignored;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ignored)) {
    const auto n = file_number(entry.path().filename().string());
    if (!n) continue;
    const auto size = entry.file_size(ignored);
    files_[*n].size = ignored ? 0 : size;
  }
}

ValueFiles::~ValueFiles() { close_descriptors(); }

std::filesystem::path ValueFiles::path_of(uint64_t file) const {
  wire::Writer w;
  w.write_int64(static_cast<int64_t>(file));
  return dir_ / (text::to_hex(w.bytes()) + std::string(kSuffix));
}

std::vector<uint64_t> ValueFiles::files() const {
  std::vector<uint64_t> out;
  for (const auto& [n, file] : files_) out.push_back(n);
  return out;
}

std::optional<std::string> ValueFiles::open_writer() {
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  if (error) return "cannot make " + dir_.string() + ": " + error.message();
  const bool made = files_.empty();
  const uint64_t n = made ? static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                                      std::chrono::system_clock::now().time_since_epoch())
                                                      .count())
                          : newest();
  writer_ = ::open(path_of(n).c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (writer_ < 0) return "cannot open " + path_of(n).string() + ": " + error_text(errno);
  if (made || files_.rbegin()->second.size == 0) {
    if (!sync_path(dir_)) return "cannot sync " + dir_.string() + ": " + error_text(errno);
  }
  File& file = files_.try_emplace(n).first->second;
  file.writeback_from = file.size;
  return std::nullopt;
}

std::variant<ValuePointer, std::string> ValueFiles::append(std::string_view value) {
  if (read_only_) return std::string("the value files are open read-only");
  // A new file past kFileBytes, unless the newest is still empty; the one
  // left is synced first, so only the newest file can lack bytes after a
  // crash of the OS.
  if (!files_.empty() && files_.rbegin()->second.size > 0 &&
      files_.rbegin()->second.size + value.size() > kFileBytes) {
    if (auto failed = sync_file(newest())) return *failed;
    if (writer_ >= 0) ::close(writer_);
    writer_ = -1;
    files_.try_emplace(newest() + 1);
  }
  if (writer_ < 0) {
    if (auto failed = open_writer()) return *failed;
  }
  File& file = files_.rbegin()->second;
  const ValuePointer pointer{newest(), file.size, static_cast<uint32_t>(value.size())};
  size_t done = 0;
  while (done < value.size()) {
    const ssize_t n = ::write(writer_, value.data() + done, value.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : ENOSPC;
      // What was written of it stays as bytes no key points at; later
      // appends go after them.
      file.size += done;
      return "cannot write a record batch to " + path_of(pointer.file).string() + ": " + error_text(error);
    }
    done += static_cast<size_t>(n);
  }
  file.size += value.size();
  file.unsynced = true;
  if (file.size - file.writeback_from >= kWritebackBytes) {
    // Starts the writeback and does not wait for it; an error it meets is
    // the sync's to report.
    ::sync_file_range(writer_, static_cast<off_t>(file.writeback_from),
                      static_cast<off_t>(file.size - file.writeback_from), SYNC_FILE_RANGE_WRITE);
    file.writeback_from = file.size;
  }
  return pointer;
}

bool ValueFiles::holds(const ValuePointer& p) const {
  auto it = files_.find(p.file);
  return it != files_.end() && p.offset + p.length <= it->second.size;
}

bool ValueFiles::open_reader(uint64_t file) {
  if (reader_ && reader_file_ == file) return true;
  reader_.reset();
  const int fd = ::open(path_of(file).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  reader_ = std::make_shared<const wire::OpenFile>(fd);
  reader_file_ = file;
  return true;
}

bool ValueFiles::read(const ValuePointer& p, size_t n, uint8_t* into) {
  n = std::min<size_t>(n, p.length);
  auto it = files_.find(p.file);
  if (it == files_.end()) {
    if (!read_only_) return false;
    it = files_.try_emplace(p.file).first;  // a reader beside the broker: a file made since it looked
  }
  if (!open_reader(p.file)) return false;
  return wire::FileBytes{reader_, p.offset, n}.read_into(into);
}

std::optional<wire::FileBytes> ValueFiles::file_bytes(const ValuePointer& p, size_t n) {
  if (read_only_ || !holds(p) || !open_reader(p.file)) return std::nullopt;
  return wire::FileBytes{reader_, p.offset, std::min<size_t>(n, p.length)};
}

void ValueFiles::remove(uint64_t file) {
  if (reader_ && reader_file_ == file) reader_.reset();
  if (file == newest() && writer_ >= 0) {
    ::close(writer_);
    writer_ = -1;
  }
  std::error_code ignored;
  std::filesystem::remove(path_of(file), ignored);
  files_.erase(file);
}

void ValueFiles::remove_all() {
  close_descriptors();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
  files_.clear();
}

std::optional<std::string> ValueFiles::sync_file(uint64_t n) {
  auto it = files_.find(n);
  if (it == files_.end() || !it->second.unsynced) return std::nullopt;
  const int fd = ::open(path_of(n).c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return "cannot open " + path_of(n).string() + " to sync it: " + error_text(errno);
  const int synced = ::fdatasync(fd);
  const int error = errno;
  ::close(fd);
  if (synced != 0) return "cannot sync " + path_of(n).string() + ": " + error_text(error);
  it->second.unsynced = false;
  return std::nullopt;
}

std::optional<std::string> ValueFiles::sync() {
  for (const auto& [n, file] : files_) {
    if (auto failed = sync_file(n)) return failed;
  }
  if (!files_.empty() && !sync_path(dir_)) return "cannot sync " + dir_.string() + ": " + error_text(errno);
  return std::nullopt;
}

void ValueFiles::close_descriptors() {
  if (writer_ >= 0) ::close(writer_);
  reader_.reset();
  writer_ = -1;
}

}  // namespace kafkalite::storage
