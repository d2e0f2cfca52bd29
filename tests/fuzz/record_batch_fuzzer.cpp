// libFuzzer target: any bytes as the records of a produce request. Splitting
// and validating must never crash or over-read; a batch that validates must
// survive the in-place rewrites and still validate.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "common/records/record_batch.h"

using namespace kafkalite::records;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  RecordsError error;
  auto batches = split_batches(std::span<const uint8_t>(data, size), error);
  for (const auto& batch : batches) {
    if (validate_batch(batch)) continue;
    Bytes copy(batch.bytes.begin(), batch.bytes.end());
    set_base_offset(copy, 1000);
    set_log_append_time(copy, 12345);
    RecordsError split_error;
    auto rewritten = split_batches(copy, split_error);
    if (rewritten.size() != 1 || validate_batch(rewritten.front())) std::abort();
  }
  return 0;
}
