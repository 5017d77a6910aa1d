import type { Instruction } from '../../../app/guidance';

/** Two corner arrows pointing out ("come closer": the face grows) or in ("step back": it shrinks). */
const arrows = (outward: boolean) => <path d={outward ? 'M9 9 4 4M4 9V4h5M15 15l5 5M20 15v5h-5' : 'M4 4l5 5M9 4v5H4M20 20l-5-5M15 20v-5h5'} />;
const eye = (
  <>
    <path d="M2 12 C6 5 18 5 22 12 C18 19 6 19 2 12 Z" />
    <circle cx="12" cy="12" r="3" />
  </>
);
const sun = (
  <>
    <circle cx="12" cy="12" r="4" />
    <path d="M12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1 7 17M17 7l2.1-2.1" />
  </>
);
const check = <path d="M4 12.5 9.5 18 20 6" />;

/** A picture for each instruction, beside its words on the video: understood before it is read. */
const ICONS: Record<Instruction, React.ReactNode> = {
  lookAtCamera: eye,
  lookStraight: eye,
  onlyOnePerson: (
    <>
      <circle cx="12" cy="8" r="4" />
      <path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7" />
    </>
  ),
  moveCloser: arrows(true),
  moveBack: arrows(false),
  centerFace: (
    <>
      <ellipse cx="12" cy="12" rx="7" ry="9" />
      <circle cx="12" cy="12" r="1.5" />
    </>
  ),
  keepHeadLevel: <path d="M2 12h20M6 8l-4 4 4 4M18 8l4 4-4 4" />,
  openEyes: eye,
  findMoreLight: sun,
  tooBright: sun,
  holdStill: check,
  good: check,
  // A closed eye: lashes under a lid.
  blink: <path d="M2 10c4 6 16 6 20 0M5 13.5 3.5 16M9.5 15.5 9 18M14.5 15.5 15 18M19 13.5l1.5 2.5" />,
};

export function InstructionIcon({ instruction }: { instruction: Instruction | null }) {
  if (!instruction) return null;
  return (
    <svg
      className="instruction-icon"
      viewBox="0 0 24 24"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      {ICONS[instruction]}
    </svg>
  );
}
