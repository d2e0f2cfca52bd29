// The order in which Kafka's DescribeConfigs lists a resource's configs.
//
// Kafka builds the answer by iterating a Scala mutable.HashMap of the
// resource's configs (kafka.server.ConfigHelper.allConfigs), filtered to the
// requested keys when there are some; that map's iteration order is its
// order: bucket by bucket (hash & (capacity - 1)), and by hash within a
// bucket, where the hash is Java's String.hashCode spread as h ^ (h >>> 16)
// and the capacity is the smallest power of two from 16 up that holds the
// entries below its 0.75 load factor. Reproduced here, and checked against a
// running 4.1.1 by the cross-check suite (configs are compared unsorted).
#pragma once

#include <string>
#include <vector>

namespace kafkalite::config {

// Reorders `names` (distinct) as Kafka's map of exactly these names lists them.
void sort_as_describe_configs(std::vector<std::string>& names);

}  // namespace kafkalite::config
