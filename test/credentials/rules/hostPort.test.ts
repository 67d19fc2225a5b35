import { describe, expect, it } from 'vitest';
import { parseHostPort } from '../../../src/credentials/rules/hostPort.js';

describe('parseHostPort', () => {
  it.each([
    ['api.wandb.ai', { host: 'api.wandb.ai' }],
    ['DB.Example.com:5432', { host: 'DB.Example.com', port: '5432' }],
    ['10.0.0.7:05432', { host: '10.0.0.7', port: '5432' }],
    ['[fd00::1]:5432', { host: '[fd00::1]', port: '5432' }],
    ['[fd00::1]', { host: '[fd00::1]' }],
    [' huggingface.co ', { host: 'huggingface.co' }],
  ])('reads %j', (text, expected) => {
    expect(parseHostPort(text)).toEqual(expected);
  });

  it.each(['', 'https://api.wandb.ai', 'user@db.example.com', 'db.example.com/path', 'db.example.com:0', 'db.example.com:65536', 'db.example.com:', 'fd00::1', 'a b', '-db.example.com', 'db_1.example.com'])(
    'refuses %j',
    (text) => {
      expect(parseHostPort(text)).toBeUndefined();
    },
  );
});
