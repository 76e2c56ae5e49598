/** `submit_attempt` on every form submit (forms inside `[data-journey-ignore]` excepted). */
import type { Journey } from '../journey';
import { listen, type Off } from '../util';

export function forms(j: Journey): Off {
  return listen(document, 'submit', (e) => {
    const f = e.target as Element;
    if (f.closest('[data-journey-ignore]')) return;
    // attributes, not properties: a control named "name" or "id" shadows form.name / form.id
    const formKey = f.getAttribute('data-journey-form') || f.getAttribute('name') || f.id || undefined;
    j.pending = { stepKey: j.step, formKey };
    j.t.track('submit_attempt', j.pending);
  }, true);
}
