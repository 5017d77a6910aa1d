/**
 * Electron's `net.fetch` as the Biointellic client's fetch: requests go through Chromium's network
 * stack, so the OS proxy settings (PAC files included) and the OS certificate store apply, as a
 * bank's IT expects. Node's own fetch (the CLI, the preview, the tests) knows neither. Chosen at
 * the edge: main/index.ts passes this; everything else gets Node's fetch by default.
 */
export interface ElectronNet {
  fetch(input: string | Request, init?: RequestInit): Promise<Response>;
}

export function netFetch(net: ElectronNet): typeof fetch {
  // net.fetch takes a string or a Request; the client may hand it a URL object.
  return (input, init) => net.fetch(input instanceof URL ? input.href : input, init);
}
