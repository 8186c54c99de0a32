// The spec's customer path in a real browser: search «Маузер» → card → premiere page → add to cart →
// cart → checkout → top-up through the sandbox payment page → confirm the debit → «Мои премьеры» →
// the confirmation email in the SMTP sink.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// playwright-core is a dependency of web/ (it never downloads a browser: we drive Debian's Chromium).
const { chromium } = createRequire(new URL('../../web/package.json', import.meta.url))('playwright-core');

const base = process.env.E2E_BASE_URL;
const maildir = process.env.E2E_MAILDIR;
const artifacts = process.env.E2E_ARTIFACTS || 'e2e-artifacts';
// The store's screenings (CHANCE_MEDIA_DIR): tests/system/harness.py gives the test store build/media-cache, shared
// between runs (scripts/make-media caches the sample screenings there).
const mediaDir = process.env.E2E_MEDIA_DIR || fileURLToPath(new URL('../../build/media-cache/', import.meta.url));
fs.mkdirSync(artifacts, { recursive: true });

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

async function withPage(fn, contextOptions = {}) {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync', '--disable-quic'],  // Playwright gives every launch a fresh profile
  });
  const context = await browser.newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow', ...contextOptions });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  try {
    await fn(page, errors);
  } catch (e) {
    await page.screenshot({ path: path.join(artifacts, 'failure.png'), fullPage: true }).catch(() => {});
    throw e;
  } finally {
    await browser.close();
  }
}

// Moves time for one rental by editing its window in the premieres database (the browser and the API
// then see a window that has ended, or ends in a few seconds, without waiting hours).
function sql(statement, dsn = process.env.E2E_PREMIERES_DSN) {
  return execFileSync('psql', [dsn, '-XAtqc', statement], { encoding: 'utf8' }).trim();
}

async function register(page, prefix) {
  const email = `${prefix}-${Date.now()}@example.ru`;
  await page.goto(base + '/register');
  await page.getByLabel('Имя').fill('Зритель');
  await page.getByLabel('Электронная почта').fill(email);
  await page.getByLabel('Пароль (не короче 12 символов)').fill('очень-надёжный-пароль');
  await page.getByLabel('Я соглашаюсь на обработку моих персональных данных').check();
  await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
  await page.waitForURL(base + '/');
  return email;
}

async function balanceShown(page) {
  return (await page.getByTitle('Баланс').innerText()).replace(/\s/g, ' ').replace(/^Баланс: /, '');
}

// «Пополнить баланс» on the billing page through the sandbox payment page, paying with `card`.
async function topUpWithCard(page, rubles, card = '4242 4242 4242 4242') {
  await page.goto(base + '/billing');
  await page.getByLabel('Сумма, ₽').fill(String(rubles));
  await page.getByRole('form', { name: 'Пополнить баланс' }).getByRole('button', { name: 'Пополнить баланс' }).click();
  await page.waitForURL(/\/pay\//);
  await page.getByLabel('Номер карты').fill(card);
  await page.getByLabel('Срок действия').fill('12/30');
  await page.getByLabel('CVC').fill('123');
  await page.getByRole('button', { name: 'Оплатить' }).click();
}

async function registerAndTopUp(page, prefix, rubles) {
  const email = await register(page, prefix);
  await topUpWithCard(page, rubles);
  await page.waitForURL(/\/billing/);
  return email;
}

// POST /api/v1/rent/ from inside the page (its session, its CSRF token); returns {status, body}.
function rentFromPage(page, body) {
  return page.evaluate(async (b) => {
    const me = await (await fetch('/api/v1/me')).json();
    const r = await fetch('/api/v1/rent/', { method: 'POST', headers: { 'Content-Type': 'application/json',
      'X-CSRF-Token': me.csrf_token, 'Idempotency-Key': crypto.randomUUID() }, body: JSON.stringify(b) });
    return { status: r.status, body: await r.json() };
  }, body);
}

// POST /api/v1/rentals/:id/playback from inside the page (its session, its CSRF token), as the player starts a stream
// (ADR 0025: it ends the rental's stream in any other browser, this page's player included); returns {status, body}.
function startPlaybackFromPage(page, rentalId) {
  return page.evaluate(async (id) => {
    const me = await (await fetch('/api/v1/me')).json();
    const r = await fetch(`/api/v1/rentals/${id}/playback`, { method: 'POST', headers: { 'Content-Type': 'application/json',
      'X-CSRF-Token': me.csrf_token }, body: '{}' });
    return { status: r.status, body: await r.json() };
  }, rentalId);
}

// A message from the sink as {subject, text, html}: RFC 2047 subject words and the base64 text/plain and text/html
// parts decoded.
function decodeMail(raw) {
  const unfolded = raw.replace(/\r?\n[ \t]+/g, ' ');
  const subjectLine = (unfolded.match(/^Subject: (.*)$/m) || [, ''])[1];
  const subject = subjectLine.replace(/=\?UTF-8\?B\?([^?]*)\?=\s*/gi, (_, b) => Buffer.from(b, 'base64').toString('utf8'));
  const decodePart = (type) => {
    const part = raw.split(new RegExp(`Content-Type: text/${type}; charset=utf-8\r?\nContent-Transfer-Encoding: base64\r?\n\r?\n`))[1] || '';
    return Buffer.from(part.split(/\r?\n--/)[0].replace(/\s/g, ''), 'base64').toString('utf8');
  };
  return { subject, text: decodePart('plain'), html: decodePart('html') };
}

async function waitForMail(address, predicate, what, timeoutMs = 15000) {
  for (let i = 0; i < timeoutMs / 100; i++) {
    const found = mailsTo(address).map(decodeMail).filter(predicate);
    if (found.length) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${what} for ${address}; have: ${mailsTo(address).map((m) => decodeMail(m).subject).join(' | ')}`);
}

// "DD.MM.YYYY HH:MM" in Moscow, the way the emails write times for a customer in that zone.
function moscow(iso) {
  const f = new Intl.DateTimeFormat('ru-RU', { timeZone: 'Europe/Moscow', day: '2-digit', month: '2-digit', year: 'numeric',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
  return f.replace(',', '');
}

function mailsTo(address) {
  const dir = path.join(maildir, 'new');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).filter((m) => m.includes(`<${address}>`));
}

test('search, buy with a top-up, and find the premiere in «Мои премьеры»', async () => {
  await withPage(async (page, errors) => {
    const email = `e2e-${Date.now()}@example.ru`;
    await page.goto(base + '/');
    await page.getByRole('searchbox', { name: 'Поиск' }).fill('Маузер');
    await page.getByRole('searchbox', { name: 'Поиск' }).press('Enter');
    await page.waitForURL(/\/search\?q=/);
    const card = page.getByTestId('premiere-card').filter({ hasText: 'Маузер' }).first();
    await card.waitFor();
    const text = await card.innerText();
    for (const part of ['Маузер', 'Дмитрий Высоцкий', 'Хайнера Мюллера', 'Цена в театре', 'Цена онлайн', '−20', 'Время резервации'])
      assert.ok(text.includes(part), `card shows ${part}: ${text}`);
    await page.screenshot({ path: path.join(artifacts, '1-search.png'), fullPage: true });

    await card.click();
    await page.getByRole('heading', { name: 'Маузер', level: 1 }).waitFor();
    await page.getByTestId('quote').waitFor();
    await page.getByRole('button', { name: 'Добавить в корзину' }).click();
    await page.waitForURL(/\/login\?next=/);
    await page.getByRole('link', { name: 'Зарегистрироваться' }).click();
    await page.getByLabel('Имя').fill('Мария Зрительница');
    await page.getByLabel('Электронная почта').fill(email);
    await page.getByLabel('Пароль (не короче 12 символов)').fill('очень-надёжный-пароль');
    await page.getByLabel('Я соглашаюсь на обработку моих персональных данных').check();
    await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
    await page.waitForURL(/\/premiere\/\d+/);
    await page.getByRole('button', { name: 'Добавить в корзину' }).click();
    await page.getByText('Премьера в корзине').waitFor();
    await page.screenshot({ path: path.join(artifacts, '2-premiere.png'), fullPage: true });

    await page.getByRole('link', { name: /^Корзина/ }).click();
    await page.getByTestId('cart-item').filter({ hasText: 'Маузер' }).waitFor();
    await page.getByRole('button', { name: 'Оформить заказ' }).click();
    await page.getByTestId('checkout-total').filter({ hasText: '479,20' }).waitFor();
    // «Начать сразу» is the default: the window opens when the payment is confirmed.
    assert.ok(await page.getByRole('radio', { name: 'Начать сразу' }).isChecked());
    assert.equal(await page.getByLabel('Начало просмотра').count(), 0);
    await page.getByRole('button', { name: 'Продолжить' }).click();

    const topUp = page.getByRole('form', { name: 'Пополнить баланс' });
    await topUp.waitFor();
    assert.equal(await page.getByLabel('Сумма пополнения, ₽').inputValue(), '480');
    await page.screenshot({ path: path.join(artifacts, '3-top-up.png'), fullPage: true });
    await topUp.getByRole('button', { name: 'Пополнить баланс' }).click();

    await page.waitForURL(/\/pay\//);
    await page.getByLabel('Номер карты').fill('4242 4242 4242 4242');
    await page.getByLabel('Срок действия').fill('12/30');
    await page.getByLabel('CVC').fill('123');
    await page.screenshot({ path: path.join(artifacts, '4-payment.png'), fullPage: true });
    await page.getByRole('button', { name: 'Оплатить' }).click();

    await page.waitForURL(/\/checkout\?order=/);
    const orderId = new URL(page.url()).searchParams.get('order');
    await page.getByRole('button', { name: 'Подтвердить списание' }).click();
    await page.getByText('Премьера оплачена').waitFor();
    await page.getByRole('link', { name: 'Перейти в «Мои премьеры»' }).click();
    const rental = page.getByTestId('rental').filter({ hasText: 'Маузер' });
    await rental.waitFor();
    // Paid with «Начать сразу»: the window is open now, and «Смотреть» is there at once.
    const rentalText = await rental.innerText();
    assert.ok(/Идёт/.test(rentalText), rentalText);
    assert.ok(/До конца: /.test(rentalText), rentalText);
    await rental.getByRole('link', { name: 'Смотреть' }).waitFor();
    await page.screenshot({ path: path.join(artifacts, '5-rentals.png'), fullPage: true });

    // The purchase email names the paid window in the customer's zone and, the window being open, the
    // link to watch; then the reminder (the test store reminds 24 hours ahead, so a 12-hour rental that
    // starts now gets it at once). No «начался» email: the purchase email was that notice.
    const rentals = await page.evaluate(async () => (await (await fetch('/api/v1/rentals')).json()).items);
    const mine = rentals.find((r) => r.title === 'Маузер');
    const window = `${moscow(mine.starts_at)} — ${moscow(mine.ends_at)}`;
    const purchase = await waitForMail(email, (m) => m.subject === 'Премьера оплачена: «Маузер»', 'purchase email');
    assert.equal(purchase.length, 1, 'exactly one purchase email');
    assert.ok(purchase[0].text.includes(`«Маузер»: смотреть можно с ${window}`), purchase[0].text);
    assert.ok(purchase[0].text.includes(`Окно просмотра уже открыто, смотреть: ${base}/watch/${mine.id}`), purchase[0].text);
    const reminder = await waitForMail(email, (m) => m.subject === 'Скоро закончится аренда «Маузер»', 'ending-soon reminder');
    assert.ok(reminder[0].text.includes(`Просмотр будет доступен до ${moscow(mine.ends_at)}`), reminder[0].text);
    await new Promise((r) => setTimeout(r, 1000));  // a few scheduler passes later: still one, and no «начался»
    assert.equal(mailsTo(email).map(decodeMail).filter((m) => /Скоро закончится/.test(m.subject)).length, 1);
    assert.equal(mailsTo(email).map(decodeMail).filter((m) => /начался/.test(m.subject)).length, 0);

    // «Мои заказы» from the header: the order just bought, paid, with its receipt — the server's printable page,
    // fetched with this browser's cookies.
    await page.getByRole('navigation', { name: 'Основное меню' }).getByRole('link', { name: 'Мои заказы' }).click();
    await page.waitForURL(base + '/orders');
    await page.getByRole('heading', { name: 'Мои заказы', level: 1 }).waitFor();
    const order = page.getByTestId('order').filter({ hasText: 'Маузер' });
    await order.waitFor();
    assert.equal(await page.getByTestId('order').count(), 1, 'one order for a new customer');
    const orderText = await order.innerText();
    // The status label itself: «Оплачено» (the sum paid) is on every order, «Оплачен» is the status.
    assert.equal(await order.locator('.status').innerText(), 'Оплачен', orderText);
    const receipt = order.getByRole('link', { name: /^Чек(?! возврата)/ }).first();
    assert.equal(await receipt.getAttribute('target'), '_blank');
    const receiptUrl = new URL(await receipt.getAttribute('href'), base).href;
    const receiptRes = await page.request.get(receiptUrl);
    assert.equal(receiptRes.status(), 200, `${receiptUrl}: ${receiptRes.status()}`);
    assert.match(receiptRes.headers()['content-type'] || '', /^text\/html/, `${receiptUrl}: ${receiptRes.headers()['content-type']}`);
    const receiptText = await receiptRes.text();
    assert.ok(receiptText.includes('Кассовый чек') && receiptText.includes('Маузер'), receiptText.slice(0, 2000));
    await page.screenshot({ path: path.join(artifacts, '5a-orders.png'), fullPage: true });
    // The purchase email's link (/orders?order=<id>) marks that order.
    await page.goto(base + `/orders?order=${encodeURIComponent(orderId)}`);
    await page.locator('[data-testid="order"][aria-current="true"]').filter({ hasText: 'Маузер' }).waitFor();
    assert.deepEqual(errors.filter((e) => !e.includes('401')), [], 'no errors in the browser console');
  });
});

test('the empty search shows a suggestion and featured premieres', async () => {
  await withPage(async (page) => {
    await page.goto(base + '/search?q=' + encodeURIComponent('Маузр'));
    await page.getByText('Возможно, вы имели в виду').waitFor();
    await page.getByTestId('premiere-card').filter({ hasText: 'Маузер' }).first().waitFor();
    await page.goto(base + '/search?q=qwzxqwzx');
    await page.getByText('ничего не нашлось').waitFor();
    await page.getByRole('heading', { name: 'Посмотрите эти премьеры' }).waitFor();
  });
});

test('watching: plays inside the window, renews its URL, refuses a tampered one, explains an early start', async () => {
  await withPage(async (page) => {
    await registerAndTopUp(page, 'watch', 2000);
    const rent = async (body) => (await rentFromPage(page, body)).status;
    assert.equal(await rent({ id: 1, period: 12 }), 200);
    const tomorrow = new Date(Date.now() + 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
    assert.equal(await rent({ id: 2, period: 24, starts_at: tomorrow }), 200);

    await page.goto(base + '/rentals');
    const active = page.getByTestId('rental').filter({ hasText: 'Маузер' });
    await active.getByRole('link', { name: 'Смотреть' }).click();
    await page.waitForURL(/\/watch\/\d+/);
    const player = page.getByTestId('player');
    await page.waitForFunction(() => document.querySelector('video')?.currentTime > 12, null, { timeout: 40000 });
    const t = await player.evaluate((v) => v.currentTime);
    assert.ok(t > 12, `played ${t}s, past the first 8-second URL`);
    await page.screenshot({ path: path.join(artifacts, '6-player.png') });

    // A stream of its own (the player's ends: the page is left next): its URL plays, a tampered one does not.
    const started = await startPlaybackFromPage(page, new URL(page.url()).pathname.split('/').pop());
    assert.equal(started.status, 200, JSON.stringify(started.body));
    assert.match(started.body.session, /^[A-Za-z0-9_-]{22}$/);
    const urls = await page.evaluate(async (p) => {
      const tampered = p.url.replace(/\/media\/([^/.]+)\./, (m, a) => `/media/${a.slice(0, -2)}xx.`);
      return { ok: (await fetch(p.url)).status, tampered: (await fetch(tampered)).status,
               segment: (await fetch(p.url.replace('master.m3u8', 'v1/seg_000.ts'), { headers: { Range: 'bytes=0-99' } })).status };
    }, started.body);
    assert.deepEqual(urls, { ok: 200, tampered: 403, segment: 206 });

    await page.goto(base + '/rentals');
    await page.getByTestId('rental').filter({ hasText: 'Скоро' }).first().waitFor();
    const upcoming = await page.evaluate(async () => {
      const list = await (await fetch('/api/v1/rentals')).json();
      return list.items.find((x) => x.status === 'upcoming').id;
    });
    const early = await startPlaybackFromPage(page, upcoming);
    assert.equal(early.status, 403, JSON.stringify(early.body));
    assert.ok(early.body.starts_at, JSON.stringify(early.body));
    await page.goto(base + `/watch/${upcoming}`);
    await page.getByText('Показ ещё не начался').first().waitFor();
  });
});

test('watching: the window ends while playing, and after the end the page and the API refuse', async () => {
  await withPage(async (page) => {
    await registerAndTopUp(page, 'ended', 1000);
    const rented = await rentFromPage(page, { id: 1, period: 12 });
    assert.equal(rented.status, 200, JSON.stringify(rented.body));
    assert.match(rented.body.id, /^[0-9a-f-]{36}$/);
    const id = sql(`SELECT id FROM rentals WHERE order_id = '${rented.body.id}'`);
    assert.match(id, /^\d+$/);
    // The window ends 20 seconds from now: the player must stop by itself and say so.
    const endsAt = Date.parse(sql(`UPDATE rentals SET starts_at = now() - interval '1 hour', ends_at = now() + interval '20 seconds'
                                   WHERE id = ${id} RETURNING to_char(ends_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`));
    await page.goto(base + `/watch/${id}`);
    await page.waitForFunction(() => document.querySelector('video')?.currentTime > 2, null, { timeout: 30000 });
    await page.getByText('Время просмотра закончилось').waitFor({ timeout: 40000 });
    assert.ok(Date.now() >= endsAt - 1000, `stopped ${endsAt - Date.now()} ms before the window's end`);
    await new Promise((r) => setTimeout(r, Math.max(0, endsAt - Date.now() + 200)));    assert.equal(await page.getByTestId('player').evaluate((v) => v.paused), true, 'the video is paused at the end');
    await page.getByRole('link', { name: 'Арендовать снова' }).waitFor();
    await page.screenshot({ path: path.join(artifacts, '7-window-ended.png') });

    // After the end: the API says 403 with the end time, the page shows the reason, the list shows it ended.
    const api = await startPlaybackFromPage(page, id);
    assert.equal(api.status, 403);
    assert.match(api.body.detail, /закончил/);
    assert.ok(api.body.ends_at, JSON.stringify(api.body));
    await page.goto(base + `/watch/${id}`);
    await page.getByRole('alert').filter({ hasText: /закончилось \d{2}\.\d{2}\.\d{4}/ }).waitFor();
    await page.getByRole('link', { name: 'Арендовать снова' }).waitFor();
    assert.equal(await page.getByTestId('player').count(), 0, 'no player after the end');
    await page.goto(base + '/rentals');
    const item = page.getByTestId('rental').filter({ hasText: 'Маузер' });
    await item.filter({ hasText: /Завершена|Закончилась|Просмотр окончен/ }).waitFor();
    assert.equal(await item.getByRole('link', { name: 'Смотреть' }).count(), 0, 'no «Смотреть» after the end');
  });
});

