// A pipe's page: its state and what it is doing, the actions its state allows, rows and lag over time, its tables,
// syncs, history and errors, its settings and table mappings. Everything through the REST API.

import {api, ApiError, get, pipePath} from './api.js';
import {badge, clearProblems, confirmed, h, notice, showProblems} from './dom.js';
import {bytes, count, rate, seconds, time} from './format.js';
import {LagChart, RowsChart, RANGES} from './charts.js';

const ACTIONS = [
  {key: 'pause', label: 'Pause', run: id => api('PATCH', pipePath(id, '/state'), {action: 'pause'})},
  {key: 'resume', label: 'Resume', run: id => api('PATCH', pipePath(id, '/state'), {action: 'resume'})},
  {key: 'resync', label: 'Resync', danger: true, confirm: 'Every collection is loaded again into new tables, '
    + 'which then replace the current ones; the tables\' counts start over.',
    run: id => api('PATCH', pipePath(id, '/state'), {action: 'resync'})},
  {key: 'verify', label: 'Verify'},
  {key: 'delete', label: 'Delete', danger: true},
];

export function pipePage(main, id) {
  const messages = h('div', {class: 'messages', id: 'messages'});
  const header = h('div', {class: 'pipe-header', id: 'pipe-header'});
  const actions = h('div', {class: 'actions', id: 'actions', role: 'group', 'aria-label': 'Actions'});
  const refusals = h('details', {class: 'refusals', id: 'refusals', hidden: true},
    h('summary', {}, 'Why are some actions unavailable?'), h('ul'));
  const verifyBox = h('div', {id: 'verify'});
  const tables = h('tbody', {id: 'tables-body'});
  const syncs = h('tbody', {id: 'syncs-body'});
  const history = h('ol', {class: 'timeline', id: 'history'});
  const errors = h('tbody', {id: 'errors-body'});
  const rows = new RowsChart(h('canvas', {id: 'rows-chart', role: 'img',
    'aria-label': 'Rows committed per interval, by operation'}));
  const lag = new LagChart(h('canvas', {id: 'lag-chart', role: 'img',
    'aria-label': 'The longest a change waited for its commit, per interval'}));
  const range = h('select', {id: 'chart-range', 'aria-label': 'Time range of the charts'},
    Object.entries(RANGES).map(([key, value]) => h('option', {value: key}, value.label)));
  const settings = h('div', {id: 'settings'});
  const mappings = h('div', {id: 'mappings'});

  main.append(
    h('p', {class: 'crumbs'}, h('a', {href: '#/'}, 'Pipes')),
    header, messages, actions, refusals, verifyBox,
    section('Rows and lag', h('div', {class: 'chart-tools'}, h('label', {for: 'chart-range'}, 'Range'), range),
      h('div', {class: 'charts'}, h('div', {class: 'chart'}, rows.canvas), h('div', {class: 'chart'}, lag.canvas))),
    section('Tables', h('div', {class: 'scroll'}, h('table', {class: 'tables', id: 'tables'},
      h('thead', {}, h('tr', {}, ['Table', 'Snapshot', 'Rows loaded', 'Rows/s', 'Time left', 'Inserts', 'Updates',
        'Replaces', 'Deletes', 'Mismatches', 'Last synced', ''].map(title => h('th', {scope: 'col'}, title)))),
      tables))),
    section('Recent syncs', h('div', {class: 'scroll'}, h('table', {class: 'syncs', id: 'syncs'},
      h('thead', {}, h('tr', {}, ['Committed', 'Sync', 'Took', 'Bytes', 'Table', 'Snapshot', 'Inserts', 'Updates',
        'Replaces', 'Deletes', 'Mismatches'].map(title => h('th', {scope: 'col'}, title)))),
      syncs))),
    section('History', history),
    section('Errors', h('div', {class: 'scroll'}, h('table', {class: 'errors', id: 'errors'},
      h('thead', {}, h('tr', {}, ['Began', 'Over', 'State', 'What', 'Why'].map(title => h('th', {scope: 'col'},
        title)))), errors))),
    section('Settings', settings),
    section('Table mappings', mappings));

  let pipe = null;
  let formsShown = false;

  async function refresh() {
    try {
      pipe = await get(pipePath(id));
      showHeader(header, pipe);
      showActions(actions, refusals, pipe, act);
      showTables(tables, await get(pipePath(id, '/tables')), pipe, act);
      if (!formsShown) {
        formsShown = true;
        showSettings(settings, pipe, changed);
        showMappings(mappings, pipe, changed);
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        notice(messages, 'There is no pipe ' + id + '. ', 'error');
        messages.append(h('a', {href: '#/'}, 'All pipes'));
        stop();
        return;
      }
      notice(messages, 'The controller did not answer: ' + error.message, 'error');
    }
  }

  async function refreshHistory() {
    try {
      showSyncs(syncs, await get(pipePath(id, '/syncs?limit=20')));
      showHistory(history, await get(pipePath(id, '/history')));
      showErrors(errors, await get(pipePath(id, '/errors')));
      const chosen = RANGES[range.value];
      const since = new Date(Date.now() - chosen.seconds * 1000).toISOString();
      const points = (await get(pipePath(id, '/throughput?since=' + since + '&step=' + chosen.step))).points;
      rows.show(points, chosen);
      lag.show(points, chosen, pipe ? pipe.lagSeconds : null);
    } catch (error) {
      notice(messages, 'The controller did not answer: ' + error.message, 'error');
    }
  }

  /** Runs an action, tells how it went, and shows the pipe as it is now. */
  async function act(label, run) {
    try {
      const after = await run();
      notice(messages, label + ': accepted' + (after && after.state ? '; the pipe is ' + after.state : '') + '.');
    } catch (error) {
      notice(messages, label + ' refused: ' + error.message, 'error');
    }
    await refresh();
    refreshHistory();
  }

  /** After settings or mappings changed: the forms are shown again from the pipe as it is now. */
  async function changed(label) {
    notice(messages, label + ': accepted.');
    formsShown = false;
    await refresh();
  }

  actions.addEventListener('pipe-action', async event => {
    const action = event.detail;
    if (action.key === 'verify') {
      verify(verifyBox, id);
    } else if (action.key === 'delete') {
      remove(id, messages);
    } else if (!action.confirm || await confirmed(action.label + ' ' + pipe.name + '?', action.confirm)) {
      act(action.label, () => action.run(id));
    }
  });
  range.addEventListener('change', refreshHistory);
  refresh().then(refreshHistory);
  const fast = setInterval(refresh, 2000);
  const slow = setInterval(refreshHistory, 5000);
  function stop() {
    clearInterval(fast);
    clearInterval(slow);
    rows.destroy();
    lag.destroy();
  }
  return stop;
}

