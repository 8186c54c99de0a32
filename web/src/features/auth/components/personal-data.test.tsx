import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { setCsrfToken } from '@/lib/api-client';
import type { Session } from '@/lib/session';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { User } from '@/types/api';
import { AccountDeletedPage } from './account-deleted-page';
import { PersonalData } from './personal-data';

const user: User = { id: 'u-1', email: 'zritel@example.ru', name: 'Зритель', phone: null, phone_verified: false, time_zone: 'Europe/Moscow', role: 'customer' };
const isBalance = (url: string, init: RequestInit) => url === '/api/v1/billing/amount/' && (init.method ?? 'GET') === 'GET';
const isDelete = (url: string, init: RequestInit) => url === '/api/v1/me/delete' && init.method === 'POST';
const balance = (amount: number) => ({ match: isBalance, body: { amount, currency: 'RUB' } });
const FOREVER = 'Удалить аккаунт навсегда';
const UNDERSTOOD = 'Я понимаю, что удаление нельзя отменить';

function show(session: Partial<Session> = {}) {
  const refresh = vi.fn(async () => undefined);
  renderWithProviders(
    <Routes>
      <Route path="/account" element={<PersonalData />} />
      <Route path="/account-deleted" element={<AccountDeletedPage />} />
    </Routes>,
    { path: '/account', session: { user, refresh, ...session } },
  );
  return refresh;
}

