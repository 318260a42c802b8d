// Mapping debugger: two JSON editors (device and FHIR mapping) validated as you type, a messages
// editor, and a run that shows measurements, Observations and data errors as the engine makes them.
import {ApiError, connectorPath, get, post, put} from './api.js';
import {$, debounce, download, el, fill, pretty, readFile, status} from './ui.js';

const MARKERS = 'CodeMirror-lint-markers';
const editors = {};
const marks = {device: [], fhir: []};
let session = null;
let loaded = null; // the last GET .../mappings answer of the picked connector
let validation = 0; // the number of the latest validation request, to drop stale answers

function makeEditor(id, withMarkers) {
  return CodeMirror($(id), {
    mode: {name: 'javascript', json: true},
    lineNumbers: true,
    matchBrackets: true,
    autoCloseBrackets: true,
    tabSize: 2,
    indentUnit: 2,
    viewportMargin: Infinity,
    gutters: withMarkers ? [MARKERS, 'CodeMirror-linenumbers'] : ['CodeMirror-linenumbers'],
  });
}

export function init(s) {
  session = s;
  editors.device = makeEditor('device-editor', true);
  editors.fhir = makeEditor('fhir-editor', true);
  editors.messages = makeEditor('messages-editor', false);
  const validateSoon = debounce(validate, 600);
  editors.device.on('changes', validateSoon);
  editors.fhir.on('changes', validateSoon);
  $('dbg-load').addEventListener('click', load);
  $('dbg-save').addEventListener('click', save);
  $('dbg-download').addEventListener('click', downloadBoth);
  $('dbg-run').addEventListener('click', run);
  $('dbg-recent').addEventListener('click', recentMessages);
  $('dbg-dead').addEventListener('click', recentDeadLetters);
  $('dbg-connector').addEventListener('change', () => {
    loaded = null;
    showOrigin();
  });
  uploadInto('device-file', editors.device);
  uploadInto('fhir-file', editors.fhir);
  uploadInto('messages-file', editors.messages);
  showOrigin();
}

export function enter() {
  for (const editor of Object.values(editors)) editor.refresh();
}

export function leave() {}

/** Puts messages (envelopes {Body, Properties, SystemProperties}) into the messages editor. */
export function openMessages(connector, envelopes) {
  if (connector) $('dbg-connector').value = connector;
  editors.messages.setValue(pretty(envelopes.length === 1 ? envelopes[0] : envelopes));
  location.hash = '#debugger';
}

function uploadInto(inputId, editor) {
  $(inputId).addEventListener('change', async (event) => {
    const text = await readFile(event.target);
    if (text !== null) editor.setValue(text);
    event.target.value = '';
  });
}

// ---- validation and markers

async function validate() {
  const number = ++validation;
  const body = {deviceMapping: editors.device.getValue(), fhirMapping: editors.fhir.getValue()};
  if (!body.deviceMapping.trim() && !body.fhirMapping.trim()) {
    showProblems(null);
    return;
  }
  $('validity').textContent = 'Validating…';
  try {
    const answer = await post('/api/console/mappings/validate', body);
    if (number === validation) showProblems(answer);
  } catch (e) {
    if (number === validation) $('validity').textContent = 'Cannot validate: ' + e.message;
  }
}

function clearMarks(which) {
  const editor = editors[which];
  for (const mark of marks[which]) mark.clear();
  marks[which] = [];
  editor.clearGutter(MARKERS);
}

function mark(which, problem) {
  const editor = editors[which];
  if (!problem.line || problem.line > editor.lineCount()) return;
  const line = problem.line - 1;
  const text = editor.getLine(line);
  const start = Math.max(0, Math.min((problem.column || 1) - 1, text.length));
  let end = start;
  while (end < text.length && !/[\s,:\]}]/.test(text[end])) end++;
  if (end === start) end = text.length;
  const severity = problem.severity === 'warning' ? 'warning' : 'error';
  marks[which].push(editor.markText({line, ch: start}, {line, ch: Math.max(end, start + 1)}, {
    className: 'CodeMirror-lint-mark CodeMirror-lint-mark-' + severity,
    attributes: {title: problem.message},
  }));
  const existing = editor.lineInfo(line).gutterMarkers;
  const previous = existing && existing[MARKERS];
  if (previous) {
    previous.title += '\n' + problem.message;
    if (severity === 'error') previous.className = 'CodeMirror-lint-marker CodeMirror-lint-marker-error';
    return;
  }
  editor.setGutterMarker(line, MARKERS, el('div', {
    class: 'CodeMirror-lint-marker CodeMirror-lint-marker-' + severity,
    title: problem.message,
    dataset: {line: String(problem.line), severity},
  }));
}

