import type { AccessDenial } from './snapshot.js';

/** What the page says about a namespace (or `*`, the cluster-wide lists) the user's RBAC refused. */
export interface AccessNotice {
  namespace: string;
  resources: string[];
  /** A sentence saying what is missing from the page because of it. */
  text: string;
}

function consequence(resources: readonly string[]): string {
  const parts: string[] = [];
  if (resources.includes('secrets')) parts.push('its credentials are not shown');
  if (resources.includes('namespaces')) parts.push('copies of cluster credentials that are missing cannot be told');
  const users = resources.filter((resource) => resource !== 'secrets' && resource !== 'namespaces');
  if (users.length > 0) parts.push(`"In use" leaves out ${users.join(', ')}`);
  return parts.join('; ');
}

/**
 * One notice per namespace, its refused resources sorted; `*` (cluster-wide) first. The API
 * server's message is kept in the detail only; the sentence says what the page lacks.
 */
export function accessNotices(denied: readonly AccessDenial[]): AccessNotice[] {
  const byNamespace = new Map<string, Set<string>>();
  for (const denial of denied) {
    const resources = byNamespace.get(denial.namespace) ?? new Set<string>();
    resources.add(denial.resource);
    byNamespace.set(denial.namespace, resources);
  }
  return [...byNamespace]
    .map(([namespace, set]) => {
      const resources = [...set].sort();
      const where = namespace === '*' ? 'across all namespaces' : `in namespace ${namespace}`;
      return { namespace, resources, text: `forbidden to list ${resources.join(', ')} ${where}: ${consequence(resources)}` };
    })
    .sort((a, b) => (a.namespace === '*' ? -1 : b.namespace === '*' ? 1 : a.namespace < b.namespace ? -1 : 1));
}
