/**
 * How each kind of entry reaches its service (background only). Every write the outbox makes may
 * be repeated after a lost answer, so each kind says both how to send and how to tell whether an
 * earlier send already landed.
 */
import type { Delivered, OutboxEntry, OutboxKind } from './types.ts';

export type ReconcileResult = { status: 'found'; delivered: Delivered } | { status: 'absent' };

export interface OutboxExecutor<K extends OutboxKind = OutboxKind> {
  /**
   * Sends the entry once. Resolves when the service answered OK; expected failures throw a
   * ServiceError whose Failure says whether the request may have reached the service.
   */
  send(entry: OutboxEntry<K>, signal: AbortSignal): Promise<Delivered>;
  /**
   * Looks on the service for what an earlier send of this entry may have created. 'absent' must
   * mean "not there": when in doubt, throw (the try is retried later) rather than answer absent.
   */
  reconcile(entry: OutboxEntry<K>, signal: AbortSignal): Promise<ReconcileResult>;
}

export type ExecutorRegistry = { [K in OutboxKind]: OutboxExecutor<K> };
