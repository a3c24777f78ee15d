// The New pipe page: where from and where to, a check of the source that lists its collections, which of them to
// replicate into which tables, the settings; then POST /v1/pipes and the new pipe's page. A refusal is shown next
// to the field it concerns (each input's data-field is the request's field it fills).

import {api} from './api.js';
import {clearProblems, h, notice, showProblems} from './dom.js';
import {count} from './format.js';

const SETTINGS = [
  ['syncIntervalSeconds', 'Sync interval (s)', 60],
  ['pullBatchSize', 'Batch size (rows)', 100000],
  ['snapshotParallelism', 'Snapshot readers', 2],
  ['snapshotParallelTables', 'Tables loaded at a time', 1],
  ['snapshotNumRowsPerPartition', 'Rows per snapshot range', 100000],
];

export function newPipePage(main) {
  const checked = h('div', {id: 'collections', 'data-field': 'tableMappings'},
    h('p', {class: 'muted'}, 'Check the source to choose its collections.'));
  const form = h('form', {id: 'new-pipe-form', novalidate: true},
    h('p', {class: 'form-error', hidden: true, role: 'alert'}),
    h('div', {class: 'fields'}, input('pipe-name', 'Name', 'name', {required: true, placeholder: 'shop',
      autocomplete: 'off'})),
    h('fieldset', {}, h('legend', {}, 'Source: MongoDB'),
      h('div', {class: 'fields'},
        input('source-uri', 'Connection string', 'source.mongodb.uri', {required: true, class: 'wide',
          placeholder: 'mongodb://host:27017/?replicaSet=rs0', autocomplete: 'off'}),
        input('source-username', 'User (optional)', 'source.mongodb.credentials.username', {autocomplete: 'off'}),
        ...secret('source-password', 'source.mongodb.credentials.password')),
      h('div', {class: 'buttons'}, h('button', {type: 'button', id: 'check-source'}, 'Check'),
        h('span', {id: 'check-status', class: 'muted', role: 'status'}))),
    h('fieldset', {}, h('legend', {}, 'Collections'), checked),
    h('fieldset', {}, h('legend', {}, 'Destination: ClickHouse'),
      h('div', {class: 'fields'},
        input('destination-url', 'HTTP URL', 'destination.clickhouse.url', {required: true,
          placeholder: 'http://host:8123', autocomplete: 'off'}),
        input('destination-database', 'Database', 'destination.clickhouse.database', {required: true}),
        input('destination-username', 'User (optional)', 'destination.clickhouse.credentials.username',
          {autocomplete: 'off'}),
        ...secret('destination-password', 'destination.clickhouse.credentials.password'))),
    h('fieldset', {'data-field': 'settings'}, h('legend', {}, 'Settings'),
      h('div', {class: 'fields'},
        h('div', {class: 'field'}, h('label', {for: 'setting-replicationMode'}, 'Replication'),
          h('select', {id: 'setting-replicationMode', 'data-field': 'settings.replicationMode'},
            h('option', {value: 'cdc'}, 'Snapshot, then changes'),
            h('option', {value: 'snapshot'}, 'Snapshot only'),
            h('option', {value: 'cdc_only'}, 'Changes only, from now'))),
        ...SETTINGS.map(([name, label, value]) => input('setting-' + name, label, 'settings.' + name,
          {type: 'number', min: 1, value})),
        input('setting-webhook', 'Alert webhook (optional)', 'settings.alerts.webhookUrl',
          {type: 'url', placeholder: 'https://hooks.example.com/ferry'}))),
    h('div', {class: 'buttons'}, h('button', {type: 'submit', class: 'primary', id: 'create-pipe'}, 'Create pipe')));
  main.append(h('p', {class: 'crumbs'}, h('a', {href: '#/'}, 'Pipes')), h('h1', {}, 'New pipe'), form);
  const status = form.querySelector('#check-status');

  form.querySelector('#check-source').addEventListener('click', async () => {
    clearProblems(form);
    status.textContent = 'Connecting…';
    try {
      const answer = await api('POST', '/v1/sources/check', {source: source(form)});
      status.textContent = answer.databases.length + ' databases.';
      showCollections(checked, answer.databases);
    } catch (error) {
      status.textContent = '';
      showProblems(form, error);
    }
  });

  form.addEventListener('submit', async event => {
    event.preventDefault();
    clearProblems(form);
    let request;
    try {
      request = pipeRequest(form, checked);
    } catch (problem) {
      showProblems(form, {problems: [problem]});
      return;
    }
    const button = form.querySelector('#create-pipe');
    button.disabled = true;
    try {
      const pipe = await api('POST', '/v1/pipes', request);
      location.hash = '#/pipes/' + encodeURIComponent(pipe.id);
    } catch (error) {
      showProblems(form, error);
      form.querySelector('[aria-invalid]')?.focus();
    } finally {
      button.disabled = false;
    }
  });
  return () => {};
}

function input(id, label, field, attributes = {}) {
  return h('div', {class: 'field' + (attributes.class ? ' ' + attributes.class : '')},
    h('label', {for: id}, label),
    h('input', {type: 'text', ...attributes, class: null, id, 'data-field': field}));
}

/** A password: typed in, or a reference to an environment variable or a file, read where ferry connects. */
function secret(id, field) {
  return [
    h('div', {class: 'field'}, h('label', {for: id + '-kind'}, 'Password'),
      h('select', {id: id + '-kind'},
        h('option', {value: 'value'}, 'Typed here'),
        h('option', {value: 'fromEnv'}, 'From an environment variable'),
        h('option', {value: 'fromFile'}, 'From a file'))),
    h('div', {class: 'field'}, h('label', {for: id}, 'Password, variable or file'),
      h('input', {id, type: 'password', autocomplete: 'new-password', 'data-field': field})),
  ];
}

