import { z } from 'zod';

/** Where verifications go: the built-in local engine, or a hosted Biointellic service. */
export const BackendSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local') }),
  z.object({
    kind: z.literal('remote'),
    url: z.string().url(),
    // Basic auth joins userId and password with ':', so a ':' in the userId cannot be sent.
    userId: z
      .string()
      .min(1)
      .max(200)
      .refine((v) => !v.includes(':'), 'A user id cannot contain ":"'),
  }),
]);
export type Backend = z.infer<typeof BackendSchema>;

/** Non-secret settings, kept in a JSON file in the app's data directory. Never the password. */
export const SettingsSchema = z.object({
  version: z.literal(1).default(1),
  backend: BackendSchema.default({ kind: 'local' }),
  /** When on, the service keeps uploaded images for troubleshooting (?debug=true). */
  debug: z.boolean().default(false),
  requestTimeoutMs: z.number().int().min(1_000).max(120_000).default(30_000),
  stationName: z.string().max(100).default(''),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});
