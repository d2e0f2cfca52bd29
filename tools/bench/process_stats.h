// What /proc says of a process: its resident set now and at its peak, the
// CPU time it has used and the bytes it has written for the disk.
#pragma once

#include <sys/types.h>

#include <map>
#include <vector>

namespace kafkalite::bench {

struct ProcessStats {
  long rss_kib = -1;       // VmRSS
  long peak_rss_kib = -1;  // VmHWM
  double cpu_seconds = 0;  // user + system
  double disk_write_bytes = 0;  // bytes it dirtied for storage (/proc/PID/io write_bytes)
};

ProcessStats process_stats(pid_t pid);

// While it lives, every thread of the given processes runs at the lowest
// priority (nice 19); each thread's own is put back after. The brokers
// not being measured are idle, but a JVM's idle is periodic work (its
// metadata log, timers, collectors) that would otherwise take turns on
// this machine's two cores with the broker being measured.
class Deprioritized {
 public:
  explicit Deprioritized(const std::vector<pid_t>& processes);
  ~Deprioritized();
  Deprioritized(const Deprioritized&) = delete;
  Deprioritized& operator=(const Deprioritized&) = delete;

 private:
  std::vector<pid_t> processes_;
  std::map<pid_t, int> nice_;  // thread id -> its nice before
};

}  // namespace kafkalite::bench
