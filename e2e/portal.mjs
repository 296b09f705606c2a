// End-to-end tests of the server-rendered portal in a real browser (Chromium through
// playwright-core), once in Chinese and once in English, each against a fresh demo server.
//
//   SHEBAO_BIN=target/debug/shebao node --test e2e/portal.mjs
//
// The story: the deposit-only holder sees the next step; the bank teller activates the
// financial side with the holder's ID number and a PIN typed on the PIN pad; the bank's
// system takes a card payment through the API; the holder sees the account active and the
// lower balance. Every page gets accessibility smoke checks, and screenshots of the pages go
// to docs/screenshots/ of this repository. crates/cli/tests/browser.rs runs this file.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { chromium } from 'playwright-core';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCREENSHOTS = join(REPO, 'docs', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Every single wait is bounded by this. */
const WAIT_MS = 15_000;
/** A whole step (several bounded waits) is bounded by this. */
const STEP_MS = 90_000;

const PHONE = { width: 390, height: 844 };
const DESK = { width: 1280, height: 800 };

/** The financial PIN the holder types on the teller's PIN pad. */
const PIN = '602814';
/** The card payment the bank's system takes: 23.50 yuan. */
const PURCHASE_FEN = 2_350;

const LANGUAGES = {
  zh: {
    locale: 'zh-CN',
    htmlLang: 'zh-CN',
    other: 'en',
    otherHtmlLang: 'en',
    depositOnly: ['只收不付', '任一网点激活'],
    depositOnlyState: '只收不付',
    active: ['两项功能均可使用'],
    activeState: '已激活',
    activated: '金融功能已激活',
    balance: '余额（元）',
  },
  en: {
    locale: 'en-US',
    htmlLang: 'en',
    other: 'zh',
    otherHtmlLang: 'zh-CN',
    depositOnly: ['deposit-only', 'any branch of'],
    depositOnlyState: 'deposit-only',
    active: ['Both sides of your card work'],
    activeState: 'active',
    activated: 'The financial side is active.',
    balance: 'Balance (yuan)',
  },
};

// ---------------------------------------------------------------------------------------
// The server

/** Servers still running, killed if this process ends before their test does. */
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts `shebao serve --demo` in a fresh directory and reads its address, the demo logins
 * (username → password) and the demo cardholders (state → card, ID number, PINs) from stdout.
 */
async function startServer() {
  const bin = process.env.SHEBAO_BIN;
  assert.ok(bin, 'SHEBAO_BIN must name the shebao binary (cargo test sets it)');
  const dir = mkdtempSync(join(tmpdir(), 'shebao-e2e-'));
  const child = spawn(bin, ['serve', '--demo', '--listen', '127.0.0.1:0'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  running.add(child);
  const server = { child, dir, base: null, logins: new Map(), holders: new Map(), stdout: '', stderr: '' };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    server.stderr += chunk;
  });
  child.stdout.setEncoding('utf8');
  try {
    await new Promise((resolveReady, rejectReady) => {
      let section = null;
      let pending = '';
      const timer = setTimeout(
        () => rejectReady(new Error(`the server did not start within ${WAIT_MS} ms`)),
        WAIT_MS,
      );
      const fail = (error) => {
        clearTimeout(timer);
        rejectReady(error);
      };
      child.on('error', fail);
      child.on('exit', (code, signal) => fail(new Error(`the server exited early (${code ?? signal})`)));
      child.stdout.on('data', (chunk) => {
        server.stdout += chunk;
        pending += chunk;
        let newline;
        while ((newline = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, newline).replace(/\r$/, '');
          pending = pending.slice(newline + 1);
          const listening = line.match(/^Shebao is listening on (http:\/\/127\.0\.0\.1:\d+)\//);
          if (listening) {
            server.base = listening[1];
          } else if (line.startsWith('Demo logins')) {
            section = 'logins';
          } else if (line.startsWith('Demo cardholders')) {
            section = 'holders';
          } else if (line.startsWith('Sign in:')) {
            clearTimeout(timer);
            resolveReady();
          } else if (section === 'logins') {
            const login = line.match(/^ {2}(\S+)\s+(\S+)\s+(\S+)\s+(.*)$/);
            if (login) server.logins.set(login[1], { password: login[2], role: login[3], note: login[4] });
          } else if (section === 'holders') {
            const holder = line.match(
              /^ {2}(\S+)\s+card (crd_\S+)\s+(\S+)\s+social PIN (\S+) financial PIN (\S+)/,
            );
            if (holder) {
              server.holders.set(holder[1], {
                cardId: holder[2],
                citizenId: holder[3],
                socialPin: holder[4],
                financialPin: holder[5],
              });
            }
          }
        }
      });
    });
    assert.ok(server.base, `no address in the server's output:\n${server.stdout}`);
  } catch (error) {
    await stopServer(server);
    error.message += `\n--- stdout\n${server.stdout}\n--- stderr\n${server.stderr}`;
    throw error;
  }
  return server;
}

/** Stops the server (SIGTERM, then SIGKILL) and removes its directory. */
async function stopServer(server) {
  if (!server) return;
  const { child } = server;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    const timeout = new Promise((done) => setTimeout(done, 5_000, 'timeout'));
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      child.kill('SIGKILL');
      await Promise.race([exited, new Promise((done) => setTimeout(done, 5_000))]);
    }
  }
  running.delete(child);
  rmSync(server.dir, { recursive: true, force: true });
}

