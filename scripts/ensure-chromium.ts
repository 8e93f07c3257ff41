/**
 * Part of `pnpm test`: makes sure a system Chromium exists for the browser tests.
 * Where none is installed and Debian's apt-get is available as root, installs
 * Debian's `chromium`; elsewhere stops with a message saying what to install.
 * Browser tests are never skipped silently.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium } from './chromium.ts';

function main(): number {
  const found = findChromium();
  if (found) {
    console.log(`browser tests will use ${found}`);
    return 0;
  }
  const isRoot = process.getuid?.() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log('no Chromium found: installing Debian package "chromium" with apt-get …');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
    if (findChromium()) return 0;
  }
  console.error(
    'The browser tests need Chromium and none was found.\n' +
      '  Debian/Ubuntu: sudo apt-get install -y chromium\n' +
      '  elsewhere: install Chromium or Chrome and set CHROMIUM_PATH=/path/to/chromium',
  );
  return 1;
}

process.exitCode = main();
