// The admin console end to end: a real headless Chromium (Debian's `chromium`, driven by playwright-core) against a
// running local consortium. Run by tests/…/ConsoleBrowserIT (which starts the stack and submits the job), or by hand:
//
//   CONSOLE_ORG1_URL=http://localhost:8081 CONSOLE_ORG1_ADMIN_TOKEN=glt_… CONSOLE_ORG1_PARTNER_TOKEN=glt_… \
//   CONSOLE_ORG2_URL=http://localhost:8082 CONSOLE_ORG2_ADMIN_TOKEN=glt_… node --test e2e/console.e2e.mjs
//
// The job: when the console shows the jobs page the script prints `console-e2e: submit a job` and reads a job id from
// stdin (the IT submits one as Org1's demo partner); without a terminal to ask, CONSOLE_JOB_ID names one submitted
// already. Screenshots go to CONSOLE_SCREENSHOTS (default target/console-screenshots).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === '') {
    throw new Error(`set ${name}`);
  }
  return value;
};
const ORG1 = env('CONSOLE_ORG1_URL').replace(/\/$/, '');
const ORG1_ADMIN = env('CONSOLE_ORG1_ADMIN_TOKEN');
const ORG1_PARTNER = env('CONSOLE_ORG1_PARTNER_TOKEN');
const ORG2 = env('CONSOLE_ORG2_URL').replace(/\/$/, '');
const ORG2_ADMIN = env('CONSOLE_ORG2_ADMIN_TOKEN');
const SCREENSHOTS = env('CONSOLE_SCREENSHOTS', 'target/console-screenshots');
const CHROMIUM = env('CHROMIUM_PATH', '/usr/bin/chromium');
/** How long a step may take on a busy 2-core machine running the whole consortium. */
const PATIENCE = Number(process.env.CONSOLE_TIMEOUT_MS ?? 60_000);

const LAPTOP = { width: 1366, height: 768 };
/** axe-core, run in the page to find what breaks WCAG 2.1 A/AA (labels, names, headers, contrast, ARIA). */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser;
/** The Org1 admin's page, signed in once and shared by the scenarios that follow one another. */
let admin;
let jobId;

before(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
});

after(async () => {
  await browser?.close();
});

async function newPage() {
  // a laptop screen: every page must fit its width (see shot())
  const context = await browser.newContext({ viewport: LAPTOP });
  context.setDefaultTimeout(PATIENCE);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  return page;
}

async function signIn(page, url, token) {
  await page.goto(`${url}/console/`);
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Saves a screenshot of the page, after checking it does not overflow the laptop screen's width. */
async function shot(page, name) {
  const width = await page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(width <= LAPTOP.width, `${name}: the page is ${width} px wide, wider than the ${LAPTOP.width} px screen`);
  // nor does a table need its own horizontal scrolling at that width
  const scrolled = await page.evaluate(() => [...document.querySelectorAll('.table-wrap')]
    .filter((w) => w.scrollWidth > w.clientWidth + 1).map((w) => `${w.querySelector('caption')?.textContent} (${w.scrollWidth} px)`));
  assert.deepEqual(scrolled, [], `${name}: tables wider than the screen`);
  // and axe finds nothing against WCAG 2.1 A and AA
  const violations = await page.evaluate(async (source) => {
    if (!window.axe) {
      (0, eval)(source);
    }
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  }, AXE);
  assert.deepEqual(violations, [], `${name}: accessibility violations`);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Presses Tab until the focused element is the one `matches` accepts (at most `limit` times); fails otherwise. */
async function tabTo(page, description, matches, limit = 150) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const e = document.activeElement;
      return { tag: e?.tagName, text: e?.textContent?.trim(), nav: !!e?.closest('nav[aria-label="Main"]'),
        outline: e ? getComputedStyle(e).outlineStyle : 'none' };
    });
    if (matches(focused)) {
      assert.notEqual(focused.outline, 'none', `${description} shows no focus outline`);
      return;
    }
  }
  throw new Error(`${description} was not reached with ${limit} Tabs`);
}

async function go(page, link, heading) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** The job id the IT submits once asked (stdin), or CONSOLE_JOB_ID. */
async function askForJob() {
  if (process.env.CONSOLE_JOB_ID) {
    return process.env.CONSOLE_JOB_ID;
  }
  console.log('console-e2e: submit a job');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.trim()) {
      lines.close();
      return line.trim();
    }
  }
  throw new Error('no job id on stdin');
}

