import { describe, expect, it } from 'vitest';
import { channelOf, contract } from './contract';
import { buildKioskApi } from './kioskApi';

describe('buildKioskApi', () => {
  it('exposes exactly one method per contract entry, each on its own channel', async () => {
    const calls: Array<[string, unknown]> = [];
    const api = buildKioskApi(
      async (channel, input) => {
        calls.push([channel, input]);
        return { ok: true, data: null };
      },
      () => () => {},
    );
    const methods = Object.entries(api).flatMap(([group, members]) => Object.keys(members).map((m) => `${group}.${m}`));
    expect(methods.sort()).toEqual([...Object.keys(contract), 'events.onProgress'].sort());
    await api.verification.run({ attempt: 2 });
    await api.settings.get();
    expect(calls).toEqual([
      [channelOf('verification.run'), { attempt: 2 }],
      [channelOf('settings.get'), undefined],
    ]);
  });

  it('delivers progress events to a listener until it unsubscribes', () => {
    const listeners = new Set<(p: unknown) => void>();
    const api = buildKioskApi(
      async () => null,
      (channel, listener) => {
        expect(channel).toBe('kiosk:verification.progress');
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    );
    const seen: unknown[] = [];
    const off = api.events.onProgress((p) => seen.push(p.stage));
    listeners.forEach((l) => l({ attempt: 1, stage: 'liveness' }));
    off();
    listeners.forEach((l) => l({ attempt: 1, stage: 'match' }));
    expect(seen).toEqual(['liveness']);
  });
});
