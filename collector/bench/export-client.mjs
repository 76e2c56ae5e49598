/**
 * The export benchmark's client, run as a process of its own so the collector's CPU time and RSS
 * are the collector's alone (in the benchmark's process the client's HTTP parsing and line
 * counting shared the collector's event loop and were counted as its CPU). Streams one export to
 * the end and prints, as JSON: lines, bytes, ms from request to last byte, and its own CPU ms.
 *
 *   node bench/export-client.mjs <url> <api key>
 */
import { request } from 'node:http';

const [url, key] = process.argv.slice(2);
const started = performance.now();
let lines = 0;
let bytes = 0;
request(url, { headers: { 'X-API-Key': key } }, (res) => {
  if (res.statusCode !== 200) {
    console.error(`export answered ${res.statusCode}`);
    process.exit(1);
  }
  res.on('data', (chunk) => {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  });
  res.on('end', () => {
    const cpu = process.cpuUsage();
    console.log(JSON.stringify({ lines, bytes, ms: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 }));
  });
})
  .on('error', (err) => {
    console.error(err.message);
    process.exit(1);
  })
  .end();
