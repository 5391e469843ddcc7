/** A generated sample workspace written into a folder, with an optional change to each file's text (e.g. hostile run text). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateSampleWorkspace, type SampleOptions } from '../../../src/tools/samples/sampleWorkspace';

export function writeSampleWorkspace(folder: string, options: Partial<SampleOptions>, change?: (relative: string, content: string) => string): void {
  generateSampleWorkspace(options, (relative, content) => {
    fs.mkdirSync(path.join(folder, path.dirname(relative)), { recursive: true });
    fs.writeFileSync(path.join(folder, relative), change && typeof content === 'string' ? change(relative, content) : content);
  });
}
