import { EMPTY_QUERY, parseCustomerQuery, UNKNOWN_QUERY } from './customer-query';

describe('«Почта или номер заказа»', () => {
  it('takes a value with @ as an address', () => {
    expect(parseCustomerQuery('  anna@example.ru ')).toEqual({ email: 'anna@example.ru' });
    expect(parseCustomerQuery('Anna.Demina@Example.RU')).toEqual({ email: 'Anna.Demina@Example.RU' });
  });

  it('takes a UUID as an order number', () => {
    expect(parseCustomerQuery('0193a1b2-0000-7000-8000-000000000004')).toEqual({ order: '0193a1b2-0000-7000-8000-000000000004' });
    expect(parseCustomerQuery(' 0193A1B2-0000-7000-8000-00000000000F ')).toEqual({ order: '0193a1b2-0000-7000-8000-00000000000f' });
  });

  it('says what is wrong with anything else', () => {
    expect(parseCustomerQuery('')).toEqual({ problem: EMPTY_QUERY });
    expect(parseCustomerQuery('   ')).toEqual({ problem: EMPTY_QUERY });
    for (const garbage of ['Анна Демина', '0193a1b2', '0193a1b2-0000-7000-8000-00000000000g', '+7 999 123-45-67', '12345'])
      expect(parseCustomerQuery(garbage)).toEqual({ problem: UNKNOWN_QUERY });
  });
});