function value(form, id) {
  return form.querySelector('#' + id).value.trim();
}

function credentials(form, prefix) {
  const username = value(form, prefix + '-username');
  if (!username) {
    return undefined;
  }
  const kind = form.querySelector('#' + prefix + '-password-kind').value;
  const password = form.querySelector('#' + prefix + '-password').value;
  return {username, password: kind === 'value' ? password : {[kind]: password.trim()}};
}

function source(form) {
  return {mongodb: {uri: value(form, 'source-uri'), credentials: credentials(form, 'source')}};
}

/** The collections of the checked source, each with a box to pick it, its target table and its options. */
function showCollections(container, databases) {
  const rows = [];
  for (const database of databases) {
    for (const collection of database.collections) {
      rows.push(collectionRow(database.name, collection));
    }
  }
  container.replaceChildren(rows.length ? h('ul', {class: 'collections'}, ...rows)
    : h('p', {class: 'muted'}, 'The source has no collections outside admin, config and local.'));
}

function collectionRow(database, collection) {
  const key = (database + '-' + collection.name).replace(/[^A-Za-z0-9_-]/g, '_');
  const columns = h('div', {class: 'typed-columns'});
  const addColumn = () => columns.append(h('div', {class: 'fields column'},
    h('div', {class: 'field'}, h('label', {}, 'Column', h('input', {class: 'column-name', placeholder: 'customer'}))),
    h('div', {class: 'field'}, h('label', {}, 'Document path',
      h('input', {class: 'column-path', placeholder: 'customer.id'}))),
    h('div', {class: 'field'}, h('label', {}, 'Type', h('input', {class: 'column-type', value: 'String'})))));
  return h('li', {class: 'collection', 'data-database': database, 'data-collection': collection.name},
    h('label', {class: 'check'}, h('input', {type: 'checkbox', class: 'pick', id: 'pick-' + key}),
      ' ' + database + '.' + collection.name + ' ',
      h('span', {class: 'muted'}, '(about ' + count(collection.estimatedDocuments) + ' documents)')),
    h('div', {class: 'field'}, h('label', {for: 'target-' + key}, 'Target table'),
      h('input', {id: 'target-' + key, class: 'target', value: collection.name})),
    h('details', {}, h('summary', {}, 'Typed columns and table options'),
      columns,
      h('button', {type: 'button', class: 'small', onClick: addColumn}, 'Add a column'),
      h('div', {class: 'fields'},
        h('div', {class: 'field'}, h('label', {}, 'Sorting key (comma separated, ending with _id)',
          h('input', {class: 'order-by', placeholder: 'customer, _id'}))),
        h('div', {class: 'field'}, h('label', {}, 'Partition by',
          h('input', {class: 'partition-by', placeholder: 'toYYYYMM(created)'}))),
        h('div', {class: 'field'}, h('label', {}, 'Leave out fields (comma separated)',
          h('input', {class: 'exclude', placeholder: 'payment.card'}))))));
}

function list(text) {
  return text.split(',').map(part => part.trim()).filter(part => part);
}

/**
 * The request the form asks for. Each picked collection's inputs get the data-field of its place in
 * tableMappings, so that the API's problems with it show next to them.
 */
function pipeRequest(form, checked) {
  const picked = [...checked.querySelectorAll('li.collection')].filter(row => row.querySelector('.pick').checked);
  if (picked.length === 0) {
    throw {field: 'tableMappings', message: 'pick at least one collection (Check lists them)'};
  }
  const mappings = picked.map((row, index) => {
    const path = 'tableMappings[' + index + ']';
    const mapping = {sourceDatabaseName: row.dataset.database, sourceCollection: row.dataset.collection};
    const target = row.querySelector('.target');
    target.dataset.field = path + '.targetTable';
    if (target.value.trim()) {
      mapping.targetTable = target.value.trim();
    }
    const columns = [...row.querySelectorAll('.column')]
      .map(column => ({name: column.querySelector('.column-name').value.trim(),
        path: column.querySelector('.column-path').value.trim(),
        type: column.querySelector('.column-type').value.trim()}))
      .filter(column => column.name || column.path);
    row.querySelector('.typed-columns').dataset.field = path + '.columns';
    if (columns.length) {
      mapping.columns = columns;
    }
    const options = [['.order-by', 'orderBy', list], ['.partition-by', 'partitionBy', text => text.trim()],
      ['.exclude', 'excludeFields', list]];
    for (const [selector, name, read] of options) {
      const element = row.querySelector(selector);
      element.dataset.field = path + '.' + name;
      const given = read(element.value);
      if (given.length) {
        mapping[name] = given;
      }
    }
    return mapping;
  });
  const settings = {replicationMode: form.querySelector('#setting-replicationMode').value};
  for (const [name] of SETTINGS) {
    const text = value(form, 'setting-' + name);
    if (text) {
      settings[name] = Number(text);
    }
  }
  const webhook = value(form, 'setting-webhook');
  if (webhook) {
    settings.alerts = {webhookUrl: webhook, on: ['Degraded', 'Failed']};
  }
  return {
    name: value(form, 'pipe-name'),
    source: source(form),
    destination: {clickhouse: {url: value(form, 'destination-url'), database: value(form, 'destination-database'),
      credentials: credentials(form, 'destination')}},
    tableMappings: mappings,
    settings,
  };
}
