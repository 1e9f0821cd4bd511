import { describe, expect, it } from 'vitest';
import { luhnValid, maskEmail, maskName, maskPhone, maskText } from './masking.js';

describe('masking', () => {
  it('masks names, emails and phone numbers a visitor gave', () => {
    expect(maskName('Jane  Doe')).toBe('J••• D•••');
    expect(maskEmail('jane.doe@example.co.uk')).toBe('j•••@•••.uk');
    expect(maskPhone('+1 (555) 123-4567')).toBe('+• (•••) •••-••67');
  });

  it('masks emails, phone numbers and Luhn-valid card numbers inside text, and nothing else', () => {
    const text =
      'Mail jane@example.com or call +44 20 7946 0958; card 4242 4242 4242 4242, ' +
      'not 4242 4242 4242 4241. Order 2026-11-22 at 10:15, 3 items, ref 12345.';
    const masked = maskText(text);
    expect(masked).not.toContain('jane@example.com');
    expect(masked).toContain('j•••@•••.com');
    expect(masked).not.toMatch(/7946/);
    expect(masked).toContain('••58');
    expect(masked).toContain('•••• •••• •••• 4242');
    // A number failing the Luhn check is not a card; it is too long for a phone number.
    expect(masked).toContain('4242 4242 4242 4241');
    expect(masked).toContain('2026-11-22 at 10:15, 3 items, ref 12345.');
    expect(maskText('5555555555554444')).toBe('••••••••••••4444');
  });

  it('checks card numbers with Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('0000000')).toBe(false);
  });
});
