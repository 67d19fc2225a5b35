import { describe, expect, it } from 'vitest';
import { renderPgpass } from '../../../src/agent/render/pgpass.js';
import { golden, plannedOutput, renderPlanned, secretFiles, withKeys } from './fixtures.js';

describe('renderPgpass', () => {
  it.each([
    ['pgpass-generic', 'every field from keys, ":" and "\\" escaped'],
    ['pgpass-password', 'host from the annotation, port and database "*"'],
  ])('renders %s (%s) like the golden file', (fixture) => {
    const result = renderPlanned(renderPgpass, fixture, 'pgpass');
    if (!result.ok) throw new Error(result.message);
    expect(result.content).toBe(golden(`${fixture}.pgpass`, result.content));
  });

  it('plans the file owner-only: libpq ignores a password file group or others can read', () => {
    expect(plannedOutput('pgpass-password', 'pgpass').mode).toBe(0o400);
  });

  it('writes an IPv6 host without brackets and escapes its colons, as libpq compares it', () => {
    const settings = plannedOutput('pgpass-generic', 'pgpass');
    const result = renderPgpass(withKeys(secretFiles('pgpass-generic'), { host: '[fd00::1]' }), settings.credential, settings);
    expect(result.ok && result.content).toMatch(/^fd00\\:\\:1:5433:features:trainer:/);
  });

  const files = secretFiles('pgpass-generic');
  const settings = plannedOutput('pgpass-generic', 'pgpass');
  it.each([
    ['the port is not a number', withKeys(files, { port: 'FAKE' }), 'key "port" must be a port number from 1 to 65535'],
    ['the port is out of range', withKeys(files, { port: '65536' }), 'key "port" must be a port number from 1 to 65535'],
    ['the host key also has a port', withKeys(files, { host: 'db.example.test:5432' }), 'the port is set twice, in key "host" and by key "port"'],
    ['the database spans lines', withKeys(files, { database: 'FAKE\n*' }), 'key "database" must be a single line'],
    ['the password is missing', withKeys(files, { password: undefined }), 'missing key "password"'],
  ])('fails when %s, quoting no value', (_case, changed, message) => {
    expect(renderPgpass(changed, settings.credential, settings)).toEqual({ ok: false, message });
  });
});
