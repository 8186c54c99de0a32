import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { Refund } from '@/types/api';
import { ORDER_ID, paidOrder, rentals } from '../customer-fixture';
import { RefundForm } from './refund-form';

const REFUNDS = `/api/v1/admin/orders/${ORDER_ID}/refunds`;
const isRefund = (url: string, init: RequestInit) => url === REFUNDS && init.method === 'POST';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const refund: Refund = { id: 5, order_id: ORDER_ID, rental_id: null, amount: 10050, reason: 'Плохо работал звук', refunded: 17870, refundable: 89950, balance: 22230 };

const WHAT = 'Что вернуть';
const AMOUNT = 'Сумма, ₽';
const REASON = 'Причина (её увидит покупатель)';

function open() {
  const onRefunded = vi.fn();
  const onCancel = vi.fn();
  const mine = rentals.filter((r) => r.order_id === ORDER_ID);
  renderWithProviders(<RefundForm order={paidOrder} rentals={mine} timeZone="Europe/Moscow" onRefunded={onRefunded} onCancel={onCancel} />, {
    path: '/staff/customers',
  });
  return { onRefunded, onCancel };
}

function fill(amount: string, reason: string) {
  fireEvent.change(screen.getByLabelText(AMOUNT), { target: { value: amount } });
  fireEvent.change(screen.getByLabelText(REASON), { target: { value: reason } });
}

const submit = () => fireEvent.click(screen.getByRole('button', { name: 'Вернуть на баланс' }));
const sent = (calls: { url: string; init: RequestInit }[]) =>
  calls.filter((c) => isRefund(c.url, c.init)).map((c) => ({ body: JSON.parse(c.init.body as string), key: (c.init.headers as Record<string, string>)['Idempotency-Key'] }));

afterEach(() => vi.unstubAllGlobals());