test('a partner token is refused at sign-in with a clear message', async () => {
  const page = await newPage();
  await signIn(page, ORG1, ORG1_PARTNER);
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /not an admin token/);
  assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0, 'no page of the console is shown');
  await shot(page, 'sign-in-refused');
  await page.context().close();
});

test('the org admin signs in and the overview loads', async () => {
  admin = await newPage();
  await signIn(admin, ORG1, ORG1_ADMIN);
  await admin.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  const members = admin.getByRole('list', { name: 'Member orgs' });
  await members.waitFor();
  for (const org of ['Org1MSP', 'Org2MSP', 'Org3MSP']) {
    await members.getByText(org).waitFor();
  }
  await admin.getByRole('img', { name: /^Bar chart of jobs by state: \d+ QUEUED, \d+ RUNNING, \d+ COMPLETED/ }).waitFor();
  await admin.getByRole('img', { name: /^Line chart of jobs per minute, last hour: \d+ submitted/ }).waitFor();
  await admin.getByRole('img', { name: /^Line chart of completion latency/ }).waitFor();
  assert.equal(await admin.locator('figure.chart .recharts-wrapper').count(), 3, 'the three charts are drawn');
  const totals = admin.getByLabel('Consortium totals in credits');
  await totals.getByText('Treasury').waitFor();
  await admin.getByText(/\d+ of \d+ nodes online/).waitFor();
  await admin.getByRole('heading', { name: 'Alerts', exact: true }).waitFor();
  console.log(`console-e2e: overview: ${await admin.getByRole('img', { name: /^Bar chart of jobs by state/ }).getAttribute('aria-label')}`);
  await shot(admin, 'overview');
});

