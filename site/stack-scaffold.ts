import { renderTemplate } from '../modules/lib/render.js';

export interface StackOptions {
  name: string;
  image: string;
  /** The port the app serves HTTP on inside its container (healthcheck and provisioning hint). */
  port: number;
}

/** templates/stack/ file → the file it becomes in `stacks/NAME/`. */
const FILES: Array<[template: string, file: string]> = [
  ['stack/compose.yml.njk', 'compose.yml'],
  ['stack/env.example.njk', '.env.example'],
  ['stack/README.md.njk', 'README.md'],
];

/** The files of a new stack, rendered on the control machine. */
export function renderStack(o: StackOptions): Array<{ file: string; content: string }> {
  return FILES.map(([src, file]) => ({ file, content: renderTemplate({ src, vars: { ...o } }) }));
}
