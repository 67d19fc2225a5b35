import type { z } from 'zod';
import type { CredentialProblem } from './credentialInfo.js';

/**
 * Turn zod issues into credential problems. Messages name keys and rules only: zod's own default
 * messages can quote input, so every message here is written from the issue's code and path.
 */
export function problemsFromZod(typeName: string, issues: readonly z.core.$ZodIssue[], allowedKeys: readonly string[]): CredentialProblem[] {
  const problems: CredentialProblem[] = [];
  for (const issue of issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : undefined;
    if (issue.code === 'unrecognized_keys') {
      for (const unknown of issue.keys) {
        problems.push({ key: unknown, rule: 'unknown-key', message: `unknown key "${unknown}": type ${typeName} accepts ${allowedKeys.join(', ')}` });
      }
    } else if (issue.code === 'invalid_type' && key !== undefined) {
      problems.push({ key, rule: 'missing-key', message: `missing required key "${key}" for type ${typeName}` });
    } else if (issue.code === 'too_small' && key !== undefined) {
      problems.push({ key, rule: 'empty-value', message: `key "${key}" is empty; give it a value` });
    } else if (issue.code === 'custom') {
      const rule = typeof issue.params?.['rule'] === 'string' ? issue.params['rule'] : 'invalid';
      problems.push(key === undefined ? { rule, message: issue.message } : { key, rule, message: issue.message });
    } else {
      problems.push(key === undefined ? { rule: 'invalid', message: `type ${typeName}: invalid data` } : { key, rule: 'invalid', message: `key "${key}" is invalid` });
    }
  }
  return problems;
}
