import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { User } from '@/types/api';
import { CONSENT_MISSING, RegisterPage } from './register-page';

const user: User = { id: 'u-1', email: 'zritel@example.ru', name: 'Зритель', phone: null, phone_verified: false, time_zone: 'Europe/Moscow', role: 'customer', email_verified: false };
const isRegister = (url: string, init: RequestInit) => url === '/api/v1/auth/register' && init.method === 'POST';
const CONSENT = /^Я соглашаюсь на обработку моих персональных данных/;

function show() {
  const signedIn = vi.fn(async () => undefined);
  renderWithProviders(
    <Routes>
      <Route path="/register" element={<RegisterPage />} />
      <Route path="/" element={<h1>Главная</h1>} />
    </Routes>,
    { path: '/register', session: { signedIn } },
  );
  return signedIn;
}

function fill() {
  fireEvent.change(screen.getByLabelText('Имя'), { target: { value: ' Зритель ' } });
  fireEvent.change(screen.getByLabelText('Электронная почта'), { target: { value: 'zritel@example.ru' } });
  fireEvent.change(screen.getByLabelText('Пароль (не короче 12 символов)'), { target: { value: 'очень-надёжный-пароль' } });
}

afterEach(() => vi.unstubAllGlobals());

describe('registration: consent to the processing of personal data', () => {
  it('is a required checkbox, unticked, whose label links to the policy', () => {
    stubApi([]);
    show();
    const consent = screen.getByRole('checkbox', { name: CONSENT });
    expect(consent).toBe(screen.getByLabelText(CONSENT));
    expect(consent).toBeRequired();
    expect(consent).not.toBeChecked();
    expect(consent.closest('label')).toHaveTextContent(
      'Я соглашаюсь на обработку моих персональных данных в соответствии с политикой обработки персональных данных',
    );
    expect(screen.getByRole('link', { name: 'политикой обработки персональных данных' })).toHaveAttribute('href', '/privacy');
  });

  it('refuses to send the form while the box is unticked, and says why at the box', async () => {
    const { calls } = stubApi([]);
    show();
    fill();
    fireEvent.click(screen.getByRole('button', { name: 'Зарегистрироваться' }));

    const message = await screen.findByText(CONSENT_MISSING);
    expect(message.id).toBe('consent-error');
    expect(screen.getByLabelText(CONSENT)).toHaveAttribute('aria-describedby', 'consent-error');
    expect(screen.getByLabelText(CONSENT)).toHaveAttribute('aria-invalid', 'true');
    expect(calls).toHaveLength(0);
  });

  it('sends consent: true with the rest, and signs the new customer in', async () => {
    const { calls } = stubApi([{ match: isRegister, status: 201, body: { user, csrf_token: 'csrf-1' } }]);
    const signedIn = show();
    fill();
    fireEvent.click(screen.getByLabelText(CONSENT));
    expect(screen.getByLabelText(CONSENT)).toBeChecked();
    fireEvent.click(screen.getByRole('button', { name: 'Зарегистрироваться' }));

    expect(await screen.findByRole('heading', { name: 'Главная' })).toBeInTheDocument();
    const post = calls.find((c) => isRegister(c.url, c.init))!;
    expect(JSON.parse(post.init.body as string)).toEqual({
      email: 'zritel@example.ru',
      password: 'очень-надёжный-пароль',
      name: 'Зритель',
      time_zone: 'Europe/Moscow',
      consent: true,
    });
    expect(signedIn).toHaveBeenCalledWith(user);
  });

  it('shows the server’s word on consent at the box', async () => {
    stubApi([
      {
        match: isRegister,
        status: 400,
        body: { title: 'Данные не прошли проверку', status: 400, errors: [{ field: 'consent', message: 'Нужно согласие на обработку персональных данных' }] },
      },
    ]);
    show();
    fill();
    fireEvent.click(screen.getByLabelText(CONSENT));
    fireEvent.click(screen.getByRole('button', { name: 'Зарегистрироваться' }));

    const message = await screen.findByText('Нужно согласие на обработку персональных данных');
    expect(message.id).toBe('consent-error');
    expect(screen.getByLabelText(CONSENT)).toHaveAttribute('aria-describedby', 'consent-error');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Зарегистрироваться' })).toBeEnabled());
    // The field error is the whole answer: no general alert besides it.
    expect(screen.getAllByRole('alert')).toHaveLength(1);
  });
});
