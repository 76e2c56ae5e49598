import type { KeyValueStorage } from './types';
import { uuid } from './ids';

const SID = 'wm_sid';
const CID = 'wm_cid';
/** Last activity is written at most this often (and at flush), never per event. */
const SAVE_EVERY = 5000;

/** A session as persisted: `<id> <lastActivity> <start>`. */
interface Stored {
  id: string;
  last: number;
  start: number;
}

const read = (st: KeyValueStorage): Stored | null => {
  const [id, last, start] = (st.get(SID) || '').split(' ');
  return id && +last! >= 0 && +start! >= 0 ? { id, last: +last!, start: +start! } : null;
};

/**
 * Session and client ids. The session lives in storage so that reloads within it keep the id,
 * and ends after `timeout` ms of inactivity. The last activity is cached in memory.
 */
export function createSession(st: KeyValueStorage, timeout: number) {
  let cid = '';
  let cur: Stored | null = null;
  let saved = 0;

  const save = (t = cur && cur.last) => {
    if (!cur || t == null) return;
    saved = t;
    st.set(SID, cur.id + ' ' + cur.last + ' ' + cur.start);
  };

  return {
    get id() {
      return cur ? cur.id : '';
    },
    get clientId() {
      if (!cid) {
        cid = st.get(CID) || uuid();
        st.set(CID, cid);
      }
      return cid;
    },
    /**
     * Records activity at `t`. Returns null while the session goes on, or, when it had to begin
     * (first use, or after inactivity), the session that ended (possibly from an earlier page)
     * as `{ ended }`, where `ended` is undefined when there was none.
     */
    touch(t: number): { ended?: Stored } | null {
      if (cur && t - cur.last <= timeout) {
        cur.last = t;
        if (t - saved > SAVE_EVERY) save(t);
        return null;
      }
      // rare path: another tab, or an earlier page, may have kept the session alive
      const s = read(st);
      if (s && t - s.last <= timeout) {
        cur = s;
        s.last = t;
        save(t);
        return null;
      }
      const ended = cur || s || undefined;
      cur = { id: uuid(), last: t, start: t };
      save(t);
      return { ended };
    },
    save: () => save(),
  };
}