function jump(which, line, column) {
  const editor = editors[which];
  if (!editor) return;
  const position = {line: Math.max(0, (line || 1) - 1), ch: Math.max(0, (column || 1) - 1)};
  editor.focus();
  editor.setCursor(position);
  editor.scrollIntoView(position, 80);
}

function problemItem(which, problem) {
  const where = problem.line ? problem.line + ':' + (problem.column || 0) : '';
  const label = (which === 'device' ? 'Device mapping' : 'FHIR mapping') + (where ? ' ' + where : '');
  return el('li', {class: problem.severity === 'warning' ? 'warning' : 'error', dataset: {
    mapping: which, line: String(problem.line || 0), column: String(problem.column || 0)}},
  el('button', {type: 'button', class: 'link', onclick: () => jump(which, problem.line, problem.column)},
      label),
  ' ', el('strong', {}, problem.severity || 'error'), ': ', problem.message);
}

/** Marks every problem in its editor and lists them with the cross-check warnings. */
function showProblems(answer) {
  clearMarks('device');
  clearMarks('fhir');
  const list = $('problems');
  if (!answer) {
    fill(list);
    $('validity').textContent = '';
    return;
  }
  const items = [];
  for (const which of ['device', 'fhir']) {
    const result = answer[which + 'Mapping'];
    for (const problem of (result && result.problems) || []) {
      mark(which, problem);
      items.push(problemItem(which, problem));
    }
  }
  for (const problem of answer.crossCheck || []) {
    const which = problem.mapping === 'fhir' ? 'fhir' : 'device';
    mark(which, problem);
    items.push(problemItem(which, Object.assign({}, problem,
        {message: 'cross-check: ' + problem.message})));
  }
  fill(list, items);
  const valid = ['deviceMapping', 'fhirMapping'].map((k) => !answer[k] || answer[k].valid !== false);
  $('validity').textContent = items.length === 0 ? 'Both mappings are valid.' :
    (valid.every(Boolean) ? 'Valid, with ' : '') + items.length + ' problem(s).';
  $('validity').dataset.valid = String(valid.every(Boolean));
}

// ---- messages

/** The messages editor's content as test messages. */
function messages() {
  const text = editors.messages.getValue().trim();
  if (!text) return [];
  const value = JSON.parse(text);
  if (!Array.isArray(value)) {
    return [isEnvelope(value) ? fromEnvelope(value) : {body: text}];
  }
  return value.map((m) => isEnvelope(m) ? fromEnvelope(m) : {body: JSON.stringify(m)});
}

function isEnvelope(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && 'Body' in value &&
    Object.keys(value).every((k) => k === 'Body' || k === 'Properties' || k === 'SystemProperties');
}

function fromEnvelope(envelope) {
  const body = typeof envelope.Body === 'string' ? envelope.Body : JSON.stringify(envelope.Body);
  const message = {body};
  if (envelope.Properties) message.properties = envelope.Properties;
  if (envelope.SystemProperties) message.systemProperties = envelope.SystemProperties;
  return message;
}

/** A stored message (body + encoding + properties) as an envelope for the editor. */
export function envelope(record) {
  let body = record.body;
  if (record.bodyEncoding === 'base64') {
    body = new TextDecoder().decode(Uint8Array.from(atob(body), (c) => c.charCodeAt(0)));
  }
  let parsed = body;
  try {
    parsed = JSON.parse(body);
  } catch (e) {
    parsed = body;
  }
  const result = {Body: parsed};
  if (record.properties && Object.keys(record.properties).length) result.Properties = record.properties;
  return result;
}

function pickedConnector() {
  const name = $('dbg-connector').value;
  if (!name) status('Pick a connector first.', true);
  return name;
}

async function recentMessages() {
  const name = pickedConnector();
  if (!name) return;
  try {
    const items = await get(connectorPath(name, '/messages?limit=20'));
    if (!items.length) {
      status('No recent messages on ' + name + '.');
      return;
    }
    editors.messages.setValue(pretty(items.map(envelope)));
    status(items.length + ' recent message(s) of ' + name + ', newest first.');
  } catch (e) {
    status('Cannot read recent messages: ' + e.message, true);
  }
}

async function recentDeadLetters() {
  const name = pickedConnector();
  if (!name) return;
  try {
    const page = await get(connectorPath(name, '/dead-letters?limit=20'));
    const items = page.items.filter((i) => !i.truncated);
    if (!items.length) {
      status('No recent dead letters on ' + name + '.');
      return;
    }
    editors.messages.setValue(pretty(items.map(envelope)));
    status(items.length + ' recent dead letter(s) of ' + name + ', newest first.');
  } catch (e) {
    status('Cannot read dead letters: ' + e.message, true);
  }
}

