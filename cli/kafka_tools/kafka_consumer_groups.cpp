// kafka-consumer-groups.sh: list, describe, reset offsets, delete offsets,
// delete groups, as Kafka 4.1.1's ConsumerGroupCommand (classic groups).
// Differs from Kafka: --export/--from-file and --by-duration are not there
// yet; a run names a group with --group or takes all with --all-groups.
#include <iostream>

#include "cli/kafka_tools/consumer_groups.h"

namespace kafkalite::cli {

int kafka_consumer_groups(const std::vector<std::string>& args) {
  ToolOptions o(
      "kafka-consumer-groups.sh",
      "This tool helps to list all consumer groups, describe a consumer group, delete consumer group info, or reset consumer group offsets.",
      {{"all-groups", "", "Apply to all consumer groups."},
       {"all-topics", "", "Consider all topics assigned to a group in the reset-offsets process."},
       {"bootstrap-server", "String: server to connect to", "REQUIRED: The server(s) to connect to."},
       {"command-config", "String: command config property file", "A file of client properties."},
       {"delete", "", "Delete the given consumer groups (they must have no members)."},
       {"delete-offsets", "", "Delete the offsets of a consumer group for --topic."},
       {"describe", "", "Describe a consumer group: its offsets and lag, with --members or --state."},
       {"dry-run", "", "Only show the result of the reset."},
       {"execute", "", "Execute the reset."},
       {"group", "String: consumer group", "The consumer group to act on."},
       {"help", "", "Print usage information."},
       {"list", "", "List all consumer groups."},
       {"members", "", "With --describe: the members of the group."},
       {"offsets", "", "With --describe: offsets and lag (the default)."},
       {"reset-offsets", "", "Reset the offsets of a consumer group (it must have no members)."},
       {"shift-by", "Long: number-of-offsets", "Shift the current offsets by n (may be negative)."},
       {"state", "[String]", "With --describe: the group's state; with --list: states, and only groups in them."},
       {"timeout", "Long: timeout (ms)", "How long to wait for the group to become stable."},
       {"to-current", "", "Reset to the current offsets."},
       {"to-datetime", "String: datetime", "Reset to the offsets at a time: 'YYYY-MM-DDTHH:mm:SS.sss'."},
       {"to-earliest", "", "Reset to the earliest offsets."},
       {"to-latest", "", "Reset to the latest offsets."},
       {"to-offset", "Long: offset", "Reset to this offset."},
       {"topic", "String: topic", "The topic (topic:0,1 for partitions) whose offsets to reset or delete."},
       {"type", "[String]", "With --list: group types."},
       {"verbose", "", "With --describe --members: the assignments too."},
       {"version", "", "Display Kafka version."}});
  if (!o.parse(args)) return o.fail_with_usage(o.error());
  if (o.has("help") || args.empty()) return o.fail_with_usage(o.usage().substr(0, o.usage().find('\n')));
  const int actions = o.has("list") + o.has("describe") + o.has("delete") + o.has("reset-offsets") + o.has("delete-offsets");
  if (actions != 1) {
    return o.fail_with_usage("Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets");
  }
  if (!o.has("bootstrap-server")) return o.fail_with_usage("Missing required argument \"[bootstrap-server]\"");
  if (o.has("list") && o.has("group")) return o.fail_with_usage("Option \"[group]\" can't be used with option \"[list]\"");
  if (!o.has("list") && !o.has("group") && !o.has("all-groups")) {
    return o.fail_with_usage("Option [" + std::string(o.has("describe") ? "describe" : o.has("delete") ? "delete" : o.has("reset-offsets") ? "reset-offsets" : "delete-offsets") +
                             "] takes one of these options: [all-groups], [group]");
  }
  if (o.has("reset-offsets")) {
    const int scopes = o.has("to-earliest") + o.has("to-latest") + o.has("to-offset") + o.has("shift-by") +
                       o.has("to-datetime") + o.has("to-current");
    if (scopes != 1) {
      return o.fail_with_usage("Option [reset-offsets] takes exactly one of these options: [to-datetime], [to-earliest], [to-latest], [shift-by], [to-current], [to-offset]");
    }
    if (!o.has("topic") && !o.has("all-topics")) {
      return o.fail_with_usage("Option [reset-offsets] takes one of these options: [all-topics], [topic]");
    }
    if (o.has("dry-run") && o.has("execute")) {
      return o.fail_with_usage("Option \"[dry-run]\" can't be used with option \"[execute]\"");
    }
  }
  if (o.has("delete-offsets") && (!o.has("topic") || !o.has("group"))) {
    return o.fail_with_usage("Option [delete-offsets] takes the following options: [group], [topic]");
  }
  auto admin = connect_admin(o);
  if (!admin) return 1;
  if (o.has("list")) return groups::list(*admin, o);
  std::vector<std::string> ids = o.values("group");
  if (o.has("all-groups")) {
    auto all = admin->list_groups();
    if (!all) return groups::command_failed(all.error());
    ids.clear();
    for (const auto& g : *all) ids.push_back(g.group_id);
  }
  if (o.has("describe")) return groups::describe(*admin, o, ids);
  if (o.has("delete")) return groups::delete_groups(*admin, ids);
  if (o.has("delete-offsets")) return groups::delete_offsets(*admin, o, ids.front());
  return groups::reset_offsets(*admin, o, ids);
}

}  // namespace kafkalite::cli
