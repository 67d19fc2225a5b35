import { describe, expect, it } from 'vitest';
import { describeCredential } from '../../src/credentials/describeCredential.js';
import { loginSource } from '../../src/credentials/loginSource.js';
import { credentialSecret } from '../fixtures/secrets.js';

const credential = (data: Record<string, string>, annotations: Record<string, string> = {}) =>
  describeCredential(credentialSecret('c', 'generic', data, { metadata: { annotations } }));

describe('loginSource', () => {
  it('finds the password key, then the token key, and the host key, from key names only', () => {
    expect(loginSource(credential({ host: 'h', password: 'p', token: 't', username: 'u' }), true)).toEqual({
      source: { passwordKey: 'password', hostKey: 'host', usernameKey: 'username' },
    });
    expect(loginSource(credential({ host: 'h', token: 't' }), true)).toEqual({ source: { passwordKey: 'token', hostKey: 'host' } });
  });

  it('takes the host and the password key from the annotations', () => {
    expect(loginSource(credential({ WANDB_API_KEY: 'k' }, { 'credinject.dev/host': ' api.wandb.ai ', 'credinject.dev/password-key': 'WANDB_API_KEY' }), true)).toEqual({
      source: { passwordKey: 'WANDB_API_KEY', host: 'api.wandb.ai' },
    });
  });

  it('names port and database keys only where a host is needed (pgpass), not for a token file', () => {
    const full = credential({ host: 'h', port: '5432', database: 'd', username: 'u', password: 'p' });
    expect(loginSource(full, true)).toEqual({ source: { passwordKey: 'password', hostKey: 'host', usernameKey: 'username', portKey: 'port', databaseKey: 'database' } });
    expect(loginSource(full, false)).toEqual({ source: { passwordKey: 'password', usernameKey: 'username' } });
  });

  it('says what is missing, and how to add it', () => {
    expect(loginSource(credential({ API_KEY: 'k' }), true)).toEqual({
      missing: [
        'a password or token: key "password" or "token", or annotation credinject.dev/password-key naming the key',
        'a host: key "host" or annotation credinject.dev/host (e.g. "api.wandb.ai")',
      ],
    });
    expect(loginSource(credential({ token: 't' }), true)).toEqual({ missing: ['a host: key "host" or annotation credinject.dev/host (e.g. "api.wandb.ai")'] });
    expect(loginSource(credential({ token: 't' }), false)).toEqual({ source: { passwordKey: 'token' } });
  });
});
