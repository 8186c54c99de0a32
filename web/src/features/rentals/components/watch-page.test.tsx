import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { Playback } from '@/types/api';
import { WatchPage } from './watch-page';

// hls.js stands in as a recorder: the config it was made with, the handlers given to it, what was asked of it.
type FakeHls = {
  config: { startPosition?: number; xhrSetup?: (xhr: { open: (...args: unknown[]) => void }, url: string) => void };
  handlers: Record<string, (event: string, data: unknown) => void>;
  loadSource: ReturnType<typeof vi.fn>;
  attachMedia: ReturnType<typeof vi.fn>;
  destroy: ReturnType<typeof vi.fn>;
};
const hls = vi.hoisted(() => ({ instances: [] as FakeHls[] }));
vi.mock('hls.js', () => ({
  default: class {
    static isSupported = () => true;
    static Events = { ERROR: 'hlsError' };
    static ErrorTypes = { NETWORK_ERROR: 'networkError', MEDIA_ERROR: 'mediaError' };
    config: FakeHls['config'];
    handlers: FakeHls['handlers'] = {};
    loadSource = vi.fn();
    attachMedia = vi.fn();
    destroy = vi.fn();
    constructor(config: FakeHls['config']) {
      this.config = config;
      hls.instances.push(this);
    }
    on(event: string, handler: (event: string, data: unknown) => void) {
      this.handlers[event] = handler;
    }
  },
}));

const S1 = 'AAAAAAAAAAAAAAAAAAAAAA';
const S2 = 'BBBBBBBBBBBBBBBBBBBBBB';
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const answer = (over: Partial<Playback> = {}): Playback => ({
  url: '/media/tok-1/1/master.m3u8',
  token: 'tok-1',
  session: S1,
  expires_at: inSeconds(60),
  title: 'Маузер',
  premiere_id: 1,
  ends_at: '2098-01-01T00:00:00Z',
  resume_at: 0,
  took_over: false,
  ...over,
});
const takenOver = {
  type: 'https://chance.local/problems/playback-taken-over',
  title: 'Просмотр продолжен на другом устройстве',
  status: 409,
  detail: 'Эту аренду начали смотреть на другом устройстве',
};

const isStart = (url: string, init: RequestInit) => url === '/api/v1/rentals/7/playback' && init.method === 'POST';
const isRenew = (url: string, init: RequestInit) => url.startsWith('/api/v1/rentals/7/playback?') && init.method === 'GET';
const isBeacon = (url: string, init: RequestInit) => url === '/api/v1/rentals/7/playback/beacon' && init.method === 'POST';
const isReport = (url: string, init: RequestInit) => url === '/api/v1/rentals/7/problems' && init.method === 'POST';
type Call = { url: string; init: RequestInit };
const starts = (calls: Call[]) => calls.filter((c) => isStart(c.url, c.init));
const renewals = (calls: Call[]) => calls.filter((c) => isRenew(c.url, c.init));
const beacons = (calls: Call[]) => calls.filter((c) => isBeacon(c.url, c.init)).map((c) => JSON.parse(c.init.body as string));

const TAKEN_OVER = 'Просмотр продолжен на другом устройстве. Одновременно аренду можно смотреть только на одном устройстве.';

function renderPage() {
  renderWithProviders(
    <Routes>
      <Route path="/watch/:id" element={<WatchPage />} />
    </Routes>,
    { path: '/watch/7' },
  );
  return screen.getByTestId('player') as HTMLVideoElement;
}

// Fake timers for the renewal and the beacons (see import-page.test.tsx: Testing Library advances them itself only
// when it sees Jest's).
function fakeTimers() {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  vi.stubGlobal('jest', { advanceTimersByTime: (ms: number) => vi.advanceTimersByTime(ms) });
}
const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

// jsdom plays nothing: play and pause are stand-ins, and a test says when the video plays.
function playing(video: HTMLVideoElement, at: number) {
  vi.spyOn(HTMLMediaElement.prototype, 'paused', 'get').mockReturnValue(false);
  video.currentTime = at;
  fireEvent.playing(video);
}

beforeEach(() => {
  hls.instances.length = 0;
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
  vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  sessionStorage.clear();
});

