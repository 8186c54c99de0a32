import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type Hls from 'hls.js';
import { ApiError } from '@/lib/api-client';
import type { Playback } from '@/types/api';
import { useSession } from '@/lib/session';
import { countdown } from '@/utils/countdown';
import { formatDateTime } from '@/utils/dates';
import { getPlayback } from '../api/get-playback';

// The player: a short-lived signed URL, renewed before it expires without interrupting playback (the
// segment requests switch to the newest token); when the window ends, playback stops with a message.
export function WatchPage() {
  const { id = '' } = useParams();
  const { timeZone } = useSession();
  const video = useRef<HTMLVideoElement>(null);
  const token = useRef<string>('');
  const [playback, setPlayback] = useState<Playback | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [ended, setEnded] = useState(false);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    let hls: Hls | null = null;
    let renew: number | undefined;
    let cancelled = false;
    const schedule = (p: Playback) => {
      const ms = Math.max(2000, Date.parse(p.expires_at) - Date.now() - 5000);
      renew = window.setTimeout(async () => {
        try {
          const next = await getPlayback(id);
          if (cancelled) return;
          token.current = next.token ?? '';
          setPlayback(next);
          schedule(next);
        } catch (e) {
          if (cancelled) return;
          if (e instanceof ApiError && e.status === 403) {
            setEnded(true);
            video.current?.pause();
            hls?.destroy();
          } else {
            schedule(p);
          }
        }
      }, ms);
    };
    getPlayback(id)
      .then(async (p) => {
        // hls.js is half the application's weight: load it only on this page, only when needed.
        const Hls = p.url.includes('.m3u8') ? (await import('hls.js')).default : null;
        if (cancelled || !video.current) return;
        token.current = p.token ?? '';
        setPlayback(p);
        const v = video.current;
        v.muted = true;
        if (Hls && Hls.isSupported()) {
          hls = new Hls({
            enableWorker: false,
            maxBufferLength: 8,
            maxMaxBufferLength: 12,
            xhrSetup: (xhr, url) =>
              xhr.open('GET', token.current ? url.replace(/\/media\/[^/]+\//, `/media/${token.current}/`) : url, true),
          });
          hls.loadSource(p.url);
          hls.attachMedia(v);
        } else {
          v.src = p.url;
        }
        void v.play().catch(() => undefined);
        schedule(p);
      })
      .catch((e: unknown) => {
        if (!cancelled) setError(e instanceof ApiError ? e : new ApiError(0, { detail: 'Не удалось открыть просмотр' }));
      });
    const tick = window.setInterval(() => setNow(Date.now()), 1000);
    return () => {
      cancelled = true;
      window.clearTimeout(renew);
      window.clearInterval(tick);
      hls?.destroy();
    };
  }, [id]);

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
  return (
    <section className="watch">
      <h1>{playback?.title ?? 'Просмотр'}</h1>
      {playback && !ended && left && (
        <p className="countdown">
          До конца просмотра: {left} · <Link to="/rentals">Продлить аренду</Link>
        </p>
      )}
      <video ref={video} data-testid="player" controls playsInline className="player" />
      {ended && (
        <p className="alert alert-error" role="alert">
          Время просмотра закончилось.{' '}
          {playback?.premiere_id ? <Link to={`/premiere/${playback.premiere_id}`}>Арендовать снова</Link> : null}
        </p>
      )}
    </section>
  );
}
