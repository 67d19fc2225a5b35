import { setFlagsFromString } from 'node:v8';

/**
 * Turns off V8's allocation-site pretenuring for the webhook server. Under a steady stream of
 * reviews V8 sees a request's objects survive a scavenge (they are in flight when it runs) and
 * starts allocating them straight into old space, where they die: about 1 MB promoted per
 * scavenge, old space growing 20 MB/s, a 4 ms scavenge and a 10 ms mark-compact every two
 * seconds. Without it a scavenge promotes ~70 KB and takes under 1 ms, and a review costs ~10 %
 * less CPU (bench/heapFlags.mjs, issue 17). V8 reads the flag at every GC, so setting it at run
 * time is safe (the agent sets its tier-up flags the same way); GC threading flags are not.
 */
export function stopPretenuring(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}