test('a partner job progresses to COMPLETED live, and its detail shows the replica timeline', async () => {
  // by keyboard alone: Tab to the main navigation's Jobs link, Enter
  await admin.locator('body').focus();
  await tabTo(admin, 'the Jobs link of the main navigation', (f) => f.nav && f.tag === 'A' && f.text === 'Jobs');
  await admin.keyboard.press('Enter');
  await admin.getByRole('heading', { level: 1, name: 'Jobs' }).waitFor();
  jobId = await askForJob();
  // the org admin sees its partner's job in the list (re-read every 10 s, or at once on the org's event stream)
  const link = admin.getByRole('link', { name: jobId });
  await link.waitFor();
  await shot(admin, 'jobs');
  // Tab from the main region to the job's link in the table, Enter opens its detail
  await admin.locator('#main').focus();
  await tabTo(admin, `the link of job ${jobId}`, (f) => f.tag === 'A' && f.text === jobId);
  await admin.keyboard.press('Enter');
  await admin.getByRole('heading', { level: 1, name: `Job ${jobId}` }).waitFor();
  // from here on, no reload: a marker in the page's window survives only as long as the document does
  await admin.evaluate(() => {
    window.consoleE2eMarker = true;
    window.consoleE2eStatuses = [];
    const record = () => {
      const badge = document.querySelector('dl.facts .badge');
      const status = badge?.textContent;
      if (status && window.consoleE2eStatuses.at(-1) !== status) {
        window.consoleE2eStatuses.push(status);
      }
    };
    record();
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await admin.locator('dl.facts .badge', { hasText: 'COMPLETED' }).waitFor({ timeout: 3 * PATIENCE });
  const seen = await admin.evaluate(() => ({ marker: window.consoleE2eMarker, statuses: window.consoleE2eStatuses }));
  assert.equal(seen.marker, true, 'the page was not reloaded');
  assert.equal(seen.statuses.at(-1), 'COMPLETED');
  assert.ok(seen.statuses.length >= 2 && ['QUEUED', 'RUNNING'].includes(seen.statuses[0]),
    `the job was seen before it completed: ${seen.statuses.join(' → ')}`);
  console.log(`console-e2e: job ${jobId} seen ${seen.statuses.join(' → ')}`);

  const timeline = admin.getByRole('list', { name: /^Timeline of replica \d+, attempt/ }).first();
  await timeline.waitFor();
  for (const step of ['Assigned', 'Agent: ', 'Committed', 'Revealed']) {
    await timeline.locator('li.done', { hasText: step }).first().waitFor();
  }
  console.log(`console-e2e: replica timeline: ${(await timeline.locator('li').allInnerTexts()).join(' | ')}`);
  await admin.getByRole('list', { name: 'Events of this job' }).getByText('JobCompleted').first().waitFor();
  await admin.getByRole('heading', { name: 'Result' }).waitFor();
  // the orgs whose endorsements certified the completion, read from the block of the settling transaction
  const endorsers = admin.getByRole('list', { name: 'Endorsing orgs' });
  await endorsers.waitFor();
  const orgs = await endorsers.getByRole('listitem').allInnerTexts();
  assert.ok(orgs.length >= 1 && orgs.every((o) => /^Org\dMSP$/.test(o)), `endorsing orgs: ${orgs.join(', ')}`);
  assert.match(await admin.getByLabel('Certifying transaction').innerText(), /SettleJob[\s\S]*VALID/);
  console.log(`console-e2e: job ${jobId} certified by ${orgs.join(', ')}`);
  // the result's digest, as the gateway sends it in X-Result-Digest (the job wrote an output file)
  await admin.getByRole('button', { name: 'Fetch result' }).click();
  const download = admin.getByLabel('Result download');
  await download.waitFor();
  const digest = (await download.locator('dd').first().innerText()).trim();
  assert.match(digest, /^[0-9a-f]{64}$/, `X-Result-Digest shown: ${digest}`);
  await download.getByRole('link', { name: 'Download the output manifest' }).waitFor();
  console.log(`console-e2e: result digest ${digest}; ${(await download.innerText()).split('\n').at(-1)}`);
  await shot(admin, 'job-detail');
});

test('the overview counts the completed job', async () => {
  await go(admin, 'Overview', 'Overview');
  const chart = admin.getByRole('img', { name: /^Bar chart of jobs by state: .*[1-9]\d* COMPLETED/ });
  await chart.waitFor();
  await admin.getByRole('img', { name: /^Line chart of jobs per minute, last hour: [1-9]\d* submitted, [1-9]\d* completed/ }).waitFor();
  await admin.getByRole('img', { name: /^Line chart of completion latency \(submit to end\), last hour: p50 between/ }).waitFor();
  console.log(`console-e2e: overview after the job: ${await chart.getAttribute('aria-label')}`);
  await shot(admin, 'overview-after-job');
});

test('the jobs list filters by status', async () => {
  await go(admin, 'Jobs', 'Jobs');
  const status = admin.getByLabel('Status');
  await status.selectOption('COMPLETED');
  await admin.waitForURL(/status=COMPLETED/);
  // the previous page stays on screen until the gateway answers: wait for the filtered one
  await admin.waitForFunction(() => {
    const badges = [...document.querySelectorAll('table .badge')].map((b) => b.textContent);
    return badges.length > 0 && badges.every((b) => b === 'COMPLETED');
  });
  await admin.getByRole('table', { name: /status COMPLETED/ }).getByRole('link', { name: jobId }).waitFor();
  await shot(admin, 'jobs-completed');

  await status.selectOption('RUNNING');
  await admin.waitForURL(/status=RUNNING/);
  await admin.getByRole('link', { name: jobId }).waitFor({ state: 'detached' });
  await admin.waitForFunction(() => [...document.querySelectorAll('table .badge')].every((b) => b.textContent === 'RUNNING'));
  await shot(admin, 'jobs-running');
  await status.selectOption('');
  await admin.getByRole('link', { name: jobId }).waitFor();
});

test('the other main pages load: every offer, the node leaderboard and a node\'s page', async () => {
  await go(admin, 'Offers and nodes', /Offers and nodes/);
  const offers = admin.getByRole('table', { name: 'Offers, page 1' });
  await offers.waitFor();
  for (const org of ['Org1MSP', 'Org2MSP', 'Org3MSP']) {
    await offers.getByRole('cell', { name: org, exact: true }).first().waitFor();
  }
  await shot(admin, 'market');
  await go(admin, 'Reputation', 'Reputation');
  const board = admin.getByRole('table', { name: 'Node leaderboard, best reputation first' });
  await board.waitFor();
  const ranked = await board.getByRole('row').count();
  assert.ok(ranked >= 4, `the leaderboard lists every node of the three orgs (${ranked - 1} rows)`);
  await admin.getByRole('img', { name: /^Bar chart of the \d+ best nodes' reputation/ }).waitFor();
  await admin.getByRole('heading', { name: "A node's reputation over time" }).waitFor();
  await shot(admin, 'reputation');
  // the best node's page, opened from the keyboard
  const best = board.getByRole('row').nth(1).getByRole('link');
  const nodeId = (await best.innerText()).trim();
  await best.focus();
  await admin.keyboard.press('Enter');
  await admin.getByRole('heading', { level: 1, name: `Node ${nodeId}` }).waitFor();
  await admin.getByLabel('Standing').waitFor();
  await admin.getByRole('heading', { name: 'Reputation trend' }).waitFor();
  await admin.getByRole('heading', { name: 'Job history' }).waitFor();
  await admin.getByRole('table', { name: `Offers of ${nodeId}` }).waitFor();
  console.log(`console-e2e: node ${nodeId}: ${(await admin.getByLabel('Standing').innerText()).replace(/\s+/g, ' ')}`);
  await shot(admin, 'node-detail');
  await go(admin, 'Accounts', 'Accounts');
  await admin.getByText('Org1MSP/User1').first().waitFor();
  await shot(admin, 'accounts');
});

test('the admin proposes a parameter change, and it applies once a second org approves', async () => {
  await go(admin, 'Governance', 'Governance');
  const caption = admin.getByRole('table').filter({ has: admin.getByText(/^Parameters in force, version/) });
  await caption.waitFor();
  const version = Number((await admin.getByText(/^Parameters in force, version/).innerText()).replace(/\D+/g, ''));
  const limitRow = admin.getByRole('row', { name: /^Match scan limit/ });
  const limit = Number((await limitRow.getByRole('cell').innerText()).trim());
  const proposalId = `console-e2e-${Date.now()}`;

  const form = admin.getByRole('form', { name: 'Propose a change' });
  await form.getByLabel('New proposal id').fill(proposalId);
  await form.getByLabel('Match scan limit').fill(String(limit + 1));
  await form.getByRole('button', { name: 'Propose' }).click();
  const proposed = admin.getByRole('status').filter({ hasText: 'Proposed.' });
  await proposed.getByText(`${proposalId} (OPEN)`).waitFor();
  await proposed.getByText('Org1MSP', { exact: true }).waitFor();
  await shot(admin, 'governance-proposed');

  // Org2's admin, in Org2's own console, looks the proposal up and approves it: a majority of 3 → applied
  const org2 = await newPage();
  await signIn(org2, ORG2, ORG2_ADMIN);
  await go(org2, 'Governance', 'Governance');
  await org2.getByLabel('Proposal id to look up').fill(proposalId);
  await org2.getByRole('button', { name: 'Look up' }).click();
  await org2.getByText(`${proposalId} (OPEN)`).waitFor();
  await org2.getByRole('button', { name: 'Approve for this org' }).click();
  await org2.getByText(`${proposalId} (APPLIED)`).waitFor();
  await org2.getByText('Org1MSP, Org2MSP', { exact: true }).waitFor();
  await shot(org2, 'governance-approved-by-org2');
  await org2.context().close();

  // back in Org1's console: the proposal's approval state, and the parameters in force
  await admin.getByLabel('Proposal id to look up').fill(proposalId);
  await admin.getByRole('button', { name: 'Look up' }).click();
  const lookup = admin.getByRole('region', { name: "A proposal's approvals" });
  await lookup.getByText(`${proposalId} (APPLIED)`).waitFor();
  await lookup.getByText('Org1MSP, Org2MSP', { exact: true }).waitFor();
  // the list of proposals: this one APPLIED, approved by Org1 and Org2 of the members
  const approvals = admin.getByRole('list', { name: `Approvals of ${proposalId}` });
  await approvals.getByText('Org2MSP: approved').waitFor();
  await approvals.getByText('Org1MSP: approved').waitFor();
  await approvals.getByText('Org3MSP: not yet').waitFor();
  const row = admin.getByRole('table', { name: 'Proposals, newest first' }).getByRole('row').filter({ has: admin.getByRole('rowheader', { name: proposalId }) });
  await row.getByText('APPLIED').waitFor();
  await row.getByText(`matchScanLimit: ${limit} → ${limit + 1}`).waitFor();
  await shot(admin, 'governance-proposals');
  await admin.reload();
  await admin.getByText(`Parameters in force, version ${version + 1}`).waitFor();
  assert.equal((await admin.getByRole('row', { name: /^Match scan limit/ }).getByRole('cell').innerText()).trim(), String(limit + 1));
  await shot(admin, 'governance');
});
