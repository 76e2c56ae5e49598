// An adapter for the peer benchmark (`../shared/bench-peers`): the floor of Waymark's batch format
// (`../format-floor.mjs`), what the format itself costs in that harness.
//   node "$B/track-cost.mjs" "$PWD/packages/core/bench/peers/format-floor.mjs" --runs 5   # from the project root (an absolute path)
import { createFormatFloor } from '../format-floor.mjs';

export const meta = { name: 'format-floor', version: '-' };

export async function setup({ endpoint }) {
  const url = `${endpoint}/api/ingest`;
  const floor = createFormatFloor({
    post: (body) => fetch(url, { method: 'POST', body }),
    location: () => ({ url: location.href }),
    context: { language: 'en-US', deviceClass: 'desktop', orgKey: 'bench', journeyKey: 'bench', env: 'prod' },
  });
  return { track: floor.track, flushAfterLoop: floor.flush };
}

export function countEvents(url, text) {
  if (!url.includes('/api/ingest')) return 0;
  try {
    return JSON.parse(text).events.filter((e) => e && e._tag).length;
  } catch {
    return 0;
  }
}
export const respond = () => ({ status: 204, body: '' });
