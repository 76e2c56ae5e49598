/**
 * Launches Debian's Chromium (`/usr/bin/chromium`, or `CHROMIUM_PATH`) through playwright-core for
 * the tests that need a real browser. The flags keep it from reaching for Google's services, which
 * this machine's closed network refuses. `bfcache: true` drops playwright's default
 * `--disable-back-forward-cache`, so that back/forward-cache restores can be tested.
 */
import { chromium, type Browser } from 'playwright-core';

export const launchChromium = (o: { bfcache?: boolean } = {}): Promise<Browser> =>
  chromium.launch({
    ignoreDefaultArgs: o.bfcache ? ['--disable-back-forward-cache'] : undefined,
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
