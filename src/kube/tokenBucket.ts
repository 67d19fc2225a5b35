/**
 * client-go's default client-side rate limit (qps 5, burst 10) as a token bucket: `burst` writes
 * at once, then `qps` per second. `delayMs` is pure over the clock; `take` waits for a token.
 */
export interface TokenBucket {
  /** How long until a token is free (0: now), without taking it. */
  delayMs(): number;
  /** Waits until a token is free and takes it; resolves false when `stopped()` turned true meanwhile. */
  take(stopped?: () => boolean): Promise<boolean>;
}

export interface TokenBucketOptions {
  qps: number;
  burst: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export function createTokenBucket(options: TokenBucketOptions): TokenBucket {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref()));
  let tokens = options.burst;
  let refilledAt = now();
  const refill = (): void => {
    const at = now();
    tokens = Math.min(options.burst, tokens + ((at - refilledAt) / 1000) * options.qps);
    refilledAt = at;
  };
  const delayMs = (): number => {
    refill();
    return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) / options.qps) * 1000);
  };
  return {
    delayMs,
    async take(stopped = () => false) {
      for (let wait = delayMs(); wait > 0; wait = delayMs()) {
        if (stopped()) return false;
        await sleep(wait);
      }
      if (stopped()) return false;
      tokens -= 1;
      return true;
    },
  };
}