function section(title, ...content) {
  const id = 'section-' + title.toLowerCase().replace(/[^a-z]+/g, '-');
  return h('section', {'aria-labelledby': id}, h('h2', {id}, title), ...content);
}

function showHeader(header, pipe) {
  const applying = pipe.generation !== pipe.observedGeneration;
  const figure = (term, ...value) => h('div', {}, h('dt', {}, term), h('dd', {}, ...value));
  header.replaceChildren(...[
    h('div', {class: 'title'}, h('h1', {}, pipe.name), badge(pipe.state)),
    h('p', {class: 'reason', id: 'state-reason'}, pipe.stateReason || ''),
    applying ? h('p', {class: 'applying', id: 'applying'}, 'Applying a change: generation ' + pipe.generation
      + ' asked, ' + pipe.observedGeneration + ' applied so far.') : null,
    pipe.lastError ? h('p', {class: 'notice notice-error'}, 'Trying again at ', time(pipe.lastError.nextAttemptAt),
      ' (attempt ' + pipe.lastError.attempts + ' failed: ' + pipe.lastError.message + ')') : null,
    h('dl', {class: 'figures'},
      figure('Lag', h('span', {id: 'lag'}, seconds(pipe.lagSeconds))),
      figure('Rows/s (last minute)', h('span', {id: 'rows-per-second'}, rate(pipe.rowsPerSecond))),
      figure('Last synced', time(pipe.lastSyncedAt)),
      figure('Source', pipe.source.mongodb.uri),
      figure('Destination', pipe.destination.clickhouse.url + ' · ' + pipe.destination.clickhouse.database),
      figure('Flink job', pipe.dashboardUrl && pipe.flinkJobId
        ? h('a', {href: pipe.dashboardUrl, target: '_blank', rel: 'noopener', id: 'flink-link'},
          'Open in Flink\'s dashboard') : pipe.flinkJobId || '–')),
  ].filter(Boolean));
}

