// The credentials page: fetches the read-only JSON API, renders with textContent only (descriptions
// are user text), and refetches when the server's event stream says something changed.
'use strict';

const columns = [
  { key: 'name', label: 'Name', value: (r) => r.name },
  { key: 'namespace', label: 'Namespace', value: (r) => r.namespace },
  { key: 'description', label: 'Description', value: (r) => r.description },
  { key: 'type', label: 'Type', value: (r) => r.type },
  { key: 'status', label: 'Status', value: (r) => r.status.text },
  { key: 'scope', label: 'Scope', value: (r) => r.scope.text },
  { key: 'inUse', label: 'In use', value: (r) => r.inUse, numeric: true },
  { key: 'stale', label: 'Stale', value: (r) => (r.stale === null ? -1 : r.stale), numeric: true },
  { key: 'createdBy', label: 'Created by', value: (r) => r.createdBy },
  { key: 'createdAt', label: 'Created', value: (r) => r.createdAt },
];

const state = {
  table: null,
  sort: { key: 'name', dir: 1 },
  shown: new Set(columns.map((c) => c.key)),
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

async function getJson(path) {
  const response = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
  return body;
}

function age(iso) {
  if (!iso) return '—';
  const seconds = Math.floor((Date.now() - new Date(iso).getTime()) / 1000);
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 120) return `${seconds}s ago`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86400)}d ago`;
}

function statusBadge(status) {
  const badge = el('span', { class: `status status-${status.state}`, text: status.text });
  return status.detail ? el('span', {}, badge, el('span', { class: 'status-detail', text: status.detail })) : badge;
}

const credentialHref = (id) => `#/credential/${id.split('/').map(encodeURIComponent).join('/')}`;
const userHref = (id) => `#/user/${id.split('/').map(encodeURIComponent).join('/')}`;

function cell(column, row) {
  switch (column.key) {
    case 'name':
      return el('th', { scope: 'row' }, el('a', { href: credentialHref(row.id), text: row.name }));
    case 'status':
      return el('td', { 'data-state': row.status.state }, statusBadge(row.status));
    case 'inUse':
      return el('td', { class: 'num', text: String(row.inUse) });
    case 'stale':
      return el('td', row.stale === null ? { class: 'num', title: 'cannot be told: see the notices and the detail', text: '?' } : { class: 'num', 'data-stale': String(row.stale > 0), text: String(row.stale) });
    case 'createdAt':
      return el('td', {}, row.createdAt ? el('time', { datetime: row.createdAt, title: row.createdAt, text: age(row.createdAt) }) : '—');
    default:
      return el('td', { text: String(column.value(row) || '—') });
  }
}

function matches(row, filters) {
  if (filters.type && row.type !== filters.type) return false;
  if (filters.status && row.status.state !== filters.status) return false;
  if (filters.namespace && row.namespace !== filters.namespace) return false;
  if (!filters.search) return true;
  const haystack = [row.name, row.namespace, row.description, row.type, row.status.text, row.status.detail, row.scope.text, row.createdBy].join(' ').toLowerCase();
  return filters.search.split(/\s+/).every((word) => haystack.includes(word));
}

function compare(a, b) {
  const column = columns.find((c) => c.key === state.sort.key);
  const x = column.value(a);
  const y = column.value(b);
  const order = column.numeric ? x - y : String(x).localeCompare(String(y));
  return (order || a.id.localeCompare(b.id)) * state.sort.dir;
}

function fillSelect(select, values) {
  const current = select.value;
  while (select.options.length > 1) select.remove(1);
  for (const value of values) select.add(new Option(value, value));
  select.value = values.includes(current) ? current : '';
}

function renderHeader() {
  const header = $('header-row');
  header.replaceChildren(
    ...columns
      .filter((c) => state.shown.has(c.key))
      .map((c) => {
        const sorted = state.sort.key === c.key ? (state.sort.dir === 1 ? 'ascending' : 'descending') : undefined;
        const button = el('button', { type: 'button', 'data-sort': c.key, text: c.label });
        button.addEventListener('click', () => {
          state.sort = state.sort.key === c.key ? { key: c.key, dir: -state.sort.dir } : { key: c.key, dir: 1 };
          renderTable();
          document.querySelector(`button[data-sort="${c.key}"]`).focus();
        });
        return el('th', { scope: 'col', 'aria-sort': sorted || 'none' }, button);
      }),
  );
}

