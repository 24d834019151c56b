import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../../shared/api-client';
import { ErrorBanner } from '../../../shared/components';
import { formatDuration, translator } from '../../../shared/i18n';

const useT = translator({
  en: {
    recording: 'Recording', download: 'Download WAV', decoding: 'Drawing the waveform…', caller: 'Caller', agent: 'Agent',
    waveform: 'Waveform: caller on top (left channel), agent below (right channel). Click or use the arrow keys to move the play head.',
    cannotDecode: 'The waveform cannot be drawn: {message}', audio: 'Call recording audio', position: '{at} of {total}',
  },
  ru: {
    recording: 'Запись', download: 'Скачать WAV', decoding: 'Строим звуковую дорожку…', caller: 'Абонент', agent: 'Оператор',
    waveform: 'Звуковая дорожка: сверху абонент (левый канал), снизу оператор (правый). Щелчок или стрелки перемещают позицию.',
    cannotDecode: 'Не удалось построить дорожку: {message}', audio: 'Аудиозапись звонка', position: '{at} из {total}',
  },
});

/** Per channel, the min and max sample of each pixel column. */
interface Peaks {
  channels: Array<{ min: Float32Array; max: Float32Array }>;
  durationSec: number;
}

const COLUMNS = 1200;
const HEIGHT = 160;
const COLORS = ['#0b5cad', '#1a7f37'];

function computePeaks(buffer: AudioBuffer): Peaks {
  const channels: Peaks['channels'] = [];
  // A mono file still gets two lanes (the same audio), so the layout never changes.
  for (let c = 0; c < 2; c += 1) {
    const data = buffer.getChannelData(Math.min(c, buffer.numberOfChannels - 1));
    const min = new Float32Array(COLUMNS);
    const max = new Float32Array(COLUMNS);
    const per = Math.max(1, Math.floor(data.length / COLUMNS));
    for (let x = 0; x < COLUMNS; x += 1) {
      let lo = 0;
      let hi = 0;
      const start = Math.floor((x * data.length) / COLUMNS);
      for (let i = start; i < start + per && i < data.length; i += 1) {
        const v = data[i] ?? 0;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      min[x] = lo;
      max[x] = hi;
    }
    channels.push({ min, max });
  }
  return { channels, durationSec: buffer.duration };
}

function draw(canvas: HTMLCanvasElement, peaks: Peaks, playheadSec: number, labels: [string, string]): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = '#f7f9fc';
  ctx.fillRect(0, 0, width, height);
  const lane = height / 2;
  peaks.channels.forEach((ch, c) => {
    const mid = lane * c + lane / 2;
    ctx.fillStyle = COLORS[c] ?? '#444';
    for (let x = 0; x < COLUMNS; x += 1) {
      const top = mid - (ch.max[x] ?? 0) * (lane / 2 - 4);
      const bottom = mid - (ch.min[x] ?? 0) * (lane / 2 - 4);
      ctx.fillRect((x * width) / COLUMNS, top, Math.max(1, width / COLUMNS), Math.max(1, bottom - top));
    }
    ctx.fillStyle = '#5b6878';
    ctx.font = '12px system-ui, sans-serif';
    ctx.fillText(labels[c] ?? '', 6, lane * c + 14);
  });
  ctx.strokeStyle = '#d9dee6';
  ctx.beginPath();
  ctx.moveTo(0, lane);
  ctx.lineTo(width, lane);
  ctx.stroke();
  if (peaks.durationSec > 0) {
    const x = (playheadSec / peaks.durationSec) * width;
    ctx.strokeStyle = '#c62828';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x, 0);
    ctx.lineTo(x, height);
    ctx.stroke();
    ctx.lineWidth = 1;
  }
}

/**
 * Plays a call recording and draws both channels of the stereo WAV — caller
 * left, agent right — decoded in the browser with WebAudio, with a play head
 * that follows the audio and can be moved by click or keyboard.
 *
 * The file is fetched once with the session's Authorization header (the
 * waveform needs all of it anyway); the player and the download link use that
 * copy in memory (a blob: URL), so no credential ever sits in a URL and
 * seeking long after opening still works.
 */
