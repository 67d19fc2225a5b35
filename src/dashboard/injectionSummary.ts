import { keys } from '../contract/keys.js';
import type { CredentialInfo } from '../credentials/credentialInfo.js';
import { credentialTypes } from '../credentials/registry.js';

/** What a credential gives a pod that asks for it with no per-pod overrides, in words for the page. */
export interface InjectionSummary {
  /** `HF_TOKEN ← token`; fixed values are paths the engine sets (e.g. GOOGLE_APPLICATION_CREDENTIALS). */
  env: string[];
  /** Directory its files are mounted in, when it injects files. */
  files?: string;
  imagePullSecret: boolean;
  /** Formats the agent can render from it on request (`credinject.dev/render`). */
  renderFormats: string[];
}

/**
 * The type's default injection for this credential, with the Secret's own mount-path and env-prefix
 * annotations; the engine's fallback directory is the same `/var/run/credinject/<name>`. Undefined
 * for an unknown type.
 */
export function injectionSummary(info: CredentialInfo): InjectionSummary | undefined {
  const type = credentialTypes.get(info.type);
  if (!type) return undefined;
  const explicit = info.annotations[keys.mountPath];
  const mountPath = explicit ?? type.defaultMountPath?.(info.name) ?? `/var/run/credinject/${info.name}`;
  const envPrefix = type.envPrefix ? (info.annotations[keys.envPrefix] ?? '') : '';
  const spec = type.inject({ credential: info, mountPath, explicitMountPath: explicit !== undefined, envPrefix, rendered: false });
  const summary: InjectionSummary = {
    env: spec.env.map((source) => ('key' in source ? `${source.name} ← ${source.key}` : `${source.name} = ${source.value}`)),
    imagePullSecret: spec.imagePullSecret === true,
    renderFormats: [...type.renderFormats],
  };
  if (spec.files) summary.files = mountPath;
  return summary;
}
