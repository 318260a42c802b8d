// Dead letters: browse a connector's error topic, look at one, replay some (or all matching the
// filter) and follow each replayed item until it is processed or fails again.
import {connectorPath, get, post} from './api.js';
import {$, el, fill, instant, pretty, status} from './ui.js';
import {envelope, openMessages} from './debugger.js';

const POLL_MS = 2000;
let items = []; // the listed dead letters, newest first
let next = null;
let shown = null;
let replayTimer = null;
const replayStatus = new Map(); // dead-letter id -> {status, error, message}

export function init() {
  $('dl-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    search(false);
  });
  $('dl-connector').addEventListener('change', () => search(false));
  $('dl-more').addEventListener('click', () => search(true));
  $('dl-replay').addEventListener('click', replay);
  $('dl-open').addEventListener('click', () => {
    if (shown) openMessages($('dl-connector').value, [envelope(shown)]);
  });
}

export function enter() {
  search(false);
}

export function leave() {}

function filter() {
  const f = {};
  const error = $('dl-error').value.trim();
  const device = $('dl-device').value.trim();
  if (error) f.error = error;
  if (device) f.device = device;
  if ($('dl-from').value) f.from = instant($('dl-from').value);
  if ($('dl-to').value) f.to = instant($('dl-to').value);
  return f;
}

async function search(more) {
  const name = $('dl-connector').value;
  if (!name) {
    fill($('dl-items'));
    return;
  }
  const query = new URLSearchParams(Object.assign({limit: '50'}, filter()));
  if (more && next) query.set('before', next);
  try {
    const page = await get(connectorPath(name, '/dead-letters?' + query));
    items = more ? items.concat(page.items) : page.items;
    next = page.next;
    $('dl-more').hidden = !next;
    if (!more) $('dl-detail').hidden = true;
    renderList();
    status(items.length + ' dead letter(s) of ' + name + (next ? ' (more older ones)' : '') + '.');
  } catch (e) {
    status('Cannot read the dead letters: ' + e.message, true);
  }
}

function renderList() {
  fill($('dl-items'), items.length ? items.map((item) => {
    const replayed = replayStatus.get(item.id);
    return el('tr', {dataset: {id: item.id, error: item.error}},
        el('td', {}, el('input', {type: 'checkbox', class: 'pick', value: item.id,
          'aria-label': 'Select dead letter ' + item.id})),
        el('td', {}, el('button', {type: 'button', class: 'link', onclick: () => detail(item)},
            new Date(item.time).toLocaleString())),
        el('td', {}, item.stage),
        el('td', {}, item.error),
        el('td', {class: 'text'}, item.message),
        el('td', {class: 'replay-status'}, replayed ?
          [el('span', {class: 'badge ' + replayed.status, dataset: {status: replayed.status}},
              replayed.status), replayed.error ? ' ' + replayed.error + ': ' + (replayed.message || '') : ''] :
          item.replayOf ? 'failure of a replay of ' + item.replayOf : ''));
  }) : el('tr', {}, el('td', {colspan: '6', class: 'muted'}, 'No dead letters.')));
}

function detail(item) {
  shown = item;
  const fields = [['Id', item.id], ['Time', item.time], ['Stage', item.stage],
    ['Error', item.error + ' (' + item.severity + ')'], ['Message', item.message],
    ['Source position', item.source ? item.source.topic + ' partition ' + item.source.partition +
      ' offset ' + item.source.offset : 'unknown'],
    ['Dead-letter position', 'partition ' + item.partition + ' offset ' + item.offset],
    ['Key', item.key === null ? '(none)' : item.key],
    ['Properties', Object.keys(item.properties || {}).length ? pretty(item.properties) : '(none)'],
    ['Replay of', item.replayOf || '(original)']];
  fill($('dl-detail-fields'), fields.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, String(v))]));
  let body = envelope(item).Body;
  body = typeof body === 'string' ? body : pretty(body);
  $('dl-detail-body').textContent = body + (item.truncated ? '\n… (truncated: cannot be replayed)' : '');
  $('dl-detail').hidden = false;
  $('dl-detail-title').focus();
}

async function replay() {
  const name = $('dl-connector').value;
  if (!name) return;
  let request;
  if ($('dl-all').checked) {
    request = {filter: filter()};
  } else {
    const ids = [...document.querySelectorAll('#dl-items input.pick:checked')].map((c) => c.value);
    if (!ids.length) {
      status('Select dead letters first, or tick "All matching the filter".', true);
      return;
    }
    request = {ids};
  }
  try {
    const answer = await post(connectorPath(name, '/dead-letters/replay'), request);
    for (const id of answer.replayed) replayStatus.set(id, {status: 'pending'});
    for (const skip of answer.skipped || []) {
      replayStatus.set(skip.id, {status: 'skipped', message: skip.reason});
    }
    renderList();
    $('dl-replay-status').textContent = 'Replaying ' + answer.replayed.length + ', skipped ' +
      (answer.skipped || []).length + '…';
    follow(name, answer.replay);
  } catch (e) {
    status('Cannot replay: ' + e.message, true);
  }
}

function follow(name, replayId) {
  clearTimeout(replayTimer);
  const poll = async () => {
    try {
      const state = await get(connectorPath(name, '/dead-letters/replays/' +
        encodeURIComponent(replayId)));
      for (const item of state.items) replayStatus.set(item.id, item);
      renderList();
      const count = (s) => state.items.filter((i) => i.status === s).length;
      $('dl-replay-status').textContent = 'Replay: ' + count('processed') + ' processed, ' +
        count('failed') + ' failed, ' + count('pending') + ' pending' + (state.done ? ' (done).' : '…');
      $('dl-replay-status').dataset.done = String(state.done);
      if (!state.done) replayTimer = setTimeout(poll, POLL_MS);
    } catch (e) {
      status('Cannot read the replay: ' + e.message, true);
    }
  };
  poll();
}
