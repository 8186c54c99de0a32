// A rental period in hours, as the customer reads it: "12 ч", "24 ч (1 сутки)", "72 ч (3 суток)".
export function hoursLabel(h: number): string {
  if (h % 24 !== 0) return `${h}\u00a0ч`;
  const d = h / 24;
  return `${h}\u00a0ч (${d}\u00a0${d % 10 === 1 && d % 100 !== 11 ? 'сутки' : 'суток'})`;
}

export function periodsLabel(periods: number[]): string {
  return `${periods.join(' / ')}\u00a0ч`;
}