function renderTable() {
  const table = state.table;
  if (!table) return;
  renderHeader();
  const filters = {
    search: $('search').value.trim().toLowerCase(),
    type: $('filter-type').value,
    status: $('filter-status').value,
    namespace: $('filter-namespace').value,
  };
  const shownColumns = columns.filter((c) => state.shown.has(c.key));
  const rows = table.rows.filter((row) => matches(row, filters)).sort(compare);
  $('rows').replaceChildren(
    ...rows.map((row) => el('tr', { 'data-id': row.id }, ...shownColumns.map((c) => cell(c, row)))),
    ...(rows.length === 0 ? [el('tr', {}, el('td', { colspan: shownColumns.length, class: 'muted', text: table.synced ? 'No credentials match.' : 'Loading…' }))] : []),
  );
  $('count').textContent = `${rows.length} of ${table.rows.length} credentials`;
}

function renderChrome(table) {
  $('scope').textContent = table.namespace ? `namespace ${table.namespace}` : 'all namespaces';
  fillSelect($('filter-type'), [...new Set(table.rows.map((r) => r.type))].sort());
  fillSelect($('filter-namespace'), [...new Set(table.rows.map((r) => r.namespace))].sort());
  $('notices').replaceChildren(...table.notices.map((n) => el('li', {}, el('strong', { text: 'Not shown:' }), n.text)));
}

function facts(pairs) {
  return el('dl', { class: 'facts' }, ...pairs.flatMap(([term, value]) => [el('dt', { text: term }), el('dd', {}, value)]));
}

function list(items, empty) {
  return items.length === 0 ? el('p', { class: 'muted', text: empty }) : el('ul', {}, ...items.map((item) => el('li', {}, item)));
}

function renderCredential(d) {
  const row = d.row;
  const sections = [
    el('h2', { text: `${row.namespace}/${row.name}` }),
    facts([
      ['Type', el('span', { text: `${row.type} (Secret type ${d.secretType})` })],
      ['Status', statusBadge(row.status)],
      ['Scope', d.mirrorOf ? el('span', {}, 'mirror of ', el('a', { href: credentialHref(d.mirrorOf.id), text: d.mirrorOf.id }), d.mirrorOf.current === null ? '' : d.mirrorOf.current ? ' (current)' : ' (outdated)') : row.scope.text],
      ['Description', row.description || '—'],
      ['Expiry', d.expiresAt ? el('time', { datetime: d.expiresAt, text: d.expiresAt }) : 'no expiry date in its data'],
      ['Created', row.createdAt ? `${row.createdAt} by ${row.createdBy || 'unknown'}` : '—'],
      ['Stale', row.stale === null ? '? (cannot be told for some users, see below)' : `${row.stale} of ${d.users.length} users run an older version of a key they take as env`],
    ]),
    el('h3', { text: 'Keys (names only)' }),
    list(d.keys.map((k) => el('code', { text: k })), 'no keys'),
  ];
  if (d.problems.length > 0) {
    sections.push(el('h3', { text: 'Problems' }), list(d.problems.map((p) => (p.key ? `${p.key}: ${p.message}` : p.message)), ''));
  }
  if (d.injects) {
    const i = d.injects;
    const lines = i.env.map((name) => el('span', {}, 'env ', el('code', { text: name })));
    for (const f of i.files) lines.push(el('span', {}, 'file ', el('code', { text: `${i.mountPath}/${f.key}` }), ` (mode ${f.mode})`));
    for (const r of i.rendered) lines.push(el('span', {}, `rendered ${r.format} `, el('code', { text: `${i.mountPath}/${r.file}` })));
    if (i.pullSecret) lines.push('image pull secret of the pod');
    sections.push(el('h3', { text: 'What it injects (a pod that only names it)' }), list(lines, 'nothing by default'));
  }
  if (d.settings.length > 0) sections.push(el('h3', { text: 'Settings' }), facts(d.settings.map((s) => [s.key, el('code', { text: s.value })])));
  sections.push(
    el('h3', { text: `Users (${d.users.length})` }),
    list(
      d.users.map((u) =>
        el(
          'span',
          {},
          el('a', { href: userHref(u.id), text: `${u.kind}/${u.name}` }),
          ` — ${u.via === 'annotation' ? `through credinject.dev/inject: ${u.how.join(', ') || 'nothing it can take'}` : 'direct reference in its spec'}`,
          ...(u.version ? [' — ', el('span', { class: 'version', 'data-version': u.version.state, text: u.version.text })] : []),
        ),
      ),
      'not used by any Pod, workload or ServiceAccount',
    ),
  );
  if (d.propagation) {
    const p = d.propagation;
    sections.push(
      el('h3', { text: 'Copies in other namespaces' }),
      el('p', { class: 'muted', text: `namespace selector: ${p.selector || '(none)'}${p.selectorError ? ` — does not parse: ${p.selectorError}` : ''}${p.namespacesKnown ? '' : ' — Namespaces cannot be listed, so missing copies are not shown'}` }),
      list(p.copies.map((c) => el('span', {}, el('a', { href: credentialHref(`${c.namespace}/${row.name}`), text: c.namespace }), ` — ${c.state}`)), 'no copies'),
    );
  }
  return el('article', { class: 'card', 'aria-labelledby': 'detail-title' }, ...sections);
}

