#include "broker/storage/kv_store.h"

namespace kafkalite::storage {

WriteResult KvStore::apply(const WriteBatch& batch) {
  if (failure_) return WriteError{*failure_};
  if (WriteResult error = write(batch)) {
    fail(Access::kWriting, error->message);
    return error;
  }
  return std::nullopt;
}

WriteResult KvStore::flush() {
  if (failure_) return WriteError{*failure_};
  if (WriteResult error = sync()) {
    fail(Access::kWriting, error->message);
    return error;
  }
  return std::nullopt;
}

void KvStore::fail(Access access, const std::string& reason) {
  if (failure_) return;
  failure_ = reason;
  if (failure_listener_) failure_listener_(access, reason);
}

}  // namespace kafkalite::storage
