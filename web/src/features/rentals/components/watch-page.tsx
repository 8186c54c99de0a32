import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type Hls from 'hls.js';
import { ApiError } from '@/lib/api-client';
import type { Playback } from '@/types/api';
import { useSession } from '@/lib/session';
import { countdown } from '@/utils/countdown';
import { formatDateTime } from '@/utils/dates';
import { getPlayback } from '../api/get-playback';
import { sendPlaybackBeacon } from '../api/send-playback-beacon';
import { startPlayback } from '../api/start-playback';
import { beaconPosition, forgetTabStream, formatPosition, isTakenOver, rememberTabStream, resumePosition, tabStream } from '../playback';
import { ProblemReport } from './problem-report';

// How often a playing video reports where it is (ADR 0025): the resume position, and how soon a stream taken over
// by another device learns it.
const BEACON_MS = 5000;

type Renewal = 'renewed' | 'failed' | 'over';

// The player: a stream of the rental on this device (started by POST, which ends the rental's stream on any other
// device), its short-lived signed URL renewed within the stream before it expires without interrupting playback (the
// segment requests switch to the newest token), and a beacon with the position every few seconds and on pause, on
// hiding the tab and on leaving. It resumes where the customer stopped on any device; when another device takes the
// stream over, playback stops and «Смотреть здесь» takes it back; when the window ends, playback stops with a message.
// «Сообщить о проблеме» sends the customer's words to the store with the stream being watched (ADR 0026).
export function WatchPage() {
  const { id = '' } = useParams();
  const { timeZone } = useSession();
  const video = useRef<HTMLVideoElement>(null);
  const token = useRef<string>('');
  const [playback, setPlayback] = useState<Playback | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [ended, setEnded] = useState(false);
  const [takenOver, setTakenOver] = useState(false);
  // «Смотреть здесь» counts up: a new stream on this device.
  const [attempt, setAttempt] = useState(0);
  // The position this stream resumed at (0: from the start, no note), and whether it stopped another device's.
  const [resumedAt, setResumedAt] = useState(0);
  const [stoppedElsewhere, setStoppedElsewhere] = useState(false);
  // The stream this page started last: a problem report names it.
  const [stream, setStream] = useState('');
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    let hls: Hls | null = null;
    let media: HTMLVideoElement | null = null;
    let current: Playback | null = null;
    let session = '';
    let renew: number | undefined;
    let beat: number | undefined;
    let renewing: Promise<Renewal> | null = null;
    let cancelled = false; // this run is over: the page closed, or «Смотреть здесь» began another stream
    let stopped = false; // the stream is over: another device took it, or the window ended
    let positioned = false; // played from its start position: the video's time is worth keeping as the resume point

    const stop = () => {
      stopped = true;
      window.clearTimeout(renew);
      window.clearInterval(beat);
      media?.pause();
      hls?.destroy();
      hls = null;
    };
    const takeOver = () => {
      if (stopped || cancelled) return;
      stop();
      forgetTabStream(id);
      setTakenOver(true);
    };

    const beacon = (error?: string, keepalive = false) => {
      if (!session || stopped) return;
      const position = positioned && media ? beaconPosition(media.currentTime) : undefined;
      sendPlaybackBeacon(id, { session, position, error: error?.slice(0, 200) || undefined }, keepalive).catch((e: unknown) => {
        if (isTakenOver(e)) takeOver();
      });
    };

    const schedule = (p: Playback) => {
      window.clearTimeout(renew);
      renew = window.setTimeout(() => void renewNow(), Math.max(2000, Date.parse(p.expires_at) - Date.now() - 5000));
    };
    // One renewal at a time (the timer's, or a media failure's check).
    const renewNow = (): Promise<Renewal> => {
      window.clearTimeout(renew);
      renewing ??= getPlayback(id, session)
        .then(
          (next): Renewal => {
            if (cancelled || stopped) return 'over';
            current = next;
            token.current = next.token ?? '';
            setPlayback(next);
            schedule(next);
            return 'renewed';
          },
          (e: unknown): Renewal => {
            if (cancelled || stopped) return 'over';
            if (isTakenOver(e)) {
              takeOver();
              return 'over';
            }
            if (e instanceof ApiError && e.status === 403) {
              stop();
              setEnded(true);
              return 'over';
            }
            if (current) schedule(current);
            return 'failed';
          },
        )
        .finally(() => {
          renewing = null;
        });
      return renewing;
    };
    // A media request failed. A refusal (403) after a good start is a stream taken over only when the renewal says
    // so (or the window's end, likewise); anything else is reported to the store.
    const mediaFailed = (what: string, refused: boolean) => {
      if (stopped || cancelled) return;
      if (!refused) return beacon(what);
      void renewNow().then((r) => {
        if (r !== 'over') beacon(what);
      });
    };

    const onPlaying = () => {
      positioned = true;
    };
    const onPause = () => beacon();
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') beacon(undefined, true);
    };
    const onLeave = () => beacon(undefined, true);
    // Without hls.js the element itself is told where to start, once it knows the media.
    let seekToResume: (() => void) | null = null;
    const onMediaError = () => {
      const e = media?.error;
      // MEDIA_ERR_NETWORK (2) may be a refused segment; the element does not say which status it got.
      mediaFailed(`media: ${e?.code ?? 0}${e?.message ? ` ${e.message}` : ''}`, e?.code === 2);
    };

    // Started on the next turn, not in the effect itself: React's development double run of effects then starts one
    // stream, not two (the second would end the first and say another device was stopped).
    const begin = window.setTimeout(() => {
      const previous = tabStream(id);
      startPlayback(id)
        .then(async (p) => {
          rememberTabStream(id, p.session);
          // hls.js is half the application's weight: load it only on this page, only when needed.
          const Hls = p.url.includes('.m3u8') ? (await import('hls.js')).default : null;
          if (cancelled || !video.current) return;
          const v = (media = video.current);
          session = p.session;
          current = p;
          token.current = p.token ?? '';
          const resume = resumePosition(p.resume_at);
          setPlayback(p);
          setStream(p.session);
          setResumedAt(resume);
          // A start that ended this tab's own earlier stream (a reload) stopped no other device.
          setStoppedElsewhere(!!p.took_over && previous === null);
          v.muted = true;
          v.addEventListener('playing', onPlaying);
          v.addEventListener('pause', onPause);
          document.addEventListener('visibilitychange', onVisibility);
          window.addEventListener('pagehide', onLeave);
          if (Hls && Hls.isSupported()) {
            hls = new Hls({
              enableWorker: false,
              maxBufferLength: 8,
              maxMaxBufferLength: 12,
              startPosition: resume > 0 ? resume : -1,
              xhrSetup: (xhr, url) =>
                xhr.open('GET', token.current ? url.replace(/\/media\/[^/]+\//, `/media/${token.current}/`) : url, true),
            });
            hls.on(Hls.Events.ERROR, (_event, data) => {
              if (data.fatal)
                mediaFailed(`${data.type}: ${data.details}`, data.type === Hls.ErrorTypes.NETWORK_ERROR && data.response?.code === 403);
            });
            hls.loadSource(p.url);
            hls.attachMedia(v);
          } else {
            seekToResume = () => {
              v.currentTime = resume;
            };
            if (resume > 0) v.addEventListener('loadedmetadata', seekToResume, { once: true });
            v.addEventListener('error', onMediaError);
            v.src = p.url;
          }
          void v.play().catch(() => undefined);
          beat = window.setInterval(() => {
            if (!v.paused && !v.ended) beacon();
          }, BEACON_MS);
          schedule(p);
        })
        .catch((e: unknown) => {
          if (!cancelled) setError(e instanceof ApiError ? e : new ApiError(0, { detail: 'Не удалось открыть просмотр' }));
        });
    }, 0);
    const tick = window.setInterval(() => setNow(Date.now()), 1000);
    return () => {
      // Leaving (or starting another stream): where the customer stopped, sent even as the page goes away.
      beacon(undefined, true);
      cancelled = true;
      window.clearTimeout(begin);
      window.clearTimeout(renew);
      window.clearInterval(beat);
      window.clearInterval(tick);
      media?.removeEventListener('playing', onPlaying);
      media?.removeEventListener('pause', onPause);
      media?.removeEventListener('error', onMediaError);
      if (seekToResume) media?.removeEventListener('loadedmetadata', seekToResume);
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', onLeave);
      hls?.destroy();
    };
  }, [id, attempt]);

  useEffect(() => {
    if (playback?.ends_at && Date.parse(playback.ends_at) <= now && !ended) {
      // The window's end latches `ended` (a later token with a new end does not restart playback) and pauses
      // the video element, outside React: both belong together here, on the clock's tick.
      // eslint-disable-next-line react-hooks/set-state-in-effect
      setEnded(true);
      video.current?.pause();
    }
  }, [now, playback, ended]);

  if (error) {
    // A 403 names the window's edge: say it in the customer's time zone, and offer what helps.
    const startsAt = typeof error.body.starts_at === 'string' ? error.body.starts_at : null;
    const endsAt = typeof error.body.ends_at === 'string' ? error.body.ends_at : null;
    return (
      <section>
        <h1>{error.title}</h1>
        <p className="alert alert-error" role="alert">
          {startsAt
            ? `Показ ещё не начался: смотреть можно с ${formatDateTime(startsAt, timeZone)}.`
            : endsAt
              ? `Время просмотра закончилось ${formatDateTime(endsAt, timeZone)}.`
              : error.detail}
        </p>
        <p>
          {typeof error.body.premiere_id === 'number' && error.status === 403 && !startsAt && (
            <>
              <Link to={`/premiere/${error.body.premiere_id}`}>Арендовать снова</Link>
              {' · '}
            </>
          )}
          <Link to="/rentals">Вернуться в «Мои премьеры»</Link>
        </p>
      </section>
    );
  }
  const left = playback?.ends_at ? countdown(playback.ends_at, now) : null;
  const watchHere = () => {
    setTakenOver(false);
    setResumedAt(0);
    setStoppedElsewhere(false);
    setAttempt((a) => a + 1);
  };
  const fromStart = () => {
    if (video.current) video.current.currentTime = 0;
    setResumedAt(0);
  };
  return (
    <section className="watch">
      <h1>{playback?.title ?? 'Просмотр'}</h1>
      {playback && !ended && left && (
        <p className="countdown">
          До конца просмотра: {left} · <Link to="/rentals">Продлить аренду</Link>
        </p>
      )}
      {takenOver && !ended && (
        <p className="alert alert-error" role="alert" data-testid="taken-over">
          Просмотр продолжен на другом устройстве. Одновременно аренду можно смотреть только на одном устройстве.{' '}
          <button type="button" className="primary" onClick={watchHere}>
            Смотреть здесь
          </button>
        </p>
      )}
      {!takenOver && !ended && stoppedElsewhere && (
        <p className="hint watch-note" role="status" data-testid="stopped-elsewhere">
          Просмотр на другом устройстве остановлен
        </p>
      )}
      {!takenOver && !ended && resumedAt > 0 && (
        <p className="hint watch-note" role="status" data-testid="resume-note">
          Продолжаем с {formatPosition(resumedAt)}{' '}
          <button type="button" className="button-small" onClick={fromStart}>
            Смотреть с начала
          </button>
        </p>
      )}
      <video ref={video} data-testid="player" controls playsInline className="player" />
      {ended && (
        <p className="alert alert-error" role="alert">
          Время просмотра закончилось.{' '}
          {playback?.premiere_id ? <Link to={`/premiere/${playback.premiere_id}`}>Арендовать снова</Link> : null}
        </p>
      )}
      {/* Once a stream is open (and after it was taken over or ended): the customer's words go to the store. */}
      {stream && <ProblemReport key={id} rentalId={id} session={stream} />}
    </section>
  );
}
