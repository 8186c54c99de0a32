// The player's model, free of React (ADR 0025): where to resume, the position a beacon carries, how a taken-over
// stream is recognised, and which stream this browser tab started last.
import { ApiError } from '@/lib/api-client';

// A stream resumes where the customer stopped only past this many seconds (closer to the start: from the start).
export const RESUME_AFTER = 5;
// The beacon's bound on a position: a week, in seconds.
const MAX_POSITION = 7 * 24 * 3600;

// Where a start should play from: its resume_at past RESUME_AFTER seconds, else 0 (the beginning).
export function resumePosition(resumeAt: number | undefined): number {
  return typeof resumeAt === 'number' && Number.isFinite(resumeAt) && resumeAt > RESUME_AFTER ? Math.floor(resumeAt) : 0;
}

// A position in the premiere as the player shows it: "12:34", or "1:02:05" from an hour on.
export function formatPosition(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number) => n.toString().padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

// The video's time as a beacon sends it: whole seconds within the bounds the API takes; undefined when it is not a
// number (no media yet).
export function beaconPosition(currentTime: number): number | undefined {
  if (!Number.isFinite(currentTime)) return undefined;
  return Math.min(MAX_POSITION, Math.max(0, Math.floor(currentTime)));
}

// The 409 a renewal or a beacon answers once another device started the rental.
export function isTakenOver(e: unknown): boolean {
  return e instanceof ApiError && e.status === 409 && typeof e.body.type === 'string' && e.body.type.endsWith('playback-taken-over');
}

// The stream this tab started last for a rental (sessionStorage survives a reload, and is the tab's own): a start
// that ends it is this tab coming back, not another device stopped. Forgotten once another device took it over.
const key = (rentalId: string) => `chance.playback.${rentalId}`;

export function tabStream(rentalId: string): string | null {
  try {
    return window.sessionStorage.getItem(key(rentalId));
  } catch {
    return null;
  }
}

export function rememberTabStream(rentalId: string, session: string) {
  try {
    window.sessionStorage.setItem(key(rentalId), session);
  } catch {
    // Storage refused (a private window): the note about another device may then show after a reload too.
  }
}

export function forgetTabStream(rentalId: string) {
  try {
    window.sessionStorage.removeItem(key(rentalId));
  } catch {
    // As above.
  }
}
