import { describe, expect, it } from 'vitest';
import { RELAUNCHED_FLAG, allocatorRelaunch } from './allocator';

describe('relaunching with a bounded malloc', () => {
  it('relaunches once on Linux when the limit is not set, keeping the arguments', () => {
    expect(allocatorRelaunch('linux', {}, ['.', '--windowed'])).toEqual(['.', '--windowed', RELAUNCHED_FLAG]);
  });

  it('does not relaunch when the limit is set, after a relaunch, or off Linux', () => {
    expect(allocatorRelaunch('linux', { MALLOC_ARENA_MAX: '4' }, ['.'])).toBeNull();
    expect(allocatorRelaunch('linux', {}, ['.', RELAUNCHED_FLAG])).toBeNull();
    expect(allocatorRelaunch('win32', {}, ['.'])).toBeNull();
    expect(allocatorRelaunch('darwin', {}, ['.'])).toBeNull();
  });
});
