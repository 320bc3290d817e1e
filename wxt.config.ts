import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { buildManifest } from './lib/manifest.ts';

// See ../shared/DESIGN.md "Contracts": the e2e build also grants loopback hosts so tests drive it
// without a permission prompt; production builds never contain them.
export default defineConfig({
  imports: false,
  manifestVersion: 3,
  vite: () => ({
    plugins: [preact()],
  }),
  manifest: ({ browser, mode }) => buildManifest({ browser, mode }),
});
