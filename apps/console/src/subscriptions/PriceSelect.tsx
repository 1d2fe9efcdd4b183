import { useMemo } from 'react';
import type { Paged } from '../api/api-shapes';
import { useApi } from '../api/use-api';
import type { ControlProps } from '../ui/FormField';
import { couponLabel, priceOptionLabel, type ProductNames } from './subscription-format';
import type { CouponOption, PriceOption } from './subscription-types';

/** The catalog's active recurring prices (GET /prices), as many as a select can sensibly offer. */
export function usePrices() {
  return useApi<Paged<PriceOption>>((api, signal) => api.get('/prices', { query: { limit: 200 }, signal }), []);
}

/** Product names by Stripe product id, for labelling subscription items (ids until loaded). */
export function useProductNames(): ProductNames {
  const prices = usePrices();
  return useMemo(
    () =>
      new Map(
        (prices.data?.data ?? []).flatMap((price) =>
          price.productId && price.productName ? [[price.productId, price.productName] as const] : [],
        ),
      ),
    [prices.data],
  );
}

export function useCoupons() {
  return useApi<Paged<CouponOption>>((api, signal) => api.get('/coupons', { query: { limit: 200 }, signal }), []);
}

/** A select of prices grouped by currency, so a price in another currency is not picked by accident. */
export function PriceSelect({
  prices,
  value,
  onChange,
  control,
  exclude,
}: {
  prices: PriceOption[] | undefined;
  value: string;
  onChange(priceId: string): void;
  control: ControlProps;
  /** The current price (of a plan change): not offered. */
  exclude?: string | null;
}) {
  const offered = (prices ?? []).filter((price) => price.id !== exclude);
  const currencies = [...new Set(offered.map((price) => (price.currency ?? '').toUpperCase()))];
  return (
    <select {...control} value={value} onChange={(event) => onChange(event.target.value)}>
      <option value="">{prices ? 'Choose a price…' : 'Loading prices…'}</option>
      {currencies.map((currency) => (
        <optgroup key={currency} label={currency || 'No currency'}>
          {offered
            .filter((price) => (price.currency ?? '').toUpperCase() === currency)
            .map((price) => (
              <option key={price.id} value={price.id}>
                {priceOptionLabel(price)}
              </option>
            ))}
        </optgroup>
      ))}
    </select>
  );
}

export function CouponSelect({
  coupons,
  value,
  onChange,
  control,
}: {
  coupons: CouponOption[] | undefined;
  value: string;
  onChange(couponId: string): void;
  control: ControlProps;
}) {
  return (
    <select {...control} value={value} onChange={(event) => onChange(event.target.value)}>
      <option value="">No coupon</option>
      {(coupons ?? []).map((coupon) => (
        <option key={coupon.id} value={coupon.id}>
          {couponLabel(coupon)}
        </option>
      ))}
    </select>
  );
}
