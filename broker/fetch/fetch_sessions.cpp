#include "broker/fetch/fetch_sessions.h"

#include <algorithm>

namespace kafkalite::fetch {

FetchSession& FetchSessionCache::open() {
  while (sessions_.size() >= slots_ && !order_.empty()) {
    sessions_.erase(order_.front());
    order_.pop_front();
  }
  int32_t id = 0;
  do {
    id = static_cast<int32_t>(random_() & 0x7fffffff);
  } while (id == 0 || sessions_.count(id));
  order_.push_back(id);
  FetchSession& session = sessions_[id];
  session.id = id;
  return session;
}

FetchSession* FetchSessionCache::find(int32_t id) {
  auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : &it->second;
}

void FetchSessionCache::close(int32_t id) {
  sessions_.erase(id);
  order_.erase(std::remove(order_.begin(), order_.end(), id), order_.end());
}

}  // namespace kafkalite::fetch
