// Restart after kill -9: `kafkalite serve` is filled with a log of a given
// size, killed with SIGKILL right after its last acknowledgement, and
// started again on the same data; the time is from exec to the first
// acknowledged produce (and, within it, to accepting connections).
#pragma once

#include <string>

namespace kafkalite::bench {

struct Restart {
  double log_gb = 0;          // what was on disk when it was killed
  double fill_s = 0;          // how long producing it took
  double accepting_ms = 0;    // exec to accepting connections
  double first_ack_ms = 0;    // exec to the first acknowledged produce
  long lost = -1;             // acknowledged before the kill, missing after
};

Restart restart_after_kill(const std::string& binary, double gigabytes);

}  // namespace kafkalite::bench
