// The UI's number formatting (src/ui/format.rs over engine::display), written
// again from its documented rules on decimal strings, so that the end-to-end
// tests can check every number the page shows against the engine's report.

function split(s) {
  const neg = s.startsWith('-');
  const [int, frac = ''] = (neg ? s.slice(1) : s).split('.');
  return { neg, int: int.replace(/^0+(?=\d)/, ''), frac };
}

// Rounds a decimal string to `places`: 'half' (half away from zero), 'up' (toward +∞), 'down' (toward −∞).
export function round(s, places, mode = 'half') {
  const { neg, int, frac } = split(s);
  const keep = (frac + '0'.repeat(places)).slice(0, places);
  const rest = frac.slice(places).replace(/0+$/, '');
  let digits = (int + keep).split('').map(Number);
  const away = mode === 'half' ? rest.length > 0 && rest[0] >= '5'
    : mode === 'up' ? !neg && rest.length > 0
    : neg && rest.length > 0;
  if (away) {
    let i = digits.length - 1;
    while (i >= 0 && digits[i] === 9) { digits[i] = 0; i--; }
    if (i < 0) digits.unshift(1); else digits[i] += 1;
  }
  const text = digits.join('');
  const intPart = text.slice(0, text.length - places) || '0';
  const fracPart = places ? text.slice(text.length - places) : '';
  const zero = /^[0]*$/.test(intPart + fracPart);
  return { neg: neg && !zero, int: intPart.replace(/^0+(?=\d)/, ''), frac: fracPart };
}

export function grouped(s, places, mode = 'half') {
  const r = round(s, places, mode);
  const int = r.int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (r.neg ? '−' : '') + int + (places ? '.' + r.frac : '');
}

export function pricePlaces(s) {
  let p = Math.abs(Number(s));
  if (p >= 1000 || p === 0) return 2;
  let places = 0;
  while (p < 100 && places < 20) { p *= 10; places++; }
  return Math.min(places + 2, 20);
}

const times100 = (s) => {
  const { neg, int, frac } = split(s);
  const f = frac.padEnd(2, '0');
  return (neg ? '-' : '') + (int + f.slice(0, 2)).replace(/^0+(?=\d)/, '') + (f.length > 2 ? '.' + f.slice(2) : '');
};

export const money = (s, currency) => grouped(s, ['USD', 'USDT', 'USDC', 'EUR'].includes(currency) ? 2 : 6);
export const price = (s) => grouped(s, pricePlaces(s));
export const liquidation = (s, mark) => grouped(s, pricePlaces(s), Number(mark) > Number(s) ? 'up' : 'down');
export const percent = (s) => `${grouped(times100(s), 2)} %`;
export const signedPercent = (s) => (Number(s) > 0 ? '+' : '') + percent(s);
export const ratio = (s) => `${grouped(s, 2)}×`;
