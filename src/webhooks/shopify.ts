import { parsePhone } from '../domain/phone.js';
import { normalizeRefToken } from '../domain/ref-token.js';
import { asArray, asId, asRecord, asText, compact, type JsonRecord } from './fields.js';
import { toMinorUnits } from './minor-units.js';

/** Money in integer minor units of an ISO 4217 currency. */
export interface Money {
  amount: number;
  currency: string;
}

/** The buyer as the order names them, for matching with a chat contact. */
export interface ShopifyCustomer {
  /** Trimmed and lowercased. */
  email?: string;
  /** E.164 digits without `+` (as ChatContact.phone), when the number parses. */
  phone?: string;
  /** Shopify's customer id. */
  externalId?: string;
}

/** What an order webhook (`orders/create`, `orders/paid`) says that attribution needs. */
export interface ShopifyOrder {
  orderId: string;
  /** `processed_at` (else `created_at`), epoch ms. */
  occurredAt: number;
  /** The order total in the shop's currency (`total_price_set.shop_money`, else `total_price` + `currency`). */
  total: Money;
  discountCodes: string[];
  /** The canonical ref token of the Chatmark click the buyer came from, or null. */
  clickToken: string | null;
  customer: ShopifyCustomer;
  /** Shopify's `test` flag: orders placed with a test gateway. */
  test: boolean;
}

/** The query parameter Chatmark's redirect appends to web destinations (DESIGN.md "The redirect hot path", step 4). */
const CLICK_PARAM = 'cm_click';
/** Cart attributes whose name starts with `_` are hidden from the buyer; themes may use either. */
const CLICK_ATTRIBUTES = new Set([CLICK_PARAM, `_${CLICK_PARAM}`]);
const ANY_ORIGIN = 'https://shop.invalid';

/**
 * The attribution facts of a Shopify order webhook body, or null when it is not an order (no id,
 * no valid time, or a total that is not exact money: see toMinorUnits). Never throws.
 *
 * `clickToken` comes from `cm_click` in `landing_site` (the session that bought), then
 * `landing_site_ref`, then `note_attributes` (a cart attribute a theme snippet stored); a value
 * that fails the token's check character is skipped.
 *
 * @example parseShopifyOrder(body)?.total // { amount: 1999, currency: 'USD' } for total_price "19.99"
 */
export function parseShopifyOrder(body: unknown): ShopifyOrder | null {
  const order = asRecord(body);
  const orderId = asId(order?.id);
  const time = asText(order?.processed_at) ?? asText(order?.created_at);
  const occurredAt = time === undefined ? Number.NaN : Date.parse(time);
  const total = order === undefined ? undefined : totalOf(order);
  if (order === undefined || orderId === undefined || Number.isNaN(occurredAt) || total === undefined) {
    return null;
  }
  return {
    orderId,
    occurredAt,
    total,
    discountCodes: asArray(order.discount_codes).flatMap((d) => asText(asRecord(d)?.code) ?? []),
    clickToken: clickTokenOf(order),
    customer: customerOf(order),
    test: order.test === true,
  };
}

/**
 * Why an order webhook body has no usable total — an order (an id and a valid time) whose total
 * is missing, unparsable or not exact money in its currency — or null when it is no order at all
 * or its total is fine. Such an order must not vanish as "ignored": the webhook answers it with an
 * error so that Shopify retries it and an operator sees it. Never throws.
 *
 * @example unpricedShopifyOrder({ id: 1, created_at: '2026-11-23T10:00:00Z', total_price: 'free', currency: 'USD' })
 * // 'Order 1 has no exact total: "free" USD'
 */
export function unpricedShopifyOrder(body: unknown): string | null {
  const order = asRecord(body);
  const orderId = asId(order?.id);
  const time = asText(order?.processed_at) ?? asText(order?.created_at);
  if (order === undefined || orderId === undefined || time === undefined || Number.isNaN(Date.parse(time))) {
    return null;
  }
  if (totalOf(order) !== undefined) return null;
  const shopMoney = asRecord(asRecord(order.total_price_set)?.shop_money);
  const [amount, currency] =
    shopMoney === undefined
      ? [order.total_price, order.currency]
      : [shopMoney.amount, shopMoney.currency_code];
  return `Order ${orderId} has no exact total: ${JSON.stringify(amount) ?? 'none'} ${typeof currency === 'string' ? currency : '(no currency)'}`;
}

function totalOf(order: JsonRecord): Money | undefined {
  const shopMoney = asRecord(asRecord(order.total_price_set)?.shop_money);
  const [amount, currency] =
    shopMoney === undefined
      ? [order.total_price, order.currency]
      : [shopMoney.amount, shopMoney.currency_code];
  if ((typeof amount !== 'string' && typeof amount !== 'number') || typeof currency !== 'string') {
    return undefined;
  }
  const minor = toMinorUnits(amount, currency);
  return minor === undefined ? undefined : { amount: minor, currency };
}

function clickTokenOf(order: JsonRecord): string | null {
  const fromUrls = [order.landing_site, order.landing_site_ref].map((value) => {
    const text = asText(value);
    return text?.includes(`${CLICK_PARAM}=`) ? clickParam(text) : undefined;
  });
  const fromAttributes = asArray(order.note_attributes).map((item) => {
    const attribute = asRecord(item);
    return typeof attribute?.name === 'string' && CLICK_ATTRIBUTES.has(attribute.name)
      ? asText(attribute.value)
      : undefined;
  });
  for (const candidate of [...fromUrls, ...fromAttributes]) {
    const token = candidate === undefined ? undefined : normalizeRefToken(candidate);
    if (token !== undefined) return token;
  }
  return null;
}

/** `cm_click` of a landing path (`/products/x?cm_click=…`), a full URL or a bare query string. */
function clickParam(text: string): string | undefined {
  const query = text.includes('?') ? text : `?${text}`;
  try {
    return new URL(query, ANY_ORIGIN).searchParams.get(CLICK_PARAM) ?? undefined;
  } catch {
    return undefined;
  }
}

function customerOf(order: JsonRecord): ShopifyCustomer {
  const customer = asRecord(order.customer);
  const billing = asRecord(order.billing_address);
  const shipping = asRecord(order.shipping_address);
  const email = [order.email, order.contact_email, customer?.email].map(asText).find(Boolean);
  const phone = [order.phone, customer?.phone, billing?.phone, shipping?.phone].map(asText).find(Boolean);
  const country = asText(billing?.country_code) ?? asText(shipping?.country_code);
  return compact({
    email: email?.trim().toLowerCase(),
    phone: phone === undefined ? undefined : phoneDigits(phone, country),
    externalId: asId(customer?.id),
  });
}

/**
 * Digits of a parsable number; a national number is read in the address's country. An unparsable
 * phone is dropped, not an error: the order still counts, matched by email or click instead.
 */
function phoneDigits(phone: string, country: string | undefined): string | undefined {
  for (const defaultCountry of [undefined, country]) {
    try {
      return parsePhone(phone, defaultCountry).digits;
    } catch {
      // invalid_phone / invalid_country: try the next reading, then give up.
    }
  }
  return undefined;
}
