/**
 * The extension's one IndexedDB database, opened through idb. IndexedDB belongs to the
 * extension's origin: content scripts and web pages cannot open it, which is why secrets live
 * here and not in storage.local or storage.sync (content scripts can read those).
 *
 * Rule for every user of this file: never await other work (fetch, messaging) inside a
 * transaction; IndexedDB commits a transaction as soon as it has nothing queued.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export const DB_NAME = 'crm-call-companion';
export const DB_VERSION = 2;

export interface StoredRecord {
  [key: string]: unknown;
}

export interface CompanionDB extends DBSchema {
  /** Per service: its secret fields (tokens, keys). Only lib/secrets.ts reads this store. */
  secrets: { key: string; value: Record<string, string> };
  /** The durable outbox (lib/outbox/). */
  outbox: {
    key: string;
    value: StoredRecord & { id: string; service: string; state: string; seq: number };
    indexes: { 'by-state': string; 'by-service-seq': [string, number] };
  };
  /** Calls logged to the CRM, newest last; trimmed to the last 200. */
  history: { key: string; value: StoredRecord & { id: string; loggedAt: number }; indexes: { 'by-time': number } };
  /** Campaigns and lists per service, refreshed by the background. */
  campaigns: { key: string; value: StoredRecord & { key: string; service: string }; indexes: { 'by-service': string } };
  /** Numbers known not to be called, from any source (Call-Em-All opt-outs, Upcall dnc, local list). */
  doNotCall: { key: string; value: StoredRecord & { key: string; e164: string; source: string }; indexes: { 'by-number': string; 'by-source': string } };
  /** Click-to-calls created from this browser. */
  clickToCalls: { key: string; value: StoredRecord & { id: string; createdAt: number }; indexes: { 'by-time': number } };
  /** Small key-value state (sync cursors, last action per number, …). */
  meta: { key: string; value: unknown };
  /** Writes to look at again for copies made beneath us (lib/duplicates/), due by `dueAt`. */
  duplicateChecks: { key: string; value: StoredRecord & { id: string; dueAt: number }; indexes: { 'by-due': number } };
}

export type Database = IDBPDatabase<CompanionDB>;

let opening: Promise<Database> | undefined;

export function openDatabase(): Promise<Database> {
  opening ??= openDB<CompanionDB>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('secrets');
        const outbox = db.createObjectStore('outbox', { keyPath: 'id' });
        outbox.createIndex('by-state', 'state');
        outbox.createIndex('by-service-seq', ['service', 'seq']);
        db.createObjectStore('history', { keyPath: 'id' }).createIndex('by-time', 'loggedAt');
        db.createObjectStore('campaigns', { keyPath: 'key' }).createIndex('by-service', 'service');
        const dnc = db.createObjectStore('doNotCall', { keyPath: 'key' });
        dnc.createIndex('by-number', 'e164');
        dnc.createIndex('by-source', 'source');
        db.createObjectStore('clickToCalls', { keyPath: 'id' }).createIndex('by-time', 'createdAt');
        db.createObjectStore('meta');
      }
      if (oldVersion < 2) {
        db.createObjectStore('duplicateChecks', { keyPath: 'id' }).createIndex('by-due', 'dueAt');
      }
    },
    blocking() {
      // A newer version of the extension wants to upgrade: let it.
      void opening?.then((db) => db.close());
      opening = undefined;
    },
  });
  return opening;
}

/** Tests use a fresh IDBFactory per test; this forgets the cached connection. */
export function resetDatabaseForTests(): void {
  opening = undefined;
}
