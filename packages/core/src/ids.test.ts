import { describe, expect, it } from 'vitest';
import { newId } from './ids.ts';

describe('newId', () => {
  it('starts with its kind so a reader can tell a session from a turn', () => {
    expect(newId('ses')).toMatch(/^ses_/);
    expect(newId('turn')).toMatch(/^turn_/);
    expect(newId('conf')).toMatch(/^conf_/);
  });

  it('is safe as a BullMQ job id: no colon and never all digits', () => {
    for (let i = 0; i < 200; i++) {
      const id = newId('call');
      expect(id).not.toContain(':');
      expect(id).not.toMatch(/^\d+$/);
      expect(id).toMatch(/^call_[A-Za-z0-9_-]{16}$/);
    }
  });

  it('does not repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId('evt')));
    expect(ids.size).toBe(1000);
  });
});
