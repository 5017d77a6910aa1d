/**
 * A two-note chime for the member of staff at the desk, made with Web Audio (no sound file to
 * ship). The visitor has touched the screen by then, so Chromium's autoplay policy allows it; a
 * machine without audio output simply stays silent, and the visual alert still shows.
 */
export function chime(): void {
  try {
    const context = new AudioContext();
    const start = context.currentTime;
    [660, 880].forEach((frequency, i) => {
      const tone = context.createOscillator();
      const gain = context.createGain();
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + i * 0.25);
      gain.gain.exponentialRampToValueAtTime(0.3, start + i * 0.25 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.25 + 0.4);
      tone.connect(gain).connect(context.destination);
      tone.start(start + i * 0.25);
      tone.stop(start + i * 0.25 + 0.45);
    });
    setTimeout(() => void context.close(), 1_000);
  } catch {
    // No audio device: the banner is the alert.
  }
}
