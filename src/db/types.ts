/**
 * One way to read Postgres values, on `pg` and PGlite alike: the same SQL must give the same
 * JavaScript values on both.
 * - int8 (counts, ids) and numeric (rates) become numbers: every value greenshoots stores fits
 *   in 2^53, and a string `"12"` would silently break arithmetic.
 * - date stays the 'YYYY-MM-DD' text Postgres sends: `pg` would turn it into a local-time Date,
 *   which shifts days for anyone east or west of UTC.
 */
export const OID = { INT8: 20, NUMERIC: 1700, DATE: 1082 } as const;

export const valueParsers: Record<number, (text: string) => unknown> = {
  [OID.INT8]: (text) => Number(text),
  [OID.NUMERIC]: (text) => Number(text),
  [OID.DATE]: (text) => text,
};
