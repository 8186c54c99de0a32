import { useState, type ReactNode } from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { setCsrfToken } from '@/lib/api-client';
import { SessionContext } from '@/lib/session';
import { renderWithProviders, stubApi, testSession } from '@/testing/test-utils';
import type { User } from '@/types/api';
import { AccountPage } from './account-page';
import { PHONE_CODE_SENT, PHONE_CONFIRMED } from './phone-verification';

const user: User = {
  id: 'u-1',
  email: 'zritel@example.ru',
  name: 'Зритель',
  phone: '+79991234567',
  phone_verified: false,
  time_zone: 'Europe/Moscow',
  role: 'customer',
  email_verified: true,
};
const isSend = (url: string, init: RequestInit) => url === '/api/v1/me/phone-verification' && init.method === 'POST';
const isConfirm = (url: string, init: RequestInit) => url === '/api/v1/me/phone-verification/confirm' && init.method === 'POST';
const isProfile = (url: string, init: RequestInit) => url === '/api/v1/me' && init.method === 'PATCH';
// The account page's other parts ask for the sessions list.
const sessions = { match: (url: string) => url === '/api/v1/me/sessions', body: { items: [] } };
const SENT = 'Мы отправили код по SMS на +79991****67. Он действует 10 минут.';
const CODE = 'Код из SMS';

