/**
 * What the extension remembers about numbers, to prefill the Log a call form: the last number
 * the user acted on from a page (its button menu, the right-click menu), and per number the
 * contact it was last logged against and the service last used with it. Kept in the `meta`
 * store (background only).
 */
import type { IDBPTransaction } from 'idb';
import { openDatabase, type CompanionDB } from '../db.ts';
import type { CalledVia, CrmCallRequest } from '../outbox/crm-call.ts';
import type { ServiceId } from '../services.ts';

const LAST_USED_KEY = 'log-call/last-number';
const NUMBER_PREFIX = 'number/';
const NUMBERS = IDBKeyRange.bound(NUMBER_PREFIX, `${NUMBER_PREFIX}\uffff`);

/**
 * Numbers remembered at most; past it, the ones used longest ago are forgotten (down to 90 % of
 * it, so the trim runs once per few hundred new numbers, not on every one).
 */
export const NUMBER_MEMORY_LIMIT = 5_000;
const TRIM_TO = Math.floor(NUMBER_MEMORY_LIMIT * 0.9);

type MetaStore = Pick<
  IDBPTransaction<CompanionDB, ['meta'], 'readwrite'>['store'],
  'count' | 'getAll' | 'getAllKeys' | 'delete'
>;

const lastTouched = (memory: NumberMemory) => Math.max(memory.loggedAt ?? 0, memory.lastUse?.at ?? 0);

/** Inside the writer's transaction: forgets the least recently used numbers past the limit. */
async function trimNumberMemory(meta: MetaStore): Promise<void> {
  if ((await meta.count(NUMBERS)) <= NUMBER_MEMORY_LIMIT) return;
  const [keys, values] = await Promise.all([meta.getAllKeys(NUMBERS), meta.getAll(NUMBERS)]);
  const order = keys.map((key, i) => ({ key, at: lastTouched(values[i] as NumberMemory) })).sort((a, b) => a.at - b.at);
  for (const { key } of order.slice(0, order.length - TRIM_TO)) await meta.delete(key);
}

export async function countNumberMemory(): Promise<number> {
  const db = await openDatabase();
  return db.count('meta', NUMBERS);
}

/** What the user did with a number from a page. */
export type NumberAction = 'log-call' | 'campaign-add' | 'click-to-call' | 'copy';

export interface NumberUse {
  /** E.164, e.g. "+16505550100", or with its extension as buttons write it: "+16505550100;ext=45". */
  e164: string;
  action: NumberAction;
  /** The service it was used with (campaign add, click-to-call). */
  service?: ServiceId;
  at: number;
}

export interface NumberMemory {
  e164: string;
  /** The contact its last call was logged against. */
  contactId?: string;
  /** "Called via" of its last logged call. */
  calledVia?: CalledVia;
  loggedAt?: number;
  /** The last thing done with it from a page. */
  lastUse?: NumberUse;
}

/** Which "Called via" a service used from a page stands for. */
export const CALLED_VIA_OF_SERVICE: Partial<Record<ServiceId, CalledVia>> = {
  upcall: 'Upcall',
  sipcaller: 'SIP Caller',
  multisender: 'Multisender',
  callemall: 'Call-Em-All',
};

/**
 * Records a number the user acted on from a page (the in-page button menu or the right-click
 * menu call this), so the Log a call form opens with it.
 */
export async function rememberNumberUsed(use: NumberUse): Promise<void> {
  const db = await openDatabase();
  const tx = db.transaction('meta', 'readwrite');
  // Memory is per number, whatever the extension.
  const key = NUMBER_PREFIX + use.e164.split(';')[0];
  try {
    const memory = ((await tx.store.get(key)) as NumberMemory | undefined) ?? { e164: use.e164.split(';')[0]! };
    await tx.store.put({ ...memory, lastUse: use } satisfies NumberMemory, key);
    await tx.store.put(use, LAST_USED_KEY);
    await trimNumberMemory(tx.store);
    await tx.done;
  } catch (error) {
    // The failed request aborted the transaction; its `done` rejects too, and is answered here.
    tx.done.catch(() => undefined);
    throw error;
  }
}

/**
 * Inside the enqueue transaction (lib/outbox/store.ts `alsoWrite`): the number now belongs to
 * this contact and was called via this service.
 */
export async function rememberLoggedCall(
  tx: IDBPTransaction<CompanionDB, ['outbox', 'meta'], 'readwrite'>,
  e164: string,
  request: CrmCallRequest,
  now: number,
): Promise<void> {
  const meta = tx.objectStore('meta');
  const key = NUMBER_PREFIX + e164;
  const memory = ((await meta.get(key)) as NumberMemory | undefined) ?? { e164 };
  const next: NumberMemory = { ...memory, contactId: request.contactId, calledVia: request.calledVia, loggedAt: now };
  await meta.put(next, key);
  await trimNumberMemory(meta as unknown as MetaStore);
}

export async function readNumberMemory(e164: string): Promise<NumberMemory | undefined> {
  const db = await openDatabase();
  return (await db.get('meta', NUMBER_PREFIX + e164)) as NumberMemory | undefined;
}

export async function readLastNumberUsed(): Promise<NumberUse | undefined> {
  const db = await openDatabase();
  return (await db.get('meta', LAST_USED_KEY)) as NumberUse | undefined;
}

/** "Called via" from whichever came last: the number's last logged call or its last use. */
export function calledViaFromMemory(memory: NumberMemory | undefined): CalledVia | undefined {
  if (!memory) return undefined;
  const fromUse = memory.lastUse?.service ? CALLED_VIA_OF_SERVICE[memory.lastUse.service] : undefined;
  if (fromUse && (memory.loggedAt === undefined || (memory.lastUse?.at ?? 0) >= memory.loggedAt)) return fromUse;
  return memory.calledVia ?? fromUse;
}
