import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import Hls from 'hls.js';
import { api, ApiError } from '@/lib/api-client';
import { countdown } from '@/utils/format';

type Playback = { url: string; token: string; expires_at: string; title: string; ends_at: string };

// The player: a short-lived signed URL, renewed before it expires without interrupting playback (the
// segment requests switch to the newest token); when the window ends, playback stops with a clear message.
export function WatchPage() {
  const { id } = useParams();
  const video = useRef<HTMLVideoElement>(null);
  const token = useRef<string>('');
  const [playback, setPlayback] = useState<Playback | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [ended, setEnded] = useState(false);
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    let hls: Hls | null = null;
    let renew: number | undefined;
    let cancelled = false;
    const schedule = (p: Playback) => {
      const ms = Math.max(2000, Date.parse(p.expires_at) - Date.now() - 5000);
      renew = window.setTimeout(async () => {
        try {
          const next = await api<Playback>('GET', `/rentals/${id}/playback`);
          token.current = next.token;
          setPlayback(next);
          schedule(next);
        } catch (e) {
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
    api<Playback>('GET', `/rentals/${id}/playback`)
      .then((p) => {
        if (cancelled || !video.current) return;
        token.current = p.token;
        setPlayback(p);
        const v = video.current;
        v.muted = true;
        if (Hls.isSupported()) {
          hls = new Hls({
            enableWorker: false,
            maxBufferLength: 8,
            maxMaxBufferLength: 12,
            xhrSetup: (xhr, url) => xhr.open('GET', url.replace(/\/media\/[^/]+\//, `/media/${token.current}/`), true),
          });
          hls.loadSource(p.url);
          hls.attachMedia(v);
        } else {
          v.src = p.url;
        }
        void v.play().catch(() => undefined);
        schedule(p);
      })
      .catch((e) => setError(e instanceof ApiError ? e : new ApiError(0, { detail: 'Не удалось открыть просмотр' })));
    const tick = window.setInterval(() => setNow(Date.now()), 1000);
    return () => {
      cancelled = true;
      window.clearTimeout(renew);
      window.clearInterval(tick);
      hls?.destroy();
    };
  }, [id]);

  useEffect(() => {
    if (playback && Date.parse(playback.ends_at) <= now && !ended) {
      setEnded(true);
      video.current?.pause();
    }
  }, [now, playback, ended]);

  if (error) {
    return (
      <section>
        <h1>{error.title}</h1>
        <p className="error" role="alert">{error.detail}</p>
        <Link to="/rentals">Вернуться в «Мои премьеры»</Link>
      </section>
    );
  }
  const left = playback ? countdown(playback.ends_at, now) : null;
  return (
    <section>
      <h1>{playback?.title ?? 'Просмотр'}</h1>
      {playback && !ended && <p className="countdown">До конца просмотра: {left}</p>}
      <video ref={video} data-testid="player" controls playsInline className="player" />
      {ended && (
        <p className="error" role="alert">
          Время просмотра закончилось. <Link to="/rentals">Продлить аренду</Link>
        </p>
      )}
    </section>
  );
}
