/** Kubernetes name rules, written once (apimachinery's IsDNS1123Label / IsDNS1123Subdomain). */

const labelPattern = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
/** A DNS-1123 label pattern: volume names, container names, label-key names. */
export const dnsLabel = new RegExp(`^${labelPattern}$`);
/** A DNS-1123 subdomain pattern: Secret names, label-key prefixes, host names. */
export const dnsSubdomain = new RegExp(`^${labelPattern}(\\.${labelPattern})*$`);

/** A DNS-1123 label: at most 63 characters. */
export function isDnsLabel(text: string): boolean {
  return text.length <= 63 && dnsLabel.test(text);
}

/** A DNS-1123 subdomain: at most 253 characters, e.g. the name of a Secret. */
export function isDnsSubdomain(text: string): boolean {
  return text.length <= 253 && dnsSubdomain.test(text);
}