function renderUser(u) {
  return el(
    'article',
    { class: 'card' },
    el('h2', { text: `${u.kind} ${u.namespace}/${u.name}` }),
    el('h3', { text: 'Credentials it references' }),
    list(u.credentials.map((c) => el('span', {}, c.id ? el('a', { href: credentialHref(c.id), text: c.name }) : el('span', { text: `${c.name} (not found)` }), ` — ${c.via}`)), 'none'),
  );
}

async function showRoute() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [view, ...parts] = hash.split('/');
  const detail = view === 'credential' || view === 'user';
  $('list-view').hidden = detail;
  $('detail-view').hidden = !detail;
  if (!detail) return;
  try {
    const path = parts.map((p) => encodeURIComponent(decodeURIComponent(p))).join('/');
    const data = await getJson(`/api/${view === 'credential' ? 'credentials' : 'users'}/${path}`);
    $('detail').replaceChildren(view === 'credential' ? renderCredential(data) : renderUser(data));
  } catch (err) {
    $('detail').replaceChildren(el('p', { class: 'card', text: err.message }));
  }
}

async function refresh() {
  try {
    state.table = await getJson('/api/credentials');
    renderChrome(state.table);
    renderTable();
    if (!$('detail-view').hidden) await showRoute();
  } catch (err) {
    $('live').textContent = `error: ${err.message}`;
  }
}

function renderColumnChoice() {
  const fieldset = $('column-choice');
  for (const column of columns) {
    const box = el('input', { type: 'checkbox', checked: true, 'data-column': column.key });
    box.addEventListener('change', () => {
      if (box.checked) state.shown.add(column.key);
      else state.shown.delete(column.key);
      renderTable();
    });
    fieldset.append(el('label', {}, box, column.label));
  }
}

function connect() {
  const events = new EventSource('/api/events');
  events.addEventListener('hello', () => {
    $('live').textContent = 'live';
    $('live').classList.add('on');
  });
  events.addEventListener('changed', () => void refresh());
  events.addEventListener('error', () => {
    $('live').textContent = 'reconnecting…';
    $('live').classList.remove('on');
  });
}

document.addEventListener('DOMContentLoaded', () => {
  // The token came in the URL; the cookie carries it from now on, so take it out of the address bar.
  if (new URLSearchParams(location.search).has('token')) history.replaceState(null, '', `/${location.hash}`);
  renderColumnChoice();
  for (const id of ['search', 'filter-type', 'filter-status', 'filter-namespace']) $(id).addEventListener('input', renderTable);
  $('filters').addEventListener('submit', (event) => event.preventDefault());
  $('refresh').addEventListener('click', () => void refresh());
  window.addEventListener('hashchange', () => void showRoute());
  connect();
  void refresh().then(showRoute);
});
