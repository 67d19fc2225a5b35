/** What the mirror controller reports; implemented by the server's metrics (server/metrics.ts). */
export interface MirrorMetrics {
  countMirrorWrite(operation: 'create' | 'update' | 'rehash' | 'delete', result: string): void;
  setMirrorConflicts(count: number): void;
  setMirrorLeader(leading: boolean): void;
}