// ---- run

async function run() {
  let list;
  try {
    list = messages();
  } catch (e) {
    status('The messages are not JSON: ' + e.message, true);
    return;
  }
  if (!list.length) {
    status('Paste a message first.', true);
    return;
  }
  const request = {deviceMapping: editors.device.getValue(), fhirMapping: editors.fhir.getValue(),
    messages: list};
  const connector = $('dbg-connector').value;
  if (connector) request.connector = connector;
  status('Running ' + list.length + ' message(s)…');
  try {
    const answer = await post('/api/console/mappings/test', request);
    showProblems(answer);
    showResults(answer);
    status('Ran ' + list.length + ' message(s): ' + answer.observations.length + ' Observation(s), ' +
      answer.errors.length + ' data error(s).');
  } catch (e) {
    status('Cannot run: ' + e.message, true);
  }
}

function originText(origin) {
  if (!origin) return 'origin unknown';
  const parts = [(origin.mapping === 'fhir' ? 'FHIR' : 'device') + ' mapping template ' +
    origin.templateIndex];
  if (origin.templateType) parts.push(origin.templateType);
  if (origin.typeName) parts.push('type ' + origin.typeName);
  if (origin.field) parts.push(origin.field);
  if (origin.expression) parts.push(origin.expression);
  if (origin.line) parts.push('at ' + origin.line + ':' + (origin.column || 0));
  return parts.join(', ');
}

function showResults(answer) {
  fill($('data-errors'), answer.errors.map((error) => {
    const origin = error.origin;
    const where = origin && origin.line ?
      el('button', {type: 'button', class: 'link', onclick: () =>
        jump(origin.mapping === 'fhir' ? 'fhir' : 'device', origin.line, origin.column)},
      originText(origin)) : originText(origin);
    return el('li', {class: 'error', dataset: {error: error.error}},
        el('strong', {}, error.error), ' (', error.stage, error.message === null ? '' :
          ', message ' + error.message, '): ', el('span', {class: 'text'}, error.text), el('br'), where);
  }));
  if (!answer.errors.length) fill($('data-errors'), el('li', {class: 'muted'}, 'None.'));
  $('measurement-count').textContent = answer.measurements.length + ' measurement(s)';
  $('measurements').textContent = pretty(answer.measurements.map((m) => m.measurement));
  fill($('observations'), answer.observations.length ? answer.observations.map((o, i) => {
    const server = o.server || {status: 'not-compared'};
    return el('details', {class: 'observation', open: true, dataset: {status: server.status}},
        el('summary', {}, 'Observation ' + (i + 1) + ' ',
            el('span', {class: 'badge ' + server.status}, server.status),
            server.message ? ' ' + server.message : ''),
        el('pre', {class: 'json'}, pretty(o.resource)),
        server.current ? [el('h4', {}, 'On the server now'), el('pre', {class: 'json'}, pretty(server.current))] : null);
  }) : el('p', {class: 'muted'}, 'No Observations.'));
}

// ---- load, save, download

function showOrigin() {
  const management = loaded && loaded.management;
  $('dbg-save').hidden = !management;
  $('dbg-origin').textContent = !loaded ? '' : management ?
    'Made through the management API: Save writes it back.' :
    'Defined in configuration: download the files and change them there.';
}

async function load() {
  const name = pickedConnector();
  if (!name) return;
  try {
    loaded = await get(connectorPath(name, '/mappings'));
    editors.device.setValue(loaded.deviceMapping || '');
    editors.fhir.setValue(loaded.fhirMapping || '');
    showOrigin();
    status('Loaded the mappings of ' + name + '.');
  } catch (e) {
    status('Cannot load the mappings: ' + e.message, true);
  }
}

async function save() {
  if (!loaded || !loaded.management) return;
  const name = loaded.connector;
  try {
    loaded = await put(connectorPath(name, '/mappings'), {
      deviceMapping: editors.device.getValue(),
      fhirMapping: editors.fhir.getValue(),
      iotConnectorEtag: loaded.management.iotConnectorEtag,
      fhirDestinationEtag: loaded.management.fhirDestinationEtag,
    });
    showOrigin();
    status('Saved the mappings of ' + name + '.');
  } catch (e) {
    const hint = e instanceof ApiError && e.status === 412 ?
      ' Someone changed them meanwhile: load them again.' : '';
    status('Cannot save: ' + e.message + hint, true);
  }
}

function downloadBoth() {
  const prefix = $('dbg-connector').value ? $('dbg-connector').value + '-' : '';
  download(prefix + 'device-mapping.json', editors.device.getValue());
  download(prefix + 'fhir-mapping.json', editors.fhir.getValue());
}
