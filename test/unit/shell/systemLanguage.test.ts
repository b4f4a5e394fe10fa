import { describe, expect, it } from 'vitest';
import { systemLanguage } from '../../../renderer/ui/LanguageSwitch';

describe('the first screen follows the system language (issue 14 defect 7)', () => {
  it('takes the first preferred language the UI has', () => {
    expect(systemLanguage(['en-US', 'fr-FR'])).toBe('en');
    expect(systemLanguage(['fr-CA'])).toBe('fr');
    expect(systemLanguage(['de-DE', 'en-GB'])).toBe('en');
    expect(systemLanguage(['EN'])).toBe('en');
  });
  it('French when the system prefers none of ours (the guideline\'s language)', () => {
    expect(systemLanguage(['de-DE'])).toBe('fr');
    expect(systemLanguage([])).toBe('fr');
  });
});