describe('«Вернуть деньги»', () => {
  it('offers the whole order or one of its rentals, and what is left to refund as the amount', () => {
    stubApi([]);
    open();
    const options = within(screen.getByLabelText(WHAT)).getAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual([
      'Весь заказ',
      '«Маузер», 12\u00a0ч с 07.12.2098, 12:00 — 479,20\u00a0₽',
      '«Чайка», 24\u00a0ч (1\u00a0сутки) с 08.12.2098, 19:00 — 599,00\u00a0₽',
    ]);
    expect(screen.getByLabelText(WHAT)).toHaveValue('');
    expect(screen.getByLabelText(WHAT)).toHaveFocus();
    // Paid 1 078,20 ₽, refunded 78,20 ₽ already.
    expect(screen.getByLabelText(AMOUNT)).toHaveValue('1000');
    expect(screen.getByLabelText(AMOUNT)).toHaveAccessibleDescription(
      'Оплачено 1\u00a0078,20\u00a0₽, уже возвращено 78,20\u00a0₽: можно вернуть до 1\u00a0000,00\u00a0₽',
    );
  });

  it('proposes no more than the chosen rental cost, until an amount is typed in', () => {
    stubApi([]);
    open();
    const what = screen.getByLabelText(WHAT);
    const amount = screen.getByLabelText(AMOUNT);
    fireEvent.change(what, { target: { value: '31' } });
    expect(amount).toHaveValue('479,20');
    expect(amount).toHaveAccessibleDescription('Оплачено 1\u00a0078,20\u00a0₽, уже возвращено 78,20\u00a0₽: можно вернуть до 479,20\u00a0₽');
    fireEvent.change(what, { target: { value: '' } });
    expect(amount).toHaveValue('1000');
    fireEvent.change(amount, { target: { value: '150' } });
    fireEvent.change(what, { target: { value: '32' } });
    expect(amount).toHaveValue('150');
  });

  it('refunds the whole order: roubles as kopecks, the reason, no rental_id, an Idempotency-Key', async () => {
    const { calls } = stubApi([{ match: isRefund, status: 201, body: refund }]);
    const { onRefunded } = open();
    fill('100,50', '  Плохо работал звук ');
    submit();
    await waitFor(() => expect(onRefunded).toHaveBeenCalledWith(refund));
    const [request] = sent(calls);
    expect(request.body).toEqual({ amount: 10050, reason: 'Плохо работал звук' });
    expect(request.key).toMatch(UUID);
  });

  it('names the rental when one is chosen', async () => {
    const { calls } = stubApi([{ match: isRefund, status: 201, body: { ...refund, rental_id: 31, amount: 10000 } }]);
    const { onRefunded } = open();
    fireEvent.change(screen.getByLabelText(WHAT), { target: { value: '31' } });
    fill('100', 'Плохо работал звук');
    submit();
    await waitFor(() => expect(onRefunded).toHaveBeenCalledTimes(1));
    expect(sent(calls)[0].body).toEqual({ amount: 10000, reason: 'Плохо работал звук', rental_id: 31 });
  });

  it('shows more than is left to refund (422) at the amount; the same refund tried again keeps its key, a changed one gets a new key', async () => {
    let answer = 0;
    const { calls } = stubApi([
      {
        match: isRefund,
        status: 422,
        body: () => {
          answer++;
          return { title: 'Данные не прошли проверку', status: 422, errors: [{ field: 'amount', message: 'Можно вернуть не больше 1 000,00 ₽' }] };
        },
      },
    ]);
    const { onRefunded } = open();
    fill('2000', 'Плохо работал звук');
    submit();
    const message = await screen.findByText('Можно вернуть не больше 1 000,00 ₽');
    const amount = screen.getByLabelText(AMOUNT);
    expect(amount).toHaveAttribute('aria-invalid', 'true');
    expect(amount).toHaveAttribute('aria-describedby', message.id);
    expect(screen.getByLabelText(REASON)).not.toHaveAttribute('aria-invalid');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Вернуть на баланс' })).toBeEnabled());

    submit();
    await waitFor(() => expect(answer).toBe(2));
    fireEvent.change(amount, { target: { value: '1000' } });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Вернуть на баланс' })).toBeEnabled());
    submit();
    await waitFor(() => expect(answer).toBe(3));
    const keys = sent(calls).map((r) => r.key);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[2]).not.toBe(keys[1]);
    expect(sent(calls).map((r) => r.body.amount)).toEqual([200000, 200000, 100000]);
    expect(onRefunded).not.toHaveBeenCalled();
  });

  it('shows a support member’s limit (403) at the amount', async () => {
    stubApi([
      {
        match: isRefund,
        status: 403,
        body: {
          title: 'Нужен администратор',
          status: 403,
          detail: 'Служба поддержки возвращает не больше 500,00 ₽; больше — администратор',
          errors: [{ field: 'amount', message: 'Служба поддержки возвращает не больше 500,00 ₽; больше — администратор' }],
        },
      },
    ]);
    const { onRefunded } = open();
    fill('900', 'Плохо работал звук');
    submit();
    const message = await screen.findByText('Служба поддержки возвращает не больше 500,00 ₽; больше — администратор');
    expect(screen.getByLabelText(AMOUNT)).toHaveAttribute('aria-describedby', message.id);
    // At the field only, not again below the form.
    expect(screen.getAllByRole('alert')).toEqual([message]);
    expect(onRefunded).not.toHaveBeenCalled();
  });

  it('shows an order that is not paid (409) below the form', async () => {
    stubApi([{ match: isRefund, status: 409, body: { title: 'Заказ не оплачен', status: 409, detail: 'Заказ не оплачен: возвращать нечего' } }]);
    open();
    fill('100', 'Плохо работал звук');
    submit();
    expect(await screen.findByRole('alert')).toHaveTextContent('Заказ не оплачен: возвращать нечего');
  });

  it('checks the amount and the reason before asking the server', async () => {
    const { calls } = stubApi([]);
    const { onCancel } = open();
    fill('сто', '');
    submit();
    expect(await screen.findByText('Сумма в рублях, например 100 или 99,90')).toBeInTheDocument();
    expect(screen.getByText('Напишите причину — её увидит покупатель')).toBeInTheDocument();
    fill('0', 'ок');
    submit();
    expect(await screen.findByText('Сумма должна быть больше нуля')).toBeInTheDocument();
    expect(screen.getByText('Причина — не короче 3 символов')).toBeInTheDocument();
    expect(calls).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Отмена' }));
    expect(onCancel).toHaveBeenCalledTimes(1);
  });
});
