import type { Discount } from '@/types/api';
import { formatMoney } from '@/utils/money';

// The online price: with a discount, the old price crossed out next to the new one and a "−N %" badge.
export function PriceTag({ price, finalPrice, discount }: { price: number; finalPrice: number; discount: Discount | null }) {
  if (!discount || discount.percent <= 0) return <b className="price">{formatMoney(finalPrice)}</b>;
  return (
    <span className="price-tag">
      <s className="old-price" aria-label={`Без скидки ${formatMoney(price)}`}>
        {formatMoney(price)}
      </s>{' '}
      <b className="price">{formatMoney(finalPrice)}</b>{' '}
      <span className="badge">−{discount.percent}&nbsp;%</span>
    </span>
  );
}
