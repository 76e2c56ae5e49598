/**
 * Dead letters: events the processor could not apply for a reason retrying cannot fix (see
 * `isolate.ts`). Each keeps a reference to its raw event (which stays stored, the source of
 * truth), the error and how often it failed. A dead letter was never counted: erasing its user
 * removes it, rebuilds leave it out, and it goes when its raw event is purged. An admin lists them
 * (`GET /v1/admin/dead-letters`) and retries them after a fix: a retry applies the raw events again
 * (isolated the same way) and removes the dead letters of those that now apply.
 */
import type { Aggregator, EventSource, StoredEvent } from './types';
import type { FailedEntry } from './isolate';
import { describeStoreError } from './errors';

/** One dead letter as stored and listed. */
export interface DeadLetter {
  id: number;
  orgKey: string;
  env: string;
  /** the raw event's storage sequence number */
  rawSeq: number;
  eventId: string;
  type: string;
  source: EventSource;
  /** event time, ms */
  ts: number;
  /** when the collector stored the event, ms */
  receivedAt: number;
  sessionId: string;
  clientId: string;
  /** SQLSTATE, SQLite result code or error name */
  errorCode: string;
  error: string;
  /** last failure, ms */
  failedAt: number;
  /** how many times it failed (the processor's attempt, then each retry) */
  attempts: number;
}

/** Result of {@link DeadLetterStore.retry}. */
export interface RetryResult {
  /** dead letters taken */
  retried: number;
  /** of those, applied now (their dead letters are gone) */
  applied: number;
  /** of those, failed again (attempts + 1, error updated) */
  failed: number;
  /** of those, whose raw event no longer exists (purged or erased): removed, nothing to count */
  gone: number;
}

/** The dead letters of a store (`store.deadLetters`). */
export interface DeadLetterStore {
  /** An org's dead letters, newest first, paginated by id. */
  list(q: { orgKey: string; beforeId?: number; limit: number }): Promise<{ rows: DeadLetter[]; next?: number }>;
  /** Number of dead letters (all orgs when omitted). */
  count(orgKey?: string): Promise<number>;
  /** Applies again up to `limit` dead letters of an org (only `ids` when given), oldest first. */
  retry(q: { orgKey: string; ids?: number[]; limit: number }, aggregate: Aggregator): Promise<RetryResult>;
}

/** The row values of a failed entry, in the column order of both engines' `dead_letters` inserts. */
export function deadLetterValues(f: FailedEntry, failedAt: number): unknown[] {
  const e: StoredEvent = f.event;
  const { code, message } = describeStoreError(f.error);
  return [e.seq, e.orgKey, e.env, e.eventId, e.type, e.source, e.ts, e.receivedAt, e.sessionId, e.clientId, code, message, failedAt];
}

/** Columns of {@link deadLetterValues}. */
export const DEAD_LETTER_COLUMNS = 'raw_seq, org, env, event_id, type, source, ts, received_at, session_id, client_id, error_code, error, failed_at';

/** A stored row → {@link DeadLetter}. */
export function deadLetterFromRow(r: Record<string, unknown>): DeadLetter {
  return {
    id: Number(r.id),
    orgKey: r.org as string,
    env: r.env as string,
    rawSeq: Number(r.raw_seq),
    eventId: r.event_id as string,
    type: r.type as string,
    source: r.source as EventSource,
    ts: Number(r.ts),
    receivedAt: Number(r.received_at),
    sessionId: r.session_id as string,
    clientId: r.client_id as string,
    errorCode: r.error_code as string,
    error: r.error as string,
    failedAt: Number(r.failed_at),
    attempts: Number(r.attempts),
  };
}
