/**
 * The browser apps Switchboard serves, shared by the build (scripts/build-web.ts)
 * and the HTTP layer (src/api/web-routes.ts) so that both name the same folders.
 * No DOM code here: this file is read by Node.
 */
export interface WebAppDefinition {
  /** URL prefix and output folder name. */
  name: string;
  /** Title of the HTML page. */
  title: string;
  /** Entry module, relative to the project root. */
  entry: string;
}

export const WEB_APPS: readonly WebAppDefinition[] = [
  { name: 'softphone', title: 'Switchboard — softphone', entry: 'src/web/softphone/main.tsx' },
  { name: 'admin', title: 'Switchboard — admin and supervisor', entry: 'src/web/admin/main.tsx' },
];

/** Where the bundles are written, relative to the project root. */
export const WEB_OUTPUT_DIR = 'dist/web';