function showActions(container, refusals, pipe, act) {
  if (container.childElementCount === 0) {
    for (const action of ACTIONS) {
      container.append(h('button', {type: 'button', id: 'action-' + action.key,
        class: action.danger ? 'danger' : null,
        onClick: () => container.dispatchEvent(new CustomEvent('pipe-action', {detail: action}))}, action.label));
    }
  }
  const reasons = [];
  for (const action of ACTIONS) {
    const allowed = pipe.actions[action.key];
    const button = container.querySelector('#action-' + action.key);
    button.disabled = !allowed.allowed;
    button.title = allowed.allowed ? '' : allowed.reason;
    if (!allowed.allowed) {
      reasons.push(h('li', {}, h('strong', {}, action.label + ': '), allowed.reason));
    }
  }
  refusals.hidden = reasons.length === 0;
  refusals.querySelector('ul').replaceChildren(...reasons);
}

function showTables(body, tables, pipe, act) {
  body.replaceChildren(...tables.map(table => {
    const snapshot = table.snapshot;
    const progress = snapshot.status === 'done' || snapshot.status === 'skipped' ? 1
      : snapshot.rowsEstimated > 0 ? Math.min(1, (snapshot.rowsLoaded || 0) / snapshot.rowsEstimated) : 0;
    const cdc = table.cdc || {};
    const resync = h('button', {type: 'button', class: 'small', 'data-resync': table.targetTable,
      disabled: !pipe.actions.resyncTable.allowed, title: pipe.actions.resyncTable.reason || '',
      onClick: async () => {
        if (await confirmed('Resync ' + table.targetTable + '?', 'The table is loaded again into a new table, '
          + 'which then replaces it, while the other tables go on; its counts start over.')) {
          act('Resync of ' + table.targetTable, () => api('POST', pipePath(pipe.id, '/tables/'
            + encodeURIComponent(table.targetTable) + '/resync')));
        }
      }}, 'Resync');
    return h('tr', {'data-table': table.targetTable},
      h('th', {scope: 'row'}, table.targetTable, h('div', {class: 'muted small'}, table.source)),
      h('td', {}, h('progress', {max: 1, value: progress, 'aria-label': 'Snapshot of ' + table.targetTable}),
        ' ', h('span', {class: 'status'}, snapshot.status)),
      h('td', {class: 'number'}, count(snapshot.rowsLoaded) + ' / ' + count(snapshot.rowsEstimated)),
      h('td', {class: 'number'}, rate(snapshot.rowsPerSecond)),
      h('td', {class: 'number'}, seconds(snapshot.etaSeconds)),
      h('td', {class: 'number', 'data-count': 'inserts'}, count(cdc.inserts)),
      h('td', {class: 'number', 'data-count': 'updates'}, count(cdc.updates)),
      h('td', {class: 'number', 'data-count': 'replaces'}, count(cdc.replaces)),
      h('td', {class: 'number', 'data-count': 'deletes'}, count(cdc.deletes)),
      h('td', {class: 'number'}, table.columns ? count(table.columns.mismatches) : '–'),
      h('td', {}, time(cdc.lastSyncedAt)),
      h('td', {}, resync));
  }));
}

