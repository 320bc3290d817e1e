/**
 * `npm run bench`: builds what the benches need once, then runs each bench in turn. Benches
 * print figures; they do not assert timings (this is a shared 2-core machine).
 *
 *   npm run bench                      every bench
 *   npm run bench -- detection         only the benches named
 *   npm run bench -- --no-build        use the existing .output builds
 *
 * Adding a bench: a file exporting a `Bench`, and one line in `BENCHES`.
 */
import { spawnSync } from 'node:child_process';
import { detectionBench } from './detection.ts';
import { outboxBench } from './outbox.ts';

export interface Bench {
  name: string;
  /** The build the bench loads: `npm run build:e2e` (loopback hosts enabled) or `npm run build`. */
  build: 'e2e' | 'production';
  run(): Promise<void>;
}

const BENCHES: Bench[] = [detectionBench, outboxBench];

function build(kind: Bench['build']): void {
  const script = kind === 'e2e' ? 'build:e2e' : 'build';
  console.log(`\n$ npm run ${script}`);
  const result = spawnSync('npm', ['run', script], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm run ${script} failed`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const names = args.filter((a) => !a.startsWith('--'));
  const selected = BENCHES.filter((b) => names.length === 0 || names.includes(b.name));
  if (selected.length === 0) throw new Error(`no bench named ${names.join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}`);
  if (!args.includes('--no-build')) for (const kind of new Set(selected.map((b) => b.build))) build(kind);
  for (const bench of selected) {
    console.log(`\n=== ${bench.name} ===`);
    await bench.run();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