describe('the player', () => {
  it('starts a stream with a POST and resumes where the customer stopped, with a way back to the start', async () => {
    const { calls } = stubApi([{ match: isStart, body: answer({ resume_at: 754 }) }]);
    const video = renderPage();
    expect(await screen.findByTestId('resume-note')).toHaveTextContent('Продолжаем с 12:34 Смотреть с начала');
    expect(screen.getByRole('heading', { level: 1, name: 'Маузер' })).toBeInTheDocument();
    expect(starts(calls)).toHaveLength(1);
    expect(starts(calls)[0].init.body).toBe('{}');
    expect(calls).toHaveLength(1);
    expect(hls.instances).toHaveLength(1);
    expect(hls.instances[0].config.startPosition).toBe(754);
    expect(hls.instances[0].loadSource).toHaveBeenCalledWith('/media/tok-1/1/master.m3u8');
    expect(hls.instances[0].attachMedia).toHaveBeenCalledWith(video);
    expect(screen.queryByTestId('stopped-elsewhere')).toBeNull();

    video.currentTime = 760;
    fireEvent.click(screen.getByRole('button', { name: 'Смотреть с начала' }));
    expect(video.currentTime).toBe(0);
    expect(screen.queryByTestId('resume-note')).toBeNull();
  });

  it('plays from the start when the customer stopped in the first seconds', async () => {
    stubApi([{ match: isStart, body: answer({ resume_at: 4 }) }]);
    renderPage();
    await waitFor(() => expect(hls.instances).toHaveLength(1));
    expect(hls.instances[0].config.startPosition).toBe(-1);
    expect(screen.queryByTestId('resume-note')).toBeNull();
  });

  it('without hls.js seeks to the resume point once the metadata is in, and says another device was stopped', async () => {
    stubApi([{ match: isStart, body: answer({ url: '/media/tok-1/1/premiere.mp4', resume_at: 3725, took_over: true }) }]);
    const video = renderPage();
    expect(await screen.findByTestId('resume-note')).toHaveTextContent('Продолжаем с 1:02:05');
    expect(screen.getByTestId('stopped-elsewhere')).toHaveTextContent('Просмотр на другом устройстве остановлен');
    expect(hls.instances).toHaveLength(0);
    expect(video.getAttribute('src')).toBe('/media/tok-1/1/premiere.mp4');
    expect(video.currentTime).toBe(0);
    fireEvent.loadedMetadata(video);
    expect(video.currentTime).toBe(3725);
  });

  it('after a reload of the tab, the stream it ended was its own: no note about another device', async () => {
    sessionStorage.setItem('chance.playback.7', S1);
    stubApi([{ match: isStart, body: answer({ session: S2, took_over: true }) }]);
    renderPage();
    await waitFor(() => expect(hls.instances).toHaveLength(1));
    expect(screen.queryByTestId('stopped-elsewhere')).toBeNull();
    expect(sessionStorage.getItem('chance.playback.7')).toBe(S2);
  });

  it('renews the URL within the stream with GET ?session= before it expires, and the segments take the new token', async () => {
    fakeTimers();
    const { calls } = stubApi([
      { match: isStart, body: answer({ expires_at: inSeconds(8) }) },
      { match: isRenew, body: () => answer({ token: 'tok-2', url: '/media/tok-2/1/master.m3u8', expires_at: inSeconds(8) }) },
    ]);
    renderPage();
    await advance(0);
    await waitFor(() => expect(hls.instances).toHaveLength(1));
    expect(renewals(calls)).toHaveLength(0);

    // Five seconds before the 8-second URL expires.
    await advance(3000);
    await waitFor(() => expect(renewals(calls)).toHaveLength(1));
    expect(renewals(calls)[0].url).toBe(`/api/v1/rentals/7/playback?session=${S1}`);
    expect(starts(calls)).toHaveLength(1);
    const open = vi.fn();
    hls.instances[0].config.xhrSetup!({ open }, '/media/tok-1/1/v1/seg_001.ts');
    expect(open).toHaveBeenCalledWith('GET', '/media/tok-2/1/v1/seg_001.ts', true);
  });

  it('beacons the session and the position every 5 seconds while playing, on pause and when the tab is hidden', async () => {
    fakeTimers();
    const { calls } = stubApi([
      { match: isStart, body: answer() },
      { match: isBeacon, status: 204, body: null },
    ]);
    const video = renderPage();
    await advance(0);
    await waitFor(() => expect(hls.instances).toHaveLength(1));

    // Paused before anything played: the video's time is not a position yet.
    fireEvent.pause(video);
    await waitFor(() => expect(beacons(calls)).toEqual([{ session: S1 }]));

    playing(video, 12.7);
    await advance(5000);
    await waitFor(() => expect(beacons(calls)).toHaveLength(2));
    expect(beacons(calls)[1]).toEqual({ session: S1, position: 12 });

    video.currentTime = 15.2;
    fireEvent.pause(video);
    await waitFor(() => expect(beacons(calls)).toHaveLength(3));
    expect(beacons(calls)[2]).toEqual({ session: S1, position: 15 });

    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    try {
      fireEvent(document, new Event('visibilitychange'));
    } finally {
      delete (document as { visibilityState?: string }).visibilityState;
    }
    await waitFor(() => expect(beacons(calls)).toHaveLength(4));
    expect(beacons(calls)[3]).toEqual({ session: S1, position: 15 });
    expect(calls.filter((c) => isBeacon(c.url, c.init)).map((c) => c.init.keepalive)).toEqual([undefined, undefined, undefined, true]);
  });

  it('stops when a beacon answers that another device took the stream, and «Смотреть здесь» takes it back', async () => {
    fakeTimers();
    let started = 0;
    const { calls } = stubApi([
      { match: isStart, body: () => (++started === 1 ? answer() : answer({ session: S2, token: 'tok-3', resume_at: 95, took_over: true })) },
      { match: isBeacon, status: 409, body: takenOver },
    ]);
    const video = renderPage();
    await advance(0);
    await waitFor(() => expect(hls.instances).toHaveLength(1));
    playing(video, 40);
    await advance(5000);

    const alert = await screen.findByTestId('taken-over');
    expect(alert).toHaveAttribute('role', 'alert');
    expect(alert).toHaveTextContent(`${TAKEN_OVER} Смотреть здесь`);
    expect(hls.instances[0].destroy).toHaveBeenCalled();
    expect(HTMLMediaElement.prototype.pause).toHaveBeenCalled();
    expect(sessionStorage.getItem('chance.playback.7')).toBeNull();
    // Stopped: no more beacons, no renewal.
    const sent = beacons(calls).length;
    await advance(60000);
    expect(beacons(calls)).toHaveLength(sent);
    expect(renewals(calls)).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'Смотреть здесь' }));
    await advance(0);
    await waitFor(() => expect(hls.instances).toHaveLength(2));
    expect(starts(calls)).toHaveLength(2);
    expect(hls.instances[1].config.startPosition).toBe(95);
    expect(screen.queryByTestId('taken-over')).toBeNull();
    expect(screen.getByTestId('resume-note')).toHaveTextContent('Продолжаем с 1:35');
    expect(screen.getByTestId('stopped-elsewhere')).toHaveTextContent('Просмотр на другом устройстве остановлен');
  });

  it('stops when the renewal answers that another device took the stream', async () => {
    fakeTimers();
    stubApi([
      { match: isStart, body: answer({ expires_at: inSeconds(8) }) },
      { match: isRenew, status: 409, body: takenOver },
    ]);
    renderPage();
    await advance(0);
    await waitFor(() => expect(hls.instances).toHaveLength(1));
    await advance(3000);
    expect(await screen.findByTestId('taken-over')).toHaveTextContent(TAKEN_OVER);
    expect(hls.instances[0].destroy).toHaveBeenCalled();
  });

  it('takes a refused segment for a takeover only when the renewal says so, and reports other failures', async () => {
    fakeTimers();
    let taken = false;
    const { calls } = stubApi([
      { match: isStart, body: answer() },
      { match: (url, init) => isRenew(url, init) && !taken, body: () => answer({ token: 'tok-2' }) },
      { match: (url, init) => isRenew(url, init) && taken, status: 409, body: takenOver },
      { match: isBeacon, status: 204, body: null },
    ]);
    renderPage();
    await advance(0);
    await waitFor(() => expect(hls.instances).toHaveLength(1));
    const fail = (data: Record<string, unknown>) => act(() => hls.instances[0].handlers.hlsError('hlsError', { fatal: true, ...data }));

    // A 403 while the stream is still this device's (a stale URL): renewed, and reported.
    await fail({ type: 'networkError', details: 'fragLoadError', response: { code: 403, text: 'Forbidden' } });
    await waitFor(() => expect(beacons(calls)).toEqual([{ session: S1, error: 'networkError: fragLoadError' }]));
    expect(renewals(calls)).toHaveLength(1);

    // Another fatal error is reported as it is.
    await fail({ type: 'mediaError', details: 'bufferAppendError' });
    await waitFor(() => expect(beacons(calls)).toHaveLength(2));
    expect(beacons(calls)[1]).toEqual({ session: S1, error: 'mediaError: bufferAppendError' });
    expect(renewals(calls)).toHaveLength(1);
    expect(screen.queryByTestId('taken-over')).toBeNull();

    // A 403 after another device started: the renewal's 409 says so, and nothing is reported.
    taken = true;
    await fail({ type: 'networkError', details: 'fragLoadError', response: { code: 403, text: 'Forbidden' } });
    expect(await screen.findByTestId('taken-over')).toHaveTextContent(TAKEN_OVER);
    expect(renewals(calls)).toHaveLength(2);
    expect(beacons(calls)).toHaveLength(2);
  });

  it('explains a start refused outside the window, as before', async () => {
    stubApi([
      {
        match: isStart,
        status: 403,
        body: { type: 'rental-not-started', title: 'Показ ещё не начался', status: 403, detail: 'Показ ещё не начался', starts_at: '2098-12-01T16:00:00Z', premiere_id: 1 },
      },
    ]);
    renderPage();
    expect(await screen.findByRole('alert')).toHaveTextContent('Показ ещё не начался: смотреть можно с 01.12.2098, 19:00.');
    expect(screen.queryByTestId('player')).toBeNull();
  });
});