function showSyncs(body, syncs) {
  const lines = [];
  for (const sync of syncs) {
    sync.tables.forEach((table, index) => lines.push(h('tr', {},
      index === 0 ? h('td', {rowspan: sync.tables.length}, time(sync.committedAt)) : null,
      index === 0 ? h('td', {rowspan: sync.tables.length, title: sync.syncId},
        '…' + sync.syncId.substring(sync.syncId.lastIndexOf('-') - 6)) : null,
      index === 0 ? h('td', {rowspan: sync.tables.length, class: 'number'}, count(sync.durationMs) + ' ms') : null,
      index === 0 ? h('td', {rowspan: sync.tables.length, class: 'number'}, bytes(sync.bytes)) : null,
      h('td', {}, table.targetTable),
      ...['snapshot', 'inserts', 'updates', 'replaces', 'deletes', 'mismatches']
        .map(kind => h('td', {class: 'number'}, count(table[kind]))))));
  }
  body.replaceChildren(...(lines.length ? lines
    : [h('tr', {}, h('td', {colspan: 11, class: 'muted'}, 'No sync yet.'))]));
}

function showHistory(list, transitions) {
  list.replaceChildren(...transitions.slice().reverse().map(transition => h('li', {},
    time(transition.at), ' ', transition.from ? badge(transition.from) : null, transition.from ? ' → ' : '',
    badge(transition.to), h('div', {class: 'reason'}, transition.reason || ''))));
}

function showErrors(body, errors) {
  body.replaceChildren(...(errors.length ? errors.map(error => h('tr', {class: error.resolvedAt ? '' : 'ongoing'},
    h('td', {}, time(error.at)),
    h('td', {}, error.resolvedAt ? time(error.resolvedAt) : h('strong', {}, 'ongoing')),
    h('td', {}, badge(error.state)),
    h('td', {}, error.code),
    h('td', {class: 'reason'}, error.message || ''))) : [h('tr', {}, h('td', {colspan: 5, class: 'muted'},
    'Nothing went wrong.'))]));
}

/** Compares the collections with their tables, document by document, and shows what differs. */
async function verify(box, id) {
  notice(box, 'Verifying: every collection is compared with its table, document by document…');
  try {
    const report = await get(pipePath(id, '/verify'));
    box.replaceChildren(h('h2', {}, 'Verification'), h('p', {id: 'verify-result',
      class: 'notice ' + (report.equal ? 'notice-info' : 'notice-error')}, report.equal
      ? 'Every table equals its collection.' : 'Some tables differ from their collections.'),
    ...report.tables.map(table => h('div', {class: 'verified'},
      h('h3', {}, table.targetTable + ' (' + table.source + '): ' + (table.equal ? 'equal' : 'different')),
      h('p', {}, count(table.mongodbDocuments) + ' documents, ' + count(table.clickhouseRows) + ' rows; '
        + count(table.missing) + ' missing, ' + count(table.extra) + ' extra, ' + count(table.different)
        + ' different'),
      differences('Missing', table.missingIds), differences('Extra', table.extraIds),
      differences('Different', table.differentIds))));
  } catch (error) {
    notice(box, 'Verify refused: ' + error.message, 'error');
  }
}

function differences(title, ids) {
  if (!ids || ids.length === 0) {
    return null;
  }
  return h('details', {}, h('summary', {}, title + ': ' + ids.map(entry => JSON.stringify(entry.id)).join(', ')),
    ...ids.map(entry => h('pre', {}, 'id ' + JSON.stringify(entry.id) + '\nMongoDB:    '
      + JSON.stringify(entry.mongodb) + '\nClickHouse: ' + JSON.stringify(entry.clickhouse))));
}

