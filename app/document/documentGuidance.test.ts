import { describe, expect, it } from 'vitest';
import { DOCUMENT_RULES, documentGuidanceStep, documentInstruction, startDocumentGuidance } from './documentGuidance';
import type { DocumentSighting } from './findDocument';

const card = (over: Partial<DocumentSighting> = {}, shift = 0): DocumentSighting => ({
  quad: [
    { x: 100 + shift, y: 100 },
    { x: 400 + shift, y: 100 },
    { x: 400 + shift, y: 290 },
    { x: 100 + shift, y: 290 },
  ],
  fill: 0.3,
  tilt: 0.02,
  glare: 0,
  sharpness: 500,
  touchesEdge: false,
  wholeImage: false,
  ...over,
});

describe('document guidance', () => {
  it('asks for what the card needs, in order: in view, whole, closer, flatter, no glare, still', () => {
    expect(documentInstruction(null, null)).toBe('show');
    expect(documentInstruction(card({ touchesEdge: true, fill: 0.05 }), null)).toBe('wholeCard');
    // A 300-px card in a 640-px guidance frame: on a 1080p camera 900 px (close enough), on 720p 600 px.
    expect(documentInstruction(card(), null, 1920 / 640)).toBe('hold');
    expect(documentInstruction(card(), null, 1280 / 640)).toBe('closer');
    expect(documentInstruction(card({ tilt: 0.3 }), null, 3)).toBe('flatter');
    expect(documentInstruction(card({ glare: 0.05 }), null, 3)).toBe('glare');
    expect(documentInstruction(card({}, 40), card(), 3)).toBe('still');
    expect(documentInstruction(card({}, 2), card(), 3)).toBe('hold');
  });

  it('captures a good card once it has been held for the hold time, and starts over when it moves', () => {
    let state = startDocumentGuidance();
    const at = (t: number, sighting: DocumentSighting | null) => {
      const step = documentGuidanceStep(state, sighting, t, 3);
      state = step.state;
      return step;
    };
    expect(at(0, card()).capture).toBe(false);
    expect(at(300, card()).capture).toBe(false);
    expect(at(500, card({}, 60))).toMatchObject({ instruction: 'still', capture: false });
    expect(at(700, card({}, 60)).capture).toBe(false);
    expect(at(700 + DOCUMENT_RULES.holdMs - 1, card({}, 61)).capture).toBe(false);
    expect(at(700 + DOCUMENT_RULES.holdMs, card({}, 61))).toMatchObject({ instruction: 'hold', capture: true });
    expect(at(2000, null)).toMatchObject({ instruction: 'show', capture: false });
  });
});
