import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium, driven by playwright-core (never a downloaded browser): for the browser tests and `npm run check:spid-oidc`. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
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
}
