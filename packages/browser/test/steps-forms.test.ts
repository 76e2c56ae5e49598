// @vitest-environment happy-dom
import { afterEach, describe, expect, test } from 'vitest';
import { harness, type Harness } from './helpers';

let h: Harness;
afterEach(async () => {
  await h?.stop();
  document.body.innerHTML = '';
});
const tick = () => new Promise((r) => setTimeout(r, 0));

const FORM = `<form id="f" name="apply">
  <section data-journey-step="eligibility"><input name="age"><button>Next</button></section>
  <section data-journey-step="details" hidden><input name="city"></section>
  <section data-journey-step="review" style="display:none"></section></form>`;

describe('steps', () => {
  test('the visible [data-journey-step] is tracked at start, and each step that becomes visible after', async () => {
    document.body.innerHTML = FORM;
    h = harness();
    expect(h.of('step_view').map((e) => e.stepKey)).toEqual(['eligibility']);
    const [a, b, c] = document.querySelectorAll<HTMLElement>('section');
    a!.hidden = true;
    b!.hidden = false;
    await tick();
    b!.hidden = true;
    c!.style.display = '';
    await tick();
    expect(h.of('step_view').map((e) => e.stepKey)).toEqual(['eligibility', 'details', 'review']);
    // the step is carried by the events that follow
    document.querySelector<HTMLInputElement>('[name=city]')!.dispatchEvent(new Event('change', { bubbles: true }));
    expect(h.of('field_change')[0]).toMatchObject({ stepKey: 'review' });
  });

  test('steps rendered later are found; the same step is not tracked twice', async () => {
    h = harness();
    expect(h.of('step_view')).toEqual([]);
    document.body.innerHTML = '<div data-journey-step="welcome"></div>';
    await tick();
    document.body.append(document.createElement('p'));
    await tick();
    h.j.setStep('welcome');
    expect(h.of('step_view').map((e) => e.stepKey)).toEqual(['welcome']);
  });

  test('several visible steps: the one holding the focused field becomes current, and stays', async () => {
    document.body.innerHTML = '<div data-journey-step="one"><input name="a"></div><div data-journey-step="two"><input name="b"></div>';
    h = harness();
    document.querySelector<HTMLInputElement>('[name=b]')!.focus();
    document.body.append(document.createElement('p'));
    await tick();
    expect(h.tags().filter((t) => t === 'step_view' || t === 'field_focus')).toEqual(['step_view', 'step_view', 'field_focus']);
    expect(h.of('step_view').map((e) => e.stepKey)).toEqual(['one', 'two']);
    expect(h.of('field_focus')[0]).toMatchObject({ fieldKey: 'b', stepKey: 'two' });
  });

  test('a nested step inside a visible step wins', () => {
    document.body.innerHTML = '<main data-journey-step="apply"><div data-journey-step="apply-1"></div></main>';
    h = harness();
    expect(h.of('step_view').map((e) => e.stepKey)).toEqual(['apply-1']);
  });

  test('switched off through autoTrack.steps', () => {
    document.body.innerHTML = FORM;
    h = harness({ auto: { steps: false } });
    expect(h.of('step_view')).toEqual([]);
  });
});

describe('forms', () => {
  const submit = (f: Element) => f.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));

  test('submit_attempt with the step and the form key (data-journey-form, name, id)', () => {
    document.body.innerHTML = `${FORM}<form id="only-id"></form><form data-journey-form="newsletter" name="n"></form>`;
    h = harness();
    document.querySelectorAll('form').forEach(submit);
    expect(h.of('submit_attempt').map((e) => [e.formKey, e.stepKey])).toEqual([
      ['apply', 'eligibility'],
      ['only-id', 'eligibility'],
      ['newsletter', 'eligibility'],
    ]);
    expect(h.of('submit_success')).toEqual([]);
  });

  test('a control named "id" or "name" does not shadow the form key', () => {
    document.body.innerHTML = '<form name="real"><input name="name"><input name="id"></form>';
    h = harness();
    submit(document.querySelector('form')!);
    expect(h.of('submit_attempt')[0]).toMatchObject({ formKey: 'real' });
  });

  test('forms inside data-journey-ignore are not tracked; autoTrack.forms switches it off', () => {
    document.body.innerHTML = '<div data-journey-ignore><form name="x"></form></div><form name="y"></form>';
    h = harness();
    document.querySelectorAll('form').forEach(submit);
    expect(h.of('submit_attempt').map((e) => e.formKey)).toEqual(['y']);
    void h.stop();
    h = harness({ auto: { forms: false } });
    document.querySelectorAll('form').forEach(submit);
    expect(h.of('submit_attempt')).toEqual([]);
  });

  test("submitSuccessOn 'step': the next step confirms the attempt, before its step_view", async () => {
    document.body.innerHTML = FORM;
    h = harness({ successOn: 'step' });
    submit(document.querySelector('form')!);
    const [a, b] = document.querySelectorAll<HTMLElement>('section');
    a!.hidden = true;
    b!.hidden = false;
    await tick();
    expect(h.tags().slice(-3)).toEqual(['submit_attempt', 'submit_success', 'step_view']);
    expect(h.of('submit_success')).toMatchObject([{ stepKey: 'eligibility', formKey: 'apply' }]);
  });

  test("submitSuccessOn 'url': the next URL confirms it; without the option nothing is inferred", () => {
    document.body.innerHTML = FORM;
    h = harness({ successOn: 'url' });
    submit(document.querySelector('form')!);
    history.pushState(null, '', '/thanks');
    expect(h.tags().slice(-3)).toEqual(['submit_attempt', 'submit_success', 'page_view']);
  });
});
