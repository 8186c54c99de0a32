import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { PlaybackProblem, Refund, User } from '@/types/api';
import { PlaybackProblemsPage, playbackSummary } from './playback-problems-page';

const support: User = { id: '2', email: 'support@chance.local', name: 'Поддержка', phone: null, phone_verified: false, time_zone: 'Asia/Vladivostok', role: 'support' };
const ORDER_ID = '0d5e8c1a-3f7b-4a52-9c1e-2b6d8f0a4e17';

const report: PlaybackProblem = {
  id: 12,
  rental_id: 31,
  order_id: ORDER_ID,
  user_id: '17',
  title: 'Маузер',
  text: 'Картинка останавливается каждую минуту',
  created_at: '2026-12-07T10:05:00Z',
  resolved_at: null,
  resolved_by: null,
  resolution: null,
  playback: { streams: 2, first_segment_at: '2026-12-07T10:01:00Z', last_segment_at: '2026-12-07T10:04:30Z', errors: 3, store_failures: 0, last_error: 'networkError: fragLoadError' },
  refundable: 30000,
};
const refund: Refund = { id: 8, order_id: ORDER_ID, rental_id: 31, amount: 30000, reason: 'Проблема с просмотром: мы вернули деньги за аренду', refunded: 30000, refundable: 0, balance: 30000 };

const LIST = '/api/v1/admin/playback-problems';
const isList = (url: string, init: RequestInit) => url.startsWith(`${LIST}?`) && (init.method ?? 'GET') === 'GET';
const isRefund = (url: string, init: RequestInit) => url === `${LIST}/12/refund` && init.method === 'POST';
const isClose = (url: string, init: RequestInit) => url === `${LIST}/12/close` && init.method === 'POST';
type Call = { url: string; init: RequestInit };
const lists = (calls: Call[]) => calls.filter((c) => isList(c.url, c.init)).map((c) => c.url);

// The open list holds the report until it is resolved; `all` keeps it with its resolution.
function server(resolution: 'refunded' | 'closed' = 'refunded') {
  let resolved = false;
  return {
    list: {
      match: isList,
      body: (url: string) => {
        const all = new URL(url, 'http://store.test').searchParams.get('status') === 'all';
        if (!resolved) return { items: [report] };
        return { items: all ? [{ ...report, resolved_at: '2026-12-07T10:30:00Z', resolved_by: support.id, resolution, refundable: 0 }] : [] };
      },
    },
    resolve: () => {
      resolved = true;
    },
  };
}

function show(path = '/admin/problems') {
  renderWithProviders(<PlaybackProblemsPage />, { path, session: { user: support, timeZone: support.time_zone } });
}

afterEach(() => vi.unstubAllGlobals());