test('one stream per rental: a second browser resumes where the first stopped, the first is told, and takes it back', async () => {
  await withPage(async (page) => {
    const email = await registerAndTopUp(page, 'two-devices', 1000);
    const rented = await rentFromPage(page, { id: 1, period: 12 });
    assert.equal(rented.status, 200, JSON.stringify(rented.body));
    const id = sql(`SELECT id FROM rentals WHERE order_id = '${rented.body.id}'`);
    assert.match(id, /^\d+$/);

    // The positions the store kept from this browser's beacons (every 5 seconds while playing).
    const kept = [];
    page.on('response', (r) => {
      if (r.url().endsWith(`/api/v1/rentals/${id}/playback/beacon`) && r.status() === 204) {
        const position = r.request().postDataJSON()?.position;
        if (typeof position === 'number') kept.push(position);
      }
    });
    await page.goto(base + `/watch/${id}`);
    await page.waitForFunction(() => document.querySelector('video')?.currentTime >= 4, null, { timeout: 30000 });
    // A resume point is a position past the first 5 seconds.
    for (let i = 0; i < 300 && !kept.some((p) => p >= 6); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(kept.some((p) => p >= 6), `a beacon past 5 s was kept: ${kept.join(', ')}`);
    assert.equal(await page.getByTestId('taken-over').count(), 0);

    // The same customer in another browser: it resumes where the first one is, and says it stopped the other.
    const otherContext = await page.context().browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
    const other = await otherContext.newPage();
    try {
      await other.goto(base + '/login');
      await other.getByLabel('Электронная почта').fill(email);
      await other.getByLabel('Пароль').fill('очень-надёжный-пароль');
      await other.getByRole('button', { name: 'Войти' }).click();
      await other.waitForURL(base + '/');
      await other.goto(base + `/watch/${id}`);
      const note = other.getByTestId('resume-note');
      await note.waitFor();
      assert.match(await note.innerText(), /Продолжаем с \d+:\d\d/);
      await other.getByRole('button', { name: 'Смотреть с начала' }).waitFor();
      await other.getByTestId('stopped-elsewhere').filter({ hasText: 'Просмотр на другом устройстве остановлен' }).waitFor();
      await other.waitForFunction(() => document.querySelector('video')?.currentTime > 0, null, { timeout: 30000 });
      const resumed = await other.getByTestId('player').evaluate((v) => v.currentTime);
      assert.ok(resumed >= 3, `the second browser started at ${resumed}s, not where the first stopped`);
      await other.screenshot({ path: path.join(artifacts, '7b-resumed-elsewhere.png') });

      // The first browser learns it at its next renewal or beacon: playback stops, and it says why.
      const alert = page.getByTestId('taken-over');
      await alert.waitFor({ timeout: 15000 });
      assert.match(await alert.innerText(), /Просмотр продолжен на другом устройстве\. Одновременно аренду можно смотреть только на одном устройстве\./);
      assert.equal(await page.getByTestId('player').evaluate((v) => v.paused), true, 'the first browser stopped playing');
      await page.screenshot({ path: path.join(artifacts, '7c-taken-over.png') });

      // «Смотреть здесь» takes the stream back: the first browser resumes, the second is told in its turn.
      await page.getByRole('button', { name: 'Смотреть здесь' }).click();
      await page.getByTestId('resume-note').waitFor();
      assert.equal(await alert.count(), 0);
      await page.waitForFunction(() => document.querySelector('video')?.currentTime >= 3, null, { timeout: 30000 });
      await other.getByTestId('taken-over').waitFor({ timeout: 15000 });
    } finally {
      await otherContext.close();
    }
  });
});

test('a declined card credits nothing and the store says why; a good card then works', async () => {
  await withPage(async (page) => {
    await register(page, 'declined');
    await topUpWithCard(page, 700, '4000 0000 0000 0002');
    await page.getByRole('heading', { name: 'Оплата отклонена' }).waitFor();
    await page.screenshot({ path: path.join(artifacts, '8-declined.png'), fullPage: true });
    await page.getByRole('link', { name: 'Вернуться в магазин' }).click();
    await page.waitForURL(/\/billing\?payment=/);
    await page.getByRole('alert').filter({ hasText: 'не прошла' }).waitFor();
    assert.match(await balanceShown(page), /^0,00 ₽$/);
    await topUpWithCard(page, 700);
    await page.waitForURL(/\/billing\?payment=/);
    await page.getByText('Баланс пополнен на 700,00').waitFor();
    await page.waitForFunction(() => document.querySelector('[title="Баланс"]')?.textContent?.includes('700,00'));
  });
});

test('extend an active rental with the price shown first, then cancel an upcoming one with a full refund', async () => {
  await withPage(async (page) => {
    await registerAndTopUp(page, 'manage', 3000);
    const active = await rentFromPage(page, { id: 1, period: 12 });
    assert.equal(active.status, 200, JSON.stringify(active.body));
    const tomorrow = new Date(Date.now() + 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
    const upcoming = await rentFromPage(page, { id: 2, period: 24, starts_at: tomorrow });
    assert.equal(upcoming.status, 200, JSON.stringify(upcoming.body));
    await page.goto(base + '/rentals');
    await page.waitForFunction(() => !document.querySelector('[title="Баланс"]')?.textContent?.includes('3\u00a0000'));
    const before = await balanceShown(page);

    const mauser = page.getByTestId('rental').filter({ hasText: 'Маузер' });
    await mauser.getByRole('button', { name: 'Продлить' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText(/доплата/).first().waitFor();
    const label = await dialog.locator('label.chip').first().innerText();
    const extra = label.match(/доплата ([\d\s\u00a0]+,\d\d)/)[1];
    const hours = label.match(/^(\d+)\s*ч/)[1];
    await page.screenshot({ path: path.join(artifacts, '9-extend.png'), fullPage: true });
    await dialog.getByRole('button', { name: /^Продлить за / }).click();
    await page.getByRole('status').filter({ hasText: 'продлена' }).waitFor();
    assert.ok((await page.getByRole('status').filter({ hasText: 'продлена' }).innerText()).includes(extra), `charged ${extra}`);
    await mauser.getByText(new RegExp(`${hours}\\s*ч`)).waitFor();

    const second = page.getByTestId('rental').filter({ hasText: 'Скоро' }).first();
    const refundTitle = await second.locator('h2').innerText();
    await second.getByRole('button', { name: 'Отменить' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Отменить аренду' }).click();
    await page.getByRole('status').filter({ hasText: `«${refundTitle}» отменена` }).waitFor();
    await page.getByTestId('rental').filter({ hasText: refundTitle }).filter({ hasText: 'Отменена' }).waitFor();
    await page.screenshot({ path: path.join(artifacts, '10-cancelled.png'), fullPage: true });
    // The refund is in the history and the header's balance shows it.
    await page.goto(base + '/billing');
    await page.getByRole('cell', { name: 'Возврат' }).first().waitFor();
    assert.notEqual(await balanceShown(page), before);
  });
});

test('change an upcoming rental: a day later and 12 hours instead of 24, the refund shown before confirming', async () => {
  await withPage(async (page, errors) => {
    await registerAndTopUp(page, 'change', 1000);
    const tomorrow = new Date(Date.now() + 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
    const rented = await rentFromPage(page, { id: 1, period: 24, starts_at: tomorrow });
    assert.equal(rented.status, 200, JSON.stringify(rented.body));
    await page.goto(base + '/rentals');
    await page.waitForFunction(() => !document.querySelector('[title="Баланс"]')?.textContent?.includes('1\u00a0000'));
    const kopecks = (money) => Number(money.replace(/[^\d,]/g, '').replace(',', ''));
    const before = kopecks(await balanceShown(page));

    const mauser = page.getByTestId('rental').filter({ hasText: 'Маузер' });
    await mauser.filter({ hasText: 'Скоро' }).waitFor();
    assert.equal(await mauser.getByRole('button', { name: 'Продлить' }).count(), 0, 'an upcoming rental is changed, not extended');
    await mauser.getByRole('button', { name: 'Изменить' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Изменить «Маузер»' });
    const start = dialog.getByLabel('Начало просмотра');
    await start.waitFor();
    // The field shows the current start in Moscow (no summer time there): one day later on the wall clock.
    const was = await start.inputValue();
    assert.match(was, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    const later = new Date(Date.parse(`${was}:00Z`) + 86400000).toISOString().slice(0, 16);
    await start.fill(later);
    await dialog.getByRole('radio', { name: /^12\s*ч/ }).check();

    // Before confirming: the period's refund, the same on the button, and the window it gives.
    const label = await dialog.locator('label.chip').filter({ hasText: /^12\s*ч/ }).innerText();
    const refund = label.match(/вернём ([\d\s\u00a0]+,\d\d\s*₽)/)[1];
    assert.ok(kopecks(refund) > 0, label);
    const confirm = dialog.getByRole('button', { name: /^Сохранить и вернуть / });
    assert.equal(kopecks(await confirm.innerText()), kopecks(refund), await confirm.innerText());
    const startsAt = new Date(Math.floor(Date.parse(tomorrow) / 60000) * 60000 + 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
    const endsAt = new Date(Date.parse(startsAt) + 12 * 3600000).toISOString().replace(/\.\d+Z$/, 'Z');
    // The times as the page writes them (the browser's own Intl, the customer's zone).
    const [shownStart, shownEnd] = await page.evaluate((times) => times.map((t) => new Intl.DateTimeFormat('ru-RU', {
      timeZone: 'Europe/Moscow', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(t))),
    [startsAt, endsAt]);
    await dialog.getByText(`Просмотр будет доступен с ${shownStart} до ${shownEnd}.`).waitFor();
    await page.screenshot({ path: path.join(artifacts, '10a-change.png'), fullPage: true });
    await confirm.click();

    const notice = page.getByRole('status').filter({ hasText: 'изменена' });
    await notice.waitFor();
    const noticeText = (await notice.innerText()).replace(/\s/g, ' ');
    assert.ok(noticeText.includes(`«Маузер» изменена: с ${shownStart} до ${shownEnd}; вернули ${refund.replace(/\s/g, ' ')} на баланс`), noticeText);
    await mauser.filter({ hasText: new RegExp(`12\\s*ч: с ${shownStart} до ${shownEnd}`) }).waitFor();
    const mine = (await page.evaluate(async () => (await (await fetch('/api/v1/rentals')).json()).items)).find((r) => r.title === 'Маузер');
    assert.equal(mine.period, 12);
    assert.equal(Date.parse(mine.starts_at), Date.parse(startsAt));
    assert.equal(Date.parse(mine.ends_at), Date.parse(endsAt));

    // The header's balance grew by the refund.
    for (let i = 0; i < 50 && kopecks(await balanceShown(page)) === before; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(kopecks(await balanceShown(page)), before + kopecks(refund), `${await balanceShown(page)} = ${before} + ${refund}`);
    assert.deepEqual(errors.filter((e) => !e.includes('401')), [], 'no errors in the browser console');
  });
});

test('admin: create a premiere in the editor, change its price, and the storefront shows it; customers are kept out', async () => {
  await withPage(async (page) => {
    await page.goto(base + '/login?next=%2Fadmin');
    await page.getByLabel('Электронная почта').fill('admin@chance.local');
    await page.getByLabel('Пароль').fill('admin-password-2026');
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(/\/admin$/);
    await page.getByRole('heading', { name: 'Премьеры' }).waitFor();
    await page.getByTestId('admin-premiere').first().waitFor();
    await page.getByRole('link', { name: 'Новая премьера' }).click();
    await page.getByRole('heading', { name: 'Новая премьера', level: 1 }).waitFor();
    const title = `Дядя Ваня ${Date.now() % 100000}`;
    await page.getByLabel('Название', { exact: true }).fill(title);
    await page.getByLabel('Адрес (латиница, цифры, дефис)').fill(`dyadya-vanya-${Date.now()}`);
    await page.getByLabel('Театр', { exact: true }).fill('Театр имени Вахтангова');
    await page.getByLabel('Режиссёр', { exact: true }).fill('Римас Туминас');
    await page.getByLabel('Коротко (для карточки)').fill('Чехов о несбывшейся жизни.');
    await page.getByLabel('Полное описание').fill('Имение, профессор, доктор Астров и Соня.');
    await page.getByLabel('Цена в театре, ₽').fill('3500');
    await page.getByLabel('Цена онлайн за базовый срок, ₽').fill('-5');
    await page.getByLabel('Актёр 1').fill('Сергей Маковецкий');
    await page.getByLabel('Роль').first().fill('Войницкий');
    await page.getByRole('button', { name: 'Создать премьеру' }).click();
    await page.getByText('Сумма в рублях, например 499 или 499,90').waitFor();
    await page.getByLabel('Цена онлайн за базовый срок, ₽').fill('549');
    await page.getByRole('button', { name: 'Создать премьеру' }).click();
    await page.waitForURL(/\/admin\/premieres\/\d+$/);
    await page.getByText('Версия 1').waitFor();
    await page.getByTestId('premiere-event').filter({ hasText: 'Создана' }).waitFor();
    await page.screenshot({ path: path.join(artifacts, '11-admin-editor.png'), fullPage: true });

    await page.getByLabel('Скидка, %').fill('10');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Сохранено: покупатели уже видят изменения.').waitFor();
    await page.getByTestId('premiere-event').filter({ hasText: 'Изменены цены' }).waitFor();

    await page.goto(base + '/search?q=' + encodeURIComponent(title));
    const card = page.getByTestId('premiere-card').filter({ hasText: title });
    await card.waitFor();
    const text = await card.innerText();
    assert.ok(text.includes('494,10') && text.includes('549,00') && text.includes('Сергей Маковецкий'), text);

    await page.getByRole('button', { name: 'Выйти' }).click();
    await register(page, 'nosy');
    await page.goto(base + '/admin');
    await page.getByRole('heading', { name: 'Нужны права администратора' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Администрирование' }).count(), 0);
  });
});

// Signs `page` in as one of the demo seed's staff accounts.
async function signInAs(page, email, password) {
  await page.goto(base + '/login');
  await page.getByLabel('Электронная почта').fill(email);
  await page.getByLabel('Пароль').fill(password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.waitForURL(base + '/');
}

test('a support member refunds a rental and the customer sees it in «Мои заказы»', async () => {
  await withPage(async (page, errors) => {
    const email = await registerAndTopUp(page, 'refund', 1000);
    const rented = await rentFromPage(page, { id: 1, period: 12 });
    assert.equal(rented.status, 200, JSON.stringify(rented.body));

    // Support, in another browser: «Покупатели» from the header, the customer by address, the order's «Вернуть деньги».
    const staffContext = await page.context().browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
    const staff = await staffContext.newPage();
    const staffErrors = [];
    staff.on('pageerror', (e) => staffErrors.push(e.message));
    staff.on('console', (m) => { if (m.type() === 'error') staffErrors.push(m.text()); });
    try {
      await signInAs(staff, 'support@chance.local', 'support-password-2026');
      assert.equal(await staff.getByRole('link', { name: 'Администрирование' }).count(), 0, 'support is no admin');
      await staff.getByRole('navigation', { name: 'Основное меню' }).getByRole('link', { name: 'Покупатели' }).click();
      await staff.waitForURL(base + '/staff/customers');
      await staff.getByRole('heading', { name: 'Покупатели', level: 1 }).waitFor();
      await staff.getByLabel('Почта или номер заказа').fill(email);
      await staff.getByRole('search', { name: 'Поиск покупателя' }).getByRole('button', { name: 'Найти' }).click();
      const card = staff.getByTestId('customer');
      await card.getByRole('heading', { name: 'Зритель', level: 2 }).waitFor();
      assert.ok((await card.innerText()).includes(email), 'the card shows the address');
      const order = card.getByTestId('order').filter({ hasText: 'Маузер' });
      await order.waitFor();
      assert.equal(await order.getByRole('link').count(), 0, 'no receipt links on the staff card');
      await order.getByRole('button', { name: 'Вернуть деньги' }).click();
      const form = order.getByRole('form', { name: 'Возврат денег' });
      const what = form.getByLabel('Что вернуть');
      await what.selectOption(await what.locator('option').filter({ hasText: 'Маузер' }).getAttribute('value'));
      await form.getByLabel('Сумма, ₽').fill('100');
      await form.getByLabel('Причина (её увидит покупатель)').fill('Плохо работал звук');
      await staff.screenshot({ path: path.join(artifacts, '23-staff-refund.png'), fullPage: true });
      await form.getByRole('button', { name: 'Вернуть на баланс' }).click();
      await order.getByRole('status').filter({ hasText: /Возвращено 100,00\s₽ на баланс покупателя/ }).waitFor();
      await order.getByTestId('movement').filter({ hasText: 'Плохо работал звук' }).waitFor();  // the card asked again
      await staff.screenshot({ path: path.join(artifacts, '24-staff-refunded.png'), fullPage: true });

      // The sales report is for admins: support is told so, and the API refuses too.
      await staff.goto(base + '/admin/reports');
      await staff.getByRole('heading', { name: 'Нужны права администратора' }).waitFor();
      assert.equal(await staff.getByRole('heading', { name: 'Продажи' }).count(), 0);
      const report = await staff.evaluate(async () => (await fetch('/api/v1/admin/reports/sales?from=2026-01-01&to=2026-01-31&by=day')).status);
      assert.equal(report, 403);
      assert.deepEqual(staffErrors.filter((e) => !e.includes('403')), [], 'no other errors in the support browser console');
    } finally {
      await staffContext.close();
    }

    // The customer: the refund in «Мои заказы» with its reason and receipt, and an email about it.
    await page.getByRole('navigation', { name: 'Основное меню' }).getByRole('link', { name: 'Мои заказы' }).click();
    await page.waitForURL(base + '/orders');
    const refund = page.getByTestId('order').filter({ hasText: 'Маузер' })
      .locator('[data-testid="movement"].movement-refund').filter({ hasText: 'Плохо работал звук' });
    await refund.waitFor();
    assert.match(await refund.locator('.movement-amount').innerText(), /^100,00\s₽$/);
    await refund.getByRole('link', { name: /^Чек возврата/ }).waitFor();
    await page.screenshot({ path: path.join(artifacts, '25-orders-refund.png'), fullPage: true });
    const mail = await waitForMail(email, (m) => m.subject.startsWith('Возврат'), 'refund email');
    assert.equal(mail.length, 1, 'one refund email');
    assert.deepEqual(errors.filter((e) => !e.includes('401')), [], 'no errors in the customer browser console');
  });
});

// POST `body` as JSON to `url` from inside the page (its session, its CSRF token); returns {status, body}.
function postFromPage(page, url, body) {
  return page.evaluate(async ([u, b]) => {
    const me = await (await fetch('/api/v1/me')).json();
    const r = await fetch(u, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
      body: JSON.stringify(b) });
    return { status: r.status, body: r.status === 204 ? null : await r.json() };
  }, [url, body]);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const spaces = (s) => s.replace(/\s+/g, ' ');

test('a premiere with broken media refunds itself and the email says so', async () => {
  await withPage(async (page) => {
    // An admin, in another browser, adds a premiere with one 24-hour period (300 ₽).
    const title = `Сломанная запись ${Date.now() % 100000}`;
    const at = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const adminContext = await page.context().browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
    let premiere;
    try {
      const admin = await adminContext.newPage();
      await signInAs(admin, 'admin@chance.local', 'admin-password-2026');
      const created = await postFromPage(admin, '/api/v1/admin/premieres', {
        slug: `broken-${Date.now()}`, title, theatre: 'Театр Наций', director: 'Режиссёр', age_rating: '12+', duration_minutes: 100,
        description_short: 'Коротко.', description_full: 'Подробно.', price_theatre: 250000, price_online: 30000,
        base_period_hours: 24, periods: [{ hours: 24, factor: '1' }], reservable_from: at(Date.now() - 86400000),
        reservable_until: at(Date.now() + 60 * 86400000), cast: [{ actor: 'Актриса Сбоя', role: 'Нина' }],
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      premiere = created.body.id;
    } finally {
      await adminContext.close();
    }

    // Its screening: the master playlist only, the variant it names is missing — the store's failure. The media
    // folder is shared between runs: the premiere's own folder goes at the end whatever happens.
    const folder = path.join(mediaDir, String(premiere));
    fs.mkdirSync(folder, { recursive: true });
    try {
      fs.writeFileSync(path.join(folder, 'master.m3u8'), '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=70400,RESOLUTION=640x360\nv0/index.m3u8\n');
      const email = await registerAndTopUp(page, 'broken-media', 500);
      const rented = await rentFromPage(page, { id: premiere, period: 24 });  // no starts_at: «Начать сразу»
      assert.equal(rented.status, 200, JSON.stringify(rented.body));
      const id = sql(`SELECT id FROM rentals WHERE order_id = '${rented.body.id}'`);
      assert.match(id, /^\d+$/);

      // The player fails to load: the store answers the missing variant with a 503 and records its failure.
      await page.goto(base + `/watch/${id}`);
      await page.getByRole('heading', { name: title, level: 1 }).waitFor();
      const failed = () => sql(`SELECT store_failed_at IS NOT NULL FROM rentals WHERE id = ${id}`) === 't';
      for (let i = 0; i < 100 && !failed(); i++) await sleep(200);
      assert.ok(failed(), 'the store recorded its failure to play the rental');
      assert.equal(await page.getByTestId('player').evaluate((v) => v.currentTime), 0, 'nothing played');
      await page.screenshot({ path: path.join(artifacts, '29-broken-media.png') });
      await page.goto(base + '/rentals');

      // The window ends: the scheduler refunds the rental in full, once, and the email says why.
      sql(`UPDATE rentals SET starts_at = now() - interval '25 hours', ends_at = now() - interval '1 hour' WHERE id = ${id}`);
      const mail = await waitForMail(email, (m) => m.subject.includes('Возврат'), 'refund email', 20000);
      assert.equal(mail.length, 1, 'one refund email');
      assert.ok(mail[0].text.includes('сбоя на нашей стороне'), mail[0].text);

      // «Мои заказы»: the refund line with that reason.
      await page.getByRole('navigation', { name: 'Основное меню' }).getByRole('link', { name: 'Мои заказы' }).click();
      await page.waitForURL(base + '/orders');
      const refund = page.getByTestId('order').filter({ hasText: title })
        .locator('[data-testid="movement"].movement-refund').filter({ hasText: 'сбоя на нашей стороне' });
      await refund.waitFor();
      assert.equal(spaces(await refund.locator('.movement-amount').innerText()), '300,00 ₽');
      await page.screenshot({ path: path.join(artifacts, '30-broken-media-refunded.png'), fullPage: true });
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

test('a customer reports a playback problem and support refunds it with one action', async () => {
  await withPage(async (page) => {
    await registerAndTopUp(page, 'problem', 1000);
    const rented = await rentFromPage(page, { id: 1, period: 12 });  // Маузер, no starts_at: «Начать сразу»
    assert.equal(rented.status, 200, JSON.stringify(rented.body));
    const orderId = rented.body.id;
    const id = sql(`SELECT id FROM rentals WHERE order_id = '${orderId}'`);
    assert.match(id, /^\d+$/);

    // The player: «Сообщить о проблеме», the customer's words, the store's thanks.
    await page.goto(base + `/watch/${id}`);
    await page.getByRole('heading', { name: 'Маузер', level: 1 }).waitFor();
    const words = `Звук отстаёт от картинки на пару секунд (${Date.now()})`;
    await page.getByTestId('report-problem').click();
    const form = page.getByRole('form', { name: 'Сообщение о проблеме' });
    await form.getByLabel('Что случилось?').fill(words);
    await form.getByRole('button', { name: 'Отправить' }).click();
    await page.getByRole('status').filter({ hasText: 'Спасибо, мы получили ваше сообщение и разберёмся. Ответ придёт на почту.' }).waitFor();
    assert.equal(await page.getByTestId('report-problem').count(), 0, 'one report is enough');
    // The report names the stream this page was watching.
    assert.match(sql(`SELECT session_id FROM playback_problems WHERE rental_id = ${id}`), /^[A-Za-z0-9_-]{22}$/);
    await page.screenshot({ path: path.join(artifacts, '31-problem-reported.png') });

    // Support, in another browser: «Покупатели» from the header, then «Проблемы с просмотром»; the report, refunded.
    const staffContext = await page.context().browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
    const staff = await staffContext.newPage();
    const staffErrors = [];
    staff.on('pageerror', (e) => staffErrors.push(e.message));
    staff.on('console', (m) => { if (m.type() === 'error') staffErrors.push(m.text()); });
    let refundable;
    try {
      await signInAs(staff, 'support@chance.local', 'support-password-2026');
      await staff.getByRole('navigation', { name: 'Основное меню' }).getByRole('link', { name: 'Покупатели' }).click();
      await staff.getByRole('navigation', { name: 'Служба поддержки' }).getByRole('link', { name: 'Проблемы с просмотром' }).click();
      await staff.waitForURL(base + '/admin/problems');
      await staff.getByRole('heading', { name: 'Проблемы с просмотром', level: 1 }).waitFor();
      const item = staff.getByTestId('problem').filter({ hasText: words });
      await item.waitFor();
      const text = spaces(await item.innerText());
      assert.ok(text.includes('Маузер') && text.includes(`заказ ${orderId}`), text);
      assert.match(text, /Просмотров: [1-9]\d* · /);
      assert.match(text, /ошибок плеера: \d+ · сбоев магазина: 0/);
      refundable = (text.match(/Можно вернуть: (\d[\d ]*,\d\d ₽)/) || [])[1];
      assert.ok(refundable, text);
      await item.getByRole('button', { name: 'Вернуть деньги' }).click();
      const question = item.getByRole('group', { name: /на баланс покупателя\?$/ });
      assert.equal(spaces(await question.locator('span').innerText()), `Вернуть ${refundable} на баланс покупателя?`);
      await staff.screenshot({ path: path.join(artifacts, '32-problem-refund.png'), fullPage: true });
      await question.getByRole('button', { name: 'Да, вернуть' }).click();
      const done = staff.getByRole('status').filter({ hasText: /Возвращено/ });
      await done.waitFor();
      assert.ok(spaces(await done.innerText()).startsWith(`Возвращено ${refundable} на баланс покупателя`), await done.innerText());
      await item.waitFor({ state: 'detached' });  // the open list asked again: the report is resolved
      assert.equal(sql(`SELECT resolution FROM playback_problems WHERE rental_id = ${id}`), 'refunded');
      await staff.screenshot({ path: path.join(artifacts, '33-problem-refunded.png'), fullPage: true });
      assert.deepEqual(staffErrors, [], 'no errors in the support browser console');
    } finally {
      await staffContext.close();
    }

    // The customer: the refund in «Мои заказы».
    await page.goto(base + '/orders');
    const refund = page.getByTestId('order').filter({ hasText: 'Маузер' })
      .locator('[data-testid="movement"].movement-refund').filter({ hasText: 'Проблема с просмотром' });
    await refund.waitFor();
    assert.equal(spaces(await refund.locator('.movement-amount').innerText()), refundable);
    await refund.getByRole('link', { name: /^Чек возврата/ }).waitFor();
  });
});

test('a live show: buy a seat and see the count drop, and a cancelled show refunds its buyers', async () => {
  await withPage(async (page, errors) => {
    // An admin, in another browser, adds a show of «Маузер» two days ahead (a whole minute) with three online seats
    // (and later a second one, a day after it, whose seat goes through the cart).
    const startsAt = new Date(Math.ceil((Date.now() + 2 * 86400000) / 60000) * 60000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const secondAt = new Date(Date.parse(startsAt) + 86400000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const adminContext = await page.context().browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
    let admin;
    let secondLive = null;  // the second show while it is on: cancelled at the end whatever happens
    try {
      admin = await adminContext.newPage();
      await signInAs(admin, 'admin@chance.local', 'admin-password-2026');
      const created = await postFromPage(admin, '/api/v1/admin/premieres/1/shows', { starts_at: startsAt, capacity: 3 });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const showId = created.body.id;
      assert.equal(created.body.capacity, 3);
      assert.equal(created.body.seats_taken, 0);

      // A customer with 2 000 ₽ on the balance: enough for two seats.
      const email = await registerAndTopUp(page, 'live-show', 2000);
      const amount = () => page.evaluate(async () => (await (await fetch('/api/v1/billing/amount/')).json()).amount);
      for (let i = 0; i < 100 && (await amount()) !== 200000; i++) await sleep(100);
      const before = await amount();
      assert.equal(before, 200000, 'the top-up is on the balance');
      const kopecks = (money) => Number(money.replace(/[^\d]/g, ''));

      // The premiere page lists the show at its time in the customer's zone, with all three seats left.
      const [shown, secondShown] = await page.evaluate((times) => times.map((t) => new Intl.DateTimeFormat('ru-RU', {
        timeZone: 'Europe/Moscow', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(t))),
      [startsAt, secondAt]);
      await page.goto(base + '/premiere/1');
      await page.getByRole('heading', { name: 'Маузер', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'Прямые трансляции' }).waitFor();
      const show = page.getByTestId('show').filter({ hasText: shown });
      const seats = show.getByTestId('seats-left');
      await seats.filter({ hasText: 'Осталось мест: 3' }).waitFor();
      assert.equal(spaces(await seats.innerText()), 'Осталось мест: 3');

      // The seat is bought for the period chosen in the panel (24 hours when offered), at its quoted price.
      const day = page.getByRole('radio', { name: /^24\s*ч/ });
      if (await day.count()) await day.check();
      const period = Number(await page.locator('input[name="period"]:checked').inputValue());
      const quote = page.getByTestId('quote');
      await quote.waitFor();
      const price = spaces((await quote.innerText()).match(/Стоимость:\s*([\d\s]+,\d\d\s*₽)/)[1]);
      await show.getByRole('button', { name: 'Купить место' }).click();
      const question = show.getByRole('group', { name: /^Купить место на показ/ });
      await question.waitFor();
      const asked = spaces(await question.locator('span').first().innerText());
      assert.ok(asked.includes(shown) && asked.includes(`за ${price}`), asked);
      await page.screenshot({ path: path.join(artifacts, '34-live-show-confirm.png'), fullPage: true });
      await question.getByRole('button', { name: 'Да, купить' }).click();

      const bought = page.getByRole('status').filter({ hasText: 'Место куплено' });
      await bought.waitFor();
      await seats.filter({ hasText: 'Осталось мест: 2' }).waitFor();
      assert.equal(await amount(), before - kopecks(price), `the seat cost ${price}`);
      await page.screenshot({ path: path.join(artifacts, '35-live-show-bought.png'), fullPage: true });

      // «Мои премьеры»: the rental starts with the show, says it is a live show, and its start cannot be moved.
      await bought.getByRole('link', { name: 'Мои премьеры' }).click();
      await page.waitForURL(base + '/rentals');
      const rental = page.getByTestId('rental').filter({ hasText: 'Маузер' }).filter({ hasText: 'Прямая трансляция' });
      await rental.waitFor();
      assert.ok(spaces(await rental.innerText()).includes(`с ${shown}`), await rental.innerText());
      const mine = (await page.evaluate(async () => (await (await fetch('/api/v1/rentals')).json()).items)).find((r) => r.show_id === showId);
      assert.ok(mine, 'the rental names the show');
      assert.equal(Date.parse(mine.starts_at), Date.parse(startsAt));
      assert.equal(mine.period, period);
      await rental.getByRole('button', { name: 'Изменить' }).click();
      const dialog = page.getByRole('alertdialog', { name: 'Изменить «Маузер»' });
      await dialog.locator('label.chip').first().waitFor();
      assert.equal(await dialog.getByLabel('Начало просмотра').count(), 0, 'no moving the start of a live show');
      await dialog.getByRole('button', { name: 'Не менять' }).click();

      // A second show, a day after the first, with two online seats: its seat waits in the cart (nothing is held) and
      // is bought through the cart and checkout, for the same period at the same price.
      const second = await postFromPage(admin, '/api/v1/admin/premieres/1/shows', { starts_at: secondAt, capacity: 2 });
      assert.equal(second.status, 201, JSON.stringify(second.body));
      const secondId = second.body.id;
      secondLive = secondId;
      assert.equal(second.body.capacity, 2);
      assert.equal(second.body.seats_taken, 0);
      await page.goto(base + '/premiere/1');
      await page.getByRole('heading', { name: 'Маузер', level: 1 }).waitFor();
      const secondShow = page.getByTestId('show').filter({ hasText: secondShown });
      const secondSeats = secondShow.getByTestId('seats-left');
      await secondSeats.filter({ hasText: 'Осталось мест: 2' }).waitFor();
      if (await day.count()) await day.check();
      assert.equal(Number(await page.locator('input[name="period"]:checked').inputValue()), period);
      await secondShow.getByRole('button', { name: 'В корзину' }).click();
      const carted = secondShow.getByRole('status').filter({ hasText: `Место на показ ${secondShown} в корзине` });
      await carted.waitFor();
      await carted.getByRole('link', { name: 'Перейти в корзину' }).click();
      await page.waitForURL(base + '/cart');
      const cartLine = page.getByTestId('cart-item').filter({ hasText: 'Маузер' });
      const cartSeats = cartLine.getByTestId('cart-seats');
      await cartSeats.filter({ hasText: 'Осталось мест: 2' }).waitFor();
      assert.equal(spaces(await cartSeats.innerText()), 'Осталось мест: 2');
      assert.ok(spaces(await cartLine.innerText()).includes(`Прямая трансляция: ${secondShown}`), await cartLine.innerText());
      assert.equal(await page.getByTestId('cart-item').count(), 1, 'the seat is the only line in the cart');
      await page.screenshot({ path: path.join(artifacts, '40-live-show-cart.png'), fullPage: true });

      // Checkout: the line is the show's seat (no start to choose), at the price of the first seat.
      await page.getByRole('button', { name: 'Оформить заказ' }).click();
      await page.waitForURL(base + '/checkout');
      await page.getByTestId('live-0').filter({ hasText: `Прямая трансляция: ${secondShown}` }).waitFor();
      assert.equal(await page.getByLabel('Начало просмотра').count(), 0, 'no start to choose for a live show');
      assert.equal(await page.getByRole('radio', { name: 'Начать сразу' }).count(), 0, 'a live show starts with the show');
      const checkoutTotal = page.getByTestId('checkout-total');
      await checkoutTotal.filter({ hasText: /\d,\d\d/ }).waitFor();
      const cartPrice = kopecks(await checkoutTotal.innerText());
      assert.equal(cartPrice, kopecks(price), `the seat in the cart costs ${price}: ${await checkoutTotal.innerText()}`);
      await page.getByRole('button', { name: 'Продолжить' }).click();
      await page.waitForURL(/\/checkout\?order=/);
      await page.getByRole('button', { name: 'Подтвердить списание' }).click();
      await page.getByText('Премьера оплачена').waitFor();
      assert.equal(await amount(), before - kopecks(price) - cartPrice, 'both seats are paid');
      const secondRental = (await page.evaluate(async () => (await (await fetch('/api/v1/rentals')).json()).items))
        .find((r) => r.show_id === secondId);
      assert.ok(secondRental, 'the rental bought through the cart names the second show');
      assert.equal(Date.parse(secondRental.starts_at), Date.parse(secondAt));
      assert.equal(secondRental.period, period);

      // The premiere page: the second show has one seat left, the first still two.
      await page.goto(base + '/premiere/1');
      await page.getByRole('heading', { name: 'Маузер', level: 1 }).waitFor();
      await secondSeats.filter({ hasText: 'Осталось мест: 1' }).waitFor();
      assert.equal(spaces(await secondSeats.innerText()), 'Осталось мест: 1');
      await seats.filter({ hasText: 'Осталось мест: 2' }).waitFor();
      await page.screenshot({ path: path.join(artifacts, '41-live-show-cart-paid.png'), fullPage: true });

      // The admin cancels the first show: its buyer (the seat bought with «Купить место») gets the money back in full,
      // and an email says so; the seat bought through the cart, at the second show, stays paid.
      const cancelled = await postFromPage(admin, `/api/v1/admin/shows/${showId}/cancel`, {});
      assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
      assert.equal(cancelled.body.refunded, 1);
      assert.ok(cancelled.body.show.cancelled_at, JSON.stringify(cancelled.body));
      for (let i = 0; i < 150 && (await amount()) !== before - cartPrice; i++) await sleep(100);
      assert.equal(await amount(), before - cartPrice, 'the balance is what it was before the first purchase, less the second seat');
      const mail = await waitForMail(email, (m) => m.subject.includes('отменён'), 'show cancelled email');
      assert.equal(mail.length, 1, 'one cancellation email');
      // A cancelled show is listed no more; the second one is.
      const listed = await page.evaluate(async () => (await (await fetch('/api/v1/premiere/1/shows')).json()).items.map((s) => s.id));
      assert.ok(!listed.includes(showId), `the cancelled show is not listed: ${listed.join(', ')}`);
      assert.ok(listed.includes(secondId), `the second show is listed: ${listed.join(', ')}`);
      assert.deepEqual(errors.filter((e) => !e.includes('401')), [], 'no errors in the browser console');

      // «Маузер» keeps no live show behind for the tests after this one: the second show is cancelled too (its one
      // buyer, the seat bought through the cart, refunded).
      const cancelledSecond = await postFromPage(admin, `/api/v1/admin/shows/${secondId}/cancel`, {});
      assert.equal(cancelledSecond.status, 200, JSON.stringify(cancelledSecond.body));
      secondLive = null;
      assert.equal(cancelledSecond.body.refunded, 1, JSON.stringify(cancelledSecond.body));
    } finally {
      if (admin && secondLive) await postFromPage(admin, `/api/v1/admin/shows/${secondLive}/cancel`, {}).catch(() => {});
      await adminContext.close();
    }
  });
});

test('admin: «Продажи» by premiere shows «Маузер» and the totals, and the CSV link asks for the same report', async () => {
  await withPage(async (page, errors) => {
    await signInAs(page, 'admin@chance.local', 'admin-password-2026');
    await page.getByRole('navigation', { name: 'Основное меню' }).getByRole('link', { name: 'Администрирование' }).click();
    await page.getByRole('navigation', { name: 'Администрирование' }).getByRole('link', { name: 'Продажи' }).click();
    await page.waitForURL(base + '/admin/reports');
    await page.getByRole('heading', { name: 'Продажи', level: 1 }).waitFor();
    // The last 30 days by day, at once; then by premiere.
    assert.equal(await page.getByLabel('Группировать').inputValue(), 'day');
    await page.getByLabel('Группировать').selectOption({ label: 'По премьерам' });
    await page.getByRole('button', { name: 'Показать' }).click();
    await page.waitForURL(/\/admin\/reports\?.*by=premiere/);
    await page.getByRole('columnheader', { name: 'Премьера' }).waitFor();
    const row = page.getByTestId('report-row').filter({ hasText: 'Маузер' });
    await row.waitFor();
    assert.ok(Number((await row.locator('td').first().innerText()).trim()) >= 1, await row.innerText());
    const totals = page.getByTestId('report-totals');
    await totals.waitFor();
    assert.match(await totals.innerText(), /^Всего/);
    await page.screenshot({ path: path.join(artifacts, '26-sales-report.png'), fullPage: true });

    const href = await page.getByRole('link', { name: 'Скачать CSV' }).getAttribute('href');
    assert.ok(href.includes('format=csv') && href.includes('by=premiere'), href);
    const csv = await page.request.get(new URL(href, base).href);
    assert.equal(csv.status(), 200, href);
    assert.match(csv.headers()['content-type'] || '', /^text\/csv/);
    assert.ok((await csv.text()).includes('Маузер'), 'the CSV has the row');
    assert.deepEqual(errors.filter((e) => !e.includes('401')), [], 'no errors in the browser console');
  });
});

// CSV as the catalog import reads it: `;`, a field with `;`, a quote or a line break quoted ("" for a quote).
const IMPORT_COLUMNS = ['slug', 'title', 'theatre', 'director', 'genre', 'age_rating', 'duration_minutes', 'description_short',
  'description_full', 'price_theatre', 'price_online', 'discount_percent', 'discount_until', 'base_period_hours', 'periods',
  'reservable_from', 'reservable_until', 'live_at', 'capacity', 'featured', 'hidden', 'cast'];
function importCsv(premieres) {
  const field = (v) => (/[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [IMPORT_COLUMNS, ...premieres.map((p) => IMPORT_COLUMNS.map((c) => p[c] ?? ''))]
    .map((row) => row.map(field).join(';') + '\r\n').join('');
}

test('admin: import a season from CSV — a bad file is reported row by row and writes nothing, then the fixed file imports and the premieres are in the storefront', async () => {
  await withPage(async (page, errors) => {
    await signInAs(page, 'admin@chance.local', 'admin-password-2026');
    await page.getByRole('navigation', { name: 'Основное меню' }).getByRole('link', { name: 'Администрирование' }).click();
    await page.getByRole('navigation', { name: 'Администрирование' }).getByRole('link', { name: 'Импорт' }).click();
    await page.waitForURL(base + '/admin/import');
    await page.getByRole('heading', { name: 'Импорт каталога', level: 1 }).waitFor();
    const fileInput = page.getByLabel('Файл CSV или JSON');
    const report = page.getByTestId('import-report');

    // The sample the page makes (UTF-8 with a BOM) passes the server's checks; a check writes nothing.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Скачать образец' }).click()]);
    const sample = fs.readFileSync(await download.path());
    assert.deepEqual([...sample.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the sample starts with a BOM');
    assert.ok(sample.toString('utf8').includes('slug;title;theatre;'), 'the sample has the header');
    await fileInput.setInputFiles({ name: download.suggestedFilename(), mimeType: 'text/csv', buffer: sample });
    await page.getByRole('button', { name: 'Проверить файл' }).click();
    await report.getByText('Строк: 2, без ошибок: 2').waitFor();

    // A season of three: the second premiere's online price is not money, the third has no title.
    const suffix = `${Date.now() % 1000000}${Math.floor(Math.random() * 90 + 10)}`;
    const at = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const premiere = (slug, title, extra = {}) => ({
      slug: `${slug}-${suffix}`, title: `${title} ${suffix}`, theatre: 'Малый театр', director: 'Алексей Бородин',
      genre: 'драма', age_rating: '12+', duration_minutes: '140', description_short: 'Островский; сезон из файла.',
      description_full: 'Спектакль из импорта: «Гроза», "Лес" и «Бесприданница».', price_theatre: '2500', price_online: '549,00',
      discount_percent: '0', base_period_hours: '24', periods: '24:1|48:1,5', reservable_from: at(Date.now() - 86400000),
      reservable_until: at(Date.now() + 60 * 86400000), featured: 'нет', hidden: 'нет', cast: 'Ирина Муравьёва: Катерина|Борис Клюев: Дикой',
      ...extra,
    });
    const season = [premiere('groza', 'Гроза'), premiere('les', 'Лес'), premiere('bespridannitsa', 'Бесприданница')];
    const titles = season.map((p) => p.title);
    const bad = importCsv([season[0], { ...season[1], price_online: 'abc' }, { ...season[2], title: '' }]);
    await fileInput.setInputFiles({ name: 'season.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByRole('button', { name: 'Проверить файл' }).click();
    await report.getByText('Строк: 3, без ошибок: 1').waitFor();
    const errorRows = async () => (await page.getByTestId('import-error').evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].slice(0, 2).map((c) => c.textContent.trim()).join(' '))));
    assert.deepEqual(await errorRows(), ['3 price_online', '4 title']);
    await page.screenshot({ path: path.join(artifacts, '27-import-report.png'), fullPage: true });

    // «Загрузить в каталог» with the same file: the same report (the import's own 422), no import, nothing written.
    const [refused] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/admin/imports' && !r.url().includes('dry_run') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Загрузить в каталог' }).click(),
    ]);
    assert.equal(refused.status(), 422);
    await report.getByText('Строк: 3, без ошибок: 1').waitFor();
    assert.deepEqual(await errorRows(), ['3 price_online', '4 title']);
    assert.equal(await page.getByRole('progressbar').count(), 0, 'no import started');
    const found = await page.evaluate(async (q) =>
      (await (await fetch('/api/v1/admin/premieres?q=' + encodeURIComponent(q))).json()).total, String(suffix));
    assert.equal(found, 0, 'no premiere of the bad file is in the catalog');

    // The fixed file: checked clean, then imported, the progress followed to the end.
    await fileInput.setInputFiles({ name: 'season.csv', mimeType: 'text/csv', buffer: Buffer.from(importCsv(season)) });
    await page.getByRole('button', { name: 'Проверить файл' }).click();
    await report.getByText('Строк: 3, без ошибок: 3').waitFor();
    await report.getByText(/Новых премьер: 3, обновятся: 0/).waitFor();
    await page.getByRole('button', { name: 'Загрузить в каталог' }).click();
    const progress = page.getByTestId('import-progress');
    await progress.getByText('Импорт завершён').waitFor({ timeout: 30000 });
    assert.match(await progress.getByTestId('import-counts').innerText(), /^Загружено 3 из 3 \(новых: 3, обновлено: 0, без изменений: 0\)$/);
    const bar = progress.getByRole('progressbar', { name: 'Ход импорта' });
    assert.equal(await bar.getAttribute('aria-valuenow'), '3');
    assert.equal(await bar.getAttribute('aria-valuemax'), '3');
    const latest = page.getByTestId('import-history-row').first();
    await latest.filter({ hasText: 'Завершён' }).waitFor();
    assert.match(await latest.innerText(), /Завершён\s+3\s+3\s+0\s+0/);
    await page.screenshot({ path: path.join(artifacts, '28-import-done.png'), fullPage: true });

    // The storefront finds an imported premiere (search follows the catalog's changes within moments).
    const card = page.getByTestId('premiere-card').filter({ hasText: titles[1] });
    for (let attempt = 1; ; attempt++) {
      await page.goto(base + '/search?q=' + encodeURIComponent(titles[1]));
      try {
        await card.waitFor({ timeout: 2000 });
        break;
      } catch (e) {
        if (attempt === 5) throw e;
      }
    }
    const text = await card.innerText();
    assert.ok(text.includes('549,00') && text.includes('Ирина Муравьёва'), text);
    assert.deepEqual(errors.filter((e) => !e.includes('422')), [], 'no errors in the browser console but the bad file’s 422');
  }, { acceptDownloads: true });
});

test('a 360 px phone: search, premiere page and checkout fit the screen and work', async () => {
  await withPage(async (page, errors) => {
    await registerAndTopUp(page, 'phone', 1000);
    await page.goto(base + '/');
    // Registered just now, the address unconfirmed: the banner under the header is on every page measured below.
    await page.getByRole('region', { name: 'Подтверждение почты' }).waitFor();
    await page.getByRole('searchbox', { name: 'Поиск' }).fill('Маузер');
    await page.getByRole('searchbox', { name: 'Поиск' }).press('Enter');
    const card = page.getByTestId('premiere-card').filter({ hasText: 'Маузер' }).first();
    await card.waitFor();
    // Against the phone's own width: a page wider than that widens a mobile browser's layout viewport
    // (innerWidth) with it, so comparing with innerWidth alone would never see it.
    const overflow = () => page.evaluate(() => Math.max(document.documentElement.scrollWidth, window.innerWidth) - window.visualViewport.width);
    assert.ok((await overflow()) <= 0, `search page scrolls sideways by ${await overflow()} px`);
    await page.screenshot({ path: path.join(artifacts, '12-phone-search.png'), fullPage: true });
    await card.click();
    await page.getByRole('heading', { name: 'Маузер', level: 1 }).waitFor();
    assert.ok((await overflow()) <= 0, `premiere page scrolls sideways by ${await overflow()} px`);
    await page.getByRole('button', { name: 'Добавить в корзину' }).click();
    await page.getByText('Премьера в корзине').waitFor();
    await page.goto(base + '/cart');
    await page.getByRole('button', { name: 'Оформить заказ' }).click();
    await page.getByTestId('checkout-total').waitFor();
    assert.ok((await overflow()) <= 0, `checkout scrolls sideways by ${await overflow()} px`);
    await page.screenshot({ path: path.join(artifacts, '13-phone-checkout.png'), fullPage: true });
    await page.getByRole('button', { name: 'Продолжить' }).click();
    await page.getByRole('button', { name: 'Подтвердить списание' }).click();
    await page.getByText('Премьера оплачена').waitFor();
    assert.deepEqual(errors.filter((e) => !e.includes('401')), []);
  }, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
});

test('keyboard only: skip link, search, a card, the premiere page and its button, with visible focus', async () => {
  await withPage(async (page) => {
    await page.goto(base + '/');
    await page.getByRole('heading', { name: 'Премьеры недели' }).waitFor();
    // Tab until `want(activeElement)` holds; returns how many presses it took.
    const tabTo = async (want, what, max = 80) => {
      for (let i = 1; i <= max; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate(want)) return i;
      }
      throw new Error(`Tab never reached ${what}`);
    };
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'К содержимому', 'the skip link comes first');
    await tabTo(() => document.activeElement?.getAttribute('role') === 'searchbox' || document.activeElement?.type === 'search', 'the search box');
    await page.keyboard.type('Маузер');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\?q=/);
    await page.getByTestId('premiere-card').first().waitFor();
    await tabTo(() => document.activeElement?.classList.contains('card-link') && document.activeElement.textContent === 'Маузер', 'the card');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement.closest('.card')).outlineStyle);
    assert.notEqual(outline, 'none', 'the focused card shows it');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Маузер', level: 1 }).waitFor();
    await tabTo(() => document.activeElement?.textContent === 'Добавить в корзину', '«Добавить в корзину»');
    const ring = await page.evaluate(() => {
      const st = getComputedStyle(document.activeElement);
      return st.outlineStyle !== 'none' || st.boxShadow !== 'none';
    });
    assert.ok(ring, 'the focused button shows it');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/login\?next=/);  // a visitor is asked to sign in, and comes back afterwards
    await page.screenshot({ path: path.join(artifacts, '14-keyboard.png') });
  });
});

test('an expired session sends the customer to sign in and back to where they were', async () => {
  await withPage(async (page) => {
    const email = await register(page, 'expired');
    await page.goto(base + '/rentals');
    await page.getByRole('heading', { name: 'Мои премьеры' }).waitFor();
    sql("UPDATE sessions SET expires_at = now() - interval '1 second'", process.env.E2E_GATEWAY_DSN);
    await page.getByTitle('Баланс').click();  // the billing page asks the API: 401
    await page.waitForURL(/\/login\?next=%2Fbilling/);
    await page.getByLabel('Электронная почта').fill(email);
    await page.getByLabel('Пароль').fill('очень-надёжный-пароль');
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(/\/billing$/);
    await page.getByRole('heading', { name: 'Баланс', level: 1 }).waitFor();
  });
});

test('a forgotten password: the emailed link sets a new one and signs out the other browser', async () => {
  await withPage(async (page, errors) => {
    const oldPassword = 'очень-надёжный-пароль';
    const newPassword = 'совсем-другой-пароль-2026';
    const email = await register(page, 'reset');
    await page.getByRole('button', { name: 'Выйти' }).click();
    await page.getByRole('link', { name: 'Войти', exact: true }).waitFor();

    // Another browser signed in as the same customer: the reset must end its session.
    const other = await page.context().browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
    const otherPage = await other.newPage();
    await otherPage.goto(base + '/login');
    await otherPage.getByLabel('Электронная почта').fill(email);
    await otherPage.getByLabel('Пароль').fill(oldPassword);
    await otherPage.getByRole('button', { name: 'Войти' }).click();
    await otherPage.waitForURL(base + '/');
    const otherSession = () => otherPage.evaluate(async () => (await (await fetch('/api/v1/session')).json()).signed_in);
    assert.equal(await otherSession(), true, 'the other browser is signed in before the reset');

    await page.goto(base + '/login');
    await page.getByRole('link', { name: 'Забыли пароль?' }).click();
    await page.waitForURL(base + '/forgot-password');
    await page.getByRole('heading', { name: 'Восстановление пароля', level: 1 }).waitFor();
    await page.getByLabel('Электронная почта').fill(email);
    await page.getByRole('button', { name: 'Отправить ссылку' }).click();
    await page.getByRole('status').filter({ hasText: 'Если адрес зарегистрирован, мы отправили на него письмо' }).waitFor();
    await page.getByRole('link', { name: 'Вернуться ко входу' }).waitFor();
    await page.screenshot({ path: path.join(artifacts, '15-forgot-password.png'), fullPage: true });

    const mail = await waitForMail(email, (m) => m.subject === 'Смена пароля в «Шанс-видео»', 'password reset email');
    assert.equal(mail.length, 1, 'exactly one reset email');
    const link = (mail[0].text.match(/\S+\/reset-password#token=\S+/) || [])[0];
    assert.ok(link && link.startsWith(`${base}/reset-password#token=`), mail[0].text);

    await page.goto(link);
    await page.getByRole('heading', { name: 'Новый пароль', level: 1 }).waitFor();
    await page.waitForFunction(() => location.hash === '');  // the token leaves the address bar and the history
    assert.equal(new URL(page.url()).pathname, '/reset-password');
    await page.getByLabel('Новый пароль (не короче 12 символов)').fill(newPassword);
    await page.getByRole('button', { name: 'Сохранить пароль' }).click();
    await page.waitForURL(base + '/rentals');
    await page.getByRole('heading', { name: 'Мои премьеры', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Выйти' }).waitFor();  // signed in
    await page.getByRole('status').filter({ hasText: 'Пароль изменён' }).waitFor();
    await page.screenshot({ path: path.join(artifacts, '16-password-changed.png'), fullPage: true });

    // The other browser's session is over: the API says so, and a customer page asks it to sign in.
    assert.equal(await otherSession(), false, 'the other browser is signed out');
    await otherPage.goto(base + '/rentals');
    await otherPage.waitForURL(/\/login\?next=%2Frentals/);
    await other.close();

    // The link works once.
    await page.goto(link);
    await page.getByLabel('Новый пароль (не короче 12 символов)').fill('ещё-один-новый-пароль');
    await page.getByRole('button', { name: 'Сохранить пароль' }).click();
    await page.getByRole('alert').filter({ hasText: 'Ссылка недействительна или устарела' }).waitFor();
    await page.getByRole('link', { name: 'Запросить новую ссылку' }).waitFor();

    // The old password no longer opens the account; the new one does.
    await page.getByRole('button', { name: 'Выйти' }).click();
    await page.getByRole('link', { name: 'Войти', exact: true }).waitFor();
    await page.goto(base + '/login');
    await page.getByLabel('Электронная почта').fill(email);
    await page.getByLabel('Пароль').fill(oldPassword);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(new URL(page.url()).pathname, '/login');
    await page.getByLabel('Пароль').fill(newPassword);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(base + '/');
    await page.getByRole('button', { name: 'Выйти' }).waitFor();
    assert.deepEqual(errors.filter((e) => !e.includes('401') && !e.includes('422')), [], 'no other errors in the browser console');
  });
});

test('account security: change the password here, the other browser is signed out, and sign out everywhere', async () => {
  await withPage(async (page, errors) => {
    const oldPassword = 'очень-надёжный-пароль';
    const newPassword = 'пароль-сменён-в-профиле-2026';
    const email = await register(page, 'security');

    // Another browser signed in as the same customer.
    const other = await page.context().browser().newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
    const otherPage = await other.newPage();
    const otherSignIn = async (password) => {
      await otherPage.goto(base + '/login');
      await otherPage.getByLabel('Электронная почта').fill(email);
      await otherPage.getByLabel('Пароль').fill(password);
      await otherPage.getByRole('button', { name: 'Войти' }).click();
      await otherPage.waitForURL(base + '/');
    };
    const signedIn = (p) => p.evaluate(async () => (await (await fetch('/api/v1/session')).json()).signed_in);
    await otherSignIn(oldPassword);
    assert.equal(await signedIn(otherPage), true, 'the other browser is signed in');

    // «Где выполнен вход» on the account page: both browsers, this one marked, the other one can be ended.
    await page.goto(base + '/account');
    await page.getByRole('heading', { name: 'Профиль', level: 1 }).waitFor();
    const list = page.getByRole('region', { name: 'Где выполнен вход' });
    const sessions = list.getByTestId('session');
    await sessions.nth(1).waitFor();
    assert.equal(await sessions.count(), 2, 'two sessions');
    assert.equal(await list.getByText('Это устройство', { exact: true }).count(), 1, '«Это устройство» once');
    const endButtons = list.getByRole('button', { name: /^Завершить сеанс: / });
    assert.equal(await endButtons.count(), 1, '«Завершить» on the other session only');
    assert.equal(await endButtons.getAttribute('aria-label'), 'Завершить сеанс: Chrome, Linux');
    for (let i = 0; i < 2; i++) {
      const text = await sessions.nth(i).innerText();
      assert.ok(/^Chrome, Linux/.test(text), text);
      assert.ok(/IP-адрес: \S+/.test(text), text);
      assert.ok(/Вход: \d\d\.\d\d\.\d{4}, \d\d:\d\d/.test(text), text);
      assert.ok(/Активность: \d\d\.\d\d\.\d{4}, \d\d:\d\d/.test(text), text);
    }
    await page.screenshot({ path: path.join(artifacts, '17-account-sessions.png'), fullPage: true });

    // A wrong current password: the error next to that field, and nothing changes.
    const current = page.getByLabel('Текущий пароль');
    await current.fill('совсем-не-тот-пароль');
    await page.getByLabel('Новый пароль (не короче 12 символов)').fill(newPassword);
    await page.getByRole('button', { name: 'Сменить пароль' }).click();
    await page.locator('#current_password-error').filter({ hasText: 'Неверный пароль' }).waitFor();
    assert.equal(await current.getAttribute('aria-describedby'), 'current_password-error');
    assert.equal(await current.getAttribute('aria-invalid'), 'true');
    assert.equal(await signedIn(otherPage), true, 'a wrong current password ends nothing');

    // The right one: changed, the fields cleared, the other browser signed out, this one still in.
    await current.fill(oldPassword);
    await page.getByRole('button', { name: 'Сменить пароль' }).click();
    await page.getByRole('status').filter({ hasText: 'Пароль изменён. На других устройствах нужно будет войти заново.' }).waitFor();
    assert.equal(await current.inputValue(), '');
    assert.equal(await current.getAttribute('aria-invalid'), null);
    assert.equal(await signedIn(otherPage), false, 'the other browser is signed out');
    assert.equal(await signedIn(page), true, 'this browser stays signed in');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="session"]').length === 1);
    assert.equal(await list.getByText('Это устройство', { exact: true }).count(), 1);
    assert.equal(await endButtons.count(), 0);
    await page.screenshot({ path: path.join(artifacts, '18-password-changed-here.png'), fullPage: true });

    // The other browser signs in with the new password; then «Выйти на всех устройствах» here ends both.
    await otherSignIn(newPassword);
    assert.equal(await signedIn(otherPage), true, 'the new password opens the account');
    await page.getByRole('button', { name: 'Выйти на всех устройствах' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Выйти на всех устройствах?' });
    await dialog.getByText('Сеансы на всех устройствах, включая это, будут завершены.').waitFor();
    assert.equal(await signedIn(otherPage), true, 'nothing ends before the customer confirms');
    await dialog.getByRole('button', { name: 'Выйти везде' }).click();
    // The sign-in page: straight from the dialog, or by way of /login?next=/account when a request of the account
    // page answered 401 (the sessions just ended) before the dialog's own answer arrived.
    await page.waitForURL((url) => url.pathname === '/login');
    await page.getByRole('heading', { name: 'Вход', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Войти', exact: true }).waitFor();  // the header forgot the customer
    assert.equal(await signedIn(page), false, 'this browser is signed out');
    assert.equal(await signedIn(otherPage), false, 'the other browser is signed out too');
    await otherPage.goto(base + '/account');
    await otherPage.waitForURL(/\/login\?next=%2Faccount/);
    await other.close();
    assert.deepEqual(errors.filter((e) => !e.includes('422')), [], 'no other errors in the browser console');
  });
});

test('email confirmation: a banner from registration until the emailed link is opened, then no banner anywhere', async () => {
  await withPage(async (page, errors) => {
    const email = await register(page, 'confirm');
    // The account works at once; under the header, on every page, the banner asks to confirm the address.
    const banner = page.getByRole('region', { name: 'Подтверждение почты' });
    await banner.waitFor();
    const bannerText = (await banner.innerText()).replace(/\s+/g, ' ');
    assert.ok(bannerText.includes(`Подтвердите адрес почты ${email}: мы отправили на него письмо со ссылкой.`), bannerText);
    await page.getByRole('navigation', { name: 'Основное меню' }).getByRole('link', { name: 'Мои премьеры' }).click();
    await page.getByRole('heading', { name: 'Мои премьеры', level: 1 }).waitFor();
    await banner.waitFor();
    await page.screenshot({ path: path.join(artifacts, '19-email-banner.png'), fullPage: true });

    // The email registration sent: the link in its text and in its HTML.
    const isConfirmation = (m) => m.subject === 'Подтвердите адрес почты';
    const linkIn = (m) => (m.text.match(/\S+\/verify-email#token=[\w-]+/) || [])[0];
    const mail = await waitForMail(email, isConfirmation, 'confirmation email');
    assert.equal(mail.length, 1, 'one confirmation email at registration');
    const first = linkIn(mail[0]);
    assert.ok(first && first.startsWith(`${base}/verify-email#token=`), mail[0].text);
    assert.ok(mail[0].html.includes(`href="${first}"`), mail[0].html);

    // «Отправить письмо ещё раз»: the store's answer in the banner's live region, and a second email with a new link.
    await banner.getByRole('button', { name: 'Отправить письмо ещё раз' }).click();
    const answer = banner.getByRole('status');
    await answer.filter({ hasText: /\S/ }).waitFor();
    assert.ok(!(await answer.getAttribute('class')).includes('resend-problem'), await answer.innerText());
    const links = () => mailsTo(email).map(decodeMail).filter(isConfirmation).map(linkIn);
    for (let i = 0; i < 150 && links().length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(links().length, 2, 'a second confirmation email');
    const link = links().find((l) => l !== first);
    assert.ok(link && link.startsWith(`${base}/verify-email#token=`), links().join(' '));

    // The newest link: the token leaves the address bar and the history, the address is confirmed, the banner goes.
    await page.goto(link);
    await page.getByRole('heading', { name: 'Подтверждение почты', level: 1 }).waitFor();
    await page.waitForFunction(() => location.hash === '');
    assert.equal(new URL(page.url()).pathname, '/verify-email');
    await page.getByRole('status').filter({ hasText: 'Адрес почты подтверждён' }).waitFor();
    assert.equal(await banner.count(), 0, 'no banner once the address is confirmed');
    await page.screenshot({ path: path.join(artifacts, '20-email-confirmed.png'), fullPage: true });

    // Without a reload (the page refreshed the session): the profile says it is confirmed, and no banner there.
    await page.getByRole('link', { name: 'Перейти в профиль' }).click();
    await page.waitForURL(base + '/account');
    const section = page.getByRole('region', { name: 'Адрес почты', exact: true });
    await section.waitFor();
    const sectionText = (await section.innerText()).replace(/\s+/g, ' ');
    assert.ok(sectionText.includes(`Текущий адрес: ${email}, подтверждён`), sectionText);
    assert.equal(await banner.count(), 0, 'no banner on the account page');
    await page.goto(base + '/rentals');
    await page.getByRole('heading', { name: 'Мои премьеры', level: 1 }).waitFor();
    assert.equal(await banner.count(), 0, 'no banner after a reload either');

    // The link works once: opened again, the page says so and offers no new email (the address is confirmed).
    await page.goto(link);
    await page.getByRole('alert').filter({ hasText: /\S/ }).waitFor();
    await page.getByText(`Адрес ${email} уже подтверждён`).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Отправить письмо ещё раз' }).count(), 0);
    assert.equal(await page.getByRole('status').filter({ hasText: 'Адрес почты подтверждён' }).count(), 0);
    assert.deepEqual(errors.filter((e) => !e.includes('401') && !e.includes('422')), [], 'no other errors in the browser console');
  });
});

test('download the data and delete the account', async () => {
  await withPage(async (page, errors) => {
    const password = 'очень-надёжный-пароль';
    // The policy is open to visitors, from the footer of every page.
    await page.goto(base + '/');
    await page.getByRole('contentinfo').getByRole('link', { name: 'Политика обработки персональных данных' }).click();
    await page.waitForURL(base + '/privacy');
    await page.getByRole('heading', { name: 'Политика обработки персональных данных', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Ваши права', level: 2 }).waitFor();

    // The registration form refuses to go on without the consent, then a customer with money on the balance.
    await page.goto(base + '/register');
    await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
    await page.locator('#consent-error').filter({ hasText: 'дайте согласие на обработку персональных данных' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/register');
    const email = await register(page, 'forget-me');
    await topUpWithCard(page, 500);
    await page.waitForURL(/\/billing\?payment=/);
    await page.getByText('Баланс пополнен на 500,00').waitFor();
    await waitForMail(email, (m) => m.subject === 'Подтвердите адрес почты', 'confirmation email');

    // «Мои данные» in the profile: the file is everything the store holds, this customer's address in it.
    await page.goto(base + '/account');
    await page.getByRole('heading', { name: 'Профиль', level: 1 }).waitFor();
    const section = page.getByRole('region', { name: 'Мои данные' });
    await section.waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      section.getByRole('link', { name: 'Скачать мои данные' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^chance-video-data-\d{4}-\d\d-\d\d\.json$/);
    const data = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
    assert.equal(data.account.email, email);
    assert.equal(data.account.name, 'Зритель');
    assert.ok(data.account.consented_at, 'the consent given at registration is recorded');
    assert.ok(data.sessions.length >= 1, 'this session is in the file');
    assert.ok(data.billing.payments.length >= 1, 'the top-up is in the file');
    assert.ok(JSON.stringify(data.notifications).includes('Подтвердите адрес почты'), 'the confirmation email is in the file');
    assert.equal(new URL(page.url()).pathname, '/account', 'the download leaves the page where it was');

    // «Удалить аккаунт»: what happens, the balance that is not paid back, then the password and the tick.
    await section.getByRole('button', { name: 'Удалить аккаунт', exact: true }).click();
    const form = section.getByRole('form', { name: 'Удаление аккаунта' });
    await form.waitFor();
    await form.getByTestId('delete-balance').filter({ hasText: /На балансе остаётся 500,00\s₽/ }).waitFor();
    await form.getByText('Аренды, которые ещё не закончились, прекратятся без возврата денег.').waitFor();
    const forever = form.getByRole('button', { name: 'Удалить аккаунт навсегда' });
    await form.getByLabel('Пароль', { exact: true }).fill(password);
    assert.ok(await forever.isDisabled(), 'disabled until the customer confirms');
    await form.getByLabel('Я понимаю, что удаление нельзя отменить').check();
    assert.ok(await forever.isEnabled(), 'enabled once confirmed');
    await page.screenshot({ path: path.join(artifacts, '21-delete-account.png'), fullPage: true });
    await forever.click();

    await page.waitForURL(base + '/account-deleted');
    await page.getByRole('heading', { name: 'Аккаунт удалён', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Войти', exact: true }).waitFor();  // the header forgot the customer
    assert.equal(await page.evaluate(async () => (await (await fetch('/api/v1/session')).json()).signed_in), false);
    await page.screenshot({ path: path.join(artifacts, '22-account-deleted.png'), fullPage: true });

    // The same address and password open nothing any more.
    await page.goto(base + '/login');
    await page.getByLabel('Электронная почта').fill(email);
    await page.getByLabel('Пароль').fill(password);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('alert').filter({ hasText: 'Неверная почта или пароль' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.deepEqual(errors.filter((e) => !e.includes('401')), [], 'no other errors in the browser console');
  }, { acceptDownloads: true });
});

// `method` with `body` (null: none) as JSON to `url` from inside the page (its session, its CSRF token, any extra
// headers); returns {status, body}.
function callFromPage(page, method, url, body = null, headers = {}) {
  return page.evaluate(async ([m, u, b, h]) => {
    const me = await (await fetch('/api/v1/me')).json();
    const r = await fetch(u, { method: m, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token, ...h },
      body: b === null ? undefined : JSON.stringify(b) });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  }, [method, url, body, headers]);
}

test('a theatre voucher: the customer sees its code, theatre staff redeem it once', async () => {
  await withPage(async (page, errors) => {
    const browser = page.context().browser();
    const newContext = () => browser.newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
    const password = 'очень-надёжный-пароль';  // register()'s
    const adminContext = await newContext();
    const contexts = [adminContext];
    let admin;
    let liveShow = null;  // the show the box office adds at the end, until it cancels it
    try {
      // An admin sets «Маузер»'s voucher terms (admins may for any premiere): valid 60 days ahead, a whole minute.
      admin = await adminContext.newPage();
      await signInAs(admin, 'admin@chance.local', 'admin-password-2026');
      const validUntil = new Date(Math.ceil((Date.now() + 60 * 86400000) / 60000) * 60000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const terms = await callFromPage(admin, 'PUT', '/api/v1/theatre/premieres/1/voucher', { valid_until: validUntil });
      assert.equal(terms.status, 200, JSON.stringify(terms.body));
      assert.equal(terms.body.premiere_id, 1);
      assert.equal(Date.parse(terms.body.valid_until), Date.parse(validUntil));

      // A new account becomes the box office of «Театр на Таганке» («Маузер»'s theatre): the admin finds it by address,
      // gives it the role theatre_staff (which ends its sessions) and assigns the theatre.
      const signUpContext = await newContext();
      contexts.push(signUpContext);
      const staffEmail = await register(await signUpContext.newPage(), 'theatre-staff');
      await signUpContext.close();
      const found = await admin.evaluate(async (e) => {
        const r = await fetch('/api/v1/admin/customers?email=' + encodeURIComponent(e));
        return { status: r.status, body: await r.json() };
      }, staffEmail);
      assert.equal(found.status, 200, JSON.stringify(found.body));
      assert.equal(found.body.account.email, staffEmail);
      const staffId = found.body.account.id;
      const role = await callFromPage(admin, 'PATCH', `/api/v1/admin/users/${encodeURIComponent(staffId)}/role`, { role: 'theatre_staff' });
      assert.equal(role.status, 200, JSON.stringify(role.body));
      const assigned = await callFromPage(admin, 'PUT', `/api/v1/admin/theatre-staff/${encodeURIComponent(staffId)}`, { theatre: 'Театр на Таганке' });
      assert.equal(assigned.status, 200, JSON.stringify(assigned.body));
      assert.equal(assigned.body.user_id, staffId, JSON.stringify(assigned.body));
      assert.equal(assigned.body.theatre, 'Театр на Таганке', JSON.stringify(assigned.body));

      // A customer rents «Маузер»: the paid rental carries a voucher worth what it cost, valid until the theatre's date.
      const email = await registerAndTopUp(page, 'voucher', 1000);
      const balance = () => page.evaluate(async () => (await (await fetch('/api/v1/billing/amount/')).json()).amount);
      for (let i = 0; i < 100 && (await balance()) !== 100000; i++) await sleep(100);
      const rented = await rentFromPage(page, { id: 1, period: 12 });  // no starts_at: «Начать сразу»
      assert.equal(rented.status, 200, JSON.stringify(rented.body));
      const orderId = rented.body.id;
      const mine = () => page.evaluate(async (id) =>
        (await (await fetch('/api/v1/rentals')).json()).items.find((r) => r.order_id === id), orderId);
      let rental = await mine();
      for (let i = 0; i < 50 && !rental?.voucher; i++) {
        await sleep(100);
        rental = await mine();
      }
      assert.ok(rental?.voucher, `the rental carries a voucher: ${JSON.stringify(rental)}`);
      assert.match(rental.voucher.code, /^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
      assert.equal(rental.voucher.amount, rental.amount, 'the voucher is worth what the rental cost');
      assert.equal(rental.voucher.status, 'active');
      assert.equal(rental.voucher.redeemed_at, null);
      assert.equal(Date.parse(rental.voucher.valid_until), Date.parse(validUntil));

      // «Мои премьеры»: the code, its amount and date, and where to use it.
      const kopecks = (money) => Number(money.replace(/[^\d]/g, ''));
      await page.goto(base + '/rentals');
      const voucher = page.getByTestId('rental').filter({ hasText: 'Маузер' }).getByTestId('voucher');
      await voucher.waitFor();
      const code = (await voucher.getByTestId('voucher-code').innerText()).trim();
      assert.equal(code, rental.voucher.code);
      const shown = spaces(await voucher.innerText());
      assert.ok(shown.includes(`Ваучер в театр: ${code}`), shown);
      const nominal = (shown.match(/Номинал: ([\d\s]+,\d\d ₽) · действует до (\d\d\.\d\d\.\d{4}, \d\d:\d\d)/) || []);
      assert.equal(kopecks(nominal[1] || ''), rental.amount, shown);
      assert.equal(nominal[2], moscow(validUntil).replace(' ', ', '), shown);
      assert.ok(shown.includes('Можно использовать в кассе театра'), shown);
      await page.screenshot({ path: path.join(artifacts, '36-voucher.png'), fullPage: true });

      // The theatre's staff member, in another browser, signs in again (the new role ended the old session) and opens
      // «Касса театра» from the header.
      const staffContext = await newContext();
      contexts.push(staffContext);
      const staff = await staffContext.newPage();
      const staffErrors = [];
      staff.on('pageerror', (e) => staffErrors.push(e.message));
      staff.on('console', (m) => { if (m.type() === 'error') staffErrors.push(m.text()); });
      await signInAs(staff, staffEmail, password);
      await staff.getByRole('navigation', { name: 'Основное меню' }).getByRole('link', { name: 'Касса театра' }).click();
      await staff.waitForURL(base + '/theatre');
      await staff.getByRole('heading', { name: 'Касса театра', level: 1 }).waitFor();
      await staff.getByTestId('theatre').filter({ hasText: 'Театр на Таганке' }).waitFor();
      assert.equal(await staff.getByRole('link', { name: 'Покупатели' }).count(), 0, 'theatre staff are not the store’s staff');

      // «Проверить»: the premiere, the theatre, the amount the rental cost; «Погасить» → «Ваучер погашен».
      const checkForm = staff.getByRole('form', { name: 'Проверка ваучера' });
      await checkForm.getByLabel('Код ваучера').fill(code);
      await checkForm.getByRole('button', { name: 'Проверить' }).click();
      const result = staff.getByTestId('voucher-check');
      await result.waitFor();
      const checked = spaces(await result.innerText());
      assert.ok(checked.includes('Маузер') && checked.includes('Театр на Таганке'), checked);
      assert.equal(kopecks(await result.getByTestId('voucher-amount').innerText()), rental.amount, checked);
      assert.equal(await result.getByTestId('voucher-check-status').innerText(), 'Действует: можно погасить');
      await staff.screenshot({ path: path.join(artifacts, '37-voucher-check.png'), fullPage: true });
      await result.getByRole('button', { name: 'Погасить' }).click();
      await result.getByRole('status').filter({ hasText: 'Ваучер погашен' }).waitFor();
      await result.getByTestId('voucher-check-status').filter({ hasText: /^Использован \d\d\.\d\d\.\d{4}, \d\d:\d\d$/ }).waitFor();
      assert.equal(await result.getByRole('button', { name: 'Погасить' }).count(), 0);
      await staff.screenshot({ path: path.join(artifacts, '38-voucher-redeemed.png'), fullPage: true });

      // «Проверить» again: the store says it is used; redeeming it again (a new attempt) is refused.
      const [again] = await Promise.all([
        staff.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/vouchers/${code}` && r.request().method() === 'GET'),
        checkForm.getByRole('button', { name: 'Проверить' }).click(),
      ]);
      assert.equal(again.status(), 200);
      assert.equal((await again.json()).status, 'redeemed');
      await result.getByTestId('voucher-check-status').filter({ hasText: /^Использован / }).waitFor();
      assert.equal(await result.getByRole('button', { name: 'Погасить' }).count(), 0);
      const twice = await staff.evaluate(() => crypto.randomUUID()).then((key) =>
        callFromPage(staff, 'POST', `/api/v1/vouchers/${code}/redeem`, {}, { 'Idempotency-Key': key }));
      assert.equal(twice.status, 409, JSON.stringify(twice.body));
      assert.ok(String(twice.body.type).endsWith('voucher-redeemed'), JSON.stringify(twice.body));
      assert.equal(sql(`SELECT count(*) FROM vouchers WHERE code = '${code.replace(/-/g, '')}' AND redeemed_at IS NOT NULL`), '1');
      assert.deepEqual(staffErrors.filter((e) => !e.includes('409')), [], 'no other errors in the theatre staff browser console');

      // The customer's «Мои премьеры»: used.
      await page.goto(base + '/rentals');
      const status = page.getByTestId('rental').filter({ hasText: 'Маузер' }).getByTestId('voucher-status');
      await status.filter({ hasText: /^Использован \d\d\.\d\d\.\d{4}, \d\d:\d\d$/ }).waitFor();
      await page.screenshot({ path: path.join(artifacts, '39-voucher-used.png'), fullPage: true });

      // The box office manages its premieres' live shows: «Показы» under «Маузер» (not «Маузер. Живой показ…», the
      // theatre's other premiere), a show 3 days and 5 hours ahead (a whole minute) with five online seats, typed as
      // wall-clock time in the staff member's zone (Moscow, the default).
      const showAt = new Date(Math.ceil((Date.now() + 3 * 86400000 + 5 * 3600000) / 60000) * 60000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const showInput = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Moscow', year: 'numeric', month: '2-digit', day: '2-digit',
        hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(showAt)).replace(' ', 'T');
      // The time as the page writes it (the browser's own Intl, the staff member's zone).
      const showTime = await staff.evaluate((t) => new Intl.DateTimeFormat('ru-RU', { timeZone: 'Europe/Moscow', day: '2-digit',
        month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(t)), showAt);
      const mauser = staff.getByTestId('theatre-premiere')
        .filter({ has: staff.getByRole('heading', { name: 'Маузер', exact: true, level: 3 }) });
      const showsToggle = mauser.getByRole('button', { name: 'Показы', exact: true });
      await showsToggle.click();
      const shows = mauser.getByRole('region', { name: 'Показы', exact: true });
      await shows.waitFor();
      const addShow = shows.getByRole('form', { name: 'Новый показ' });
      await addShow.getByLabel('Начало показа').fill(showInput);
      await addShow.getByLabel('Мест онлайн').fill('5');
      const [added] = await Promise.all([
        staff.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/theatre/premieres/1/shows' && r.request().method() === 'POST'),
        addShow.getByRole('button', { name: 'Добавить показ' }).click(),
      ]);
      assert.equal(added.status(), 201, await added.text());
      const created = await added.json();
      liveShow = created.id;
      assert.equal(created.premiere_id, 1, JSON.stringify(created));
      assert.equal(Date.parse(created.starts_at), Date.parse(showAt), JSON.stringify(created));
      assert.equal(created.capacity, 5, JSON.stringify(created));
      await shows.getByRole('status').filter({ hasText: `Показ добавлен: ${showTime}, мест: 5.` }).waitFor();
      const liveRow = shows.getByTestId('admin-show').filter({ hasText: showTime });
      await liveRow.filter({ hasText: 'Занято мест: 0 из 5' }).waitFor();
      assert.ok(spaces(await liveRow.innerText()).includes('В продаже'), await liveRow.innerText());
      await staff.screenshot({ path: path.join(artifacts, '50-theatre-show-added.png'), fullPage: true });

      // The customer buys a seat at it (12 hours, the period of the first rental: what is left of the top-up pays it
      // with or without the seed's discount), paid from the balance.
      const beforeSeat = await balance();
      const seat = await rentFromPage(page, { id: 1, period: 12, show_id: liveShow });
      assert.equal(seat.status, 200, JSON.stringify(seat.body));
      assert.equal(seat.body.status, 'paid', JSON.stringify(seat.body));
      assert.ok(seat.body.total > 0, JSON.stringify(seat.body));
      for (let i = 0; i < 100 && (await balance()) !== beforeSeat - seat.body.total; i++) await sleep(100);
      assert.equal(await balance(), beforeSeat - seat.body.total, 'the seat is paid from the balance');

      // The box office asks for the shows again (closes and opens «Показы»): one seat of five taken.
      await showsToggle.click();
      await shows.waitFor({ state: 'detached' });
      await showsToggle.click();
      await liveRow.filter({ hasText: 'Занято мест: 1 из 5' }).waitFor();

      // «Отменить показ» asks first, saying the buyers get their money back; confirmed, the show is cancelled and the
      // page says one buyer was refunded.
      await liveRow.getByRole('button', { name: 'Отменить показ', exact: true }).click();
      const cancelQuestion = liveRow.getByRole('group', { name: 'Отменить показ? Все купившие места получат деньги обратно и письмо.' });
      await cancelQuestion.waitFor();
      await staff.screenshot({ path: path.join(artifacts, '51-theatre-show-cancel.png'), fullPage: true });
      const [cancelled] = await Promise.all([
        staff.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/theatre/shows/${liveShow}/cancel` && r.request().method() === 'POST'),
        cancelQuestion.getByRole('button', { name: 'Да, отменить показ', exact: true }).click(),
      ]);
      assert.equal(cancelled.status(), 200, await cancelled.text());
      liveShow = null;  // nothing left for the cleanup
      const cancellation = await cancelled.json();
      assert.equal(cancellation.refunded, 1, JSON.stringify(cancellation));
      assert.ok(cancellation.show.cancelled_at, JSON.stringify(cancellation));
      await shows.getByRole('status').filter({ hasText: `Отменено, деньги вернулись 1 покупателю (показ ${showTime}).` }).waitFor();
      await liveRow.filter({ hasText: /Отменён \d\d\.\d\d\.\d{4}, \d\d:\d\d/ }).waitFor();
      assert.equal(await liveRow.getByRole('button', { name: 'Отменить показ', exact: true }).count(), 0);
      await staff.screenshot({ path: path.join(artifacts, '52-theatre-show-cancelled.png'), fullPage: true });
      assert.deepEqual(staffErrors.filter((e) => !e.includes('409')), [], 'no other errors in the theatre staff browser console');

      // The customer has the seat's money back, and an email says the show is cancelled.
      for (let i = 0; i < 150 && (await balance()) !== beforeSeat; i++) await sleep(100);
      assert.equal(await balance(), beforeSeat, 'the balance is what it was before the seat');
      const showMail = await waitForMail(email, (m) => m.subject.startsWith('Показ «Маузер»') && m.subject.includes('отменён'), 'show cancelled email');
      assert.equal(showMail.length, 1, 'one cancellation email');
      assert.deepEqual(errors.filter((e) => !e.includes('401')), [], 'no errors in the customer browser console');
    } finally {
      // A show the box office added and did not get to cancel (the test failed in between): cancelled by the admin,
      // so «Маузер» has no live show left behind.
      if (admin && liveShow) await callFromPage(admin, 'POST', `/api/v1/admin/shows/${liveShow}/cancel`, {}).catch(() => {});
      // «Маузер» gives no vouchers again: the tests after this one rent it as before.
      if (admin) await callFromPage(admin, 'DELETE', '/api/v1/theatre/premieres/1/voucher').catch(() => {});
      for (const c of contexts) await c.close().catch(() => {});
    }
  });
});

let passed = 0;
let failed = 0;
const only = process.env.E2E_ONLY;  // a part of the names of the tests to run (while working on them)
for (const t of tests) {
  if (only && !t.name.includes(only)) continue;
  const start = Date.now();
  try {
    await t.fn();
    passed++;
    console.log(`ok   ${t.name} (${Date.now() - start} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${t.name}\n     ${e.stack || e}`);
  }
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
