// The gateway's public contract (docs/api-contract.md).
export type Card = {
  id: number;
  title: string;
  actors: string[];
  description: string;
  price_theatre: number;
  price_online: number;
  discount: { percent: number; until: string | null } | null;
  price_online_final: number;
  reservation: { default_period: number; periods: number[]; from: string; until: string };
  poster_url: string;
};

export type Premiere = Card & {
  description_full: string;
  theatre: string;
  director: string;
  cast: { actor: string; role: string }[];
  genre: string;
  age_rating: string;
  duration_minutes: number;
  live_at: string | null;
};

export type SearchResult = { items: Card[]; total: number; page: number; limit: number; did_you_mean: string | null };
export type Quote = { premiere_id: number; period: number; base: number; discount: number; total: number };
export type User = { id: string; email: string; name: string; phone: string | null; time_zone: string; role: string };
export type CartItem = { id: number; premiere: Card; period: number; starts_at: string | null; price: number };
export type Cart = { items: CartItem[]; total: number };
export type OrderItem = { premiere_id: number; title: string; starts_at: string; ends_at: string; period: number; price: number };
export type Order = {
  id: string;
  status: 'pending_payment' | 'paid' | 'expired' | 'cancelled';
  items: OrderItem[];
  total: number;
  balance?: number;
  next?: 'confirm' | 'top_up';
  shortfall?: number;
};
export type Rental = {
  id: number;
  premiere_id: number;
  title: string;
  poster_url: string;
  starts_at: string;
  ends_at: string;
  period: number;
  status: 'upcoming' | 'active' | 'expired' | 'cancelled';
  amount: number;
};
export type HistoryItem = { id: string; type: 'top_up' | 'withdraw' | 'refund'; amount: number; balance_after: number; created_at: string };
export type Notification = { id: number; title: string; body: string; created_at: string; read: boolean };