export function RecordingPlayer(props: {
  recordingId: string; callId: string; sampleRate: number; channels: number; durationMs: number;
  /** Told the play head's time (seconds) as it moves: a quality reviewer comments "here". */
  onPosition?: (seconds: number) => void;
  /** Moves the play head when `key` changes: a comment pinned at a time is clicked. */
  seekTo?: { seconds: number; key: number };
}): preact.JSX.Element {
  const t = useT();
  const path = `/api/recordings/${props.recordingId}/audio`;
  const audio = useRef<HTMLAudioElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [url, setUrl] = useState<string | null>(null);
  const [peaks, setPeaks] = useState<Peaks | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [position, setPosition] = useState(0);

  useEffect(() => {
    let cancelled = false;
    let objectUrl: string | null = null;
    const load = async (): Promise<void> => {
      const file = await api.blob(path);
      if (cancelled) return;
      objectUrl = URL.createObjectURL(file);
      setUrl(objectUrl);
      const bytes = await file.arrayBuffer();
      // Decoding at the file's own rate avoids resampling a long call.
      const context = new OfflineAudioContext(Math.max(1, props.channels), 1, props.sampleRate || 8000);
      const buffer = await context.decodeAudioData(bytes);
      if (!cancelled) setPeaks(computePeaks(buffer));
    };
    load().catch((err: unknown) => { if (!cancelled) setError(t('cannotDecode', { message: err instanceof Error ? err.message : String(err) })); });
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [path]);

  // Follow the audio smoothly while it plays; timeupdate alone fires only 4 times a second.
  useEffect(() => {
    let frame = 0;
    const tick = (): void => {
      const el = audio.current;
      if (el) setPosition(el.currentTime);
      if (el && !el.paused) frame = requestAnimationFrame(tick);
    };
    const el = audio.current;
    if (!el) return undefined;
    const onPlay = (): void => { frame = requestAnimationFrame(tick); };
    const onUpdate = (): void => setPosition(el.currentTime);
    el.addEventListener('play', onPlay);
    el.addEventListener('seeked', onUpdate);
    el.addEventListener('timeupdate', onUpdate);
    return () => {
      cancelAnimationFrame(frame);
      el.removeEventListener('play', onPlay);
      el.removeEventListener('seeked', onUpdate);
      el.removeEventListener('timeupdate', onUpdate);
    };
  }, []);

  useEffect(() => {
    if (canvas.current && peaks) draw(canvas.current, peaks, position, [t('caller'), t('agent')]);
  }, [peaks, position, t('caller')]);

  const total = peaks?.durationSec ?? props.durationMs / 1000;
  const seek = (seconds: number): void => {
    const target = Math.max(0, Math.min(total, seconds));
    // The play head moves at once; the audio follows when it has loaded enough to seek.
    setPosition(target);
    if (audio.current) audio.current.currentTime = target;
  };
  useEffect(() => props.onPosition?.(position), [position]);
  useEffect(() => { if (props.seekTo) seek(props.seekTo.seconds); }, [props.seekTo?.key]);
  const onClick = (e: MouseEvent): void => {
    const target = e.currentTarget as HTMLCanvasElement;
    const rect = target.getBoundingClientRect();
    seek(((e.clientX - rect.left) / rect.width) * total);
  };
  const onKey = (e: KeyboardEvent): void => {
    if (e.key === 'ArrowRight') seek(position + 5);
    else if (e.key === 'ArrowLeft') seek(position - 5);
    else if (e.key === 'Home') seek(0);
    else if (e.key === ' ' && audio.current) {
      if (audio.current.paused) void audio.current.play().catch(() => undefined);
      else audio.current.pause();
    } else return;
    e.preventDefault();
  };

  return (
    <div class="recording-player stack">
      <div class="waveform-wrap">
        {peaks ? null : !error && <p class="muted waveform-status" role="status">{t('decoding')}</p>}
        <canvas
          ref={canvas} width={COLUMNS} height={HEIGHT} class="waveform" tabIndex={0} role="slider"
          aria-label={t('waveform')} aria-valuemin={0} aria-valuemax={Math.round(total)} aria-valuenow={Math.round(position)}
          aria-valuetext={t('position', { at: formatDuration(position * 1000), total: formatDuration(total * 1000) })}
          data-decoded={peaks ? 'true' : 'false'} data-channels={peaks ? peaks.channels.length : 0}
          onClick={onClick} onKeyDown={onKey}
        />
      </div>
      {error && <ErrorBanner error={error} />}
      <div class="row">
        <audio ref={audio} controls preload="metadata" src={url ?? undefined} aria-label={t('audio')} />
        <span class="grow" />
        {url && <a class="button-link" href={url} download={`call-${props.callId}.wav`}>{t('download')}</a>}
      </div>
    </div>
  );
}
