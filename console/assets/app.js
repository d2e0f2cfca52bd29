// The console's pages: a hash router (#/topics/hello-kafka/messages), the
// navigation, and the language switch. Each page is a module under pages/.
import { t, language, setLanguage } from './i18n.js';
import { h, api, closeLiveViews } from './dom.js';
import { dashboardPage, brokersPage } from './pages/cluster.js';
import { topicsPage } from './pages/topics.js';
import { topicPage } from './pages/topic.js';
import { consumersPage, groupPage } from './pages/consumers.js';
import { requestsPage } from './pages/requests.js';

const routes = [
  [/^\/?$/, () => dashboardPage()],
  [/^\/brokers$/, () => brokersPage()],
  [/^\/topics$/, () => topicsPage()],
  [/^\/topics\/([^/]+)(?:\/([a-z]+))?$/, (m) => topicPage(decodeURIComponent(m[1]), m[2] || 'overview')],
  [/^\/consumers$/, () => consumersPage()],
  [/^\/consumers\/([^/]+)(?:\/([a-z]+))?$/, (m) => groupPage(decodeURIComponent(m[1]), m[2] || 'members')],
  [/^\/requests$/, () => requestsPage()],
];

function renderNav(path) {
  const items = [['#/', 'dashboard', /^\/?$/], ['#/brokers', 'brokers', /^\/brokers/], ['#/topics', 'topics', /^\/topics/],
    ['#/consumers', 'consumers', /^\/consumers/], ['#/requests', 'requests', /^\/requests/]];
  const nav = document.getElementById('nav');
  nav.replaceChildren(...items.map(([href, key, re]) =>
    h('a', { href, class: re.test(path) ? 'active' : '', 'data-test': 'nav-' + key }, t(key))));
}

async function render() {
  closeLiveViews();
  const path = location.hash.replace(/^#/, '').split('?')[0] || '/';
  renderNav(path);
  document.getElementById('lang').textContent = language() === 'ru' ? 'EN' : 'RU';
  const main = document.getElementById('main');
  main.replaceChildren(h('p', { class: 'muted' }, t('loading')));
  for (const [re, page] of routes) {
    const m = path.match(re);
    if (m) {
      const started = performance.now();
      const content = await page(m);
      if (location.hash.replace(/^#/, '').split('?')[0] !== path && !(path === '/' && location.hash === '')) return;
      main.replaceChildren(content);
      document.body.dataset.page = path;
      document.body.dataset.loadedMs = String(Math.round(performance.now() - started));
      return;
    }
  }
  main.replaceChildren(h('p', {}, 'Not found: ' + path));
}

async function start() {
  document.documentElement.lang = language();
  document.getElementById('lang').addEventListener('click', () => {
    setLanguage(language() === 'ru' ? 'en' : 'ru');
    render();
  });
  const info = await api('GET', '/api/info');
  if (info.ok) {
    document.getElementById('where').textContent =
      (info.data.software ? info.data.software + ' · ' : '') + info.data.bootstrap_servers;
    window.consoleInfo = info.data;
  }
  window.addEventListener('hashchange', render);
  render();
}

start();
