import { describe, expect, it } from 'vitest';
import { staticCredentials } from '../../src/credentials/staticCredentials.js';
import { defaultInjectionOptions } from '../../src/engine/options.js';
import { planAdmission } from '../../src/engine/planAdmission.js';
import { podRequesting } from '../fixtures/pods.js';
import { credentialSecret, exampleSecrets } from '../fixtures/secrets.js';

const credentials = staticCredentials(exampleSecrets(), 'default');
const plan = (annotations: Record<string, string>, lookup = credentials) =>
  planAdmission({ object: podRequesting(undefined, { annotations }), namespace: 'default', operation: 'CREATE' }, lookup, defaultInjectionOptions);

describe('overrides a credential type ignores', () => {
  it('warns that env-prefix.credinject.dev/<aws credential> changes nothing, and injects', () => {
    const decision = plan({ 'credinject.dev/inject': 'aws-s3', 'env-prefix.credinject.dev/aws-s3': 'PROD_' });
    expect(decision.denial).toBeUndefined();
    expect(decision.warnings).toEqual(['env-prefix.credinject.dev/aws-s3 is ignored: type aws takes no env prefix']);
  });

  it('warns that a mount path for a credential that mounts nothing changes nothing', () => {
    const decision = plan({ 'credinject.dev/inject': 'hf-token', 'mount-path.credinject.dev/hf-token': '/etc/hf' });
    expect(decision.warnings).toEqual(['mount-path.credinject.dev/hf-token is ignored: credential "hf-token" (type huggingface) mounts no files here']);
  });

  it('says nothing about overrides the type uses', () => {
    const decision = plan({ 'credinject.dev/inject': 'minio, gcp-sa', 'env-prefix.credinject.dev/minio': 'S3_', 'mount-path.credinject.dev/gcp-sa': '/etc/gcp' });
    expect(decision.denial).toBeUndefined();
    expect(decision.warnings).toEqual([]);
  });
});

describe('an env prefix a Secret was admitted with before it was checked', () => {
  it('denies its users naming the prefix, not telling them to rename a key', () => {
    const secret = credentialSecret('s3', 'access-key', { access_key_id: 'a', secret_access_key: 'b' }, { metadata: { annotations: { 'credinject.dev/env-prefix': 'A=B' } } });
    const denial = plan({ 'credinject.dev/inject': 's3' }, staticCredentials([secret], 'default')).denial;
    expect(denial?.message).toContain('credential "s3" is invalid: annotation credinject.dev/env-prefix must be a valid env var prefix');
    expect(denial?.message).not.toContain('rename the key');
  });
});
