// The review the peer benchmark sends to every server: the admission benchmark's Pod
// (bench/admissionReview.mjs) with, beside credinject's annotation, the annotations a Vault user
// writes for the same four credentials, so vault-k8s really injects (an init container, a sidecar,
// a shared memory volume, one rendered file per secret) while credinject answers what it answers
// in the admission benchmark. Same bytes to all servers; every value is fake.
import jsonPatch from 'fast-json-patch'; // CommonJS: named imports fail under Node ESM
import { credentialNames, namespace, review, reviewUid } from '../admissionReview.mjs';

const vaultAnnotations = {
  'vault.hashicorp.com/agent-inject': 'true',
  'vault.hashicorp.com/role': 'trainer',
  ...Object.fromEntries(credentialNames.map((name) => [`vault.hashicorp.com/agent-inject-secret-${name}`, `secret/data/${namespace}/${name}`])),
  // One rendered like a real AWS credentials file, the others in vault-k8s's default format.
  'vault.hashicorp.com/agent-inject-template-aws-s3':
    '{{- with secret "secret/data/bench/aws-s3" -}}\n[default]\naws_access_key_id={{ .Data.data.access_key_id }}\naws_secret_access_key={{ .Data.data.secret_access_key }}\n{{- end }}\n',
};

export function peerReview() {
  const r = review();
  Object.assign(r.request.object.metadata.annotations, vaultAnnotations);
  return r;
}

/** Checks vault-k8s's answer is a real injection (its agent init container and sidecar). */
export function verifyVaultAnswer(status, body) {
  if (status !== 200) throw new Error(`vault-k8s answered ${status}: ${body.toString().slice(0, 300)}`);
  const { response } = JSON.parse(body.toString());
  if (response?.uid !== reviewUid) throw new Error('vault-k8s answered another uid');
  if (response.allowed !== true) throw new Error(`vault-k8s denied the bench pod: ${response.status?.message ?? response.result?.message}`);
  if (typeof response.patch !== 'string') throw new Error('vault-k8s answered without a patch');
  const operations = JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8'));
  const patched = jsonPatch.applyPatch(peerReview().request.object, operations, true, false).newDocument;
  const names = (list) => (list ?? []).map((c) => c.name);
  if (!names(patched.spec.initContainers).includes('vault-agent-init') || !names(patched.spec.containers).includes('vault-agent')) {
    throw new Error('vault-k8s did not add its vault-agent-init and vault-agent containers');
  }
  return `${operations.length} patch operations (vault-agent-init and vault-agent added), answer ${body.length} bytes`;
}
