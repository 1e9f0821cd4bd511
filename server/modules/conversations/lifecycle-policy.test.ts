import { describe, expect, it } from 'vitest';
import type { ConversationStatus } from '../../platform/db/schema-lifecycle.js';
import { fromStatuses, type LifecycleAction, transition } from './lifecycle-policy.js';

const STATUSES: ConversationStatus[] = ['open', 'pending', 'snoozed', 'resolved', 'closed'];
const ACTIONS: LifecycleAction[] = [
  'resolve',
  'reopen',
  'set_pending',
  'snooze',
  'close',
  'visitor_wrote',
  'wake',
];

describe('conversation lifecycle policy', () => {
  it('closing is final: nothing moves a closed conversation', () => {
    for (const action of ACTIONS)
      expect(transition('closed', action)).toEqual({ ok: false, reason: 'closed' });
  });

  it('a visitor message reopens whatever waits for them', () => {
    for (const from of ['pending', 'snoozed', 'resolved'] as const)
      expect(transition(from, 'visitor_wrote')).toEqual({ ok: true, to: 'open', changed: true });
    expect(transition('open', 'visitor_wrote')).toEqual({ ok: true, to: 'open', changed: false });
  });

  it('resolves from any working status, and only once', () => {
    for (const from of ['open', 'pending', 'snoozed'] as const)
      expect(transition(from, 'resolve')).toMatchObject({ to: 'resolved' });
    expect(transition('resolved', 'resolve')).toEqual({ ok: false, reason: 'not_allowed' });
  });

  it('reopens only what is not open; the snooze wakes only a snoozed conversation', () => {
    expect(transition('open', 'reopen')).toEqual({ ok: false, reason: 'not_allowed' });
    expect(transition('resolved', 'reopen')).toMatchObject({ to: 'open' });
    expect(transition('snoozed', 'wake')).toMatchObject({ to: 'open' });
    for (const from of ['open', 'pending', 'resolved'] as const)
      expect(transition(from, 'wake')).toEqual({ ok: false, reason: 'not_allowed' });
  });

  it('a resolved conversation is reopened before it is snoozed or set pending', () => {
    expect(transition('resolved', 'snooze').ok).toBe(false);
    expect(transition('resolved', 'set_pending').ok).toBe(false);
    expect(transition('snoozed', 'snooze')).toEqual({ ok: true, to: 'snoozed', changed: true });
  });

  it('the conditional write starts from exactly the statuses the policy allows', () => {
    for (const action of ACTIONS)
      for (const from of STATUSES)
        expect(fromStatuses(action).includes(from), `${action} from ${from}`).toBe(
          transition(from, action).ok,
        );
  });
});
