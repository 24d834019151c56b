import { execFile } from 'node:child_process';

/**
 * Whether the barge mixer (src/media/conference-mixer.ts) can run here:
 * `gst-inspect-1.0` finds audiomixer (gstreamer1.0-plugins-base) and the
 * RTP/UDP elements (gstreamer1.0-plugins-good). Asked once per process;
 * packages installed later need a restart.
 */
export interface MixerAvailability {
  available: boolean;
  /** The Debian packages to install when not available. */
  missing: string[];
}

/** One element per package the pipeline needs, and the package that brings it. */
const PROBES: ReadonlyArray<{ element: string; pkg: string }> = [
  { element: 'audiomixer', pkg: 'gstreamer1.0-plugins-base' },
  { element: 'rtppcmapay', pkg: 'gstreamer1.0-plugins-good' },
];

function inspect(element: string): Promise<'found' | 'no-element' | 'no-tool'> {
  return new Promise((resolve) => {
    execFile('gst-inspect-1.0', ['--exists', element], { timeout: 10000 }, (err) => {
      if (!err) resolve('found');
      else resolve((err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no-tool' : 'no-element');
    });
  });
}

let probed: Promise<MixerAvailability> | null = null;

/** Probes GStreamer once (async, cached): what the mixer needs and what is missing. */
export function probeConferenceMixer(): Promise<MixerAvailability> {
  probed ??= (async () => {
    const results = await Promise.all(PROBES.map(async (probe) => ({ ...probe, result: await inspect(probe.element) })));
    if (results.some((r) => r.result === 'no-tool')) return { available: false, missing: ['gstreamer1.0-tools', ...PROBES.map((p) => p.pkg)] };
    const missing = results.filter((r) => r.result !== 'found').map((r) => r.pkg);
    return { available: missing.length === 0, missing };
  })();
  return probed;
}
