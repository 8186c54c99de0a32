import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import { ForgotPasswordPage } from './forgot-password-page';

const SENT = 'Если адрес зарегистрирован, мы отправили на него письмо со ссылкой для смены пароля. Ссылка действует 30 минут.';
const isRequest = (url: string, init: RequestInit) => url === '/api/v1/auth/password-reset' && init.method === 'POST';

afterEach(() => vi.unstubAllGlobals());

describe('forgot password page', () => {
  it('posts the trimmed address and shows what the server says in place of the form', async () => {
    const { calls } = stubApi([{ match: isRequest, status: 202, body: { detail: SENT } }]);
    renderWithProviders(<ForgotPasswordPage />, { path: '/forgot-password' });
    expect(screen.getByRole('heading', { name: 'Восстановление пароля', level: 1 })).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Электронная почта'), { target: { value: '  zritel@example.ru ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Отправить ссылку' }));

    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent(SENT));
    expect(JSON.parse(calls.find((c) => isRequest(c.url, c.init))!.init.body as string)).toEqual({ email: 'zritel@example.ru' });
    expect(screen.queryByRole('button', { name: 'Отправить ссылку' })).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Вернуться ко входу' })).toHaveAttribute('href', '/login');
  });

  it('puts the server’s word on the address next to the field', async () => {
    stubApi([
      {
        match: isRequest,
        status: 400,
        body: { title: 'Данные не прошли проверку', status: 400, errors: [{ field: 'email', message: 'Адрес указан с ошибкой' }] },
      },
    ]);
    renderWithProviders(<ForgotPasswordPage />, { path: '/forgot-password' });
    fireEvent.change(screen.getByLabelText('Электронная почта'), { target: { value: 'zritel@example.r' } });
    fireEvent.click(screen.getByRole('button', { name: 'Отправить ссылку' }));

    const message = await screen.findByText('Адрес указан с ошибкой');
    expect(message.id).toBe('email-error');
    expect(screen.getByLabelText('Электронная почта')).toHaveAttribute('aria-describedby', 'email-error');
    expect(screen.getByLabelText('Электронная почта')).toHaveAttribute('aria-invalid', 'true');
  });

  it('asks for an address before sending anything', async () => {
    const { calls } = stubApi([{ match: isRequest, status: 202, body: { detail: SENT } }]);
    renderWithProviders(<ForgotPasswordPage />, { path: '/forgot-password' });
    fireEvent.click(screen.getByRole('button', { name: 'Отправить ссылку' }));
    expect(await screen.findByText('Укажите адрес электронной почты')).toBeInTheDocument();
    expect(calls).toHaveLength(0);
  });

  it('shows the detail of a refusal such as too many requests', async () => {
    stubApi([{ match: isRequest, status: 429, body: { title: 'Слишком много запросов', status: 429, detail: 'Слишком много попыток. Попробуйте через минуту.' } }]);
    renderWithProviders(<ForgotPasswordPage />, { path: '/forgot-password' });
    fireEvent.change(screen.getByLabelText('Электронная почта'), { target: { value: 'zritel@example.ru' } });
    fireEvent.click(screen.getByRole('button', { name: 'Отправить ссылку' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Слишком много попыток. Попробуйте через минуту.');
    expect(screen.getByRole('button', { name: 'Отправить ссылку' })).toBeEnabled();
  });
});
