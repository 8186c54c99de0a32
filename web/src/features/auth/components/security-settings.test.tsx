import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import type { Session } from '@/lib/session';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { User } from '@/types/api';
import type { AccountSession } from '../api/account-security';
import { SecuritySettings } from './security-settings';

const user: User = { id: 'u-1', email: 'zritel@example.ru', name: 'Зритель', phone: null, phone_verified: false, time_zone: 'Asia/Yekaterinburg', role: 'customer' };
const here: AccountSession = {
  id: 'aaaa1111bbbb2222',
  current: true,
  device: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  address: '203.0.113.7',
  created_at: '2026-12-01T07:30:00Z',
  last_seen_at: '2026-12-07T09:05:00Z',
};
const phone: AccountSession = {
  id: 'cccc3333dddd4444',
  current: false,
  device: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  address: '198.51.100.20',
  created_at: '2026-11-20T18:00:00Z',
  last_seen_at: '2026-12-06T21:15:00Z',
};
const unknown: AccountSession = { ...phone, id: 'eeee5555ffff6666', device: '', address: '' };

const isList = (url: string, init: RequestInit) => url === '/api/v1/me/sessions' && (init.method ?? 'GET') === 'GET';

function show(session: Partial<Session> = {}) {
  return renderWithProviders(
    <Routes>
      <Route path="/account" element={<SecuritySettings />} />
      <Route path="/login" element={<h1>Вход</h1>} />
    </Routes>,
    { path: '/account', session: { user, timeZone: user.time_zone, ...session } },
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('«Где выполнен вход»', () => {
  it('lists the sessions with their device, address and times in the customer’s zone, «Это устройство» on this one', async () => {
    stubApi([{ match: isList, body: { items: [here, phone, unknown] } }]);
    show();
    expect(screen.getByRole('heading', { name: 'Где выполнен вход', level: 2 })).toBeInTheDocument();
    const [first, second, third] = await screen.findAllByTestId('session');

    expect(within(first).getByRole('heading', { level: 3 })).toHaveTextContent('Firefox, Linux Это устройство');
    expect(first).toHaveTextContent('IP-адрес: 203.0.113.7');
    // Yekaterinburg is UTC+5.
    expect(first).toHaveTextContent('Вход: 01.12.2026, 12:30');
    expect(first).toHaveTextContent('Активность: 07.12.2026, 14:05');
    expect(within(first).queryByRole('button')).toBeNull();

    expect(within(second).getByRole('heading', { level: 3 }).textContent).toBe('Chrome, Android');
    expect(second).toHaveTextContent('IP-адрес: 198.51.100.20');
    expect(second).toHaveTextContent('Вход: 20.11.2026, 23:00');
    expect(second).toHaveTextContent('Активность: 07.12.2026, 02:15');
    expect(within(second).getByRole('button', { name: 'Завершить сеанс: Chrome, Android' })).toHaveTextContent('Завершить');

    expect(within(third).getByRole('heading', { level: 3 }).textContent).toBe('Неизвестное устройство');
    expect(third).not.toHaveTextContent('IP-адрес');
    expect(within(third).getByRole('button', { name: 'Завершить сеанс: Неизвестное устройство' })).toBeInTheDocument();

    expect(screen.getAllByText('Это устройство')).toHaveLength(1);
  });

  it('«Завершить» ends that session and takes it off the list', async () => {
    const { calls } = stubApi([
      { match: isList, body: { items: [here, phone, unknown] } },
      { match: (url, init) => url.startsWith('/api/v1/me/sessions/') && init.method === 'DELETE', status: 204, body: null },
    ]);
    show();
    fireEvent.click(await screen.findByRole('button', { name: 'Завершить сеанс: Chrome, Android' }));

    expect(await screen.findByText('Сеанс завершён: Chrome, Android.')).toHaveAttribute('role', 'status');
    const deletes = calls.filter((c) => c.init.method === 'DELETE');
    expect(deletes.map((c) => c.url)).toEqual(['/api/v1/me/sessions/cccc3333dddd4444']);
    const left = screen.getAllByTestId('session');
    expect(left).toHaveLength(2);
    expect(screen.queryByRole('button', { name: 'Завершить сеанс: Chrome, Android' })).toBeNull();
    expect(screen.getByRole('heading', { name: 'Где выполнен вход' })).toHaveFocus();
  });

  it('says why a session could not be ended and keeps it', async () => {
    stubApi([
      { match: isList, body: { items: [here, phone] } },
      { match: (_url, init) => init.method === 'DELETE', status: 503, body: { title: 'Недоступно', status: 503, detail: 'Сервис временно недоступен. Попробуйте позже.' } },
    ]);
    show();
    fireEvent.click(await screen.findByRole('button', { name: 'Завершить сеанс: Chrome, Android' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Сервис временно недоступен. Попробуйте позже.');
    expect(screen.getAllByTestId('session')).toHaveLength(2);
    expect(screen.getByRole('button', { name: 'Завершить сеанс: Chrome, Android' })).toBeEnabled();
  });

  it('reloads the list after a new password (the other sessions are over)', async () => {
    let items = [here, phone];
    const { calls } = stubApi([
      { match: isList, body: () => ({ items }) },
      {
        match: (url, init) => url === '/api/v1/me/password' && init.method === 'POST',
        status: 204,
        body: () => {
          items = [here];
          return null;
        },
      },
    ]);
    show();
    expect(await screen.findAllByTestId('session')).toHaveLength(2);
    fireEvent.change(screen.getByLabelText('Текущий пароль'), { target: { value: 'старый-надёжный-пароль' } });
    fireEvent.change(screen.getByLabelText('Новый пароль (не короче 12 символов)'), { target: { value: 'совсем-новый-пароль' } });
    fireEvent.click(screen.getByRole('button', { name: 'Сменить пароль' }));

    expect(await screen.findByText('Пароль изменён. На других устройствах нужно будет войти заново.')).toBeInTheDocument();
    await waitFor(() => expect(screen.getAllByTestId('session')).toHaveLength(1));
    expect(calls.filter((c) => isList(c.url, c.init))).toHaveLength(2);
  });

  it('«Выйти на всех устройствах» asks first, then signs out everywhere and goes to the sign-in page', async () => {
    const refresh = vi.fn(async () => undefined);
    const isEverywhere = (url: string, init: RequestInit) => url === '/api/v1/auth/logout-everywhere' && init.method === 'POST';
    const { calls } = stubApi([
      { match: isList, body: { items: [here, phone] } },
      { match: isEverywhere, status: 204, body: null },
    ]);
    show({ refresh });
    await screen.findAllByTestId('session');
    fireEvent.click(screen.getByRole('button', { name: 'Выйти на всех устройствах' }));

    const dialog = screen.getByRole('alertdialog', { name: 'Выйти на всех устройствах?' });
    expect(dialog).toHaveTextContent('Сеансы на всех устройствах, включая это, будут завершены.');
    expect(calls.filter((c) => isEverywhere(c.url, c.init))).toHaveLength(0);
    // The safe choice has the focus; it closes the question and nothing is sent.
    expect(within(dialog).getByRole('button', { name: 'Не надо' })).toHaveFocus();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Не надо' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(calls.filter((c) => isEverywhere(c.url, c.init))).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'Выйти на всех устройствах' }));
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Выйти везде' }));
    expect(await screen.findByRole('heading', { name: 'Вход', level: 1 })).toBeInTheDocument();
    expect(calls.filter((c) => isEverywhere(c.url, c.init))).toHaveLength(1);
    await waitFor(() => expect(refresh).toHaveBeenCalledTimes(1));
  });

  it('stays when signing out everywhere fails, and says why', async () => {
    const refresh = vi.fn(async () => undefined);
    stubApi([
      { match: isList, body: { items: [here] } },
      { match: (url) => url === '/api/v1/auth/logout-everywhere', status: 403, body: { title: 'Запрещено', status: 403, detail: 'Нет или неверный CSRF-токен: обновите страницу' } },
    ]);
    show({ refresh });
    fireEvent.click(screen.getByRole('button', { name: 'Выйти на всех устройствах' }));
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Выйти везде' }));
    expect(await within(screen.getByRole('alertdialog')).findByRole('alert')).toHaveTextContent('Нет или неверный CSRF-токен: обновите страницу');
    expect(screen.getByRole('heading', { name: 'Где выполнен вход' })).toBeInTheDocument();
    expect(refresh).not.toHaveBeenCalled();
  });
});
