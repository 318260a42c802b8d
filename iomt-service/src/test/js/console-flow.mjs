// The web console's browser flow, driven by Playwright (playwright-core) in the system Chromium.
// Run by ConsoleBrowserIT; usable by hand against a running service:
//
//   PLAYWRIGHT_CORE=~/.cache/iomt-testkit/playwright-core-1.65.1/node_modules/playwright-core \
//   CONSOLE_URL=http://127.0.0.1:8080 CONSOLE_KEY=<contributor key> \
//   CONSOLE_SCENARIO=scenario.json CONSOLE_SCREENSHOTS=target/console-screenshots \
//   node iomt-service/src/test/js/console-flow.mjs
//
// The scenario file: {"connector", "deadLetterError", "brokenDeviceMapping", "fixedDeviceMapping"}.
// It signs in (first with a wrong key), looks at the connectors, opens the connector's dead letter
// in the debugger, runs it (a data error), breaks the device mapping (a marker), fixes it (no
// marker), runs again (an Observation), saves, replays the dead letter and waits until it is
// processed or failed. Prints one JSON object (the result) as the last line of stdout; exits 1
// when a step failed (the result then names the step).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {createRequire} from 'node:module';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error('missing environment variable ' + name);
  return value;
};
const base = env('CONSOLE_URL').replace(/\/$/, '');
const key = env('CONSOLE_KEY');
const scenario = JSON.parse(fs.readFileSync(env('CONSOLE_SCENARIO'), 'utf8'));
const shots = env('CONSOLE_SCREENSHOTS');
const chromiumPath = env('CHROMIUM', '/usr/bin/chromium');
const timeout = Number(env('CONSOLE_STEP_TIMEOUT_MS', '90000'));
const replayTimeout = Number(env('CONSOLE_REPLAY_TIMEOUT_MS', '180000'));
const {chromium} = createRequire(import.meta.url)(env('PLAYWRIGHT_CORE'));

fs.mkdirSync(shots, {recursive: true});
const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'iomt-console-chromium-'));
const result = {steps: [], cspViolations: [], pageErrors: [], consoleErrors: []};
let step = 'launch';

