#include "broker/cluster/features.h"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "broker/storage/keys.h"
#include "common/java_hash.h"

namespace kafkalite::cluster {
namespace {

constexpr int16_t kMetadataVersionMin = 7;  // 3.3-IV3, Kafka's MINIMUM_VERSION
constexpr int16_t kMetadataVersionMax = 27;  // 4.1-IV1, 4.1.1's latest production level
constexpr int16_t kMetadataVersionElr = 23;  // 4.0-IV1: eligible.leader.replicas.version 1 needs it
constexpr int16_t kMetadataVersionGroups = 22;  // 4.0-IV0: group.version 1 needs it

// What kafkalite supports (see features.h), and a new cluster's levels.
struct Supported {
  const char* name;
  int16_t min, max, initial;
};
constexpr Supported kSupported[] = {
    {Features::kMetadataVersion, kMetadataVersionMin, kMetadataVersionMax, kMetadataVersionMax},
    {Features::kKraftVersion, 0, 1, 0},
    {Features::kTransactionVersion, 0, 2, 2},
    {Features::kElrVersion, 0, 1, 1},
    {Features::kGroupVersion, 0, 1, 1},
};

const Supported* find_supported(const std::string& name) {
  for (const auto& s : kSupported) {
    if (name == s.name) return &s;
  }
  return nullptr;
}

// MetadataVersion's didMetadataChange, by level (7..27): a downgrade past a
// level that changed the metadata format is refused.
bool metadata_changed_at(int16_t level) {
  switch (level) {
    case 7: case 8: case 11: case 13: case 14: case 15: case 17: case 23:
      return true;
    default:
      return false;
  }
}

std::string feature_key(const std::string& name) { return storage::keys::metadata("feature." + name); }

std::string range_text(int16_t min, int16_t max) {
  return min == max ? std::to_string(min) : std::to_string(min) + "-" + std::to_string(max);
}

}  // namespace

Features::Features(storage::KvStore& store, Quorum& quorum, DynamicConfigs& dynamic_configs)
    : store_(store), quorum_(quorum), dynamic_configs_(dynamic_configs) {
  if (!store_.get(feature_key(kMetadataVersion))) {
    // A new cluster (or one kept by a kafkalite from before features): the
    // levels a freshly formatted 4.1.1 finalizes, and what ELR wants.
    storage::WriteBatch batch;
    for (const auto& s : kSupported) {
      batch.put(feature_key(s.name), std::to_string(s.initial));
      if (s.initial > 0) levels_[s.name] = s.initial;
    }
    auto safety = dynamic_configs_.stage_elr_safety(batch);
    if (auto failed = store_.apply(batch)) {
      throw std::runtime_error("cannot write to the data directory: " + failed->message);
    }
    dynamic_configs_.apply_staged(std::move(safety));
    return;
  }
  for (const auto& s : kSupported) {
    if (auto value = store_.get(feature_key(s.name))) {
      const int level = std::atoi(value->c_str());
      if (level > 0) levels_[s.name] = static_cast<int16_t>(level);
    }
  }
}

std::vector<FeatureRange> Features::supported() const {
  java::HashMap order;
  for (const auto& s : kSupported) order.put(s.name);
  std::vector<FeatureRange> out;
  for (const auto& name : order.keys()) {
    const auto* s = find_supported(name);
    out.push_back({name, s->min, s->max});
  }
  return out;
}

std::vector<std::pair<std::string, int16_t>> Features::finalized() const {
  // Kafka copies its image's map (metadata.version first) into a new one.
  java::HashMap image;
  image.put(kMetadataVersion);
  for (const auto& [name, level] : levels_) image.put(name);
  std::vector<std::pair<std::string, int16_t>> out;
  for (const auto& name : java::HashMap::copy_of(image).keys()) out.emplace_back(name, level(name));
  return out;
}

int16_t Features::level(const std::string& name) const {
  auto it = levels_.find(name);
  return it == levels_.end() ? 0 : it->second;
}

std::string Features::refusal(const Update& u, const std::map<std::string, int16_t>& proposed) const {
  const auto type = static_cast<UpgradeType>(u.upgrade_type);
  if (type != UpgradeType::kUpgrade && type != UpgradeType::kSafeDowngrade && type != UpgradeType::kUnsafeDowngrade) {
    return "The controller does not support the given upgrade type.";
  }
  if (u.level < 0) return "A feature version cannot be less than 0.";
  const auto* s = find_supported(u.feature);
  if (!s || s->max == 0) return "Local controller 1 does not support this feature.";
  if (u.level < s->min || u.level > s->max) return "Local controller 1 only supports versions " + range_text(s->min, s->max);
  const int16_t current = level(u.feature);
  if (u.level < current && type == UpgradeType::kUpgrade) {
    return "Can't downgrade the version of this feature without setting the upgrade type to either safe or unsafe "
           "downgrade.";
  }
  if (u.level > current && type != UpgradeType::kUpgrade) return "Can't downgrade to a newer version.";
  if (u.feature == kKraftVersion && u.level < current) return "Can't downgrade the version of this feature.";
  if (u.feature == kMetadataVersion || u.feature == kKraftVersion) return "";
  const int16_t mv = proposed.count(kMetadataVersion) ? proposed.at(kMetadataVersion) : 0;
  if (u.level >= 1 && mv < kMetadataVersionMin) {
    return u.feature + " could not be set to " + std::to_string(u.level) + " because it depends on metadata.version=7 (3.3-IV3)";
  }
  if (u.feature == kGroupVersion && u.level >= 1 && mv < kMetadataVersionGroups) {
    return u.feature + " could not be set to " + std::to_string(u.level) + " because it depends on metadata.version level " +
           std::to_string(kMetadataVersionGroups);
  }
  if (u.feature == kElrVersion && u.level >= 1 && mv < kMetadataVersionElr) {
    return u.feature + " could not be set to " + std::to_string(u.level) + " because it depends on metadata.version level " +
           std::to_string(kMetadataVersionElr);
  }
  return "";
}

Features::Error Features::update(const std::vector<Update>& updates, bool validate_only, int64_t now_ms) {
  // Kafka's controller takes the updates into a HashMap, and stops at the
  // first (in its order) that cannot be applied.
  std::map<std::string, Update> by_name;
  java::HashMap order;
  for (const auto& u : updates) {
    by_name[u.feature] = u;
    order.put(u.feature);
  }
  std::map<std::string, int16_t> proposed = levels_;
  proposed[kMetadataVersion] = level(kMetadataVersion);
  for (const auto& [name, u] : by_name) proposed[name] = u.level;
  for (const auto& name : order.keys()) {
    const Update& u = by_name.at(name);
    std::string reason = refusal(u, proposed);
    if (reason.empty() && u.feature == kMetadataVersion && u.level < level(kMetadataVersion)) {
      bool changed = false;
      for (int16_t l = static_cast<int16_t>(u.level + 1); l <= level(kMetadataVersion); ++l) changed |= metadata_changed_at(l);
      if (changed) {
        const std::string message =
            static_cast<UpgradeType>(u.upgrade_type) == UpgradeType::kUnsafeDowngrade
                ? "Unsafe metadata downgrade is not supported in this version."
                : "Refusing to perform the requested downgrade because it might delete metadata information.";
        return {protocol::ErrorCode::InvalidUpdateVersion,
                "Invalid metadata.version " + std::to_string(u.level) + ". " + message};
      }
    }
    if (!reason.empty()) {
      const std::string message =
          "Invalid update version " + std::to_string(u.level) + " for feature " + u.feature + ". " + reason;
      spdlog::warn("{}", message);
      return {protocol::ErrorCode::InvalidUpdateVersion, message};
    }
  }
  if (validate_only) return {};
  storage::WriteBatch batch;
  for (const auto& [name, u] : by_name) batch.put(feature_key(name), std::to_string(u.level));
  std::optional<DynamicConfigs::Staged> safety;
  if (by_name.count(kElrVersion) && by_name.at(kElrVersion).level > 0) safety = dynamic_configs_.stage_elr_safety(batch);
  const int64_t offset = quorum_.stage_append(now_ms, batch);
  if (auto failed = store_.apply(batch)) return {protocol::ErrorCode::UnknownServerError, failed->message};
  quorum_.appended(offset, now_ms);
  if (safety) dynamic_configs_.apply_staged(std::move(*safety));
  for (const auto& [name, u] : by_name) {
    if (u.level > 0) {
      levels_[name] = u.level;
    } else {
      levels_.erase(name);
    }
    spdlog::info("Finalized feature {} at level {} (metadata offset {})", name, u.level, offset);
  }
  return {};
}

}  // namespace kafkalite::cluster
