/**
 * The collector's health on every page: `/health` is read with each render, and while it is not
 * `ok` a banner says what is wrong (the problems' own messages, as text). The banner lives outside
 * the re-rendered app and changes only when the health does, so a screen reader announces a
 * change once, not on every refresh.
 */
import { el } from './dom';

type Status = 'ok' | 'degraded' | 'failing' | 'unreachable';

const TITLES: Record<Exclude<Status, 'ok'>, string> = {
  degraded: 'The collector is degraded: figures are served, but something needs an admin.',
  failing: 'The collector is failing: figures may be behind or missing.',
  unreachable: 'The collector does not answer: figures cannot be read.',
};

async function read(): Promise<{ status: Status; problems: string[] }> {
  try {
    const res = await fetch('/health', { cache: 'no-store' });
    const body = await res.json().catch(() => ({}));
    if (body?.status === 'ok' && res.ok) return { status: 'ok', problems: [] };
    if (body?.status === 'degraded' || body?.status === 'failing') {
      const problems = Array.isArray(body.problems) ? body.problems.map((p: { message?: unknown }) => String(p?.message ?? '')) : [];
      return { status: body.status, problems };
    }
    // the store does not answer: /health says so in its error
    return { status: 'failing', problems: [String(body?.error?.message ?? `/health answered HTTP ${res.status}`)] };
  } catch {
    return { status: 'unreachable', problems: ['/health did not answer'] };
  }
}

/** Reads `/health` and shows, updates or hides the banner. */
export async function showHealth(): Promise<void> {
  const h = await read();
  const box = document.getElementById('health');
  if (!box) return;
  const key = `${h.status}\n${h.problems.join('\n')}`;
  if (box.dataset.key === key) return;
  box.dataset.key = key;
  box.dataset.status = h.status;
  box.hidden = h.status === 'ok';
  box.replaceChildren(...(h.status === 'ok' ? [] : [
    el('strong', {}, TITLES[h.status]),
    el('ul', {}, ...h.problems.map((m) => el('li', {}, m))),
  ]));
}
