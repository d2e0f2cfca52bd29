#include "tools/bench/process_stats.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include <fstream>
#include <sstream>
#include <string>

namespace kafkalite::bench {

ProcessStats process_stats(pid_t pid) {
  ProcessStats stats;
  const std::string dir = "/proc/" + std::to_string(pid);
  std::ifstream status(dir + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) stats.rss_kib = std::stol(line.substr(6));
    if (line.rfind("VmHWM:", 0) == 0) stats.peak_rss_kib = std::stol(line.substr(6));
  }
  // /proc/PID/stat: fields 14 and 15 are utime and stime, in clock ticks;
  // the name (field 2) is in parentheses and may hold spaces.
  std::ifstream stat_file(dir + "/stat");
  std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  const auto close = stat.rfind(')');
  if (close != std::string::npos) {
    std::istringstream rest(stat.substr(close + 2));
    std::string field;
    long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
      if (i == 14) utime = std::stol(field);
      if (i == 15) stime = std::stol(field);
    }
    stats.cpu_seconds = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  std::ifstream io(dir + "/io");
  for (std::string line; std::getline(io, line);) {
    if (line.rfind("write_bytes:", 0) == 0) stats.disk_write_bytes = std::stod(line.substr(12));
  }
  return stats;
}

namespace {

template <typename Visit>
void for_each_thread(pid_t pid, Visit&& visit) {
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    visit(static_cast<pid_t>(std::stol(task.path().filename().string())));
  }
}

}  // namespace

Deprioritized::Deprioritized(const std::vector<pid_t>& processes) : processes_(processes) {
  for (const pid_t pid : processes) {
    for_each_thread(pid, [&](pid_t tid) {
      errno = 0;
      const int nice = getpriority(PRIO_PROCESS, static_cast<id_t>(tid));
      if (errno != 0) return;  // the thread has ended
      if (setpriority(PRIO_PROCESS, static_cast<id_t>(tid), 19) == 0) nice_[tid] = nice;
    });
  }
}

Deprioritized::~Deprioritized() {
  // Threads started meanwhile took nice 19 from the thread that started
  // them: they get their process's main thread's nice back.
  for (const pid_t pid : processes_) {
    const auto main = nice_.find(pid);
    const int process_nice = main == nice_.end() ? 0 : main->second;
    for_each_thread(pid, [&](pid_t tid) {
      const auto it = nice_.find(tid);
      setpriority(PRIO_PROCESS, static_cast<id_t>(tid), it == nice_.end() ? process_nice : it->second);
    });
  }
}

}  // namespace kafkalite::bench