// A fresh profile directory for this run (Playwright passes it as --user-data-dir).
const context = await chromium.launchPersistentContext(userData, {
  executablePath: chromiumPath,
  headless: true,
  viewport: {width: 1400, height: 1000},
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  context.setDefaultTimeout(timeout);
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation',
        (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
  });
  const page = context.pages()[0] || await context.newPage();
  page.on('pageerror', (e) => result.pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') result.consoleErrors.push(m.text());
  });
  const shot = (name) => page.screenshot({path: path.join(shots, 'console-' + name + '.png'),
    fullPage: true});
  const begin = (name) => {
    step = name;
    result.steps.push(name);
    process.stderr.write('console-flow: ' + name + '\n');
  };
  const setEditor = (id, text) => page.evaluate(([sel, value]) =>
    document.querySelector(sel + ' .CodeMirror').CodeMirror.setValue(value), ['#' + id, text]);
  const markerLines = (id) => page.evaluate((sel) =>
    [...document.querySelectorAll(sel + ' .CodeMirror-lint-marker-error')].map((m) =>
      Number(m.closest('.CodeMirror-gutter-wrapper').querySelector('.CodeMirror-linenumber')
          .textContent)), '#' + id);
  const statusText = () => page.locator('#status').textContent();

  begin('sign-in refuses a wrong key');
  const opened = await page.goto(base + '/console');
  result.pageUrl = page.url();
  result.pageCsp = (await opened.allHeaders())['content-security-policy'] || null;
  await page.locator('#credential').fill('not-the-key-' + Date.now());
  await page.locator('#sign-in-form button[type=submit]').click();
  await page.locator('#sign-in-error:not(:empty)').waitFor();
  result.wrongKeyMessage = await page.locator('#sign-in-error').textContent();
  result.credentialFieldType = await page.locator('#credential').getAttribute('type');
  await shot('sign-in');

  begin('sign in');
  await page.locator('#credential').fill(key);
  await page.locator('#sign-in-form button[type=submit]').click();
  await page.locator('#nav').waitFor();
  await page.locator('#roles:not(:empty)').waitFor();
  result.roles = await page.locator('#roles').textContent();
  result.keyRendered = (await page.content()).includes(key);

  begin('connectors');
  await page.goto(base + '/console/#connectors');
  const card = page.locator(`article[data-connector="${scenario.connector}"]`);
  await card.locator('.charts canvas').first().waitFor();
  result.connector = {
    stages: await card.locator('tr[data-stage]').evaluateAll((rows) =>
      rows.map((r) => ({name: r.dataset.stage, state: r.dataset.state}))),
    totals: Object.fromEntries(await card.locator('dd[data-total]').evaluateAll((dds) =>
      dds.map((d) => [d.dataset.total, Number(d.textContent)]))),
    errors: await card.locator('li[data-error]').evaluateAll((lis) => lis.map((l) => l.dataset.error)),
  };
  await shot('connectors');

  begin('dead letters');
  await page.goto(base + '/console/#dead-letters');
  await page.locator('#dl-connector').selectOption(scenario.connector);
  const row = page.locator(`#dl-items tr[data-error="${scenario.deadLetterError}"]`).first();
  await row.waitFor();
  result.deadLetters = await page.locator('#dl-items tr[data-id]').evaluateAll((rows) =>
    rows.map((r) => ({id: r.dataset.id, error: r.dataset.error,
      message: r.querySelector('td.text').textContent})));
  const deadLetterId = await row.getAttribute('data-id');
  result.deadLetterId = deadLetterId;
  await row.locator('button.link').click();
  await page.locator('#dl-detail').waitFor();
  await shot('dead-letters');

  begin('open the dead letter in the debugger and run it');
  await page.locator('#dl-open').click();
  await page.locator('#page-debugger').waitFor();
  await page.locator('#dbg-connector').selectOption(scenario.connector);
  await page.locator('#dbg-load').click();
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Loaded'));
  await page.locator('#dbg-run').click();
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Ran'));
  result.errorsBeforeFix = await page.locator('#data-errors li[data-error]').evaluateAll((lis) =>
    lis.map((l) => ({error: l.dataset.error, text: l.querySelector('.text').textContent})));

  begin('a broken device mapping is marked');
  await setEditor('device-editor', scenario.brokenDeviceMapping);
  await page.locator('#device-editor .CodeMirror-lint-marker-error').first().waitFor();
  result.brokenMarkerLines = await markerLines('device-editor');
  result.brokenProblems = await page.locator('#problems li').evaluateAll((lis) =>
    lis.map((l) => ({mapping: l.dataset.mapping, line: Number(l.dataset.line), text: l.textContent})));
  await shot('debugger-problem');

  begin('the fixed device mapping has no marker');
  await setEditor('device-editor', scenario.fixedDeviceMapping);
  await page.waitForFunction(() => document.getElementById('validity').dataset.valid === 'true');
  result.fixedValidity = await page.locator('#validity').textContent();
  result.fixedMarkerLines = await markerLines('device-editor');

  begin('running the message shows the Observation');
  await page.locator('#dbg-run').click();
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Ran'));
  result.observations = await page.locator('#observations details.observation').evaluateAll((ds) =>
    ds.map((d) => ({status: d.dataset.status, resource: JSON.parse(d.querySelector('pre').textContent)})));
  result.errorsAfterFix = await page.locator('#data-errors li[data-error]').count();
  await shot('debugger');

  begin('save the mappings to the connector');
  await page.locator('#dbg-save').click();
  await page.waitForFunction(() => /^(Saved|Cannot save)/.test(document.getElementById('status').textContent));
  result.saveStatus = await statusText();
  if (!result.saveStatus.startsWith('Saved')) throw new Error(result.saveStatus);

  begin('replay the dead letter');
  await page.goto(base + '/console/#dead-letters');
  await page.locator('#dl-connector').selectOption(scenario.connector);
  const replayRow = page.locator(`#dl-items tr[data-id="${deadLetterId}"]`);
  await replayRow.locator('input.pick').check();
  await page.locator('#dl-replay').click();
  await replayRow.locator('.badge[data-status="processed"], .badge[data-status="failed"]')
      .waitFor({timeout: replayTimeout});
  result.replayStatus = await replayRow.locator('.badge[data-status]').getAttribute('data-status');
  result.replayText = await replayRow.locator('td.replay-status').textContent();
  await shot('replay');
  step = 'done';
} catch (e) {
  result.failure = {step, message: String(e && e.message || e)};
  try {
    const pages = context.pages();
    if (pages.length) await pages[0].screenshot({path: path.join(shots, 'console-failure.png'), fullPage: true});
  } catch (ignored) {
    // the failure itself is the result
  }
} finally {
  try {
    const pages = context.pages();
    if (pages.length) result.cspViolations = await pages[0].evaluate(() => window.__csp || []);
  } catch (ignored) {
    // no page left
  }
  await context.close();
  fs.rmSync(userData, {recursive: true, force: true});
}
process.stdout.write(JSON.stringify(result) + '\n');
process.exit(result.failure ? 1 : 0);