describe('«Сообщить о проблеме»', () => {
  const THANKS = 'Спасибо, мы получили ваше сообщение и разберёмся. Ответ придёт на почту.';
  const reports = (calls: Call[]) => calls.filter((c) => isReport(c.url, c.init));

  async function openForm() {
    await screen.findByTestId('report-problem');
    fireEvent.click(screen.getByRole('button', { name: 'Сообщить о проблеме' }));
    const form = screen.getByRole('form', { name: 'Сообщение о проблеме' });
    return { form, text: screen.getByLabelText('Что случилось?') };
  }

  it('is offered once the stream is open, and posts the customer’s words with the stream, then thanks', async () => {
    const { calls } = stubApi([
      { match: isStart, body: answer() },
      { match: isReport, status: 201, body: { id: 3, detail: THANKS } },
    ]);
    renderPage();
    const { text } = await openForm();
    expect(text).toHaveFocus();
    expect(text).toHaveAttribute('maxLength', '1000');
    expect(text).toBeRequired();
    fireEvent.change(text, { target: { value: '  Картинка останавливается каждую минуту ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Отправить' }));

    expect(await screen.findByRole('status')).toHaveTextContent(THANKS);
    expect(reports(calls)).toHaveLength(1);
    expect(JSON.parse(reports(calls)[0].init.body as string)).toEqual({ text: 'Картинка останавливается каждую минуту', session: S1 });
    expect(screen.queryByRole('form', { name: 'Сообщение о проблеме' })).toBeNull();
    expect(screen.queryByTestId('report-problem')).toBeNull();
  });

  it('asks for the words before sending, and «Отмена» closes the form', async () => {
    const { calls } = stubApi([{ match: isStart, body: answer() }]);
    renderPage();
    await openForm();
    fireEvent.click(screen.getByRole('button', { name: 'Отправить' }));
    expect(await screen.findByText('Напишите, что случилось')).toBeInTheDocument();
    expect(reports(calls)).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Отмена' }));
    expect(screen.queryByRole('form', { name: 'Сообщение о проблеме' })).toBeNull();
    await waitFor(() => expect(screen.getByTestId('report-problem')).toHaveFocus());
  });

  it('shows the server’s refusal of the text under the field', async () => {
    stubApi([
      { match: isStart, body: answer() },
      { match: isReport, status: 400, body: { title: 'Данные не прошли проверку', status: 400, errors: [{ field: 'text', message: 'Не длиннее 1000 символов' }] } },
    ]);
    renderPage();
    const { text } = await openForm();
    fireEvent.change(text, { target: { value: 'Не грузится' } });
    fireEvent.click(screen.getByRole('button', { name: 'Отправить' }));
    const message = await screen.findByText('Не длиннее 1000 символов');
    expect(message).toHaveAttribute('role', 'alert');
    expect(text).toHaveAttribute('aria-invalid', 'true');
    expect(text).toHaveAttribute('aria-describedby', message.id);
    expect(screen.getAllByRole('alert')).toEqual([message]);
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('says a report is open already (409) below the form', async () => {
    stubApi([
      { match: isStart, body: answer() },
      {
        match: isReport,
        status: 409,
        body: { type: 'https://chance.local/problems/problem-already-reported', title: 'Уже сообщили', status: 409, detail: 'Вы уже сообщили о проблеме с этой арендой: мы разбираемся' },
      },
    ]);
    renderPage();
    const { text } = await openForm();
    fireEvent.change(text, { target: { value: 'Снова не грузится' } });
    fireEvent.click(screen.getByRole('button', { name: 'Отправить' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Вы уже сообщили о проблеме с этой арендой: мы разбираемся');
    expect(text).not.toHaveAttribute('aria-invalid');
  });
});
