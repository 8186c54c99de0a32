// «Где выполнен вход» (and «Сеансы» on the staff's customer card): a short name for the device of a session, from
// the User-Agent its browser sent when it signed in — the browser and the system («Chrome, Android», «Safari,
// iPhone»), whichever of the two is known.
export const UNKNOWN_DEVICE = 'Неизвестное устройство';

// The first match wins: browsers built on Chromium name Chrome (and Safari) too, so they come first; Chrome
// names Safari, so it comes before Safari.
const BROWSERS: [RegExp, string][] = [
  [/YaBrowser\//, 'Яндекс Браузер'],
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrome\/|CriOS\/|Chromium\//, 'Chrome'],
  [/Version\/[\d.]+.*Safari\//, 'Safari'],
];

// iPhone and iPad say «like Mac OS X», and Android says Linux: they come before macOS and Linux.
const SYSTEMS: [RegExp, string][] = [
  [/iPhone/, 'iPhone'],
  [/iPad/, 'iPad'],
  [/Android/, 'Android'],
  [/Windows/, 'Windows'],
  [/Macintosh|Mac OS X/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

const first = (list: [RegExp, string][], ua: string) => list.find(([pattern]) => pattern.test(ua))?.[1];

export function deviceName(userAgent: string): string {
  const known = [first(BROWSERS, userAgent), first(SYSTEMS, userAgent)].filter(Boolean);
  return known.length ? known.join(', ') : UNKNOWN_DEVICE;
}
