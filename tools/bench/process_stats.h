// What /proc says of a process: its resident set now and at its peak, the
// CPU time it has used and the bytes it has written for the disk.
#pragma once

#include <sys/types.h>

namespace kafkalite::bench {

struct ProcessStats {
  long rss_kib = -1;       // VmRSS
  long peak_rss_kib = -1;  // VmHWM
  double cpu_seconds = 0;  // user + system
  double disk_write_bytes = 0;  // bytes it dirtied for storage (/proc/PID/io write_bytes)
};

ProcessStats process_stats(pid_t pid);

}  // namespace kafkalite::bench
