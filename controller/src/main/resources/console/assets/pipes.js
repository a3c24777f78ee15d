// The pipes page: every pipe with its state, reason, lag, rows a second and last sync, filtered by name and state,
// refreshed every two seconds.

import {get} from './api.js';
import {badge, h, notice} from './dom.js';
import {count, rate, seconds, time} from './format.js';

const STATES = ['Provisioning', 'Setup', 'Snapshot', 'Running', 'Pausing', 'Paused', 'Modifying', 'Resync',
  'Degraded', 'Failed', 'Completed'];

export function pipesPage(main) {
  const name = h('input', {id: 'filter-name', type: 'search', placeholder: 'Name', 'aria-label': 'Filter by name'});
  const state = h('select', {id: 'filter-state', 'aria-label': 'Filter by state'},
    h('option', {value: ''}, 'Every state'), STATES.map(s => h('option', {value: s}, s)));
  const message = h('div', {class: 'messages'});
  const body = h('tbody');
  const table = h('table', {class: 'pipes', id: 'pipes'},
    h('caption', {class: 'visually-hidden'}, 'Pipes'),
    h('thead', {}, h('tr', {}, ['Name', 'State', 'Reason', 'Lag', 'Rows/s', 'Last synced', 'Tables']
      .map(title => h('th', {scope: 'col'}, title)))),
    body);
  main.append(
    h('div', {class: 'title'}, h('h1', {}, 'Pipes'),
      h('a', {class: 'button primary', href: '#/new', id: 'new-pipe'}, 'New pipe')),
    h('div', {class: 'filters'}, name, state),
    message,
    h('div', {class: 'scroll'}, table));
  let pipes = [];

  function show() {
    const wanted = name.value.trim().toLowerCase();
    const shown = pipes.filter(pipe => pipe.name.toLowerCase().includes(wanted)
      && (!state.value || pipe.state === state.value));
    body.replaceChildren(...shown.map(pipe => h('tr', {'data-pipe': pipe.name},
      h('th', {scope: 'row'}, h('a', {href: '#/pipes/' + encodeURIComponent(pipe.id)}, pipe.name)),
      h('td', {}, badge(pipe.state)),
      h('td', {class: 'reason'}, pipe.stateReason || ''),
      h('td', {class: 'number'}, seconds(pipe.lagSeconds)),
      h('td', {class: 'number'}, rate(pipe.rowsPerSecond)),
      h('td', {}, time(pipe.lastSyncedAt)),
      h('td', {class: 'number'}, count(pipe.tableMappings.length)))));
    if (shown.length === 0) {
      body.append(h('tr', {}, h('td', {colspan: 7, class: 'muted'}, pipes.length === 0
        ? 'No pipe yet: create one with New pipe.' : 'No pipe matches the filter.')));
    }
  }

  async function refresh() {
    try {
      pipes = await get('/v1/pipes');
      message.replaceChildren();
      show();
    } catch (error) {
      notice(message, 'The controller did not answer: ' + error.message, 'error');
    }
  }

  name.addEventListener('input', show);
  state.addEventListener('change', show);
  refresh();
  const timer = setInterval(refresh, 2000);
  return () => clearInterval(timer);
}
