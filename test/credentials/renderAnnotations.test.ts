import { describe, expect, it } from 'vitest';
import { validateCredential } from '../../src/credentials/validateCredential.js';
import { credentialSecret } from '../fixtures/secrets.js';

const login = (annotations: Record<string, string>, data: Record<string, string> = { username: 'u', password: 'p' }, type = 'password') =>
  credentialSecret('db', type, data, { metadata: { annotations } });

describe('the login annotations on a credential Secret', () => {
  it.each(['api.wandb.ai', 'db.example.com:5432', '10.0.0.7', '[fd00::1]:5432'])('accepts the host %j', (host) => {
    expect(validateCredential(login({ 'credinject.dev/host': host }))).toEqual([]);
  });

  it.each(['https://api.wandb.ai', 'user@db.example.com', 'db.example.com/x', 'db.example.com:99999'])('refuses the host %j without quoting it', (host) => {
    const problems = validateCredential(login({ 'credinject.dev/host': host }));
    expect(problems).toEqual([{ rule: 'bad-host', message: expect.stringContaining('annotation credinject.dev/host must be a host name or address with an optional :port') }]);
    expect(JSON.stringify(problems)).not.toContain(host);
  });

  it('refuses a host set twice, by key and by annotation', () => {
    const problems = validateCredential(login({ 'credinject.dev/host': 'a.example.com' }, { host: 'b.example.com', TOKEN: 't' }, 'generic'));
    expect(problems).toEqual([{ key: 'host', rule: 'conflict', message: 'the host is set twice, by key "host" and by annotation credinject.dev/host; keep one' }]);
  });

  it('accepts a password key the Secret has, and refuses one it lacks', () => {
    expect(validateCredential(login({ 'credinject.dev/password-key': 'WANDB_API_KEY' }, { WANDB_API_KEY: 'k' }, 'generic'))).toEqual([]);
    expect(validateCredential(login({ 'credinject.dev/password-key': 'API_KEY' }, { WANDB_API_KEY: 'k' }, 'generic'))).toEqual([
      { rule: 'unknown-key', message: 'annotation credinject.dev/password-key names key "API_KEY", which the Secret does not have' },
    ]);
  });
});
