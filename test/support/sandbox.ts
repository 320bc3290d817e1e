/** Unit tests of the clients run against the real sandbox over HTTP. */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/server.ts';

/** Starts one sandbox for the file, resets it before each test. */
export function useSandbox(options: SandboxOptions = {}): { readonly current: Sandbox } {
  const holder: { current?: Sandbox } = {};
  beforeAll(async () => {
    holder.current = await startSandbox(options);
  });
  afterAll(async () => {
    await holder.current?.close();
  });
  beforeEach(() => {
    holder.current?.reset();
  });
  return {
    get current(): Sandbox {
      if (!holder.current) throw new Error('sandbox not started');
      return holder.current;
    },
  };
}
