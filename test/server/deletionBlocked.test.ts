import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { EventRecorder, EventRequest } from '../../src/kube/eventRecorder.js';
import { loadReview, fixtureView } from '../admission/reviews.js';
import { startTestServer } from './testServer.js';

function fakeRecorder(): EventRecorder & { recorded: EventRequest[] } {
  const recorded: EventRequest[] = [];
  return { recorded, record: (event) => void recorded.push(event), flush: async () => {} };
}

async function world() {
  const view = fixtureView();
  view.usage.set({ namespace: 'ml', kind: 'Deployment', name: 'web', credentials: [], direct: ['aws-s3'] });
  view.usage.set({ namespace: 'ml', kind: 'ServiceAccount', name: 'trainer', credentials: ['aws-s3'] });
  const events = fakeRecorder();
  const t = await startTestServer({}, view, { events });
  const send = (body: object) => request(t.httpsUrl).post('/validate').ca(t.ca).send(body).expect(200);
  return { events, send };
}

describe('DeletionBlocked', () => {
  it('is recorded as a Warning on the Secret whose deletion was refused, naming who tried and the first users', async () => {
    const { events, send } = await world();
    const review = loadReview('secret-delete');
    const answer = await send(review);
    expect(answer.body.response.allowed).toBe(false);
    expect(events.recorded).toHaveLength(1);
    const [event] = events.recorded;
    expect(event).toMatchObject({
      regarding: { apiVersion: 'v1', kind: 'Secret', namespace: 'ml', name: 'aws-s3' },
      type: 'Warning',
      reason: 'DeletionBlocked',
      action: 'Delete',
    });
    expect(event!.note).toBe(
      `deletion of credential "aws-s3" refused for ${review.request.userInfo.username}: used by 2 objects: ` +
        'Deployment/web (direct reference), ServiceAccount/trainer',
    );
  });

  it('is not recorded for a dry run, nor for a deletion that is allowed', async () => {
    const { events, send } = await world();
    const dryRun = loadReview('secret-delete');
    dryRun.request.dryRun = true;
    expect((await send(dryRun)).body.response.allowed).toBe(false);
    const unused = loadReview('secret-delete');
    unused.request.namespace = 'other';
    expect((await send(unused)).body.response.allowed).toBe(true);
    expect(events.recorded).toEqual([]);
  });
});