// A session whose updateUser changes the user, as the app's provider does (the page shows what it holds).
function LiveSession({ initial, refresh, children }: { initial: User; refresh?: () => Promise<void>; children: ReactNode }) {
  const [current, setCurrent] = useState(initial);
  const value = testSession({ user: current, updateUser: (u) => setCurrent((prev) => ({ ...prev, ...u })), ...(refresh && { refresh }) });
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

function show(u: User = user, refresh?: () => Promise<void>) {
  return renderWithProviders(
    <LiveSession initial={u} refresh={refresh}>
      <AccountPage />
    </LiveSession>,
    { path: '/account' },
  );
}

// The sessions list (further down the page) has loaded: nothing changes the page after the test.
const loaded = () => waitFor(() => expect(screen.queryByText('Загрузка…')).toBeNull());
const state = () => document.getElementById('phone-state');
const section = () => screen.getByRole('region', { name: 'Подтверждение номера' });

// A refusal naming one field, as the store sends it.
function refusal(match: typeof isSend, status: number, field: string, message: string, detail = 'Данные не прошли проверку') {
  return { match, status, body: { title: 'Данные не прошли проверку', status, detail, errors: [{ field, message }] } };
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('the phone on the account page', () => {
  it('sends a code by SMS (with the CSRF header), confirms it and then says the number is confirmed', async () => {
    setCsrfToken('csrf-7');
    const { calls } = stubApi([
      sessions,
      { match: isSend, status: 202, body: { detail: SENT } },
      { match: isConfirm, body: { ...user, phone_verified: true } },
    ]);
    show();
    expect(state()).toHaveTextContent('Номер не подтверждён');
    expect(screen.getByLabelText('Телефон для SMS')).toHaveAttribute('aria-describedby', 'phone-state');
    expect(section()).toHaveTextContent('подтвердите номер +79991234567');
    expect(screen.queryByLabelText(CODE)).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Получить код по SMS' }));
    await waitFor(() => expect(within(section()).getByRole('status')).toHaveTextContent(SENT));
    const send = calls.find((c) => isSend(c.url, c.init))!;
    expect(JSON.parse(send.init.body as string)).toEqual({});
    expect((send.init.headers as Record<string, string>)['X-CSRF-Token']).toBe('csrf-7');

    const input = screen.getByLabelText(CODE);
    expect(input).toHaveAttribute('inputmode', 'numeric');
    expect(input).toHaveAttribute('autocomplete', 'one-time-code');
    expect(input).toHaveAttribute('maxlength', '6');
    expect(input).toHaveFocus();
    expect(screen.getByRole('button', { name: 'Отправить код ещё раз' })).toBeEnabled();
    expect(screen.queryByRole('button', { name: 'Получить код по SMS' })).toBeNull();

    fireEvent.change(input, { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Подтвердить' }));
    await waitFor(() => expect(state()).toHaveTextContent('Номер подтверждён'));
    const confirm = calls.find((c) => isConfirm(c.url, c.init))!;
    expect(JSON.parse(confirm.init.body as string)).toEqual({ code: '123456' });
    expect((confirm.init.headers as Record<string, string>)['X-CSRF-Token']).toBe('csrf-7');
    expect(within(section()).getByRole('status')).toHaveTextContent(PHONE_CONFIRMED);
    expect(screen.queryByLabelText(CODE)).toBeNull();
    expect(screen.queryByRole('button', { name: /код/ })).toBeNull();
  });

  it('puts a wrong code (422) next to the field, keeps it, and sends a new code on «Отправить код ещё раз»', async () => {
    const { calls } = stubApi([
      sessions,
      { match: isSend, status: 202, body: { detail: SENT } },
      refusal(isConfirm, 422, 'code', 'Неверный код. Осталось попыток: 4'),
    ]);
    show();
    fireEvent.click(screen.getByRole('button', { name: 'Получить код по SMS' }));
    const input = await screen.findByLabelText(CODE);
    fireEvent.change(input, { target: { value: '654321' } });
    fireEvent.click(screen.getByRole('button', { name: 'Подтвердить' }));

    const message = await screen.findByText('Неверный код. Осталось попыток: 4');
    expect(message.id).toBe('phone_code-error');
    expect(screen.getByLabelText(CODE)).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText(CODE)).toHaveAttribute('aria-describedby', 'phone_code-error');
    expect(screen.getByLabelText(CODE)).toHaveValue('654321');
    // Only the field's message: no second, general alert; the number is still unconfirmed.
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(state()).toHaveTextContent('Номер не подтверждён');

    fireEvent.click(screen.getByRole('button', { name: 'Отправить код ещё раз' }));
    await waitFor(() => expect(calls.filter((c) => isSend(c.url, c.init))).toHaveLength(2));
    await waitFor(() => expect(screen.getByLabelText(CODE)).toHaveValue(''));
    expect(screen.getByLabelText(CODE)).not.toHaveAttribute('aria-invalid');
  });

  it('checks that the code is six digits before asking the server', async () => {
    const { calls } = stubApi([sessions, { match: isSend, status: 202, body: {} }]);
    show();
    fireEvent.click(screen.getByRole('button', { name: 'Получить код по SMS' }));
    // No detail in the answer: the page says what happened itself.
    await waitFor(() => expect(within(section()).getByRole('status')).toHaveTextContent(PHONE_CODE_SENT));
    fireEvent.change(screen.getByLabelText(CODE), { target: { value: '12a4' } });
    fireEvent.click(screen.getByRole('button', { name: 'Подтвердить' }));
    expect(await screen.findByText('Введите шесть цифр из SMS')).toBeInTheDocument();
    expect(calls.filter((c) => isConfirm(c.url, c.init))).toHaveLength(0);
  });

  it('shows the detail of too many requests (429) by the button', async () => {
    const detail = 'Код уже отправлен. Новый можно запросить через минуту';
    stubApi([sessions, { match: isSend, status: 429, body: { title: 'Слишком много запросов', status: 429, detail } }]);
    show();
    fireEvent.click(screen.getByRole('button', { name: 'Получить код по SMS' }));
    expect(await within(section()).findByRole('alert')).toHaveTextContent(detail);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Получить код по SMS' })).toBeEnabled());
    expect(screen.queryByLabelText(CODE)).toBeNull();
  });

  it('says so when the number was confirmed meanwhile (409), and refreshes the session', async () => {
    stubApi([
      sessions,
      { match: isSend, status: 202, body: { detail: SENT } },
      { match: isConfirm, status: 409, body: { title: 'Номер уже подтверждён', status: 409, detail: 'Номер телефона уже подтверждён' } },
    ]);
    const refresh = vi.fn(async () => undefined);
    show(user, refresh);
    fireEvent.click(screen.getByRole('button', { name: 'Получить код по SMS' }));
    fireEvent.change(await screen.findByLabelText(CODE), { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Подтвердить' }));
    await waitFor(() => expect(within(section()).getByRole('status')).toHaveTextContent(PHONE_CONFIRMED));
    expect(refresh).toHaveBeenCalled();
    expect(screen.queryByLabelText(CODE)).toBeNull();
  });

  it('says a confirmed number is confirmed and offers no code; without a number, says nothing', async () => {
    stubApi([sessions]);
    const { unmount } = show({ ...user, phone_verified: true });
    await loaded();
    expect(state()).toHaveTextContent('Номер подтверждён');
    expect(screen.queryByRole('region', { name: 'Подтверждение номера' })).toBeNull();
    unmount();
    show({ ...user, phone: null });
    await loaded();
    expect(state()).toBeNull();
    expect(screen.queryByRole('button', { name: 'Получить код по SMS' })).toBeNull();
  });

  it('a different number typed in is to be confirmed; once saved, it is unconfirmed and a code can be sent to it', async () => {
    stubApi([sessions, { match: isProfile, body: (_url: string, init: RequestInit) => ({ ...user, ...JSON.parse(init.body as string), phone_verified: false }) }]);
    show({ ...user, phone_verified: true });
    fireEvent.change(screen.getByLabelText('Телефон для SMS'), { target: { value: '+79990001122' } });
    expect(state()).toHaveTextContent('Новый номер нужно будет подтвердить кодом из SMS');
    fireEvent.click(screen.getByRole('button', { name: 'Сохранить' }));
    await waitFor(() => expect(state()).toHaveTextContent('Номер не подтверждён'));
    expect(section()).toHaveTextContent('подтвердите номер +79990001122');
    expect(screen.getByRole('button', { name: 'Получить код по SMS' })).toBeEnabled();
  });
});
