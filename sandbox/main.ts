/**
 * `npm run sandbox`: serves the five simulators, the demo CRM pages and the control API on one
 * loopback port (SANDBOX_PORT, default 5178) until interrupted.
 */
import { SANDBOX_CREDENTIALS, SERVICE_PREFIXES } from './credentials.ts';
import { startSandbox } from './server.ts';

const port = Number(process.env.SANDBOX_PORT ?? 5178);
const sandbox = await startSandbox({ port, verbose: process.argv.includes('--verbose') });
console.log(`Sandbox listening on ${sandbox.url}`);
console.log(`  Demo CRM pages:   ${sandbox.url}/demo/`);
console.log(`  Control API:      ${sandbox.url}/__sandbox/requests`);
for (const [service, prefix] of Object.entries(SERVICE_PREFIXES)) {
  console.log(`  ${service.padEnd(12)} ${sandbox.url}${prefix}`);
}
console.log('Credentials it accepts:');
console.log(JSON.stringify(SANDBOX_CREDENTIALS, null, 2));

const stop = () => {
  void sandbox.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
