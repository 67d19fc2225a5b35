import { X509Certificate } from 'node:crypto';
import { connect } from 'node:tls';

/** SHA-256 fingerprint of the certificate a fresh TLS handshake to 127.0.0.1:port presents. */
export function presentedFingerprint(port: number, ca: string, servername = 'localhost'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca, servername }, () => {
      const fingerprint = socket.getPeerX509Certificate()?.fingerprint256 ?? '';
      socket.end();
      resolve(fingerprint);
    });
    socket.on('error', reject);
  });
}

export const fingerprintOf = (pem: string): string => new X509Certificate(pem).fingerprint256;
