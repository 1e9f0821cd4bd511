import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { cleanEnv } from '../../test/support/clean-env.js';

export const CHROMIUM = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';
const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

/** Debian's Chromium, headless. Locally a missing Chromium skips the browser tests; in CI it fails them. */
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  if (IN_CI)
    throw new Error(`Chromium is required in CI but ${CHROMIUM} does not exist (apt-get install chromium).`);
  console.warn(`${CHROMIUM} not found: browser tests are skipped locally.`);
}

/**
 * The time a browser test gets: each drives real Chromium through a whole user journey (pages,
 * sockets, several tabs), which on a busy machine takes many times what it does on an idle one.
 */
export const BROWSER_TEST_TIMEOUT_MS = 90_000;

/** Camera and microphone without hardware or a prompt: a test pattern and a beep (calls). */
export const FAKE_MEDIA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Chromium gets PATH and HOME only, not the environment of the shell running the tests.
    env: cleanEnv(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      ...extraArgs,
    ],
  });
}
