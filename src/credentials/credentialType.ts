import type { z } from 'zod';
import type { RenderFormat } from '../contract/agentPlan.js';
import type { CredentialInfo, CredentialProblem } from './credentialInfo.js';

/** An env var the credential sets: from one of its keys, or a fixed value (e.g. a file path). */
export type EnvSource = { name: string; key: string } | { name: string; value: string };

/**
 * Files the credential puts in its mount directory: which keys (all when omitted), and who may read
 * them. `owner-only` is 0400 (ssh refuses anything wider); `readable` lets a non-root app read them.
 */
export interface FileSpec {
  keys?: string[];
  access: 'owner-only' | 'readable';
  /** Keys that stay owner-only (0400) whatever `access` says: a private key beside its certificates. */
  ownerOnlyKeys?: string[];
}

/** What one credential contributes to a container and its pod, before conflicts are checked. */
export interface InjectionSpec {
  env: EnvSource[];
  files?: FileSpec;
  imagePullSecret?: boolean;
}

/** The settings an injection is made with, resolved from pod and Secret annotations. */
export interface InjectionContext {
  credential: CredentialInfo;
  /** Directory for file-style injection, always absolute. */
  mountPath: string;
  /** Explicit mount path from an annotation (pod or Secret); absent when the default applies. */
  explicitMountPath: boolean;
  envPrefix: string;
  /** The agent renders files of this credential: the mount path is then where they appear. */
  rendered: boolean;
}

/** One credential type (docs/reference.md, "Credential types"): its data contract and its default injection. */
export interface CredentialType {
  name: string;
  /** Shape of the decoded values (UTF-8 text): required, optional and, for closed types, no other keys. */
  schema: z.ZodType;
  /** The Secret `type` this credential must have, when the type demands one. */
  secretType?: string;
  /** Value checks beyond the shape (PEM, JSON, URLs, conflicts); may look at the Secret's annotations. */
  checkValues?(data: Readonly<Record<string, string>>, annotations: Readonly<Record<string, string>>): CredentialProblem[];
  /**
   * The default injection sets env from the Secret's keys, so an env mapping (`credinject.dev/env`,
   * `env.credinject.dev/<credential>`) may choose and rename them; other types set no env from keys.
   */
  envFromKeys?: true;
  /** Whether `env-prefix` annotations apply. */
  envPrefix: boolean;
  /** Default mount directory when no annotation sets one. */
  defaultMountPath?(credentialName: string): string;
  /** Formats the agent can render from this type; the first of `defaultRender` is always rendered. */
  renderFormats: readonly RenderFormat[];
  defaultRender?: RenderFormat;
  inject(context: InjectionContext): InjectionSpec;
}
