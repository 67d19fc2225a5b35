import { describe, expect, it } from 'vitest';
import { staticCredentials } from '../../src/credentials/staticCredentials.js';
import { defaultInjectionOptions } from '../../src/engine/options.js';
import { planAdmission } from '../../src/engine/planAdmission.js';
import { podRequesting } from '../fixtures/pods.js';
import { credentialSecret, exampleSecrets } from '../fixtures/secrets.js';

const extra = [credentialSecret('tools', 'generic', { KUBECONFIG: '/x' }), credentialSecret('minio-b', 'access-key', { access_key_id: 'a', secret_access_key: 'b' })];
const credentials = staticCredentials([...exampleSecrets(), ...extra], 'default');
const denialOf = (inject: string) =>
  planAdmission({ object: podRequesting(inject), namespace: 'default', operation: 'CREATE' }, credentials, defaultInjectionOptions).denial?.message;

describe('two credentials setting one env var', () => {
  it('suggests no env-prefix when neither type takes one (kubernetes and oci both set KUBECONFIG)', () => {
    const message = denialOf('prod-cluster, oke-cluster');
    expect(message).toBe('credentials "prod-cluster" and "oke-cluster" both set KUBECONFIG in container "app"; inject only one of them');
  });

  it('names the override that works when one type takes a prefix', () => {
    expect(denialOf('prod-cluster, tools')).toBe(
      'credentials "prod-cluster" and "tools" both set KUBECONFIG in container "app"; inject only one, or set env-prefix.credinject.dev/tools',
    );
  });

  it('names both overrides when both types take a prefix', () => {
    const secret = credentialSecret('minio-a', 'access-key', { access_key_id: 'a', secret_access_key: 'b' });
    const lookup = staticCredentials([secret, ...extra], 'default');
    const denial = planAdmission({ object: podRequesting('minio-a, minio-b'), namespace: 'default', operation: 'CREATE' }, lookup, defaultInjectionOptions).denial;
    expect(denial?.message).toContain('inject only one, or set env-prefix.credinject.dev/minio-a or env-prefix.credinject.dev/minio-b');
  });

  it('injects both once the suggested override is set', () => {
    const pod = podRequesting('prod-cluster, tools', { annotations: { 'env-prefix.credinject.dev/tools': 'TOOLS_' } });
    expect(planAdmission({ object: pod, namespace: 'default', operation: 'CREATE' }, credentials, defaultInjectionOptions).denial).toBeUndefined();
  });
});
