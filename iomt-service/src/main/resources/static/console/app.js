// Entry point: sign-in, roles, and the three pages (chosen by the URL's #fragment).
import {credential, get, signIn, signOut, whenUnauthorized} from './api.js';
import {$, el, fill, status} from './ui.js';
import * as debuggerPage from './debugger.js';
import * as connectorsPage from './connectors.js';
import * as deadLettersPage from './dead-letters.js';

const PAGES = {
  'debugger': debuggerPage,
  'connectors': connectorsPage,
  'dead-letters': deadLettersPage,
};
const session = {roles: [], connectors: []};
let current = null;

function showOnly(id) {
  for (const page of document.querySelectorAll('.page')) {
    page.hidden = page.id !== id;
  }
}

function showSignIn(message) {
  if (current) PAGES[current].leave();
  current = null;
  signOut();
  $('nav').hidden = true;
  $('who').hidden = true;
  showOnly('page-sign-in');
  $('sign-in-error').textContent = message || '';
  $('credential').value = '';
  $('credential').focus();
}

/** Readers see everything; buttons that change something are disabled with a tooltip. */
function applyRoles() {
  const contributor = session.roles.includes('contributor');
  for (const button of document.querySelectorAll('[data-needs="contributor"]')) {
    button.disabled = !contributor;
    button.title = contributor ? '' : 'Needs the contributor role (you are a reader)';
  }
  $('roles').textContent = 'Signed in as ' + session.roles.join(', ');
}

async function start() {
  try {
    const answer = await get('/api/console/session');
    session.roles = answer.roles || [];
  } catch (e) {
    if (e.status !== 401) showSignIn('Cannot sign in: ' + e.message);
    return;
  }
  try {
    session.connectors = (await get('/api/console/connectors')).map((c) => c.name);
  } catch (e) {
    session.connectors = [];
    status('Cannot list the connectors: ' + e.message, true);
  }
  for (const select of [$('dbg-connector'), $('dl-connector')]) {
    const keep = select.value;
    const options = session.connectors.map((n) => el('option', {value: n}, n));
    if (select.id === 'dbg-connector') options.unshift(el('option', {value: ''}, '(none)'));
    fill(select, options);
    if (keep) select.value = keep;
  }
  $('nav').hidden = false;
  $('who').hidden = false;
  applyRoles();
  route();
}

function route() {
  if (!credential() || $('nav').hidden) return;
  const name = (location.hash || '#debugger').slice(1);
  const page = PAGES[name] ? name : 'debugger';
  if (current && current !== page) PAGES[current].leave();
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.page === page) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  showOnly('page-' + page);
  if (current !== page) {
    current = page;
    PAGES[page].enter(session);
  }
}

whenUnauthorized((message) => showSignIn('Signed out: ' + message));

$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const value = $('credential').value.trim();
  if (!value) return;
  const kind = document.querySelector('input[name="kind"]:checked').value;
  signIn(kind, value);
  $('credential').value = '';
  $('sign-in-error').textContent = '';
  start();
});
$('sign-out').addEventListener('click', () => showSignIn('Signed out.'));
window.addEventListener('hashchange', route);

for (const page of Object.values(PAGES)) page.init(session);
if (credential()) start();
else showSignIn('');
