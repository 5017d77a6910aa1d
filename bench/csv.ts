import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';

/** A CSV file with a header line as one record per row (quoted fields, such as the manifests' notes, included). */
export async function readCsv(path: string): Promise<Array<Record<string, string>>> {
  return parse(await readFile(path, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Array<Record<string, string>>;
}
