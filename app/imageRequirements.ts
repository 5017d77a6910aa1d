/**
 * The Biointellic API document's image requirements as named constants. The local engine's
 * quality gates and the kiosk's on-screen guidance both read these, so the three never disagree.
 */
export const LIVENESS = {
  format: 'png',
  mimeType: 'image/png',
  multipartField: 'data',
  minHeight: 480,
  recommendedHeights: [720, 1080],
  /** Taller captures are scaled down to this height before upload. */
  maxHeight: 1080,
  interpupillaryDistancePx: { target: 90, tolerance: 5 },
  minFaceSizePx: 224,
  /** Out-of-plane rotation: ±20° with ±3° tolerance. */
  maxYawDeg: 20,
  maxPitchDeg: 20,
  /** In-plane rotation: ±30° with ±3° tolerance. */
  maxRollDeg: 30,
  angleToleranceDeg: 3,
} as const;

export const MATCH = {
  formats: ['jpeg', 'png'],
  mimeTypes: { jpeg: 'image/jpeg', png: 'image/png' },
  multipartFields: ['image1', 'image2'],
  minWidth: 150,
  minHeight: 150,
  maxWidth: 1024,
  maxHeight: 1024,
  /** The document's "Maximum 2MB", read as the decimal megabyte: the stricter reading, so no service refuses what the kiosk sends. */
  maxBytes: 2_000_000,
  /** The service reports PASS at a score ≥ 48 on a 0..100 scale. */
  passThreshold: 48,
} as const;

/** Limits on what the kiosk accepts as input at all, before normalising for an endpoint. */
export const INPUT_LIMITS = {
  /** A bigger file is refused before decoding. */
  maxBytes: 30 * 1024 * 1024,
  /** Decompression-bomb guard: 64 megapixels (8000×8000) covers any real camera or scanner. */
  maxPixels: 64_000_000,
  /** Extremer shapes are not photos of a face or a card. */
  maxAspectRatio: 4,
  /** A live frame sent as raw pixels (contract's RawFrame): at most a 4K camera's. */
  maxFramePixels: 3840 * 2160,
} as const;

/** The hard limits the service enforces: the guidance target plus the document's tolerance. */
export function livenessAngleLimitsDeg() {
  const t = LIVENESS.angleToleranceDeg;
  return { yaw: LIVENESS.maxYawDeg + t, pitch: LIVENESS.maxPitchDeg + t, roll: LIVENESS.maxRollDeg + t };
}
