import { requireBinary } from '@gamebuddies/test-services';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Gateway } from '../src/gateway';
import { startGateway } from './start-gateway';

/**
 * The play page in a real headless Chromium (Debian's, driven by playwright-core; nothing is downloaded):
 * two people create and join a room and play a quiz round.
 */
describe('the play page in Chromium', () => {
  let gateway: Gateway;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    ({ gateway, url } = await startGateway());
    // playwright-core gives every launch a fresh temporary profile of its own.
    browser = await chromium.launch({
      executablePath: requireBinary('chromium'),
      headless: true,
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.shutdown(1000);
  });

  async function openPlayer(name: string): Promise<Page> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await page.locator('#connection', { hasText: 'online' }).waitFor();
    await page.fill('#name', name);
    return page;
  }

  it('lets two players create and join a room and play a round of School Quiz', async () => {
    const ann = await openPlayer('Ann');
    await ann.click('#create');
    await ann.waitForFunction(() => (document.querySelector('#room-code')?.textContent ?? '').trim().length > 0, undefined, { timeout: 10_000 });
    const code = (await ann.locator('#room-code').textContent())?.trim() ?? '';
    expect(code).toMatch(/^[A-Z0-9]{6}$/);

    const bob = await openPlayer('Bob');
    await bob.fill('#code', code.toLowerCase());
    await bob.click('#join');
    await bob.locator('#room-code', { hasText: code }).waitFor();
    await ann.locator('#members li', { hasText: 'Bob' }).waitFor();
    await expect(bob.locator('#start').isVisible()).resolves.toBe(false);

    await ann.click('#start');
    for (const page of [ann, bob]) await page.locator('#choices button').first().waitFor();
    const prompt = await ann.locator('#prompt').textContent();
    expect(await bob.locator('#prompt').textContent()).toBe(prompt);

    await ann.locator('#choices button').nth(0).click();
    await bob.locator('#choices button').nth(1).click();
    for (const page of [ann, bob]) {
      await page.locator('#feedback', { hasText: 'The answer:' }).waitFor();
      await page.locator('#choices button.right').waitFor();
      await page.locator('#scoreboard li', { hasText: 'Ann' }).waitFor();
    }
    await ann.locator('#next').waitFor();
    await ann.click('#next');
    await ann.locator('#round', { hasText: 'Question 2' }).waitFor();
    await bob.locator('#round', { hasText: 'Question 2' }).waitFor();
  }, 60_000);
});
