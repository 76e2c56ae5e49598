// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest';
import { fieldKey } from '../src/auto/fields';
import { forbidValueReads, harness, type Harness } from './helpers';

let h: Harness;
afterEach(async () => {
  await h?.stop();
  document.body.innerHTML = '';
  vi.useRealTimers();
});

const focusBlur = (sel: string) => {
  const el = document.querySelector<HTMLElement>(sel)!;
  el.focus();
  el.blur();
};

describe('field tracking', () => {
  test('field_focus, field_blur with the time engaged, field_change, keyed by data-journey-field, name, id', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    document.body.innerHTML = `<div data-journey-step="contact">
      <input data-journey-field="email-address" name="email" id="e1">
      <input name="phone" id="p1"><textarea id="notes"></textarea>
      <select name="country"><option>NL</option></select></div>`;
    h = harness();
    const email = document.querySelector<HTMLInputElement>('#e1')!;
    email.focus();
    vi.advanceTimersByTime(1500);
    email.dispatchEvent(new Event('change', { bubbles: true }));
    email.blur();
    focusBlur('#p1');
    focusBlur('#notes');
    document.querySelector('select')!.dispatchEvent(new Event('change', { bubbles: true }));

    expect(h.of('field_focus').map((e) => e.fieldKey)).toEqual(['email-address', 'phone', 'notes']);
    expect(h.of('field_blur')[0]).toMatchObject({ fieldKey: 'email-address', stepKey: 'contact', durationMs: 1500 });
    expect(h.of('field_change').map((e) => e.fieldKey)).toEqual(['email-address', 'country']);
    expect(h.of('field_focus')[0]).toMatchObject({ stepKey: 'contact' });
  });

  test('a control with no data-journey-field, name or id is not tracked; neither are buttons', () => {
    document.body.innerHTML = '<input class="anon"><button id="b">ok</button><div id="d" tabindex="0"></div>';
    h = harness();
    focusBlur('.anon');
    focusBlur('#b');
    focusBlur('#d');
    expect(h.of('field_focus')).toEqual([]);
    expect(fieldKey(document.querySelector('#b'))).toBeUndefined();
    expect(fieldKey(null)).toBeUndefined();
  });

  test.each([
    ['password fields', '<input type="password" name="pw">'],
    ['password fields (any case)', '<input type="PASSWORD" name="pw">'],
    ['hidden inputs', '<input type="hidden" name="pw">'],
    ['payment-card fields', '<input autocomplete="cc-number" name="pw">'],
    ['payment-card fields (any case)', '<input autocomplete="CC-Number" name="pw">'],
    ['payment-card fields with a section', '<input autocomplete="section-pay billing cc-csc" name="pw">'],
    ['fields marked data-journey-ignore', '<input data-journey-ignore name="pw">'],
    ['fields inside data-journey-ignore', '<div data-journey-ignore><label><input name="pw"></label></div>'],
  ])('privacy: %s are not tracked at all', (_, html) => {
    document.body.innerHTML = `<form>${html}</form>`;
    h = harness();
    const el = document.querySelector<HTMLInputElement>('[name=pw]')!;
    el.focus();
    el.dispatchEvent(new Event('change', { bubbles: true }));
    el.blur();
    el.dispatchEvent(new Event('invalid'));
    expect(h.tags().filter((t) => t.startsWith('field_') || t === 'validation_error')).toEqual([]);
    expect(fieldKey(el)).toBeUndefined();
  });

  test('privacy: no field value is ever read, and typed text never appears in an event', () => {
    const secret = 'S3CRET-marker-7731';
    document.body.innerHTML = `<form><input name="first" value="${secret}"><textarea name="bio">${secret}</textarea>
      <select name="s"><option value="${secret}" selected>${secret}</option></select><input name="req" required></form>`;
    const guard = forbidValueReads();
    try {
      h = harness();
      for (const el of document.querySelectorAll<HTMLElement>('input,textarea,select')) {
        el.focus();
        el.dispatchEvent(new Event('input', { bubbles: true }));
        el.dispatchEvent(new Event('change', { bubbles: true }));
        el.blur();
      }
      document.querySelector('form')!.checkValidity();
      document.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
      expect(guard.reads()).toBe(0);
    } finally {
      guard.restore();
    }
    expect(h.of('field_change')).toHaveLength(4);
    expect(JSON.stringify(h.events)).not.toContain(secret);
  });

  test('switched off through autoTrack.fields', () => {
    document.body.innerHTML = '<input name="a">';
    h = harness({ auto: { fields: false } });
    focusBlur('input');
    expect(h.of('field_focus')).toEqual([]);
  });
});

describe('validation tracking', () => {
  test('validation_error from the invalid event, with the ValidityState key', () => {
    document.body.innerHTML = `<form data-journey-step="details">
      <input name="name" required>
      <input name="email" type="email" value="not-an-email">
      <input name="zip" pattern="[0-9]{4}" value="abc">
      <input name="age" type="number" min="18" value="12">
      <input name="ok" value="fine" required></form>`;
    h = harness();
    document.querySelector('form')!.checkValidity();
    expect(h.of('validation_error').map((e) => [e.fieldKey, e.errorType, e.stepKey])).toEqual([
      ['name', 'valueMissing', 'details'],
      ['email', 'typeMismatch', 'details'],
      ['zip', 'patternMismatch', 'details'],
      ['age', 'rangeUnderflow', 'details'],
    ]);
  });

  test('a custom validity message counts as customError, never its text', () => {
    document.body.innerHTML = '<input name="user">';
    h = harness();
    const el = document.querySelector('input')!;
    el.setCustomValidity('taken: alice@example.com');
    el.checkValidity();
    expect(h.of('validation_error')).toMatchObject([{ fieldKey: 'user', errorType: 'customError' }]);
    expect(JSON.stringify(h.events)).not.toContain('alice');
  });

  test('switched off through autoTrack.validation', () => {
    document.body.innerHTML = '<input name="n" required>';
    h = harness({ auto: { validation: false } });
    document.querySelector('input')!.checkValidity();
    expect(h.of('validation_error')).toEqual([]);
  });
});
