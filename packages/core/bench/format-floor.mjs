// The floor of Waymark's batch format, shared by `delivery.mjs` and the peer-benchmark adapter
// `peers/format-floor.mjs`: events with the same fields and lengths as the tracker's (ids and times
// made as cheaply as possible), sent in batches of 145 as they fill, each body kept until its answer
// (a lossless SDK must keep it: a failed send needs it again), and nothing else: no options,
// sessions, retries or store. What the tracker costs beyond this is its own.

/**
 * `post(body)` sends one body and settles when it is answered; `location()` gives the page's
 * `{ url, referrer }`; `context` is the batch context.
 */
export function createFormatFloor({ post, location, context }) {
  const sid = '01a232ef-7f16-7783-8dd6-4fe093fa9566';
  const cid = '01a232ef-7f17-7363-92c7-00d8b6bbb364';
  const pre = new Date().toISOString().slice(0, 20);
  const held = new Set();
  let q = [];
  let n = 0;
  const send = () => {
    const body = JSON.stringify({ schemaVersion: 1, context, events: q });
    q = [];
    held.add(body);
    post(body).then(() => held.delete(body), () => {});
  };
  return {
    track(name, props) {
      const p = {};
      for (const k in props) p[k] = props[k];
      const l = location();
      n++;
      q.push({ _tag: name, schemaVersion: 1, id: '01a232ef-7f17-7362-92c7-' + (1e11 + n), ts: pre + ((n % 1000) + 1000 + 'Z').slice(1), orgKey: 'bench', journeyKey: 'bench', sessionId: sid, clientId: cid, url: l.url, referrer: l.referrer, embedVersion: '0.1.0', props: p });
      if (q.length >= 145) send();
    },
    flush: () => q.length && send(),
  };
}
