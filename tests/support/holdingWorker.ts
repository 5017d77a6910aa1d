/**
 * An analysis worker for tests: it answers through the engine's own worker protocol
 * (serveAnalyses) but keeps a reference to every image it is given, and answers each task with
 * what became of the images of the tasks before it. A task whose first byte is 0xff fails.
 */
import type { Analysis } from '../../engine/analysis/analyze';
import { serveAnalyses } from '../../engine/analysis/workerProtocol';

const held: Uint8Array[] = [];

serveAnalyses(async (task) => {
  const earlier = held.map((bytes) => bytes.byteLength > 0 && bytes.every((b) => b === 0));
  held.push(task.bytes);
  if (task.bytes[0] === 0xff) throw new Error('this task fails on purpose');
  return { earlierZeroed: earlier } as unknown as Analysis;
});
