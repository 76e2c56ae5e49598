// the time part of the current ms, its counter and its random tail
let ms = -1;
let pre = '';
let tail = '';
let n = 0;

/** Starts millisecond `t`: the time prefix is formatted and the random bits drawn once for it. */
function seed(t: number) {
  const [a, b] = crypto.getRandomValues(new Uint32Array(2));
  // the variant (10xx) tops the random half; the counter starts at a random value below 0x800,
  // leaving it room to count
  const h = ((a! >>> 2) + 2 ** 31).toString(16) + (b! + 2 ** 32).toString(16).slice(1);
  tail = '-' + h.slice(0, 4) + '-' + h.slice(4);
  n = a! & 2047;
  const x = '0' + (ms = t).toString(16);
  pre = x.slice(0, 8) + '-' + x.slice(8) + '-7';
}

/**
 * A monotonic UUID v7 (RFC 9562, method 1): 48 bits of ms, then a 12-bit counter inside the ms,
 * then 62 random bits drawn once per ms. Ids made later sort later, also within one ms and when
 * the clock steps back (the counter keeps counting; on overflow it borrows the next ms), so the
 * collector's id indexes grow at their end. One random draw per ms instead of one per id: that
 * draw is what made ids the most expensive part of `track()`. Tabs and processes that share a ms
 * still differ in their random bits and counter seed.
 */
export function uuid(): string {
  const t = Date.now();
  if (t > ms) seed(t);
  else if (++n > 4095) seed(ms + 1);
  return pre + (n + 4096).toString(16).slice(1) + tail;
}
