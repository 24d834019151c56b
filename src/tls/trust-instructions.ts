/** Where the local CA can be downloaded: a stable URL, also answered over plain HTTP (before the PC trusts anything). */
export const CA_DOWNLOAD_PATH = '/ca.crt';
/** The file name a browser saves it under; the instructions refer to it. */
export const CA_FILE_NAME = 'switchboard-ca.crt';

/**
 * How to make a PC trust the site's local CA, one line per system: printed at
 * start and shown on the /ca page. Each is the platform's own tool.
 */
export function trustInstructions(): Array<{ system: string; how: string }> {
  return [
    { system: 'Windows (Chrome, Edge)', how: `as administrator: certutil -addstore -f Root ${CA_FILE_NAME}` },
    { system: 'macOS (Chrome, Safari)', how: `sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ${CA_FILE_NAME}` },
    { system: 'Linux (Chrome, Chromium)', how: `certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n switchboard -i ${CA_FILE_NAME}` },
    { system: 'Firefox', how: 'Settings → Privacy & Security → Certificates → View Certificates → Authorities → Import, tick "identify websites"' },
  ];
}
