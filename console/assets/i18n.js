// The console's words, English and Russian. The English ones are kafka-ui's,
// which the lab names ("Topics → hello-kafka → Messages", "Seek Type",
// "Reset Offset"); the Russian ones keep those names in brackets, so a student
// reading the lab finds every button.
const en = {
  dashboard: 'Dashboard', brokers: 'Brokers', topics: 'Topics', consumers: 'Consumers', requests: 'Requests',
  cluster_id: 'Cluster ID', version: 'Version', node_id: 'Node ID', controller: 'Controller', listeners: 'Listeners',
  advertised_listeners: 'Advertised listeners', uptime: 'Uptime', topic_count: 'Topics', partition_count: 'Partitions',
  message_count: 'Messages', online: 'Online', not_reported: 'not reported by Kafka',
  broker_configs: 'Broker configs', name: 'Name', value: 'Value', source: 'Source', host: 'Host', port: 'Port',
  add_topic: 'Add a Topic', create_topic: 'Create topic', topic_name: 'Topic Name', partitions: 'Partitions',
  replication_factor: 'Replication Factor', configs: 'Configs', configs_hint: 'one name=value per line, e.g. retention.ms=86400000',
  messages: 'Messages', size: 'Size', internal: 'internal', overview: 'Overview', settings: 'Settings', log: 'Log',
  produce_message: 'Produce Message', partition: 'Partition', leader: 'Leader', replicas: 'Replicas', isr: 'In Sync Replicas',
  log_start_offset: 'Log start offset', end_offset: 'End offset', add_partitions: 'Add partitions', new_total: 'New total',
  clear_messages: 'Clear messages', delete_topic: 'Delete topic', confirm: 'Confirm', cancel: 'Cancel',
  edit: 'Edit', save: 'Save', seek_type: 'Seek Type', earliest: 'Earliest', latest: 'Latest', offset: 'Offset',
  timestamp: 'Timestamp', all_partitions: 'All partitions', search: 'Search', load_messages: 'Load messages',
  live: 'Live mode', key: 'Key', headers: 'Headers', format: 'Value format', text: 'Text', json: 'JSON',
  no_messages: 'No messages', produce: 'Produce Message', headers_hint: 'one key:value per line', any_partition: 'any (the partitioner chooses)',
  produced: 'Produced to partition {p} at offset {o}', group_id: 'Consumer Group ID', state: 'State',
  num_members: 'Num Of Members', num_topics: 'Num Of Topics', messages_behind: 'Messages Behind', protocol: 'Protocol',
  members: 'Members', offsets: 'Offsets', timeline: 'Rebalances', member_id: 'Member ID', client_id: 'Client ID',
  assignment: 'Assignment', committed_offset: 'Committed offset', lag: 'Lag', topic: 'Topic',
  reset_offset: 'Reset Offset', reset_type: 'Reset type', all_topics: 'All topics', submit: 'Submit',
  delete_group: 'Delete group', no_groups: 'No consumer groups yet. A group appears once a consumer has read (and committed).',
  no_topics: 'No topics yet.', reset_done: 'Offsets reset', deleted: 'Deleted',
  strip_title: 'The log of partition {p}', strip_help: 'Each box is one message (its offset). Grey boxes were deleted (before the log start offset). The dashed box is the end offset: where the next message will go. ▼ marks the offset a group will read next (its committed offset).',
  log_start: 'log start', end: 'end (next)', earlier: '… {n} earlier', lag_bars: 'Lag per partition',
  timeline_help: 'What the group coordinator did, newest last: members joining and leaving; in a classic group each new generation with its leader, and the assignment the leader made; in a consumer group each new group epoch with its reason, the target assignment the coordinator computed, and each member\'s steps towards its target (a partition is given up before another member gets it).',
  not_available: 'Not available here', requests_help: 'Every request a client sends to the broker and the broker\'s answer, live. Pick a client to follow, e.g. what producer.py or consumer.py says.',
  all_clients: 'All clients', connection: 'Connection', time: 'Time', api: 'API', request: 'Request', response: 'Response', duration: 'Duration',
  waiting: 'Waiting for requests… run a client (producer.py, consumer.py).', loading: 'Loading…',
  event_member_joined: '{m} joined ({c}, {h})', event_member_left: '{m} left: {r}', event_member_expired: '{m} was removed: {r}',
  event_rebalance_started: 'Rebalance started (generation {g}): {r}', event_empty: 'The group is empty',
  event_joined: 'Generation {g}: {n} member(s), leader {l}, assignor {p}', event_assigned: 'Generation {g} is Stable: the leader\'s assignment',
  event_epoch_bumped: 'Group epoch {e}: {r}', event_target_assigned: 'Target assignment for epoch {e} (assignor {a})',
  event_member_reconciled: '{m}: member epoch {e}, {s}', event_member_fenced: '{m} was fenced: {r}',
  event_converted: 'The group is now a {t} group: {r}', owns: 'owns', gives_up: 'gives up', target: 'target',
  group_type: 'Type', group_epoch: 'Group epoch', assignment_epoch: 'Assignment epoch', member_epoch: 'Member epoch',
  member_type: 'Member type', target_assignment: 'Target assignment',
  consumer_group_help: 'A consumer group of the new protocol (KIP-848): the coordinator computes a target assignment for each group epoch, and each member moves to its target one heartbeat at a time.',
  no_events: 'Nothing yet: start a consumer in this group.', live_on: 'live', refused: 'Refused',
  bytes: 'bytes', none: '—', yes: 'yes', brokers_count: 'Brokers',
};

