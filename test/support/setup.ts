/** Every unit test starts with an empty IndexedDB and a reset fake browser. */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { resetDatabaseForTests } from '../../lib/db.ts';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  resetDatabaseForTests();
  fakeBrowser.reset();
});