describe('«Проблемы с просмотром»', () => {
  it('lists the open reports: the premiere, the customer’s words, when, the order, the playback in words, what is left to refund', async () => {
    const { calls } = stubApi([server().list]);
    show();
    expect(screen.getByRole('heading', { level: 1, name: 'Проблемы с просмотром' })).toBeInTheDocument();
    const item = await screen.findByTestId('problem');
    expect(lists(calls)).toEqual([`${LIST}?status=open`]);
    expect(screen.getByLabelText('Показывать')).toHaveValue('open');
    expect(within(item).getByRole('heading', { level: 2, name: 'Маузер' })).toBeInTheDocument();
    expect(item).toHaveTextContent('Картинка останавливается каждую минуту');
    // Times in the staff member's zone (Vladivostok, UTC+10).
    expect(item).toHaveTextContent(`Сообщение от 07.12.2026, 20:05 · заказ ${ORDER_ID}`);
    expect(within(item).getByRole('link', { name: 'карточка покупателя' })).toHaveAttribute('href', `/staff/customers?order=${ORDER_ID}`);
    expect(within(item).getByTestId('problem-playback')).toHaveTextContent(
      'Просмотров: 2 · первый фрагмент: 07.12.2026, 20:01 · последний фрагмент: 07.12.2026, 20:04 · ошибок плеера: 3 · сбоев магазина: 0 · последняя ошибка: networkError: fragLoadError',
    );
    // Money is written with no-break spaces (a matcher's text has them as spaces).
    expect(item).toHaveTextContent('Можно вернуть: 300,00 ₽');
    expect(within(item).getByRole('button', { name: 'Вернуть деньги' })).toBeEnabled();
    expect(within(item).getByRole('button', { name: 'Закрыть без возврата' })).toBeEnabled();
    // The staff's own sections, for a support member.
    expect(within(screen.getByRole('navigation', { name: 'Служба поддержки' })).getAllByRole('link').map((a) => a.textContent)).toEqual([
      'Покупатели',
      'Проблемы с просмотром',
    ]);
  });

  it('refunds after the inline confirmation, once, says so, and the report leaves the open list', async () => {
    const s = server();
    const { calls } = stubApi([
      s.list,
      {
        match: isRefund,
        body: () => {
          s.resolve();
          return refund;
        },
      },
    ]);
    show();
    const item = await screen.findByTestId('problem');
    fireEvent.click(within(item).getByRole('button', { name: 'Вернуть деньги' }));
    // Nothing is sent before the staff member confirms.
    const question = within(item).getByRole('group', { name: 'Вернуть 300,00\u00a0₽ на баланс покупателя?' });
    expect(question).toHaveTextContent('Вернуть 300,00 ₽ на баланс покупателя?');
    expect(within(question).getByRole('button', { name: 'Отмена' })).toHaveFocus();
    expect(calls.filter((c) => isRefund(c.url, c.init))).toHaveLength(0);
    fireEvent.click(within(question).getByRole('button', { name: 'Да, вернуть' }));

    expect(await screen.findByRole('status')).toHaveTextContent(`Возвращено 300,00 ₽ на баланс покупателя: «Маузер», заказ ${ORDER_ID}.`);
    await waitFor(() => expect(screen.queryByTestId('problem')).toBeNull());
    const refunds = calls.filter((c) => isRefund(c.url, c.init));
    expect(refunds).toHaveLength(1);
    expect(refunds[0].init.body).toBe('{}');
    expect(lists(calls)).toEqual([`${LIST}?status=open`, `${LIST}?status=open`]);
    expect(screen.getByText('Открытых обращений нет.')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Возвращено 300,00 ₽');
  });

  it('«Отмена» in the confirmation sends nothing', async () => {
    const { calls } = stubApi([server().list]);
    show();
    const item = await screen.findByTestId('problem');
    fireEvent.click(within(item).getByRole('button', { name: 'Вернуть деньги' }));
    fireEvent.click(within(item).getByRole('button', { name: 'Отмена' }));
    expect(within(item).queryByRole('group')).toBeNull();
    expect(within(item).getByRole('button', { name: 'Вернуть деньги' })).toBeInTheDocument();
    expect(calls.filter((c) => c.init.method === 'POST')).toHaveLength(0);
  });

  it('shows a support member’s limit (403) at the report, which stays open', async () => {
    const { calls } = stubApi([
      server().list,
      {
        match: isRefund,
        status: 403,
        body: {
          type: 'https://chance.local/problems/refund-over-support-limit',
          title: 'Нужен администратор',
          status: 403,
          detail: 'Сотрудник поддержки может вернуть не больше 1\u00a0000,00\u00a0₽ за раз',
          errors: [{ field: 'amount', message: 'Не больше 1\u00a0000,00\u00a0₽; больший возврат делает администратор' }],
        },
      },
    ]);
    show();
    const item = await screen.findByTestId('problem');
    fireEvent.click(within(item).getByRole('button', { name: 'Вернуть деньги' }));
    fireEvent.click(within(item).getByRole('button', { name: 'Да, вернуть' }));
    expect(await within(item).findByRole('alert')).toHaveTextContent('Сотрудник поддержки может вернуть не больше 1 000,00 ₽ за раз');
    expect(within(item).getByRole('button', { name: 'Вернуть деньги' })).toBeEnabled();
    expect(screen.queryByRole('status')).toBeNull();
    expect(calls.filter((c) => isRefund(c.url, c.init))).toHaveLength(1);
    expect(lists(calls)).toHaveLength(1);
  });

  it('«Закрыть без возврата» posts close, and the report leaves the open list', async () => {
    const s = server('closed');
    const { calls } = stubApi([
      s.list,
      {
        match: isClose,
        status: 204,
        body: () => {
          s.resolve();
          return null;
        },
      },
    ]);
    show();
    const item = await screen.findByTestId('problem');
    fireEvent.click(within(item).getByRole('button', { name: 'Закрыть без возврата' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Обращение по «Маузер» закрыто без возврата.');
    await waitFor(() => expect(screen.queryByTestId('problem')).toBeNull());
    expect(calls.filter((c) => isClose(c.url, c.init))).toHaveLength(1);
    expect(calls.filter((c) => isRefund(c.url, c.init))).toHaveLength(0);
  });

  it('shows every report with ?status=all, the resolved ones with what was done and no buttons', async () => {
    const s = server();
    s.resolve();
    const { calls } = stubApi([s.list]);
    show();
    expect(await screen.findByText('Открытых обращений нет.')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Показывать'), { target: { value: 'all' } });
    const item = await screen.findByTestId('problem');
    expect(lists(calls)).toEqual([`${LIST}?status=open`, `${LIST}?status=all`]);
    expect(item).toHaveTextContent('Деньги возвращены 07.12.2026, 20:30');
    expect(within(item).queryByRole('button')).toBeNull();
  });
});

describe('the playback in words', () => {
  it('says when no fragment was ever served, and leaves out a last error there was none of', () => {
    expect(
      playbackSummary({ streams: 1, first_segment_at: null, last_segment_at: null, errors: 0, store_failures: 4, last_error: null }, 'Europe/Moscow'),
    ).toBe('Просмотров: 1 · фрагменты не загружались · ошибок плеера: 0 · сбоев магазина: 4');
  });
});
