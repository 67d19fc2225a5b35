import { isRecord } from '../contract/json.js';
/** The bits of `metadata` the handlers read from an untyped JSON object. */
export interface ObjectMeta {
  name: string | undefined;
  generateName: string | undefined;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

function stringMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Reads metadata defensively: the body is untrusted JSON, a wrong shape reads as "absent". */
export function objectMeta(object: unknown): ObjectMeta {
  const metadata = isRecord(object) && isRecord(object.metadata) ? object.metadata : {};
  return {
    name: optionalString(metadata.name),
    generateName: optionalString(metadata.generateName),
    labels: stringMap(metadata.labels),
    annotations: stringMap(metadata.annotations),
  };
}
