import { z } from 'zod';
import type { CredentialType } from '../credentialType.js';
import { rcloneRemote } from '../rules/rcloneKeys.js';

export const rclone: CredentialType = {
  name: 'rclone',
  schema: z.record(z.string(), z.string()),
  checkValues: (data) => rcloneRemote(Object.keys(data)).problems,
  envFromKeys: true,
  envPrefix: false,
  renderFormats: ['rclone-conf', 'env-file', 'template'],
  inject: ({ credential }) => ({ env: credential.keys.map((key) => ({ name: key, key })) }),
};
