// A generated round trip for every message (and header) at every version.
#include "tests/protocol/round_trip.h"

namespace kafkalite::protocol {
namespace {

class RoundTrip : public ::testing::TestWithParam<RoundTripCase> {};

TEST_P(RoundTrip, EncodeDecodeEncode) { GetParam().run(GetParam().version); }

INSTANTIATE_TEST_SUITE_P(AllMessages, RoundTrip, ::testing::ValuesIn(all_round_trip_cases()),
                         [](const ::testing::TestParamInfo<RoundTripCase>& param_info) {
                           return param_info.param.message + "_v" + std::to_string(param_info.param.version);
                         });

}  // namespace
}  // namespace kafkalite::protocol
