/**
 * The load process: keep-alive connections posting batches of 20 valid events (unique ids, so
 * the collector stores every one) for a fixed time; prints one JSON line with the results.
 * Usage: load.ts <url> <seconds> <connections> <warmupSeconds>
 * Event and session ids are what the SDKs send: `uuid()` of @waymark/core (UUID v7, time-ordered).
 * `BENCH_IDS=v4`: random v4 UUIDs instead (other clients, SDKs before v7), which touch a random
 * page of the id indexes per event; `BENCH_IDS=seq`: `b<run>_<n>_<i>`, next to each other.
 */
import { Agent, request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { uuid } from '@waymark/core';

const [url, seconds = '4', conns = '16', warmup = '1'] = process.argv.slice(2);
const agent = new Agent({ keepAlive: true, maxSockets: Number(conns) });
const BATCH = 20;
const run = `${process.pid.toString(36)}${Date.now().toString(36)}`;
const ids = process.env.BENCH_IDS ?? 'sdk';
if (!['sdk', 'v4', 'seq'].includes(ids)) throw new Error(`BENCH_IDS must be sdk, v4 or seq, not ${ids}`);
const newId = (seq: string) => (ids === 'sdk' ? uuid() : ids === 'v4' ? randomUUID() : seq);
let n = 0;

function body(): string {
  const k = n++;
  const ts = new Date().toISOString();
  const sessionId = newId(`s${run}_${k}`);
  const events = [];
  for (let i = 0; i < BATCH; i++) {
    events.push({
      _tag: i === 0 ? 'session_start' : 'step_view',
      schemaVersion: 1,
      id: newId(`b${run}_${k}_${i}`),
      ts,
      orgKey: 'bench',
      journeyKey: 'checkout',
      sessionId,
      clientId: `c${k % 1000}`,
      url: 'https://shop.example.com/checkout/payment',
      embedVersion: '1.0.0',
      ...(i === 0 ? {} : { stepKey: `step-${i % 6}` }),
    });
  }
  return JSON.stringify({ schemaVersion: 1, context: { orgKey: 'bench', journeyKey: 'checkout', language: 'en-US', deviceClass: 'desktop' }, events });
}

function post(b: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(`${url}/api/ingest`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(b) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(b);
  });
}

const latencies: number[] = [];
let ok = 0;
let failed = 0;
let measuring = false;
const start = Date.now();
const warmEnd = start + Number(warmup) * 1000;
const end = warmEnd + Number(seconds) * 1000;
let measuredFrom = 0;

async function loop() {
  while (Date.now() < end) {
    const b = body();
    const t0 = performance.now();
    const status = await post(b);
    const dt = performance.now() - t0;
    if (!measuring && Date.now() >= warmEnd) {
      measuring = true;
      measuredFrom = performance.now();
    }
    if (!measuring) continue;
    if (status === 204) {
      ok++;
      latencies.push(dt);
    } else failed++;
  }
}
await Promise.all(Array.from({ length: Number(conns) }, loop));
const elapsed = (performance.now() - measuredFrom) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
agent.destroy();
process.stdout.write(
  `${JSON.stringify({ requests: ok, failed, seconds: elapsed, requestsPerSec: ok / elapsed, eventsPerSec: (ok * BATCH) / elapsed, p50ms: pct(50), p99ms: pct(99) })}\n`,
);