async function remove(id, messages) {
  const drop = h('input', {type: 'checkbox', id: 'drop-tables'});
  const text = document.getElementById('confirm-text');
  const answer = confirmed('Delete this pipe?', 'Its job stops and the pipe is forgotten; its tables stay unless '
    + 'you drop them too.');
  text.append(h('label', {class: 'check'}, drop, ' Drop its tables too'));
  if (!await answer) {
    return;
  }
  try {
    await api('DELETE', pipePath(id, drop.checked ? '?dropTables=true' : ''));
    location.hash = '#/';
  } catch (error) {
    notice(messages, 'Delete refused: ' + error.message, 'error');
  }
}

const NUMBERS = [
  ['syncIntervalSeconds', 'Sync interval (s)'], ['pullBatchSize', 'Batch size (rows)'],
  ['snapshotParallelism', 'Snapshot readers'], ['snapshotParallelTables', 'Tables loaded at a time'],
  ['lagThresholdSeconds', 'Lag threshold (s)']];
const ALERT_STATES = ['Degraded', 'Failed', 'Running', 'Paused', 'Completed'];

function showSettings(container, pipe, changed) {
  const settings = pipe.settings;
  const form = h('form', {id: 'settings-form', novalidate: true},
    h('p', {class: 'form-error', hidden: true, role: 'alert'}),
    h('div', {class: 'fields'}, ...NUMBERS.map(([name, label]) => h('div', {class: 'field'},
      h('label', {for: 'setting-' + name}, label),
      h('input', {id: 'setting-' + name, name, type: 'number', min: 1, value: settings[name],
        'data-field': 'settings.' + name})))),
    h('fieldset', {'data-field': 'settings.alerts'}, h('legend', {}, 'Alerts'),
      h('div', {class: 'field'}, h('label', {for: 'setting-webhook'}, 'Webhook URL'),
        h('input', {id: 'setting-webhook', type: 'url', value: settings.alerts ? settings.alerts.webhookUrl : '',
          placeholder: 'https://hooks.example.com/ferry', 'data-field': 'settings.alerts.webhookUrl'})),
      h('div', {class: 'checks'}, ...ALERT_STATES.map(state => h('label', {class: 'check'},
        h('input', {type: 'checkbox', name: 'alert-on', value: state,
          checked: settings.alerts ? settings.alerts.on.includes(state) : ['Degraded', 'Failed'].includes(state)}),
        ' ' + state)))),
    h('div', {class: 'buttons'}, h('button', {type: 'submit', class: 'primary', id: 'save-settings',
      disabled: !pipe.actions.changeSettings.allowed, title: pipe.actions.changeSettings.reason || ''},
    'Save settings')));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    clearProblems(form);
    const edited = {...settings};
    for (const [name] of NUMBERS) {
      const value = form.elements[name].value;
      edited[name] = value === '' ? null : Number(value);
    }
    const webhook = form.querySelector('#setting-webhook').value.trim();
    edited.alerts = webhook ? {webhookUrl: webhook,
      on: [...form.querySelectorAll('input[name=alert-on]:checked')].map(box => box.value)} : undefined;
    try {
      await api('PUT', pipePath(pipe.id, '/settings'), edited);
      changed('New settings');
    } catch (error) {
      showProblems(form, error);
    }
  });
  container.replaceChildren(form);
}

const COLUMN_TYPES = ['String', 'Int64', 'Float64', 'Decimal(18,2)', 'Bool', 'UInt8', 'DateTime64(3)', 'DateTime',
  'Nullable(String)', 'Nullable(Int64)', 'Nullable(Float64)', 'Array(String)'];

