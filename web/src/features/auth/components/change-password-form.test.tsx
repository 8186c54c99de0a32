import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { User } from '@/types/api';
import { ChangePasswordForm, PASSWORD_CHANGED_HERE } from './change-password-form';

const user: User = { id: 'u-1', email: 'zritel@example.ru', name: 'Зритель', phone: null, phone_verified: false, time_zone: 'Europe/Moscow', role: 'customer' };
const isChange = (url: string, init: RequestInit) => url === '/api/v1/me/password' && init.method === 'POST';
const CURRENT = 'Текущий пароль';
const NEW = 'Новый пароль (не короче 12 символов)';

function fill(current: string, next: string) {
  fireEvent.change(screen.getByLabelText(CURRENT), { target: { value: current } });
  fireEvent.change(screen.getByLabelText(NEW), { target: { value: next } });
  fireEvent.click(screen.getByRole('button', { name: 'Сменить пароль' }));
}

afterEach(() => vi.unstubAllGlobals());

describe('«Пароль» on the account page', () => {
  it('sends both passwords, clears the fields and says the other devices will have to sign in again', async () => {
    const { calls } = stubApi([{ match: isChange, status: 204, body: null }]);
    const onChanged = vi.fn();
    renderWithProviders(<ChangePasswordForm onChanged={onChanged} />, { path: '/account', session: { user } });
    expect(screen.getByRole('heading', { name: 'Пароль', level: 2 })).toBeInTheDocument();
    expect(screen.getByLabelText(CURRENT)).toHaveAttribute('autocomplete', 'current-password');
    expect(screen.getByLabelText(NEW)).toHaveAttribute('autocomplete', 'new-password');

    fill('старый-надёжный-пароль', 'совсем-новый-пароль');
    expect(await screen.findByRole('status')).toHaveTextContent(PASSWORD_CHANGED_HERE);
    expect(PASSWORD_CHANGED_HERE).toBe('Пароль изменён. На других устройствах нужно будет войти заново.');
    const post = calls.find((c) => isChange(c.url, c.init))!;
    expect(JSON.parse(post.init.body as string)).toEqual({ current_password: 'старый-надёжный-пароль', new_password: 'совсем-новый-пароль' });
    expect(screen.getByLabelText(CURRENT)).toHaveValue('');
    expect(screen.getByLabelText(NEW)).toHaveValue('');
    expect(onChanged).toHaveBeenCalledTimes(1);
  });

  it('puts a wrong current password next to that field', async () => {
    stubApi([
      {
        match: isChange,
        status: 422,
        body: { title: 'Данные не прошли проверку', status: 422, errors: [{ field: 'current_password', message: 'Неверный пароль' }] },
      },
    ]);
    const onChanged = vi.fn();
    renderWithProviders(<ChangePasswordForm onChanged={onChanged} />, { path: '/account', session: { user } });
    fill('не-тот-пароль', 'совсем-новый-пароль');

    const message = await screen.findByText('Неверный пароль');
    expect(message.id).toBe('current_password-error');
    expect(screen.getByLabelText(CURRENT)).toHaveAttribute('aria-describedby', 'current_password-error');
    expect(screen.getByLabelText(CURRENT)).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText(NEW)).not.toHaveAttribute('aria-invalid');
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    // What was typed stays, to be corrected.
    expect(screen.getByLabelText(NEW)).toHaveValue('совсем-новый-пароль');
    expect(onChanged).not.toHaveBeenCalled();
  });

  it('puts the refusal of the new password next to that field', async () => {
    stubApi([
      {
        match: isChange,
        status: 400,
        body: { title: 'Данные не прошли проверку', status: 400, errors: [{ field: 'new_password', message: 'Новый пароль совпадает с текущим' }] },
      },
    ]);
    renderWithProviders(<ChangePasswordForm />, { path: '/account', session: { user } });
    fill('один-и-тот-же-пароль', 'один-и-тот-же-пароль');
    const message = await screen.findByText('Новый пароль совпадает с текущим');
    expect(message.id).toBe('new_password-error');
    expect(screen.getByLabelText(NEW)).toHaveAttribute('aria-describedby', 'new_password-error');
  });

  it('checks both fields before asking the server', async () => {
    const { calls } = stubApi([]);
    renderWithProviders(<ChangePasswordForm />, { path: '/account', session: { user } });
    fill('', 'короткий');
    expect(await screen.findByText('Введите текущий пароль')).toBeInTheDocument();
    expect(screen.getByText('Пароль должен быть не короче 12 символов')).toBeInTheDocument();
    expect(calls).toHaveLength(0);
  });

  it('shows the detail of too many tries', async () => {
    stubApi([{ match: isChange, status: 429, body: { title: 'Слишком много запросов', status: 429, detail: 'Слишком много попыток, подождите немного' } }]);
    renderWithProviders(<ChangePasswordForm />, { path: '/account', session: { user } });
    fill('старый-надёжный-пароль', 'совсем-новый-пароль');
    expect(await screen.findByRole('alert')).toHaveTextContent('Слишком много попыток, подождите немного');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Сменить пароль' })).toBeEnabled());
  });
});
