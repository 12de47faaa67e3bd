import { existsSync } from 'node:fs';
import { SupportClient } from '@agentops/client';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type TestPlatform } from './platform.ts';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it), driven by playwright-core. */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

let platform: TestPlatform;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  platform = await startPlatform();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

describe('the support console at /support', () => {
  it('is served with a strict Content-Security-Policy and no inline script', async () => {
    const response = await fetch(`${platform.apiUrl}/support`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).toContain("frame-ancestors 'none'");
    const html = await response.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect((await fetch(`${platform.apiUrl}/support/console.js`)).headers.get('content-type')).toMatch(
      /javascript/,
    );
  });

  it('signs in with a support key, claims an escalation and replies; the user sees the reply', async () => {
    // A customer asks for a person; a message with markup checks that the page shows text, not HTML.
    const session = await platform.client.createSession({ userId: 'console-user' });
    const { body: turn } = await platform.client.postTurn(session.sessionId, 'I need to talk to a human', {
      wait: 20,
    });
    expect(turn.status).toBe('escalated');
    const escalationId = turn.escalationId as string;
    await new SupportClient(platform.clientOf('support')).waitForEscalation(escalationId);
    await platform.client.postTurn(session.sessionId, '<img src=x onerror="window.pwned=1"> hello?', {
      wait: 20,
    });

    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      // The refused sign-in below is a 403 the browser reports; anything else (a CSP violation,
      // a script error) is a problem.
      if (message.type() === 'error' && !/status of 403/.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    try {
      await page.goto(`${platform.apiUrl}/support`);

      // A client key is refused with a readable reason.
      await page.fill('#api-key', platform.keys.client?.key ?? '');
      await page.fill('#agent-name', 'Anna');
      await page.click('#sign-in-form button[type=submit]');
      await expect.poll(() => page.textContent('#sign-in-error')).toMatch(/support or ops role/);

      await page.fill('#api-key', platform.keys.support?.key ?? '');
      await page.fill('#agent-name', 'Anna');
      await page.click('#sign-in-form button[type=submit]');
      const row = page.locator(`#waiting tr[data-escalation-id="${escalationId}"]`);
      await row.waitFor();
      expect(await row.textContent()).toContain('user_request');
      expect(await row.textContent()).toMatch(/\$\d+\.\d{4}/);
      expect(await page.evaluate(() => sessionStorage.getItem('agentops.support.key'))).toBe(
        platform.keys.support?.key,
      );

      await row.locator('button').click();
      await page.locator('#conversation li.user', { hasText: 'I need to talk to a human' }).waitFor();
      await page.locator('#conversation li.user', { hasText: '<img src=x' }).waitFor();
      expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();

      await page.click('#claim');
      await page.locator('#detail-status', { hasText: 'You hold this escalation' }).waitFor();
      await page.locator(`#mine tr[data-escalation-id="${escalationId}"]`).waitFor();

      await page.fill('#reply-text', 'Hello, this is Anna. I am looking at your order now.');
      await page.click('#reply-form button[type=submit]');
      await page.locator('#conversation li.agent', { hasText: 'this is Anna' }).waitFor();

      const view = await platform.client.getSession(session.sessionId);
      expect(view.messages.at(-1)).toMatchObject({
        role: 'agent',
        content: 'Hello, this is Anna. I am looking at your order now.',
      });

      await page.click('#resolve-form button[data-action="return_to_bot"]');
      await page.locator('#detail-status', { hasText: 'Resolved (return_to_bot) by Anna' }).waitFor();
      expect((await platform.client.getSession(session.sessionId)).status).toBe('active');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
