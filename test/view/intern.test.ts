import { describe, expect, it } from 'vitest';
import { createInterner, internAll } from '../../src/view/intern.js';

// Which copy comes back cannot be observed from JavaScript (what it saves is measured in
// bench/scale.mjs); what can be, and must hold, is that every answer equals its question.
const fresh = (text: string) => [...text].join('');

describe('interner', () => {
  it('answers each string with an equal one, many strings and repeats', () => {
    const intern = createInterner();
    const asked = Array.from({ length: 500 }, (_, i) => fresh(`team-${i % 37}`));
    expect(asked.map(intern)).toEqual(asked);
  });

  it('still answers equal strings after starting over past its limit', () => {
    const intern = createInterner(2);
    const asked = ['a', 'b', 'c', fresh('a'), 'd', fresh('b')];
    expect(asked.map(intern)).toEqual(['a', 'b', 'c', 'a', 'd', 'b']);
  });

  it('interns an array in place', () => {
    const intern = createInterner();
    const names = [fresh('registry'), 'cred-1'];
    expect(internAll(names, intern)).toBe(names);
    expect(names).toEqual(['registry', 'cred-1']);
  });
});
