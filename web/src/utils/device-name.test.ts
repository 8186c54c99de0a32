import { deviceName, UNKNOWN_DEVICE } from './device-name';

const UA = {
  chromeAndroid: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  chromeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  headlessLinux: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
  firefoxWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  firefoxLinux: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  safariIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  safariIpad: 'Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
  safariMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  chromeIphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1',
  yandexWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 YaBrowser/24.12.0.0 Safari/537.36',
  yandexAndroid:
    'Mozilla/5.0 (Linux; arm_64; Android 13; SM-A525F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 YaBrowser/24.10.1.120.00 SA/3 Mobile Safari/537.36',
  edgeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  operaMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0',
  samsung:
    'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
  chromebook: 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
};

describe('deviceName', () => {
  it('names the browser and the system', () => {
    expect(deviceName(UA.chromeAndroid)).toBe('Chrome, Android');
    expect(deviceName(UA.chromeWindows)).toBe('Chrome, Windows');
    expect(deviceName(UA.headlessLinux)).toBe('Chrome, Linux');
    expect(deviceName(UA.firefoxWindows)).toBe('Firefox, Windows');
    expect(deviceName(UA.firefoxLinux)).toBe('Firefox, Linux');
    expect(deviceName(UA.safariIphone)).toBe('Safari, iPhone');
    expect(deviceName(UA.safariIpad)).toBe('Safari, iPad');
    expect(deviceName(UA.safariMac)).toBe('Safari, macOS');
    expect(deviceName(UA.chromeIphone)).toBe('Chrome, iPhone');
    expect(deviceName(UA.chromebook)).toBe('Chrome, ChromeOS');
  });

  it('tells the browsers built on Chromium from Chrome', () => {
    expect(deviceName(UA.yandexWindows)).toBe('Яндекс Браузер, Windows');
    expect(deviceName(UA.yandexAndroid)).toBe('Яндекс Браузер, Android');
    expect(deviceName(UA.edgeWindows)).toBe('Edge, Windows');
    expect(deviceName(UA.operaMac)).toBe('Opera, macOS');
    expect(deviceName(UA.samsung)).toBe('Samsung Internet, Android');
  });

  it('says what it knows when only the browser or only the system is recognised', () => {
    expect(deviceName('Mozilla/5.0 (Windows NT 10.0) Something/1.0')).toBe('Windows');
    expect(deviceName('Firefox/133.0')).toBe('Firefox');
  });

  it('falls back for an empty or an unrecognised User-Agent', () => {
    expect(deviceName('')).toBe(UNKNOWN_DEVICE);
    expect(deviceName('curl/8.11.0')).toBe('Неизвестное устройство');
    expect(deviceName('python-requests/2.32.3')).toBe('Неизвестное устройство');
  });
});
