import { z } from 'zod';
import type { CredentialType } from '../credentialType.js';
import { clusterAccessProblems } from '../rules/clusterAccess.js';

const shape = z.strictObject({
  server: z.string().min(1),
  ca_certificate: z.string().min(1),
  token: z.string().optional(),
  client_certificate: z.string().optional(),
  client_key: z.string().optional(),
});

function clusterType(name: string): CredentialType {
  return {
    name,
    schema: shape,
    checkValues: (data) => clusterAccessProblems(name, data),
    envPrefix: false,
    renderFormats: ['kubeconfig', 'template'],
    defaultRender: 'kubeconfig',
    // Nothing from the Secret reaches the app directly: the agent renders the kubeconfig.
    inject: () => ({ env: [] }),
  };
}

export const kubernetes = clusterType('kubernetes');
/** Oracle Cloud (OKE) cluster credentials: the same contract as `kubernetes`. */
export const oci = clusterType('oci');
