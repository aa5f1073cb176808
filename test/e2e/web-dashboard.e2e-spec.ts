import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { ulid } from 'ulid';
import { buildWebServer } from '../../apps/web/src/server.js';
import { startApi, startWorker } from '../support/platform.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';
import { buildDashboard } from '../support/web-build.js';

// Debian's chromium (.ci/run installs it). Without it the browser tests are skipped, loudly, on a developer's
// machine; in CI (CI=true) they fail instead, so a green CI always means the dashboard ran in a browser.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const inCi = process.env.CI === 'true';
if (!haveChromium) {
  console.warn(
    `${CHROMIUM} not found: the dashboard's browser tests are ${inCi ? 'failing' : 'skipped'} (apt-get install chromium)`,
  );
}
const SCREENSHOTS = fileURLToPath(new URL('../../reports/screenshots/', import.meta.url));
/** GET /v1/jobs (the listing, any page): what the dashboard polls when the events stream is down. */
const isListing = (url: string): boolean => /\/v1\/jobs(\?|$)/.test(new URL(url).pathname + new URL(url).search);

(haveChromium || inCi ? describe : describe.skip)('the web dashboard in a browser', () => {
  let stack: TestStack;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;
  let web: FastifyInstance;
  let webUrl: string;
  let staticDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  // a test renders real (stub) jobs of several seconds each, with a cold start
  jest.setTimeout(90_000);

  beforeAll(async () => {
    if (!haveChromium) {
      throw new Error(`CI runs the dashboard's browser tests: ${CHROMIUM} is missing (apt-get install chromium)`);
    }
    // Timings a person can watch: the endpoint starts at zero instances (a 3 s cold start), one instance renders
    // one job at a time (so a second job waits in the queue), and a 30-step 1024² render takes about 5 s with its
    // steps reported every 250 ms. The api reads the events and instance counts often, so the page follows closely.
    stack = await startTestStack({
      STUB_BASE_INFERENCE_MS: '300',
      STUB_MS_PER_STEP_MEGAPIXEL: '150',
      STUB_COLD_START_MS: '3000',
      STUB_MIN_INSTANCES: '0',
      STUB_MAX_INSTANCES: '1',
      STUB_INSTANCE_CONCURRENCY: '1',
      STUB_PROGRESS_INTERVAL_MS: '250',
      LIMITS_USER_MONTHLY_BUDGET_USD: '5',
    });
    const apiOverrides = { EVENTS_POLL_MS: '200', PROGRESS_CACHE_MS: '200' };
    [api, worker, staticDir] = await Promise.all([
      startApi(stack.env, apiOverrides),
      startWorker(stack.env),
      buildDashboard(),
    ]);
    await api.listen(0, '127.0.0.1');
    const apiUrl = `http://127.0.0.1:${(api.getHttpServer().address() as AddressInfo).port}`;
    web = await buildWebServer({ apiUrl, staticDir, devIdpUrl: stack.env.AUTH_ISSUER! });
    await web.listen({ host: '127.0.0.1', port: 0 });
    webUrl = `http://127.0.0.1:${(web.server.address() as AddressInfo).port}`;
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    // Connections the web server's proxy left at the api (seen after the sign-out/sign-in of the expired-session
    // test) would hold api.close() for Fastify's keepAliveTimeout (72 s): nobody is on their other end any more.
    (api?.getHttpServer() as Server | undefined)?.closeAllConnections();
    await api?.close();
    await worker?.close();
    await stack?.stop();
    if (staticDir) {
      await rm(staticDir, { recursive: true, force: true });
    }
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
  });

  afterEach(async () => {
    await context?.close();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  /** Signs in on `tab` (the test's page unless another is given: each tab keeps its own session). */
  async function signIn(username: string, { admin = false, tab = page } = {}): Promise<void> {
    await tab.goto(webUrl);
    await tab.getByLabel('User name').fill(username);
    if (admin) {
      await tab.getByLabel('Administrator').check();
    }
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await tab.getByRole('heading', { name: 'New image' }).waitFor();
  }

  /** Fills the form (model, steps or quality, images) and submits it; resolves with the new job's row. */
  async function submit(
    prompt: string,
    { model, steps, numImages }: { model?: string; steps?: number; numImages?: number } = {},
  ) {
    await page.getByLabel('Prompt', { exact: true }).fill(prompt);
    if (model) {
      await page.getByLabel('Model').selectOption(model);
    }
    if (steps) {
      await page.getByLabel('Detail by').selectOption('steps');
      await page.getByLabel('Steps', { exact: true }).fill(String(steps));
    }
    if (numImages) {
      await page.getByLabel('Images', { exact: true }).selectOption(String(numImages));
    }
    await page.getByRole('button', { name: 'Generate' }).click();
    const row = page.locator('.job-row', { hasText: prompt });
    await row.waitFor();
    return row;
  }

  const loaded = (selector: string) =>
    page.waitForFunction(
      `(() => { const img = document.querySelector(${JSON.stringify(selector)}); return img !== null && img.complete && img.naturalWidth > 0; })()`,
    );

  it('signs in, submits, watches the cold start and the steps live, opens the detail, the gallery and the usage', async () => {
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') {
        consoleErrors.push(message.text());
      }
    });
    await page.goto(webUrl);
    await page.getByRole('heading', { name: 'imggen' }).waitFor();
    await shot('01-sign-in');
    await signIn(`web-alice-${ulid()}`);
    await page.getByText('No jobs yet.', { exact: false }).waitFor();
    // the user's events stream is open at once, not at its first heartbeat (15 s) on a user with no jobs
    await page.locator('[data-live="live"]').waitFor({ timeout: 5_000 });

    await page.getByLabel('Prompt', { exact: true }).fill('a lighthouse on a cliff at dawn');
    await page.getByLabel('Model').selectOption('imggen-sdxl');
    await page.getByTestId('estimate').waitFor();
    expect(await page.getByTestId('estimate').textContent()).toMatch(/About \$\d+\.\d{4} .* ready in/);
    await shot('02-new-image-with-estimate');

    const listings: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'GET' && isListing(request.url())) {
        listings.push(request.url());
      }
    });
    await page.getByLabel('Prompt', { exact: true }).press('Control+Enter');
    const row = page.locator('.job-row').first();
    await row.waitFor();
    // the endpoint is at zero instances: a cold start, said as such, with the api's estimate
    const starting = row.getByRole('progressbar', { name: /^Starting a GPU/ });
    await starting.waitFor();
    // the catalog's cold start (minutes on a real GPU instance) is the estimate until the platform has observed one
    await expect(starting.getAttribute('aria-label')).resolves.toMatch(
      /^Starting a GPU · next in line · about .+ left$/,
    );
    await shot('03-starting-a-gpu');
    // then the model's steps, as the stream brings them
    await row.getByRole('progressbar', { name: /^Rendering · step \d+ of 30/ }).waitFor({ timeout: 15_000 });
    await shot('04-rendering-steps');
    await page.locator('.job-row[data-status="SUCCEEDED"]').waitFor({ timeout: 30_000 });
    // the thumbnail is the real image, fetched from S3 (fauxqs) through its presigned URL
    await loaded('.job-row img');
    await shot('05-job-succeeded');
    // the stream did the updating: one refetch after the submission, no polling every 2 s
    expect(listings.length).toBeLessThanOrEqual(2);

    await row.getByRole('link', { name: 'a lighthouse on a cliff at dawn', exact: true }).click();
    await page.getByRole('heading', { name: /a lighthouse on a cliff at dawn/ }).waitFor();
    await page.locator('.images img').waitFor();
    await loaded('.images img');
    const download = page.getByRole('link', { name: /Download PNG/ });
    await expect(download.getAttribute('href')).resolves.toMatch(/^http/);
    // the image is on S3's origin: it opens in a new tab and the dashboard stays where it was
    const detailUrl = page.url();
    const [imageTab] = await Promise.all([context.waitForEvent('page'), download.click()]);
    await imageTab.close();
    expect(page.url()).toBe(detailUrl);
    await expect(page.locator('.params').textContent()).resolves.toMatch(/Seed\d+/);
    await expect(page.getByRole('img', { name: /Queue .* Inference .* Platform/ }).count()).resolves.toBe(1);
    await page.getByText('As a curl command').click();
    await expect(page.locator('.curl').textContent()).resolves.toContain('"seed":');
    await shot('06-job-detail');

    await page.getByRole('link', { name: 'Gallery' }).click();
    await page.locator('.gallery img').first().waitFor();
    await shot('07-gallery');

    await page.getByRole('link', { name: 'Usage' }).click();
    await page.getByRole('heading', { name: /Usage in \d{4}-\d{2}/ }).waitFor();
    await expect(page.getByTestId('usage-jobs').textContent()).resolves.toBe('1');
    await expect(page.getByRole('img', { name: / spent and .* reserved of \$5\.00; .* left/ }).count()).resolves.toBe(
      1,
    );
    // the jobs by outcome, at the size of the text around it (not stretched across a wide screen)
    const outcomes = page.getByRole('img', { name: 'Succeeded 1' });
    expect((await outcomes.boundingBox())!.height).toBeLessThan(40);
    await shot('08-usage');

    // no failed request, no script error along the way (a missing favicon was one)
    expect(consoleErrors).toEqual([]);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('User name').waitFor();
  });

  it('sends an expired session back to sign-in and keeps the form', async () => {
    const username = `web-bob-${ulid()}`;
    await signIn(username);
    await page.getByLabel('Prompt', { exact: true }).fill('a red fox in the snow');
    await page.getByTestId('estimate').waitFor();
    // the api refuses the token from now on
    await page.route('**/v1/**', (route) =>
      route.fulfill({
        status: 401,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: '/problems/unauthorized',
          title: 'Unauthorized',
          status: 401,
          detail: 'expired',
          instance: '/v1/jobs',
        }),
      }),
    );
    await page.getByLabel('Prompt', { exact: true }).fill('a red fox in the snow, at night');
    await page.getByText('Your session has expired').waitFor();
    await shot('09-session-expired');
    await page.unroute('**/v1/**');
    await page.getByLabel('User name').fill(username);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByLabel('Prompt', { exact: true }).inputValue()).resolves.toBe(
      'a red fox in the snow, at night',
    );
  });

  it('says what the api says: its own 400 errors under the field, the same words before submitting, a 429’s retry time', async () => {
    await signIn(`web-carol-${ulid()}`);
    // a control character: only the api checks it, and its message starts with the field's name
    await page.getByLabel('Prompt', { exact: true }).fill('a castle \u0007 ringing');
    await page.getByRole('button', { name: 'Generate' }).click();
    await page
      .getByText('Prompt must not hold control characters (other than tab and line breaks) or lone surrogates', {
        exact: true,
      })
      .waitFor();

    // what the form says before submitting is what the api answers for the same body
    const token = await page.evaluate<string>('JSON.parse(sessionStorage.getItem("imggen.session")).token');
    const apiSays = async (body: object): Promise<string> => {
      const answer = await page.request.post(`${webUrl}/v1/jobs/estimate`, {
        headers: { authorization: `Bearer ${token}` },
        data: { prompt: 'a castle', ...body },
      });
      expect(answer.status()).toBe(400);
      return ((await answer.json()) as { errors: { message: string }[] }).errors[0]!.message;
    };
    await page.getByLabel('Prompt', { exact: true }).fill('a castle');
    await page.getByLabel('Model').selectOption('stability-sdxl');
    await page.getByLabel('Detail by').selectOption('steps');
    for (const steps of [5, 500]) {
      await page.getByLabel('Steps', { exact: true }).fill(String(steps));
      const inline = await page.locator('.field-error').textContent();
      expect(inline).toBe((await apiSays({ modelId: 'stability-sdxl', steps })).replace(/^steps/, 'Steps'));
    }
    await page.getByLabel('Steps', { exact: true }).fill('20');
    await page.getByLabel('Seed mode').selectOption('fixed');
    await page.getByLabel('Seed', { exact: true }).fill('4294967296');
    expect(await page.locator('.field-error').textContent()).toBe(
      (await apiSays({ seed: 4294967296 })).replace(/^seed/, 'Seed'),
    );
    await shot('10-form-errors');
    await page.getByLabel('Seed mode').selectOption('random');
    // the first submission's error went when the prompt changed
    await expect(page.getByText('The request has 1 invalid field: prompt').count()).resolves.toBe(0);

    await page.route('**/v1/jobs', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 429,
            headers: { 'retry-after': '42' },
            contentType: 'application/problem+json',
            body: JSON.stringify({
              type: '/problems/rate-limited',
              title: 'Too many requests',
              status: 429,
              detail: 'Too many jobs in flight.',
              instance: '/v1/jobs',
            }),
          })
        : route.continue(),
    );
    await page.getByLabel('Prompt', { exact: true }).fill('a castle on a hill');
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.getByText('Too many jobs in flight. Try again in 42 s.').waitFor();
    await shot('10b-rate-limited');
  });

  it('fits a phone screen and follows a dark system theme', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      colorScheme: 'dark',
      isMobile: true,
    });
    page = await phone.newPage();
    try {
      await signIn(`web-dave-${ulid()}`);
      // with a job in the list, the form and the list fit the phone's 390 px: a wider page makes a phone browser
      // widen its layout viewport (window.innerWidth grows with it), so the width is checked against 390 itself
      await submit('a very long prompt about a lighthouse on a cliff at dawn, painted in oils', {
        model: 'sdxl-turbo',
      });
      const pageWidth = () => page.evaluate<number>('document.documentElement.scrollWidth');
      await expect(pageWidth()).resolves.toBeLessThanOrEqual(390);
      const background = await page.evaluate<string>('getComputedStyle(document.documentElement).backgroundColor');
      expect(background).toBe('rgb(20, 23, 28)');
      await shot('11-phone-dark');
      await page.locator('.job-row a.prompt').first().click();
      await page.getByRole('heading', { name: /a very long prompt/ }).waitFor();
      await expect(pageWidth()).resolves.toBeLessThanOrEqual(390);
      await shot('11b-phone-dark-detail');
    } finally {
      await phone.close();
    }
  });

  it('shows the queue position, cancels a running and a queued job, and says what canceling saved', async () => {
    await signIn(`web-erin-${ulid()}`);
    // 100 steps at 1024²: about 16 s on the stub's one instance, which renders one job at a time
    const slow = await submit('a slow render of a glacier', { model: 'imggen-sdxl', steps: 100 });
    const waiting = await submit('a job behind it in the queue', { model: 'imggen-sdxl' });
    await slow.getByRole('progressbar', { name: /^Rendering · step \d+ of 100/ }).waitFor({ timeout: 15_000 });
    await waiting.getByRole('progressbar', { name: /^Queued · 1 job ahead · about \d+ s left$/ }).waitFor();
    await shot('12-queue-position');

    await slow.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('.job-row[data-status="CANCELED"]', { hasText: 'a slow render' }).waitFor();
    await expect(slow.getByRole('button', { name: 'Cancel' }).count()).resolves.toBe(0);
    // the job behind it moves up and is canceled while still queued, or just as it starts
    await waiting.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('.job-row[data-status="CANCELED"]', { hasText: 'a job behind it' }).waitFor();

    await slow.getByRole('link', { name: 'a slow render of a glacier', exact: true }).click();
    const saved = page.getByTestId('cancellation');
    await expect(saved.textContent()).resolves.toMatch(
      /^Canceled while running: saved \d+\.\d GPU s \(\$\d+\.\d{4}\) of the \d+\.\d estimated\.$/,
    );
    await shot('13-job-canceled');
  });

  it('shows which images the model filtered and why', async () => {
    await signIn(`web-gina-${ulid()}`);
    // the stub's imggen container filters the second image of the batch; the job succeeds with the first
    const row = await submit('two foxes in the snow [filtered:2]', { model: 'imggen-sdxl', numImages: 2 });
    await page.locator('.job-row[data-status="SUCCEEDED"]').waitFor({ timeout: 30_000 });
    await row.getByRole('link', { name: 'two foxes in the snow [filtered:2]', exact: true }).click();
    await page.getByRole('heading', { name: '1 of 2 images delivered' }).waitFor();
    await expect(page.locator('[data-outcome="filtered"]').textContent()).resolves.toBe(
      'Image 2: filtered, blocked by the model’s content filter',
    );
    await loaded('.images img');
    await expect(page.locator('.images img').count()).resolves.toBe(1);
    await shot('14-partial-outcomes');
  });

  it('deletes a job with its images, for good, and another open tab drops it too', async () => {
    const username = `web-frank-${ulid()}`;
    await signIn(username);
    const row = await submit('a job to delete');
    await page.locator('.job-row[data-status="SUCCEEDED"]').waitFor({ timeout: 30_000 });
    const imageUrl = await row.locator('img').getAttribute('src');
    const otherTab = await context.newPage();
    await signIn(username, { tab: otherTab });
    await otherTab.locator('.job-row[data-status="SUCCEEDED"]').waitFor();
    await otherTab.locator('[data-live="live"]').waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No jobs yet.', { exact: false }).waitFor();
    await shot('15-job-deleted');
    // the other tab learns it from its event stream, without a reload
    await otherTab.getByText('No jobs yet.', { exact: false }).waitFor({ timeout: 10_000 });
    // gone on the server too: a fresh page lists nothing, and the image (its presigned URL) is gone from S3
    await page.reload();
    await page.getByText('No jobs yet.', { exact: false }).waitFor();
    const { status } = await fetch(imageUrl!);
    expect(status).toBe(404);
  });

  it('pages through older jobs', async () => {
    await signIn(`web-ivan-${ulid()}`);
    const token = await page.evaluate<string>('JSON.parse(sessionStorage.getItem("imggen.session")).token');
    // one more job than a page holds (12)
    for (let index = 1; index <= 13; index += 1) {
      const answer = await page.request.post(`${webUrl}/v1/jobs`, {
        headers: { authorization: `Bearer ${token}` },
        data: { prompt: `paged job ${index}`, modelId: 'sdxl-turbo' },
      });
      expect(answer.status()).toBe(202);
    }
    await page.reload();
    await page.getByRole('link', { name: 'paged job 13', exact: true }).waitFor();
    await expect(page.locator('.job-row').count()).resolves.toBe(12);
    await page.getByRole('button', { name: 'Older jobs' }).click();
    await page.getByRole('link', { name: 'paged job 1', exact: true }).waitFor();
    await expect(page.locator('.job-row').count()).resolves.toBe(13);
    await expect(page.getByRole('button', { name: 'Older jobs' }).count()).resolves.toBe(0);
    await shot('17-older-jobs');
  });

  it('falls back to polling when the events stream is refused, and still follows the job', async () => {
    await page.route('**/v1/jobs/events', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: '/problems/dependency-unavailable', title: 'Unavailable', status: 503 }),
      }),
    );
    await signIn(`web-hank-${ulid()}`);
    await page.locator('[data-live="polling"]').waitFor();
    await submit('a lighthouse, polled', { model: 'sdxl-turbo' });
    await page.locator('.job-row[data-status="SUCCEEDED"]').waitFor({ timeout: 30_000 });
    await shot('16-polling-fallback');
  });
});
