// What /proc says of a process: its resident set now and at its peak, and
// the CPU time it has used.
#pragma once

#include <sys/types.h>

namespace kafkalite::bench {

struct ProcessStats {
  long rss_kib = -1;       // VmRSS
  long peak_rss_kib = -1;  // VmHWM
  double cpu_seconds = 0;  // user + system
};

ProcessStats process_stats(pid_t pid);

}  // namespace kafkalite::bench
