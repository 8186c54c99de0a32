import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { setCsrfToken } from '@/lib/api-client';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { User } from '@/types/api';
import { EmailSettings, emailChangeSent } from './email-settings';

const user: User = { id: 'u-1', email: 'zritel@example.ru', name: 'Зритель', phone: null, phone_verified: false, time_zone: 'Europe/Moscow', role: 'customer', email_verified: true };
const isChange = (url: string, init: RequestInit) => url === '/api/v1/me/email' && init.method === 'POST';
const NEW = 'Новый адрес почты';
const PASSWORD = 'Пароль от аккаунта';

function show(u: User = user) {
  return renderWithProviders(<EmailSettings />, { path: '/account', session: { user: u } });
}

function fill(email: string, password: string) {
  fireEvent.change(screen.getByLabelText(NEW), { target: { value: email } });
  fireEvent.change(screen.getByLabelText(PASSWORD), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Изменить адрес' }));
}

// A refusal naming one field, as the store sends it.
function refusal(status: number, field: string, message: string) {
  return { match: isChange, status, body: { title: 'Данные не прошли проверку', status, errors: [{ field, message }] } };
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('«Адрес почты» on the account page', () => {
  it('shows the address and that it is confirmed; the form has the right labels and autocomplete', () => {
    stubApi([]);
    show();
    const section = screen.getByRole('region', { name: 'Адрес почты' });
    expect(within(section).getByRole('heading', { name: 'Адрес почты', level: 2 })).toBeInTheDocument();
    expect(section).toHaveTextContent('Текущий адрес: zritel@example.ru, подтверждён');
    expect(within(section).getByRole('form', { name: 'Изменить адрес' })).toBeInTheDocument();
    expect(within(section).getByRole('heading', { name: 'Изменить адрес', level: 3 })).toBeInTheDocument();
    expect(screen.getByLabelText(NEW)).toHaveAttribute('autocomplete', 'email');
    expect(screen.getByLabelText(NEW)).toHaveAttribute('type', 'email');
    expect(screen.getByLabelText(PASSWORD)).toHaveAttribute('autocomplete', 'current-password');
    expect(screen.getByLabelText(PASSWORD)).toHaveAttribute('type', 'password');
  });

  it('says when the address is not confirmed yet (and an answer without email_verified counts as confirmed)', () => {
    stubApi([]);
    const { unmount } = show({ ...user, email_verified: false });
    expect(screen.getByRole('region', { name: 'Адрес почты' })).toHaveTextContent('Текущий адрес: zritel@example.ru, не подтверждён');
    expect(screen.getByText('Откройте ссылку из письма, которое мы отправили на этот адрес.')).toBeInTheDocument();
    unmount();
    const { email_verified: _omitted, ...older } = user;
    show(older);
    expect(screen.getByRole('region', { name: 'Адрес почты' })).toHaveTextContent('zritel@example.ru, подтверждён');
  });

  it('sends the new address with the password (and the CSRF header), clears the fields and shows what the store says', async () => {
    setCsrfToken('csrf-2');
    const detail = 'Мы отправили письмо на novyi@example.ru. Адрес изменится, когда вы откроете ссылку из него (она действует 24 часа).';
    const { calls } = stubApi([{ match: isChange, status: 202, body: { detail } }]);
    show();
    fill('  novyi@example.ru ', 'очень-надёжный-пароль');

    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent(detail));
    const post = calls.find((c) => isChange(c.url, c.init))!;
    expect(JSON.parse(post.init.body as string)).toEqual({ email: 'novyi@example.ru', password: 'очень-надёжный-пароль' });
    expect((post.init.headers as Record<string, string>)['X-CSRF-Token']).toBe('csrf-2');
    expect(screen.getByLabelText(NEW)).toHaveValue('');
    expect(screen.getByLabelText(PASSWORD)).toHaveValue('');
    // The address has not changed yet.
    expect(screen.getByRole('region', { name: 'Адрес почты' })).toHaveTextContent('Текущий адрес: zritel@example.ru');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says where the email went when the answer carries no detail', async () => {
    stubApi([{ match: isChange, status: 202, body: {} }]);
    show();
    fill('novyi@example.ru', 'очень-надёжный-пароль');
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent(emailChangeSent('novyi@example.ru')));
    expect(emailChangeSent('novyi@example.ru')).toBe('Мы отправили письмо на novyi@example.ru; адрес изменится, когда вы откроете ссылку из него.');
  });

  it('puts a wrong password (422) next to the password field and keeps what was typed', async () => {
    stubApi([refusal(422, 'password', 'Неверный пароль')]);
    show();
    fill('novyi@example.ru', 'не-тот-пароль');
    const message = await screen.findByText('Неверный пароль');
    expect(message.id).toBe('email_password-error');
    expect(screen.getByLabelText(PASSWORD)).toHaveAttribute('aria-describedby', 'email_password-error');
    expect(screen.getByLabelText(PASSWORD)).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText(NEW)).not.toHaveAttribute('aria-invalid');
    expect(screen.getByLabelText(NEW)).toHaveValue('novyi@example.ru');
    expect(screen.getByRole('status')).toBeEmptyDOMElement();
  });

  it('puts a refused address (422: malformed or the current one) next to the address field', async () => {
    stubApi([refusal(422, 'email', 'Укажите новый адрес')]);
    show();
    fill('ZRITEL@example.ru.', 'очень-надёжный-пароль');
    const message = await screen.findByText('Укажите новый адрес');
    expect(message.id).toBe('new_email-error');
    expect(screen.getByLabelText(NEW)).toHaveAttribute('aria-describedby', 'new_email-error');
    expect(screen.getByLabelText(NEW)).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText(PASSWORD)).not.toHaveAttribute('aria-invalid');
    // Only the field's message: no second, general alert.
    expect(screen.getAllByRole('alert')).toHaveLength(1);
  });

  it('puts an address another account has (409) next to the address field', async () => {
    stubApi([
      {
        match: isChange,
        status: 409,
        body: { title: 'Адрес уже занят', status: 409, detail: 'Этот адрес почты уже используется другим аккаунтом', errors: [{ field: 'email', message: 'Этот адрес уже зарегистрирован' }] },
      },
    ]);
    show();
    fill('zanyat@example.ru', 'очень-надёжный-пароль');
    const message = await screen.findByText('Этот адрес уже зарегистрирован');
    expect(message.id).toBe('new_email-error');
    expect(screen.getByLabelText(NEW)).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getAllByRole('alert')).toHaveLength(1);
  });

  it('checks both fields, and that the address is a new one, before asking the server', async () => {
    const { calls } = stubApi([]);
    show();
    fill('не-адрес', '');
    expect(await screen.findByText('Укажите адрес электронной почты')).toBeInTheDocument();
    expect(screen.getByText('Введите пароль')).toBeInTheDocument();
    fill('Zritel@Example.ru', 'очень-надёжный-пароль');
    expect(await screen.findByText('Это ваш текущий адрес')).toBeInTheDocument();
    expect(screen.queryByText('Введите пароль')).toBeNull();
    expect(calls).toHaveLength(0);
  });

  it('shows the detail of too many requests (429) under the form', async () => {
    stubApi([{ match: isChange, status: 429, body: { title: 'Слишком много запросов', status: 429, detail: 'Письма уже отправлялись несколько раз. Попробуйте позже' } }]);
    show();
    fill('novyi@example.ru', 'очень-надёжный-пароль');
    expect(await screen.findByRole('alert')).toHaveTextContent('Письма уже отправлялись несколько раз. Попробуйте позже');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Изменить адрес' })).toBeEnabled());
  });
});
