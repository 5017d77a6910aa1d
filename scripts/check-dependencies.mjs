// CI's dependency check (npm run check:deps). Published advisories first: `npm audit`. The
// registry these machines reach answers its advisory endpoint with 405 (GET and HEAD only), and no
// advisory database can be had offline here, so where audit cannot run this check falls back to
// what the registry may serve: each installed package's own metadata. A version its maintainers
// deprecated (how npm flags a release with a known flaw) fails the check for production
// dependencies and is listed for development ones. The mirror here strips those notices too, which
// the check finds out and says. Electron must be one of the three newest majors, the ones its
// maintainers still support (read from the registry's dist-tags, which it does serve).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const registry = spawnSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).stdout.trim().replace(/\/$/, '');
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const installed = Object.entries(lock.packages)
  .filter(([path]) => path.startsWith('node_modules/'))
  .map(([path, entry]) => ({ name: path.slice(path.lastIndexOf('node_modules/') + 13), version: entry.version, dev: entry.dev === true }));

const audit = spawnSync('npm', ['audit', '--audit-level=high', '--json'], { encoding: 'utf8' });
let audited = false;
try {
  const report = JSON.parse(audit.stdout);
  if (report.metadata?.vulnerabilities) {
    audited = true;
    const { high = 0, critical = 0 } = report.metadata.vulnerabilities;
    console.log(`npm audit: ${critical} critical, ${high} high advisories.`);
    if (high + critical > 0) process.exitCode = 1;
  } else console.log(`npm audit could not run here (${report.message ?? 'no report'}).`);
} catch {
  console.log('npm audit gave no report here.');
}

/** The abbreviated metadata the registry serves for installs: every version, with its deprecation notice. */
async function metadata(name) {
  const response = await fetch(`${registry}/${name.replace('/', '%2f')}`, { headers: { accept: 'application/vnd.npm.install-v1+json' } });
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  return response.json();
}

// A registry mirror may strip deprecation notices too: a version deprecated years ago tells.
const servesNotices = Boolean((await metadata('request')).versions?.['2.88.2']?.deprecated);
if (audited) {
  // advisories checked above
} else if (!servesNotices) {
  console.log(
    `${registry} serves neither advisories nor deprecation notices (request@2.88.2 shows none): dependencies are NOT checked against advisories on this machine.`,
  );
} else {
  const deprecated = [];
  const queue = [...installed];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const notice = (await metadata(next.name)).versions?.[next.version]?.deprecated;
        if (notice) deprecated.push({ ...next, notice });
      }
    }),
  );
  for (const d of deprecated) console.log(`${d.dev ? 'dev ' : 'PRODUCTION '}${d.name}@${d.version} is deprecated: ${d.notice}`);
  const production = deprecated.filter((d) => !d.dev);
  console.log(
    `${installed.length} installed packages: ${production.length} production and ${deprecated.length - production.length} development versions deprecated.`,
  );
  if (production.length > 0) process.exitCode = 1;
}

const electron = await metadata('electron');
const latestMajor = Number(electron['dist-tags'].latest.split('.')[0]);
const ours = Number(lock.packages['node_modules/electron'].version.split('.')[0]);
console.log(`Electron ${ours}: the supported majors are ${latestMajor - 2}–${latestMajor}.`);
if (ours < latestMajor - 2) process.exitCode = 1;
