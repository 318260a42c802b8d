// Connectors: each connector's stages, health, totals, errors and charts, refreshed every 10 s.
import {connectorPath, get} from './api.js';
import {$, el, fill, status} from './ui.js';

const REFRESH_MS = 10000;
const cards = new Map(); // connector name -> {card, charts}
let timer = null;

export function init() {}

export function enter() {
  refresh();
  timer = setInterval(refresh, REFRESH_MS);
}

export function leave() {
  clearInterval(timer);
  timer = null;
}

async function refresh() {
  let connectors;
  try {
    connectors = await get('/api/console/connectors');
  } catch (e) {
    status('Cannot read the connectors: ' + e.message, true);
    return;
  }
  const list = $('connector-list');
  if (!connectors.length) fill(list, el('p', {class: 'muted'}, 'No connectors.'));
  for (const [name, entry] of cards) {
    if (!connectors.some((c) => c.name === name)) {
      entry.card.remove();
      cards.delete(name);
    }
  }
  for (const connector of connectors) {
    let entry = cards.get(connector.name);
    if (!entry) {
      entry = {card: el('article', {class: 'connector', dataset: {connector: connector.name}}),
        charts: null};
      cards.set(connector.name, entry);
      list.append(entry.card);
    }
    render(entry, connector);
    history(entry, connector.name);
  }
}

const health = (h) => el('span', {class: 'badge ' + String(h.health || 'UNKNOWN').toLowerCase()},
    h.health || 'UNKNOWN');

function render(entry, c) {
  const totals = c.totals || {};
  const errors = Object.entries(c.errorsByName || {});
  const body = [
    el('h3', {}, c.name, ' ', el('span', {class: 'muted'}, '(' + c.origin + ')')),
    el('dl', {class: 'facts'},
        el('dt', {}, 'Source'), el('dd', {}, c.source.type, c.source.topic ? ' ' + c.source.topic : '',
            ' ', health(c.source), c.source.detail ? ' ' + c.source.detail : ''),
        el('dt', {}, 'FHIR server'), el('dd', {}, c.fhir.url || '', ' ', health(c.fhir),
            c.fhir.detail ? ' ' + c.fhir.detail : ''),
        el('dt', {}, 'Lag'), el('dd', {}, 'normalize ' + (c.lag ? c.lag.normalize : '?') +
          ', group ' + (c.lag ? c.lag.group : '?'))),
    el('table', {class: 'list stages'},
        el('caption', {}, 'Stages'),
        el('thead', {}, el('tr', {}, ['Stage', 'State', 'Error', 'Next retry'].map(
            (h) => el('th', {scope: 'col'}, h)))),
        el('tbody', {}, c.stages.map((s) => el('tr', {dataset: {stage: s.name, state: s.state}},
            el('td', {}, s.name),
            el('td', {}, el('span', {class: 'badge ' + s.state}, s.state)),
            el('td', {}, s.error ? [el('strong', {}, s.error), ' ', s.message || ''] : ''),
            el('td', {}, s.retryAt ? new Date(s.retryAt).toLocaleString() : ''))))),
    el('dl', {class: 'facts totals'},
        ...[['Messages', 'messages'], ['Measurements', 'measurements'],
          ['Observations created', 'observationsCreated'],
          ['Observations updated', 'observationsUpdated'], ['Dead letters', 'deadLetters']]
            .flatMap(([label, key]) => [el('dt', {}, label),
              el('dd', {dataset: {total: key}}, String(totals[key] ?? 0))])),
    el('h4', {}, 'Errors by name'),
    errors.length ? el('ul', {class: 'errors'}, errors.map(([name, count]) =>
      el('li', {dataset: {error: name}}, el('strong', {}, name), ': ' + count))) :
      el('p', {class: 'muted'}, 'None.'),
  ];
  if (!entry.charts) {
    entry.chartBox = el('div', {class: 'charts'});
    entry.info = el('div', {class: 'info'});
    entry.card.append(entry.info, entry.chartBox);
  }
  fill(entry.info, body);
}

async function history(entry, name) {
  let h;
  try {
    h = await get(connectorPath(name, '/history'));
  } catch (e) {
    return;
  }
  const points = h.points || [];
  const time = points.map((p) => Date.parse(p.time) / 1000);
  const rates = [time, ...['messagesPerSecond', 'measurementsPerSecond', 'observationsPerSecond',
    'errorsPerSecond'].map((k) => points.map((p) => p[k]))];
  const lag = [time, points.map((p) => p.lagNormalize), points.map((p) => p.lagGroup)];
  // Always the last hour, so one point (or none yet) does not stretch the time axis over years.
  const scales = {x: {time: true, range: () => {
    const now = Date.now() / 1000;
    return [now - 3600, now];
  }}};
  if (!entry.chartNote) {
    entry.chartNote = el('p', {class: 'muted'}, '');
    entry.chartBox.before(entry.chartNote);
  }
  entry.chartNote.textContent = points.length < 2
    ? 'Collecting: a point is added every ' + (h.intervalSeconds || 10) + ' s (rates need two samples).'
    : points.length + ' points over the last hour, every ' + (h.intervalSeconds || 10) + ' s.';
  if (!entry.charts) {
    const width = Math.max(280, Math.min(560, entry.card.clientWidth / 2 - 24));
    const box = (title) => {
      const figure = el('figure', {class: 'chart'}, el('figcaption', {}, title));
      entry.chartBox.append(figure);
      return figure;
    };
    entry.charts = {
      rates: new uPlot({title: '', width, height: 180, scales, series: [{},
        {label: 'messages/s', stroke: '#1f77b4'}, {label: 'measurements/s', stroke: '#2ca02c'},
        {label: 'Observations/s', stroke: '#9467bd'}, {label: 'errors/s', stroke: '#d62728'}]},
      rates, box('Throughput (per second)')),
      lag: new uPlot({title: '', width, height: 180, scales, series: [{},
        {label: 'normalize lag', stroke: '#ff7f0e'}, {label: 'group lag', stroke: '#8c564b'}]},
      lag, box('Consumer lag (records)')),
    };
  } else {
    entry.charts.rates.setData(rates);
    entry.charts.lag.setData(lag);
  }
}
