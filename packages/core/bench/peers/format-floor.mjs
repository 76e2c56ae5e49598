// An adapter for the peer benchmark (`../shared/bench-peers`): the floor of Waymark's batch format.
// Events with the same fields and lengths as the npm entry's (ids and times made as cheaply as
// possible), sent in batches of 145 as they fill, each body kept until its answer (a lossless SDK
// must keep it: a failed send needs it again), nothing else: no options, sessions, retries or store.
// What Waymark costs beyond this is its own; this is what the format itself costs in that harness.
//   node "$B/track-cost.mjs" "$PWD/packages/core/bench/peers/format-floor.mjs" --runs 5   # from the project root (an absolute path)
export const meta = { name: 'format-floor', version: '-' };

export async function setup({ endpoint }) {
  const url = `${endpoint}/api/ingest`;
  const sid = '01a232ef-7f16-7783-8dd6-4fe093fa9566';
  const cid = '01a232ef-7f17-7363-92c7-00d8b6bbb364';
  const context = { language: 'en-US', deviceClass: 'desktop', orgKey: 'bench', journeyKey: 'bench', env: 'prod' };
  const pre = new Date().toISOString().slice(0, 20);
  const held = new Set();
  let q = [];
  let n = 0;
  const send = () => {
    const body = JSON.stringify({ schemaVersion: 1, context, events: q });
    q = [];
    held.add(body);
    fetch(url, { method: 'POST', body }).then(() => held.delete(body), () => {});
  };
  return {
    track(name, props) {
      const p = {};
      for (const k in props) p[k] = props[k];
      n++;
      q.push({ _tag: name, schemaVersion: 1, id: '01a232ef-7f17-7362-92c7-' + (1e11 + n), ts: pre + ((n % 1000) + 1000 + 'Z').slice(1), orgKey: 'bench', journeyKey: 'bench', sessionId: sid, clientId: cid, url: location.href, embedVersion: '0.1.0', props: p });
      if (q.length >= 145) send();
    },
    flushAfterLoop: () => q.length && send(),
  };
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