// Opens the deletion form (which then asks for the balance).
async function open() {
  fireEvent.click(screen.getByRole('button', { name: 'Удалить аккаунт' }));
  return screen.getByRole('form', { name: 'Удаление аккаунта' });
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('«Мои данные» on the account page', () => {
  it('downloads the data from a plain same-origin link, and explains what the file is', () => {
    stubApi([]);
    show();
    expect(screen.getByRole('heading', { name: 'Мои данные', level: 2 })).toBeInTheDocument();
    const link = screen.getByRole('link', { name: 'Скачать мои данные' });
    expect(link).toHaveAttribute('href', '/api/v1/me/data');
    expect(link).toHaveAttribute('download');
    expect(link).toHaveAccessibleDescription(/^Файл JSON со всем, что магазин хранит о вас/);
    expect(screen.getByRole('link', { name: 'политике обработки персональных данных' })).toHaveAttribute('href', '/privacy');
  });

  it('opens the deletion form only when asked, says what happens and shows the balance left', async () => {
    const { calls } = stubApi([balance(123450)]);
    show();
    const toggle = screen.getByRole('button', { name: 'Удалить аккаунт' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByRole('form')).toBeNull();
    expect(calls).toHaveLength(0);

    const form = await open();
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByRole('heading', { name: 'Удаление аккаунта', level: 3 })).toHaveFocus();
    expect(form).toHaveTextContent('Все сеансы входа завершатся');
    expect(form).toHaveTextContent('Аренды, которые ещё не закончились, прекратятся без возврата денег.');
    expect(form).toHaveTextContent('останутся в бухгалтерском учёте магазина на 5 лет');
    expect(form).toHaveTextContent('без вашего имени, почты и телефона');
    expect(form).toHaveTextContent('С этим адресом почты можно будет зарегистрировать новый аккаунт.');
    await waitFor(() => expect(screen.getByTestId('delete-balance')).toHaveTextContent('На балансе остаётся 1 234,50 ₽.'));
    expect(screen.getByTestId('delete-balance')).toHaveTextContent('напишите в службу поддержки до удаления аккаунта');
    expect(screen.getByLabelText('Пароль')).toHaveAttribute('autocomplete', 'current-password');

    fireEvent.click(within(form).getByRole('button', { name: 'Не удалять' }));
    expect(screen.queryByRole('form')).toBeNull();
    expect(toggle).toHaveFocus();
    expect(calls.filter((c) => isDelete(c.url, c.init))).toHaveLength(0);
  });

  it('keeps «Удалить аккаунт навсегда» disabled until the box is ticked', async () => {
    const { calls } = stubApi([balance(0)]);
    show();
    await open();
    await waitFor(() => expect(screen.getByTestId('delete-balance')).toHaveTextContent('На балансе 0,00 ₽ — возвращать нечего.'));
    const forever = screen.getByRole('button', { name: FOREVER });
    expect(forever).toBeDisabled();
    fireEvent.change(screen.getByLabelText('Пароль'), { target: { value: 'очень-надёжный-пароль' } });
    expect(forever).toBeDisabled();
    fireEvent.submit(screen.getByRole('form'));
    fireEvent.click(screen.getByLabelText(UNDERSTOOD));
    expect(forever).toBeEnabled();
    fireEvent.click(screen.getByLabelText(UNDERSTOOD));
    expect(forever).toBeDisabled();
    expect(calls.filter((c) => isDelete(c.url, c.init))).toHaveLength(0);
  });

  it('puts a wrong password next to the field and deletes nothing', async () => {
    const refresh = vi.fn(async () => undefined);
    stubApi([
      balance(0),
      {
        match: isDelete,
        status: 422,
        body: { title: 'Данные не прошли проверку', status: 422, errors: [{ field: 'password', message: 'Неверный пароль' }] },
      },
    ]);
    show({ refresh });
    await open();
    fireEvent.change(screen.getByLabelText('Пароль'), { target: { value: 'не-тот-пароль' } });
    fireEvent.click(screen.getByLabelText(UNDERSTOOD));
    fireEvent.click(screen.getByRole('button', { name: FOREVER }));

    const message = await screen.findByText('Неверный пароль');
    expect(message.id).toBe('delete_password-error');
    expect(screen.getByLabelText('Пароль')).toHaveAttribute('aria-describedby', 'delete_password-error');
    expect(screen.getByLabelText('Пароль')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(screen.getByLabelText('Пароль')).toHaveValue('не-тот-пароль');
    await waitFor(() => expect(screen.getByRole('button', { name: FOREVER })).toBeEnabled());
    expect(screen.queryByRole('heading', { name: 'Аккаунт удалён' })).toBeNull();
    expect(refresh).not.toHaveBeenCalled();
  });

  it('asks for the password before asking the server', async () => {
    const { calls } = stubApi([balance(0)]);
    show();
    await open();
    fireEvent.click(screen.getByLabelText(UNDERSTOOD));
    fireEvent.click(screen.getByRole('button', { name: FOREVER }));
    expect(await screen.findByText('Введите пароль')).toHaveAttribute('id', 'delete_password-error');
    expect(calls.filter((c) => isDelete(c.url, c.init))).toHaveLength(0);
  });

  it('shows other refusals above the buttons', async () => {
    stubApi([
      balance(0),
      { match: isDelete, status: 429, body: { title: 'Слишком много запросов', status: 429, detail: 'Слишком много попыток, подождите немного' } },
    ]);
    show();
    await open();
    fireEvent.change(screen.getByLabelText('Пароль'), { target: { value: 'очень-надёжный-пароль' } });
    fireEvent.click(screen.getByLabelText(UNDERSTOOD));
    fireEvent.click(screen.getByRole('button', { name: FOREVER }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Слишком много попыток, подождите немного');
    expect(screen.getByLabelText('Пароль')).not.toHaveAttribute('aria-invalid');
  });

  it('on 204 sends the password with the CSRF token, forgets the session and shows «Аккаунт удалён»', async () => {
    setCsrfToken('csrf-1');
    const { calls } = stubApi([balance(5000), { match: isDelete, status: 204, body: null }]);
    const refresh = show();
    await open();
    fireEvent.change(screen.getByLabelText('Пароль'), { target: { value: 'очень-надёжный-пароль' } });
    fireEvent.click(screen.getByLabelText(UNDERSTOOD));
    fireEvent.click(screen.getByRole('button', { name: FOREVER }));

    expect(await screen.findByRole('heading', { name: 'Аккаунт удалён', level: 1 })).toBeInTheDocument();
    const post = calls.find((c) => isDelete(c.url, c.init))!;
    expect(JSON.parse(post.init.body as string)).toEqual({ password: 'очень-надёжный-пароль' });
    expect((post.init.headers as Record<string, string>)['X-CSRF-Token']).toBe('csrf-1');
    await waitFor(() => expect(refresh).toHaveBeenCalledTimes(1));
    expect(screen.getByRole('link', { name: 'На главную' })).toHaveAttribute('href', '/');
    expect(screen.getByRole('link', { name: 'Зарегистрироваться' })).toHaveAttribute('href', '/register');
  });
});
