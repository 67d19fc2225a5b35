import { readFileSync } from 'node:fs';
import { parseManifests } from '../../src/manifests/manifests.js';
import { fileView } from '../../src/view/fileView.js';
import type { KubeView } from '../../src/view/view.js';
import type { AdmissionRequest, AdmissionReview } from '../../src/admission/review.js';

const fixtureDir = new URL('../fixtures/admission/', import.meta.url);

/** A recorded AdmissionReview from test/fixtures/admission, as the API server sends it. */
export function loadReview(name: string): AdmissionReview {
  return JSON.parse(readFileSync(new URL(`${name}.json`, fixtureDir), 'utf8')) as AdmissionReview;
}

/** The review's request with some fields replaced (deep-copied first). */
export function requestOf(name: string, changes: Partial<AdmissionRequest> = {}): AdmissionRequest {
  return { ...structuredClone(loadReview(name).request), ...changes };
}

export const credentialsFile = new URL('credentials.yaml', fixtureDir);

/** The fixture credentials (namespaces `ml` and `other`) in a fresh static view. */
export function fixtureView(): KubeView {
  return fileView(parseManifests(readFileSync(credentialsFile, 'utf8'), 'credentials.yaml'));
}
