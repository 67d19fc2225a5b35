import { createHash } from 'node:crypto';

/** The object an Event is about (`regarding`). */
export interface EventSubject {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  uid?: string;
}

/** What a caller wants said; the writer decides whether it is a new Event or a repeat. */
export interface EventRequest {
  regarding: EventSubject;
  type: 'Normal' | 'Warning';
  /** CamelCase reason, e.g. `CredentialRotated` (docs/reference.md, "Events"). */
  reason: string;
  /** What the controller did, e.g. `Restart`, `Delete`. */
  action: string;
  /** Human text; never a Secret value. Cut to the API's 1 kB. */
  note: string;
}

export const reportingController = 'credinject.dev/credinject';
const maxNote = 1024;

/**
 * The name of the one Event per subject and reason. Deterministic, so every replica and every leader
 * after a hand-over adds to the same Event (its series) instead of creating one object per occurrence.
 */
export function eventName(request: Pick<EventRequest, 'regarding' | 'reason'>): string {
  const { regarding, reason } = request;
  const identity = `${regarding.apiVersion}/${regarding.kind}/${regarding.namespace}/${regarding.name}/${regarding.uid ?? ''}/${reason}`;
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, 12);
  // A DNS subdomain: the subject's (already valid) name, shortened, then the hash.
  const stem = regarding.name.toLowerCase().replace(/[^a-z0-9.-]/g, '-').slice(0, 200).replace(/[.-]+$/, '');
  return `${stem || 'credinject'}.${hash}`;
}

/** Kubernetes MicroTime: RFC 3339 with six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

const cut = (text: string): string => (Buffer.byteLength(text) <= maxNote ? text : `${Buffer.from(text).subarray(0, maxNote - 3).toString('utf8').replace(/\uFFFD+$/, '')}…`);

/** The `events.k8s.io/v1` Event created the first time a subject gets this reason. */
export function newEvent(request: EventRequest, reportingInstance: string, now: number): Record<string, unknown> {
  const { regarding } = request;
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: eventName(request), namespace: regarding.namespace },
    eventTime: microTime(now),
    reportingController,
    reportingInstance,
    action: request.action,
    reason: request.reason,
    type: request.type,
    note: cut(request.note),
    regarding: {
      apiVersion: regarding.apiVersion,
      kind: regarding.kind,
      namespace: regarding.namespace,
      name: regarding.name,
      ...(regarding.uid ? { uid: regarding.uid } : {}),
    },
  };
}

/**
 * The merge patch for a repeat: the series counts occurrences (the first one included, as client-go
 * counts), so `kubectl describe` shows "x3 over 5m". Nothing else: the API server keeps every other
 * field of an `events.k8s.io/v1` Event immutable (a changed note gets 422), so the note stays the
 * first occurrence's, as client-go's recorder keeps it.
 */
export function repeatPatch(previousCount: number, now: number): Record<string, unknown> {
  return { series: { count: Math.max(previousCount, 1) + 1, lastObservedTime: microTime(now) } };
}