const ru = {
  dashboard: 'Обзор (Dashboard)', brokers: 'Брокеры (Brokers)', topics: 'Топики (Topics)', consumers: 'Группы (Consumers)',
  requests: 'Запросы (Requests)', cluster_id: 'ID кластера', version: 'Версия', node_id: 'ID узла', controller: 'Контроллер',
  listeners: 'Слушатели (listeners)', advertised_listeners: 'Объявленные адреса (advertised.listeners)', uptime: 'Работает',
  topic_count: 'Топики', partition_count: 'Партиции', message_count: 'Сообщения', online: 'В сети', not_reported: 'Kafka не сообщает',
  broker_configs: 'Настройки брокера', name: 'Имя', value: 'Значение', source: 'Источник', host: 'Хост', port: 'Порт',
  add_topic: 'Создать топик (Add a Topic)', create_topic: 'Создать топик', topic_name: 'Имя топика', partitions: 'Партиции',
  replication_factor: 'Фактор репликации', configs: 'Настройки (configs)', configs_hint: 'по одной имя=значение на строку, например retention.ms=86400000',
  messages: 'Сообщения (Messages)', size: 'Размер', internal: 'служебный', overview: 'Обзор', settings: 'Настройки', log: 'Журнал (лог)',
  produce_message: 'Отправить сообщение (Produce Message)', partition: 'Партиция', leader: 'Лидер', replicas: 'Реплики',
  isr: 'Синхронные реплики (ISR)', log_start_offset: 'Начальный offset', end_offset: 'Конечный offset', add_partitions: 'Добавить партиции',
  new_total: 'Всего партиций', clear_messages: 'Очистить сообщения', delete_topic: 'Удалить топик', confirm: 'Подтвердить', cancel: 'Отмена',
  edit: 'Изменить', save: 'Сохранить', seek_type: 'Откуда читать (Seek Type)', earliest: 'С начала (Earliest)', latest: 'Последние (Latest)',
  offset: 'С offset (Offset)', timestamp: 'С момента времени (Timestamp)', all_partitions: 'Все партиции', search: 'Поиск',
  load_messages: 'Загрузить (Load messages)', live: 'В реальном времени (Live)', key: 'Ключ', headers: 'Заголовки', format: 'Формат значения',
  text: 'Текст', json: 'JSON', no_messages: 'Сообщений нет', produce: 'Отправить (Produce Message)', headers_hint: 'по одному ключ:значение на строку',
  any_partition: 'любая (выберет partitioner)', produced: 'Отправлено в партицию {p}, offset {o}', group_id: 'Группа (Consumer Group ID)',
  state: 'Состояние', num_members: 'Участников', num_topics: 'Топиков', messages_behind: 'Отставание (Messages Behind)', protocol: 'Протокол',
  members: 'Участники (Members)', offsets: 'Смещения (Offsets)', timeline: 'Ребалансировки', member_id: 'ID участника', client_id: 'ID клиента',
  assignment: 'Назначенные партиции', committed_offset: 'Сохранённый offset', lag: 'Отставание (lag)', topic: 'Топик',
  reset_offset: 'Сбросить offset (Reset Offset)', reset_type: 'Куда сбросить', all_topics: 'Все топики', submit: 'Сбросить',
  delete_group: 'Удалить группу', no_groups: 'Групп пока нет. Группа появляется, когда consumer прочитал сообщения (и сохранил offset).',
  no_topics: 'Топиков пока нет.', reset_done: 'Offset сброшен', deleted: 'Удалено',
  strip_title: 'Лог партиции {p}', strip_help: 'Каждый квадрат — одно сообщение (его offset). Серые удалены (они до начального offset). Пунктирный — конечный offset: сюда запишется следующее сообщение. ▼ — offset, с которого группа продолжит чтение (сохранённый offset).',
  log_start: 'начало лога', end: 'конец (следующий)', earlier: '… ещё {n} раньше', lag_bars: 'Отставание по партициям',
  timeline_help: 'Что делал координатор группы, новые события внизу: участники входят и выходят; в классической группе — каждое новое поколение (generation) с лидером и распределение партиций, которое сделал лидер; в группе consumer — каждая новая эпоха группы (group epoch) с причиной, целевое распределение (target assignment), которое посчитал координатор, и шаги каждого участника к своей цели (партицию сначала отдают, потом её получает другой участник).',
  not_available: 'Здесь недоступно', requests_help: 'Каждый запрос клиента к брокеру и ответ брокера, в реальном времени. Выберите клиента, например producer.py или consumer.py, и посмотрите, что он говорит брокеру.',
  all_clients: 'Все клиенты', connection: 'Соединение', time: 'Время', api: 'API', request: 'Запрос', response: 'Ответ', duration: 'Длительность',
  waiting: 'Ждём запросов… запустите клиента (producer.py, consumer.py).', loading: 'Загрузка…',
  event_member_joined: '{m} вошёл в группу ({c}, {h})', event_member_left: '{m} вышел: {r}', event_member_expired: '{m} удалён: {r}',
  event_rebalance_started: 'Началась ребалансировка (поколение {g}): {r}', event_empty: 'Группа опустела',
  event_joined: 'Поколение {g}: участников {n}, лидер {l}, стратегия {p}', event_assigned: 'Поколение {g} стабильно (Stable): распределение от лидера',
  event_epoch_bumped: 'Эпоха группы {e}: {r}', event_target_assigned: 'Целевое распределение для эпохи {e} (стратегия {a})',
  event_member_reconciled: '{m}: эпоха участника {e}, {s}', event_member_fenced: '{m} исключён (fenced): {r}',
  event_converted: 'Группа стала группой типа {t}: {r}', owns: 'владеет', gives_up: 'отдаёт', target: 'цель',
  group_type: 'Тип', group_epoch: 'Эпоха группы (group epoch)', assignment_epoch: 'Эпоха распределения (assignment epoch)',
  member_epoch: 'Эпоха участника (member epoch)', member_type: 'Тип участника', target_assignment: 'Целевое распределение (target)',
  consumer_group_help: 'Группа нового протокола consumer (KIP-848): координатор считает целевое распределение для каждой эпохи группы, а каждый участник идёт к своей цели по шагам, с каждым heartbeat.',
  no_events: 'Пока ничего: запустите consumer в этой группе.', live_on: 'обновляется', refused: 'Отказано',
  bytes: 'байт', none: '—', yes: 'да', brokers_count: 'Брокеры',
};

const dictionaries = { en, ru };

export function chosenLanguage() {
  const saved = localStorage.getItem('kafkalite.lang');
  if (saved && dictionaries[saved]) return saved;
  const preferred = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
  for (const l of preferred) {
    const base = String(l).toLowerCase().split('-')[0];
    if (base === 'ru') return 'ru';
    if (base === 'en') return 'en';
  }
  return 'en';
}

let current = chosenLanguage();

export function language() { return current; }

export function setLanguage(lang) {
  current = lang;
  localStorage.setItem('kafkalite.lang', lang);
  document.documentElement.lang = lang;
}

// t('produced', {p: 0, o: 5})
export function t(key, values = {}) {
  let text = (dictionaries[current] && dictionaries[current][key]) || en[key] || key;
  for (const [k, v] of Object.entries(values)) text = text.replaceAll('{' + k + '}', String(v));
  return text;
}
