// The time left until a moment: "2 д 03:04:05", "01:02:03", or null once it has come.
export function countdown(toIso: string, now: number = Date.now()): string | null {
  let s = Math.floor((Date.parse(toIso) - now) / 1000);
  if (!(s > 0)) return null;
  const days = Math.floor(s / 86400);
  s -= days * 86400;
  const pad = (n: number) => n.toString().padStart(2, '0');
  const clock = `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  return days > 0 ? `${days}\u00a0д ${clock}` : clock;
}
