import { describe, expect, it } from 'vitest';
import { fillCannedBody, isRealVisitorName } from './canned-fill.js';
import { unknownCannedVariables } from './service.js';

describe('filling a canned response', () => {
  const agentName = 'Ada';
  it('never writes the made-up pseudonym or a masked name to the customer', () => {
    expect(fillCannedBody('Hi {visitor.name}!', { visitorName: 'Visitor ac09', agentName })).toBe(
      'Hi there!',
    );
    expect(fillCannedBody('Hi {visitor.name|friend}!', { visitorName: 'Visitor ac09', agentName })).toBe(
      'Hi friend!',
    );
    expect(fillCannedBody('Hi {visitor.name|friend}!', { visitorName: 'J••• D•••', agentName })).toBe(
      'Hi friend!',
    );
    expect(isRealVisitorName('Visitor ac09')).toBe(false);
  });

  it('uses a real name, and the agent’s name', () => {
    expect(
      fillCannedBody('Hi {visitor.name|there}, {agent.name} here.', { visitorName: 'Jane Doe', agentName }),
    ).toBe('Hi Jane Doe, Ada here.');
  });

  it('accepts a fallback in the server’s check of known variables', () => {
    expect(unknownCannedVariables('Hi {visitor.name|there}, {order.id|x}')).toEqual(['order.id']);
  });
});