function login(server, username) {
  const found = server.logins.get(username);
  assert.ok(found, `no demo login ${username} in the server's output:\n${server.stdout}`);
  return found.password;
}

function holder(server, state) {
  const found = server.holders.get(state);
  assert.ok(found, `no ${state} holder in the server's output:\n${server.stdout}`);
  return found;
}

// ---------------------------------------------------------------------------------------
// The API

async function api(server, method, path, { token, body, key } = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  if (key) headers['idempotency-key'] = key;
  const response = await fetch(`${server.base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: 'manual',
    signal: AbortSignal.timeout(WAIT_MS),
  });
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: the assertion below shows the text.
  }
  return { status: response.status, json, text };
}

async function apiSignIn(server, username) {
  const response = await api(server, 'POST', '/api/v1/sessions', {
    body: { username, password: login(server, username) },
  });
  assert.ok(response.status >= 200 && response.status < 300, `signing ${username} in: ${response.status} ${response.text}`);
  assert.ok(response.json?.token, `no token: ${response.text}`);
  return response.json.token;
}

// ---------------------------------------------------------------------------------------
// The browser

async function newPage(browser, lang, viewport) {
  const context = await browser.newContext({
    locale: LANGUAGES[lang].locale,
    viewport,
    deviceScaleFactor: 1,
    colorScheme: 'light',
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(WAIT_MS);
  context.setDefaultNavigationTimeout(WAIT_MS);
  const page = await context.newPage();
  return { context, page };
}

/** Signs in through the form and lands on /home. */
async function signIn(page, server, username) {
  await page.goto(`${server.base}/login`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(login(server, username));
  await page.locator('main form button[type="submit"]').click();
  await page.waitForURL(`${server.base}/home`);
}

/** Signs out with the header's button and checks the session is gone. */
async function signOut(page, server) {
  await page.locator('header form[action="/logout"] button[type="submit"]').click();
  await page.waitForURL(`${server.base}/login`);
  await page.goto(`${server.base}/home`);
  assert.equal(new URL(page.url()).pathname, '/login', 'after signing out, /home sends back to the sign-in page');
}

/**
 * Accessibility smoke checks: every visible input has a label naming it, the page's language
 * is declared and is the one shown, there is exactly one h1, and every button has a name.
 */
async function checkAccessibility(page, lang, what) {
  const report = await page.evaluate(() => {
    const unlabeled = [];
    for (const input of document.querySelectorAll('input')) {
      if (input.type === 'hidden') continue;
      const label = input.id ? document.querySelector(`label[for="${CSS.escape(input.id)}"]`) : null;
      if (!label || !label.textContent.trim()) unlabeled.push(input.outerHTML);
    }
    const nameless = [...document.querySelectorAll('button')]
      .filter((b) => !b.textContent.trim() && !b.getAttribute('aria-label'))
      .map((b) => b.outerHTML);
    return {
      lang: document.documentElement.getAttribute('lang'),
      h1: [...document.querySelectorAll('h1')].map((h) => h.textContent.trim()),
      unlabeled,
      nameless,
      title: document.title.trim(),
    };
  });
  assert.deepEqual(report.unlabeled, [], `${what}: inputs without a label[for]`);
  assert.deepEqual(report.nameless, [], `${what}: buttons without a name`);
  assert.equal(report.lang, LANGUAGES[lang].htmlLang, `${what}: html[lang]`);
  assert.equal(report.h1.length, 1, `${what}: exactly one h1, found ${JSON.stringify(report.h1)}`);
  assert.ok(report.h1[0], `${what}: the h1 is empty`);
  assert.ok(report.title, `${what}: the page has no title`);
}

async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Wait for the fonts (the CJK glyphs) before taking the picture.
  await page.evaluate(() => document.fonts.ready.then(() => true));
  await page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true, animations: 'disabled', timeout: WAIT_MS });
}

/** The card's section on the holder's home page. */
function cardSection(page, cardId) {
  return page.locator(`section[aria-labelledby="c-${cardId}"]`);
}

/** Yuan as shown ("3120.00") in fen. */
function fen(shown) {
  const match = shown.trim().match(/^(-?)(\d+)\.(\d{2})$/);
  assert.ok(match, `not an amount in yuan: ${JSON.stringify(shown)}`);
  const value = Number(match[2]) * 100 + Number(match[3]);
  return match[1] ? -value : value;
}

async function balanceOn(section, lang) {
  const dd = section
    .locator('dt', { hasText: LANGUAGES[lang].balance })
    .locator('xpath=following-sibling::dd[1]');
  return fen(await dd.innerText());
}

// ---------------------------------------------------------------------------------------
// The story, in each language

for (const lang of Object.keys(LANGUAGES)) {
  const words = LANGUAGES[lang];

  describe(`the portal in ${lang}`, { timeout: 5 * STEP_MS }, () => {
    let server;
    let browser;
    let card;
    let balanceBefore;

    before(async () => {
      server = await startServer();
      card = holder(server, 'deposit_only');
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: WAIT_MS });
    }, { timeout: 3 * WAIT_MS });

    after(async () => {
      try {
        await browser?.close();
      } finally {
        await stopServer(server);
      }
    }, { timeout: 3 * WAIT_MS });

    it('the holder signs in and sees the deposit-only account and the next step', { timeout: STEP_MS }, async () => {
      const { context, page } = await newPage(browser, lang, PHONE);
      try {
        // Signed out, home sends to the sign-in page.
        await page.goto(`${server.base}/home`);
        assert.equal(new URL(page.url()).pathname, '/login');
        await checkAccessibility(page, lang, 'the sign-in page');

        await signIn(page, server, 'holder-3523');
        await checkAccessibility(page, lang, "the holder's home");
        const section = cardSection(page, card.cardId);
        const financial = section.locator('[data-financial]');
        assert.equal(await financial.getAttribute('data-financial'), 'deposit_only');
        assert.ok((await financial.innerText()).includes(words.depositOnlyState), await financial.innerText());
        const next = await section.locator('p.next').innerText();
        for (const text of words.depositOnly) assert.ok(next.includes(text), `next step lacks ${text}: ${next}`);
        balanceBefore = await balanceOn(section, lang);
        assert.ok(balanceBefore >= PURCHASE_FEN, `balance ${balanceBefore} fen`);
        const html = await page.content();
        assert.ok(!html.includes(card.citizenId), "the holder's page shows the ID number");
        await screenshot(page, `holder-home-deposit-only-${lang}.png`);

        // The language switch sticks, and switches back.
        await page.goto(`${server.base}/lang/${words.other}`);
        await page.waitForURL(`${server.base}/home`);
        await checkAccessibility(page, words.other, "the holder's home after the switch");
        await page.reload();
        assert.equal(await page.locator('html').getAttribute('lang'), words.otherHtmlLang);
        await page.goto(`${server.base}/lang/${lang}`);
        assert.equal(await page.locator('html').getAttribute('lang'), words.htmlLang);
      } finally {
        await context.close();
      }
    });

    it("the teller activates the financial side with the holder's ID number and a PIN", { timeout: STEP_MS }, async () => {
      const { context, page } = await newPage(browser, lang, DESK);
      try {
        await signIn(page, server, 'teller-icbc');
        await checkAccessibility(page, lang, "the teller's desk");
        await page.locator('#card_id').fill(card.cardId);
        await page.locator('main form[action="/desk/card"] button[type="submit"]').click();
        await page.waitForURL((url) => url.pathname === '/desk/card');
        assert.equal(new URL(page.url()).searchParams.get('card_id'), card.cardId);
        await checkAccessibility(page, lang, 'the card at the desk');
        assert.equal(await page.locator('[data-financial]').getAttribute('data-financial'), 'deposit_only');

        const form = page.locator(`form[action="/desk/cards/${card.cardId}/activate"]`);
        await form.locator('#citizen_id').fill(card.citizenId);
        const pin = form.locator('#pin');
        assert.equal(await pin.getAttribute('type'), 'password', 'the PIN field is a password field');
        // The holder types the PIN key by key.
        await pin.pressSequentially(PIN, { delay: 20 });
        assert.equal(await pin.inputValue(), PIN);
        await screenshot(page, `teller-pin-pad-${lang}.png`);

        const posted = page.waitForResponse(
          (r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/activate'),
          { timeout: WAIT_MS },
        );
        await form.locator('button[type="submit"]').click();
        const response = await posted;
        assert.equal(response.status(), 200);
        const raw = await response.text();
        await page.locator('[data-financial="active"]').waitFor({ timeout: WAIT_MS });
        const notice = await page.locator('main [role="status"]').innerText();
        assert.ok(notice.includes(words.activated), notice);
        await checkAccessibility(page, lang, 'the desk after activation');
        for (const [what, html] of [['the response', raw], ['the page', await page.content()]]) {
          assert.ok(!html.includes(PIN), `${what} shows the PIN`);
          assert.ok(!html.includes(card.citizenId), `${what} shows the ID number`);
        }
        await screenshot(page, `teller-activation-${lang}.png`);
        await signOut(page, server);
      } finally {
        await context.close();
      }
    });

    it('the bank system takes 23.50 yuan with the PIN; the holder sees the account active and the lower balance', { timeout: STEP_MS }, async () => {
      const token = await apiSignIn(server, 'icbc-system');
      const purchase = await api(server, 'POST', `/api/v1/cards/${card.cardId}/purchases`, {
        token,
        key: `e2e-purchase-${lang}-${randomUUID()}`,
        body: { amount_fen: PURCHASE_FEN, pin: PIN, merchant: 'pharmacy-e2e' },
      });
      assert.ok(purchase.status >= 200 && purchase.status < 300, `purchase: ${purchase.status} ${purchase.text}`);

      const { context, page } = await newPage(browser, lang, PHONE);
      try {
        await signIn(page, server, 'holder-3523');
        await page.reload();
        await checkAccessibility(page, lang, "the holder's home after activation");
        const section = cardSection(page, card.cardId);
        const financial = section.locator('[data-financial]');
        assert.equal(await financial.getAttribute('data-financial'), 'active');
        assert.ok((await financial.innerText()).includes(words.activeState), await financial.innerText());
        const next = await section.locator('p.next').innerText();
        for (const text of words.active) assert.ok(next.includes(text), `next step lacks ${text}: ${next}`);
        assert.ok(balanceBefore !== undefined, 'the first step read the balance');
        assert.equal(await balanceOn(section, lang), balanceBefore - PURCHASE_FEN);
        const html = await page.content();
        assert.ok(!html.includes(PIN) && !html.includes(card.citizenId), "the holder's page shows a secret");
        await screenshot(page, `holder-home-active-${lang}.png`);
        await signOut(page, server);
      } finally {
        await context.close();
      }
    });
  });
}
