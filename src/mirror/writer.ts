import type { V1Secret } from '@kubernetes/client-node';
import { apiStatus as statusOf, type KubeApi } from '../kube/kubeApi.js';
import { resourcePath, secretResource } from '../kube/kindListers.js';
import { validateCredential } from '../credentials/validateCredential.js';
import { keys } from '../contract/keys.js';
import { isMirrorOf, keyedMirrorHash, mirrorSecret, rehashedMirror, updatedMirror } from './mirrorSecret.js';
import type { MirrorAction } from './plan.js';
import { describeApiError } from '../kube/describeApiError.js';

/**
 * How one write ended. `denied`: an admission webhook refused it (ours, for a mirror still in use);
 * `foreign`: a Secret of that name is not our mirror; `stale`: the cluster moved on since the plan
 * (a 409, a vanished object), the next pass sees it; `skipped`: the source is no longer one to copy.
 */
export type WriteResult = 'ok' | 'denied' | 'foreign' | 'stale' | 'skipped' | 'error';

export interface WriteOutcome {
  action: MirrorAction;
  result: WriteResult;
  /** For denied and error: the API's one-line reason (never a body). */
  detail?: string;
}

/** The webhook's answer reaches us as a 403 whose message names the webhook. */
function isAdmissionDenial(err: unknown): boolean {
  return statusOf(err) === 403 && describeApiError(err).includes('admission webhook');
}

function failure(action: MirrorAction, err: unknown): WriteOutcome {
  const status = statusOf(err);
  if (isAdmissionDenial(err)) return { action, result: 'denied', detail: describeApiError(err) };
  if (status === 409 || status === 404) return { action, result: 'stale' };
  return { action, result: 'error', detail: describeApiError(err) };
}

/**
 * Carries out a plan: the only code that reads credential values outside a request. A source is
 * read when the first write of a pass needs it and dropped with the pass. Every write is
 * idempotent and guarded: creates never overwrite (409 stays 409), replaces and deletes carry the
 * resourceVersion (and uid) they were planned on.
 */
export function mirrorWriter(api: KubeApi, injectorNamespace: string, digestKey: Buffer) {
  const secretPath = (namespace: string, name?: string) => resourcePath(secretResource, namespace, name);
  const replace = (namespace: string, name: string, body: V1Secret) => api.call({ method: 'PUT', path: secretPath(namespace, name), body });

  async function readSecret(namespace: string, name: string): Promise<V1Secret | undefined> {
    try {
      return await api.call<V1Secret>({ method: 'GET', path: secretPath(namespace, name) });
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  /** The source as it is now, if it is still a valid cluster credential. */
  async function currentSource(name: string): Promise<V1Secret | undefined> {
    const secret = await readSecret(injectorNamespace, name);
    const labels = secret?.metadata?.labels ?? {};
    if (!secret || secret.metadata?.deletionTimestamp || labels[keys.scopeLabel] !== 'cluster' || labels[keys.typeLabel] === undefined) return undefined;
    return validateCredential(secret).length === 0 ? secret : undefined;
  }

  /**
   * Only the hash annotation of a mirror whose data is right: the source is not read, and the
   * replace carries the mirror as read at the planned resourceVersion, so nothing else changes
   * and a mirror edited since (its data no longer hashing to the planned hash) is left to the next pass.
   */
  async function rehash(action: Extract<MirrorAction, { operation: 'rehash' }>): Promise<WriteOutcome> {
    const current = await readSecret(action.namespace, action.name);
    if (!current) return { action, result: 'stale' };
    if (!isMirrorOf(current.metadata ?? {}, injectorNamespace)) return { action, result: 'foreign' };
    if (current.metadata?.resourceVersion !== action.resourceVersion || keyedMirrorHash(action.name, current.data, digestKey) !== action.hash) {
      return { action, result: 'stale' };
    }
    await replace(action.namespace, action.name, rehashedMirror(current, action.hash));
    return { action, result: 'ok' };
  }

  async function write(action: MirrorAction, source: () => Promise<V1Secret | undefined>): Promise<WriteOutcome> {
    const { namespace, name } = action;
    try {
      if (action.operation === 'delete') {
        await api.call({
          method: 'DELETE',
          path: secretPath(namespace, name),
          body: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: action.uid, resourceVersion: action.resourceVersion } },
        });
        return { action, result: 'ok' };
      }
      if (action.operation === 'rehash') return await rehash(action);
      const from = await source();
      if (!from) return { action, result: 'skipped' };
      const desired = mirrorSecret(from, namespace, digestKey);
      if (action.operation === 'create') {
        try {
          await api.call({ method: 'POST', path: secretPath(namespace), body: desired });
          return { action, result: 'ok' };
        } catch (err) {
          if (statusOf(err) !== 409) throw err;
          const existing = await readSecret(namespace, name);
          return { action, result: existing && !isMirrorOf(existing.metadata ?? {}, injectorNamespace) ? 'foreign' : 'stale' };
        }
      }
      const current = await readSecret(namespace, name);
      if (!current) return { action, result: 'stale' };
      if (!isMirrorOf(current.metadata ?? {}, injectorNamespace)) return { action, result: 'foreign' };
      if ((current.type ?? 'Opaque') !== desired.type) return { action, result: 'stale' };
      await replace(namespace, name, updatedMirror(current, desired));
      return { action, result: 'ok' };
    } catch (err) {
      // A DELETE of what is already gone did what it was for.
      if (action.operation === 'delete' && statusOf(err) === 404) return { action, result: 'ok' };
      return failure(action, err);
    }
  }

  return {
    /**
     * Runs the actions a few at a time, stopping early (between writes) once `keepGoing` says so,
     * e.g. when leadership is lost. Sources read during the pass are forgotten when it ends.
     */
    async run(actions: MirrorAction[], keepGoing: () => boolean, concurrency = 4): Promise<WriteOutcome[]> {
      const sources = new Map<string, Promise<V1Secret | undefined>>();
      const sourceOf = (name: string) => () => {
        let found = sources.get(name);
        if (!found) sources.set(name, (found = currentSource(name)));
        return found;
      };
      const outcomes: WriteOutcome[] = [];
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < actions.length && keepGoing()) {
          const action = actions[next++]!;
          outcomes.push(await write(action, sourceOf(action.name)));
        }
      };
      try {
        await Promise.all(Array.from({ length: Math.min(concurrency, actions.length) }, worker));
      } finally {
        sources.clear();
      }
      return outcomes;
    },
  };
}
