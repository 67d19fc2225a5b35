import { z } from 'zod';
import { isRecord } from '../contract/json.js';

/**
 * The `admission.k8s.io/v1` AdmissionReview as the API server sends it. Only the fields we read are
 * typed; `object` and `oldObject` stay `unknown` JSON so zod never strips a field the engine needs
 * (a stripped field would turn into a bogus `remove` in a patch).
 */
const GroupVersionKind = z.object({ group: z.string(), version: z.string(), kind: z.string() });
const GroupVersionResource = z.object({ group: z.string(), version: z.string(), resource: z.string() });

/**
 * A JSON object (a Kubernetes object) kept as is, not copied key by key as z.record would (the
 * object is most of a review); null is how DELETE and CONNECT send "none".
 */
const KubeObject = z
  .custom<Record<string, unknown> | null>((value) => value === null || isRecord(value), { message: 'expected an object or null' })
  .optional();

export const Operation = z.enum(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);
export type Operation = z.infer<typeof Operation>;

const AdmissionRequestFields = z.object({
  uid: z.string().min(1),
  kind: GroupVersionKind,
  resource: GroupVersionResource,
  subResource: z.string().optional(),
  /** Empty for pods made from `generateName` (every controller-made pod). */
  name: z.string().optional(),
  /** The object's namespace; the only trustworthy one (the object's own may be unset). */
  namespace: z.string().optional(),
  operation: Operation,
  userInfo: z
    .object({ username: z.string().optional(), groups: z.array(z.string()).optional() })
    .default({}),
  object: KubeObject,
  oldObject: KubeObject,
  dryRun: z.boolean().optional(),
});

/**
 * The objects each operation must carry (ADMISSION-NOTES, "The exchange"): CREATE the new object,
 * UPDATE both, DELETE the old one with its metadata. A review without them is malformed and gets a
 * 400, whatever it is about: read leniently, `object: null` on CREATE would be allowed untouched and
 * `oldObject: {}` on DELETE would lose the labels that make a Secret a protected credential.
 */
export const AdmissionRequest = AdmissionRequestFields.superRefine((request, ctx) => {
  const needs = (field: 'object' | 'oldObject', why: string): void => {
    if (!isRecord(request[field])) ctx.addIssue({ code: 'custom', path: [field], message: `must be an object ${why}` });
  };
  if (request.operation === 'CREATE' || request.operation === 'UPDATE') needs('object', `on ${request.operation}`);
  if (request.operation === 'UPDATE') needs('oldObject', 'on UPDATE');
  if (request.operation === 'DELETE') {
    needs('oldObject', 'on DELETE (the object being deleted)');
    if (isRecord(request.oldObject) && !isRecord(request.oldObject['metadata'])) {
      ctx.addIssue({ code: 'custom', path: ['oldObject', 'metadata'], message: 'must be an object on DELETE' });
    }
  }
});
export type AdmissionRequest = z.infer<typeof AdmissionRequest>;

export const admissionApiVersion = 'admission.k8s.io/v1';

export const AdmissionReview = z.object({
  apiVersion: z.literal(admissionApiVersion),
  kind: z.literal('AdmissionReview'),
  request: AdmissionRequest,
});
export type AdmissionReview = z.infer<typeof AdmissionReview>;

/** What we answer: the same apiVersion/kind with a response for the request's uid. */
export interface AdmissionResponseReview {
  apiVersion: typeof admissionApiVersion;
  kind: 'AdmissionReview';
  response: {
    uid: string;
    allowed: boolean;
    patchType?: 'JSONPatch';
    /** base64 of the JSON array of RFC 6902 operations. */
    patch?: string;
    warnings?: string[];
    status?: { code: number; message: string; reason: string };
  };
}

/**
 * Reads an untrusted body into a review, or a readable reason it is not one. Issues name the path
 * and the rule only: zod does not echo input values, so a Secret's data cannot leak through here.
 */
export function parseReview(body: unknown): { review: AdmissionReview } | { error: string } {
  const result = AdmissionReview.safeParse(body);
  if (result.success) return { review: result.data };
  const issues = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  return { error: `not an admission.k8s.io/v1 AdmissionReview: ${issues.join('; ')}` };
}
