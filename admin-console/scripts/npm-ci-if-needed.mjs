// Runs `npm ci` unless node_modules was installed by `npm ci` from this very package-lock.json with this Node
// version: a Maven build then spends no time re-installing. Called by the module's pom (exec-maven-plugin).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`admin-console needs Node.js 20.19 or later (Vite, Vitest, jsdom); this is ${process.version}`);
  process.exit(1);
}

const stamp = 'node_modules/.gridledger-npm-ci';
const wanted = createHash('sha256').update(readFileSync('package-lock.json')).update(process.version).digest('hex');

if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) {
  console.log('admin-console: node_modules matches package-lock.json, npm ci skipped');
} else {
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  writeFileSync(stamp, wanted);
}
