// The gateway's public contract (docs/api-contract.md). Money is integer kopecks, times RFC 3339 UTC.
export type Discount = { percent: number; until: string | null };

export type Reservation = { default_period: number; periods: number[]; from: string; until: string };

export type Card = {
  id: number;
  title: string;
  actors: string[];
  description: string;
  price_theatre: number;
  price_online: number;
  discount: Discount | null;
  price_online_final: number;
  reservation: Reservation;
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

export type Suggestion = { id: number; title: string };

export type Quote = {
  premiere_id: number;
  period: number;
  base: number;
  discount: number;
  total: number;
  currency: string;
  quote_expires_at: string;
};

// The store's staff: support looks customers up and refunds up to a limit; admin does everything. theatre_staff: a
// theatre's box office (ADR 0028), assigned to one theatre by an admin — checks and redeems that theatre's vouchers.
export type Role = 'customer' | 'support' | 'admin' | 'theatre_staff';

// email_verified: false until the customer opens the link emailed at registration (a change of address keeps the
// old, confirmed address until the link sent to the new one is opened). Older answers lack it: confirmed (see
// emailVerified in lib/session). phone_verified: whether the customer typed in the code sent by SMS to `phone`
// (POST /me/phone-verification); a different number saved through PATCH /me is unconfirmed again. SMS
// notifications can be switched on only for a confirmed number.
export type User = {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  time_zone: string;
  role: string;
  email_verified?: boolean;
  phone_verified: boolean;
};

// show: the live show a cart line is a seat at (ADR 0027), or null for an ordinary line; for a seat, starts_at is the
// show's start (its window starts with the show). The cart holds nothing: the seat is taken when the order is paid,
// so by then the show may have sold out, been cancelled or have started (status tells; seats_left is as of now).
export type CartShowStatus = ShowStatus | 'cancelled' | 'started';
export type CartShow = { id: number; starts_at: string; seats_left: number; status: CartShowStatus };
export type CartItem = { id: number; premiere: Card; period: number; starts_at: string | null; price: number; show: CartShow | null };
export type Cart = { items: CartItem[]; total: number };

// starts_on_payment: the window opens when the order is paid (until then starts_at/ends_at are provisional).
// show_id: a seat at this live show (ADR 0027); its window starts with the show.
export type OrderItem = {
  premiere_id: number;
  title: string;
  starts_at: string;
  ends_at: string;
  period: number;
  price: number;
  starts_on_payment?: boolean;
  show_id?: number | null;
};
export type Order = {
  id: string;
  status: 'pending_payment' | 'paid' | 'expired' | 'cancelled';
  items: OrderItem[];
  total: number;
  balance?: number;
  next?: 'confirm' | 'top_up';
  shortfall?: number;
};

// «Мои заказы»: an order as the history lists it (GET /orders, newest first), with the money that moved for it.
// A movement's reason is Russian text made by the server; receipt_url is a printable HTML receipt.
export type OrderMovement = {
  kind: 'payment' | 'surcharge' | 'refund';
  amount: number;
  at: string;
  reason: string;
  receipt_url: string;
};
export type OrderHistoryItem = {
  id: string;
  status: Order['status'];
  total: number;
  created_at: string;
  paid_at: string | null;
  items: OrderItem[];
  movements: OrderMovement[];
  // paid: payments + surcharges; refunded: refunds.
  paid: number;
  refunded: number;
};
// next_before: the id to pass as ?before= for the next (older) page; null when there is none.
export type OrderHistory = { items: OrderHistoryItem[]; next_before: string | null };

export type RentalStatus = 'upcoming' | 'active' | 'expired' | 'cancelled';

// A theatre voucher (ADR 0028): a paid rental of a premiere whose theatre set voucher terms carries a code worth the
// online price paid (`amount`, kopecks), good at the theatre's box office toward a ticket until valid_until.
// code: 16 hexadecimal characters in groups of four ("7F3A-91C2-0B4D-E5A8"). void: the rental was cancelled or its
// money refunded.
export type VoucherStatus = 'active' | 'redeemed' | 'void' | 'expired';
export type Voucher = { code: string; amount: number; valid_until: string; status: VoucherStatus; redeemed_at: string | null };
// A voucher as the theatre's box office checks it (GET /vouchers/:code) and redeems it (POST /vouchers/:code/redeem).
export type VoucherCheck = Voucher & { premiere: { id: number; title: string; theatre: string } };
// GET /theatre/me: the theatre a theatre staff member is assigned to (404 not-theatre-staff without one).
export type TheatreAssignment = { theatre: string };
// GET /theatre/premieres: the theatre's premieres with the date their vouchers are valid until (null: none issued).
export type TheatrePremiere = { id: number; title: string; voucher_valid_until: string | null };
export type TheatrePremieres = { theatre: string; items: TheatrePremiere[] };
// PUT /theatre/premieres/:id/voucher → the premiere's voucher terms.
export type VoucherTerms = { premiere_id: number; valid_until: string };
// PUT /admin/theatre-staff/:user_id → the theatre a theatre staff account is assigned to.
export type TheatreStaff = { user_id: string; theatre: string };

// show_id: the live show a seat was bought on (ADR 0027): the window starts with the show and cannot be moved.
// voucher: the rental's theatre voucher (ADR 0028); null when the premiere's theatre gives none (older answers lack it).
export type Rental = {
  id: number;
  premiere_id: number;
  title: string;
  poster_url: string;
  starts_at: string;
  ends_at: string;
  period: number;
  status: RentalStatus;
  amount: number;
  order_id: string;
  show_id: number | null;
  voucher?: Voucher | null;
};

// A live show of a premiere with its online seats (ADR 0027), counted per show and never oversold. The public lists
// hold upcoming shows only (neither cancelled nor started); a seat is bought with POST /rent/ {id, period, show_id}.
export type ShowStatus = 'on_sale' | 'sold_out';
export type Show = { id: number; starts_at: string; capacity: number; seats_left: number; status: ShowStatus };
// GET /shows?premieres=1,2,3: each premiere's next upcoming show, for the cards.
export type NextShow = { premiere_id: number; next: Show | null };

// A stream of a rental on this device (ADR 0025): POST /rentals/:id/playback starts it (ending the rental's stream on
// any other device), GET /rentals/:id/playback?session= renews its short-lived URL. The contract promises {url,
// expires_at}; the premieres service also sends the media token (renewed while playing), the title and the end of
// the window. Only the start answers resume_at (seconds into the premiere where the last beacon was, on any device;
// 0 when never) and took_over (another device's stream was ended).
export type Playback = {
  url: string;
  expires_at: string;
  session: string;
  token?: string;
  title?: string;
  premiere_id?: number;
  ends_at?: string;
  resume_at?: number;
  took_over?: boolean;
};
// POST /rentals/:id/playback/beacon: the player's position (whole seconds) and what it failed at (1..200 characters).
export type PlaybackBeacon = { session: string; position?: number; error?: string };
// POST /rentals/:id/problems (ADR 0026): the customer's words (1..1000 characters) and the stream they were watching.
export type ProblemReport = { text: string; session?: string };
export type ProblemReportAnswer = { id: number; detail: string };

export type Balance = { amount: number; currency: 'RUB' };
export type Payment = { payment_id: string; confirmation_url: string };

export type HistoryItem = {
  id: string;
  type: 'top_up' | 'withdraw' | 'refund';
  amount: number;
  balance_after: number;
  order_id: string | null;
  premiere_id: number | null;
  created_at: string;
};
export type History = { items: HistoryItem[]; next_cursor: string | null };

export type Notification = { id: number; title: string; body: string; created_at: string; read: boolean };
export type Notifications = { items: Notification[]; unread: number };
// reminders: whether «Показ начался» / «Скоро закончится аренда» come by email and SMS (in the app they always do).
export type NotificationPrefs = { email: boolean; sms: boolean; in_app: boolean; reminders: boolean };

// The admin API (role admin).
export type AdminPeriod = { hours: number; factor: string };
export type AdminPremiere = {
  id: number;
  version: number;
  updated_at: string;
  slug: string;
  title: string;
  theatre: string;
  director: string;
  genre: string;
  age_rating: string;
  duration_minutes: number;
  description_short: string;
  description_full: string;
  price_theatre: number;
  price_online: number;
  discount_percent: number;
  discount_until: string | null;
  base_period_hours: number;
  periods: AdminPeriod[];
  reservable_from: string;
  reservable_until: string;
  live_at: string | null;
  capacity: number | null;
  featured: boolean;
  hidden: boolean;
  cast: { actor: string; role: string }[];
};
export type AdminPremiereRow = Pick<
  AdminPremiere,
  'id' | 'slug' | 'title' | 'theatre' | 'price_theatre' | 'price_online' | 'discount_percent' | 'discount_until' | 'featured' | 'hidden' | 'version' | 'updated_at'
>;
export type AdminPremiereList = { items: AdminPremiereRow[]; total: number; page: number; limit: number };
// A show as the admin sees it (GET /admin/premieres/:id/shows): all of them, cancelled ones too, newest start last.
export type AdminShow = { id: number; starts_at: string; capacity: number; seats_taken: number; cancelled_at: string | null };
// POST /admin/shows/:id/cancel: `refunded` — how many buyers got their money back in full (each is emailed);
// `pending` — how many billing has not refunded yet (the store retries them within a minute).
export type ShowCancellation = {
  show: Pick<AdminShow, 'id' | 'starts_at' | 'capacity' | 'cancelled_at'>;
  refunded: number;
  pending: number;
};

export type NewShow = { starts_at: string; capacity: number };

// A premiere's live shows (ADR 0027) as staff manage them, through one of two doors to the same endpoints (src/api/staff-shows.ts):
// the admin's (/admin/premieres/:id/shows, /admin/shows/:id/cancel; any theatre) and the box office's
// (/theatre/premieres/:id/shows, /theatre/shows/:id/cancel; its own theatre's premieres, another's are a 404).
export type ShowsApi = {
  // Every show of the premiere, cancelled ones too, soonest first.
  list: (premiereId: number, signal?: AbortSignal) => Promise<AdminShow[]>;
  // 201 the show; 400/422 naming `starts_at` (in the past) or `capacity` (1..100000); 409 naming `starts_at` when the
  // premiere has a show at that time already.
  create: (premiereId: number, show: NewShow) => Promise<AdminShow>;
  // Cancels the show and refunds every buyer in full (each is emailed); 409 when it is cancelled already.
  cancel: (showId: number) => Promise<ShowCancellation>;
};
export type PremiereEvent = { id: number; type: string; payload: Record<string, unknown>; occurred_at: string };
export type DeadLetter = {
  id: number;
  message_id: string;
  subject: string;
  reason: string;
  deliveries: number;
  data: string;
  created_at: string;
  replayed: boolean;
};
// The catalog import (admin): a CSV or JSON file of premieres, matched by slug. `row`: the spreadsheet row of a CSV
// (the header is row 1) or the 1-based position in a JSON array.
export type ImportRowError = { row: number; field: string; message: string };
// A dry run of a file without errors (creates/updates: how many slugs are new / already in the catalog).
export type ImportCheck = { total: number; valid: number; creates: number; updates: number; errors: ImportRowError[] };
// The extra members of the 422 «import-invalid» problem (at most 1000 rows listed of errors_total).
export type ImportInvalid = { total: number; valid: number; errors_total: number; rows: ImportRowError[] };
// interrupted: the server stopped mid-way (the same file uploaded again finishes it).
export type ImportStatus = 'running' | 'done' | 'failed' | 'interrupted';
export type ImportCounts = { total: number; done: number; created: number; updated: number; unchanged: number };
// The 202 answer to an import: the job just started.
export type ImportStarted = ImportCounts & { id: number | string; status: ImportStatus };
export type ImportJob = ImportStarted & { error: string | null; admin: string; started_at: string; finished_at: string | null };

// The staff API (support or admin; the sales report and roles admin only).
// The customer lookup: what every service holds about one customer (as «Скачать мои данные» gathers it).
export type CustomerAccount = {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  time_zone: string;
  role: Role;
  email_verified: boolean;
  created_at: string;
  consented_at: string | null;
};
export type CustomerSession = { device: string; address: string; created_at: string; last_seen_at: string };
export type CustomerPayment = {
  id: string;
  amount: number;
  status: 'pending' | 'awaiting_confirmation' | 'succeeded' | 'declined';
  decline_reason: string | null;
  created_at: string;
  updated_at: string;
};
export type CustomerMessage = {
  channel: 'email' | 'sms';
  template: string;
  recipient: string;
  subject: string;
  text: string;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  created_at: string;
  sent_at: string | null;
};
export type CustomerLookup = {
  account: CustomerAccount;
  sessions: CustomerSession[];
  premieres: { orders: OrderHistoryItem[]; rentals: Rental[]; cart: Cart };
  billing: { balance: number; currency: string; transactions: HistoryItem[]; payments: CustomerPayment[] };
  notifications: {
    preferences: NotificationPrefs;
    messages: CustomerMessage[];
    in_app: { title: string; body: string; created_at: string; read_at: string | null }[];
  };
};
// A refund to the customer's balance: `refunded` is the order's total refunded so far, `refundable` what is left.
export type Refund = {
  id: string | number;
  order_id: string;
  rental_id: number | null;
  amount: number;
  reason: string;
  refunded: number;
  refundable: number;
  balance: number;
};
// The sales report: days in Moscow time, both ends inclusive; `rentals` is a count, the rest kopecks.
export type SalesGrouping = 'day' | 'premiere' | 'theatre';
export type SalesFigures = { rentals: number; revenue: number; refunds: number; discounts: number; net: number };
export type SalesRow = SalesFigures & { key: string | number; label: string };
export type SalesReport = { from: string; to: string; by: SalesGrouping; time_zone: string; rows: SalesRow[]; totals: SalesFigures };

// A customer's report of a playback problem, as staff see it (ADR 0026): what the rental's playback sessions
// recorded, and what is left to refund on the rental (kopecks).
export type PlaybackProblemStatus = 'open' | 'all';
export type PlaybackSummary = {
  streams: number;
  first_segment_at: string | null;
  last_segment_at: string | null;
  errors: number;
  store_failures: number;
  last_error: string | null;
};
export type PlaybackProblem = {
  id: number;
  rental_id: number;
  order_id: string;
  user_id: string;
  title: string;
  text: string;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution: 'refunded' | 'closed' | null;
  playback: PlaybackSummary;
  refundable: number;
};
export type PlaybackProblems = { items: PlaybackProblem[] };
