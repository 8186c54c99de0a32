import { render, screen, within } from '@testing-library/react';
import type { OrderItem } from '@/types/api';
import { OrderLines } from './order-lines';

const line = (over: Partial<OrderItem>): OrderItem => ({
  premiere_id: 1,
  title: 'Маузер',
  starts_at: '2098-12-07T16:00:00Z',
  ends_at: '2098-12-08T16:00:00Z',
  period: 24,
  price: 47920,
  show_id: null,
  ...over,
});

describe('OrderLines', () => {
  it('says «Прямая трансляция» for a seat at a live show and nothing of the kind for the recording', () => {
    render(
      <OrderLines
        items={[line({ show_id: 7 }), line({ premiere_id: 2, title: 'Гамлет', starts_at: '2098-12-09T16:00:00Z' })]}
        pending={false}
        timeZone="Europe/Moscow"
      />,
    );
    const [seat, recording] = screen.getAllByRole('listitem');
    expect(within(seat).getByText('Прямая трансляция')).toBeInTheDocument();
    expect(within(seat).getByText(/с 07\.12\.2098, 19:00/)).toBeInTheDocument();
    expect(within(recording).queryByText('Прямая трансляция')).toBeNull();
  });
});