function showMappings(container, pipe, changed) {
  const allowed = pipe.actions.changeTables;
  const list = h('ul', {class: 'mappings', id: 'mapping-list'}, ...pipe.tableMappings.map(mapping => h('li', {},
    h('span', {}, mapping.sourceDatabaseName + '.' + mapping.sourceCollection + ' → ' + mapping.targetTable),
    mapping.columns ? h('span', {class: 'muted'}, ' · columns: ' + mapping.columns.map(column => column.name
      + ' ' + column.type).join(', ')) : null,
    ' ', h('button', {type: 'button', class: 'small danger', disabled: !allowed.allowed, title: allowed.reason || '',
      onClick: async () => {
        if (await confirmed('Remove ' + mapping.targetTable + '?', 'The table gets no more changes and keeps its '
          + 'rows.')) {
          try {
            await api('PATCH', pipePath(pipe.id), {removeTableMappings: [{sourceDatabaseName:
              mapping.sourceDatabaseName, sourceCollection: mapping.sourceCollection}]});
            changed('Removal of ' + mapping.targetTable);
          } catch (error) {
            showProblems(add, error);
          }
        }
      }}, 'Remove'))));
  const add = h('form', {id: 'add-mapping', novalidate: true},
    h('h3', {}, 'Add a table'),
    h('p', {class: 'form-error', hidden: true, role: 'alert'}),
    h('div', {class: 'fields', 'data-field': 'addTableMappings'},
      field('add-db', 'Database', {name: 'db', required: true}),
      field('add-collection', 'Collection', {name: 'collection', required: true}),
      field('add-table', 'Target table (default: the collection\'s name)', {name: 'table'})),
    h('div', {class: 'buttons'}, h('button', {type: 'submit', disabled: !allowed.allowed,
      title: allowed.reason || ''}, 'Add table')));
  add.addEventListener('submit', async event => {
    event.preventDefault();
    clearProblems(add);
    const mapping = {sourceDatabaseName: add.elements.db.value.trim(),
      sourceCollection: add.elements.collection.value.trim()};
    if (add.elements.table.value.trim()) {
      mapping.targetTable = add.elements.table.value.trim();
    }
    try {
      await api('PATCH', pipePath(pipe.id), {addTableMappings: [mapping]});
      changed('Addition of ' + mapping.sourceDatabaseName + '.' + mapping.sourceCollection);
    } catch (error) {
      showProblems(add, error);
    }
  });
  const columns = h('form', {id: 'add-columns', novalidate: true},
    h('h3', {}, 'Add a typed column'),
    h('p', {class: 'muted'}, 'The table gets the column and is resynced to fill it.'),
    h('p', {class: 'form-error', hidden: true, role: 'alert'}),
    h('div', {class: 'fields', 'data-field': 'updateTableMappings'},
      h('div', {class: 'field'}, h('label', {for: 'column-table'}, 'Table'),
        h('select', {id: 'column-table', name: 'table'}, ...pipe.tableMappings.map(mapping =>
          h('option', {value: mapping.targetTable}, mapping.targetTable)))),
      field('column-name', 'Column name', {name: 'name', required: true}),
      field('column-path', 'Document path (e.g. customer.id)', {name: 'path', required: true}),
      h('div', {class: 'field'}, h('label', {for: 'column-type'}, 'Type'),
        h('input', {id: 'column-type', name: 'type', list: 'column-types', value: 'String'}),
        h('datalist', {id: 'column-types'}, ...COLUMN_TYPES.map(type => h('option', {value: type}))))),
    h('div', {class: 'buttons'}, h('button', {type: 'submit', disabled: !allowed.allowed,
      title: allowed.reason || ''}, 'Add column')));
  columns.addEventListener('submit', async event => {
    event.preventDefault();
    clearProblems(columns);
    const mapping = pipe.tableMappings.find(candidate => candidate.targetTable === columns.elements.table.value);
    try {
      await api('PATCH', pipePath(pipe.id), {updateTableMappings: [{sourceDatabaseName: mapping.sourceDatabaseName,
        sourceCollection: mapping.sourceCollection, columns: [{name: columns.elements.name.value.trim(),
          path: columns.elements.path.value.trim(), type: columns.elements.type.value.trim()}]}]});
      changed('New column in ' + mapping.targetTable);
    } catch (error) {
      showProblems(columns, error);
    }
  });
  container.replaceChildren(list, h('div', {class: 'forms'}, add, columns));
}

function field(id, label, attributes) {
  return h('div', {class: 'field'}, h('label', {for: id}, label), h('input', {id, ...attributes}));
}
